"""The guided player: ``PlayerScreen(routine)``.

Pushed by ``app.play_routine(routine)``. A thin renderer of
:class:`~stretchtui.core.domain.play_session.PlaySession`, which owns the
engine, the recorder (written through the app's one writer thread, its
``SessionSink``) and the cues: the screen shows the steps and asks each of
the session's questions in its dialog (:data:`DIALOGS`; the checklist answers
the red-flag groups and the pain before in one dialog, the summary the pain
after and the note), and gives the answers back. It decides nothing about
the session itself.

Keeping the CPU low (``bench/bench_cpu.py``): the screen does not poll.
Each tick asks the engine how long until the shown second changes
(:attr:`PlayerEngine.seconds_to_next_change`) and sets a one-shot timer for
that moment, so it wakes once a second, exactly when the digits change
(re-armed after pause, skip, back and +10 s; no timer while paused). Each
tick repaints only what changed and never asks for a layout pass unless a
label's length changed: the digits and time labels keep their size. The
bars repaint only when their drawn eighth-cells change and glide to the new
value in a few frames (:class:`~stretchtui.ui.widgets.countdown.EasedBar`).

Options (keyword arguments, else ``make_app(player_options=...)``, else defaults):
``tick_interval`` a fixed number of seconds between ticks instead of
ticking on the second (tests pass a huge one and call :meth:`tick` directly),
``cue_sink`` a callable receiving each cue escape sequence (default: written
to the terminal through the app's driver, nothing when headless),
``checklist`` whether to show the red-flag checklist (default: profile).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Label, Static

from ...core.domain.models import UNTITLED, Profile, Routine
from ...core.domain.play_session import (
    RESPONSE_KEYS,
    AdviceNotice,
    FlareQuestion,
    Moved,
    PainQuestion,
    PlaySession,
    RedFlagQuestion,
    ResponseQuestion,
    SpreadingQuestion,
    StopQuestion,
    SummaryAnswer,
    SummaryQuestion,
)
from ...core.domain.player import PHASE_LABELS, PlayerEngine, SessionRecorder, step_label
from ...core.domain.pose import pose_for
from ...core.domain.session import status_info
from ...core.domain.session_rules import pain_answer
from ...core.domain.steps import Step
from ...core.domain.timeline import format_duration
from ..background import poster
from ..widgets.app_modebar import ModeFooter
from ..widgets.breathing import FigureWithBreath
from ..widgets.countdown import BigDigits, EasedBar, format_seconds
from ..widgets.figure import ascii_figures
from .base import AppScreen
from .checklist import AdviceScreen, ChecklistScreen
from .dialogs import Dialog
from .player_adapt import (
    RESPONSE_WORDS,
    FlareOfferDialog,
    ResponseBar,
    ResponseDialog,
    SpreadingDialog,
)

#: The layout of this module's screens, beside it (read when one is first shown).
CSS_FILE = Path(__file__).with_name("player.tcss")


#: Fixed seconds between ticks; None (the default) ticks when the shown second changes.
TICK_INTERVAL: float | None = None

#: A tick lands this long after the digits' change, so it never wakes just before it.
TICK_LATE = 0.01

_PHASE_GROUP = {
    "get-ready": "get-ready",
    "hold": "work",
    "rep": "work",
    "move": "work",
    "switch": "switch",
    "rest": "rest",
}


def _dur(seconds: int) -> str:
    """``20`` → ``"20 s"``, ``90`` → ``"1:30"``."""
    return f"{seconds} s" if seconds < 60 else format_seconds(seconds)


class StopDialog(Dialog["str | None"]):
    """Stop the session? Dismisses with "count", "discard" or None (keep going)."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [
        Binding("escape", "answer('')", "Keep going", id="stop.keep-going"),
        Binding("c,y", "answer('count')", "Stop and count", show=False, id="stop.count"),
        Binding("d,n", "answer('discard')", "Stop, don't count", show=False, id="stop.discard"),
        Binding("left,right", "app.focus_previous", show=False, id="stop.switch-button"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Stop the session?", classes="dialog-title", markup=False)
            yield Static(
                "It is saved in your history either way. Should it count in your totals "
                "and streaks? (c: count it, d: do not count it, Escape: keep going)",
                markup=False,
                classes="dialog-message",
            )
            with Horizontal():
                yield Button("Stop, count it", id="stop-count", variant="primary")
                yield Button("Stop, don't count", id="stop-discard")
                yield Button("Keep going", id="stop-keep")

    def on_mount(self) -> None:
        self.query_one("#stop-keep", Button).focus()

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer or None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss({"stop-count": "count", "stop-discard": "discard"}.get(event.button.id or ""))


#: The dialog that asks each kind of the session's questions (the checklist and the summary wait for more).
DIALOGS: dict[type, Callable[[Any], Screen[Any]]] = {
    FlareQuestion: lambda q: FlareOfferDialog(" ".join(q.lines[:-1]), q.lines[-1], available=q.available),
    SpreadingQuestion: lambda q: SpreadingDialog(q.name),
    StopQuestion: lambda q: StopDialog(),
    AdviceNotice: lambda q: AdviceScreen(q.title, q.paragraphs),
    ResponseQuestion: lambda q: ResponseDialog(q.name),
}


class PlayerScreen(AppScreen[None]):
    """Runs one routine as a guided session."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [
        Binding("space", "pause", "Pause", id="player.pause"),
        Binding("space", "resume", "Resume", id="player.resume"),
        Binding("s,right", "skip", "Skip", id="player.skip"),
        Binding("b,left", "back", "Back", id="player.back"),
        Binding("plus,equals_sign,t", "add_time", "+10 s", key_display="+", id="player.add-time"),
        Binding("q,escape", "stop", "Stop", id="player.stop"),
        Binding("x", "symptoms", "Symptoms spreading", id="player.symptoms"),
        # "How did that feel?" (shown on the response bar, so not in the footer): 1, 2, 3... in RESPONSES' order
        *(Binding(key, f"respond('{response}')", RESPONSE_WORDS.get(response, f"Felt {response}"), show=False,
                  id=f"player.respond-{response}") for key, response in RESPONSE_KEYS.items()),
    ]

    def __init__(
        self,
        routine: Routine,
        *,
        tick_interval: float | None = None,
        cue_sink: Callable[[str], None] | None = None,
        checklist: bool | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.routine = routine
        self._options = {"tick_interval": tick_interval, "cue_sink": cue_sink, "checklist": checklist}
        #: The session this screen renders (built on mount).
        self.session: PlaySession | None = None
        self._timer: Timer | None = None
        self._interval: float | None = None  # fixed tick interval, None: tick on the second
        #: Real seconds until the next scheduled tick (None: none scheduled); for tests.
        self.tick_delay: float | None = None
        self._texts: dict[str, str] = {}  # what each label shows (to skip repaints and layouts)
        self._widgets: dict[str, Any] = {}  # widgets looked up once (a tick does no DOM queries)
        self._shown_second: int | None = None
        self._shown_index: int | None = None  # the step whose time is shown (a new one: the bars jump)
        self._ended = False
        self._closed = False
        self._checklist_pain: int | None = None
        self._asked: object = None  # the question on screen now (each is shown once)

    # ------------------------------------------------------------ set-up
    def _option(self, key: str, default: Any) -> Any:
        value = self._options.get(key)
        if value is None:
            value = (getattr(self.app, "player_options", None) or {}).get(key)
        return default if value is None else value

    @property
    def profile(self) -> Profile:
        profile = getattr(self.app, "profile", None)
        return profile if isinstance(profile, Profile) else Profile()

    @property
    def engine(self) -> PlayerEngine | None:
        return self.session.engine if self.session is not None else None

    @property
    def recorder(self) -> SessionRecorder | None:
        return self.session.recorder if self.session is not None else None

    @property
    def flare(self) -> bool:
        """True when the flare version is played (see :mod:`...core.domain.flare`)."""
        return self.session is not None and self.session.flare

    def compose(self) -> ComposeResult:
        with Horizontal(id="player-top"):
            yield Label(Content(self.routine.name or UNTITLED), id="player-routine")
            yield Label("", id="player-position", markup=False)
        with Vertical(id="player"):
            with Horizontal(id="player-head"):
                yield Label("", id="player-phase", markup=False)
                yield Label("", id="player-name", markup=False)
                yield Label("", id="player-rep", markup=False)
            with Horizontal(id="player-middle"):
                yield FigureWithBreath(id="player-figure-box", figure_id="player-figure", cue_id="player-breath")
                yield BigDigits(id="player-digits")
            # The bars sit right under the digits: what changes every second
            # is one block of rows, so a tick repaints only that block.
            yield EasedBar("Step", id="player-step-bar", classes="bar-row")
            yield EasedBar("Routine", id="player-routine-bar", classes="bar-row")
            yield ResponseBar(id="player-response")
            yield Static("", id="player-instruction", markup=False)
            yield Static("", id="player-caution", markup=False)
            yield Static("", id="player-how", markup=False)
            yield Label("", id="player-next", markup=False)
        yield ModeFooter()

    def on_mount(self) -> None:
        app = self.app
        missing = [i.stretch for i in self.routine.items if i.stretch not in app.catalog.stretches]
        if missing or not self.routine.items:
            why = f"uses stretches the catalog does not have: {', '.join(missing)}" if missing else "is empty"
            app.notify(f"Cannot play {self.routine.name}: it {why}.", markup=False, severity="error")
            self._close()
            return
        settings = getattr(app, "settings", None)
        # Recorded by the app's one writer thread: a slow disk never holds up the countdown.
        self.session = PlaySession(
            self.routine, app.catalog.stretches, self.profile, app.clock, app.store,
            flare_catalog=app.catalog, checklist=bool(self._option("checklist", self.profile.checklist)),
            cue_method=settings.cue_method if settings is not None else "auto", titles=True,
            sink=app.writer, on_error=poster(app, self._store_error),
        )
        interval = self._option("tick_interval", TICK_INTERVAL)
        self._interval = float(interval) if interval else None
        self._show_step()
        self._refresh_time(force=True)
        self._ask()

    # ------------------------------------------------------------ the questions
    def _ask(self) -> None:
        """Show the session's question, if it has one: each kind of question has its dialog."""
        session = self.session
        if session is None or self._closed:
            return
        question = session.question
        if question is None:
            if session.stage in ("done", "cancelled"):
                self._close()
            return
        if question is self._asked:  # on screen already
            return
        self._asked = question
        if isinstance(question, PainQuestion):  # asked in the checklist (or not at all without it)
            self._answer(self._checklist_pain if question.when == "before" else question.default)
        elif isinstance(question, RedFlagQuestion):
            self.app.push_screen(ChecklistScreen(self.routine.name, session.checklist), self._checklist_done)
        elif isinstance(question, SummaryQuestion):
            self._show_summary(question)
        else:
            self.app.push_screen(DIALOGS[type(question)](question), self._answer)

    def _answer(self, value: Any) -> None:
        session = self.session
        assert session is not None
        question, was_flare = session.question, session.flare
        moved = session.answer(value)
        if session.flare and not was_flare:
            self.routine = session.routine
            self.query_one("#player-routine", Label).update(Content(f"{self.routine.name or UNTITLED} · flare version"))
            self._show_step()
        if isinstance(question, SpreadingQuestion) and value == "skip":
            self.app.notify(f"{question.name} is left out for the rest of this session.", markup=False, timeout=4)
            self._show_step()
        self._apply(moved)
        self._ask()

    def _checklist_done(self, result: dict | None) -> None:
        """The checklist answers every red-flag question and the pain before, in one dialog."""
        session = self.session
        assert session is not None
        if not result or not (result.get("start") or result.get("flagged")):
            session.cancel()
            self._ask()
            return
        self._checklist_pain = result.get("pain")
        flagged = result.get("flagged")
        while isinstance(session.question, RedFlagQuestion):
            yes = session.question.key == flagged
            session.answer(yes)
            if yes:
                break
        self._ask()

    def _store_error(self, message: str) -> None:  # on the event loop (posted by the writer thread)
        self.app.notify(message, markup=False, severity="error", timeout=10)

    # ------------------------------------------------------------ ticking
    def tick(self) -> None:
        """Catch up with the clock and repaint what changed (called by the timer)."""
        engine = self.engine
        if self.session is None or engine is None or not engine.running:
            return
        self._apply(self.session.update())
        self._ask()

    def _timer_tick(self) -> None:
        self._timer = None  # a one-shot timer is done once it fires
        self.tick()

    def _arm(self) -> None:
        """Schedule the next tick: when the shown second changes, or at the fixed interval.

        Called after every tick and control, so skip/back/+10 s and resume
        re-align the ticks with the new step's seconds. Nothing is scheduled
        unless the session is running.
        """
        engine = self.engine
        running = engine is not None and engine.running and not self._ended
        self.tick_delay = None
        if self._interval is not None:  # fixed interval: one repeating timer, paused when not running
            if running and self._timer is None:
                self._timer = self.set_interval(self._interval, self.tick)
            elif self._timer is not None:
                (self._timer.resume if running else self._timer.pause)()
            self.tick_delay = self._interval if running else None
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not running:
            return
        assert engine is not None
        wait = engine.seconds_to_next_change or 0.0
        speed = getattr(engine.clock, "speed", 1.0) or 1.0  # --speed: session time runs faster
        self.tick_delay = max(0.005, wait / speed + TICK_LATE)
        self._timer = self.set_timer(self.tick_delay, self._timer_tick)

    def _apply(self, moved: Moved) -> None:
        """Show what the session did: cue, the new step, the end, then the time."""
        session = self.session
        assert session is not None
        self._cue(moved.cue)
        if not session.running:
            if session.recorder.started is not None:
                self._session_over()
                self._ask()  # what the end asks (however it came: time, skip, a stop)
            return
        if moved.steps:
            self._show_step()
        self._refresh_time(force=bool(moved.steps))
        self._arm()

    def _widget(self, selector: str, kind: type) -> Any:
        widget = self._widgets.get(selector)
        if widget is None:
            widget = self._widgets[selector] = self.query_one(selector, kind)
        return widget

    def _label(self, selector: str, text: str) -> None:
        """Show ``text`` in a label, without a layout pass unless its length changed."""
        old = self._texts.get(selector)
        if old == text:
            return
        self._texts[selector] = text
        widget = self._widget(selector, Static)
        widget.update(text, layout=old is None or len(old) != len(text))

    def _refresh_time(self, *, force: bool = False) -> None:
        engine = self.engine
        if engine is None:
            return
        second = engine.display_seconds
        digits = self._widget("#player-digits", BigDigits)
        if force or second != self._shown_second:
            self._shown_second = second
            digits.set_seconds(second, widest=format_seconds(round(engine.step_duration)))
            # One convention: the big digits count down (time left, and the
            # top bar says "left"); each bar and its label count up, in the
            # same seconds, so "position + left" is always the routine's length.
            duration = round(engine.step_duration)
            self._widget("#player-step-bar", EasedBar).set_suffix(
                f"{format_duration(duration - second)} / {format_duration(duration)}"
            )
            position, left = engine.routine_position, engine.planned_left
            # Whole minutes up here (it changes once a minute, so the top row is
            # not repainted every second); the Routine row has the seconds.
            self._label(
                "#player-position",
                f"step {engine.work_number} of {engine.work_total} · {math.ceil(round(left) / 60)} min left",
            )
            self._widget("#player-routine-bar", EasedBar).set_suffix(
                f"{format_duration(position)} / {format_duration(round(position) + round(left))}"
            )
            if self.session is not None:
                self._cue(self.session.second_cue())
        # The last seconds change colour on steps long enough to have "last seconds" (not a 2 s rep).
        digits.set_class(engine.running and 0 < second <= 3 < engine.step_duration, "-final")
        digits.set_class(engine.paused, "-paused")
        # A new step's bar starts empty at once (no glide down from the last step's full bar under a "0:00").
        new_step, self._shown_index = self._shown_index != engine.index, engine.index
        self._widget("#player-step-bar", EasedBar).set_fraction(engine.step_fraction, ease=not new_step)
        self._widget("#player-routine-bar", EasedBar).set_fraction(engine.routine_fraction)

    def _show_step(self) -> None:
        """Labels, figure and phase style of the current step."""
        engine = self.engine
        assert engine is not None
        step = engine.step
        stretch = self.app.catalog.get(step.stretch_id)
        group = _PHASE_GROUP.get(step.kind, "work")
        for other in set(_PHASE_GROUP.values()):
            self.set_class(other == group, f"-phase-{other}")
        self._show_phase()
        self.query_one("#player-name", Label).update(step.name)
        parts = []
        if step.is_work and step.reps > 1:
            parts.append(f"rep {step.rep}/{step.reps}")
        if step.side:
            parts.append(f"{step.side} side")
        self.query_one("#player-rep", Label).update(" · ".join(parts))
        self._show_figure(step, stretch)
        session = self.session
        assert session is not None
        self.query_one("#player-instruction", Static).update(step.instruction)
        caution = session.caution(step)
        self.query_one("#player-caution", Static).update(f"Caution: {caution}" if caution else "")
        self.query_one("#player-caution", Static).display = bool(caution)
        self.query_one("#player-how", Static).update(session.how(step))
        following = engine.next_step
        if following is None:
            nxt = "Next: the end of the session"
        else:
            nxt = f"Next: {following.name} — {step_label(following)} ({_dur(following.seconds)})"
        self.query_one("#player-next", Label).update(nxt)
        self._show_response()

    def _show_figure(self, step: Step, stretch: Any) -> None:
        """The stretch's figure, moving with the step (still during holds)."""
        engine = self.engine
        assert engine is not None
        profile = self.profile
        self._widget("#player-figure-box", FigureWithBreath).play_step(
            pose_for(step.stretch_id, self.app.catalog),
            step.kind,
            lambda: engine.step_elapsed,
            engine.step_duration,
            breathing=stretch.breathing if stretch is not None else None,
            speed=getattr(engine.clock, "speed", 1.0) or 1.0,
            still=self.app.animation_level == "none" or profile.still_figures,
            ascii=ascii_figures(self.app),
            fallback="\n".join(stretch.figure) if stretch is not None else "",
            mirror=step.side == "right",
        )

    def _show_phase(self) -> None:
        engine = self.engine
        assert engine is not None
        label = "PAUSED" if engine.paused else PHASE_LABELS.get(engine.step.kind, "").upper()
        self.query_one("#player-phase", Label).update(label)
        self.set_class(engine.paused, "-paused")

    # ------------------------------------------------------------ cues
    def _cue(self, sequence: str) -> None:
        """Write a cue the session gave (bell, notification, title) to the terminal, or the test's sink."""
        if not sequence:
            return
        sink = self._option("cue_sink", None)
        if sink is not None:
            sink(sequence)
            return
        driver = getattr(self.app, "_driver", None)
        if self.app.is_headless or driver is None:
            return
        try:
            driver.write(sequence)
        except Exception:
            pass

    # ------------------------------------------------------------ controls
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        engine = self.engine
        active = self.session_active
        if action == "pause":
            return active and engine is not None and engine.running
        if action == "resume":
            return active and engine is not None and engine.paused
        if action in ("skip", "back", "add_time", "stop", "symptoms"):
            return active
        if action == "respond":
            return active and self.session is not None and self.session.response_item is not None
        return True

    def action_pause(self) -> None:
        self._set_paused(True)

    def action_resume(self) -> None:
        self._set_paused(False)

    def action_toggle_pause(self) -> None:
        engine = self.engine
        if engine is not None:
            self._set_paused(not engine.paused)

    def _set_paused(self, paused: bool) -> None:
        if self.session is None or not self.session.running:
            return
        self.session.set_paused(paused)
        self._paused_changed()

    def _paused_changed(self) -> None:
        engine = self.engine
        assert engine is not None
        self._widget("#player-figure-box", FigureWithBreath).set_paused(engine.paused)
        self._arm()
        self._show_phase()
        self._refresh_time(force=True)
        self.refresh_bindings()

    @property
    def session_active(self) -> bool:
        """True while the session runs or is paused (not before the checklist, not after the end)."""
        return self.session is not None and self.session.running and not self._ended

    def hold(self) -> Callable[[], None]:
        """Pause for a dialog (the quit and too-small screens); returns what resumes it if it was running."""
        engine = self.engine
        was_running = engine is not None and engine.running
        if was_running:
            self._set_paused(True)

        def resume() -> None:
            if was_running and self.session_active:
                self._set_paused(False)

        return resume

    def action_skip(self) -> None:
        if self.session is not None:
            self._apply(self.session.skip())

    def action_back(self) -> None:
        if self.session is not None:
            self._apply(self.session.back())

    def action_add_time(self) -> None:
        if self.session is not None:
            self.session.add_time()
            self._refresh_time(force=True)
            self._arm()

    def action_stop(self) -> None:
        if self.session is not None and self.session_active:
            self.session.ask_stop()
            self._paused_changed()
            self._ask()

    def action_symptoms(self) -> None:
        """Symptoms spreading: end at once, record it, show the advice."""
        if self.session is not None:
            self._apply(self.session.symptoms())
            self._ask()

    # ------------------------------------------------------------ responses
    def _show_response(self) -> None:
        """Open the "how did that feel?" bar while an item's prompt is open, else close it."""
        session = self.session
        item = session.engine.response_item if session is not None and session.running and not self._ended else None
        bar = self._widget("#player-response", ResponseBar)
        if item is None or session is None:
            bar.show(None)
        else:
            bar.show(session.recorder.item_name(item), session.recorder.responses.get(item))
        self.set_class(item is not None, "-asking")

    def action_respond(self, response: str) -> None:
        """Answer "how did that feel?" for the stretch just finished (a digit or a click)."""
        session = self.session
        if session is None or self._ended:
            return
        item = session.response_item
        if item is None:
            return
        self._apply(session.respond(item, response))
        if session.question is not None:  # spreading: paused, and asked
            self._paused_changed()
            self._ask()
        else:
            self._show_response()

    @on(Button.Pressed, "ResponseBar Button")
    def _response_clicked(self, event: Button.Pressed) -> None:
        event.stop()
        response = (event.button.id or "").removeprefix("respond-")
        if self.check_action("respond", (response,)):
            self.action_respond(response)

    # ------------------------------------------------------------ the end
    def _session_over(self) -> None:
        """The session ended: stop ticking and show its status (its questions follow)."""
        if self._ended:
            return
        self._ended = True
        engine, session = self.engine, self.session
        assert engine is not None and session is not None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._show_phase()
        self.query_one("#player-phase", Label).update(status_info(engine.status).badge)
        self.query_one("#player-next", Label).update("")  # nothing comes next (no stale "Next:" after a stop)
        self._show_response()
        self._refresh_time(force=True)
        self.refresh_bindings()
        self._cue(session.close_cue())

    def _show_summary(self, question: SummaryQuestion) -> None:
        from .session_summary import SessionSummaryScreen

        session = self.session
        assert session is not None

        def written(saved: bool) -> None:  # once the session's last record is written (or refused)
            if self.is_attached:
                self.app.push_screen(SessionSummaryScreen(dict(question.doc), saved=saved), self._summary_done)

        session.recorder.after_writes(poster(self, written))

    def _summary_done(self, result: dict | None) -> None:
        session = self.session
        assert session is not None and isinstance(session.question, SummaryQuestion)
        recorder, app = session.recorder, self.app
        if result is None:  # closed with nothing added
            session.answer(session.question.default)
        else:
            failures = len(recorder.errors)
            flagged = pain_answer(result.get("pain_before"), result.get("pain_after")).flag

            def written(_saved: bool) -> None:  # this write did not fail: say so (after the player closed)
                if len(recorder.errors) == failures:
                    app.notify("Saved in your history" + (", marked: pain rose" if flagged else ""), timeout=3)

            session.answer(SummaryAnswer(result.get("pain_before"), result.get("pain_after"),
                                         str(result.get("note") or "")))
            recorder.after_writes(poster(app, written))
        self._ask()

    def _close(self) -> None:
        if not self._closed:
            self._closed = self._ended = True
            self.dismiss(None)

    def on_unmount(self) -> None:
        session = self.session
        if session is not None:
            session.interrupt("app-closed")  # only a session still running
            self._cue(session.close_cue())
