"""PSFS dialogs: add an activity, and rate the activities again.

Both validate through :mod:`stretchtui.core.domain.psfs` (so the app refuses what
``stretchtui psfs`` refuses, with the same words), show a problem under the
fields without closing, and dismiss with the new tuple of activities (or
``None`` when cancelled); the caller saves it with the profile.
:class:`PsfsRateDialog` is also the weekly prompt the app shows at start
when the latest rating is a week old (Escape: later).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label

from ...core.domain import psfs
from ...core.text import display
from .dialogs import Dialog

#: The layout of this module's screens, beside it (read when one is first shown).
CSS_FILE = Path(__file__).with_name("psfs.tcss")


SCALE_HINT = "0 = unable to do it, 10 = as before the problem"


class PsfsDialog(Dialog["tuple[psfs.PsfsActivity, ...] | None"]):
    CSS_PATH = [CSS_FILE]

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="psfs.cancel")]

    def __init__(self, activities: Sequence[psfs.PsfsActivity], today: date) -> None:
        super().__init__()
        self.activities = tuple(activities)
        self.today = today

    def _error(self, text: str) -> None:
        self.query_one("#psfs-error", Label).update(Content(text))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#psfs-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    @on(Button.Pressed, "#psfs-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.save()

    def save(self) -> None:  # pragma: no cover - each dialog defines it
        raise NotImplementedError


class PsfsAddDialog(PsfsDialog):
    """Add one activity with today's score."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Add an activity your back or neck makes hard", classes="dialog-title")
            yield Input(placeholder="for example: tie my shoelaces", max_length=psfs.MAX_ACTIVITY_LENGTH,
                        id="psfs-activity")
            with Horizontal(classes="psfs-row"):
                yield Label("How well can you do it today?", classes="psfs-name")
                yield Input(restrict=r"[0-9]*", max_length=2, id="psfs-score", classes="psfs-score", compact=True,
                            placeholder="0-10")
            yield Label(SCALE_HINT + ".", classes="dialog-hint")
            yield Label("", id="psfs-error")
            with Horizontal(id="psfs-buttons"):
                yield Button("Add (Enter)", id="psfs-save", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="psfs-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#psfs-activity", Input).focus()

    @on(Input.Submitted, "#psfs-activity")
    def _activity_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#psfs-score", Input).focus()

    @on(Input.Submitted, "#psfs-score")
    def _score_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.save()

    def save(self) -> None:
        text = self.query_one("#psfs-activity", Input).value
        score = self.query_one("#psfs-score", Input).value
        try:
            activities = psfs.add_activity(self.activities, text, score, self.today)
        except psfs.PsfsError as exc:
            self._error(str(exc))
            field = "#psfs-score" if str(exc).startswith("score") else "#psfs-activity"
            self.query_one(field, Input).focus()
            return
        self.dismiss(activities)


class PsfsRateDialog(PsfsDialog):
    """Rate every activity again today (blank: keep the last rating)."""

    def __init__(self, activities: Sequence[psfs.PsfsActivity], today: date, *, weekly: bool = False) -> None:
        super().__init__(activities, today)
        self.weekly = weekly

    def compose(self) -> ComposeResult:
        title = (
            "A week since you rated your activities: how are they today?"
            if self.weekly else "Rate your activities today"
        )
        with Vertical():
            yield Label(title, classes="dialog-title")
            yield Label(f"{SCALE_HINT}. Leave one blank to keep its last score.", classes="dialog-hint")
            for index, activity in enumerate(self.activities):
                latest = activity.latest
                last = f" (last {latest.score} on {latest.day.isoformat()})" if latest else ""
                with Horizontal(classes="psfs-row"):
                    yield Label(Content(display(activity.activity) + last), classes="psfs-name")
                    yield Input(restrict=r"[0-9]*", max_length=2, id=f"psfs-score-{index}",
                                classes="psfs-score", compact=True, placeholder="0-10")
            yield Label("", id="psfs-error")
            with Horizontal(id="psfs-buttons"):
                yield Button("Save (Enter)", id="psfs-save", variant="primary", compact=True)
                yield Button("Later (Esc)" if self.weekly else "Cancel (Esc)", id="psfs-cancel", compact=True)

    def on_mount(self) -> None:
        first = self.query(".psfs-score")
        if first:
            first.first().focus()

    @on(Input.Submitted, ".psfs-score")
    def _score_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.save()

    def save(self) -> None:
        activities = self.activities
        rated = 0
        for index, activity in enumerate(self.activities):
            field = self.query_one(f"#psfs-score-{index}", Input)
            if not field.value.strip():
                continue
            try:
                activities = psfs.rate_activity(activities, activity.activity, field.value, self.today)
            except psfs.PsfsError as exc:
                self._error(f"{display(activity.activity)}: {exc}")
                field.focus()
                return
            rated += 1
        if not rated:
            self._error("Type a score for at least one activity (or Escape).")
            return
        self.dismiss(activities)
