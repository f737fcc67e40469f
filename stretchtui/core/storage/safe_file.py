"""Reading and writing files safely: the one reader and the one writer every file goes through.

Reading (:func:`read_data_file`): a file stretchtui reads (the store's
files and their ``.bak``, ``layout.json``, ``schedule.json``,
``config.toml``, and the last session ``due`` looks at) is opened without
following a symbolic link and without blocking (a FIFO put in its place
would hang the reader), must be a regular file, and is read up to a size
limit (a link to ``/dev/zero`` or a runaway file would read until memory
runs out). What is not so is a :class:`UnsafeFile` naming the file and the fix.

Writing: :func:`atomic_write` replaces one of the data folder's own files
(temporary file 0600 opened with ``O_EXCL | O_NOFOLLOW``, fsync, optional
hard-linked backup, rename, fsync the folder). :func:`write_file` writes a
file the user asked for (routine export, handout, clinician summary,
history export, schedule, config): by the same path, but it never replaces
a symbolic link, FIFO, socket, device or folder (``force`` included, as
root too: ``/dev/null`` survives), never overwrites without ``force`` (the
final step is a hard link, which fails if the name appeared meanwhile), and
creates the file with the user's umask: 0600 at most when ``private`` (the
file holds health data: conditions, history), else as ``open()`` would.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
from pathlib import Path

from ..errors import StretchtuiError

#: Prefix of temporary files (``.library.json.tmp-<pid>-<random>``).
TMP_MARK = ".tmp-"

#: Open flags that refuse to follow a symbolic link planted where a file goes
#: (someone else's link must never make us read or write its target).
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)

#: Largest store file read (a sessions year file at 2.8 KB a session holds about 90,000).
MAX_DATA_BYTES = 256 * 1024 * 1024
#: Largest small settings file read (config.toml, schedule.json, layout.json).
MAX_SMALL_BYTES = 1024 * 1024


class UnsafeFile(StretchtuiError):
    """A file is not a regular file stretchtui may read or replace (a link, FIFO, device, folder, too large)."""

    def __init__(self, path: Path | str, problem: str, fix: str) -> None:
        from ..text import display

        super().__init__(f"{display(path)} {problem}. {fix}")
        self.path = Path(path)
        self.problem = problem
        self.fix = fix


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    return "not a regular file"


def read_at_most(fd: int, limit: int) -> bytes:
    """Read ``fd`` to its end, but never more than ``limit + 1`` bytes (so a
    file that grew past the limit after it was checked is still caught)."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = os.read(fd, min(1 << 24, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_data_file(path: Path | str, limit: int = MAX_DATA_BYTES, *, follow_links: bool = False) -> bytes | None:
    """The bytes of the regular file ``path`` (at most ``limit``); None when there is no such file.

    Never follows a symbolic link (unless ``follow_links``: then only to a
    regular file), never blocks on a FIFO, never reads a device: each is an
    :class:`UnsafeFile`, as is a file over ``limit``. Other errors
    (permission denied) are the ``OSError`` they are.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags if follow_links else flags | NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeFile(path, "is a symbolic link; stretchtui does not follow links in its data",
                             f"Remove the link (rm {path}) or put the real file there.") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            problem = "is a folder, not a file" if stat.S_ISDIR(info.st_mode) else (
                f"is {_kind(info.st_mode)}".removesuffix(", not a regular file") + ", not a regular file")
            raise UnsafeFile(path, problem,
                             "Move it away; stretchtui reads only regular files.")
        if info.st_size > limit:
            raise UnsafeFile(path, f"is too large ({info.st_size} bytes; the limit is {limit} bytes)",
                             "Check that this is the right file.")
        data = read_at_most(fd, limit)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise UnsafeFile(path, f"grew past the limit of {limit} bytes while it was read", "Try again.")
    return data


#: Data files of the data folder (and their ``.bak``) every reader and writer checks.
_CHECKED = re.compile(r"^(layout\.json|library\.json|db\.json|store\.lock|schedule\.json|sessions-\d{4}\.json)(\.bak)?$")


def check_folder(data_dir: Path | str) -> None:
    """Refuse (:class:`UnsafeFile`) a data folder stretchtui must not read or write.

    The folder must not be writable by other users (like git's
    safe.directory), and each of its data files (and ``.bak``) must be a
    regular file that only its owner may write: no symbolic link, FIFO,
    socket or device. The store checks this on opening; what reads or writes
    the folder without opening the store (``due``, ``schedule set``) checks
    it too. A folder that does not exist passes (there is nothing to read).
    """
    d = Path(data_dir)
    try:
        mode = stat.S_IMODE(os.stat(d).st_mode)
    except OSError:
        return
    if mode & 0o022:
        raise UnsafeFile(d, f"can be changed by other users (permissions {mode:04o}), so "
                         "someone else could change or replace your history; stretchtui will not use it",
                         f"Fix it with: chmod 700 {d}")
    try:
        names = os.listdir(d)
    except OSError:
        return
    for name in names:
        if not _CHECKED.match(name):
            continue
        path = d / name
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISLNK(st.st_mode):
            raise UnsafeFile(path, "is a symbolic link; stretchtui refuses to follow it (it could make it "
                             "read or overwrite another file)", f"Remove the link (rm {path}) and start again.")
        if not stat.S_ISREG(st.st_mode) and not (stat.S_ISDIR(st.st_mode) and name != "store.lock"):
            raise UnsafeFile(path, f"is {_kind(st.st_mode)}, not a data file; stretchtui will not read or "
                             "write through it", f"Move it away (mv {path} {path}.moved) and start again.")
        if stat.S_IMODE(st.st_mode) & 0o022:
            raise UnsafeFile(path, f"can be changed by other users (permissions "
                             f"{stat.S_IMODE(st.st_mode):04o}); stretchtui will not use it",
                             f"Fix it with: chmod 600 {path}")


# ---------------------------------------------------------------- writing
def _write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd`` (a separate function so tests can break it)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def fsync_dir(directory: Path) -> None:
    """fsync a directory so renames in it are durable (best effort where unsupported)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:  # some filesystems refuse fsync on directories
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _temp_name(path: Path, kind: str) -> Path:
    # os.urandom, not secrets: importing secrets loads OpenSSL (a few ms of every start-up).
    return path.with_name(f".{path.name}{kind}{os.getpid()}-{os.urandom(4).hex()}")


