"""The safety engine against the clinical reference and the real catalog.

* The movement × condition table of ``shared/clinical.md`` is written out
  below, cell by cell, and held against ``core.clinical.TABLE`` (and against
  clinical.md itself when the shared folder is beside the checkout).
* Every catalog stretch's caution level for every condition is the one the
  table gives its movements (the catalog is data a physiotherapist edits;
  this test is what keeps it honest).
* Every non-dash cell is checked through the engine on a stretch made of
  that movement alone.
* Three people get exactly the warnings a physiotherapist would give them.
* Every offered alternative avoids the hazard, over the whole catalog.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from stretchtui.core.domain import clinical
from stretchtui.core.domain.catalog import load_catalog, parse_catalog
from stretchtui.core.domain.clinical import CELL_LEVEL, TABLE, expected_cell, movement_cell
from stretchtui.core.domain.models import CONDITIONS, Profile, Routine, RoutineItem
from stretchtui.core.domain.rules import (
    check_for_profile,
    check_routine,
    gate_warnings,
    warnings_for_stretch,
    worst_level,
)

# ------------------------------------------------------------------ the table, as clinical.md has it

COLUMNS = (
    "disc-herniation",  # "Disc herniation / sciatica" (sciatica gets the same cells)
    "spinal-stenosis",
    "spondylolisthesis",
    "osteoporosis",
    "pregnancy",
    "recent-lumbar-surgery",
    "cervical-radiculopathy",
    "hypermobility",
)
#: Row heading in clinical.md -> first letter of each cell ("-" for a dash).
CLINICAL_ROWS = {
    "Lumbar extension": "I X X I C X - C",
    "Lumbar flexion": "X I I X C X - C",  # disc column: "X acute, C later"
    "Rotation / twist": "C - C C C X - C",
    "Side bend": "C - - C C X - C",
    "Neural glide (slider / tensioner)": "I C C C - C I -",  # slider cells; tensioner below
    "Hip / piriformis": "C I I C C C - C",
    "Hamstring (static)": "C I I C C C - C",
    "Cervical flexion / chin tuck": "- - - - - - I C",
    "Cervical extension": "- - - - - - C C",
    "Cervical rotation": "- - - - - - I C",
    "Thoracic extension": "- - - I - C I C",
    "Scapular retraction": "- - - I - - I I",
    "Bridging / core, neutral spine": "I I I I C C - I",
}

#: Our table rows for each clinical.md row (cells that differ by design are listed in ADJUSTED).
ROW_KEYS = {
    "Lumbar extension": "lumbar-extension",
    "Lumbar flexion": "lumbar-flexion",
    "Rotation / twist": "rotation",
    "Side bend": "lumbar-side-bend",
    "Neural glide (slider / tensioner)": "neural-glide:slider",
    "Hip / piriformis": "hip",
    "Hamstring (static)": "hamstring",
    "Cervical flexion / chin tuck": "cervical-flexion",
    "Cervical extension": "cervical-extension",
    "Cervical rotation": "cervical-rotation",
    "Thoracic extension": "thoracic-extension",
    "Scapular retraction": "scapular-retraction",
    "Bridging / core, neutral spine": "core",
}
#: Cells whose value in TABLE is not the bare letter, and why (see core/clinical.py).
ADJUSTED = {
    # "X acute, C later": C in TABLE, X through the flare rule (tested below).
    ("lumbar-flexion", "disc-herniation"): "C",
    # "I in a comfortable range; C toward the painful side": a one-sided rotation turns toward it.
    ("cervical-rotation", "cervical-radiculopathy"): "C",
    # "C: limit time lying on the back": a position rule (POSITION_CELLS), not a movement one.
    ("core", "pregnancy"): None,
}


def _table_cells():
    for heading, letters in CLINICAL_ROWS.items():
        key = ROW_KEYS[heading]
        for condition, letter in zip(COLUMNS, letters.split(), strict=True):
            cell = None if letter == "-" else letter
            cell = ADJUSTED.get((key, condition), cell)
            yield key, condition, cell


def test_table_matches_clinical_md_cell_by_cell():
    for key, condition, cell in _table_cells():
        assert TABLE[key].get(condition) == cell, (key, condition)
        if condition == "disc-herniation":
            assert TABLE[key].get("sciatica") == cell, (key, "sciatica")  # one column in clinical.md
    # tensioners: "C tensioner" where sliders are I, and C wherever sliders are C
    for condition in ("disc-herniation", "sciatica", "cervical-radiculopathy"):
        assert TABLE["neural-glide:tensioner"][condition] == "C"
    for condition in ("spinal-stenosis", "spondylolisthesis", "osteoporosis", "recent-lumbar-surgery"):
        assert TABLE["neural-glide:tensioner"][condition] == "C"


def test_clinical_md_itself_still_says_this():
    """When shared/clinical.md sits beside the checkout, its table is the one written above."""
    here = Path(__file__).resolve().parents[1]
    doc = here.parent / "shared" / "clinical.md"
    if not doc.is_file():
        pytest.skip("shared/clinical.md is not beside this checkout")
    rows = {}
    for line in doc.read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 9 and cells[0] in CLINICAL_ROWS:
            rows[cells[0]] = " ".join(c[0] if c[0] in "ICX" else "-" for c in cells[1:])
    assert rows.keys() == CLINICAL_ROWS.keys()
    for heading, letters in rows.items():
        if heading == "Lumbar flexion":
            assert letters.split()[0] == "X" and "C later" in doc.read_text("utf-8")
            letters = "X" + letters[1:]
        assert letters == CLINICAL_ROWS[heading], heading


# ------------------------------------------------------------------ every cell through the engine


def _one_movement_catalog(movement: str, glide=None, regions=("lower-back",), position="seated"):
    key = clinical.movement_key(movement, glide)
    stretch = {
        "id": "probe",
        "name": "Probe",
        "regions": list(regions),
        "movements": [movement],
        "position": position,
        "dosage": {"mode": "hold", "hold": {"min": 10, "default": 20, "max": 30},
                   "reps": {"min": 1, "default": 2, "max": 3}, "sides": "none", "rest": 5},
        "steps": ["Move gently."],
        "cautions": [
            {"condition": c, "level": CELL_LEVEL[cell], "reason": f"probe {c}"}
            for c, cell in TABLE[key].items()
            if cell in CELL_LEVEL and movement_cell(movement, c, glide=glide, regions=regions) == cell
        ],
        "source": ["test"],
    }
    if glide:
        stretch["glide"] = glide
    return parse_catalog(
        {
            "version": 1,
            "regions": [{"id": r, "name": r} for r in ("lower-back", "neck", "nerves")],
            "conditions": [{"id": c, "name": c} for c in CONDITIONS],
            "movements": [],
            "stretches": [
                {"id": "warm", "name": "Warm", "regions": list(regions), "movements": ["warm-up"],
                 "position": "seated", "dosage": stretch["dosage"], "steps": ["Loosen up."],
                 "source": ["test"]},
                stretch,
            ],
        }
    )


def _engine_cells():
    for key, row in TABLE.items():
        movement, _, glide = key.partition(":")
        for condition, cell in row.items():
            if cell == "I":
                continue
            yield movement, glide or None, condition, cell


@pytest.mark.parametrize("movement,glide,condition,cell", list(_engine_cells()))
def test_every_caution_and_avoid_cell_warns_at_its_level(movement, glide, condition, cell):
    regions = ("nerves", "neck") if glide and condition == "cervical-radiculopathy" else ("lower-back",)
    cat = _one_movement_catalog(movement, glide, regions)
    ws = check_routine(Routine("r", (RoutineItem("warm"), RoutineItem("probe"))), cat, [condition])
    assert [(w.level, w.stretch_ids, w.conditions) for w in ws] == [
        (CELL_LEVEL[cell], ("probe",), (condition,))
    ]
    # ...and nobody without the condition hears about it
    others = [c for c in CONDITIONS if c != condition]
    assert all(
        condition not in w.conditions
        for w in check_routine(Routine("r", (RoutineItem("warm"), RoutineItem("probe"))), cat, others)
    )


@pytest.fixture(scope="module")
def real():
    return load_catalog()


def test_every_catalog_stretch_has_the_level_the_table_gives_it(real):
    """The catalog's cautions agree with the table for every stretch and condition."""
    problems = []
    for stretch in real.stretches.values():
        for condition in CONDITIONS:
            if condition == "lower-back-pain":
                continue  # no column: only the avoid-listed moves carry a caution for it
            want = CELL_LEVEL.get(expected_cell(stretch, condition, position=False))
            caution = stretch.caution_for(condition)
            got = caution.level if caution else None
            if stretch.avoid_listed and want is not None and got == "avoid":
                continue  # the sources list it to avoid with back pain: stricter is right
            if got != want:
                problems.append(f"{stretch.id} × {condition}: catalog {got}, table {want}")
            if condition in stretch.helps and expected_cell(stretch, condition, position=False) == "X":
                problems.append(f"{stretch.id} helps {condition} yet the table says avoid")
    assert not problems, "\n".join(problems)


