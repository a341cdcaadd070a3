"""Scenario arithmetic worked by hand (2023 weights; see test_feasibility_levers for the base).

Base: SPD 63 (all level 3); twelve innovations with every indicator at level 2 (maturity 74);
OPDs: "A" owns ten, "B" one, "C" one (rejected). S = 11 x 74 = 814, n = 12, count 4.56.
"""

from __future__ import annotations

import numpy as np
import pytest

from iid_analysis.errors import UsageError
from iid_analysis.feasibility.costs import CostTable
from iid_analysis.feasibility.effort import default_effort
from iid_analysis.feasibility.scenarios import (
    MaturityUpgrade,
    MeetEveryIndicator,
    OneOpdMoreThanOne,
    ReachCount,
    Replication,
    run_scenarios,
)
from iid_analysis.inputs.region import Region
from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import score_region

SPD_NUMBERS = load_methodology(2023).spd_numbers
WEIGHTS = (3, 2, 2, 2, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 2, 3, 2, 3, 2, 4)
IID_PER_TOTAL = 0.4


@pytest.fixture()
def base(make_spd, make_innovations):
    spd = make_spd(dict.fromkeys(SPD_NUMBERS, 3))
    innovations = make_innovations(np.full((12, 20), 2), status=["diterima"] * 11 + ["ditolak"])
    innovations["opd"] = ["A"] * 10 + ["B", "C"]
    return spd, innovations


def total(spd_total, maturity_sum, n):
    return spd_total + maturity_sum / max(10, n) + min(n, 200) * 0.38


def maturity_of(levels: dict) -> int:
    return sum(w * levels[str(16 + j)] for j, w in enumerate(WEIGHTS))


def test_reach_count_at_a_maturity(base, methodology_2023):
    result = run_scenarios(
        Region.from_frames(*base, methodology_2023), [ReachCount(15, maturity=80)],
        costs=CostTable(),
    )  # fmt: skip
    added = [a for a in result.actions if a.kind == "add_innovation"]
    assert len(added) == 3
    assert all(maturity_of(a.levels_dict) == 80 for a in added)
    assert all(set(a.levels_dict) == {str(n) for n in range(16, 36)} for a in added)
    expected = total(63, 814 + 3 * 80, 15) * IID_PER_TOTAL
    assert result.after.iid_unrounded == pytest.approx(expected)
    # Each new innovation's levels are the cheapest for maturity 80 at one unit per step.
    assert added[0].cost == pytest.approx(1 + sum(added[0].levels_dict.values()))
    assert result.total_cost == pytest.approx(3 * added[0].cost)


def test_reach_count_already_there_does_nothing(base, methodology_2023):
    result = run_scenarios(
        Region.from_frames(*base, methodology_2023), [ReachCount(12, maturity=80)]
    )
    assert result.actions == () and result.after.iid == result.before.iid


def test_one_opd_more_than_one(base, methodology_2023):
    result = run_scenarios(
        Region.from_frames(*base, methodology_2023), [OneOpdMoreThanOne(maturity=74)]
    )
    added = [a.opd for a in result.actions]
    # B owns one accepted innovation, C none (its only one was rejected).
    assert sorted(added) == ["B", "C", "C"]
    expected = total(63, 814 + 3 * 74, 15) * IID_PER_TOTAL
    assert result.after.iid_unrounded == pytest.approx(expected)


def test_replication_picks_the_largest_gains(base, methodology_2023):
    spd, innovations = base
    innovations.loc[[3, 7], "31"] = 0
    before = 814 - 2 * 6  # two innovations lose 31's level 2 (6 points)
    region = Region.from_frames(spd, innovations, methodology_2023)
    result = run_scenarios(region, [Replication(k=3)], costs=CostTable())
    chosen = [(a.innovation_id, a.from_level, a.to_level) for a in result.actions]
    assert chosen == [("INV-001", 2, 3), ("INV-004", 0, 3), ("INV-008", 0, 3)]
    assert result.after.iid_unrounded == pytest.approx(
        total(63, before + 9 + 9 + 3, 12) * IID_PER_TOTAL
    )
    assert result.total_cost == 7  # 1 + 3 + 3 steps at unit cost
    # By default the effort model prices them: 7 replication steps of its replication effort,
    # the same effort a plan would count.
    model = default_effort(methodology_2023)
    per_step = [model.level_cost_for("31", s) for s in (1, 2, 3)]
    assert per_step[0] == per_step[1] == per_step[2]
    assert run_scenarios(region, [Replication(k=3)]).total_cost == 7 * per_step[0]


