"""Every message the app has shown, in full (ctrl+l).

Toasts stay short (one problem at a time, first line only); this dialog
holds the whole text of each, newest first, so a long error (a routine
file's list of problems, a path and its fix) can be read at leisure.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from .dialogs import Dialog

#: The layout of this module's screens, beside it (read when one is first shown).
CSS_FILE = Path(__file__).with_name("messages_log.tcss")


_MARKS = {"error": "✖", "warning": "!"}


def messages_text(log: list[tuple[str, str, str, str]]) -> str:
    """The log as plain text, newest first; each message indented under its time and title."""
    if not log:
        return "No messages yet."
    blocks = []
    for stamp, severity, title, message in reversed(log):
        head = " ".join(part for part in (stamp, _MARKS.get(severity, "·"), title) if part)
        body = "\n".join("  " + line for line in message.splitlines()) if message else ""
        blocks.append(head + ("\n" + body if body else ""))
    return "\n\n".join(blocks)


class MessagesScreen(Dialog[None]):
    """The messages log; Escape closes it."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="messages.close"),
    ]

    def __init__(self, log: list[tuple[str, str, str, str]]) -> None:
        super().__init__()
        self._log = log

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content("Messages (newest first)"), classes="dialog-title")
            with VerticalScroll():
                yield Static(messages_text(self._log), markup=False, id="messages-text")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
