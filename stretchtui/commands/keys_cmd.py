"""``stretchtui keys [--json]``: every key binding's id, effective keys and description."""

from __future__ import annotations

import argparse
import sys

from ..core.text import clean_text, json_text


def run(args: argparse.Namespace) -> int:
    from ..core.storage.config import load_config
    from ..ui.app import StretchApp
    from ..ui.keymap import key_display, prepare, problem_texts, registry

    settings = load_config()
    if settings.problem_line:
        print(f"stretchtui: {settings.problem_line}", file=sys.stderr)
    entries = registry(StretchApp)
    prepared = prepare(settings.keymap, entries)
    rows = []
    for entry in entries:
        keys = prepared.effective[(entry.scope, entry.id)]
        rows.append({
            "id": entry.id,
            "keys": list(keys),
            "default": list(entry.keys),
            "description": clean_text(entry.description, multiline=False),
        })
    if args.json:
        sys.stdout.write(json_text(rows, indent=2))
        sys.stdout.write("\n")
    else:
        width = max(len(r["id"]) for r in rows)
        shown = [", ".join(key_display(k) for k in r["keys"]) or "(none)" for r in rows]
        key_width = min(max(len(s) for s in shown), 24)
        for row, key_text in zip(rows, shown, strict=False):
            mark = " *" if row["keys"] != row["default"] else ""
            print(f"{row['id']:<{width}}  {key_text:<{key_width}}  {row['description']}{mark}")
        if any(r["keys"] != r["default"] for r in rows):
            print(f"\n* changed by [keymap] in {settings.path}")
    for text in problem_texts(prepared, settings.path):
        print(f"stretchtui: {text}", file=sys.stderr)
    return 0
