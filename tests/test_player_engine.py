"""The guided session engine and its recorder, driven by a FakeClock (no sleeping)."""

from __future__ import annotations

import pytest

from stretchtui.core.clock import FakeClock
from stretchtui.core.domain.models import Dosage, Range, Routine, RoutineItem, Stretch
from stretchtui.core.domain.player import (
    PlayerEngine,
    SessionRecorder,
    interrupt_active_sessions,
    step_label,
)
from stretchtui.core.domain.timeline import build_timeline
from stretchtui.core.storage.store import StoreReadOnly, open_store


def _stretch(sid: str, name: str, mode: str = "hold", sides: str = "none", hold: int = 20, reps: int = 1, rest: int = 0) -> Stretch:
    return Stretch(
        id=sid,
        name=name,
        summary="",
        aliases=(),
        regions=("lower-back",),
        movements=("lumbar-flexion",),
        position="supine",
        dosage=Dosage(mode, Range(1, hold, 600), Range(1, reps, 10), sides, rest),
        steps=("Do it.",),
        cues=(),
        helps=(),
        cautions=(),
        source=(),
        figure=(),
    )


STRETCHES = {
    "two-sided": _stretch("two-sided", "Two Sided", sides="each", hold=20, reps=1),
    "reps": _stretch("reps", "Pelvic Tilt", mode="reps", hold=4, reps=3, rest=2),
}


def _session(routine: Routine, *, get_ready: int = 0, between: int = 0):
    clock = FakeClock()
    timeline = build_timeline(routine, STRETCHES, get_ready=get_ready, between=between)
    return clock, PlayerEngine(timeline, clock)


def test_two_sided_hold_runs_left_then_right_with_a_switch_cue():
    routine = Routine("R", (RoutineItem("two-sided"),))
    clock, engine = _session(routine)
    events = engine.start()
    assert [e.reason for e in events] == ["start"]
    assert (engine.step.kind, engine.step.side) == ("hold", "left")
    assert engine.display_seconds == 20
    clock.advance(19.5)
    assert engine.update() == []
    assert engine.display_seconds == 1
    clock.advance(0.5)
    events = engine.update()
    assert [(e.kind, e.step.kind, e.step.side) for e in events] == [("step", "switch", "right")]
    clock.advance(engine.step.seconds)
    events = engine.update()
    assert [(e.step.kind, e.step.side) for e in events] == [("hold", "right")]
    clock.advance(20)
    events = engine.update()
    assert [e.kind for e in events] == ["finished"] and engine.status == "completed"
    assert engine.item_counts(0) == ({"left": 1, "right": 1}, {"left": 0, "right": 0})
    assert engine.active_seconds == pytest.approx(20 + 5 + 20)


def test_reps_and_rests_are_counted_and_a_big_clock_jump_catches_up():
    routine = Routine("R", (RoutineItem("reps"),))
    clock, engine = _session(routine)
    engine.start()
    kinds = [s.kind for s in engine.steps]
    assert kinds == ["rep", "rest", "rep", "rest", "rep"]
    assert step_label(engine.step) == "move, rep 1/3"
    clock.advance(4 + 2 + 1)  # into the second rep
    events = engine.update()
    assert [e.step.kind for e in events] == ["rest", "rep"]
    assert engine.step.rep == 2 and engine.display_seconds == 3
    clock.advance(100)
    events = engine.update()
    assert events[-1].kind == "finished"
    assert engine.counts() == {"steps_done": 3, "steps_skipped": 0, "steps_total": 3}
    assert engine.active_seconds == pytest.approx(4 * 3 + 2 * 2)


def test_pause_stops_time_and_resume_continues():
    clock, engine = _session(Routine("R", (RoutineItem("two-sided"),)))
    engine.start()
    clock.advance(5)
    engine.pause()
    clock.advance(1000)
    assert engine.update() == []
    assert engine.display_seconds == 15 and engine.paused
    engine.resume()
    clock.advance(5)
    engine.update()
    assert engine.display_seconds == 10
    assert engine.active_seconds == pytest.approx(10)


