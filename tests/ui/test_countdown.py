"""The player's big digits: drawn by pyfiglet, solid by default, sized to the terminal, coloured by phase."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region

from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.core.storage.config import Settings, parse_config
from stretchtui.core.storage.store import open_store
from stretchtui.ui.app import make_app
from stretchtui.ui.screens.player import PlayerScreen
from stretchtui.ui.widgets.countdown import (
    DEFAULT_FONT,
    BigDigits,
    Scale,
    digit_font,
    fit_scale,
    pixel_width,
    render_big,
)

ROUTINE = Routine("Two", (RoutineItem("knee-to-chest", hold=20, reps=2, sides="each", rest=10),))
INK = set("█▀▄")


def test_the_default_font_is_solid_blocks_of_one_width():
    assert DEFAULT_FONT == "ansi_regular" and digit_font(DEFAULT_FONT).solid
    rows = render_big("8", Scale(DEFAULT_FONT, 1, 2))  # the font's own size: one row per font row
    assert len(rows) == digit_font(DEFAULT_FONT).height == 5
    assert set("".join(render_big("0123456789:", fit_scale("0123456789:", 200, 30)))) <= INK | {" "}
    # tabular: every digit is as wide as every other, so 11 and 88 take the same room
    assert len(render_big("11", Scale(DEFAULT_FONT, 2, 3))[0]) == len(render_big("88", Scale(DEFAULT_FONT, 2, 3))[0])
    assert pixel_width("1:20") == pixel_width("8:88") > pixel_width("88")


def test_other_fonts_keep_their_own_characters_scaled_by_whole_cells():
    assert not digit_font("banner3").solid
    one = render_big("20", Scale("banner3", 1, 2))
    two = render_big("20", Scale("banner3", 2, 4))
    assert "#" in "".join(one) and set("".join(two)) <= {"#", " "}
    assert len(two) == 2 * len(one) and len(two[0]) == 2 * len(one[0])  # each cell became 2x2 cells
    assert [row[::2] for row in two[::2]] == list(one)


def test_the_scale_grows_with_the_space_and_always_fits():
    assert fit_scale("20", 58, 8) < fit_scale("20", 100, 25)
    for font in (DEFAULT_FONT, "banner3", "big"):
        for width, height in ((30, 3), (36, 9), (58, 8), (100, 25), (300, 100)):
            scale = fit_scale("1:20", width, height, font)
            rows = render_big("1:20", scale)
            assert len(rows) <= height and len(rows[0]) <= width, (font, width, height, scale)


def test_a_font_too_big_for_the_space_gives_way_to_the_default():
    assert fit_scale("1:20", 40, 6, "banner3").font == DEFAULT_FONT  # banner3 is 7 rows tall
    assert fit_scale("1:20", 40, 8, "banner3").font == "banner3"


def test_an_unknown_font_is_a_clear_error_naming_the_key_with_close_names():
    settings = parse_config('countdown_font = "banner_3"\n', Path("c.toml"))
    assert settings.countdown_font == DEFAULT_FONT
    assert settings.problem_line == (
        "config c.toml, line 1: countdown_font 'banner_3' is not an installed figlet font "
        "(did you mean banner3, banner, banner3-D?); using the default for it"
    )
    line = parse_config('countdown_font = "qqqq"\n', Path("c.toml")).problem_line
    assert line is not None and "countdown_font 'qqqq' is not an installed figlet font (e.g. ansi_regular" in line
    assert parse_config('countdown_font = "big"\n', Path("c.toml")).countdown_font == "big"


def _app(make_test_app):
    app = make_test_app(play=ROUTINE)
    app.player_options = {"checklist": False, "cue_sink": lambda s: None, "tick_interval": 3600}
    return app


def _player(app) -> PlayerScreen:
    return next(s for s in app.screen_stack if isinstance(s, PlayerScreen))


async def _digit_rows(pilot, screen_text, ink=INK) -> list[str]:
    """The rows with ink in the digits' part of the screen, as drawn."""
    text = await screen_text(pilot)
    region = pilot.app.screen.query_one(BigDigits).region
    lines = text.splitlines()[region.y: region.bottom]
    return [line[region.x: region.right] for line in lines if set(line[region.x: region.right]) & ink]


#: Rows of the digits during the 20 s hold, by terminal size (the widget fills the height it is given).
HEIGHTS = {(60, 22): 8, (80, 24): 10, (120, 40): 28}


