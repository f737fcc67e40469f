"""``stretchtui symptoms [--json]`` and ``stretchtui symptoms clear STRETCH|all``.

A stretch is marked when a recorded session says symptoms spread with it
(a *spreading* answer after it, or an ``x`` stop in it; see
:mod:`stretchtui.core.domain.symptoms`). ``symptoms`` lists the marks;
``--json`` prints ``{"marks": [{"stretch": id, "name": str, "date":
"YYYY-MM-DD", "how": "spreading"|"stop"}]}``. ``symptoms clear`` removes
one stretch's mark (an id or a name) or every mark (``all``); an unknown
stretch is one line on stderr and exit 2, and nothing is changed.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..core.domain.catalog import load_catalog
from ..core.domain.symptoms import HOW_WORDS, SymptomMark
from ..core.errors import StretchtuiError
from ..core.storage.store import open_store
from ..core.text import display, json_text

if TYPE_CHECKING:  # pragma: no cover
    from ..core.domain.catalog import Catalog


def run(args: argparse.Namespace) -> int:
    """List the marks, or clear them."""
    catalog = load_catalog()
    if getattr(args, "symptoms_action", None) == "clear":
        return _clear(args, catalog)
    store = open_store(args.data_dir, create=False)
    try:
        marks = store.symptom_marks()
    finally:
        store.close()
    if args.json:
        print(json_text({"marks": [dict(m.to_dict(), name=_name(catalog, m.stretch)) for m in marks]}, indent=2))
        return 0
    if not marks:
        print("No stretch is marked: no recorded session says symptoms spread (or the marks were cleared).")
        return 0
    print("Marked because symptoms spread (leave these out and see a clinician):")
    width = max(len(_name(catalog, m.stretch)) for m in marks)
    for mark in marks:
        print(f"  {display(_name(catalog, mark.stretch)):<{width}}  {display(mark.date)}  {HOW_WORDS.get(mark.how, mark.how)}")
    print("Once a clinician has seen you: stretchtui symptoms clear STRETCH|all")
    return 0


def _name(catalog: Catalog, stretch_id: str) -> str:
    stretch = catalog.get(stretch_id)
    return stretch.name if stretch is not None else stretch_id


def resolve_stretch(catalog: Catalog, text: str) -> str:
    """The stretch id ``text`` names (an id, a name or an alias, any case); raises StretchtuiError."""
    key = text.strip().casefold()
    for stretch in catalog.stretches.values():
        if key == stretch.id or key == stretch.name.casefold() or key in (a.casefold() for a in stretch.aliases):
            return str(stretch.id)
    close = catalog.closest_ids(key.replace(" ", "-"), n=1)
    hint = f" Did you mean {close[0]}?" if close else " See `stretchtui catalog` for the ids."
    raise StretchtuiError(f"symptoms clear: no stretch is called {display(text)!r}.{hint} Nothing was changed.")


def _clear(args: argparse.Namespace, catalog: Catalog) -> int:
    everything = args.stretch.strip().casefold() == "all"
    wanted = None if everything else resolve_stretch(catalog, args.stretch)
    store = open_store(args.data_dir)
    try:
        for notice in store.notices:
            print(f"stretchtui: {display(notice, multiline=True)}", file=sys.stderr)
        removed: tuple[SymptomMark, ...] = store.clear_symptom_marks(None if wanted is None else [wanted])
    finally:
        store.close()
    if not removed:
        what = "No stretch is marked" if wanted is None else f"{display(_name(catalog, wanted))} is not marked"
        print(f"{what}: nothing to clear.")
        return 0
    names = ", ".join(display(_name(catalog, m.stretch)) for m in removed)
    print(f"Cleared the symptom mark of {names}. Bring it back gently, as your clinician advised.")
    return 0
