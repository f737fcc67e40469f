"""Before and during a session: the red-flag checklist and the red-flag advice.

``ChecklistScreen`` is the short checklist shown before a session (turned
off in the profile or with ``--no-checklist``). It also takes an optional
pain score. It dismisses with ``{"start": True, "pain": int | None}``, or
``{"start": False}`` when the user cancels or says a red flag applies (it
shows :class:`AdviceScreen` first).

``AdviceScreen`` shows a block of advice (the "symptoms spreading" stop and
the checklist use it) until the user closes it.
"""

from __future__ import annotations

from typing import Iterable, Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from ...core.player import CHECKLIST_ADVICE, RED_FLAGS, parse_pain
from .dialogs import Dialog


class AdviceScreen(Dialog[None]):
    """Advice the user must acknowledge (Enter, Escape or the button)."""

    DEFAULT_CSS = """
    AdviceScreen > Vertical {
        width: 76;
        border: thick $error;
    }
    AdviceScreen .advice-title {
        width: 100%;
        text-style: bold;
        color: $text-error;
        margin-bottom: 1;
    }
    AdviceScreen VerticalScroll {
        height: auto;
        max-height: 16;
    }
    AdviceScreen .advice-paragraph {
        width: 100%;
        margin-bottom: 1;
    }
    AdviceScreen Horizontal {
        height: auto;
        align-horizontal: right;
    }
    AdviceScreen Button {
        margin-left: 0;
    }
    """

    BINDINGS = [Binding("escape,enter", "close", "Close")]

    def __init__(self, title: str, paragraphs: Iterable[str], button: str = "OK") -> None:
        super().__init__()
        self._title = title
        self._paragraphs = tuple(paragraphs)
        self._button = button

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self._title), classes="advice-title")
            with VerticalScroll():
                for text in self._paragraphs:
                    yield Static(text, markup=False, classes="advice-paragraph")
            with Horizontal():
                yield Button(Content(self._button), id="advice-ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#advice-ok", Button).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)


class ChecklistScreen(Dialog[dict]):
    """The red-flag checklist and an optional pain score before a session."""

    DEFAULT_CSS = """
    ChecklistScreen > Vertical {
        width: 78;
        border: thick $warning;
    }
    ChecklistScreen .checklist-title {
        width: 100%;
        text-style: bold;
    }
    ChecklistScreen .checklist-intro {
        width: 100%;
        color: $text-muted;
    }
    ChecklistScreen VerticalScroll {
        height: auto;
        max-height: 11;
    }
    ChecklistScreen .red-flag {
        width: 100%;
        height: auto;
    }
    ChecklistScreen .red-flag-bullet {
        width: 4;
        padding-left: 2;
        color: $text-warning;
    }
    ChecklistScreen .red-flag-text {
        width: 1fr;
    }
    ChecklistScreen #checklist-pain-row {
        height: 3;
        margin-top: 1;
    }
    ChecklistScreen #checklist-pain-row Label {
        height: 3;
        content-align: left middle;
        padding-right: 1;
    }
    ChecklistScreen #checklist-pain {
        width: 10;
    }
    ChecklistScreen #checklist-error {
        width: 1fr;
        height: 3;
        content-align: left middle;
        color: $text-error;
        padding-left: 1;
    }
    ChecklistScreen #checklist-buttons {
        height: auto;
        align-horizontal: right;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "start", "Start"),
    ]

    def __init__(self, routine_name: str = "") -> None:
        super().__init__()
        self._routine_name = routine_name

    def compose(self) -> ComposeResult:
        with Vertical():
            title = "Before you start" + (f": {self._routine_name}" if self._routine_name else "")
            yield Label(Content(title), classes="checklist-title")
            yield Label(
                "Do not stretch today, and seek care, if you have any of these:",
                markup=False,
                classes="checklist-intro",
            )
            with VerticalScroll(can_focus=False):
                for flag in RED_FLAGS:
                    with Horizontal(classes="red-flag"):
                        yield Label("•", markup=False, classes="red-flag-bullet")
                        yield Static(flag, markup=False, classes="red-flag-text")
            with Horizontal(id="checklist-pain-row"):
                yield Label("Pain right now, 0-10 (optional):", markup=False)
                yield Input(id="checklist-pain", restrict=r"[0-9]{0,2}", max_length=2, placeholder="-")
                yield Label("", id="checklist-error", markup=False)
            with Horizontal(id="checklist-buttons"):
                yield Button("None of these: start", id="checklist-start", variant="primary")
                yield Button("I have one of these", id="checklist-flag", variant="error")
                yield Button("Cancel", id="checklist-cancel")

    def on_mount(self) -> None:
        # Enter starts from here; typing a number first records the pain score.
        self.query_one("#checklist-pain", Input).focus()

    def _pain(self) -> tuple[bool, Optional[int]]:
        try:
            return True, parse_pain(self.query_one("#checklist-pain", Input).value)
        except ValueError as exc:
            self.query_one("#checklist-error", Label).update(Content(str(exc).capitalize()))
            self.query_one("#checklist-pain", Input).focus()
            return False, None

    def action_start(self) -> None:
        ok, pain = self._pain()
        if ok:
            self.dismiss({"start": True, "pain": pain})

    def action_cancel(self) -> None:
        self.dismiss({"start": False})

    def action_red_flag(self) -> None:
        def closed(_: object = None) -> None:
            self.dismiss({"start": False, "red_flag": True})

        self.app.push_screen(AdviceScreen("Please seek care instead", CHECKLIST_ADVICE), closed)

    @on(Input.Submitted, "#checklist-pain")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "checklist-start":
            self.action_start()
        elif event.button.id == "checklist-flag":
            self.action_red_flag()
        else:
            self.action_cancel()
