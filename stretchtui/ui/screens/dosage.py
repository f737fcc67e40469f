"""The dosage dialog: edit one routine item's hold, reps, sides and rest.

Values are bounded by the routine-file limits (``models.LIMITS``); the
catalog's suggested range is shown alongside. An invalid value keeps the
dialog open with a message saying which field and what to enter. Dismisses
with the new ``RoutineItem`` (defaults stored as ``None``) or ``None`` when
cancelled.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static

from ...core.domain.builder_model import DosageError, normalize_item, parse_dosage
from ...core.domain.models import ITEM_FIELDS, RoutineItem, Stretch
from .dialogs import Dialog

#: The layout of this module's screens, beside it (read when one is first shown).
CSS_FILE = Path(__file__).with_name("dosage.tcss")


_MODE_TEXT = {
    "hold": ("Hold (s)", "seconds per hold", "holds"),
    "reps": ("Rep (s)", "seconds per repetition", "repetitions"),
    "duration": ("Time (s)", "seconds of movement", "rounds"),
}
_SIDES_TEXT = {"none": "both at once", "each": "left then right", "left": "left only", "right": "right only"}


def _span(key: str) -> str:
    """``1–600`` for a number field (its unit follows in words)."""
    low, high = ITEM_FIELDS[key].bounds
    return f"{low}–{high}"

class DosageDialog(Dialog["RoutineItem | None"]):
    """Edit an item's dosage."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dosage.cancel"),
        Binding("ctrl+s", "save", "Save", id="dosage.save"),
        Binding("ctrl+r", "defaults", "Defaults", id="dosage.defaults"),
    ]

    def __init__(self, item: RoutineItem, stretch: Stretch | None, *, position: int = 1) -> None:
        super().__init__()
        self.item = item
        self.stretch = stretch
        self.position = position

    # -- layout ----------------------------------------------------------------
    def _resolved(self) -> RoutineItem:
        return self.item.resolved(self.stretch) if self.stretch is not None else self.item

    def compose(self) -> ComposeResult:
        stretch = self.stretch
        name = stretch.name if stretch is not None else self.item.stretch
        mode = stretch.dosage.mode if stretch is not None else "hold"
        hold_label, hold_unit, reps_word = _MODE_TEXT.get(mode, _MODE_TEXT["hold"])
        shown = self._resolved()
        with Vertical():
            yield Label(Content(f"Dosage of #{self.position}: {name}"), classes="dialog-title")
            if stretch is not None:
                d = stretch.dosage
                yield Static(
                    f"Suggested: {d.hold.min}–{d.hold.max} {hold_unit} (default {d.hold.default}), "
                    f"{d.reps.min}–{d.reps.max} {reps_word} (default {d.reps.default}), sides {d.sides}, "
                    f"rest {d.rest} s. Empty field = default.",
                    markup=False,
                    classes="hint",
                )
            else:
                yield Static("This stretch is not in the catalog; no suggested range.", markup=False, classes="hint")
            for key, label, value, note in (
                ("hold", hold_label, shown.hold, f"{_span('hold')} {hold_unit}"),
                ("reps", ITEM_FIELDS["reps"].label, shown.reps, f"{_span('reps')} {reps_word}"),
            ):
                with Horizontal(classes="field"):
                    yield Label(label)
                    yield Input("" if value is None else str(value), id=f"dosage-{key}", type="integer", compact=True)
                    yield Label(note, classes="limits")
            with Horizontal(classes="field"):
                yield Label(ITEM_FIELDS["sides"].label)
                yield Select(
                    [(s, s) for s in ITEM_FIELDS["sides"].choices],
                    value=shown.sides if ITEM_FIELDS["sides"].accepts(shown.sides) and shown.sides else "none",
                    allow_blank=False,
                    id="dosage-sides",
                    compact=True,
                )
                yield Label("", id="sides-note", classes="limits")
            with Horizontal(classes="field"):
                yield Label(f"{ITEM_FIELDS['rest'].label} ({ITEM_FIELDS['rest'].unit})")
                yield Input("" if shown.rest is None else str(shown.rest), id="dosage-rest", type="integer", compact=True)
                yield Label(f"{ITEM_FIELDS['rest'].range_text()} between {reps_word}", classes="limits")
            yield Static("", id="dosage-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Defaults", id="defaults", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self._sides_note()
        self.query_one("#dosage-hold", Input).focus()

    @on(Select.Changed, "#dosage-sides")
    def _sides_note(self) -> None:
        value = self.query_one("#dosage-sides", Select).value
        self.query_one("#sides-note", Label).update(_SIDES_TEXT.get(str(value), ""))

    # -- result ----------------------------------------------------------------
    def result(self) -> RoutineItem:
        """The item from the fields; raises DosageError naming a bad field."""
        item = parse_dosage(
            self.item.stretch,
            hold=self.query_one("#dosage-hold", Input).value,
            reps=self.query_one("#dosage-reps", Input).value,
            sides=str(self.query_one("#dosage-sides", Select).value),
            rest=self.query_one("#dosage-rest", Input).value,
        )
        return normalize_item(item, self.stretch)

    def action_save(self) -> None:
        error = self.query_one("#dosage-error", Static)
        try:
            item = self.result()
        except DosageError as exc:
            error.update(str(exc))
            try:
                self.query_one(f"#dosage-{exc.field}").focus()
            except Exception:
                pass
            return
        self.dismiss(item)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_defaults(self) -> None:
        if self.stretch is None:
            return
        d = self.stretch.dosage
        self.query_one("#dosage-hold", Input).value = str(d.hold.default)
        self.query_one("#dosage-reps", Input).value = str(d.reps.default)
        self.query_one("#dosage-sides", Select).value = d.sides
        self.query_one("#dosage-rest", Input).value = str(d.rest)
        self.query_one("#dosage-error", Static).update("")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"save": self.action_save, "defaults": self.action_defaults, "cancel": self.action_cancel}[
            event.button.id or "cancel"
        ]()
