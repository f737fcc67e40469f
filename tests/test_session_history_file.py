"""The session model (core.session), history files and `stretchtui history import`."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date
from importlib import resources
from typing import Any

import jsonschema
import pytest

from stretchtui.cli import main
from stretchtui.core.domain import session as S
from stretchtui.core.storage.history_file import (
    HistoryFileError,
    history_to_json,
    parse_history_text,
)
from stretchtui.core.storage.store import open_store

SCHEMA = json.loads(resources.files("stretchtui").joinpath("history.schema.json").read_text())

OLD: dict[str, Any] = {  # a schema-1 session as recorded before sessions had ids
    "schema": 1, "routine": "Morning", "started": "2026-03-02T08:00:00+01:00",
    "ended": "2026-03-02T08:05:00+01:00", "status": "completed", "counted": True, "stop_reason": None,
    "active_seconds": 300.0, "planned_seconds": 300, "steps_done": 6, "steps_skipped": 0, "steps_total": 6,
    "pain_before": 4, "pain_after": 3, "note": "felt ok",
    "items": [{"stretch": "cat-cow", "name": "Cat-Cow", "mode": "reps", "hold": 5, "reps": 6,
               "sides": None, "rest": 10, "done": {"both": 6}, "skipped": {"both": 0}}],
}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _no_env(monkeypatch, tmp_path):
    monkeypatch.delenv("STRETCHTUI_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)


# ------------------------------------------------------------------ model
def test_status_table_is_the_one_source_of_labels():
    from stretchtui.core.reports import history

    assert {k: s.label for k, s in S.STATUSES.items()} == history.STATUS_LABELS
    assert S.session_title("symptoms", 3) == S.STATUSES["symptoms"].title
    assert S.status_info("nonsense").key == "interrupted" and S.status_info(None).label == "interrupted"
    assert S.STATUSES["running"].label == "unfinished" and "running" in S.UNFINISHED_STATUSES


def test_a_session_skipped_to_its_end_is_not_called_complete(tmp_path, capsys):
    """Skipping every step reaches the end ("completed" in the record) but nothing was done:
    the heading says so, in plain mode as in the app's summary (same function)."""
    assert S.session_title("completed", 12) == "Session complete"
    assert S.session_title("completed", 0) == S.ALL_SKIPPED_TITLE
    assert S.session_title("stopped", 0) == "Session stopped"
    code = main(["--data-dir", str(tmp_path), "play", "Flare: gentle relief", "--plain", "--no-checklist",
                 "--speed", "1000", "--respond", "same", "--pain", "2,2"])
    out = capsys.readouterr().out
    assert code == 0 and "Session complete:" in out and S.ALL_SKIPPED_TITLE not in out


def test_old_sessions_get_the_same_id_on_every_machine():
    one, two = S.Session.from_doc(OLD), S.Session.from_doc(json.loads(json.dumps(OLD)))
    assert one.id == two.id and S.is_session_id(one.id)
    # closing or annotating the session later does not change its id
    assert S.Session.from_doc(dict(OLD, note="later", status="stopped")).id == one.id
    # another session (other start) has another id
    assert S.Session.from_doc(dict(OLD, started="2026-03-02T08:00:01+01:00")).id != one.id
    # a stored id wins
    sid = S.new_session_id()
    assert S.Session.from_doc(dict(OLD, uuid=sid)).id == sid


def test_from_doc_to_doc_round_trip_keeps_unknown_fields_and_migrates_schema_0():
    doc = dict(OLD, worse_after=True)
    doc["items"] = [dict(OLD["items"][0], cue_seen=2)]
    session = S.Session.from_doc(doc)
    out = session.to_doc()
    assert out["worse_after"] is True and out["items"][0]["cue_seen"] == 2
    assert out["schema"] == S.SESSION_SCHEMA and out["uuid"] == session.id
    assert S.Session.from_doc(out) == session  # stable
    old0 = S.Session.from_doc({"routine": "R", "started": "2025-01-01T00:00:00+00:00", "duration": 60})
    assert old0.active_seconds == 60.0 and old0.status == "interrupted" and "duration" not in old0.extra


def test_new_sessions_get_a_random_id_that_survives_updates(tmp_path):
    store = open_store(tmp_path / "d")
    n = store.append_session(dict(OLD, schema=1))
    sid = store.get_session(n).id
    store.update_session(n, dict(OLD, note="changed"))  # the recorder rewrites the whole document
    assert S.is_session_id(sid) and store.get_session(n).id == sid
    assert sid != S.derived_session_id(OLD)


