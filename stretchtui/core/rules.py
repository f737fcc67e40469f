"""Safety rules: what a routine (or a single stretch) should warn about.

Every rule reads the catalog's data (cautions, helps, movements, dosage,
``avoid_listed``, ``alternative``); no stretch is named in this module. The
rules, each producing :class:`~.models.SafetyWarning` with ``rule`` set to:

``profile``
    a stretch is cautioned or avoided for one of the user's conditions;
``conflict``
    stretch A in the routine helps condition X while stretch B is cautioned
    or avoided for X. Reported once per (B, X), naming B and every A. When X
    is one of the user's conditions it takes B's level (and replaces the
    profile warning); otherwise only an ``avoid`` for X counts, reported as
    ``caution`` (a mild caution for a condition the user doesn't have is noise);
``combination``
    a stretch combines movements that are risky together for a condition the
    user has (table :data:`COMBINATIONS`);
``dosage`` / ``sides``
    an item's hold or reps outside the catalog's range; a two-sided stretch
    done on one side only (without the other side elsewhere in the routine)
    or with sides ``none``;
``warm-up``
    no warm-up before the first stretch (info);
``avoid-listed``
    a stretch the sources list as best avoided with back pain (always);
``unknown``
    an item whose stretch id is not in the catalog.

For one stretch and one condition only the most serious of profile /
conflict / combination is kept, so the user sees one line per problem.
Results are sorted avoid, caution, info; within a level by the first routine
item involved.

The app informs and warns; it never forbids. An ``avoid`` is a strong
warning the user can acknowledge.

INTERFACE::

    def check_routine(routine, catalog, conditions=()) -> list[SafetyWarning]
    def warnings_for_stretch(stretch, conditions) -> list[SafetyWarning]
"""

from __future__ import annotations

from typing import Any, Iterable, Optional

from dataclasses import replace

from .models import LEVELS, Profile, Routine, SafetyWarning, Stretch

#: Movements that are risky *together* in one stretch, for some conditions:
#: ``(movements, conditions, level, reason)``. A stretch whose movement tags
#: include every movement of a row warns for each listed condition the user has.
COMBINATIONS: tuple[tuple[frozenset[str], tuple[str, ...], str, str], ...] = (
    (
        frozenset({"lumbar-flexion", "rotation"}),
        ("osteoporosis", "disc-herniation", "spondylolisthesis"),
        "avoid",
        "Bending the lower back forward while twisting loads the discs and vertebrae "
        "most; keep the spine neutral when you twist.",
    ),
    (
        frozenset({"cervical-extension", "cervical-rotation"}),
        ("cervical-radiculopathy",),
        "caution",
        "Tipping the head back while turning it narrows the openings the neck's nerve "
        "roots pass through and can bring arm symptoms on; keep each movement small and separate.",
    ),
)

_RANK = {level: rank for rank, level in enumerate(LEVELS)}  # info 0, caution 1, avoid 2
#: Preference between warnings about the same stretch and condition at the same level.
_RULE_PREFERENCE = {"conflict": 0, "profile": 1, "combination": 2}
_WARMUP_REASON = (
    "The sources advise warming up with a few gentle movements first; "
    "stretching cold tissue is more likely to hurt."
)
_AVOID_LISTED_REASON = "The sources list this among the moves best avoided with back pain."


def _cond_name(catalog: Any, condition: str) -> str:
    if catalog is not None:
        found = getattr(catalog, "conditions", {}).get(condition)
        if found is not None:
            return found.name.lower() if found.name[:1].isupper() and found.name[1:2].islower() else found.name
    return condition.replace("-", " ")


def _level_phrase(level: str) -> str:
    return "is best avoided" if level == "avoid" else "needs care"


def _is_risky_for(stretch: Stretch, conditions: Iterable[str]) -> bool:
    """True when ``stretch`` carries a caution/avoid or a risky combination for any of ``conditions``."""
    conds = set(conditions)
    if stretch.avoid_listed:
        return True
    if any(c.condition in conds for c in stretch.cautions):
        return True
    moves = set(stretch.movements)
    return any(
        movements <= moves and conds.intersection(for_conds)
        for movements, for_conds, _level, _reason in COMBINATIONS
    )


