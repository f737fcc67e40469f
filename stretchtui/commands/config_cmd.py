"""``stretchtui config path|show|edit``, and loading the config for the other commands."""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys

from ..core.errors import StretchtuiError
from ..core.storage.config import Settings, config_path, load_config, template


def load_for_cli() -> Settings:
    """The settings for a command; a problem is said in one line on stderr and never stops it."""
    settings = load_config()
    if settings.problem_line:
        print(f"stretchtui: {settings.problem_line}", file=sys.stderr)
    return settings


def run(args: argparse.Namespace) -> int:
    action = getattr(args, "config_action", None) or "show"
    path = config_path()
    if action == "path":
        print(path)
        return 0
    if action == "edit":
        return _edit(path)
    settings = load_config(path)
    state = "" if path.exists() else " (no such file yet: these are the defaults; `stretchtui config edit` creates it)"
    print(f"# {path}{state}")
    sys.stdout.write(settings.to_toml())
    for problem in settings.problems:
        print(f"stretchtui: config {problem}", file=sys.stderr)
    return 2 if settings.problems else 0


def _editor() -> list[str] | None:
    for var in ("VISUAL", "EDITOR"):
        value = os.environ.get(var, "").strip()
        if value:
            return shlex.split(value)
    for name in ("sensible-editor", "nano", "vi"):
        if shutil.which(name):
            return [name]
    return None


def _edit(path) -> int:
    if not path.exists():
        from ..core.storage.safe_file import WriteRefused, write_file

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file(path, template().encode("utf-8"), private=False, example="config.toml")
        except OSError as exc:
            raise StretchtuiError(f"cannot create {path}: {exc.strerror or exc}") from None
        except WriteRefused as exc:
            raise StretchtuiError(f"cannot create {exc}") from None
        print(f"Created {path} (every setting commented out).")
    editor = _editor()
    if editor is None:
        raise StretchtuiError(f"no editor found: set $EDITOR (e.g. EDITOR=nano), or edit {path} yourself")
    try:
        status = subprocess.call([*editor, str(path)])
    except OSError as exc:
        raise StretchtuiError(f"cannot start the editor {editor[0]!r}: {exc.strerror or exc}. Set $EDITOR.") from None
    if status != 0:
        print(f"stretchtui: the editor exited with status {status}", file=sys.stderr)
    settings = load_config(path)
    if settings.problem_line:
        print(f"stretchtui: {settings.problem_line}", file=sys.stderr)
        return 2
    print(f"{path} is fine.")
    return 0
