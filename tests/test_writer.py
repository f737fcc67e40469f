"""The app's one writer thread (core/writer.py) and the session recorder writing through it."""

from __future__ import annotations

import threading

from stretchtui.core.clock import FakeClock
from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.core.domain.player import PlayerEngine, SessionRecorder
from stretchtui.core.domain.timeline import build_timeline
from stretchtui.core.storage.store import StoreLocked, open_store
from stretchtui.core.storage.writer import SerialWriter


def test_jobs_run_one_at_a_time_in_order_off_the_caller_thread():
    writer = SerialWriter()
    gate = threading.Event()
    seen: list[tuple[int, str]] = []
    results: list[int] = []

    def job(i: int):
        def run() -> int:
            if i == 0:
                assert gate.wait(30)  # the first write is slow: the others wait their turn
            seen.append((i, threading.current_thread().name))
            return i * 10
        return run

    for i in range(20):
        writer.submit(job(i), done=results.append)
    assert writer.pending == 20  # submit never waits for the disk
    gate.set()
    assert writer.wait(30)
    assert [i for i, _ in seen] == list(range(20))
    assert {name for _, name in seen} == {"stretchtui-writer"}
    assert results == [i * 10 for i in range(20)] and writer.pending == 0


def test_a_failing_job_or_callback_does_not_stop_later_writes():
    writer = SerialWriter()
    failures: list[str] = []
    done: list[int] = []

    def boom() -> None:
        raise OSError("disk full")

    writer.submit(boom, failed=lambda exc: failures.append(str(exc)))
    writer.submit(lambda: 1, done=lambda _v: 1 / 0)  # a broken callback
    writer.submit(lambda: 2, done=done.append)
    assert writer.wait(30)
    assert failures == ["disk full"] and done == [2]


class _HeldStore:
    """A store whose writes wait for ``gate`` (and may fail)."""

    def __init__(self, store, fail_first: bool = False) -> None:
        self.store, self.gate, self.fail_first = store, threading.Event(), fail_first
        self.calls: list[str] = []

    def append_session(self, doc):
        assert self.gate.wait(30)
        self.calls.append("append")
        if self.fail_first:
            self.fail_first = False
            raise StoreLocked("another stretchtui is busy writing")
        return self.store.append_session(doc)

    def update_session(self, sid, doc):
        self.calls.append("update")
        return self.store.update_session(sid, doc)


def _recorder(store, writer, errors):
    clock = FakeClock()
    routine = Routine("R", (RoutineItem("cat-cow", hold=5, reps=1),))
    from stretchtui.core.domain.catalog import load_catalog

    catalog = load_catalog()
    engine = PlayerEngine(build_timeline(routine, catalog.stretches, get_ready=5, between=0), clock)
    return SessionRecorder(store, routine, engine, catalog.stretches, clock, on_error=errors.append,
                           sink=writer), engine, clock


def test_the_recorder_returns_at_once_and_its_records_land_in_order(tmp_path):
    real = open_store(tmp_path)
    held = _HeldStore(real)
    writer = SerialWriter()
    errors: list[str] = []
    recorder, engine, clock = _recorder(held, writer, errors)
    recorder.start()  # the first record waits for the disk; the session does not
    clock.advance(5)
    recorder.handle(engine.update())
    clock.advance(60)
    recorder.handle(engine.update())  # finished
    assert engine.finished and real.list_sessions() == []
    answers: list[bool] = []
    recorder.after_writes(answers.append)
    held.gate.set()
    assert writer.wait(30)
    [doc] = real.list_sessions()
    assert doc["status"] == "completed" and held.calls[0] == "append" and set(held.calls[1:]) == {"update"}
    assert answers == [True] and errors == []


def test_a_refused_record_is_reported_once_and_the_next_one_tries_again(tmp_path):
    real = open_store(tmp_path)
    held = _HeldStore(real, fail_first=True)
    held.gate.set()
    writer = SerialWriter()
    errors: list[str] = []
    recorder, engine, clock = _recorder(held, writer, errors)
    recorder.start()
    clock.advance(5)
    recorder.handle(engine.update())
    answers: list[bool] = []
    recorder.after_writes(answers.append)
    assert writer.wait(30)
    assert errors == ["This session may not be saved in the history: another stretchtui is busy writing"]
    assert answers == [False]
    assert [d["status"] for d in real.list_sessions()] == ["running"]  # the second record was written
