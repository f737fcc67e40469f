"""One guided session as a conversation: :class:`PlaySession` asks typed questions in order.

The session's path: ``PlaySession`` owns the :class:`~.player.PlayerEngine`
(the steps against the clock), the :class:`~.player.SessionRecorder` (the
document in the history, written through a :class:`SessionSink`) and the
:class:`~.cues.SessionCues`. It asks its questions one at a time through
:attr:`PlaySession.question`; a renderer shows the question its own way and
gives the answer back with :meth:`PlaySession.answer`. The two renderers are
thin: the full-screen player (``ui/screens/player.py``: one dialog per
question) and ``play --plain`` (``commands/play_cmd.py``: one prompt per
question). Neither decides anything about the session.

In order:

1. :class:`RedFlagQuestion` once per red-flag group (emergency, same day,
   pregnancy when it is in the profile; only with the checklist on). A "yes"
   is answered with that group's advice only (an :class:`AdviceNotice`) and
   the session does not start.
2. :class:`PainQuestion` ``before``.
3. :class:`FlareQuestion` when pain before is 7+ or the profile's flare is on.
4. The session runs. After each stretch :meth:`PlaySession.opened_response`
   opens a :class:`ResponseQuestion` (answered, or not, until the next
   stretch starts: the session never waits). *Spreading* pauses and asks a
   :class:`SpreadingQuestion` (stop, or go on without the stretch); a stop
   asks a :class:`StopQuestion`.
5. When it ends: the stop advice (:class:`AdviceNotice`) after a symptom
   stop, a :class:`ResponseQuestion` about the last stretch (no rest after it
   to ask in), the stop advice again if that answer is *spreading*, then the
   :class:`SummaryQuestion` (pain after and a note).

Every question carries the answer used when there is no terminal to ask
(``default``), and ``given`` when a flag answered it already (``--pain``,
``--respond``). Everything that moves the session returns a :class:`Moved`
(the engine's events and the cue sequences to write). Pure: no UI, no
storage imports; time comes from the injected clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from . import red_flags
from .cues import SessionCues
from .flare import FLARE_REMINDER, FLARE_SHORT, describe, flare_offered, flare_plan
from .models import Profile, Routine, Stretch
from .player import PlayerEngine, PlayerEvent, SessionRecorder
from .rules import avoid_ids
from .session import RESPONSES
from .session_rules import (
    RULES_LINE,
    RULES_SHORT,
    PainAnswer,
    pain_answer,
    session_caution,
    work_cues,
)
from .steps import Step
from .timeline import build_timeline

if TYPE_CHECKING:  # pragma: no cover
    from ..clock import Clock
    from ..storage.ports import StorePort

#: The key of each "how did that feel?" answer, in order: 1, 2, 3... (digits: the players' own keys are letters).
RESPONSE_KEYS: dict[str, str] = {str(number): response for number, response in enumerate(RESPONSES, 1)}
#: What the answers that need it mean, said next to them.
RESPONSE_MEANS: dict[str, str] = {
    "spreading": "symptoms moving down an arm or leg, or new numbness, tingling or weakness",
    "central": "symptoms moved toward the spine",
}

# ---------------------------------------------------------------- where the document goes


class SessionSink(Protocol):
    """Where the recorder's writes run: ``submit(job, done, failed)``.

    The app's one writer thread (``core/storage/writer.SerialWriter``) is one:
    jobs run off the event loop, in order. Without one (the ``play`` command)
    the recorder writes before each call returns.
    """

    def submit(
        self,
        job: Callable[[], Any],
        done: Callable[[Any], object] | None = None,
        failed: Callable[[BaseException], object] | None = None,
    ) -> None: ...


# ---------------------------------------------------------------- the questions


@dataclass(frozen=True)
class RedFlagQuestion:
    """Does any sign of one red-flag group apply? ``yes`` ends here with :attr:`advice`."""

    key: str
    urgency: str
    signs: tuple[str, ...]
    question: str
    advice: tuple[str, ...]
    default: bool = False  # no terminal: not asked (the list is shown; the user stops if one applies)


@dataclass(frozen=True)
class PainQuestion:
    """Pain 0-10 ``before`` or ``after`` (None: left out)."""

    when: str
    given: int | None = None

    @property
    def default(self) -> int | None:
        return self.given


@dataclass(frozen=True)
class FlareQuestion:
    """Play the flare version (``"flare"``), as planned (``"full"``) or not now (None)?"""

    lines: tuple[str, ...]
    available: bool
    reminder: str = FLARE_REMINDER

    @property
    def default(self) -> str:
        return "flare" if self.available else "full"  # no terminal: the gentler choice


@dataclass(frozen=True)
class ResponseQuestion:
    """How did routine item ``item`` feel? One of ``RESPONSES`` or None."""

    item: int
    name: str
    given: str | None = None
    #: True for the last stretch, asked once the session is over.
    last: bool = False
    choices: tuple[str, ...] = RESPONSES

    @property
    def default(self) -> str | None:
        return self.given


@dataclass(frozen=True)
class SpreadingQuestion:
    """Symptoms spread after ``name``: ``"stop"`` the session, ``"skip"`` the stretch, or None (not after all)."""

    item: int
    name: str
    default: str = "stop"


@dataclass(frozen=True)
class StopQuestion:
    """Stop the session: ``"count"`` it, ``"discard"`` it (not counted), or None (keep going)."""

    default: str | None = None


@dataclass(frozen=True)
class AdviceNotice:
    """Advice to read and acknowledge (any answer)."""

    title: str
    paragraphs: tuple[str, ...]
    default: None = None


@dataclass(frozen=True)
class SummaryAnswer:
    """The summary's answer: the pain scores and a note."""

    pain_before: int | None = None
    pain_after: int | None = None
    note: str = ""


