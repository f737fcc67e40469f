"""Injected time.

The player and everything that stamps a date take a clock object instead of
calling ``time`` directly, so tests run sessions on a :class:`FakeClock`
without sleeping and ``--speed`` runs a real session faster.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    """What the player and the store need to know about time."""

    def monotonic(self) -> float:
        """Seconds on a monotonic scale (session time)."""

    def now(self) -> datetime:
        """The current wall-clock time, timezone-aware."""


class SystemClock:
    """Real time."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now().astimezone()


class ScaledClock:
    """Session time running ``speed`` times faster (``--speed``).

    Only the session scale (:meth:`monotonic`) is sped up; :meth:`now` stays
    real wall-clock time, so a demo run never stamps dates in the future.
    """

    def __init__(self, speed: float = 1.0) -> None:
        if not speed > 0:
            raise ValueError("speed must be greater than 0")
        self.speed = speed
        self._mono0 = time.monotonic()

    def monotonic(self) -> float:
        return self._mono0 + (time.monotonic() - self._mono0) * self.speed

    def now(self) -> datetime:
        return datetime.now().astimezone()


class FakeClock:
    """A clock that only moves when told to. For tests and screenshots."""

    def __init__(self, start: datetime | None = None, monotonic: float = 1000.0) -> None:
        self._now = start or datetime(2026, 3, 2, 8, 0, 0, tzinfo=timezone.utc)
        if self._now.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start")
        self._mono = monotonic

    def monotonic(self) -> float:
        return self._mono

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        """Move both time scales forward by ``seconds``."""
        self._mono += seconds
        self._now += timedelta(seconds=seconds)
