"""SVG snapshot of the player while a figure moves (cat-cow, part way
through a rep), at 80x24. The clock is a FakeClock, so the frame is the same
on every run. Accept an intended change with ``--snapshot-update``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stretchtui.core.domain.catalog import Catalog, load_catalog
from stretchtui.core.domain.models import Routine, RoutineItem
from tools import screenshots as shots

SIZE = (80, 24)
MOVING = Routine("Cat-cow and sphinx", (RoutineItem("cat-cow", hold=10, reps=3), RoutineItem("sphinx")))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Path:
    return shots.seed_data_dir(tmp_path_factory.mktemp("seed") / "data", catalog)


@pytest.fixture
def app(seeded: Path, tmp_path: Path, catalog: Catalog):
    data_dir = tmp_path / "data"
    shutil.copytree(seeded, data_dir)
    app = shots.build_app(data_dir, catalog)
    app.animation_level = "basic"  # figures move; nothing else is animated at this level here
    yield app
    app.store.close()


async def scene_player_moving(pilot) -> None:
    from stretchtui.ui.screens.player import PlayerScreen
    from stretchtui.ui.widgets.figure import FigureView

    await shots.settle(pilot)
    pilot.app.play_routine(MOVING, acknowledged=True)  # the scene profile (stenosis) warns about the sphinx
    await shots.settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PlayerScreen)
    clock, engine = pilot.app.clock, screen.engine
    while not (engine.step.kind == "rep" and engine.step.rep == 2):
        clock.advance(0.5)
        screen.tick()
    clock.advance(3.0)  # 3 s into a 10 s rep: on the way from cat to cow
    screen.tick()
    screen.query_one("#player-figure", FigureView)._frame()
    pilot.app.animation_level = "none"  # freeze the bars for the picture
    from stretchtui.ui.widgets.countdown import EasedBar

    for bar in screen.query(EasedBar):
        bar.finish()  # a glide's frames come from a real-time timer: under load it may be mid-way
    await shots.settle(pilot)


def test_player_mid_movement(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=scene_player_moving)


async def scene_builder_preview(pilot) -> None:
    from stretchtui.ui.screens.builder import BuilderScreen
    from stretchtui.ui.widgets.catalog_picker import CatalogList

    await shots.settle(pilot)
    pilot.app.animation_level = "none"  # the preview's still form: the end position
    await pilot.press("2")
    await shots.settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, BuilderScreen)
    catalog_list = screen.query_one(CatalogList)
    catalog_list.focus()
    ids = [catalog_list.get_option_at_index(i).id for i in range(catalog_list.option_count)]
    catalog_list.highlighted = ids.index("bridge")
    await shots.settle(pilot)


def test_builder_preview(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=scene_builder_preview)


def test_builder_preview_120x40(snap_compare, app):
    assert snap_compare(app, terminal_size=(120, 40), run_before=scene_builder_preview)
