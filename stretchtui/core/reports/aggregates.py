"""Per-year aggregates of the session history, cached beside each year file.

History-wide commands (``summary``, ``suggest``) need a few figures from
every year but the details of only the newest sessions. Each
``sessions-YYYY.json`` gets an aggregate built from its sessions once:

* ``count``, ``counted``, ``seconds``: sessions, sessions that count, active
  seconds that count (the rules of :mod:`stretchtui.core.reports.history`);
* ``days``: the counted days (ordinals), for streaks;
* ``span``: the first and last day of a dated session in it (a file edited
  by hand may hold sessions of other years); ``listed``: the first and last
  of its readable starts in ``list_sessions`` order (for streaming them);
* ``flare``: the pain before its newest session (the progression rule's order);
* ``stretch``: per stretch, the 3 newest records the progression rule reads
  (:func:`~stretchtui.core.domain.progression.records_for`) and every dose
  recorded (each with the key of its newest session);
* ``dose``: the same per (routine, stretch) for the dose-change history
  (:func:`~stretchtui.core.reports.history.doses.dose_entries`), in its order.

Every record and dose carries the sort key of its session, so aggregates of
any set of years merge into exactly what one pass over all their sessions
gives (property-tested against a full recomputation).

The cache, ``sessions-YYYY.json.cache``, is derived data, never user data:
it is keyed by the year file's stamp (size, mtime, ctime, inode, device), so
a year file written by stretchtui, edited by hand or replaced by a sync tool
invalidates it; a missing, damaged or foreign cache is rebuilt from the year
file, never trusted (a version, the stamp and a checksum are checked), and
never blocks: a cache that cannot be written is simply not written. It is
written atomically (temp file, rename) under the store's lock, taken for at
most :data:`LOCK_WAIT` seconds (a busy lock: no cache this time), after
checking under the lock that the year file is still the one read. Import,
migration, backups and recovery never read it. Read-only commands write it
into an existing, writable data folder only (they create no folder).
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..domain.progression import SESSIONS_TO_PROGRESS, Dose, StretchRecord, records_for
from ..domain.session import Session, newest_first, oldest_first
from ..storage.storage import NOFOLLOW, LockTimeout, WriteLock, atomic_write
from .history.doses import dose_entries
from .history.records import (
    active_seconds,
    adds_minutes,
    is_counted,
    is_symptom_stop,
    routine_name,
    session_date,
)
from .history.stats import (
    HistoryStats,
    PainPoint,
    StretchAdherence,
    adherence,
    current_streak,
    heatmap,
    longest_streak,
    weekly_minutes,
)

#: Version of the aggregate this stretchtui writes (another version is rebuilt).
VERSION = 6
CACHE_SUFFIX = ".cache"
#: Largest cache file read (a bigger one is not ours: rebuilt).
MAX_CACHE_BYTES = 8 * 1024 * 1024
#: Longest wait for the store's lock before a cache is written (else it is not written this time).
LOCK_WAIT = 0.05
#: Pain points the History view holds (its chart shows one a column; the newest are kept).
PAIN_POINTS = 1000
#: Newest records kept per stretch (the progression rule reads at most this many in full).
TOP = SESSIONS_TO_PROGRESS

Key = list  # a sort key, JSON-friendly: a list of numbers


def cache_path(year_file: Path) -> Path:
    return year_file.with_name(year_file.name + CACHE_SUFFIX)


def file_stamp(path: Path) -> list[int] | None:
    """What identifies one version of a file: size, mtime, ctime (which no tool can set back), inode, device."""
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


# ---------------------------------------------------------------- sort keys
def order_key(session: Session) -> list:
    """:attr:`Session.order` as a JSON list: ``[start instant or -inf, store number]``."""
    ts, number = session.order
    return [ts, number]


def newest_key(session: Session) -> Key:
    """Ascending = newest first (``newest_first``; undated ones last)."""
    ts, number = session.order
    return [-ts, -number]


# ---------------------------------------------------------------- records
def _rec(record: StretchRecord) -> dict:
    """A record as JSON: every field of :class:`StretchRecord`, the dose as ``[hold, reps]``."""
    out = {f.name: getattr(record, f.name) for f in fields(record)}
    out["dose"] = [record.dose.hold, record.dose.reps] if record.dose is not None else None
    return out


def _unrec(data: Mapping[str, Any]) -> StretchRecord:
    values = dict(data)
    dose = values.get("dose")
    values["dose"] = Dose(int(dose[0]), int(dose[1])) if dose else None
    return StretchRecord(**values)


def _dose_of(rec: Mapping[str, Any]) -> tuple[int, int] | None:
    dose = rec.get("dose")
    return (dose[0], dose[1]) if dose else None


class _Track:
    """What the progression rule can read of one stretch's records (ascending key = newest first).

    Kept: the :data:`TOP` newest records, the newest one answered
    *spreading*, and each dose's newest key. :meth:`records` rebuilds a list
    that answers every question :func:`suggest_item` asks of the full one:
    the first records in full, whether (and when, newest first) a stretch
    spread, the newest counted records before a flare or spread, and the
    first lower dose (``step_down``).
    """

    def __init__(self) -> None:
        self.top: list[tuple[Key, dict]] = []
        self.spread: tuple[Key, dict] | None = None
        self.doses: dict[tuple[int, int], Key] = {}

    def add(self, key: Key, rec: dict) -> None:
        self.top.append((key, rec))
        if len(self.top) > 4 * TOP:
            self._trim()
        if rec.get("response") == "spreading" and (self.spread is None or key < self.spread[0]):
            self.spread = (key, rec)
        dose = _dose_of(rec)
        if dose is not None:
            known = self.doses.get(dose)
            if known is None or key < known:
                self.doses[dose] = key

    def _trim(self) -> None:
        self.top.sort(key=lambda t: t[0])
        del self.top[TOP:]

    def to_json(self) -> dict:
        self._trim()
        return {"top": [[k, r] for k, r in self.top], "spread": list(self.spread) if self.spread else None,
                "doses": [[k, h, r] for (h, r), k in self.doses.items()]}

    def merge(self, data: Mapping[str, Any]) -> None:
        for key, rec in data["top"]:
            self.add(key, rec)
        if data["spread"]:
            key, rec = data["spread"]
            if self.spread is None or key < self.spread[0]:
                self.spread = (key, rec)
        for key, hold, reps in data["doses"]:
            known = self.doses.get((hold, reps))
            if known is None or key < known:
                self.doses[(hold, reps)] = key

    def records(self) -> list[StretchRecord]:
        """Real records (the newest, the newest spread) and, in their place by key, a bare record for
        each dose whose newest occurrence is not among them (counted False, no answer)."""
        self._trim()
        kept = dict((tuple(k), r) for k, r in self.top)
        if self.spread is not None:
            kept.setdefault(tuple(self.spread[0]), self.spread[1])
        entries: list[tuple[tuple, int, StretchRecord]] = [(k, 0, _unrec(r)) for k, r in kept.items()]
        for (hold, reps), key in self.doses.items():
            if tuple(key) not in kept:
                entries.append((tuple(key), 1, StretchRecord(counted=False, dose=Dose(hold, reps))))
        entries.sort(key=lambda e: (e[0], e[1]))
        return [record for _, _, record in entries]


# ---------------------------------------------------------------- one year
def build(sessions: Iterable[Session]) -> dict:
    """The aggregate of one year file's sessions (as ``Store.year_sessions`` gives them)."""
    count = counted = dated = symptoms = running = 0
    seconds = 0.0
    days: set[int] = set()
    span: list[int] | None = None
    listed: list | None = None
    order: list | None = None
    flare: list | None = None
    stretches: dict[str, _Track] = {}
    doses: dict[tuple[str, str], _Track] = {}
    routines: set[str] = set()
    daily: dict[int, float] = {}
    pain: list[list] = []
    rows: dict[str, dict] = {}
    for session in sessions:
        count += 1
        running += session.status == "running"
        if adds_minutes(session):
            seconds += active_seconds(session)
        symptoms += is_symptom_stop(session)
        routines.add(routine_name(session))
        key = newest_key(session)
        day = session_date(session)
        if day is not None:
            n = day.toordinal()
            if is_counted(session):
                days.add(n)
            span = [min(span[0], n), max(span[1], n)] if span else [n, n]
            dated += 1
            ok = order_key(session)
            listed = [min(listed[0], ok), max(listed[1], ok)] if listed else [ok, ok]
            order = [max(order[0], key), min(order[1], key)] if order else [key, key]
            if adds_minutes(session):
                daily[n] = daily.get(n, 0.0) + active_seconds(session) / 60.0
            if session.pain_before is not None or session.pain_after is not None:
                assert session.started_at is not None
                pain.append([*ok, session.started_at.isoformat(), session.pain_before, session.pain_after])
            for dkey, _item, record in dose_entries(session):
                doses.setdefault(dkey, _Track()).add(key, _rec(record))
        if is_counted(session):
            counted += 1
        if flare is None or key < flare[0]:
            flare = [key, session.pain_before]
        for sid in dict.fromkeys(i.stretch for i in session.items):
            found = records_for(sid, [session])
            if found:
                stretches.setdefault(sid, _Track()).add(key, _rec(found[0]))
        for row in adherence([session]):
            entry = {"key": key, "name": row.name, "sessions": row.sessions, "done": row.done,
                     "skipped": row.skipped, "hold": row.hold_seconds, "planned": row.planned}
            if row.stretch in rows:
                _add_row(rows[row.stretch], entry)
            else:
                rows[row.stretch] = entry
    return {
        "count": count, "counted": counted, "seconds": seconds, "days": sorted(days), "span": span,
        "listed": listed, "order": order, "dated": dated, "symptoms": symptoms, "running": running,
        "routines": sorted(routines), "daily": [[n, m] for n, m in sorted(daily.items())],
        # One string, not a list per point: a year of points costs one object to read back.
        "pain": ";".join(f"{ts!r},{number},{iso},{_num(b)},{_num(a)}" for ts, number, iso, b, a in pain),
        "adherence": rows, "flare": flare,
        "stretch": {sid: t.to_json() for sid, t in stretches.items()},
        "dose": [[routine, sid, t.to_json()] for (routine, sid), t in doses.items()],
    }


