"""Rules for a session, and what to say about the pain scores.

Our wording of the clinical reference's "During a session" and "Flare"
sections:

- :data:`SESSION_RULES` in full (the first-run notice), :data:`RULES_LINE`
  (the checklist and ``--plain``) and :data:`RULES_SHORT` (the player's
  get-ready step);
- :func:`stretch_rules` gives the rules that apply to one stretch (the
  centralization rule on lumbar-extension stretches, the light-tension rule
  on nerve glides), shown with its cues while it is done;
- :func:`session_caution` gives the one line a stretch's caution asks of the
  user while it is done ("Osteoporosis: leave the rounding out; ..."), from
  the catalog cautions' ``cue`` (plus the flare rule and lying down in
  pregnancy); :func:`work_cues` and :func:`session_breathing` make a compound
  stretch's cues follow it (cat-cow with osteoporosis cues only the arch);
- :func:`pain_answer` answers the pain scores entered before and after a
  session: high pain before suggests a gentler routine and a clinician; pain
  after at 7 or more, or at 5 or more and higher than before, or 2 or more
  above before, says what to do now and when to see a clinician, and flags the
  session (:data:`PAIN_FLAG_KEY` in the session document: ``"high"`` or
  ``"rose"``), which History marks.

Pure; no UI imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# The rules (and the clinical table) are loaded when a stretch's cue is asked for: the first-run
# notice, a new user's first screen, shows only SESSION_RULES.

#: Pain before a session at or above this suggests a gentler routine and a clinician.
HIGH_BEFORE = 7
#: Pain after higher than before by this much or more flags the session.
RISE_FLAG = 2
#: Key added to the session document when the pain rose (value :data:`PAIN_ROSE`).
PAIN_FLAG_KEY = "pain_flag"
PAIN_ROSE = "rose"
#: Key added to a session document played past an avoid warning ("Play anyway", ``--yes``):
#: the stretch ids that had one (:func:`.rules.avoid_ids`). Absent otherwise.
AVOID_PLAYED_KEY = "avoid_played"

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


def _condition_label(condition: str) -> str:
    """"Spinal stenosis" from ``spinal-stenosis`` (the player has no catalog at hand)."""
    return condition.replace("-", " ").capitalize()


#: The words a compound stretch's halves go by in its cues and breathing ("round", "arch").
_HALF_WORDS: dict[str, tuple[str, ...]] = {
    "lumbar-flexion": ("rounding", "round"),
    "lumbar-extension": ("arching", "arch"),
}
#: The breathing word for a half done small, or left out (back to a flat back).
_SMALL_WORD = {"lumbar-flexion": "small round", "lumbar-extension": "small arch"}
_OUT_WORD = "back to flat"
#: What the flare rule asks of a stretch it puts out, if the user plays it anyway.
FLARE_CUE = "best left out today; if you do it, keep it very small"
#: What lying down asks in pregnancy (clinical.md "Pregnancy positions").
_POSITION_CUES = {
    ("supine", "pregnancy"): "short holds, upper body raised on pillows",
    ("prone", "pregnancy"): "best left out (lying on your front)",
}


def _conditions(profile: Any) -> tuple[tuple[str, ...], bool]:
    if profile is None:
        return (), False
    return tuple(getattr(profile, "conditions", ()) or ()), bool(getattr(profile, "flare", False))


def half_actions(stretch: Any, profile: Any) -> dict[str, str]:
    """For a compound stretch (cat-cow), how each cautioned half is done for ``profile``:
    ``{"lumbar-flexion": "out"}`` (leave the rounding out) or ``"small"`` (keep it small).

    Read from the catalog caution's cue ("leave the rounding out", "keep the arch
    small"), the instruction a physiotherapist wrote for that condition; "out"
    wins over "small" when two conditions disagree.
    """
    if not getattr(stretch, "compound", False):
        return {}
    conditions, _flare = _conditions(profile)
    out: dict[str, str] = {}
    for condition in conditions:
        caution = stretch.caution_for(condition)
        if caution is None or not caution.cue:
            continue
        first = caution.cue.split(";")[0].casefold()
        for movement, words in _HALF_WORDS.items():
            if movement not in stretch.movements or not any(w in first for w in words):
                continue
            if first.startswith("leave") and first.endswith("out"):
                out[movement] = "out"
            elif "small" in first and out.get(movement) != "out":
                out[movement] = "small"
    return out


def session_breathing(stretch: Any, profile: Any = None) -> Any:
    """The breathing cue (a :class:`~.models.Breathing`) for ``stretch`` as ``profile``
    should do it: a compound stretch's half that is left out becomes "back to flat",
    one kept small "small arch"; otherwise the catalog's own (``None`` when it has none)."""
    from dataclasses import replace

    breathing = getattr(stretch, "breathing", None)
    actions = half_actions(stretch, profile)
    if breathing is None or not actions:
        return breathing
    words = {"inhale": breathing.inhale, "exhale": breathing.exhale}
    for key, word in words.items():
        for movement, action in actions.items():
            if word in _HALF_WORDS[movement]:
                words[key] = _OUT_WORD if action == "out" else _SMALL_WORD[movement]
    return replace(breathing, inhale=words["inhale"], exhale=words["exhale"])


