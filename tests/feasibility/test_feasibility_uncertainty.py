"""Plan uncertainty: limits worked by hand (all accepted, none accepted, rule variants) and
reproducibility. Base: SPD 63; twelve innovations at maturity 74 (every indicator at level 2),
the first two in stage inisiatif / uji coba, the last rejected (see test_feasibility_levers)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from iid_analysis.errors import UsageError
from iid_analysis.feasibility.actions import add_innovation, raise_level
from iid_analysis.feasibility.uncertainty import (
    SimulationSettings,
    plan_for_probability,
    simulate_plan,
)
from iid_analysis.inputs.region import Region
from iid_analysis.methodology import load_methodology

SPD_NUMBERS = load_methodology(2023).spd_numbers
BASELINE = {"stage_weights": {"counted": 1}, "rejected_weights": {"counted": 1}}


def total(spd_total, maturity_sum, n):
    return spd_total + maturity_sum / max(10, n) + min(n, 200) * 0.38


@pytest.fixture()
def base(make_spd, make_innovations):
    spd = make_spd({**dict.fromkeys(SPD_NUMBERS, 3), "6": 2})
    stages = ["inisiatif", "uji coba"] + ["penerapan"] * 10
    status = ["diterima"] * 11 + ["ditolak"]
    innovations = make_innovations(np.full((12, 20), 2), stage=stages, status=status)
    actions = [
        raise_level("6", 2, 3),
        raise_level("35", 2, 3, "INV-005", "x"),
        add_innovation("NEW-001", "x", {str(n): 3 for n in range(16, 36)}),
    ]
    return spd, innovations, actions


def test_all_accepted_baseline_rules_give_the_plan(base, methodology_2023):
    spd, innovations, actions = base
    result = simulate_plan(
        Region.from_frames(spd, innovations, methodology_2023),
        actions,
        60,
        settings=SimulationSettings(**BASELINE, acceptance=1.0, n_draws=50),
    )
    expected = total(63, 11 * 74 + 4 + 111, 13) * 0.4
    assert result.draws["iid_unrounded"].to_numpy() == pytest.approx(np.full(50, expected))
    assert result.iid_planned == pytest.approx(round(expected, 2))
    assert (result.draws["steps_accepted"] == 1).all()


def test_none_accepted_keeps_the_new_innovation_in_n_at_zero(base, methodology_2023):
    spd, innovations, actions = base
    result = simulate_plan(
        Region.from_frames(spd, innovations, methodology_2023),
        actions,
        60,
        settings=SimulationSettings(**BASELINE, acceptance=0.0, n_draws=20),
    )
    expected = total(61.5, 11 * 74, 13) * 0.4
    assert result.draws["iid_unrounded"].to_numpy() == pytest.approx(np.full(20, expected))
    assert result.p_reach == 0.0


def test_stage_and_rejected_rule_variants(base, methodology_2023):
    spd, innovations, actions = base
    kwargs = {"acceptance": 1.0, "n_draws": 10}
    dropped = simulate_plan(
        Region.from_frames(spd, innovations, methodology_2023),
        actions,
        60,
        settings=SimulationSettings(
            **kwargs,
            stage_weights={"not_counted": 1}, rejected_weights={"counted": 1}
        ),
    )
    # Two early-stage innovations leave n and S: 11 innovations, S = 9 x 74 + 4 + 111.
    assert dropped.draws["iid_unrounded"].iloc[0] == pytest.approx(
        total(63, 9 * 74 + 4 + 111, 11) * 0.4
    )
    zeroed = simulate_plan(
        Region.from_frames(spd, innovations, methodology_2023),
        actions,
        60,
        settings=SimulationSettings(
            **kwargs,
            stage_weights={"not_scored": 1}, rejected_weights={"not_counted": 1}
        ),
    )
    # Early ones stay in n at 0; the rejected one leaves n: n = 12.
    assert zeroed.draws["iid_unrounded"].iloc[0] == pytest.approx(
        total(63, 9 * 74 + 4 + 111, 12) * 0.4
    )


def test_distribution_is_seeded_and_summarised(base, methodology_2023):
    spd, innovations, actions = base
    first = simulate_plan(
        Region.from_frames(spd, innovations, methodology_2023),
        actions,
        56.5,
        settings=SimulationSettings(seed=7),
    )
    again = simulate_plan(
        Region.from_frames(spd, innovations, methodology_2023),
        actions,
        56.5,
        settings=SimulationSettings(seed=7),
    )
    other = simulate_plan(
        Region.from_frames(spd, innovations, methodology_2023),
        actions,
        56.5,
        settings=SimulationSettings(seed=8),
    )
    assert first.draws.equals(again.draws)
    assert not first.draws["iid_unrounded"].equals(other.draws["iid_unrounded"])
    assert first.quantiles["iid"].is_monotonic_increasing
    assert 0.0 < first.p_reach < 1.0
    assert first.p_reach == pytest.approx((first.draws["iid"] >= 56.5).mean())
    assert first.by_variant["n_draws"].sum() == first.n_draws
    # The summary by rule pair is what grouping the draws gives.
    grouped = (
        first.draws.groupby(["stage_rule", "rejected_rule"], sort=True)
        .agg(
            n_draws=("draw", "size"),
            p_reach=("reached", "mean"),
            iid_median=("iid_unrounded", "median"),
        )
        .reset_index()
    )
    pd.testing.assert_frame_equal(first.by_variant, grouped, check_dtype=False)
    # Acceptance about 0.85 of the 1 + 1 + 20 planned level-ups.
    assert first.draws["steps_accepted"].mean() == pytest.approx(0.85, abs=0.01)
    assert "stages_counted" in first.provisional_rules


def test_bad_parameters(base, methodology_2023):
    spd, innovations, actions = base
    with pytest.raises(UsageError):
        simulate_plan(
            Region.from_frames(spd, innovations, methodology_2023),
            actions,
            60,
            settings=SimulationSettings(acceptance=1.5),
        )
    with pytest.raises(UsageError):
        simulate_plan(
            Region.from_frames(spd, innovations, methodology_2023),
            actions,
            60,
            settings=SimulationSettings(stage_weights={"sometimes": 1}),
        )


def test_plan_for_probability(base, methodology_2023):
    spd, innovations, _ = base
    region = Region.from_frames(spd, innovations, methodology_2023)
    certain = plan_for_probability(
        region, 56.5, settings=SimulationSettings(**BASELINE, acceptance=1.0, n_draws=20)
    )
    # Nothing can go wrong: the plan for the target itself reaches it in every draw.
    assert certain.reached and certain.planning_target == 56.5
    assert certain.uncertainty.p_reach == 1.0 and len(certain.tried) == 1
    risky = plan_for_probability(
        region, 56.5, probability=0.9, tolerance=0.25,
        settings=SimulationSettings(**BASELINE, n_draws=400, seed=3),
    )  # fmt: skip
    assert risky.reached and risky.uncertainty.p_reach >= 0.9
    assert risky.planning_target > 56.5 and risky.plan.total_cost >= certain.plan.total_cost
    tried = risky.tried.set_index("planning_target")
    assert tried.loc[risky.planning_target, "p_reach"] == risky.uncertainty.p_reach
    # Bisection: a planning target within the tolerance below the one chosen fell short.
    below = tried[tried.index < risky.planning_target]
    assert (below["p_reach"] < 0.9).all()
    assert risky.planning_target - below.index.max() <= 0.25 + 1e-9
    # Another seed, more draws: the plan still reaches the target with about that probability.
    check = simulate_plan(
        region, risky.plan.actions, 56.5, SimulationSettings(**BASELINE, n_draws=4000, seed=12345)
    )
    assert check.p_reach >= 0.9 - 3 * check.p_reach_se - 0.02
