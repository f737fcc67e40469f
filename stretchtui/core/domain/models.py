"""Domain models shared by every part of stretchtui.

Pure Python: nothing here imports Textual, TinyDB or touches the filesystem.
All models are frozen dataclasses so they can be shared freely between the
UI, the CLI, the store and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, TypedDict

from .symptoms import SymptomMark, marks_from_list

if TYPE_CHECKING:  # pragma: no cover - the PSFS module is loaded when a profile has activities
    from .psfs import PsfsActivity

    # given out by __getattr__ below, loaded on first use
    from .stretch import Breathing as Breathing
    from .stretch import Caution as Caution
    from .stretch import Condition as Condition
    from .stretch import Dosage as Dosage
    from .stretch import Range as Range
    from .stretch import Stretch as Stretch

#: The catalog's classes, defined in :mod:`.stretch` and loaded when first asked for here.
_CATALOG_CLASSES = frozenset(("Breathing", "Caution", "Condition", "Dosage", "Range", "Stretch"))


def __getattr__(name: str) -> object:
    if name in _CATALOG_CLASSES:
        from . import stretch

        return getattr(stretch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

#: Body regions the catalog is browsed by, in display order.
REGIONS: tuple[str, ...] = ("lower-back", "upper-back", "neck", "nerves")

#: Starting positions of a stretch.
POSITIONS: tuple[str, ...] = ("supine", "prone", "quadruped", "kneeling", "seated", "standing")

#: Movement vocabulary (the rows of shared/clinical.md, plus warm-up).
MOVEMENTS: tuple[str, ...] = (
    "lumbar-extension",
    "lumbar-flexion",
    "rotation",
    "lumbar-side-bend",
    "neural-glide",
    "hip",
    "hamstring",
    "cervical-flexion",
    "cervical-extension",
    "cervical-rotation",
    "cervical-side-bend",
    "thoracic-extension",
    "scapular-retraction",
    "shoulder-end-range",
    "core",
    "warm-up",
)

#: Conditions a user can pick in the profile.
CONDITIONS: tuple[str, ...] = (
    "lower-back-pain",
    "disc-herniation",
    "spinal-stenosis",
    "spondylolisthesis",
    "osteoporosis",
    "pregnancy",
    "recent-lumbar-surgery",
    "cervical-radiculopathy",
    "hypermobility",
    "sciatica",
)

#: Kinds of nerve glide (shared/clinical.md, "Nerve glides: slider or tensioner").
GLIDES: tuple[str, ...] = ("slider", "tensioner")

#: Days after which the app asks again whether a flare is still going on.
FLARE_REVIEW_DAYS = 14

#: Warning levels, least to most serious.
LEVELS: tuple[str, ...] = ("info", "caution", "avoid")

#: Dosage modes: ``hold`` (static hold, repeated ``reps`` times), ``reps``
#: (a moving repetition of ``hold`` seconds, repeated), ``duration``
#: (continuous movement for ``hold`` seconds).
MODES: tuple[str, ...] = ("hold", "reps", "duration")

#: How an item treats sides: ``none`` (symmetric), ``each`` (left then right),
#: or only ``left`` / ``right``.
ITEM_SIDES: tuple[str, ...] = ("none", "each", "left", "right")

@dataclass(frozen=True)
class ItemField:
    """One dose field of a routine item, as every reader and editor of items sees it.

    The routine-file reader, the store, the builder model and the dosage
    dialog all take the key, the type (a whole number within ``low``–``high``
    ``unit``, or one of ``choices``), and the words for it from here, so a
    field is added or re-bounded in one place.
    """

    key: str
    label: str  #: the field's name on screen ("Hold")
    unit: str = ""  #: after a number ("s"); empty for a count
    low: int = 0
    high: int = 0
    choices: tuple[str, ...] = ()  #: allowed text values (a choice field)

    @property
    def is_number(self) -> bool:
        return not self.choices

    @property
    def bounds(self) -> tuple[int, int]:
        return self.low, self.high

    def range_text(self) -> str:
        """``1–600 s`` for a number, ``none, each, left, right`` for a choice."""
        if not self.is_number:
            return ", ".join(self.choices)
        return f"{self.low}–{self.high}" + (f" {self.unit}" if self.unit else "")

    def accepts(self, value: object) -> bool:
        """Whether ``value`` is a valid stored value (None, the catalog default, always is)."""
        if value is None:
            return True
        if self.is_number:
            return isinstance(value, int) and not isinstance(value, bool) and self.low <= value <= self.high
        return isinstance(value, str) and value in self.choices

    def problem(self, value: object) -> str | None:
        """What is wrong with ``value`` (without the field name), or None."""
        if self.accepts(value):
            return None
        if self.is_number:
            if isinstance(value, bool) or not isinstance(value, int):
                return f"must be a whole number from {self.range_text()}"
            return f"{value} is out of range; use {self.range_text()}"
        return f"must be one of {self.range_text()}"


#: The dose fields of a routine item, in the order they are shown and written.
#: (Limits a routine file, the store and the builder's dosage dialog accept.)
ITEM_FIELDS: dict[str, ItemField] = {
    f.key: f
    for f in (
        ItemField("hold", "Hold", "s", 1, 600),
        ItemField("reps", "Reps", "", 1, 50),
        ItemField("sides", "Sides", choices=ITEM_SIDES),
        ItemField("rest", "Rest", "s", 0, 600),
    )
}
#: The whole-number dose fields.
NUMBER_FIELDS: tuple[str, ...] = tuple(k for k, f in ITEM_FIELDS.items() if f.is_number)


class _Limits(TypedDict):
    hold: tuple[int, int]
    reps: tuple[int, int]
    rest: tuple[int, int]
    items: int
    name: int
    notes: int


#: Limits a routine (file, store, builder) accepts: the dose fields' bounds
#: (from :data:`ITEM_FIELDS`) and the sizes of a routine.
LIMITS: _Limits = {
    "hold": ITEM_FIELDS["hold"].bounds,
    "reps": ITEM_FIELDS["reps"].bounds,
    "rest": ITEM_FIELDS["rest"].bounds,
    "items": 100,
    "name": 80,
    "notes": 2000,
}


@dataclass(frozen=True)
class RoutineItem:
    """A stretch in a routine. ``None`` fields fall back to the catalog's defaults."""

    stretch: str
    hold: int | None = None
    reps: int | None = None
    sides: str | None = None  # "none" | "each" | "left" | "right"
    rest: int | None = None

    def resolved(self, stretch: Stretch) -> RoutineItem:
        """This item with every ``None`` replaced by the stretch's default dosage."""
        d = stretch.dosage
        return RoutineItem(
            stretch=self.stretch,
            hold=d.hold.default if self.hold is None else self.hold,
            reps=d.reps.default if self.reps is None else self.reps,
            sides=d.sides if self.sides is None else self.sides,
            rest=d.rest if self.rest is None else self.rest,
        )

    def to_dict(self) -> dict:
        """Compact dict for files and the store: defaults left out."""
        out: dict = {"stretch": self.stretch}
        for key in ITEM_FIELDS:
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


