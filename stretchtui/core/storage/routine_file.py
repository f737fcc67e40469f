"""Routine files (``*.routine.json``, format v1): strict reading and atomic writing.

A routine file looks like::

    {"stretchtui": "routine", "version": 1, "name": "Morning stiffness", "notes": "",
     "items": [{"stretch": "knee-to-chest", "hold": 20, "reps": 3, "sides": "each", "rest": 10}]}

``hold``, ``reps``, ``sides`` and ``rest`` are optional (the catalog's defaults
apply). Files come from other people, so reading is strict: a regular file of
at most 1 MiB, UTF-8 (a BOM is accepted), no duplicate keys, no NaN or
Infinity, no unknown keys, whole numbers within :data:`~.models.LIMITS`, known
stretch ids. Every problem found is reported in one :class:`RoutineFileError`
whose message names the file, the JSON path (``items[3].hold``) and the fix.
Names and notes lose control and bidi characters on the way in.

The JSON Schema of the format is ``stretchtui/routine.schema.json``.

INTERFACE::

    class RoutineFileError(StretchtuiError)
    def parse_routine_text(text: str | bytes, catalog, *, source="<routine>") -> Routine
    def read_routine_file(path, catalog) -> Routine
    def routine_to_json(routine) -> str
    def write_routine_file(routine, path, *, force=False) -> Path
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from ..domain.models import ITEM_FIELDS, LIMITS, NUMBER_FIELDS, Routine, RoutineItem
from ..errors import StretchtuiError
from ..text import clean_name, clean_text, json_text
from .safe_file import WriteRefused, read_at_most, write_file
from .strict_json import StrictJSONError
from .strict_json import loads as strict_loads

if TYPE_CHECKING:  # pragma: no cover
    from ..domain.catalog import Catalog

#: The marker every routine file carries: ``"stretchtui": "routine"``.
MARKER = ("stretchtui", "routine")
#: The format version this stretchtui writes and the newest it reads.
FORMAT_VERSION = 1
#: Conventional file name ending.
SUFFIX = ".routine.json"
#: Largest file read.
MAX_BYTES = 1024 * 1024
#: At most this many problems are listed in one error message.
MAX_LISTED = 10

_TOP_KEYS = ("stretchtui", "version", "name", "notes", "items")
_ITEM_KEYS = ("stretch", "hold", "reps", "sides", "rest")
class RoutineFileError(StretchtuiError):
    """A routine file could not be read or written.

    The message reads ``"<file>: <json path>: <problem>. <fix>"`` (several
    such lines when a file has several problems).
    """


# ---------------------------------------------------------------- helpers

def _display(source: str | os.PathLike) -> str:
    """A file name safe to print (no control characters)."""
    return clean_name(os.fspath(source)) or "<routine>"


def _show(value: Any, limit: int = 40) -> str:
    """A value from the file, quoted and made safe to print in a message."""
    if isinstance(value, str):
        text = clean_name(value)
        if len(text) > limit:
            text = text[: limit - 1] + "…"
        return json.dumps(text, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        text = repr(value)
        return text if len(text) <= limit else text[: limit - 1] + "…"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class _Obj(dict):
    """A parsed JSON object that remembers keys it saw more than once."""

    duplicates: tuple[str, ...] = ()


def _pairs_hook(pairs: list[tuple[str, Any]]) -> _Obj:
    obj = _Obj()
    dups: list[str] = []
    for key, value in pairs:
        if key in obj and key not in dups:
            dups.append(key)
        obj[key] = value
    if dups:
        obj.duplicates = tuple(dups)
    return obj


class _Problems:
    """Collects (path, problem, fix) triples for one file.

    The history file reader uses the same, with its own error class and the
    words it adds ("nothing was imported")."""

    error_class: type[StretchtuiError] = RoutineFileError
    after_one = ""  # added after a single problem
    after_count = ""  # added after "N problems found"

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[tuple[str, str, str]] = []

    def add(self, path: str, problem: str, fix: str) -> None:
        self.items.append((path, problem, fix))

    def __bool__(self) -> bool:
        return bool(self.items)

    def error(self) -> StretchtuiError:
        def line(path: str, problem: str, fix: str) -> str:
            head = f"{path}: " if path else ""
            return f"{head}{problem}. {fix}".rstrip()

        if len(self.items) == 1:
            return self.error_class(f"{self.source}: {line(*self.items[0])}{self.after_one}")
        shown = self.items[:MAX_LISTED]
        lines = [f"{self.source}: {len(self.items)} problems found{self.after_count}:"]
        lines += [f"  {line(*item)}" for item in shown]
        if len(self.items) > MAX_LISTED:
            lines.append(f"  ... and {len(self.items) - MAX_LISTED} more")
        return self.error_class("\n".join(lines))


def _json_failure(exc: StrictJSONError, source: str, what: str, syntax_fix: str, number_fix: str,
                  constant_fix: str, fail: Callable[[str, str, str, str], StretchtuiError] | None = None,
                  ) -> StretchtuiError:
    """The error for a user's file that is not strict JSON (routine and history files word it alike)."""
    fail = fail or _fail
    if exc.kind == "constant":
        return fail(source, "", f"{exc.detail} is not allowed in {what}", constant_fix)
    if exc.kind == "depth":
        return fail(source, "", "the JSON is nested too deeply", f"This is not {what}.")
    if exc.kind == "number":
        return fail(source, "", f"not a usable JSON document ({clean_name(exc.detail)[:80]})", number_fix)
    if exc.kind == "syntax" and exc.line is not None:
        return fail(source, f"line {exc.line} column {exc.column}", f"not valid JSON ({exc.detail})", syntax_fix)
    return fail(source, "", exc.problem, syntax_fix)


