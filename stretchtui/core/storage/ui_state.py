"""Where the user left the app: ``ui-state.json`` in the data folder.

At start the app comes back on the screen (mode) the user was last on, and
the Builder holds the routine that was open::

    {"stretchtui": "ui-state", "version": 1,
     "mode": "library",
     "builder": {"saved": "Morning back"}}

``builder`` is one of:

- absent or null: the Builder held a new, empty routine;
- ``{"saved": NAME}``: the library's routine ``NAME``, unchanged; it is read
  from the library again at start, so what was saved since (in another
  window) is what is shown, and a routine deleted meanwhile leaves the
  Builder empty;
- ``{"saved": NAME or null, "dirty": true/false, "routine": {"name", "notes",
  "items"}}``: the routine as it stood in the Builder, which the library
  does not hold as it is: unsaved changes (``dirty``: the Builder shows it
  unsaved, and only the user's Save writes it to the library, over ``NAME``
  when there is one), or a copy of a starter not saved yet.

The file is the app's, not the user's data: a file that cannot be read
(damaged, foreign, a newer version, too large, a link) is ignored with one
message naming it, left where it is, and replaced (atomically: temp file,
fsync, rename) at the next write. Names and stretch ids in it are untrusted
text: they are cleaned (:func:`~stretchtui.core.text.clean_name`) as they
are read, and the UI shows them as text, never markup. Several windows on
one data folder (``stretchtui serve``) each write the whole file: the last
one wins, and no reader ever sees half a file.

This module is pure (no Textual) and cheap to import: the app reads the
file before its first frame.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..domain.models import ITEM_FIELDS, LIMITS, Routine, RoutineItem
from ..text import clean_name, clean_text
from .safe_file import TMP_MARK, UnsafeFile, atomic_write, read_data_file
from .strict_json import StrictJSONError
from .strict_json import loads as strict_loads

#: The file's name in the data folder.
UI_STATE_FILE = "ui-state.json"
#: The version of the file this stretchtui writes (and the only one it reads).
VERSION = 1
#: The screens the app may come back on (never the player or a dialog).
MODES: tuple[str, ...] = ("catalog", "builder", "library", "profile", "history")
#: Largest file read: a draft of the largest routine is about 20 KB.
MAX_BYTES = 256 * 1024
#: Longest stretch id kept (the catalog's are under 40 characters).
MAX_ID = 80


class BuilderState:
    """The routine in the Builder, as the file keeps it (see the module docstring).

    ``saved``: its name in the library (None: not saved there). ``routine``:
    the routine as it stands, when the library does not hold it as it is
    (None: reopen ``saved`` from the library). ``dirty``: it has changes the
    library does not have.

    Plain classes, not dataclasses, here: building a dataclass costs import
    time, and this module is imported before the app's first frame.
    """

    __slots__ = ("dirty", "routine", "saved")

    def __init__(self, saved: str | None = None, routine: Routine | None = None, dirty: bool = False) -> None:
        self.saved = saved
        self.routine = routine
        self.dirty = dirty

    def _key(self) -> tuple:
        return (self.saved, self.routine, self.dirty)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BuilderState):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"BuilderState(saved={self.saved!r}, routine={self.routine!r}, dirty={self.dirty!r})"

    @property
    def empty(self) -> bool:
        """True when there is nothing to put back (a new, empty routine)."""
        return self.saved is None and (self.routine is None or (not self.routine.items and not self.routine.name))

    def to_doc(self) -> dict:
        if self.routine is None:
            return {"saved": self.saved}
        return {"saved": self.saved, "dirty": self.dirty, "routine": self.routine.to_dict()}


class UiState:
    """The screen the user was on (``mode``) and the routine in the Builder (``builder``)."""

    __slots__ = ("builder", "mode")

    def __init__(self, mode: str = "catalog", builder: BuilderState | None = None) -> None:
        self.mode = mode
        self.builder = builder

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, UiState):
            return NotImplemented
        return (self.mode, self.builder) == (other.mode, other.builder)

    def __hash__(self) -> int:
        return hash((self.mode, self.builder))

    def __repr__(self) -> str:
        return f"UiState(mode={self.mode!r}, builder={self.builder!r})"

    def to_doc(self) -> dict:
        builder = self.builder if self.builder is not None and not self.builder.empty else None
        return {"stretchtui": "ui-state", "version": VERSION, "mode": self.mode,
                "builder": builder.to_doc() if builder is not None else None}

    def to_bytes(self) -> bytes:
        """The file's bytes (UTF-8 JSON, one object)."""
        return (json.dumps(self.to_doc(), indent=1, ensure_ascii=False) + "\n").encode()


class UiStateRead:
    """What :func:`load_ui_state` found: the ``state`` (None: start as new) and the ``problem`` to tell once."""

    __slots__ = ("problem", "state")

    def __init__(self, state: UiState | None = None, problem: str | None = None) -> None:
        self.state = state
        self.problem = problem


class UiStateError(ValueError):
    """The file's content is not a UI state this stretchtui reads (the message says what)."""


def ui_state_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / UI_STATE_FILE


