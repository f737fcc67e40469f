"""Figures over many sessions: streaks, minutes, heat map, pain, adherence.

Domain numbers only; the words and units they are shown with live in
:mod:`.wording`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ...domain.session import RESPONSES, STATUS_LABELS, CheckIn, Session, SessionItem
from .records import (
    _SIDE_SET,
    SIDES,
    _count,
    _item_planned,
    _number,
    _pain,
    _parse_started,
    active_seconds,
    adds_minutes,
    is_counted,
    items_of,
    pain_after,
    pain_before,
    session_date,
    started_at,
    steps_done,
    stretch_name,
)

if TYPE_CHECKING:  # pragma: no cover
    from ...domain.catalog import Catalog

#: Minutes at or above which a day (with any activity) reaches heat level 1, 2, 3, 4.
HEAT_THRESHOLDS = (0.0, 5.0, 10.0, 20.0)


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


def adherence(sessions: Iterable[Mapping[str, Any]], catalog: Catalog | None = None) -> list[StretchAdherence]:
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
                row = table[sid] = StretchAdherence(sid, stretch_name(sid, item, catalog))
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
    catalog: Catalog | None = None,
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



# ---------------------------------------------------------------- responses and check-ins


@dataclass
class StretchResponses:
    """How one stretch felt, answered in the rest after it, over many sessions."""

    stretch: str
    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RESPONSES, 0))

    @property
    def answered(self) -> int:
        return sum(self.counts.values())


def stretch_responses(sessions: Iterable[Mapping[str, Any]], catalog: Catalog | None = None) -> list[StretchResponses]:
    """Per stretch, how many times each answer was given (stretches never answered are left out).

    Ordered by answers given, most first, then by name.
    """
    table: dict[str, StretchResponses] = {}
    for doc in sessions:
        for raw in items_of(doc):
            item = SessionItem.from_doc(raw)
            if item is None or item.response is None:
                continue
            row = table.get(item.stretch)
            if row is None:
                row = table[item.stretch] = StretchResponses(item.stretch, stretch_name(item.stretch, raw, catalog))
            row.counts[item.response] += 1
    return sorted(table.values(), key=lambda r: (-r.answered, r.name.casefold(), r.stretch))


def checkins(sessions: Iterable[Mapping[str, Any]]) -> list[tuple[Session, CheckIn]]:
    """Sessions with a day-after check-in and the check-in, oldest session first."""
    out: list[tuple[float, Session, CheckIn]] = []
    for doc in sessions:
        when = started_at(doc)
        if when is None:
            continue
        session = Session.from_doc(doc)
        if session.checkin is not None:
            out.append((when.timestamp(), session, session.checkin))
    out.sort(key=lambda t: t[0])
    return [(s, c) for _, s, c in out]


def pain_before_trend(sessions: Iterable[Mapping[str, Any]]) -> tuple[PainPoint, PainPoint] | None:
    """The first and the latest session with a pain score before it (None with fewer than 2)."""
    points = [p for p in pain_trend(sessions) if p.before is not None]
    return (points[0], points[-1]) if len(points) >= 2 else None