def _temp_file(path: Path, data: bytes, mode: int) -> Path:
    """A new temporary file beside ``path`` holding ``data``, fsynced (removed again on failure)."""
    tmp = _temp_name(path, TMP_MARK)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, mode)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def atomic_write(path: Path, data: bytes, *, backup: Path | None = None) -> None:
    """Replace ``path`` with ``data`` atomically (temp file, fsync, link backup, replace, fsync dir).

    For the data folder's own files. New files are created 0600. On any
    failure the temporary file is removed and ``path`` is left as it was.
    """
    tmp = _temp_file(path, data, 0o600)
    try:
        if backup is not None:
            _link_backup(path, backup)
        os.replace(tmp, path)
    except BaseException:
        _unlink(tmp)
        raise
    fsync_dir(path.parent)


def _link_backup(path: Path, backup: Path) -> None:
    """Make ``backup`` the current ``path`` (a hard link; a copy where links are not supported)."""
    tmp = _temp_name(backup, TMP_MARK)
    try:
        os.link(path, tmp)
    except FileNotFoundError:
        return
    except OSError:
        try:
            shutil.copyfile(path, tmp)
        except FileNotFoundError:
            return
    try:
        os.replace(tmp, backup)
    finally:
        # rename() between two links to the same file (a writer died after
        # linking the backup) succeeds without removing ``tmp``.
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass


class WriteRefused(StretchtuiError):
    """:func:`write_file` would not, or could not, write the file; ``problem`` and ``fix`` say why."""

    def __init__(self, path: Path, problem: str, fix: str) -> None:
        from ..text import display

        super().__init__(f"{display(path)} {problem}. {fix}")
        self.path = path
        self.problem = problem
        self.fix = fix


def write_file(path: str | os.PathLike, data: bytes, *, force: bool = False, private: bool = True,
               example: str = "NAME.json") -> Path:
    """Write ``data`` to ``path`` (a file the user named) and return the path; see the module docstring.

    Raises :class:`WriteRefused` (an existing file without ``force``, a
    link, FIFO, device or folder in the way, a missing folder, a full disk).
    """
    target = Path(path)
    try:
        existing: os.stat_result | None = os.lstat(target)
    except OSError:
        existing = None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise WriteRefused(target, "is a directory", f"Give a file name, e.g. {example}.")
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        raise WriteRefused(target, f"is {_kind(existing.st_mode)}; stretchtui only replaces regular files, "
                           "even with --force", "Remove it yourself if you mean to, or choose another file name.")
    if existing is not None and not force:
        raise WriteRefused(target, "already exists", "Use --force to overwrite it, or choose another file name.")
    parent = target.parent
    if not parent.is_dir():
        raise WriteRefused(target, f"the folder {parent} does not exist", "Create it first or choose another path.")
    try:
        tmp = _temp_file(target, data, 0o600 if private else 0o666)  # the umask applies on top
    except OSError as exc:
        raise WriteRefused(target, f"cannot write there ({exc.strerror or exc})",
                           "Choose a folder you can write to, and check the free space. Nothing was written.") from None
    try:
        if force and existing is not None:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)  # fails if the name appeared meanwhile: never overwrite
            except FileExistsError:
                raise WriteRefused(target, "already exists",
                                   "Use --force to overwrite it, or choose another file name.") from None
            except OSError:  # no hard links on this file system
                if os.path.lexists(target):
                    raise WriteRefused(target, "already exists",
                                       "Use --force to overwrite it, or choose another file name.") from None
                os.replace(tmp, target)
    except OSError as exc:
        raise WriteRefused(target, f"cannot write it ({exc.strerror or exc})",
                           "Check the folder and free space. Nothing was written.") from None
    finally:
        _unlink(tmp)
    fsync_dir(parent)
    return target
