"""The user's data: saved routines, session history and the profile.

Built on TinyDB with our own crash-safe storage (:mod:`.storage`). Layout of
the data directory (0700)::

    db.json          the database (0600): tables routines, sessions, profile
    db.json.bak      the previous good version (a hard link, so it costs no copy)
    db.json.lock     the write lock (flock; a dead holder releases it)
    db.json.corrupt-<timestamp>   a damaged database found at start-up, kept for the user

Every mutation is one transaction: take the lock (at most ``lock_timeout``
seconds, else :class:`StoreLocked`), re-read the file, apply the change with
a fresh TinyDB ``Table`` (so no cached document ids or query results can be
stale), write atomically, unlock. Two stretchtui instances therefore never
overwrite each other's rows, and doc ids stay unique across processes.

One file, not split. Measured with ``python -m bench.bench_store`` (saving
one session with 10,000 sessions, about 8 MB, already stored; medians of 20,
same run): stock ``JSONStorage.insert`` 205-370 ms (it re-reads and re-parses
the whole file on every insert), ours 130-150 ms (0.45-0.7x), because a file
that is byte-for-byte the one we wrote last is not re-parsed under the lock.
When another instance wrote in between, ours re-parses too: 240 ms (0.8x).
The extra crash-safety costs little: the backup is a hard link (no data
copied, no second fsync) and the directory fsync is one cheap call. So
splitting sessions per year was not needed. The cyclic GC is paused while a
file is parsed (a third faster at 10,000).

Documents carry ``"schema": 1``; older documents (no ``schema``) are
migrated in memory when read (:func:`migrate`).
"""

from __future__ import annotations

import errno
import json
import os
import re
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Optional, Union

from tinydb import TinyDB

from .errors import StretchtuiError
from .models import LIMITS, Profile, Routine, RoutineItem
from .paths import resolve_data_dir
from .session import migrate_session_doc, new_session_id, session_id_of
from .storage import (
    AtomicJSONStorage,
    CorruptDatabase,
    LockTimeout,
    WriteLock,
    atomic_write,
    clean_temp_files,
    parse_db,
)
from .text import clean_name, clean_text

#: Version of the documents this stretchtui writes.
SCHEMA = 1
DB_NAME = "db.json"
TABLES = ("routines", "sessions", "profile")


class StoreError(StretchtuiError):
    """The data directory or database cannot be used as asked."""


class StoreReadOnly(StoreError):
    """The store was opened read-only; nothing can be saved."""


class StoreLocked(StoreError):
    """Another stretchtui held the write lock for too long."""


# ---------------------------------------------------------------- migration
def migrate(table: str, doc: dict) -> dict:
    """Bring a stored document up to :data:`SCHEMA` (in memory; the file is not rewritten).

    Schema 0 (no ``schema`` key, early development builds): routines kept a
    plain list of stretch ids in ``stretches``; sessions kept the active time
    in ``duration`` and had no ``counted``/``stop_reason``/``note``.
    Sessions are migrated by :func:`.session.migrate_session_doc` (which also
    gives them their stable ``uuid``).
    """
    if table == "sessions":
        return migrate_session_doc(doc)
    version = doc.get("schema", 0)
    if isinstance(version, bool) or not isinstance(version, int) or version >= SCHEMA:
        return doc
    doc = dict(doc)
    if table == "routines":
        if "items" not in doc and isinstance(doc.get("stretches"), list):
            doc["items"] = [{"stretch": s} for s in doc["stretches"] if isinstance(s, str)]
        doc.pop("stretches", None)
        doc.setdefault("items", [])
        doc.setdefault("notes", "")
    elif table == "sessions":
        if "active_seconds" not in doc and isinstance(doc.get("duration"), (int, float)):
            doc["active_seconds"] = float(doc["duration"])
        doc.pop("duration", None)
        doc.setdefault("active_seconds", 0.0)
        doc.setdefault("ended", None)
        doc.setdefault("status", "completed" if doc.get("ended") else "interrupted")
        doc.setdefault("counted", True)
        doc.setdefault("stop_reason", None)
        doc.setdefault("items", [])
        doc.setdefault("pain_before", None)
        doc.setdefault("pain_after", None)
        doc.setdefault("note", "")
    doc["schema"] = SCHEMA
    return doc


# ---------------------------------------------------------------- helpers
def name_key(name: str) -> str:
    """How routine names are compared: cleaned, case-insensitive."""
    return clean_name(name).casefold()