# ---------------------------------------------------------------- reading
def _name(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise UiStateError(f"{what} is not text")
    name = clean_name(value)
    if len(name) > LIMITS["name"]:
        raise UiStateError(f"{what} is longer than {LIMITS['name']} characters")
    return name


def _item(value: Any) -> RoutineItem:
    if not isinstance(value, dict) or not isinstance(value.get("stretch"), str):
        raise UiStateError('an item of "builder.routine" is not {"stretch": ID, ...}')
    stretch = clean_name(value["stretch"])
    if not stretch or len(stretch) > MAX_ID:
        raise UiStateError('an item of "builder.routine" has no usable stretch id')
    dose: dict[str, Any] = {}
    for key, spec in ITEM_FIELDS.items():
        if value.get(key) is None:
            continue
        if not spec.accepts(value[key]):
            raise UiStateError(f'an item of "builder.routine" has a {key} this stretchtui does not accept')
        dose[key] = value[key]
    return RoutineItem(stretch=stretch, **dose)


def _routine(value: Any) -> Routine:
    if not isinstance(value, dict):
        raise UiStateError('"builder.routine" is not an object')
    items = value.get("items", [])
    if not isinstance(items, list):
        raise UiStateError('"builder.routine.items" is not a list')
    if len(items) > LIMITS["items"]:
        raise UiStateError(f'"builder.routine" has more than {LIMITS["items"]} items')
    notes = value.get("notes", "")
    if not isinstance(notes, str):
        raise UiStateError('"builder.routine.notes" is not text')
    return Routine(name=_name(value.get("name", ""), '"builder.routine.name"'),
                   items=tuple(_item(i) for i in items), notes=clean_text(notes)[: LIMITS["notes"]])


def _builder(value: Any) -> BuilderState | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise UiStateError('"builder" is not an object')
    saved = value.get("saved")
    saved_name = (_name(saved, '"builder.saved"') or None) if saved is not None else None
    routine = _routine(value["routine"]) if value.get("routine") is not None else None
    dirty = value.get("dirty", False)
    if not isinstance(dirty, bool):
        raise UiStateError('"builder.dirty" is not true or false')
    if routine is None and saved_name is None:
        return None
    return BuilderState(saved=saved_name, routine=routine, dirty=dirty and routine is not None)


def parse_ui_state(data: bytes) -> UiState:
    """The state in a file's bytes; :class:`UiStateError` (or :class:`StrictJSONError`) when not usable."""
    doc = strict_loads(data)
    if not isinstance(doc, dict) or doc.get("stretchtui") != "ui-state":
        raise UiStateError('it is not a stretchtui UI state file (no "stretchtui": "ui-state")')
    version = doc.get("version")
    if version != VERSION:
        raise UiStateError(f"its version {version!r} is not one this stretchtui reads ({VERSION})")
    mode = doc.get("mode", "catalog")
    if mode not in MODES:
        raise UiStateError(f'"mode" is not one of {", ".join(MODES)}')
    return UiState(mode=mode, builder=_builder(doc.get("builder")))


def load_ui_state(data_dir: Path | str) -> UiStateRead:
    """Read ``ui-state.json`` of ``data_dir``; never raises.

    No file: ``UiStateRead()`` (start as new). A file that cannot be used:
    no state, and a ``problem`` line naming the file, saying it is ignored and
    left in place. The file is never changed here.
    """
    path = ui_state_path(data_dir)
    try:
        raw = read_data_file(path, MAX_BYTES)
    except UnsafeFile as exc:
        return UiStateRead(problem=_ignored(str(exc)))
    except OSError as exc:
        return UiStateRead(problem=_ignored(f"{path} cannot be read ({exc.strerror or exc})"))
    if raw is None:
        return UiStateRead()
    try:
        return UiStateRead(state=parse_ui_state(raw))
    except StrictJSONError as exc:
        return UiStateRead(problem=_ignored(f"{path} is not valid JSON ({exc})"))
    except (UiStateError, ValueError, RecursionError) as exc:
        return UiStateRead(problem=_ignored(f"{path}: {exc}"))


def _ignored(what: str) -> str:
    from ..text import display

    return (f"{display(what).rstrip('.')}. Where you left off is not restored: starting on the Catalog. "
            "The file is left as it is; it is replaced the next time the app saves where you are.")


# ---------------------------------------------------------------- writing
def save_ui_state(data_dir: Path | str, state: UiState) -> Path:
    """Replace ``ui-state.json`` atomically (temp file 0600, fsync, rename, fsync the folder).

    Raises ``OSError`` when it cannot be written; the old file is then left as it was.
    """
    path = ui_state_path(data_dir)
    atomic_write(path, state.to_bytes())
    _remove_dead_temp_files(path)
    return path


def _remove_dead_temp_files(path: Path) -> None:
    """Remove ``.ui-state.json.tmp-PID-…`` files whose writer is gone (killed mid-write).

    These writes do not take the store's lock (whose start-up sweep removes
    the store's own leftovers), so another window may be writing one now:
    only a file whose process no longer runs is removed, and only files of
    exactly this name pattern (never anything else in the folder).
    """
    prefix = f".{path.name}{TMP_MARK}"
    try:
        names = [n for n in os.listdir(path.parent) if n.startswith(prefix)]
    except OSError:
        return
    for name in names:
        pid_text, _sep, rest = name[len(prefix):].partition("-")
        if not (pid_text.isdigit() and rest and all(c in "0123456789abcdef" for c in rest)):
            continue
        pid = int(pid_text)
        if pid == os.getpid() or _alive(pid):
            continue
        try:
            os.unlink(path.parent / name)
        except OSError:
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: it exists
        return True
    return True
