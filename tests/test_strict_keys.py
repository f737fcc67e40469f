"""Strict keys and field limits in history files (issue 27, F6 and F8), and
the property that matters for sync and restore: any folder's own
``history --json`` imports back into an empty folder.
"""

from __future__ import annotations

import json
import random

import pytest

from stretchtui.cli import main
from stretchtui.core.storage.history_file import MAX_UNKNOWN_BYTES, HistoryFileError, parse_history
from stretchtui.core.storage.store import StoreError, open_store

UUID = "0123456789abcdef0123456789abcdef"


def history(**session) -> str:
    doc = {"id": UUID, "schema": 3, "routine": "Morning", "started": "2026-03-02T08:00:00+00:00",
           "status": "completed"}
    doc.update(session)
    return json.dumps({"stretchtui": "history", "version": 3, "sessions": [doc]})


@pytest.mark.parametrize("key", ["started\u200e", "status\u200b", "note\u202e", "x\x1b]0;t\x07", "\u2060"])
def test_a_key_with_invisible_characters_is_refused(key):
    with pytest.raises(HistoryFileError, match="invisible or control characters"):
        parse_history(history(**{key: "not a date"}))


def test_an_item_key_with_invisible_characters_is_refused():
    with pytest.raises(HistoryFileError, match=r"items\[0\].*invisible"):
        parse_history(history(items=[{"stretch": "cat-cow", "hold\u200d": "x"}]))


def test_an_unknown_field_has_a_size_limit():
    parse_history(history(future={"a": "x" * 100}))  # small unknown fields are kept
    with pytest.raises(HistoryFileError, match=r"unknown field of .* bytes"):
        parse_history(history(future="x" * (MAX_UNKNOWN_BYTES + 1)))


def test_the_store_refuses_a_session_of_any_size(tmp_path):
    s = open_store(tmp_path / "d")
    with pytest.raises(StoreError, match="over the limit"):
        s.append_session({"routine": "R", "started": "2026-03-02T08:00:00+00:00", "status": "completed",
                          "future": "x" * (2 * 1024 * 1024)})
    assert s.list_sessions() == []


# ------------------------------------------------------------------ the round trip
NASTY = ["\x1b[2J", "\x9b31m", "\u202e", "\u200b", "\x07", "[bold]", "\u2066", "é", "\ud800", ""]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice([*NASTY, "a", "b", " ", "\n"]) for _ in range(rng.randrange(6)))


def _value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(9 if depth < 2 else 6)
    makers = [lambda: None, lambda: True, lambda: rng.randrange(-5, 200), lambda: rng.random() * 1e6,
              lambda: _text(rng), lambda: rng.choice(["", "x" * 50]),
              lambda: [_value(rng, depth + 1) for _ in range(2)],
              lambda: {_text(rng) or "k": _value(rng, depth + 1)}, lambda: {"nested\u200b": 1}]
    return makers[kind]()


FIELDS = ["routine", "started", "ended", "status", "counted", "stop_reason", "active_seconds", "planned_seconds",
          "steps_done", "steps_skipped", "steps_total", "pain_before", "pain_after", "note", "items", "checkin"]


def _stored_doc(rng: random.Random, n: int) -> dict:
    doc: dict = {"schema": rng.choice([0, 1, 2, 3]), "routine": "R", "started": f"2026-03-02T08:{n % 60:02d}:00+00:00",
                 "status": "completed"}
    for field in rng.sample(FIELDS, rng.randrange(len(FIELDS))):
        doc[field] = _value(rng)
    if rng.random() < 0.5:
        doc["items"] = [{"stretch": rng.choice(["cat-cow", _text(rng), 5]), rng.choice(["hold", "hold\u200e", "x"]):
                         _value(rng)} for _ in range(rng.randrange(3))]
    for _ in range(rng.randrange(3)):  # unknown fields, keys with invisible characters among them
        doc[rng.choice(["future", "started\u200e", "status\u200b", "x\x1b", _text(rng) or "y"])] = _value(rng)
    return doc


@pytest.mark.parametrize("seed", range(12))
def test_any_folders_own_export_imports_back_into_an_empty_folder(tmp_path, capsys, seed):
    rng = random.Random(seed)
    source = tmp_path / "source"
    s = open_store(source)
    s.append_session({"routine": "R", "started": "2026-03-01T08:00:00+00:00", "status": "completed"})
    s.close()
    # Hand-edited documents, written the way an old build or an editor would leave them.
    path = source / "sessions-2026.json"
    data = json.loads(path.read_text())
    for n in range(2, 14):
        data["sessions"][str(n)] = _stored_doc(rng, n)
    path.write_text(json.dumps(data))
    assert main(["--data-dir", str(source), "history", "--json"]) == 0
    exported = capsys.readouterr().out
    (tmp_path / "h.json").write_text(exported)
    code = main(["--data-dir", str(tmp_path / "empty"), "history", "import", str(tmp_path / "h.json")])
    _out, err = capsys.readouterr()
    assert code == 0, err
    back = open_store(tmp_path / "empty", create=False).list_sessions()
    assert len(back) == len(json.loads(exported)["sessions"]) == 13
