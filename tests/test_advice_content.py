"""What a physiotherapist would say (issue 23, items 6-8): the alternatives a
check offers, one line per stretch, the clinical content (radiculopathy side
by side, pregnancy positions), the flare routine a hint names, and the four
reference users (issue 12's three and a user with cervical radiculopathy).

Every rule traces to ``shared/clinical.md`` (cited per test).
"""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from stretchtui.core.domain.catalog import CatalogError, load_catalog, parse_catalog
from stretchtui.core.domain.gate import AdviceContext, offer_ok
from stretchtui.core.domain.models import CONDITIONS, Routine, RoutineItem
from stretchtui.core.domain.rules import (
    check_routine,
    find_alternative,
    flare_starter,
    warnings_for_stretch,
)

CAT = load_catalog()
CONDITION_SETS = [(c,) for c in CONDITIONS] + list(itertools.combinations(CONDITIONS, 2))
EVERYTHING = Routine("All", tuple(RoutineItem(sid) for sid in CAT.stretches))


def _area(stretch) -> str:
    return "neck" if {"neck", "upper-back"} & set(stretch.regions) and "lower-back" not in stretch.regions else "low-back"


def _summary(ws):
    return [(w.level, w.rule, w.stretch_ids, w.conditions) for w in ws]


def _starter(name):
    return next(r for r in CAT.starters if r.name == name)


# ------------------------------------------------------------------ alternatives (6)


def test_every_offer_is_from_the_similar_list_passes_the_gate_and_stays_in_its_area():
    """Property: every stretch x every condition and pair x flare on/off."""
    problems = []
    for conds in CONDITION_SETS:
        for flare in (False, True):
            ctx = AdviceContext(conds, flare)
            for stretch in CAT.stretches.values():
                for w in warnings_for_stretch(stretch, conds, CAT, flare=flare):
                    if w.alternative is None:
                        continue
                    alt = CAT.get(w.alternative)
                    where = f"{stretch.id} {conds} flare={flare} -> {alt.id}"
                    if alt.id not in stretch.similar:
                        problems.append(f"{where}: not on its similar list")
                    if not offer_ok(alt, CAT, ctx, replacing=stretch):
                        problems.append(f"{where}: the gate refuses it")
                    if _area(alt) != _area(stretch):
                        problems.append(f"{where}: another area")
                    if "neural-glide" in stretch.movements and "neural-glide" in alt.movements:
                        if ("neck" in stretch.regions) != ("neck" in alt.regions):
                            problems.append(f"{where}: a glide of the other limb")
    assert not problems, "\n".join(problems[:20])


def test_similar_lists_keep_area_and_aim():
    for stretch in CAT.stretches.values():
        for sid in stretch.similar:
            other = CAT.get(sid)
            assert _area(other) == _area(stretch) or set(other.regions) & set(stretch.regions), (stretch.id, sid)
            if stretch.glide is not None:  # a nerve glide by its limb
                assert other.glide is None or ("neck" in other.regions) == ("neck" in stretch.regions)
        if "hamstring" in stretch.movements and not stretch.avoid_listed:
            # a hamstring stretch for a hamstring stretch (or the gentler nerve slider its reason names)
            assert all("hamstring" in CAT.get(s).movements or CAT.get(s).glide == "slider" or
                       "lumbar-extension" in CAT.get(s).movements or "lumbar-flexion" in CAT.get(s).movements
                       for s in stretch.similar), stretch.id


