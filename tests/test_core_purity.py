"""The core must stay UI-free: importing every core module never loads Textual."""

import pkgutil
import subprocess
import sys

import stretchtui.core


def test_core_never_imports_textual():
    names = [m.name for m in pkgutil.walk_packages(stretchtui.core.__path__, "stretchtui.core.")]
    assert len(names) >= 25  # every module, in every layer folder
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


def _runtime_imports(path):
    """Modules a file imports when it runs (imports under ``if TYPE_CHECKING:`` left out)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for child in node.body for n in ast.walk(child))
    package = path.relative_to(path.parents[len(path.relative_to(UI_ROOT.parent).parts) - 1]).with_suffix("")
    parts = ["stretchtui", *package.parts[:-1]]
    for node in ast.walk(tree):
        if id(node) in skip or not isinstance(node, ast.ImportFrom):
            continue
        base = parts[: len(parts) - node.level + 1] if node.level else []
        yield ".".join([*base, *(node.module.split(".") if node.module else [])])


UI_ROOT = __import__("pathlib").Path(stretchtui.core.__file__).parents[1] / "ui"


def test_nothing_in_ui_imports_the_app_module_back():
    """The app imports its screens and widgets; none of them imports the app
    (that made a cycle through every screen). Type-only imports are fine."""
    offenders = []
    for path in sorted(UI_ROOT.rglob("*.py")):
        if path.name == "app.py" and path.parent == UI_ROOT:
            continue
        for module in _runtime_imports(path):
            if module == "stretchtui.ui.app":
                offenders.append(str(path.relative_to(UI_ROOT)))
    assert offenders == []


def test_core_layers_import_downwards_only():
    """domain < storage < reports: the model never reads files, storage never formats reports."""
    core = UI_ROOT.parent / "core"
    below = {"domain": set(), "storage": {"domain"}, "reports": {"domain", "storage"}}
    wrong = []
    for layer, allowed in below.items():
        for path in sorted((core / layer).rglob("*.py")):
            for module in _runtime_imports(path):
                parts = module.split(".")
                if parts[:2] == ["stretchtui", "core"] and len(parts) > 2 and parts[2] in below:
                    if parts[2] != layer and parts[2] not in allowed:
                        wrong.append(f"{path.relative_to(core)} imports {module}")
    assert wrong == []
