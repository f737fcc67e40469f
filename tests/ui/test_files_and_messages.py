"""The save/open dialog (folder shown, Tab completion, pickable files, relative paths from the folder
shown, absolute path reported), export from the Builder, one short toast per problem with the detail
in the messages log (ctrl+l), and the "make the window larger" screen."""

from __future__ import annotations

import json
from dataclasses import replace

from textual.widgets import Input, OptionList

from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.core.storage.routine_file import read_routine_file, routine_to_json
from stretchtui.ui.screens.dialogs import ConfirmDialog
from stretchtui.ui.screens.library import LibraryScreen
from stretchtui.ui.screens.messages_log import MessagesScreen
from stretchtui.ui.screens.path_dialog import PathDialog
from stretchtui.ui.screens.player import PlayerScreen
from stretchtui.ui.screens.too_small import TooSmallScreen


def _app(make_test_app, folder):
    app = make_test_app()
    app.settings = replace(app.settings, export_folder=folder)
    return app


async def _library(pilot) -> LibraryScreen:
    await pilot.press("3")
    await pilot.pause()
    assert isinstance(pilot.app.screen, LibraryScreen)
    return pilot.app.screen


async def test_export_dialog_shows_the_folder_and_writes_there(make_test_app, tmp_path, screen_text):
    folder = tmp_path / "exports"
    folder.mkdir()
    app = _app(make_test_app, folder)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _library(pilot)
        screen.select_routine("Morning stiffness")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, PathDialog)
        dialog = app.screen
        assert str(dialog.query_one(".path-folder").render()) == f"Folder: {folder}"
        assert dialog.query_one(Input).value == "morning-stiffness.routine.json"
        assert str(dialog.query_one(".path-target").render()) == f"Saves to {folder / 'morning-stiffness.routine.json'}"
        assert "Saves to" in await screen_text(pilot)
        await pilot.press("enter")
        await pilot.pause()
        target = folder / "morning-stiffness.routine.json"
        assert read_routine_file(target, app.catalog).name == "Morning stiffness"
        assert any(n.message == f"Exported to {target}" for n in app._notifications)

        # A relative path typed is taken from the folder shown, not from where the app started.
        (folder / "sub").mkdir()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(Input).value = "sub/mine.routine.json"
        await pilot.press("enter")
        await pilot.pause()
        assert (folder / "sub" / "mine.routine.json").exists()


async def test_tab_completes_and_the_list_picks_files(make_test_app, tmp_path):
    folder = tmp_path / "files"
    (folder / "shared").mkdir(parents=True)
    routine = Routine("Shared", (RoutineItem("cat-cow"),))
    (folder / "shared" / "from-physio.routine.json").write_text(routine_to_json(routine), encoding="utf-8")
    (folder / "shared" / "notes.txt").write_text("not a routine", encoding="utf-8")
    app = _app(make_test_app, folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await _library(pilot)
        await pilot.press("i")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PathDialog)
        field = dialog.query_one(Input)
        await pilot.press("s", "h", "tab")  # the folder completes
        assert field.value == "shared/"
        await pilot.press("tab")  # the one routine file in it completes
        assert field.value == "shared/from-physio.routine.json"
        # The list under the field shows routine files only, and ↓ + Enter picks one.
        field.value = "shared/"
        await pilot.pause()
        listing = dialog.query_one(OptionList)
        assert [listing.get_option_at_index(i).id for i in range(listing.option_count)] == [
            "shared/from-physio.routine.json"]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, PathDialog)
        assert app.store.get_routine("Shared") is not None


async def test_export_asks_before_replacing_and_keeps_the_dialog(make_test_app, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "morning-stiffness.routine.json"
    target.write_text("mine", encoding="utf-8")
    app = _app(make_test_app, folder)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _library(pilot)
        screen.select_routine("Morning stiffness")
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PathDialog) and target.read_text(encoding="utf-8") == "mine"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert json.loads(target.read_text(encoding="utf-8"))["name"] == "Morning stiffness"


async def test_a_missing_folder_is_said_in_the_dialog(make_test_app, tmp_path, screen_text):
    app = _app(make_test_app, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _library(pilot)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(Input).value = "nowhere/x.routine.json"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PathDialog)
        status = str(app.screen.query_one(".path-status").render())
        assert status.startswith(f"The folder {tmp_path / 'nowhere'} does not exist: create it first")
        assert not (tmp_path / "nowhere").exists()


async def test_builder_exports_the_routine_being_built(make_test_app, tmp_path):
    app = _app(make_test_app, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        builder = app.screen
        builder.load_routine(Routine("Desk break", (RoutineItem("cat-cow"), RoutineItem("sphinx"))))
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, PathDialog)
        assert app.screen.query_one(Input).value == "desk-break.routine.json"
        await pilot.press("enter")
        await pilot.pause()
        assert read_routine_file(tmp_path / "desk-break.routine.json", app.catalog).name == "Desk break"


