"""The clinician summary: the last few weeks as plain text for an email.

Built from the figures in :mod:`.stats` and the words in :mod:`.wording`;
``stretchtui summary`` prints it and the History screen copies it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ...domain.models import UNTITLED
from ...domain.progression import Dose, StretchRecord
from ...domain.psfs import PsfsActivity
from ...domain.session import (
    CHECKIN_ANSWERS,
    FINISHED_STATUSES,
    RESPONSES,
    UNFINISHED_STATUSES,
    Session,
    SessionItem,
)
from ...domain.session_rules import AVOID_PLAYED_KEY, pain_flagged
from ...text import clean_text
from .doses import dose_changes
from .filters import filter_sessions, sort_newest_first
from .records import (
    active_seconds,
    adds_minutes,
    as_sessions,
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
    stretch_name,
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


def _reached(item: SessionItem) -> bool:
    """Was this item reached in its session (any work step done or skipped)?"""
    return bool(sum(side_counts(item, "done").values()) or sum(side_counts(item, "skipped").values()))


def _reached_only(doc: Session) -> Session:
    """``doc`` with only the items the session reached (never-reached ones are not "0 done")."""
    return replace(doc, items=tuple(i for i in doc.items if _reached(i)))


def _skipped_steps(doc: Session) -> int:
    if doc.steps_skipped is not None:
        return doc.steps_skipped
    return sum(sum(side_counts(i, "skipped").values()) for i in items_of(doc))


def _item_name(item: SessionItem, catalog: Catalog | None) -> str:
    sid = item.stretch
    return plain(stretch_name(sid, item, catalog)) if sid else "a stretch"


def stop_place(doc: Session | Mapping[str, Any], catalog: Catalog | None = None) -> str:
    """Where a symptom stop happened, from the session's items: "after Knee to Chest" (the
    stretch answered *spreading*), "during Knee to Chest" (the item it stopped in), "before
    Knee to Chest" (stopped in the rest or get-ready before it), or "at the end"."""
    [session] = as_sessions([doc])
    items = items_of(session)
    for item in items:
        if item.response == "spreading":
            return f"after {_item_name(item, catalog)}"
    for item in items:
        done = side_counts(item, "done")
        worked = sum(done.values()) + sum(side_counts(item, "skipped").values())
        sides = max(1, len(done))
        planned = (item.reps if item.reps is not None else 1) * sides
        if worked < planned:
            return f"{'during' if worked else 'before'} {_item_name(item, catalog)}"
    return "at the end"


def _profile_lines(profile: Any, catalog: Catalog) -> list[str]:
    """Conditions and flare, as the profile has them now."""
    if profile is None:
        return []
    conditions = getattr(catalog, "conditions", {}) if catalog is not None else {}
    names = [plain(conditions[c].name) if c in conditions else c for c in profile.conditions]
    lines = [f"Conditions in the profile: {', '.join(names) if names else 'none ticked'}"]
    if profile.flare:
        since = f" since {profile.flare_since[:10]}" if profile.flare_since else ""
        lines.append(f"Flare: on{since} (flare rules apply: gentler routines, lowest doses)")
    else:
        lines.append("Flare: off")
    return lines


def _sides_text(row: StretchAdherence) -> str:
    parts = []
    for side in row.sides:
        done, skipped = row.done.get(side, 0), row.skipped.get(side, 0)
        label = "" if side == "both" else f"{side} "
        parts.append(f"{label}{done} done, {skipped} skipped")
    return "; ".join(parts) if parts else "nothing reached"


