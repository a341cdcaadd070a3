"""The one input boundary: each file read once, the hash of what was parsed, format and grain
recognised by the columns, and layering (scoring below inputs)."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import iid_analysis
from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE
from iid_analysis.inputs import GRAIN_LEVEL, GRAIN_MATURITY, Region, read_region
from iid_analysis.inputs import files as files_module
from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import score_region

SRC = Path(iid_analysis.__file__).parent


def _count_opens(monkeypatch) -> dict[str, int]:
    opened: dict[str, int] = {}
    real = files_module.open_input_file

    def counting(path, source=None):
        opened[Path(path).name] = opened.get(Path(path).name, 0) + 1
        return real(path, source)

    monkeypatch.setattr(files_module, "open_input_file", counting)
    return opened


def test_each_file_is_read_once_and_hashed_as_parsed(monkeypatch):
    opened = _count_opens(monkeypatch)
    region = read_region(spd=EXAMPLE_SPD_FILE, innovations=EXAMPLE_INNOVATIONS_FILE, year=2023)
    assert opened == {EXAMPLE_SPD_FILE.name: 1, EXAMPLE_INNOVATIONS_FILE.name: 1}
    hashes = {s.role: s.sha256 for s in region.sources}
    assert hashes["spd"] == hashlib.sha256(EXAMPLE_SPD_FILE.read_bytes()).hexdigest()
    assert hashes["innovations"] == hashlib.sha256(
        EXAMPLE_INNOVATIONS_FILE.read_bytes()
    ).hexdigest()
    assert region.grain == GRAIN_LEVEL and region.format == "iid_analysis_levels"
    assert region.assessment_year == 2023


def test_the_region_scores_as_the_formula_on_the_same_frames():
    rules = load_methodology(2023)
    region = read_region(spd=EXAMPLE_SPD_FILE, innovations=EXAMPLE_INNOVATIONS_FILE, year=2023)
    again = Region.from_frames(region.spd, region.innovations, rules)
    assert region.score() == again.score() == score_region(region.spd, region.innovations, rules)


def test_one_workbook_with_both_sheets_is_read_once(tmp_path, monkeypatch):
    rules = load_methodology(2023)
    base = read_region(spd=EXAMPLE_SPD_FILE, innovations=EXAMPLE_INNOVATIONS_FILE, year=2023)
    path = tmp_path / "region.xlsx"
    with pd.ExcelWriter(path) as writer:
        base.spd.to_excel(writer, sheet_name="SPD", index=False)
        base.innovations.to_excel(writer, sheet_name="Inovasi", index=False)
    opened = _count_opens(monkeypatch)
    region = read_region(innovations=path, methodology=rules)
    assert opened == {"region.xlsx": 1}
    assert region.spd_known and region.sheets == {"innovations": "Inovasi", "spd": "SPD"}
    assert region.score().iid == base.score().iid


def test_a_maturity_list_is_the_maturity_grain_behind_the_same_interface(tmp_path):
    path = tmp_path / "daftar.csv"
    path.write_text(
        "Judul Inovasi;Admin OPD;Tahapan Inovasi;Kematangan\n"
        "A;Dinas Kesehatan;penerapan;60,5\n"
        "B;Bappeda;uji coba;40\n",
        encoding="utf-8",
    )
    spd = tmp_path / "spd.csv"
    spd.write_text("indicator,level\n1,3\n", encoding="utf-8")
    region = read_region(innovations=path, spd=spd, year=2023)
    assert region.grain == GRAIN_MATURITY and region.format == "iid_application"
    assert region.levels is None and region.n == 2
    np.testing.assert_allclose(region.maturities, [60.5, 40.0])
    rules = load_methodology(2023)
    # Hand-worked: SPD indicator 1 at level 3, maturity sum 100.5 over max(floor, 2).
    spd_points = rules.spd_indicators[0].points(3)
    mean = 100.5 / max(rules.divisor_floor, 2)
    total = spd_points + mean + min(2, rules.count_cap) * rules.count_points_per_innovation
    assert region.score().iid_unrounded == pytest.approx(total / rules.max_total * 100)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            found.add("." * node.level + (node.module or ""))
    return found


def test_scoring_sits_below_inputs():
    assert not any("inputs" in name for name in _imports(SRC / "scoring.py"))


def test_no_package_import_inside_functions_of_inputs():
    for path in sorted((SRC / "inputs").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom) and inner.level:
                        pytest.fail(f"{path.name}: import of {inner.module} in {node.name}")


def test_no_inputs_module_over_800_lines():
    for path in (SRC / "inputs").glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 800, path.name
