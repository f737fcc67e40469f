"""``play --plain`` on a real terminal (tmux, 80x24): the pain question, the 1-4 keys after a stretch,
the line prompt for the last stretch, all typed as a person would."""

from __future__ import annotations

import json
from pathlib import Path

from stretchtui.core.domain.session import RESPONSES
from tests.e2e.test_tmux import Tmux, sessions, stretchtui_command, term  # noqa: F401  (term is a fixture)


def test_plain_mode_on_a_terminal_asks_after_each_stretch(term: Tmux, tmp_path: Path):  # noqa: F811
    routine = tmp_path / "two.routine.json"
    routine.write_text(json.dumps({"stretchtui": "routine", "version": 1, "name": "Two", "items": [
        {"stretch": "pelvic-tilt", "hold": 3, "reps": 1}, {"stretch": "cat-cow", "hold": 5, "reps": 1}]}))
    data = tmp_path / "data"
    term.start([*stretchtui_command(), "play", str(routine), "--plain", "--speed", "5", "--no-checklist",
                "--data-dir", str(data)])
    term.wait_for("Pain right now, 0-10 (Enter to skip):")
    term.type("2")
    term.keys("Enter")
    term.wait_for("How did Pelvic Tilt feel? 1 better", timeout=30)
    term.type("1")
    term.wait_for("→ better", timeout=10)
    term.wait_for("How did Cat-Cow feel?", timeout=30)  # the last one: asked after the session
    term.wait_for(f"1-{len(RESPONSES)} (Enter to skip):", timeout=10)  # one digit per answer
    term.type("3")
    term.keys("Enter")
    term.wait_for("Pain now, 0-10", timeout=10)
    term.type("1")
    term.keys("Enter")
    term.wait_for("A note for your history", timeout=10)
    term.keys("Enter")
    term.wait_for("Saved in your history.", timeout=10)
    assert term.wait_exit() == 0
    [doc] = sessions(data)
    assert doc["status"] == "completed" and (doc["pain_before"], doc["pain_after"]) == (2, 1)
    assert [i["response"] for i in doc["items"]] == ["better", "worse"]


def test_plain_mode_asks_each_red_flag_group_then_pain_then_plays(term: Tmux, tmp_path: Path):  # noqa: F811
    """The checklist on (the default): one [y/N] question per group, then pain, then the steps."""
    routine = tmp_path / "one.routine.json"
    routine.write_text(json.dumps({"stretchtui": "routine", "version": 1, "name": "One", "items": [
        {"stretch": "pelvic-tilt", "hold": 3, "reps": 2}]}))
    data = tmp_path / "data"
    term.start([*stretchtui_command(), "play", str(routine), "--plain", "--speed", "5", "--data-dir", str(data)])
    screen = term.wait_for("Do you have any of these emergency signs? [y/N]")
    assert "doctor today?" not in screen  # one group at a time
    term.type("n")
    term.keys("Enter")
    screen = term.wait_for("need a doctor today? [y/N]", timeout=10)
    assert "Pain right now" not in screen and "[1/2]" not in screen  # pain comes after every group, steps after pain
    term.type("n")
    term.keys("Enter")
    screen = term.wait_for("Pain right now, 0-10 (Enter to skip):", timeout=10)
    assert "[1/2]" not in screen and "get ready" not in screen
    term.type("2")
    term.keys("Enter")
    term.wait_for("[1/2] Pelvic Tilt", timeout=30)
    term.wait_for("How did Pelvic Tilt feel?", timeout=30)  # the only stretch: asked after the session
    term.keys("Enter")
    term.wait_for("Pain now, 0-10", timeout=10)
    term.keys("Enter")
    term.wait_for("A note for your history", timeout=10)
    term.keys("Enter")
    term.wait_for("Saved in your history.", timeout=10)
    assert term.wait_exit() == 0
    [doc] = sessions(data)
    assert doc["status"] == "completed" and doc["pain_before"] == 2


def test_plain_mode_a_yes_gives_that_groups_advice_and_records_nothing(term: Tmux, tmp_path: Path):  # noqa: F811
    data = tmp_path / "data"
    term.start([*stretchtui_command(), "play", "Morning stiffness", "--plain", "--data-dir", str(data)])
    term.wait_for("Do you have any of these emergency signs? [y/N]")
    term.type("n")
    term.keys("Enter")
    term.wait_for("need a doctor today? [y/N]", timeout=10)
    term.type("y")
    term.keys("Enter")
    screen = term.wait_for("a clinician can.", timeout=10)
    advice = screen[screen.index("Please seek care instead"):]
    assert "See a doctor today" in advice and "emergency services" not in advice
    assert term.wait_exit() == 0
    assert sessions(data) == []