@dataclass(frozen=True)
class SummaryQuestion:
    """The end: the session as recorded, and pain after and a note to add."""

    doc: Mapping[str, Any]
    pain_before: int | None
    given_after: int | None = None

    @property
    def default(self) -> SummaryAnswer:
        return SummaryAnswer(self.pain_before, self.given_after, "")


Question = (
    RedFlagQuestion | PainQuestion | FlareQuestion | ResponseQuestion | SpreadingQuestion | StopQuestion
    | AdviceNotice | SummaryQuestion
)


@dataclass(frozen=True)
class Moved:
    """What one call did: the engine's events and the cue sequences to write."""

    events: tuple[PlayerEvent, ...] = ()
    cue: str = ""

    @property
    def steps(self) -> tuple[PlayerEvent, ...]:
        return tuple(e for e in self.events if e.kind == "step")

    @property
    def finished(self) -> bool:
        return any(e.kind == "finished" for e in self.events)


def group_question(group: Any) -> RedFlagQuestion:
    """The checklist question of one red-flag group (its own wording when the group has one)."""
    question = getattr(group, "question", None) or f"{group.urgency.split(':')[0]}: do any of these apply to you?"
    advice = getattr(group, "advice", None) or ("Please do not stretch today.", f"{group.urgency}.",
                                                red_flags.HUMILITY)
    return RedFlagQuestion(group.key, group.urgency, tuple(group.texts), question, tuple(advice))


# ---------------------------------------------------------------- the session


@dataclass
class Given:
    """Answers given before the session (``--pain``, ``--respond``)."""

    pain_before: int | None = None
    pain_after: int | None = None
    respond: str | None = None


