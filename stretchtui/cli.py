"""Command-line entry point: ``stretchtui`` and ``python -m stretchtui``.

The parser lives here; each command's work lives in ``stretchtui.commands``
and is imported only when that command runs, so ``stretchtui --help`` and
the plain commands start fast and never import Textual.

Every command returns an exit status. Errors meant for the user
(:class:`~stretchtui.core.errors.StretchtuiError`) are printed as one clear
message on stderr; no traceback reaches a user unless ``STRETCHTUI_DEBUG=1``.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from . import __version__
from .core.errors import StretchtuiError
from .core.text import display

if TYPE_CHECKING:  # pragma: no cover - argparse is loaded only to build the full parser
    import argparse

#: command name -> module in stretchtui.commands that has ``run(args) -> int``
COMMANDS = {
    None: "app_cmd",
    "catalog": "catalog_cmd",
    "check": "check_cmd",
    "profile": "profile_cmd",
    "psfs": "psfs_cmd",
    "import": "store_cmds",
    "share": "store_cmds",
    "export": "store_cmds",
    "routines": "store_cmds",
    "history": "store_cmds",
    "play": "play_cmd",
    "summary": "summary_cmd",
    "suggest": "adapt_cmd",
    "checkin": "adapt_cmd",
    "symptoms": "symptoms_cmd",
    "serve": "serve_cmd",
    # terminal-side commands: reminders, completion, man page, config, keys
    "schedule": "schedule_cmd",
    "due": "schedule_cmd",
    "completion": "completion_cmd",
    "config": "config_cmd",
    "keys": "keys_cmd",
}


def _bad(message: str) -> Exception:
    """argparse's error for a value a ``type=`` function refuses (argparse itself loaded only now)."""
    import argparse

    return argparse.ArgumentTypeError(message)


def _speed(value: str) -> float:
    try:
        speed = float(value)
    except ValueError:
        raise _bad(f"--speed takes a number, not {value!r}") from None
    if not 0.1 <= speed <= 1000:
        raise _bad("--speed must be between 0.1 and 1000")
    return speed


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise _bad(f"expected a whole number, not {value!r}") from None
    if number < 1:
        raise _bad("must be 1 or more")
    return number


def _port(value: str) -> int:
    number = _positive_int(value)
    if number > 65535:
        raise _bad("a port is between 1 and 65535")
    return number


