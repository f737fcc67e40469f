"""PLACEHOLDER — owned by the player helper (issue 5). Replace wholesale.

Contract: ``PlayerScreen(routine: Routine)`` is a Screen pushed by
``app.play_routine(routine)``; it reads ``self.app.store``, ``self.app.catalog``,
``self.app.clock`` and the profile from the store.
"""

from textual.screen import Screen
from textual.widgets import Static


class PlayerScreen(Screen):
    def __init__(self, routine, **kwargs):
        super().__init__(**kwargs)
        self.routine = routine

    def compose(self):
        yield Static("Player coming soon", markup=False)
