"""History figures from fixed session documents (pure core, no store, no UI)."""

from __future__ import annotations

from datetime import date

import pytest

from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.session import Session
from stretchtui.core.reports import history as h


def item(stretch="knee-to-chest", name="Knee to Chest", hold=20, sides="each", done=None, skipped=None):
    if done is None:
        done = {"left": 3, "right": 3} if sides == "each" else {"both": 3}
    if skipped is None:
        skipped = {k: 0 for k in done}
    return {"stretch": stretch, "name": name, "mode": "hold", "hold": hold, "reps": 3,
            "sides": sides, "rest": 10, "done": done, "skipped": skipped}


def session(started, *, routine="Morning", status="completed", counted=True, active=600.0,
            items=None, before=None, after=None, stop_reason=None, note=""):
    items = [item()] if items is None else items
    done = sum(sum(i["done"].values()) for i in items)
    skipped = sum(sum(i["skipped"].values()) for i in items)
    return {"schema": 1, "routine": routine, "started": started, "ended": None, "status": status,
            "counted": counted, "stop_reason": stop_reason, "active_seconds": active,
            "planned_seconds": 600, "items": items, "steps_done": done, "steps_skipped": skipped,
            "steps_total": done + skipped, "pain_before": before, "pain_after": after, "note": note}


TODAY = date(2026, 3, 10)  # a Tuesday


# ---------------------------------------------------------------- dates and counting


def test_session_day_is_local_date_of_its_own_offset():
    # 23:30 in New York is already the next day in UTC: the user's day is the 2nd.
    doc = session("2026-03-02T23:30:00-05:00")
    assert h.session_date(Session.from_doc(doc)) == date(2026, 3, 2)
    # 00:30 in Tokyo is still the previous day in UTC: the user's day is the 3rd.
    assert h.session_date(Session.from_doc(session("2026-03-03T00:30:00+09:00"))) == date(2026, 3, 3)


def test_session_across_midnight_belongs_to_the_day_it_started():
    doc = session("2026-03-02T23:50:00+01:00")
    doc["ended"] = "2026-03-03T00:20:00+01:00"
    assert h.session_date(Session.from_doc(doc)) == date(2026, 3, 2)
    assert h.counted_days([doc]) == {date(2026, 3, 2)}


@pytest.mark.parametrize(
    "status, counted, done, expected",
    [
        ("completed", True, 6, True),
        ("stopped", True, 2, True),      # stopped early, user kept it
        ("stopped", False, 2, False),    # user said do not count it
        ("stopped", True, 0, False),     # nothing done
        ("symptoms", True, 1, True),     # stopping for symptoms is right, day kept
        ("running", True, 4, False),     # app died mid-session
        ("interrupted", True, 4, False), # terminal went away
        ("completed", False, 6, False),  # counted false always wins
    ],
)
def test_which_sessions_count(status, counted, done, expected):
    items = [item(done={"left": done, "right": 0}, skipped={"left": 0, "right": 0})]
    doc = session("2026-03-02T08:00:00+00:00", status=status, counted=counted, items=items)
    assert h.is_counted(Session.from_doc(doc)) is expected


def test_malformed_documents_are_tolerated():
    docs = [{"routine": 5}, {"started": "not a date"}, {"started": "2026-03-02T08:00:00"},
            session("2026-03-02T08:00:00+00:00")]
    stats = h.compute_stats(docs, TODAY)
    assert stats.total == 4
    assert stats.counted == 1
    assert h.routine_name(Session.from_doc(docs[0])) == "Untitled routine"  # the one name of an unnamed routine everywhere


# ---------------------------------------------------------------- streaks