@pytest.mark.parametrize("size", list(HEIGHTS))
async def test_digits_fill_the_terminal_and_stay_one_size_through_a_step(make_test_app, fake_clock, screen_text, size):
    app = _app(make_test_app)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        player = _player(app)
        fake_clock.advance(5)  # the hold: 20 s
        player.tick()
        rows = await _digit_rows(pilot, screen_text)
        digits = app.screen.query_one(BigDigits)
        assert digits.text == "20" and digits.scale.font == DEFAULT_FONT
        assert len(rows) == HEIGHTS[size]
        # as tall as the space allows: less than one font row of room is left over
        assert digits.size.height - len(rows) < 3 or len(rows[0].strip()) * 2 > digits.size.width
        assert all(line.strip() in "\n".join(rows) for line in digits.lines())
        # the whole player still fits: the instruction and both bars are on screen
        text = await screen_text(pilot)
        assert "Hold the stretch (left side); breathe slowly" in text and "Routine" in text
        scale = digits.scale
        fake_clock.advance(11)  # 9 s left: one digit, but sized as the step's "20"
        player.tick()
        await pilot.pause()
        assert digits.text == "9" and digits.scale == scale


async def test_banner3_from_the_config_draws_hash_digits(data_dir, real_catalog, fake_clock, screen_text):
    settings = Settings(countdown_font="banner3")
    store = open_store(data_dir)
    try:
        app = make_app(store, real_catalog, fake_clock, show_notice=False, settings=settings, play=ROUTINE)
        app.player_options = {"checklist": False, "cue_sink": lambda s: None, "tick_interval": 3600}
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            fake_clock.advance(5)
            _player(app).tick()
            rows = await _digit_rows(pilot, screen_text, ink={"#"})
            digits = app.screen.query_one(BigDigits)
            assert digits.scale.font == "banner3"
            assert len(rows) >= 7 and not any(set(row) & INK for row in rows)
            assert [row.strip() for row in render_big("20", digits.scale)] == [row.strip() for row in rows]
    finally:
        store.close()


async def test_digits_take_the_colour_of_the_phase(make_test_app, fake_clock):
    app = _app(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = _player(app)
        digits = app.screen.query_one(BigDigits)
        theme = app.theme_variables

        async def colour() -> str:
            await pilot.pause()
            return digits.styles.color.hex.upper()

        seen = {"get-ready": await colour()}
        for seconds, kind in ((5, "hold"), (20, "rest"), (10, "hold"), (20, "switch")):
            fake_clock.advance(seconds)
            player.tick()
            assert player.engine.step.kind == kind
            seen[kind] = await colour()
        assert seen["get-ready"] == theme["text-warning"].upper()
        assert seen["hold"] == theme["text-success"].upper()
        assert seen["rest"] == theme["text-primary"].upper()
        assert seen["switch"] == theme["text-error"].upper()
        await pilot.press("space")
        assert await colour() not in seen.values()  # paused: muted


async def test_under_no_color_a_pause_shades_the_digits(make_test_app, fake_clock, screen_text, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = _app(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        fake_clock.advance(5)
        _player(app).tick()
        assert app.no_color
        assert len(await _digit_rows(pilot, screen_text, ink={"█"})) >= 5
        await pilot.press("space")
        text = await screen_text(pilot)
        assert "▒" in text and "█" not in "\n".join(text.splitlines()[2:14])
        await pilot.press("space")
        assert "▒" not in await screen_text(pilot)


async def test_a_second_repaints_only_the_digits_that_change(make_test_app, fake_clock):
    app = _app(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = _player(app)
        fake_clock.advance(5)
        player.tick()
        await pilot.pause()
        digits = app.screen.query_one(BigDigits)
        assert not digits.set_seconds(digits.seconds)  # the same number: nothing to repaint
        digits.set_seconds(19)
        refreshed: list[Region] = []
        original = digits.refresh

        def spy(*regions, **kwargs):
            refreshed.extend(regions)
            return original(*regions, **kwargs)

        digits.refresh = spy
        assert digits.set_seconds(18)  # 19 -> 18: only the right-hand digit's cells
        assert refreshed and all(region.x >= digits.size.width // 2 - 1 for region in refreshed)


async def test_a_font_without_digits_is_said_and_the_default_drawn(data_dir, real_catalog, fake_clock, screen_text):
    # 'alpha' is an installed figlet font of letters only: the config accepts the name, the player cannot draw it.
    assert parse_config('countdown_font = "alpha"\n', Path("c.toml")).countdown_font == "alpha"
    store = open_store(data_dir)
    try:
        app = make_app(store, real_catalog, fake_clock, show_notice=False,
                       settings=Settings(countdown_font="alpha"), play=ROUTINE)
        app.player_options = {"checklist": False, "cue_sink": lambda s: None, "tick_interval": 3600}
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert app.screen.query_one(BigDigits).scale.font == DEFAULT_FONT
            assert len(await _digit_rows(pilot, screen_text)) >= 5
            messages = [message for _time, _severity, _title, message in app.message_log]
            assert "countdown_font 'alpha' has no digits (0123456789 come out blank): choose another font; using ansi_regular" in messages
    finally:
        store.close()
