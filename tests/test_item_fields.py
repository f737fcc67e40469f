"""One spec of routine-item fields (models.ITEM_FIELDS) bounds every reader and editor of items.

Each number field, just inside and just outside its bounds, goes through the
routine-file reader, the builder's dosage parser and the store; they must
agree with the spec (a change to a bound is one edit).
"""

from __future__ import annotations

import json

import pytest

from stretchtui.core.domain.builder_model import DosageError, parse_dosage
from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.models import ITEM_FIELDS, NUMBER_FIELDS, Routine, RoutineItem
from stretchtui.core.storage.routine_file import RoutineFileError, parse_routine_text
from stretchtui.core.storage.store import open_store

CATALOG = load_catalog()


def _file(item: dict) -> str:
    return json.dumps({"stretchtui": "routine", "version": 1, "name": "R", "notes": "",
                       "items": [{"stretch": "knee-to-chest", **item}]})


@pytest.mark.parametrize("key", NUMBER_FIELDS)
def test_number_fields_share_their_bounds(key, tmp_path):
    spec = ITEM_FIELDS[key]
    for good in (spec.low, spec.high):
        assert getattr(parse_routine_text(_file({key: good}), CATALOG).items[0], key) == good
        assert getattr(parse_dosage("knee-to-chest", **{key: str(good)}), key) == good
    for bad in (spec.low - 1, spec.high + 1):
        with pytest.raises(RoutineFileError, match=rf"items\[0\]\.{key}.*{spec.low} to {spec.high}"):
            parse_routine_text(_file({key: bad}), CATALOG)
        with pytest.raises(DosageError, match=rf"{spec.label}.*{spec.low}-{spec.high}"):
            parse_dosage("knee-to-chest", **{key: str(bad)})
        assert spec.problem(bad) and not spec.accepts(bad)


def test_sides_choices_are_the_same_everywhere():
    spec = ITEM_FIELDS["sides"]
    for side in spec.choices:
        assert parse_routine_text(_file({"sides": side}), CATALOG).items[0].sides == side
    with pytest.raises(RoutineFileError, match="sides"):
        parse_routine_text(_file({"sides": "both"}), CATALOG)
    with pytest.raises(DosageError, match="none, each, left, right"):
        parse_dosage("knee-to-chest", sides="both")


def test_store_reads_an_out_of_range_dose_as_the_catalog_default(tmp_path):
    """A database edited by hand with a dose no routine file could hold: the value
    falls back to the catalog default instead of reaching the player."""
    store = open_store(tmp_path)
    store.save_routine(Routine("R", (RoutineItem("knee-to-chest", hold=30),)))
    path = tmp_path / "library.json"
    text = path.read_text()
    assert '"hold":30' in text
    path.write_text(text.replace('"hold":30', '"hold":99999'))
    item = store.get_routine("R").items[0]
    assert item.hold is None and item.stretch == "knee-to-chest"


def test_item_to_dict_writes_the_spec_fields_in_order():
    item = RoutineItem("cat-cow", hold=5, reps=10, sides="none", rest=3)
    assert list(item.to_dict()) == ["stretch", *ITEM_FIELDS]
