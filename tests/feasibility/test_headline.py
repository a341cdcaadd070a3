"""The headline: rule variants weighted by the region's own published score, the risk each
unknown rule carries, and the ladder of targets. Base region (as in the uncertainty tests):
SPD 63; twelve innovations at maturity 74, the first two inisiatif / uji coba, the last
rejected."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from iid_analysis.feasibility.actions import add_innovation, apply_to_region, raise_level
from iid_analysis.feasibility.headline import (
    CONTRADICTED_WEIGHT,
    LADDER_COLUMNS,
    RISK_COLUMNS,
    ladder_targets,
    rule_risks,
    target_ladder,
    variant_iids,
    variant_weights,
)
from iid_analysis.feasibility.uncertainty import (
    SimulationSettings,
    plan_for_probability,
    simulate_plan,
)
from iid_analysis.inputs.region import Region
from iid_analysis.methodology import load_methodology

SPD_NUMBERS = load_methodology(2023).spd_numbers


def iid(spd_total, maturity_sum, n):
    return (spd_total + maturity_sum / max(10, n) + min(n, 200) * 0.38) / 250 * 100


@pytest.fixture()
def region(make_spd, make_innovations, methodology_2023):
    spd = make_spd({**dict.fromkeys(SPD_NUMBERS, 3), "6": 2})
    stages = ["inisiatif", "uji coba"] + ["penerapan"] * 10
    status = ["diterima"] * 11 + ["ditolak"]
    innovations = make_innovations(np.full((12, 20), 2), stage=stages, status=status)
    return Region.from_frames(spd, innovations, methodology_2023)


def test_variant_iids_by_hand(region):
    table = variant_iids(region).set_index(["stage_rule", "rejected_rule"])["iid_unrounded"]
    assert table["counted", "counted"] == pytest.approx(iid(61.5, 11 * 74, 12))
    assert table["counted", "not_counted"] == pytest.approx(iid(61.5, 11 * 74, 11))
    assert table["not_counted", "counted"] == pytest.approx(iid(61.5, 9 * 74, 10))
    assert table["not_scored", "not_counted"] == pytest.approx(iid(61.5, 9 * 74, 11))


def test_the_published_score_weights_the_variants(region):
    published = round(iid(61.5, 11 * 74, 12), 2)  # what the engine's own rules give
    weights = variant_weights(region, published)
    assert weights.evidence
    # Only (counted, counted) reproduces it; every other pair keeps 5 % of its prior weight.
    prior_s = {"counted": 0.5, "not_counted": 0.25, "not_scored": 0.25}
    prior_r = {"counted": 0.8, "not_counted": 0.2}
    joint = {
        (s, r): prior_s[s] * prior_r[r] * (1 if (s, r) == ("counted", "counted") else
                                           CONTRADICTED_WEIGHT)
        for s in prior_s for r in prior_r
    }  # fmt: skip
    total = sum(joint.values())
    assert weights.stage["counted"] == pytest.approx(
        (joint["counted", "counted"] + joint["counted", "not_counted"]) / total
    )
    assert weights.rejected["not_counted"] == pytest.approx(
        sum(v for (_, r), v in joint.items() if r == "not_counted") / total
    )
    assert sum(weights.stage.values()) == pytest.approx(1.0)


def test_no_published_figure_or_nothing_reproduced_keeps_the_priors(region):
    assert not variant_weights(region, None).evidence
    unrelated = variant_weights(region, 12.34)
    assert not unrelated.evidence and unrelated.stage["counted"] == 0.5


def test_risk_shares_add_up_and_name_the_stage_rule(region):
    actions = [
        raise_level("6", 2, 3),
        add_innovation("NEW-1", "x", {str(n): 3 for n in range(16, 36)}),
    ]
    after = apply_to_region(region, actions)
    # The plan reaches exactly its own IID under the engine's rules with every step accepted.
    target = round(iid(63, 11 * 74 + 111, 13), 2)
    result = simulate_plan(
        region, actions, target, settings=SimulationSettings(acceptance=1.0, n_draws=400, seed=1)
    )
    result_risks = rule_risks(result, after)
    risks = {(r.rule, r.variant): r for r in result_risks}
    assert sum(r.share_of_risk for r in result_risks) == pytest.approx(1.0)
    shares = [r.share_of_risk for r in result_risks]
    assert shares == sorted(shares, reverse=True)  # largest share of the risk first
    # With every step accepted, only the rule variants make it fall short.
    assert risks["verification", "counted"].share_of_risk == 0.0
    # Early-stage innovations in n at maturity 0: 63 + (9 x 74 + 111) / 13 + 13 x 0.38 < target
    # (and with the rejected one out of n: 63 + 777 / 12 + 12 x 0.38 < target too).
    assert iid(63, 9 * 74 + 111, 12) < target
    assert risks["stage", "not_scored"].p_reach_if == 0.0
    assert risks["stage", "not_scored"].n_affected == 2
    # The remedy of the stage variants moves the two early-stage innovations to penerapan; the
    # rejected variant has none.
    assert risks["stage", "not_scored"].remedy == "promote_early_stage"
    assert risks["rejected", "not_counted"].remedy == ""
    # The rows split the draws: weight x P(reach | variant) adds up to the plan's P(reach).
    assert sum(r.weight for r in result_risks) == pytest.approx(1.0)
    assert result_risks.p_reach == pytest.approx(result.p_reach)
    assert result_risks.lowest_p_reach_if == 0.0
    assert [r.variant for r in result_risks.carrying(0.0)] == [
        r.variant for r in result_risks if r.share_of_risk > 0
    ]
    frame = result_risks.frame()  # the table view, same rows in the same order
    assert list(frame.columns) == list(RISK_COLUMNS)
    assert list(frame["share_of_risk"]) == shares


def test_ladder_targets():
    rules = load_methodology(2025)
    rungs = ladder_targets(60.0, 61.0, rules)
    assert rungs == [("above_last", 60.01), ("target", 61.0), ("plus_2", 62.0),
                     ("plus_5", 65.0), ("band", 65.01)]  # fmt: skip
    # The band below the last figure is no rung; a value appears once, as the target first.
    assert ladder_targets(70.0, 72.0, rules) == [
        ("above_last", 70.01),
        ("target", 72.0),
        ("plus_5", 75.0),
    ]


def test_ladder_probabilities_fall_as_the_target_rises(region):
    plan_actions = [raise_level("6", 2, 3)]
    result = simulate_plan(
        region, plan_actions, 60.0, settings=SimulationSettings(n_draws=500, seed=2)
    )
    rungs = ladder_targets(59.0, 60.0, region.methodology)

    def trend(t):  # a normal forecast around 60 with sd 2
        return 0.5 * math.erfc((t - 60.0) / (2.0 * math.sqrt(2)))

    ladder = target_ladder(
        region,
        rungs,
        result,
        trend,
        probability=0.8,
        settings=SimulationSettings(n_draws=300, seed=4),
    )
    assert [(r.label, r.target) for r in ladder] == rungs  # one rung each, in order
    targets = [r.target for r in ladder]
    assert targets == sorted(targets)

    def falling(values):
        return all(a >= b for a, b in zip(values, values[1:], strict=False))

    assert falling([r.p_with_headline_plan for r in ladder])
    assert falling([r.p_business_as_usual for r in ladder])
    # The headline plan against each rung: the share of its draws at or above the rung.
    draws = result.draws["iid"].to_numpy()
    for r in ladder:
        assert r.p_with_headline_plan == pytest.approx(float((draws >= r.target).mean()))
        assert r.p_business_as_usual == pytest.approx(trend(r.target))
    reached = ladder.reached
    assert reached and all(r.plan_reaches for r in reached)
    assert [r for r in ladder if r.plan_reaches] == list(reached)
    # Each rung's own plan reaches it with the asked probability, at more effort higher up.
    assert all(r.p_with_plan >= 0.8 for r in reached)
    efforts = [r.effort for r in reached]
    assert efforts == sorted(efforts)
    assert all(math.isfinite(r.effort) for r in reached)
    assert all(math.isnan(r.effort) for r in ladder if not r.plan_reaches)
    # Checked with another seed: the rung's plan still reaches it about that often.
    top = reached[-1]
    again = plan_for_probability(
        region, top.target, probability=0.8, settings=SimulationSettings(n_draws=300, seed=4)
    )
    assert len(again.plan.actions) == top.n_actions
    assert again.plan.n_new_innovations == top.n_new_innovations
    assert again.plan.total_cost == pytest.approx(top.effort)
    check = simulate_plan(
        region,
        again.plan.actions,
        top.target,
        settings=SimulationSettings(n_draws=2000, seed=99),
    )
    assert check.p_reach >= 0.8 - 3 * check.p_reach_se - 0.03


def test_a_shared_plan_search_cache_gives_correct_plans_without_searching_again(
    region, monkeypatch
):
    import iid_analysis.feasibility.uncertainty as uncertainty

    searched_targets = []
    real = uncertainty.cheapest_plan

    def counting(*args, **kwargs):
        searched_targets.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(uncertainty, "cheapest_plan", counting)
    cache = {}
    settings = {
        "probability": 0.8, "settings": SimulationSettings(n_draws=300, seed=4), "tolerance": 0.5
    }
    low = plan_for_probability(region, 58.0, cache=cache, **settings)
    high = plan_for_probability(region, 60.0, cache=cache, **settings)
    # Judged against its own target: the same p_reach as simulating its plan afresh.
    fresh = simulate_plan(
        region, high.plan.actions, 60.0, SimulationSettings(n_draws=300, seed=4), high.plan.evidence
    )
    assert high.uncertainty.target == 60.0
    assert high.uncertainty.p_reach == pytest.approx(fresh.p_reach)
    assert high.reached and high.uncertainty.p_reach >= 0.8
    assert low.reached and low.uncertainty.p_reach >= 0.8
    # The planning target lies within the tolerance of the least one known to fall short.
    short = high.tried[(high.tried["p_reach"] < 0.8) & (high.tried["planning_target"] >= 60.0)]
    floor = short["planning_target"].max() if len(short) else 60.0
    assert high.planning_target - floor <= 0.5 + 1e-9
    # Asked again with the same cache: no new search, the same plan.
    before = len(searched_targets)
    again = plan_for_probability(region, 60.0, cache=cache, **settings)
    assert len(searched_targets) == before
    assert again.plan.actions == high.plan.actions
    assert again.planning_target == high.planning_target


def test_the_ladder_and_the_risks_are_frozen_results(region):
    plan_actions = [raise_level("6", 2, 3)]
    settings = SimulationSettings(n_draws=200, seed=3)
    result = simulate_plan(region, plan_actions, 60.0, settings=settings)
    ladder = target_ladder(region, [("target", 60.0)], result, None, settings=settings)
    risks = rule_risks(result, apply_to_region(region, plan_actions))
    for value, row in ((ladder, ladder[0]), (risks, risks[0])):
        with pytest.raises(dataclasses.FrozenInstanceError):
            value.rows = ()
        with pytest.raises(dataclasses.FrozenInstanceError):
            row.weight = 1.0  # any field: the row is frozen too
    assert isinstance(ladder.rows, tuple) and isinstance(risks.rows, tuple)
    # Without a forecast, business as usual is unknown (NaN), never a made-up 0.
    assert math.isnan(ladder[0].p_business_as_usual)
    frame = ladder.frame()
    assert list(frame.columns) == list(LADDER_COLUMNS)
    assert frame["plan_reaches"].dtype == bool and frame["n_actions"].dtype.kind == "i"
