"""History files: the sessions of one data folder as one JSON document (format v2).

``stretchtui history --json`` writes one; ``stretchtui history import FILE``
reads one and adds the sessions the data folder does not have yet. A
history file looks like::

    {"stretchtui": "history", "version": 3, "exported": "2026-11-29T08:00:00+00:00",
     "sessions": [{"id": "3f2b...", "schema": 3, "routine": "Morning stiffness",
                   "started": "2026-11-28T07:30:05+01:00", "status": "completed", ...}],
     "psfs": [{"activity": "Tie my shoelaces", "ratings": [{"date": "2026-11-20", "score": 4}]}]}

Each session is its stored document (see :mod:`.session`) with the stable
session id as ``id``. The JSON Schema is ``stretchtui/history.schema.json``.

It also carries the profile's PSFS activities and their dated ratings
(version 3), as ``"psfs": [{"activity": "Tie my shoelaces", "ratings":
[{"date": "2026-11-20", "score": 4}, ...]}, ...]``; importing merges them
into the profile (see :func:`stretchtui.core.domain.psfs.merge`).

Versions: 1 (sessions of schema ≤ 2), 2 (adds per-item ``response`` and
per-session ``checkin``, session schema 3) and 3 (adds ``psfs``). All three
are read; version 3 is written.

Reading is as strict as for routine files: a regular file of at most
:data:`MAX_BYTES`, UTF-8, no duplicate keys, no NaN/Infinity, no unknown
top-level keys, every known session field of the right type and range,
no session id twice. Every problem is reported in one
:class:`HistoryFileError` naming the file, the JSON path
(``sessions[3].pain_after``) and the fix. Session fields this version does
not know (written by a newer stretchtui) are kept. All text loses control
and bidi characters on the way in.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..domain import psfs as psfs_rules
from ..domain.models import LIMITS
from ..domain.psfs import PsfsActivity
from ..domain.session import (
    _ITEM_FIELDS,
    _SESSION_FIELDS,
    CHECKIN_ANSWERS,
    RESPONSES,
    SESSION_SCHEMA,
    STATUSES,
    CheckIn,
    Session,
    is_session_id,
)
from ..errors import StretchtuiError
from ..text import json_text
from .routine_file import (
    _check_duplicates,
    _decode,
    _is_int,
    _json_failure,
    _kind,
    _pairs_hook,
    _show,
    clean_name,
    clean_text,
    read_user_file,
)
from .routine_file import (
    _Problems as _RoutineProblems,
)
from .strict_json import StrictJSONError
from .strict_json import loads as strict_loads

MARKER = ("stretchtui", "history")
FORMAT_VERSION = 3
#: The first version with PSFS ratings.
PSFS_VERSION = 3
#: Largest history file read (about 100,000 sessions).
MAX_BYTES = 128 * 1024 * 1024
#: Most sessions in one file.
MAX_SESSIONS = 200_000

_TOP_KEYS = ("stretchtui", "version", "exported", "sessions", "psfs")
_SIDES = ("left", "right", "both")
_SHORT = 40  # longest status word, stop reason, mode, sides value, stretch id
#: Most ratings of one PSFS activity in a file (one a day for about 50 years).
MAX_PSFS_RATINGS = 20_000
#: Largest field this version does not know (kept as it is), as compact JSON.
MAX_UNKNOWN_BYTES = 16 * 1024


class HistoryFileError(StretchtuiError):
    """A history file could not be read; nothing was imported."""


@dataclass(frozen=True)
class HistoryFile:
    """What a history file holds: its sessions, and the PSFS activities (none before version 3)."""

    sessions: list[Session]
    psfs: tuple[PsfsActivity, ...] = ()


class _Problems(_RoutineProblems):
    """The routine file reader's problem list, for history files: nothing is written on error."""

    error_class = HistoryFileError
    after_one = " Nothing was imported."
    after_count = "; nothing was imported"


def _fail(source: str, path: str, problem: str, fix: str) -> HistoryFileError:
    problems = _Problems(source)
    problems.add(path, problem, fix)
    error = problems.error()
    assert isinstance(error, HistoryFileError)
    return error


