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

Plain mode asks "how did that feel?" after each stretch (keys 1-4 on a
terminal, until the next stretch starts; the last stretch after the
session) and offers the flare version when pain before is 7+ or the
profile's flare is on. ``--respond`` and ``--pain`` answer those questions
without a terminal; without one the flare version is played.
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import sys
import time
from typing import Any, TextIO

from ..core.clock import ScaledClock, SystemClock
from ..core.domain import cues
from ..core.domain.catalog import Catalog, load_catalog
from ..core.domain.flare import FLARE_REMINDER, describe, flare_offered, flare_plan
from ..core.domain.models import Profile, Routine
from ..core.domain.player import (
    PlayerEngine,
    SessionRecorder,
    parse_pain,
    step_label,
)
from ..core.domain.red_flags import INTRO, checklist_advice, checklist_groups, stop_advice
from ..core.domain.rules import avoid_ids
from ..core.domain.session import RESPONSES, session_title
from ..core.domain.session_rules import RULES_LINE, pain_answer, stretch_rules
from ..core.domain.timeline import build_timeline, format_duration
from ..core.errors import StretchtuiError
from ..core.storage.lookup import find_routine
from ..core.text import clean_name, display
from .app_cmd import HANGUP_SIGNALS


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


#: How each "how did that feel?" answer is typed in plain mode (digits: the letters are the player's keys).
RESPONSE_KEYS: dict[str, str] = {"1": "better", "2": "same", "3": "worse", "4": "spreading", "5": "central"}
#: The prompt after each stretch (and what *spreading* means).
_RESPONSE_HELP = (
    "1 better · 2 same · 3 worse · 4 spreading (symptoms moving down an arm or leg, "
    "or new numbness, tingling or weakness) · 5 central (moved toward the spine)"
)


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
        if args.plain:
            return run_plain(routine, store, catalog, clock, profile, checklist=checklist, respond=respond, pain=pain)
        from ..core.storage.config import load_config
        from ..ui.app import make_app

        watched = _WatchedStore(store)
        app = make_app(watched, catalog, clock, play=routine, exit_after_play=True, play_acknowledged=args.yes,
                       settings=load_config())
        app.player_options = {"checklist": checklist}  # read by PlayerScreen
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

    def __init__(self, store: Any) -> None:
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
    store: Any,
    catalog: Catalog,
    clock: Any,
    profile: Profile,
    *,
    checklist: bool = True,
    respond: str | None = None,
    pain: tuple[int, int] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """The line-by-line player. Returns the exit status.

    ``respond`` answers every "how did that feel?" prompt and ``pain`` the
    two pain questions (``--respond`` / ``--pain``), with or without a terminal.
    """
    stdin = stdin or sys.stdin
    out = stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr

    def say(text: str = "") -> None:
        print(text, file=out, flush=True)

    interactive = stdin.isatty()
    live = out.isatty()
    timeline = build_timeline(
        routine, catalog.stretches, get_ready=profile.get_ready, between=profile.default_rest
    )
    engine = PlayerEngine(timeline, clock)
    count = len(routine.items)
    say(
        f"{routine.name}: {count} stretch{'es' if count != 1 else ''}, "
        f"{engine.work_total} step{'s' if engine.work_total != 1 else ''}, "
        f"about {format_duration(timeline.total_seconds)}."
    )
    pain_before = None
    pregnant = "pregnancy" in profile.conditions
    regions = {r for i in routine.items if i.stretch in catalog.stretches for r in catalog.stretches[i.stretch].regions}
    if checklist:
        say(f"Before you start. {INTRO}:")
        for group in checklist_groups(pregnant):
            say(_wrap(f"{group.urgency}:", out))
            for flag in group.texts:
                say(_wrap(flag, out, "  - ", "    "))
        if interactive:
            if _ask("Do any of these apply to you? [y/N] ", stdin, out).casefold() in ("y", "yes"):
                for line in checklist_advice(pregnant):
                    say(_wrap(line, out))
                return 0
        else:
            say("(Not asked: no terminal. If any of these apply, stop the session now.)")
    if pain is not None:
        pain_before = pain[0]
        say(f"Pain right now: {pain_before}/10 (--pain).")
    elif interactive:
        pain_before = _ask_pain("Pain right now, 0-10 (Enter to skip): ", stdin, out)
    flare = False
    if flare_offered(pain_before, profile.flare):
        choice = _offer_flare(routine, catalog, profile, pain_before, interactive, stdin, out)
        if choice is None:
            say("Not started. Run `stretchtui routines` to pick a gentler one.")
            return 0
        if choice is not routine:
            flare = True
            routine = choice
            timeline = build_timeline(
                routine, catalog.stretches, get_ready=profile.get_ready, between=profile.default_rest
            )
            engine = PlayerEngine(timeline, clock)
    say(_wrap(f"While you stretch: {FLARE_REMINDER if flare else RULES_LINE}", out))
    if interactive:
        say(_wrap("Keys: p pause, s skip, b back, + add 10 s, q stop, x symptoms spreading; "
                  "after each stretch 1-4: how it felt.", out))

    def report_error(message: str) -> None:
        print(f"stretchtui: {display(message, multiline=True)}", file=stderr, flush=True)

    recorder = SessionRecorder(store, routine, engine, catalog.stretches, clock, on_error=report_error)
    recorder.flare_version = flare
    recorder.avoid_played = avoid_ids(routine, catalog, profile)  # past the gate
    session_cues = cues.SessionCues.for_profile(
        engine.steps, profile, tmux=cues.in_tmux(), flavours=cues.notification_flavours()
    )
    received: list[str] = []

    def on_signal(signum: int, _frame: Any) -> None:
        received.append("ctrl-c" if signum == signal.SIGINT else f"signal:{signal.Signals(signum).name}")

    handled = (*HANGUP_SIGNALS, signal.SIGINT)
    previous = {sig: signal.signal(sig, on_signal) for sig in handled}
    keys = _Keys(stdin) if interactive else _Keys(_NoTTY())
    speed = float(getattr(clock, "speed", 1.0))
    shown_second: int | None = None
    width = 0

    def clear_countdown() -> None:
        nonlocal width
        if live and width:
            out.write("\r" + " " * width + "\r")
            out.flush()
            width = 0

    def show_step(index: int) -> None:
        nonlocal shown_second
        clear_countdown()
        # The step the event is about: one update can pass several steps on a
        # busy machine, and each gets its own line.
        step = engine.steps[index]
        # [n/total] counts work steps, as the summary at the end does ("n of total steps done")
        say(f"[{engine.work_number_at(index)}/{engine.work_total}] {step.name} — {step_label(step)}: {step.seconds} s")
        if step.kind in ("get-ready", "switch") or step.instruction.startswith("Rest before"):
            say(_wrap(step.instruction, out, "      "))
        if step.kind == "get-ready":
            stretch = catalog.stretches.get(step.stretch_id)
            for rule in stretch_rules(stretch) if stretch is not None else ():
                say(_wrap(rule, out, "      "))
        shown_second = None

    def cue(sequence: str) -> None:
        if live and sequence:
            out.write(sequence)
            out.flush()

    def countdown(text: str) -> None:
        nonlocal width
        if not live:
            return
        line = f"  {text}"
        pad = max(0, width - len(line))
        out.write("\r" + line + " " * pad)
        out.flush()
        width = len(line)

    prompted: set[int] = set()  # items whose "how did that feel?" was asked

    def on_events(events: list) -> None:
        recorder.handle(events)
        ran_out = engine.finished  # this update ran on to the end (--speed, a busy machine)
        for event in events:
            if event.kind == "step":
                show_step(event.index)
                cue(session_cues.on_step(event.index, event.reason))
                item = engine.item_finished_at(event.index)
                # (also when the same update ran on to the end: --speed, or a busy machine)
                if item is not None and item not in prompted and engine.status != "symptoms":
                    prompt_response(item)
                    if engine.status == "symptoms" and not ran_out:  # stopped here: later steps never ran
                        break
            elif event.kind == "finished":
                cue(session_cues.on_end(event.reason, routine.name))

    def prompt_response(item: int) -> None:
        """The line prompt after a stretch: answered by --respond at once, else by 1-4 until the next stretch."""
        prompted.add(item)
        clear_countdown()
        say(_wrap(f"How did {recorder.item_name(item)} feel? {_RESPONSE_HELP}", out, "      ", "        "))
        if respond is not None:
            answer(item, respond, "--respond")

    def answer(item: int, response: str, how: str = "") -> None:
        clear_countdown()
        if response == "spreading":
            say(f"      → spreading{f' ({how})' if how else ''}")
            spreading(item)
            return
        recorder.respond(item, response)
        say(f"      → {response}{f' ({how})' if how else ''}")

    def spreading(item: int) -> None:
        """Pause; stop (a symptom stop naming the stretch) or go on without it. No terminal: stop."""
        name = recorder.item_name(item)
        was_running = engine.pause()
        say(_wrap(f"Symptoms spreading after {name}: stop that stretch.", out))
        choice = "stop"
        if engine.finished:  # the session ran on to its end meanwhile: nothing left to skip
            recorder.spreading_after_end(item)
        elif interactive:
            say(_wrap(f"s: stop the session here, o: go on without {name}, other key: not spreading after all", out))
            choice = ""
            while not received:
                key = keys.read(0.5)
                if key is None:
                    continue
                choice = {"s": "stop", "x": "stop", "o": "skip"}.get(key.casefold(), "")
                break
        if choice == "stop":
            if not engine.finished:
                recorder.spreading_stop(item)
            say(f"Stopped: symptoms spreading after {name}.")
            for line in stop_advice(regions, pregnant=pregnant):
                say(_wrap(line, out))
                say("")
            return
        if choice == "skip":
            recorder.skip_stretch(item)
            say(f"Going on without {name} for the rest of this session.")
        else:
            say("Going on.")
        if was_running:
            engine.resume()

    def confirm_stop() -> None:
        was_running = engine.pause()
        clear_countdown()
        say(_wrap("Stop the session? y: stop and count it, n: stop and do not count it, other key: go on", out))
        while not received:
            key = keys.read(0.5)
            if key is None:
                continue
            if key in "yY":
                recorder.stop("stopped", "user", counted=True)
                return
            if key in "nN":
                recorder.stop("stopped", "user", counted=False)
                return
            break
        if was_running:
            engine.resume()
        say("Going on.")

    try:
        on_events(recorder.start(pain_before=pain_before))
        while not engine.finished:
            if received:
                recorder.interrupt(received[0])
                break
            on_events(engine.update())
            if engine.finished:
                break
            second = engine.display_seconds
            if second != shown_second:
                shown_second = second
                cue(session_cues.on_second(engine.index, second, running=engine.running))
                countdown(f"{second} s left" + (" (paused: p to go on)" if engine.paused else ""))
            if engine.paused:
                wait = 0.5
            else:
                fraction = engine.seconds_left - (second - 1)  # real seconds until the display changes
                wait = min(0.25, max(0.005, fraction / speed))
            key = keys.read(wait)
            if key is None:
                continue
            if key in "pP ":
                engine.toggle_pause()
                shown_second = None
            elif key in "sSnN":
                on_events(engine.skip())
            elif key in "bB":
                on_events(engine.back())
            elif key in "+tT=":
                engine.add_time()
                shown_second = None
            elif key in "qQ":
                confirm_stop()
            elif key in RESPONSE_KEYS:
                item = engine.response_item
                if item is not None:
                    answer(item, RESPONSE_KEYS[key])
                    shown_second = None
            elif key in "xX":
                recorder.handle(engine.symptoms())
                clear_countdown()
                say("Stopped: symptoms spreading.")
                for line in stop_advice(regions, pregnant=pregnant):  # neck and arm signs first after a neck routine
                    say(_wrap(line, out))
                    say("")
    except OSError:
        # The terminal went away (a hangup while writing): the session ends here.
        if not received:
            received.append("output-closed")
    finally:
        keys.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if not engine.finished or recorder.ended is None:
            recorder.interrupt(received[0] if received else "error")
    try:
        clear_countdown()
        _last_response(engine, recorder, prompted, respond, interactive, stdin, out, regions, pregnant)
        return _plain_ending(engine, recorder, received, pain_before, interactive, stdin, out,
                             pain_after=pain[1] if pain is not None else None)
    except OSError:  # nobody is left to read it
        return _exit_status(received) or (2 if recorder.errors else 0)


