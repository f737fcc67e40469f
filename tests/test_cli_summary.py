"""``stretchtui summary [--weeks N] --data-dir D`` prints the clinician summary."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from stretchtui.cli import build_parser, main
from stretchtui.commands import summary_cmd
from stretchtui.core.clock import FakeClock
from stretchtui.core.storage.store import open_store
from tests.test_history import EXPECTED_SUMMARY, summary_data

ROOT = Path(__file__).resolve().parent.parent
TODAY = datetime(2026, 3, 10, 18, 0, tzinfo=timezone.utc)


def seed(data_dir: Path, docs) -> None:
    store = open_store(data_dir)
    try:
        for doc in docs:
            store.append_session(doc)
    finally:
        store.close()


def test_summary_prints_the_exact_text_for_a_fixed_history(tmp_path, capsys):
    seed(tmp_path, summary_data())
    args = build_parser().parse_args(["summary", "--weeks", "4", "--data-dir", str(tmp_path)])
    assert summary_cmd.run(args, clock=FakeClock(TODAY)) == 0
    out = capsys.readouterr().out
    # the command adds the profile's conditions and flare under the period
    period_end = EXPECTED_SUMMARY.index("\n", EXPECTED_SUMMARY.index("Period:")) + 1
    expected = (EXPECTED_SUMMARY[:period_end] + "Conditions in the profile: none ticked\nFlare: off\n"
                + EXPECTED_SUMMARY[period_end:])
    assert out == expected


def test_summary_weeks_changes_the_period(tmp_path, capsys):
    seed(tmp_path, summary_data())
    args = build_parser().parse_args(["summary", "--weeks", "1", "--data-dir", str(tmp_path)])
    summary_cmd.run(args, clock=FakeClock(TODAY))
    out = capsys.readouterr().out
    assert "Period: 2026-03-04 to 2026-03-10 (last 1 week)" in out
    assert "Sessions done: 2 (1 completed, 1 finished with steps skipped, 0 stopped\n    early but kept)" in out


def test_summary_on_an_empty_data_dir_through_main(tmp_path, capsys):
    assert main(["summary", "--data-dir", str(tmp_path / "new")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Stretching summary from stretchtui\n")
    assert "Sessions done: 0" in out


def test_summary_rejects_bad_weeks_without_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "stretchtui", "summary", "--weeks", "0", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--weeks" in result.stderr


def test_summary_includes_the_profiles_psfs_trend(tmp_path, capsys):
    seed(tmp_path, summary_data())
    assert main(["psfs", "add", "Tie my shoelaces", "3", "--data-dir", str(tmp_path)]) == 0
    capsys.readouterr()
    args = build_parser().parse_args(["summary", "--data-dir", str(tmp_path)])
    assert summary_cmd.run(args, clock=FakeClock(TODAY)) == 0
    out = capsys.readouterr().out
    assert "Activities (PSFS, 0 = unable to 10 = as before the problem):\n  Tie my shoelaces: 3 on " in out
    assert "(rated once)" in out
