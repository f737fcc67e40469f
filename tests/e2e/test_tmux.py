"""End to end in a real terminal: the installed ``stretchtui`` inside tmux at 80x24.

Each test starts its own tmux server (``tmux -L e2e-<random>``, no user
config, status line off so the pane is the whole 80x24 window) on a fresh
data directory, types keys with ``send-keys``, reads the screen with
``capture-pane -p`` and polls for what a person would look for, with
timeouts and no fixed sleeps. The command is the ``stretchtui`` script next
to the running Python (what README's install line puts in ``.venv/bin``),
else ``python -m stretchtui`` from the repository.

The mouse test writes SGR mouse reports (``ESC [ < b ; x ; y M/m``) into the
pane (``load-buffer`` + ``paste-buffer``): that is the byte stream a terminal sends for a
real press, drag and release, and Textual reads it from stdin like any other
mouse input.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
WIDTH, HEIGHT = 80, 24

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None,
    reason="tmux is not installed (.ci/run installs it; on Debian: apt-get install tmux)",
)


def stretchtui_command() -> list[str]:
    """The installed ``stretchtui`` beside this Python, else ``python -m stretchtui``."""
    script = Path(sys.executable).parent / "stretchtui"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "stretchtui"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("STRETCHTUI_DATA_DIR", None)
    return subprocess.run(
        [*stretchtui_command(), *args], capture_output=True, text=True, timeout=60, cwd=REPO, env=env
    )


class Tmux:
    """One private tmux server with one 80x24 pane running a command."""

    def __init__(self, tmp: Path) -> None:
        self.socket = f"e2e-{uuid.uuid4().hex[:10]}"
        self.config = tmp / "tmux.conf"
        self.config.write_text(
            "set -g status off\n"
            "set -g remain-on-exit on\n"
            "set -g default-terminal screen-256color\n"
            "set -g history-limit 0\n"
        )
        self.started = False

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", str(self.config), *args],
            capture_output=True, text=True, timeout=20, check=check,
        )

    def start(self, argv: Sequence[str]) -> None:
        env = {
            "PYTHONPATH": str(REPO),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "COLORTERM": "truecolor",
            "TEXTUAL_ANIMATIONS": "none",
        }
        command = " ".join(_quote(a) for a in ["env", "-u", "STRETCHTUI_DATA_DIR",
                                                *(f"{k}={v}" for k, v in env.items()), *argv])
        self.tmux("new-session", "-d", "-s", "e2e", "-x", str(WIDTH), "-y", str(HEIGHT), "-c", str(REPO), command)
        self.started = True

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "e2e").stdout

    def keys(self, *keys: str) -> None:
        """tmux key names: ``Enter``, ``Escape``, ``Down``, ``a``, ..."""
        for key in keys:
            self.tmux("send-keys", "-t", "e2e", key)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "e2e", "-l", text)

    def raw(self, data: bytes) -> None:
        """Bytes into the pane's input in one write, as a terminal sends them.

        (``send-keys -H`` writes byte by byte; a lone ESC at the end of a read
        can then be taken for the Escape key.) ``paste-buffer`` without ``-p``
        writes the buffer as-is, with no bracketed-paste markers.
        """
        subprocess.run(["tmux", "-L", self.socket, "-f", str(self.config), "load-buffer", "-b", "raw", "-"],
                       input=data, capture_output=True, timeout=20, check=True)
        self.tmux("paste-buffer", "-b", "raw", "-d", "-r", "-t", "e2e")

    def pane(self, fmt: str) -> str:
        return self.tmux("display-message", "-p", "-t", "e2e", fmt).stdout.strip()

    def cursor(self) -> tuple[int, int]:
        x, y = self.pane("#{cursor_x} #{cursor_y}").split()
        return int(x), int(y)

    def wait_cursor_on(self, text: str, timeout: float = 10.0) -> None:
        """Wait until the terminal cursor is on the row showing ``text``.

        Textual puts the (hidden) terminal cursor where the focused input's
        cursor is, so this says which field has the focus. Keys typed before
        a focus change lands go to the old field.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            rows = [i for i, line in enumerate(screen.splitlines()) if text in line]
            if rows and self.cursor()[1] in rows:
                return
            time.sleep(0.05)
        pytest.fail(f"the cursor never reached the row of {text!r} (it is at {self.cursor()}); screen:\n{self.screen()}")

    def dead(self) -> bool:
        return self.pane("#{pane_dead}") == "1"

    def wait_for(self, what: str | Callable[[str], bool], timeout: float = 30.0) -> str:
        """Poll the screen until ``what`` (text, or a test of the screen) shows; fail with the screen."""
        test = (lambda s: what in s) if isinstance(what, str) else what
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if test(screen):
                return screen
            if self.dead():
                screen = self.screen()
                if test(screen):
                    return screen
                pytest.fail(f"stretchtui exited (status {self.pane('#{pane_dead_status}')}) while waiting for "
                            f"{what!r}; last screen:\n{screen}")
            time.sleep(0.1)
        pytest.fail(f"timed out after {timeout:.0f} s waiting for {what!r}; screen:\n{screen}")

    def wait_exit(self, timeout: float = 20.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.dead():
                return int(self.pane("#{pane_dead_status}") or 0)
            time.sleep(0.1)
        pytest.fail(f"stretchtui did not exit within {timeout:.0f} s; screen:\n{self.screen()}")

    def close(self) -> None:
        if not self.started:
            return
        socket_path = self.tmux("display-message", "-p", "#{socket_path}", check=False).stdout.strip()
        self.tmux("kill-server", check=False)
        if socket_path and Path(socket_path).name == self.socket:
            Path(socket_path).unlink(missing_ok=True)  # tmux leaves the socket file behind


def _quote(arg: str) -> str:
    return arg if re.fullmatch(r"[\w@%+=:,./-]+", arg) else "'" + arg.replace("'", "'\\''") + "'"


@pytest.fixture
def term(tmp_path: Path):
    t = Tmux(tmp_path)
    yield t
    t.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"  # not created: a first run starts from nothing
    return path


def sessions(data_dir: Path) -> list[dict]:
    result = run_cli("history", "--json", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    return data["sessions"] if isinstance(data, dict) else data


def dismiss_notice(term: Tmux) -> None:
    term.wait_for("I understand", timeout=30)
    term.keys("Enter")
    term.wait_for(lambda s: "I understand" not in s, timeout=10)


def find(screen: str, text: str) -> tuple[int, int]:
    """(column, row), 0-based, of ``text`` on the screen."""
    for row, line in enumerate(screen.splitlines()):
        col = line.find(text)
        if col >= 0:
            return col, row
    raise AssertionError(f"{text!r} is not on the screen:\n{screen}")


# ---------------------------------------------------------------- keyboard


def test_first_run_build_save_play_by_keyboard(term: Tmux, data_dir: Path):
    """A new user, keyboard only: notice, builder, save under a name, play at 100x, quit; history has it."""
    term.start([*stretchtui_command(), "--data-dir", str(data_dir), "--speed", "100"])
    dismiss_notice(term)
    term.wait_for("Catalog")

    term.keys("2")
    term.wait_for("Empty: drag a stretch here")
    term.keys("a")  # the highlighted catalog stretch (the first) after the routine cursor
    term.wait_for("1 stretch ")
    term.keys("Down", "a")
    screen = term.wait_for("2 stretches")
    assert "unsaved" in screen

    term.keys("s")
    term.wait_for("Save the routine as")
    term.type("Tmux quickie")
    term.wait_for(lambda s: "Save the routine as" in s and "Tmux quickie" in s, timeout=10)
    term.keys("Enter")
    screen = term.wait_for("Tmux quickie • saved", timeout=15)

    term.keys("p")
    term.wait_for("None of these: start")  # the red-flag checklist (on by default)
    term.keys("Enter")
    term.wait_for("Tmux quickie", timeout=10)
    term.wait_for("The session is over", timeout=60)  # the last stretch, asked when the session ends
    term.keys("Escape")  # left out
    screen = term.wait_for(lambda s: "Session complete" in s, timeout=30)
    term.wait_cursor_on("Pain before")  # "after" has the focus
    term.keys("3")
    term.wait_for(lambda s: re.search(r"after\W+3", s) is not None, timeout=10)
    term.keys("Tab")
    term.wait_cursor_on("Note")
    term.type("felt fine")
    term.wait_for("felt fine", timeout=10)
    term.keys("Enter")  # Enter in the note saves
    term.wait_for(lambda s: "Session complete" not in s and "Routine:" in s, timeout=15)

    term.keys("q")
    assert term.wait_exit() == 0

    done = [s for s in sessions(data_dir) if s.get("routine") == "Tmux quickie"]
    assert len(done) == 1, done
    assert done[0]["status"] == "completed"
    assert done[0]["pain_after"] == 3
    assert done[0]["note"] == "felt fine"
    assert done[0]["steps_done"] == done[0]["steps_total"] > 0
    listed = run_cli("routines", "--data-dir", str(data_dir))
    assert "Tmux quickie" in listed.stdout


def test_play_command_runs_a_starter_and_exits(term: Tmux, data_dir: Path):
    """``stretchtui play NAME --speed 100`` on a fresh install: notice, session, summary, back to the shell."""
    term.start([*stretchtui_command(), "play", "Desk neck and upper back", "--speed", "100",
                "--no-checklist", "--data-dir", str(data_dir)])
    dismiss_notice(term)
    term.wait_for("Desk neck and upper back", timeout=10)
    term.wait_for("The session is over", timeout=90)  # the last stretch, asked when the session ends
    term.keys("Escape")  # left out
    term.wait_for("Session complete", timeout=30)
    term.keys("Escape")  # nothing typed: close without changes
    assert term.wait_exit() == 0

    recorded = sessions(data_dir)
    assert [s["routine"] for s in recorded] == ["Desk neck and upper back"]
    assert recorded[0]["status"] == "completed"


# ---------------------------------------------------------------- mouse


def sgr(button: int, x: int, y: int, release: bool = False) -> bytes:
    """An SGR mouse report for 0-based cell (x, y)."""
    return f"\x1b[<{button};{x + 1};{y + 1}{'m' if release else 'M'}".encode()


def test_mouse_drag_from_catalog_into_routine(term: Tmux, data_dir: Path):
    """Press on a catalog stretch, drag it over the routine, release: it is added where it was dropped."""
    term.start([*stretchtui_command(), "--data-dir", str(data_dir)])
    dismiss_notice(term)
    term.keys("2")
    screen = term.wait_for("Empty: drag a stretch here")
    # Wait until the terminal has mouse tracking on (Textual asks for it at start-up).
    deadline = time.monotonic() + 10
    while term.pane("#{mouse_any_flag}#{mouse_sgr_flag}") != "11" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert term.pane("#{mouse_sgr_flag}") == "1", "the app did not turn on SGR mouse reporting"

    sx, sy = find(screen, "Heel Slides")
    tx, ty = find(screen, "Empty: drag a stretch here")
    term.raw(sgr(0, sx + 2, sy))                        # press on "Heel Slides"
    term.raw(sgr(32, sx + 4, sy))                       # start moving with the button held
    term.raw(sgr(32, (sx + tx) // 2, sy))
    # Over the routine. A real pointer keeps reporting motion while the hand
    # moves; do the same until the marker shows (a busy app may not have
    # drawn the first report's effect yet).
    deadline = time.monotonic() + 15
    while True:
        term.raw(sgr(32, tx + 2, ty))
        try:
            screen = term.wait_for("drop Heel Slides at 1", timeout=1)
            break
        except pytest.fail.Exception:
            if time.monotonic() > deadline:
                raise
    term.raw(sgr(0, tx + 2, ty, release=True))          # let go
    screen = term.wait_for("1 stretch ", timeout=10)
    assert re.search(r"1\s+Heel Slides", screen), screen
    assert "unsaved" in screen

    term.keys("C-q")
    term.wait_for("Quit stretchtui?", timeout=10)  # unsaved changes: it asks first
    term.keys("y")
    assert term.wait_exit() == 0