def _fail(source: str, path: str, problem: str, fix: str) -> StretchtuiError:
    problems = _Problems(source)
    problems.add(path, problem, fix)
    return problems.error()


def read_user_file(
    path: str | os.PathLike, limit: int, fail: Callable[[str, str], Exception], *,
    kind: str, give: str, save_first: str, too_large: str,
) -> bytes:
    """The bytes of the file a user named (a routine or history file): a
    regular file of at most ``limit`` bytes, else ``fail(problem, fix)`` is
    raised. A FIFO or device is refused without blocking on it, and a file
    that grew past the limit after it was checked is still caught.
    ``kind`` ("a routine file"), ``give``, ``save_first`` and ``too_large``
    are the wording of the fixes.
    """
    size_limit = f"{limit // (1024 * 1024)} MiB"
    fd = open_user_file(path, limit, fail, kind=kind, give=give, save_first=save_first, too_large=too_large)
    try:
        data = read_at_most(fd, limit)
    except OSError as exc:
        raise fail(f"cannot read it ({exc.strerror or exc})", "Check the file.") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise fail(f"is too large (the limit is {size_limit})", too_large)
    return data


def open_user_file(
    path: str | os.PathLike, limit: int, fail: Callable[[str, str], Exception], *,
    kind: str, give: str, save_first: str, too_large: str,
) -> int:
    """An open descriptor on the file a user named, checked as :func:`read_user_file` describes
    (a regular file of at most ``limit`` bytes); the caller reads at most ``limit`` bytes."""
    size_limit = f"{limit // (1024 * 1024)} MiB"
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise fail("no such file", "Check the path and the file name.") from None
    except PermissionError:
        raise fail("permission denied", "Check the file's permissions.") from None
    except OSError as exc:
        raise fail(f"cannot read it ({exc.strerror or exc})", "Check the path.") from None
    if stat.S_ISDIR(info.st_mode):
        raise fail(f"is a directory, not {kind}", give)
    if not stat.S_ISREG(info.st_mode):
        raise fail("is not a regular file (a pipe, socket or device)", save_first)
    if info.st_size > limit:
        raise fail(f"is too large ({info.st_size} bytes; the limit is {size_limit})", too_large)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except PermissionError:
        raise fail("permission denied", "Check the file's permissions.") from None
    except OSError as exc:
        raise fail(f"cannot open it ({exc.strerror or exc})", "Check the path.") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since the stat above
            raise fail("is not a regular file", give)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a number"


