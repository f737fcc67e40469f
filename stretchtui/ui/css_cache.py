"""Parsed CSS kept between runs, in the user's cache folder.

Textual parses every CSS source (its widgets' and ours) each time the app
starts: 17 sources before a returning user's first frame, 27 before a new
user's (the first-run notice and its button), 11-20 ms of a start that is
measured against a bare Textual app (bench/bench_startup.py). Reading the
same rules back from a file takes a quarter of that.

- **What is kept.** The rules of each source, keyed by a SHA-256 digest of
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
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.storage.cache_file import cache_dir, read_table, write_table

#: Largest cache file read (the app's ~80 sources take about 350 KiB).
MAX_BYTES = 4 * 1024 * 1024
#: Most sources kept (the newest parsed first when there are more).
MAX_ENTRIES = 400
FILE_NAME = "css-rules.cache"
_FORMAT = 1


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


def variables_digest(variables: Mapping[str, str]) -> bytes:
    digest = hashlib.sha256()
    for name, value in sorted(variables.items()):
        digest.update(f"{name}\0{value}\0".encode("utf-8", "surrogateescape"))
    return digest.digest()


def source_key(variables: bytes, css: str, read_from: Any, is_default_rules: bool, tie_breaker: int,
               scope: str) -> bytes:
    digest = hashlib.sha256(variables)
    digest.update(f"{read_from!r}\0{is_default_rules}\0{tie_breaker}\0{scope}\0".encode("utf-8", "surrogateescape"))
    digest.update(css.encode("utf-8", "surrogateescape"))
    return digest.digest()


class DiskRules:
    """The cache file's rules: read once, looked up by key, new ones saved at exit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stored: dict[bytes, bytes] | None = None  # key -> pickled rules; None: not read yet
        self._new: dict[bytes, list[Any]] = {}

    def _read(self) -> dict[bytes, bytes]:
        if self._stored is None:
            self._stored = _read_file(self.path)
        return self._stored

    def get(self, key: bytes) -> list[Any] | None:
        """The rules kept under ``key``, or None (not kept, or not usable)."""
        blob = self._read().get(key)
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


def _read_file(path: Path) -> dict[bytes, bytes]:
    # unpickled: what is trusted, see the module docstring
    return read_table(path, _installation(), MAX_BYTES, pickle.loads, bytes, bytes)
