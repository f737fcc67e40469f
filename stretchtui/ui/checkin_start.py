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

    def find() -> None:
        from ..core.domain.checkin import eligible_checkin

        now = app.clock.now()
        try:
            found = eligible_checkin(app.store.list_sessions(), now, ask=True)
        except Exception:  # an unreadable history is reported elsewhere
            found = None
        if found is not None:
            app.call_from_thread(_ask, app, found[0], found[1], then)
        elif then is not None:
            app.call_from_thread(then, False)

    app.run_worker(find, thread=True, group="checkin", exclusive=True)


def _ask(app: ScreenApp, doc_id: int, session: Any, then: Callable[[bool], object] | None) -> None:
    from .screens.checkin import ask_now

    ask_now(app, doc_id, session, then)
