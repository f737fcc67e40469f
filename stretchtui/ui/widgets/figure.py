"""Stretch figures in the terminal: braille (or ASCII) drawings of a pose,
coloured from the theme.

- ``pose_for_stretch(stretch_id, catalog)``: the pose from ``poses.json``
  (``None`` when there is none, or the file is broken: never a crash).
- ``figure_content(pose, frame, width, height, ascii=False, bounds=None)``:
  one drawing as ``Content`` (``height`` lines of ``width`` cells).
- ``pair_content(pose, width, ascii=False)``: the start and the end position
  side by side with an arrow between and the positions named underneath.
- ``FigureView``: a widget drawing one pose at whatever size it is given;
  ``show(pose, t)`` moves it to ``t`` (0 = start, 1 = end) along the path.

The renderers live in ``stretchtui.core.figure_render``; this module only
adds the theme's colours.
"""

from __future__ import annotations

import math
from typing import Optional

from textual.content import Content
from textual.widget import Widget

from ...core.figure_render import ascii_rows, braille_rows
from ...core.pose import Frame, Pose, pose_bounds, pose_for

#: Theme styles for the kinds of cell the braille renderer reports.
KIND_STYLE = {"figure": "$text-primary", "far": "$text-secondary", "prop": "$text-muted", "": ""}


def pose_for_stretch(stretch_id: str, catalog=None) -> Optional[Pose]:
    return pose_for(stretch_id, catalog)


def figure_rows_height(pose: Pose, width: int, max_rows: int) -> int:
    """Rows needed to draw ``pose`` ``width`` cells wide at its natural aspect."""
    x0, y0, x1, y1 = pose_bounds(pose)
    dots_high = 2 * width * (y1 - y0) / max(x1 - x0, 1e-6)
    return max(3, min(max_rows, math.ceil(dots_high / 4)))


def figure_content(pose: Pose, frame: Optional[Frame], width: int, height: int, *,
                   ascii: bool = False, bounds=None) -> Content:
    """One drawing of ``pose`` as ``height`` lines of ``width`` cells."""
    bounds = bounds or pose_bounds(pose)
    if ascii:
        rows = ascii_rows(pose, frame, width, height, bounds)
        return Content("\n".join(r.ljust(width) for r in rows)).stylize(KIND_STYLE["figure"])
    parts: list = []
    for i, row in enumerate(braille_rows(pose, frame, width, height, bounds)):
        if i:
            parts.append("\n")
        parts.extend((text, KIND_STYLE[kind]) if kind else text for text, kind in row)
    return Content.assemble(*parts)


def _caption(text: str, width: int) -> str:
    text = text if len(text) <= width else text[: max(0, width - 1)] + "…"
    return text.center(width)


def pair_content(pose: Pose, width: int, *, ascii: bool = False, max_rows: int = 10) -> Content:
    """Start and end side by side (with the positions named underneath)."""
    gap = 3
    panel = max(6, (width - gap) // 2)
    height = figure_rows_height(pose, panel, max_rows)
    bounds = pose_bounds(pose)
    left = figure_content(pose, pose.start, panel, height, ascii=ascii, bounds=bounds).split("\n")
    right = figure_content(pose, pose.end, panel, height, ascii=ascii, bounds=bounds).split("\n")
    arrow = "⇄" if pose.moves else "→"
    if ascii:
        arrow = "<->" if pose.moves else "->"
    lines: list = []
    for i, (a, b) in enumerate(zip(left, right)):
        middle = arrow.center(gap) if i == height // 2 else " " * gap
        lines.append(Content.assemble(a, (middle, "$text-muted"), b))
    start = pose.start.label or "start"
    end = pose.end.label or "end"
    lines.append(Content.assemble(
        (_caption(start, panel), "$text-muted"), " " * gap, (_caption(end, panel), "$text-muted")
    ))
    return Content("\n").join(lines)


class FigureView(Widget):
    """Draws one pose to fill its size (braille, or ASCII when asked)."""

    DEFAULT_CSS = """
    FigureView {
        width: 100%;
        height: 8;
    }
    """

    def __init__(self, pose: Optional[Pose] = None, *, ascii: bool = False, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.pose = pose
        self.t = 1.0
        self.ascii = ascii
        self._bounds = pose_bounds(pose) if pose is not None else None

    def show(self, pose: Optional[Pose], t: float = 1.0, *, ascii: Optional[bool] = None) -> None:
        """Draw ``pose`` at ``t`` along its path (0 = start, 1 = end)."""
        changed = pose is not self.pose
        if changed:
            self.pose = pose
            self._bounds = pose_bounds(pose) if pose is not None else None
        if ascii is not None and ascii != self.ascii:
            self.ascii = ascii
            changed = True
        if changed or abs(t - self.t) > 1e-6:
            self.t = t
            self.refresh()

    def render(self) -> Content:
        if self.pose is None:
            return Content("")
        width, height = self.content_size.width, self.content_size.height
        if width < 4 or height < 2:
            return Content("")
        frame = self.pose.frame_at(self.t)
        return figure_content(self.pose, frame, width, height, ascii=self.ascii, bounds=self._bounds)