def _max_sessions(value: str) -> int:
    number = _positive_int(value)
    if number > 256:
        raise _bad("at most 256 sessions at once (each is a process of its own)")
    return number


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (also used by the tests and the README)."""
    import argparse

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="where routines, history and the profile are kept "
        "(default: $STRETCHTUI_DATA_DIR or the platform's user data dir)",
    )

    parser = argparse.ArgumentParser(
        prog="stretchtui",
        description="Guided stretching routines for back pain, in the terminal. "
        "Run with no command to start the app. "
        "stretchtui informs; it does not diagnose. See a clinician for red-flag symptoms.",
        epilog="The full manual: man stretchtui (the stretchtui(1) page). "
        "Each command has its own help: stretchtui COMMAND --help.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"stretchtui {__version__}")
    parser.add_argument(
        "--speed",
        type=_speed,
        default=1.0,
        metavar="FACTOR",
        help="run the player's clock FACTOR times faster (demos and tests)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("catalog", parents=[common], help="list stretches")
    p.add_argument("--region", choices=["lower-back", "upper-back", "neck", "nerves", "all"], default="all")
    p.add_argument("--search", metavar="TEXT", default="",
                   help="stretches matching TEXT (a name, an alias, a condition they help; typos forgiven), best first")
    p.add_argument("--safe-for", nargs="+", metavar="CONDITION", default=[],
                   help="leave out stretches cautioned or avoided for these conditions")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("check", parents=[common],
                       help="validate a routine (file or name) and show its warnings for your profile")
    p.add_argument("file", metavar="FILE|NAME",
                   help="a routine file, - for standard input, or a library or starter routine name")
    p.add_argument("--condition", nargs="+", metavar="C", default=[],
                   help="check for these conditions instead of the profile's")
    p.add_argument("--no-profile", action="store_true", help="check without any conditions")
    p.add_argument("--flare", action="store_true",
                   help="check as during a flare (the profile's flare applies by default)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("profile", parents=[common],
                       help="show or change your conditions, flare and player settings")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--condition", nargs="+", metavar="C", default=None,
                       help="set your conditions to these (ids or names)")
    which.add_argument("--clear", action="store_true", help="remove every condition")
    p.add_argument("--flare", choices=["on", "off"], default=None,
                   help="in a flare of disc herniation or sciatica (on records today's date)")
    p.add_argument("--json", action="store_true", help="print the profile as JSON")

    p = sub.add_parser(
        "psfs", parents=[common],
        help="your activities scale (PSFS): list, add or rate activities your back or neck makes hard",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    psub = p.add_subparsers(dest="psfs_action", metavar="ACTION")
    for action, what in (("add", "add an activity (at most 5) rated today"),
                         ("rate", "rate an activity again today")):
        s = psub.add_parser(action, parents=[common], help=what)
        s.add_argument("activity", metavar="ACTIVITY", help='a few words, e.g. "tie my shoelaces"')
        s.add_argument("score", metavar="SCORE", help="0 (unable to do it) to 10 (as before the problem)")
    s = psub.add_parser("remove", parents=[common], help="remove an activity and its ratings")
    s.add_argument("activity", metavar="ACTIVITY")

    p = sub.add_parser("import", parents=[common],
                       help="add routines to the library: routine files, handouts (.html) or a share code")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="a .routine.json file, a handout made by stretchtui, or a text file holding a share code")
    p.add_argument("--code", action="append", default=[], metavar="CODE",
                   help="a share code (from `stretchtui share`); - reads it from standard input; repeatable")

    p = sub.add_parser("share", parents=[common],
                       help="print a routine as a one-line share code for someone else's `stretchtui import --code`")
    p.add_argument("name", metavar="NAME|FILE", help="a library or starter routine, or a routine file")

    p = sub.add_parser("export", parents=[common],
                       help="write a library routine to a .routine.json file (or, with --html, a printable handout)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="output file, or - for stdout (default: NAME.routine.json, or NAME.html with --html)")
    p.add_argument("--html", action="store_true",
                   help="write a self-contained printable HTML handout with figures, steps, your cautions "
                   "and the red flags")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")

    p = sub.add_parser("routines", parents=[common], help="list the routines in the library")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser(
        "history", parents=[common], help="print recorded sessions, or import a history file",
        usage="stretchtui history [--data-dir DIR] [--json | --csv]\n"
        "       stretchtui history import FILE [--data-dir DIR]",
    )
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print a history file: sessions and PSFS ratings (JSON, see history.schema.json)")
    fmt.add_argument("--csv", action="store_true", help="print CSV")
    history_sub = p.add_subparsers(dest="history_command", metavar="import")
    hp = history_sub.add_parser(
        "import", parents=[common],
        help="add the sessions of a history file that are not here yet (same id: skipped) and merge its PSFS ratings",
        description="Add the sessions of FILE (written by `stretchtui history --json`) that this data "
        "folder does not have yet. Sessions already here (same id) are skipped, so importing twice is "
        "harmless. The file is checked first; on any problem nothing is imported.",
    )
    hp.add_argument("file", metavar="FILE")

    p = sub.add_parser("play", parents=[common], help="run a routine as a guided session")
    p.add_argument("routine", metavar="NAME|FILE", help="a routine name from the library, or a routine file")
    p.add_argument("--plain", action="store_true", help="line-by-line output instead of the full-screen player")
    p.add_argument("--speed", type=_speed, default=argparse.SUPPRESS, metavar="FACTOR",
                   help="run the clock FACTOR times faster")
    p.add_argument("--no-checklist", action="store_true", help="skip the red-flag checklist")
    p.add_argument("--yes", action="store_true", help="accept avoid-level warnings without asking")
    p.add_argument("--respond", metavar="better|same|worse|spreading|central",
                   help="with --plain: answer every 'how did that feel?' prompt with this (no terminal needed)")
    p.add_argument("--pain", metavar="BEFORE,AFTER",
                   help="with --plain: answer the pain questions before and after, 0-10 each (e.g. 2,1)")

    p = sub.add_parser("summary", parents=[common], help="print a plain-text summary for your clinician")
    p.add_argument("--weeks", type=_positive_int, default=4, metavar="N", help="how many weeks (default 4)")

    p = sub.add_parser("suggest", parents=[common],
                       help="what to do with each stretch's dose next time, from how the sessions went")
    p.add_argument("routine", metavar="NAME|FILE", help="a routine name from the library, or a routine file")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--apply", action="store_true",
                   help="write the new doses to the library routine (a file or starter: saved as a copy)")
    p = sub.add_parser("checkin", parents=[common],
                       help="the day-after check-in: how your back is compared with before the last session")
    p.add_argument("answer", choices=["better", "same", "worse"],
                   help="recorded on the latest session that ended 12 to 72 hours ago")

    p = sub.add_parser("symptoms", parents=[common],
                       help="the stretches marked because symptoms spread during them: list or clear")
    p.add_argument("--json", action="store_true", help="print JSON")
    ysub = p.add_subparsers(dest="symptoms_action", metavar="ACTION")
    s = ysub.add_parser("clear", parents=[common],
                        help="clear a stretch's mark (after a clinician has seen you), or every mark")
    s.add_argument("stretch", metavar="STRETCH|all", help="a stretch id or name, or all")

    p = sub.add_parser("serve", parents=[common], help="serve the app to a web browser (needs the web extra)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    p.add_argument("--token-file", metavar="FILE",
                   help="keep the secret token in FILE (made if missing; must be mode 0600) so the link stays the same")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="also answer to this host name (NAME or NAME:PORT); repeatable")
    p.add_argument("--allow-remote", action="store_true",
                   help="allow a --host that other machines can reach")
    p.add_argument("--max-sessions", type=_max_sessions, default=8, metavar="N",
                   help="browser sessions (app processes) that may run at once (default 8)")

    # -- terminal-side commands: reminders, completion, man page, config, keys
    p = sub.add_parser("schedule", parents=[common], help="stretch reminders: set, show, clear, or export as a calendar")
    ssub = p.add_subparsers(dest="schedule_action", metavar="ACTION")
    s = ssub.add_parser("set", parents=[common], help="remind on these days at these times (replaces the schedule)")
    s.add_argument("--days", required=True, metavar="DAYS", help="mon-fri, mon,wed,fri, sat-sun, daily, weekdays ...")
    s.add_argument("--time", required=True, action="append", metavar="HH:MM", help="a time of day (repeat for more)")
    s.add_argument("--routine", metavar="NAME", help="the routine to play (default: none, open the app)")
    ssub.add_parser("show", parents=[common], help="print the schedule and the next reminder (the default)")
    ssub.add_parser("clear", parents=[common], help="remove the schedule")
    s = ssub.add_parser("ics", parents=[common], help="write the schedule as an iCalendar file")
    s.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    sub.add_parser("due", parents=[common], help="print a reminder and exit 0 if a stretch is due, else exit 1 "
                   "(for shell prompts)")
    p = sub.add_parser("completion", parents=[common], help="print a shell completion script (bash, zsh or fish)")
    p.add_argument("shell", choices=["bash", "zsh", "fish"], help="the shell")
    p = sub.add_parser("config", parents=[common],
                       help="the config file: print its path, show the settings, or edit it")
    p.add_argument("config_action", nargs="?", choices=["path", "show", "edit"], default="show", metavar="ACTION",
                   help="path, show (the default) or edit (opens $EDITOR, creating a commented file)")
    p = sub.add_parser("keys", parents=[common],
                       help="list every key binding: id, keys (after your [keymap]) and description")
    p.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _app_only(argv: Sequence[str]) -> Any:
    """``argv`` parsed without building every command's parser, when it only starts the app.

    ``stretchtui``, ``stretchtui --data-dir DIR``, ``stretchtui --speed 10``:
    the full parser (every command and option, about 15 ms) is built only
    when something else is asked, so the app's start-up does not grow with
    the commands. Anything else (a command, --help, a mistake): None.
    """
    rest = list(argv)
    values: dict[str, str] = {}
    while rest:
        token = rest.pop(0)
        name, eq, value = token.partition("=")
        if name not in ("--data-dir", "--speed") or name in values:
            return None
        if not eq:
            if not rest or rest[0].startswith("-"):
                return None
            value = rest.pop(0)
        values[name] = value
    try:
        speed = _speed(values.get("--speed", "1"))
    except Exception:  # argparse's ArgumentTypeError: the full parser says what is wrong
        return None
    # A plain namespace: argparse (3 ms with gettext) is not loaded to start the app.
    args = SimpleNamespace(command=None, speed=speed)
    if "--data-dir" in values:
        args.data_dir = values["--data-dir"]
    return args

def build_complete_parser() -> argparse.ArgumentParser:
    """``stretchtui _complete KIND [PREFIX]``: what the completion scripts call.

    A parser of its own, so that the hidden command is not listed among the
    commands (``stretchtui foo`` names the real ones only).
    """
    import argparse

    parser = argparse.ArgumentParser(prog="stretchtui _complete")
    parser.add_argument("--data-dir", metavar="DIR", default=None)
    parser.add_argument("kind", choices=["routines", "stretches", "conditions"])
    parser.add_argument("prefix", nargs="?", default="")
    parser.set_defaults(command="_complete")
    return parser


class _Runnable:
    """A text stream that writes the commands it prints as they can be run here
    (:func:`stretchtui.core.invocation.runnable`), for a stretchtui that is not on PATH."""

    def __init__(self, stream: Any, prefix: str) -> None:
        self._stream = stream
        self._prefix = prefix

    def write(self, text: str) -> int:
        from .core.invocation import runnable

        self._stream.write(runnable(text, self._prefix))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _runnable_output(args: Any) -> None:
    """Every hint the CLI prints ("Run: stretchtui play ...") runnable as printed,
    also when `stretchtui` is not on PATH (the venv of README's first command).
    JSON output is left exactly as it is."""
    if args.command is None:  # the app: it prints no hint (and its start need not load the module)
        return
    from .core.invocation import command_prefix

    prefix = command_prefix()
    if prefix == "stretchtui":
        return
    if not getattr(args, "json", False) and not isinstance(sys.stdout, _Runnable):
        sys.stdout = _Runnable(sys.stdout, prefix)
    if not isinstance(sys.stderr, _Runnable):
        sys.stderr = _Runnable(sys.stderr, prefix)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the command; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    fast = _app_only(argv)
    if fast is not None:
        # Starting the app: dataclass methods compiled by an earlier run, installed before the
        # modules that make them are imported; the garbage collector waits for the first frame.
        from .core import compiled_methods

        compiled_methods.install()
        from .commands.app_cmd import hold_gc_until_first_frame

        hold_gc_until_first_frame()
        args = fast
    elif argv[:1] == ["_complete"]:
        args = build_complete_parser().parse_args(argv[1:])
    else:
        args = build_parser().parse_args(argv)
    if not hasattr(args, "data_dir"):
        args.data_dir = None
    _runnable_output(args)
    module = importlib.import_module(f"stretchtui.commands.{COMMANDS.get(args.command, 'completion_cmd')}")
    try:
        return int(module.run(args) or 0)
    except StretchtuiError as exc:
        print(f"stretchtui: {display(str(exc), multiline=True)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("stretchtui: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: not an error for the user.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError:
            pass
        return 0
    except Exception as exc:  # pragma: no cover - last line of defence
        if os.environ.get("STRETCHTUI_DEBUG"):
            raise
        print(
            f"stretchtui: unexpected error: {type(exc).__name__}: {display(str(exc), multiline=True)}\n"
            "Nothing was changed by this failure. Run again with STRETCHTUI_DEBUG=1 "
            "to see the details, and please report it.",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
