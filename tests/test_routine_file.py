"""Routine files: strict reading, atomic writing, and the published JSON Schema."""

import json
import os
import stat
from pathlib import Path

import jsonschema
import pytest

import stretchtui
from stretchtui.core.domain.catalog import parse_catalog
from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.core.errors import StretchtuiError
from stretchtui.core.storage.routine_file import (
    RoutineFileError,
    parse_routine_text,
    read_routine_file,
    routine_to_json,
    write_routine_file,
)


def _stretch(sid, sides):
    return {
        "id": sid,
        "name": sid.replace("-", " ").title(),
        "regions": ["lower-back"],
        "movements": ["hip"],
        "position": "supine",
        "dosage": {
            "mode": "hold",
            "hold": {"min": 5, "default": 20, "max": 30},
            "reps": {"min": 1, "default": 3, "max": 10},
            "sides": sides,
            "rest": 5,
        },
        "steps": ["Do it gently."],
        "source": ["test"],
    }


# A small catalog built here so these tests don't move when catalog.json grows.
CATALOG = parse_catalog(
    {
        "version": 1,
        "regions": [{"id": "lower-back", "name": "Lower back"}],
        "conditions": [],
        "movements": [],
        "stretches": [
            _stretch("ankle-pumps", "none"),
            _stretch("knee-to-chest", "each"),
            _stretch("prone-press-up", "none"),
            _stretch("toe-touch", "none"),
        ],
    }
)
SCHEMA = json.loads((Path(stretchtui.__file__).parent / "routine.schema.json").read_text("utf-8"))


def doc(**changes):
    base = {
        "stretchtui": "routine",
        "version": 1,
        "name": "Morning stiffness",
        "notes": "",
        "items": [{"stretch": "knee-to-chest", "hold": 20, "reps": 3, "sides": "each", "rest": 10}],
    }
    base.update(changes)
    return base


def item(**changes):
    base = {"stretch": "knee-to-chest"}
    base.update(changes)
    return base


def parse(obj_or_text):
    text = obj_or_text if isinstance(obj_or_text, (str, bytes)) else json.dumps(obj_or_text)
    return parse_routine_text(text, CATALOG, source="my.routine.json")


def error_of(obj_or_text) -> str:
    with pytest.raises(RoutineFileError) as info:
        parse(obj_or_text)
    message = str(info.value)
    assert "my.routine.json" in message
    assert "Traceback" not in message
    return message


# ------------------------------------------------------------------ good files


def test_example_file_reads_as_expected():
    routine = parse(doc())
    assert routine == Routine(
        name="Morning stiffness",
        items=(RoutineItem("knee-to-chest", hold=20, reps=3, sides="each", rest=10),),
        notes="",
    )


def test_optional_fields_fall_back_to_catalog_defaults():
    routine = parse({"stretchtui": "routine", "version": 1, "name": "x", "items": [item()]})
    assert routine.items == (RoutineItem("knee-to-chest"),)
    stretch = CATALOG.get("knee-to-chest")
    assert routine.items[0].resolved(stretch).hold == stretch.dosage.hold.default


def test_utf8_bom_is_accepted():
    data = b"\xef\xbb\xbf" + json.dumps(doc(name="Café stretch")).encode("utf-8")
    assert parse(data).name == "Café stretch"


def test_control_and_bidi_characters_are_stripped():
    routine = parse(doc(name="\x1b]0;evil\x07Nice\u202e name", notes="line\x1b[2J one\nline two\u2066"))
    assert routine.name == "]0;evilNice name"
    assert "\x1b" not in routine.name and "\x07" not in routine.name and "\u202e" not in routine.name
    assert routine.notes == "line[2J one\nline two"


def test_raw_control_characters_inside_strings_are_stripped_too():
    text = json.dumps(doc(name="A\u0007B")).replace("\\u0007", "\x07")
    assert "\x07" in text
    assert parse(text).name == "AB"


def test_markup_like_names_are_kept_literally():
    assert parse(doc(name="[bold]x[/]")).name == "[bold]x[/]"


def test_round_trip_through_json():
    routine = Routine(
        name="Desk [neck] break",
        notes="Twice a day.\nGo easy.",
        items=(
            RoutineItem("ankle-pumps"),
            RoutineItem("knee-to-chest", hold=25, reps=2, sides="left", rest=5),
            RoutineItem("prone-press-up", reps=10),
        ),
    )
    text = routine_to_json(routine)
    assert text.endswith("\n")
    assert json.loads(text)["stretchtui"] == "routine"
    assert parse_routine_text(text, CATALOG) == routine
    jsonschema.validate(json.loads(text), SCHEMA)


# ------------------------------------------------------------------ bad files


