"""What a plain install pulls in: the commands and the report need neither JupyterLab nor the
IRI format checker it brings (``rfc3987_syntax``, which jsonschema under nbformat imports when
installed and which builds a grammar at import, 1.5-2 s of every report)."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(extras: tuple[str, ...] = ()) -> set[str]:
    """Every distribution the package's requirements (with ``extras``) reach, by the installed
    distributions' own metadata (markers evaluated, extras followed)."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    todo = [Requirement(r) for r in project["dependencies"]]
    for extra in extras:
        todo += [Requirement(r) for r in project["optional-dependencies"][extra]]
    seen: set[str] = set()
    requested: dict[str, set[str]] = {}
    while todo:
        requirement = todo.pop()
        name = normal(requirement.name)
        new_extras = set(requirement.extras) - requested.get(name, set())
        if name in seen and not new_extras:
            continue
        seen.add(name)
        requested.setdefault(name, set()).update(requirement.extras)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            child = Requirement(line)
            wanted = requested[name] or {""}
            if child.marker is None or any(child.marker.evaluate({"extra": e}) for e in wanted):
                todo.append(child)
    return seen


def test_a_plain_install_has_no_jupyterlab_and_no_iri_checker():
    plain = closure()
    assert {"papermill", "nbconvert", "ipykernel", "nbformat"} <= plain
    assert not {"jupyterlab", "jupytext", "rfc3987-syntax", "jupyter-events"} & plain


def test_the_lab_extra_brings_jupyterlab_and_jupytext():
    assert {"jupyterlab", "jupytext"} <= closure(("lab",))


def test_the_dev_extra_has_jupytext_for_the_notebook_check():
    assert "jupytext" in closure(("dev",))
