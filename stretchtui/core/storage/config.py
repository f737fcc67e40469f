"""The config file: terminal-side preferences in TOML.

Where: ``$STRETCHTUI_CONFIG`` if set, else ``config.toml`` in the platform's
user config folder (``platformdirs.user_config_dir("stretchtui")``; on Linux
``~/.config/stretchtui/config.toml``). Health data (conditions, flare, pain,
PSFS) never goes here: it stays in the data folder.

Every key is optional (:data:`KEYS` says what each means; the package ships
a JSON Schema, ``config.schema.json``, and :func:`template` writes the
commented file that ``stretchtui config edit`` starts from).

A bad config never stops anything. :func:`load_config` always returns
settings: a file that is not valid TOML gives all the defaults; a key with a
bad value or an unknown key is left out (its default applies) and the rest
is used. Every problem is kept with the file and the line it is on, and
:attr:`Settings.problem_line` sums them up in the one line the app and the
commands show.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain.cue_methods import CUE_METHODS
from .safe_file import MAX_SMALL_BYTES, UnsafeFile, read_data_file

ENV_VAR = "STRETCHTUI_CONFIG"
FILE_NAME = "config.toml"

#: Countdown digit styles: "auto" picks the largest that fits the terminal.
FIGURE_STYLES = ("auto", "braille", "ascii")
#: How the player cues (CUE_METHODS, from the cues module): "auto" recognises the terminal;
#: "osc9" (iTerm2, WezTerm, kitty, Ghostty, Windows Terminal), "osc777" (GNOME
#: Terminal and other VTE terminals, foot, urxvt), "both", or "none" (no bell, no notification).
#: The player's countdown font: any installed figlet font; this one is solid blocks.
DEFAULT_COUNTDOWN_FONT = "ansi_regular"

#: key -> (TOML type name, default shown in the template, description).
KEYS: dict[str, tuple[str, str, str]] = {
    "theme": (
        "string",
        '"textual-dark"',
        "The colour theme: a Textual theme name, e.g. textual-dark, textual-light, nord, "
        "gruvbox, tokyo-night, monokai, dracula, catppuccin-mocha, solarized-light.",
    ),
    "figure_style": (
        "string",
        '"auto"',
        "How stretch figures are drawn: " + ", ".join(FIGURE_STYLES)
        + " (auto: braille unless the profile asks for ASCII; ascii for fonts without braille).",
    ),
    "countdown_font": (
        "string",
        f'"{DEFAULT_COUNTDOWN_FONT}"',
        "The figlet font of the player's big countdown: any installed font, e.g. ansi_regular (solid "
        "blocks, the default), ansi_shadow, banner3, big, standard (`pyfiglet --list_fonts` lists them). "
        "A font too big for the window gives way to the default.",
    ),
    "cue_method": (
        "string",
        '"auto"',
        "How the player's desktop notifications are sent: " + ", ".join(CUE_METHODS)
        + " (auto: recognise the terminal; none: no bell and no notification in either player). "
        "The bell and notifications on/off are in the Profile.",
    ),
    "export_folder": (
        "string",
        '"~/Documents/stretches"',
        "Where exported routine files go by default (the Library's export and `stretchtui export`); "
        "~ is your home folder. Default: the current folder.",
    ),
    "keymap": (
        "table",
        '{ "player.pause" = "p" }',
        "Key bindings by id: `stretchtui keys` lists the ids and their keys. A value is one key or "
        "several separated by commas, e.g. \"player.pause\" = \"p,space\".",
    ),
}

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
#: One key: a single visible character ("?", "p") or a name such as ctrl+s, space, f5, shift+up.
_KEY_RE = re.compile(r"^(?:[^\s,\x00-\x1f\x7f]|[A-Za-z0-9_+-]+)$")


def default_config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("stretchtui", appauthor=False)) / FILE_NAME


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$STRETCHTUI_CONFIG`` (``~`` expanded), else :func:`default_config_path`."""
    env = os.environ if environ is None else environ
    raw = env.get(ENV_VAR, "")
    if raw:
        return Path(os.path.abspath(os.path.expanduser(raw)))
    return default_config_path()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the config file."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}, line {self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Settings:
    """The effective settings (defaults where the file says nothing or something wrong)."""

    theme: str | None = None
    figure_style: str = "auto"
    cue_method: str = "auto"
    countdown_font: str = DEFAULT_COUNTDOWN_FONT
    export_folder: Path | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    problems: tuple[Problem, ...] = ()
    #: True when the file could not be parsed at all (every default applies).
    unreadable: bool = False

    @property
    def problem_line(self) -> str | None:
        """The one line to show for the problems (None when there are none)."""
        if not self.problems:
            return None
        first = self.problems[0]
        rest = len(self.problems) - 1
        tail = "using the default settings" if self.unreadable else "using the default for it"
        more = f" (and {rest} more problem{'s' if rest != 1 else ''}: `stretchtui config show` lists them)" if rest else ""
        return f"config {first}; {tail}{more}"

    def to_toml(self) -> str:
        """The effective settings as TOML (``stretchtui config show``)."""
        lines = []
        if self.theme is not None:
            lines.append(f"theme = {_toml_str(self.theme)}")
        else:
            lines.append('# theme: the default ("textual-dark")')
        lines.append(f"figure_style = {_toml_str(self.figure_style)}")
        lines.append(f"countdown_font = {_toml_str(self.countdown_font)}")
        lines.append(f"cue_method = {_toml_str(self.cue_method)}")
        if self.export_folder is not None:
            lines.append(f"export_folder = {_toml_str(str(self.export_folder))}")
        else:
            lines.append("# export_folder: not set (the app's file dialogs open in your home folder; "
                         "`stretchtui export` writes to the current folder)")
        lines += ["", "[keymap]"]
        for key in sorted(self.keymap):
            lines.append(f"{_toml_key(key)} = {_toml_str(self.keymap[key])}")
        return "\n".join(lines) + "\n"

    def flavours(self, environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
        """Notification sequences for the player (see :data:`CUE_METHODS`)."""
        from ..domain.cues import method_flavours  # the cues load with the player, not at start-up

        return method_flavours(self.cue_method, environ)

    def export_path(self, file_name: str) -> str:
        """``file_name`` in the export folder (as typed: the current folder when none is set)."""
        if self.export_folder is None:
            return file_name
        return str(self.export_folder / file_name)


def _toml_str(value: str) -> str:
    out = value.replace("\\", "\\\\").replace('"', '\\"')
    out = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", out)
    return f'"{out}"'


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_str(key)


def line_of(text: str, table: str | None, key: str) -> int | None:
    """The line where ``key`` is set (in ``[table]``, or at the top level), best effort."""
    current: str | None = None
    pattern = re.compile(r'^\s*(?:"' + re.escape(key) + r'"|\'' + re.escape(key) + r"'|" + re.escape(key) + r")\s*=")
    header = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$")
    for number, line in enumerate(text.splitlines(), start=1):
        match = header.match(line)
        if match:
            current = match.group(1).strip().strip('"')
            continue
        if current == table and pattern.match(line):
            return number
        if table is None and current is None and re.match(r"^\s*" + re.escape(key) + r"\s*\.", line):
            return number  # dotted key (theme.x = ...)
    if table is None:  # a [key] table header
        for number, line in enumerate(text.splitlines(), start=1):
            match = header.match(line)
            if match and match.group(1).strip().strip('"') == key:
                return number
    return None


def _loads(text: str) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
    return tomllib.loads(text)


def _decode_error_line(exc: Exception) -> tuple[int | None, str]:
    message = str(exc)
    match = re.search(r"\(at line (\d+), column \d+\)$", message)
    if match:
        return int(match.group(1)), message[: match.start()].strip()
    match = re.search(r"\(at end of document\)$", message)
    if match:
        return None, message[: match.start()].strip() + " at the end of the file"
    return None, message


def parse_config(text: str, path: Path) -> Settings:
    """Settings from the text of a config file (never raises for bad content)."""
    problems: list[Problem] = []

    def problem(table: str | None, key: str, message: str) -> None:
        problems.append(Problem(path, line_of(text, table, key), message))

    try:
        data = _loads(text)
    except Exception as exc:  # tomllib.TOMLDecodeError (and tomli's)
        line, message = _decode_error_line(exc)
        return Settings(path=path, problems=(Problem(path, line, f"not valid TOML: {message}"),), unreadable=True)

    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in KEYS:
            close = [k for k in KEYS if k.replace("_", "") == key.replace("_", "").replace("-", "").lower()]
            hint = f"did you mean {close[0]!r}?" if close else f"the keys are {', '.join(KEYS)}"
            problem(None, key, f"unknown key {key!r} ({hint})")
            continue
        kind = KEYS[key][0]
        if kind == "string" and not isinstance(value, str):
            problem(None, key, f"{key} must be text in quotes, not {_describe(value)}")
            continue
        if kind == "table" and not isinstance(value, dict):
            problem(None, key, f"{key} must be a table ([{key}] with lines such as \"player.pause\" = \"p\")")
            continue
        values[key] = value

    theme = values.get("theme")
    if theme is not None and not re.match(r"^[A-Za-z0-9_.-]{1,64}$", theme):
        problem(None, "theme", f"theme {theme!r} is not a theme name (letters, digits, - and _)")
        theme = None
    figure = values.get("figure_style", "auto")
    if figure not in FIGURE_STYLES:
        problem(None, "figure_style", f"figure_style {figure!r} is not one of {', '.join(FIGURE_STYLES)}")
        figure = "auto"
    cue = values.get("cue_method", "auto")
    if cue not in CUE_METHODS:
        problem(None, "cue_method", f"cue_method {cue!r} is not one of {', '.join(CUE_METHODS)}")
        cue = "auto"
    font = values.get("countdown_font", DEFAULT_COUNTDOWN_FONT)
    font_problem = countdown_font_problem(font)
    if font_problem:
        problem(None, "countdown_font", font_problem)
        font = DEFAULT_COUNTDOWN_FONT
    export: Path | None = None
    if "export_folder" in values:
        raw = values["export_folder"].strip()
        if not raw or "\x00" in raw:
            problem(None, "export_folder", "export_folder must be a folder path")
        else:
            export = Path(os.path.expanduser(raw))  # a relative folder is taken from the current one
    keymap: dict[str, str] = {}
    for binding_id, keys in (values.get("keymap") or {}).items():
        if not isinstance(keys, str) or not keys.strip():
            problem("keymap", binding_id, f"keymap {binding_id!r} must be a key in quotes, e.g. \"p\" or \"p,space\"")
            continue
        items = [k.strip() for k in keys.split(",") if k.strip()]
        cleaned = ",".join(items)
        if not items or not all(_KEY_RE.match(k) for k in items):
            problem("keymap", binding_id, f"keymap {binding_id!r}: {keys!r} is not a key name (e.g. p, ctrl+s, space, f5)")
            continue
        keymap[binding_id] = cleaned
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return Settings(
        theme=theme,
        figure_style=figure,
        cue_method=cue,
        countdown_font=font,
        export_folder=export,
        keymap=keymap,
        path=path,
        problems=tuple(problems),
    )


def _figlet_font_dirs() -> list[Path]:
    """Where pyfiglet looks for fonts: its own ``fonts`` folder and its shared folder.

    Found without importing pyfiglet (about 20 ms): the config is read at start-up.
    """
    import importlib.util

    dirs = []
    spec = importlib.util.find_spec("pyfiglet")
    for location in (spec.submodule_search_locations or []) if spec else []:
        dirs.append(Path(location) / "fonts")
    if sys.platform == "win32":
        dirs.append(Path(os.environ.get("APPDATA", "")) / "pyfiglet")
    else:
        dirs.append(Path("/usr/local/share/pyfiglet"))
    return dirs


def figlet_fonts() -> list[str]:
    """The names of the installed figlet fonts (``.flf`` and ``.tlf`` files where pyfiglet looks)."""
    names: set[str] = set()
    for folder in _figlet_font_dirs():
        try:
            names.update(p.name.rsplit(".", 1)[0] for p in folder.iterdir() if p.suffix in (".flf", ".tlf"))
        except OSError:
            pass
    return sorted(names)


def countdown_font_problem(name: str) -> str | None:
    """What is wrong with ``name`` as the ``countdown_font`` (None: an installed figlet font).

    A font file is looked for by name only (opening 571 fonts to check them
    takes half a second); one that turns out to have no digits is reported
    by the player, which then uses the default.
    """
    if name == DEFAULT_COUNTDOWN_FONT:
        return None
    if "/" not in name and "\\" not in name and not name.startswith("."):
        for folder in _figlet_font_dirs():
            if (folder / f"{name}.flf").is_file() or (folder / f"{name}.tlf").is_file():
                return None
    import difflib

    fonts = figlet_fonts()
    close = difflib.get_close_matches(name.lower(), fonts, n=3, cutoff=0.6)
    hint = (f"did you mean {', '.join(close)}?" if close
            else f"e.g. {DEFAULT_COUNTDOWN_FONT}, ansi_shadow, banner3, big; `pyfiglet --list_fonts` lists all {len(fonts)}")
    return f"countdown_font {name!r} is not an installed figlet font ({hint})"


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def load_config(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """The settings from ``path`` (default :func:`config_path`); defaults when there is no file."""
    path = Path(path) if path is not None else config_path(environ)
    try:  # a link is followed (dotfile managers link config files), but never to a FIFO or device
        raw = read_data_file(path, MAX_SMALL_BYTES, follow_links=True)
    except UnsafeFile as exc:
        return Settings(path=path, problems=(Problem(path, None, exc.problem),), unreadable=True)
    except OSError as exc:
        return Settings(path=path, problems=(Problem(path, None, f"cannot be read ({exc.strerror or exc})"),),
                        unreadable=True)
    if raw is None:
        return Settings(path=path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Settings(path=path, problems=(Problem(path, None, "is not UTF-8 text"),), unreadable=True)
    return parse_config(text, path)


def config_text(path: Path | None) -> str:
    """The config file's text for quoting line numbers ("" when it cannot be read): through the
    same checks as :func:`load_config` (a regular file, at most 1 MiB, never a FIFO or device)."""
    if path is None:
        return ""
    try:
        raw = read_data_file(path, MAX_SMALL_BYTES, follow_links=True)
    except (OSError, UnsafeFile):
        return ""
    return raw.decode("utf-8", "replace") if raw is not None else ""


def template() -> str:
    """The commented config file ``stretchtui config edit`` creates (every key, all commented out)."""
    out = [
        "# stretchtui config: terminal-side preferences (TOML).",
        "# Health data (conditions, flare, pain) is never kept here: it stays in the data folder.",
        "# Every setting is optional. Remove the leading \"# \" to use one; `stretchtui config show`",
        "# prints what is in effect, and a mistake here never stops stretchtui (it says what and where).",
        "",
    ]
    import textwrap

    def comment(text: str) -> list[str]:
        return ["# " + line for line in textwrap.wrap(text, 76)]

    for key, (kind, example, description) in KEYS.items():
        if kind == "table":
            continue
        out += [*comment(description), f"# {key} = {example}", ""]
    out += [
        *comment(KEYS["keymap"][2]),
        "[keymap]",
        '# "player.pause" = "p"',
        '# "builder.save" = "ctrl+s"',
    ]
    return "\n".join(out) + "\n"


def schema() -> dict:
    """The JSON Schema shipped as ``stretchtui/config.schema.json``."""
    import json
    from importlib import resources

    return json.loads(resources.files("stretchtui").joinpath("config.schema.json").read_text(encoding="utf-8"))
