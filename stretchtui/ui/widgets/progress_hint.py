"""One line under a routine: "ready to progress: Knee to Chest 20 s → 25 s · P apply".

The Library (for the highlighted routine) and the Builder (for the routine
being edited) show it. The doses come from the progression rule
(:func:`stretchtui.core.domain.progression.suggest_routine`) over the recorded
sessions, which :meth:`ProgressHint.reload` reads in a thread. The line is
hidden unless some item would progress or back off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.widgets import Static

from ...core.domain.catalog import Catalog
from ...core.domain.models import Routine
from ...core.domain.progression import RoutinePlan, describe_change, suggest_routine
from ...core.domain.session import Session
from ...core.text import display

if TYPE_CHECKING:
    from textual import getters

    from ..ports import ScreenApp


def progress_text(plan: RoutinePlan, catalog: Catalog, key: str = "P") -> str:
    """The hint for ``plan`` ("" when nothing would change and nothing is to be left out).

    Doses come from the progression rule, which asks the advice gate before any
    step up; a stretch to leave out (symptoms spread with it, or worse at its
    lowest dose) or to ask a clinician about is named, never replaced by another.
    """

    def name(sid: str) -> str:
        stretch = catalog.get(sid)
        return stretch.name if stretch is not None else sid

    ups = [describe_change(p, catalog) for p in plan.changes if p.suggestion.action == "progress"]
    downs = [describe_change(p, catalog) for p in plan.changes if p.suggestion.action == "back-off"]
    out = list(dict.fromkeys(name(p.suggestion.stretch) for p in plan.items if p.suggestion.action == "drop"))
    ask = list(dict.fromkeys(name(p.suggestion.stretch) for p in plan.items if p.suggestion.action == "clinician"))
    parts = []
    if out:
        parts.append("leave out: " + "; ".join(out) + " (see a clinician)")
    if ask:
        parts.append("see a clinician about: " + "; ".join(ask))
    if ups:
        parts.append("ready to progress: " + "; ".join(ups))
    if downs:
        parts.append("back off: " + "; ".join(downs))
    if not parts:
        return ""
    return display(" · ".join(parts)) + (f" · {key} apply" if ups or downs else "")


class ProgressHint(Static):
    """The progression line for one routine (hidden when nothing would change)."""

    DEFAULT_CSS = """
    ProgressHint {
        height: auto;
        padding: 0 1;
        color: $text-success;
        display: none;
    }
    ProgressHint.-leave-out {
        color: $text-warning;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", markup=False, id=id)
        self.sessions: list[Session] | None = None
        self.plan: RoutinePlan | None = None
        self._routine: Routine | None = None
        #: the sessions files' stamp when ``sessions`` was read (see Store.sessions_stamp)
        self._stamp: tuple | None = None

    if TYPE_CHECKING:  # the app's store and catalog, typed (the import would be circular at run time)
        app = getters.app(ScreenApp)

    @property
    def has_changes(self) -> bool:
        return self.plan is not None and bool(self.plan.changes)

    def reload(self) -> None:
        """Read the recorded sessions again (in a thread) if they changed, then redraw."""
        self._load()

    @work(thread=True, exclusive=True, group="progress-hint")
    def _load(self) -> None:
        store = self.app.store
        try:
            # Every visit to the Library or the Builder asks; the files are only
            # parsed again when a session was recorded since (like History).
            stamp = store.sessions_stamp()
        except Exception:
            stamp = None
        if stamp is not None and stamp == self._stamp and self.sessions is not None:
            return
        sessions: list[Session] = []
        try:
            for doc in store.list_sessions():
                try:
                    sessions.append(Session.from_doc(doc))
                except (TypeError, KeyError):
                    continue
        except Exception:  # an unreadable history is reported elsewhere; no hint then
            sessions, stamp = [], None
        self.app.call_from_thread(self._loaded, sessions, stamp)

    def _loaded(self, sessions: list[Session], stamp: tuple | None) -> None:
        self.sessions = sessions
        self._stamp = stamp
        self.show_for(self._routine)

    def show_for(self, routine: Routine | None) -> None:
        """Show the hint for ``routine`` (None: nothing)."""
        self._routine = routine
        self.plan = None
        text = ""
        if routine is not None and self.sessions:
            app = self.app
            try:
                self.plan = suggest_routine(routine, app.catalog, self.sessions, profile=app.profile)
            except Exception:  # the hint must never break the screen under it
                self.plan = None
            text = progress_text(self.plan, app.catalog) if self.plan is not None else ""
        self.update(text)
        self.set_class(text.startswith(("leave out", "see a clinician")), "-leave-out")
        self.display = bool(text)
