"""The checklist, the stop advice, the pain answers and the History mark, at 80x24."""

from __future__ import annotations

from textual.widgets import Input, Static

from stretchtui.core.domain import red_flags as rf
from stretchtui.core.domain.models import Profile, Routine, RoutineItem
from stretchtui.ui.screens.checklist import AdviceScreen, ChecklistScreen
from stretchtui.ui.screens.player import PlayerScreen
from stretchtui.ui.screens.player_adapt import FlareOfferDialog
from stretchtui.ui.screens.session_summary import SessionSummaryScreen

NECK = Routine("Neck break", (RoutineItem("chin-tuck", reps=1), RoutineItem("neck-rotation", reps=1)))


def _app(make_test_app, routine=NECK, *, checklist=True, conditions=()):
    app = make_test_app(play=routine)
    app.player_options = {"checklist": checklist, "cue_sink": lambda s: None, "tick_interval": 3600}
    app.profile = Profile(conditions=tuple(conditions))
    return app


def _player(app) -> PlayerScreen:
    return next(s for s in app.screen_stack if isinstance(s, PlayerScreen))


def _statics(screen, selector: str) -> list[str]:
    return [str(w.render()) for w in screen.query(selector).results(Static)]


async def test_checklist_lists_both_groups_and_pregnancy_only_for_a_pregnant_user(make_test_app):
    for conditions, pregnant in (((), False), (("pregnancy",), True)):
        app = _app(make_test_app, conditions=conditions)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ChecklistScreen)
            flags = _statics(app.screen, ".red-flag-text")
            groups = " ".join(_statics(app.screen, ".red-flag-group"))
            assert flags[: len(rf.EMERGENCY.texts) + len(rf.SAME_DAY.texts)] == [*rf.EMERGENCY.texts, *rf.SAME_DAY.texts]
            assert rf.EMERGENCY.urgency in groups and rf.SAME_DAY.urgency in groups and "3/10" in groups
            assert (rf.PREGNANCY.urgency in groups) == pregnant
            assert all(t in flags for t in rf.PREGNANCY.texts) == pregnant


async def test_high_pain_before_offers_not_now_and_nothing_is_recorded(make_test_app):
    app = _app(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("8", "enter")
        await pilot.pause()
        # one dialog answers high pain: the flare-version offer (with "Not now")
        assert isinstance(app.screen, FlareOfferDialog)
        text = " ".join(_statics(app.screen, ".dialog-message"))
        assert "8/10" in text and "gentler routine" in text and "clinician" in text
        await pilot.press("escape")  # "Not now"
        await pilot.pause()
    assert app.store.list_sessions() == []


async def test_stop_after_a_neck_routine_names_neck_and_arm_signs(make_test_app):
    app = _app(make_test_app, checklist=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, AdviceScreen)
        text = " ".join(_statics(app.screen, ".advice-paragraph"))
        assert "After a neck routine, watch above all for: clumsy hands" in text
        assert "weakness in an arm or hand that is new or getting worse" in text
        # tingling down one arm: leave it out, see a clinician soon, not an emergency (clinical.md)
        assert "Tingling or numbness spreading down one arm" in text and "not an emergency" in text
        assert all(t.casefold() in text.casefold() for t in rf.SAME_DAY.texts)


async def test_pain_rising_by_two_is_answered_and_marked_in_history(make_test_app, fake_clock):
    app = _app(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("4", "enter")
        await pilot.pause()
        player = _player(app)
        fake_clock.advance(10_000)
        player.tick()
        await pilot.pause()
        await pilot.press("escape")  # how the last stretch felt: not answered
        await pilot.pause()
        assert isinstance(app.screen, SessionSummaryScreen)
        answer = app.screen.query_one("#summary-pain-answer", Static)
        assert not answer.display
        save = app.screen.query_one("#summary-save").region
        await pilot.press("6")
        await pilot.pause()
        assert answer.display and "Pain 6/10 after, up from 4" in str(answer.render())
        assert "24 hours" in str(answer.render()) and "clinician" in str(answer.render())
        # the answer takes rows kept for it: the dialog does not grow, the buttons stay under the pointer
        assert app.screen.query_one("#summary-save").region == save
        app.screen.query_one("#summary-pain-after", Input).value = "4"
        await pilot.pause()
        assert not answer.display  # no higher than before, below 5: nothing to say
        app.screen.query_one("#summary-pain-after", Input).value = "7"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    [doc] = app.store.list_sessions()
    assert (doc["pain_before"], doc["pain_after"], doc["pain_flag"]) == (4, 7, "high")  # 7 or more after


def test_history_detail_explains_the_mark():
    from stretchtui.ui.screens.session_detail import describe

    doc = {"routine": "r", "status": "completed", "pain_before": 2, "pain_after": 6, "pain_flag": "rose",
           "started": "2026-01-01T10:00:00", "items": []}
    text = describe(doc)
    assert "2 → 6 ▲" in text and "24 hours" in text


async def test_page_keys_scroll_the_checklist_while_the_pain_field_keeps_focus(make_test_app):
    from textual.containers import VerticalScroll

    app = _app(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        flags = app.screen.query_one("#checklist-flags", VerticalScroll)
        assert flags.max_scroll_y > 0 and flags.scroll_y == 0  # longer than the dialog
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert flags.scroll_y > 0
        assert app.screen.focused is app.screen.query_one("#checklist-pain", Input)


async def test_the_first_run_notice_wraps_each_red_flag_under_its_words(make_test_app, screen_text):
    app = make_test_app(show_notice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        lines = (await screen_text(pilot)).splitlines()
        at = next(i for i, line in enumerate(lines) if "Numbness or changed feeling" in line)
        dash = lines[at].index("- Numbness")
        assert lines[at + 1][dash:].startswith("  for example")  # under "Numbness", not under the dash
