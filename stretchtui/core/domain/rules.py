"""Safety rules: what a routine (or a single stretch) should warn about.

The rules read the catalog's data (each stretch's cautions, helps, movements,
position, glide kind, dosage, ``avoid_listed``, ``similar``) and the
movement × condition table of :mod:`.clinical`; no stretch is named here.
Every warning is about the user's own conditions (the profile), except the
ones that hold for everybody (avoid-listed moves, dosage, sides, warm-up).

Rules, by the ``rule`` of the :class:`~.models.SafetyWarning` they produce:

``profile``
    the stretch is cautioned or avoided for one of the user's conditions
    (the catalog's caution, which a test holds to the clinical table).
    Related conditions (disc herniation and sciatica) at the same level are
    one warning naming both.
``opposite``
    the same, when the stretch also suits another of the user's conditions
    (bending forward suits stenosis and is an avoid with osteoporosis): the
    message says the conditions pull opposite ways. For a compound stretch
    (cat-cow) whose every half is an avoid for one of the conditions,
    neither half is safe and it becomes an avoid.
``combination``
    the stretch combines movements that are risky together for a condition
    (flexion with rotation in the lower back; neck extension with rotation
    or side bend): :data:`.clinical.COMBINATIONS`.
``flare``
    during a flare (profile): lumbar flexion is an avoid for disc herniation
    and sciatica, a nerve tensioner an avoid for those and cervical
    radiculopathy; plus one ``info`` for the routine on how to dose a flare.
``position``
    lying on the back (caution) or the front (avoid) in pregnancy: one note for
    the routine listing the stretches with nothing else to say; a stretch with a
    line of its own says it there.
``avoid-listed``
    a stretch the sources list as best avoided with back pain (always).
``dosage`` / ``sides``
    a hold or repetition count beyond what the sources suggest (caution) or
    below it (info); a two-sided stretch done on one side only, or set to no
    sides; sides set on a symmetric stretch (info).
``warm-up``
    no warm-up before the first stretch (info).
``centralize``
    an extension stretch that helps the user's disc herniation or sciatica
    only when the symptoms centralize says so (info, :func:`.clinical.centralize_note`).
``unknown``
    an item whose stretch id is not in the catalog.
``symptoms``
    a stretch marked because symptoms spread with it (a *spreading* answer
    or an ``x`` stop, :mod:`.symptoms`): an avoid naming the date, with no
    alternative, until the user clears the mark. No warning of a marked
    stretch offers an alternative, and no warning offers a marked stretch.

One stretch gets at most one caution/avoid line: its problems (profile /
opposite / combination / flare per condition group, avoid-listed, and its
position when the routine-wide position note does not list it) merged into
the highest level, naming every condition and reason, with one alternative.
The position note stays one line for the routine; the dose is one line per
item. Results are sorted avoid, caution, info, then by the first routine
item involved.

**Alternatives.** A warning offers the first stretch of the stretch's own
``similar`` list (catalog: a physiotherapist's pick of the same area and
aim, best first) that the advice gate allows in its place
(:func:`.gate.offer_ok`: not marked, no caution or avoid for the user's
conditions, flare and position included, none of the movements that make the
stretch risky; nerve glides by kind, so a slider can replace a tensioner),
preferring one not already in the routine. Where none qualifies the reason
says so.

The app informs and warns; it never forbids. An ``avoid`` is a strong
warning the user can acknowledge.

INTERFACE::

    def check_routine(routine, catalog, conditions=(), *, flare=False, marked=(), marks=()) -> list[SafetyWarning]
    def warnings_for_stretch(stretch, conditions, catalog=None, *, flare=False, marked=(), marks=())
    def find_alternative(catalog, stretch, conditions=(), *, hazard=(), exclude=(), flare=False, marked=())
    def flare_starter(catalog, conditions=(), regions=(), marked=()) -> str | None
    def avoid_ids(routine, catalog, profile) -> tuple[str, ...]
    def marks_for_condition(catalog, condition) -> dict[str, list[str]]
    def check_for_profile(routine, catalog, profile) -> list[SafetyWarning]
    def gate_warnings(routine, catalog, profile) -> list[SafetyWarning]
    def worst_level(warnings) -> str | None
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .clinical import (
    CELL_LEVEL,
    CENTRALIZE_CONDITIONS,
    COMBINATIONS,
    FLARE_FLEXION_CONDITIONS,
    FLARE_TENSIONER_CONDITIONS,
    RELATED_CONDITIONS,
    centralize_note,
    combination_cells,
    is_arm_glide,
    movement_cell,
    movement_key,
    position_cell,
)
from .gate import AdviceContext, offer_ok
from .models import LEVELS, Profile, Routine, SafetyWarning, Stretch
from .symptoms import ADVICE as _SYMPTOMS_ADVICE
from .symptoms import SymptomMark
from .symptoms import describe as _describe_mark
from .symptoms import how_sentence as _how_mark

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog

__all__ = [
    "COMBINATIONS",
    "LEVEL_MARKS",
    "check_for_profile",
    "check_routine",
    "find_alternative",
    "gate_warnings",
    "warnings_for_stretch",
    "worst_level",
    "worst_of_levels",
]

_RANK = {level: rank for rank, level in enumerate(LEVELS)}  # info 0, caution 1, avoid 2
#: Between findings of the same level for one stretch and condition, the more specific wins.
_RULE_PREFERENCE = {"flare": 0, "combination": 1, "profile": 2}

_WARMUP_REASON = (
    "The sources advise warming up with a few gentle movements first; "
    "stretching cold tissue is more likely to hurt."
)
_AVOID_LISTED_REASON = "The sources list this among the moves best avoided with back pain."
_FLARE_FLEXION_REASON = (
    "During a flare, rounding the lower back presses on the irritated disc and nerve; leave it out "
    "until the flare settles, then bring it back small."
)
_FLARE_TENSIONER_REASON = (
    "A tensioner stretches both ends of an irritated nerve at once; during a flare use a slider "
    "(one end eases as the other lengthens) or leave glides out."
)
_FLARE_INFO_REASON = (
    "In a flare: fewer stretches, each at the low end of its dose, in positions that ease the pain, "
    "and short walks. A flare that settles within a day is fine; pain that builds over days, or any "
    "red flag, is a reason to see a clinician."
)
_POSITION_REASONS = {
    "supine": (
        "After about 16 weeks of pregnancy, lying flat on your back for long can make you light-headed; "
        "raise your upper body on pillows, keep each hold short, or choose a seated or standing stretch."
    ),
    "prone": (
        "Lying on your front presses on the bump as it grows; after the first months choose a stretch "
        "on hands and knees, seated or standing."
    ),
}
_POSITION_PHRASE = {"supine": "lying on your back", "prone": "lying on your front"}
_HALF_NAMES = {"lumbar-flexion": "rounding", "lumbar-extension": "arching"}
_NO_ALTERNATIVE = " No stretch in the catalog is a safe swap for this one; leave it out, or ask your clinician."


def _no_alternative(alternative: str | None, catalog: Catalog | None) -> str:
    """The sentence that says no safer stretch qualifies (only when the catalog was searched)."""
    return _NO_ALTERNATIVE if alternative is None and catalog is not None else ""


def _cond_name(catalog: Catalog | None, condition: str) -> str:
    if catalog is not None:
        found = catalog.conditions.get(condition)
        if found is not None:
            name = found.name
            return name.lower() if name[:1].isupper() and name[1:2].islower() else name
    return condition.replace("-", " ")


def _names(catalog: Catalog | None, conditions: Iterable[str]) -> str:
    names = [_cond_name(catalog, c) for c in conditions]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _level_phrase(level: str) -> str:
    return "is best avoided" if level == "avoid" else "needs care"


# ---------------------------------------------------------------- per stretch


@dataclass(frozen=True)
class _Finding:
    """One stretch's level for one condition, and why."""

    level: str
    rule: str
    condition: str
    reason: str
    #: The movements that make it risky (for choosing an alternative without them).
    hazard: frozenset[str]


