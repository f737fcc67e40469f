"""The app shell: modes, keys, help, first-run notice, palette, quit."""

from __future__ import annotations

from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from stretchtui.ui.app import MODE_KEYS, StretchApp
from stretchtui.ui.screens.dialogs import ConfirmDialog
from stretchtui.ui.screens.help import HelpScreen, collect_key_sections, help_text
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

        text = help_text(app, app.screen_stack[-2])
        for cls in (StretchApp, CatalogScreen, LibraryScreen, ProfileScreen):
            for binding in cls.BINDINGS:
                assert isinstance(binding, Binding), (cls.__name__, binding)
                assert binding.description in text, (cls.__name__, binding.description)
        titles = [title for title, _rows in collect_key_sections(app, app.screen_stack[-2])]
        assert {"Everywhere", "Library", "Profile"} <= set(titles)
        assert titles[0] == "This screen: Catalog"  # the screen you came from comes first
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
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        hits = palette.query_one(CommandList)
        # The palette gathers its hits in a worker: wait for them, not for a fixed time.
        for _ in range(500):
            if hits.highlighted is not None and "Profile" in str(hits.get_option_at_index(hits.highlighted).prompt):
                break
            await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
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
        await pilot.press("escape")  # cancelling the checklist closes the player
        await pilot.pause()
        assert app._exit


async def test_help_starts_with_this_screen_and_reads_like_words(make_test_app, screen_text):

    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "question_mark")
        await pilot.pause()
        text = await screen_text(pilot)
        lines = [line.rstrip(" ▇▁▂▃▄▅▆█").strip() for line in text.splitlines()]
        assert "This screen: Library" in lines  # Library's own keys first, not three pages of others
        first = lines.index("This screen: Library")
        assert any(line.startswith("p") and "Play" in line for line in lines[first : first + 8])
        everything = help_text(app)
        assert "app." not in everything and "focus previous" not in everything  # no raw action names
        # the player's space is one row, "Pause / Resume", not two
        player_rows = dict(next(rows for title, rows in collect_key_sections(app) if title == "Player"))
        assert player_rows["space"] == "Pause / Resume"
        for _title, rows in collect_key_sections(app):
            keys = [k for k, _ in rows]
            assert len(keys) == len(set(keys)), rows
        await pilot.press("escape")


async def test_help_wraps_long_descriptions_under_themselves(make_test_app, screen_text):
    app = make_test_app()
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = await screen_text(pilot)
        lines = text.splitlines()
        row = next(i for i, line in enumerate(lines) if "/ " in line and "Search" in line)
        # every line of a section's rows starts indented: a wrapped description never restarts at column 1
        for line in lines[row : row + 6]:
            if line.strip():
                assert line.startswith("   "), line


async def test_j_and_k_move_in_lists(make_test_app):
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        ids = screen.visible_ids()
        assert screen.stretch_list.highlighted_id == ids[0]
        await pilot.press("j", "j")
        assert screen.stretch_list.highlighted_id == ids[2]
        await pilot.press("k")
        assert screen.stretch_list.highlighted_id == ids[1]
        # typed into the search, j is a letter
        await pilot.press("slash", "j")
        assert screen.query_one("#catalog-search").value == "j"
        await pilot.press("escape", "3", "j")
        table = app.screen.query_one("#library-table")
        assert table.cursor_row == 1


async def test_palette_finds_stretches_and_routines_by_name(make_test_app):
    from stretchtui.ui.commands import StretchCommands
    from stretchtui.ui.screens.player import PlayerScreen

    app = make_test_app()
    app.player_options = {"checklist": False, "cue_sink": lambda s: None, "tick_interval": 3600}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        provider = StretchCommands(app.screen)

        async def hits(query):
            return [hit async for hit in provider.search(query)]

        cobra = [str(h.match_display) for h in await hits("cobra")]
        assert any(t.startswith("Stretch: Cobra") for t in cobra) and any(t.startswith("Add to routine: Cobra") for t in cobra)
        morning = [h for h in await hits("morning") if str(h.match_display).startswith("Play: Morning")]
        assert morning
        # Showing a stretch moves to the Catalog with it highlighted
        await pilot.press("3")
        show = next(h for h in await hits("cobra") if str(h.match_display).startswith("Stretch: Cobra"))
        await show.command()
        await pilot.pause()
        assert app.current_mode == "catalog"
        assert app.catalog.get(app.screen.stretch_list.highlighted_id).name.startswith("Cobra")
        # Playing a routine starts the player
        morning[0].command()
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen)


