"""Cautions reach the user during the stretch (issue 23, item 5, core side):
``session_caution`` (the caution's instruction) and ``work_cues`` /
``session_breathing`` (a compound stretch cues only the half the caution leaves).

clinical.md: cat-cow is a caution for osteoporosis if the rounding is left
out, for stenosis with the arch kept small; lying on the front is an avoid in
pregnancy, lying on the back limited; a flare puts flexion out for disc
herniation and sciatica.
"""

from __future__ import annotations

import pytest

from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.models import Profile
from stretchtui.core.domain.session_rules import (
    CENTRALIZING_RULE,
    half_actions,
    session_breathing,
    session_caution,
    work_cues,
)

CAT = load_catalog()
CAT_COW = CAT.get("cat-cow")


def _p(*conditions: str, flare: bool = False) -> Profile:
    return Profile(conditions=conditions, flare=flare)


@pytest.mark.parametrize(
    "stretch,profile,expected",
    [
        ("cat-cow", _p("osteoporosis"), "Osteoporosis: leave the rounding out; arch gently, back to flat"),
        ("cat-cow", _p("spinal-stenosis"), "Spinal stenosis: keep the arch small; stop at a flat back"),
        ("cat-cow", _p("disc-herniation", "sciatica"),
         "Disc herniation, sciatica: keep the rounding small; the arch is the easier half"),
        ("knee-to-chest", _p("disc-herniation", "sciatica", flare=True),
         "In a flare: best left out today; if you do it, keep it very small"),
        ("sphinx", _p("pregnancy"), "Pregnancy: best left out (lying on your front); keep the arch small"),
        ("pelvic-tilt", _p("pregnancy"), "Pregnancy: short holds, upper body raised on pillows"),
        ("upper-trapezius-stretch", _p("cervical-radiculopathy"),
         "Cervical radiculopathy: never hold the seat with the painful-side hand; tilt gently away from that side"),
        ("prone-press-up", _p("osteoporosis", "spinal-stenosis"),
         "Spinal stenosis: best left out; if you do it, keep the arch very small"
         " · Osteoporosis: keep the arch small and gentle"),
    ],
)
def test_the_caution_line_shown_during_the_stretch(stretch, profile, expected):
    assert session_caution(CAT.get(stretch), profile) == expected


def test_no_caution_line_without_a_caution_for_the_user():
    assert session_caution(CAT_COW, Profile()) is None
    assert session_caution(CAT_COW, None) is None
    assert session_caution(CAT.get("chin-tuck"), _p("cervical-radiculopathy")) is None  # indicated
    assert session_caution(CAT.get("bird-dog"), _p("osteoporosis", "pregnancy")) is None
    # every caution of the catalog gives a line for its own condition, one line
    for stretch in CAT.stretches.values():
        for caution in stretch.cautions:
            line = session_caution(stretch, _p(caution.condition))
            assert line and "\n" not in line and caution.cue in line, (stretch.id, caution.condition)


def test_cat_cow_with_osteoporosis_cues_only_the_arch_half():
    cues = work_cues(CAT_COW, _p("osteoporosis"))
    assert cues[0] == CENTRALIZING_RULE
    assert "Breathe in as you arch, out as you come back to a flat back." in cues
    assert not any("round" in c.casefold() for c in cues)
    breathing = session_breathing(CAT_COW, _p("osteoporosis"))
    assert (breathing.inhale, breathing.exhale) == ("arch", "back to flat")
    assert half_actions(CAT_COW, _p("osteoporosis")) == {"lumbar-flexion": "out"}


def test_cat_cow_with_stenosis_keeps_both_halves_with_a_small_arch():
    assert half_actions(CAT_COW, _p("spinal-stenosis")) == {"lumbar-extension": "small"}
    breathing = session_breathing(CAT_COW, _p("spinal-stenosis"))
    assert (breathing.inhale, breathing.exhale) == ("small arch", "round")
    assert "Breathe out as you round, in as you arch." in work_cues(CAT_COW, _p("spinal-stenosis"))


def test_cat_cow_with_osteoporosis_and_stenosis_arches_a_little_and_never_rounds():
    cues = work_cues(CAT_COW, _p("osteoporosis", "spinal-stenosis"))
    assert "Breathe in as you arch a little, out as you come back to a flat back." in cues
    assert not any("round" in c.casefold() for c in cues)


def test_without_a_profile_or_caution_the_cues_are_the_stretchs_own():
    for stretch in CAT.stretches.values():
        assert work_cues(stretch) == work_cues(stretch, Profile())
        assert session_breathing(stretch) == stretch.breathing
    assert work_cues(CAT_COW, _p("pregnancy")) == work_cues(CAT_COW)
