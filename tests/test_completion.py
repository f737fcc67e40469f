"""Shell completion: `stretchtui completion bash|zsh|fish` and the hidden `_complete`."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys

import pytest

from stretchtui.cli import build_parser, main
from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.core.storage.store import open_store

SUBCOMMANDS = ("catalog", "check", "play", "export", "schedule", "due", "completion")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("STRETCHTUI_DATA_DIR", str(folder))
    store = open_store(folder)
    try:
        store.save_routine(Routine(name="Lunch  break", items=(RoutineItem("cat-cow"),)))
        store.save_routine(Routine(name="lunch walk-off", items=(RoutineItem("cat-cow"),)))
    finally:
        store.close()
    return folder


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_scripts_mention_every_public_subcommand(shell, capsys):
    code, out, err = run(capsys, "completion", shell)
    assert code == 0 and err == ""
    for name in SUBCOMMANDS:
        assert name in out
    assert "_complete routines" in out and "_complete conditions" in out
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    public = commands._get_subactions()
    assert {a.dest for a in public} >= set(SUBCOMMANDS)
    assert "_complete" not in {a.dest for a in public}  # the helper stays hidden


def test_bash_script_is_valid_bash(capsys, tmp_path):
    _, out, _ = run(capsys, "completion", "bash")
    path = tmp_path / "c.bash"
    path.write_text(out)
    result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("shell, check", [("zsh", ["zsh", "-n"]), ("fish", ["fish", "--no-execute"])])
def test_zsh_and_fish_scripts_parse_where_the_shell_is_installed(shell, check, capsys, tmp_path):
    if shutil.which(check[0]) is None:
        pytest.skip(f"{check[0]} is not installed")
    _, out, _ = run(capsys, "completion", shell)
    path = tmp_path / f"c.{shell}"
    path.write_text(out)
    result = subprocess.run([*check, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_complete_lists_routines_stretches_and_conditions(data, capsys):
    code, out, _ = run(capsys, "_complete", "routines", "LUN")
    assert code == 0 and out.splitlines() == ["Lunch break", "lunch walk-off"]
    _, out, _ = run(capsys, "_complete", "routines", "sciatica")
    assert out.splitlines() == ["Sciatica relief"]  # a starter
    _, out, _ = run(capsys, "_complete", "stretches", "cat-")
    assert out.splitlines() == ["cat-cow"]
    _, out, _ = run(capsys, "_complete", "conditions", "sp")
    assert out.splitlines() == ["spinal-stenosis", "spondylolisthesis"]


def test_complete_never_creates_a_data_folder(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "nothing-here"
    monkeypatch.setenv("STRETCHTUI_DATA_DIR", str(folder))
    code, out, _ = run(capsys, "_complete", "routines", "")
    assert code == 0 and "Morning stiffness" in out and not folder.exists()


BASH_DRIVER = r'''
source "$1"
t() { COMP_WORDS=("${@:2}"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=(); _shtab_stretchtui
      printf '%s|' "${COMPREPLY[@]}"; echo; }
t x stretchtui play Lun
t x stretchtui export lunch\ w
t x stretchtui schedule set --routine Scia
t x stretchtui catalog --safe-for spin
t x stretchtui sche
'''


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_routine_names_quoted_for_the_shell(data, capsys, tmp_path, monkeypatch):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    shim = bindir / "stretchtui"  # the script calls `stretchtui`: this one runs the code under test
    shim.write_text(f'#!/bin/sh\nexec {sys.executable} -m stretchtui "$@"\n')
    shim.chmod(0o755)
    _, out, _ = run(capsys, "completion", "bash")
    script = tmp_path / "c.bash"
    script.write_text(out)
    env = {"PATH": f"{bindir}:/usr/bin:/bin", "STRETCHTUI_DATA_DIR": str(data), "HOME": str(tmp_path)}
    result = subprocess.run(["bash", "-c", BASH_DRIVER, "driver", str(script)], capture_output=True,
                            text=True, env=env, cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert lines[0] == r"Lunch\ break|lunch\ walk-off|", result.stderr
    assert lines[1] == r"lunch\ walk-off|"
    assert lines[2] == r"Sciatica\ relief|"
    assert lines[3] == "spinal-stenosis|"
    assert lines[4] == "schedule|"


def test_unknown_shell_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["completion", "tcsh"])
    assert exc.value.code == 2
    assert "invalid choice: 'tcsh'" in capsys.readouterr().err
