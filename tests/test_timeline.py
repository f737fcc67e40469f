"""The player runs exactly these steps: exact sequences from build_timeline."""

from stretchtui.core.domain.catalog import parse_catalog
from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.core.domain.timeline import SWITCH_SECONDS, build_timeline, format_duration


def _stretch(sid, mode, sides, hold, reps, rest, position="supine"):
    return {
        "id": sid,
        "name": sid.replace("-", " ").title(),
        "regions": ["lower-back"],
        "movements": ["hip"],
        "position": position,
        "dosage": {
            "mode": mode,
            "hold": {"min": 1, "default": hold, "max": 120},
            "reps": {"min": 1, "default": reps, "max": 10},
            "sides": sides,
            "rest": rest,
        },
        "steps": ["Do it."],
        "source": ["test"],
    }


CATALOG = parse_catalog(
    {
        "version": 1,
        "regions": [{"id": "lower-back", "name": "Lower back"}],
        "conditions": [],
        "movements": ["hip"],
        "stretches": [
            _stretch("two-sided-hold", "hold", "each", hold=20, reps=2, rest=10),
            _stretch("rocking-reps", "reps", "none", hold=3, reps=4, rest=0),
            _stretch("rocking-duration", "duration", "none", hold=60, reps=1, rest=0, position="seated"),
        ],
    }
)


def seq(timeline):
    return [(s.kind, s.seconds, s.side, s.rep) for s in timeline.steps]


def timeline_for(*items, **kwargs):
    return build_timeline(Routine("t", tuple(items)), CATALOG.stretches, **kwargs)


def test_two_sided_hold_runs_left_then_right_with_rests_and_a_switch():
    tl = timeline_for(RoutineItem("two-sided-hold"))
    assert seq(tl) == [
        ("get-ready", 5, "left", 1),
        ("hold", 20, "left", 1),
        ("rest", 10, "left", 1),
        ("hold", 20, "left", 2),
        ("switch", SWITCH_SECONDS, "right", 1),
        ("hold", 20, "right", 1),
        ("rest", 10, "right", 1),
        ("hold", 20, "right", 2),
    ]
    assert tl.total_seconds == 5 + 20 + 10 + 20 + SWITCH_SECONDS + 20 + 10 + 20
    assert {s.reps for s in tl.steps} == {2}
    assert tl.steps[0].instruction.startswith("Get ready: lie on your back, left side first")


def test_reps_stretch_counts_each_repetition_with_no_side():
    tl = timeline_for(RoutineItem("rocking-reps"))
    assert seq(tl) == [
        ("get-ready", 5, None, 1),
        ("rep", 3, None, 1),
        ("rep", 3, None, 2),
        ("rep", 3, None, 3),
        ("rep", 3, None, 4),
    ]
    assert tl.total_seconds == 17


def test_duration_stretch_is_one_continuous_move():
    tl = timeline_for(RoutineItem("rocking-duration"))
    assert seq(tl) == [("get-ready", 5, None, 1), ("move", 60, None, 1)]
    assert tl.total_seconds == 65
    assert format_duration(tl.total_seconds) == "1:05"


def test_item_overrides_and_one_side_only():
    tl = timeline_for(RoutineItem("two-sided-hold", hold=30, reps=1, sides="right"), get_ready=0)
    assert seq(tl) == [("hold", 30, "right", 1)]


def test_rest_between_items_but_not_after_the_last():
    tl = timeline_for(
        RoutineItem("rocking-duration", hold=30),
        RoutineItem("rocking-reps", reps=2, rest=1),
        RoutineItem("two-sided-hold", reps=1),
        get_ready=3,
        between=10,
    )
    assert [(s.kind, s.seconds, s.side, s.item) for s in tl.steps] == [
        ("get-ready", 3, None, 0),
        ("move", 30, None, 0),
        ("rest", 10, None, 0),
        ("get-ready", 3, None, 1),
        ("rep", 3, None, 1),
        ("rest", 1, None, 1),
        ("rep", 3, None, 1),
        ("rest", 10, None, 1),
        ("get-ready", 3, "left", 2),
        ("hold", 20, "left", 2),
        ("switch", SWITCH_SECONDS, "right", 2),
        ("hold", 20, "right", 2),
    ]
    assert tl.total_seconds == 3 + 30 + 10 + 3 + 3 + 1 + 3 + 10 + 3 + 20 + SWITCH_SECONDS + 20
    assert [s.is_work for s in tl.steps].count(True) == 5


def test_empty_routine_has_no_steps():
    tl = timeline_for()
    assert tl.steps == () and tl.total_seconds == 0


def test_format_duration():
    assert format_duration(0) == "0:00"
    assert format_duration(75) == "1:15"
    assert format_duration(3725) == "1:02:05"


def test_routine_seconds_is_the_one_total_and_says_when_it_cannot_time():
    """The Library, Builder, `routines`, `check`, schedule and handout all show this figure."""
    from stretchtui.core.domain.catalog import load_catalog
    from stretchtui.core.domain.models import Profile, Routine, RoutineItem
    from stretchtui.core.domain.timeline import build_timeline, routine_seconds

    catalog = load_catalog()
    profile = Profile(get_ready=3, default_rest=10)
    routine = Routine("R", (RoutineItem("cat-cow"), RoutineItem("knee-to-chest")))
    expected = build_timeline(routine, catalog.stretches, get_ready=3, between=10).total_seconds
    assert routine_seconds(routine, catalog, profile) == expected
    broken = routine.with_items([*routine.items, RoutineItem("no-such-stretch")])
    assert routine_seconds(broken, catalog, profile) is None
    assert routine_seconds(broken, catalog, profile, known_only=True) == expected
