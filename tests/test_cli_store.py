"""`stretchtui import / export / routines / history`, run through cli.main."""

from __future__ import annotations

import csv
import io
import json

import pytest

from stretchtui.cli import main
from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.storage.store import open_store

CATALOG = load_catalog()
SID = sorted(CATALOG.stretches)[0]


def routine_file(path, name="Morning", stretch=SID):
    path.write_text(json.dumps({"stretchtui": "routine", "version": 1, "name": name, "notes": "",
                                "items": [{"stretch": stretch}]}))
    return path


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STRETCHTUI_DATA_DIR", raising=False)
    return tmp_path / "data"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_reports_each_file_and_keeps_going(data, tmp_path, capsys):
    good = routine_file(tmp_path / "a.routine.json")
    bad = tmp_path / "bad.routine.json"
    bad.write_text("{nope")
    unknown = routine_file(tmp_path / "u.routine.json", name="U", stretch="no-such-stretch")
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(good), str(bad), str(unknown), str(good))
    assert code == 2
    assert out.splitlines()[0] == "imported Morning"
    assert out.splitlines()[1].startswith("imported Morning (2)")  # never an overwrite
    assert str(bad) in err and str(unknown) in err and "no-such-stretch" in err
    assert "Traceback" not in err
    assert [r.name for r in open_store(data).list_routines()] == ["Morning", "Morning (2)"]


