"""The store's repository behaviour: routines, sessions, profile, opening
rules (permissions, read-only, data path that is a file, corrupt database),
schema migration. Fault injection and concurrency: test_store_faults.py."""

from __future__ import annotations

import json
import os
import stat

import pytest

from stretchtui.core.domain.models import Profile, Routine, RoutineItem
from stretchtui.core.storage.paths import ENV_VAR, resolve_data_dir
from stretchtui.core.storage.store import (
    SCHEMA,
    Store,
    StoreError,
    StoreReadOnly,
    migrate,
    open_store,
)


def session(i: int = 0, **extra) -> dict:
    doc = {
        "schema": 1, "routine": "Morning stiffness", "started": f"2026-03-02T08:{i % 60:02d}:00+00:00",
        "ended": None, "status": "running", "counted": True, "stop_reason": None,
        "active_seconds": 0.0, "planned_seconds": 195, "items": [],
        "steps_done": 0, "steps_skipped": 0, "steps_total": 6,
        "pain_before": None, "pain_after": None, "note": f"n{i}",
    }
    doc.update(extra)
    return doc


ROUTINE = Routine("Morning", (RoutineItem("cat-cow", hold=5), RoutineItem("knee-to-chest", sides="left")), notes="easy")


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "data")
    yield s
    s.close()


