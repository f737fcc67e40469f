"""The safety gate on the command line: `profile`, `check FILE|NAME` against the
profile, `play NAME` refusing avoid warnings without --yes, and `import`
printing the warnings of what it imported.

Facts used (from the clinical table, stable whatever the rule wording): with
osteoporosis, the starter "Morning stiffness" has avoid-level warnings (knee
to chest and child's pose round the lower back); with no conditions it has
none; with spinal stenosis the prone press-up is an avoid.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from stretchtui.cli import main
from stretchtui.core.domain.models import Profile
from stretchtui.core.storage.store import open_store

REPO = Path(__file__).resolve().parent.parent
MORNING = "Morning stiffness"
WARNING_KEYS = {"level", "rule", "stretch", "items", "conditions", "reason", "alternative"}


@pytest.fixture
def data(tmp_path, monkeypatch) -> Iterator[Path]:
    path = tmp_path / "data"
    monkeypatch.setenv("STRETCHTUI_DATA_DIR", str(path))
    with open(os.devnull) as devnull:
        monkeypatch.setattr(sys, "stdin", devnull)  # no terminal: nothing is asked
        yield path


def set_profile(data: Path, **fields) -> None:
    with open_store(data) as store:
        store.set_profile(Profile(**fields))


def get_profile(data: Path) -> Profile:
    with open_store(data) as store:
        return store.get_profile()


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def routine_file(tmp_path: Path, items, name="Shared routine") -> Path:
    path = tmp_path / "shared.routine.json"
    path.write_text(json.dumps({"stretchtui": "routine", "version": 1, "name": name, "items": items}), "utf-8")
    return path


# ------------------------------------------------------------------ profile


def test_profile_shows_defaults(data, capsys):
    code, out, err = cli(capsys, "profile")
    assert code == 0 and err == ""
    assert "Conditions: none" in out and "Flare: off" in out
    assert "get ready 5 s" in out and "rest between stretches 10 s" in out


def test_profile_sets_conditions_by_id_or_name_and_clears(data, capsys):
    code, out, _ = cli(capsys, "profile", "--condition", "osteoporosis", "Spinal stenosis")
    assert code == 0
    assert get_profile(data).conditions == ("osteoporosis", "spinal-stenosis")
    assert "Osteoporosis" in out and "Spinal stenosis" in out
    code, out, _ = cli(capsys, "profile", "--clear")
    assert code == 0 and get_profile(data).conditions == ()
    assert "Conditions: none" in out


def test_profile_keeps_the_player_settings(data, capsys):
    set_profile(data, get_ready=12, bell=False, seen_notice=True)
    cli(capsys, "profile", "--condition", "pregnancy")
    saved = get_profile(data)
    assert saved.conditions == ("pregnancy",) and saved.get_ready == 12 and saved.bell is False and saved.seen_notice


def test_unknown_condition_suggests_and_changes_nothing(data, capsys):
    set_profile(data, conditions=("sciatica",))
    code, out, err = cli(capsys, "profile", "--condition", "osteoporosis", "osteoporsis")
    assert code == 2 and out == ""
    assert err.startswith("stretchtui: ") and err.count("\n") == 1
    assert "'osteoporsis'" in err and "Did you mean osteoporosis" in err
    assert get_profile(data).conditions == ("sciatica",)


def test_flare_on_records_today_and_off_clears(data, capsys):
    code, out, _ = cli(capsys, "profile", "--flare", "on")
    saved = get_profile(data)
    assert code == 0 and saved.flare is True and saved.flare_since == date.today().isoformat()
    assert f"Flare: on since {date.today().isoformat()}" in out
    cli(capsys, "profile", "--flare", "off")
    saved = get_profile(data)
    assert saved.flare is False and saved.flare_since is None


def test_profile_json(data, capsys):
    set_profile(data, conditions=("osteoporosis",), flare=True, flare_since="2026-01-02")
    code, out, _ = cli(capsys, "profile", "--json")
    doc = json.loads(out)
    assert code == 0
    assert doc["conditions"] == ["osteoporosis"] and doc["flare"] is True and doc["flare_since"] == "2026-01-02"
    assert doc["get_ready"] == 5 and doc["default_rest"] == 10


def test_condition_and_clear_do_not_go_together(data, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["profile", "--condition", "sciatica", "--clear"])
    assert exc.value.code == 2


# ------------------------------------------------------------------ check


def test_check_uses_the_profile_by_default(data, capsys):
    set_profile(data, conditions=("osteoporosis",))
    code, out, _ = cli(capsys, "check", MORNING)
    assert code == 1
    assert "AVOID" in out and "Knee to Chest" in out
    assert "your profile" in out and "Osteoporosis" in out


def test_check_no_profile_and_condition_replace_the_profile(data, capsys, tmp_path):
    set_profile(data, conditions=("osteoporosis",))
    _, out, _ = cli(capsys, "check", MORNING, "--no-profile", "--json")
    doc = json.loads(out)
    assert doc["conditions"] == [] and doc["flare"] is False
    assert not [w for w in doc["warnings"] if w["level"] == "avoid"]

    path = routine_file(tmp_path, [{"stretch": "prone-press-up"}])
    code, out, _ = cli(capsys, "check", path, "--condition", "spinal-stenosis", "--json")
    doc = json.loads(out)
    assert code == 1 and doc["conditions"] == ["spinal-stenosis"]
    avoid = [w for w in doc["warnings"] if w["level"] == "avoid"]
    assert avoid and avoid[0]["stretch"] == "prone-press-up" and avoid[0]["items"] == [1]
    assert "spinal-stenosis" in avoid[0]["conditions"]


def test_check_json_has_exactly_the_documented_shape(data, capsys):
    set_profile(data, conditions=("osteoporosis",), flare=True, flare_since="2026-01-02")
    code, out, _ = cli(capsys, "check", MORNING, "--json")
    doc = json.loads(out)
    assert code == 1
    assert set(doc) == {"routine", "conditions", "flare", "warnings"}
    assert doc["routine"] == MORNING and doc["conditions"] == ["osteoporosis"] and doc["flare"] is True
    assert doc["warnings"]
    starter_len = 6
    for w in doc["warnings"]:
        assert set(w) == WARNING_KEYS
        assert w["level"] in ("avoid", "caution", "info")
        assert isinstance(w["rule"], str) and isinstance(w["reason"], str) and w["reason"]
        assert w["stretch"] is None or isinstance(w["stretch"], str)
        assert all(isinstance(i, int) and 1 <= i <= starter_len for i in w["items"])
        assert isinstance(w["conditions"], list)
        assert w["alternative"] is None or isinstance(w["alternative"], str)
    kinds = {(w["stretch"], w["level"]) for w in doc["warnings"]}
    assert ("knee-to-chest", "avoid") in kinds and ("childs-pose", "avoid") in kinds
    knee = next(w for w in doc["warnings"] if w["stretch"] == "knee-to-chest" and w["level"] == "avoid")
    assert "osteoporosis" in knee["conditions"] and knee["items"] == [3]  # 1-based


def test_check_exit_codes(data, capsys, tmp_path):
    code, _, _ = cli(capsys, "check", "Bone-friendly posture", "--no-profile")
    assert code == 0
    set_profile(data, conditions=("osteoporosis",))
    assert cli(capsys, "check", MORNING)[0] == 1
    code, out, err = cli(capsys, "check", "Mornin stiffness")
    assert code == 2 and out == "" and "Did you mean 'Morning stiffness'" in err
    bad = tmp_path / "bad.routine.json"
    bad.write_text("{", "utf-8")
    code, out, err = cli(capsys, "check", bad)
    assert code == 2 and "bad.routine.json" in err and "Traceback" not in err


def test_check_a_library_routine_by_name_and_stdin(data, capsys, tmp_path, monkeypatch):
    set_profile(data, conditions=("spinal-stenosis",))
    path = routine_file(tmp_path, [{"stretch": "prone-press-up"}], name="Evening")
    assert cli(capsys, "import", path)[0] == 0
    code, out, _ = cli(capsys, "check", "evening", "--json")
    assert code == 1 and json.loads(out)["routine"] == "Evening"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
    code, out, _ = cli(capsys, "check", "-", "--json")
    doc = json.loads(out)
    assert code == 1 and [w["stretch"] for w in doc["warnings"] if w["level"] == "avoid"] == ["prone-press-up"]


def test_check_flare_flag_and_conflicting_flags(data, capsys):
    _, out, _ = cli(capsys, "check", MORNING, "--condition", "disc-herniation", "--flare", "--json")
    doc = json.loads(out)
    assert doc["flare"] is True and doc["conditions"] == ["disc-herniation"]
    code, out, err = cli(capsys, "check", MORNING, "--condition", "sciatica", "--no-profile")
    assert code == 2 and out == "" and "--no-profile" in err


def test_check_unknown_condition_suggests(data, capsys):
    code, out, err = cli(capsys, "check", MORNING, "--condition", "stenosis")
    assert code == 2 and out == "" and "'stenosis'" in err and "spinal-stenosis" in err


# ------------------------------------------------------------------ play and import


def test_play_starter_name_refuses_avoid_warnings_without_yes(data, capsys):
    set_profile(data, conditions=("osteoporosis",))
    code, out, err = cli(capsys, "play", MORNING, "--plain", "--no-checklist")
    assert code == 2
    assert "--yes" in err and err.count("\n") == 1
    avoid_lines = [line for line in out.splitlines() if line.strip().startswith("AVOID:")]
    assert any("Knee to Chest" in line for line in avoid_lines)
    assert any("Child's Pose" in line for line in avoid_lines)
    with open_store(data) as store:
        assert store.list_sessions() == []


def test_play_library_routine_by_name_is_gated_too(data, capsys, tmp_path):
    set_profile(data, conditions=("spinal-stenosis",))
    cli(capsys, "import", routine_file(tmp_path, [{"stretch": "prone-press-up", "hold": 1, "reps": 1}]))
    code, out, _err = cli(capsys, "play", "Shared routine", "--plain", "--no-checklist")
    assert code == 2 and "Prone Press-Up" in out
    code, out, _ = cli(capsys, "play", "Shared routine", "--plain", "--no-checklist", "--yes", "--speed", "1000")
    assert code == 0 and "anyway" in out
    with open_store(data) as store:
        assert [s.status for s in store.list_sessions()] == ["completed"]


def test_play_without_avoid_warnings_just_plays(data, capsys):
    set_profile(data, conditions=())
    code, out, _ = cli(capsys, "play", "Desk neck and upper back", "--plain", "--no-checklist", "--speed", "1000")
    assert code == 0 and "AVOID" not in out


@pytest.mark.timeout(60)
def test_full_screen_play_without_a_terminal_refuses_before_starting(data, tmp_path):
    set_profile(data, conditions=("osteoporosis",))
    env = dict(os.environ, STRETCHTUI_DATA_DIR=str(data))
    result = subprocess.run(
        [sys.executable, "-m", "stretchtui", "play", MORNING, "--no-checklist"],
        cwd=REPO, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
    )
    # The full-screen player needs a terminal: refused first, pointing to --plain.
    assert result.returncode == 2
    assert "--plain" in result.stderr and "Traceback" not in result.stderr
    # --plain without a terminal names each avoid warning and refuses without --yes.
    result = subprocess.run(
        [sys.executable, "-m", "stretchtui", "play", MORNING, "--plain", "--no-checklist"],
        cwd=REPO, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "AVOID" in result.stdout and "--yes" in result.stderr and "Traceback" not in result.stderr


def test_import_prints_the_warnings_for_the_profile(data, capsys, tmp_path):
    set_profile(data, conditions=("osteoporosis",))
    path = routine_file(tmp_path, [{"stretch": "ankle-pumps"}, {"stretch": "childs-pose"}])
    code, out, _ = cli(capsys, "import", path)
    assert code == 0
    assert "imported Shared routine" in out
    line = next(line for line in out.splitlines() if "AVOID" in line)
    assert "Child's Pose" in line and "item 2" in line
    assert "stretchtui check 'Shared routine'" in out

    set_profile(data, conditions=())
    code, out, _ = cli(capsys, "import", routine_file(tmp_path, [{"stretch": "ankle-pumps"}, {"stretch": "bird-dog"}]))
    assert code == 0 and "AVOID" not in out
