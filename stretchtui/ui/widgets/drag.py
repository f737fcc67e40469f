"""Mouse drag and drop between the builder's lists.

A ``DragSourceMixin`` list (an ``OptionList`` subclass) captures the mouse on
a press over one of its rows, turns into a drag once the pointer has moved a
cell, asks the ``DropTarget`` under the pointer to show where the payload
would land, and on release hands the payload to that target (or to its own
``drop_outside`` when released over nothing that accepts it). A release
without movement is a click: it highlights the row.

Pilot's ``hover`` sends ``button=0`` while real terminals send ``button=1``
during a drag, so the drag state is tracked here rather than read from the
event. Hit-testing uses ``event.screen_offset`` because ``event.x/y`` are
relative to the capturing widget.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.geometry import Offset
from textual.widget import Widget
from textual.widgets import OptionList


@dataclass(frozen=True)
class DragPayload:
    """What is being dragged: a catalog stretch, or routine item ``index``."""

    kind: str  # "stretch" | "item"
    stretch_id: str
    label: str
    index: int | None = None


class DropTarget:
    """Mixin for widgets that accept drops. Mark them with the class ``-drop-target``."""

    def drag_over(self, payload: DragPayload, offset: Offset) -> None:  # pragma: no cover - interface
        """The pointer carries ``payload`` over this widget at screen ``offset``."""

    def drag_leave(self) -> None:  # pragma: no cover - interface
        """The pointer left (or the drag ended)."""

    def drop(self, payload: DragPayload, offset: Offset) -> None:  # pragma: no cover - interface
        """``payload`` was released at screen ``offset`` over this widget."""


def drop_target_at(widget: Widget, offset: Offset) -> DropTarget | None:
    """The drop target on ``widget``'s screen whose region holds ``offset``."""
    for candidate in widget.screen.query(".-drop-target"):
        if isinstance(candidate, DropTarget) and candidate.display and candidate.region.contains_point(offset):
            return candidate
    return None


def option_index_at(option_list: OptionList, offset: Offset) -> int | None:
    """The option under screen ``offset`` (None for padding or empty space)."""
    region = option_list.scrollable_content_region
    if not region.contains_point(offset):
        return None
    row = offset.y - region.y + option_list.scroll_offset.y
    lines = option_list._lines  # (option index, line offset) per rendered line
    if 0 <= row < len(lines):
        return lines[row][0]
    return None


def content_row_at(option_list: OptionList, offset: Offset) -> int:
    """The virtual line under screen ``offset`` (may be past the last option)."""
    region = option_list.scrollable_content_region
    return max(0, offset.y - region.y + option_list.scroll_offset.y)


class DragSourceMixin:
    """Press-move-release handling for an ``OptionList`` whose rows can be dragged."""

    _drag_start: Offset | None = None
    _drag_payload: DragPayload | None = None
    _drag_option: int | None = None
    _dragging: bool = False
    _drag_target: DropTarget | None = None

    # -- to override ---------------------------------------------------------
    def drag_payload(self, option_index: int) -> DragPayload | None:  # pragma: no cover - interface
        return None

    def drop_outside(self, payload: DragPayload) -> None:
        """Released over nothing that takes drops (default: nothing happens)."""

    def drag_click(self, option_index: int) -> None:
        """A press and release without movement."""
        option_list = self
        assert isinstance(option_list, OptionList)
        option_list.highlighted = option_index

    # -- state ---------------------------------------------------------------
    @property
    def dragging(self) -> bool:
        return self._dragging

    def cancel_drag(self) -> None:
        """Forget the current press or drag (Escape)."""
        assert isinstance(self, Widget)
        if self._drag_target is not None:
            self._drag_target.drag_leave()
        if self._drag_start is not None:
            self.release_mouse()
        self._drag_start = self._drag_payload = self._drag_option = self._drag_target = None
        self._dragging = False
        self.remove_class("-dragging")

    # -- events --------------------------------------------------------------
    def on_mouse_down(self, event: events.MouseDown) -> None:
        assert isinstance(self, OptionList)
        if event.button not in (0, 1):
            return
        index = option_index_at(self, event.screen_offset)
        payload = self.drag_payload(index) if index is not None else None
        if payload is None or index is None:
            return
        event.stop()
        self.focus()
        self._drag_start = event.screen_offset
        self._drag_payload = payload
        self._drag_option = index
        self._dragging = False
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        assert isinstance(self, Widget)
        if self._drag_start is None or self._drag_payload is None:
            return
        offset = event.screen_offset
        if not self._dragging:
            dx = abs(offset.x - self._drag_start.x)
            dy = abs(offset.y - self._drag_start.y)
            if max(dx, dy) < 1:
                return
            self._dragging = True
            self.add_class("-dragging")
        target = drop_target_at(self, offset)
        if target is not self._drag_target and self._drag_target is not None:
            self._drag_target.drag_leave()
        self._drag_target = target
        if target is not None:
            target.drag_over(self._drag_payload, offset)
        else:
            self.drag_outside(self._drag_payload)

    def drag_outside(self, payload: DragPayload) -> None:
        """The pointer carries ``payload`` over nothing that accepts it."""

    def on_mouse_up(self, event: events.MouseUp) -> None:
        assert isinstance(self, Widget)
        if self._drag_start is None or self._drag_payload is None:
            return
        event.stop()
        payload, option, dragging = self._drag_payload, self._drag_option, self._dragging
        target = drop_target_at(self, event.screen_offset) if dragging else None
        if self._drag_target is target:
            self._drag_target = None  # the target reads its marker position in drop(), then clears it
        self.cancel_drag()
        if not dragging:
            if option is not None:
                self.drag_click(option)
        elif target is not None:
            target.drop(payload, event.screen_offset)
        else:
            self.drop_outside(payload)