def _offer_flare(
    routine: Routine, catalog: Catalog, profile: Profile, pain_before: int | None,
    interactive: bool, stdin: TextIO, out: TextIO,
) -> Routine | None:
    """Offer the flare version: returns it, ``routine`` (as planned) or None (not now).

    Without a terminal the flare version is played (the gentler choice), and said.
    """
    plan = flare_plan(routine, catalog, profile.conditions)
    high = pain_answer(pain_before, None, flare_routine=plan.instead)  # the flare routine for this user
    lines = list(high.lines) if high else ["Your profile says you are in a flare."]
    lines.append(describe(plan))
    for line in lines:
        print(_wrap(line, out), file=out, flush=True)
    if not interactive:
        if plan.empty:
            print("Playing it as planned (nothing in it is for a flare; no terminal to ask).", file=out, flush=True)
            return routine
        print("Playing the flare version (no terminal to ask).", file=out, flush=True)
        return plan.routine
    options = ("f: flare version, p: as planned, n: not now" if not plan.empty else "p: as planned, n: not now")
    reply = _ask(f"{options} [{'f' if not plan.empty else 'n'}] ", stdin, out).casefold()
    if not reply:
        reply = "f" if not plan.empty else "n"
    if reply.startswith("f") and not plan.empty:
        return plan.routine
    if reply.startswith("p"):
        return routine
    return None