def test_streaks_with_gaps_timezones_and_unfinished_sessions():
    docs = [
        # a 3-day run: Feb 20, 21, 22
        session("2026-02-20T08:00:00+00:00"),
        session("2026-02-21T22:00:00-08:00"),   # UTC Feb 22, local Feb 21
        session("2026-02-22T07:00:00+09:00"),   # UTC Feb 21, local Feb 22
        # gap on Feb 23 (only an interrupted session and a not-counted stop)
        session("2026-02-23T08:00:00+00:00", status="interrupted"),
        session("2026-02-23T09:00:00+00:00", status="stopped", counted=False),
        # a 2-day run ending yesterday (Mar 8, 9); today has nothing yet
        session("2026-03-08T23:55:00+00:00"),
        session("2026-03-09T12:00:00+00:00", status="symptoms", stop_reason="symptoms",
                items=[item(done={"left": 1, "right": 0}, skipped={"left": 0, "right": 0})]),
    ]
    assert h.current_streak(docs, TODAY) == 2          # still alive until today ends
    assert h.longest_streak(docs) == 3
    assert h.current_streak(docs, date(2026, 3, 11)) == 0   # a whole missed day breaks it
    docs.append(session("2026-03-10T06:00:00+00:00"))
    assert h.current_streak(docs, TODAY) == 3


def test_no_sessions_no_streak():
    assert h.current_streak([], TODAY) == 0
    assert h.longest_streak([]) == 0


# ---------------------------------------------------------------- minutes


def test_weekly_minutes_monday_weeks_this_week_last():
    docs = [
        session("2026-03-09T08:00:00+00:00", active=600),   # Mon this week
        session("2026-03-10T08:00:00+00:00", active=300),   # Tue this week (today)
        session("2026-03-08T23:30:00-03:00", active=120),   # Sun last week (local)
        session("2026-03-02T08:00:00+00:00", status="running", active=90),   # unfinished: time still spent
        session("2026-03-03T08:00:00+00:00", status="stopped", counted=False, active=999),  # not counted
        session("2025-12-01T08:00:00+00:00", active=6000),  # outside 12 weeks
    ]
    weekly = h.weekly_minutes(docs, TODAY, 12)
    assert len(weekly) == 12
    assert weekly[-1] == (date(2026, 3, 9), 15.0)
    assert weekly[-2] == (date(2026, 3, 2), 3.5)
    assert weekly[0][0] == date(2025, 12, 22)
    assert sum(m for _, m in weekly[:-2]) == 0


def test_heatmap_grid_and_levels():
    docs = [session("2026-03-09T08:00:00+00:00", active=25 * 60),
            session("2026-03-01T08:00:00+00:00", active=3 * 60)]
    heat = h.heatmap(docs, TODAY, 16)
    assert len(heat.columns) == 16 and all(len(c) == 7 for c in heat.columns)
    assert heat.first == date(2025, 11, 24) and heat.first.weekday() == 0
    last = heat.columns[-1]
    assert last[0] == 25.0 and last[1] == 0.0 and last[2] is None   # Wed onwards is the future
    assert heat.columns[-3][6] == 3.0   # Sunday Mar 1 ends the week of Feb 23
    assert [h.heat_level(m) for m in (None, 0, 1, 5, 12, 25)] == [0, 0, 1, 2, 3, 4]


# ---------------------------------------------------------------- pain, adherence


def test_pain_trend_oldest_first_only_sessions_with_pain():
    docs = [session("2026-03-05T08:00:00+00:00", before=4, after=2),
            session("2026-03-01T08:00:00+00:00", before=6, after=None),
            session("2026-03-03T08:00:00+00:00")]
    trend = h.pain_trend(docs)
    assert [(p.before, p.after) for p in trend] == [(6, None), (4, 2)]


def test_adherence_per_stretch_and_side_with_partial_sessions():
    docs = [
        session("2026-03-01T08:00:00+00:00", items=[
            item(done={"left": 3, "right": 2}, skipped={"left": 0, "right": 1}),
            item("cat-cow", "Cat-Cow", hold=5, sides="none", done={"both": 10}, skipped={"both": 0}),
        ]),
        # unfinished: only part of the first item reached, second never reached
        session("2026-03-02T08:00:00+00:00", status="interrupted", items=[
            item(done={"left": 1, "right": 0}, skipped={"left": 0, "right": 0}),
            item("cat-cow", "Cat-Cow", hold=5, sides="none", done={"both": 0}, skipped={"both": 0}),
        ]),
    ]
    rows = {r.stretch: r for r in h.adherence(docs)}
    k = rows["knee-to-chest"]
    assert k.done == {"left": 4, "right": 2} and k.skipped == {"left": 0, "right": 1}
    assert k.sessions == 2
    assert k.hold_seconds == 6 * 20
    # done out of planned (3 reps x 2 sides in each session), not out of done + skipped:
    # the interrupted session never reached 5 of its 6 steps
    assert k.planned == 12 and k.percent == 50
    c = rows["cat-cow"]
    assert c.done == {"both": 10} and c.hold_seconds == 50 and c.sides == ["both"]
    assert h.adherence(docs)[0].stretch == "cat-cow"   # most done first


