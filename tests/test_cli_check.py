"""`stretchtui check FILE`: exit 0 clean, 1 warnings, 2 invalid (message on stderr, no traceback)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from stretchtui.cli import main

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path, monkeypatch):
    """`check` reads the profile: never the real user's (an empty profile here)."""
    monkeypatch.setenv("STRETCHTUI_DATA_DIR", str(tmp_path / "data"))


def write(tmp_path, obj, name="r.routine.json"):
    path = tmp_path / name
    if isinstance(obj, bytes):
        path.write_bytes(obj)
    elif isinstance(obj, str):
        path.write_text(obj, "utf-8")
    else:
        path.write_text(json.dumps(obj), "utf-8")
    return path


def doc(items, **extra):
    return {"stretchtui": "routine", "version": 1, "name": "Test", "items": items, **extra}


def run(capsys, *argv):
    code = main(["check", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_file_exits_0(tmp_path, capsys):
    path = write(tmp_path, doc([{"stretch": "ankle-pumps"}, {"stretch": "knee-to-chest"}]))
    code, out, err = run(capsys, path)
    assert code == 0, out + err
    assert "Test: valid, 2 stretches" in out
    assert "No warnings." in out
    assert err == ""


def test_caution_or_avoid_exits_1_and_groups_by_level(tmp_path, capsys):
    path = write(
        tmp_path,
        doc([{"stretch": "knee-to-chest"}, {"stretch": "prone-press-up"}, {"stretch": "toe-touch"}]),
    )
    code, out, _err = run(capsys, path, "--condition", "spinal-stenosis")
    assert code == 1
    assert out.index("AVOID") < out.index("INFO")
    assert "Prone Press-Up" in out and "Knee to Chest" in out
    assert "Why: " in out and "Instead: " in out
    assert "Spinal stenosis" in out  # the conditions it was checked for


def test_info_only_exits_0(tmp_path, capsys):
    path = write(tmp_path, doc([{"stretch": "knee-to-chest"}]))  # no warm-up: info
    code, out, _err = run(capsys, path)
    assert code == 0
    assert "INFO (1)" in out and "warm-up" in out


def test_unknown_condition_exits_2_with_the_valid_list(tmp_path, capsys):
    path = write(tmp_path, doc([{"stretch": "ankle-pumps"}]))
    code, out, err = run(capsys, path, "--condition", "bad-knee")
    assert code == 2 and out == ""
    assert "bad-knee" in err and "spinal-stenosis" in err and "osteoporosis" in err


def test_markup_like_name_is_printed_literally(tmp_path, capsys):
    path = write(tmp_path, doc([{"stretch": "ankle-pumps"}], name="[bold]x[/] \x1b]0;evil\x07\u202e"))
    code, out, _err = run(capsys, path)
    assert code == 0
    assert "[bold]x[/]" in out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out


def test_stdin(capsys, monkeypatch):
    data = json.dumps(doc([{"stretch": "ankle-pumps"}])).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _err = run(capsys, "-")
    assert code == 0 and "valid" in out


BIG = json.dumps(doc([{"stretch": "ankle-pumps"}])) + " " * (1024 * 1024)


@pytest.mark.parametrize(
    "content, expected",
    [
        (b'{"stretchtui": "routine", "version": 1, "name": "caf\xe9"}', "not valid UTF-8"),
        (BIG, "too large"),
        ('{"stretchtui": "routine", "version": 1, "version": 1, "name": "x", "items": [{"stretch": "ankle-pumps"}]}',
         "version: this key appears more than once"),
        ('{"stretchtui": "routine", "version": 1, "name": "x", "items": [{"stretch": "ankle-pumps", "hold": NaN}]}',
         "NaN"),
        (doc([{"stretch": "ankle-pumps"}], colour="red"), 'colour: unknown key'),
        (doc([{"stretch": "ankle-pumps", "speed": 2}]), "items[0].speed: unknown key"),
        ({"stretchtui": "playlist", "version": 1, "name": "x", "items": []}, "not a stretchtui routine file"),
        (doc([{"stretch": "ankle-pumps"}], version=2), "made by a newer stretchtui"),
        (doc([{"stretch": "ankle-pumps", "reps": True}]), "items[0].reps: must be a whole number"),
        (doc([{"stretch": "ankle-pumps", "hold": 2.5}]), "items[0].hold: must be a whole number"),
        (doc([{"stretch": "ankle-pumps", "rest": 9999}]), "items[0].rest: 9999 is out of range"),
        (doc([{"stretch": "ankle-pumps"}] * 101), "too many"),
        (doc([]), "no stretches"),
        (doc([{"stretch": "ankle-pumps"}], name="n" * 81), "name: is 81 characters long"),
        (doc([{"stretch": "knee-to-chestt"}]), "Did you mean knee-to-chest"),
        ("not json at all", "not valid JSON"),
    ],
)
def test_bad_files_exit_2_with_a_message_naming_the_problem(tmp_path, capsys, content, expected):
    path = write(tmp_path, content)
    code, out, err = run(capsys, path)
    assert code == 2
    assert out == ""
    assert err.startswith("stretchtui: ")
    assert str(path) in err
    assert expected in err
    assert "Traceback" not in err


def test_missing_file_and_directory_exit_2(tmp_path, capsys):
    code, _out, err = run(capsys, tmp_path / "nope.routine.json")
    assert code == 2 and "no such file" in err
    code, _out, err = run(capsys, tmp_path)
    assert code == 2 and "is a directory" in err


@pytest.mark.timeout(20)
def test_fifo_exits_2_without_hanging(tmp_path):
    fifo = tmp_path / "pipe.routine.json"
    os.mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "stretchtui", "check", str(fifo)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=15,
    )
    assert result.returncode == 2
    assert "not a regular file" in result.stderr
    assert "Traceback" not in result.stderr
