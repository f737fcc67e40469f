"""Progression gated by symptoms: what to do with one routine item's dose next time.

A pure rule a physiotherapist can read and check. It follows
``shared/clinical.md`` ("Measuring progress", "During a session"): increase
load only while pain stays low during and settles afterwards; back off after
a worse response; stop a movement that makes symptoms spread; no
progression during a flare.

Inputs, for one stretch of a routine: its catalog dosage, the item's current
dose, and the sessions that included the stretch, newest first (a
:class:`StretchRecord` each). The rule looks at them in this order; the first
row that matches decides:

=========  ==========================================================  =====================================
action     when                                                        new dose
=========  ==========================================================  =====================================
drop       the latest session's response for it was *spreading*        unchanged; suggest removing it (and
           (symptoms moving down an arm or leg, new numbness,          the safety engine's safer stretch)
           tingling or weakness)
back-off   the latest session's response was *worse*, or its pain      below the dose of that session: the
           after was at least 2 higher than before, or the day-after   previous, lower dose recorded; else
           check-in for that session was *worse*                       the catalog default when that dose is
                                                                       above it; else one step down from it
                                                                       (never below the catalog minimum)
hold       the same, when the dose is already below the one of that    unchanged (it was backed off already)
           session
hold       a flare is on (profile, or pain before the latest           unchanged
           session of 7 or more)
progress   the last 3 sessions with it were all done at the current    one step up: hold +5 s, or +1 rep
           dose (or at an unrecorded one), completed or kept, each     once the hold is at the catalog
           with a *better* or *same* response for it, pain after not   maximum (a moving stretch: +1 rep);
           higher than before, and no *worse* check-in; and a step     never beyond the catalog's maximum
           up is still within the catalog's maximum                    or the routine-file limits
hold       anything else (fewer than 3 sessions, fewer than 3 at the   unchanged
           current dose, a missing answer, already at the maximum)
=========  ==========================================================  =====================================

Which sessions count, for a routine (:func:`suggest_routine`): every
recorded session (of any routine) whose items include the stretch and in
which it was reached (some work done, or a response given), newest first. A
session is *completed or kept* when its status is ``completed``, or
``stopped`` and kept (``counted``); an interrupted or unfinished one that
reached the stretch counts against a step up. When the stretch appears more
than once in a session, its least good response stands (spreading, worse,
no answer, same, better). The flare is the profile's flare switch, or pain
before the newest session (any routine) of 7 or more.

INTERFACE::

    suggest_item(stretch, current, records, *, flare=False) -> Suggestion
    records_for(stretch_id, sessions) -> list[StretchRecord]      # sessions: Session, any order
    suggest_routine(routine, catalog, sessions, *, profile=None) -> RoutinePlan
    RoutinePlan.items: list[ItemPlan]  (index, Suggestion, alternative id or None)
    RoutinePlan.to_json() / .changes / .applied() -> Routine
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import takewhile as _takewhile
from typing import TYPE_CHECKING

from .models import LIMITS, Profile, Routine, Stretch

# The answers are re-exported from .session: one list of them.
from .session import CHECKIN_ANSWERS as CHECKINS  # noqa: F401
from .session import RESPONSES, Session  # noqa: F401

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog

#: Actions, in the order the rule tries them.
ACTIONS: tuple[str, ...] = ("drop", "back-off", "progress", "hold")

#: Sessions in a row that must have gone well before a step up.
SESSIONS_TO_PROGRESS = 3
#: Pain after minus pain before that counts as a worse session.
PAIN_RISE_TO_BACK_OFF = 2
#: Pain before a session that counts as a flare.
FLARE_PAIN = 7
#: One step of hold, in seconds (``hold`` mode; one repetition otherwise).
HOLD_STEP = 5


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


def _went_well(record: StretchRecord) -> bool:
    rise = _pain_rise(record)
    return (
        record.counted
        and record.response in ("better", "same")
        and rise is not None
        and rise <= 0
        and record.checkin != "worse"
    )


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
    the catalog minimum)."""
    for record in records:
        d = record.dose
        if d is not None and d != dose and d.hold <= dose.hold and d.reps <= dose.reps:
            return d
    default = Dose(stretch.dosage.hold.default, stretch.dosage.reps.default)
    if default != dose and default.hold <= dose.hold and default.reps <= dose.reps:
        return default
    mode = stretch.dosage.mode
    if mode != "reps" and dose.hold > stretch.dosage.hold.min:
        return Dose(max(stretch.dosage.hold.min, dose.hold - HOLD_STEP), dose.reps)
    if mode != "duration" and dose.reps > stretch.dosage.reps.min:
        return Dose(dose.hold, dose.reps - 1)
    return dose