def _hazard(stretch: Stretch, condition: str) -> frozenset[str]:
    moves = {
        m
        for m in stretch.movements
        if movement_cell(m, condition, glide=stretch.glide, regions=stretch.regions) in ("C", "X")
    }
    for together, conds, _cell, _reason in COMBINATIONS:
        if together <= set(stretch.movements) and condition in conds:
            moves |= together
    return frozenset(moves)


def shares_hazard(candidate: Stretch, replacing: Stretch, conditions: Iterable[str]) -> bool:
    """True when ``candidate`` does a movement that makes ``replacing`` risky for ``conditions``.

    Nerve glides are compared by kind: a slider does not share the hazard of a
    tensioner (the tensioner's risk is stretching both ends at once), so the
    slider a tensioner's reason names can stand in for it.
    """
    hazard: set[str] = set()
    for condition in conditions:
        hazard |= {movement_key(m, replacing.glide) for m in _hazard(replacing, condition)}
    return bool(hazard & {movement_key(m, candidate.glide) for m in candidate.movements})


def _flare_finding(stretch: Stretch, condition: str) -> _Finding | None:
    if condition in FLARE_FLEXION_CONDITIONS and "lumbar-flexion" in stretch.movements and not stretch.compound:
        return _Finding("avoid", "flare", condition, _FLARE_FLEXION_REASON, frozenset({"lumbar-flexion"}))
    if (
        condition in FLARE_TENSIONER_CONDITIONS
        and stretch.glide == "tensioner"
        and is_arm_glide(stretch.regions) == (condition == "cervical-radiculopathy")
    ):
        return _Finding("avoid", "flare", condition, _FLARE_TENSIONER_REASON, frozenset({"neural-glide"}))
    return None


