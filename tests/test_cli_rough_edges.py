"""Command-line rough edges a new user hit (issue 26)."""

from __future__ import annotations

import pytest

from stretchtui.cli import main


def test_an_unknown_command_lists_the_real_ones_only(capsys):
    with pytest.raises(SystemExit):
        main(["foo"])
    err = capsys.readouterr().err
    assert "'catalog'" in err and "_complete" not in err


@pytest.mark.parametrize("argv", [["keys"], ["config", "path"], ["completion", "bash"]])
def test_every_command_takes_data_dir_as_the_man_page_says(argv, tmp_path, capsys):
    assert main([*argv, "--data-dir", str(tmp_path)]) == 0


def test_the_hidden_completion_helper_still_answers(tmp_path, capsys):
    assert main(["_complete", "routines", "Morn", "--data-dir", str(tmp_path)]) == 0
    assert "Morning stiffness" in capsys.readouterr().out


def test_config_show_names_the_real_default_export_folders(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("STRETCHTUI_CONFIG", str(tmp_path / "none.toml"))
    main(["config", "show"])
    out = capsys.readouterr().out
    assert "home folder" in out and "current folder" in out and "# export_folder: the current folder" not in out
