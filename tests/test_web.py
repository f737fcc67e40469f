"""Web mode: ``stretchtui serve``, its access checks, and the app in a real
headless Chromium.

Fast checks replace textual-serve's Server with a fake (flags, token file,
warnings, data dir mode); the guard's Host and Origin rules are checked as
functions. Then a real ``python -m stretchtui serve`` on a free loopback port
is asked, over plain HTTP and WebSocket, what a browser or another web page
could ask: without the token, with a wrong one, with the right one (no
cookie is ever set), with another Host, from another Origin; and the limits:
idle connections by the thousand, more browser sessions than allowed.

The browser tests open the printed secret link in headless Chromium and drive
the app through the DevTools protocol (tests/cdp.py): key presses and a real
mouse drag reach the app exactly as they would from a person's browser. Results
are checked with ``stretchtui routines --json`` on the same data dir. Every
request the page makes must stay on the server.

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
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
#: The browser tests' screenshots go to the repository's screenshots/ (docs/server.md shows
#: one) only when asked: ``STRETCHTUI_SCREENSHOTS=1``; a test run leaves the checkout as it was.
SCREENSHOTS = (REPO / "screenshots" if os.environ.get("STRETCHTUI_SCREENSHOTS")
               else Path(tempfile.gettempdir()) / "stretchtui-web-screenshots")

# ---------------------------------------------------------------------------
# serve command: fast checks without a browser


class FakeServer:
    """Stands in for textual_serve.server.Server: records, starts up, returns."""

    made: list[FakeServer] = []

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
    monkeypatch.setattr("stretchtui.web.server.check_address", lambda host, port: None)
    monkeypatch.setattr("stretchtui.web.server.run_server", lambda server, **_: server.serve())
    return FakeServer


def run_cli(*argv: str) -> int:
    from stretchtui.cli import main

    return main(list(argv))


def test_serve_runs_the_app_on_the_chosen_data_dir(fake_server, tmp_path, capsys) -> None:
    import shlex
    import stat

    data = tmp_path / "not yet" / "data"
    assert run_cli("serve", "--port", "8123", "--data-dir", str(data)) == 0
    out, err = capsys.readouterr()
    (server,) = fake_server.made
    assert data.is_dir(), "serve creates the data dir"
    assert stat.S_IMODE(data.stat().st_mode) == 0o700, "private, like the one the CLI creates"
    argv = shlex.split(server.command)
    if argv[0] == "exec":  # POSIX: the shell execs the app
        argv = argv[1:]
    assert argv == [sys.executable, "-m", "stretchtui", "--data-dir", os.path.abspath(data)]
    assert (server.host, server.port) == ("127.0.0.1", 8123)
    link = re.search(r"http://127\.0\.0\.1:8123/\?token=([A-Za-z0-9_-]+)", out)
    assert link and len(link.group(1)) >= 43, out  # secrets.token_urlsafe(32)
    assert "warning" not in (out + err).lower()


def test_each_start_makes_a_new_token(fake_server, tmp_path, capsys) -> None:
    tokens = []
    for _ in range(2):
        assert run_cli("serve", "--port", "8123", "--data-dir", str(tmp_path)) == 0
        tokens.append(re.search(r"\?token=([A-Za-z0-9_-]+)", capsys.readouterr().out).group(1))
    assert tokens[0] != tokens[1]


def test_serve_keeps_an_existing_data_dir_mode(fake_server, tmp_path, capsys) -> None:
    import stat

    data = tmp_path / "mine"
    data.mkdir(mode=0o750)
    os.chmod(data, 0o750)
    assert run_cli("serve", "--data-dir", str(data)) == 0
    assert stat.S_IMODE(data.stat().st_mode) == 0o750


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.7"])
def test_a_reachable_host_needs_allow_remote(fake_server, tmp_path, capsys, host) -> None:
    assert run_cli("serve", "--host", host, "--port", "8124", "--data-dir", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"stretchtui: --host {host} lets other machines reach the server; add --allow-remote")
    assert "Traceback" not in err
    assert fake_server.made == [], "nothing was served"


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.7"])
def test_serve_warns_when_reachable_from_other_machines(fake_server, tmp_path, capsys, host) -> None:
    assert run_cli("serve", "--host", host, "--port", "8124", "--allow-remote", "--data-dir", str(tmp_path)) == 0
    out, err = capsys.readouterr()
    assert f"warning: serving on {host}:8124" in err
    assert "unencrypted" in err and "ssh -L 8124:localhost:8124" in err and "reverse proxy" in err
    assert "?token=" in out, "still only through the secret link"
    if host in ("0.0.0.0", "::"):
        assert "add --allow-host NAME" in err, "say which names it answers to"


def test_token_file_is_made_private_and_reused(fake_server, tmp_path, capsys) -> None:
    import stat

    token_file = tmp_path / "token"
    links = []
    for _ in range(2):
        assert run_cli("serve", "--token-file", str(token_file), "--data-dir", str(tmp_path / "d")) == 0
        out = capsys.readouterr().out
        links.append(re.search(r"http://\S+\?token=[A-Za-z0-9_-]+", out).group(0))
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert links[0] == links[1], "a bookmarked link keeps working"
    assert links[0].endswith("=" + token_file.read_text().strip())


def test_a_token_file_others_can_read_is_refused(fake_server, tmp_path, capsys) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("A" * 43 + "\n")
    os.chmod(token_file, 0o644)
    assert run_cli("serve", "--token-file", str(token_file), "--data-dir", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert f"the token file {token_file} can be read or changed by other users (mode 0644)" in err
    assert f"chmod 600 {token_file}" in err
    assert fake_server.made == []


@pytest.mark.parametrize("content", ["", "short\n", "two tokens " + "A" * 40, "A" * 40 + "<script>"])
def test_a_token_file_without_a_proper_token_is_refused(fake_server, tmp_path, capsys, content) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(content)
    os.chmod(token_file, 0o600)
    assert run_cli("serve", "--token-file", str(token_file), "--data-dir", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert f"the token file {token_file} must hold one token of at least 32 letters" in err
    assert "remove it and stretchtui serve makes a new one" in err
    assert fake_server.made == []


@pytest.mark.parametrize("value", ["http://x.example/", "a b", "x.example:99999", ":80", "[::1"])
def test_a_bad_allow_host_is_refused(fake_server, tmp_path, capsys, value) -> None:
    assert run_cli("serve", "--allow-host", value, "--data-dir", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert err.startswith("stretchtui: --allow-host takes a host name") and repr(value) in err


async def test_the_guard_sits_in_the_app_and_handlers_refuse_what_it_did_not_pass(monkeypatch) -> None:
    server_mod = pytest.importorskip("textual_serve.server", reason="textual-serve is not installed")
    from aiohttp.test_utils import make_mocked_request

    from stretchtui.web.guard import Guard
    from stretchtui.web.server import make_server

    monkeypatch.setattr(server_mod, "AppService", server_mod.AppService)  # make_server wraps it
    guard = Guard("t" * 43, 8000)
    server = make_server(server_mod, "true", "127.0.0.1", 8000, "http://127.0.0.1:8000/?token=x", guard)
    app = await server._make_app()
    assert guard.middleware in list(app.middlewares)
    # Fail closed: were the middleware ever left out, nothing would be served.
    for handler in (server.handle_index, server.handle_websocket, server.handle_download):
        response = await handler(make_mocked_request("GET", "/", app=app))
        assert response.status == 500 and "refusing" in response.text


def _guard(**kwargs: Any) -> Any:
    pytest.importorskip("aiohttp", reason="the web extra is not installed")
    from stretchtui.web.guard import Guard

    return Guard("t" * 43, 8000, **kwargs)


def test_host_check_accepts_only_this_server() -> None:
    guard = _guard(bound_host="127.0.0.1", allow_hosts=["stretch.example.org:443", "box.lan"])
    for host in ["127.0.0.1:8000", "localhost:8000", "LOCALHOST:8000", "localhost.:8000", "box.lan:8000",
                 "stretch.example.org", "stretch.example.org:443"]:
        assert guard.host_ok(host), host
    for host in [None, "", "evil.example:8000", "127.0.0.1:8001", "127.0.0.1", "localhost",
                 "box.lan", "box.lan:443", "localhost:8000@evil.example", "[::1]:8000", "::1:8000",
                 "127.0.0.1:8000/x"]:
        assert not guard.host_ok(host), host


def test_host_check_for_other_bindings() -> None:
    assert _guard(bound_host="::1").host_ok("[::1]:8000")
    named = _guard(bound_host="localhost")
    assert named.host_ok("127.0.0.1:8000") and named.host_ok("[::1]:8000")
    wildcard = _guard(bound_host="0.0.0.0")
    assert wildcard.host_ok("localhost:8000") and wildcard.host_ok("127.0.0.1:8000")
    assert not wildcard.host_ok("0.0.0.0:8000")
    assert not wildcard.host_ok("192.0.2.7:8000"), "other names need --allow-host"


def test_a_tunnel_on_another_local_port_is_allowed_by_name_and_port() -> None:
    guard = _guard(allow_hosts=["127.0.0.1:8001"])
    assert guard.host_ok("127.0.0.1:8001") and guard.origin_ok("http://127.0.0.1:8001")
    assert not guard.host_ok("127.0.0.1:8002") and not guard.origin_ok("http://127.0.0.1:8002")


def test_origin_check_accepts_only_this_servers_pages() -> None:
    guard = _guard(allow_hosts=["stretch.example.org:443"])
    for origin in ["http://127.0.0.1:8000", "http://localhost:8000", "https://stretch.example.org"]:
        assert guard.origin_ok(origin), origin
    for origin in [None, "", "null", "http://evil.example", "http://127.0.0.1:8001", "http://127.0.0.1",
                   "http://stretch.example.org", "file://", "http://127.0.0.1:8000.evil.example",
                   "http://localhost:8000@evil.example"]:
        assert not guard.origin_ok(origin), origin


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
    from stretchtui.web.server import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("::") and not is_loopback("192.0.2.7")


def test_serve_without_the_web_extra_says_how_to_install_it(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve", None)
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    assert run_cli("serve", "--data-dir", str(tmp_path)) == 2
    err = capsys.readouterr().err
    # From a clone, 'stretchtui[web]' names a package no index has: say what works.
    assert "web mode needs the web extra" in err and f"{sys.executable} -m pip install '.[web]'" in err
    assert "pipx inject stretchtui textual-serve" in err and "stretchtui[web]" not in err
    assert "Traceback" not in err


# ---------------------------------------------------------------------------
# the real thing: server subprocess + headless Chromium

from tests import cdp  # noqa: E402

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

# Content-security-policy violations the page reports (blocked loads, scripts).
CSP_HOOK = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
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


LINK = re.compile(r"open (http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]+)) in a browser")


def _wait_for_link(proc: subprocess.Popen, log: Path, timeout: float = 20.0) -> re.Match:
    """The link ``stretchtui serve`` printed, once it also listens."""
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"stretchtui serve exited with {proc.returncode}:\n{log.read_text()}")
        found = LINK.search(log.read_text(errors="replace"))
        if found:
            try:
                with socket.create_connection(("127.0.0.1", int(found.group(2))), timeout=0.5):
                    return found
            except OSError:
                pass
        time.sleep(0.05)
    raise AssertionError(f"stretchtui serve printed no link or did not listen in {timeout} s:\n{log.read_text()}")


class Served:
    def __init__(self, proc: subprocess.Popen, link: re.Match, data_dir: Path, log: Path) -> None:
        self.proc, self.data_dir, self.log = proc, data_dir, log
        self.link = link.group(1)  # the secret link, as printed
        self.port = int(link.group(2))
        self.token = link.group(3)
        self.origin = f"http://127.0.0.1:{self.port}"
        self.url = self.origin + "/"

    def routines(self) -> list[dict[str, Any]]:
        result = subprocess.run(
            [sys.executable, "-m", "stretchtui", "routines", "--json", "--data-dir", str(self.data_dir)],
            cwd=REPO, capture_output=True, text=True, timeout=30,
        )
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        return data["routines"] if isinstance(data, dict) else data


@contextlib.contextmanager
def serve_process(tmp: Path, *extra: str, open_files: int | None = None) -> Iterator[Served]:
    """``python -m stretchtui serve`` on a free loopback port (with a lower
    open-files limit when ``open_files`` is given); everything it started (app
    processes included) is SIGKILLed at the end."""
    data_dir = tmp / "data"
    log = tmp / "serve.log"
    port = cdp.free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("STRETCHTUI_DATA_DIR", None)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "stretchtui", "serve", "--port", str(port), "--data-dir", str(data_dir), *extra],
            cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=None if open_files is None else _limit_open_files(open_files),
        )
    try:
        yield Served(proc, _wait_for_link(proc, log), data_dir, log)
    finally:
        # The server and every app process it spawned share its process group.
        cdp.kill_group(proc)
        deadline = time.monotonic() + 5
        while cdp.group_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not cdp.group_members(proc.pid), "processes of the web server survived SIGKILL"


def _limit_open_files(limit: int) -> Any:
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

    return apply


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    _need_browser_stack()
    with serve_process(tmp_path) as server:
        yield server


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One real server for the HTTP checks (they change nothing)."""
    pytest.importorskip("textual_serve", reason="textual-serve is not installed (pip install 'stretchtui[web]')")
    with serve_process(tmp_path_factory.mktemp("live")) as server:
        yield server


