"""Screenshots of every screen: ``python tools/screenshots.py [--out DIR]``.

Runs the real app headless (``App.run_test``) over a temporary data
directory seeded with two saved routines, a profile (spinal stenosis) and
about 40 sessions spread over the ten weeks before a fixed date, with a
:class:`~stretchtui.core.clock.FakeClock`. Cursor blinking and animations are
off, so every run writes the same pictures. Each scene gets a fresh app.

Writes ``<scene>.svg`` for every scene into ``screenshots/`` (next to the
package when run from a checkout, else the current directory) and, when
``rsvg-convert`` (Debian: ``librsvg2-bin``) is installed, a ``.png`` beside it.

The snapshot tests (``tests/snapshots``) reuse :func:`seed_data_dir`,
:func:`build_app` and the scene drivers so the pictures and the tests show
the same thing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

if not __package__:  # run as `python tools/NAME.py`: import this checkout's package
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stretchtui.core.clock import FakeClock
from stretchtui.core.domain.catalog import Catalog, load_catalog
from stretchtui.core.domain.models import Profile, Routine, RoutineItem

#: The fake "now" of every screenshot: Monday 16 March 2026, 08:30 UTC.
NOW = datetime(2026, 3, 16, 8, 30, tzinfo=timezone.utc)
#: Size of the main set of screenshots, and of the small set.
SIZE = (100, 30)
SMALL = (80, 24)

#: The profile of the pictures: spinal stenosis, so the catalog and builder show warnings.
PROFILE = Profile(conditions=("spinal-stenosis",), seen_notice=True, checklist=False)

MORNING = Routine(
    name="Morning back",
    notes="Slow and easy, before breakfast.",
    items=(
        RoutineItem("ankle-pumps"),
        RoutineItem("pelvic-tilt"),
        RoutineItem("knee-to-chest", hold=20, reps=3),
        RoutineItem("lower-trunk-rotation"),
        RoutineItem("cat-cow"),
        RoutineItem("childs-pose"),
    ),
)
DESK = Routine(
    name="Desk break",
    notes="Between meetings.",
    items=(
        RoutineItem("shoulder-rolls"),
        RoutineItem("chin-tuck"),
        RoutineItem("upper-trapezius-stretch"),
        RoutineItem("doorway-stretch"),
    ),
)
#: A routine that conflicts with spinal stenosis (for the warnings picture; not saved).
ARCHING = Routine(
    name="Back arch series",
    items=(
        RoutineItem("prone-press-up"),
        RoutineItem("cobra"),
        RoutineItem("knee-to-chest"),
        RoutineItem("sphinx"),
    ),
)


# ====================================================================== data
def _session(routine: Routine, catalog: Catalog, started: datetime, rng: random.Random, status: str) -> dict:
    """A session document (see :mod:`stretchtui.core.domain.session`) for ``routine``."""
    items = []
    done_steps = skipped_steps = total = 0
    active = 0.0
    for index, item in enumerate(routine.items):
        stretch = catalog.get(item.stretch)
        assert stretch is not None, item.stretch
        r = item.resolved(stretch)
        sides = ["left", "right"] if r.sides == "each" else [r.sides if r.sides in ("left", "right") else "both"]
        reps = r.reps or 1
        done: dict[str, int] = {}
        skipped: dict[str, int] = {}
        for side in sides:
            total += reps
            if status != "completed" and index >= len(routine.items) // 2:
                done[side], skipped[side] = 0, 0  # never reached
                continue
            skip = 1 if rng.random() < 0.12 and reps > 1 else 0
            done[side], skipped[side] = reps - skip, skip
            done_steps += reps - skip
            skipped_steps += skip
            active += (reps - skip) * (r.hold or 5) + (r.rest or 0)
        items.append(
            {
                "stretch": stretch.id, "name": stretch.name, "mode": stretch.dosage.mode,
                "hold": r.hold, "reps": r.reps, "sides": r.sides, "rest": r.rest,
                "done": done, "skipped": skipped,
            }
        )
    before = rng.choice([3, 4, 4, 5, 5, 6])
    after = max(0, before - rng.choice([0, 1, 1, 2, 2, 3]))
    if status == "symptoms":
        after = before + 1
    return {
        "schema": 1,
        "routine": routine.name,
        "started": started.isoformat(),
        "ended": (started + timedelta(seconds=active + 30)).isoformat(),
        "status": status,
        "counted": True,
        "stop_reason": {"stopped": "user", "symptoms": "symptoms"}.get(status),
        "active_seconds": float(round(active)),
        "planned_seconds": int(active * 1.1) + 30,
        "items": items,
        "steps_done": done_steps,
        "steps_skipped": skipped_steps,
        "steps_total": total,
        "pain_before": before,
        "pain_after": after,
        "note": "",
    }


def seed_sessions(catalog: Catalog, now: datetime = NOW, count: int = 40) -> list[dict]:
    """``count`` sessions over the ten weeks before ``now`` (fixed: same list every time)."""
    rng = random.Random(20260316)
    span = 70
    start = (now - timedelta(days=span)).replace(hour=0, minute=0, second=0, microsecond=0)
    # Finish on a streak: the last five days before today are all there.
    recent = set(range(span - 5, span))
    days = sorted(set(rng.sample(range(span - 6), count - len(recent))) | recent)
    docs = []
    for n, day in enumerate(days):
        routine = DESK if n % 4 == 3 else MORNING
        hour = 12 if routine is DESK else 7
        started = start + timedelta(days=day, hours=hour, minutes=rng.choice([0, 10, 15, 25, 40]))
        status = "completed"
        if n in (6, 21):
            status = "stopped"
        elif n == 13:
            status = "symptoms"
        docs.append(_session(routine, catalog, started, rng, status))
    # Yesterday's session has its day-after check-in, so no scene opens with that question.
    docs[-1]["checkin"] = {"answer": "better", "at": now.isoformat(timespec="seconds")}
    return docs


def seed_data_dir(data_dir: Path, catalog: Catalog | None = None, now: datetime = NOW) -> Path:
    """Fill ``data_dir`` with the pictures' profile, routines and sessions."""
    from stretchtui.core.storage.store import open_store

    catalog = catalog or load_catalog()
    store = open_store(data_dir)
    try:
        store.set_profile(PROFILE)
        store.save_routine(MORNING)
        store.save_routine(DESK)
        for doc in seed_sessions(catalog, now):
            store.append_session(doc)
    finally:
        store.close()
    return Path(data_dir)


