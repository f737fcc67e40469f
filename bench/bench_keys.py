"""Key to frame in the Catalog at 120x40: moving the highlight down and up the list.

Pilot-driven, in-process, 120x40, the real catalog, a profile with two
conditions (so every row has its safety mark and the details pane its "For
you" cautions). The list has the focus; a fixed script of ``down`` and ``up``
keys walks the list down and back (each key shows another stretch in the
details pane: its figure, steps, cues, cautions).

One key is timed from posting the key event to the app (as the terminal
driver does) until the details pane shows the newly highlighted stretch,
every widget has processed its pending messages, and the screen's update has
been laid out and rendered (``screen._on_timer_update()``: layout +
compositor, what the next frame tick does). Not included: the wait for the
frame tick (at most 1/60 s, the same for any app) and the terminal write
(headless driver).

Reference, in the same run and the same way: a bare Textual app with an
OptionList of the same 42 names beside a Static (no details drawn), so the
ratio says what our details cost over Textual's own key handling. The goals
are absolute: median <= 30 ms and 95th percentile <= 50 ms.

    .venv/bin/python -m bench.bench_keys [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

SIZE = (120, 40)
MEDIAN_GOAL_MS = 30.0
P95_GOAL_MS = 50.0
CONDITIONS = ("disc-herniation", "sciatica")


def _script(count: int) -> list[str]:
    steps = min(count - 1, 30)
    return ["down"] * steps + ["up"] * steps


async def _press(app, pilot, key: str, done) -> tuple[float, float]:
    from textual import events

    driver = app._driver
    assert driver is not None
    event = events.Key(key, None)
    event.set_sender(app)
    c0 = time.process_time()
    t0 = time.perf_counter()
    driver.send_message(event)
    while not done():
        await asyncio.sleep(0)
    await pilot._wait_for_screen()
    app.screen._on_timer_update()
    return time.perf_counter() - t0, time.process_time() - c0


async def _ours(data_dir: Path, cpu: list[float]) -> list[float]:
    from stretchtui.core.clock import FakeClock
    from stretchtui.core.domain.catalog import load_catalog
    from stretchtui.core.domain.models import Profile
    from stretchtui.core.storage.store import open_store
    from stretchtui.ui.app import make_app
    from stretchtui.ui.screens.catalog import CatalogScreen
    from stretchtui.ui.widgets.stretch_detail import StretchDetail

    store = open_store(data_dir)
    store.set_profile(Profile(conditions=CONDITIONS, seen_notice=True))
    times: list[float] = []
    try:
        app = make_app(store, load_catalog(), FakeClock(), show_notice=False)
        app.freeze_after_start = 0.5  # as the command line runs it (commands/app_cmd.run_app: 1 s)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, CatalogScreen)
            stretch_list = screen.stretch_list
            detail = screen.query_one("#catalog-detail", StretchDetail)
            assert app.focused is stretch_list
            ids = stretch_list.stretch_ids
            await pilot.pause(0.7)
            for key in _script(len(ids)):
                index = stretch_list.highlighted or 0
                target = ids[index + (1 if key == "down" else -1)]
                wall, used = await _press(app, pilot, key,
                                          lambda t=target: detail.stretch is not None and detail.stretch.id == t)
                times.append(wall)
                cpu.append(used)
                await asyncio.sleep(0.005)  # let timers run between keys, as a user would
    finally:
        store.close()
    return times


async def _bare(names: list[str], cpu: list[float]) -> list[float]:
    from textual.app import App
    from textual.containers import Horizontal
    from textual.widgets import OptionList, Static

    class Bare(App):
        CSS = "#list { width: 40; height: 1fr; } #detail { width: 1fr; }"

        def compose(self):
            with Horizontal():
                yield OptionList(*names, id="list")
                yield Static("details", id="detail")

        def on_mount(self):
            self.query_one(OptionList).focus()

        def on_option_list_option_highlighted(self, event):
            self.shown = event.option_index
            self.query_one(Static).update(names[event.option_index])

    app = Bare()
    app.shown = 0
    times: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        option_list = app.query_one(OptionList)
        await pilot.pause(0.2)
        for key in _script(len(names)):
            target = (option_list.highlighted or 0) + (1 if key == "down" else -1)
            wall, used = await _press(app, pilot, key, lambda t=target: app.shown == t)
            times.append(wall)
            cpu.append(used)
            await asyncio.sleep(0.005)
    return times


def measure(runs: int = 3) -> dict:
    from stretchtui.core.domain.catalog import load_catalog

    names = [s.name for s in load_catalog().stretches.values()]
    ours: list[float] = []
    bare: list[float] = []
    ours_cpu: list[float] = []
    bare_cpu: list[float] = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            ours += asyncio.run(_ours(Path(tmp) / f"d{run}", ours_cpu))
            bare += asyncio.run(_bare(names, bare_cpu))
    return {
        "median_ms": statistics.median(ours) * 1000,
        "p95_ms": statistics.quantiles(ours, n=20)[-1] * 1000,
        "max_ms": max(ours) * 1000,
        "bare_ms": statistics.median(bare) * 1000,
        "bare_p95_ms": statistics.quantiles(bare, n=20)[-1] * 1000,
        "cpu_ms": statistics.median(ours_cpu) * 1000,
        "bare_cpu_ms": statistics.median(bare_cpu) * 1000,
        "keys": len(ours),
        "runs": runs,
        "load": f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after",
    }


def run(runs: int = 3) -> dict:
    """Rows for bench/run.py."""
    m = measure(runs)
    ok = m["median_ms"] <= MEDIAN_GOAL_MS and m["p95_ms"] <= P95_GOAL_MS
    return {
        "keys": {
            "figure": "Catalog key to frame at 120x40 (down/up through the list)",
            "value": m["median_ms"],
            "reference": m["bare_ms"],
            "unit": "ms",
            "goal": float("inf"),
            "abs_ok": ok,
            "goal_text": f"median ≤ {MEDIAN_GOAL_MS:g} ms, p95 ≤ {P95_GOAL_MS:g} ms",
            "runs": m["keys"],
            "note": (f"median of {m['keys']} keys ({m['runs']} runs, interleaved with the reference: a bare "
                     f"Textual OptionList + Static of the same names); 95th percentile {m['p95_ms']:.1f} ms "
                     f"(reference {m['bare_p95_ms']:.1f} ms), max {m['max_ms']:.1f} ms; process CPU per key "
                     f"{m['cpu_ms']:.1f} ms (reference {m['bare_cpu_ms']:.1f} ms); {m['load']}"),
        }
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    m = measure(max(1, args.runs))
    print(f"key to frame: median {m['median_ms']:.1f} ms, p95 {m['p95_ms']:.1f} ms, max {m['max_ms']:.1f} ms "
          f"({m['keys']} keys); CPU per key {m['cpu_ms']:.1f} ms")
    print(f"bare OptionList: median {m['bare_ms']:.1f} ms, p95 {m['bare_p95_ms']:.1f} ms; CPU {m['bare_cpu_ms']:.1f} ms")
    print(m["load"])
    ok = m["median_ms"] <= MEDIAN_GOAL_MS and m["p95_ms"] <= P95_GOAL_MS
    print(f"goal median <= {MEDIAN_GOAL_MS} ms and p95 <= {P95_GOAL_MS} ms: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
