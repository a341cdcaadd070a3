"""The shared-shock pooled model, the notes built from the data, and the forecast's isolation."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from iid_analysis.forecasting.backtest import shock_calibration, synthetic_panel
from iid_analysis.forecasting.forecast import forecast_region, national_distribution
from iid_analysis.forecasting.models import (
    SCORE_PRIOR_EXTRA_DF,
    SHOCK_MIN_YEARS,
    ModelRefusedError,
    fit_damped_ets,
    fit_models,
    fit_shock_panel,
    from_logit,
    to_logit,
)
from iid_analysis.inputs import published
from iid_analysis.inputs.published import series_from_panel
from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import round_published


def _shock_panel(seed, n_regions=300, n_years=8, shock_sd=0.3, noise_sd=0.2, drift=0.15):
    rng = np.random.default_rng(seed)
    start = rng.normal(0.3, 0.6, size=(n_regions, 1))
    shocks = rng.normal(0.0, shock_sd, size=(1, n_years - 1))
    steps = drift + shocks + rng.normal(0.0, noise_sd, size=(n_regions, n_years - 1))
    values = from_logit(np.hstack([start, start + np.cumsum(steps, axis=1)]))
    names = [f"R{k:03d}" for k in range(n_regions)]
    return synthetic_panel(dict(zip(names, values, strict=True)), first_year=2010)


# --- the model -----------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_shock_variance_is_recovered_within_its_interval(seed):
    # Known common shock sd 0.3 (variance 0.09), noise sd 0.2 (0.04), 7 years of changes.
    fit = fit_shock_panel(_shock_panel(seed))
    low, high = fit.shock_var_interval(0.95)
    assert low <= 0.09 <= high
    assert fit.noise_var == pytest.approx(0.04, rel=0.1)
    assert fit.n_years == 7 and fit.n_regions == 300


def test_without_shocks_the_shock_variance_is_near_zero_and_the_forecast_is_the_pooled_one():
    panel = _shock_panel(7, n_regions=200, shock_sd=0.0)
    fit = fit_shock_panel(panel)
    assert fit.shock_var < 0.002
    series = series_from_panel("R000", panel)
    fitted, _ = fit_models(series, 2018, panel, ("pooled", "pooled_shock"), n_draws=20_000)
    for q in (0.1, 0.5, 0.9):
        a = np.quantile(fitted["pooled"].draws, q)
        b = np.quantile(fitted["pooled_shock"].draws, q)
        assert a == pytest.approx(b, abs=1.0)


def test_forecast_variance_draws_carry_one_more_degree_of_freedom():
    # df s^2 / chi2(df + 1): the posterior of a variance under the prior 1/sigma^2 on the sd.
    from scipy import stats

    fit = fit_shock_panel(_shock_panel(4, n_regions=30, n_years=5))  # 4 years: df 3
    df = fit.n_years - 1
    q = np.array([0.1, 0.5, 0.9])
    for extra in (0, 1):
        effect = fit.draw(np.random.default_rng(0), 200_000, extra_df=extra)["effect_var"]
        expected = fit.effect_var * df / stats.chi2.ppf(1 - q, df + extra)
        assert np.quantile(effect, q) == pytest.approx(expected, rel=0.02)


def test_with_an_estimated_scale_the_extra_degree_of_freedom_lowers_the_interval_score():
    # The reason for SCORE_PRIOR_EXTRA_DF, on the pure problem: y ~ N(0, 1), scale s^2 ~ chi2(3)/3.
    # The t(3) interval +-t(0.9; 3) s covers exactly 80 %; the best interval c x s for the
    # interval score (scale-equivariant, so its risk is the same at every sigma) has
    # c = t(0.9; 4) sqrt(3/4), the posterior predictive under the prior 1/sigma^2.
    from scipy import stats


    rng = np.random.default_rng(5)
    y, s = rng.standard_normal(400_000), np.sqrt(rng.chisquare(3, 400_000) / 3)

    def mean_score(c):
        miss = np.maximum(np.abs(y) - c * s, 0.0)
        return float(np.mean(2 * c * s + 2 / 0.2 * miss)), float(np.mean(miss == 0))

    exact, exact_cover = mean_score(stats.t.ppf(0.9, 3))
    df = 3 + SCORE_PRIOR_EXTRA_DF
    chosen, chosen_cover = mean_score(stats.t.ppf(0.9, df) * np.sqrt(3 / df))
    grid = [mean_score(c)[0] for c in np.linspace(1.0, 2.0, 41)]
    assert exact_cover == pytest.approx(0.80, abs=0.005)
    assert chosen < exact * 0.98 and chosen <= min(grid) + 0.005  # the minimum, up to the grid
    assert 0.70 < chosen_cover < 0.75  # the price: on the scale's part alone it covers ~72 %


def test_with_too_few_years_it_falls_back_to_the_pooled_model():
    panel = _shock_panel(3, n_regions=20, n_years=SHOCK_MIN_YEARS)  # 2 years of changes
    with pytest.raises(ModelRefusedError, match="at least 3 years"):
        fit_shock_panel(panel)
    series = series_from_panel("R000", panel)
    fitted, refused = fit_models(series, 2013, panel, ("pooled_shock",), n_draws=500)
    assert refused == {} and "fallback" in fitted["pooled_shock"].description


def test_interval_grows_with_the_horizon_as_the_model_implies():
    panel = _shock_panel(11, n_regions=100, n_years=6)
    series = series_from_panel("R000", panel)
    widths = []
    for target in (2016, 2018, 2020):
        fitted, _ = fit_models(series, target, panel, ("pooled_shock",), n_draws=20_000)
        z = to_logit(fitted["pooled_shock"].draws)
        widths.append(np.subtract(*np.quantile(z, [0.9, 0.1])))
    # Random-walk steps: width grows with the horizon (1, 3, 5 years), less than linearly
    # beyond the drift's own uncertainty, never shrinking.
    assert widths[0] < widths[1] < widths[2]
    assert widths[2] / widths[0] < 5


def test_shared_shock_synthetic_coverage_near_nominal():
    table = shock_calibration(n_panels=8, n_regions=12, n_years=6, n_draws=800, seed=3)
    row = table.set_index("model").loc["pooled_shock"]
    assert row["n_forecasts"] == 96
    # Eight panels share eight shocks: the Monte Carlo error is large, hence a wide band.
    assert 0.55 <= row["coverage_80"] <= 1.0
    assert set(table["model"]) == {"pooled", "pooled_shock", "ensemble"}


# --- notes from the data ------------------------------------------------------------------------
def test_notes_follow_as_of_and_the_series():
    early = forecast_region("Kota Mojokerto", 2023, as_of=2022, n_draws=500)
    text = " ".join(early.notes_in("en"))
    assert "The data ends in 2022" in text and "2021\u20132022 scores" in text
    assert "ends in 2023" not in text and "2021\u20132023" not in text
    indonesian = " ".join(early.notes_in("id"))
    assert "Data berakhir pada 2022" in indonesian and "77,73" in indonesian


def test_notes_of_a_region_whose_series_starts_later_and_a_band_change():
    forecast = forecast_region("Kota Padang", 2025, n_draws=500)  # one point, 2023
    text = " ".join(n for n in forecast.notes_in("en") if not n.startswith("National check"))
    assert "2023\u20132023 scores" in text and "2021" not in text
    edge = load_methodology(2025).bands["Sangat Inovatif"]
    assert f"from 2025 Sangat Inovatif starts at {edge:.2f}" in text
    assert "mulai 2025 Sangat Inovatif berawal dari 65,01" in " ".join(forecast.notes_in("id"))
    # 2024 has the same bands as 2023: no band change is claimed.
    padang = forecast_region("Kota Padang", 2024, n_draws=500)
    assert "starts at" not in " ".join(padang.notes_in("en"))


def test_notes_name_the_innovation_counts():
    forecast = forecast_region("Kota Mojokerto", 2024, n_draws=500)
    assert forecast.innovation_counts == (
        (2022, 107, "registered"), (2022, 53, "reported"), (2023, 176, "registered"),
    )  # fmt: skip
    assert any("2023: 176 registered" in n for n in forecast.notes_in("en"))
    assert any("2023: 176 terdaftar" in n for n in forecast.notes_in("id"))


def test_a_given_panel_never_reads_the_published_file(monkeypatch, tmp_path):
    panel = synthetic_panel({"Target": [50.0, 55.0, 57.0], "Peer": [40.0, 44.0, 47.0]})

    def refuse(*args, **kwargs):
        raise AssertionError("the published file was read")

    monkeypatch.setattr(published, "PUBLISHED_SCORES_FILE", tmp_path / "missing.csv")
    monkeypatch.setattr("iid_analysis.forecasting.forecast.load_published_scores", refuse)
    monkeypatch.setattr("iid_analysis.forecasting.forecast.load_innovation_counts", refuse)
    forecast = forecast_region("Target", 2024, panel=panel, n_draws=500)
    assert forecast.series.values == (50.0, 55.0, 57.0)
    with pytest.raises(Exception, match="not in the published data|no published"):
        forecast_region("Elsewhere", 2024, panel=panel, n_draws=500)


# --- warnings -----------------------------------------------------------------------------------
def test_damped_ets_lets_unexpected_warnings_through(monkeypatch):
    from statsmodels.tools.sm_exceptions import ConvergenceWarning
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    original = ETSModel.fit

    def noisy(self, *args, **kwargs):
        warnings.warn("expected on short series", ConvergenceWarning, stacklevel=2)
        warnings.warn("something else", UserWarning, stacklevel=2)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ETSModel, "fit", noisy)
    values = list(50 + 2.0 * np.arange(8) + np.tile([0.5, -0.7], 4))
    panel = synthetic_panel({"Target": values})
    series = series_from_panel("Target", panel)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit_damped_ets(series, 2030, panel, np.random.default_rng(0), 200)
    kinds = {w.category for w in caught}
    assert UserWarning in kinds and ConvergenceWarning not in kinds


# --- rounding -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (84.465, 84.47), (0.125, 0.13), (-0.125, -0.13), (84.46499999999, 84.47),
        (84.4649, 84.46), (2.675, 2.68), (1.005, 1.01), (99.995, 100.0), (0.0, 0.0),
    ],
)  # fmt: skip
def test_round_published_is_half_up_for_scalars_and_arrays(value, expected):
    assert round_published(value) == expected
    assert isinstance(round_published(value), float)
    array = round_published(np.array([value, value]))
    assert isinstance(array, np.ndarray) and array.tolist() == [expected, expected]


# --- national aggregates ------------------------------------------------------------------------
def test_national_distribution_passes_through_the_band_counts():
    from scipy import special, stats


    table = national_distribution().set_index("year")
    assert list(table.index) == [2021, 2022]  # the 0..100 years with the three band counts
    # 2021: 166 Kurang Inovatif, 316 Inovatif, 37 Sangat Inovatif; edges 35 and 60.01.
    edges = special.logit(0.005 + 0.99 * np.array([35.0, 60.01]) / 100)
    row = table.loc[2021]
    below = stats.norm.cdf((edges - row["mean_logit"]) / row["sd_logit"])
    assert below == pytest.approx([166 / 519, (166 + 316) / 519])
    assert table.loc[2022, "shift"] == pytest.approx(
        table.loc[2022, "mean_logit"] - table.loc[2021, "mean_logit"]
    )
    forecast = forecast_region("Kota Mojokerto", 2024, n_draws=300)
    ((year, shift, panel_mean, n),) = forecast.national_check
    assert (year, n) == (2022, 4) and shift == pytest.approx(table.loc[2022, "shift"])
    assert any(note.startswith("National check") for note in forecast.notes_in("en"))


def test_a_caller_with_its_own_tables_gets_the_same_notes():
    from iid_analysis.inputs.published import (
        load_innovation_counts,
        load_published_scores,
        peer_panel,
    )

    scores = load_published_scores()
    mine = forecast_region(
        "Kota Mojokerto", 2024, n_draws=300, panel=peer_panel(scores), scores=scores,
        innovation_counts=load_innovation_counts(),
    )  # fmt: skip
    default = forecast_region("Kota Mojokerto", 2024, n_draws=300)
    assert mine.notes == default.notes and mine.n_not_reported == 1


def test_a_caller_with_every_table_reads_no_file(monkeypatch):
    from iid_analysis.inputs import published

    tables = {
        "scores": published.load_published_scores(),
        "innovation_counts": published.load_innovation_counts(),
        "national_summary": published.load_national_summary(),
    }

    def refuse(*args, **kwargs):
        raise AssertionError("a file was read")

    for name in ("load_published_scores", "load_innovation_counts", "load_national_summary"):
        monkeypatch.setattr(f"iid_analysis.forecasting.forecast.{name}", refuse)
    mine = forecast_region(
        "Kota Mojokerto", 2024, n_draws=300, panel=published.peer_panel(tables["scores"]),
        **tables,
    )  # fmt: skip
    assert mine.national_check and mine.n_not_reported == 1 and mine.innovation_counts


@pytest.mark.slow
def test_on_shared_shock_panels_the_default_covers_near_nominal_unlike_the_anchor():
    # 300 panels: 300 independent held-out shocks, so the Monte Carlo error of coverage is
    # about +-0.02 (docs/forecasting.md); the anchor has no yearly shock and under-covers.
    table = shock_calibration(n_panels=300, n_regions=20, n_years=6, seed=0, n_draws=1000)
    rows = table.set_index("model")
    anchor = rows.loc["pooled"]
    assert anchor["coverage_80"] < 0.75
    # The target: interval score no worse than the anchor's at coverage within 10 points
    # of nominal. pooled_shock meets it on seeds 0 and 1 (0.976 and 0.995); the default mixture,
    # with the skill gate (trend_logit kept only on panels where its backtest was no worse than
    # the anchor's), on seed 0 (0.984; 1.008 on seed 1, docs/forecasting.md).
    limits = {"pooled_shock": 1.0, "ensemble": 1.0}
    for model, limit in limits.items():
        row = rows.loc[model]
        assert 0.75 <= row["coverage_80"] <= 0.85
        assert row["interval_score_80_vs_anchor"] <= limit
        # Counted year by year, closer to nominal than the model without shocks.
        assert row["yearly_coverage_80_mad"] < anchor["yearly_coverage_80_mad"]
