"""The guided session, without any UI.

:class:`PlayerEngine` is a small state machine over a :class:`Timeline`
driven by an injected clock: it knows the current step, how many seconds
are left, pause/resume, skip, back, +10 s, stop and the "symptoms
spreading" stop, and it reports every step change as a :class:`PlayerEvent`
so the UI can give cues. Nothing moves unless :meth:`PlayerEngine.update`
(or a control) is called, so tests drive a whole session with a
``FakeClock`` and never sleep.

:class:`SessionRecorder` writes the session document (see the contract in
``contracts.md``) through the store: once when the session starts, again at
every step change and at the end. A store that refuses (read-only, lock
timeout, disk full) never stops the session: the recorder keeps the
document in memory, tries again at the next step and reports the first
failure once.

**How did that feel?** :meth:`PlayerEngine.item_finished_at` says which
routine item's prompt is open at a step: from the end of the item's last
work step (its last rep on its last side) until the next work step starts,
i.e. through the rest between items and the next get-ready; the last item
has no such window (the UIs ask after the session). The recorder keeps the
answers (:meth:`SessionRecorder.respond`, stored as each item's
``response``); after *spreading* it either leaves that stretch out for the
rest of the session (:meth:`SessionRecorder.skip_stretch`, its later steps
skipped as they come) or stops as a symptom stop whose note names it
(:meth:`SessionRecorder.spreading_stop`).

:class:`~.play_session.PlaySession` owns one of each for a session and asks
its questions (both players render those), and
:func:`interrupt_active_sessions` lets a signal handler close whatever
session is running with an ``interrupted`` record.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .flare import FLARE_VERSION_KEY
from .models import Routine, Stretch
from .session import RESPONSES, SESSION_SCHEMA, STATUSES
from .session_rules import AVOID_PLAYED_KEY, PAIN_FLAG_KEY, pain_answer
from .steps import Step, Timeline
from .symptoms import STOP_ITEM_KEY, stop_item_at
from .timeline import item_sides

if TYPE_CHECKING:  # only its type is needed here
    from ..clock import Clock
    from ..storage.ports import SessionWrites
    from .play_session import SessionSink

#: Seconds added by the "+10 s" control.
EXTRA_SECONDS = 10

#: Phase names shown to the user, by step kind.
PHASE_LABELS: dict[str, str] = {
    "get-ready": "Get ready",
    "hold": "Hold",
    "rep": "Move",
    "move": "Move",
    "switch": "Switch sides",
    "rest": "Rest",
}

@dataclass(frozen=True)
class PlayerEvent:
    """Something the UI may want to react to.

    ``kind`` is ``"step"`` (a new step began: cue the user) or
    ``"finished"`` (the session ended; ``reason`` is the status).
    ``reason`` for a step event is how it came: ``"start"``, ``"time"``,
    ``"skip"`` or ``"back"``.
    """

    kind: str
    index: int
    previous: int | None
    reason: str
    step: Step | None


class PlayerEngine:
    """Runs the steps of a timeline against a clock.

    States: ``"idle"`` (not started), ``"running"``, ``"paused"`` and
    ``"finished"``. Each step gets an outcome when the player leaves it:
    ``"done"`` (its time ran out) or ``"skipped"``; going back a step clears
    the outcome of the step it returns to.
    """

    def __init__(self, timeline: Timeline, clock: Clock) -> None:
        if not timeline.steps:
            raise ValueError("a session needs at least one step")
        self.timeline = timeline
        self.steps: tuple[Step, ...] = tuple(timeline.steps)
        self.clock = clock
        self.state = "idle"
        self.index = 0
        self.outcomes: list[str | None] = [None] * len(self.steps)
        self.status = "running"
        self.stop_reason: str | None = None
        #: Stretch ids left out for the rest of the session (:meth:`exclude_stretch`).
        self.excluded: set[str] = set()
        #: Seconds added to the current step with +10 s.
        self.extra = 0.0
        self._step_before = 0.0  # step seconds run before _since
        self._active_before = 0.0  # session seconds run before _since
        self._since: float | None = None  # monotonic time the current run began
        self._final_active: float | None = None
        # Planned seconds before each step (for the routine progress).
        self._offsets: list[int] = []
        total = 0
        for step in self.steps:
            self._offsets.append(total)
            total += step.seconds
        self.planned_seconds = total

    # ------------------------------------------------------------ reading
    @property
    def step(self) -> Step:
        return self.steps[self.index]

    @property
    def next_step(self) -> Step | None:
        return self.steps[self.index + 1] if self.index + 1 < len(self.steps) else None

    @property
    def running(self) -> bool:
        return self.state == "running"

    @property
    def paused(self) -> bool:
        return self.state == "paused"

    @property
    def finished(self) -> bool:
        return self.state == "finished"

    def _run_delta(self) -> float:
        if self._since is None:
            return 0.0
        return max(0.0, self.clock.monotonic() - self._since)

    @property
    def step_duration(self) -> float:
        """Seconds of the current step, including any +10 s."""
        return self.step.seconds + self.extra

    @property
    def step_elapsed(self) -> float:
        return min(self.step_duration, self._step_before + self._run_delta())

    @property
    def seconds_left(self) -> float:
        """Seconds left in the current step (as of the last :meth:`update`, clamped at 0)."""
        if self.finished:
            return 0.0
        return max(0.0, self.step_duration - self._step_before - self._run_delta())

    @property
    def display_seconds(self) -> int:
        """The whole seconds to show: 20.0 → 20, 19.2 → 20, 0.4 → 1."""
        left = self.seconds_left
        return math.ceil(left - 1e-9) if left > 0 else 0

    @property
    def seconds_to_next_change(self) -> float | None:
        """Session seconds until :attr:`display_seconds` next changes (or the step ends).

        ``None`` unless running. A UI schedules its next tick this far ahead,
        so it wakes exactly when the digits change instead of polling:
        19.3 s left (showing 20) → 0.3; 19.0 s left (showing 19) → 1.0.
        """
        if not self.running:
            return None
        left = self.seconds_left
        if left <= 0:
            return 0.0
        return max(0.0, left - (self.display_seconds - 1))

    @property
    def step_fraction(self) -> float:
        """How much of the current step has run, 0..1."""
        if self.finished:
            return 1.0
        duration = self.step_duration
        return 1.0 if duration <= 0 else min(1.0, self.step_elapsed / duration)

    @property
    def routine_fraction(self) -> float:
        """How far through the routine the session is, 0..1 (:attr:`routine_position` of the whole)."""
        if self.finished and self.status == "completed":
            return 1.0
        done = self.routine_position
        total = done + self.planned_left
        return 0.0 if total <= 0 else min(1.0, done / total)

    @property
    def active_seconds(self) -> float:
        """Seconds the session has been running (pauses left out)."""
        if self._final_active is not None:
            return self._final_active
        return self._active_before + self._run_delta()

    @property
    def work_total(self) -> int:
        """Work steps (holds, reps, moves) in the session: the "steps" every counter counts."""
        return sum(1 for step in self.steps if step.is_work)

    @property
    def work_number(self) -> int:
        """1-based number of the work step under way, or of the next one during a
        get-ready, switch or rest (the last one after the final step)."""
        return self.work_number_at(self.index)

    def work_number_at(self, index: int) -> int:
        """:attr:`work_number` as it is while step ``index`` runs."""
        before = sum(1 for step in self.steps[:index] if step.is_work)
        return max(1, min(self.work_total, before + 1))

    @property
    def routine_position(self) -> float:
        """Seconds of the routine behind the user: the planned seconds of the steps
        passed (done or skipped) plus the time run in this one.
        ``routine_position + planned_left`` is the routine's length (+10 s included)."""
        return self._offsets[self.index] + (self.step_duration - self.seconds_left)

    @property
    def planned_left(self) -> float:
        """Planned seconds left in the routine from here (the current step's remainder included)."""
        rest = sum(step.seconds for step in self.steps[self.index + 1 :])
        return rest + self.seconds_left

    def counts(self) -> dict[str, int]:
        """Work steps done, skipped and in total."""
        done = skipped = total = 0
        for step, outcome in zip(self.steps, self.outcomes, strict=False):
            if not step.is_work:
                continue
            total += 1
            done += outcome == "done"
            skipped += outcome == "skipped"
        return {"steps_done": done, "steps_skipped": skipped, "steps_total": total}

    def item_counts(self, item: int) -> tuple[dict[str, int], dict[str, int]]:
        """Work steps ``(done, skipped)`` of routine item ``item`` by side ("both" for no side)."""
        done: dict[str, int] = {}
        skipped: dict[str, int] = {}
        for step, outcome in zip(self.steps, self.outcomes, strict=False):
            if step.item != item or not step.is_work:
                continue
            key = step.side or "both"
            done.setdefault(key, 0)
            skipped.setdefault(key, 0)
            if outcome == "done":
                done[key] += 1
            elif outcome == "skipped":
                skipped[key] += 1
        return done, skipped

    # ------------------------------------------------------------ time
    def _bank(self) -> None:
        """Fold the time run since ``_since`` into the counters (keeps running)."""
        if self._since is None:
            return
        now = self.clock.monotonic()
        delta = max(0.0, now - self._since)
        self._step_before += delta
        self._active_before += delta
        self._since = now

    def _enter(self, index: int, carry: float = 0.0) -> None:
        self.index = index
        self.extra = 0.0
        self._step_before = carry

    def _left_out(self, index: int) -> bool:
        return self.steps[index].stretch_id in self.excluded

    def _next_index(self, index: int) -> int | None:
        """The first step from ``index`` on that is not left out (the ones passed are marked skipped)."""
        while index < len(self.steps) and self._left_out(index):
            self.outcomes[index] = "skipped"
            index += 1
        return index if index < len(self.steps) else None

    def start(self) -> list[PlayerEvent]:
        """Begin the session at the first step."""
        if self.state != "idle":
            return []
        self.state = "running"
        self._since = self.clock.monotonic()
        self._enter(0)
        return [PlayerEvent("step", 0, None, "start", self.step)]

    def update(self) -> list[PlayerEvent]:
        """Catch up with the clock: finish every step whose time has run out."""
        if self.state != "running":
            return []
        self._bank()
        events: list[PlayerEvent] = []
        while self._step_before >= self.step_duration:
            overflow = self._step_before - self.step_duration
            self.outcomes[self.index] = "done"
            following = self._next_index(self.index + 1)
            if following is None:
                self._active_before -= overflow
                self._step_before = self.step_duration
                events.append(self._finish("completed", None))
                break
            previous = self.index
            self._enter(following, overflow)
            events.append(PlayerEvent("step", self.index, previous, "time", self.step))
        return events

    def pause(self) -> bool:
        """Stop the clock for this session. Returns True if it was running."""
        if self.state != "running":
            return False
        self._bank()
        self._since = None
        self.state = "paused"
        return True

    def resume(self) -> bool:
        """Start the clock again after :meth:`pause`."""
        if self.state != "paused":
            return False
        self._since = self.clock.monotonic()
        self.state = "running"
        return True

    def toggle_pause(self) -> bool:
        """Pause or resume; returns True when the session is now paused."""
        if self.running:
            self.pause()
        else:
            self.resume()
        return self.paused

    # ------------------------------------------------------------ controls
    def _active(self) -> bool:
        return self.state in ("running", "paused")

    def skip(self) -> list[PlayerEvent]:
        """Leave the current step as skipped and go to the next one."""
        if not self._active():
            return []
        events = self.update()
        if not self._active():
            return events
        self._bank()
        self.outcomes[self.index] = "skipped"
        following = self._next_index(self.index + 1)
        if following is None:
            return [*events, self._finish("completed", None)]
        previous = self.index
        self._enter(following)
        return [*events, PlayerEvent("step", self.index, previous, "skip", self.step)]

    def back(self) -> list[PlayerEvent]:
        """Go back exactly one step and run it again (the first step restarts)."""
        if not self._active():
            return []
        events = self.update()
        if not self._active():
            return events
        self._bank()
        previous = self.index
        self.outcomes[self.index] = None
        target = max(0, self.index - 1)
        while target > 0 and self._left_out(target):  # steps left out stay out
            target -= 1
        if self._left_out(target):
            target = previous
        self.outcomes[target] = None
        self._enter(target)
        return [*events, PlayerEvent("step", self.index, previous, "back", self.step)]

    def add_time(self, seconds: float = EXTRA_SECONDS) -> None:
        """Give the current step ``seconds`` more."""
        if self._active():
            self.update()
            if self._active():
                self.extra += seconds

    def exclude_stretch(self, stretch_id: str) -> None:
        """Leave ``stretch_id`` out for the rest of the session: its later steps are skipped as they come."""
        self.excluded.add(stretch_id)

    # ------------------------------------------------------------ responses
    def last_work_index(self, item: int) -> int | None:
        """Index of the last work step of routine item ``item`` (None if it has none)."""
        found = None
        for index, step in enumerate(self.steps):
            if step.item == item and step.is_work:
                found = index
        return found

    def item_finished_at(self, index: int) -> int | None:
        """The routine item whose "how did that feel?" prompt is open while step ``index`` runs.

        The prompt opens when the last work step of an item (its last rep on
        its last side) is over and stays open through the non-work steps that
        follow: the rest between items and the next item's get-ready. It
        closes when the next work step starts. Only an item with at least one
        work step done is asked about (not one skipped whole).
        """
        if index >= len(self.steps) or self.steps[index].is_work:
            return None
        before = index - 1
        while before >= 0 and not self.steps[before].is_work:
            before -= 1
        if before < 0:
            return None
        item = self.steps[before].item
        if self.last_work_index(item) != before:
            return None
        done, _skipped = self.item_counts(item)
        return item if sum(done.values()) > 0 else None

    @property
    def response_item(self) -> int | None:
        """:meth:`item_finished_at` for the current step (None once the session is over)."""
        if not self._active():
            return None
        return self.item_finished_at(self.index)

    def stop(self, status: str = "stopped", reason: str | None = "user") -> list[PlayerEvent]:
        """End the session now with ``status`` (stopped, interrupted or symptoms)."""
        if status not in STATUSES or status == "running":
            raise ValueError(f"unknown final status {status!r}")
        if not self._active() and self.state != "idle":
            return []
        if self.state == "idle":
            self.state = "running"
            self._since = self.clock.monotonic()
        self._bank()
        return [self._finish(status, reason)]

    def symptoms(self) -> list[PlayerEvent]:
        """The "symptoms spreading" stop."""
        return self.stop("symptoms", "symptoms")

    def _finish(self, status: str, reason: str | None) -> PlayerEvent:
        self._final_active = max(0.0, self._active_before)
        self._since = None
        self.state = "finished"
        self.status = status
        self.stop_reason = reason
        return PlayerEvent("finished", self.index, self.index, status, None)


