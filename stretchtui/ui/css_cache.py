"""Parsed CSS kept between runs, in the user's cache folder.

Textual parses every CSS source (its widgets' and ours) each time the app
starts: 17 sources before a returning user's first frame, 27 before a new
user's (the first-run notice and its button), 11-20 ms of a start that is
measured against a bare Textual app (bench/bench_startup.py). Reading the
same rules back from a file takes a quarter of that.

- **What is kept.** The rules of each source, keyed by a BLAKE2b digest of
  the source's text, where it was read from, its rank and scope, and the
  theme's variables (a new theme, a changed widget, a new stretchtui: new
  keys, parsed again). The file's first line names its format, the Python
  version and Textual's installation (its folder and the size and time of
  two of its CSS modules); a file with another first line is not read.
- **What is trusted.** The file is unpickled, so only a regular file owned by
  the user, writable by nobody else and at most :data:`MAX_BYTES` is read,
  and only lists of Textual ``RuleSet`` come out of it. Anything else (a
  damaged file, another user's, a link) is ignored: the CSS is parsed as if
  there were no cache, and the next save replaces the file.
- **When it is written.** Once, when the app exits, if something was parsed
  that the file did not hold; atomically (a temporary file renamed), so two
  windows closing together leave one whole file. A file that cannot be
  written (a read-only home, a full disk) is skipped without a word: it only
  saves time.
- **Where.** ``css-rules.cache`` in ``platformdirs.user_cache_dir("stretchtui")``
  (``~/.cache/stretchtui`` on Linux); the command line sets it
  (``commands/app_cmd.py``); tests leave it off.

**The seed.** A machine's very first launch has no such file, so stretchtui
ships one: ``css-rules.seed`` beside this module holds the rules of the
first screens (the first-run notice, every mode, help and the palette) under
the default theme, made by ``python tools/css_seed.py`` and checked by
tests/ui/test_css_cache.py (a CSS change without a new seed fails there; it
would only cost time, never a wrong style: the keys hold the CSS text). A
source the user's file does not hold is looked up there before it is
parsed. The seed is part of the package (it is trusted as its code is) and
is read only when its first line names this format and a Textual whose CSS
modules have the sizes of the one that made it (:func:`textual_fingerprint`;
Textual is pinned in pyproject.toml). It is never written by the app.

Keys name where a source was read from by its file's name, not its folder,
so that the seed's keys hold wherever the package is installed (the rules
Textual makes do not depend on the folder: the folder only appears in the
errors of a source that has them, and such rules are never kept).
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.storage.cache_file import cache_dir, load_table, read_table, write_table

try:  # CPython's BLAKE2 module itself: hashlib would load OpenSSL's too, about 1 ms of every start
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

#: Largest cache file read (the app's ~80 sources take about 350 KiB).
MAX_BYTES = 4 * 1024 * 1024
#: Most sources kept (the newest parsed first when there are more).
MAX_ENTRIES = 400
FILE_NAME = "css-rules.cache"
#: The rules shipped for a first launch (see the module docstring).
SEED_PATH = Path(__file__).with_name("css-rules.seed")
_FORMAT = 3
#: Textual's modules whose sizes name the Textual a seed was made with (its CSS parser and what
#: the parsed rules hold).
_TEXTUAL_MODULES = ("css/model.py", "css/parse.py", "css/styles.py", "css/tokenize.py", "css/tokenizer.py",
                    "css/_styles_builder.py", "css/scalar.py", "css/types.py", "css/constants.py",
                    "css/transition.py", "color.py", "geometry.py", "_border.py", "_box_drawing.py")


def default_path() -> Path:
    return cache_dir() / FILE_NAME


def _installation() -> bytes:
    """The first line of the file: this format, this Python, this Textual installation."""
    import textual
    import textual.css.model as model
    import textual.css.styles as styles

    parts = [f"stretchtui-css-rules {_FORMAT}", f"python {sys.version_info[0]}.{sys.version_info[1]}",
             f"textual {os.path.dirname(textual.__file__ or '')}"]
    for module in (model, styles):
        try:
            info = os.stat(module.__file__ or "")
            parts.append(f"{info.st_size}:{info.st_mtime_ns}")
        except OSError:
            parts.append("?")
    return (" | ".join(parts) + "\n").encode("utf-8", "surrogateescape")


def textual_fingerprint() -> str:
    """The sizes of Textual's CSS modules (:data:`_TEXTUAL_MODULES`): the same for every
    installation of one Textual release, which a seed's rules need (its parser and classes)."""
    import textual

    folder = os.path.dirname(textual.__file__ or "")
    sizes = []
    for name in _TEXTUAL_MODULES:
        try:
            sizes.append(str(os.stat(os.path.join(folder, name)).st_size))
        except OSError:
            sizes.append("?")
    return ":".join(sizes)


