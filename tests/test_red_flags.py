"""Red flags, session rules and the answers to pain scores (core, plain mode)."""

from __future__ import annotations

import io

import pytest

from stretchtui.core.clock import FakeClock
from stretchtui.core.domain import red_flags as rf
from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.models import Profile, Routine, RoutineItem
from stretchtui.core.domain.player import PlayerEngine, SessionRecorder
from stretchtui.core.domain.session_rules import (
    CENTRALIZING_RULE,
    GLIDE_RULE,
    PAIN_FLAG_KEY,
    RULES_SHORT,
    pain_answer,
    stretch_rules,
    work_cues,
)
from stretchtui.core.domain.timeline import build_timeline
from stretchtui.core.reports.history import format_pain
from stretchtui.core.storage.store import open_store

CAT = load_catalog()

#: Every item of the clinical reference's "Red flags" section (emergency / same
#: day / pregnancy), with the words our wording must contain for it.
CLINICAL_ITEMS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "emergency": [
        ("numbness in the saddle area or altered feeling when wiping", ("between the legs", "wipe")),
        ("new trouble passing or holding urine", ("starting or holding urine",)),
        ("bowel leakage", ("leaking from the bowel",)),
        ("new sexual dysfunction", ("sexual function",)),
        ("sciatica in both legs", ("sciatica", "both legs")),
        ("leg weakness or walking getting worse", ("weakness in a leg that is new or getting worse",
                                                   "walking that is getting worse")),
        ("new or worsening hand weakness, both arms", ("weakness in an arm or hand that is new or getting worse",
                                                       "both arms")),
        ("hand clumsiness", ("clumsy hands",)),
        ("unsteady walking", ("unsteady walking",)),
        ("heavy legs", ("legs that feel heavy",)),
        ("vertigo with neurological signs on neck movement", ("dizziness", "move your neck", "double vision")),
        ("sudden severe new neck pain or headache", ("sudden, severe neck pain or headache",)),
    ],
    "same-day": [
        ("fever or feeling unwell", ("fever", "unwell")),
        ("IV drug use", ("injecting drugs",)),
        ("weakened immune system", ("weakened immune system",)),
        ("trauma (even minor with osteoporosis or steroid use)", ("injury", "osteoporosis", "steroid")),
        ("history of cancer", ("cancer now or in the past",)),
        ("weight loss", ("weight loss",)),
        ("night pain that does not change with position", ("pain at night", "whichever way you lie")),
        ("new back pain under 20 or over 55", ("new", "under 20", "over 55")),
        ("pain in the upper or mid back, qualified", ("upper or middle part of the back", "new and constant",
                                                      "not eased by rest", "unwell", "injury")),
        ("visible deformity", ("shape of your spine",)),
    ],
    "pregnancy": [
        ("bleeding", ("bleeding",)),
        ("fluid leak", ("fluid leaking",)),
        ("painful contractions", ("painful contractions",)),
        ("faintness", ("faint",)),
        ("chest pain", ("pain in the chest",)),
        ("calf pain or swelling", ("pain or swelling in a calf",)),
        ("headache or changed vision", ("headache", "vision")),
        ("breathlessness before exertion", ("out of breath before",)),
        ("muscle weakness affecting balance", ("weakness", "balance")),
        ("reduced baby movements", ("baby moving less",)),
    ],
}
GROUP = {"emergency": rf.EMERGENCY, "same-day": rf.SAME_DAY, "pregnancy": rf.PREGNANCY}


@pytest.mark.parametrize("key", list(CLINICAL_ITEMS))
def test_every_clinical_red_flag_is_one_of_our_signs_in_the_right_group(key):
    texts = [t.casefold() for t in GROUP[key].texts]
    for item, needed in CLINICAL_ITEMS[key]:
        assert any(all(n.casefold() in t for n in needed) for t in texts), f"{key}: {item!r} is missing"


def _all_signs(groups=rf.GROUPS) -> list[str]:
    return [t for g in groups for t in g.texts]


