"""A crash-safe TinyDB ``Storage`` and the file lock the store writes under.

Stock ``JSONStorage`` rewrites the database in place (seek, write, truncate),
so a write that fails half-way leaves invalid JSON. :class:`AtomicJSONStorage`
instead writes the whole database to a temporary file in the same directory,
fsyncs it, hard-links the current file to ``<db>.bak`` (the last good copy;
a link costs no data copy), ``os.replace``-s the temporary file over the
database and fsyncs the directory. At every moment the database file is
either the old complete version or the new complete version.

Writers serialise on :class:`WriteLock` (``fcntl.flock`` on ``<db>.lock``;
the kernel releases it when a process dies, so a lock left by a crashed
process never blocks anyone). Readers never need the lock because the file is
only ever replaced atomically.

Transactions (:meth:`AtomicJSONStorage.begin` / :meth:`end`): inside one,
the first :meth:`read` re-reads the file from disk (so a change made by
another process is never overwritten) and later reads return that same data,
so TinyDB's ``Table`` works on one consistent snapshot. To avoid re-parsing
an unchanged file, the bytes last written or read inside a transaction are
kept; when the file read under the lock is byte-for-byte the same, the
already-parsed data is reused. The cached data is only ever handed to
TinyDB inside a transaction (the store copies every document it is given),
and is dropped whenever a transaction fails.

Splicing (:meth:`AtomicJSONStorage.expect_last`): a sessions file is one
table, and the usual change is appending a session or updating the one just
appended: the last document. When the store announces such a change, and
the cached bytes are the file on disk with that table's last document
written compactly at their end, the new file is the old bytes up to that
document plus the new document and the closing braces, instead of the
whole year serialised again. The result is the same bytes a full
serialisation gives, and it is written by the same atomic path.
"""

from __future__ import annotations

import gc
import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from .safe_file import (  # noqa: F401  (re-exported: the store's files are written by the one writer)
    MAX_DATA_BYTES,
    NOFOLLOW,
    TMP_MARK,
    atomic_write,
    fsync_dir,
    read_data_file,
)
from .strict_json import StrictJSONError
from .strict_json import loads as strict_loads

try:  # pragma: no cover - platform dependent
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

class CorruptDatabase(Exception):
    """The database file exists but is not a valid TinyDB JSON document."""


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


#: Whitespace between JSON tokens.
_WS = re.compile(r"[ \t\n\r]*")
#: Decodes one document at a time, as strictly as :func:`parse_db` (no NaN or Infinity).
_DOCUMENT = json.JSONDecoder(parse_constant=_refuse_constant, strict=False)


def skip(text: str, i: int) -> int:
    """The offset of the first non-whitespace character from ``i``."""
    match = _WS.match(text, i)
    return match.end() if match else i


def _db_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise CorruptDatabase(f"not UTF-8 text (bad byte at offset {exc.start})") from None


