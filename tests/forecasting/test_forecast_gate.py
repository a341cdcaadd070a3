"""The skill gate of the default mixture: a member keeps its weight only if its rolling-origin
backtest on the panel is no worse than the anchor's, judged from GATE_MIN_CASES cases; the gate's
backtest sees only the data up to each origin and is remembered by an explicit SkillGate."""

from __future__ import annotations

import numpy as np
import pytest

from iid_analysis.forecasting import gate as gt
from iid_analysis.forecasting import models
from iid_analysis.forecasting.backtest import backtest, synthetic_panel
from iid_analysis.forecasting.forecast import forecast_region
from iid_analysis.forecasting.gate import (
    GATE_MIN_CASES,
    GateResult,
    SkillGate,
    evidence_weights,
    gated_weights,
    panel_skill,
)
from iid_analysis.forecasting.models import ANCHOR_MODEL, from_logit
from iid_analysis.messages import render


def _random_walk_panel(seed=1, n_regions=10, n_years=6, noise_sd=0.3):
    # Logit random walks with one common drift and no shared shock: the anchor's own process,
    # on which a straight line through a region's 3-5 points is clearly the wrong model.
    rng = np.random.default_rng(seed)
    start = rng.normal(0.3, 0.5, size=(n_regions, 1))
    steps = 0.1 + rng.normal(0.0, noise_sd, size=(n_regions, n_years - 1))
    values = from_logit(np.hstack([start, start + np.cumsum(steps, axis=1)]))
    return synthetic_panel({f"R{k}": values[k] for k in range(n_regions)})


def test_gate_result_is_applied_from_the_minimum_number_of_cases():
    assert GATE_MIN_CASES == 30
    below = GateResult("trend_logit", GATE_MIN_CASES - 1, 50.0, 10.0, n_years=2)
    at = GateResult("trend_logit", GATE_MIN_CASES, 50.0, 10.0, n_years=2)
    assert not below.applied and below.passed  # not judged: no verdict against it
    assert at.applied and not at.passed and at.ratio == pytest.approx(5.0)
    # No worse overall and in most target years passes (a tie is no worse)...
    assert GateResult("m", 100, 10.0, 10.0, n_years=2, years_no_worse=2).passed
    assert GateResult("m", 100, 9.0, 10.0, n_years=3, years_no_worse=2).passed
    # ...better on average but worse in half the years or more does not: one good year of
    # shared shocks cannot carry it.
    assert not GateResult("m", 100, 9.0, 10.0, n_years=2, years_no_worse=1).passed
    assert not GateResult("m", 100, 9.0, 10.0, n_years=4, years_no_worse=2).passed


def test_a_model_clearly_worse_than_the_anchor_in_the_backtest_is_gated_out():
    panel = _random_walk_panel()
    # Independent check of "clearly worse": the package's public backtest (its own seeds and
    # code path) over the same rolling-origin cases.
    checked = backtest(panel, models=("trend_logit", ANCHOR_MODEL), n_draws=2000,
                       schemes=("rolling_origin",))  # fmt: skip
    summary = checked.summary.set_index("model")
    # 3 points from origin 2023: 3 + 2 + 1 later years (origins 2023-2025) x 10 regions.
    assert summary.loc["trend_logit", "n_forecasts"] == 60
    assert summary.loc["trend_logit", "interval_score_80_vs_anchor"] > 1.25
    # By target year (2024, 2025, 2026), on the same cases, it is worse in each.
    scored = checked.forecasts[checked.forecasts["refused_reason"] == ""]
    wide = scored.pivot_table(index=["region_name", "origin", "target_year"], columns="model",
                              values="interval_score_80").dropna()  # fmt: skip
    by_year = wide.groupby("target_year").mean()
    assert list(by_year.index) == [2024, 2025, 2026]
    assert (by_year["trend_logit"] > by_year[ANCHOR_MODEL]).all()
    gate = panel_skill(panel, ("trend_logit",))["trend_logit"]
    assert gate.n_cases == 60 and gate.applied and not gate.passed
    assert (gate.n_years, gate.years_no_worse) == (3, 0)
    assert gate.ratio == pytest.approx(summary.loc["trend_logit", "interval_score_80_vs_anchor"],
                                       rel=0.1)  # fmt: skip
    forecast = forecast_region("R0", 2027, panel=panel, n_draws=2000)
    assert "trend_logit" not in forecast.weights
    reason = render(forecast.excluded["trend_logit"], "en")
    assert "skill gate" in reason and "60 cases" in reason and f"{gate.ratio:.3f}x" in reason
    table = forecast.model_table().set_index("model")
    assert table.loc["trend_logit", "weight"] == 0.0
    assert table.loc["trend_logit", "gate_cases"] == 60
    assert table.loc["trend_logit", "gate_vs_anchor"] == pytest.approx(gate.ratio)
    text = " ".join(forecast.notes_in("en"))
    assert "60 cases, no worse in 0 of 3 target years (no weight)" in text
    assert "60 kasus, tidak lebih buruk pada 0 dari 3 tahun sasaran (tanpa bobot)" in " ".join(
        forecast.notes_in("id")
    )


