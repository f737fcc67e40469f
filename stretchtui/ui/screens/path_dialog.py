"""Ask where to save a file, or which file to open, with the folder always in view.

``PathDialog`` (``ModalScreen[Path | None]``) shows the folder relative
paths are taken from (``export_folder`` of config.toml, else the home
folder: :func:`~stretchtui.core.storage.files.dialog_folder`), a path field that
completes with Tab (and → at the end of the field, Textual's suggestion), the
matching folders and files under it (pick one with ↓ and Enter, or the
mouse), and the absolute path that will be written or read. Problems (no
such file, a folder typed, a missing folder) are shown in the dialog, which
stays open. Saving over an existing file asks first. It dismisses with the
absolute path, or ``None`` when cancelled. With ``accept_code=True`` (the
import dialog) a pasted share code is taken too: it dismisses with the code
text (a ``str``) instead of a path.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...core.domain.models import UNTITLED, Routine
from ...core.storage.files import ROUTINE_SUFFIX, complete_path, export_file_name, resolve_typed
from ...core.storage.share_code import looks_like_code
from ...core.text import display
from .dialogs import ConfirmDialog, Dialog

if TYPE_CHECKING:  # pragma: no cover
    from ..ports import ScreenApp

#: The layout of this module's screens, beside it (read when one is first shown).
CSS_FILE = Path(__file__).with_name("path_dialog.tcss")


class PathSuggester(Suggester):
    """Suggests the first folder or matching file that completes what is typed."""

    def __init__(self, folder: Path, suffix: str) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.folder = folder
        self.suffix = suffix

    async def get_suggestion(self, value: str) -> str | None:
        options = complete_path(value, self.folder, self.suffix)
        return options[0] if options else None


def _common_prefix(names: list[str]) -> str:
    """The longest text every name starts with (as a shell's Tab completes)."""
    if not names:
        return ""
    first, last = min(names), max(names)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]


