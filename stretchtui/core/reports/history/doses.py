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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ...domain.progression import Dose, StretchRecord, suggest_item
from ...domain.session import Session
from .records import is_counted, pain_after, pain_before, routine_name, started_at, stretch_name

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
    sessions: Iterable[Mapping[str, Any]], catalog: Catalog | None = None, *, start: date | None = None
) -> list[DoseChange]:
    """Dose changes in ``sessions`` (the whole history, so a change is seen
    against the session before it), oldest first; with ``start``, only those
    on or after that day."""
    dated: list[tuple[datetime, int, Mapping[str, Any]]] = []
    for index, doc in enumerate(sessions):
        when = started_at(doc)
        if when is not None:
            dated.append((when, index, doc))
    dated.sort(key=lambda t: (t[0].timestamp(), t[1]))
    last: dict[tuple[str, str], Dose] = {}
    history: dict[tuple[str, str], list[StretchRecord]] = {}  # newest first
    changes: list[DoseChange] = []
    for when, _, doc in dated:
        session = Session.from_doc(doc)
        routine = routine_name(doc)
        seen: set[str] = set()
        raw_items = [raw for raw in doc.get("items") or [] if isinstance(raw, dict)]
        for item, raw in zip(session.items, [r for r in raw_items if isinstance(r.get("stretch"), str)], strict=True):
            if item.stretch in seen or item.hold is None or item.reps is None:
                continue
            seen.add(item.stretch)
            key = (routine.casefold(), item.stretch)
            dose = Dose(item.hold, item.reps)
            previous = last.get(key)
            records = history.setdefault(key, [])
            if previous is not None and previous != dose and (start is None or when.date() >= start):
                action, why = _rule_for(catalog, item.stretch, previous, dose, records)
                changes.append(DoseChange(
                    item.stretch, stretch_name(item.stretch, raw, catalog), routine, when.date(),
                    previous, dose, action, why,
                ))
            last[key] = dose
            records.insert(0, StretchRecord(
                counted=is_counted(doc),
                response=item.response,
                pain_before=pain_before(doc),
                pain_after=pain_after(doc),
                checkin=session.checkin.answer if session.checkin else None,
                dose=dose,
            ))
    return changes


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
