"""The progression rule over a routine and the recorded sessions (core glue of `suggest`)."""

from __future__ import annotations

import pytest

from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.models import Profile, Routine, RoutineItem
from stretchtui.core.domain.progression import (
    CHECKINS,
    RESPONSES,
    Dose,
    describe_change,
    in_flare,
    records_for,
    suggest_routine,
)
from stretchtui.core.domain.session import CHECKIN_ANSWERS, Session
from stretchtui.core.domain.session import RESPONSES as SESSION_RESPONSES
from tests.adapt_data import session_doc

CATALOG = load_catalog()
ROUTINE = Routine(name="Morning back", items=(RoutineItem("pelvic-tilt"), RoutineItem("knee-to-chest", hold=20)))


def sessions(*docs) -> list[Session]:
    return [Session.from_doc(d) for d in docs]


def three_good(**kw) -> list[dict]:
    items = (("pelvic-tilt", 5, 10), ("knee-to-chest", 20, 3))
    return [session_doc(day, items=items, **kw) for day in range(3)]


def plan_for(docs, routine=ROUTINE, profile=None):
    return suggest_routine(routine, CATALOG, sessions(*docs), profile=profile)


def test_one_list_of_answers():
    assert RESPONSES is SESSION_RESPONSES and CHECKINS is CHECKIN_ANSWERS


def test_records_are_newest_first_and_only_sessions_with_the_stretch():
    docs = [
        session_doc(0, response="better"),
        session_doc(2, response="worse", items=(("knee-to-chest", 25, 3),)),
        session_doc(1, items=(("cat-cow", 5, 5),)),  # no knee to chest: not a record
    ]
    recs = records_for("knee-to-chest", sessions(*docs))
    assert [r.response for r in recs] == ["worse", "better"]
    assert recs[0].dose == Dose(25, 3) and recs[0].pain_before == 2 and recs[0].pain_after == 1


def test_a_stretch_never_reached_is_not_a_record():
    doc = session_doc(0, done=0, response=None)
    assert records_for("knee-to-chest", sessions(doc)) == []


def test_the_least_good_response_of_a_session_stands():
    doc = session_doc(0)
    doc["items"].append(dict(doc["items"][0], response="worse"))
    assert records_for("knee-to-chest", sessions(doc))[0].response == "worse"


@pytest.mark.parametrize("status,counted,expected", [
    ("completed", True, True), ("stopped", True, True), ("stopped", False, False),
    ("symptoms", True, False), ("interrupted", True, False),
])
def test_completed_or_kept(status, counted, expected):
    rec = records_for("knee-to-chest", sessions(session_doc(0, status=status, counted=counted)))[0]
    assert rec.counted is expected


def test_three_good_sessions_progress_the_items_and_apply_writes_the_doses():
    plan = plan_for(three_good())
    actions = {p.suggestion.stretch: (p.suggestion.action, p.suggestion.after) for p in plan.items}
    assert actions["knee-to-chest"] == ("progress", Dose(25, 3))
    assert [describe_change(p, CATALOG) for p in plan.changes if p.suggestion.stretch == "knee-to-chest"] == [
        "Knee to Chest 20 s → 25 s"
    ]
    applied = plan.applied()
    assert applied.items[1] == RoutineItem("knee-to-chest", hold=25, reps=3)
    assert applied.name == ROUTINE.name


def test_two_sessions_hold():
    plan = plan_for(three_good()[:2])
    assert {p.suggestion.action for p in plan.items} == {"hold"} and not plan.changes
    assert plan.applied() == ROUTINE


def test_a_worse_check_in_after_the_latest_session_backs_off():
    docs = three_good()
    docs[-1]["checkin"] = {"answer": "worse", "at": "2026-03-05T09:00:00+00:00"}
    knee = next(p for p in plan_for(docs).items if p.suggestion.stretch == "knee-to-chest")
    assert knee.suggestion.action == "back-off"
    assert knee.suggestion.after == Dose(15, 3)  # 20 s is the catalog default: one step down
    assert "worse the day after" in knee.suggestion.why


@pytest.mark.parametrize("pain,flare,expected,in_a_flare", [
    ((3, 2), False, "progress", False), ((6, 5), False, "hold", False), ((7, 6), False, "hold", True),
    ((2, 1), True, "hold", True),
])
def test_flare_from_the_profile_or_pain_before_of_7(pain, flare, expected, in_a_flare):
    docs = three_good()
    docs[-1]["pain_before"], docs[-1]["pain_after"] = pain
    plan = plan_for(docs, profile=Profile(flare=flare))
    assert next(p for p in plan.items if p.suggestion.stretch == "knee-to-chest").suggestion.action == expected
    assert plan.flare is in_a_flare


def test_flare_counts_the_newest_session_of_any_routine():
    other = session_doc(5, routine="Neck", items=(("chin-tuck", 5, 5),), pain=(8, 8))
    assert in_flare(sessions(*three_good(), other)) is True
    assert in_flare(sessions(*three_good())) is False


def test_spreading_drops_with_no_substitute_named():
    docs = three_good()
    docs[-1]["items"][1]["response"] = "spreading"
    knee = next(p for p in plan_for(docs).items if p.suggestion.stretch == "knee-to-chest")
    assert knee.suggestion.action == "drop" and knee.alternative is None
    assert "leave it out and see a clinician" in knee.suggestion.why
    assert "safer option" not in knee.suggestion.why.lower()
    names = {s.name for s in CATALOG.stretches.values() if s.id != "knee-to-chest"}
    assert not any(name in knee.suggestion.why for name in names)
    assert plan_for(docs).applied().items[1] == ROUTINE.items[1]  # a drop is the user's decision


def test_unknown_stretches_are_left_out_and_json_has_the_documented_shape():
    routine = Routine(name="R", items=(RoutineItem("no-such-stretch"), RoutineItem("knee-to-chest")))
    data = plan_for(three_good(), routine=routine).to_json()
    assert list(data) == ["routine", "items"] and data["routine"] == "R"
    assert [i["stretch"] for i in data["items"]] == ["knee-to-chest"]
    assert list(data["items"][0]) == ["stretch", "action", "hold", "reps", "why"]
