"""Safety rules: each fires on a routine built for it and stays silent on a clean one.

Most tests use a small catalog built here, so they don't move when catalog.json
grows; a few at the end run against the real catalog.
"""

from pathlib import Path

import pytest

import stretchtui.core.domain.rules as rules_module
from stretchtui.core.domain.catalog import load_catalog, parse_catalog
from stretchtui.core.domain.models import CONDITIONS, Routine, RoutineItem
from stretchtui.core.domain.rules import COMBINATIONS, check_routine, warnings_for_stretch


def _s(sid, movements, *, regions=("lower-back",), sides="none", helps=(), cautions=(), hold=(15, 20, 30),
       reps=(1, 3, 5), **extra):
    d = {
        "id": sid,
        "name": sid.replace("-", " ").title(),
        "regions": list(regions),
        "movements": list(movements),
        "position": "seated",
        "dosage": {
            "mode": "hold",
            "hold": dict(zip(("min", "default", "max"), hold, strict=True)),
            "reps": dict(zip(("min", "default", "max"), reps, strict=True)),
            "sides": sides,
            "rest": 5,
        },
        "steps": ["Do it gently."],
        "helps": list(helps),
        "cautions": [{"condition": c, "level": lvl, "reason": f"{sid} reason for {c}"} for c, lvl in cautions],
        "source": ["test"],
    }
    d.update(extra)
    return d


CATALOG = parse_catalog(
    {
        "version": 1,
        "regions": [{"id": r, "name": r.title()} for r in ("lower-back", "neck")],
        "conditions": [{"id": c, "name": c.replace("-", " ").capitalize()} for c in CONDITIONS],
        "movements": [],
        "stretches": [
            _s("warm", ["warm-up"], helps=["lower-back-pain"]),
            _s("flexer", ["lumbar-flexion", "hip"], sides="each", helps=["spinal-stenosis"],
               cautions=[("disc-herniation", "caution")]),
            _s("extender", ["lumbar-extension"], helps=["disc-herniation"],
               cautions=[("spinal-stenosis", "avoid")], similar=["flexer", "neutral"]),
            _s("twister", ["lumbar-flexion", "rotation"]),
            _s("twister-noted", ["lumbar-flexion", "rotation"], cautions=[("osteoporosis", "caution")]),
            _s("neutral", ["core"], helps=["spinal-stenosis", "lower-back-pain"]),
            _s("bone-risky", ["lumbar-flexion"], cautions=[("osteoporosis", "avoid")], alternative="neutral"),
            _s("bad-move", ["lumbar-flexion", "hamstring"], avoid_listed=True,
               cautions=[("lower-back-pain", "avoid")], alternative="neutral"),
            _s("neck-warm", ["warm-up", "cervical-flexion"], regions=["neck"]),
            _s("neck-back-turn", ["cervical-extension", "cervical-rotation"], regions=["neck"],
               similar=["chin-tuck"]),
            _s("chin-tuck", ["cervical-flexion"], regions=["neck"], helps=["cervical-radiculopathy"]),
        ],
    }
)


def routine(*items):
    return Routine("test", tuple(RoutineItem(i) if isinstance(i, str) else i for i in items))


def check(*items, conditions=()):
    return check_routine(routine(*items), CATALOG, conditions)


def by_rule(warnings, rule):
    return [w for w in warnings if w.rule == rule]


# ------------------------------------------------------------------ clean routines


@pytest.mark.parametrize("conditions", [(), ("spinal-stenosis",), ("lower-back-pain", "spinal-stenosis")])
def test_clean_routine_has_no_warnings(conditions):
    assert check("warm", "flexer", "neutral", conditions=conditions) == []


def test_clean_neck_routine():
    assert check("neck-warm", "chin-tuck", "neck-back-turn") == []


# ------------------------------------------------------------------ 1. profile


def test_profile_avoid_with_reason_and_alternative():
    ws = check("warm", "extender", conditions=("spinal-stenosis",))
    assert len(ws) == 1
    w = ws[0]
    assert (w.level, w.rule, w.condition, w.stretch_ids, w.items) == (
        "avoid", "profile", "spinal-stenosis", ("extender",), (1,)
    )
    assert w.reason == "extender reason for spinal-stenosis"
    assert "Extender" in w.message and "spinal stenosis" in w.message.lower()
    alt = CATALOG.get(w.alternative)
    assert alt.caution_for("spinal-stenosis") is None
    assert "spinal-stenosis" in alt.helps  # prefers a stretch that helps the condition


