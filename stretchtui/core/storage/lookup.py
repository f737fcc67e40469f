"""Finding what the user named on the command line: a routine, a condition.

``find_routine`` is the one lookup behind ``play``, ``check`` and ``export``:
a routine in the library, then a starter routine, then (where allowed) a
routine file. ``resolve_conditions`` turns condition ids or names into ids,
with "did you mean" suggestions for a typo. Both raise errors whose message
is meant for the user (exit status 2).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.models import Routine
from ..errors import StretchtuiError, UsageError
from ..text import clean_name, skeleton

if TYPE_CHECKING:  # pragma: no cover
    from ..domain.catalog import Catalog
    from .ports import StorePort


class RoutineNotFound(StretchtuiError):
    """No routine in the library, the starters or the file system has this name."""


def looks_like_path(arg: str) -> bool:
    """True when ``arg`` reads as a file path rather than a routine name."""
    return os.sep in arg or "/" in arg or arg.endswith(".json") or arg.startswith(".")


def _suggest(name: str, names: list[str]) -> list[str]:
    by_key = {n.casefold(): n for n in names}
    close = difflib.get_close_matches(name.casefold(), list(by_key), n=3, cutoff=0.5)
    if not close:
        close = [k for k in by_key if name.casefold() and name.casefold() in k][:3]
    return [by_key[k] for k in close]


def find_routine(arg: str, store: StorePort, catalog: Catalog, *, files: bool = True) -> tuple[Routine, bool]:
    """The routine ``arg`` names: ``(routine, from_file)``.

    A library routine comes first, then a starter (names compared without
    regard to case), then, when ``files`` is true, a routine file of that
    name; an argument that looks like a path (has a ``/`` or ends in
    ``.json``) and exists is read as a file straight away.
    """
    from .routine_file import read_routine_file

    if files and looks_like_path(arg) and Path(arg).exists():
        return read_routine_file(arg, catalog), True
    name = clean_name(arg)
    starters = list(getattr(catalog, "starters", ()) or ())
    if name:
        routine = store.get_routine(name) if store is not None else None
        if routine is not None:
            return routine, False
        for starter in starters:
            if clean_name(starter.name).casefold() == name.casefold():
                return starter, False
    if files and Path(arg).exists():
        return read_routine_file(arg, catalog), True
    names = ([r.name for r in store.list_routines()] if store is not None else []) + [s.name for s in starters]
    close = _suggest(name, names)
    if close:
        hint = f" Did you mean {', '.join(repr(n) for n in close)}?"
    elif names:
        hint = " Run `stretchtui routines` to list them."
    else:
        hint = " The library is empty: import a routine file first."
    if files and looks_like_path(arg):
        raise RoutineNotFound(f"{arg}: no such file, and no routine in the library or the starters has that name.{hint}")
    raise RoutineNotFound(f"there is no routine called {name!r} in the library or the starters.{hint}")


def resolve_conditions(values: Iterable[str], catalog: Catalog) -> tuple[str, ...]:
    """Condition ids for ``values`` (ids or names, any case), in order, without repeats.

    An unknown value raises :class:`UsageError` naming it, with close
    matches and the list of valid ids.
    """
    known = dict(getattr(catalog, "conditions", {}) or {})
    by_key: dict[str, str] = {}
    for cid, cond in known.items():
        by_key[cid.casefold()] = cid
        name = getattr(cond, "name", "")
        if name:
            by_key[name.casefold()] = cid
    out: list[str] = []
    for raw in values:
        value = clean_name(raw)
        key = value.casefold().replace("_", "-")
        cid = by_key.get(key) or by_key.get(key.replace(" ", "-"))
        if cid is None:
            close = difflib.get_close_matches(key.replace(" ", "-"), list(known), n=3, cutoff=0.6)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise UsageError(
                f"unknown condition {value!r}.{hint} Valid conditions: {', '.join(known)}"
            )
        if cid not in out:
            out.append(cid)
    return tuple(out)


def taken_names(store: StorePort, catalog: Catalog) -> set[str]:
    """Every routine name in use, casefolded: the library's and the starters'.

    A copy of a starter gets a name outside this set ("Morning stiffness
    (copy)"), so the library, ``routines`` and the History filter never list
    two routines under one name.
    """
    names = {r.name.casefold() for r in getattr(catalog, "starters", ())}
    names |= {skeleton(r.name) for r in getattr(catalog, "starters", ())}  # and what looks like them
    try:
        names |= {r.name.casefold() for r in store.list_routines()}
    except Exception:  # a store that cannot be read: the starters' names still count
        pass
    return names


def imitated_starter(routine: Routine, catalog: Catalog) -> str | None:
    """The starter a saved routine's name looks like (the same letters, or look-alikes: a
    zero-width space, a Cyrillic о), else None. Shown beside the name, so a saved routine can
    never pass for a starter: only the catalog's own routines are marked as starters."""
    if getattr(routine, "starter", False):
        return None
    key = skeleton(routine.name)
    for starter in getattr(catalog, "starters", ()) or ():
        if skeleton(starter.name) == key:
            return str(starter.name)
    return None


def add_as_own(store: StorePort, catalog: Catalog, routine: Routine, *, copy: bool = False) -> Routine:
    """Add ``routine`` to the library under a name no starter routine uses.

    A routine named like a starter (a starter's own export, a copy of one,
    a suggestion applied to one) is saved as "Name (copy)", so no two
    routines are ever listed under one name. ``copy=True`` names it a copy
    whatever its name. The store then keeps the name unique in the library.
    """
    from .store import copy_name

    starters = {skeleton(r.name) for r in getattr(catalog, "starters", ())}
    name = clean_name(routine.name) or "Routine"
    if copy or skeleton(name) in starters:  # a look-alike of a starter's name too
        routine = Routine(name=copy_name(name, taken_names(store, catalog)), items=routine.items,
                          notes=routine.notes)
    return store.add_routine(routine)
