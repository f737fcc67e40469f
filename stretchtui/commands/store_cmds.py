"""Library and history commands: ``import``, ``export``, ``routines``, ``history``.

All of them honour ``--data-dir`` / ``STRETCHTUI_DATA_DIR``. Notices from
opening the store (a restored backup, a read-only folder) go to stderr.

* ``import FILE...``: each file is read strictly and added to the library; a
  taken name becomes "Name (2)". Each file is reported; a bad file does not
  stop the others; exit 2 if any failed. The avoid and caution warnings of
  each imported routine, for the profile, are printed under it.
* ``export NAME [-o FILE] [--force]``: writes a valid ``.routine.json``
  atomically (default ``<slug>.routine.json`` in the current folder; ``-o -``
  for stdout); never overwrites without ``--force``. With ``--html`` it
  writes the printable handout instead (default ``<slug>.html``).
* ``routines [--json]``: the library (and the catalog's starters, marked).
* ``history [--json | --csv]``: recorded sessions. ``--json`` writes a
  history file (:mod:`..core.storage.history_file`, ``history.schema.json``). CSV
  text fields that a spreadsheet would run as a formula (starting with
  = + - @ or a tab/CR) are prefixed with a quote.
* ``history import FILE``: adds the file's sessions that are not stored yet
  (same id: skipped); prints how many were added and skipped. The file is
  validated first; on any problem nothing is written.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.domain.models import Routine
from ..core.domain.session import Session
from ..core.domain.timeline import format_duration, routine_seconds
from ..core.errors import StretchtuiError
from ..core.storage.files import export_file_name
from ..core.storage.store import Store, open_store
from ..core.text import clean_name, clean_text, display, json_text

if TYPE_CHECKING:  # pragma: no cover
    from ..core.domain.catalog import Catalog

HISTORY_FIELDS = (
    "id", "routine", "started", "ended", "status", "duration", "steps_done", "steps_skipped",
    "steps_total", "pain_before", "pain_after", "note", "stop_reason", "counted", "checkin",
)


def run(args: argparse.Namespace) -> int:
    if args.command == "import":
        # Read and check everything first: nothing unreadable creates or touches the data folder.
        read = _read_imports(args, _load_catalog())
        if not any(routine is not None for _where, routine in read):
            print(f"stretchtui: nothing imported ({len(read)} could not be read)", file=sys.stderr)
            return 2
        store = open_store(args.data_dir, create=True)
        try:
            for notice in store.notices:
                print(f"stretchtui: {display(notice, multiline=True)}", file=sys.stderr)
            return _import(args, store, read)
        finally:
            store.close()
    handler = {
        "share": _share,
        "export": _export,
        "routines": _routines,
        "history": _history,
    }[args.command]
    writes = getattr(args, "history_command", None) == "import"
    if writes:  # checked before the data folder is opened: a refused file creates nothing
        from ..core.storage.history_file import open_history_file

        args.history_file = open_history_file(args.file)  # checked whole, a chunk at a time
    store = open_store(args.data_dir, create=writes)  # the others only read: they create nothing
    shown = 0

    def notices() -> None:  # those found on opening, then those found while reading (a damaged year file)
        nonlocal shown
        for notice in store.notices[shown:]:
            print(f"stretchtui: {display(notice, multiline=True)}", file=sys.stderr)
        shown = len(store.notices)

    try:
        notices()
        return handler(args, store)
    finally:
        notices()
        store.close()


def _load_catalog() -> Any:
    from ..core.domain.catalog import load_catalog

    return load_catalog()


# ------------------------------------------------------------------ import
def _read_imports(args: argparse.Namespace, catalog: Catalog) -> list[tuple[str, Routine | None]]:
    """Each routine ``import`` was given, read and checked before the data
    folder is touched: ``(where, routine)``, or ``(where, None)`` after
    printing why it cannot be imported."""
    from ..core.storage.routine_file import read_routine_file
    from ..core.storage.share_code import decode

    sources: list[tuple[str, Any]] = [(path, lambda p=path: read_routine_file(p, catalog)) for path in args.files]
    for code in args.code:
        text = sys.stdin.read(1024 * 1024) if code == "-" else code
        sources.append(("share code", lambda t=text: decode(t, catalog)))
    if not sources:
        raise StretchtuiError("import needs a routine file, a handout or --code CODE (see stretchtui import --help)")
    read: list[tuple[str, Routine | None]] = []
    for where, reader in sources:
        try:
            read.append((where, reader()))
        except StretchtuiError as exc:
            message = display(str(exc), multiline=True)
            if not message.startswith(display(where)):
                message = f"{display(where)}: {message}"
            print(f"stretchtui: {message}", file=sys.stderr)
            read.append((where, None))
    return read


def _import(args: argparse.Namespace, store: Store, read: list[tuple[str, Routine | None]]) -> int:
    from ..core.storage.lookup import add_as_own

    catalog = _load_catalog()
    profile = store.get_profile()
    failed = sum(routine is None for _where, routine in read)
    for where, routine in read:
        if routine is None:
            continue
        try:
            # a starter's own export is saved as "Name (copy)", as the app does
            added = add_as_own(store, catalog, routine)
        except StretchtuiError as exc:
            failed += 1
            print(f"stretchtui: {display(where)}: {display(str(exc), multiline=True)}", file=sys.stderr)
            continue
        if clean_name(routine.name).casefold() != added.name.casefold():
            print(f"imported {display(added.name)} (from {display(where)}; "
                  f"{display(routine.name)!r} was already taken)")
        else:
            print(f"imported {display(added.name)}")
        _print_import_warnings(added, catalog, profile)
    if failed:
        print(f"stretchtui: {failed} of {len(read)} routine(s) could not be imported", file=sys.stderr)
        return 2
    return 0


# ------------------------------------------------------------------ share
def _share(args: argparse.Namespace, store: Store) -> int:
    from ..core.storage.lookup import find_routine
    from ..core.storage.share_code import encode

    routine, _from_file = find_routine(args.name, store, _load_catalog())
    print(encode(routine))
    return 0


def _print_import_warnings(routine: Routine, catalog: Catalog, profile: Any) -> None:
    """The avoid and caution warnings of an imported routine, for the profile."""
    from ..core.domain.rules import check_for_profile

    serious = [w for w in check_for_profile(routine, catalog, profile) if w.level in ("avoid", "caution")]
    for w in serious:
        where = ", ".join(str(i + 1) for i in w.items)
        label = "item" if len(w.items) == 1 else "items"
        print(f"  {w.level.upper()}: {w.message}" + (f" ({label} {where})" if where else ""))
    if serious:
        print(f"  Why, and what to do instead: stretchtui check {_shell_quote(routine.name)}")


def _shell_quote(name: str) -> str:
    import shlex

    return shlex.quote(clean_name(name))


# ------------------------------------------------------------------ export
def _find_routine(store: Store, name: str, catalog: Catalog) -> Routine:
    from ..core.storage.lookup import find_routine

    return find_routine(name, store, catalog, files=False)[0]


def _export(args: argparse.Namespace, store: Store) -> int:
    from ..core.storage.routine_file import routine_to_json, write_routine_file

    catalog = _load_catalog()
    routine = _find_routine(store, args.name, catalog)
    if getattr(args, "html", False):
        return _export_html(args, store, routine, catalog)
    if args.output == "-":
        sys.stdout.write(routine_to_json(routine))
        sys.stdout.flush()
        return 0
    if args.output:
        target = args.output
    else:  # the export_folder of config.toml, else here
        from .config_cmd import load_for_cli

        target = load_for_cli().export_path(export_file_name(routine.name))
    written = write_routine_file(routine, target, force=args.force)
    print(f"exported {display(routine.name)} to {display(Path(written).absolute())}")
    return 0


def _export_html(args: argparse.Namespace, store: Store, routine: Routine, catalog: Catalog) -> int:
    from datetime import date

    from ..core.domain.pose import PoseError, load_poses
    from ..core.reports.handout import build_handout, write_handout

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
    target = args.output or export_file_name(routine.name, ".html")
    written = write_handout(text, target, force=args.force)
    print(f"wrote the handout for {display(routine.name)} to {display(Path(written).absolute())} (open it in a browser and print it)")
    return 0


# ------------------------------------------------------------------ routines
def _routines(args: argparse.Namespace, store: Store) -> int:
    from ..core.storage.lookup import imitated_starter

    catalog = _load_catalog()
    profile = store.get_profile()
    rows = []
    for routine, starter in [(r, False) for r in store.list_routines()] + [
        (s, True) for s in (getattr(catalog, "starters", ()) or ())
    ]:
        rows.append({
            "name": clean_name(routine.name),
            "starter": starter,
            "looks_like_starter": None if starter else imitated_starter(routine, catalog),
            "item_count": len(routine.items),
            "total_seconds": routine_seconds(routine, catalog, profile),
            "notes": clean_text(routine.notes or ""),
            "items": [item.to_dict() for item in routine.items],
        })
    if args.json:
        print(json_text(rows, indent=2))
        return 0
    if not rows:
        print("No routines yet. Import one with `stretchtui import FILE` or build one in the app.")
        return 0
    width = min(max(len(r["name"]) for r in rows), 48)
    for r in rows:
        mark = "*" if r["starter"] else "!" if r["looks_like_starter"] else " "
        total = format_duration(r["total_seconds"]) if r["total_seconds"] is not None else "?"
        count = r["item_count"]
        print(f"{mark} {r['name']:<{width}}  {count:>3} stretch{'es' if count != 1 else '  '}  {total:>7}")
    if any(r["starter"] for r in rows):
        print("* starter routine from the catalog (copy it to change it)")
    for r in rows:
        if r["looks_like_starter"]:
            print(f"! {r['name']}: a saved routine, not the starter {display(r['looks_like_starter'])!r} "
                  "(its name only looks like it); rename it with the app (Library, r)")
    return 0


# ------------------------------------------------------------------ history
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """Text a spreadsheet would treat as a formula gets a leading quote; other values pass."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def history_row(session: Session) -> dict:
    """One CSV/text row of a session (``id`` is the store's number for it)."""
    row: dict[str, Any] = {
        "id": session.number,
        "routine": session.routine,
        "started": session.started,
        "ended": session.ended,
        "status": session.status,
        "duration": session.active_seconds,
        "steps_done": session.steps_done,
        "steps_skipped": session.steps_skipped,
        "steps_total": session.steps_total,
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
        "note": session.note,
        "stop_reason": session.stop_reason,
        "counted": session.counted,
        # the day-after answer: better / same / worse
        "checkin": session.checkin.answer if session.checkin is not None else None,
    }
    for key, value in row.items():  # every text field is cleaned where it is shown
        if isinstance(value, str):
            row[key] = clean_text(value, multiline=key == "note")
        elif value is not None and not isinstance(value, (bool, int, float)):
            row[key] = clean_text(json_text(value), multiline=False)
    return row