def display_path(path: str | os.PathLike) -> str:
    """A file name safe to print."""
    return clean_name(os.fspath(path)) or "<history>"


# ---------------------------------------------------------------- writing


def session_to_file_doc(session: Session) -> dict:
    """One session as the history file holds it (``id`` first; text cleaned, as on import).

    A stored document is whatever an old build or a hand edit left, so it is
    brought within what :func:`parse_history` accepts (:func:`_conform`):
    a folder's own export always imports back (sync and restore depend on it).
    """
    doc = _clean_deep(session.to_doc())
    return _conform({"id": doc.pop("uuid"), **doc})


#: What a known field that fails the import's check is written as instead.
_FALLBACK: dict[str, Any] = {"counted": True, "status": "interrupted", "routine": "", "items": [],
                             "schema": SESSION_SCHEMA, "note": ""}
_ITEM_PATH = re.compile(r"^items\[(\d+)\](?:\.([^.]+))?")


def _conform(doc: dict) -> dict:
    """``doc`` with every field the import would refuse replaced (a known field: by null or its
    default) or left out (an unknown field over the size limit, an item without a stretch)."""
    for _ in range(4):
        problems = _Problems("")
        _check_session(doc, "s", problems)
        if not problems:
            break
        drop_items: set[int] = set()
        for path, _problem, _fix in problems.items:
            rest = path[2:]
            item = _ITEM_PATH.match(rest)
            if item:
                index, key = int(item.group(1)), item.group(2)
                entry = doc["items"][index] if index < len(doc.get("items") or []) else None
                if not isinstance(entry, dict) or key in (None, "stretch"):
                    drop_items.add(index)
                else:
                    entry.pop(key, None)
                continue
            key = rest.split(".", 1)[0]
            if key in _FALLBACK:
                doc[key] = _FALLBACK[key]
            elif key in _SESSION_FIELDS and key != "id":
                doc[key] = None
            else:
                doc.pop(key, None)
        if drop_items:
            doc["items"] = [it for n, it in enumerate(doc["items"]) if n not in drop_items]
    return doc


def history_document(sessions: list[Session], exported: str, psfs: Sequence[PsfsActivity] = ()) -> dict:
    return {
        MARKER[0]: MARKER[1],
        "version": FORMAT_VERSION,
        "exported": exported,
        "sessions": [session_to_file_doc(s) for s in sessions],
        "psfs": psfs_rules.to_list(psfs),
    }


def history_to_json(sessions: list[Session], exported: str, psfs: Sequence[PsfsActivity] = ()) -> str:
    return json_text(history_document(sessions, exported, psfs), indent=2) + "\n"


# ---------------------------------------------------------------- reading


