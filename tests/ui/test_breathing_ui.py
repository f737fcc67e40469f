"""The breathing cue under the player's figure: "breathe in · arch" with a bar
that fills while breathing in and empties while breathing out, paced by the
figure's own frames; hidden in holds, with still figures and where the
catalog gives no breathing."""

from __future__ import annotations

from dataclasses import replace

import pytest

from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.models import Breathing, Routine, RoutineItem
from stretchtui.ui.screens.player import PlayerScreen
from stretchtui.ui.widgets.breathing import BreathCue, breath_state, breath_text
from stretchtui.ui.widgets.figure import FigureView

ROUTINE = Routine("Breathing", (RoutineItem("cat-cow", hold=10, reps=2), RoutineItem("sphinx", hold=20, reps=1),
                                RoutineItem("ankle-pumps", hold=2, reps=5)))
CAT_COW = Breathing(first="in", inhale="arch", exhale="round")


def test_the_bar_fills_breathing_in_and_empties_breathing_out():
    assert breath_state(CAT_COW, 0.0, True) == ("in", 0.0)
    assert breath_state(CAT_COW, 0.5, True) == ("in", 0.5)
    assert breath_state(CAT_COW, 1.0, False) == ("out", 1.0)
    assert breath_state(CAT_COW, 0.25, False) == ("out", 0.25)
    bridge = Breathing(first="out", inhale="lower", exhale="lift")  # full lungs lying down
    assert breath_state(bridge, 0.0, True) == ("out", 1.0)
    assert breath_state(bridge, 1.0, False) == ("in", 0.0)
    half = breath_text(CAT_COW, "in", 0.5, 40)
    assert half.startswith("breathe in · arch") and len(half) == 40
    assert half.count("█") == pytest.approx((40 - 20 - 2) / 2, abs=1)
    # the ends of the bar are drawn, so its length reads without colour (NO_COLOR)
    assert "▕" in half and half.endswith("▏")
    assert breath_text(CAT_COW, "out", 0.0, 40).startswith("breathe out · round")
    # narrower: "breathe" goes before the bar does, and the bar before any word is cut
    assert breath_text(CAT_COW, "out", 0.5, 24).startswith("out · round ▕")
    assert breath_text(CAT_COW, "out", 0.5, 16) == "out · round".ljust(16)  # no room for a bar: the words, whole
    # the trial's cut at 80x24 (29 columns): "breathe out · flatten the bac"
    tilt = next(s for s in load_catalog().stretches.values() if s.breathing and s.breathing.exhale == "flatten the back")
    assert breath_text(tilt.breathing, "out", 0.5, 29) == "out · flatten the back".ljust(29)  # whole
    row = breath_text(tilt.breathing, "out", 0.5, 33)  # the bar as soon as there is room for one
    assert row.startswith("out · flatten the back ") and "▕" in row and row.endswith("▏")


def _app(make_test_app, **profile_changes):
    app = make_test_app(play=ROUTINE)
    if profile_changes:
        app.store.set_profile(replace(app.store.get_profile(), **profile_changes))
        app = make_test_app(play=ROUTINE)
    app.player_options = {"checklist": False, "cue_sink": lambda s: None, "tick_interval": 3600}
    return app


async def _until(pilot, clock, screen, kind: str, stretch: str) -> None:
    for _ in range(300):
        if screen.engine.step.kind == kind and screen.engine.step.stretch_id == stretch:
            return
        clock.advance(0.5)
        screen.tick()
        await pilot.pause()
    raise AssertionError(f"never reached {kind} of {stretch}")


def _screen(app) -> PlayerScreen:
    return next(s for s in app.screen_stack if isinstance(s, PlayerScreen))


async def test_cat_cow_reps_pace_the_breath_with_the_figure(make_test_app, fake_clock):
    app = _app(make_test_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        cue = screen.query_one("#player-breath", BreathCue)
        fig = screen.query_one("#player-figure", FigureView)
        assert not cue.shown and cue.text == ""  # get-ready: no breathing cue yet
        await _until(pilot, fake_clock, screen, "rep", "cat-cow")
        await pilot.pause()
        assert cue.shown and cue.region.height == 1
        seen = []
        start = screen.engine.step_elapsed
        while screen.engine.step_elapsed - start < 9.5 and fig._ticker is not None:
            fake_clock.advance(fig._ticker._interval)
            fig._frame()
            seen.append((cue.breath, cue.fullness))
        ins = [f for b, f in seen if b == "in"]
        outs = [f for b, f in seen if b == "out"]
        # first half: breathe in while arching (the bar fills), then out while rounding (it empties)
        assert ins and outs and seen[0][0] == "in" and seen[-1][0] == "out"
        assert ins == sorted(ins) and outs == sorted(outs, reverse=True)
        assert max(ins) == 1.0 and min(outs) < 0.2
        assert "breathe out · round" in cue.text
        # the sphinx hold: the cue is gone
        await _until(pilot, fake_clock, screen, "hold", "sphinx")
        await pilot.pause()
        assert not cue.shown
        # ankle pumps move, but the catalog says "breathe normally": no paced cue
        await _until(pilot, fake_clock, screen, "rep", "ankle-pumps")
        await pilot.pause()
        assert not cue.shown


async def test_still_figures_show_no_breathing_bar(make_test_app, fake_clock):
    app = _app(make_test_app, still_figures=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        await _until(pilot, fake_clock, screen, "rep", "cat-cow")
        await pilot.pause()
        assert not screen.query_one("#player-breath", BreathCue).shown


async def test_pausing_stops_the_figure_frames(make_test_app, fake_clock):
    app = _app(make_test_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        fig = screen.query_one("#player-figure", FigureView)
        await _until(pilot, fake_clock, screen, "rep", "cat-cow")
        assert fig.animating
        await pilot.press("space")
        await pilot.pause()
        assert screen.engine.paused and not fig.animating
        await pilot.press("space")
        await pilot.pause()
        assert fig.animating
