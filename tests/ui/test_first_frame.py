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

from stretchtui.ui.screens.notice import NoticeScreen
from stretchtui.ui.widgets.app_modebar import ModeBar


def _first_frame(monkeypatch, wanted: str) -> dict[str, Any]:
    """Record, at the first frame of the screen class named ``wanted``, what its widgets show."""
    seen: dict[str, Any] = {}
    display = App._display

    def first(self: App, screen: Any, renderable: Any) -> None:
        if not seen and renderable is not None and type(screen).__name__ == wanted:
            seen["screen"] = screen
            seen["covers"] = screen.has_class("-covers")
        return display(self, screen, renderable)

    monkeypatch.setattr(App, "_display", first)
    return seen


def _screen_when(argv: list[str], last: str, timeout: float = 30.0) -> str:
    """Run ``argv`` in an 80x24 pty; the text written up to the moment ``last`` first appears."""
    import fcntl
    import os
    import pty
    import re
    import select
    import signal
    import struct
    import subprocess
    import termios
    import time

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    text = ""
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if select.select([master], [], [], 0.05)[0]:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                text += chunk.decode("utf-8", "replace")
                plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]", "", text)
                if last in plain:
                    return plain
        raise AssertionError(f"{last!r} not on screen in {timeout} s: {text[-500:]!r}")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)


def test_a_returning_users_first_frame_has_the_mode_bar_list_and_status(tmp_path):
    # Through a real terminal: Textual's first paint is the whole screen, ending with the
    # footer ("^p palette" at the bottom right). The mode bar and the status line were
    # filled a frame later (30-40 ms; after the figures were drawn): not in that paint.
    import sys

    from stretchtui.core.domain.models import Profile
    from stretchtui.core.storage.store import open_store

    store = open_store(tmp_path)
    store.set_profile(Profile(seen_notice=True))
    store.close()
    screen = _screen_when([sys.executable, "-m", "stretchtui", "--data-dir", str(tmp_path)], "palette")
    assert "1 Catalog" in screen and "5 History" in screen
    assert "Ankle Pumps" in screen and " shown (All)" in screen


def _painted(monkeypatch) -> list[tuple[str, int, str]]:
    """Every frame handed to the terminal: (screen class, the app's batch count, its text)."""
    import re

    frames: list[tuple[str, int, str]] = []
    display = App._display

    def record(self: App, screen: Any, renderable: Any) -> None:
        if renderable is not None and hasattr(renderable, "render_segments"):
            text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", renderable.render_segments(self.console))
            frames.append((type(screen).__name__, self._batch_count, text))
        return display(self, screen, renderable)

    monkeypatch.setattr(App, "_display", record)
    return frames


async def test_the_first_frame_that_reaches_the_terminal_is_the_whole_screen(make_test_app, monkeypatch):
    # Textual renders the screen's first frame while the app is still starting (inside its
    # batch), drops it, and counts its lines as drawn: the next frames drew only what had
    # changed, and the footer, which had not, stayed blank 50-100 ms (ui/held_frame.py).
    frames = _painted(monkeypatch)
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    catalog = [(batch, text) for name, batch, text in frames if name == "CatalogScreen"]
    assert catalog
    batch, text = catalog[0]
    assert batch == 0  # not rendered only to be dropped
    for part in ("1 Catalog", "Ankle Pumps", " shown (All)", "? Help", "^p palette"):
        assert part in text, part


async def test_a_mode_shown_for_the_first_time_paints_its_footer_as_it_is(make_test_app, monkeypatch):
    # Switching modes holds painting for 50 ms (Textual's delay_update); a frame asked for
    # meanwhile is held too, then painted whole: the Library's keys for the highlighted
    # routine are enabled in the first frame, not left dimmed from before its rows arrived.
    from stretchtui.ui.widgets.app_modebar import ModeFooter

    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        for _ in range(5):
            await pilot.pause(0.05)
        footer = app.screen.query_one(ModeFooter)
        shown = {item.description: item.enabled for item in footer.items()}
        assert shown.get("Open") and shown.get("Play")
        # what the terminal shows on the last row (as a screenshot renders it)
        last_row = list(app.screen._compositor.render_update(full=True).strips)[-1]
        segments = [segment for strip in last_row for segment in strip]
        opened = next(segment for segment in segments if segment.text.strip() == "Open")
        assert not (opened.style and opened.style.dim)


async def test_a_new_users_first_screen_is_the_notice_on_its_own(make_test_app, monkeypatch):
    # The catalog is built when the notice is read, not under it (a new user's first frame).
    seen = _first_frame(monkeypatch, "NoticeScreen")
    app = make_test_app(show_notice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        assert app.screen_stack == [app.screen] and not app.query("CatalogScreen")
        assert seen["screen"] is app.screen  # the first frame drawn is the notice's
        await pilot.press("3")  # the screens wait until it is read
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "CatalogScreen" and app.profile.seen_notice
        assert app.current_mode == "catalog" and "welcome" not in app._modes
        app.action_show_notice()  # from the palette: a dialog over the screen, closed back to it
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen) and len(app.screen_stack) == 2
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "CatalogScreen"


async def test_the_notice_shown_again_fills_a_narrow_terminal_over_a_solid_background(make_test_app, monkeypatch):
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


async def test_each_css_source_is_parsed_once_per_theme(make_test_app, css_parses):
    parsed = css_parses
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


def _counting_loader(real_catalog: Any, error: Exception | None = None) -> tuple[list[int], Any]:
    calls: list[int] = []

    def load() -> Any:
        calls.append(1)
        if error is not None:
            raise error
        return real_catalog

    return calls, load


async def test_a_new_users_notice_does_not_load_the_catalog_until_it_is_read(data_dir, real_catalog, fake_clock):
    # The command line hands make_app the catalog's loader: the notice, a new user's first
    # screen, needs no stretch, so the catalog is loaded when the notice is read.
    from stretchtui.core.storage.store import open_store
    from stretchtui.ui.app import make_app

    calls, load = _counting_loader(real_catalog)
    store = open_store(data_dir)
    try:
        app = make_app(store, load, fake_clock, show_notice=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, NoticeScreen) and calls == []
            await pilot.press("enter")
            await pilot.pause()
            assert type(app.screen).__name__ == "CatalogScreen" and calls == [1]
            assert app.catalog is real_catalog and calls == [1]  # loaded once
    finally:
        store.close()


async def test_a_catalog_that_cannot_load_ends_the_app_with_its_message(data_dir, fake_clock, capfd):
    from stretchtui.core.domain.catalog import CatalogError
    from stretchtui.core.storage.store import open_store
    from stretchtui.ui.app import make_app

    problem = CatalogError("catalog.json: stretches[3] (knee-to-chest): dosage.hold.default: not a number")
    _calls, load = _counting_loader(None, problem)
    store = open_store(data_dir)
    try:
        app = make_app(store, load, fake_clock, show_notice=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
        assert app.return_code == problem.exit_code != 0
        printed = " ".join(capfd.readouterr().err.split())  # printed once the app has left the screen
        assert f"stretchtui: {problem}" in printed and "Traceback" not in printed
        assert not store.get_profile().seen_notice  # the notice was not recorded as read: it comes back
        # a returning user's first screen is the catalog: the same problem stops the start at once,
        # where the command line prints it
        import pytest

        with pytest.raises(CatalogError):
            make_app(store, load, fake_clock, show_notice=False)
    finally:
        store.close()
