"""Parsed CSS kept between runs (ui/css_cache.py): the next start reads it back, and nothing
it cannot trust, or that another theme or Textual made, is used."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

import pytest

from stretchtui.ui import css_cache
from stretchtui.ui.widgets.app_modebar import ModeBar


async def _run(make_test_app, path: Path, *, theme: str | None = None, notice: bool = False,
               seed: Path | None = None) -> dict[str, Any]:
    app = make_test_app(show_notice=notice)
    app.keep_parsed_css(path, seed)
    async with app.run_test(size=(80, 24)) as pilot:
        if theme:
            app.theme = theme
        await pilot.pause()
        seen = {"modebar": app.screen.query_one(ModeBar).styles.background if not notice else None,
                "screen": type(app.screen).__name__}
    app.save_caches()
    return seen


async def test_the_next_start_reads_the_rules_back_and_looks_the_same(make_test_app, css_parses, tmp_path):
    path = tmp_path / "cache" / css_cache.FILE_NAME
    parsed = css_parses
    first = await _run(make_test_app, path)
    assert parsed and path.is_file()
    assert os.stat(path).st_mode & 0o077 == 0  # the user's own
    parsed.clear()
    second = await _run(make_test_app, path)
    assert parsed == []  # every source read back, none parsed
    assert second == first  # and the catalog styled the same


async def test_a_new_screen_adds_to_the_file_and_keeps_what_it_held(make_test_app, css_parses, tmp_path):
    path = tmp_path / css_cache.FILE_NAME
    await _run(make_test_app, path)
    size = path.stat().st_size
    await _run(make_test_app, path, notice=True)  # the first-run notice and its button: new sources
    assert path.stat().st_size > size
    parsed = css_parses
    parsed.clear()  # from here on
    await _run(make_test_app, path)
    await _run(make_test_app, path, notice=True)
    assert parsed == []


async def test_another_theme_parses_again_and_styles_with_its_colours(make_test_app, css_parses, tmp_path):
    path = tmp_path / css_cache.FILE_NAME
    dark = await _run(make_test_app, path)
    parsed = css_parses
    parsed.clear()  # from here on
    light = await _run(make_test_app, path, theme="textual-light")
    assert parsed  # other variables: other keys
    assert light["modebar"] != dark["modebar"]
    parsed.clear()
    again = await _run(make_test_app, path, theme="textual-light")
    assert again == light


def _damaged(path: Path) -> None:
    path.write_bytes(b"not a cache at all \x00\xff")


def _other_textual(path: Path) -> None:
    first, _, rest = path.read_bytes().partition(b"\n")
    path.write_bytes(first.replace(b"python", b"python 2.7 and") + b"\n" + rest)


def _foreign_objects(path: Path) -> None:
    # the right first line, but what follows is not a table of pickled rules
    first, _, _rest = path.read_bytes().partition(b"\n")
    path.write_bytes(first + b"\n" + pickle.dumps({b"k": "not bytes"}))


def _group_writable(path: Path) -> None:
    path.chmod(0o664)


def _link(path: Path) -> None:
    target = path.with_name("elsewhere")
    path.rename(target)
    path.symlink_to(target)


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("spoil", [_damaged, _other_textual, _foreign_objects, _group_writable, _link, _truncated])
async def test_a_file_it_cannot_trust_is_not_used_and_the_app_starts_as_without_one(
        make_test_app, css_parses, tmp_path, spoil):
    path = tmp_path / css_cache.FILE_NAME
    expected = await _run(make_test_app, path)
    spoil(path)
    parsed = css_parses
    parsed.clear()  # from here on
    assert await _run(make_test_app, path) == expected
    assert parsed  # parsed as if there were no cache
    # the save replaced it with a whole file of the user's own (a link is replaced, not followed)
    assert path.is_file() and not path.is_symlink()
    parsed.clear()
    await _run(make_test_app, path)
    assert parsed == []


def test_a_cache_that_cannot_be_written_is_skipped_quietly(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be")
    disk = css_cache.DiskRules(blocked / css_cache.FILE_NAME)
    disk.put(b"key", [])
    assert disk.save() is False  # no exception, nothing to say: it only saves time


def test_the_command_line_keeps_the_css_in_the_users_cache_folder(monkeypatch, tmp_path):
    from stretchtui.commands.app_cmd import run_app

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))

    class App:
        return_code = 0
        kept: list = []

        def keep_parsed_css(self, path: Path) -> None:
            self.kept.append(path)

        def save_caches(self) -> None:
            self.kept.append("saved")

        def run(self) -> None:
            pass

    app = App()
    assert run_app(app) == 0  # type: ignore[arg-type]
    assert app.kept == [tmp_path / "stretchtui" / css_cache.FILE_NAME, "saved"]


async def test_the_first_screens_css_is_kept_a_moment_after_start_even_if_the_app_is_then_killed(
        make_test_app, tmp_path):
    import gc

    path = tmp_path / css_cache.FILE_NAME
    app = make_test_app(show_notice=True)
    app.keep_parsed_css(path, seed=None)
    app.freeze_after_start = 0.1  # as the command line does (1 s)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.4)
            assert path.is_file()  # written while the notice is still open, before any exit
    finally:
        gc.unfreeze()


# The seed shipped for a machine's first launch (css_cache.SEED_PATH, made by tools/css_seed.py).

SEED_HINT = "the shipped CSS seed is out of date: run `python tools/css_seed.py`"


@pytest.mark.parametrize("notice", [True, False], ids=["first-run notice", "catalog"])
async def test_a_first_launch_parses_no_css_for_the_first_screens(make_test_app, css_parses, tmp_path, notice):
    path = tmp_path / css_cache.FILE_NAME  # an empty cache folder: the very first launch
    seen = await _run(make_test_app, path, notice=notice, seed=css_cache.SEED_PATH)
    assert css_parses == [], (SEED_HINT, css_parses)
    assert not path.exists()  # nothing new to keep: the seed is not copied into the user's cache
    assert seen == await _run(make_test_app, tmp_path / "other", notice=notice)  # styled as when parsed


def test_the_seed_does_not_depend_on_where_the_package_is(tmp_path):
    # keys name a source's file, not its folder: an installed copy finds the same keys
    variables = css_cache.variables_digest({"primary": "#004578"})
    here = css_cache.source_key(variables, "Label { color: red; }", ("/work/a/textual/widgets/_label.py", "Label"),
                                True, 0, "")
    there = css_cache.source_key(variables, "Label { color: red; }",
                                 ("/usr/lib/python3/site-packages/textual/widgets/_label.py", "Label"), True, 0, "")
    assert here == there
    other_css = css_cache.source_key(variables, "Label { color: blue; }",
                                     ("/work/a/textual/widgets/_label.py", "Label"), True, 0, "")
    assert other_css != here


def _seed_of_another_textual(seed: Path) -> None:
    first, _, rest = seed.read_bytes().partition(b"\n")
    seed.write_bytes(first.replace(b"textual ", b"textual 1:") + b"\n" + rest)


def _seed_cut_short(seed: Path) -> None:
    data = seed.read_bytes()
    seed.write_bytes(data[: len(data) // 2])


def _seed_of_foreign_objects(seed: Path) -> None:
    first, _, _rest = seed.read_bytes().partition(b"\n")
    seed.write_bytes(first + b"\n" + pickle.dumps({b"k": ["not rules"]}))


@pytest.mark.parametrize("spoil", [_seed_of_another_textual, _seed_cut_short, _seed_of_foreign_objects])
async def test_a_seed_this_textual_cannot_use_is_not_read_and_the_css_is_parsed(
        make_test_app, css_parses, tmp_path, spoil):
    seed = tmp_path / "css-rules.seed"
    seed.write_bytes(css_cache.SEED_PATH.read_bytes())
    spoil(seed)
    expected = await _run(make_test_app, tmp_path / "plain", notice=True)
    css_parses.clear()
    assert await _run(make_test_app, tmp_path / css_cache.FILE_NAME, notice=True, seed=seed) == expected
    assert css_parses  # parsed, as without a seed
    assert (tmp_path / css_cache.FILE_NAME).is_file()  # and kept in the user's cache for the next start


def test_the_seed_tool_keeps_the_bytes_of_unchanged_sources(tmp_path):
    # a CSS change rewrites only what changed, so the committed seed's diff stays small
    from tools import css_seed

    out = tmp_path / "seed"
    seed_rules = css_cache.read_seed(css_cache.SEED_PATH)
    assert seed_rules, SEED_HINT
    out.write_bytes(css_cache.SEED_PATH.read_bytes())
    assert css_seed.main(["-o", str(out)]) == 0
    assert out.read_bytes() == css_cache.SEED_PATH.read_bytes(), SEED_HINT
