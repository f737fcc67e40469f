"""``stretchtui check FILE [--condition C ...]``: validate a routine file and show its warnings.

Exit status: 0 valid with no caution/avoid warnings, 1 valid with caution or
avoid warnings, 2 invalid file or bad arguments (message on stderr).
``FILE`` may be ``-`` for standard input.
"""

from __future__ import annotations

import argparse
import sys

from ..core.catalog import load_catalog
from ..core.errors import UsageError
from ..core.models import Profile
from ..core.routine_file import MAX_BYTES, parse_routine_text, read_routine_file
from ..core.rules import check_routine
from ..core.timeline import build_timeline, format_duration

_HEADINGS = (("avoid", "AVOID"), ("caution", "CAUTION"), ("info", "INFO"))


def run(args: argparse.Namespace) -> int:
    catalog = load_catalog()
    conditions = list(dict.fromkeys(getattr(args, "condition", None) or []))
    unknown = [c for c in conditions if c not in catalog.conditions]
    if unknown:
        raise UsageError(
            f"unknown condition {', '.join(repr(c) for c in unknown)}. "
            f"Valid conditions: {', '.join(catalog.conditions)}"
        )
    if args.file == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise UsageError("<stdin>: is too large (the limit is 1 MiB). Check that this is a routine file.")
        routine = parse_routine_text(data, catalog, source="<stdin>")
    else:
        routine = read_routine_file(args.file, catalog)

    warnings = check_routine(routine, catalog, conditions)
    defaults = Profile()
    timeline = build_timeline(
        routine, catalog.stretches, get_ready=defaults.get_ready, between=defaults.default_rest
    )
    count = len(routine.items)
    out = [
        f"{routine.name}: valid, {count} stretch{'es' if count != 1 else ''}, "
        f"about {format_duration(timeline.total_seconds)}"
    ]
    if conditions:
        names = ", ".join(catalog.conditions[c].name for c in conditions)
        out.append(f"Checked for: {names}")
    else:
        out.append("Checked without conditions (add --condition C ... to check for yours).")

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
            out.append(f"  - {w.message}" + (f" ({label} {where})" if where else ""))
            out.append(f"    Why: {w.reason}")
            if w.alternative:
                alt = catalog.get(w.alternative)
                out.append(f"    Instead: {alt.name if alt else w.alternative} ({w.alternative})")
    out.append("")
    out.append("stretchtui informs; it does not diagnose. Stop any stretch that hurts or spreads symptoms.")
    print("\n".join(out))
    return 1 if any(w.level in ("avoid", "caution") for w in warnings) else 0
