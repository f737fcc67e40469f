"""The progression rule, row by row of the table in core/progression.py, at every boundary."""

from __future__ import annotations

from typing import Any

import pytest

from stretchtui.core.domain.models import Dosage, Range, Stretch
from stretchtui.core.domain.progression import Dose, StretchRecord, step_down, step_up, suggest_item


def _stretch(mode="hold", hold=(15, 20, 30), reps=(2, 3, 5), sid="knee-to-chest"):
    return Stretch(
        id=sid, name=sid.replace("-", " ").title(), summary="", aliases=(), regions=("lower-back",),
        movements=("lumbar-flexion",), position="supine",
        dosage=Dosage(mode=mode, hold=Range(*hold), reps=Range(*reps), sides="none", rest=5),
        steps=("Do it.",), cues=(), helps=(), cautions=(), source=("x",), figure=(),
    )


KNEE = _stretch()
GOOD = StretchRecord(counted=True, response="same", pain_before=3, pain_after=2, dose=Dose(20, 3))
BETTER = StretchRecord(counted=True, response="better", pain_before=2, pain_after=2, dose=Dose(20, 3))


def rec(**kw):
    base: dict[str, Any] = dict(counted=True, response="same", pain_before=3, pain_after=3, checkin=None, dose=Dose(20, 3))
    base.update(kw)
    return StretchRecord(**base)


CURRENT = Dose(20, 3)


def suggest(records, current=CURRENT, *, flare=False, stretch=KNEE):
    return suggest_item(stretch, current, records, flare=flare)


# ------------------------------------------------------------------ the table, row by row

CASES = [
    # (name, records newest first, current, flare, action, new dose)
    ("drop after spreading", [rec(response="spreading"), GOOD, GOOD], Dose(20, 3), False, "drop", Dose(20, 3)),
    ("drop wins over a flare", [rec(response="spreading", pain_before=8)], Dose(20, 3), True, "drop", Dose(20, 3)),
    ("back off after worse", [rec(response="worse", dose=Dose(25, 3)), GOOD, GOOD], Dose(25, 3), False, "back-off", Dose(20, 3)),
    ("back off at pain +2", [rec(pain_before=3, pain_after=5, dose=Dose(25, 3)), GOOD], Dose(25, 3), False, "back-off", Dose(20, 3)),
    ("no back-off at pain +1", [rec(pain_before=3, pain_after=4)], Dose(25, 3), False, "hold", Dose(25, 3)),
    ("back off after a worse check-in", [rec(checkin="worse", dose=Dose(25, 3)), GOOD, GOOD], Dose(25, 3), False, "back-off",
     Dose(20, 3)),
    ("hold in a flare", [GOOD, GOOD, GOOD], Dose(20, 3), True, "hold", Dose(20, 3)),
    ("hold when pain before was 7", [rec(pain_before=7, pain_after=6), GOOD, GOOD], Dose(20, 3), False, "hold",
     Dose(20, 3)),
    ("hold when pain before was 6 (above 3/10)", [rec(pain_before=6, pain_after=5), GOOD, GOOD], Dose(20, 3), False,
     "hold", Dose(20, 3)),
    ("progress after 3 good sessions", [GOOD, BETTER, GOOD], Dose(20, 3), False, "progress", Dose(25, 3)),
    ("hold after only 2", [GOOD, GOOD], Dose(20, 3), False, "hold", Dose(20, 3)),
    ("hold with none", [], Dose(20, 3), False, "hold", Dose(20, 3)),
    ("hold when one of 3 was not kept", [GOOD, rec(counted=False), GOOD], Dose(20, 3), False, "hold", Dose(20, 3)),
    ("hold when a response is missing", [GOOD, rec(response=None), GOOD], Dose(20, 3), False, "hold",
     Dose(20, 3)),
    ("hold when pain rose by 1 within the 3", [GOOD, rec(pain_before=2, pain_after=3), GOOD], Dose(20, 3), False,
     "hold", Dose(20, 3)),
    ("hold when pain was not asked", [GOOD, rec(pain_before=None), GOOD], Dose(20, 3), False, "hold",
     Dose(20, 3)),
    ("hold when an older check-in was worse", [GOOD, rec(checkin="worse"), GOOD], Dose(20, 3), False, "hold",
     Dose(20, 3)),
    ("a 4th older bad session does not block", [GOOD, GOOD, GOOD, rec(response="worse")], Dose(20, 3), False,
     "progress", Dose(25, 3)),
    ("hold reaches the maximum, then reps", [rec(dose=Dose(30, 3))] * 3, Dose(30, 3), False, "progress",
     Dose(30, 4)),
    ("a partial step stops at the maximum", [rec(dose=Dose(28, 3))] * 3, Dose(28, 3), False, "progress",
     Dose(30, 3)),
    ("hold at the very top", [rec(dose=Dose(30, 5))] * 3, Dose(30, 5), False, "hold", Dose(30, 5)),
    # boundaries added with the routine-level glue
    ("back-off wins over a flare", [rec(response="worse", pain_before=8, dose=Dose(25, 3)), GOOD], Dose(25, 3), True, "back-off",
     Dose(20, 3)),
    ("back off at pain +3", [rec(pain_before=1, pain_after=4, dose=Dose(25, 3)), GOOD], Dose(25, 3), False, "back-off", Dose(20, 3)),
    ("an older pain +2 within the 3 holds", [GOOD, GOOD, rec(pain_before=2, pain_after=4)], Dose(20, 3), False,
     "hold", Dose(20, 3)),
    ("better and same check-ins do not block", [rec(checkin="better"), rec(checkin="same"), GOOD], Dose(20, 3),
     False, "progress", Dose(25, 3)),
    ("a missing pain after holds", [GOOD, GOOD, rec(pain_after=None)], Dose(20, 3), False, "hold", Dose(20, 3)),
    ("flare pain 8 on the latest holds", [rec(pain_before=8, pain_after=8), GOOD, GOOD], Dose(20, 3), False,
     "hold", Dose(20, 3)),
    ("sessions at an unrecorded dose count", [rec(dose=None)] * 3, Dose(20, 3), False, "progress", Dose(25, 3)),
    ("after a step up: 0 of 3 at the new dose", [GOOD, GOOD, GOOD], Dose(25, 3), False, "hold", Dose(25, 3)),
    ("2 of 3 at the new dose hold", [rec(dose=Dose(25, 3)), rec(dose=Dose(25, 3)), GOOD], Dose(25, 3), False,
     "hold", Dose(25, 3)),
    ("3 at the new dose progress again", [rec(dose=Dose(25, 3))] * 3 + [GOOD], Dose(25, 3), False, "progress",
     Dose(30, 3)),
    ("no second back-off below the last session's dose", [rec(response="worse", dose=Dose(25, 3))], Dose(20, 3),
     False, "hold", Dose(20, 3)),
    # the dose that went badly was 20: the back-off goes below it, not just back to it
    ("back off when raised by hand after a worse one", [rec(response="worse", dose=Dose(20, 3))], Dose(25, 3),
     False, "back-off", Dose(15, 3)),
    ("a back-off applied once holds after", [rec(response="worse", dose=Dose(20, 3))], Dose(15, 3),
     False, "hold", Dose(15, 3)),
    ("a flare holds even at the top", [GOOD, GOOD, GOOD], Dose(30, 5), True, "hold", Dose(30, 5)),
]


