"""Progression gated by symptoms and safety: what to do with one routine item's dose next time.

A pure rule a physiotherapist can read and check. It follows
``shared/clinical.md`` ("Measuring progress", "During a session"): increase
load only while pain stays at or below about 3/10 and settles afterwards;
back off after a worse response; stop a movement that makes symptoms spread
and offer no look-alike in its place; no step up for a movement that is a
caution or avoid for the person, none during a flare, none for nerve glides;
two worse responses in a row: ask a clinician rather than backing off again.
Symptoms moving back toward the spine (*central*) count as a good response.

Inputs, for one stretch of a routine: its catalog dosage, the item's current
dose, the sessions that included the stretch, newest first (a
:class:`StretchRecord` each), and what the advice gate knows
(:class:`~.gate.AdviceContext`: the profile's conditions, flare and symptom
marks). The rule looks at them in this order; the first row that matches
decides:

==========  ==========================================================  =====================================
action      when                                                        new dose
==========  ==========================================================  =====================================
drop        the stretch is marked: symptoms spread with it (a           unchanged; leave it out and see a
            *spreading* answer or an ``x`` stop) and the mark was not   clinician. No other stretch is named
            cleared (without a profile: any *spreading* answer for it)  in its place
clinician   the latest session went worse for it (*worse* response,     unchanged; see a clinician before
            pain after at least 2 higher than before, or a *worse*      doing it again, rather than backing
            day-after check-in) and so did the session before that      off again
back-off    the latest session went worse for it (as above)             below the dose of that session: the
                                                                        previous, lower dose recorded; else
                                                                        the catalog default when that dose is
                                                                        above it; else one step down from it
hold        the same, when the dose is already below the one of that    unchanged (it was backed off already)
            session
drop        the same, when that session's dose is the catalog's         unchanged; it cannot go lower: leave
            lowest already                                              it out for now
hold        a flare is on (profile, or pain before the latest           unchanged
            session of 7 or more)
hold        a nerve glide (light tension, no extra repetitions)         unchanged
hold        the stretch is a caution or avoid for the user's            unchanged
            conditions (the safety rules, flare and position
            included)
progress    the last 3 counted sessions with it (see below) were all    one step up: hold +5 s, or +1 rep
            done at the current dose (or at an unrecorded one),         once the hold is at the catalog
            completed or kept, each with a *better*, *same* or          maximum (a moving stretch: +1 rep);
            *central* response for it, pain before and after at most    never beyond the catalog's maximum
            3/10, pain after not higher than before (*central*: may     or the routine-file limits
            be), and no *worse* check-in; and a step up is still
            within the catalog's maximum
hold        anything else (fewer than 3 counted sessions, fewer than    unchanged
            3 at the current dose, a missing answer, pain above 3/10,
            already at the maximum)
==========  ==========================================================  =====================================

Which sessions are *counted* toward a step up: the newest ones back to (not
including) the newest session done during a flare (the profile's flare was
on when it was played, or it was a routine's flare version) or in which
symptoms spread with it: counting restarts after a flare ends and after a
spreading event.

Which sessions there are, for a routine (:func:`suggest_routine`): every
recorded session (of any routine) whose items include the stretch and in
which it was reached (some work done, or a response given), newest first. A
session is *completed or kept* when its status is ``completed``, or
``stopped`` and kept (``counted``); an interrupted or unfinished one that
reached the stretch counts against a step up. When the stretch appears more
than once in a session, its least good response stands (spreading, worse,
no answer, same, better or central). The flare is the profile's flare
switch, or pain before the newest session (any routine) of 7 or more.
Without a profile, a *spreading* answer anywhere in the history marks the
stretch.

Every dose that goes up is asked of the advice gate (:func:`.gate.progress_ok`).

INTERFACE::

    suggest_item(stretch, current, records, *, flare=False, ctx=None, catalog=None) -> Suggestion
    records_for(stretch_id, sessions) -> list[StretchRecord]      # sessions: Session, any order
    suggest_routine(routine, catalog, sessions, *, profile=None) -> RoutinePlan
    RoutinePlan.items: list[ItemPlan]  (index, Suggestion, alternative: always None)
    RoutinePlan.to_json() / .changes / .applied() -> Routine
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import takewhile as _takewhile
from typing import TYPE_CHECKING, Protocol

from .flare import FLARE_VERSION_KEY
from .gate import AdviceContext, progress_ok
from .models import LIMITS, Profile, Routine, Stretch

# The answers are re-exported from .session: one list of them.
from .session import CHECKIN_ANSWERS as CHECKINS  # noqa: F401
from .session import RESPONSES, SETTLED_RESPONSES, Session, newest_first  # noqa: F401

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog

#: Actions, in the order the rule tries them.
ACTIONS: tuple[str, ...] = ("drop", "clinician", "back-off", "progress", "hold")

#: Sessions in a row that must have gone well before a step up.
SESSIONS_TO_PROGRESS = 3
#: Pain after minus pain before that counts as a worse session.
PAIN_RISE_TO_BACK_OFF = 2
#: Pain before a session that counts as a flare.
FLARE_PAIN = 7
#: Pain (before or after, 0-10) above which load does not go up (clinical.md: "about 3/10").
PAIN_CEILING = 3
#: Worse sessions in a row for one stretch after which the advice is a clinician, not a back-off.
WORSE_IN_A_ROW = 2
#: One step of hold, in seconds (``hold`` mode; one repetition otherwise).
HOLD_STEP = 5

#: Responses that count as settled (symptoms moving toward the spine is a good sign).
SETTLED = SETTLED_RESPONSES


@dataclass(frozen=True)
class Dose:
    """Seconds per hold (or per repetition) and repetitions."""

    hold: int
    reps: int


@dataclass(frozen=True)
class StretchRecord:
    """What one session tells about one stretch in it."""

    #: ``completed``, or a stopped session the user chose to keep: it counts.
    counted: bool
    response: str | None = None
    pain_before: int | None = None
    pain_after: int | None = None
    checkin: str | None = None
    #: The dose the stretch was done at in that session (``None`` when unknown).
    dose: Dose | None = None
    #: Played during a flare (the profile's flare, or a flare version): never counted toward a step up.
    flare: bool = False
    #: The session's date (ISO), for the words ("on 2026-03-04").
    day: str | None = None


@dataclass(frozen=True)
class Suggestion:
    """What to do with one item next time, and why (one sentence)."""

    stretch: str
    action: str
    before: Dose
    after: Dose
    why: str

    @property
    def changes(self) -> bool:
        return self.before != self.after

    def to_json(self) -> dict:
        """The shape ``stretchtui suggest --json`` prints for an item."""
        return {
            "stretch": self.stretch,
            "action": self.action,
            "hold": {"from": self.before.hold, "to": self.after.hold},
            "reps": {"from": self.before.reps, "to": self.after.reps},
            "why": self.why,
        }


def _pain_rise(record: StretchRecord) -> int | None:
    if record.pain_before is None or record.pain_after is None:
        return None
    return record.pain_after - record.pain_before


def _went_worse(record: StretchRecord) -> str | None:
    """Why ``record`` counts as a worse session for the stretch (None when it does not)."""
    rise = _pain_rise(record)
    if record.response == "worse":
        return "it felt worse last time"
    if rise is not None and rise >= PAIN_RISE_TO_BACK_OFF and record.response != "central":
        return f"pain rose from {record.pain_before} to {record.pain_after} in the last session"
    if record.checkin == "worse":
        return "it was worse the day after the last session"
    return None


def _pain_low(record: StretchRecord) -> bool:
    return all(p is not None and p <= PAIN_CEILING for p in (record.pain_before, record.pain_after))


def _went_well(record: StretchRecord) -> bool:
    rise = _pain_rise(record)
    return (
        record.counted
        and record.response in SETTLED
        and rise is not None
        and (rise <= 0 or record.response == "central")
        and _pain_low(record)
        and record.checkin != "worse"
    )


def counted_records(records: Sequence[StretchRecord]) -> list[StretchRecord]:
    """The newest records back to (not including) the newest one in a flare or with *spreading*."""
    return list(_takewhile(lambda r: not r.flare and r.response != "spreading", records))


def step_up(stretch: Stretch, dose: Dose) -> Dose | None:
    """One step up from ``dose`` within the catalog's maximum, or ``None`` at the top.

    A held stretch gains 5 s of hold, then one repetition once the hold is at
    the maximum; a moving one (``reps`` mode) gains a repetition; a timed one
    (``duration``) gains 5 s.
    """
    mode = stretch.dosage.mode
    top_hold = min(stretch.dosage.hold.max, LIMITS["hold"][1])
    top_reps = min(stretch.dosage.reps.max, LIMITS["reps"][1])
    if mode != "reps" and dose.hold < top_hold:
        return Dose(min(dose.hold + HOLD_STEP, top_hold), dose.reps)
    if mode != "duration" and dose.reps < top_reps:
        return Dose(dose.hold, dose.reps + 1)
    return None


def step_down(stretch: Stretch, dose: Dose, records: Sequence[StretchRecord]) -> Dose:
    """The dose to back off to: the previous lower dose recorded, else the
    catalog default when ``dose`` is above it, else one step down (never below
    the catalog minimum). ``dose`` itself when it is the lowest already."""
    for record in records:
        d = record.dose
        if d is not None and d != dose and d.hold <= dose.hold and d.reps <= dose.reps:
            return d
    default = Dose(stretch.dosage.hold.default, stretch.dosage.reps.default)
    if default != dose and default.hold <= dose.hold and default.reps <= dose.reps:
        return default
    mode = stretch.dosage.mode
    lowest = Dose(max(1, stretch.dosage.hold.min), max(1, stretch.dosage.reps.min))
    if mode != "reps" and dose.hold > lowest.hold:
        return Dose(max(lowest.hold, dose.hold - HOLD_STEP), dose.reps)
    if mode != "duration" and dose.reps > lowest.reps:
        return Dose(dose.hold, dose.reps - 1)
    if mode == "reps" and dose.hold > lowest.hold:  # a moving stretch at its fewest reps: slower is less
        return Dose(max(lowest.hold, dose.hold - 1), dose.reps)
    return dose


def suggest_item(
    stretch: Stretch,
    current: Dose,
    records: Sequence[StretchRecord],
    *,
    flare: bool = False,
    ctx: AdviceContext | None = None,
    catalog: Catalog | None = None,
) -> Suggestion:
    """Apply the rule of the module docstring to one item. ``records`` are newest first.

    ``ctx`` is what the advice gate knows (conditions, flare, marks); without
    it only ``flare`` is known, and a *spreading* answer in ``records`` marks
    the stretch.
    """

    def result(action: str, after: Dose, why: str) -> Suggestion:
        return Suggestion(stretch.id, action, current, after, why)

    ctx = ctx if ctx is not None else AdviceContext(
        flare=flare, marked=frozenset({stretch.id} if any(r.response == "spreading" for r in records) else ())
    )
    flare = flare or ctx.flare
    latest = records[0] if records else None
    if stretch.id in ctx.marked:
        when = next((f" on {r.day}" for r in records if r.response == "spreading" and r.day), "")
        return result(
            "drop", current,
            f"Symptoms spread with it{when}: leave it out and see a clinician; no other stretch is "
            "suggested in its place.",
        )
    if latest is not None:
        reason = _went_worse(latest)
        if reason is not None:
            if len(records) >= WORSE_IN_A_ROW and all(_went_worse(r) for r in records[:WORSE_IN_A_ROW]):
                return result(
                    "clinician", current,
                    f"It went worse in the last {WORSE_IN_A_ROW} sessions with it: see a clinician before "
                    "doing it again, rather than backing off again.",
                )
            done = latest.dose
            if done is not None and (current.hold < done.hold or current.reps < done.reps):
                return result("hold", current, f"Hold the dose: {reason}, and it is lower already.")
            # Back off from the dose that went badly, not from a step up given since
            # (so one back-off is enough, and applying it twice does not go lower).
            base = done if done is not None else current
            lower = step_down(stretch, base, records)
            if lower == base:
                return result(
                    "drop", current,
                    f"Leave it out for now: {reason}, and it is at its lowest dose already. If it stays "
                    "worse, see a clinician.",
                )
            return result("back-off", lower, f"Back off: {reason}.")
    in_flare = flare or (latest is not None and latest.pain_before is not None and latest.pain_before >= FLARE_PAIN)
    if in_flare:
        return result("hold", current, "Hold the dose: no step up during a flare.")
    if stretch.glide is not None:
        return result("hold", current, "Hold the dose: nerve glides stay light, with no extra repetitions.")
    if not progress_ok(stretch, catalog, ctx):
        from .rules import warnings_for_stretch, worst_level

        level = worst_level(warnings_for_stretch(stretch, ctx.conditions, flare=flare))
        said = "is best avoided" if level == "avoid" else "needs care"
        return result("hold", current, f"Hold the dose: it {said} with your conditions, so it is not stepped up.")
    recent = counted_records(records)[:SESSIONS_TO_PROGRESS]
    if len(recent) < SESSIONS_TO_PROGRESS:
        n = len(recent)
        since = ""
        if len(recent) < len(records[:SESSIONS_TO_PROGRESS]):
            cut = records[n]
            since = " (counting restarts after a flare)" if cut.flare else " (counting restarts after symptoms spread)"
        return result(
            "hold",
            current,
            f"Hold the dose: {n} of the {SESSIONS_TO_PROGRESS} settled sessions a step up needs{since}.",
        )
    at_dose = sum(1 for _ in _takewhile(lambda r: r.dose is None or r.dose == current, recent))
    if at_dose < SESSIONS_TO_PROGRESS:
        return result(
            "hold",
            current,
            f"Hold the dose: a step up needs {SESSIONS_TO_PROGRESS} settled sessions at this dose "
            f"({at_dose} so far).",
        )
    if not all(_pain_low(r) for r in recent):
        return result(
            "hold",
            current,
            f"Hold the dose: pain was above {PAIN_CEILING}/10 in one of the last {SESSIONS_TO_PROGRESS} "
            f"sessions (or not given); load goes up only while pain stays at or below about {PAIN_CEILING}/10.",
        )
    if not all(_went_well(r) for r in recent):
        return result(
            "hold",
            current,
            f"Hold the dose: a step up needs {SESSIONS_TO_PROGRESS} sessions in a row that felt better or "
            "the same, with no rise in pain.",
        )
    up = step_up(stretch, current)
    if up is None:
        return result("hold", current, "Hold the dose: it is at the most the sources suggest.")
    what = (
        f"hold {current.hold} s → {up.hold} s" if up.hold != current.hold else f"reps {current.reps} → {up.reps}"
    )
    return result(
        "progress",
        up,
        f"Ready to progress ({what}): the last {SESSIONS_TO_PROGRESS} sessions felt better or the same, "
        f"with pain at or below {PAIN_CEILING}/10 and no rise.",
    )


# ---------------------------------------------------------------- a whole routine

#: Responses from least to most reassuring (the least good one of a session stands).
_RESPONSE_RANK = {"spreading": 0, "worse": 1, None: 2, "same": 3, "better": 4, "central": 4}


def _session_counted(session: Session) -> bool:
    return session.status == "completed" or (session.status == "stopped" and session.counted)


def _newest_first(sessions: Sequence[Session]) -> list[Session]:
    # Session.order: the start, then the order the store recorded them in (so
    # sessions started within the same second keep their order).
    return newest_first(sessions)


def records_for(stretch_id: str, sessions: Sequence[Session]) -> list[StretchRecord]:
    """What ``sessions`` (any order) tell about ``stretch_id``: one record per session
    that reached it, newest first (see the module docstring)."""
    out: list[StretchRecord] = []
    for session in _newest_first(sessions):
        items = [
            i for i in session.items
            if i.stretch == stretch_id and (any(v > 0 for v in i.done.values()) or i.response is not None)
        ]
        if not items:
            continue
        response = min((i.response for i in items), key=lambda r: _RESPONSE_RANK.get(r, 2))
        doses = [Dose(i.hold, i.reps) for i in items if i.hold is not None and i.reps is not None]
        out.append(StretchRecord(
            counted=_session_counted(session),
            response=response,
            pain_before=session.pain_before,
            pain_after=session.pain_after,
            checkin=session.checkin.answer if session.checkin else None,
            dose=doses[0] if doses else None,
            flare=session.extra.get("flare") is True or session.extra.get(FLARE_VERSION_KEY) is True,
            day=(session.started or session.ended or "")[:10] or None,
        ))
    return out


def in_flare(sessions: Sequence[Session], profile: Profile | None = None) -> bool:
    """The profile's flare switch, or pain before the newest session of 7 or more."""
    newest = _newest_first(sessions)
    return flare_from(newest[0].pain_before if newest else None, profile)


