"""The web server of ``stretchtui serve``: textual-serve with our guard, page and limits.

textual-serve runs a small aiohttp server; every browser tab that connects
gets its own app process (``python -m stretchtui --data-dir DIR``), all on the
same data directory. The store's lock and atomic writes keep those processes'
writes apart. ``commands/serve_cmd.py`` only parses the command line and
prints; everything about the server is here.

textual-serve itself asks for no secret and checks neither ``Host`` nor
``Origin``, and loopback is no boundary for a browser (any open web page can
send requests to 127.0.0.1). So the server made here puts
:mod:`stretchtui.web.guard` in front of every route (a secret token, the Host
check against DNS rebinding, the Origin check on the WebSocket) and serves its
own page, which loads nothing from outside the server.

Limits, so that nobody without the link can take the server down:

- **Connections.** At most :func:`connection_limit` sockets are open at once
  (worked out from the open-files limit); when a new one would pass it, the
  oldest connection that is only waiting (it never finished a request, or sits
  idle between requests) is closed to make room. A socket that has not sent a
  whole request within :data:`IDLE_TIMEOUT` seconds is closed. So a flood of
  half-sent requests can neither exhaust the file descriptors nor lock out
  the person with the link.
- **App processes.** At most ``--max-sessions`` (default
  :data:`DEFAULT_MAX_SESSIONS`) browser sessions run at once; one more gets a
  page saying so (503), and its WebSocket is refused before any process starts.

Only the standard library is imported at module level: ``serve`` without the
web extra must be able to say how to install it.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import shlex
import site
import socket
import sys
import time
from pathlib import Path
from typing import Any

from ..core.errors import StretchtuiError


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


def url_host(host: str) -> str:
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


def child_pythonpath() -> None:
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
TEMPLATES = Path(__file__).resolve().parent / "templates"


#: Seconds a connection may take to send a whole request (and may sit idle
#: between requests) before it is closed. The WebSocket of a running session
#: is a request in progress, so it is never cut by this.
IDLE_TIMEOUT = 15.0

#: Browser sessions (app processes) that may run at once, unless --max-sessions says otherwise.
DEFAULT_MAX_SESSIONS = 8

#: Pending connections the kernel queues before the server accepts them;
#: asyncio also accepts up to this many in one go, before the connection
#: guard sees them, so the guard's limit leaves this much room.
BACKLOG = 64

#: File descriptors an app session holds in the server (its pipes and socket),
#: and those kept back for the server's own files, logs and accepts.
FDS_PER_SESSION = 4
FDS_RESERVED = 64

FULL_TEXT = (
    "stretchtui is already running {n} browser sessions, its limit. Close a tab that runs it "
    "(or let it end), then reload; or start `stretchtui serve` with a higher --max-sessions."
)


def open_files_limit() -> int:
    """The soft limit on open files of this process (1024 when it cannot be read)."""
    try:
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, OSError, ValueError):
        return 1024
    return soft if soft > 0 else 1024


def connection_limit(max_sessions: int, files: int | None = None) -> int:
    """How many sockets may be open at once: what the open-files limit leaves
    after the app sessions, a reserve and one accept burst, at most 1,000, at
    least 16."""
    files = open_files_limit() if files is None else files
    room = files - FDS_RESERVED - FDS_PER_SESSION * max_sessions - BACKLOG
    return max(16, min(1000, room))


class ConnectionGuard:
    """Keeps the server's open sockets under ``limit``.

    Installed on aiohttp's ``web.Server`` (the protocol factory's manager):
    every new connection passes :meth:`admit`. Over the limit, the oldest
    connection that is only waiting (no request in progress) is closed; if
    every connection is busy, the new one is. The first time this happens in
    a burst, one line goes to the log.
    """

    def __init__(self, limit: int, log: logging.Logger | None = None) -> None:
        self.limit = limit
        self.log = log or logging.getLogger("stretchtui.web")
        self.opened: dict[Any, float] = {}
        self.shed = 0
        self._warned = False

    @staticmethod
    def waiting(handler: Any) -> bool:
        """True when ``handler`` has no request in progress (it is waiting for one)."""
        waiter = getattr(handler, "_waiter", None)
        if waiter is not None and not waiter.done():
            return True
        # Just accepted: its reading task has not started waiting yet.
        return getattr(handler, "_request_count", 1) == 0 and getattr(handler, "_task_handler", None) is None

    def admit(self, handler: Any, now: float) -> Any | None:
        """Record ``handler``; return a handler to close (an old waiting one, or
        ``handler`` itself when none can go), or None when there is room."""
        self.opened[handler] = now
        if len(self.opened) <= self.limit:
            self._warned = False
            return None
        victim = next(
            (h for h, _t in sorted(self.opened.items(), key=lambda kv: kv[1]) if h is not handler and self.waiting(h)),
            handler,
        )
        self.shed += 1
        if not self._warned:
            self._warned = True
            self.log.warning(
                "stretchtui web mode: %d connections are open, the limit for this process's open-files "
                "limit; closing idle ones to make room (a client is opening connections it does not use)",
                len(self.opened),
            )
        return victim

    def forget(self, handler: Any) -> None:
        self.opened.pop(handler, None)

    def install(self, server: Any) -> None:
        """Wrap ``server.connection_made``/``connection_lost`` (aiohttp's web.Server)."""
        made, lost = server.connection_made, server.connection_lost

        def connection_made(handler: Any, transport: Any) -> None:
            made(handler, transport)
            victim = self.admit(handler, time.monotonic())
            if victim is not None:
                victim.force_close()

        def connection_lost(handler: Any, exc: BaseException | None) -> None:
            self.forget(handler)
            lost(handler, exc)

        server.connection_made = connection_made
        server.connection_lost = connection_lost


def make_server(
    server_module: Any, command: str, host: str, port: int, url: str, guard: Any,
    *, max_sessions: int = DEFAULT_MAX_SESSIONS,
) -> Any:
    """A textual-serve Server with ``guard`` (a :class:`stretchtui.web.guard.Guard`)
    in front of every route, the limits of this module, our own start-up line
    and page; it stops its app processes itself when asked to exit (Ctrl+C,
    SIGTERM).

    textual-serve has no public hook for middleware, so ``_make_app`` (which
    builds the aiohttp application) is extended to add it, and ``serve`` is
    replaced by :func:`run_server` (aiohttp's ``run_app`` offers no way to
    limit connections). Should a later textual-serve stop calling ``_make_app``,
    the page, WebSocket and download handlers below still refuse any request
    the guard did not pass: the server fails closed, and tests/test_web.py
    fails loudly.
    """
    import asyncio
    import contextvars
    import secrets
    import signal

    import aiohttp_jinja2
    from aiohttp import web

    from .guard import (
        GUARDED,
        TOKEN_PARAM,
        WS_TOKEN,
        RedactToken,
        add_safety_headers,
        forwarded_scheme,
        unguarded,
    )

    apps: set[Any] = set()
    #: WebSockets let in whose app process is not running yet. Each holds its
    #: place from the moment it passes the limit until its process is tracked
    #: (or it ends): the limit counted only started processes, so a page or a
    #: second WebSocket asked for while one started got in too.
    reserved = [0]
    slot: contextvars.ContextVar[list[bool] | None] = contextvars.ContextVar("stretchtui_slot", default=None)

    def release(place: list[bool] | None) -> None:
        if place is not None and place[0]:
            place[0] = False
            reserved[0] -= 1

    def running() -> int:
        for process in [p for p in apps if p.returncode is not None]:
            apps.discard(process)
        return len(apps) + reserved[0]

    def full_response() -> web.Response:
        response = web.Response(
            status=503, text=FULL_TEXT.format(n=max_sessions) + "\n", content_type="text/plain", charset="utf-8"
        )
        response.headers["Cache-Control"] = "no-store"
        response.headers["Retry-After"] = "30"
        add_safety_headers(response)
        return response

    class TrackedAppService(server_module.AppService):
        async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
            process = await super()._open_app_process(width, height)
            apps.add(process)
            release(slot.get())  # the WebSocket's place is now its process
            return process

    # textual-serve's Server creates AppService by this module-level name.
    server_module.AppService = TrackedAppService

    class StretchServer(server_module.Server):
        _stopping = False

        def initialize_logging(self) -> None:
            super().initialize_logging()
            # One line per HTTP request is noise for a person running a server
            # for their own browser, and aiohttp's access line holds the
            # request target, token and all; problems are still logged.
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
            redact = RedactToken(guard.token)
            for handler in logging.getLogger().handlers:
                handler.addFilter(redact)
                # textual-serve's rich tracebacks print local variables.
                if hasattr(handler, "tracebacks_show_locals"):
                    handler.tracebacks_show_locals = False

        async def _make_app(self) -> Any:
            app = await super()._make_app()
            # The page's WebSocket carries the token in its path (textual.js
            # adds "?width=..&height=.." to whatever URL the page names).
            app.router.add_get(f"/ws/{{{WS_TOKEN}}}", self.handle_websocket, name="websocket-token")
            app.middlewares.append(guard.middleware)
            return app

        async def on_startup(self, app: Any) -> None:
            print(
                f"stretchtui web mode: open {url} in a browser.\n"
                "Keep this link to yourself: anyone who has it can use the app on your data.\n"
                f"Each browser tab runs its own copy of the app on the same data (at most {max_sessions} at once).\n"
                "Press Ctrl+C to stop.",
                flush=True,
            )

        async def handle_index(self, request: Any) -> Any:
            if not request.get(GUARDED):
                return unguarded()
            if running() >= max_sessions:
                return full_response()
            # textual-serve's page names an absolute WebSocket URL built from
            # public_url (ws://0.0.0.0:PORT with --host 0.0.0.0, useless to a
            # browser elsewhere); use the address the browser used, already
            # checked by the guard, and the scheme a reverse proxy reports so
            # HTTPS pages use wss://.
            scheme = forwarded_scheme(request)
            page_host = guard.page_host(request)
            ws_base = f"{'wss' if scheme == 'https' else 'ws'}://{page_host}"
            ws_url = ws_base + str(request.app.router["websocket-token"].url_for(**{WS_TOKEN: guard.token}))
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
                "storage_key": guard.storage_key,
            }
            response = aiohttp_jinja2.render_template("app_index.html", request, context)
            # The browser enforces it too: nothing from outside this server.
            response.headers["Content-Security-Policy"] = (
                "default-src 'none'; "
                f"script-src 'self' 'nonce-{nonce}'; "
                "style-src 'self' 'unsafe-inline'; "
                "font-src 'self'; img-src 'self' data: blob:; "
                f"connect-src 'self' {ws_base}; "
                "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
            )
            response.headers["Cache-Control"] = "no-store"
            add_safety_headers(response)
            return response

        async def handle_websocket(self, request: Any) -> Any:
            if not request.get(GUARDED):
                return unguarded()
            if running() >= max_sessions:
                return full_response()
            place = [True]  # taken now, with no await since the check (see ``reserved``)
            reserved[0] += 1
            token = slot.set(place)
            try:
                return await super().handle_websocket(request)
            finally:
                release(place)
                slot.reset(token)

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


