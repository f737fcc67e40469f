"""The app's one copy of the recorded sessions, read again only when a sessions file changed.

The History screen, the Library's progress hint and the day-after check-in
all need every session. Parsing megabytes of JSON for each of them, on
every visit, is the cost to avoid: :class:`SessionsCache` keeps the last
list with the sessions files' stamp (:meth:`Store.sessions_stamp`, taken
before reading, so a save made during the read is seen the next time) and
reads again only when the stamp changed. One lock: two threads asking at
once read once. The list and its sessions are shared and never changed
(sessions are frozen; callers sort or filter into new lists).
"""

from __future__ import annotations

import threading
from typing import Any

from ..domain.session import Session


class SessionsCache:
    """The store's sessions, kept while the sessions files are unchanged (see the module docstring)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._sessions: list[Session] | None = None
        #: how many times the store was read (for tests and benchmarks)
        self.reads = 0

    def sessions(self, *, force: bool = False) -> list[Session]:
        """Every recorded session, oldest first (as :meth:`Store.list_sessions`); ``force`` reads again."""
        with self._lock:
            stamp = self.store.sessions_stamp()
            if not force and stamp is not None and stamp == self._stamp and self._sessions is not None:
                return self._sessions
            sessions = self.store.list_sessions()
            self.reads += 1
            self._stamp, self._sessions = stamp, sessions
            return sessions
