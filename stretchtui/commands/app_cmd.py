"""``stretchtui`` with no command: start the full-screen app.

SIGHUP (a dropped SSH connection, a closed terminal) and SIGTERM close a
running guided session with an ``interrupted`` record before the app exits
(see :func:`.play_cmd.run_app`).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO

from ..core.catalog import load_catalog
from ..core.clock import ScaledClock, SystemClock
from ..core.config import load_config
from ..core.errors import StretchtuiError
from ..core.store import open_store


class NotATerminal(StretchtuiError):
    """The full-screen app was started with its output redirected."""


def require_terminal(stdout: TextIO | None = None, environ: dict | None = None) -> None:
    """Refuse to start the full-screen app when standard output is not a terminal.

    ``stretchtui > file`` would fill the file with escape codes and wait
    for keys forever. The browser mode (``serve``) runs the app through a
    web driver named in ``$TEXTUAL_DRIVER``, with pipes instead of a
    terminal: that is allowed.
    """
    env = os.environ if environ is None else environ
    if env.get("TEXTUAL_DRIVER"):
        return
    out = sys.stdout if stdout is None else stdout
    try:
        tty = out.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty:
        raise NotATerminal(
            "the full-screen app needs a terminal, but standard output is redirected; "
            "run it in a terminal, or use `stretchtui play NAME --plain` or `stretchtui history` for text output."
        )


def run(args: argparse.Namespace) -> int:
    require_terminal()
    catalog = load_catalog()
    store = open_store(args.data_dir)
    clock = SystemClock() if args.speed == 1.0 else ScaledClock(args.speed)
    from ..ui.app import make_app  # imported late: Textual is the slow part of start-up
    from .play_cmd import run_app

    try:
        app = make_app(store=store, catalog=catalog, clock=clock, settings=load_config())  # the app says any problem
        return run_app(app)
    finally:
        store.close()
