"""The catalog screen: regions, search as you type, details, profile marks, add to the builder."""

from __future__ import annotations

from textual.widgets import Input

from stretchtui.ui.screens.catalog import CatalogScreen
from stretchtui.ui.widgets.stretch_detail import StretchDetail


def _detail_text(screen: CatalogScreen) -> str:
    return str(screen.query_one("#catalog-detail", StretchDetail).render())


async def test_regions_change_the_list(make_test_app):
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        everything = screen.visible_ids()
        assert everything == list(app.catalog.stretches)
        seen = []
        for region in ("lower-back", "upper-back", "neck", "nerves"):
            await pilot.press("r")  # the list has focus: next region
            await pilot.pause()
            ids = screen.visible_ids()
            assert screen.current_region == region
            assert ids == [s.id for s in app.catalog.by_region(region)]
            assert ids and len(ids) < len(everything)
            seen.append(ids)
        assert seen[0] != seen[2]
        await pilot.press("r")
        await pilot.pause()
        assert screen.visible_ids() == everything


async def test_search_filters_as_you_type_by_name_and_alias(make_test_app):
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("slash")
        await pilot.press(*"cobra")
        await pilot.pause()
        ids = screen.visible_ids()
        assert ids == [s.id for s in app.catalog.search("cobra")]
        assert any("cobra" in app.catalog.get(i).name.casefold() for i in ids)
        assert len(ids) < len(app.catalog.stretches)
        assert "Cobra" in _detail_text(screen)

        # An alias that is not part of the name finds its stretch too.
        stretch, alias = next(
            (s, a)
            for s in app.catalog.stretches.values()
            for a in s.aliases
            if a.casefold() not in s.name.casefold() and len(app.catalog.search(a)) < 5
        )
        search = screen.query_one("#catalog-search", Input)
        search.value = ""
        await pilot.press(*alias)
        await pilot.pause()
        assert stretch.id in screen.visible_ids()

        # Escape clears the search and everything is back.
        await pilot.press("escape")
        await pilot.pause()
        assert screen.visible_ids() == list(app.catalog.stretches)
        # ... and focus is back on the list: the next "r" is the Region key, not typed text
        assert app.focused is screen.stretch_list
        region = screen.current_region
        await pilot.press("r")
        await pilot.pause()
        assert search.value == "" and screen.current_region != region


async def test_detail_shows_figure_steps_and_cautions(make_test_app):
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        stretch = next(s for s in app.catalog.stretches.values() if s.cautions and s.figure)
        index = screen.visible_ids().index(stretch.id)
        screen.stretch_list.highlighted = index
        await pilot.pause()
        text = _detail_text(screen)
        assert stretch.name in text
        # the figure is the pose drawn in braille (the old ASCII sketch is not shown)
        assert any(0x2801 <= ord(ch) <= 0x28FF for ch in text)
        assert max(stretch.figure, key=len) not in text
        assert stretch.steps[0][:30] in " ".join(text.split())
        for caution in stretch.cautions:
            assert caution.reason[:25] in " ".join(text.split())
        assert "(in your profile)" not in text


async def test_profile_condition_marks_conflicting_stretches(make_test_app):
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        condition = "spinal-stenosis"
        flagged = [s for s in app.catalog.stretches.values() if s.caution_for(condition)]
        assert flagged
        target = flagged[0]
        before = screen.stretch_list.levels[target.id]

        # Tick the condition on the profile screen with the keyboard.
        await pilot.press("4")
        await pilot.pause()
        app.screen.query_one(f"#cond-{condition}").focus()
        await pilot.press("space")
        await pilot.pause()
        assert condition in app.profile.conditions
        assert condition in app.store.get_profile().conditions

        await pilot.press("1")
        await pilot.pause()
        level = screen.stretch_list.levels[target.id]
        assert level in ("caution", "avoid") and level != before
        row = str(screen.stretch_list.get_option(target.id).prompt)
        assert row.startswith("✖" if level == "avoid" else "!")
        screen.stretch_list.highlighted = screen.visible_ids().index(target.id)
        await pilot.pause()
        assert "(in your profile)" in _detail_text(screen)


async def test_add_key_puts_the_stretch_in_the_builder(make_test_app):
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("slash", *"cobra", "enter")
        await pilot.pause()
        wanted = screen.stretch_list.highlighted_id
        await pilot.press("a")
        await pilot.pause()
        assert app.current_mode == "catalog"
        builder = app.builder_screen()
        assert [item.stretch for item in builder.current_routine().items] == [wanted]
        await pilot.press("2")
        await pilot.pause()
        assert app.screen is builder


def test_a_long_name_wraps_under_itself_past_the_mark():
    from stretchtui.core.domain.catalog import load_catalog
    from stretchtui.ui.widgets.stretch_list import stretch_row

    stretch = load_catalog().get("thoracic-extension")
    assert stretch is not None and stretch.name == "Thoracic Extension over a Chair"
    assert stretch_row(stretch, "caution", 28).plain == "! Thoracic Extension over a\n  Chair"
    assert stretch_row(stretch, None, 40).plain == "  Thoracic Extension over a Chair"  # fits: one line


async def test_the_list_wraps_long_names_with_an_indent_and_grows_with_the_terminal(make_test_app, screen_text):
    """At 80x24 "Thoracic Extension over a / Chair" continues under the name; at 120 columns it fits."""
    for size, one_line in (((80, 24), False), ((120, 40), True)):
        app = make_test_app()
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press("end")
            await pilot.pause()
            lines = (await screen_text(pilot)).splitlines()
            if one_line:
                assert any("Thoracic Extension over a Chair" in line for line in lines)
            else:
                at = next(i for i, line in enumerate(lines) if "Thoracic Extension over a" in line)
                name_col = lines[at].index("Thoracic")
                assert lines[at + 1][name_col:].startswith("Chair")  # under the name, not at the edge


async def test_search_chin_then_enter_then_a_adds_chin_tuck(make_test_app):
    """A word of the name comes first: 'chin' is Chin Tuck, not Cat-Cow ('arching') or Toe Touch ('touching')."""
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("slash", *"chin", "enter")
        await pilot.pause()
        assert screen.visible_ids()[0] == "chin-tuck"
        await pilot.press("a")
        await pilot.pause()
        assert [item.stretch for item in app.builder_screen().current_routine().items] == ["chin-tuck"]


async def test_search_by_the_complaint_finds_what_helps_it(make_test_app):
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("slash", *"sciatica")
        await pilot.pause()
        ids = screen.visible_ids()
        assert ids and all("sciatica" in app.catalog.get(i).helps for i in ids)
