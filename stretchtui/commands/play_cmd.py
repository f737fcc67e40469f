"""``stretchtui play NAME|FILE [--plain] [--speed F] [--no-checklist] [--yes]``.

NAME is a routine in the library or a starter routine; FILE a routine file,
which is validated and checked against the profile's conditions first
(avoid-level warnings must be confirmed, or ``--yes``).

Without ``--plain`` the full-screen app opens straight into the player and
exits when the session is over. ``--plain`` prints one line per step and, on
a terminal, a one-line countdown; it reads single keys when standard input
is a terminal and runs unattended otherwise. Both record the session in the
history, and SIGHUP/SIGTERM (and Ctrl+C in plain mode) close it as
``interrupted``.
"""

from __future__ import annotations

import argparse
import difflib
import os
import select
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any, Optional, TextIO

from ..core import cues
from ..core.catalog import Catalog, load_catalog
from ..core.clock import ScaledClock, SystemClock
from ..core.errors import StretchtuiError
from ..core.models import Profile, Routine
from ..core.player import (
    RED_FLAGS,
    SYMPTOMS_ADVICE,
    PlayerEngine,
    SessionRecorder,
    interrupt_active_sessions,
    parse_pain,
    step_label,
)
from ..core.text import clean_name
from ..core.timeline import build_timeline, format_duration

#: Signals that end a session as "interrupted".
_HANGUP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name)
)


#: Seconds the app gets to shut down after SIGHUP/SIGTERM before the process is ended.
_EXIT_GRACE = 3.0


class RoutineNotFound(StretchtuiError):
    """No routine in the library, the starters or the file system has this name."""


class NotConfirmed(StretchtuiError):
    """A routine with avoid-level warnings was not confirmed."""


# ---------------------------------------------------------------- finding the routine


def _looks_like_path(arg: str) -> bool:
    return os.sep in arg or "/" in arg or arg.endswith(".json") or arg.startswith(".")


def find_routine(arg: str, store: Any, catalog: Catalog) -> tuple[Routine, bool]:
    """The routine ``arg`` names: ``(routine, from_file)``.

    A library routine comes first, then a starter, then a file of that
    name; an argument that looks like a path (has a ``/`` or ends in
    ``.json``) and exists is read as a file straight away.
    """
    from ..core.routine_file import read_routine_file

    if _looks_like_path(arg) and Path(arg).exists():
        return read_routine_file(arg, catalog), True
    name = clean_name(arg)
    if name:
        routine = store.get_routine(name)
        if routine is not None:
            return routine, False
        for starter in catalog.starters:
            if starter.name.casefold() == name.casefold():
                return starter, False
    if Path(arg).exists():
        return read_routine_file(arg, catalog), True
    names = [r.name for r in store.list_routines()] + [r.name for r in catalog.starters]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.4)
    if not close:
        folded = {n.casefold(): n for n in names}
        close = [folded[k] for k in folded if name.casefold() in k][:3]
    hint = (
        f" Did you mean: {', '.join(repr(n) for n in close)}?"
        if close
        else " Run `stretchtui routines` to list the library."
    )
    if _looks_like_path(arg):
        raise RoutineNotFound(f"{arg}: no such routine file or routine name.{hint}")
    raise RoutineNotFound(f"there is no routine called {name!r} in the library or the starters.{hint}")


def confirm_warnings(routine: Routine, catalog: Catalog, profile: Profile, *, yes: bool,
                     stdin: TextIO, stdout: TextIO) -> None:
    """Show avoid-level warnings for the profile's conditions and ask to go on (or raise)."""
    from ..core.rules import check_routine

    avoid = [w for w in check_routine(routine, catalog, profile.conditions) if w.level == "avoid"]
    if not avoid:
        return
    print(f"Warnings for {routine.name} with the conditions in your profile:", file=stdout)
    for w in avoid:
        where = ", ".join(str(i + 1) for i in w.items)
        print(f"  AVOID: {w.message}" + (f" (item {where})" if where else ""), file=stdout)
        print(f"    Why: {w.reason}", file=stdout)
        if w.alternative:
            alt = catalog.get(w.alternative)
            print(f"    Instead: {alt.name if alt else w.alternative}", file=stdout)
    stdout.flush()
    if yes:
        print("Playing it anyway (--yes).", file=stdout)
        return
    if not stdin.isatty():
        raise NotConfirmed(
            f"{routine.name!r} has {len(avoid)} avoid-level warning(s) for your conditions. "
            "Change the routine, or run again with --yes to play it anyway."
        )
    answer = input("Play it anyway? [y/N] ").strip().casefold()
    if answer not in ("y", "yes"):
        raise NotConfirmed("not played: the warnings were not accepted.")


# ---------------------------------------------------------------- run


def make_clock(speed: float) -> Any:
    return SystemClock() if speed == 1.0 else ScaledClock(speed)


def run(args: argparse.Namespace) -> int:
    from ..core.store import open_store

    if not args.plain:
        from .app_cmd import require_terminal

        require_terminal()  # before anything is opened or created

    catalog = load_catalog()
    store = open_store(args.data_dir)
    try:
        for notice in store.notices:
            print(f"stretchtui: {notice}", file=sys.stderr)
        profile = store.get_profile()
        routine, from_file = find_routine(args.routine, store, catalog)
        if from_file:
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
            return run_plain(routine, store, catalog, clock, profile, checklist=checklist)
        from ..ui.app import make_app

        app = make_app(store, catalog, clock, play=routine, exit_after_play=True)
        app.player_options = {"checklist": checklist}  # read by PlayerScreen
        return run_app(app)
    finally:
        store.close()