def _findings(stretch: Stretch, conditions: tuple[str, ...], flare: bool) -> dict[str, _Finding]:
    """The most serious finding per condition for ``stretch`` (movement hazards only)."""
    out: dict[str, _Finding] = {}

    def keep(f: _Finding) -> None:
        old = out.get(f.condition)
        if old is None or (_RANK[f.level], -_RULE_PREFERENCE[f.rule]) > (
            _RANK[old.level],
            -_RULE_PREFERENCE[old.rule],
        ):
            out[f.condition] = f

    for condition in conditions:
        caution = stretch.caution_for(condition)
        if caution is not None:
            keep(_Finding(caution.level, "profile", condition, caution.reason, _hazard(stretch, condition)))
        for cell, reason in combination_cells(stretch.movements, condition):
            keep(_Finding(CELL_LEVEL[cell], "combination", condition, reason, _hazard(stretch, condition)))
        if flare:
            found = _flare_finding(stretch, condition)
            if found is not None:
                keep(found)
    return out


def _is_risky_for(stretch: Stretch, conditions: tuple[str, ...], flare: bool) -> bool:
    """True when ``stretch`` has any caution or avoid for ``conditions`` (position included)."""
    if stretch.avoid_listed:
        return True
    if _findings(stretch, conditions, flare):
        return True
    return any(position_cell(stretch.position, c) for c in conditions)


def _suits(stretch: Stretch, condition: str) -> bool:
    """True when ``stretch`` is indicated for ``condition`` (listed as helping, no caution)."""
    return condition in stretch.helps and stretch.caution_for(condition) is None


def find_alternative(
    catalog: Catalog | None,
    stretch: Stretch,
    conditions: Iterable[str] = (),
    *,
    hazard: Iterable[str] = (),
    exclude: Iterable[str] = (),
    flare: bool = False,
    marked: Iterable[str] = (),
) -> str | None:
    """A stretch id to offer instead of ``stretch``, or ``None`` when none qualifies.

    The candidates are the stretch's own ``similar`` list, best first (then
    its older one-stretch ``alternative``, when not in the list): the
    catalog's physio-readable choice of the same area (low back for low back,
    neck or upper back for the neck, a nerve glide of the same limb) and the
    same aim (a slider for a tensioner, a hamstring stretch for a hamstring
    stretch), with the one its caution reasons name first. The first one the
    advice gate lets us offer in its place (:func:`.gate.offer_ok`: not marked,
    no caution or avoid for the user, none of the movements that make
    ``stretch`` risky) and that does none of ``hazard`` is it, preferring one
    not already in the routine (``exclude``). A warm-up never stands in for a
    stretch. Nothing else in the catalog is considered: no look-alike from
    another area.
    """
    ctx = AdviceContext(tuple(conditions), flare, frozenset(marked))
    risky = set(hazard)
    stretches = getattr(catalog, "stretches", {}) if catalog is not None else {}
    fits: list[str] = []
    candidates = list(stretch.similar)
    if stretch.alternative and stretch.alternative not in candidates:
        candidates.append(stretch.alternative)  # the older one-stretch field, last
    for sid in candidates:
        cand = stretches.get(sid)
        if (
            cand is not None
            and (stretch.is_warmup or not cand.is_warmup)
            and not risky.intersection(cand.movements)
            and offer_ok(cand, catalog, ctx, replacing=stretch)
        ):
            fits.append(cand.id)
    excluded = set(exclude)
    return next((sid for sid in fits if sid not in excluded), fits[0] if fits else None)


def _group(findings: dict[str, _Finding]) -> list[list[_Finding]]:
    """Findings grouped into problems: same level and rule, and either related
    conditions (disc herniation and sciatica) or the same risky movements."""
    groups: list[list[_Finding]] = []
    placed: set[str] = set()
    items = list(findings.values())
    for f in items:
        if f.condition in placed:
            continue
        group = [f]
        placed.add(f.condition)
        related = next((r for r in RELATED_CONDITIONS if f.condition in r), frozenset())
        for g in items:
            if g.condition in placed or g.level != f.level or g.rule != f.rule:
                continue
            if g.condition in related or (f.hazard and g.hazard == f.hazard):
                group.append(g)
                placed.add(g.condition)
        groups.append(group)
    return groups


def _reason(group: list[_Finding]) -> str:
    """One reason for a group: related conditions share the first; others add theirs."""
    first = group[0]
    related = next((r for r in RELATED_CONDITIONS if first.condition in r), frozenset())
    reasons = [first.reason]
    for f in group[1:]:
        if f.condition not in related and f.reason not in reasons:
            reasons.append(f.reason)
    return " ".join(reasons)


