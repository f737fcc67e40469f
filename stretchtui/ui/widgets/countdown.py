"""The player's countdown: big digits drawn by pyfiglet, and smooth progress bars.

Both widgets are built to repaint as little as possible (measured: a
countdown's CPU cost is its repaints and layout passes, not its timer):

- :class:`BigDigits` draws the seconds left in a figlet font (the
  ``countdown_font`` of the config file, default :data:`DEFAULT_FONT`, a
  solid block font), scaled by whole cells to fill the space it is given.
  A font drawn only in full blocks (``█``) is a bitmap, so it is scaled by
  half rows too (``█ ▀ ▄``): the digits grow in finer steps and stay
  solid. Any other font (``banner3``'s ``#``, ``big``'s line art) keeps its
  own characters, each repeated over whole cells. Digits share one width
  (``1`` is as wide as ``8``), so the block does not jitter; its size is
  fixed for a step (the step's widest number) and follows the terminal. A
  font too big for the space falls back to the default font. It repaints
  only the cells that change when the number changes and never asks for a
  layout pass. One :class:`~pyfiglet.Figlet` per font is made (1-5 ms
  each) and every drawing is cached per (text, font, scale).
- :class:`EasedBar` draws with eighth-cell blocks and repaints only when
  the drawn eighths change. A move of up to one cell (a second of a long
  hold) is drawn at once: the eighth-blocks already make it a small step.
  A bigger move (a second of a short step, a skip) glides there in a few
  frames from a short timer that stops when the glide ends. Every frame
  costs about as much as a tick (the compositor and the terminal write
  dominate, not the bar), so frames are spent only where they show.

Colour: the digits take the phase's colour from the screen's CSS. Under
``NO_COLOR`` (colours gone) the paused digits of a solid font are drawn in a
shade (``▒``) instead of a muted colour, so a pause still shows in the
digits themselves; the phase is also written in words next to them.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from rich.segment import Segment
from rich.text import Text
from textual.geometry import Region
from textual.reactive import var
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from ...core.storage.config import DEFAULT_COUNTDOWN_FONT

#: The font used when the config names none (and when the chosen one does not fit).
DEFAULT_FONT = DEFAULT_COUNTDOWN_FONT
#: The characters a countdown shows.
CHARS = "0123456789:"
#: Runs of blanks and of ink in a row of digits.
_RUNS = re.compile(r" +|[^ ]+")
#: Largest horizontal scale (columns per font column).
MAX_SCALE = 12
#: A solid font's rows may be stretched to this many half rows per column of
#: horizontal scale (2 keeps the font's own shape; 3 makes it half as tall again,
#: like a bedside clock's digits, and fills a tall space).
MAX_STRETCH = 3
#: The ink of a solid font, and its shade under NO_COLOR while paused.
SOLID, SHADE = "█", "▒"

#: A bar moving by more than this many eighths of a cell glides there ...
GLIDE_MIN_EIGHTHS = 8
#: ... in this many frames (the first at once) ...
GLIDE_FRAMES = 3
#: ... spread over this many seconds; a jump of more than :data:`BIG_JUMP`
#: of the bar gets one more frame and half as long again.
GLIDE_SECONDS = 0.2
BIG_JUMP = 0.15


def format_seconds(seconds: int) -> str:
    """``45`` → ``"45"``, ``80`` → ``"1:20"``, ``3725`` → ``"62:05"``."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return str(seconds)
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02d}"