def run_server(server: Any, *, max_sessions: int = DEFAULT_MAX_SESSIONS) -> ConnectionGuard:
    """Run ``server`` (from :func:`make_server`) until Ctrl+C or SIGTERM.

    textual-serve's ``serve`` with our limits: aiohttp's runner with the idle
    timeout, the kernel's backlog, and a :class:`ConnectionGuard` on the
    listening server. Returns the guard (for its counts) once stopped.
    """
    import asyncio
    import signal

    from aiohttp import web

    guard = ConnectionGuard(connection_limit(max_sessions))

    async def run() -> None:
        runner = web.AppRunner(
            await server._make_app(), handle_signals=False, access_log=None, keepalive_timeout=IDLE_TIMEOUT
        )
        await runner.setup()
        try:
            assert runner.server is not None
            guard.install(runner.server)
            await web.TCPSite(runner, server.host, server.port, backlog=BACKLOG).start()
            while True:
                await asyncio.sleep(3600)
        finally:
            await runner.cleanup()

    server.initialize_logging()
    # The log handler (rich) imports its traceback module on first use: with
    # no file descriptor left, that import failed inside asyncio's error
    # handler and the exception ended the server. Import it now.
    with contextlib.suppress(ImportError):
        import rich.traceback  # noqa: F401
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.set_exception_handler(_loop_error(guard))
    try:
        loop.add_signal_handler(signal.SIGINT, server.request_exit)
        loop.add_signal_handler(signal.SIGTERM, server.request_exit)
    except NotImplementedError:  # pragma: no cover - not POSIX
        pass
    main = loop.create_task(run())
    try:
        loop.run_until_complete(main)
    except (web.GracefulExit, KeyboardInterrupt):
        pass
    finally:
        main.cancel()
        with contextlib.suppress(asyncio.CancelledError, web.GracefulExit, KeyboardInterrupt):
            loop.run_until_complete(main)
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
    return guard


