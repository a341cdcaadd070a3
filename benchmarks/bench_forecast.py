"""Fitting every forecasting model and running the full backtest, as a ratio to one OLS trend.

The baseline is the least a forecast must do: one statsmodels OLS linear trend on Kota Mojokerto's
three points with its prediction interval (``get_prediction(...).summary_frame()``). Measured:

- ``fit all models``: every model of :data:`iid_analysis.forecasting.models.MODELS` on Kota
  Mojokerto for 2024 (the over-parameterised ``damped_ets`` is refused by its guard), 10 000
  draws each;
- ``forecast_region``: the default ensemble with the conflict alternative and the notes;
- ``full backtest``: the rolling-origin and leave-one-region-out backtests over the published
  panel, every model;
- ``pooled_shock fit, 546 x 5``: fitting the shared-shock pooled model (year effects, drift, mean
  reversion, shock and noise variances) on a national-size synthetic panel, 546 regions x 5 years
  (2 184 consecutive-year pairs), against the same one OLS fit (target <= 200x);
- ``synthetic calibration`` (information): 100 synthetic panels per process, every model;
- the skill gate (:func:`iid_analysis.forecasting.gate.gated_weights`): on the published panel as
  the forecast runs it (no model has 30 cases: only the case count), its backtest forced on the
  published panel and on a 20 x 5 shared-shock panel (unremembered), and a forecast from that
  panel given a :class:`~iid_analysis.forecasting.gate.SkillGate` that remembers its backtest.

Timings are the best of several repeats in this one run; the ratios are reported, never asserted in
tests. Usage: python benchmarks/bench_forecast.py [--repeats N]
"""

from __future__ import annotations

import argparse

import numpy as np
import statsmodels.api as sm
from bench_scoring import best_time  # run as a script: benchmarks/ is on sys.path

from iid_analysis.forecasting.backtest import backtest, synthetic_calibration, synthetic_panel
from iid_analysis.forecasting.forecast import forecast_region
from iid_analysis.forecasting.gate import SkillGate, gated_weights, run_gate_backtest
from iid_analysis.forecasting.models import MODELS, fit_models, fit_shock_panel, from_logit
from iid_analysis.inputs.published import peer_panel, series_from_panel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    panel = peer_panel()
    series = series_from_panel("Kota Mojokerto", panel)
    years, values = series.as_arrays()

    def one_ols_trend():
        exog = sm.add_constant(years - years[-1])
        fit = sm.OLS(values, exog).fit()
        return fit.get_prediction(np.array([[1.0, 1.0]])).summary_frame(alpha=0.2)

    def fit_all():
        return fit_models(series, 2024, panel, tuple(MODELS), seed=0, n_draws=10_000)

    def default_forecast():
        return forecast_region("Kota Mojokerto", 2024, panel=panel)

    def full_backtest():
        return backtest(panel)

    rng = np.random.default_rng(0)
    start = rng.normal(0.3, 0.8, size=(546, 1))
    steps = 0.15 + rng.normal(0, 0.3, size=(1, 4)) + rng.normal(0, 0.2, size=(546, 4))
    national = synthetic_panel(
        {
            f"R{k:03d}": v
            for k, v in enumerate(from_logit(np.hstack([start, start + np.cumsum(steps, 1)])))
        }
    )

    def shock_fit():
        return fit_shock_panel(national)

    def calibration():
        return synthetic_calibration(n_series=100, seed=0)

    members, _ = fit_models(series, 2024, panel, ("trend_logit", "pooled_shock"), n_draws=10_000)

    def gate_published():
        return gated_weights(members, panel)

    def gate_forced_published():
        return run_gate_backtest(panel, ("trend_logit", "pooled_shock"))

    shock_rng = np.random.default_rng(1)
    shock_steps = 0.15 + shock_rng.normal(0, 0.3, (1, 4)) + shock_rng.normal(0, 0.2, (20, 4))
    shock_start = shock_rng.normal(0.3, 0.8, (20, 1))
    shock_values = from_logit(np.hstack([shock_start, shock_start + np.cumsum(shock_steps, 1)]))
    shock_panel = synthetic_panel({f"R{k:02d}": v for k, v in enumerate(shock_values)})

    def gate_forced_shock():
        return run_gate_backtest(shock_panel, ("trend_logit", "pooled_shock"))

    shock_gate = SkillGate()

    def forecast_shock_cached():
        return forecast_region("R00", 2026, panel=shock_panel, skill_gate=shock_gate)

    forecast_shock_cached()  # the gate's backtest of the shock panel, remembered by shock_gate
    for function in (one_ols_trend, fit_all, default_forecast, full_backtest, shock_fit):
        function()  # warm-up (imports, caches)
    baseline = best_time(one_ols_trend, max(args.repeats, 20))
    rows = [
        ("one OLS trend (baseline)", baseline),
        ("fit all models", best_time(fit_all, args.repeats)),
        ("forecast_region (ensemble)", best_time(default_forecast, args.repeats)),
        ("full backtest", best_time(full_backtest, args.repeats)),
        ("pooled_shock fit, 546 x 5", best_time(shock_fit, args.repeats)),
        ("synthetic calibration x100", best_time(calibration, 1)),
        ("gate, published (as run)", best_time(gate_published, args.repeats)),
        ("gate backtest, published, forced", best_time(gate_forced_published, args.repeats)),
        ("gate backtest, 20 x 5 shock panel", best_time(gate_forced_shock, args.repeats)),
        ("forecast, 20 x 5 panel, gate cached", best_time(forecast_shock_cached, args.repeats)),
    ]
    both = rows[1][1] + rows[3][1]
    print(f"{'step':<30} {'time':>12} {'ratio to one OLS':>18}")
    for name, seconds in rows:
        print(f"{name:<30} {seconds * 1e3:9.2f} ms {seconds / baseline:17.0f}x")
    print(f"{'fit all + full backtest':<30} {both * 1e3:9.2f} ms {both / baseline:17.0f}x")


if __name__ == "__main__":
    main()
