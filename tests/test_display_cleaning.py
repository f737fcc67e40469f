"""Names, notes and paths from data never reach the terminal raw (ESC, BEL, C1), in the CLI or the TUI."""

from __future__ import annotations

import json
import re

import pytest

from stretchtui.cli import main
from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.storage.store import open_store
from stretchtui.core.text import display

SID = sorted(load_catalog().stretches)[0]
EVIL = "x\x1b]0;T\x07\x1b]52;c;ZXZpbA==\x07\x9b31m"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _clean(*texts: str) -> None:
    for text in texts:
        assert not RAW.search(text), repr(text)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STRETCHTUI_DATA_DIR", raising=False)


def test_display_is_the_one_cleaner():
    assert display(EVIL) == "x]0;T]52;c;ZXZpbA==31m"
    assert display("a\nb\x1b", multiline=True) == "a\nb"
    from pathlib import Path

    assert display(Path("p\x1b[2J")) == "p[2J"


def test_cli_paths_with_escapes_are_printed_clean(tmp_path, capsys):
    d = str(tmp_path / "d")
    missing = "x" + EVIL + ".routine.json"
    code, out, err = run(capsys, "--data-dir", d, "import", missing)
    assert code == 2 and "no such file" in err
    _clean(out, err)
    good = tmp_path / ("y" + EVIL + ".routine.json")
    good.write_text(json.dumps({"stretchtui": "routine", "version": 1, "name": "Morning" + EVIL,
                                "items": [{"stretch": SID}]}))
    code, out, err = run(capsys, "--data-dir", d, "import", str(good), str(good))
    assert code == 0 and out.count("imported") == 2
    _clean(out, err)
    code, out, err = run(capsys, "--data-dir", d, "export", "Morningx]0;T]52;c;ZXZpbA==31m", "-o", "z" + EVIL)
    assert code == 0 and "exported" in out
    _clean(out, err)
    for argv in (("history", "import", missing), ("history", "import", str(good)), ("play", missing, "--plain"),
                 ("check", missing), ("export", "nope" + EVIL)):
        code, out, err = run(capsys, "--data-dir", d, *argv)
        assert code == 2 and err.startswith("stretchtui: ")
        _clean(out, err)


def _raw_db_routine(data_dir, name: str, notes: str) -> None:
    """A routine stored with raw control characters (an old build, or a hand-edited db.json)."""
    store = open_store(data_dir)
    with store._write() as db:
        db.table("routines", cache_size=0).insert({"schema": 1, "name": name, "notes": notes,
                                                   "items": [{"stretch": SID}]})
    store.close()


def test_cli_lists_raw_names_from_the_database_clean(tmp_path, capsys):
    d = tmp_path / "d"
    _raw_db_routine(d, "Evil" + EVIL, "note" + EVIL)
    for argv in (("routines",), ("routines", "--json")):
        code, out, err = run(capsys, "--data-dir", str(d), *argv)
        assert code == 0 and "Evil" in out
        _clean(out, err)