def _last_response(
    engine: PlayerEngine, recorder: SessionRecorder, prompted: set[int], respond: str | None,
    interactive: bool, stdin: TextIO, out: TextIO, regions: set[str], pregnant: bool,
) -> None:
    """The last stretch has no rest after it: once the session is complete, ask about it here."""
    if engine.status != "completed" or not engine.steps:
        return
    item = engine.steps[-1].item
    done, _skipped = engine.item_counts(item)
    if item in prompted or sum(done.values()) == 0:
        return
    name = recorder.item_name(item)
    if respond is not None:
        response: str | None = respond
        print(f"How did {name} feel? → {respond} (--respond)", file=out, flush=True)
    elif interactive:
        print(_wrap(f"How did {name} feel? {_RESPONSE_HELP}", out), file=out, flush=True)
        reply = _ask("1-4 (Enter to skip): ", stdin, out).strip().casefold()
        response = RESPONSE_KEYS.get(reply, reply if reply in RESPONSES else None)
    else:
        return
    if response == "spreading":
        recorder.spreading_after_end(item)
        print(f"Recorded: symptoms spreading after {name}.", file=out, flush=True)
        for line in stop_advice(regions, pregnant=pregnant):
            print(_wrap(line, out), file=out, flush=True)
    elif response is not None:
        recorder.respond(item, response)