@pytest.mark.parametrize(
    "document, expected",
    [
        ('{"stretchtui": "routine", "version": 1, "version": 1, "name": "x", "items": []}', "more than once"),
        (
            '{"stretchtui": "routine", "version": 1, "name": "x", '
            '"items": [{"stretch": "knee-to-chest", "hold": 10, "hold": 20}]}',
            "items[0].hold: this key appears more than once",
        ),
        ('{"stretchtui": "routine", "version": 1, "name": "x", "items": [{"stretch": "knee-to-chest", "hold": NaN}]}', "NaN"),
        ('{"stretchtui": "routine", "version": 1, "name": "x", "items": [{"stretch": "knee-to-chest", "hold": Infinity}]}', "Infinity"),
        ('{"stretchtui": "routine", "version": 1, "name": "x", "items": [', "not valid JSON"),
        ("", "empty"),
        ("[1, 2]", "JSON object"),
    ],
)
def test_syntax_level_problems(document, expected):
    assert expected in error_of(document)


def test_bad_utf8_names_the_byte_offset():
    data = b'{"stretchtui": "routine", "name": "caf\xe9"}'
    message = error_of(data)
    assert "UTF-8" in message and "offset 38" in message


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"stretchtui": "playlist"}, "not a stretchtui routine file"),
        ({"version": 2}, "made by a newer stretchtui"),
        ({"version": 0}, "not a valid version"),
        ({"version": -1}, "not a valid version"),
        ({"version": "1"}, "version: must be a whole number"),
        ({"colour": "red"}, 'colour: unknown key "colour"'),
        ({"items": []}, "items: the routine has no stretches"),
        ({"items": [item()] * 101}, "101 items is too many"),
        ({"items": {"stretch": "knee-to-chest"}}, "items: must be a list"),
        ({"items": ["knee-to-chest"]}, "items[0]: must be an object"),
        ({"name": "x" * 81}, "name: is 81 characters long"),
        ({"name": " \x1b\u202e "}, "name: is empty"),
        ({"name": 7}, "name: must be text"),
        ({"notes": "n" * 2001}, "notes: is 2001 characters long"),
        ({"items": [item(hold=True)]}, "items[0].hold: must be a whole number, not true/false"),
        ({"items": [item(reps=2.0)]}, "items[0].reps: must be a whole number, not a decimal number"),
        ({"items": [item(hold=0)]}, "items[0].hold: 0 is out of range"),
        ({"items": [item(hold=601)]}, "from 1 to 600 s"),
        ({"items": [item(reps=51)]}, "items[0].reps: 51 is out of range"),
        ({"items": [item(rest=-1)]}, "items[0].rest: -1 is out of range"),
        ({"items": [item(sides="both")]}, 'items[0].sides: "both" is not a side'),
        ({"items": [item(colour="red")]}, 'items[0].colour: unknown key "colour"'),
        ({"items": [{"hold": 20}]}, "items[0].stretch: missing"),
        ({"items": [item(stretch="knee-to-chst")]}, "Did you mean knee-to-chest"),
    ],
)
def test_content_problems_name_the_path_and_the_fix(changes, expected):
    message = error_of(doc(**changes))
    assert expected in message
    assert ". " in message  # a problem followed by what to do


def test_missing_required_keys():
    message = error_of({"stretchtui": "routine", "version": 1})
    assert "name: missing" in message and "items: missing" in message


def test_newer_version_says_to_update():
    message = error_of(doc(version=7))
    assert "newer stretchtui" in message and "Update stretchtui" in message


def test_all_item_errors_are_reported_at_once():
    message = error_of(
        doc(items=[item(hold=0), item(), item(stretch="nope-nope"), item(reps=True, sides="up")])
    )
    assert "4 problems" in message
    for path in ("items[0].hold", "items[2].stretch", "items[3].reps", "items[3].sides"):
        assert path in message
    assert "items[1]" not in message


def test_error_list_is_capped():
    message = error_of(doc(items=[item(hold=0)] * 30))
    assert "30 problems" in message and "and 20 more" in message
    assert len(message.splitlines()) <= 12


def test_hostile_values_are_not_echoed_raw():
    message = error_of(doc(items=[item(stretch="\x1b]52;c;evil\x07")], **{"\x1b[31mkey": 1}))
    assert "\x1b" not in message and "\x07" not in message


def test_errors_are_user_errors_with_exit_code_2():
    assert issubclass(RoutineFileError, StretchtuiError)
    assert RoutineFileError("x").exit_code == 2


# ------------------------------------------------------------------ files on disk


def test_read_routine_file(tmp_path):
    path = tmp_path / "a.routine.json"
    path.write_text(json.dumps(doc()), "utf-8")
    assert read_routine_file(path, CATALOG).name == "Morning stiffness"
    assert read_routine_file(str(path), CATALOG).name == "Morning stiffness"


def test_missing_file(tmp_path):
    with pytest.raises(RoutineFileError, match="no such file"):
        read_routine_file(tmp_path / "nope.routine.json", CATALOG)


