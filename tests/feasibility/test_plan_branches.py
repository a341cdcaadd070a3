"""Branches of the plan search a close reading found untested, on regions small enough to work
out by hand (2023 weights: indicator 35 is worth 4 points a level; SPD all at level 3 is 63;
total = SPD + S / MAX(10, n) + MIN(n, 200) x 0.38; IID = total / 250 x 100, half up)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from iid_analysis.feasibility import optimize
from iid_analysis.feasibility.actions import KIND_ADD, apply_actions
from iid_analysis.feasibility.costs import CostTable
from iid_analysis.feasibility.optimize import cheapest_plan
from iid_analysis.feasibility.uncertainty import SimulationSettings, plan_for_probability
from iid_analysis.inputs.region import Region
from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import score_region

RULES = load_methodology(2023)
ONLY_35 = CostTable(step=math.inf, add_innovation=1.0, by_indicator={"35": 0.0})
"""Only indicator 35 may move (for free), a new innovation costs 1: the plan's cost counts the
new innovations."""
STEPS_ON_35 = CostTable(step=math.inf, add_innovation=math.inf, by_indicator={"35": 1.0})


def iid(total: float) -> float:
    """Published IID of a total, half up (no binary noise at these values)."""
    return math.floor(total / 250 * 100 * 100 + 0.5 + 1e-9) / 100


@pytest.fixture()
def full(make_spd, make_innovations):
    """SPD 63; three accepted penerapan innovations at level 3 everywhere (maturity 111)."""
    spd = make_spd(dict.fromkeys(RULES.spd_numbers, 3))
    innovations = make_innovations(np.full((3, 20), 3))
    innovations["opd"] = ["A", "B", "C"]
    return spd, innovations


def test_new_innovations_go_to_the_named_opds_in_turn(full):
    spd, innovations = full
    # k new innovations at maturity 12 (35 at level 3): total = 63 + (333 + 12k) / 10 +
    # (3 + k) x 0.38 = 97.44, 99.02, 100.60, 102.18 for k = 0..3 (hand-worked).
    totals = [63 + (333 + 12 * k) / 10 + (3 + k) * 0.38 for k in range(4)]
    assert [iid(t) for t in totals] == [38.98, 39.61, 40.24, 40.87]
    plan = cheapest_plan(
        Region.from_frames(spd, innovations, RULES),
        40.5,
        costs=ONLY_35,
        new_opds=["X", "Y"],
        new_profile={"35": 3},
        time_limit=5.0,
    )
    assert plan.reached and plan.optimal and plan.mip_gap == 0.0
    added = [a for a in plan.actions if a.kind == KIND_ADD]
    assert [a.opd for a in added] == ["X", "Y", "X"]
    assert plan.n_new_innovations == 3 and plan.total_cost == pytest.approx(3.0)
    assert plan.iid_after == 40.87
    after_spd, after_innovations = apply_actions(spd, innovations, plan.actions)
    assert score_region(after_spd, after_innovations, RULES).iid == 40.87
    assert sorted(after_innovations["opd"]) == ["A", "B", "C", "X", "X", "Y"]


class _Stopped:
    """What scipy's milp returns when HiGHS stops at its time limit with a solution."""

    def __init__(self, result, gap):
        self.x, self.status, self.mip_gap = result.x, 1, gap
        self.success, self.fun = False, result.fun


def test_a_search_stopped_at_the_time_limit_says_so(full, monkeypatch):
    spd, innovations = full
    innovations.loc[[1, 2], "35"] = 2
    real, seen = optimize.milp, []

    def stopped(*args, **kwargs):
        seen.append(kwargs["options"]["time_limit"])
        return _Stopped(real(*args, **kwargs), 0.05)

    monkeypatch.setattr(optimize, "milp", stopped)
    plan = cheapest_plan(
        Region.from_frames(spd, innovations, RULES), 38.82, costs=STEPS_ON_35, time_limit=7.5
    )
    assert seen and set(seen) == {7.5}
    assert plan.reached and not plan.optimal
    assert plan.mip_gap == pytest.approx(0.05)
    assert "time limit" in plan.message and "5.00%" in plan.message


def test_two_steps_needed(full):
    spd, innovations = full
    innovations.loc[[1, 2], "35"] = 2  # S = 111 + 107 + 107 = 325
    # 0, 1, 2 steps on 35: totals 96.64, 97.04, 97.44 -> IID 38.66, 38.82, 38.98.
    plan = cheapest_plan(Region.from_frames(spd, innovations, RULES), 38.98, costs=STEPS_ON_35)
    assert plan.reached and plan.total_cost == 2 and plan.iid_after == iid(97.44) == 38.98
    assert (
        cheapest_plan(
            Region.from_frames(spd, innovations, RULES), 38.82, costs=STEPS_ON_35
        ).total_cost
        == 1
    )


def test_robust_plan_falls_back_to_the_most_probable_plan(full):
    spd, innovations = full
    innovations.loc[[1, 2], "35"] = 2
    # 38.98 needs both steps, and no planning target above it is reachable: the only plan is
    # both steps, accepted together with probability 0.5 x 0.5 (every innovation penerapan and
    # accepted, so no rule variant matters).
    robust = plan_for_probability(
        Region.from_frames(spd, innovations, RULES),
        38.98,
        probability=0.99,
        costs=STEPS_ON_35,
        settings=SimulationSettings(acceptance=0.5, n_draws=4000, seed=3),
    )
    assert not robust.reached
    assert robust.plan.reached and robust.plan.total_cost == 2
    assert robust.uncertainty.p_reach == pytest.approx(0.25, abs=0.03)
    assert robust.uncertainty.p_reach == robust.tried["p_reach"].max()
    assert robust.planning_target == 38.98


def test_robust_plan_for_an_unreachable_target_says_so(full):
    spd, innovations = full
    innovations.loc[[1, 2], "35"] = 2
    robust = plan_for_probability(
        Region.from_frames(spd, innovations, RULES),
        60.0,
        costs=STEPS_ON_35,
        settings=SimulationSettings(n_draws=500),
    )
    assert not robust.reached and not robust.plan.reached
    assert robust.plan.actions == () and robust.plan.max_iid == 38.98
    assert robust.tried.empty and robust.planning_target == 60.0
    assert robust.uncertainty.p_reach == 0.0  # today's 38.66 never reaches 60
