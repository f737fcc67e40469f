"""Rules for a session, and what to say about the pain scores.

Our wording of the clinical reference's "During a session" and "Flare"
sections:

- :data:`SESSION_RULES` in full (the first-run notice), :data:`RULES_LINE`
  (the checklist and ``--plain``) and :data:`RULES_SHORT` (the player's
  get-ready step);
- :func:`stretch_rules` gives the rules that apply to one stretch (the
  centralization rule on lumbar-extension stretches, the light-tension rule
  on nerve glides), shown with its cues while it is done;
- :func:`pain_answer` answers the pain scores entered before and after a
  session: high pain before suggests a gentler routine and a clinician, pain
  that rose by :data:`RISE_FLAG` or more says what to do and flags the
  session (:data:`PAIN_FLAG_KEY` in the session document).

Pure; no UI imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: Pain before a session at or above this suggests a gentler routine and a clinician.
HIGH_BEFORE = 7
#: Pain after higher than before by this much or more flags the session.
RISE_FLAG = 2
#: Key added to the session document when the pain rose (value :data:`PAIN_ROSE`).
PAIN_FLAG_KEY = "pain_flag"
PAIN_ROSE = "rose"

#: The rules in one line (the checklist, plain mode's start).
RULES_LINE = (
    "keep any pain at about 3/10 or less; move slowly, no bouncing; "
    "symptoms spreading down an arm or leg mean stop (x)."
)
#: The same, short enough for the player's get-ready step.
RULES_SHORT = "Pain at most 3/10 · slowly, no bouncing · spreading: stop (x)."

#: The rules in full (help, README).
SESSION_RULES: tuple[str, ...] = (
    "Mild discomfort is fine; pain during a stretch should stay at about 3 out of 10 or less.",
    "Symptoms moving back toward the spine (centralizing) are fine, even if the back itself hurts a little more.",
    "Symptoms spreading down an arm or a leg, or new numbness, tingling or weakness: stop that stretch.",
    "Move slowly and smoothly; no bouncing.",
    "Nerve glides: light tension only, and no extra repetitions.",
)

#: On lumbar-extension stretches (short: the player shows it first, with the cues).
CENTRALIZING_RULE = "Pain moving toward the spine is fine, even if the back aches more; spreading into a leg: stop."
#: On nerve glides.
GLIDE_RULE = "Nerve glide: light tension only, and no extra repetitions."


def stretch_rules(stretch: Any) -> tuple[str, ...]:
    """The session rules that apply to ``stretch`` (by its movements), minus
    any its own cues already say."""
    movements = set(getattr(stretch, "movements", ()) or ())
    rules: list[str] = []
    if "lumbar-extension" in movements:
        rules.append(CENTRALIZING_RULE)
    if "neural-glide" in movements:
        rules.append(GLIDE_RULE)
    own = " ".join(getattr(stretch, "cues", ()) or ()).casefold()
    return tuple(r for r in rules if r.casefold() not in own)


def work_cues(stretch: Any, profile: Any = None) -> tuple[str, ...]:
    """What to show while ``stretch`` is being done: its rules, then its cues.

    ``profile`` (optional) lets a caution shape the cues: a compound stretch
    whose one half is cautioned for the user cues only the other half (the
    advice gate fills this in; today the cues are the stretch's own).
    """
    return (*stretch_rules(stretch), *(getattr(stretch, "cues", ()) or ()))


def session_caution(stretch: Any, profile: Any) -> str | None:
    """The one-line instruction to show during ``stretch`` for ``profile``
    (e.g. "Osteoporosis: leave the rounding out"), or ``None``.

    Both players show it while the stretch is done. Seam for the advice gate:
    it returns ``None`` until the gate's caution texts land.
    """
    return None


@dataclass(frozen=True)
class PainAnswer:
    """What to tell the user about their scores; ``flag`` goes in the session."""

    lines: tuple[str, ...] = ()
    flag: str | None = None

    def __bool__(self) -> bool:
        return bool(self.lines)


HIGH_BEFORE_TEXT = (
    "Pain {before}/10 before you started: at 7 or more, choose a gentler routine "
    "(such as \"Flare: gentle relief\") and talk to a clinician about the pain."
)
ROSE_TEXT = (
    "Pain went from {before} to {after}/10: back off next time (fewer stretches, shorter holds). "
    "A flare that settles within 24 hours is acceptable; pain that builds over the next days, "
    "or any red flag: see a clinician. Marked in your history."
)


def pain_answer(before: int | None, after: int | None) -> PainAnswer:
    """The answer to the pain scores (either may be ``None``)."""
    lines: list[str] = []
    flag = None
    if before is not None and before >= HIGH_BEFORE:
        lines.append(HIGH_BEFORE_TEXT.format(before=before))
    if before is not None and after is not None and after - before >= RISE_FLAG:
        lines.append(ROSE_TEXT.format(before=before, after=after))
        flag = PAIN_ROSE
    return PainAnswer(tuple(lines), flag)


#: Shown in the History detail of a flagged session.
PAIN_FLAG_TEXT = (
    "Pain rose by 2 or more during this session. Back off next time; a flare that settles within "
    "24 hours is acceptable, pain that builds over days or any red-flag sign: see a clinician."
)


def pain_flagged(doc: Mapping[str, Any]) -> bool:
    """True when the session document carries the "pain rose" flag."""
    return doc.get(PAIN_FLAG_KEY) == PAIN_ROSE