class _Objects:
    """Reads JSON objects member by member (what :func:`iter_db` needs of a database file)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0  #: where reading goes on

    def expect(self, char: str, problem: str | None = None) -> None:
        """Past ``char`` (and the whitespace around it), or :class:`CorruptDatabase` saying ``problem``."""
        i = skip(self.text, self.at)
        if self.text[i:i + 1] != char:
            raise CorruptDatabase(problem or f"expected {char!r} at offset {i}")
        self.at = skip(self.text, i + 1)

    def members(self, what: str) -> Iterator[str]:
        """The keys of the object whose ``{`` was just read, in order; at each, :attr:`at` is the
        member's value, which the caller reads and moves :attr:`at` past."""
        text = self.text
        if text[self.at:self.at + 1] == "}":
            self.at += 1
            return
        while True:
            i = self.at
            if text[i:i + 1] != '"':
                raise CorruptDatabase(f"expected {what} at offset {i}")
            key, self.at = _scanstring(text, i + 1, False)
            self.expect(":")
            yield key
            i = skip(text, self.at)
            if text[i:i + 1] == ",":
                self.at = skip(text, i + 1)
                continue
            if text[i:i + 1] != "}":
                raise CorruptDatabase(f"expected ',' or '}}' at offset {i}")
            self.at = i + 1
            return


#: json's own string reader (typeshed does not list it).
_scanstring: Any = getattr(json.decoder, "scanstring")  # noqa: B009


def iter_db(raw: bytes | str) -> Iterator[tuple[str, str, dict]]:
    """``(table, key, document)`` for every document of database bytes, one at a time.

    What :func:`parse_db` accepts, read without building the whole file's
    objects at once: a year of sessions (5,000 documents) would otherwise be
    tens of MiB of dictionaries just to be turned into sessions one by one.
    Raises :class:`CorruptDatabase` where :func:`parse_db` does, possibly
    after some documents were yielded: callers that must not act on part of
    a damaged file check it first (:meth:`check_db`).
    """
    text = raw if isinstance(raw, str) else _db_text(raw)
    del raw
    reader = _Objects(text)
    try:
        reader.expect("{", "the top level is not an object")
        for name in reader.members("a table name"):
            reader.expect("{", f"table {name!r} is not an object of documents")
            for key in reader.members("a document key"):
                document, reader.at = _DOCUMENT.raw_decode(text, reader.at)
                if not isinstance(document, dict):
                    raise CorruptDatabase(f"table {name!r} is not an object of documents")
                yield name, key, document
        end = skip(text, reader.at)
        if end != len(text):
            raise CorruptDatabase(f"extra data at offset {end}")
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, a constant, a runaway nesting
        raise CorruptDatabase(str(exc) or type(exc).__name__) from None


def check_db(raw: bytes) -> None:
    """Raise :class:`CorruptDatabase` unless :func:`parse_db` would accept ``raw`` (holding one document at a time)."""
    for _item in iter_db(raw):
        pass


class LockTimeout(Exception):
    """The write lock could not be taken in time."""

    def __init__(self, holder: int | None) -> None:
        super().__init__(holder)
        self.holder = holder


def parse_db(raw: bytes) -> dict:
    """Parse database bytes; raise :class:`CorruptDatabase` unless it is ``{table: {id: doc}}``."""
    # Parsing creates one object per value; pausing the cyclic GC meanwhile
    # makes a large file parse about a third faster (it cannot create cycles).
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        # The store's files are written by stretchtui from dicts (no key twice); NaN,
        # Infinity, runaway nesting and bad UTF-8 are refused like in every other file.
        data = strict_loads(raw, duplicates=False, max_depth=None)
    except StrictJSONError as exc:
        raise CorruptDatabase(str(exc)) from None
    finally:
        if paused:
            # The parsed data (50,000 containers at 10,000 sessions) is long-lived:
            # move everything young straight to the oldest generation (freeze, then
            # unfreeze, walks nothing) instead of letting the young-generation
            # collections walk it twice on its way there (~0.1-0.3 s at 10,000).
            # Nothing is lost: cyclic garbage moved along waits for the next full
            # collection. Not when objects are frozen already (the app freezes what
            # it made at start-up, ui/app.py): unfreeze would thaw those too, and
            # full collections would walk them again; the young ones then take
            # the ordinary way.
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()
    if not isinstance(data, dict):
        raise CorruptDatabase("the top level is not an object")
    for name, table in data.items():
        if not isinstance(table, dict) or not all(isinstance(d, dict) for d in table.values()):
            raise CorruptDatabase(f"table {name!r} is not an object of documents")
    return data


def bad_keys(data: dict) -> list[tuple[str, str]]:
    """``(table, key)`` of every document whose key is not a whole number (a hand-edited file)."""
    return [(name, key) for name, table in data.items() for key in table
            if not (isinstance(key, str) and key.isascii() and key.isdigit())]


def dump_db(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode("ascii")


def _entry(key: str, doc: Any) -> bytes:
    """One member of a table as :func:`dump_db` writes it: ``"key":{...}``."""
    return json.dumps({key: doc}, separators=(",", ":")).encode("ascii")[1:-1]


class _Tail:
    """Where the last document of a one-table file starts in its bytes (for splicing).

    ``raw`` is ``{"<table>":{...,<entry>}}`` with ``<entry>`` (the member of
    ``key``) at ``raw[start:-2]``; ``count`` is the number of documents.
    """

    __slots__ = ("count", "key", "start", "table")

    def __init__(self, table: str, key: str, start: int, count: int) -> None:
        self.table, self.key, self.start, self.count = table, key, start, count

    @classmethod
    def of(cls, raw: bytes, data: dict) -> _Tail | None:
        """The tail of ``raw`` (just parsed into ``data``, or dumped from it), or None when it cannot be spliced."""
        if len(data) != 1 or not raw.endswith(b"}}"):
            return None
        (table, docs), = data.items()
        if not isinstance(docs, dict) or not docs:
            return None
        key = next(reversed(docs))
        entry = _entry(key, docs[key])
        start = len(raw) - 2 - len(entry)
        if start < 1 or raw[start - 1] not in b",{" or raw[start:-2] != entry:
            return None
        return cls(table, key, start, len(docs))


class WriteLock:
    """An exclusive, inter-process write lock on ``path`` (``fcntl.flock``).

    :meth:`acquire` polls for at most ``timeout`` seconds and then raises
    :class:`LockTimeout` (never hangs). A lock held by a process that died is
    released by the kernel, so stale locks recover by themselves. The holder's
    pid is written into the file only to name it in messages.
    """

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None
        self._fallback: Any = None

    def acquire(self) -> None:
        if fcntl is None:  # pragma: no cover - Windows
            import filelock

            if self._fallback is None:
                self._fallback = filelock.FileLock(str(self.path), timeout=self.timeout)
            try:
                self._fallback.acquire()
            except filelock.Timeout:
                raise LockTimeout(None) from None
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | NOFOLLOW, 0o600)
        deadline = time.monotonic() + max(self.timeout, 0.0)
        delay = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = self._read_holder(fd)
                    os.close(fd)
                    raise LockTimeout(holder) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.01)
            except BaseException:
                os.close(fd)
                raise
        self._fd = fd
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass

    @staticmethod
    def _read_holder(fd: int) -> int | None:
        try:
            return int(os.pread(fd, 32, 0).decode().strip() or "x")
        except (OSError, ValueError):
            return None

    def release(self) -> None:
        if self._fallback is not None:  # pragma: no cover - Windows
            self._fallback.release()
            return
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def __enter__(self) -> WriteLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class AtomicJSONStorage(Storage):
    """TinyDB storage over one JSON file, written atomically (see the module docstring)."""

    def __init__(self, path: Path, *, backup: Path | None = None) -> None:
        self.path = Path(path)
        self.backup = backup
        #: When set, reads return this (parsed fresh each time) instead of the file:
        #: used when a damaged database cannot be moved aside (read-only data dir).
        self.fallback_raw: bytes | None = None
        self._in_txn = False
        self._txn_data: dict | None = None
        self._cache_raw: bytes | None = None
        self._cache_data: dict | None = None
        self._cache_tail: _Tail | None = None  # where _cache_raw's last document starts
        self._expect: tuple[str, str] | None = None  # (table, key): this transaction changes only that document
        #: How the last write was made ("splice" or "full"); for tests and benchmarks.
        self.last_write: str | None = None

    # -- reading ---------------------------------------------------------
    def read_raw(self) -> bytes | None:
        """The file's bytes (None when missing); a link, FIFO, device or oversized file is an ``UnsafeFile``."""
        return read_data_file(self.path, MAX_DATA_BYTES)

    def read(self) -> dict | None:
        if self._in_txn:
            if self._txn_data is None:
                self._txn_data = self._load_for_txn()
            return self._txn_data
        return self.read_snapshot()

    def read_snapshot(self) -> dict:
        """A freshly parsed copy of the file, never shared (safe from any thread)."""
        if self.fallback_raw is not None:
            return parse_db(self.fallback_raw)
        raw = self.read_raw()
        if raw is None:
            return {}
        return parse_db(raw)

    def iter_table(self, table: str) -> Iterator[tuple[str, dict]]:
        """``(key, document)`` of ``table``, read from the file one document at a time (see :func:`iter_db`)."""
        raw = self.fallback_raw if self.fallback_raw is not None else self.read_raw()
        if raw is None:
            return
        text = _db_text(raw)
        del raw  # the text alone while the documents are read (a year file: MiB)
        for name, key, document in iter_db(text):
            if name == table:
                yield key, document

    def _load_for_txn(self) -> dict:
        raw = self.read_raw()
        if raw is None:
            self._cache_raw = self._cache_data = None
            return {}
        if self._cache_raw is not None and self._cache_data is not None and raw == self._cache_raw:
            return self._cache_data
        data = parse_db(raw)
        self._keep(raw, data, None)
        return data

    def _keep(self, raw: bytes | None, data: dict | None, tail: _Tail | None) -> None:
        """Remember the file's bytes, their parsed data and (lazily, when None) where the last document starts."""
        self._cache_raw, self._cache_data = raw, data
        self._cache_tail = tail if tail is not None or raw is None or data is None else _Tail.of(raw, data)

    def forget(self) -> None:
        """Drop the copy kept for the next write (a file written once, like an old year by an import)."""
        self._keep(None, None, None)

    def prime(self, raw: bytes, data: dict) -> None:
        """Keep ``data`` (just parsed from ``raw`` by the caller) so the next transaction need not re-parse."""
        if not self._in_txn:
            self._keep(raw, data, None)

    # -- writing ---------------------------------------------------------
    def begin(self) -> None:
        self._in_txn = True
        self._txn_data = None
        self._expect = None

    def end(self, ok: bool) -> None:
        self._in_txn = False
        self._txn_data = None
        self._expect = None
        if not ok:
            self._keep(None, None, None)

    def expect_last(self, table: str, key: str) -> None:
        """Announce (inside a transaction) that its write changes only document ``key`` of ``table``.

        The write then splices when it can: ``key`` must end up the table's
        last document, either appended after the previous last one or
        replacing it. Anything else (another process wrote meanwhile, a file
        written by hand, a document in the middle) is serialised in full.
        """
        self._expect = (table, key)

    def _spliced(self, data: dict) -> tuple[bytes, _Tail] | None:
        """The new file as the old bytes plus the changed last document, or None when that is not safe."""
        expect, raw, tail = self._expect, self._cache_raw, self._cache_tail
        if expect is None or raw is None or tail is None or self._txn_data is not data:
            return None
        table, key = expect
        docs = data.get(table)
        if len(data) != 1 or tail.table != table or not isinstance(docs, dict) or not docs:
            return None
        keys = reversed(docs)
        if next(keys) != key:
            return None
        entry = _entry(key, docs[key])
        if key == tail.key and len(docs) == tail.count:  # the last document, changed
            return raw[: tail.start] + entry + b"}}", _Tail(table, key, tail.start, tail.count)
        if len(docs) == tail.count + 1 and next(keys, None) == tail.key:  # appended after the old last one
            start = len(raw) - 1  # after the comma that follows the old last document
            return raw[:-2] + b"," + entry + b"}}", _Tail(table, key, start, tail.count + 1)
        return None

    def write(self, data: dict) -> None:
        spliced = self._spliced(data) if self._in_txn else None
        if spliced is not None:
            raw, tail = spliced
            self.last_write = "splice"
        else:
            raw, tail = dump_db(data), None
            self.last_write = "full"
        atomic_write(self.path, raw, backup=self.backup)
        if self._in_txn:
            self._txn_data = data
            self._keep(raw, data, tail)
        else:
            self._keep(None, None, None)
        self.fallback_raw = None

    def close(self) -> None:
        self._keep(None, None, None)
