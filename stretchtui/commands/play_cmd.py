"""``stretchtui play NAME|FILE [--plain] [--speed F] [--no-checklist] [--yes] [--respond R] [--pain B,A]``.

NAME is a routine in the library or a starter routine; FILE a routine file
(validated first). Every routine is checked against the profile (conditions
and flare) first: avoid-level warnings are named and must be confirmed (on a
terminal: the prompt, or the app's dialog in full-screen mode), or ``--yes``;
without a terminal it refuses.

Without ``--plain`` the full-screen app opens straight into the player and
exits when the session is over. ``--plain`` prints one line per step and, on
a terminal, a one-line countdown; it reads single keys when standard input
is a terminal and runs unattended otherwise. Both record the session in the
history, and SIGHUP/SIGTERM (and Ctrl+C in plain mode) close it as
``interrupted``.

Plain mode is one of the two renderers of
:class:`~stretchtui.core.domain.play_session.PlaySession`: it prints each
question the session asks (a red-flag group, pain, the flare offer, "how did
that feel?" after each stretch with keys 1, 2, ... on a terminal, spreading,
stop, the summary) and passes the answer back; ``--respond`` and ``--pain``
answer those questions without a terminal, and every other question takes
its default there (the flare version is played).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import select
import signal
import sys
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TextIO

from ..core.clock import ScaledClock, SystemClock
from ..core.domain.catalog import Catalog, load_catalog
from ..core.domain.models import Profile, Routine
from ..core.domain.play_session import (
    RESPONSE_KEYS,
    RESPONSE_MEANS,
    AdviceNotice,
    FlareQuestion,
    Given,
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
from ..core.domain.player import PlayerEngine, parse_pain, step_label
from ..core.domain.red_flags import INTRO
from ..core.domain.session import RESPONSES, session_title
from ..core.domain.timeline import format_duration
from ..core.errors import StretchtuiError
from ..core.storage.lookup import find_routine
from ..core.text import clean_name, display
from .app_cmd import HANGUP_SIGNALS

if TYPE_CHECKING:  # pragma: no cover
    from ..core.clock import Clock
    from ..core.storage.ports import StorePort


class NotConfirmed(StretchtuiError):
    """A routine with avoid-level warnings was not confirmed."""


def confirm_warnings(routine: Routine, catalog: Catalog, profile: Profile, *, yes: bool,
                     stdin: TextIO, stdout: TextIO) -> None:
    """The safety gate of the command line: every play goes through it.

    Names each avoid-level warning of ``routine`` for the profile (conditions
    and flare) and asks to go on; without a terminal it refuses unless
    ``yes`` (raises :class:`NotConfirmed`).
    """
    from ..core.domain.rules import gate_warnings

    avoid = gate_warnings(routine, catalog, profile)
    if not avoid:
        return
    print(f"{routine.name} has {len(avoid)} avoid-level warning(s) for your profile:", file=stdout)
    for w in avoid:
        where = ", ".join(str(i + 1) for i in w.items)
        label = "item" if len(w.items) == 1 else "items"
        print(_wrap(f"AVOID: {w.message}" + (f" ({label} {where})" if where else ""), stdout, "  ", "    "),
              file=stdout)
        print(_wrap(f"Why: {w.reason}", stdout, "    ", "      "), file=stdout)
        if w.alternative:
            alt = catalog.get(w.alternative)
            print(f"    Instead: {alt.name if alt else w.alternative}", file=stdout)
    stdout.flush()
    if yes:
        print("Playing it anyway (--yes).", file=stdout)
        return
    if not stdin.isatty():
        raise NotConfirmed(
            f"not played: {routine.name!r} has {len(avoid)} avoid-level warning(s) for your profile "
            "(listed above). Change the routine, or run again with --yes to play it anyway."
        )
    answer = input("Play it anyway? [y/N] ").strip().casefold()
    if answer not in ("y", "yes"):
        raise NotConfirmed("not played: the warnings were not accepted.")


# ---------------------------------------------------------------- run


def make_clock(speed: float) -> Any:
    return SystemClock() if speed == 1.0 else ScaledClock(speed)


def parse_respond(value: str | None) -> str | None:
    """``--respond``: one of :data:`~stretchtui.core.domain.session.RESPONSES` (raises StretchtuiError)."""
    if value is None:
        return None
    text = value.strip().casefold()
    if text not in RESPONSES:
        raise StretchtuiError(
            f"--respond takes {', '.join(RESPONSES[:-1])} or {RESPONSES[-1]}, not {display(value)!r}."
        )
    return text


def parse_pain_pair(value: str | None) -> tuple[int, int] | None:
    """``--pain BEFORE,AFTER``: two pain scores 0-10 (raises StretchtuiError)."""
    if value is None:
        return None
    parts = value.split(",")
    try:
        if len(parts) != 2:
            raise ValueError
        before, after = (parse_pain(part) for part in parts)
        if before is None or after is None:
            raise ValueError
    except ValueError:
        raise StretchtuiError(
            f"--pain takes BEFORE,AFTER: two whole numbers from 0 to 10 (e.g. --pain 3,2), not {display(value)!r}."
        ) from None
    return before, after


def run(args: argparse.Namespace) -> int:
    from ..core.storage.store import open_store

    respond = parse_respond(getattr(args, "respond", None))
    pain = parse_pain_pair(getattr(args, "pain", None))
    if (respond is not None or pain is not None) and not args.plain:
        raise StretchtuiError("--respond and --pain answer the questions of --plain mode; add --plain.")
    if not args.plain:
        from .app_cmd import require_terminal, run_app

        require_terminal()  # before anything is opened or created

    catalog = load_catalog()
    store = open_store(args.data_dir)
    try:
        for notice in store.notices:
            print(f"stretchtui: {display(notice, multiline=True)}", file=sys.stderr)
        profile = store.get_profile()
        routine, _from_file = find_routine(args.routine, store, catalog)
        # One gate for every play. The full-screen player on a terminal asks in its own dialog.
        app_asks = not args.plain and not args.yes and sys.stdin.isatty() and sys.stdout.isatty()
        if not app_asks:
            confirm_warnings(routine, catalog, profile, yes=args.yes, stdin=sys.stdin, stdout=sys.stdout)
        if not routine.items:
            raise StretchtuiError(f"{routine.name!r} has no stretches to play.")
        missing = [i.stretch for i in routine.items if i.stretch not in catalog.stretches]
        if missing:
            raise StretchtuiError(
                f"{routine.name!r} uses stretches this catalog does not have: {', '.join(missing)}. "
                "Open it in the builder and replace them."
            )
        clock = make_clock(getattr(args, "speed", 1.0))
        checklist = profile.checklist and not args.no_checklist
        from ..core.storage.config import load_config

        settings = load_config()
        if args.plain:
            return run_plain(routine, store, catalog, clock, profile, checklist=checklist, respond=respond, pain=pain,
                             cue_method=settings.cue_method)
        from ..ui.app import make_app

        watched = _WatchedStore(store)
        app = make_app(watched, catalog, clock, play=routine, exit_after_play=True, play_acknowledged=args.yes,
                       settings=settings, player_options={"checklist": checklist})
        code = run_app(app)
        if code == 0 and watched.unsaved:
            print("stretchtui: the session could not be saved in the history (see the message in the "
                  "player); check the data folder and free space.", file=sys.stderr)
            return 2
        return code
    finally:
        store.close()


class _WatchedStore:
    """The store, noting whether the last session write failed (so ``play`` can exit non-zero)."""

    def __init__(self, store: StorePort) -> None:
        self._store = store
        self.unsaved = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def append_session(self, doc: dict, *, session_id: int | None = None) -> int:
        if session_id is None:  # (the player never gives one; an import does)
            return self._track(self._store.append_session, doc)
        return self._track(lambda d: self._store.append_session(d, session_id=session_id), doc)

    def update_session(self, session_id: int, changes: dict) -> None:
        self._track(self._store.update_session, session_id, changes)

    def _track(self, write: Any, *args: Any) -> Any:
        try:
            result = write(*args)
        except BaseException:
            self.unsaved = True
            raise
        self.unsaved = False
        return result


# ---------------------------------------------------------------- plain mode


class _Keys:
    """Single keys from a terminal on stdin (cbreak mode), or nothing."""

    def __init__(self, stream: TextIO | _NoTTY) -> None:
        self.fd: int | None = None
        self._saved: Any = None
        try:
            if stream.isatty() and not isinstance(stream, _NoTTY):
                import termios
                import tty

                self.fd = stream.fileno()
                self._saved = termios.tcgetattr(self.fd)
                tty.setcbreak(self.fd)
        except Exception:
            self.fd = None

    def read(self, timeout: float) -> str | None:
        """A key pressed within ``timeout`` seconds (sleeps when there is no terminal)."""
        if self.fd is None:
            time.sleep(max(0.0, timeout))
            return None
        try:
            ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        except (OSError, ValueError):
            return None
        if not ready:
            return None
        try:
            data = os.read(self.fd, 1)
        except OSError:
            return None
        return data.decode("latin-1") if data else None

    def close(self) -> None:
        if self.fd is not None and self._saved is not None:
            import termios

            try:
                termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
            except Exception:
                pass
            self.fd = None


#: status -> heading, from the one status table in core.session


def _wrap(text: str, out: TextIO, indent: str = "", hanging: str = "") -> str:
    """``text`` wrapped to the terminal's width when ``out`` is a terminal, else as it is."""
    if not out.isatty():
        return indent + text
    import shutil
    import textwrap

    width = max(40, min(100, shutil.get_terminal_size((80, 24)).columns - 1))
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=hanging or indent)


