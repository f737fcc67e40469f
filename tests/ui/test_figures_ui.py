"""Figures in the app: the catalog details pane draws the stretch's start and
end positions in braille (ASCII with the profile setting), and the Library's
``h`` key writes the printable handout."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from textual.widgets import Input

from stretchtui.core.domain.pose import load_poses
from stretchtui.ui.screens.catalog import CatalogScreen
from stretchtui.ui.screens.dialogs import ConfirmDialog
from stretchtui.ui.screens.path_dialog import PathDialog
from stretchtui.ui.widgets.stretch_detail import StretchDetail

BRAILLE = range(0x2801, 0x2900)


def _detail_text(screen) -> str:
    return str(screen.query_one("#catalog-detail", StretchDetail).render())


async def _show(pilot, sid: str) -> str:
    screen = pilot.app.screen
    assert isinstance(screen, CatalogScreen)
    screen.stretch_list.highlighted = screen.visible_ids().index(sid)
    await pilot.pause()
    return _detail_text(screen)


async def test_details_pane_draws_start_and_end_in_braille(make_test_app):
    app = make_test_app()
    pose = load_poses().get("cat-cow")
    async with app.run_test(size=(80, 24)) as pilot:
        text = await _show(pilot, "cat-cow")
        lines = text.splitlines()
        drawn = [line for line in lines if any(ord(ch) in BRAILLE for ch in line)]
        assert len(drawn) >= 4
        assert "⇄" in text or "⇅" in text  # a moving stretch goes back and forth
        assert pose.start.label[:12] in text and pose.end.label[:12] in text
        # the figure fits the pane
        assert max(len(line) for line in drawn) <= screen_width(app)

        held = await _show(pilot, "sphinx")
        assert ("→" in held or "↓" in held) and any(ord(ch) in BRAILLE for ch in held)


async def test_a_lying_figure_is_stacked_rather_than_squeezed_into_a_few_rows(make_test_app):
    """At 80x24 a lying figure side by side was 2-4 rows with cut labels: now start above end,
    each the pane's width and at least MIN_FIGURE_ROWS rows, or none at all."""
    from stretchtui.ui.widgets.figure import MIN_FIGURE_ROWS

    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        text = await _show(pilot, "knee-to-chest")
        lines = text.splitlines()
        drawn = [i for i, line in enumerate(lines) if any(ord(ch) in BRAILLE for ch in line)]
        runs, run = [], [drawn[0]]
        for i in drawn[1:]:
            if i == run[-1] + 1:
                run.append(i)
            else:
                runs.append(run)
                run = [i]
        runs.append(run)
        assert all(len(r) >= MIN_FIGURE_ROWS - 1 for r in runs), [len(r) for r in runs]
        pose = load_poses().get("knee-to-chest")
        assert pose.start.label in text and pose.end.label in text, "whole captions"


def screen_width(app) -> int:
    return app.screen.query_one("#catalog-detail", StretchDetail).content_size.width


async def test_figure_grows_with_the_terminal(make_test_app):
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        small = [ln for ln in (await _show(pilot, "cat-cow")).splitlines() if any(ord(c) in BRAILLE for c in ln)]
    app = make_test_app()
    async with app.run_test(size=(160, 50)) as pilot:
        big = [ln for ln in (await _show(pilot, "cat-cow")).splitlines() if any(ord(c) in BRAILLE for c in ln)]
    assert len(big) > len(small)
    assert max(len(ln.rstrip()) for ln in big) > max(len(ln.rstrip()) for ln in small)


async def test_ascii_setting_draws_without_braille(make_test_app):
    app = make_test_app()
    app.store.set_profile(replace(app.store.get_profile(), ascii_figures=True))
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.profile.ascii_figures
        text = await _show(pilot, "neck-side-tilt")
        assert not any(ord(ch) in BRAILLE for ch in text)
        assert "O" in text and "->" in text


async def test_library_h_writes_the_handout(make_test_app, tmp_path):
    app = make_test_app()
    target = tmp_path / "sheet.html"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        screen = app.screen
        screen.select_routine("Morning stiffness")
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, PathDialog)
        field = app.screen.query_one(Input)
        assert field.value == "morning-stiffness.html"
        field.value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        text = target.read_text(encoding="utf-8")
        assert "<h1>Morning stiffness</h1>" in text
        parser = HTMLParser()
        parser.feed(text)
        assert any("Handout written" in n.message for n in app._notifications)

        # an existing file is only replaced after confirming
        target.write_text("old", encoding="utf-8")
        await pilot.press("h")
        await pilot.pause()
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == "old"


# ------------------------------------------------------------------ player
from stretchtui.core.domain.models import Routine, RoutineItem  # noqa: E402
from stretchtui.ui.screens.player import PlayerScreen  # noqa: E402
from stretchtui.ui.widgets.figure import LEVELS, MAX_FPS, FigureView  # noqa: E402

MOVING = Routine("Figures", (RoutineItem("cat-cow", hold=10, reps=2), RoutineItem("sphinx", hold=20, reps=1)))


