"""The app applies config.toml (theme, figure style) and starts anyway when the file is bad."""

from __future__ import annotations

from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.core.storage.config import Settings, load_config
from stretchtui.core.storage.store import open_store
from stretchtui.ui.app import make_app

ROUTINE = Routine("Short", (RoutineItem("pelvic-tilt"),))


def _app(data_dir, catalog, clock, settings, **kw):
    return make_app(open_store(data_dir), catalog, clock, show_notice=False, settings=settings, **kw)


def _notes(app) -> list[str]:
    # The full text of every message (a long one's toast shows only its first line; ctrl+l shows this).
    return [message for _time, _severity, _title, message in app.message_log]


async def test_theme_from_the_config(data_dir, real_catalog, fake_clock, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\n')
    app = _app(data_dir, real_catalog, fake_clock, load_config(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        assert _notes(app) == []


async def test_a_bad_config_starts_with_defaults_and_says_where(data_dir, real_catalog, fake_clock, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\ntheme = "gruvbox"\n')  # a duplicate key: not valid TOML
    app = _app(data_dir, real_catalog, fake_clock, load_config(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        notes = _notes(app)
        assert len(notes) == 1 and notes[0].startswith(f"config {path}, line 2: not valid TOML")


async def test_an_unknown_theme_is_named_with_its_line(data_dir, real_catalog, fake_clock, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('# mine\ntheme = "nope-dark"\n')
    app = _app(data_dir, real_catalog, fake_clock, load_config(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        assert any(n.startswith(f"config {path}, line 2: there is no theme 'nope-dark'") for n in _notes(app))


async def test_figure_style_draws_the_stretch_figures_in_ascii(data_dir, real_catalog, fake_clock):
    from stretchtui.ui.widgets.figure import ascii_figures

    app = _app(data_dir, real_catalog, fake_clock, Settings(figure_style="ascii"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert ascii_figures(app)
        detail = app.screen.query_one("#catalog-detail")
        text = str(detail.render())
        assert not any("\u2800" <= ch <= "\u28ff" for ch in text)  # no braille cell anywhere
    braille = _app(data_dir, real_catalog, fake_clock, Settings(figure_style="braille"))
    async with braille.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not ascii_figures(braille)
        text = str(braille.screen.query_one("#catalog-detail").render())
        assert any("\u2800" <= ch <= "\u28ff" for ch in text)
