"""The short safety notice shown on first run (and from the command palette)."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from ...core.domain.red_flags import notice_lines
from ...core.domain.session_rules import SESSION_RULES
from ...core.text import hang_lines
from ..widgets.app_modebar import ModeFooter
from .dialogs import SCROLL_KEYS, Dialog

#: The layout of this module's screens, beside it (read when one is first shown).
CSS_FILE = Path(__file__).with_name("notice.tcss")


NOTICE_TITLE = "Before you start"

NOTICE_TEXT = "\n".join(
    [
        "stretchtui shows stretches and times routines. It gives general information and "
        "warnings for the conditions you pick; it cannot examine you and it does not diagnose: "
        "that takes a clinician.",
        "",
        *notice_lines(),
        "",
        "While you stretch: " + " ".join(SESSION_RULES),
        "",
        "Pick your conditions under Profile (key 4) so the warnings apply to you.",
    ]
)


class NoticeScreen(Dialog[None]):
    """Informs and warns; dismissed with Enter or Escape."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [
        Binding("escape", "close", "Close", id="notice.close"),
    ]

    #: Narrower than this the notice (80 columns) leaves no room beside it: its
    #: background is drawn solid instead of dimming the catalog underneath, so
    #: the catalog is not drawn behind it (a new user's first frame: 30-50 ms).
    COVERS_BELOW = 90

    def compose(self) -> ComposeResult:
        self.set_class(self.app.size.width < self.COVERS_BELOW, "-covers")
        with Vertical():
            yield Label(NOTICE_TITLE, id="notice-title")
            with VerticalScroll():
                yield Static(NOTICE_TEXT, markup=False, id="notice-text")
            yield Button("I understand (Enter) · ↑↓ scroll", id="notice-ok", variant="warning")
        # Its own footer now (a dialog mounts one after its first frame): a new user's first frame is whole.
        yield ModeFooter()

    #: The text width the red flags were last wrapped for (0: not yet).
    _wrapped_for = 0

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < self.COVERS_BELOW, "-covers")
        self.call_after_refresh(self._wrap)

    def _wrap(self) -> None:
        """The red flags wrap under their words, not back at the edge (the width is known after layout)."""
        text = self.query_one("#notice-text", Static)
        width = text.content_size.width
        if width and width != self._wrapped_for:
            self._wrapped_for = width
            text.update(hang_lines(NOTICE_TEXT, width))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_close()

    def on_key(self, event: events.Key) -> None:
        """The notice is longer than the dialog: arrows and page keys scroll it while the button keeps focus."""
        lines = SCROLL_KEYS.get(event.key)
        if lines:
            event.stop()
            self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        if self.app.screen_stack[:1] == [self]:  # a new user's first screen, on its own
            self.app.call_next(self.app.notice_read)
        else:  # shown again from the palette, over a screen
            self.dismiss(None)
