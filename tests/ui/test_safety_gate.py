"""The safety gate in the app: every play of a routine with avoid-level warnings
for the profile asks first (Play anyway / Edit / Cancel), from the Library, the
Builder and ``play NAME``; the Library's marks; import warnings; the flare
switch and its review after 14 days.

Facts used (from the clinical table, stable whatever the rule wording): with
osteoporosis, the starter "Morning stiffness" has avoid-level warnings (knee to
chest and child's pose round the lower back); with no conditions it has none.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from textual.widgets import Button, Checkbox, Input, Static

from stretchtui.core.domain.models import Profile, Routine, RoutineItem
from stretchtui.core.storage.routine_file import routine_to_json
from stretchtui.core.storage.store import open_store
from stretchtui.ui.screens.library import LibraryScreen
from stretchtui.ui.screens.player import PlayerScreen
from stretchtui.ui.screens.safety_gate import FlareReviewDialog, SafetyGateDialog

MORNING = "Morning stiffness"
OSTEO = Profile(conditions=("osteoporosis",), seen_notice=True)


def _player(app) -> PlayerScreen | None:
    return next((s for s in app.screen_stack if isinstance(s, PlayerScreen)), None)


async def _library(pilot) -> LibraryScreen:
    await pilot.press("3")
    await pilot.pause()
    assert isinstance(pilot.app.screen, LibraryScreen)
    return pilot.app.screen


async def _play_from_library(pilot, name: str) -> None:
    screen = await _library(pilot)
    assert screen.select_routine(name)
    await pilot.press("p")
    await pilot.pause()


async def _press_button(pilot, button_id: str) -> None:
    await pilot.click(f"#{button_id}")
    await pilot.pause()
    await pilot.pause()


def _app(make_test_app, data_dir, profile: Profile = OSTEO, **kw):
    with open_store(data_dir) as store:
        store.set_profile(profile)
    return make_test_app(**kw)


async def test_library_play_of_a_risky_starter_asks_first_and_play_anyway_starts_it(make_test_app, data_dir, screen_text):
    app = _app(make_test_app, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _play_from_library(pilot, MORNING)
        dialog = app.screen
        assert isinstance(dialog, SafetyGateDialog)
        assert _player(app) is None  # nothing plays before the answer
        assert dialog.warnings and all(w.level == "avoid" for w in dialog.warnings)
        stretches = {s for w in dialog.warnings for s in w.stretch_ids}
        assert {"knee-to-chest", "childs-pose"} <= stretches
        text = await screen_text(pilot)
        assert "Before you play Morning stiffness" in text
        assert "Knee to Chest" in text and "Play anyway" in text and "Cancel" in text
        await _press_button(pilot, "gate-play")
        player = _player(app)
        assert player is not None and player.routine.name == MORNING


async def test_cancel_does_not_play_and_escape_is_cancel(make_test_app, data_dir):
    app = _app(make_test_app, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _play_from_library(pilot, MORNING)
        assert isinstance(app.screen, SafetyGateDialog)
        assert app.screen.focused is app.screen.query_one("#gate-cancel", Button)  # the safe default
        await _press_button(pilot, "gate-cancel")
        assert _player(app) is None and isinstance(app.screen, LibraryScreen)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert _player(app) is None and isinstance(app.screen, LibraryScreen)
        assert app.store.list_sessions() == []


async def test_edit_from_the_library_opens_the_routine_in_the_builder(make_test_app, data_dir):
    app = _app(make_test_app, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _play_from_library(pilot, MORNING)
        await _press_button(pilot, "gate-edit")
        assert _player(app) is None
        assert app.current_mode == "builder"
        assert app.screen.current_routine().items == next(s for s in app.catalog.starters if s.name == MORNING).items
        assert any(w.level == "avoid" for w in app.screen.warnings)


async def test_builder_play_goes_through_the_same_gate(make_test_app, data_dir):
    app = _app(make_test_app, data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        starter = next(s for s in app.catalog.starters if s.name == MORNING)
        await app.open_in_builder(starter)
        await pilot.pause()
        builder = app.screen
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, SafetyGateDialog)
        # Edit: stay in the builder, on its warnings.
        await _press_button(pilot, "gate-edit")
        assert builder.is_active and _player(app) is None
        assert builder.warnings_panel.has_focus
        # Cancel: nothing plays.
        await pilot.press("p")
        await pilot.pause()
        await _press_button(pilot, "gate-cancel")
        assert app.screen is builder and _player(app) is None
        # Play anyway: the player starts.
        await pilot.press("p")
        await pilot.pause()
        await _press_button(pilot, "gate-play")
        assert _player(app) is not None


async def test_no_dialog_without_avoid_warnings(make_test_app, data_dir):
    app = _app(make_test_app, data_dir, Profile(seen_notice=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await _play_from_library(pilot, MORNING)
        assert not any(isinstance(s, SafetyGateDialog) for s in app.screen_stack)
        assert _player(app) is not None


async def test_the_flare_is_part_of_the_check(make_test_app, data_dir, real_catalog):
    # Whatever the rules decide about flares, the app's gate asks exactly when
    # the profile's check (conditions and flare) has avoid warnings.
    from stretchtui.core.domain.rules import gate_warnings

    profile = Profile(conditions=("osteoporosis", "disc-herniation", "sciatica"), flare=True,
                      flare_since="2026-03-01", seen_notice=True)
    starter = next(s for s in real_catalog.starters if s.name == MORNING)
    expected = gate_warnings(starter, real_catalog, profile)
    assert expected  # osteoporosis alone makes some
    app = _app(make_test_app, data_dir, profile)
    async with app.run_test(size=(80, 24)) as pilot:
        await _play_from_library(pilot, MORNING)
        dialog = next((s for s in app.screen_stack if isinstance(s, SafetyGateDialog)), None)
        assert (dialog.warnings if dialog else []) == expected


async def test_play_at_start_asks_and_cancel_exits_without_playing(make_test_app, data_dir, real_catalog):
    starter = next(s for s in real_catalog.starters if s.name == MORNING)
    app = _app(make_test_app, data_dir, play=starter, exit_after_play=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SafetyGateDialog)
        await _press_button(pilot, "gate-cancel")
    assert app.return_code == 2
    assert app.store.list_sessions() == []


async def test_play_at_start_acknowledged_skips_the_dialog(make_test_app, data_dir, real_catalog):
    from stretchtui.ui.app import make_app

    starter = next(s for s in real_catalog.starters if s.name == MORNING)
    probe = _app(make_test_app, data_dir)  # writes the profile into the test store
    app = make_app(probe.store, real_catalog, probe.clock, show_notice=False, play=starter,
                   exit_after_play=True, play_acknowledged=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not any(isinstance(s, SafetyGateDialog) for s in app.screen_stack)
        assert _player(app) is not None


async def test_library_marks_follow_the_profile(make_test_app, data_dir, screen_text):
    app = _app(make_test_app, data_dir, Profile(seen_notice=True))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _library(pilot)
        text = await screen_text(pilot)
        morning_row = next(line for line in text.splitlines() if MORNING in line)
        assert "✖" not in morning_row
        app.set_profile(replace(app.profile, conditions=("osteoporosis",)), quiet=True)
        await pilot.pause()
        text = await screen_text(pilot)
        morning_row = next(line for line in text.splitlines() if MORNING in line)
        assert "✖" in morning_row
        # Saved routines are marked too, and the detail pane counts them.
        saved = Routine(name="My mornings", items=(RoutineItem("knee-to-chest"),))
        app.store.save_routine(saved)
        screen.refresh_routines(select="saved:my mornings")
        text = await screen_text(pilot)
        assert "✖" in next(line for line in text.splitlines() if "My mornings" in line)
        detail = str(screen.query_one("#library-detail", Static).render())
        assert "✖ 1 to avoid" in detail


async def test_import_in_the_app_shows_the_warnings(make_test_app, data_dir, tmp_path):
    app = _app(make_test_app, data_dir)
    path = tmp_path / "shared.routine.json"
    path.write_text(
        routine_to_json(Routine(name="Shared", items=(RoutineItem("childs-pose"), RoutineItem("bird-dog")))),
        encoding="utf-8",
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await _library(pilot)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one(Input).value = str(path)
        await pilot.press("enter")
        await pilot.pause()
        assert app.store.get_routine("Shared") is not None
        shown = [n for n in app._notifications if n.title.startswith("Shared")]
        assert shown and shown[-1].severity == "error"
        assert shown[-1].message == "1 warning for you: o shows why"  # one short line
        assert shown[-1].title.startswith("Shared imported")
        # One toast for the import and its warnings, not two stacked over the details.
        assert len(app._notifications) == len(shown), [n.message for n in app._notifications]
        _time, severity, _title, detail = app.message_log[-1]  # in full with ctrl+l
        assert severity == "error" and "Child's Pose" in detail and "✖" in detail


async def test_flare_switch_records_today_and_clears_when_off(make_test_app, data_dir, fake_clock):
    app = _app(make_test_app, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        box = app.screen.query_one("#profile-flare", Checkbox)
        assert box.value is False
        box.focus()
        await pilot.press("space")
        await pilot.pause()
        saved = app.store.get_profile()
        assert saved.flare is True and saved.flare_since == fake_clock.now().date().isoformat()
        assert saved.conditions == ("osteoporosis",)  # the rest of the profile is kept
        assert fake_clock.now().date().isoformat() in str(box.label)
        await pilot.press("space")
        await pilot.pause()
        saved = app.store.get_profile()
        assert saved.flare is False and saved.flare_since is None


async def test_a_flare_of_14_days_is_reviewed_once_at_start(make_test_app, fake_clock, data_dir):
    today = fake_clock.now().date()
    old = (today - timedelta(days=15)).isoformat()
    app = _app(make_test_app, data_dir, replace(OSTEO, flare=True, flare_since=old))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FlareReviewDialog)
        await _press_button(pilot, "flare-still")
        assert app.store.get_profile().flare_since == today.isoformat()  # asks again in 14 days
    # Answered: the next start does not ask.
    again = make_test_app(data_dir=data_dir)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(again.screen, FlareReviewDialog)

    app = _app(make_test_app, data_dir, replace(OSTEO, flare=True, flare_since=old))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _press_button(pilot, "flare-settled")
        saved = app.store.get_profile()
        assert saved.flare is False and saved.flare_since is None and saved.conditions == ("osteoporosis",)


async def test_a_recent_flare_is_not_reviewed(make_test_app, data_dir, fake_clock):
    recent = (fake_clock.now().date() - timedelta(days=3)).isoformat()
    app = _app(make_test_app, data_dir, replace(OSTEO, flare=True, flare_since=recent))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not any(isinstance(s, FlareReviewDialog) for s in app.screen_stack)


async def test_routine_names_in_the_dialog_are_not_markup(make_test_app, data_dir):
    app = _app(make_test_app, data_dir)
    name = "[@click=app.quit]x[/]"
    app.store.save_routine(Routine(name=name, items=(RoutineItem("knee-to-chest"),)))
    async with app.run_test(size=(80, 24)) as pilot:
        await _play_from_library(pilot, name)
        dialog = app.screen
        assert isinstance(dialog, SafetyGateDialog)
        title = dialog.query_one(".dialog-title")
        assert name in str(title.render())


async def test_catalog_and_builder_marks_include_the_flare(make_test_app, data_dir, real_catalog):
    # The marks are the rules' answer for the whole profile, flare included
    # (whatever the rules decide a flare changes).
    from stretchtui.core.domain.rules import warnings_for_stretch, worst_level

    profile = Profile(conditions=("disc-herniation", "sciatica"), flare=True, flare_since="2026-03-01",
                      seen_notice=True)
    app = _app(make_test_app, data_dir, profile)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        levels = app.screen.stretch_list.levels
        assert levels
        for sid, level in levels.items():
            expected = worst_level(warnings_for_stretch(real_catalog.stretches[sid], profile.conditions,
                                                        flare=True))
            assert level == expected, sid
        starter = next(s for s in real_catalog.starters if s.name == MORNING)
        await app.open_in_builder(starter)
        await pilot.pause()
        from stretchtui.core.domain.rules import check_for_profile

        assert app.screen.warnings == check_for_profile(starter, real_catalog, app.profile)