def build_app(data_dir: Path, catalog: Catalog | None = None, clock: FakeClock | None = None) -> Any:
    """The real app (``make_app``) over ``data_dir``, time frozen, no notice, no animation."""
    from stretchtui.core.storage.store import open_store
    from stretchtui.ui.app import make_app

    store = open_store(data_dir)
    app = make_app(store, catalog or load_catalog(), clock or FakeClock(NOW), show_notice=False)
    app.animation_level = "none"
    # The player: no red-flag checklist first, and a slow timer (the clock only moves when told).
    app.player_options = {"checklist": False, "tick_interval": 3600.0}
    return app


# ====================================================================== helpers
async def settle(pilot: Any) -> None:
    """Let the app finish what it is doing: messages, workers, layout; then stop cursors blinking."""
    from textual.widgets import Input

    app = pilot.app
    writer = getattr(app, "writer", None)  # store writes run on the app's writer thread
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
        if writer is not None:
            await asyncio.to_thread(writer.wait)
    await pilot.wait_for_scheduled_animations()
    for screen in app.screen_stack:
        for widget in screen.query(Input):
            widget.cursor_blink = False
    app.clear_notifications()
    await pilot.pause()


async def switch(pilot: Any, key: str) -> None:
    await pilot.press(key)
    await settle(pilot)


async def highlight(option_list: Any, option_id: str) -> None:
    option_list.highlighted = option_list.get_option_index(option_id)


# ====================================================================== scenes
async def scene_catalog(pilot: Any) -> None:
    """The catalog, lower back, with the stenosis marks."""
    await settle(pilot)
    await pilot.press("r")  # next region: lower back
    await settle(pilot)
    await highlight(pilot.app.screen.query_one("#catalog-list"), "knee-to-chest")
    await settle(pilot)


