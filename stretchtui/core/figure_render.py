"""Drawing a pose: Unicode braille for the terminal, SVG for paper and the
web, and plain ASCII for fonts without braille.

INTERFACE:

- ``braille_rows(pose, frame, width, height, bounds=None) -> list[list[(text, kind)]]``:
  ``height`` rows of at most ``width`` cells; each row is a list of runs whose
  ``kind`` is "figure", "far" (the far-side limbs), "prop" or "" (blank), so
  the widget colours them from the theme. 2x4 dots a cell; the figure is
  scaled to fill the space and centred.
- ``braille_text(...) -> list[str]``: the same rows without kinds.
- ``ascii_rows(pose, frame, width, height, bounds=None) -> list[str]``.
- ``svg(pose, frame, width=240, bounds=None, title="") -> str``: one ``<svg>``
  element, no external reference, safe to inline in HTML.

``bounds`` (see :func:`stretchtui.core.pose.pose_bounds`) keeps the same
framing for every frame of an animation.
"""

from __future__ import annotations

import math
from html import escape
from typing import Optional

from .pose import Frame, Pose, Scene, pose_bounds, scene

Bounds = tuple[float, float, float, float]

_BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # [row][col]
#: A braille dot is about as wide as it is tall: a cell is 2 dots wide and 4
#: tall, and about twice as tall as it is wide.
_LAYER_RANK = {"": 0, "prop": 1, "far": 2, "figure": 3}


def _fit(bounds: Bounds, w: float, h: float, margin: float) -> tuple[float, float, float]:
    """Scale and offsets mapping model units to a w x h pixel space (y down)."""
    x0, y0, x1, y1 = bounds
    bw, bh = max(x1 - x0, 1e-6), max(y1 - y0, 1e-6)
    scale = min((w - 2 * margin) / bw, (h - 2 * margin) / bh)
    ox = (w - bw * scale) / 2 - x0 * scale
    oy = h - margin + y0 * scale  # y flips: py = oy - y * scale; the floor is the bottom row
    return scale, ox, oy


def _raster(sc: Scene, bounds: Bounds, w: int, h: int, min_r: float = 0.0) -> list[list[str]]:
    """Rasterise a scene onto a w x h grid of layer names ("" = empty)."""
    grid = [[""] * w for _ in range(h)]
    scale, ox, oy = _fit(bounds, w, h, 0.0)

    def paint(px: int, py: int, layer: str) -> None:
        if 0 <= px < w and 0 <= py < h and _LAYER_RANK[layer] >= _LAYER_RANK[grid[py][px]]:
            grid[py][px] = layer

    faces = [s for s in sc.segments if s.layer == "face"]
    for s in sc.segments:
        if s.layer == "face":
            continue
        layer = "figure" if s.layer == "near" else s.layer
        x1, y1 = ox + s.x1 * scale, oy - s.y1 * scale
        x2, y2 = ox + s.x2 * scale, oy - s.y2 * scale
        r = max(s.radius * scale, min_r if s.layer != "prop" else 0.5)
        dx, dy = x2 - x1, y2 - y1
        length2 = dx * dx + dy * dy
        for py in range(max(0, int(min(y1, y2) - r - 1)), min(h, int(max(y1, y2) + r + 2))):
            for px in range(max(0, int(min(x1, x2) - r - 1)), min(w, int(max(x1, x2) + r + 2))):
                cx, cy = px + 0.5, py + 0.5
                t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((cx - x1) * dx + (cy - y1) * dy) / length2))
                qx, qy = x1 + t * dx - cx, y1 + t * dy - cy
                if qx * qx + qy * qy <= r * r:
                    paint(px, py, layer)
    for d in sc.discs:
        cx, cy = ox + d.x * scale, oy - d.y * scale
        r = max(d.radius * scale, min_r * 1.6)
        for py in range(max(0, int(cy - r - 1)), min(h, int(cy + r + 2))):
            for px in range(max(0, int(cx - r - 1)), min(w, int(cx + r + 2))):
                if (px + 0.5 - cx) ** 2 + (py + 0.5 - cy) ** 2 <= r * r:
                    paint(px, py, "figure" if d.layer == "near" else d.layer)
    for s in faces:  # a nose is a gap in the head
        x1, y1 = ox + s.x1 * scale, oy - s.y1 * scale
        x2, y2 = ox + s.x2 * scale, oy - s.y2 * scale
        n = max(1, int(math.hypot(x2 - x1, y2 - y1) * 2))
        for i in range(n + 1):
            px, py = int(x1 + (x2 - x1) * i / n), int(y1 + (y2 - y1) * i / n)
            if 0 <= px < w and 0 <= py < h:
                grid[py][px] = ""
    return grid


