"""The builder screen at 80x24: drag and drop, keys, dosage dialog, warnings, save/reload, literal names."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Input, Select

from stretchtui.core.domain.models import Profile, Routine, RoutineItem
from stretchtui.ui.screens.builder import BuilderScreen
from stretchtui.ui.screens.dosage import DosageDialog
from stretchtui.ui.widgets.routine_list import RoutineList

SIZE = (80, 24)


async def open_builder(app, pilot, routine: Routine | None = None) -> BuilderScreen:
    await pilot.press("2")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, BuilderScreen)
    if routine is not None:
        screen.load_routine(routine)
        await pilot.pause()
    return screen


def ids(screen: BuilderScreen) -> list[str]:
    return [item.stretch for item in screen.current_routine().items]


def catalog_row(screen: BuilderScreen, stretch_id: str) -> tuple[int, int]:
    """Offset (inside the catalog list widget) of the row showing ``stretch_id``."""
    cat_list = screen.picker.stretch_list
    index = cat_list.get_option_index(stretch_id)
    assert index < cat_list.scrollable_content_region.height, "row must be visible without scrolling"
    return (4, 1 + index)  # 1: the list's top border


def routine_row(row: int) -> tuple[int, int]:
    return (6, 1 + row)


def routine(*stretch_ids: str, name: str = "Test") -> Routine:
    return Routine(name=name, items=tuple(RoutineItem(s) for s in stretch_ids))


async def drag(pilot, source, src_offset, target, dst_offset, via=None) -> None:
    await pilot.mouse_down(source, offset=src_offset)
    for widget, offset in via or ():
        await pilot.hover(widget, offset=offset)
    await pilot.hover(target, offset=dst_offset)
    await pilot.mouse_up(target, offset=dst_offset)
    await pilot.pause()


# ---------------------------------------------------------------- drag and drop


async def test_drag_a_stretch_into_an_empty_routine(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_builder(app, pilot)
        rl = screen.routine_list
        await pilot.mouse_down(screen.picker.stretch_list, offset=catalog_row(screen, "knee-to-chest"))
        await pilot.hover(rl, offset=routine_row(4))
        await pilot.pause()
        assert rl.marker == 0  # the insertion marker shows where it will land
        await pilot.mouse_up(rl, offset=routine_row(4))
        await pilot.pause()
        assert ids(screen) == ["knee-to-chest"]
        assert rl.marker is None
        assert screen.is_dirty


async def test_drag_a_stretch_between_two_items_lands_at_that_index(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_builder(app, pilot, routine("ankle-pumps", "cat-cow"))
        rl = screen.routine_list
        await pilot.mouse_down(screen.picker.stretch_list, offset=catalog_row(screen, "knee-to-chest"))
        await pilot.hover(rl, offset=routine_row(0))
        await pilot.hover(rl, offset=routine_row(1))
        await pilot.pause()
        assert rl.marker == 1
        await pilot.mouse_up(rl, offset=routine_row(1))
        await pilot.pause()
        assert ids(screen) == ["ankle-pumps", "knee-to-chest", "cat-cow"]
        assert screen.model.cursor == 1


async def test_drop_outside_the_routine_adds_nothing(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_builder(app, pilot, routine("ankle-pumps"))
        cat_list = screen.picker.stretch_list
        await drag(pilot, cat_list, catalog_row(screen, "knee-to-chest"), cat_list, (10, 2))
        assert ids(screen) == ["ankle-pumps"]
        assert not screen.is_dirty


async def test_press_and_release_without_moving_is_a_click(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_builder(app, pilot)
        cat_list = screen.picker.stretch_list
        offset = catalog_row(screen, "knee-to-chest")
        await pilot.mouse_down(cat_list, offset=offset)
        await pilot.mouse_up(cat_list, offset=offset)
        await pilot.pause()
        assert cat_list.highlighted_id == "knee-to-chest"
        assert ids(screen) == []


async def test_reorder_by_drag(make_test_app):
    app = make_test_app()
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        screen = await open_builder(app, pilot, routine("ankle-pumps", "cat-cow", "knee-to-chest"))
        rl = screen.routine_list
        # first item dropped before the third
        await drag(pilot, rl, routine_row(0), rl, routine_row(2), via=[(rl, routine_row(1))])
        assert ids(screen) == ["cat-cow", "ankle-pumps", "knee-to-chest"]
        moved = {id(m): m for m in seen if isinstance(m, RoutineList.ItemMoved)}  # seen once per node it bubbles through
        assert [(m.src, m.dst) for m in moved.values()] == [(0, 1)]
        # last item dropped at the top
        await drag(pilot, rl, routine_row(2), rl, routine_row(0), via=[(rl, routine_row(1))])
        assert ids(screen) == ["knee-to-chest", "cat-cow", "ankle-pumps"]
        # dragged below the last item: goes to the end
        await drag(pilot, rl, routine_row(0), rl, routine_row(4), via=[(rl, routine_row(1))])  # the empty rows under the items
        assert ids(screen) == ["cat-cow", "ankle-pumps", "knee-to-chest"]


async def test_remove_by_dragging_out_of_the_routine(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_builder(app, pilot, routine("ankle-pumps", "cat-cow", "knee-to-chest"))
        rl, cat_list = screen.routine_list, screen.picker.stretch_list
        await drag(pilot, rl, routine_row(1), cat_list, (5, 5), via=[(rl, routine_row(2))])
        assert ids(screen) == ["ankle-pumps", "knee-to-chest"]
        await pilot.press("u")
        await pilot.pause()
        assert ids(screen) == ["ankle-pumps", "cat-cow", "knee-to-chest"]


# ---------------------------------------------------------------- keyboard


async def test_add_move_remove_undo_redo_by_key(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_builder(app, pilot)
        cat_list = screen.picker.stretch_list
        assert cat_list.has_focus
        cat_list.highlighted = cat_list.get_option_index("ankle-pumps")
        await pilot.press("a")
        cat_list.highlighted = cat_list.get_option_index("knee-to-chest")
        await pilot.press("enter")  # Enter in the catalog adds too
        cat_list.highlighted = cat_list.get_option_index("cat-cow")
        await pilot.press("a")
        await pilot.pause()
        assert ids(screen) == ["ankle-pumps", "knee-to-chest", "cat-cow"]
        await pilot.press("tab")  # to the routine
        assert screen.routine_list.has_focus
        await pilot.press("K")  # cat-cow up
        await pilot.pause()
        assert ids(screen) == ["ankle-pumps", "cat-cow", "knee-to-chest"]
        await pilot.press("up", "shift+down")
        await pilot.pause()
        assert ids(screen) == ["cat-cow", "ankle-pumps", "knee-to-chest"]
        await pilot.press("x")
        await pilot.pause()
        assert ids(screen) == ["cat-cow", "knee-to-chest"]
        await pilot.press("u", "u")
        await pilot.pause()
        assert ids(screen) == ["ankle-pumps", "cat-cow", "knee-to-chest"]
        await pilot.press("U")
        await pilot.pause()
        assert ids(screen) == ["cat-cow", "ankle-pumps", "knee-to-chest"]


async def test_bindings_that_do_not_apply_are_hidden(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_builder(app, pilot)
        assert not screen.check_action("remove", ())
        assert not screen.check_action("undo", ())
        assert screen.check_action("play", ()) is None  # shown disabled
        await pilot.press("a")
        await pilot.pause()
        assert screen.check_action("remove", ()) and screen.check_action("undo", ())
        assert screen.check_action("play", ())


async def test_footer_fits_help_and_quit_at_80_and_100_columns(make_test_app):
    from stretchtui.ui.widgets.app_modebar import ModeFooter

    for width in (80, 100):
        app = make_test_app()
        async with app.run_test(size=(width, 24)) as pilot:
            screen = await open_builder(app, pilot, routine("ankle-pumps", "prone-press-up"))
            screen.routine_list.focus()
            await pilot.pause()
            shown = screen.query_one(ModeFooter).items()
            keys = {item.description: item for item in shown}
            for label in ("Add", "Remove", "Dosage", "Save", "Play", "Help", "Quit"):
                assert label in keys, f"{label} missing from the footer at {width} columns"
                item = keys[label]
                assert item.width and item.x + item.width <= width, f"{label} cut off at {width} columns"
                covered = [k for k in shown if k is not item and k.x < item.x + item.width and item.x < k.x + k.width]
                assert not covered, f"{label} hidden under {covered[0].description!r} at {width} columns"
            assert "Undo" not in keys  # the rest are in the help screen
            assert screen.check_action("undo", ()) is not None  # ... and still work


# ---------------------------------------------------------------- dosage dialog


async def test_edit_dosage_through_the_dialog(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_builder(app, pilot, routine("ankle-pumps", "knee-to-chest"))
        await pilot.press("tab", "down", "e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DosageDialog)
        hold = dialog.query_one("#dosage-hold", Input)
        hold.value = "700"
        await pilot.press("enter")
        await pilot.pause()
        assert dialog.is_active  # out of range: stays open and says why
        assert "1-600" in str(dialog.query_one("#dosage-error").render())
        hold.value = "45"
        dialog.query_one("#dosage-reps", Input).value = "4"
        dialog.query_one("#dosage-sides", Select).value = "left"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.current_routine().items[1] == RoutineItem("knee-to-chest", hold=45, reps=4, sides="left")
        await pilot.press("u")
        await pilot.pause()
        assert screen.current_routine().items[1] == RoutineItem("knee-to-chest")


async def test_cancelled_dosage_dialog_changes_nothing(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_builder(app, pilot, routine("knee-to-chest"))
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#dosage-hold").value = "30"
        await pilot.press("escape")
        await pilot.pause()
        assert screen.current_routine().items[0] == RoutineItem("knee-to-chest")
        assert not screen.is_dirty


# ---------------------------------------------------------------- warnings


async def test_marks_match_the_catalog_screen(make_test_app):
    from stretchtui.ui.widgets.stretch_list import stretch_row

    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_builder(app, pilot, routine("ankle-pumps", "prone-press-up"))
        app.set_profile(Profile(conditions=("spinal-stenosis",), seen_notice=True), quiet=True)
        await pilot.pause()
        cat_list = screen.picker.stretch_list
        for stretch_id, level in (("prone-press-up", "avoid"), ("ankle-pumps", None)):
            shown = str(cat_list.get_option(stretch_id).prompt)
            assert shown == str(stretch_row(app.catalog.get(stretch_id), level))
        assert str(cat_list.get_option("prone-press-up").prompt).startswith("✖ ")
        assert "✖" in (cat_list.border_subtitle or "")  # the legend, as on the catalog screen
        rows = [str(o.prompt) for o in screen.routine_list.options]
        assert rows[1].startswith("✖ ") and "Prone Press-Up" in rows[1]
        assert not rows[0].startswith("✖") and "!!" not in "".join(rows)


def avoid_names(screen: BuilderScreen) -> list[tuple[str, ...]]:
    return [w.stretch_ids for w in screen.warnings if w.level == "avoid"]


async def test_conflict_warning_appears_and_the_alternative_key_clears_it(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_builder(app, pilot, routine("ankle-pumps"))
        app.set_profile(Profile(conditions=("spinal-stenosis",), seen_notice=True), quiet=True)
        await pilot.pause()
        screen.add_stretch("prone-press-up")
        await pilot.pause()
        avoid = [w for w in screen.warnings if w.level == "avoid" and "prone-press-up" in w.stretch_ids]
        assert avoid and avoid[0].items == (1,)
        panel_text = " ".join(str(o.prompt) for o in screen.warnings_panel.options)
        assert "AVOID" in panel_text and "Prone Press-Up" in panel_text
        assert avoid[0].alternative
        await pilot.press("o")
        await pilot.pause()
        assert ids(screen) == ["ankle-pumps", avoid[0].alternative]
        assert not any("prone-press-up" in w.stretch_ids for w in screen.warnings)
        await pilot.press("u")  # the swap is undoable
        await pilot.pause()
        assert ids(screen) == ["ankle-pumps", "prone-press-up"]


async def test_warning_goes_when_the_item_is_removed_or_the_condition_cleared(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_builder(app, pilot, routine("ankle-pumps", "prone-press-up"))
        assert not avoid_names(screen)
        app.set_profile(Profile(conditions=("spinal-stenosis",), seen_notice=True), quiet=True)
        await pilot.pause()
        assert avoid_names(screen)  # a profile change updates the warnings
        app.set_profile(Profile(conditions=(), seen_notice=True), quiet=True)
        await pilot.pause()
        assert not avoid_names(screen)
        app.set_profile(Profile(conditions=("spinal-stenosis",), seen_notice=True), quiet=True)
        await pilot.pause()
        await pilot.press("tab", "down", "x")
        await pilot.pause()
        assert ids(screen) == ["ankle-pumps"]
        assert not avoid_names(screen)


async def test_selecting_a_warning_highlights_its_items(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        app.set_profile(Profile(conditions=("spinal-stenosis",), seen_notice=True), quiet=True)
        screen = await open_builder(app, pilot, routine("ankle-pumps", "knee-to-chest", "prone-press-up"))
        await pilot.press("tab", "tab")
        assert screen.warnings_panel.has_focus
        await pilot.press("down")
        await pilot.pause()
        warning = screen.warnings_panel.highlighted_warning
        assert warning is not None and warning.level == "avoid"
        assert screen.routine_list._marked == frozenset(warning.items) == {2}


# ---------------------------------------------------------------- save / load


async def test_save_and_reload_from_the_store(make_test_app, data_dir):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_builder(app, pilot)
        await pilot.press("a")
        screen.routine_list.focus()
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("Input").value = "Evening back"
        await pilot.press("enter")
        await pilot.pause()
        assert not screen.is_dirty
        saved = app.store.get_routine("Evening back")
        assert saved is not None and [i.stretch for i in saved.items] == ids(screen)
        first = ids(screen)
        # rename + save replaces the stored routine instead of adding a second one
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("Input").value = "Evening back 2"
        await pilot.press("enter", "s")
        await pilot.pause()
        assert [r.name for r in app.store.list_routines()] == ["Evening back 2"]

    app2 = make_test_app(data_dir=data_dir)
    async with app2.run_test(size=SIZE) as pilot:
        stored = app2.store.get_routine("Evening back 2")
        await app2.open_in_builder(stored)
        await pilot.pause()
        screen = app2.screen
        assert isinstance(screen, BuilderScreen)
        assert ids(screen) == first and not screen.is_dirty
        screen.add_stretch("cat-cow")
        await pilot.press("s")  # known name: saves without asking
        await pilot.pause()
        assert [i.stretch for i in app2.store.get_routine("Evening back 2").items] == [*first, "cat-cow"]


async def test_saving_clears_the_search_that_built_the_routine(make_test_app):
    from textual.widgets import Input

    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_builder(app, pilot, routine("ankle-pumps", name="Searched"))
        search = screen.query_one("#builder-search", Input)
        search.value = "cobra"
        await pilot.pause()
        assert screen.picker.stretch_list.highlighted_id is not None
        screen.add_stretch("cobra")
        screen.routine_list.focus()
        await pilot.press("s")
        await pilot.pause()
        if app.screen is not screen:  # a new routine: the name is asked (filled in)
            app.screen.query_one(Input).value = "Searched"
            await pilot.press("enter")
        for _ in range(5):
            await pilot.pause()
        assert app.store.get_routine("Searched") is not None
        assert search.value == "", "the next routine starts from the whole catalog"


async def test_a_taken_name_is_never_overwritten_silently(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        app.store.save_routine(routine("cat-cow", name="Taken"))
        screen = await open_builder(app, pilot, routine("ankle-pumps", name="Mine"))
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("Input").value = "Taken"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n")  # "Replace it?" no
        await pilot.pause()
        assert app.screen is screen
        assert screen.is_dirty and ids(screen) == ["ankle-pumps"]
        assert [i.stretch for i in app.store.get_routine("Taken").items] == ["cat-cow"]


async def test_save_error_is_shown_and_nothing_is_lost(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        app.store.save_routine(routine("cat-cow", name="Taken"))
        app.store.save_routine(routine("ankle-pumps", name="Mine"))
        screen = await open_builder(app, pilot, app.store.get_routine("Mine"))
        screen.add_stretch("knee-to-chest")
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("Input").value = "Taken"
        await pilot.press("enter", "s")  # rename onto a taken name: the store refuses
        await pilot.pause()
        assert screen.is_dirty and ids(screen) == ["ankle-pumps", "knee-to-chest"]
        assert [i.stretch for i in app.store.get_routine("Taken").items] == ["cat-cow"]
        assert [i.stretch for i in app.store.get_routine("Mine").items] == ["ankle-pumps"]
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and "Taken" in errors[-1].message


async def test_loading_over_unsaved_changes_asks_first(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_builder(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        before = ids(screen)
        screen.load_routine(routine("cat-cow"))
        await pilot.pause()
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert ids(screen) == before
        screen.load_routine(routine("cat-cow"))
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert ids(screen) == ["cat-cow"] and not screen.is_dirty


async def test_new_routine_confirms_when_dirty(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_builder(app, pilot)
        await pilot.press("a", "N")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert len(ids(screen)) == 1
        await pilot.press("N")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert ids(screen) == [] and not screen.is_dirty


# ---------------------------------------------------------------- literal names


async def test_injection_named_routine_renders_literally(make_test_app):
    name = "[@click=app.quit]x[/] [bold]B[/bold] [/]"
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_builder(app, pilot, routine("ankle-pumps", name=name))
        await pilot.pause()
        title = screen.query_one("#builder-title")
        assert name in str(title.render())
        await pilot.click(title, offset=(12, 0))  # clicking the "link" does nothing
        await pilot.pause()
        assert app.is_running and app.screen is screen


async def test_dragging_at_the_bottom_edge_scrolls_a_long_routine(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_builder(app, pilot, routine(*["ankle-pumps"] * 15))
        rl = screen.routine_list
        bottom = rl.scrollable_content_region.height  # last visible row (offset 1 is the border)
        # (a stretch near the top of the catalog list: the preview under the list leaves it 11 rows at 80x24)
        await pilot.mouse_down(screen.picker.stretch_list, offset=catalog_row(screen, "sphinx"))
        for _ in range(10):
            await pilot.hover(rl, offset=(6, bottom - 1))
            await pilot.hover(rl, offset=(6, bottom))
        await pilot.mouse_up(rl, offset=(6, bottom))
        await pilot.pause()
        assert rl.scroll_y > 0
        assert ids(screen)[-1] == "sphinx"


async def test_an_unnamed_routine_has_one_name_everywhere(make_test_app, screen_text):
    from stretchtui.core.domain.models import UNTITLED

    assert UNTITLED == "Untitled routine"
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        builder = app.screen
        builder.model.name = ""
        builder.refresh_routine()
        text = await screen_text(pilot)
        assert "Routine: Untitled routine" in text and "(unnamed)" not in text
        assert builder.model.routine().name == UNTITLED  # the name it is saved and played under


async def test_the_catalog_column_grows_with_the_terminal(make_test_app):
    """At 120x40 the builder's catalog column was 30 wide beside 90 empty columns, names cut."""
    widths = {}
    for size in ((80, 24), (120, 40), (200, 50)):
        app = make_test_app()
        async with app.run_test(size=size) as pilot:
            await pilot.press("2")
            await pilot.pause()
            widths[size] = app.screen.query_one("#builder-catalog").size.width
    assert widths[(80, 24)] == 30  # what fits beside the routine at 80 columns
    assert widths[(120, 40)] >= 44  # "Hamstring Stretch (lying)" and its mark fit
    assert widths[(200, 50)] <= 52  # and it does not take over the routine's room
