"""The profile screen: the user's conditions and the player's settings.

Conditions and on/off settings are saved as soon as they change; the two
numbers step with +/- (saved at once) or are typed after Enter (saved on
Enter, on leaving the field, or with ctrl+s, and rejected with a message
when they are not whole numbers in range). Digits never reach a number field
outside that edit mode, so the screen keys 1-5 always switch screens.
The "In a flare" switch records the date it was switched on (the app asks
again after 14 days). Under the conditions, the PSFS activities (see
:mod:`stretchtui.core.domain.psfs`) with their latest score; ``a`` adds one and
``r`` rates them today (dialogs in :mod:`.psfs`). Under them, the stretches
marked because symptoms spread with them (:mod:`stretchtui.core.domain.symptoms`);
``m`` (or the button) clears every mark, as ``stretchtui symptoms clear all`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, Static

from ...core.domain import psfs
from ...core.domain.models import CONDITIONS, Profile
from ...core.text import display
from ..widgets.app_checkbox import MarkCheckbox
from ..widgets.app_modebar import ModeBar, ModeFooter
from ..widgets.number_field import NumberField
from .base import AppScreen
from .psfs import PsfsAddDialog, PsfsRateDialog

if TYPE_CHECKING:  # pragma: no cover
    from ...core.domain.catalog import Catalog

#: (field, label, low, high) for the number settings; the ranges are the ones the store accepts.
NUMBER_FIELDS: tuple[tuple[str, str, int, int], ...] = (
    ("get_ready", "Get-ready seconds", 0, 60),
    ("default_rest", "Rest between stretches", 0, 600),
)
#: How far +/- move each number (Enter lets you type any value in range).
NUMBER_STEPS = {"get_ready": 1, "default_rest": 5}
#: (field, label) for the on/off settings.
SWITCH_FIELDS: tuple[tuple[str, str], ...] = (
    ("bell", "Bell (stretch, side, end)"),
    ("notifications", "Desktop notifications"),
    ("tick", "Tick: last 3 s of a hold"),
    ("checklist", "Red-flag checklist first"),
    ("ascii_figures", "ASCII figures (no braille)"),
    ("still_figures", "Still figures (no animation)"),
)


FLARE_HELP = (
    "Disc herniation or sciatica flaring up: bending forward and nerve "
    "tensioners become 'avoid'. Asks again after 14 days."
)


PSFS_HELP = "Things your back or neck makes hard, each rated 0 (unable) to 10 (as before)."

SYMPTOMS_HELP = "Stretches marked because symptoms spread with them: left out until a clinician has seen you."


def symptoms_text(profile: Profile, catalog: Catalog) -> str:
    """The Profile screen's list of symptom marks ("None." when there is none)."""
    if not profile.symptom_marks:
        return "None."
    lines = []
    for mark in profile.symptom_marks:
        stretch = catalog.get(mark.stretch) if catalog is not None else None
        lines.append(f"✖ {display(stretch.name if stretch is not None else mark.stretch)} ({mark.date})")
    return "\n".join(lines)


class SymptomMarksBox(Vertical):
    """The symptom marks and the button that clears them."""

    DEFAULT_CSS = """
    SymptomMarksBox {
        width: 1fr;
        height: auto;
        padding: 0 1;
        border: round $border-blurred;
    }
    SymptomMarksBox:focus-within {
        border: round $border;
    }
    SymptomMarksBox #profile-symptoms-help {
        width: 100%;
        color: $text-muted;
    }
    SymptomMarksBox #profile-symptoms-list {
        width: 100%;
        margin-top: 1;
    }
    SymptomMarksBox Button {
        margin-top: 1;
    }
    """


def psfs_text(activities: Sequence[psfs.PsfsActivity]) -> str:
    """The Profile screen's list of PSFS activities with their latest score."""
    if not activities:
        return "None yet: add up to 5 (a), then rate them weekly (r)."
    lines = []
    for activity in activities:
        latest, first = activity.latest, activity.first
        if latest is None or first is None:
            lines.append(f"{display(activity.activity)}: not rated")
            continue
        change = latest.score - first.score
        since = f", {'+' if change > 0 else ''}{change} since {first.day.isoformat()}" if first.day != latest.day else ""
        lines.append(f"{display(activity.activity)}: {latest.score}/10 on {latest.day.isoformat()}{since}")
    return "\n".join(lines)