async def test_repeated_problems_are_one_short_toast_with_the_detail_in_the_log(make_test_app, tmp_path,
                                                                               screen_text):
    bad = tmp_path / "bad.routine.json"
    bad.write_text('{"format": "stretchtui-routine", "version": 1, "name": 3, "items": [1, 2, 3]}',
                   encoding="utf-8")
    app = _app(make_test_app, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _library(pilot)
        for _ in range(3):
            await pilot.press("i")
            await pilot.pause()
            app.screen.query_one(Input).value = "bad.routine.json"
            await pilot.press("enter")
            await pilot.pause()
        toasts = [n for n in app._notifications if n.severity == "error"]
        assert len(toasts) == 1  # replaced, not stacked
        assert "\n" not in toasts[0].message and len(toasts[0].message) <= 36
        assert "ctrl+l" in toasts[0].title
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, MessagesScreen)
        text = str(app.screen.query_one("#messages-text").render())
        assert str(bad) in text and "Open a file exported by stretchtui" in text  # the whole message
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_a_too_small_window_says_so_and_recovers(make_test_app, screen_text):
    app = make_test_app()
    async with app.run_test(size=(50, 15)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        w, h = app.MIN_SIZE
        assert f"Make the window at least {w}×{h} (now 50×15)" in await screen_text(pilot)
        await pilot.press("3")  # screen keys do nothing meanwhile
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(w, h - 1)
        await pilot.pause()
        assert f"(now {w}×{h - 1})" in await screen_text(pilot)
        await pilot.resize_terminal(w, h)
        await pilot.pause()
        assert not isinstance(app.screen, TooSmallScreen)
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_a_session_pauses_while_the_window_is_too_small(make_test_app):
    routine = Routine("Short", (RoutineItem("cat-cow", reps=2),))
    app = make_test_app(play=routine)
    app.player_options = {"checklist": False, "cue_sink": lambda s: None, "tick_interval": 3600}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = app.screen
        assert isinstance(player, PlayerScreen) and player.session_active
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert player.engine.paused
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert player.is_active and not player.engine.paused


async def test_builder_warnings_last_line_can_be_scrolled_into_view_at_80x24(make_test_app, screen_text):
    from tools.screenshots import ARCHING, PROFILE

    app = make_test_app()
    app.store.set_profile(PROFILE)
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.open_in_builder(ARCHING)
        await pilot.pause()
        panel = app.screen.query_one("#builder-warnings")
        panel.focus()
        await pilot.press("end")
        await pilot.pause()
        assert panel.highlighted == panel.option_count - 1
        text = await screen_text(pilot)
        # The last two lines of the last warning are on screen, up to its very last word.
        rows = [line.split("││", 1)[-1].strip(" │▁▇█") for line in text.splitlines()]
        assert "press o." in rows[rows.index(next(r for r in rows if "Add Ankle Pumps first:" in r)) + 1]


async def test_the_longest_get_ready_text_is_never_cut_at_the_minimum_size(make_test_app, screen_text):
    from stretchtui.core.domain.session_rules import RULES_SHORT

    routine = Routine("Glide", (RoutineItem("median-nerve-glide"),))
    app = make_test_app(play=routine)
    app.player_options = {"checklist": False, "cue_sink": lambda s: None, "tick_interval": 3600}
    async with app.run_test(size=app.MIN_SIZE) as pilot:
        await pilot.pause()
        stretch = app.catalog.stretches["median-nerve-glide"]
        shown = " ".join((await screen_text(pilot)).split())
        expected = (RULES_SHORT + " " + " ".join(stretch.steps)).split()
        assert " ".join(expected[-6:]) in shown  # the end of the text, not cut mid-sentence


async def test_a_starter_exported_and_imported_again_is_a_copy(make_test_app, tmp_path):
    app = _app(make_test_app, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _library(pilot)
        screen.select_routine("Morning stiffness")
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one(Input).value = "morning-stiffness.routine.json"
        await pilot.press("enter")
        await pilot.pause()
        assert [r.name for r in app.store.list_routines()] == ["Morning stiffness (copy)"]
        names = [n.casefold() for n in screen.routine_names()]
        assert len(names) == len(set(names))


async def test_replace_dialog_shows_its_keys_on_its_buttons_not_yes_no(make_test_app, tmp_path, screen_text):
    (tmp_path / "morning-stiffness.routine.json").write_text("{}", encoding="utf-8")
    app = _app(make_test_app, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _library(pilot)
        screen.select_routine("Morning stiffness")
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        text = await screen_text(pilot)
        assert "Replace (y)" in text and "Keep it (n)" in text
        assert "y Yes" not in text.splitlines()[-1]
