"""One session reader: the same stored document reads the same through every command.

A stored session is read once, by ``Session.from_doc`` (the store returns
sessions); every reader after it (``history``, ``--csv``, ``--json``,
``summary``, ``suggest``, the app's History) shows the same values. Also: the
order of sessions started within the same second, and session ids written in
any UUID form.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from stretchtui.cli import main
from stretchtui.commands import adapt_cmd
from stretchtui.core.clock import FakeClock
from stretchtui.core.domain.checkin import eligible_checkin
from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.core.domain.progression import records_for, suggest_routine
from stretchtui.core.domain.session import Session, canonical_session_id
from stretchtui.core.storage.store import open_store
from tests.adapt_data import T0, session_doc

#: The document from the issue: a pain score out of range, numbers written as floats.
ODD = {"pain_before": 12, "pain_after": 3.0, "steps_done": 2.0, "steps_total": 4.0}


def _odd_doc() -> dict:
    doc = session_doc(0, items=(("knee-to-chest", 20.0, 3),))
    doc.update(ODD)
    return doc


def _seed(data, docs) -> None:
    with open_store(data) as store:
        for doc in docs:
            store.append_session(doc)


def test_the_one_reading_of_out_of_range_and_float_numbers():
    s = Session.from_doc(_odd_doc())
    assert (s.pain_before, s.pain_after, s.steps_done, s.steps_total) == (None, 3, 2, 4)
    assert s.items[0].hold == 20 and isinstance(s.items[0].hold, int)
    # only whole numbers: 3.5, "3", true and NaN read as missing, never as something near them
    for bad in (3.5, "3", True, float("nan"), -1, 11):
        assert Session.from_doc({"pain_after": bad}).pain_after is None


def test_the_store_and_every_command_read_it_the_same(tmp_path, capsys):
    data = tmp_path / "data"
    _seed(data, [_odd_doc()])
    with open_store(data) as store:
        [s] = store.list_sessions()
        assert (s.pain_before, s.pain_after, s.steps_done) == (None, 3, 2)
        # suggest reads the same sessions: the records it judges by hold these scores
        [record] = records_for("knee-to-chest", adapt_cmd.stored_sessions(store))
        assert (record.pain_before, record.pain_after) == (None, 3)

    assert main(["history", "--data-dir", str(data)]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert "2/4 steps" in line and "12" not in line.split("Morning back")[1]

    assert main(["history", "--csv", "--data-dir", str(data)]) == 0
    [row] = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert (row["pain_before"], row["pain_after"], row["steps_done"], row["steps_total"]) == ("", "3", "2", "4")

    assert main(["history", "--json", "--data-dir", str(data)]) == 0
    exported = capsys.readouterr().out
    [doc] = json.loads(exported)["sessions"]
    assert (doc["pain_before"], doc["pain_after"], doc["steps_done"]) == (None, 3, 2)
    # ... and what it exports imports back into an empty folder, reading the same
    path = tmp_path / "history.json"
    path.write_text(exported, "utf-8")
    assert main(["history", "import", str(path), "--data-dir", str(tmp_path / "other")]) == 0
    capsys.readouterr()
    with open_store(tmp_path / "other") as store:
        [again] = store.list_sessions()
    assert (again.pain_before, again.pain_after, again.steps_done) == (None, 3, 2)

    from stretchtui.cli import build_parser
    from stretchtui.commands import summary_cmd

    args = build_parser().parse_args(["summary", "--data-dir", str(data)])
    assert summary_cmd.run(args, clock=FakeClock(T0 + timedelta(days=1))) == 0
    summary = capsys.readouterr().out
    assert "pain - -> 3.0" in summary and "12" not in summary.split("Week by week")[1].split("Per stretch")[0]


# ---------------------------------------------------------------- the same second


def _same_second(responses) -> list[dict]:
    docs = []
    for response in responses:
        doc = session_doc(0, items=(("knee-to-chest", 20, 3),), response=response, start=T0)
        docs.append(doc)
    return docs


def test_sessions_recorded_within_the_same_second_keep_their_order(tmp_path):
    """Three sessions started in the same second (same, same, worse): the latest is "worse",
    every time, however the files list them."""
    routine = Routine(name="Morning back", items=(RoutineItem("knee-to-chest", hold=20),))
    actions = set()
    for run in range(5):
        data = tmp_path / f"data{run}"
        _seed(data, _same_second(["same", "same", "worse"]))
        with open_store(data) as store:
            sessions = store.list_sessions()
        assert [s.number for s in sessions] == [1, 2, 3]
        # whatever order they arrive in, the order key puts the last recorded first
        for shuffled in (sessions, sessions[::-1], [sessions[1], sessions[2], sessions[0]]):
            [latest, *_] = records_for("knee-to-chest", shuffled)
            assert latest.response == "worse"
            plan = suggest_routine(routine, _catalog(), shuffled)
            actions.add(plan.items[0].suggestion.action)
    assert actions == {"back-off"}


def test_the_check_in_asks_about_the_last_recorded_of_two_that_ended_together(tmp_path):
    data = tmp_path / "data"
    _seed(data, [session_doc(0, routine="First", start=T0), session_doc(0, routine="Second", start=T0)])
    with open_store(data) as store:
        sessions = store.list_sessions()
    for order in (sessions, sessions[::-1]):
        number, session = eligible_checkin(order, T0 + timedelta(hours=20))
        assert session.routine == "Second" and number == 2


def _catalog():
    from stretchtui.core.domain.catalog import load_catalog

    return load_catalog()


# ---------------------------------------------------------------- ids in any UUID form

CANONICAL = "be30d6d6-4051-402b-a62e-a4c24e900287"
HEX = "be30d6d64051402ba62ea4c24e900287"


def test_any_uuid_text_form_is_one_id():
    forms = [CANONICAL, HEX, CANONICAL.upper(), HEX.upper(), "{" + CANONICAL + "}", "urn:uuid:" + CANONICAL]
    assert {canonical_session_id(f) for f in forms} == {HEX}
    for bad in ("be30d6d6", "", None, 5, "g" * 32, HEX + "0"):
        assert canonical_session_id(bad) is None


def _history_file(path, sid: str) -> None:
    doc = session_doc(0)
    doc["id"] = sid
    path.write_text(json.dumps({"stretchtui": "history", "version": 2, "sessions": [doc]}), "utf-8")


def test_history_import_takes_every_uuid_form_and_stores_one(tmp_path, capsys):
    data = tmp_path / "data"
    forms = [CANONICAL, CANONICAL.upper(), "{" + CANONICAL + "}", "urn:uuid:" + CANONICAL, HEX]
    for n, form in enumerate(forms):
        path = tmp_path / f"h{n}.json"
        _history_file(path, form)
        assert main(["history", "import", str(path), "--data-dir", str(data)]) == 0, capsys.readouterr().err
        out = capsys.readouterr().out
        # the first adds it; every other form is the same session, skipped
        assert out.startswith("imported 1 session" if n == 0 else "imported 0 sessions"), out
    with open_store(data) as store:
        [s] = store.list_sessions()
    assert s.id == HEX
    raw = (data / "sessions-2026.json").read_text("utf-8")
    assert HEX in raw and CANONICAL not in raw


def test_a_session_id_that_is_no_uuid_is_refused_naming_the_field(tmp_path, capsys):
    path = tmp_path / "h.json"
    _history_file(path, "be30d6d6-nope")
    assert main(["history", "import", str(path), "--data-dir", str(tmp_path / "d")]) != 0
    err = capsys.readouterr().err
    assert "sessions[0].id" in err and "UUID" in err and "Traceback" not in err


def test_the_json_schema_takes_the_same_forms():
    from importlib import resources

    import jsonschema

    schema = json.loads(resources.files("stretchtui").joinpath("history.schema.json").read_text())
    for form in (CANONICAL, HEX, CANONICAL.upper(), "{" + CANONICAL + "}", "urn:uuid:" + CANONICAL):
        doc = session_doc(0)
        doc["id"] = form
        jsonschema.validate({"stretchtui": "history", "version": 2, "sessions": [doc]}, schema)
    doc = session_doc(0)
    doc["id"] = "{" + CANONICAL
    with __import__("pytest").raises(jsonschema.ValidationError):
        jsonschema.validate({"stretchtui": "history", "version": 2, "sessions": [doc]}, schema)
    assert canonical_session_id("{" + CANONICAL) is None
