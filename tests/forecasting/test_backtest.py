"""Backtest scores against hand-worked values, the rolling-origin cases, synthetic calibration."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from iid_analysis.errors import UsageError
from iid_analysis.forecasting.backtest import (
    SUMMARY_COLUMNS,
    backtest,
    backtest_cases,
    backtest_statement,
    crps_from_draws,
    interval_score,
    score_forecast,
    synthetic_calibration,
    synthetic_panel,
)
from iid_analysis.inputs.published import peer_panel

MULTI_POINT_REGIONS = ("Kota Mojokerto", "Kota Tangerang", "Provinsi Kalimantan Timur")


@pytest.fixture(scope="module")
def published():
    return backtest(seed=0, n_draws=2000)


def test_crps_matches_brute_force_pairs():
    draws = np.array([3.0, -1.0, 4.0, 1.5, 9.0])
    y = 2.0
    pairs = np.abs(draws[:, None] - draws[None, :]).mean()
    assert crps_from_draws(draws, y) == pytest.approx(np.abs(draws - y).mean() - 0.5 * pairs)


def test_crps_of_a_normal_sample_matches_the_closed_form():
    # CRPS(N(0, 1), y) = y (2 Phi(y) - 1) + 2 phi(y) - 1 / sqrt(pi)
    draws = np.random.default_rng(0).standard_normal(200_000)
    y = 0.7
    exact = y * (2 * stats.norm.cdf(y) - 1) + 2 * stats.norm.pdf(y) - 1 / np.sqrt(np.pi)
    assert crps_from_draws(draws, y) == pytest.approx(exact, abs=0.005)


def test_interval_score_by_hand():
    assert interval_score(10.0, 20.0, 15.0, 0.8) == 10.0
    # Miss by 5 below an 80 % interval: width 10 + 2 / 0.2 x 5 = 60.
    assert interval_score(10.0, 20.0, 5.0, 0.8) == pytest.approx(60.0)
    assert interval_score(10.0, 20.0, 21.0, 0.5) == pytest.approx(14.0)


def test_score_forecast_on_a_uniform_sample():
    draws = np.linspace(0.0, 100.0, 100_001)
    row = score_forecast(draws, observed=95.0, last_value=60.0)
    assert (row["lower_80"], row["upper_80"]) == pytest.approx((10.0, 90.0))
    assert row["covered_80"] == 0.0 and row["covered_90"] == 1.0  # the ends count as inside
    assert (row["lower_90"], row["upper_90"]) == pytest.approx((5.0, 95.0))
    assert row["prob_increase"] == pytest.approx(0.4, abs=1e-4)
    assert row["increased"] == 1.0 and row["pit"] == pytest.approx(0.95, abs=1e-4)
    assert row["abs_error"] == pytest.approx(45.0)


def test_cases_are_every_origin_with_a_later_published_year():
    cases = backtest_cases(peer_panel())
    expected = {
        (region, origin, target)
        for region in MULTI_POINT_REGIONS
        for origin, target in ((2021, 2022), (2021, 2023), (2022, 2023))
    } | {("Provinsi Sumatera Barat", 2021, 2022)}
    got = set(zip(cases["region_name"], cases["origin"], cases["target_year"], strict=True))
    assert got == expected
    mojokerto = cases[(cases["region_name"] == "Kota Mojokerto") & (cases["origin"] == 2022)]
    assert mojokerto["observed"].tolist() == [84.46] and mojokerto["n_points"].tolist() == [2]


def test_published_backtest_summary(published):
    assert list(published.summary.columns) == list(SUMMARY_COLUMNS)
    assert set(published.summary["scheme"]) == {"rolling_origin", "leave_region_out"}
    summary = published.summary[published.summary["scheme"] == "rolling_origin"].set_index("model")
    # Only the 2022 origin has pairs for the pooled model; no region ever had 3 points before.
    assert summary.loc["pooled", "n_forecasts"] == 3
    assert summary.loc["pooled_shock", "n_forecasts"] == 3
    assert summary.loc["ensemble", "n_forecasts"] == 3
    for model in ("rw_drift", "trend_raw", "trend_logit"):
        assert summary.loc[model, "n_forecasts"] == 0 and summary.loc[model, "n_refused"] == 10
        assert np.isnan(summary.loc[model, "crps"])
    assert summary.loc["pooled", "interval_score_80_vs_anchor"] == 1.0
    assert published.tested() == summary["n_forecasts"].to_dict()
    rows = published.forecasts
    rows = rows[rows["scheme"] == "rolling_origin"]
    pooled = rows[(rows["model"] == "pooled") & (rows["refused_reason"] == "")]
    brier = np.mean((pooled["prob_increase"] - pooled["increased"]) ** 2)
    assert summary.loc["pooled", "brier_increase"] == pytest.approx(brier)
    # Two of the three rose from 2022 to 2023 (Mojokerto, Tangerang); Kalimantan Timur fell.
    assert sorted(pooled["increased"]) == [0.0, 1.0, 1.0]
    for level in ("50", "80", "90"):
        assert 0.0 <= summary.loc["pooled", f"coverage_{level}"] <= 1.0
    by_hand = pooled["interval_score_80"].mean()
    assert summary.loc["pooled", "interval_score_80"] == pytest.approx(by_hand)


def test_leave_region_out_fits_the_pooled_models_without_the_region(published):
    rows = published.forecasts
    cases = rows[(rows["model"] == "pooled") & (rows["refused_reason"] == "")]
    out = cases[cases["scheme"] == "leave_region_out"].set_index("region_name")
    rolling = cases[cases["scheme"] == "rolling_origin"].set_index("region_name")
    # Left out, a region's own 2021-2022 change no longer informs the pooled drift, so every
    # pooled forecast moves.
    assert set(out.index) <= set(rolling.index)
    assert (out["median"] != rolling.loc[out.index, "median"]).all()


def test_pit_histogram_counts_every_scored_case(published):
    hist = published.pit_histogram
    pooled = hist[(hist["model"] == "pooled") & (hist["scheme"] == "rolling_origin")]
    assert len(pooled) == 5 and pooled["count"].sum() == 3
    assert pooled["share"].sum() == pytest.approx(1.0)


def test_reliability_table(published):
    table = published.reliability
    table = table[table["scheme"] == "rolling_origin"]
    pooled = table[(table["model"] == "pooled") & (table["kind"] == "quantile")]
    assert pooled["observed"].is_monotonic_increasing
    increase = table[(table["model"] == "pooled") & (table["kind"] == "increase")]
    assert increase["n"].sum() == 3


def test_backtest_is_reproducible_and_as_of_truncates(published):
    again = backtest(seed=0, n_draws=2000)
    assert again.summary.equals(published.summary)
    early = backtest(as_of=2022, n_draws=500)
    assert set(early.forecasts["target_year"]) == {2022}
    assert (early.summary["n_forecasts"] == 0).all()


def test_longer_synthetic_panel_backtests_the_trend_models():
    rng = np.random.default_rng(1)
    values = {f"R{k}": list(50 + np.cumsum(rng.normal(2, 3, size=6))) for k in range(3)}
    result = backtest(synthetic_panel(values), n_draws=500, schemes=("rolling_origin",))
    summary = result.summary.set_index("model")
    # Origins 2023..2025 leave 3..5 points: trend models forecast 3 + 2 + 1 targets per region.
    assert summary.loc["trend_logit", "n_forecasts"] == 3 * (3 + 2 + 1)
    assert summary.loc["rw_drift", "n_forecasts"] == 3 * (3 + 2 + 1)


def test_unknown_model_is_refused():
    with pytest.raises(UsageError, match="unknown model"):
        backtest(models=("arima",))


@pytest.mark.slow
@pytest.mark.parametrize("model", ["trend_raw", "trend_logit", "rw_drift", "pooled"])
def test_intervals_are_calibrated_under_the_models_own_process(model):
    # 400 synthetic panels of 3 regions x 3 points; the Monte Carlo s.e. of a coverage of 0.8
    # is sqrt(0.16 / 400) = 0.02, so +-0.07 is 3.5 standard errors.
    table = synthetic_calibration(
        n_series=400, seed=11, processes=(model,), models=(model,), n_draws=1000
    )
    row = table.iloc[0]
    assert row["correctly_specified"] and row["n_series"] == 400
    assert row["coverage_80"] == pytest.approx(0.80, abs=0.07)
    assert row["coverage_50"] == pytest.approx(0.50, abs=0.08)
    assert row["coverage_90"] == pytest.approx(0.90, abs=0.05)


def test_calibration_rejects_unknown_processes():
    with pytest.raises(UsageError, match="unknown process"):
        synthetic_calibration(n_series=1, processes=("garch",))


def test_backtest_statement_states_the_numbers_and_the_caveat(published):
    text = backtest_statement(published)
    assert "ensemble, 3 past forecasts" in text and "too few to judge calibration" in text
    assert "trend_logit 0" in text and "pooled_shock 3" in text and "50/80/90" in text
    brier = published.summary_for("ensemble")["brier_increase"]
    assert f"{brier:.2f}" in text
    assert "no past forecast" in backtest_statement(published, "trend_logit")
    with pytest.raises(UsageError, match="no model 'arima'"):
        backtest_statement(published, "arima")
