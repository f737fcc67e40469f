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
        ("leg weakness or walking getting worse", ("weakness in a leg", "walking that is getting worse")),
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
        ("pain in the upper or mid back", ("upper or middle part of the back",)),
        ("visible deformity", ("shape of your spine",)),
    ],
    "pregnancy": [
        ("bleeding", ("bleeding",)),
        ("fluid leak", ("fluid leaking",)),
        ("painful contractions", ("painful contractions",)),
        ("faintness", ("faint",)),
        ("chest pain", ("pain in the chest",)),
        ("calf pain or swelling", ("pain or swelling in a calf",)),
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
    assert "neck routine" in first and "clumsy hands" in first and "arm or hand" in first
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


# ---------------------------------------------------------------- session rules


def test_rules_apply_where_they_belong():
    for stretch in CAT.stretches.values():
        rules = stretch_rules(stretch)
        assert (CENTRALIZING_RULE in rules) == ("lumbar-extension" in stretch.movements), stretch.id
        assert (GLIDE_RULE in rules) == ("neural-glide" in stretch.movements), stretch.id
        assert work_cues(stretch)[: len(rules)] == rules  # shown first: the player shows two lines
    assert "3/10" in RULES_SHORT and "bouncing" in RULES_SHORT


def test_the_player_shows_the_rules_at_get_ready_and_the_centralization_cue_on_the_press_up():
    from stretchtui.ui.screens.player import PlayerScreen

    routine = Routine(name="r", items=(RoutineItem("prone-press-up", reps=1), RoutineItem("seated-nerve-slider", reps=1)))
    steps = build_timeline(routine, CAT.stretches, get_ready=5, between=5).steps
    ready = next(s for s in steps if s.kind == "get-ready")
    assert PlayerScreen._how(ready, CAT.get("prone-press-up")).startswith(RULES_SHORT)
    hold = next(s for s in steps if s.is_work and s.stretch_id == "prone-press-up")
    assert PlayerScreen._how(hold, CAT.get("prone-press-up")).startswith(CENTRALIZING_RULE)
    glide = next(s for s in steps if s.is_work and s.stretch_id == "seated-nerve-slider")
    assert PlayerScreen._how(glide, CAT.get("seated-nerve-slider")).startswith(GLIDE_RULE)


# ---------------------------------------------------------------- pain answers


@pytest.mark.parametrize(
    "before,after,high,rose",
    [(7, None, True, False), (6, None, False, False), (None, 9, False, False), (8, 9, True, False),
     (8, 10, True, True), (3, 5, False, True), (3, 4, False, False), (5, 2, False, False)],
)
def test_pain_answer_boundaries(before, after, high, rose):
    answer = pain_answer(before, after)
    text = " ".join(answer.lines)
    assert ("gentler routine" in text and "clinician" in text) == high
    assert ("24 hours" in text and "over the next days" in text) == rose
    assert (answer.flag == "rose") == rose


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
    assert PAIN_FLAG_KEY not in doc.extra and format_pain(doc) == "3 → 4"  # additive: absent unless it rose
    recorder.set_summary(pain_before=3, pain_after=5)
    [doc] = store.list_sessions()
    assert doc.extra[PAIN_FLAG_KEY] == "rose" and format_pain(doc) == "3 → 5 ▲"
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


def test_plain_checklist_lists_every_sign_and_pregnancy_only_when_pregnant(tmp_path):
    out = _plain(tmp_path, "y\n")
    for text in _all_signs((rf.EMERGENCY, rf.SAME_DAY)):
        assert text in out
    assert rf.EMERGENCY.urgency in out and rf.SAME_DAY.urgency in out
    assert rf.PREGNANCY.urgency not in out and "Please do not stretch today." in out
    out = _plain(tmp_path, "y\n", conditions=("pregnancy",))
    assert all(text in out for text in rf.PREGNANCY.texts)


def test_plain_high_pain_before_suggests_a_gentler_routine_and_can_stop_there(tmp_path):
    out = _plain(tmp_path, "n\n8\nn\n")
    assert "Pain 8/10 before you started" in out and "Flare: gentle relief" in out and "clinician" in out
    assert "Not started." in out
    with open_store(tmp_path / "data") as store:
        assert store.list_sessions() == []


def test_the_routine_the_high_pain_answer_names_is_a_starter():
    import re

    named = re.findall(r'"([^"]+)"', pain_answer(9, None).lines[0])
    assert named and all(any(r.name == n for r in CAT.starters) for n in named), named
