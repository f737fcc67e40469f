"""Library and history commands: ``import``, ``export``, ``routines``, ``history``.

All of them honour ``--data-dir`` / ``STRETCHTUI_DATA_DIR``. Notices from
opening the store (a restored backup, a read-only folder) go to stderr.

* ``import FILE...``: each file is read strictly and added to the library; a
  taken name becomes "Name (2)". Each file is reported; a bad file does not
  stop the others; exit 2 if any failed.
* ``export NAME [-o FILE] [--force]``: writes a valid ``.routine.json``
  atomically (default ``<slug>.routine.json`` in the current folder; ``-o -``
  for stdout); never overwrites without ``--force``. With ``--html`` it
  writes the printable handout instead (default ``<slug>.html``).
* ``routines [--json]``: the library (and the catalog's starters, marked).
* ``history [--json | --csv]``: recorded sessions. CSV text fields that a
  spreadsheet would run as a formula (starting with = + - @ or a tab/CR) are
  prefixed with a quote.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import re
import sys
from typing import Any, Iterable, Optional

from ..core.errors import StretchtuiError
from ..core.models import Routine
from ..core.store import Store, StoreError, open_store
from ..core.text import clean_name, clean_text
from ..core.timeline import build_timeline, format_duration

HISTORY_FIELDS = (
    "id", "routine", "started", "ended", "status", "duration", "steps_done", "steps_skipped",
    "steps_total", "pain_before", "pain_after", "note", "stop_reason", "counted",
)


def run(args: argparse.Namespace) -> int:
    handler = {
        "import": _import,
        "export": _export,
        "routines": _routines,
        "history": _history,
    }[args.command]
    store = open_store(args.data_dir)
    try:
        for notice in store.notices:
            print(f"stretchtui: {notice}", file=sys.stderr)
        return handler(args, store)
    finally:
        store.close()


def _load_catalog() -> Any:
    from ..core.catalog import load_catalog

    return load_catalog()


# ------------------------------------------------------------------ import
def _import(args: argparse.Namespace, store: Store) -> int:
    from ..core.routine_file import read_routine_file

    catalog = _load_catalog()
    failed = 0
    for path in args.files:
        try:
            routine = read_routine_file(path, catalog)
            added = store.add_routine(routine)
        except StretchtuiError as exc:
            failed += 1
            message = str(exc)
            if not message.startswith(str(path)):
                message = f"{path}: {message}"
            print(f"stretchtui: {message}", file=sys.stderr)
            continue
        if clean_name(routine.name).casefold() != added.name.casefold():
            print(f"imported {added.name} (from {path}; {clean_name(routine.name)!r} was already taken)")
        else:
            print(f"imported {added.name}")
    if failed:
        print(f"stretchtui: {failed} of {len(args.files)} file(s) could not be imported", file=sys.stderr)
        return 2
    return 0


# ------------------------------------------------------------------ export
def slugify(name: str) -> str:
    """A file-name-safe form of ``name`` ("Morning stiffness" -> "morning-stiffness")."""
    slug = re.sub(r"[^\w]+", "-", clean_name(name).casefold(), flags=re.ASCII).strip("-")
    return slug[:60].strip("-") or "routine"


def _find_routine(store: Store, name: str, catalog: Any) -> Routine:
    routine = store.get_routine(name)
    if routine is not None:
        return routine
    key = clean_name(name).casefold()
    starters = list(getattr(catalog, "starters", ()) or ())
    for starter in starters:
        if clean_name(starter.name).casefold() == key:
            return starter
    names = [r.name for r in store.list_routines()] + [s.name for s in starters]
    close = difflib.get_close_matches(key, [n.casefold() for n in names], n=3, cutoff=0.5)
    by_key = {n.casefold(): n for n in names}
    if close:
        hint = "Did you mean " + ", ".join(repr(by_key[c]) for c in close) + "?"
    elif names:
        hint = "Run `stretchtui routines` to see the names."
    else:
        hint = "The library is empty: import a routine file first."
    raise StoreError(f"there is no routine called {clean_name(name)!r}. {hint}")


def _export(args: argparse.Namespace, store: Store) -> int:
    from ..core.routine_file import routine_to_json, write_routine_file

    catalog = _load_catalog()
    routine = _find_routine(store, args.name, catalog)
    if getattr(args, "html", False):
        return _export_html(args, store, routine, catalog)
    if args.output == "-":
        sys.stdout.write(routine_to_json(routine))
        sys.stdout.flush()
        return 0
    target = args.output or f"{slugify(routine.name)}.routine.json"
    written = write_routine_file(routine, target, force=args.force)
    print(f"exported {routine.name} to {written}")
    return 0


def _export_html(args: argparse.Namespace, store: Store, routine: Routine, catalog: Any) -> int:
    from datetime import date

    from ..core.handout import build_handout, write_handout
    from ..core.pose import PoseError, load_poses

    poses = None
    try:
        poses = load_poses()
    except PoseError as exc:
        print(f"stretchtui: {exc}; the handout is written without figures", file=sys.stderr)
    text = build_handout(routine, catalog, store.get_profile(), today=date.today(), poses=poses)
    if args.output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    target = args.output or f"{slugify(routine.name)}.html"
    written = write_handout(text, target, force=args.force)
    print(f"wrote the handout for {routine.name} to {written} (open it in a browser and print it)")
    return 0


# ------------------------------------------------------------------ routines
def _total_seconds(routine: Routine, catalog: Any, profile: Any) -> Optional[int]:
    try:
        timeline = build_timeline(
            routine, catalog.stretches, get_ready=profile.get_ready, between=profile.default_rest
        )
    except (KeyError, ValueError, TypeError):
        return None  # a stretch no longer in the catalog
    return timeline.total_seconds


def _routines(args: argparse.Namespace, store: Store) -> int:
    catalog = _load_catalog()
    profile = store.get_profile()
    rows = []
    for routine, starter in [(r, False) for r in store.list_routines()] + [
        (s, True) for s in (getattr(catalog, "starters", ()) or ())
    ]:
        rows.append({
            "name": clean_name(routine.name),
            "starter": starter,
            "item_count": len(routine.items),
            "total_seconds": _total_seconds(routine, catalog, profile),
            "notes": clean_text(routine.notes or ""),
            "items": [item.to_dict() for item in routine.items],
        })
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("No routines yet. Import one with `stretchtui import FILE` or build one in the app.")
        return 0
    width = min(max(len(r["name"]) for r in rows), 48)
    for r in rows:
        mark = "*" if r["starter"] else " "
        total = format_duration(r["total_seconds"]) if r["total_seconds"] is not None else "?"
        count = r["item_count"]
        print(f"{mark} {r['name']:<{width}}  {count:>3} stretch{'es' if count != 1 else '  '}  {total:>7}")
    if any(r["starter"] for r in rows):
        print("* starter routine from the catalog (copy it to change it)")
    return 0


# ------------------------------------------------------------------ history
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """Text a spreadsheet would treat as a formula gets a leading quote; other values pass."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def history_row(doc: dict) -> dict:
    """One CSV/text row of a session document."""
    row = {key: doc.get(key) for key in HISTORY_FIELDS}
    row["duration"] = doc.get("active_seconds")
    for key in ("routine", "note", "stop_reason", "status", "started", "ended"):
        if isinstance(row[key], str):
            row[key] = clean_text(row[key], multiline=key == "note")
    return row


def _write_csv(sessions: Iterable[dict]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(HISTORY_FIELDS)
    for doc in sessions:
        row = history_row(doc)
        writer.writerow(["" if row[k] is None else csv_safe(row[k]) for k in HISTORY_FIELDS])


def _history(args: argparse.Namespace, store: Store) -> int:
    sessions = store.list_sessions()
    if args.json:
        print(json.dumps(sessions, indent=2, ensure_ascii=False))
        return 0
    if args.csv:
        _write_csv(sessions)
        return 0
    if not sessions:
        print("No sessions recorded yet.")
        return 0
    for doc in sessions:
        row = history_row(doc)
        duration = row["duration"]
        dur = format_duration(duration) if isinstance(duration, (int, float)) else "?"
        started = str(row["started"] or "?")[:16].replace("T", " ")
        done, total = row["steps_done"], row["steps_total"]
        steps = f"{done}/{total} steps" if done is not None and total is not None else ""
        counted = "" if row["counted"] is not False else "  (not counted)"
        print(f"{row['id']:>5}  {started:<16}  {clean_name(str(row['routine'] or '?')):<28.28}  "
              f"{str(row['status'] or '?'):<11}  {dur:>7}  {steps}{counted}")
    return 0
