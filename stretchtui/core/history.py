"""Progress from recorded sessions: streaks, minutes, heat map, pain, adherence.

Pure functions over the session documents the player writes (see the
"session documents" contract). Nothing here knows about Textual or the store,
so the History screen, ``stretchtui summary`` and the tests all compute the
same numbers from the same plain dicts.

Rules (what a person sees, so they are written down):

* **A session's day** is the local calendar date of its ``started`` stamp,
  read in the offset the stamp was written with (the user's wall clock at
  the time). A session that starts at 23:50 and ends at 00:20 belongs to the
  day it started. Sessions recorded in another time zone (travel) keep the
  date the user saw then; nothing is converted to UTC.
* **A session counts** toward streaks and "sessions done" when it was
  completed, or when it was stopped early (``stopped`` / ``symptoms``), the
  user kept it (``counted`` is not false) and at least one work step was done.
  Stopping because symptoms spread is the right thing to do, so such a session
  keeps the day when the user lets it. Sessions still ``running`` (the app
  died) or ``interrupted`` (the terminal went away) never count: the user
  never got to say. ``counted: false`` always wins.
* **Minutes** are ``active_seconds`` (time spent in the session, pauses left
  out). Every session except those with ``counted: false`` adds its minutes,
  including unfinished ones: the time was spent stretching.
* **Adherence** counts work steps (holds, reps, moves) done and skipped, per
  stretch and per side, from every session including unfinished and
  not-counted ones: it is a record of what was actually done, for the user
  and a clinician. Steps never reached are neither done nor skipped.
* **Time held** per stretch is done work steps x the item's ``hold`` seconds.
* **Current streak** is the run of consecutive counted days ending today, or
  ending yesterday when today has no counted session yet (the streak is not
  lost until the day is over).
* **Weeks** in charts start on Monday; the last week is the one containing
  ``today``. The clinician summary uses 7-day blocks ending today instead, so
  its period is exactly the last N x 7 days.

Malformed documents (missing or unreadable fields) are tolerated: a document
without a readable ``started`` is left out of every date-based figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from .errors import StretchtuiError
from .models import UNTITLED
from .session import FINISHED_STATUSES, STATUS_LABELS, STATUSES, UNFINISHED_STATUSES  # noqa: F401 (re-exported)
from .text import clean_name, clean_text

#: Density characters for the heat map, from no activity to most.
HEAT_CHARS = " ░▒▓█"
#: Minutes at or above which a day (with any activity) reaches heat level 1, 2, 3, 4.
HEAT_THRESHOLDS = (0.0, 5.0, 10.0, 20.0)
#: Side keys in item counts, in display order.
SIDES = ("left", "right", "both")
_SIDE_SET = frozenset(SIDES)

# ---------------------------------------------------------------- fields


def started_at(doc: Mapping[str, Any]) -> datetime | None:
    """The session's start as an aware datetime (None when unreadable)."""
    value = doc.get("started")
    return _parse_started(value) if isinstance(value, str) else None


def _parse_started(value: str) -> datetime | None:
    # Not cached: fromisoformat takes well under a microsecond, and
    # compute_stats parses each stamp once per call.
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


def session_date(doc: Mapping[str, Any]) -> date | None:
    """The local calendar date the session started on (its own offset)."""
    when = started_at(doc)
    return when.date() if when else None


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0.0
    if value != value or value < 0:  # NaN or negative
        return 0.0
    return float(value)


def _count(value: Any) -> int:
    if type(value) is int:  # the usual case, fast
        return value if value > 0 else 0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (float("inf"), float("-inf")):
        return 0
    return max(0, int(value))


