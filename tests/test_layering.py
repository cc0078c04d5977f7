"""The layering (docs/ARCHITECTURE.md, "Layers"), enforced: engine, scene, the player (playback
model and timeline), the recorder (and its dense-chain checks), netviz.load, live follow, the
atomic writer and the export options and schedule are pure NumPy and never import Qt; render
paints without widgets; only the window's own package (and the command that opens it) imports
netviz.ui; and no module imports itself in a cycle.

The checks read every import statement in the source (even one inside a function), parsed with
ast; and a fresh interpreter imports each pure module and looks for Qt in sys.modules, which also
catches Qt arriving through another package.
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "netviz"
QT = ("PyQt6", "PyQt5", "PySide6", "PySide2", "pyqtgraph")
# Besides the standard library, what each pure layer may import (docs/ARCHITECTURE.md, "Layers"), with
# everything below it; and the root package itself, which any submodule loads anyway.
ALLOWED = {
    "engine": ("numpy", "netviz.engine", "netviz.atomic"),
    "scene": ("numpy", "netviz.engine", "netviz.atomic", "netviz.scene"),
    "player": ("numpy", "netviz.engine", "netviz.atomic", "netviz.scene", "netviz.player"),
}
# Single pure modules outside those layers, with what they may import.
PURE_FILES = {
    "atomic.py": (),
    "numbers.py": (),
    "recorder.py": ("numpy", "netviz.engine", "netviz.atomic", "netviz.chain"),
    "chain.py": ("numpy", "netviz.engine"),
    "api.py": ("numpy", "netviz.engine"),
    "live.py": ("numpy", "netviz.engine", "netviz.api"),
    "importer.py": ("numpy", "netviz.engine", "safetensors"),
    "export/schedule.py": ("numpy",),
    "export/options.py": ("numpy", "netviz.export.schedule", "netviz.scene", "netviz.engine", "netviz.atomic"),
}
ROOT_PACKAGE = "netviz"
APP_ENTRY = "netviz.cli"  # the command that opens the window


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def pure_modules() -> list[Path]:
    """Every module of the pure layers that exists so far, and the pure single modules."""
    layers = [path for layer in ALLOWED for path in (PACKAGE / layer).rglob("*.py")]
    return sorted(layers + [PACKAGE / name for name in PURE_FILES])


def allowed_for(path: Path) -> tuple[str, ...]:
    relative = path.relative_to(PACKAGE).as_posix()
    return PURE_FILES[relative] if relative in PURE_FILES else ALLOWED[relative.split("/")[0]]


def all_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import statement in the file."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            found.append((node.lineno, ".".join([*base, *([node.module] if node.module else [])])))
    return found


def violations(path: Path, allowed: tuple[str, ...]) -> list[str]:
    """'file:line imports name' for each import outside the standard library and `allowed`."""
    return [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}"
        for line, name in imports(path)
        if name.split(".")[0] not in sys.stdlib_module_names
        and name != ROOT_PACKAGE
        and not any(name == ok or name.startswith(ok + ".") for ok in allowed)
    ]


def test_the_pure_layers_exist():
    names = {module_name(path) for path in pure_modules()}
    assert {"netviz.engine.training", "netviz.engine.history", "netviz.engine.data"} <= names


@pytest.mark.parametrize("path", pure_modules(), ids=module_name)
def test_source_imports_only_numpy_and_lower_layers(path):
    assert violations(path, allowed_for(path)) == []


@pytest.mark.parametrize("path", sorted((PACKAGE / "render").rglob("*.py")), ids=module_name)
def test_render_paints_without_widgets(path):
    assert [name for _, name in imports(path) if name.startswith(("PyQt6.QtWidgets", "pyqtgraph"))] == []


def test_nothing_outside_the_window_imports_it():
    outside = [path for path in all_modules() if "ui" not in path.relative_to(PACKAGE).parts[:1]]
    found = [
        f"{module_name(path)}:{line} imports {name}"
        for path in outside
        if module_name(path) != APP_ENTRY
        for line, name in imports(path)
        if name == "netviz.ui" or name.startswith("netviz.ui.")
    ]
    assert found == []


def import_graph(paths: list[Path]) -> dict[str, set[str]]:
    """Module -> the netviz modules it imports anywhere in its source (a package's own children aside)."""
    names = {module_name(path): path for path in paths}
    graph = {}
    for name, path in names.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = imports_of_from(name, path, node)
                targets |= {t for t in [base, *(f"{base}.{alias.name}" for alias in node.names)] if t in names}
            elif isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names if alias.name in names}
        is_package = path.name == "__init__.py"
        graph[name] = {t for t in targets if t != name and not (is_package and t.startswith(name + "."))}
    return graph


def imports_of_from(name: str, path: Path, node: ast.ImportFrom) -> str:
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    base = package[: len(package) - node.level + 1] if node.level else []
    return ".".join([*base, *([node.module] if node.module else [])])


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iteratively)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles_anywhere_in_netviz():
    assert cycles(import_graph(all_modules())) == []


def test_the_cycle_check_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_source_check_sees_qt_wherever_it_is_imported(tmp_path, monkeypatch):
    fake = tmp_path / "netviz" / "engine" / "sneaky.py"
    fake.parent.mkdir(parents=True)
    fake.write_text(
        "import numpy as np\n"
        "from . import activations\n"
        "from PyQt6.QtCore import QObject\n"
        "import netviz\n"
        "def later():\n"
        "    import pyqtgraph as pg\n"
        "    from ..ui import app\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "netviz")
    assert [name for _, name in imports(fake)] == [
        "numpy",
        "netviz.engine",
        "PyQt6.QtCore",
        "netviz",
        "pyqtgraph",
        "netviz.ui",
    ]
    assert violations(fake, ALLOWED["engine"]) == [
        "netviz/engine/sneaky.py:3 imports PyQt6.QtCore",
        "netviz/engine/sneaky.py:6 imports pyqtgraph",
        "netviz/engine/sneaky.py:7 imports netviz.ui",
    ]


def test_importing_the_pure_modules_and_the_cli_loads_no_qt():
    names = [module_name(path) for path in pure_modules()] + ["netviz.cli"]
    code = (
        "import importlib, json, sys\n"
        "for name in json.loads(sys.argv[1]):\n"
        "    importlib.import_module(name)\n"
        f"    qt = sorted(m for m in sys.modules if m.split('.')[0] in {QT!r})\n"
        "    if qt:\n"
        "        sys.exit(f'importing {name} loaded {qt}')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(names)],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
