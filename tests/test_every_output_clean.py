"""Display cleaning at every output (issue 27, F5).

Escape, C1 and bidi characters are put into every field of every stored
document (a hand-edited folder or an old build: the store's files are
written here directly, not through the store's cleaning), and every
command that shows stored data, in every format, must print none of them
raw; so must the Builder's row for an unknown stretch and the screens.
"""

from __future__ import annotations

import json
import os
import re

import pytest

from stretchtui.cli import main
from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.storage.store import open_store

SID = sorted(load_catalog().stretches)[0]
EVIL = "\x1b]0;T\x07\x1b]52;c;ZXZpbA==\x07\x9b31m\u202e\u2066\x1b[2J"
#: C0 (but newline and tab), DEL, C1 and bidi controls: none may reach the terminal.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def evil_session(n: int) -> dict:
    """Every field of a session (and of its item and check-in) holds escapes, whatever its type."""
    return {
        "schema": 3, "uuid": f"{n:032x}", "routine": "R" + EVIL, "started": f"2026-03-0{n}T08:00:00+00:00" + EVIL,
        "ended": EVIL, "status": "completed" + EVIL, "counted": EVIL, "stop_reason": EVIL,
        "active_seconds": EVIL, "planned_seconds": EVIL, "steps_done": EVIL, "steps_skipped": EVIL,
        "steps_total": EVIL, "pain_before": EVIL, "pain_after": EVIL, "note": "n" + EVIL,
        "items": [{"stretch": SID + EVIL, "name": EVIL, "mode": EVIL, "hold": EVIL, "reps": EVIL, "sides": EVIL,
                   "rest": EVIL, "done": {EVIL: EVIL}, "skipped": EVIL, "response": EVIL, EVIL: EVIL}],
        "checkin": {"answer": EVIL, "at": EVIL}, EVIL: EVIL, "future" + EVIL: [EVIL, {EVIL: EVIL}],
    }


@pytest.fixture
def evil_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STRETCHTUI_CONFIG", str(tmp_path / "none.toml"))
    data = tmp_path / "evil"
    open_store(data).close()
    library = {
        "routines": {"1": {"schema": 1, "name": "Evil" + EVIL, "notes": EVIL,
                           "items": [{"stretch": SID}, {"stretch": "unknown" + EVIL, "hold": EVIL}]}},
        "profile": {"1": {"schema": 1, "conditions": ["lower-back-pain", EVIL],
                          "psfs": [{"activity": "Walk" + EVIL, "ratings": [{"date": "2026-03-01", "score": 4}]}],
                          "flare_since": EVIL}},
        "meta": {"1": {"next_session_id": 9}},
    }
    (data / "library.json").write_text(json.dumps(library))
    (data / "sessions-2026.json").write_text(json.dumps({"sessions": {str(n): evil_session(n) for n in (1, 2)}}))
    (data / "schedule.json").write_text(json.dumps(
        {"stretchtui": "schedule", "version": 1, "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
         "times": ["00:00"], "routine": "Evil" + EVIL}))
    for p in data.iterdir():
        os.chmod(p, 0o600)
    return data


COMMANDS = [
    ("history",), ("history", "--csv"), ("history", "--json"), ("routines",), ("routines", "--json"),
    ("summary",), ("profile",), ("profile", "--json"), ("psfs",), ("psfs", "--json"), ("suggest", "Evil" + EVIL),
    ("suggest", "Evil" + EVIL, "--json"), ("check", "Evil" + EVIL, "--json"), ("checkin", "same"),
    ("check", "Evil" + EVIL), ("export", "Evil" + EVIL, "-o", "-"), ("due",), ("schedule", "show"),
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a)[:30])
def test_no_command_prints_a_raw_control_character(evil_folder, capsys, argv):
    code = main(["--data-dir", str(evil_folder), *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and code != 70, err
    assert not RAW.search(out), (code, [m.group() for m in RAW.finditer(out)][:5], out[:400])
    assert not RAW.search(err), (code, err[:400])


def test_builder_unknown_row_is_clean():
    from stretchtui.ui.screens.builder import unknown_label

    assert not RAW.search(unknown_label("x" + EVIL))
