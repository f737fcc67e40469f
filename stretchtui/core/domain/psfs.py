"""PSFS: the Patient-Specific Functional Scale, kept with the profile.

The person names up to :data:`MAX_ACTIVITIES` activities they find hard
because of their back or neck ("tie my shoelaces", "sit through a film")
and rates each from 0 (unable to do it) to 10 (able to do it as before the
problem). Re-rated over weeks, the ratings show function changing in the
person's own terms (Stratford et al. 1995; free to use and self-administered,
unlike the Oswestry index and the Neck Disability Index, which are
copyrighted and not included). It is a record for the person and their
clinician, not a diagnosis.

Rules:

* An activity is one line of text, cleaned like every name
  (:func:`~stretchtui.core.text.clean_name`), 1 to :data:`MAX_ACTIVITY_LENGTH`
  characters after cleaning. Two activities that differ only in case are the
  same activity: the second is refused.
* A score is a whole number 0-10.
* Each rating is dated (the local calendar day). Rating an activity again on
  the same day replaces that day's rating; ratings on other days are kept,
  oldest first, so the trend is one point per day.
* The app asks to re-rate once the latest rating of any activity is
  :data:`RERATE_DAYS` days old or older.

Stored in the profile as ``"psfs": [{"activity": str, "ratings": [{"date":
"YYYY-MM-DD", "score": int}, ...]}, ...]``; a profile written before PSFS
existed has no such key and reads as no activities. Unreadable entries are
dropped on reading, never raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import StretchtuiError
from ..text import clean_name

#: At most this many activities (the scale's own limit).
MAX_ACTIVITIES = 5
#: Longest activity text, in characters after cleaning.
MAX_ACTIVITY_LENGTH = 60
#: Lowest and highest score.
SCORE_MIN, SCORE_MAX = 0, 10
#: Days after the latest rating when the app asks to re-rate.
RERATE_DAYS = 7


class PsfsError(StretchtuiError, ValueError):
    """A PSFS activity or score that cannot be used (the message says why)."""


@dataclass(frozen=True)
class PsfsRating:
    """One dated score."""

    day: date
    score: int

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "score": self.score}


@dataclass(frozen=True)
class PsfsActivity:
    """One activity and its ratings, oldest first (never empty once added)."""

    activity: str
    ratings: tuple[PsfsRating, ...] = ()

    @property
    def latest(self) -> PsfsRating | None:
        return self.ratings[-1] if self.ratings else None

    @property
    def first(self) -> PsfsRating | None:
        return self.ratings[0] if self.ratings else None

    def to_dict(self) -> dict[str, Any]:
        return {"activity": self.activity, "ratings": [r.to_dict() for r in self.ratings]}


# ---------------------------------------------------------------- validation


def clean_activity(text: str) -> str:
    """``text`` as a stored activity, or :class:`PsfsError` saying what is wrong."""
    value = clean_name(text if isinstance(text, str) else "")
    if not value:
        raise PsfsError("activity: describe it in a few words, for example \"tie my shoelaces\".")
    if len(value) > MAX_ACTIVITY_LENGTH:
        raise PsfsError(
            f"activity: {len(value)} characters is too long; keep it to {MAX_ACTIVITY_LENGTH} "
            "(a few words, for example \"tie my shoelaces\")."
        )
    return value


def check_score(value: object) -> int:
    """``value`` as a score 0-10: an int, or text holding one (blanks ignored)."""
    score: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        score = value
    elif isinstance(value, str) and value.strip().isdigit():
        score = int(value.strip())
    if score is None or not SCORE_MIN <= score <= SCORE_MAX:
        shown = clean_name(str(value))[:12]
        raise PsfsError(
            f"score: {shown!r} is not a whole number from {SCORE_MIN} (unable to do it) "
            f"to {SCORE_MAX} (as before the problem)."
        )
    return score


def find(activities: Sequence[PsfsActivity], text: str) -> int | None:
    """Index of the activity named ``text`` (cleaned, case-insensitive), or None."""
    key = clean_name(text if isinstance(text, str) else "").casefold()
    for index, activity in enumerate(activities):
        if activity.activity.casefold() == key:
            return index
    return None


# ---------------------------------------------------------------- changes


def _with_rating(ratings: Sequence[PsfsRating], rating: PsfsRating) -> tuple[PsfsRating, ...]:
    kept = [r for r in ratings if r.day != rating.day]
    kept.append(rating)
    return tuple(sorted(kept, key=lambda r: r.day))


def add_activity(
    activities: Sequence[PsfsActivity], text: str, score: object, today: date
) -> tuple[PsfsActivity, ...]:
    """``activities`` with a new one rated ``score`` today (validated; see module doc)."""
    name = clean_activity(text)
    value = check_score(score)
    same = find(activities, name)
    if same is not None:
        listed = activities[same].activity
        raise PsfsError(
            f"activity: {listed!r} is already listed; rate it with: stretchtui psfs rate {_quote(listed)} SCORE"
        )
    if len(activities) >= MAX_ACTIVITIES:
        raise PsfsError(
            f"activity: the scale holds at most {MAX_ACTIVITIES} activities; "
            "remove one first (stretchtui psfs remove \"ACTIVITY\")."
        )
    return (*activities, PsfsActivity(name, (PsfsRating(today, value),)))


def rate_activity(
    activities: Sequence[PsfsActivity], text: str, score: object, today: date
) -> tuple[PsfsActivity, ...]:
    """``activities`` with ``text`` rated ``score`` today (replacing today's rating)."""
    value = check_score(score)
    index = _existing(activities, text)
    current = activities[index]
    changed = PsfsActivity(current.activity, _with_rating(current.ratings, PsfsRating(today, value)))
    return (*activities[:index], changed, *activities[index + 1:])


def remove_activity(activities: Sequence[PsfsActivity], text: str) -> tuple[PsfsActivity, ...]:
    """``activities`` without ``text`` (and its ratings)."""
    index = _existing(activities, text)
    return (*activities[:index], *activities[index + 1:])


def _existing(activities: Sequence[PsfsActivity], text: str) -> int:
    index = find(activities, text)
    if index is None:
        shown = clean_name(text if isinstance(text, str) else "")[:MAX_ACTIVITY_LENGTH]
        listed = ", ".join(repr(a.activity) for a in activities)
        hint = f"the activities are {listed}" if listed else 'add one first: stretchtui psfs add "ACTIVITY" SCORE'
        raise PsfsError(f"activity: {shown!r} is not in your PSFS list; {hint}.")
    return index


def _quote(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


# ---------------------------------------------------------------- reading


def latest_day(activities: Iterable[PsfsActivity]) -> date | None:
    """The day of the most recent rating of any activity (None: none rated)."""
    days = [a.latest.day for a in activities if a.latest is not None]
    return max(days) if days else None


def needs_rerate(activities: Sequence[PsfsActivity], today: date) -> bool:
    """True when there are activities and the latest rating is :data:`RERATE_DAYS` days old or more."""
    last = latest_day(activities)
    return last is not None and (today - last).days >= RERATE_DAYS


def from_list(data: object) -> tuple[PsfsActivity, ...]:
    """Activities from the stored list (tolerant: unreadable entries are dropped)."""
    if not isinstance(data, list):
        return ()
    out: list[PsfsActivity] = []
    for entry in data:
        if not isinstance(entry, dict) or len(out) >= MAX_ACTIVITIES:
            continue
        try:
            name = clean_activity(entry.get("activity", ""))
        except PsfsError:
            continue
        if find(out, name) is not None:
            continue
        # One rating a day, the last given for that day winning (as _with_rating does one at a
        # time), then one sort: linear in the ratings, not one copy of the list per rating.
        by_day: dict[date, PsfsRating] = {}
        raw = entry.get("ratings")
        for item in raw if isinstance(raw, list) else []:
            rating = _rating(item)
            if rating is not None:
                by_day.pop(rating.day, None)
                by_day[rating.day] = rating
        out.append(PsfsActivity(name, tuple(sorted(by_day.values(), key=lambda r: r.day))))
    return tuple(out)


def _rating(item: object) -> PsfsRating | None:
    if not isinstance(item, dict):
        return None
    score, day = item.get("score"), item.get("date")
    if isinstance(score, bool) or not isinstance(score, int) or not SCORE_MIN <= score <= SCORE_MAX:
        return None
    if not isinstance(day, str) or len(day) != 10:
        return None
    try:
        return PsfsRating(date.fromisoformat(day), score)
    except ValueError:
        return None


def to_list(activities: Iterable[PsfsActivity]) -> list[dict[str, Any]]:
    """The stored (and ``stretchtui psfs --json``) form of ``activities``."""
    return [a.to_dict() for a in activities]


# ---------------------------------------------------------------- merging


def merge(
    mine: Sequence[PsfsActivity], incoming: Sequence[PsfsActivity]
) -> tuple[tuple[PsfsActivity, ...], int, list[str]]:
    """``mine`` with the ratings of ``incoming`` added (a history file's PSFS, on import).

    An activity already listed (same text, any case) gains the incoming
    ratings of days it has no rating for; on a day it has, its own rating is
    kept. A new activity is added while the list has room
    (:data:`MAX_ACTIVITIES`). Returns the merged list, how many ratings were
    added, and the activities left out for want of room.
    """
    out = list(mine)
    added = 0
    left_out: list[str] = []
    for activity in incoming:
        index = find(out, activity.activity)
        if index is None:
            if len(out) >= MAX_ACTIVITIES:
                left_out.append(activity.activity)
            else:
                out.append(activity)  # its ratings are already one a day, oldest first
                added += len(activity.ratings)
            continue
        current = out[index]
        days = {r.day for r in current.ratings}
        new = [r for r in activity.ratings if r.day not in days]  # a day rated here keeps its own rating
        if new:  # one sort for all of them (a file may hold years of daily ratings)
            out[index] = PsfsActivity(current.activity, tuple(sorted((*current.ratings, *new), key=lambda r: r.day)))
            added += len(new)
    return tuple(out), added, left_out