def test_every_neural_glide_says_slider_or_tensioner(real):
    glides = [s for s in real.stretches.values() if "neural-glide" in s.movements]
    assert glides and all(s.glide in ("slider", "tensioner") for s in glides)
    # clinical.md: the seeds' sciatic nerve stretch (knee straightened, ankle pumped) is a tensioner
    assert real.get("sciatic-nerve-glide").glide == "tensioner"
    # elbow and wrist straight while the head tilts away: a tensioner
    assert real.get("median-nerve-glide").glide == "tensioner"
    # radiculopathy is "helped" only by a true slider of the arm
    helpers = [s for s in glides if "cervical-radiculopathy" in s.helps]
    assert helpers and all(s.glide == "slider" and "neck" in s.regions for s in helpers)


def test_lumbar_and_cervical_side_bends_are_separate(real):
    assert "side-bend" not in real.movements
    assert "lumbar-side-bend" in real.get("hip-drop").movements
    assert "cervical-side-bend" in real.get("neck-side-tilt").movements
    neck_tilt = warnings_for_stretch(real.get("neck-side-tilt"), ["recent-lumbar-surgery"], real)
    assert neck_tilt == []  # tilting the head is not a lumbar side bend


def test_cervical_extension_is_tagged_where_it_happens(real):
    tagged = [s.id for s in real.stretches.values() if "cervical-extension" in s.movements]
    assert "cobra" in tagged