def _num(value: int | None) -> str:
    return "" if value is None else str(value)


def _pain_points(text: str) -> Iterator[tuple[float, int, str, int | None, int | None]]:
    for entry in text.split(";") if text else ():
        ts, number, iso, before, after = entry.split(",")
        yield (float(ts), int(number), iso, int(before) if before else None, int(after) if after else None)


def _add_row(into: dict, row: Mapping[str, Any]) -> None:
    """Add one adherence row to another (the name of the newest session stands)."""
    if row["key"] < into["key"]:
        into["key"], into["name"] = row["key"], row["name"]
    into["sessions"] += row["sessions"]
    into["hold"] += row["hold"]
    into["planned"] += row["planned"]
    for what in ("done", "skipped"):
        tally = into[what] = dict(into[what])
        for side, n in row[what].items():
            tally[side] = tally.get(side, 0) + n


# ---------------------------------------------------------------- the cache
#: An aggregate's fields also kept in its cache's first line, read without parsing the rest: what
#: looking back a few days (the check-in at start) and streaming every session need of each year
#: (``streams``: the file holds its dated sessions in ``list_sessions`` order, no key twice).
INDEX = ("count", "dated", "listed", "span", "streams")


def _index_bytes(index: Mapping[str, Any]) -> bytes:
    return json.dumps(index, separators=(",", ":"), sort_keys=True).encode()


