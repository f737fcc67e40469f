"""Progression gated by safety: the rows of core/domain/progression.py's table added for
issue 23 (profile, pain ceiling, flare sessions, symptom marks, nerve glides, the lowest
dose, two worse sessions in a row, centralization), one table test each, on the real catalog."""

from __future__ import annotations

from typing import Any

import pytest

from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.gate import AdviceContext
from stretchtui.core.domain.progression import Dose, StretchRecord, step_down, suggest_item

CATALOG = load_catalog()
KNEE = CATALOG.get("knee-to-chest")  # lumbar flexion: avoid with osteoporosis, indicated for stenosis
SLIDER = CATALOG.get("sciatic-nerve-slider") or next(s for s in CATALOG.stretches.values() if s.glide == "slider")
D = Dose(KNEE.dosage.hold.default, KNEE.dosage.reps.default)


def rec(**kw) -> StretchRecord:
    base: dict[str, Any] = dict(counted=True, response="same", pain_before=2, pain_after=2, checkin=None, dose=D)
    base.update(kw)
    return StretchRecord(**base)


GOOD = rec()


def ctx(*conditions, flare=False, marked=()) -> AdviceContext:
    return AdviceContext(tuple(conditions), flare, frozenset(marked))


# (name, stretch, records newest first, advice context, expected action, words in why)
CASES = [
    ("3 settled sessions progress", KNEE, [GOOD] * 3, ctx(), "progress", "Ready to progress"),
    ("an indicated stretch progresses", KNEE, [GOOD] * 3, ctx("spinal-stenosis"), "progress", ""),
    ("an avoid for the profile holds", KNEE, [GOOD] * 3, ctx("osteoporosis"), "hold", "is best avoided"),
    ("a caution for the profile holds", KNEE, [GOOD] * 3, ctx("pregnancy"), "hold", "needs care"),
    ("pain 4/10 before holds", KNEE, [GOOD, rec(pain_before=4, pain_after=3), GOOD], ctx(), "hold", "above 3/10"),
    ("pain 6/10 before and after holds", KNEE, [rec(pain_before=6, pain_after=6)] * 3, ctx(), "hold", "above 3/10"),
    ("pain 3/10 is still fine", KNEE, [rec(pain_before=3, pain_after=3)] * 3, ctx(), "progress", ""),
    ("a flare session does not count", KNEE, [GOOD, GOOD, rec(flare=True), GOOD], ctx(), "hold",
     "counting restarts after a flare"),
    ("3 after the flare count again", KNEE, [GOOD, GOOD, GOOD, rec(flare=True)], ctx(), "progress", ""),
    ("marked: drop, no substitute", KNEE, [GOOD] * 3, ctx(marked=["knee-to-chest"]), "drop",
     "leave it out and see a clinician"),
    ("spreading then 3 same: drop", KNEE, [GOOD, GOOD, GOOD, rec(response="spreading", day="2026-03-01")], None,
     "drop", "on 2026-03-01"),
    ("mark cleared: counting restarts after the spreading", KNEE, [GOOD, GOOD, rec(response="spreading")], ctx(),
     "hold", "counting restarts after symptoms spread"),
    ("mark cleared right after the spreading: hold, not drop", KNEE, [rec(response="spreading"), GOOD, GOOD], ctx(),
     "hold", "counting restarts after symptoms spread"),
    ("mark cleared, 3 settled since: progress", KNEE, [GOOD, GOOD, GOOD, rec(response="spreading")], ctx(),
     "progress", ""),
    ("nerve glides hold their dose", SLIDER, [rec(dose=None)] * 3, ctx(), "hold", "no extra repetitions"),
    ("during a flare nothing steps up", KNEE, [GOOD] * 3, ctx(flare=True), "hold", "flare"),
    ("two worse in a row: clinician", KNEE, [rec(response="worse"), rec(response="worse"), GOOD], ctx(),
     "clinician", "see a clinician"),
    ("worse check-in after a back-off: clinician", KNEE,
     [rec(checkin="worse", dose=Dose(D.hold - 5, D.reps)), rec(response="worse")], ctx(), "clinician", "clinician"),
    ("one worse: back off", KNEE, [rec(response="worse"), GOOD], ctx(), "back-off", "Back off"),
    ("central counts as settled", KNEE, [rec(response="central")] * 3, ctx(), "progress", ""),
    ("central with more back ache (2 -> 3) still settled", KNEE,
     [rec(response="central", pain_before=1, pain_after=3)] * 3, ctx(), "progress", ""),
    ("central never backs off for a pain rise", KNEE, [rec(response="central", pain_before=0, pain_after=3)], ctx(),
     "hold", ""),
]


@pytest.mark.parametrize("name,stretch,records,advice,action,words", CASES, ids=[c[0] for c in CASES])
def test_safety_rows(name, stretch, records, advice, action, words):
    s = suggest_item(stretch, D if stretch is KNEE else Dose(stretch.dosage.hold.default, stretch.dosage.reps.default),
                     records, ctx=advice, catalog=CATALOG)
    assert s.action == action, s.why
    assert words in s.why
    if action != "progress":
        assert s.after.hold <= s.before.hold and s.after.reps <= s.before.reps  # never a step up
    if action == "drop":
        others = [x.name for x in CATALOG.stretches.values() if x.id != stretch.id]
        assert not any(n in s.why for n in others)  # no look-alike named


def test_back_off_always_changes_the_dose_or_says_leave_it_out():
    """Every catalog stretch, from every dose in its range: a back-off lowers it; at the lowest it is a drop."""
    for stretch in CATALOG.stretches.values():
        d = stretch.dosage
        for hold in sorted({d.hold.min, d.hold.default, d.hold.max}):
            for reps in sorted({d.reps.min, d.reps.default, d.reps.max}):
                dose = Dose(hold, reps)
                s = suggest_item(stretch, dose, [rec(response="worse", dose=dose)], ctx=ctx(), catalog=CATALOG)
                if s.action == "back-off":
                    assert s.after != dose and s.after.hold <= hold and s.after.reps <= reps, (stretch.id, dose)
                else:
                    assert s.action == "drop" and "lowest dose" in s.why, (stretch.id, dose, s)
                    assert step_down(stretch, dose, []) == dose


def test_pelvic_tilt_at_5_s_x_8_backs_off_or_says_so():
    tilt = CATALOG.get("pelvic-tilt")
    s = suggest_item(tilt, Dose(5, 8), [rec(response="worse", dose=Dose(5, 8))], ctx=ctx(), catalog=CATALOG)
    assert s.changes or s.action == "drop"


def test_a_nerve_glide_never_gains_repetitions():
    for glide in (s for s in CATALOG.stretches.values() if s.glide is not None):
        dose = Dose(glide.dosage.hold.min, glide.dosage.reps.min)
        s = suggest_item(glide, dose, [rec(dose=dose)] * 5, ctx=ctx(), catalog=CATALOG)
        assert s.action == "hold" and not s.changes, glide.id
