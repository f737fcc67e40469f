"""Every command the CLI prints is runnable as printed, also when `stretchtui`
is not on PATH (README's first command installs it into .venv/bin)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from stretchtui.cli import COMMANDS
from stretchtui.core.invocation import COMMAND_NAMES, runnable

VENV_SCRIPT = Path(sys.executable).parent / "stretchtui"


def test_the_command_names_are_the_clis():
    assert set(COMMAND_NAMES) == {c for c in COMMANDS if c} | {"_complete"}


def test_commands_in_text_are_rewritten_and_prose_is_not():
    prefix = "/home/me/stretchtui/.venv/bin/stretchtui"
    text = ("Time to stretch. Run: stretchtui play 'Morning stiffness'\n"
            "Why: `stretchtui check Mine`. stretchtui informs; it does not diagnose. Run: stretchtui")
    assert runnable(text, prefix) == (
        f"Time to stretch. Run: {prefix} play 'Morning stiffness'\n"
        f"Why: `{prefix} check Mine`. stretchtui informs; it does not diagnose. Run: {prefix}")
    assert runnable(text, "stretchtui") == text
    # Prose that names the program is not a command.
    for prose in ["not a stretchtui history file", "Stretching summary from stretchtui\n",
                  "stretchtui web mode stopped.", "made by a newer stretchtui; update stretchtui"]:
        assert runnable(prose, prefix) == prose
    assert runnable("  stretchtui psfs add 'x' 4", prefix) == f"  {prefix} psfs add 'x' 4"
    assert runnable("done < <(stretchtui _complete routines", prefix) == f"done < <({prefix} _complete routines"
    assert runnable("see stretchtui.1.abc or /x/stretchtui play", prefix) == "see stretchtui.1.abc or /x/stretchtui play"


def _run(path: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=path)
    return subprocess.run([str(VENV_SCRIPT), *args], capture_output=True, text=True, env=env, timeout=60)


def test_a_hint_names_the_venv_script_when_stretchtui_is_not_on_path(tmp_path):
    if not VENV_SCRIPT.exists():
        import pytest

        pytest.skip("not run from a venv with the stretchtui script")
    without = _run("/usr/bin:/bin", "check", "no such routine", "--data-dir", str(tmp_path))
    assert f"Run `{VENV_SCRIPT} routines`" in without.stderr, without.stderr
    with_venv = _run(f"{VENV_SCRIPT.parent}:/usr/bin:/bin", "check", "no such routine", "--data-dir", str(tmp_path))
    assert "Run `stretchtui routines`" in with_venv.stderr, with_venv.stderr
    script = _run("/usr/bin:/bin", "completion", "bash").stdout
    assert f"{VENV_SCRIPT} _complete routines" in script, "completion works without stretchtui on PATH"