def _write_csv(sessions: Iterable[Session]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(HISTORY_FIELDS)
    for session in sessions:
        row = history_row(session)
        writer.writerow(["" if row[k] is None else csv_safe(row[k]) for k in HISTORY_FIELDS])


def _history_import(args: argparse.Namespace, store: Store) -> int:
    from ..core.storage.history_file import display_path, open_history_file

    history = args.history_file if hasattr(args, "history_file") else open_history_file(args.file)
    added, skipped = store.import_sessions(s.to_doc() for s in history.sessions())
    print(f"imported {added} session{'s' if added != 1 else ''} from {display_path(args.file)}; "
          f"{skipped} already in the history (skipped)")
    if history.psfs:
        from dataclasses import replace

        from ..core.domain.psfs import MAX_ACTIVITIES, merge

        profile = store.get_profile()
        merged, ratings, left_out = merge(profile.psfs, history.psfs)
        if ratings:
            try:
                store.set_profile(replace(profile, psfs=merged))
            except StretchtuiError as exc:  # the sessions are in; say what is not
                print(f"stretchtui: the sessions were imported, but the PSFS ratings were not saved: "
                      f"{display(str(exc), multiline=True)} Import the file again once that is fixed.",
                      file=sys.stderr)
                return 2
        print(f"PSFS: added {ratings} rating{'s' if ratings != 1 else ''} "
              f"({len(merged)} activit{'y' if len(merged) == 1 else 'ies'} in your profile)")
        if left_out:
            names = ", ".join(repr(display(n)) for n in left_out)
            print(f"PSFS: not added (the scale holds at most {MAX_ACTIVITIES} activities; remove one with "
                  f"`stretchtui psfs remove ACTIVITY` and import again): {names}")
    return 0


def _history(args: argparse.Namespace, store: Store) -> int:
    if getattr(args, "history_command", None) == "import":
        return _history_import(args, store)
    from ..core.reports.aggregates import iter_sessions

    if args.json:
        from datetime import datetime, timezone

        from ..core.storage.history_file import write_history

        exported = datetime.now(timezone.utc).isoformat(timespec="seconds")
        psfs = store.get_profile().psfs  # the PSFS ratings travel with the sessions
        # Streamed: one year file in memory at a time, whatever the size of the history.
        write_history(sys.stdout, iter_sessions(store), exported, psfs)
        sys.stdout.flush()
        return 0
    sessions = iter_sessions(store)
    if args.csv:
        _write_csv(sessions)
        return 0
    empty = True
    for session in sessions:
        empty = False
        row = history_row(session)
        duration = row["duration"]
        dur = format_duration(duration) if isinstance(duration, (int, float)) else "?"
        started = str(row["started"] or "?")[:16].replace("T", " ")
        done, total = row["steps_done"], row["steps_total"]
        steps = f"{done}/{total} steps" if done is not None and total is not None else ""
        counted = "" if row["counted"] is not False else "  (not counted)"
        next_day = f"  next day: {row['checkin']}" if row["checkin"] else ""
        print(f"{row['id']:>5}  {started:<16}  {clean_name(str(row['routine'] or '?')):<28.28}  "
              f"{row['status'] or '?'!s:<11}  {dur:>7}  {steps}{counted}{next_day}")
    if empty:
        print("No sessions recorded yet.")
    return 0