def test_the_notice_lists_every_sign_of_every_group_under_its_urgency():
    from stretchtui.ui.screens.notice import NOTICE_TEXT

    for group in rf.GROUPS:
        assert f"{group.urgency}:" in NOTICE_TEXT
        for text in group.texts:
            assert text in NOTICE_TEXT
    # The old text said "never hurt", which contradicts the centralization rule.
    assert "never hurt" not in NOTICE_TEXT and "3 out of 10" in NOTICE_TEXT


def test_one_urgency_wording_each_and_the_checklist_lists_pregnancy_only_for_pregnant_users():
    assert rf.checklist_groups(False) == (rf.EMERGENCY, rf.SAME_DAY)
    assert rf.checklist_groups(True) == (rf.EMERGENCY, rf.SAME_DAY, rf.PREGNANCY)
    advice = " ".join(rf.checklist_advice(True))
    for group in rf.GROUPS:
        assert group.urgency in advice
    assert rf.PREGNANCY.urgency not in " ".join(rf.checklist_advice(False))


def test_stop_advice_names_neck_and_arm_signs_first_after_a_neck_routine():
    neck = rf.stop_advice({"neck", "upper-back"})
    first = next(p for p in neck if p.startswith(rf.EMERGENCY.urgency))
    assert "neck routine" in first and "clumsy hands" in first and "arm or hand that is new or getting worse" in first
    assert "between the legs" not in first
    low = rf.stop_advice({"lower-back"})
    first = next(p for p in low if p.startswith(rf.EMERGENCY.urgency))
    assert "lower-back routine" in first and "between the legs" in first and "clumsy hands" not in first
    both = rf.stop_advice({"lower-back", "neck", "nerves"})
    first = next(p for p in both if p.startswith(rf.EMERGENCY.urgency))
    assert "clumsy hands" in first and "between the legs" in first
    # Whatever the routine, the complete emergency and same-day lists are there.
    for advice in (neck, low, both):
        joined = " ".join(advice).casefold()
        for text in _all_signs((rf.EMERGENCY, rf.SAME_DAY)):
            assert text.casefold() in joined
        assert rf.PREGNANCY.urgency not in " ".join(advice)
    assert rf.PREGNANCY.urgency in " ".join(rf.stop_advice({"neck"}, pregnant=True))


@pytest.mark.parametrize("regions,limb", [({"neck"}, "arm"), ({"lower-back"}, "leg"), ({"neck", "lower-back"}, "arm or leg")])
def test_spreading_tingling_is_leave_it_out_and_see_a_clinician_soon_after_neck_and_back_alike(regions, limb):
    """clinical.md, limb symptoms: tingling or numbness spreading down ONE arm or
    leg is stop, leave it out, see a clinician soon if it does not settle; not an
    emergency on its own, whatever the routine was."""
    advice = rf.stop_advice(regions)
    limb_line = next(p for p in advice if p.startswith("Tingling or numbness"))
    assert f"down one {limb}" in limb_line and "leave it out" in limb_line
    assert "see a clinician soon" in limb_line and "not an emergency" in limb_line
    # numbness in one limb is never in the emergency list (weakness is)
    for p in advice:
        if p.startswith(rf.EMERGENCY.urgency) or p.startswith("Also an emergency"):
            assert "numb" not in p.replace("numb face", "").replace("numbness or changed feeling between", "")


def test_each_group_asks_one_question_and_answers_a_yes_with_its_own_advice_only():
    assert [g.key for g in rf.checklist_groups(False)] == ["emergency", "same-day"]
    assert [g.key for g in rf.checklist_groups(True)] == ["emergency", "same-day", "pregnancy"]
    for group in rf.GROUPS:
        assert group.question.endswith("?") and "\n" not in group.question
        assert group.advice[0] == rf.DO_NOT_STRETCH and rf.HUMILITY in group.advice
    # a fever is "see a doctor today", never emergency services
    same_day = " ".join(rf.SAME_DAY.advice)
    assert "doctor today" in same_day and "emergency" not in same_day.casefold()
    assert "emergency services" in " ".join(rf.EMERGENCY.advice)
    pregnancy = " ".join(rf.PREGNANCY.advice)
    assert "midwife or maternity unit" in pregnancy and "moving less" in pregnancy and "today" in pregnancy
    assert "emergency" not in pregnancy.casefold()
    # several "yes" answers: each group's advice once, most urgent first, humility last
    both = rf.advice_for((rf.SAME_DAY, rf.EMERGENCY))
    assert both.count(rf.DO_NOT_STRETCH) == 1 and both[-1] == rf.HUMILITY
    assert both.index(rf.EMERGENCY.advice[1]) < both.index(rf.SAME_DAY.advice[1])
    assert rf.advice_for(()) == ()


