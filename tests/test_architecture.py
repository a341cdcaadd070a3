"""The architecture of docs/architecture.md, checked: the import contracts (import-linter, as in
pyproject.toml), no module over 800 lines, and no import of the package's own modules inside a
function below the CLI and its commands.

The known offenders are listed in ALLOWED_FOR_NOW_* with the part that owns them. When a module
is fixed, remove it from its set: a listed module that no longer offends fails
test_the_allowed_lists_name_only_current_offenders, so the lists only shrink.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "iid_analysis"
MAX_LINES = 800
LAZY_PARTS = ("cli", "commands")
"""Parts allowed to import the package lazily, inside functions, for a fast start."""

ALLOWED_FOR_NOW_LONG: set[str] = set()
"""Modules over MAX_LINES lines that are being split (remove yours when it is under)."""

ALLOWED_FOR_NOW_LAZY: set[str] = set()
"""Modules that import the package's own modules inside a function (remove yours when fixed)."""


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _module(path: Path, package: Path) -> list[str]:
    parts = ["iid_analysis", *path.relative_to(package).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imported(path: Path, package: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The absolute module names ``node`` imports (for ``from x import y``: x and x.y)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        base = node.module or ""
    else:
        parent = _module(path, package)
        parent = parent if path.name == "__init__.py" else parent[:-1]
        parent = parent[: len(parent) - (node.level - 1)]
        base = ".".join([*parent, *([node.module] if node.module else [])])
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def imports_inside_functions(path: Path, package: Path = PACKAGE) -> list[tuple[int, str]]:
    """(line, module) of each import of ``iid_analysis`` inside a function of ``path``, a module
    of the package folder ``package``."""
    found = []
    for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import | ast.ImportFrom):
                imported = _imported(path, package, node)
                own = [m for m in imported if m.split(".")[0] == "iid_analysis"]
                if own:
                    found.append((node.lineno, own[0]))
    return sorted(set(found))


def long_modules() -> dict[str, str]:
    """Module (path in the package) -> its length, for each module over MAX_LINES lines."""
    offenders = {}
    for path in _modules():
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES:
            offenders[_name(path)] = f"{n} lines (at most {MAX_LINES})"
    return offenders


def lazy_modules() -> dict[str, str]:
    """Module -> its imports of the package inside functions, below the CLI and commands."""
    offenders = {}
    for path in _modules():
        if _name(path).split("/")[0].removesuffix(".py") in LAZY_PARTS:
            continue
        found = imports_inside_functions(path)
        if found:
            offenders[_name(path)] = ", ".join(f"line {n} imports {m}" for n, m in found)
    return offenders


def test_the_walker_sees_relative_and_absolute_imports_inside_functions(tmp_path):
    # Checked on a module written here, so the test of the package rests on a tested walker.
    folder = tmp_path / "src" / "iid_analysis" / "report"
    folder.mkdir(parents=True)
    module = folder / "x.py"
    module.write_text(
        "from ..scoring import classify\n"
        "import numpy\n"
        "def f():\n"
        "    from . import html\n"
        "    import json\n"
        "    class A:\n"
        "        def g(self):\n"
        "            from ..inputs.dataset import read_table\n"
        "    import iid_analysis.config\n",
        encoding="utf-8",
    )
    assert imports_inside_functions(module, tmp_path / "src" / "iid_analysis") == [
        (4, "iid_analysis.report"),
        (8, "iid_analysis.inputs.dataset"),
        (9, "iid_analysis.config"),
    ]


def test_no_module_is_over_800_lines():
    new = {m: why for m, why in long_modules().items() if m not in ALLOWED_FOR_NOW_LONG}
    assert not new, "\n".join(f"{m}: {why}" for m, why in sorted(new.items()))


def test_no_import_of_the_package_inside_a_function_below_the_commands():
    new = {m: why for m, why in lazy_modules().items() if m not in ALLOWED_FOR_NOW_LAZY}
    assert not new, "\n".join(f"{m}: {why}" for m, why in sorted(new.items()))


def test_the_allowed_lists_name_only_current_offenders():
    fixed = sorted(ALLOWED_FOR_NOW_LONG - set(long_modules()))
    fixed += sorted(ALLOWED_FOR_NOW_LAZY - set(lazy_modules()))
    assert not fixed, f"fixed, remove from ALLOWED_FOR_NOW_* in this test: {', '.join(fixed)}"


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert command, "lint-imports (import-linter, the dev extra) is not installed"
    env = os.environ | {"PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [command, "--no-cache"], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_the_import_contracts_hold():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # An arrow back up: a lower part importing a higher one.
        ("scoring.py", "from .report import html as _html", "Layers"),
        # A circle inside a package: the models importing the scores, which import the models.
        ("forecasting/models.py", "from . import scores as _scores", "No circles"),
        # An arrow up inside the forecasting package: the forecast importing its backtest.
        ("forecasting/forecast.py", "from . import backtest as _backtest", "Forecasting"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(tmp_path, module, line, contract):
    shutil.copytree(PACKAGE, tmp_path / "src" / "iid_analysis")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "src" / "iid_analysis" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    broken = [row for row in result.stdout.splitlines() if " BROKEN" in row]
    assert any(row.startswith(contract) for row in broken), result.stdout[-3000:]
