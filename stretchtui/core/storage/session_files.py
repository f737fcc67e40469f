"""Where sessions are kept on disk, and reading one sessions file safely.

Sessions are filed by the year they started in, ``sessions-YYYY.json`` (see
:mod:`.store`); a data folder of the old layout has them in ``db.json``.
This module names those files and reads one with the checks every reader
needs: only a regular file is read (a FIFO would hang the reader, a device
such as ``/dev/zero`` would never end), a symbolic link in its place is not
followed, and a file larger than :data:`MAX_BYTES` is not read. It imports
neither TinyDB nor Textual, so ``stretchtui due`` (run in shell prompts)
can use it and stay fast.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from ..errors import StretchtuiError

#: A year's sessions file; the group is the year.
SESSIONS_FILE = re.compile(r"^sessions-(\d{4})\.json$")
#: The old single database file (layout 1).
LEGACY_NAME = "db.json"
#: The largest sessions file read (far above a lifetime of daily sessions in one year).
MAX_BYTES = 256 * 1024 * 1024

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)


class SessionFileError(StretchtuiError):
    """A sessions file cannot be read as one (the message names the file and what to do)."""


def sessions_name(year: int) -> str:
    return f"sessions-{year:04d}.json"


def year_files(data_dir: Path) -> dict[int, Path]:
    """year -> path of every ``sessions-YYYY.json`` in ``data_dir`` (empty when it cannot be listed)."""
    try:
        names = os.listdir(data_dir)
    except OSError:
        return {}
    out = {}
    for name in names:
        m = SESSIONS_FILE.match(name)
        if m:
            out[int(m.group(1))] = Path(data_dir) / name
    return out


def read_checked(path: Path, limit: int = MAX_BYTES) -> bytes | None:
    """The bytes of the sessions file at ``path``; None when there is none.

    Raises :class:`SessionFileError` for anything that is not a regular file
    (a FIFO, a device, a folder), for a symbolic link in its place, and for a
    file over ``limit`` bytes: none of them is read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SessionFileError(
                f"{path} is a symbolic link; stretchtui reads only its own files there. "
                f"Remove the link (rm {path})."
            ) from None
        raise SessionFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise SessionFileError(
                f"{path} is not a regular file (a folder, a pipe or a device), so it was not read. "
                "Move it away."
            )
        if st.st_size > limit:
            raise SessionFileError(
                f"{path} is {st.st_size:,} bytes, more than a sessions file can be ({limit:,}); "
                "it was not read. Check that it is the right file."
            )
        os.set_blocking(fd, True)
        chunks = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            size += len(chunk)
            if size > limit:  # grew while we read
                raise SessionFileError(f"{path} grew past {limit:,} bytes while it was read; it was not used.")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