def flare_label(profile: Profile) -> str:
    """The flare switch's label, with the date it was switched on."""
    return "In a flare" + (f" (since {profile.flare_since})" if profile.flare and profile.flare_since else "")


def parse_number(text: str, label: str, low: int, high: int) -> int:
    """``text`` as a whole number in [low, high]; ValueError with a message for the user otherwise."""
    value = text.strip()
    if not value or not value.isdigit():
        raise ValueError(f"{label}: enter a whole number from {low} to {high} (got {text.strip() or 'nothing'!r}).")
    number = int(value)
    if not low <= number <= high:
        raise ValueError(f"{label}: {number} is out of range; use {low} to {high}.")
    return number


#: Up to this many stretches are named in the condition's line; more are counted.
SHOWN_NAMES = 6


def condition_help(catalog: Catalog, cid: str) -> str:
    """The line under the conditions: what the condition is, and what ticking it marks in the catalog."""
    from ...core.domain.rules import marks_for_condition

    cond = catalog.conditions.get(cid)
    lines = [cond.description] if cond and cond.description else []
    marks = marks_for_condition(catalog, cid)
    parts = []
    for level, mark, word in (("avoid", "✖", "to avoid"), ("caution", "!", "with caution")):
        names = marks[level]
        if names:  # a short list by name; a long one by number (the Catalog, 1, shows them marked)
            parts.append(f"{mark} {len(names)} {word}" + (f": {', '.join(names)}" if len(names) <= SHOWN_NAMES else ""))
    if parts:
        lines.append("Ticked, the catalog marks " + "; ".join(parts) + ".")
    elif cond is not None:
        lines.append("Ticked, it marks no stretch in the catalog.")
    return "\n".join(lines)


class ProfileColumn(VerticalScroll, inherit_bindings=False):
    """A column that scrolls (mouse, scrollbar, focus moving into view) but
    leaves the arrow keys to the screen, where up/down move between fields."""


