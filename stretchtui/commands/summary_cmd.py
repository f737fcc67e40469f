"""``stretchtui summary [--weeks N]``: a plain-text summary for a clinician.

Prints the same text the History screen copies to the clipboard, built by
:func:`stretchtui.core.reports.history.clinician_summary` from the recorded sessions
and the profile's PSFS activities.
"""

from __future__ import annotations

import argparse
import sys

from ..core.clock import Clock, SystemClock
from ..core.domain.catalog import load_catalog
from ..core.reports.history import clinician_summary
from ..core.storage.store import open_store
from ..core.text import display


def run(args: argparse.Namespace, *, clock: Clock | None = None) -> int:
    """Print the summary of the last ``args.weeks`` weeks; ``clock`` gives "today" (tests)."""
    clock = clock or SystemClock()
    catalog = load_catalog()
    store = open_store(args.data_dir, create=False)  # reading only: creates nothing
    try:
        sessions = store.list_sessions()
        profile = store.get_profile()
        activities = profile.psfs
    finally:
        store.close()
    for notice in getattr(store, "notices", []) or []:
        print(f"stretchtui: {display(notice, multiline=True)}", file=sys.stderr)
    text = clinician_summary(sessions, catalog, clock.now().date(), weeks=getattr(args, "weeks", 4), psfs=activities,
                             profile=profile)
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0
