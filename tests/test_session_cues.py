"""Which moments of a session get a bell, a notification or a tick.

A whole "Morning stiffness" session (6 stretches, 77 steps) used to ring 78
bells and send 78 notifications: one at every rep of ankle pumps and every
rest. Now only a new stretch, a side switch and the end are cued.
"""

from __future__ import annotations

from stretchtui.core.clock import FakeClock
from stretchtui.core.domain import cues
from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.models import Profile, Routine, RoutineItem
from stretchtui.core.domain.player import PlayerEngine
from stretchtui.core.domain.timeline import build_timeline

CATALOG = load_catalog()


def _starter(name: str) -> Routine:
    return next(r for r in CATALOG.starters if r.name == name)


def _run(routine: Routine, profile: Profile, *, skip_at: tuple[int, ...] = ()) -> list[str]:
    """Run ``routine`` second by second to its end; the cue sequences written, in order."""
    clock = FakeClock()
    timeline = build_timeline(routine, CATALOG.stretches, get_ready=profile.get_ready, between=profile.default_rest)
    engine = PlayerEngine(timeline, clock)
    plan = cues.SessionCues.for_profile(engine.steps, profile)
    out: list[str] = []

    def handle(events) -> None:
        for event in events:
            if event.kind == "step":
                out.append(plan.on_step(event.index, event.reason))
            else:
                out.append(plan.on_end(event.reason, routine.name))

    handle(engine.start())
    while not engine.finished:
        out.append(plan.on_second(engine.index, engine.display_seconds, running=engine.running))
        if engine.index in skip_at:
            handle(engine.skip())
            continue
        clock.advance(0.5)
        handle(engine.update())
    return [s for s in out if s]


def test_a_whole_morning_stiffness_session_rings_once_per_stretch_and_at_the_end():
    routine = _starter("Morning stiffness")
    profile = Profile()
    sent = _run(routine, profile)
    counted = cues.SessionCues([], bell=True).count(sent)
    # 6 stretches, 2 of them on each side: 6 "new stretch" cues, 2 side
    # switches and 1 at the end (was 78 bells and 78 notifications)
    assert len(routine.items) == 6
    assert counted == {"bells": 9, "notifications": 9 * 2}  # OSC 9 and OSC 777 each
    text = "".join(sent)
    assert "Get ready: Ankle Pumps" in text and "Session complete: Morning stiffness" in text
    assert "Move: Ankle Pumps" not in text  # no cue at each 2-second rep


def test_each_kind_is_its_own_setting():
    routine = _starter("Morning stiffness")
    quiet = cues.SessionCues([]).count(_run(routine, Profile(bell=False, notifications=False)))
    assert quiet == {"bells": 0, "notifications": 0}
    only_notes = cues.SessionCues([]).count(_run(routine, Profile(bell=False)))
    assert only_notes["bells"] == 0 and only_notes["notifications"] == 18


def test_ticks_sound_in_the_last_three_seconds_of_each_hold_only():
    routine = _starter("Morning stiffness")
    timeline = build_timeline(routine, CATALOG.stretches, get_ready=5, between=10)
    holds = [s for s in timeline.steps if s.kind == "hold" and s.seconds > cues.TICK_SECONDS]
    assert holds  # the routine has holds to tick
    with_ticks = cues.SessionCues([]).count(_run(routine, Profile(tick=True)))
    assert with_ticks["bells"] == 9 + 3 * len(holds)
    assert cues.SessionCues([]).count(_run(routine, Profile(tick=True, bell=False)))["bells"] == 3 * len(holds)


def test_side_switch_is_cued_and_moves_at_the_keyboard_are_not():
    routine = Routine("Two sides", (RoutineItem("knee-to-chest", hold=20, reps=2, sides="each"),))
    sent = _run(routine, Profile(notifications=False))
    # the start of the stretch, the switch to the right side, the end
    assert cues.SessionCues([]).count(sent)["bells"] == 3
    steps = build_timeline(routine, CATALOG.stretches, get_ready=5, between=10).steps
    kinds = [cues.step_cue(steps, i) for i in range(len(steps))]
    assert kinds.count(cues.CUE_STRETCH) == 1 and kinds.count(cues.CUE_SWITCH) == 1
    assert steps[kinds.index(cues.CUE_SWITCH)].side == "right"
    plan = cues.SessionCues(steps)
    switch = kinds.index(cues.CUE_SWITCH)
    assert plan.on_step(switch, "time") and not plan.on_step(switch, "skip") and not plan.on_step(switch, "back")
    assert plan.on_end("completed", "x") and not plan.on_end("stopped", "x") and not plan.on_end("symptoms", "x")


def test_tick_setting_is_stored_with_a_default():
    assert Profile().tick is False
    assert Profile.from_dict({}).tick is False
    assert Profile.from_dict({"tick": True}).tick is True
    assert Profile.from_dict({"tick": "yes"}).tick is False
    assert Profile.from_dict(Profile(tick=True).to_dict()).tick is True