def http_get(served: Served, target: str, headers: dict[str, str] | None = None) -> tuple[int, dict, str]:
    """A raw GET to the server (http.client sends our Host header as given)."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    try:
        conn.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
        all_headers = {"Host": f"127.0.0.1:{served.port}", **(headers or {})}
        for name, value in all_headers.items():
            if value is not None:
                conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        body = response.read().decode("utf-8", "replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


async def open_socket(served: Served, origin: str | None, token: str | None) -> tuple[Any, Any]:
    """(session, websocket) on the page's WebSocket path (``/ws/TOKEN``; plain
    ``/ws`` when ``token`` is None), or raises aiohttp.WSServerHandshakeError."""
    import aiohttp

    headers = {} if origin is None else {"Origin": origin}
    path = "/ws" if token is None else f"/ws/{token}"
    session = aiohttp.ClientSession()
    try:
        ws = await session.ws_connect(f"{served.origin}{path}?width=80&height=24", headers=headers,
                                      autoping=True, timeout=aiohttp.ClientWSTimeout(ws_close=5))
    except BaseException:
        await session.close()
        raise
    return session, ws


NEEDS_LINK = "use the link printed by `stretchtui serve`"


def test_without_the_token_the_server_answers_403(live: Served) -> None:
    for target in ["/ws", f"/ws/{live.token}x", "/nothing", "/static/../?x"]:
        status, headers, body = http_get(live, target)
        assert status == 403, (target, status)
        assert body.count("\n") == 1 and "link printed by `stretchtui serve`" in body, body
        assert "set-cookie" not in headers
    # The page itself: the same words, and a script that tries the tab's stored token once.
    status, headers, body = http_get(live, "/")
    assert status == 403 and "link printed by `stretchtui serve`" in body
    assert "sessionStorage" in body and "script-src 'nonce-" in headers["content-security-policy"]
    assert "set-cookie" not in headers


def test_a_wrong_token_gets_403(live: Served) -> None:
    wrong = live.token[:-1] + ("A" if live.token[-1] != "A" else "B")
    for headers, target in [({}, f"/?token={wrong}"), ({}, "/?token="),
                            ({"Cookie": f"stretchtui-token-{live.port}={live.token}"}, "/")]:
        status, response_headers, body = http_get(live, target, headers)
        assert status == 403 and "link printed by `stretchtui serve`" in body
        assert "set-cookie" not in response_headers


def test_the_token_gets_the_page_and_no_cookie(live: Served) -> None:
    status, headers, body = http_get(live, f"/?token={live.token}")
    assert status == 200 and 'id="terminal"' in body
    # Cookies ignore ports: one set here would reach every server on 127.0.0.1.
    assert "set-cookie" not in headers
    assert headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert f'data-session-websocket-url="ws://127.0.0.1:{live.port}/ws/{live.token}"' in body
    assert "sessionStorage.setItem" in body, "a reload finds the token in the tab, not in a cookie"
    # What the page loads is textual-serve's own, the same for everybody: no token needed.
    for target in ["/static/js/textual.js", "/static/css/xterm.css",
                   "/static/fonts/RobotoMono-VariableFont_wght.ttf"]:
        assert http_get(live, target)[0] == 200, target


def test_another_host_is_refused_even_with_the_token(live: Served) -> None:
    for host in ["evil.example", f"evil.example:{live.port}", f"127.0.0.1.evil.example:{live.port}"]:
        for target in [f"/?token={live.token}", "/static/js/textual.js", "/download/x"]:
            status, headers, body = http_get(live, target, {"Host": host})
            assert status == 403, (host, target)
            assert "--allow-host" in body and "set-cookie" not in headers
    assert http_get(live, f"/?token={live.token}", {"Host": f"localhost:{live.port}"})[0] == 200


def test_the_page_names_nothing_outside_the_server(live: Served) -> None:
    _status, headers, body = http_get(live, f"/?token={live.token}")
    own = f"127.0.0.1:{live.port}"
    urls = re.findall(r"\b(?:https?|wss?):(?://)?[^\s\"'<>)]*", body, flags=re.I)
    assert urls == [f"ws://{own}/ws/{live.token}"], urls
    assert not re.search(r"""(?:src|href)\s*=\s*["']?//""", body, flags=re.I), "no protocol-relative links"
    assert not re.search(r"url\(\s*[\"']?//", body), "no protocol-relative CSS urls"
    assert "fonts/RobotoMono-VariableFont_wght.ttf" in body, "the font comes from the server"
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "https:" not in csp and "http:" not in csp
    _status, _headers, css = http_get(live, "/static/css/xterm.css")
    assert not re.search(r"url\(\s*[\"']?(?:https?:)?//", css)


