"""Benchmark: open the History screen with 20,000 sessions (about 16 years, one file per year) vs 10.

Both in the same run, in the same process, Pilot-driven at 80x24: a data
directory is seeded (written straight in the store's layout, since
20,000 ``append_session`` calls would take minutes), the app is built with
``make_app`` over ``open_store``, and the clock runs from pressing ``5``
(History) until the statistics worker has finished and the session table,
charts and summary are filled. That includes reading and parsing the
database (``store.list_sessions``), computing every figure once
(``core.reports.history.compute_stats`` + ``clinician_summary``) and filling the
first page of the table.

    .venv/bin/python -m bench.bench_history [--repeat 5]

Small and large runs alternate (the machine may be loaded); each figure is
the median of ``--repeat`` runs, after one untimed warm-up run.

``run()`` returns ``{key: row}`` rows for ``bench/run.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

SMALL, LARGE = 10, 20_000
#: Highest acceptable large/small ratio (issue 8): 1,000 times the data may cost at most this much more.
GOAL = 3.0
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)

_STRETCHES = (("knee-to-chest", "Knee to Chest", "each"), ("cat-cow", "Cat-Cow", "none"),
              ("prone-press-up", "Prone Press-Up", "none"), ("piriformis-stretch", "Piriformis Stretch", "each"))
_ROUTINES = ("Morning stiffness", "Desk break", "Evening wind-down", "Sciatica gentle", "Neck reset")


def session_doc(i: int, n: int) -> dict:
    """A varied, realistic session: one or two a day going back from NOW."""
    # One or two a day; at most 20 years back in all (20,000 sessions: one every 8.8 hours).
    started = NOW - timedelta(hours=min(14.0, 24 * 365 * 20 / n) * (n - i)) - timedelta(minutes=i % 50)
    offset = timezone(timedelta(hours=(i % 5) - 2))
    status = ("completed",) * 8 + ("stopped", "interrupted", "symptoms")
    st = status[i % len(status)]
    items = []
    for k, (sid, name, sides) in enumerate(_STRETCHES[: 2 + i % 3]):
        keys = ("left", "right") if sides == "each" else ("both",)
        items.append({"stretch": sid, "name": name, "mode": "hold", "hold": 20 + 5 * k, "reps": 3,
                      "sides": sides, "rest": 10,
                      "done": {s: 3 - (i + k) % 2 for s in keys}, "skipped": {s: (i + k) % 2 for s in keys}})
    return {
        "schema": 1, "routine": _ROUTINES[i % len(_ROUTINES)],
        "started": started.astimezone(offset).isoformat(), "ended": None,
        "status": st, "counted": i % 13 != 0, "stop_reason": "symptoms" if st == "symptoms" else None,
        "active_seconds": 120.0 + (i * 37) % 900, "planned_seconds": 600,
        "items": items, "steps_done": 10, "steps_skipped": 2, "steps_total": 12,
        "pain_before": (i * 7) % 11 if i % 3 else None, "pain_after": (i * 5) % 11 if i % 3 else None,
        "note": "",
    }


def seed(data_dir: Path, n: int) -> None:
    """Write ``n`` sessions (one or two a day back from NOW) in the store's layout, one file per year."""
    from bench.bench_scale import seed as seed_layout

    seed_layout(data_dir, n, make_doc=session_doc, last_year=NOW.year)


async def _open_once(data_dir: Path) -> float:
    from stretchtui.core.clock import FakeClock
    from stretchtui.core.domain.catalog import load_catalog
    from stretchtui.core.storage.store import open_store
    from stretchtui.ui.app import make_app
    from stretchtui.ui.screens.history import HistoryScreen

    store = open_store(data_dir)
    try:
        app = make_app(store, load_catalog(), FakeClock(NOW), show_notice=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            # Start from a clean heap, as a freshly started app would: without
            # this, the cyclic garbage of the previous runs (their apps and
            # 10,000-session lists) is collected during whichever run comes next.
            gc.collect()
            t0 = time.perf_counter()
            await pilot.press("5")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            elapsed = time.perf_counter() - t0
            screen = app.screen
            assert isinstance(screen, HistoryScreen) and screen.stats is not None
            assert screen.stats.total == len(store.list_sessions())
            assert screen.query_one("#history-table").row_count > 0 and screen.summary_text
            return elapsed
    finally:
        store.close()


def measure(repeat: int = 5) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "small", Path(tmp) / "large"
        seed(small, SMALL)
        seed(large, LARGE)
        times = {SMALL: [], LARGE: []}
        asyncio.run(_open_once(small))  # warm-up: imports and first-use caches, not timed
        for _ in range(repeat):
            for n, path in ((SMALL, small), (LARGE, large)):
                times[n].append(asyncio.run(_open_once(path)))
    return {n: statistics.median(v) for n, v in times.items()} | {"runs": repeat}


def run(repeat: int = 5) -> dict:
    """Rows for bench/run.py: History open time, 20,000 sessions vs 10."""
    m = measure(repeat)
    return {
        "history_open": {
            "figure": f"History screen open, {LARGE:,} sessions vs {SMALL}",
            "value": m[LARGE],
            "reference": m[SMALL],
            "unit": "s",
            "goal": GOAL,
            "runs": m["runs"],
            "note": "press 5 until table, charts and summary are filled; median",
        }
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    row = run(max(1, args.repeat))["history_open"]
    ratio = row["value"] / row["reference"]
    print(f"{SMALL:>6} sessions: {row['reference'] * 1000:8.1f} ms")
    print(f"{LARGE:>6} sessions: {row['value'] * 1000:8.1f} ms")
    print(f"ratio {ratio:.2f}x (goal <= {GOAL}x): {'met' if ratio <= GOAL else 'NOT met'}")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
