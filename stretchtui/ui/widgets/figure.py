"""Stretch figures in the terminal: braille (or ASCII) drawings of a pose,
coloured from the theme.

- ``pose_for_stretch(stretch_id, catalog)``: the pose from ``poses.json``
  (``None`` when there is none, or the file is broken: never a crash).
- ``figure_content(pose, frame, width, height, ascii=False, bounds=None)``:
  one drawing as ``Content`` (``height`` lines of ``width`` cells).
- ``pair_content(pose, width, ascii=False)``: the start and the end position
  side by side with an arrow between and the positions named underneath.
- ``FigureView``: a widget drawing one pose at whatever size it is given;
  ``show(pose, t)`` moves it to ``t`` (0 = start, 1 = end) along the path;
  ``play_step(pose, kind, elapsed, duration)`` animates it through a player
  step (see :func:`stretchtui.core.pose.step_figure`): frames at most
  :data:`MAX_FPS` a second and only while it moves, none during a hold.

The renderers live in ``stretchtui.core.figure_render``; this module only
adds the theme's colours.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget

from ...core.figure_render import ascii_rows, braille_rows
from ...core.pose import Frame, Pose, pose_bounds, pose_for, step_figure

#: The most frames a second a moving figure is drawn.
MAX_FPS = 8

#: Theme styles for the kinds of cell the braille renderer reports.
KIND_STYLE = {"figure": "$text-primary", "far": "$text-secondary", "prop": "$text-muted", "": ""}


def pose_for_stretch(stretch_id: str, catalog=None) -> Pose | None:
    return pose_for(stretch_id, catalog)


def figure_rows_height(pose: Pose, width: int, max_rows: int) -> int:
    """Rows needed to draw ``pose`` ``width`` cells wide at its natural aspect."""
    x0, y0, x1, y1 = pose_bounds(pose)
    dots_high = 2 * width * (y1 - y0) / max(x1 - x0, 1e-6)
    return max(3, min(max_rows, math.ceil(dots_high / 4)))


def figure_content(pose: Pose, frame: Frame | None, width: int, height: int, *,
                   ascii: bool = False, bounds=None, mirror: bool = False) -> Content:
    """One drawing of ``pose`` as ``height`` lines of ``width`` cells
    (``mirror``: flipped left to right, for the other side)."""
    bounds = bounds or pose_bounds(pose)
    if ascii:
        rows = ascii_rows(pose, frame, width, height, bounds, mirror=mirror)
        return Content("\n".join(r.ljust(width) for r in rows)).stylize(KIND_STYLE["figure"])
    parts: list = []
    for i, row in enumerate(braille_rows(pose, frame, width, height, bounds, mirror=mirror)):
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
    for i, (a, b) in enumerate(zip(left, right, strict=False)):
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

    def __init__(self, pose: Pose | None = None, *, ascii: bool = False, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.pose = pose
        self.t = 1.0
        self.ascii = ascii
        self.fallback = ""
        #: Drawn flipped left to right (the right side of a two-sided stretch).
        self.mirror = False
        #: How many times the figure was redrawn (a still figure is not redrawn).
        self.frames = 0
        self._bounds = pose_bounds(pose) if pose is not None else None
        self._plan: tuple | None = None
        self._content: tuple | None = None  # ((width, height), drawing)
        self._ticker: Timer | None = None  # repeating frame timer while moving
        self._waker: Timer | None = None  # one-shot timer until the next movement

    @property
    def animating(self) -> bool:
        """True while frames are being drawn."""
        return self._ticker is not None

    def play_step(self, pose: Pose | None, kind: str, elapsed: Callable[[], float], duration: float, *,
                  speed: float = 1.0, still: bool = False, ascii: bool | None = None,
                  fallback: str = "", mirror: bool = False) -> None:
        """Animate ``pose`` through one player step of ``kind`` lasting ``duration`` seconds.

        ``elapsed()`` gives the seconds into the step (from the session clock,
        so a pause stops the figure). With ``still`` the end position is shown
        and nothing moves (``TEXTUAL_ANIMATIONS=none`` or the profile setting).
        """
        self._stop()
        self.fallback = fallback
        if mirror != self.mirror:
            self.mirror = mirror
            self._content = None
            self.t = -1.0  # redraw
        if pose is None or still:
            self._plan = None
            self.show(pose, 1.0, ascii=ascii)
            return
        self._plan = (kind, pose.moves, elapsed, float(duration), max(0.01, float(speed or 1.0)))
        if ascii is not None:
            self.ascii = ascii
        if pose is not self.pose:
            self.pose = pose
            self._bounds = pose_bounds(pose)
            self.t = -1.0  # force the first frame
        self._frame()

    def _stop(self) -> None:
        for timer in (self._ticker, self._waker):
            if timer is not None:
                timer.stop()
        self._ticker = self._waker = None

    def _frame(self) -> None:
        if self._plan is None:
            return
        kind, moves, elapsed, duration, speed = self._plan
        t, moving, wake_in = step_figure(kind, moves, elapsed(), duration)
        self.show(self.pose, t)
        if moving:
            if self._ticker is None:
                self._ticker = self.set_interval(1 / MAX_FPS, self._frame)
            return
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        if wake_in is not None and self._waker is None:
            def wake() -> None:
                self._waker = None
                self._frame()

            self._waker = self.set_timer(max(0.01, wake_in / speed), wake)

    def show(self, pose: Pose | None, t: float = 1.0, *, ascii: bool | None = None) -> None:
        """Draw ``pose`` at ``t`` along its path (0 = start, 1 = end).

        Nothing is redrawn unless the drawing itself changes (a slow movement
        often maps to the same dots for several frames)."""
        changed = pose is not self.pose
        if changed:
            self.pose = pose
            self._bounds = pose_bounds(pose) if pose is not None else None
        if ascii is not None and ascii != self.ascii:
            self.ascii = ascii
            changed = True
        if not changed and abs(t - self.t) <= 1e-6:
            return
        self.t = t
        key = self._key()
        if key is None:  # not laid out yet: draw when it is
            self._content = None
            self.refresh()
            return
        content = self._draw()
        old = self._content
        if changed or old is None or (content.plain, content.spans) != (old[1].plain, old[1].spans):
            self._content = (key, content)
            self.frames += 1
            self.refresh()

    def _key(self) -> tuple | None:
        width, height = self.content_size.width, self.content_size.height
        if width < 1 or height < 1:
            return None
        return (width, height)

    def _draw(self) -> Content:
        if self.pose is None:
            return Content(self.fallback)
        width, height = self.content_size.width, self.content_size.height
        if width < 4 or height < 2:
            return Content("")
        frame = self.pose.frame_at(self.t)
        return figure_content(self.pose, frame, width, height, ascii=self.ascii, bounds=self._bounds,
                              mirror=self.mirror)

    def on_unmount(self) -> None:
        self._stop()

    def render(self) -> Content:
        key = self._key()
        if self._content is None or self._content[0] != key:
            content = self._draw()
            self._content = (key, content) if key is not None else None
            return content
        return self._content[1]


def ascii_figures(app: object) -> bool:
    """True when figures are drawn in ASCII: config.toml's ``figure_style``
    (``ascii``/``braille``) decides; with ``auto`` the profile's setting does."""
    style = getattr(getattr(app, "settings", None), "figure_style", "auto")
    if style in ("ascii", "braille"):
        return style == "ascii"
    return bool(getattr(getattr(app, "profile", None), "ascii_figures", False))
