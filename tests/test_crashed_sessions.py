"""Sessions whose writer died: read as interrupted (derived, nothing written), closed by pid, boot and age.

The fault test kills a real ``stretchtui play --plain`` with SIGKILL mid-session:
nothing in the process can close its session, so every read-only command must
work out that it is over, without writing, and ``history --json`` must never
export it as running.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from stretchtui.cli import main
from stretchtui.core.storage import store as store_mod
from stretchtui.core.storage.store import ABANDONED_AFTER, Store, open_store

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)


def _sessions_file(data: Path) -> Path:
    [path] = sorted(data.glob("sessions-*.json"))
    return path


@pytest.mark.timeout(90)
def test_kill_9_of_a_real_play_reads_as_interrupted_everywhere_without_writing(tmp_path, capsys):
    routine = tmp_path / "r.routine.json"
    items = [{"stretch": s, "hold": 30, "reps": 2, "rest": 5} for s in ("knee-to-chest", "cat-cow")]
    routine.write_text(json.dumps({"stretchtui": "routine", "version": 1, "name": "Killed", "items": items}))
    data = tmp_path / "data"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("STRETCHTUI_DATA_DIR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "stretchtui", "play", str(routine), "--plain", "--speed", "20",
         "--no-checklist", "--data-dir", str(data)],
        cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("[2/"):  # a step is done: the session is on disk, running
                break
        deadline = time.monotonic() + 30
        while b'"running"' not in _sessions_file(data).read_bytes():
            assert time.monotonic() < deadline, "the session was never recorded"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    path = _sessions_file(data)
    before = path.read_bytes()
    assert b'"running"' in before  # nothing in a killed process closes its session

    assert main(["history", "--data-dir", str(data)]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert "interrupted" in line and "running" not in line
    assert main(["history", "--csv", "--data-dir", str(data)]) == 0
    [row] = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert row["status"] == "interrupted" and row["ended"]
    assert main(["history", "--json", "--data-dir", str(data)]) == 0
    exported = capsys.readouterr().out
    assert '"running"' not in exported
    [doc] = json.loads(exported)["sessions"]
    assert doc["status"] == "interrupted" and doc["ended"] and "writer" not in doc
    assert main(["summary", "--data-dir", str(data)]) == 0
    assert "1 unfinished" in capsys.readouterr().out
    assert path.read_bytes() == before  # read-only commands derived it; nothing was written

    with open_store(data) as store:  # the next writing start closes it for good
        [session] = store.list_sessions()
        assert session.status == "interrupted"
    assert b'"running"' not in path.read_bytes()


# ---------------------------------------------------------------- pid reuse, restarts, age


def _running(tmp_path: Path, writer: dict) -> Path:
    data = tmp_path / "data"
    s = Store(data, now=lambda: NOW)
    sid = s.append_session({"routine": "R", "started": "2026-03-10T07:00:00+00:00", "status": "running"})
    s.close()
    path = data / "sessions-2026.json"
    doc = json.loads(path.read_text())
    doc["sessions"][str(sid)]["writer"] = writer
    path.write_text(json.dumps(doc))
    return data


def _status(data: Path, *, create: bool) -> str:
    s = Store(data, now=lambda: NOW, create=create)
    try:
        [session] = s.list_sessions()
        return session.status
    finally:
        s.close()


def _writer(pid: int, seen: datetime, **extra) -> dict:
    return {"pid": pid, "host": socket.gethostname(), "seen": seen.isoformat(timespec="seconds"), **extra}


def test_a_pid_that_now_belongs_to_another_process_is_closed_by_age(tmp_path):
    """After a restart the writer's pid may be some other live process: the age limit closes it."""
    old = NOW - ABANDONED_AFTER - timedelta(minutes=1)
    data = _running(tmp_path, _writer(os.getppid(), old))  # a live process that is not ours
    assert _status(data, create=False) == "interrupted"
    assert b'"running"' in (data / "sessions-2026.json").read_bytes()  # read-only: derived
    assert _status(data, create=True) == "interrupted"
    assert b'"running"' not in (data / "sessions-2026.json").read_bytes()


def test_a_live_writer_saved_recently_stays_running(tmp_path):
    data = _running(tmp_path, _writer(os.getppid(), NOW - timedelta(hours=1)))
    assert _status(data, create=False) == "running"
    assert _status(data, create=True) == "running"


@pytest.mark.skipif(store_mod._boot_id() is None, reason="no boot id on this system")
def test_a_writer_from_before_the_last_restart_is_gone_even_with_a_live_pid(tmp_path):
    data = _running(tmp_path, _writer(os.getppid(), NOW - timedelta(minutes=5), boot="another-boot"))
    assert _status(data, create=False) == "interrupted"
    same_boot = _running(tmp_path / "b", _writer(os.getppid(), NOW - timedelta(minutes=5), boot=store_mod._boot_id()))
    assert _status(same_boot, create=False) == "running"


def test_new_running_sessions_record_the_boot(tmp_path):
    data = tmp_path / "data"
    with Store(data, now=lambda: NOW) as s:
        s.append_session({"routine": "R", "started": "2026-03-10T11:00:00+00:00", "status": "running"})
    [doc] = json.loads((data / "sessions-2026.json").read_text())["sessions"].values()
    assert doc["writer"]["pid"] == os.getpid()
    assert doc["writer"].get("boot") == store_mod._boot_id()