def test_skip_and_back_move_exactly_one_step():
    clock, engine = _session(Routine("R", (RoutineItem("reps"),)), get_ready=5)
    engine.start()
    assert engine.index == 0 and engine.step.kind == "get-ready"
    events = engine.skip()
    assert engine.index == 1 and [e.reason for e in events] == ["skip"]
    clock.advance(1)
    engine.skip()  # skip rep 1
    assert engine.index == 2 and engine.outcomes[1] == "skipped"
    engine.back()
    assert engine.index == 1 and engine.outcomes[1] is None
    assert engine.display_seconds == 4  # the step starts again from its full time
    engine.back()
    engine.back()  # at the first step: restart it, stay there
    assert engine.index == 0


def test_add_ten_seconds():
    clock, engine = _session(Routine("R", (RoutineItem("two-sided"),)))
    engine.start()
    clock.advance(15)
    engine.add_time()
    engine.update()
    assert engine.display_seconds == 15
    clock.advance(14)
    assert engine.update() == [] and engine.step.side == "left"


def test_time_to_the_next_digit_change_lets_a_ui_tick_once_a_second():
    clock, engine = _session(Routine("R", (RoutineItem("two-sided"),)))
    assert engine.seconds_to_next_change is None  # not started: nothing to wait for
    engine.start()
    assert engine.seconds_to_next_change == pytest.approx(1.0)  # 20.0 left, showing 20
    clock.advance(0.7)
    assert engine.display_seconds == 20 and engine.seconds_to_next_change == pytest.approx(0.3)
    clock.advance(engine.seconds_to_next_change)
    assert engine.display_seconds == 19  # waking exactly then shows the new digit
    clock.advance(0.5)
    engine.add_time()  # +10 s keeps the fraction of a second
    assert engine.display_seconds == 29 and engine.seconds_to_next_change == pytest.approx(0.5)
    engine.pause()
    assert engine.seconds_to_next_change is None  # paused: no ticks needed
    clock.advance(100)
    engine.resume()
    assert engine.seconds_to_next_change == pytest.approx(0.5)
    clock.advance(28)  # 0.5 s left
    assert engine.display_seconds == 1 and engine.seconds_to_next_change == pytest.approx(0.5)


def _recorded(tmp_path, routine, **kw):
    store = open_store(tmp_path / "data")
    clock, engine = _session(routine, **kw)
    recorder = SessionRecorder(store, routine, engine, STRETCHES, clock)
    return store, clock, engine, recorder


def test_session_document_matches_what_happened(tmp_path):
    routine = Routine("Evening", (RoutineItem("two-sided", reps=3, rest=10), RoutineItem("reps")))
    store, clock, engine, recorder = _recorded(tmp_path, routine)
    recorder.start(pain_before=4)
    doc = store.get_session(recorder.session_id)
    assert doc.status == "running" and doc.started == "2026-03-02T08:00:00+00:00" and doc.ended is None
    # left: 3 holds done (with two rests)
    for _ in range(5):
        clock.advance(engine.step.seconds)
        recorder.handle(engine.update())
    assert (engine.step.kind, engine.step.side) == ("switch", "right")
    assert store.get_session(recorder.session_id).items[0].done == {"left": 3, "right": 0}
    clock.advance(5)
    recorder.handle(engine.update())
    clock.advance(20)
    recorder.handle(engine.update())  # right rep 1 done -> rest
    recorder.handle(engine.skip())  # skip the rest (not work)
    recorder.handle(engine.skip())  # skip right rep 2
    clock.advance(3)
    recorder.stop("stopped", "user", counted=False)
    doc = store.get_session(recorder.session_id)
    assert doc.status == "stopped" and doc.stop_reason == "user" and doc.counted is False
    assert doc.ended == "2026-03-02T08:01:48+00:00"
    first, second = doc.items
    assert first.done == {"left": 3, "right": 1} and first.skipped == {"left": 0, "right": 1}
    assert (first.hold, first.reps, first.sides, first.rest) == (20, 3, "each", 10)
    assert second.done == {"both": 0} and second.name == "Pelvic Tilt"
    assert (doc.steps_done, doc.steps_skipped, doc.steps_total) == (4, 1, 9)
    assert doc.pain_before == 4 and doc.active_seconds == pytest.approx(108)
    recorder.set_summary(pain_before=4, pain_after=2, note="felt [bold]ok[/]")
    doc = store.get_session(recorder.session_id)
    assert (doc.pain_after, doc.note, doc.status) == (2, "felt [bold]ok[/]", "stopped")
    assert len(store.list_sessions()) == 1
    store.close()


