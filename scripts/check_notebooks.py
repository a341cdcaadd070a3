"""Fail if a committed notebook carries outputs or execution counts (they belong in reports/)."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def notebooks_with_outputs(directory: Path) -> list[str]:
    found = []
    for path in sorted(directory.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
                found.append(path.name)
                break
    return found


def main() -> int:
    found = notebooks_with_outputs(ROOT / "notebooks")
    for name in found:
        print(f"notebooks/{name}: has outputs; clear them before committing", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