def _check_duplicates(obj: Any, path: str, problems: _Problems) -> None:
    """Report keys that appear twice in any object of the document."""
    if isinstance(obj, _Obj):
        for key in obj.duplicates:
            where = f"{path}.{key}" if path else key
            problems.add(
                clean_name(where),
                "this key appears more than once",
                "Keep only one of them (a reader could silently pick either).",
            )
        for key, value in obj.items():
            _check_duplicates(value, f"{path}.{key}" if path else key, problems)
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            _check_duplicates(value, f"{path}[{i}]", problems)


def _int_field(
    item: dict, key: str, path: str, problems: _Problems
) -> int | None:
    if key not in item:
        return None
    value = item[key]
    spec = ITEM_FIELDS[key]
    lo, hi = spec.bounds
    unit = f" {spec.unit}" if spec.unit else ""
    if not _is_int(value):
        problems.add(
            f"{path}.{key}",
            f"must be a whole number, not {_kind(value)} ({_show(value)})",
            f"Use a whole number from {lo} to {hi}{unit}, or leave {key} out for the catalog default.",
        )
        return None
    if not lo <= value <= hi:
        problems.add(
            f"{path}.{key}",
            f"{value} is out of range",
            f"Use a whole number from {lo} to {hi}{unit}.",
        )
        return None
    return value


def _parse_item(
    raw: Any, index: int, catalog: Catalog, problems: _Problems
) -> RoutineItem | None:
    path = f"items[{index}]"
    if not isinstance(raw, dict):
        problems.add(
            path,
            f"must be an object, not {_kind(raw)}",
            'Write each item as {"stretch": "<id>"} with optional hold, reps, sides and rest.',
        )
        return None
    before = len(problems.items)
    unknown = [k for k in raw if k not in _ITEM_KEYS]
    for key in unknown:
        problems.add(
            f"{path}.{clean_name(key)}" if clean_name(key) else path,
            f"unknown key {_show(key)}",
            f"Remove it; an item takes only {', '.join(_ITEM_KEYS)}.",
        )
    stretch_id: str | None = None
    if "stretch" not in raw:
        problems.add(
            f"{path}.stretch",
            "missing",
            'Add the stretch id, e.g. "stretch": "knee-to-chest" (see `stretchtui catalog`).',
        )
    elif not isinstance(raw["stretch"], str):
        problems.add(
            f"{path}.stretch",
            f"must be a stretch id in quotes, not {_kind(raw['stretch'])}",
            "Use an id from `stretchtui catalog`.",
        )
    elif raw["stretch"] not in catalog.stretches:
        value = raw["stretch"]
        close = catalog.closest_ids(value) if isinstance(value, str) else []
        hint = (
            "Did you mean " + ", ".join(close) + "?"
            if close
            else "See `stretchtui catalog` for the known ids."
        )
        problems.add(f"{path}.stretch", f"unknown stretch id {_show(value)}", hint)
    else:
        stretch_id = raw["stretch"]
    dose: dict[str, Any] = {key: _int_field(raw, key, path, problems) for key in NUMBER_FIELDS}
    sides = ITEM_FIELDS["sides"]
    if "sides" in raw:
        value = raw["sides"]
        if value is not None and sides.accepts(value):
            dose["sides"] = value
        else:
            problems.add(
                f"{path}.sides",
                f"{_show(value)} is not a side",
                f"Use one of {sides.range_text()}, or leave it out for the catalog default.",
            )
    if len(problems.items) != before or stretch_id is None:
        return None
    return RoutineItem(stretch=stretch_id, **dose)


