"""Per-stretch responses in the engine and recorder: when the prompt is open, what is stored,
"spreading" (skip that stretch or stop), all on a FakeClock."""

from __future__ import annotations

import pytest

from stretchtui.core.clock import FakeClock
from stretchtui.core.domain.models import Dosage, Range, Routine, RoutineItem, Stretch
from stretchtui.core.domain.player import PlayerEngine, SessionRecorder
from stretchtui.core.domain.session import Session
from stretchtui.core.domain.timeline import build_timeline
from stretchtui.core.storage.store import open_store


def _stretch(sid: str, name: str, mode: str, sides: str, hold: int, reps: int, rest: int) -> Stretch:
    return Stretch(
        id=sid, name=name, summary="", aliases=(), regions=("lower-back",), movements=("lumbar-flexion",),
        position="supine", dosage=Dosage(mode, Range(1, hold, 600), Range(1, reps, 10), sides, rest),
        steps=("Do it.",), cues=(), helps=(), cautions=(), source=(), figure=(),
    )


STRETCHES = {
    "two-sided": _stretch("two-sided", "Two Sided", "hold", "each", 20, 1, 0),
    "reps": _stretch("reps", "Pelvic Tilt", "reps", "none", 4, 3, 2),
}

# two-sided: 20 s hold each side (+5 s switch); reps: 3 x 4 s with 2 s rests
ROUTINE = Routine("R", (RoutineItem("two-sided"), RoutineItem("reps"), RoutineItem("two-sided")))


def _recorded(tmp_path, routine=ROUTINE, *, get_ready=5, between=10):
    store = open_store(tmp_path / "data")
    clock = FakeClock()
    engine = PlayerEngine(build_timeline(routine, STRETCHES, get_ready=get_ready, between=between), clock)
    return store, clock, engine, SessionRecorder(store, routine, engine, STRETCHES, clock)


def _run_to(clock, recorder, engine, kind, item):
    """Let time run until the step of ``kind`` for routine item ``item`` begins."""
    for _ in range(100):
        if engine.step.kind == kind and engine.step.item == item:
            return
        clock.advance(engine.seconds_left)
        recorder.handle(engine.update())
    raise AssertionError("never reached")


def test_the_prompt_opens_after_the_last_rep_and_side_and_closes_at_the_next_work_step(tmp_path):
    store, clock, engine, recorder = _recorded(tmp_path)
    recorder.start()
    seen = []
    while not engine.finished:
        seen.append((engine.step.kind, engine.step.item, engine.step.side, engine.response_item))
        clock.advance(engine.seconds_left)
        recorder.handle(engine.update())
    # not during the stretch, its switch or the rests between its reps
    assert ("switch", 0, "right", None) in seen and ("rest", 1, None, None) in seen
    # open in the rest between items and the next get-ready, for the item just finished
    assert ("rest", 0, None, 0) in seen and ("get-ready", 1, None, 0) in seen
    assert ("rest", 1, None, 1) in seen and ("get-ready", 2, "left", 1) in seen
    # closed again once the next stretch is under way; the first get-ready asks nothing
    assert ("hold", 1, None, None) not in seen and ("rep", 1, None, None) in seen
    assert seen[0] == ("get-ready", 0, "left", None)
    assert engine.response_item is None  # over: nothing to ask in the player
    store.close()


def test_a_stretch_skipped_whole_is_not_asked_about(tmp_path):
    store, clock, engine, recorder = _recorded(tmp_path)
    recorder.start()
    _run_to(clock, recorder, engine, "hold", 0)
    while engine.step.item == 0 and engine.step.kind != "rest":
        recorder.handle(engine.skip())
    assert engine.step.kind == "rest" and engine.response_item is None
    store.close()


def test_a_response_is_stored_on_its_item_and_can_be_changed(tmp_path):
    store, clock, engine, recorder = _recorded(tmp_path)
    recorder.start()
    _run_to(clock, recorder, engine, "rest", 0)
    recorder.respond(engine.response_item, "worse")
    recorder.respond(0, "better")  # changed within the rest
    clock.advance(10_000)
    recorder.handle(engine.update())
    doc = store.get_session(recorder.session_id)
    assert [i.response for i in doc.items] == ["better", None, None]  # no answer: none
    assert Session.from_doc(doc.to_doc()) == doc  # written and read back the same
    with pytest.raises(ValueError):
        recorder.respond(0, "fine")
    with pytest.raises(ValueError):
        recorder.respond(7, "same")
    store.close()


def test_spreading_then_skip_leaves_that_stretch_out_for_the_rest_of_the_session(tmp_path):
    store, clock, engine, recorder = _recorded(tmp_path)
    recorder.start()
    _run_to(clock, recorder, engine, "rest", 0)
    recorder.skip_stretch(0)
    while not engine.finished:
        clock.advance(engine.seconds_left)
        events = engine.update()
        recorder.handle(events)
        assert engine.finished or engine.step.stretch_id != "two-sided" or engine.step.item == 0
    doc = store.get_session(recorder.session_id)
    assert doc.status == "completed"
    assert [i.response for i in doc.items] == ["spreading", None, None]
    assert doc.items[1].done == {"both": 3}
    assert doc.items[2].done == {"left": 0, "right": 0}
    assert doc.items[2].skipped == {"left": 1, "right": 1}
    store.close()


def test_spreading_then_stop_is_a_symptom_stop_naming_the_stretch(tmp_path):
    store, clock, engine, recorder = _recorded(tmp_path)
    recorder.start()
    _run_to(clock, recorder, engine, "get-ready", 2)
    assert engine.response_item == 1
    recorder.spreading_stop(1)
    doc = store.get_session(recorder.session_id)
    assert (doc.status, doc.stop_reason) == ("symptoms", "symptoms") and doc.ended
    assert doc.note == "Symptoms spread after Pelvic Tilt."
    assert doc.items[1].response == "spreading"
    recorder.set_summary(pain_before=3, pain_after=4, note="left calf tingling")
    assert store.get_session(recorder.session_id).note == "Symptoms spread after Pelvic Tilt. left calf tingling"
    store.close()


def test_back_never_returns_into_a_stretch_left_out():
    routine = Routine("R", (RoutineItem("reps"), RoutineItem("two-sided")))
    clock = FakeClock()
    engine = PlayerEngine(build_timeline(routine, STRETCHES, get_ready=0, between=0), clock)
    engine.start()
    engine.exclude_stretch("reps")
    engine.back()
    assert engine.index == 0  # the first step restarts, as before
    while engine.step.item == 0:
        engine.skip()
    engine.back()
    assert engine.step.item == 1  # the item left out is not run again
