"""``stretchtui serve``: the same app in a web browser, through textual-serve.

textual-serve is an optional extra (``pip install 'stretchtui[web]'``). It runs
a small web server; every browser tab that connects gets its own app process
(``python -m stretchtui --data-dir DIR``), all on the same data directory. The
store's lock and atomic writes keep those processes' writes apart.

textual-serve itself asks for no secret and checks neither ``Host`` nor
``Origin``, and loopback is no boundary for a browser (any open web page can
send requests to 127.0.0.1). So the server made here puts
:mod:`stretchtui.web.guard` in front of every route: a secret token in the
printed link (then a cookie), the Host check against DNS rebinding and the
Origin check on the WebSocket. Its page loads nothing from outside the server.
A non-loopback ``--host`` also needs ``--allow-remote``.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import shlex
import site
import socket
import sys
from pathlib import Path
from typing import Any

from ..core.errors import StretchtuiError

WEB_EXTRA_MESSAGE = "web mode needs the web extra: pip install 'stretchtui[web]'"


class WebModeError(StretchtuiError):
    """``serve`` cannot start (missing extra, port in use, bad data dir)."""


def is_loopback(host: str) -> bool:
    """True when ``host`` only ever means this machine.

    A name is looked up; it counts as loopback only when every address it
    resolves to is a loopback address. Wildcards (``0.0.0.0``, ``::``) and
    names that cannot be resolved are not loopback.
    """
    text = host.strip().strip("[]")
    if text.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(text, None)
    except (OSError, UnicodeError):
        return False
    addresses = {info[4][0] for info in infos}
    try:
        return bool(addresses) and all(
            ipaddress.ip_address(str(a).split("%", 1)[0]).is_loopback for a in addresses
        )
    except ValueError:
        return False


def exposure_warning(host: str, port: int) -> str:
    """The warning printed when binding to a non-loopback address."""
    return (
        f"warning: serving on {host}:{port}, which other machines may reach.\n"
        "  Only the secret link lets anyone in, but over plain HTTP the link and its cookie\n"
        "  travel unencrypted: anyone who can see the traffic can read them, and then read\n"
        "  and change the routines, history and profile in this data directory.\n"
        "  Safer: keep the default --host 127.0.0.1 and use an SSH tunnel from your device,\n"
        f"    ssh -L {port}:localhost:{port} USER@THIS-HOST   then open the printed link\n"
        "  or put it behind a reverse proxy that serves HTTPS (and give its name with --allow-host)."
    )


def remote_refused(host: str) -> str:
    """The error when a non-loopback --host comes without --allow-remote."""
    return (
        f"--host {host} lets other machines reach the server; add --allow-remote if you mean it "
        "(an SSH tunnel to the default 127.0.0.1, or HTTPS through a reverse proxy, is safer)"
    )


def _url_host(host: str) -> str:
    """``host`` as it goes in a URL (IPv6 in brackets; wildcards as localhost)."""
    text = host.strip().strip("[]")
    if text in ("", "0.0.0.0", "::"):
        return "localhost"
    if ":" in text:
        return f"[{text}]"
    return text


def check_address(host: str, port: int) -> None:
    """Fail early, with a clear message, when ``host:port`` cannot be bound.

    (aiohttp binds only after the start-up message has been printed.)
    """
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise WebModeError(f"cannot serve on {host!r}: {exc}. Check --host.") from None
    for family, kind, proto, _name, address in infos:
        try:
            with socket.socket(family, kind, proto) as sock:
                if os.name != "nt":  # aiohttp sets SO_REUSEADDR too
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind(address)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise WebModeError(
                f"cannot serve on {host}:{port}: {reason}. "
                "Is another server using that port? Choose another with --port."
            ) from None


def _child_pythonpath() -> None:
    """Make ``python -m stretchtui`` work in the app processes.

    When stretchtui runs from a source checkout (not installed), the app
    processes would only find it if they started in the same directory. Put the
    checkout on their PYTHONPATH; an installed package needs nothing.
    """
    package_parent = Path(__file__).resolve().parents[2]
    site_dirs: set[Path] = set()
    try:
        site_dirs.update(Path(p).resolve() for p in site.getsitepackages())
    except AttributeError:  # pragma: no cover - unusual interpreters
        pass
    try:
        site_dirs.add(Path(site.getusersitepackages()).resolve())
    except AttributeError:  # pragma: no cover
        pass
    if package_parent in site_dirs:
        return
    current = os.environ.get("PYTHONPATH", "")
    parts = [p for p in current.split(os.pathsep) if p]
    if str(package_parent) not in parts:
        os.environ["PYTHONPATH"] = os.pathsep.join([str(package_parent), *parts])


def app_command(data_dir: Path) -> str:
    """The shell command textual-serve runs for each browser session.

    On POSIX the shell ``exec``s Python, so the process textual-serve holds
    is the app itself and signals reach it directly.
    """
    command = shlex.join([sys.executable, "-m", "stretchtui", "--data-dir", str(data_dir)])
    return command if os.name == "nt" else f"exec {command}"


#: Seconds an app process gets to finish after SIGTERM before it is killed.
STOP_GRACE = 3.0

#: Our page (no external font, no inline event handlers, the token removed
#: from the address bar once used).
TEMPLATES = Path(__file__).resolve().parents[1] / "web" / "templates"


def _make_server(server_module: Any, command: str, host: str, port: int, url: str, guard: Any) -> Any:
    """A textual-serve Server with ``guard`` (a :class:`stretchtui.web.guard.Guard`)
    in front of every route; it prints our own start-up line, serves our own
    page, and stops its app processes itself when asked to exit (Ctrl+C,
    SIGTERM).

    textual-serve has no public hook for middleware, so ``_make_app`` (which
    builds the aiohttp application) is extended to add it. Should a later
    textual-serve stop calling that method, the page, WebSocket and download
    handlers below still refuse any request the guard did not pass: the
    server fails closed, and tests/test_web.py fails loudly.
    """
    import asyncio
    import secrets
    import signal

    import aiohttp_jinja2

    from ..web.guard import (
        GUARDED,
        TOKEN_PARAM,
        RedactToken,
        add_safety_headers,
        forwarded_scheme,
        unguarded,
    )

    apps: set[Any] = set()

    class TrackedAppService(server_module.AppService):
        async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
            process = await super()._open_app_process(width, height)
            apps.add(process)
            return process

    # textual-serve's Server creates AppService by this module-level name.
    server_module.AppService = TrackedAppService

    class StretchServer(server_module.Server):
        _stopping = False

        def initialize_logging(self) -> None:
            super().initialize_logging()
            # One line per HTTP request is noise for a person running a server
            # for their own browser, and aiohttp's access line holds the query
            # string, token and all; problems are still logged.
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
            redact = RedactToken(guard.token)
            for handler in logging.getLogger().handlers:
                handler.addFilter(redact)
                # textual-serve's rich tracebacks print local variables.
                if hasattr(handler, "tracebacks_show_locals"):
                    handler.tracebacks_show_locals = False

        async def _make_app(self) -> Any:
            app = await super()._make_app()
            app.middlewares.append(guard.middleware)
            return app

        async def on_startup(self, app: Any) -> None:
            print(
                f"stretchtui web mode: open {url} in a browser.\n"
                "Keep this link to yourself: anyone who has it can use the app on your data.\n"
                "Each browser tab runs its own copy of the app on the same data.\n"
                "Press Ctrl+C to stop.",
                flush=True,
            )

        async def handle_index(self, request: Any) -> Any:
            if not request.get(GUARDED):
                return unguarded()
            # textual-serve's page names an absolute WebSocket URL built from
            # public_url (ws://0.0.0.0:PORT with --host 0.0.0.0, useless to a
            # browser elsewhere); use the address the browser used, already
            # checked by the guard, and the scheme a reverse proxy reports so
            # HTTPS pages use wss://.
            scheme = forwarded_scheme(request)
            page_host = guard.page_host(request)
            ws_url = f"{'wss' if scheme == 'https' else 'ws'}://{page_host}{request.app.router['websocket'].url_for()}"
            try:
                font_size = min(max(int(request.query.get("fontsize", "16")), 6), 64)
            except ValueError:
                font_size = 16
            nonce = secrets.token_urlsafe(16)
            context = {
                "title": "stretchtui",
                "static_url": str(request.app.router["static"].url_for(filename="/")).rstrip("/") + "/",
                "websocket_url": ws_url,
                "font_size": font_size,
                "nonce": nonce,
                "token_param": TOKEN_PARAM,
            }
            response = aiohttp_jinja2.render_template("app_index.html", request, context)
            # The browser enforces it too: nothing from outside this server.
            response.headers["Content-Security-Policy"] = (
                "default-src 'none'; "
                f"script-src 'self' 'nonce-{nonce}'; "
                "style-src 'self' 'unsafe-inline'; "
                "font-src 'self'; img-src 'self' data: blob:; "
                f"connect-src 'self' {ws_url}; "
                "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
            )
            response.headers["Cache-Control"] = "no-store"
            add_safety_headers(response)
            return response

        async def handle_websocket(self, request: Any) -> Any:
            if not request.get(GUARDED):
                return unguarded()
            return await super().handle_websocket(request)

        async def handle_download(self, request: Any) -> Any:
            if not request.get(GUARDED):
                return unguarded()
            return await super().handle_download(request)

        def _signal_apps(self, sig: int) -> None:
            for process in list(apps):
                if process.returncode is not None:
                    apps.discard(process)
                    continue
                try:
                    process.send_signal(sig)
                except (ProcessLookupError, OSError):
                    apps.discard(process)

        def request_exit(self) -> None:
            # textual-serve waits for every app process to end before it
            # exits; an app that ignores its "quit" message would hang the
            # shutdown. Ask them to stop (SIGTERM lets a running session be
            # recorded as interrupted), then kill what is left. A second
            # Ctrl+C kills at once.
            if self._stopping:
                self._signal_apps(signal.SIGKILL)
            else:
                self._stopping = True
                print("stopping: closing the app sessions...", flush=True)
                self._signal_apps(signal.SIGTERM)
            super().request_exit()

        async def on_shutdown(self, app: Any) -> None:
            # Runs before aiohttp cancels the websocket handlers: wait for the
            # app processes (they got SIGTERM in request_exit), kill stragglers.
            self._signal_apps(signal.SIGTERM)
            waiting = [p.wait() for p in list(apps) if p.returncode is None]
            if not waiting:
                return
            _done, pending = await asyncio.wait(
                [asyncio.ensure_future(w) for w in waiting], timeout=STOP_GRACE
            )
            if pending:
                self._signal_apps(signal.SIGKILL)
                await asyncio.wait(pending, timeout=STOP_GRACE)

    return StretchServer(
        command, host=host, port=port, title="stretchtui", public_url=url.split("/?", 1)[0],
        templates_path=TEMPLATES,
    )


def make_data_dir(data_dir: Path) -> None:
    """Create the data directory as the store does: private (0700).

    Parents that do not exist yet are made with the usual permissions; an
    existing directory keeps its mode (it is the user's).
    """
    existed = data_dir.is_dir()
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not existed:
            os.chmod(data_dir, 0o700)  # mkdir's mode is filtered by the umask
    except OSError as exc:
        raise WebModeError(
            f"cannot create the data directory {data_dir}: {exc.strerror or exc}. "
            "Choose another one with --data-dir."
        ) from None


def run(args: argparse.Namespace) -> int:
    try:
        from textual_serve import server as server_module
    except ImportError:
        raise WebModeError(WEB_EXTRA_MESSAGE) from None

    from ..core.storage.paths import resolve_data_dir
    from ..web.guard import TOKEN_PARAM, Guard, new_token, read_token_file

    host: str = args.host
    port: int = args.port
    remote = not is_loopback(host)
    if remote and not getattr(args, "allow_remote", False):
        raise WebModeError(remote_refused(host))

    token_file = getattr(args, "token_file", None)
    created = False
    if token_file:
        token, created = read_token_file(Path(os.path.expanduser(token_file)))
    else:
        token = new_token()
    guard = Guard(token, port, bound_host=host, allow_hosts=getattr(args, "allow_host", None) or ())

    # Absolute (so every app process agrees whatever its working directory),
    # symlinks kept as written, like the store does.
    data_dir = Path(resolve_data_dir(args.data_dir))
    make_data_dir(data_dir)

    check_address(host, port)
    if remote:
        print(exposure_warning(host, port), file=sys.stderr, flush=True)
        if host.strip().strip("[]") in ("", "0.0.0.0", "::") and not getattr(args, "allow_host", None):
            print(
                f"  It answers only to localhost:{port} and 127.0.0.1:{port} (a tunnel); add --allow-host NAME\n"
                "  for the name other machines use to reach it.",
                file=sys.stderr, flush=True,
            )

    _child_pythonpath()
    url = f"http://{_url_host(host)}:{port}/?{TOKEN_PARAM}={token}"
    server = _make_server(server_module, app_command(data_dir), host, port, url, guard)
    print(f"data directory: {data_dir}", flush=True)
    if created:
        print(f"made a new token in {token_file} (mode 0600); the link stays the same next time.", flush=True)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        raise WebModeError(
            f"cannot serve on {host}:{port}: {exc.strerror or exc}. "
            "Is another server using that port? Choose another with --port."
        ) from None
    print("stretchtui web mode stopped.", flush=True)
    return 0
