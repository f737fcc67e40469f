"""The routine being edited in the builder, without any UI.

``BuilderModel`` holds the items, a cursor, the name, an undo/redo history
and the name the routine had in the library (so a rename can replace it).
Every change is a method here; the Textual screen only translates keys and
mouse drags into these calls and redraws. ``parse_dosage`` checks what the
user typed in the dosage dialog against the routine-file limits.

Indexes: ``insert(stretch_id, index)`` takes a *gap* (0 = before the first
item, ``len`` = after the last); ``move(src, dst)`` takes the index the item
ends up at.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from ..errors import StretchtuiError
from ..text import clean_name
from .models import ITEM_FIELDS, LIMITS, UNTITLED, Routine, RoutineItem, Stretch


class BuilderError(StretchtuiError):
    """A builder change that cannot be made (the message says why)."""


class DosageError(BuilderError):
    """A dosage field holds a value outside the routine-file limits."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class _State:
    name: str
    items: tuple[RoutineItem, ...]
    cursor: int


def parse_dosage(
    stretch_id: str,
    *,
    hold: str = "",
    reps: str = "",
    sides: str = "",
    rest: str = "",
) -> RoutineItem:
    """A routine item from the dialog's text fields.

    An empty field means "the catalog's default" (``None``). Raises
    ``DosageError`` naming the field when a value is not a whole number or
    lies outside ``LIMITS`` (hold 1-600 s, reps 1-50, rest 0-600 s), or when
    sides is not one of none/each/left/right.
    """
    values: dict[str, int | None] = {}
    for key, raw in (("hold", hold), ("reps", reps), ("rest", rest)):
        text = raw.strip()
        spec = ITEM_FIELDS[key]
        label = f"{spec.label} (seconds)" if spec.unit == "s" else spec.label
        lo, hi = spec.bounds
        if not text:
            values[key] = None
            continue
        try:
            value = int(text)
        except ValueError:
            raise DosageError(key, f"{label}: '{text}' is not a whole number. Enter {lo}-{hi}.") from None
        if not lo <= value <= hi:
            raise DosageError(key, f"{label}: {value} is out of range. Enter {lo}-{hi}.")
        values[key] = value
    side = sides.strip() or None
    if not ITEM_FIELDS["sides"].accepts(side):
        raise DosageError("sides", f"Sides: '{side}' is not one of {ITEM_FIELDS['sides'].range_text()}.")
    return RoutineItem(stretch=stretch_id, hold=values["hold"], reps=values["reps"], sides=side, rest=values["rest"])


def normalize_item(item: RoutineItem, stretch: Stretch | None) -> RoutineItem:
    """``item`` with fields equal to the stretch's defaults stored as ``None``.

    Keeps saved routines compact and following the catalog's defaults.
    """
    if stretch is None:
        return item
    d = stretch.dosage
    defaults = {"hold": d.hold.default, "reps": d.reps.default, "sides": d.sides, "rest": d.rest}
    changes: dict[str, Any] = {k: None for k, v in defaults.items() if getattr(item, k) == v}
    return replace(item, **changes)


