"""Cold start to first frame, and peak memory idling on the catalog.

Both are measured against a bare Textual app showing one Label, launched the
same way (in an 80x24 pty, ``python FILE``), in the same run, interleaved;
start-up also against ``tclock`` (tclock 1.3.0, a Textual clock app, in its
own venv under bench/.work/, see ``bench_cpu.tclock_cmd``), whose first frame
is its clock face (the date under the digits).

"First frame" for stretchtui: a fresh data dir shows the first-run safety
notice (a new user's first screen, on its own), and that is what a new user
sees first. "Cold" is the first launch ever: an empty user cache folder too
(``$XDG_CACHE_HOME``: no CSS parsed and no dataclass methods compiled by an
earlier run, see ui/css_cache.py and core/compiled_methods.py);
a new data folder on a machine that ran stretchtui before is measured beside
it. The clock stops when the whole of that frame has been
written to the pty: its title ("Before you start"), its button ("I
understand") and its own footer ("esc Close", the last line). Textual may
write a partial paint of the notice a few ms earlier; that does not count.
For the bare app: its Label text.
A returning user (notice dismissed before, the caches of earlier runs in
the cache folder) is measured too: mode bar, the list's status line and the footer.

Both programs run with bytecode caching on, as an installed copy would
(see ``common.compiled_env``), after one uncounted warm-up launch each.

Peak memory: VmHWM (peak resident set) of the process after the first frame
and 1 s more of idling, same launch, median of 5.

    python -m bench.bench_startup
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time

from .common import bare_app_file, compiled_env, median, python, run_in_pty

#: Texts that are all on the screen once stretchtui's first frame is painted (see above).
APP_MARKER = ("Before you start", "I understand", "esc Close")
#: The same for a returning user (no notice): mode bar, the list's status line, footer.
RETURNING_MARKER = ("1 Catalog", "shown (All)", "palette")
RUNS = 9
MEMORY_RUNS = 5


#: A source tree of an earlier stretchtui to measure in the same run (``--old PATH``), or None.
OLD: str | None = None


def _app_argv(data_dir: str, old: bool = False) -> list[str]:
    if old and OLD:
        # The earlier tree first on the path (``-m`` would put the current folder, this tree, first).
        code = f"import sys; sys.path.insert(0, {OLD!r}); from stretchtui.cli import main; sys.exit(main())"
        return [python(), "-c", code, "--data-dir", data_dir]
    return [python(), "-m", "stretchtui", "--data-dir", data_dir]


def _returning_data_dir() -> str:
    """A data dir of someone who has dismissed the notice before."""
    from stretchtui.core.domain.models import Profile
    from stretchtui.core.storage.store import open_store

    data_dir = tempfile.mkdtemp(prefix="stretchtui-bench-")
    store = open_store(data_dir)
    try:
        store.set_profile(Profile(seen_notice=True))
    finally:
        store.close()
    return data_dir


#: The user cache folder (``$XDG_CACHE_HOME``) of a user who has run stretchtui before: the
#: CSS and dataclass methods its former runs left there, filled by the warm-up launches.
WARM_CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".work", "xdg-cache")


def _launch(returning: bool, env: dict, linger: float = 0.0, cpu_out: list | None = None,
            old: bool = False, cache: str | None = None) -> tuple[float, int]:
    """One launch to the first frame. ``cache``: the user cache folder; None: an empty one (the
    first launch ever, for a new user), or the warm one for a returning user."""
    data_dir = _returning_data_dir() if returning else tempfile.mkdtemp(prefix="stretchtui-bench-")
    fresh = None
    if cache is None and not returning:
        cache = fresh = tempfile.mkdtemp(prefix="stretchtui-bench-cache-")
    env = {**env, "XDG_CACHE_HOME": cache or WARM_CACHE}
    try:
        return run_in_pty(_app_argv(data_dir, old), RETURNING_MARKER if returning else APP_MARKER, env=env,
                          linger=linger, cpu_out=cpu_out)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if fresh:
            shutil.rmtree(fresh, ignore_errors=True)


def _tclock(cpu_out: list | None = None) -> float:
    from .bench_cpu import tclock_cmd

    # tclock's own venv compiles its bytecode at install; its first frame shows today's date.
    return run_in_pty(tclock_cmd(), time.strftime("%Y-%m-%d"), env={"PYTHONDONTWRITEBYTECODE": ""},
                      cpu_out=cpu_out)[0]


def measure(runs: int = RUNS) -> dict:
    bare = bare_app_file()
    env = compiled_env()
    load_before = os.getloadavg()[0]
    # Warm-up (not counted): fills the bytecode cache and the OS file cache for all.
    run_in_pty([python(), str(bare)], "BARE-READY", env=env)
    # A returning user has run stretchtui before: its caches are in the cache folder
    # (written a second after start; these launches idle 1.5 s).
    shutil.rmtree(WARM_CACHE, ignore_errors=True)
    _launch(False, env, linger=1.5, cache=WARM_CACHE)
    _launch(True, env, linger=1.5)
    _tclock()
    bare_times, app_times, back_times, tclock_times, bare_mem, app_mem = [], [], [], [], [], []
    new_dir_times: list[float] = []
    cpu: dict[str, list[float]] = {"bare": [], "app": [], "back": [], "tclock": [], "old_app": [], "old_back": []}
    old_times: dict[str, list[float]] = {"app": [], "back": [], "mem": []}
    if OLD:
        _launch(False, env, old=True)
    for _ in range(runs):
        if OLD:
            old_times["app"].append(_launch(False, env, cpu_out=cpu["old_app"], old=True)[0])
            old_times["back"].append(_launch(True, env, cpu_out=cpu["old_back"], old=True)[0])
        bare_times.append(run_in_pty([python(), str(bare)], "BARE-READY", env=env, cpu_out=cpu["bare"])[0])
        app_times.append(_launch(False, env, cpu_out=cpu["app"])[0])
        back_times.append(_launch(True, env, cpu_out=cpu["back"])[0])
        tclock_times.append(_tclock(cpu["tclock"]))
        new_dir_times.append(_launch(False, env, cache=WARM_CACHE)[0])
    load_after = os.getloadavg()[0]
    load = f"load average {load_before:.2f} before, {load_after:.2f} after"
    cpu_med = {name: median(values) if values else 0.0 for name, values in cpu.items()}
    cpu_note = (f"CPU seconds to the first frame (medians; less sensitive to the load): ours {cpu_med['app']:.3f} "
                f"cold, {cpu_med['back']:.3f} returning, bare {cpu_med['bare']:.3f}, tclock {cpu_med['tclock']:.3f} "
                f"({cpu_med['app'] / cpu_med['bare']:.2f}x / {cpu_med['back'] / cpu_med['bare']:.2f}x bare, "
                f"{cpu_med['app'] / cpu_med['tclock']:.2f}x / {cpu_med['back'] / cpu_med['tclock']:.2f}x tclock)")
    for _ in range(MEMORY_RUNS):
        bare_mem.append(run_in_pty([python(), str(bare)], "BARE-READY", env=env, linger=1.0)[1])
        app_mem.append(_launch(False, env, linger=1.0)[1])
        if OLD:
            old_times["mem"].append(_launch(False, env, linger=1.0, old=True)[1] / 1024)
    start = {
        "figure": "Cold start to first frame",
        "value": median(app_times),
        "reference": median(bare_times),
        "unit": "s",
        "goal": 1.25,
        "runs": runs,
        "note": (f"the first launch ever: a fresh data dir and an empty cache folder (no CSS parsed, no "
                 f"dataclass methods compiled before); "
                 f"first frame = the first-run notice; median of {runs}, interleaved; "
                 f"{load}; ours {_list(app_times)} s, bare {_list(bare_times)} s; {cpu_note}"),
    }
    new_dir = {
        "figure": "Start to first frame, a new data folder on a machine that ran stretchtui before",
        "value": median(new_dir_times),
        "reference": median(bare_times),
        "unit": "s",
        "goal": 1.25,
        "runs": runs,
        "note": (f"the first-run notice, with the caches of an earlier run in the cache folder; same runs; "
                 f"ours {_list(new_dir_times)} s"),
    }
    returning = {
        "figure": "Start to first frame, returning user",
        "value": median(back_times),
        "reference": median(bare_times),
        "unit": "s",
        "goal": 1.25,
        "runs": runs,
        "note": (f"notice seen before, the caches of an earlier run in the cache folder, first frame = the "
                 f"catalog; median of {runs}, interleaved; {load}; "
                 f"ours {_list(back_times)} s"),
    }
    start_tclock = {
        "figure": "Cold start to first frame vs tclock",
        "value": median(app_times),
        "reference": median(tclock_times),
        "unit": "s",
        "goal": 1.0,
        "runs": runs,
        "note": f"reference `tclock` (its clock face); same runs; tclock {_list(tclock_times)} s",
    }
    returning_tclock = {
        "figure": "Start to first frame, returning user, vs tclock",
        "value": median(back_times),
        "reference": median(tclock_times),
        "unit": "s",
        "goal": 1.0,
        "runs": runs,
        "note": "same runs",
    }
    memory = {
        "figure": "Peak memory, idle on the catalog",
        "value": median(app_mem) / 1024,
        "reference": median(bare_mem) / 1024,
        "unit": "MiB",
        "goal": 1.3,
        "runs": MEMORY_RUNS,
        "note": (f"VmHWM after the first frame + 1 s idle; median of {MEMORY_RUNS}; ours "
                 f"{_list([m / 1024 for m in app_mem])} MiB, bare {_list([m / 1024 for m in bare_mem])} MiB"),
    }
    if OLD:
        b = median(bare_times)
        old_note = (f"; the earlier code ({OLD}) in the same run: cold {median(old_times['app']):.3f} s "
                    f"({median(old_times['app']) / b:.2f}x bare), returning {median(old_times['back']):.3f} s "
                    f"({median(old_times['back']) / b:.2f}x bare), CPU to the first frame {cpu_med['old_app']:.3f} / "
                    f"{cpu_med['old_back']:.3f} s ({cpu_med['old_app'] / cpu_med['bare']:.2f}x / "
                    f"{cpu_med['old_back'] / cpu_med['bare']:.2f}x bare)")
        start["note"] += old_note
        memory["note"] += f"; the earlier code: {median(old_times['mem']):.2f} MiB ({median(old_times['mem']) / memory['reference']:.2f}x)"
    return {"startup": start, "startup_returning": returning, "startup_new_dir": new_dir, "startup_tclock": start_tclock,
            "startup_returning_tclock": returning_tclock, "memory": memory}


def _list(values: list[float]) -> str:
    return ", ".join(f"{v:.3f}" for v in values)


def run(runs: int = RUNS) -> dict:
    return measure(runs)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--old", metavar="PATH", help="also measure the stretchtui source tree at PATH, interleaved")
    args = parser.parse_args()
    OLD = args.old
    for row in run(max(1, args.runs)).values():
        ratio = row["value"] / row["reference"]
        print(f"{row['figure']}: {row['value']:.3f} {row['unit']} vs {row['reference']:.3f} "
              f"-> {ratio:.2f}x (goal <= {row['goal']}x)\n  {row.get('note', '')}")
    sys.exit(0)
