"""`stretchtui play --plain --respond ... --pain B,A`: the per-stretch prompt and flare mode without a terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from stretchtui.cli import main
from stretchtui.core.domain.models import Profile
from stretchtui.core.domain.session import Session
from stretchtui.core.storage.store import open_store

REPO = Path(__file__).resolve().parent.parent


def _play(data: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("STRETCHTUI_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "stretchtui", "play", *args, "--plain", "--speed", "1000", "--no-checklist",
         "--data-dir", str(data)],
        cwd=REPO, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
    )


def _sessions(data: Path) -> list[Session]:
    with open_store(data) as store:
        return store.list_sessions()


@pytest.mark.timeout(60)
def test_respond_and_pain_answer_every_question_without_a_terminal(tmp_path):
    data = tmp_path / "data"
    proc = _play(data, "Morning stiffness", "--respond", "same", "--pain", "2,1")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Pain right now: 2/10 (--pain)." in out and "Pain now: 1/10 (--pain)." in out
    # a line prompt after each stretch, answered at once; the last one after the session
    assert out.count("How did ") == 6 and out.count("→ same (--respond)") == 6
    assert "How did Child's Pose feel? → same (--respond)" in out
    assert "4 spreading (symptoms moving down an arm or leg, or new numbness, tingling or weakness)" in out
    assert "flare" not in out.casefold()  # pain 2: no flare offer
    [doc] = _sessions(data)
    assert doc.status == "completed" and (doc.pain_before, doc.pain_after) == (2, 1)
    assert [i.response for i in doc.items] == ["same"] * 6


@pytest.mark.timeout(60)
def test_respond_spreading_stops_the_session_naming_the_stretch(tmp_path):
    data = tmp_path / "data"
    proc = _play(data, "Morning stiffness", "--respond", "spreading", "--pain", "3,5")
    assert proc.returncode == 0, proc.stderr
    assert "Stopped: symptoms spreading after Ankle Pumps." in proc.stdout
    assert "Pelvic Tilt — move" not in proc.stdout  # nothing after the stop
    [doc] = _sessions(data)
    assert (doc.status, doc.stop_reason) == ("symptoms", "symptoms")
    assert doc.note == "Symptoms spread after Ankle Pumps."
    assert [i.response for i in doc.items] == ["spreading"] + [None] * 5
    assert doc.extra["pain_flag"] == "rose"  # 3 -> 5


@pytest.mark.timeout(60)
def test_high_pain_before_plays_the_flare_version_without_a_terminal(tmp_path):
    data = tmp_path / "data"
    proc = _play(data, "Morning stiffness", "--respond", "better", "--pain", "8,6")
    assert proc.returncode == 0, proc.stderr
    assert "Pain 8/10 before you started" in proc.stdout
    assert "Playing the flare version (no terminal to ask)." in proc.stdout
    assert "While you stretch: Flare day" in proc.stdout
    [doc] = _sessions(data)
    assert doc.extra["flare_version"] is True and doc.status == "completed"
    # no conditions: every stretch stays, at its catalog minimum (knee to chest 10 s x 2)
    assert [(i.stretch, i.hold, i.reps) for i in doc.items][2] == ("knee-to-chest", 10, 2)


@pytest.mark.timeout(60)
def test_the_profiles_flare_leaves_out_stretches_with_a_flare_warning(tmp_path):
    data = tmp_path / "data"
    with open_store(data) as store:
        store.set_profile(Profile(conditions=("disc-herniation",), flare=True))
    proc = _play(data, "Morning stiffness", "--yes", "--respond", "same", "--pain", "3,3")
    assert proc.returncode == 0, proc.stderr
    assert "Your profile says you are in a flare." in proc.stdout
    # Flexion is an avoid in a flare of disc herniation; twisting and cat-cow are cautions, and the
    # flare version keeps only what the advice gate may offer during a flare.
    assert "leaves out Knee to Chest, Lower Trunk Rotation, Cat-Cow, Child's Pose" in proc.stdout
    [doc] = _sessions(data)
    assert [i.stretch for i in doc.items] == ["ankle-pumps", "pelvic-tilt"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--plain", "--respond", "fine"], "--respond takes better, same, worse, spreading or central, not 'fine'."),
        (["--plain", "--pain", "3"], "--pain takes BEFORE,AFTER: two whole numbers from 0 to 10"),
        (["--plain", "--pain", "3,11"], "not '3,11'"),
        (["--plain", "--pain=-1,2"], "not '-1,2'"),
        (["--plain", "--pain", "2,"], "not '2,'"),
        (["--respond", "same"], "--respond and --pain answer the questions of --plain mode; add --plain."),
    ],
)
def test_bad_flags_are_one_line_errors(tmp_path, capsys, args, message):
    code = main(["play", "Morning stiffness", *args, "--data-dir", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.startswith("stretchtui: ") and err.count("\n") == 1
    assert not (tmp_path / "data").exists()  # refused before anything was opened


def test_flags_are_in_the_help(capsys):
    with pytest.raises(SystemExit):
        main(["play", "--help"])
    out = capsys.readouterr().out
    assert "--respond better|same|worse|spreading" in out and "--pain BEFORE,AFTER" in out


def test_history_json_carries_the_responses(tmp_path, capsys):
    data = tmp_path / "data"
    proc = _play(data, "Morning stiffness", "--respond", "worse", "--pain", "2,2")
    assert proc.returncode == 0, proc.stderr
    assert main(["history", "--json", "--data-dir", str(data)]) == 0
    [session] = json.loads(capsys.readouterr().out)["sessions"]
    assert {i["response"] for i in session["items"]} == {"worse"}


@pytest.mark.parametrize("respond", ["same", "spreading"])
def test_every_stretch_is_answered_when_one_update_runs_to_the_end(tmp_path, monkeypatch, respond):
    """At --speed (or on a busy machine) one update can pass several stretches and the end: each is still asked."""
    import io

    from stretchtui.commands import play_cmd
    from stretchtui.core.clock import FakeClock
    from stretchtui.core.domain.catalog import load_catalog

    catalog = load_catalog()
    routine = next(r for r in catalog.starters if r.name == "Morning stiffness")
    clock = FakeClock()
    monkeypatch.setattr(play_cmd.time, "sleep", lambda seconds: clock.advance(10_000))  # the whole session at once
    out = io.StringIO()
    with open_store(tmp_path / "data") as store:
        code = play_cmd.run_plain(routine, store, catalog, clock, Profile(), checklist=False, respond=respond,
                                  pain=(2, 1), stdin=io.StringIO(), stdout=out, stderr=io.StringIO())
        [doc] = store.list_sessions()
    assert code == 0
    if respond == "same":
        assert doc.status == "completed" and [i.response for i in doc.items] == ["same"] * 6
    else:  # the first answer already: a symptom stop naming it, recorded on that stretch
        assert doc.status == "symptoms" and doc.note.startswith("Symptoms spread after Ankle Pumps.")
        assert doc.items[0].response == "spreading"