def test_profile_caution_level_comes_from_the_catalog():
    ws = check("warm", "flexer", conditions=("disc-herniation",))
    assert [(w.level, w.rule, w.stretch_ids) for w in ws] == [("caution", "profile", ("flexer",))]


def test_profile_uses_the_stretchs_own_alternative_first():
    ws = check("warm", "bone-risky", conditions=("osteoporosis",))
    assert [(w.level, w.rule, w.alternative) for w in ws] == [("avoid", "profile", "neutral")]


def test_profile_silent_for_other_conditions():
    # sciatica shares disc herniation's column: the extension helps only if it centralizes (info)
    ws = check("warm", "extender", conditions=("pregnancy", "sciatica"))
    assert [(w.level, w.rule) for w in ws] == [("info", "centralize")]


def test_no_warning_about_a_condition_the_user_has_not_ticked():
    # extender helps disc herniation and is an avoid for stenosis; flexer helps stenosis.
    # Without conditions nobody is warned about stenosis (the old "conflict" rule did).
    assert check("warm", "flexer", "extender") == []
    assert check("warm", "flexer", "extender", conditions=("disc-herniation",)) == [
        w for w in check("warm", "flexer", "extender", conditions=("disc-herniation",))
        if "disc-herniation" in w.conditions
    ]


def test_repeated_stretch_is_one_warning_listing_all_items():
    ws = check("warm", "extender", "neutral", "extender", conditions=("spinal-stenosis",))
    assert len(ws) == 1
    assert ws[0].items == (1, 3)


# ------------------------------------------------------------------ 2. opposite pulls and merging


def test_conditions_that_pull_opposite_ways_are_said_plainly():
    # extender suits disc herniation and is an avoid with stenosis: both named, one warning.
    ws = check("warm", "extender", conditions=("disc-herniation", "spinal-stenosis"))
    assert [(w.level, w.rule, w.conditions) for w in ws] == [
        ("avoid", "opposite", ("spinal-stenosis", "disc-herniation"))
    ]
    assert "usually suits disc herniation" in ws[0].message
    assert "opposite ways" in ws[0].reason


def test_related_conditions_are_one_warning():
    cat = parse_catalog(
        {
            "version": 1,
            "regions": [{"id": "lower-back", "name": "Lower back"}],
            "conditions": [{"id": c, "name": c} for c in CONDITIONS],
            "movements": [],
            "stretches": [
                _s("warm", ["warm-up"]),
                _s("roll", ["lumbar-flexion"], cautions=[("disc-herniation", "caution"), ("sciatica", "caution")]),
            ],
        }
    )
    ws = check_routine(routine("warm", "roll"), cat, ["disc-herniation", "sciatica"])
    assert [(w.level, w.conditions) for w in ws] == [("caution", ("disc-herniation", "sciatica"))]
    assert ws[0].reason == "roll reason for disc-herniation"  # one reason, not two near-copies
    assert "disc-herniation and sciatica" in ws[0].message


# ------------------------------------------------------------------ 3. combinations


def test_combination_table_is_data():
    assert COMBINATIONS and all(
        isinstance(m, frozenset) and cell in ("C", "X") and reason for m, _c, cell, reason in COMBINATIONS
    )


@pytest.mark.parametrize("condition", ["osteoporosis", "disc-herniation", "sciatica", "spondylolisthesis"])
def test_flexion_plus_rotation_in_one_stretch(condition):
    ws = check("warm", "twister", conditions=(condition,))
    assert [(w.level, w.rule, w.condition, w.stretch_ids) for w in ws] == [
        ("avoid", "combination", condition, ("twister",))
    ]
    assert "flexion" in ws[0].message and "rotation" in ws[0].message


def test_combination_silent_without_the_condition_or_across_stretches():
    assert check("warm", "twister") == []
    assert check("warm", "twister", conditions=("spinal-stenosis",)) == []
    # flexion in one stretch and rotation in another is not the risky combination
    assert check("warm", "flexer", "neck-back-turn", conditions=("osteoporosis",)) == []


def test_cervical_extension_plus_rotation():
    ws = check("neck-warm", "neck-back-turn", conditions=("cervical-radiculopathy",))
    assert [(w.level, w.rule, w.condition) for w in ws] == [("caution", "combination", "cervical-radiculopathy")]
    assert ws[0].alternative == "chin-tuck"


