"""The library screen: saved routines and the catalog's starter routines.

Each routine shows its worst warning for the profile (✖ avoid, ! caution).
Open in the builder, play (through the safety gate), duplicate, rename,
delete, import a routine file (its warnings are shown) and export one. Everything goes through ``app.store`` and
``core.storage.routine_file``; errors are shown as the reader's message.
"""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Label, Static

from ...core.domain.models import Profile, Routine
from ...core.domain.progression import describe_change
from ...core.domain.timeline import routine_seconds
from ...core.storage.files import export_file_name
from ...core.storage.lookup import add_as_own, imitated_starter
from ...core.text import clean_name, display, hang
from ..background import store_call, store_write
from ..widgets.app_modebar import ModeBar, ModeFooter
from ..widgets.progress_hint import ProgressHint
from .base import AppScreen
from .dialogs import ConfirmDialog, TextPrompt
from .path_dialog import PathDialog, export_routine

#: The Library's mark per worst warning level (same characters as the catalog's).
_MARK_STYLES = {"avoid": "bold red", "caution": "bold yellow"}


def routine_warnings(routine: Routine, catalog, profile) -> list:
    """The routine's warnings for the profile (conditions and flare); never raises."""
    from ...core.domain.rules import check_for_profile

    try:
        return check_for_profile(routine, catalog, profile)
    except Exception:
        return []


#: One row of the Library: (row key, routine, total seconds or None, warnings for the profile).
LibraryRow = tuple[str, Routine, "int | None", list]


def library_rows(saved: list[Routine], catalog, profile) -> list[LibraryRow]:
    """The Library's rows: the saved routines, then the starters (pure: run in the loading worker)."""
    entries = [(f"saved:{r.name.casefold()}", r) for r in saved]
    entries += [(f"starter:{i}", r) for i, r in enumerate(catalog.starters)]
    return [(key, routine, routine_seconds(routine, catalog, profile), routine_warnings(routine, catalog, profile))
            for key, routine in entries]


