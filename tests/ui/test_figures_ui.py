"""Figures in the app: the catalog details pane draws the stretch's start and
end positions in braille (ASCII with the profile setting), and the Library's
``h`` key writes the printable handout."""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser

from textual.widgets import Input

from stretchtui.core.pose import load_poses
from stretchtui.ui.screens.catalog import CatalogScreen
from stretchtui.ui.screens.dialogs import ConfirmDialog, TextPrompt
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
        assert any("⇄" in line for line in drawn)  # a moving stretch goes back and forth
        caption = next(line for line in lines if pose.start.label[:12] in line)
        assert pose.end.label[:12] in caption
        # the figure fits the pane
        assert max(len(line) for line in drawn) <= screen_width(app)

        held = await _show(pilot, "sphinx")
        assert "→" in held and any(ord(ch) in BRAILLE for ch in held)


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
        assert isinstance(app.screen, TextPrompt)
        field = app.screen.query_one(Input)
        assert field.value == "Morning-stiffness.html"
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
