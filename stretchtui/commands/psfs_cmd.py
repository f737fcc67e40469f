"""``stretchtui psfs``: the Patient-Specific Functional Scale in the profile.

* ``stretchtui psfs [--json]`` lists the activities with their ratings;
* ``stretchtui psfs add "ACTIVITY" SCORE`` adds an activity rated today;
* ``stretchtui psfs rate "ACTIVITY" SCORE`` rates it again today (a second
  rating on the same day replaces the first);
* ``stretchtui psfs remove "ACTIVITY"`` removes it and its ratings.

SCORE is 0 (unable to do it) to 10 (as before the problem). The rules are in
:mod:`stretchtui.core.domain.psfs`; a bad activity or score is one line on stderr,
exit 2, and nothing is written. ``--json`` prints
``{"activities": [{"activity": str, "ratings": [{"date": "YYYY-MM-DD",
"score": int}]}], "next_rating_due": "YYYY-MM-DD" | null}`` (ratings oldest
first; ``next_rating_due`` is 7 days after the latest rating, null without
activities).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

from ..core.clock import Clock, SystemClock
from ..core.domain import psfs
from ..core.storage.store import open_store
from ..core.text import display, json_text


def run(args: argparse.Namespace, *, clock: Clock | None = None) -> int:
    """Run ``psfs`` (list), ``psfs add``, ``psfs rate`` or ``psfs remove``."""
    today = (clock or SystemClock()).now().date()
    action = getattr(args, "psfs_action", None)
    if action is None:
        return _show(args)
    store = open_store(args.data_dir)
    try:
        for notice in store.notices:
            print(f"stretchtui: {display(notice, multiline=True)}", file=sys.stderr)
        profile = store.get_profile()
        index = psfs.find(profile.psfs, args.activity)
        removed = profile.psfs[index].activity if index is not None else ""
        if action == "add":
            activities = psfs.add_activity(profile.psfs, args.activity, args.score, today)
        elif action == "rate":
            activities = psfs.rate_activity(profile.psfs, args.activity, args.score, today)
        else:
            activities = psfs.remove_activity(profile.psfs, args.activity)
        store.set_profile(replace(profile, psfs=activities))
    finally:
        store.close()
    if action == "remove":
        print(f'Removed "{display(removed)}" and its ratings.')
        return 0
    index = psfs.find(activities, args.activity)
    activity = activities[index if index is not None else -1]
    print(("Added " if action == "add" else "Rated ") + describe_activity(activity))
    return 0


def _show(args: argparse.Namespace) -> int:
    store = open_store(args.data_dir, create=False)  # reading only: creates nothing
    try:
        for notice in getattr(store, "notices", []) or []:
            print(f"stretchtui: {display(notice, multiline=True)}", file=sys.stderr)
        activities = store.get_profile().psfs
    finally:
        store.close()
    if args.json:
        print(json_text(to_json(activities), indent=2))
        return 0
    print("\n".join(describe(activities)))
    return 0


def to_json(activities: Sequence[psfs.PsfsActivity]) -> dict[str, Any]:
    """The ``stretchtui psfs --json`` document (see the module docstring)."""
    last = psfs.latest_day(activities)
    due = (last + timedelta(days=psfs.RERATE_DAYS)).isoformat() if last is not None else None
    return {"activities": psfs.to_list(activities), "next_rating_due": due}


def describe_activity(activity: psfs.PsfsActivity) -> str:
    """``"Tie my shoelaces": 6/10 on 2026-03-09 (first 4/10 on 2026-03-01, +2)``."""
    text = f'"{display(activity.activity)}"'
    latest, first = activity.latest, activity.first
    if latest is None or first is None:
        return f"{text}: not rated yet"
    text += f": {latest.score}/10 on {latest.day.isoformat()}"
    if first.day != latest.day:
        change = latest.score - first.score
        sign = "+" if change > 0 else ""
        text += f" (first {first.score}/10 on {first.day.isoformat()}, {sign}{change})"
    return text


def describe(activities: Sequence[psfs.PsfsActivity]) -> list[str]:
    """The activities as lines of text for ``stretchtui psfs``."""
    if not activities:
        return [
            "No PSFS activities yet. Name up to 5 things your back or neck makes hard and rate",
            "each 0 (unable) to 10 (as before the problem), for example:",
            '  stretchtui psfs add "tie my shoelaces" 4',
        ]
    lines = ["PSFS: 0 = unable to do it, 10 = as before the problem"]
    lines += [f"  {describe_activity(a)}" for a in activities]
    last = psfs.latest_day(activities)
    if last is not None:
        due = last + timedelta(days=psfs.RERATE_DAYS)
        lines.append(f'Rate them again from {due.isoformat()}: stretchtui psfs rate "ACTIVITY" SCORE')
    return lines
