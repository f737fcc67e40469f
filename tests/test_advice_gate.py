"""The one advice gate, as a property over every producer of advice (issue 23, item 1).

Every producer that recommends a stretch or a dose is run for every
condition, every pair of conditions and none, with the flare on and off, with
and without a spreading event (a symptom mark). The marked run marks every
other stretch the unmarked run offered, plus one stretch whose history has a
spreading answer followed by three settled sessions. An offer fails when

* it is a caution or an avoid for the user (the safety rules, flare and
  position included),
* it stands in for a stretch and shares the movement that makes that one
  risky for the user, or
* it is marked (symptoms spread with it),

and a dose goes up only where the gate allows it (never a nerve glide, never
during a flare, never a marked or risky stretch). A drop names no stretch.

The oracle below is written from the safety rules' warnings, not from
``gate.offer_ok``, so a gate that let something through would fail here too.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pytest

from stretchtui.core.domain import rules
from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.clinical import movement_key
from stretchtui.core.domain.models import CONDITIONS, Profile, Routine, RoutineItem, Stretch
from stretchtui.core.domain.progression import suggest_routine
from stretchtui.core.domain.session import Session
from stretchtui.core.domain.symptoms import SymptomMark

CATALOG = load_catalog()
STRETCHES = list(CATALOG.stretches.values())
CONDITION_SETS: list[tuple[str, ...]] = [()] + [(c,) for c in CONDITIONS] + list(itertools.combinations(CONDITIONS, 2))
#: A routine of every catalog stretch, at its default dose.
EVERYTHING = Routine(name="Everything", items=tuple(RoutineItem(s.id) for s in STRETCHES))
#: The stretch whose history has a spreading answer, then three settled sessions.
SPREAD = "upper-trapezius-stretch" if CATALOG.get("upper-trapezius-stretch") else STRETCHES[0].id


@dataclass(frozen=True)
class Offer:
    """One piece of advice: a stretch named (in place of ``replacing``), or a dose raised."""

    stretch: str
    replacing: str | None = None
    kind: str = "offer"  # "offer" | "progress" | "drop-names"
    detail: str = ""


@dataclass(frozen=True)
class User:
    conditions: tuple[str, ...]
    flare: bool
    marks: tuple[SymptomMark, ...] = ()

    @property
    def profile(self) -> Profile:
        return Profile(conditions=self.conditions, flare=self.flare, symptom_marks=self.marks)

    @property
    def marked(self) -> frozenset[str]:
        return frozenset(m.stretch for m in self.marks)


# ------------------------------------------------------------------ the sessions suggest reads


def _session(day: int, spread: bool) -> Session:
    items = []
    for s in STRETCHES:
        response = "spreading" if spread and s.id == SPREAD else "same"
        items.append({"stretch": s.id, "hold": s.dosage.hold.default, "reps": s.dosage.reps.default,
                      "done": {"both": 1}, "skipped": {}, "response": response})
    return Session.from_doc({
        "schema": 3, "routine": EVERYTHING.name, "started": f"2026-03-{day:02d}T08:00:00+00:00",
        "ended": f"2026-03-{day:02d}T08:20:00+00:00", "status": "completed", "counted": True,
        "pain_before": 1, "pain_after": 1, "items": items,
    })


SETTLED = [_session(d, False) for d in (2, 3, 4)]
#: A spreading answer for SPREAD on day 1, then three settled sessions.
AFTER_SPREAD = [_session(1, True), *SETTLED]


# ------------------------------------------------------------------ the producers


def check_alternatives(user: User) -> Iterable[Offer]:
    """`check`'s "Instead:" offers, for every stretch on its own and every starter routine."""
    for s in STRETCHES:
        for w in rules.warnings_for_stretch(s, user.conditions, CATALOG, flare=user.flare, marks=user.marks):
            if w.alternative:
                yield Offer(w.alternative, s.id, detail=w.rule)
    for starter in CATALOG.starters:
        for w in rules.check_routine(starter, CATALOG, user.conditions, flare=user.flare, marks=user.marks):
            if w.alternative and w.stretch_ids and w.rule not in ("unknown", "warm-up"):
                yield Offer(w.alternative, w.stretch_ids[0], detail=w.rule)


