"""Words and units for history figures: plurals, durations, pain, status.

Presentation only: the figures themselves come from :mod:`.stats` and
:mod:`.records`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from ...domain.session import Session
from ...domain.session_rules import pain_flagged
from ...text import clean_text

#: Density characters for the heat map, from no activity to most.
HEAT_CHARS = " ░▒▓█"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 day``, ``0 days``, ``2 days``: a count with its noun in the right number."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def format_minutes(seconds: float) -> str:
    """``1 h 05 min``, ``12 min``, ``40 s``: a duration for people."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        rest = seconds % 60
        return f"{minutes} min {rest:02d} s" if rest and minutes < 10 else f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def format_clock(seconds: float) -> str:
    """``m:ss`` or ``h:mm:ss``."""
    seconds = round(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def format_pain(session: Session) -> str:
    """``4 → 2``, ``4 → –``, or ``–``; ``3 → 6 ▲`` when the session is flagged
    because the pain rose (``session_rules.PAIN_FLAG_KEY``)."""
    before, after = session.pain_before, session.pain_after
    if before is None and after is None:
        return "–"
    b = "–" if before is None else str(before)
    a = "–" if after is None else str(after)
    return f"{b} → {a}" + (" ▲" if pain_flagged(session.extra) else "")


def status_label(session: Session) -> str:
    """Short status for tables; "(not counted)" marks counted: false."""
    label = session.status_info.label
    if not session.counted:
        label += " (not counted)"
    return label



def plain(text: str) -> str:
    """One line of user text, safe to paste: no controls, no bidi overrides."""
    return clean_text(text, multiline=False)


#: Widest line of the clinician summary (fits an email without rewrapping).
REPORT_WIDTH = 72


def fit(lines: Iterable[str], width: int = REPORT_WIDTH) -> list[str]:
    """``lines`` wrapped at ``width`` columns; a wrapped line continues
    indented 4 more than its first line, so it still reads as one entry."""
    out: list[str] = []
    for line in lines:
        if len(line) <= width:
            out.append(line)
            continue
        indent = " " * (len(line) - len(line.lstrip(" ")))
        out += textwrap.wrap(
            line.strip(), width, initial_indent=indent, subsequent_indent=indent + "    ",
            break_on_hyphens=False,
        )
    return out


def dose_text(hold: int, reps: int) -> str:
    """``20 s x 3``: a dose as hold seconds times repetitions."""
    return f"{hold} s x {reps}"


def signed(value: int) -> str:
    """``+3``, ``-2``, ``0``: a change."""
    return f"+{value}" if value > 0 else str(value)
