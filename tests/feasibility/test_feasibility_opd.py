"""The OPD view against hand-worked numbers (2023 weights; every indicator at level 2 gives
maturity 74, 37 short of 111). OPD A: three innovations, OPD B: one, OPD C: one rejected, so
n = 5 (divisor floor 10)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from iid_analysis.feasibility.actions import raise_level
from iid_analysis.feasibility.opd import opd_summary, opd_top_actions
from iid_analysis.inputs.region import Region
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
    table = opd_summary(Region.from_frames(*base, methodology_2023)).set_index("opd")
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
    from iid_analysis.feasibility.change import CHANGE_KINDS_FILE
    from iid_analysis.feasibility.costs import CostTable

    region = Region.from_frames(*base, methodology_2023)
    top = opd_top_actions(region, top=2, costs=CostTable())
    assert set(top["opd"]) == {"A", "B"}  # C's only innovation is rejected
    best_b = top[top["opd"] == "B"].iloc[0]
    # Best step per unit cost on INV-004: 35 from 2 to 3, 4 points / 10 / 250 x 100.
    assert (best_b["indicator"], best_b["from_level"]) == ("35", 2)
    assert best_b["iid_gain"] == pytest.approx(4 / 10 * 0.4)
    assert top.groupby("opd")["rank"].max().tolist() == [2, 2]
    # By default (the effort model) a top action is always an action step, at its effort.
    kinds = pd.read_csv(CHANGE_KINDS_FILE, dtype=str, keep_default_na=False)
    kinds = kinds[kinds["table_year"] == "2023"].set_index(["indicator", "to_level"])
    default = opd_top_actions(region, top=3)
    assert len(default)
    for row in default.itertuples():
        step = kinds.loc[(row.indicator, str(row.to_level))]
        assert step["change_kind"] == "action"
        if step["effort_days"]:
            assert row.cost == float(step["effort_days"])


def test_plan_share_per_opd(base, methodology_2023):
    actions = [raise_level("35", 2, 3, "INV-002", "A")]
    table = opd_summary(
        Region.from_frames(*base, methodology_2023), plan_actions=actions
    ).set_index("opd")
    assert table.loc["A", "plan_actions"] == 1 and table.loc["B", "plan_actions"] == 0


def test_plan_cost_and_gain_per_opd_add_up(base, methodology_2023):
    """Hand-made actions with a cost and a gain: each OPD's share is the sum of its own."""
    from dataclasses import replace

    from iid_analysis.feasibility.actions import add_innovation

    actions = [
        replace(raise_level("35", 2, 3, "INV-002", "A"), cost=2.5, iid_gain=0.16),
        replace(raise_level("34", 2, 3, "INV-003", "A"), cost=1.5, iid_gain=0.08),
        replace(add_innovation("NEW-1", "B", {"35": 3}), cost=4.0, iid_gain=0.3),
        replace(raise_level("6", 2, 3), cost=1.0, iid_gain=0.6),  # SPD: no OPD's
    ]
    table = opd_summary(
        Region.from_frames(*base, methodology_2023), plan_actions=actions
    ).set_index("opd")
    assert table.loc["A", ["plan_actions", "plan_new_innovations"]].tolist() == [2, 0]
    assert table.loc["A", "plan_cost"] == pytest.approx(4.0)
    assert table.loc["A", "plan_iid_gain"] == pytest.approx(0.24)
    assert table.loc["B", ["plan_actions", "plan_new_innovations"]].tolist() == [1, 1]
    assert table.loc["B", ["plan_cost", "plan_iid_gain"]].tolist() == pytest.approx([4.0, 0.3])
    assert table.loc["C", ["plan_cost", "plan_iid_gain"]].tolist() == [0.0, 0.0]


def test_a_real_plan_split_by_opd(base, methodology_2023):
    """The cheapest plan for 38.3 from 37.96 (SPD 63, maturity 300 / 10, count 1.9: total
    94.9) under costs 1 per step on 31 (3 points) and 2 per step on 35 (4 points): 0.85 points
    of total are needed, three steps on 31 (cost 3, total 95.8, IID 38.32)."""
    import math

    from iid_analysis.feasibility.costs import CostTable
    from iid_analysis.feasibility.optimize import cheapest_plan

    costs = CostTable(step=math.inf, add_innovation=math.inf, by_indicator={"31": 1.0, "35": 2.0})
    spd, innovations = base
    plan = cheapest_plan(Region.from_frames(spd, innovations, methodology_2023), 38.3, costs=costs)
    assert plan.iid_before == 37.96 and plan.iid_after == 38.32
    assert plan.total_cost == pytest.approx(3.0)
    assert all(a.cost > 0 and a.iid_gain > 0 for a in plan.actions)
    opd_of = dict(zip(innovations["innovation_id"], innovations["opd"], strict=True))
    table = opd_summary(
        Region.from_frames(*base, methodology_2023), plan_actions=plan.actions
    ).set_index("opd")
    for opd in table.index:
        own = [a for a in plan.actions if opd_of[a.innovation_id] == opd]
        steps = {"31": 1.0, "35": 2.0}
        assert table.loc[opd, "plan_cost"] == pytest.approx(
            sum(steps[a.indicator] * (a.to_level - a.from_level) for a in own)
        )
        assert table.loc[opd, "plan_actions"] == len(own)
    gain = plan.iid_after_unrounded - plan.score_before.iid_unrounded
    assert table["plan_iid_gain"].sum() == pytest.approx(gain)
    assert gain == pytest.approx(0.9 / 250 * 100)
