"""The help screen: the keys of the screen you are on first, then every other, generated from the bindings.

The list is built by importing the UI's screen and widget modules and reading
the ``BINDINGS`` each class declares, so it cannot drift from the code.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

from ..widgets.app_modebar import ModeFooter
from .base import AppScreen

#: The layout of this module's screens, beside it (read when one is first shown).
CSS_FILE = Path(__file__).with_name("help.tcss")


#: Section order for screen modules; anything else follows alphabetically.
_SCREEN_ORDER = ["catalog", "builder", "dosage", "library", "profile", "history", "player", "dialogs", "notice", "help"]

_GENERAL = [
    ("tab / shift+tab", "Move between parts of a screen"),
    ("up / down", "Move in a list; enter selects"),
    ("ctrl+p", "Command palette: search every action"),
]


def _human(name: str) -> str:
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("Screen", "").strip()
    return words or name


#: Words for bindings declared without a description (never a raw action name).
_ACTION_WORDS = {
    "focus_previous": "Move between buttons",
    "focus_next": "Move between buttons",
    "switch_button": "Move between buttons",
}


def _describe(binding: Binding) -> str:
    if binding.description:
        description = binding.description
    else:
        action = binding.action.split("(", 1)[0].rsplit(".", 1)[-1]
        description = _ACTION_WORDS.get(action, action.replace("_", " ").capitalize())
    if binding.tooltip and binding.tooltip != description:
        description = f"{description}: {binding.tooltip}"
    return description


def _class_rows(cls: type, app) -> list[tuple[str, str]]:
    """(keys, description) for the bindings ``cls`` itself declares.

    Keys bound to one description are listed together ("s / right"); one key
    with several actions that take turns ("space": Pause, Resume) is one row.
    """
    raw = cls.__dict__.get("BINDINGS", [])
    keymap = getattr(app, "_keymap", None) or {}  # the user's [keymap]: show the effective keys
    raw = [replace(b, key=keymap[b.id], key_display=None) if isinstance(b, Binding) and b.id in keymap else b
           for b in raw]
    by_description: dict[str, list[str]] = {}
    for binding in Binding.make_bindings(raw):
        if binding.system:
            continue
        description = _describe(binding)
        key = app.get_key_display(Binding(binding.key, binding.action)) if app else binding.key
        keys = by_description.setdefault(description, [])
        if key not in keys:
            keys.append(key)
    by_keys: dict[str, list[str]] = {}
    for description, keys in by_description.items():
        by_keys.setdefault(" / ".join(keys), []).append(description)
    return [(keys, " / ".join(descriptions)) for keys, descriptions in by_keys.items()]


def _module_classes(package: str) -> Iterable[tuple[str, type]]:
    pkg = importlib.import_module(package)
    names = sorted(m.name for m in pkgutil.iter_modules(pkg.__path__))
    ordered = [n for n in _SCREEN_ORDER if n in names] + [n for n in names if n not in _SCREEN_ORDER]
    for name in ordered:
        try:
            module = importlib.import_module(f"{package}.{name}")
        except Exception:  # a screen being written may not import yet; skip it
            continue
        for _cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, DOMNode)
                and cls.__module__ == module.__name__
                and cls.__dict__.get("BINDINGS")
            ):
                yield name, cls


def _on_screen(origin: DOMNode | None) -> list[type]:
    """The screen ``origin``'s class, then those of its widgets with keys of their own (in our package)."""
    if origin is None:
        return []
    found: list[type] = [type(origin)]
    for widget in origin.query("*"):
        cls = type(widget)
        if cls.__module__.startswith("stretchtui.") and cls.__dict__.get("BINDINGS") and cls not in found:
            found.append(cls)
    return found


def collect_key_sections(app: App, origin: DOMNode | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Sections of (keys, description) rows: the screen you came from first
    (``origin`` and its widgets), then the app's keys, then every other screen and widget."""
    app_class = type(app)
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    here = [cls for cls in _on_screen(origin) if cls is not HelpScreen]
    for index, cls in enumerate(here):
        rows = _class_rows(cls, app)
        if rows:
            title = f"This screen: {_human(cls.__name__)}" if index == 0 else _human(cls.__name__)
            sections.append((title, rows))
    everywhere = _class_rows(app_class, app)
    palette = getattr(app_class, "COMMAND_PALETTE_BINDING", "ctrl+p")
    general = [row for row in _GENERAL if not (row[0] == "ctrl+p" and palette != "ctrl+p")]
    sections.append(("Everywhere", everywhere + general))
    for package in ("stretchtui.ui.screens", "stretchtui.ui.widgets"):
        for _module, cls in _module_classes(package):
            if cls is HelpScreen or cls in here:
                continue
            rows = _class_rows(cls, app)
            if rows:
                sections.append((_human(cls.__name__), rows))
    return sections


def help_renderable(app: App, origin: DOMNode | None = None) -> Group:
    """The key list: one two-column table per section, so a long description
    wraps under itself, never back at column 1. Plain text, no markup parsing."""
    parts: list[RenderableType] = []
    for title, rows in collect_key_sections(app, origin):
        table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0), expand=False)
        table.add_column(style="bold", no_wrap=True, min_width=10)
        table.add_column(ratio=1, overflow="fold")
        for keys, desc in rows:
            table.add_row(Text(keys), Text(desc))
        if parts:
            parts.append(Text(""))
        parts.append(Text(title, style="bold underline"))
        parts.append(Padding(table, (0, 0, 0, 2)))
    return Group(*parts)


def help_text(app: App, origin: DOMNode | None = None) -> str:
    """The key list as plain text (for tests and the palette): ``title`` lines, then ``keys  description``."""
    lines = []
    for title, rows in collect_key_sections(app, origin):
        lines.append(title)
        lines += [f"  {keys}  {desc}" for keys, desc in rows]
    return "\n".join(lines)


class HelpScreen(AppScreen[None]):
    """Every key, by screen. Escape, q or ? closes it."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close help", id="help.close"),
    ]

    def __init__(self, origin: Screen | None = None) -> None:
        super().__init__()
        self._origin = origin

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(
                "The keys of the screen you were on come first, then the keys that work "
                "everywhere, then every other screen. Up/down or page up/down to scroll, Escape to close.",
                id="help-intro",
                markup=False,
            )
            yield Static(help_renderable(self.app, self._origin), id="help-keys")
        yield ModeFooter()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
