"""Red flags: signs that mean "do not stretch, seek care", in one place.

Our own wording of the clinical reference's "Red flags" section, in three
groups, each with ONE urgency line that every screen uses unchanged:

- :data:`EMERGENCY` — get emergency care now;
- :data:`SAME_DAY` — see a doctor today, before stretching again;
- :data:`PREGNANCY` — stop and contact the maternity team now.

Each emergency sign says which part of the spine it points to (``"lower-back"``
or ``"neck"``), so the "symptoms spreading" advice can name the signs that
fit the routine just played first (:func:`stop_advice`).

Where each list is shown, and why:

- the first-run notice shows all three groups to everyone (it is read once,
  before any profile is set, and a profile can change later);
- the pre-session checklist shows the emergency and same-day groups, and the
  pregnancy group only when pregnancy is in the profile: it is seen before
  every session, and signs that cannot apply to the user make the list longer
  and teach people to skip it (alarm fatigue);
- the "symptoms spreading" advice shows the signs for the routine's region
  first, then the rest of both lists, and the pregnancy group when pregnancy
  is in the profile.

Pure data and string helpers; no UI imports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class RedFlag:
    """One sign. ``region`` is ``"lower-back"``, ``"neck"`` or ``""`` (any)."""

    text: str
    region: str = ""


@dataclass(frozen=True)
class FlagGroup:
    """A group of signs that share one urgency."""

    key: str
    urgency: str
    flags: tuple[RedFlag, ...]

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(f.text for f in self.flags)


EMERGENCY = FlagGroup(
    "emergency",
    "Emergency: get urgent care now (call emergency services or go to an emergency department)",
    (
        RedFlag("Numbness or changed feeling between the legs or around the back passage, "
                "for example when you wipe", "lower-back"),
        RedFlag("New difficulty starting or holding urine, leaking from the bowel, or new "
                "problems with sexual function", "lower-back"),
        RedFlag("Sciatica (leg pain coming from the back) in both legs at once", "lower-back"),
        RedFlag("Weakness in a leg, or walking that is getting worse", "lower-back"),
        RedFlag("Clumsy hands, unsteady walking, or legs that feel heavy", "neck"),
        RedFlag("Dizziness or spinning when you move your neck together with double vision, "
                "slurred speech, a numb face or trouble swallowing", "neck"),
        RedFlag("A sudden, severe neck pain or headache that is new to you", "neck"),
    ),
)

SAME_DAY = FlagGroup(
    "same-day",
    "Same day: see a doctor today, before you stretch again",
    (
        RedFlag("A fever, or feeling generally unwell"),
        RedFlag("Injecting drugs, now or in the past"),
        RedFlag("A weakened immune system (from an illness or from medicines)"),
        RedFlag("A fall, knock or other injury, even a small one if you have osteoporosis "
                "or take steroid medicines"),
        RedFlag("Cancer now or in the past, weight loss you cannot explain, or pain at night "
                "that stays the same whichever way you lie"),
        RedFlag("Back pain that is new when you are under 20 or over 55"),
        RedFlag("Pain in the upper or middle part of the back"),
        RedFlag("A change in the shape of your spine that you can see"),
    ),
)

PREGNANCY = FlagGroup(
    "pregnancy",
    "Pregnancy: stop and contact your midwife or maternity unit now",
    (
        RedFlag("Bleeding, or fluid leaking, from the vagina"),
        RedFlag("Painful contractions"),
        RedFlag("Feeling faint, or pain in the chest"),
        RedFlag("Pain or swelling in a calf"),
    ),
)

#: Extra signs to watch for after a neck routine (arm signs are not in the
#: general emergency list: a spreading arm symptom after a neck stretch is).
NECK_STOP_SIGNS: tuple[str, ...] = (
    "an arm or hand that turns weak or numb",
)

#: Every group, in the order they are shown.
GROUPS: tuple[FlagGroup, ...] = (EMERGENCY, SAME_DAY, PREGNANCY)

#: The line above the lists, wherever they appear.
INTRO = "Do not stretch today, and seek care, if you have any of these"

#: One sentence said wherever the lists appear.
HUMILITY = "stretchtui cannot tell what is causing your symptoms; a clinician can."


def checklist_advice(pregnant: bool = False) -> tuple[str, ...]:
    """Shown when the user says one of the checklist's signs applies."""
    return ("Please do not stretch today.", *(f"{g.urgency}." for g in checklist_groups(pregnant)), HUMILITY)


def checklist_groups(pregnant: bool) -> tuple[FlagGroup, ...]:
    """The groups the pre-session checklist shows (pregnancy only when pregnant)."""
    return (EMERGENCY, SAME_DAY, PREGNANCY) if pregnant else (EMERGENCY, SAME_DAY)


def group_lines(groups: Iterable[FlagGroup], bullet: str = "- ") -> list[str]:
    """Plain-text lines: each group's urgency, then its signs as bullets."""
    lines: list[str] = []
    for group in groups:
        lines.append(f"{group.urgency}:")
        lines.extend(f"{bullet}{text}" for text in group.texts)
    return lines


def _join(items: list[str]) -> str:
    items = [i[0].lower() + i[1:] for i in items]
    if len(items) <= 1:
        return "".join(items)
    return "; ".join(items[:-1]) + "; or " + items[-1]


def routine_areas(regions: Iterable[str]) -> tuple[str, ...]:
    """``("neck",)``, ``("lower-back",)`` or both, from a routine's stretch regions.

    A routine with neither (upper back only) gets both: the advice then names
    every sign.
    """
    found = set(regions)
    areas = tuple(a for a in ("lower-back", "neck") if a in found)
    return areas or ("lower-back", "neck")


_AREA_WORDS = {"lower-back": "lower-back", "neck": "neck"}


def stop_advice(regions: Iterable[str] = (), *, pregnant: bool = False) -> tuple[str, ...]:
    """The advice after a "symptoms spreading" stop.

    ``regions`` are the regions of the routine's stretches: after a neck
    routine the neck and arm signs come first, after a lower-back routine
    the back and leg signs, both when mixed. The complete emergency and
    same-day lists follow either way.
    """
    areas = routine_areas(regions)
    paras = [
        "You stopped because symptoms were spreading. Stop stretching for now and rest "
        "in a position that eases the pain.",
        "Pain that moves away from the spine (down an arm or a leg), or new numbness, "
        "tingling or weakness, means that stretch is not right for you today. Do not "
        "repeat it until you have spoken to a clinician.",
    ]
    first: list[str] = []
    for area in areas:
        first += [f.text for f in EMERGENCY.flags if f.region == area]
        if area == "neck":
            first += list(NECK_STOP_SIGNS)
    what = " and ".join(_AREA_WORDS[a] for a in areas)
    paras.append(f"{EMERGENCY.urgency}. After a {what} routine, watch above all for: "
                 f"{_join(first)}.")
    rest = [f.text for f in EMERGENCY.flags if f.region not in areas]
    if rest:
        paras.append(f"Also an emergency: {_join(rest)}.")
    paras.append(f"{SAME_DAY.urgency}. Signs: {_join(list(SAME_DAY.texts))}.")
    if pregnant:
        paras.append(f"{PREGNANCY.urgency}. Signs: {_join(list(PREGNANCY.texts))}.")
    paras.append(HUMILITY)
    return tuple(paras)


def notice_lines() -> list[str]:
    """The red-flag part of the first-run notice: every group, every sign."""
    lines = [f"{INTRO}:"]
    for group in GROUPS:
        lines += ["", *group_lines((group,))]
    return lines
