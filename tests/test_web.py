"""Web mode: ``stretchtui serve``, driven in a real headless Chromium.

The browser tests start ``python -m stretchtui serve`` on a free loopback port
with a temporary data dir, open the page in headless Chromium and drive it
through the DevTools protocol (tests/cdp.py): key presses and a real mouse drag
reach the app exactly as they would from a person's browser. Results are
checked with ``stretchtui routines --json`` on the same data dir.

textual-serve draws the terminal with xterm.js on a canvas (WebGL or 2D), so
the screen text is not in the DOM. A tiny script installed before the page's
own scripts records the xterm ``Terminal`` object as it is created; the test
reads the screen from its buffer (``buffer.active.getLine(y)``).

Everything started here runs in its own process group and is SIGKILLed at the
end, including the app processes textual-serve spawns (a spawned app can spin
and ignore SIGTERM once its browser goes away).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / "screenshots"

sys.path.insert(0, str(Path(__file__).resolve().parent))

# ---------------------------------------------------------------------------
# serve command: fast checks without a browser


class FakeServer:
    """Stands in for textual_serve.server.Server: records, starts up, returns."""

    made: list["FakeServer"] = []

    def __init__(self, command: str, host: str = "localhost", port: int = 8000, title: Any = None,
                 public_url: Any = None, **kwargs: Any) -> None:
        self.command = command
        self.host = host
        self.port = port
        self.title = title
        self.public_url = public_url
        FakeServer.made.append(self)

    def serve(self, debug: bool = False) -> None:
        asyncio.run(self.on_startup(None))

    async def on_startup(self, app: Any) -> None:  # replaced by stretchtui's subclass
        raise AssertionError("stretchtui should print its own start-up message")


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> type[FakeServer]:
    server_mod = pytest.importorskip("textual_serve.server", reason="textual-serve is not installed")
    FakeServer.made = []
    monkeypatch.setattr(server_mod, "Server", FakeServer)
    monkeypatch.setattr(server_mod, "AppService", server_mod.AppService)  # serve wraps it; restore after
    # These tests name addresses this machine may not have; binding is tested below.
    monkeypatch.setattr("stretchtui.commands.serve_cmd.check_address", lambda host, port: None)
    return FakeServer


def run_cli(*argv: str) -> int:
    from stretchtui.cli import main

    return main(list(argv))


def test_serve_runs_the_app_on_the_chosen_data_dir(fake_server, tmp_path, capsys) -> None:
    import shlex

    data = tmp_path / "not yet" / "data"
    assert run_cli("serve", "--port", "8123", "--data-dir", str(data)) == 0
    out, err = capsys.readouterr()
    (server,) = fake_server.made
    assert data.is_dir(), "serve creates the data dir"
    argv = shlex.split(server.command)
    if argv[0] == "exec":  # POSIX: the shell execs the app
        argv = argv[1:]
    assert argv == [sys.executable, "-m", "stretchtui", "--data-dir", os.path.abspath(data)]
    assert (server.host, server.port) == ("127.0.0.1", 8123)
    assert "http://127.0.0.1:8123" in out
    assert "no authentication" not in (out + err).lower()


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.7"])
def test_serve_warns_when_reachable_from_other_machines(fake_server, tmp_path, capsys, host) -> None:
    assert run_cli("serve", "--host", host, "--port", "8124", "--data-dir", str(tmp_path)) == 0
    err = capsys.readouterr().err
    assert "NO authentication" in err
    assert "ssh -L 8124:localhost:8124" in err
    assert "reverse proxy" in err


def test_serve_on_a_port_in_use_says_so(tmp_path, capsys) -> None:
    pytest.importorskip("textual_serve", reason="textual-serve is not installed")
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run_cli("serve", "--port", str(port), "--data-dir", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert f"cannot serve on 127.0.0.1:{port}" in err and "--port" in err
    assert "Traceback" not in err


def test_loopback_detection() -> None:
    from stretchtui.commands.serve_cmd import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("::") and not is_loopback("192.0.2.7")


def test_serve_without_the_web_extra_says_how_to_install_it(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve", None)
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    assert run_cli("serve", "--data-dir", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert "web mode needs the web extra: pip install 'stretchtui[web]'" in err
    assert "Traceback" not in err


# ---------------------------------------------------------------------------
# the real thing: server subprocess + headless Chromium

import cdp  # noqa: E402  (tests/ is on sys.path above)

CHROMIUM = cdp.find_chromium()


def _need_browser_stack() -> None:
    pytest.importorskip("textual_serve", reason="textual-serve is not installed (pip install 'stretchtui[web]')")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run does this)")


# Records the xterm Terminal as textual.js creates it (`this.terminal = new Terminal(...)`).
TERMINAL_HOOK = """
(() => {
  Object.defineProperty(Object.prototype, 'terminal', {
    configurable: true,
    set(value) {
      Object.defineProperty(this, 'terminal', {value, writable: true, configurable: true, enumerable: true});
      if (!window.__stretchtuiTerm && value && typeof value.write === 'function' && value.buffer) {
        window.__stretchtuiTerm = value;
      }
    },
  });
})();
"""

# The screen as text, one string per row, one character per cell (wide
# characters are followed by "" in `cells` so columns line up).
SCREEN_JS = """
(() => {
  const t = window.__stretchtuiTerm;
  if (!t) return null;
  const b = t.buffer.active, rows = [];
  for (let y = 0; y < t.rows; y++) {
    const line = b.getLine(b.viewportY + y);
    let s = '';
    for (let x = 0; x < t.cols; x++) {
      const cell = line && line.getCell(x);
      if (!cell) { s += ' '; continue; }
      if (cell.getWidth() === 0) { s += '\\u0000'; continue; }
      s += cell.getChars() || ' ';
    }
    rows.push(s);
  }
  return rows;
})()
"""

GEOMETRY_JS = """
(() => {
  const t = window.__stretchtuiTerm, el = document.querySelector('.xterm-screen');
  if (!t || !el) return null;
  const r = el.getBoundingClientRect();
  return {left: r.left, top: r.top, width: r.width, height: r.height, cols: t.cols, rows: t.rows};
})()
"""


class WebApp:
    """The app in the browser page: read the screen, press keys, point at cells."""

    def __init__(self, page: cdp.Page) -> None:
        self.page = page

    async def lines(self) -> list[str]:
        rows = await self.page.evaluate(SCREEN_JS)
        return [row.replace("\0", "") for row in rows or []]

    async def text(self) -> str:
        return "\n".join(line.rstrip() for line in await self.lines())

    async def wait_text(self, needle: str | re.Pattern, timeout: float = 15.0, absent: bool = False) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = await self.text()
            found = bool(needle.search(text)) if isinstance(needle, re.Pattern) else needle in text
            if found != absent:
                return text
            await asyncio.sleep(0.1)
        what = "disappear" if absent else "appear"
        raise AssertionError(f"{needle!r} did not {what} in {timeout} s; the screen:\n{text}")

    async def find(self, needle: str) -> tuple[int, int]:
        """(column, row) of the first cell of ``needle`` on screen."""
        for y, line in enumerate(await self.page.evaluate(SCREEN_JS) or []):
            x = line.find(needle)
            if x >= 0:
                return x, y  # wide chars are padded with \0 in SCREEN_JS, so x is a column
        raise AssertionError(f"{needle!r} is not on screen:\n{await self.text()}")

    async def cell_center(self, col: int, row: int) -> tuple[float, float]:
        g = await self.page.evaluate(GEOMETRY_JS)
        cw, ch = g["width"] / g["cols"], g["height"] / g["rows"]
        return g["left"] + (col + 0.5) * cw, g["top"] + (row + 0.5) * ch

    async def press(self, *keys: str) -> None:
        await self.page.press(*keys, delay=0.08)

    async def settle(self, quiet: float = 0.3, timeout: float = 5.0) -> None:
        """Wait until the screen stops changing for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        last = await self.text()
        stable_since = time.monotonic()
        while time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            now = await self.text()
            if now != last:
                last, stable_since = now, time.monotonic()
            elif time.monotonic() - stable_since >= quiet:
                return