def find_alternative(
    catalog: Any,
    stretch: Stretch,
    conditions: Iterable[str] = (),
    *,
    helps: Optional[str] = None,
    exclude: Iterable[str] = (),
) -> Optional[str]:
    """A safer stretch id to offer instead of ``stretch``, or ``None``.

    The stretch's own ``alternative`` when it is safe for ``conditions``;
    else a catalog stretch sharing a region with no caution for any of
    ``conditions``, preferring one not in ``exclude`` (already in the
    routine), then not a warm-up, then sharing more movements (a similar
    stretch), then one that helps ``helps``, then sharing more regions, then
    catalog order.
    """
    conds = tuple(conditions)
    stretches = getattr(catalog, "stretches", {}) if catalog is not None else {}
    excluded = set(exclude)
    curated: Optional[str] = None
    if stretch.alternative:
        alt = stretches.get(stretch.alternative) if stretches else None
        if alt is None and not stretches:
            return stretch.alternative
        if alt is not None and not _is_risky_for(alt, conds):
            if alt.id not in excluded:
                return alt.id
            curated = alt.id  # already in the routine: look for one that is not first
    regions = set(stretch.regions)
    moves = set(stretch.movements) - {"warm-up"}
    best: Optional[tuple] = None
    best_id: Optional[str] = None
    for order, cand in enumerate(stretches.values()):
        if cand.id == stretch.id or not regions.intersection(cand.regions):
            continue
        if _is_risky_for(cand, conds):
            continue
        key = (
            1 if cand.id in excluded else 0,
            1 if cand.is_warmup else 0,
            -len(moves.intersection(cand.movements)),
            0 if helps and helps in cand.helps else 1,
            -len(regions.intersection(cand.regions)),
            order,
        )
        if best is None or key < best:
            best, best_id = key, cand.id
    if curated is not None and (best_id is None or best_id in excluded):
        return curated
    return best_id


class _Collector:
    """Gathers warnings; keeps the most serious per (stretch, condition)."""

    def __init__(self) -> None:
        self.plain: list[tuple[int, SafetyWarning]] = []
        self.by_key: dict[tuple[str, str], tuple[int, SafetyWarning]] = {}
        self.seq = 0

    def add(self, warning: SafetyWarning) -> None:
        self.seq += 1
        self.plain.append((self.seq, warning))

    def add_keyed(self, stretch_id: str, condition: str, warning: SafetyWarning) -> None:
        self.seq += 1
        key = (stretch_id, condition)
        old = self.by_key.get(key)
        if old is not None:
            o = old[1]
            if (_RANK[o.level], -_RULE_PREFERENCE[o.rule]) >= (
                _RANK[warning.level],
                -_RULE_PREFERENCE[warning.rule],
            ):
                return
            self.by_key[key] = (old[0], warning)
        else:
            self.by_key[key] = (self.seq, warning)

    def has_keyed(self, stretch_id: str, level: str) -> bool:
        return any(k[0] == stretch_id and w.level == level for k, (_s, w) in self.by_key.items())

    def result(self) -> list[SafetyWarning]:
        entries = list(self.by_key.values()) + self.plain
        seen: set = set()
        unique = []
        for seq, w in entries:
            ident = (w.level, w.rule, w.stretch_ids, w.condition, w.items, w.message)
            if ident in seen:
                continue
            seen.add(ident)
            unique.append((seq, w))
        unique.sort(key=lambda e: (-_RANK[e[1].level], min(e[1].items) if e[1].items else 10**9, e[0]))
        return [
            replace(w, conditions=(w.condition,)) if w.condition and not w.conditions else w
            for _seq, w in unique
        ]


def _stretch_condition_warnings(
    stretch: Stretch,
    conditions: tuple[str, ...],
    catalog: Any,
    items: tuple[int, ...],
    exclude: Iterable[str],
    out: _Collector,
) -> None:
    """Profile and combination warnings for one stretch."""
    for condition in conditions:
        caution = stretch.caution_for(condition)
        if caution is None:
            continue
        cname = _cond_name(catalog, condition)
        out.add_keyed(
            stretch.id,
            condition,
            SafetyWarning(
                level=caution.level,
                rule="profile",
                stretch_ids=(stretch.id,),
                message=f"{stretch.name} {_level_phrase(caution.level)} with {cname}",
                reason=caution.reason,
                condition=condition,
                items=items,
                alternative=find_alternative(catalog, stretch, conditions, helps=condition, exclude=exclude),
            ),
        )
    moves = set(stretch.movements)
    for movements, for_conds, level, reason in COMBINATIONS:
        if not movements <= moves:
            continue
        together = " and ".join(m.replace("-", " ") for m in sorted(movements))
        for condition in for_conds:
            if condition not in conditions:
                continue
            cname = _cond_name(catalog, condition)
            out.add_keyed(
                stretch.id,
                condition,
                SafetyWarning(
                    level=level,
                    rule="combination",
                    stretch_ids=(stretch.id,),
                    message=f"{stretch.name} combines {together}, which {_level_phrase(level)} with {cname}",
                    reason=reason,
                    condition=condition,
                    items=items,
                    alternative=find_alternative(catalog, stretch, conditions, helps=condition, exclude=exclude),
                ),
            )


