"""Turn a routine into the ordered steps a guided session runs.

Pure and deterministic: the same routine, catalog and settings always give
the same steps, which is what the player, the CLI's ``--plain`` mode, the
routine's "total time" and the tests all rely on.

Per item the sequence is::

    get-ready
    for each side (left, right | one side | no side):
        switch          (before the second side)
        work, rest, work, rest, ... work    (``reps`` work steps)
    rest between items (profile's default rest), except after the last item

A work step is ``hold`` (static hold), ``rep`` (one moving repetition) or
``move`` (continuous movement), from the stretch's dosage mode.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .models import Routine, RoutineItem, Stretch
from .steps import Step, Timeline

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog

#: Seconds given to change sides.
SWITCH_SECONDS = 5

_POSITION_PHRASE = {
    "supine": "lie on your back",
    "prone": "lie on your front",
    "quadruped": "come onto hands and knees",
    "kneeling": "kneel down",
    "seated": "sit tall",
    "standing": "stand tall",
}

_WORK_KIND = {"hold": "hold", "reps": "rep", "duration": "move"}


def item_sides(sides: str) -> tuple[str | None, ...]:
    """The sides an item is run on, in order."""
    if sides == "each":
        return ("left", "right")
    if sides in ("left", "right"):
        return (sides,)
    return (None,)


def _work_instruction(kind: str, side: str | None) -> str:
    where = f" ({side} side)" if side else ""
    if kind == "hold":
        return f"Hold the stretch{where}; breathe slowly"
    if kind == "rep":
        return f"Move slowly through the repetition{where}"
    return f"Keep moving gently{where}"


def item_steps(
    index: int,
    item: RoutineItem,
    stretch: Stretch,
    *,
    get_ready: int = 5,
    switch_seconds: int = SWITCH_SECONDS,
) -> list[Step]:
    """The steps of one routine item (without the rest that follows it)."""
    it = item.resolved(stretch)
    assert it.hold is not None and it.reps is not None and it.sides is not None and it.rest is not None
    kind = _WORK_KIND[stretch.dosage.mode]
    steps: list[Step] = []

    def add(kind_: str, seconds: int, instruction: str, side: str | None = None, rep: int = 1) -> None:
        steps.append(
            Step(
                kind=kind_,
                seconds=seconds,
                item=index,
                stretch_id=stretch.id,
                name=stretch.name,
                instruction=instruction,
                side=side,
                rep=rep,
                reps=it.reps or 1,
            )
        )

    sides = item_sides(it.sides)
    if get_ready > 0:
        phrase = _POSITION_PHRASE.get(stretch.position, "get into position")
        first = f", {sides[0]} side first" if sides[0] else ""
        add("get-ready", get_ready, f"Get ready: {phrase}{first}", sides[0])
    for side_no, side in enumerate(sides):
        if side_no > 0 and switch_seconds > 0:
            add("switch", switch_seconds, f"Switch to the {side} side", side)
        for rep in range(1, it.reps + 1):
            add(kind, it.hold, _work_instruction(kind, side), side, rep)
            if rep < it.reps and it.rest > 0:
                add("rest", it.rest, "Rest and breathe", side, rep)
    return steps


def build_timeline(
    routine: Routine,
    stretches: Mapping[str, Stretch],
    *,
    get_ready: int = 5,
    between: int = 0,
    switch_seconds: int = SWITCH_SECONDS,
) -> Timeline:
    """All steps of ``routine``.

    ``stretches`` maps ids to stretches (``catalog.stretches``); an unknown id
    raises ``KeyError``. ``between`` is the rest between items (the profile's
    default rest); ``get_ready`` the seconds before each item.
    """
    steps: list[Step] = []
    last = len(routine.items) - 1
    for index, item in enumerate(routine.items):
        stretch = stretches[item.stretch]
        steps.extend(
            item_steps(index, item, stretch, get_ready=get_ready, switch_seconds=switch_seconds)
        )
        if index < last and between > 0:
            steps.append(
                Step(
                    kind="rest",
                    seconds=between,
                    item=index,
                    stretch_id=stretch.id,
                    name=stretch.name,
                    instruction="Rest before the next stretch",
                )
            )
    return Timeline(tuple(steps))


def routine_seconds(routine: Routine, catalog: Catalog, profile: Any, *, known_only: bool = False) -> int | None:
    """The routine's total time in seconds with the profile's get-ready and rest.

    The one place the total shown in the Library, the Builder, ``routines``,
    ``check``, ``schedule`` and the handout comes from. A stretch missing from
    the catalog makes it ``None`` ("cannot be timed"), unless ``known_only``:
    then such items are left out (the Builder times what it can play).
    """
    if known_only:
        routine = routine.with_items([i for i in routine.items if i.stretch in catalog.stretches])
    try:
        return build_timeline(
            routine, catalog.stretches, get_ready=profile.get_ready, between=profile.default_rest
        ).total_seconds
    except (KeyError, ValueError, TypeError):
        return None


def total_seconds(steps: Iterable[Step]) -> int:
    return sum(step.seconds for step in steps)


def format_duration(seconds: float) -> str:
    """``75`` → ``"1:15"``, ``3725`` → ``"1:02:05"``."""
    seconds = round(seconds)
    hours, rem = divmod(seconds, 3600)
    minutes, secs = divmod(rem, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
