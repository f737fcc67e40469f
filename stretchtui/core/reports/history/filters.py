"""Choosing sessions: by routine, by date range, newest first; typed date ranges."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from ...errors import StretchtuiError
from .records import is_symptom_stop, routine_name, session_date, started_at


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



def symptom_stops(sessions: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Sessions stopped because symptoms spread, oldest first."""
    stops = [doc for doc in sessions if is_symptom_stop(doc)]
    return list(reversed(sort_newest_first(stops)))
