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

``bounds`` (see :func:`stretchtui.core.domain.pose.pose_bounds`) keeps the same
framing for every frame of an animation.
"""

from __future__ import annotations

import math
import re
from html import escape

from ..domain.pose import Disc, Frame, Pose, Scene, Segment, pose_bounds, scene

Bounds = tuple[float, float, float, float]

#: A braille dot is about as wide as it is tall: a cell is 2 dots wide and 4
#: tall, and about twice as tall as it is wide.


def mirrored(sc: Scene, bounds: Bounds) -> tuple[Scene, Bounds]:
    """``sc`` and ``bounds`` flipped left to right (the figure's other side)."""
    segs = tuple(Segment(-g.x1, g.y1, -g.x2, g.y2, g.radius, g.layer, g.halo) for g in sc.segments)
    discs = tuple(Disc(-d.x, d.y, d.radius, d.layer, d.filled) for d in sc.discs)
    x0, y0, x1, y1 = bounds
    return Scene(segs, discs), (-x1, y0, -x0, y1)


def _fit(bounds: Bounds, w: float, h: float, margin: float) -> tuple[float, float, float]:
    """Scale and offsets mapping model units to a w x h pixel space (y down)."""
    x0, y0, x1, y1 = bounds
    bw, bh = max(x1 - x0, 1e-6), max(y1 - y0, 1e-6)
    scale = min((w - 2 * margin) / bw, (h - 2 * margin) / bh)
    ox = (w - bw * scale) / 2 - x0 * scale
    oy = h - margin + y0 * scale  # y flips: py = oy - y * scale; the floor is the bottom row
    return scale, ox, oy


def _capsule_span(x1: float, y1: float, x2: float, y2: float, r: float, y: float) -> tuple[float, float] | None:
    """The x interval where the horizontal line at ``y`` meets the capsule
    (all points within ``r`` of the segment), or ``None``. A capsule is
    convex, so the meeting is one interval: the union of what the two end
    discs and the middle band give."""
    lo, hi = math.inf, -math.inf
    for cx, cy in ((x1, y1), (x2, y2)):
        dy = y - cy
        if dy * dy <= r * r:
            dx = math.sqrt(r * r - dy * dy)
            lo, hi = min(lo, cx - dx), max(hi, cx + dx)
    dx, dy = x2 - x1, y2 - y1
    length2 = dx * dx + dy * dy
    if length2 > 0:
        length = math.sqrt(length2)
        # |cross((p - p1), d)| / L <= r  and  0 <= dot(p - p1, d) <= L^2, linear in x
        a_lo, a_hi = -math.inf, math.inf
        for coef, const, low, high in (
            (-dy / length, dx * (y - y1) / length, -r, r),  # signed distance from the line
            (dx, dy * (y - y1), 0.0, length2),  # position along the segment
        ):
            if abs(coef) < 1e-12:
                if not low <= const <= high:
                    a_lo, a_hi = math.inf, -math.inf
                continue
            u, v = (low - const) / coef, (high - const) / coef
            a_lo, a_hi = max(a_lo, min(u, v)), min(a_hi, max(u, v))
        if a_lo <= a_hi:
            lo, hi = min(lo, x1 + a_lo), max(hi, x1 + a_hi)
    return (lo, hi) if lo <= hi else None


_RANK_LAYER = {"prop": 1, "far": 2, "near": 3}
_KIND = ("", "prop", "far", "figure")


def _raster(sc: Scene, bounds: Bounds, w: int, h: int, min_r: float = 0.0) -> bytearray:
    """Rasterise a scene onto a w x h grid (row-major) of layer ranks:
    0 empty, 1 prop, 2 far limb, 3 figure. The scene lists props, then far
    limbs, then near ones, so each paints over the one before."""
    grid = bytearray(w * h)
    scale, ox, oy = _fit(bounds, w, h, 0.0)
    faces = []
    for s in sc.segments:
        if s.layer == "face":
            faces.append(s)
            continue
        rank = _RANK_LAYER[s.layer]
        x1, y1 = ox + s.x1 * scale, oy - s.y1 * scale
        x2, y2 = ox + s.x2 * scale, oy - s.y2 * scale
        r = max(s.radius * scale, min_r if s.layer != "prop" else 0.5)
        for py in range(max(0, int(min(y1, y2) - r - 1)), min(h, int(max(y1, y2) + r + 2))):
            span = _capsule_span(x1, y1, x2, y2, r, py + 0.5)
            if span is None:
                continue
            a = max(0, math.ceil(span[0] - 0.5))
            b = min(w, math.floor(span[1] - 0.5) + 1)
            if b > a:
                grid[py * w + a: py * w + b] = bytes((rank,)) * (b - a)
    for d in sc.discs:
        rank = _RANK_LAYER[d.layer]
        cx, cy = ox + d.x * scale, oy - d.y * scale
        r = max(d.radius * scale, min_r * 1.6)
        for py in range(max(0, int(cy - r - 1)), min(h, int(cy + r + 2))):
            dy = py + 0.5 - cy
            if dy * dy > r * r:
                continue
            dx = math.sqrt(r * r - dy * dy)
            a = max(0, math.ceil(cx - dx - 0.5))
            b = min(w, math.floor(cx + dx - 0.5) + 1)
            if b > a:
                grid[py * w + a: py * w + b] = bytes((rank,)) * (b - a)
    for s in faces:  # a nose is a gap in the head
        x1, y1 = ox + s.x1 * scale, oy - s.y1 * scale
        x2, y2 = ox + s.x2 * scale, oy - s.y2 * scale
        n = max(1, int(math.hypot(x2 - x1, y2 - y1) * 2))
        for i in range(n + 1):
            px, py = int(x1 + (x2 - x1) * i / n), int(y1 + (y2 - y1) * i / n)
            if 0 <= px < w and 0 <= py < h:
                grid[py * w + px] = 0
    return grid


def braille_rows(pose: Pose, frame: Frame | None, width: int, height: int,
                 bounds: Bounds | None = None, *, mirror: bool = False) -> list[list[tuple[str, str]]]:
    """The figure as ``height`` rows of braille runs ``(text, kind)``
    (``mirror``: flipped left to right, for the other side)."""
    width, height = max(1, width), max(1, height)
    bounds = bounds or pose_bounds(pose)
    sc = scene(pose, frame)
    if mirror:
        sc, bounds = mirrored(sc, bounds)
    w = width * 2
    grid = _raster(sc, bounds, w, height * 4, min_r=0.9)
    rows: list[list[tuple[str, str]]] = []
    for cy in range(height):
        base = cy * 4 * w
        dot_rows = [grid[base + i * w: base + (i + 1) * w] for i in range(4)]
        # The eight dots of every cell of the row at once: each dot is a 0/1
        # byte per cell, weighted by its braille bit; the sums never carry
        # (at most 255), so one big-integer addition does the whole row.
        # ORing ">= rank" masks and adding them gives each cell's top layer.
        bits = any1 = any2 = any3 = 0
        for (dot_row, column), weight in _DOT_WEIGHTS:
            dots = dot_rows[dot_row][column::2]
            inked = int.from_bytes(dots.translate(_AT_LEAST[1]), "big")
            bits += inked * weight
            any1 |= inked
            any2 |= int.from_bytes(dots.translate(_AT_LEAST[2]), "big")
            any3 |= int.from_bytes(dots.translate(_AT_LEAST[3]), "big")
        cells = bits.to_bytes(width, "big")
        kinds = (any1 + any2 + any3).to_bytes(width, "big")  # the top layer's rank, 0-3
        text = "".join(map(_BRAILLE.__getitem__, cells))
        runs: list[tuple[str, str]] = []
        for match in _RUN.finditer(kinds):
            a, b = match.span()
            runs.append((text[a:b], _KIND[kinds[a]]))
        rows.append(runs)
    return rows


#: ((dot row, column), braille bit) of the eight dots of a cell.
_DOT_WEIGHTS = (((0, 0), 1), ((1, 0), 2), ((2, 0), 4), ((0, 1), 8), ((1, 1), 16), ((2, 1), 32),
                ((3, 0), 64), ((3, 1), 128))
#: Byte tables: a layer rank becomes 1 when it is at least the index, else 0.
_AT_LEAST = {rank: bytes(1 if v >= rank else 0 for v in range(256)) for rank in (1, 2, 3)}
#: Cell bit pattern to its character (a blank cell is a space, not an empty braille cell).
_BRAILLE = tuple(" " if b == 0 else chr(0x2800 + b) for b in range(256))
_RUN = re.compile(rb"\x00+|\x01+|\x02+|\x03+")


def braille_text(pose: Pose, frame: Frame | None, width: int, height: int,
                 bounds: Bounds | None = None, *, mirror: bool = False) -> list[str]:
    return ["".join(t for t, _k in row) for row in braille_rows(pose, frame, width, height, bounds, mirror=mirror)]


def _ascii_char(angle: float) -> str:
    a = angle % 180
    if a < 22.5 or a >= 157.5:
        return "-"
    if a < 67.5:
        return "/"
    if a < 112.5:
        return "|"
    return "\\"


def ascii_rows(pose: Pose, frame: Frame | None, width: int, height: int,
               bounds: Bounds | None = None, *, mirror: bool = False) -> list[str]:
    """A plain-ASCII figure for terminals whose font has no braille."""
    width, height = max(1, width), max(1, height)
    bounds = bounds or pose_bounds(pose)
    sc = scene(pose, frame)
    if mirror:
        sc, bounds = mirrored(sc, bounds)
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


def svg(pose: Pose, frame: Frame | None = None, width: int = 240,
        bounds: Bounds | None = None, title: str = "") -> str:
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
