"""Nothing blocks the UI: every store call runs off the event loop.

A :class:`SlowStore` holds chosen store methods until the test releases them
(a ``threading.Event``, never a sleep). While a call is held the app must
stay usable (keys work, the countdown moves on), and once it is released the
result must arrive on screen. Store errors in the background become the
usual one-line toast, never a traceback.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from textual.widgets import Checkbox

from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.core.storage.store import StoreLocked, open_store
from stretchtui.ui.app import make_app
from stretchtui.ui.screens.builder import BuilderScreen
from stretchtui.ui.screens.catalog import CatalogScreen
from stretchtui.ui.screens.library import LibraryScreen
from stretchtui.ui.screens.player import PlayerScreen
from stretchtui.ui.screens.profile import ProfileScreen

SIZE = (100, 30)


class SlowStore:
    """The real store, with the methods named in ``held`` waiting until :meth:`release` (or raising ``fail``)."""

    def __init__(self, store: Any, *held: str, fail: Exception | None = None) -> None:
        self._store = store
        self.held = set(held)
        self.fail = fail
        self.gate = threading.Event()
        self.waiting = threading.Event()  # a held call has started
        self.calls: list[str] = []
        if fail is not None:
            self.gate.set()

    @property
    def holding(self) -> bool:
        """True until released (``settle_store_calls`` in conftest does not wait for held calls)."""
        return not self.gate.is_set()

    def release(self) -> None:
        self.gate.set()

    async def started(self) -> None:
        """Wait (off the event loop) until a held call has begun."""
        assert await asyncio.to_thread(self.waiting.wait, 30), "the held store call never started"

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if name not in self.held or not callable(attr):
            return attr

        def held(*args: Any, **kwargs: Any) -> Any:
            assert threading.current_thread() is not threading.main_thread(), f"{name} called on the event loop"
            self.calls.append(name)
            self.waiting.set()
            assert self.gate.wait(30), "the test never released the store"  # a guard, not a delay
            if self.fail is not None:
                raise self.fail
            return attr(*args, **kwargs)

        return held


def _app(store: SlowStore, catalog: Any, clock: Any, **options: Any) -> Any:
    return make_app(store, catalog, clock, show_notice=False, **options)


def _notes(app: Any) -> list[str]:
    """Every message the app showed, in full (a toast is cut to one line; ctrl+l shows the whole text)."""
    return [entry[3] for entry in app.message_log]


async def test_library_shows_loading_keeps_keys_working_and_then_the_routines(
    data_dir, real_catalog, fake_clock, screen_text
):
    real = open_store(data_dir)
    real.save_routine(Routine("Slow morning", (RoutineItem("cat-cow"),)))
    store = SlowStore(real, "list_routines")
    app = _app(store, real_catalog, fake_clock)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("3")
            await store.started()
            library = app.screen
            assert isinstance(library, LibraryScreen)
            assert "Loading your routines" in await screen_text(pilot)
            await pilot.press("1")  # the store is still busy: another mode opens at once
            assert isinstance(app.screen, CatalogScreen)
            await pilot.press("3")
            store.release()
            await pilot.pause()
            assert "Slow morning" in library.routine_names()
            assert "Slow morning" in await screen_text(pilot)
    finally:
        store.release()
        real.close()


async def test_a_builder_save_is_written_once_while_editing_goes_on(data_dir, real_catalog, fake_clock, screen_text):
    real = open_store(data_dir)
    store = SlowStore(real, "save_routine")
    app = _app(store, real_catalog, fake_clock)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("2")
            await pilot.pause()
            builder = app.screen
            assert isinstance(builder, BuilderScreen)
            builder.add_stretch("cat-cow")
            builder.routine_list.focus()
            await pilot.press("s")
            await pilot.pause()
            app.screen.query_one("Input").value = "Evening back"
            await pilot.press("enter")
            await store.started()
            assert "saving…" in await screen_text(pilot)
            await pilot.press("s")  # pressed again while it is written: no second save
            await pilot.press("ctrl+s")
            builder.add_stretch("knee-to-chest")  # editing goes on
            await pilot.pause()
            assert [i.stretch for i in builder.current_routine().items] == ["cat-cow", "knee-to-chest"]
            store.release()
            await pilot.pause()
            assert store.calls == ["save_routine"]
            saved = real.get_routine("Evening back")
            assert saved is not None and [i.stretch for i in saved.items] == ["cat-cow"]
            assert builder.is_dirty  # the stretch added while saving is not in the library yet
            assert any("Saved Evening back" in n for n in _notes(app))
    finally:
        store.release()
        real.close()


async def test_the_countdown_goes_on_while_the_session_is_being_written(
    data_dir, real_catalog, fake_clock, screen_text
):
    real = open_store(data_dir)
    store = SlowStore(real, "append_session", "update_session")
    routine = Routine("Slow disk", (RoutineItem("knee-to-chest", hold=20, reps=1, sides="each"),))
    app = _app(store, real_catalog, fake_clock, play=routine)
    app.player_options = {"checklist": False, "cue_sink": lambda s: None, "tick_interval": 3600}
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await store.started()  # the session's first record is held...
            player = app.screen
            assert isinstance(player, PlayerScreen)
            fake_clock.advance(5)
            player.tick()  # ...and the get-ready ends: the next step shows at once
            text = await screen_text(pilot)
            assert "HOLD" in text and "left side" in text
            fake_clock.advance(20)
            player.tick()
            assert "right side" in await screen_text(pilot)
            assert store.calls == ["append_session"]  # one writer: the later records wait their turn
            store.release()
            await pilot.pause()
            [doc] = real.list_sessions()
            latest = player.recorder.document()
            assert doc.status == "running" and doc.steps_done == latest["steps_done"] >= 1  # written last
            assert store.calls[0] == "append_session" and set(store.calls[1:]) == {"update_session"}
    finally:
        store.release()
        real.close()


async def test_profile_changes_apply_at_once_and_are_saved_in_order(data_dir, real_catalog, fake_clock, screen_text):
    real = open_store(data_dir)
    store = SlowStore(real, "set_profile")
    app = _app(store, real_catalog, fake_clock)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("4")
            await pilot.pause()
            profile_screen = app.screen
            assert isinstance(profile_screen, ProfileScreen)
            box = profile_screen.query_one("#profile-flare", Checkbox)
            box.value = True
            await store.started()
            assert app.profile.flare  # applies now, while it is written
            assert "Saving…" in await screen_text(pilot)
            box.value = False
            await pilot.press("tab")  # keys still work
            store.release()
            await pilot.pause()
            assert real.get_profile().flare is False  # the last change is the one kept
            assert "Saved." in await screen_text(pilot)
    finally:
        store.release()
        real.close()


async def test_a_store_error_in_the_background_is_a_one_line_toast(data_dir, real_catalog, fake_clock, screen_text):
    real = open_store(data_dir)
    message = "another stretchtui is busy writing in the data folder; waited 5 s. Nothing was changed: try again."
    store = SlowStore(real, "list_routines", "save_routine", fail=StoreLocked(message))
    app = _app(store, real_catalog, fake_clock)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("3")
            await pilot.pause()
            assert message in _notes(app)
            library = app.screen
            assert isinstance(library, LibraryScreen)
            assert library.routine_names()  # the starters are still listed
            await pilot.press("2")
            await pilot.pause()
            builder = app.screen
            assert isinstance(builder, BuilderScreen)
            builder.add_stretch("cat-cow")
            builder.routine_list.focus()
            await pilot.press("s")
            await pilot.pause()
            app.screen.query_one("Input").value = "Kept"
            await pilot.press("enter")
            await pilot.pause()
            # the first toast may have timed out by now (real seconds): look for the builder's
            assert any(title.startswith("Not saved") and text == message for _t, _s, title, text in app.message_log)
            assert app.is_running
            assert builder.is_dirty and not builder._saving  # the work is kept; saving can be tried again
            assert "Traceback" not in await screen_text(pilot)
    finally:
        real.close()
