"""Stretch reminders: the schedule, and whether a scheduled slot is due.

The schedule lives in its own small file in the data directory,
``schedule.json`` (0600, replaced atomically: temp file, fsync, rename)::

    {"stretchtui": "schedule", "version": 1,
     "days": ["mon", "tue", "wed", "thu", "fri"],
     "times": ["08:00", "13:00"],
     "routine": "Morning back"}

``routine`` may be null (the reminder then opens the app).

**When is a reminder due?** A *slot* is one of the times on one of the
days, in the user's local time. ``stretchtui due`` looks at the latest slot
of today that has already started. It is due when no session was done since
then: no session ended (or, for one still running, started) at or after
``slot - EARLY_GRACE``. The grace lets a session finished a little before
the slot count for it, so stretching at 07:50 answers the 08:00 reminder.
Sessions the user chose not to count (``counted: false``) never answer one.

**How the latest session is found cheaply.** ``due`` runs in shell prompts,
so it must not parse the whole history on every call. The result of a scan
(the latest session's times) is kept in ``due-cache.json`` beside the
database, keyed by the database file's ``(mtime_ns, size, inode)``: every
save replaces the database atomically, so an unchanged stamp means unchanged
sessions and the answer is read from the small cache file. Only the first
``due`` after a change parses the database once (and refreshes the cache).

This module is pure: no Textual, no TinyDB (so ``due`` starts fast).
"""

from __future__ import annotations

import json
import os
import re
import shlex
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from ..errors import StretchtuiError
from ..text import clean_name
from .safe_file import MAX_SMALL_BYTES, UnsafeFile, atomic_write, check_folder, read_data_file
from .strict_json import StrictJSONError
from .strict_json import loads as strict_loads

SCHEDULE_FILE = "schedule.json"
CACHE_FILE = "due-cache.json"
#: The old single database file (see core.store); the split layout keeps sessions in sessions-YEAR.json.
SESSIONS_FILE = "db.json"
#: A session that ended this long before a slot still answers it.
EARLY_GRACE = timedelta(minutes=30)

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_ALIASES = {
    "daily": tuple(range(7)),
    "everyday": tuple(range(7)),
    "weekdays": tuple(range(5)),
    "weekends": (5, 6),
    "weekend": (5, 6),
}
_LONG_DAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "tues": 1, "wed": 2, "thur": 3, "thurs": 3,
}
_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ScheduleError(StretchtuiError):
    """The schedule given or stored cannot be used (the message names what and where)."""


# ---------------------------------------------------------------- parsing
def _day_index(word: str) -> int:
    word = word.strip().lower()
    if word in DAY_NAMES:
        return DAY_NAMES.index(word)
    if word in _LONG_DAYS:
        return _LONG_DAYS[word]
    raise ScheduleError(
        f"--days: {word!r} is not a day. Use mon tue wed thu fri sat sun, ranges such as "
        "mon-fri, lists such as mon,wed,fri, or daily / weekdays / weekends."
    )


def parse_days(text: str) -> tuple[int, ...]:
    """``"mon-fri"``, ``"mon,wed,fri"``, ``"sat-sun"``, ``"fri-mon"`` (wraps), ``"daily"`` -> sorted weekday numbers (Monday is 0)."""
    days: set[int] = set()
    parts = [p for p in re.split(r"[,\s]+", text.strip().lower()) if p]
    if not parts:
        raise ScheduleError("--days needs at least one day, e.g. --days mon-fri")
    for part in parts:
        if part in _DAY_ALIASES:
            days.update(_DAY_ALIASES[part])
        elif "-" in part:
            first, _, last = part.partition("-")
            a, b = _day_index(first), _day_index(last)
            n = a
            days.add(n)
            while n != b:
                n = (n + 1) % 7
                days.add(n)
        else:
            days.add(_day_index(part))
    return tuple(sorted(days))


def parse_time(text: str) -> time:
    """``"08:00"`` or ``"8:00"`` -> a time (24-hour clock, minutes required)."""
    match = _TIME_RE.match(text.strip())
    if not match:
        raise ScheduleError(f"--time: {text!r} is not a time of day. Use 24-hour HH:MM, e.g. --time 08:00")
    return time(int(match.group(1)), int(match.group(2)))


