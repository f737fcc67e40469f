"""A restart comes back where the user left off: the same screen, the same routine in the builder.

Each test runs the app, quits, and runs it again on the same data folder
(``ui-state.json``, see core/storage/ui_state.py): a saved routine is read
from the library again, an unsaved draft comes back unsaved, a routine
deleted meanwhile leaves the builder empty, a damaged state file is named
once and left alone, and what the command line asks for (play a routine)
wins over the restored screen.
"""

from __future__ import annotations

import json

from stretchtui.core.domain.models import UNTITLED, Routine, RoutineItem
from stretchtui.core.storage.store import open_store
from stretchtui.core.storage.ui_state import UI_STATE_FILE, load_ui_state
from stretchtui.ui.screens.builder import BuilderScreen
from stretchtui.ui.screens.dialogs import ConfirmDialog

SIZE = (80, 24)
MORNING = Routine(name="Morning back", items=(RoutineItem("cat-cow"), RoutineItem("childs-pose")))


def _save(data_dir, *routines: Routine) -> None:
    with open_store(data_dir) as store:
        for routine in routines:
            store.save_routine(routine)


def _title(screen: BuilderScreen) -> str:
    return str(screen.query_one("#builder-title").render())


def _ids(screen: BuilderScreen) -> list[str]:
    return [item.stretch for item in screen.model.items]


async def _quit(app, pilot) -> None:
    await pilot.press("q")
    await pilot.pause()
    if isinstance(app.screen, ConfirmDialog):
        await pilot.press("y")
        await pilot.pause()


async def _leave_on_the_builder_with(make_test_app, data_dir, routine: Routine) -> None:
    """A first run: ``routine`` saved, opened in the Builder, and the app quit there."""
    _save(data_dir, routine)
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.open_in_builder(routine)
        await pilot.pause()
        await _quit(app, pilot)


async def test_saved_routine_and_library_screen_come_back(make_test_app, data_dir):
    _save(data_dir, MORNING)
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.open_in_builder(MORNING)
        await pilot.pause()
        assert _ids(app.screen) == ["cat-cow", "childs-pose"]
        await pilot.press("3")
        await pilot.pause()
        assert app.current_mode == "library"
        await _quit(app, pilot)
    assert not app.is_running

    # edited in another window meanwhile: the library's version is what comes back
    _save(data_dir, Routine(name="Morning back", items=(*MORNING.items, RoutineItem("pelvic-tilt"))))

    again = make_test_app(data_dir=data_dir)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.current_mode == "library"
        assert again.builder_screen() is None  # the builder is built when first shown, as before
        await pilot.press("2")
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, BuilderScreen)
        assert _ids(screen) == ["cat-cow", "childs-pose", "pelvic-tilt"]
        assert screen.model.saved_name == "Morning back" and not screen.is_dirty
        assert "Morning back" in _title(screen) and UNTITLED not in _title(screen) and "saved" in _title(screen)


async def test_the_builder_as_last_screen_is_the_first_screen(make_test_app, data_dir):
    await _leave_on_the_builder_with(make_test_app, data_dir, MORNING)

    again = make_test_app(data_dir=data_dir)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.current_mode == "builder"
        screen = again.screen
        assert isinstance(screen, BuilderScreen)
        assert _ids(screen) == ["cat-cow", "childs-pose"] and not screen.is_dirty


