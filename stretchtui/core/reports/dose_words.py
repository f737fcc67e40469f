"""A routine item's dose in words ("Hold 30 s, 3 times, each side; rest 10 s").

Its own small module: the Library's details pane shows it at start-up for a
user who left the app there, and the handout (figures, poses, HTML) is loaded
only when a handout is written.
"""

from __future__ import annotations

from ..domain.models import RoutineItem, Stretch


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def dose_text(item: RoutineItem, stretch: Stretch) -> str:
    """The item's dose in words, e.g. "Hold 30 s, 3 times, each side; rest 10 s"."""
    r = item.resolved(stretch)
    hold, reps, rest = r.hold or 0, r.reps or 1, r.rest or 0
    mode = stretch.dosage.mode
    if mode == "hold":
        text = f"Hold {hold} s, {plural(reps, 'time')}"
    elif mode == "reps":
        text = f"{plural(reps, 'slow repetition')} (about {hold} s each)"
    else:
        text = f"Keep moving gently for {hold} s" + (f", {plural(reps, 'time')}" if reps > 1 else "")
    sides = {"each": "each side", "left": "left side only", "right": "right side only"}.get(r.sides or "none")
    if sides:
        text += f", {sides}"
    if rest:
        text += f"; rest {rest} s between"
    return text