def flare_from(newest_pain_before: int | None, profile: Profile | None = None) -> bool:
    """:func:`in_flare` from the pain before the newest session (None: no session, or no score)."""
    if profile is not None and profile.flare:
        return True
    return newest_pain_before is not None and newest_pain_before >= FLARE_PAIN


class HistorySummary(Protocol):
    """What the rule reads from a whole history, without the sessions (see ``reports.aggregates``)."""

    newest_pain_before: int | None

    def records_of(self, stretch_id: str) -> Sequence[StretchRecord]:
        """Records standing for ``records_for(stretch_id, every session)`` to :func:`suggest_item`."""
        ...


@dataclass(frozen=True)
class ItemPlan:
    """The suggestion for routine item ``index``. ``alternative`` is kept for callers; it is
    always None (clinical.md: no look-alike is offered for a stretch that made symptoms spread)."""

    index: int
    suggestion: Suggestion
    alternative: str | None = None


@dataclass(frozen=True)
class RoutinePlan:
    """The suggestions for every item of ``routine`` whose stretch is in the catalog."""

    routine: Routine
    items: tuple[ItemPlan, ...]
    flare: bool = False

    @property
    def changes(self) -> tuple[ItemPlan, ...]:
        """The items whose dose would change (progress or back off)."""
        return tuple(p for p in self.items if p.suggestion.changes)

    def applied(self) -> Routine:
        """The routine with every changed dose written in (drops are left to the user)."""
        items = list(self.routine.items)
        for plan in self.changes:
            after = plan.suggestion.after
            items[plan.index] = replace(items[plan.index], hold=after.hold, reps=after.reps)
        return self.routine.with_items(items)

    def to_json(self) -> dict:
        """The shape ``stretchtui suggest --json`` prints."""
        return {"routine": self.routine.name, "items": [p.suggestion.to_json() for p in self.items]}


