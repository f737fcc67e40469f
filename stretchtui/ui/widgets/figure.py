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
  step (see :func:`stretchtui.core.domain.pose.step_figure`): frames at most
  :data:`MAX_FPS` a second and only while it moves, none during a hold.

The renderers live in ``stretchtui.core.reports.figure_render``; this module only
adds the theme's colours.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from rich.segment import Segment
from textual.content import Content
from textual.geometry import Region
from textual.strip import Strip
from textual.timer import Timer
from textual.visual import Visual
from textual.widget import Widget

from ...core.domain.pose import Frame, Pose, pose_bounds, pose_for, step_figure
from ...core.reports.figure_render import ascii_rows, braille_rows

#: The most frames a second a moving figure is drawn.
MAX_FPS = 10

#: Frames fall on a grid of this many real seconds, anchored where the
#: player's once-a-second tick lands (:data:`TICK_PHASE` after a whole second
#: of the step): a frame that coincides with the tick or a progress bar's
#: glide frame (also 0.1 s apart from the tick) is drawn in the same screen
#: update, and every update costs about the same however little changed.
FRAME_SLOT = 1 / MAX_FPS
TICK_PHASE = 0.01

#: Steps along a pose's path (0 = start, LEVELS = end): a moving figure is
#: drawn at these positions only, so each is rendered once and reused.
LEVELS = 16

#: The longest a moving figure's look-ahead waits before it checks again (s).
LOOKAHEAD = 2.0

#: Theme styles for the kinds of cell the braille renderer reports.
KIND_STYLE = {"figure": "$text-primary", "far": "$text-secondary", "prop": "$text-muted", "": ""}


def _next_slot(elapsed: float, speed: float) -> float:
    """The first grid point at least half a slot after ``elapsed`` (session seconds)."""
    slot = FRAME_SLOT * speed
    phase = TICK_PHASE * speed
    k = math.floor((elapsed - phase) / slot) + 1
    at = phase + k * slot
    if at - elapsed < slot / 2:
        at += slot
    return at


def _level(t: float) -> int:
    return max(0, min(LEVELS, round(t * LEVELS)))


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


#: Said under a figure drawn from above (lying on the mat, seen from the ceiling).
TOP_VIEW_NOTE = "(lying on the mat, seen from above)"


def _caption(text: str, width: int) -> str:
    text = text if len(text) <= width else text[: max(0, width - 1)] + "…"
    return text.center(width)


#: A figure drawn in fewer rows than this cannot be read (a lying figure in
#: three rows is a line): start and end are stacked instead, or not drawn.
MIN_FIGURE_ROWS = 5

#: Drawings of start and end, per (pose, width, ascii, rows): each drawn once (the Catalog's
#: details pane redraws as the highlight moves; a figure costs a few ms to rasterise).
_PAIRS: dict[tuple[int, int, bool, int], tuple[Pose, Content]] = {}
_PAIRS_MAX = 256


def pair_content(pose: Pose, width: int, *, ascii: bool = False, max_rows: int = 10) -> Content:
    """Start and end side by side (with the positions named underneath); drawn once per pose and size.

    A wide, low pose (lying) that would be drawn in fewer than
    :data:`MIN_FIGURE_ROWS` rows side by side is stacked, start above end,
    each the full width; if even that is too low, nothing is drawn (an empty
    Content): no figure rather than an unreadable one.
    """
    key = (id(pose), width, ascii, max_rows)
    kept = _PAIRS.get(key)
    if kept is not None and kept[0] is pose:  # the pose is kept with it: its id cannot be reused meanwhile
        return kept[1]
    content = _pair_content(pose, width, ascii=ascii, max_rows=max_rows)
    if len(_PAIRS) >= _PAIRS_MAX:
        _PAIRS.pop(next(iter(_PAIRS)))
    _PAIRS[key] = (pose, content)
    return content


