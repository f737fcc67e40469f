"""The app's one sessions cache: read once, again only after a save (any process's)."""

from __future__ import annotations

import threading

from stretchtui.core.storage.sessions_cache import SessionsCache
from stretchtui.core.storage.store import open_store
from tests.adapt_data import session_doc


def test_the_cache_reads_again_only_when_a_sessions_file_changed(tmp_path):
    with open_store(tmp_path) as store:
        store.append_session(session_doc(0))
        cache = SessionsCache(store)
        first = cache.sessions()
        assert cache.sessions() is first and cache.reads == 1
        with open_store(tmp_path) as other:  # another window records a session
            other.append_session(session_doc(1))
        second = cache.sessions()
        assert cache.reads == 2 and [s.number for s in second] == [1, 2]
        assert cache.sessions(force=True) is not second and cache.reads == 3


def test_two_threads_asking_at_once_read_once(tmp_path):
    with open_store(tmp_path) as store:
        store.append_session(session_doc(0))
        cache = SessionsCache(store)
        got = []
        threads = [threading.Thread(target=lambda: got.append(cache.sessions())) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert cache.reads == 1 and all(g is got[0] for g in got)