def _wait_for_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 20.0) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"stretchtui serve exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"stretchtui serve did not listen on {port} in {timeout} s:\n{log.read_text()}")


class Served:
    def __init__(self, proc: subprocess.Popen, port: int, data_dir: Path, log: Path) -> None:
        self.proc, self.port, self.data_dir, self.log = proc, port, data_dir, log
        self.url = f"http://127.0.0.1:{port}/"

    def routines(self) -> list[dict[str, Any]]:
        result = subprocess.run(
            [sys.executable, "-m", "stretchtui", "routines", "--json", "--data-dir", str(self.data_dir)],
            cwd=REPO, capture_output=True, text=True, timeout=30,
        )
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        return data["routines"] if isinstance(data, dict) else data


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    _need_browser_stack()
    data_dir = tmp_path / "data"
    log = tmp_path / "serve.log"
    port = cdp.free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("STRETCHTUI_DATA_DIR", None)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "stretchtui", "serve", "--port", str(port), "--data-dir", str(data_dir)],
            cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for_port(port, proc, log)
        yield Served(proc, port, data_dir, log)
    finally:
        # The server and every app process it spawned share its process group.
        cdp.kill_group(proc)
        deadline = time.monotonic() + 5
        while cdp.group_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not cdp.group_members(proc.pid), "processes of the web server survived SIGKILL"


@pytest.fixture
async def browser(served: Served) -> Any:
    assert CHROMIUM is not None
    chromium = cdp.Browser(CHROMIUM).start()
    page = None
    try:
        page = await chromium.page()
        await page.send("Page.enable")
        await page.send("Network.enable")
        # The page asks Google Fonts for Roboto Mono; a test must not depend on the network.
        await page.send("Network.setBlockedURLs", urls=["*fonts.googleapis.com*", "*fonts.gstatic.com*"])
        await page.send("Emulation.setDeviceMetricsOverride", width=1000, height=640, deviceScaleFactor=1,
                        mobile=False)
        await page.send("Page.addScriptToEvaluateOnNewDocument", source=TERMINAL_HOOK)
        yield page
    finally:
        if page is not None:
            try:
                await page.close()
            except Exception:
                pass
        chromium.kill()


