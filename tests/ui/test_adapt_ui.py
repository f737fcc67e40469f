"""In the app: the day-after check-in at start, and the "ready to progress" line in the Library and Builder."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from textual.worker import WorkerCancelled

from stretchtui.core.clock import FakeClock
from stretchtui.core.domain import psfs
from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.core.domain.session import CheckIn, Session
from stretchtui.core.storage.store import open_store
from stretchtui.ui.screens.builder import BuilderScreen
from stretchtui.ui.screens.checkin import CheckinDialog
from stretchtui.ui.screens.library import LibraryScreen
from stretchtui.ui.screens.player import PlayerScreen
from stretchtui.ui.screens.psfs import PsfsRateDialog
from stretchtui.ui.widgets.progress_hint import ProgressHint
from tests.adapt_data import T0, session_doc

ROUTINE = Routine(name="Morning back", items=(RoutineItem("pelvic-tilt"), RoutineItem("knee-to-chest", hold=20)))
ITEMS = (("pelvic-tilt", 5, 10), ("knee-to-chest", 20, 3))
PROGRESS = "ready to progress: Pelvic Tilt 10 reps → 11 reps; Knee to Chest 20 s → 25 s · P apply"
LATER = T0 + timedelta(days=10)  # no session is 12-72 h old: no check-in question


def seed(data_dir, docs, routine: Routine | None = ROUTINE) -> None:
    store = open_store(data_dir)
    try:
        if routine is not None:
            store.add_routine(routine)
        for doc in docs:
            store.append_session(doc)
    finally:
        store.close()


def stored(data_dir) -> tuple[list[Session], Routine | None]:
    store = open_store(data_dir)
    try:
        return store.list_sessions(), store.get_routine("Morning back")
    finally:
        store.close()


async def settle(pilot) -> None:
    """Let the store workers (a thread each) finish; an exclusive one may have been replaced."""
    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
        await pilot.pause()


# ------------------------------------------------------------------ the day-after check-in


async def answer_checkin(pilot, key: str) -> None:
    """The check-in dialog is up at start: answer it with ``key`` (b, s, w, escape) and let the save land."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, CheckinDialog)
    await pilot.press(key)
    await settle(pilot)