async def scene_detail(pilot: Any) -> None:
    """A stretch's details with its cautions: prone press-up for someone with spinal stenosis."""
    await settle(pilot)
    await highlight(pilot.app.screen.query_one("#catalog-list"), "prone-press-up")
    await settle(pilot)
    pilot.app.screen.query_one("#catalog-detail-scroll").focus()
    await settle(pilot)


async def _builder_with(pilot: Any, routine: Routine) -> Any:
    await settle(pilot)
    await pilot.app.open_in_builder(routine)
    await settle(pilot)
    return pilot.app.screen


async def scene_builder_drag(pilot: Any) -> None:
    """Mid-drag: a catalog stretch held over the routine, the insertion marker showing where it lands."""
    screen = await _builder_with(pilot, MORNING)
    catalog_list = screen.query_one("#builder-catalog-list")
    routine_list = screen.query_one("#builder-routine")
    ids = [catalog_list.get_option_at_index(i).id for i in range(catalog_list.option_count)]
    row = ids.index("hamstring-stretch")
    catalog_list.scroll_to(y=max(0, row - 3), animate=False)
    await settle(pilot)
    row_on_screen = row - int(catalog_list.scroll_offset.y)
    await pilot.mouse_down(catalog_list, offset=(4, 1 + row_on_screen))
    await pilot.hover(catalog_list, offset=(6, 1 + row_on_screen))
    await pilot.hover(routine_list, offset=(10, 3))
    await pilot.hover(routine_list, offset=(12, 3))
    await settle(pilot)


async def scene_builder_warnings(pilot: Any) -> None:
    """A routine of backbends with stenosis in the profile: warnings and safer options."""
    screen = await _builder_with(pilot, ARCHING)
    screen.query_one("#builder-warnings").focus()
    await settle(pilot)


async def scene_library(pilot: Any) -> None:
    """Saved routines first, then the starters."""
    await switch(pilot, "3")


async def scene_profile(pilot: Any) -> None:
    """Conditions and player settings."""
    await switch(pilot, "4")


async def _play(pilot: Any, routine: Routine) -> Any:
    from stretchtui.ui.screens.player import PlayerScreen

    await settle(pilot)
    # The scene's profile (spinal stenosis) may give the routine avoid warnings:
    # the picture is of the player after they were accepted in the safety dialog.
    pilot.app.play_routine(routine, acknowledged=True)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PlayerScreen), screen
    return screen


async def scene_player_hold(pilot: Any) -> None:
    """The player during a hold: big countdown, figure, cues and both progress bars."""
    screen = await _play(pilot, MORNING)
    clock = pilot.app.clock
    engine = screen.engine
    # Let the session run, a second at a time, into the first knee-to-chest hold.
    for _ in range(3000):
        if engine.step.kind == "hold" and engine.step.stretch_id == "knee-to-chest":
            break
        clock.advance(1.0)
        screen.tick()
    clock.advance(7.25)
    screen.tick()
    await settle(pilot)


async def scene_player_summary(pilot: Any) -> None:
    """The end of a session: what was done, pain before and after, a note."""
    from textual.widgets import Input

    screen = await _play(pilot, DESK)
    clock = pilot.app.clock
    for _ in range(2000):
        if screen.engine.finished:
            break
        clock.advance(5.0)
        screen.tick()
    await settle(pilot)
    await pilot.press("1")  # how the last stretch felt (asked before the summary): better
    await settle(pilot)
    summary = pilot.app.screen
    for widget_id, value in (("#summary-pain-before", "5"), ("#summary-pain-after", "3")):
        summary.query_one(widget_id, Input).value = value
    summary.query_one("#summary-note", Input).value = "Neck felt looser after the doorway stretch."
    await settle(pilot)


async def scene_history(pilot: Any) -> None:
    """Past sessions, newest first."""
    await switch(pilot, "5")


async def scene_history_progress(pilot: Any) -> None:
    """Streaks, minutes per week, the heat map and the pain trend."""
    await switch(pilot, "5")
    await switch(pilot, "p")


async def scene_help(pilot: Any) -> None:
    """The help screen (keys of the screen below, read from the code)."""
    await settle(pilot)
    await switch(pilot, "question_mark")