def _pain(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return None
    if 0 <= value <= 10:
        return round(value)
    return None


def status_of(doc: Mapping[str, Any]) -> str:
    status = doc.get("status")
    return status if isinstance(status, str) and status in STATUS_LABELS else "interrupted"


def active_seconds(doc: Mapping[str, Any]) -> float:
    """Seconds spent in the session (``active_seconds``)."""
    return _number(doc.get("active_seconds"))


def pain_before(doc: Mapping[str, Any]) -> int | None:
    return _pain(doc.get("pain_before"))


def pain_after(doc: Mapping[str, Any]) -> int | None:
    return _pain(doc.get("pain_after"))


def routine_name(doc: Mapping[str, Any]) -> str:
    """The routine name, cleaned for display (still never markup)."""
    name = doc.get("routine")
    return _display_name(name) if isinstance(name, str) else UNTITLED


@lru_cache(maxsize=1024)
def _display_name(name: str) -> str:
    # A history has a handful of distinct routine names and thousands of
    # sessions: clean each name once, not once per session.
    return clean_name(name) or UNTITLED


def items_of(doc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    items = doc.get("items")
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, dict)]


def side_counts(item: Mapping[str, Any], key: str) -> dict[str, int]:
    """``item[key]`` ("done" or "skipped") as side -> count, unknown sides dropped."""
    raw = item.get(key)
    if not isinstance(raw, dict):
        return {}
    return {side: _count(raw[side]) for side in SIDES if side in raw}


def steps_done(doc: Mapping[str, Any]) -> int:
    """Work steps done (``steps_done``, else summed from the items)."""
    if "steps_done" in doc:
        return _count(doc.get("steps_done"))
    return sum(sum(side_counts(item, "done").values()) for item in items_of(doc))


def is_counted(doc: Mapping[str, Any]) -> bool:
    """Does this session count toward streaks and "sessions done"? (see module doc)"""
    if doc.get("counted") is False:
        return False
    status = status_of(doc)
    if status == "completed":
        return True
    if status in ("stopped", "symptoms"):
        return steps_done(doc) > 0
    return False


def adds_minutes(doc: Mapping[str, Any]) -> bool:
    """Does this session's active time count in minutes and the heat map?"""
    return doc.get("counted") is not False


def is_symptom_stop(doc: Mapping[str, Any]) -> bool:
    """Was the session stopped because symptoms spread?"""
    return status_of(doc) == "symptoms" or doc.get("stop_reason") == "symptoms"


# ---------------------------------------------------------------- filtering