@pytest.mark.parametrize("other", ["cervical-rotation", "cervical-side-bend"])
def test_neck_combination_covers_extension_with_rotation_or_side_bend(other):
    moves = frozenset({"cervical-extension", other})
    assert any(m == moves and "cervical-radiculopathy" in c for m, c, _l, _r in clinical.COMBINATIONS)
    cells = clinical.combination_cells(moves, "cervical-radiculopathy")
    assert [cell for cell, _r in cells] == ["C"]


def test_cat_cow_takes_the_level_of_how_it_is_done(real):
    cat_cow = real.get("cat-cow")
    assert cat_cow.compound
    # stenosis: the rounding half is the indicated direction, keep the arch small (clinical.md, issue 12)
    for condition, how in (("spinal-stenosis", "keep the arch small"), ("spondylolisthesis", "leave the arch out")):
        [w] = warnings_for_stretch(cat_cow, [condition], real)
        assert w.level == "caution" and how in w.reason
    [w] = warnings_for_stretch(cat_cow, ["osteoporosis"], real)
    assert w.level == "caution" and "leave the rounding out" in w.reason
    # every half an avoid for one of the conditions: nothing safe is left
    [w] = warnings_for_stretch(cat_cow, ["osteoporosis", "spinal-stenosis"], real)
    assert (w.level, w.rule) == ("avoid", "opposite")
    assert set(w.conditions) == {"osteoporosis", "spinal-stenosis"}


def test_reasons_fit_their_stretch(real):
    """Reasons the reviews found did not fit: none is back."""
    dog = real.get("downward-dog").caution_for("osteoporosis")
    assert "lying down" not in dog.reason.lower()
    cat_cow = real.get("cat-cow").caution_for("pregnancy")
    assert "knees" not in cat_cow.reason.lower()
    for stretch in real.stretches.values():
        for caution in stretch.cautions:
            if stretch.position != "supine":
                assert "lying flat on the back" not in caution.reason, stretch.id
            if stretch.position != "prone":
                assert "lying on the front" not in caution.reason.lower(), stretch.id


# ------------------------------------------------------------------ flare


def test_flare_makes_flexion_an_avoid_for_disc_and_sciatica(real):
    flexion = [s for s in real.stretches.values() if "lumbar-flexion" in s.movements and not s.compound]
    assert flexion
    for stretch in flexion:
        for condition in ("disc-herniation", "sciatica"):
            calm = warnings_for_stretch(stretch, [condition], real)
            flare = warnings_for_stretch(stretch, [condition], real, flare=True)
            assert worst_level(flare) == "avoid", (stretch.id, condition)
            if not stretch.avoid_listed and not stretch.movements.count("rotation"):
                assert worst_level(calm) == "caution", (stretch.id, condition)


