"""PlaySession: the questions of one guided session, in order, with their no-terminal defaults,
driven by a FakeClock (nothing sleeps); and the cues per ``cue_method``."""

from __future__ import annotations

import pytest

from stretchtui.core.clock import FakeClock
from stretchtui.core.domain import cues
from stretchtui.core.domain import red_flags as rf
from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.models import Profile, Routine, RoutineItem
from stretchtui.core.domain.play_session import (
    RESPONSE_KEYS,
    AdviceNotice,
    FlareQuestion,
    Given,
    PainQuestion,
    PlaySession,
    RedFlagQuestion,
    ResponseQuestion,
    SpreadingQuestion,
    StopQuestion,
    SummaryAnswer,
    SummaryQuestion,
)
from stretchtui.core.domain.session import RESPONSES
from stretchtui.core.storage.store import open_store

CAT = load_catalog()
TWO = Routine("Two", (RoutineItem("pelvic-tilt", hold=3, reps=1), RoutineItem("cat-cow", hold=5, reps=1)))


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "data") as opened:
        yield opened


def _session(store, routine=TWO, *, profile=None, clock=None, **kwargs) -> PlaySession:
    return PlaySession(routine, CAT.stretches, profile or Profile(), clock or FakeClock(), store,
                       flare_catalog=CAT, **kwargs)


def _defaults(session: PlaySession, clock: FakeClock) -> list[str]:
    """Answer every question with its default (no terminal) and run the clock; the kinds asked, in order."""
    asked: list[str] = []
    for _ in range(10_000):
        question = session.question
        if question is not None:
            asked.append(type(question).__name__)
            session.answer(question.default)
        elif session.running:
            clock.advance(1)
            session.update()
        else:
            return asked
    raise AssertionError("the session never ended")


def test_the_questions_come_in_order_with_their_defaults(store):
    clock = FakeClock()
    session = _session(store, clock=clock)
    assert [q.key for q in session.checklist] == ["emergency", "same-day"]  # no pregnancy group
    asked = _defaults(session, clock)
    assert asked == ["RedFlagQuestion", "RedFlagQuestion", "PainQuestion", "ResponseQuestion", "SummaryQuestion"]
    assert session.stage == "done"
    [doc] = store.list_sessions()
    assert doc.status == "completed" and doc.pain_before is None and doc.pain_after is None


def test_pregnancy_adds_its_own_group(store):
    session = _session(store, profile=Profile(conditions=("pregnancy",)))
    assert [q.key for q in session.checklist] == ["emergency", "same-day", "pregnancy"]


@pytest.mark.parametrize("group", [0, 1])
def test_a_yes_is_answered_with_that_groups_advice_only_and_nothing_starts(store, group):
    session = _session(store)
    for _ in range(group):
        session.answer(False)
    question = session.question
    assert isinstance(question, RedFlagQuestion)
    session.answer(True)
    advice = session.question
    assert isinstance(advice, AdviceNotice) and session.stage == "cancelled"
    chosen, other = (rf.EMERGENCY, rf.SAME_DAY) if group == 0 else (rf.SAME_DAY, rf.EMERGENCY)
    assert advice.paragraphs == question.advice == tuple(chosen.advice)  # that group's advice, and only it
    assert not set(other.advice) - set(chosen.advice) <= set(advice.paragraphs)
    session.answer(None)
    assert session.question is None and store.list_sessions() == []


def test_without_the_checklist_pain_comes_first_and_a_high_score_offers_the_flare_version(store):
    session = _session(store, checklist=False)
    assert isinstance(session.question, PainQuestion) and session.question.when == "before"
    session.answer(8)
    offer = session.question
    assert isinstance(offer, FlareQuestion) and "8/10" in offer.lines[0]
    assert offer.default == ("flare" if offer.available else "full")  # no terminal: the gentler choice
    session.answer(None)  # not now
    assert session.stage == "cancelled" and store.list_sessions() == []


def test_given_answers_are_the_defaults(store):
    clock = FakeClock()
    session = _session(store, clock=clock, checklist=False, given=Given(2, 1, "same"))
    assert session.question == PainQuestion("before", 2) and session.question.default == 2
    asked = _defaults(session, clock)
    assert asked == ["PainQuestion", "ResponseQuestion", "SummaryQuestion"]
    [doc] = store.list_sessions()
    assert (doc.pain_before, doc.pain_after) == (2, 1)
    assert [i.response for i in doc.items] == [None, "same"]  # the window one was not answered here


def test_how_it_felt_opens_once_per_stretch_and_spreading_asks_to_stop_or_go_on(store):
    clock = FakeClock()
    session = _session(store, clock=clock, checklist=False)
    session.answer(None)
    assert session.running
    opened: list[ResponseQuestion] = []
    while session.response_item is None:
        clock.advance(1)
        for event in session.update().steps:
            question = session.opened_response(event.index)
            if question is not None:
                opened.append(question)
    assert [q.name for q in opened] == ["Pelvic Tilt"]
    assert session.opened_response(session.engine.index) is None  # once only
    session.respond(opened[0].item, "spreading")
    asked = session.question
    assert isinstance(asked, SpreadingQuestion) and asked.default == "stop"
    assert session.engine.paused
    session.answer(None)  # not spreading after all: going on
    assert (session.engine.running, session.question) == (True, None)
    session.respond(opened[0].item, "spreading")
    session.answer("stop")
    notice = session.question
    assert isinstance(notice, AdviceNotice)
    assert notice.title == "Stopped: symptoms spreading after Pelvic Tilt"
    session.answer(None)
    assert isinstance(session.question, SummaryQuestion)
    session.answer(SummaryAnswer(None, 2, "calf tingling"))
    [doc] = store.list_sessions()
    assert doc.status == "symptoms" and doc.note == "Symptoms spread after Pelvic Tilt. calf tingling"


