"""Red flags: signs that mean "do not stretch, seek care", in one place.

Our own wording of the clinical reference's "Red flags" section, in three
groups, each with ONE urgency line that every screen uses unchanged:

- :data:`EMERGENCY` — get emergency care now;
- :data:`SAME_DAY` — see a doctor today, before stretching again;
- :data:`PREGNANCY` — stop and contact the maternity team now.

Each emergency sign says which part of the spine it points to (``"lower-back"``
or ``"neck"``), so the "symptoms spreading" advice can name the signs that
fit the routine just played first (:func:`stop_advice`).

Triage, one urgency per group (clinical.md): the pre-session checklist asks
one ``[y/N]`` question per group (:attr:`FlagGroup.question`) in the order
of :func:`checklist_groups` (emergency, same day, pregnancy only when
pregnancy is ticked) and answers a "yes" with that group's
:attr:`FlagGroup.advice` only (:func:`advice_for` merges several "yes"
answers): a fever gets "see a doctor today", never "call emergency services".

Where each list is shown, and why:

- the first-run notice shows all three groups to everyone (it is read once,
  before any profile is set, and a profile can change later);
- the pre-session checklist shows the emergency and same-day groups, and the
  pregnancy group only when pregnancy is in the profile: it is seen before
  every session, and signs that cannot apply to the user make the list longer
  and teach people to skip it (alarm fatigue);
- the "symptoms spreading" advice says first that tingling or numbness
  spreading down one arm or leg is a reason to leave the stretch out and see
  a clinician soon, not an emergency on its own (after a neck routine as after
  a back routine); then the emergency signs for the routine's region first,
  the rest of both lists, and the pregnancy group when pregnancy is ticked.

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
    """A group of signs that share one urgency.

    ``question`` is the one line asked for the whole group (the plain player
    adds ``[y/N]``; the app's checklist shows it above the group's answer);
    ``advice`` is what a "yes" to THIS group gets, and nothing else: the
    same-day group never sends anyone to emergency services.
    """

    key: str
    urgency: str
    flags: tuple[RedFlag, ...]
    question: str = ""
    advice: tuple[str, ...] = ()

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(f.text for f in self.flags)


#: The line above the lists, wherever they appear.
INTRO = "Do not stretch today, and seek care, if you have any of these"

#: One sentence said wherever the lists appear.
HUMILITY = "stretchtui cannot tell what is causing your symptoms; a clinician can."

#: First line of every "yes" answer.
DO_NOT_STRETCH = "Please do not stretch today."

EMERGENCY = FlagGroup(
    "emergency",
    "Emergency: get urgent care now (call emergency services or go to an emergency department)",
    (
        RedFlag("Numbness or changed feeling between the legs or around the back passage, "
                "for example when you wipe", "lower-back"),
        RedFlag("New difficulty starting or holding urine, leaking from the bowel, or new "
                "problems with sexual function", "lower-back"),
        RedFlag("Sciatica (leg pain coming from the back) in both legs at once", "lower-back"),
        RedFlag("Weakness in a leg that is new or getting worse (a foot that will not do what "
                "it should), or walking that is getting worse", "lower-back"),
        RedFlag("Clumsy hands, unsteady walking, or legs that feel heavy", "neck"),
        RedFlag("Weakness in an arm or hand that is new or getting worse, or symptoms in "
                "both arms at once", "neck"),
        RedFlag("Dizziness or spinning when you move your neck together with double vision, "
                "slurred speech, a numb face or trouble swallowing", "neck"),
        RedFlag("A sudden, severe neck pain or headache that is new to you", "neck"),
    ),
    "Do you have any of these emergency signs?",
    (
        DO_NOT_STRETCH,
        "These signs need urgent care now: call emergency services or go to an emergency "
        "department.",
        HUMILITY,
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
        RedFlag("Pain in the upper or middle part of the back that is new and constant, is not "
                "eased by rest or changing position, or comes with feeling unwell or after an "
                "injury (not just a stiff upper back)"),
        RedFlag("A change in the shape of your spine that you can see"),
    ),
    "Do you have any of these signs that need a doctor today?",
    (
        DO_NOT_STRETCH,
        "See a doctor today (your GP, or an urgent care or walk-in service if you cannot get "
        "an appointment), before you stretch again.",
        HUMILITY,
    ),
)

PREGNANCY = FlagGroup(
    "pregnancy",
    "Pregnancy: stop and contact your midwife or maternity unit now",
    (
        RedFlag("Bleeding, or fluid leaking, from the vagina"),
        RedFlag("Painful contractions that come regularly"),
        RedFlag("Feeling dizzy or faint, or pain in the chest"),
        RedFlag("Pain or swelling in a calf"),
        RedFlag("A headache, or changes in your vision"),
        RedFlag("Being out of breath before you start moving"),
        RedFlag("Muscle weakness that affects your balance"),
        RedFlag("Your baby moving less than usual"),
    ),
    "Do you have any of these pregnancy warning signs?",
    (
        DO_NOT_STRETCH,
        "Stop, and contact your midwife or maternity unit now. If your baby is moving less "
        "than usual, call them today: do not wait until tomorrow.",
        HUMILITY,
    ),
)

#: Every group, in the order they are shown.
GROUPS: tuple[FlagGroup, ...] = (EMERGENCY, SAME_DAY, PREGNANCY)

def checklist_groups(pregnant: bool) -> tuple[FlagGroup, ...]:
    """The groups the pre-session checklist asks about, one ``[y/N]`` each, in
    order: emergency, same day, and pregnancy only when pregnant."""
    return (EMERGENCY, SAME_DAY, PREGNANCY) if pregnant else (EMERGENCY, SAME_DAY)


def advice_for(groups: Iterable[FlagGroup]) -> tuple[str, ...]:
    """The answer to "yes" for exactly ``groups`` (each group's own advice, the
    shared lines once), most urgent first; empty for no groups."""
    lines: list[str] = []
    for group in sorted(groups, key=lambda g: GROUPS.index(g) if g in GROUPS else len(GROUPS)):
        lines += [line for line in group.advice if line not in lines]
    if HUMILITY in lines:  # said once, last
        lines.remove(HUMILITY)
        lines.append(HUMILITY)
    return tuple(lines)


def checklist_advice(pregnant: bool = False) -> tuple[str, ...]:
    """The answer when the user says only "one of these applies" without which
    group (the older one-button checklist): every group's urgency. Prefer
    :func:`advice_for` with the groups answered "yes"."""
    return (DO_NOT_STRETCH, *(f"{g.urgency}." for g in checklist_groups(pregnant)), HUMILITY)


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
_LIMB_WORDS = {"lower-back": "leg", "neck": "arm"}


def body_words(regions: Iterable[str]) -> str:
    """What the routine worked on, for questions: "neck", "back" or "neck and back"
    (from its stretches' regions: a neck routine with upper-back stretches is
    still "neck"; an upper-back-only routine is "back")."""
    found = set(regions)
    if "neck" in found and "lower-back" in found:
        return "neck and back"
    return "neck" if "neck" in found else "back"


def stop_advice(regions: Iterable[str] = (), *, pregnant: bool = False) -> tuple[str, ...]:
    """The advice after a "symptoms spreading" stop.

    Tingling or numbness spreading down one arm or leg is not an emergency on
    its own: leave the stretch out and see a clinician soon if it does not
    settle, the same after a neck routine as after a back routine. Then the
    emergency signs, those of the routine's region first (neck and arm signs
    after a neck routine, back and leg signs after a lower-back routine, both
    when mixed), and the same-day signs, each under its own urgency.
    """
    areas = routine_areas(regions)
    limb = " or ".join(_LIMB_WORDS[a] for a in ("neck", "lower-back") if a in areas)
    paras = [
        "You stopped because symptoms were spreading. Stop stretching for now and rest "
        "in a position that eases the pain.",
        f"Tingling or numbness spreading down one {limb} during a stretch means that stretch "
        "is not right for you: leave it out until you have spoken to a clinician. If it does "
        "not settle, see a clinician soon (within a few days); on its own it is not an emergency.",
    ]
    first: list[str] = []
    for area in areas:
        first += [f.text for f in EMERGENCY.flags if f.region == area]
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