def sort_newest_first(sessions: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Sessions by start instant, newest first; unreadable dates last."""
    dated: list[tuple[float, int, Mapping[str, Any]]] = []
    undated: list[Mapping[str, Any]] = []
    for index, doc in enumerate(sessions):
        when = started_at(doc)
        if when is None:
            undated.append(doc)
        else:
            dated.append((when.timestamp(), index, doc))
    dated.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return [doc for _, _, doc in dated] + undated


def routine_names(sessions: Iterable[Mapping[str, Any]]) -> list[str]:
    """Distinct routine names in the history, sorted case-insensitively."""
    names = {routine_name(doc) for doc in sessions}
    return sorted(names, key=lambda n: (n.casefold(), n))


def filter_sessions(
    sessions: Iterable[Mapping[str, Any]],
    *,
    routine: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[Mapping[str, Any]]:
    """Sessions of ``routine`` (None: all) whose day is within ``start``..``end`` (inclusive).

    With a date bound, sessions without a readable date are left out.
    """
    key = routine.casefold() if routine is not None else None
    out = []
    for doc in sessions:
        if key is not None and routine_name(doc).casefold() != key:
            continue
        if start is not None or end is not None:
            day = session_date(doc)
            if day is None or (start is not None and day < start) or (end is not None and day > end):
                continue
        out.append(doc)
    return out


def range_start(today: date, days: int | None) -> date | None:
    """First day of "the last ``days`` days" ending today (None for all time)."""
    if days is None:
        return None
    return today - timedelta(days=max(1, days) - 1)


class DateRangeError(StretchtuiError, ValueError):
    """A custom date range the user typed cannot be used (the message says why)."""


def parse_day(text: str, field_name: str = "date") -> date:
    """A day typed as ``YYYY-MM-DD`` (surrounding blanks ignored)."""
    value = (text or "").strip()
    if not value:
        raise DateRangeError(f"{field_name}: enter a date as YYYY-MM-DD, for example 2026-02-01.")
    try:
        if len(value) != 10 or value[4] != "-" or value[7] != "-":
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise DateRangeError(
            f"{field_name}: {value[:20]!r} is not a date. Use YYYY-MM-DD, for example 2026-02-01."
        ) from None


def parse_date_range(start_text: str, end_text: str) -> tuple[date, date]:
    """``(start, end)`` from two typed days, inclusive; raises :class:`DateRangeError`.

    Days in the future are allowed (they simply match no session yet).
    """
    start = parse_day(start_text, "From")
    end = parse_day(end_text, "To")
    if start > end:
        raise DateRangeError(f"From ({start.isoformat()}) is after To ({end.isoformat()}): swap them or pick other days.")
    return start, end


def range_label(start: date, end: date) -> str:
    """``2026-02-01 → 2026-03-15`` (one day: just that day)."""
    return start.isoformat() if start == end else f"{start.isoformat()} → {end.isoformat()}"


# ---------------------------------------------------------------- streaks


def counted_days(sessions: Iterable[Mapping[str, Any]]) -> set[date]:
    """Days that have at least one counted session."""
    days = set()
    for doc in sessions:
        if is_counted(doc):
            day = session_date(doc)
            if day is not None:
                days.add(day)
    return days


def current_streak(sessions: Iterable[Mapping[str, Any]], today: date, *, days: set[date] | None = None) -> int:
    """Consecutive counted days ending today (or yesterday if today has none yet)."""
    days = counted_days(sessions) if days is None else days
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


def longest_streak(sessions: Iterable[Mapping[str, Any]], *, days: set[date] | None = None) -> int:
    """The longest run of consecutive counted days ever."""
    days = counted_days(sessions) if days is None else days
    best = 0
    for day in days:
        if day - timedelta(days=1) in days:
            continue  # not the start of a run
        length = 1
        while day + timedelta(days=length) in days:
            length += 1
        best = max(best, length)
    return best


# ---------------------------------------------------------------- minutes


def daily_minutes(sessions: Iterable[Mapping[str, Any]]) -> dict[date, float]:
    """Active minutes per local day."""
    out: dict[date, float] = defaultdict(float)
    for doc in sessions:
        if not adds_minutes(doc):
            continue
        day = session_date(doc)
        if day is not None:
            out[day] += active_seconds(doc) / 60.0
    return dict(out)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def weekly_minutes(
    sessions: Iterable[Mapping[str, Any]], today: date, weeks: int = 12, *, daily: dict[date, float] | None = None
) -> list[tuple[date, float]]:
    """(Monday, minutes) for the last ``weeks`` weeks, oldest first, this week last."""
    daily = daily_minutes(sessions) if daily is None else daily
    last = week_start(today)
    starts = [last - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    totals = {start: 0.0 for start in starts}
    first = starts[0] if starts else last
    for day, minutes in daily.items():
        if first <= day <= today:
            totals[week_start(day)] += minutes
    return [(start, totals[start]) for start in starts]


@dataclass(frozen=True)
class HeatMap:
    """Minutes per day, as weeks (columns) of seven days (rows, Monday first).

    ``columns[w][d]`` is None for days after ``today``.
    """

    first: date
    today: date
    columns: list[list[float | None]]

    def day(self, week: int, weekday: int) -> date:
        return self.first + timedelta(weeks=week, days=weekday)


def heatmap(
    sessions: Iterable[Mapping[str, Any]], today: date, weeks: int = 16, *, daily: dict[date, float] | None = None
) -> HeatMap:
    """The last ``weeks`` weeks of daily minutes, contributions-grid style."""
    daily = daily_minutes(sessions) if daily is None else daily
    first = week_start(today) - timedelta(weeks=weeks - 1)
    columns: list[list[float | None]] = []
    for w in range(weeks):
        column: list[float | None] = []
        for d in range(7):
            day = first + timedelta(weeks=w, days=d)
            column.append(None if day > today else daily.get(day, 0.0))
        columns.append(column)
    return HeatMap(first=first, today=today, columns=columns)


def heat_level(minutes: float | None) -> int:
    """0 (nothing) .. 4 (20 minutes or more) for a day's minutes."""
    if not minutes or minutes <= 0:
        return 0
    return sum(1 for threshold in HEAT_THRESHOLDS if minutes >= threshold)


# ---------------------------------------------------------------- pain


@dataclass(frozen=True)
class PainPoint:
    started: datetime
    before: int | None
    after: int | None


def pain_trend(sessions: Iterable[Mapping[str, Any]]) -> list[PainPoint]:
    """Sessions that recorded pain before or after, oldest first."""
    points = []
    for doc in sessions:
        before, after = pain_before(doc), pain_after(doc)
        when = started_at(doc)
        if when is None or (before is None and after is None):
            continue
        points.append(PainPoint(when, before, after))
    points.sort(key=lambda p: p.started.timestamp())
    return points


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


# ---------------------------------------------------------------- adherence


@dataclass
class StretchAdherence:
    """What was done and skipped of one stretch, over many sessions."""

    stretch: str
    name: str
    sessions: int = 0
    done: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    hold_seconds: float = 0.0
    #: Work steps the sessions planned for this stretch (reps x sides each time).
    planned: int = 0

    @property
    def total_done(self) -> int:
        return sum(self.done.values())

    @property
    def total_skipped(self) -> int:
        return sum(self.skipped.values())

    @property
    def percent(self) -> int | None:
        """Done out of planned, in percent (None when nothing was planned).

        Steps never reached (a session stopped early) count as not done: a
        session stopped after 10 of 45 steps is not "100% as planned".
        """
        return percent(self.total_done, max(self.planned, self.total_done + self.total_skipped))

    @property
    def sides(self) -> list[str]:
        return [s for s in SIDES if s in self.done or s in self.skipped]


def adherence(sessions: Iterable[Mapping[str, Any]], catalog: Any = None) -> list[StretchAdherence]:
    """Per stretch: sessions, done/skipped per side, time held. Most done first.

    Names come from the catalog when it knows the id, else from the session.
    """
    # One tight loop (10,000 sessions x a few items): the same rules as
    # items_of / side_counts, without building a list or dict per item.
    table: dict[str, StretchAdherence] = {}
    last_seen: dict[str, int] = {}
    count, number, known = _count, _number, _SIDE_SET
    for index, doc in enumerate(sessions):
        items = doc.get("items")
        if not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, dict):
                continue
            sid = item.get("stretch")
            if not isinstance(sid, str) or not sid:
                continue
            row = table.get(sid)
            if row is None:
                row = table[sid] = StretchAdherence(sid, _stretch_name(sid, item, catalog))
            if last_seen.get(sid) != index:
                row.sessions += 1
                last_seen[sid] = index
            raw = item.get("done")
            total = 0
            if isinstance(raw, dict):
                tally = row.done
                for side, value in raw.items():
                    if side in known:
                        n = value if type(value) is int and value > 0 else count(value)
                        tally[side] = tally.get(side, 0) + n
                        total += n
            raw_done = raw
            raw = item.get("skipped")
            skipped = 0
            if isinstance(raw, dict):
                tally = row.skipped
                for side, value in raw.items():
                    if side in known:
                        n = value if type(value) is int and value > 0 else count(value)
                        tally[side] = tally.get(side, 0) + n
                        skipped += n
            row.planned += max(_item_planned(item, raw_done), total + skipped)
            if total:
                row.hold_seconds += total * number(item.get("hold"))
    return sorted(table.values(), key=lambda r: (-r.total_done, r.name.casefold(), r.stretch))


