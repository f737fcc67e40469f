"""Shown instead of a broken layout when the terminal is smaller than the app needs.

The app pushes it when the window drops below ``StretchApp.MIN_SIZE`` and
pops it when the window is large enough again (a running session is paused
meanwhile). Only ctrl+q (quit) works while it is shown.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

#: The layout of this module's screens, beside it (read when one is first shown).
CSS_FILE = Path(__file__).with_name("too_small.tcss")


def too_small_text(min_w: int, min_h: int, width: int, height: int) -> str:
    """``Make the window at least 60×20 (now 50×15)`` and how to leave."""
    return f"Make the window at least {min_w}×{min_h} (now {width}×{height}).\nctrl+q quits."


class TooSmallScreen(ModalScreen[None]):
    """A centred "make the window larger" message over the whole terminal."""

    CSS_PATH = [CSS_FILE]

    #: Keys do nothing here (ctrl+q, an app priority binding, still quits).
    BINDINGS = [Binding("escape", "nothing", show=False, id="too-small.escape")]

    def __init__(self, min_w: int, min_h: int, width: int, height: int) -> None:
        super().__init__()
        self._min = (min_w, min_h)
        self._now = (width, height)

    def compose(self) -> ComposeResult:
        yield Static(Content(too_small_text(*self._min, *self._now)), id="too-small-text")

    def show_size(self, width: int, height: int) -> None:
        """Say the current size (after a resize that is still too small)."""
        self._now = (width, height)
        self.query_one("#too-small-text", Static).update(Content(too_small_text(*self._min, width, height)))

    def action_nothing(self) -> None:
        """Escape must not close it: the screen underneath does not fit."""

    def on_screen_resume(self) -> None:
        # Back on top after a dialog (ctrl+q, Stay): the window may have grown meanwhile.
        check = getattr(self.app, "_check_size", None)
        if check is not None:
            self.call_after_refresh(check)
