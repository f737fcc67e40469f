"""The guided player: ``PlayerScreen(routine)``.

Pushed by ``app.play_routine(routine)``. It builds the timeline from the
app's catalog and profile, runs a :class:`~stretchtui.core.domain.player.PlayerEngine`
on the app's clock and records the session through a
:class:`~stretchtui.core.domain.player.SessionRecorder`.

Flow: red-flag checklist (optional) → session → red-flag advice (only after
the "symptoms spreading" stop) → summary (pain and note) → the screen
dismisses itself.

Keeping the CPU low (``bench/bench_cpu.py``): the screen does not poll.
Each tick asks the engine how long until the shown second changes
(:attr:`PlayerEngine.seconds_to_next_change`) and sets a one-shot timer for
that moment, so it wakes once a second, exactly when the digits change
(re-armed after pause, skip, back and +10 s; no timer while paused). Each
tick repaints only what changed and never asks for a layout pass unless a
label's length changed: the digits and time labels keep their size. The
bars repaint only when their drawn eighth-cells change and glide to the new
value in a few frames (:class:`~stretchtui.ui.widgets.countdown.EasedBar`).

Options (keyword arguments, else ``app.player_options``, else defaults):
``tick_interval`` a fixed number of seconds between ticks instead of
ticking on the second (tests pass a huge one and call :meth:`tick` directly),
``cue_sink`` a callable receiving each cue escape sequence (default: written
to the terminal through the app's driver, nothing when headless),
``checklist`` whether to show the red-flag checklist (default: profile).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Button, Label, Static

from ...core.domain import cues
from ...core.domain.models import UNTITLED, Profile, Routine, Step
from ...core.domain.player import (
    PHASE_LABELS,
    PlayerEngine,
    PlayerEvent,
    SessionRecorder,
    step_label,
)
from ...core.domain.pose import pose_for
from ...core.domain.rules import avoid_ids
from ...core.domain.session import status_info
from ...core.domain.timeline import build_timeline, format_duration
from ..background import poster
from ..widgets.app_modebar import ModeFooter
from ..widgets.breathing import FigureWithBreath
from ..widgets.countdown import BigDigits, EasedBar, format_seconds
from ..widgets.figure import ascii_figures
from .base import AppScreen
from .dialogs import Dialog
from .player_adapt import FlareOfferDialog, ResponseBar, SpreadingDialog

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

    DEFAULT_CSS = """
    StopDialog > Vertical {
        width: 64;
    }
    StopDialog .dialog-message {
        width: 100%;
    }
    StopDialog Horizontal {
        height: auto;
        align-horizontal: right;
        margin-top: 1;
    }
    """

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


class PlayerScreen(AppScreen[None]):
    """Runs one routine as a guided session."""

    DEFAULT_CSS = """
    PlayerScreen {
        layout: vertical;
    }
    PlayerScreen #player {
        height: 1fr;
        padding: 0 1;
        align-vertical: middle;
    }
    PlayerScreen #player-top {
        height: 1;
        padding: 0 1;
        color: $text-muted;
        background: $panel;
    }
    PlayerScreen #player-routine {
        width: 1fr;
    }
    PlayerScreen #player-position {
        width: auto;
    }
    PlayerScreen #player-head {
        height: 1;
    }
    PlayerScreen #player-phase {
        width: auto;
        min-width: 14;
        padding: 0 1;
        text-style: bold;
        content-align: center middle;
        background: $primary;
        color: $text;
    }
    /* One colour per phase, for the label and the digits alike. */
    PlayerScreen.-phase-get-ready #player-phase {
        background: $warning;
        color: auto 90%;
    }
    PlayerScreen.-phase-work #player-phase {
        background: $success;
        color: auto 90%;
    }
    PlayerScreen.-phase-rest #player-phase {
        background: $primary;
        color: auto 90%;
    }
    PlayerScreen.-phase-switch #player-phase {
        background: $error;
        color: auto 90%;
    }
    PlayerScreen.-paused #player-phase {
        background: $panel;
        color: $text-muted;
    }
    PlayerScreen #player-name {
        width: 1fr;
        padding: 0 1;
        text-style: bold;
    }
    PlayerScreen #player-rep {
        width: auto;
        color: $text-accent;
    }
    PlayerScreen #player-middle {
        height: 1fr;
        min-height: 5;
        margin-top: 1;
    }
    PlayerScreen #player-figure-box {
        width: 38%;
        height: 100%;
    }
    PlayerScreen #player-figure {
        content-align: center middle;
        color: $text-muted;
    }
    /* The digits take the phase's colour (the phase is also in words above them). */
    PlayerScreen.-phase-get-ready #player-digits {
        color: $text-warning;
    }
    PlayerScreen.-phase-work #player-digits {
        color: $text-success;
    }
    PlayerScreen.-phase-rest #player-digits {
        color: $text-primary;
    }
    PlayerScreen.-phase-switch #player-digits {
        color: $text-error;
    }
    PlayerScreen #player-digits.-final {
        color: $text-warning;
    }
    PlayerScreen.-paused #player-digits {
        color: $text-muted;
    }
    PlayerScreen #player-instruction {
        width: 100%;
        height: auto;
        margin-top: 1;
        text-style: bold;
    }
    PlayerScreen #player-how {
        width: 100%;
        height: auto;  /* never cut: the figure and digits above give way (a get-ready text is up to 7 lines at 60 columns) */
        color: $text-muted;
    }
    PlayerScreen .bar-row {
        width: 100%;
        height: 1;
    }
    PlayerScreen #player-step-bar {
        margin-top: 1;
    }
    PlayerScreen.-phase-get-ready #player-step-bar {
        color: $warning;
    }
    PlayerScreen.-phase-work #player-step-bar {
        color: $success;
    }
    PlayerScreen.-phase-rest #player-step-bar {
        color: $primary;
    }
    PlayerScreen.-phase-switch #player-step-bar {
        color: $error;
    }
    PlayerScreen #player-next {
        width: 100%;
        margin-top: 1;
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("space", "pause", "Pause", id="player.pause"),
        Binding("space", "resume", "Resume", id="player.resume"),
        Binding("s,right", "skip", "Skip", id="player.skip"),
        Binding("b,left", "back", "Back", id="player.back"),
        Binding("plus,equals_sign,t", "add_time", "+10 s", key_display="+", id="player.add-time"),
        Binding("q,escape", "stop", "Stop", id="player.stop"),
        Binding("x", "symptoms", "Symptoms spreading", id="player.symptoms"),
        # "How did that feel?" (shown on the response bar, so not in the footer)
        Binding("1", "respond('better')", "Felt better", show=False, id="player.respond-better"),
        Binding("2", "respond('same')", "Felt the same", show=False, id="player.respond-same"),
        Binding("3", "respond('worse')", "Felt worse", show=False, id="player.respond-worse"),
        Binding("4", "respond('spreading')", "Symptoms spreading after it", show=False,
                id="player.respond-spreading"),
        Binding("5", "respond('central')", "Symptoms moved toward the spine", show=False,
                id="player.respond-central"),
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
        self.engine: PlayerEngine | None = None
        self.recorder: SessionRecorder | None = None
        self._timer: Timer | None = None
        self._interval: float | None = None  # fixed tick interval, None: tick on the second
        #: Real seconds until the next scheduled tick (None: none scheduled); for tests.
        self.tick_delay: float | None = None
        self._texts: dict[str, str] = {}  # what each label shows (to skip repaints and layouts)
        self._widgets: dict[str, Any] = {}  # widgets looked up once (a tick does no DOM queries)
        self._shown_second: int | None = None
        self._title_pushed = False
        self._ended = False
        self._cues: cues.SessionCues | None = None
        #: True when the flare version is played (see :mod:`...core.flare`).
        self.flare = False

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
            yield Static("", id="player-how", markup=False)
            yield Label("", id="player-next", markup=False)
        yield ModeFooter()

    def on_mount(self) -> None:
        app = self.app
        profile = self.profile
        if getattr(app, "settings", None) is not None:
            self._flavours = app.settings.flavours()  # cue_method in config.toml
        missing = [i.stretch for i in self.routine.items if i.stretch not in app.catalog.stretches]
        if missing or not self.routine.items:
            why = f"uses stretches the catalog does not have: {', '.join(missing)}" if missing else "is empty"
            app.notify(f"Cannot play {self.routine.name}: it {why}.", markup=False, severity="error")
            self._ended = True
            self.dismiss(None)
            return
        self._prepare()
        if self._option("checklist", profile.checklist):
            from .checklist import ChecklistScreen

            pregnant = "pregnancy" in profile.conditions
            self.app.push_screen(
                ChecklistScreen(self.routine.name, pregnant=pregnant, high_pain_asks=False), self._checklist_done
            )
        else:
            self._begin(None)

    def _prepare(self) -> None:
        """Timeline, engine, cues and recorder for :attr:`routine` (again after the flare offer)."""
        app, profile = self.app, self.profile
        timeline = build_timeline(
            self.routine, app.catalog.stretches, get_ready=profile.get_ready, between=profile.default_rest
        )
        self.engine = PlayerEngine(timeline, app.clock)
        self._cues = cues.SessionCues.for_profile(
            self.engine.steps, profile, tmux=cues.in_tmux(), flavours=cues.notification_flavours()
        )
        # Recorded by the app's one writer thread: a slow disk never holds up the countdown.
        self.recorder = SessionRecorder(
            app.store, self.routine, self.engine, app.catalog.stretches, app.clock,
            on_error=poster(app, self._store_error), writer=app.writer,
        )
        self.recorder.flare_version = self.flare
        self.recorder.avoid_played = avoid_ids(self.routine, app.catalog, profile)  # past the gate
        self._show_step()
        self._refresh_time(force=True)

    def _checklist_done(self, result: dict | None) -> None:
        if result and result.get("start"):
            self._begin(result.get("pain"))
        else:
            self._ended = True
            self.dismiss(None)

    def start(self, pain_before: int | None = None) -> None:
        """Start the session (after the checklist)."""
        assert self.recorder is not None
        self._cue(cues.ESC + "[22;0t")  # keep the terminal's own title to restore later
        self._title_pushed = True
        interval = self._option("tick_interval", TICK_INTERVAL)
        self._interval = float(interval) if interval else None
        events = self.recorder.start(pain_before=pain_before)
        self._after(events)
        self.refresh_bindings()

    def _store_error(self, message: str) -> None:  # on the event loop (posted by the writer thread)
        self.app.notify(message, markup=False, severity="error", timeout=10)

    # ------------------------------------------------------------ ticking
    def tick(self) -> None:
        """Catch up with the clock and repaint what changed (called by the timer)."""
        engine = self.engine
        if engine is None or not engine.running:
            return
        self._after(engine.update())

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

    def _after(self, events: Iterable[PlayerEvent]) -> None:
        """Record, cue and show the result of engine events, then the time."""
        events = list(events)
        assert self.recorder is not None and self.engine is not None
        if events:
            self.recorder.handle(events)
        steps = [e for e in events if e.kind == "step"]
        finished = any(e.kind == "finished" for e in events)
        if steps and not finished:
            self._show_step()
            self._phase_cue(steps[-1])
        if finished:
            self._session_over()
            return
        self._refresh_time(force=bool(steps))
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
            step = engine.step
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
            if engine.running:
                self._cue(cues.window_title(f"{format_seconds(second)} {PHASE_LABELS.get(step.kind, '')}: {step.name} · stretchtui"))
        if self._cues is not None:
            self._cue(self._cues.on_second(engine.index, second, running=engine.running))
        # The last seconds change colour on steps long enough to have "last seconds" (not a 2 s rep).
        digits.set_class(engine.running and 0 < second <= 3 < engine.step_duration, "-final")
        digits.set_class(engine.paused, "-paused")
        self._widget("#player-step-bar", EasedBar).set_fraction(engine.step_fraction)
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
        self.query_one("#player-instruction", Static).update(step.instruction)
        self.query_one("#player-how", Static).update(self._how(step, stretch, flare=self.flare))
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

    @staticmethod
    def _how(step: Step, stretch: Any, *, flare: bool = False) -> str:
        from ...core.domain.flare import FLARE_SHORT
        from ...core.domain.session_rules import RULES_SHORT, work_cues

        if stretch is None:
            return ""
        if step.kind == "get-ready":
            return (FLARE_SHORT if flare else RULES_SHORT) + " " + " ".join(stretch.steps)
        if step.is_work:
            return " ".join(work_cues(stretch)) or " ".join(stretch.steps[1:2])
        if step.kind == "switch":
            return f"Same stretch, {step.side} side. " + " ".join(stretch.steps[:1])
        return "Let the muscles go soft and breathe out slowly."

    def _show_phase(self) -> None:
        engine = self.engine
        assert engine is not None
        label = "PAUSED" if engine.paused else PHASE_LABELS.get(engine.step.kind, "").upper()
        self.query_one("#player-phase", Label).update(label)
        self.set_class(engine.paused, "-paused")

    # ------------------------------------------------------------ cues
    def _cue(self, sequence: str) -> None:
        if not sequence:
            return
        sink = self._option("cue_sink", None)
        if sink is not None:
            sink(sequence)
            return
        app = self.app
        driver = getattr(app, "_driver", None)
        if app.is_headless or driver is None:
            return
        try:
            driver.write(sequence)
        except Exception:
            pass

    def _phase_cue(self, event: PlayerEvent) -> None:
        if self._cues is not None:
            self._cue(self._cues.on_step(event.index, event.reason))

    def _restore_title(self) -> None:
        if self._title_pushed:
            self._title_pushed = False
            self._cue(cues.window_title("stretchtui") + cues.ESC + "[23;0t")

    # ------------------------------------------------------------ controls
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        engine = self.engine
        active = engine is not None and engine.state in ("running", "paused") and not self._ended
        if action == "pause":
            return active and engine is not None and engine.running
        if action == "resume":
            return active and engine is not None and engine.paused
        if action in ("skip", "back", "add_time", "stop", "symptoms"):
            return active
        if action == "respond":
            return active and engine is not None and engine.response_item is not None
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
        engine = self.engine
        if engine is None or engine.finished:
            return
        if paused:
            engine.pause()
        else:
            engine.resume()
        self._widget("#player-figure-box", FigureWithBreath).set_paused(engine.paused)
        self._arm()
        self._show_phase()
        self._refresh_time(force=True)
        self.refresh_bindings()

    @property
    def session_active(self) -> bool:
        """True while the session runs or is paused (not before the checklist, not after the end)."""
        engine = self.engine
        return engine is not None and engine.state in ("running", "paused") and not self._ended

    def hold(self) -> Callable[[], None]:
        """Pause for a dialog (as the Stop dialog does); returns what resumes it if it was running."""
        engine = self.engine
        was_running = engine is not None and engine.running
        if was_running:
            self._set_paused(True)

        def resume() -> None:
            if was_running and self.session_active:
                self._set_paused(False)

        return resume

    def action_skip(self) -> None:
        if self.engine is not None:
            self._after(self.engine.skip())

    def action_back(self) -> None:
        if self.engine is not None:
            self._after(self.engine.back())

    def action_add_time(self) -> None:
        if self.engine is not None:
            self.engine.add_time()
            self._refresh_time(force=True)
            self._arm()

    def action_stop(self) -> None:
        engine = self.engine
        if engine is None or engine.finished:
            return
        resume = self.hold()

        def answered(answer: str | None) -> None:
            if answer in ("count", "discard") and not engine.finished:
                assert self.recorder is not None
                self.recorder.stop("stopped", "user", counted=answer == "count")
                self._session_over()
            else:
                resume()

        self.app.push_screen(StopDialog(), answered)

    def action_symptoms(self) -> None:
        """Symptoms spreading: end at once, record it, show the advice."""
        if self.engine is not None and not self.engine.finished:
            self._after(self.engine.symptoms())

    # ------------------------------------------------------------ flare offer
    def _begin(self, pain_before: int | None) -> None:
        """Start, after offering the flare version when pain before is 7+ or the profile's flare is on."""
        from ...core.domain.flare import describe, flare_offered, flare_plan

        profile = self.profile
        if not flare_offered(pain_before, profile.flare):
            self.start(pain_before=pain_before)
            return
        plan = flare_plan(self.routine, self.app.catalog, profile.conditions)
        from ...core.domain.session_rules import pain_answer

        high = pain_answer(pain_before, None, flare_routine=plan.instead)  # the flare routine for this user
        why = " ".join(high.lines) if high else "Your profile says you are in a flare."

        def answered(answer: str | None) -> None:
            if answer == "flare":
                self.flare = True
                self.routine = plan.routine
                self.query_one("#player-routine", Label).update(
                    Content(f"{self.routine.name or UNTITLED} · flare version")
                )
                self._prepare()
            if answer in ("flare", "full"):
                self.start(pain_before=pain_before)
            else:
                self._ended = True
                self.dismiss(None)

        self.app.push_screen(FlareOfferDialog(why, describe(plan), available=not plan.empty), answered)

    # ------------------------------------------------------------ responses
    def _show_response(self) -> None:
        """Open the "how did that feel?" bar while an item's prompt is open, else close it."""
        engine, recorder = self.engine, self.recorder
        item = engine.response_item if engine is not None and not self._ended else None
        bar = self._widget("#player-response", ResponseBar)
        if item is None or recorder is None:
            bar.show(None)
        else:
            bar.show(recorder.item_name(item), recorder.responses.get(item))

    def action_respond(self, response: str) -> None:
        """Answer "how did that feel?" for the stretch just finished (1-4 or a click)."""
        engine, recorder = self.engine, self.recorder
        if engine is None or recorder is None or self._ended:
            return
        item = engine.response_item
        if item is None:
            return
        if response == "spreading":
            self._spreading(item)
            return
        recorder.respond(item, response)
        self._show_response()

    @on(Button.Pressed, "ResponseBar Button")
    def _response_clicked(self, event: Button.Pressed) -> None:
        event.stop()
        response = (event.button.id or "").removeprefix("respond-")
        if self.check_action("respond", (response,)):
            self.action_respond(response)

    def _spreading(self, item: int) -> None:
        """*Spreading*: pause and offer to stop (a symptom stop naming the stretch) or skip it from now on."""
        recorder = self.recorder
        assert recorder is not None
        resume = self.hold()
        name = recorder.item_name(item)

        def answered(answer: str | None) -> None:
            engine = self.engine
            if engine is None or engine.finished:
                return
            if answer == "stop":
                recorder.spreading_stop(item)
                self._session_over()
                return
            if answer == "skip":
                recorder.skip_stretch(item)
                self.app.notify(f"{name} is left out for the rest of this session.", markup=False, timeout=4)
                self._show_step()
            resume()

        self.app.push_screen(SpreadingDialog(name), answered)

    def _last_unasked(self) -> str | None:
        """The last stretch's name when the session completed with it (no rest after it to ask in)."""
        engine, recorder = self.engine, self.recorder
        if engine is None or recorder is None or engine.status != "completed" or not engine.steps:
            return None
        item = engine.steps[-1].item
        done, _skipped = engine.item_counts(item)
        if item in recorder.responses or sum(done.values()) == 0:
            return None
        return recorder.item_name(item)

    def _last_response(self, result: dict) -> bool:
        """Record the summary's answer about the last stretch; True when *spreading* shows the advice first."""
        engine, recorder = self.engine, self.recorder
        assert engine is not None and recorder is not None
        item = engine.steps[-1].item
        response = str(result["response"])
        if response != "spreading":
            recorder.respond(item, response)
            return False
        recorder.spreading_after_end(item)  # a symptom stop naming it
        from .checklist import AdviceScreen

        rest = dict(result, response=None)  # the pain and note, saved after the advice
        self.app.push_screen(
            AdviceScreen(f"Symptoms spreading after {recorder.item_name(item)}", self._stop_advice()),
            lambda _=None: self._summary_done(rest),
        )
        return True

    # ------------------------------------------------------------ the end
    def _session_over(self) -> None:
        if self._ended:
            return
        self._ended = True
        engine, recorder = self.engine, self.recorder
        assert engine is not None and recorder is not None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._show_phase()
        self.query_one("#player-phase", Label).update(
            status_info(engine.status).badge
        )
        self._refresh_time(force=True)
        self.refresh_bindings()
        if self._cues is not None:
            self._cue(self._cues.on_end(engine.status, self.routine.name))
        self._restore_title()
        if engine.status == "interrupted":
            self.dismiss(None)
            return
        if engine.status == "symptoms":
            from .checklist import AdviceScreen

            self.app.push_screen(
                AdviceScreen("Stop: symptoms spreading", self._stop_advice()), lambda _=None: self._show_summary()
            )
        else:
            self._show_summary()

    def _stop_advice(self) -> tuple[str, ...]:
        """The stop advice for this routine's regions (neck and arm signs after a neck routine)."""
        from ...core.domain.red_flags import stop_advice

        stretches = self.app.catalog.stretches
        regions = {r for i in self.routine.items if i.stretch in stretches for r in stretches[i.stretch].regions}
        return stop_advice(regions, pregnant="pregnancy" in self.profile.conditions)

    def _show_summary(self) -> None:
        from .session_summary import SessionSummaryScreen

        assert self.recorder is not None
        recorder = self.recorder
        ask = self._last_unasked()

        def written(saved: bool) -> None:  # once the session's last record is written (or refused)
            if self.is_attached:
                self.app.push_screen(
                    SessionSummaryScreen(recorder.document(), saved=saved, ask=ask), self._summary_done
                )

        recorder.after_writes(poster(self, written))

    def _summary_done(self, result: dict | None) -> None:
        recorder = self.recorder
        if result and recorder is not None and result.get("response") and self._last_response(result):
            return  # spreading: the advice comes first, then the rest of this
        if result and recorder is not None:
            from ...core.domain.session_rules import pain_answer

            app, failures = self.app, len(recorder.errors)
            flagged = pain_answer(result.get("pain_before"), result.get("pain_after")).flag

            def written(_saved: bool) -> None:  # this write did not fail: say so (after the player closed)
                if len(recorder.errors) == failures:
                    app.notify("Saved in your history" + (", marked: pain rose" if flagged else ""), timeout=3)

            recorder.set_summary(
                pain_before=result.get("pain_before"),
                pain_after=result.get("pain_after"),
                note=str(result.get("note") or ""),
            )
            recorder.after_writes(poster(app, written))
        self.dismiss(None)

    def on_unmount(self) -> None:
        recorder = self.recorder
        if recorder is not None and recorder.started is not None and recorder.ended is None:
            recorder.interrupt("app-closed")
        self._restore_title()
