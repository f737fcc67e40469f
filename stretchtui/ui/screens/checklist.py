"""Before and during a session: the red-flag checklist and the red-flag advice.

``ChecklistScreen`` is the short checklist shown before a session (turned
off in the profile or with ``--no-checklist``): the session's red-flag
questions (:class:`~stretchtui.core.domain.play_session.RedFlagQuestion`),
one per group, each group with its own "yes" button, and an optional pain
score. It dismisses with ``{"start": True, "pain": int | None}``,
``{"start": False, "flagged": KEY}`` when a group's sign applies (the player
then shows that group's advice only), or ``{"start": False}`` on Cancel.

``AdviceScreen`` shows a block of advice (the "symptoms spreading" stop and
the checklist use it) until the user closes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from ...core.domain.play_session import RedFlagQuestion, group_question
from ...core.domain.player import parse_pain
from ...core.domain.red_flags import INTRO, checklist_groups
from ...core.domain.session_rules import RULES_LINE, pain_answer
from .dialogs import SCROLL_KEYS, ConfirmDialog, Dialog

#: The layout of this module's screens, beside it (read when one is first shown).
CSS_FILE = Path(__file__).with_name("checklist.tcss")


class AdviceScreen(Dialog[None]):
    """Advice the user must acknowledge (Enter, Escape or the button)."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [Binding("escape,enter", "close", "Close", id="advice.close")]

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

    def on_key(self, event: events.Key) -> None:
        """Long advice scrolls with the arrows and page keys while the button keeps focus."""
        lines = SCROLL_KEYS.get(event.key)
        if lines:
            event.stop()
            self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)


class ChecklistScreen(Dialog[dict]):
    """The red-flag checklist and an optional pain score before a session."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="checklist.cancel"),
        Binding("ctrl+s", "start", "Start", id="checklist.start"),
    ]

    def __init__(
        self,
        routine_name: str = "",
        questions: tuple[RedFlagQuestion, ...] | None = None,
        *,
        pregnant: bool = False,
        high_pain_asks: bool = False,
    ) -> None:
        super().__init__()
        self._routine_name = routine_name
        #: One question per group (pregnancy signs only for users with pregnancy in the profile).
        self._questions = questions if questions is not None else tuple(
            group_question(g) for g in checklist_groups(pregnant)
        )
        #: False when the caller answers high pain itself (the player offers the flare version).
        self._high_pain_asks = high_pain_asks

    def compose(self) -> ComposeResult:
        with Vertical():
            title = "Before you start" + (f": {self._routine_name}" if self._routine_name else "")
            yield Label(Content(title), classes="checklist-title")
            yield Label(
                f"{INTRO} (↑↓ scroll):",
                markup=False,
                classes="checklist-intro",
            )
            with VerticalScroll(id="checklist-flags"):
                for question in self._questions:
                    yield Static(f"{question.urgency}:", markup=False, classes="red-flag-group")
                    for flag in question.signs:
                        with Horizontal(classes="red-flag"):
                            yield Label("•", markup=False, classes="red-flag-bullet")
                            yield Static(flag, markup=False, classes="red-flag-text")
                    with Horizontal(classes="red-flag-yes"):
                        yield Button(Content(f"Yes, I have one of these ({question.key.replace('-', ' ')})"),
                                     id=f"checklist-yes-{question.key}", variant="error", compact=True)
                yield Static(f"While you stretch: {RULES_LINE}", markup=False, classes="red-flag-group")
            with Horizontal(id="checklist-pain-row"):
                yield Label("Pain right now, 0-10 (optional):", markup=False)
                yield Input(id="checklist-pain", restrict=r"[0-9]{0,2}", max_length=2, placeholder="-")
                yield Label("", id="checklist-error", markup=False)
            with Horizontal(id="checklist-buttons"):
                yield Button("None of these: start", id="checklist-start", variant="primary")
                yield Button("Cancel", id="checklist-cancel")

    def on_mount(self) -> None:
        # Enter starts from here; typing a number first records the pain score.
        self.query_one("#checklist-pain", Input).focus()

    def _pain(self) -> tuple[bool, int | None]:
        try:
            return True, parse_pain(self.query_one("#checklist-pain", Input).value)
        except ValueError as exc:
            self.query_one("#checklist-error", Label).update(Content(str(exc).capitalize()))
            self.query_one("#checklist-pain", Input).focus()
            return False, None

    def action_start(self) -> None:
        ok, pain = self._pain()
        if not ok:
            return
        answer = pain_answer(pain, None)
        if answer and self._high_pain_asks:
            # High pain before: suggest something gentler; the user decides.
            def closed(go_on: bool | None) -> None:
                self.dismiss({"start": True, "pain": pain} if go_on else {"start": False})

            self.app.push_screen(
                ConfirmDialog(f"Pain {pain}/10 before you start", " ".join(answer.lines),
                              "Start this routine anyway", "Not now"),
                closed,
            )
            return
        self.dismiss({"start": True, "pain": pain})

    def on_key(self, event: events.Key) -> None:
        """The lists are longer than the dialog: arrows and page keys scroll them while the pain field keeps focus."""
        lines = SCROLL_KEYS.get(event.key)
        if lines:
            event.stop()
            self.query_one("#checklist-flags", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_cancel(self) -> None:
        self.dismiss({"start": False})

    def action_red_flag(self, key: str) -> None:
        """A sign of group ``key`` applies: the caller answers with that group's advice."""
        self.dismiss({"start": False, "flagged": key})

    @on(Input.Submitted, "#checklist-pain")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "checklist-start":
            self.action_start()
        elif (event.button.id or "").startswith("checklist-yes-"):
            self.action_red_flag((event.button.id or "").removeprefix("checklist-yes-"))
        else:
            self.action_cancel()