# ------------------------------------------------------------------ paths
def test_data_dir_precedence(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env"))
    assert resolve_data_dir(tmp_path / "arg") == tmp_path / "arg"
    assert resolve_data_dir() == tmp_path / "env"
    monkeypatch.delenv(ENV_VAR)
    assert resolve_data_dir().name == "stretchtui"


def test_new_data_dir_is_0700_and_files_0600(tmp_path):
    s = open_store(tmp_path / "a" / "data")
    s.append_session(session())
    s.append_session(session(1))
    s.save_routine(ROUTINE)
    s.save_routine(ROUTINE)
    assert stat.S_IMODE(os.stat(s.data_dir).st_mode) == 0o700
    for name in ("library.json", "library.json.bak", "sessions-2026.json", "sessions-2026.json.bak",
                 "store.lock", "layout.json"):
        assert stat.S_IMODE(os.stat(s.data_dir / name).st_mode) == 0o600, name


def test_data_path_that_is_a_file(tmp_path):
    target = tmp_path / "data"
    target.write_text("not a folder")
    with pytest.raises(StoreError, match=r"is a file, not a folder.*--data-dir"):
        open_store(target)
    assert target.read_text() == "not a folder"


# ------------------------------------------------------------------ routines
def test_save_get_list_routines(store):
    saved = store.save_routine(ROUTINE)
    assert saved == ROUTINE
    store.save_routine(Routine("abc", (RoutineItem("cat-cow"),)))
    assert [r.name for r in store.list_routines()] == ["abc", "Morning"]
    assert store.get_routine("  MORNING ") == ROUTINE
    assert store.get_routine("nope") is None
    doc = json.loads((store.data_dir / "library.json").read_text())["routines"]["1"]
    assert doc == {"schema": SCHEMA, "name": "Morning", "notes": "easy",
                   "items": [{"stretch": "cat-cow", "hold": 5}, {"stretch": "knee-to-chest", "sides": "left"}]}


def test_save_updates_by_name_and_rename_via_replace(store):
    store.save_routine(ROUTINE)
    store.save_routine(ROUTINE.with_items([RoutineItem("cat-cow")]))
    assert len(store.list_routines()) == 1
    assert store.get_routine("Morning").items == (RoutineItem("cat-cow"),)
    store.save_routine(Routine("Evening", ROUTINE.items), replace="Morning")
    assert [r.name for r in store.list_routines()] == ["Evening"]
    store.save_routine(Routine("Other"))
    with pytest.raises(StoreError, match="already exists"):
        store.save_routine(Routine("other"), replace="Evening")
    assert [r.name for r in store.list_routines()] == ["Evening", "Other"]


def test_names_are_cleaned_and_required(store):
    saved = store.save_routine(Routine("  Bad\x1b[31m  name\u202e "))
    assert saved.name == "Bad[31m name"
    with pytest.raises(StoreError, match="needs a name"):
        store.save_routine(Routine(" \x07 "))


def test_add_routine_never_overwrites(store):
    store.save_routine(ROUTINE)
    assert store.add_routine(Routine("morning")).name == "morning (2)"
    assert store.add_routine(Routine("Morning")).name == "Morning (3)"
    assert store.add_routine(Routine("Morning (2)")).name == "Morning (4)"
    assert store.get_routine("Morning") == ROUTINE
    assert len(store.list_routines()) == 4


def test_rename_duplicate_delete(store):
    store.save_routine(ROUTINE)
    assert store.duplicate_routine("morning").name == "Morning (copy)"
    assert store.duplicate_routine("Morning").name == "Morning (copy 2)"
    assert store.get_routine("Morning (copy)").items == ROUTINE.items
    renamed = store.rename_routine("Morning (copy)", "Evening")
    assert renamed.name == "Evening" and renamed.items == ROUTINE.items
    with pytest.raises(StoreError, match="already exists"):
        store.rename_routine("Evening", "MORNING")
    assert store.rename_routine("evening", "EVENING").name == "EVENING"
    store.delete_routine("evening")
    with pytest.raises(StoreError, match="no routine called"):
        store.delete_routine("evening")
    assert [r.name for r in store.list_routines()] == ["Morning", "Morning (copy 2)"]


# ------------------------------------------------------------------ sessions/profile
def test_sessions_append_update_list(store):
    a = store.append_session(session(30))
    b = store.append_session(session(10))
    assert (a, b) == (1, 2)
    store.update_session(a, {"status": "completed", "ended": "2026-03-02T08:40:00+00:00", "id": 99})
    assert store.get_session(a).status == "completed"
    assert store.get_session(a).number == a
    assert store.get_session(77) is None
    assert [s.number for s in store.list_sessions()] == [b, a]  # oldest first
    with pytest.raises(StoreError, match="not in the history"):
        store.update_session(77, {"status": "x"})


def test_session_is_copied_not_kept(store):
    doc = session(items=[{"stretch": "cat-cow", "done": {"left": 1}}])
    sid = store.append_session(doc)
    doc["items"][0]["done"]["left"] = 99
    store.append_session(session(1))  # a write that reuses our cached data
    assert store.get_session(sid).items[0].done["left"] == 1
    with pytest.raises(StoreError, match="cannot save"):
        store.append_session({"x": object()})


def test_profile_roundtrip(store):
    assert store.get_profile() == Profile()
    p = Profile(conditions=("sciatica",), get_ready=3, bell=False)
    store.set_profile(p)
    store.set_profile(p)
    assert open_store(store.data_dir).get_profile() == p


def test_two_instances_see_each_others_rows(tmp_path):
    one, two = open_store(tmp_path), open_store(tmp_path)
    one.append_session(session(1))
    two.append_session(session(2))  # two's view must not be stale
    one.save_routine(ROUTINE)
    two.add_routine(ROUTINE)
    assert len(one.list_sessions()) == 2 and [s.number for s in two.list_sessions()] == [1, 2]
    assert [r.name for r in one.list_routines()] == ["Morning", "Morning (2)"]


# ------------------------------------------------------------------ migration
def test_migrate_old_documents(tmp_path):
    assert migrate("routines", {"name": "Old", "stretches": ["cat-cow", 3]}) == {
        "name": "Old", "items": [{"stretch": "cat-cow"}], "notes": "", "schema": 1}
    s = migrate("sessions", {"routine": "Old", "started": "2025-01-01T00:00:00+00:00", "duration": 60})
    assert s["active_seconds"] == 60.0 and s["status"] == "interrupted" and s["counted"] is True
    assert s["schema"] == 3 and "duration" not in s and len(s["uuid"]) == 32  # session schema (core.session)
    current = {"schema": 1, "name": "x"}
    assert migrate("routines", current) is current

    (tmp_path / "db.json").write_text(json.dumps({
        "routines": {"1": {"name": "Old", "stretches": ["cat-cow"]}},
        "sessions": {"1": {"routine": "Old", "started": "2025-01-01T00:00:00+00:00", "duration": 60}},
    }))
    migrated = open_store(tmp_path)
    assert migrated.get_routine("old").items == (RoutineItem("cat-cow"),)
    assert migrated.list_sessions()[0].active_seconds == 60.0


# ------------------------------------------------------------------ corrupt database
@pytest.mark.parametrize("damage", [b'{"sessions": {"1": {"a"', b"", b"\x00\x00\x00", b"[1, 2]"])
def test_corrupt_database_copied_aside_and_backup_restored(tmp_path, damage):
    s = open_store(tmp_path)
    s.append_session(session(1))
    s.append_session(session(2))  # .bak now holds session 1
    s.close()
    (tmp_path / "sessions-2026.json").write_bytes(damage)
    s = open_store(tmp_path)
    assert [d.note for d in s.list_sessions()] == ["n1"]
    corrupt = [p for p in tmp_path.iterdir() if p.name.startswith("sessions-2026.json.corrupt-")]
    assert len(corrupt) == 1 and corrupt[0].read_bytes() == damage
    assert len(s.notices) == 1 and str(corrupt[0]) in s.notices[0] and "restored" in s.notices[0]
    s.append_session(session(3))
    assert [d.note for d in open_store(tmp_path).list_sessions()] == ["n1", "n3"]


def test_corrupt_library_without_backup_starts_empty(tmp_path):
    open_store(tmp_path).close()
    (tmp_path / "library.json").write_text("{oops")
    s = open_store(tmp_path)
    assert s.list_routines() == [] and "no usable backup" in s.notices[0]
    assert (tmp_path / "library.json").read_text() == "{}"
    assert any(p.read_text() == "{oops" for p in tmp_path.glob("library.json.corrupt-*"))


# ------------------------------------------------------------------ read-only
def _check_read_only(s: Store) -> None:
    assert s.read_only
    assert any("read-only" in n for n in s.notices)
    assert [d.note for d in s.list_sessions()] == ["n1"]  # reading keeps working
    assert s.get_routine("Morning") == ROUTINE
    for call in (lambda: s.append_session(session(2)), lambda: s.save_routine(ROUTINE),
                 lambda: s.set_profile(Profile()), lambda: s.delete_routine("Morning")):
        with pytest.raises(StoreReadOnly, match="read-only"):
            call()


def _seeded(path):
    s = open_store(path)
    s.append_session(session(1))
    s.save_routine(ROUTINE)
    s.close()
    return (path / "library.json").read_bytes() + (path / "sessions-2026.json").read_bytes()


def test_read_only_dir_simulated(tmp_path, monkeypatch):
    # Tests run as root, where chmod does not stop writes: simulate what
    # os.access reports for a read-only folder (the code path is the same).
    before = _seeded(tmp_path)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode & os.W_OK else real_access(p, mode, **kw))
    s = open_store(tmp_path)
    _check_read_only(s)
    assert (tmp_path / "library.json").read_bytes() + (tmp_path / "sessions-2026.json").read_bytes() == before


