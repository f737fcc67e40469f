"""CPU used by the player during a 120 s hold, against ``termdown 120`` and ``tclock timer``.

Both run in tmux at 100x30 on a private tmux server (``tmux -L bench-PID``, so
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
* tclock: ``tclock timer -d 120s`` (a Textual countdown app, with its
  default tenths of a second) and ``tclock timer -d 120s -M`` (whole
  seconds, like ours), installed the same way into bench/.work/.

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
#: tmux -L bench-PID: a tmux server of our own, not shared with another
#: benchmark running at the same time (whose kill-server would end ours).
SOCKET = f"bench-{os.getpid()}"
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


def tclock_cmd() -> list[str]:
    found = shutil.which("tclock")
    if found:
        return [found]
    venv = WORK / "tclock-venv"
    exe = venv / "bin" / "tclock"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "tclock"], check=True)
    return [str(exe)]


def _tmux(*args: str, socket: str = SOCKET, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["tmux", "-L", socket, *args], **kwargs)


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
    # A server per measurement: starting a session while the previous
    # server is still shutting down (its last session just ended) fails
    # with "server exited unexpectedly".
    socket = f"{SOCKET}-{name}"
    cmd = "exec " + " ".join(shlex.quote(a) for a in argv)
    env = dict(os.environ)
    env.pop("TMUX", None)
    _tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", cmd, socket=socket, check=True, env=env)
    try:
        pid = int(_tmux("display", "-p", "-t", name, "#{pane_pid}", socket=socket,
                        check=True, capture_output=True, text=True).stdout.strip())
        time.sleep(warmup)
        start = _tree_cpu(pid)
        t0 = time.monotonic()
        time.sleep(WINDOW)
        used = _tree_cpu(pid) - start
        elapsed = time.monotonic() - t0
        screen = _tmux("capture-pane", "-p", "-t", name, socket=socket, capture_output=True, text=True).stdout
        if expect not in screen:
            raise RuntimeError(f"{argv[0]}: {expect!r} not on screen after the window; screen:\n{screen}")
        return used / elapsed * 100.0
    finally:
        _tmux("kill-server", socket=socket, capture_output=True)


def _seed(data_dir: str) -> Path:
    from stretchtui.core.domain.models import Profile
    from stretchtui.core.storage.store import open_store

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


#: A source tree of an earlier stretchtui to measure in the same runs (``--old PATH``), or None.
OLD: str | None = None


def _player_argv(data_dir: str, routine: Path, old: bool = False) -> list[str]:
    args = ["--data-dir", data_dir, "play", str(routine), "--yes", "--no-checklist"]
    if old and OLD:
        code = f"import sys; sys.path.insert(0, {OLD!r}); from stretchtui.cli import main; sys.exit(main())"
        return [python(), "-c", code, *args]
    return [python(), "-m", "stretchtui", *args]


def measure(runs: int = RUNS) -> dict:
    if not shutil.which("tmux"):
        raise RuntimeError("tmux is needed for this benchmark (apt-get install tmux)")
    references = {
        "termdown": ([*termdown_cmd(), "120"], 2.0),
        "tclock": ([*tclock_cmd(), "timer", "-d", "120s"], 3.0),
        "tclock_whole": ([*tclock_cmd(), "timer", "-d", "120s", "-M"], 3.0),
    }
    ours: list[float] = []
    old: list[float] = []
    refs: dict[str, list[float]] = {name: [] for name in references}
    try:
        for _ in range(runs):
            for earlier in (False, True) if OLD else (False,):
                data_dir = tempfile.mkdtemp(prefix="stretchtui-bench-")
                try:
                    routine = _seed(data_dir)
                    (old if earlier else ours).append(_cpu_in_tmux(
                        _player_argv(data_dir, routine, earlier), warmup=8.0, expect="Child",
                    ))
                finally:
                    shutil.rmtree(data_dir, ignore_errors=True)
            for name, (argv, warmup) in references.items():
                refs[name].append(_cpu_in_tmux(argv, warmup=warmup, expect=""))
    finally:
        _tmux("kill-server", capture_output=True)
    return {"ours": statistics.median(ours), "ours_all": ours, "runs": runs, "old_all": old,
            "ref": statistics.median(refs["termdown"]), "ref_all": refs["termdown"],
            "refs": {name: statistics.median(values) for name, values in refs.items()}, "refs_all": refs}


def run(runs: int = RUNS) -> dict:
    m = measure(runs)
    method = "schedstat ns" if PRECISE else "utime+stime ticks"
    ours = ", ".join(f"{v:.2f}" for v in m["ours_all"])

    def values(name: str) -> str:
        return ", ".join(f"{v:.2f}" for v in m["refs_all"][name])

    return {
        "cpu": {
            "figure": "CPU during a 120 s hold (tmux 100x30)",
            "value": m["ours"], "reference": m["ref"], "unit": "% of a core", "goal": 1.0, "runs": m["runs"],
            "note": (f"reference termdown 120; 10 s window, median of {m['runs']} interleaved runs "
                     f"({method}); ours {ours} %, termdown {values('termdown')} %"
                     + (f"; the earlier code ({OLD}) in the same runs: "
                        f"{', '.join(f'{v:.2f}' for v in m['old_all'])} % (median "
                        f"{statistics.median(m['old_all']):.2f} %, "
                        f"{statistics.median(m['old_all']) / max(m['ref'], 1e-9):.2f}x termdown)" if m["old_all"] else "")
                     + f"; load average {os.getloadavg()[0]:.2f} at the end"),
        },
        "cpu_tclock": {
            "figure": "CPU during a 120 s hold vs tclock timer (tmux 100x30)",
            "value": m["ours"], "reference": m["refs"]["tclock"], "unit": "% of a core", "goal": 1.0,
            "runs": m["runs"],
            "note": (f"reference `tclock timer -d 120s` (Textual, shows tenths); same runs as above; "
                     f"tclock {values('tclock')} %"),
        },
        "cpu_tclock_whole": {
            "figure": "CPU during a 120 s hold vs tclock timer -M (whole seconds)",
            "value": m["ours"], "reference": m["refs"]["tclock_whole"], "unit": "% of a core", "goal": 1.0,
            "runs": m["runs"],
            "note": f"reference `tclock timer -d 120s -M`; same runs as above; tclock -M {values('tclock_whole')} %",
        },
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--old", metavar="PATH", help="also measure the stretchtui source tree at PATH, interleaved")
    args = parser.parse_args(argv)
    global OLD
    OLD = args.old
    ok = True
    for row in run(max(1, args.runs)).values():
        ratio = row["value"] / max(row["reference"], 1e-9)
        ok = ok and ratio <= row["goal"]
        print(f"{row['figure']}: {row['value']:.2f} {row['unit']} vs {row['reference']:.2f} "
              f"-> {ratio:.2f}x (goal <= {row['goal']}x)\n  {row['note']}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
