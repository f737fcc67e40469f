"""The clinician summary: the last few weeks as plain text for an email.

Built from the figures in :mod:`.stats` and the words in :mod:`.wording`;
``stretchtui summary`` prints it and the History screen copies it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ...domain.models import UNTITLED
from ...domain.psfs import PsfsActivity
from ...domain.session import CHECKIN_ANSWERS, FINISHED_STATUSES, RESPONSES, UNFINISHED_STATUSES
from ...text import clean_text
from .doses import dose_changes
from .filters import filter_sessions, sort_newest_first
from .records import (
    active_seconds,
    adds_minutes,
    is_counted,
    is_symptom_stop,
    items_of,
    pain_after,
    pain_before,
    planned_steps,
    routine_name,
    session_date,
    side_counts,
    started_at,
    status_of,
)
from .stats import (
    StretchAdherence,
    _mean,
    adherence,
    checkins,
    counted_days,
    current_streak,
    longest_streak,
    pain_before_trend,
    percent,
    stretch_responses,
)
from .wording import dose_text, fit, format_minutes, plain, plural, signed

if TYPE_CHECKING:  # pragma: no cover
    from ...domain.catalog import Catalog


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
    sessions: Iterable[Mapping[str, Any]],
    catalog: Catalog,
    today: date,
    weeks: int = 4,
    *,
    psfs: Sequence[PsfsActivity] = (),
) -> str:
    """A plain-text summary of the last ``weeks`` x 7 days, to paste into an email.

    Plain text (ASCII apart from names and notes the user typed), no markup,
    no line wider than :data:`~.wording.REPORT_WIDTH` columns. Streaks are
    over the whole history; everything else is within the period. Sections
    with nothing to say (no answers after stretches, no dose changes, no
    check-ins, no PSFS activities) are left out. ``psfs`` are the profile's
    PSFS activities; their trend is over all their ratings.
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
            f"Exercise steps done: {done_total} of {planned_total} planned ({pct}%);"
            f" {skipped_total} skipped, {missed} not reached"
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
    trend = pain_before_trend(period)
    if trend is not None:
        old, new = trend
        lines.append(
            f"  Pain before a session: {old.before} on {old.started.date().isoformat()}"
            f" -> {new.before} on {new.started.date().isoformat()}"
        )

    stops = [d for d in period_sorted if is_symptom_stop(d)]
    lines += ["", f"Stopped because symptoms spread: {len(stops)}"]
    for doc in stops:
        when = started_at(doc)
        stamp = when.strftime("%Y-%m-%d %H:%M") if when else "unknown date"
        line = f"  {stamp} {plain(routine_name(doc))}"
        note = doc.get("note")
        if isinstance(note, str) and clean_text(note, multiline=False):
            line += f' - note: "{plain(clean_text(note, multiline=False))[:120]}"'
        lines.append(line)

    rows = adherence(period, catalog)
    lines += ["", "Per stretch (work steps done and skipped, time held):"]
    if not rows:
        lines.append("  no stretches recorded in this period")
    for row in rows:
        lines.append(
            f"  {plain(row.name)}: {format_minutes(row.hold_seconds)} held"
            f" in {plural(row.sessions, 'session')}"
        )
        lines.append(f"    {_sides_text(row)}")

    lines += _responses_lines(period, catalog)
    lines += _dose_lines(everything, catalog, first, today)
    lines += _checkin_lines(period)
    lines += _psfs_lines(psfs)
    lines += [
        "",
        "Recorded by the person with stretchtui, a self-guided stretching app.",
        "It does not diagnose; please read it as their own log.",
    ]
    return "\n".join(fit(lines)) + "\n"


def _responses_lines(period: list[Mapping[str, Any]], catalog: Catalog) -> list[str]:
    rows = stretch_responses(period, catalog)
    if not rows:
        return []
    lines = ["", "How each stretch felt (answered in the rest after it):"]
    for row in rows:
        counts = ", ".join(f"{row.counts[answer]} {answer}" for answer in RESPONSES)
        lines.append(f"  {plain(row.name)}: {counts}")
    lines.append("  (spreading: symptoms moving down an arm or leg, numbness, tingling)")
    return lines


def _dose_lines(everything: list[Mapping[str, Any]], catalog: Catalog, first: date, today: date) -> list[str]:
    changes = [c for c in dose_changes(everything, catalog, start=first) if c.day <= today]
    if not changes:
        return []
    lines = ["", f"Dose changes (hold x repetitions): {len(changes)}"]
    for change in changes:
        lines.append(
            f"  {change.day.isoformat()} {plain(change.name)} ({plain(change.routine)}):"
            f" {dose_text(change.before.hold, change.before.reps)}"
            f" -> {dose_text(change.after.hold, change.after.reps)}"
        )
        if change.action is not None and change.why is not None:
            why = change.why.replace("\u2192", "->")
            lines.append(f"    by the progression rule ({change.action}): {why}")
        else:
            lines.append("    changed by hand or in the routine file (not a rule step)")
    return lines


def _checkin_lines(period: list[Mapping[str, Any]]) -> list[str]:
    given = checkins(period)
    if not given:
        return []
    counts = {answer: 0 for answer in CHECKIN_ANSWERS}
    for _, checkin in given:
        counts[checkin.answer] += 1
    lines = [
        "",
        "Day-after check-ins (back compared with before the session):",
        "  " + ", ".join(f"{counts[a]} {a}" for a in CHECKIN_ANSWERS)
        + f" ({plural(len(given), 'check-in')})",
    ]
    for session, checkin in given:
        if checkin.answer == "worse":
            when = started_at(session.to_doc())
            stamp = when.strftime("%Y-%m-%d %H:%M") if when else "unknown date"
            lines.append(f"  worse after {stamp} {plain(session.routine) or UNTITLED}")
    return lines


def _psfs_lines(activities: Sequence[PsfsActivity]) -> list[str]:
    rated = [a for a in activities if a.first is not None and a.latest is not None]
    if not rated:
        return []
    lines = ["", "Activities (PSFS, 0 = unable to 10 = as before the problem):"]
    for activity in rated:
        first, latest = activity.first, activity.latest
        assert first is not None and latest is not None
        if first.day == latest.day:
            trend = f"{latest.score} on {latest.day.isoformat()} (rated once)"
        else:
            trend = (
                f"{first.score} on {first.day.isoformat()} -> {latest.score} on {latest.day.isoformat()}"
                f" ({signed(latest.score - first.score)})"
            )
        lines.append(f"  {plain(activity.activity)}: {trend}")
    return lines