def work_cues(stretch: Any, profile: Any = None) -> tuple[str, ...]:
    """What to show while ``stretch`` is being done: its rules, then its cues.

    With ``profile``, a compound stretch's cues follow the caution: a half that
    is left out for the user (cat-cow's rounding with osteoporosis) is not cued;
    the breathing line names the half that is left ("Breathe in as you arch,
    out as you come back to a flat back"). A half kept small keeps its cues;
    :func:`session_caution` says how small.
    """
    cues = tuple(getattr(stretch, "cues", ()) or ())
    actions = half_actions(stretch, profile)
    out_words = [w for m, a in actions.items() if a == "out" for w in _HALF_WORDS[m]]
    if out_words:
        kept = tuple(c for c in cues if not any(w in c.casefold() for w in out_words))
        breathing = getattr(stretch, "breathing", None)
        lead: tuple[str, ...] = ()
        kept_halves = [m for m in _HALF_WORDS if m in stretch.movements and actions.get(m) != "out"]
        if breathing is not None and kept_halves:
            half = kept_halves[0]
            word = next(w for w in (breathing.inhale, breathing.exhale) if w in _HALF_WORDS[half])
            breath = "in" if word == breathing.inhale else "out"
            verb = f"{word} a little" if actions.get(half) == "small" else word
            back = "out" if breath == "in" else "in"
            lead = (f"Breathe {breath} as you {verb}, {back} as you come back to a flat back.",)
        cues = (*lead, *kept)
    return (*stretch_rules(stretch), *cues)


def session_caution(stretch: Any, profile: Any) -> str | None:
    """The one-line instruction to show during ``stretch`` for ``profile``
    (e.g. "Osteoporosis: leave the rounding out; arch gently, then back to flat"),
    or ``None`` when the stretch has no caution or avoid for the user.

    From the catalog cautions' ``cue`` for the user's conditions (most serious
    first; conditions with the same instruction share it: "Disc herniation,
    sciatica: ..."), the flare rule when the user is in a flare, and lying down
    in pregnancy. Both players show it while the stretch is done.
    """
    conditions, flare = _conditions(profile)
    if stretch is None or not conditions:
        return None
    from . import rules
    from .clinical import position_cell

    found: list[tuple[int, str, str]] = []  # (rank, condition, cue)
    rank = {"caution": 1, "avoid": 2}
    for condition in conditions:
        if flare and rules._flare_finding(stretch, condition) is not None:
            found.append((3, condition, FLARE_CUE))
            continue
        caution = stretch.caution_for(condition)
        if caution is not None:
            found.append((rank.get(caution.level, 1), condition, caution.cue or caution.reason))
        cell = position_cell(getattr(stretch, "position", ""), condition)
        cue = _POSITION_CUES.get((getattr(stretch, "position", ""), condition))
        if cell and cue:
            found.append((2 if cell == "X" else 1, condition, cue))
    if not found:
        return None
    found.sort(key=lambda f: -f[0])
    per_condition: dict[str, list[str]] = {}
    for _rank, condition, cue in found:
        cues = per_condition.setdefault(condition, [])
        if cue not in cues:
            cues.append(cue)
    by_text: dict[str, list[str]] = {}  # conditions with the same instruction share it
    for condition, cues in per_condition.items():
        by_text.setdefault("; ".join(cues), []).append(condition)
    parts = []
    for text, conds in by_text.items():
        label = ", ".join(_condition_label(c) if i == 0 else c.replace("-", " ") for i, c in enumerate(conds))
        parts.append(f"{'In a flare' if text == FLARE_CUE else label}: {text}")
    return " · ".join(parts)