async def test_the_token_in_the_path_opens_the_websocket_and_the_app_answers(live: Served) -> None:
    import aiohttp

    status, _headers, _ = http_get(live, f"/?token={live.token}")
    assert status == 200
    session, ws = await open_socket(live, live.origin, live.token)
    received = b""
    try:
        deadline = time.monotonic() + 30
        # The first screen is the catalog, under the first-run notice (which fills 80x24).
        while time.monotonic() < deadline and not (b"Catalog" in received or b"Before you start" in received):
            msg = await ws.receive(timeout=max(0.1, deadline - time.monotonic()))
            if msg.type == aiohttp.WSMsgType.BINARY:
                received += msg.data
            elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                break
    finally:
        await ws.close()
        await session.close()
    assert b"Catalog" in received or b"Before you start" in received, received[-500:]


@pytest.mark.parametrize("origin", ["http://evil.example", "null", None, "http://127.0.0.1:1",
                                    "http://evil.example:{port}", "http://127.0.0.1:{port}.evil.example"])
async def test_a_websocket_from_another_origin_is_refused(live: Served, origin: str | None) -> None:
    import aiohttp

    if origin is not None:
        origin = origin.format(port=live.port)
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await open_socket(live, origin, live.token)
    assert refused.value.status == 403


async def test_a_websocket_without_the_token_is_refused(live: Served) -> None:
    import aiohttp

    for token in [None, "not-the-token", live.token[:-1]]:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await open_socket(live, live.origin, token)
        assert refused.value.status == 403


