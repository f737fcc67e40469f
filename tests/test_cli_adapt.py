"""`stretchtui suggest` and `stretchtui checkin` (sessions seeded through the store, clock injected)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from stretchtui.cli import build_parser, main
from stretchtui.commands import adapt_cmd
from stretchtui.core.clock import FakeClock
from stretchtui.core.domain.checkin import CheckinError
from stretchtui.core.domain.models import Profile, Routine, RoutineItem
from stretchtui.core.storage.routine_file import write_routine_file
from stretchtui.core.storage.store import open_store
from tests.adapt_data import T0, session_doc

ROUTINE = Routine(name="Morning back", items=(RoutineItem("pelvic-tilt"), RoutineItem("knee-to-chest", hold=20)))
ITEMS = (("pelvic-tilt", 5, 10), ("knee-to-chest", 20, 3))


def seed(data_dir, docs=(), routine: Routine | None = ROUTINE, profile: Profile | None = None) -> None:
    store = open_store(data_dir)
    try:
        if routine is not None:
            store.add_routine(routine)
        for doc in docs:
            store.append_session(doc)
        if profile is not None:
            store.set_profile(profile)
    finally:
        store.close()


def three_good(**kw):
    return [session_doc(day, items=ITEMS, **kw) for day in range(3)]


def routine_in(data_dir, name="Morning back"):
    store = open_store(data_dir)
    try:
        return store.get_routine(name)
    finally:
        store.close()


def run(capsys, *argv, clock=None):
    args = build_parser().parse_args(list(argv))
    code = adapt_cmd.run(args, clock=clock or FakeClock(T0 + timedelta(days=3)))
    out = capsys.readouterr()
    return code, out.out, out.err


# ------------------------------------------------------------------ suggest


def test_suggest_prints_one_line_per_item_with_action_and_why(tmp_path, capsys):
    seed(tmp_path, three_good())
    code, out, _ = run(capsys, "suggest", "Morning back", "--data-dir", str(tmp_path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Morning back"
    knee = next(line for line in lines if "Knee to Chest" in line)
    assert knee.split()[0] == "progress"
    assert "(20 s × 3 → 25 s × 3)" in knee and "Ready to progress (hold 20 s → 25 s)" in knee
    assert "Apply these doses with --apply." in out
    assert routine_in(tmp_path).items[1].hold == 20  # nothing written without --apply


def test_suggest_json_has_exactly_the_documented_shape(tmp_path, capsys):
    seed(tmp_path, three_good())
    code, out, _ = run(capsys, "suggest", "Morning back", "--json", "--data-dir", str(tmp_path))
    data = json.loads(out)
    assert code == 0 and set(data) == {"routine", "items"} and data["routine"] == "Morning back"
    knee = data["items"][1]
    assert set(knee) == {"stretch", "action", "hold", "reps", "why"}
    assert knee["stretch"] == "knee-to-chest" and knee["action"] == "progress"
    assert knee["hold"] == {"from": 20, "to": 25} and knee["reps"] == {"from": 3, "to": 3}
    for item in data["items"]:
        assert item["action"] in ("progress", "hold", "back-off", "drop")
        assert all(isinstance(item[k][e], int) for k in ("hold", "reps") for e in ("from", "to"))


def test_apply_writes_the_new_doses_to_the_library_routine(tmp_path, capsys):
    seed(tmp_path, three_good())
    code, out, _ = run(capsys, "suggest", "Morning back", "--apply", "--data-dir", str(tmp_path))
    assert code == 0 and "Saved the new doses to Morning back." in out
    assert routine_in(tmp_path).items[1] == RoutineItem("knee-to-chest", hold=25, reps=3)


def test_apply_with_json_keeps_stdout_pure_json(tmp_path, capsys):
    seed(tmp_path, three_good())
    _code, out, err = run(capsys, "suggest", "Morning back", "--apply", "--json", "--data-dir", str(tmp_path))
    assert json.loads(out)["items"][1]["hold"]["to"] == 25
    assert "Saved the new doses" in err


def test_apply_on_a_file_saves_a_copy_and_leaves_the_file(tmp_path, capsys):
    seed(tmp_path, three_good(), routine=None)
    path = write_routine_file(ROUTINE, tmp_path / "morning.routine.json")
    before = path.read_bytes()
    code, out, _ = run(capsys, "suggest", str(path), "--apply", "--data-dir", str(tmp_path))
    assert code == 0 and path.read_bytes() == before
    assert "Saved the new doses as Morning back (copy) in the library (the file is unchanged)." in out
    assert routine_in(tmp_path, "Morning back (copy)").items[1].hold == 25
    run(capsys, "suggest", str(path), "--apply", "--data-dir", str(tmp_path))
    assert routine_in(tmp_path, "Morning back (copy 2)") is not None  # a distinct name each time


def test_apply_with_nothing_to_change_says_so(tmp_path, capsys):
    seed(tmp_path, three_good()[:2])
    code, out, _ = run(capsys, "suggest", "Morning back", "--apply", "--data-dir", str(tmp_path))
    assert code == 0 and "Nothing to apply" in out
    assert routine_in(tmp_path) == ROUTINE


def test_never_progresses_during_a_flare(tmp_path, capsys):
    seed(tmp_path, three_good(), profile=Profile(flare=True, flare_since="2026-03-01"))
    _, out, _ = run(capsys, "suggest", "Morning back", "--apply", "--data-dir", str(tmp_path))
    assert "progress" not in [line.split()[0] for line in out.splitlines()[1:] if line.startswith("  ")]
    assert "In a flare" in out and routine_in(tmp_path) == ROUTINE


def test_a_drop_names_no_substitute_and_is_not_applied(tmp_path, capsys):
    docs = three_good()
    docs[-1]["items"][1]["response"] = "spreading"
    seed(tmp_path, docs)
    _, out, _ = run(capsys, "suggest", "Morning back", "--apply", "--data-dir", str(tmp_path))
    knee = next(line for line in out.splitlines() if "Knee to Chest" in line)
    assert knee.split()[0] == "drop" and "leave it out and see a clinician" in knee
    assert "safer option" not in knee.lower()
    assert "A drop is not applied" in out
    assert routine_in(tmp_path).items[1] == ROUTINE.items[1]


def test_unknown_routine_is_one_line_exit_2(tmp_path, capsys):
    code = main(["suggest", "No such routine", "--data-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("stretchtui: there is no routine called 'No such routine'")
    assert len(err.strip().splitlines()) == 1


# ------------------------------------------------------------------ checkin


def test_checkin_records_on_the_latest_session_12_to_72_hours_old(tmp_path, capsys):
    seed(tmp_path, three_good())  # the last one ended 2026-03-04 08:10
    clock = FakeClock(T0 + timedelta(days=2, hours=22))
    code, out, _ = run(capsys, "checkin", "worse", "--data-dir", str(tmp_path), clock=clock)
    assert code == 0
    assert out.startswith("Recorded 'worse' for the session Morning back, 2026-03-04 08:00 (21 h ago).")
    store = open_store(tmp_path)
    try:
        stored = [d.checkin.to_doc() if d.checkin else None for d in store.list_sessions()]
    finally:
        store.close()
    assert stored == [None, None, {"answer": "worse", "at": "2026-03-05T06:00:00+00:00"}]
    # ... and the next suggestion backs off
    _, out, _ = run(capsys, "suggest", "Morning back", "--json", "--data-dir", str(tmp_path))
    knee = json.loads(out)["items"][1]
    assert knee["action"] == "back-off" and knee["hold"] == {"from": 20, "to": 15}


@pytest.mark.parametrize("hours,ok", [(11.9, False), (12, True), (72, True), (72.1, False)])
def test_checkin_window_boundaries(tmp_path, capsys, hours, ok):
    seed(tmp_path, [session_doc(0, items=ITEMS)])  # ended T0 + 10 min
    clock = FakeClock(T0 + timedelta(minutes=10, hours=hours))
    if ok:
        assert run(capsys, "checkin", "same", "--data-dir", str(tmp_path), clock=clock)[0] == 0
    else:
        with pytest.raises(CheckinError, match="no session to check in on"):
            run(capsys, "checkin", "same", "--data-dir", str(tmp_path), clock=clock)


def test_checkin_with_none_eligible_exits_2_with_a_clear_message(tmp_path, capsys):
    seed(tmp_path, [session_doc(0, items=ITEMS)])
    code = main(["checkin", "better", "--data-dir", str(tmp_path)])  # real clock: years later
    err = capsys.readouterr().err
    assert code == 2
    assert err == ("stretchtui: no session to check in on: a check-in is for a session that ended 12 to 72 "
                   "hours ago and has none yet.\n")


def test_checkin_is_asked_once_per_session(tmp_path, capsys):
    seed(tmp_path, [session_doc(0, items=ITEMS)])
    clock = FakeClock(T0 + timedelta(hours=20))
    assert run(capsys, "checkin", "better", "--data-dir", str(tmp_path), clock=clock)[0] == 0
    with pytest.raises(CheckinError, match="no session to check in on"):
        run(capsys, "checkin", "same", "--data-dir", str(tmp_path), clock=clock)


def test_an_answered_session_ends_the_questions_about_older_ones(tmp_path, capsys):
    seed(tmp_path, three_good())  # the last two ended 44 h and 20 h before the clock
    clock = FakeClock(T0 + timedelta(days=2, hours=20, minutes=10))
    assert "2026-03-04 08:00" in run(capsys, "checkin", "same", "--data-dir", str(tmp_path), clock=clock)[1]
    with pytest.raises(CheckinError, match="no session to check in on"):
        run(capsys, "checkin", "worse", "--data-dir", str(tmp_path), clock=clock)


def test_checkin_skips_a_newer_session_under_12_hours(tmp_path, capsys):
    seed(tmp_path, [session_doc(0, items=ITEMS), session_doc(1, items=ITEMS)])
    clock = FakeClock(T0 + timedelta(days=1, hours=3))  # the newest is 3 h old, the first 27 h
    _, out, _ = run(capsys, "checkin", "better", "--data-dir", str(tmp_path), clock=clock)
    assert "2026-03-02 08:00 (26 h ago)" in out


def test_checkin_rejects_other_answers():
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["checkin", "spreading"])
    assert exc.value.code == 2


def test_apply_twice_steps_up_once_until_three_sessions_at_the_new_dose(tmp_path, capsys):
    seed(tmp_path, three_good())
    run(capsys, "suggest", "Morning back", "--apply", "--data-dir", str(tmp_path))
    _, out, _ = run(capsys, "suggest", "Morning back", "--apply", "--data-dir", str(tmp_path))
    assert "Nothing to apply" in out and "(0 so far)" in out
    assert routine_in(tmp_path).items[1].hold == 25


def test_suggest_completes_routine_names_and_files(capsys):
    assert main(["completion", "bash"]) == 0
    script = capsys.readouterr().out
    assert "_shtab_stretchtui_suggest_pos_0_COMPGEN=_stretchtui_complete_routines_files" in script
    assert "_shtab_stretchtui_checkin_pos_0_choices=(better same worse)" in script
