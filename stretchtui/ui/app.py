"""The stretchtui application shell.

``make_app(store, catalog, clock, ...)`` builds the app; the CLI and every
test use it. The app owns the shared state (store, catalog, clock, profile)
and the peer screens, one per mode: catalog, builder, library, profile and
history. Screens reach the state through ``self.app``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.notifications import Notification, Notify
from textual.reactive import var
from textual.screen import Screen

from ..core.domain.models import Profile, Routine
from ..core.errors import StretchtuiError
from ..core.storage.config import Settings, config_text, line_of
from ..core.storage.sessions_cache import SessionsCache
from ..core.storage.ui_state import MODES as STATE_MODES
from ..core.storage.ui_state import BuilderState, UiState, load_ui_state, save_ui_state
from ..core.storage.writer import SerialWriter
from ..core.text import display
from .background import HandlesReplies, store_write
from .css_cache import SEED_PATH
from .held_frame import PaintsHeldFrame
from .modes import MODE_KEYS
from .stylesheet import ReusingStylesheet

if TYPE_CHECKING:  # pragma: no cover
    from textual.command import Provider

    from ..core.clock import Clock
    from ..core.domain.catalog import Catalog
    from ..core.storage.ports import StorePort

    # To the type checker the app is a ScreenApp (Textual's App with the port its
    # screens see, ui/ports.py): it checks that StretchApp provides all of it.
    from .ports import ScreenApp as _AppBase
else:
    _AppBase = App




#: Smallest terminal the app lays out in (see ``StretchApp.MIN_SIZE``).
MIN_COLUMNS = 60
MIN_ROWS = 22

#: How many messages the messages log (ctrl+l) keeps.
MESSAGE_LOG_SIZE = 100

#: Seconds between writes of where the user is (ui-state.json) while the builder's routine changes;
#: a mode switch and quitting write at once.
UI_STATE_DELAY = 3.0


#: The mode keys share one compact footer entry ("12345 Screens").
_SCREENS = Binding.Group("Screens", compact=True)


def _stretch_commands() -> type[Provider]:
    """The palette's entries (ui/commands.py), loaded when the palette first opens (Textual calls this)."""
    from .commands import StretchCommands

    return StretchCommands


def _catalog_screen() -> Screen:
    from .screens.catalog import CatalogScreen

    return CatalogScreen()


def _library_screen() -> Screen:
    from .screens.library import LibraryScreen

    return LibraryScreen()


def _profile_screen() -> Screen:
    from .screens.profile import ProfileScreen

    return ProfileScreen()


def _history_screen() -> Screen:
    from .screens.history import HistoryScreen

    return HistoryScreen()


def _builder_screen() -> Screen:
    from .screens.builder import BuilderScreen

    return BuilderScreen()


#: The mode of a new user's first screen: the safety notice, on its own (see StretchApp.notice_read).
WELCOME = "welcome"


def _welcome_screen() -> Screen:
    from .screens.notice import NoticeScreen

    return NoticeScreen()