def braille_rows(pose: Pose, frame: Optional[Frame], width: int, height: int,
                 bounds: Optional[Bounds] = None) -> list[list[tuple[str, str]]]:
    """The figure as ``height`` rows of braille runs ``(text, kind)``."""
    width, height = max(1, width), max(1, height)
    bounds = bounds or pose_bounds(pose)
    sc = scene(pose, frame)
    # Fit in dots, then trim to the cells actually used horizontally.
    grid = _raster(sc, bounds, width * 2, height * 4, min_r=0.9)
    rows: list[list[tuple[str, str]]] = []
    for cy in range(height):
        runs: list[tuple[str, str]] = []
        for cx in range(width):
            bits = 0
            kind = ""
            for r in range(4):
                for c in range(2):
                    layer = grid[cy * 4 + r][cx * 2 + c]
                    if layer:
                        bits |= _BRAILLE_BITS[r][c]
                        if _LAYER_RANK[layer] > _LAYER_RANK[kind]:
                            kind = layer
            ch = chr(0x2800 + bits) if bits else " "
            if runs and runs[-1][1] == kind:
                runs[-1] = (runs[-1][0] + ch, kind)
            else:
                runs.append((ch, kind))
        rows.append(runs)
    return rows


def braille_text(pose: Pose, frame: Optional[Frame], width: int, height: int,
                 bounds: Optional[Bounds] = None) -> list[str]:
    return ["".join(t for t, _k in row) for row in braille_rows(pose, frame, width, height, bounds)]


def _ascii_char(angle: float) -> str:
    a = angle % 180
    if a < 22.5 or a >= 157.5:
        return "-"
    if a < 67.5:
        return "/"
    if a < 112.5:
        return "|"
    return "\\"


def ascii_rows(pose: Pose, frame: Optional[Frame], width: int, height: int,
               bounds: Optional[Bounds] = None) -> list[str]:
    """A plain-ASCII figure for terminals whose font has no braille."""
    width, height = max(1, width), max(1, height)
    bounds = bounds or pose_bounds(pose)
    sc = scene(pose, frame)
    # A cell is about twice as tall as wide: fit in half-height units.
    scale, ox, oy = _fit(bounds, width, height * 2, 0.0)
    grid = [[" "] * width for _ in range(height)]
    rank = [[0] * width for _ in range(height)]

    def put(x: float, y: float, ch: str, r: int) -> None:
        col, row = int(x), int(y / 2)
        if 0 <= col < width and 0 <= row < height and r >= rank[row][col]:
            grid[row][col] = ch
            rank[row][col] = r

    for s in sc.segments:
        if s.layer == "face":
            continue
        x1, y1 = ox + s.x1 * scale, oy - s.y1 * scale
        x2, y2 = ox + s.x2 * scale, oy - s.y2 * scale
        if s.layer == "prop":
            ch = "=" if abs(y1 - y2) < 0.5 else _ascii_char(math.degrees(math.atan2(y1 - y2, x2 - x1)))
            r = 1
        else:
            if math.hypot(x2 - x1, y2 - y1) < 0.8:
                continue  # the nose and tiny bones are noise at this size
            ch = _ascii_char(math.degrees(math.atan2(y1 - y2, x2 - x1)))
            r = 2 if s.layer == "far" else 3
        n = max(1, int(max(abs(x2 - x1), abs(y2 - y1) / 2) * 2))
        for i in range(n + 1):
            t = i / n
            put(x1 + (x2 - x1) * t, y1 + (y2 - y1) * t, ch, r)
    for d in sc.discs:
        put(ox + d.x * scale, oy - d.y * scale, "O", 4)
    return ["".join(row).rstrip() for row in grid]


_SVG_COLOURS = {"near": "#1d3557", "far": "#7d8ca3", "prop": "#a8a29e", "face": "#ffffff"}


def svg(pose: Pose, frame: Optional[Frame] = None, width: int = 240,
        bounds: Optional[Bounds] = None, title: str = "") -> str:
    """The figure as a standalone ``<svg>`` element (inline-safe)."""
    bounds = bounds or pose_bounds(pose)
    x0, y0, x1, y1 = bounds
    pad = 0.03
    vb_w, vb_h = (x1 - x0) + 2 * pad, (y1 - y0) + 2 * pad
    height = max(1, round(width * vb_h / vb_w))
    sc = scene(pose, frame)

    def fx(v: float) -> str:
        return f"{v:.3f}"

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="{fx(x0 - pad)} {fx(-y1 - pad)} {fx(vb_w)} {fx(vb_h)}" role="img">'
    ]
    if title:
        out.append(f"<title>{escape(title)}</title>")
    def line(s) -> str:
        return (f'<line x1="{fx(s.x1)}" y1="{fx(-s.y1)}" x2="{fx(s.x2)}" y2="{fx(-s.y2)}" '
                f'stroke="{_SVG_COLOURS[s.layer]}" stroke-width="{fx(2 * s.radius)}" stroke-linecap="round"/>')

    for s in sc.segments:
        if s.layer == "face":
            continue
        if s.halo:  # a white edge so the near arm shows where it crosses the trunk
            out.append(f'<line x1="{fx(s.x1)}" y1="{fx(-s.y1)}" x2="{fx(s.x2)}" y2="{fx(-s.y2)}" '
                       f'stroke="#ffffff" stroke-width="{fx(2 * s.radius + 0.014)}" stroke-linecap="round"/>')
        out.append(line(s))
    for d in sc.discs:
        out.append(f'<circle cx="{fx(d.x)}" cy="{fx(-d.y)}" r="{fx(d.radius)}" fill="{_SVG_COLOURS[d.layer]}"/>')
    out += [line(s) for s in sc.segments if s.layer == "face"]
    out.append("</svg>")
    return "".join(out)
