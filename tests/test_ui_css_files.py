"""Screen layouts live in ``.tcss`` files beside their screens (``CSS_PATH``).

Every file a screen names exists, every ``.tcss`` file in ``ui/`` is named by
some screen or the app (none left behind), and the package data that the
wheel ships includes them (hatch takes every file of the package folder).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.app import App
from textual.screen import Screen

import stretchtui.ui

UI = Path(stretchtui.ui.__file__).parent


def _classes() -> list[type]:
    found: list[type] = []
    for info in pkgutil.walk_packages(stretchtui.ui.__path__, "stretchtui.ui."):
        module = importlib.import_module(info.name)
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__ == module.__name__ and issubclass(obj, (Screen, App)):
                found.append(obj)
    return found


def _css_files(cls: type) -> list[Path]:
    paths = getattr(cls, "CSS_PATH", None) or []
    paths = paths if isinstance(paths, list) else [paths]
    here = Path(inspect.getfile(cls)).parent
    return [(here / p).resolve() for p in paths]


def test_every_css_path_exists_and_every_tcss_file_is_used():
    named: set[Path] = set()
    for cls in _classes():
        for path in _css_files(cls):
            assert path.is_file(), f"{cls.__qualname__}.CSS_PATH names {path}, which is missing"
            named.add(path)
    on_disk = {p.resolve() for p in UI.rglob("*.tcss")}
    assert on_disk - named == set(), "tcss files no screen loads"
    assert len(named) >= 10  # the app's own and the screens' layouts


def test_moved_screen_layouts_are_not_python_strings():
    """A screen (not a reusable widget) keeps its layout in its .tcss file."""
    for cls in _classes():
        if _css_files(cls):
            assert not cls.__dict__.get("DEFAULT_CSS", "").strip(), f"{cls.__qualname__} has both"
