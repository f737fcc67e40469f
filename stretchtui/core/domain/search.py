"""Finding a stretch by what is typed: one ranking for the app and the CLI.

``stretchtui catalog --search TEXT`` and the Catalog's ``/`` search (and the
Builder's search box) call :func:`search` through ``Catalog.search``. Every
word typed must match the stretch somewhere; each word's match has a tier,
and stretches sort by their worst word's tier, then by the sum, then in
catalog order:

0. a word of the name (or id) starts with it: "chin" → Chin Tuck;
1. it is inside the name: "string" → Hamstring Stretch;
2. a word of an alias starts with it: "knee-pulling" → Knee to Chest;
3. the name of a condition the stretch helps has a word starting with it:
   "sciatica", "stenosis";
4. a word of the name, an alias or a helped condition is one typing slip
   away (a letter wrong, missing, extra or two swapped; two slips for long
   words): "hamstirng" → Hamstring Stretch.

A word that matches only inside an alias's word ("chin" in "arching") does
not count: that was noise that put Cat-Cow above Chin Tuck.

Pure; no UI imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

_WORD = re.compile(r"[0-9a-z]+")

#: Tier of a typing slip; no match at all is one more.
SLIP = 4
_MISS = SLIP + 1


@dataclass(frozen=True)
class Entry:
    """What a stretch can be found by (all case-folded)."""

    name: str
    name_words: tuple[str, ...]
    aliases: tuple[str, ...]
    alias_words: tuple[str, ...]
    helps: tuple[str, ...]
    helps_words: tuple[str, ...]


def _words(texts: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for t in texts for w in _WORD.findall(t.casefold())))


def entry(name: str, stretch_id: str, aliases: Sequence[str], helped: Sequence[str]) -> Entry:
    """The search entry of one stretch; ``helped`` are the names (and ids) of the conditions it helps."""
    name_text = f"{name} {stretch_id.replace('-', ' ')}".casefold()
    alias_texts = tuple(a.casefold() for a in aliases)
    help_texts = tuple(h.casefold().replace("-", " ") for h in helped)
    return Entry(name_text, _words([name_text]), alias_texts, _words(alias_texts), help_texts, _words(help_texts))


def _at_word_start(token: str, text: str) -> bool:
    start = text.find(token)
    while start >= 0:
        if start == 0 or not text[start - 1].isalnum():
            return True
        start = text.find(token, start + 1)
    return False


def slips(a: str, b: str, limit: int) -> int:
    """Typing slips between ``a`` and ``b`` (optimal string alignment distance),
    or ``limit + 1`` as soon as it is known to be more than ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _slip_limit(token: str) -> int:
    return 0 if len(token) < 4 else 1 if len(token) < 8 else 2


def tier(token: str, item: Entry) -> int:
    """How well one typed word matches (see the module docstring); :data:`SLIP` + 1 for no match."""
    if _at_word_start(token, item.name):
        return 0
    if token in item.name:
        return 1
    if any(_at_word_start(token, alias) for alias in item.aliases):
        return 2
    if any(_at_word_start(token, text) for text in item.helps):
        return 3
    limit = _slip_limit(token)
    if limit and token.isalnum():
        for word in (*item.name_words, *item.alias_words, *item.helps_words):
            if slips(token, word, limit) <= limit:
                return SLIP
    return _MISS


def rank(text: str, entries: Mapping[str, Entry], pool: Sequence[str]) -> list[str]:
    """The ids of ``pool`` (in catalog order) that match every word of ``text``, best first."""
    tokens = list(dict.fromkeys(text.casefold().split()))
    if not tokens:
        return list(pool)
    scored: list[tuple[int, int, int, str]] = []
    for order, stretch_id in enumerate(pool):
        item = entries[stretch_id]
        tiers = [tier(token, item) for token in tokens]
        worst = max(tiers)
        if worst < _MISS:
            scored.append((worst, sum(tiers), order, stretch_id))
    scored.sort()
    return [stretch_id for *_rest, stretch_id in scored]