def _stretch_warnings(
    stretch: Stretch,
    conditions: tuple[str, ...],
    catalog: Catalog | None,
    items: tuple[int, ...],
    exclude: Iterable[str],
    flare: bool,
) -> list[SafetyWarning]:
    """Condition warnings (profile, opposite, combination, flare) for one stretch, one per
    problem, without an alternative: :func:`_one_line` merges them into the stretch's one
    line and picks its one alternative."""
    findings = _findings(stretch, conditions, flare)
    out: list[SafetyWarning] = []
    if not findings:
        return out

    # A compound stretch whose every half is an avoid for one of the conditions: nothing is left.
    if stretch.compound and len(conditions) > 1:
        halves = [m for m in stretch.movements if m != "warm-up"]
        blocked: dict[str, str] = {}
        for half in halves:
            for condition in conditions:
                if movement_cell(half, condition, glide=stretch.glide, regions=stretch.regions) == "X":
                    blocked.setdefault(half, condition)
                    break
        if len(blocked) == len(halves) and len(set(blocked.values())) > 1:
            conds = tuple(dict.fromkeys(blocked.values()))
            parts = [
                f"the {_HALF_NAMES.get(half, half.replace('-', ' '))} half"
                + (" is best avoided" if n == 0 else "")
                + f" with {_cond_name(catalog, cond)}"
                for n, (half, cond) in enumerate(blocked.items())
            ]
            reason = (
                "Your conditions pull opposite ways here: " + ", ".join(parts)
                + ", so no safe way of doing it is left."
            )
            out.append(
                SafetyWarning(
                    level="avoid",
                    rule="opposite",
                    stretch_ids=(stretch.id,),
                    message=f"{stretch.name}: your conditions pull opposite ways here, and neither half suits you",
                    reason=reason,
                    condition=conds[0],
                    conditions=conds,
                    items=items,
                )
            )
            findings = {c: f for c, f in findings.items() if c not in conds}

    for group in _group(findings):
        first = group[0]
        conds = tuple(f.condition for f in group)
        suited = [c for c in conditions if c not in conds and _suits(stretch, c)]
        names = _names(catalog, conds)
        if first.rule == "flare":
            message = f"{stretch.name} {_level_phrase(first.level)} during a flare of {names}"
            rule = "flare"
        elif first.rule == "combination":
            together = next(
                (" and ".join(m.replace("-", " ") for m in sorted(t)) for t, cs, _c, _r in COMBINATIONS
                 if t <= set(stretch.movements) and first.condition in cs),
                "these movements",
            )
            message = f"{stretch.name} combines {together}, which {_level_phrase(first.level)} with {names}"
            rule = "combination"
        else:
            message = f"{stretch.name} {_level_phrase(first.level)} with {names}"
            rule = "profile"
        reason = _reason(group)
        all_conds = conds
        if suited and first.level == "avoid":
            rule = "opposite"
            all_conds = (*conds, *suited)
            message += f", though it usually suits {_names(catalog, suited)}"
            reason += (
                " Your conditions pull opposite ways here: follow the stricter advice, and ask your "
                "clinician which direction of movement suits you."
            )
        out.append(
            SafetyWarning(
                level=first.level,
                rule=rule,
                stretch_ids=(stretch.id,),
                message=message,
                reason=reason,
                condition=all_conds[0],
                conditions=all_conds,
                items=items,
            )
        )
    return out


def _avoid_listed_warning(stretch: Stretch, items: tuple[int, ...]) -> SafetyWarning:
    reason = next((c.reason for c in stretch.cautions if c.level == "avoid"), _AVOID_LISTED_REASON)
    return SafetyWarning(
        level="avoid",
        rule="avoid-listed",
        stretch_ids=(stretch.id,),
        message=f"{stretch.name} is on the sources' list of moves to avoid with back pain",
        reason=reason,
        items=items,
    )


def _tail(message: str, name: str) -> str:
    """``message`` without the stretch's name in front ("needs care with X")."""
    for prefix in (f"{name}: ", f"{name} "):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message


