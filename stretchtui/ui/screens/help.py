"""The help screen: every key of every screen, generated from the bindings.

The list is built by importing the UI's screen and widget modules and reading
the ``BINDINGS`` each class declares, so it cannot drift from the code.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from dataclasses import replace
from typing import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Footer, Static

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


def _class_rows(cls: type, app) -> list[tuple[str, str]]:
    """(keys, description) for the bindings ``cls`` itself declares."""
    raw = cls.__dict__.get("BINDINGS", [])
    keymap = getattr(app, "_keymap", None) or {}  # the user's [keymap]: show the effective keys
    raw = [replace(b, key=keymap[b.id], key_display=None) if isinstance(b, Binding) and b.id in keymap else b
           for b in raw]
    grouped: dict[tuple[str, str], list[str]] = {}
    for binding in Binding.make_bindings(raw):
        if binding.system:
            continue
        description = binding.description or binding.action.replace("_", " ")
        if binding.tooltip and binding.tooltip != description:
            description = f"{description}: {binding.tooltip}"
        key = app.get_key_display(Binding(binding.key, binding.action)) if app else binding.key
        grouped.setdefault((binding.action, description), [])
        if key not in grouped[(binding.action, description)]:
            grouped[(binding.action, description)].append(key)
    return [(" / ".join(keys), desc) for (_action, desc), keys in grouped.items()]


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


def collect_key_sections(app=None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Sections of (keys, description) rows: the app's keys, then each screen and widget."""
    from ..app import StretchApp

    sections: list[tuple[str, list[tuple[str, str]]]] = []
    everywhere = _class_rows(StretchApp, app)
    palette = getattr(StretchApp, "COMMAND_PALETTE_BINDING", "ctrl+p")
    general = [row for row in _GENERAL if not (row[0] == "ctrl+p" and palette != "ctrl+p")]
    sections.append(("Everywhere", everywhere + general))
    for package in ("stretchtui.ui.screens", "stretchtui.ui.widgets"):
        for _module, cls in _module_classes(package):
            if cls is HelpScreen:
                continue
            rows = _class_rows(cls, app)
            if rows:
                sections.append((_human(cls.__name__), rows))
    return sections


def help_text(app=None) -> Text:
    """The whole key list as plain rich Text (no markup parsing)."""
    text = Text()
    for title, rows in collect_key_sections(app):
        if text:
            text.append("\n")
        text.append(title + "\n", style="bold underline")
        width = max(len(keys) for keys, _ in rows)
        for keys, desc in rows:
            text.append(f"  {keys:<{width}}", style="bold")
            text.append(f"  {desc}\n")
    return text


class HelpScreen(Screen[None]):
    """Every key, by screen. Escape, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen VerticalScroll {
        padding: 0 1;
    }
    HelpScreen #help-intro {
        color: $text-muted;
        margin-bottom: 1;
    }
    """

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close help", id="help.close"),
    ]

    def __init__(self, origin: Screen | None = None) -> None:
        super().__init__()
        self._origin = origin

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(
                "Keys of every screen. Everything works without a mouse. "
                "Up/down or page up/down to scroll, Escape to close.",
                id="help-intro",
                markup=False,
            )
            yield Static(help_text(self.app), id="help-keys")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
