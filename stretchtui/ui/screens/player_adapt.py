"""The player's adaptive parts: the "how did that feel?" bar and dialog, the
*spreading* dialog and the flare-version offer.

Kept apart from :mod:`.player` so the player screen only wires them in.

* :class:`ResponseBar` sits under the instruction. The player shows it when a
  stretch is finished (all its reps and sides) until the next stretch's first
  work step: during the rest between items and the next get-ready. Keys
  ``1`` better, ``2`` same, ``3`` worse, ``4`` spreading, ... in the order of
  ``session.RESPONSES`` (the player's own keys use letters), or a click on a
  button. No answer records none; the session never waits.
* :class:`ResponseDialog`: the same question about the last stretch, asked
  once the session is over (no rest after it to ask in), before the summary.
* :class:`SpreadingDialog`: *spreading* pauses the session and offers to stop
  (a symptom stop naming the stretch) or go on without that stretch.
* :class:`FlareOfferDialog`: before a session in a flare (pain 7+ before, or
  the profile's flare on), play the flare version or the routine as planned.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Label, Static

from ...core.domain.flare import FLARE_REMINDER
from ...core.domain.play_session import RESPONSE_KEYS as KEY_RESPONSES
from ...core.domain.play_session import RESPONSE_MEANS
from ...core.domain.session import RESPONSES
from .dialogs import Dialog

#: The layout of this module's screens, beside it (read when one is first shown).
CSS_FILE = Path(__file__).with_name("player_adapt.tcss")


#: Key for each response, in order (digits: the player's own keys are letters).
RESPONSE_KEYS: dict[str, str] = {response: key for key, response in KEY_RESPONSES.items()}
#: How each answer reads in the keys' list.
RESPONSE_WORDS: dict[str, str] = {
    "better": "Felt better", "same": "Felt the same", "worse": "Felt worse",
    "spreading": "Symptoms spreading after it", "central": "Symptoms moved toward the spine",
}

#: What the answers that need it mean, said on screen next to the buttons.
SPREADING_MEANS = " · ".join(f"{response}: {RESPONSE_MEANS[response]}" for response in RESPONSES
                             if response in RESPONSE_MEANS)


class ResponseBar(Vertical):
    """ "How did Knee to Chest feel?" with one button per response (the answer given is highlighted)."""

    DEFAULT_CSS = """
    ResponseBar {
        height: auto;
        width: 100%;
        display: none;
    }
    ResponseBar.-open {
        display: block;
    }
    ResponseBar Horizontal {
        height: 1;
        width: 100%;
    }
    ResponseBar #response-question {
        width: auto;
        text-style: bold;
        padding-right: 1;
    }
    ResponseBar Button {
        margin-right: 1;
        min-width: 0;
    }
    ResponseBar #response-means {
        width: 100%;
        height: auto;
        max-height: 3;
        color: $text-muted;
    }
    """

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label("", id="response-question", markup=False)
            for response in RESPONSES:
                button = Button(
                    Content(f"{RESPONSE_KEYS[response]} {response}"),
                    id=f"respond-{response}",
                    compact=True,
                    variant="error" if response == "spreading" else "default",
                )
                button.can_focus = False  # keys and clicks answer; space and Enter stay the player's
                yield button
        yield Static(SPREADING_MEANS, id="response-means", markup=False)

    question = ""

    def _fit(self) -> None:
        """The question beside the buttons when it fits there, else at the start of the line under them
        (a narrow terminal, a long name): no row is added and no button is pushed off."""
        buttons = sum(len(f"{RESPONSE_KEYS[r]} {r}") + 3 for r in RESPONSES)  # label, padding, margin
        beside = len(self.question) + 1 + buttons <= (self.size.width or 80)
        label = self.query_one("#response-question", Label)
        label.display = beside
        label.update(self.question)
        means = Content(SPREADING_MEANS) if beside else Content.assemble((self.question, "bold"), " ", SPREADING_MEANS)
        self.query_one("#response-means", Static).update(means)

    def on_resize(self) -> None:
        if self.question:
            self._fit()

    def show(self, name: str | None, answer: str | None = None) -> None:
        """Open the bar about stretch ``name`` with ``answer`` highlighted; ``None`` closes it."""
        self.set_class(name is not None, "-open")
        if name is None:
            return
        self.question = f"How did {name} feel?"
        self._fit()
        for response in RESPONSES:
            button = self.query_one(f"#respond-{response}", Button)
            button.set_class(response == answer, "-chosen")
            chosen = response == answer
            button.variant = "primary" if chosen else ("error" if response == "spreading" else "default")


class ResponseDialog(Dialog["str | None"]):
    """How did the last stretch feel? Dismisses with one of ``RESPONSES`` or None (Escape: not answered)."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [
        Binding("escape", "answer('')", "Not now", id="response.skip"),
        *(Binding(key, f"answer('{response}')", RESPONSE_WORDS.get(response, response), show=False,
                  id=f"response.{response}") for response, key in RESPONSE_KEYS.items()),
    ]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.stretch_name = name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(f"How did {self.stretch_name} feel?"), classes="dialog-title")
            yield Static(f"The session is over; this was its last stretch (Escape leaves it out). {SPREADING_MEANS}.",
                         markup=False, classes="dialog-message")
            with Horizontal():
                for response in RESPONSES:
                    button = Button(Content(f"{RESPONSE_KEYS[response]} {response}"), id=f"response-{response}",
                                    compact=True, variant="error" if response == "spreading" else "default")
                    button.can_focus = False  # digits and clicks answer; Escape leaves it out
                    yield button

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer or None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("response-") or None)


