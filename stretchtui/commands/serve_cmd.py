"""``stretchtui serve``: the same app in a web browser, through textual-serve.

textual-serve is an optional extra (``pip install 'stretchtui[web]'``). It runs
a small web server; every browser tab that connects gets its own app process
(``python -m stretchtui --data-dir DIR``), all on the same data directory. The
store's lock and atomic writes keep those processes' writes apart.

There is no authentication in textual-serve, so the server binds to loopback
by default and warns when told to bind anywhere else.
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
        "  stretchtui's web mode has NO authentication: anyone who can open the page can\n"
        "  read and change the routines, history and profile in this data directory.\n"
        "  Safer: keep the default --host 127.0.0.1 and use an SSH tunnel from your device,\n"
        f"    ssh -L {port}:localhost:{port} USER@THIS-HOST   then open http://localhost:{port}\n"
        "  or put it behind a reverse proxy that asks for a password (and uses HTTPS)."
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
    site_dirs = set()
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


def _make_server(server_module: Any, command: str, host: str, port: int, url: str) -> Any:
    """A textual-serve Server that prints our own start-up line, builds the
    page's websocket URL from the address the browser actually used, and stops
    its app processes itself when asked to exit (Ctrl+C, SIGTERM)."""
    import asyncio
    import signal

    apps: set[Any] = set()

    class TrackedAppService(server_module.AppService):  # type: ignore[misc, name-defined]
        async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
            process = await super()._open_app_process(width, height)
            apps.add(process)
            return process

    # textual-serve's Server creates AppService by this module-level name.
    server_module.AppService = TrackedAppService

    class StretchServer(server_module.Server):  # type: ignore[misc, name-defined]
        _stopping = False

        def initialize_logging(self) -> None:
            super().initialize_logging()
            # One line per HTTP request is noise for a person running a server
            # for their own browser; problems are still logged.
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

        async def on_startup(self, app: Any) -> None:
            print(
                f"stretchtui web mode: open {url} in a browser.\n"
                "Each browser tab runs its own copy of the app on the same data.\n"
                "Press Ctrl+C to stop.",
                flush=True,
            )

        async def handle_index(self, request: Any) -> Any:
            # textual-serve puts an absolute websocket URL in the page, built
            # from public_url. With --host 0.0.0.0 that would be
            # ws://0.0.0.0:PORT, which a browser on another machine cannot
            # reach; use the host the browser asked for instead (and the
            # scheme a reverse proxy reports, so HTTPS pages use wss://).
            headers = request.headers
            scheme = headers.get("X-Forwarded-Proto", request.scheme).split(",")[0].strip()
            netloc = headers.get("X-Forwarded-Host", request.host).split(",")[0].strip()
            if scheme in ("http", "https") and netloc:
                self.public_url = f"{scheme}://{netloc}"
            return await super().handle_index(request)

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

    return StretchServer(command, host=host, port=port, title="stretchtui", public_url=url)


def run(args: argparse.Namespace) -> int:
    try:
        from textual_serve import server as server_module
    except ImportError:
        raise WebModeError(WEB_EXTRA_MESSAGE) from None

    from ..core.paths import resolve_data_dir

    # Absolute (so every app process agrees whatever its working directory),
    # symlinks kept as written, like the store does.
    data_dir = Path(resolve_data_dir(args.data_dir))
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)  # the store refuses a dir others can write
    except OSError as exc:
        raise WebModeError(
            f"cannot create the data directory {data_dir}: {exc.strerror or exc}. "
            "Choose another one with --data-dir."
        ) from None

    host: str = args.host
    port: int = args.port
    check_address(host, port)
    if not is_loopback(host):
        print(exposure_warning(host, port), file=sys.stderr, flush=True)

    _child_pythonpath()
    url = f"http://{_url_host(host)}:{port}"
    server = _make_server(server_module, app_command(data_dir), host, port, url)
    print(f"data directory: {data_dir}", flush=True)
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