def test_flare_puts_tensioners_out_and_keeps_sliders(real):
    leg_tensioner = real.get("sciatic-nerve-glide")
    arm_tensioner = real.get("median-nerve-glide")
    for stretch, condition in ((leg_tensioner, "sciatica"), (leg_tensioner, "disc-herniation"),
                               (arm_tensioner, "cervical-radiculopathy")):
        assert worst_level(warnings_for_stretch(stretch, [condition], real)) == "caution"
        [w] = warnings_for_stretch(stretch, [condition], real, flare=True)
        assert (w.level, w.rule) == ("avoid", "flare")
    for slider, condition in ((real.get("seated-nerve-slider"), "sciatica"),
                              (real.get("median-nerve-slider"), "cervical-radiculopathy")):
        assert warnings_for_stretch(slider, [condition], real, flare=True) == []


def test_flare_without_disc_conditions_changes_no_stretch(real):
    for stretch in real.stretches.values():
        assert warnings_for_stretch(stretch, ["spinal-stenosis"], real, flare=True) == warnings_for_stretch(
            stretch, ["spinal-stenosis"], real
        )


def test_flare_profile_reaches_the_gate(real):
    morning = next(r for r in real.starters if r.name == "Morning stiffness")
    calm = Profile(conditions=("disc-herniation",))
    flare = Profile(conditions=("disc-herniation",), flare=True, flare_since="2026-11-20")
    assert gate_warnings(morning, real, calm) == []
    assert {w.stretch_ids[0] for w in gate_warnings(morning, real, flare)} == {"knee-to-chest", "childs-pose"}


def test_flare_review_after_fourteen_days():
    from datetime import date

    p = Profile(flare=True, flare_since="2026-11-01")
    assert not p.flare_needs_review(date(2026, 11, 14))
    assert p.flare_needs_review(date(2026, 11, 15))
    assert not Profile().flare_needs_review(date(2026, 11, 15))
    assert Profile.from_dict(p.to_dict()) == p


# ------------------------------------------------------------------ three people


def _starter(real, name):
    return next(r for r in real.starters if r.name == name)


def _summary(ws):
    return [(w.level, w.rule, w.stretch_ids, w.conditions) for w in ws]


def test_seventy_year_old_with_osteoporosis_and_stenosis(real):
    conds = ["osteoporosis", "spinal-stenosis"]
    ws = check_routine(_starter(real, "Morning stiffness"), real, conds)
    assert _summary(ws) == [
        # bending forward suits stenosis and is the riskiest move with fragile vertebrae: said plainly
        ("avoid", "opposite", ("knee-to-chest",), ("osteoporosis", "spinal-stenosis")),
        # rounding is out for the bones, arching for the canal: nothing of cat-cow is left
        ("avoid", "opposite", ("cat-cow",), ("osteoporosis", "spinal-stenosis")),
        ("avoid", "opposite", ("childs-pose",), ("osteoporosis", "spinal-stenosis")),
        # a gentle twist on the back: allowed, never while rounded
        ("caution", "profile", ("lower-trunk-rotation",), ("osteoporosis",)),
    ]
    assert all("opposite ways" in w.reason for w in ws if w.rule == "opposite")
    # the starter made for fragile bones is clean for this person
    assert check_routine(_starter(real, "Bone-friendly posture"), real, conds) == []
    # the press-up: an avoid for the canal, a gentle caution for the bones, one line each
    press = check_routine(Routine("r", (RoutineItem("ankle-pumps"), RoutineItem("prone-press-up"))), real, conds)
    # the press-up: an avoid for the canal and a gentle caution for the bones, in ONE line (issue 23)
    assert _summary(press) == [
        ("avoid", "profile", ("prone-press-up",), ("spinal-stenosis", "osteoporosis")),
    ]
    [line] = press
    assert "best avoided with spinal stenosis, and needs care with osteoporosis" in line.message
    assert "narrows the spinal canal" in line.reason and "vertebral fracture" in line.reason
    # the press-up's own list: the gentler extension is also an extension (the hazard), so the
    # flexion a stenosis physio would give, which is out for the bones: the core work is left
    assert line.alternative == "pelvic-tilt"


