"""Symptom memory from the command line and in the store: `play --plain --respond spreading`
marks the stretch; `check`, the play gate and `suggest` say so; `stretchtui symptoms` lists
and clears the marks; the store marks played and imported sessions alike."""

from __future__ import annotations

import json

import pytest

from stretchtui.cli import main
from stretchtui.core.domain.symptoms import SymptomMark, marks_in, new_marks, stop_index
from stretchtui.core.storage.store import open_store
from tests.adapt_data import session_doc

DESK = "Desk neck and upper back"


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _marks(data_dir) -> list[tuple[str, str]]:
    store = open_store(data_dir)
    try:
        return [(m.stretch, m.how) for m in store.symptom_marks()]
    finally:
        store.close()


@pytest.fixture
def spread(tmp_path, capsys):
    """A data dir in which `play --plain --respond spreading` stopped Desk neck at its first stretch."""
    d = str(tmp_path)
    code, out, _ = _run(capsys, "play", DESK, "--plain", "--no-checklist", "--speed", "1000",
                        "--respond", "spreading", "--pain", "2,3", "--data-dir", d)
    assert code == 0, out
    return d


def test_a_spreading_answer_marks_the_stretch_and_symptoms_lists_it(spread, capsys):
    assert _marks(spread) == [("shoulder-rolls", "spreading")]
    code, out, _ = _run(capsys, "symptoms", "--data-dir", spread)
    assert code == 0
    assert "Shoulder Rolls" in out and "answered 'symptoms spreading' after it" in out
    assert "stretchtui symptoms clear STRETCH|all" in out
    code, out, _ = _run(capsys, "symptoms", "--json", "--data-dir", spread)
    data = json.loads(out)
    assert list(data) == ["marks"]
    [mark] = data["marks"]
    assert mark["stretch"] == "shoulder-rolls" and mark["how"] == "spreading" and mark["name"] == "Shoulder Rolls"
    assert len(mark["date"]) == 10 and mark["date"][4] == "-"


def test_check_play_and_suggest_say_so(spread, capsys):
    code, out, _ = _run(capsys, "check", DESK, "--data-dir", spread)
    assert code == 1
    assert "AVOID (1)" in out and "Symptoms spread with Shoulder Rolls on 20" in out
    assert "Instead:" not in out.split("AVOID (1)")[1].split("\n\n")[0]  # no substitute named
    code, out, _ = _run(capsys, "check", DESK, "--json", "--data-dir", spread)
    [w] = [w for w in json.loads(out)["warnings"] if w["rule"] == "symptoms"]
    assert w["level"] == "avoid" and w["stretch"] == "shoulder-rolls" and w["items"] == [1]
    assert w["alternative"] is None and "see a clinician" in w["reason"] and "On 20" in w["reason"]
    # without the profile, the mark is not applied (it belongs to the user, like the conditions)
    code, out, _ = _run(capsys, "check", DESK, "--no-profile", "--data-dir", spread)
    assert code == 0 and "Symptoms spread" not in out
    # the play gate names it and refuses without a terminal
    code, out, _err = _run(capsys, "play", DESK, "--plain", "--no-checklist", "--data-dir", spread)
    assert code == 2 and "Symptoms spread with Shoulder Rolls" in out
    # suggest: drop, no substitute
    code, out, _ = _run(capsys, "suggest", DESK, "--data-dir", spread)
    line = next(x for x in out.splitlines() if "Shoulder Rolls" in x)
    assert line.split()[0] == "drop" and "leave it out and see a clinician" in line


def test_clear_by_name_by_id_and_all(spread, capsys):
    code, out, _ = _run(capsys, "symptoms", "clear", "shoulder rolls", "--data-dir", spread)
    assert code == 0 and "Cleared the symptom mark of Shoulder Rolls" in out
    assert _marks(spread) == []
    code, out, _ = _run(capsys, "check", DESK, "--data-dir", spread)
    assert code == 0 and "Symptoms spread" not in out
    code, out, _ = _run(capsys, "symptoms", "clear", "shoulder-rolls", "--data-dir", spread)
    assert code == 0 and "is not marked: nothing to clear" in out
    code, out, _ = _run(capsys, "symptoms", "clear", "all", "--data-dir", spread)
    assert code == 0 and "No stretch is marked" in out


