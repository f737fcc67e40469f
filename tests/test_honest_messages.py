"""Honest messages (issue 27, F11): a full disk during an import or a
migration, deep JSON, a data folder without the x permission. Each says
what was and was not saved, names the folder, and never exits 70.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from stretchtui.cli import main
from stretchtui.core.storage import safe_file
from stretchtui.core.storage.store import open_store
from tests.test_store_faults import fork, wait
from tests.test_store_layout import legacy_db


def _disk_fills_after(monkeypatch, writes: int) -> None:
    """Every write after the first ``writes`` fails with ENOSPC, like a disk that fills up."""
    real = safe_file._write_all
    count = [0]

    def write(fd, data):
        count[0] += 1
        if count[0] > writes:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd, data)

    monkeypatch.setattr(safe_file, "_write_all", write)


def _history_file(path, years=(2024, 2025, 2026), per_year=100) -> None:
    sessions = [{"id": f"{y:04d}{n:028x}", "schema": 3, "routine": "R", "started": f"{y}-03-02T08:00:00+00:00",
                 "status": "completed"} for y in years for n in range(per_year)]
    path.write_text(json.dumps({"stretchtui": "history", "version": 3, "sessions": sessions}))


def test_disk_full_during_an_import_says_what_was_imported(tmp_path, capsys, monkeypatch):
    data = tmp_path / "d"
    open_store(data).close()
    _history_file(tmp_path / "h.json")
    _disk_fills_after(monkeypatch, 2)  # the id counter, then 2024: 2025 does not fit
    code = main(["--data-dir", str(data), "history", "import", str(tmp_path / "h.json")])
    err = capsys.readouterr().err
    monkeypatch.undo()
    assert code == 2 and "Traceback" not in err
    assert "100 of 300 new sessions were imported" in err and "the 200 of 2025 and later were not" in err
    assert "Nothing was changed" not in err
    assert len(open_store(data).list_sessions()) == 100  # exactly what it said
    assert main(["--data-dir", str(data), "history", "import", str(tmp_path / "h.json")]) == 0  # and again
    assert "imported 200 sessions" in capsys.readouterr().out


def test_disk_full_during_a_migration_is_a_clear_message_and_changes_nothing(tmp_path, capsys, monkeypatch):
    data = tmp_path / "d"
    legacy_db(data)
    original = (data / "db.json").read_bytes()
    _disk_fills_after(monkeypatch, 1)
    code = main(["--data-dir", str(data), "profile", "--flare", "off"])
    err = capsys.readouterr().err
    monkeypatch.undo()
    assert code == 2 and "the disk is full" in err and "Free some space" in err and "unexpected" not in err
    assert (data / "db.json").read_bytes() == original and not (data / "layout.json").exists()
    assert len(open_store(data).list_sessions()) == 7  # the next start migrates


@pytest.mark.parametrize("name", ["library.json", "sessions-2026.json", "schedule.json", "history-file"])
def test_deep_json_is_a_clear_message(tmp_path, capsys, name):
    data = tmp_path / "d"
    s = open_store(data)
    s.append_session({"routine": "R", "started": "2026-03-02T08:00:00+00:00", "status": "completed"})
    s.close()
    deep = "[" * 100_000 + "]" * 100_000
    if name == "history-file":
        (tmp_path / "h.json").write_text(deep)
        argv = ["history", "import", str(tmp_path / "h.json")]
    else:
        (data / name).write_text(deep)
        argv = ["due"] if name == "schedule.json" else ["history"]
    code = main(["--data-dir", str(data), *argv])
    err = capsys.readouterr().err
    assert code in (0, 2) and "Traceback" not in err and "unexpected" not in err
    assert name.replace("history-file", "h.json") in err


@pytest.mark.skipif(not hasattr(os, "fork") or os.geteuid() != 0, reason="needs root to become another user")
def test_a_data_folder_without_the_x_permission():
    """Run as 'nobody' over a folder 0600 it owns (root would search any folder)."""
    import pwd
    import tempfile

    nobody = pwd.getpwnam("nobody")
    base = Path(tempfile.mkdtemp(prefix="stretchtui-x-"))  # a path 'nobody' can reach
    try:
        os.chmod(base, 0o755)
        data = base / "d"
        open_store(data).close()
        for p in [data, *data.iterdir()]:
            os.chown(p, nobody.pw_uid, nobody.pw_gid)
        os.chmod(data, 0o600)  # read and write, no search
        read_end, write_end = os.pipe()

        def child() -> None:
            os.close(read_end)
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                codes = [main(["--data-dir", str(data), *argv]) for argv in (["history"], ["routines"], ["due"])]
            os.write(write_end, json.dumps([codes, err.getvalue()]).encode())

        pid = fork(child)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            result = pipe.read()
        assert wait(pid) == 0
        codes, err = json.loads(result)
        assert 70 not in codes and "unexpected" not in err, (codes, err)
        assert "permission denied" in err and f"chmod 700 {data}" in err
    finally:
        shutil.rmtree(base, ignore_errors=True)
