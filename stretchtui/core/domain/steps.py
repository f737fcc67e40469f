"""The steps of a guided session (what the timeline makes and the player plays).

Their own module: the player and the timeline load it when a session is
played, not at the app's start (each frozen dataclass costs about half a
millisecond to create).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Step kinds produced by the timeline.
STEP_KINDS: tuple[str, ...] = ("get-ready", "hold", "rep", "move", "switch", "rest")
#: Step kinds that count as work done on a stretch.
WORK_KINDS: frozenset[str] = frozenset({"hold", "rep", "move"})


@dataclass(frozen=True)
class Step:
    """One step of a guided session.

    ``side`` is ``"left"``, ``"right"`` or ``None`` (symmetric stretch);
    ``rep``/``reps`` are 1-based. ``item`` is the index into the routine.
    """

    kind: str
    seconds: int
    item: int
    stretch_id: str
    name: str
    instruction: str
    side: str | None = None
    rep: int = 1
    reps: int = 1

    @property
    def is_work(self) -> bool:
        return self.kind in WORK_KINDS


@dataclass(frozen=True)
class Timeline:
    steps: tuple[Step, ...] = field(default_factory=tuple)

    @property
    def total_seconds(self) -> int:
        return sum(step.seconds for step in self.steps)

    def __len__(self) -> int:
        return len(self.steps)