async def scene_notice(pilot: Any) -> None:
    """The safety notice, as the palette shows it again over the catalog (on a first run it is the
    first screen, on its own: tests/ui/test_first_frame.py)."""
    await settle(pilot)
    pilot.app.action_show_notice()
    await settle(pilot)


@dataclass(frozen=True)
class Scene:
    name: str
    drive: Callable[[Any], Awaitable[None]]
    size: tuple[int, int] = SIZE


SCENES: tuple[Scene, ...] = (
    Scene("catalog", scene_catalog),
    Scene("detail", scene_detail),
    Scene("builder-drag", scene_builder_drag),
    Scene("builder-warnings", scene_builder_warnings),
    Scene("library", scene_library),
    Scene("profile", scene_profile),
    Scene("player-hold", scene_player_hold),
    Scene("player-summary", scene_player_summary),
    Scene("history", scene_history),
    Scene("history-progress", scene_history_progress),
    Scene("notice", scene_notice),
    # The small set: what a default 80x24 SSH terminal shows.
    Scene("80x24-catalog", scene_detail, SMALL),
    Scene("80x24-builder", scene_builder_warnings, SMALL),
    Scene("80x24-player", scene_player_hold, SMALL),
    Scene("80x24-history", scene_history, SMALL),
)


# ====================================================================== writing
async def take(scene: Scene, template: Path, out: Path, catalog: Catalog) -> Path:
    """Run ``scene`` on a fresh copy of the seeded data and save its SVG in ``out``."""
    with tempfile.TemporaryDirectory(prefix="stretchtui-shot-") as tmp:
        data_dir = Path(tmp) / "data"
        shutil.copytree(template, data_dir)
        app = build_app(data_dir, catalog)
        try:
            async with app.run_test(size=scene.size) as pilot:
                await scene.drive(pilot)
                path = app.save_screenshot(f"{scene.name}.svg", path=str(out))
        finally:
            app.store.close()
    return Path(path)


def to_png(svg: Path, converter: str | None) -> Path | None:
    if converter is None:
        return None
    png = svg.with_suffix(".png")
    # Textual's SVG writes leading blanks as no-break spaces, which librsvg drops at the start
    # of a <text> without xml:space="preserve": an indented line would show at column 0.
    text = svg.read_text(encoding="utf-8").replace("<svg ", '<svg xml:space="preserve" ', 1)
    subprocess.run([converter, "-o", str(png)], input=text.encode("utf-8"), check=True)
    return png


def default_out() -> Path:
    repo = Path(__file__).resolve().parent.parent
    if (repo / "pyproject.toml").exists() and (repo / "screenshots").is_dir():
        return repo / "screenshots"
    return Path.cwd() / "screenshots"


async def take_all(out: Path, names: list[str] | None = None, png: bool = True) -> list[Path]:
    catalog = load_catalog()
    out.mkdir(parents=True, exist_ok=True)
    converter = shutil.which("rsvg-convert") if png else None
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="stretchtui-seed-") as tmp:
        template = seed_data_dir(Path(tmp) / "data", catalog)
        for scene in SCENES:
            if names and scene.name not in names:
                continue
            svg = await take(scene, template, out, catalog)
            written.append(svg)
            made = to_png(svg, converter)
            if made is not None:
                written.append(made)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/screenshots.py", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="output directory (default: screenshots/)")
    parser.add_argument("--no-png", action="store_true", help="only write SVG files")
    parser.add_argument("scenes", nargs="*", metavar="SCENE", help=f"only these ({', '.join(s.name for s in SCENES)})")
    args = parser.parse_args(argv)
    unknown = [n for n in args.scenes if n not in {s.name for s in SCENES}]
    if unknown:
        parser.error(f"unknown scene(s): {', '.join(unknown)}")
    out = args.out or default_out()
    written = asyncio.run(take_all(out, args.scenes or None, png=not args.no_png))
    for path in written:
        print(path)
    if not args.no_png and shutil.which("rsvg-convert") is None:
        print("rsvg-convert not found (apt-get install librsvg2-bin): wrote SVG only", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
