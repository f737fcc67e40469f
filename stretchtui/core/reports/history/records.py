"""Reading one recorded session: tolerant accessors over session documents.

The store hands sessions out as plain documents (dicts). These accessors
read one field each and never raise: a missing or unreadable field reads as
"nothing" (see the rules in :mod:`stretchtui.core.reports.history`). They read the
dict directly rather than building a :class:`~stretchtui.core.domain.session.Session`
first because the History screen runs them over tens of thousands of
sessions on every filter change; code that wants a whole typed session
(the report's responses and check-ins) uses :meth:`Session.from_doc`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ...domain.models import UNTITLED
from ...domain.session import STATUS_LABELS
from ...text import clean_name

if TYPE_CHECKING:  # pragma: no cover
    from ...domain.catalog import Catalog

#: Side keys in item counts, in display order.
SIDES = ("left", "right", "both")
_SIDE_SET = frozenset(SIDES)

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


def stretch_name(sid: str, item: Mapping[str, Any], catalog: Catalog | None) -> str:
    """A stretch's display name: the catalog's, else the one recorded, else its id."""
    stretch = catalog.get(sid) if catalog is not None else None
    if stretch is not None:
        return stretch.name
    name = item.get("name")
    if isinstance(name, str) and clean_name(name):
        return clean_name(name)
    return clean_name(sid) or "?"

