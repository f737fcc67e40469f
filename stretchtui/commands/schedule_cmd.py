"""``stretchtui schedule set|show|clear|ics`` and ``stretchtui due``.

``due`` sits in shell prompts, so this module imports only the pure
``core.storage.schedule`` at the top (no Textual, no TinyDB); the store and the
catalog are imported by the subcommands that need them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.storage.paths import resolve_data_dir
from ..core.storage.schedule import (
    ScheduleError,
    check_due,
    clear_schedule,
    load_schedule,
    make_schedule,
    save_schedule,
)
from ..core.text import clean_text

if TYPE_CHECKING:  # pragma: no cover
    from ..core.clock import Clock


def _now(clock: Clock | None = None):
    if clock is None:
        from ..core.clock import SystemClock

        clock = SystemClock()
    return clock.now()


def run(args: argparse.Namespace, *, clock: Clock | None = None) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    if args.command == "due":
        return _due(data_dir, clock)
    action = getattr(args, "schedule_action", None)
    if action == "set":
        return _set(args, data_dir, clock)
    if action == "clear":
        had = clear_schedule(data_dir)
        print("Schedule cleared." if had else "There was no schedule.")
        return 0
    if action == "ics":
        return _ics(args, data_dir, clock)
    return _show(data_dir, clock)


def _due(data_dir: Path, clock: Clock | None) -> int:
    now = _now(clock)
    try:
        due = check_due(data_dir, now)
    except ScheduleError as exc:
        # A prompt must never break: say it once on stderr, and nothing is due.
        print(f"stretchtui: {exc}", file=sys.stderr)
        return 2
    if due is None:
        return 1
    line = clean_text(due.line(now), multiline=False) + "\n"
    # A prompt in a non-UTF-8 locale must still get its line (the dash becomes "?").
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    sys.stdout.write(line.encode(encoding, "replace").decode(encoding))
    return 0


def _canonical_routine(name: str, data_dir: Path) -> str:
    """The library or starter routine ``name`` names, spelt as stored (the one lookup: core.storage.lookup)."""
    from ..core.domain.catalog import load_catalog
    from ..core.storage.lookup import RoutineNotFound, find_routine
    from ..core.storage.store import open_store

    store = open_store(data_dir, create=False)  # reading only
    try:
        routine, _from_file = find_routine(name, store, load_catalog(), files=False)
    except RoutineNotFound as exc:
        raise ScheduleError(f"--routine: {exc}") from None
    finally:
        store.close()
    return routine.name


def _set(args: argparse.Namespace, data_dir: Path, clock: Clock | None) -> int:
    schedule = make_schedule(args.days, args.time, args.routine)
    if schedule.routine is not None:
        schedule = schedule.replace(routine=_canonical_routine(schedule.routine, data_dir))
    path = save_schedule(data_dir, schedule)
    print(f"Reminders: {schedule.describe()}")
    print(f"Saved to {path}. Put `stretchtui due` in your shell prompt, tmux or login script (see docs/commands.md, Reminders).")
    nxt = schedule.next_slot(_now(clock))
    if nxt is not None:
        print(f"Next: {nxt:%a %H:%M}")
    return 0


def _show(data_dir: Path, clock: Clock | None) -> int:
    schedule = load_schedule(data_dir)
    if schedule is None:
        print("No reminders scheduled. Set some with: stretchtui schedule set --days mon-fri --time 08:00")
        return 0
    now = _now(clock)
    print(f"Reminders: {clean_text(schedule.describe(), multiline=False)}")
    nxt = schedule.next_slot(now)
    if nxt is not None:
        print(f"Next: {nxt:%a %H:%M}")
    due = check_due(data_dir, now)
    if due is not None:
        print(f"Due now (the {due.slot:%H:%M} slot).")
    if schedule.routine is not None:
        try:
            _canonical_routine(schedule.routine, data_dir)
        except ScheduleError:
            print(
                f"stretchtui: the routine {schedule.routine!r} is no longer in the library; "
                "set the schedule again with --routine NAME.",
                file=sys.stderr,
            )
    return 0


def _minutes(routine_name: str | None, data_dir: Path) -> int | None:
    """The routine's length in whole minutes (None when it cannot be found or timed)."""
    if routine_name is None:
        return None
    from ..core.domain.catalog import load_catalog
    from ..core.domain.timeline import routine_seconds
    from ..core.errors import StretchtuiError
    from ..core.storage.lookup import find_routine
    from ..core.storage.store import open_store

    catalog = load_catalog()
    try:
        store = open_store(data_dir, create=False)  # reading only
        try:
            routine, _from_file = find_routine(routine_name, store, catalog, files=False)
            profile = store.get_profile()
        finally:
            store.close()
    except StretchtuiError:  # no such routine (any more), or no readable data dir
        return None
    seconds = routine_seconds(routine, catalog, profile)
    return None if seconds is None else max(1, -(-int(seconds) // 60))


def _ics(args: argparse.Namespace, data_dir: Path, clock: Clock | None) -> int:
    from ..core.reports.ics import schedule_ics

    schedule = load_schedule(data_dir)
    if schedule is None:
        raise ScheduleError("no reminders are scheduled yet: run `stretchtui schedule set --days mon-fri --time 08:00` first")
    data = schedule_ics(schedule, _now(clock), minutes=_minutes(schedule.routine, data_dir))
    if args.output in (None, "-"):
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return 0
    from ..core.storage.safe_file import UnsafeFile, WriteRefused, read_data_file, write_file

    path = Path(args.output).expanduser()
    try:
        old = read_data_file(path, 16 * 1024 * 1024)
    except UnsafeFile as exc:
        raise ScheduleError(f"-o {exc}") from None
    except OSError as exc:
        raise ScheduleError(f"cannot read {path}: {exc.strerror or exc}") from None
    if old is not None and not old.startswith(b"BEGIN:VCALENDAR"):
        raise ScheduleError(f"{path} exists and is not a calendar file; not overwriting it. Choose another name.")
    try:  # an earlier calendar export is replaced; nothing else ever is
        write_file(path, data, force=old is not None, private=False, example="stretchtui.ics")
    except WriteRefused as exc:
        raise ScheduleError(str(exc)) from None
    print(f"Wrote {path} ({len(schedule.times)} weekly event{'s' if len(schedule.times) != 1 else ''}). "
          "Import it into your calendar app.")
    return 0