def _one_line(
    stretch: Stretch,
    parts: list[SafetyWarning],
    catalog: Catalog | None,
    conditions: tuple[str, ...],
    items: tuple[int, ...],
    exclude: Iterable[str],
    flare: bool,
    marked: Iterable[str] = (),
) -> SafetyWarning | None:
    """The stretch's one caution/avoid line from its ``parts`` (one per problem): the
    highest level and its rule, every condition and every reason, and one alternative
    (never a ``marked`` stretch; none at all in place of a marked one)."""
    if not parts:
        return None
    # The stretch's own problems first (most serious first), its position last; the line
    # takes the highest level of all and the rule of the most serious problem.
    own = sorted((w for w in parts if w.rule != "position"), key=lambda w: -_RANK[w.level])
    where = [w for w in parts if w.rule == "position"]
    ranked = own + where
    top = max(ranked, key=lambda w: _RANK[w.level])  # the first of the highest level
    own_level = max((_RANK[w.level] for w in own), default=-1)
    message = ranked[0].message
    said: set[str] = set(ranked[0].conditions)
    for w in ranked[1:]:
        tail = _tail(w.message, stretch.name)
        if w.rule == "position" and set(w.conditions) <= said and _RANK[w.level] <= own_level:
            tail = tail.split(", which")[0]  # "is done lying on your back": said already, no stricter
        said |= set(w.conditions)
        message += f", and {tail}"
    reasons: list[str] = []
    for w in ranked:
        if w.reason not in reasons:
            reasons.append(w.reason)
    conds = tuple(dict.fromkeys(c for w in ranked for c in (w.conditions or ((w.condition,) if w.condition else ()))))
    out_ids = set(marked)
    alt = (find_alternative(catalog, stretch, conditions, exclude=exclude, flare=flare, marked=out_ids)
           if catalog is not None and stretch.id not in out_ids else None)
    reason = " ".join(reasons)
    if top.level == "avoid":
        reason += _no_alternative(alt, catalog)
    return SafetyWarning(
        level=top.level,
        rule=top.rule,
        stretch_ids=(stretch.id,),
        message=message,
        reason=reason,
        condition=conds[0] if conds else None,
        conditions=conds,
        items=items,
        alternative=alt,
    )


def _position_warning(
    position: str, stretches: list[Stretch], items: tuple[int, ...], conditions: tuple[str, ...], catalog: Catalog | None
) -> SafetyWarning | None:
    cells = {c: position_cell(position, c) for c in conditions}
    conds = tuple(c for c, cell in cells.items() if cell)
    if not conds or position not in _POSITION_REASONS:
        return None
    level = worst_of_levels(CELL_LEVEL[cells[c] or "C"] for c in conds) or "caution"
    names = [s.name for s in stretches]
    needs_care = f"which {_level_phrase(level)} with {_names(catalog, conds)}"
    if len(names) == 1:
        message = f"{names[0]} is done {_POSITION_PHRASE[position]}, {needs_care}"
    else:
        message = (
            f"{len(names)} stretches are done {_POSITION_PHRASE[position]}, {needs_care}: " + ", ".join(names)
        )
    return SafetyWarning(
        level=level,
        rule="position",
        stretch_ids=tuple(s.id for s in stretches),
        message=message,
        reason=_POSITION_REASONS[position],
        condition=conds[0],
        conditions=conds,
        items=items,
    )


def _sort(warnings: list[SafetyWarning]) -> list[SafetyWarning]:
    indexed = list(enumerate(warnings))
    indexed.sort(key=lambda e: (-_RANK[e[1].level], min(e[1].items) if e[1].items else 10**9, e[0]))
    return [w for _i, w in indexed]


def marks_for_condition(catalog: Catalog, condition: str) -> dict[str, list[str]]:
    """The catalog stretches marked for ``condition`` alone, by level (``avoid``, ``caution``), in catalog order.

    What ticking that condition in the profile changes in the catalog (the
    Profile screen says so beside the condition).
    """
    out: dict[str, list[str]] = {"avoid": [], "caution": []}
    for stretch in getattr(catalog, "stretches", {}).values():
        level = worst_level(warnings_for_stretch(stretch, (condition,), catalog))
        if level in out:
            out[level].append(stretch.name)
    return out


def symptom_warning(stretch: Stretch, mark: SymptomMark, items: tuple[int, ...] = (),
                    also: SafetyWarning | None = None) -> SafetyWarning:
    """The avoid for a stretch marked by symptoms spreading (rule ``symptoms``): its date, no
    alternative. ``also``: the stretch's own line, folded in (one line per stretch)."""
    reason = f"{_how_mark(mark)} {_SYMPTOMS_ADVICE}"
    conditions: tuple[str, ...] = ()
    if also is not None:
        reason += f" Also: {also.message}."
        conditions = also.conditions or ((also.condition,) if also.condition else ())
    return SafetyWarning(
        level="avoid",
        rule="symptoms",
        stretch_ids=(stretch.id,),
        message=_describe_mark(mark, stretch.name),
        reason=reason,
        condition=conditions[0] if conditions else None,
        conditions=conditions,
        items=items,
        alternative=None,
    )


