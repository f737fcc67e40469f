"""The Library never shows a saved routine as a starter, however its name is spelt (issue 27, F15)."""

from __future__ import annotations

from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.core.storage.store import open_store


async def test_a_look_alike_of_a_starter_is_marked_in_the_library(data_dir, make_test_app, screen_text):
    from tests.ui.conftest import settle_store_calls

    s = open_store(data_dir)
    s.save_routine(Routine("M\u043erning stiffness", (RoutineItem("cat-cow"),)))  # a Cyrillic о
    s.close()
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle_store_calls(app)
        await pilot.pause()
        text = await screen_text(pilot)
        assert "look-alike" in text
        assert "not the starter 'Morning stiffness'" in text.replace("\n", " ")