def test_the_token_is_printed_once_and_logged_nowhere_else(live: Served) -> None:
    http_get(live, f"/?token={live.token}")
    http_get(live, f"/?token={live.token}x")
    http_get(live, f"/static/js/textual.js?token={live.token}", {"Host": "evil.example"})
    http_get(live, f"/ws/{live.token}")
    log = live.log.read_text()
    assert log.count(live.token) == 1, log
    assert f"open {live.link} in a browser" in log


def test_the_data_dir_it_creates_is_private(live: Served) -> None:
    import stat

    assert stat.S_IMODE(live.data_dir.stat().st_mode) == 0o700


@pytest.fixture
async def browser(served: Served) -> Any:
    assert CHROMIUM is not None
    chromium = cdp.Browser(CHROMIUM).start()
    page = None
    try:
        page = await chromium.page()
        await page.send("Page.enable")
        await page.send("Network.enable")
        # Nothing is blocked: the page must not ask for anything outside the
        # server (checked in open_app from the requests the browser made).
        await page.send("Emulation.setDeviceMetricsOverride", width=1000, height=640, deviceScaleFactor=1,
                        mobile=False)
        await page.send("Page.addScriptToEvaluateOnNewDocument", source=TERMINAL_HOOK)
        await page.send("Page.addScriptToEvaluateOnNewDocument", source=CSP_HOOK)
        yield page
    finally:
        if page is not None:
            try:
                await page.close()
            except Exception:
                pass
        chromium.kill()