async def test_every_screens_keys_fit_the_footer_at_the_smallest_size(make_test_app, screen_text):
    """At 60x22 (the smallest the app draws) the footer goes compact and no key falls off its right edge."""
    from stretchtui.ui.widgets.app_modebar import ModeFooter

    app = make_test_app()
    async with app.run_test(size=(60, 22)) as pilot:
        for key in "12345":
            await pilot.press(key)
            await pilot.pause()
            # The mode bar above shows the screens and "? help"; the footer leaves them out here.
            items = app.screen.query_one(ModeFooter).items()
            assert not [k for k in items if k.action.startswith("switch_to(") or k.action in ("help", "app.help")]
            own = [k for k in items if k.key != app.COMMAND_PALETTE_BINDING]
            assert own, f"screen {key} shows no keys"
            lost = [k.description or k.key for k in own if k.width == 0 or k.x + k.width > 60]
            assert not lost, f"screen {key}: {lost} do not fit at 60 columns"
            assert "Quit" in [k.description for k in own]
            top = (await screen_text(pilot)).splitlines()[0]
            assert "5 History" in top and "? help" in top  # the mode bar keeps what the footer left out
            bottom = (await screen_text(pilot)).splitlines()[-1]
            assert "Quit" in bottom and "Screens" not in bottom
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        shown = [k.key for k in app.screen.query_one(ModeFooter).items() if k.width > 0]
        assert "1" in shown and "question_mark" in shown  # wide again: every key is back


async def test_no_key_hides_under_the_palette_key(make_test_app):
    """At 80 and 85 columns the Profile's Quit sat under "^p palette"; the footer now drops the palette key instead."""
    from stretchtui.ui.widgets.app_modebar import ModeFooter

    for width in (80, 85, 120):
        app = make_test_app()
        async with app.run_test(size=(width, 24)) as pilot:
            for key in "12345":
                await pilot.press(key)
                await pilot.pause()
                await pilot.pause()
                keys = app.screen.query_one(ModeFooter).items()
                palette = [k for k in keys if k.key == app.COMMAND_PALETTE_BINDING]
                edge = palette[0].x if palette else width
                under = [k.description for k in keys if k not in palette and k.x + k.width > edge]
                assert not under, f"{width} columns, screen {key}: {under} under the palette key"
                assert "Quit" in [k.description for k in keys]
            if width == 120:
                assert palette, "with room to spare the palette key stays"


async def test_objects_made_at_start_are_kept_out_of_later_collections(make_test_app):
    # Full collections walked every start-up object again: a 40-95 ms pause
    # every 7 or 8 keys in the catalog (bench/bench_keys.py). The command line
    # sets the delay; a test process runs hundreds of apps, so it is off by default.
    import gc

    assert StretchApp.freeze_after_start is None
    app = make_test_app()
    app.freeze_after_start = 0.4
    gc.unfreeze()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            assert gc.get_freeze_count() == 0
            await pilot.pause(0.8)
            assert gc.get_freeze_count() > 10_000  # Textual's widgets, the catalog, the caches
    finally:
        gc.unfreeze()


async def test_the_freeze_waits_for_the_notice_and_survives_reading_the_store(make_test_app):
    # Frozen objects are never collected: a dialog frozen while open would leak once closed, so the
    # freeze waits for it. And the store's parse (which moves young objects along with a freeze and
    # an unfreeze) must not thaw what the app froze.
    import gc

    app = make_test_app(show_notice=True)
    app.freeze_after_start = 0.1
    app.FREEZE_RETRY = 0.1
    gc.unfreeze()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.4)
            assert gc.get_freeze_count() == 0  # the first-run notice is open
            await pilot.press("enter")
            await pilot.pause(0.4)
            frozen = gc.get_freeze_count()
            assert frozen > 10_000
            app.store.list_routines()  # a read of the store parses library.json (as every screen's worker does)
            await pilot.press("3")  # the Library reads the store too
            await pilot.pause(0.3)
            await app.workers.wait_for_complete()
            assert gc.get_freeze_count() > frozen // 2  # what was frozen stays so (freed ones leave the count)
    finally:
        gc.unfreeze()


