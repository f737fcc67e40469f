"""The safety gate's dialogs.

``SafetyGateDialog`` lists a routine's avoid-level warnings for the profile
before it is played and answers ``"play"``, ``"edit"`` or ``"cancel"``.
``FlareReviewDialog`` asks, once at start after a flare has been on for 14
days, whether it is still going on (``True``) or has settled (``False``).
Everything from data (routine and stretch names) is shown literally.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Label, Static

from ...core.domain.models import FLARE_REVIEW_DAYS, SafetyWarning
from .dialogs import Dialog

if TYPE_CHECKING:  # pragma: no cover
    from ...core.domain.catalog import Catalog

#: The layout of this module's screens, beside it (read when one is first shown).
CSS_FILE = Path(__file__).with_name("safety_gate.tcss")


def warning_text(w: SafetyWarning, catalog: Catalog) -> str:
    """One warning as plain text: what (and where), why, and the safer option when there is one."""
    where = ", ".join(str(i + 1) for i in w.items)
    label = "item" if len(w.items) == 1 else "items"
    lines = [w.message + (f" ({label} {where})" if where else ""), f"Why: {w.reason}"]
    if w.alternative:
        alt = catalog.get(w.alternative) if catalog is not None else None
        lines.append(f"Instead: {alt.name if alt else w.alternative}")
    return "\n".join(lines)


class SafetyGateDialog(Dialog[str]):
    """Avoid-level warnings before playing: Play anyway / Edit / Cancel."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [
        Binding("escape", "answer('cancel')", "Cancel", id="gate.cancel"),
        Binding("e", "answer('edit')", "Edit", show=False, id="gate.edit"),
        Binding("left", "app.focus_previous", "Previous button", show=False, id="gate.previous-button"),
        Binding("right", "app.focus_next", "Next button", show=False, id="gate.next-button"),
    ]

    def __init__(self, routine_name: str, warnings: Sequence[SafetyWarning], catalog: Catalog) -> None:
        super().__init__()
        self.routine_name = routine_name
        self.warnings = list(warnings)
        self._catalog = catalog

    def compose(self) -> ComposeResult:
        count = len(self.warnings)
        with Vertical():
            yield Label(Content(f"Before you play {self.routine_name}"), classes="dialog-title")
            yield Label(f"{count} warning{'s' if count != 1 else ''} at the 'avoid' level for your profile:")
            with VerticalScroll(id="gate-warnings"):
                for w in self.warnings:
                    with Horizontal(classes="gate-item"):
                        yield Label("✖", classes="gate-mark")
                        yield Static(warning_text(w, self._catalog), markup=False, classes="gate-text")
            yield Label(
                "Edit the routine to replace them, or play it anyway if your clinician has said "
                "these are fine for you. Stop any stretch that hurts.",
                classes="dialog-hint",
            )
            with Horizontal():
                yield Button("Play anyway", id="gate-play", variant="error", compact=True)
                yield Button("Edit", id="gate-edit", variant="primary", compact=True)
                yield Button("Cancel", id="gate-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#gate-cancel", Button).focus()

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "gate-cancel").removeprefix("gate-"))


class FlareReviewDialog(Dialog["bool | None"]):
    """"Still in a flare?" asked at start after the flare has been on a while.

    ``True``: still in a flare; ``False``: it has settled; ``None`` (Escape):
    not answered, asked again at the next start.
    """

    CSS_PATH = [CSS_FILE]

    BINDINGS = [
        Binding("escape", "later", "Ask later", id="flare-review.later"),
        Binding("left", "app.focus_previous", "Previous button", show=False, id="flare-review.previous-button"),
        Binding("right", "app.focus_next", "Next button", show=False, id="flare-review.next-button"),
    ]

    def __init__(self, since: str | None) -> None:
        super().__init__()
        self._since = since

    def compose(self) -> ComposeResult:
        since = f" since {self._since}" if self._since else ""
        with Vertical():
            yield Label("Are you still in a flare?", classes="dialog-title")
            yield Static(
                f"Your profile says you have been in a flare{since}. While it is on, bending forward "
                "and nerve tensioners are marked 'avoid' for disc herniation and sciatica. "
                f"If it has settled, switch it off; if not, the app asks again in {FLARE_REVIEW_DAYS} days. "
                "Pain that keeps building over days is a reason to see a clinician.",
                markup=False,
                classes="dialog-message",
            )
            with Horizontal():
                yield Button("Still in a flare", id="flare-still", variant="primary")
                yield Button("It has settled", id="flare-settled")

    def on_mount(self) -> None:
        self.query_one("#flare-still", Button).focus()

    def action_later(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "flare-still")
