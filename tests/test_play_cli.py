"""`stretchtui play`: plain mode end to end in a subprocess, signals, and finding the routine."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from stretchtui.cli import main
from stretchtui.core.domain.models import Profile
from stretchtui.core.domain.session import Session
from stretchtui.core.storage.store import open_store

REPO = Path(__file__).resolve().parent.parent


def _routine_file(tmp_path: Path, items: list[dict], name: str = "Test routine") -> Path:
    path = tmp_path / "test.routine.json"
    path.write_text(json.dumps({"stretchtui": "routine", "version": 1, "name": name, "items": items}), "utf-8")
    return path


def _play(*args: str, **kw) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("STRETCHTUI_DATA_DIR", None)
    return subprocess.Popen(
        [sys.executable, "-m", "stretchtui", "play", *args],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def _sessions(data: Path) -> list[Session]:
    with open_store(data) as store:
        return store.list_sessions()


@pytest.mark.timeout(60)
def test_plain_session_completes_and_is_recorded_once(tmp_path):
    path = _routine_file(
        tmp_path, [{"stretch": "knee-to-chest", "hold": 5, "reps": 2, "rest": 2}, {"stretch": "pelvic-tilt", "reps": 2}]
    )
    data = tmp_path / "data"
    proc = _play(str(path), "--plain", "--speed", "50", "--no-checklist", "--data-dir", str(data))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    # one count everywhere: the header, each line and the end all count the 6 work steps
    assert out.startswith("Test routine: 2 stretches, 6 steps, about 1:01.")
    # only work steps carry a number: the get-ready before rep 1 is not numbered like rep 1
    assert "\n      Knee to Chest — get ready, left side: 5 s" in out and out.count("[1/6]") == 1
    assert "[1/6] Knee to Chest — hold, left side, rep 1/2: 5 s" in out
    assert "[2/6] Knee to Chest — hold, left side, rep 2/2: 5 s" in out
    assert "[6/6] Pelvic Tilt — move, rep 2/2: 5 s" in out
    assert "6 of 6 steps done, 0 skipped." in out
    assert "Session complete:" in out and "\r" not in out  # no countdown when stdout is not a terminal
    [doc] = _sessions(data)
    assert doc.status == "completed" and doc.routine == "Test routine"
    assert doc.items[0].done == {"left": 2, "right": 2}
    assert doc.items[1].done == {"both": 2}
    assert doc.steps_done == doc.steps_total == 6 and doc.ended


@pytest.mark.timeout(60)
@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
def test_a_signal_mid_session_leaves_one_interrupted_session(tmp_path, sig):
    items = [{"stretch": s, "hold": 30, "reps": 2, "rest": 5} for s in ("knee-to-chest", "cat-cow", "childs-pose")]
    path = _routine_file(tmp_path, items)
    data = tmp_path / "data"
    proc = _play(str(path), "--plain", "--speed", "50", "--no-checklist", "--data-dir", str(data))
    seen = []
    assert proc.stdout is not None
    for line in proc.stdout:
        seen.append(line)
        if line.startswith("[5/"):  # two holds are done by now
            break
    proc.send_signal(sig)
    _rest, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + sig, err
    assert "Traceback" not in err
    [doc] = _sessions(data)
    assert doc.status == "interrupted" and doc.stop_reason == f"signal:{sig.name}"
    assert 2 <= doc.steps_done < doc.steps_total and doc.ended
    assert doc.items[0].done["left"] == 2


def test_unknown_name_lists_close_names(tmp_path, capsys):
    code = main(["play", "morning stifness", "--plain", "--data-dir", str(tmp_path / "d")])
    err = capsys.readouterr().err
    assert code == 2
    assert "morning stifness" in err and "Morning stiffness" in err


def test_avoid_warnings_need_yes_when_not_interactive(tmp_path, capsys, monkeypatch):
    data = tmp_path / "d"
    with open_store(data) as store:
        store.set_profile(Profile(conditions=("spinal-stenosis",)))
    path = _routine_file(tmp_path, [{"stretch": "prone-press-up", "hold": 1, "reps": 1}])
    with open(os.devnull) as devnull:
        monkeypatch.setattr(sys, "stdin", devnull)
        code = main(["play", str(path), "--plain", "--no-checklist", "--data-dir", str(data)])
        out, err = capsys.readouterr()
        assert code == 2 and "--yes" in err and "AVOID" in out
        assert _sessions(data) == []
        code = main(["play", str(path), "--plain", "--no-checklist", "--yes", "--speed", "1000", "--data-dir", str(data)])
    assert code == 0
    assert [d.status for d in _sessions(data)] == ["completed"]


def test_invalid_file_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "bad.routine.json"
    path.write_text("{not json", "utf-8")
    code = main(["play", str(path), "--plain", "--data-dir", str(tmp_path / "d")])
    err = capsys.readouterr().err
    assert code == 2 and "bad.routine.json" in err and "Traceback" not in err


def test_play_exits_non_zero_when_the_session_could_not_be_saved(tmp_path, capsys, monkeypatch):
    """Disk full (or any store error) on every write: the session runs, says so, and play exits 2."""
    from stretchtui.commands import play_cmd
    from stretchtui.core.clock import FakeClock
    from stretchtui.core.storage.store import Store, StoreError

    clock = FakeClock()
    monkeypatch.setattr(play_cmd, "make_clock", lambda speed: clock)
    monkeypatch.setattr(play_cmd.time, "sleep", clock.advance)  # no real sleeping: time passes on the fake clock

    def full(*_a, **_k):
        raise StoreError("cannot save: the disk is full")

    monkeypatch.setattr(Store, "append_session", full)
    monkeypatch.setattr(Store, "update_session", full)
    path = _routine_file(tmp_path, [{"stretch": "pelvic-tilt", "reps": 2}])
    code = main(["play", str(path), "--plain", "--no-checklist", "--data-dir", str(tmp_path / "d")])
    out, err = capsys.readouterr()
    assert "Session complete:" in out and "was not saved in the history" in out and "the disk is full" in err
    assert code == 2
    monkeypatch.undo()
    assert _sessions(tmp_path / "d") == []


def _plain_with_failing_updates(tmp_path, monkeypatch, fails):
    """Play a routine in plain mode; update_session raises StoreLocked on the calls ``fails`` picks."""
    from stretchtui.commands import play_cmd
    from stretchtui.core.clock import FakeClock
    from stretchtui.core.storage.store import Store, StoreLocked

    clock = FakeClock()
    monkeypatch.setattr(play_cmd, "make_clock", lambda speed: clock)
    monkeypatch.setattr(play_cmd.time, "sleep", clock.advance)
    real = Store.update_session
    calls = [0]

    def update(self, *a, **k):
        calls[0] += 1
        if fails(calls[0]):
            raise StoreLocked("another stretchtui (process 9) is busy writing; waited 5 s. Nothing was changed")
        return real(self, *a, **k)

    monkeypatch.setattr(Store, "update_session", update)
    path = _routine_file(tmp_path, [{"stretch": "pelvic-tilt", "reps": 2}])
    return main(["play", str(path), "--plain", "--no-checklist", "--data-dir", str(tmp_path / "d")])


def test_a_save_that_waited_for_a_lock_is_not_reported_as_lost(tmp_path, capsys, monkeypatch):
    """F11: an import held the lock for 12 s mid-session; later saves wrote everything: say saved, exit 0."""
    code = _plain_with_failing_updates(tmp_path, monkeypatch, lambda n: n == 2)
    out, _err = capsys.readouterr()
    assert code == 0 and "Saved in your history." in out and "A later save wrote all of it" in out
    monkeypatch.undo()
    (session,) = _sessions(tmp_path / "d")
    assert session.status == "completed"


def test_a_lost_end_says_exactly_what_the_history_has(tmp_path, capsys, monkeypatch):
    code = _plain_with_failing_updates(tmp_path, monkeypatch, lambda n: n >= 3)
    out, _err = capsys.readouterr()
    assert code == 2 and "Saved in your history." not in out
    monkeypatch.undo()
    (session,) = _sessions(tmp_path / "d")
    said = f"in the history only up to step {session.steps_done} of {session.steps_total}, as running"
    assert said in out and "(the end, pain and note) was not saved" in out


def test_the_app_player_reports_an_unsaved_session_through_the_exit_status():
    from stretchtui.commands.play_cmd import _WatchedStore
    from stretchtui.core.storage.store import StoreError

    class Flaky:
        fail = True

        def append_session(self, doc):
            if self.fail:
                raise StoreError("disk full")
            return 1

        def update_session(self, sid, doc):
            return None

        other = "passed through"

    inner = Flaky()
    store = _WatchedStore(inner)  # type: ignore[arg-type]  # a stand-in with the two writes only
    with pytest.raises(StoreError):
        store.append_session({})
    assert store.unsaved and store.other == "passed through"
    inner.fail = False
    store.append_session({})
    store.update_session(1, {})
    assert not store.unsaved  # the last write (the whole document) got through: saved


@pytest.mark.timeout(30)
@pytest.mark.parametrize("command", [[], ["play", "Morning stiffness"]])
def test_full_screen_app_refuses_redirected_output_at_once(tmp_path, command):
    """`stretchtui > file` used to write escape codes into the file and hang; now one line and exit 2."""
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_DRIVER"}
    # It used to hang: the timeout turns a hang into a failure (no timed assertion here).
    proc = subprocess.run(
        [sys.executable, "-m", "stretchtui", "--data-dir", str(data), *command],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=20, env=env,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""  # nothing, not escape codes, reaches the file
    [line] = proc.stderr.splitlines()
    assert line.startswith("stretchtui: the full-screen app needs a terminal") and "--plain" in line
    assert not data.exists()  # nothing was created


def test_require_terminal_lets_the_web_driver_through():
    import io

    from stretchtui.commands.app_cmd import NotATerminal, require_terminal

    with pytest.raises(NotATerminal):
        require_terminal(io.StringIO(), environ={})
    require_terminal(io.StringIO(), environ={"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver"})
