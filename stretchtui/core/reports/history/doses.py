"""Dose changes: when a stretch's hold or repetitions changed between sessions.

Each session records, per item, the dose it was played at (``hold`` seconds
and ``reps``). Following one stretch within one routine from session to
session, oldest first, a dose that differs from the previous session's is a
change. The change is put down to the progression rule
(:mod:`stretchtui.core.domain.progression`) when the rule, applied to the sessions
before the change, gives exactly the new dose (a *progress* or a *back-off*);
otherwise the dose was changed some other way (by hand in the Builder, or a
routine file edited), and the report says only that it changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ...domain.progression import Dose, StretchRecord, suggest_item
from ...domain.session import Session, SessionItem, oldest_first
from .records import as_sessions, is_counted, routine_name, stretch_name

if TYPE_CHECKING:  # pragma: no cover
    from ...domain.catalog import Catalog


@dataclass(frozen=True)
class DoseChange:
    """One change of a stretch's dose in a routine, and the rule that made it (if any)."""

    stretch: str
    name: str
    routine: str
    day: date
    before: Dose
    after: Dose
    #: ``"progress"`` or ``"back-off"`` when the progression rule gives this change, else None.
    action: str | None = None
    #: the rule's reason (one sentence), with ``action``
    why: str | None = None


def dose_changes(
    sessions: Iterable[Session | Mapping[str, Any]], catalog: Catalog | None = None, *, start: date | None = None,
    before: Mapping[tuple[str, str], tuple[Dose, Sequence[StretchRecord]]] | None = None,
) -> list[DoseChange]:
    """Dose changes in ``sessions`` (the whole history, so a change is seen
    against the session before it), oldest first; with ``start``, only those
    on or after that day.

    ``before`` stands for sessions older than every one in ``sessions`` (the
    per-year aggregates of :mod:`stretchtui.core.reports.aggregates`): for each
    ``(routine casefolded, stretch)``, the last dose and the records newest
    first that :func:`suggest_item` reads (the 3 newest, then the other doses).
    """
    last: dict[tuple[str, str], Dose] = {}
    history: dict[tuple[str, str], list[StretchRecord]] = {}  # newest first
    for key, (dose, records) in (before or {}).items():
        last[key] = dose
        history[key] = list(records)
    changes: list[DoseChange] = []
    for session in oldest_first(as_sessions(sessions)):
        when = session.started_at
        if when is None:
            continue
        routine = routine_name(session)
        for key, item, record in dose_entries(session):
            assert record.dose is not None
            dose = record.dose
            previous = last.get(key)
            records = history.setdefault(key, [])
            if previous is not None and previous != dose and (start is None or when.date() >= start):
                action, why = _rule_for(catalog, item.stretch, previous, dose, records)
                changes.append(DoseChange(
                    item.stretch, stretch_name(item.stretch, item, catalog), routine, when.date(),
                    previous, dose, action, why,
                ))
            last[key] = dose
            records.insert(0, record)
    return changes


def dose_entries(session: Session) -> Iterator[tuple[tuple[str, str], SessionItem, StretchRecord]]:
    """What one session adds to the dose history: ``((routine casefolded, stretch), item, record)``
    for the first item of each stretch with a recorded dose (``record.dose`` is set)."""
    routine = routine_name(session)
    seen: set[str] = set()
    for item in session.items:
        if item.stretch in seen or item.hold is None or item.reps is None:
            continue
        seen.add(item.stretch)
        yield (routine.casefold(), item.stretch), item, StretchRecord(
            counted=is_counted(session),
            response=item.response,
            pain_before=session.pain_before,
            pain_after=session.pain_after,
            checkin=session.checkin.answer if session.checkin else None,
            dose=Dose(item.hold, item.reps),
        )


def _rule_for(
    catalog: Catalog | None, sid: str, before: Dose, after: Dose, records: list[StretchRecord]
) -> tuple[str | None, str | None]:
    stretch = catalog.get(sid) if catalog is not None else None
    if stretch is None:
        return None, None
    suggestion = suggest_item(stretch, before, records)
    if suggestion.action in ("progress", "back-off") and suggestion.after == after:
        return suggestion.action, suggestion.why
    return None, None
