"""Read-only commands create and migrate nothing (issue 27, F15): each is run against a
data folder that does not exist (it must still not exist afterwards) and against a folder
in the old single-file layout (it must be byte-for-byte as it was)."""

from __future__ import annotations

import json

import pytest

from stretchtui.cli import main
from tests.test_store_layout import legacy_db

READ_ONLY = [
    ("catalog",), ("check", "Morning stiffness"), ("profile",), ("profile", "--json"), ("psfs",), ("psfs", "--json"),
    ("routines",), ("routines", "--json"), ("history",), ("history", "--csv"), ("history", "--json"), ("summary",),
    ("suggest", "Morning stiffness"), ("due",), ("schedule", "show"), ("keys",), ("config", "path"),
    ("export", "Morning stiffness", "-o", "-"),
]


def _snapshot(path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())} if path.exists() else {}


@pytest.mark.parametrize("argv", READ_ONLY, ids=lambda a: " ".join(a))
def test_a_read_only_command_creates_nothing(tmp_path, capsys, monkeypatch, argv):
    monkeypatch.setenv("STRETCHTUI_CONFIG", str(tmp_path / "none.toml"))
    fresh = tmp_path / "fresh"
    code = main(["--data-dir", str(fresh), *argv])
    err = capsys.readouterr().err
    assert code != 70 and "Traceback" not in err, err
    assert not fresh.exists(), f"{' '.join(argv)} created the data folder"
    old = tmp_path / "old"
    legacy_db(old)
    before = _snapshot(old)
    main(["--data-dir", str(old), *argv])
    capsys.readouterr()
    assert _snapshot(old) == before, f"{' '.join(argv)} changed (migrated?) an old data folder"


def test_a_refused_history_import_creates_nothing(tmp_path, capsys):
    bad = tmp_path / "h.json"
    bad.write_text(json.dumps({"stretchtui": "history", "version": 3, "sessions": [{"id": "x"}]}))
    fresh = tmp_path / "fresh"
    assert main(["--data-dir", str(fresh), "history", "import", str(bad)]) == 2
    assert "nothing was imported" in capsys.readouterr().err.lower()
    assert not fresh.exists()