def _exit_status(received: list[str]) -> int:
    if not received:
        return 0
    reason = received[0]
    if reason == "ctrl-c":
        return 130
    if reason.startswith("signal:"):
        return 128 + int(getattr(signal, reason.split(":", 1)[1], 0))
    return 1


def _plain_ending(
    engine: PlayerEngine,
    recorder: SessionRecorder,
    received: list[str],
    pain_before: int | None,
    interactive: bool,
    stdin: TextIO,
    out: TextIO,
    *,
    pain_after: int | None = None,
) -> int:
    def say(text: str = "") -> None:
        print(text, file=out, flush=True)

    status = engine.status
    counts = engine.counts()
    say(
        f"{session_title(status, counts['steps_done'])}: {format_duration(engine.active_seconds)} of "
        f"{format_duration(engine.planned_seconds)} planned; {counts['steps_done']} of "
        f"{counts['steps_total']} steps done, {counts['steps_skipped']} skipped."
    )
    given = pain_after is not None  # --pain answered it
    if status != "interrupted" and (interactive or given):
        note = ""
        try:
            if given:
                say(f"Pain now: {pain_after}/10 (--pain).")
            else:
                pain_after = _ask_pain("Pain now, 0-10 (Enter to skip): ", stdin, out)
            if interactive:
                note = clean_name(_ask("A note for your history (Enter to skip): ", stdin, out))[:2000]
        except (EOFError, KeyboardInterrupt):
            note = ""
        if pain_after is not None or note or pain_before is not None:
            recorder.set_summary(pain_before=pain_before, pain_after=pain_after, note=note or recorder.note)
        answer = pain_answer(pain_before, pain_after)
        if answer.flag:  # the high-before answer was given at the start; this is the rise
            say(_wrap(answer.lines[-1], out))
    if recorder.failed_last:  # the store was busy or refused: wait once more (the lock's timeout) and retry
        recorder._write()
    if recorder.failed_last:
        say(_unsaved(recorder))
    elif status != "interrupted" or received:
        say("Saved in your history." if recorder.counted else "Saved in your history as not counted.")
        if recorder.errors:
            say(f"(A save during the session failed: {recorder.errors[0]} A later save wrote all of it.)")
    code = _exit_status(received) if status == "interrupted" else 0
    return code or (2 if recorder.failed_last else 0)


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