def test_filter_by_routine_and_date_range():
    docs = [session("2026-03-01T08:00:00+00:00", routine="Morning"),
            session("2026-03-05T08:00:00+00:00", routine="evening [b]x[/b]"),
            session("2026-03-09T23:30:00-05:00", routine="Morning")]
    assert len(h.filter_sessions(docs, routine="morning")) == 2
    assert len(h.filter_sessions(docs, routine="evening [b]x[/b]")) == 1
    start = h.range_start(TODAY, 7)
    assert start == date(2026, 3, 4)
    assert [h.session_date(d) for d in h.filter_sessions(docs, start=start, end=TODAY)] == [
        date(2026, 3, 5), date(2026, 3, 9)]
    assert h.routine_names(docs) == ["evening [b]x[/b]", "Morning"]


def test_custom_date_range_is_parsed_and_checked():
    assert h.parse_date_range(" 2026-02-01", "2026-03-15 ") == (date(2026, 2, 1), date(2026, 3, 15))
    assert h.parse_date_range("2026-03-05", "2026-03-05") == (date(2026, 3, 5), date(2026, 3, 5))
    assert h.parse_date_range("2026-03-01", "2027-01-01")[1] == date(2027, 1, 1)   # the future is allowed
    with pytest.raises(h.DateRangeError, match=r"From .*is after To"):
        h.parse_date_range("2026-03-15", "2026-02-01")
    for bad_from, bad_to, field in (("2026-2-1", "2026-03-01", "From"), ("2026-02-30", "2026-03-01", "From"),
                                    ("2026-02-01", "yesterday", "To"), ("", "2026-03-01", "From")):
        with pytest.raises(h.DateRangeError, match=f"^{field}: .*YYYY-MM-DD"):
            h.parse_date_range(bad_from, bad_to)
    assert h.range_label(date(2026, 2, 1), date(2026, 3, 15)) == "2026-02-01 → 2026-03-15"
    # The range then narrows the list the same way presets do (both days included).
    docs = [session("2026-02-28T08:00:00+00:00"), session("2026-03-01T23:30:00-05:00"),
            session("2026-03-05T08:00:00+00:00"), session("2026-03-06T08:00:00+00:00")]
    start, end = h.parse_date_range("2026-03-01", "2026-03-05")
    stats = h.compute_stats(docs, TODAY, start=start, end=end)
    assert [h.session_date(d) for d in stats.sessions] == [date(2026, 3, 5), date(2026, 3, 1)]
    assert stats.total == 2 and stats.total_seconds == 1200


def test_newest_first_by_instant_not_by_string():
    a = session("2026-03-02T08:00:00+05:00", routine="A")   # 03:00 UTC
    b = session("2026-03-02T04:00:00+00:00", routine="B")   # 04:00 UTC: later
    assert [d.routine for d in h.sort_newest_first([a, b])] == ["B", "A"]


def test_symptom_stops():
    docs = [session("2026-03-01T08:00:00+00:00", status="symptoms", stop_reason="symptoms"),
            session("2026-03-02T08:00:00+00:00", status="stopped", stop_reason="user")]
    assert h.symptom_stops(docs) == [Session.from_doc(docs[0])]


# ---------------------------------------------------------------- clinician summary