#: The one name of a routine that has none, everywhere (player, builder, history).
UNTITLED = "Untitled routine"


@dataclass(frozen=True)
class Routine:
    """A named, ordered list of routine items."""

    name: str
    items: tuple[RoutineItem, ...] = ()
    notes: str = ""
    #: Conditions the routine is meant for (starter routines); informational.
    target: tuple[str, ...] = ()
    #: True for the catalog's starter routines (read-only in the library).
    starter: bool = False

    def with_items(self, items: list[RoutineItem] | tuple[RoutineItem, ...]) -> Routine:
        return replace(self, items=tuple(items))

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "notes": self.notes,
            "items": [item.to_dict() for item in self.items],
        }


@dataclass(frozen=True)
class SafetyWarning:
    """One finding of the safety rules.

    ``items`` are indexes into the routine's items that the warning is about,
    so the builder can highlight them.
    """

    level: str  # "info" | "caution" | "avoid"
    rule: str  # "profile" | "conflict" | "combination" | "dosage" | "sides" | "warm-up" | "avoid-listed"
    stretch_ids: tuple[str, ...]
    message: str
    reason: str
    condition: str | None = None
    items: tuple[int, ...] = ()
    alternative: str | None = None
    #: Every condition this warning is about (related conditions are merged
    #: into one warning: disc herniation + sciatica). ``condition`` is the first.
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    """The user's conditions and player settings."""

    conditions: tuple[str, ...] = ()
    get_ready: int = 5
    default_rest: int = 10
    #: The terminal bell at a new stretch, a side switch and the end of a session.
    bell: bool = True
    #: A desktop notification at the same moments.
    notifications: bool = True
    #: A short tick (bell) in each of the last 3 seconds of a hold.
    tick: bool = False
    checklist: bool = True
    seen_notice: bool = False
    #: In a flare (acute phase) of disc herniation / sciatica: flexion becomes
    #: an avoid, nerve tensioners are out, gentler routines are offered.
    flare: bool = False
    #: ISO date (YYYY-MM-DD) the flare was switched on; the app asks again
    #: after :data:`FLARE_REVIEW_DAYS` days.
    flare_since: str | None = None
    #: Draw stretch figures with plain ASCII instead of braille (for fonts without braille).
    ascii_figures: bool = False
    #: Show each stretch's figure in its position without animating it.
    still_figures: bool = False
    #: PSFS activities and their dated ratings (see :mod:`stretchtui.core.domain.psfs`).
    psfs: tuple[PsfsActivity, ...] = ()
    #: Stretches marked by symptoms spreading (:mod:`.symptoms`), one per stretch, by id.
    #: Written by the store when it records a session; :meth:`Store.set_profile` keeps
    #: the stored ones (only ``clear_symptom_marks`` removes them).
    symptom_marks: tuple[SymptomMark, ...] = ()

    @property
    def marked(self) -> frozenset[str]:
        """The ids of the stretches marked by symptoms spreading."""
        return frozenset(m.stretch for m in self.symptom_marks)

    def mark_for(self, stretch_id: str) -> SymptomMark | None:
        """The symptom mark of ``stretch_id``, if it has one."""
        return next((m for m in self.symptom_marks if m.stretch == stretch_id), None)

    def flare_needs_review(self, today: date) -> bool:
        """True when the flare has been on for :data:`FLARE_REVIEW_DAYS` days or more."""
        if not self.flare or not self.flare_since:
            return False
        try:
            since = date.fromisoformat(self.flare_since)
        except ValueError:
            return True
        return (today - since).days >= FLARE_REVIEW_DAYS

    def to_dict(self) -> dict:
        return {
            "flare": self.flare,
            "flare_since": self.flare_since,
            "conditions": list(self.conditions),
            "get_ready": self.get_ready,
            "default_rest": self.default_rest,
            "bell": self.bell,
            "notifications": self.notifications,
            "tick": self.tick,
            "checklist": self.checklist,
            "seen_notice": self.seen_notice,
            "ascii_figures": self.ascii_figures,
            "still_figures": self.still_figures,
            "psfs": _psfs_to_list(self.psfs),
            "symptom_marks": [m.to_dict() for m in self.symptom_marks],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Profile:
        """Build a profile from a stored dict, ignoring unknown keys and bad values."""
        base = cls()
        conds = data.get("conditions", [])
        if not isinstance(conds, (list, tuple)):
            conds = []

        def _int(key: str, lo: int, hi: int) -> int:
            value = data.get(key, getattr(base, key))
            if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
                return getattr(base, key)
            return value

        def _bool(key: str) -> bool:
            value = data.get(key, getattr(base, key))
            return value if isinstance(value, bool) else getattr(base, key)

        return cls(
            conditions=tuple(c for c in conds if c in CONDITIONS),
            get_ready=_int("get_ready", 0, 60),
            default_rest=_int("default_rest", 0, 600),
            bell=_bool("bell"),
            notifications=_bool("notifications"),
            tick=_bool("tick"),
            checklist=_bool("checklist"),
            seen_notice=_bool("seen_notice"),
            flare=_bool("flare"),
            flare_since=_iso_date(data.get("flare_since")),
            ascii_figures=_bool("ascii_figures"),
            still_figures=_bool("still_figures"),
            psfs=_psfs_from_list(data.get("psfs")),
            symptom_marks=marks_from_list(data.get("symptom_marks")),
        )


def _iso_date(value: object) -> str | None:
    """``value`` when it is a valid ISO date string, else ``None``."""
    if not isinstance(value, str):
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        return None
    return value


# The PSFS module is loaded only for a profile that has activities (not at every start).
def _psfs_to_list(activities: tuple) -> list:
    if not activities:
        return []
    from .psfs import to_list

    return to_list(activities)


def _psfs_from_list(raw: object) -> tuple:
    if not isinstance(raw, list) or not raw:  # what psfs.from_list makes of it, without loading the module
        return ()
    from .psfs import from_list

    return from_list(raw)