class PathDialog(Dialog["Path | str | None"]):
    """Pick a file to save (``mode="save"``) or to open (``mode="open"``)."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="path.cancel"),
        Binding("tab", "complete", "Complete", id="path.complete"),
        Binding("down", "to_list", "Files", id="path.files"),
    ]

    def __init__(self, title: str, folder: Path, *, value: str = "", mode: str = "save",
                 suffix: str = ROUTINE_SUFFIX, what: str = "file", accept_code: bool = False) -> None:
        super().__init__()
        self.accept_code = accept_code
        self._title = title
        self.folder = folder
        self._value = value
        self.mode = mode
        self.suffix = suffix
        self._what = what
        self._listed = f"*{suffix} files" if suffix else "files"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self._title), classes="dialog-title")
            yield Static(f"Folder: {self.folder}", markup=False, classes="path-folder")
            yield Input(value=self._value, placeholder=f"name{self.suffix}", id="path-input",
                        suggester=PathSuggester(self.folder, self.suffix), select_on_focus=False)
            yield Static("", markup=False, classes="path-status")
            yield Static("", markup=False, classes="path-target")
            yield OptionList(id="path-list", markup=False)
            with Horizontal():
                yield Button(Content("Save" if self.mode == "save" else "Open"), id="path-ok", variant="primary")
                yield Button(Content("Cancel"), id="path-cancel")

    def on_mount(self) -> None:
        self.input.focus()
        self.input.cursor_position = len(self.input.value)
        self._refresh_list()

    # ------------------------------------------------------------ state

    @property
    def input(self) -> Input:
        return self.query_one("#path-input", Input)

    @property
    def listing(self) -> OptionList:
        return self.query_one("#path-list", OptionList)

    def target(self) -> Path | None:
        """The absolute path for what is typed (None when nothing is)."""
        value = self.input.value.strip()
        return resolve_typed(value, self.folder) if value else None

    def code(self) -> str | None:
        """The share code typed or pasted (import dialog only), else None."""
        value = self.input.value.strip()
        return value if self.accept_code and looks_like_code(value) else None

    def _refresh_list(self) -> None:
        typed = self.input.value.strip()
        if self.code() is not None:
            self.listing.display = False
            self.query_one(".path-target", Static).update("Imports the routine in this share code (Enter).")
            self._status("")
            return
        # What completes the typed text; when nothing does (a new name), what is
        # already in the folder it goes to, so the user sees the files there.
        options = (complete_path(typed, self.folder, self.suffix)
                   or complete_path(typed[: typed.rfind("/") + 1], self.folder, self.suffix))
        listing = self.listing
        listing.clear_options()
        listing.add_options([Option(name, id=name) for name in options])
        listing.display = bool(options)
        target = self.target()
        verb = "Saves to" if self.mode == "save" else "Opens"
        if target is None:
            text = f"Type a file name (Tab completes), or pick one of the {self._listed} below (↓)."
        else:
            text = f"{verb} {target}"
            if self.mode == "save" and target.is_file():
                text += " (a file is there: Save asks before replacing it)"
        self.query_one(".path-target", Static).update(text)
        self._status("")

    def _status(self, text: str) -> None:
        status = self.query_one(".path-status", Static)
        status.update(text)
        status.display = bool(text)

    @on(Input.Changed, "#path-input")
    def _changed(self) -> None:
        self._refresh_list()

    # ------------------------------------------------------------ keys

    def action_complete(self) -> None:
        """Tab: complete the typed path (as a shell does); elsewhere, next field."""
        if not self.input.has_focus:
            self.focus_next()
            return
        typed = self.input.value.strip()
        options = complete_path(typed, self.folder, self.suffix)
        if not options:
            self._status(f"Nothing here starts with {typed!r}." if typed else "This folder is empty.")
            return
        prefix = _common_prefix(options)
        if len(prefix) > len(typed):
            self.input.value = prefix
            self.input.cursor_position = len(prefix)
        elif len(options) > 1:
            self.listing.focus()
            self.listing.highlighted = 0

    def action_to_list(self) -> None:
        if self.input.has_focus and self.listing.display and self.listing.option_count:
            self.listing.focus()
            if self.listing.highlighted is None:
                self.listing.highlighted = 0

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#path-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        name = event.option.id or ""
        self.input.value = name
        self.input.cursor_position = len(name)
        self.input.focus()
        if not name.endswith("/"):
            self._accept()

    @on(Input.Submitted, "#path-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._accept()

    @on(Button.Pressed, "#path-ok")
    def _ok(self, event: Button.Pressed) -> None:
        event.stop()
        self._accept()

    @on(Button.Pressed, "#path-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def _accept(self) -> None:
        code = self.code()
        if code is not None:
            self.dismiss(code)
            return
        target = self.target()
        if target is None:
            self._status(f"Type a file name first (Tab completes, ↓ lists the {self._listed}).")
            return
        if target.is_dir():
            self._status(f"{target} is a folder: add a file name after it, or pick a file below.")
            self.input.focus()
            return
        if self.mode == "open":
            if not target.exists():
                self._status(f"There is no file {target}: check the name (Tab completes it).")
                return
            self.dismiss(target)
            return
        if not target.parent.is_dir():
            self._status(f"The folder {target.parent} does not exist: create it first or pick another folder.")
            return
        if target.exists() or target.is_symlink():
            def answered(ok: bool | None) -> None:
                if ok:
                    self.dismiss(target)
                else:
                    self.input.focus()
                    self._status("Not replaced: type another name.")

            self.app.push_screen(
                ConfirmDialog("Replace the file?", f"{target} already exists. Replace it with this {self._what}?",
                              yes_label="Replace", no_label="Keep it"),
                answered,
            )
            return
        self.dismiss(target)


async def export_routine(app: ScreenApp, routine: Routine) -> Path | None:
    """Ask where to save ``routine`` and write its routine file (call from a worker).

    The Library and the Builder both export through here: the same dialog,
    the same default name (:func:`~stretchtui.core.storage.files.export_file_name`),
    the absolute path reported. Returns the path written, or None.
    """
    from ...core.storage.routine_file import write_routine_file

    path = await app.push_screen_wait(PathDialog(
        f"Export {display(routine.name or UNTITLED)} to a routine file", app.files_folder(),
        value=export_file_name(routine.name or UNTITLED), what="routine"))
    if path is None or isinstance(path, str):  # cancelled (a save dialog never returns a share code)
        return None
    try:  # the dialog asked before replacing a file
        written = write_routine_file(routine, path, force=path.exists())
    except Exception as exc:
        app.report_problem("Not exported", str(exc))
        return None
    written = Path(written).absolute()
    app.notify(f"Exported to {written}", markup=False, timeout=8)
    return written
