"""Messages the app broadcasts to its screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from ..core.domain.models import Profile


@dataclass
class ProfileChanged(Message):
    """The user's profile (conditions, player settings) changed and was saved.

    The app posts it to every screen that exists; screens may instead watch
    the app's ``profile`` reactive (``self.watch(self.app, "profile", ...)``).
    """

    profile: Profile
