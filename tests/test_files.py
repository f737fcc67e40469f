"""One naming rule for exported files, path completion and resolution for the app's dialogs, and the
clipboard message (what was sent, and what tmux or screen need)."""

from __future__ import annotations

from pathlib import Path

from stretchtui.core.storage.files import (
    clipboard_report,
    complete_path,
    dialog_folder,
    export_file_name,
    file_stem,
    files_in,
    resolve_typed,
)


def test_one_file_name_for_a_routine_everywhere():
    assert export_file_name("Morning stiffness") == "morning-stiffness.routine.json"
    assert export_file_name("Morning Stiff!") == "morning-stiff.routine.json"
    assert export_file_name("Morning stiffness", ".html") == "morning-stiffness.html"
    assert file_stem("  ../../etc/passwd ") == "etc-passwd"  # never a path
    assert "\x1b" not in file_stem("\x1b[31mRed")
    assert file_stem("") == "routine" and file_stem("!!!") == "routine"
    assert len(file_stem("x" * 200)) == 60


def test_cli_export_uses_the_same_name(tmp_path, monkeypatch, capsys):
    from stretchtui.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STRETCHTUI_CONFIG", str(tmp_path / "none.toml"))
    assert main(["--data-dir", str(tmp_path / "data"), "export", "Morning stiffness"]) == 0
    out = capsys.readouterr().out
    target = tmp_path / export_file_name("Morning stiffness")
    assert target.exists()
    assert str(target) in out  # the absolute path is reported


def test_dialog_folder_is_the_configured_one_else_home(tmp_path, monkeypatch):
    assert dialog_folder(None, home=tmp_path) == tmp_path
    monkeypatch.chdir(tmp_path)
    assert dialog_folder(Path("exports")) == tmp_path / "exports"  # absolute, from the current folder
    monkeypatch.setenv("HOME", str(tmp_path))
    assert dialog_folder(Path("~/x")) == tmp_path / "x"


def test_typed_paths_are_taken_from_the_folder_shown(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    folder = tmp_path / "shown"
    assert resolve_typed("a.routine.json", folder) == folder / "a.routine.json"
    assert resolve_typed("  sub/../b.json ", folder) == folder / "b.json"
    assert resolve_typed("~/c.json", folder) == tmp_path / "home" / "c.json"
    assert resolve_typed("/abs/d.json", folder) == Path("/abs/d.json")


def test_completion_lists_folders_then_matching_files(tmp_path):
    (tmp_path / "routines").mkdir()
    (tmp_path / "rest").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "r1.routine.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "routines" / "morning.routine.json").write_text("{}")
    assert complete_path("", tmp_path) == ["rest/", "routines/", "r1.routine.json"]
    assert complete_path("ro", tmp_path) == ["routines/"]
    assert complete_path("routines/", tmp_path) == ["routines/morning.routine.json"]
    assert complete_path("routines/m", tmp_path) == ["routines/morning.routine.json"]
    assert complete_path(".", tmp_path) == [".hidden/"]
    assert complete_path("", tmp_path, ".txt") == ["rest/", "routines/", "notes.txt"]
    assert complete_path(str(tmp_path / "routines") + "/", Path("/elsewhere")) == [
        str(tmp_path / "routines" / "morning.routine.json")]
    assert complete_path("nope/", tmp_path) == []  # no such folder: nothing, no error
    assert files_in(tmp_path) == ["r1.routine.json"]


def test_clipboard_report_says_what_was_sent_and_what_tmux_needs():
    text, warn = clipboard_report(1234, {})
    assert text.startswith("Sent 1234 characters to the terminal clipboard (OSC 52).") and not warn
    tmux = {"TMUX": "/tmp/tmux-0/default,1,0"}
    text, warn = clipboard_report(1, tmux, tmux_on=lambda: False)
    assert text.startswith("Sent 1 character to") and warn
    assert "set -s set-clipboard on" in text
    # Once the advice was followed, the copy arrives: it is not repeated.
    text, warn = clipboard_report(1, tmux, tmux_on=lambda: True)
    assert "set-clipboard" not in text and not warn
    # tmux cannot be asked (not found): the advice stays.
    text, warn = clipboard_report(1, tmux, tmux_on=lambda: None)
    assert "set -s set-clipboard on" in text and warn
    text, _warn = clipboard_report(1, {}, instead="run stretchtui share NAME")
    assert text.endswith("run stretchtui share NAME.")
    text, warn = clipboard_report(5, {"STY": "123.pts-0"})
    assert "screen" in text and warn


def test_tmux_is_asked_whether_it_passes_the_clipboard_on():
    import subprocess

    from stretchtui.core.storage.files import tmux_passes_clipboard

    def answer(out: str, code: int = 0):
        return lambda *a, **k: subprocess.CompletedProcess(a, code, stdout=out, stderr="")

    assert tmux_passes_clipboard(answer("on\n")) is True
    assert tmux_passes_clipboard(answer("external\n")) is False
    assert tmux_passes_clipboard(answer("", 1)) is None

    def missing(*a, **k):
        raise FileNotFoundError("tmux")

    assert tmux_passes_clipboard(missing) is None
