"""ui-state.json: where the user left the app (core/storage/ui_state.py).

A round trip keeps the mode and the builder's routine; a file that cannot be
used (garbage, wrong types, too large, another version, a link, a folder) is
ignored with one message naming it and left in place; a write interrupted
half way or killed leaves the previous file whole; names are kept as text.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import time

import pytest

from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.core.storage import safe_file
from stretchtui.core.storage.ui_state import (
    MAX_BYTES,
    UI_STATE_FILE,
    BuilderState,
    UiState,
    load_ui_state,
    parse_ui_state,
    save_ui_state,
)

DRAFT = Routine(name="Morning back", items=(RoutineItem("cat-cow"), RoutineItem("childs-pose", hold=40, reps=2)),
                notes="gentle")


@pytest.mark.parametrize("state", [
    UiState(),
    UiState(mode="library"),
    UiState(mode="builder", builder=BuilderState(saved="Morning back")),
    UiState(mode="history", builder=BuilderState(saved="Morning back", routine=DRAFT, dirty=True)),
    UiState(mode="catalog", builder=BuilderState(saved=None, routine=DRAFT, dirty=True)),
    UiState(mode="profile", builder=BuilderState(saved=None, routine=DRAFT, dirty=False)),  # a starter's copy
])
def test_round_trip(tmp_path, state):
    save_ui_state(tmp_path, state)
    read = load_ui_state(tmp_path)
    assert read.problem is None and read.state == state
    assert oct((tmp_path / UI_STATE_FILE).stat().st_mode & 0o777) == "0o600"


def test_no_file_is_a_new_start_and_says_nothing(tmp_path):
    read = load_ui_state(tmp_path)
    assert read.state is None and read.problem is None
    assert not (tmp_path / UI_STATE_FILE).exists()


def test_an_empty_builder_is_not_written(tmp_path):
    save_ui_state(tmp_path, UiState(mode="library", builder=BuilderState(routine=Routine(name=""))))
    doc = json.loads((tmp_path / UI_STATE_FILE).read_text())
    assert doc == {"stretchtui": "ui-state", "version": 1, "mode": "library", "builder": None}


def _docs() -> list:
    good = {"stretchtui": "ui-state", "version": 1, "mode": "library"}
    return [
        b"\x00\xff garbage",
        b"{not json",
        b'{"stretchtui": "ui-state", "version": 1, "mode": "library", "mode": "builder"}',  # a key twice
        b"[1, 2, 3]",
        b'{"stretchtui": "schedule", "version": 1}',  # another stretchtui file
        json.dumps({**good, "version": 2}).encode(),  # a newer stretchtui
        json.dumps({**good, "version": "1"}).encode(),
        json.dumps({**good, "mode": "player"}).encode(),  # never a player or a dialog
        json.dumps({**good, "mode": ["library"]}).encode(),
        json.dumps({**good, "builder": "Morning back"}).encode(),
        json.dumps({**good, "builder": {"saved": 7}}).encode(),
        json.dumps({**good, "builder": {"saved": "x" * 500}}).encode(),
        json.dumps({**good, "builder": {"routine": {"name": "A", "items": "cat-cow"}}}).encode(),
        json.dumps({**good, "builder": {"routine": {"name": "A", "items": [{"stretch": "cat-cow", "hold": -4}]}}}).encode(),
        json.dumps({**good, "builder": {"routine": {"name": "A", "items": [{"hold": 30}]}}}).encode(),
        json.dumps({**good, "builder": {"routine": {"name": "A", "items": [{"stretch": "c"}] * 101}}}).encode(),
        json.dumps({**good, "builder": {"routine": {"name": "A", "items": []}, "dirty": "yes"}}).encode(),
        json.dumps({**good, "builder": {"routine": {"name": "A", "notes": 3}}}).encode(),
        b'{"stretchtui": "ui-state", "version": 1, "mode": "library", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"stretchtui": "ui-state", "version": 1, "mode": "library", "n": NaN}',
    ]


@pytest.mark.parametrize("data", _docs())
def test_a_file_that_cannot_be_used_is_ignored_named_and_left_in_place(tmp_path, data):
    path = tmp_path / UI_STATE_FILE
    path.write_bytes(data)
    read = load_ui_state(tmp_path)
    assert read.state is None
    assert read.problem is not None and str(path) in read.problem
    assert "starting on the Catalog" in read.problem and "left as it is" in read.problem
    assert "\n" not in read.problem
    assert path.read_bytes() == data  # never deleted, emptied or changed by reading


def test_a_huge_file_is_not_read(tmp_path):
    path = tmp_path / UI_STATE_FILE
    with open(path, "wb") as f:
        f.write(b'{"stretchtui": "ui-state", "version": 1, "mode": "library", "pad": "')
        f.write(b"x" * (MAX_BYTES + 10))
        f.write(b'"}')
    read = load_ui_state(tmp_path)
    assert read.state is None and "too large" in (read.problem or "") and str(path) in (read.problem or "")
    assert path.stat().st_size > MAX_BYTES


def test_a_link_or_a_folder_in_its_place_is_ignored_and_left(tmp_path):
    target = tmp_path / "elsewhere.json"
    target.write_text(json.dumps({"stretchtui": "ui-state", "version": 1, "mode": "library"}))
    (tmp_path / UI_STATE_FILE).symlink_to(target)
    read = load_ui_state(tmp_path)
    assert read.state is None and "symbolic link" in (read.problem or "")
    assert (tmp_path / UI_STATE_FILE).is_symlink()
    # the next write replaces the link itself, never the file it points to
    save_ui_state(tmp_path, UiState(mode="history"))
    assert not (tmp_path / UI_STATE_FILE).is_symlink()
    assert json.loads(target.read_text())["mode"] == "library"

    other = tmp_path / "other"
    other.mkdir()
    (other / UI_STATE_FILE).mkdir()
    read = load_ui_state(other)
    assert read.state is None and "folder" in (read.problem or "")
    with pytest.raises(OSError):
        save_ui_state(other, UiState())
    assert (other / UI_STATE_FILE).is_dir()


def test_the_next_write_replaces_a_damaged_file(tmp_path):
    (tmp_path / UI_STATE_FILE).write_bytes(b"{damaged")
    assert load_ui_state(tmp_path).problem is not None
    save_ui_state(tmp_path, UiState(mode="profile"))
    assert load_ui_state(tmp_path).state == UiState(mode="profile")


def test_names_with_markup_and_escapes_are_kept_as_text_without_control_characters(tmp_path):
    name = "[bold]Hamstring [L][/] [@click=app.quit]x[/]"
    draft = Routine(name=name, items=(RoutineItem("cat-cow"),))
    save_ui_state(tmp_path, UiState(mode="builder", builder=BuilderState(saved=name, routine=draft, dirty=True)))
    state = load_ui_state(tmp_path).state
    assert state is not None and state.builder is not None
    assert state.builder.saved == name and state.builder.routine is not None and state.builder.routine.name == name

    # written by someone else: escape sequences, C1 controls and bidi overrides never come through
    hostile = "\x1b]0;pwned\x07Morning\x1b[2J \x9b31m\u202eback"
    doc = {"stretchtui": "ui-state", "version": 1, "mode": "builder",
           "builder": {"saved": hostile, "dirty": True,
                       "routine": {"name": hostile, "notes": "a\x1b[31mb", "items": [{"stretch": "cat\x1b-cow"}]}}}
    (tmp_path / UI_STATE_FILE).write_text(json.dumps(doc))
    state = load_ui_state(tmp_path).state
    assert state is not None and state.builder is not None and state.builder.routine is not None
    texts = [state.builder.saved or "", state.builder.routine.name, state.builder.routine.notes,
             state.builder.routine.items[0].stretch]
    for text in texts:
        assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f or c == "\u202e" for c in text), repr(text)
    assert "Morning" in state.builder.routine.name and "back" in state.builder.routine.name


def test_parse_keeps_a_clean_saved_routine_as_a_name_only():
    state = parse_ui_state(b'{"stretchtui": "ui-state", "version": 1, "mode": "builder", '
                           b'"builder": {"saved": "  Morning   back "}}')
    assert state == UiState(mode="builder", builder=BuilderState(saved="Morning back"))
    # "dirty" without a routine means nothing: the library's copy is reopened
    state = parse_ui_state(b'{"stretchtui": "ui-state", "version": 1, "builder": {"saved": "A", "dirty": true}}')
    assert state == UiState(mode="catalog", builder=BuilderState(saved="A"))


# ---------------------------------------------------------------- interrupted writes
def test_a_write_that_fails_half_way_leaves_the_old_file(tmp_path, monkeypatch):
    save_ui_state(tmp_path, UiState(mode="library"))
    before = (tmp_path / UI_STATE_FILE).read_bytes()

    def half(fd, data):
        os.write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safe_file, "_write_all", half)
    with pytest.raises(OSError):
        save_ui_state(tmp_path, UiState(mode="history", builder=BuilderState(routine=DRAFT, dirty=True)))
    monkeypatch.undo()
    assert (tmp_path / UI_STATE_FILE).read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [UI_STATE_FILE]  # no temporary file left


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_writer_killed_mid_write_leaves_a_whole_file(tmp_path):
    save_ui_state(tmp_path, UiState(mode="library"))
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child: writes half, says so, and waits to be killed
        os.close(read_fd)

        def half(fd, data):
            os.write(fd, bytes(data[: len(data) // 2]))
            os.write(write_fd, b"x")
            time.sleep(60)

        safe_file._write_all = half
        try:
            save_ui_state(tmp_path, UiState(mode="history", builder=BuilderState(routine=DRAFT, dirty=True)))
        finally:
            os._exit(0)
    os.close(write_fd)
    assert os.read(read_fd, 1) == b"x"
    os.close(read_fd)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    read = load_ui_state(tmp_path)
    assert read.problem is None and read.state == UiState(mode="library")
    leftover = [p.name for p in tmp_path.iterdir() if p.name.startswith(".ui-state.json.tmp-")]
    assert leftover == [f".ui-state.json.tmp-{pid}-" + leftover[0].rsplit("-", 1)[1]]
    # A live writer's temporary file (another window writing now) and anything else are left alone.
    live = tmp_path / f".ui-state.json.tmp-{os.getppid()}-00ff"
    live.write_bytes(b"{")
    other = tmp_path / ".ui-state.json.tmp-notes"
    other.write_bytes(b"mine")
    # the next write succeeds, and removes the dead writer's temporary file
    save_ui_state(tmp_path, UiState(mode="profile"))
    assert load_ui_state(tmp_path).state == UiState(mode="profile")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([UI_STATE_FILE, live.name, other.name])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_two_windows_writing_at_once_never_leave_half_a_file(tmp_path):
    """``stretchtui serve``: several app sessions on one data folder; the last writer wins."""
    big = Routine(name="Long", items=tuple(RoutineItem("cat-cow", hold=30) for _ in range(100)))

    def writer(mode: str) -> int:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            code = 0
            try:
                for _ in range(60):
                    save_ui_state(tmp_path, UiState(mode=mode, builder=BuilderState(routine=big, dirty=True)))
            except BaseException:
                code = 1
            os._exit(code)
        return pid

    running = {writer("library"), writer("history")}
    codes = []
    while running:
        read = load_ui_state(tmp_path)
        assert read.problem is None, read.problem
        for pid in list(running):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                running.discard(pid)
                codes.append(os.waitstatus_to_exitcode(status))
    assert codes == [0, 0]
    final = load_ui_state(tmp_path)
    assert final.problem is None and final.state is not None and final.state.mode in ("library", "history")