class DigitFont:
    """A figlet font's digits and colon, trimmed to their ink, digits of one width.

    Made once per font name (:func:`digit_font`): the :class:`~pyfiglet.Figlet`
    object is created here and each glyph rendered once.
    """

    def __init__(self, name: str) -> None:
        from pyfiglet import Figlet  # the countdown's only user: not imported at start-up

        figlet = Figlet(font=name, width=10_000)
        raw = {ch: figlet.renderText(ch).rstrip("\n").split("\n") for ch in CHARS}
        blank = [ch for ch in "0123456789" if not "".join(raw[ch]).strip()]
        if blank:
            raise ValueError(f"countdown_font {name!r} has no digits ({''.join(blank)} come out blank): choose another font")
        height = max(len(rows) for rows in raw.values())
        grid = {ch: [row.ljust(max(map(len, rows))) for row in rows] + [""] * (height - len(rows))
                for ch, rows in raw.items()}
        # Rows blank in every glyph (figlet's descender rows) go, top and bottom.
        inked = [y for y in range(height) if any(grid[ch][y].strip() for ch in CHARS)]
        top, bottom = (inked[0], inked[-1] + 1) if inked else (0, height)
        glyphs: dict[str, list[str]] = {}
        for ch, rows in grid.items():
            rows = rows[top:bottom]
            ink = [x for row in rows for x, c in enumerate(row) if c != " "]
            left, right = (min(ink), max(ink) + 1) if ink else (0, 0)
            glyphs[ch] = [row.ljust(right)[left:right] for row in rows]
        digit_width = max(len(glyphs[d][0]) if glyphs[d] else 0 for d in "0123456789")
        for d in "0123456789":  # tabular digits: each centred in the widest digit's width
            glyphs[d] = [row.center(digit_width) for row in glyphs[d]]
        self.name = name
        self.height = bottom - top
        self.glyphs = glyphs
        #: True when the font draws in full blocks only: scaled by half rows, drawn with █ ▀ ▄.
        self.solid = {c for rows in glyphs.values() for row in rows for c in row} <= {" ", SOLID}

    def width(self, text: str) -> int:
        """Columns of ``text`` at scale 1: glyphs and a one-column gap between them."""
        chars = [ch for ch in text if ch in self.glyphs]
        return sum(len(self.glyphs[ch][0]) if self.glyphs[ch] else 0 for ch in chars) + max(0, len(chars) - 1)

    def rows(self, text: str) -> list[str]:
        """``text`` at scale 1, one string per font row."""
        chars = [ch for ch in text if ch in self.glyphs]
        return [" ".join(self.glyphs[ch][y] for ch in chars) for y in range(self.height)]


@functools.cache
def digit_font(name: str) -> DigitFont:
    """The :class:`DigitFont` of ``name`` (made once per font; raises pyfiglet's FontNotFound)."""
    return DigitFont(name)


class Scale(NamedTuple):
    """How a countdown is drawn: the font, columns per font column, half rows per font row."""

    font: str
    columns: int
    halves: int


def fit_scale(text: str, width: int, height: int, font: str = DEFAULT_FONT) -> Scale:
    """The largest scale at which ``text`` fits ``width`` columns by ``height`` rows.

    Whole cells: each font column becomes ``columns`` columns; each font
    row ``halves`` half rows (a solid font, drawn with half blocks) or
    ``halves / 2`` whole rows (any other font). A font too big for the
    space falls back to :data:`DEFAULT_FONT`; if even that does not fit, the
    smallest scale of it (cropped by the widget).
    """
    for name in dict.fromkeys((font, DEFAULT_FONT)):
        found = _fit(digit_font(name), text, width, height)
        if found is not None:
            return found
    return Scale(DEFAULT_FONT, 1, 1 if digit_font(DEFAULT_FONT).solid else 2)


