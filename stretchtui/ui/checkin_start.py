"""The day-after check-in's look-up at start, without loading its dialog.

:func:`ask_checkin` looks (in a thread) for the latest session that ended
12 to 72 hours ago with no check-in (see :mod:`stretchtui.core.domain.checkin`);
only when there is one does :mod:`stretchtui.ui.screens.checkin` load and
its dialog open. Kept apart from the dialog so the app's first frame does not
wait for the dialog, the session model or the check-in rules to be imported
(``tests/ui/test_startup_imports.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .ports import ScreenApp


def ask_checkin(app: ScreenApp, then: Callable[[bool], object] | None = None) -> None:
    """At start: ask about the latest eligible session, if there is one (store work in threads).

    ``then(asked)`` runs on the event loop once the question is answered or
    dismissed (``asked=True``) or when there is nothing to ask (``False``):
    what the app does next at start waits for it, so two dialogs never open
    on top of each other.
    """

    from .background import store_call

    def find() -> Any:
        from ..core.domain.checkin import eligible_checkin

        # Only the newest year files: the app does not hold the whole history for one question.
        now = app.clock.now()
        return eligible_checkin(_recent(app.store, now), now, ask=True)

    def found(answer: Any) -> None:
        if answer is not None:
            _ask(app, answer[0], answer[1], then)
        elif then is not None:
            then(False)

    def unreadable(_exc: BaseException) -> None:  # an unreadable history is reported elsewhere
        found(None)

    store_call(app, "checkin", find, found, unreadable)


def _recent(store: Any, now: Any) -> Any:
    """The sessions a check-in can be about (ended 12 to 72 hours ago): the newest year files only."""
    if not hasattr(store, "aggregates_available"):
        return store.list_sessions()
    from datetime import timedelta

    from ..core.reports.aggregates import recent_sessions

    return recent_sessions(store, (now - timedelta(days=5)).date())


def _ask(app: ScreenApp, doc_id: int, session: Any, then: Callable[[bool], object] | None) -> None:
    from .screens.checkin import ask_now

    ask_now(app, doc_id, session, then)