def summary_data():
    return [
        session("2026-02-09T08:00:00+00:00", active=300, before=6, after=4),      # before the period
        session("2026-02-12T08:00:00+00:00", active=600, before=5, after=3),
        session("2026-02-13T08:00:00+00:00", active=600, before=5, after=4),
        session("2026-02-20T21:00:00-05:00", active=420, before=4, after=2,
                items=[item(done={"left": 3, "right": 2}, skipped={"left": 0, "right": 1})]),
        session("2026-02-27T08:00:00+00:00", status="symptoms", stop_reason="symptoms", active=120,
                before=4, after=6, note="tingling\x1b]0;x down the left leg",
                items=[item(done={"left": 2, "right": 0}, skipped={"left": 0, "right": 0})]),
        session("2026-03-02T08:00:00+00:00", status="stopped", counted=False, active=60,
                items=[item(done={"left": 1, "right": 0}, skipped={"left": 0, "right": 0})]),
        session("2026-03-04T08:00:00+00:00", status="interrupted", active=200,
                items=[item(done={"left": 2, "right": 0}, skipped={"left": 0, "right": 0})]),
        session("2026-03-09T08:00:00+00:00", active=600, before=3, after=2, items=[
            item(), item("cat-cow", "Cat-Cow", hold=5, sides="none", done={"both": 10},
                         skipped={"both": 2})]),
        session("2026-03-10T07:00:00+00:00", active=600, before=3, after=1, routine="Evening"),
    ]


EXPECTED_SUMMARY = """\
Stretching summary from stretchtui
Period: 2026-02-11 to 2026-03-10 (last 4 weeks)

Sessions done: 6 (3 completed, 2 finished with steps skipped, 1 stopped
    early but kept)
Not counted: 1 stopped and not kept, 1 unfinished
Days with a session: 6 of 28
Current streak: 2 days (longest ever: 2 days)
Time stretching: 52 min (about 13 min a week)
Exercise steps done: 44 of 47 planned (94%); 3 skipped, 0 not reached

Week by week (pain 0-10, average before -> after):
  2026-02-11 to 2026-02-17: 2 sessions, 20 min, pain 5.0 -> 3.5
  2026-02-18 to 2026-02-24: 1 session, 7 min, pain 4.0 -> 2.0
  2026-02-25 to 2026-03-03: 1 session, 2 min, pain 4.0 -> 6.0
  2026-03-04 to 2026-03-10: 2 sessions, 23 min, pain 3.0 -> 1.5
  Pain within a session: 4.0 before -> 3.0 after (6 sessions with both)
  Pain before a session: 5 on 2026-02-12 -> 3 on 2026-03-10

Stopped because symptoms spread: 1
  2026-02-27 08:00 Morning, during Knee to Chest - note: "tingling]0;x
      down the left leg"

Per stretch reached (work steps done and skipped, time held):
  Knee to Chest: 11 min held in 8 sessions
    left 20 done, 0 skipped; right 14 done, 1 skipped
  Cat-Cow: 50 s held in 1 session
    10 done, 2 skipped

Recorded by the person with stretchtui, a self-guided stretching app.
It does not diagnose; please read it as their own log.
"""


def test_clinician_summary_exact_text():
    catalog = load_catalog()
    text = h.clinician_summary(summary_data(), catalog, TODAY, weeks=4)
    assert text == EXPECTED_SUMMARY
    assert "\x1b" not in text


def test_clinician_summary_empty_history():
    text = h.clinician_summary([], None, TODAY, weeks=1)
    assert "Sessions done: 0" in text
    assert "no stretches reached in this period" in text
    assert "last 1 week)" in text


# ---------------------------------------------------------------- numbers that agree


def test_a_symptom_stop_after_10_of_45_steps_is_not_100_percent():
    doc = session("2026-03-10T08:00:00+00:00", status="symptoms", stop_reason="symptoms", active=120.0,
                  items=[item(done={"left": 3, "right": 3}), item("cat-cow", "Cat-Cow", sides="none",
                                                               done={"both": 4}, skipped={"both": 0})])
    doc["steps_total"] = 45  # the routine planned 45 work steps; 10 were done before the stop
    text = h.clinician_summary([doc], load_catalog(), TODAY, weeks=4)
    assert "Exercise steps done: 10 of 45 planned (22%); 0 skipped, 35 not reached" in text
    assert "100%" not in text


def test_percent_rounds_but_never_claims_all_or_nothing_wrongly():
    assert h.percent(199, 200) == 99 and h.percent(200, 200) == 100
    assert h.percent(1, 300) == 1 and h.percent(0, 300) == 0 and h.percent(0, 0) is None


