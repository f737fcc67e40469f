"""Per-year aggregates (``core/reports/aggregates.py``) give exactly what reading every session gives.

A property test over random histories: time zones far apart around New
Year, naive and unreadable starts, future-dated sessions, sessions moved by
hand into another year's file, every status, dose and answer. For each, the
clinician summary and the progression rule's suggestions computed from the
aggregates (built, then read back from their caches) equal those computed
from the full session list; and stay equal after a year file is edited by
hand, a cache is deleted, damaged or replaced by another year's.
"""

from __future__ import annotations

import json
import os
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from stretchtui.commands.adapt_cmd import stored_sessions
from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.models import Profile, Routine, RoutineItem
from stretchtui.core.domain.progression import suggest_routine
from stretchtui.core.reports import aggregates as ag
from stretchtui.core.reports.history import clinician_summary
from stretchtui.core.storage import store as st

STRETCHES = ("knee-to-chest", "cat-cow", "childs-pose", "prone-press-up")
ROUTINES = ("Morning stiffness", "Desk break", "morning STIFFNESS")
STATUSES = ("completed", "completed", "completed", "stopped", "symptoms", "interrupted", "running")
RESPONSES = (None, "better", "same", "worse", "spreading")
CATALOG = load_catalog()


def _started(rng: random.Random, today: date) -> str | None:
    kind = rng.random()
    if kind < 0.03:
        return None
    if kind < 0.05:
        return "not a date"
    if kind < 0.15:  # around a New Year, in time zones far apart
        year = rng.choice((today.year - 2, today.year - 1, today.year))
        base = datetime(year, 1, 1, tzinfo=timezone.utc) + timedelta(hours=rng.uniform(-30, 30))
    elif kind < 0.18:  # in the future
        base = datetime.combine(today, datetime.min.time(), timezone.utc) + timedelta(days=rng.randint(1, 900))
    else:
        base = datetime.combine(today, datetime.min.time(), timezone.utc) - timedelta(days=rng.uniform(0, 4 * 365))
    if rng.random() < 0.04:
        return base.replace(tzinfo=None).isoformat()  # naive
    offset = timezone(timedelta(hours=rng.choice((-12, -5, 0, 1, 9, 14))))
    return base.astimezone(offset).isoformat()


def random_doc(rng: random.Random, today: date) -> dict:
    items = []
    for sid in rng.sample(STRETCHES, rng.randint(0, 3)) + ([rng.choice(STRETCHES)] if rng.random() < 0.1 else []):
        sides = rng.choice((("left", "right"), ("both",)))
        item = {"stretch": sid, "name": sid.title(), "mode": "hold", "hold": rng.choice((20, 25, 30, 35)),
                "reps": rng.choice((2, 3, 4)), "sides": "each" if len(sides) == 2 else "none", "rest": 10,
                "done": {s: rng.choice((0, 1, 3)) for s in sides}, "skipped": {s: rng.choice((0, 1)) for s in sides}}
        if rng.random() < 0.1:
            item.pop("hold")
        response = rng.choice(RESPONSES)
        if response is not None:
            item["response"] = response
        items.append(item)
    status = rng.choice(STATUSES)
    doc = {
        "schema": 3, "routine": rng.choice(ROUTINES), "started": _started(rng, today), "ended": None,
        "status": status, "counted": rng.random() > 0.1, "stop_reason": "symptoms" if status == "symptoms" else None,
        "active_seconds": rng.choice((0, 60.0, 181.5, 600)), "planned_seconds": 600, "items": items,
        "steps_done": rng.choice((0, 3, 10)), "steps_total": 12,
        "pain_before": rng.choice((None, 1, 3, 5, 7, 8)), "pain_after": rng.choice((None, 0, 2, 5, 9)),
        "note": "",
    }
    if rng.random() < 0.15:
        doc["checkin"] = {"answer": rng.choice(("better", "same", "worse")), "at": "2026-01-01T00:00:00+00:00"}
    if doc["started"] is None:
        del doc["started"]
    return doc


def write_history(data_dir: Path, docs: list[dict], rng: random.Random, today: date) -> None:
    """Docs in the store's layout (one file per year); a few filed by hand in another year's file."""
    data_dir.mkdir(mode=0o700, exist_ok=True)
    by_year: dict[int, dict[str, dict]] = {}
    for i, doc in enumerate(docs):
        year = st.session_year(doc, today.year)
        if rng.random() < 0.03:
            year = rng.choice((today.year - 3, today.year - 1, today.year))  # moved by hand
        by_year.setdefault(year, {})[str(i + 1)] = doc
    for year, table in by_year.items():
        path = data_dir / st.sessions_name(year)
        path.write_text(json.dumps({"sessions": table}))
        os.chmod(path, 0o600)
    (data_dir / st.LIBRARY_NAME).write_text(json.dumps({"meta": {"1": {"next_session_id": len(docs) + 1}}}))
    (data_dir / st.LAYOUT_NAME).write_text(json.dumps({"layout": st.LAYOUT_VERSION}))
    for name in (st.LIBRARY_NAME, st.LAYOUT_NAME):
        os.chmod(data_dir / name, 0o600)