def days_label(days: tuple[int, ...]) -> str:
    """A short label: "mon-fri", "daily", "sat-sun", "mon,wed,fri"."""
    if len(days) == 7:
        return "daily"
    # Contiguous run (no wrap-around needed for a readable label)?
    if len(days) > 2 and days == tuple(range(days[0], days[-1] + 1)):
        return f"{DAY_NAMES[days[0]]}-{DAY_NAMES[days[-1]]}"
    return ",".join(DAY_NAMES[d] for d in days)


# ---------------------------------------------------------------- the schedule
class Schedule:
    """Reminder slots: ``times`` on each of ``days``, for ``routine`` (or None: open the app).

    A plain class, not a dataclass: building dataclasses at import time costs
    milliseconds that ``stretchtui due`` (in a shell prompt) should not pay.
    """

    __slots__ = ("days", "routine", "times")

    def __init__(self, days: tuple[int, ...], times: tuple[time, ...], routine: str | None = None) -> None:
        self.days = tuple(days)
        self.times = tuple(times)
        self.routine = routine
        if not self.days:
            raise ScheduleError("a schedule needs at least one day")
        if not self.times:
            raise ScheduleError("a schedule needs at least one time, e.g. --time 08:00")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Schedule):
            return NotImplemented
        return (self.days, self.times, self.routine) == (other.days, other.times, other.routine)

    def __repr__(self) -> str:
        return f"Schedule(days={self.days!r}, times={self.times!r}, routine={self.routine!r})"

    def replace(self, *, routine: str | None) -> Schedule:
        return Schedule(self.days, self.times, routine)

    def to_dict(self) -> dict:
        return {
            "stretchtui": "schedule",
            "version": 1,
            "days": [DAY_NAMES[d] for d in self.days],
            "times": [t.strftime("%H:%M") for t in self.times],
            "routine": self.routine,
        }

    def describe(self) -> str:
        times = ", ".join(t.strftime("%H:%M") for t in self.times)
        what = self.routine if self.routine else "any routine (opens the app)"
        return f"{days_label(self.days)} at {times}: {what}"

    def slots_on(self, day: date, tz: Any) -> list[datetime]:
        """The slots of ``day`` (local times in ``tz``), earliest first; none on a day off."""
        if day.weekday() not in self.days:
            return []
        return [datetime.combine(day, t, tzinfo=tz) for t in self.times]

    def last_slot(self, now: datetime) -> datetime | None:
        """Today's latest slot that has started by ``now`` (None before the first, or on a day off)."""
        passed = [s for s in self.slots_on(now.date(), now.tzinfo) if s <= now]
        return passed[-1] if passed else None

    def next_slot(self, now: datetime) -> datetime | None:
        """The first slot after ``now`` (within the next 8 days)."""
        for offset in range(8):
            for slot in self.slots_on(now.date() + timedelta(days=offset), now.tzinfo):
                if slot > now:
                    return slot
        return None


def make_schedule(days: str, times: list[str], routine: str | None) -> Schedule:
    """A schedule from the ``schedule set`` arguments (errors name the flag at fault)."""
    parsed = sorted({parse_time(t) for t in times})
    name = clean_name(routine) if routine is not None else None
    if routine is not None and not name:
        raise ScheduleError("--routine needs a routine name")
    return Schedule(days=parse_days(days), times=tuple(parsed), routine=name)


