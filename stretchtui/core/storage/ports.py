"""What the rest of the program needs of the data folder: the :class:`StorePort` protocol.

The app, its screens and the domain helpers take a ``StorePort``, not the
concrete :class:`~stretchtui.core.storage.store.Store`: they see the methods
they call and nothing of its files, locks and caches, and a test can hand
them a stand-in with the same methods. ``Store`` satisfies the protocol (the
type checker compares them where ``make_app`` receives one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from ..domain.models import Profile, Routine, SymptomMark
    from ..domain.session import Session


class SessionWrites(Protocol):
    """The two writes a session recorder makes: record a session, then change it."""

    def append_session(self, doc: dict, *, session_id: int | None = None) -> int:
        """Record a session; returns its id."""
        ...

    def update_session(self, session_id: int, changes: dict) -> None:
        """Change fields of a recorded session."""
        ...


class StorePort(SessionWrites, Protocol):
    """Routines, sessions and the profile, read and written."""

    def list_routines(self) -> list[Routine]:
        """The user's own routines, by name."""
        ...

    def get_routine(self, name: str) -> Routine | None:
        """The routine called ``name`` (any case), or None."""
        ...

    def save_routine(self, routine: Routine, *, replace: str | None = None) -> Routine:
        """Save ``routine`` (over the one called ``replace`` when given)."""
        ...

    def add_routine(self, routine: Routine) -> Routine:
        """Save a new routine; refuses a name already taken."""
        ...

    def rename_routine(self, old: str, new: str) -> Routine:
        """Give the routine ``old`` the name ``new``."""
        ...

    def duplicate_routine(self, name: str) -> Routine:
        """A copy of ``name`` under a free name."""
        ...

    def delete_routine(self, name: str) -> None:
        """Delete the routine called ``name``."""
        ...

    def get_session(self, session_id: int) -> Session | None:
        """One recorded session, or None."""
        ...

    def list_sessions(self) -> list[Session]:
        """Every recorded session, oldest first."""
        ...

    def sessions_stamp(self) -> tuple | None:
        """Changes whenever a sessions file changes (None: no sessions yet)."""
        ...

    def get_profile(self) -> Profile:
        """The user's profile."""
        ...

    def set_profile(self, profile: Profile) -> None:
        """Save the user's profile."""
        ...

    def symptom_marks(self) -> tuple[SymptomMark, ...]:
        """The stretches marked by symptoms spreading."""
        ...

    def clear_symptom_marks(self, stretch_ids: Any = None) -> tuple[SymptomMark, ...]:
        """Remove the marks of ``stretch_ids`` (None: every mark); returns the marks removed."""
        ...