async def test_an_unsaved_draft_survives_quit_without_saving(make_test_app, data_dir):
    _save(data_dir, MORNING)
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.open_in_builder(MORNING)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BuilderScreen)
        screen.add_stretch("pelvic-tilt", 2)
        await pilot.press("1")  # to the catalog
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "keeps them for the next start" in dialog._message
        await pilot.press("y")  # quit without saving
        await pilot.pause()
    # nothing was written to the library by itself
    with open_store(data_dir) as store:
        kept = store.get_routine("Morning back")
        assert kept is not None and [i.stretch for i in kept.items] == ["cat-cow", "childs-pose"]

    again = make_test_app(data_dir=data_dir)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.current_mode == "catalog"
        assert again.builder_is_dirty() is False  # not built yet: quitting now keeps the draft as it is
        await pilot.press("2")
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, BuilderScreen)
        assert _ids(screen) == ["cat-cow", "childs-pose", "pelvic-tilt"]
        assert screen.is_dirty and screen.model.saved_name == "Morning back"
        assert "Morning back" in _title(screen) and "unsaved" in _title(screen)
        await pilot.press("s")  # the user's save replaces the library's routine
        await pilot.pause()
        assert not screen.is_dirty
        assert [i.stretch for i in again.store.get_routine("Morning back").items] == [
            "cat-cow", "childs-pose", "pelvic-tilt"]


async def test_a_new_unnamed_draft_comes_back_unsaved(make_test_app, data_dir):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        assert await app.add_to_builder("cat-cow")  # from the catalog: the builder is never shown
        await pilot.pause()
        await _quit(app, pilot)
    state = load_ui_state(data_dir).state
    assert state is not None and state.mode == "catalog" and state.builder is not None and state.builder.dirty

    again = make_test_app(data_dir=data_dir)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert await again.add_to_builder("childs-pose")  # adds to the draft, as before the restart
        await pilot.pause()
        screen = again.builder_screen()
        assert isinstance(screen, BuilderScreen)
        assert _ids(screen) == ["cat-cow", "childs-pose"] and screen.is_dirty
        assert screen.model.saved_name is None and UNTITLED in _title(screen)


async def test_a_routine_deleted_meanwhile_leaves_the_builder_empty(make_test_app, data_dir):
    await _leave_on_the_builder_with(make_test_app, data_dir, MORNING)
    with open_store(data_dir) as store:
        store.delete_routine("Morning back")

    again = make_test_app(data_dir=data_dir)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, BuilderScreen)
        assert _ids(screen) == [] and not screen.is_dirty and screen.model.saved_name is None
        assert UNTITLED in _title(screen) and "opening" not in _title(screen)
        assert not isinstance(again.screen, ConfirmDialog)
        assert [n for n in again._notifications if n.severity == "error"] == []


async def test_a_damaged_state_file_is_named_once_and_left_until_replaced(make_test_app, data_dir):
    path = data_dir / UI_STATE_FILE
    path.write_bytes(b'{"stretchtui": "ui-state", "version": 1, "mode": "librar')
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.current_mode == "catalog"
        messages = [m for _time, _severity, _title, m in app.message_log]
        assert sum(str(path) in m for m in messages) == 1, messages
        assert path.read_bytes().endswith(b"librar")  # left as it is
        await pilot.press("4")
        await pilot.pause()
    assert load_ui_state(data_dir).state is not None and load_ui_state(data_dir).state.mode == "profile"


async def test_names_in_the_state_file_are_text_not_markup(make_test_app, data_dir):
    name = "[bold]Hamstring [L][/] [@click=app.quit]x[/]"
    doc = {"stretchtui": "ui-state", "version": 1, "mode": "builder",
           "builder": {"saved": None, "dirty": True,
                       "routine": {"name": "\x1b]0;title\x07" + name, "items": [{"stretch": "cat-cow"}]}}}
    (data_dir / UI_STATE_FILE).write_text(json.dumps(doc))
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BuilderScreen)
        assert screen.model.name == "]0;title" + name or screen.model.name.endswith(name)
        assert "\x1b" not in screen.model.name
        assert name in _title(screen)  # shown literally: [L] is not lost, nothing is parsed
        assert app.is_running


async def test_play_at_start_wins_over_the_restored_screen_and_keeps_it(make_test_app, data_dir):
    _save(data_dir, MORNING)
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await pilot.pause()
        await _quit(app, pilot)
    assert load_ui_state(data_dir).state.mode == "history"

    from stretchtui.ui.screens.player import PlayerScreen

    player = make_test_app(data_dir=data_dir, play=MORNING, exit_after_play=True)
    async with player.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert player.current_mode == "catalog"  # under the player: not the restored History
        assert any(isinstance(s, PlayerScreen) for s in player.screen_stack)
        await pilot.press("escape")  # cancelling the checklist closes the player, and the app
        await pilot.pause()
        assert player._exit
    assert load_ui_state(data_dir).state.mode == "history"  # a play run leaves where the user was


