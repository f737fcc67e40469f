"""Loading, validating and searching the stretch catalog (``catalog.json``).

INTERFACE (stable; other modules rely on it):

- ``load_catalog(path=None) -> Catalog``: loads and validates; raises
  ``CatalogError`` whose message names the entry and field.
- ``default_catalog_path() -> Path``: the catalog shipped in the wheel, or the
  repo root's ``catalog.json`` in a source checkout.
- ``Catalog``: ``version``, ``regions`` (id -> display name, ordered),
  ``conditions`` (id -> Condition), ``movements`` (tuple), ``stretches``
  (id -> Stretch, in file order), ``starters`` (tuple of Routine), and the
  helpers ``get``, ``by_region``, ``search``, ``safe_for``, ``closest_ids``.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from .errors import StretchtuiError
from .models import Caution, Condition, Dosage, Range, Routine, RoutineItem, Stretch


class CatalogError(StretchtuiError):
    """The catalog could not be loaded; the message says where and why."""


def default_catalog_path() -> Path:
    """Where the catalog is: inside the package (wheel) or at the repo root."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "catalog.json"
    if packaged.is_file():
        return packaged
    return here.parent / "catalog.json"


@dataclass(frozen=True)
class Catalog:
    version: int
    regions: dict[str, str]
    conditions: dict[str, Condition]
    movements: tuple[str, ...]
    stretches: dict[str, Stretch]
    starters: tuple[Routine, ...] = ()
    _search_keys: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        keys = {
            s.id: " ".join([s.name, s.id, *s.aliases]).casefold() for s in self.stretches.values()
        }
        object.__setattr__(self, "_search_keys", keys)

    def __contains__(self, stretch_id: object) -> bool:
        return stretch_id in self.stretches

    def get(self, stretch_id: str) -> Optional[Stretch]:
        return self.stretches.get(stretch_id)

    def by_region(self, region: Optional[str] = None) -> list[Stretch]:
        """Stretches in ``region`` (all when ``None`` or ``"all"``), in catalog order."""
        if region in (None, "all"):
            return list(self.stretches.values())
        return [s for s in self.stretches.values() if region in s.regions]

    def search(self, text: str, region: Optional[str] = None) -> list[Stretch]:
        """Stretches whose name, id or an alias contains every word of ``text``."""
        words = text.casefold().split()
        pool = self.by_region(region)
        if not words:
            return pool
        return [s for s in pool if all(w in self._search_keys[s.id] for w in words)]

    def safe_for(self, conditions: Iterable[str], region: Optional[str] = None) -> list[Stretch]:
        """Stretches with no caution or avoid for any of ``conditions``."""
        conds = set(conditions)
        return [
            s
            for s in self.by_region(region)
            if not any(c.condition in conds for c in s.cautions) and not s.avoid_listed
        ]

    def closest_ids(self, unknown: str, n: int = 3) -> list[str]:
        """Known ids closest to ``unknown`` (for "did you mean" messages)."""
        return difflib.get_close_matches(unknown, list(self.stretches), n=n, cutoff=0.5)


def _range(d: dict) -> Range:
    return Range(int(d["min"]), int(d["default"]), int(d["max"]))


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
        cautions=tuple(Caution(c["condition"], c["level"], c["reason"]) for c in d.get("cautions", ())),
        source=tuple(d["source"]),
        figure=tuple(d.get("figure", ())),
        avoid_listed=bool(d.get("avoid_listed", False)),
        alternative=d.get("alternative"),
    )


def parse_catalog(data: dict) -> Catalog:
    """Build a Catalog from parsed JSON (validation is done by the caller)."""
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
    )


def load_catalog(path: Optional[Path] = None) -> Catalog:
    """Load and validate the catalog at ``path`` (default: the shipped one)."""
    path = Path(path) if path else default_catalog_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read the catalog ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise CatalogError(f"{path}: not valid JSON ({exc})") from None
    try:
        return parse_catalog(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"{path}: malformed catalog ({exc!r})") from None
