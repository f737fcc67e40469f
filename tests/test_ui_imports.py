"""The modules of ``stretchtui.ui`` import each other without a circle.

Every import counts: those under ``if TYPE_CHECKING:`` and those inside a
function too. A circle that only the type checker follows is still a circle
a reader has to walk round; screens see the app through the small protocol
in ``ui/ports.py``, not through ``ui/app.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import stretchtui

PACKAGE = Path(stretchtui.__file__).parent
UI = PACKAGE / "ui"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(UI.rglob("*.py"))}


def _imports(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    """The ``stretchtui.ui`` modules ``path`` imports, wherever the import stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            # `from . import x` names a module when x is one, else a name in the package
            targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in known else module for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in known and t != name)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def ui_import_graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: _imports(path, name, known) for name, path in known.items()}


def test_the_graph_sees_type_only_and_local_imports():
    graph = ui_import_graph()
    assert len(graph) >= 40  # every module of ui/, screens/ and widgets/
    # app.py imports its screens inside functions (lazily) and at the top
    assert "stretchtui.ui.screens.library" in graph["stretchtui.ui.app"]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_ui_modules_import_each_other_without_a_circle():
    cycles = _cycles(ui_import_graph())
    assert cycles == [], "import circles in stretchtui.ui:\n" + "\n".join(" <-> ".join(c) for c in cycles)
