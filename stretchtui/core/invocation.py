"""How a person runs stretchtui from a shell on this machine.

README's first command installs stretchtui into ``.venv``; until the user puts
it on ``PATH``, a printed hint such as "Run: stretchtui play 'Morning
stiffness'" fails with "command not found" (and a shell prompt's
``stretchtui due`` fails silently, forever). :func:`command_prefix` finds
what works here: ``stretchtui`` when that name on ``PATH`` is this
installation, else the absolute path of this installation's script, else
``python -m stretchtui`` with this interpreter. :func:`runnable` rewrites the
commands in a text to that form; the CLI passes everything it prints through
it (``cli.main``), so every command it suggests can be pasted as it is.

Pure; no UI imports.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from functools import cache
from pathlib import Path

#: Every command (``cli.COMMANDS``, which a test holds this to) and the hidden one.
COMMAND_NAMES: tuple[str, ...] = (
    "catalog", "check", "profile", "psfs", "import", "share", "export", "routines", "history", "play",
    "summary", "suggest", "checkin", "serve", "schedule", "due", "completion", "config", "keys",
    "symptoms", "_complete",
)

_COMMANDS = "|".join(map(re.escape, COMMAND_NAMES))
#: "stretchtui COMMAND" where a command is meant: at the start of a line, or
#: after a backtick, ": ", "(" or a quote ("Run: stretchtui play ...",
#: "`stretchtui check X`", "$(stretchtui _complete ...)"); a bare
#: "stretchtui" only as "Run: stretchtui" or "`stretchtui`". Prose such as "not
#: a stretchtui history file" or "summary from stretchtui" is left alone.
_HINT = re.compile(
    r"(?:(?<=^)|(?<=\n)|(?<=^ )|(?<=\n )|(?<=  )|(?<=`)|(?<=: )|(?<=\()|(?<=')|(?<=\"))"
    r"stretchtui(?=(?: (?:" + _COMMANDS + r")\b| --))"
    r"|(?:(?<=`)|(?<=: ))stretchtui(?=`|$|\n)",
    re.MULTILINE,
)


def _same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


@cache
def command_prefix() -> str:
    """What to type to run this stretchtui (see the module docstring)."""
    here = Path(sys.executable).parent / ("stretchtui.exe" if os.name == "nt" else "stretchtui")
    found = shutil.which("stretchtui")
    if found and (not here.exists() or _same_file(found, here)):
        return "stretchtui"
    if here.exists():
        return shlex.quote(str(here.absolute()))
    return f"{shlex.quote(sys.executable)} -m stretchtui"


def runnable(text: str, prefix: str | None = None) -> str:
    """``text`` with each ``stretchtui COMMAND`` in it written as it can be run here."""
    prefix = command_prefix() if prefix is None else prefix
    if prefix == "stretchtui" or "stretchtui" not in text:
        return text
    return _HINT.sub(lambda _m: prefix, text)
