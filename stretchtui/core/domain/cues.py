"""Escape sequences for cues that travel over SSH to the user's own terminal.

A sound played on the server is never heard by someone on SSH; the terminal
bell, the window title and desktop notifications (OSC 9, understood by
iTerm2, WezTerm, kitty, Ghostty and Windows Terminal; OSC 777, understood by
VTE terminals such as GNOME Terminal, foot and urxvt) are. Terminals that do
not know a sequence ignore it.

Everything here is pure: functions return strings, the caller writes them
through the app's output (or stdout in ``--plain`` mode). Text put inside a
sequence is cleaned first, so a routine name cannot end the sequence early
and smuggle its own escape codes to the terminal.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..text import clean_text
from .cue_methods import (
    CUE_METHODS as CUE_METHODS,  # re-exported: the values next to what they send
)

BEL = "\a"
ESC = "\x1b"
#: String terminator used for OSC sequences (BEL: the most widely understood).
ST = BEL

#: Longest text put into a title or a notification.
MAX_CUE_TEXT = 120

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean_cue_text(text: str, limit: int = MAX_CUE_TEXT, *, semicolons: bool = True) -> str:
    """``text`` fit for the inside of an OSC sequence.

    Control characters (ESC, BEL and C1 included) and bidi overrides go,
    whitespace collapses to single spaces, and the result is cut to
    ``limit`` characters. With ``semicolons=False`` a ``;`` becomes ``,``
    (OSC 777 separates its fields with ``;``).
    """
    text = clean_text(str(text), multiline=False)
    text = _UNSAFE.sub("", text)
    text = re.sub(r"\s+", " ", text).strip()
    if not semicolons:
        text = text.replace(";", ",")
    if len(text) > limit:
        text = text[: max(0, limit - 1)].rstrip() + "…"
    return text


def bell() -> str:
    """The terminal bell."""
    return BEL


def window_title(text: str, *, osc: int = 2) -> str:
    """Set the terminal window title (OSC 2), or icon name and title (OSC 0)."""
    if osc not in (0, 2):
        raise ValueError("window titles use OSC 0 or OSC 2")
    return f"{ESC}]{osc};{clean_cue_text(text)}{ST}"


def notify_osc9(body: str) -> str:
    """A desktop notification, iTerm2 style (OSC 9).

    A body starting with digits and ``;`` would be read by ConEmu and Windows
    Terminal as a progress or other sub-command, so such a body gets a
    leading space.
    """
    body = clean_cue_text(body)
    if re.match(r"\d+;", body):
        body = " " + body
    return f"{ESC}]9;{body}{ST}"


def notify_osc777(title: str, body: str) -> str:
    """A desktop notification, VTE/urxvt style (``OSC 777 ; notify ; title ; body``)."""
    return f"{ESC}]777;notify;{clean_cue_text(title, 60, semicolons=False)};{clean_cue_text(body, semicolons=False)}{ST}"


def in_tmux(environ: Mapping[str, str] | None = None) -> bool:
    """True when running inside tmux ($TMUX is set)."""
    env = os.environ if environ is None else environ
    return bool(env.get("TMUX"))


def tmux_wrap(sequence: str) -> str:
    """Wrap ``sequence`` for tmux's passthrough (``DCS tmux; ... ST``, ESC doubled).

    tmux forwards it to the outer terminal when ``allow-passthrough`` is on
    (tmux 3.3 and later; off by default) and drops it otherwise, which is
    harmless. The bell and the window title need no wrapping: tmux handles
    those itself.
    """
    return f"{ESC}Ptmux;{sequence.replace(ESC, ESC + ESC)}{ESC}\\"


def notification_flavours(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Which notification sequences to send: ``("9",)``, ``("777",)`` or both.

    Some terminals understand both (Ghostty, WezTerm) and would show two
    notifications, so a terminal we can recognise gets only its own kind.
    ``$TERM`` travels over SSH; ``$TERM_PROGRAM``, ``$VTE_VERSION`` and
    ``$WT_SESSION`` only locally. Unknown terminals get both (each ignores
    the one it does not know).
    """
    env = os.environ if environ is None else environ
    term = env.get("TERM", "")
    program = env.get("TERM_PROGRAM", "")
    if (
        program in ("iTerm.app", "WezTerm", "ghostty", "vscode")
        or env.get("WT_SESSION")
        or term in ("xterm-kitty", "xterm-ghostty", "wezterm")
    ):
        return ("9",)
    if env.get("VTE_VERSION") or term.startswith(("foot", "rxvt")):
        return ("777",)
    return ("9", "777")


