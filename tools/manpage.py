"""The ``stretchtui(1)`` man page, generated from the argparse parser.

``python tools/manpage.py > man/stretchtui.1`` rewrites the page; a test
fails when the committed page is not what this prints, so the page never
drifts from the CLI. The output is deterministic: usage lines are built here
from the parser's actions (argparse's own wrap to the terminal width), and
the page carries the version, not a date.

The wheel installs the page as ``share/man/man1/stretchtui.1`` (hatch
``shared-data``), so ``man stretchtui`` finds it in a virtualenv's or the
user's prefix where ``man`` looks (``MANPATH`` / the ``bin``-relative
``../share/man``).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from pathlib import Path

if not __package__:  # run as `python tools/NAME.py`: import this checkout's package
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stretchtui import __version__
from stretchtui.core.storage.config import DEFAULT_COUNTDOWN_FONT
from stretchtui.core.storage.config import KEYS as CONFIG_KEYS

#: Sections written after the commands: (title, paragraphs). ``\\fB`` etc. are roff.
ENVIRONMENT = (
    ("STRETCHTUI_DATA_DIR", "The data folder, when --data-dir is not given."),
    ("STRETCHTUI_CONFIG", "The config file to read instead of the default one."),
    ("EDITOR, VISUAL", "The editor `stretchtui config edit` opens (VISUAL first)."),
    ("STRETCHTUI_DEBUG", "Set to 1 to see a traceback for an unexpected error."),
    ("NO_COLOR", "Honoured by the app: no colours."),
)


def esc(text: str) -> str:
    """``text`` safe inside a roff line: backslashes, and a leading dot or quote."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return re.sub(r"^([.'])", r"\\&\1", text, flags=re.M)


def _help(action: argparse.Action) -> str:
    text = action.help or ""
    if "%(" in text:
        params = dict(vars(action), prog="stretchtui")
        params = {k: (v.__name__ if hasattr(v, "__name__") else v) for k, v in params.items()}
        text = text % params
    return text


def _metavar(action: argparse.Action) -> str:
    if action.metavar is not None:
        return str(action.metavar)
    if action.choices is not None:
        return "{" + ",".join(str(c) for c in action.choices) + "}"
    return action.dest.upper() if action.option_strings else action.dest


def _public(action: argparse.Action) -> bool:
    return action.help is not argparse.SUPPRESS and not isinstance(action, argparse._HelpAction)


def _usage_parts(parser: argparse.ArgumentParser) -> list[str]:
    parts = []
    for action in parser._actions:
        if not _public(action) or isinstance(action, (argparse._SubParsersAction, argparse._VersionAction)):
            continue
        if action.dest == "data_dir" and action.option_strings:
            continue  # a common option: described once, under OPTIONS
        meta = _metavar(action)
        if action.option_strings:
            flag = "\\fB" + esc(action.option_strings[-1] if len(action.option_strings[-1]) > 2 else action.option_strings[0]) + "\\fR"
            if action.nargs == 0:
                item = flag
            else:
                item = f"{flag} \\fI{esc(meta)}\\fR"
                if action.nargs in ("+", "*"):
                    item += " ..."
            parts.append(item if action.required else f"[{item}]")
        else:
            item = f"\\fI{esc(meta)}\\fR"
            if action.nargs == "+":
                item += " ..."
            parts.append(f"[{item}]" if action.nargs == "?" else item)
    return parts


def _subcommands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str, argparse.ArgumentParser]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._get_subactions()}
            for name, sub in action.choices.items():
                if name not in helps or helps[name] is argparse.SUPPRESS:
                    continue  # hidden helpers (no help text)
                yield (*path, name), helps[name] or "", sub
                yield from _subcommands(sub, (*path, name))


def _options(parser: argparse.ArgumentParser, *, skip_common: bool) -> list[str]:
    out = []
    for action in parser._actions:
        if not _public(action) or isinstance(action, argparse._SubParsersAction):
            continue
        if skip_common and action.dest == "data_dir":
            continue
        if action.option_strings:
            flags = ", ".join("\\fB" + esc(s) + "\\fR" for s in action.option_strings)
            head = flags if action.nargs == 0 else f"{flags} \\fI{esc(_metavar(action))}\\fR"
        elif not action.help:
            continue  # a positional the usage line already names
        else:
            head = f"\\fI{esc(_metavar(action))}\\fR"
        out += [".TP", head, esc(_help(action) or "")]
    return out