def test_thirty_five_year_old_in_a_flare_of_disc_herniation_with_sciatica(real):
    conds = ["disc-herniation", "sciatica"]
    ws = check_routine(_starter(real, "Morning stiffness"), real, conds, flare=True)
    assert _summary(ws) == [
        ("avoid", "flare", ("knee-to-chest",), ("disc-herniation", "sciatica")),
        ("avoid", "flare", ("childs-pose",), ("disc-herniation", "sciatica")),
        ("caution", "profile", ("lower-trunk-rotation",), ("disc-herniation", "sciatica")),
        ("caution", "profile", ("cat-cow",), ("disc-herniation", "sciatica")),
        ("info", "flare", (), ()),
    ]
    assert "leave it out during a flare" in ws[3].reason  # cat-cow: how to do it safely
    assert "Flare: gentle relief" in ws[-1].reason
    # the routine made for a flare has nothing but the flare note
    gentle = check_routine(_starter(real, "Flare: gentle relief"), real, conds, flare=True)
    assert _summary(gentle) == [
        # the sphinx helps only if the symptoms centralize: said, as information
        ("info", "centralize", ("sphinx",), ("disc-herniation", "sciatica")),
        ("info", "flare", (), ()),
    ]
    # one line per stretch, never one per condition: 5 stretches, not 9 cautions
    relief = check_routine(_starter(real, "Sciatica relief"), real, conds, flare=True)
    assert len([w for w in relief if w.level != "info"]) == 2
    # the seeds' nerve stretch is a tensioner: out during the flare
    tens = check_routine(Routine("r", (RoutineItem("heel-slides"), RoutineItem("sciatic-nerve-glide"))),
                         real, conds, flare=True)
    assert ("avoid", "flare", ("sciatic-nerve-glide",), ("disc-herniation", "sciatica")) in _summary(tens)


def test_pregnant_user_at_twenty_weeks(real):
    ws = check_routine(_starter(real, "Morning stiffness"), real, ["pregnancy"])
    assert _summary(ws) == [
        # lying on the back: one note for the routine, for the stretches with nothing else to say
        ("caution", "position", ("ankle-pumps", "pelvic-tilt"), ("pregnancy",)),
        # the others say it in their own one line (never two lines for one stretch)
        ("caution", "profile", ("knee-to-chest",), ("pregnancy",)),
        ("caution", "profile", ("lower-trunk-rotation",), ("pregnancy",)),
        ("caution", "profile", ("cat-cow",), ("pregnancy",)),
        ("caution", "profile", ("childs-pose",), ("pregnancy",)),
    ]
    assert ws[0].items == (0, 1)
    assert "is done lying on your back" in ws[1].message and "pillows" in ws[1].reason
    assert all(w.conditions == ("pregnancy",) for w in ws)  # nothing about stenosis or bones
    # pelvic tilt is warned for lying on the back: no "safer option" that is also on the back
    [tilt] = check_routine(Routine("r", (RoutineItem("ankle-pumps"), RoutineItem("pelvic-tilt"))),
                           real, ["pregnancy"])
    assert tilt.rule == "position" and tilt.alternative is None and "pillows" in tilt.reason


def test_no_conditions_no_condition_warnings(real):
    for starter in real.starters:
        ws = check_routine(starter, real, [])
        assert all(not w.conditions for w in ws), starter.name
        assert not [w for w in ws if w.level != "info"], starter.name


def test_check_for_profile_uses_conditions_and_flare(real):
    morning = _starter(real, "Morning stiffness")
    p = Profile(conditions=("sciatica",), flare=True)
    assert check_for_profile(morning, real, p) == check_routine(morning, real, ["sciatica"], flare=True)


# ------------------------------------------------------------------ alternatives


def _hazard_movements(stretch, conditions):
    """The risky movements, glides by kind (a slider is not a tensioner's hazard)."""
    return {
        clinical.movement_key(m, stretch.glide)
        for m in stretch.movements
        for c in conditions
        if movement_cell(m, c, glide=stretch.glide, regions=stretch.regions) in ("C", "X")
    }


def _area(stretch) -> str:
    """Low back, or neck and upper back (one area: a physio swaps a neck stretch for an
    upper-back one); a nerve glide by its limb."""
    return "neck" if {"neck", "upper-back"} & set(stretch.regions) and "lower-back" not in stretch.regions else "low-back"


def _condition_sets():
    singles = [(c,) for c in CONDITIONS]
    pairs = list(itertools.combinations(CONDITIONS, 2))
    return singles + pairs