#: The config's ``cue_method`` values (``config.toml``): how notifications are sent, or ``none``.


def method_flavours(method: str, environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The notification sequences a ``cue_method`` sends (``auto``: recognise the terminal; ``none``: none)."""
    if method == "auto":
        return notification_flavours(environ)
    return {"osc9": ("9",), "osc777": ("777",), "both": ("9", "777")}.get(method, ())


def notification(
    title: str, body: str, *, tmux: bool = False, flavours: tuple[str, ...] = ("9", "777")
) -> str:
    """A desktop notification in the given flavours, wrapped for tmux if asked."""
    seqs = []
    if "9" in flavours:
        seqs.append(notify_osc9(f"{title}: {body}" if body else title))
    if "777" in flavours:
        seqs.append(notify_osc777(title, body))
    if tmux:
        seqs = [tmux_wrap(s) for s in seqs]
    return "".join(seqs)


def phase_cue(
    *,
    title: str | None = None,
    notify: tuple[str, str] | None = None,
    ring: bool = False,
    notifications: bool = False,
    tmux: bool = False,
    flavours: tuple[str, ...] = ("9", "777"),
) -> str:
    """All the cue sequences for one phase change, as one string to write at once.

    ``title`` sets the window title; ``notify`` is ``(title, body)`` for a
    desktop notification, sent only with ``notifications``; ``ring`` rings
    the bell.
    """
    out = []
    if title is not None:
        out.append(window_title(title))
    if notify is not None and notifications:
        out.append(notification(notify[0], notify[1], tmux=tmux, flavours=flavours))
    if ring:
        out.append(bell())
    return "".join(out)


# ---------------------------------------------------------------- which moments get a cue

#: A step that begins a new stretch (its get-ready, or its first work step).
CUE_STRETCH = "stretch"
#: A step that begins the other side of the same stretch.
CUE_SWITCH = "switch"
#: The session ran to its end.
CUE_END = "end"

#: Seconds at the end of a hold that get a short tick (when ticks are on).
TICK_SECONDS = 3


def step_cue(steps: Sequence[Any], index: int) -> str | None:
    """The cue the start of ``steps[index]`` deserves: :data:`CUE_STRETCH`, :data:`CUE_SWITCH` or None.

    Only what someone on the floor needs: a new stretch begins (its first
    step, whatever the rest before it), or the same stretch goes on with
    the other side. Every other change (a rep, a rest between reps, the
    hold after the get-ready) is shown on screen but stays silent.
    """
    step = steps[index]
    if index == 0 or step.item != steps[index - 1].item:
        return CUE_STRETCH
    before = steps[index - 1]
    if step.side and before.side and step.side != before.side:
        return CUE_SWITCH
    return None


class SessionCues:
    """The cue sequences of one session, from the profile's three switches.

    ``bell`` rings the terminal bell at a new stretch, a side switch and the
    end; ``notifications`` sends a desktop notification at the same moments;
    ``tick`` rings a short bell in each of the last :data:`TICK_SECONDS`
    seconds of a hold. Moves the user makes at the keyboard (skip, back,
    stop) get no cue: the user is looking already. Each method returns the
    sequences to write (``""`` for none), so the full-screen player and the
    line-by-line player give exactly the same cues: a renderer only writes
    them out (this class is the one place a cue is added).

    ``titles`` (the full-screen player) also keeps the window title: the
    terminal's own title is saved at the start (:meth:`on_start`), the title
    shows the countdown each second (:meth:`on_second`) and is given back at
    the end (:meth:`on_close`).
    """

    def __init__(
        self,
        steps: Sequence[Any],
        *,
        bell: bool = True,
        notifications: bool = True,
        tick: bool = False,
        tmux: bool = False,
        flavours: tuple[str, ...] = ("9", "777"),
        titles: bool = False,
    ) -> None:
        self.steps = steps
        self.titles = titles
        self._title_pushed = False
        self.bell = bell
        self.notifications = notifications
        self.tick = tick
        self.tmux = tmux
        self.flavours = flavours
        self._ticked: tuple[int, int] | None = None

    @classmethod
    def for_profile(cls, steps: Sequence[Any], profile: Any, **kwargs: Any) -> SessionCues:
        return cls(
            steps,
            bell=bool(getattr(profile, "bell", True)),
            notifications=bool(getattr(profile, "notifications", True)),
            tick=bool(getattr(profile, "tick", False)),
            **kwargs,
        )

    @classmethod
    def for_session(
        cls,
        steps: Sequence[Any],
        profile: Any,
        method: str = "auto",
        *,
        environ: Mapping[str, str] | None = None,
        titles: bool = False,
    ) -> SessionCues:
        """The cues of one session: the profile's switches and the config's ``cue_method``.

        ``method`` picks the notification sequences (:func:`method_flavours`);
        ``"none"`` turns every sound and notification off (bell, ticks,
        notifications), whatever the profile says.
        """
        silent = method == "none"
        return cls(
            steps,
            bell=not silent and bool(getattr(profile, "bell", True)),
            notifications=not silent and bool(getattr(profile, "notifications", True)),
            tick=not silent and bool(getattr(profile, "tick", False)),
            tmux=in_tmux(environ),
            flavours=method_flavours(method, environ),
            titles=titles,
        )

    def _cue(self, title: str, body: str) -> str:
        return phase_cue(
            notify=(title, body),
            ring=self.bell,
            notifications=self.notifications,
            tmux=self.tmux,
            flavours=self.flavours,
        )

    def on_step(self, index: int, reason: str) -> str:
        """Cues for the start of step ``index``, reached by ``reason`` ("start", "time", "skip", "back")."""
        if reason not in ("start", "time"):
            return ""
        kind = step_cue(self.steps, index)
        if kind is None:
            return ""
        from .player import PHASE_LABELS

        step = self.steps[index]
        seconds = int(step.seconds)
        body = f"{PHASE_LABELS.get(step.kind, step.kind)}: {step.name}"
        if step.side:
            body += f", {step.side} side"
        body += f" ({seconds} s)" if seconds < 60 else f" ({seconds // 60}:{seconds % 60:02d})"
        return self._cue("stretchtui", body)

    def on_end(self, status: str, routine_name: str) -> str:
        """Cues for the end of the session (only when it ran to its end)."""
        if status != "completed":
            return ""
        return self._cue("stretchtui", f"Session complete: {routine_name}")

    def on_start(self) -> str:
        """Before the first step: keep the terminal's own title to give back (:meth:`on_close`)."""
        if not self.titles:
            return ""
        self._title_pushed = True
        return ESC + "[22;0t"

    def on_close(self) -> str:
        """When the player closes: the terminal's own title back (once)."""
        if not self._title_pushed:
            return ""
        self._title_pushed = False
        return window_title("stretchtui") + ESC + "[23;0t"

    def title(self, index: int, second: int) -> str:
        """The window title while step ``index`` shows ``second`` seconds left ("" without titles)."""
        if not self.titles:
            return ""
        from .player import PHASE_LABELS

        step = self.steps[index]
        shown = str(second) if second < 60 else f"{second // 60}:{second % 60:02d}"
        return window_title(f"{shown} {PHASE_LABELS.get(step.kind, '')}: {step.name} · stretchtui")

    def on_second(self, index: int, second: int, *, running: bool = True) -> str:
        """The tick for ``second`` seconds left in step ``index`` (once per second shown)."""
        if not (self.tick and running) or not 0 < second <= TICK_SECONDS:
            return ""
        step = self.steps[index]
        if step.kind != "hold" or step.seconds <= TICK_SECONDS:
            return ""
        if self._ticked == (index, second):
            return ""
        self._ticked = (index, second)
        return BEL

    def count(self, sequences: Iterable[str]) -> dict[str, int]:
        """How many bells and notifications ``sequences`` hold (for tests and the bench)."""
        text = "".join(sequences)
        notes = text.count(f"{ESC}]9;") + text.count(f"{ESC}]777;")
        return {"bells": text.count(BEL) - text.count(f"{ESC}]"), "notifications": notes}
