"""Benchmark: the store with 20,000 sessions over 20 years vs 10 sessions.

Goals (issue 13), each a ratio against the same operation with 10 sessions
stored, measured in the same run:

* saving a routine, whole process: <= 1.5x
* recording one session (append it running, then finish it), whole process: <= 1.5x
* ``stretchtui routines``: peak memory (ru_maxrss of the process) <= 1.5x

(History opening, <= 3x, is ``bench.bench_history``.)

Each operation runs in a fresh ``python`` process (start, import, open the
store, do it, exit), as a user's command or a new window would; wall time and
peak memory come from ``os.wait4``. Small and large runs alternate, so load
from other programs hits both alike; each figure is the median of
``--repeat`` runs after one untimed warm-up. The time of the store call alone
(measured inside the process) is reported in the notes too.

    .venv/bin/python -m bench.bench_scale [--repeat 9]

``seed()`` writes a data dir in the store's layout straight away (20,000
``append_session`` calls would take minutes); ``bench_history`` uses it too.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

SMALL, LARGE, LARGE_YEARS = 10, 20_000, 20
GOALS = {"save_routine": 1.5, "record_session": 1.5, "routines_memory": 1.5}


def session_doc(i: int, year: int, month: int | None = None) -> dict:
    """A realistic finished session (3 stretches), started in ``year`` (in ``month``, else spread over the year)."""
    month = 1 + i % 12 if month is None else month
    return {
        "schema": 1, "routine": f"Morning stiffness {i % 7}",
        "started": f"{year}-{month:02d}-{1 + i % 28:02d}T08:{i % 60:02d}:00+00:00",
        "ended": f"{year}-{month:02d}-{1 + i % 28:02d}T08:{(i + 5) % 60:02d}:00+00:00",
        "status": "completed", "counted": True, "stop_reason": None,
        "active_seconds": 181.5, "planned_seconds": 195,
        "items": [
            {"stretch": s, "name": s.replace("-", " ").title(), "mode": "hold", "hold": 20, "reps": 3,
             "sides": "each", "rest": 10, "done": {"left": 3, "right": 3}, "skipped": {"left": 0, "right": 0}}
            for s in ("knee-to-chest", "cat-cow", "childs-pose")
        ],
        "steps_done": 18, "steps_skipped": 0, "steps_total": 18,
        "pain_before": 4, "pain_after": 3, "note": "felt fine",
    }


def seed(data_dir: Path, n: int, years: int = 1, *, make_doc: Callable[[int, int], dict] | None = None,
         last_year: int | None = None) -> None:
    """Write ``n`` sessions spread over ``years`` calendar years (ending this year) in the store's layout.

    ``make_doc(i, n)`` (optional) makes session ``i``; its ``started`` decides its year file.
    """
    from stretchtui.core.storage import store as st

    last_year = last_year or datetime.now(timezone.utc).year
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(data_dir, 0o700)
    by_year: dict[int, dict[str, dict]] = {}
    for i in range(n):
        if make_doc is not None:
            doc = make_doc(i, n)
        else:
            doc = session_doc(i, last_year - years + 1 + i * years // max(n, 1))
        by_year.setdefault(st.session_year(doc, last_year), {})[str(i + 1)] = doc
    library = {
        "routines": {str(k + 1): {"schema": 1, "name": f"Routine {k}", "notes": "",
                                  "items": [{"stretch": "cat-cow", "hold": 20}, {"stretch": "knee-to-chest"}]}
                     for k in range(8)},
        "meta": {"1": {"next_session_id": n + 1}},
    }
    files = {st.LIBRARY_NAME: library} | {st.sessions_name(y): {"sessions": d} for y, d in by_year.items()}
    for name, data in files.items():
        (data_dir / name).write_text(json.dumps(data, separators=(",", ":")))
        os.chmod(data_dir / name, 0o600)
    (data_dir / st.LAYOUT_NAME).write_text(json.dumps({"layout": st.LAYOUT_VERSION}))
    os.chmod(data_dir / st.LAYOUT_NAME, 0o600)


_SAVE_ROUTINE = """
import sys, time
from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.core.storage.store import open_store
t = time.perf_counter()
s = open_store(sys.argv[1])
s.save_routine(Routine("Bench", (RoutineItem("cat-cow", hold=20), RoutineItem("knee-to-chest"))))
print(time.perf_counter() - t)
"""

_RECORD_SESSION = """
import sys, time
from datetime import datetime, timezone
from stretchtui.core.storage.store import open_store
now = datetime.now(timezone.utc).isoformat()
t = time.perf_counter()
s = open_store(sys.argv[1])
sid = s.append_session({"schema": 1, "routine": "Bench", "started": now, "ended": None, "status": "running",
                        "counted": True, "items": [], "note": ""})