def test_the_check_in_names_what_the_routine_worked_on():
    assert rf.body_words({"neck", "upper-back"}) == "neck"
    assert rf.body_words({"neck", "lower-back"}) == "neck and back"
    assert rf.body_words({"neck"}) == "neck"
    assert rf.body_words({"lower-back", "nerves"}) == "back"


# ---------------------------------------------------------------- session rules


def test_rules_apply_where_they_belong():
    for stretch in CAT.stretches.values():
        rules = stretch_rules(stretch)
        assert (CENTRALIZING_RULE in rules) == ("lumbar-extension" in stretch.movements), stretch.id
        assert (GLIDE_RULE in rules) == ("neural-glide" in stretch.movements), stretch.id
        assert work_cues(stretch)[: len(rules)] == rules  # shown first: the player shows two lines
    assert "3/10" in RULES_SHORT and "bouncing" in RULES_SHORT


def test_the_player_shows_the_rules_at_get_ready_and_the_centralization_cue_on_the_press_up():
    from stretchtui.core.clock import FakeClock
    from stretchtui.core.domain.play_session import PlaySession

    routine = Routine(name="r", items=(RoutineItem("prone-press-up", reps=1), RoutineItem("seated-nerve-slider", reps=1)))
    session = PlaySession(routine, CAT.stretches, Profile(), FakeClock(), None, checklist=False)  # the how-to is its
    steps = build_timeline(routine, CAT.stretches, get_ready=5, between=5).steps
    ready = next(s for s in steps if s.kind == "get-ready")
    assert session.how(ready).startswith(RULES_SHORT)
    hold = next(s for s in steps if s.is_work and s.stretch_id == "prone-press-up")
    assert session.how(hold).startswith(CENTRALIZING_RULE)
    glide = next(s for s in steps if s.is_work and s.stretch_id == "seated-nerve-slider")
    assert session.how(glide).startswith(GLIDE_RULE)


# ---------------------------------------------------------------- pain answers


@pytest.mark.parametrize(
    "before,after,high_before,flag",
    [(7, None, True, None), (6, None, False, None), (None, 6, False, None), (None, 7, False, "high"),
     (8, 9, True, "high"), (8, 10, True, "high"), (3, 5, False, "rose"), (4, 5, False, "rose"),
     (5, 5, False, None), (6, 5, False, None), (3, 4, False, None), (1, 3, False, "rose"), (5, 2, False, None)],
)
def test_pain_answer_boundaries(before, after, high_before, flag):
    """Pain after 7 or more, or 5 or more and higher than before, or 2 above before: answered
    (what to do now, when to see a clinician) and flagged for History (issue 23, item 9)."""
    answer = pain_answer(before, after)
    text = " ".join(answer.lines)
    assert ("gentler routine" in text and "clinician" in text and "before you started" in text) == high_before
    assert answer.flag == flag
    if flag is not None:
        after_line = answer.lines[-1]
        assert "clinician" in after_line and "Marked in your history" in after_line
        assert ("stop stretching for today" in after_line) == (flag == "high")
    else:
        assert len(answer.lines) == int(high_before)


def test_the_high_pain_answer_names_the_flare_routine_it_is_given():
    assert '"Flare: gentle neck relief"' in pain_answer(8, None, flare_routine="Flare: gentle neck relief").lines[0]
    # none suits the user (stenosis: the back flare routine arches the back): no routine named
    plain = pain_answer(8, None, flare_routine=None).lines[0]
    assert '"' not in plain and "gentler routine" in plain and "clinician" in plain


