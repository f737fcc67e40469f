"""The player's big digits: solid, sized to the terminal, coloured by phase."""

from __future__ import annotations

from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.ui.screens.player import PlayerScreen
from stretchtui.ui.widgets.countdown import BigDigits, fit_scale, pixel_width, render_big

ROUTINE = Routine("Two", (RoutineItem("knee-to-chest", hold=20, reps=2, sides="each", rest=10),))


def test_glyphs_are_solid_blocks_of_one_width():
    rows = render_big("8", 1)
    assert rows == ["█▀█", "█▀█", "▀▀▀"]  # 5 pixel rows in 3 text rows (half blocks)
    assert set("".join(render_big("0123456789", 3))) <= set("█▀▄ ")
    # tabular: every digit is as wide as every other, so 11 and 88 take the same room
    assert len(render_big("11", 2)[0]) == len(render_big("88", 2)[0])
    assert pixel_width("1:20") == 3 + 1 + 1 + 1 + 3 + 1 + 3


def test_the_scale_grows_with_the_space_and_always_fits():
    assert fit_scale("20", 58, 8) < fit_scale("20", 100, 25)
    for width, height in ((20, 3), (58, 8), (100, 25), (300, 100)):
        scale = fit_scale("1:20", width, height)
        rows = render_big("1:20", scale)
        assert scale == 1 or (len(rows) <= height and len(rows[0]) <= width)


def _app(make_test_app):
    app = make_test_app(play=ROUTINE)
    app.player_options = {"checklist": False, "cue_sink": lambda s: None, "tick_interval": 3600}
    return app


def _player(app) -> PlayerScreen:
    return next(s for s in app.screen_stack if isinstance(s, PlayerScreen))


async def _digit_rows(pilot, screen_text) -> list[str]:
    text = await screen_text(pilot)
    return [line for line in text.splitlines() if "█" in line or "▀" in line or "▄" in line]


async def test_digits_fill_the_terminal_and_stay_one_size_through_a_step(make_test_app, fake_clock, screen_text):
    heights = {}
    for size in ((80, 24), (120, 40)):
        app = _app(make_test_app)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            player = _player(app)
            fake_clock.advance(5)  # the hold: 20 s
            player.tick()
            rows = await _digit_rows(pilot, screen_text)
            digits = app.screen.query_one(BigDigits)
            heights[size] = len(rows)
            assert digits.text == "20" and len(rows) >= 8  # taller than the old 6-row figlet digits
            # the whole player still fits: the instruction and both bars are on screen
            text = await screen_text(pilot)
            assert "Hold the stretch (left side); breathe slowly" in text and "Routine" in text
            scale = digits.scale
            fake_clock.advance(11)  # 9 s left: one digit, but sized as the step's "20"
            player.tick()
            await pilot.pause()
            assert digits.text == "9" and digits.scale == scale
    assert heights[(120, 40)] > heights[(80, 24)] * 1.5


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