def _from_dict(data: Any, path: Path) -> Schedule:
    def bad(what: str) -> ScheduleError:
        return ScheduleError(
            f"{path}: {what}. Fix the file, or replace it with `stretchtui schedule set ...` "
            "(or remove it with `stretchtui schedule clear`)."
        )

    if not isinstance(data, dict) or data.get("stretchtui") != "schedule":
        raise bad('this is not a stretchtui schedule file (no "stretchtui": "schedule")')
    if data.get("version") != 1:
        raise bad(f"version {data.get('version')!r} is not one this stretchtui reads (1)")
    days = data.get("days")
    if not isinstance(days, list) or not days or not all(isinstance(d, str) and d in DAY_NAMES for d in days):
        raise bad('"days" must be a list of mon tue wed thu fri sat sun')
    times = data.get("times")
    if not isinstance(times, list) or not times or not all(isinstance(t, str) for t in times):
        raise bad('"times" must be a list of "HH:MM" times')
    try:
        parsed = tuple(sorted({parse_time(t) for t in times}))
    except ScheduleError:
        raise bad('"times" must be a list of "HH:MM" times') from None
    routine = data.get("routine")
    if routine is not None and (not isinstance(routine, str) or not clean_name(routine)):
        raise bad('"routine" must be a routine name or null')
    return Schedule(
        days=tuple(sorted({DAY_NAMES.index(d) for d in days})),
        times=parsed,
        routine=clean_name(routine) if routine is not None else None,
    )


def schedule_path(data_dir: Path) -> Path:
    return Path(data_dir) / SCHEDULE_FILE