def find_alternative_offers(user: User) -> Iterable[Offer]:
    """`find_alternative` on its own, as h23b's producers call it."""
    for s in STRETCHES:
        hazard: set[str] = set()
        for c in user.conditions:
            hazard |= rules._hazard(s, c)
        alt = rules.find_alternative(CATALOG, s, user.conditions, hazard=hazard, flare=user.flare,
                                     marked=user.marked)
        if alt:
            yield Offer(alt, s.id)


def suggest_offers(user: User) -> Iterable[Offer]:
    """`suggest` (CLI, --apply, the Library and Builder hints): every step up, and what a drop names."""
    history = AFTER_SPREAD if user.marks else SETTLED
    plan = suggest_routine(EVERYTHING, CATALOG, history, profile=user.profile)
    for p in plan.items:
        s = p.suggestion
        if s.action == "progress" or (s.after.hold > s.before.hold or s.after.reps > s.before.reps):
            yield Offer(s.stretch, kind="progress")
        if p.alternative:
            yield Offer(p.alternative, s.stretch, detail="drop alternative")
        if s.action in ("drop", "clinician"):
            for other in STRETCHES:
                if other.id != s.stretch and other.name in s.why:
                    yield Offer(other.id, s.stretch, kind="drop-names")


def hint_offers(user: User) -> Iterable[Offer]:
    """The Library and Builder line ("ready to progress: ..."): every stretch it steps up."""
    from stretchtui.ui.widgets.progress_hint import progress_text

    history = AFTER_SPREAD if user.marks else SETTLED
    plan = suggest_routine(EVERYTHING, CATALOG, history, profile=user.profile)
    text = progress_text(plan, CATALOG)
    ready = text.split("ready to progress: ", 1)[1].split(" · ")[0] if "ready to progress: " in text else ""
    for part in filter(None, ready.split("; ")):
        stretch = next(s for s in STRETCHES if part.startswith(s.name + " "))
        yield Offer(stretch.id, kind="progress")


def palette_offers(user: User) -> Iterable[Offer]:
    """The command palette's "Add to routine: ..." entries."""
    from stretchtui.ui.commands import palette_add_ids

    for sid in sorted(palette_add_ids(CATALOG, user.profile)):
        yield Offer(sid)


def flare_version_offers(user: User) -> Iterable[Offer]:
    """The flare version of every starter (what a flare day plays), for a user in a flare."""
    from stretchtui.core.domain.flare import flare_plan

    if not user.flare:
        return
    for starter in CATALOG.starters:
        for item in flare_plan(starter, CATALOG, user.conditions, user.marked).routine.items:
            yield Offer(item.stretch, detail=f"flare version of {starter.name}")


def flare_hint_offers(user: User) -> Iterable[Offer]:
    """The flare hint's starter ("The starter routine ... is made for it"): every stretch in it."""
    if not user.flare:
        return
    info = next((w for w in rules.check_routine(EVERYTHING, CATALOG, user.conditions, flare=True, marks=user.marks)
                 if w.rule == "flare" and w.level == "info"), None)
    if info is None:
        return
    for starter in CATALOG.starters:
        if repr(starter.name) in info.reason:
            for item in starter.items:
                yield Offer(item.stretch, detail=f"flare hint {starter.name}")


PRODUCERS: dict[str, Callable[[User], Iterable[Offer]]] = {
    "check-alternatives": check_alternatives,
    "find-alternative": find_alternative_offers,
    "suggest": suggest_offers,
    "library-builder-hint": hint_offers,
    "palette-add": palette_offers,
    "flare-version": flare_version_offers,
    "flare-hint": flare_hint_offers,
}


# ------------------------------------------------------------------ the oracle


def _risky(stretch: Stretch, user: User) -> str | None:
    level = rules.worst_level(rules.warnings_for_stretch(stretch, user.conditions, None, flare=user.flare))
    return level if level in ("caution", "avoid") else None


