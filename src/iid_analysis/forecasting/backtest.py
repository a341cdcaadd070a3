"""How well the forecasting models have done: backtests and synthetic calibration.

The **backtest** replays history by two schemes. ``rolling_origin``: for every region, every origin
year that leaves at least one published later year of that region, and every such later year, each
model forecasts from the data published up to the origin (the region's own points and the peer
panel truncated at the origin) and is scored against the published figure. ``leave_region_out``:
the same cases, but the pooled models learn from the other regions only (the region's own points
still start its forecast), so a region is never forecast by parameters fitted to its own changes.
A model the data at the origin cannot support is refused for that case and counted in
``n_refused``. Every interval is central at the levels :data:`INTERVAL_LEVELS` (50/80/90 %, as in
the report's chart); the naive anchor (:data:`iid_analysis.forecasting.forecast.ANCHOR_MODEL`, a
pooled logit
random walk with drift) is in every table, with each model's interval score relative to it.

The published panel is small (three regions with three points each), so the backtest has only a
few forecasts. **Synthetic calibration** checks the intervals on many series drawn from known
processes: under its own process a model's 80 % interval must cover about 80 % of outcomes.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..inputs.published import PANEL_COLUMNS, peer_panel, series_from_panel
from ..messages import Message, render
from .gate import SkillGate, backtest_support, evidence_weights
from .models import (
    ANCHOR_MODEL,
    DEFAULT_MODELS,
    ENSEMBLE,
    ENSEMBLE_MODELS,
    MIN_N_DRAWS,
    PANEL_MODELS,
    ModelForecast,
    fit_models,
    from_logit,
    mix_draws,
)
from .scores import (
    LEVEL_KEYS,
    crps_from_draws,
    interval_score,
    score_forecast,
)

SCHEMES = ("rolling_origin", "leave_region_out")
PIT_BINS = 5
RELIABILITY_QUANTILES = (0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)
PROBABILITY_BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
BACKTEST_MODELS = (*DEFAULT_MODELS, ENSEMBLE)
BACKTEST_N_DRAWS = 4000
FEW_FORECASTS = 30
"""Below this many forecasts a coverage says little (the s.e. of 80 % coverage exceeds 7 %)."""

SUMMARY_COLUMNS = (
    "scheme",
    "model",
    "n_forecasts",
    "n_refused",
    *(f"coverage_{k}" for k in LEVEL_KEYS),
    *(f"interval_score_{k}" for k in LEVEL_KEYS),
    "mean_width_80",
    "crps",
    "mae",
    "brier_increase",
    "interval_score_80_vs_anchor",
)


# --- the rolling-origin backtest ---------------------------------------------------------------
@dataclass(frozen=True)
class BacktestResult:
    """Result of :func:`backtest`.

    ``forecasts``: one row per scheme, model and forecast case: scheme, region_name, origin,
    target_year, horizon, n_points (the region's points up to the origin), model, observed,
    last_value, then the columns of :func:`score_forecast`; refused cases are rows with
    ``refused_reason`` set and NaN scores.

    ``summary``: one row per scheme and model, columns scheme; model; n_forecasts (cases scored);
    n_refused (cases the model could not fit); coverage_50, coverage_80, coverage_90 (share of
    outcomes inside the central 50/80/90 % interval); interval_score_50/80/90 (mean interval
    score, IID points, lower is better); mean_width_80; crps (mean CRPS, IID points); mae (mean
    absolute error of the median); brier_increase (mean squared error of P(increase over the last
    published value), 0.25 is a coin); interval_score_80_vs_anchor (the model's interval score
    over the anchor's on the cases both could forecast; 1 = as good). NaN for no forecast.

    ``reliability``: rows of scheme, model, kind, bin, nominal, observed, n (quantile levels and
    bins of P(increase); see :func:`reliability_table`). ``pit_histogram``: rows of scheme,
    model, bin ("0.0-0.2", ...), count, share: the PIT values (share of draws at or below the
    outcome) in :data:`PIT_BINS` equal bins; flat when calibrated.
    """

    forecasts: pd.DataFrame
    summary: pd.DataFrame
    reliability: pd.DataFrame
    pit_histogram: pd.DataFrame
    seed: int
    n_draws: int

    def summary_for(self, model: str, scheme: str = SCHEMES[0]) -> dict[str, float]:
        """The summary row of one model and scheme as a dict (NaN for missing metrics)."""
        rows = self.summary[(self.summary["model"] == model) & (self.summary["scheme"] == scheme)]
        if rows.empty:
            raise UsageError(f"the backtest has no model '{model}' under '{scheme}'")
        return rows.iloc[0].to_dict()

    def tested(self, scheme: str = SCHEMES[0]) -> dict[str, int]:
        """Model -> forecasts scored under ``scheme`` (the models the backtest could check)."""
        rows = self.summary[self.summary["scheme"] == scheme]
        return {str(r.model): int(r.n_forecasts) for r in rows.itertuples()}


def backtest_statement(result: BacktestResult, model: str = ENSEMBLE) -> str:
    """One sentence on how ``model`` fared in the backtest, to print beside a probability: the
    models tested and their cases, coverage 50/80/90, CRPS, MAE, Brier, the anchor comparison.

    Raises :class:`UsageError` when the backtest has no such model.
    """
    row = result.summary_for(model)
    tested = ", ".join(f"{m} {n}" for m, n in result.tested().items())
    n = int(row["n_forecasts"])
    if n == 0:
        return f"backtest ({model}): no past forecast could be checked on the panel ({tested})"
    caveat = "; too few to judge calibration" if n < FEW_FORECASTS else ""
    ratio = row["interval_score_80_vs_anchor"]
    anchor = (
        f", 80 % interval score {ratio:.2f}x the anchor's ({ANCHOR_MODEL})"
        if np.isfinite(ratio) and model != ANCHOR_MODEL
        else ""
    )
    return (
        f"backtest ({model}, {n} past forecast{'s' if n > 1 else ''} on the panel; cases per "
        f"model: {tested}): 50/80/90 % intervals covered {row['coverage_50']:.0%}/"
        f"{row['coverage_80']:.0%}/{row['coverage_90']:.0%}, CRPS {row['crps']:.1f}, MAE "
        f"{row['mae']:.1f}, Brier score of P(increase) {row['brier_increase']:.2f} (0.25 = coin "
        f"toss){anchor}{caveat}"
    )


def case_seed(seed: int, region: str, origin: int, target_year: int) -> tuple[int, ...]:
    """The seed words of one backtest case (stable across runs and processes)."""
    return (int(seed), zlib.crc32(region.encode()), int(origin), int(target_year))


def backtest_cases(panel: pd.DataFrame) -> pd.DataFrame:
    """Every (region, origin, target year) the rolling-origin backtest scores.

    Origins run over the panel's years; a case needs at least one point of the region up to the
    origin and a published point in the target year. Columns: region_name, origin, target_year,
    horizon, n_points, observed.
    """
    years = sorted(panel["year"].unique())
    rows = []
    for region, group in panel.groupby("region_name", sort=True):
        observed = dict(zip(group["year"], group["iid"], strict=True))
        for origin in years[:-1]:
            n_points = int((group["year"] <= origin).sum())
            if n_points == 0:
                continue
            for target in sorted(y for y in observed if y > origin):
                rows.append(
                    {
                        "region_name": region,
                        "origin": int(origin),
                        "target_year": int(target),
                        "horizon": int(target - origin),
                        "n_points": n_points,
                        "observed": float(observed[target]),
                    }
                )
    return pd.DataFrame(
        rows,
        columns=["region_name", "origin", "target_year", "horizon", "n_points", "observed"],
    )


def _with_ensemble(
    fitted: dict[str, ModelForecast], n_draws: int, panel: pd.DataFrame, gate: SkillGate
) -> np.ndarray | None:
    """The default mixture of one case, weighted as
    :func:`iid_analysis.forecasting.forecast.forecast_region`
    weights it (skill gate on ``panel``, the data up to the origin, then credibility)."""
    members = {m: fitted[m] for m in ENSEMBLE_MODELS if m in fitted}
    if not members:
        return None
    weights, _, _ = gate.weights(members, panel)
    if ANCHOR_MODEL in weights and ANCHOR_MODEL not in members:
        if ANCHOR_MODEL not in fitted:
            weights, _ = evidence_weights(members, backtest_support(panel, list(members)))
        else:
            members = {ANCHOR_MODEL: fitted[ANCHOR_MODEL]}
    return mix_draws(members, weights, n_draws)


def _model_draws(series, target_year, panel, models, seed_words, n_draws, gate: SkillGate):
    """Draws by model for one case (the ensemble mixed from its members, weighted through
    ``gate``); refusals by model (messages)."""
    single = [m for m in models if m != ENSEMBLE]
    if ENSEMBLE in models:
        single += [m for m in (*ENSEMBLE_MODELS, ANCHOR_MODEL) if m not in single]
    fitted, refused = fit_models(
        series, target_year, panel, single, seed=seed_words, n_draws=n_draws
    )
    draws = {name: f.draws for name, f in fitted.items() if name in models}
    if ENSEMBLE in models:
        mixed = _with_ensemble(fitted, n_draws, panel, gate)
        if mixed is None:
            refused[ENSEMBLE] = Message("forecast.refused.no_member", {"model": ENSEMBLE})
        else:
            draws[ENSEMBLE] = mixed
    return draws, {m: r for m, r in refused.items() if m in models}


def _check_models(models: Sequence[str], n_draws: int) -> None:
    unknown = [m for m in models if m not in BACKTEST_MODELS]
    if unknown:
        raise UsageError(
            f"unknown model(s) {', '.join(unknown)} (known: {', '.join(BACKTEST_MODELS)})"
        )
    if n_draws < MIN_N_DRAWS:
        raise UsageError(f"n_draws must be at least {MIN_N_DRAWS}, got {n_draws}")


def backtest(
    panel: pd.DataFrame | None = None,
    models: Sequence[str] = BACKTEST_MODELS,
    seed: int = 0,
    n_draws: int = BACKTEST_N_DRAWS,
    as_of: int | None = None,
    schemes: Sequence[str] = SCHEMES,
) -> BacktestResult:
    """Backtest of ``models`` over a peer panel (default: the published one) by each of
    ``schemes`` (:data:`SCHEMES`; see the module docstring). The anchor model is always added.

    ``as_of`` drops the panel's years after it first (a backtest as of 2022 sees no 2023 data).
    Returns a :class:`BacktestResult` (columns documented there). Same inputs -> same numbers.
    The skill gate's backtests are remembered for this call only (one :class:`SkillGate`).
    """
    models = tuple(dict.fromkeys((*models, ANCHOR_MODEL)))
    _check_models(models, n_draws)
    unknown = [s for s in schemes if s not in SCHEMES]
    if unknown:
        raise UsageError(f"unknown scheme(s) {', '.join(unknown)} (known: {', '.join(SCHEMES)})")
    panel = peer_panel() if panel is None else panel
    if as_of is not None:
        panel = panel[panel["year"] <= int(as_of)]
    rows = []
    gate = SkillGate()
    for case in backtest_cases(panel).itertuples(index=False):
        known = panel[panel["year"] <= case.origin]
        series = series_from_panel(case.region_name, known)
        words = case_seed(seed, case.region_name, case.origin, case.target_year)
        own = known["region_name"] == case.region_name
        first = _model_draws(series, case.target_year, known, models, words, n_draws, gate)
        for scheme in schemes:
            draws, refused = first
            if scheme != SCHEMES[0]:
                # Only the panel models (and the mixture) learn from other regions: the rest
                # are the same forecasts as under the rolling origin.
                again = tuple(m for m in models if m in PANEL_MODELS or m == ENSEMBLE)
                d, r = _model_draws(
                    series, case.target_year, known[~own], again, words, n_draws, gate
                )
                draws = {m: v for m, v in draws.items() if m not in again} | d
                refused = {m: v for m, v in refused.items() if m not in again} | r
            base = {"scheme": scheme} | case._asdict() | {"last_value": series.last_value}
            for model in models:
                if model in draws:
                    scores = score_forecast(draws[model], case.observed, series.last_value)
                    rows.append(base | {"model": model, "refused_reason": ""} | scores)
                else:
                    reason = render(refused[model], "en")
                    rows.append(base | {"model": model, "refused_reason": reason})
    forecasts = pd.DataFrame(rows)
    return BacktestResult(
        forecasts=forecasts,
        summary=summarise(forecasts, models, schemes),
        reliability=reliability_table(forecasts, models, schemes),
        pit_histogram=pit_histogram(forecasts, models, schemes),
        seed=int(seed),
        n_draws=int(n_draws),
    )


_EMPTY = ("refused_reason", "pit", "prob_increase", "increased")


def _scored_groups(forecasts: pd.DataFrame) -> dict:
    """(scheme, model) -> its scored (not refused) cases, grouped once per table."""
    if not len(forecasts) or "pit" not in forecasts:
        return {}
    kept = forecasts[forecasts["refused_reason"] == ""]
    return {key: frame for key, frame in kept.groupby(["scheme", "model"], sort=False)}


_NONE = pd.DataFrame(columns=list(_EMPTY))


def _scored(groups: dict, model: str, scheme: str) -> pd.DataFrame:
    return groups.get((scheme, model), _NONE)


def pit_histogram(
    forecasts: pd.DataFrame, models: Sequence[str], schemes: Sequence[str] = SCHEMES
) -> pd.DataFrame:
    """PIT histogram rows (scheme, model, bin, count, share) of per-case scores."""
    edges = np.linspace(0.0, 1.0, PIT_BINS + 1)
    groups = _scored_groups(forecasts)
    rows = []
    for scheme in schemes:
        for model in models:
            pit = _scored(groups, model, scheme)["pit"].to_numpy(dtype=float)
            counts = np.histogram(pit, bins=edges)[0] if len(pit) else np.zeros(PIT_BINS, int)
            for low, high, count in zip(edges[:-1], edges[1:], counts, strict=True):
                rows.append({
                    "scheme": scheme, "model": model, "bin": f"{low:.1f}-{high:.1f}",
                    "count": int(count), "share": count / len(pit) if len(pit) else np.nan,
                })  # fmt: skip
    return pd.DataFrame(rows, columns=["scheme", "model", "bin", "count", "share"])


def summarise(
    forecasts: pd.DataFrame, models: Sequence[str], schemes: Sequence[str] = SCHEMES
) -> pd.DataFrame:
    """The per-scheme, per-model summary (columns in :class:`BacktestResult`)."""
    rows = []
    groups = _scored_groups(forecasts)
    totals = forecasts.groupby(["scheme", "model"]).size().to_dict() if len(forecasts) else {}
    for scheme in schemes:
        anchor = _scored(groups, ANCHOR_MODEL, scheme)
        for model in models:
            rows.append(_summary_row(totals.get((scheme, model), 0), groups, model, scheme, anchor))
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def _summary_row(n_cases: int, groups, model, scheme, anchor) -> dict:
    scored = _scored(groups, model, scheme)
    row = {
        "scheme": scheme,
        "model": model,
        "n_forecasts": len(scored),
        "n_refused": n_cases - len(scored),
    }
    for level in LEVEL_KEYS:
        row[f"coverage_{level}"] = _mean(scored, f"covered_{level}")
        row[f"interval_score_{level}"] = _mean(scored, f"interval_score_{level}")
    if len(scored):
        row["mean_width_80"] = float((scored["upper_80"] - scored["lower_80"]).mean())
        brier = ((scored["prob_increase"] - scored["increased"]) ** 2).mean()
        row["brier_increase"] = float(brier)
    else:
        row["mean_width_80"] = row["brier_increase"] = np.nan
    row["crps"] = _mean(scored, "crps")
    row["mae"] = _mean(scored, "abs_error")
    row["interval_score_80_vs_anchor"] = _vs_anchor(scored, anchor)
    return row


def _vs_anchor(scored: pd.DataFrame, anchor: pd.DataFrame) -> float:
    if not len(scored) or not len(anchor):
        return np.nan

    def by_case(frame):
        keys = zip(frame["region_name"], frame["origin"], frame["target_year"], strict=True)
        return dict(zip(keys, frame["interval_score_80"], strict=True))

    mine, theirs = by_case(scored), by_case(anchor)
    common = [k for k in mine if k in theirs]
    base = np.mean([theirs[k] for k in common]) if common else np.nan
    return float(np.mean([mine[k] for k in common]) / base) if base > 0 else np.nan


def _mean(frame: pd.DataFrame, column: str) -> float:
    return float(frame[column].mean()) if len(frame) and column in frame else np.nan


def reliability_table(
    forecasts: pd.DataFrame, models: Sequence[str], schemes: Sequence[str] = SCHEMES
) -> pd.DataFrame:
    """Reliability rows (scheme, model, kind, bin, nominal, observed, n) of per-case scores.

    ``kind == "quantile"``: for each quantile level (nominal), the share of outcomes at or below
    the forecast quantile (observed); ``kind == "increase"``: per bin of the forecast probability
    of an increase, the mean forecast probability (nominal) and the share that did increase.
    """
    rows = []
    groups = _scored_groups(forecasts)
    for scheme, model in ((s, m) for s in schemes for m in models):
        scored = _scored(groups, model, scheme)
        n = len(scored)
        for level in RELIABILITY_QUANTILES:
            observed = float((scored["pit"] <= level).mean()) if n else np.nan
            rows.append(
                {
                    "scheme": scheme,
                    "model": model,
                    "kind": "quantile",
                    "bin": f"{level:.2f}",
                    "nominal": level,
                    "observed": observed,
                    "n": n,
                }
            )
        edges = PROBABILITY_BINS
        for low, high in zip(edges[:-1], edges[1:], strict=True):
            last = high == edges[-1]
            if n:
                p = scored["prob_increase"]
                inside = scored[(p >= low) & ((p <= high) if last else (p < high))]
            else:
                inside = scored
            rows.append(
                {
                    "scheme": scheme,
                    "model": model,
                    "kind": "increase",
                    "bin": f"{low:.1f}-{high:.1f}",
                    "nominal": float(inside["prob_increase"].mean()) if len(inside) else np.nan,
                    "observed": float(inside["increased"].mean()) if len(inside) else np.nan,
                    "n": len(inside),
                }
            )
    return pd.DataFrame(
        rows, columns=["scheme", "model", "kind", "bin", "nominal", "observed", "n"]
    )


# --- synthetic calibration ---------------------------------------------------------------------
def synthetic_panel(values: dict[str, Sequence[float]], first_year: int = 2021) -> pd.DataFrame:
    """A peer panel (:func:`iid_analysis.inputs.published.peer_panel` layout) from made-up series.

    ``values`` maps a region name to its consecutive yearly values from ``first_year``; NaN
    values are left out (a gap). For tests and calibration; every row is marked SYNTHETIC.
    """
    rows = []
    for region, series in values.items():
        for offset, value in enumerate(series):
            if np.isnan(value):
                continue
            rows.append(
                {
                    "region_name": region,
                    "region_type": "kota",
                    "province": "SYNTHETIC",
                    "year": first_year + offset,
                    "iid": float(value),
                    "source_url": "SYNTHETIC",
                    "preferred": False,
                    "alternative_iid": np.nan,
                    "alternative_source_url": "",
                    "alternative_note": "",
                }
            )
    return pd.DataFrame(rows, columns=list(PANEL_COLUMNS))


# Each process draws the values of n_regions regions over n_points + 1 years (the last year is
# the outcome); the ranges keep raw-scale processes well inside 0..100.
Process = Callable[[np.random.Generator, int, int], np.ndarray]


def _trend_raw_process(rng, n_regions, n_years):
    t = np.arange(n_years)
    level = rng.uniform(35, 60, size=(n_regions, 1))
    slope = rng.uniform(-3, 6, size=(n_regions, 1))
    return level + slope * t + rng.normal(0, 3, size=(n_regions, n_years))


def _trend_logit_process(rng, n_regions, n_years):
    t = np.arange(n_years)
    level = rng.uniform(-1.0, 1.5, size=(n_regions, 1))
    slope = rng.uniform(-0.2, 0.4, size=(n_regions, 1))
    return from_logit(level + slope * t + rng.normal(0, 0.2, size=(n_regions, n_years)))


def _rw_drift_process(rng, n_regions, n_years):
    start = rng.uniform(35, 55, size=(n_regions, 1))
    drift = rng.uniform(-2, 5, size=(n_regions, 1))
    steps = drift + rng.normal(0, 4, size=(n_regions, n_years - 1))
    return np.hstack([start, start + np.cumsum(steps, axis=1)])


def _pooled_process(rng, n_regions, n_years):
    # One common drift and noise on the logit scale for every region of the panel.
    start = rng.uniform(-1.0, 1.5, size=(n_regions, 1))
    drift = rng.uniform(-0.1, 0.4)
    steps = drift + rng.normal(0, 0.3, size=(n_regions, n_years - 1))
    return from_logit(np.hstack([start, start + np.cumsum(steps, axis=1)]))


def _realistic_process(rng, n_regions, n_years):
    # Logit random walk whose drift differs between regions: no model here is exactly right.
    start = rng.normal(0.3, 0.8, size=(n_regions, 1))
    drift = rng.normal(0.2, 0.2, size=(n_regions, 1))
    steps = drift + rng.normal(0, 0.3, size=(n_regions, n_years - 1))
    return from_logit(np.hstack([start, start + np.cumsum(steps, axis=1)]))


def _shared_shock_process(rng, n_regions, n_years, shock_sd=0.3, noise_sd=0.2):
    # Logit random walk with drift whose every year adds one shock common to all regions.
    start = rng.normal(0.3, 0.8, size=(n_regions, 1))
    shocks = rng.normal(0.0, shock_sd, size=(1, n_years - 1))
    steps = 0.15 + shocks + rng.normal(0, noise_sd, size=(n_regions, n_years - 1))
    return from_logit(np.hstack([start, start + np.cumsum(steps, axis=1)]))


PROCESSES: Mapping[str, Process] = MappingProxyType({
    "trend_raw": _trend_raw_process,
    "trend_logit": _trend_logit_process,
    "rw_drift": _rw_drift_process,
    "pooled": _pooled_process,
    "realistic": _realistic_process,
    "shared_shock": _shared_shock_process,
})
"""Synthetic processes; each of the first four is the process its namesake model assumes."""

CALIBRATION_COLUMNS = (
    "process",
    "model",
    "correctly_specified",
    "n_points",
    "n_series",
    "n_refused",
    "coverage_50",
    "coverage_80",
    "coverage_90",
    "mean_width_80",
    "crps",
)


def synthetic_calibration(
    n_series: int = 500,
    seed: int = 0,
    n_points: int = 3,
    n_regions: int = 3,
    processes: Sequence[str] = tuple(PROCESSES),
    models: Sequence[str] = BACKTEST_MODELS,
    n_draws: int = 2000,
) -> pd.DataFrame:
    """Interval coverage on ``n_series`` synthetic panels per process, one year ahead.

    Each panel has ``n_regions`` regions with ``n_points`` consecutive points (the published
    panel: 3 regions x 3 points) and one more year held out; the first region is forecast, the
    others form the peer panel. Under its own process (``correctly_specified``) a model's
    coverage_80 should be near 0.80, within Monte Carlo error sqrt(0.16 / n_series).

    Returns one row per process and model; columns: process, model, correctly_specified (bool),
    n_points, n_series (forecasts scored), n_refused, coverage_50, coverage_80, coverage_90,
    mean_width_80 (IID points), crps (IID points).
    """
    _check_models(tuple(models), n_draws)
    unknown = [p for p in processes if p not in PROCESSES]
    if unknown:
        raise UsageError(
            f"unknown process(es) {', '.join(unknown)} (known: {', '.join(PROCESSES)})"
        )
    if n_series < 1 or n_points < 1 or n_regions < 1:
        raise UsageError("n_series, n_points and n_regions must be at least 1")
    rows = []
    gate = SkillGate()
    for process in processes:
        rng = np.random.default_rng([int(seed), zlib.crc32(process.encode())])
        scores = []
        for i in range(n_series):
            values = PROCESSES[process](rng, n_regions, n_points + 1)
            names = [f"R{k}" for k in range(n_regions)]
            panel = synthetic_panel(dict(zip(names, values[:, :-1], strict=True)))
            series = series_from_panel(names[0], panel)
            observed = float(values[0, -1])
            draws, refused = _model_draws(
                series, 2021 + n_points, panel, tuple(models), (int(seed), i), n_draws, gate
            )
            for model in models:
                if model in draws:
                    scores.append({"model": model, **score_forecast(draws[model], observed, 0.0)})
                else:
                    scores.append({"model": model, "refused": 1})
        rows.extend(_calibration_rows(pd.DataFrame(scores), process, models, n_points))
    return pd.DataFrame(rows, columns=list(CALIBRATION_COLUMNS))


def _calibration_rows(scores: pd.DataFrame, process: str, models, n_points: int) -> list[dict]:
    rows = []
    for model in models:
        cases = scores[scores["model"] == model]
        scored = cases[cases["refused"].isna()] if "refused" in cases else cases
        rows.append(
            {
                "process": process,
                "model": model,
                "correctly_specified": model == process,
                "n_points": n_points,
                "n_series": len(scored),
                "n_refused": len(cases) - len(scored),
                "coverage_50": _mean(scored, "covered_50"),
                "coverage_80": _mean(scored, "covered_80"),
                "coverage_90": _mean(scored, "covered_90"),
                "mean_width_80": float((scored["upper_80"] - scored["lower_80"]).mean())
                if len(scored)
                else np.nan,
                "crps": _mean(scored, "crps"),
            }
        )
    return rows


SHOCK_COLUMNS = (
    "model", "n_panels", "n_forecasts", "coverage_80", "yearly_coverage_80_mad",
    "interval_score_80", "interval_score_80_vs_anchor", "mean_width_80", "crps",
)  # fmt: skip


def shock_calibration(
    n_panels: int = 40,
    n_regions: int = 30,
    n_years: int = 6,
    shock_sd: float = 0.3,
    noise_sd: float = 0.2,
    seed: int = 0,
    models: Sequence[str] = (ANCHOR_MODEL, "pooled_shock", ENSEMBLE),
    n_draws: int = 2000,
) -> pd.DataFrame:
    """Coverage on panels with shared yearly shocks, every region forecast one year ahead.

    Each panel: ``n_regions`` logit random walks with drift 0.15, a shock N(0, shock_sd^2) per
    year common to all, noise N(0, noise_sd^2); the last year is held out. ``coverage_80`` pools
    every forecast; ``yearly_coverage_80_mad`` is the mean absolute deviation from 0.80 of each
    panel's held-out-year coverage (how far coverage counted year by year strays from nominal);
    ``interval_score_80_vs_anchor`` the model's mean 80 % interval score over the anchor's.
    Returns one row per model (columns :data:`SHOCK_COLUMNS`).
    """
    _check_models(tuple(models), n_draws)
    rng = np.random.default_rng([int(seed), zlib.crc32(b"shared_shock")])
    names = [f"R{k:03d}" for k in range(n_regions)]
    scores = []
    gate = SkillGate()
    for i in range(n_panels):
        values = _shared_shock_process(rng, n_regions, n_years, shock_sd, noise_sd)
        panel = synthetic_panel(dict(zip(names, values[:, :-1], strict=True)))
        for k, name in enumerate(names):
            series = series_from_panel(name, panel)
            draws, _ = _model_draws(
                series, 2020 + n_years, panel, tuple(models), (int(seed), i, k), n_draws, gate
            )
            for model, sample in draws.items():
                row = score_forecast(sample, float(values[k, -1]), series.last_value)
                scores.append({"model": model, "panel": i, "region": k, **row})
    frame = pd.DataFrame(scores)
    anchor = frame[frame["model"] == ANCHOR_MODEL]["interval_score_80"].mean()
    rows = []
    for model in models:
        mine = frame[frame["model"] == model]
        yearly = mine.groupby("panel")["covered_80"].mean()
        rows.append({
            "model": model, "n_panels": n_panels, "n_forecasts": len(mine),
            "coverage_80": _mean(mine, "covered_80"),
            "yearly_coverage_80_mad": float(np.mean(np.abs(yearly - 0.8))),
            "interval_score_80": _mean(mine, "interval_score_80"),
            "interval_score_80_vs_anchor": _mean(mine, "interval_score_80") / anchor,
            "mean_width_80": float((mine["upper_80"] - mine["lower_80"]).mean()),
            "crps": _mean(mine, "crps"),
        })  # fmt: skip
    return pd.DataFrame(rows, columns=list(SHOCK_COLUMNS))


__all__ = [
    "BacktestResult",
    "PROCESSES",
    "backtest",
    "backtest_cases",
    "backtest_statement",
    "crps_from_draws",
    "score_forecast",
    "synthetic_calibration",
    "synthetic_panel",
    "interval_score",
    "pit_histogram",
    "shock_calibration",
]