def test_combination_and_profile_for_the_same_stretch_give_one_warning():
    ws = check("warm", "twister-noted", conditions=("osteoporosis",))
    assert [(w.level, w.rule) for w in ws] == [("avoid", "combination")]


# ------------------------------------------------------------------ 4. dosage and sides


def test_hold_beyond_range():
    ws = check("warm", RoutineItem("neutral", hold=45))
    assert [(w.level, w.rule, w.items) for w in ws] == [("caution", "dosage", (1,))]
    assert "hold" in ws[0].message and "15–30" in ws[0].message
    assert "beyond what the sources suggest" in ws[0].message
    assert "not better" not in ws[0].reason  # no claim the sources do not make


def test_reps_beyond_range():
    ws = check("warm", RoutineItem("neutral", reps=9))
    assert [(w.rule, w.items) for w in ws] == [("dosage", (1,))]
    assert "reps" in ws[0].message and "1–5" in ws[0].message


def test_dose_below_range_is_only_info():
    ws = check("warm", RoutineItem("neutral", hold=5))
    assert [(w.level, w.rule) for w in ws] == [("info", "dosage")]
    assert "below what the sources suggest" in ws[0].message


def test_dosage_inside_range_is_silent():
    assert check("warm", RoutineItem("neutral", hold=15, reps=5), RoutineItem("neutral", hold=30, reps=1)) == []


def test_one_sided_item_of_a_two_sided_stretch():
    ws = check("warm", RoutineItem("flexer", sides="left"))
    assert [(w.level, w.rule, w.items) for w in ws] == [("caution", "sides", (1,))]
    assert "both sides" in ws[0].reason


def test_left_and_right_items_together_are_fine():
    assert check("warm", RoutineItem("flexer", sides="left"), "neutral", RoutineItem("flexer", sides="right")) == []


def test_two_sided_stretch_with_no_sides():
    ws = check("warm", RoutineItem("flexer", sides="none"))
    assert [(w.level, w.rule) for w in ws] == [("caution", "sides")]


def test_symmetric_stretch_with_sides_is_info():
    ws = check("warm", RoutineItem("neutral", sides="each"))
    assert [(w.level, w.rule) for w in ws] == [("info", "sides")]


# ------------------------------------------------------------------ 5. warm-up and avoid-listed


def test_no_warm_up_first():
    ws = check("neutral", "flexer")
    assert [(w.level, w.rule, w.items, w.alternative) for w in ws] == [("info", "warm-up", (0,), "warm")]


def test_warm_up_later_in_the_routine_is_suggested_to_move():
    ws = check("chin-tuck", "neck-warm")
    assert [(w.rule, w.alternative) for w in ws] == [("warm-up", "neck-warm")]
    assert "Neck Warm" in ws[0].message


def test_only_warm_ups_or_empty_routine_is_silent():
    assert check("warm") == []
    assert check() == []


def test_avoid_listed_always_warns():
    ws = check("warm", "bad-move")
    assert [(w.level, w.rule, w.stretch_ids, w.items, w.alternative) for w in ws] == [
        ("avoid", "avoid-listed", ("bad-move",), (1,), "neutral")
    ]
    assert ws[0].reason == "bad-move reason for lower-back-pain"


def test_avoid_listed_with_matching_condition_is_one_warning():
    ws = check("warm", "bad-move", conditions=("lower-back-pain",))
    assert [(w.level, w.stretch_ids[0], w.condition) for w in ws] == [("avoid", "bad-move", "lower-back-pain")]


# ------------------------------------------------------------------ ordering, dedup, unknown ids


def test_sorted_most_serious_first_and_deduplicated():
    ws = check(
        RoutineItem("neutral", hold=99),  # caution dosage (and info warm-up)
        "flexer",
        "extender",  # avoid (stenosis in profile)
        "bad-move",  # avoid-listed
        conditions=("spinal-stenosis",),
    )
    levels = [w.level for w in ws]
    assert levels == sorted(levels, key=["avoid", "caution", "info"].index)
    assert levels[0] == "avoid" and levels[-1] == "info"
    assert len(ws) == len(set(ws))
    assert all("\n" not in w.message and "\n" not in w.reason for w in ws)


