"""The guided player at 80x24, driven by a FakeClock: ticks are called directly, nothing sleeps."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Label

from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.ui.screens.checklist import AdviceScreen, ChecklistScreen
from stretchtui.ui.screens.player import PlayerScreen, StopDialog
from stretchtui.ui.screens.session_summary import SessionSummaryScreen
from stretchtui.ui.widgets.countdown import BigDigits, Scale, render_big

ROUTINE = Routine(
    "Evening [b]unwind[/b]",
    (RoutineItem("knee-to-chest", hold=20, reps=1, sides="each"), RoutineItem("pelvic-tilt")),
)


def _app(make_test_app, *, checklist=False, sink=None):
    app = make_test_app(play=ROUTINE)
    app.player_options = {
        "checklist": checklist,
        "cue_sink": (sink.append if sink is not None else (lambda s: None)),
        "tick_interval": 3600,  # the test ticks by hand
    }
    return app


def _player(app) -> PlayerScreen:
    for screen in app.screen_stack:
        if isinstance(screen, PlayerScreen):
            return screen
    raise AssertionError(f"no player in {app.screen_stack}")


def _big(app, seconds: str) -> list[str]:
    """The rows of ``seconds`` in big digits at the size the player draws them now."""
    digits = app.screen.query_one(BigDigits)
    assert digits.text == seconds, (digits.text, seconds)
    return [line for line in render_big(seconds, digits.scale) if line.strip()]


async def test_player_shows_the_step_and_counts_down(make_test_app, fake_clock, screen_text):
    sink: list[str] = []
    app = _app(make_test_app, sink=sink)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = _player(app)
        text = await screen_text(pilot)
        assert "Evening [b]unwind[/b]" in text  # user text shown literally
        assert "Knee to Chest" in text and "GET READY" in text
        assert "Get ready: lie on your back, left side first" in text
        assert all(line.strip() in text for line in _big(app, "5"))

        fake_clock.advance(5)
        player.tick()
        text = await screen_text(pilot)
        assert "HOLD" in text and "left side" in text and "Hold the stretch" in text
        assert all(line.strip() in text for line in _big(app, "20"))
        fake_clock.advance(1)
        player.tick()
        text = await screen_text(pilot)
        assert all(line.strip() in text for line in _big(app, "19"))

        # cues: a bell at the phase change, and a window title with the step
        # (OSC sequences, titles and notifications, end in a BEL too: the bell is one outside them)
        assert "\a" in re.sub(r"\x1b\][^\a]*\a", "", "".join(sink))
        assert any(seq.startswith("\x1b]2;") and "Knee to Chest" in seq for seq in sink)

        # last three seconds: the digits change colour
        fake_clock.advance(16)
        player.tick()
        assert app.screen.query_one(BigDigits).has_class("-final")

        # the switch to the right side comes with a notification cue
        fake_clock.advance(3)
        player.tick()
        assert player.engine.step.kind == "switch"
        assert any("]777;notify;stretchtui;Switch sides: Knee to Chest, right side" in s for s in sink)


async def test_pause_stops_the_countdown(make_test_app, fake_clock, screen_text):
    app = _app(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = _player(app)
        await pilot.press("space")
        assert player.engine.paused
        assert "PAUSED" in await screen_text(pilot)
        fake_clock.advance(60)
        player.tick()
        assert player.engine.display_seconds == 5 and player.engine.index == 0
        await pilot.press("space")
        fake_clock.advance(2)
        player.tick()
        assert player.engine.display_seconds == 3
        # skip and back move one step each
        await pilot.press("s")
        assert player.engine.index == 1
        await pilot.press("b")
        assert player.engine.index == 0
        await pilot.press("plus")
        assert player.engine.display_seconds == 15


async def test_symptoms_key_shows_advice_and_records(make_test_app, fake_clock, screen_text):
    app = _app(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = _player(app)
        fake_clock.advance(5 + 20)
        player.tick()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, AdviceScreen)
        text = await screen_text(pilot)
        assert "symptoms spreading" in text.lower() and "emergency" in text.lower()
        doc = app.store.list_sessions()[-1]
        assert (doc.status, doc.stop_reason) == ("symptoms", "symptoms")
        assert doc.items[0].done == {"left": 1, "right": 0}
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionSummaryScreen)
        await pilot.press("6", "enter")  # Enter moves on to the note
        await pilot.press(*"calf tingling")
        await pilot.press("enter")
        await pilot.pause()
        assert not any(isinstance(s, PlayerScreen) for s in app.screen_stack)
    [doc] = app.store.list_sessions()
    assert (doc.status, doc.pain_after, doc.note) == ("symptoms", 6, "calf tingling")


async def test_stop_asks_whether_the_session_counts(make_test_app, fake_clock):
    app = _app(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = _player(app)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, StopDialog) and player.engine.paused
        await pilot.press("escape")  # keep going
        await pilot.pause()
        assert player.engine.running
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, SessionSummaryScreen)
    [doc] = app.store.list_sessions()
    assert (doc.status, doc.counted, doc.stop_reason) == ("stopped", False, "user")


async def test_checklist_then_a_completed_session(make_test_app, fake_clock):
    app = _app(make_test_app, checklist=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)
        assert app.store.list_sessions() == []  # nothing recorded before the user starts
        await pilot.press("3", "enter")  # the pain field has focus; Enter starts
        await pilot.pause()
        player = _player(app)
        assert player.engine is not None and player.engine.state in ("running", "paused")
        fake_clock.advance(10_000)
        player.tick()
        await pilot.pause()
        await pilot.press("escape")  # how the last stretch felt: not answered
        await pilot.pause()
        assert isinstance(app.screen, SessionSummaryScreen)
        await pilot.press("escape")
        await pilot.pause()
    [doc] = app.store.list_sessions()
    assert doc.status == "completed" and doc.steps_done == doc.steps_total > 0
    assert doc.pain_before == 3


async def test_quitting_mid_session_leaves_an_interrupted_record(make_test_app, fake_clock):
    app = _app(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        fake_clock.advance(7)
        _player(app).tick()
        await app.action_quit()
        await pilot.pause()
    [doc] = app.store.list_sessions()
    assert doc.status == "interrupted" and doc.steps_done == 0 and doc.ended


async def test_the_screen_wakes_when_the_digits_change_not_on_a_polling_timer(make_test_app, fake_clock):
    """By default the player sleeps until the shown second changes (low CPU), re-aligned after every control."""
    app = make_test_app(play=ROUTINE)
    app.player_options = {"checklist": False, "cue_sink": lambda s: None}  # no tick_interval: tick on the second
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = _player(app)
        late = pytest.approx(1.0, abs=0.05)
        assert player.tick_delay == late  # 5.0 s of get-ready left: the digits change in a second
        fake_clock.advance(0.7)
        player.tick()
        assert player.tick_delay == pytest.approx(0.3, abs=0.05)  # not 1 s: lands on the change
        await pilot.press("space")
        assert player.engine.paused and player.tick_delay is None  # paused: nothing wakes the screen
        await pilot.press("space")
        assert player.tick_delay == pytest.approx(0.3, abs=0.05)
        await pilot.press("s")  # a new step starts on a whole second
        assert player.engine.step.kind == "hold" and player.tick_delay == late
        fake_clock.advance(2.6)
        player.tick()
        await pilot.press("plus")  # +10 s keeps the fraction of a second
        assert player.engine.display_seconds == 28 and player.tick_delay == pytest.approx(0.4, abs=0.05)
        await pilot.press("q", "d")  # stop, don't count
        await pilot.pause()
        assert player.tick_delay is None


async def test_a_whole_morning_stiffness_session_cues_only_stretches_switches_and_the_end(make_test_app, fake_clock, real_catalog):
    """A 10-minute session used to send 78 bells and 78 notifications; now 9 of each kind."""
    from stretchtui.core.domain import cues

    starter = next(r for r in real_catalog.starters if r.name == "Morning stiffness")
    sink: list[str] = []
    app = make_test_app(play=starter)
    app.player_options = {"checklist": False, "cue_sink": sink.append, "tick_interval": 3600}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = _player(app)
        while not player.engine.finished:
            fake_clock.advance(1)
            player.tick()
        await pilot.pause()
        await pilot.press("escape")  # how the last stretch felt: not answered
        await pilot.pause()
        assert isinstance(app.screen, SessionSummaryScreen)
    counted = cues.SessionCues([]).count(sink)
    flavours = len(cues.notification_flavours())
    assert counted == {"bells": 9, "notifications": 9 * flavours}
    notes = "".join(sink)
    assert notes.count("Switch sides: Knee to Chest, right side") == flavours
    assert "Session complete: Morning stiffness" in notes


async def test_labels_use_one_counting_convention(make_test_app, fake_clock, screen_text):
    """Digits count down; the bars' labels count up; "step n of N" counts what the summary counts."""
    app = _app(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = _player(app)
        fake_clock.advance(5 + 7)  # 7 s into the 20 s hold
        player.tick()
        await pilot.pause()
        text = await screen_text(pilot)
        total = player.engine.counts()["steps_total"]
        assert f"step 1 of {total}" in text
        assert "0:07 / 0:20" in text  # the Step label counts up, like its bar
        assert all(line.strip() in text for line in _big(app, "13"))  # the digits count down
        await pilot.press("s", "s")  # skip the rest of the hold and the switch
        await pilot.pause()
        text = await screen_text(pilot)
        length = player.engine.planned_seconds
        position, left = player.engine.routine_position, player.engine.planned_left
        assert round(position) + round(left) == length
        import math

        from stretchtui.core.domain.timeline import format_duration

        assert f"{math.ceil(round(left) / 60)} min left" in text  # whole minutes in the top bar
        assert f"{format_duration(position)} / {format_duration(length)}" in text
        assert f"step 2 of {total}" in text


async def test_ctrl_q_pauses_the_session_while_it_asks(make_test_app, fake_clock, screen_text):
    from stretchtui.ui.screens.dialogs import ConfirmDialog

    app = _app(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = _player(app)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog) and player.engine.paused
        text = await screen_text(pilot)
        assert "The session is paused" in text
        footer = text.splitlines()[-1]
        assert "esc Cancel" in footer  # the dialog's own keys; y and n are on its buttons
        assert "Quit (y)" in text and "Stay (n)" in text
        assert "Skip" not in text.splitlines()[-1]
        fake_clock.advance(30)
        player.tick()
        assert player.engine.index == 0 and player.engine.display_seconds == 5  # time stood still
        await pilot.press("n")
        await pilot.pause()
        assert player.engine.running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    [doc] = app.store.list_sessions()
    assert doc.status == "interrupted"


async def test_dialog_footers_show_their_own_keys(make_test_app, screen_text):
    """The checklist's footer used to show only "^p palette", the dosage dialog's the builder's keys."""
    app = _app(make_test_app, checklist=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)
        footer = (await screen_text(pilot)).splitlines()[-1]
        assert "Cancel" in footer and "Start" in footer
        assert "Skip" not in footer and "Pause" not in footer


async def test_a_new_steps_bar_starts_empty_at_once(make_test_app, fake_clock):
    """The step bar never glides down from the last step's full bar while its label already reads 0:00."""
    from stretchtui.ui.widgets.countdown import EasedBar

    app = make_test_app(play=ROUTINE, player_options={"checklist": False, "cue_sink": lambda s: None,
                                                      "tick_interval": 3600})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = _player(app)
        bar = app.screen.query_one("#player-step-bar", EasedBar)
        fake_clock.advance(4.5)  # near the end of the get-ready: the bar nearly full
        player.tick()
        await pilot.pause()
        fake_clock.advance(0.5)  # the hold begins
        player.tick()
        assert player.engine.step.kind == "hold"
        assert bar.value == 0.0 and not bar.gliding


async def test_no_stale_next_line_after_a_symptom_stop(make_test_app, fake_clock, screen_text):
    app = make_test_app(play=ROUTINE, player_options={"checklist": False, "cue_sink": lambda s: None,
                                                      "tick_interval": 3600})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Next: Knee to Chest" in await screen_text(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, AdviceScreen)
        await pilot.press("enter")  # the advice read: the player behind the summary
        await pilot.pause()
        player = _player(app)
        assert str(player.query_one("#player-next", Label).render()) == ""


@pytest.mark.parametrize("size", [(60, 22), (80, 24), (120, 40)])
async def test_asking_how_it_felt_keeps_the_digits_of_a_plain_rest(make_test_app, fake_clock, size):
    """While "How did X feel?" shows (a rest, the next get-ready) the digits are no smaller than on a
    rest without it, at every size from 60x22 up."""
    routine = Routine("Two", (RoutineItem("knee-to-chest", hold=20, reps=1), RoutineItem("cat-cow", reps=2, rest=10)))
    app = make_test_app(play=routine, player_options={"checklist": False, "cue_sink": lambda s: None,
                                                      "tick_interval": 3600})
    scales: dict[str, Scale] = {}
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        player = _player(app)
        for name, wanted in (("asking", lambda s: s.kind == "get-ready" and s.item == 1),
                             ("rest", lambda s: s.kind == "rest" and s.item == 1)):
            while not wanted(player.engine.step):
                fake_clock.advance(1)
                player.tick()
            await pilot.pause()
            assert player.has_class("-asking") == (name == "asking")
            scales[name] = app.screen.query_one(BigDigits).scale
    # the digits as tall while asking as on a plain rest (the same font; its rows drawn in as many half rows)
    assert scales["asking"].font == scales["rest"].font
    assert scales["asking"].halves >= scales["rest"].halves > 0, scales


@pytest.mark.parametrize(("method", "rings"), [("none", False), ("osc9", True)])
async def test_the_full_screen_player_honours_cue_method(data_dir, real_catalog, fake_clock, method, rings):
    from stretchtui.core.storage.config import Settings
    from stretchtui.core.storage.store import open_store
    from stretchtui.ui.app import make_app

    sink: list[str] = []
    with open_store(data_dir) as store:
        app = make_app(store, real_catalog, fake_clock, show_notice=False, play=ROUTINE,
                       settings=Settings(cue_method=method),
                       player_options={"checklist": False, "cue_sink": sink.append, "tick_interval": 3600})
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            player = _player(app)
            for _ in range(40):
                fake_clock.advance(1)
                player.tick()
            await pilot.pause()
        app.writer.wait(30)
    sent = "".join(sink)
    bells = sent.count("\a") - sent.count("\x1b]")  # each OSC sequence ends with a BEL of its own
    assert (bells > 0) == rings
    assert ("\x1b]9;" in sent) == rings and "\x1b]777;" not in sent
    assert "\x1b]2;" in sent  # the window title is not a sound: it stays


async def test_the_caution_for_the_profile_shows_during_the_stretch(make_test_app, fake_clock, screen_text):
    from stretchtui.core.domain.models import Profile

    app = make_test_app(play=Routine("Cat", (RoutineItem("cat-cow", reps=1),)),
                        player_options={"checklist": False, "cue_sink": lambda s: None, "tick_interval": 3600})
    app.profile = Profile(conditions=("osteoporosis",))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = _player(app)
        fake_clock.advance(5)  # past the get-ready: the caution stays while the stretch is done
        player.tick()
        await pilot.pause()
        assert player.engine.step.is_work
        assert "Caution: Osteoporosis: leave the rounding out" in await screen_text(pilot)


async def test_skipping_past_the_last_step_ends_with_the_questions_of_the_end(make_test_app, fake_clock):
    app = make_test_app(play=ROUTINE, player_options={"checklist": False, "cue_sink": lambda s: None,
                                                      "tick_interval": 3600})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = _player(app)
        while player.session_active:
            await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SessionSummaryScreen)  # every step skipped: nothing to ask how it felt
        assert len(app.screen_stack) == 3  # the catalog, the player and one summary (asked once)