def test_maturity_upgrade_by_cheapest_steps(base, methodology_2023):
    spd, innovations = base
    innovations.loc[0, "35"] = 1  # maturity 70 (74 - 4)
    result = run_scenarios(
        Region.from_frames(spd, innovations, methodology_2023), [MaturityUpgrade(75)]
    )
    per_innovation = {}
    for action in result.actions:
        per_innovation.setdefault(action.innovation_id, []).append(action)
    # INV-001 (70) needs 5 points: 35 from 1 to 3 (two steps, 8 points) is the cheapest;
    # the others (74) need 1 point: one step on a weight >= 1 indicator.
    first = per_innovation["INV-001"]
    assert sum(a.to_level - a.from_level for a in first) == 2
    assert "INV-012" not in per_innovation  # rejected
    assert len(per_innovation) == 11
    assert all(
        sum(a.to_level - a.from_level for a in acts) == 1
        for acts in list(per_innovation.values())[1:]
    )
    scored = score_region(result.spd, result.innovations, methodology_2023)
    assert scored.iid == result.after.iid
    from iid_analysis.scoring import score_innovations

    maturities = score_innovations(result.innovations, methodology_2023)["maturity"]
    assert (maturities.iloc[:11] >= 75).all()


def test_meet_every_indicator(base, make_spd, methodology_2023):
    _, innovations = base
    spd = make_spd({**dict.fromkeys(SPD_NUMBERS, 3), "6": 0, "12": 0})
    innovations.loc[0, ["20", "35"]] = 0
    innovations.loc[11, "16"] = 0  # rejected: left alone
    result = run_scenarios(
        Region.from_frames(spd, innovations, methodology_2023), [MeetEveryIndicator()]
    )
    kinds = sorted((a.innovation_id, a.indicator) for a in result.actions)
    # SPD 6 (investment growth) is an outcome: never acted on, even from level 0.
    assert kinds == [("", "12"), ("INV-001", "20"), ("INV-001", "35")]
    spd_total = 63 - 4.5 - 6 + 2  # 12 (weight 2) to level 1; 6 (weight 1.5) stays at 0
    maturity_sum = 814 - 2 - 8 + 1 + 4
    assert result.after.iid_unrounded == pytest.approx(
        total(spd_total, maturity_sum, 12) * IID_PER_TOTAL
    )


def test_composition_applies_in_order(base, methodology_2023):
    steps = [Replication(k=2), ReachCount(14, maturity=100), Replication(k=2)]
    result = run_scenarios(Region.from_frames(*base, methodology_2023), steps)
    assert list(result.steps["scenario"]) == [s.name for s in steps]
    first = run_scenarios(Region.from_frames(*base, methodology_2023), steps[:2])
    rest = run_scenarios(
        Region.from_frames(first.spd, first.innovations, methodology_2023), steps[2:]
    )
    assert result.after.iid_unrounded == pytest.approx(rest.after.iid_unrounded)
    assert result.steps["iid_gain"].sum() == pytest.approx(
        result.after.iid_unrounded - result.before.iid_unrounded
    )
    assert sum(a.iid_gain for a in result.actions) == pytest.approx(result.steps["iid_gain"].sum())
    # The second replication sees the new innovations: maturity 100 ones may need it too.
    assert result.steps["n_actions"].tolist()[0] == 2


def test_costs_shape_new_innovation_levels(base, methodology_2023):
    costs = CostTable(by_indicator={"35": float("inf")})
    result = run_scenarios(
        Region.from_frames(*base, methodology_2023), [ReachCount(13, maturity=90)], costs=costs
    )
    levels = result.actions[0].levels_dict
    # 35 forbidden, and no replication (31) in a new innovation's first year: 111 - 12 - 9.
    assert levels["35"] == 0 and levels["31"] == 0 and maturity_of(levels) == 90


def test_impossible_scenario_raises(base, methodology_2023):
    with pytest.raises(UsageError):
        run_scenarios(Region.from_frames(*base, methodology_2023), [MaturityUpgrade(120)])
    with pytest.raises(UsageError):
        run_scenarios(
            Region.from_frames(*base, methodology_2023),
            [ReachCount(13, maturity=100)],
            costs=CostTable(by_indicator={"35": float("inf")}),
        )
