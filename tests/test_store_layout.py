"""The split data-dir layout (library.json + one sessions-YEAR.json per year,
committed by layout.json), the migration from the old single db.json (with
kill -9 at every step), and the store faults found by fault injection:
recovery, missing files, concurrent first use, planted symlinks, data dirs
writable by others, hand-edited keys and sessions left running by a crash.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
from datetime import datetime, timezone
from pathlib import Path

import pytest

from stretchtui.core.domain.models import Profile, Routine, RoutineItem
from stretchtui.core.storage import safe_file, storage
from stretchtui.core.storage.store import Store, StoreError, open_store
from tests.test_store_faults import fork, wait  # one fork-and-wait helper for both fault suites

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
ROUTINE = Routine("Morning", (RoutineItem("cat-cow", hold=5),), notes="easy")


def session(i: int, year: int = 2026, **extra) -> dict:
    return dict({"schema": 1, "routine": "R", "started": f"{year}-03-02T08:{i % 60:02d}:00+00:00",
                 "status": "completed", "note": f"n{i}"}, **extra)


def legacy_db(path: Path) -> dict:
    """An old single-file db.json: 3 years of sessions (ids with a gap), a routine, a profile."""
    sessions = {str(i): session(i, 2024 + i % 3) for i in (1, 2, 3, 4, 5, 7, 9)}
    data = {"routines": {"1": {"schema": 1, "name": "Morning", "notes": "", "items": [{"stretch": "cat-cow"}]}},
            "profile": {"1": Profile().to_dict()},
            "sessions": sessions}
    path.mkdir(mode=0o700, exist_ok=True)
    (path / "db.json").write_text(json.dumps(data))
    os.chmod(path / "db.json", 0o600)
    return data


def notes_by_id(s: Store) -> dict[int, str]:
    return {d.number: d.note for d in s.list_sessions()}


EXPECTED = {i: f"n{i}" for i in (1, 2, 3, 4, 5, 7, 9)}


# ------------------------------------------------------------------ layout
def test_migration_splits_by_year_and_keeps_ids(tmp_path):
    legacy_db(tmp_path)
    original = (tmp_path / "db.json").read_bytes()
    s = open_store(tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["db.json.pre-migration", "layout.json", "library.json", "sessions-2024.json",
                     "sessions-2025.json", "sessions-2026.json", "store.lock"]
    assert (tmp_path / "db.json.pre-migration").read_bytes() == original  # the original, kept
    assert "new layout" in s.notices[0] and "db.json.pre-migration" in s.notices[0]
    assert notes_by_id(s) == EXPECTED
    assert [r.name for r in s.list_routines()] == ["Morning"]
    y2025 = json.loads((tmp_path / "sessions-2025.json").read_text())["sessions"]
    assert sorted(y2025) == ["1", "4", "7"]  # plain JSON a person can read, filed by the year started
    assert s.append_session(session(10)) == 10  # ids continue after the highest
    assert open_store(tmp_path).notices == []  # migrated once


def test_saving_a_routine_touches_only_the_library(tmp_path):
    legacy_db(tmp_path)
    s = open_store(tmp_path)
    stamps = {p.name: os.stat(p).st_ino for p in tmp_path.glob("sessions-*.json")}
    s.save_routine(ROUTINE)
    s.set_profile(Profile())
    assert {p.name: os.stat(p).st_ino for p in tmp_path.glob("sessions-*.json")} == stamps
    sid = s.append_session(session(11, 2026))
    s.update_session(sid, {"note": "changed"})
    after = {p.name: os.stat(p).st_ino for p in tmp_path.glob("sessions-*.json")}
    assert after["sessions-2024.json"] == stamps["sessions-2024.json"]
    assert after["sessions-2025.json"] == stamps["sessions-2025.json"]
    assert after["sessions-2026.json"] != stamps["sessions-2026.json"]
    assert s.get_session(sid).note == "changed"


def test_append_with_a_given_id(tmp_path):
    s = open_store(tmp_path)
    assert s.append_session(session(1), session_id=40) == 40
    assert s.append_session(session(2)) == 41  # the counter moved past a given id
    with pytest.raises(StoreError, match="session 40 is already in the history"):
        s.append_session(session(3), session_id=40)
    assert notes_by_id(open_store(tmp_path)) == {40: "n1", 41: "n2"}


def _os_calls_die_at(step: int) -> None:
    """In a child: die (like kill -9) just before the ``step``-th filesystem call that changes state."""
    count = [0]

    def wrap(name):
        real = getattr(os, name)

        def call(*a, **kw):
            if count[0] == step:
                os._exit(9)
            count[0] += 1
            return real(*a, **kw)
        setattr(os, name, call)

    for name in ("open", "write", "fsync", "replace", "rename", "unlink", "link"):
        wrap(name)


def test_migration_killed_at_every_step_leaves_one_complete_layout(tmp_path):
    pristine = tmp_path / "pristine"
    legacy_db(pristine)
    original = (pristine / "db.json").read_bytes()
    outcomes = set()
    step = 0
    while True:
        data = tmp_path / f"run{step}"
        shutil.copytree(pristine, data)

        def child(step=step, data=data):  # bound now: runs in this step's fork
            _os_calls_die_at(step)
            open_store(data)

        code = wait(fork(child))
        committed = (data / "layout.json").exists()
        if not committed:  # the old layout, untouched
            assert (data / "db.json").read_bytes() == original, step
        seen = open_store(data, create=False)  # reads whichever layout is there, changes nothing
        assert notes_by_id(seen) == EXPECTED, step
        assert [r.name for r in seen.list_routines()] == ["Morning"], step
        s = open_store(data)  # the next start completes (or redoes) the migration
        assert notes_by_id(s) == EXPECTED and not (data / "db.json").exists(), step
        assert s.append_session(session(10)) == 10, step
        outcomes.add((code, committed))
        shutil.rmtree(data)
        if code == 0:
            break
        step += 1
    assert step > 20  # really killed at many points
    assert {(9, False), (9, True), (0, True)} <= outcomes


def test_missing_legacy_db_with_backup_is_migrated_from_the_backup(tmp_path):
    legacy_db(tmp_path)
    os.rename(tmp_path / "db.json", tmp_path / "db.json.bak")
    s = open_store(tmp_path)
    assert any("was missing" in n and "db.json.bak" in n for n in s.notices)
    assert notes_by_id(s) == EXPECTED


# ------------------------------------------------------------------ recovery
def _damaged(tmp_path) -> bytes:
    s = open_store(tmp_path)
    s.append_session(session(1))
    s.append_session(session(2))  # sessions-2026.json.bak holds n1
    s.close()
    (tmp_path / "sessions-2026.json").write_bytes(b'{"sessions": {"1": {')
    return b'{"sessions": {"1": {'


def test_recovery_killed_at_every_step_never_loses_the_file(tmp_path):
    pristine = tmp_path / "pristine"
    pristine.mkdir(mode=0o700)
    damage = _damaged(pristine)
    step = 0
    while True:
        data = tmp_path / f"run{step}"
        shutil.copytree(pristine, data)

        def child(step=step, data=data):  # bound now: runs in this step's fork
            _os_calls_die_at(step)
            open_store(data).list_sessions()

        code = wait(fork(child))
        current = (data / "sessions-2026.json").read_bytes()  # always there
        assert current in (damage, (data / "sessions-2026.json.bak").read_bytes()), step
        s = open_store(data)
        assert [d.note for d in s.list_sessions()] == ["n1"], step
        copies = list(data.glob("sessions-2026.json.corrupt-*"))
        assert any(p.read_bytes() == damage for p in copies), step  # the damaged file is kept for the user
        shutil.rmtree(data)
        if code == 0:
            break
        step += 1
    assert step >= 6


def test_disk_full_during_recovery_leaves_the_damaged_file_in_place(tmp_path, monkeypatch):
    damage = _damaged(tmp_path)

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safe_file, "_write_all", full)
    with pytest.raises(StoreError, match="disk is full"):
        open_store(tmp_path).list_sessions()
    assert (tmp_path / "sessions-2026.json").read_bytes() == damage  # not moved away
    assert [p.name for p in tmp_path.iterdir() if storage.TMP_MARK in p.name] == []
    monkeypatch.undo()
    s = open_store(tmp_path)
    assert [d.note for d in s.list_sessions()] == ["n1"] and "restored" in s.notices[0]


def test_missing_file_is_restored_from_backup_with_a_notice(tmp_path):
    _damaged(tmp_path)
    (tmp_path / "sessions-2026.json").unlink()
    s = open_store(tmp_path)
    assert [d.note for d in s.list_sessions()] == ["n1"]
    assert len(s.notices) == 1 and "was missing" in s.notices[0] and "sessions-2026.json.bak" in s.notices[0]
    s.append_session(session(3))  # writes go on from the restored copy; the .bak is not overwritten by nothing
    assert [d.note for d in open_store(tmp_path).list_sessions()] == ["n1", "n3"]


# ------------------------------------------------------------------ first use
def test_concurrent_first_use_simulated(tmp_path, monkeypatch):
    target = tmp_path / "new" / "data"
    real_mkdir = Path.mkdir

    def other_window_wins(self, *a, **kw):
        if self == target and not target.exists():
            os.makedirs(target, mode=0o700)  # the other process got there first
        return real_mkdir(self, *a, **kw)

    monkeypatch.setattr(Path, "mkdir", other_window_wins)
    s = open_store(target)
    s.append_session(session(1))
    assert notes_by_id(open_store(target)) == {1: "n1"}


def test_concurrent_first_use_real_processes(tmp_path):
    for round_ in range(25):
        target = tmp_path / f"r{round_}" / "data"
        r, w = os.pipe()

        def child(r=r, w=w, target=target):  # bound now: runs in this round's forks
            os.close(w)
            os.read(r, 1)  # both start together
            open_store(target).append_session(session(os.getpid() % 60))

        pids = [fork(child) for _ in range(2)]
        os.close(r)
        os.write(w, b"xx")
        os.close(w)
        assert [wait(p) for p in pids] == [0, 0], round_
        assert len(open_store(target).list_sessions()) == 2


# ------------------------------------------------------------------ symlinks and permissions
def test_planted_lock_symlink_is_refused_and_target_untouched(tmp_path):
    data = tmp_path / "data"
    open_store(data).close()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (data / "store.lock").unlink()
    (data / "store.lock").symlink_to(victim)
    with pytest.raises(StoreError, match=r"store.lock is a symbolic link.*refuses.*rm "):
        open_store(data)
    assert victim.read_text() == "precious"


def test_planted_temp_symlink_is_refused_and_target_untouched(tmp_path, monkeypatch):
    s = open_store(tmp_path / "data")
    s.save_routine(Routine("First"))
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    # a temp name an attacker guessed (safe_file draws the random part from os.urandom)
    monkeypatch.setattr(safe_file, "_temp_name", lambda path, kind: path.with_name(f".{path.name}{kind}{os.getpid()}-guess"))
    (s.data_dir / f".library.json.tmp-{os.getpid()}-guess").symlink_to(victim)
    with pytest.raises(StoreError, match="Nothing was changed"):
        s.save_routine(ROUTINE)
    assert victim.read_text() == "precious"
    assert [r.name for r in s.list_routines()] == ["First"]


def test_symlinked_data_file_is_refused(tmp_path):
    data = tmp_path / "data"
    open_store(data).close()
    elsewhere = tmp_path / "elsewhere.json"
    os.replace(data / "library.json", elsewhere)
    (data / "library.json").symlink_to(elsewhere)
    with pytest.raises(StoreError, match=r"library\.json is a symbolic link"):
        open_store(data)


@pytest.mark.parametrize("mode", [0o770, 0o757, 0o777])
def test_data_dir_writable_by_others_is_refused(tmp_path, mode):
    data = tmp_path / "data"
    open_store(data).append_session(session(1))
    os.chmod(data, mode)
    before = sorted(p.name for p in data.iterdir())
    for create in (True, False):
        with pytest.raises(StoreError, match=rf"can be changed by other users.*chmod 700 {data}$"):
            open_store(data, create=create)
    assert sorted(p.name for p in data.iterdir()) == before
    os.chmod(data, 0o700)
    assert notes_by_id(open_store(data)) == {1: "n1"}


def test_data_file_writable_by_others_is_refused(tmp_path):
    data = tmp_path / "data"
    open_store(data).append_session(session(1))
    os.chmod(data / "sessions-2026.json", 0o666)
    with pytest.raises(StoreError, match=r"sessions-2026.json can be changed by other users.*chmod 600 "):
        open_store(data)


# ------------------------------------------------------------------ hand-edited files
def test_non_number_key_gives_a_clear_message_and_changes_nothing(tmp_path):
    data = tmp_path / "data"
    s = open_store(data)
    s.save_routine(ROUTINE)
    doc = json.loads((data / "library.json").read_text())
    doc["routines"]["first"] = doc["routines"].pop("1")
    (data / "library.json").write_text(json.dumps(doc))
    before = (data / "library.json").read_bytes()
    s = open_store(data)
    with pytest.raises(StoreError, match=r"library.json: the 'routines' entry 'first'.*not a number.*Nothing was saved"):
        s.save_routine(Routine("Other"))
    assert (data / "library.json").read_bytes() == before
    doc["routines"]["1"] = doc["routines"].pop("first")  # the fix the message asks for
    (data / "library.json").write_text(json.dumps(doc))
    s.save_routine(Routine("Other"))
    assert [r.name for r in s.list_routines()] == ["Morning", "Other"]


# ------------------------------------------------------------------ abandoned sessions
def _dead_pid() -> int:
    pid = fork(lambda: None)
    wait(pid)
    return pid


def _running_doc(data: Path, sid: int, writer: dict) -> None:
    path = data / "sessions-2026.json"
    doc = json.loads(path.read_text())
    doc["sessions"][str(sid)]["writer"] = writer
    path.write_text(json.dumps(doc))


def test_session_left_running_by_a_dead_process_is_interrupted(tmp_path):
    data = tmp_path / "data"
    s = Store(data, now=lambda: NOW)
    dead = s.append_session(session(1, status="running"))
    live = s.append_session(session(2, status="running"))
    assert "writer" not in s.get_session(dead).extra  # store bookkeeping is not shown
    host = socket.gethostname()
    _running_doc(data, dead, {"pid": _dead_pid(), "host": host, "seen": "2026-03-02T08:05:00+00:00"})
    s2 = Store(data, now=lambda: NOW)  # our own pid holds the other one: a live window
    by_id = {d.number: d for d in s2.list_sessions()}
    assert by_id[dead].status == "interrupted" and by_id[dead].ended == "2026-03-02T08:05:00+00:00"
    assert by_id[live].status == "running"
    assert any("marked interrupted" in n for n in s2.notices)
    assert not any("marked interrupted" in n for n in Store(data, now=lambda: NOW).notices)
    s.update_session(live, {"status": "completed"})
    raw = json.loads((data / "sessions-2026.json").read_text())["sessions"][str(live)]
    assert "writer" not in raw  # a finished session carries no writer


def test_session_running_on_another_host_is_closed_only_when_old(tmp_path):
    data = tmp_path / "data"
    s = Store(data, now=lambda: NOW)
    sid = s.append_session(session(1, status="running"))
    _running_doc(data, sid, {"pid": 1, "host": "laptop-elsewhere", "seen": "2026-03-10T08:00:00+00:00"})
    assert Store(data, now=lambda: NOW).get_session(sid).status == "running"  # 4 hours: may be live
    later = datetime(2026, 3, 11, 9, 0, tzinfo=timezone.utc)
    assert Store(data, now=lambda: later).get_session(sid).status == "interrupted"
    assert open_store(data, create=False).get_session(sid).status == "interrupted"


def test_read_only_open_creates_nothing(tmp_path):
    target = tmp_path / "new" / "path"
    s = open_store(target, create=False)
    assert s.list_sessions() == [] and s.list_routines() == [] and s.get_profile() == Profile()
    assert s.sessions_stamp() is None
    assert not (tmp_path / "new").exists()
    with pytest.raises(StoreError, match="read-only"):
        s.save_routine(ROUTINE)


# ------------------------------------------------------------------ spliced session writes
def _year(tmp_path: Path) -> Path:
    return tmp_path / "sessions-2026.json"


def _spliced_store(tmp_path: Path) -> Store:
    s = Store(tmp_path, now=lambda: NOW)
    for i in range(3):
        s.append_session(session(i))
    return s


def test_appending_and_updating_the_last_session_splice_the_same_bytes_a_full_write_gives(tmp_path):
    s = _spliced_store(tmp_path)
    f = s._year_file(2026)
    sid = s.append_session(session(3, status="running", note="naïve \u2014 \x1b"))
    assert f.storage.last_write == "splice"
    s.update_session(sid, {"status": "completed", "note": "done", "items": [{"stretch": "cat-cow"}]})
    assert f.storage.last_write == "splice"
    raw = _year(tmp_path).read_bytes()
    assert raw == storage.dump_db(storage.parse_db(raw))  # exactly what serialising it all writes
    s.update_session(1, {"note": "first"})  # not the last one: written in full
    assert f.storage.last_write == "full"
    s.append_session(session(4))
    assert f.storage.last_write == "splice"
    notes = [d.note for d in Store(tmp_path, now=lambda: NOW).list_sessions()]
    assert notes == ["first", "n1", "n2", "done", "n4"]
    assert (tmp_path / "sessions-2026.json.bak").exists()  # the backup link is kept as before


def test_a_session_written_by_another_process_in_between_is_kept(tmp_path):
    ours = _spliced_store(tmp_path)
    sid = ours.append_session(session(3, status="running"))
    theirs = Store(tmp_path, now=lambda: NOW)
    other = theirs.append_session(session(4))
    ours.update_session(sid, {"status": "completed"})  # the file changed under us: re-read, written in full
    assert ours._year_file(2026).storage.last_write == "full"
    ours.append_session(session(5))
    docs = {d.number: d for d in Store(tmp_path, now=lambda: NOW).list_sessions()}
    assert docs[sid].status == "completed" and other in docs and len(docs) == 6


def test_a_hand_formatted_year_file_is_written_in_full(tmp_path):
    s = _spliced_store(tmp_path)
    s.close()
    data = json.loads(_year(tmp_path).read_text())
    _year(tmp_path).write_text(json.dumps(data, indent=2) + "\n")
    s = Store(tmp_path, now=lambda: NOW)
    s.append_session(session(3))
    assert s._year_file(2026).storage.last_write == "full"
    s.append_session(session(4))  # now compact again: spliced
    assert s._year_file(2026).storage.last_write == "splice"
    assert [d.note for d in Store(tmp_path, now=lambda: NOW).list_sessions()] == ["n0", "n1", "n2", "n3", "n4"]


def test_a_spliced_write_that_fails_half_way_changes_nothing(tmp_path, monkeypatch):
    s = _spliced_store(tmp_path)
    sid = s.append_session(session(3, status="running"))
    before = _year(tmp_path).read_bytes()

    def half(fd, data):
        os.write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safe_file, "_write_all", half)
    with pytest.raises(StoreError, match="disk is full"):
        s.update_session(sid, {"status": "completed"})
    monkeypatch.undo()
    assert _year(tmp_path).read_bytes() == before
    s.update_session(sid, {"status": "completed"})  # and keeps working
    assert Store(tmp_path, now=lambda: NOW).get_session(sid).status == "completed"


@pytest.mark.parametrize("where", ["mid-write", "before-rename"])
def test_kill_9_during_a_spliced_write_leaves_the_old_or_the_new_file_complete(tmp_path, where):
    s = _spliced_store(tmp_path)
    sid = s.append_session(session(3, status="running"))
    s.close()
    before = _year(tmp_path).read_bytes()

    def child():
        c = Store(tmp_path, now=lambda: NOW)
        c.append_session(session(4))
        if c._year_file(2026).storage.last_write != "splice":  # the fresh process splices too
            os._exit(5)
        real_write, real_replace = safe_file._write_all, os.replace

        def write_half(fd, data):
            os.write(fd, bytes(data[: len(data) // 2]))
            os._exit(9)

        def die(src, dst, **kw):
            if str(dst).endswith("sessions-2026.json"):
                os._exit(9)
            return real_replace(src, dst, **kw)

        if where == "mid-write":
            safe_file._write_all = write_half
        else:
            os.replace = die
        try:
            c.update_session(sid, {"status": "completed"})
        finally:
            safe_file._write_all, os.replace = real_write, real_replace

    assert wait(fork(child)) == 9
    after = Store(tmp_path, now=lambda: NOW)
    assert after.notices == []  # the file parsed: no backup was needed
    docs = {d.number: d for d in after.list_sessions()}
    assert docs[sid].status == "running"  # the old document, complete
    assert len(docs) == 5 and _year(tmp_path).read_bytes() != before  # the append before the kill is there
