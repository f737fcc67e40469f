"""``stretchtui profile [--condition C [C ...] | --clear] [--flare on|off] [--json]``.

Shows the profile (conditions, flare and since when, player settings), or
changes it first: ``--condition`` sets the conditions (ids or names, see
``stretchtui catalog``), ``--clear`` removes them all, ``--flare on`` records
a flare from today (the app asks again after 14 days), ``--flare off`` ends
it. Changes are written through the store, like the app's Profile screen.
An unknown condition is an error with suggestions (exit 2); nothing is
changed then.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import TYPE_CHECKING

from ..core.clock import SystemClock
from ..core.domain.catalog import load_catalog
from ..core.domain.models import FLARE_REVIEW_DAYS, Profile
from ..core.storage.lookup import resolve_conditions
from ..core.text import display, json_text

if TYPE_CHECKING:  # pragma: no cover
    from ..core.domain.catalog import Catalog


def run(args: argparse.Namespace) -> int:
    from ..core.storage.store import open_store

    catalog = load_catalog()
    conditions = resolve_conditions(args.condition, catalog) if args.condition is not None else None
    writes = conditions is not None or args.clear or args.flare in ("on", "off")
    store = open_store(args.data_dir, create=writes)  # showing creates and migrates nothing
    try:
        for notice in store.notices:
            print(f"stretchtui: {display(notice, multiline=True)}", file=sys.stderr)
        profile = store.get_profile()
        changed = profile
        if conditions is not None:
            changed = replace(changed, conditions=conditions)
        if args.clear:
            changed = replace(changed, conditions=())
        if args.flare == "on":
            changed = replace(changed, flare=True, flare_since=SystemClock().now().date().isoformat())
        elif args.flare == "off":
            changed = replace(changed, flare=False, flare_since=None)
        if changed != profile:
            store.set_profile(changed)
            profile = store.get_profile()
    finally:
        store.close()
    if args.json:
        print(json_text(profile.to_dict(), indent=2))
    else:
        print("\n".join(describe(profile, catalog)))
    return 0


def _on(value: bool) -> str:
    return "on" if value else "off"


def describe(profile: Profile, catalog: Catalog) -> list[str]:
    """The profile as lines of text."""
    names = [catalog.conditions[c].name if c in catalog.conditions else c for c in profile.conditions]
    lines = ["Conditions: " + (", ".join(names) if names else "none (set them with --condition C ...)")]
    if profile.flare:
        since = f" since {profile.flare_since}" if profile.flare_since else ""
        lines.append(
            f"Flare: on{since}. Bending forward and nerve tensioners count as 'avoid' for disc "
            f"herniation and sciatica; the app asks again after {FLARE_REVIEW_DAYS} days."
        )
        if not {"disc-herniation", "sciatica"} & set(profile.conditions):
            lines.append("  (The flare changes warnings for disc herniation and sciatica; neither is ticked.)")
    else:
        lines.append("Flare: off")
    lines.append(
        f"Player: get ready {profile.get_ready} s, rest between stretches {profile.default_rest} s, "
        f"bell {_on(profile.bell)}, desktop notifications {_on(profile.notifications)}, "
        f"red-flag checklist {_on(profile.checklist)}"
    )
    return lines