def requested_urls(page: cdp.Page) -> list[str]:
    return [e["params"]["request"]["url"] for e in page.events if e.get("method") == "Network.requestWillBeSent"]


async def open_app(page: cdp.Page, served: Served) -> WebApp:
    """Open the secret link as printed, as a person would."""
    await page.send("Page.navigate", url=served.link)
    await page.wait_for("!!(window.__stretchtuiTerm)", timeout=15)
    app = WebApp(page)
    try:
        await app.wait_text(re.compile(r"Catalog|Before you start"), timeout=20)
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
    # Every request stayed on the server (the font, the scripts, the socket),
    # and the page broke none of its own content-security rules.
    urls = requested_urls(page)
    assert urls and all(u.startswith(served.origin + "/") for u in urls), urls
    assert any("/static/fonts/RobotoMono" in u for u in urls), urls
    assert await page.evaluate("window.__cspViolations") == []
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
    from stretchtui.core.domain.catalog import load_catalog

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


# A page another local server shows: the same site as stretchtui's (cookies
# ignore ports). It tries the WebSocket and the page without the token, and
# reports every cookie its own server received from the browser.
ATTACK_PAGE = """<!DOCTYPE html><title>another page</title><script>
window.attack = new Promise(resolve => {
  const ws = new WebSocket('ws://127.0.0.1:%(port)d/ws?width=80&height=24');
  ws.onopen = () => resolve('opened');
  ws.onerror = () => resolve('refused');
});
window.read = fetch('http://127.0.0.1:%(port)d/', {credentials: 'include'})
  .then(r => 'read ' + r.status, e => 'blocked');
</script>"""


