"""Command-line entry point: ``stretchtui`` and ``python -m stretchtui``.

The parser lives here; each command's work lives in ``stretchtui.commands``
and is imported only when that command runs, so ``stretchtui --help`` and
the plain commands start fast and never import Textual.

Every command returns an exit status. Errors meant for the user
(:class:`~stretchtui.core.errors.StretchtuiError`) are printed as one clear
message on stderr; no traceback reaches a user unless ``STRETCHTUI_DEBUG=1``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Optional, Sequence

from . import __version__
from .core.errors import StretchtuiError

#: command name -> module in stretchtui.commands that has ``run(args) -> int``
COMMANDS = {
    None: "app_cmd",
    "catalog": "catalog_cmd",
    "check": "check_cmd",
    "import": "store_cmds",
    "export": "store_cmds",
    "routines": "store_cmds",
    "history": "store_cmds",
    "play": "play_cmd",
    "summary": "summary_cmd",
    "serve": "serve_cmd",
}


def _speed(value: str) -> float:
    try:
        speed = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--speed takes a number, not {value!r}") from None
    if not 0.1 <= speed <= 1000:
        raise argparse.ArgumentTypeError("--speed must be between 0.1 and 1000")
    return speed


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _port(value: str) -> int:
    number = _positive_int(value)
    if number > 65535:
        raise argparse.ArgumentTypeError("a port is between 1 and 65535")
    return number


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (also used by the tests and the README)."""
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
    p.add_argument("--safe-for", nargs="+", metavar="CONDITION", default=[],
                   help="leave out stretches cautioned or avoided for these conditions")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("check", parents=[common], help="validate a routine file and show its warnings")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--condition", nargs="+", metavar="C", default=[],
                   help="check against these conditions (default: none)")

    p = sub.add_parser("import", parents=[common], help="add routine files to the library")
    p.add_argument("files", nargs="+", metavar="FILE")

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

    p = sub.add_parser("history", parents=[common], help="print recorded sessions")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON")
    fmt.add_argument("--csv", action="store_true", help="print CSV")

    p = sub.add_parser("play", parents=[common], help="run a routine as a guided session")
    p.add_argument("routine", metavar="NAME|FILE", help="a routine name from the library, or a routine file")
    p.add_argument("--plain", action="store_true", help="line-by-line output instead of the full-screen player")
    p.add_argument("--speed", type=_speed, default=argparse.SUPPRESS, metavar="FACTOR",
                   help="run the clock FACTOR times faster")
    p.add_argument("--no-checklist", action="store_true", help="skip the red-flag checklist")
    p.add_argument("--yes", action="store_true", help="accept avoid-level warnings without asking")

    p = sub.add_parser("summary", parents=[common], help="print a plain-text summary for your clinician")
    p.add_argument("--weeks", type=_positive_int, default=4, metavar="N", help="how many weeks (default 4)")

    p = sub.add_parser("serve", parents=[common], help="serve the app to a web browser (needs stretchtui[web])")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Parse ``argv`` and run the command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "data_dir"):
        args.data_dir = None
    module = importlib.import_module(f"stretchtui.commands.{COMMANDS[args.command]}")
    try:
        return int(module.run(args) or 0)
    except StretchtuiError as exc:
        print(f"stretchtui: {exc}", file=sys.stderr)
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
            f"stretchtui: unexpected error: {type(exc).__name__}: {exc}\n"
            "Nothing was changed by this failure. Run again with STRETCHTUI_DEBUG=1 "
            "to see the details, and please report it.",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
