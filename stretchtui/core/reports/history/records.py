"""Reading one recorded session for the history's figures.

Sessions come from the store as :class:`~stretchtui.core.domain.session.Session`
(the one reading of a stored document: :meth:`Session.from_doc`). These
helpers add the history's rules on top (what counts, what a step total is
when a session did not record one, a name fit to show); they never read a
document themselves. Callers that still hold plain documents (a test, a
history file) turn them into sessions with :func:`as_sessions` first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ...domain.models import UNTITLED
from ...domain.session import Session, SessionItem
from ...text import clean_name

if TYPE_CHECKING:  # pragma: no cover
    from ...domain.catalog import Catalog

#: Side keys in item counts, in display order.
SIDES = ("left", "right", "both")
_SIDE_SET = frozenset(SIDES)


def as_sessions(sessions: Iterable[Session | Mapping[str, Any]]) -> list[Session]:
    """``sessions`` as :class:`Session` (documents read by :meth:`Session.from_doc`; non-mappings left out)."""
    out = []
    for s in sessions:
        if isinstance(s, Session):
            out.append(s)
        elif isinstance(s, Mapping):
            number = s.get("id")
            out.append(Session.from_doc(s, number=number if type(number) is int else None))
    return out


def started_at(session: Session) -> datetime | None:
    """The session's start as an aware datetime (None when unreadable)."""
    return session.started_at


def session_date(session: Session) -> date | None:
    """The local calendar date the session started on (its own offset)."""
    return session.day


def status_of(session: Session) -> str:
    return session.status


def active_seconds(session: Session) -> float:
    """Seconds spent in the session (``active_seconds``)."""
    return session.active_seconds


def pain_before(session: Session) -> int | None:
    return session.pain_before


def pain_after(session: Session) -> int | None:
    return session.pain_after


def routine_name(session: Session) -> str:
    """The routine name, cleaned for display (still never markup)."""
    return _display_name(session.routine) if session.routine else UNTITLED


@lru_cache(maxsize=1024)
def _display_name(name: str) -> str:
    # A history has a handful of distinct routine names and thousands of
    # sessions: clean each name once, not once per session.
    return clean_name(name) or UNTITLED


def items_of(session: Session) -> tuple[SessionItem, ...]:
    return session.items


def side_counts(item: SessionItem, key: str) -> dict[str, int]:
    """``item.done`` / ``item.skipped`` (``key``) as side -> count, unknown sides dropped."""
    raw = item.done if key == "done" else item.skipped
    return {side: raw[side] for side in SIDES if side in raw}


def steps_done(session: Session) -> int:
    """Work steps done (``steps_done``, else summed from the items)."""
    if session.steps_done is not None:
        return session.steps_done
    return sum(sum(side_counts(item, "done").values()) for item in session.items)


def is_counted(session: Session) -> bool:
    """Does this session count toward streaks and "sessions done"? (see the package doc)"""
    if not session.counted:
        return False
    if session.status == "completed":
        return True
    if session.status in ("stopped", "symptoms"):
        return steps_done(session) > 0
    return False


def adds_minutes(session: Session) -> bool:
    """Does this session's active time count in minutes and the heat map?"""
    return session.counted


def is_symptom_stop(session: Session) -> bool:
    """Was the session stopped because symptoms spread?"""
    return session.status == "symptoms" or session.stop_reason == "symptoms"


def _item_planned(item: SessionItem) -> int:
    """Work steps an item planned: its reps times its sides (0 when unknown)."""
    return (item.reps or 0) * sum(1 for k in item.done if k in _SIDE_SET)


def planned_steps(session: Session) -> int:
    """Work steps a session planned (``steps_total``, else the sum over its items)."""
    if session.steps_total is not None:
        return session.steps_total
    return sum(_item_planned(item) for item in session.items)


def stretch_name(sid: str, item: SessionItem | None, catalog: Catalog | None) -> str:
    """A stretch's display name: the catalog's, else the one recorded, else its id."""
    stretch = catalog.get(sid) if catalog is not None else None
    if stretch is not None:
        return str(stretch.name)
    name = clean_name(item.name) if item is not None else ""
    return name or clean_name(sid) or "?"