s.update_session(sid, {"status": "completed", "ended": now, "active_seconds": 60.0})
print(time.perf_counter() - t)
"""


def _python() -> str:
    venv = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _run(argv: list[str]) -> tuple[float, float | None]:
    """Run a process; (wall s, the seconds it printed for the store calls alone, or None)."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"{argv} failed: {err.decode(errors='replace')[-500:]}")
    try:
        inner = float(out.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        inner = None
    return wall, inner


def _run_rss(argv: list[str]) -> tuple[float, float]:
    """Run a process with os.wait4: (wall s, peak resident memory MiB)."""
    t = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, dict(os.environ),
                         file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{argv} failed")
    return wall, usage.ru_maxrss / 1024


def measure(repeat: int = 9) -> dict:
    py = _python()
    root = Path(tempfile.mkdtemp(prefix="bench_scale_"))
    try:
        dirs = {SMALL: root / "small", LARGE: root / "large"}
        seed(dirs[SMALL], SMALL, 1)
        seed(dirs[LARGE], LARGE, LARGE_YEARS)
        ops = {
            "save_routine": lambda d: _run([py, "-c", _SAVE_ROUTINE, str(d)]),
            "record_session": lambda d: _run([py, "-c", _RECORD_SESSION, str(d)]),
        }
        cli = [py, "-m", "stretchtui", "routines", "--data-dir"]
        times: dict = {(k, n): [] for k in ops for n in dirs}
        inner: dict = {(k, n): [] for k in ops for n in dirs}
        rss: dict = {n: [] for n in dirs}
        rtime: dict = {n: [] for n in dirs}
        for round_ in range(repeat + 1):  # round 0: warm-up (disk cache, .pyc), not kept
            for n, d in dirs.items():
                for key, op in ops.items():
                    wall, t_in = op(d)
                    if round_:
                        times[key, n].append(wall)
                        if t_in is not None:
                            inner[key, n].append(t_in)
                wall, mib = _run_rss([*cli, str(d)])
                if round_:
                    rss[n].append(mib)
                    rtime[n].append(wall)
        sessions = sum(len(json.loads(p.read_text())["sessions"]) for p in dirs[LARGE].glob("sessions-*.json"))
        assert sessions == LARGE + repeat + 1, sessions
        med = statistics.median
        return {
            "repeat": repeat,
            "times": {k: med(v) for k, v in times.items()},
            "inner": {k: med(v) for k, v in inner.items() if v},
            "rss": {n: med(v) for n, v in rss.items()},
            "routines_time": {n: med(v) for n, v in rtime.items()},
        }
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run(repeat: int = 9) -> dict:
    """Rows for bench/run.py."""
    m = measure(repeat)
    rows = {}
    what = {"save_routine": "Save a routine", "record_session": "Record one session (append running, then finish)"}
    for key, label in what.items():
        small_in, large_in = m["inner"].get((key, SMALL)), m["inner"].get((key, LARGE))
        rows[f"scale_{key}"] = {
            "figure": f"{label}, {LARGE:,} sessions over {LARGE_YEARS} years vs {SMALL}",
            "value": m["times"][key, LARGE], "reference": m["times"][key, SMALL],
            "unit": "s", "goal": GOALS[key], "runs": repeat,
            "note": (f"whole process (start, open the store, save, exit); median of {repeat}, interleaved; "
                     f"the store calls alone: {large_in * 1000:.1f} ms vs {small_in * 1000:.1f} ms "
                     f"({large_in / small_in:.2f}x)" if small_in and large_in else ""),
        }
    rows["scale_routines_memory"] = {
        "figure": f"`stretchtui routines` peak memory, {LARGE:,} sessions vs {SMALL}",
        "value": m["rss"][LARGE], "reference": m["rss"][SMALL], "unit": "MiB",
        "goal": GOALS["routines_memory"], "runs": repeat,
        "note": (f"ru_maxrss of the whole process; median of {repeat}, interleaved; its run time "
                 f"{m['routines_time'][LARGE]:.3f} s vs {m['routines_time'][SMALL]:.3f} s"),
    }
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args(argv)
    ok = True
    for row in run(max(1, args.repeat)).values():
        ratio = row["value"] / row["reference"]
        met = ratio <= row["goal"]
        ok &= met
        print(f"{row['figure']}: {row['value']:.4g} vs {row['reference']:.4g} {row['unit']} -> "
              f"{ratio:.2f}x (goal <= {row['goal']}x) {'met' if met else 'NOT met'}\n    {row['note']}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
