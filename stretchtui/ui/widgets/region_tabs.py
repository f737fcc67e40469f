"""A row of region tabs with the underline bar, drawn by one widget.

It looks and behaves like Textual's ``Tabs`` as the catalog uses it (same
colours, the same ``Bar`` underline under the active tab, focus style, hover,
click, left/right keys, the underline sliding to the new tab), but it is one
widget instead of ten (Tabs, three containers, five Tab, Underline), and it
knows where its underline goes without waiting for a layout pass. That was
about 40 ms of the app's start-up (bench/bench_startup.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.renderables.bar import Bar
from textual.strip import Strip
from textual.widget import Widget


class RegionTabs(Widget, can_focus=True):
    """``tabs``: (tab id, label) pairs; the first is active at the start."""

    DEFAULT_CSS = """
    RegionTabs {
        width: 100%;
        height: 2;
        pointer: pointer;
        & > .region-tabs--tab {
            color: $foreground 50%;
        }
        & > .region-tabs--hover {
            color: $foreground;
        }
        & > .region-tabs--active {
            color: $foreground;
        }
        & > .region-tabs--bar {
            color: $block-cursor-background;
            background: $foreground 10%;
        }
        &:focus {
            & > .region-tabs--bar {
                background: $foreground 30%;
            }
            & > .region-tabs--active {
                text-style: $block-cursor-text-style;
                color: $block-cursor-foreground;
                background: $block-cursor-background;
            }
        }
        &:ansi {
            & > .region-tabs--tab, & > .region-tabs--hover {
                text-style: dim;
            }
            & > .region-tabs--active {
                text-style: not dim bold;
            }
            & > .region-tabs--bar {
                color: $block-cursor-background;
                background: $border-blurred;
            }
        }
    }
    """

    COMPONENT_CLASSES = {"region-tabs--tab", "region-tabs--hover", "region-tabs--active", "region-tabs--bar"}

    BINDINGS = [
        Binding("left", "previous_tab", "Previous tab", show=False, id="region-tabs.previous"),
        Binding("right", "next_tab", "Next tab", show=False, id="region-tabs.next"),
    ]

    class Changed(Message):
        """The active tab changed (``tab_id``)."""

        def __init__(self, tabs: RegionTabs, tab_id: str) -> None:
            super().__init__()
            self.tabs = tabs
            self.tab_id = tab_id

        @property
        def control(self) -> RegionTabs:
            return self.tabs

    active: reactive[str] = reactive("", layout=False)
    highlight_start: reactive[float] = reactive(0.0)
    highlight_end: reactive[float] = reactive(0.0)
    _hover: reactive[int] = reactive(-1)

    def __init__(self, tabs: Sequence[tuple[str, str]], *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._tabs = tuple(tabs)
        # Each tab is " label " (padding 0 1, like Textual's Tab), side by side.
        spans, x = [], 0
        for _tab_id, label in self._tabs:
            spans.append((x, x + len(label) + 2))
            x += len(label) + 2
        self._spans = tuple(spans)
        if self._tabs:
            self.set_reactive(RegionTabs.active, self._tabs[0][0])
            start, end = self._label_span(0)
            self.set_reactive(RegionTabs.highlight_start, float(start))
            self.set_reactive(RegionTabs.highlight_end, float(end))

    @property
    def tab_ids(self) -> list[str]:
        return [tab_id for tab_id, _label in self._tabs]

    def _index(self, tab_id: str) -> int:
        return self.tab_ids.index(tab_id)

    def _label_span(self, index: int) -> tuple[int, int]:
        start, end = self._spans[index]
        return start + 1, end - 1  # the label, without the padding

    def validate_active(self, active: str) -> str:
        if active not in self.tab_ids:
            raise ValueError(f"no tab {active!r}")
        return active

    def watch_active(self, previous: str, active: str) -> None:
        start, end = self._label_span(self._index(active))
        if self.is_mounted and previous and self.app.animation_level != "none":
            self.animate("highlight_start", float(start), duration=0.3, level="basic")
            self.animate("highlight_end", float(end), duration=0.3, level="basic")
        else:
            self.highlight_start, self.highlight_end = float(start), float(end)
        self.post_message(self.Changed(self, active))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = Style(bgcolor=self.rich_style.bgcolor)
        if y == 0:
            # " label " per tab; the padding carries only the background, as a Tab's padding does.
            active = self._index(self.active) if self.active else -1
            segments = []
            for index, (_tab_id, label) in enumerate(self._tabs):
                if index == active:
                    style = self.get_component_rich_style("region-tabs--active")
                elif index == self._hover:
                    style = self.get_component_rich_style("region-tabs--hover")
                else:
                    style = self.get_component_rich_style("region-tabs--tab")
                pad = Style(bgcolor=style.bgcolor)
                segments += [Segment(" ", pad), Segment(label, style), Segment(" ", pad)]
            strip = Strip(segments)
        elif y == 1:
            bar_style = self.get_component_rich_style("region-tabs--bar")
            bar = Bar(
                highlight_range=(self.highlight_start, self.highlight_end),
                highlight_style=Style.from_color(bar_style.color),
                background_style=Style.from_color(bar_style.bgcolor),
                width=width,
            )
            options = self.app.console.options.update_width(width)
            segments = list(Segment.apply_style(self.app.console.render(bar, options), base))
            strip = Strip(segments)
        else:
            strip = Strip([])
        return strip.extend_cell_length(width, base).crop(0, width)

    def _tab_at(self, x: int) -> int:
        for index, (start, end) in enumerate(self._spans):
            if start <= x < end:
                return index
        return -1

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover = self._tab_at(event.x) if event.y == 0 else -1

    def on_leave(self, _event: events.Leave) -> None:
        self._hover = -1

    def on_click(self, event: events.Click) -> None:
        """A click on a tab or on the bar under it activates it."""
        event.stop()
        self.focus()
        index = self._tab_at(event.x)
        if index >= 0:
            self.active = self._tabs[index][0]

    def _move(self, step: int) -> None:
        ids = self.tab_ids
        if ids:
            self.active = ids[(ids.index(self.active) + step) % len(ids)]

    def action_next_tab(self) -> None:
        self._move(1)

    def action_previous_tab(self) -> None:
        self._move(-1)
