"""The Library screen and toasts never pass raw control characters from stored names to the terminal."""

from __future__ import annotations

import re

from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.storage.store import open_store

SID = sorted(load_catalog().stretches)[0]
EVIL = "x\x1b]0;T\x07\x1b]52;c;ZXZpbA==\x07\x9b31m"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _clean(*texts: str) -> None:
    for text in texts:
        assert not RAW.search(text), repr(text)


def _raw_db_routine(data_dir, name: str, notes: str) -> None:
    """A routine stored with raw control characters (an old build, or a hand-edited db.json)."""
    store = open_store(data_dir)
    with store._write() as db:
        db.table("routines", cache_size=0).insert({"schema": 1, "name": name, "notes": notes,
                                                   "items": [{"stretch": SID}]})
    store.close()



async def test_library_screen_shows_raw_names_from_the_database_clean(data_dir, make_test_app, screen_text):
    _raw_db_routine(data_dir, "Evil" + EVIL, "note" + EVIL)
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        text = await screen_text(pilot)
        assert "Evil" in text
        _clean(text.replace("\n", ""))
        # and the strips actually sent to the terminal carry no raw control characters either
        for strip in app.screen._compositor.render_strips():
            for segment in strip:
                _clean(segment.text)
        app.notify("Imported " + EVIL)
        await pilot.pause()
        _clean(*(n.message for n in app._notifications))
