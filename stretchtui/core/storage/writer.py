"""One writer thread: store writes run off the caller's thread, one at a time, in order.

The app records a session at every step change and saves routines and the
profile; each write takes the store's lock and writes a file (and may wait
for another window's lock). :class:`SerialWriter` runs such jobs in the
order they were submitted, in a single background thread, so the caller (the
UI's event loop) never waits for the disk and writes can never overtake
each other (a session's "completed" record is never replaced by an earlier
"running" one).

The thread is started when there is work and ends when the queue is empty.
It is not a daemon: when the program ends, Python waits for the writes
already submitted (the last record of a session is not lost on quit).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any

Job = Callable[[], Any]
Done = Callable[[Any], object]
Failed = Callable[[BaseException], object]


class SerialWriter:
    """Runs submitted jobs one at a time, in order, in one background thread."""

    def __init__(self, name: str = "stretchtui-writer") -> None:
        self.name = name
        self._jobs: deque[tuple[Job, Done | None, Failed | None]] = deque()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None
        self._running = 0  # jobs taken from the queue and not finished yet

    def submit(self, job: Job, done: Done | None = None, failed: Failed | None = None) -> None:
        """Queue ``job``; ``done(result)`` or ``failed(exc)`` is called afterwards, in the writer thread."""
        with self._lock:
            self._jobs.append((job, done, failed))
            if self._thread is None:
                self._thread = threading.Thread(target=self._drain, name=self.name, daemon=False)
                self._thread.start()

    @property
    def pending(self) -> int:
        """Jobs submitted and not finished yet."""
        with self._lock:
            return len(self._jobs) + self._running

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every job submitted so far has finished; False on timeout (for tests and exits)."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._jobs and not self._running, timeout)

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._jobs:
                    self._thread = None
                    self._idle.notify_all()
                    return
                job, done, failed = self._jobs.popleft()
                self._running = 1
            try:
                try:
                    result = job()
                except Exception as exc:
                    if failed is not None:
                        failed(exc)
                else:
                    if done is not None:
                        done(result)
            except Exception:  # a callback that fails must not stop later writes
                pass
            finally:
                with self._lock:
                    self._running = 0