def test_below_the_minimum_the_gate_is_off_and_the_credibility_weights_stand(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the gate's backtest ran with too few cases")

    monkeypatch.setattr(gt, "panel_skill", never)
    # Published panel: trend_logit 0 cases, pooled_shock 3 (origin 2022 only).
    forecast = forecast_region("Kota Mojokerto", 2024, n_draws=2000)
    assert {n: g.n_cases for n, g in forecast.skill_gate.items()} == {
        "trend_logit": 0, "pooled_shock": 3,
    }  # fmt: skip
    assert not any(g.applied for g in forecast.skill_gate.values())
    weights, _ = evidence_weights(forecast.components, forecast.backtest_cases)
    assert dict(forecast.weights) == weights == {"pooled_shock": 1.0}
    assert any("Skill gate not applied" in n and "trend_logit 0, pooled_shock 3" in n
               for n in forecast.notes_in("en"))  # fmt: skip
    assert any("Gerbang keterampilan tidak diterapkan" in n for n in forecast.notes_in("id"))
    # A small synthetic panel: 3 regions x 5 years give trend_logit 3 x (2 + 1) = 9 cases.
    small = _random_walk_panel(n_regions=3, n_years=5)
    mixed = forecast_region("R0", 2026, panel=small, n_draws=2000)
    assert mixed.skill_gate["trend_logit"].n_cases == 9
    assert dict(mixed.weights) == evidence_weights(mixed.components, mixed.backtest_cases)[0]
    assert set(mixed.weights) == {"trend_logit", "pooled_shock"}


def test_the_gate_backtest_sees_only_the_data_up_to_each_origin(monkeypatch):
    panel = _random_walk_panel(seed=4)
    calls = []

    def recording(name, fit):
        def wrapped(series, target_year, known, rng, n_draws, fits=None):
            calls.append((name, series, target_year, known))
            return fit(series, target_year, known, rng, n_draws, fits)

        return wrapped

    monkeypatch.setattr(gt, "MODELS", {n: recording(n, f) for n, f in models.MODELS.items()})
    panel_skill(panel, ("trend_logit", "pooled_shock"))
    assert calls and {c[0] for c in calls} == {"trend_logit", "pooled_shock", ANCHOR_MODEL}
    for _, series, target_year, known in calls:
        origin = int(known["year"].max())
        assert origin < target_year
        # Exactly the panel's rows up to the origin: nothing later, nothing left out.
        expected = panel[panel["year"] <= origin]
        assert known[["region_name", "year", "iid"]].equals(
            expected[["region_name", "year", "iid"]]
        )
        mine = expected[expected["region_name"] == series.region]
        assert series.years == tuple(mine["year"]) and series.values == tuple(mine["iid"])


def test_the_gate_backtest_is_remembered_by_its_skill_gate_and_does_not_recurse(monkeypatch):
    panel = _random_walk_panel(seed=2)
    runs = []
    original = gt.run_gate_backtest

    def counting(known, models):
        runs.append(len(known))
        return original(known, models)

    def no_mixture(*args, **kwargs):
        raise AssertionError("the gate's backtest weighted a mixture")

    monkeypatch.setattr(gt, "run_gate_backtest", counting)
    monkeypatch.setattr(gt, "gated_weights", no_mixture)
    gate = SkillGate()
    first = panel_skill(panel, ("trend_logit", "pooled_shock"), gate)
    monkeypatch.undo()
    monkeypatch.setattr(gt, "run_gate_backtest", counting)
    for region in ("R0", "R3", "R7"):
        forecast = forecast_region(region, 2027, panel=panel, n_draws=500, skill_gate=gate)
        assert forecast.skill_gate["trend_logit"] == first["trend_logit"]
    assert runs == [len(panel)] and gate.runs == 1  # one backtest for the panel, any region
    forecast_region("R0", 2027, as_of=2025, panel=panel, n_draws=500, skill_gate=gate)
    assert runs == [len(panel), len(panel[panel["year"] <= 2025])] and len(gate) == 2
    # Nothing is remembered outside a SkillGate: a forecast without one runs its own backtest.
    again = forecast_region("R0", 2027, panel=panel, n_draws=500)
    assert runs[-1] == len(panel) and len(runs) == 3
    assert again.skill_gate["trend_logit"] == first["trend_logit"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_weights_sum_to_one_over_fitted_models(seed):
    forecast = forecast_region("R1", 2027, panel=_random_walk_panel(seed=seed), n_draws=1000)
    assert sum(forecast.weights.values()) == pytest.approx(1.0)
    assert set(forecast.weights) <= set(forecast.components)
    assert all(w > 0 for w in forecast.weights.values())


def test_when_no_member_passes_the_anchor_carries_the_forecast(monkeypatch):
    panel = _random_walk_panel(seed=3)

    def both_worse(known, models, gate=None):
        return {m: GateResult(m, 40, 12.0, 10.0, n_years=2) for m in models}

    monkeypatch.setattr(gt, "panel_skill", both_worse)
    forecast = forecast_region("R2", 2027, panel=panel, n_draws=1000)
    assert dict(forecast.weights) == {ANCHOR_MODEL: 1.0}
    assert ANCHOR_MODEL in forecast.components
    assert np.array_equal(np.sort(forecast.draws), np.sort(forecast.components[ANCHOR_MODEL].draws))
    assert set(forecast.excluded) == {"trend_logit", "pooled_shock"}
    assert any("the anchor (pooled) carries the forecast" in n for n in forecast.notes_in("en"))
    weights, excluded, gate = gated_weights(
        {n: forecast.components[n] for n in ("trend_logit", "pooled_shock")}, panel
    )
    assert weights == {ANCHOR_MODEL: 1.0} and set(excluded) == set(gate) == {
        "trend_logit", "pooled_shock",
    }  # fmt: skip


def test_given_weights_and_a_single_model_skip_the_gate(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the gate ran")

    monkeypatch.setattr(gt, "panel_skill", never)
    panel = _random_walk_panel()
    given = forecast_region("R0", 2027, panel=panel, n_draws=500,
                            weights={"trend_logit": 1, "pooled_shock": 1})  # fmt: skip
    single = forecast_region("R0", 2027, panel=panel, n_draws=500, models=("trend_logit",))
    assert not given.skill_gate and not single.skill_gate
    assert dict(single.weights) == {"trend_logit": 1.0}

def test_cases_where_the_model_is_the_anchor_are_left_out_like_ties():
    # 10 regions, 2021..2026. pooled_shock needs changes in 3 years: at origins 2022 and 2023
    # it falls back to the anchor (same draws: common random numbers), 10 x (4 + 3) cases; at
    # origins 2024 and 2025 it has its own forecast, 10 x (2 + 1) cases.
    gate = panel_skill(_random_walk_panel(seed=5), ("pooled_shock",))["pooled_shock"]
    assert (gate.n_same, gate.n_cases) == (70, 30)
    assert gate.applied and gate.score != gate.anchor_score


def test_on_a_panel_of_straight_lines_the_gate_keeps_the_trend_and_drops_the_panel_model():
    # Every region follows its own straight line (the Target with small wiggles): the trend is
    # the right model, the pooled random walks are not.
    long = list(50 + 2.0 * np.arange(12) + np.tile([0.8, -0.5, 0.3, -0.9], 3))
    peers = {f"P{k}": list(45 + k + 1.5 * np.arange(12) + (-1) ** k) for k in range(6)}
    panel = synthetic_panel({"Target": long, **peers}, first_year=2010)
    forecast = forecast_region("Target", 2022, panel=panel, n_draws=2000)
    trend, shock = forecast.skill_gate["trend_logit"], forecast.skill_gate["pooled_shock"]
    assert trend.applied and trend.passed and trend.ratio < 0.8
    assert shock.applied and not shock.passed
    assert dict(forecast.weights) == {"trend_logit": 1.0}
