"""Every screen over a folder whose every stored field holds escape, C1 and bidi characters
(issue 27, F5): the strips sent to the terminal carry none of them raw."""

from __future__ import annotations

from tests.test_every_output_clean import RAW, evil_folder  # noqa: F401  (the fixture)


def _assert_clean(app, where: str) -> str:
    """The text on the screen (every segment checked), for the caller to check it shows the data."""
    shown = []
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            found = RAW.findall(segment.text)
            assert not found, (where, found, segment.text)
            shown.append(segment.text)
    return "".join(shown)


async def test_every_screen_shows_hostile_data_clean(evil_folder, make_test_app):  # noqa: F811
    from tests.ui.conftest import settle_store_calls

    app = make_test_app(data_dir=evil_folder)
    async with app.run_test(size=(100, 30)) as pilot:
        for key, where in (("1", "catalog"), ("3", "library"), ("4", "profile"), ("5", "history")):
            await pilot.press(key)
            await settle_store_calls(app)
            await pilot.pause()
            text = _assert_clean(app, where)
            if where in ("library", "history"):
                assert "Evil" in text or "R]0;T" in text, (where, text[:300])
        for tab in ("p", "t", "m", "s"):  # History: progress, stretches, summary, sessions
            await pilot.press(tab)
            await settle_store_calls(app)
            await pilot.pause()
            _assert_clean(app, f"history {tab}")
        await pilot.press("enter")  # the session's details
        await settle_store_calls(app)
        await pilot.pause()
        _assert_clean(app, "session detail")
        await pilot.press("escape", "3", "o")  # open the evil routine in the Builder
        await settle_store_calls(app)
        await pilot.pause()
        assert "unknown: unknown]0;T" in _assert_clean(app, "builder")