def test_directory(tmp_path):
    with pytest.raises(RoutineFileError, match="is a directory"):
        read_routine_file(tmp_path, CATALOG)


@pytest.mark.timeout(10)
def test_fifo_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "pipe.routine.json"
    os.mkfifo(fifo)
    with pytest.raises(RoutineFileError, match="not a regular file"):
        read_routine_file(fifo, CATALOG)


def test_file_over_one_mib(tmp_path):
    path = tmp_path / "big.routine.json"
    text = json.dumps(doc())
    path.write_text(text + " " * (1024 * 1024 + 1 - len(text)), "utf-8")
    with pytest.raises(RoutineFileError, match="too large"):
        read_routine_file(path, CATALOG)


def test_file_of_exactly_one_mib_is_read(tmp_path):
    path = tmp_path / "padded.routine.json"
    text = json.dumps(doc())
    path.write_text(text + " " * (1024 * 1024 - len(text)), "utf-8")
    assert read_routine_file(path, CATALOG).name == "Morning stiffness"


def test_write_then_read(tmp_path):
    routine = parse(doc(name="Evening [wind] down", notes="slow"))
    path = write_routine_file(routine, tmp_path / "evening.routine.json")
    assert path == tmp_path / "evening.routine.json"
    assert read_routine_file(path, CATALOG) == routine
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evening.routine.json"]  # no temp files left


def test_write_refuses_to_overwrite_without_force(tmp_path):
    path = tmp_path / "mine.routine.json"
    path.write_text("precious", "utf-8")
    routine = parse(doc())
    with pytest.raises(RoutineFileError) as info:
        write_routine_file(routine, path)
    assert "mine.routine.json" in str(info.value) and "--force" in str(info.value)
    assert path.read_text("utf-8") == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.routine.json"]
    write_routine_file(routine, path, force=True)
    assert read_routine_file(path, CATALOG) == routine


def test_write_errors_are_clear(tmp_path):
    routine = parse(doc())
    with pytest.raises(RoutineFileError, match="does not exist"):
        write_routine_file(routine, tmp_path / "no-such-dir" / "x.routine.json")
    with pytest.raises(RoutineFileError, match="is a directory"):
        write_routine_file(routine, tmp_path, force=True)
    with pytest.raises(RoutineFileError, match="no stretches"):
        write_routine_file(Routine("empty"), tmp_path / "e.routine.json")


# ------------------------------------------------------------------ the JSON Schema


def test_schema_is_valid_draft_2020_12():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


VALID_DOCS = [
    doc(),
    {"stretchtui": "routine", "version": 1, "name": "Minimal", "items": [item()]},
    doc(items=[item(sides=s) for s in ("none", "each", "left", "right")]),
    doc(items=[item(hold=1, reps=1, rest=0), item(hold=600, reps=50, rest=600)]),
    doc(items=[item()] * 100, name="n" * 80, notes="x" * 2000),
    doc(name="[bold]x[/]"),
]


@pytest.mark.parametrize("document", VALID_DOCS)
def test_valid_documents_pass_schema_and_reader(document):
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    parse(document)


INVALID_DOCS = [
    {"version": 1, "name": "x", "items": [item()]},
    doc(stretchtui="playlist"),
    doc(version=2),
    doc(version=0),
    doc(version=True),
    doc(extra=1),
    {"stretchtui": "routine", "version": 1, "items": [item()]},
    {"stretchtui": "routine", "version": 1, "name": "x"},
    doc(name=""),
    doc(name="   "),
    doc(name="n" * 81),
    doc(notes="x" * 2001),
    doc(notes=None),
    doc(items=[]),
    doc(items=[item()] * 101),
    doc(items=[{"hold": 20}]),
    doc(items=[item(stretch=5)]),
    doc(items=[item(extra=1)]),
    doc(items=[item(hold=0)]),
    doc(items=[item(hold=601)]),
    doc(items=[item(hold=True)]),
    doc(items=[item(hold=20.5)]),
    doc(items=[item(hold="20")]),
    doc(items=[item(reps=0)]),
    doc(items=[item(reps=51)]),
    doc(items=[item(rest=-1)]),
    doc(items=[item(rest=601)]),
    doc(items=[item(sides="both")]),
    doc(items=[item(sides=None)]),
    [doc()],
]


@pytest.mark.parametrize("document", INVALID_DOCS)
def test_invalid_documents_fail_schema_and_reader(document):
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(document))
    error_of(document)


def test_reader_is_stricter_than_schema_where_documented():
    # 20.0 is an integer to JSON Schema but a decimal to stretchtui; unknown ids need the catalog.
    for document in (doc(items=[item(hold=20.0)]), doc(items=[item(stretch="no-such-stretch")])):
        jsonschema.Draft202012Validator(SCHEMA).validate(document)
        error_of(document)
