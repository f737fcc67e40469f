"""Base classes of the app's screens, with ``self.app`` typed as :class:`..ports.ScreenApp`.

Textual types ``Widget.app`` as ``App[object]``; screens read the store,
catalog, clock and settings from the app, so they derive from these classes
and the type checker knows what ``self.app`` holds: Textual's App plus
:class:`..ports.StretchAppPort`, never ``ui/app.py`` itself (the app imports
its screens; a screen importing the app back would close a circle).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import ModalScreen, Screen, ScreenResultType

from ..background import HandlesReplies
from ..held_frame import HoldsFrameInBatch

if TYPE_CHECKING:
    from textual import getters

    from ..ports import ScreenApp


class AppScreen(HoldsFrameInBatch, HandlesReplies, Screen[ScreenResultType]):
    """A full screen of stretchtui (it delivers the replies of its work off the event loop)."""

    if TYPE_CHECKING:
        app = getters.app(ScreenApp)


class AppModalScreen(HoldsFrameInBatch, HandlesReplies, ModalScreen[ScreenResultType]):
    """A modal screen of stretchtui (it delivers the replies of its work off the event loop)."""

    if TYPE_CHECKING:
        app = getters.app(ScreenApp)
