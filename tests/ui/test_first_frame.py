"""The first frame is whole, and CSS is parsed once per theme (bench/bench_startup.py measures the time).

A returning user's first frame is the catalog: its mode bar, list and status
line were filled a frame later (after the figures were drawn), so the screen
a user first saw had three blank rows for 30-40 ms. A new user's first frame
is the safety notice with its own footer. Textual parsed every CSS source
again for each screen shown for the first time; a theme change must still
restyle everything.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.css import stylesheet as textual_stylesheet
from textual.widgets import Label

from stretchtui.ui.screens.notice import NoticeScreen
from stretchtui.ui.widgets.app_modebar import ModeBar


def _first_frame(monkeypatch, wanted: str) -> dict[str, Any]:
    """Record, at the first frame of the screen class named ``wanted``, what its widgets show."""
    seen: dict[str, Any] = {}
    display = App._display

    def first(self: App, screen: Any, renderable: Any) -> None:
        if not seen and renderable is not None and type(screen).__name__ == wanted:
            seen["screen"] = screen
            if wanted == "CatalogScreen":
                seen["modebar"] = str(screen.query_one(ModeBar).visual)
                seen["status"] = str(screen.query_one("#catalog-status", Label).visual)
                seen["rows"] = screen.query_one("#catalog-list").option_count
            else:
                seen["covers"] = screen.has_class("-covers")
        return display(self, screen, renderable)

    monkeypatch.setattr(App, "_display", first)
    return seen


async def test_a_returning_users_first_frame_has_the_mode_bar_list_and_status(make_test_app, monkeypatch):
    seen = _first_frame(monkeypatch, "CatalogScreen")
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert "1 Catalog" in seen["modebar"] and "5 History" in seen["modebar"]
    assert seen["rows"] == len(app.catalog.stretches)
    assert seen["status"].startswith(f"{len(app.catalog.stretches)} of {len(app.catalog.stretches)} shown (All)")


async def test_a_new_users_first_frame_is_the_notice_over_a_solid_background(make_test_app, monkeypatch):
    seen = _first_frame(monkeypatch, "NoticeScreen")
    app = make_test_app(show_notice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        # Filling the width, its background is solid: the catalog is not drawn behind it.
        assert app.screen.has_class("-covers") and app.screen.styles.background.a == 1
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not app.screen.has_class("-covers") and app.screen.styles.background.a < 1
    assert seen["covers"]  # from the first frame on


async def test_each_css_source_is_parsed_once_per_theme(make_test_app, monkeypatch):
    parsed: list[Any] = []
    parse = textual_stylesheet.parse

    def counting(scope: str, css: str, read_from: Any, **kwargs: Any) -> Any:
        parsed.append(read_from)
        return parse(scope, css, read_from, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", counting)
    app = make_test_app(show_notice=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the notice, then every mode
        for key in "23451":
            await pilot.press(key)
            await pilot.pause()
        # Our sources (app.tcss, each screen's .tcss, our widgets' CSS): once each. (Textual parses
        # some of its widgets' CSS again when another subclass ranks it differently: small and not ours.)
        ours = [f"{path}:{name}" for path, name in parsed if "/stretchtui/" in str(path)]
        assert any("app.tcss" in p for p in ours) and any("builder.tcss" in p for p in ours)
        assert sorted(ours) == sorted(set(ours)), sorted(p for p in ours if ours.count(p) > 1)
        # A theme change still restyles every screen: new variables, every source parsed again.
        before = app.screen.query_one(ModeBar).styles.background
        parsed.clear()
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        assert parsed
        assert app.screen.query_one(ModeBar).styles.background != before
