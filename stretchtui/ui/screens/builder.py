"""The routine builder: catalog on the left, the routine and its warnings on the right.

Mouse: drag a catalog stretch onto the routine (it lands where the marker
shows), drag routine items to reorder them, drag one out of the routine to
remove it. Keyboard: every drag has a key (see ``BINDINGS``).

The routine itself lives in the pure ``core.domain.builder_model.BuilderModel``;
this screen turns keys and drops into model calls and redraws. Safety
warnings come from ``core.domain.rules.check_for_profile`` (the profile's
conditions and flare) and are recomputed after every change.

Public API used by the other screens: ``load_routine(routine)``,
``add_stretch(stretch_id, index=None)``, ``is_dirty``, ``current_routine()``.

Where the user left off: when the screen is created it asks the app for
the routine the builder held at the last quit (``app.restore_builder``):
a saved routine is read from the library again by name, an unsaved draft
comes back as it was, unsaved. Every change tells the app
(``app.ui_state_changed()``), which saves ``ui-state.json`` a little later,
and the app reads :meth:`BuilderScreen.builder_state` when it does.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Input, OptionList, Static

from ...core.domain.builder_model import BuilderError, BuilderModel
from ...core.domain.models import UNTITLED, Profile, Routine, RoutineItem, SafetyWarning
from ...core.domain.progression import describe_change
from ...core.domain.rules import worst_of_levels
from ...core.domain.timeline import format_duration, routine_seconds
from ...core.storage.lookup import taken_names
from ...core.storage.store import copy_name, name_key
from ...core.storage.ui_state import BuilderState
from ...core.text import display
from ..background import store_call, store_write
from ..widgets.catalog_picker import CatalogPicker
from ..widgets.progress_hint import ProgressHint
from ..widgets.routine_list import RoutineList, RoutineRow
from ..widgets.warnings_panel import WarningsPanel
from .base import AppScreen

#: The layout of this module's screens, beside it (read when one is first shown).
CSS_FILE = Path(__file__).with_name("builder.tcss")


def dosage_summary(item: RoutineItem, mode: str) -> str:
    """``20s×3 L+R`` style summary of a resolved item."""
    if mode == "reps":
        text = f"{item.reps} reps"
    elif mode == "duration":
        text = f"{item.hold}s" if (item.reps or 1) == 1 else f"{item.hold}s×{item.reps}"
    else:
        text = f"{item.hold}s×{item.reps}"
    side = {"each": " L+R", "left": " L", "right": " R"}.get(item.sides or "none", "")
    return text + side


def unknown_label(stretch_id: str) -> str:
    """The Builder's row for a stretch id the catalog does not know (a hand-edited routine): cleaned."""
    return f"unknown: {display(stretch_id)}"