def _clean_routine_name(name: Any) -> str:
    if not isinstance(name, str):
        raise StoreError("a routine name must be text")
    cleaned = clean_name(name)
    if not cleaned:
        raise StoreError("a routine needs a name: type one and save again")
    if len(cleaned) > LIMITS["name"]:
        raise StoreError(f"the routine name is too long ({len(cleaned)} characters; the limit is {LIMITS['name']})")
    return cleaned


def _opt_int(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _item_from_dict(data: Any) -> Optional[RoutineItem]:
    if not isinstance(data, dict) or not isinstance(data.get("stretch"), str):
        return None
    sides = data.get("sides")
    return RoutineItem(
        stretch=data["stretch"],
        hold=_opt_int(data.get("hold")),
        reps=_opt_int(data.get("reps")),
        sides=sides if isinstance(sides, str) else None,
        rest=_opt_int(data.get("rest")),
    )


def _routine_from_doc(doc: dict) -> Routine:
    doc = migrate("routines", doc)
    items = tuple(i for i in (_item_from_dict(d) for d in doc.get("items") or []) if i is not None)
    notes = doc.get("notes")
    return Routine(  # cleaned again: a database written by hand or by an old build may hold raw text
        name=clean_name(str(doc.get("name", ""))),
        items=items,
        notes=clean_text(notes) if isinstance(notes, str) else "",
    )


def _routine_doc(routine: Routine, name: str) -> dict:
    notes = clean_text(routine.notes or "")[: LIMITS["notes"]]
    return {
        "schema": SCHEMA,
        "name": name,
        "notes": notes,
        "items": [item.to_dict() for item in routine.items],
    }


def _json_copy(value: Any, what: str) -> Any:
    """A deep, JSON-only copy of ``value`` (the store never keeps a caller's objects)."""
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise StoreError(f"cannot save this {what}: {exc}") from None


def _started_key(doc: dict) -> tuple:
    started = doc.get("started")
    try:
        when = datetime.fromisoformat(str(started))
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return (0, when.timestamp(), doc.get("id", 0))
    except (TypeError, ValueError):
        return (1, 0.0, doc.get("id", 0))


_NUMBERED = re.compile(r"^(.*\S) \((\d+)\)$")


def _numbered(base: str, n: int) -> str:
    suffix = f" ({n})"
    return base[: LIMITS["name"] - len(suffix)].rstrip() + suffix


def _unique_name(base: str, taken: set[str]) -> str:
    """``base``, else "base (2)", "base (3)", ... (a "base (2)" that is taken continues at 3)."""
    if base.casefold() not in taken:
        return base
    start = 2
    match = _NUMBERED.match(base)
    if match:
        base, start = match.group(1), int(match.group(2)) + 1
    n = start
    while _numbered(base, n).casefold() in taken:
        n += 1
    return _numbered(base, n)


def _copy_name(base: str, taken: set[str]) -> str:
    n = 1
    while True:
        suffix = " (copy)" if n == 1 else f" (copy {n})"
        name = base[: LIMITS["name"] - len(suffix)].rstrip() + suffix
        if name.casefold() not in taken:
            return name
        n += 1


def _os_error(exc: OSError, path: Path) -> StoreError:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreReadOnly(
            f"cannot save to {path}: {exc.strerror or exc}. The data folder has become read-only; "
            "nothing was changed. Check its permissions or use --data-dir DIR."
        )
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return StoreError(
            f"cannot save to {path}: the disk is full (or a size limit was reached). "
            "Nothing was changed; free some space and try again."
        )
    return StoreError(f"cannot save to {path}: {exc.strerror or exc}. Nothing was changed; try again.")


# ---------------------------------------------------------------- the store
class Store:
    """Repository over the TinyDB database in ``data_dir`` (see the module docstring)."""

    def __init__(self, data_dir: Path, *, lock_timeout: float = 5.0) -> None:
        self.data_dir = Path(data_dir)
        self.lock_timeout = lock_timeout
        self.read_only = False
        self.notices: list[str] = []
        self.db_path = self.data_dir / DB_NAME
        self.backup_path = self.data_dir / (DB_NAME + ".bak")
        self.lock_path = self.data_dir / (DB_NAME + ".lock")
        self._storage = AtomicJSONStorage(self.db_path, backup=self.backup_path)
        self._lock = WriteLock(self.lock_path, lock_timeout)
        self._thread_lock = threading.RLock()
        self._closed = False
        self._cleaned = False
        self._prepare_dir()
        self._check_database()

    # -- opening -----------------------------------------------------------
    def _prepare_dir(self) -> None:
        d = self.data_dir
        if d.exists() and not d.is_dir():
            raise StoreError(
                f"the data path {d} is a file, not a folder. Move it away, or choose a folder "
                "with --data-dir DIR (or STRETCHTUI_DATA_DIR)."
            )
        if not d.exists():
            try:
                d.mkdir(parents=True, mode=0o700)
                os.chmod(d, 0o700)
            except (PermissionError, OSError) as exc:
                if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
                    self._go_read_only(f"the data folder {d} cannot be created ({exc.strerror})")
                    return
                if isinstance(exc, (NotADirectoryError, FileExistsError)):
                    raise StoreError(
                        f"the data folder {d} cannot be created: part of that path is a file. "
                        "Choose a folder with --data-dir DIR."
                    ) from None
                raise StoreError(f"the data folder {d} cannot be created: {exc.strerror or exc}") from None
        if not self._writable():
            self._go_read_only(f"the data folder {d} is read-only")
            return
        try:  # the lock file must be creatable too (0600)
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
            os.close(fd)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                self._go_read_only(f"the data folder {d} is read-only")
            else:
                raise StoreError(f"cannot use the data folder {d}: {exc.strerror or exc}") from None

    def _writable(self) -> bool:
        """Whether we may write in the data dir and to the database file."""
        if not os.access(self.data_dir, os.W_OK | os.X_OK):
            return False
        if self.db_path.exists() and not os.access(self.db_path, os.W_OK):
            return False
        return True

    def _go_read_only(self, why: str) -> None:
        self.read_only = True
        self.notices.append(
            f"{why[0].upper()}{why[1:]}: you can look at your routines and history, "
            "but nothing new will be saved until it is writable."
        )

    def _check_database(self) -> None:
        try:
            raw = self._storage.read_raw()
        except IsADirectoryError:
            raise StoreError(f"{self.db_path} is a folder, not a database file. Move it away and start again.") from None
        except PermissionError:
            raise StoreError(f"cannot read {self.db_path}: permission denied. Check the file's owner and permissions.") from None
        if raw is None or self._parses(raw):
            return
        if self.read_only:
            self._fallback_read_only()
            return
        try:
            with self._locked():
                raw = self._storage.read_raw()  # another instance may have recovered it meanwhile
                if raw is not None and not self._parses(raw):
                    self._recover()
        except OSError as exc:
            raise _os_error(exc, self.db_path) from None

    @staticmethod
    def _parses(raw: bytes) -> bool:
        if not raw.strip():
            return False
        try:
            parse_db(raw)
        except CorruptDatabase:
            return False
        return True

    def _good_backup(self) -> Optional[bytes]:
        try:
            raw = self.backup_path.read_bytes()
        except OSError:
            return None
        return raw if self._parses(raw) else None

    def _recover(self) -> None:
        """Move the damaged database aside and restore the backup (lock held)."""
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        corrupt = self.data_dir / f"{DB_NAME}.corrupt-{stamp}"
        n = 1
        while corrupt.exists():
            corrupt = self.data_dir / f"{DB_NAME}.corrupt-{stamp}-{n}"
            n += 1
        backup = self._good_backup()
        os.rename(self.db_path, corrupt)
        if backup is not None:
            atomic_write(self.db_path, backup)
            self.notices.append(
                f"Your database {self.db_path} could not be read. It was moved to {corrupt} and the "
                f"last good copy ({self.backup_path}) was restored; the most recent change may be missing."
            )
        else:
            atomic_write(self.db_path, b"{}")
            self.notices.append(
                f"Your database {self.db_path} could not be read and there was no usable backup. "
                f"It was moved to {corrupt} and stretchtui started with empty history and library."
            )

    def _fallback_read_only(self) -> None:
        backup = self._good_backup()
        self._storage.fallback_raw = backup if backup is not None else b"{}"
        what = f"the last good copy ({self.backup_path})" if backup is not None else "an empty library"
        self.notices.append(
            f"Your database {self.db_path} could not be read, and the folder is read-only so it was "
            f"left as it is. Showing {what} instead."
        )

    # -- transactions ------------------------------------------------------
    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self._lock.acquire()
        except LockTimeout as exc:
            who = f" (process {exc.holder})" if exc.holder else ""
            raise StoreLocked(
                f"another stretchtui{who} is busy writing {self.db_path}; waited "
                f"{self.lock_timeout:g} s. Nothing was changed: try again, or close other "
                "stretchtui windows."
            ) from None
        try:
            yield
        finally:
            self._lock.release()

    @contextmanager
    def _write(self) -> Iterator[TinyDB]:
        """lock -> read fresh -> (caller changes the db) -> atomic write -> unlock."""
        self._check_open()
        if self.read_only:
            raise StoreReadOnly(
                f"nothing can be saved: the data folder {self.data_dir} is read-only. "
                "Make it writable or start with --data-dir DIR."
            )
        with self._thread_lock:
            try:
                with self._locked():
                    if not self._cleaned:
                        clean_temp_files(self.db_path)
                        self._cleaned = True
                    self._storage.begin()
                    ok = False
                    try:
                        yield self._db()
                        ok = True
                    finally:
                        self._storage.end(ok)
            except CorruptDatabase:
                raise StoreError(
                    f"{self.db_path} has been damaged since stretchtui started; nothing was saved. "
                    "Restart stretchtui to move it aside and restore the backup."
                ) from None
            except OSError as exc:
                raise _os_error(exc, self.db_path) from None

    def _db(self) -> TinyDB:
        storage = self._storage
        return TinyDB(storage=lambda: storage)

    def _read_table(self, name: str) -> list[tuple[int, dict]]:
        """All documents of a table, fresh from disk, migrated."""
        self._check_open()
        try:
            data = self._storage.read_snapshot()
        except CorruptDatabase:
            raise StoreError(
                f"{self.db_path} cannot be read (it was damaged after stretchtui started). "
                "Restart stretchtui to move it aside and restore the backup."
            ) from None
        except OSError as exc:
            raise StoreError(f"cannot read {self.db_path}: {exc.strerror or exc}") from None
        table = data.get(name) or {}
        out = []
        for key, doc in table.items():
            try:
                doc_id = int(key)
            except ValueError:
                continue
            out.append((doc_id, migrate(name, doc)))
        return out

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("the store is closed")

    # -- routines ------------------------------------------------------------
    def list_routines(self) -> list[Routine]:
        routines = [_routine_from_doc(doc) for _, doc in self._read_table("routines")]
        return sorted(routines, key=lambda r: (r.name.casefold(), r.name))

    def get_routine(self, name: str) -> Optional[Routine]:
        key = name_key(name)
        for _, doc in self._read_table("routines"):
            if name_key(str(doc.get("name", ""))) == key:
                return _routine_from_doc(doc)
        return None

    @staticmethod
    def _routine_ids(table: Any) -> dict[str, int]:
        """name key -> doc id for a TinyDB routines table (inside a transaction)."""
        return {name_key(str(doc.get("name", ""))): doc.doc_id for doc in table.all()}

    def save_routine(self, routine: Routine, *, replace: Optional[str] = None) -> Routine:
        name = _clean_routine_name(routine.name)
        doc = _routine_doc(routine, name)
        with self._write() as db:
            table = db.table("routines", cache_size=0)
            ids = self._routine_ids(table)
            own = ids.get(name_key(name))
            if replace is not None and name_key(replace) != name_key(name):
                old = ids.get(name_key(replace))
                if own is not None:
                    raise StoreError(
                        f"a routine called {name!r} already exists. Choose another name, "
                        "or delete that routine first."
                    )
                own = old
            if own is None:
                table.insert(doc)
            else:
                table.update(doc, doc_ids=[own])
        return _routine_from_doc(doc)

    def add_routine(self, routine: Routine) -> Routine:
        base = _clean_routine_name(routine.name)
        with self._write() as db:
            table = db.table("routines", cache_size=0)
            name = _unique_name(base, set(self._routine_ids(table)))
            doc = _routine_doc(routine, name)
            table.insert(doc)
        return _routine_from_doc(doc)

    def rename_routine(self, old: str, new: str) -> Routine:
        new_name = _clean_routine_name(new)
        with self._write() as db:
            table = db.table("routines", cache_size=0)
            ids = self._routine_ids(table)
            doc_id = ids.get(name_key(old))
            if doc_id is None:
                raise StoreError(f"there is no routine called {clean_name(old)!r} in the library")
            other = ids.get(name_key(new_name))
            if other is not None and other != doc_id:
                raise StoreError(f"a routine called {new_name!r} already exists. Choose another name.")
            table.update({"name": new_name, "schema": SCHEMA}, doc_ids=[doc_id])
            doc = table.get(doc_id=doc_id)
        return _routine_from_doc(dict(doc))

    def duplicate_routine(self, name: str) -> Routine:
        with self._write() as db:
            table = db.table("routines", cache_size=0)
            ids = self._routine_ids(table)
            doc_id = ids.get(name_key(name))
            if doc_id is None:
                raise StoreError(f"there is no routine called {clean_name(name)!r} in the library")
            source = _routine_from_doc(dict(table.get(doc_id=doc_id)))
            new_name = _copy_name(source.name, set(ids))
            doc = _routine_doc(source, new_name)
            table.insert(doc)
        return _routine_from_doc(doc)

    def delete_routine(self, name: str) -> None:
        with self._write() as db:
            table = db.table("routines", cache_size=0)
            doc_id = self._routine_ids(table).get(name_key(name))
            if doc_id is None:
                raise StoreError(f"there is no routine called {clean_name(name)!r} in the library")
            table.remove(doc_ids=[doc_id])

    # -- sessions ------------------------------------------------------------
    def append_session(self, doc: dict) -> int:
        if not isinstance(doc, dict):
            raise StoreError("a session must be a mapping")
        record = _json_copy(doc, "session")
        record.pop("id", None)
        record.setdefault("schema", SCHEMA)
        record.setdefault("uuid", new_session_id())
        with self._write() as db:
            return int(db.table("sessions", cache_size=0).insert(record))

    def update_session(self, session_id: int, changes: dict) -> None:
        fields = _json_copy(changes, "session change")
        fields.pop("id", None)
        with self._write() as db:
            table = db.table("sessions", cache_size=0)
            if not table.contains(doc_id=int(session_id)):
                raise StoreError(f"session {session_id} is not in the history (was it deleted?)")
            table.update(fields, doc_ids=[int(session_id)])

    def get_session(self, session_id: int) -> Optional[dict]:
        for doc_id, doc in self._read_table("sessions"):
            if doc_id == session_id:
                return dict(doc, id=doc_id)
        return None

    def list_sessions(self) -> list[dict]:
        docs = [dict(doc, id=doc_id) for doc_id, doc in self._read_table("sessions")]
        docs.sort(key=_started_key)
        return docs

    def sessions_stamp(self) -> Optional[tuple]:
        """``(st_mtime_ns, st_size, st_ino)`` of the database file, None when there is none yet.

        Every save replaces the file atomically (a new inode, a new mtime), so
        while the stamp is unchanged :meth:`list_sessions` would return the
        same sessions: a reader keeping the last list (the History screen)
        compares stamps instead of re-parsing megabytes. Take the stamp before
        reading, so a save made during the read is seen the next time.
        """
        try:
            st = os.stat(self.db_path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    # -- profile -------------------------------------------------------------
    def get_profile(self) -> Profile:
        docs = self._read_table("profile")
        if not docs:
            return Profile()
        return Profile.from_dict(min(docs, key=lambda d: d[0])[1])

    def set_profile(self, profile: Profile) -> None:
        doc = dict(profile.to_dict(), schema=SCHEMA)
        with self._write() as db:
            table = db.table("profile", cache_size=0)
            ids = sorted(d.doc_id for d in table.all())
            if ids:
                table.update(doc, doc_ids=[ids[0]])
                if len(ids) > 1:
                    table.remove(doc_ids=ids[1:])
            else:
                table.insert(doc)

    def close(self) -> None:
        self._closed = True
        self._storage.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def import_sessions(self, docs: list[dict]) -> tuple[int, int]:
        """Add the session documents whose id (``uuid``) is not stored yet; returns ``(added, skipped)``.

        One transaction: all are added or, on an error, none. A document
        without a valid ``uuid`` gets the id :mod:`.session` derives, so an
        old session imported twice is still skipped the second time.
        """
        records = [_json_copy(doc, "session") for doc in docs]
        added = skipped = 0
        with self._write() as db:
            table = db.table("sessions", cache_size=0)
            known = {session_id_of(migrate("sessions", dict(doc))) for doc in table.all()}
            new = []
            for record in records:
                record.pop("id", None)
                sid = session_id_of(record)
                if sid in known:
                    skipped += 1
                    continue
                known.add(sid)
                record["uuid"] = sid
                new.append(record)
            if new:
                table.insert_multiple(new)
            added = len(new)
        return added, skipped


def open_store(data_dir: Optional[Union[str, Path]] = None, *, lock_timeout: float = 5.0) -> Store:
    """Open (creating if needed) the store in ``data_dir`` (see :func:`.paths.resolve_data_dir`)."""
    return Store(resolve_data_dir(data_dir), lock_timeout=lock_timeout)