@pytest.mark.parametrize("name,records,current,flare,action,after", CASES, ids=[c[0] for c in CASES])
def test_rule_table(name, records, current, flare, action, after):
    s = suggest(records, current, flare=flare)
    assert (s.action, s.after) == (action, after), s.why
    assert s.before == current and s.why.endswith(".")


def test_moving_stretch_progresses_by_repetitions():
    pumps = _stretch(mode="reps", hold=(1, 2, 5), reps=(5, 10, 20), sid="ankle-pumps")
    s = suggest([rec(dose=Dose(2, 10))] * 3, Dose(2, 10), stretch=pumps)
    assert (s.action, s.after) == ("progress", Dose(2, 11))
    assert suggest([rec(dose=Dose(2, 20))] * 3, Dose(2, 20), stretch=pumps).action == "hold"


def test_timed_stretch_progresses_by_seconds():
    walk = _stretch(mode="duration", hold=(30, 60, 90), reps=(1, 1, 1), sid="walk")
    assert suggest([rec(dose=None)] * 3, Dose(60, 1), stretch=walk).after == Dose(65, 1)
    assert suggest([rec(dose=None)] * 3, Dose(90, 1), stretch=walk).action == "hold"


def test_never_beyond_the_routine_file_limits():
    huge = _stretch(hold=(10, 590, 900), reps=(1, 49, 80))
    assert step_up(huge, Dose(598, 49)) == Dose(600, 49)
    assert step_up(huge, Dose(600, 49)) == Dose(600, 50)
    assert step_up(huge, Dose(600, 50)) is None


# ------------------------------------------------------------------ backing off


def test_back_off_returns_to_the_previous_lower_dose():
    history = [rec(response="worse", dose=Dose(30, 3)), rec(dose=Dose(30, 3)), rec(dose=Dose(25, 3))]
    assert suggest(history, Dose(30, 3)).after == Dose(25, 3)


def test_back_off_without_history_goes_to_the_default_then_a_step_down():
    assert step_down(KNEE, Dose(30, 4), []) == Dose(20, 3)  # the catalog default
    assert step_down(KNEE, Dose(20, 3), []) == Dose(15, 3)  # at the default: one step down
    assert step_down(KNEE, Dose(15, 3), []) == Dose(15, 2)  # hold at its minimum: a repetition less
    assert step_down(KNEE, Dose(15, 2), []) == Dose(15, 2)  # nothing lower exists


def test_every_suggestion_prints_the_documented_json():
    s = suggest([GOOD, GOOD, GOOD])
    assert s.to_json() == {
        "stretch": "knee-to-chest",
        "action": "progress",
        "hold": {"from": 20, "to": 25},
        "reps": {"from": 3, "to": 3},
        "why": s.why,
    }
    assert "20 s → 25 s" in s.why