def _loop_error(guard: ConnectionGuard) -> Any:
    """asyncio's error handler for the server loop: out of file descriptors
    (asyncio then pauses accepting for a second) is said in one line, not a
    traceback per accept; nothing a handler raises can end the server."""
    import errno

    last = [-1e9]

    def handle(loop: Any, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, OSError) and exc.errno in (errno.EMFILE, errno.ENFILE):
            now = time.monotonic()
            if now - last[0] >= 10:
                last[0] = now
                guard.log.warning(
                    "stretchtui web mode: out of open files with %d connections open; "
                    "new ones wait a moment (raise ulimit -n if this is a real load)",
                    len(guard.opened),
                )
            return
        try:
            loop.default_exception_handler(context)
        except Exception:  # a log that cannot be written must not stop the server
            pass

    return handle


def serve_error(host: str, port: int, exc: OSError) -> str:
    """What to say when the server fails with ``exc``: the port only when the
    port is the problem."""
    import errno

    reason = exc.strerror or str(exc)
    if exc.errno in (errno.EMFILE, errno.ENFILE):
        return (
            f"the web server on {host}:{port} ran out of open files ({reason}). "
            "Raise the limit (ulimit -n) or lower --max-sessions, then start it again."
        )
    if exc.errno in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
        return f"cannot serve on {host}:{port}: {reason}. Is another server using that port? Choose another with --port."
    return f"the web server on {host}:{port} stopped: {reason}."
