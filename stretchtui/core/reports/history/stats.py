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

from ...domain.session import RESPONSES, CheckIn, Session, oldest_first
from .records import (
    _SIDE_SET,
    SIDES,
    _item_planned,
    as_sessions,
    is_counted,
    is_symptom_stop,
    stretch_name,
)

#: What the history's functions take: sessions (from the store), or documents
#: (read once, by :meth:`Session.from_doc`, on the way in).
Sessions = Iterable[Session | Mapping[str, Any]]
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


def counted_days(sessions: Sessions) -> set[date]:
    """Days that have at least one counted session."""
    return {s.day for s in as_sessions(sessions) if s.day is not None and is_counted(s)}


def current_streak(sessions: Sessions, today: date, *, days: set[date] | None = None) -> int:
    """Consecutive counted days ending today (or yesterday if today has none yet)."""
    days = counted_days(sessions) if days is None else days
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


def longest_streak(sessions: Sessions, *, days: set[date] | None = None) -> int:
    """The longest run of consecutive counted days ever."""
    days = counted_days(sessions) if days is None else days
    ordinals = {day.toordinal() for day in days}  # whole numbers: years of days without date arithmetic
    best = 0
    for n in ordinals:
        if n - 1 in ordinals:
            continue  # not the start of a run
        length = 1
        while n + length in ordinals:
            length += 1
        best = max(best, length)
    return best


# ---------------------------------------------------------------- minutes


def daily_minutes(sessions: Sessions) -> dict[date, float]:
    """Active minutes per local day."""
    out: dict[date, float] = defaultdict(float)
    for s in as_sessions(sessions):
        if s.counted and s.day is not None:
            out[s.day] += s.active_seconds / 60.0
    return dict(out)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def weekly_minutes(
    sessions: Sessions, today: date, weeks: int = 12, *, daily: dict[date, float] | None = None
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
    sessions: Sessions, today: date, weeks: int = 16, *, daily: dict[date, float] | None = None
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


def pain_trend(sessions: Sessions) -> list[PainPoint]:
    """Sessions that recorded pain before or after, oldest first."""
    return [
        PainPoint(s.started_at, s.pain_before, s.pain_after)
        for s in oldest_first(as_sessions(sessions))
        if s.started_at is not None and (s.pain_before is not None or s.pain_after is not None)
    ]


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


def adherence(sessions: Sessions, catalog: Catalog | None = None) -> list[StretchAdherence]:
    """Per stretch: sessions, done/skipped per side, time held. Most done first.

    Names come from the catalog when it knows the id, else from the session.
    """
    table: dict[str, StretchAdherence] = {}
    last_seen: dict[str, int] = {}
    known = _SIDE_SET
    for index, session in enumerate(as_sessions(sessions)):
        for item in session.items:
            sid = item.stretch
            if not sid:
                continue
            row = table.get(sid)
            if row is None:
                row = table[sid] = StretchAdherence(sid, stretch_name(sid, item, catalog))
            if last_seen.get(sid) != index:
                row.sessions += 1
                last_seen[sid] = index
            total = skipped = 0
            tally = row.done
            for side, n in item.done.items():
                if side in known:
                    tally[side] = tally.get(side, 0) + n
                    total += n
            tally = row.skipped
            for side, n in item.skipped.items():
                if side in known:
                    tally[side] = tally.get(side, 0) + n
                    skipped += n
            row.planned += max(_item_planned(item), total + skipped)
            if total and item.hold:
                row.hold_seconds += total * item.hold
    return sorted(table.values(), key=lambda r: (-r.total_done, r.name.casefold(), r.stretch))



# ---------------------------------------------------------------- all at once


@dataclass(frozen=True)
class HistoryStats:
    """Everything the History screen shows, computed in one go per filter change."""

    sessions: list[Session]  # newest first
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
    sessions: Sessions,
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
    # One pass over every session (10,000 sessions: the History screen
    # recomputes this on every filter change), by the rules of the helpers
    # above (is_counted, adds_minutes, is_symptom_stop, pain_trend).
    days: set[date] = set()
    daily: dict[date, float] = defaultdict(float)
    kept_sessions: list[Session] = []
    bounded = start is not None or end is not None
    counted = 0
    symptom_count = 0
    for session in as_sessions(sessions):
        day = session.day
        counts = is_counted(session)
        outside = bounded and (day is None or (start is not None and day < start) or (end is not None and day > end))
        if day is not None:
            if counts:
                days.add(day)
            if session.counted and not outside:  # the charts follow the date filter; streaks do not
                daily[day] += session.active_seconds / 60.0
        if outside:
            continue
        counted += counts
        symptom_count += is_symptom_stop(session)
        kept_sessions.append(session)
    ordered = oldest_first(kept_sessions)
    pain = [
        PainPoint(s.started_at, s.pain_before, s.pain_after)
        for s in ordered
        if s.started_at is not None and (s.pain_before is not None or s.pain_after is not None)
    ]
    ordered.reverse()
    dated = [s for s in ordered if s.started_at is not None]
    ordered = dated + [s for s in ordered if s.started_at is None]  # undated last
    total_seconds = sum(s.active_seconds for s in ordered if s.counted)
    return HistoryStats(
        sessions=ordered,
        total=len(ordered),
        counted=counted,
        current_streak=current_streak((), today, days=days),
        longest_streak=longest_streak((), days=days),
        total_seconds=total_seconds,
        weekly=weekly_minutes((), today, weeks, daily=daily),
        heat=heatmap((), today, heat_weeks, daily=daily),
        pain=pain,
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


def stretch_responses(sessions: Sessions, catalog: Catalog | None = None) -> list[StretchResponses]:
    """Per stretch, how many times each answer was given (stretches never answered are left out).

    Ordered by answers given, most first, then by name.
    """
    table: dict[str, StretchResponses] = {}
    for session in as_sessions(sessions):
        for item in session.items:
            if item.response is None:
                continue
            row = table.get(item.stretch)
            if row is None:
                row = table[item.stretch] = StretchResponses(item.stretch, stretch_name(item.stretch, item, catalog))
            row.counts[item.response] += 1
    return sorted(table.values(), key=lambda r: (-r.answered, r.name.casefold(), r.stretch))


def checkins(sessions: Sessions) -> list[tuple[Session, CheckIn]]:
    """Sessions with a day-after check-in and the check-in, oldest session first."""
    return [
        (s, s.checkin) for s in oldest_first(as_sessions(sessions))
        if s.started_at is not None and s.checkin is not None
    ]


def pain_before_trend(sessions: Sessions) -> tuple[PainPoint, PainPoint] | None:
    """The first and the latest session with a pain score before it (None with fewer than 2)."""
    points = [p for p in pain_trend(sessions) if p.before is not None]
    return (points[0], points[-1]) if len(points) >= 2 else None
