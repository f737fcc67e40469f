"""The clinician summary says what a clinician needs (issue 23, item 10): the
conditions and flare, sessions played past an avoid warning, where each
symptom stop happened, only the stretches a session reached, and statuses
that match what happened."""

from __future__ import annotations

from datetime import date

import pytest

from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.models import Profile
from stretchtui.core.domain.session_rules import AVOID_PLAYED_KEY, PAIN_FLAG_KEY
from stretchtui.core.reports.history import clinician_summary
from stretchtui.core.reports.history.report import stop_place
from stretchtui.core.storage.store import open_store
from tests.test_history import item, session

CAT = load_catalog()
TODAY = date(2026, 3, 10)


def _text(docs, profile=None) -> str:
    return clinician_summary(docs, CAT, TODAY, weeks=1, profile=profile)


def test_conditions_and_flare_head_the_summary():
    profile = Profile(conditions=("osteoporosis", "spinal-stenosis"), flare=True, flare_since="2026-03-01T08:00:00")
    text = _text([], profile)
    assert "Conditions in the profile: Osteoporosis / vertebral fracture, Spinal" in text
    assert "stenosis" in text.split("Conditions in the profile:")[1].split("Flare:")[0]
    assert "Flare: on since 2026-03-01" in text
    assert "Flare: off" in _text([], Profile())


def test_sessions_played_past_an_avoid_are_listed_with_those_stretches():
    doc = session("2026-03-09T08:00:00+00:00", routine="Morning stiffness")
    doc[AVOID_PLAYED_KEY] = ["knee-to-chest", "childs-pose"]
    text = _text([doc, session("2026-03-10T08:00:00+00:00")])
    assert "Played despite an avoid warning for their conditions: 1 session" in text
    assert "2026-03-09 08:00 Morning stiffness: Knee to Chest, Child's Pose" in text
    assert "avoid warning" not in _text([session("2026-03-10T08:00:00+00:00")])


def test_each_symptom_stop_says_where_it_happened():
    during = session("2026-03-09T08:00:00+00:00", status="symptoms", stop_reason="symptoms", items=[
        item(), item("cat-cow", "Cat-Cow", sides="none", done={"both": 1}),
        item("childs-pose", "Child's Pose", sides="none", done={"both": 0})])
    assert stop_place(during, CAT) == "during Cat-Cow"
    before = session("2026-03-09T08:00:00+00:00", status="symptoms", stop_reason="symptoms", items=[
        item(), item("cat-cow", "Cat-Cow", sides="none", done={"both": 0})])
    assert stop_place(before, CAT) == "before Cat-Cow"
    answered = session("2026-03-10T08:00:00+00:00", status="symptoms", stop_reason="symptoms", items=[
        {**item(), "response": "spreading"}, item("cat-cow", "Cat-Cow", sides="none", done={"both": 0})])
    assert stop_place(answered, CAT) == "after Knee to Chest"
    text = _text([during, answered])
    assert "2026-03-09 08:00 Morning, during Cat-Cow" in text
    assert "2026-03-10 08:00 Morning, after Knee to Chest" in text


def test_only_reached_stretches_are_counted_per_stretch():
    doc = session("2026-03-09T08:00:00+00:00", status="stopped", items=[
        item(), item("childs-pose", "Child's Pose", sides="none", done={"both": 0}, skipped={"both": 0})])
    text = _text([doc])
    per_stretch = text[text.index("Per stretch reached"):]
    assert "Child's Pose:" not in per_stretch and "0 done, 0 skipped" not in per_stretch
    assert "Planned but never reached: Child's Pose" in per_stretch
    assert "Knee to Chest: " in per_stretch


def test_a_session_with_14_of_25_steps_skipped_is_not_called_completed():
    items = [item("cat-cow", "Cat-Cow", sides="none", done={"both": 11}, skipped={"both": 14})]
    text = _text([session("2026-03-09T08:00:00+00:00", items=items), session("2026-03-10T08:00:00+00:00")])
    assert "Sessions done: 2 (1 completed, 1 finished with steps skipped," in text


def test_sessions_with_high_or_rising_pain_after_are_listed():
    high = session("2026-03-09T08:00:00+00:00", before=4, after=8)
    high[PAIN_FLAG_KEY] = "high"
    text = _text([high, session("2026-03-10T08:00:00+00:00", before=2, after=2)])
    assert "Pain high or rising after the session: 1 session" in text
    assert "2026-03-09 08:00 Morning: pain 4 -> 8" in text


def _cli(data, *args: str):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("STRETCHTUI_DATA_DIR", None)
    return subprocess.run([sys.executable, "-m", "stretchtui", *args, "--data-dir", str(data)],
                          cwd=Path(__file__).resolve().parent.parent, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.timeout(90)
def test_playing_past_an_avoid_is_recorded_and_high_pain_after_is_answered(tmp_path):
    """``play --yes`` past the gate records the avoid stretches on the session; ``--pain 2,8``
    gets more than "Pain now: 8/10": what to do now and when to see a clinician."""
    data = tmp_path / "data"
    assert _cli(data, "profile", "--condition", "osteoporosis").returncode == 0
    proc = _cli(data, "play", "Morning stiffness", "--plain", "--speed", "1000", "--no-checklist", "--yes",
                "--respond", "same", "--pain", "2,8")
    assert proc.returncode == 0, proc.stderr
    assert "Pain now: 8/10 (--pain)." in proc.stdout
    assert "stop stretching for today" in proc.stdout and "see a clinician" in proc.stdout
    with open_store(data) as store:
        [doc] = store.list_sessions()
    assert doc.extra[AVOID_PLAYED_KEY] == ["knee-to-chest", "childs-pose"]
    assert doc.extra[PAIN_FLAG_KEY] == "high"
    text = clinician_summary([doc], CAT, date.fromisoformat(doc.started[:10]), weeks=1)
    assert "Knee to Chest, Child's Pose" in text and "Pain high or rising after the session: 1 session" in text