class PlaySession:
    """One guided session: its questions, its engine, its record and its cues.

    ``stage`` is ``"before"`` (the questions before the start), ``"running"``,
    ``"after"`` (the questions after the end), ``"done"`` (everything
    answered and saved) or ``"cancelled"`` (never started: a red flag, the
    flare offer's "not now", or the checklist cancelled).
    """

    def __init__(
        self,
        routine: Routine,
        stretches: Mapping[str, Stretch],
        profile: Profile,
        clock: Clock,
        store: StorePort,
        *,
        flare_catalog: Any = None,
        checklist: bool = True,
        cue_method: str = "auto",
        titles: bool = False,
        environ: Mapping[str, str] | None = None,
        sink: SessionSink | None = None,
        on_error: Callable[[str], None] | None = None,
        given: Given | None = None,
    ) -> None:
        self.routine = routine
        self.stretches = stretches
        self.profile = profile
        self.clock = clock
        self.store = store
        self._flare_catalog = flare_catalog
        self._cue_args = {"method": cue_method, "titles": titles, "environ": environ}
        self._sink = sink  # None: every write before the call returns
        self._on_error = on_error
        self.given = given or Given()
        self.stage = "before"
        self.flare = False
        self.pain_before: int | None = None
        self.pregnant = "pregnancy" in profile.conditions
        self._prompted: set[int] = set()
        #: The questions still to ask (or what works one out when its turn comes).
        self._queue: list[Question | Callable[[], Question | None]] = []
        self._was_running = False
        #: The summary's answer once given.
        self.summary: SummaryAnswer | None = None
        #: The red-flag questions, one per group (none without the checklist).
        self.checklist: tuple[RedFlagQuestion, ...] = (
            tuple(group_question(g) for g in red_flags.checklist_groups(self.pregnant)) if checklist else ()
        )
        self._queue += self.checklist
        self._queue.append(PainQuestion("before", self.given.pain_before))
        self.question: Question | None = None
        self._next()
        self._build()

    def _build(self) -> None:
        profile = self.profile
        timeline = build_timeline(
            self.routine, self.stretches, get_ready=profile.get_ready, between=profile.default_rest
        )
        self.engine = PlayerEngine(timeline, self.clock)
        self.cues = SessionCues.for_session(self.engine.steps, profile, **self._cue_args)  # type: ignore[arg-type]
        self.recorder = SessionRecorder(self.store, self.routine, self.engine, self.stretches, self.clock,
                                        on_error=self._on_error, sink=self._sink)
        self.recorder.flare_version = self.flare
        if self._flare_catalog is not None:  # stretches played past an avoid warning (the gate let them through)
            self.recorder.avoid_played = avoid_ids(self.routine, self._flare_catalog, self.profile)

    # ------------------------------------------------------------ reading
    @property
    def regions(self) -> set[str]:
        return {r for i in self.routine.items if i.stretch in self.stretches for r in self.stretches[i.stretch].regions}

    @property
    def running(self) -> bool:
        return self.stage == "running"

    @property
    def rules_line(self) -> str:
        """The rules said before the first step (the flare's own after the flare offer)."""
        return FLARE_REMINDER if self.flare else RULES_LINE

    def stop_advice(self) -> tuple[str, ...]:
        """The advice after symptoms spread, for this routine's regions."""
        return red_flags.stop_advice(self.regions, pregnant=self.pregnant)

    def stretch_of(self, step: Step) -> Stretch | None:
        return self.stretches.get(step.stretch_id)

    def caution(self, step: Step) -> str | None:
        """The caution instruction to show during ``step``'s stretch for this profile (or None)."""
        stretch = self.stretch_of(step)
        return session_caution(stretch, self.profile) if stretch is not None else None

    def cue_lines(self, step: Step) -> tuple[str, ...]:
        """What to keep in mind while ``step``'s stretch is done: its rules, then its cues (for this profile)."""
        stretch = self.stretch_of(step)
        return work_cues(stretch, self.profile) if stretch is not None else ()

    def how(self, step: Step) -> str:
        """The how-to line under the instruction (the full-screen player's)."""
        stretch = self.stretch_of(step)
        if stretch is None:
            return ""
        if step.kind == "get-ready":
            return (FLARE_SHORT if self.flare else RULES_SHORT) + " " + " ".join(stretch.steps)
        if step.is_work:
            return " ".join(self.cue_lines(step)) or " ".join(stretch.steps[1:2])
        if step.kind == "switch":
            return f"Same stretch, {step.side} side. " + " ".join(stretch.steps[:1])
        return "Let the muscles go soft and breathe out slowly."

    def pain_answer(self, pain_after: int | None = None) -> PainAnswer:
        return pain_answer(self.pain_before, pain_after)

    def pain_lines_after(self) -> tuple[str, ...]:
        """What the summary's scores call for, less what was said about the score before the start."""
        if self.summary is None:
            return ()
        said = pain_answer(self.summary.pain_before, None).lines
        return tuple(line for line in pain_answer(self.summary.pain_before, self.summary.pain_after).lines
                     if line not in said)

    # ------------------------------------------------------------ answering
    def answer(self, value: Any) -> Moved:
        """Answer :attr:`question` with ``value`` (its ``default`` when there is no terminal)."""
        question = self.question
        self.question = None
        if isinstance(question, RedFlagQuestion):
            if value:
                self._queue = []
                self.stage = "cancelled"
                self.question = AdviceNotice("Please seek care instead", question.advice)
                return Moved()
        elif isinstance(question, PainQuestion) and question.when == "before":
            self.pain_before = value
            if flare_offered(value, self.profile.flare):  # its offer says what the score means
                self._queue.insert(0, self._flare_question())
            elif pain_answer(value, None):
                self._queue.insert(0, AdviceNotice("Pain before you start", pain_answer(value, None).lines))
        elif isinstance(question, FlareQuestion):
            if value not in ("flare", "full"):
                self.stage = "cancelled"
                self._queue = []
                return Moved()
            if value == "flare" and question.available:
                self.flare = True
                self.routine = self._flare_plan().routine
                self._build()
        elif isinstance(question, SpreadingQuestion):
            return self._spreading_answered(question, value)
        elif isinstance(question, StopQuestion):
            return self._stop_answered(value)
        elif isinstance(question, ResponseQuestion):
            self._last_answered(question, value)
        elif isinstance(question, SummaryQuestion):
            self._summary_answered(value if isinstance(value, SummaryAnswer) else question.default)
        return self._next()

    def cancel(self) -> None:
        """Not started after all (the checklist closed)."""
        if self.stage == "before":
            self.stage = "cancelled"
            self.question = None
            self._queue = []

    def _next(self) -> Moved:
        while self._queue:
            queued = self._queue.pop(0)
            self.question = queued() if callable(queued) else queued
            if self.question is not None:
                return Moved()
        if self.stage == "before":
            return self._start()
        if self.stage == "after":
            self.stage = "done"
        return Moved()

    def _flare_plan(self) -> Any:
        return flare_plan(self.routine, self._flare_catalog, self.profile.conditions)

    def _flare_question(self) -> FlareQuestion:
        plan = self._flare_plan()
        high = pain_answer(self.pain_before, None, flare_routine=plan.instead)  # the flare routine for this user
        lines = [*high.lines] if high else ["Your profile says you are in a flare."]
        return FlareQuestion((*lines, describe(plan)), available=not plan.empty)

    # ------------------------------------------------------------ running
    def _start(self) -> Moved:
        self.stage = "running"
        cue = self.cues.on_start()
        moved = self._moved(self.recorder.start(pain_before=self.pain_before))
        return Moved(moved.events, cue + moved.cue)

    def _moved(self, events: Iterable[PlayerEvent]) -> Moved:
        """Record and cue the engine's events; the end's questions when it finished."""
        events = tuple(events)
        if events:
            self.recorder.handle(events)
        steps = [e for e in events if e.kind == "step"]
        cue = self.cues.on_step(steps[-1].index, steps[-1].reason) if steps else ""
        if self.engine.finished and self.stage == "running":
            cue += self._end()
        return Moved(events, cue)

    def update(self) -> Moved:
        """Catch up with the clock."""
        return self._moved(self.engine.update()) if self.running else Moved()

    def skip(self) -> Moved:
        return self._moved(self.engine.skip()) if self.running else Moved()

    def back(self) -> Moved:
        return self._moved(self.engine.back()) if self.running else Moved()

    def add_time(self) -> None:
        if self.running:
            self.engine.add_time()

    def set_paused(self, paused: bool) -> None:
        if self.running:
            (self.engine.pause if paused else self.engine.resume)()

    def symptoms(self) -> Moved:
        """The "symptoms spreading" stop (key ``x``)."""
        return self._moved(self.engine.symptoms()) if self.running else Moved()

    def interrupt(self, reason: str) -> None:
        """End as ``interrupted`` (a signal, the app closed, the terminal gone): nothing more is asked."""
        if self.recorder.started is not None and self.recorder.interrupt(reason):
            self.stage = "done"
            self.question = None
            self._queue = []

    def second_cue(self) -> str:
        """The cues of the second shown now (a tick, the window title)."""
        engine = self.engine
        if not self.running:
            return ""
        second = engine.display_seconds
        title = self.cues.title(engine.index, second) if engine.running else ""
        return title + self.cues.on_second(engine.index, second, running=engine.running)

    def close_cue(self) -> str:
        """When the player closes: the terminal's title back."""
        return self.cues.on_close()

    # ------------------------------------------------------------ questions while it runs
    def opened_response(self, index: int) -> ResponseQuestion | None:
        """The "how did that feel?" question step ``index`` opens (once per stretch), else None."""
        item = self.engine.item_finished_at(index)
        if item is None or item in self._prompted or self.engine.status == "symptoms":
            return None
        self._prompted.add(item)
        return ResponseQuestion(item, self.recorder.item_name(item), self.given.respond)

    @property
    def response_item(self) -> int | None:
        """The routine item whose "how did that feel?" is open now (None while a question is asked)."""
        return self.engine.response_item if self.running and self.question is None else None

    def respond(self, item: int, response: str) -> Moved:
        """An answer to "how did that feel?"; *spreading* pauses and asks a :class:`SpreadingQuestion`."""
        if response != "spreading":
            self.recorder.respond(item, response)
            return Moved()
        if self.engine.finished:  # the session ran on to its end meanwhile: nothing left to skip
            self.recorder.spreading_after_end(item)  # a symptom stop now: the questions after it again
            self._queue = [self._spreading_notice(item), self._last_question, self._summary_question]
            self.question = None
            return self._next()
        self._was_running = self.engine.pause()
        self.question = SpreadingQuestion(item, self.recorder.item_name(item))
        return Moved()

    def ask_stop(self) -> None:
        """Stop? pauses and asks a :class:`StopQuestion`."""
        if self.running and self.question is None:
            self._was_running = self.engine.pause()
            self.question = StopQuestion()

    def _resume(self) -> None:
        if self._was_running and self.running:
            self.engine.resume()
        self._was_running = False

    def _spreading_answered(self, question: SpreadingQuestion, value: Any) -> Moved:
        if self.engine.finished:
            return Moved()
        if value == "stop":
            self.recorder.spreading_stop(question.item)
            return self._moved(())
        if value == "skip":
            self.recorder.skip_stretch(question.item)
        self._resume()
        return Moved()

    def _stop_answered(self, value: Any) -> Moved:
        if value in ("count", "discard") and not self.engine.finished:
            self.recorder.stop("stopped", "user", counted=value == "count")
            return self._moved(())
        self._resume()
        return Moved()

    # ------------------------------------------------------------ the end
    def _spreading_notice(self, item: int) -> AdviceNotice:
        return AdviceNotice(f"Symptoms spreading after {self.recorder.item_name(item)}", self.stop_advice())

    def _end(self) -> str:
        """The session ended: queue the questions after it; returns the end's cue."""
        engine = self.engine
        self.stage = "after"
        if engine.status == "interrupted":
            self.stage = "done"
            self._queue = []
        else:
            # Each is worked out when its turn comes: an answer before it can change the record.
            self._queue = [self._symptoms_notice, self._last_question, self._summary_question]
            self._next()
        return self.cues.on_end(engine.status, self.routine.name)

    def _symptoms_notice(self) -> AdviceNotice | None:
        if self.engine.status != "symptoms":
            return None
        stop_note = self.recorder.stop_note  # "Symptoms spread after X." when a stretch was named
        named = stop_note.removeprefix("Symptoms spread").rstrip(".") if stop_note else ""
        return AdviceNotice(f"Stopped: symptoms spreading{named}", self.stop_advice())

    def _last_question(self) -> ResponseQuestion | None:
        last = self._last_unasked()
        if last is None:
            return None
        return ResponseQuestion(last, self.recorder.item_name(last), self.given.respond, last=True)

    def _summary_question(self) -> SummaryQuestion:
        return SummaryQuestion(self.recorder.document(), self.pain_before, self.given.pain_after)

    def _last_unasked(self) -> int | None:
        """The last stretch when the session completed with it (no rest after it to ask in)."""
        engine = self.engine
        if engine.status != "completed":
            return None
        item = engine.steps[-1].item
        done, _skipped = engine.item_counts(item)
        if item in self.recorder.responses or item in self._prompted or sum(done.values()) == 0:
            return None
        return item

    def _last_answered(self, question: ResponseQuestion, value: Any) -> None:
        if value not in RESPONSES:
            return
        if value != "spreading":
            self.recorder.respond(question.item, value)
            return
        self.recorder.spreading_after_end(question.item)  # a symptom stop naming it
        self._queue.insert(0, self._spreading_notice(question.item))

    def _summary_answered(self, answer: SummaryAnswer) -> None:
        recorder = self.recorder
        self.summary = answer
        if answer != SummaryAnswer(self.pain_before, None, ""):  # something was added or changed
            recorder.set_summary(pain_before=answer.pain_before, pain_after=answer.pain_after,
                                 note=answer.note or recorder.note)
        self.pain_before = answer.pain_before
