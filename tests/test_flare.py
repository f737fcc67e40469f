"""Flare mode: when the player offers it, and the flare version of a routine (table-driven, real catalog)."""

from __future__ import annotations

import pytest

from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.flare import describe, flare_offered, flare_plan, flare_version
from stretchtui.core.domain.models import Routine, RoutineItem

CATALOG = load_catalog()


@pytest.mark.parametrize(
    ("pain_before", "profile_flare", "offered"),
    [
        (None, False, False),
        (0, False, False),
        (6, False, False),  # just under the threshold
        (7, False, True),  # the threshold itself
        (10, False, True),
        (None, True, True),
        (2, True, True),
    ],
)
def test_when_the_flare_version_is_offered(pain_before, profile_flare, offered):
    assert flare_offered(pain_before, profile_flare) is offered


MIXED = Routine(
    "Mixed",
    (
        RoutineItem("pelvic-tilt", hold=8, reps=12),  # above its minimum
        RoutineItem("knee-to-chest", hold=30, reps=3, sides="left", rest=15),  # lumbar flexion
        RoutineItem("sciatic-nerve-glide"),  # a leg nerve tensioner
        RoutineItem("median-nerve-glide"),  # an arm nerve tensioner
        RoutineItem("seated-nerve-slider"),  # a slider: fine in a flare
    ),
)


@pytest.mark.parametrize(
    ("conditions", "kept"),
    [
        # no condition with flare rules: every item stays (only the doses go down)
        ((), ["pelvic-tilt", "knee-to-chest", "sciatic-nerve-glide", "median-nerve-glide", "seated-nerve-slider"]),
        (("lower-back-pain",), ["pelvic-tilt", "knee-to-chest", "sciatic-nerve-glide", "median-nerve-glide",
                                "seated-nerve-slider"]),
        # disc herniation / sciatica: lumbar flexion and the leg's tensioner out (the arm's stays)
        (("disc-herniation",), ["pelvic-tilt", "median-nerve-glide", "seated-nerve-slider"]),
        (("sciatica",), ["pelvic-tilt", "median-nerve-glide", "seated-nerve-slider"]),
        # cervical radiculopathy: the arm's tensioner out, and the seated slider (its chin lift is
        # neck extension: a caution, and in a flare only what the gate may offer stays)
        (("cervical-radiculopathy",), ["pelvic-tilt", "knee-to-chest", "sciatic-nerve-glide"]),
        # both: the union of what each leaves out
        (("sciatica", "cervical-radiculopathy"), ["pelvic-tilt"]),
        # osteoporosis: a leg glide is a caution ("gentle"); in a flare it stays out
        (("sciatica", "osteoporosis"), ["pelvic-tilt", "median-nerve-glide"]),
    ],
)
def test_flare_version_keeps_the_items_with_no_flare_warning(conditions, kept):
    routine = flare_version(MIXED, CATALOG, conditions)
    assert [i.stretch for i in routine.items] == kept
    assert routine.name == MIXED.name


@pytest.mark.parametrize("stretch_id", ["pelvic-tilt", "knee-to-chest", "seated-nerve-slider", "cat-cow"])
def test_each_kept_item_is_at_its_catalog_minimum_and_keeps_its_sides_and_rest(stretch_id):
    original = RoutineItem(stretch_id, hold=None, reps=None, sides="left", rest=7)
    [item] = flare_version(Routine("R", (original,)), CATALOG, ()).items
    dosage = CATALOG.get(stretch_id).dosage
    assert (item.hold, item.reps) == (dosage.hold.min, dosage.reps.min)
    assert (item.sides, item.rest) == ("left", 7)


@pytest.mark.parametrize(
    ("hold", "reps", "expected"),
    [
        (None, None, (3, 8)),  # the catalog default: down to the minimum
        (10, 12, (3, 8)),  # the maximum: down to the minimum
        (3, 8, (3, 8)),  # already the minimum
        (2, 2, (2, 2)),  # below it: never raised
        (5, 2, (3, 2)),  # one of each
    ],
)
def test_the_flare_version_never_asks_for_more_than_planned(hold, reps, expected):
    [item] = flare_version(Routine("R", (RoutineItem("pelvic-tilt", hold=hold, reps=reps),)), CATALOG, ()).items
    assert (item.hold, item.reps) == expected  # pelvic tilt: hold 3-10 s, reps 8-12


def test_the_offer_says_what_is_left_out_and_what_is_lowered():
    plan = flare_plan(MIXED, CATALOG, ("disc-herniation",))
    assert plan.dropped == ("Knee to Chest", "Sciatic Nerve Glide")
    assert "Pelvic Tilt" in plan.lowered and plan.changed and not plan.empty
    text = describe(plan)
    assert text.startswith("The flare version has 3 stretches, each at its lowest dose")
    assert "leaves out Knee to Chest, Sciatic Nerve Glide" in text


def test_a_routine_with_nothing_for_a_flare_is_empty_and_says_so():
    routine = Routine("Bend", (RoutineItem("knee-to-chest"), RoutineItem("sciatic-nerve-glide")))
    plan = flare_plan(routine, CATALOG, ("sciatica",))
    assert plan.empty and "Flare: gentle relief" in describe(plan)


def test_an_unknown_stretch_is_left_out_and_the_input_is_not_changed():
    routine = Routine("R", (RoutineItem("no-such-stretch"), RoutineItem("pelvic-tilt", reps=12)))
    plan = flare_plan(routine, CATALOG, ())
    assert [i.stretch for i in plan.routine.items] == ["pelvic-tilt"] and plan.dropped == ("no-such-stretch",)
    assert routine.items[1].reps == 12
