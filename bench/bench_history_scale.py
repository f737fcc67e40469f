"""Benchmark: history-wide commands with 20,000 sessions over 20 years vs 10 (issue 25).

Goal: each <= 1.5x in whole-process time and in peak memory (ru_maxrss):

* ``stretchtui summary``
* ``stretchtui suggest "Routine 0"``
* ``stretchtui history --json`` (written to /dev/null; it streams, so its memory stays flat)

Each run is a fresh process (``os.wait4`` gives wall time and peak memory);
small and large runs alternate so load from other programs hits both; the
first round is a warm-up, not kept (it also builds the per-year aggregate
caches, as the first command after a year file changes does). The cold
figures (every cache deleted first) are given in the notes.

    .venv/bin/python -m bench.bench_history_scale [--repeat 5] [--large 20000] [--years 20]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from bench.bench_history import session_doc
from bench.bench_scale import _python, _run_rss, seed

SMALL = 10
GOAL = 1.5
COMMANDS = {
    "summary": ["summary"],
    "suggest": ["suggest", "Routine 0"],
    "history_json": ["history", "--json"],
    "app_history": ["app-history"],
}


#: The app opened headless (80x24) on History until its first view is filled; prints the seconds
#: from pressing 5 to the first session row (the process's peak memory comes from wait4).
_APP_HISTORY = """
import asyncio, sys, time
from datetime import datetime, timezone
from stretchtui.core.clock import FakeClock
from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.storage.store import open_store
from stretchtui.ui.app import make_app