class BuilderModel:
    """A routine under construction, with cursor, undo/redo and a dirty flag."""

    def __init__(self, routine: Routine | None = None, *, saved_name: str | None = None) -> None:
        self._undo: list[_State] = []
        self._redo: list[_State] = []
        self.load(routine, saved_name=saved_name)

    # -- state -----------------------------------------------------------------
    def load(self, routine: Routine | None, *, saved_name: str | None = None, dirty: bool = False) -> None:
        """Start editing ``routine`` (``None``: a new, empty one). Clears history.

        ``saved_name`` is the routine's name in the library (``None`` for a
        new routine or a starter, which are saved as new routines).
        ``dirty``: ``routine`` has changes the library does not have (an
        unsaved draft put back after a restart); it stays unsaved until saved.
        """
        routine = routine or Routine(name="")
        self.name = routine.name
        self.items: list[RoutineItem] = list(routine.items)
        self.notes = routine.notes
        self.target = routine.target
        self.cursor = 0
        self.saved_name = saved_name
        # A draft's baseline is what the library held, which is not known here: nothing equals it.
        self._baseline: tuple[str, tuple[RoutineItem, ...]] | None = None if dirty else (self.name, tuple(self.items))
        self._undo.clear()
        self._redo.clear()

    def clear(self) -> None:
        """A new, empty, unnamed routine."""
        self.load(None)

    @property
    def dirty(self) -> bool:
        """True when the routine differs from what was loaded or last saved."""
        return (self.name, tuple(self.items)) != self._baseline

    @property
    def is_empty(self) -> bool:
        return not self.items

    def __len__(self) -> int:
        return len(self.items)

    def routine(self) -> Routine:
        """The routine as it is now (unnamed routines are called "Untitled routine")."""
        return Routine(
            name=self.name or UNTITLED,
            items=tuple(self.items),
            notes=self.notes,
            target=self.target,
        )

    def mark_saved(self, routine: Routine) -> None:
        """The library now holds ``routine`` (as the store returned it)."""
        self.name = routine.name
        self.saved_name = routine.name
        self._baseline = (self.name, tuple(self.items))

    # -- history ---------------------------------------------------------------
    def _snapshot(self) -> _State:
        return _State(self.name, tuple(self.items), self.cursor)

    def _restore(self, state: _State) -> None:
        self.name = state.name
        self.items = list(state.items)
        self.cursor = state.cursor
        self._clamp()

    def _push(self) -> None:
        self._undo.append(self._snapshot())
        del self._undo[:-200]
        self._redo.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> bool:
        """Go back one change. False when there is nothing to undo."""
        if not self._undo:
            return False
        self._redo.append(self._snapshot())
        self._restore(self._undo.pop())
        return True

    def redo(self) -> bool:
        """Re-apply the last undone change. False when there is nothing to redo."""
        if not self._redo:
            return False
        self._undo.append(self._snapshot())
        self._restore(self._redo.pop())
        return True

    def _clamp(self) -> None:
        self.cursor = max(0, min(self.cursor, len(self.items) - 1)) if self.items else 0

    def _check_index(self, index: int) -> None:
        if not 0 <= index < len(self.items):
            raise BuilderError(f"There is no item {index + 1} in the routine.")

    # -- edits -----------------------------------------------------------------
    def set_cursor(self, index: int) -> None:
        self.cursor = index
        self._clamp()

    def insert(self, stretch_id: str, index: int | None = None) -> int:
        """Insert ``stretch_id`` at gap ``index`` (None: just after the cursor item).

        Returns the new item's index, which becomes the cursor.
        """
        if len(self.items) >= LIMITS["items"]:
            raise BuilderError(f"A routine holds at most {LIMITS['items']} stretches; remove one first.")
        if index is None:
            index = self.cursor + 1 if self.items else 0
        index = max(0, min(index, len(self.items)))
        self._push()
        self.items.insert(index, RoutineItem(stretch=stretch_id))
        self.cursor = index
        return index

    def move(self, src: int, dst: int) -> int:
        """Move item ``src`` so it ends up at index ``dst``. Returns ``dst`` (clamped)."""
        self._check_index(src)
        dst = max(0, min(dst, len(self.items) - 1))
        if dst == src:
            self.cursor = src
            return src
        self._push()
        item = self.items.pop(src)
        self.items.insert(dst, item)
        self.cursor = dst
        return dst

    def move_up(self, index: int | None = None) -> bool:
        index = self.cursor if index is None else index
        if not self.items or index <= 0:
            return False
        self.move(index, index - 1)
        return True

    def move_down(self, index: int | None = None) -> bool:
        index = self.cursor if index is None else index
        if not self.items or index >= len(self.items) - 1:
            return False
        self.move(index, index + 1)
        return True

    def remove(self, index: int | None = None) -> RoutineItem:
        """Remove item ``index`` (default: the cursor item) and return it."""
        index = self.cursor if index is None else index
        self._check_index(index)
        self._push()
        item = self.items.pop(index)
        if index < self.cursor or self.cursor >= len(self.items):
            self.cursor -= 1
        self._clamp()
        return item

    def set_item(self, index: int, item: RoutineItem) -> bool:
        """Replace item ``index`` (new dosage). False when nothing changed."""
        self._check_index(index)
        if self.items[index] == item:
            return False
        self._push()
        self.items[index] = item
        self.cursor = index
        return True

    def set_items(self, changes: dict[int, RoutineItem]) -> bool:
        """Replace several items at once (e.g. the doses the progression rule suggests), as one change."""
        for index in changes:
            self._check_index(index)
        changed = {i: item for i, item in changes.items() if self.items[i] != item}
        if not changed:
            return False
        self._push()
        for index, item in changed.items():
            self.items[index] = item
        self.cursor = min(changed)
        return True

    def replace_stretch(self, indexes: int | Iterable[int], stretch_id: str) -> None:
        """Put ``stretch_id`` (with its default dosage) in place of the given item(s), as one change."""
        targets = sorted({indexes} if isinstance(indexes, int) else set(indexes))
        if not targets:
            return
        for index in targets:
            self._check_index(index)
        self._push()
        for index in targets:
            self.items[index] = RoutineItem(stretch=stretch_id)
        self.cursor = targets[0]

    def rename(self, name: str) -> str:
        """Set the routine's name (cleaned). Raises BuilderError for an empty or too long name."""
        cleaned = clean_name(name)
        if not cleaned:
            raise BuilderError("The routine needs a name; type at least one letter.")
        if len(cleaned) > LIMITS["name"]:
            raise BuilderError(f"The name is {len(cleaned)} characters long; use at most {LIMITS['name']}.")
        if cleaned != self.name:
            self._push()
            self.name = cleaned
        return cleaned
