"""Where stretchtui keeps its data.

The data directory is, in order: the ``--data-dir`` argument, the
``STRETCHTUI_DATA_DIR`` environment variable, or the platform's user data
directory (``platformdirs.user_data_dir("stretchtui")``, e.g.
``~/.local/share/stretchtui`` on Linux).
"""

from __future__ import annotations

import os
from pathlib import Path

#: Environment variable that overrides the default data directory.
ENV_VAR = "STRETCHTUI_DATA_DIR"
APP_NAME = "stretchtui"


def default_data_dir() -> Path:
    """The platform's per-user data directory for stretchtui."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(arg: str | Path | None = None) -> Path:
    """``arg``, else ``$STRETCHTUI_DATA_DIR``, else :func:`default_data_dir`.

    ``~`` is expanded; the path is made absolute but not resolved (symlinks
    are kept as the user wrote them). Nothing is created here.
    """
    if arg is not None and str(arg) != "":
        raw = str(arg)
    else:
        raw = os.environ.get(ENV_VAR, "")
    if raw:
        return Path(os.path.abspath(os.path.expanduser(raw)))
    return default_data_dir()
