"""``stretchtui serve``: parse the options, print, and run the web server.

The server itself (textual-serve with our guard, page and limits) lives in
:mod:`stretchtui.web.server`; this module only reads the command line and
reports. textual-serve is an optional extra: without it, say how to get it.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from ..web import server
from ..web.server import WebModeError


def web_extra_message() -> str:
    """How to get the web extra, for each way stretchtui may have been installed
    (the pip command names this interpreter, so it installs into the right venv)."""
    pip = shlex.join([sys.executable, "-m", "pip", "install"])
    return (
        "web mode needs the web extra (textual-serve). "
        f"From the stretchtui checkout you installed from: {pip} '.[web]'; "
        "installed with pipx: pipx inject stretchtui textual-serve"
    )


def run(args: argparse.Namespace) -> int:
    try:
        from textual_serve import server as server_module
    except ImportError:
        raise WebModeError(web_extra_message()) from None

    from ..core.storage.paths import resolve_data_dir
    from ..web.guard import TOKEN_PARAM, Guard, new_token, read_token_file

    host: str = args.host
    port: int = args.port
    max_sessions: int = args.max_sessions
    remote = not server.is_loopback(host)
    if remote and not getattr(args, "allow_remote", False):
        raise WebModeError(server.remote_refused(host))

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
    server.make_data_dir(data_dir)

    server.check_address(host, port)
    if remote:
        print(server.exposure_warning(host, port), file=sys.stderr, flush=True)
        if host.strip().strip("[]") in ("", "0.0.0.0", "::") and not getattr(args, "allow_host", None):
            print(
                f"  It answers only to localhost:{port} and 127.0.0.1:{port} (a tunnel); add --allow-host NAME\n"
                "  for the name other machines use to reach it.",
                file=sys.stderr, flush=True,
            )

    server.child_pythonpath()
    url = f"http://{server.url_host(host)}:{port}/?{TOKEN_PARAM}={token}"
    web = server.make_server(
        server_module, server.app_command(data_dir), host, port, url, guard, max_sessions=max_sessions
    )
    print(f"data directory: {data_dir}", flush=True)
    if created:
        print(f"made a new token in {token_file} (mode 0600); the link stays the same next time.", flush=True)
    try:
        server.run_server(web, max_sessions=max_sessions)
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        raise WebModeError(server.serve_error(host, port, exc)) from None
    print("stretchtui web mode stopped.", flush=True)
    return 0
