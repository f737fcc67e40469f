"""PLACEHOLDER — owned by the history helper (issue 6). Replace wholesale.

Contract: ``HistoryScreen()`` is a Screen used as the app's ``history`` mode;
it reads sessions through ``self.app.store``.
"""

from textual.screen import Screen
from textual.widgets import Static


class HistoryScreen(Screen):
    def compose(self):
        yield Static("History coming soon", markup=False)
