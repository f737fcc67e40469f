"""``stretchtui completion bash|zsh|fish`` and the hidden ``stretchtui _complete KIND [PREFIX]``.

The scripts are generated from the argparse parser by ``shtab``, so a new
command or flag completes without anyone touching them. Arguments that take a
routine name, a stretch id or a condition call back into
``stretchtui _complete routines|stretches|conditions PREFIX``, which prints
one candidate per line (case-insensitive prefix match), so names saved after
the script was installed complete too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

SHELLS = ("bash", "zsh", "fish")
KINDS = ("routines", "stretches", "conditions")

#: (subcommand path, argument dest) -> what completes there. A dest that is
#: not in the parser (yet) is simply skipped.
TARGETS: dict[tuple[tuple[str, ...], str], str] = {
    (("play",), "routine"): "routines+files",
    (("suggest",), "routine"): "routines+files",
    (("export",), "name"): "routines",
    (("check",), "file"): "routines+files",
    (("check",), "target"): "routines+files",
    (("schedule", "set"), "routine"): "routines",
    (("catalog",), "safe_for"): "conditions",
    (("check",), "condition"): "conditions",
}
#: Metavars that mean "a stretch id" / "a routine name" wherever they appear.
METAVARS = {"STRETCH": "stretches", "STRETCH_ID": "stretches", "ID": "stretches", "ROUTINE": "routines"}


def _bash(kind: str) -> str:
    files = '\n  compgen -f -- "$1"' if kind.endswith("+files") else ""
    base = kind.split("+")[0]
    return f"""
# $1: the word being completed; names are printed shell-quoted, one per line
_stretchtui_complete_{wordify(kind)}() {{
  local cur="${{1//\\\\ / }}" name
  cur="${{cur#[\\"\\']}}"
  while IFS= read -r name; do
    [ -n "$name" ] && printf '%q\\n' "$name"
  done < <(stretchtui _complete {base} "$cur" 2>/dev/null){files}
}}"""


def _zsh(kind: str) -> str:
    files = "\n  _files" if kind.endswith("+files") else ""
    base = kind.split("+")[0]
    return f"""
_stretchtui_complete_{wordify(kind)}() {{
  local -a names
  names=("${{(@f)$(stretchtui _complete {base} 2>/dev/null)}}")
  compadd -a names{files}
}}"""


def wordify(kind: str) -> str:
    return kind.replace("+", "_")


def _spec(kind: str) -> dict:
    base = kind.split("+")[0]
    fish = f"(stretchtui _complete {base} (commandline -ct))"
    if kind.endswith("+files"):
        fish = f"(stretchtui _complete {base} (commandline -ct); __fish_complete_path (commandline -ct))"
    return {
        "bash": f"_stretchtui_complete_{wordify(kind)}",
        "zsh": f"_stretchtui_complete_{wordify(kind)}",
        "fish": fish,
        "preamble": {"bash": _bash(kind), "zsh": _zsh(kind)},
    }


def _walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterable[tuple[tuple[str, ...], argparse.Action]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _walk(sub, (*path, name))
        else:
            yield path, action


def completion_parser() -> argparse.ArgumentParser:
    """The CLI parser with ``.complete`` set on arguments that take names, ids or conditions."""
    from ..cli import build_parser

    parser = build_parser()
    for path, action in _walk(parser):
        kind = TARGETS.get((path, action.dest)) or METAVARS.get(str(action.metavar or ""))
        if action.dest == "data_dir":
            kind = "dir"
        if kind == "dir":
            action.complete = {"bash": "_shtab_compgen_dirs", "zsh": "_files -/",  # type: ignore[attr-defined]
                               "fish": "(__fish_complete_directories)"}
        elif kind:
            action.complete = _spec(kind)  # type: ignore[attr-defined]
        elif action.dest in ("file", "files", "output"):
            action.complete = {"bash": "_shtab_compgen_files", "zsh": "_files",  # type: ignore[attr-defined]
                               "fish": "(__fish_complete_path (commandline -ct))"}
    return parser


def script(shell: str) -> str:
    """The completion script for ``shell``."""
    import shtab

    if shell not in SHELLS:
        from ..core.errors import UsageError

        raise UsageError(f"completion: choose one of {', '.join(SHELLS)}, not {shell!r}")
    return shtab.complete(completion_parser(), shell=shell).rstrip("\n") + "\n"


def candidates(kind: str, prefix: str, data_dir: str | None) -> list[str]:
    """What ``_complete KIND PREFIX`` prints (case-insensitive prefix match)."""
    names: list[str] = []
    if kind == "conditions":
        from ..core.domain.models import CONDITIONS

        names = list(CONDITIONS)
    else:
        from ..core.domain.catalog import load_catalog

        catalog = load_catalog()
        if kind == "stretches":
            names = sorted(catalog.stretches)
        else:
            from ..core.storage.paths import resolve_data_dir

            folder = resolve_data_dir(data_dir)
            if folder.is_dir():  # never create a data folder just to complete
                from ..core.storage.store import open_store

                store = open_store(folder, lock_timeout=0.5, create=False)
                try:
                    names = [r.name for r in store.list_routines()]
                finally:
                    store.close()
            names += [r.name for r in catalog.starters if r.name.casefold() not in {n.casefold() for n in names}]
    folded = prefix.casefold()
    return [n for n in names if n.casefold().startswith(folded)]


def run(args: argparse.Namespace) -> int:
    if args.command == "completion":
        sys.stdout.write(script(args.shell))
        return 0
    try:
        found = candidates(args.kind, args.prefix or "", args.data_dir)
    except Exception:  # completion must stay quiet: nothing to offer is better than an error
        return 1
    from ..core.text import clean_name

    for name in found:
        print(clean_name(name))
    return 0

