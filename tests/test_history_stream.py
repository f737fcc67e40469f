"""History files read as a stream (F14): any export imports back, whatever its size.

``open_history_file`` checks a file a chunk at a time and the import reads
it again session by session, so the limit is the number of sessions
(``MAX_SESSIONS``), not memory. The chunk is made tiny here so every value
crosses a chunk boundary somewhere; the errors are those of ``parse_history``
(which reads a whole text), and a large synthetic history exported with
``history --json`` imports back into an empty folder unchanged.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime

import pytest

from stretchtui.cli import main
from stretchtui.core.storage import history_file as hf
from stretchtui.core.storage.store import open_store
from tests.test_aggregates import random_doc, write_history


def _valid_file() -> dict:
    rng = random.Random(1)
    sessions = []
    for i in range(3):
        doc = random_doc(rng, date(2026, 6, 1)) | {"started": f"2026-05-0{i + 1}T08:00:00+02:00"}
        from stretchtui.core.domain.session import Session

        out = Session.from_doc(doc).to_doc()
        out["id"] = out.pop("uuid")
        sessions.append(out)
    return {"stretchtui": "history", "version": 3, "exported": "2026-06-01T00:00:00+00:00",
            "sessions": sessions, "psfs": [{"activity": "Sit", "ratings": [{"date": "2026-05-01", "score": 4}]}]}


BROKEN = [
    "", "   ", "[]", "3", '"x"', "{}", '{"stretchtui": "history"}',
    '{"stretchtui": "history", "version": 9, "sessions": []}',
    '{"stretchtui": "history", "version": 3, "sessions": {}}',
    '{"stretchtui": "history", "version": 3, "sessions": [], "sessions": []}',
    '{"stretchtui": "history", "version": 3, "sessions": [1, 2]}',
    '{"stretchtui": "history", "version": 3, "sessions": [], "extra": 1} x',
    '{"stretchtui": "history", "version": 3, "sessions": [], "extra": NaN}',
    '{"stretchtui": "history", "version": 3, "sessions": [,]}',
    '{"stretchtui": "history", "version": 3 "sessions": []}',
]


def _mutations() -> list[str]:
    base = _valid_file()
    out = [json.dumps(base, indent=2)]
    for change in (
        lambda d: d["sessions"][1].update(pain_after=11),
        lambda d: d["sessions"].append(dict(d["sessions"][0])),
        lambda d: d.update(version=1),
        lambda d: d["psfs"][0].update(activity=7),
        lambda d: d.pop("stretchtui"),
        lambda d: d.update(exported=3),
    ):
        data = json.loads(json.dumps(base))
        change(data)
        out.append(json.dumps(data, indent=1))
    text = json.dumps(base)
    out += [text[:-7], text.replace('"version": 3', '"version": 3, "version": 3'), text + "{}"]
    return out


@pytest.mark.parametrize("chunk", [1, 7, 1 << 20])
def test_streamed_checks_say_what_parse_history_says(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(hf, "CHUNK", chunk)
    for n, text in enumerate(BROKEN + _mutations()):
        path = tmp_path / f"h{n}.json"
        path.write_text(text)
        try:
            expected: object = hf.parse_history(text, source=str(path))
        except hf.HistoryFileError as exc:
            expected = str(exc)
        try:
            streamed = hf.open_history_file(path)
            got: object = hf.HistoryFile(list(streamed.sessions()), streamed.psfs)
        except hf.HistoryFileError as exc:
            got = str(exc)
        assert got == expected, text


def test_a_file_changed_between_check_and_import_is_not_imported_blindly(tmp_path):
    path = tmp_path / "h.json"
    path.write_text(json.dumps(_valid_file()))
    streamed = hf.open_history_file(path)
    path.write_text(json.dumps(_valid_file()) + "\n")
    with pytest.raises(hf.HistoryFileError, match="changed while"):
        list(streamed.sessions())


def test_a_large_history_exports_and_imports_back_unchanged(tmp_path, monkeypatch, capsys):
    """A few thousand sessions over many years, in small import batches and tiny read chunks."""
    from stretchtui.core.storage import store as st

    monkeypatch.setattr(hf, "CHUNK", 4096)
    monkeypatch.setattr(st, "IMPORT_BATCH", 500)
    monkeypatch.setattr(st.Store.import_sessions, "__kwdefaults__", {"batch": 500})
    rng = random.Random(11)
    today = date(2026, 6, 1)
    docs: list[dict] = []
    while len(docs) < 1500:  # sessions a history file takes (readable starts with an offset)
        doc = random_doc(rng, today)
        try:
            ok = datetime.fromisoformat(doc["started"]).tzinfo is not None
        except (KeyError, ValueError):
            ok = False
        if ok:
            docs.append(doc)
    source = tmp_path / "source"
    write_history(source, docs, rng, today)
    assert main(["--data-dir", str(source), "history", "--json"]) == 0
    exported = capsys.readouterr().out
    (tmp_path / "h.json").write_text(exported)
    target = tmp_path / "target"
    assert main(["--data-dir", str(target), "history", "import", str(tmp_path / "h.json")]) == 0
    assert "imported 1500 sessions" in capsys.readouterr().out
    assert main(["--data-dir", str(target), "history", "--json"]) == 0
    again = capsys.readouterr().out
    assert json.loads(again)["sessions"] == json.loads(exported)["sessions"]
    # Importing it once more adds nothing.
    assert main(["--data-dir", str(target), "history", "import", str(tmp_path / "h.json")]) == 0
    assert "imported 0 sessions" in capsys.readouterr().out
    store = open_store(target, create=False)
    assert len(store.list_sessions()) == 1500
    store.close()