async def test_renaming_the_open_routine_in_the_library_keeps_it_open(make_test_app, data_dir):
    _save(data_dir, MORNING)
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.open_in_builder(MORNING)
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        app.routine_renamed("Morning back", "Evening back")  # what the library's rename reports
        app.store.rename_routine("Morning back", "Evening back")
        screen = app.builder_screen()
        assert isinstance(screen, BuilderScreen)
        assert screen.model.saved_name == "Evening back" and not screen.is_dirty
        await _quit(app, pilot)

    again = make_test_app(data_dir=data_dir)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, BuilderScreen)
        assert screen.model.name == "Evening back" and _ids(screen) == ["cat-cow", "childs-pose"]


async def test_without_restore_nothing_is_read_or_written(make_test_app, data_dir, real_catalog, fake_clock):
    from stretchtui.ui.app import make_app

    (data_dir / UI_STATE_FILE).write_text(json.dumps({"stretchtui": "ui-state", "version": 1, "mode": "history"}))
    with open_store(data_dir) as store:
        app = make_app(store, real_catalog, fake_clock, show_notice=False, restore=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("4")
            await pilot.pause()
            assert app.current_mode == "profile"
    assert load_ui_state(data_dir).state.mode == "history"


async def test_a_draft_is_on_disk_a_moment_after_an_edit_without_quitting(make_test_app, data_dir, monkeypatch):
    """A killed app (a closed terminal, a crash) loses at most the last few seconds of building."""
    import asyncio

    from stretchtui.ui import app as app_module

    monkeypatch.setattr(app_module, "UI_STATE_DELAY", 0.05)
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BuilderScreen)
        screen.add_stretch("cat-cow")
        screen.add_stretch("pelvic-tilt")
        for _ in range(50):  # the write comes after the delay, once for both changes
            await asyncio.sleep(0.02)
            await pilot.pause()
            state = load_ui_state(data_dir).state
            if state is not None and state.builder is not None:
                break
        assert state is not None and state.mode == "builder" and state.builder is not None
        assert state.builder.dirty and state.builder.routine is not None
        assert [i.stretch for i in state.builder.routine.items] == ["cat-cow", "pelvic-tilt"]


async def test_a_library_that_cannot_be_read_leaves_the_builder_empty_and_the_state_kept(make_test_app, data_dir):
    await _leave_on_the_builder_with(make_test_app, data_dir, MORNING)

    again = make_test_app(data_dir=data_dir)

    def broken(name: str):
        raise OSError("library.json: Input/output error")

    again.store.get_routine = broken
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, BuilderScreen)
        assert _ids(screen) == [] and UNTITLED in _title(screen) and "opening" not in _title(screen)
        assert [n for n in again._notifications if n.severity == "error"] == []
        await pilot.press("3")
        await pilot.pause()
    state = load_ui_state(data_dir).state
    assert state is not None and state.mode == "library" and state.builder is not None
    assert state.builder.saved == "Morning back"  # tried again at the next start


async def test_the_first_run_notice_comes_first_then_the_screen_left_on(make_test_app, data_dir):
    # The notice shows on its own (nothing built under it); once read, the app goes on to where
    # the user left off, with the Builder's routine, and quitting from the notice keeps that.
    await _leave_on_the_builder_with(make_test_app, data_dir, MORNING)

    app = make_test_app(data_dir=data_dir, show_notice=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "NoticeScreen" and app.builder_screen() is None
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "builder"
        assert _ids(app.screen) == ["cat-cow", "childs-pose"]

    again = make_test_app(data_dir=data_dir, show_notice=True)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _quit(again, pilot)  # quit on the notice itself
    last = make_test_app(data_dir=data_dir)
    async with last.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert last.current_mode == "builder"
