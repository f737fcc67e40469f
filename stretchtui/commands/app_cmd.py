"""``stretchtui`` with no command: start the full-screen app.

SIGHUP (a dropped SSH connection, a closed terminal) and SIGTERM close a
running guided session with an ``interrupted`` record before the app exits
(see :func:`run_app`, which `play` uses too).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any, TextIO

from ..core.clock import ScaledClock, SystemClock
from ..core.errors import StretchtuiError
from ..core.storage.config import load_config
from ..core.storage.store import open_store

if TYPE_CHECKING:  # pragma: no cover
    import argparse

    from textual.app import App

    from ..core.domain.catalog import Catalog


class NotATerminal(StretchtuiError):
    """The full-screen app was started with its output redirected."""


#: Signals that end a session as "interrupted".
HANGUP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name)
)


#: Seconds the app gets to shut down after SIGHUP/SIGTERM before the process is ended.
_EXIT_GRACE = 3.0


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


def hold_gc_until_first_frame() -> None:
    """Keep the garbage collector off while the app starts (``stretchtui`` with no command).

    Starting makes about 90,000 objects (Textual's modules, widgets and styles,
    the catalog) and almost none of them is garbage, yet the collector walked
    them in 130 young collections, about 15 ms before the first frame. The app
    turns it back on once that frame is painted, after moving what start-up
    made out of its way (``StretchApp.freeze_after_start``); :func:`run` turns
    it back on if the app does not start.
    """
    gc.disable()


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    finally:
        gc.enable()  # on by now, unless the app never painted (no terminal, a broken data folder)


def _run(args: argparse.Namespace) -> int:
    require_terminal()
    store = open_store(args.data_dir)
    clock = SystemClock() if args.speed == 1.0 else ScaledClock(args.speed)
    from ..ui.app import make_app  # imported late: Textual is the slow part of start-up

    try:
        # The catalog is loaded when a screen first shows it: a new user's first screen, the
        # notice, does not (a catalog that cannot load ends the app with its message).
        app = make_app(store=store, catalog=_load_catalog, clock=clock, settings=load_config())  # the app says any problem
        return run_app(app)
    finally:
        store.close()


def _load_catalog() -> Catalog:
    from ..core.domain.catalog import load_catalog

    return load_catalog()


def run_app(app: App[Any]) -> int:
    """Run a Textual app; SIGHUP/SIGTERM close a running session as ``interrupted`` and exit cleanly."""
    import asyncio

    def finish(signum: int) -> None:
        name = signal.Signals(signum).name
        # Imported only on a signal, not at start-up.
        from ..core.domain.player import interrupt_active_sessions

        interrupt_active_sessions(f"signal:{name}")
        app.exit(return_code=128 + signum)
        # After a hangup the terminal is gone and restoring it can block for
        # good; the session is saved, so make sure the process ends.
        watchdog = threading.Timer(_EXIT_GRACE, os._exit, args=(128 + signum,))
        watchdog.daemon = True
        watchdog.start()

    def on_signal(signum: int, _frame: Any) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None:  # before the app's loop started or after it ended
            from ..core.domain.player import interrupt_active_sessions

            interrupt_active_sessions(f"signal:{signal.Signals(signum).name}")
            raise SystemExit(128 + signum)
        # Run on the event loop, not inside whatever the handler interrupted
        # (which may hold the store's lock).
        loop.call_soon_threadsafe(finish, signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in HANGUP_SIGNALS}
    if hasattr(app, "freeze_after_start"):  # one app per process: see StretchApp.freeze_after_start
        app.freeze_after_start = 1.0
    keep_css = getattr(app, "keep_parsed_css", None)
    if keep_css is not None:  # CSS parsed by former runs, read back (ui/css_cache.py)
        from ..ui.css_cache import default_path

        keep_css(default_path())
    try:
        app.run()
    finally:
        writer = getattr(app, "writer", None)
        if writer is not None:  # the writes the app queued (a session's last record) land before the store closes
            writer.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        save_caches = getattr(app, "save_caches", None)
        if save_caches is not None:
            save_caches()
    return int(app.return_code or 0)
