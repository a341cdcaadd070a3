"""The OPD view against hand-worked numbers (2023 weights; every indicator at level 2 gives
maturity 74, 37 short of 111). OPD A: three innovations, OPD B: one, OPD C: one rejected, so
n = 5 (divisor floor 10)."""

from __future__ import annotations

import numpy as np
import pytest

from iid_analysis.feasibility.actions import raise_level
from iid_analysis.feasibility.opd import opd_summary, opd_top_actions
from iid_analysis.methodology import load_methodology

SPD_NUMBERS = load_methodology(2023).spd_numbers


@pytest.fixture()
def base(make_spd, make_innovations):
    levels = np.full((5, 20), 2)
    levels[0, 19] = 3  # INV-001: maturity 78
    innovations = make_innovations(levels, status=["diterima"] * 4 + ["ditolak"])
    innovations["opd"] = ["A", "A", "A", "B", "C"]
    return make_spd(dict.fromkeys(SPD_NUMBERS, 3)), innovations


def test_summary_per_opd(base, methodology_2023):
    table = opd_summary(*base, methodology_2023).set_index("opd")
    assert table.loc["A", "n_innovations"] == 3
    assert table.loc["A", "mean_maturity"] == pytest.approx((78 + 74 + 74) / 3)
    assert table.loc["A", "points_lost"] == pytest.approx(33 + 37 + 37)
    # Divisor 10: 107 maturity points are 10.7 points of total, 4.28 IID.
    assert table.loc["A", "iid_lost"] == pytest.approx(107 / 10 * 0.4)
    assert table.loc["C", "n_rejected"] == 1 and table.loc["C", "mean_maturity"] == 0
    assert table.loc["C", "points_lost"] == 111
    assert table.loc["C", "iid_if_rejected_accepted"] == pytest.approx(74 / 10 * 0.4)
    assert table["fewer_than_two"].to_dict() == {"A": False, "B": True, "C": True}
    assert list(table.index) == ["C", "A", "B"]  # most IID lost first: C 4.44, A 4.28, B 1.48


def test_top_actions_are_the_opds_own(base, methodology_2023):
    top = opd_top_actions(*base, methodology_2023, top=2)
    assert set(top["opd"]) == {"A", "B"}  # C's only innovation is rejected
    best_b = top[top["opd"] == "B"].iloc[0]
    # Best step per unit cost on INV-004: 35 from 2 to 3, 4 points / 10 / 250 x 100.
    assert (best_b["indicator"], best_b["from_level"]) == ("35", 2)
    assert best_b["iid_gain"] == pytest.approx(4 / 10 * 0.4)
    assert top.groupby("opd")["rank"].max().tolist() == [2, 2]


def test_plan_share_per_opd(base, methodology_2023):
    actions = [raise_level("35", 2, 3, "INV-002", "A")]
    table = opd_summary(*base, methodology_2023, plan_actions=actions).set_index("opd")
    assert table.loc["A", "plan_actions"] == 1 and table.loc["B", "plan_actions"] == 0