def _with_marks(
    warnings: list[SafetyWarning], marks: Iterable[SymptomMark], found: dict[str, tuple[Stretch, tuple[int, ...]]]
) -> list[SafetyWarning]:
    """``warnings`` with the line of each marked stretch in ``found`` (id -> stretch, items) made the
    ``symptoms`` avoid (its own caution/avoid line folded into it: still one line per stretch);
    no warning offers a marked stretch."""
    by_id = {m.stretch: m for m in marks}
    if not by_id:
        return warnings
    out = []
    own: dict[str, SafetyWarning] = {}
    for w in warnings:
        sid = w.stretch_ids[0] if len(w.stretch_ids) == 1 else None
        if sid is not None and sid in by_id and sid in found and w.level in ("caution", "avoid"):
            own[sid] = w
            continue
        if w.alternative is not None and (w.alternative in by_id or any(s in by_id for s in w.stretch_ids)):
            w = replace(w, alternative=None)
        out.append(w)
    for sid, (stretch, items) in found.items():
        if sid in by_id:
            out.append(symptom_warning(stretch, by_id[sid], items, own.get(sid)))
    return _sort(out)


def _own_parts(stretch: Stretch, conds: tuple[str, ...], catalog: Catalog | None, items: tuple[int, ...],
               flare: bool) -> list[SafetyWarning]:
    """Every problem of ``stretch`` itself (conditions, flare, avoid-listed), one warning each."""
    parts = _stretch_warnings(stretch, conds, catalog, items, (), flare)
    if stretch.avoid_listed and not any(w.level == "avoid" for w in parts):
        parts.append(_avoid_listed_warning(stretch, items))
    return parts


def warnings_for_stretch(
    stretch: Stretch, conditions: Iterable[str], catalog: Catalog | None = None, *, flare: bool = False,
    marked: Iterable[str] = (), marks: Iterable[SymptomMark] = (),
) -> list[SafetyWarning]:
    """Warnings for ``stretch`` on its own (marks in the catalog, the details pane).

    At most one line: the condition, flare, position and avoid-listed problems
    merged (:func:`_one_line`); with ``marks`` (the profile's symptom marks), a
    marked stretch's line is the ``symptoms`` avoid. ``catalog`` is optional;
    with it, condition names are spelled out and an alternative is searched for.
    """
    marks = tuple(marks)
    marked = set(marked) | {m.stretch for m in marks}
    conds = tuple(dict.fromkeys(conditions))
    parts = _own_parts(stretch, conds, catalog, (), flare)
    pos = _position_warning(stretch.position, [stretch], (), conds, catalog)
    if pos is not None and not parts:
        return _with_marks([pos], marks, {stretch.id: (stretch, ())})
    if pos is not None:
        parts.append(pos)
    line = _one_line(stretch, parts, catalog, conds, (), (), flare, marked)
    return _with_marks([line] if line is not None else [], marks, {stretch.id: (stretch, ())})