def _clean_deep(value: Any) -> Any:
    """``value`` with its text cleaned. A key that cleaning would change (invisible, control or
    bidi characters: a hand edit) never takes the place of a plain key: it is renamed to its
    cleaned form only when no plain key has that name, else dropped (it could not be read back)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean_deep(v) for v in value]
    if isinstance(value, dict):
        out = {k: _clean_deep(v) for k, v in value.items() if isinstance(k, str) and _plain_key(k)}
        for k, v in value.items():
            key = "".join(c for c in clean_name(str(k)) if c not in _INVISIBLE)
            if key and key not in out:
                out[key] = _clean_deep(v)
        return out
    return value


def _plain_key(key: str) -> bool:
    """A key the reader accepts: text that cleaning leaves as it is (no invisible or control characters)."""
    return bool(key) and clean_name(key) == key and not any(c in key for c in _INVISIBLE)


#: Invisible characters clean_name keeps (zero widths, joiners, word joiner, BOM, soft hyphen).
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"


def _key_problems(raw: dict, where: str, known: tuple[str, ...], problems: _Problems) -> None:
    """Refuse keys with invisible characters, and unknown fields larger than :data:`MAX_UNKNOWN_BYTES`."""
    for key, value in raw.items():
        if not _plain_key(key):
            problems.add(f"{where}.{clean_name(key) or '(empty key)'}",
                         f"the key {_show(key)} holds invisible or control characters",
                         "Type the key again as plain text (a look-alike key is not read as the real one).")
        elif key not in known:
            try:
                size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
            except (TypeError, ValueError, RecursionError):
                size = MAX_UNKNOWN_BYTES + 1
            if size > MAX_UNKNOWN_BYTES:
                problems.add(f"{where}.{key}", f"an unknown field of {size} bytes (the limit is {MAX_UNKNOWN_BYTES})",
                             "Remove it; fields this version does not know are kept only when small.")
        if isinstance(value, (dict, list)) and key != "items":  # items are checked one by one
            _nested_keys(value, f"{where}.{clean_name(key)}", problems)


def _nested_keys(value: Any, where: str, problems: _Problems) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if not _plain_key(key):
                problems.add(f"{where}.{clean_name(key) or '(empty key)'}",
                             f"the key {_show(key)} holds invisible or control characters",
                             "Type the key again as plain text.")
            _nested_keys(inner, f"{where}.{clean_name(key)}", problems)
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            _nested_keys(inner, f"{where}[{n}]", problems)


def _stamp_ok(value: str) -> bool:
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return False
    return when.tzinfo is not None


def _check_session(raw: Any, where: str, problems: _Problems) -> None:
    if not isinstance(raw, dict):
        problems.add(where, f"a session is a JSON object, not {_kind(raw)}", "Export the history again.")
        return

    def bad(key: str, problem: str, fix: str) -> None:
        problems.add(f"{where}.{key}", problem, fix)

    _key_problems(raw, where, _SESSION_FIELDS, problems)

    def text(key: str, limit: int, *, required: bool = False, nullable: bool = False, name: bool = False) -> None:
        if key not in raw:
            if required:
                bad(key, "missing", "Export the history again with `stretchtui history --json`.")
            return
        value = raw[key]
        if value is None and nullable:
            return
        if not isinstance(value, str):
            bad(key, f"must be text{' or null' if nullable else ''}, not {_kind(value)}", "Fix the value.")
            return
        size = len(clean_name(value) if name else clean_text(value))
        if size > limit:
            bad(key, f"is {size} characters long", f"Shorten it to {limit} characters or fewer.")

    def integer(key: str, low: int, high: int) -> None:
        value = raw.get(key)
        if key not in raw or value is None:
            return
        if not _is_int(value):
            bad(key, f"must be a whole number or null, not {_kind(value)}", "Fix the value.")
        elif not low <= value <= high:
            bad(key, f"{value} is out of range", f"Use a whole number from {low} to {high}.")

    def number(key: str) -> None:
        value = raw.get(key)
        if key not in raw or value is None:
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            bad(key, f"must be a number of seconds, not {_kind(value)}", "Fix the value.")
        elif not 0 <= value <= 10**9:
            bad(key, f"{_show(value)} is out of range", "Use a number of seconds, 0 or more.")

    sid = raw.get("id")
    if "id" not in raw:
        bad("id", "missing", "Every session needs its id; export the history again.")
    elif not is_session_id(sid):
        bad("id", f"{_show(sid)} is not a session id", "A session id is 32 lowercase hex digits.")
    if "schema" in raw:
        version = raw["schema"]
        if not _is_int(version) or version < 0:
            bad("schema", f"must be a whole number, not {_show(version)}", f'Use "schema": {SESSION_SCHEMA}.')
        elif version > SESSION_SCHEMA:
            bad("schema", f"session version {version} was made by a newer stretchtui", "Update stretchtui to import it.")
    text("routine", LIMITS["name"], required=True, name=True)
    if isinstance(raw.get("started"), str) and not _stamp_ok(raw["started"]):
        bad("started", f"{_show(raw['started'])} is not a date and time with a UTC offset",
            'Use ISO 8601, e.g. "2026-11-28T07:30:05+01:00".')
    else:  # null: a session whose start was lost (kept, filed under the year it is imported in)
        text("started", 40, required=True, nullable=True)
    if isinstance(raw.get("ended"), str) and not _stamp_ok(raw["ended"]):
        bad("ended", f"{_show(raw['ended'])} is not a date and time with a UTC offset",
            'Use ISO 8601 or null.')
    else:
        text("ended", 40, nullable=True)
    if "status" not in raw:
        bad("status", "missing", f"Use one of {', '.join(STATUSES)}.")
    elif raw["status"] not in STATUSES:
        bad("status", f"unknown status {_show(raw['status'])}", f"Use one of {', '.join(STATUSES)}.")
    if "counted" in raw and not isinstance(raw["counted"], bool):
        bad("counted", f"must be true or false, not {_kind(raw['counted'])}", "Fix the value.")
    text("stop_reason", _SHORT, nullable=True)
    number("active_seconds")
    number("planned_seconds")
    for key in ("steps_done", "steps_skipped", "steps_total"):
        integer(key, 0, 100_000)
    integer("pain_before", 0, 10)
    integer("pain_after", 0, 10)
    text("note", LIMITS["notes"])
    checkin = raw.get("checkin")
    if checkin is not None and CheckIn.from_doc(checkin) is None:
        bad("checkin", f"must be null or an object with answer and at, not {_show(checkin)}",
            f'Use e.g. {{"answer": "same", "at": "2026-11-29T08:00:00+00:00"}} (answer: {", ".join(CHECKIN_ANSWERS)}).')
    elif checkin is not None and not _stamp_ok(checkin["at"]):
        bad("checkin.at", f"{_show(checkin['at'])} is not a date and time with a UTC offset", "Use ISO 8601.")
    items = raw.get("items")
    if "items" in raw:
        if not isinstance(items, list):
            bad("items", f"must be a list, not {_kind(items)}", 'Use "items": [].')
        elif len(items) > LIMITS["items"]:
            bad("items", f"{len(items)} items is too many", f"A session has at most {LIMITS['items']}.")
        else:
            for index, item in enumerate(items):
                _check_item(item, f"{where}.items[{index}]", problems)


def _check_item(item: Any, where: str, problems: _Problems) -> None:
    if not isinstance(item, dict):
        problems.add(where, f"an item is a JSON object, not {_kind(item)}", "Export the history again.")
        return
    _key_problems(item, where, _ITEM_FIELDS, problems)
    if not isinstance(item.get("stretch"), str) or not item["stretch"] or len(item["stretch"]) > _SHORT:
        problems.add(f"{where}.stretch", "missing or not a stretch id", "Every item names its stretch id.")
    for key, limit in (("name", LIMITS["name"]), ("mode", _SHORT), ("sides", _SHORT)):
        value = item.get(key)
        if value is not None and (not isinstance(value, str) or len(clean_name(value)) > limit):
            problems.add(f"{where}.{key}", f"must be text of at most {limit} characters", "Fix the value.")
    for key in ("hold", "reps", "rest"):
        value = item.get(key)
        if value is not None and (not _is_int(value) or not 0 <= value <= 100_000):
            problems.add(f"{where}.{key}", f"must be a whole number or null, not {_show(value)}", "Fix the value.")
    response = item.get("response")
    if response is not None and response not in RESPONSES:
        problems.add(f"{where}.response", f"unknown response {_show(response)}",
                     f"Use one of {', '.join(RESPONSES)}, or null.")
    for key in ("done", "skipped"):
        if key not in item:
            continue
        counts = item[key]
        if not isinstance(counts, dict):
            problems.add(f"{where}.{key}", f"must be an object of counts by side, not {_kind(counts)}",
                         'Use e.g. {"left": 3, "right": 3}.')
            continue
        for side, n in counts.items():
            if side not in _SIDES:
                problems.add(f"{where}.{key}.{clean_name(side)}", "unknown side", f"Use {', '.join(_SIDES)}.")
            elif not _is_int(n) or not 0 <= n <= 100_000:
                problems.add(f"{where}.{key}.{side}", f"must be a whole number, not {_show(n)}", "Fix the value.")


def parse_history_text(text: str | bytes, *, source: str = "<history>") -> list[Session]:
    """Validate a history file's text and return its sessions (cleaned). Raises :class:`HistoryFileError`."""
    return parse_history(text, source=source).sessions


