"""Session documents for the progression / check-in tests (as the player stores them)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


def session_doc(
    day: int, *, routine: str = "Morning back", items=(("knee-to-chest", 20, 3),), response="same",
    pain=(2, 1), status="completed", counted=True, checkin=None, start: datetime | None = None,
    minutes: int = 10, done: int = 3,
) -> dict:
    """A session ``day`` days after T0; ``items`` are (stretch, hold, reps)."""
    started = start or T0 + timedelta(days=day)
    ended = started + timedelta(minutes=minutes)
    return {
        "schema": 3,
        "routine": routine,
        "started": started.isoformat(timespec="seconds"),
        "ended": ended.isoformat(timespec="seconds"),
        "status": status,
        "counted": counted,
        "stop_reason": None,
        "active_seconds": minutes * 60.0,
        "pain_before": pain[0] if pain else None,
        "pain_after": pain[1] if pain else None,
        "note": "",
        "items": [
            {"stretch": sid, "name": sid, "mode": "hold", "hold": hold, "reps": reps, "sides": "each",
             "rest": 10, "done": {"left": done, "right": done}, "skipped": {}, "response": response}
            for sid, hold, reps in items
        ],
        "checkin": checkin,
    }
