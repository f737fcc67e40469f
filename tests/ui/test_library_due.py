"""The Library says which scheduled routine is due (see `stretchtui schedule`)."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Label

from stretchtui.core.storage.schedule import make_schedule, save_schedule
from stretchtui.ui.screens.library import LibraryScreen


async def _library(pilot) -> LibraryScreen:
    await pilot.press("3")
    await pilot.pause()
    assert isinstance(pilot.app.screen, LibraryScreen)
    return pilot.app.screen


def _title(screen) -> str:
    return str(screen.query_one("#library-title", Label).render())


async def test_library_shows_and_selects_the_due_routine(make_test_app, data_dir, fake_clock):
    # FakeClock starts on Monday 08:00; the reminder was at 07:00 and nothing was done since.
    save_schedule(data_dir, make_schedule("mon-fri", ["07:00"], "Sciatica relief"))
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _library(pilot)
        assert _title(screen).startswith("Due now: Sciatica relief (the 07:00 reminder)")
        assert screen.highlighted_routine().name == "Sciatica relief"


async def test_library_title_is_plain_when_nothing_is_due(make_test_app, data_dir, fake_clock):
    save_schedule(data_dir, make_schedule("mon-fri", ["09:00"], "Sciatica relief"))  # later today
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _library(pilot)
        assert not _title(screen).startswith("Due now")
        fake_clock.advance(timedelta(hours=1, minutes=1).total_seconds())
        screen.refresh_routines()
        await pilot.pause()
        assert _title(screen).startswith("Due now: Sciatica relief (the 09:00 reminder)")


async def test_a_broken_schedule_file_does_not_break_the_library(make_test_app, data_dir):
    (data_dir / "schedule.json").write_text("{oops")
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _library(pilot)
        assert "Saved, then starters" in _title(screen)