def test_stop_asks_count_or_not_and_keep_going_resumes(store):
    session = _session(store, checklist=False)
    session.answer(None)
    session.ask_stop()
    assert isinstance(session.question, StopQuestion) and session.engine.paused
    session.answer(StopQuestion().default)  # no answer: keep going
    assert session.engine.running
    session.ask_stop()
    session.answer("discard")
    assert isinstance(session.question, SummaryQuestion)
    session.answer(session.question.default)
    [doc] = store.list_sessions()
    assert doc.status == "stopped" and doc.counted is False


def test_an_interrupted_session_asks_nothing_more(store):
    session = _session(store, checklist=False)
    session.answer(None)
    session.interrupt("signal:SIGTERM")
    assert session.stage == "done" and session.question is None
    assert store.list_sessions()[0].status == "interrupted"


def test_response_keys_follow_responses():
    assert list(RESPONSE_KEYS.values()) == list(RESPONSES)
    assert list(RESPONSE_KEYS) == [str(n) for n in range(1, len(RESPONSES) + 1)]


# ---------------------------------------------------------------- cues per cue_method


def _whole_session_cues(store, method: str, environ: dict[str, str]) -> dict[str, int]:
    clock = FakeClock()
    profile = Profile(tick=True)
    session = PlaySession(TWO, CAT.stretches, profile, clock, store, flare_catalog=CAT, checklist=False,
                          cue_method=method, environ=environ)
    sent = [session.answer(None).cue]
    while session.running:
        clock.advance(1)
        sent.append(session.update().cue)
        sent.append(session.second_cue())
    text = "".join(sent)
    return {"bells": text.count("\a") - text.count("\x1b]"), "osc9": text.count("\x1b]9;"),
            "osc777": text.count("\x1b]777;")}


@pytest.mark.parametrize(
    ("method", "osc9", "osc777"),
    [("osc9", True, False), ("osc777", False, True), ("both", True, True), ("auto", False, True)],
)
def test_each_cue_method_sends_its_notifications(store, method, osc9, osc777):
    # auto recognises the terminal: a VTE terminal gets OSC 777 only
    counted = _whole_session_cues(store, method, {"VTE_VERSION": "7600", "TERM": "xterm-256color"})
    assert counted["bells"] > 0
    assert (counted["osc9"] > 0) == osc9 and (counted["osc777"] > 0) == osc777


def test_cue_method_none_sends_no_bell_no_tick_and_no_notification(store):
    assert _whole_session_cues(store, "none", {}) == {"bells": 0, "osc9": 0, "osc777": 0}


def test_titles_are_the_full_screen_players_only():
    steps = PlaySession(TWO, CAT.stretches, Profile(), FakeClock(), None, checklist=False).engine.steps
    plain = cues.SessionCues.for_session(steps, Profile())
    assert plain.on_start() == "" and plain.title(0, 5) == "" and plain.on_close() == ""
    full = cues.SessionCues.for_session(steps, Profile(), titles=True)
    assert full.on_start() == "\x1b[22;0t" and "5 Get ready: Pelvic Tilt" in full.title(0, 5)
    assert full.on_close().endswith("\x1b[23;0t") and full.on_close() == ""  # given back once


@pytest.mark.parametrize(("method", "rings"), [("none", False), ("osc777", True)])
def test_plain_mode_honours_cue_method(tmp_path, monkeypatch, method, rings):
    """``play --plain`` on a terminal writes the session's cues, and none with ``cue_method = "none"``."""
    import io

    from stretchtui.commands import play_cmd

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    clock = FakeClock()
    monkeypatch.setattr(play_cmd.time, "sleep", lambda seconds: clock.advance(1))
    out = Terminal()
    with open_store(tmp_path / "data") as opened:
        code = play_cmd.run_plain(TWO, opened, CAT, clock, Profile(), checklist=False, respond="same", pain=(2, 1),
                                  cue_method=method, stdin=io.StringIO(), stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert code == 0 and "Session complete" in text
    bells = text.count("\a") - text.count("\x1b]")  # each OSC sequence ends with a BEL of its own
    assert (bells > 0) == rings and ("\x1b]777;" in text) == rings and "\x1b]9;" not in text


def test_both_players_show_the_caution_of_a_stretch_for_the_profile(tmp_path, monkeypatch):
    """Cat-cow with osteoporosis: the caution's instruction is said during it (plain: at its get-ready)."""
    import io

    from stretchtui.commands import play_cmd

    osteoporosis = Profile(conditions=("osteoporosis",))
    routine = Routine("Cat", (RoutineItem("cat-cow", reps=1),))
    session = PlaySession(routine, CAT.stretches, osteoporosis, FakeClock(), None, checklist=False)
    caution = session.caution(session.engine.steps[0])
    assert caution and "rounding" in caution
    assert PlaySession(routine, CAT.stretches, Profile(), FakeClock(), None, checklist=False).caution(
        session.engine.steps[0]) is None  # no condition: nothing to say
    clock = FakeClock()
    monkeypatch.setattr(play_cmd.time, "sleep", lambda seconds: clock.advance(5))
    out = io.StringIO()
    with open_store(tmp_path / "data") as opened:
        play_cmd.run_plain(routine, opened, CAT, clock, osteoporosis, checklist=False, respond="same", pain=(2, 2),
                           stdin=io.StringIO(), stdout=out, stderr=io.StringIO())
    assert f"Caution: {caution}" in out.getvalue()
