"""The session model: what one recorded session is, independent of where it is kept.

A session is what the player records while a routine runs: when it started
and ended, how it ended (its *status*), the time spent, the pain scores and
note the user gave, and per routine item the work steps done and skipped by
side. The store keeps sessions as plain JSON documents; this module is the
one place that turns such a document into a :class:`Session` and back
(:meth:`Session.from_doc` / :meth:`Session.to_doc`), migrating older
documents on the way in.

Session documents carry ``"schema"`` (their version):

* 0 (no ``schema``, early builds): the active time was in ``duration``; no
  ``counted``/``stop_reason``/``note``.
* 1: ``active_seconds``, ``counted``, ``stop_reason``, ``note``; no stable id.
* 2: adds ``uuid``, the session's id everywhere
  (32 hex digits). New sessions get a random one (:func:`new_session_id`);
  a session recorded before ids existed gets one derived from its routine
  name and start stamp (:func:`derived_session_id`), so two machines
  migrating the same session agree on its id.
* 3 (:data:`SESSION_SCHEMA`): adds, per item, ``response`` (how that stretch
  felt, answered in the rest after it: one of :data:`RESPONSES`, or null when
  not answered) and, per session, ``checkin`` (the day-after answer:
  ``{"answer": "better"|"same"|"worse", "at": ISO stamp}``, or null).
  Older documents read as unanswered; nothing else changes.

The store's document numbers (``id`` in ``list_sessions``) are local to one
data folder and never leave it; ``uuid`` is what the history file calls
``id`` and what ``stretchtui history import`` compares.

Unknown fields (added by a newer stretchtui) are kept in ``extra`` and
written back unchanged.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from sys import intern
from types import MappingProxyType
from typing import Any, TypeGuard

#: Version of the session documents this stretchtui writes.
SESSION_SCHEMA = 3
#: Pain scores run from 0 (none) to this (worst imaginable).
PAIN_MAX = 10

#: A UUID as 32 hex digits, or in the canonical 8-4-4-4-12 form (lower case).
_UUID_TEXT = re.compile(r"^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\Z")

#: Namespace for ids derived from old sessions' content (fixed forever).
_ID_NAMESPACE = uuid.UUID("6f1d8a52-3c1b-4d7e-9a55-2b8f0c4e7d19")


@dataclass(frozen=True)
class StatusInfo:
    """How a session ended, and the words for it."""

    key: str
    label: str  #: short, in lists (History, ``stretchtui history``)
    title: str  #: a heading (the summary after a session, ``play --plain``)
    badge: str  #: one word on the player's progress line
    finished: bool  #: ended on purpose (may count toward streaks)


#: Every status a session can have, in one table (the order lists them).
STATUSES: dict[str, StatusInfo] = {
    s.key: s
    for s in (
        StatusInfo("completed", "completed", "Session complete", "DONE", True),
        StatusInfo("stopped", "stopped", "Session stopped", "STOPPED", True),
        StatusInfo("symptoms", "symptoms", "Session stopped (symptoms spreading)", "STOPPED", True),
        StatusInfo("running", "unfinished", "Session unfinished", "RUNNING", False),
        StatusInfo("interrupted", "interrupted", "Session interrupted", "ENDED", False),
    )
}
#: Statuses of a session that ended on purpose / never ended properly.
FINISHED_STATUSES = tuple(k for k, s in STATUSES.items() if s.finished)
UNFINISHED_STATUSES = tuple(k for k, s in STATUSES.items() if not s.finished)
#: status -> short label (kept for callers that want a plain mapping).
STATUS_LABELS = {k: s.label for k, s in STATUSES.items()}


#: How a stretch felt, asked in the rest after it (issue: adaptive program).
#: ``spreading``: symptoms moving down an arm or leg, or new numbness,
#: tingling or weakness (clinical.md: stop; the stretch is marked, see
#: ``symptoms``). ``central``: symptoms moved back toward the spine
#: (centralization, clinical.md: a good sign even if the back aches more;
#: counted as settled, like *better*).
RESPONSES: tuple[str, ...] = ("better", "same", "worse", "spreading", "central")
#: The words for each response, for lists and prompts.
RESPONSE_WORDS: dict[str, str] = {
    "better": "better",
    "same": "the same",
    "worse": "worse",
    "spreading": "symptoms spreading (down an arm or leg, new numbness, tingling or weakness)",
    "central": "symptoms moved toward the spine",
}
#: Responses that count as settled (a good response) for progression and the gate.
SETTLED_RESPONSES: tuple[str, ...] = ("better", "same", "central")
#: The day-after check-in answers ("compared with before that session").
CHECKIN_ANSWERS: tuple[str, ...] = ("better", "same", "worse")


#: The heading of a session that reached its end with every step skipped.
ALL_SKIPPED_TITLE = "Session ended: every step skipped"


def session_title(status: Any, steps_done: Any = None) -> str:
    """The heading for a session that ended with ``status`` (the summary, ``play --plain``).

    A session skipped through to its end is "completed" in the record but was
    not done: its heading says so instead of "Session complete".
    """
    if status == "completed" and steps_done == 0:
        return ALL_SKIPPED_TITLE
    return status_info(status).title


def status_info(status: Any) -> StatusInfo:
    """The table row for ``status``; an unknown or missing status reads as interrupted."""
    return STATUSES.get(status if isinstance(status, str) else "", STATUSES["interrupted"])


# ---------------------------------------------------------------- ids


def new_session_id() -> str:
    """A fresh random session id (32 lowercase hex digits)."""
    return uuid.uuid4().hex


def is_session_id(value: Any) -> TypeGuard[str]:
    """Whether ``value`` is a session id as written: 32 lowercase hex digits."""
    return (
        isinstance(value, str)
        and len(value) == 32
        and all(c in "0123456789abcdef" for c in value)
    )


def canonical_session_id(value: Any) -> str | None:
    """``value`` as a stored session id, from any UUID text form; None when it is not one.

    Accepted: 32 hex digits, the canonical form with dashes
    (``be30d6d6-4051-402b-a62e-a4c24e900287``), either in upper or lower
    case, in braces (``{...}``) or as a URN (``urn:uuid:...``). Stored and
    exported as 32 lowercase hex digits.
    """
    if is_session_id(value):
        return value
    if not isinstance(value, str) or len(value) > 47:
        return None
    text = value.lower()
    text = text.removeprefix("urn:uuid:")
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    if _UUID_TEXT.match(text) is None:
        return None
    return text.replace("-", "")


def derived_session_id(doc: Mapping[str, Any]) -> str:
    """The id of a session recorded before ids existed, from its content.

    Routine name and start stamp identify a session (nobody starts the same
    routine twice in the same second) and never change after the session
    starts, so every machine derives the same id for the same session, also
    after it was closed or annotated. A document without a start stamp is
    identified by all of its fields except the local document number.
    """
    started = doc.get("started")
    if isinstance(started, str) and started:
        basis: Any = ["v1", doc.get("routine"), started]
    else:
        basis = ["v1-doc", {k: v for k, v in doc.items() if k not in ("id", "uuid")}]
    text = json.dumps(basis, sort_keys=True, ensure_ascii=True, default=str)
    return uuid.uuid5(_ID_NAMESPACE, text).hex


# ---------------------------------------------------------------- migration


def migrate_session_doc(doc: Mapping[str, Any]) -> dict:
    """A copy of ``doc`` brought up to :data:`SESSION_SCHEMA` (see the module docstring)."""
    out = dict(doc)
    version = out.get("schema", 0)
    if isinstance(version, bool) or not isinstance(version, int):
        version = 0
    if version < 1:
        if "active_seconds" not in out and isinstance(out.get("duration"), (int, float)):
            out["active_seconds"] = float(out["duration"])
        out.pop("duration", None)
        out.setdefault("active_seconds", 0.0)
        out.setdefault("ended", None)
        out.setdefault("status", "completed" if out.get("ended") else "interrupted")
        out.setdefault("counted", True)
        out.setdefault("stop_reason", None)
        out.setdefault("items", [])
        out.setdefault("pain_before", None)
        out.setdefault("pain_after", None)
        out.setdefault("note", "")
    if not is_session_id(out.get("uuid")):
        out["uuid"] = canonical_session_id(out.get("uuid")) or derived_session_id(out)
    if version < SESSION_SCHEMA:
        out["schema"] = SESSION_SCHEMA
    return out


# ---------------------------------------------------------------- the model


def _whole(value: Any, low: int = 0, high: int | None = None) -> int | None:
    """A whole number within ``low``..``high``, written as ``3`` or ``3.0``; else None.

    The one reading of every whole-number field (pain scores, step counts,
    doses): ``true``, ``"3"``, ``3.5``, NaN and values out of range read as
    missing, never as something near them.
    """
    if type(value) is int:  # the usual case, fast
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        return None
    if number < low or (high is not None and number > high):
        return None
    return number


def _opt_num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return None
    if value in (float("inf"), float("-inf")):
        return None
    return value


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


#: One read-only mapping for each distinct side count ({"left": 3, "right": 3}, ...): a year
#: file repeats a handful of them thousands of times, and a session's items are read-only.
_COUNTS: dict[tuple, Mapping[str, int]] = {}
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _side_counts(value: Any) -> Mapping[str, int]:
    if not isinstance(value, dict) or not value:
        return _EMPTY
    pairs = []
    for k, v in value.items():
        n = v if type(v) is int and v >= 0 else _whole(v)  # the usual case first
        if n is not None:
            pairs.append((str(k), n))
    key = tuple(pairs)
    shared = _COUNTS.get(key)
    if shared is None:
        shared = MappingProxyType(dict(pairs))
        if len(_COUNTS) < 4096:  # a hand-edited file with odd counts does not grow it for ever
            _COUNTS[key] = shared
    return shared


def _extra(doc: Mapping[str, Any], known: frozenset[str]) -> Mapping[str, Any]:
    """The fields of ``doc`` this version does not know (one shared empty mapping when there are none)."""
    extra = {k: v for k, v in doc.items() if k not in known}
    return extra if extra else _EMPTY


def _text(value: Any) -> str | None:
    """A short repeated text (a stretch id, name, mode, routine name): one copy for the whole history."""
    return intern(value) if isinstance(value, str) and len(value) <= 200 else _opt_str(value)


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


_ITEM_FIELDS = frozenset((
    "stretch", "name", "mode", "hold", "reps", "sides", "rest", "done", "skipped", "response",
))


@dataclass(frozen=True, slots=True)
class SessionItem:
    """One routine item as played: its dose then, and work steps done/skipped by side."""

    stretch: str
    name: str = ""
    mode: str | None = None
    hold: int | None = None
    reps: int | None = None
    sides: str | None = None
    rest: int | None = None
    done: Mapping[str, int] = field(default_factory=dict)
    skipped: Mapping[str, int] = field(default_factory=dict)
    #: how it felt (one of :data:`RESPONSES`), None when not answered
    response: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_doc(cls, doc: Any) -> SessionItem | None:
        if not isinstance(doc, dict) or not isinstance(doc.get("stretch"), str):
            return None
        return cls(
            stretch=_text(doc["stretch"]) or "",
            name=(_text(doc["name"]) or "") if isinstance(doc.get("name"), str) else "",
            mode=_text(doc.get("mode")),
            hold=_whole(doc.get("hold")),
            reps=_whole(doc.get("reps")),
            sides=_text(doc.get("sides")),
            rest=_whole(doc.get("rest")),
            done=_side_counts(doc.get("done")),
            skipped=_side_counts(doc.get("skipped")),
            response=doc["response"] if doc.get("response") in RESPONSES else None,
            extra=_extra(doc, _ITEM_FIELDS),
        )

    def to_doc(self) -> dict:
        doc: dict[str, Any] = dict(self.extra)
        doc.update({
            "stretch": self.stretch,
            "name": self.name,
            "mode": self.mode,
            "hold": self.hold,
            "reps": self.reps,
            "sides": self.sides,
            "rest": self.rest,
            "done": dict(self.done),
            "skipped": dict(self.skipped),
            "response": self.response,
        })
        return doc


@dataclass(frozen=True)
class CheckIn:
    """The day-after answer: how the back is compared with before the session."""

    answer: str  #: one of :data:`CHECKIN_ANSWERS`
    at: str  #: ISO stamp of when it was given

    @classmethod
    def from_doc(cls, doc: Any) -> CheckIn | None:
        if (
            isinstance(doc, Mapping)
            and doc.get("answer") in CHECKIN_ANSWERS
            and isinstance(doc.get("at"), str)
        ):
            return cls(answer=doc["answer"], at=doc["at"])
        return None

    def to_doc(self) -> dict:
        return {"answer": self.answer, "at": self.at}


_SESSION_FIELDS = frozenset((
    "schema", "uuid", "id", "routine", "started", "ended", "status", "counted", "stop_reason",
    "active_seconds", "planned_seconds", "steps_done", "steps_skipped", "steps_total",
    "pain_before", "pain_after", "note", "items", "checkin",
))


@dataclass(frozen=True)
class Session:
    """One recorded session (see the module docstring)."""

    id: str  #: the stable session id (the stored ``uuid``)
    routine: str = ""
    started: str | None = None
    ended: str | None = None
    status: str = "interrupted"
    counted: bool = True
    stop_reason: str | None = None
    active_seconds: float = 0.0
    planned_seconds: float | None = None
    steps_done: int | None = None
    steps_skipped: int | None = None
    steps_total: int | None = None
    pain_before: int | None = None
    pain_after: int | None = None
    note: str = ""
    items: tuple[SessionItem, ...] = ()
    #: the day-after check-in, None until given
    checkin: CheckIn | None = None
    #: fields this version does not know, kept as they were
    extra: Mapping[str, Any] = field(default_factory=dict)
    #: the store's number for it: local to one data folder, never exported, and
    #: increasing in the order sessions were recorded there (None outside a store)
    number: int | None = field(default=None, compare=False)

    @property
    def status_info(self) -> StatusInfo:
        return status_info(self.status)

    @cached_property
    def started_at(self) -> datetime | None:
        """The start as an aware datetime (None when missing, unreadable or without an offset)."""
        if not self.started:
            return None
        try:
            when = datetime.fromisoformat(self.started)
        except ValueError:
            return None
        return when if when.tzinfo is not None else None

    @property
    def day(self) -> date | None:
        """The calendar day it started on, in the offset its stamp was written with."""
        when = self.started_at
        return when.date() if when is not None else None

    @cached_property
    def order(self) -> tuple[float, int]:
        """Its place in time: the start instant, then the store's number.

        Sessions recorded within the same second are told apart by the number
        (the order they were recorded in); every "latest" is taken by this key.
        A session without a readable start sorts before every dated one.
        """
        when = self.started_at
        return (when.timestamp() if when is not None else float("-inf"), self.number or 0)

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any], *, number: int | None = None) -> Session:
        """A session from a stored or exported document of any version (tolerant).

        This is the one reading of a session document: every field that is
        missing, of the wrong type or out of range reads as missing (see
        :func:`_whole` for numbers). ``number`` is the store's number for it.
        """
        if not isinstance(doc, Mapping):
            raise TypeError("a session document is a mapping")
        doc = migrate_session_doc(doc)
        status = doc.get("status")
        active = _opt_num(doc.get("active_seconds"))
        return cls(
            number=number,
            id=doc["uuid"],
            routine=(_text(doc["routine"]) or "") if isinstance(doc.get("routine"), str) else "",
            started=_opt_str(doc.get("started")),
            ended=_opt_str(doc.get("ended")),
            status=status if isinstance(status, str) and status in STATUSES else "interrupted",
            counted=doc.get("counted") is not False,
            stop_reason=_opt_str(doc.get("stop_reason")),
            active_seconds=float(active) if active is not None and active >= 0 else 0.0,
            planned_seconds=_opt_num(doc.get("planned_seconds")),
            steps_done=_whole(doc.get("steps_done")),
            steps_skipped=_whole(doc.get("steps_skipped")),
            steps_total=_whole(doc.get("steps_total")),
            pain_before=_whole(doc.get("pain_before"), 0, PAIN_MAX),
            pain_after=_whole(doc.get("pain_after"), 0, PAIN_MAX),
            note=doc["note"] if isinstance(doc.get("note"), str) else "",
            items=tuple(
                i for i in (SessionItem.from_doc(d) for d in _list(doc.get("items"))) if i is not None
            ),
            checkin=CheckIn.from_doc(doc.get("checkin")),
            extra=_extra(doc, _SESSION_FIELDS),
        )

    def to_doc(self) -> dict:
        """The document the store keeps (current schema; the session id as ``uuid``)."""
        doc: dict[str, Any] = dict(self.extra)
        doc.update({
            "schema": SESSION_SCHEMA,
            "uuid": self.id,
            "routine": self.routine,
            "started": self.started,
            "ended": self.ended,
            "status": self.status,
            "counted": self.counted,
            "stop_reason": self.stop_reason,
            "active_seconds": self.active_seconds,
            "planned_seconds": self.planned_seconds,
            "steps_done": self.steps_done,
            "steps_skipped": self.steps_skipped,
            "steps_total": self.steps_total,
            "pain_before": self.pain_before,
            "pain_after": self.pain_after,
            "note": self.note,
            "items": [item.to_doc() for item in self.items],
            "checkin": self.checkin.to_doc() if self.checkin else None,
        })
        return doc


def newest_first(sessions: Iterable[Session]) -> list[Session]:
    """``sessions`` newest first by :attr:`Session.order` (undated ones last)."""
    return sorted(sessions, key=_order, reverse=True)


def oldest_first(sessions: Iterable[Session]) -> list[Session]:
    """``sessions`` oldest first by :attr:`Session.order` (undated ones first)."""
    return sorted(sessions, key=_order)


def _order(session: Session) -> tuple[float, int]:
    return session.order


def session_id_of(doc: Mapping[str, Any]) -> str:
    """The stable id of a stored session document (canonical form; derived for old ones)."""
    value = doc.get("uuid")
    return value if is_session_id(value) else migrate_session_doc(doc)["uuid"]
