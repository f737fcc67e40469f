"""Cold start to first frame, and peak memory idling on the catalog.

Both are measured against a bare Textual app showing one Label, launched the
same way (in an 80x24 pty, ``python FILE``), in the same run, interleaved.

"First frame" for stretchtui: a fresh data dir shows the catalog screen with
the first-run safety notice over it, and that is what a new user sees first.
The clock stops when the whole of that frame has been written to the pty:
the mode bar ("1 Catalog"), the notice ("Before you start") and the footer
("palette", its last line). Textual may write a partial paint of the notice
a few ms earlier; that does not count. For the bare app: its Label text.

Peak memory: VmHWM (peak resident set) of the process after the first frame
and 1 s more of idling, same launch, median of 5.

    python -m bench.bench_startup
"""

from __future__ import annotations

import shutil
import sys
import tempfile

from .common import bare_app_file, median, python, run_in_pty

#: Texts that are all on the screen once stretchtui's first frame is painted (see above).
APP_MARKER = ("1 Catalog", "Before you start", "palette")
RUNS = 9
MEMORY_RUNS = 5


def _app_argv(data_dir: str) -> list[str]:
    return [python(), "-m", "stretchtui", "--data-dir", data_dir]


def measure(runs: int = RUNS) -> dict:
    bare = bare_app_file()
    bare_times, app_times, bare_mem, app_mem = [], [], [], []
    for _ in range(runs):
        t, _ = run_in_pty([python(), str(bare)], "BARE-READY")
        bare_times.append(t)
        data_dir = tempfile.mkdtemp(prefix="stretchtui-bench-")
        try:
            t, _ = run_in_pty(_app_argv(data_dir), APP_MARKER)
            app_times.append(t)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
    for _ in range(MEMORY_RUNS):
        _, m = run_in_pty([python(), str(bare)], "BARE-READY", linger=1.0)
        bare_mem.append(m)
        data_dir = tempfile.mkdtemp(prefix="stretchtui-bench-")
        try:
            _, m = run_in_pty(_app_argv(data_dir), APP_MARKER, linger=1.0)
            app_mem.append(m)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
    start = {
        "figure": "Cold start to first frame",
        "value": median(app_times),
        "reference": median(bare_times),
        "unit": "s",
        "goal": 1.25,
        "runs": runs,
        "note": f"fresh data dir, first frame = catalog with the first-run notice; median of {runs}, interleaved",
    }
    memory = {
        "figure": "Peak memory, idle on the catalog",
        "value": median(app_mem) / 1024,
        "reference": median(bare_mem) / 1024,
        "unit": "MiB",
        "goal": 1.3,
        "runs": MEMORY_RUNS,
        "note": f"VmHWM after the first frame + 1 s idle; median of {MEMORY_RUNS}",
    }
    return {"startup": start, "memory": memory}


def run() -> dict:
    return measure()


if __name__ == "__main__":
    for row in run().values():
        ratio = row["value"] / row["reference"]
        print(f"{row['figure']}: {row['value']:.3f} {row['unit']} vs {row['reference']:.3f} "
              f"-> {ratio:.2f}x (goal <= {row['goal']}x)")
    sys.exit(0)
