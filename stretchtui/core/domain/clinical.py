"""The movement × condition table of ``shared/clinical.md``, as data.

This is the reference the catalog's cautions are held to (a test checks every
stretch against it) and the source of the rules that depend on movements
rather than on one stretch (flare, compound stretches, alternatives).

Cells: ``"I"`` indicated, ``"C"`` caution, ``"X"`` avoid by default, and
no entry for "no specific rule". Each row cites the sources of clinical.md.

Interpretations, where the table needs one to apply to a stretch:

* Disc herniation and sciatica share one column in clinical.md; they are two
  conditions in the profile and get the same cells.
* **Neural glides** take the "slider" or "tensioner" cell. The lumbar columns
  (disc herniation, sciatica, stenosis, spondylolisthesis, osteoporosis,
  recent surgery) apply to glides of the leg's nerves; the cervical
  radiculopathy column to glides of the arm's nerves (a glide whose regions
  include ``neck``). A tensioner is never done during a flare
  (:data:`FLARE_TENSIONER_CONDITIONS`).
* **Cervical side bend** has no row of its own; the cervical-extension cell
  says radiculopathy is "worst combined with rotation or side bend toward the
  painful side" [23,24], so a side bend on its own is a caution for
  cervical radiculopathy, and for hypermobility like every neck movement [25].
* **Pregnancy** and lying down: the core row's "C: limit time lying on the
  back after about 16 weeks" [17] is about the position, so it applies to
  every stretch done lying on the back (:data:`POSITION_CELLS`); lying on the
  front is an avoid from the second trimester (clinical.md "Pregnancy
  positions" [17]); core work on hands and knees or seated carries no
  pregnancy caution.
* **Shoulder end range** (``shoulder-end-range``: the arm overhead and behind
  the head, or wide and high) has no row in the table; clinical.md's
  "radiculopathy, side by side" makes it a caution for cervical
  radiculopathy (it tensions the arm's nerves) [14,22,23,24].
* **Compound stretches** (``compound: true`` in the catalog, e.g. cat-cow)
  move between two shapes in turn. One risky half can be left out, so a
  stretch whose halves are avoid for some condition is a caution with the cue
  to do only the other half; it is an avoid only when every half is an avoid
  (for any of the user's conditions: see :func:`compound_level`).
* Cells marked "I" with a qualifier ("gentle, no big backbends") are no
  warning; the qualifier belongs in the stretch's cues.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: Warning level for each cell letter.
CELL_LEVEL = {"C": "caution", "X": "avoid"}

_DISC = ("disc-herniation", "sciatica")


def _row(**cells: str) -> dict[str, str]:
    """A row: keyword names use ``_`` for ``-``; ``disc`` fills both disc columns."""
    out: dict[str, str] = {}
    for key, cell in cells.items():
        if key == "disc":
            out.update({c: cell for c in _DISC})
        else:
            out[key.replace("_", "-")] = cell
    return out


#: movement -> condition -> cell. Glides are keyed ``neural-glide:slider`` and
#: ``neural-glide:tensioner``.
TABLE: dict[str, dict[str, str]] = {
    # Lumbar extension: I disc if it centralizes [2,3]; X stenosis [4,5]; X spondylolisthesis [7];
    # I gentle osteoporosis [10,11,13]; C pregnancy [17,18]; X surgery [19]; C hypermobility [25].
    "lumbar-extension": _row(disc="I", spinal_stenosis="X", spondylolisthesis="X", osteoporosis="I",
                             pregnancy="C", recent_lumbar_surgery="X", hypermobility="C"),
    # Lumbar flexion: X acute / C later disc [1]; I stenosis [1,4]; I spondylolisthesis [1,7];
    # X osteoporosis [1,10,11]; C pregnancy [17,18]; X surgery [19]; C hypermobility [25].
    "lumbar-flexion": _row(disc="C", spinal_stenosis="I", spondylolisthesis="I", osteoporosis="X",
                           pregnancy="C", recent_lumbar_surgery="X", hypermobility="C"),
    # Rotation: C disc [8,19]; C spondylolisthesis [8]; C osteoporosis [11,12]; C pregnancy [18];
    # X surgery [19]; C hypermobility [25].
    "rotation": _row(disc="C", spondylolisthesis="C", osteoporosis="C", pregnancy="C",
                     recent_lumbar_surgery="X", hypermobility="C"),
    # Side bend: C disc [3]; C osteoporosis [13]; C pregnancy [18]; X surgery [19]; C hypermobility [25].
    "lumbar-side-bend": _row(disc="C", osteoporosis="C", pregnancy="C", recent_lumbar_surgery="X",
                             hypermobility="C"),
    # Neural glide [14,15,22].
    "neural-glide:slider": _row(disc="I", spinal_stenosis="C", spondylolisthesis="C", osteoporosis="C",
                                recent_lumbar_surgery="C", cervical_radiculopathy="I"),
    "neural-glide:tensioner": _row(disc="C", spinal_stenosis="C", spondylolisthesis="C", osteoporosis="C",
                                   recent_lumbar_surgery="C", cervical_radiculopathy="C"),
    # Hip / piriformis: C disc [14]; I stenosis [5]; I spondylolisthesis [8]; C osteoporosis [13];
    # C pregnancy [18]; C surgery [19]; C hypermobility [25].
    "hip": _row(disc="C", spinal_stenosis="I", spondylolisthesis="I", osteoporosis="C", pregnancy="C",
                recent_lumbar_surgery="C", hypermobility="C"),
    # Hamstring (static): C disc [16]; I stenosis [8]; I spondylolisthesis [8,9]; C osteoporosis [13];
    # C pregnancy [18]; C surgery [19]; C hypermobility [25].
    "hamstring": _row(disc="C", spinal_stenosis="I", spondylolisthesis="I", osteoporosis="C", pregnancy="C",
                      recent_lumbar_surgery="C", hypermobility="C"),
    # Cervical flexion / chin tuck: I radiculopathy [22,26]; C hypermobility [25].
    "cervical-flexion": _row(cervical_radiculopathy="I", hypermobility="C"),
    # Cervical extension: C radiculopathy [23,24]; C hypermobility [25].
    "cervical-extension": _row(cervical_radiculopathy="C", hypermobility="C"),
    # Cervical rotation: I in a comfortable range, C toward the painful side [23,24] (a one-sided
    # rotation stretch turns toward it, so C); C hypermobility [25].
    "cervical-rotation": _row(cervical_radiculopathy="C", hypermobility="C"),
    # Cervical side bend: see the module docstring [23,24,25].
    "cervical-side-bend": _row(cervical_radiculopathy="C", hypermobility="C"),
    # Thoracic extension: I osteoporosis [10,12]; C surgery [19]; I radiculopathy [26]; C hypermobility [25].
    "thoracic-extension": _row(osteoporosis="I", recent_lumbar_surgery="C", cervical_radiculopathy="I",
                               hypermobility="C"),
    # Scapular retraction: I osteoporosis [11]; I radiculopathy [22,26]; I hypermobility [25].
    "scapular-retraction": _row(osteoporosis="I", cervical_radiculopathy="I", hypermobility="I"),
    # Shoulder end range (overhead, as in cow face; a wide arm raised high, as in the doorway stretch):
    # no row in the table; clinical.md "During a session", radiculopathy side by side: these tension the
    # arm's nerves, a caution [14,22,23,24].
    "shoulder-end-range": _row(cervical_radiculopathy="C"),
    # Bridging / core, neutral spine: I disc; I stenosis [6]; I spondylolisthesis [9];
    # I osteoporosis [11,12,13]; pregnancy: see POSITION_CELLS [17]; C surgery [19]; I hypermobility [25].
    "core": _row(disc="I", spinal_stenosis="I", spondylolisthesis="I", osteoporosis="I",
                 recent_lumbar_surgery="C", hypermobility="I"),
}

#: Where a seed article is stricter than the table, the seed wins:
#: ``(movement, condition) -> cell``. Seed 000 (lumbar extension stretches "should be performed
#: with caution" with "any known fractures in the vertebrae") makes lumbar extension a caution
#: for osteoporosis / vertebral fracture, where the table has "I gentle, no big backbends".
SEED_CELLS: dict[tuple[str, str], str] = {
    ("lumbar-extension", "osteoporosis"): "C",
}

#: position -> condition -> cell (pregnancy and lying down [17,18]).
POSITION_CELLS: dict[str, dict[str, str]] = {
    "supine": {"pregnancy": "C"},
    # clinical.md "Pregnancy positions": lying on the front is an avoid from the second trimester [17].
    "prone": {"pregnancy": "X"},
}

#: Conditions whose flare makes lumbar flexion an avoid (clinical.md "Flare (acute) state" [1]).
FLARE_FLEXION_CONDITIONS: tuple[str, ...] = _DISC
#: Conditions for which a nerve tensioner is never done during a flare [14,15].
FLARE_TENSIONER_CONDITIONS: tuple[str, ...] = (*_DISC, "cervical-radiculopathy")

#: Conditions that are one problem for the user and are named together in one
#: warning when a stretch warns for both at the same level.
RELATED_CONDITIONS: tuple[frozenset[str], ...] = (frozenset(_DISC),)

_ORDER = {"I": 0, "C": 1, "X": 2}


def is_arm_glide(regions: Iterable[str]) -> bool:
    """True for a glide of the arm's nerves (its regions include the neck)."""
    return "neck" in tuple(regions)


