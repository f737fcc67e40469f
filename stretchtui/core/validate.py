"""Checks shared by the hand-written validators of the data files shipped
with stretchtui (the catalog, the poses) and where those files are: each message names the entry and
the field, and the first problem stops validation.

Pure Python; the callers turn :class:`Invalid` into their own error.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def shipped_file(name: str) -> Path:
    """Where the data file ``name`` (``catalog.json``, ``poses.json``) is: inside
    the package (an installed wheel), else at the repository root (a checkout)."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / name
    return packaged if packaged.is_file() else package.parent / name


class Invalid(Exception):
    """Carries one validation message up to the parser, which turns it into its own error."""


def fail(where: str, problem: str) -> None:
    """Stop validating: ``where`` (entry and field) has ``problem``."""
    raise Invalid(f"{where}: {problem}")


def type_name(value: object) -> str:
    """How a JSON value's type is named in messages."""
    if value is None:
        return "null"
    return {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)


def check_keys(obj: object, where: str, required: Iterable[str], optional: Iterable[str] = ()) -> dict:
    """``obj`` as a dict with every ``required`` key and no key outside ``required`` + ``optional``."""
    if not isinstance(obj, dict):
        fail(where, f"must be an object, not {type_name(obj)}")
    assert isinstance(obj, dict)
    allowed = (*required, *optional)
    for key in obj:
        if key not in allowed:
            fail(where, f"unknown key {key!r} (allowed: {', '.join(allowed)})")
    for key in required:
        if key not in obj:
            fail(where, f"missing required key {key!r}")
    return obj
