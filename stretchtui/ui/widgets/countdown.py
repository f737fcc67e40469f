"""The player's countdown: big figlet digits and smooth progress bars.

Both widgets are built to repaint as little as possible (measured: a
countdown's CPU cost is its repaints and layout passes, not its timer):

- :class:`BigDigits` renders each glyph (0-9 and ``:``) once per font and
  lays them out in fixed-width cells, so ``19`` and ``11`` take the same
  width (no jitter) and a new number costs a string join. It only repaints
  when the number or font changes, and a new number never asks for a layout
  pass (its height is the font's, its width is the row's).
- :class:`EasedBar` draws with eighth-cell blocks and repaints only when
  the drawn eighths change. A move of up to one cell (a second of a long
  hold) is drawn at once: the eighth-blocks already make it a small step.
  A bigger move (a second of a short step, a skip) glides there in a few
  frames from a short timer that stops when the glide ends. Every frame
  costs about as much as a tick (the compositor and the terminal write
  dominate, not the bar), so frames are spent only where they show.
"""

from __future__ import annotations

from typing import Optional

from rich.text import Text
from textual.reactive import var
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

#: Fonts by terminal size, largest first: (font, minimum width, minimum height).
FONTS: tuple[tuple[str, int, int], ...] = (
    ("colossal", 100, 34),
    ("big", 0, 0),
)

_GLYPHS = "0123456789:"

#: A bar moving by more than this many eighths of a cell glides there ...
GLIDE_MIN_EIGHTHS = 8
#: ... in this many frames (the first at once) ...
GLIDE_FRAMES = 3
#: ... spread over this many seconds; a jump of more than :data:`BIG_JUMP`
#: of the bar gets one more frame and half as long again.
GLIDE_SECONDS = 0.2
BIG_JUMP = 0.15


def pick_font(width: int, height: int) -> str:
    """The largest digits font that suits a ``width`` x ``height`` terminal."""
    for font, min_width, min_height in FONTS:
        if width >= min_width and height >= min_height:
            return font
    return FONTS[-1][0]