def suggest_item(
    stretch: Stretch, current: Dose, records: Sequence[StretchRecord], *, flare: bool = False
) -> Suggestion:
    """Apply the rule of the module docstring to one item. ``records`` are newest first."""

    def result(action: str, after: Dose, why: str) -> Suggestion:
        return Suggestion(stretch.id, action, current, after, why)

    latest = records[0] if records else None
    if latest is not None and latest.response == "spreading":
        return result("drop", current, "Symptoms spread during it last time: leave it out and ask a clinician.")
    if latest is not None:
        rise = _pain_rise(latest)
        reason = None
        if latest.response == "worse":
            reason = "it felt worse last time"
        elif rise is not None and rise >= PAIN_RISE_TO_BACK_OFF:
            reason = f"pain rose from {latest.pain_before} to {latest.pain_after} in the last session"
        elif latest.checkin == "worse":
            reason = "your back was worse the day after the last session"
        if reason is not None:
            done = latest.dose
            if done is not None and (current.hold < done.hold or current.reps < done.reps):
                return result("hold", current, f"Hold the dose: {reason}, and it is lower already.")
            # Back off from the dose that went badly, not from a step up given since
            # (so one back-off is enough, and applying it twice does not go lower).
            lower = step_down(stretch, done if done is not None else current, records)
            return result("back-off", lower, f"Back off: {reason}.")
    in_flare = flare or (latest is not None and latest.pain_before is not None and latest.pain_before >= FLARE_PAIN)
    if in_flare:
        return result("hold", current, "Hold the dose: no step up during a flare.")
    recent = list(records[:SESSIONS_TO_PROGRESS])
    if len(recent) < SESSIONS_TO_PROGRESS:
        n = len(recent)
        return result(
            "hold",
            current,
            f"Hold the dose: {n} of the {SESSIONS_TO_PROGRESS} settled sessions a step up needs.",
        )
    at_dose = sum(1 for _ in _takewhile(lambda r: r.dose is None or r.dose == current, recent))
    if at_dose < SESSIONS_TO_PROGRESS:
        return result(
            "hold",
            current,
            f"Hold the dose: a step up needs {SESSIONS_TO_PROGRESS} settled sessions at this dose "
            f"({at_dose} so far).",
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
        "with no rise in pain.",
    )


# ---------------------------------------------------------------- a whole routine

#: Responses from least to most reassuring (the least good one of a session stands).
_RESPONSE_RANK = {"spreading": 0, "worse": 1, None: 2, "same": 3, "better": 4}


def _session_counted(session: Session) -> bool:
    return session.status == "completed" or (session.status == "stopped" and session.counted)


def _when(session: Session) -> str:
    return session.started or session.ended or ""


def _newest_first(sessions: Sequence[Session]) -> list[Session]:
    from datetime import datetime, timezone

    def key(s: Session) -> float:
        try:
            when = datetime.fromisoformat(_when(s))
        except ValueError:
            return float("-inf")
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return when.timestamp()

    return sorted(sessions, key=key, reverse=True)


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
        ))
    return out


def in_flare(sessions: Sequence[Session], profile: Profile | None = None) -> bool:
    """The profile's flare switch, or pain before the newest session of 7 or more."""
    if profile is not None and profile.flare:
        return True
    newest = _newest_first(sessions)
    return bool(newest) and newest[0].pain_before is not None and newest[0].pain_before >= FLARE_PAIN


@dataclass(frozen=True)
class ItemPlan:
    """The suggestion for routine item ``index`` (and, for a drop, the safer stretch)."""

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
    routine: Routine, catalog: Catalog, sessions: Sequence[Session], *, profile: Profile | None = None
) -> RoutinePlan:
    """The rule applied to every item of ``routine`` from the recorded ``sessions``.

    Items whose stretch is not in the catalog are left out. A *drop* names the
    safety engine's safer stretch (``find_alternative``) in its reason.
    """
    from .rules import find_alternative

    flare = in_flare(sessions, profile)
    conditions = profile.conditions if profile is not None else ()
    in_routine = [i.stretch for i in routine.items]
    plans: list[ItemPlan] = []
    for index, item in enumerate(routine.items):
        stretch = catalog.get(item.stretch)
        if stretch is None:
            continue
        full = item.resolved(stretch)
        current = Dose(int(full.hold or 0), int(full.reps or 0))
        suggestion = suggest_item(stretch, current, records_for(stretch.id, sessions), flare=flare)
        alternative = None
        if suggestion.action == "drop":
            hazard = frozenset(m for m in stretch.movements if m != "warm-up")
            alternative = find_alternative(
                catalog, stretch, conditions, hazard=hazard, exclude=in_routine, flare=flare
            )
            alt = catalog.get(alternative) if alternative else None
            extra = f" A safer option: {alt.name}." if alt is not None else " No safer option in the catalog."
            suggestion = replace(suggestion, why=suggestion.why + extra)
        plans.append(ItemPlan(index, suggestion, alternative))
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
