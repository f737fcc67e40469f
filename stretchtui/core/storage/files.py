"""File names and paths for what the app writes and reads: routine files, handouts, summaries.

One naming rule everywhere (the CLI's ``export`` and the app's dialogs):
``"Morning stiffness"`` becomes ``morning-stiffness.routine.json``. The app's
dialogs show one folder (``export_folder`` of config.toml, else the user's
home folder); a relative path typed there is taken from that folder, and
what was written is always reported as an absolute path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..text import clean_name

#: Suffix of routine files (``stretchtui export`` / ``import``).
ROUTINE_SUFFIX = ".routine.json"

#: Most completions offered for one typed path (a huge folder must not stall a key press).
MAX_LISTED = 200


def file_stem(name: str) -> str:
    """A file-name-safe form of ``name``: ``"Morning stiffness"`` -> ``"morning-stiffness"``.

    Lowercase ASCII letters, digits and ``_``; every other run of characters
    becomes one ``-``; at most 60 characters; ``"routine"`` when nothing is left.
    """
    slug = re.sub(r"[^\w]+", "-", clean_name(name).casefold(), flags=re.ASCII).strip("-")
    return slug[:60].strip("-") or "routine"


def export_file_name(name: str, suffix: str = ROUTINE_SUFFIX) -> str:
    """The default file name for ``name``: ``morning-stiffness.routine.json`` (or another ``suffix``)."""
    return file_stem(name) + suffix


def dialog_folder(configured: Path | None, home: Path | None = None) -> Path:
    """The folder the app's save and open dialogs start in, absolute.

    ``configured`` is ``export_folder`` of config.toml (a relative one is
    taken from the current folder); without one, the user's home folder.
    """
    if configured is not None:
        return Path(os.path.abspath(os.path.expanduser(configured)))
    return (home if home is not None else Path.home()).absolute()


def resolve_typed(typed: str, folder: Path) -> Path:
    """The absolute path for text typed in a dialog showing ``folder``.

    ``~`` is the home folder; a relative path is taken from ``folder``, not
    from wherever the app was started. ``..`` parts are resolved as text
    (symlinks are left alone: the writer refuses to replace one).
    """
    raw = os.path.expanduser(typed.strip())
    return Path(os.path.normpath(os.path.join(folder, raw)))


def _split_typed(typed: str, folder: Path) -> tuple[Path, str, str]:
    """(folder to list, name prefix, the typed text of that folder) for ``typed``."""
    head, sep, prefix = typed.rpartition("/")
    if not sep:
        return folder, typed, ""
    shown = head + "/"
    return Path(os.path.join(folder, os.path.expanduser(shown))), prefix, shown


def complete_path(typed: str, folder: Path, suffix: str = ROUTINE_SUFFIX) -> list[str]:
    """Completions of ``typed`` (relative to ``folder``), as the user would type them.

    Folders end in ``/``; files are offered only when they end with
    ``suffix`` (``""`` offers every file). Hidden entries only when the typed
    name starts with a dot. Sorted: folders first, then files, by name.
    Unreadable folders give no completions (never an error).
    """
    base, prefix, shown = _split_typed(typed, folder)
    try:
        entries = list(os.scandir(base))
    except OSError:
        return []
    folders: list[str] = []
    files: list[str] = []
    for entry in entries:
        name = entry.name
        if not name.startswith(prefix) or (name.startswith(".") and not prefix.startswith(".")):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            continue
        if is_dir:
            folders.append(shown + name + "/")
        elif not suffix or name.endswith(suffix):
            files.append(shown + name)
        if len(folders) + len(files) >= MAX_LISTED:
            break
    return sorted(folders, key=str.casefold) + sorted(files, key=str.casefold)


def files_in(folder: Path, suffix: str = ROUTINE_SUFFIX) -> list[str]:
    """Names of the visible files in ``folder`` ending with ``suffix``, sorted (none if unreadable)."""
    return [name for name in complete_path("", folder, suffix) if not name.endswith("/")]


def in_screen(environ: Mapping[str, str] | None = None) -> bool:
    """True inside GNU screen ($STY is set)."""
    env = os.environ if environ is None else environ
    return bool(env.get("STY"))


def tmux_passes_clipboard(run: Any = None) -> bool | None:
    """Whether the tmux this runs in passes an application's OSC 52 on
    (``set-clipboard on``): True, False, or None when it cannot be told."""
    import subprocess

    run = run or subprocess.run
    try:
        result = run(["tmux", "show-options", "-sv", "set-clipboard"], capture_output=True, text=True, timeout=1)
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.strip() == "on"


def clipboard_report(
    chars: int, environ: Mapping[str, str] | None = None, *, instead: str = "save the summary to a file (w)",
    tmux_on: Any = tmux_passes_clipboard,
) -> tuple[str, bool]:
    """What to tell after sending ``chars`` characters to the clipboard with OSC 52, and whether to warn.

    The app cannot know whether the terminal took them, so it says what was
    sent. tmux drops OSC 52 from applications unless ``set-clipboard`` is
    ``on``: it is asked, and the advice is given only while it is not on
    (after the user followed it, the copy arrives and nothing is repeated).
    GNU screen never passes it on. ``instead`` is the other way to get the
    text ("save the summary to a file (w)").
    """
    from ..domain.cues import in_tmux

    sent = f"Sent {chars} character{'s' if chars != 1 else ''} to the terminal clipboard (OSC 52)."
    if in_tmux(environ):
        if tmux_on() is True:
            return f"{sent} Nothing pasted? Your terminal outside tmux blocks it: {instead}.", False
        return f"{sent} tmux passes it on only after: tmux set -s set-clipboard on. Or {instead}.", True
    if in_screen(environ):
        return f"{sent} GNU screen does not pass it on: {instead} instead.", True
    return f"{sent} Nothing pasted? Your terminal blocks it: {instead}.", False
