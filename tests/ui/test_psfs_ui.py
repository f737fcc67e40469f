"""PSFS in the app: the weekly re-rate prompt, the Profile screen's list, the Progress chart."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Static

from stretchtui.core.domain import psfs
from stretchtui.core.domain.models import Profile
from stretchtui.core.storage.store import open_store
from stretchtui.ui.screens.psfs import PsfsAddDialog, PsfsRateDialog
from stretchtui.ui.widgets.history_charts import PsfsChart

TODAY = date(2026, 3, 2)  # the FakeClock's day


def _seed(data_dir, *activities: tuple[str, list[tuple[date, int]]]) -> None:
    acts: tuple[psfs.PsfsActivity, ...] = ()
    for text, ratings in activities:
        (first_day, first_score), *rest = ratings
        acts = psfs.add_activity(acts, text, first_score, first_day)
        for day, score in rest:
            acts = psfs.rate_activity(acts, text, score, day)
    with open_store(data_dir) as store:
        store.set_profile(Profile(seen_notice=True, psfs=acts))


def _stored(data_dir) -> tuple[psfs.PsfsActivity, ...]:
    with open_store(data_dir) as store:
        return store.get_profile().psfs


async def test_the_app_asks_to_rate_again_a_week_after_the_latest_rating(make_test_app, data_dir):
    _seed(data_dir, ("Tie my shoelaces", [(date(2026, 2, 1), 3), (date(2026, 2, 23), 4)]),
          ("Sit through a film", [(date(2026, 2, 20), 5)]))
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PsfsRateDialog) and dialog.weekly
        await pilot.press("6", "tab", "7", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, PsfsRateDialog)
        app.ask_psfs_rerate()  # at most once per start, even when called again
        await pilot.pause()
        assert not isinstance(app.screen, PsfsRateDialog)
    acts = _stored(data_dir)
    assert [(a.activity, a.latest.day, a.latest.score) for a in acts] == [
        ("Tie my shoelaces", TODAY, 6), ("Sit through a film", TODAY, 7)]
    assert [r.score for r in acts[0].ratings] == [3, 4, 6]  # the history is kept


async def test_the_prompt_is_dismissable_and_keeps_the_ratings(make_test_app, data_dir):
    _seed(data_dir, ("Garden", [(date(2026, 2, 20), 2)]))
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PsfsRateDialog)
        await pilot.press("enter")  # nothing typed: says so and stays
        await pilot.pause()
        assert "at least one activity" in str(app.screen.query_one("#psfs-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PsfsRateDialog)
        app.ask_psfs_rerate()
        await pilot.pause()
        assert not isinstance(app.screen, PsfsRateDialog)
    assert [r.score for r in _stored(data_dir)[0].ratings] == [2]


async def test_no_prompt_within_a_week_or_without_activities(make_test_app, data_dir, tmp_path):
    _seed(data_dir, ("Garden", [(date(2026, 2, 24), 2)]))  # 6 days before today
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, PsfsRateDialog)
    empty = tmp_path / "empty"
    with open_store(empty) as store:
        store.set_profile(Profile(seen_notice=True))
    app = make_test_app(data_dir=empty)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, PsfsRateDialog)


async def test_profile_screen_lists_adds_and_rates_activities(make_test_app, data_dir, screen_text):
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        listing = app.screen.query_one("#profile-psfs-list", Static)
        assert "None yet" in str(listing.render())
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PsfsAddDialog)
        await pilot.press(*"Tie my shoelaces", "enter", "4", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, PsfsAddDialog)
        assert str(listing.render()) == "Tie my shoelaces: 4/10 on 2026-03-02"

        # A duplicate (any case) is refused inside the dialog, which stays open.
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"TIE MY SHOELACES", "enter", "5", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PsfsAddDialog)
        assert "already listed" in str(app.screen.query_one("#psfs-error").render())
        await pilot.press("escape")
        await pilot.pause()

        app.clock.advance(8 * 86400)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, PsfsRateDialog) and not app.screen.weekly
        field = app.screen.query_one("#psfs-score-0", Input)
        await pilot.press("1", "1", "enter")  # 11 is out of range
        await pilot.pause()
        assert "whole number from 0" in str(app.screen.query_one("#psfs-error").render())
        field.value = ""
        await pilot.press("7", "enter")
        await pilot.pause()
        assert str(listing.render()) == "Tie my shoelaces: 7/10 on 2026-03-10, +3 since 2026-03-02"
    assert [(r.day, r.score) for r in _stored(data_dir)[0].ratings] == [(TODAY, 4), (date(2026, 3, 10), 7)]


async def test_progress_tab_charts_each_activity_and_hides_without_any(make_test_app, data_dir, screen_text):
    app = make_test_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        box = app.screen.query_one("#history-psfs-box")
        assert box.display is False
        acts = psfs.add_activity((), "Tie my shoelaces", 2, date(2026, 2, 1))
        acts = psfs.rate_activity(acts, "tie my shoelaces", 5, date(2026, 2, 15))
        acts = psfs.rate_activity(acts, "tie my shoelaces", 8, TODAY)
        acts = psfs.add_activity(acts, "Sit through a film", 6, TODAY)
        app.set_profile(Profile(seen_notice=True, psfs=acts), quiet=True)
        await pilot.pause()
        assert box.display is True
        chart = app.screen.query_one("#history-psfs", PsfsChart)
        assert len(chart.activities) == 2
        text = await screen_text(pilot)
        assert "Activities (PSFS 0–10), oldest → newest" in text
        assert "Tie my shoelaces    ▂▅▇ 2 → 8 (+6)" in text
        assert "Sit through a film  ▅ 6" in text


def test_the_chart_gives_long_activity_names_the_room_a_wide_chart_has():
    from stretchtui.ui.widgets.history_charts import psfs_lines

    acts = psfs.add_activity((), "Carry the shopping up two flights of stairs", 3, TODAY)
    narrow, wide = psfs_lines(acts, width=60)[0], psfs_lines(acts, width=140)[0]
    assert narrow.startswith("Carry the shopping…") and narrow.split("…")[1].lstrip().startswith("▃")
    assert wide.startswith("Carry the shopping up two flights of stairs ▃ 3")


async def test_at_80x24_a_new_activity_and_every_setting_can_be_seen(make_test_app):
    """Issue 26: at 80x24 a newly added activity showed only its box's top border, and "Still
    figures" and Save were off-screen."""
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        footer_row = app.size.height - 1
        for wid in ("#profile-still_figures", "#profile-save"):
            widget = app.screen.query_one(wid)
            assert widget.region.height > 0 and widget.region.bottom <= footer_row, (wid, widget.region)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Carry the shopping", "enter", "3", "enter")
        for _ in range(5):
            await pilot.pause()
        listing = app.screen.query_one("#profile-psfs-list", Static)
        assert "Carry the shopping" in str(listing.render())
        assert listing.region.height > 0 and listing.region.bottom <= footer_row, listing.region
