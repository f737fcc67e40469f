"""``stretchtui`` with no command: start the full-screen app.

SIGHUP (a dropped SSH connection, a closed terminal) and SIGTERM close a
running guided session with an ``interrupted`` record before the app exits
(see :func:`.play_cmd.run_app`).
"""

from __future__ import annotations

import argparse

from ..core.catalog import load_catalog
from ..core.clock import ScaledClock, SystemClock
from ..core.config import load_config
from ..core.store import open_store


def run(args: argparse.Namespace) -> int:
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