@pytest.mark.parametrize(
    "stretch,conditions,expected",
    [
        # "the seated nerve slider is the gentler glide" (its own reason) — was Pelvic Tilt
        ("sciatic-nerve-glide", ("disc-herniation",), "seated-nerve-slider"),
        ("sciatic-nerve-glide", ("sciatica",), "seated-nerve-slider"),
        # "a nerve slider is the gentler choice"
        ("hamstring-stretch", ("disc-herniation",), "seated-nerve-slider"),
        ("hamstring-stretch", ("sciatica",), "seated-nerve-slider"),
        # "the median nerve slider is the gentler glide"
        ("median-nerve-glide", ("cervical-radiculopathy",), "median-nerve-slider"),
        ("ulnar-nerve-glide", ("cervical-radiculopathy",), "median-nerve-slider"),
        # neck to neck or upper back, never a nerve glide or a low-back stretch
        ("neck-side-tilt", ("cervical-radiculopathy",), "chin-tuck"),
        ("upper-trapezius-stretch", ("cervical-radiculopathy",), "chin-tuck"),
        ("cow-face", ("cervical-radiculopathy",), "shoulder-blade-squeeze"),
        # a twist that turns the head: the one that keeps it still
        ("supine-twist", ("cervical-radiculopathy",), "lower-trunk-rotation"),
    ],
)
def test_the_one_the_reason_names_or_the_physio_pick(stretch, conditions, expected):
    [w] = warnings_for_stretch(CAT.get(stretch), conditions, CAT)
    assert w.alternative == expected


@pytest.mark.parametrize(
    "stretch,never",
    [
        ("seated-piriformis", {"seated-spinal-twist"}),
        ("sciatic-nerve-glide", {"supine-piriformis", "pelvic-tilt"}),
        ("median-nerve-glide", {"neck-side-tilt", "neck-rotation"}),
        ("neck-side-tilt", {"neck-rotation"}),
        ("neck-rotation", {"neck-side-tilt"}),
        ("hamstring-stretch", {"pelvic-tilt", "hip-drop"}),
        ("downward-dog", {"pelvic-tilt", "hip-drop"}),
    ],
)
def test_the_reviewed_bad_pairs_never_come_back(stretch, never):
    for conds in CONDITION_SETS:
        for flare in (False, True):
            for w in warnings_for_stretch(CAT.get(stretch), conds, CAT, flare=flare):
                assert w.alternative not in never, (stretch, conds, flare, w.alternative)


def test_no_low_back_stretch_is_ever_swapped_for_a_neck_exercise():
    for conds in CONDITION_SETS:
        for w in check_routine(EVERYTHING, CAT, conds):
            if w.alternative and w.stretch_ids and "lower-back" in CAT.get(w.stretch_ids[0]).regions:
                assert "neck" not in CAT.get(w.alternative).regions, (w.stretch_ids, conds, w.alternative)


def test_a_marked_stretch_is_never_offered():
    """The gate's marks reach find_alternative: a stretch that made symptoms spread is not offered."""
    hamstring = CAT.get("hamstring-stretch")
    assert find_alternative(CAT, hamstring, ("disc-herniation",)) == "seated-nerve-slider"
    assert find_alternative(CAT, hamstring, ("disc-herniation",), marked={"seated-nerve-slider"}) is None


def test_the_catalog_loader_checks_similar_lists():
    import json
    from pathlib import Path

    import stretchtui

    data = json.loads((Path(stretchtui.__file__).parent.parent / "catalog.json").read_text("utf-8"))
    first = data["stretches"][0]
    for bad, words in (([first["id"]], "not similar to itself"), (["no-such-stretch"], "unknown stretch"),
                       (["heel-slides", "heel-slides"], "listed twice"), ("heel-slides", "must be a list")):
        first["similar"] = bad
        with pytest.raises(CatalogError, match=words) as err:
            parse_catalog(data)
        assert f"stretches[0] ({first['id']}): similar" in str(err.value)


# ------------------------------------------------------------------ one line per stretch (7)


def test_a_check_gives_each_stretch_at_most_one_caution_or_avoid_line_and_one_alternative():
    for conds in CONDITION_SETS:
        for flare in (False, True):
            for routine in (EVERYTHING, *CAT.starters):
                ws = check_routine(routine, CAT, conds, flare=flare)
                lines = Counter(
                    sid for w in ws if w.level != "info" and w.rule not in ("dosage", "sides", "unknown")
                    for sid in w.stretch_ids
                )
                assert not [s for s, n in lines.items() if n > 1], (routine.name, conds, flare)
                alts = Counter(w.stretch_ids[0] for w in ws if w.alternative and w.stretch_ids)
                assert all(n == 1 for n in alts.values()), (routine.name, conds, flare)


