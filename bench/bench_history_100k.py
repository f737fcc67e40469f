"""Benchmark: peak memory of the history-wide commands and the app's History at 100,000 sessions vs 10.

Goal (issue 25): the app's memory stays within 1.5x of 10 sessions, and
``history --json`` streams (its memory does not grow with the history); a
100,000-session export imports back (issue 27, F14). One run each (memory
is not what a loaded machine changes); the caches are built by a first
untimed ``summary``. Times are given for information (the machine is shared).

    .venv/bin/python -m bench.bench_history_100k [--large 100000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.bench_history import NOW, session_doc
from bench.bench_history_scale import _HWM, COMMANDS, _argv, _run_hwm
from bench.bench_scale import _python, seed


def _export(py: str, data_dir: Path, out: Path) -> tuple[float, float]:
    hwm = out.with_suffix(".hwm")
    t = time.perf_counter()
    with open(out, "wb") as f:
        argv = [py, "-c", _HWM, str(hwm), *_argv(py, ["history", "--json"], data_dir)]
        pid = os.posix_spawn(py, argv, dict(os.environ), file_actions=[(os.POSIX_SPAWN_DUP2, f.fileno(), 1)])
        _, status, _usage = os.wait4(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return time.perf_counter() - t, int(hwm.read_text()) / 1024


def _median_run(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The run with the median peak memory (its time alongside)."""
    return sorted(runs, key=lambda r: r[1])[len(runs) // 2]


def _spread_doc(i: int, n: int, *, per_year: int) -> dict:
    """``session_doc`` with ``per_year`` sessions in each calendar year (``n`` over ``n / per_year`` years)."""
    from datetime import timedelta

    doc = session_doc(i, n)
    when = datetime.fromisoformat(doc["started"])
    spread = NOW - timedelta(hours=24 * 365 / per_year * (n - i)) - timedelta(minutes=i % 50)
    doc["started"] = spread.astimezone(when.tzinfo).isoformat()
    return doc


def run(large: int = 100_000) -> dict:
    """Rows for bench/run.py: peak memory of the app's History and of ``history --json`` at ``large`` vs 10."""
    py = _python()
    root = Path(tempfile.mkdtemp(prefix="bench_h100k_"))
    found: dict = {}
    try:
        for n in (10, large):
            d = root / f"d{n}"
            seed(d, n, make_doc=session_doc)
            _run_hwm(py, _argv(py, ["summary"], d))  # builds the caches
            # Peak memory varies by a few MiB from run to run (worker threads, collections): median of 3.
            runs = [_run_hwm(py, _argv(py, COMMANDS["app_history"], d)) for _ in range(3)]
            found["app_history", n] = _median_run(runs)
            found["history_json", n] = _median_run([_export(py, d, root / f"h{n}.json") for _ in range(3)])
        # history --json holds about one year file at a time: the same 1,000 sessions a year as
        # 20,000 over 20 years, over 100 years, needs the memory of 20,000 (100,000 over 20 years
        # puts 5,000 in each year file).
        d = root / "spread"
        seed(d, large, make_doc=lambda i, n: _spread_doc(i, n, per_year=1_000))
        _run_hwm(py, _argv(py, ["summary"], d))
        found["history_json_spread", large] = _median_run([_export(py, d, root / "spread.json") for _ in range(3)])
    finally:
        shutil.rmtree(root, ignore_errors=True)
    rows = {}
    found["history_json_spread", 10] = found["history_json", 10]
    for key, figure in (("app_history", "The app's History"), ("history_json", "`stretchtui history --json`"),
                        ("history_json_spread", "`stretchtui history --json`, 1,000 sessions a year")):
        (big_s, big_mib), (small_s, small_mib) = found[key, large], found[key, 10]
        rows[f"h100k_{key}_memory"] = {
            "figure": f"{figure}, {large:,} sessions, peak memory",
            "value": big_mib, "reference": small_mib, "unit": "MiB", "goal": 1.5, "runs": 1,
            "note": (f"VmHWM; reference 10 sessions; median of 3 runs each; time {big_s:.2f} s vs {small_s:.2f} s "
                     "(information)" + ("; 100,000 over 20 years is 5,000 sessions in each year file, and the "
                                        "export holds about one year file at a time" if key == "history_json" else "")),
        }
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=100_000)
    args = parser.parse_args(argv)
    py = _python()
    root = Path(tempfile.mkdtemp(prefix="bench_h100k_"))
    print(f"load before: {os.getloadavg()}", flush=True)
    try:
        for n in (10, args.large):
            d = root / f"d{n}"
            seed(d, n, make_doc=session_doc)
            _run_hwm(py, _argv(py, ["summary"], d))  # builds the caches
            for key in ("summary", "suggest", "app_history"):
                wall, mib = _run_hwm(py, _argv(py, COMMANDS[key], d))
                print(f"{n:>7} {key:13} {wall:8.2f} s {mib:8.1f} MiB", flush=True)
            out = root / f"h{n}.json"
            wall, mib = _export(py, d, out)
            print(f"{n:>7} {'history_json':13} {wall:8.2f} s {mib:8.1f} MiB  file {out.stat().st_size:,} bytes "
                  f"({out.stat().st_size / n:,.0f} a session)", flush=True)
            wall, mib = _run_hwm(py, ["--data-dir", str(root / f"i{n}"), "history", "import", str(out)])
            print(f"{n:>7} {'import':13} {wall:8.2f} s {mib:8.1f} MiB", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"load after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