@dataclass(frozen=True)
class PainAnswer:
    """What to tell the user about their scores; ``flag`` goes in the session."""

    lines: tuple[str, ...] = ()
    flag: str | None = None

    def __bool__(self) -> bool:
        return bool(self.lines)


HIGH_BEFORE_TEXT = (
    "Pain {before}/10 before you started: at 7 or more, choose a gentler routine "
    "(such as \"{routine}\") and talk to a clinician about the pain."
)
HIGH_BEFORE_PLAIN = (
    "Pain {before}/10 before you started: at 7 or more, choose a gentler routine "
    "(fewer stretches, the lowest doses) and talk to a clinician about the pain."
)
#: The flare routine the high-pain answer names when the caller does not pick one.
DEFAULT_FLARE_ROUTINE = "Flare: gentle relief"
ROSE_TEXT = (
    "Pain went from {before} to {after}/10: back off next time (fewer stretches, shorter holds). "
    "A flare that settles within 24 hours is acceptable; pain that builds over the next days, "
    "or any red flag: see a clinician. Marked in your history."
)
#: Pain after at or above this is answered (and flagged) whatever it was before.
HIGH_AFTER = 7
#: Pain after at or above this, and higher than before, is answered (and flagged).
RAISED_AFTER = 5
HIGH_AFTER_TEXT = (
    "Pain {after}/10 after the session: stop stretching for today and rest in a position that "
    "eases it; a short, easy walk can help. If it has not settled by tomorrow, or it builds over "
    "the next days, see a clinician (sooner with any red flag). Marked in your history."
)
RAISED_TEXT = (
    "Pain {after}/10 after, up from {before}: rest for today and back off next time (fewer "
    "stretches, shorter holds). If it has not eased within 24 hours, or it builds over the next "
    "days, see a clinician. Marked in your history."
)
#: Flag value for pain after at 7 or more.
PAIN_HIGH = "high"


def pain_answer(
    before: int | None, after: int | None, *, flare_routine: str | None = DEFAULT_FLARE_ROUTINE
) -> PainAnswer:
    """The answer to the pain scores (either may be ``None``).

    Before at 7 or more: a gentler routine (``flare_routine``: the one
    :func:`.rules.flare_starter` picks for the user, e.g. ``FlareVersion.instead``;
    ``None`` when none suits them: no routine is named) and a clinician. After, one answer, the first
    that applies: 7 or more (stop for today, when to see a clinician; flag
    ``"high"``); 5 or more and higher than before (rest, back off, when to see a
    clinician; flag ``"rose"``); 2 or more above before (back off; flag
    ``"rose"``). A flagged session is marked in History.
    """
    lines: list[str] = []
    flag = None
    if before is not None and before >= HIGH_BEFORE:
        lines.append(HIGH_BEFORE_TEXT.format(before=before, routine=flare_routine) if flare_routine
                     else HIGH_BEFORE_PLAIN.format(before=before))
    if after is not None and after >= HIGH_AFTER:
        lines.append(HIGH_AFTER_TEXT.format(after=after))
        flag = PAIN_HIGH
    elif before is not None and after is not None and after >= RAISED_AFTER and after > before:
        lines.append(RAISED_TEXT.format(before=before, after=after))
        flag = PAIN_ROSE
    elif before is not None and after is not None and after - before >= RISE_FLAG:
        lines.append(ROSE_TEXT.format(before=before, after=after))
        flag = PAIN_ROSE
    return PainAnswer(tuple(lines), flag)


#: Shown in the History detail of a flagged session.
PAIN_FLAG_TEXT = (
    "Pain after this session was high (7/10 or more) or rose. Rest, and back off next time; a flare "
    "that settles within 24 hours is acceptable, pain that builds over days or any red-flag sign: "
    "see a clinician."
)


def pain_flagged(doc: Mapping[str, Any]) -> bool:
    """True when the session document carries a pain flag ("rose" or "high")."""
    return doc.get(PAIN_FLAG_KEY) in (PAIN_ROSE, PAIN_HIGH)