def suggest_routine(
    routine: Routine, catalog: Catalog, sessions: Sequence[Session], *, profile: Profile | None = None,
    summary: HistorySummary | None = None,
) -> RoutinePlan:
    """The rule applied to every item of ``routine`` from the recorded ``sessions``.

    Items whose stretch is not in the catalog are left out. The profile's
    conditions, flare and symptom marks are what the advice gate knows
    (without a profile, a *spreading* answer in the history marks a stretch).
    A *drop* never names another stretch in its place. ``summary`` (the
    store's per-year aggregates) stands for ``sessions`` when given.
    """
    if summary is not None:
        flare = flare_from(summary.newest_pain_before, profile)
    else:
        flare = in_flare(sessions, profile)
    if profile is not None:
        ctx = AdviceContext.of(profile, profile.marked)
        ctx = AdviceContext(ctx.conditions, flare, ctx.marked)
    else:
        ctx = None
    plans: list[ItemPlan] = []
    for index, item in enumerate(routine.items):
        stretch = catalog.get(item.stretch)
        if stretch is None:
            continue
        full = item.resolved(stretch)
        current = Dose(int(full.hold or 0), int(full.reps or 0))
        records = summary.records_of(stretch.id) if summary is not None else records_for(stretch.id, sessions)
        suggestion = suggest_item(stretch, current, records, flare=flare, ctx=ctx, catalog=catalog)
        plans.append(ItemPlan(index, suggestion, None))
    return RoutinePlan(routine, tuple(plans), flare)


def describe_change(plan: ItemPlan, catalog: Catalog) -> str:
    """"Knee to Chest 20 s → 25 s" (or "3 reps → 4 reps"): one changed dose, for the app."""
    s = plan.suggestion
    stretch = catalog.get(s.stretch)
    name = stretch.name if stretch is not None else s.stretch
    parts = []
    if s.before.hold != s.after.hold:
        parts.append(f"{s.before.hold} s → {s.after.hold} s")
    if s.before.reps != s.after.reps:
        parts.append(f"{s.before.reps} reps → {s.after.reps} reps")
    return f"{name} {', '.join(parts)}" if parts else name
