"""The layout marker never decides to delete (issue 27, F1).

A data folder without ``layout.json`` whose files look like data (a copied
or restored folder, files a sync tool delivers one at a time, a marker the
user deleted) is adopted as it is; nothing is removed or emptied. A
migration from the old ``db.json`` copies aside any file it would replace
with other contents. Each test fails on the store before this change, which
deleted every ``sessions-YEAR.json`` and wrote an empty ``library.json``.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from stretchtui.core.domain.models import Profile, Routine, RoutineItem
from stretchtui.core.storage.store import Store
from tests.test_store_faults import fork, wait
from tests.test_store_layout import _os_calls_die_at, legacy_db

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
ROUTINE = Routine("Morning", (RoutineItem("cat-cow", hold=5),), notes="easy")


def store(path: Path, **kw) -> Store:
    return Store(path, now=lambda: NOW, **kw)


def session(i: int, year: int) -> dict:
    return {"schema": 1, "routine": "Morning", "started": f"{year}-03-02T08:{i:02d}:00+00:00",
            "status": "completed", "note": f"n{i}"}


@pytest.fixture
def live(tmp_path) -> Path:
    """A folder in use: a routine, conditions, sessions in two years."""
    data = tmp_path / "live"
    s = store(data)
    s.save_routine(ROUTINE)
    s.set_profile(Profile(conditions=("disc-herniation",)))
    for i, year in enumerate((2025, 2025, 2026, 2026, 2026)):
        s.append_session(session(i, year))
    s.close()
    return data


def contents(data: Path) -> tuple:
    s = store(data, create=False)
    return ([r.name for r in s.list_routines()], s.get_profile().conditions,
            sorted((d["id"], d["note"]) for d in s.list_sessions()))


def test_a_copied_folder_without_the_marker_is_adopted(live, tmp_path):
    before = contents(live)
    copy = tmp_path / "copy"
    copy.mkdir(mode=0o700)
    for name in ("library.json", "sessions-2025.json", "sessions-2026.json"):
        shutil.copy2(live / name, copy / name)
    s = store(copy)  # a writing start
    assert any("no layout.json" in n and "Nothing was removed" in n for n in s.notices), s.notices
    sid = s.append_session(session(9, 2026))
    assert sid == 6  # after every id found, never a reused one
    s.close()
    after = contents(copy)
    assert after[:2] == before[:2] and after[2][:-1] == before[2]
    assert json.loads((copy / "layout.json").read_text())["adopted"] == [
        "library.json", "sessions-2025.json", "sessions-2026.json"]
    assert store(copy).notices == []  # said once


def test_a_deleted_marker_in_a_live_folder_loses_nothing(live):
    before = contents(live)
    (live / "layout.json").unlink()
    s = store(live)
    s.save_routine(Routine("Evening", (RoutineItem("cat-cow"),)))
    s.close()
    routines, conditions, sessions = contents(live)
    assert routines == ["Evening", "Morning"] and conditions == before[1] and sessions == before[2]


def test_files_arriving_one_at_a_time(live, tmp_path):
    """A sync tool delivers one file per run of stretchtui; every run writes something."""
    target = tmp_path / "synced"
    target.mkdir(mode=0o700)
    for name in ("sessions-2025.json", "sessions-2026.json", "library.json", "layout.json"):
        dest = target / name
        shutil.copyfile(live / name, dest)  # the sync tool replaces whatever is there
        os.chmod(dest, 0o600)
        s = store(target)
        s.append_session(session(30 + len(os.listdir(target)), 2024))  # a new session each time
        s.close()
    routines, conditions, sessions = contents(target)
    assert routines == ["Morning"] and conditions == ("disc-herniation",)
    notes = [n for _, n in sessions]
    for _, note in contents(live)[2]:
        assert note in notes  # every delivered session is there


def test_read_only_start_of_an_unmarked_folder_changes_nothing(live):
    (live / "layout.json").unlink()
    before = {p.name: p.read_bytes() for p in live.iterdir()}
    assert contents(live)[2]
    assert {p.name: p.read_bytes() for p in live.iterdir()} == before


def test_migration_copies_aside_a_file_it_would_replace(tmp_path):
    data = tmp_path / "mixed"
    legacy_db(data)  # db.json: sessions in 2024-2026
    foreign = {"sessions": {"1": session(1, 2030)}}  # someone's sessions-2030.json, not from db.json
    (data / "sessions-2030.json").write_text(json.dumps(foreign))
    own = {"sessions": {"50": session(50, 2026)}}  # a 2026 file with other contents
    (data / "sessions-2026.json").write_text(json.dumps(own))
    for p in data.iterdir():
        os.chmod(p, 0o600)
    s = store(data)
    kept = sorted(p.name for p in data.iterdir() if ".kept-" in p.name)
    assert [k.split(".kept-")[0] for k in kept] == ["sessions-2026.json", "sessions-2030.json"]
    assert any("copied aside" in n for n in s.notices), s.notices
    assert json.loads((data / kept[1]).read_text()) == foreign
    assert json.loads((data / kept[0]).read_text()) == own
    assert (data / "db.json.pre-migration").exists()


def test_killed_during_adoption_loses_nothing(live, tmp_path):
    (live / "layout.json").unlink()
    before = contents(live)
    step = 0
    while True:
        data = tmp_path / f"run{step}"
        shutil.copytree(live, data)

        def child(data: Path = data, step: int = step) -> None:
            _os_calls_die_at(step)
            store(data).append_session(session(40, 2026))

        code = wait(fork(child))
        routines, conditions, sessions = contents(data)
        assert (routines, conditions) == before[:2], step
        assert [s for s in sessions if s[1] != "n40"] == before[2], step
        s = store(data)  # the next start finishes the adoption
        assert len(s.list_sessions()) >= 5
        s.close()
        shutil.rmtree(data)
        if code == 0:
            break
        step += 1
    assert step > 3


def test_an_old_db_json_dropped_into_a_migrated_folder_replaces_no_earlier_copy(tmp_path):
    data = tmp_path / "d"
    legacy_db(data)
    first = (data / "db.json").read_bytes()
    store(data).close()
    legacy_db(data)  # the old file arrives again (a restore, a sync)
    (data / "db.json").write_text((data / "db.json").read_text().replace("n1", "changed"))
    os.chmod(data / "db.json", 0o600)
    store(data).close()
    assert (data / "db.json.pre-migration").read_bytes() == first
    assert b"changed" in (data / "db.json.pre-migration-1").read_bytes()
