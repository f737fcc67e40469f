"""Command palette entries for stretchtui (ctrl+p).

Besides the app's main actions, a search finds stretches and routines by
name (or a stretch's alias): "cobra" offers to show the Cobra stretch in the
Catalog or add it to the routine, "morning" to play or open the Morning
routines. "Add to routine" is offered only for a stretch the advice gate
allows for the profile (:func:`stretchtui.core.domain.gate.offer_ok`: no
caution or avoid for the user's conditions or flare, not marked by symptoms
spreading); the others are only shown in the Catalog, where their warning
says why. Names are user or catalog text, so titles are built as
:class:`~textual.content.Content` (never markup) and the help lines hold no
names.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .modes import MODE_KEYS

if TYPE_CHECKING:  # pragma: no cover
    from ..core.domain.catalog import Catalog
    from ..core.domain.models import Profile, Routine
    from ..core.storage.ports import StorePort
    from .ports import ScreenApp


def _entries(app: ScreenApp) -> Iterator[tuple[str, str, Callable[[], Any]]]:
    """(title, help, callback) for every palette entry."""
    for mode, key, label, desc in MODE_KEYS:
        yield (f"Go to {label}", f"{desc} (key {key})", partial(app.run_action, f"switch_to('{mode}')"))
    yield ("New routine", "Start an empty routine in the builder", partial(app.run_action, "new_routine"))
    yield ("Import routine file", "Add a routine from a .routine.json file", partial(app.run_action, "import_routine"))
    yield ("Export routine", "Save the selected library routine to a file", partial(app.run_action, "export_routine"))
    yield ("Toggle dark mode", "Switch between a light and a dark theme", partial(app.run_action, "toggle_dark"))
    yield ("Keys and help", "Every key of every screen (? or F1)", partial(app.run_action, "help"))
    yield ("Safety notice", "Show the notice about what the app can and cannot do", partial(app.run_action, "show_notice"))
    yield ("Quit", "Leave stretchtui (q)", partial(app.run_action, "quit"))


def saved_routines(store: StorePort) -> list[Routine]:
    """The library's routines (read off the event loop: see ``StretchCommands.startup``)."""
    try:
        return list(store.list_routines())
    except Exception:  # a store that cannot be read leaves the starters
        return []


def _routines(app: ScreenApp, saved: list[Routine]) -> list[tuple[Routine, bool]]:
    """(routine, saved) for the library's routines, then the starters not shadowed by a saved one."""
    names = {r.name.casefold() for r in saved}
    starters = [r for r in app.catalog.starters if r.name.casefold() not in names]
    return [(r, True) for r in saved] + [(r, False) for r in starters]


def palette_add_ids(catalog: Catalog, profile: Profile) -> set[str]:
    """The stretches the palette offers to add to the routine: those the advice gate allows."""
    from ..core.domain.gate import AdviceContext, offer_ok

    ctx = AdviceContext.of(profile, profile.marked)
    return {s.id for s in catalog.stretches.values() if offer_ok(s, catalog, ctx)}


def _named_entries(app: ScreenApp, saved: list[Routine]) -> Iterator[tuple[str, tuple[str, ...], str, Callable[[], Any]]]:
    """(title, other names to match, help, callback) for stretches and routines (search only)."""
    addable = palette_add_ids(app.catalog, app.profile)
    for stretch in app.catalog.stretches.values():
        aliases = tuple(stretch.aliases)
        if stretch.id not in addable:
            yield (f"Stretch: {stretch.name}", aliases, "Marked for you: see why in the Catalog (add it in the Builder)",
                   partial(show_stretch, app, stretch.id))
            continue
        yield (f"Stretch: {stretch.name}", aliases, "Show it in the Catalog", partial(show_stretch, app, stretch.id))
        yield (
            f"Add to routine: {stretch.name}",
            aliases,
            "Add it to the end of the routine in the Builder",
            partial(app.add_to_builder, stretch.id),
        )
    for routine, is_saved in _routines(app, saved):
        kind = "your routine" if is_saved else "starter routine"
        yield (f"Play: {routine.name}", (), f"Play this {kind} in the guided player", partial(app.play_routine, routine))
        yield (f"Open: {routine.name}", (), f"Open this {kind} in the Builder", partial(app.open_in_builder, routine))


async def show_stretch(app: ScreenApp, stretch_id: str) -> None:
    """Switch to the Catalog with every region shown and ``stretch_id`` highlighted."""
    from textual.widgets import Input

    from .screens.catalog import CatalogScreen

    while len(app.screen_stack) > 1:
        await app.pop_screen()
    await app.switch_mode("catalog")
    screen = app.screen
    assert isinstance(screen, CatalogScreen)
    search = screen.query_one("#catalog-search", Input)
    if search.value:
        search.value = ""
    screen.select_region("all")
    screen.refresh_list()
    ids = screen.visible_ids()
    if stretch_id in ids:
        screen.stretch_list.highlighted = ids.index(stretch_id)
    screen.stretch_list.focus()


class StretchCommands(Provider):
    """The app's own commands (modes, routines, theme, help), and stretches and routines by name."""

    _saved: list[Routine] = []

    @property
    def _app(self) -> ScreenApp:
        """The app, typed as its screens see it (``ui/ports.py``)."""
        return cast("ScreenApp", self.app)

    async def startup(self) -> None:
        # The library's routines, read once per opening of the palette, in a thread (never on the event loop).
        self._saved = await asyncio.to_thread(saved_routines, self._app.store)

    async def discover(self) -> Hits:
        for title, help_text, callback in _entries(self._app):
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in _entries(self._app):
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
        for title, others, help_text, callback in _named_entries(self._app, self._saved):
            _kind, _sep, name = title.partition(": ")
            # the name (or an alias) must match; "Stretch"/"Play" alone match everything
            score = max([matcher.match(name)] + [matcher.match(other) for other in others])
            if score > 0:
                yield Hit(score * 0.95, matcher.highlight(title), callback, help=help_text)