def _avoid_listed_warning(
    stretch: Stretch, catalog: Any, conditions: tuple[str, ...], items: tuple[int, ...], exclude: Iterable[str]
) -> SafetyWarning:
    reason = next((c.reason for c in stretch.cautions if c.level == "avoid"), _AVOID_LISTED_REASON)
    return SafetyWarning(
        level="avoid",
        rule="avoid-listed",
        stretch_ids=(stretch.id,),
        message=f"{stretch.name} is on the sources' list of moves to avoid with back pain",
        reason=reason,
        items=items,
        alternative=find_alternative(catalog, stretch, conditions, exclude=exclude),
    )


def warnings_for_stretch(
    stretch: Stretch, conditions: Iterable[str], catalog: Any = None, *, flare: bool = False
) -> list[SafetyWarning]:
    """Warnings for ``stretch`` on its own (for marking the catalog list).

    Profile cautions, risky movement combinations for ``conditions``, and
    the avoid-listed warning. ``catalog`` is optional; with it, condition
    names are spelled out and alternatives are searched for.
    """
    conds = tuple(dict.fromkeys(conditions))
    out = _Collector()
    _stretch_condition_warnings(stretch, conds, catalog, (), (), out)
    if stretch.avoid_listed and not out.has_keyed(stretch.id, "avoid"):
        out.add(_avoid_listed_warning(stretch, catalog, conds, (), ()))
    return out.result()


