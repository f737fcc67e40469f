"""Flare mode: the gentler version of a routine offered on a bad day.

The clinical reference ("Flare (acute) state"): in a flare, fewer
stretches, each at the low end of its dose; lumbar flexion out for disc
herniation and sciatica, nerve tensioners out. The player (full screen and
``--plain``) offers a routine's flare version when :func:`flare_offered`
says so:

=============================================  ==============================
When                                           The player
=============================================  ==============================
pain before the session is 7/10 or more        offers the flare version
(:data:`~.session_rules.HIGH_BEFORE`)
the profile's flare state is on                offers the flare version
otherwise                                      plays the routine as it is
=============================================  ==============================

:func:`flare_version` builds it, purely from the safety engine:

* an item stays only when the advice gate (:func:`~.gate.offer_ok`, with the
  user's conditions and the flare on) may offer it: no avoid and no caution
  for the user, the flare rule's included (lower-back bending with disc
  herniation or sciatica, nerve tensioners; a press-up with stenosis stays
  out even after "Play anyway"; "fewer stretches, positions of ease" is the
  flare rule of the clinical reference), and not marked by a symptom stop;
* each kept item is set to its catalog minimum: the lowest hold and the
  fewest repetitions the sources give (a dose already below that stays: the
  flare version never asks for more than planned); its sides and rest stay
  as they were;
* an item whose stretch the catalog does not know is left out (nothing can
  be said about it).

The user chooses: the flare version, or the full routine as planned. A
session played as the flare version carries ``"flare_version": true`` in its
document, so later rules can tell a deliberately light day from a back-off.

Pure; no UI imports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .gate import AdviceContext, offer_ok
from .models import Routine, RoutineItem
from .rules import flare_starter
from .session_rules import HIGH_BEFORE

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog

#: Key added to a session document played as the flare version (value True).
FLARE_VERSION_KEY = "flare_version"

#: The session rules for a flare day, shown with the offer and at every get-ready.
FLARE_REMINDER = (
    "Flare day: everything at its lowest dose, in positions that ease the pain; "
    "keep pain at about 3/10 or less; symptoms spreading down an arm or leg: stop (x)."
)

#: The same, short enough for the player's get-ready step.
FLARE_SHORT = "Flare day: lowest dose, positions of ease · pain at most 3/10 · spreading: stop (x)."


def flare_offered(pain_before: int | None, profile_flare: bool) -> bool:
    """Whether the player offers the flare version: pain before at 7 or more, or the profile's flare on."""
    return bool(profile_flare) or (pain_before is not None and pain_before >= HIGH_BEFORE)


@dataclass(frozen=True)
class FlareVersion:
    """The flare version of a routine, and what changed (for the offer's wording)."""

    routine: Routine
    #: names of the stretches left out (a flare warning), in routine order
    dropped: tuple[str, ...]
    #: names of the kept stretches whose dose went down
    lowered: tuple[str, ...]
    #: the flare routine for the user's conditions and this routine's region, checked clean
    #: through the advice gate (:func:`.rules.flare_starter`); ``None`` when none is
    instead: str | None = None

    @property
    def empty(self) -> bool:
        return not self.routine.items

    @property
    def changed(self) -> bool:
        return bool(self.dropped or self.lowered)


def flare_version(routine: Routine, catalog: Catalog, conditions: Iterable[str],
                  marked: Iterable[str] = ()) -> Routine:
    """``routine`` for a flare day: items with no avoid for the user in a flare, each at its catalog minimum."""
    return flare_plan(routine, catalog, conditions, marked).routine


def flare_plan(routine: Routine, catalog: Catalog, conditions: Iterable[str],
               marked: Iterable[str] = ()) -> FlareVersion:
    """:func:`flare_version` with the names of what it dropped and lowered, and the
    flare routine to suggest instead."""
    conds = tuple(dict.fromkeys(conditions))
    out = set(marked)
    ctx = AdviceContext(conds, True, frozenset(out))
    kept: list[RoutineItem] = []
    dropped: list[str] = []
    lowered: list[str] = []
    regions: list[str] = []
    for item in routine.items:
        stretch = catalog.get(item.stretch)
        if stretch is None:
            dropped.append(item.stretch)
            continue
        regions.extend(stretch.regions)
        # Through the one gate: in a flare only what it may offer stays (nothing
        # marked, nothing with a caution or avoid for the user, flare rules included).
        if not offer_ok(stretch, catalog, ctx):
            if stretch.name not in dropped:
                dropped.append(stretch.name)
            continue
        now = item.resolved(stretch)
        assert now.hold is not None and now.reps is not None
        low = RoutineItem(
            stretch=item.stretch,
            hold=min(now.hold, stretch.dosage.hold.min),  # never more than planned
            reps=min(now.reps, stretch.dosage.reps.min),
            sides=item.sides,
            rest=item.rest,
        )
        if (now.hold, now.reps) != (low.hold, low.reps) and stretch.name not in lowered:
            lowered.append(stretch.name)
        kept.append(low)
    instead = flare_starter(catalog, conds, regions, out)
    return FlareVersion(routine.with_items(kept), tuple(dropped), tuple(lowered), instead)


def describe(plan: FlareVersion) -> str:
    """One paragraph on what the flare version changes (the offer's text)."""
    if plan.empty:
        instead = (f"Try the \"{plan.instead}\" routine instead, or play this one as planned."
                   if plan.instead else "Rest, take short easy walks, or play this one as planned.")
        return f"Every stretch in this routine is one to leave out during a flare. {instead}"
    count = len(plan.routine.items)
    parts = [f"The flare version has {count} stretch{'es' if count != 1 else ''}, each at its lowest dose"]
    if plan.dropped:
        parts.append(f"leaves out {', '.join(plan.dropped)}")
    return "; ".join(parts) + "."
