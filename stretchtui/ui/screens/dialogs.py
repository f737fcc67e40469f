"""Small modal dialogs shared by every screen.

``ConfirmDialog`` answers yes/no (``ModalScreen[bool]``); ``TextPrompt``
asks for one line of text (``ModalScreen[str | None]``, ``None`` when
cancelled). Titles and messages are shown literally, never as markup, so
they may contain user text such as routine names.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ScreenResultType
from textual.widgets import Button, Input, Label, Static

from ..widgets.app_modebar import ModeFooter
from .base import AppModalScreen

#: The layout of this module's screens, beside it (read when one is first shown).
CSS_FILE = Path(__file__).with_name("dialogs.tcss")


#: Keys that scroll a long text in a dialog, in lines (handled as key events, not
#: bindings, so the focused button or field keeps focus).
SCROLL_KEYS = {"down": 1, "up": -1, "pagedown": 6, "pageup": -6}


class Dialog(AppModalScreen[ScreenResultType]):
    """Base of the app's centred dialogs: one bordered box holding a bold
    ``.dialog-title`` and buttons spaced on the right. Subclasses compose a
    ``Vertical`` and add only what is their own (its width, their fields)."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
    }
    Dialog > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    Dialog .dialog-title {
        text-style: bold;
        width: 100%;
        margin-bottom: 1;
    }
    Dialog Button {
        margin-left: 1;
    }
    """

    def on_mount(self) -> None:
        # The dialog's own footer, over the one of the screen underneath, so
        # it lists this dialog's keys, not the builder's "a Add x Remove".
        # (Textual calls every class's on_mount, so subclasses keep theirs.)
        if not self.query(ModeFooter):
            self.mount(ModeFooter())


class ConfirmDialog(Dialog[bool]):
    """Ask a yes/no question. Dismisses with ``True`` for yes, ``False`` otherwise."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [
        Binding("escape", "answer(False)", "Cancel", id="confirm.cancel"),
        # y / n are shown on the buttons ("Replace (y)", "Keep it (n)"): a footer
        # saying "y Yes" beside buttons that say something else misleads.
        Binding("y", "answer(True)", "Yes", show=False, id="confirm.yes"),
        Binding("n", "answer(False)", "No", show=False, id="confirm.no"),
        Binding("left,right", "switch_button", "Switch button", show=False, id="confirm.switch-button"),
    ]

    def __init__(self, title: str, message: str, yes_label: str = "Yes", no_label: str = "No") -> None:
        super().__init__()
        self._title = title
        self._message = message
        self._yes = yes_label
        self._no = no_label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self._title), classes="dialog-title")
            yield Static(self._message, markup=False, classes="dialog-message")
            with Horizontal():
                yield Button(Content(f"{self._yes} ({self._key('yes')})"), id="yes", variant="primary")
                yield Button(Content(f"{self._no} ({self._key('no')})"), id="no")

    def _key(self, which: str) -> str:
        """The key in effect (after the user's keymap) for yes / no."""
        try:
            keys = self.app._keymap.get(f"confirm.{which}")
        except Exception:
            keys = None
        return (keys or which[0]).split(",")[0].strip()

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    def action_switch_button(self) -> None:
        yes = self.query_one("#yes", Button)
        (self.query_one("#no", Button) if yes.has_focus else yes).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")


class TextPrompt(Dialog["str | None"]):
    """Ask for one line of text. Enter accepts, Escape cancels (``None``)."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self._title = title
        self._value = value
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self._title), classes="dialog-title")
            yield Input(value=self._value, placeholder=self._placeholder)
            yield Label("Enter to accept, Escape to cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
