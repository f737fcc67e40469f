"""The schedule as an iCalendar file (RFC 5545) for phone and desktop calendars.

One weekly recurring event per time of day (``RRULE:FREQ=WEEKLY;BYDAY=...``)
named after the routine, with a reminder at the start (``VALARM``). Times
are *floating* (no time zone): 08:00 stays 08:00 wherever the phone is, the
same rule ``stretchtui due`` follows. UIDs are derived from the slot, so
importing a regenerated file updates the events instead of duplicating them.
"""

from __future__ import annotations

import hashlib
import shlex
from datetime import date, datetime, timedelta

from ..storage.schedule import DAY_NAMES, Schedule

_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def first_day(schedule: Schedule, today: date) -> date:
    """The first scheduled day on or after ``today``."""
    for offset in range(7):
        day = today + timedelta(days=offset)
        if day.weekday() in schedule.days:
            return day
    return today  # pragma: no cover - a schedule always has a day


def schedule_ics(schedule: Schedule, now: datetime, *, minutes: int | None = None) -> bytes:
    """The iCalendar document for ``schedule``; ``minutes`` is each event's length (default 10)."""
    from icalendar import Alarm, Calendar, Event, vRecur

    length = timedelta(minutes=max(1, minutes or 10))
    title = f"Stretch: {schedule.routine}" if schedule.routine else "Stretch"
    command = f"stretchtui play {shlex.quote(schedule.routine)}" if schedule.routine else "stretchtui"
    cal = Calendar()
    cal.add("prodid", "-//stretchtui//stretch reminders//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "stretchtui")
    start_day = first_day(schedule, now.date())
    stamp = now.astimezone().replace(microsecond=0)
    for at in schedule.times:
        event = Event()
        key = f"{','.join(DAY_NAMES[d] for d in schedule.days)}@{at:%H%M}/{schedule.routine or ''}"
        event.add("uid", hashlib.sha256(key.encode()).hexdigest()[:24] + "@stretchtui")
        event.add("dtstamp", stamp)
        event.add("summary", title)
        event.add("description", f"Time to stretch. In a terminal: {command}")
        event.add("dtstart", datetime.combine(start_day, at))  # floating local time
        event.add("duration", length)
        event.add("rrule", vRecur(freq="WEEKLY", byday=[_BYDAY[d] for d in schedule.days]))
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy block
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", title)
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()