def test_clear_an_unknown_stretch_is_one_line_exit_2_and_changes_nothing(spread, capsys):
    code, out, err = _run(capsys, "symptoms", "clear", "shoulder-rols", "--data-dir", spread)
    assert code == 2 and out == ""
    assert err.startswith("stretchtui: symptoms clear: no stretch is called 'shoulder-rols'.")
    assert "Did you mean shoulder-rolls?" in err and len(err.strip().splitlines()) == 1
    assert _marks(spread) == [("shoulder-rolls", "spreading")]


def test_symptoms_on_a_fresh_data_dir_creates_nothing(tmp_path, capsys):
    d = tmp_path / "none"
    code, out, _ = _run(capsys, "symptoms", "--data-dir", str(d))
    assert code == 0 and "No stretch is marked" in out and not d.exists()


def test_respond_central_is_recorded_and_counts_as_settled(tmp_path, capsys):
    code, out, _ = _run(capsys, "play", "Sciatica relief", "--plain", "--no-checklist", "--speed", "1000",
                        "--respond", "central", "--pain", "2,2", "--data-dir", str(tmp_path))
    assert code == 0, out
    store = open_store(tmp_path)
    try:
        [doc] = store.list_sessions()
    finally:
        store.close()
    assert doc.status == "completed" and {i.response for i in doc.items} == {"central"}
    assert doc.extra["flare"] is False  # the profile's flare when it was played
    assert _marks(tmp_path) == []


# ------------------------------------------------------------------ the store and the documents


def _doc(**kw):
    return session_doc(0, items=(("pelvic-tilt", 5, 10), ("knee-to-chest", 20, 3)), **kw)


def test_which_stretch_a_session_marks():
    spreading = _doc()
    spreading["items"][1]["response"] = "spreading"
    assert marks_in(spreading, "2000-01-01") == (SymptomMark("knee-to-chest", "2026-03-02", "spreading"),)
    stop = _doc(status="symptoms", response=None)
    stop["stop_item"] = 0
    assert marks_in(stop, "x") == (SymptomMark("pelvic-tilt", "2026-03-02", "stop"),)
    # an x stop recorded without stop_item (an import from an older build): the last item reached
    old = _doc(status="symptoms", response=None)
    assert stop_index(old) == 1 and marks_in(old, "x")[0].stretch == "knee-to-chest"
    assert marks_in(_doc(), "x") == () and marks_in(_doc(status="stopped"), "x") == ()
    # an update brings only what the change adds
    assert new_marks(spreading, spreading, "x") == ()


def test_the_store_marks_appends_updates_and_imports_but_not_a_later_edit(tmp_path):
    store = open_store(tmp_path)
    try:
        sid = store.append_session(_doc(status="running", response=None))
        assert store.symptom_marks() == ()
        running = store.get_session(sid).to_doc()
        running["items"][1]["response"] = "spreading"
        store.update_session(sid, {"items": running["items"], "status": "symptoms"})
        assert [m.stretch for m in store.symptom_marks()] == ["knee-to-chest"]
        store.clear_symptom_marks(["knee-to-chest"])
        store.update_session(sid, {"note": "edited later in History"})
        assert store.symptom_marks() == ()  # a cleared mark does not come back
        imported = dict(session_doc(5, items=(("cat-cow", 5, 5),)), uuid="ab" * 16)
        imported["items"][0]["response"] = "spreading"
        assert store.import_sessions([imported]) == (1, 0)
        assert [(m.stretch, m.date) for m in store.symptom_marks()] == [("cat-cow", "2026-03-07")]
        assert store.import_sessions([imported]) == (0, 1)
    finally:
        store.close()


def test_an_x_stop_in_the_engine_names_its_stretch(tmp_path):
    from stretchtui.core.clock import FakeClock
    from stretchtui.core.domain.catalog import load_catalog
    from stretchtui.core.domain.player import PlayerEngine, SessionRecorder
    from stretchtui.core.domain.timeline import build_timeline

    catalog = load_catalog()
    routine = next(r for r in catalog.starters if r.name == DESK)
    clock = FakeClock()
    engine = PlayerEngine(build_timeline(routine, catalog.stretches, get_ready=5), clock)
    store = open_store(tmp_path)
    try:
        recorder = SessionRecorder(store, routine, engine, catalog.stretches, clock)
        recorder.start()
        while engine.steps[engine.index].item < 2 or not engine.steps[engine.index].is_work:
            engine.skip()
        recorder.handle(engine.symptoms())
        doc = store.list_sessions()[0]
        assert doc.status == "symptoms" and doc.extra["stop_item"] == 2
        assert [(m.stretch, m.how) for m in store.symptom_marks()] == [(routine.items[2].stretch, "stop")]
    finally:
        store.close()
