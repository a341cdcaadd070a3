"""Check the committed notebooks: no outputs or execution counts (they belong in reports/), and
each ``.ipynb`` agrees with its jupytext ``py:percent`` pair (same cells, types and tags).

Usage: ``python scripts/check_notebooks.py [--sync] [PATH ...]`` (default: every notebook in
notebooks/; a ``.py`` path stands for its pair). Exit status 1 with one line per problem.
``--sync`` first runs ``jupytext --sync`` once per pair (the pre-commit hook; jupytext itself
fails when given both files of a pair, as pre-commit does when both changed).
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def has_outputs(notebook) -> bool:
    return any(
        cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count"))
        for cell in notebook.cells
    )


def cells(notebook) -> list[tuple[str, str, tuple[str, ...]]]:
    return [
        (cell.cell_type, cell.source, tuple(cell.get("metadata", {}).get("tags", ())))
        for cell in notebook.cells
    ]


def problems(path: Path) -> list[str]:
    """What is wrong with the notebook ``path`` (an .ipynb) and its pair."""
    found = []
    notebook = nbformat.read(path, as_version=4)
    if has_outputs(notebook):
        found.append(f"{path.name}: has outputs; clear them before committing")
    pair = path.with_suffix(".py")
    if not pair.is_file():
        found.append(f"{path.name}: no jupytext pair {pair.name} (jupytext --set-formats "
                     "ipynb,py:percent)")  # fmt: skip
    elif cells(notebook) != cells(jupytext.read(pair)):
        found.append(f"{path.name} and {pair.name} differ; run jupytext --sync {path}")
    return found


def notebooks_from(args: list[str]) -> list[Path]:
    if not args:
        return sorted(NOTEBOOKS.glob("*.ipynb"))
    paths = {Path(a).resolve().with_suffix(".ipynb") for a in args if a.endswith((".ipynb", ".py"))}
    return sorted(p for p in paths if p.is_file())


def sync(paths: list[Path]) -> None:
    from jupytext.cli import jupytext as jupytext_cli

    for path in paths:
        jupytext_cli(["--sync", "--quiet", str(path)])


def main(args: list[str]) -> int:
    paths = notebooks_from([a for a in args if a != "--sync"])
    if "--sync" in args:
        sync(paths)
    found = [line for path in paths for line in problems(path)]
    for line in found:
        print(f"notebooks/{line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
