"""Share codes: `stretchtui share NAME|FILE` prints one line; `stretchtui
import --code CODE` takes it back through the routine file's strict checks; a
damaged or altered code is one clear line, exit 2, nothing imported."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import zlib

import pytest

from stretchtui.cli import main
from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.core.storage.routine_file import RoutineFileError, routine_to_json
from stretchtui.core.storage.share_code import ShareCodeError, decode, encode, looks_like_code

CATALOG = load_catalog()


def _code_of(document: dict | bytes, version: int = 1) -> str:
    """A well-formed code around ``document`` (its checksum right): what an altered code looks like."""
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    payload = base64.urlsafe_b64encode(zlib.compress(data)).decode().rstrip("=")
    head = f"stretchtui.{version}.{payload}"
    check = base64.urlsafe_b64encode(hashlib.sha256(head.encode()).digest()[:6]).decode().rstrip("=")
    return f"{head}.{check}"


def test_a_code_is_one_url_safe_line_and_gives_the_routine_back():
    routine = CATALOG.starters[3]
    code = encode(routine)
    assert re.fullmatch(r"stretchtui\.1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{8}", code)
    assert len(routine.items) == 6 and len(code) < 600, "a 6-stretch routine in a few hundred characters"
    back = decode(code, CATALOG)
    assert (back.name, back.items, back.notes) == (routine.name, routine.items, routine.notes)


def test_white_space_and_quotes_around_a_pasted_code_are_ignored():
    code = encode(Routine("Mine", (RoutineItem("chin-tuck", hold=20),)))
    wrapped = "'" + "\n  ".join(code[i:i + 40] for i in range(0, len(code), 40)) + "'\n"
    assert looks_like_code(wrapped)
    assert decode(wrapped, CATALOG).items[0].hold == 20


@pytest.mark.parametrize("damage, words", [
    (lambda c: c[:-1] + ("A" if c[-1] != "A" else "B"), "changed"),
    (lambda c: c[:30] + c[31:], "changed"),
    (lambda c: c[: len(c) // 2], "damaged"),
    (lambda c: c.replace("stretchtui.", "stretchgui."), "does not start"),
    (lambda c: c.replace("stretchtui.1.", "stretchtui.9."), "newer stretchtui"),
    (lambda c: c.replace(".", "!", 3), "does not start"),
    (lambda c: "", "does not start"),
])
def test_a_damaged_code_says_what_is_wrong_in_one_line(damage, words):
    code = encode(Routine("Mine", (RoutineItem("chin-tuck"),)))
    with pytest.raises(ShareCodeError) as error:
        decode(damage(code), CATALOG)
    message = str(error.value)
    assert message.startswith("share code: ") and words in message and "\n" not in message


def test_an_altered_code_still_meets_every_check_of_a_routine_file():
    bad = {"stretchtui": "routine", "version": 1, "name": "Evil", "notes": "",
           "items": [{"stretch": "chin-tuck", "hold": 100000}]}
    with pytest.raises(RoutineFileError) as error:
        decode(_code_of(bad), CATALOG)
    assert "items[0].hold" in str(error.value)


def test_a_code_that_inflates_past_a_routine_files_limit_is_refused():
    bomb = b'{"a": "' + b" " * (40 * 1024 * 1024) + b'"}'
    with pytest.raises(ShareCodeError, match="larger than a routine file"):
        decode(_code_of(bomb), CATALOG)


def run(*argv: str) -> int:
    return main(list(argv))


def test_share_prints_one_line_and_import_code_adds_it_elsewhere(tmp_path, capsys):
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    routine_file = tmp_path / "r.routine.json"
    routine_file.write_text(routine_to_json(Routine("Knees", (RoutineItem("heel-slides"),))), encoding="utf-8")
    assert run("import", str(routine_file), "--data-dir", str(mine)) == 0
    capsys.readouterr()
    assert run("share", "Knees", "--data-dir", str(mine)) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("stretchtui.1.")
    assert run("import", "--code", out.strip(), "--data-dir", str(theirs)) == 0
    assert "imported Knees" in capsys.readouterr().out
    # A file and a starter can be shared too.
    assert run("share", str(routine_file), "--data-dir", str(mine)) == 0
    assert decode(capsys.readouterr().out, CATALOG).name == "Knees"
    assert run("share", "Morning stiffness", "--data-dir", str(mine)) == 0
    assert decode(capsys.readouterr().out, CATALOG).name == "Morning stiffness"


def test_import_code_from_standard_input(tmp_path, capsys, monkeypatch):
    code = encode(Routine("Piped", (RoutineItem("chin-tuck"),)))
    monkeypatch.setattr("sys.stdin", io.StringIO(code + "\n"))
    assert run("import", "--code", "-", "--data-dir", str(tmp_path / "d")) == 0
    assert "imported Piped" in capsys.readouterr().out


def test_a_damaged_code_imports_nothing_and_creates_nothing(tmp_path, capsys):
    code = encode(Routine("Broken", (RoutineItem("chin-tuck"),)))
    data = tmp_path / "new-data-dir"
    assert run("import", "--code", code[:-2] + "xx", "--data-dir", str(data)) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0].startswith("stretchtui: share code: it is damaged or was changed")
    assert "Traceback" not in err and not data.exists()


def test_import_needs_something_to_import(tmp_path, capsys):
    assert run("import", "--data-dir", str(tmp_path / "d")) == 2
    assert "--code" in capsys.readouterr().err and not (tmp_path / "d").exists()


def test_share_of_an_unknown_routine_is_a_clear_error(tmp_path, capsys):
    assert run("share", "Nothing like it", "--data-dir", str(tmp_path)) == 2
    assert "Nothing like it" in capsys.readouterr().err
