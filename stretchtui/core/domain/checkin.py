"""The day-after check-in: "How is your back today, compared with before that session?"

A session is *eligible* for a check-in when it ended on purpose (completed,
stopped, or stopped for symptoms) between :data:`MIN_HOURS` and
:data:`MAX_HOURS` hours ago (by its end stamp), has no check-in yet, and no
newer session has one. The latest eligible session is the one asked about
(``stretchtui checkin better|same|worse``, and once when the app starts);
once it is answered, older sessions are not asked about.

The answer is stored on the session as ``checkin``
(``{"answer": ..., "at": ISO stamp}``, see :mod:`.session`); the progression
rule reads it (a *worse* check-in backs the dose off).

Dismissing the app's question is remembered on that session as
``checkin_dismissed`` (the ISO stamp of the dismissal; an extra field that
older versions keep unchanged): the app does not ask about that session
again, but ``stretchtui checkin`` can still record an answer for it.

INTERFACE::

    session_age(session, now) -> timedelta | None
    eligible_checkin(sessions, now, *, ask=False) -> tuple[int, Session] | None   # store.list_sessions()
    question(session, catalog=None) -> str                                     # names the routine's region
    record_checkin(store, answer, now) -> tuple[int, Session]                  # raises CheckinError
    dismiss_checkin(store, doc_id, now) -> None
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from ..errors import StretchtuiError
from .session import CHECKIN_ANSWERS, FINISHED_STATUSES, CheckIn, Session

if TYPE_CHECKING:  # pragma: no cover
    from ..storage.ports import StorePort
    from .catalog import Catalog

#: A check-in is asked from this many hours after a session ...
MIN_HOURS = 12
#: ... up to this many.
MAX_HOURS = 72
#: The question, word for word (app and README), after a back routine; :func:`question`
#: names what the routine worked on ("How is your neck today, ...").
QUESTION = "How is your back today, compared with before that session?"
_QUESTION = "How is your {part} today, compared with before that session?"


def question(session: Session, catalog: Catalog | None = None) -> str:
    """The check-in question for ``session``, naming what its routine worked on:
    "How is your neck today, ..." after a neck routine, "back" after a back one,
    "neck and back" after both (:func:`.red_flags.body_words`); :data:`QUESTION`
    when the catalog does not know its stretches."""
    from .red_flags import body_words

    stretches = getattr(catalog, "stretches", {}) if catalog is not None else {}
    regions = [r for item in session.items if item.stretch in stretches for r in stretches[item.stretch].regions]
    return _QUESTION.format(part=body_words(regions)) if regions else QUESTION
#: The session field that remembers a dismissed question.
DISMISSED = "checkin_dismissed"


class CheckinError(StretchtuiError):
    """No session to check in on, or a bad answer."""


def _parse(stamp: str | None) -> datetime | None:
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)


def session_age(session: Session, now: datetime) -> timedelta | None:
    """How long ago ``session`` ended (None without an end stamp)."""
    when = _parse(session.ended)
    return None if when is None else now - when


def eligible_checkin(
    sessions: Iterable[Session], now: datetime, *, ask: bool = False
) -> tuple[int, Session] | None:
    """The latest session eligible for a check-in: ``(store number, session)``, or None.

    ``sessions`` are stored sessions (as ``Store.list_sessions`` returns them,
    each with its ``number``). ``ask=True`` (the app's question) also treats a
    dismissed question as answered. Of two sessions that ended at the same
    moment, the later recorded is the latest (:attr:`Session.order`).
    """
    best: tuple[tuple[timedelta, tuple[float, int]], int, Session] | None = None
    answered: timedelta | None = None  # the age of the newest session already answered (or dismissed)
    for session in sessions:
        doc_id = session.number
        if doc_id is None:
            continue
        if session.status not in FINISHED_STATUSES:
            continue
        age = session_age(session, now)
        if age is None:
            continue
        if session.checkin is not None or (ask and session.extra.get(DISMISSED)):
            answered = age if answered is None else min(answered, age)
            continue
        if not timedelta(hours=MIN_HOURS) <= age <= timedelta(hours=MAX_HOURS):
            continue
        rank = (age, (-session.order[0], -session.order[1]))
        if best is None or rank < best[0]:
            best = (rank, doc_id, session)
    if best is None or (answered is not None and answered <= best[0][0]):
        return None  # a newer session was answered: older ones are not asked about
    return best[1], best[2]


def describe_session(session: Session, now: datetime | None = None) -> str:
    """"Morning back, 2026-03-02 08:00" (local time of its start), for messages."""
    when = _parse(session.started) or _parse(session.ended)
    if when is not None and now is not None and now.tzinfo is not None:
        when = when.astimezone(now.tzinfo)
    stamp = when.strftime("%Y-%m-%d %H:%M") if when is not None else "unknown time"
    return f"{session.routine or 'a session'}, {stamp}"


def record_checkin(store: StorePort, answer: str, now: datetime) -> tuple[int, Session]:
    """Record ``answer`` on the latest eligible session; returns it (as now stored)."""
    if answer not in CHECKIN_ANSWERS:
        raise CheckinError(f"a check-in answer is one of {', '.join(CHECKIN_ANSWERS)} (got {answer!r})")
    found = eligible_checkin(store.list_sessions(), now)
    if found is None:
        raise CheckinError(
            f"no session to check in on: a check-in is for a session that ended {MIN_HOURS} to "
            f"{MAX_HOURS} hours ago and has none yet."
        )
    doc_id, session = found
    checkin = CheckIn(answer=answer, at=now.isoformat(timespec="seconds"))
    store.update_session(doc_id, {"checkin": checkin.to_doc()})
    from dataclasses import replace

    return doc_id, replace(session, checkin=checkin)


def dismiss_checkin(store: StorePort, doc_id: int, now: datetime) -> None:
    """Remember that the app's question about session ``doc_id`` was dismissed."""
    store.update_session(doc_id, {DISMISSED: now.isoformat(timespec="seconds")})