async def test_the_app_asks_once_and_records_the_answer(make_test_app, data_dir, screen_text):
    seed(data_dir, [session_doc(0, items=ITEMS)])  # ended 08:10
    app = make_test_app(clock=FakeClock(T0 + timedelta(hours=20)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CheckinDialog)
        text = await screen_text(pilot)
        assert "How is your back today, compared with before that session?" in text
        assert "Morning back, 2026-03-02 08:00 (19 h" in text and "Not now" in text
        await pilot.press("w")
        await settle(pilot)
        assert not isinstance(app.screen, CheckinDialog)
    docs, _ = stored(data_dir)
    assert docs[0].checkin == CheckIn("worse", "2026-03-03T04:00:00+00:00")
    again = make_test_app(clock=FakeClock(T0 + timedelta(hours=21)))
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not isinstance(again.screen, CheckinDialog)


async def test_check_in_first_then_the_weekly_psfs_is_a_note_not_a_second_dialog(make_test_app, data_dir):
    """Both due at start: one dialog (the check-in), then a note about the PSFS, never two dialogs in a row."""
    seed(data_dir, [session_doc(0, items=ITEMS)])
    acts = psfs.add_activity((), "Tie my shoelaces", 4, (T0 - timedelta(days=10)).date())
    with open_store(data_dir) as store:
        store.set_profile(replace(store.get_profile(), seen_notice=True, psfs=acts))
    app = make_test_app(clock=FakeClock(T0 + timedelta(hours=20)))
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_checkin(pilot, "s")
        assert not isinstance(app.screen, (CheckinDialog, PsfsRateDialog))
        assert any("weekly activity ratings are due" in n.message for n in app._notifications)
    later = make_test_app(clock=FakeClock(T0 + timedelta(hours=22)))  # nothing to check in: the PSFS dialog
    async with later.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(later.screen, PsfsRateDialog)


async def test_starting_straight_into_play_asks_the_check_in_first(make_test_app, data_dir):
    """`stretchtui play NAME` with yesterday's session unanswered: the question, then the session."""
    seed(data_dir, [session_doc(0, items=ITEMS)])
    app = make_test_app(clock=FakeClock(T0 + timedelta(hours=20)), play=ROUTINE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not any(isinstance(s, PlayerScreen) for s in app.screen_stack)
        await answer_checkin(pilot, "b")
        assert any(isinstance(s, PlayerScreen) for s in app.screen_stack)
    docs, _ = stored(data_dir)
    assert docs[0].checkin.answer == "better"


async def test_dismissing_is_remembered_for_that_session(make_test_app, data_dir):
    seed(data_dir, [session_doc(0, items=ITEMS)])
    app = make_test_app(clock=FakeClock(T0 + timedelta(hours=14)))
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_checkin(pilot, "escape")
    docs, _ = stored(data_dir)
    assert docs[0].checkin is None and docs[0].extra["checkin_dismissed"] == "2026-03-02T22:00:00+00:00"
    again = make_test_app(clock=FakeClock(T0 + timedelta(hours=30)))
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not isinstance(again.screen, CheckinDialog)


async def test_no_question_outside_12_to_72_hours(make_test_app, data_dir):
    seed(data_dir, [session_doc(0, items=ITEMS)])
    for hours in (11, 73):
        app = make_test_app(clock=FakeClock(T0 + timedelta(hours=hours)))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert not isinstance(app.screen, CheckinDialog)


# ------------------------------------------------------------------ ready to progress


async def _library(pilot) -> LibraryScreen:
    await pilot.press("3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    return screen


async def test_library_shows_ready_to_progress_and_p_saves_it(make_test_app, data_dir, screen_text):
    seed(data_dir, [session_doc(day, items=ITEMS) for day in range(3)])
    app = make_test_app(clock=FakeClock(LATER))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _library(pilot)
        assert screen.select_routine("Morning back")
        await pilot.pause()
        hint = screen.query_one(ProgressHint)
        assert hint.display
        assert PROGRESS in " ".join((await screen_text(pilot)).split())
        await pilot.press("P")
        await settle(pilot)
        assert not hint.display  # 0 of 3 sessions at the new dose: quiet again
    _, routine = stored(data_dir)
    assert routine is not None and routine.items == (
        RoutineItem("pelvic-tilt", hold=5, reps=11), RoutineItem("knee-to-chest", hold=25, reps=3)
    )


async def test_library_is_quiet_when_nothing_would_change(make_test_app, data_dir, screen_text):
    seed(data_dir, [session_doc(day, items=ITEMS) for day in range(2)])  # only 2 sessions
    app = make_test_app(clock=FakeClock(LATER))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _library(pilot)
        screen.select_routine("Morning back")
        await pilot.pause()
        assert not screen.query_one(ProgressHint).display
        assert "ready to progress" not in await screen_text(pilot)


async def test_a_worse_check_in_shows_a_back_off(make_test_app, data_dir, screen_text):
    docs = [session_doc(day, items=ITEMS) for day in range(3)]
    docs[-1]["checkin"] = {"answer": "worse", "at": "2026-03-05T08:00:00+00:00"}
    seed(data_dir, docs)
    app = make_test_app(clock=FakeClock(LATER))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _library(pilot)
        screen.select_routine("Morning back")
        await pilot.pause()
        assert "back off: Pelvic Tilt 10 reps → 9 reps; Knee to Chest 20 s → 15 s · P apply" in " ".join(
            (await screen_text(pilot)).split()
        )


async def test_builder_applies_the_doses_as_one_undoable_change(make_test_app, data_dir, screen_text):
    seed(data_dir, [session_doc(day, items=ITEMS) for day in range(3)])
    app = make_test_app(clock=FakeClock(LATER))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.open_in_builder(ROUTINE)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BuilderScreen)
        assert PROGRESS in " ".join((await screen_text(pilot)).split())
        await pilot.press("P")
        await pilot.pause()
        assert screen.model.items[1] == RoutineItem("knee-to-chest", hold=25, reps=3)
        assert screen.is_dirty and not screen.query_one(ProgressHint).display
        await pilot.press("u")
        await pilot.pause()
        assert screen.model.items[1] == RoutineItem("knee-to-chest", hold=20)
        assert screen.query_one(ProgressHint).display


# ------------------------------------------------------------------ History


def test_the_session_detail_shows_the_check_in():
    from stretchtui.ui.screens.session_detail import describe

    doc = session_doc(0, items=ITEMS, checkin={"answer": "same", "at": "2026-03-03T09:30:00+00:00"})
    said = "Day after: the same as before the session (answered 2026-03-03 09:30)"
    assert said in describe(Session.from_doc(doc)).splitlines()
    assert "Day after" not in describe(Session.from_doc(session_doc(0, items=ITEMS)))


async def test_the_hint_reads_the_history_again_only_when_a_session_was_recorded(make_test_app, data_dir):
    """Every visit to the Library asks for the hint; it reads the per-year aggregates, and a
    year file is parsed again only when it changed (its stamp); the whole history never."""
    seed(data_dir, [session_doc(day, items=ITEMS) for day in range(3)])
    app = make_test_app(clock=FakeClock(LATER))
    reads: list[int] = []
    whole: list[int] = []
    # every read of a year file goes through year_sessions_in_order (year_sessions too)
    original, original_list = app.store.year_sessions_in_order, app.store.list_sessions
    def year_sessions(year: int) -> Any:
        reads.append(year)
        return original(year)

    def list_sessions() -> Any:
        whole.append(1)
        return original_list()

    app.store.year_sessions_in_order = year_sessions
    app.store.list_sessions = list_sessions
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _library(pilot)
        assert screen.query_one("#library-progress", ProgressHint).sessions is not None
        await pilot.press("1")
        await settle(pilot)
        reads.clear()
        screen = await _library(pilot)
        assert reads == []  # nothing recorded meanwhile: no year file parsed again
        app.store.append_session(session_doc(3, items=ITEMS))
        await pilot.press("1")
        await settle(pilot)
        screen = await _library(pilot)
        assert len(reads) == 1  # the year that changed
        assert whole == []
        assert screen.select_routine("Morning back")


async def test_the_check_in_the_hint_and_history_share_one_read_of_the_sessions(make_test_app, data_dir):
    """The start-up check-in, the Library's hint and the History screen never read the whole
    history: the check-in reads the newest year files, the hint and History the per-year
    aggregates (issue 25); a filter in History would read it once, through the app's cache."""
    from stretchtui.ui.screens.history import HistoryScreen

    seed(data_dir, [session_doc(day, items=ITEMS) for day in range(3)])
    app = make_test_app(clock=FakeClock(LATER))
    reads = []
    original = app.store.list_sessions

    def counted():
        reads.append(1)
        return original()

    app.store.list_sessions = counted
    async with app.run_test(size=(80, 24)) as pilot:
        await _library(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen) and app.screen.stats.total == 3
        assert reads == []
        assert app.sessions.reads == 0
