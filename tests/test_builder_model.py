"""The builder's pure model: insert/move/remove, cursor, undo/redo, dirty, dosage limits."""

from __future__ import annotations

import pytest

from stretchtui.core.domain.builder_model import (
    BuilderError,
    BuilderModel,
    DosageError,
    normalize_item,
    parse_dosage,
)
from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.models import LIMITS, Routine, RoutineItem


def ids(model: BuilderModel) -> list[str]:
    return [item.stretch for item in model.items]


def test_insert_into_empty_and_after_cursor():
    m = BuilderModel()
    assert not m.dirty and m.is_empty
    assert m.insert("a") == 0
    assert m.insert("b") == 1  # after the cursor item
    m.set_cursor(0)
    assert m.insert("c") == 1
    assert ids(m) == ["a", "c", "b"] and m.cursor == 1
    assert m.dirty


def test_insert_at_gap_is_clamped():
    m = BuilderModel(Routine("r", (RoutineItem("a"), RoutineItem("b"))))
    assert m.insert("x", 1) == 1
    assert m.insert("y", 99) == 3
    assert m.insert("z", -3) == 0
    assert ids(m) == ["z", "a", "x", "b", "y"]


def test_move_and_move_up_down():
    m = BuilderModel(Routine("r", tuple(RoutineItem(s) for s in "abcd")))
    assert m.move(0, 2) == 2
    assert ids(m) == ["b", "c", "a", "d"] and m.cursor == 2
    assert m.move_up() and ids(m) == ["b", "a", "c", "d"] and m.cursor == 1
    assert m.move_down() and m.move_down() and ids(m) == ["b", "c", "d", "a"]
    assert not m.move_down()  # already last
    m.set_cursor(0)
    assert not m.move_up()


def test_remove_keeps_cursor_sensible():
    m = BuilderModel(Routine("r", tuple(RoutineItem(s) for s in "abc")))
    m.set_cursor(2)
    assert m.remove().stretch == "c" and m.cursor == 1
    m.set_cursor(1)
    m.remove(0)
    assert ids(m) == ["b"] and m.cursor == 0
    m.remove()
    assert m.is_empty and m.cursor == 0
    with pytest.raises(BuilderError):
        m.remove()


def test_undo_redo_and_dirty_follow_the_baseline():
    m = BuilderModel(Routine("r", (RoutineItem("a"),)), saved_name="r")
    assert not m.dirty and not m.can_undo
    m.insert("b")
    m.remove(0)
    assert ids(m) == ["b"] and m.dirty
    assert m.undo() and ids(m) == ["a", "b"]
    assert m.undo() and ids(m) == ["a"] and not m.dirty  # back where it was loaded
    assert not m.undo()
    assert m.redo() and ids(m) == ["a", "b"]
    m.insert("c")  # a new change drops the redo history
    assert not m.can_redo


def test_rename_is_cleaned_undoable_and_bounded():
    m = BuilderModel()
    assert m.rename("  Morning\x1b]0;x\x07  [bold] ") == "Morning]0;x [bold]"
    assert m.dirty
    m.undo()
    assert m.name == ""
    with pytest.raises(BuilderError):
        m.rename("   ")
    with pytest.raises(BuilderError):
        m.rename("x" * (LIMITS["name"] + 1))
    assert m.routine().name == "Untitled routine"


def test_mark_saved_clears_dirty_and_remembers_the_name():
    m = BuilderModel()
    m.insert("a")
    m.rename("Mine")
    m.mark_saved(Routine("Mine", (RoutineItem("a"),)))
    assert not m.dirty and m.saved_name == "Mine"
    m.rename("Other")
    assert m.dirty and m.saved_name == "Mine"


def test_set_item_and_replace_stretch_are_undoable():
    m = BuilderModel(Routine("r", (RoutineItem("a"), RoutineItem("b"))))
    assert m.set_item(1, RoutineItem("b", hold=30))
    assert not m.set_item(1, RoutineItem("b", hold=30))
    m.replace_stretch(0, "z")
    assert m.items[0] == RoutineItem("z")
    m.undo()
    m.undo()
    assert m.items == [RoutineItem("a"), RoutineItem("b")]
    m.replace_stretch([0, 1], "y")  # several items, one undo step
    assert ids(m) == ["y", "y"]
    m.undo()
    assert ids(m) == ["a", "b"]


def test_item_limit():
    m = BuilderModel(Routine("r", tuple(RoutineItem("a") for _ in range(LIMITS["items"]))))
    with pytest.raises(BuilderError, match="at most"):
        m.insert("b")


def test_parse_dosage_limits():
    assert parse_dosage("s", hold="30", reps="2", sides="left", rest="0") == RoutineItem("s", 30, 2, "left", 0)
    assert parse_dosage("s") == RoutineItem("s")
    for field, kwargs in [
        ("hold", {"hold": "0"}),
        ("hold", {"hold": "601"}),
        ("reps", {"reps": "51"}),
        ("rest", {"rest": "-1"}),
        ("reps", {"reps": "two"}),
        ("sides", {"sides": "both"}),
    ]:
        with pytest.raises(DosageError) as err:
            parse_dosage("s", **kwargs)
        assert err.value.field == field
    with pytest.raises(DosageError, match="1-600"):
        parse_dosage("s", hold="700")


def test_normalize_item_drops_catalog_defaults():
    catalog = load_catalog()
    stretch = catalog.get("knee-to-chest")
    d = stretch.dosage
    item = RoutineItem("knee-to-chest", hold=d.hold.default, reps=d.reps.default + 1, sides=d.sides, rest=d.rest)
    assert normalize_item(item, stretch) == RoutineItem("knee-to-chest", reps=d.reps.default + 1)
