"""Fingerprints of the seed articles, to catch text copied into the catalog.

The seed articles the catalog was written from are other people's text, so
the repository keeps only fingerprints of them: one short hash per run of
:data:`RUN` consecutive words (lower case, punctuation ignored). A catalog
text that shares such a run with a seed has the same hash.

Regenerate after the seeds change::

    python tests/seed_copy.py SEEDS_DIR > tests/data/seed_runs.txt
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

#: Runs of this many words or more count as copied.
RUN = 8
FINGERPRINTS = Path(__file__).parent / "data" / "seed_runs.txt"


def words(text: str) -> list[str]:
    """Lower-case words; apostrophes vanish (it's -> its), other punctuation splits."""
    text = text.casefold().replace("\u2019", "").replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def digest(run: Iterable[str]) -> str:
    return hashlib.sha1(" ".join(run).encode("utf-8")).hexdigest()[:16]


def runs(text: str, n: int = RUN) -> Iterator[tuple[str, str]]:
    """``(digest, the words)`` for every run of ``n`` words in ``text``."""
    w = words(text)
    for i in range(len(w) - n + 1):
        chunk = w[i : i + n]
        yield digest(chunk), " ".join(chunk)


def seed_fingerprints(seed_dir: Path) -> set[str]:
    out: set[str] = set()
    for path in sorted(Path(seed_dir).glob("*.txt")):
        out.update(d for d, _ in runs(path.read_text(encoding="utf-8")))
    return out


def load_fingerprints() -> set[str]:
    return {line.strip() for line in FINGERPRINTS.read_text(encoding="ascii").splitlines() if line.strip()}


if __name__ == "__main__":
    for d in sorted(seed_fingerprints(Path(sys.argv[1]))):
        print(d)