def _summary_for(n: int) -> str:
    """The clinician summary of ``n`` sessions of 1 minute each on consecutive days up to TODAY."""
    docs = [session(f"2026-03-{10 - i:02d}T08:00:00+00:00", active=60.0, before=4, after=3,
                    status="symptoms" if i == 0 else "completed", stop_reason="symptoms" if i == 0 else None,
                    items=[item(done={"left": 1, "right": 1})])
            for i in range(n)]
    return h.clinician_summary(docs, load_catalog(), TODAY, weeks=1)


@pytest.mark.parametrize("n", [0, 1, 2])
def test_every_count_in_the_summary_has_the_right_number(n):
    import re

    text = _summary_for(n)
    # no "1 days", "1 sessions", "0 session"...: a count of 1 takes the singular, any other the plural
    for count, word in re.findall(r"\b(\d+) (days?|sessions?|weeks?|stretches|stops?)\b", text):
        singular = word.rstrip("s") if word != "stretches" else "stretch"
        assert (word == singular) == (int(count) == 1), f"{count} {word!r} in:\n{text}"
    assert "about 0 min" not in text and " 0 min" not in text
    if n == 0:
        assert "Time stretching: none" in text and "Current streak: 0 days" in text
        assert "0 sessions, no time, no pain scores" in text
    if n == 1:
        assert "Current streak: 1 day (longest ever: 1 day)" in text
        assert "Time stretching: 60 s" not in text and "Time stretching: 1 min (about 1 min a week)" in text
        assert ": 1 session, 1 min, pain 4.0 -> 3.0" in text and "(1 session with both)" in text
    if n == 2:
        assert "Current streak: 2 days (longest ever: 2 days)" in text
        assert ": 2 sessions, 2 min, pain 4.0 -> 3.0" in text and "(2 sessions with both)" in text


def test_plural_and_small_durations():
    assert [h.plural(n, "day") for n in (0, 1, 2)] == ["0 days", "1 day", "2 days"]
    assert h.plural(1, "stretch", "stretches") == "1 stretch" and h.plural(1200, "session") == "1,200 sessions"
    assert h.format_minutes(48) == "48 s" and h.format_minutes(12 * 60) == "12 min"


def test_progress_charts_follow_the_date_filter():
    docs = [session("2026-03-10T08:00:00+00:00", active=600.0), session("2026-02-02T08:00:00+00:00", active=300.0)]
    everything = h.compute_stats(docs, TODAY)
    assert sum(m for _, m in everything.weekly) == pytest.approx(15)
    week = h.compute_stats(docs, TODAY, start=date(2026, 3, 4), end=TODAY)
    assert week.total == 1
    assert sum(m for _, m in week.weekly) == pytest.approx(10)  # the February session is not drawn
    assert sum(m or 0 for col in week.heat.columns for m in col) == pytest.approx(10)
    none = h.compute_stats(docs, TODAY, start=date(2026, 3, 5), end=date(2026, 3, 6))
    assert none.total == 0 and sum(m for _, m in none.weekly) == 0
    assert none.longest_streak == 1  # streaks still look at the whole history


# ---------------------------------------------------------------- summary: responses, doses, check-ins, PSFS


def _answered(started, *, hold=20, response="same", before=3, after=2, checkin=None, **kw):
    it = item(hold=hold)
    it["response"] = response
    doc = session(started, before=before, after=after, items=[it], **kw)
    doc["schema"] = 3
    doc["checkin"] = {"answer": checkin, "at": started} if checkin else None
    return doc


def adaptive_data():
    return [
        _answered("2026-03-02T08:00:00+00:00", response="better"),
        _answered("2026-03-03T08:00:00+00:00", checkin="better"),
        _answered("2026-03-04T08:00:00+00:00", checkin="same"),
        # three settled sessions at 20 s: the rule progresses to 25 s
        _answered("2026-03-05T08:00:00+00:00", hold=25, response="worse", checkin="worse"),
        # worse at 25 s: the rule backs off to the previous dose, 20 s
        _answered("2026-03-06T08:00:00+00:00", hold=20, response="spreading"),
        # changed by hand: not what the rule gives after spreading (drop)
        _answered("2026-03-07T08:00:00+00:00", hold=40, response=None),
    ]


