"""Choosing sessions: by routine, by date range, newest first; typed date ranges."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from ...domain.session import Session, newest_first
from ...errors import StretchtuiError
from .records import as_sessions, is_symptom_stop, routine_name


def sort_newest_first(sessions: Iterable[Session | Mapping[str, Any]]) -> list[Session]:
    """Sessions newest first (by :attr:`Session.order`); unreadable dates last."""
    return newest_first(as_sessions(sessions))


def routine_names(sessions: Iterable[Session | Mapping[str, Any]]) -> list[str]:
    """Distinct routine names in the history, sorted case-insensitively."""
    names = {routine_name(s) for s in as_sessions(sessions)}
    return sorted(names, key=lambda n: (n.casefold(), n))


def filter_sessions(
    sessions: Iterable[Session | Mapping[str, Any]],
    *,
    routine: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[Session]:
    """Sessions of ``routine`` (None: all) whose day is within ``start``..``end`` (inclusive).

    With a date bound, sessions without a readable date are left out.
    """
    key = routine.casefold() if routine is not None else None
    out = []
    for session in as_sessions(sessions):
        if key is not None and routine_name(session).casefold() != key:
            continue
        if start is not None or end is not None:
            day = session.day
            if day is None or (start is not None and day < start) or (end is not None and day > end):
                continue
        out.append(session)
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



def symptom_stops(sessions: Iterable[Session | Mapping[str, Any]]) -> list[Session]:
    """Sessions stopped because symptoms spread, oldest first."""
    stops = [s for s in as_sessions(sessions) if is_symptom_stop(s)]
    return list(reversed(sort_newest_first(stops)))