def test_the_pregnant_users_whole_catalog_check_is_one_line_a_stretch():
    ws = check_routine(EVERYTHING, CAT, ["pregnancy"])
    lines = [w for w in ws if w.level != "info"]
    # every stretch appears in at most one line; the lying-on-the-back note is one line
    named = [sid for w in lines for sid in w.stretch_ids]
    assert len(named) == len(set(named))
    position = [w for w in lines if w.rule == "position" and len(w.stretch_ids) > 1]
    assert len(position) == 1 and position[0].level == "caution" and "lying on your back" in position[0].message
    # lying on the front is an avoid at 20 weeks, said in the prone stretches' own lines
    for sid in ("prone-press-up", "cobra", "sphinx"):
        [line] = [w for w in lines if sid in w.stretch_ids]
        assert line.level == "avoid" and "lying on your front, which is best avoided" in line.message, sid
        assert line.message.startswith(f"{CAT.get(sid).name} needs care with pregnancy, and is done"), line.message


def test_the_dose_is_one_line_for_one_item():
    routine = Routine("r", (RoutineItem("shoulder-rolls"), RoutineItem("chin-tuck", hold=60, reps=40)))
    doses = [w for w in check_routine(routine, CAT, []) if w.rule == "dosage"]
    assert len(doses) == 1
    assert "hold 60 s is beyond and reps 40 is beyond" in doses[0].message and doses[0].level == "caution"


# ------------------------------------------------------------------ clinical content (8)


def test_radiculopathy_neck_advice_never_anchors_the_painful_arm():
    """clinical.md, radiculopathy side by side: never anchor or pull the painful-side arm;
    holding the seat with that hand and tilting away is a tensioner on that side."""
    for sid in ("upper-trapezius-stretch", "levator-scapulae-stretch"):
        caution = CAT.get(sid).caution_for("cervical-radiculopathy")
        assert "never hold the seat with the painful-side hand" in caution.reason.casefold() + caution.cue, sid
    tilt = CAT.get("neck-side-tilt").caution_for("cervical-radiculopathy")
    assert "arm resting" in tilt.cue and "pressed down pulls on the arm's nerves" in tilt.reason
    for stretch in CAT.stretches.values():
        caution = stretch.caution_for("cervical-radiculopathy")
        if caution is not None:
            assert "tilt away from it and stop" not in caution.reason  # the old advice, with the arm anchored


def test_overhead_and_wide_arm_work_and_the_untagged_head_movements_are_tagged():
    assert "shoulder-end-range" in CAT.get("cow-face").movements
    assert "shoulder-end-range" in CAT.get("doorway-stretch").movements
    assert "cervical-rotation" in CAT.get("supine-twist").movements
    assert "cervical-rotation" in CAT.get("thread-the-needle").movements
    assert {"cervical-extension", "cervical-flexion"} <= set(CAT.get("seated-nerve-slider").movements)
    for sid in ("cow-face", "doorway-stretch", "supine-twist", "thread-the-needle", "seated-nerve-slider"):
        [w] = warnings_for_stretch(CAT.get(sid), ["cervical-radiculopathy"], CAT)
        assert w.level == "caution" and "arm" in w.reason, sid


def test_every_caution_has_a_short_in_session_cue():
    for stretch in CAT.stretches.values():
        for caution in stretch.cautions:
            assert caution.cue and len(caution.cue) <= 90 and "\n" not in caution.cue, (stretch.id, caution.condition)


# ------------------------------------------------------------------ flare routines (8)


