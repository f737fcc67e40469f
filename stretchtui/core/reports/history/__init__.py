"""Progress from recorded sessions: streaks, minutes, heat map, pain, adherence.

Pure functions over recorded sessions (:class:`~stretchtui.core.domain.session.Session`,
as the store returns them; plain documents are read by ``Session.from_doc`` on
the way in). Nothing here knows about Textual or the store, so the History
screen, ``stretchtui summary`` and the tests all compute the same numbers from
the same sessions.

Rules (what a person sees, so they are written down):

* **A session's day** is the local calendar date of its ``started`` stamp,
  read in the offset the stamp was written with (the user's wall clock at
  the time). A session that starts at 23:50 and ends at 00:20 belongs to the
  day it started. Sessions recorded in another time zone (travel) keep the
  date the user saw then; nothing is converted to UTC.
* **A session counts** toward streaks and "sessions done" when it was
  completed, or when it was stopped early (``stopped`` / ``symptoms``), the
  user kept it (``counted`` is not false) and at least one work step was done.
  Stopping because symptoms spread is the right thing to do, so such a session
  keeps the day when the user lets it. Sessions still ``running`` (the app
  died) or ``interrupted`` (the terminal went away) never count: the user
  never got to say. ``counted: false`` always wins.
* **Minutes** are ``active_seconds`` (time spent in the session, pauses left
  out). Every session except those with ``counted: false`` adds its minutes,
  including unfinished ones: the time was spent stretching.
* **Adherence** counts work steps (holds, reps, moves) done and skipped, per
  stretch and per side, from every session including unfinished and
  not-counted ones: it is a record of what was actually done, for the user
  and a clinician. Steps never reached are neither done nor skipped.
* **Time held** per stretch is done work steps x the item's ``hold`` seconds.
* **Current streak** is the run of consecutive counted days ending today, or
  ending yesterday when today has no counted session yet (the streak is not
  lost until the day is over).
* **Weeks** in charts start on Monday; the last week is the one containing
  ``today``. The clinician summary uses 7-day blocks ending today instead, so
  its period is exactly the last N x 7 days.

Malformed documents (missing or unreadable fields) are tolerated: a document
without a readable ``started`` is left out of every date-based figure.

Layout (domain first, presentation last):

* :mod:`.records` – the history's rules over one session (what counts, step totals, names);
* :mod:`.filters` – choosing sessions (routine, date range, order);
* :mod:`.stats` – figures over many sessions (streaks, minutes, heat map,
  pain, adherence, everything at once for the History screen);
* :mod:`.wording` – words and units (plurals, durations, pain, status);
* :mod:`.report` – the clinician summary (plain text for an email).

Callers import the package (``from ..core import history as h``) and use
the names listed below.
"""

from __future__ import annotations

from ...domain.session import FINISHED_STATUSES, STATUS_LABELS, STATUSES, UNFINISHED_STATUSES
from .filters import (
    DateRangeError,
    filter_sessions,
    parse_date_range,
    parse_day,
    range_label,
    range_start,
    routine_names,
    sort_newest_first,
    symptom_stops,
)
from .records import (
    SIDES,
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
    steps_done,
    stretch_name,
)
from .report import clinician_summary
from .stats import (
    HEAT_THRESHOLDS,
    HeatMap,
    HistoryStats,
    PainPoint,
    StretchAdherence,
    adherence,
    compute_stats,
    counted_days,
    current_streak,
    daily_minutes,
    heat_level,
    heatmap,
    longest_streak,
    pain_trend,
    percent,
    week_start,
    weekly_minutes,
)
from .wording import (
    HEAT_CHARS,
    format_clock,
    format_minutes,
    format_pain,
    plain,
    plural,
    status_label,
)

__all__ = [
    "FINISHED_STATUSES",
    "HEAT_CHARS",
    "HEAT_THRESHOLDS",
    "SIDES",
    "STATUSES",
    "STATUS_LABELS",
    "UNFINISHED_STATUSES",
    "DateRangeError",
    "HeatMap",
    "HistoryStats",
    "PainPoint",
    "StretchAdherence",
    "active_seconds",
    "adds_minutes",
    "adherence",
    "as_sessions",
    "clinician_summary",
    "compute_stats",
    "counted_days",
    "current_streak",
    "daily_minutes",
    "filter_sessions",
    "format_clock",
    "format_minutes",
    "format_pain",
    "heat_level",
    "heatmap",
    "is_counted",
    "is_symptom_stop",
    "items_of",
    "longest_streak",
    "pain_after",
    "pain_before",
    "pain_trend",
    "parse_date_range",
    "parse_day",
    "percent",
    "plain",
    "planned_steps",
    "plural",
    "range_label",
    "range_start",
    "routine_name",
    "routine_names",
    "session_date",
    "side_counts",
    "sort_newest_first",
    "started_at",
    "status_label",
    "status_of",
    "steps_done",
    "stretch_name",
    "symptom_stops",
    "week_start",
    "weekly_minutes",
]