class SpreadingDialog(Dialog["str | None"]):
    """Symptoms spread after a stretch: dismisses with "stop", "skip" or None (not spreading after all)."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [
        Binding("escape", "answer('')", "Not spreading", id="spreading.cancel"),
        Binding("x,s", "answer('stop')", "Stop the session", id="spreading.stop"),
        Binding("o", "answer('skip')", "Go on without it", id="spreading.skip"),
        Binding("left,right", "app.focus_previous", show=False, id="spreading.switch-button"),
    ]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.stretch_name = name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Symptoms spreading after {self.stretch_name}", classes="dialog-title", markup=False)
            yield Static(
                "Symptoms moving down an arm or leg, or new numbness, tingling or weakness, mean: "
                f"stop {self.stretch_name}. The session is paused. Stop here (recorded as a symptom stop "
                "naming this stretch), or go on without it for the rest of the session. "
                "If the symptoms stay or grow, see a clinician.",
                markup=False,
                classes="dialog-message",
            )
            with Horizontal():
                yield Button("Stop the session", id="spreading-stop", variant="error")
                yield Button(Content(f"Go on without {self.stretch_name}"), id="spreading-skip")

    def on_mount(self) -> None:
        self.query_one("#spreading-stop", Button).focus()

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer or None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss({"spreading-stop": "stop", "spreading-skip": "skip"}.get(event.button.id or ""))


class FlareOfferDialog(Dialog["str | None"]):
    """Play the flare version? Dismisses with "flare", "full" or None (not now)."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [
        Binding("escape", "answer('')", "Not now", id="flare-offer.cancel"),
        Binding("f", "answer('flare')", "Flare version", id="flare-offer.flare"),
        Binding("p", "answer('full')", "As planned", id="flare-offer.full"),
        Binding("left,right", "app.focus_previous", show=False, id="flare-offer.switch-button"),
    ]

    def __init__(self, why: str, plan_text: str, *, available: bool) -> None:
        super().__init__()
        self.why = why
        self.plan_text = plan_text
        self.available = available

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Go gently today", classes="dialog-title", markup=False)
            yield Static(f"{self.why} {self.plan_text}", markup=False, classes="dialog-message")
            yield Static(FLARE_REMINDER, markup=False, classes="dialog-message")
            with Horizontal():
                if self.available:
                    yield Button("Flare version", id="flare-flare", variant="primary")
                yield Button("As planned", id="flare-full")
                yield Button("Not now", id="flare-cancel")

    def on_mount(self) -> None:
        self.query_one("#flare-flare" if self.available else "#flare-cancel", Button).focus()

    def action_answer(self, answer: str) -> None:
        if answer == "flare" and not self.available:
            return
        self.dismiss(answer or None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss({"flare-flare": "flare", "flare-full": "full"}.get(event.button.id or ""))