@pytest.mark.timeout(90)
async def test_in_the_browser_the_link_is_used_once_and_other_pages_are_kept_out(
    served: Served, browser: cdp.Page, tmp_path: Path
) -> None:
    await open_app(browser, served)
    # The token left the address bar; the tab keeps it, no cookie does.
    assert await browser.evaluate("location.href") == served.url
    cookies = await browser.send("Network.getAllCookies")
    assert cookies.get("cookies") == [], cookies
    # A reload without the token still works (the tab's sessionStorage).
    await browser.send("Page.reload")
    await browser.wait_for("!!(window.__stretchtuiTerm)", timeout=15)
    await WebApp(browser).wait_text(re.compile(r"Catalog|Before you start"), timeout=20)

    # Now, in the same browser, a page from another local server.
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "index.html").write_text(ATTACK_PAGE % {"port": served.port})
    other_port = cdp.free_port()
    other = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(other_port), "--bind", "127.0.0.1",
         "--directory", str(tmp_path / "www")],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        await browser.send("Page.navigate", url=f"http://127.0.0.1:{other_port}/index.html")
        await browser.wait_for("!!window.attack", timeout=20)
        assert await browser.evaluate("window.attack") == "refused"
        assert await browser.evaluate("window.read") == "blocked"
    finally:
        cdp.kill_group(other)
    apps = [pid for pid in cdp.group_members(served.proc.pid) if pid != served.proc.pid]
    assert len(apps) <= 1, "the other page started no app session"


# ---------------------------------------------------------------- the limits


def _half_sent(port: int, count: int) -> list[Any]:
    """``count`` connections that each send half a request and then nothing."""
    import socket

    socks = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: ".encode())
        socks.append(sock)
    return socks


@pytest.mark.timeout(120)
def test_a_thousand_idle_connections_do_not_take_the_server_down(tmp_path: Path) -> None:
    pytest.importorskip("textual_serve", reason="textual-serve is not installed (pip install 'stretchtui[web]')")
    # With 256 open files the server keeps at most 96 sockets; 1,100 half-sent
    # requests (no token needed to send them) used to end it at the limit.
    with serve_process(tmp_path, open_files=256) as served:
        socks = _half_sent(served.port, 1100)
        try:
            assert served.proc.poll() is None, served.log.read_text()
            status, _headers, body = http_get(served, f"/?token={served.token}")
            assert status == 200 and 'id="terminal"' in body
            # The oldest idle ones were closed to make room: most of the flood is gone.
            closed = 0
            for sock in socks:
                sock.settimeout(0.01)
                try:
                    closed += sock.recv(1) == b""
                except (TimeoutError, OSError) as exc:
                    closed += not isinstance(exc, TimeoutError)
            assert closed >= 900, closed
        finally:
            for sock in socks:
                sock.close()
        log = served.log.read_text()
        assert "closing idle ones to make room" in log and log.count("closing idle ones") <= 3, log
        assert "Traceback" not in log and "port" not in log.split("Press Ctrl+C to stop.", 1)[1], log