def _player_app(make_test_app, **profile_changes):
    app = make_test_app(play=MOVING)
    if profile_changes:
        app.store.set_profile(replace(app.store.get_profile(), **profile_changes))
        app = make_test_app(play=MOVING)
    app.player_options = {"checklist": False, "cue_sink": lambda s: None, "tick_interval": 3600}
    return app


def _screen(app) -> PlayerScreen:
    return next(s for s in app.screen_stack if isinstance(s, PlayerScreen))


async def _until(pilot, clock, screen, kind: str, stretch: str) -> None:
    for _ in range(200):
        if screen.engine.step.kind == kind and screen.engine.step.stretch_id == stretch:
            return
        clock.advance(0.5)
        screen.tick()
        await pilot.pause()
    raise AssertionError(f"never reached {kind} of {stretch}")


def _text(fig: FigureView) -> str:
    return fig.render().plain


async def test_figure_moves_during_a_moving_stretch_and_is_still_in_a_hold(make_test_app, fake_clock):
    app = _player_app(make_test_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        fig = screen.query_one("#player-figure", FigureView)
        assert any(ord(ch) in BRAILLE for ch in _text(fig))

        # cat-cow reps: frames at most MAX_FPS a second, and the drawing changes with the clock
        await _until(pilot, fake_clock, screen, "rep", "cat-cow")
        assert fig.animating and MAX_FPS <= 12
        # one timer, set for the moment the drawing next changes, never sooner than a frame
        assert fig._ticker._interval >= 1 / MAX_FPS - 1e-9
        seen = set()
        for _ in range(8):
            fake_clock.advance(0.6)
            fig._frame()  # what the frame timer does
            seen.add(_text(fig))
        assert len(seen) >= 4

        # the sphinx hold: no frame timer, and nothing is redrawn however long it lasts
        await _until(pilot, fake_clock, screen, "hold", "sphinx")
        assert not fig.animating and fig._waker is None
        frames, before = fig.frames, _text(fig)
        for _ in range(10):
            fake_clock.advance(1.0)
            screen.tick()
            await pilot.pause()
        assert fig.frames == frames and _text(fig) == before
        # and it shows the end position (the same drawing as the pose's end)
        assert fig.t == 1.0


async def test_a_moving_figure_wakes_only_when_its_drawing_changes(make_test_app, fake_clock):
    app = _player_app(make_test_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        fig = screen.query_one("#player-figure", FigureView)
        await _until(pilot, fake_clock, screen, "rep", "cat-cow")
        start = screen.engine.step_elapsed
        wakes, levels = 0, {fig.level}
        while fig.animating and screen.engine.step_elapsed - start < 9.0:
            wait = fig._ticker._interval
            assert wait >= 1 / MAX_FPS - 1e-9
            before = fig.level
            fake_clock.advance(wait)
            fig._frame()  # what the timer does
            wakes += 1
            assert fig.level != before  # every wake draws a new position
            levels.add(fig.level)
        # a 10 s rep of cat-cow: the whole path and back, in far fewer than 12 frames a second
        assert {0, LEVELS} <= levels or max(levels) - min(levels) >= LEVELS - 2
        assert 10 <= wakes <= 9 * MAX_FPS
        # the drawings of one pass are kept: the way back renders nothing new (per size: the
        # figure may be laid out once more when the previous stretch's "how did it feel" bar closes)
        per_size = Counter(key[1:3] for key in fig._cache)
        assert max(per_size.values()) <= LEVELS + 1, per_size


async def test_get_ready_moves_into_position_then_stops(make_test_app, fake_clock):
    app = _player_app(make_test_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        fig = screen.query_one("#player-figure", FigureView)
        await _until(pilot, fake_clock, screen, "get-ready", "sphinx")
        assert fig.animating and fig.t < 0.5
        fake_clock.advance(4.0)
        fig._frame()
        assert not fig.animating and fig.t == 1.0


@pytest.mark.parametrize("how", ["animations-none", "profile"])
async def test_no_animation_shows_the_end_pose_only(make_test_app, fake_clock, how):
    app = _player_app(make_test_app, **({"still_figures": True} if how == "profile" else {}))
    if how == "animations-none":
        app.animation_level = "none"  # what TEXTUAL_ANIMATIONS=none sets
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        fig = screen.query_one("#player-figure", FigureView)
        await _until(pilot, fake_clock, screen, "rep", "cat-cow")
        assert not fig.animating and fig.t == 1.0
        frames = fig.frames
        fake_clock.advance(3)
        screen.tick()
        await pilot.pause()
        assert fig.frames == frames


async def test_right_side_steps_draw_the_figure_mirrored(make_test_app, fake_clock):
    app = make_test_app(play=Routine("Sides", (RoutineItem("neck-side-tilt", hold=10, reps=1, sides="each"),)))
    app.player_options = {"checklist": False, "cue_sink": lambda s: None, "tick_interval": 3600}
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        fig = screen.query_one("#player-figure", FigureView)
        await _until(pilot, fake_clock, screen, "hold", "neck-side-tilt")
        assert screen.engine.step.side == "left" and not fig.mirror
        left = _text(fig)
        for _ in range(100):
            if screen.engine.step.kind == "hold" and screen.engine.step.side == "right":
                break
            fake_clock.advance(0.5)
            screen.tick()
            await pilot.pause()
        assert fig.mirror and _text(fig) != left
