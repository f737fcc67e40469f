"""The methods ``dataclasses`` writes, compiled once and kept between runs.

Every ``@dataclass`` writes the source of its ``__init__``, ``__repr__``,
``__eq__`` (and, frozen, ``__hash__``, ``__setattr__``, ``__delattr__``)
and compiles it when its module is imported. Starting the app imports
about 160 of them (Textual's widgets, events and styles, and our models):
300 small compilations, about 20 ms of a start measured against a bare
Textual app (bench/bench_startup.py; about a tenth of it).

:func:`install`, called by the command line as the app starts, has the
``dataclasses`` module compile through a table of code objects kept in
``dataclass-methods.cache`` in the user's cache folder
(:mod:`.storage.cache_file`), keyed by the exact source text: the same text
gives the same code as compiling it, and any other text (a new version of
Textual or of stretchtui) is compiled as usual and added. The file is
trusted as :mod:`.storage.cache_file` says (the user's own, writable by
nobody else, at most :data:`MAX_BYTES`, first line naming this Python and
its bytecode), and only a table of texts and code objects is taken from it;
anything else is as if there were none. :func:`save` writes what was added
(the app calls it a second after start and at exit).
"""

from __future__ import annotations

import dataclasses
import marshal
import sys
from importlib._bootstrap_external import (
    MAGIC_NUMBER,  # importlib.util's, without loading importlib.util
)
from pathlib import Path
from types import CodeType
from typing import Any

from .storage.cache_file import cache_dir, read_table, write_table

FILE_NAME = "dataclass-methods.cache"
#: Largest file read (the app's ~300 methods take about 250 KiB).
MAX_BYTES = 4 * 1024 * 1024
#: Most methods kept.
MAX_ENTRIES = 5000
_FORMAT = 1


def default_path() -> Path:
    return cache_dir() / FILE_NAME


def _first_line() -> bytes:
    return (f"stretchtui-dataclass-methods {_FORMAT} | {sys.implementation.cache_tag} | "
            f"{MAGIC_NUMBER.hex()} | {sys.version.split()[0]}\n").encode()


class _Methods:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.codes = _read(path)
        self.new: dict[str, CodeType] = {}

    def compile(self, source: str) -> CodeType:
        code = self.codes.get(source)
        if code is None:
            # what exec(source) in dataclasses compiles: no __future__ flags of this module's
            code = compile(source, "<string>", "exec", dont_inherit=True)
            self.codes[source] = self.new[source] = code
        return code


_installed: _Methods | None = None


def _exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:  # exec's own parameters
    methods = _installed
    if methods is not None and isinstance(source, str):
        source = methods.compile(source)
    exec(source, globals, locals)


def install(path: Path | None = None) -> None:
    """From now on, dataclass methods compile through the cache at ``path`` (default: the user's)."""
    global _installed
    if _installed is not None:
        return
    try:
        _installed = _Methods(default_path() if path is None else path)
    except Exception:  # no cache folder to be found: compile as usual
        return
    dataclasses.exec = _exec  # type: ignore[attr-defined]  # the module's own global shadows the builtin


def uninstall() -> None:
    """Compile as ``dataclasses`` does by itself again (what was added is kept for :func:`save`)."""
    if getattr(dataclasses, "exec", None) is _exec:
        del dataclasses.exec  # type: ignore[attr-defined]


def save() -> bool:
    """Write the cache if methods were compiled that it did not hold; True when written (quietly: a cache)."""
    methods = _installed
    if methods is None or not methods.new:
        return False
    # one step, list(): a worker thread may add meanwhile
    if not write_table(methods.path, _first_line(), MAX_BYTES,
                       lambda: marshal.dumps(dict(list(methods.codes.items())[-MAX_ENTRIES:]))):
        return False
    methods.new = {}
    return True


def _read(path: Path) -> dict[str, CodeType]:
    return read_table(path, _first_line(), MAX_BYTES, marshal.loads, str, CodeType)