@pytest.mark.timeout(60)
def test_a_connection_that_never_finishes_its_request_is_closed(live: Served) -> None:
    from stretchtui.web.server import IDLE_TIMEOUT

    (sock,) = _half_sent(live.port, 1)
    try:
        sock.settimeout(IDLE_TIMEOUT + 10)
        started = time.monotonic()
        assert sock.recv(1) == b"", "the server closed it"
        assert time.monotonic() - started >= IDLE_TIMEOUT - 1
    finally:
        sock.close()


@pytest.mark.timeout(120)
async def test_more_browser_sessions_than_allowed_get_a_clear_page(tmp_path: Path) -> None:
    pytest.importorskip("textual_serve", reason="textual-serve is not installed (pip install 'stretchtui[web]')")
    import aiohttp

    with serve_process(tmp_path, "--max-sessions", "1") as served:
        assert "at most 1 at once" in served.log.read_text()
        session, ws = await open_socket(served, served.origin, served.token)
        try:
            deadline = time.monotonic() + 30
            while len(cdp.group_members(served.proc.pid)) < 2 and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            assert len(cdp.group_members(served.proc.pid)) == 2, "one app process runs"
            status, headers, body = http_get(served, f"/?token={served.token}")
            assert status == 503 and "its limit" in body and "--max-sessions" in body
            assert headers["retry-after"] == "30"
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await open_socket(served, served.origin, served.token)
            assert refused.value.status == 503
            assert len(cdp.group_members(served.proc.pid)) == 2, "the refused one started no process"
        finally:
            await ws.close()
            await session.close()
        deadline = time.monotonic() + 20
        while http_get(served, f"/?token={served.token}")[0] != 200 and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        assert http_get(served, f"/?token={served.token}")[0] == 200, "room again once the tab closed"


def test_connection_guard_closes_the_oldest_waiting_connection() -> None:
    from stretchtui.web.server import ConnectionGuard

    class Handler:
        def __init__(self, waiting: bool) -> None:
            self.is_waiting = waiting

    guard = ConnectionGuard(limit=2)
    def waiting(handler: Handler) -> bool:
        return handler.is_waiting

    guard.waiting = waiting  # type: ignore[method-assign]
    busy, idle, new = Handler(False), Handler(True), Handler(True)
    assert guard.admit(busy, 1.0) is None and guard.admit(idle, 2.0) is None
    assert guard.admit(new, 3.0) is idle, "the oldest waiting one goes, not the busy WebSocket"
    guard.forget(idle)
    everyone_busy = Handler(False)
    guard.forget(new)
    guard.admit(Handler(False), 4.0)
    assert guard.admit(everyone_busy, 5.0) is everyone_busy, "no room and nobody idle: the new one goes"


def test_the_connection_limit_follows_the_open_files_limit() -> None:
    from stretchtui.web.server import connection_limit

    assert connection_limit(8, files=1024) == 1024 - 64 - 32 - 64
    assert connection_limit(8, files=256) == 96
    assert connection_limit(8, files=150) == 16, "never below 16"
    assert connection_limit(8, files=1_000_000) == 1000


def test_serve_errors_blame_the_port_only_when_it_is_the_port() -> None:
    import errno

    from stretchtui.web.server import serve_error

    too_many = serve_error("127.0.0.1", 8000, OSError(errno.EMFILE, "Too many open files"))
    assert "open files" in too_many and "ulimit -n" in too_many and "--port" not in too_many
    in_use = serve_error("127.0.0.1", 8000, OSError(errno.EADDRINUSE, "Address already in use"))
    assert "--port" in in_use


def test_max_sessions_must_be_a_small_positive_number(tmp_path, capsys) -> None:
    for value in ["0", "-1", "x", "1000"]:
        with pytest.raises(SystemExit):
            run_cli("serve", "--max-sessions", value, "--data-dir", str(tmp_path))
        assert "--max-sessions" in capsys.readouterr().err