ROUTINE = Routine("Mine", tuple(RoutineItem(s) for s in STRETCHES))


def full_figures(store: st.Store, today: date, weeks: int, profile: Profile | None) -> tuple:
    sessions = store.list_sessions()
    summary = clinician_summary(sessions, CATALOG, today, weeks=weeks)
    plan = suggest_routine(ROUTINE, CATALOG, stored_sessions(store), profile=profile)
    return summary, plan.to_json(), plan.flare


def aggregate_figures(store: st.Store, today: date, weeks: int, profile: Profile | None) -> tuple:
    docs, earlier = ag.summary_sessions(store, today - timedelta(days=7 * weeks - 1))
    assert earlier is not None
    summary = clinician_summary(docs, CATALOG, today, weeks=weeks,
                                earlier_days=earlier.days, earlier_doses=earlier.doses)
    merged = ag.history(store)
    assert merged is not None
    plan = suggest_routine(ROUTINE, CATALOG, [], profile=profile, summary=merged)
    return summary, plan.to_json(), plan.flare


def check_equal(data_dir: Path, today: date, rng: random.Random) -> None:
    store = st.open_store(data_dir, create=False)
    try:
        for weeks in (1, 4, rng.randint(2, 80)):
            profile = Profile(flare=True) if rng.random() < 0.2 else None
            assert aggregate_figures(store, today, weeks, profile) == full_figures(store, today, weeks, profile)
    finally:
        store.close()


@pytest.mark.parametrize("seed", range(10))
def test_aggregates_equal_a_full_recomputation(tmp_path, seed):
    rng = random.Random(seed)
    today = date(2026, 1, 2) + timedelta(days=rng.randint(0, 400))
    docs = [random_doc(rng, today) for _ in range(rng.randint(0, 120))]
    write_history(tmp_path, docs, rng, today)
    check_equal(tmp_path, today, rng)  # built
    store = st.open_store(tmp_path, create=False)
    merged = ag.history(store)
    store.close()
    for year, agg in merged.years.items():  # a year with a session read as running is never cached
        assert (tmp_path / f"sessions-{year}.json.cache").exists() == (agg["running"] == 0)
    check_equal(tmp_path, today, rng)  # read back from the caches

    # A year file edited by hand (a session added, another's dose changed): its cache is stale.
    years = sorted(tmp_path.glob("sessions-*.json"))
    if years:
        path = rng.choice(years)
        data = json.loads(path.read_text())
        table = data["sessions"]
        extra = random_doc(rng, today)
        table[str(len(docs) + 50)] = extra
        for doc in table.values():
            for item in doc.get("items", []):
                item["hold"] = 40
                break
        path.write_text(json.dumps(data))
        check_equal(tmp_path, today, rng)

    # Caches deleted, damaged, or swapped between years: rebuilt, never trusted.
    caches = sorted(tmp_path.glob("*.cache"))
    if len(caches) >= 2:
        caches[0].unlink()
        # still valid JSON, its counted days gone: the checksum catches it
        caches[1].write_text(caches[1].read_text().replace('"days":[', '"days":[],"was":[', 1))
        caches[2 % len(caches)].write_text('{"version": 3, "stamp": [')
        check_equal(tmp_path, today, rng)
        a, b = sorted(tmp_path.glob("*.cache"))[:2]
        a.write_bytes(b.read_bytes())
        check_equal(tmp_path, today, rng)


def test_a_year_file_changed_without_stretchtui_invalidates_its_cache(tmp_path):
    rng = random.Random(7)
    today = date(2026, 3, 10)
    doc = random_doc(rng, today) | {"started": "2026-03-09T08:00:00+01:00", "status": "completed",
                                    "counted": True, "steps_done": 3, "active_seconds": 600}
    write_history(tmp_path, [doc], random.Random(99), today)
    path = tmp_path / "sessions-2026.json"
    store = st.open_store(tmp_path, create=False)
    assert ag.year_aggregate(store, 2026, path)["count"] == 1
    assert (tmp_path / "sessions-2026.json.cache").exists()
    # A sync tool replaces the file with one of the same size and mtime: still seen (inode, ctime).
    stamp = os.stat(path)
    data = json.loads(path.read_text())
    data["sessions"]["2"] = dict(doc, started="2026-03-08T08:00:00+01:00")
    path.write_text(json.dumps(data))
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    agg = ag.year_aggregate(store, 2026, path)
    assert agg["count"] == 2 and len(agg["days"]) == 2
    store.close()