class StretchApp(PaintsHeldFrame, HandlesReplies, _AppBase):
    """Guided stretching routines for back pain."""

    TITLE = "stretchtui"
    SUB_TITLE = "stretches for back pain"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    DEFAULT_MODE = "catalog"

    COMMANDS = App.COMMANDS | {_stretch_commands}

    MODES = {
        "catalog": _catalog_screen,
        "builder": _builder_screen,
        "library": _library_screen,
        "profile": _profile_screen,
        "history": _history_screen,
    }

    BINDINGS = [
        *(
            Binding(key, f"switch_to('{mode}')", label, tooltip=desc, id=f"app.{mode}", group=_SCREENS)
            for mode, key, label, desc in MODE_KEYS
        ),
        # The same on F2-F6, which work while typing in a text field.
        *(
            Binding(f"f{n}", f"switch_to('{mode}')", label, tooltip=desc, show=False, id=f"app.{mode}-fkey")
            for n, (mode, _key, label, desc) in enumerate(MODE_KEYS, start=2)
        ),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="app.help"),
        Binding("j", "list_cursor('down')", "Down in a list", show=False, id="app.list-down"),
        Binding("k", "list_cursor('up')", "Up in a list", show=False, id="app.list-up"),
        Binding("q", "quit", "Quit", tooltip="Asks first if the builder has unsaved changes", id="app.quit"),
        Binding("ctrl+q", "request_quit", "Quit from anywhere", show=False, priority=True, id="app.quit-anywhere"),
        Binding("ctrl+l", "show_messages", "Messages", tooltip="Every message so far, in full (problems in detail)",
                show=False, priority=True, id="app.messages"),
    ]

    #: Smallest terminal (columns, rows) on which every screen and dialog works;
    #: below it a "make the window larger" message replaces the screen.
    MIN_SIZE: tuple[int, int] = (MIN_COLUMNS, MIN_ROWS)

    #: The user's profile. Screens read it here and watch it for changes
    #: (``self.watch(self.app, "profile", cb)``); :meth:`set_profile` changes and saves it.
    profile: var[Profile] = var(Profile, init=False)

    #: Seconds after start at which the objects made while starting (Textual's
    #: widgets and styles, the catalog, the caches) are moved out of the garbage
    #: collector's way (``gc.freeze``); None: never. Without it every full
    #: collection walked them all again: a 40-95 ms pause every 7 or 8 keys in
    #: the catalog (bench/bench_keys.py). The command line sets it
    #: (``commands/app_cmd.run_app``); tests, which run hundreds of apps in one
    #: process, leave it off. When the command line held the collector off while
    #: starting (``app_cmd.hold_gc_until_first_frame``), the first frame freezes
    #: what start-up made and turns it back on; if a dialog or the player was on
    #: top then, the later step collects what it left once it is closed.
    freeze_after_start: float | None = None
    #: Seconds between checks while a dialog or the player is on top (see ``_freeze_startup_objects``).
    FREEZE_RETRY = 2.0

    def __init__(
        self,
        store: StorePort,
        catalog: Catalog | Callable[[], Catalog],
        clock: Clock,
        *,
        show_notice: bool | None = None,
        play: Routine | None = None,
        exit_after_play: bool = False,
        play_acknowledged: bool = False,
        settings: Settings | None = None,
        player_options: Mapping[str, Any] | None = None,
        restore: bool = True,
    ) -> None:
        # Where the user left off (ui-state.json): read before Textual sets up the first mode,
        # so the first screen drawn is the one the user was on (a tiny file; see core/storage/ui_state.py).
        data_dir = getattr(store, "data_dir", None) if restore else None
        read = load_ui_state(data_dir) if data_dir is not None else None
        restored = read.state if read is not None else None
        ui_mode = restored.mode if restored is not None else "catalog"
        try:
            profile = store.get_profile()
        except Exception as exc:  # a broken profile must not stop the app
            profile = Profile()
            startup_errors = [str(exc)]
        else:
            startup_errors = []
        #: True from the start until the first-run notice is dismissed.
        self.notice_pending = (not profile.seen_notice) if show_notice is None else bool(show_notice)
        #: The screen the app starts on once the first-run notice is read (see :meth:`notice_read`).
        self._first_mode = ui_mode if play is None else "catalog"
        if self.notice_pending:
            # A new user's first screen is the notice, on its own: the catalog (or the restored
            # screen) is built when it is read, not under it (a new user's first frame).
            self.DEFAULT_MODE = WELCOME  # type: ignore[misc]
        elif self._first_mode != self.DEFAULT_MODE:
            # The first screen is the restored mode's (Textual reads DEFAULT_MODE in App.__init__);
            # a routine to play at start is shown over the catalog instead.
            self.DEFAULT_MODE = self._first_mode  # type: ignore[misc]
        super().__init__()
        if self.notice_pending:
            self.add_mode(WELCOME, _welcome_screen)
        # Each CSS source parsed once per theme (ui/stylesheet.py); nothing has been added to it yet.
        # (the theme's variables Textual's App.__init__ has just worked out for its own stylesheet)
        self.stylesheet = ReusingStylesheet(variables=self.stylesheet._variables)
        #: The mode the user is on, for ui-state.json (the restored one until the user switches).
        self._ui_mode = ui_mode
        #: Folder of ui-state.json (None: not kept: a read-only data folder, or ``restore=False``).
        self._ui_dir: Path | None = (
            Path(data_dir) if data_dir is not None and not getattr(store, "read_only", False) else None)
        #: The builder's routine from the file, until the builder is created and takes it.
        self._ui_builder: BuilderState | None = restored.builder if restored is not None else None
        #: Reads the builder's state once it exists (see :meth:`restore_builder`).
        self._builder_state: Callable[[], BuilderState | None] | None = None
        #: What the file holds as far as this app knows (None: unknown or unusable: the next save writes).
        self._ui_written: UiState | None = restored if restored is not None else (
            UiState() if read is not None and read.problem is None else None)
        self._ui_timer: Any = None
        self._ui_failed = False
        #: A dialog or the player was on top when the first frame froze what start-up made.
        self._frozen_with_dialog = False
        #: config.toml (theme, keymap, figure style, cue method, export folder); defaults without one.
        self.settings = settings if settings is not None else Settings()
        self.store = store
        #: The recorded sessions, one copy for every screen (read in workers, never on the loop).
        self.sessions = SessionsCache(store)
        #: The one thread every store write of the app runs on, in order (see core/storage/writer.py).
        self.writer = SerialWriter()
        # The catalog, or what loads it when a screen first needs it: a new user's first screen,
        # the notice, does not (see :attr:`catalog`).
        self._catalog: Catalog | None = None if callable(catalog) else catalog
        self._catalog_loader: Callable[[], Catalog] | None = catalog if callable(catalog) else None
        self.clock = clock
        self._play = play
        self._exit_after_play = exit_after_play
        self._play_acknowledged = play_acknowledged
        self._playing = False
        #: player settings a command gives (``play --no-checklist``); see PlayerScreen
        self.player_options: dict[str, Any] = dict(player_options or {})
        #: Every toast's full text, oldest first: (time, severity, title, message); ctrl+l shows them.
        self.message_log: list[tuple[str, str, str, str]] = []
        self._problem_toast: Notification | None = None
        self._too_small: Screen | None = None
        self._too_small_resume: Callable[[], None] | None = None
        self._psfs_asked = False  # the weekly PSFS prompt: at most once per app start
        self._startup_errors = startup_errors
        if read is not None and read.problem:
            self._startup_errors.append(read.problem)
        self.set_reactive(StretchApp.profile, profile)
        if not self.notice_pending:
            self.catalog  # noqa: B018  # the first screen shows it: a catalog that cannot load stops the start here

    @property
    def catalog(self) -> Catalog:
        """The stretches (loaded on first use when make_app was given a loader)."""
        catalog = self._catalog
        if catalog is None:
            assert self._catalog_loader is not None
            catalog = self._catalog = self._catalog_loader()
        return catalog

    # ----------------------------------------------------------------- start

    async def on_mount(self) -> None:
        notices = [str(n) for n in [*getattr(self.store, "notices", []), *self._startup_errors, *self._apply_settings()]]
        if len(notices) == 1:
            self.notify(notices[0], markup=False, severity="warning", timeout=10)
        elif notices:  # one toast, every line in the messages log
            self.report_problem(f"{len(notices)} things to check at start", "\n".join(notices), severity="warning")
        self.call_after_refresh(self._check_size)
        if self.freeze_after_start is not None:
            self.call_after_refresh(self._first_frame_painted)
            self.set_timer(self.freeze_after_start, self._freeze_startup_objects)
            # the first screen's CSS kept for the next start, even if this run is killed
            self.set_timer(self.freeze_after_start, self.save_caches)
        self.mode_change_signal.subscribe(self, self._mode_changed)
        if not self.notice_pending:  # else: the notice is the first screen (see notice_read)
            self._review_flare()

    def _freeze_startup_objects(self) -> None:
        """Collect the young start-up garbage, then keep every object alive now out of later full
        collections (see :attr:`freeze_after_start`).

        Only on a mode's own screen: a dialog or the player on top (the first-run
        notice, a session started from the command line) would be frozen too, and
        once closed its widgets, which refer to each other, would never be
        collected. Then it waits for them to close, a check every two seconds.
        """
        if not self.on_a_mode_screen():
            self.set_timer(self.FREEZE_RETRY, self._freeze_startup_objects)
            return
        import gc

        if self._frozen_with_dialog:  # the dialog frozen at the first frame is closed: collect it
            self._frozen_with_dialog = False
            gc.unfreeze()
            gc.collect()
        else:
            gc.collect(1)
        gc.freeze()

    def keep_parsed_css(self, path: Path, seed: Path | None = SEED_PATH) -> None:
        """Read the rules former runs parsed from ``path``, and keep this run's there; a source it
        does not hold is looked up in ``seed`` (the shipped one; None: none) before it is parsed
        (ui/css_cache.py)."""
        from .css_cache import DiskRules

        stylesheet = self.stylesheet
        if isinstance(stylesheet, ReusingStylesheet):
            stylesheet.disk = DiskRules(path, seed)

    def save_caches(self) -> None:
        """Keep the CSS parsed and the dataclass methods compiled that the caches did not hold
        (quietly: caches; see ui/css_cache.py and core/compiled_methods.py)."""
        from ..core import compiled_methods

        disk = getattr(self.stylesheet, "disk", None)
        if disk is not None:
            disk.save()
        compiled_methods.save()

    def _first_frame_painted(self) -> None:
        """The collector, held off while starting, back on; what start-up made, frozen first."""
        import gc

        if not gc.isenabled():
            gc.freeze()  # about 90,000 objects, almost none garbage: not walked again
            self._frozen_with_dialog = not self.on_a_mode_screen()
            gc.enable()

    def _apply_settings(self) -> list[str]:
        """Apply config.toml's theme (and keymap); returns the lines to tell the user."""
        settings = self.settings
        notes = [settings.problem_line] if settings.problem_line else []
        if settings.theme is not None:
            if settings.theme in self.available_themes:
                self.theme = settings.theme
            else:
                line = line_of(config_text(settings.path), None, "theme") if settings.path else None
                where = f"{settings.path}, line {line}" if line else str(settings.path)
                names = ", ".join(sorted(self.available_themes)[:8])
                notes.append(f"config {where}: there is no theme {settings.theme!r} (try {names}, ...); "
                             "using the default theme")
        if settings.keymap:
            from .keymap import keymap_problem_line, prepare, registry

            prepared = prepare(settings.keymap, registry(type(self)))
            self.set_keymap(prepared.keymap)
            problem = keymap_problem_line(prepared, settings.path)
            if problem:
                notes.append(problem)
        return notes

    def on_a_mode_screen(self) -> bool:
        """True on one of the five screens itself: no dialog or player on top, not the first-run notice."""
        return len(self.screen_stack) <= 1 and self.current_mode != WELCOME

    async def notice_read(self) -> None:
        """The first-run notice (the first screen of a new user) was read: on to the screen the app
        starts on (the catalog, or where the user left off), built now."""
        try:
            self.catalog  # noqa: B018  # loaded now, for the screen the notice gives way to
        except StretchtuiError as exc:
            from rich.text import Text

            self.exit(return_code=exc.exit_code, message=Text(f"stretchtui: {display(str(exc), multiline=True)}"))
            return
        self.notice_pending = False
        await self.switch_mode(self._first_mode)
        await self.remove_mode(WELCOME)
        if not self.profile.seen_notice:
            self.set_profile(replace(self.profile, seen_notice=True), quiet=True)
        self._review_flare()

    def _review_flare(self) -> None:
        """At start: after 14 days in a flare, ask whether it is still on; then play, if asked to."""
        if self.profile.flare_needs_review(self.clock.now().date()):
            from .screens.safety_gate import FlareReviewDialog

            self.push_screen(FlareReviewDialog(self.profile.flare_since), self._flare_reviewed)
            return
        self._play_at_start()

    def _flare_reviewed(self, still: bool | None) -> None:
        if still is True:  # ask again in 14 days
            self.set_profile(replace(self.profile, flare_since=self.clock.now().date().isoformat()), quiet=True)
            self.notify("The flare stays on in your profile.", timeout=4)
        elif still is False:
            self.set_profile(replace(self.profile, flare=False, flare_since=None), quiet=True)
            self.notify("Flare switched off in your profile.", timeout=4)
        self._play_at_start()

    def _play_at_start(self) -> None:
        """Once per start: the day-after check-in (screens/checkin.py), then play or the PSFS re-rating.

        The check-in comes first (its answer can change the next doses, so
        it is asked before ``stretchtui play NAME`` starts too); at most one
        dialog opens at a time.
        """
        # The dialog itself loads only when there is a question (not before the first frame).
        from .checkin_start import ask_checkin

        if self._play is not None:
            play, acknowledged = self._play, self._play_acknowledged
            ask_checkin(self, then=lambda _asked: self.play_routine(play, acknowledged=acknowledged))
        else:
            ask_checkin(self, then=lambda asked: self.ask_psfs_rerate(dialog=not asked))

    def ask_psfs_rerate(self, *, dialog: bool = True) -> None:
        """Once per app start: when the latest PSFS rating is a week old, ask to rate again (Escape: later).

        ``dialog=False`` (a check-in was just asked): a short note instead of
        a second dialog in a row.
        """
        today = self.clock.now().date()
        if self._psfs_asked or not self.profile.psfs:
            return
        from ..core.domain.psfs import needs_rerate as psfs_needs_rerate

        if not psfs_needs_rerate(self.profile.psfs, today):
            return
        self._psfs_asked = True
        if not dialog:
            self.notify("Your weekly activity ratings are due: Profile (4), then r.", timeout=6)
            return
        from .screens.psfs import PsfsRateDialog

        def rated(activities: tuple | None) -> None:
            if activities is not None:
                self.set_profile(replace(self.profile, psfs=activities), quiet=True)
                self.notify("Activities rated. The History screen's Progress tab charts them.", timeout=4)

        self.push_screen(PsfsRateDialog(self.profile.psfs, today, weekly=True), rated)

    # ----------------------------------------------------------------- profile

    def set_profile(self, profile: Profile, *, quiet: bool = False,
                    on_saved: Callable[[bool], object] | None = None) -> None:
        """Apply ``profile`` now, tell every screen, and save it through the store off the event loop.

        ``on_saved(ok)`` is called on the event loop once the write is done;
        when the store refused, the user is told why and the profile still
        applies for this session.
        """
        self._announce_profile(profile)

        def saved(_none: object) -> None:
            if not quiet:
                self.notify("Profile saved", timeout=3)
            if on_saved is not None:
                on_saved(True)

        def refused(exc: BaseException) -> None:  # StoreError and friends: show and keep working
            self.notify(str(exc), markup=False, severity="error", timeout=10)
            if on_saved is not None:
                on_saved(False)

        # Written by the one writer thread, in order: the last profile asked for is the one kept.
        store_write(self, lambda: self.store.set_profile(profile), saved, refused)

    def _announce_profile(self, profile: Profile) -> None:
        """Make ``profile`` the app's: screens watch the reactive (the one way it reaches them)."""
        self.profile = profile

    def refresh_symptom_marks(self) -> None:
        """Read the symptom marks again, after the writes asked for so far (the store adds a mark
        when it records a session in which symptoms spread), and tell the screens when they changed."""

        def apply(marks: Any) -> None:
            if isinstance(marks, tuple) and marks != self.profile.symptom_marks:
                self._announce_profile(replace(self.profile, symptom_marks=marks))

        store_write(self, self.store.symptom_marks, apply, lambda _exc: None)

    def clear_symptom_marks(self, stretch_ids: Any = None, on_done: Callable[[tuple], object] | None = None) -> None:
        """Clear the symptom marks of ``stretch_ids`` (None: all) in the store, then in the app."""

        def cleared(removed: Any) -> None:
            self.refresh_symptom_marks()
            if on_done is not None:
                on_done(tuple(removed or ()))

        store_write(self, lambda: self.store.clear_symptom_marks(stretch_ids), cleared)

    async def on_unmount(self) -> None:
        # Where the user left off, then after every screen closed (a player closing its session as
        # interrupted): the writes asked for land before the app is gone (and before the caller
        # closes the store).
        self.save_ui_state()
        await asyncio.to_thread(self.writer.wait)

    # ----------------------------------------------------------------- where the user left off

    def _mode_changed(self, mode: str) -> None:
        if mode in STATE_MODES:
            self._ui_mode = mode
            self.save_ui_state()

    def restore_builder(self, state: Callable[[], BuilderState | None]) -> BuilderState | None:
        """The builder was created: returns the routine to put back in it (once; None: none), and
        from now on the app asks ``state()`` for what the builder holds."""
        self._builder_state = state
        restored, self._ui_builder = self._ui_builder, None
        return restored

    def ui_state_changed(self) -> None:
        """The builder's routine changed: save where the user is within :data:`UI_STATE_DELAY` seconds."""
        if self._ui_timer is None and self._ui_dir is not None:
            self._ui_timer = self.set_timer(UI_STATE_DELAY, self.save_ui_state, name="ui-state")

    def routine_renamed(self, old: str, new: str) -> None:
        """The library renamed ``old``: the builder (and the state kept for it) follow the new name."""
        from ..core.storage.store import name_key

        pending = self._ui_builder
        if pending is not None and pending.saved is not None and name_key(pending.saved) == name_key(old):
            routine = pending.routine
            if routine is not None and name_key(routine.name) == name_key(old):
                routine = replace(routine, name=new)
            self._ui_builder = BuilderState(saved=new, routine=routine, dirty=pending.dirty)
        builder = self.builder_screen()
        follow = getattr(builder, "library_renamed", None)
        if callable(follow):
            follow(old, new)
        self.save_ui_state()

    def ui_state(self) -> UiState:
        """Where the user is now: the mode and the builder's routine."""
        builder = self._builder_state() if self._builder_state is not None else self._ui_builder
        return UiState(mode=self._ui_mode, builder=builder)

    def save_ui_state(self) -> None:
        """Write ui-state.json now (on the writer thread) when it changed since the last write."""
        if self._ui_timer is not None:
            self._ui_timer.stop()
            self._ui_timer = None
        if self._ui_dir is None:
            return
        try:
            state = self.ui_state()
        except Exception as exc:  # never let bookkeeping take the app down
            self.log.error(f"ui state: {exc!r}")
            return
        if state == self._ui_written:
            return
        self._ui_written = state
        folder = self._ui_dir

        def failed(exc: BaseException) -> None:
            self._ui_written = None  # unknown now: try again at the next change
            self.log.error(f"ui state not saved: {exc!r}")
            if not self._ui_failed:  # said once; the app works as usual without it
                self._ui_failed = True
                self.notify(f"Could not save where you are (for the next start) in {folder}: "
                            f"{getattr(exc, 'strerror', None) or exc}", markup=False, severity="warning", timeout=6)

        store_write(self, lambda: save_ui_state(folder, state), None, failed)

    # ----------------------------------------------------------------- modes

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("switch_to", "help"):
            # Not while a dialog or the player sits on top of a mode's screen, nor before the
            # first-run notice is read.
            return self.on_a_mode_screen()
        if action == "command_palette":  # it can open any screen: not before the notice is read
            return self.current_mode != WELCOME
        if action == "quit":
            # "q" is for the screens' own use while a dialog is open.
            return not self._modal_on_top()
        return True

    def _modal_on_top(self) -> bool:
        from textual.screen import ModalScreen

        return isinstance(self.screen, ModalScreen)

    async def action_switch_to(self, mode: str) -> None:
        """Show the screen of ``mode``."""
        if not self.on_a_mode_screen():
            return
        await self.switch_mode(mode)

    def action_list_cursor(self, direction: str) -> None:
        """j / k: move the cursor of the focused list or table, as down / up do (typed text is never taken)."""
        move = getattr(self.focused, f"action_cursor_{direction}", None)
        if callable(move):
            move()

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))

    def builder_screen(self) -> Screen | None:
        """The builder's screen if it has been created, else None."""
        try:
            stack = self.get_screen_stack("builder")
        except KeyError:
            return None
        return stack[0] if stack else None

    async def ensure_builder(self) -> Screen:
        """The builder's screen, created and mounted (without showing it) if needed."""
        screen = self.builder_screen()
        if screen is None:
            await self._init_mode("builder")
            screen = self.builder_screen()
            assert screen is not None
        return screen

    def builder_is_dirty(self) -> bool:
        screen = self.builder_screen()
        return bool(getattr(screen, "is_dirty", False)) if screen is not None else False

    async def add_to_builder(self, stretch_id: str) -> bool:
        """Add a catalog stretch to the end of the builder's routine."""
        from .screens.builder import BuilderScreen

        builder = await self.ensure_builder()
        assert isinstance(builder, BuilderScreen)
        builder.add_stretch(stretch_id)
        return True

    async def open_in_builder(self, routine: Routine) -> None:
        """Switch to the builder and load ``routine`` into it.

        The builder itself asks first when it holds unsaved changes.
        """
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        from .screens.builder import BuilderScreen

        await self.switch_mode("builder")
        builder = self.screen
        assert isinstance(builder, BuilderScreen)
        builder.load_routine(routine)

    async def action_new_routine(self) -> None:
        """Start an empty routine in the builder (it asks first about unsaved changes)."""
        if len(self.screen_stack) > 1:
            return
        await self.switch_mode("builder")
        await self.screen.run_action("new")

    async def _library_action(self, action: str) -> None:
        if len(self.screen_stack) > 1:
            return
        await self.switch_mode("library")
        await self.screen.run_action(action)

    async def action_import_routine(self) -> None:
        """Ask for a routine file and add it to the library."""
        await self._library_action("import_routine")

    async def action_export_routine(self) -> None:
        """Export the highlighted library routine to a file."""
        await self._library_action("export_routine")

    def action_toggle_dark(self) -> None:
        """Switch between Textual's dark and light themes."""
        dark = self.current_theme.dark
        self.theme = "textual-light" if dark else "textual-dark"

    def action_show_notice(self) -> None:
        """Show the safety notice again."""
        from .screens.notice import NoticeScreen

        self.push_screen(NoticeScreen())

    # ----------------------------------------------------------------- player

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every toast goes through :func:`~stretchtui.core.text.display` (names, paths, errors).

        Each message is kept in full in :attr:`message_log` (ctrl+l). A
        warning or error is one toast at a time: it replaces the previous one
        instead of stacking over the screen, and when it does not fit on two
        lines of the toast it shows its first line and says where the rest is.
        """
        message = display(message, multiline=True)
        title = display(title)
        self._log_message(severity, title, message)
        if severity in ("warning", "error"):
            width = self._toast_width()
            if "\n" in message or len(message) > 2 * width:
                first = message.split("\n", 1)[0]
                title = (title + " · " if title else "") + "ctrl+l: details"
                message = first if len(first) <= width else first[: width - 1].rstrip() + "…"
                markup = False
        self._show_toast(Notification(message, title, severity,
                                      self.NOTIFICATION_TIMEOUT if timeout is None else timeout, markup=markup),
                         problem=severity in ("warning", "error"))

    def report_problem(self, short: str, detail: str, *, title: str = "", severity: Any = "error",
                       timeout: float = 10) -> None:
        """One short toast for a problem (``short``, one line); the full ``detail`` in the messages log (ctrl+l)."""
        short = display(short)
        detail = display(detail, multiline=True)
        title = display(title)
        self._log_message(severity, title or short, detail)
        width = self._toast_width()
        line = short if len(short) <= width else short[: width - 1].rstrip() + "…"
        label = (title + " · " if title else "") + "ctrl+l: details"
        self._show_toast(Notification(line, label, severity, timeout, markup=False), problem=True)

    def _toast_width(self) -> int:
        """Characters on one line of a toast (Textual's toast: 60 wide, at most half the screen, padded)."""
        return max(20, min(60, self.size.width // 2) - 4)

    def _log_message(self, severity: str, title: str, message: str) -> None:
        try:
            stamp = self.clock.now().strftime("%H:%M:%S")
        except Exception:
            stamp = "--:--:--"
        self.message_log.append((stamp, str(severity), title, message))
        del self.message_log[:-MESSAGE_LOG_SIZE]

    def _show_toast(self, notification: Notification, *, problem: bool) -> None:
        """Post ``notification``; a problem replaces the previous problem, a repeat replaces its twin."""
        for old in list(self._notifications):
            same = (old.message, old.title, old.severity) == (
                notification.message, notification.title, notification.severity)
            if same or (problem and old is self._problem_toast):
                self._unnotify(old, refresh=False)
        if problem:
            self._problem_toast = notification
        self.post_message(Notify(notification))

    def action_show_messages(self) -> None:
        """ctrl+l: every message so far in full, newest first."""
        from .screens.messages_log import MessagesScreen

        if isinstance(self.screen, MessagesScreen):
            return
        self.push_screen(MessagesScreen(list(self.message_log)))

    # ----------------------------------------------------------------- files

    def files_folder(self) -> Path:
        """The folder the save and open dialogs show: ``export_folder`` of config.toml, else home."""
        from ..core.storage.files import dialog_folder

        return dialog_folder(self.settings.export_folder)

    # ----------------------------------------------------------------- size

    async def _on_resize(self, event: events.Resize) -> None:
        # Textual's own handler stops the event, so a public ``on_resize`` would never run here.
        await super()._on_resize(event)
        self.call_later(self._check_size)

    def _check_size(self) -> None:
        """Cover the screen with "make the window larger" below :attr:`MIN_SIZE`; uncover it when it fits."""
        width, height = self.size
        min_w, min_h = self.MIN_SIZE
        small = width < min_w or height < min_h
        cover = self._too_small
        if not small and cover is None:
            return  # the usual case: nothing to import or do
        from .screens.too_small import TooSmallScreen

        if small:
            if cover is not None and cover in self.screen_stack:
                if isinstance(cover, TooSmallScreen):
                    cover.show_size(width, height)
                return
            if not self.screen_stack:
                return
            player = self._running_player()
            self._too_small_resume = player.hold() if player is not None else None
            self._too_small = TooSmallScreen(min_w, min_h, width, height)
            self.push_screen(self._too_small)
        elif cover is not None:
            if self.screen is cover:
                self.pop_screen()
            elif cover in self.screen_stack:
                return  # a dialog (ctrl+q) sits on it: uncover after that one closes
            self._too_small = None
            resume, self._too_small_resume = self._too_small_resume, None
            if resume is not None:
                resume()

    def play_routine(
        self, routine: Routine, *, acknowledged: bool = False, on_edit: Callable[[], Any] | None = None
    ) -> None:
        """Run ``routine`` in the guided player, through the safety gate.

        Every way to play in the app comes here. When the routine has
        avoid-level warnings for the profile (conditions and flare) a dialog
        lists them first: Play anyway, Edit (``on_edit``, by default opens
        the routine in the builder) or Cancel. ``acknowledged``: the user
        has already accepted them (``stretchtui play --yes``).
        """
        if not routine.items:
            self.notify("This routine has no stretches to play.", severity="warning")
            if self._exit_after_play:
                self.exit()
            return
        if not acknowledged:
            from ..core.domain.rules import gate_warnings

            avoid = gate_warnings(routine, self.catalog, self.profile)
            if avoid:
                from .screens.safety_gate import SafetyGateDialog

                def answered(answer: str | None) -> None:
                    if answer == "play":
                        self._start_player(routine)
                    elif answer == "edit":
                        self._exit_after_play = False  # stay in the app to edit it
                        if on_edit is not None:
                            on_edit()
                        else:
                            self.run_worker(self.open_in_builder(routine), exclusive=True, group="gate-edit")
                    elif self._exit_after_play:
                        from rich.text import Text

                        self.exit(return_code=2, message=Text("stretchtui: not played: the warnings were not accepted."))

                self.push_screen(SafetyGateDialog(routine.name, avoid, self.catalog), answered)
                return
        self._start_player(routine)

    def _start_player(self, routine: Routine) -> None:
        from .screens.player import PlayerScreen

        self._playing = True
        self.push_screen(PlayerScreen(routine), self._player_done)

    def _player_done(self, _result: object = None) -> None:
        self._playing = False
        self.refresh_symptom_marks()
        if self._exit_after_play:
            self.exit()

    # ----------------------------------------------------------------- quit

    async def action_request_quit(self) -> None:
        """ctrl+q: quit from anywhere (asks first when the builder has unsaved changes)."""
        await self.action_quit()

    def _running_player(self) -> Any:
        """The player screen in the stack whose session is running or paused, else None."""
        from .screens.player import PlayerScreen

        for screen in self.screen_stack:
            if isinstance(screen, PlayerScreen) and screen.session_active:
                return screen
        return None

    async def action_quit(self) -> None:
        """Quit, asking first when a session is under way (paused meanwhile) or the builder has unsaved changes."""
        player = self._running_player()
        if player is None and not self.builder_is_dirty():
            self.exit()
            return
        from .screens.dialogs import ConfirmDialog

        resume = player.hold() if player is not None else None
        kept = self._ui_dir is not None  # the builder's routine comes back at the next start, unsaved
        if player is not None:
            message = "The session is paused. Quitting ends it; it is kept in your history as interrupted."
        elif kept:
            message = ("The routine in the builder has unsaved changes. They are not in the library, "
                       "but the builder keeps them for the next start. Quit now?")
        else:
            message = "The routine in the builder has unsaved changes. Quit anyway and lose them?"
        if player is not None and self.builder_is_dirty():
            message += (" The routine in the builder has unsaved changes: the builder keeps them for the next start."
                        if kept else " The routine in the builder has unsaved changes, which are lost too.")

        def answered(ok: bool | None) -> None:
            if ok:
                self.exit()
            elif resume is not None:
                resume()

        self.push_screen(ConfirmDialog("Quit stretchtui?", message, yes_label="Quit", no_label="Stay"), answered)


def make_app(
    store: StorePort,
    catalog: Catalog | Callable[[], Catalog],
    clock: Clock,
    *,
    show_notice: bool | None = None,
    play: Routine | None = None,
    exit_after_play: bool = False,
    play_acknowledged: bool = False,
    settings: Settings | None = None,
    player_options: Mapping[str, Any] | None = None,
    restore: bool = True,
) -> StretchApp:
    """Build the app over ``store``, ``catalog`` and ``clock``.

    ``catalog``: the catalog, or a function that loads it, called when the
    first screen that shows stretches is built (a new user's first screen, the
    notice, does not; a :class:`~stretchtui.core.errors.StretchtuiError` it
    raises ends the app with its message, as the command line prints one).

    ``show_notice``: True/False forces the first-run notice on/off; None shows
    it until the user has dismissed it once. ``play``: a routine to start in
    the player straight away; with ``exit_after_play`` the app exits when the
    player closes; ``play_acknowledged``: its avoid-level warnings were
    already accepted (no safety dialog). ``player_options``: the player's
    settings (``checklist``; for tests ``tick_interval`` and ``cue_sink``, see
    :class:`~.screens.player.PlayerScreen`). ``restore``: come back where the
    user left off (the screen and the builder's routine, kept in the data
    folder's ``ui-state.json``; see :mod:`stretchtui.core.storage.ui_state`).
    """
    return StretchApp(
        store,
        catalog,
        clock,
        show_notice=show_notice,
        play=play,
        exit_after_play=exit_after_play,
        play_acknowledged=play_acknowledged,
        settings=settings,
        player_options=player_options,
        restore=restore,
    )
