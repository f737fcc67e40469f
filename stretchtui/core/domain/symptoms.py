"""Symptom memory: the stretches a session says made symptoms spread.

clinical.md ("Measuring progress"): a stretch that made symptoms spread
stays out until a clinician has seen the person, and no look-alike is
offered in its place. A session marks a stretch when

* its item was answered *spreading* (symptoms moving down an arm or leg, new
  numbness, tingling or weakness): ``how`` is ``"spreading"``;
* it ended as a symptom stop (``x``, status ``symptoms``) with no item
  answered *spreading*: the stretch it stopped in is marked, ``how`` is
  ``"stop"``. That stretch is the item the document names in ``stop_item``
  (a 0-based routine item index, written by the player), else the last
  item with any work step done or skipped, else the first item.

The store adds the marks of every session it records (played or imported:
:meth:`Store.append_session`, :meth:`Store.update_session` with the marks
the change adds, :meth:`Store.import_sessions`) to the profile, where they
stay until the user clears them (``stretchtui symptoms clear``, or the
Profile screen). While marked, a stretch gets an avoid-level warning (rule
``symptoms``) everywhere the safety rules run, is never progressed, and is
never offered by the advice gate.

Pure; no UI imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

#: How a mark came: an answer after the stretch, or the ``x`` stop during it.
HOWS: tuple[str, ...] = ("spreading", "stop")
#: The words for each, after the stretch's name ("Symptoms spread after Knee to Chest").
HOW_WORDS = {
    "spreading": "answered 'symptoms spreading' after it",
    "stop": "stopped the session in it (x: symptoms spreading)",
}
#: The session document key naming the item a symptom stop happened in.
STOP_ITEM_KEY = "stop_item"


@dataclass(frozen=True)
class SymptomMark:
    """One marked stretch: its id, the ISO date of the session, and how."""

    stretch: str
    date: str
    how: str = "spreading"

    def to_dict(self) -> dict:
        return {"stretch": self.stretch, "date": self.date, "how": self.how}

    @classmethod
    def from_dict(cls, data: Any) -> SymptomMark | None:
        """A mark from a stored dict; None when it is not one (bad values are dropped)."""
        if not isinstance(data, Mapping):
            return None
        stretch, when, how = data.get("stretch"), data.get("date"), data.get("how", "spreading")
        if not isinstance(stretch, str) or not stretch or len(stretch) > 100 or how not in HOWS:
            return None
        if not isinstance(when, str):
            return None
        try:
            date.fromisoformat(when)
        except ValueError:
            return None
        return cls(stretch, when, how)


def marks_from_list(value: Any) -> tuple[SymptomMark, ...]:
    """The marks stored in a profile (a list of dicts), one per stretch, sorted by id."""
    if not isinstance(value, (list, tuple)):
        return ()
    found = (SymptomMark.from_dict(d) for d in value)
    return merge((), (m for m in found if m is not None))


def merge(old: Iterable[SymptomMark], new: Iterable[SymptomMark]) -> tuple[SymptomMark, ...]:
    """``old`` with ``new`` added: one mark per stretch (the later date wins), sorted by stretch id."""
    out: dict[str, SymptomMark] = {}
    for mark in (*old, *new):
        have = out.get(mark.stretch)
        if have is None or mark.date >= have.date:
            out[mark.stretch] = mark
    return tuple(out[k] for k in sorted(out))


def _day(doc: Mapping[str, Any], today: str) -> str:
    for key in ("started", "ended"):
        value = doc.get(key)
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value).date().isoformat()
            except ValueError:
                continue
    return today


def _work(item: Mapping[str, Any]) -> bool:
    for key in ("done", "skipped"):
        counts = item.get(key)
        if isinstance(counts, Mapping) and any(
            isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in counts.values()
        ):
            return True
    return False


def stop_index(doc: Mapping[str, Any]) -> int | None:
    """The routine item a symptom stop (status ``symptoms``) happened in; None for other sessions."""
    if doc.get("status") != "symptoms":
        return None
    items = doc.get("items")
    if not isinstance(items, list) or not items:
        return None
    named = doc.get(STOP_ITEM_KEY)
    if isinstance(named, int) and not isinstance(named, bool) and 0 <= named < len(items):
        return named
    reached = [i for i, item in enumerate(items) if isinstance(item, Mapping) and _work(item)]
    return reached[-1] if reached else 0


def marks_in(doc: Any, today: str) -> tuple[SymptomMark, ...]:
    """The marks one session document makes (see the module docstring); ``today`` dates an undated one."""
    if not isinstance(doc, Mapping):
        return ()
    items = doc.get("items")
    if not isinstance(items, list):
        return ()
    day = _day(doc, today)
    out: list[SymptomMark] = []
    for item in items:
        if isinstance(item, Mapping) and item.get("response") == "spreading" and isinstance(item.get("stretch"), str):
            out.append(SymptomMark(item["stretch"], day, "spreading"))
    if not out:
        index = stop_index(doc)
        if index is not None:
            item = items[index]
            if isinstance(item, Mapping) and isinstance(item.get("stretch"), str):
                out.append(SymptomMark(item["stretch"], day, "stop"))
    return merge((), out)


def new_marks(before: Any, after: Any, today: str) -> tuple[SymptomMark, ...]:
    """The marks ``after`` makes that ``before`` (the same session earlier) did not.

    An update of a session adds only what the change brought (a note edited
    later never brings back a mark the user cleared).
    """
    had = {(m.stretch, m.how) for m in marks_in(before, today)}
    return tuple(m for m in marks_in(after, today) if (m.stretch, m.how) not in had)


def describe(mark: SymptomMark, name: str) -> str:
    """"Symptoms spread with Knee to Chest on 2026-03-04": one line for a mark."""
    return f"Symptoms spread with {name} on {mark.date}"


def how_sentence(mark: SymptomMark) -> str:
    """"On 2026-03-04 you answered 'symptoms spreading' after it.": how the mark came."""
    return f"On {mark.date} you {HOW_WORDS.get(mark.how, mark.how)}."


#: What to do about a marked stretch (check, the play gate, suggest): no substitute is named.
ADVICE = (
    "Leave it out and see a clinician; no similar stretch is offered in its place. "
    "Once a clinician has seen you, clear the mark with `stretchtui symptoms clear` "
    "or in the Profile screen."
)


def stop_item_at(steps: Any, index: int, outcomes: Any) -> int | None:
    """The routine item a symptom stop at step ``index`` is about (for ``stop_item``).

    The item of that step; during a get-ready (nothing of that item done
    yet) the item worked on before it, since the symptoms came from what
    was done.
    """
    if not steps:
        return None
    index = min(max(index, 0), len(steps) - 1)
    step = steps[index]
    if step.kind == "get-ready":
        for before in range(index - 1, -1, -1):
            if steps[before].is_work and outcomes[before] is not None:
                return int(steps[before].item)
    return int(step.item)