def _checksum(index: bytes, body: bytes) -> str:
    return hashlib.blake2b(index + b"\0" + body, digest_size=16).hexdigest()


def load_cache(path: Path, stamp: list[int]) -> dict | None:
    """The cached aggregate for a year file with ``stamp``, or None (missing, damaged, stale, not ours).

    The file is a header line (version, the year file's stamp, the aggregate's
    :data:`INDEX` fields, a checksum of them and of the rest) and the
    aggregate's JSON.
    """
    read = _read_cache(path, stamp)
    if read is None:
        return None
    try:
        agg = json.loads(read[1])
    except (ValueError, RecursionError):
        return None
    return agg if isinstance(agg, dict) else None


def load_index(path: Path, stamp: list[int]) -> dict | None:
    """The :data:`INDEX` fields of the cached aggregate (its first line, checked as :func:`load_cache`
    checks the whole), or None."""
    read = _read_cache(path, stamp)
    return read[0] if read is not None else None


def _read_cache(path: Path, stamp: list[int]) -> tuple[dict, bytes] | None:
    """(index, body) of a cache file that is ours, of this version, for ``stamp``, whole; or None."""
    try:
        fd = os.open(path, os.O_RDONLY | NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_CACHE_BYTES:
            return None
        raw = os.read(fd, MAX_CACHE_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    head, _, body = raw.partition(b"\n")
    try:
        header = json.loads(head)
        if not isinstance(header, dict) or header.get("version") != VERSION or header.get("stamp") != stamp:
            return None
        index = header.get("index")
        if (not isinstance(index, dict) or set(index) != set(INDEX)
                or header.get("checksum") != _checksum(_index_bytes(index), body)):
            return None
    except (ValueError, RecursionError, TypeError):
        return None
    return index, body


def _index_of(agg: Mapping[str, Any]) -> dict:
    return {key: agg[key] for key in INDEX}


def save_cache(path: Path, stamp: list[int], agg: dict) -> None:
    body = json.dumps(agg, separators=(",", ":")).encode()
    index = _index_of(agg)
    header = {"version": VERSION, "stamp": stamp, "index": index, "checksum": _checksum(_index_bytes(index), body)}
    atomic_write(path, json.dumps(header).encode() + b"\n" + body)


def year_index(store: Any, year: int, path: Path) -> dict:
    """The :data:`INDEX` fields of one year file's aggregate: from its cache's first line when the file
    is unchanged, else from the aggregate (built and cached)."""
    stamp = file_stamp(path)
    if stamp is not None:
        index = load_index(cache_path(path), stamp)
        if index is not None:
            return index
    return _index_of(year_aggregate(store, year, path))


def year_aggregate(store: Any, year: int, path: Path) -> dict:
    """The aggregate of one year file: from its cache when the file is unchanged, else built (and cached)."""
    cache = cache_path(path)
    stamp = file_stamp(path)
    if stamp is not None:
        cached = load_cache(cache, stamp)
        if cached is not None:
            return cached
    sessions, streams = store.year_sessions_in_order(year)
    agg = build(sessions)
    agg["streams"] = streams
    # A session read as running may read as interrupted later without its file changing
    # (its writer dies, or 12 hours pass): such a year is not cached.
    if stamp is not None and not agg["running"] and file_stamp(path) == stamp and store.can_cache(year):
        lock = WriteLock(store.lock_path, LOCK_WAIT)
        try:
            lock.acquire()
        except (LockTimeout, OSError):
            return agg
        try:
            if file_stamp(path) == stamp:  # still the file read, now that no writer is busy
                save_cache(cache, stamp, agg)
        except OSError:
            pass  # a cache is never worth an error: it is rebuilt next time
        finally:
            lock.release()
    return agg


# ---------------------------------------------------------------- merged
@dataclass
class History:
    """A whole history's aggregates, merged (what ``summary`` and ``suggest`` read)."""

    years: dict[int, dict]
    stretch: dict[str, _Track] = field(default_factory=dict)
    newest_pain_before: int | None = None
    #: ``dose_changes``' ``before`` for the years not read (set by :func:`summary_sessions`)
    doses: dict[tuple[str, str], tuple[Dose, list[StretchRecord]]] = field(default_factory=dict)

    def records_of(self, stretch_id: str) -> list[StretchRecord]:
        """Stands for ``records_for(stretch_id, every session)`` (see :meth:`_Track.records`)."""
        track = self.stretch.get(stretch_id)
        return track.records() if track is not None else []

    @property
    def days(self) -> set[date]:
        """Every counted day (streaks)."""
        return {date.fromordinal(n) for agg in self.years.values() for n in agg["days"]}

    def doses_before(self, years: Iterable[int]) -> dict[tuple[str, str], tuple[Dose, list[StretchRecord]]]:
        """``dose_changes``' state after the sessions of ``years``: per key, the last dose and the records."""
        tracks: dict[tuple[str, str], _Track] = {}
        for year in years:
            for routine, sid, data in self.years[year]["dose"]:
                tracks.setdefault((str(routine), str(sid)), _Track()).merge(data)
        out = {}
        for key, track in tracks.items():
            records = track.records()
            assert records and records[0].dose is not None
            out[key] = (records[0].dose, records)
        return out


def history(store: Any) -> History | None:
    """Every year's aggregate, merged; None when the store has no year files to aggregate (old layout)."""
    if not store.aggregates_available():
        return None
    years = {year: year_aggregate(store, year, path) for year, path in store.session_years()}
    merged = History(years)
    flare: list | None = None
    try:
        for agg in years.values():
            for sid, data in agg["stretch"].items():
                merged.stretch.setdefault(sid, _Track()).merge(data)
            if agg["flare"] is not None and (flare is None or agg["flare"][0] < flare[0]):
                flare = agg["flare"]
    except (KeyError, TypeError, ValueError, IndexError):
        return None  # a cache that passed its checks but is not what this version wrote: read the files
    merged.newest_pain_before = flare[1] if flare is not None else None
    return merged


def summary_sessions(store: Any, first: date, merged: History | None = None,
                     read: Callable[[int], list[Session]] | None = None) -> tuple[list[Session], History | None]:
    """What the clinician summary needs from ``first`` on: the sessions of the years that may hold
    a session on or after ``first`` (in ``list_sessions`` order), and the aggregates standing for
    the older years (None: the documents are every session). ``merged``: :func:`history` when
    the caller has it; ``read``: reads a year's sessions (default ``store.year_sessions``; the
    History view's :meth:`NewestFirst.year_sessions`, which reuses the years it holds)."""
    read = read if read is not None else store.year_sessions
    merged = merged if merged is not None else history(store)
    if merged is None:
        return store.list_sessions(), None
    try:
        years = sorted(merged.years)
        start = first.toordinal()
        tail = {y for y in years if merged.years[y]["span"] is None or merged.years[y]["span"][1] >= start}
        # The dose history runs in instant order: every older year must end before the first
        # read year begins (sessions near New Year in far-apart time zones can interleave).
        while True:
            head = [y for y in years if y not in tail]
            orders = [merged.years[y]["order"] for y in head if merged.years[y]["order"]]
            firsts = [merged.years[y]["order"][0] for y in tail if merged.years[y]["order"]]
            if not orders or not firsts or min(o[1] for o in orders) > max(firsts):
                break
            tail.add(max(head))
        docs = oldest_first(s for y in sorted(tail) for s in read(y))
        merged.doses = merged.doses_before(head)
    except (KeyError, TypeError, ValueError, IndexError):
        return store.list_sessions(), None
    return docs, merged


def recent_sessions(store: Any, since: date) -> list[Session]:
    """The sessions of the year files holding a session started on or after ``since`` (or one without
    a readable start), in ``list_sessions`` order: what looking back a few days needs."""
    if not store.aggregates_available():
        return store.list_sessions()
    start = since.toordinal()
    try:
        spans = {year: year_index(store, year, path)["span"] for year, path in store.session_years()}
        recent = [year for year, span in spans.items() if span is None or span[1] >= start]
    except (KeyError, TypeError, ValueError, IndexError):
        return store.list_sessions()  # a cache that passed its checks but is not what this version wrote
    return oldest_first(s for year in recent for s in store.year_sessions(year))


def _year_counts(store: Any) -> dict[int, dict] | None:
    """Per year file, only its ``count``, ``dated`` and ``listed`` (what :func:`iter_sessions` needs),
    from each year's :func:`year_index` (no whole aggregate is parsed when the caches hold them).
    None: read the files instead."""
    if not store.aggregates_available():
        return None
    counts: dict[int, dict] = {}
    try:
        for year, path in store.session_years():
            agg = year_index(store, year, path)
            counts[year] = {"count": int(agg["count"]), "dated": int(agg["dated"]), "listed": agg["listed"],
                            "streams": agg["streams"] is True}
    except (KeyError, TypeError, ValueError):
        return None  # a cache that passed its checks but is not what this version wrote: read the files
    return counts


def iter_sessions(store: Any) -> Iterator[Session]:
    """Every session in :meth:`Store.list_sessions` order, holding at most about one year file.

    Sessions without a readable start come first, as in ``list_sessions``
    (only the years that hold one are read for them); then years are read
    oldest first, and a session is given out once no year not read yet can
    hold an earlier one (the years' ``listed`` ranges, from their aggregates).
    A year whose file holds its sessions in that order (``streams``: what
    stretchtui's appends make) is given out one session at a time as it is
    read, merged with those held; only the sessions a later year may precede
    (its last days, when time zones far apart put a session in the next
    year's file or the other way round) are held.
    """
    counts = _year_counts(store)
    if counts is None:
        yield from store.list_sessions()
        return
    years = sorted(counts)
    undated = [s for y in years if counts[y]["count"] > counts[y]["dated"]
               for s in store.year_sessions(y) if s.started_at is None]
    yield from oldest_first(undated)
    del undated
    firsts: list[Any] = [None] * (len(years) + 1)  # the earliest readable start in years[i:]
    for i in range(len(years) - 1, -1, -1):
        listed = counts[years[i]]["listed"]
        here = tuple(listed[0]) if listed else None
        later = firsts[i + 1]
        firsts[i] = here if later is None else (later if here is None else min(here, later))
    pending: list[Session] = []
    for i, year in enumerate(years):
        if not counts[year]["dated"]:
            continue
        bound = firsts[i + 1]
        if counts[year]["streams"]:
            # In order in its file: each session as it is read, after the held ones before it;
            # only those a later year may precede (the days around New Year) are held.
            held: list[Session] = []
            given = 0
            for session in store.iter_year_sessions(year):
                if bound is not None and session.order >= bound:
                    held.append(session)
                    continue
                while given < len(pending) and pending[given].order < session.order:
                    yield pending[given]
                    given += 1
                yield session
            pending = oldest_first([*pending[given:], *held])
        else:
            pending = oldest_first([*pending, *(s for s in store.year_sessions(year) if s.started_at is not None)])
        cut = len(pending) if bound is None else next(
            (k for k, s in enumerate(pending) if s.order >= bound), len(pending))
        yield from pending[:cut]
        del pending[:cut]
    yield from pending


# ---------------------------------------------------------------- the History screen's first view
class NewestFirst(Sequence[Session]):
    """Every session newest first, as ``compute_stats`` orders them, read a group of years at a time.

    Its length comes from the aggregates; a session is read when asked for
    (the History table asks a page at a time). Years whose readable starts
    overlap are read together; sessions without a readable start come last,
    in ``list_sessions`` order. At most two groups are kept in memory, and
    the first sessions :meth:`prefetch` read (the table's first rows, read in
    the worker that builds the view, so the UI thread never parses a year
    file for them; :attr:`ready` says how many). :meth:`year_sessions` hands
    out a year the kept groups hold, so the clinician summary does not parse
    the same year file again.
    """

    def __init__(self, store: Any, years: Mapping[int, dict]) -> None:
        self._store = store
        ranked = sorted((y for y in years if years[y]["listed"]), key=lambda y: years[y]["listed"][1], reverse=True)
        self._groups: list[tuple[list[int], int]] = []
        low: Any = None
        for year in ranked:
            first, last = years[year]["listed"]
            if self._groups and last >= low:
                members, n = self._groups[-1]
                self._groups[-1] = ([*members, year], n + years[year]["dated"])
            else:
                self._groups.append(([year], years[year]["dated"]))
            low = first if low is None or self._groups[-1][0] == [year] else min(low, first)
        self._all_years = sorted(years)
        self._dated = sum(n for _, n in self._groups)
        self._total = sum(agg["count"] for agg in years.values())
        #: The kept groups: group -> (its sessions newest first, its year files as the store read them).
        self._loaded: dict[int, tuple[list[Session], dict[int, list[Session]]]] = {}
        self._head: list[Session] = []
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return self._total

    @property
    def ready(self) -> int:
        """How many of the first sessions are held (:meth:`prefetch`): given out without reading."""
        return len(self._head)

    def prefetch(self, least: int, most: int) -> None:
        """Read (here, on this thread) and keep the first sessions: whole groups of years until
        there are ``least`` of them (or no more), and keep at most ``most``. The newest year alone
        usually holds enough: the year before is read when the rows reach it."""
        with self._lock:
            available = 0
            for g, (_, n) in enumerate(self._groups):
                if available >= least:
                    break
                self._group(g)
                available += n
            if available < least and self._dated < self._total:
                available = self._total  # the sessions without a readable start come last
            self._head = [self[i] for i in range(min(available, most, self._total))]

    def year_sessions(self, year: int) -> list[Session]:
        """``store.year_sessions(year)``: a year a kept group holds is not read again."""
        with self._lock:
            for _docs, years in self._loaded.values():
                if year in years:
                    return years[year]
        return self._store.year_sessions(year)

    def _group(self, index: int) -> list[Session]:
        with self._lock:
            kept = self._loaded.get(index)
            if kept is None:
                undated = index < 0  # the sessions without a readable start
                years = self._all_years if undated else self._groups[index][0]
                read = {y: self.year_sessions(y) for y in years}
                docs = newest_first(s for y in years for s in read[y] if (s.started_at is None) == undated)
                while len(self._loaded) >= 2:
                    del self._loaded[next(iter(self._loaded))]
                kept = self._loaded[index] = (docs, read)
            return kept[0]

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._total))]
        i = index + self._total if index < 0 else index
        if not 0 <= i < self._total:
            raise IndexError(index)
        if i < len(self._head):
            return self._head[i]
        offset = 0
        for g, (_, n) in enumerate(self._groups):
            if i < offset + n:
                return self._group(g)[i - offset]
            offset += n
        return self._group(-1)[i - offset]


