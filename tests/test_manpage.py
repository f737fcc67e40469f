"""The stretchtui(1) man page is generated from the parser and the committed copy is current."""

from __future__ import annotations

import argparse
import shutil
import subprocess
from pathlib import Path

import pytest

from stretchtui.cli import build_parser, main
from tools.manpage import render

PAGE = Path(__file__).resolve().parent.parent / "man" / "stretchtui.1"


def test_committed_man_page_is_current():
    assert PAGE.read_text(encoding="utf-8") == render(), (
        "man/stretchtui.1 is out of date: run `python tools/manpage.py -o man/stretchtui.1`"
    )


def test_page_documents_every_public_command_and_flag():
    page = render()
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    for choice in sub._get_subactions():
        assert f".SS\nstretchtui {choice.dest.replace('-', chr(92) + '-')}\n" in page
        for action in sub.choices[choice.dest]._actions:
            for flag in action.option_strings:
                assert flag.replace("-", "\\-") in page, (choice.dest, flag)
    assert "_complete" not in page  # the hidden helper stays out


def test_help_points_to_the_man_page(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "man stretchtui" in capsys.readouterr().out


def test_pyproject_installs_the_page():
    text = (PAGE.parent.parent / "pyproject.toml").read_text()
    assert '"man/stretchtui.1" = "share/man/man1/stretchtui.1"' in text


@pytest.mark.skipif(shutil.which("groff") is None, reason="groff is not installed")
def test_page_renders_without_roff_warnings():
    result = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", str(PAGE)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ""
