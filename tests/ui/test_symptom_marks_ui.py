"""Symptom memory in the app: a session in which symptoms spread marks that stretch in the
Library, the Builder, the Catalog and the play gate; the Profile screen clears the marks."""

from __future__ import annotations

from stretchtui.ui.screens.builder import BuilderScreen
from stretchtui.ui.screens.catalog import CatalogScreen
from stretchtui.ui.screens.library import LibraryScreen
from stretchtui.ui.screens.profile import ProfileScreen
from stretchtui.ui.screens.safety_gate import SafetyGateDialog
from tests.ui.conftest import settle_store_calls

DESK = "Desk neck and upper back"
TRAP = "upper-trapezius-stretch"


def _spreading_session(stretch: str = TRAP, *, stop: bool = False) -> dict:
    """A session of the Desk starter as the player stores it: spreading after ``stretch``
    (or, with ``stop``, an x stop while doing it)."""
    items = []
    for sid in ("shoulder-rolls", "chin-tuck", "shoulder-blade-squeeze", TRAP):
        reached = sid != TRAP or not stop
        items.append({"stretch": sid, "hold": 5, "reps": 3, "done": {"both": 3 if reached else 1},
                      "skipped": {}, "response": "spreading" if (sid == stretch and not stop) else "same"})
    return {"schema": 3, "routine": DESK, "started": "2026-03-04T08:00:00+00:00",
            "ended": "2026-03-04T08:10:00+00:00", "status": "symptoms", "counted": True,
            "stop_reason": "symptoms", "items": items, "pain_before": 2, "pain_after": 4,
            **({"stop_item": 3} if stop else {})}


async def test_a_spreading_session_marks_the_stretch_everywhere_until_cleared(make_test_app, screen_text):
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        # The session is recorded the way both players record it: through the store.
        app.store.append_session(_spreading_session())
        app._player_done()  # what the app does when the player closes: read the marks again
        await settle_store_calls(app)
        await pilot.pause()
        assert [m.stretch for m in app.profile.symptom_marks] == [TRAP]

        # Library: the starter carries the avoid mark, and the progression line says to leave it out.
        await pilot.press("3")
        await settle_store_calls(app)
        library = app.screen
        assert isinstance(library, LibraryScreen)
        library.select_routine(DESK)
        await pilot.pause()
        text = await screen_text(pilot)
        assert "✖ Desk neck and upper back" in text.replace("  ", " ") or "✖ Desk neck" in text
        assert "leave out: Upper Trapezius Stretch (see a clinician)" in text, text

        # Play gate: the mark is an avoid-level warning naming the date.
        app.play_routine(next(r for r in app.catalog.starters if r.name == DESK))
        await pilot.pause()
        gate = app.screen
        assert isinstance(gate, SafetyGateDialog)
        assert "Symptoms spread with Upper Trapezius" in await screen_text(pilot)
        await pilot.press("escape")
        await pilot.pause()

        # Builder: the warnings list it, and the catalog picker marks it.
        await app.open_in_builder(next(r for r in app.catalog.starters if r.name == DESK))
        await pilot.pause()
        builder = app.screen
        assert isinstance(builder, BuilderScreen)
        warnings = builder._compute_warnings(builder.current_routine())
        assert [(w.level, w.rule) for w in warnings if TRAP in w.stretch_ids] == [("avoid", "symptoms")]
        assert "2026-03-04" in next(w.message for w in warnings if w.rule == "symptoms")
        assert builder.picker._marks.get(TRAP) == "avoid"

        # Catalog: the stretch carries ✖ though no condition is ticked.
        await pilot.press("1")
        await pilot.pause()
        catalog = app.screen
        assert isinstance(catalog, CatalogScreen)
        assert catalog.stretch_list.levels.get(TRAP) == "avoid"

        # Profile: the mark is listed; m clears it in the store and everywhere.
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, ProfileScreen)
        listed = app.screen.query_one("#profile-symptoms-list")
        assert "Upper Trapezius Stretch (2026-03-04)" in str(listed.render())
        await pilot.press("m")
        await settle_store_calls(app)
        await pilot.pause()
        assert app.profile.symptom_marks == ()
        assert app.store.symptom_marks() == ()
        assert str(listed.render()) == "None."
        await pilot.press("1")
        await pilot.pause()
        catalog_screen = app.screen
        assert isinstance(catalog_screen, CatalogScreen)
        assert catalog_screen.stretch_list.levels.get(TRAP) is None


async def test_saving_the_profile_never_drops_a_mark_recorded_meanwhile(make_test_app):
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        stale = app.profile  # the app's copy, from before the session
        app.store.append_session(_spreading_session(stop=True))  # an x stop in the trapezius stretch
        app.set_profile(stale, quiet=True)  # e.g. a setting changed on the Profile screen
        await settle_store_calls(app)
        await pilot.pause()
        assert [(m.stretch, m.how) for m in app.store.symptom_marks()] == [(TRAP, "stop")]