def movement_key(movement: str, glide: str | None) -> str:
    """The :data:`TABLE` row for ``movement`` (glides by kind)."""
    if movement == "neural-glide":
        return f"neural-glide:{glide or 'tensioner'}"
    return movement


def movement_cell(movement: str, condition: str, *, glide: str | None = None,
                  regions: Iterable[str] = ()) -> str | None:
    """The table cell for one movement and one condition (``None`` for no rule)."""
    if movement == "neural-glide":
        arm = is_arm_glide(regions)
        if arm != (condition == "cervical-radiculopathy"):
            return None
    seed = SEED_CELLS.get((movement, condition))
    if seed is not None:
        return seed
    return TABLE.get(movement_key(movement, glide), {}).get(condition)


def worst_cell(cells: Iterable[str | None]) -> str | None:
    """The most restrictive of ``cells`` (X over C over I); ``None`` when all are empty."""
    best: str | None = None
    for cell in cells:
        if cell is not None and (best is None or _ORDER[cell] > _ORDER[best]):
            best = cell
    return best


def compound_level(half_cells: Iterable[str | None]) -> str | None:
    """The cell of a compound stretch from the worst cell of each of its halves.

    Every half an avoid: ``"X"`` (nothing safe is left). Otherwise a caution
    when any half is a caution or an avoid (leave that half out or keep it
    small), else the best remaining cell.
    """
    cells = list(half_cells)
    if cells and all(c == "X" for c in cells):
        return "X"
    if any(c in ("C", "X") for c in cells):
        return "C"
    return worst_cell(cells)