def _hazard(stretch: Stretch, user: User) -> set[str]:
    """The movements that make ``stretch`` risky for the user; nerve glides by kind (a slider
    does not share a tensioner's hazard: clinical.md, "slider or tensioner")."""
    moves: set[str] = set()
    for c in user.conditions:
        moves |= rules._hazard(stretch, c)
        if user.flare:
            found = rules._flare_finding(stretch, c)
            if found is not None:
                moves |= found.hazard
    return {movement_key(m, stretch.glide) for m in moves}


def problems(offer: Offer, user: User) -> list[str]:
    stretch = CATALOG.get(offer.stretch)
    assert stretch is not None, offer
    out = []
    if offer.kind == "drop-names":
        out.append(f"a drop of {offer.replacing} names {offer.stretch}")
    if offer.stretch in user.marked:
        out.append(f"{offer.stretch} is marked")
    level = _risky(stretch, user)
    if level:
        out.append(f"{offer.stretch} is {level} for {user.conditions}{' in a flare' if user.flare else ''}")
    if offer.replacing:
        replaced = CATALOG.get(offer.replacing)
        shared = _hazard(replaced, user) & {movement_key(m, stretch.glide) for m in stretch.movements}
        if shared:
            out.append(f"{offer.stretch} shares {sorted(shared)} with {offer.replacing}")
    if offer.kind == "progress":
        if stretch.glide is not None:
            out.append(f"nerve glide {offer.stretch} gains a dose")
        if user.flare:
            out.append(f"{offer.stretch} steps up during a flare")
    return [f"{p} ({offer.detail})" if offer.detail else p for p in out]


def _marks_for(producer: Callable[[User], Iterable[Offer]], conditions: tuple[str, ...], flare: bool):
    # Every other stretch offered without marks, so the marked run still has something left to offer.
    offered = sorted({o.stretch for o in producer(User(conditions, flare))})[::2]
    return tuple(SymptomMark(sid, "2026-03-01", "spreading") for sid in sorted({*offered, SPREAD}))


def _cases():
    for name in PRODUCERS:
        for flare in (False, True):
            for marked in (False, True):
                yield pytest.param(name, flare, marked, id=f"{name}-{'flare' if flare else 'no-flare'}-"
                                   f"{'marked' if marked else 'unmarked'}")


@pytest.mark.parametrize("name,flare,marked", list(_cases()))
def test_every_offer_passes_the_gate(name, flare, marked):
    producer = PRODUCERS[name]
    found: list[str] = []
    offers = 0
    for conditions in CONDITION_SETS:
        marks = _marks_for(producer, conditions, flare) if marked else ()
        user = User(conditions, flare, marks)
        for offer in producer(user):
            offers += 1
            found.extend(problems(offer, user))
    assert not found, f"{len(found)} bad offers, e.g.: " + "; ".join(sorted(set(found))[:12])
    if name in ("check-alternatives", "palette-add") or (name in ("suggest", "library-builder-hint") and not flare):
        assert offers, f"{name} offered nothing at all: the property would hold vacuously"


def test_the_spreading_stretch_is_dropped_never_progressed():
    user = User(("sciatica",), False, (SymptomMark(SPREAD, "2026-03-01"),))
    plan = suggest_routine(EVERYTHING, CATALOG, AFTER_SPREAD, profile=user.profile)
    item = next(p for p in plan.items if p.suggestion.stretch == SPREAD)
    assert item.suggestion.action == "drop" and item.alternative is None
    assert "see a clinician" in item.suggestion.why


def test_without_marks_the_settled_history_progresses_something():
    """The property is not vacuous: with no conditions, settled sessions step doses up."""
    plan = suggest_routine(EVERYTHING, CATALOG, SETTLED, profile=Profile())
    assert any(p.suggestion.action == "progress" for p in plan.items)


@pytest.mark.parametrize("marked", [False, True])
def test_the_flare_version_keeps_no_avoid_and_nothing_marked(marked):
    found = []
    for conditions in CONDITION_SETS:
        marks = _marks_for(flare_version_offers, conditions, True) if marked else ()
        user = User(conditions, True, marks)
        for offer in flare_version_offers(user):
            stretch = CATALOG.get(offer.stretch)
            if offer.stretch in user.marked or _risky(stretch, user) == "avoid":
                found.append(f"{offer.stretch} for {conditions} ({offer.detail})")
    assert not found, "; ".join(found[:10])
