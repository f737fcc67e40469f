"""The day-after check-in, asked once when the app starts (see :mod:`stretchtui.core.domain.checkin`).

:func:`~stretchtui.ui.checkin_start.ask_checkin` looks (in a thread) for the latest session that ended
12 to 72 hours ago with no check-in and whose question was not dismissed;
when there is one, :class:`CheckinDialog` asks "How is your back today,
compared with before that session?" with better / same / worse. The answer
is recorded on that session; "Not now" (or Escape) records the dismissal
there, so the app never asks about that session again
(``stretchtui checkin`` still can).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from ...core.domain.checkin import (
    QUESTION,
    describe_session,
    dismiss_checkin,
    question,
    session_age,
)
from ...core.domain.session import CheckIn, Session
from ...core.text import display
from ..background import store_write
from .dialogs import Dialog

if TYPE_CHECKING:  # pragma: no cover
    from ..ports import ScreenApp

#: The layout of this module's screens, beside it (read when one is first shown).
CSS_FILE = Path(__file__).with_name("checkin.tcss")


class CheckinDialog(Dialog["str | None"]):
    """Dismisses with "better", "same" or "worse", or ``None`` (not now)."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [
        Binding("b", "answer('better')", "Better", id="checkin.better"),
        Binding("s", "answer('same')", "Same", id="checkin.same"),
        Binding("w", "answer('worse')", "Worse", id="checkin.worse"),
        Binding("escape", "answer(None)", "Not now", id="checkin.dismiss"),
        Binding("left", "app.focus_previous", "Previous button", show=False, id="checkin.previous-button"),
        Binding("right", "app.focus_next", "Next button", show=False, id="checkin.next-button"),
    ]

    def __init__(self, about: str, question: str = QUESTION) -> None:
        super().__init__()
        self._about = about
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._question, classes="dialog-title", markup=False)
            yield Static(
                f"About your session {display(self._about)}. Your answer helps decide the next doses: "
                "a worse day after backs them off. Not now: this session is not asked about again.",
                markup=False,
                classes="dialog-message",
            )
            with Horizontal():
                yield Button("Better", id="checkin-better")
                yield Button("Same", id="checkin-same", variant="primary")
                yield Button("Worse", id="checkin-worse")
                yield Button("Not now", id="checkin-dismiss")

    def on_mount(self) -> None:
        self.query_one("#checkin-same", Button).focus()

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        answer = (event.button.id or "").removeprefix("checkin-")
        self.dismiss(answer if answer in ("better", "same", "worse") else None)


def ask_now(app: ScreenApp, doc_id: int, session: Session, then: Callable[[bool], object] | None = None) -> None:
    """Open the check-in dialog about ``session`` (found by :func:`~stretchtui.ui.checkin_start.ask_checkin`)."""
    now = app.clock.now()
    age = session_age(session, now)
    hours = f" ({int(age.total_seconds() // 3600)} h ago)" if age is not None else ""
    about = describe_session(session, now) + hours

    def answered(answer: str | None) -> None:
        def save() -> None:
            if answer is None:
                dismiss_checkin(app.store, doc_id, app.clock.now())
            else:
                stamp = app.clock.now().isoformat(timespec="seconds")
                app.store.update_session(doc_id, {"checkin": CheckIn(answer, stamp).to_doc()})

        def saved(_result: object) -> None:
            if answer is not None:
                note = " The next doses back off." if answer == "worse" else ""
                app.notify(f"Check-in saved: {answer}.{note}", markup=False, timeout=4)

        store_write(app, save, saved)  # on the app's one writer thread; an error is a toast
        if then is not None:
            then(True)

    app.push_screen(CheckinDialog(about, question(session, app.catalog)), answered)