def _check_psfs(raw: Any, version: int, problems: _Problems) -> None:
    """The ``psfs`` list: at most 5 activities, each named once, each rating a dated 0-10 score, one a day."""
    if version < PSFS_VERSION:
        problems.add("psfs", f"a version {version} history file has no PSFS",
                     f'Use "version": {PSFS_VERSION}, or remove "psfs".')
        return
    if not isinstance(raw, list):
        problems.add("psfs", f"must be a list, not {_kind(raw)}", 'Use "psfs": [...].')
        return
    if len(raw) > psfs_rules.MAX_ACTIVITIES:
        problems.add("psfs", f"{len(raw)} activities is too many",
                     f"The scale holds at most {psfs_rules.MAX_ACTIVITIES}; remove the others.")
    names: dict[str, int] = {}
    for index, entry in enumerate(raw[: psfs_rules.MAX_ACTIVITIES + 1]):
        where = f"psfs[{index}]"
        if not isinstance(entry, dict):
            problems.add(where, f"must be an object, not {_kind(entry)}", '{"activity": "...", "ratings": [...]}')
            continue
        for key in entry:
            if key not in ("activity", "ratings"):
                problems.add(f"{where}.{clean_name(str(key)) or '(empty key)'}", f"unknown key {_show(key)}",
                             'Remove it; an activity takes only "activity" and "ratings".')
        try:
            name = psfs_rules.clean_activity(entry.get("activity"))  # type: ignore[arg-type]
        except psfs_rules.PsfsError as exc:
            problems.add(f"{where}.activity", str(exc).removeprefix("activity: "), "Fix the text.")
        else:
            if name.casefold() in names:
                problems.add(f"{where}.activity", f"the same activity as psfs[{names[name.casefold()]}]",
                             "List each activity once, with all its ratings.")
            names.setdefault(name.casefold(), index)
        ratings = entry.get("ratings")
        if not isinstance(ratings, list):
            problems.add(f"{where}.ratings", "missing" if ratings is None else f"must be a list, not {_kind(ratings)}",
                         'Use "ratings": [{"date": "YYYY-MM-DD", "score": 0-10}, ...].')
            continue
        if len(ratings) > MAX_PSFS_RATINGS:
            problems.add(f"{where}.ratings", f"{len(ratings)} ratings is too many", f"Keep at most {MAX_PSFS_RATINGS}.")
            continue
        days: dict[str, int] = {}
        for n, rating in enumerate(ratings):
            at = f"{where}.ratings[{n}]"
            if not isinstance(rating, dict) or set(rating) != {"date", "score"}:
                problems.add(at, "must be {\"date\": \"YYYY-MM-DD\", \"score\": 0-10}", "Fix the rating.")
                continue
            day = rating["date"]
            try:
                ok = isinstance(day, str) and date.fromisoformat(day).isoformat() == day
            except ValueError:
                ok = False
            if not ok:
                problems.add(f"{at}.date", f"{_show(day)} is not a date like 2026-11-20", "Use YYYY-MM-DD.")
            elif day in days:
                problems.add(f"{at}.date", f"a second rating on {day} (ratings[{days[day]}])", "Keep one rating a day.")
            else:
                days[day] = n
            score = rating["score"]
            if not _is_int(score) or not psfs_rules.SCORE_MIN <= score <= psfs_rules.SCORE_MAX:
                problems.add(f"{at}.score", f"{_show(score)} is not a whole number from 0 to 10", "Fix the score.")