def _item_planned(item: Mapping[str, Any], done: Any) -> int:
    """Work steps an item planned: its reps times its sides (0 when unknown)."""
    sides = len([k for k in done if k in _SIDE_SET]) if isinstance(done, dict) else 0
    return _count(item.get("reps")) * sides


def planned_steps(doc: Mapping[str, Any]) -> int:
    """Work steps a session planned (``steps_total``, else the sum over its items)."""
    total = doc.get("steps_total")
    if type(total) is int and total >= 0:
        return total
    return sum(_item_planned(item, item.get("done")) for item in items_of(doc))


def _stretch_name(sid: str, item: Mapping[str, Any], catalog: Any) -> str:
    stretch = catalog.get(sid) if catalog is not None else None
    if stretch is not None:
        return stretch.name
    name = item.get("name")
    if isinstance(name, str) and clean_name(name):
        return clean_name(name)
    return clean_name(sid) or "?"


def symptom_stops(sessions: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Sessions stopped because symptoms spread, oldest first."""
    stops = [doc for doc in sessions if is_symptom_stop(doc)]
    return list(reversed(sort_newest_first(stops)))


# ---------------------------------------------------------------- formatting


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 day``, ``0 days``, ``2 days``: a count with its noun in the right number."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def percent(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` in whole percent, never 100 unless all of it (None for nothing)."""
    if whole <= 0:
        return None
    value = round(100 * part / whole)
    if value == 100 and part < whole:
        return 99
    if value == 0 and part > 0:
        return 1
    return value


def format_minutes(seconds: float) -> str:
    """``1 h 05 min``, ``12 min``, ``40 s``: a duration for people."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        rest = seconds % 60
        return f"{minutes} min {rest:02d} s" if rest and minutes < 10 else f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def format_clock(seconds: float) -> str:
    """``m:ss`` or ``h:mm:ss``."""
    seconds = round(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def format_pain(doc: Mapping[str, Any]) -> str:
    """``4 → 2``, ``4 → –``, or ``–``; ``3 → 6 ▲`` when the session is flagged
    because the pain rose (``session_rules.PAIN_FLAG_KEY``)."""
    from .session_rules import pain_flagged

    before, after = pain_before(doc), pain_after(doc)
    if before is None and after is None:
        return "–"
    b = "–" if before is None else str(before)
    a = "–" if after is None else str(after)
    return f"{b} → {a}" + (" ▲" if pain_flagged(doc) else "")


def status_label(doc: Mapping[str, Any]) -> str:
    """Short status for tables; "(not counted)" marks counted: false."""
    label = STATUS_LABELS[status_of(doc)]
    if doc.get("counted") is False:
        label += " (not counted)"
    return label


# ---------------------------------------------------------------- all at once


@dataclass(frozen=True)
class HistoryStats:
    """Everything the History screen shows, computed in one go per filter change."""

    sessions: list[Mapping[str, Any]]  # newest first
    total: int
    counted: int
    current_streak: int
    longest_streak: int
    total_seconds: float
    weekly: list[tuple[date, float]]
    heat: HeatMap
    pain: list[PainPoint]
    adherence: list[StretchAdherence]
    symptom_stops: int


def compute_stats(
    sessions: Iterable[Mapping[str, Any]],
    today: date,
    catalog: Any = None,
    *,
    start: date | None = None,
    end: date | None = None,
    weeks: int = 12,
    heat_weeks: int = 16,
) -> HistoryStats:
    """All History figures for ``sessions`` (already filtered by routine).

    ``start``/``end`` narrow the session list, totals, adherence, pain and
    the minutes drawn in the weekly bars and heat map (whose windows end
    ``today``); the streaks always look at every session given.
    """
    # One pass over every session, each stamp parsed once (10,000 sessions:
    # the History screen recomputes this on every filter change). The rules
    # are those of the helpers above (status_of, is_counted, adds_minutes,
    # is_symptom_stop, sort_newest_first, pain_trend), inlined.
    days: set[date] = set()
    daily: dict[date, float] = defaultdict(float)
    dated: list[tuple[float, int, Mapping[str, Any]]] = []
    undated: list[Mapping[str, Any]] = []
    pain: list[tuple[float, int, PainPoint]] = []
    bounded = start is not None or end is not None
    counted = 0
    symptom_count = 0
    labels = STATUS_LABELS
    for index, doc in enumerate(sessions):
        get = doc.get
        value = get("started")
        when = _parse_started(value) if isinstance(value, str) else None
        day = when.date() if when is not None else None
        status = get("status")
        if not isinstance(status, str) or status not in labels:
            status = "interrupted"
        kept = get("counted") is not False  # adds_minutes
        if not kept:
            counts = False
        elif status == "completed":
            counts = True
        else:
            counts = status in ("stopped", "symptoms") and steps_done(doc) > 0
        outside = bounded and (day is None or (start is not None and day < start) or (end is not None and day > end))
        if day is not None:
            if counts:
                days.add(day)
            if kept and not outside:  # the charts follow the date filter; streaks do not
                daily[day] += _number(get("active_seconds")) / 60.0
        if outside:
            continue
        counted += counts
        if status == "symptoms" or get("stop_reason") == "symptoms":
            symptom_count += 1
        if when is None:
            undated.append(doc)
            continue
        stamp = when.timestamp()
        dated.append((stamp, index, doc))
        before, after = _pain(get("pain_before")), _pain(get("pain_after"))
        if before is not None or after is not None:
            # pain_trend's order: oldest first; equal stamps newest-listed first.
            pain.append((stamp, -index, PainPoint(when, before, after)))
    dated.sort(reverse=True)  # (stamp, index) are unique: documents are never compared
    ordered = [doc for _, _, doc in dated] + undated
    pain.sort(key=lambda t: (t[0], t[1]))
    total_seconds = sum(active_seconds(doc) for doc in ordered if doc.get("counted") is not False)
    return HistoryStats(
        sessions=ordered,
        total=len(ordered),
        counted=counted,
        current_streak=current_streak((), today, days=days),
        longest_streak=longest_streak((), days=days),
        total_seconds=total_seconds,
        weekly=weekly_minutes((), today, weeks, daily=daily),
        heat=heatmap((), today, heat_weeks, daily=daily),
        pain=[point for _, _, point in pain],
        adherence=adherence(ordered, catalog),
        symptom_stops=symptom_count,
    )


# ---------------------------------------------------------------- clinician summary


def _fmt_avg(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _sides_text(row: StretchAdherence) -> str:
    parts = []
    for side in row.sides:
        done, skipped = row.done.get(side, 0), row.skipped.get(side, 0)
        label = "" if side == "both" else f"{side} "
        parts.append(f"{label}{done} done, {skipped} skipped")
    return "; ".join(parts) if parts else "nothing reached"


def clinician_summary(
    sessions: Iterable[Mapping[str, Any]], catalog: Any, today: date, weeks: int = 4
) -> str:
    """A plain-text summary of the last ``weeks`` x 7 days, to paste into an email.

    Plain text (ASCII apart from names and notes the user typed), no markup.
    Streaks are over the whole history; everything else is within the period.
    """
    weeks = max(1, int(weeks))
    everything = list(sessions)
    first = today - timedelta(days=7 * weeks - 1)
    period = filter_sessions(everything, start=first, end=today)
    period_sorted = list(reversed(sort_newest_first(period)))
    days = counted_days(everything)

    counted = [d for d in period if is_counted(d)]
    completed = sum(1 for d in counted if status_of(d) == "completed")
    stopped_kept = len(counted) - completed
    not_counted = sum(1 for d in period if status_of(d) in FINISHED_STATUSES and not is_counted(d))
    unfinished = sum(1 for d in period if status_of(d) in UNFINISHED_STATUSES)
    active_days = len({session_date(d) for d in counted})
    seconds = sum(active_seconds(d) for d in period if adds_minutes(d))
    week_word = "week" if weeks == 1 else "weeks"

    lines = [
        "Stretching summary from stretchtui",
        f"Period: {first.isoformat()} to {today.isoformat()} (last {weeks} {week_word})",
        "",
        f"Sessions done: {len(counted)} ({completed} completed, {stopped_kept} stopped early but kept)",
    ]
    if not_counted or unfinished:
        lines.append(f"Not counted: {not_counted} stopped and not kept, {unfinished} unfinished")
    lines += [
        f"Days with a session: {active_days} of {7 * weeks}",
        f"Current streak: {plural(current_streak(everything, today, days=days), 'day')}"
        f" (longest ever: {plural(longest_streak(everything, days=days), 'day')})",
        f"Time stretching: {format_minutes(seconds)} (about {format_minutes(seconds / weeks)} a week)"
        if seconds
        else "Time stretching: none",
    ]

    done_total = sum(sum(side_counts(i, "done").values()) for d in period for i in items_of(d))
    skipped_total = sum(sum(side_counts(i, "skipped").values()) for d in period for i in items_of(d))
    planned_total = max(sum(planned_steps(d) for d in period), done_total + skipped_total)
    if planned_total:
        pct = percent(done_total, planned_total)
        missed = planned_total - done_total - skipped_total
        lines.append(
            f"Exercise steps done: {pct}% of those planned ({done_total} of {planned_total};"
            f" {skipped_total} skipped, {missed} not reached)"
        )

    # Week by week, oldest first, 7-day blocks ending today.
    lines += ["", "Week by week (pain 0-10, average before -> after):"]
    for w in range(weeks):
        block_start = first + timedelta(days=7 * w)
        block_end = block_start + timedelta(days=6)
        block = [d for d in period_sorted if block_start <= (session_date(d) or first) <= block_end]
        n = sum(1 for d in block if is_counted(d))
        block_seconds = sum(active_seconds(d) for d in block if adds_minutes(d))
        mins = format_minutes(block_seconds) if block_seconds else "no time"
        before = _mean([p for p in (pain_before(d) for d in block) if p is not None])
        after = _mean([p for p in (pain_after(d) for d in block) if p is not None])
        pain = "no pain scores" if before is None and after is None else f"pain {_fmt_avg(before)} -> {_fmt_avg(after)}"
        lines.append(
            f"  {block_start.isoformat()} to {block_end.isoformat()}: "
            f"{plural(n, 'session')}, {mins}, {pain}"
        )

    pairs = [(pain_before(d), pain_after(d)) for d in period]
    both = [(b, a) for b, a in pairs if b is not None and a is not None]
    if both:
        b = _mean([float(b) for b, _ in both])
        a = _mean([float(a) for _, a in both])
        lines.append(
            f"  Pain within a session: {_fmt_avg(b)} before -> {_fmt_avg(a)} after"
            f" ({plural(len(both), 'session')} with both)"
        )

    stops = [d for d in period_sorted if is_symptom_stop(d)]
    lines += ["", f"Stopped because symptoms spread: {len(stops)}"]
    for doc in stops:
        when = started_at(doc)
        stamp = when.strftime("%Y-%m-%d %H:%M") if when else "unknown date"
        line = f"  {stamp} {_plain(routine_name(doc))}"
        note = doc.get("note")
        if isinstance(note, str) and clean_text(note, multiline=False):
            line += f' - note: "{_plain(clean_text(note, multiline=False))[:120]}"'
        lines.append(line)

    rows = adherence(period, catalog)
    lines += ["", "Per stretch (work steps done and skipped, time held):"]
    if not rows:
        lines.append("  no stretches recorded in this period")
    for row in rows:
        lines.append(
            f"  {_plain(row.name)}: {format_minutes(row.hold_seconds)} held"
            f" in {plural(row.sessions, 'session')}"
        )
        lines.append(f"    {_sides_text(row)}")

    lines += [
        "",
        "Recorded by the person with stretchtui, a self-guided stretching app.",
        "It does not diagnose; please read it as their own log.",
    ]
    return "\n".join(lines) + "\n"


def _plain(text: str) -> str:
    """One line of user text, safe to paste: no controls, no bidi overrides."""
    return clean_text(text, multiline=False)