@pytest.mark.parametrize(
    "conditions,regions,expected",
    [
        (("disc-herniation", "sciatica"), {"lower-back"}, "Flare: gentle relief"),
        (("cervical-radiculopathy",), {"neck"}, "Flare: gentle neck relief"),
        (("cervical-radiculopathy",), {"lower-back"}, "Flare: gentle neck relief"),  # made for the condition
        ((), {"neck", "upper-back"}, "Flare: gentle neck relief"),
        (("lower-back-pain",), {"lower-back"}, "Flare: gentle relief"),  # never "Morning stiffness"
        (("spinal-stenosis",), {"lower-back"}, None),  # its sphinx arches the back: nothing clean
        (("osteoporosis",), {"lower-back", "upper-back"}, None),  # a back routine never gets the neck one
        (("pregnancy",), {"lower-back"}, None),  # lying on the back
    ],
)
def test_the_flare_hint_names_a_clean_flare_routine_for_the_region_and_conditions(conditions, regions, expected):
    name = flare_starter(CAT, conditions, regions)
    assert name == expected
    if name is not None:
        assert name in CAT.flare_starters
        routine = _starter(name)
        ctx = AdviceContext(conditions, True)
        assert all(offer_ok(CAT.get(i.stretch), CAT, ctx) for i in routine.items)
        ws = check_routine(routine, CAT, conditions, flare=True)
        assert [w.rule for w in ws if w.level != "info"] == []


def test_a_neck_user_in_a_flare_is_pointed_to_the_neck_flare_routine():
    neck = _starter("Desk neck and upper back")
    info = next(w for w in check_routine(neck, CAT, ["cervical-radiculopathy"], flare=True) if w.rule == "flare")
    assert "Flare: gentle neck relief" in info.reason
    low = next(w for w in check_routine(_starter("Morning stiffness"), CAT, ["lower-back-pain"], flare=True)
               if w.rule == "flare")
    assert "Morning stiffness" not in low.reason and "Flare: gentle relief" in low.reason


# ------------------------------------------------------------------ the reference users


def test_user_with_cervical_radiculopathy():
    ws = check_routine(_starter("Desk neck and upper back"), CAT, ["cervical-radiculopathy"])
    assert _summary(ws) == [
        ("caution", "profile", ("upper-trapezius-stretch",), ("cervical-radiculopathy",)),
        ("caution", "profile", ("doorway-stretch",), ("cervical-radiculopathy",)),
    ]
    trap, door = ws
    assert "painful-side hand" in trap.reason and CAT.get(trap.alternative).regions[0] in ("neck", "upper-back")
    assert "below shoulder height" in door.reason
    # the tensioner is out in a flare, the slider the flare routine uses is clean
    glide = check_routine(Routine("r", (RoutineItem("shoulder-rolls"), RoutineItem("median-nerve-glide"))),
                          CAT, ["cervical-radiculopathy"], flare=True)
    line = next(w for w in glide if w.stretch_ids == ("median-nerve-glide",))
    assert line.level == "avoid" and line.alternative == "median-nerve-slider"


def test_pregnant_user_lying_on_the_front_is_an_avoid():
    ws = check_routine(_starter("Flare: gentle relief"), CAT, ["pregnancy"])
    sphinx = next(w for w in ws if "sphinx" in w.stretch_ids)
    assert sphinx.level == "avoid" and "lying on your front" in sphinx.message
    assert sphinx.alternative is not None and CAT.get(sphinx.alternative).position not in ("prone", "supine")


def test_the_press_up_family_helps_disc_herniation_only_if_it_centralizes():
    """clinical.md: lumbar extension is "I if it centralizes" for disc herniation / sciatica."""
    routine = Routine("r", (RoutineItem("ankle-pumps"), RoutineItem("sphinx"), RoutineItem("prone-press-up")))
    notes = [w for w in check_routine(routine, CAT, ["disc-herniation"]) if w.rule == "centralize"]
    assert [(w.level, w.stretch_ids) for w in notes] == [("info", ("sphinx",)), ("info", ("prone-press-up",))]
    assert all("centralize" in w.message and "spread down the leg" in w.reason for w in notes)
    assert not [w for w in check_routine(routine, CAT, ["osteoporosis"]) if w.rule == "centralize"]
    from stretchtui.core.domain.clinical import centralize_note

    assert centralize_note(CAT.get("sphinx")) and centralize_note(CAT.get("cat-cow")) is None