def _psfs():
    from stretchtui.core.domain import psfs

    acts = psfs.add_activity((), "Tie my shoelaces", 3, date(2026, 2, 20))
    acts = psfs.rate_activity(acts, "tie my shoelaces", 6, date(2026, 3, 9))
    return psfs.add_activity(acts, "Sit through a film", 5, date(2026, 3, 9))


def test_summary_reports_responses_dose_changes_checkins_and_psfs():
    text = h.clinician_summary(adaptive_data(), load_catalog(), TODAY, weeks=2, psfs=_psfs())
    tail = text[text.index("How each stretch felt"):text.index("Recorded by")]
    assert tail == """\
How each stretch felt (answered in the rest after it):
  Knee to Chest: 1 better, 2 same, 1 worse, 1 spreading
  (spreading: symptoms moving down an arm or leg, numbness, tingling)

Dose changes (hold x repetitions): 3
  2026-03-05 Knee to Chest (Morning): 20 s x 3 -> 25 s x 3
    by the progression rule (progress): Ready to progress (hold 20 s ->
        25 s): the last 3 sessions felt better or the same, with pain at
        or below 3/10 and no rise.
  2026-03-06 Knee to Chest (Morning): 25 s x 3 -> 20 s x 3
    by the progression rule (back-off): Back off: it felt worse last
        time.
  2026-03-07 Knee to Chest (Morning): 20 s x 3 -> 40 s x 3
    changed by hand or in the routine file (not a rule step)

Day-after check-ins (back compared with before the session):
  1 better, 1 same, 1 worse (3 check-ins)
  worse after 2026-03-05 08:00 Morning

Activities (PSFS, 0 = unable to 10 = as before the problem):
  Tie my shoelaces: 3 on 2026-02-20 -> 6 on 2026-03-09 (+3)
  Sit through a film: 5 on 2026-03-09 (rated once)

"""
    assert "  Pain before a session: 3 on 2026-03-02 -> 3 on 2026-03-07" in text


def test_summary_lines_fit_an_email_and_stay_plain_text():
    long_name = "A routine with a very long name that goes on and on " * 2
    docs = [dict(d, routine=long_name) for d in adaptive_data()]
    docs[0]["note"] = "x" * 200
    docs[0]["status"], docs[0]["stop_reason"] = "symptoms", "symptoms"
    for data, weeks in ((docs, 2), (summary_data(), 4), ([], 1)):
        text = h.clinician_summary(data, load_catalog(), TODAY, weeks=weeks, psfs=_psfs())
        assert max(len(line) for line in text.splitlines()) <= 72, text
        assert text.isascii(), text


def test_sections_without_data_are_left_out():
    text = h.clinician_summary(summary_data(), load_catalog(), TODAY, weeks=4)
    for heading in ("How each stretch felt", "Dose changes", "Day-after check-ins", "Activities (PSFS"):
        assert heading not in text


def _adaptive_for(n: int) -> str:
    """The summary with ``n`` answered sessions, ``n`` check-ins, ``n`` dose changes and ``n`` PSFS activities."""
    from stretchtui.core.domain import psfs

    docs = [_answered(f"2026-03-{10 - i:02d}T08:00:00+00:00", hold=20 + 5 * (n - i), checkin="same")
            for i in range(n + (1 if n else 0))]
    acts: tuple = ()
    for i in range(n):
        acts = psfs.add_activity(acts, f"Activity {i}", 4, date(2026, 3, 1))
    return h.clinician_summary(docs, load_catalog(), TODAY, weeks=2, psfs=acts)


@pytest.mark.parametrize("n", [0, 1, 2])
def test_counts_in_the_new_sections_have_the_right_number(n):
    import re

    text = _adaptive_for(n)
    for count, word in re.findall(r"\b(\d+) (check-ins?|sessions?|days?|weeks?)\b", text):
        assert word.endswith("s") == (int(count) != 1), f"{count} {word!r} in:\n{text}"
    if n == 0:
        assert "Dose changes" not in text and "check-in" not in text
    else:
        assert f"Dose changes (hold x repetitions): {n}\n" in text
        assert f"  0 better, {n + 1} same, 0 worse ({n + 1} check-ins)" in text
        assert text.count("(rated once)") == n
