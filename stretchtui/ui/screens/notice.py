"""The short safety notice shown on first run (and from the command palette)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from .dialogs import Dialog

NOTICE_TITLE = "Before you start"

NOTICE_TEXT = (
    "stretchtui shows stretches and times routines. It gives general information and "
    "warnings for the conditions you pick; it cannot examine you and it does not diagnose. "
    "A stretch should never hurt: stop if pain spreads down an arm or leg, or on new "
    "numbness, tingling or weakness.\n"
    "\n"
    "See a clinician before stretching (urgently for the first two) if you have:\n"
    "- numbness around the groin or buttocks, or new bladder or bowel trouble\n"
    "- weak legs, pain in both legs, clumsy hands or unsteady walking\n"
    "- dizziness or a sudden severe headache when moving the neck\n"
    "- fever, weight loss, a history of cancer, night pain, or pain after a fall\n"
    "- in pregnancy: bleeding, fluid leak, contractions, calf pain or swelling\n"
    "\n"
    "Pick your conditions under Profile (key 4) so the warnings apply to you."
)


class NoticeScreen(Dialog[None]):
    """Informs and warns; dismissed with Enter or Escape."""

    DEFAULT_CSS = """
    NoticeScreen > Vertical {
        width: 80;
        border: thick $warning;
    }
    NoticeScreen #notice-title {
        text-style: bold;
        color: $text-warning;
    }
    NoticeScreen VerticalScroll {
        height: auto;
        max-height: 17;
    }
    NoticeScreen Button {
        margin-top: 0;
        margin-left: 0;
        width: 100%;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="notice.close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(NOTICE_TITLE, id="notice-title")
            with VerticalScroll():
                yield Static(NOTICE_TEXT, markup=False, id="notice-text")
            yield Button("I understand (Enter)", id="notice-ok", variant="warning")

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
