"""The catalog's data classes: a stretch, its dosage, cautions, breathing.

Kept apart from :mod:`.models` (which gives them out under the same names)
so that a new user's first screen, the safety notice, which shows no
stretch, does not wait for Python to write and compile their methods (the
first launch on a machine has no compiled copy of them yet; see
``core/compiled_methods.py``). Pure Python, like :mod:`.models`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Range:
    """An inclusive integer range with a default inside it."""

    min: int
    default: int
    max: int

    def contains(self, value: int) -> bool:
        return self.min <= value <= self.max


@dataclass(frozen=True)
class Dosage:
    """How a stretch is dosed, as the sources give it.

    ``hold`` is seconds per hold (mode ``hold``), seconds per repetition
    (mode ``reps``) or total seconds of continuous movement (mode
    ``duration``). ``rest`` is seconds between repetitions.
    """

    mode: str
    hold: Range
    reps: Range
    sides: str  # "none" | "each"
    rest: int


@dataclass(frozen=True)
class Caution:
    """A condition for which a stretch needs care (``caution``) or is best avoided (``avoid``)."""

    condition: str
    level: str
    reason: str
    #: The short instruction shown during the stretch ("leave the rounding out"); "" when none.
    cue: str = ""


@dataclass(frozen=True)
class Condition:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Breathing:
    """How breathing goes with a moving stretch's repetition (catalog ``breathing``).

    ``first`` is the breath ("in" or "out") taken while moving from the
    start position to the end position; the other breath brings the body
    back. ``inhale`` and ``exhale`` say briefly what the body does meanwhile
    ("arch", "round").
    """

    first: str
    inhale: str
    exhale: str

    def breath(self, to_end: bool) -> str:
        """ "in" or "out": the breath of the half moving toward the end (``to_end``) or back."""
        return self.first if to_end else ("out" if self.first == "in" else "in")

    def doing(self, breath: str) -> str:
        return self.inhale if breath == "in" else self.exhale


@dataclass(frozen=True)
class Stretch:
    """One catalog entry."""

    id: str
    name: str
    summary: str
    aliases: tuple[str, ...]
    regions: tuple[str, ...]
    movements: tuple[str, ...]
    position: str
    dosage: Dosage
    steps: tuple[str, ...]
    cues: tuple[str, ...]
    helps: tuple[str, ...]
    cautions: tuple[Caution, ...]
    source: tuple[str, ...]
    figure: tuple[str, ...]
    #: Listed as "best avoided with lower back pain" by the sources (toe touch, sit-up).
    avoid_listed: bool = False
    #: A safer stretch the builder can offer instead when this one conflicts.
    alternative: str | None = None
    #: Stretches a physiotherapist would pick in its place, best first (catalog ``similar``):
    #: the same area and aim. The safety rules offer the first one safe for the user.
    similar: tuple[str, ...] = ()
    #: For neural glides: ``"slider"`` or ``"tensioner"`` (``None`` otherwise).
    glide: str | None = None
    #: Where the catalog departs from a source, and why (shown in the details).
    note: str = ""
    #: Moves between two shapes in turn (cat-cow): one risky half can be left
    #: out, so it is a caution, not an avoid, unless every half is risky.
    compound: bool = False
    #: Breathing paced with a moving stretch's repetitions (``None``: the catalog gives none).
    breathing: Breathing | None = None

    @property
    def is_warmup(self) -> bool:
        return "warm-up" in self.movements

    def caution_for(self, condition: str) -> Caution | None:
        """The caution this stretch carries for ``condition``, if any."""
        for caution in self.cautions:
            if caution.condition == condition:
                return caution
        return None