def run_app(app: Any) -> int:
    """Run a Textual app; SIGHUP/SIGTERM close a running session as ``interrupted`` and exit cleanly."""
    import asyncio

    def finish(signum: int) -> None:
        name = signal.Signals(signum).name
        interrupt_active_sessions(f"signal:{name}")
        app.exit(return_code=128 + signum)
        # After a hangup the terminal is gone and restoring it can block for
        # good; the session is saved, so make sure the process ends.
        watchdog = threading.Timer(_EXIT_GRACE, os._exit, args=(128 + signum,))
        watchdog.daemon = True
        watchdog.start()

    def on_signal(signum: int, _frame: Any) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None:  # before the app's loop started or after it ended
            interrupt_active_sessions(f"signal:{signal.Signals(signum).name}")
            raise SystemExit(128 + signum)
        # Run on the event loop, not inside whatever the handler interrupted
        # (which may hold the store's lock).
        loop.call_soon_threadsafe(finish, signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in _HANGUP_SIGNALS}
    try:
        app.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return int(app.return_code or 0)


# ---------------------------------------------------------------- plain mode


class _Keys:
    """Single keys from a terminal on stdin (cbreak mode), or nothing."""

    def __init__(self, stream: TextIO) -> None:
        self.fd: Optional[int] = None
        self._saved: Any = None
        try:
            if stream.isatty():
                import termios
                import tty

                self.fd = stream.fileno()
                self._saved = termios.tcgetattr(self.fd)
                tty.setcbreak(self.fd)
        except Exception:
            self.fd = None

    def read(self, timeout: float) -> Optional[str]:
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


_STATUS_WORDS = {
    "completed": "Session complete",
    "stopped": "Session stopped",
    "symptoms": "Session stopped (symptoms spreading)",
    "interrupted": "Session interrupted",
}


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


def _ask_pain(prompt: str, stdin: TextIO, stdout: TextIO) -> Optional[int]:
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
    stdin: Optional[TextIO] = None,
    stdout: Optional[TextIO] = None,
    stderr: Optional[TextIO] = None,
) -> int:
    """The line-by-line player. Returns the exit status."""
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
    if checklist:
        say("Before you start: do not stretch today, and seek care, if you have any of these:")
        for flag in RED_FLAGS:
            say(_wrap(flag, out, "  - ", "    "))
        if interactive:
            if _ask("Do any of these apply to you? [y/N] ", stdin, out).casefold() in ("y", "yes"):
                say("Please do not stretch now. Contact a clinician (or emergency services for the first ones).")
                return 0
        else:
            say("(Not asked: no terminal. If any of these apply, stop the session now.)")
    if interactive:
        pain_before = _ask_pain("Pain right now, 0-10 (Enter to skip): ", stdin, out)
        say("Keys: p pause, s skip, b back, + add 10 s, q stop, x symptoms spreading.")

    def report_error(message: str) -> None:
        print(f"stretchtui: {message}", file=stderr, flush=True)

    recorder = SessionRecorder(store, routine, engine, catalog.stretches, clock, on_error=report_error)
    session_cues = cues.SessionCues.for_profile(
        engine.steps, profile, tmux=cues.in_tmux(), flavours=cues.notification_flavours()
    )
    received: list[str] = []

    def on_signal(signum: int, _frame: Any) -> None:
        received.append("ctrl-c" if signum == signal.SIGINT else f"signal:{signal.Signals(signum).name}")

    handled = (*_HANGUP_SIGNALS, signal.SIGINT)
    previous = {sig: signal.signal(sig, on_signal) for sig in handled}
    keys = _Keys(stdin) if interactive else _Keys(_NoTTY())
    speed = float(getattr(clock, "speed", 1.0))
    shown_second: Optional[int] = None
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

    def on_events(events: list) -> None:
        recorder.handle(events)
        for event in events:
            if event.kind == "step":
                show_step(event.index)
                cue(session_cues.on_step(event.index, event.reason))
            elif event.kind == "finished":
                cue(session_cues.on_end(event.reason, routine.name))

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
            elif key in "xX":
                recorder.handle(engine.symptoms())
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
        return _plain_ending(engine, recorder, received, pain_before, interactive, stdin, out)
    except OSError:  # nobody is left to read it; the session is saved
        return _exit_status(received)


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
    pain_before: Optional[int],
    interactive: bool,
    stdin: TextIO,
    out: TextIO,
) -> int:
    def say(text: str = "") -> None:
        print(text, file=out, flush=True)

    status = engine.status
    counts = engine.counts()
    say(
        f"{_STATUS_WORDS.get(status, 'Session over')}: {format_duration(engine.active_seconds)} of "
        f"{format_duration(engine.planned_seconds)} planned; {counts['steps_done']} of "
        f"{counts['steps_total']} steps done, {counts['steps_skipped']} skipped."
    )
    if status == "symptoms":
        say("")
        for line in SYMPTOMS_ADVICE:
            say(_wrap(line, out))
    if status != "interrupted" and interactive:
        try:
            pain_after = _ask_pain("Pain now, 0-10 (Enter to skip): ", stdin, out)
            note = clean_name(_ask("A note for your history (Enter to skip): ", stdin, out))[:2000]
        except (EOFError, KeyboardInterrupt):
            pain_after, note = None, ""
        if pain_after is not None or note or pain_before is not None:
            recorder.set_summary(pain_before=pain_before, pain_after=pain_after, note=note)
    if recorder.errors:
        say("This session could not be saved in the history (see the message above).")
    elif status != "interrupted" or received:
        say("Saved in your history." if recorder.counted else "Saved in your history as not counted.")
    return _exit_status(received) if status == "interrupted" else 0


class _NoTTY:
    def isatty(self) -> bool:
        return False