def _ask(prompt: str, stdin: TextIO, stdout: TextIO) -> str:
    stdout.write(prompt)
    stdout.flush()
    line = stdin.readline()
    return line.strip() if line else ""


def _ask_pain(prompt: str, stdin: TextIO, stdout: TextIO) -> int | None:
    for _ in range(3):
        try:
            return parse_pain(_ask(prompt, stdin, stdout))
        except ValueError as exc:
            print(f"  {exc}; press Enter to leave it out.", file=stdout)
    return None


def run_plain(
    routine: Routine,
    store: StorePort,
    catalog: Catalog,
    clock: Clock,
    profile: Profile,
    *,
    checklist: bool = True,
    respond: str | None = None,
    pain: tuple[int, int] | None = None,
    cue_method: str = "auto",
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """The line-by-line player: a renderer of :class:`PlaySession`'s questions. Returns the exit status.

    ``respond`` answers every "how did that feel?" prompt and ``pain`` the
    two pain questions (``--respond`` / ``--pain``), with or without a terminal.
    """
    plain = _Plain(stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr, speed=getattr(clock, "speed", 1.0))
    given = Given(pain[0] if pain else None, pain[1] if pain else None, respond)
    session = PlaySession(routine, catalog.stretches, profile, clock, store, flare_catalog=catalog,
                          checklist=checklist, cue_method=cue_method, on_error=plain.error, given=given)
    return plain.play(session)


def response_help() -> str:
    """The prompt after each stretch: each answer's key, and what the special ones mean."""
    return " · ".join(f"{key} {response}" + (f" ({RESPONSE_MEANS[response]})" if response in RESPONSE_MEANS else "")
                      for key, response in RESPONSE_KEYS.items())


class _Plain:
    """Prints the session line by line and asks its questions on the terminal (keys, lines) or not at all."""

    def __init__(self, stdin: TextIO, out: TextIO, err: TextIO, *, speed: float = 1.0) -> None:
        self.stdin, self.out, self.err = stdin, out, err
        self.interactive, self.live = stdin.isatty(), out.isatty()
        self.speed = float(speed or 1.0)
        self.received: list[str] = []
        self.keys = _Keys(_NoTTY())
        self.width = 0  # of the countdown line drawn now
        self.shown: int | None = None  # the second it shows
        self.asked_flags = False
        self.askers: dict[type, Callable[[Any], Any]] = {
            RedFlagQuestion: self.red_flag, PainQuestion: self.pain, FlareQuestion: self.flare,
            ResponseQuestion: self.last_response, SpreadingQuestion: self.spreading, StopQuestion: self.stop,
            AdviceNotice: self.advice, SummaryQuestion: self.summary,
        }

    # ------------------------------------------------------------ output
    def say(self, text: str = "", indent: str = "", hanging: str = "") -> None:
        self.clear()
        print(_wrap(text, self.out, indent, hanging) if (indent or self.live) else text, file=self.out, flush=True)

    def error(self, message: str) -> None:
        print(f"stretchtui: {display(message, multiline=True)}", file=self.err, flush=True)

    def write(self, sequence: str) -> None:
        """A cue (bell, notification) or the countdown: only to a terminal."""
        if self.live and sequence:
            self.out.write(sequence)
            self.out.flush()

    def clear(self) -> None:
        if self.live and self.width:
            self.write("\r" + " " * self.width + "\r")
            self.width = 0

    def countdown(self, engine: PlayerEngine) -> None:
        text = f"  {engine.display_seconds} s left" + (" (paused: p to go on)" if engine.paused else "")
        if self.live:
            self.write("\r" + text + " " * max(0, self.width - len(text)))
            self.width = len(text)

    def show_step(self, session: PlaySession, index: int) -> None:
        engine = session.engine
        step = engine.steps[index]
        # Work steps are numbered as the summary counts them; a get-ready, switch or rest is not one.
        number = f"[{engine.work_number_at(index)}/{engine.work_total}]"
        self.say(f"{number if step.is_work else ' ' * len(number)} {step.name} — {step_label(step)}: {step.seconds} s")
        if step.kind in ("get-ready", "switch") or step.instruction.startswith("Rest before"):
            self.say(step.instruction, "      ")
        if step.kind == "get-ready":
            caution = session.caution(step)
            for line in ((f"Caution: {caution}",) if caution else ()) + session.cue_lines(step):
                self.say(line, "      ")
        self.shown = None

    # ------------------------------------------------------------ the questions
    def ask(self, session: PlaySession) -> Moved:
        question = session.question
        return session.answer(self.askers[type(question)](question))

    def line(self, prompt: str) -> str:
        self.clear()
        return _ask(prompt, self.stdin, self.out)

    def red_flag(self, q: RedFlagQuestion) -> bool:
        if not self.asked_flags:
            self.say(f"Before you start. {INTRO}:")
            self.asked_flags = True
        self.say(f"{q.urgency}:")
        for sign in q.signs:
            self.say(sign, "  - ", "    ")
        if not self.interactive:
            return q.default
        return self.line(f"{q.question} [y/N] ").casefold() in ("y", "yes")

    def pain(self, q: PainQuestion) -> int | None:
        if q.given is not None:
            self.say(f"Pain {'right ' if q.when == 'before' else ''}now: {q.given}/10 (--pain).")
            return q.given
        if not self.interactive:
            return q.default
        for _ in range(3):
            try:
                return parse_pain(self.line(f"Pain {'right ' if q.when == 'before' else ''}now, 0-10 (Enter to skip): "))
            except ValueError as exc:
                self.say(f"  {exc}; press Enter to leave it out.")
        return None

    def flare(self, q: FlareQuestion) -> str | None:
        for text in q.lines:
            self.say(text)
        if not self.interactive:
            self.say("Playing the flare version (no terminal to ask)." if q.available
                     else "Playing it as planned (nothing in it is for a flare; no terminal to ask).")
            return q.default
        options = "f: flare version, p: as planned, n: not now" if q.available else "p: as planned, n: not now"
        reply = self.line(f"{options} [{'f' if q.available else 'n'}] ").casefold() or ("f" if q.available else "n")
        return "flare" if reply.startswith("f") and q.available else ("full" if reply.startswith("p") else None)

    def key(self, choices: dict[str, Any]) -> Any:
        """The answer of the next key (``choices`` by key, anything else: None); None on a signal."""
        while not self.received:
            pressed = self.keys.read(0.5)
            if pressed is not None:
                return choices.get(pressed.casefold())
        return None

    def spreading(self, q: SpreadingQuestion) -> str | None:
        self.say(f"Symptoms spreading after {q.name}: stop that stretch.")
        if not self.interactive:
            return q.default
        self.say(f"s: stop the session here, o: go on without {q.name}, other key: not spreading after all")
        choice = self.key({"s": "stop", "x": "stop", "o": "skip"})
        if choice != "stop":
            self.say(f"Going on without {q.name} for the rest of this session." if choice else "Going on.")
        return choice

    def stop(self, q: StopQuestion) -> str | None:
        self.say("Stop the session? y: stop and count it, n: stop and do not count it, other key: go on")
        choice = self.key({"y": "count", "n": "discard"}) if self.interactive else q.default
        if choice is None:
            self.say("Going on.")
        return choice

    def advice(self, q: AdviceNotice) -> None:
        self.say(f"{q.title}.")
        for text in q.paragraphs:
            self.say(text)
            self.say()

    def response(self, session: PlaySession, item: int, response: str, how: str = "") -> Moved:
        self.say(f"      → {response}{f' ({how})' if how else ''}")
        moved = session.respond(item, response)
        while isinstance(session.question, SpreadingQuestion):
            moved = self.ask(session)
        return moved

    def last_response(self, q: ResponseQuestion) -> str | None:
        if q.given is not None:
            self.say(f"How did {q.name} feel? → {q.given} (--respond)")
            return q.given
        if not self.interactive:
            return q.default
        self.say(f"How did {q.name} feel? {response_help()}")
        reply = self.line(f"1-{len(RESPONSE_KEYS)} (Enter to skip): ").strip().casefold()
        return RESPONSE_KEYS.get(reply, reply if reply in RESPONSES else None)

    def summary_line(self, doc: Mapping[str, Any]) -> None:
        self.say(f"{session_title(doc['status'], doc['steps_done'])}: {format_duration(doc['active_seconds'])} of "
                 f"{format_duration(doc['planned_seconds'])} planned; {doc['steps_done']} of "
                 f"{doc['steps_total']} steps done, {doc['steps_skipped']} skipped.")

    def summary(self, q: SummaryQuestion) -> SummaryAnswer:
        self.summary_line(q.doc)
        if not self.interactive and q.given_after is None:
            return q.default
        after = self.pain(PainQuestion("after", q.given_after))
        note = ""
        if self.interactive:
            with contextlib.suppress(EOFError, KeyboardInterrupt):
                note = clean_name(self.line("A note for your history (Enter to skip): "))[:2000]
        return SummaryAnswer(q.pain_before, after, note)

    # ------------------------------------------------------------ the session
    def play(self, session: PlaySession) -> int:
        engine = session.engine
        count = len(session.routine.items)
        self.say(f"{session.routine.name}: {count} stretch{'es' if count != 1 else ''}, "
                 f"{engine.work_total} step{'s' if engine.work_total != 1 else ''}, "
                 f"about {format_duration(engine.planned_seconds)}.")
        while session.stage == "before":
            moved = self.ask(session)
            if self.asked_flags and not self.interactive and not isinstance(session.question, RedFlagQuestion):
                self.say("(Not asked: no terminal. If any of these apply, stop the session now.)")
                self.asked_flags = False
        if session.stage == "cancelled":
            if session.question is not None:
                self.ask(session)  # the red flag's advice
            else:
                self.say("Not started. Run `stretchtui routines` to pick a gentler one.")
            return 0
        return self.run(session, moved)

    def run(self, session: PlaySession, first: Moved) -> int:
        self.say(f"While you stretch: {session.rules_line}")
        if self.interactive:
            self.say(f"Keys: p pause, s skip, b back, + add 10 s, q stop, x symptoms spreading; "
                     f"after each stretch 1-{len(RESPONSE_KEYS)}: how it felt.")
        handled = (*HANGUP_SIGNALS, signal.SIGINT)
        previous = {sig: signal.signal(sig, self.on_signal) for sig in handled}
        self.keys = _Keys(self.stdin) if self.interactive else _Keys(_NoTTY())
        try:
            self.moved(session, first)
            while session.running and not self.received:
                self.moved(session, self.tick(session))
        except OSError:  # the terminal went away (a hangup while writing): the session ends here
            self.received = self.received or ["output-closed"]
        finally:
            self.keys.close()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            session.interrupt(self.received[0] if self.received else "error")  # unless it ended
        try:
            while session.question is not None:
                self.ask(session)
            return self.ending(session)
        except OSError:  # nobody is left to read it
            return _exit_status(self.received) or (2 if session.recorder.failed_last else 0)

    def on_signal(self, signum: int, _frame: Any) -> None:
        self.received.append("ctrl-c" if signum == signal.SIGINT else f"signal:{signal.Signals(signum).name}")

    def moved(self, session: PlaySession, moved: Moved) -> None:
        """Show the steps an update passed (each gets its line) and ask about each stretch finished."""
        ran_out = moved.finished  # this update ran on to the end (--speed, a busy machine)
        for event in moved.steps:
            self.show_step(session, event.index)
            question = session.opened_response(event.index)
            if question is not None:
                self.say(f"How did {question.name} feel? {response_help()}", "      ", "        ")
                if question.given is not None:
                    self.response(session, question.item, question.given, "--respond")
                if session.engine.status == "symptoms" and not ran_out:  # stopped here: later steps never ran
                    break
        self.write(moved.cue)

    def tick(self, session: PlaySession) -> Moved:
        """Catch up with the clock, show the second, and act on a key pressed meanwhile."""
        engine = session.engine
        moved = session.update()
        if not session.running:
            return moved
        if engine.display_seconds != self.shown:
            self.shown = engine.display_seconds
            self.write(session.second_cue())
            self.countdown(engine)
        if moved.events:
            return moved
        fraction = engine.seconds_left - (engine.display_seconds - 1)  # real seconds until the display changes
        key = self.keys.read(0.5 if engine.paused else min(0.25, max(0.005, fraction / self.speed)))
        if key is None:
            return Moved()
        self.shown = None
        if key in "pP ":
            session.set_paused(not engine.paused)
        elif key in "sSnN":
            return session.skip()
        elif key in "bB":
            return session.back()
        elif key in "+tT=":
            session.add_time()
        elif key in "qQ":
            session.ask_stop()
            return self.ask(session)
        elif key in RESPONSE_KEYS and session.response_item is not None:
            return self.response(session, session.response_item, RESPONSE_KEYS[key])
        elif key in "xX":
            return session.symptoms()
        return Moved()

    def ending(self, session: PlaySession) -> int:
        recorder = session.recorder
        summary = session.summary
        if summary is None:  # not asked (interrupted): what was done
            self.summary_line(recorder.document())
        for line in session.pain_lines_after():  # (what the score before called for was said at the start)
            self.say(line)
        if recorder.failed_last:  # the store was busy or refused: wait once more (the lock's timeout) and retry
            recorder._write()
        if recorder.failed_last:
            self.say(_unsaved(recorder))
        elif session.engine.status != "interrupted" or self.received:
            self.say("Saved in your history." if recorder.counted else "Saved in your history as not counted.")
            if recorder.errors:
                self.say(f"(A save during the session failed: {recorder.errors[0]} A later save wrote all of it.)")
        code = _exit_status(self.received) if session.engine.status == "interrupted" else 0
        return code or (2 if recorder.failed_last else 0)


def _exit_status(received: list[str]) -> int:
    if not received:
        return 0
    reason = received[0]
    if reason == "ctrl-c":
        return 130
    if reason.startswith("signal:"):
        return 128 + int(getattr(signal, reason.split(":", 1)[1], 0))
    return 1


def _unsaved(recorder: Any) -> str:
    """Exactly what the history holds of a session whose last save failed."""
    saved = recorder.saved_doc
    why = recorder.errors[-1] if recorder.errors else "the store refused it"
    if saved is None:
        return f"This session was not saved in the history: {why}"
    done, total = saved.get("steps_done"), saved.get("steps_total")
    upto = f" up to step {done} of {total}" if done is not None and total is not None else ""
    return (f"This session is in the history only{upto}, as {saved.get('status', 'running')}; "
            f"what came after (the end, pain and note) was not saved: {why}")


class _NoTTY:
    def isatty(self) -> bool:
        return False