def test_caches_are_derived_files_the_store_never_reads_as_data(tmp_path):
    store = st.open_store(tmp_path)
    store.append_session({"routine": "Mine", "started": "2026-03-09T08:00:00+01:00", "status": "completed",
                          "items": [], "active_seconds": 60})
    assert ag.history(store) is not None
    assert [p.name for p in tmp_path.glob("*.cache")] == ["sessions-2026.json.cache"]
    assert store.session_years() == [(2026, tmp_path / "sessions-2026.json")]
    assert len(store.list_sessions()) == 1
    store.close()
    # A leftover temporary cache file of a killed writer is cleaned like the store's own.
    (tmp_path / ".sessions-2026.json.cache.tmp-123-abc").write_text("x")
    store = st.open_store(tmp_path)
    store.append_session({"routine": "Mine", "started": "2026-03-10T08:00:00+01:00", "status": "completed"})
    assert not list(tmp_path.glob(".sessions-2026.json.cache.tmp-*"))
    assert ag.history(store).years[2026]["count"] == 2
    store.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a 0500 folder")
def test_no_cache_in_a_read_only_folder_and_no_error(tmp_path):
    today = date(2026, 3, 10)
    write_history(tmp_path, [random_doc(random.Random(3), today)], random.Random(1), today)
    os.chmod(tmp_path, 0o500)
    try:
        store = st.open_store(tmp_path, create=False)
        assert ag.history(store) is not None
        store.close()
        assert not list(tmp_path.glob("*.cache"))
    finally:
        os.chmod(tmp_path, 0o700)


@pytest.mark.parametrize("seed", range(4))
def test_sessions_stream_in_list_sessions_order(tmp_path, seed):
    rng = random.Random(100 + seed)
    today = date(2026, 6, 1)
    docs = [random_doc(rng, today) for _ in range(150)]
    write_history(tmp_path, docs, rng, today)
    store = st.open_store(tmp_path, create=False)
    assert list(ag.iter_sessions(store)) == store.list_sessions()
    store.close()


def test_the_streamed_history_file_holds_the_history_document(tmp_path):
    import io

    from stretchtui.core.domain.psfs import PsfsActivity, PsfsRating
    from stretchtui.core.domain.session import Session
    from stretchtui.core.storage.history_file import history_document
    from stretchtui.core.storage.history_file import write_history as write_file

    rng = random.Random(5)
    sessions = [Session.from_doc(random_doc(rng, date(2026, 6, 1))) for _ in range(30)]
    psfs = (PsfsActivity("Tie my shoelaces", (PsfsRating(date(2026, 5, 1), 4),)),)
    for chosen, activities in ((sessions, psfs), ([], ()), (sessions[:1], ())):
        out = io.StringIO()
        assert write_file(out, iter(chosen), "2026-06-01T00:00:00+00:00", activities) == len(chosen)
        text = out.getvalue()
        assert json.loads(text) == history_document(chosen, "2026-06-01T00:00:00+00:00", activities)
        assert sum(line.startswith('    {"id": ') for line in text.splitlines()) == len(chosen)  # a line each


def _stats_view(stats) -> dict:
    view = dict(vars(stats))
    view["sessions"] = list(stats.sessions)
    view["total_seconds"] = pytest.approx(stats.total_seconds)
    view["weekly"] = [(day, pytest.approx(m)) for day, m in stats.weekly]
    view["heat"] = [[None if m is None else pytest.approx(m) for m in col] for col in stats.heat.columns]
    view["adherence"] = [dict(vars(r), hold_seconds=pytest.approx(r.hold_seconds)) for r in stats.adherence]
    return view


@pytest.mark.parametrize("seed", range(6))
def test_the_history_first_view_from_aggregates_equals_compute_stats(tmp_path, seed, monkeypatch):
    from dataclasses import replace

    from stretchtui.core.reports.history import compute_stats, routine_names

    monkeypatch.setattr(ag, "PAIN_POINTS", 1000 if seed % 2 else 25)  # all, or the newest 25
    rng = random.Random(200 + seed)
    today = date(2026, 1, 2) + timedelta(days=rng.randint(0, 400))
    write_history(tmp_path, [random_doc(rng, today) for _ in range(rng.randint(0, 150))], rng, today)
    for _ in range(2):  # built, then from the caches
        store = st.open_store(tmp_path, create=False)
        sessions = store.list_sessions()
        merged = ag.history(store)
        assert merged is not None
        got = ag.history_stats(merged, store, today, CATALOG)
        full = compute_stats(sessions, today, CATALOG)
        full = replace(full, pain=full.pain[-ag.PAIN_POINTS:])  # the newest, all a chart can show
        assert _stats_view(got) == _stats_view(full)
        assert ag.routine_names(merged) == routine_names(sessions)
        assert [got.sessions[i] for i in range(len(got.sessions) - 1, -1, -1)] == list(reversed(got.sessions))
        store.close()