async def main():
    store = open_store(sys.argv[1])
    app = make_app(store, load_catalog(), FakeClock(datetime(2026, 3, 10, 12, tzinfo=timezone.utc)), show_notice=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        t = time.perf_counter()
        await pilot.press("5")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one("#history-table").row_count > 0
        print(time.perf_counter() - t)

asyncio.run(main())
"""


#: Runs a command (``stretchtui ARGS`` or ``-c CODE ARGS``) and writes the process's peak memory
#: after exec (VmHWM) to the file named first: ru_maxrss would also count the benchmark's own
#: memory, which a spawned child maps before it execs.
_HWM = """
import runpy, sys
out, args = sys.argv[1], sys.argv[2:]
try:
    if args[0] == "-c":
        sys.argv = ["-c", *args[2:]]
        exec(compile(args[1], "<bench>", "exec"), {"__name__": "__main__"})
    else:
        sys.argv = ["stretchtui", *args]
        runpy.run_module("stretchtui", run_name="__main__", alter_sys=True)
finally:
    with open("/proc/self/status") as status:
        kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    with open(out, "w") as f:
        f.write(str(kib))
"""


def _run_hwm(py: str, args: list[str]) -> tuple[float, float]:
    """Run ``args`` under :data:`_HWM`: (wall s, peak resident memory MiB of that process)."""
    fd, out = tempfile.mkstemp(prefix="bench_hwm_")
    os.close(fd)
    try:
        wall, _ = _run_rss([py, "-c", _HWM, out, *args])
        return wall, int(Path(out).read_text()) / 1024
    finally:
        os.unlink(out)


def _argv(py: str, cmd: list[str], data_dir: Path) -> list[str]:
    """The arguments for :func:`_run_hwm`."""
    if cmd == ["app-history"]:
        return ["-c", _APP_HISTORY, str(data_dir)]
    return [*cmd, "--data-dir", str(data_dir)]


def measure(repeat: int = 5, large: int = 20_000, years: int = 20, only: tuple[str, ...] = tuple(COMMANDS)) -> dict:
    py = _python()
    root = Path(tempfile.mkdtemp(prefix="bench_hscale_"))
    try:
        dirs = {SMALL: root / "small", large: root / "large"}
        seed(dirs[SMALL], SMALL, make_doc=session_doc)
        seed(dirs[large], large, make_doc=session_doc)  # one or two a day, over 20 years at 20,000
        cold = {}
        for key in only:
            for n, d in dirs.items():
                for cache in d.glob("*.cache"):
                    cache.unlink()
                cold[key, n] = _run_hwm(py, _argv(py, COMMANDS[key], d))
        wall: dict = {(k, n): [] for k in only for n in dirs}
        rss: dict = {(k, n): [] for k in only for n in dirs}
        for round_ in range(repeat + 1):
            for key in only:
                for n, d in dirs.items():
                    w, m = _run_hwm(py, _argv(py, COMMANDS[key], d))
                    if round_:
                        wall[key, n].append(w)
                        rss[key, n].append(m)
        med = statistics.median
        return {"large": large, "repeat": repeat, "cold": cold,
                "wall": {k: med(v) for k, v in wall.items()}, "rss": {k: med(v) for k, v in rss.items()},
                "spread": {k: (min(v), max(v)) for k, v in wall.items()}}
    finally:
        shutil.rmtree(root, ignore_errors=True)


#: What each command is, for bench/RESULTS.md.
FIGURES = {
    "summary": "`stretchtui summary`",
    "suggest": "`stretchtui suggest`",
    "history_json": "`stretchtui history --json`",
    "app_history": "the app's History, key to first session row",
}


def run(repeat: int = 3, large: int = 20_000) -> dict:
    """Rows for bench/run.py: time and peak memory of each command at ``large`` sessions vs 10."""
    m = measure(repeat, large)
    rows = {}
    for key in COMMANDS:
        lo, hi = m["spread"][key, large]
        clo, chi = m["cold"][key, large], m["cold"][key, SMALL]
        cold = (f"cold (no cache, the first command after a year file changed): {clo[0]:.3f} s / {clo[1]:.1f} MiB "
                f"vs {chi[0]:.3f} s / {chi[1]:.1f} MiB")
        # history --json writes every session: its time grows with the history by
        # nature; the goal for it is that it streams (memory flat).
        time_goal = float("inf") if key == "history_json" else GOAL
        rows[f"hscale_{key}_time"] = {
            "figure": f"{FIGURES[key]}, {large:,} sessions over 20 years, time",
            "value": m["wall"][key, large], "reference": m["wall"][key, SMALL], "unit": "s", "goal": time_goal,
            "runs": repeat,
            **({"goal_text": "none: it writes every session (memory is its goal)"} if key == "history_json" else {}),
            "note": (f"reference the same with {SMALL} sessions; whole process, median of {repeat} alternating "
                     f"runs after a warm-up; large runs {lo:.3f}-{hi:.3f} s; {cold}"
                     + ("; it writes every session (its output grows with the history), so its goal is "
                        "memory (it streams)" if key == "history_json" else "")),
        }
        rows[f"hscale_{key}_memory"] = {
            "figure": f"{FIGURES[key]}, {large:,} sessions over 20 years, peak memory",
            "value": m["rss"][key, large], "reference": m["rss"][key, SMALL], "unit": "MiB", "goal": GOAL,
            "runs": repeat, "note": f"VmHWM of the process; reference {SMALL} sessions",
        }
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--large", type=int, default=20_000)
    parser.add_argument("--only", nargs="*", default=list(COMMANDS))
    args = parser.parse_args(argv)
    print(f"load before: {os.getloadavg()}")
    m = measure(max(1, args.repeat), args.large, only=tuple(args.only))
    large = m["large"]
    ok = True
    for key in args.only:
        for what, unit in (("wall", "s"), ("rss", "MiB")):
            a, b = m[what][key, large], m[what][key, SMALL]
            ratio = a / b
            ok &= ratio <= GOAL
            print(f"{key:13} {what:4}: {a:8.3f} vs {b:8.3f} {unit} -> {ratio:.2f}x (goal <= {GOAL}x)")
        lo, hi = m["spread"][key, large]
        clo, chi = m["cold"][key, large], m["cold"][key, SMALL]
        print(f"{'':13} large runs {lo:.3f}-{hi:.3f} s; cold (no cache): {clo[0]:.3f} s / {clo[1]:.1f} MiB "
              f"vs {chi[0]:.3f} s / {chi[1]:.1f} MiB")
    print(f"load after: {os.getloadavg()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
