"""The routine being built: a list that takes drops and whose items can be dragged.

Dropping a catalog stretch posts ``StretchDropped(stretch_id, index)``;
dragging an item to another place posts ``ItemMoved(src, dst)``; dragging an
item out of the list and releasing it posts ``ItemRemoved(index)``. The
screen applies these to the pure ``BuilderModel`` and calls ``show`` again.

While a drag is over the list an insertion marker row sits under the
pointer: the payload lands exactly where the marker is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import events, on
from textual.content import Content
from textual.geometry import Offset
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from .drag import DragPayload, DragSourceMixin, DropTarget, content_row_at
from .stretch_list import MARKS

# The catalog screen's marks ("✖" avoid, "!" caution), plus "i" for the notes
# only a routine has (e.g. a missing warm-up).
_LEVEL_MARK = {
    **{level: (mark + " ", style) for level, (mark, style) in MARKS.items()},
    "info": ("i ", "$text-muted"),
}


@dataclass(frozen=True)
class RoutineRow:
    """What one routine item shows: its stretch, dosage summary and worst warning level."""

    stretch_id: str
    name: str
    dosage: str
    level: str | None = None


class RoutineList(DragSourceMixin, DropTarget, OptionList):
    """The routine's items, in order."""

    ALLOW_SELECT = False

    DEFAULT_CSS = """
    RoutineList {
        height: 1fr;
        max-height: 100%;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .option-list--option-disabled {
            color: $text-muted;
        }
    }
    RoutineList.-drop-hover {
        border: tall $accent;
    }
    """

    @dataclass
    class StretchDropped(Message):
        """A catalog stretch was dropped at gap ``index`` (0 = first)."""

        stretch_id: str
        index: int

    @dataclass
    class ItemMoved(Message):
        """Item ``src`` was dragged so it ends up at index ``dst``."""

        src: int
        dst: int

    @dataclass
    class ItemRemoved(Message):
        """Item ``index`` was dragged out of the routine."""

        index: int

    @dataclass
    class CursorMoved(Message):
        """The highlighted item changed to ``index``."""

        index: int

    @dataclass
    class EditRequested(Message):
        """Enter on item ``index``: edit its dosage."""

        index: int

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.add_class("-drop-target")
        self._rows: list[RoutineRow] = []
        self._cursor = 0
        self._marked: frozenset[int] = frozenset()
        self._marker: int | None = None
        self._dragged: int | None = None
        self._hint = "Empty: drag a stretch here, or press a."

    # -- showing ---------------------------------------------------------------
    @property
    def rows(self) -> Sequence[RoutineRow]:
        return tuple(self._rows)

    @property
    def marker(self) -> int | None:
        """The gap the insertion marker shows, while a drag is over the list."""
        return self._marker

    def show(self, rows: Sequence[RoutineRow], cursor: int, marked: Sequence[int] = ()) -> None:
        """Show ``rows`` with item ``cursor`` highlighted and ``marked`` items emphasised."""
        self._rows = list(rows)
        self._cursor = cursor
        self._marked = frozenset(marked)
        self._rebuild()

    def set_marked(self, marked: Sequence[int]) -> None:
        if frozenset(marked) != self._marked:
            self._marked = frozenset(marked)
            self._rebuild()

    def _row_prompt(self, index: int, row: RoutineRow) -> Content:
        width = max(10, self.scrollable_content_region.width or 40)
        mark, mark_style = _LEVEL_MARK.get(row.level or "", ("  ", ""))
        number = f"{index + 1:>2} "
        right = f" {row.dosage}"
        room = max(3, width - len(number) - len(mark) - len(right))
        name = row.name if len(row.name) <= room else row.name[: room - 1] + "…"
        name_style = "bold $accent" if index in self._marked else ""
        if index == self._dragged:
            name_style = "dim"
        return Content.assemble(
            (mark, mark_style),
            (number, "$text-muted"),
            (name, name_style),
            " " * (room - len(name)),
            (right, "$text-muted"),
        )

    def _rebuild(self) -> None:
        options: list[Option] = []
        n = len(self._rows)
        for index, row in enumerate(self._rows):
            if self._marker == index:
                options.append(self._marker_option())
            options.append(Option(self._row_prompt(index, row), id=f"item-{index}"))
        if self._marker is not None and self._marker >= n:
            options.append(self._marker_option())
        if not options:
            options.append(Option(Content(self._hint), id="hint", disabled=True))
        scroll_y = self.scroll_y
        self.set_options(options)
        self.scroll_y = scroll_y  # clamped to the new size; a drag must not jump the view
        if n:
            cursor = max(0, min(self._cursor, n - 1))
            if self._marker is None:
                self.highlighted = cursor
            else:  # no scrolling to the cursor while the pointer places the marker
                self.set_reactive(OptionList.highlighted, cursor + (1 if self._marker <= cursor else 0))

    def _marker_option(self) -> Option:
        width = max(10, self.scrollable_content_region.width or 40)
        label = "▶ move here " if self._dragged is not None else "▶ add here "
        return Option(
            Content.assemble((label, "bold $accent"), ("─" * max(0, width - len(label)), "$accent")),
            id="marker",
            disabled=True,
        )

    def on_resize(self, event: events.Resize) -> None:
        self._rebuild()

    # -- cursor ----------------------------------------------------------------
    @staticmethod
    def item_index(option: Option) -> int | None:
        if option.id and option.id.startswith("item-"):
            return int(option.id[5:])
        return None

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        index = self.item_index(event.option)
        if index is not None and self._marker is None and index != self._cursor:
            self._cursor = index
            self.post_message(self.CursorMoved(index))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = self.item_index(event.option)
        if index is not None:
            self.post_message(self.EditRequested(index))

    async def _on_click(self, event: events.Click) -> None:
        # A click only highlights; Enter edits.
        event.prevent_default()
        clicked = event.style.meta.get("option")
        if clicked is not None and not self.get_option_at_index(clicked).disabled:
            self.highlighted = clicked

    # -- drag source -----------------------------------------------------------
    def drag_payload(self, option_index: int) -> DragPayload | None:
        index = self.item_index(self.get_option_at_index(option_index))
        if index is None:
            return None
        row = self._rows[index]
        return DragPayload("item", row.stretch_id, row.name, index)

    def drag_outside(self, payload: DragPayload) -> None:
        if payload.kind == "item":
            self.border_subtitle = Content(f"release to remove {payload.label}")

    def drop_outside(self, payload: DragPayload) -> None:
        self.border_subtitle = ""
        if payload.kind == "item" and payload.index is not None:
            self.post_message(self.ItemRemoved(payload.index))

    def cancel_drag(self) -> None:
        super().cancel_drag()
        self.border_subtitle = ""

    # -- drop target -----------------------------------------------------------
    def gap_at(self, offset: Offset) -> int:
        """The gap (0..len) a drop at screen ``offset`` inserts into."""
        return min(content_row_at(self, offset), len(self._rows))

    def drag_over(self, payload: DragPayload, offset: Offset) -> None:
        region = self.scrollable_content_region
        if offset.y <= region.y and self.scroll_y > 0:  # at an edge: scroll a line
            self.scroll_y -= 1
        elif offset.y >= region.bottom - 1 and self.scroll_y < self.max_scroll_y:
            self.scroll_y += 1
        gap = self.gap_at(offset)
        self.add_class("-drop-hover")
        self.border_subtitle = Content(f"drop {payload.label} at {gap + 1}")
        dragged = payload.index if payload.kind == "item" else None
        if gap != self._marker or dragged != self._dragged:
            self._marker = gap
            self._dragged = dragged
            self._rebuild()

    def drag_leave(self) -> None:
        self.remove_class("-drop-hover")
        self.border_subtitle = ""
        if self._marker is not None or self._dragged is not None:
            self._marker = None
            self._dragged = None
            self._rebuild()

    def drop(self, payload: DragPayload, offset: Offset) -> None:
        gap = self.gap_at(offset)
        self.drag_leave()
        if payload.kind == "stretch":
            self.post_message(self.StretchDropped(payload.stretch_id, gap))
        elif payload.index is not None:
            src = payload.index
            if gap in (src, src + 1):
                return
            dst = gap if gap < src else gap - 1
            self.post_message(self.ItemMoved(src, dst))