def clinician_summary(
    sessions: Iterable[Session | Mapping[str, Any]],
    catalog: Catalog,
    today: date,
    weeks: int = 4,
    *,
    psfs: Sequence[PsfsActivity] = (),
    profile: Any = None,
    earlier_days: Iterable[date] = (),
    earlier_doses: Mapping[tuple[str, str], tuple[Dose, Sequence[StretchRecord]]] | None = None,
) -> str:
    """A plain-text summary of the last ``weeks`` x 7 days, to paste into an email.

    Plain text (ASCII apart from names and notes the user typed), no markup,
    no line wider than :data:`~.wording.REPORT_WIDTH` columns. Streaks are
    over the whole history; everything else is within the period. Sections
    with nothing to say (no answers after stretches, no dose changes, no
    check-ins, no PSFS activities) are left out. ``psfs`` are the profile's
    PSFS activities; their trend is over all their ratings. ``profile`` (the
    :class:`~...domain.models.Profile`) adds the conditions and the flare state.
    ``earlier_days`` and ``earlier_doses`` stand for sessions older than
    ``sessions`` (the store's per-year aggregates): their counted days and
    dose history.

    A session counts as *completed* only when it ended with no step skipped;
    one that ended with skipped steps is "finished with steps skipped". Each
    symptom stop says where it happened (:func:`stop_place`); sessions played
    past an avoid warning (``avoid_played``) are listed with those stretches;
    the per-stretch lines count only the stretches a session reached.
    """
    weeks = max(1, int(weeks))
    everything = as_sessions(sessions)
    first = today - timedelta(days=7 * weeks - 1)
    period = filter_sessions(everything, start=first, end=today)
    period_sorted = list(reversed(sort_newest_first(period)))
    days = counted_days(everything) | set(earlier_days)

    counted = [d for d in period if is_counted(d)]
    finished = [d for d in counted if status_of(d) == "completed"]
    completed = sum(1 for d in finished if not _skipped_steps(d))
    with_skips = len(finished) - completed
    stopped_kept = len(counted) - len(finished)
    not_counted = sum(1 for d in period if status_of(d) in FINISHED_STATUSES and not is_counted(d))
    unfinished = sum(1 for d in period if status_of(d) in UNFINISHED_STATUSES)
    active_days = len({session_date(d) for d in counted})
    seconds = sum(active_seconds(d) for d in period if adds_minutes(d))
    week_word = "week" if weeks == 1 else "weeks"

    skipped_part = f"{with_skips} finished with steps skipped, " if with_skips else ""
    lines = [
        "Stretching summary from stretchtui",
        f"Period: {first.isoformat()} to {today.isoformat()} (last {weeks} {week_word})",
        *_profile_lines(profile, catalog),
        "",
        f"Sessions done: {len(counted)} ({completed} completed, {skipped_part}"
        f"{stopped_kept} stopped early but kept)",
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
        line = f"  {stamp} {plain(routine_name(doc))}, {stop_place(doc, catalog)}"
        note = doc.note
        if clean_text(note, multiline=False):
            line += f' - note: "{plain(clean_text(note, multiline=False))[:120]}"'
        lines.append(line)

    lines += _avoid_lines(period_sorted, catalog)
    lines += _pain_flag_lines(period_sorted)

    rows = adherence([_reached_only(d) for d in period], catalog)
    lines += ["", "Per stretch reached (work steps done and skipped, time held):"]
    if not rows:
        lines.append("  no stretches reached in this period")
    for row in rows:
        lines.append(
            f"  {plain(row.name)}: {format_minutes(row.hold_seconds)} held"
            f" in {plural(row.sessions, 'session')}"
        )
        lines.append(f"    {_sides_text(row)}")
    reached = {row.stretch for row in rows}
    never = list(dict.fromkeys(
        _item_name(i, catalog) for d in period for i in items_of(d)
        if i.stretch not in reached
    ))
    if never:
        lines.append(f"  Planned but never reached: {', '.join(never)}")

    lines += _responses_lines(period, catalog)
    lines += _dose_lines(everything, catalog, first, today, earlier_doses)
    lines += _checkin_lines(period)
    lines += _psfs_lines(psfs)
    lines += [
        "",
        "Recorded by the person with stretchtui, a self-guided stretching app.",
        "It does not diagnose; please read it as their own log.",
    ]
    return "\n".join(fit(lines)) + "\n"


def _stamp(doc: Session) -> str:
    when = started_at(doc)
    return when.strftime("%Y-%m-%d %H:%M") if when else "unknown date"


def _avoid_lines(period: list[Session], catalog: Catalog | None) -> list[str]:
    """Sessions played past an avoid warning ("Play anyway"), with those stretches."""
    played = [d for d in period if isinstance(d.extra.get(AVOID_PLAYED_KEY), list) and d.extra.get(AVOID_PLAYED_KEY)]
    if not played:
        return []
    lines = ["", f"Played despite an avoid warning for their conditions: {plural(len(played), 'session')}"]
    for doc in played:
        ids = [s for s in doc.extra[AVOID_PLAYED_KEY] if isinstance(s, str)]
        names = ", ".join(plain(stretch_name(s, None, catalog)) for s in ids)
        lines.append(f"  {_stamp(doc)} {plain(routine_name(doc))}: {names}")
    return lines


def _pain_flag_lines(period: list[Session]) -> list[str]:
    """Sessions after which pain was high (7+) or rose (marked in History)."""
    flagged = [d for d in period if pain_flagged(d.extra)]
    if not flagged:
        return []
    lines = ["", f"Pain high or rising after the session: {plural(len(flagged), 'session')}"]
    for doc in flagged:
        before, after = pain_before(doc), pain_after(doc)
        pain = f"{'-' if before is None else before} -> {'-' if after is None else after}"
        lines.append(f"  {_stamp(doc)} {plain(routine_name(doc))}: pain {pain}")
    return lines


def _responses_lines(period: list[Session], catalog: Catalog | None) -> list[str]:
    rows = stretch_responses(period, catalog)
    if not rows:
        return []
    lines = ["", "How each stretch felt (answered in the rest after it):"]
    for row in rows:
        counts = ", ".join(f"{row.counts[answer]} {answer}" for answer in RESPONSES
                           if answer != "central" or row.counts[answer])  # central: only when given
        lines.append(f"  {plain(row.name)}: {counts}")
    lines.append("  (spreading: symptoms moving down an arm or leg, numbness, tingling)")
    return lines


def _dose_lines(everything: list[Session], catalog: Catalog, first: date, today: date,
                before: Mapping[tuple[str, str], tuple[Dose, Sequence[StretchRecord]]] | None = None) -> list[str]:
    changes = [c for c in dose_changes(everything, catalog, start=first, before=before) if c.day <= today]
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


def _checkin_lines(period: list[Session]) -> list[str]:
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
            when = session.started_at
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
