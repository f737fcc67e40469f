"""CPU used by the player during a 120 s hold, against ``termdown 120``.

Both run in tmux at 100x30 on a private tmux server (``tmux -L bench``, so
other tmux sessions on the machine are never touched). The CPU time
(utime + stime, including every thread and child) of each program is read
from /proc over the same 10 s window:

* stretchtui: ``stretchtui --data-dir D play hold.routine.json --yes
  --no-checklist``, a routine with one 120 s hold of Child's Pose. The data
  dir's profile is seeded with ``seen_notice=True, checklist=False`` so
  neither the first-run notice nor the red-flag checklist waits for a key.
  The window starts 8 s in (after the 5 s get-ready), in the hold.
* termdown: ``termdown 120``, installed into a scratch venv under
  bench/.work/ the first time (it is not a project dependency).

CPU time is read from ``/proc/PID/task/*/schedstat`` (nanoseconds on the
CPU, per thread) where the kernel provides it, else from utime + stime in
``/proc/PID/stat``, which counts in 10 ms ticks: over a 10 s window that is
0.1 % of a core, as much as termdown's whole difference from us.

The two are interleaved (ours, termdown, ours, termdown, ...) and the
medians compared. CPU figures are noisy on a shared machine.

    python -m bench.bench_cpu [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from .common import ROOT, cpu_seconds, python

WINDOW = 10.0
WORK = ROOT / "bench" / ".work"
SOCKET = "bench"  # tmux -L bench: a tmux server of our own
RUNS = 3


def termdown_cmd() -> list[str]:
    found = shutil.which("termdown")
    if found:
        return [found]
    venv = WORK / "termdown-venv"
    exe = venv / "bin" / "termdown"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "termdown"], check=True)
    return [str(exe)]


def _tmux(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["tmux", "-L", SOCKET, *args], **kwargs)


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def _task_ns(pid: int) -> int:
    """Nanoseconds on the CPU of every thread of ``pid`` (``/proc/PID/task/*/schedstat``)."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            total += int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[0])
        except (OSError, IndexError, ValueError):
            pass  # a thread that just ended
    return total


def _precise() -> bool:
    try:
        return _task_ns(os.getpid()) > 0
    except OSError:
        return False


PRECISE = _precise()


def _tree_cpu(pid: int) -> float:
    total = 0.0
    for p in _tree(pid):
        try:
            total += _task_ns(p) / 1e9 if PRECISE else cpu_seconds(p)
        except (OSError, IndexError):
            pass
    return total


def _cpu_in_tmux(argv: list[str], warmup: float, expect: str) -> float:
    """Percent of one core used by ``argv`` over WINDOW seconds, after ``warmup``."""
    name = f"bench-{uuid.uuid4().hex[:8]}"
    cmd = "exec " + " ".join(shlex.quote(a) for a in argv)
    env = dict(os.environ)
    env.pop("TMUX", None)
    _tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", cmd, check=True, env=env)
    try:
        pid = int(_tmux("display", "-p", "-t", name, "#{pane_pid}",
                        check=True, capture_output=True, text=True).stdout.strip())
        time.sleep(warmup)
        start = _tree_cpu(pid)
        t0 = time.monotonic()
        time.sleep(WINDOW)
        used = _tree_cpu(pid) - start
        elapsed = time.monotonic() - t0
        screen = _tmux("capture-pane", "-p", "-t", name, capture_output=True, text=True).stdout
        if expect not in screen:
            raise RuntimeError(f"{argv[0]}: {expect!r} not on screen after the window; screen:\n{screen}")
        return used / elapsed * 100.0
    finally:
        _tmux("kill-session", "-t", name, capture_output=True)


def _seed(data_dir: str) -> Path:
    from stretchtui.core.models import Profile
    from stretchtui.core.store import open_store

    store = open_store(data_dir)
    try:
        store.set_profile(Profile(seen_notice=True, checklist=False))
    finally:
        store.close()
    routine = Path(data_dir) / "hold.routine.json"
    routine.write_text(json.dumps({
        "stretchtui": "routine", "version": 1, "name": "Long hold", "notes": "",
        "items": [{"stretch": "childs-pose", "hold": 120, "reps": 1, "rest": 0}],
    }))
    return routine


def measure(runs: int = RUNS) -> dict:
    if not shutil.which("tmux"):
        raise RuntimeError("tmux is needed for this benchmark (apt-get install tmux)")
    ref_cmd = termdown_cmd()
    ours, ref = [], []
    try:
        for _ in range(runs):
            data_dir = tempfile.mkdtemp(prefix="stretchtui-bench-")
            try:
                routine = _seed(data_dir)
                ours.append(_cpu_in_tmux(
                    [python(), "-m", "stretchtui", "--data-dir", data_dir, "play", str(routine),
                     "--yes", "--no-checklist"],
                    warmup=8.0, expect="Child",
                ))
            finally:
                shutil.rmtree(data_dir, ignore_errors=True)
            ref.append(_cpu_in_tmux(ref_cmd + ["120"], warmup=2.0, expect=""))
    finally:
        _tmux("kill-server", capture_output=True)
    return {"ours": statistics.median(ours), "ref": statistics.median(ref), "runs": runs,
            "ours_all": ours, "ref_all": ref}


def run(runs: int = RUNS) -> dict:
    m = measure(runs)
    return {"cpu": {
        "figure": "CPU during a 120 s hold (tmux 100x30)",
        "value": m["ours"], "reference": m["ref"], "unit": "% of a core", "goal": 1.0, "runs": m["runs"],
        "note": (f"reference termdown 120; 10 s window, median of {m['runs']} interleaved runs "
                 f"({'schedstat ns' if PRECISE else 'utime+stime ticks'}); "
                 f"ours {', '.join(f'{v:.2f}' for v in m['ours_all'])} %, "
                 f"termdown {', '.join(f'{v:.2f}' for v in m['ref_all'])} %"),
    }}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args(argv)
    row = run(max(1, args.runs))["cpu"]
    ratio = row["value"] / max(row["reference"], 1e-9)
    print(f"{row['figure']}: {row['value']:.2f} {row['unit']} vs termdown {row['reference']:.2f} "
          f"-> {ratio:.2f}x (goal <= {row['goal']}x)\n  {row['note']}")
    return 0 if ratio <= row["goal"] else 1


if __name__ == "__main__":
    sys.exit(main())