def _decode(data: bytes, source: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        offset_base = 3
    else:
        offset_base = 0
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(
            source,
            "",
            f"not valid UTF-8 text (bad byte at offset {exc.start + offset_base})",
            "Save the file as UTF-8.",
        ) from None


# ---------------------------------------------------------------- reading


def parse_routine_text(text: str | bytes, catalog: Catalog, *, source: str = "<routine>") -> Routine:
    """Parse and validate the text of a routine file.

    ``catalog`` is a :class:`~.catalog.Catalog` (stretch ids are checked
    against it). Raises :class:`RoutineFileError` listing every problem.
    """
    source = _display(source)
    if isinstance(text, (bytes, bytearray)):
        text = _decode(bytes(text), source)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise _fail(source, "", "the file is empty", "Export a routine from stretchtui, or see routine.schema.json.")
    try:
        # The one strict reader (raw control characters inside strings are accepted
        # there and stripped below, like their \u escapes); duplicates are collected
        # by _pairs_hook and reported with their paths.
        data = strict_loads(text, hook=_pairs_hook)
    except StrictJSONError as exc:
        raise _json_failure(exc, source, "a routine file", "Fix the JSON syntax, or export the routine again.",
                            "Use whole numbers in range.", "Replace it with a whole number.") from None

    if not isinstance(data, dict):
        raise _fail(
            source,
            "",
            f"a routine file holds a JSON object, not {_kind(data)}",
            'Start the file with {"stretchtui": "routine", "version": 1, ...}.',
        )
    if data.get(MARKER[0]) != MARKER[1]:
        raise _fail(
            source,
            "",
            "not a stretchtui routine file (the marker \"stretchtui\": \"routine\" is missing or different)",
            "Open a file exported by stretchtui (`stretchtui export NAME`).",
        )
    version = data.get("version")
    if "version" not in data:
        raise _fail(source, "version", "missing", 'Add "version": 1.')
    if not _is_int(version):
        raise _fail(source, "version", f"must be a whole number, not {_kind(version)}", 'Use "version": 1.')
    if version > FORMAT_VERSION:
        raise _fail(
            source,
            "version",
            f"version {version} was made by a newer stretchtui",
            "Update stretchtui to open it.",
        )
    if version < 1:
        raise _fail(source, "version", f"{version} is not a valid version", 'Use "version": 1.')

    problems = _Problems(source)
    _check_duplicates(data, "", problems)
    for key in data:
        if key not in _TOP_KEYS:
            problems.add(
                clean_name(key) or "(empty key)",
                f"unknown key {_show(key)}",
                f"Remove it; a routine file takes only {', '.join(_TOP_KEYS)}.",
            )

    name = ""
    if "name" not in data:
        problems.add("name", "missing", 'Add a name, e.g. "name": "Morning stiffness".')
    elif not isinstance(data["name"], str):
        problems.add("name", f"must be text, not {_kind(data['name'])}", 'Use e.g. "name": "Morning stiffness".')
    else:
        name = clean_name(data["name"])
        if not name:
            problems.add("name", "is empty", "Give the routine a name.")
        elif len(name) > LIMITS["name"]:
            problems.add(
                "name",
                f"is {len(name)} characters long",
                f"Shorten it to {LIMITS['name']} characters or fewer.",
            )

    notes = ""
    if "notes" in data:
        if not isinstance(data["notes"], str):
            problems.add("notes", f"must be text, not {_kind(data['notes'])}", 'Use "notes": "" for no notes.')
        else:
            notes = clean_text(data["notes"]).strip()
            if len(notes) > LIMITS["notes"]:
                problems.add(
                    "notes",
                    f"is {len(notes)} characters long",
                    f"Shorten the notes to {LIMITS['notes']} characters or fewer.",
                )

    items: list[RoutineItem] = []
    raw_items = data.get("items")
    if "items" not in data:
        problems.add("items", "missing", 'Add "items": [{"stretch": "<id>"}, ...].')
    elif not isinstance(raw_items, list):
        problems.add("items", f"must be a list, not {_kind(raw_items)}", 'Use "items": [{"stretch": "<id>"}, ...].')
    elif not raw_items:
        problems.add("items", "the routine has no stretches", "Add at least one item.")
    elif len(raw_items) > LIMITS["items"]:
        problems.add(
            "items",
            f"{len(raw_items)} items is too many",
            f"A routine holds at most {LIMITS['items']} items; split it into several routines.",
        )
    else:
        for index, raw in enumerate(raw_items):
            item = _parse_item(raw, index, catalog, problems)
            if item is not None:
                items.append(item)

    if problems:
        raise problems.error()
    return Routine(name=name, items=tuple(items), notes=notes)


#: A printed handout (HTML with figures) may be this large; it carries its routine.
HANDOUT_MAX_BYTES = 16 * 1024 * 1024


def read_routine_file(path: str | os.PathLike, catalog: Catalog) -> Routine:
    """Read and validate the routine at ``path``.

    A routine file (``.routine.json``), a stretchtui handout (HTML: the
    routine it carries) or a text file holding a share code. Only a regular
    file is read, of at most :data:`MAX_BYTES` (a handout
    :data:`HANDOUT_MAX_BYTES`); a directory, FIFO or device is refused
    without blocking.
    """
    from .share_code import code_in_html, decode, looks_like_code

    source = _display(path)
    data = read_user_file(
        path, HANDOUT_MAX_BYTES, lambda problem, fix: _fail(source, "", problem, fix),
        kind="a routine file", give="Give the path of a .routine.json file.",
        save_first="Save the routine to a file first and give that file's path.",
        too_large="A routine file is small; check that this is the right file.",
    )
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        code = code_in_html(data)
        if code is None:
            raise _fail(source, "", "is a web page without a stretchtui routine in it",
                        "Give a handout made by stretchtui (export --html, or h in the Library).")
        return decode(code, catalog, source=source)
    if len(data) > MAX_BYTES:
        raise _fail(source, "", f"is too large ({len(data)} bytes; the limit is {MAX_BYTES // (1024 * 1024)} MiB)",
                    "A routine file is small; check that this is the right file.")
    if len(data) < 64 * 1024 and looks_like_code(data.decode("utf-8", "replace")):
        return decode(data.decode("utf-8", "replace"), catalog, source=source)
    return parse_routine_text(data, catalog, source=source)


# ---------------------------------------------------------------- writing


def routine_to_dict(routine: Routine) -> dict:
    """The v1 file document for ``routine`` (defaults left out of items)."""
    return {
        MARKER[0]: MARKER[1],
        "version": FORMAT_VERSION,
        "name": routine.name,
        "notes": routine.notes,
        "items": [item.to_dict() for item in routine.items],
    }


def routine_to_json(routine: Routine) -> str:
    """A valid v1 routine file for ``routine``: pretty JSON ending in a newline."""
    return json_text(routine_to_dict(routine), indent=2) + "\n"


def write_routine_file(routine: Routine, path: str | os.PathLike, *, force: bool = False) -> Path:
    """Write ``routine`` to ``path`` atomically and return the path.

    Written by :func:`.safe_file.write_file`: complete or not at all, never
    over a link, FIFO or device, an existing file only with ``force``, with
    the user's umask (a routine holds no health data). (``-`` for stdout is
    the CLI's business.)
    """
    target = Path(path)
    source = _display(target)
    if not routine.items:
        raise _fail(source, "items", "the routine has no stretches", "Add at least one stretch before exporting.")
    if len(routine.items) > LIMITS["items"]:
        raise _fail(source, "items", "the routine has too many items", f"Keep it to {LIMITS['items']} or fewer.")
    try:
        return write_file(target, routine_to_json(routine).encode("utf-8"), force=force, private=False,
                          example="NAME.routine.json")
    except WriteRefused as exc:
        raise _fail(source, "", exc.problem, exc.fix) from None