def _recorder(tmp_path):
    routine = Routine(name="r", items=(RoutineItem("pelvic-tilt", reps=1),))
    clock = FakeClock()
    engine = PlayerEngine(build_timeline(routine, CAT.stretches, get_ready=0, between=0), clock)
    store = open_store(tmp_path / "data")
    return store, SessionRecorder(store, routine, engine, CAT.stretches, clock)


def test_a_rise_of_two_is_stored_with_the_session_and_shown_in_history(tmp_path):
    store, recorder = _recorder(tmp_path)
    recorder.start(pain_before=3)
    recorder.stop("stopped", "user", counted=True)
    recorder.set_summary(pain_before=3, pain_after=4)
    [doc] = store.list_sessions()
    assert PAIN_FLAG_KEY not in doc and format_pain(doc) == "3 → 4"  # additive: absent unless it rose
    recorder.set_summary(pain_before=3, pain_after=5)
    [doc] = store.list_sessions()
    assert doc[PAIN_FLAG_KEY] == "rose" and format_pain(doc) == "3 → 5 ▲"
    store.close()


# ---------------------------------------------------------------- plain mode


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _plain(tmp_path, answers: str, conditions=()) -> str:
    from stretchtui.commands.play_cmd import run_plain

    store = open_store(tmp_path / "data")
    out = io.StringIO()
    routine = Routine(name="Neck", items=(RoutineItem("chin-tuck"),))
    try:
        code = run_plain(routine, store, CAT, FakeClock(), Profile(conditions=tuple(conditions)),
                         stdin=_Terminal(answers), stdout=out, stderr=io.StringIO())
    finally:
        store.close()
    assert code == 0
    return out.getvalue()


def test_plain_checklist_asks_one_question_per_group_and_pregnancy_only_when_pregnant(tmp_path):
    # "no" to the emergency group, "yes" to the same-day group: every sign was listed, one
    # question per group, and the answer is the same-day group's advice only (a fever is not an emergency).
    out = _plain(tmp_path, "n\ny\n")
    for text in _all_signs((rf.EMERGENCY, rf.SAME_DAY)):
        assert text in out
    assert out.count("[y/N]") == 2 and "Please do not stretch today." in out
    advice = out[out.index("Please seek care instead"):]

    def said(group: rf.FlagGroup, text: str) -> bool:  # the group's own advice lines (not shared ones)
        return all(line in text for line in group.advice)

    own = [line for line in rf.EMERGENCY.advice if line not in rf.SAME_DAY.advice]
    assert said(rf.SAME_DAY, advice) and not any(line in advice for line in own)
    assert rf.PREGNANCY.urgency not in out
    out = _plain(tmp_path, "y\n")  # the first "yes" ends the checklist with that group's advice
    assert out.count("[y/N]") == 1 and said(rf.EMERGENCY, out[out.index("Please seek care instead"):])
    out = _plain(tmp_path, "n\nn\ny\n", conditions=("pregnancy",))
    assert all(text in out for text in rf.PREGNANCY.texts) and out.count("[y/N]") == 3
    assert said(rf.PREGNANCY, out[out.index("Please seek care instead"):])


def test_plain_high_pain_before_suggests_a_gentler_routine_and_can_stop_there(tmp_path):
    out = _plain(tmp_path, "n\nn\n8\nn\n")  # no to both red-flag groups, pain 8, not now
    # a neck routine: the neck flare routine is the one named (issue 23)
    assert "Pain 8/10 before you started" in out and '"Flare: gentle neck relief"' in out and "clinician" in out
    assert "Not started." in out
    with open_store(tmp_path / "data") as store:
        assert store.list_sessions() == []


def test_the_routine_the_high_pain_answer_names_is_a_starter():
    import re

    named = re.findall(r'"([^"]+)"', pain_answer(9, None).lines[0])
    assert named and all(any(r.name == n for r in CAT.starters) for n in named), named