def _warm(tmp_path: Path, seed: int, today: date) -> st.Store:
    rng = random.Random(300 + seed)
    write_history(tmp_path, [random_doc(rng, today) for _ in range(120)], rng, today)
    store = st.open_store(tmp_path, create=False)
    assert ag.history(store) is not None  # every year's cache written
    return store


@pytest.mark.parametrize("seed", range(3))
def test_looking_back_a_few_days_and_streaming_read_only_each_caches_first_line(tmp_path, seed, monkeypatch):
    # The check-in at every start and `history --json` need a few figures per year: with the
    # caches warm they are read from each cache's first line, no aggregate is parsed, and the
    # answers are those of the whole aggregates.
    today = date(2026, 3, 10)
    store = _warm(tmp_path, seed, today)
    expected_stream = list(ag.iter_sessions(store))
    since = today - timedelta(days=5)
    spans = {y: a["span"] for y, a in ag.history(store).years.items()}
    expected_years = {y for y, span in spans.items() if span is None or span[1] >= since.toordinal()}

    def parsed(*_args: object) -> None:
        raise AssertionError("a whole aggregate was parsed")

    monkeypatch.setattr(ag, "load_cache", parsed)
    recent = ag.recent_sessions(store, since)
    assert recent and {s.number for s in recent} == {s.number for y in expected_years for s in store.year_sessions(y)}
    assert all(s in recent for s in store.list_sessions()
               if s.started_at is not None and s.started_at.date() >= since)
    assert list(ag.iter_sessions(store)) == expected_stream
    store.close()


def test_a_cache_whose_first_line_was_altered_is_not_trusted(tmp_path):
    today = date(2026, 3, 10)
    store = _warm(tmp_path, 1, today)
    year, path = store.session_years()[-1]
    cache = ag.cache_path(path)
    true_count = ag.year_aggregate(store, year, path)["count"]
    head, _, body = cache.read_bytes().partition(b"\n")
    header = json.loads(head)
    header["index"]["count"] = true_count + 1000  # a sync tool's merge, a hand edit: the checksum no longer holds
    cache.write_bytes(json.dumps(header).encode() + b"\n" + body)
    stamp = ag.file_stamp(path)
    assert stamp is not None and ag.load_index(cache, stamp) is None and ag.load_cache(cache, stamp) is None
    assert ag.year_index(store, year, path)["count"] == true_count  # rebuilt from the year file
    store.close()


@pytest.mark.parametrize("seed", range(6))
def test_years_filed_in_order_are_given_out_a_session_at_a_time(tmp_path, seed, monkeypatch):
    # Numbered in the order they started, as stretchtui appends them: such a year file is
    # streamed (nothing of it held) unless a later year overlaps it; a few moved by hand into
    # another year's file, and time zones far apart around New Year, keep some years whole. Either
    # way the export is every session in list_sessions order.
    from stretchtui.core.domain.session import Session

    rng = random.Random(400 + seed)
    today = date(2026, 6, 1)
    docs = [random_doc(rng, today) for _ in range(200)]
    docs.sort(key=lambda d: Session.from_doc(d, number=0).order[0])
    write_history(tmp_path, docs, rng, today)
    store = st.open_store(tmp_path, create=False)
    expected = store.list_sessions()
    assert ag.history(store) is not None  # the caches, with each year's "streams"
    streamed: list[int] = []
    iter_year = st.Store.iter_year_sessions

    def counting(self: st.Store, year: int) -> object:
        streamed.append(year)
        return iter_year(self, year)

    monkeypatch.setattr(st.Store, "iter_year_sessions", counting)
    assert list(ag.iter_sessions(store)) == expected
    assert streamed  # the test can fail: years were streamed
    store.close()


def test_a_year_file_out_of_order_is_never_streamed_and_one_that_changed_meanwhile_stops_the_stream(tmp_path):
    today = date(2026, 6, 1)
    docs = [random_doc(random.Random(k), today) | {"started": f"2026-0{m}-01T08:00:00+00:00"}
            for k, m in enumerate((1, 3, 2))]  # filed 1, 3, 2: not the history's order


    class NoneMoved(random.Random):
        def random(self) -> float:
            return 0.5  # write_history moves none of them into another year's file

    write_history(tmp_path, docs, NoneMoved(), today)
    store = st.open_store(tmp_path, create=False)
    year, path = next((y, p) for y, p in store.session_years() if y == 2026)
    assert ag.year_index(store, year, path)["streams"] is False
    assert [s.started for s in ag.iter_sessions(store) if s.started] == sorted(d["started"] for d in docs)
    # the race: the index said "in order", the file read now is not (written meanwhile)
    with pytest.raises(st.StoreError, match="changed while it was read"):
        list(store.iter_year_sessions(year))
    store.close()