class BuilderScreen(AppScreen[None]):
    """Build a routine by dragging or with keys; see its warnings as you go."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [
        Binding("a", "add", "Add", tooltip="Add the highlighted catalog stretch after the routine cursor", id="builder.add"),
        Binding("x,delete", "remove", "Remove", tooltip="Remove the highlighted routine item", id="builder.remove"),
        Binding("K,shift+up", "move_up", "Move up", key_display="K", show=False, id="builder.move-up"),
        Binding("J,shift+down", "move_down", "Move down", key_display="J", show=False, id="builder.move-down"),
        Binding("e", "edit", "Dosage", tooltip="Edit hold, reps, sides and rest of the highlighted item", id="builder.dosage"),
        Binding("u,ctrl+z", "undo", "Undo", show=False, id="builder.undo"),
        Binding("U,ctrl+y", "redo", "Redo", key_display="U", show=False, id="builder.redo"),
        Binding("o", "alternative", "Safer option", show=False, tooltip="Use the safer alternative a warning offers", id="builder.alternative"),
        Binding("s,ctrl+s", "save", "Save", tooltip="Save the routine to the library", id="builder.save"),
        Binding("E", "export", "Export", show=False, tooltip="Save the routine to a routine file", id="builder.export"),
        Binding("n", "rename", "Name", show=False, tooltip="Name (rename) the routine", id="builder.rename"),
        Binding("N", "new", "New routine", show=False, tooltip="Start a new, empty routine", id="builder.new"),
        Binding("p", "play", "Play", tooltip="Play the routine in the guided player", id="builder.play"),
        Binding("slash", "search", "Search", key_display="/", show=False, id="builder.search"),
        Binding("g", "cycle_region", "Region", show=False, tooltip="Show the next body region in the catalog", id="builder.region"),
        Binding("escape", "cancel_drag", "Cancel drag", show=False, id="builder.cancel-drag"),
        Binding("P", "apply_progress", "Apply doses", show=False,
                tooltip="Use the doses the progression rule suggests (the 'ready to progress' line; u undoes)",
                id="builder.apply-progress"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.model = BuilderModel()
        self._warnings: list[SafetyWarning] = []
        self._profile: Profile | None = None
        self._marked: tuple[int, ...] = ()
        self._ready = False
        self._saving = False  # a save is being written (see _save)
        self._opening: str | None = None  # the saved routine being read from the library at start
        self._open_failed = False  # ... which could not be read: kept for the next start, not shown
        # Before anything can reach the builder (the catalog's "add to builder" may add a stretch before
        # the screen is mounted): the routine of the last quit, which the app hands over once.
        self._restore(self.app.restore_builder(self.builder_state))

    # ================================================================ layout
    def compose(self) -> ComposeResult:
        from ..widgets.app_modebar import ModeBar, ModeFooter

        yield ModeBar("builder")
        yield Static("", id="builder-title")
        yield ProgressHint(id="builder-progress")
        with Horizontal(id="builder-main"):
            yield CatalogPicker(self.app.catalog, id="builder-catalog")
            with Vertical(id="builder-right"):
                yield RoutineList(id="builder-routine")
                yield WarningsPanel(id="builder-warnings")
        yield ModeFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "profile", self._profile_changed, init=False)
        self._ready = True
        self.picker.stretch_list.border_title = "Catalog"
        self.routine_list.border_title = "Routine"
        self.warnings_panel.border_title = "Warnings"
        self._profile = self.profile
        self._update_catalog_marks()
        if self._opening is not None:
            self._reopen(self._opening)
        self.refresh_routine()
        self.picker.stretch_list.focus()
        self.query_one(ProgressHint).reload()

    def on_screen_resume(self) -> None:
        self.query_one(ProgressHint).reload()  # sessions may have been played meanwhile
        profile = self.profile
        if profile != self._profile:
            self._profile = profile
            self._update_catalog_marks()
            self.refresh_routine()

    def _profile_changed(self, profile: Profile) -> None:
        self._profile = profile
        self._update_catalog_marks()
        self.refresh_routine()

    # ================================================================ state
    @property
    def profile(self) -> Profile:
        profile = getattr(self.app, "profile", None)
        return profile if isinstance(profile, Profile) else Profile()

    @property
    def catalog(self):
        return self.app.catalog

    @property
    def picker(self) -> CatalogPicker:
        return self.query_one("#builder-catalog", CatalogPicker)

    @property
    def routine_list(self) -> RoutineList:
        return self.query_one("#builder-routine", RoutineList)

    @property
    def warnings_panel(self) -> WarningsPanel:
        return self.query_one("#builder-warnings", WarningsPanel)

    @property
    def warnings(self) -> list[SafetyWarning]:
        """The warnings shown now (most serious first)."""
        return list(self._warnings)

    @property
    def is_dirty(self) -> bool:
        """True when the routine has changes that are not saved in the library."""
        return self.model.dirty

    def current_routine(self) -> Routine:
        """The routine as it stands in the builder."""
        return self.model.routine()

    def _name_of(self, stretch_id: str) -> str:
        stretch = self.catalog.get(stretch_id)
        return stretch.name if stretch is not None else stretch_id

    # ================================================================ drawing
    def _update_catalog_marks(self) -> None:
        conditions = tuple(self.profile.conditions)
        symptom_marks = self.profile.symptom_marks
        marks: dict[str, str] = {}
        if conditions or symptom_marks:
            from ...core.domain.rules import warnings_for_stretch, worst_level

            for stretch in self.catalog.stretches.values():
                level = worst_level(warnings_for_stretch(stretch, conditions, self.catalog, flare=self.profile.flare,
                                                         marks=symptom_marks))
                if level:
                    marks[stretch.id] = level
        try:
            self.picker.set_marks(marks)
            # The same legend words as the catalog screen's status line.
            levels = set(marks.values())
            legend = [text for level, text in (("caution", "! caution"), ("avoid", "✖ avoid")) if level in levels]
            self.picker.stretch_list.border_subtitle = ", ".join(legend)
        except NoMatches:
            pass

    def _compute_warnings(self, routine: Routine) -> list[SafetyWarning]:
        from ...core.domain.rules import check_for_profile

        try:
            return list(check_for_profile(routine, self.catalog, self.profile))
        except Exception as exc:  # the rules must never take the builder down
            self.log.error(f"check_routine failed: {exc!r}")
            return []

    def _total_seconds(self, routine: Routine) -> int:
        return routine_seconds(routine, self.catalog, self.profile, known_only=True) or 0

    def refresh_routine(self) -> None:
        """Redraw the routine, its warnings, the title and the footer from the model."""
        if not self._ready:
            return
        try:
            routine_list = self.routine_list
        except NoMatches:
            return
        routine = self.model.routine()
        self._warnings = self._compute_warnings(routine)
        worst: dict[int, str] = {}
        for warning in self._warnings:
            for index in warning.items:
                worst[index] = worst_of_levels([warning.level, *([worst[index]] if index in worst else [])]) or ""
        rows = []
        for index, item in enumerate(routine.items):
            stretch = self.catalog.get(item.stretch)
            if stretch is None:
                rows.append(RoutineRow(item.stretch, unknown_label(item.stretch), "?", "avoid"))
                continue
            rows.append(
                RoutineRow(stretch.id, stretch.name, dosage_summary(item.resolved(stretch), stretch.dosage.mode), worst.get(index))
            )
        highlighted = self.warnings_panel.highlighted_warning if self.warnings_panel.has_focus else None
        self.warnings_panel.show(self._warnings, self._name_of)
        if highlighted is not None and highlighted not in self._warnings:
            highlighted = None
        self._marked = tuple(highlighted.items) if highlighted is not None else ()
        routine_list.show(rows, self.model.cursor, self._marked)
        count = len(self._warnings)
        levels = {w.level for w in self._warnings}
        self.warnings_panel.border_title = f"Warnings ({count})" if count else "Warnings"
        self.warnings_panel.set_class("avoid" in levels, "-avoid")
        total = self._total_seconds(routine)
        n = len(routine.items)
        routine_list.border_title = f"Routine · {n} stretch{'es' if n != 1 else ''} · {format_duration(total)}"
        opening = self._opening if not self._open_failed and self.builder_state() == BuilderState(
            saved=self._opening) else None
        parts: list = [("Routine: ", "bold"), Content(self.model.name or opening or UNTITLED)]
        if opening is not None:
            parts.append((" • opening…", "$text-muted"))
        elif self._saving:
            parts.append((" • saving…", "$text-muted"))
        elif self.model.dirty:
            parts.append((" • unsaved", "$warning"))
        elif self.model.saved_name is not None:
            parts.append((" • saved", "$success"))
        if not self.model.items:
            parts.append(("   drag stretches across with the mouse, or press a", "$text-muted"))
        self.query_one("#builder-title", Static).update(Content.assemble(*parts))
        self._show_progress(routine)
        self.refresh_bindings()
        self.app.ui_state_changed()

    # ================================================================ where the user left off
    def builder_state(self) -> BuilderState | None:
        """What the builder holds, as ui-state.json keeps it (None: a new, empty routine)."""
        model = self.model
        pristine = not model.dirty and not model.items and not model.name and model.saved_name is None
        if self._opening is not None and pristine:
            return BuilderState(saved=self._opening)  # still being read: keep pointing at it
        if pristine:
            return None
        if model.saved_name is not None and not model.dirty and model.name == model.saved_name:
            return BuilderState(saved=model.saved_name)  # the library has it as it is: read it again at start
        routine = Routine(name=model.name, items=tuple(model.items), notes=model.notes)
        return BuilderState(saved=model.saved_name, routine=routine, dirty=model.dirty)

    def _restore(self, state: BuilderState | None) -> None:
        """Put back the routine of the last quit: a draft as it was; a saved one is read from the
        library by name once the screen is mounted (:meth:`_reopen`)."""
        if state is None:
            return
        if state.routine is not None:
            self.model.load(state.routine, saved_name=state.saved, dirty=state.dirty)
        elif state.saved is not None:
            self._opening = state.saved

    def _reopen(self, name: str) -> None:
        """Read the saved routine ``name`` from the library (off the event loop) and show it, unless
        the user did something in the builder meanwhile."""
        store = self.app.store

        def opened(routine: Routine | None) -> None:
            self._opening = None
            untouched = not self.model.dirty and not self.model.items and self.model.saved_name is None
            if routine is None:  # deleted (or renamed) meanwhile: the builder starts empty, no fuss
                self.log(f"builder: {name!r} is no longer in the library")
            elif untouched:  # nothing done in the builder meanwhile
                self.model.load(routine, saved_name=routine.name)
            self.refresh_routine()

        def failed(exc: BaseException) -> None:
            # An unreadable library (the store said so at start): the builder starts empty and says
            # nothing more; until something is done in it, the next start tries this routine again.
            self.log.error(f"builder: could not reopen {name!r}: {exc!r}")
            self._open_failed = True
            self.refresh_routine()

        store_call(self, "builder-load", lambda: store.get_routine(name), opened, failed)

    def library_renamed(self, old: str, new: str) -> None:
        """The library renamed ``old`` to ``new``: a later Save replaces it under its new name."""
        model = self.model
        if model.saved_name is None or name_key(model.saved_name) != name_key(old):
            return
        clean = not model.dirty
        model.saved_name = new
        if clean and name_key(model.name) == name_key(old):
            model.mark_saved(Routine(name=new, items=tuple(model.items)))
        self.refresh_routine()

    # ================================================================ public API
    def load_routine(self, routine: Routine, *, confirm: bool = True) -> None:
        """Edit ``routine``; asks first when the current routine has unsaved changes."""
        if confirm and self.model.dirty:
            from .dialogs import ConfirmDialog

            def answered(ok: bool | None) -> None:
                if ok:
                    self.load_routine(routine, confirm=False)

            self.app.push_screen(
                ConfirmDialog(
                    "Unsaved changes",
                    f"The routine being built has unsaved changes. Discard them and open {routine.name}?",
                    yes_label="Discard and open",
                    no_label="Keep editing",
                ),
                answered,
            )
            return
        store, catalog = self.app.store, self.catalog

        def look_up() -> tuple[Routine, str | None]:  # in a worker: the store is not read on the event loop
            if routine.starter:
                # A starter is read-only: what is built from it is saved as "Name (copy)".
                return replace(routine, starter=False, name=copy_name(routine.name, taken_names(store, catalog))), None
            if routine.name:
                try:
                    if store.get_routine(routine.name) is not None:
                        return routine, routine.name
                except Exception:
                    pass
            return routine, None

        store_call(self, "builder-load", look_up, self._load_looked_up)

    def _load_looked_up(self, found: tuple[Routine, str | None]) -> None:
        routine, saved_name = found
        self._opening = None  # an open asked for by the user wins over the one of the last quit
        self.model.load(routine, saved_name=saved_name)
        self.refresh_routine()

    def add_stretch(self, stretch_id: str, index: int | None = None) -> int | None:
        """Add ``stretch_id`` at gap ``index`` (None: after the routine cursor). Returns its index."""
        if stretch_id not in self.catalog.stretches:
            self.notify(f"There is no stretch '{stretch_id}' in the catalog.", severity="error", markup=False)
            return None
        try:
            position = self.model.insert(stretch_id, index)
        except BuilderError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return None
        self.refresh_routine()
        return position

    # ================================================================ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self._ready:
            return True
        empty = self.model.is_empty
        if action == "add":
            try:
                return self.picker.stretch_list.highlighted_id is not None
            except NoMatches:
                return True
        if action in ("remove", "edit"):
            return not empty
        if action == "move_up":
            return None if empty or self.model.cursor == 0 else True
        if action == "move_down":
            return None if empty or self.model.cursor >= len(self.model) - 1 else True
        if action == "undo":
            return self.model.can_undo
        if action == "redo":
            return self.model.can_redo
        if action == "play":
            return None if empty else True
        if action == "alternative":
            return self._alternative_warning() is not None
        return True

    def _changed(self, message: str | None = None) -> None:
        self.refresh_routine()
        if message:
            self.notify(message, markup=False, timeout=3)

    def action_add(self) -> None:
        stretch_id = self.picker.stretch_list.highlighted_id
        if stretch_id is not None:
            self.add_stretch(stretch_id)

    def action_remove(self) -> None:
        if self.model.is_empty:
            return
        item = self.model.remove()
        self._changed(f"Removed {self._name_of(item.stretch)} (u to undo)")

    def action_move_up(self) -> None:
        if self.model.move_up():
            self._changed()

    def action_move_down(self) -> None:
        if self.model.move_down():
            self._changed()

    def action_undo(self) -> None:
        if self.model.undo():
            self._changed()

    def action_redo(self) -> None:
        if self.model.redo():
            self._changed()

    def action_search(self) -> None:
        self.query_one("#builder-search", Input).focus()

    def action_cycle_region(self) -> None:
        self.picker.cycle_region()

    def action_cancel_drag(self) -> None:
        self.picker.stretch_list.cancel_drag()
        self.routine_list.cancel_drag()
        self.routine_list.drag_leave()

    def action_edit(self, index: int | None = None) -> None:
        if self.model.is_empty:
            return
        index = self.model.cursor if index is None else index
        from .dosage import DosageDialog

        item = self.model.items[index]

        def done(new_item: RoutineItem | None) -> None:
            if new_item is not None and index < len(self.model) and self.model.set_item(index, new_item):
                self._changed()

        self.app.push_screen(DosageDialog(item, self.catalog.get(item.stretch), position=index + 1), done)

    def _alternative_warning(self) -> SafetyWarning | None:
        """The warning whose alternative the "o" key would use."""
        candidates = [w for w in self._warnings if w.alternative and w.alternative in self.catalog.stretches]
        if not candidates:
            return None
        try:
            highlighted = self.warnings_panel.highlighted_warning
        except NoMatches:
            highlighted = None
        if highlighted is not None and highlighted in candidates and self.warnings_panel.has_focus:
            return highlighted
        for warning in candidates:
            if self.model.cursor in warning.items:
                return warning
        return candidates[0]

    def action_alternative(self) -> None:
        warning = self._alternative_warning()
        if warning is None or warning.alternative is None:
            return
        alternative = warning.alternative
        if warning.rule == "warm-up":
            self.model.insert(alternative, 0)
            self._changed(f"Added {self._name_of(alternative)} as a warm-up (u to undo)")
            return
        first = warning.stretch_ids[0] if warning.stretch_ids else None
        targets = [i for i in warning.items if i < len(self.model) and self.model.items[i].stretch == first]
        targets = targets or [i for i in warning.items if i < len(self.model)]
        if not targets:
            return
        old = self._name_of(self.model.items[targets[0]].stretch)
        self.model.replace_stretch(targets, alternative)
        self._changed(f"Replaced {old} with {self._name_of(alternative)} (u to undo)")

    def action_play(self) -> None:
        if self.model.is_empty:
            self.notify("Add a stretch before playing the routine.", severity="warning")
            return
        self.app.play_routine(self.current_routine(), on_edit=self._edit_after_gate)

    def _edit_after_gate(self) -> None:
        """"Edit" in the safety dialog: stay here, on the warnings."""
        if self.warnings_panel.display:
            self.warnings_panel.focus()

    @work(exclusive=True, group="builder-export")
    async def action_export(self) -> None:
        """Write the routine being built to a routine file (asks where)."""
        from .path_dialog import export_routine

        if self.model.is_empty:
            self.notify("Add a stretch before exporting the routine.", severity="warning")
            return
        await export_routine(self.app, self.current_routine())

    def action_rename(self, then_save: bool = False) -> None:
        from .dialogs import TextPrompt

        def answered(name: str | None) -> None:
            if name is None:
                return
            try:
                self.model.rename(name)
            except BuilderError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.refresh_routine()
            if then_save:
                self._save()

        title = "Save the routine as" if then_save else "Name of the routine"
        self.app.push_screen(TextPrompt(title, value=self.model.name, placeholder="e.g. Morning back"), answered)

    def action_save(self) -> None:
        if self._saving:  # one press, one save: the one being written is enough
            self.notify("Still saving…", timeout=2)
            return
        if self.model.saved_name is None or not self.model.name:
            self.action_rename(then_save=True)
        else:
            self._save()

    def _save(self, *, overwrite: bool = False) -> bool:
        """Save to the library; a new routine never silently replaces a saved one of that name.

        The store is asked on the app's writer thread (the screen keeps
        working meanwhile); the answer arrives in :meth:`_save_answered`. A
        save asked for while one is being written is ignored (one press,
        one save). Returns False when no save was started.
        """
        if self._saving:
            self.notify("Still saving…", timeout=2)
            return False
        routine = self.model.routine()
        store = self.app.store
        replace_name = self.model.saved_name
        check = replace_name is None and not overwrite

        def save() -> tuple[str, Routine]:
            if check:
                try:
                    existing = store.get_routine(routine.name)
                except Exception:
                    existing = None
                if existing is not None:
                    return "exists", existing
            saved = store.save_routine(routine, replace=replace_name)
            return "saved", saved if isinstance(saved, Routine) else routine

        self._saving = True
        self.refresh_routine()
        store_write(self, save, lambda answer: self._save_answered(routine, answer), self._save_failed)
        return True

    def _save_failed(self, exc: BaseException) -> None:
        self._saving = False
        # StoreError, StoreReadOnly, StoreLocked...: show it, keep the work
        self.notify(str(exc), title="Not saved", severity="error", markup=False, timeout=10)

    def _save_answered(self, routine: Routine, answer: tuple[str, Routine]) -> None:
        self._saving = False
        kind, other = answer
        if kind == "exists":
            from .dialogs import ConfirmDialog

            def answered(ok: bool | None) -> None:
                if ok:
                    self._save(overwrite=True)
                else:
                    self.notify(
                        f"Not saved: {other.name} is already in the library. Press n to choose another name.",
                        markup=False,
                        severity="warning",
                    )

            self.app.push_screen(
                ConfirmDialog(
                    "Name already used",
                    f"The library already has a routine called {other.name}. Replace it with this one?",
                    yes_label="Replace it",
                    no_label="Keep both",
                ),
                answered,
            )
            return
        if self.model.routine() == routine:
            self.model.mark_saved(other)
        else:  # edited while it was being written: saved under that name, but not clean
            self.model.saved_name = other.name
        if self.is_mounted:
            self.refresh_routine()
            self.picker.clear_search()  # the search served this routine; the next one starts from the whole catalog
        self.notify(f"Saved {other.name}", markup=False, timeout=3)

    def action_new(self) -> None:
        if not self.model.dirty:
            self.model.clear()
            self.refresh_routine()
            return
        from .dialogs import ConfirmDialog

        def answered(ok: bool | None) -> None:
            if ok:
                self.model.clear()
                self.refresh_routine()

        self.app.push_screen(
            ConfirmDialog(
                "Unsaved changes",
                "The routine being built has unsaved changes. Discard them and start a new routine?",
                yes_label="Discard",
                no_label="Keep editing",
            ),
            answered,
        )

    # ================================================================ messages
    @on(CatalogPicker.AddRequested)
    def _add_requested(self, message: CatalogPicker.AddRequested) -> None:
        self.add_stretch(message.stretch_id)

    @on(RoutineList.StretchDropped)
    def _dropped(self, message: RoutineList.StretchDropped) -> None:
        if self.add_stretch(message.stretch_id, message.index) is not None:
            self.routine_list.focus()

    @on(RoutineList.ItemMoved)
    def _moved(self, message: RoutineList.ItemMoved) -> None:
        if 0 <= message.src < len(self.model):
            self.model.move(message.src, message.dst)
            self._changed()

    @on(RoutineList.ItemRemoved)
    def _removed(self, message: RoutineList.ItemRemoved) -> None:
        if 0 <= message.index < len(self.model):
            item = self.model.remove(message.index)
            self._changed(f"Removed {self._name_of(item.stretch)} (u to undo)")

    @on(RoutineList.CursorMoved)
    def _cursor_moved(self, message: RoutineList.CursorMoved) -> None:
        self.model.set_cursor(message.index)
        self.refresh_bindings()
        self._update_preview()

    # ================================================================ preview
    @on(OptionList.OptionHighlighted, "#builder-catalog-list")
    def _catalog_highlighted(self) -> None:
        self._update_preview()

    def on_descendant_focus(self) -> None:
        self._update_preview()

    def on_descendant_blur(self) -> None:
        self.call_after_refresh(self._update_preview)

    def _update_preview(self) -> None:
        """The preview shows the focused list's stretch, moving; anything else focused: the last one, still."""
        if not self._ready:
            return
        try:
            preview = self.picker.preview
        except NoMatches:
            return
        focused = self.focused
        stretch_id = None
        if focused is self.picker.stretch_list:
            stretch_id = self.picker.stretch_list.highlighted_id
        elif focused is self.routine_list and 0 <= self.model.cursor < len(self.model):
            stretch_id = self.model.items[self.model.cursor].stretch
        if stretch_id is None:
            preview.preview(preview.stretch, animate=False)
            return
        preview.preview(self.catalog.get(stretch_id), animate=True)

    @on(RoutineList.EditRequested)
    def _edit_requested(self, message: RoutineList.EditRequested) -> None:
        if 0 <= message.index < len(self.model):
            self.model.set_cursor(message.index)
            self.action_edit(message.index)

    @on(WarningsPanel.WarningHighlighted)
    def _warning_highlighted(self, message: WarningsPanel.WarningHighlighted) -> None:
        warning = message.warning
        self._marked = tuple(warning.items) if warning is not None else ()
        self.routine_list.set_marked(self._marked)
        self.refresh_bindings()

    # ================================================================ progression (issue: adaptive routine)
    def _show_progress(self, routine: Routine) -> None:
        try:
            self.query_one(ProgressHint).show_for(routine)
        except NoMatches:
            pass

    def action_apply_progress(self) -> None:
        """P: put the suggested doses into the routine, as one change (u undoes it)."""
        plan = self.query_one(ProgressHint).plan
        if plan is None or not plan.changes:
            self.notify("No dose to change for this routine yet.", timeout=3)
            return
        applied = plan.applied()
        indexes = [p.index for p in plan.changes]
        what = "; ".join(describe_change(p, self.catalog) for p in plan.changes)
        if self.model.set_items({i: applied.items[i] for i in indexes}):
            self._changed(f"New doses: {what} (u to undo, s to save)")
