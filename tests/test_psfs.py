"""PSFS (Patient-Specific Functional Scale): the core rules and ``stretchtui psfs``."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from stretchtui.cli import build_parser, main
from stretchtui.commands import psfs_cmd
from stretchtui.core.clock import FakeClock
from stretchtui.core.domain import psfs
from stretchtui.core.domain.models import Profile
from stretchtui.core.storage.store import open_store

ROOT = Path(__file__).resolve().parent.parent
D1, D2, D3 = date(2026, 3, 1), date(2026, 3, 8), date(2026, 3, 15)


# ---------------------------------------------------------------- core


def test_add_cleans_the_text_and_keeps_a_dated_rating():
    acts = psfs.add_activity((), "  Tie my \x1b]0;x\x07 shoelaces\t", 4, D1)
    assert acts == (psfs.PsfsActivity("Tie my ]0;x shoelaces", (psfs.PsfsRating(D1, 4),)),)


@pytest.mark.parametrize("score", [-1, 11, "11", "4.5", "four", "", True, None, 3.0])
def test_scores_outside_0_to_10_whole_numbers_are_refused(score):
    with pytest.raises(psfs.PsfsError, match="whole number from 0"):
        psfs.add_activity((), "walk the dog", score, D1)


@pytest.mark.parametrize("score,value", [(0, 0), (10, 10), (" 7 ", 7), ("0", 0)])
def test_the_ends_of_the_scale_are_accepted(score, value):
    assert psfs.add_activity((), "walk the dog", score, D1)[0].latest == psfs.PsfsRating(D1, value)


def test_empty_and_too_long_activities_are_refused():
    with pytest.raises(psfs.PsfsError, match="describe it"):
        psfs.add_activity((), " \x1b ", 3, D1)
    psfs.add_activity((), "x" * psfs.MAX_ACTIVITY_LENGTH, 3, D1)
    with pytest.raises(psfs.PsfsError, match="too long"):
        psfs.add_activity((), "x" * (psfs.MAX_ACTIVITY_LENGTH + 1), 3, D1)


def test_duplicates_are_refused_case_insensitively_and_at_most_five():
    acts: tuple[psfs.PsfsActivity, ...] = ()
    for n in range(5):
        acts = psfs.add_activity(acts, f"Activity {n}", n, D1)
    with pytest.raises(psfs.PsfsError, match="at most 5"):
        psfs.add_activity(acts, "a sixth one", 3, D1)
    with pytest.raises(psfs.PsfsError, match="'Activity 2' is already listed"):
        psfs.add_activity(acts[:4], "  ACTIVITY   2", 3, D1)


def test_rating_again_keeps_history_and_the_same_day_replaces():
    acts = psfs.add_activity((), "Sit through a film", 3, D1)
    acts = psfs.rate_activity(acts, "sit through a FILM", 5, D2)
    acts = psfs.rate_activity(acts, "sit through a film", 6, D2)
    assert [(r.day, r.score) for r in acts[0].ratings] == [(D1, 3), (D2, 6)]
    assert acts[0].first.score == 3 and acts[0].latest.score == 6


def test_rating_or_removing_an_unknown_activity_names_the_known_ones():
    acts = psfs.add_activity((), "Sit through a film", 3, D1)
    with pytest.raises(psfs.PsfsError, match="'run' is not in your PSFS list; the activities are 'Sit"):
        psfs.rate_activity(acts, "run", 3, D2)
    with pytest.raises(psfs.PsfsError, match="add one first"):
        psfs.remove_activity((), "run")
    assert psfs.remove_activity(acts, "SIT THROUGH A FILM") == ()


def test_rerate_is_due_seven_days_after_the_latest_rating_of_any_activity():
    acts = psfs.add_activity((), "a", 3, D1)
    acts = psfs.add_activity(acts, "b", 3, D2)
    assert not psfs.needs_rerate((), D3)
    assert not psfs.needs_rerate(acts, date(2026, 3, 14))  # 6 days after the latest
    assert psfs.needs_rerate(acts, D3)  # 7 days


def test_old_profiles_read_as_no_activities_and_bad_entries_are_dropped():
    assert Profile.from_dict({"conditions": []}).psfs == ()
    stored = {"psfs": [
        {"activity": "Garden", "ratings": [{"date": "2026-03-08", "score": 6}, {"date": "2026-03-01", "score": 2},
                                           {"date": "bad", "score": 3}, {"date": "2026-03-02", "score": 12},
                                           {"date": "20260303", "score": 1}, "x"]},
        {"activity": "garden", "ratings": []},  # duplicate
        {"activity": "", "ratings": []},
        "not an entry",
        {"activity": "Drive", "ratings": None},
    ]}
    acts = Profile.from_dict(stored).psfs
    assert [a.activity for a in acts] == ["Garden", "Drive"]
    assert [(r.day.isoformat(), r.score) for r in acts[0].ratings] == [("2026-03-01", 2), ("2026-03-08", 6)]
    assert Profile.from_dict({"psfs": "nonsense"}).psfs == ()


def test_the_profile_round_trips_through_the_store(tmp_path):
    acts = psfs.rate_activity(psfs.add_activity((), "Garden", 2, D1), "garden", 5, D2)
    with open_store(tmp_path) as store:
        store.set_profile(Profile(conditions=("sciatica",), psfs=acts))
    with open_store(tmp_path) as store:
        profile = store.get_profile()
    assert profile.psfs == acts and profile.conditions == ("sciatica",)


# ---------------------------------------------------------------- CLI


def _run(tmp_path, argv, today=D1):
    args = build_parser().parse_args([*argv, "--data-dir", str(tmp_path)])
    now = datetime(today.year, today.month, today.day, 9, 0, tzinfo=timezone.utc)
    return psfs_cmd.run(args, clock=FakeClock(now))


def test_cli_add_rate_and_list_as_json(tmp_path, capsys):
    assert _run(tmp_path, ["psfs", "add", "Tie my shoelaces", "4"]) == 0
    assert capsys.readouterr().out == 'Added "Tie my shoelaces": 4/10 on 2026-03-01\n'
    assert _run(tmp_path, ["psfs", "rate", "tie my shoelaces", "7"], today=D2) == 0
    assert capsys.readouterr().out == 'Rated "Tie my shoelaces": 7/10 on 2026-03-08 (first 4/10 on 2026-03-01, +3)\n'
    assert _run(tmp_path, ["psfs", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "activities": [{"activity": "Tie my shoelaces", "ratings": [
            {"date": "2026-03-01", "score": 4}, {"date": "2026-03-08", "score": 7}]}],
        "next_rating_due": "2026-03-15",
    }
    assert _run(tmp_path, ["psfs"]) == 0
    out = capsys.readouterr().out
    assert '  "Tie my shoelaces": 7/10 on 2026-03-08 (first 4/10 on 2026-03-01, +3)' in out
    assert "Rate them again from 2026-03-15" in out


def test_cli_lists_nothing_in_a_new_data_dir_without_creating_it(tmp_path, capsys):
    assert main(["psfs", "--json", "--data-dir", str(tmp_path / "new")]) == 0
    assert json.loads(capsys.readouterr().out) == {"activities": [], "next_rating_due": None}
    assert main(["psfs", "--data-dir", str(tmp_path / "new")]) == 0
    assert 'stretchtui psfs add "tie my shoelaces" 4' in capsys.readouterr().out
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("argv,message", [
    (["psfs", "add", "Garden", "11"], "stretchtui: score: '11' is not a whole number from 0"),
    (["psfs", "add", "garden", "3"], "stretchtui: activity: 'Garden' is already listed"),
    (["psfs", "rate", "Run", "3"], "stretchtui: activity: 'Run' is not in your PSFS list"),
    (["psfs", "add", "   ", "3"], "stretchtui: activity: describe it"),
])
def test_cli_errors_are_one_line_exit_2_and_change_nothing(tmp_path, argv, message):
    assert main(["psfs", "add", "Garden", "2", "--data-dir", str(tmp_path)]) == 0
    with open_store(tmp_path) as store:
        before = store.get_profile()
    result = subprocess.run(
        [sys.executable, "-m", "stretchtui", *argv, "--data-dir", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    with open_store(tmp_path) as store:
        assert store.get_profile() == before


def test_cli_remove(tmp_path, capsys):
    _run(tmp_path, ["psfs", "add", "Garden", "2"])
    assert _run(tmp_path, ["psfs", "remove", "GARDEN"]) == 0
    assert capsys.readouterr().out.endswith('Removed "Garden" and its ratings.\n')
    with open_store(tmp_path) as store:
        assert store.get_profile().psfs == ()


def test_from_list_is_linear_and_keeps_the_one_at_a_time_meaning():
    """Profile building (F7): 20,000 ratings used to copy the list once per rating (68 s).
    The result must stay what adding them one at a time gives: one a day, the last wins, oldest first."""
    import random
    from datetime import date, timedelta

    from stretchtui.core.domain import psfs as p

    rng = random.Random(7)
    start = date(2000, 1, 1)
    items = [{"date": (start + timedelta(days=rng.randrange(400))).isoformat(), "score": rng.randrange(11)}
             for _ in range(1000)]
    one_at_a_time: tuple = ()
    for item in items:
        one_at_a_time = p._with_rating(one_at_a_time, p._rating(item))
    (activity,) = p.from_list([{"activity": "Walk", "ratings": items}])
    assert activity.ratings == one_at_a_time

    calls = []
    real = p._with_rating
    def counted(*a):
        calls.append(a)
        return real(*a)

    p._with_rating = counted  # the quadratic path is not taken
    try:
        big = [{"date": (start + timedelta(days=i)).isoformat(), "score": i % 11} for i in range(20_000)]
        (activity,) = p.from_list([{"activity": "Walk", "ratings": big}])
    finally:
        p._with_rating = real
    assert len(activity.ratings) == 20_000 and calls == []
