"""Reminders: `stretchtui schedule set|show|clear|ics` and `stretchtui due` at each boundary."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from stretchtui.cli import main
from stretchtui.commands import schedule_cmd
from stretchtui.core.clock import FakeClock
from stretchtui.core.storage import schedule as sched
from stretchtui.core.storage.schedule import ScheduleError, parse_days, parse_time
from stretchtui.core.storage.store import open_store

TZ = timezone(timedelta(hours=1))
MONDAY = datetime(2026, 3, 2, tzinfo=TZ)  # a Monday


def at(day: int, hh: int, mm: int = 0) -> datetime:
    return MONDAY + timedelta(days=day, hours=hh, minutes=mm)


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.delenv("STRETCHTUI_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def due(capsys, data, now):
    args = argparse.Namespace(command="due", data_dir=str(data))
    code = schedule_cmd.run(args, clock=FakeClock(now))
    out, err = capsys.readouterr()
    return code, out, err


def add_session(data, started, minutes=10, **extra):
    store = open_store(data)
    try:
        doc = {"schema": 1, "routine": "Morning stiffness", "started": started.isoformat(),
               "ended": (started + timedelta(minutes=minutes)).isoformat() if minutes is not None else None,
               "status": "completed" if minutes is not None else "running", "counted": True,
               "active_seconds": 60.0 * (minutes or 0), "items": []}
        doc.update(extra)
        store.append_session(doc)
    finally:
        store.close()


# ------------------------------------------------------------------ parsing
@pytest.mark.parametrize("text, days", [
    ("mon-fri", (0, 1, 2, 3, 4)), ("mon,wed,fri", (0, 2, 4)), ("sat-sun", (5, 6)),
    ("fri-mon", (0, 4, 5, 6)), ("daily", tuple(range(7))), ("weekends", (5, 6)), ("Tuesday", (1,)),
])
def test_days_are_parsed(text, days):
    assert parse_days(text) == days


@pytest.mark.parametrize("bad", ["", "funday", "mon-xyz"])
def test_bad_days_name_the_flag(bad):
    with pytest.raises(ScheduleError, match="--days"):
        parse_days(bad)


@pytest.mark.parametrize("bad", ["8", "24:00", "08:60", "8am", "08:00:00"])
def test_bad_times_name_the_flag(bad):
    with pytest.raises(ScheduleError, match="--time"):
        parse_time(bad)


# ------------------------------------------------------------------ schedule set / show / clear
def test_set_show_clear_roundtrip(data, capsys):
    code, out, err = run(capsys, "--data-dir", str(data), "schedule", "set", "--days", "mon-fri",
                         "--time", "13:00", "--time", "8:00", "--routine", "morning STIFFNESS")
    assert code == 0, err
    assert "mon-fri at 08:00, 13:00: Morning stiffness" in out  # canonical name, times sorted
    stored = json.loads((data / "schedule.json").read_text())
    assert stored == {"stretchtui": "schedule", "version": 1, "days": ["mon", "tue", "wed", "thu", "fri"],
                      "times": ["08:00", "13:00"], "routine": "Morning stiffness"}
    assert oct((data / "schedule.json").stat().st_mode & 0o777) == "0o600"
    code, out, _ = run(capsys, "--data-dir", str(data), "schedule", "show")
    assert code == 0 and "Reminders: mon-fri at 08:00, 13:00: Morning stiffness" in out
    code, out, _ = run(capsys, "--data-dir", str(data), "schedule", "clear")
    assert code == 0 and "cleared" in out and not (data / "schedule.json").exists()
    code, out, _ = run(capsys, "--data-dir", str(data), "schedule")
    assert code == 0 and "No reminders scheduled" in out


def test_set_unknown_routine_is_refused_and_keeps_the_old_schedule(data, capsys):
    run(capsys, "--data-dir", str(data), "schedule", "set", "--days", "daily", "--time", "09:00")
    before = (data / "schedule.json").read_bytes()
    code, _, err = run(capsys, "--data-dir", str(data), "schedule", "set", "--days", "daily", "--time", "10:00",
                       "--routine", "Morning stiff")
    assert code == 2
    assert err.startswith("stretchtui: --routine: there is no routine called 'Morning stiff'")
    assert "Morning stiffness" in err and "Traceback" not in err
    assert (data / "schedule.json").read_bytes() == before


def test_bad_time_is_one_line_exit_2(data, capsys):
    code, _, err = run(capsys, "--data-dir", str(data), "schedule", "set", "--days", "mon", "--time", "25:00")
    assert code == 2 and err.count("\n") == 1 and "--time: '25:00'" in err


@pytest.mark.parametrize("content, problem", [
    (b"{nope", "is not valid JSON (line 1)"),
    (b'{"stretchtui": "routine"}', "not a stretchtui schedule file"),
    (b'{"stretchtui": "schedule", "version": 1, "days": ["mon"], "times": ["8h"], "routine": null}', '"times"'),
    (b'{"stretchtui": "schedule", "version": 1, "days": ["someday"], "times": ["08:00"]}', '"days"'),
])
def test_bad_schedule_file_is_named_and_not_touched(data, capsys, content, problem):
    data.mkdir()
    (data / "schedule.json").write_bytes(content)
    for argv in (("schedule", "show"), ("due",)):
        code, out, err = run(capsys, "--data-dir", str(data), *argv)
        assert code == 2 and out == ""
        assert err.startswith(f"stretchtui: {data / 'schedule.json'}") and problem in err
        assert "schedule clear" in err and "Traceback" not in err
    assert (data / "schedule.json").read_bytes() == content


# ------------------------------------------------------------------ due at each boundary
@pytest.fixture
def weekday_schedule(data, capsys):
    code, _, err = run(capsys, "--data-dir", str(data), "schedule", "set", "--days", "mon-fri",
                       "--time", "08:00", "--time", "13:00", "--routine", "Morning stiffness")
    assert code == 0, err
    return data


def test_due_nothing_scheduled(data, capsys):
    assert due(capsys, data, at(0, 9)) == (1, "", "")


def test_due_before_the_first_slot_is_silent(weekday_schedule, capsys):
    assert due(capsys, weekday_schedule, at(0, 7, 59)) == (1, "", "")


def test_due_at_and_after_the_slot_with_no_sessions(weekday_schedule, capsys):
    code, out, err = due(capsys, weekday_schedule, at(0, 8))
    assert (code, err) == (0, "")
    assert out == ("Time to stretch: Morning stiffness — no sessions yet. "
                   "Run: stretchtui play 'Morning stiffness'\n")


def test_due_says_when_the_last_session_was(weekday_schedule, capsys):
    add_session(weekday_schedule, at(-4, 8))  # the Thursday before
    code, out, _ = due(capsys, weekday_schedule, at(0, 8, 30))
    assert code == 0
    assert out == ("Time to stretch: Morning stiffness — last session 4 days ago. "
                   "Run: stretchtui play 'Morning stiffness'\n")
    add_session(weekday_schedule, at(-1, 20))
    assert "last session yesterday" in due(capsys, weekday_schedule, at(0, 8, 30))[1]


def test_a_session_after_the_slot_answers_it_until_the_next_slot(weekday_schedule, capsys):
    add_session(weekday_schedule, at(0, 8, 5))
    assert due(capsys, weekday_schedule, at(0, 8, 20)) == (1, "", "")
    assert due(capsys, weekday_schedule, at(0, 12, 59))[0] == 1
    code, out, _ = due(capsys, weekday_schedule, at(0, 13))  # the next slot
    assert code == 0 and "last session earlier today" in out


def test_a_session_just_before_the_slot_answers_it(weekday_schedule, capsys):
    add_session(weekday_schedule, at(0, 7, 20), minutes=10)  # ended 07:30: within the grace
    assert due(capsys, weekday_schedule, at(0, 8, 1))[0] == 1
    add_session(weekday_schedule, at(0, 12, 0), minutes=10)  # ended 12:10: too early for 13:00
    assert due(capsys, weekday_schedule, at(0, 13, 1))[0] == 0


def test_not_counted_sessions_do_not_answer_and_running_ones_do(weekday_schedule, capsys):
    add_session(weekday_schedule, at(0, 8, 10), counted=False)
    assert due(capsys, weekday_schedule, at(0, 9))[0] == 0
    add_session(weekday_schedule, at(0, 8, 30), minutes=None)  # still running (started after the slot)
    assert due(capsys, weekday_schedule, at(0, 9))[0] == 1


def test_no_reminders_on_days_off(weekday_schedule, capsys):
    assert due(capsys, weekday_schedule, at(5, 14)) == (1, "", "")  # Saturday


def test_due_without_a_routine_opens_the_app(data, capsys):
    run(capsys, "--data-dir", str(data), "schedule", "set", "--days", "daily", "--time", "06:00")
    code, out, _ = due(capsys, data, at(0, 6))
    assert code == 0 and out == "Time to stretch — no sessions yet. Run: stretchtui\n"


def test_due_quotes_names_for_the_shell(data, capsys):
    data.mkdir()
    (data / "schedule.json").write_text(json.dumps({"stretchtui": "schedule", "version": 1, "days": ["mon"],
                                                    "times": ["08:00"], "routine": "Bob's \x1b[31mneck"}))
    code, out, _ = due(capsys, data, at(0, 9))
    assert code == 0 and "\x1b" not in out
    assert out.rstrip().endswith("""Run: stretchtui play 'Bob'"'"'s [31mneck'""")


# ------------------------------------------------------------------ year files (F9)
def test_a_session_dated_in_the_future_does_not_silence_due(weekday_schedule, capsys):
    add_session(weekday_schedule, at(-1, 9))
    add_session(weekday_schedule, MONDAY.replace(year=2030))  # a wrong clock, or a hand edit
    assert sorted(p.name for p in weekday_schedule.glob("sessions-*.json")) == [
        "sessions-2026.json", "sessions-2030.json"]
    code, out, _ = due(capsys, weekday_schedule, at(0, 9))
    assert code == 0 and "last session yesterday" in out


def test_a_future_session_in_this_years_file_does_not_silence_due_and_counts_once_it_is_past(
        weekday_schedule, capsys):
    add_session(weekday_schedule, at(-2, 9))
    add_session(weekday_schedule, at(30, 9))  # next month, same year file
    code, out, _ = due(capsys, weekday_schedule, at(0, 9))
    assert code == 0 and "last session 2 days ago" in out
    # the cache remembers when that session stops being in the future
    assert due(capsys, weekday_schedule, at(30, 9, 20))[0] == 1


def test_due_finds_the_last_session_in_an_older_year_file(weekday_schedule, capsys):
    add_session(weekday_schedule, datetime(2025, 12, 31, 20, 0, tzinfo=TZ))
    now = datetime(2026, 1, 1, 9, 0, tzinfo=TZ)  # a Thursday: the 2026 file does not exist yet
    code, out, _ = due(capsys, weekday_schedule, now)
    assert code == 0 and "last session yesterday" in out


def test_due_reads_no_pipe_or_link_in_a_sessions_file_place(weekday_schedule, capsys, tmp_path):
    """Whatever year it is named for, a pipe or link in a sessions file's place is named, never read
    (a reader that opened the pipe would hang the shell prompt)."""
    weekday_schedule.mkdir(exist_ok=True)
    for name in ("sessions-2026.json", "sessions-2031.json"):
        os.mkfifo(weekday_schedule / name)
        code, _out, err = due(capsys, weekday_schedule, at(0, 9))
        assert code == 2 and f"{name} is a pipe" in err and "Traceback" not in err
        os.unlink(weekday_schedule / name)
    os.symlink("/dev/zero", weekday_schedule / "sessions-2026.json")
    code, _out, err = due(capsys, weekday_schedule, at(0, 9))
    assert code == 2 and "sessions-2026.json" in err and "link" in err


# ------------------------------------------------------------------ the cache
def test_due_reads_the_cache_while_the_database_is_unchanged(weekday_schedule, capsys, monkeypatch):
    add_session(weekday_schedule, at(-2, 9))
    assert due(capsys, weekday_schedule, at(0, 9))[0] == 0  # first call scans and caches
    cache = json.loads((weekday_schedule / "due-cache.json").read_text())
    assert cache["started"] == at(-2, 9).isoformat()

    def no_scan(raw):  # pragma: no cover - fails the test if reached
        raise AssertionError("the database was parsed although it did not change")

    monkeypatch.setattr(sched, "scan_last_session", no_scan)
    code, out, _ = due(capsys, weekday_schedule, at(0, 9))
    assert code == 0 and "2 days ago" in out
    monkeypatch.undo()
    add_session(weekday_schedule, at(0, 8, 30))  # the database changes: the cache is stale
    assert due(capsys, weekday_schedule, at(0, 9))[0] == 1


def test_a_stale_or_broken_cache_is_never_believed(weekday_schedule, capsys):
    add_session(weekday_schedule, at(0, 8, 10))
    (weekday_schedule / "due-cache.json").write_text("{broken")
    assert due(capsys, weekday_schedule, at(0, 9))[0] == 1
    (weekday_schedule / "due-cache.json").write_text(json.dumps({"stamp": [1, 2, 3], "started": None, "done": None}))
    assert due(capsys, weekday_schedule, at(0, 9))[0] == 1


def test_due_never_imports_textual_or_tinydb(weekday_schedule, tmp_path):
    code = (
        "import sys; from stretchtui.cli import main; rc = main(['--data-dir', sys.argv[1], 'due']);"
        "bad = [m for m in ('textual', 'tinydb', 'rich') if m in sys.modules]; print(bad); sys.exit(rc)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(weekday_schedule)], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr


# ------------------------------------------------------------------ ics
def test_ics_parses_back_as_weekly_events(weekday_schedule, capsys):
    from icalendar import Calendar

    code, out, err = run(capsys, "--data-dir", str(weekday_schedule), "schedule", "ics", "-o", "rem.ics")
    assert code == 0, err
    assert "Wrote rem.ics (2 weekly events)" in out
    cal = Calendar.from_ical((weekday_schedule.parent / "rem.ics").read_bytes())
    assert str(cal["version"]) == "2.0" and cal.get("prodid")
    events = list(cal.walk("VEVENT"))
    assert [e.decoded("dtstart").strftime("%H:%M") for e in events] == ["08:00", "13:00"]
    for event in events:
        assert str(event["summary"]) == "Stretch: Morning stiffness"
        assert event.decoded("dtstart").tzinfo is None  # floating: 08:00 wherever you are
        assert event.decoded("dtstart").weekday() < 5
        rule: Any = event["rrule"]  # a vRecur: a dict of lists
        assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]
        assert timedelta(minutes=5) <= event.decoded("duration") <= timedelta(minutes=20)  # the routine's length
        assert "stretchtui play 'Morning stiffness'" in str(event["description"])
        assert list(event.walk("VALARM"))
    assert len({str(e["uid"]) for e in events}) == 2


def test_ics_to_stdout_and_refuses_to_overwrite_other_files(weekday_schedule, capsys, tmp_path):
    code, out, _ = run(capsys, "--data-dir", str(weekday_schedule), "schedule", "ics")
    assert code == 0 and out.startswith("BEGIN:VCALENDAR") and out.count("BEGIN:VEVENT") == 2
    notes = tmp_path / "notes.txt"
    notes.write_text("precious")
    code, _, err = run(capsys, "--data-dir", str(weekday_schedule), "schedule", "ics", "-o", str(notes))
    assert code == 2 and "not a calendar file" in err and notes.read_text() == "precious"
    again = tmp_path / "again.ics"
    assert run(capsys, "--data-dir", str(weekday_schedule), "schedule", "ics", "-o", str(again))[0] == 0
    assert run(capsys, "--data-dir", str(weekday_schedule), "schedule", "ics", "-o", str(again))[0] == 0


def test_ics_without_a_schedule_says_how(data, capsys):
    code, _, err = run(capsys, "--data-dir", str(data), "schedule", "ics")
    assert code == 2 and "schedule set" in err
    assert not os.path.exists(data / "schedule.json")
