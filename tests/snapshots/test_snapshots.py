"""SVG snapshots of the main screens at 80x24: an unintended visual change fails here.

Each test runs the real app (``make_app``) over a copy of the seeded data of
``tools/screenshots.py`` (two saved routines, 40 sessions, spinal stenosis
in the profile) with a ``FakeClock`` frozen at a fixed date, no animation and
no blinking cursor, drives it to one screen with the same scene function the
README screenshots use, and compares the picture with ``__snapshots__/``.

After an intended change, look at the new pictures and accept them with
``python -m pytest tests/snapshots --snapshot-update``; a failing run writes
``snapshot_report.html`` with the old and new pictures side by side.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from stretchtui.core.domain.catalog import Catalog, load_catalog
from tools import screenshots as shots

SIZE = (80, 24)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Path:
    """The seeded data directory, made once; every test works on its own copy."""
    return shots.seed_data_dir(tmp_path_factory.mktemp("seed") / "data", catalog)


@pytest.fixture
def app(seeded: Path, tmp_path: Path, catalog: Catalog):
    data_dir = tmp_path / "data"
    shutil.copytree(seeded, data_dir)
    app = shots.build_app(data_dir, catalog)
    yield app
    app.store.close()


def _scene(drive: Callable[[Any], Any]) -> Callable[[Any], Any]:
    async def run_before(pilot: Any) -> None:
        await drive(pilot)
        await shots.settle(pilot)

    return run_before


def test_catalog_lower_back(snap_compare, app):
    """Catalog, lower-back tab: stenosis marks (✖ avoid) beside the names, details of Knee to Chest."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_scene(shots.scene_catalog))


def test_catalog_detail_with_cautions(snap_compare, app):
    """Prone Press-Up for someone with spinal stenosis: the avoid warning and the safer option."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_scene(shots.scene_detail))


def test_builder_mid_drag_insertion_marker(snap_compare, app):
    """A catalog stretch held over the routine: the "add here" marker between items 2 and 3."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_scene(shots.scene_builder_drag))


def test_builder_warnings(snap_compare, app):
    """Backbends with stenosis: marked items and grouped warnings with safer options."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_scene(shots.scene_builder_warnings))


def test_library(snap_compare, app):
    """Saved routines first, then the read-only starters, with the highlighted routine's details."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_scene(shots.scene_library))


def test_profile(snap_compare, app):
    """Conditions (spinal stenosis ticked) and player settings."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_scene(shots.scene_profile))


def test_player_during_a_hold(snap_compare, app):
    """The player 7 s into a 20 s hold: phase, big digits, figure, cues, progress bars."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_scene(shots.scene_player_hold))


def test_player_summary(snap_compare, app):
    """The end of a session: done per stretch, pain before and after, a note."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_scene(shots.scene_player_summary))


def test_history_sessions(snap_compare, app):
    """History: the status line (sessions, minutes, streak) and the sessions, newest first."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_scene(shots.scene_history))


def test_history_progress(snap_compare, app):
    """History, Progress tab: minutes per week, heat map and pain trend."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_scene(shots.scene_history_progress))


def test_first_run_notice(snap_compare, app):
    """The safety notice fits 80x24 with its button visible."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_scene(shots.scene_notice))


LARGE = (120, 40)


def test_player_during_a_hold_120x40(snap_compare, app):
    """The countdown grows with the terminal (solid block digits, phase colour)."""
    assert snap_compare(app, terminal_size=LARGE, run_before=_scene(shots.scene_player_hold))


def test_builder_warnings_120x40(snap_compare, app):
    """The builder's catalog column grows with the terminal."""
    assert snap_compare(app, terminal_size=LARGE, run_before=_scene(shots.scene_builder_warnings))


def test_help_starts_with_this_screen(snap_compare, app):
    """? from the catalog: the catalog's keys first, wrapped descriptions indented."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_scene(shots.scene_help))


# ------------------------------------------------------------------ dialogs added with the path dialog
#: A fixed folder for the export dialog's picture (its path is drawn): recreated with known files.
EXPORTS = Path("/tmp/stretchtui-snapshot-exports")


async def _export_dialog(pilot: Any) -> None:
    # Not shots.settle once the dialog is open: it waits for the workers, and the
    # Library's export worker is waiting for this dialog to close.
    from dataclasses import replace

    from textual.widgets import Input

    shutil.rmtree(EXPORTS, ignore_errors=True)
    (EXPORTS / "from-physio").mkdir(parents=True)
    for name in ("evening.routine.json", "desk-break.routine.json", "notes.txt"):
        (EXPORTS / name).write_text("{}", encoding="utf-8")
    pilot.app.settings = replace(pilot.app.settings, export_folder=EXPORTS)
    await shots.switch(pilot, "3")
    await pilot.press("e")
    for _ in range(3):
        await pilot.pause()
    field = pilot.app.screen.query_one(Input)
    field.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()


def test_export_dialog(snap_compare, app):
    """Export asks where: the folder, the name field, the routine files there, the path to be written."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_export_dialog)


def test_export_dialog_120x40(snap_compare, app):
    assert snap_compare(app, terminal_size=LARGE, run_before=_export_dialog)


def test_too_small_message(snap_compare, app):
    """Below the minimum size: one centred sentence instead of a broken layout."""
    assert snap_compare(app, terminal_size=(50, 15), run_before=_scene(shots.settle))
