"""Benchmark: ``stretchtui due`` (it runs in shell prompts) at 10,000 stored sessions.

Wall time of the whole process, warm bytecode, medians of interleaved runs:

* ``due`` with the cache fresh (the usual prompt: the database is unchanged),
  against ``stretchtui --version`` (the CLI's own start-up, same run): goal 1.5x;
* ``due`` right after the database changed (the cache is stale, so the ~9 MB
  database is parsed once), against the same reference: reported, goal 10x;
* the bare interpreter (``python -c pass``) is noted, so "own work" can be read
  as ``due - bare`` in milliseconds.

    .venv/bin/python -m bench.bench_due [--repeat 15]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .bench_store import session_doc
from .common import compiled_env

SESSIONS = 10_000


def _time(argv: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def run(repeat: int = 15) -> dict:
    env = dict(os.environ, **compiled_env())
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        db = data / "db.json"
        db.write_text(json.dumps({"sessions": {str(i + 1): session_doc(i) for i in range(SESSIONS)}}))
        (data / "schedule.json").write_text(json.dumps(
            {"stretchtui": "schedule", "version": 1, "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
             "times": ["00:00"], "routine": "Morning stiffness"}))
        due = [py, "-m", "stretchtui", "--data-dir", str(data), "due"]
        version = [py, "-m", "stretchtui", "--version"]
        bare = [py, "-c", "pass"]
        for argv in (due, version, bare):  # warm-up: bytecode and the cache
            _time(argv, env)
        hot, ref, base, cold = [], [], [], []
        for _ in range(repeat):
            hot.append(_time(due, env))
            ref.append(_time(version, env))
            base.append(_time(bare, env))
            os.utime(db)  # the database "changed": the next due re-reads it
            cold.append(_time(due, env))
    ms = lambda xs: round(statistics.median(xs) * 1000, 2)  # noqa: E731
    note = f"bare python -c pass {ms(base)} ms; median of {repeat}, interleaved"
    return {
        "due_prompt": {"figure": f"`due` in a prompt, {SESSIONS:,} sessions, cache fresh", "value": ms(hot),
                       "reference": ms(ref), "unit": "ms", "goal": 1.5, "runs": repeat,
                       "note": f"reference `stretchtui --version`; {note}"},
        "due_after_session": {"figure": f"`due` after a change, {SESSIONS:,} sessions (database parsed)",
                              "value": ms(cold), "reference": ms(ref), "unit": "ms", "goal": 10.0,
                              "runs": repeat, "note": f"reference `stretchtui --version`; {note}"},
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    for _key, row in run(parser.parse_args().repeat).items():
        print(f"{row['figure']}: {row['value']} ms vs {row['reference']} ms "
              f"-> {row['value'] / row['reference']:.2f}x (goal <= {row['goal']}x) [{row['note']}]")
