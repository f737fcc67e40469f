"""The one advice gate: everything that recommends a stretch or a dose asks here.

Producers (``check``'s alternatives, ``suggest``'s progress / back-off / drop,
the flare version and flare hints, the Library and Builder hints, the
palette's "add", starter suggestions) never decide on their own whether a
stretch may be offered: they ask :func:`offer_ok` (may this stretch be named
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

from .models import Profile, Stretch

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
        """The context for ``profile`` (its conditions and flare) and the marked stretches."""
        return cls(tuple(profile.conditions), bool(profile.flare), frozenset(marked))


def offer_ok(
    stretch: Stretch, catalog: Catalog, ctx: AdviceContext, *, replacing: Stretch | None = None
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


def progress_ok(stretch: Stretch, catalog: Catalog, ctx: AdviceContext) -> bool:
    """True when the dose of ``stretch`` may go up for the user of ``ctx``.

    Not while marked, not during a flare, never a nerve glide (no extra
    repetitions), never a stretch that is a caution or avoid for the user.
    """
    if ctx.flare or stretch.glide is not None:
        return False
    return offer_ok(stretch, catalog, ctx)
