"""Reading a database file one document at a time (storage.iter_db) accepts and refuses exactly
what parsing it whole (parse_db) does, and a year of sessions is never all dictionaries at once."""

from __future__ import annotations

import json
import random

import pytest

from stretchtui.core.storage.storage import CorruptDatabase, check_db, iter_db, parse_db

BASE = json.dumps({
    "sessions": {"1": {"a": [1, 2, {"x": "é\u2028"}], "b": None}, "2": {}},
    "_default": {},
    "meta": {"9": {"k": 1.5e3, "s": "a \"quoted\" {brace}"}},
}, ensure_ascii=False).encode()


def _whole(raw: bytes) -> object:
    try:
        return [(t, k, v) for t, table in parse_db(raw).items() for k, v in table.items()]
    except CorruptDatabase:
        return "corrupt"


def _streamed(raw: bytes) -> object:
    try:
        items = list(iter_db(raw))
    except CorruptDatabase:
        return "corrupt"
    last: dict = {}  # a key twice keeps the last, as a whole parse does
    for table, key, doc in items:
        last.setdefault(table, {})[key] = doc
    return [(t, k, v) for t, table in last.items() for k, v in table.items()]


CASES = [
    BASE, b" " + BASE + b" \n", b"\xef\xbb\xbf" + BASE, b"{}", b" { } ", b"[]", b'{"a": []}',
    b'{"a": {"1": 3}}', b'{"a": {"1": {}}} x', b'{"a": {"1": {"n": NaN}}}', b'{"a": {"1": {"n": -Infinity}}}',
    b'{"a":{"1":{}},}', b'{"a":{"1":{},}}', b"\xff", b'{"a":{"1":{"s":"\x01"}}}', b'{"a" {"1":{}}}',
    b'{"a":{"1" {}}}', b"", b"  ", b'{"a":{"1":{}}}{}', b'{"a":{"1":' + b"[" * 5000 + b"]" * 5000 + b"}}",
    b'{"a":{"1":{"n":' + b"9" * 5000 + b"}}}", b'{"a":{"1":{"k":1},"1":{"k":2}}}',
]


@pytest.mark.parametrize("raw", CASES)
def test_the_same_documents_or_the_same_refusal(raw):
    assert _streamed(raw) == _whole(raw)


def test_every_cut_of_a_file_and_random_damage_are_read_or_refused_alike():
    for cut in range(len(BASE) + 1):
        assert _streamed(BASE[:cut]) == _whole(BASE[:cut]), cut
    rnd = random.Random(25)
    for _ in range(3000):
        spoiled = bytearray(BASE)
        spoiled[rnd.randrange(len(spoiled))] = rnd.choice(b'{}[],:" \\0aen1-')
        assert _streamed(bytes(spoiled)) == _whole(bytes(spoiled)), bytes(spoiled)


def test_check_db_refuses_what_parse_db_refuses():
    check_db(BASE)
    with pytest.raises(CorruptDatabase):
        check_db(BASE[:-1])


def test_a_year_of_sessions_is_read_without_holding_every_dictionary(tmp_path):
    # The History's first page and the clinician summary read a year file (5,000 sessions in a
    # 100,000-session history): its dictionaries are turned into sessions one at a time.
    import tracemalloc

    from stretchtui.core.storage.store import open_store

    names = ["cat-cow", "childs-pose", "knee-to-chest", "pelvic-tilt", "bridge", "chin-tuck"]
    docs = {str(n): {"schema": 1, "routine": f"Routine {n % 7}", "started": f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T10:{n % 60:02d}:00+00:00",
                     "ended": None, "status": "completed", "counted": True, "stop_reason": None,
                     "active_seconds": 300.0 + n % 50, "planned_seconds": 600, "steps_done": 12, "steps_skipped": 1,
                     "steps_total": 13, "pain_before": n % 10, "pain_after": (n + 3) % 10, "note": f"note {n}",
                     "items": [{"stretch": name, "name": name.replace("-", " ").title(), "mode": "hold",
                                "hold": 20 + i, "reps": 3, "sides": "each" if i % 2 else "none", "rest": 10,
                                "done": {"left": 2, "right": 3} if i % 2 else {"both": 3},
                                "skipped": {"left": 1, "right": 0} if i % 2 else {"both": 0}}
                               for i, name in enumerate(names)]}
            for n in range(1, 5001)}
    raw = json.dumps({"sessions": docs}).encode()
    (tmp_path / "layout.json").write_text('{"layout": 2}')
    (tmp_path / "sessions-2025.json").write_bytes(raw)
    store = open_store(tmp_path)
    try:
        from stretchtui.core.domain.session import Session

        tracemalloc.start()
        table = parse_db(raw)["sessions"]  # as before: the whole file's dictionaries, then sessions
        before = [Session.from_doc(table.pop(key), number=int(key)) for key in list(table)]
        for session in before:
            session.order  # noqa: B018  (as the store's callers sort them)
        whole = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        del before, table
        tracemalloc.start()
        sessions = store.year_sessions(2025)
        streamed = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    finally:
        store.close()
    assert len(sessions) == 5000 and {item.stretch for item in sessions[0].items} == set(names)
    assert streamed < 0.8 * whole, (streamed, whole)  # measured: 23.6 vs 37.6 MB  # the sessions, never the whole file's dictionaries besides
