"""Files in the user's cache folder: kept between runs only to save time.

Such a file is read only when it is a regular file of the user's own, that
nobody else may write, at most a given size, whose first line is exactly the
one expected (it names the format and what the contents depend on: the
Python version, the installation). Anything else reads as no file: the cache
is rebuilt and the next save replaces it. It is written atomically (a
temporary file renamed over it), readable by the user alone; a folder that
cannot be written is the caller's to ignore (:class:`OSError`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

APP_NAME = "stretchtui"


def cache_dir() -> Path:
    """``platformdirs.user_cache_dir("stretchtui")`` (``~/.cache/stretchtui`` on Linux; ``$XDG_CACHE_HOME`` is honoured)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def read_trusted(path: Path, first_line: bytes, max_bytes: int) -> bytes | None:
    """What follows ``first_line`` in ``path``, or None (missing, not trusted, another format)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if (not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes
                or (hasattr(os, "getuid") and info.st_uid != os.getuid())
                or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
            return None
        with os.fdopen(fd, "rb") as file:
            fd = -1
            if file.readline(len(first_line) + 1) != first_line:
                return None
            return file.read(max_bytes)
    except OSError:
        return None
    finally:
        if fd >= 0:
            os.close(fd)


def read_table(path: Path, first_line: bytes, max_bytes: int, loads: Callable[[bytes], Any],
               key_type: type, value_type: type) -> dict:
    """The table (``{key_type: value_type}``) ``loads`` makes of a trusted file, or ``{}`` (missing,
    not trusted, another format, damaged, anything but such a table)."""
    body = read_trusted(path, first_line, max_bytes)
    if body is None:
        return {}
    return load_table(body, loads, key_type, value_type)  # the user's own file, checked above


def load_table(body: bytes, loads: Callable[[bytes], Any], key_type: type, value_type: type) -> dict:
    """The table (``{key_type: value_type}``) ``loads`` makes of ``body``, or ``{}`` (damaged,
    anything but such a table). ``body`` must come from a file trusted to be loaded."""
    try:
        table = loads(body)
    except Exception:
        return {}
    if not isinstance(table, dict) or not all(
            isinstance(k, key_type) and isinstance(v, value_type) for k, v in table.items()):
        return {}
    return table


def write_table(path: Path, first_line: bytes, max_bytes: int, dumps: Callable[[], bytes]) -> bool:
    """Write ``first_line`` and what ``dumps()`` makes to ``path`` (:func:`write_private`); True when
    written. Anything that fails (a full disk, a read-only home, a table over ``max_bytes``) is
    False, quietly: a cache only saves time, and never stops the app."""
    try:
        data = first_line + dumps()
        if len(data) > max_bytes:
            return False
        write_private(path, data)
    except Exception:
        return False
    return True


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, mode 0600 (the folder made if missing, 0700)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
