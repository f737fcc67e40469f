"""``stretchtui catalog [--region R] [--search TEXT] [--safe-for C ...] [--json]``: list stretches.

Plain text is a table (id, name, regions, dosage); ``--json`` prints a list
of objects with the full entries. ``--safe-for`` leaves out every stretch
that carries a caution or avoid for one of the given conditions, and the
stretches the sources list as best avoided with back pain. ``--search`` uses
the app's search and its ranking (:mod:`stretchtui.core.domain.search`). A
stretch that helps a condition only if it centralizes (press-up family, disc
herniation / sciatica) gets one line saying so under the table, and
``centralize_note`` in the JSON.
"""

from __future__ import annotations

import argparse
import shutil
import sys

from ..core.domain.catalog import Catalog, load_catalog
from ..core.domain.clinical import centralize_note
from ..core.domain.models import Stretch
from ..core.domain.timeline import format_duration
from ..core.errors import UsageError
from ..core.text import hang, json_text


def dosage_summary(stretch: Stretch) -> str:
    """The default dosage in a few words, e.g. ``"3 × 20 s each side"``."""
    d = stretch.dosage
    hold, reps = d.hold.default, d.reps.default
    if d.mode == "hold":
        text = f"{reps} × {hold} s" if reps > 1 else f"{hold} s hold"
    elif d.mode == "reps":
        text = f"{reps} reps" if reps > 1 else f"1 rep of {hold} s"
    else:
        minutes = format_duration(hold) if hold >= 60 else f"{hold} s"
        text = f"{minutes} moving" if reps == 1 else f"{reps} × {minutes} moving"
    if d.sides == "each":
        text += " each side"
    return text


def source_to_json(catalog: Catalog | None, ref: str) -> dict:
    """``{"id", "publisher", "title", "url"}`` for a source id (``url`` null when there is none)."""
    src = catalog.sources.get(ref) if catalog is not None else None
    if src is None:
        return {"id": ref, "publisher": None, "title": ref, "url": None}
    return {"id": src.id, "publisher": src.publisher, "title": src.title, "url": src.url or None}


def stretch_to_json(stretch: Stretch, catalog: Catalog | None = None) -> dict:
    d = stretch.dosage

    def rng(r):
        return {"min": r.min, "default": r.default, "max": r.max}

    return {
        "id": stretch.id,
        "name": stretch.name,
        "summary": stretch.summary,
        "aliases": list(stretch.aliases),
        "regions": list(stretch.regions),
        "movements": list(stretch.movements),
        "glide": stretch.glide,
        "compound": stretch.compound,
        "breathing": ({"first": stretch.breathing.first, "in": stretch.breathing.inhale, "out": stretch.breathing.exhale}
                      if stretch.breathing is not None else None),
        "position": stretch.position,
        "dosage": {"mode": d.mode, "hold": rng(d.hold), "reps": rng(d.reps), "sides": d.sides, "rest": d.rest},
        "dosage_text": dosage_summary(stretch),
        "helps": list(stretch.helps),
        "centralize_note": centralize_note(stretch),
        "cautions": [{"condition": c.condition, "level": c.level, "reason": c.reason, "cue": c.cue}
                     for c in stretch.cautions],
        "avoid_listed": stretch.avoid_listed,
        "alternative": stretch.alternative,
        "similar": list(stretch.similar),
        "warm_up": stretch.is_warmup,
        "note": stretch.note,
        "source": list(stretch.source),
        "sources": [source_to_json(catalog, ref) for ref in stretch.source],
    }


def select(catalog: Catalog, region: str | None, safe_for: list[str], search: str = "") -> list[Stretch]:
    """The stretches to list (best match first with ``search``, as the app's
    search orders them); raises UsageError for an unknown condition or region."""
    unknown = [c for c in safe_for if c not in catalog.conditions]
    if unknown:
        raise UsageError(
            f"--safe-for: unknown condition {', '.join(repr(c) for c in unknown)}. "
            f"Valid conditions: {', '.join(catalog.conditions)}"
        )
    if region not in (None, "all") and region not in catalog.regions:
        raise UsageError(f"--region: unknown region {region!r}. Valid regions: {', '.join(catalog.regions)}, all")
    found = catalog.search(search, region) if search.strip() else catalog.by_region(region)
    if safe_for:
        safe = {s.id for s in catalog.safe_for(safe_for, region)}
        found = [s for s in found if s.id in safe]
    return found


#: Width the plain table aims for (users run it in 80-column terminals).
TABLE_WIDTH = 80


def format_table(stretches: list[Stretch], width: int = TABLE_WIDTH) -> str:
    """An aligned table. Regions are named as ``--region`` takes them; when a
    row would not fit ``width``, a stretch in several regions shows its first
    and how many more ("lower-back+1"), then names are shortened with "..."."""

    def table(regions_of) -> list[tuple[str, str, str, str]]:
        rows = [("ID", "NAME", "REGIONS", "DOSAGE")]
        for s in stretches:
            dosage = dosage_summary(s) + (" (avoid!)" if s.avoid_listed else "")
            rows.append((s.id, s.name, regions_of(s.regions), dosage))
        return rows

    rows = table(",".join)
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    if sum(widths) + 2 * 3 > width:
        rows = table(lambda regions: regions[0] + (f"+{len(regions) - 1}" if len(regions) > 1 else ""))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
    spare = width - (sum(widths) + 2 * 3)
    if spare < 0:
        widths[1] = max(len("NAME"), widths[1] + spare)

    def fit(text: str, n: int) -> str:
        return text if len(text) <= n else text[: n - 3] + "..."

    lines = [
        "  ".join([r[0].ljust(widths[0]), fit(r[1], widths[1]).ljust(widths[1]), r[2].ljust(widths[2]), r[3]]).rstrip()
        for r in rows
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    catalog = load_catalog()
    safe_for = list(dict.fromkeys(getattr(args, "safe_for", None) or []))
    region = getattr(args, "region", None)
    search = getattr(args, "search", None) or ""
    stretches = select(catalog, region, safe_for, search)
    if getattr(args, "json", False):
        sys.stdout.write(json_text([stretch_to_json(s, catalog) for s in stretches], indent=2))
        sys.stdout.write("\n")
        return 0
    if not stretches:
        print("No stretches match.")
        return 0
    # A terminal wider than 80 columns shows whole names; a pipe gets 80.
    width = shutil.get_terminal_size((TABLE_WIDTH, 24)).columns if sys.stdout.isatty() else TABLE_WIDTH
    print(format_table(stretches, max(TABLE_WIDTH, width)))
    for stretch in stretches:  # "helps only if it centralizes" (the clinical table's "I if it centralizes")
        note = centralize_note(stretch, safe_for or None)
        if note:
            print(hang(f"{stretch.name}: ", note, TABLE_WIDTH))
    what = f"{len(stretches)} stretch" + ("" if len(stretches) == 1 else "es")
    if search.strip():
        what += f" for {search.strip()!r}, best match first"
    if safe_for:
        what += f" with no caution for {', '.join(safe_for)}"
    print(f"\n{what}. stretchtui informs; it does not diagnose.")
    return 0
