"""Key bindings by id, and the user's keymap (``[keymap]`` in config.toml).

Every binding in the app has an id ``<screen>.<action>`` (``player.pause``,
``builder.save``, ``catalog.search``). :func:`registry` reads them from the
classes' ``BINDINGS`` (so it cannot drift from the code); :func:`prepare`
checks a keymap against them and returns what to hand to Textual's
``App.set_keymap`` plus the problems to report:

* an id no binding has (with the closest ids as a hint);
* a new key that another binding of the same screen already uses: Textual
  gives the key to the remapped binding, so the other one loses it (said, with
  the keys it keeps, or that it is left with none);
* a screen's key shadowing an app-wide one there, or the reverse (the screen's
  binding wins on its screen).

Two Textual behaviours are smoothed over: a binding that shares *all* its keys
with a remapped one (``player.resume`` shares space with ``player.pause``)
moves with it unless the keymap names it too, so one key still pauses and
resumes; and any other binding that shares a key with a remapped one keeps
its keys (Textual would drop the whole key).
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import pkgutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import _normalize_key_list


@dataclass(frozen=True)
class Entry:
    """One binding as declared: its id, the class (scope) it belongs to, keys and description."""

    id: str
    scope: str
    keys: tuple[str, ...]
    description: str
    action: str
    app_wide: bool


def _split(keys: str) -> tuple[str, ...]:
    return tuple(k for k in _normalize_key_list(keys).split(",") if k)


def _classes(app_class: type) -> Iterable[type]:
    from . import screens, widgets

    yield app_class
    for pkg in (screens, widgets):
        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
            try:
                module = importlib.import_module(f"{pkg.__name__}.{info.name}")
            except Exception:  # pragma: no cover - a module being written elsewhere
                continue
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, DOMNode) and cls.__module__ == module.__name__ and cls.__dict__.get("BINDINGS"):
                    yield cls


def registry(app_class: type) -> list[Entry]:
    """Every binding with an id, in screen order (``app_class``'s first)."""
    entries: list[Entry] = []
    seen: set[tuple[str, str]] = set()
    for cls in _classes(app_class):
        app_wide = cls is app_class
        for binding in cls.__dict__["BINDINGS"]:
            if not isinstance(binding, Binding) or not binding.id or (cls.__name__, binding.id) in seen:
                continue
            seen.add((cls.__name__, binding.id))
            entries.append(Entry(
                id=binding.id,
                scope=cls.__name__,
                keys=_split(binding.key),
                description=binding.description or binding.tooltip or binding.action,
                action=binding.action,
                app_wide=app_wide,
            ))
    return entries


@dataclass
class Prepared:
    """What :func:`prepare` found: the keymap for ``App.set_keymap``, effective keys, problems."""

    keymap: dict[str, str]
    effective: dict[tuple[str, str], tuple[str, ...]]
    problems: list[tuple[str, str]]  # (binding id, message)


def prepare(user: Mapping[str, str], entries: list[Entry]) -> Prepared:
    """Check ``user`` (id -> "key,key") against the bindings; see the module docstring."""
    ids = {e.id for e in entries}
    problems: list[tuple[str, str]] = []
    wanted: dict[str, tuple[str, ...]] = {}
    for binding_id, keys in user.items():
        if binding_id not in ids:
            close = difflib.get_close_matches(binding_id, sorted(ids), n=2, cutoff=0.6)
            hint = f"did you mean {' or '.join(close)}?" if close else "`stretchtui keys` lists the ids"
            problems.append((binding_id, f"keymap: no binding has the id {binding_id!r} ({hint})"))
            continue
        split = _split(keys)
        if split:
            wanted[binding_id] = split

    keymap = {bid: ",".join(keys) for bid, keys in wanted.items()}
    by_scope: dict[str, list[Entry]] = {}
    for entry in entries:
        by_scope.setdefault(entry.scope, []).append(entry)
    effective: dict[tuple[str, str], tuple[str, ...]] = {(e.scope, e.id): e.keys for e in entries}

    for scope, members in by_scope.items():
        moved = [e for e in members if e.id in wanted]
        for entry in moved:
            for other in members:
                if other.id in wanted or other is entry:
                    continue
                if other.keys == entry.keys:  # moves with it (pause/resume on one key)
                    keymap[other.id] = keymap[entry.id]
                    effective[(scope, other.id)] = wanted[entry.id]
                elif set(other.keys) & set(entry.keys):  # shares a key: keep its own keys
                    keymap.setdefault(other.id, ",".join(other.keys))
        for entry in moved:
            effective[(scope, entry.id)] = wanted[entry.id]
        # Conflicts: a key now claimed by two bindings of this scope that do not move together.
        for entry in moved:
            for other in members:
                if other.id == entry.id or keymap.get(other.id) == keymap[entry.id]:
                    continue
                taken = [k for k in wanted[entry.id] if k in effective[(scope, other.id)]]
                if not taken:
                    continue
                if other.id in wanted:
                    problems.append((entry.id, f"keymap: {entry.id} and {other.id} are both set to "
                                               f"{', '.join(taken)}; only one of them will work"))
                    continue
                keeps = tuple(k for k in effective[(scope, other.id)] if k not in taken)
                effective[(scope, other.id)] = keeps
                keymap[other.id] = ",".join(keeps) if keeps else keymap.get(other.id, "")
                rest = f"it keeps {', '.join(keeps)}" if keeps else "it is left with no key"
                problems.append((entry.id, f"keymap: {entry.id} = {', '.join(taken)} takes "
                                           f"{', '.join(taken)} from {other.id} ({other.description}); {rest}"))

    # Shadowing between a screen and the app-wide keys (the screen's binding wins on its screen).
    app_entries = [e for e in entries if e.app_wide]
    for entry in entries:
        if entry.app_wide:
            continue
        for app_entry in app_entries:
            if entry.id not in wanted and app_entry.id not in wanted:
                continue
            shared = set(effective[(entry.scope, entry.id)]) & set(effective[(app_entry.scope, app_entry.id)])
            if shared:
                changed = entry.id if entry.id in wanted else app_entry.id
                problems.append((changed, f"keymap: on the {entry.id.split('.')[0]} screen "
                                          f"{', '.join(sorted(shared))} is {entry.id} ({entry.description}), "
                                          f"so {app_entry.id} ({app_entry.description}) does not work there"))
    # One message per (id, text), in a stable order.
    unique = list(dict.fromkeys(problems))
    return Prepared(keymap={k: v for k, v in keymap.items() if v}, effective=effective, problems=unique)


def key_display(key: str) -> str:
    """A key as a person reads it ("?" rather than "question_mark")."""
    from textual.keys import format_key

    return format_key(key)


def problem_texts(prepared: Prepared, path: Path | None) -> list[str]:
    """Each problem as "config FILE, line N: keymap: ..." (the line of the id in ``[keymap]``)."""
    from ..core.storage.config import config_text, line_of

    text = config_text(path)
    out = []
    for binding_id, message in prepared.problems:
        line = line_of(text, "keymap", binding_id) if text else None
        where = f"{path}, line {line}" if line else str(path) if path else "keymap"
        out.append((line or 0, f"config {where}: {message}"))
    return [text for _line, text in sorted(out, key=lambda item: item[0])]


def keymap_problem_line(prepared: Prepared, path: Path | None) -> str | None:
    """The problems in one line (the first, and how many more), or None."""
    texts = problem_texts(prepared, path)
    if not texts:
        return None
    more = len(texts) - 1
    tail = f" (and {more} more: `stretchtui keys` lists them)" if more else ""
    return texts[0] + tail