def _pair_content(pose: Pose, width: int, *, ascii: bool, max_rows: int) -> Content:
    gap = 3
    panel = max(6, (width - gap) // 2)
    height = figure_rows_height(pose, panel, max_rows)
    bounds = pose_bounds(pose)
    start = pose.start.label or "start"
    end = pose.end.label or "end"
    if height < MIN_FIGURE_ROWS:
        tall = figure_rows_height(pose, width, max_rows)
        if tall < MIN_FIGURE_ROWS:
            return Content("")
        arrow = "⇅" if pose.moves else "↓"
        if ascii:
            arrow = "^v" if pose.moves else "v"
        stacked: list = [
            figure_content(pose, pose.start, width, tall, ascii=ascii, bounds=bounds),
            Content.assemble((_caption(f"{start}  {arrow}", width), "$text-muted")),
            figure_content(pose, pose.end, width, tall, ascii=ascii, bounds=bounds),
            Content.assemble((_caption(end, width), "$text-muted")),
        ]
        if pose.view == "top":
            stacked.append(Content.assemble((_caption(TOP_VIEW_NOTE, width), "$text-muted")))
        return Content("\n").join(stacked)
    left = figure_content(pose, pose.start, panel, height, ascii=ascii, bounds=bounds).split("\n")
    right = figure_content(pose, pose.end, panel, height, ascii=ascii, bounds=bounds).split("\n")
    arrow = "⇄" if pose.moves else "→"
    if ascii:
        arrow = "<->" if pose.moves else "->"
    lines: list = []
    for i, (a, b) in enumerate(zip(left, right, strict=False)):
        middle = arrow.center(gap) if i == height // 2 else " " * gap
        lines.append(Content.assemble(a, (middle, "$text-muted"), b))
    lines.append(Content.assemble(
        (_caption(start, panel), "$text-muted"), " " * gap, (_caption(end, panel), "$text-muted")
    ))
    if pose.view == "top":  # a lying figure drawn from above reads as squatting unless said
        lines.append(Content.assemble((_caption(TOP_VIEW_NOTE, 2 * panel + gap), "$text-muted")))
    return Content("\n").join(lines)


class FigureView(Widget):
    """Draws one pose to fill its size (braille, or ASCII when asked).

    Cheap to animate (``bench/bench_figure_cpu.py``): a position along the
    path is rounded to one of :data:`LEVELS` steps, and each step's drawing
    is rendered to strips once per size and kept, so a moving figure costs
    one rasterisation per step on its first pass and none after. Frames are
    drawn only when the rounded step changes: the next change is worked out
    ahead (:func:`~stretchtui.core.domain.pose.step_figure` is a pure function of
    the time) and one timer is set for it, never sooner than
    ``1 / MAX_FPS`` s. A new frame repaints only the cells that changed
    (the line API: no text is laid out per frame, no layout pass).
    """

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
        #: Drawings by (level, width, height, mirror, ascii, style): rows of text and strips.
        self._cache: dict[tuple, tuple[list[str], list[Strip]]] = {}
        self._shown: tuple[list[str], list[Strip]] | None = None
        self._shown_key: tuple | None = None
        self._ticker: Timer | None = None  # the next frame of a movement
        self._waker: Timer | None = None  # one-shot timer until the next movement
        self._paused = False
        self._styles: tuple | None = None  # (visual style, rich style of each kind of cell)
        #: Told where the figure is at every frame: ``follower(t, to_end)`` (the breathing cue).
        self.follower: Callable[[float, bool], None] | None = None

    @property
    def animating(self) -> bool:
        """True while frames are being drawn."""
        return self._ticker is not None

    @property
    def level(self) -> int:
        """The drawn step along the path (0 = start, :data:`LEVELS` = end)."""
        return _level(self.t)

    def play_step(self, pose: Pose | None, kind: str, elapsed: Callable[[], float], duration: float, *,
                  speed: float = 1.0, still: bool = False, ascii: bool | None = None,
                  fallback: str = "", mirror: bool = False) -> None:
        """Animate ``pose`` through one player step of ``kind`` lasting ``duration`` seconds.

        ``elapsed()`` gives the seconds into the step (from the session clock,
        so a pause stops the figure). With ``still`` the end position is shown
        and nothing moves (``TEXTUAL_ANIMATIONS=none`` or the profile setting).
        """
        self._stop()
        self._paused = False
        if fallback != self.fallback:
            self.fallback = fallback
            self._forget()
        if mirror != self.mirror:
            self.mirror = mirror
            self.t = -1.0  # redraw
        if pose is None or still:
            self._plan = None
            self.show(pose, 1.0, ascii=ascii)
            return
        self._plan = (kind, pose.moves, elapsed, float(duration), max(0.01, float(speed or 1.0)))
        if ascii is not None and ascii != self.ascii:
            self.ascii = ascii
            self.t = -1.0
        if pose is not self.pose:
            self.pose = pose
            self._bounds = pose_bounds(pose)
            self._forget()
            self.t = -1.0  # force the first frame
        self._frame()

    def set_paused(self, paused: bool) -> None:
        """Stop the frames while the session is paused; carry on from the clock on resume."""
        if paused == self._paused:
            return
        self._paused = paused
        if paused:
            self._stop()
        else:
            self._frame()

    def _stop(self) -> None:
        for timer in (self._ticker, self._waker):
            if timer is not None:
                timer.stop()
        self._ticker = self._waker = None

    def _frame(self) -> None:
        """Draw where the figure is now and set one timer for the next change."""
        self._ticker = self._waker = None
        if self._plan is None or self._paused:
            return
        kind, moves, elapsed, duration, speed = self._plan
        now = elapsed()
        t, moving, wake_in = step_figure(kind, moves, now, duration)
        self.show(self.pose, t)
        if self.follower is not None:
            ahead, _m, _w = step_figure(kind, moves, now + 0.05 * speed, duration)
            self.follower(_level(t) / LEVELS, ahead >= t)
        if moving:
            # Look ahead along the frame grid for the moment the drawing changes.
            level = _level(t)
            at = _next_slot(now, speed)
            while at - now < LOOKAHEAD * speed:
                t2, moving2, _w = step_figure(kind, moves, at, duration)
                if _level(t2) != level or not moving2:
                    break
                at += FRAME_SLOT * speed
            self._ticker = self.set_timer(max(0.005, (at - now) / speed), self._frame)
            return
        if wake_in is not None:
            self._waker = self.set_timer(max(0.01, wake_in / speed), self._frame)

    def show(self, pose: Pose | None, t: float = 1.0, *, ascii: bool | None = None) -> None:
        """Draw ``pose`` at ``t`` along its path (0 = start, 1 = end).

        Nothing is redrawn unless the drawing itself changes (a slow movement
        often maps to the same dots for several frames), and then only the
        changed cells are repainted."""
        changed = pose is not self.pose
        if changed:
            self.pose = pose
            self._bounds = pose_bounds(pose) if pose is not None else None
            self._forget()
        if ascii is not None and ascii != self.ascii:
            self.ascii = ascii
            changed = True
        if not changed and self.t >= 0 and _level(t) == _level(self.t):
            self.t = t
            return
        self.t = t
        if self._shown is None or not self.is_mounted:
            self.frames += 1
            self.refresh()
            return
        before = self._shown
        after = self._drawing()
        if after is None:
            self.refresh()
            return
        if after is before:
            return
        self.frames += 1
        self._repaint(before, after)

    def _repaint(self, before: tuple[list[str], list[Strip]], after: tuple[list[str], list[Strip]]) -> None:
        """Refresh the cells that differ between two drawings of the same size."""
        if len(before[0]) != len(after[0]):
            self.refresh()
            return
        width = self.size.width
        for y, (a, b) in enumerate(zip(before[0], after[0], strict=True)):
            if a == b:
                if list(before[1][y]) != list(after[1][y]):  # same dots, other colours
                    self.refresh(Region(0, y, width, 1))
                continue
            if len(a) != len(b):
                self.refresh(Region(0, y, width, 1))
                continue
            first = next(i for i, (x, z) in enumerate(zip(a, b, strict=True)) if x != z)
            last = next(i for i in range(len(b) - 1, -1, -1) if a[i] != b[i])
            self.refresh(Region(first, y, last - first + 1, 1))

    def _forget(self) -> None:
        self._cache.clear()
        self._shown = None
        self._shown_key = None

    def _content(self, level: int) -> Content:
        if self.pose is None:
            return Content(self.fallback)
        width, height = self.content_size.width, self.content_size.height
        if width < 4 or height < 2:
            return Content("")
        frame = self.pose.frame_at(level / LEVELS)
        return figure_content(self.pose, frame, width, height, ascii=self.ascii, bounds=self._bounds,
                              mirror=self.mirror)

    def _drawing(self) -> tuple[list[str], list[Strip]] | None:
        """The drawing for the current step and size: rendered once, then from the cache."""
        width, height = self.size
        if width < 1 or height < 1:
            return None
        style = self.visual_style
        key = (_level(self.t), width, height, self.mirror, self.ascii, style)
        if key == self._shown_key and self._shown is not None:
            return self._shown
        drawing = self._cache.get(key)
        if drawing is None:
            if len(self._cache) > 4 * (LEVELS + 1):  # sizes and styles come and go
                self._cache.clear()
            strips = self._strips(key[0], width, height, style)
            strips = [strip.crop_extend(0, width, style.rich_style) for strip in strips[:height]]
            strips += [Strip.blank(width, style.rich_style)] * (height - len(strips))
            drawing = self._cache[key] = ([strip.text for strip in strips], strips)
        self._shown, self._shown_key = drawing, key
        return drawing

    def _strips(self, level: int, width: int, height: int, style) -> list[Strip]:
        """Strips of the drawing at ``level``: braille and ASCII runs become
        segments in the theme's styles directly (no text to lay out)."""
        pose = self.pose
        if pose is None or width < 4 or height < 2:
            return Visual.to_strips(self, self._content(level), width, height, style)
        frame = pose.frame_at(level / LEVELS)
        styles = self._kind_styles(style)
        if self.ascii:
            rows = ascii_rows(pose, frame, width, height, self._bounds, mirror=self.mirror)
            return [Strip([Segment(row.ljust(width), styles["figure"])]) for row in rows]
        return [
            Strip([Segment(text, styles[kind]) for text, kind in row])
            for row in braille_rows(pose, frame, width, height, self._bounds, mirror=self.mirror)
        ]

    def _kind_styles(self, style) -> dict:
        """Rich styles of each kind of cell, as the widget's Content would draw them."""
        cached = self._styles
        if cached is not None and cached[0] == style:
            return cached[1]
        kinds = [kind for kind in KIND_STYLE if kind]
        marks = "123456789"[: len(kinds)]
        probe = Content.assemble(*((mark, KIND_STYLE[kind]) for mark, kind in zip(marks, kinds, strict=True)), "_")
        strip = Visual.to_strips(self, probe, len(kinds) + 1, 1, style)[0]
        by_char = {}
        for segment in strip:
            for ch in segment.text:
                by_char[ch] = segment.style
        found = {kind: by_char.get(mark, style.rich_style) for mark, kind in zip(marks, kinds, strict=True)}
        found[""] = by_char.get("_", style.rich_style)
        self._styles = (style, found)
        return found

    def on_unmount(self) -> None:
        self._stop()

    def render(self) -> Content:
        """The drawing as Content (the screen draws it line by line from the cache)."""
        return self._content(_level(self.t))

    def render_line(self, y: int) -> Strip:
        drawing = self._drawing()
        if drawing is None or not 0 <= y < len(drawing[1]):
            return Strip.blank(self.size.width, self.visual_style.rich_style)
        return drawing[1][y]


def ascii_figures(app: object) -> bool:
    """True when figures are drawn in ASCII: config.toml's ``figure_style``
    (``ascii``/``braille``) decides; with ``auto`` the profile's setting does."""
    style = getattr(getattr(app, "settings", None), "figure_style", "auto")
    if style in ("ascii", "braille"):
        return style == "ascii"
    return bool(getattr(getattr(app, "profile", None), "ascii_figures", False))