async def open_app(page: cdp.Page, served: Served) -> WebApp:
    await page.send("Page.navigate", url=served.url)
    await page.wait_for("!!(window.__stretchtuiTerm)", timeout=15)
    app = WebApp(page)
    try:
        text = await app.wait_text(re.compile(r"Catalog|Before you start"), timeout=20)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\nserver log:\n{served.log.read_text()}") from None
    await page.evaluate("window.__stretchtuiTerm.focus()")
    # First run in a fresh data dir: the app pushes its safety notice just after
    # the first frame, so let the screen settle before looking for it.
    await app.settle(quiet=0.5)
    if "Before you start" in await app.text():
        await app.press("enter")
        await app.wait_text("Before you start", absent=True)
        await app.settle()
    return app


def routine_named(served: Served, name: str) -> dict[str, Any]:
    routines = served.routines()
    for routine in routines:
        if routine.get("name") == name:
            return routine
    raise AssertionError(f"{name!r} is not in the library: {routines}")


def stretch_ids(routine: dict[str, Any]) -> list[str]:
    return [item["stretch"] for item in routine["items"]]


async def go_to_builder(app: WebApp) -> None:
    await app.press("2")
    await app.wait_text("Routine · 0 stretches")
    await app.settle()


async def save_as(app: WebApp, name: str) -> None:
    """Builder: "s" saves; a routine without a name asks for one first."""
    await app.press("s")
    await app.wait_text("Save the routine as")
    await app.page.type_text(name)
    await app.press("enter")
    await app.wait_text(re.compile(r"Routine: " + re.escape(name) + r" • saved"))


def _catalog_names() -> dict[str, str]:
    from stretchtui.core.catalog import load_catalog

    return {s.name: s.id for s in load_catalog().stretches.values()}


async def routine_pane_ids(app: WebApp) -> list[str]:
    """Stretch ids shown in the builder's routine pane, top to bottom."""
    names = _catalog_names()
    col, row = await app.find("Routine · ")
    ids = []
    for line in (await app.lines())[row + 1:]:
        if "Warnings" in line:
            break
        pane = line[col - 1:]
        hits = [name for name in names if name in pane]
        if hits:
            ids.append(names[max(hits, key=len)])
    return ids


@pytest.mark.timeout(90)
async def test_keys_in_the_browser_build_and_save_a_routine(served: Served, browser: cdp.Page) -> None:
    app = await open_app(browser, served)
    await go_to_builder(app)
    # The catalog list has the focus with a stretch highlighted; "a" adds it,
    # down arrows move the catalog highlight.
    await app.press("a")
    await app.wait_text("Routine · 1 stretch ")
    await app.press("down", "down", "a")
    await app.wait_text("Routine · 2 stretches")
    shown = await routine_pane_ids(app)
    assert len(shown) == 2 and shown[0] != shown[1], await app.text()
    await save_as(app, "Web keys")
    await app.settle()
    await browser.screenshot(SCREENSHOTS / "web-builder.png")

    routine = routine_named(served, "Web keys")
    assert stretch_ids(routine) == shown, routine


@pytest.mark.timeout(90)
async def test_a_real_mouse_drag_in_the_browser_adds_a_stretch(served: Served, browser: cdp.Page) -> None:
    app = await open_app(browser, served)
    await go_to_builder(app)

    # Press on a catalog stretch, move over the routine list, release there.
    col, row = await app.find("Heel Slides")
    start = await app.cell_center(col + 2, row)
    title_col, title_row = await app.find("Routine · 0 stretches")
    end = await app.cell_center(title_col + 10, title_row + 3)
    await browser.drag(start, end, steps=8)

    await app.wait_text("Routine · 1 stretch ")
    assert await routine_pane_ids(app) == ["heel-slides"], await app.text()
    await save_as(app, "Web drag")
    await browser.screenshot(SCREENSHOTS / "web-drag.png")

    routine = routine_named(served, "Web drag")
    assert stretch_ids(routine) == ["heel-slides"], routine


@pytest.mark.timeout(60)
async def test_ctrl_c_stops_the_server_and_its_app_sessions(served: Served, browser: cdp.Page) -> None:
    await open_app(browser, served)
    assert len(cdp.group_members(served.proc.pid)) >= 2, "a browser session runs its own app process"
    # Ctrl+C in a terminal signals the whole foreground process group.
    os.killpg(served.proc.pid, signal.SIGINT)
    try:
        code = served.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"serve did not stop on Ctrl+C:\n{served.log.read_text()}") from None
    log = served.log.read_text()
    assert code == 0, log
    assert "Traceback" not in log, log
    assert "stretchtui web mode stopped." in log
    deadline = time.monotonic() + 5
    while cdp.group_members(served.proc.pid) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert cdp.group_members(served.proc.pid) == [], "app processes outlived the server"
