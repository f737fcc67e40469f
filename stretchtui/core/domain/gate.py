"""The one advice gate: everything that recommends a stretch or a dose asks here.

Producers (``check``'s alternatives, ``suggest``'s progress / back-off / drop,
the flare version and flare hints, the Library and Builder hints, the
palette's "add", starter suggestions) never decide on their own whether a
stretch may be offered. Where each asks today: ``progression.suggest_item``
(every step up: ``suggest``, ``--apply``, the Library and Builder line),
``ui.commands.palette_add_ids`` (the palette's "Add to routine"),
``rules.check_routine`` / ``warnings_for_stretch`` (no alternative is a
marked stretch, none is offered for one). ``tests/test_advice_gate.py``
holds every producer to the same property. They ask :func:`offer_ok` (may this stretch be named
to this user, optionally in place of ``replacing``?) and
:func:`progress_ok` (may its dose go up?).

:class:`AdviceContext` is what the gate knows: the profile's conditions and
flare state and the stretches marked by a symptom stop (a "spreading" answer
or an ``x`` stop), which stay marked until the user clears them.

Pure; no UI imports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .models import Profile, Routine, Stretch

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog


@dataclass(frozen=True)
class AdviceContext:
    """What the gate knows about the user."""

    conditions: tuple[str, ...] = ()
    flare: bool = False
    #: Stretch ids marked by symptoms spreading (until cleared).
    marked: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, profile: Profile, marked: Iterable[str] = ()) -> AdviceContext:
        """The context for ``profile`` (its conditions, flare and symptom marks) and ``marked``."""
        return cls(tuple(profile.conditions), bool(profile.flare), frozenset(marked) | profile.marked)


def offer_ok(
    stretch: Stretch, catalog: Catalog | None, ctx: AdviceContext, *, replacing: Stretch | None = None
) -> bool:
    """True when ``stretch`` may be recommended to the user of ``ctx``.

    Never a marked stretch, never one with a caution or avoid for the user's
    conditions (flare and position included), and, in place of ``replacing``,
    never one that does a movement that makes ``replacing`` risky for them.
    """
    from . import rules  # the rules import models only; kept local to stay cycle-free

    if stretch.id in ctx.marked:
        return False
    if replacing is not None and stretch.id == replacing.id:
        return False
    if rules._is_risky_for(stretch, ctx.conditions, ctx.flare):
        return False
    return replacing is None or not rules.shares_hazard(stretch, replacing, ctx.conditions)


def routine_ok(routine: Routine, catalog: Catalog | None, ctx: AdviceContext) -> bool:
    """True when ``routine`` may be suggested to the user of ``ctx`` (a starter, a flare routine):
    every stretch of it known and allowed by :func:`offer_ok`."""
    for item in routine.items:
        stretch = catalog.get(item.stretch) if catalog is not None else None
        if stretch is None or not offer_ok(stretch, catalog, ctx):
            return False
    return True


def progress_ok(stretch: Stretch, catalog: Catalog | None, ctx: AdviceContext) -> bool:
    """True when the dose of ``stretch`` may go up for the user of ``ctx``.

    Not while marked, not during a flare, never a nerve glide (no extra
    repetitions), never a stretch that is a caution or avoid for the user.
    """
    if ctx.flare or stretch.glide is not None:
        return False
    return offer_ok(stretch, catalog, ctx)
