"""environment.yml (conda-forge and its pip: section) and pyproject.toml name the same packages."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from iid_analysis.config import PROJ_ROOT

# conda-forge name -> PyPI name, where they differ.
CONDA_TO_PYPI = {"matplotlib-base": "matplotlib"}
# Lines of environment.yml that are not packages of the project.
CONDA_ONLY = {"python", "pip"}
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*([^;]*)")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def split_requirement(text: str) -> tuple[str, str]:
    match = _REQUIREMENT.match(text)
    assert match, f"cannot parse requirement {text!r}"
    return normalize(match.group(1)), match.group(2).replace(" ", "")


def pyproject_requirements(root: Path = PROJ_ROOT) -> dict[str, str]:
    with (root / "pyproject.toml").open("rb") as handle:
        project = tomllib.load(handle)["project"]
    lines = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        lines.extend(extra)
    return dict(split_requirement(line) for line in lines)


def conda_requirements(root: Path = PROJ_ROOT) -> dict[str, str]:
    with (root / "environment.yml").open(encoding="utf-8") as handle:
        environment = yaml.safe_load(handle)
    result = {}
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            # The pip: section: packages installed with pip count; options and paths
            # ("-e .", the project itself) are not packages.
            for line in entry.get("pip", []):
                if not line.startswith(("-", ".", "/")) and "://" not in line:
                    name, spec = split_requirement(line)
                    result[name] = spec
            continue
        # conda's "pkg=1.2" pins as pip's "pkg==1.2" does.
        name, spec = split_requirement(re.sub(r"^([^<>=!~\s]+)\s*=(?!=)", r"\1==", entry))
        if name in CONDA_ONLY:
            continue
        result[normalize(CONDA_TO_PYPI.get(name, name))] = spec
    return result


def test_parsers_see_the_packages():
    assert {"pandas", "numpy", "matplotlib", "pytest"} <= set(pyproject_requirements())
    assert {"pandas", "numpy", "matplotlib", "pytest"} <= set(conda_requirements())


def test_both_files_name_the_same_packages():
    pip, conda = set(pyproject_requirements()), set(conda_requirements())
    assert pip - conda == set(), "in pyproject.toml but not in environment.yml"
    assert conda - pip == set(), "in environment.yml but not in pyproject.toml"


def test_both_files_ask_for_the_same_versions():
    pip, conda = pyproject_requirements(), conda_requirements()
    differ = {n: (pip[n], conda[n]) for n in pip.keys() & conda.keys() if pip[n] != conda[n]}
    assert differ == {}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("pandas>=2.0", ("pandas", ">=2.0")),
        ("Jupyter_Lab >= 4", ("jupyter-lab", ">=4")),
        ("pkg[extra]>=1; python_version<'3.12'", ("pkg", ">=1")),
        ("ruff", ("ruff", "")),
    ],
)
def test_split_requirement(line, expected):
    assert split_requirement(line) == expected


def test_conda_single_equals_is_a_pin(tmp_path):
    (tmp_path / "environment.yml").write_text(
        "dependencies:\n  - python>=3.11\n  - numpy=1.26\n  - matplotlib-base>=3.7\n"
        "  - pip:\n      - -e .\n      - kaleido>=0.2\n",
        encoding="utf-8",
    )
    assert conda_requirements(tmp_path) == {
        "numpy": "==1.26",
        "matplotlib": ">=3.7",
        "kaleido": ">=0.2",
    }