def test_every_alternative_really_is_safer(real):
    """Property over the whole catalog: every stretch × every condition (and pair), flare on and off."""
    problems = []
    checked = 0
    for conds in _condition_sets():
        for flare in (False, True):
            for stretch in real.stretches.values():
                for w in warnings_for_stretch(stretch, conds, real, flare=flare):
                    if w.alternative is None:
                        if w.level == "avoid" and w.rule != "position":
                            assert "No stretch in the catalog is a safe swap" in w.reason
                        continue
                    checked += 1
                    alt = real.get(w.alternative)
                    where = f"{stretch.id} {conds} flare={flare} -> {alt.id}"
                    alt_ws = warnings_for_stretch(alt, conds, real, flare=flare)
                    if any(a.level != "info" for a in alt_ws):
                        problems.append(f"{where}: the alternative has its own warnings")
                    if _area(stretch) != _area(alt) and not set(stretch.regions) & set(alt.regions):
                        problems.append(f"{where}: another area of the body")
                    if alt.id not in stretch.similar:
                        problems.append(f"{where}: not on the stretch's own similar list")
                    shared = _hazard_movements(stretch, w.conditions) & {
                        clinical.movement_key(m, alt.glide) for m in alt.movements}
                    if shared:
                        problems.append(f"{where}: shares the hazard {shared}")
                    if w.rule == "position" and alt.position == stretch.position:
                        problems.append(f"{where}: same position")
                    if alt.is_warmup and not stretch.is_warmup:
                        problems.append(f"{where}: a warm-up is no swap for a stretch")
    assert checked > 500
    assert not problems, "\n".join(problems[:30])


@pytest.mark.parametrize(
    "stretch,condition,not_this",
    [
        ("pelvic-tilt", "pregnancy", "ankle-pumps"),
        ("hamstring-stretch", "disc-herniation", "prone-press-up"),
        ("neck-side-tilt", "cervical-radiculopathy", "median-nerve-glide"),
        ("neck-rotation", "cervical-radiculopathy", "median-nerve-glide"),
        ("supine-piriformis", "osteoporosis", "median-nerve-glide"),
    ],
)
def test_the_reviewed_bad_alternatives_are_gone(real, stretch, condition, not_this):
    for w in warnings_for_stretch(real.get(stretch), [condition], real):
        assert w.alternative != not_this


def test_hamstring_with_disc_herniation_offers_the_gentler_nerve_glide(real):
    [w] = warnings_for_stretch(real.get("hamstring-stretch"), ["disc-herniation"], real)
    assert w.alternative == "seated-nerve-slider"
    assert real.get(w.alternative).glide == "slider"


def test_neck_stretches_with_radiculopathy_offer_a_neck_stretch(real):
    for sid in ("neck-side-tilt", "neck-rotation"):
        [w] = warnings_for_stretch(real.get(sid), ["cervical-radiculopathy"], real)
        alt = real.get(w.alternative)
        assert "neck" in alt.regions and "neural-glide" not in alt.movements


def test_after_surgery_no_nerve_glide_stands_in_for_everything(real):
    offered = [
        w.alternative
        for s in real.stretches.values()
        for w in warnings_for_stretch(s, ["recent-lumbar-surgery"], real)
        if w.alternative
    ]
    assert "sciatic-nerve-glide" not in offered
    # and where nothing is safe, it says so instead of offering something
    [w] = warnings_for_stretch(real.get("knee-to-chest"), ["recent-lumbar-surgery"], real)
    assert w.alternative is None and "No stretch in the catalog is a safe swap" in w.reason


# ------------------------------------------------------------------ honest text


def test_no_warning_uses_the_while_x_helps_phrasing(real):
    for conds in _condition_sets():
        for starter in real.starters:
            for w in check_routine(starter, real, conds):
                assert not re.search(r"\bwhile\b.*\bhelps?\b", w.message), w.message


def test_safe_for_agrees_with_the_marks(real):
    """`catalog --safe-for` leaves out what the app marks: position and combinations included."""
    safe = {s.id for s in real.safe_for(["pregnancy"])}
    assert "pelvic-tilt" not in safe and "ankle-pumps" not in safe  # lying on the back
    assert "bird-dog" in safe and "shoulder-rolls" in safe
    for stretch in real.stretches.values():
        marked = any(w.level != "info" for w in warnings_for_stretch(stretch, ["pregnancy"]))
        assert (stretch.id in safe) == (not marked), stretch.id
    flare_safe = {s.id for s in real.safe_for(["sciatica"], flare=True)}
    assert "sciatic-nerve-glide" not in flare_safe and "seated-nerve-slider" in flare_safe