async def test_the_collector_held_off_while_starting_is_back_on_after_the_first_frame(make_test_app):
    # `stretchtui` keeps the garbage collector off while it starts (about 15 ms of young
    # collections over objects that are not garbage); the first frame freezes them and turns it
    # back on. A first-run notice frozen with them is let go once it is closed (collected then,
    # unless Textual still holds it: it keeps the app's first screen for good).
    import gc

    from stretchtui.commands.app_cmd import hold_gc_until_first_frame
    from stretchtui.ui.screens.notice import NoticeScreen

    app = make_test_app(show_notice=True)
    app.freeze_after_start = 0.1
    app.FREEZE_RETRY = 0.1
    gc.unfreeze()
    hold_gc_until_first_frame()
    try:
        assert not gc.isenabled()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, NoticeScreen)
            assert gc.isenabled() and gc.get_freeze_count() > 10_000
            assert app._frozen_with_dialog  # the notice, frozen with the rest
            await pilot.press("enter")
            await pilot.pause(0.4)
            assert not isinstance(app.screen, NoticeScreen)
            # once it is closed, the freeze is taken again after a full collection
            assert not app._frozen_with_dialog
            assert gc.get_freeze_count() > 10_000
    finally:
        gc.enable()
        gc.unfreeze()


def test_a_start_that_fails_turns_the_collector_back_on(tmp_path, monkeypatch, capsys):
    import gc

    from stretchtui.cli import main

    monkeypatch.setattr("sys.stdout.isatty", lambda: False, raising=False)
    try:
        assert main(["--data-dir", str(tmp_path)]) != 0  # no terminal: a clear message, no app
        assert gc.isenabled()
    finally:
        gc.enable()
    assert "needs a terminal" in capsys.readouterr().err


def test_the_command_line_turns_the_freeze_on(monkeypatch):
    from stretchtui.commands.app_cmd import run_app

    class App:
        freeze_after_start = None
        return_code = 0
        seen: list = []

        def run(self) -> None:
            self.seen.append(self.freeze_after_start)

    app = App()
    assert run_app(app) == 0  # type: ignore[arg-type]
    assert app.seen == [1.0]


async def test_the_footer_is_one_line_that_does_what_its_keys_do(make_test_app, screen_text):
    """One widget draws the keys (Textual's footer was 13 widgets of the catalog's 23); a click presses
    a key, hovering names what it does, and the keys follow the focus."""
    from textual.command import CommandPalette

    from stretchtui.ui.widgets.app_modebar import ModeFooter

    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(ModeFooter)
        assert not footer.children
        by_label = {item.description: item for item in footer.items()}
        # Hovering "Quit" shows its tooltip.
        quit_key = by_label["Quit"]
        await pilot.hover(ModeFooter, offset=(quit_key.x + 1, 0))
        await pilot.pause()
        assert footer.tooltip == "Asks first if the builder has unsaved changes"
        # Clicking "Add" adds the highlighted stretch to the builder's routine.
        add = by_label["Add"]
        await pilot.click(ModeFooter, offset=(add.x + 1, 0))
        await pilot.pause()
        assert app.builder_is_dirty()
        # In the search field the keys are the field's: the footer follows the focus.
        await pilot.press("slash")
        await pilot.pause()
        assert "Add" not in [item.description for item in footer.items()]
        assert "a Add" not in (await screen_text(pilot)).splitlines()[-1]
        await pilot.press("escape")
        await pilot.pause()
        assert "Add" in [item.description for item in footer.items()]
        # "^p palette" opens the command palette.
        palette = next(item for item in footer.items() if item.key == app.COMMAND_PALETTE_BINDING)
        await pilot.click(ModeFooter, offset=(palette.x + 2, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