def check_routine(
    routine: Routine, catalog: Any, conditions: Iterable[str] = (), *, flare: bool = False
) -> list[SafetyWarning]:
    """Every safety warning for ``routine`` given the user's ``conditions``.

    Sorted most serious first (avoid, caution, info). Unknown conditions are
    ignored (the CLI and the profile screen validate them).
    """
    conds = tuple(dict.fromkeys(conditions))
    out = _Collector()

    # Resolve the items; group item indexes by stretch id (first-seen order).
    known: list[tuple[int, Stretch]] = []
    indexes: dict[str, list[int]] = {}
    for index, item in enumerate(routine.items):
        stretch = catalog.get(item.stretch)
        if stretch is None:
            out.add(
                SafetyWarning(
                    level="caution",
                    rule="unknown",
                    stretch_ids=(item.stretch,),
                    message=f"Item {index + 1}: {item.stretch!r} is not in the catalog",
                    reason="This stretch is unknown to this version of stretchtui; it cannot be checked or played.",
                    items=(index,),
                    alternative=(catalog.closest_ids(item.stretch, n=1) or [None])[0],
                )
            )
            continue
        known.append((index, stretch))
        indexes.setdefault(stretch.id, []).append(index)
    unique = {stretch.id: stretch for _i, stretch in known}
    in_routine = tuple(unique)

    # Rules 1 and 3: profile cautions and risky combinations, per stretch.
    for sid, stretch in unique.items():
        _stretch_condition_warnings(stretch, conds, catalog, tuple(indexes[sid]), in_routine, out)

    # Rule 2: one stretch helps X while another is cautioned/avoided for X.
    helpers: dict[str, list[Stretch]] = {}
    for stretch in unique.values():
        for condition in stretch.helps:
            helpers.setdefault(condition, []).append(stretch)
    for sid, b in unique.items():
        for caution in b.cautions:
            x = caution.condition
            if x in b.helps:
                continue  # the catalog itself says it helps X with care: no conflict
            if b.avoid_listed and x not in conds:
                continue  # the avoid-listed warning below already covers it
            a_list = [a for a in helpers.get(x, ()) if a.id != sid]
            if not a_list:
                continue
            if x not in conds and caution.level != "avoid":
                continue  # a mild caution for a condition the user doesn't have: noise
            level = caution.level if x in conds else "caution"
            cname = _cond_name(catalog, x)
            names = ", ".join(a.name for a in a_list)
            helps_verb = "helps" if len(a_list) == 1 else "help"
            out.add_keyed(
                sid,
                x,
                SafetyWarning(
                    level=level,
                    rule="conflict",
                    stretch_ids=(sid, *(a.id for a in a_list)),
                    message=f"{b.name} {_level_phrase(caution.level)} with {cname}, "
                    f"while {names} in this routine {helps_verb} with it",
                    reason=caution.reason,
                    condition=x,
                    items=tuple(indexes[sid]),
                    alternative=find_alternative(
                        catalog, b, tuple(dict.fromkeys((x, *conds))), helps=x, exclude=in_routine
                    ),
                ),
            )

    # Rule 5b: avoid-listed stretches, always.
    for sid, stretch in unique.items():
        if stretch.avoid_listed and not out.has_keyed(sid, "avoid"):
            out.add(_avoid_listed_warning(stretch, catalog, conds, tuple(indexes[sid]), in_routine))

    # Rule 4: dosage and sides, per item.
    sides_present: dict[str, set[str]] = {}
    for index, stretch in known:
        resolved = routine.items[index].resolved(stretch)
        sides_present.setdefault(stretch.id, set()).add(resolved.sides or "none")
    for index, stretch in known:
        item = routine.items[index]
        dose = stretch.dosage
        for field, rng, unit in (("hold", dose.hold, " s"), ("reps", dose.reps, "")):
            value = getattr(item, field)
            if value is None or rng.contains(value):
                continue
            what = {"hold": "hold", "reps": "repetitions"}[field]
            if field == "hold" and dose.mode == "reps":
                what = "seconds per repetition"
            elif field == "hold" and dose.mode == "duration":
                what = "duration"
            direction = "more" if value > rng.max else "less"
            out.add(
                SafetyWarning(
                    level="caution",
                    rule="dosage",
                    stretch_ids=(stretch.id,),
                    message=f"{stretch.name}: {field} {value}{unit} is outside the usual "
                    f"{rng.min}–{rng.max}{unit} ({what})",
                    reason=f"The sources give {rng.min}–{rng.max}{unit} for this stretch; "
                    f"{direction} is not better. Set {field} within the range.",
                    items=(index,),
                )
            )
        sides = item.resolved(stretch).sides
        if dose.sides == "each":
            if sides in ("left", "right"):
                other = "right" if sides == "left" else "left"
                present = sides_present.get(stretch.id, set())
                if other in present or "each" in present:
                    continue
                out.add(
                    SafetyWarning(
                        level="caution",
                        rule="sides",
                        stretch_ids=(stretch.id,),
                        message=f"{stretch.name} is done on the {sides} side only",
                        reason=f"Stretch both sides evenly: add the {other} side or set sides to each.",
                        items=(index,),
                    )
                )
            elif sides == "none":
                out.add(
                    SafetyWarning(
                        level="caution",
                        rule="sides",
                        stretch_ids=(stretch.id,),
                        message=f"{stretch.name} is a one-side-at-a-time stretch set to no sides",
                        reason="Stretch both sides evenly: set sides to each.",
                        items=(index,),
                    )
                )
        elif sides in ("each", "left", "right"):
            out.add(
                SafetyWarning(
                    level="info",
                    rule="sides",
                    stretch_ids=(stretch.id,),
                    message=f"{stretch.name} works both sides at once; sides {sides} is not needed",
                    reason="This stretch is symmetric" + (
                        ", so sides each runs it twice." if sides == "each" else "; set sides to none."
                    ),
                    items=(index,),
                )
            )

    # Rule 5a: a warm-up before the first stretch.
    first = next(((i, s) for i, s in known if not s.is_warmup), None)
    if first is not None and (not known or not known[0][1].is_warmup):
        index, stretch = first
        warmups = [
            s
            for s in catalog.stretches.values()
            if s.is_warmup and not _is_risky_for(s, conds)
        ]
        shared = [s for s in warmups if set(s.regions) & set(stretch.regions)]
        pick = (shared or warmups or [None])[0]
        later = next((s for _i, s in known if s.is_warmup), None)
        hint = f"; move {later.name} to the start" if later is not None else ""
        out.add(
            SafetyWarning(
                level="info",
                rule="warm-up",
                stretch_ids=(stretch.id,),
                message=f"No warm-up before {stretch.name}{hint}",
                reason=_WARMUP_REASON,
                items=(index,),
                alternative=(later.id if later is not None else (pick.id if pick is not None else None)),
            )
        )
    return out.result()


def check_for_profile(routine: Routine, catalog: Any, profile: Profile) -> list[SafetyWarning]:
    """:func:`check_routine` with the profile's conditions and flare state.

    The one check every way of playing, listing or importing a routine uses.
    """
    return check_routine(routine, catalog, profile.conditions, flare=profile.flare)


def gate_warnings(routine: Routine, catalog: Any, profile: Profile) -> list[SafetyWarning]:
    """The avoid-level warnings that must be acknowledged before ``routine`` is played."""
    return [w for w in check_for_profile(routine, catalog, profile) if w.level == "avoid"]


def worst_level(warnings: Iterable[SafetyWarning]) -> Optional[str]:
    """The most serious level among ``warnings`` (``None`` when there are none)."""
    best: Optional[str] = None
    for w in warnings:
        if best is None or _RANK[w.level] > _RANK[best]:
            best = w.level
    return best


#: The mark shown beside a stretch or routine for its worst level.
LEVEL_MARKS = {"avoid": "✖", "caution": "!", "info": ""}