def _iso(clock: Clock) -> str:
    return clock.now().isoformat(timespec="seconds")


#: Recorders of sessions that are running now (for signal handlers).
_ACTIVE: list[SessionRecorder] = []


def interrupt_active_sessions(reason: str) -> int:
    """End every running session with an ``interrupted`` record; returns how many."""
    count = 0
    for recorder in list(_ACTIVE):
        if recorder.interrupt(reason):
            count += 1
    return count


class SessionRecorder:
    """Keeps the session document of one :class:`PlayerEngine` in the store.

    ``stretches`` maps stretch ids to catalog stretches (for the items'
    names, modes and default dosage). ``on_error`` is called once, with a
    message for the user, the first time the store refuses a write.

    ``sink`` (a :class:`~.play_session.SessionSink`, e.g. the app's one
    writer thread): the document is taken on the caller's thread and written
    by the sink, in order, so a slow disk never holds up the caller (the
    player's countdown); ``on_error`` is then called from the sink's thread.
    Without one (the ``play`` command) every write happens before the call
    returns.
    """

    def __init__(
        self,
        store: SessionWrites,
        routine: Routine,
        engine: PlayerEngine,
        stretches: Mapping[str, Stretch],
        clock: Clock,
        *,
        on_error: Callable[[str], None] | None = None,
        sink: SessionSink | None = None,
    ) -> None:
        self.store = store
        self.sink = sink
        self.routine = routine
        self.engine = engine
        self.clock = clock
        self.on_error = on_error
        self.session_id: int | None = None
        self.errors: list[str] = []
        #: The document the store last accepted (None: nothing saved yet), and whether the
        #: latest write failed (an earlier failure is healed by a later write of the whole document).
        self.saved_doc: dict | None = None
        self.failed_last = False
        self.started: str | None = None
        self.ended: str | None = None
        self.counted = True
        self.pain_before: int | None = None
        self.pain_after: int | None = None
        self.note = ""
        #: How each finished item felt, by routine item index (one of ``session.RESPONSES``).
        self.responses: dict[int, str] = {}
        #: Said in the note when the session stopped because symptoms spread after a stretch.
        self.stop_note = ""
        #: True when the routine is a flare version (``core.flare``): the document says so.
        self.flare_version = False
        #: Stretches played past an avoid warning (``rules.avoid_ids``): the document lists them.
        self.avoid_played: tuple[str, ...] = ()
        self._items: list[dict] = []
        for item in routine.items:
            stretch = stretches[item.stretch]
            it = item.resolved(stretch)
            self._items.append(
                {
                    "stretch": stretch.id,
                    "name": stretch.name,
                    "mode": stretch.dosage.mode,
                    "hold": it.hold,
                    "reps": it.reps,
                    "sides": it.sides,
                    "rest": it.rest,
                    "_sides": [s or "both" for s in item_sides(it.sides or "none")],
                }
            )

    # ------------------------------------------------------------ document
    @property
    def status(self) -> str:
        return self.engine.status

    def document(self) -> dict:
        """The session document as it stands now."""
        engine = self.engine
        items = []
        for index, snapshot in enumerate(self._items):
            done, skipped = engine.item_counts(index)
            entry = {k: v for k, v in snapshot.items() if not k.startswith("_")}
            entry["done"] = {side: done.get(side, 0) for side in snapshot["_sides"]}
            entry["skipped"] = {side: skipped.get(side, 0) for side in snapshot["_sides"]}
            entry["response"] = self.responses.get(index)
            items.append(entry)
        doc = {
            "schema": SESSION_SCHEMA,
            "routine": self.routine.name,
            "started": self.started,
            "ended": self.ended,
            "status": engine.status,
            "counted": self.counted,
            "stop_reason": engine.stop_reason,
            "active_seconds": round(engine.active_seconds, 1),
            "planned_seconds": engine.planned_seconds,
            "items": items,
        }
        doc.update(engine.counts())
        doc.update({"pain_before": self.pain_before, "pain_after": self.pain_after, "note": self.note})
        flag = pain_answer(self.pain_before, self.pain_after).flag
        if flag:  # additive: only sessions whose pain rose carry the key
            doc[PAIN_FLAG_KEY] = flag
        if self.flare_version:  # additive, like the pain flag
            doc[FLARE_VERSION_KEY] = True
        if self.avoid_played:  # additive: played past an avoid warning
            doc[AVOID_PLAYED_KEY] = list(self.avoid_played)
        if engine.status == "symptoms":  # which stretch the stop marks (core/domain/symptoms.py)
            doc[STOP_ITEM_KEY] = stop_item_at(engine.steps, engine.index, engine.outcomes)
        return doc

    # ------------------------------------------------------------ writing
    def _report(self, exc: BaseException) -> None:
        message = str(exc) or type(exc).__name__
        self.failed_last = True
        first = not self.errors
        self.errors.append(message)
        if first and self.on_error is not None:
            try:
                self.on_error(f"This session may not be saved in the history: {message}")
            except Exception:
                pass

    def _store(self, doc: dict) -> None:
        if self.session_id is None:
            self.session_id = int(self.store.append_session(doc))
        else:
            self.store.update_session(self.session_id, doc)
        self.saved_doc, self.failed_last = doc, False

    def _write(self) -> bool:
        """Save the document as it stands; False when the store refused (queued with a writer: True)."""
        doc = self.document()
        if self.sink is not None:
            self.sink.submit(lambda: self._store(doc), failed=self._report)
            return True
        try:
            self._store(doc)
        except Exception as exc:  # StoreReadOnly, StoreLocked, OSError...: keep going
            self._report(exc)
            return False
        return True

    def after_writes(self, callback: Callable[[bool], object]) -> None:
        """Call ``callback(saved)`` once every write asked for so far is done (at once without a writer).

        ``saved`` is False when any write of this session failed. With a
        sink, the callback runs in the sink's thread.
        """
        if self.sink is None:
            callback(not self.errors)
        else:
            self.sink.submit(lambda: None, done=lambda _none: callback(not self.errors))

    def start(self, pain_before: int | None = None) -> list[PlayerEvent]:
        """Start the engine and record the session; returns the engine's first events."""
        self.pain_before = pain_before
        self.started = _iso(self.clock)
        events = self.engine.start()
        if self not in _ACTIVE:
            _ACTIVE.append(self)
        self._write()
        return events

    def step_changed(self) -> bool:
        """Save progress (call at every step change)."""
        if self.engine.finished:
            return self.finish()
        return self._write()

    def handle(self, events: Iterable[PlayerEvent]) -> None:
        """Save after engine events: progress on step changes, the final record at the end."""
        events = list(events)
        if any(e.kind == "finished" for e in events):
            self.finish()
        elif events:
            self.step_changed()

    def finish(self, *, counted: bool | None = None) -> bool:
        """Write the final record (the engine must have finished; stops it as "stopped" if not)."""
        if not self.engine.finished:
            self.engine.stop("stopped", "user")
        if counted is not None:
            self.counted = counted
        if self.ended is None:
            self.ended = _iso(self.clock)
        if self in _ACTIVE:
            _ACTIVE.remove(self)
        return self._write()

    def stop(self, status: str = "stopped", reason: str | None = "user", *, counted: bool = True) -> bool:
        """Stop the engine with ``status`` and write the final record."""
        self.engine.stop(status, reason)
        return self.finish(counted=counted)

    def interrupt(self, reason: str) -> bool:
        """End a running session as ``interrupted`` (signals, a closed app). False if it had ended."""
        if self.engine.finished and self.ended is not None:
            return False
        if not self.engine.finished:
            self.engine.stop("interrupted", reason)
        self.finish()
        return True

    # ------------------------------------------------------------ responses
    def respond(self, item: int, response: str | None) -> bool:
        """Record how routine item ``item`` felt (None clears it) and save. Returns whether it was saved."""
        if not 0 <= item < len(self._items):
            raise ValueError(f"no routine item {item}")
        if response is None:
            self.responses.pop(item, None)
        elif response not in RESPONSES:
            raise ValueError(f"a response is one of {', '.join(RESPONSES)}")
        else:
            self.responses[item] = response
        return self._write()

    def item_name(self, item: int) -> str:
        """The stretch name of routine item ``item`` (as recorded)."""
        return str(self._items[item]["name"])

    def skip_stretch(self, item: int) -> bool:
        """After *spreading*: leave item ``item``'s stretch out for the rest of the session."""
        self.responses[item] = "spreading"
        self.engine.exclude_stretch(str(self._items[item]["stretch"]))
        return self._write()

    def spreading_stop(self, item: int) -> bool:
        """After *spreading*: stop the session as a symptom stop naming item ``item``'s stretch."""
        self.responses[item] = "spreading"
        self.stop_note = f"Symptoms spread after {self.item_name(item)}."
        self.note = _join_note(self.stop_note, self.note)
        self.engine.stop("symptoms", "symptoms")
        return self.finish()

    def spreading_after_end(self, item: int) -> bool:
        """*Spreading* about the last stretch, answered once the session is over: recorded as a symptom stop."""
        if not self.engine.finished:
            return self.spreading_stop(item)
        self.responses[item] = "spreading"
        if not self.stop_note:  # the first one named stays (the session is over already)
            self.stop_note = f"Symptoms spread after {self.item_name(item)}."
            self.note = _join_note(self.stop_note, self.note)
        if self.engine.status == "completed":
            self.engine.status = "symptoms"
            self.engine.stop_reason = "symptoms"
        return self._write()

    def set_summary(
        self,
        *,
        pain_before: int | None = None,
        pain_after: int | None = None,
        note: str = "",
    ) -> bool:
        """Save what the user entered in the summary after the session."""
        self.pain_before = pain_before
        self.pain_after = pain_after
        self.note = _join_note(self.stop_note, note) if self.stop_note and not note.startswith(self.stop_note) else note
        return self._write()


def _join_note(first: str, second: str) -> str:
    return f"{first} {second}".strip() if second else first


def step_label(step: Step) -> str:
    """``"hold, left side, rep 1/3"``: the phase, side and rep of a step in words."""
    parts = [PHASE_LABELS.get(step.kind, step.kind).lower()]
    if step.side:
        parts.append(f"{step.side} side")
    if step.is_work and step.reps > 1:
        parts.append(f"rep {step.rep}/{step.reps}")
    return ", ".join(parts)


def parse_pain(value: Any) -> int | None:
    """A pain score 0..10 from user input; None for empty. Raises ValueError otherwise."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if not text.isdigit() or not 0 <= int(text) <= 10:
        raise ValueError("a pain score is a whole number from 0 to 10")
    return int(text)
