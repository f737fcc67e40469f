"""Where sessions are kept on disk: the names of the sessions files.

Sessions are filed by the year they started in, ``sessions-YYYY.json`` (see
:mod:`.store`); a data folder of the old layout has them in ``db.json``.
The store and ``stretchtui due`` name and find them here; both read them
with the same file checks (:func:`.safe_file.read_data_file`). It imports
neither TinyDB nor Textual, so ``due`` (run in shell prompts) stays fast.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

#: A year's sessions file; the group is the year.
SESSIONS_FILE = re.compile(r"^sessions-(\d{4})\.json$")
#: The old single database file (layout 1).
LEGACY_NAME = "db.json"


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
