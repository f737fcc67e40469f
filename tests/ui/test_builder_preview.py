"""The builder's preview: the figure of the stretch in focus, moving while its
list has focus, still otherwise, and still with the Profile's "Still
figures" or TEXTUAL_ANIMATIONS=none."""

from __future__ import annotations

from dataclasses import replace

import pytest

from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.ui.widgets.catalog_picker import CatalogList
from stretchtui.ui.widgets.figure import FigureView
from stretchtui.ui.widgets.stretch_preview import StretchPreview


async def open_builder(app, pilot, routine: Routine | None = None):
    await pilot.press("2")
    await pilot.pause()
    screen = app.screen
    if routine is not None:
        screen.load_routine(routine)
        await pilot.pause()
    return screen

BRAILLE = range(0x2801, 0x2900)


def _preview(screen) -> StretchPreview:
    return screen.query_one("#builder-preview", StretchPreview)


def _drawing(fig: FigureView) -> str:
    return fig.render().plain


async def _highlight(pilot, screen, sid: str) -> None:
    catalog_list = screen.query_one(CatalogList)
    catalog_list.focus()
    ids = [catalog_list.get_option_at_index(i).id for i in range(catalog_list.option_count)]
    catalog_list.highlighted = ids.index(sid)
    await pilot.pause()


async def test_preview_follows_the_focused_stretch_and_moves_only_while_focused(make_test_app, fake_clock):
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_builder(app, pilot, Routine("R", (RoutineItem("sphinx"),)))
        await _highlight(pilot, screen, "cat-cow")
        preview = _preview(screen)
        fig = preview.figure
        assert preview.stretch.id == "cat-cow" and fig.animating
        assert preview.title == "Cat-Cow · moving"
        # it fits at 80x24: a figure of a few rows under a catalog list that keeps most of its rows
        assert fig.display and fig.size.height >= 3
        assert any(ord(ch) in BRAILLE for ch in _drawing(fig))
        assert screen.query_one(CatalogList).size.height >= 10
        # moving: the drawing changes with the clock
        seen = set()
        for _ in range(8):
            fake_clock.advance(0.5)
            fig._frame()
            seen.add(_drawing(fig))
        assert len(seen) >= 3
        # the routine list in focus: its item under the cursor, moving
        screen.routine_list.focus()
        await pilot.pause()
        assert preview.stretch.id == "sphinx" and fig.animating
        # the warnings in focus: the last stretch, still, in its position
        screen.warnings_panel.focus()
        await pilot.pause()
        assert preview.stretch.id == "sphinx" and not fig.animating and fig.t == 1.0
        frames = fig.frames
        fake_clock.advance(5)
        await pilot.pause()
        assert fig.frames == frames


@pytest.mark.parametrize("how", ["animations-none", "profile"])
async def test_preview_is_still_without_animations(make_test_app, how):
    app = make_test_app()
    if how == "profile":
        app.store.set_profile(replace(app.store.get_profile(), still_figures=True))
        app = make_test_app()
    else:
        app.animation_level = "none"
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_builder(app, pilot)
        await _highlight(pilot, screen, "cat-cow")
        fig = _preview(screen).figure
        assert _preview(screen).stretch.id == "cat-cow"
        assert not fig.animating and fig.t == 1.0


async def test_preview_grows_with_the_terminal(make_test_app):
    app = make_test_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_builder(app, pilot)
        await _highlight(pilot, screen, "bridge")
        fig = _preview(screen).figure
        assert fig.size.height >= 9 and fig.size.width >= 40
