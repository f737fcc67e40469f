"""Look-alike routine names never pass for a starter (issue 27, F15)."""

from __future__ import annotations

import json

import pytest

from stretchtui.cli import main
from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.core.storage.lookup import imitated_starter
from stretchtui.core.storage.store import open_store
from stretchtui.core.text import skeleton

CATALOG = load_catalog()
STARTER = "Morning stiffness"
LOOKALIKES = ["M\u043erning stiffness", "Morning\u200b stiffness", "Morning stiffnes\u015b", "\uff2dorning stiffness",
              "MORNING  STIFFNESS", "Morning\u00adstiffness".replace("\u00ad", " \u00ad")]


@pytest.mark.parametrize("name", LOOKALIKES)
def test_look_alikes_have_the_starters_skeleton(name):
    assert skeleton(name) == skeleton(STARTER)
    assert imitated_starter(Routine(name, (RoutineItem("cat-cow"),)), CATALOG) == STARTER


def test_different_names_are_not_flagged():
    assert imitated_starter(Routine("Morning stretch", ()), CATALOG) is None
    starter = next(s for s in CATALOG.starters if s.name == STARTER)
    assert imitated_starter(starter, CATALOG) is None  # the starter itself


@pytest.mark.parametrize("name", LOOKALIKES[:2])
def test_an_imported_look_alike_is_saved_as_a_copy(tmp_path, capsys, name):
    f = tmp_path / "r.routine.json"
    f.write_text(json.dumps({"stretchtui": "routine", "version": 1, "name": name, "items": [{"stretch": "cat-cow"}]}))
    assert main(["--data-dir", str(tmp_path / "d"), "import", str(f)]) == 0
    (saved,) = open_store(tmp_path / "d").list_routines()
    assert saved.name.endswith("(copy)")


def test_a_saved_look_alike_is_flagged_wherever_routines_are_listed(tmp_path, capsys):
    s = open_store(tmp_path / "d")
    s.save_routine(Routine(LOOKALIKES[0], (RoutineItem("cat-cow"),)))  # as the Builder may save it
    s.close()
    assert main(["--data-dir", str(tmp_path / "d"), "routines"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("! ") and any(line.startswith("* Morning stiffness") for line in lines)
    assert "a saved routine, not the starter 'Morning stiffness'" in out
    assert main(["--data-dir", str(tmp_path / "d"), "routines", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["looks_like_starter"] == STARTER and rows[0]["starter"] is False
