"""``stretchtui check FILE|NAME [--condition C ... | --no-profile] [--flare] [--json]``.

Validates a routine (a file, ``-`` for standard input, or the name of a
library or starter routine) and shows its warnings for the user's profile
(conditions and flare) by default. ``--condition`` checks for those
conditions instead of the profile's; ``--no-profile`` checks with none;
``--flare`` checks as during a flare (with ``--condition`` or
``--no-profile``). With the profile, a stretch marked because symptoms
spread with it (``stretchtui symptoms``) is an avoid (rule ``symptoms``,
with the date).

``--json`` prints exactly::

    {"routine": str, "conditions": [ids], "flare": bool,
     "warnings": [{"level", "rule", "stretch", "items" (1-based),
                   "conditions", "reason", "alternative"}]}

Exit status: 0 valid with no caution/avoid warnings, 1 valid with caution or
avoid warnings, 2 an unusable file or name, or bad arguments (message on
stderr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.domain.catalog import load_catalog
from ..core.domain.models import Profile, Routine, SafetyWarning
from ..core.domain.rules import check_routine
from ..core.domain.timeline import format_duration, routine_seconds
from ..core.errors import UsageError
from ..core.storage.lookup import find_routine, resolve_conditions
from ..core.storage.routine_file import MAX_BYTES, parse_routine_text, read_routine_file
from ..core.text import clean_name, clean_text, json_text

if TYPE_CHECKING:  # pragma: no cover
    from ..core.domain.catalog import Catalog
    from ..core.storage.ports import StorePort
    from ..core.storage.store import Store

_HEADINGS = (("avoid", "AVOID"), ("caution", "CAUTION"), ("info", "INFO"))


def warning_json(w: SafetyWarning) -> dict:
    """One warning in the ``check --json`` shape."""
    conditions = list(w.conditions) or ([w.condition] if w.condition else [])
    return {
        "level": w.level,
        "rule": w.rule,
        "stretch": w.stretch_ids[0] if w.stretch_ids else None,
        "items": [i + 1 for i in w.items],
        "conditions": conditions,
        "reason": w.reason,
        "alternative": w.alternative,
    }


def _read_routine(target: str, catalog: Catalog, store: StorePort | None) -> Routine:
    if target == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise UsageError("<stdin>: is too large (the limit is 1 MiB). Check that this is a routine file.")
        return parse_routine_text(data, catalog, source="<stdin>")
    if store is None:  # an existing file, checked without the profile
        return read_routine_file(target, catalog)
    return find_routine(target, store, catalog)[0]


def _needs_store(args: argparse.Namespace) -> bool:
    if not args.condition and not args.no_profile:
        return True  # the profile
    return args.file != "-" and not Path(args.file).is_file()  # a NAME: the library


def run(args: argparse.Namespace) -> int:
    catalog = load_catalog()
    if args.condition and args.no_profile:
        raise UsageError("--condition and --no-profile do not go together: pick one.")
    conditions = resolve_conditions(args.condition or (), catalog)
    marks: tuple = ()  # the profile's symptom marks (only when checking for the profile)
    store: Store | None = None
    if _needs_store(args):
        from ..core.storage.store import open_store

        store = open_store(args.data_dir, create=False)  # reading the profile only: creates nothing
    try:
        if store is not None:
            for notice in store.notices:
                print(f"stretchtui: {notice}", file=sys.stderr)
        if args.condition or args.no_profile:
            flare = bool(args.flare)
            source = "given" if args.condition else "none"
        else:
            assert store is not None  # _needs_store: no --condition, no --no-profile
            profile = store.get_profile()
            conditions, flare = tuple(profile.conditions), profile.flare or bool(args.flare)
            marks = profile.symptom_marks
            source = "profile"
        routine = _read_routine(args.file, catalog, store)
    finally:
        if store is not None:
            store.close()

    warnings = check_routine(routine, catalog, conditions, flare=flare, marks=marks)
    status = 1 if any(w.level in ("avoid", "caution") for w in warnings) else 0
    if args.json:
        print(json_text({
            "routine": clean_name(routine.name),
            "conditions": list(conditions),
            "flare": flare,
            "warnings": [warning_json(w) for w in warnings],
        }, indent=2))
        return status
    print("\n".join(_text_report(routine, catalog, warnings, conditions, flare, source)))
    return status


def _text_report(routine: Routine, catalog: Catalog, warnings: list[SafetyWarning],
                 conditions: tuple[str, ...], flare: bool, source: str) -> list[str]:
    defaults = Profile()
    seconds = routine_seconds(routine, catalog, defaults, known_only=True) or 0
    count = len(routine.items)
    out = [
        f"{clean_name(routine.name)}: valid, {count} stretch{'es' if count != 1 else ''}, "
        f"about {format_duration(seconds)}"
    ]
    names = ", ".join(catalog.conditions[c].name for c in conditions)
    in_flare = " (in a flare)" if flare else ""
    if source == "profile":
        out.append(f"Checked for your profile: {names or 'no conditions'}{in_flare}"
                   + ("" if conditions else " (set them with `stretchtui profile --condition C ...`)"))
    elif source == "given":
        out.append(f"Checked for: {names}{in_flare}")
    else:
        out.append(f"Checked without conditions{in_flare}.")

    if not warnings:
        out.append("No warnings.")
    for level, heading in _HEADINGS:
        group = [w for w in warnings if w.level == level]
        if not group:
            continue
        out.append("")
        out.append(f"{heading} ({len(group)})")
        for w in group:
            where = ", ".join(str(i + 1) for i in w.items)
            label = "item" if len(w.items) == 1 else "items"
            out.append(f"  - {clean_text(w.message)}" + (f" ({label} {where})" if where else ""))
            out.append(f"    Why: {clean_text(w.reason)}")
            if w.alternative:
                alt = catalog.get(w.alternative)
                there = " - already in this routine" if any(i.stretch == w.alternative for i in routine.items) else ""
                out.append(f"    Instead: {alt.name if alt else w.alternative} ({w.alternative}){there}")
    out.append("")
    out.append("stretchtui informs; it does not diagnose. Stop any stretch that hurts or spreads symptoms.")
    return out
