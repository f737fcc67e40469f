"""Run every benchmark and write bench/RESULTS.md.

    python -m bench.run            # all figures
    python -m bench.run startup    # only some (startup, cpu, search, store, history, scale, stall, due, figures, keys, hscale, h100k)

Each figure is printed as a ratio against a reference measured in the same
run (same process or same machine, minutes apart), so results from different
machines can be compared by their ratios. Not part of the test run.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: name -> module; each module has run() -> {key: row}, a row being
#: {figure, value, reference, unit, goal, [runs], [note]}; goal is the highest acceptable ratio.
SUITES = {
    "startup": "bench.bench_startup",
    "cpu": "bench.bench_cpu",
    "search": "bench.bench_search",
    "store": "bench.bench_store",
    "history": "bench.bench_history",
    "scale": "bench.bench_scale",
    "stall": "bench.bench_stall",
    "due": "bench.bench_due",
    "figures": "bench.bench_figure_cpu",
    "keys": "bench.bench_keys",
    "hscale": "bench.bench_history_scale",
    "h100k": "bench.bench_history_100k",
}


#: The goals of issue 8 (highest acceptable ratio), applied whatever a suite says.
ISSUE_GOALS = {"history_open": 3.0}


def _store_rows(result: dict) -> dict:
    """bench_store's ``run()`` ({name, goal, results: [per size], pass}) as rows."""
    by_size = {r["stored"]: r for r in result["results"]}
    largest = by_size[max(by_size)]
    smaller = ", ".join(f"{n:,}: {r['ratio']:.2f}x" for n, r in sorted(by_size.items()) if r is not largest)
    return {
        "store_save": {
            "figure": f"Save a session, {largest['stored']:,} stored",
            "value": largest["ours_ms"],
            "reference": largest["stock_ms"],
            "unit": "ms",
            "goal": 1.5,
            "runs": largest["repeat"],
            "note": (f"reference stock TinyDB JSONStorage insert; median of {largest['repeat']}, interleaved; "
                     f"when another instance wrote in between (file re-parsed under the lock): "
                     f"{largest['ours_cold_ms']:.4g} ms, {largest['ratio_cold']:.2f}x"
                     + (f"; smaller stores {smaller}" if smaller else "")),
        }
    }


def _adapt(result: dict) -> dict:
    """Rows ({key: row}) from a suite's ``run()``, whatever its shape."""
    if "results" in result and isinstance(result["results"], list):
        result = _store_rows(result)
    for key, row in result.items():
        goal = ISSUE_GOALS.get(key)
        if goal is not None and goal != row["goal"]:
            extra = f"suite's own goal {row['goal']}x; issue 8's goal {goal}x applies"
            row["note"] = f"{row['note']}; {extra}" if row.get("note") else extra
            row["goal"] = goal
    return result


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def main(argv: list[str]) -> int:
    names = argv or list(SUITES)
    load_before = os.getloadavg()
    rows: list[dict] = []
    failures: list[str] = []
    for name in names:
        if name not in SUITES:
            print(f"unknown suite {name!r}; choose from {', '.join(SUITES)}", file=sys.stderr)
            return 2
        print(f"== {name}", flush=True)
        try:
            result = _adapt(importlib.import_module(SUITES[name]).run())
        except Exception as exc:  # a broken suite must not hide the others
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
            print(f"   FAILED: {exc}", flush=True)
            continue
        for row in result.values():
            ratio = row["value"] / row["reference"] if row["reference"] else float("inf")
            row["ratio"] = ratio
            row["ok"] = ratio <= row["goal"] and row.get("abs_ok", True)
            rows.append(row)
            print(f"   {row['figure']}: {row['value']:.4g} {row['unit']} vs {row['reference']:.4g} "
                  f"-> {ratio:.2f}x (goal <= {row['goal']}x) {'ok' if row['ok'] else 'MISSED'}"
                  + (f" [{row['note']}]" if row.get("note") else ""), flush=True)

    lines = [
        "# Benchmark results",
        "",
        f"- Date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- Machine: {_machine()}",
        f"- Load average (1 min) before / after: {load_before[0]:.2f} / {os.getloadavg()[0]:.2f}"
        " (shared machine: timings and CPU figures are noisy; each figure is a median of interleaved runs)",
        f"- Command: `{' '.join(['.venv/bin/python -m bench.run', *argv])}`",
        "",
        "| Figure | stretchtui | Reference | Ratio | Goal | Met |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        goal = row.get("goal_text") or f"≤ {row['goal']}x"
        lines.append(
            f"| {row['figure']} | {row['value']:.4g} {row['unit']} | {row['reference']:.4g} {row['unit']} "
            f"| {row['ratio']:.2f}x | {goal} | {'yes' if row['ok'] else 'no'} |"
        )
    notes = [f"- {row['figure']}: {row['note']}" for row in rows if row.get("note")]
    if notes:
        lines += ["", "Notes:", *notes]
    if failures:
        lines += ["", "Suites that failed to run:", *[f"- {f}" for f in failures]]
    if argv:
        out = ROOT / "bench" / f"RESULTS-{'-'.join(argv)}.md"
    else:
        out = ROOT / "bench" / "RESULTS.md"
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