def _fit(font: DigitFont, text: str, width: int, height: int) -> Scale | None:
    by_width = width // max(1, font.width(text))
    if font.solid:
        by_height = (2 * height) // max(1, font.height)
    else:
        by_height = 2 * (height // max(1, font.height))
    if by_width < 1 or by_height < (1 if font.solid else 2):
        return None
    # Columns: as many as the width allows, but no wider than the height keeps in shape.
    columns = min(MAX_SCALE, by_width, max(1, -(-by_height // 2)))
    halves = min(by_height, MAX_STRETCH * columns)
    if not font.solid:
        halves -= halves % 2
    return Scale(font.name, columns, max(halves, 1 if font.solid else 2))


@functools.lru_cache(maxsize=512)
def render_big(text: str, scale: Scale) -> tuple[str, ...]:
    """``text`` (digits and colons) drawn at ``scale``: one string per terminal row (cached)."""
    font = digit_font(scale.font)
    rows = ["".join(c * scale.columns for c in row) for row in font.rows(text)]
    if not font.solid:
        return tuple(row for row in rows for _ in range(scale.halves // 2))
    halves = [row for row in rows for _ in range(scale.halves)]
    if len(halves) % 2:
        halves.append(" " * len(halves[0]) if halves else "")
    out = []
    for top, bottom in zip(halves[0::2], halves[1::2], strict=False):
        out.append("".join(
            SOLID if a != " " and b != " " else "▀" if a != " " else "▄" if b != " " else " "
            for a, b in zip(top, bottom, strict=False)
        ))
    return tuple(out)


def pixel_width(text: str, font: str = DEFAULT_FONT) -> int:
    """Columns of ``text`` in ``font`` at scale 1 (glyphs plus a one-column gap between them)."""
    return digit_font(font).width(text)


class BigDigits(Widget):
    """Seconds left in big figlet digits that fill the space they are given.

    The size is chosen for the widest number of the step (``set_seconds(...,
    widest=...)``), so the digits do not change size while a step counts
    down, and grows with the terminal. The font is ``font`` if given, else
    the app's ``settings.countdown_font``, else :data:`DEFAULT_FONT`. The
    colour comes from the screen's phase class (CSS); nothing depends on
    colour alone: the phase is also written in words next to the digits. A
    new number repaints only the cells that change and never asks for a
    layout pass.
    """

    DEFAULT_CSS = """
    BigDigits {
        width: 1fr;
        height: 1fr;
        min-height: 3;
        color: $text;
    }
    BigDigits.-final {
        color: $text-warning;
    }
    BigDigits.-paused {
        color: $text-muted;
    }
    """

    def __init__(self, *, font: str | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.seconds = 0
        self.widest = "0"
        self._font = font
        self._cache: tuple[tuple, tuple[str, ...]] = ((), ())
        self._strips: tuple[tuple, list[Strip]] = ((), [])

    @property
    def font(self) -> str:
        """The figlet font asked for (the config's ``countdown_font``, else the default)."""
        if self._font is None:
            settings = getattr(self.app, "settings", None) if self.is_attached else None
            self._font = getattr(settings, "countdown_font", None) or DEFAULT_FONT
            try:
                digit_font(self._font)
            except Exception as exc:  # a font without digits, a file that does not parse: the default, never a crash
                message = str(exc) if isinstance(exc, ValueError) else f"countdown_font {self._font!r} cannot be loaded ({exc})"
                self.app.notify(f"{message}; using {DEFAULT_FONT}", markup=False, severity="warning")
                self._font = DEFAULT_FONT
        return self._font

    @property
    def text(self) -> str:
        """The number shown, as plain digits (``"1:20"``)."""
        return format_seconds(self.seconds)

    @property
    def scale(self) -> Scale:
        """The font and scale the digits are drawn at now (for the widest number of the step)."""
        size = self.size
        return fit_scale(self.widest, size.width, size.height, self.font)

    @property
    def shaded(self) -> bool:
        """Paused under NO_COLOR: a solid font's ink is drawn as a shade, not in a muted colour."""
        return self.has_class("-paused") and bool(getattr(self.app, "no_color", False))

    def set_seconds(self, seconds: int, widest: str | None = None) -> bool:
        """Show ``seconds`` (sized for ``widest``); returns True when the widget had to repaint."""
        seconds = int(seconds)
        widest = widest if widest is not None else self.widest
        if seconds == self.seconds and widest == self.widest and self._cache[0]:
            return False
        before = self._cache[1] if self._cache[0] else None
        self.seconds, self.widest = seconds, widest
        if before is None or not self.is_mounted:
            self.refresh()
            return True
        # Repaint only the cells that change (19 → 18 changes one digit, not
        # both): less to compose and less written to the terminal.
        after = self.lines()
        width, height = self.size
        if len(after) != len(before) or not after or len(after[0]) != len(before[0]):
            self.refresh()
            return True
        top = max(0, (height - len(after)) // 2)
        left = max(0, (width - len(after[0])) // 2)
        for y, (a, b) in enumerate(zip(before, after, strict=False)):
            if a == b:
                continue
            first = next(i for i, (x, z) in enumerate(zip(a, b, strict=False)) if x != z)
            last = next(i for i in range(len(b) - 1, -1, -1) if a[i] != b[i])
            self.refresh(Region(left + first, top + y, last - first + 1, 1))
        return True

    def lines(self) -> tuple[str, ...]:
        """The rows drawn now (cached per number, font, scale and widest number)."""
        scale = self.scale
        key = (self.text, scale, self.widest)
        if self._cache[0] != key:
            rows = render_big(self.text, scale)
            # Pad to the widest number's width, so the block stays put while it counts down.
            font = digit_font(scale.font)
            width = max(font.width(self.widest), font.width(self.text)) * scale.columns
            self._cache = (key, tuple(row.center(width) for row in rows))
        return self._cache[1]

    def render_lines(self, crop):
        # Work out the strips once per frame (the style lookup is the costly part), not once per row.
        size = self.size
        style = self.rich_style
        lines = self.lines()
        shaded = self.shaded
        key = (id(lines), size.width, size.height, style, shaded)
        if self._strips[0] != key:
            if shaded:
                lines = tuple(line.replace(SOLID, SHADE) for line in lines)
            self._strips = (key, self._build_strips(lines, size.width, size.height, style))
        return super().render_lines(crop)

    @staticmethod
    def _build_strips(lines: tuple[str, ...], width: int, height: int, style) -> list[Strip]:
        top = max(0, (height - len(lines)) // 2)
        blank = Strip.blank(width, style)
        strips = [blank] * height
        for index, line in enumerate(lines[: max(0, height - top)]):
            if len(line) > width:  # too wide even at the smallest scale: keep the middle
                cut = (len(line) - width) // 2
                line = line[cut: cut + width]
            left = (width - len(line)) // 2
            text = " " * left + line + " " * (width - left - len(line))
            # One segment per run of blanks or ink: exports (SVG) place each run at its column.
            strips[top + index] = Strip([Segment(run.group(), style) for run in _RUNS.finditer(text)], width)
        return strips

    def render_line(self, y: int) -> Strip:
        """Row ``y``: the digits centred in the widget (the line API: no text parsing, no wrapping)."""
        strips = self._strips[1]
        if not 0 <= y < len(strips):
            return Strip.blank(self.size.width, self.rich_style)
        return strips[y]


class EasedBar(Widget):
    """A one-line progress bar with eighth-cell resolution that glides to new values.

    It can carry its own ``label`` (left, :data:`LABEL_WIDTH` cells) and a
    ``suffix`` (right, :data:`SUFFIX_WIDTH` cells), so a whole "Step ████
    0:07 / 0:20" row is one widget: a tick then repaints one widget per row
    instead of a row of three (the player's CPU per second is mostly per
    widget repainted).
    """

    DEFAULT_CSS = """
    EasedBar {
        width: 1fr;
        height: 1;
        color: $accent;
    }
    EasedBar > .eased-bar--track {
        background: $boost;
    }
    EasedBar > .eased-bar--text {
        color: $text-muted;
    }
    """

    COMPONENT_CLASSES = {"eased-bar--track", "eased-bar--text"}
    LABEL_WIDTH = 9
    SUFFIX_WIDTH = 14

    _BLOCKS = " ▏▎▍▌▋▊▉█"

    #: The fraction drawn now (moves towards :attr:`target` during a glide).
    value: var[float] = var(0.0, init=False)

    def __init__(self, label: str = "", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.label = label
        self.suffix = ""
        self.target = 0.0
        self._drawn: tuple[int, int] | None = None
        self._glide: tuple[float, float, int] | None = None  # start, end, frames
        self._glide_frame = 0
        self._glide_timer: Timer | None = None
        self._strip: tuple[tuple, Strip] = ((), Strip([]))

    def set_fraction(self, fraction: float, *, ease: bool = True) -> None:
        """Move the bar to ``fraction`` (0..1); it glides there when ``ease`` and the move is visible."""
        fraction = min(1.0, max(0.0, float(fraction)))
        if abs(fraction - self.target) < 1e-6:
            return
        self.target = fraction
        width = self.bar_width
        eighths = abs(round(fraction * width * 8) - round(self.value * width * 8))
        self._stop_glide()
        if eighths <= GLIDE_MIN_EIGHTHS or not (self.is_mounted and ease and self.app.animation_level != "none"):
            self.value = fraction
            return
        big = abs(fraction - self.value) > BIG_JUMP
        frames = GLIDE_FRAMES + big
        duration = GLIDE_SECONDS * (1.5 if big else 1.0)
        self._glide = (self.value, fraction, frames)
        self._glide_frame = 0
        self._next_frame()  # the first frame now, in step with the digits
        self._glide_timer = self.set_interval(duration / (frames - 1), self._next_frame)

    def finish(self) -> None:
        """End a glide now, at its target (a picture taken mid-glide shows where the bar goes)."""
        self._stop_glide()
        self.value = self.target

    @property
    def gliding(self) -> bool:
        return self._glide is not None

    def _next_frame(self) -> None:
        glide = self._glide
        if glide is None:
            return
        start, end, frames = glide
        self._glide_frame += 1
        # Animations switched off meanwhile: straight to the end of the glide.
        t = 1.0 if self.app.animation_level == "none" else min(1.0, self._glide_frame / frames)
        eased = t * t * (3 - 2 * t)  # smoothstep: starts and ends gently
        self.value = start + (end - start) * eased
        if t >= 1.0:
            self._stop_glide()

    def _stop_glide(self) -> None:
        if self._glide_timer is not None:
            self._glide_timer.stop()
            self._glide_timer = None
        self._glide = None

    @property
    def bar_width(self) -> int:
        """Cells of the bar itself (the widget less its label and suffix)."""
        width = self.size.width
        if self.label:
            width -= self.LABEL_WIDTH
        if self.suffix:
            width -= self.SUFFIX_WIDTH
        return max(0, width)

    def set_suffix(self, text: str) -> None:
        """The text right of the bar ("0:07 / 0:20"); repaints only when it changes."""
        if text != self.suffix:
            self.suffix = text
            self._drawn = None
            self.refresh()

    def watch_value(self, value: float) -> None:
        width = self.bar_width
        eighths = round(value * width * 8)
        if (width, eighths) != self._drawn:
            self.refresh()

    def render_line(self, y: int) -> Strip:
        """The bar row as styled segments (the line API: a glide frame parses no text)."""
        width = self.size.width
        base = self.rich_style
        if y != 0:
            return Strip.blank(width, base)
        bar_width = self.bar_width
        eighths = max(0, min(bar_width * 8, round(self.value * bar_width * 8)))
        self._drawn = (bar_width, eighths)
        key = (width, bar_width, eighths, self.label, self.suffix, base)
        if self._strip[0] == key:
            return self._strip[1]
        full, part = divmod(eighths, 8)
        bar = "█" * full
        if full < bar_width:
            bar += self._BLOCKS[part]
        track = base + self.get_component_rich_style("eased-bar--track")
        text_style = base + self.get_component_rich_style("eased-bar--text")
        segments = []
        if self.label:
            segments.append(Segment(self.label[: self.LABEL_WIDTH].ljust(self.LABEL_WIDTH), text_style))
        segments.append(Segment(bar.ljust(bar_width), track))
        if self.suffix:
            segments.append(Segment(" " + self.suffix[: self.SUFFIX_WIDTH - 1].ljust(self.SUFFIX_WIDTH - 1), text_style))
        strip = Strip(segments).crop_extend(0, width, base)
        self._strip = (key, strip)
        return strip

    def render(self) -> Text:
        """The bar as text (what :meth:`render_line` draws; for tests and exports)."""
        width = self.bar_width
        eighths = max(0, min(width * 8, round(self.value * width * 8)))
        full, part = divmod(eighths, 8)
        bar = "█" * full
        if full < width:
            bar += self._BLOCKS[part]
        out = Text(no_wrap=True, overflow="crop")
        if self.label:
            out.append(self.label[: self.LABEL_WIDTH].ljust(self.LABEL_WIDTH))
        out.append(bar.ljust(width))
        if self.suffix:
            out.append(" " + self.suffix[: self.SUFFIX_WIDTH - 1].ljust(self.SUFFIX_WIDTH - 1))
        return out