def test_read_only_and_corrupt_shows_backup_without_touching_files(tmp_path, monkeypatch):
    _seeded(tmp_path)
    s = open_store(tmp_path)
    s.append_session(session(2))
    (tmp_path / "sessions-2026.json").write_text("{broken")
    monkeypatch.setattr(Store, "_writable", lambda self: False)
    s = open_store(tmp_path)
    assert [d.note for d in s.list_sessions()] == ["n1"]
    assert s.read_only and "left as it is" in s.notices[-1]
    assert (tmp_path / "sessions-2026.json").read_text() == "{broken"
    assert not list(tmp_path.glob("*.corrupt-*"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions; see the simulated test")
def test_read_only_dir_real_permissions(tmp_path):
    _seeded(tmp_path)
    os.chmod(tmp_path, 0o500)
    try:
        _check_read_only(open_store(tmp_path))
    finally:
        os.chmod(tmp_path, 0o700)


def test_read_only_file_real_permissions(tmp_path):
    _seeded(tmp_path)
    os.chmod(tmp_path / "library.json", 0o400)
    if os.geteuid() == 0:
        pytest.skip("root may write any file; the simulated test covers the code path")
    _check_read_only(open_store(tmp_path))


def test_threads_share_one_store(store):
    # The UI saves from worker threads while other code reads.
    import threading

    errors = []

    def work(tag):
        try:
            for i in range(40):
                store.append_session(session(i, note=f"{tag}{i}"))
                store.list_sessions()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(d.note for d in open_store(store.data_dir).list_sessions()) == sorted(
        f"{t}{i}" for t in "ab" for i in range(40))