def check_routine(
    routine: Routine, catalog: Catalog, conditions: Iterable[str] = (), *, flare: bool = False,
    marked: Iterable[str] = (), marks: Iterable[SymptomMark] = (),
) -> list[SafetyWarning]:
    """Every safety warning for ``routine`` given the user's ``conditions``, flare state and
    symptom ``marks`` (the profile's: see :mod:`.symptoms`).

    ``marked``: stretches marked by a symptom stop (the advice gate's marks): never
    offered as an alternative, and a marked stretch gets no substitute. ``marks``: the
    dated marks (the profile's); each marked stretch's line is the ``symptoms`` avoid.

    Sorted most serious first (avoid, caution, info). Unknown conditions are
    ignored (the CLI and the profile screen validate them).
    """
    marks = tuple(marks)
    marked = set(marked) | {m.stretch for m in marks}
    conds = tuple(dict.fromkeys(c for c in conditions if c in catalog.conditions))
    out: list[SafetyWarning] = []

    # Resolve the items; group item indexes by stretch id (first-seen order).
    known: list[tuple[int, Stretch]] = []
    indexes: dict[str, list[int]] = {}
    for index, item in enumerate(routine.items):
        stretch = catalog.get(item.stretch)
        if stretch is None:
            out.append(
                SafetyWarning(
                    level="caution",
                    rule="unknown",
                    stretch_ids=(item.stretch,),
                    message=f"Item {index + 1}: {item.stretch!r} is not in the catalog",
                    reason="This stretch is unknown to this version of stretchtui; it cannot be checked or played.",
                    items=(index,),
                    alternative=next(iter(catalog.closest_ids(item.stretch, n=1)), None),
                )
            )
            continue
        known.append((index, stretch))
        indexes.setdefault(stretch.id, []).append(index)
    unique = {stretch.id: stretch for _i, stretch in known}
    in_routine = tuple(unique)

    # One line per stretch: its condition, flare and avoid-listed problems, and its
    # position when that position has a routine-wide note (lying on the back in pregnancy).
    lines: dict[str, list[SafetyWarning]] = {}
    for sid, stretch in unique.items():
        lines[sid] = _own_parts(stretch, conds, catalog, tuple(indexes[sid]), flare)

    # Position: one note for the routine per position, listing the stretches that have no
    # line of their own; a stretch that has one says it there instead (never two lines).
    by_position: dict[str, list[Stretch]] = {}
    for stretch in unique.values():
        by_position.setdefault(stretch.position, []).append(stretch)
    for position, group in by_position.items():
        for stretch in group:
            if lines[stretch.id]:
                pos = _position_warning(position, [stretch], tuple(indexes[stretch.id]), conds, catalog)
                if pos is not None:
                    lines[stretch.id].append(pos)
        alone = [s for s in group if not lines[s.id]]
        group_items = tuple(sorted(i for s in alone for i in indexes[s.id]))
        note = _position_warning(position, alone, group_items, conds, catalog) if alone else None
        if note is not None:
            out.append(note)
    for sid, stretch in unique.items():
        line = _one_line(stretch, lines[sid], catalog, conds, tuple(indexes[sid]), in_routine, flare, marked)
        if line is not None:
            out.append(line)
        # The press-up family "helps" disc herniation only when the symptoms centralize: say so (info).
        centralize = centralize_note(stretch, conds)
        if centralize is not None and line is None:
            helped = tuple(c for c in CENTRALIZE_CONDITIONS if c in conds)
            out.append(SafetyWarning(
                level="info", rule="centralize", stretch_ids=(sid,),
                message=f"{stretch.name} helps {_names(catalog, helped)} only if your symptoms centralize",
                reason=centralize, condition=helped[0], conditions=helped, items=tuple(indexes[sid]),
            ))

    # Flare: how to dose it, once, naming a flare routine for the routine's region.
    if flare:
        out.append(_flare_info(catalog, conds, [r for _i, s in known for r in s.regions], marked))

    out.extend(_dosage_and_sides(routine, known))
    warm = _warmup_warning(catalog, known, conds, flare)
    if warm is not None:
        out.append(warm)
    return _with_marks(_sort(out), marks, {sid: (s, tuple(indexes[sid])) for sid, s in unique.items()})


def _area(regions: Iterable[str]) -> str:
    """The part of the body a routine works on: ``"low-back"`` when any of it is the lower
    back, else ``"neck"`` (neck or upper back), else ``""`` (nerve glides only, or nothing)."""
    found = set(regions)
    if "lower-back" in found:
        return "low-back"
    return "neck" if found & {"neck", "upper-back"} else ""


def flare_starter(
    catalog: Catalog, conditions: Iterable[str] = (), regions: Iterable[str] = (), marked: Iterable[str] = ()
) -> str | None:
    """The name of the short flare routine to point a user in a flare to, or ``None``.

    Among the catalog's flare starters (``"flare": true``), only one whose every
    stretch the advice gate lets us offer during a flare (:func:`.gate.offer_ok`
    with ``flare=True``: no caution or avoid for the user's conditions, position
    included, nothing marked); of those, one made for the user's conditions
    first, then one for the routine's region (``regions``: a neck routine gets
    the neck flare routine), then catalog order.
    """
    ctx = AdviceContext(tuple(dict.fromkeys(conditions)), True, frozenset(marked))
    area = _area(regions)
    best: tuple[int, int, int] | None = None
    pick: str | None = None
    by_name = {r.name: r for r in getattr(catalog, "starters", ())}
    for order, name in enumerate(getattr(catalog, "flare_starters", ())):
        routine = by_name.get(name)
        if routine is None:
            continue
        stretches = [catalog.get(i.stretch) for i in routine.items]
        if any(s is None or not offer_ok(s, catalog, ctx) for s in stretches):
            continue
        own = _area(r for s in stretches if s is not None for r in s.regions)
        made_for = bool(set(routine.target) & set(ctx.conditions))
        if area and not made_for and area != own:
            continue  # neither for the user's conditions nor for the routine's area
        key = (0 if made_for else 1, 0 if area == own else 1, order)
        if best is None or key < best:
            best, pick = key, name
    return pick


def _flare_info(catalog: Catalog, conditions: tuple[str, ...], regions: Iterable[str] = (),
                marked: Iterable[str] = ()) -> SafetyWarning:
    """The routine-wide flare advice, naming the flare routine for the user's conditions and region."""
    gentle = flare_starter(catalog, conditions, regions, marked)
    hint = f" The starter routine {gentle!r} is made for it." if gentle else ""
    return SafetyWarning(
        level="info",
        rule="flare",
        stretch_ids=(),
        message="You are in a flare: go gently today",
        reason=_FLARE_INFO_REASON + hint,
    )


