"""The player's "how did that feel?" prompt, the spreading choice and the flare offer,
at 80x24 on a FakeClock (ticks are called by hand; nothing sleeps)."""

from __future__ import annotations

from textual.widgets import Input

from stretchtui.core.domain.models import Profile, Routine, RoutineItem
from stretchtui.core.storage.store import open_store
from stretchtui.ui.screens.checklist import AdviceScreen
from stretchtui.ui.screens.player import PlayerScreen
from stretchtui.ui.screens.player_adapt import (
    FlareOfferDialog,
    ResponseBar,
    ResponseDialog,
    SpreadingDialog,
)
from stretchtui.ui.screens.session_summary import SessionSummaryScreen

# knee-to-chest: 5 s get-ready, 20 s left, 5 s switch, 20 s right, then a 10 s rest (profile default)
ROUTINE = Routine("Two", (RoutineItem("knee-to-chest", hold=20, reps=1, sides="each"), RoutineItem("pelvic-tilt")))


def _app(make_test_app, routine=ROUTINE, *, checklist=False):
    app = make_test_app(play=routine)
    app.player_options = {"checklist": checklist, "cue_sink": lambda s: None, "tick_interval": 3600}
    return app


def _player(app) -> PlayerScreen:
    return next(s for s in app.screen_stack if isinstance(s, PlayerScreen))


def _bar_open(app) -> bool:
    return _player(app).query_one(ResponseBar).has_class("-open")


async def test_the_prompt_opens_in_the_rest_after_a_stretch_and_records_the_key(make_test_app, fake_clock, screen_text):
    app = _app(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = _player(app)
        fake_clock.advance(5 + 20)  # into the switch: the stretch is not finished yet
        player.tick()
        await pilot.pause()
        assert player.engine.step.kind == "switch" and not _bar_open(app)
        await pilot.press("2")  # no prompt open: the key does nothing
        fake_clock.advance(5 + 20)  # right side done: the rest between items
        player.tick()
        await pilot.pause()
        assert player.engine.step.kind == "rest" and _bar_open(app)
        text = await screen_text(pilot)
        assert "How did Knee to Chest feel?" in text
        assert "1 better" in text and "2 same" in text and "3 worse" in text and "4 spreading" in text
        words = " ".join(text.split())  # (the meaning wraps where the terminal's width says)
        assert "spreading: symptoms moving down an arm or leg" in words  # what it means, on screen
        assert "or new numbness, tingling" in words
        await pilot.press("3")
        await pilot.pause()
        doc = app.store.list_sessions()[-1]
        assert [i.response for i in doc.items] == ["worse", None]
        await pilot.click("#respond-better")  # a click answers too (and changes the answer)
        await pilot.pause()
        assert app.store.list_sessions()[-1].items[0].response == "better"
        assert player.engine.running  # the session never waited
        fake_clock.advance(10)  # the next get-ready: still open
        player.tick()
        await pilot.pause()
        assert player.engine.step.kind == "get-ready" and _bar_open(app)
        fake_clock.advance(5)  # the next stretch starts: closed
        player.tick()
        await pilot.pause()
        assert not _bar_open(app)
        fake_clock.advance(10_000)  # the last stretch ends the session: asked, Escape leaves it out
        player.tick()
        await pilot.pause()
        assert isinstance(app.screen, ResponseDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionSummaryScreen)
    [doc] = app.store.list_sessions()
    assert doc.status == "completed" and [i.response for i in doc.items] == ["better", None]


async def test_spreading_pauses_and_stop_is_a_symptom_stop_naming_the_stretch(make_test_app, fake_clock, screen_text):
    app = _app(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = _player(app)
        fake_clock.advance(5 + 20 + 5 + 20 + 3)
        player.tick()
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, SpreadingDialog) and player.engine.paused
        text = await screen_text(pilot)
        assert "Symptoms spreading after Knee to Chest" in text and "Go on without Knee to Chest" in text
        await pilot.press("escape")  # not spreading after all: nothing recorded, the session goes on
        await pilot.pause()
        assert player.engine.running and app.store.list_sessions()[-1].items[0].response is None
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("enter")  # "Stop the session" has the focus
        await pilot.pause()
        assert isinstance(app.screen, AdviceScreen)
        doc = app.store.list_sessions()[-1]
        assert (doc.status, doc.stop_reason) == ("symptoms", "symptoms")
        assert doc.note == "Symptoms spread after Knee to Chest."
        assert doc.items[0].response == "spreading"


async def test_spreading_then_go_on_skips_that_stretch_for_the_rest(make_test_app, fake_clock):
    routine = Routine("Again", (RoutineItem("pelvic-tilt", reps=1), RoutineItem("cat-cow", reps=1),
                                RoutineItem("pelvic-tilt", reps=1)))
    app = _app(make_test_app, routine)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = _player(app)
        while player.engine.step.kind != "rest":
            fake_clock.advance(player.engine.seconds_left)
            player.tick()
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen) and player.engine.running
        while not player.engine.finished:
            assert player.engine.step.stretch_id != "pelvic-tilt" or player.engine.step.item == 0
            fake_clock.advance(player.engine.seconds_left)
            player.tick()
        await pilot.pause()
    [doc] = app.store.list_sessions()
    assert doc.status == "completed"
    assert [i.response for i in doc.items] == ["spreading", None, None]
    assert doc.items[2].done == {"both": 0} and doc.items[2].skipped == {"both": 1}


def _flare_profile(data_dir, **kw):
    with open_store(data_dir) as store:
        store.set_profile(Profile(conditions=("disc-herniation",), **kw))