def load_schedule(data_dir: Path) -> Schedule | None:
    """The stored schedule, None when there is none; :class:`ScheduleError` for a bad file."""
    path = schedule_path(data_dir)
    try:
        raw = read_data_file(path, MAX_SMALL_BYTES)
    except UnsafeFile as exc:
        raise ScheduleError(str(exc)) from None
    except OSError as exc:
        raise ScheduleError(f"cannot read {path}: {exc.strerror or exc}") from None
    if raw is None:
        return None
    try:
        data = strict_loads(raw)
    except StrictJSONError as exc:
        what = "is not valid JSON" if exc.problem.startswith("not valid JSON") else f"is not usable JSON: {exc.problem}"
        where = f" (line {exc.line})" if exc.line else ""
        raise ScheduleError(
            f"{path} {what}{where}. Fix it, or replace it with "
            "`stretchtui schedule set ...` (or remove it with `stretchtui schedule clear`)."
        ) from None
    return _from_dict(data, path)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` the store's way (temp file 0600 opened without following
    links, fsync, rename, fsync the folder), creating the folder if needed. A folder the
    store refuses (writable by others, links or FIFOs in place of its files) is refused here too."""
    try:
        check_folder(path.parent)
    except UnsafeFile as exc:
        raise ScheduleError(str(exc)) from None
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write(path, data)


def save_schedule(data_dir: Path, schedule: Schedule) -> Path:
    path = schedule_path(data_dir)
    data = (json.dumps(schedule.to_dict(), indent=2, ensure_ascii=False) + "\n").encode()
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise ScheduleError(f"cannot save {path}: {exc.strerror or exc}. Nothing was changed.") from None
    return path


def clear_schedule(data_dir: Path) -> bool:
    """Remove the schedule; True if there was one."""
    path = schedule_path(data_dir)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise ScheduleError(f"cannot remove {path}: {exc.strerror or exc}") from None
    return True


# ---------------------------------------------------------------- latest session
class LastSession:
    """When the most recent session (that the user counts) was done.

    ``done`` is when it ended, or when it started if it never did.
    """

    __slots__ = ("done", "started")

    def __init__(self, started: datetime, done: datetime) -> None:
        self.started = started
        self.done = done

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LastSession):
            return NotImplemented
        return (self.started, self.done) == (other.started, other.done)


def _stamp(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size, st.st_ino]


def _aware(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


def scan_last_session(raw: bytes) -> LastSession | None:
    """The latest session in a database file's bytes (None if there is none or it cannot be read)."""
    import gc

    enabled = gc.isenabled()
    gc.disable()  # parsing allocates many containers; the cyclic GC only slows it down
    try:
        data = strict_loads(raw, duplicates=False, max_depth=None)
    except ValueError:
        return None
    finally:
        if enabled:
            gc.enable()
    sessions = data.get("sessions") if isinstance(data, dict) else None
    if not isinstance(sessions, dict):
        return None
    best: LastSession | None = None
    for doc in sessions.values():
        if not isinstance(doc, dict) or doc.get("counted") is False:
            continue
        started = _aware(doc.get("started"))
        if started is None:
            continue
        ended = _aware(doc.get("ended"))
        done = ended if ended is not None and ended >= started else started
        if best is None or done > best.done:
            best = LastSession(started=started, done=done)
    return best


def last_session(data_dir: Path, *, use_cache: bool = True) -> LastSession | None:
    """The latest session, read from the cache when the database is unchanged (see the module docstring)."""
    data_dir = Path(data_dir)
    db = newest_sessions_file(data_dir)
    cache = data_dir / CACHE_FILE
    stamp = _stamp(db)
    if stamp is None:
        return None
    if use_cache:
        try:
            cached = strict_loads(read_data_file(cache, MAX_SMALL_BYTES) or b"null")
            if isinstance(cached, dict) and cached.get("stamp") == stamp:
                started, done = _aware(cached.get("started")), _aware(cached.get("done"))
                if "started" in cached and cached["started"] is None:
                    return None
                if started is not None and done is not None:
                    return LastSession(started=started, done=done)
        except (OSError, ValueError, UnsafeFile):
            pass
    try:
        raw = read_data_file(db)
    except (OSError, UnsafeFile):
        return None
    if raw is None:
        return None
    found = scan_last_session(raw)
    if use_cache and _stamp(db) == stamp:  # not replaced while we read it
        entry = {
            "stamp": stamp,
            "started": found.started.isoformat() if found else None,
            "done": found.done.isoformat() if found else None,
        }
        try:
            write_atomic(cache, json.dumps(entry).encode())
        except OSError:
            pass  # a read-only data folder: just no cache
    return found


def newest_sessions_file(data_dir: Path) -> Path:
    """The file the latest session is in: the newest ``sessions-YEAR.json`` (see core.store), else ``db.json``."""
    try:
        years = sorted(n for n in os.listdir(data_dir) if re.fullmatch(r"sessions-\d{4}\.json", n))
    except OSError:
        years = []
    return data_dir / (years[-1] if years else SESSIONS_FILE)


# ---------------------------------------------------------------- due
class Due:
    """A reminder that is due now: its ``slot``, the ``routine`` to play and the ``last`` session."""

    __slots__ = ("last", "routine", "slot")

    def __init__(self, slot: datetime, routine: str | None, last: LastSession | None) -> None:
        self.slot = slot
        self.routine = routine
        self.last = last

    def ago(self, now: datetime) -> str:
        """"last session 2 days ago", "... yesterday", "... earlier today", "no sessions yet"."""
        if self.last is None:
            return "no sessions yet"
        days = (now.date() - self.last.started.astimezone(now.tzinfo).date()).days
        if days <= 0:
            return "last session earlier today"
        if days == 1:
            return "last session yesterday"
        return f"last session {days} days ago"

    def line(self, now: datetime) -> str:
        """The one line ``stretchtui due`` prints."""
        if self.routine:
            return (
                f"Time to stretch: {self.routine} — {self.ago(now)}. "
                f"Run: stretchtui play {shlex.quote(self.routine)}"
            )
        return f"Time to stretch — {self.ago(now)}. Run: stretchtui"


def due_at(schedule: Schedule | None, last: LastSession | None, now: datetime) -> Due | None:
    """The reminder due at ``now`` (None when nothing is due)."""
    if schedule is None:
        return None
    slot = schedule.last_slot(now)
    if slot is None:
        return None
    if last is not None and last.done >= slot - EARLY_GRACE:
        return None
    return Due(slot=slot, routine=schedule.routine, last=last)


def check_due(data_dir: Path, now: datetime) -> Due | None:
    """What ``stretchtui due`` answers: the due reminder, or None. A bad schedule file raises,
    and so does a folder the store refuses (every reader goes through the same checks)."""
    try:
        check_folder(data_dir)
    except UnsafeFile as exc:
        raise ScheduleError(str(exc)) from None
    schedule = load_schedule(data_dir)
    if schedule is None or schedule.last_slot(now) is None:
        return None  # no need to look at the history at all
    return due_at(schedule, last_session(data_dir), now)