def render(parser: argparse.ArgumentParser | None = None) -> str:
    """The man page (roff, ``man`` macros) for ``parser`` (default: the CLI's)."""
    if parser is None:
        from stretchtui.cli import build_parser

        parser = build_parser()
    lines = [
        '.\\" Generated by `python tools/manpage.py` from the command-line parser: do not edit.',
        f'.TH STRETCHTUI 1 "" "stretchtui {__version__}" "User Commands"',
        ".SH NAME",
        "stretchtui \\- guided stretching routines for back pain, in the terminal",
        ".SH SYNOPSIS",
        ".B stretchtui",
        " ".join(["[\\fB\\-\\-data\\-dir\\fR \\fIDIR\\fR]", *_usage_parts(parser)]),
        ".br",
        ".B stretchtui",
        "\\fICOMMAND\\fR [\\fIOPTIONS\\fR]",
        ".SH DESCRIPTION",
        esc(parser.description or ""),
        ".PP",
        "With no command, the full-screen app starts: a catalog of stretches, a routine builder with "
        "safety warnings for your conditions, a guided player and your history. Press \\fB?\\fR in the "
        "app for its keys.",
        ".SH OPTIONS",
        *_options(parser, skip_common=False),
        ".SH COMMANDS",
        "Every command takes \\fB\\-\\-data\\-dir\\fR \\fIDIR\\fR and \\fB\\-h\\fR, \\fB\\-\\-help\\fR.",
    ]
    for path, help_text, sub in _subcommands(parser):
        has_children = any(isinstance(a, argparse._SubParsersAction) for a in sub._actions)
        usage = " ".join(["\\fBstretchtui " + esc(" ".join(path)) + "\\fR", *_usage_parts(sub)])
        if has_children:
            usage += " \\fIACTION\\fR"
        lines += [".SS", "stretchtui " + esc(" ".join(path)), esc(help_text[:1].upper() + help_text[1:]) + ".",
                  ".PP", ".ad l", usage, ".ad b"]
        options = _options(sub, skip_common=True)
        if options:
            lines += [".RS", *options, ".RE"]
    lines += [
        ".SH FILES",
        ".TP",
        "\\fI~/.config/stretchtui/config.toml\\fR",
        "The config file (the platform's user config folder; \\fB$STRETCHTUI_CONFIG\\fR overrides it). "
        "See \\fBstretchtui config path\\fR. Keys: "
        + ", ".join("\\fB" + esc(key) + "\\fR" for key in CONFIG_KEYS)
        + "; \\fBcountdown_font\\fR names the figlet font of the player's countdown (default "
        + esc(DEFAULT_COUNTDOWN_FONT) + ", solid blocks; any installed font, e.g. banner3, big).",
        ".TP",
        "\\fI~/.local/share/stretchtui/\\fR",
        "The data folder (the platform's user data folder): routines, sessions and the profile "
        "(\\fIlibrary.json\\fR, one \\fIsessions-YEAR.json\\fR a year, \\fIlayout.json\\fR and their backups), the reminder schedule (\\fIschedule.json\\fR) and the "
        "\\fBdue\\fR cache (\\fIdue\\-cache.json\\fR); where the app was left (\\fIui\\-state.json\\fR).",
        ".TP",
        "\\fI~/.cache/stretchtui/\\fR",
        "Caches that make the app start faster (the platform's user cache folder; \\fB$XDG_CACHE_HOME\\fR is "
        "honoured): the parsed screen styles (\\fIcss\\-rules.cache\\fR) and compiled data-class methods "
        "(\\fIdataclass\\-methods.cache\\fR). Safe to delete.",
        ".SH ENVIRONMENT",
    ]
    for name, text in ENVIRONMENT:
        lines += [".TP", "\\fB" + esc(name) + "\\fR", esc(text)]
    lines += [
        ".SH EXIT STATUS",
        "0 on success; 2 for an error the message explains (bad input, a damaged file); "
        "70 for an unexpected error; 130 when interrupted. \\fBstretchtui due\\fR exits 1 when "
        "nothing is due.",
        ".SH EXAMPLES",
        "Remind on weekdays at 08:00 and 13:00, and show the reminder in the bash prompt:",
        ".PP",
        ".nf",
        ".RS",
        esc("stretchtui schedule set --days mon-fri --time 08:00 --time 13:00 --routine 'Morning stiffness'"),
        esc("PROMPT_COMMAND='stretchtui due 2>/dev/null'"),
        ".RE",
        ".fi",
        ".PP",
        "Enable completion in bash:",
        ".PP",
        ".nf",
        ".RS",
        esc('eval "$(stretchtui completion bash)"'),
        ".RE",
        ".fi",
        ".PP",
        "Share a routine as one line, and import it elsewhere:",
        ".PP",
        ".nf",
        ".RS",
        esc("stretchtui share 'Morning stiffness'"),
        esc("stretchtui import --code 'stretchtui.1....'"),
        ".RE",
        ".fi",
        ".SH SEE ALSO",
        "The project's README.md (getting started) and docs/ folder: docs/commands.md (every command, "
        "the same as this page), docs/files.md (share codes, routine and history files), docs/config.md, "
        "docs/safety.md (how the warnings work), docs/guide.md (the screens), docs/server.md (SSH and "
        "the browser).",
        ".SH NOTES",
        "stretchtui informs; it does not diagnose. If you have numbness in the saddle area, new bladder "
        "or bowel trouble, sciatica in both legs, weakness that is getting worse, fever, or pain after "
        "a fall, stop and see a clinician.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python tools/manpage.py [-o FILE]``: print (or write) the page."""
    args = argparse.ArgumentParser(prog="python tools/manpage.py")
    args.add_argument("-o", "--output", metavar="FILE")
    ns = args.parse_args(argv)
    page = render()
    if ns.output:
        with open(ns.output, "w", encoding="utf-8") as fh:
            fh.write(page)
    else:
        sys.stdout.write(page)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
