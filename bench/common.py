"""Shared helpers for the benchmarks: launching a program in a pty, reading
its screen output, and summarising timings.

Benchmarks report ratios against a reference measured in the same run, so the
machine's speed cancels out; they are never part of the test run.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSI_RE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")

BARE_APP = '''
from textual.app import App
from textual.widgets import Label

class Bare(App):
    def compose(self):
        yield Label("BARE-READY")

Bare().run()
'''


def compiled_env() -> dict:
    """Environment for launching Python programs as an installed copy would run.

    ``pip install`` compiles every module to bytecode; a source checkout run
    with ``PYTHONDONTWRITEBYTECODE=1`` (as in this dev environment) compiles
    stretchtui's ~30 modules from source on every launch (~20-40 ms), while
    Textual's are already compiled in site-packages. For a fair comparison,
    both programs may cache bytecode, in ``bench/.work/pycache`` (ignored by
    git; nothing is written next to the sources); run once as a warm-up.
    """
    prefix = ROOT / "bench" / ".work" / "pycache"
    prefix.mkdir(parents=True, exist_ok=True)
    # An empty PYTHONDONTWRITEBYTECODE counts as unset.
    return {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(prefix)}


def strip_ansi(text: str) -> str:
    return ANSI_RE.sub("", text)


def bare_app_file() -> Path:
    """A bare Textual app showing one Label (the start-up/memory reference)."""
    path = Path(tempfile.gettempdir()) / "stretchtui_bench_bare.py"
    path.write_text(BARE_APP)
    return path


def run_in_pty(
    argv: Sequence[str],
    marker: str | Sequence[str],
    *,
    env: dict | None = None,
    timeout: float = 20.0,
    linger: float = 0.0,
    cols: int = 80,
    rows: int = 24,
    cpu_out: list | None = None,
) -> tuple[float, int]:
    """Start ``argv`` in a pty and wait until ``marker`` appears on screen
    (a tuple of markers: until all of them have been written).

    Returns (seconds to the marker, peak RSS in KiB read from
    /proc/PID/status after ``linger`` more seconds of idling). With
    ``cpu_out``, the CPU seconds the process had used when the marker was
    seen are appended to it (every thread, from /proc; on a loaded machine
    this says more than the wall time, which mostly measures waiting for a core).
    """
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full_env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
    full_env.pop("TEXTUAL", None)
    if env:
        full_env.update(env)
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(argv), stdin=slave, stdout=slave, stderr=slave, env=full_env,
        start_new_session=True, close_fds=True,
    )
    os.close(slave)
    markers = (marker,) if isinstance(marker, str) else tuple(marker)
    buf = ""
    elapsed = None
    try:
        deadline = start + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                buf += chunk.decode("utf-8", "replace")
                screen = strip_ansi(buf)
                if all(m in screen for m in markers):
                    elapsed = time.perf_counter() - start
                    if cpu_out is not None:
                        cpu_out.append(process_cpu(proc.pid))
                    break
        if elapsed is None:
            raise RuntimeError(f"{argv[0]}: marker {marker!r} not seen in {timeout}s; screen: {strip_ansi(buf)[-400:]!r}")
        end = time.perf_counter() + linger
        while time.perf_counter() < end:  # keep draining so the app never blocks on output
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
        peak = peak_rss_kib(proc.pid)
        return elapsed, peak
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        os.close(master)


def peak_rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def process_cpu(pid: int) -> float:
    """CPU seconds used so far by every thread of ``pid`` (schedstat ns where there is one, else ticks)."""
    total = 0
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                total += int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[0])
            except (OSError, IndexError, ValueError):
                pass
    except OSError:
        return 0.0
    return total / 1e9 if total else cpu_seconds(pid)


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def python() -> str:
    return sys.executable
