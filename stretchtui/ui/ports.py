"""The app as its screens and widgets see it: :class:`StretchAppPort`.

Screens read the shared state (store, catalog, clock, profile, settings) and
ask the app to do a few things (play a routine, open one in the builder,
save the profile, report a problem). They type ``self.app`` as
:class:`ScreenApp`, Textual's ``App`` plus this protocol, so they never
import ``ui/app.py``: the app imports its screens, the screens import only
this module, and ``ui/`` has no import circle (``tests/test_ui_imports.py``).
To the type checker ``StretchApp`` derives from :class:`ScreenApp`, so it
must provide every member of the protocol.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from textual.app import App

    from ..core.clock import Clock
    from ..core.domain.catalog import Catalog
    from ..core.domain.models import Profile, Routine
    from ..core.storage.config import Settings
    from ..core.storage.ports import StorePort
    from ..core.storage.sessions_cache import SessionsCache
    from ..core.storage.ui_state import BuilderState
    from ..core.storage.writer import SerialWriter


class StretchAppPort(Protocol):
    """What stretchtui's app offers its screens, beyond Textual's ``App``."""

    store: StorePort
    clock: Clock
    settings: Settings
    #: The one thread that writes sessions and the profile (see ``ui/background.py``).
    writer: SerialWriter
    #: Player options for tests and the CLI (see ``ui/screens/player.py``).
    player_options: dict[str, Any]
    @property
    def catalog(self) -> Catalog:
        """The stretches (loaded when a screen first asks)."""
        ...

    #: The user's profile (a reactive on the app: screens may watch it).
    profile: Profile
    #: The app's one copy of the recorded sessions (read again only when a sessions file changed).
    sessions: SessionsCache

    def files_folder(self) -> Path:
        """Where file dialogs start."""
        ...

    def set_profile(
        self, profile: Profile, *, quiet: bool = False, on_saved: Callable[[bool], object] | None = None
    ) -> None:
        """Show ``profile`` everywhere now and save it in the background."""
        ...

    def report_problem(
        self, short: str, detail: str, *, title: str = "", severity: Any = "error", timeout: float = 10
    ) -> None:
        """A one-line toast; the full ``detail`` in the messages log."""
        ...

    def play_routine(
        self, routine: Routine, *, acknowledged: bool = False, on_edit: Callable[[], Any] | None = None
    ) -> None:
        """Play ``routine``, through the safety gate unless ``acknowledged``."""
        ...

    async def open_in_builder(self, routine: Routine) -> None:
        """Show the builder with ``routine`` in it."""
        ...

    async def add_to_builder(self, stretch_id: str) -> bool:
        """Add a stretch to the routine in the builder; False when it was not added."""
        ...

    def clear_symptom_marks(
        self, stretch_ids: Any = None, on_done: Callable[[tuple], object] | None = None
    ) -> None:
        """Clear the symptom marks of ``stretch_ids`` (None: all) in the store, then in the app."""
        ...

    def ask_psfs_rerate(self, *, dialog: bool = True) -> None:
        """Ask for this week's PSFS ratings when they are due."""
        ...

    def restore_builder(self, state: Callable[[], BuilderState | None]) -> BuilderState | None:
        """The builder was created: the routine to put back in it (once), and how the app reads it from now on."""
        ...

    def ui_state_changed(self) -> None:
        """The builder's routine changed: save where the user is (soon, not at every key)."""
        ...

    def routine_renamed(self, old: str, new: str) -> None:
        """The library renamed a routine: the builder and the state kept for the next start follow."""
        ...

    async def notice_read(self) -> None:
        """The first-run notice, a new user's first screen, was read: on to the screen the app starts on."""
        ...


if TYPE_CHECKING:  # pragma: no cover

    class ScreenApp(App[None], StretchAppPort):
        """The type of ``self.app`` in a screen: Textual's App with stretchtui's port."""