def _dosage_and_sides(routine: Routine, known: list[tuple[int, Stretch]]) -> list[SafetyWarning]:
    out: list[SafetyWarning] = []
    sides_present: dict[str, set[str]] = {}
    for index, stretch in known:
        resolved = routine.items[index].resolved(stretch)
        sides_present.setdefault(stretch.id, set()).add(resolved.sides or "none")
    for index, stretch in known:
        item = routine.items[index]
        dose = stretch.dosage
        # One line for the item's dose, however many of its numbers are outside the range.
        said: list[str] = []
        ranges: list[str] = []
        beyond = False
        for field, rng, unit in (("hold", dose.hold, " s"), ("reps", dose.reps, "")):
            value = getattr(item, field)
            if value is None or rng.contains(value):
                continue
            what = {"hold": "hold", "reps": "repetitions"}[field]
            if field == "hold" and dose.mode == "reps":
                what = "seconds per repetition"
            elif field == "hold" and dose.mode == "duration":
                what = "duration"
            over = value > rng.max
            beyond = beyond or over
            said.append(f"{field} {value}{unit} is {'beyond' if over else 'below'}")
            ranges.append(f"{rng.min}–{rng.max}{unit} ({what})")
        if said:
            span = "; ".join(ranges)
            out.append(
                SafetyWarning(
                    level="caution" if beyond else "info",
                    rule="dosage",
                    stretch_ids=(stretch.id,),
                    message=f"{stretch.name}: {' and '.join(said)} what the sources suggest ({span})",
                    reason=f"The sources suggest {span} for this stretch. Stay within it unless "
                    "a clinician has advised you otherwise."
                    if beyond
                    else f"The sources suggest {span}; less is fine on a sore day, "
                    "but may do less for stiffness.",
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
                out.append(
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
                out.append(
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
            out.append(
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
    return out


def _warmup_warning(
    catalog: Catalog, known: list[tuple[int, Stretch]], conds: tuple[str, ...], flare: bool
) -> SafetyWarning | None:
    first = next(((i, s) for i, s in known if not s.is_warmup), None)
    if first is None or known[0][1].is_warmup:
        return None
    index, stretch = first
    warmups = [s for s in catalog.stretches.values() if s.is_warmup and not _is_risky_for(s, conds, flare)]
    shared = [s for s in warmups if set(s.regions) & set(stretch.regions)]
    pick = next(iter(shared or warmups), None)
    later = next((s for _i, s in known if s.is_warmup), None)
    hint = f"; move {later.name} to the start" if later is not None else ""
    return SafetyWarning(
        level="info",
        rule="warm-up",
        stretch_ids=(stretch.id,),
        message=f"No warm-up before {stretch.name}{hint}",
        reason=_WARMUP_REASON,
        items=(index,),
        alternative=(later.id if later is not None else (pick.id if pick is not None else None)),
    )


# ---------------------------------------------------------------- the gate


def check_for_profile(routine: Routine, catalog: Catalog, profile: Profile) -> list[SafetyWarning]:
    """:func:`check_routine` with the profile's conditions and flare state.

    The one check every way of playing, listing or importing a routine uses.
    """
    return check_routine(routine, catalog, profile.conditions, flare=profile.flare, marks=profile.symptom_marks)


def gate_warnings(routine: Routine, catalog: Catalog, profile: Profile) -> list[SafetyWarning]:
    """The avoid-level warnings that must be acknowledged before ``routine`` is played."""
    return [w for w in check_for_profile(routine, catalog, profile) if w.level == "avoid"]


def avoid_ids(routine: Routine, catalog: Catalog, profile: Profile) -> tuple[str, ...]:
    """The stretches of ``routine`` with an avoid-level warning for ``profile``: played, they
    were played past the gate ("Play anyway" or ``--yes``). Recorded on the session
    (:data:`.session_rules.AVOID_PLAYED_KEY`) for the clinician summary."""
    return tuple(dict.fromkeys(sid for w in gate_warnings(routine, catalog, profile) for sid in w.stretch_ids))


def worst_of_levels(levels: Iterable[str]) -> str | None:
    """The most serious of ``levels`` ("info" < "caution" < "avoid"); ``None`` for none.

    The one ranking of warning levels (the Library, the Builder, the catalog
    marks and ``check`` all use it).
    """
    best: str | None = None
    for level in levels:
        if best is None or _RANK[level] > _RANK[best]:
            best = level
    return best


def worst_level(warnings: Iterable[SafetyWarning]) -> str | None:
    """The most serious level among ``warnings`` (``None`` when there are none)."""
    return worst_of_levels(w.level for w in warnings)


#: The mark shown beside a stretch or routine for its worst level.
LEVEL_MARKS = {"avoid": "✖", "caution": "!", "info": ""}
