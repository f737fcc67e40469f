"""A small dialog asking for a custom date range for the History screen.

``DateRangeDialog`` dismisses with ``(start, end)`` (inclusive days) or
``None`` when cancelled. A bad date or a From after To shows a message and
keeps the dialog open. Enter in either field (or OK) applies, Escape cancels.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from ...core.reports import history as h
from .dialogs import Dialog

#: The layout of this module's screens, beside it (read when one is first shown).
CSS_FILE = Path(__file__).with_name("date_range.tcss")


class DateRangeDialog(Dialog[tuple[date, date] | None]):
    """From/To inputs (YYYY-MM-DD) for the History date filter."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="date-range.cancel")]

    def __init__(self, start: date | None = None, end: date | None = None) -> None:
        super().__init__()
        self._start = start
        self._end = end

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Custom date range", classes="dialog-title")
            with Horizontal(classes="range-row"):
                yield Label("From")
                yield Input(self._start.isoformat() if self._start else "", placeholder="YYYY-MM-DD",
                            max_length=10, id="range-from")
            with Horizontal(classes="range-row"):
                yield Label("To")
                yield Input(self._end.isoformat() if self._end else "", placeholder="YYYY-MM-DD",
                            max_length=10, id="range-to")
            yield Static("", id="range-error", markup=False)
            yield Label("Both days count. Enter applies, Esc cancels.", id="range-hint")
            with Horizontal(id="range-buttons"):
                yield Button(Content("OK"), id="range-ok", variant="primary")
                yield Button(Content("Cancel"), id="range-cancel")

    def on_mount(self) -> None:
        self.query_one("#range-from", Input).focus()

    @property
    def error(self) -> str:
        """The message currently shown ("" when none)."""
        return str(self.query_one("#range-error", Static).content)

    def action_apply(self) -> None:
        start_text = self.query_one("#range-from", Input).value
        end_text = self.query_one("#range-to", Input).value
        try:
            result = h.parse_date_range(start_text, end_text)
        except h.DateRangeError as exc:
            self.query_one("#range-error", Static).update(str(exc))
            target = "#range-to" if str(exc).startswith("To") else "#range-from"
            self.query_one(target, Input).focus()
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "range-ok":
            self.action_apply()
        else:
            self.action_cancel()
