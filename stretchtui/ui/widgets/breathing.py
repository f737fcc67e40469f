"""The breathing cue under a moving figure: "breathe in · arch" and a bar
that fills while breathing in and empties while breathing out, paced by the
figure itself (it is redrawn only in the figure's own frames, so it costs
no screen update of its own).

- ``BreathCue``: one row; ``set_breathing(breathing)`` (a catalog
  :class:`~stretchtui.core.domain.models.Breathing`, or ``None`` to hide it) and
  ``follow(t, to_end)``: the figure is at ``t`` along its path (0 = start,
  1 = end), moving toward the end or back. ``shown``: a cue is on the row.
- ``FigureWithBreath``: a :class:`FigureView` with a ``BreathCue`` under it,
  both driven by ``play_step`` (the player's figure).

The words carry the meaning and the bar has visible ends (``▕ ▏``), so the
cue reads the same with ``NO_COLOR`` or a monochrome theme.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.strip import Strip
from textual.widget import Widget

from ...core.domain.models import Breathing
from ...core.domain.pose import Pose
from .figure import FigureView

_BLOCKS = " ▏▎▍▌▋▊▉█"


def breath_state(breathing: Breathing, t: float, to_end: bool) -> tuple[str, float]:
    """``("in"|"out", fullness 0..1)`` for the figure at ``t`` moving ``to_end`` or back."""
    breath = breathing.breath(to_end)
    # The lungs are full at the end position when the way there is breathed in.
    fullness = t if breathing.first == "in" else 1.0 - t
    return breath, min(1.0, max(0.0, fullness))


def breath_text(breathing: Breathing, breath: str, fullness: float, width: int) -> str:
    """The row: ``"breathe in · arch ▕████▌     ▏"`` fitted to ``width``.

    Narrower, the words lose "breathe" (``"in · arch ▕███ ▏"``) before the bar
    goes, and the bar goes before any word is cut.
    """
    longest = max(breathing.inhale, breathing.exhale, key=len)
    for prefix in ("breathe ", ""):
        words = f"{prefix}{breath} · {breathing.doing(breath)}"
        label_width = len(f"{prefix}out · {longest}") + 1
        bar_width = width - label_width - 2
        if bar_width >= 4:
            break
    else:  # too narrow for a bar: the words alone (the long form when it fits)
        long_words = f"breathe {breath} · {breathing.doing(breath)}"
        words = long_words if len(long_words) <= width else words
        return words[:width].ljust(width)
    eighths = round(fullness * bar_width * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + (_BLOCKS[part] if full < bar_width else "")
    return (words.ljust(label_width) + "▕" + bar.ljust(bar_width) + "▏")[:width]


class BreathCue(Widget):
    """One row: which breath now, and a bar filling and emptying with it.

    The row is always there (blank when there is no cue), so the figure
    above it keeps its size, and its drawings, from step to step."""

    DEFAULT_CSS = """
    BreathCue {
        width: 100%;
        height: 1;
        color: $text-accent;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.breathing: Breathing | None = None
        self.breath = ""
        self.fullness = 0.0
        self._strip: tuple[tuple, Strip] = ((), Strip([]))

    @property
    def shown(self) -> bool:
        return self.breathing is not None

    @property
    def text(self) -> str:
        """What the row shows now (for tests)."""
        if self.breathing is None or not self.breath:
            return ""
        return breath_text(self.breathing, self.breath, self.fullness, max(1, self.size.width or 40))

    def set_breathing(self, breathing: Breathing | None) -> None:
        """Show the cue for ``breathing`` (``None``: hide the row)."""
        if breathing != self.breathing:
            self.breathing = breathing
            self.breath = ""
            self.refresh()

    def follow(self, t: float, to_end: bool) -> None:
        """The figure is now at ``t``; repaint if the row's text changes."""
        if self.breathing is None:
            return
        breath, fullness = breath_state(self.breathing, t, to_end)
        if (breath, fullness) == (self.breath, self.fullness):
            return
        before = self.text
        self.breath, self.fullness = breath, fullness
        if self.text != before:
            self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        style = self.rich_style
        if y != 0 or self.breathing is None or not self.breath:
            return Strip.blank(width, style)
        text = self.text
        key = (text, width, style)
        if self._strip[0] != key:
            self._strip = (key, Strip([Segment(text, style)]).crop_extend(0, width, style))
        return self._strip[1]


class FigureWithBreath(Vertical):
    """The player's figure (``#player-figure``) with the breathing cue under it."""

    DEFAULT_CSS = """
    FigureWithBreath {
        height: 100%;
    }
    FigureWithBreath > FigureView {
        width: 100%;
        height: 1fr;
    }
    """

    def __init__(self, *, figure_id: str | None = None, cue_id: str | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.figure = FigureView(id=figure_id)
        self.cue = BreathCue(id=cue_id)

    def compose(self) -> ComposeResult:
        yield self.figure
        yield self.cue

    def play_step(self, pose: Pose | None, kind: str, elapsed: Callable[[], float], duration: float, *,
                  breathing: Breathing | None = None, still: bool = False, **kwargs) -> None:
        """As :meth:`FigureView.play_step`; ``breathing`` shows the cue while a
        moving stretch repeats (not with still figures, not in other steps)."""
        paced = (breathing is not None and pose is not None and pose.moves and not still
                 and kind in ("rep", "move"))
        self.cue.set_breathing(breathing if paced else None)
        self.figure.follower = self.cue.follow if paced else None
        self.figure.play_step(pose, kind, elapsed, duration, still=still, **kwargs)

    def set_paused(self, paused: bool) -> None:
        self.figure.set_paused(paused)