def test_import_all_good_exit_0_and_env_data_dir(data, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("STRETCHTUI_DATA_DIR", str(data))
    code, out, _ = run(capsys, "import", str(routine_file(tmp_path / "a.json")))
    assert code == 0 and out == "imported Morning\n"
    assert open_store(data).get_routine("morning") is not None


def test_importing_a_starters_export_saves_a_named_copy(data, tmp_path, capsys):
    """A starter exported and imported again never lists a second "Morning stiffness"."""
    starter = load_catalog().starters[0]
    code, _, _ = run(capsys, "--data-dir", str(data), "export", starter.name, "-o", str(tmp_path / "s.routine.json"))
    assert code == 0
    code, out, _ = run(capsys, "--data-dir", str(data), "import", str(tmp_path / "s.routine.json"))
    assert code == 0 and out.startswith(f"imported {starter.name} (copy)")
    code, out, _ = run(capsys, "--data-dir", str(data), "import", str(tmp_path / "s.routine.json"))
    assert out.startswith(f"imported {starter.name} (copy 2)")
    assert {r.name for r in open_store(data).list_routines()} == {f"{starter.name} (copy)", f"{starter.name} (copy 2)"}


def test_export_refuses_to_overwrite_without_force(data, tmp_path, capsys):
    run(capsys, "--data-dir", str(data), "import", str(routine_file(tmp_path / "in.json", name="Morning Stiff!")))
    code, out, _ = run(capsys, "--data-dir", str(data), "export", "morning stiff!")
    target = tmp_path / "morning-stiff.routine.json"
    assert code == 0 and target.exists() and str(target.name) in out
    assert json.loads(target.read_text())["name"] == "Morning Stiff!"
    target.write_text("mine")
    code, _, err = run(capsys, "--data-dir", str(data), "export", "Morning Stiff!")
    assert code == 2 and "already exists" in err and "--force" in err
    assert target.read_text() == "mine"
    code, _, _ = run(capsys, "--data-dir", str(data), "export", "Morning Stiff!", "--force")
    assert code == 0 and json.loads(target.read_text())["items"] == [{"stretch": SID}]


def test_export_to_stdout_roundtrips_and_unknown_name_suggests(data, tmp_path, capsys):
    run(capsys, "--data-dir", str(data), "import", str(routine_file(tmp_path / "in.json")))
    code, out, _ = run(capsys, "--data-dir", str(data), "export", "Morning", "-o", "-")
    assert code == 0 and json.loads(out)["name"] == "Morning"
    code, out, err = run(capsys, "--data-dir", str(data), "export", "Mornin")
    assert code == 2 and out == "" and "no routine called 'Mornin'" in err and "'Morning'" in err


def test_routines_text_and_json(data, tmp_path, capsys):
    run(capsys, "--data-dir", str(data), "import", str(routine_file(tmp_path / "in.json")))
    code, out, _ = run(capsys, "--data-dir", str(data), "routines")
    assert code == 0 and "Morning" in out and "1 stretch" in out
    code, out, _ = run(capsys, "--data-dir", str(data), "routines", "--json")
    rows = json.loads(out)
    mine = [r for r in rows if not r["starter"]]
    assert mine[0]["name"] == "Morning" and mine[0]["item_count"] == 1 and mine[0]["total_seconds"] > 0
    assert len(rows) - len(mine) == len(CATALOG.starters)


def _sessions(data):
    s = open_store(data)
    s.append_session({"schema": 1, "routine": "=HYPERLINK(\"x\")", "started": "2026-03-02T08:00:00+00:00",
                      "ended": "2026-03-02T08:05:00+00:00", "status": "completed", "counted": True,
                      "stop_reason": None, "active_seconds": 300.0, "planned_seconds": 300, "items": [],
                      "steps_done": 6, "steps_skipped": 0, "steps_total": 6, "pain_before": 4,
                      "pain_after": 3, "note": "+1, felt \"ok\"\nsecond line",
                      "checkin": {"answer": "worse", "at": "2026-03-03T09:00:00+00:00"}})
    s.append_session({"schema": 1, "routine": "Evening", "started": "2026-03-01T20:00:00+00:00",
                      "ended": None, "status": "stopped", "counted": False, "stop_reason": "user",
                      "active_seconds": 42.0, "steps_done": 1, "steps_skipped": 0, "steps_total": 6,
                      "note": "-"})


def test_history_csv_is_safe_and_complete(data, capsys):
    _sessions(data)
    code, out, _ = run(capsys, "--data-dir", str(data), "history", "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["id", "routine", "started", "ended", "status", "duration", "steps_done",
                             "steps_skipped", "steps_total", "pain_before", "pain_after", "note",
                             "stop_reason", "counted", "checkin"]
    assert [r["routine"] for r in rows] == ["Evening", "'=HYPERLINK(\"x\")"]  # oldest first; defused
    assert rows[1]["note"] == "'+1, felt \"ok\"\nsecond line"
    assert rows[0]["note"] == "'-" and rows[0]["counted"] == "False" and rows[0]["stop_reason"] == "user"
    assert rows[1]["duration"] == "300.0" and rows[1]["pain_before"] == "4"
    assert rows[1]["checkin"] == "worse" and rows[0]["checkin"] == ""  # the day-after answer, when given


def test_history_json_and_text(data, capsys):
    _sessions(data)
    code, out, _ = run(capsys, "--data-dir", str(data), "history", "--json")
    data_out = json.loads(out)
    assert data_out["stretchtui"] == "history" and data_out["version"] == 3 and data_out["psfs"] == []
    docs = data_out["sessions"]
    assert code == 0 and [d["routine"] for d in docs] == ["Evening", '=HYPERLINK("x")'] and docs[1]["items"] == []
    assert all(len(d["id"]) == 32 for d in docs) and docs[0]["id"] != docs[1]["id"]
    code, out, _ = run(capsys, "--data-dir", str(data), "history")
    assert code == 0 and "Evening" in out and "(not counted)" in out and "5:00" in out
    assert out.splitlines()[1].endswith("next day: worse") and "next day" not in out.splitlines()[0]


def test_empty_store_messages(data, capsys):
    assert run(capsys, "--data-dir", str(data), "history")[1] == "No sessions recorded yet.\n"
    assert run(capsys, "--data-dir", str(data), "history", "--csv")[1].startswith("id,routine,")


def test_notices_go_to_stderr(data, capsys):
    data.mkdir()
    (data / "db.json").write_text("{broken")
    code, out, err = run(capsys, "--data-dir", str(data), "history")
    assert code == 0 and "could not be read" in err and "left as it is" in err
    assert out == "No sessions recorded yet.\n"
    assert (data / "db.json").read_text() == "{broken"  # a read-only command changes nothing


@pytest.mark.parametrize("command", [["history"], ["history", "--csv"], ["routines"], ["summary"]])
def test_read_only_commands_create_nothing(tmp_path, capsys, command):
    new = tmp_path / "new" / "path"
    code, _out, err = run(capsys, "--data-dir", str(new), *command)
    assert code == 0 and err == ""
    assert not (tmp_path / "new").exists()


def test_data_dir_that_is_a_file(tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("x")
    code, _, err = run(capsys, "--data-dir", str(f), "routines")
    assert code == 2 and err.startswith("stretchtui: ") and "is a file" in err


# ------------------------------------------------------------------ export --force faults
def _one_routine(data, tmp_path, capsys):
    f = routine_file(tmp_path / "in.routine.json", name="Morning")
    assert run(capsys, "--data-dir", str(data), "import", str(f))[0] == 0


@pytest.mark.parametrize("kind", ["symlink", "fifo", "device"])
def test_export_force_replaces_only_regular_files(data, tmp_path, capsys, kind):
    import os

    _one_routine(data, tmp_path, capsys)
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    target = tmp_path / "out.routine.json"
    if kind == "symlink":
        target.symlink_to(victim)
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/null")  # a device behind a link, and /dev/null itself below
    code, out, err = run(capsys, "--data-dir", str(data), "export", "Morning", "-o", str(target), "--force")
    assert code == 2 and out == "" and "only replaces regular files" in err
    assert victim.read_text() == "keep me"
    assert os.path.islink(target) or not target.is_file()
    if kind == "device":
        code, _, err = run(capsys, "--data-dir", str(data), "export", "Morning", "-o", "/dev/null", "--force")
        assert code == 2 and "not a regular file" in err
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("umask, mode", [(0o077, 0o600), (0o022, 0o644), (0o002, 0o664)])
def test_export_honours_the_umask(data, tmp_path, capsys, umask, mode):
    import os
    import stat

    _one_routine(data, tmp_path, capsys)
    old = os.umask(umask)
    try:
        for force in (False, True):
            target = tmp_path / "out.routine.json"
            argv = ["--data-dir", str(data), "export", "Morning", "-o", str(target)] + (["--force"] if force else [])
            assert run(capsys, *argv)[0] == 0
            assert stat.S_IMODE(os.stat(target).st_mode) == mode
    finally:
        os.umask(old)


def test_history_import_says_what_kind_of_wrong_file_it_was_given(tmp_path, capsys):
    from stretchtui.cli import main
    from stretchtui.core.domain.models import Routine, RoutineItem
    from stretchtui.core.storage.routine_file import routine_to_json

    cases = {
        "notes.txt": ("hello, not JSON\n", "not a history file (it is not JSON)"),
        "page.html": ("<!DOCTYPE html><html></html>", "not a history file (it is not JSON)"),
        "r.routine.json": (routine_to_json(Routine("R", (RoutineItem("chin-tuck"),))),
                           "this is a routine file, not a history file. Add the routine with `stretchtui import FILE`"),
        "cut.json": ('{"stretchtui": "history", "version": 3, "sessions": [{"id": "ab', "looks cut short"),
        "broken.json": ('{"stretchtui": "history",, "version": 3}', "Fix the JSON"),
    }
    for name, (text, expected) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert main(["history", "import", str(path), "--data-dir", str(tmp_path / "d")]) == 2
        err = capsys.readouterr().err
        assert expected in err, (name, err)
        assert "cut short" not in err or name == "cut.json", (name, err)