def seed_first_line() -> bytes:
    """The first line of a seed this Textual can use."""
    return f"stretchtui-css-seed {_FORMAT} | textual {textual_fingerprint()}\n".encode()


def _place(read_from: Any) -> Any:
    """Where a source was read from, without its folder (see the module docstring)."""
    if isinstance(read_from, tuple) and read_from and isinstance(read_from[0], str):
        return (os.path.basename(read_from[0]), *read_from[1:])
    return read_from


def variables_digest(variables: Mapping[str, str]) -> bytes:
    digest = blake2b(digest_size=32)
    for name, value in sorted(variables.items()):
        digest.update(f"{name}\0{value}\0".encode("utf-8", "surrogateescape"))
    return digest.digest()


def source_key(variables: bytes, css: str, read_from: Any, is_default_rules: bool, tie_breaker: int,
               scope: str) -> bytes:
    digest = blake2b(variables, digest_size=32)
    digest.update(f"{_place(read_from)!r}\0{is_default_rules}\0{tie_breaker}\0{scope}\0".encode("utf-8", "surrogateescape"))
    digest.update(css.encode("utf-8", "surrogateescape"))
    return digest.digest()


class DiskRules:
    """The cache file's rules: read once, looked up by key, new ones saved at exit. With a
    ``seed`` (the shipped :data:`SEED_PATH`), a key the file does not hold is looked up there."""

    def __init__(self, path: Path, seed: Path | None = None) -> None:
        self.path = path
        self.seed = seed
        self._stored: dict[bytes, bytes] | None = None  # key -> pickled rules; None: not read yet
        self._seeded: dict[bytes, bytes] | None = None  # the same, from the seed
        self._new: dict[bytes, list[Any]] = {}

    def _read(self) -> dict[bytes, bytes]:
        if self._stored is None:
            self._stored = read_table_file(self.path)
        return self._stored

    def _read_seed(self) -> dict[bytes, bytes]:
        if self._seeded is None:
            self._seeded = {} if self.seed is None else read_seed(self.seed)
        return self._seeded

    def get(self, key: bytes) -> list[Any] | None:
        """The rules kept under ``key``, or None (not kept, or not usable)."""
        blob = self._read().get(key)
        if blob is None:
            blob = self._read_seed().get(key)
        if blob is None:
            return None
        try:
            rules = pickle.loads(blob)  # our own file, checked in _read_file
        except Exception:
            return None
        from textual.css.model import RuleSet

        if not isinstance(rules, list) or not all(isinstance(rule, RuleSet) for rule in rules):
            return None
        return rules

    def put(self, key: bytes, rules: list[Any]) -> None:
        """Rules parsed this run, saved at :meth:`save`."""
        self._new[key] = rules

    def save(self) -> bool:
        """Write the file if this run parsed something it did not hold; True when written."""
        if not self._new:
            return False
        entries: dict[bytes, bytes] = {}
        for key, rules in self._new.items():
            try:
                entries[key] = pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # pragma: no cover - Textual's rules pickle; skip one that does not
                continue
        for key, blob in self._read().items():
            if len(entries) >= MAX_ENTRIES:
                break
            entries.setdefault(key, blob)
        if not write_table(self.path, _installation(), MAX_BYTES,
                           lambda: pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)):
            return False
        self._stored, self._new = entries, {}
        return True


def read_table_file(path: Path) -> dict[bytes, bytes]:
    """The table of the user's cache file (``{}``: missing, not trusted, another format)."""
    # unpickled: what is trusted, see the module docstring
    return read_table(path, _installation(), MAX_BYTES, pickle.loads, bytes, bytes)


def read_seed(path: Path) -> dict[bytes, bytes]:
    """The table of a seed (see the module docstring): ``{}`` when it is missing, damaged or was
    made with another Textual. Part of the package, so not held to the user's-file checks."""
    first_line = seed_first_line()
    try:
        with open(path, "rb") as file:
            if file.readline(len(first_line) + 1) != first_line:
                return {}
            body = file.read(MAX_BYTES)
    except OSError:
        return {}
    return load_table(body, pickle.loads, bytes, bytes)  # shipped with the code


def write_seed(path: Path, table: dict[bytes, bytes]) -> None:
    """Write a seed (``tools/css_seed.py``)."""
    path.write_bytes(seed_first_line() + pickle.dumps(dict(sorted(table.items())), protocol=4))
