"""The forecasting package keeps no state between calls: no module-level cache or other mutable
container (constants are tuples or read-only mappings), no ``global`` rebinding, no memoising
decorator. What is remembered lives in an object the caller holds (``gate.SkillGate``,
``models.PanelFits``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import iid_analysis.forecasting as package

FOLDER = Path(package.__file__).parent
MEMOISERS = {"cache", "lru_cache", "cached_property"}


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            found.append(f"line {node.lineno}: global {', '.join(node.names)}")
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = getattr(target, "attr", getattr(target, "id", ""))
                if name in MEMOISERS:
                    found.append(f"line {decorator.lineno}: @{name} on {node.name}")
    for node in tree.body:  # module level: a mutable container is state
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) and node.value is not None else []
        )
        value = getattr(node, "value", None)
        names = [getattr(t, "id", "?") for t in targets if getattr(t, "id", "") != "__all__"]
        if names and isinstance(value, ast.Dict | ast.List | ast.Set | ast.DictComp):
            found.append(f"line {node.lineno}: module-level mutable {', '.join(names)}")
    return sorted(found, key=lambda row: int(row.split(":")[0].removeprefix("line ")))


def test_the_checker_finds_module_state(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "import functools\n_CACHE = {}\nSEEN: list = []\nFROZEN = (1, 2)\n"
        "def f():\n    global _CACHE\n"
        "@functools.lru_cache(maxsize=2)\ndef g(x):\n    return x\n",
        encoding="utf-8",
    )
    assert _problems(module) == [
        "line 2: module-level mutable _CACHE",
        "line 3: module-level mutable SEEN",
        "line 6: global _CACHE",
        "line 7: @lru_cache on g",
    ]


def test_no_module_of_the_package_keeps_state():
    found = {p.name: _problems(p) for p in sorted(FOLDER.glob("*.py"))}
    assert not {name: rows for name, rows in found.items() if rows}