def test_a_flare_version_never_keeps_an_avoid_item():
    """The flare version after "Play anyway": Prone Press-Up stays out for stenosis (issue 23)."""
    from stretchtui.core.domain.flare import describe, flare_plan

    routine = Routine("r", (RoutineItem("ankle-pumps"), RoutineItem("prone-press-up"), RoutineItem("pelvic-tilt")))
    plan = flare_plan(routine, CAT, ["spinal-stenosis"])
    assert [i.stretch for i in plan.routine.items] == ["ankle-pumps", "pelvic-tilt"]
    assert plan.dropped == ("Prone Press-Up",)
    for conds in CONDITION_SETS:
        for starter in CAT.starters:
            kept = flare_plan(starter, CAT, conds).routine
            for w in check_routine(kept, CAT, conds, flare=True):
                assert w.level != "avoid", (starter.name, conds, w.stretch_ids)
    # a marked stretch is left out too
    assert [i.stretch for i in flare_plan(routine, CAT, [], marked={"pelvic-tilt"}).routine.items] == [
        "ankle-pumps", "prone-press-up"]
    # nothing left: the offer names the flare routine for the region, never the low-back one for a neck
    neck = Routine("n", (RoutineItem("median-nerve-glide"),))
    plan = flare_plan(neck, CAT, ["cervical-radiculopathy"])
    assert plan.empty and plan.instead == "Flare: gentle neck relief"
    assert '"Flare: gentle neck relief"' in describe(plan)


def test_the_check_in_asks_about_the_routines_region():
    from stretchtui.core.domain.checkin import QUESTION, question
    from stretchtui.core.domain.session import Session, SessionItem

    def asked(*ids):
        return question(Session(id="s", items=tuple(SessionItem(i) for i in ids)), CAT)

    assert asked("chin-tuck", "thoracic-extension") == "How is your neck today, compared with before that session?"
    assert asked("knee-to-chest") == QUESTION
    assert asked("chin-tuck", "knee-to-chest").startswith("How is your neck and back today")
    assert asked("no-such-stretch") == QUESTION


def test_marked_stretches_are_never_offered_and_get_no_substitute():
    """clinical.md: a stretch that made symptoms spread stays out, and no look-alike is offered."""
    routine = Routine("r", (RoutineItem("shoulder-rolls"), RoutineItem("hamstring-stretch")))
    [line] = [w for w in check_routine(routine, CAT, ["disc-herniation"]) if w.stretch_ids == ("hamstring-stretch",)]
    assert line.alternative == "seated-nerve-slider"
    [line] = [w for w in check_routine(routine, CAT, ["disc-herniation"], marked={"seated-nerve-slider"})
              if w.stretch_ids == ("hamstring-stretch",)]
    assert line.alternative is None
    [line] = warnings_for_stretch(CAT.get("hamstring-stretch"), ["disc-herniation"], CAT, marked={"hamstring-stretch"})
    assert line.alternative is None
    neck = _starter("Desk neck and upper back")
    info = next(w for w in check_routine(neck, CAT, ["cervical-radiculopathy"], flare=True, marked={"chin-tuck"})
                if w.rule == "flare")
    assert "Flare: gentle neck relief" not in info.reason  # it holds the marked chin tuck


def test_check_says_when_the_alternative_is_already_in_the_routine(tmp_path, capsys):
    from stretchtui.cli import main

    code = main(["check", "Desk neck and upper back", "--condition", "cervical-radiculopathy",
                 "--data-dir", str(tmp_path / "d")])
    out = capsys.readouterr().out
    assert code == 1
    assert "Instead: Chin Tuck (chin-tuck) - already in this routine" in out
    assert "never hold the seat with the painful-side hand" in out


def test_catalog_json_says_the_press_up_family_helps_only_if_it_centralizes(capsys):
    import json

    from stretchtui.cli import main

    assert main(["catalog", "--json"]) == 0
    rows = {d["id"]: d for d in json.loads(capsys.readouterr().out)}
    assert "centralize" in rows["sphinx"]["centralize_note"] and rows["cat-cow"]["centralize_note"] is None
    assert rows["hamstring-stretch"]["similar"][0] == "seated-nerve-slider"
    assert all(c["cue"] for c in rows["cat-cow"]["cautions"])
