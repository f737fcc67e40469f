"""The app shell: modes, keys, help, first-run notice, palette, quit."""

from __future__ import annotations

from textual.widgets import Input

from stretchtui.ui.app import MODE_KEYS, StretchApp
from stretchtui.ui.screens.dialogs import ConfirmDialog
from stretchtui.ui.screens.help import HelpScreen, collect_key_sections
from stretchtui.ui.screens.notice import NoticeScreen


async def test_number_keys_switch_modes(make_test_app):
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.current_mode == "catalog"
        for mode, key, _label, _desc in [*MODE_KEYS[1:], MODE_KEYS[0]]:
            await pilot.press(key)
            await pilot.pause()
            assert app.current_mode == mode
            assert type(app.screen).__name__.lower().startswith(mode)


async def test_typing_in_search_does_not_switch_or_quit_but_f_keys_do(make_test_app):
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await pilot.press(*"q1a?")
        await pilot.pause()
        search = app.screen.query_one("#catalog-search", Input)
        assert search.value == "q1a?"
        assert app.current_mode == "catalog"
        assert app.is_running
        await pilot.press("f4")
        await pilot.pause()
        assert app.current_mode == "library"


async def test_help_lists_every_key_of_every_screen(make_test_app, screen_text):
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        from stretchtui.ui.screens.catalog import CatalogScreen
        from stretchtui.ui.screens.library import LibraryScreen
        from stretchtui.ui.screens.profile import ProfileScreen

        text = str(app.screen.query_one("#help-keys").render())
        for cls in (StretchApp, CatalogScreen, LibraryScreen, ProfileScreen):
            for binding in cls.BINDINGS:
                assert binding.description in text, (cls.__name__, binding.description)
        titles = [title for title, _rows in collect_key_sections(app)]
        assert {"Everywhere", "Catalog", "Library", "Profile"} <= set(titles)
        # It fits the screen at 80x24 and scrolls; escape closes it.
        assert "Everywhere" in await screen_text(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_first_run_notice_shows_once_and_is_remembered(make_test_app, data_dir, screen_text):
    app = make_test_app(show_notice=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        await pilot.pause()
        text = await screen_text(pilot)
        assert "diagnose" in text and "clinician" in text and "Before you start" in text
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, NoticeScreen)
        assert app.store.get_profile().seen_notice is True
    app.store.close()

    again = make_test_app(show_notice=None, data_dir=data_dir)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(again.screen, NoticeScreen)
        assert again.current_mode == "catalog"


async def test_store_notices_are_shown_literally(make_test_app):
    app = make_test_app()
    app.store.notices.append("Restored from backup: [bold]data[/] [/x]")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert "Restored from backup: [bold]data[/] [/x]" in messages


async def test_command_palette_reaches_modes(make_test_app):
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Go to Profile")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.current_mode == "profile"


async def test_quit_asks_when_builder_has_unsaved_changes(make_test_app):
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        stretch_id = next(iter(app.catalog.stretches))
        assert await app.add_to_builder(stretch_id)
        await pilot.pause()
        assert app.builder_is_dirty()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, ConfirmDialog)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert app._exit


async def test_quit_without_changes_exits_at_once(make_test_app):
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert app._exit


async def test_play_routine_pushes_player_and_mode_keys_wait(make_test_app):
    from stretchtui.ui.screens.player import PlayerScreen

    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.play_routine(app.catalog.starters[0])
        await pilot.pause()
        # the player's red-flag checklist (on by default) sits on top of the player
        player = next(s for s in app.screen_stack if isinstance(s, PlayerScreen))
        assert player.routine == app.catalog.starters[0]
        assert app.check_action("switch_to", ("library",)) is False


async def test_play_on_start_and_exit_after_play(make_test_app, real_catalog):
    from stretchtui.ui.screens.player import PlayerScreen

    routine = real_catalog.starters[0]
    app = make_test_app(play=routine, exit_after_play=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = next(s for s in app.screen_stack if isinstance(s, PlayerScreen))
        assert player.routine == routine
        app.screen.dismiss(None)  # cancelling the checklist closes the player
        await pilot.pause()
        assert app._exit