#: Movements that are risky *together* in one stretch: ``(movements, conditions, cell, reason)``.
#: "never flexion + twist together" [8,11,12,19]; neck extension "worst combined with rotation or
#: side bend" [23,24].
COMBINATIONS: tuple[tuple[frozenset[str], tuple[str, ...], str, str], ...] = (
    (
        frozenset({"lumbar-flexion", "rotation"}),
        ("osteoporosis", "disc-herniation", "sciatica", "spondylolisthesis"),
        "X",
        "It bends the lower back forward and twists it at the same time, the pairing that loads "
        "discs and vertebrae most; twist only with the spine upright and neutral.",
    ),
    (
        frozenset({"cervical-extension", "cervical-rotation"}),
        ("cervical-radiculopathy",),
        "C",
        "Tipping the head back while turning it narrows the openings the neck's nerve roots pass "
        "through; keep each part small, and turn away from the painful side.",
    ),
    (
        frozenset({"cervical-extension", "cervical-side-bend"}),
        ("cervical-radiculopathy",),
        "C",
        "Tipping the head back while tilting it narrows the openings the neck's nerve roots pass "
        "through; keep the head level, and tilt away from the painful side.",
    ),
)


def combination_cells(movements: Iterable[str], condition: str) -> list[tuple[str, str]]:
    """``(cell, reason)`` for each risky combination ``movements`` contain, for ``condition``."""
    moves = set(movements)
    return [
        (cell, reason)
        for together, conds, cell, reason in COMBINATIONS
        if together <= moves and condition in conds
    ]


def expected_cell(stretch: Any, condition: str, *, position: bool = True) -> str | None:
    """The cell the table gives ``stretch`` (a :class:`~.models.Stretch`) for ``condition``.

    The worst cell of its movements (or, for a compound stretch, of its
    halves by :func:`compound_level`), of any risky combination it makes,
    and (with ``position``) of its position. Flare escalations are not
    included. The catalog's own cautions carry the movement part; the
    position part is one routine-wide warning of the rules.
    """
    movements = tuple(stretch.movements)
    glide = getattr(stretch, "glide", None)
    regions = tuple(stretch.regions)
    cells = [movement_cell(m, condition, glide=glide, regions=regions) for m in movements]
    if getattr(stretch, "compound", False):
        moving = [c for m, c in zip(movements, cells, strict=False) if m != "warm-up"]
        base = compound_level(moving)
    else:
        base = worst_cell(cells)
        base = worst_cell([base, *(cell for cell, _r in combination_cells(movements, condition))])
    if not position:
        return base
    return worst_cell([base, position_cell(stretch.position, condition)])


#: Conditions an extension stretch helps only when the symptoms centralize (the table's
#: "I if it centralizes" [2,3]).
CENTRALIZE_CONDITIONS: tuple[str, ...] = _DISC
CENTRALIZE_NOTE = (
    "It helps {names} only when your symptoms move back toward the spine (centralize) while you "
    "do it; if they spread down the leg, stop and leave it out."
)


def centralize_note(stretch: Any, conditions: Iterable[str] | None = None) -> str | None:
    """The "helps only if it centralizes" line for a lower-back extension stretch listed as
    helping disc herniation or sciatica (the press-up family), or ``None``.

    ``conditions`` (the user's): only when one of them is such a condition;
    ``None`` (the catalog, the details pane): whenever the stretch lists one.
    """
    if "lumbar-extension" not in getattr(stretch, "movements", ()):
        return None
    helped = [c for c in CENTRALIZE_CONDITIONS if c in getattr(stretch, "helps", ())]
    if conditions is not None:
        mine = set(conditions)
        helped = [c for c in CENTRALIZE_CONDITIONS if c in mine] if helped else []
    if not helped:
        return None
    return CENTRALIZE_NOTE.format(names=" or ".join(c.replace("-", " ") for c in helped))


def position_cell(position: str, condition: str) -> str | None:
    """The cell a starting position has for ``condition`` (lying down in pregnancy)."""
    return POSITION_CELLS.get(position, {}).get(condition)