def parse_history(text: str | bytes, *, source: str = "<history>") -> HistoryFile:
    """Validate a history file's text: its sessions (cleaned) and PSFS. Raises :class:`HistoryFileError`."""
    source = display_path(source)
    if isinstance(text, (bytes, bytearray)):
        try:
            text = _decode(bytes(text), source)
        except StretchtuiError as exc:
            raise HistoryFileError(f"{exc} Nothing was imported.") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise _fail(source, "", "the file is empty", "Write one with `stretchtui history --json > FILE`.")
    try:  # the one strict reader; duplicates are collected by _pairs_hook and reported with their paths
        data = strict_loads(text, hook=_pairs_hook)
    except StrictJSONError as exc:
        if exc.kind == "syntax" and exc.line is not None:
            if text.lstrip()[:1] not in ("{", "["):  # not JSON at all
                raise _fail(source, "", "not a history file (it is not JSON)",
                            "Give a file written by `stretchtui history --json`.") from None
            if not text.rstrip().endswith("}"):  # an export ends with its closing brace
                fix = "Export the history again; the file looks cut short."
            else:
                fix = "Fix the JSON, or export the history again with `stretchtui history --json`."
        else:
            fix = "Export the history again; the file may have been cut short."
        raise _json_failure(exc, source, "a history file", fix, "Use numbers in range.", "Use numbers.",
                            fail=_fail) from None
    if isinstance(data, dict) and data.get(MARKER[0]) == "routine":
        raise _fail(source, "", "this is a routine file, not a history file",
                    "Add the routine with `stretchtui import FILE`.")
    if not isinstance(data, dict) or data.get(MARKER[0]) != MARKER[1]:
        raise _fail(source, "", 'not a stretchtui history file (the marker "stretchtui": "history" is missing)',
                    "Give a file written by `stretchtui history --json`.")
    version = data.get("version")
    if not _is_int(version) or version < 1:
        raise _fail(source, "version", f"must be 1 to {FORMAT_VERSION}, not {_show(version)}", f'Use "version": {FORMAT_VERSION}.')
    if version > FORMAT_VERSION:
        raise _fail(source, "version", f"version {version} was made by a newer stretchtui", "Update stretchtui to import it.")

    problems = _Problems(source)
    _check_duplicates(data, "", problems)
    for key in data:
        if key not in _TOP_KEYS:
            problems.add(clean_name(key) or "(empty key)", f"unknown key {_show(key)}",
                         f"Remove it; a history file takes only {', '.join(_TOP_KEYS)}.")
    if "exported" in data and not isinstance(data["exported"], str):
        problems.add("exported", f"must be text, not {_kind(data['exported'])}", "Fix the value.")
    raw_sessions = data.get("sessions")
    if "sessions" not in data:
        problems.add("sessions", "missing", 'Add "sessions": [].')
    elif not isinstance(raw_sessions, list):
        problems.add("sessions", f"must be a list, not {_kind(raw_sessions)}", 'Use "sessions": [...].')
    elif len(raw_sessions) > MAX_SESSIONS:
        problems.add("sessions", f"{len(raw_sessions)} sessions is too many", f"Import at most {MAX_SESSIONS} at once.")
    else:
        seen: dict[str, int] = {}
        for index, raw in enumerate(raw_sessions):
            _check_session(raw, f"sessions[{index}]", problems)
            sid = raw.get("id") if isinstance(raw, dict) else None
            if is_session_id(sid):
                if sid in seen:
                    problems.add(f"sessions[{index}].id", f"the same id as sessions[{seen[sid]}]",
                                 "Each session appears once; remove the copy.")
                else:
                    seen[sid] = index
    if "psfs" in data:
        _check_psfs(data["psfs"], version, problems)
    if problems:
        raise problems.error()
    assert isinstance(raw_sessions, list)  # checked above
    sessions = []
    for raw in raw_sessions:
        doc = _clean_deep(dict(raw))
        doc["uuid"] = doc.pop("id")
        for key in ("routine",):
            doc[key] = clean_name(doc[key])
        sessions.append(Session.from_doc(doc))
    return HistoryFile(sessions, psfs_rules.from_list(data.get("psfs")))


def read_history_file(path: str | os.PathLike) -> HistoryFile:
    """Read and validate the history file at ``path`` (a regular file only, at most :data:`MAX_BYTES`)."""
    source = display_path(path)
    data = read_user_file(
        path, MAX_BYTES, lambda problem, fix: _fail(source, "", problem, fix),
        kind="a history file", give="Give the path of the history file.",
        save_first="Save the history to a file first and give that file's path.",
        too_large="Check that this is the right file.",
    )
    return parse_history(data, source=source)
