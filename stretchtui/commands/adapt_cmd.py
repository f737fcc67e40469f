"""``stretchtui suggest`` and ``stretchtui checkin``: the routine that adapts.

* ``suggest NAME|FILE [--json] [--apply]``: the progression rule
  (:mod:`..core.domain.progression`) applied to each item of the routine from the
  recorded sessions: one line per item with the action and why. ``--json``
  prints ``{"routine": str, "items": [{"stretch", "action", "hold": {"from",
  "to"}, "reps": {"from", "to"}, "why"}]}``. ``--apply`` writes the changed
  doses to the library routine; a routine file or a starter is never
  modified: a copy is saved in the library instead ("Name (copy)").
* ``checkin better|same|worse``: records the day-after check-in on the latest
  session that ended 12 to 72 hours ago and has none (:mod:`..core.domain.checkin`).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..core.clock import Clock, SystemClock
from ..core.domain.catalog import load_catalog
from ..core.domain.models import Routine
from ..core.domain.progression import RoutinePlan, Suggestion, suggest_routine
from ..core.domain.session import Session
from ..core.reports.aggregates import history
from ..core.storage.lookup import add_as_own, find_routine
from ..core.storage.store import Store, open_store
from ..core.text import clean_name, display, json_text

if TYPE_CHECKING:  # pragma: no cover
    from ..core.domain.catalog import Catalog
    from ..core.storage.ports import StorePort


def run(args: argparse.Namespace, *, clock: Clock | None = None) -> int:
    clock = clock or SystemClock()
    writes = args.command == "checkin" or bool(getattr(args, "apply", False))
    store = open_store(args.data_dir, create=writes)
    try:
        for notice in store.notices:
            print(f"stretchtui: {display(notice, multiline=True)}", file=sys.stderr)
        if args.command == "checkin":
            return _checkin(args, store, clock)
        return _suggest(args, store)
    finally:
        store.close()


# ------------------------------------------------------------------ suggest
def stored_sessions(store: StorePort) -> list[Session]:
    """Every recorded session (the store reads them; unreadable documents are left out there)."""
    return list(store.list_sessions())


def _dose(s: Suggestion, which: str) -> str:
    dose = s.before if which == "before" else s.after
    return f"{dose.hold} s × {dose.reps}"


def _line(s: Suggestion, catalog: Catalog) -> str:
    stretch = catalog.get(s.stretch)
    name = stretch.name if stretch is not None else s.stretch
    dose = f"{_dose(s, 'before')} → {_dose(s, 'after')}" if s.changes else _dose(s, "before")
    return f"{s.action:<9} {display(name)} ({dose}): {s.why}"


def _save(plan: RoutinePlan, store: Store, catalog: Catalog, from_file: bool) -> tuple[Routine, bool]:
    """Write the plan's doses; returns the saved routine and whether it is a new copy."""
    routine = plan.applied()
    if from_file or routine.starter:
        return add_as_own(store, catalog, routine, copy=True), True
    return store.save_routine(routine, replace=routine.name), False


def _suggest(args: argparse.Namespace, store: Store) -> int:
    catalog = load_catalog()
    routine, from_file = find_routine(args.routine, store, catalog)
    summary = history(store)  # the per-year aggregates: no session document read when they are cached
    sessions = stored_sessions(store) if summary is None else []
    plan = suggest_routine(routine, catalog, sessions, profile=store.get_profile(), summary=summary)
    saved: tuple[Routine, bool] | None = None
    if args.apply and plan.changes:
        saved = _save(plan, store, catalog, from_file)
    out = sys.stderr if args.json else sys.stdout
    if args.json:
        data = plan.to_json()
        data["routine"] = clean_name(data["routine"])
        print(json_text(data, indent=2))
    else:
        print(display(routine.name) + (" (from a file)" if from_file else ""))
        if not plan.items:
            print("  No stretch of this routine is in the catalog: nothing to suggest.")
        for item in plan.items:
            print("  " + _line(item.suggestion, catalog))
        if plan.flare:
            print("In a flare (profile, or pain before the last session of 7 or more): no step up.")
    if args.apply:
        if saved is None:
            print("Nothing to apply: every dose stays as it is.", file=out)
        elif saved[1]:
            what = "file" if from_file else "starter"
            print(f"Saved the new doses as {display(saved[0].name)} in the library (the {what} is unchanged).",
                  file=out)
        else:
            print(f"Saved the new doses to {display(saved[0].name)}.", file=out)
        if any(p.suggestion.action == "drop" for p in plan.items):
            print("A drop is not applied: remove that stretch in the builder if you agree.", file=out)
    elif plan.changes and not args.json:
        print("Apply these doses with --apply.")
    return 0


# ------------------------------------------------------------------ checkin
def _checkin(args: argparse.Namespace, store: Store, clock: Clock) -> int:
    from ..core.domain.checkin import describe_session, record_checkin, session_age

    now = clock.now()
    _doc_id, session = record_checkin(store, args.answer, now)
    age = session_age(session, now)
    hours = f" ({int(age.total_seconds() // 3600)} h ago)" if age is not None else ""
    print(f"Recorded {args.answer!r} for the session {display(describe_session(session, now))}{hours}.")
    if args.answer == "worse":
        print("The next `stretchtui suggest` backs that routine's doses off. If pain keeps getting worse, "
              "or spreads down an arm or leg, see a clinician.")
    return 0
