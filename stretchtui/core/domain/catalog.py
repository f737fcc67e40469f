"""Loading, validating and searching the stretch catalog (``catalog.json``).

INTERFACE (stable; other modules rely on it):

- ``load_catalog(path=None) -> Catalog``: loads and validates; raises
  ``CatalogError`` whose message names the entry and field.
- ``default_catalog_path() -> Path``: the catalog shipped in the wheel, or the
  repo root's ``catalog.json`` in a source checkout.
- ``Catalog``: ``version``, ``regions`` (id -> display name, ordered),
  ``conditions`` (id -> Condition), ``movements`` (tuple), ``stretches``
  (id -> Stretch, in file order), ``starters`` (tuple of Routine),
  ``sources`` (id -> Source: publisher, title, url), and the helpers ``get``,
  ``by_region``, ``search``, ``safe_for``, ``closest_ids``, ``source_title``.

A stretch's ``source`` list holds ids from the top-level ``sources`` table
(every reference must resolve when the table is present); the app shows the
readable ``publisher: title`` instead of the id.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import StretchtuiError
from ..validate import Invalid as _Invalid
from ..validate import check_keys as _check_keys
from ..validate import fail as _fail
from ..validate import shipped_file
from ..validate import type_name as _type_name
from .models import (
    CONDITIONS,
    GLIDES,
    ITEM_FIELDS,
    LIMITS,
    MODES,
    MOVEMENTS,
    NUMBER_FIELDS,
    POSITIONS,
    REGIONS,
    Breathing,
    Caution,
    Condition,
    Dosage,
    Range,
    Routine,
    RoutineItem,
    Stretch,
)

if TYPE_CHECKING:  # the search index is built on the first search, not at start-up
    from .search import Entry


class CatalogError(StretchtuiError):
    """The catalog could not be loaded; the message says where and why."""


def default_catalog_path() -> Path:
    """Where the catalog is: inside the package (wheel) or at the repo root."""
    return shipped_file("catalog.json")


@dataclass(frozen=True)
class Source:
    """Where a stretch comes from: shown as ``publisher: title`` (and the url)."""

    id: str
    publisher: str
    title: str
    url: str = ""

    @property
    def label(self) -> str:
        return f"{self.publisher}: {self.title}"


@dataclass(frozen=True)
class Catalog:
    version: int
    regions: dict[str, str]
    conditions: dict[str, Condition]
    movements: tuple[str, ...]
    stretches: dict[str, Stretch]
    starters: tuple[Routine, ...] = ()
    sources: dict[str, Source] = field(default_factory=dict)
    #: Names of the starters made for a flare (``"flare": true`` in the catalog), in file order.
    flare_starters: tuple[str, ...] = ()

    @cached_property
    def _search_entries(self) -> dict[str, Entry]:
        """What :meth:`search` ranks, made on the first search (the app's first frame lists every stretch)."""
        from .search import entry as search_entry

        def helped(stretch: Stretch) -> list[str]:
            names: list[str] = []
            for condition in stretch.helps:
                known = self.conditions.get(condition)
                names += [condition, known.name] if known is not None else [condition]
            return names

        return {s.id: search_entry(s.name, s.id, s.aliases, helped(s)) for s in self.stretches.values()}

    def __contains__(self, stretch_id: object) -> bool:
        return stretch_id in self.stretches

    def get(self, stretch_id: str) -> Stretch | None:
        return self.stretches.get(stretch_id)

    def by_region(self, region: str | None = None) -> list[Stretch]:
        """Stretches in ``region`` (all when ``None`` or ``"all"``), in catalog order."""
        if region in (None, "all"):
            return list(self.stretches.values())
        return [s for s in self.stretches.values() if region in s.regions]

    def search(self, text: str, region: str | None = None) -> list[Stretch]:
        """Stretches matching every word of ``text``, best first (:mod:`.search`:
        the name, then aliases, then the conditions a stretch helps, then a
        typing slip away); in ``region`` when given."""
        pool = self.by_region(region)
        if not text.split():
            return pool
        from .search import rank

        ids = rank(text, self._search_entries, [s.id for s in pool])
        return [self.stretches[i] for i in ids]

    def safe_for(self, conditions: Iterable[str], region: str | None = None, *, flare: bool = False) -> list[Stretch]:
        """Stretches with no caution or avoid for any of ``conditions``.

        Uses the safety rules (the stretch's cautions, risky movement
        combinations, positions, avoid-listed moves and, with ``flare``, the
        flare rules), so the list agrees with the marks in the app.
        """
        from .rules import warnings_for_stretch  # rules imports models only; no cycle

        conds = tuple(conditions)
        return [
            s
            for s in self.by_region(region)
            if not any(w.level != "info" for w in warnings_for_stretch(s, conds, flare=flare))
        ]

    def source_title(self, ref: str) -> str:
        """``publisher: title`` for a source id (the id itself if the table lacks it)."""
        src = self.sources.get(ref)
        return src.label if src is not None else ref

    def closest_ids(self, unknown: str, n: int = 3) -> list[str]:
        """Known ids closest to ``unknown`` (for "did you mean" messages)."""
        return difflib.get_close_matches(unknown, list(self.stretches), n=n, cutoff=0.5)


def _range(d: dict) -> Range:
    return Range(int(d["min"]), int(d["default"]), int(d["max"]))


# ---------------------------------------------------------------- validation
#
# Hand-written rather than jsonschema: it runs at every start-up and must stay
# fast and dependency-free, and each message names the entry and the field.

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_TOP_REQUIRED = ("version", "regions", "conditions", "movements", "stretches")
_TOP_OPTIONAL = ("routines", "sources")
_SOURCE_REQUIRED = ("id", "publisher", "title")
_SOURCE_OPTIONAL = ("url",)
_STRETCH_REQUIRED = ("id", "name", "regions", "movements", "position", "dosage", "steps", "source")
_STRETCH_OPTIONAL = ("summary", "aliases", "cues", "helps", "cautions", "figure", "avoid_listed", "alternative",
                      "similar", "glide", "note", "compound", "breathing")
_BREATHING_KEYS = ("first", "in", "out")
#: Widest text of a breathing cue word ("arch", "round"): it shares one row with a bar.
BREATHING_WIDTH = 24
_DOSAGE_KEYS = ("mode", "hold", "reps", "sides", "rest")
_RANGE_KEYS = ("min", "default", "max")
_CAUTION_KEYS = ("condition", "level", "reason")
_CAUTION_OPTIONAL = ("cue",)
_ROUTINE_REQUIRED = ("name", "items")
_ROUTINE_OPTIONAL = ("notes", "target", "flare")
_ITEM_KEYS = ("stretch", "hold", "reps", "sides", "rest")
#: Widest figure line accepted (the app runs in 80-column terminals).
FIGURE_WIDTH = 80
_SUPPORTED_VERSION = 1


def _text(value: object, where: str, *, one_line: bool = True, empty: bool = False) -> str:
    if not isinstance(value, str):
        _fail(where, f"must be text, not {_type_name(value)}")
    assert isinstance(value, str)
    if not empty and not value.strip():
        _fail(where, "must not be empty")
    if one_line and ("\n" in value or "\r" in value):
        _fail(where, "must be a single line")
    return value


def _text_list(value: object, where: str, *, empty: bool = True) -> list:
    if not isinstance(value, list):
        _fail(where, f"must be a list of text, not {_type_name(value)}")
    assert isinstance(value, list)
    if not empty and not value:
        _fail(where, "must not be empty")
    for i, item in enumerate(value):
        _text(item, f"{where}[{i}]")
    return value


def _vocab_list(value: object, where: str, vocab: Iterable[str], what: str, *, empty: bool = False) -> list:
    known = tuple(vocab)
    items = _text_list(value, where, empty=empty)
    seen: set = set()
    for i, item in enumerate(items):
        if item not in known:
            _fail(f"{where}[{i}]", f"unknown {what} {item!r} (known: {', '.join(known) or 'none'})")
        if item in seen:
            _fail(f"{where}[{i}]", f"{item!r} is listed twice")
        seen.add(item)
    return items


def _int(value: object, where: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(where, f"must be a whole number, not {_type_name(value)}")
    assert isinstance(value, int)
    if not lo <= value <= hi:
        _fail(where, f"{value} is outside the allowed {lo}-{hi}")
    return value


def _check_range(obj: object, where: str, field_name: str) -> None:
    _check_keys(obj, where, _RANGE_KEYS)
    assert isinstance(obj, dict)
    lo, hi = ITEM_FIELDS[field_name].bounds
    for key in _RANGE_KEYS:
        _int(obj[key], f"{where}.{key}", lo, hi)
    if obj["min"] > obj["max"]:
        _fail(where, f"min ({obj['min']}) is greater than max ({obj['max']})")
    if not obj["min"] <= obj["default"] <= obj["max"]:
        _fail(f"{where}.default", f"{obj['default']} is not between min ({obj['min']}) and max ({obj['max']})")


def _named_entries(entries: list, key: str, known: tuple, what: str, optional: tuple = ()) -> set:
    """Check a list of ``{id, name}`` objects (regions, conditions; a
    ``description`` where ``optional`` allows it): ids from ``known``, each
    once. Returns the set of ids."""
    seen: set = set()
    for i, entry in enumerate(entries):
        where = f"{key}[{i}]"
        _check_keys(entry, where, ("id", "name"), optional)
        eid = _text(entry["id"], f"{where}.id")
        if eid not in known:
            _fail(f"{where}.id", f"unknown {what} {eid!r} (known: {', '.join(known)})")
        if eid in seen:
            _fail(f"{where}.id", f"{eid!r} is listed twice")
        seen.add(eid)
        _text(entry["name"], f"{where}.name")
        if "description" in entry:
            _text(entry["description"], f"{where}.description", empty=True)
    return seen


def _validate_sources(entries: object) -> set:
    """The ``sources`` table: ``{id, publisher, title[, url]}`` objects, ids unique."""
    if not isinstance(entries, list):
        _fail("sources", f"must be a list, not {_type_name(entries)}")
    assert isinstance(entries, list)
    seen: set = set()
    for i, entry in enumerate(entries):
        sid = entry.get("id") if isinstance(entry, dict) else None
        where = f"sources[{i}]" + (f" ({sid})" if isinstance(sid, str) else "")
        _check_keys(entry, where, _SOURCE_REQUIRED, _SOURCE_OPTIONAL)
        sid = _text(sid, f"{where}.id")
        if not _ID_RE.match(sid):
            _fail(f"{where}.id", "must be kebab-case: lowercase letters and digits joined by single hyphens")
        if sid in seen:
            _fail(f"{where}.id", f"{sid!r} is listed twice")
        seen.add(sid)
        _text(entry["publisher"], f"{where}.publisher")
        _text(entry["title"], f"{where}.title")
        if "url" in entry:
            url = _text(entry["url"], f"{where}.url")
            if not url.startswith(("http://", "https://")) or " " in url:
                _fail(f"{where}.url", f"must be an http(s) address, not {url!r}")
    return seen


def _validate_stretch(d: object, label: str, regions: set, conditions: set,
                      sources: set | None = None) -> None:
    _check_keys(d, label, _STRETCH_REQUIRED, _STRETCH_OPTIONAL)
    assert isinstance(d, dict)
    _text(d["name"], f"{label}: name")
    if "summary" in d:
        _text(d["summary"], f"{label}: summary", empty=True)
    if "aliases" in d:
        _text_list(d["aliases"], f"{label}: aliases")
    _vocab_list(d["regions"], f"{label}: regions", [r for r in REGIONS if r in regions], "region")
    _vocab_list(d["movements"], f"{label}: movements", MOVEMENTS, "movement")
    position = _text(d["position"], f"{label}: position")
    if position not in POSITIONS:
        _fail(f"{label}: position", f"unknown position {position!r} (known: {', '.join(POSITIONS)})")

    dose = d["dosage"]
    _check_keys(dose, f"{label}: dosage", _DOSAGE_KEYS)
    mode = _text(dose["mode"], f"{label}: dosage.mode")
    if mode not in MODES:
        _fail(f"{label}: dosage.mode", f"unknown mode {mode!r} (known: {', '.join(MODES)})")
    _check_range(dose["hold"], f"{label}: dosage.hold", "hold")
    _check_range(dose["reps"], f"{label}: dosage.reps", "reps")
    sides = _text(dose["sides"], f"{label}: dosage.sides")
    if sides not in ("none", "each"):
        _fail(f"{label}: dosage.sides", f"must be 'none' or 'each', not {sides!r}")
    _int(dose["rest"], f"{label}: dosage.rest", *LIMITS["rest"])

    _text_list(d["steps"], f"{label}: steps", empty=False)
    if "cues" in d:
        _text_list(d["cues"], f"{label}: cues")
    if "helps" in d:
        _vocab_list(d["helps"], f"{label}: helps", sorted(conditions), "condition", empty=True)
    if "cautions" in d:
        cautions = d["cautions"]
        if not isinstance(cautions, list):
            _fail(f"{label}: cautions", f"must be a list, not {_type_name(cautions)}")
        seen: set = set()
        for i, c in enumerate(cautions):
            where = f"{label}: cautions[{i}]"
            _check_keys(c, where, _CAUTION_KEYS, _CAUTION_OPTIONAL)
            cond = _text(c["condition"], f"{where}.condition")
            if cond not in conditions:
                _fail(f"{where}.condition", f"unknown condition {cond!r} (known: {', '.join(sorted(conditions)) or 'none'})")
            if cond in seen:
                _fail(f"{where}.condition", f"{cond!r} has more than one caution")
            seen.add(cond)
            level = _text(c["level"], f"{where}.level")
            if level not in ("caution", "avoid"):
                _fail(f"{where}.level", f"must be 'caution' or 'avoid', not {level!r}")
            _text(c["reason"], f"{where}.reason")
            if "cue" in c:
                _text(c["cue"], f"{where}.cue")
    _text_list(d["source"], f"{label}: source", empty=False)
    if sources is not None:
        for i, ref in enumerate(d["source"]):
            if ref not in sources:
                close = difflib.get_close_matches(ref, sorted(sources), n=3, cutoff=0.5)
                hint = f" (did you mean {', '.join(close)}?)" if close else " (add it to the top-level 'sources' table)"
                _fail(f"{label}: source[{i}]", f"unknown source {ref!r}{hint}")
    if "figure" in d:
        lines = d["figure"]
        if not isinstance(lines, list):
            _fail(f"{label}: figure", f"must be a list of text, not {_type_name(lines)}")
        for i, line in enumerate(lines):
            if not isinstance(line, str):
                _fail(f"{label}: figure[{i}]", f"must be text, not {_type_name(line)}")
            if len(line) > FIGURE_WIDTH:
                _fail(f"{label}: figure[{i}]", f"is {len(line)} columns wide; the limit is {FIGURE_WIDTH}")
            if not all(" " <= ch <= "~" for ch in line):
                _fail(f"{label}: figure[{i}]", "must be plain printable ASCII")
    if "glide" in d:
        glide = _text(d["glide"], f"{label}: glide")
        if glide not in GLIDES:
            _fail(f"{label}: glide", f"must be one of {', '.join(GLIDES)}, not {glide!r}")
        if "neural-glide" not in d["movements"]:
            _fail(f"{label}: glide", "only a stretch with the neural-glide movement is a slider or tensioner")
    elif "neural-glide" in d["movements"]:
        _fail(f"{label}: glide", "a neural glide must say whether it is a 'slider' or a 'tensioner'")
    if "note" in d:
        _text(d["note"], f"{label}: note")
    if "compound" in d:
        if not isinstance(d["compound"], bool):
            _fail(f"{label}: compound", f"must be true or false, not {_type_name(d['compound'])}")
        if d["compound"] and len([m for m in d["movements"] if m != "warm-up"]) < 2:
            _fail(f"{label}: compound", "a compound stretch moves between at least two movements")
    if "breathing" in d:
        _validate_breathing(d["breathing"], f"{label}: breathing")
    if "avoid_listed" in d and not isinstance(d["avoid_listed"], bool):
        _fail(f"{label}: avoid_listed", f"must be true or false, not {_type_name(d['avoid_listed'])}")


def _validate_breathing(value: object, where: str) -> None:
    """``{"first": "in"|"out", "in": "<what the body does>", "out": "..."}``."""
    if not isinstance(value, dict):
        _fail(where, f"must be an object like {{\"first\": \"in\", \"in\": \"arch\", \"out\": \"round\"}}, "
              f"not {_type_name(value)}")
    assert isinstance(value, dict)
    _check_keys(value, where, _BREATHING_KEYS)
    if value["first"] not in ("in", "out"):
        _fail(f"{where}.first", f"must be 'in' or 'out' (the breath while moving from the start to the end "
              f"position), not {value['first']!r}")
    for key in ("in", "out"):
        text = _text(value[key], f"{where}.{key}")
        if len(text) > BREATHING_WIDTH:
            _fail(f"{where}.{key}", f"is {len(text)} characters long; the limit is {BREATHING_WIDTH}")


def _validate(data: object) -> None:
    """Raise _Invalid with "<entry>: <field>: <problem>" for the first problem found."""
    if not isinstance(data, dict):
        _fail("catalog", f"must be a JSON object, not {_type_name(data)}")
    assert isinstance(data, dict)
    version = data.get("version")
    if "version" in data and isinstance(version, int) and not isinstance(version, bool):
        if version > _SUPPORTED_VERSION:
            _fail("version", f"{version} means this catalog was made by a newer stretchtui "
                  f"(this one reads version {_SUPPORTED_VERSION}); upgrade stretchtui")
    _check_keys(data, "catalog", _TOP_REQUIRED, _TOP_OPTIONAL)
    if version != _SUPPORTED_VERSION or isinstance(version, bool):
        _fail("version", f"must be {_SUPPORTED_VERSION}, not {version!r}")

    for key in ("regions", "conditions", "stretches"):
        if not isinstance(data[key], list):
            _fail(key, f"must be a list, not {_type_name(data[key])}")
    regions = _named_entries(data["regions"], "regions", REGIONS, "region")
    conditions = _named_entries(data["conditions"], "conditions", CONDITIONS, "condition", ("description",))
    _vocab_list(data["movements"], "movements", MOVEMENTS, "movement", empty=True)
    sources = _validate_sources(data["sources"]) if "sources" in data else None

    ids: dict = {}
    for i, s in enumerate(data["stretches"]):
        sid = s.get("id") if isinstance(s, dict) else None
        label = f"stretches[{i}]" + (f" ({sid})" if isinstance(sid, str) else "")
        if not isinstance(s, dict):
            _fail(label, f"must be an object, not {_type_name(s)}")
        if "id" not in s:
            _fail(label, "missing required key 'id'")
        sid = _text(sid, f"{label}: id")
        if not _ID_RE.match(sid):
            _fail(f"{label}: id", "must be kebab-case: lowercase letters and digits joined by single hyphens")
        if sid in ids:
            _fail(f"{label}: id", f"duplicate id, already used by stretches[{ids[sid]}]")
        ids[sid] = i
    for i, s in enumerate(data["stretches"]):
        label = f"stretches[{i}] ({s['id']})"
        _validate_stretch(s, label, regions, conditions, sources)
        alt = s.get("alternative")
        if alt is not None:
            _text(alt, f"{label}: alternative")
            if alt not in ids:
                _fail(f"{label}: alternative", f"{alt!r} is not a stretch in this catalog")
            if alt == s["id"]:
                _fail(f"{label}: alternative", "must name a different stretch")
        similar = s.get("similar")
        if similar is not None:
            _text_list(similar, f"{label}: similar")
            for j, ref in enumerate(similar):
                if ref not in ids:
                    close = difflib.get_close_matches(ref, list(ids), n=3, cutoff=0.5)
                    hint = f" (did you mean {', '.join(close)}?)" if close else ""
                    _fail(f"{label}: similar[{j}]", f"unknown stretch {ref!r}{hint}")
                if ref == s["id"]:
                    _fail(f"{label}: similar[{j}]", "a stretch is not similar to itself: name a different one")
                if ref in similar[:j]:
                    _fail(f"{label}: similar[{j}]", f"{ref!r} is listed twice")

    routines = data.get("routines", [])
    if not isinstance(routines, list):
        _fail("routines", f"must be a list, not {_type_name(routines)}")
    names: set = set()
    for i, r in enumerate(routines):
        rname = r.get("name") if isinstance(r, dict) else None
        label = f"routines[{i}]" + (f" ({rname})" if isinstance(rname, str) else "")
        _check_keys(r, label, _ROUTINE_REQUIRED, _ROUTINE_OPTIONAL)
        name = _text(r["name"], f"{label}: name")
        if len(name) > LIMITS["name"]:
            _fail(f"{label}: name", f"is {len(name)} characters; the limit is {LIMITS['name']}")
        if name.casefold() in names:
            _fail(f"{label}: name", "another starter routine has this name")
        names.add(name.casefold())
        if "notes" in r:
            notes = _text(r["notes"], f"{label}: notes", one_line=False, empty=True)
            if len(notes) > LIMITS["notes"]:
                _fail(f"{label}: notes", f"is {len(notes)} characters; the limit is {LIMITS['notes']}")
        if "target" in r:
            _vocab_list(r["target"], f"{label}: target", sorted(conditions), "condition", empty=True)
        if "flare" in r and not isinstance(r["flare"], bool):
            _fail(f"{label}: flare", f"must be true or false, not {_type_name(r['flare'])}")
        items = r["items"]
        if not isinstance(items, list) or not items:
            _fail(f"{label}: items", "must be a non-empty list")
        if len(items) > LIMITS["items"]:
            _fail(f"{label}: items", f"has {len(items)} items; the limit is {LIMITS['items']}")
        for j, item in enumerate(items):
            where = f"{label}: items[{j}]"
            _check_keys(item, where, ("stretch",), _ITEM_KEYS[1:])
            ref = _text(item["stretch"], f"{where}.stretch")
            if ref not in ids:
                close = difflib.get_close_matches(ref, list(ids), n=3, cutoff=0.5)
                hint = f" (did you mean {', '.join(close)}?)" if close else ""
                _fail(f"{where}.stretch", f"unknown stretch {ref!r}{hint}")
            for key in NUMBER_FIELDS:
                if key in item:
                    _int(item[key], f"{where}.{key}", *ITEM_FIELDS[key].bounds)
            if "sides" in item and not ITEM_FIELDS["sides"].accepts(item["sides"]):
                _fail(f"{where}.sides", f"must be one of {ITEM_FIELDS['sides'].range_text()}, not {item['sides']!r}")


def _breathing(value: dict | None) -> Breathing | None:
    if value is None:
        return None
    return Breathing(first=value["first"], inhale=value["in"], exhale=value["out"])


def _stretch(d: dict) -> Stretch:
    dose = d["dosage"]
    return Stretch(
        id=d["id"],
        name=d["name"],
        summary=d.get("summary", ""),
        aliases=tuple(d.get("aliases", ())),
        regions=tuple(d["regions"]),
        movements=tuple(d["movements"]),
        position=d["position"],
        dosage=Dosage(
            mode=dose["mode"],
            hold=_range(dose["hold"]),
            reps=_range(dose["reps"]),
            sides=dose["sides"],
            rest=int(dose["rest"]),
        ),
        steps=tuple(d["steps"]),
        cues=tuple(d.get("cues", ())),
        helps=tuple(d.get("helps", ())),
        cautions=tuple(Caution(c["condition"], c["level"], c["reason"], c.get("cue", ""))
                       for c in d.get("cautions", ())),
        source=tuple(d["source"]),
        figure=tuple(d.get("figure", ())),
        avoid_listed=bool(d.get("avoid_listed", False)),
        alternative=d.get("alternative"),
        similar=tuple(d.get("similar", ())),
        glide=d.get("glide"),
        note=d.get("note", ""),
        compound=bool(d.get("compound", False)),
        breathing=_breathing(d.get("breathing")),
    )


def parse_catalog(data: dict, *, validated: bool = False) -> Catalog:
    """Validate parsed JSON and build a Catalog from it.

    Raises :class:`CatalogError` naming the entry and field at fault, e.g.
    ``stretches[3] (knee-to-chest): dosage.hold.default: 70 is not between
    min (15) and max (60)``. ``validated``: ``data`` is the shipped catalog,
    checked by the tests (see :data:`SHIPPED_CATALOG_SHA256`).
    """
    if not validated:
        try:
            _validate(data)
        except _Invalid as exc:
            raise CatalogError(str(exc)) from None
    stretches = {s["id"]: _stretch(s) for s in data["stretches"]}
    starters = tuple(
        Routine(
            name=r["name"],
            notes=r.get("notes", ""),
            target=tuple(r.get("target", ())),
            starter=True,
            items=tuple(RoutineItem(**item) for item in r["items"]),
        )
        for r in data.get("routines", ())
    )
    return Catalog(
        version=data["version"],
        regions={r["id"]: r["name"] for r in data["regions"]},
        conditions={
            c["id"]: Condition(c["id"], c["name"], c.get("description", "")) for c in data["conditions"]
        },
        movements=tuple(data["movements"]),
        stretches=stretches,
        starters=starters,
        flare_starters=tuple(r["name"] for r in data.get("routines", ()) if r.get("flare")),
        sources={
            e["id"]: Source(e["id"], e["publisher"], e["title"], e.get("url", "")) for e in data.get("sources", ())
        },
    )


def _no_duplicates(pairs: list) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed")


#: SHA-256 of the shipped catalog.json, which the tests validate
#: (tests/test_catalog.py): a file with these bytes is built without checking
#: every field again at each start (3-4 ms of the app's start-up). Any other
#: file, an edited or damaged shipped one included, is validated in full.
SHIPPED_CATALOG_SHA256 = "9d30ccd380b43577cd837bff61b5788292184b38d0a71e02e53ef1d0340af08e"


def load_catalog(path: Path | None = None) -> Catalog:
    """Load and validate the catalog at ``path`` (default: the shipped one).

    Every problem becomes a :class:`CatalogError` whose message starts with
    the file and names the entry and field, e.g.
    ``catalog.json: stretches[3] (knee-to-chest): dosage.hold.default: ...``.
    """
    path = Path(path) if path else default_catalog_path()
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8").removeprefix("\ufeff")  # what "utf-8-sig" does, without loading its codec
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read the catalog ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{path}: the catalog is not UTF-8 text ({exc.reason})") from None
    import hashlib

    if hashlib.sha256(raw).hexdigest() == SHIPPED_CATALOG_SHA256:  # the tested file, byte for byte
        return parse_catalog(json.loads(text), validated=True)
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except ValueError as exc:
        raise CatalogError(f"{path}: not valid JSON ({exc})") from None
    try:
        return parse_catalog(data)
    except CatalogError as exc:
        raise CatalogError(f"{path}: {exc}") from None
    except (KeyError, TypeError, ValueError) as exc:  # pragma: no cover - validation should catch these first
        raise CatalogError(f"{path}: malformed catalog ({exc!r})") from None
