"""Fault injection for the store: failed and interrupted writes, disk-size
limits, concurrent writers, kill -9 at random moments, stale and held locks.

After every fault the database opens and holds every record written before
it, and no temporary file is left (or it is ignored and cleaned up).
Subprocess work uses ``os.fork`` so each child starts in milliseconds.
"""

from __future__ import annotations

import errno
import os
import random
import resource
import signal
import sys
import time
import traceback

import pytest

from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.core.storage import safe_file, storage
from stretchtui.core.storage.store import StoreError, StoreLocked, StoreReadOnly, open_store

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def session(i: int) -> dict:
    return {"schema": 1, "routine": "R", "started": f"2026-03-02T08:00:{i % 60:02d}+00:00",
            "status": "completed", "note": f"n{i}", "items": [{"stretch": "cat-cow", "done": {"both": i}}]}


def notes(path) -> list[str]:
    s = open_store(path)
    assert s.notices == [], s.notices  # never needed a backup: the db always parsed
    return [d.note for d in s.list_sessions()]


def temp_files(path) -> list[str]:
    return [p.name for p in path.iterdir() if storage.TMP_MARK in p.name]


def fork(fn) -> int:
    """Run ``fn`` in a child process; returns its pid (exit 0 = ok, 1 = exception)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        code = 0
        try:
            fn()
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    return pid


def wait(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.fixture
def seeded(tmp_path):
    s = open_store(tmp_path)
    for i in range(3):
        s.append_session(session(i))
    return s


BEFORE = ["n0", "n1", "n2"]


# ------------------------------------------------------------------ in-process faults
def test_write_that_fails_half_way(seeded, tmp_path, monkeypatch):
    def half(fd, data):
        os.write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safe_file, "_write_all", half)
    with pytest.raises(StoreError, match=r"disk is full.*Nothing was changed"):
        seeded.append_session(session(9))
    monkeypatch.undo()
    assert temp_files(tmp_path) == []
    assert notes(tmp_path) == BEFORE
    seeded.append_session(session(3))  # the store keeps working afterwards
    assert notes(tmp_path) == [*BEFORE, "n3"]


def test_fsync_error(seeded, tmp_path, monkeypatch):
    def bad_fsync(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", bad_fsync)
    with pytest.raises(StoreError, match=r"Input/output error.*Nothing was changed"):
        seeded.save_routine(Routine("X"))
    monkeypatch.undo()
    assert temp_files(tmp_path) == []
    assert notes(tmp_path) == BEFORE
    assert seeded.list_routines() == []


def test_rename_fails(seeded, tmp_path, monkeypatch):
    def bad_replace(src, dst):
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", bad_replace)
    with pytest.raises(StoreReadOnly, match=r"read-only.*nothing was changed"):
        seeded.append_session(session(9))
    monkeypatch.undo()
    assert temp_files(tmp_path) == []
    assert notes(tmp_path) == BEFORE


def test_crash_between_write_and_rename(seeded, tmp_path, monkeypatch):
    seeded.close()

    def child():
        s = open_store(tmp_path)

        def die(src, dst, **kw):
            if str(dst).endswith("sessions-2026.json"):
                os._exit(9)  # the process dies: no cleanup, no finally
            return real_replace(src, dst, **kw)

        real_replace = os.replace
        os.replace = die
        s.append_session(session(9))

    assert wait(fork(child)) == 9
    assert len(temp_files(tmp_path)) >= 1  # the dead writer's temp file is there...
    assert notes(tmp_path) == BEFORE  # ...and ignored
    s = open_store(tmp_path)
    s.append_session(session(3))
    assert temp_files(tmp_path) == []  # and cleaned by the next writer
    assert notes(tmp_path) == [*BEFORE, "n3"]


@pytest.mark.parametrize("ignore_sigxfsz", [True, False], ids=["EFBIG", "SIGXFSZ"])
def test_file_size_limit_in_subprocess(seeded, tmp_path, ignore_sigxfsz):
    seeded.close()
    size = (tmp_path / "sessions-2026.json").stat().st_size

    def child():
        # CPython ignores SIGXFSZ by default (writes fail with EFBIG); with the
        # default action the kernel kills the writer mid-write instead.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN if ignore_sigxfsz else signal.SIG_DFL)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + 40, resource.RLIM_INFINITY))
        s = open_store(tmp_path)
        big = dict(session(9), note="x" * 500)
        try:
            s.append_session(big)
        except StoreError as exc:
            assert "disk is full" in str(exc), exc
            os._exit(3)

    code = wait(fork(child))
    assert code == (3 if ignore_sigxfsz else -signal.SIGXFSZ)
    assert notes(tmp_path) == BEFORE
    if ignore_sigxfsz:
        assert temp_files(tmp_path) == []


# ------------------------------------------------------------------ concurrency
def test_two_processes_append_300_each(tmp_path):
    open_store(tmp_path).close()

    def writer(tag):
        def run():
            s = open_store(tmp_path, lock_timeout=60)
            for i in range(300):
                s.append_session(dict(session(i), note=f"{tag}{i}"))
        return run

    pids = [fork(writer("a")), fork(writer("b"))]
    assert [wait(p) for p in pids] == [0, 0]
    s = open_store(tmp_path)
    docs = s.list_sessions()
    assert len(docs) == 600
    assert len({d.number for d in docs}) == 600
    got = {d.note for d in docs}
    assert got == {f"{t}{i}" for t in "ab" for i in range(300)}


def test_kill_9_writer_200_times(tmp_path):
    """A writer loop is SIGKILLed 200 times at random moments. Every append
    that returned (the child reports it on a pipe right after) must be there,
    and the database must always open without needing the backup."""
    open_store(tmp_path).close()
    rng = random.Random(1234)
    returned: set[int] = set()
    mid_write = 0  # kills that left a temp file behind: they landed inside a write
    for round_ in range(200):
        r, w = os.pipe()

        def child(r=r, w=w, round_=round_):  # bound now: runs in the fork of this round
            os.close(r)
            s = open_store(tmp_path, lock_timeout=30)
            i = 0
            while True:
                sid = s.append_session(session(i))
                os.write(w, f"{sid}\n".encode())
                i += 1
                if i % 5 == 0:
                    s.update_session(sid, {"status": "stopped"})
                    s.save_routine(Routine(f"R{round_ % 7}", (RoutineItem("cat-cow", hold=i % 50 + 1),)))

        pid = fork(child)
        os.close(w)
        # Wait for the writer's first append, so a loaded machine (slow fork and
        # start-up) still kills it at a random moment of its writing, not before.
        with os.fdopen(r, "rb") as fh:
            first = fh.readline()
            time.sleep(rng.uniform(0.005, 0.05))
            os.kill(pid, signal.SIGKILL)
            assert wait(pid) == -signal.SIGKILL
            out = (first + fh.read()).decode()
        returned.update(int(line) for line in out.split("\n")[:-1])  # complete lines only
        mid_write += bool(temp_files(tmp_path))
        s = open_store(tmp_path)
        assert s.notices == []
        ids = {d.number for d in s.list_sessions()}
        missing = returned - ids
        assert not missing, f"round {round_}: appends that returned are missing: {sorted(missing)[:10]}"
    assert len(returned) >= 100  # the writer really did work between kills
    assert mid_write >= 1
    s = open_store(tmp_path)
    s.append_session(session(0))
    assert temp_files(tmp_path) == []


# ------------------------------------------------------------------ locks
def test_stale_lock_file_from_dead_process(tmp_path):
    s = open_store(tmp_path)
    (tmp_path / "store.lock").write_text("999999\n")  # pid of a process long gone
    s.append_session(session(0))
    assert notes(tmp_path) == ["n0"]


def test_lock_of_killed_holder_is_recovered(tmp_path):
    r, w = os.pipe()

    def child():
        lock = storage.WriteLock(tmp_path / "store.lock", 1)
        lock.acquire()
        os.write(w, b"x")
        time.sleep(60)

    open_store(tmp_path).close()
    pid = fork(child)
    os.read(r, 1)  # the child holds the lock now
    s = open_store(tmp_path, lock_timeout=0.2)
    with pytest.raises(StoreLocked, match=f"process {pid}.*busy.*Nothing was changed"):
        s.append_session(session(0))  # a live holder: clear error, no hang
    os.kill(pid, signal.SIGKILL)
    wait(pid)
    s.append_session(session(1))  # the kernel released the dead holder's lock
    assert notes(tmp_path) == ["n1"]