class LibraryScreen(AppScreen[None]):
    """Saved and starter routines."""

    BINDINGS = [
        Binding("o", "open_routine", "Open", id="library.open"),
        Binding("p", "play", "Play", id="library.play"),
        Binding("c", "duplicate", "Copy", tooltip="Duplicate the routine", show=False, id="library.copy"),
        Binding("r", "rename", "Rename", show=False, id="library.rename"),
        Binding("x,delete", "delete", "Delete", id="library.delete"),
        Binding("i", "import_routine", "Import", id="library.import"),
        Binding("e", "export_routine", "Export", id="library.export"),
        Binding("s", "share", "Share", tooltip="Copy the routine as a one-line share code (to the clipboard)",
                show=False, id="library.share"),
        Binding("h", "handout", "Handout", tooltip="Write a printable HTML handout with figures", show=False,
                id="library.handout"),
        Binding("P", "apply_progress", "Apply doses", show=False,
                tooltip="Save the doses the progression rule suggests (the 'ready to progress' line)",
                id="library.apply-progress"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[str, Routine] = {}
        self._warnings: dict[str, list] = {}  # row key -> warnings for the profile
        self._loaded = False  # the first list has arrived

    def compose(self) -> ComposeResult:
        yield ModeBar("library")
        yield Label(self._TITLE, id="library-title")
        yield DataTable(id="library-table", cursor_type="row", zebra_stripes=False)
        yield ProgressHint(id="library-progress")
        with VerticalScroll(id="library-detail-scroll"):
            yield Static("", id="library-detail", markup=False)
        yield ModeFooter()

    #: Each column's content width (its label and cells) as :meth:`_fill` measured them.
    _column_widths: dict[str, int] = {}

    def on_mount(self) -> None:
        self.watch(self.app, "profile", self._profile_changed, init=False)
        table = self.query_one(DataTable)
        table.add_column(" ", key="mark")
        table.add_column("Name", key="name")
        table.add_column("Items", key="items")
        table.add_column("Time", key="time")
        table.add_column("Kind", key="kind")
        self.refresh_routines()
        table.focus()
        # a vertical scrollbar coming or going changes the room for the names
        self.watch(table, "show_vertical_scrollbar", self._scrollbar_changed, init=False)
        self.query_one(ProgressHint).reload()

    def on_screen_resume(self) -> None:
        # Routines may have been saved in the builder meanwhile.
        if self.is_mounted:
            self.refresh_routines()
            self.query_one(ProgressHint).reload()  # and sessions played

    def _profile_changed(self, _profile: Profile) -> None:
        self.refresh_routines()  # times depend on get-ready and rest

    # ------------------------------------------------------------ data

    @property
    def table(self) -> DataTable:
        return self.query_one("#library-table", DataTable)

    def refresh_routines(self, select: str | None = None) -> None:
        """Reload the list in a worker (the old list stays until it arrives); ``select``: the row key to put the cursor on.

        The worker reads the store and also works out each routine's time and
        warnings (pure computation), so the event loop only fills the table.
        """
        if not self._rows:
            self.show_detail()  # "Loading your routines…" until the first list arrives
        store, catalog, profile = self.app.store, self.app.catalog, self.app.profile
        store_call(self, "library-load", lambda: library_rows(list(store.list_routines()), catalog, profile),
                   lambda rows: self._fill(rows, select), lambda exc: self._load_failed(exc, select))

    def _load_failed(self, exc: BaseException, select: str | None) -> None:
        self.notify(str(exc), markup=False, severity="error")
        self._fill(library_rows([], self.app.catalog, self.app.profile), select)

    def _fill(self, rows: list[LibraryRow], select: str | None = None) -> None:
        """Show the rows (saved routines, then the starters)."""
        from ...core.domain.rules import LEVEL_MARKS, worst_level
        from ...core.domain.timeline import format_duration

        if not self.is_mounted:
            return
        table = self.table
        if select is None:
            select = self.highlighted_key()
        table.clear()
        self._rows = {}
        self._warnings = {}
        self._loaded = True
        # The other columns' widths, measured here: DataTable measures new rows only at its
        # next update, and a fit made before that left the names too wide for a frame (a
        # horizontal scrollbar that then stayed, one row of the table lost to it).
        widths: dict[str, int] = {str(c.key.value): cell_len(str(c.label)) for c in table.columns.values()}
        for key, routine, seconds, warnings in rows:
            self._warnings[key] = warnings
            level = worst_level(warnings) or ""
            cells = {
                "mark": Text(LEVEL_MARKS.get(level, ""), style=_MARK_STYLES.get(level, "")),
                "name": Text(display(routine.name)),
                "items": Text(str(len(routine.items)), justify="right"),
                "time": Text(format_duration(seconds) if seconds is not None else "?", justify="right"),
                "kind": Text("starter") if routine.starter else (
                    Text("look-alike", style="bold") if imitated_starter(routine, self.app.catalog) else Text("saved")),
            }
            for column, cell in cells.items():
                widths[column] = max(widths.get(column, 0), cell.cell_len)
            table.add_row(*cells.values(), key=key)
            self._rows[key] = routine
        self._column_widths = widths
        self.call_after_refresh(self._fit_name_column)  # once the table has measured the new rows
        keys = list(self._rows)
        if keys:
            index = keys.index(select) if select in keys else 0
            table.move_cursor(row=index, animate=False)
        self.show_detail()
        self._show_due()

    def on_resize(self, _event: events.Resize) -> None:
        self.call_after_refresh(self._fit_name_column)
        self.call_after_refresh(self.show_detail)  # its lines wrap to the new width

    def _scrollbar_changed(self, _shown: bool) -> None:
        self.call_after_refresh(self._fit_name_column)

    def _fit_name_column(self) -> None:
        """Let the Name column take the table's spare width (never narrower than the longest name).

        DataTable sizes columns to their content; on a wide terminal that left
        the names in a narrow table beside empty space.
        """
        if not self.is_mounted:
            return
        table = self.table
        name = next((c for c in table.columns.values() if c.key.value == "name"), None)
        if name is None:
            return
        widths = self._column_widths
        others = sum(widths.get(str(c.key.value), c.content_width) + 2 * table.cell_padding
                     for c in table.columns.values() if c is not name)
        room = table.scrollable_content_region.width - others - 2 * table.cell_padding
        width = max(name.content_width, room)
        if name.auto_width or name.width != width:
            name.auto_width = False
            name.width = width
            table.refresh(layout=True)
            table._require_update_dimensions = True  # DataTable's own flag: recompute its virtual size

    _TITLE = "Saved, then starters (read-only) · c copy · s share · r rename · h handout"

    def _show_due(self) -> None:
        """Say in the title line which scheduled routine is due (see `stretchtui schedule`)."""
        from ...core.storage.schedule import check_due

        text = self._TITLE
        data_dir = getattr(self.app.store, "data_dir", None)
        try:
            due = check_due(data_dir, self.app.clock.now()) if data_dir is not None else None
        except Exception:  # a bad schedule file is reported by `stretchtui due`, not here
            due = None
        if due is not None:
            what = due.routine or "a stretch"
            text = f"Due now: {what} (the {due.slot:%H:%M} reminder)" + (" · p play" if due.routine else "")
            if due.routine and not getattr(self, "_due_selected", False):
                self._due_selected = self.select_routine(due.routine)  # once: never fight the user's cursor
        self.query_one("#library-title", Label).update(Content(text))

    def highlighted_key(self) -> str | None:
        table = self.table
        if table.row_count == 0:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:
            return None

    def highlighted_routine(self) -> Routine | None:
        key = self.highlighted_key()
        return self._rows.get(key) if key else None

    def routine_names(self) -> list[str]:
        """Names in the order shown (for tests)."""
        return [r.name for r in self._rows.values()]

    def select_routine(self, name: str) -> bool:
        """Put the cursor on the routine called ``name``; False if there is none."""
        for index, routine in enumerate(self._rows.values()):
            if routine.name == name:
                self.table.move_cursor(row=index, animate=False)
                return True
        return False

    def show_detail(self) -> None:
        routine = self.highlighted_routine()
        detail = self.query_one("#library-detail", Static)
        if routine is None:
            if self._loaded:
                detail.update(Content("No routines yet. Import one (i) or build one in the Builder (2)."))
            else:
                detail.update(Content("Loading your routines…"))
            return
        from ...core.domain.rules import LEVEL_MARKS, worst_level
        from ...core.reports.dose_words import dose_text

        warnings = self._warnings.get(self.highlighted_key() or "", [])
        lines = [display(routine.name) + (" (starter, read-only: duplicate it to change it)" if routine.starter else "")]
        imitated = imitated_starter(routine, self.app.catalog)
        if imitated:
            lines.append(f"A saved routine, not the starter {display(imitated)!r}: its name only looks like it. "
                         "Rename it (r) so the two cannot be mistaken.")
        if routine.notes:
            lines.append(display(routine.notes, multiline=True))
        if not routine.items:
            lines.append("No stretches yet.")
        # One line per stretch with its dose and its mark for the profile (✖ avoid, ! caution),
        # wrapped under the stretch's name, not at column 1.
        width = detail.content_size.width - 2  # room for the scrollbar a long list brings
        for index, item in enumerate(routine.items):
            stretch = self.app.catalog.get(item.stretch)
            if stretch is None:
                lines.append(f"  {index + 1}. {display(item.stretch)} (not in the catalog)")
                continue
            level = worst_level([w for w in warnings if index in w.items or (not w.items and item.stretch in w.stretch_ids)])
            mark = LEVEL_MARKS.get(level or "", "") or " "
            lines.append(hang(f"{mark} {index + 1}. ", f"{display(stretch.name)} · {dose_text(item, stretch)}", width))
        counts = [(mark, sum(w.level == level for w in warnings), word)
                  for level, mark, word in (("avoid", "✖", "to avoid"), ("caution", "!", "caution"))]
        summary = ", ".join(f"{mark} {n} {word}" for mark, n, word in counts if n)
        if summary:
            lines.append(f"For your profile: {summary} (open it to see why; p asks before playing)")
        detail.update(Content("\n".join(lines)))

    @on(DataTable.RowHighlighted, "#library-table")
    def _row_highlighted(self) -> None:
        self.show_detail()

    @on(DataTable.RowSelected, "#library-table")
    async def _row_selected(self) -> None:
        await self.action_open_routine()

    # ------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_routine", "play", "duplicate", "rename", "delete", "export_routine", "handout"):
            try:
                routine = self.highlighted_routine()
            except Exception:
                return None
            if routine is None:
                return None
            if action in ("rename", "delete") and routine.starter:
                return None  # shown dimmed: starters are read-only
        return True

    def _error(self, exc: BaseException, what: str = "") -> None:
        """One short toast per problem; the full message is in the messages log (ctrl+l)."""
        self.app.report_problem(what or "That did not work", str(exc))

    async def action_open_routine(self) -> None:
        routine = self.highlighted_routine()
        if routine is not None:
            await self.app.open_in_builder(routine)

    def action_play(self) -> None:
        routine = self.highlighted_routine()
        if routine is not None:
            self.app.play_routine(routine)

    def action_duplicate(self) -> None:
        routine = self.highlighted_routine()
        if routine is None:
            return
        store, catalog = self.app.store, self.app.catalog

        def duplicate() -> Routine:  # on the app's writer thread
            if routine.starter:
                # "Morning stiffness (copy)": never a second routine listed under a starter's name
                return add_as_own(store, catalog, routine, copy=True)
            return store.duplicate_routine(routine.name)

        def done(copy: Routine) -> None:
            self.refresh_routines(select=f"saved:{copy.name.casefold()}")
            self.notify(f"Saved a copy as {copy.name}", markup=False, timeout=4)

        store_write(self, duplicate, done, self._error)

    @work(exclusive=True, group="library-dialog")
    async def action_rename(self) -> None:
        routine = self.highlighted_routine()
        if routine is None or routine.starter:
            return
        new = await self.app.push_screen_wait(TextPrompt("Rename routine", value=routine.name))
        if new is None:
            return
        new = clean_name(new)
        if not new:
            self.notify("A routine needs a name.", severity="warning")
            return
        if new == routine.name:
            return
        store = self.app.store

        def done(renamed: Routine) -> None:
            self.app.routine_renamed(routine.name, renamed.name)
            self.refresh_routines(select=f"saved:{renamed.name.casefold()}")
            self.notify(f"Renamed to {renamed.name}", markup=False, timeout=4)

        store_write(self, lambda: store.rename_routine(routine.name, new), done, self._error)

    @work(exclusive=True, group="library-dialog")
    async def action_delete(self) -> None:
        routine = self.highlighted_routine()
        if routine is None or routine.starter:
            return
        ok = await self.app.push_screen_wait(
            ConfirmDialog(
                "Delete routine?",
                f"Delete the routine {routine.name!r}? This cannot be undone.",
                yes_label="Delete",
                no_label="Keep",
            )
        )
        if not ok:
            return
        store = self.app.store

        def done(_none: None) -> None:
            self.refresh_routines()
            self.notify(f"Deleted {routine.name}", markup=False, timeout=4)

        store_write(self, lambda: store.delete_routine(routine.name), done, self._error)

    def action_share(self) -> None:
        """s: put the highlighted routine's share code on the clipboard (OSC 52) and in the messages (ctrl+l)."""
        from ...core.storage.files import clipboard_report
        from ...core.storage.share_code import encode

        routine = self.highlighted_routine()
        if routine is None:
            return
        code = encode(routine)
        self.app.copy_to_clipboard(code)
        text, warn = clipboard_report(len(code), instead="ctrl+l shows the code to copy by hand, "
                                      f"and `stretchtui share '{routine.name}'` prints it")
        self.app.report_problem(
            f"Share code for {routine.name} copied: they import it with stretchtui import --code",
            f"{text}\n\nShare code for {routine.name}:\n{code}",
            severity="warning" if warn else "information",
        )

    @work(exclusive=True, group="library-dialog")
    async def action_import_routine(self) -> None:
        from ...core.storage.routine_file import read_routine_file
        from ...core.storage.share_code import decode

        path = await self.app.push_screen_wait(
            PathDialog("Import a routine file or a handout, or paste a share code", self.app.files_folder(),
                       mode="open", accept_code=True)
        )
        if path is None:
            return
        store, catalog = self.app.store, self.app.catalog

        def add() -> tuple[Routine, Routine]:  # on the app's writer thread: the file and the store
            routine = decode(path, catalog) if isinstance(path, str) else read_routine_file(path, catalog)
            # a starter's export: never a second "Morning stiffness"
            return routine, add_as_own(store, catalog, routine)

        # the reader's message names the file and the fix
        store_write(self, add, lambda pair: self._imported(path, *pair),
                    lambda exc: self._error(exc, "Could not import"))

    def _imported(self, path: Path | str, routine: Routine, added: Routine) -> None:
        self.refresh_routines(select=f"saved:{added.name.casefold()}")
        note = "" if added.name == routine.name else f" (the name {routine.name} was taken)"
        where = "a share code" if isinstance(path, str) else str(path)
        imported = f"Imported {added.name}{note} from {where}"
        serious = [w for w in routine_warnings(added, self.app.catalog, self.app.profile)
                   if w.level in ("avoid", "caution")]
        if not serious:
            self.notify(imported, markup=False, timeout=6)
            return
        # One toast, not two stacked over the details: the import and its warnings together.
        lines = [imported + ".", *(f"{'✖' if w.level == 'avoid' else '!'} {w.message}" for w in serious)]
        lines.append("Open it (o) to see why and what to do instead.")
        avoid = any(w.level == "avoid" for w in serious)
        self.app.report_problem(
            f"{len(serious)} warning{'s' if len(serious) != 1 else ''} for you: o shows why",
            "\n".join(lines),
            title=f"{added.name} imported",
            severity="error" if avoid else "warning",
        )

    @work(exclusive=True, group="library-dialog")
    async def action_export_routine(self) -> None:
        routine = self.highlighted_routine()
        if routine is None:
            self.notify("Pick a routine to export first.", severity="warning")
            return
        await export_routine(self.app, routine)

    @work(exclusive=True, group="library-dialog")
    async def action_handout(self) -> None:
        """Write the routine's printable handout (HTML with figures) to a file."""
        from datetime import date

        from ...core.reports.handout import build_handout, write_handout

        routine = self.highlighted_routine()
        if routine is None:
            self.notify("Pick a routine first.", severity="warning")
            return
        path = await self.app.push_screen_wait(PathDialog(
            f"Write the printable handout of {display(routine.name)}", self.app.files_folder(),
            value=export_file_name(routine.name, ".html"), suffix=".html", what="handout"))
        if path is None or isinstance(path, str):  # cancelled (a save dialog never returns a share code)
            return
        force = path.exists()  # the dialog asked before replacing a file
        try:
            text = build_handout(routine, self.app.catalog, self.app.profile, today=date.today())
            written = write_handout(text, path, force=force)
        except Exception as exc:
            self._error(exc, "No handout written")
            return
        self.notify(f"Handout written to {written.absolute()}; open it in a browser to print", markup=False, timeout=8)

    # ------------------------------------------------------------ progression (issue: adaptive routine)

    @on(DataTable.RowHighlighted, "#library-table")
    def _progress_for_row(self) -> None:
        self.query_one(ProgressHint).show_for(self.highlighted_routine())

    def action_apply_progress(self) -> None:
        """P: save the doses the "ready to progress" line names (a starter: as a copy), on the writer thread."""
        hint = self.query_one(ProgressHint)
        plan = hint.plan
        if plan is None or not plan.changes:
            self.notify("No dose to change for this routine yet.", timeout=3)
            return
        changes = "; ".join(describe_change(p, self.app.catalog) for p in plan.changes)
        routine = plan.applied()
        store, catalog = self.app.store, self.app.catalog

        def save() -> Routine:
            if routine.starter:
                return add_as_own(store, catalog, routine, copy=True)
            return store.save_routine(routine, replace=routine.name)

        def saved(result: Routine) -> None:
            self.refresh_routines(select=f"saved:{result.name.casefold()}")
            hint.show_for(self.highlighted_routine())
            self.notify(f"Saved {result.name}: {changes}", markup=False, timeout=5)

        store_write(self, save, saved, self._error)
