"""The builder's safety warnings, grouped by level (avoid, caution, info)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...core.domain.models import SafetyWarning

_HEADINGS = (
    ("avoid", "AVOID", "$error bold"),
    ("caution", "CAUTION", "$warning bold"),
    ("info", "INFO", "$text-muted bold"),
)


class WarningsPanel(OptionList):
    """One line per warning (wrapping as needed) under a heading per level."""

    DEFAULT_CSS = """
    WarningsPanel {
        height: 1fr;
        max-height: 100%;
        /* Keep the scrollbar's columns reserved: otherwise the options are measured
           without it and wrap onto more lines once it appears, so the last line
           of the last warning could never be scrolled into view. */
        scrollbar-gutter: stable;
        & > .option-list--option-disabled {
            color: $foreground;
        }
    }
    """

    @dataclass
    class WarningHighlighted(Message):
        """The user moved to ``warning`` (None: no warning selected)."""

        warning: SafetyWarning | None

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._warnings: list[SafetyWarning] = []

    @property
    def warnings(self) -> Sequence[SafetyWarning]:
        return tuple(self._warnings)

    @property
    def highlighted_warning(self) -> SafetyWarning | None:
        option = self.highlighted_option
        if option is None or not option.id or not option.id.startswith("w-"):
            return None
        return self._warnings[int(option.id[2:])]

    def show(self, warnings: Sequence[SafetyWarning], name_of: Callable[[str], str]) -> None:
        """Show ``warnings``; ``name_of`` turns a stretch id into its display name."""
        keep = self.highlighted_warning
        self._warnings = list(warnings)
        options: list[Option] = []
        for level, heading, style in _HEADINGS:
            group = [(i, w) for i, w in enumerate(self._warnings) if w.level == level]
            if not group:
                continue
            options.append(Option(Content.assemble((f"{heading} ({len(group)})", style)), disabled=True))
            for index, warning in group:
                options.append(Option(self._prompt(warning, name_of), id=f"w-{index}"))
        if not options:
            options.append(Option(Content("No warnings for this routine and your profile."), disabled=True))
        self.set_options(options)
        if keep is not None and keep in self._warnings:
            self.highlighted = self.get_option_index(f"w-{self._warnings.index(keep)}")

    @staticmethod
    def _prompt(warning: SafetyWarning, name_of: Callable[[str], str]) -> Content:
        parts: list[str | tuple[str, str] | Content] = []
        if warning.items:
            parts.append((" ".join(f"#{i + 1}" for i in warning.items) + " ", "$text-muted"))
        message = warning.message or ", ".join(name_of(s) for s in warning.stretch_ids)
        parts.append((message.rstrip(".") + ".", "bold"))
        if warning.reason:
            parts.append(Content(" " + warning.reason))
        if warning.alternative:
            verb = "Add" if warning.rule == "warm-up" else "Try"
            where = " first" if warning.rule == "warm-up" else " instead"
            parts.append((f" {verb} {name_of(warning.alternative)}{where}: press o.", "$success"))
        return Content.assemble(*parts)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(self.WarningHighlighted(self.highlighted_warning))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()

    def on_blur(self) -> None:
        self.post_message(self.WarningHighlighted(None))

    def on_focus(self) -> None:
        self.post_message(self.WarningHighlighted(self.highlighted_warning))
