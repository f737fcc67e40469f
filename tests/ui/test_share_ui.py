"""Sharing in the app: the Library's s puts a routine's share code on the
clipboard (and in the messages, ctrl+l), and the import dialog takes a pasted
code as well as a file or a printed handout."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from textual.widgets import Input

from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.core.reports.handout import build_handout
from stretchtui.core.storage.share_code import decode, encode
from stretchtui.ui.screens.library import LibraryScreen
from stretchtui.ui.screens.path_dialog import PathDialog


async def _library(pilot) -> LibraryScreen:
    await pilot.press("3")
    await pilot.pause()
    assert isinstance(pilot.app.screen, LibraryScreen)
    return pilot.app.screen


async def test_s_copies_the_share_code_and_keeps_it_in_the_messages(make_test_app, monkeypatch):
    app = make_test_app()
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _library(pilot)
        assert screen.select_routine("Morning stiffness")
        await pilot.press("s")
        await pilot.pause()
        (code,) = copied
        assert decode(code, app.catalog).items == screen.highlighted_routine().items
        assert any(code in entry[3] for entry in app.message_log), "ctrl+l shows the code to copy by hand"


async def test_the_import_dialog_takes_a_pasted_share_code(make_test_app, tmp_path):
    app = make_test_app()
    app.settings = replace(app.settings, export_folder=tmp_path)
    routine = Routine("From my physio", (RoutineItem("chin-tuck"), RoutineItem("cat-cow")))
    async with app.run_test(size=(80, 24)) as pilot:
        await _library(pilot)
        await pilot.press("i")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PathDialog)
        dialog.query_one(Input).value = "  " + encode(routine) + "\n"
        await pilot.pause()
        assert "share code" in str(dialog.query_one(".path-target").render())
        await pilot.press("enter")
        for _ in range(20):
            await pilot.pause()
            if app.store.get_routine("From my physio") is not None:
                break
        assert app.store.get_routine("From my physio").items == routine.items


async def test_a_damaged_code_is_refused_and_nothing_is_added(make_test_app, tmp_path):
    app = make_test_app()
    app.settings = replace(app.settings, export_folder=tmp_path)
    code = encode(Routine("Broken", (RoutineItem("chin-tuck"),)))
    damaged = code[:20] + ("A" if code[20] != "A" else "B") + code[21:]
    async with app.run_test(size=(80, 24)) as pilot:
        await _library(pilot)
        before = [r.name for r in app.store.list_routines()]
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one(Input).value = damaged
        await pilot.press("enter")
        for _ in range(10):
            await pilot.pause()
        assert [r.name for r in app.store.list_routines()] == before
        assert any("damaged" in entry[3] for entry in app.message_log)


async def test_the_import_dialog_reads_a_printed_handout(make_test_app, tmp_path):
    app = make_test_app()
    app.settings = replace(app.settings, export_folder=tmp_path)
    routine = Routine("On paper", (RoutineItem("heel-slides"),))
    (tmp_path / "on-paper.html").write_text(
        build_handout(routine, app.catalog, None, today=date(2026, 12, 6)), encoding="utf-8")
    async with app.run_test(size=(80, 24)) as pilot:
        await _library(pilot)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one(Input).value = "on-paper.html"
        await pilot.press("enter")
        for _ in range(20):
            await pilot.pause()
            if app.store.get_routine("On paper") is not None:
                break
        assert app.store.get_routine("On paper").items == routine.items
