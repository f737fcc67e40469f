"""Command palette entries for stretchtui's main actions (ctrl+p)."""

from __future__ import annotations

from functools import partial
from typing import Any, Callable, Iterator

from textual.command import DiscoveryHit, Hit, Hits, Provider


def _entries(app: Any) -> Iterator[tuple[str, str, Callable[[], Any]]]:
    """(title, help, callback) for every palette entry."""
    from .app import MODE_KEYS

    for mode, key, label, desc in MODE_KEYS:
        yield (f"Go to {label}", f"{desc} (key {key})", partial(app.run_action, f"switch_to('{mode}')"))
    yield ("New routine", "Start an empty routine in the builder", partial(app.run_action, "new_routine"))
    yield ("Import routine file", "Add a routine from a .routine.json file", partial(app.run_action, "import_routine"))
    yield ("Export routine", "Save the selected library routine to a file", partial(app.run_action, "export_routine"))
    yield ("Toggle dark mode", "Switch between a light and a dark theme", partial(app.run_action, "toggle_dark"))
    yield ("Keys and help", "Every key of every screen (? or F1)", partial(app.run_action, "help"))
    yield ("Safety notice", "Show the notice about what the app can and cannot do", partial(app.run_action, "show_notice"))
    yield ("Quit", "Leave stretchtui (q)", partial(app.run_action, "quit"))


class StretchCommands(Provider):
    """The app's own commands: modes, routines, theme, help."""

    async def discover(self) -> Hits:
        for title, help_text, callback in _entries(self.app):
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in _entries(self.app):
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