async def test_in_a_flare_the_flare_version_is_offered_and_played(make_test_app, fake_clock, data_dir, screen_text):
    _flare_profile(data_dir, flare=True)
    routine = Routine("Mine", (RoutineItem("pelvic-tilt", reps=12), RoutineItem("knee-to-chest", hold=40)))
    app = _app(make_test_app, routine)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#gate-play")  # knee to chest is an avoid in a disc flare: the gate asks first
        await pilot.pause()
        assert isinstance(app.screen, FlareOfferDialog)
        text = await screen_text(pilot)
        assert "in a flare" in text and "leaves out Knee to Chest" in text
        assert app.store.list_sessions() == []  # nothing recorded before the answer
        await pilot.press("f")
        await pilot.pause()
        player = _player(app)
        text = await screen_text(pilot)
        assert "Mine · flare version" in text and "Flare day: lowest dose" in text  # the get-ready reminder
        fake_clock.advance(10_000)
        player.tick()
        await pilot.pause()
    [doc] = app.store.list_sessions()
    assert doc.routine == "Mine" and doc.extra["flare_version"] is True
    assert [(i.stretch, i.hold, i.reps) for i in doc.items] == [("pelvic-tilt", 3, 8)]


async def test_high_pain_before_offers_it_and_the_full_routine_can_be_kept(make_test_app, fake_clock):
    app = _app(make_test_app, checklist=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("7", "enter")  # pain 7 in the checklist, then start
        await pilot.pause()
        assert isinstance(app.screen, FlareOfferDialog)  # one dialog for high pain: this offer
        assert "Pain 7/10 before you started" in str(app.screen.query_one(".dialog-message").render())
        await pilot.press("p")  # as planned
        await pilot.pause()
        player = _player(app)
        assert not player.flare and len(player.routine.items) == 2
        fake_clock.advance(10_000)
        player.tick()
        await pilot.pause()
    [doc] = app.store.list_sessions()
    assert "flare_version" not in doc.extra and doc.pain_before == 7
    assert doc.items[0].hold == 20


async def test_no_offer_below_seven_without_a_flare(make_test_app, fake_clock):
    app = _app(make_test_app, checklist=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("6", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen) and _player(app).engine.running


async def test_the_last_stretch_is_asked_about_before_the_summary(make_test_app, fake_clock, screen_text):
    app = _app(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = _player(app)
        fake_clock.advance(10_000)  # the whole routine: it ends with Pelvic Tilt, no rest after it
        player.tick()
        await pilot.pause()
        assert isinstance(app.screen, ResponseDialog)
        assert "How did Pelvic Tilt feel?" in await screen_text(pilot)
        await pilot.press("2")  # a digit means "how did it feel" here, as it does in the player
        await pilot.pause()
        assert isinstance(app.screen, SessionSummaryScreen)
        assert "feel?" not in await screen_text(pilot)
        await pilot.press("3")  # and in the summary a digit is a pain score, nothing else
        await pilot.pause()
        assert app.screen.query_one("#summary-pain-after", Input).value == "3"
        await pilot.press("escape")  # closing keeps what was typed
        await pilot.pause()
    [doc] = app.store.list_sessions()
    assert doc.status == "completed" and [i.response for i in doc.items] == [None, "same"]
    assert doc.pain_after == 3


async def test_spreading_about_the_last_stretch_shows_the_advice_and_records_a_symptom_stop(
        make_test_app, fake_clock):
    app = _app(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = _player(app)
        fake_clock.advance(10_000)
        player.tick()
        await pilot.pause()
        await pilot.click("#response-spreading")
        await pilot.pause()
        assert isinstance(app.screen, AdviceScreen)  # the advice first, then the summary shows the stop
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionSummaryScreen) and "symptoms" in str(app.screen.doc["status"])
        await pilot.press("4")
        await pilot.click("#summary-save")
        await pilot.pause()
        assert not any(isinstance(s, PlayerScreen) for s in app.screen_stack)
    [doc] = app.store.list_sessions()
    assert (doc.status, doc.stop_reason, doc.pain_after) == ("symptoms", "symptoms", 4)
    assert doc.note == "Symptoms spread after Pelvic Tilt."
    assert [i.response for i in doc.items] == [None, "spreading"]


async def test_a_summary_after_a_stop_does_not_ask(make_test_app, fake_clock, screen_text):
    app = _app(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, SessionSummaryScreen)
        assert "feel?" not in await screen_text(pilot)


def test_the_summary_lists_how_each_stretch_felt():
    from stretchtui.ui.screens.session_summary import item_line

    base = {"name": "Knee to Chest", "reps": 1, "done": {"left": 1, "right": 1}, "skipped": {}}
    assert item_line(dict(base, response="same")).plain.endswith("done (left 1 · right 1) · felt same")
    assert item_line(dict(base, response="spreading")).plain.endswith(" · symptoms spreading")
    assert "felt" not in item_line(dict(base, response=None)).plain


async def test_a_summary_of_a_session_skipped_to_its_end_does_not_say_complete(make_test_app):
    """Skipping every step reaches the end, recorded as "completed": the heading says what happened."""
    from textual.widgets import Label

    from stretchtui.core.domain.session import ALL_SKIPPED_TITLE
    from stretchtui.ui.screens.session_summary import SessionSummaryScreen

    app = make_test_app()
    doc = {"routine": "Morning stiffness", "status": "completed", "active_seconds": 4.0, "planned_seconds": 598,
           "steps_done": 0, "steps_total": 45, "steps_skipped": 45, "items": []}
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(SessionSummaryScreen(doc))
        await pilot.pause()
        title = str(app.screen.query_one("#summary-title", Label).render())
        assert title.startswith(ALL_SKIPPED_TITLE) and "complete" not in title
