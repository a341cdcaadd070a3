"""The non-linear points-table branch of :func:`iid_analysis.scoring.maturity`: the shipped
tables are linear (points = weight x level), so a copy of the methodology is made with
indicator 16 scoring 0, 1, 5, 6 for levels 0..3 (linear it would be 0, 3, 6, 9)."""

from __future__ import annotations

import csv
import shutil

import numpy as np
import pytest

from iid_analysis.config import METHODOLOGY_DIR
from iid_analysis.methodology import INOVASI, load_methodology
from iid_analysis.scoring import innovation_points, maturity, score_region

NONLINEAR_16 = {0: 0.0, 1: 1.0, 2: 5.0, 3: 6.0}


@pytest.fixture()
def nonlinear(tmp_path):
    folder = tmp_path / "methodology"
    shutil.copytree(METHODOLOGY_DIR, folder)
    path = folder / "indicators_2023.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["number"] == "16":
            row["points"] = str(NONLINEAR_16[int(row["level"])])
            row["max_points"] = "6.0"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return load_methodology(2023, folder)


def _levels(*cells: dict[str, int]) -> np.ndarray:
    numbers = [str(n) for n in range(16, 36)]
    return np.array([[cell.get(n, 0) for n in numbers] for cell in cells])


def test_the_copy_is_not_linear_and_the_shipped_table_is(nonlinear):
    for rules, linear in ((nonlinear, False), (load_methodology(2023), True)):
        table = rules.points_table(INOVASI)
        assert np.allclose(table, np.outer(table[:, 1], [0, 1, 2, 3])) is linear


def test_maturity_by_hand_under_both_tables(nonlinear):
    levels = _levels({"16": 2}, {"16": 3, "35": 1}, {"16": 3, "35": 3})
    rejected = np.array([False, False, True])
    # Non-linear 16: 5; 6 + 4 (35 at level 1, weight 4); rejected: 0.
    assert maturity(levels, rejected, nonlinear).tolist() == [5.0, 10.0, 0.0]
    # The shipped table (16 weight 3): 6; 9 + 4; 0.
    assert maturity(levels, rejected, load_methodology(2023)).tolist() == [6.0, 13.0, 0.0]
    assert maturity(levels, None, nonlinear).tolist() == [5.0, 10.0, 18.0]


def test_region_score_under_a_nonlinear_table(nonlinear, make_spd, make_innovations):
    levels = _levels({"16": 2}, {"16": 3, "35": 1}, {"16": 3, "35": 3})
    innovations = make_innovations(levels, status=["diterima", "diterima", "ditolak"])
    score = score_region(make_spd({"1": 0}), innovations, nonlinear)
    # SPD 0; maturity sum 15 over MAX(10, 3); 3 x 0.38 (the rejected one counts in n):
    # total 2.64, IID 1.056 -> 1.06.
    assert score.maturity_sum == 15.0 and score.divisor == 10
    assert score.total == pytest.approx(2.64)
    assert score.iid == 1.06


def test_nonlinear_maturity_is_the_sum_of_each_cells_points(nonlinear):
    rng = np.random.default_rng(7)
    levels = rng.integers(0, 4, size=(50, 20))
    rejected = rng.random(50) < 0.1
    numbers = nonlinear.innovation_numbers
    expected = [
        0.0 if rej else sum(nonlinear.indicator(n).points(int(lv)) for n, lv in zip(
            numbers, row, strict=True))
        for row, rej in zip(levels, rejected, strict=True)
    ]
    assert maturity(levels, rejected, nonlinear) == pytest.approx(expected)
    assert innovation_points(levels, nonlinear).sum(axis=1)[~rejected] == pytest.approx(
        np.array(expected)[~rejected]
    )