# ------------------------------------------------------------------ export / import
def _play_like(store, n=2):
    for i in range(n):
        store.append_session(dict(OLD, started=f"2026-03-0{i + 1}T08:00:00+01:00"))


def test_export_validates_against_the_schema_and_import_twice_gives_the_same_history(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    with open_store(a) as store:
        _play_like(store)
    # plus one session stored before ids existed (no uuid): written raw
    with open_store(a) as store:
        with store._write(store._year_file(2026)) as db:  # the year file (see core.store)
            db.table("sessions", cache_size=0).insert(dict(OLD, started="2026-02-01T08:00:00+01:00"))
    code, out, _ = run(capsys, "history", "--json", "--data-dir", str(a))
    assert code == 0
    exported = json.loads(out)
    jsonschema.validate(exported, SCHEMA)
    assert [s["started"][:10] for s in exported["sessions"]] == ["2026-02-01", "2026-03-01", "2026-03-02"]
    (tmp_path / "h.json").write_text(out)

    code, out, _ = run(capsys, "history", "import", str(tmp_path / "h.json"), "--data-dir", str(b))
    assert code == 0 and out == f"imported 3 sessions from {tmp_path / 'h.json'}; 0 already in the history (skipped)\n"
    code, out, _ = run(capsys, "history", "import", str(tmp_path / "h.json"), "--data-dir", str(b))
    assert code == 0 and "imported 0 sessions" in out and "3 already in the history" in out
    # and back into the machine it came from: nothing new (old session's derived id matches too)
    code, out, _ = run(capsys, "--data-dir", str(a), "history", "import", str(tmp_path / "h.json"))
    assert code == 0 and "imported 0 sessions" in out

    _, again, _ = run(capsys, "history", "--json", "--data-dir", str(b))
    strip = lambda d: {k: v for k, v in d.items() if k != "exported"}  # noqa: E731
    assert strip(json.loads(again)) == strip(exported)
    code, text, _ = run(capsys, "history", "--data-dir", str(b))
    assert code == 0 and len(text.splitlines()) == 3


def test_history_options_still_parse_with_the_import_subcommand(tmp_path, capsys):
    d = str(tmp_path / "d")
    assert run(capsys, "history", "--data-dir", d)[1] == "No sessions recorded yet.\n"
    assert run(capsys, "history", "--csv", "--data-dir", d)[1].startswith("id,routine,")
    assert json.loads(run(capsys, "--data-dir", d, "history", "--json")[1])["sessions"] == []


def _file(tmp_path, data, name="h.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def _valid():
    doc = S.Session.from_doc(OLD).to_doc()
    doc["id"] = doc.pop("uuid")
    return {"stretchtui": "history", "version": 1, "sessions": [doc]}


@pytest.mark.parametrize("change, path, words", [
    (lambda d: d.update(extra=1), "extra", "unknown key"),
    (lambda d: d.update(version=4), "version", "newer stretchtui"),
    (lambda d: d.update(stretchtui="routine"), "", "this is a routine file, not a history file"),
    (lambda d: d.update(stretchtui="other"), "", "not a stretchtui history file"),
    (lambda d: d["sessions"][0].update(pain_after=11), "sessions[0].pain_after", "out of range"),
    (lambda d: d["sessions"][0].update(pain_after="3"), "sessions[0].pain_after", "whole number"),
    (lambda d: d["sessions"][0].update(status="done"), "sessions[0].status", "unknown status"),
    (lambda d: d["sessions"][0].update(id="42"), "sessions[0].id", "not a session id"),
    (lambda d: d["sessions"][0].pop("started"), "sessions[0].started", "missing"),
    (lambda d: d["sessions"][0].update(started="yesterday"), "sessions[0].started", "UTC offset"),
    (lambda d: d["sessions"][0]["items"][0].update(done={"up": 1}), "sessions[0].items[0].done.up", "unknown side"),
    (lambda d: d["sessions"].append(dict(d["sessions"][0])), "sessions[1].id", "same id"),
    (lambda d: d["sessions"][0].update(note="x" * 2001), "sessions[0].note", "2000"),
])
def test_bad_history_files_name_file_and_field_and_write_nothing(tmp_path, capsys, change, path, words):
    data = _valid()
    change(data)
    jsonschema_ok = True
    try:
        jsonschema.validate(data, SCHEMA)
    except jsonschema.ValidationError:
        jsonschema_ok = False
    assert not jsonschema_ok or path.endswith(".id")  # the schema agrees (except the cross-session rule)
    f = _file(tmp_path, data)
    d = tmp_path / "d"
    code, out, err = run(capsys, "history", "import", str(f), "--data-dir", str(d))
    assert code == 2 and out == "" and err.startswith(f"stretchtui: {f}: ")
    assert path in err and words in err and "Nothing was imported" in err
    assert open_store(d).list_sessions() == []


def test_duplicate_keys_nan_size_and_non_regular_files_are_refused(tmp_path, capsys):
    d = str(tmp_path / "d")
    dup = _file(tmp_path, '{"stretchtui": "history", "version": 1, "version": 1, "sessions": []}')
    assert "appears more than once" in run(capsys, "history", "import", str(dup), "--data-dir", d)[2]
    nan = _file(tmp_path, json.dumps(_valid()).replace('"active_seconds": 300.0', '"active_seconds": NaN'))
    assert "NaN is not allowed" in run(capsys, "history", "import", str(nan), "--data-dir", d)[2]
    cut = _file(tmp_path, json.dumps(_valid())[:-10])
    assert "not valid JSON" in run(capsys, "history", "import", str(cut), "--data-dir", d)[2]
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code, _, err = run(capsys, "history", "import", str(fifo), "--data-dir", d)
    assert code == 2 and "not a regular file" in err
    assert run(capsys, "history", "import", str(tmp_path), "--data-dir", d)[2].endswith("Nothing was imported.\n")


def test_imported_text_is_cleaned(tmp_path):
    data = _valid()
    data["sessions"][0]["routine"] = "Evil\x1b]0;pwned\x07 \x9b31m"
    data["sessions"][0]["note"] = "note\x1b[2J"
    [session] = parse_history_text(json.dumps(data))
    assert session.routine == "Evil]0;pwned 31m" and session.note == "note[2J"


def test_version_1_files_still_import_and_version_2_carries_responses_and_checkins(tmp_path):
    """A file written before responses/check-ins existed reads; the new fields round-trip."""
    old = {"stretchtui": "history", "version": 1, "sessions": [{
        "id": "0" * 31 + "1", "schema": 2, "routine": "Old", "started": "2026-01-01T08:00:00+00:00",
        "status": "completed", "items": [{"stretch": "cat-cow", "done": {"both": 3}}]}]}
    [s] = parse_history_text(json.dumps(old))
    assert s.items[0].response is None and s.checkin is None
    new = json.loads(history_to_json([s], "2026-11-29T08:00:00+00:00"))
    new["sessions"][0]["items"][0]["response"] = "spreading"
    new["sessions"][0]["checkin"] = {"answer": "worse", "at": "2026-01-02T09:00:00+00:00"}
    assert new["version"] == 3
    [s2] = parse_history_text(json.dumps(new))
    assert s2.items[0].response == "spreading" and s2.checkin is not None and s2.checkin.answer == "worse"
    new["sessions"][0]["items"][0]["response"] = "awful"
    with pytest.raises(HistoryFileError, match=r"items\[0\]\.response"):
        parse_history_text(json.dumps(new))


# ------------------------------------------------------------------ PSFS in the history file (version 3)
def _with_psfs(data_dir, *activities):
    from stretchtui.core.domain import psfs

    acts: tuple[psfs.PsfsActivity, ...] = ()
    for text, ratings in activities:
        (day, score), *rest = ratings
        acts = psfs.add_activity(acts, text, score, date.fromisoformat(day))
        for day, score in rest:
            acts = psfs.rate_activity(acts, text, score, date.fromisoformat(day))
    with open_store(data_dir) as store:
        store.set_profile(replace(store.get_profile(), psfs=acts))


def _psfs(data_dir):
    with open_store(data_dir) as store:
        return [(a.activity, [(r.day.isoformat(), r.score) for r in a.ratings]) for a in store.get_profile().psfs]


def test_psfs_ratings_travel_with_the_history_and_merge_on_import(tmp_path, capsys):
    """`history --json` carries the PSFS; importing it elsewhere adds the ratings to that profile."""
    a, b = tmp_path / "a", tmp_path / "b"
    with open_store(a) as store:
        _play_like(store)
    _with_psfs(a, ("Tie my shoelaces", [("2026-02-01", 3), ("2026-02-08", 5)]),
               ("Sit through a film", [("2026-02-01", 4)]))
    code, out, _ = run(capsys, "history", "--json", "--data-dir", str(a))
    exported = json.loads(out)
    jsonschema.validate(exported, SCHEMA)
    assert exported["version"] == 3
    assert exported["psfs"][0] == {"activity": "Tie my shoelaces",
                                   "ratings": [{"date": "2026-02-01", "score": 3}, {"date": "2026-02-08", "score": 5}]}
    f = _file(tmp_path, out)
    # b already rates one of them (another day, and one day in common: b's own rating stays)
    _with_psfs(b, ("tie my SHOELACES", [("2026-02-08", 6), ("2026-02-15", 7)]))
    code, out, _ = run(capsys, "history", "import", str(f), "--data-dir", str(b))
    assert code == 0 and "PSFS: added 2 ratings (2 activities in your profile)" in out
    assert _psfs(b) == [("tie my SHOELACES", [("2026-02-01", 3), ("2026-02-08", 6), ("2026-02-15", 7)]),
                        ("Sit through a film", [("2026-02-01", 4)])]
    code, out, _ = run(capsys, "history", "import", str(f), "--data-dir", str(b))
    assert "imported 0 sessions" in out and "PSFS: added 0 ratings" in out  # twice: nothing new


def test_a_full_psfs_list_says_which_activities_were_left_out(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    _with_psfs(a, ("Lift a shopping bag", [("2026-02-01", 2)]))
    _with_psfs(b, *[(f"Activity {n}", [("2026-02-01", 5)]) for n in range(5)])
    code, out, _ = run(capsys, "history", "--json", "--data-dir", str(a))
    code, out, _ = run(capsys, "history", "import", str(_file(tmp_path, out)), "--data-dir", str(b))
    assert code == 0 and "not added" in out and "'Lift a shopping bag'" in out and "psfs remove" in out
    assert len(_psfs(b)) == 5


@pytest.mark.parametrize("change, path, words", [
    (lambda d: d["psfs"].append(dict(d["psfs"][0])), "psfs[1].activity", "same activity as psfs[0]"),
    (lambda d: d["psfs"][0]["ratings"].append({"date": "2026-02-01", "score": 2}), "psfs[0].ratings[1].date",
     "second rating on 2026-02-01"),
    (lambda d: d["psfs"][0]["ratings"][0].update(score=11), "psfs[0].ratings[0].score", "0 to 10"),
    (lambda d: d["psfs"][0]["ratings"][0].update(date="1 Feb"), "psfs[0].ratings[0].date", "not a date"),
    (lambda d: d["psfs"][0].update(activity=""), "psfs[0].activity", "describe it"),
    (lambda d: d["psfs"][0].update(extra=1), "psfs[0].extra", "unknown key"),
    (lambda d: d["psfs"].extend({"activity": f"A{n}", "ratings": []} for n in range(5)), "psfs", "too many"),
    (lambda d: d.update(version=2), "psfs", "version 2 history file has no PSFS"),
])
def test_bad_psfs_in_a_history_file_names_the_field_and_imports_nothing(tmp_path, capsys, change, path, words):
    data = _valid()
    data.update(version=3, psfs=[{"activity": "Tie my shoelaces", "ratings": [{"date": "2026-02-01", "score": 3}]}])
    change(data)
    f = _file(tmp_path, data)
    d = tmp_path / "d"
    code, out, err = run(capsys, "history", "import", str(f), "--data-dir", str(d))
    assert code == 2 and out == "" and path in err and words in err and "Nothing was imported" in err
    assert open_store(d).list_sessions() == [] and _psfs(d) == []


def test_psfs_that_cannot_be_saved_says_the_sessions_are_in(tmp_path, capsys, monkeypatch):
    """A profile write that fails (disk full, read-only) after the sessions landed: say so, exit 2."""
    from stretchtui.core.storage.store import Store, StoreError

    a, b = tmp_path / "a", tmp_path / "b"
    with open_store(a) as store:
        _play_like(store)
    _with_psfs(a, ("Tie my shoelaces", [("2026-02-01", 3)]))
    _, out, _ = run(capsys, "history", "--json", "--data-dir", str(a))
    f = _file(tmp_path, out)

    def full(self, profile):
        raise StoreError("no space left on the device")

    monkeypatch.setattr(Store, "set_profile", full)
    code, out, err = run(capsys, "history", "import", str(f), "--data-dir", str(b))
    assert code == 2 and "imported 2 sessions" in out
    assert "the sessions were imported, but the PSFS ratings were not saved: no space left" in err
    assert "Traceback" not in err
    monkeypatch.undo()
    assert len(open_store(b).list_sessions()) == 2 and _psfs(b) == []
    code, out, _ = run(capsys, "history", "import", str(f), "--data-dir", str(b))  # again, once fixed
    assert code == 0 and "PSFS: added 1 rating" in out and _psfs(b) == [("Tie my shoelaces", [("2026-02-01", 3)])]
