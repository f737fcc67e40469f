"""Base classes of the app's screens, with ``self.app`` typed as :class:`StretchApp`.

Textual types ``Widget.app`` as ``App[object]``; screens read the store,
catalog, clock and settings from the app, so they derive from these classes
and the type checker knows what ``self.app`` holds. The narrower type exists
for the checker only (the import would be circular at run time).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import ModalScreen, Screen, ScreenResultType

from ..background import HandlesReplies

if TYPE_CHECKING:
    from textual import getters

    from ..app import StretchApp


class AppScreen(HandlesReplies, Screen[ScreenResultType]):
    """A full screen of stretchtui (it delivers the replies of its work off the event loop)."""

    if TYPE_CHECKING:
        app = getters.app(StretchApp)


class AppModalScreen(HandlesReplies, ModalScreen[ScreenResultType]):
    """A modal screen of stretchtui (it delivers the replies of its work off the event loop)."""

    if TYPE_CHECKING:
        app = getters.app(StretchApp)