def test_unknown_stretch_id_is_reported_not_crashed():
    ws = check("warm", "no-such-thing")
    assert [(w.rule, w.items) for w in ws] == [("unknown", (1,))]


# ------------------------------------------------------------------ warnings_for_stretch


def test_warnings_for_stretch():
    get = CATALOG.get
    assert [(w.level, w.rule) for w in warnings_for_stretch(get("extender"), ["spinal-stenosis"])] == [
        ("avoid", "profile")
    ]
    assert [(w.level, w.rule) for w in warnings_for_stretch(get("twister"), ["osteoporosis"])] == [
        ("avoid", "combination")
    ]
    assert [w.rule for w in warnings_for_stretch(get("bad-move"), [])] == ["avoid-listed"]
    assert warnings_for_stretch(get("neutral"), list(CONDITIONS)) == []
    assert warnings_for_stretch(get("extender"), []) == []


# ------------------------------------------------------------------ the rules are data-driven


def test_no_stretch_id_is_hard_coded_in_the_rules(real):
    source = Path(rules_module.__file__).read_text("utf-8")
    for sid in [*real.stretches, *CATALOG.stretches]:
        assert f'"{sid}"' not in source and f"'{sid}'" not in source, sid


# ------------------------------------------------------------------ against the real catalog



@pytest.fixture(scope="module")
def real():
    return load_catalog()


def test_real_catalog_stenosis_press_up(real):
    r = routine("ankle-pumps", "knee-to-chest", "prone-press-up")
    ws = check_routine(r, real, ["spinal-stenosis"])
    assert [(w.level, w.stretch_ids) for w in ws] == [("avoid", ("prone-press-up",))]
    top = ws[0]
    assert top.condition == "spinal-stenosis" and top.items == (2,)
    assert top.alternative and real.get(top.alternative).caution_for("spinal-stenosis") is None


def test_real_catalog_toe_touch_is_avoid_listed(real):
    ws = check_routine(routine("ankle-pumps", "toe-touch"), real, [])
    assert ws and ws[0].level == "avoid" and ws[0].stretch_ids == ("toe-touch",)
    assert ws[0].alternative and not real.get(ws[0].alternative).avoid_listed


def test_real_catalog_every_stretch_checks_without_error(real):
    for stretch in real.stretches.values():
        for w in check_routine(routine(stretch.id), real, CONDITIONS):
            assert w.level in ("info", "caution", "avoid") and w.message and w.reason
            assert w.alternative is None or w.alternative in real.stretches


def test_alternative_is_not_a_stretch_already_in_the_routine():
    """The curated alternative is offered first, but not when the routine already has it."""
    from stretchtui.core.domain.catalog import load_catalog

    catalog = load_catalog()
    alone = Routine("r", (RoutineItem("prone-press-up"),))
    [first] = [w for w in check_routine(alone, catalog, ["spinal-stenosis"]) if w.level == "avoid"]
    assert first.alternative == catalog.stretches["prone-press-up"].alternative

    with_alt = Routine("r", (RoutineItem("prone-press-up"), RoutineItem(first.alternative)))
    [second] = [w for w in check_routine(with_alt, catalog, ["spinal-stenosis"]) if w.level == "avoid"]
    assert second.alternative not in (None, first.alternative, "prone-press-up")
    assert catalog.stretches[second.alternative].caution_for("spinal-stenosis") is None


def test_marks_for_one_condition_are_the_catalogs_marks_for_a_profile_with_only_it():
    """What the Profile screen says ticking a condition does: the same marks the catalog then shows."""
    from stretchtui.core.domain.rules import marks_for_condition, warnings_for_stretch, worst_level

    catalog = load_catalog()
    for cid in catalog.conditions:
        marks = marks_for_condition(catalog, cid)
        for stretch in catalog.stretches.values():
            level = worst_level(warnings_for_stretch(stretch, (cid,), catalog))
            assert (stretch.name in marks["avoid"]) == (level == "avoid")
            assert (stretch.name in marks["caution"]) == (level == "caution")
    # clinical.md: spinal stenosis x extension = avoid (the press-up family), flexion stretches are fine
    stenosis = marks_for_condition(catalog, "spinal-stenosis")
    assert {"Prone Press-Up", "Cobra Stretch", "Sphinx Pose"} <= set(stenosis["avoid"])
    assert "Knee to Chest" not in stenosis["avoid"] + stenosis["caution"]
