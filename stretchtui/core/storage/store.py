"""The user's data: saved routines, session history and the profile.

Built on TinyDB with our own crash-safe storage (:mod:`.storage`). What
changes often is kept apart from what grows forever, so that saving a
routine or recording a session costs the same after twenty years of
history. Layout of the data directory (0700, every file 0600)::

    layout.json            {"layout": 2, ...}: which layout this is (written last: the commit marker)
    library.json           tables routines, profile, meta (the next session id)
    sessions-2026.json     table sessions: the sessions started in 2026 (one file per calendar year)
    <file>.bak             the previous good version of each file (a hard link, so it costs no copy)
    store.lock             the write lock for every file (flock; a dead holder releases it)
    <file>.corrupt-<time>  a damaged file found at start-up, kept for the user
    db.json.pre-migration  the old single-file database, kept after it was migrated

Every file is plain JSON a person can read and back up. Every mutation is one
transaction on one file: take the lock (at most ``lock_timeout`` seconds,
else :class:`StoreLocked`), re-read that file, apply the change with a fresh
TinyDB ``Table``, write it atomically (temp file, fsync, link ``.bak``,
rename, fsync dir), unlock. Appending a session, or updating the one last
appended, writes the old bytes of the year file plus that session (see
:mod:`.storage`), so it does not re-serialise the whole year. Saving a routine or the profile writes only
``library.json``; recording a session writes ``library.json`` (the id
counter, reserved first so a crash leaves a gap, never a reused id) and the
year file of the session; updating one writes its year file. Only History
reads every year. Session ids are whole numbers, unique across years.

Migration: a data dir with only the old ``db.json`` (layout 1) is split on
the first writable start, under the lock: every new file is written and
fsynced, then ``layout.json`` is written atomically (the commit), then
``db.json`` is renamed to ``db.json.pre-migration``. A kill at any moment
leaves either the old layout complete (no ``layout.json``: ``db.json`` is
untouched and the next start migrates again) or the new one.

Safety on opening: a data dir or data file that other users may write is
refused (``chmod 700 DIR``), symbolic links in place of the lock, temporary
or data files are refused, and a damaged or missing file is restored from
its ``.bak`` atomically (the damaged copy is copied aside first, never moved
away before its replacement is in place). Sessions left ``running`` by a
process that died are closed as ``interrupted`` (see
:meth:`Store._close_abandoned_sessions`). Opened with ``create=False`` (the
read-only commands), the store creates and changes nothing.

Documents carry ``"schema": 1``; older documents (no ``schema``) are
migrated in memory when read (:func:`migrate`).
"""

from __future__ import annotations

import errno
import json
import os
import re
import socket
import threading
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb import TinyDB
from tinydb.table import Document

from ..domain.models import ITEM_FIELDS, LIMITS, Profile, Routine, RoutineItem
from ..domain.symptoms import SymptomMark, marks_from_list, marks_in, merge, new_marks
from ..errors import StretchtuiError
from ..text import clean_name, clean_text
from .paths import resolve_data_dir
from .safe_file import MAX_DATA_BYTES, MAX_SMALL_BYTES, UnsafeFile, check_folder, read_data_file
from .session_files import LEGACY_NAME as _LEGACY_NAME
from .session_files import SESSIONS_FILE, sessions_name
from .storage import (
    NOFOLLOW,
    TMP_MARK,
    AtomicJSONStorage,
    CorruptDatabase,
    LockTimeout,
    WriteLock,
    atomic_write,
    bad_keys,
    check_db,
    dump_db,
    fsync_dir,
    parse_db,
)
from .strict_json import StrictJSONError
from .strict_json import loads as strict_loads

if TYPE_CHECKING:  # the history side (sessions) is imported where it is used, not at start-up
    from ..domain.session import Session

#: Version of the documents this stretchtui writes.
SCHEMA = 1
#: Version of the data dir's layout (``layout.json``); 1 was the single ``db.json``.
LAYOUT_VERSION = 2
LAYOUT_NAME = "layout.json"
LIBRARY_NAME = "library.json"
LOCK_NAME = "store.lock"
LEGACY_NAME = _LEGACY_NAME
MIGRATED_NAME = "db.json.pre-migration"
DB_NAME = LIBRARY_NAME
#: Store bookkeeping inside a running session document (stripped when read).
WRITER = "writer"
#: Sessions an import holds in memory before writing them (see :meth:`Store.import_sessions`).
IMPORT_BATCH = 5000
#: A running session not saved for longer than this is abandoned, whoever wrote
#: it: its writer is on another host, or none is recorded, or its pid now belongs
#: to another process (pids are reused after a restart). A live player saves at
#: every step, so only a session paused for half a day is mistaken for one; its
#: next save marks it running again.
ABANDONED_AFTER = timedelta(hours=12)
#: Where Linux keeps the id of the current boot (a writer from another boot is gone).
BOOT_ID_PATH = Path("/proc/sys/kernel/random/boot_id")


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
        from ..domain.session import migrate_session_doc  # the history side: loaded on first use

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


def _item_from_dict(data: Any) -> RoutineItem | None:
    if not isinstance(data, dict) or not isinstance(data.get("stretch"), str):
        return None
    # A value a routine file could not hold (a database edited by hand or
    # written by an old build) falls back to the catalog's default.
    dose = {key: data.get(key) for key, spec in ITEM_FIELDS.items() if spec.accepts(data.get(key))}
    return RoutineItem(stretch=data["stretch"], **dose)


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


#: Largest session document saved (a session of 200 items with notes is about 60 KB).
MAX_SESSION_BYTES = 1024 * 1024


def _json_copy(value: Any, what: str) -> Any:
    """A deep, JSON-only copy of ``value`` (the store never keeps a caller's objects), at most
    :data:`MAX_SESSION_BYTES` as JSON (a field of any size would make every later read slow)."""
    try:
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise StoreError(f"cannot save this {what}: {exc}") from None
    if len(text) > MAX_SESSION_BYTES:
        raise StoreError(f"cannot save this {what}: it is {len(text)} bytes as JSON, over the limit of "
                         f"{MAX_SESSION_BYTES}. Nothing was saved.")
    return json.loads(text)


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


def copy_name(base: str, taken: set[str]) -> str:
    """"base (copy)", else "base (copy 2)", ...: the first not in ``taken`` (casefolded names)."""
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


# ---------------------------------------------------------------- files
#: A temporary file of one of the store's files (``.<name>[.bak|.corrupt-…].tmp-<pid>-<hex>``).
_TEMP_FILE = re.compile(r"^\.(library\.json|layout\.json|db\.json|sessions-\d{4}\.json)(\.bak|\.cache|\.corrupt-[\w-]+)?"
                        + re.escape(TMP_MARK))