def test_symptoms_stop_and_completed_status(tmp_path):
    routine = Routine("R", (RoutineItem("reps"),))
    store, clock, engine, recorder = _recorded(tmp_path, routine)
    recorder.start()
    clock.advance(5)
    recorder.handle(engine.update())
    recorder.handle(engine.symptoms())
    doc = store.get_session(recorder.session_id)
    assert (doc.status, doc.stop_reason, doc.steps_done) == ("symptoms", "symptoms", 1)

    clock2, engine2 = _session(routine)
    recorder2 = SessionRecorder(store, routine, engine2, STRETCHES, clock2)
    recorder2.start()
    clock2.advance(1000)
    recorder2.handle(engine2.update())
    doc = store.get_session(recorder2.session_id)
    assert doc.status == "completed" and doc.steps_done == 3 and doc.stop_reason is None
    store.close()


def test_interrupt_active_sessions_writes_interrupted_once(tmp_path):
    from stretchtui.core.domain import player

    player._ACTIVE.clear()
    routine = Routine("R", (RoutineItem("reps"),))
    store, clock, engine, recorder = _recorded(tmp_path, routine)
    recorder.start()
    clock.advance(4)
    recorder.handle(engine.update())
    assert interrupt_active_sessions("signal:SIGHUP") == 1
    assert interrupt_active_sessions("signal:SIGTERM") == 0
    doc = store.get_session(recorder.session_id)
    assert (doc.status, doc.stop_reason, doc.steps_done) == ("interrupted", "signal:SIGHUP", 1)
    store.close()


class _BrokenStore:
    def __init__(self):
        self.calls = 0

    def append_session(self, doc, *, session_id=None):
        self.calls += 1
        raise StoreReadOnly("nothing can be saved: the data folder /x is read-only.")

    def update_session(self, session_id, changes):
        self.append_session(changes)


def test_store_errors_do_not_stop_the_session_and_are_reported_once():
    routine = Routine("R", (RoutineItem("reps"),))
    clock, engine = _session(routine)
    messages: list[str] = []
    recorder = SessionRecorder(_BrokenStore(), routine, engine, STRETCHES, clock, on_error=messages.append)
    recorder.start()
    clock.advance(1000)
    recorder.handle(engine.update())
    assert engine.status == "completed"
    assert len(messages) == 1 and "read-only" in messages[0]
    assert len(recorder.errors) == 2


def test_counters_agree_steps_count_work_and_position_plus_left_is_the_length():
    """The top bar's "step n of N" counts what the summary counts; "left" + position = length."""
    routine = Routine("r", (RoutineItem("two-sided", hold=20, reps=1), RoutineItem("reps", hold=4, reps=3, rest=2)))
    clock = FakeClock()
    engine = PlayerEngine(build_timeline(routine, STRETCHES, get_ready=5, between=10), clock)
    engine.start()
    assert engine.work_total == engine.counts()["steps_total"] == 5
    assert engine.work_number == 1  # get-ready: the step about to come
    length = engine.planned_seconds
    seen = []
    while not engine.finished:
        seen.append(engine.work_number)
        assert engine.routine_position + engine.planned_left == pytest.approx(length)
        clock.advance(1)
        engine.update()
    assert sorted(set(seen)) == [1, 2, 3, 4, 5] and seen == sorted(seen)
    # after skips the position jumps with the plan, so the two still add up
    engine = PlayerEngine(build_timeline(routine, STRETCHES, get_ready=5, between=10), clock)
    engine.start()
    clock.advance(2)
    engine.update()
    engine.skip()
    engine.skip()
    assert engine.routine_position + engine.planned_left == pytest.approx(length)
    assert engine.routine_position == pytest.approx(5 + 20)
    engine.add_time()
    assert engine.routine_position + engine.planned_left == pytest.approx(length + 10)
