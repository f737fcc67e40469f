"""Start-up imports only what the first screen needs (bench/bench_startup.py measures the time).

The app is started the way ``stretchtui`` starts it (the CLI's command module,
the store, the config, ``make_app`` with the catalog's loader), headless, in a fresh
Python process; the modules loaded at the moment its first frame is drawn
are listed. Every other screen, dialog, the figures, the history side, the
reports and the player's countdown load on first use: when one of them comes
back at start-up, this test names it (and the start-up time grows with every
feature again).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

#: Modules that must not be loaded when the first frame is drawn (prefixes end with a dot).
NOT_AT_START = (
    # other screens and dialogs: built on first visit
    "stretchtui.ui.screens.builder", "stretchtui.ui.screens.library", "stretchtui.ui.screens.profile",
    "stretchtui.ui.screens.history", "stretchtui.ui.screens.player", "stretchtui.ui.screens.dialogs",
    "stretchtui.ui.screens.checkin", "stretchtui.ui.screens.too_small", "stretchtui.ui.screens.help",
    "stretchtui.ui.screens.psfs", "stretchtui.ui.screens.safety_gate", "stretchtui.ui.screens.path_dialog",
    "stretchtui.ui.screens.session_summary", "stretchtui.ui.screens.checklist",
    # figures: drawn after the first frame; the countdown and charts: on their screens
    "stretchtui.ui.widgets.figure", "stretchtui.core.domain.pose", "stretchtui.core.reports.",
    "stretchtui.ui.widgets.countdown", "stretchtui.ui.widgets.history_charts", "stretchtui.ui.widgets.breathing",
    "stretchtui.ui.widgets.routine_list",
    # the history side of the store, the player and what only they use
    "stretchtui.core.domain.session", "stretchtui.core.domain.player", "stretchtui.core.domain.psfs",
    "stretchtui.core.domain.timeline", "stretchtui.core.domain.progression", "stretchtui.core.domain.checkin",
    "stretchtui.core.domain.flare", "stretchtui.core.domain.red_flags", "stretchtui.core.domain.cues",
    "stretchtui.core.storage.history_file", "stretchtui.core.storage.routine_file",
    "stretchtui.core.storage.schedule",
    # the palette's entries (loaded when it first opens)
    "stretchtui.ui.commands",
    # third-party packages of other features, and the full command-line parser
    "pyfiglet", "icalendar", "textual_serve", "shtab", "argparse",
)

SCRIPT = r"""
import asyncio, json, sys, tempfile

from stretchtui.commands import app_cmd  # what `stretchtui` imports first
from stretchtui.core.clock import SystemClock
from stretchtui.core.domain.models import Profile
from stretchtui.core.storage.config import load_config
from stretchtui.core.storage.store import open_store

returning = sys.argv[1] != "new"
wanted = sys.argv[2]  # the first screen: a new user's first frame is the safety notice
data_dir = tempfile.mkdtemp()
if returning:
    store = open_store(data_dir)
    store.set_profile(Profile(seen_notice=True))
    store.close()
if sys.argv[1].startswith("left-on-"):  # where the user left off: that screen, a draft in the builder
    from pathlib import Path

    draft = {"saved": None, "dirty": True, "routine": {"name": "Draft", "items": [{"stretch": "cat-cow"}]}}
    Path(data_dir, "ui-state.json").write_text(json.dumps(
        {"stretchtui": "ui-state", "version": 1, "mode": sys.argv[1].removeprefix("left-on-"), "builder": draft}))
seen = []


async def main():
    from textual.app import App

    from stretchtui.ui.app import make_app

    display = App._display

    def first(self, screen, renderable):
        if not seen and renderable is not None and type(screen).__name__ == wanted:
            seen.append((type(screen).__name__, sorted(sys.modules)))
        return display(self, screen, renderable)

    App._display = first
    store = open_store(data_dir)
    app = make_app(store=store, catalog=app_cmd._load_catalog, clock=SystemClock(), settings=load_config())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        after = sorted(sys.modules)
    store.close()
    print(json.dumps({"screen": seen[0][0] if seen else None, "first": seen[0][1] if seen else [], "after": after}))

