"""The core must stay UI-free: importing every core module never loads Textual."""

import pkgutil
import subprocess
import sys

import stretchtui.core


def test_core_never_imports_textual():
    names = [f"stretchtui.core.{m.name}" for m in pkgutil.iter_modules(stretchtui.core.__path__)]
    assert len(names) >= 5
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_help_does_not_import_textual():
    code = (
        "import sys\n"
        "from stretchtui.cli import build_parser\n"
        "build_parser().format_help()\n"
        "sys.exit(1 if 'textual' in sys.modules else 0)\n"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
