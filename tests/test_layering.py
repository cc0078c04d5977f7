"""The layering in DESIGN.md, enforced: engine and scene are pure NumPy and never import Qt.

Two checks: every import statement in their source (even one inside a function), parsed
with ast against what each layer may use; and a fresh interpreter that imports each module
and looks for Qt in sys.modules, which also catches Qt arriving through another package.
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "netviz"
QT = ("PyQt6", "PyQt5", "PySide6", "PySide2", "pyqtgraph")
# Besides the standard library, what each pure layer may import (DESIGN.md, "Layers"), with
# everything below it; and the root package itself, which any submodule loads anyway.
ALLOWED = {
    "engine": ("numpy", "netviz.engine", "netviz.atomic"),
    "scene": ("numpy", "netviz.engine", "netviz.atomic", "netviz.scene"),
}
ROOT_PACKAGE = "netviz"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def pure_modules() -> list[Path]:
    """Every module of the pure layers that exists so far."""
    return sorted(path for layer in ALLOWED for path in (PACKAGE / layer).rglob("*.py"))


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
    layer = path.relative_to(PACKAGE).parts[0]
    assert violations(path, ALLOWED[layer]) == []


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


def test_importing_the_pure_layers_and_the_cli_loads_no_qt():
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
