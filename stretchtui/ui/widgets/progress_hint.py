"""One line under a routine: "ready to progress: Knee to Chest 20 s → 25 s · P apply".

The Library (for the highlighted routine) and the Builder (for the routine
being edited) show it. The doses come from the progression rule
(:func:`stretchtui.core.domain.progression.suggest_routine`) over the recorded
sessions, which :meth:`ProgressHint.reload` asks the app's sessions cache for in a thread. The line is
hidden unless some item would progress or back off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

from ...core.domain.catalog import Catalog
from ...core.domain.models import Routine
from ...core.domain.progression import RoutinePlan, describe_change, suggest_routine
from ...core.domain.session import Session
from ...core.text import display
from ..background import HandlesReplies, store_call

if TYPE_CHECKING:
    from textual import getters

    from ...core.reports.aggregates import History
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


class ProgressHint(HandlesReplies, Static):
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
        #: what the rule reads: the store's per-year aggregates, else (a store without them) every session
        self.sessions: History | list[Session] | None = None
        self.plan: RoutinePlan | None = None
        self._routine: Routine | None = None

    if TYPE_CHECKING:  # the app's store and catalog, typed (the import would be circular at run time)
        app = getters.app(ScreenApp)

    @property
    def has_changes(self) -> bool:
        return self.plan is not None and bool(self.plan.changes)

    def reload(self) -> None:
        """Read the recorded sessions again (in a thread) if they changed, then redraw.

        Every visit to the Library or the Builder asks; the per-year aggregates
        (cached beside each year file) stand for the sessions, so the app never
        holds the whole history for a hint; a store without them goes through
        the app's sessions cache.
        """
        store_call(self, "progress-hint", self._read, self._loaded, self._unreadable)

    def _read(self) -> History | list[Session]:
        from ...core.reports.aggregates import history

        store = self.app.store
        if hasattr(store, "aggregates_available"):
            merged = history(store)
            if merged is not None:
                return merged
        return self.app.sessions.sessions()

    def _unreadable(self, _exc: BaseException) -> None:
        self._loaded([])  # an unreadable history is reported elsewhere; no hint then

    def _loaded(self, sessions: History | list[Session]) -> None:
        if sessions is self.sessions:
            return  # unchanged: the hint shown is still right
        self.sessions = sessions
        self.show_for(self._routine)

    def show_for(self, routine: Routine | None) -> None:
        """Show the hint for ``routine`` (None: nothing)."""
        self._routine = routine
        self.plan = None
        text = ""
        from ...core.reports.aggregates import History

        known = self.sessions
        if isinstance(known, History) and not any(agg["count"] for agg in known.years.values()):
            known = None
        if routine is not None and known:
            app = self.app
            try:
                if isinstance(known, History):
                    self.plan = suggest_routine(routine, app.catalog, [], profile=app.profile, summary=known)
                else:
                    self.plan = suggest_routine(routine, app.catalog, known, profile=app.profile)
            except Exception:  # the hint must never break the screen under it
                self.plan = None
            text = progress_text(self.plan, app.catalog) if self.plan is not None else ""
        self.update(text)
        self.set_class(text.startswith(("leave out", "see a clinician")), "-leave-out")
        self.display = bool(text)