class ProfileScreen(AppScreen[None]):
    """Conditions (they drive every warning) and player settings."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="profile.save"),
        Binding("a", "psfs_add", "Add activity", tooltip="Add a PSFS activity your back or neck makes hard",
                id="profile.psfs-add"),
        Binding("r", "psfs_rate", "Rate activities", tooltip="Rate your PSFS activities today",
                id="profile.psfs-rate"),
        Binding("m", "clear_symptoms", "Clear symptom marks", show=False,
                tooltip="Clear every symptom mark (once a clinician has seen you)", id="profile.clear-symptoms"),
        Binding("down", "app.focus_next", "Next field", show=False, id="profile.next-field"),
        Binding("up", "app.focus_previous", "Previous field", show=False, id="profile.previous-field"),
    ]

    def compose(self) -> ComposeResult:
        yield ModeBar("profile")
        profile = self.app.profile
        catalog_conditions = self.app.catalog.conditions
        with Horizontal(id="profile-body"):
            with ProfileColumn(id="profile-left"):
                with Vertical(id="profile-conditions-box"):
                    yield Label("Space to tick", classes="profile-heading")
                    for cid in CONDITIONS:
                        cond = catalog_conditions.get(cid)
                        name = cond.name if cond else cid.replace("-", " ").capitalize()
                        yield MarkCheckbox(
                            Content(name),
                            cid in profile.conditions,
                            id=f"cond-{cid}",
                            compact=True,
                            classes="profile-condition",
                        )
                    yield MarkCheckbox(flare_label(profile), profile.flare, id="profile-flare", compact=True)
                    yield Label(FLARE_HELP, id="profile-flare-help")
                    yield Label("", id="profile-condition-help")
                yield from self._compose_psfs()
                with SymptomMarksBox(id="profile-symptoms-box"):
                    yield Label(SYMPTOMS_HELP, id="profile-symptoms-help")
                    yield Static(symptoms_text(profile, self.app.catalog), id="profile-symptoms-list", markup=False)
                    yield Button("Clear marks (m)", id="profile-symptoms-clear", compact=True,
                                 disabled=not profile.symptom_marks)
            with ProfileColumn(id="profile-settings"):
                yield Label("Player settings", classes="profile-heading")
                yield Label("Numbers: +/- change, Enter types", classes="profile-label")
                for name, label, low, high in NUMBER_FIELDS:
                    yield Label(f"{label} ({low}-{high})", classes="profile-label")
                    yield NumberField(
                        getattr(profile, name),
                        low=low,
                        high=high,
                        step=NUMBER_STEPS.get(name, 1),
                        id=f"profile-{name}",
                        compact=True,
                        classes="profile-number",
                    )
                for name, label in SWITCH_FIELDS:
                    yield MarkCheckbox(label, getattr(profile, name), id=f"profile-{name}", compact=True)
                yield Button("Save (ctrl+s)", id="profile-save", compact=True)
                yield Label("", id="profile-status")
        yield ModeFooter()

    def _compose_psfs(self) -> ComposeResult:
        with Vertical(id="profile-psfs-box"):
            yield Label(PSFS_HELP, id="profile-psfs-help")
            yield Static(psfs_text(self.app.profile.psfs), id="profile-psfs-list", markup=False)
            with Horizontal(id="profile-psfs-buttons"):
                yield Button("Add (a)", id="profile-psfs-add", compact=True)
                yield Button("Rate (r)", id="profile-psfs-rate", compact=True)

    def on_mount(self) -> None:
        self.watch(self.app, "profile", self._profile_changed, init=False)
        self.query_one("#profile-conditions-box").border_title = "Conditions"
        self.query_one("#profile-psfs-box").border_title = "Activities (PSFS)"
        self.query_one("#profile-symptoms-box").border_title = "Symptom marks"
        self.query_one("#profile-settings").border_title = "Settings"
        self.query(".profile-condition").first().focus()

    # ------------------------------------------------------------ helpers

    def _status(self, text: str, error: bool = False) -> None:
        label = self.query_one("#profile-status", Label)
        label.update(Content(text))
        label.set_class(error, "-error")

    def _show_condition_help(self, cid: str) -> None:
        help_label = self.query_one("#profile-condition-help", Label)
        help_label.update(Content(condition_help(self.app.catalog, cid)))

    def _read_numbers(self, refocus: bool = True) -> dict | None:
        values: dict = {}
        for name, label, low, high in NUMBER_FIELDS:
            field = self.query_one(f"#profile-{name}", Input)
            try:
                values[name] = parse_number(field.value, label, low, high)
            except ValueError as exc:
                self._status(str(exc), error=True)
                self.notify(str(exc), markup=False, severity="error")
                if refocus:
                    field.focus()
                return None
        return values

    def _collect(self, *, numbers: bool, refocus: bool = True) -> Profile | None:
        profile = self.app.profile
        conditions = tuple(c for c in CONDITIONS if self.query_one(f"#cond-{c}", Checkbox).value)
        changes: dict = {"conditions": conditions}
        for name, _label in SWITCH_FIELDS:
            changes[name] = self.query_one(f"#profile-{name}", Checkbox).value
        flare = self.query_one("#profile-flare", Checkbox).value
        if flare != profile.flare:  # switching it on records today's date
            changes["flare"] = flare
            changes["flare_since"] = self.app.clock.now().date().isoformat() if flare else None
        if numbers:
            values = self._read_numbers(refocus)
            if values is None:
                return None
            changes.update(values)
        return replace(profile, **changes)

    def _apply(self, *, numbers: bool, refocus: bool = True) -> bool:
        profile = self._collect(numbers=numbers, refocus=refocus)
        if profile is None:
            return False
        if profile == self.app.profile:
            if numbers and not getattr(self, "_saving", 0):
                self._status("Saved.")
            return True
        self._status("Saving…")
        self._saving = getattr(self, "_saving", 0) + 1
        self.app.set_profile(profile, quiet=True, on_saved=self._saved)
        return True

    def _saved(self, ok: bool) -> None:
        """The store's answer to a save (on the event loop, once it is written)."""
        self._saving = max(0, getattr(self, "_saving", 1) - 1)
        if not self.is_mounted:
            return
        if not ok:
            self._failed = True
        if self._saving:
            return  # a later change is still being written: say "Saved." once it is
        if ok and not getattr(self, "_failed", False):
            self._status("Saved.")
        else:
            self._failed = False
            self._status("Not saved (see the message); it applies until you quit.", error=True)

    # ------------------------------------------------------------ events

    def on_descendant_focus(self, event) -> None:
        widget = event.widget
        if widget.has_class("profile-condition") and widget.id:
            self._show_condition_help(widget.id.removeprefix("cond-"))
        else:
            self.query_one("#profile-condition-help", Label).update("")

    @on(Checkbox.Changed)
    def _switch_changed(self) -> None:
        self._apply(numbers=False)

    @on(Input.Submitted, ".profile-number")
    def _number_submitted(self) -> None:
        self._apply(numbers=True)

    @on(NumberField.Stepped, ".profile-number")
    def _number_stepped(self) -> None:
        self._apply(numbers=True)

    @on(Input.Blurred, ".profile-number")
    def _number_blurred(self) -> None:
        if self.is_current:
            self._apply(numbers=True, refocus=False)

    @on(Button.Pressed, "#profile-save")
    def _save_pressed(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Save every setting now."""
        self._apply(numbers=True)

    # ------------------------------------------------------------ PSFS

    @on(Button.Pressed, "#profile-psfs-add")
    def _psfs_add_pressed(self) -> None:
        self.action_psfs_add()

    @on(Button.Pressed, "#profile-psfs-rate")
    def _psfs_rate_pressed(self) -> None:
        self.action_psfs_rate()

    def action_psfs_add(self) -> None:
        """Add a PSFS activity (a dialog asks for its text and today's score)."""
        activities = self.app.profile.psfs
        if len(activities) >= psfs.MAX_ACTIVITIES:
            self.notify(f"The scale holds at most {psfs.MAX_ACTIVITIES} activities.", markup=False,
                        severity="warning")
            return
        self.app.push_screen(PsfsAddDialog(activities, self.app.clock.now().date()), self._psfs_done)

    def action_psfs_rate(self) -> None:
        """Rate the PSFS activities today."""
        activities = self.app.profile.psfs
        if not activities:
            self.notify("No activities yet: add one first (a).", markup=False)
            return
        self.app.push_screen(PsfsRateDialog(activities, self.app.clock.now().date()), self._psfs_done)

    def _psfs_done(self, activities: tuple[psfs.PsfsActivity, ...] | None) -> None:
        if activities is None:
            return
        self._status("Saving…")
        self._saving = getattr(self, "_saving", 0) + 1
        self.app.set_profile(replace(self.app.profile, psfs=activities), quiet=True, on_saved=self._saved)
        # The activities are below the conditions: bring the list (and what was just added) into view.
        self.call_after_refresh(self.query_one("#profile-psfs-box").scroll_visible, animate=False)

    @on(Button.Pressed, "#profile-symptoms-clear")
    def _clear_symptoms_pressed(self) -> None:
        self.action_clear_symptoms()

    def action_clear_symptoms(self) -> None:
        """Clear every symptom mark (the store's, then the app's)."""
        if not self.app.profile.symptom_marks:
            self.notify("No stretch is marked.", markup=False)
            return

        def done(removed: tuple) -> None:
            names = ", ".join(
                display(s.name if (s := self.app.catalog.get(m.stretch)) else m.stretch) for m in removed
            )
            self.notify(f"Cleared the symptom mark of {names}." if names else "No stretch was marked.",
                        markup=False)

        self.app.clear_symptom_marks(None, done)

    def _profile_changed(self, profile: Profile) -> None:
        # Another screen changed the profile: show it without echoing back a save.
        self.query_one("#profile-psfs-list", Static).update(psfs_text(profile.psfs))
        self.query_one("#profile-symptoms-list", Static).update(symptoms_text(profile, self.app.catalog))
        self.query_one("#profile-symptoms-clear", Button).disabled = not profile.symptom_marks
        with self.prevent(Checkbox.Changed):
            for cid in CONDITIONS:
                self.query_one(f"#cond-{cid}", Checkbox).value = cid in profile.conditions
            for name, _label in SWITCH_FIELDS:
                self.query_one(f"#profile-{name}", Checkbox).value = getattr(profile, name)
            flare = self.query_one("#profile-flare", Checkbox)
            flare.value = profile.flare
            flare.label = flare_label(profile)
        for name, _label, _low, _high in NUMBER_FIELDS:
            field = self.query_one(f"#profile-{name}", Input)
            if not field.has_focus:
                field.value = str(getattr(profile, name))