asyncio.run(main())
"""


def _modules(kind: str, screen: str, tmp_path) -> dict:
    env_config = tmp_path / "none.toml"  # no user config: the defaults
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, kind, screen], capture_output=True, text=True, timeout=120,
        env={**os.environ, "STRETCHTUI_CONFIG": str(env_config)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _unwanted(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == bad or (bad.endswith(".") and m.startswith(bad)) or
                                      m.startswith(bad + ".") for bad in NOT_AT_START)]


@pytest.mark.parametrize("kind,screen", [("returning", "CatalogScreen"), ("new", "NoticeScreen"),
                                         ("left-on-catalog", "CatalogScreen"), ("left-on-library", "LibraryScreen")])
def test_the_first_frame_imports_only_what_the_first_screen_needs(tmp_path, kind, screen):
    """A user who left the app on the catalog (with a draft in the builder) starts like any
    returning one: the builder is built when first shown. One who left it on the library starts
    there: that screen's module, and no other screen's."""
    seen = _modules(kind, screen, tmp_path)
    assert seen["screen"] == screen
    # the notice is a dialog listing the red flags: a new user's first frame needs both, a returning one's neither
    allowed = {"stretchtui.ui.screens.dialogs", "stretchtui.core.domain.red_flags"} if kind == "new" else set()
    if kind == "left-on-library":  # the library's own modules, and not the builder holding the draft, nor any other mode
        others = ("builder", "profile", "history", "player", "catalog_picker", "routine_list")
        assert [m for m in seen["first"] if m.startswith("stretchtui.ui.") and m.rsplit(".", 1)[-1] in others] == []
    else:
        assert [m for m in _unwanted(seen["first"]) if m not in allowed] == []
    if kind == "new":  # the notice alone: no catalog screen under it, and no catalog loaded
        assert "stretchtui.ui.screens.catalog" not in seen["first"]
        assert "stretchtui.core.domain.catalog" not in seen["first"]
        assert "stretchtui.core.domain.stretch" not in seen["first"]  # its data classes: compiled later
        assert "stretchtui.core.domain.rules" not in seen["first"]  # its text alone, not the safety rules
    # the test can fail: right after the first frame, the figures are drawn (their modules load)
    assert "stretchtui.ui.widgets.figure" in seen["after"] or kind in ("new", "left-on-library")
    assert "stretchtui.core.domain.pose" not in seen["first"]


@pytest.mark.parametrize("argv", [[], ["--data-dir", "d"], ["--data-dir=d", "--speed", "3"], ["--speed=0.5"]])
def test_starting_the_app_parses_like_the_full_parser_without_building_it(argv):
    from stretchtui.cli import _app_only, build_parser

    fast = _app_only(argv)
    assert fast is not None and vars(fast) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [["catalog"], ["--help"], ["--data-dir"], ["--speed", "0"], ["--data-dir", "-x"],
                                  ["--data-dir", "a", "--data-dir", "b"], ["--version"]])
def test_anything_else_goes_to_the_full_parser(argv):
    from stretchtui.cli import _app_only

    assert _app_only(argv) is None


def test_starting_the_app_does_not_load_the_argument_parser():
    # `stretchtui` with no command reads its two options itself: argparse (with gettext) is
    # loaded for every other command, not for the app's start.
    # Nor how to print runnable hints: the app prints none.
    code = ("import sys; from stretchtui.cli import _app_only, _runnable_output; "
            "from stretchtui.commands import app_cmd; "
            "args = _app_only(['--data-dir', 'd']); _runnable_output(args); "
            "print(args.data_dir, 'argparse' in sys.modules, 'stretchtui.core.invocation' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["d", "False", "False"]