def history_stats(merged: History, store: Any, today: date, catalog: Any = None,
                  *, weeks: int = 12, heat_weeks: int = 16) -> HistoryStats:
    """``compute_stats(every session, today, catalog)`` from the aggregates (the sessions list is read
    a group of years at a time, when shown; ``pain`` holds the newest :data:`PAIN_POINTS` points)."""
    years = merged.years
    daily: dict[date, float] = {}
    for agg in years.values():
        for n, minutes in agg["daily"]:
            day = date.fromordinal(n)
            daily[day] = daily.get(day, 0.0) + minutes
    days = merged.days
    # The chart draws one column a session, at most a screen's width: the newest PAIN_POINTS are kept.
    pain = sorted(heapq.nlargest(PAIN_POINTS, (p for agg in years.values() for p in _pain_points(agg["pain"])),
                                 key=lambda p: (p[0], p[1])), key=lambda p: (p[0], p[1]))  # oldest first
    rows: dict[str, dict] = {}
    for agg in years.values():
        for sid, row in agg["adherence"].items():
            if sid in rows:
                _add_row(rows[sid], row)
            else:
                rows[sid] = dict(row)
    table = []
    for sid, row in rows.items():
        stretch = catalog.get(sid) if catalog is not None else None
        table.append(StretchAdherence(sid, stretch.name if stretch is not None else row["name"], row["sessions"],
                                      dict(row["done"]), dict(row["skipped"]), row["hold"], row["planned"]))
    table.sort(key=lambda r: (-r.total_done, r.name.casefold(), r.stretch))
    return HistoryStats(
        sessions=NewestFirst(store, years),  # type: ignore[arg-type]
        total=sum(agg["count"] for agg in years.values()),
        counted=sum(agg["counted"] for agg in years.values()),
        current_streak=current_streak((), today, days=days),
        longest_streak=longest_streak((), days=days),
        total_seconds=sum(agg["seconds"] for agg in years.values()),
        weekly=weekly_minutes((), today, weeks, daily=daily),
        heat=heatmap((), today, heat_weeks, daily=daily),
        pain=[PainPoint(datetime.fromisoformat(p[2]), p[3], p[4]) for p in pain],
        adherence=table,
        symptom_stops=sum(agg["symptoms"] for agg in years.values()),
    )


def routine_names(merged: History) -> list[str]:
    """Distinct routine names in the whole history (as ``reports.history.routine_names``)."""
    names = {n for agg in merged.years.values() for n in agg["routines"]}
    return sorted(names, key=lambda n: (n.casefold(), n))