def format_seconds(seconds: int) -> str:
    """``45`` → ``"45"``, ``80`` → ``"1:20"``, ``3725`` → ``"62:05"``."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return str(seconds)
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02d}"


class GlyphSet:
    """The figlet glyphs of one font, rendered once, padded to a common height."""

    _cache: dict[str, "GlyphSet"] = {}

    def __init__(self, font: str) -> None:
        import pyfiglet

        figlet = pyfiglet.Figlet(font=font, width=200)
        raw = {ch: figlet.renderText(ch).split("\n") for ch in _GLYPHS}
        # Drop blank rows shared by every glyph (figlet pads below the baseline).
        height = max(len(lines) for lines in raw.values())
        rows = [[(lines[i] if i < len(lines) else "") for i in range(height)] for lines in raw.values()]
        keep = [i for i in range(height) if any(r[i].strip() for r in rows)]
        top, bottom = (keep[0], keep[-1]) if keep else (0, 0)
        self.font = font
        self.height = bottom - top + 1
        self.glyphs: dict[str, list[str]] = {}
        digit_width = 0
        for ch, lines in raw.items():
            lines = [(lines[i] if i < len(lines) else "").rstrip() for i in range(top, bottom + 1)]
            width = max((len(line) for line in lines), default=0)
            self.glyphs[ch] = [line.ljust(width) for line in lines]
            if ch != ":":
                digit_width = max(digit_width, width)
        # Digits share one cell width (tabular figures); the colon keeps its own.
        for ch in "0123456789":
            lines = self.glyphs[ch]
            width = len(lines[0]) if lines else 0
            left = (digit_width - width) // 2
            self.glyphs[ch] = [(" " * left + line).ljust(digit_width) for line in lines]
        self.digit_width = digit_width

    @classmethod
    def get(cls, font: str) -> "GlyphSet":
        glyphs = cls._cache.get(font)
        if glyphs is None:
            glyphs = cls._cache[font] = GlyphSet(font)
        return glyphs

    def render(self, text: str) -> str:
        """``text`` (digits and colons) as big multi-line text."""
        rows = []
        for i in range(self.height):
            rows.append(" ".join(self.glyphs[ch][i] for ch in text if ch in self.glyphs).rstrip())
        return "\n".join(rows)

    def width_of(self, text: str) -> int:
        return sum(len(self.glyphs[ch][0]) for ch in text if ch in self.glyphs) + max(0, len(text) - 1)


class BigDigits(Static):
    """Seconds left, in big figlet digits that do not jitter."""

    DEFAULT_CSS = """
    BigDigits {
        width: 1fr;
        height: auto;
        content-align: center middle;
        text-align: center;
        color: $text;
        text-style: bold;
    }
    BigDigits.-final {
        color: $warning;
    }
    BigDigits.-paused {
        color: $text-muted;
        text-style: none;
    }
    """

    def __init__(self, font: str = "big", **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self._font = font
        self._glyphs = GlyphSet.get(font)
        self._shown: Optional[tuple[str, str]] = None
        self.seconds = 0

    @property
    def font(self) -> str:
        return self._font

    @property
    def text(self) -> str:
        """The number shown, as plain digits (``"1:20"``)."""
        return format_seconds(self.seconds)

    def set_font(self, font: str) -> None:
        if font != self._font:
            self._font = font
            self._glyphs = GlyphSet.get(font)
            self._shown = None
            self.set_seconds(self.seconds)

    def set_seconds(self, seconds: int) -> bool:
        """Show ``seconds``; returns True when the widget had to repaint."""
        self.seconds = int(seconds)
        text = format_seconds(self.seconds)
        # Pad to the width of the widest number with as many characters, so
        # the block stays put while it counts down.
        key = (self._font, text)
        if key == self._shown:
            return False
        relayout = self._shown is None or self._shown[0] != self._font
        self._shown = key
        block = self._glyphs.render(text)
        width = self._glyphs.width_of(text)
        lines = [line.ljust(width) for line in block.split("\n")]
        # Same font, same number of lines, width set by the row: no layout pass
        # is needed for a new number (only the first paint and a font change).
        self.update("\n".join(lines), layout=relayout)
        return True


class EasedBar(Widget):
    """A one-line progress bar with eighth-cell resolution that glides to new values."""

    DEFAULT_CSS = """
    EasedBar {
        width: 1fr;
        height: 1;
        color: $accent;
        background: $boost;
    }
    """

    _BLOCKS = " ▏▎▍▌▋▊▉█"

    #: The fraction drawn now (moves towards :attr:`target` during a glide).
    value: var[float] = var(0.0, init=False)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.target = 0.0
        self._drawn: Optional[tuple[int, int]] = None
        self._glide: Optional[tuple[float, float, int]] = None  # start, end, frames
        self._glide_frame = 0
        self._glide_timer: Optional[Timer] = None

    def set_fraction(self, fraction: float, *, ease: bool = True) -> None:
        """Move the bar to ``fraction`` (0..1); it glides there when ``ease`` and the move is visible."""
        fraction = min(1.0, max(0.0, float(fraction)))
        if abs(fraction - self.target) < 1e-6:
            return
        self.target = fraction
        width = self.size.width
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

    @property
    def gliding(self) -> bool:
        return self._glide is not None

    def _next_frame(self) -> None:
        glide = self._glide
        if glide is None:
            return
        start, end, frames = glide
        self._glide_frame += 1
        t = min(1.0, self._glide_frame / frames)
        eased = t * t * (3 - 2 * t)  # smoothstep: starts and ends gently
        self.value = start + (end - start) * eased
        if t >= 1.0:
            self._stop_glide()

    def _stop_glide(self) -> None:
        if self._glide_timer is not None:
            self._glide_timer.stop()
            self._glide_timer = None
        self._glide = None

    def watch_value(self, value: float) -> None:
        width = self.size.width
        eighths = round(value * width * 8)
        if (width, eighths) != self._drawn:
            self.refresh()

    def render(self) -> Text:
        width = self.size.width
        eighths = max(0, min(width * 8, round(self.value * width * 8)))
        self._drawn = (width, eighths)
        full, part = divmod(eighths, 8)
        bar = "█" * full
        if full < width:
            bar += self._BLOCKS[part]
        return Text(bar.ljust(width))