#: A running session in a file's bytes (a cheap test before parsing it).
_RUNNING = re.compile(rb'"status"\s*:\s*"running"')



def session_year(doc: dict, default: int) -> int:
    """The calendar year a session is filed under: the year of ``started`` (else ``default``)."""
    try:
        when = datetime.fromisoformat(str(doc.get("started")))
    except (TypeError, ValueError):
        return default
    return when.year


class _File:
    """One TinyDB file of the store, its ``.bak`` and whether it was checked this run."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.backup = path.with_name(path.name + ".bak")
        self.storage = AtomicJSONStorage(path, backup=self.backup)
        self.checked = False


def _pid_alive(pid: Any) -> bool:
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, owned by someone else
        return True
    return True


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _symlink_error(path: Path) -> StoreError:
    return StoreError(
        f"{path} is a symbolic link; stretchtui refuses to follow it (it could make it overwrite "
        f"another file). Remove the link (rm {path}) and start again."
    )


# ---------------------------------------------------------------- the store
class Store:
    """Repository over the TinyDB files in ``data_dir`` (see the module docstring).

    ``create=False`` opens the store for reading only and never creates
    anything: a data dir that does not exist reads as empty, and an old
    single-file ``db.json`` is read as it is (not migrated). Read-only
    commands (``history``, ``routines``, ``summary``, ``check``) open it so.
    """

    def __init__(self, data_dir: Path, *, lock_timeout: float = 5.0, create: bool = True,
                 now: Any = None) -> None:
        self.data_dir = Path(data_dir)
        self.lock_timeout = lock_timeout
        self.read_only = False
        self.notices: list[str] = []
        self._now = now or _utc_now
        self.layout_path = self.data_dir / LAYOUT_NAME
        self.lock_path = self.data_dir / LOCK_NAME
        self.library_path = self.data_dir / LIBRARY_NAME
        self.legacy_path = self.data_dir / LEGACY_NAME
        self.db_path = self.library_path  # the file routines and the profile live in
        self._library = _File(self.library_path)
        self._legacy = _File(self.legacy_path)
        self._years: dict[int, _File] = {}
        self._year_of: dict[int, int] = {}  # session id -> year, for ids seen this run
        self._lock = WriteLock(self.lock_path, lock_timeout)
        self._thread_lock = threading.RLock()
        self._lock_depth = 0
        self._closed = False
        self._cleaned = False
        self._absent = False  # read-only open of a data dir that does not exist
        self._legacy_mode = False  # read-only open of the old single-file layout
        try:
            self._prepare_dir(create)
            if self._absent:
                return
            self._check_permissions()
            self._open_layout()
        except OSError as exc:  # a full disk during a migration, a folder without the x permission
            raise self._opening_error(exc) from None
        if not self.read_only:
            self._close_abandoned_sessions()

    def _opening_error(self, exc: OSError) -> StoreError:
        """What to tell when the data folder could not be opened (nothing the store had was lost)."""
        d = self.data_dir
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return StoreError(
                f"the data folder {d} could not be set up: the disk is full{where}. Your data is as it was "
                "(a migration or adoption is committed only once complete, and is redone at the next start). "
                "Free some space and start again."
            )
        if exc.errno in (errno.EACCES, errno.EPERM):
            return StoreError(
                f"cannot open the data folder {d}: permission denied{where}. It must be readable and "
                f"searchable by you: fix it with: chmod 700 {d}"
            )
        return StoreError(f"cannot open the data folder {d}: {exc.strerror or exc}{where}. Nothing was changed.")

    # -- opening -----------------------------------------------------------
    def _prepare_dir(self, create: bool) -> None:
        d = self.data_dir
        if d.exists() and not d.is_dir():
            raise StoreError(
                f"the data path {d} is a file, not a folder. Move it away, or choose a folder "
                "with --data-dir DIR (or STRETCHTUI_DATA_DIR)."
            )
        if not create:
            self.read_only = True
            if not d.exists():
                self._absent = True
            return
        if not d.exists():
            try:
                # exist_ok: two windows started together may both get here (first use).
                d.mkdir(parents=True, mode=0o700, exist_ok=True)
                os.chmod(d, 0o700)
            except (PermissionError, OSError) as exc:
                if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
                    self._go_read_only(f"the data folder {d} cannot be created ({exc.strerror})")
                    self._absent = not d.exists()
                    return
                if isinstance(exc, (NotADirectoryError, FileExistsError)):
                    raise StoreError(
                        f"the data folder {d} cannot be created: part of that path is a file. "
                        "Choose a folder with --data-dir DIR."
                    ) from None
                raise StoreError(f"the data folder {d} cannot be created: {exc.strerror or exc}") from None
            if not d.is_dir():
                raise StoreError(f"the data path {d} is a file, not a folder. Choose a folder with --data-dir DIR.")
        if not self._writable():
            self._go_read_only(f"the data folder {d} is read-only")
            return
        try:  # the lock file must be creatable too (0600), and never through a planted link
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | NOFOLLOW, 0o600)
            os.close(fd)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise self._symlink_error(self.lock_path) from None
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                self._go_read_only(f"the data folder {d} is read-only")
            else:
                raise StoreError(f"cannot use the data folder {d}: {exc.strerror or exc}") from None

    @staticmethod
    def _symlink_error(path: Path) -> StoreError:
        return _symlink_error(path)

    def _check_permissions(self) -> None:
        """Refuse a data dir, or data file, that other users may write (like git's safe.directory)."""
        try:
            check_folder(self.data_dir)
        except UnsafeFile as exc:
            raise StoreError(str(exc)) from None

    def _writable(self) -> bool:
        """Whether we may write in the data dir and to its database files."""
        if not os.access(self.data_dir, os.W_OK | os.X_OK):
            return False
        for path in (self.library_path, self.legacy_path):
            if path.exists() and not os.access(path, os.W_OK):
                return False
        return True

    def _go_read_only(self, why: str) -> None:
        self.read_only = True
        self.notices.append(
            f"{why[0].upper()}{why[1:]}: you can look at your routines and history, "
            "but nothing new will be saved until it is writable."
        )

    def _open_layout(self) -> None:
        if self.layout_path.exists():
            self._check_layout()
            if not self.read_only and self.legacy_path.exists():
                with self._locked():
                    self._finish_migration()
        elif self.read_only:
            if self.legacy_path.exists() or self._legacy.backup.exists():
                self._legacy_mode = True
                self._ensure(self._legacy)
        else:
            with self._locked():
                if not self.layout_path.exists():
                    self._migrate()
        if not self._legacy_mode:
            self._ensure(self._library)

    def _check_layout(self) -> None:
        try:
            info = strict_loads(read_data_file(self.layout_path, MAX_SMALL_BYTES) or b"{}")
            version = info.get("layout") if isinstance(info, dict) else None
        except UnsafeFile as exc:
            raise StoreError(str(exc)) from None
        except (OSError, StrictJSONError):
            version = None
        if isinstance(version, int) and version > LAYOUT_VERSION:
            raise StoreError(
                f"{self.data_dir} was written by a newer stretchtui (layout {version}); "
                "update stretchtui to use it."
            )

    # -- migration from the single db.json, adoption of a folder without its marker --
    def _present(self) -> list[Path]:
        """The data files of the split layout in the folder (and their ``.bak``), whatever wrote them."""
        try:
            names = os.listdir(self.data_dir)
        except OSError:
            return []
        data = [n for n in names
                if n.removesuffix(".bak") == LIBRARY_NAME or SESSIONS_FILE.match(n.removesuffix(".bak"))]
        return [self.data_dir / n for n in sorted(data)]

    def _keep_copy(self, path: Path, raw: bytes | None = None) -> Path:
        """Copy ``path`` (its bytes ``raw`` when already read) to ``<name>.kept-<time>`` before it is replaced."""
        if raw is None:
            raw = read_data_file(path, MAX_DATA_BYTES)
            if raw is None:
                raise FileNotFoundError(errno.ENOENT, "vanished", str(path))
        stamp = self._now().astimezone().strftime("%Y%m%dT%H%M%S")
        kept = path.with_name(f"{path.name}.kept-{stamp}")
        n = 1
        while os.path.lexists(kept):
            kept = path.with_name(f"{path.name}.kept-{stamp}-{n}")
            n += 1
        atomic_write(kept, raw)
        return kept

    def _write_keeping(self, path: Path, data: bytes, kept: list[Path]) -> None:
        """Write ``data`` to ``path``; a different file already there is copied aside first (into ``kept``)."""
        try:
            old = read_data_file(path, MAX_DATA_BYTES)
        except FileNotFoundError:
            old = None
        if old is not None and old != data:
            kept.append(self._keep_copy(path, old))
        if old != data:
            atomic_write(path, data)

    def _migrate(self) -> None:
        """Commit the layout of a folder without ``layout.json`` (lock held).

        The marker never decides to delete: what is in the folder does.

        * Only the old single-file ``db.json``: it is split into the new files.
          Every new file is written and fsynced first; writing ``layout.json``
          (one atomic rename) commits the migration. Until then ``db.json`` is
          untouched and is what every start reads; after it, ``db.json`` is
          only renamed to ``db.json.pre-migration``. A kill -9 at any moment
          leaves one complete layout or the other. A file of the new layout
          already there with other contents (not left by an interrupted
          migration of the same ``db.json``) is copied to ``<name>.kept-<time>``
          before it is replaced, and the notice names it.
        * No ``db.json`` but ``library.json`` or ``sessions-YEAR.json`` files
          (a copied or restored folder, files delivered one at a time by a sync
          tool, a deleted marker): they are adopted as they are; only the
          session id counter is raised past every id found, and the notice says so.
        * Nothing: a new, empty folder.
        """
        legacy = self.legacy_path.exists() or self._legacy.backup.exists()
        present = self._present()
        if not legacy:
            self._adopt(present)
            return
        self._ensure(self._legacy)
        source = self._legacy.storage.read_snapshot()
        sessions = source.get("sessions") or {}
        library = {name: table for name, table in source.items() if name != "sessions"}
        numbered = [int(k) for k in sessions if k.isascii() and k.isdigit()]
        next_id = max(numbered, default=0) + 1
        default_year = self._now().year
        sessions_by_year: dict[int, dict[str, dict]] = {}
        for key, doc in sessions.items():
            if not (key.isascii() and key.isdigit()):  # unreadable before: give it a proper id
                key, next_id = str(next_id), next_id + 1
            year = session_year(doc, default_year)
            sessions_by_year.setdefault(year, {})[key] = doc
        library["meta"] = {"1": {"next_session_id": next_id}}
        kept: list[Path] = []
        for path in self._year_paths():
            m = SESSIONS_FILE.match(path.name)
            if m and int(m.group(1)) not in sessions_by_year:
                # Not from this db.json: set aside whole (a rename keeps every byte), never deleted.
                kept.append(self._keep_copy(path))
                path.unlink()
        for year, docs in sorted(sessions_by_year.items()):
            self._write_keeping(self.data_dir / sessions_name(year), dump_db({"sessions": docs}), kept)
        self._write_keeping(self.library_path, dump_db(library), kept)
        layout = {"layout": LAYOUT_VERSION, "created": self._now().isoformat(timespec="seconds"),
                  "migrated_from": LEGACY_NAME}
        atomic_write(self.layout_path, json.dumps(layout, indent=1).encode() + b"\n")  # the commit
        self._finish_migration()
        count = sum(len(v) for v in sessions_by_year.values())
        self.notices.append(
            f"Your data was moved to the new layout (library.json, and one sessions-YEAR.json per "
            f"year: {count} sessions in {len(sessions_by_year)} files). The original is kept as "
            f"{self.data_dir / MIGRATED_NAME}; you may delete it once you are happy."
        )
        if kept:
            self.notices.append(
                "These files were already in the data folder with other contents and were copied "
                "aside before the migration wrote its own: " + ", ".join(str(p) for p in kept) + "."
            )

    def _adopt(self, present: list[Path]) -> None:
        """Write ``layout.json`` over the files found (lock held): nothing is removed or emptied."""
        layout: dict[str, Any] = {"layout": LAYOUT_VERSION, "created": self._now().isoformat(timespec="seconds")}
        if present:
            layout["adopted"] = [p.name for p in present]
            top = 0
            for path in self._year_paths():
                f = self._year_file(int(SESSIONS_FILE.match(path.name).group(1)))  # type: ignore[union-attr]
                self._ensure(f)
                top = max(top, self._max_key(f))
            if top >= self._counter():
                self._set_counter(top + 1)
        else:
            atomic_write(self.library_path, dump_db({"meta": {"1": {"next_session_id": 1}}}))
        atomic_write(self.layout_path, json.dumps(layout, indent=1).encode() + b"\n")
        if present:
            self.notices.append(
                f"The data folder {self.data_dir} had no layout.json (copied, restored or synced?); "
                f"its files were adopted as they are: {', '.join(p.name for p in present)}. "
                "Nothing was removed."
            )

    def _finish_migration(self) -> None:
        """After the commit: set the old ``db.json`` aside (lock held)."""
        for source, name in ((self.legacy_path, MIGRATED_NAME), (self._legacy.backup, MIGRATED_NAME + ".bak")):
            if not source.exists():  # db.json.bak: the version before the last, kept too
                continue
            target = self.data_dir / name
            n = 1
            while os.path.lexists(target):  # an earlier migration's copy is never replaced
                target, n = self.data_dir / f"{name}-{n}", n + 1
            os.replace(source, target)
        fsync_dir(self.data_dir)

    def _year_paths(self) -> list[Path]:
        try:
            names = os.listdir(self.data_dir)
        except OSError:
            return []
        return [self.data_dir / n for n in names if SESSIONS_FILE.match(n)]

    # -- checking and recovering one file ----------------------------------
    @staticmethod
    def _parses(raw: bytes) -> bool:
        if not raw.strip():
            return False
        try:
            parse_db(raw)
        except CorruptDatabase:
            return False
        return True

    def _good_backup(self, f: _File) -> bytes | None:
        """The backup's bytes when it is a regular file that parses (never through a link: a
        ``.bak`` linked to another file must not be restored in place of this one)."""
        try:
            raw = read_data_file(f.backup, MAX_DATA_BYTES)
        except UnsafeFile as exc:
            self.notices.append(f"The backup {exc} It was not used.")
            return None
        except OSError:
            return None
        if raw is None:
            return None
        return raw if self._parses(raw) else None

    def _ensure(self, f: _File) -> None:
        """Check ``f`` once per run: restore a damaged or missing file from its ``.bak``."""
        if f.checked or self._absent:
            return
        try:
            raw = f.storage.read_raw()
        except IsADirectoryError:
            raise StoreError(f"{f.path} is a folder, not a database file. Move it away and start again.") from None
        except PermissionError:
            raise StoreError(f"cannot read {f.path}: permission denied. Check the file's owner and permissions.") from None
        except UnsafeFile as exc:
            raise StoreError(str(exc)) from None
        if raw is not None and raw.strip():
            try:
                if self._may_write_soon(f):  # the first write then need not parse it again
                    f.storage.prime(raw, parse_db(raw))
                else:  # a year's sessions: checked a document at a time, not all held at once
                    check_db(raw)
                f.checked = True
                return
            except CorruptDatabase:
                pass
        elif raw is None and not f.backup.exists():
            f.checked = True
            return
        if self.read_only:
            backup = self._good_backup(f)
            f.storage.fallback_raw = backup if backup is not None else b"{}"
            what = f"the last good copy ({f.backup})" if backup is not None else "nothing from it"
            problem = "could not be read" if raw is not None else "is missing"
            self.notices.append(
                f"Your database {f.path} {problem}, and stretchtui is not writing to this folder so it "
                f"was left as it is. Showing {what} instead."
            )
            f.checked = True
            return
        try:
            with self._locked():
                raw = f.storage.read_raw()  # another instance may have recovered it meanwhile
                if not ((raw is not None and self._parses(raw)) or (raw is None and not f.backup.exists())):
                    self._recover(f, raw)
        except OSError as exc:
            raise _os_error(exc, f.path) from None
        f.checked = True

    def _may_write_soon(self, f: _File) -> bool:
        """Whether to keep ``f``'s parsed copy for a write: the library only.

        A year file's parsed copy is made by its first write (a session
        recorded: the writer thread parses it then, and keeps it so that the
        next records are spliced in): only reading it (History, a check-in,
        an export) holds none of it, a document at a time (5,000 sessions in a
        year of a 100,000-session history are 25 MiB of dictionaries).
        """
        return not self.read_only and f is self._library

    def _recover(self, f: _File, raw: bytes | None) -> None:
        """Restore ``f`` from its backup (lock held).

        The damaged file is first *copied* to ``<name>.corrupt-<time>``, then
        the restored copy replaces it atomically (temp file, fsync, rename):
        at every moment one complete file is in place, and the damaged one is
        never moved away before its replacement is written.
        """
        backup = self._good_backup(f)
        kept = ""
        if raw is not None:
            stamp = self._now().astimezone().strftime("%Y%m%dT%H%M%S")
            corrupt = f.path.with_name(f"{f.path.name}.corrupt-{stamp}")
            n = 1
            while corrupt.exists():
                corrupt = f.path.with_name(f"{f.path.name}.corrupt-{stamp}-{n}")
                n += 1
            atomic_write(corrupt, raw)
            kept = f" It was copied to {corrupt} and"
        if raw is None:
            assert backup is not None or f.backup.exists()
        if backup is not None:
            atomic_write(f.path, backup)
            if raw is None:
                self.notices.append(
                    f"Your database {f.path} was missing; the last good copy ({f.backup}) was restored. "
                    "The most recent change may be missing."
                )
            else:
                self.notices.append(
                    f"Your database {f.path} could not be read.{kept} the last good copy "
                    f"({f.backup}) was restored; the most recent change may be missing."
                )
        else:
            atomic_write(f.path, b"{}")
            self.notices.append(
                f"Your database {f.path} could not be read and there was no usable backup.{kept} "
                "stretchtui started it empty."
            )

    # -- transactions ------------------------------------------------------
    @contextmanager
    def _locked(self) -> Iterator[None]:
        """The inter-process write lock (re-entrant within this store)."""
        with self._thread_lock:
            if self._lock_depth:
                self._lock_depth += 1
                try:
                    yield
                finally:
                    self._lock_depth -= 1
                return
            try:
                self._lock.acquire()
            except LockTimeout as exc:
                who = f" (process {exc.holder})" if exc.holder else ""
                raise StoreLocked(
                    f"another stretchtui{who} is busy writing in {self.data_dir}; waited "
                    f"{self.lock_timeout:g} s. Nothing was changed: try again, or close other "
                    "stretchtui windows."
                ) from None
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    raise self._symlink_error(self.lock_path) from None
                raise
            self._lock_depth = 1
            try:
                yield
            finally:
                self._lock_depth = 0
                self._lock.release()

    def _clean_temp_files(self) -> None:
        """Remove temporary files left by writers that died (lock held; only writers make them)."""
        try:
            names = os.listdir(self.data_dir)
        except OSError:
            return
        for name in names:
            if _TEMP_FILE.match(name):
                try:
                    os.unlink(self.data_dir / name)
                except OSError:
                    pass
        self._cleaned = True

    def _check_writable(self) -> None:
        self._check_open()
        if self.read_only:
            raise StoreReadOnly(
                f"nothing can be saved: the data folder {self.data_dir} is read-only. "
                "Make it writable or start with --data-dir DIR."
            )

    @contextmanager
    def _write(self, f: _File | None = None) -> Iterator[TinyDB]:
        """lock -> read ``f`` (default: the library) fresh -> (caller changes it) -> atomic write -> unlock."""
        f = f or self._library
        self._check_writable()
        with self._thread_lock:
            try:
                with self._locked():
                    if not self._cleaned:
                        self._clean_temp_files()
                    self._ensure(f)
                    f.storage.begin()
                    ok = False
                    try:
                        data = f.storage.read() or {}
                        wrong = bad_keys(data)
                        if wrong:
                            table, key = wrong[0]
                            raise StoreError(
                                f"{f.path}: the {table!r} entry {key!r} has a key that is not a number "
                                "(was the file edited by hand?). Nothing was saved. Give it an unused "
                                "number as its key, or remove that entry, and try again."
                            )
                        storage = f.storage
                        yield TinyDB(storage=lambda: storage)
                        ok = True
                    finally:
                        f.storage.end(ok)
            except CorruptDatabase:
                raise StoreError(
                    f"{f.path} has been damaged since stretchtui started; nothing was saved. "
                    "Restart stretchtui to restore the backup."
                ) from None
            except UnsafeFile as exc:
                raise StoreError(f"{exc} Nothing was saved.") from None
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    raise self._symlink_error(f.path) from None
                raise _os_error(exc, f.path) from None

    @staticmethod
    @contextmanager
    def _reading(f: _File) -> Iterator[None]:
        """A read of ``f`` after :meth:`_ensure` checked it: what can still go wrong, as a StoreError."""
        try:
            yield
        except CorruptDatabase:
            raise StoreError(
                f"{f.path} cannot be read (it was damaged after stretchtui started). "
                "Restart stretchtui to restore the backup."
            ) from None
        except UnsafeFile as exc:
            raise StoreError(str(exc)) from None
        except OSError as exc:
            raise StoreError(f"cannot read {f.path}: {exc.strerror or exc}") from None

    def _snapshot(self, f: _File) -> dict:
        self._check_open()
        if self._absent:
            return {}
        self._ensure(f)
        with self._reading(f):
            return f.storage.read_snapshot()

    def _stream(self, f: _File, table: str) -> Iterator[tuple[str, dict]]:
        """``table``'s documents of ``f``, one at a time, checked as :meth:`_snapshot` checks."""
        self._check_open()
        if self._absent:
            return
        self._ensure(f)
        with self._reading(f):
            yield from f.storage.iter_table(table)

    def _library_file(self) -> _File:
        return self._legacy if self._legacy_mode else self._library

    def _read_table(self, name: str, f: _File | None = None) -> list[tuple[int, dict]]:
        """All documents of a table, fresh from disk, migrated (non-number keys are skipped)."""
        table = self._snapshot(f or self._library_file()).get(name) or {}
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

    # -- session files -----------------------------------------------------
    def _year_file(self, year: int) -> _File:
        f = self._years.get(year)
        if f is None:
            f = self._years[year] = _File(self.data_dir / sessions_name(year))
        return f

    def _session_files(self) -> list[_File]:
        """Every sessions file (newest year first); in the old layout, db.json."""
        if self._absent:
            return []
        if self._legacy_mode:
            return [self._legacy]
        years: set[int] = set()
        try:
            names = os.listdir(self.data_dir)
        except OSError:
            names = []
        for name in names:
            m = SESSIONS_FILE.match(name.removesuffix(".bak"))
            if m:
                years.add(int(m.group(1)))
        return [self._year_file(y) for y in sorted(years, reverse=True)]

    def _sessions_of(self, f: _File) -> list[Session]:
        return self._file_sessions(f)[0]

    def _file_sessions(self, f: _File) -> tuple[list[Session], bool]:
        """``f``'s sessions in file order, and whether that order is already :meth:`list_sessions`'
        for its dated sessions, with no key twice (:meth:`iter_year_sessions` may then stream it)."""
        out: dict[str, Session] = {}
        in_order = True
        # The file is read one document at a time (storage.iter_db): each is a Session before the
        # next is decoded, so a year file's dictionaries are never all held at once (5,000
        # sessions: tens of MiB). A key twice (a hand edit) keeps the last, as a whole parse does.
        # Every caller orders the sessions itself.
        for key, session, so_far in self._ordered_documents(f):
            in_order = so_far
            if session is None:
                out.pop(key, None)
            else:
                out[key] = session
        return list(out.values()), in_order

    def _ordered_documents(self, f: _File) -> Iterator[tuple[str, Session | None, bool]]:
        """:meth:`_documents`, each with whether the file is in :meth:`list_sessions`' order so far:
        no key twice, and each dated session after the dated ones before it."""
        seen: set[str] = set()
        last: Any = None
        in_order = True
        for key, session in self._documents(f):
            if key in seen:
                in_order = False
            seen.add(key)
            if session is not None and session.started_at is not None:
                if last is not None and session.order < last:
                    in_order = False
                last = session.order if last is None else max(last, session.order)
            yield key, session, in_order

    def _documents(self, f: _File) -> Iterator[tuple[str, Session | None]]:
        """``f``'s session documents, one at a time in file order, each read as a :class:`Session`
        (None: not a mapping); keys that are not the store's numbers are left out."""
        from ..domain.session import Session  # the history side: loaded on first use

        host, now = socket.gethostname(), self._now()
        for key, doc in self._stream(f, "sessions"):
            try:
                number = int(key)
            except ValueError:  # not a session the store numbered (a hand edit): left out
                continue
            if not isinstance(doc, dict):
                continue
            if doc.get("status") == "running" and self._abandoned(doc, host, now):
                doc = _closed(doc)
            elif WRITER in doc:
                doc = {k: v for k, v in doc.items() if k != WRITER}
            try:
                yield key, Session.from_doc(doc, number=number)
            except TypeError:  # not a mapping: nothing to show
                yield key, None

    # -- routines ------------------------------------------------------------
    def list_routines(self) -> list[Routine]:
        routines = [_routine_from_doc(doc) for _, doc in self._read_table("routines")]
        return sorted(routines, key=lambda r: (r.name.casefold(), r.name))

    def get_routine(self, name: str) -> Routine | None:
        key = name_key(name)
        for _, doc in self._read_table("routines"):
            if name_key(str(doc.get("name", ""))) == key:
                return _routine_from_doc(doc)
        return None

    @staticmethod
    def _routine_ids(table: Any) -> dict[str, int]:
        """name key -> doc id for a TinyDB routines table (inside a transaction)."""
        return {name_key(str(doc.get("name", ""))): doc.doc_id for doc in table.all()}

    def save_routine(self, routine: Routine, *, replace: str | None = None) -> Routine:
        name = _clean_routine_name(routine.name)
        doc = _routine_doc(routine, name)
        with self._write(self._library) as db:
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
        with self._write(self._library) as db:
            table = db.table("routines", cache_size=0)
            name = _unique_name(base, set(self._routine_ids(table)))
            doc = _routine_doc(routine, name)
            table.insert(doc)
        return _routine_from_doc(doc)

    def rename_routine(self, old: str, new: str) -> Routine:
        new_name = _clean_routine_name(new)
        with self._write(self._library) as db:
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
        return _routine_from_doc(dict(doc or {}))

    def duplicate_routine(self, name: str) -> Routine:
        with self._write(self._library) as db:
            table = db.table("routines", cache_size=0)
            ids = self._routine_ids(table)
            doc_id = ids.get(name_key(name))
            if doc_id is None:
                raise StoreError(f"there is no routine called {clean_name(name)!r} in the library")
            source = _routine_from_doc(dict(table.get(doc_id=doc_id) or {}))
            new_name = copy_name(source.name, set(ids))
            doc = _routine_doc(source, new_name)
            table.insert(doc)
        return _routine_from_doc(doc)

    def delete_routine(self, name: str) -> None:
        with self._write(self._library) as db:
            table = db.table("routines", cache_size=0)
            doc_id = self._routine_ids(table).get(name_key(name))
            if doc_id is None:
                raise StoreError(f"there is no routine called {clean_name(name)!r} in the library")
            table.remove(doc_ids=[doc_id])

    # -- sessions ------------------------------------------------------------
    def _writer(self) -> dict:
        writer = {"pid": os.getpid(), "host": socket.gethostname(),
                  "seen": self._now().isoformat(timespec="seconds")}
        boot = _boot_id()
        if boot:
            writer["boot"] = boot
        return writer

    def append_session(self, doc: dict, *, session_id: int | None = None) -> int:
        """Record a session; returns its id (``session_id`` when given, e.g. by an import).

        Usually only the session's year file is written. Ids are unique across
        years: the newest year file's highest id, or the counter in
        ``library.json`` when higher, is the highest of all. The counter is
        written (first, so a crash leaves a gap, never a reused id) only when
        that would no longer hold: a new year's first session, a session filed
        in an older year, or a given id.
        """
        if not isinstance(doc, dict):
            raise StoreError("a session must be a mapping")
        if session_id is not None and (isinstance(session_id, bool) or not isinstance(session_id, int)
                                       or session_id < 1):
            raise StoreError(f"a session id must be a whole number from 1 (got {session_id!r})")
        record = _json_copy(doc, "session")
        record.pop("id", None)
        record.pop(WRITER, None)
        record.setdefault("schema", SCHEMA)
        from ..domain.session import new_session_id

        record.setdefault("uuid", new_session_id())
        if session_id is None and "flare" not in record:
            # Whether the profile's flare was on when it was played: sessions in a flare
            # never count toward a step up (core/domain/progression.py).
            record["flare"] = self._flare_on()
        if record.get("status") == "running":
            record[WRITER] = self._writer()
        year = session_year(record, self._now().year)
        self._check_writable()
        with self._locked():
            counter = self._counter()
            years = [int(m.group(1)) for p in self._year_paths() if (m := SESSIONS_FILE.match(p.name))]
            newest = max(years, default=None)
            sid: int | None = session_id
            if session_id is not None:
                if session_id >= counter:
                    self._set_counter(session_id + 1)
            elif newest is not None and year != newest:
                # A new year's first session (or one filed in an older year): every id so far is
                # at most the newest file's highest or the counter's; reserve the next one first.
                sid = max(self._max_key(self._year_file(newest)), counter - 1) + 1
                self._set_counter(sid + 1)
            f = self._year_file(year)
            with self._write(f):
                # The table is changed directly (what TinyDB's insert would do, without rebuilding
                # the year's table twice), and the write splices the new session onto the file.
                data = f.storage.read()
                if data is None:
                    data = {}
                table = data.setdefault("sessions", {})
                keys = {int(k) for k in table}
                top = max(keys, default=0)
                if sid is None:  # the newest file: its highest id (or the counter) is the highest of all
                    sid = max(top, counter - 1) + 1
                if sid in keys:
                    if session_id is not None:
                        raise StoreError(f"session {sid} is already in the history")
                    sid = top + 1  # the counter was behind (a hand edit): never reuse an id
                table[str(sid)] = record
                f.storage.expect_last("sessions", str(sid))  # appended last: the write can splice
                f.storage.write(data)
            self._add_symptom_marks(marks_in(record, self._today()))
        self._year_of[sid] = year
        return sid

    def _counter(self) -> int:
        """The next session id recorded in the library (lock held)."""
        row = (self._snapshot(self._library).get("meta") or {}).get("1")
        counter = row.get("next_session_id") if isinstance(row, dict) else None
        if isinstance(counter, bool) or not isinstance(counter, int) or counter < 1:
            return 1
        return counter

    def _set_counter(self, value: int) -> None:
        with self._write(self._library) as db:
            meta = db.table("meta", cache_size=0)
            row = meta.get(doc_id=1)
            if row is None:
                meta.insert(Document({"next_session_id": value}, doc_id=1))
            elif not isinstance(row.get("next_session_id"), int) or row["next_session_id"] < value:
                meta.update({"next_session_id": value}, doc_ids=[1])

    def _max_key(self, f: _File) -> int:
        table = self._snapshot(f).get("sessions") or {}
        return max((int(k) for k in table if k.isascii() and k.isdigit()), default=0)

    def _files_for(self, session_id: int) -> list[_File]:
        files = self._session_files()
        hint = self._year_of.get(session_id)
        if hint is not None:
            first = self._year_file(hint)
            files = [first] + [f for f in files if f is not first]
        return files

    def update_session(self, session_id: int, changes: dict) -> None:
        sid = int(session_id)
        fields = _json_copy(changes, "session change")
        fields.pop("id", None)
        fields.pop(WRITER, None)
        self._check_writable()

        marks: list[SymptomMark] = []

        def apply(doc: MutableMapping) -> None:
            before = {k: doc.get(k) for k in ("items", "status", "started", "ended", "stop_item")}
            doc.update(fields)
            if doc.get("status") == "running":
                doc[WRITER] = self._writer()
            else:
                doc.pop(WRITER, None)
            marks.extend(new_marks(before, doc, self._today()))

        with self._locked():
            for f in self._files_for(sid):
                with self._write(f):
                    doc = ((f.storage.read() or {}).get("sessions") or {}).get(str(sid))
                    if isinstance(doc, dict):  # changed in place, as TinyDB's update does
                        apply(doc)
                        f.storage.expect_last("sessions", str(sid))  # spliced when it is the last one
                        f.storage.write(f.storage.read() or {})
                        found = True
                    else:
                        found = False
                if found:
                    self._add_symptom_marks(marks)
                    return
        raise StoreError(f"session {session_id} is not in the history (was it deleted?)")

    def get_session(self, session_id: int) -> Session | None:
        """The session numbered ``session_id`` (see :meth:`list_sessions`), or None."""
        for f in self._files_for(int(session_id)):
            for session in self._sessions_of(f):
                if session.number == session_id:
                    return session
        return None

    def list_sessions(self) -> list[Session]:
        """Every recorded session, oldest first (by :attr:`Session.order`).

        The one reading of stored sessions: each document becomes a
        :class:`Session` (its ``number`` is the store's), and a session left
        ``running`` by a writer that is gone reads as ``interrupted`` (derived
        here, nothing is written; see :meth:`_abandoned`).
        """
        from ..domain.session import oldest_first

        return oldest_first(s for f in self._session_files() for s in self._sessions_of(f))

    # -- per-year reading (for .aggregates) ---------------------------------
    def aggregates_available(self) -> bool:
        """Whether the history is kept in year files (not the old single ``db.json``)."""
        self._check_open()
        return not self._legacy_mode

    def session_years(self) -> list[tuple[int, Path]]:
        """``(year, path)`` of every sessions file, newest first."""
        out = []
        for f in self._session_files():
            m = SESSIONS_FILE.match(f.path.name)
            if m:
                out.append((int(m.group(1)), f.path))
        return out

    def year_sessions(self, year: int) -> list[Session]:
        """The sessions of one year file, as :meth:`list_sessions` gives them (oldest first)."""
        return self.year_sessions_in_order(year)[0]

    def year_sessions_in_order(self, year: int) -> tuple[list[Session], bool]:
        """:meth:`year_sessions`, and whether the file holds its dated sessions in that order with no
        key twice (what a file stretchtui appended to holds): then :meth:`iter_year_sessions` can
        give them out one at a time."""
        from ..domain.session import oldest_first

        sessions, in_order = self._file_sessions(self._year_file(year))
        return oldest_first(sessions), in_order

    def iter_year_sessions(self, year: int) -> Iterator[Session]:
        """The dated sessions of a year file that :meth:`year_sessions_in_order` found in order, one
        at a time as they are read (no year file held: ``history --json`` of five thousand sessions
        a year). A file found otherwise now (written to meanwhile) stops it with a
        :class:`StoreError`: what was given out would not be the history's order."""
        f = self._year_file(year)
        for _key, session, in_order in self._ordered_documents(f):
            if not in_order:
                raise StoreError(f"{f.path} changed while it was read. Run the command again.")
            if session is not None and session.started_at is not None:
                yield session

    def can_cache(self, year: int) -> bool:
        """Whether a derived file may be written beside this year file (read as it is on disk, folder writable)."""
        f = self._year_file(year)
        return (not self._absent and f.storage.fallback_raw is None
                and os.access(self.data_dir, os.W_OK | os.X_OK))

    def sessions_stamp(self) -> tuple | None:
        """``(name, st_mtime_ns, st_size, st_ino)`` of every sessions file; None when there is none.

        Every save replaces a file atomically (a new inode, a new mtime), so
        while the stamp is unchanged :meth:`list_sessions` would return the
        same sessions: a reader keeping the last list (the History screen)
        compares stamps instead of re-parsing megabytes. Take the stamp before
        reading, so a save made during the read is seen the next time.
        """
        stamp = []
        for f in self._session_files():
            try:
                st = os.stat(f.path)
            except OSError:
                continue
            stamp.append((f.path.name, st.st_mtime_ns, st.st_size, st.st_ino))
        return tuple(stamp) or None

    def _close_abandoned_sessions(self) -> None:
        """Mark sessions left ``running`` by a process that died as ``interrupted``.

        A running session carries its writer (pid, host, last save). It is
        closed when its writer ran on this host and that process no longer
        exists, or (another host, or no writer recorded) when it was last
        saved more than :data:`ABANDONED_AFTER` ago. A session running in
        another live window is left alone. Only this year's and last year's
        files are looked at, so start-up does not grow with history.
        """
        host = socket.gethostname()
        now = self._now()
        for year in (now.year, now.year - 1):
            f = self._year_file(year)
            try:
                raw = f.storage.read_raw()
            except (OSError, UnsafeFile):
                continue
            if raw is None or b'"running"' not in raw or not _RUNNING.search(raw):
                continue  # the usual case: found without parsing the file
            try:
                docs = self._read_table("sessions", f)
            except StoreError:
                continue
            stale = [i for i, d in docs if d.get("status") == "running" and self._abandoned(d, host, now)]
            if not stale:
                continue

            def close(doc: MutableMapping) -> None:
                if doc.get("status") == "running":
                    closed = _closed(doc)
                    doc.clear()
                    doc.update(closed)

            try:
                with self._write(f) as db:
                    db.table("sessions", cache_size=0).update(close, doc_ids=stale)
            except StoreError:
                continue  # a busy lock or a full disk: try again next start
            self.notices.append(
                f"{len(stale)} session(s) left running when stretchtui stopped unexpectedly "
                "were marked interrupted."
            )

    @staticmethod
    def _abandoned(doc: Mapping, host: str, now: datetime) -> bool:
        """Whether the writer of this running session is gone.

        Gone: it ran on this host and its process no longer exists, or it ran
        before the last restart (another boot id); or, whoever wrote it, it
        was last saved more than :data:`ABANDONED_AFTER` ago (a pid alone
        cannot tell: after a restart it may belong to another process).
        """
        writer = doc.get(WRITER)
        seen = writer.get("seen") if isinstance(writer, dict) else None
        try:
            when = datetime.fromisoformat(str(seen or doc.get("started")))
        except (TypeError, ValueError):
            return True
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        if now - when > ABANDONED_AFTER:
            return True
        if isinstance(writer, dict) and writer.get("host") == host:
            boot = writer.get("boot")
            if isinstance(boot, str) and boot and _boot_id() not in (None, boot):
                return True
            return not _pid_alive(writer.get("pid"))
        return False

    # -- profile -------------------------------------------------------------
    def get_profile(self) -> Profile:
        docs = self._read_table("profile")
        if not docs:
            return Profile()
        return Profile.from_dict(min(docs, key=lambda d: d[0])[1])

    def set_profile(self, profile: Profile) -> None:
        """Save ``profile``. Its symptom marks are the store's: the stored ones are kept
        (a screen holding an older copy never drops a mark recorded meanwhile)."""
        doc = dict(profile.to_dict(), schema=SCHEMA)
        with self._write(self._library) as db:
            table = db.table("profile", cache_size=0)
            ids = sorted(d.doc_id for d in table.all())
            if ids:
                stored = table.get(doc_id=ids[0])
                kept = stored.get("symptom_marks") if isinstance(stored, dict) else None
                doc["symptom_marks"] = list(kept) if isinstance(kept, list) else []
                table.update(doc, doc_ids=[ids[0]])
                if len(ids) > 1:
                    table.remove(doc_ids=ids[1:])
            else:
                table.insert(doc)

    # -- symptom marks (see core/domain/symptoms.py) ------------------------
    def _flare_on(self) -> bool:
        try:
            return self.get_profile().flare
        except StoreError:
            return False

    def _today(self) -> str:
        return self._now().astimezone().date().isoformat()

    def _add_symptom_marks(self, marks: Any) -> None:
        """Add ``marks`` to the stored profile (lock held or not; a no-op for none)."""
        marks = tuple(marks)
        if not marks:
            return
        with self._write(self._library) as db:
            table = db.table("profile", cache_size=0)
            rows = sorted(table.all(), key=lambda d: d.doc_id)
            stored = dict(rows[0]) if rows else dict(Profile().to_dict(), schema=SCHEMA)
            had = marks_from_list(stored.get("symptom_marks"))
            merged = merge(had, marks)
            if merged == had and rows:
                return
            stored["symptom_marks"] = [m.to_dict() for m in merged]
            if rows:
                table.update(stored, doc_ids=[rows[0].doc_id])
            else:
                table.insert(stored)

    def symptom_marks(self) -> tuple[SymptomMark, ...]:
        """The stretches marked by symptoms spreading, by stretch id."""
        return self.get_profile().symptom_marks

    def clear_symptom_marks(self, stretch_ids: Any = None) -> tuple[SymptomMark, ...]:
        """Remove the marks of ``stretch_ids`` (None: every mark); returns the marks removed."""
        wanted = None if stretch_ids is None else set(stretch_ids)
        removed: tuple[SymptomMark, ...] = ()
        with self._write(self._library) as db:
            table = db.table("profile", cache_size=0)
            rows = sorted(table.all(), key=lambda d: d.doc_id)
            if not rows:
                return ()
            stored = dict(rows[0])
            marks = marks_from_list(stored.get("symptom_marks"))
            removed = tuple(m for m in marks if wanted is None or m.stretch in wanted)
            if removed:
                stored["symptom_marks"] = [m.to_dict() for m in marks if m not in removed]
                table.update(stored, doc_ids=[rows[0].doc_id])
        return removed

    def close(self) -> None:
        self._closed = True
        for f in (self._library, self._legacy, *self._years.values()):
            f.storage.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def import_sessions(self, docs: Iterable[dict], *, batch: int = IMPORT_BATCH) -> tuple[int, int]:
        """Add the session documents whose id (``uuid``) is not stored yet; returns ``(added, skipped)``.

        Under the lock, every year is read to know the stored ids, then the
        documents are taken ``batch`` at a time (an iterator is read as it
        goes, so a history file of any size imports in bounded memory) and
        each year file that gets sessions is written in one transaction per
        batch. An import cut off between two writes can be run again: what
        was added is skipped the second time. A document without a valid
        ``uuid`` gets the id :mod:`.session` derives, so an old session
        imported twice is still skipped the second time.
        """
        from ..domain.session import session_id_of

        self._check_writable()
        added = skipped = 0
        with self._locked():
            known: set = set()
            top = 0
            for f in self._session_files():
                for doc_id, doc in self._read_table("sessions", f):
                    known.add(session_id_of(doc))
                    top = max(top, doc_id)
            next_id = max(top, self._counter() - 1) + 1
            default_year = self._now().year
            by_year: dict[int, list[dict]] = {}
            pending = 0
            done = 0
            today = self._today()

            def flush(final: bool = False) -> None:
                nonlocal next_id, pending, done
                if not pending:
                    return
                self._set_counter(next_id + pending)  # reserved first: a crash leaves a gap, never a reused id
                for year, group in sorted(by_year.items()):
                    f = self._year_file(year)
                    try:
                        with self._write(f) as db:
                            rows = []
                            for record in group:
                                rows.append(Document(record, doc_id=next_id))
                                next_id += 1
                            db.table("sessions", cache_size=0).insert_multiple(rows)
                    except StoreError as exc:
                        if not done:
                            raise
                        why = str(exc).split(" Nothing was changed")[0].rstrip(".")
                        total = f"{added}" if final else f"at least {added}"
                        raise StoreError(  # say what is in: the sessions written before this year file are
                            f"{done} of {total} new sessions were imported (the years before {year}); the "
                            f"{added - done} of {year} and later were not: {why}. Run the import again once that "
                            "is fixed: the sessions already imported are skipped."
                        ) from None
                    done += len(group)
                    # the sessions in which symptoms spread mark their stretch (core/domain/symptoms.py)
                    self._add_symptom_marks(m for r in group for m in marks_in(r, today))
                    if not self._may_write_soon(f):
                        f.storage.forget()  # twenty years kept for writes that will not come
                by_year.clear()
                pending = 0

            for doc in docs:
                record = _json_copy(doc, "session")
                record.pop("id", None)
                record.pop(WRITER, None)
                sid = session_id_of(record)
                if sid in known:
                    skipped += 1
                    continue
                known.add(sid)
                record["uuid"] = sid
                by_year.setdefault(session_year(record, default_year), []).append(record)
                added += 1
                pending += 1
                if pending >= batch:
                    flush()
            flush(final=True)
        return added, skipped


def _closed(doc: Mapping) -> dict:
    """A running session whose writer is gone, as ``interrupted`` (ended when last saved)."""
    out = {k: v for k, v in doc.items() if k != WRITER}
    writer = doc.get(WRITER)
    seen = writer.get("seen") if isinstance(writer, dict) else None
    out["status"] = "interrupted"
    if not out.get("ended"):
        out["ended"] = seen or out.get("started")
    return out


_BOOT_ID: list[str | None] = []


def _boot_id() -> str | None:
    """This boot's id (Linux), read once; None where there is none."""
    if not _BOOT_ID:
        try:
            _BOOT_ID.append(BOOT_ID_PATH.read_text(encoding="ascii").strip() or None)
        except (OSError, ValueError):
            _BOOT_ID.append(None)
    return _BOOT_ID[0]


def open_store(data_dir: str | Path | None = None, *, lock_timeout: float = 5.0,
               create: bool = True) -> Store:
    """Open the store in ``data_dir`` (see :func:`.paths.resolve_data_dir`).

    ``create=True`` (the app, ``play``, ``import``, ``export``) creates the data
    dir when needed and migrates an old ``db.json``; ``create=False`` (read-only
    commands) creates nothing and reads an absent data dir as empty.
    """
    return Store(resolve_data_dir(data_dir), lock_timeout=lock_timeout, create=create)
