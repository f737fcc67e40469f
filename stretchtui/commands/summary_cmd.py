"""``stretchtui summary [--weeks N]``: a plain-text summary for a clinician.

Prints the same text the History screen copies to the clipboard, built by
:func:`stretchtui.core.reports.history.clinician_summary` from the recorded sessions
and the profile's PSFS activities.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta

from ..core.clock import Clock, SystemClock
from ..core.domain.catalog import load_catalog
from ..core.reports.aggregates import summary_sessions
from ..core.reports.history import clinician_summary
from ..core.storage.store import open_store
from ..core.text import display


def run(args: argparse.Namespace, *, clock: Clock | None = None) -> int:
    """Print the summary of the last ``args.weeks`` weeks; ``clock`` gives "today" (tests)."""
    clock = clock or SystemClock()
    catalog = load_catalog()
    today = clock.now().date()
    weeks = max(1, int(getattr(args, "weeks", 4)))
    store = open_store(args.data_dir, create=False)  # reading only: creates nothing
    try:
        # Only the years that may hold the period are read; older years come from their aggregates.
        sessions, earlier = summary_sessions(store, today - timedelta(days=7 * weeks - 1))
        profile = store.get_profile()
        activities = profile.psfs
    finally:
        store.close()
    for notice in getattr(store, "notices", []) or []:
        print(f"stretchtui: {display(notice, multiline=True)}", file=sys.stderr)
    text = clinician_summary(
        sessions, catalog, today, weeks=weeks, psfs=activities, profile=profile,
        earlier_days=earlier.days if earlier else (), earlier_doses=earlier.doses if earlier else None,
    )
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0
