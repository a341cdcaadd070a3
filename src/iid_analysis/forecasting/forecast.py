"""Forecasting a region's IID for a later year, with the uncertainty three points really leave.

Models (each gives seeded draws of the target year's IID on the 0..100 scale):

``rw_drift``
    Random walk with drift on the raw scale (naive baseline): the yearly changes are
    ``drift x gap + noise``, fitted by statsmodels WLS; needs 3 points (1 residual df).
``trend_raw``
    Linear trend in the year by OLS; the predictive distribution is Student t with the OLS
    prediction (``get_prediction(...).summary_frame()`` ``obs_ci_*``); needs 3 points.
``trend_logit``
    The same trend on ``logit(IID/100)``; back-transformed, so it stays inside 0..100 and its
    point forecast is a median.
``pooled``
    Borrows strength across every region with published 0..100 scores: a pooled OLS of the
    year-on-year change of ``logit(IID/100)`` on its level, over all consecutive-year pairs in the
    panel (the level term only with at least :data:`POOLED_MIN_PAIRS_FOR_LEVEL` pairs, otherwise a
    common drift). Forecasts any region with one published point. Multi-year horizons are
    simulated step by step with parameter uncertainty (flat-prior posterior of the OLS).
``pooled_shock``
    The panel with a shared yearly shock: change_it = drift + reversion x (level - centre) +
    shock_t + noise_it (:func:`fit_shock_panel`, a moment method; pull towards the mean only with
    :data:`POOLED_MIN_PAIRS_FOR_LEVEL` pairs). Falls back to ``pooled`` with changes in fewer than
    :data:`SHOCK_MIN_YEARS` years (the published panel has two). Its forecast draws the variances
    under the prior 1/sigma^2 on each standard deviation (:data:`SCORE_PRIOR_EXTRA_DF`): with the
    interval score and the CRPS, which scale with the data, that predictive is the best
    scale-equivariant one at every true variance; Jeffreys' prior (the exact t interval) is best
    for the log score and, with the shock variance on 3 df, gives wider intervals that score worse
    (docs/forecasting.md: 80 % coverage 82-85 % and interval score 1.00-1.04x the anchor's, against
    77-79 % and 0.98x with this prior, on synthetic shared-shock panels).
``damped_ets``
    Damped-trend exponential smoothing (statsmodels ETSModel). It has 5 parameters, so on the 3
    published points it would fit with no residual degree of freedom and intervals far too narrow:
    it is refused below 6 points and is not part of the default ensemble.

The default forecast is ``ensemble``: a mixture of the models in :data:`ENSEMBLE_MODELS`
(``trend_logit`` and ``pooled_shock``, the two that respect the 0..100 bounds) weighted by
:func:`gated_weights`: credibility df / (df + 4) (:func:`evidence_weights`) over the models the
backtest could check on the panel and that pass the skill gate (with at least
:data:`GATE_MIN_CASES` rolling-origin cases on the panel, an 80 % interval score no worse than the
anchor's there; if none passes, the anchor carries the forecast). The raw-scale models are
baselines, reported beside it: they put probability beyond 100 (clipped to a spike at 100).

Guards: a model with more parameters than the series supports (fewer than
:data:`MIN_RESIDUAL_DF` residual degrees of freedom) raises :class:`ModelRefusedError` with a
reason; the ensemble records the reason and goes on without it.
"""

from __future__ import annotations

import hashlib
import warnings
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np
import pandas as pd
from scipy import special
from statsmodels.regression.linear_model import OLS, WLS
from statsmodels.tools.tools import add_constant

from ..errors import IIDError, UnknownYearError, UsageError
from ..inputs.published import (
    PREFER_ALTERNATIVE,
    PREFER_DECREE,
    PREFERENCES,
    RegionSeries,
    load_innovation_counts,
    load_published_scores,
    not_reported,
    peer_panel,
    region_innovation_counts,
    series_from_panel,
)
from ..methodology import BAND_RULES, PREDICATES, Methodology, known_years, load_methodology
from ..scoring import classify, round_published
from ..wording import describe_probability, format_number, format_percent

QUANTILE_LEVELS = (0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)
DEFAULT_N_DRAWS = 10_000
MIN_N_DRAWS = 100
MIN_RESIDUAL_DF = 1
"""A model is refused unless the series leaves it at least this many residual degrees of freedom."""

LOGIT_MARGIN = 0.005
"""Before the logit, IID/100 is squeezed linearly onto [0.005, 0.995], so 0 and 100 stay finite
(logit -5.29 and 5.29) and map back onto 0 and 100 exactly."""

POOLED_MIN_PAIRS_FOR_LEVEL = 20
"""The pooled model estimates the level term only with this many consecutive-year pairs. The
published panel has 6 pairs from 3 regions; a slope on level fitted to them is set by one or two
regions and extrapolates wildly to regions outside their range (Kota Pasuruan at 13.6)."""

ENSEMBLE = "ensemble"
ENSEMBLE_MODELS = ("trend_logit", "pooled_shock")
"""The default mixture: the models that respect the 0..100 bounds, weighted by
:func:`evidence_weights`. The raw-scale models are baselines: they put probability on values
beyond 100 (clipped to a spike at 100)."""
ANCHOR_MODEL = "pooled"
"""The naive anchor every backtest compares with: a pooled logit random walk with drift."""
BASELINE_MODELS = ("rw_drift", "trend_raw")
DEFAULT_MODELS = (*BASELINE_MODELS, "trend_logit", ANCHOR_MODEL, "pooled_shock")
"""Every model the backtest evaluates by default (``damped_ets`` is refused on 3..5 points)."""
MODEL_MIN_POINTS = MappingProxyType(
    {"rw_drift": 3, "trend_raw": 3, "trend_logit": 3, "pooled": 1, "pooled_shock": 1,
     "damped_ets": 6}
)  # fmt: skip
"""Points of its own a model needs; the pooled models also need 2 pairs in the panel."""
PANEL_MODELS = ("pooled", "pooled_shock")
WEIGHT_HALF_DF = 4
"""A model's credibility is df / (df + WEIGHT_HALF_DF), df its residual degrees of freedom: a
trend on 3 points (1 df) gets 0.2, a pooled fit with many pairs close to 1; weights are the
credibilities normalised to sum 1."""
SMALL_SERIES = 5
"""A series with this many points or fewer gets an explicit warning in the notes."""


class ModelRefusedError(IIDError):
    """The series cannot support the model (too few points for its parameters)."""


# --- scales ----------------------------------------------------------------------------------
def to_logit(iid) -> np.ndarray:
    """``logit(m + (1 - 2m) IID/100)`` with m = LOGIT_MARGIN (finite at 0 and 100)."""
    share = np.clip(np.asarray(iid, dtype=float) / 100.0, 0.0, 1.0)
    return special.logit(LOGIT_MARGIN + (1.0 - 2.0 * LOGIT_MARGIN) * share)


def from_logit(z) -> np.ndarray:
    """The inverse of :func:`to_logit`, clipped to 0..100 (beyond +-5.29 lies the bound)."""
    share = (special.expit(np.asarray(z, dtype=float)) - LOGIT_MARGIN) / (1.0 - 2.0 * LOGIT_MARGIN)
    return 100.0 * np.clip(share, 0.0, 1.0)


def _clip_iid(values: np.ndarray) -> np.ndarray:
    # Raw-scale models know no bounds; the published IID cannot leave 0..100, so mass beyond the
    # bounds is put on them (censoring).
    return np.clip(values, 0.0, 100.0)


def model_rng(seed: int | Sequence[int], name: str) -> np.random.Generator:
    """The generator of one model: seeded by ``seed`` and a stable hash of the model's name."""
    words = [int(seed)] if np.isscalar(seed) else [int(s) for s in seed]
    return np.random.default_rng([*words, zlib.crc32(name.encode())])


# --- one model's forecast ----------------------------------------------------------------------
@dataclass(frozen=True)
class ModelForecast:
    """One model's predictive distribution of the target year's IID, as seeded draws.

    ``draws`` are on the 0..100 scale; ``n_obs`` counts the observations the model was fitted to
    (points for the trend models, changes for ``rw_drift`` and ``pooled``), ``n_params`` its mean
    parameters, ``residual_df`` what is left for the noise; ``scale`` is ``"raw"`` or ``"logit"``.
    """

    name: str
    draws: np.ndarray = field(repr=False, compare=False)
    n_obs: int
    n_params: int
    residual_df: int
    scale: str
    description: str

    def quantile(self, level: float) -> float:
        return float(np.quantile(self.draws, level))

    @property
    def median(self) -> float:
        return self.quantile(0.5)


_SINGULAR = {
    "points": "point",
    "parameters": "parameter",
    "year-on-year changes": "year-on-year change",
    "consecutive-year pairs in the panel": "consecutive-year pair in the panel",
    "residual degrees of freedom": "residual degree of freedom",
    "cases": "case",
    "target years": "target year",
}


def _count(n: int, plural: str) -> str:
    """``n`` and the noun, in the singular when n == 1 ("1 point", "3 points")."""
    return f"{n} {_SINGULAR.get(plural, plural) if n == 1 else plural}"


def require_residual_df(name: str, n_obs: int, n_params: int, what: str = "points") -> int:
    """Residual df ``n_obs - n_params``; raises :class:`ModelRefusedError` below MIN_RESIDUAL_DF.

    ``what`` names the observations in the plural (e.g. "year-on-year changes").
    """
    df = n_obs - n_params
    if df < MIN_RESIDUAL_DF:
        raise ModelRefusedError(
            f"{name} has {_count(n_params, 'parameters')} and {_count(n_obs, what)}: it needs at "
            f"least {_count(n_params + MIN_RESIDUAL_DF, what)} to leave "
            f"{_count(MIN_RESIDUAL_DF, 'residual degrees of freedom')} (otherwise it fits exactly "
            "and its intervals mean nothing)"
        )
    return df


NOISE_FLOOR = {"raw": 1e-6, "logit": 1e-8}
"""Residual variances at or below these are zero up to rounding (IID points^2, logit^2)."""


def require_noise(name: str, residual_variance: float, scale: str) -> None:
    """Raise :class:`ModelRefusedError` when the fit left no residual variance.

    A perfectly flat or straight series gives a zero-width prediction interval, which would claim
    certainty that three points cannot give.
    """
    if not residual_variance > NOISE_FLOOR[scale]:
        raise ModelRefusedError(
            f"{name} fits the data exactly (residual variance 0), so it cannot state any "
            "uncertainty"
        )


def _t_draws(rng, n: int, loc: float, scale: float, df: float) -> np.ndarray:
    return loc + scale * rng.standard_t(df, size=n)


def _horizon(series: RegionSeries, target_year: int) -> int:
    h = int(target_year) - series.last_year
    if h < 1:
        raise UsageError(
            f"target year {target_year} must be after the last year used ({series.last_year})"
        )
    return h


def fit_rw_drift(
    series: RegionSeries,
    target_year: int,
    panel: pd.DataFrame,
    rng: np.random.Generator,
    n_draws: int,
) -> ModelForecast:
    """Random walk with drift: change over a gap of g years ~ N(drift x g, sigma^2 x g)."""
    h = _horizon(series, target_year)
    years, values = series.as_arrays()
    gaps, changes = np.diff(years), np.diff(values)
    df = require_residual_df("rw_drift", len(changes), 1, what="year-on-year changes")
    fit = WLS(changes, gaps[:, None], weights=1.0 / gaps).fit()
    require_noise("rw_drift", fit.scale, "raw")
    # A new change over h years has weight 1/h: statsmodels adds scale x h to the mean variance.
    prediction = fit.get_prediction(np.array([[h]], dtype=float), weights=np.array([1.0 / h]))
    loc = series.last_value + float(prediction.predicted_mean[0])
    draws = _t_draws(rng, n_draws, loc, float(prediction.se_obs[0]), df)
    return ModelForecast(
        "rw_drift", _clip_iid(draws), len(changes), 1, df, "raw",
        "random walk with drift (raw scale)",
    )  # fmt: skip


def _trend(series, target_year, rng, n_draws, *, logit: bool) -> ModelForecast:
    name = "trend_logit" if logit else "trend_raw"
    _horizon(series, target_year)
    years, values = series.as_arrays()
    df = require_residual_df(name, len(values), 2)
    scale = "logit" if logit else "raw"
    response = to_logit(values) if logit else values
    # Years measured from the last one, so the intercept is the fitted latest level.
    exog = add_constant(years - series.last_year, has_constant="add")
    fit = OLS(response, exog).fit()
    require_noise(name, fit.scale, scale)
    new = np.array([[1.0, float(target_year - series.last_year)]])
    prediction = fit.get_prediction(new)
    frame = prediction.summary_frame(alpha=0.2)
    # The 80 % obs_ci of summary_frame is mean +- t(0.9, df) x se_obs: recover se_obs from it, so
    # the draws reproduce statsmodels' prediction interval exactly.
    t90 = float(np.asarray(special.stdtrit(df, 0.9)))
    se_obs = float(frame["obs_ci_upper"].iloc[0] - frame["mean"].iloc[0]) / t90
    draws = _t_draws(rng, n_draws, float(frame["mean"].iloc[0]), se_obs, df)
    draws = from_logit(draws) if logit else _clip_iid(draws)
    return ModelForecast(
        name, draws, len(values), 2, df, scale, f"linear trend by OLS ({scale} scale)"
    )


def fit_trend_raw(
    series: RegionSeries,
    target_year: int,
    panel: pd.DataFrame,
    rng: np.random.Generator,
    n_draws: int,
) -> ModelForecast:
    """Linear trend by OLS on the raw scale, Student t prediction (statsmodels obs_ci)."""
    return _trend(series, target_year, rng, n_draws, logit=False)


def fit_trend_logit(
    series: RegionSeries,
    target_year: int,
    panel: pd.DataFrame,
    rng: np.random.Generator,
    n_draws: int,
) -> ModelForecast:
    """Linear trend by OLS on logit(IID/100), Student t prediction, back-transformed."""
    return _trend(series, target_year, rng, n_draws, logit=True)


def consecutive_pairs(panel: pd.DataFrame) -> pd.DataFrame:
    """Consecutive-year pairs of every region in a panel, on the logit scale.

    Columns: region_name, year (of the second point), level (logit of the first), change
    (logit difference).
    """
    region = panel["region_name"].to_numpy()
    year = panel["year"].to_numpy()
    order = np.lexsort((year, region))
    region, year = region[order], year[order]
    iid = panel["iid"].to_numpy(dtype=float)[order]
    keep = (region[1:] == region[:-1]) & (year[1:] - year[:-1] == 1)
    level = to_logit(iid[:-1][keep])
    return pd.DataFrame(
        {
            "region_name": region[1:][keep],
            "year": year[1:][keep],
            "level": level,
            "change": to_logit(iid[1:][keep]) - level,
        }
    )


def fit_pooled(
    series: RegionSeries,
    target_year: int,
    panel: pd.DataFrame,
    rng: np.random.Generator,
    n_draws: int,
) -> ModelForecast:
    """Pooled change-on-level regression on the logit scale over every region of ``panel``."""
    h = _horizon(series, target_year)
    n, n_params, df, n_regions, scale, params, root = _panel_memo(panel, "pooled", _pooled_fit)
    with_level = n_params == 2
    # Flat-prior posterior of (beta, sigma): sigma^2 = s^2 df / chi2_df and
    # beta | sigma ~ N(beta_hat, sigma^2 (X'X)^-1); for h = 1 the predictive is exactly the
    # Student t of the OLS prediction interval.
    sigma = np.sqrt(scale * df / rng.chisquare(df, size=n_draws))
    beta = (
        params[None, :] + (rng.standard_normal((n_draws, n_params)) @ root.T) * sigma[:, None]
    )
    z = np.full(n_draws, float(to_logit(series.last_value)))
    for _ in range(h):
        mean_change = beta[:, 0] + (beta[:, 1] * z if with_level else 0.0)
        z = z + mean_change + sigma * rng.standard_normal(n_draws)
    form = "change ~ level" if with_level else "common drift"
    return ModelForecast(
        "pooled", from_logit(z), n, n_params, df, "logit",
        f"pooled regression over {n_regions} regions, {n} pairs ({form}, logit scale)",
    )  # fmt: skip


def _pooled_fit(panel: pd.DataFrame) -> tuple:
    """The panel part of :func:`fit_pooled`: (number of pairs, of parameters, residual df,
    regions, s^2, estimates, Cholesky root of (X'X)^-1); raises :class:`ModelRefusedError` as
    the model does."""
    pairs = consecutive_pairs(panel)
    n = len(pairs)
    with_level = n >= POOLED_MIN_PAIRS_FOR_LEVEL
    n_params = 2 if with_level else 1
    df = require_residual_df("pooled", n, n_params, what="consecutive-year pairs in the panel")
    exog = (
        add_constant(pairs["level"].to_numpy(), has_constant="add")
        if with_level
        else np.ones((n, 1))
    )
    fit = OLS(pairs["change"].to_numpy(), exog).fit()
    require_noise("pooled", fit.scale, "logit")
    root = np.linalg.cholesky(np.linalg.inv(exog.T @ exog))
    n_regions = int(pairs["region_name"].nunique())
    return n, n_params, df, n_regions, float(fit.scale), np.asarray(fit.params), root


_MEMO: dict[int, tuple[pd.DataFrame, dict]] | None = None
"""Panel fits by panel, only while the skill gate's backtest runs (:func:`_gate_backtest`): its
cases share one panel per origin, which nothing mutates meanwhile; None otherwise."""


def _panel_memo(panel: pd.DataFrame, key: str, compute: Callable[[pd.DataFrame], object]):
    """``compute(panel)``, remembered (result or refusal) while :data:`_MEMO` is active."""
    if _MEMO is None:
        return compute(panel)
    _, known = _MEMO.setdefault(id(panel), (panel, {}))  # the panel kept alive: ids stay unique
    if key not in known:
        try:
            known[key] = compute(panel)
        except ModelRefusedError as exc:
            known[key] = exc
    if isinstance(known[key], ModelRefusedError):
        raise known[key]
    return known[key]


SHOCK_MIN_YEARS = 3
"""``pooled_shock`` estimates the variance of the shared yearly shock only from at least this many
years of changes (2 degrees of freedom); with fewer it falls back to ``pooled``."""

SCORE_PRIOR_EXTRA_DF = 1
"""Degrees of freedom the forecast's variance draws gain from the prior 1/sigma^2 on each standard
deviation (instead of Jeffreys' 1/sigma): a variance estimated with df degrees of freedom, s^2, is
drawn as df s^2 / chi2(df + 1). Forecasts are judged by the interval score and the CRPS, which
grow in proportion to the scale; for such scores the best forecast among those that scale with the
data (the minimum-risk equivariant one, at every true variance) is the Bayes predictive under this
prior, not under Jeffreys' (which is best for the log score and gives the exact t interval). It
matters with few years (df 3: the 80 % half-width is 19 % narrower than the t's) and vanishes with
many."""


@dataclass(frozen=True)
class ShockFit:
    """The panel fit of ``pooled_shock`` on the logit scale (see :func:`fit_shock_panel`).

    change_it = drift + reversion x (level_i,t-1 - centre) + shock_t + noise_it, with
    shock_t ~ N(0, shock_var) shared by every region in year t and noise_it ~ N(0, noise_var).
    ``year_effects``: year -> estimated drift + shock_t; ``effect_var``: their sample variance
    (estimates shock_var + noise_var x mean(1 / pairs in a year)); ``noise_df`` and ``n_years - 1``
    are the degrees of freedom of the two variances. ``reversion`` is 0 unless the panel has
    :data:`POOLED_MIN_PAIRS_FOR_LEVEL` pairs.
    """

    n_pairs: int
    n_regions: int
    n_years: int
    drift: float
    reversion: float
    reversion_se: float
    centre: float
    noise_var: float
    noise_df: int
    year_effects: Mapping[int, float]
    effect_var: float
    noise_share: float
    """mean over years of 1 / (pairs in the year): a year effect's noise variance / noise_var."""

    @property
    def shock_var(self) -> float:
        """Method-of-moments estimate of the shock variance, truncated at 0."""
        return max(self.effect_var - self.noise_var * self.noise_share, 0.0)

    def draw(self, rng: np.random.Generator, n: int, extra_df: int = 0) -> dict[str, np.ndarray]:
        """Draws of (noise_var, effect_var, shock_var, drift, reversion): scaled inverse
        chi-square variances, df s^2 / chi2(df + extra_df), then normal drift and reversion.

        ``extra_df`` 0 is the sampling (Jeffreys) distribution, whose intervals for a variance are
        the exact chi-square confidence intervals; the forecast uses
        :data:`SCORE_PRIOR_EXTRA_DF`."""
        noise = self.noise_var * self.noise_df / rng.chisquare(self.noise_df + extra_df, size=n)
        df = self.n_years - 1
        effect = self.effect_var * df / rng.chisquare(df + extra_df, size=n)
        shock = np.maximum(effect - noise * self.noise_share, 0.0)
        drift = self.drift + np.sqrt(effect / self.n_years) * rng.standard_normal(n)
        reversion = self.reversion + self.reversion_se * rng.standard_normal(n)
        return {
            "noise_var": noise, "effect_var": effect, "shock_var": shock, "drift": drift,
            "reversion": np.minimum(reversion, 0.0) if self.reversion_se else reversion,
        }  # fmt: skip

    def shock_var_interval(self, level: float = 0.9, n: int = 20_000, seed: int = 0):
        """Central ``level`` interval of the shock variance's sampling distribution."""
        shock = self.draw(np.random.default_rng(seed), n)["shock_var"]
        low, high = np.quantile(shock, [(1 - level) / 2, (1 + level) / 2])
        return float(low), float(high)


def fit_shock_panel(panel: pd.DataFrame) -> ShockFit:
    """Fit the shared-shock model to every consecutive-year pair of ``panel`` (logit scale).

    A simple moment method that is exact in small samples for the balanced case: year effects
    by within-year means (with a common slope on the centred level when there are
    :data:`POOLED_MIN_PAIRS_FOR_LEVEL` pairs), the noise variance from the within-year residuals,
    the shock variance from the spread of the year effects. Raises :class:`ModelRefusedError`
    when fewer than :data:`SHOCK_MIN_YEARS` years or no within-year residual df.
    """
    pairs = consecutive_pairs(panel)
    years = np.sort(pairs["year"].unique())
    n, n_years = len(pairs), len(years)
    if n_years < SHOCK_MIN_YEARS:
        raise ModelRefusedError(
            f"pooled_shock needs changes in at least {SHOCK_MIN_YEARS} years to estimate the "
            f"shared yearly shock; the panel has {_count(n_years, 'years')}"
        )
    with_level = n >= POOLED_MIN_PAIRS_FOR_LEVEL
    n_params = n_years + int(with_level)
    noise_df = require_residual_df(
        "pooled_shock", n, n_params, what="consecutive-year pairs in the panel"
    )
    index = np.searchsorted(years, pairs["year"].to_numpy())
    dummies = np.zeros((n, n_years))
    dummies[np.arange(n), index] = 1.0
    level = pairs["level"].to_numpy()
    centre = float(level.mean())
    exog = np.hstack([dummies, (level - centre)[:, None]]) if with_level else dummies
    change = pairs["change"].to_numpy()
    beta, *_ = np.linalg.lstsq(exog, change, rcond=None)
    noise_var = float(np.sum((change - exog @ beta) ** 2) / noise_df)
    require_noise("pooled_shock", noise_var, "logit")
    effects = beta[:n_years]
    per_year = np.bincount(index, minlength=n_years)
    reversion = float(beta[-1]) if with_level else 0.0
    reversion_se = (
        float(np.sqrt(noise_var * np.linalg.inv(exog.T @ exog)[-1, -1])) if with_level else 0.0
    )
    return ShockFit(
        n_pairs=n, n_regions=int(pairs["region_name"].nunique()), n_years=n_years,
        drift=float(effects.mean()), reversion=reversion, reversion_se=reversion_se,
        centre=centre, noise_var=noise_var, noise_df=noise_df,
        year_effects=MappingProxyType(dict(zip(years.tolist(), effects.tolist(), strict=True))),
        effect_var=float(np.var(effects, ddof=1)), noise_share=float(np.mean(1.0 / per_year)),
    )  # fmt: skip


def fit_pooled_shock(
    series: RegionSeries,
    target_year: int,
    panel: pd.DataFrame,
    rng: np.random.Generator,
    n_draws: int,
) -> ModelForecast:
    """Pooled model with a shared yearly shock and (with enough pairs) pull towards the mean.

    Each simulated year adds drift + reversion x (z - centre) + a new shock + the region's noise,
    with the parameters drawn from their posterior under the prior of
    :data:`SCORE_PRIOR_EXTRA_DF`, so the horizon widens the interval as the model implies.
    Falls back to :func:`fit_pooled` (same draws) when the panel has fewer than
    :data:`SHOCK_MIN_YEARS` years of changes.
    """
    h = _horizon(series, target_year)
    try:
        fit = _panel_memo(panel, "pooled_shock", fit_shock_panel)
    except ModelRefusedError as exc:
        base = fit_pooled(series, target_year, panel, rng, n_draws)
        return replace(
            base, name="pooled_shock",
            description=f"{base.description}; fallback: {exc}",
        )  # fmt: skip
    p = fit.draw(rng, n_draws, extra_df=SCORE_PRIOR_EXTRA_DF)
    z = np.full(n_draws, float(to_logit(series.last_value)))
    shock_sd, noise_sd = np.sqrt(p["shock_var"]), np.sqrt(p["noise_var"])
    for _ in range(h):
        mean_change = p["drift"] + p["reversion"] * (z - fit.centre)
        z = z + mean_change + shock_sd * rng.standard_normal(n_draws)
        z = z + noise_sd * rng.standard_normal(n_draws)
    form = "drift, shared yearly shock" + (", pull towards the mean" if fit.reversion_se else "")
    return ModelForecast(
        "pooled_shock", from_logit(z), fit.n_pairs, fit.n_years + int(bool(fit.reversion_se)),
        fit.noise_df, "logit",
        f"pooled over {fit.n_regions} regions, {fit.n_pairs} pairs in {fit.n_years} years ({form}; "
        "logit scale)",
    )  # fmt: skip


def national_distribution(summary: pd.DataFrame | None = None) -> pd.DataFrame:
    """The national distribution of logit(IID/100) implied by the predicate band counts.

    For each 0..100 year with counts of Kurang Inovatif, Inovatif and Sangat Inovatif in
    ``national_summary.csv`` (2021, 2022), a normal on the logit scale is fitted exactly through
    the two band edges of that year's rules: the shares below the Inovatif and the Sangat Inovatif
    edges fix its mean and sd (regions scored 0 are left out, as everywhere). Columns: year,
    n_scored, mean_logit, sd_logit, shift (mean change from the previous row's year; NaN first).
    """
    from scipy import stats

    from ..inputs.published import load_national_summary

    summary = load_national_summary() if summary is None else summary
    columns = ["n_kurang_inovatif", "n_inovatif", "n_sangat_inovatif"]
    rows = []
    for row in summary[summary["scale"] == "index_0_100"].itertuples():
        counts = [getattr(row, c) for c in columns]
        if any(pd.isna(c) for c in counts):
            continue
        bands = load_methodology(int(row.year)).bands
        n = float(sum(counts))
        z = stats.norm.ppf([counts[0] / n, (counts[0] + counts[1]) / n])
        edges = to_logit([bands["Inovatif"], bands["Sangat Inovatif"]])
        sd = float((edges[1] - edges[0]) / (z[1] - z[0]))
        rows.append({"year": int(row.year), "n_scored": int(n),
                     "mean_logit": float(edges[0] - sd * z[0]), "sd_logit": sd})  # fmt: skip
    frame = pd.DataFrame(rows, columns=["year", "n_scored", "mean_logit", "sd_logit"])
    frame["shift"] = frame["mean_logit"].diff()
    return frame


ETS_PARAMS = 5  # smoothing level, trend, damping, initial level, initial trend


def fit_damped_ets(
    series: RegionSeries,
    target_year: int,
    panel: pd.DataFrame,
    rng: np.random.Generator,
    n_draws: int,
) -> ModelForecast:
    """Damped-trend ETS (additive errors); refused below ETS_PARAMS + MIN_RESIDUAL_DF points."""
    from statsmodels.tools.sm_exceptions import ConvergenceWarning
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    h = _horizon(series, target_year)
    years, values = series.as_arrays()
    if np.any(np.diff(years) != 1):
        raise ModelRefusedError("damped_ets needs consecutive years")
    df = require_residual_df("damped_ets", len(values), ETS_PARAMS)
    with warnings.catch_warnings():
        # Expected on short series: the optimiser's convergence notice; anything else shows.
        warnings.simplefilter("ignore", ConvergenceWarning)
        fit = ETSModel(values, error="add", trend="add", damped_trend=True).fit(disp=False)
        paths = fit.simulate(h, anchor="end", repetitions=n_draws, rng=rng)
    draws = np.asarray(paths, dtype=float).reshape(h, n_draws)[-1]
    return ModelForecast(
        "damped_ets", _clip_iid(draws), len(values), ETS_PARAMS, df, "raw",
        "damped-trend ETS (no parameter uncertainty)",
    )  # fmt: skip


ModelFit = Callable[[RegionSeries, int, pd.DataFrame, np.random.Generator, int], ModelForecast]
MODELS: Mapping[str, ModelFit] = MappingProxyType(
    {
        "rw_drift": fit_rw_drift,
        "trend_raw": fit_trend_raw,
        "trend_logit": fit_trend_logit,
        "pooled": fit_pooled,
        "pooled_shock": fit_pooled_shock,
        "damped_ets": fit_damped_ets,
    }
)
MODEL_NAMES = (*MODELS, ENSEMBLE)


def fit_models(
    series: RegionSeries,
    target_year: int,
    panel: pd.DataFrame,
    names: Sequence[str] = ENSEMBLE_MODELS,
    *,
    seed: int | Sequence[int] = 0,
    n_draws: int = DEFAULT_N_DRAWS,
) -> tuple[dict[str, ModelForecast], dict[str, str]]:
    """Fit each named model; returns (forecasts by name, refusal reasons by name).

    ``panel`` must already hold only the data usable at the forecast origin.
    """
    fitted: dict[str, ModelForecast] = {}
    refused: dict[str, str] = {}
    for name in names:
        if name not in MODELS:
            raise UsageError(f"unknown model '{name}' (known: {', '.join(MODELS)})")
        try:
            fitted[name] = MODELS[name](series, target_year, panel, model_rng(seed, name), n_draws)
        except ModelRefusedError as exc:
            refused[name] = str(exc)
    return fitted, refused


def mix_draws(
    forecasts: Mapping[str, ModelForecast], weights: Mapping[str, float], n_draws: int
) -> np.ndarray:
    """A mixture of the models' draws: ``round(weight x n_draws)`` draws from each (largest
    remainders make the counts add up to ``n_draws``)."""
    names = [n for n in forecasts if weights.get(n, 0.0) > 0]
    share = np.array([weights[n] for n in names], dtype=float)
    share = share / share.sum()
    counts = np.floor(share * n_draws).astype(int)
    remainder = share * n_draws - counts
    counts[np.argsort(-remainder, kind="stable")[: n_draws - counts.sum()]] += 1
    return np.concatenate([forecasts[n].draws[:c] for n, c in zip(names, counts, strict=True)])


def equal_weights(available: Sequence[str]) -> dict[str, float]:
    """Equal weights over the models not refused."""
    return {name: 1.0 / len(available) for name in available}


def credibility(residual_df: float) -> float:
    """df / (df + :data:`WEIGHT_HALF_DF`): 0 with no residual df, 1/2 at WEIGHT_HALF_DF."""
    return max(float(residual_df), 0.0) / (max(float(residual_df), 0.0) + WEIGHT_HALF_DF)


def backtest_support(panel: pd.DataFrame, models: Sequence[str]) -> dict[str, int]:
    """Model -> how many rolling-origin backtest cases of ``panel`` it could be fitted to.

    A case is a region, an origin year and a later published year of that region; a model can
    be fitted when the region has :data:`MODEL_MIN_POINTS` points up to the origin (and, for the
    pooled models, the panel up to the origin has at least 2 consecutive-year pairs).
    """
    support = dict.fromkeys(models, 0)
    region = panel["region_name"].to_numpy()
    year = panel["year"].to_numpy()
    order = np.lexsort((year, region))
    region, year = region[order], year[order]
    # Second years of the consecutive-year pairs: a pair is known at origin y if its year <= y.
    pair_years = year[1:][(region[1:] == region[:-1]) & (np.diff(year) == 1)]
    for origin in np.unique(year)[:-1]:
        n_pairs = int(np.sum(pair_years <= origin))
        _, points = np.unique(region[year <= origin], return_counts=True)
        later_regions, later = np.unique(region[year > origin], return_counts=True)
        counts = dict(zip(np.unique(region[year <= origin]), points, strict=True))
        for name, n_later in zip(later_regions, later, strict=True):
            n_points = int(counts.get(name, 0))
            if n_points == 0:
                continue
            for model in models:
                enough = n_points >= MODEL_MIN_POINTS.get(model, 1)
                if enough and (model not in PANEL_MODELS or n_pairs >= 2):
                    support[model] += int(n_later)
    return support


def evidence_weights(
    fitted: Mapping[str, ModelForecast], support: Mapping[str, int]
) -> tuple[dict[str, float], dict[str, str]]:
    """Default weights: each fitted model's :func:`credibility`, normalised, over the models the
    backtest could check on the panel (``support`` > 0). Returns (weights, excluded: model ->
    why it has no weight). When no fitted model was backtested, all fitted models are weighted
    (and the notes say so)."""
    tested = [n for n in fitted if support.get(n, 0) > 0]
    excluded = {
        n: f"{n} could not be backtested on the panel (no region has "
        f"{MODEL_MIN_POINTS.get(n, 1)} points before a later published one)"
        for n in fitted
        if n not in tested
    }
    members = tested or list(fitted)
    if not tested:
        excluded = {}
    raw = {n: credibility(fitted[n].residual_df) for n in members}
    if not sum(raw.values()) > 0:
        raw = dict.fromkeys(members, 1.0)
    return _normalise(raw), excluded


# --- the skill gate --------------------------------------------------------------------------
GATE_MIN_CASES = 30
"""The skill gate judges a model only on at least this many rolling-origin cases that it and the
anchor could both forecast and where its forecast is not the anchor's own. An 80 % interval score
is carried by the misses (each costs 2 / 0.2 = 10 times its distance), about one case in five;
over n cases their number has relative standard error sqrt(0.8 / (0.2 n)) = 2 / sqrt(n): 37 % at
30, over 50 % below 16. Below 30 cases a comparison of two mean scores says little (the bound that
:data:`iid_analysis.forecasting.backtest.FEW_FORECASTS` sets for coverage), so the gate is not
applied and the
credibility weights stand. Cases in one target year share that year's shock, so even 30 cases can
hold only a few independent years (hence the condition on target years in
:attr:`GateResult.passed`): the gate is a screen, not a test."""
GATE_N_DRAWS = 1000
"""Draws per model and case in the gate's backtest (the 10 % and 90 % quantiles to about 4 % of
the half-width; the models of one case share their random numbers, which cancels most of it)."""
GATE_SEED = 0
"""The gate's backtest has a fixed seed: the default weights are a property of the panel, the
same whatever seed the forecast is drawn with."""
GATE_CACHE_SIZE = 64


@dataclass(frozen=True)
class GateResult:
    """The skill gate's evidence on one model (see :func:`gated_weights`).

    ``n_cases``: rolling-origin cases of the panel that the model and the anchor could both
    forecast and where the model's forecast is not the anchor's own (when the gate's backtest
    was not run because fewer than :data:`GATE_MIN_CASES` were possible, the number possible at
    most); ``score`` and ``anchor_score``: their mean 80 % interval scores over those cases (NaN
    when not run); ``n_same``: cases where the model's draws were the anchor's (``pooled_shock``
    falling back to ``pooled``), left out like ties in a sign test: they say nothing about
    which is better; ``n_years``: the target years of those cases; ``years_no_worse``: in how
    many of them the model's mean score was no worse than the anchor's.
    """

    model: str
    n_cases: int
    score: float = float("nan")
    anchor_score: float = float("nan")
    n_same: int = 0
    n_years: int = 0
    years_no_worse: int = 0

    @property
    def applied(self) -> bool:
        """Whether the gate judged the model (at least :data:`GATE_MIN_CASES` cases)."""
        return self.n_cases >= GATE_MIN_CASES

    @property
    def ratio(self) -> float:
        """The model's mean 80 % interval score over the anchor's (NaN when not judged)."""
        return self.score / self.anchor_score if self.anchor_score > 0 else float("nan")

    @property
    def passed(self) -> bool:
        """True unless judged and found worse than the anchor: worse on average over its cases,
        or worse in half or more of its target years (a tie is no worse).

        Every case of one target year shares that year's shock, so the year, not the case, is
        the unit of independent evidence: a model must be no worse in most years as well as on
        average, so that one favourable year cannot carry it."""
        if not self.applied:
            return True
        return self.score <= self.anchor_score and 2 * self.years_no_worse > self.n_years


_GATE_CACHE: dict[tuple, Mapping[str, GateResult]] = {}


def _panel_key(panel: pd.DataFrame) -> bytes:
    rows = pd.util.hash_pandas_object(panel[["region_name", "year", "iid"]], index=False)
    return hashlib.blake2b(rows.to_numpy().tobytes(), digest_size=16).digest()


def panel_skill(panel: pd.DataFrame, models: Sequence[str]) -> Mapping[str, GateResult]:
    """The skill gate's backtest: each model's and the anchor's mean 80 % interval score over
    the rolling-origin cases of ``panel`` that both could forecast, leaving out the cases where
    the model's forecast is the anchor's own (counted in ``n_same``).

    A case is a region, an origin year and a later year with a published value of that region;
    every fit sees only the panel's rows up to the origin (the region's own points included),
    and the models themselves are fitted (never the mixture, so no recursion). The models of
    one case draw from one generator (common random numbers), so a model that reduces to the
    anchor on a case (``pooled_shock``'s fallback) scores exactly as the anchor there. Cached by
    the panel's contents and the models: every region forecast from one panel shares it.
    """
    models = tuple(m for m in dict.fromkeys(models) if m != ANCHOR_MODEL)
    key = (_panel_key(panel), models, GATE_N_DRAWS, GATE_SEED)
    if key not in _GATE_CACHE:
        if len(_GATE_CACHE) >= GATE_CACHE_SIZE:
            _GATE_CACHE.pop(next(iter(_GATE_CACHE)))
        _GATE_CACHE[key] = MappingProxyType(_gate_backtest(panel, models))
    return _GATE_CACHE[key]


def _gate_draws(name, series, target_year, known, words) -> np.ndarray | None:
    rng = model_rng(words, ANCHOR_MODEL)  # the same stream for every model: common numbers
    try:
        return MODELS[name](series, target_year, known, rng, GATE_N_DRAWS).draws
    except ModelRefusedError:
        return None


def _gate_backtest(panel: pd.DataFrame, models: tuple[str, ...]) -> dict[str, GateResult]:
    from .backtest import interval_score  # backtest imports this module

    def score(draws: np.ndarray, observed: float) -> float:
        low, high = np.quantile(draws, [0.1, 0.9])
        return interval_score(float(low), float(high), observed, 0.8)

    global _MEMO
    _MEMO = {}
    try:
        return _gate_cases(panel, models, score)
    finally:
        _MEMO = None


def _gate_cases(panel: pd.DataFrame, models: tuple[str, ...], score) -> dict[str, GateResult]:
    mine: dict[str, list[float]] = {m: [] for m in models}
    theirs: dict[str, list[float]] = {m: [] for m in models}
    years: dict[str, list[int]] = {m: [] for m in models}
    same = dict.fromkeys(models, 0)
    year = panel["year"].to_numpy()
    region = panel["region_name"].to_numpy()
    iid = panel["iid"].to_numpy(dtype=float)
    for origin in np.unique(year)[:-1]:
        known = panel[year <= origin]
        for name in sorted(set(region[(year > origin)]) & set(known["region_name"])):
            series = _gate_series(name, known)
            candidates = [m for m in models if series.n_points >= MODEL_MIN_POINTS.get(m, 1)]
            if not candidates:
                continue
            later = (region == name) & (year > origin)
            outcomes = zip(year[later].tolist(), iid[later].tolist(), strict=True)
            for target, observed in sorted(outcomes):
                words = (GATE_SEED, zlib.crc32(name.encode()), int(origin), int(target))
                anchor = _gate_draws(ANCHOR_MODEL, series, target, known, words)
                if anchor is None:
                    continue
                anchor_score = score(anchor, observed)
                for model in candidates:
                    draws = _gate_draws(model, series, target, known, words)
                    if draws is None:
                        continue
                    if np.array_equal(draws, anchor):
                        same[model] += 1  # the anchor's own forecast: no evidence either way
                        continue
                    mine[model].append(score(draws, observed))
                    theirs[model].append(anchor_score)
                    years[model].append(int(target))
    return {m: _gate_result(m, mine[m], theirs[m], years[m], same[m]) for m in models}


def _gate_result(model: str, mine, theirs, years, same: int) -> GateResult:
    if not mine:
        return GateResult(model, 0, n_same=same)
    mine, theirs, years = np.asarray(mine), np.asarray(theirs), np.asarray(years)
    targets = np.unique(years)
    no_worse = sum(
        int(mine[years == t].mean() <= theirs[years == t].mean()) for t in targets
    )
    return GateResult(
        model, len(mine), float(mine.mean()), float(theirs.mean()), same, len(targets), no_worse
    )


def _gate_series(name: str, known: pd.DataFrame) -> RegionSeries:
    # The region's points up to the origin (the preferred figures; a conflict's alternative
    # plays no part in a backtest score), built without series_from_panel's row loop.
    rows = known[known["region_name"] == name].sort_values("year")
    return RegionSeries(
        region=name, region_type=str(rows["region_type"].iloc[0]),
        years=tuple(rows["year"].astype(int).tolist()),
        values=tuple(rows["iid"].astype(float).tolist()),
        sources=tuple(rows["source_url"].astype(str).tolist()),
    )  # fmt: skip


def gated_weights(
    fitted: Mapping[str, ModelForecast],
    panel: pd.DataFrame,
    support: Mapping[str, int] | None = None,
) -> tuple[dict[str, float], dict[str, str], dict[str, GateResult]]:
    """The default weights: :func:`evidence_weights` over the models that pass the skill gate.

    A fitted model (other than the anchor) with at least :data:`GATE_MIN_CASES` rolling-origin
    cases on ``panel`` shared with the anchor (leaving out those where it is the anchor) is gated
    out when its 80 % interval score over them (:func:`panel_skill`) is worse than the anchor's,
    on average or in half or more of its target years (:attr:`GateResult.passed`); with fewer
    cases it is not judged (no verdict, its weight stands).
    The rest keep their credibility weights among themselves. When every backtested model is
    gated out, the anchor (:data:`ANCHOR_MODEL`) carries the forecast: the weights are
    ``{ANCHOR_MODEL: 1.0}`` and the caller fits it if needed. ``support``: model -> backtest
    cases (:func:`backtest_support`; computed when None, and must include the anchor).
    Returns (weights, excluded: model -> why no weight, gate: model -> :class:`GateResult`).
    """
    names = list(fitted)
    if support is None:
        support = backtest_support(panel, [*names, ANCHOR_MODEL])
    possible = {
        n: min(int(support.get(n, 0)), int(support.get(ANCHOR_MODEL, 0)))
        for n in names
        if n != ANCHOR_MODEL
    }
    judged = [n for n, k in possible.items() if k >= GATE_MIN_CASES]
    run = panel_skill(panel, judged) if judged else {}
    gate = {n: run.get(n, GateResult(n, k)) for n, k in possible.items()}
    out = {
        n: f"{n}'s 80 % interval score in the panel's rolling-origin backtest was "
        f"{g.ratio:.3f}x the anchor's ({ANCHOR_MODEL}) over {_count(g.n_cases, 'cases')}, "
        f"no worse in {g.years_no_worse} of {_count(g.n_years, 'target years')} (skill gate)"
        for n, g in gate.items()
        if not g.passed
    }
    kept = {n: f for n, f in fitted.items() if n not in out}
    if out and not any(support.get(n, 0) > 0 for n in kept):
        untested = {
            n: f"{n} could not be backtested on the panel" for n in kept if n != ANCHOR_MODEL
        }
        return {ANCHOR_MODEL: 1.0}, untested | out, gate
    weights, excluded = evidence_weights(kept, support)
    return weights, excluded | out, gate


# --- the forecast a user sees ------------------------------------------------------------------
def bands_year_for(target_year: int) -> int:
    """The year whose predicate bands apply: the target year if its bands are known, else the
    latest earlier year with bands (and the notes say so)."""
    candidates = [y for y in known_years() if y <= target_year and _has_bands(y)]
    if not candidates:
        raise UnknownYearError(f"no predicate bands are known for {target_year} or earlier")
    return max(candidates)


def _has_bands(year: int) -> bool:
    methodology = load_methodology(year)
    return all(methodology.has(rule) for rule in BAND_RULES)


def predicate_edges(methodology: Methodology) -> tuple[np.ndarray, tuple[str, ...]]:
    """Lower edges of the predicate intervals (ascending, from 0) and each interval's predicate.

    The labels come from :func:`iid_analysis.scoring.classify` applied to each edge.
    """
    edges = np.array(sorted({0.0, *methodology.bands.values()}))
    return edges, tuple(classify(float(edge), methodology) for edge in edges)


def round_draws(draws: np.ndarray) -> np.ndarray:
    """Draws rounded half up to two decimals, as the IID is published."""
    return round_published(np.asarray(draws, dtype=float))


@dataclass(frozen=True)
class Forecast:
    """The forecast of one region's IID for one target year.

    Attributes
    ----------
    region, target_year, as_of : what was forecast, with data published up to ``as_of``.
    series : the region's 0..100 series used (conflicts resolved by ``series.prefer``).
    draws : seeded draws of the target year's IID (0..100) from the mixture of ``weights``.
    components : each model's :class:`ModelForecast`, by name.
    weights : model name -> weight (sums to 1, only models not refused).
    refused : model name -> why the series cannot support it.
    bands_year : whose predicate bands classify the draws; ``provisional_rules`` lists its band
        rules that are not CONFIRMED.
    seed : the seed used (same inputs and seed -> same numbers).
    alternative : the same forecast with the other figure of a conflicting region-year (e.g. Kota
        Mojokerto 2022: 70 instead of 77.73), or None when the data used has no conflict.
    notes : what the numbers leave out, in English (:meth:`notes_in` for Indonesian).
    backtest_cases : model -> rolling-origin backtest cases of the panel it could be fitted to.
    excluded : model -> why a fitted model has no weight (not backtested on the panel, or gated
        out by the skill gate).
    n_not_reported : published 0s (regions that did not report) left out of the panel used.
    innovation_counts : the region's published innovation counts (year, innovations, basis).
    weighting : ``"evidence"`` (default weights) or ``"given"`` (weights passed in).
    national_check : (year, national shift, panel mean change, panel pairs) per year where the
        national band counts give the shift of the whole distribution (logit scale; see
        :func:`national_distribution`), beside the mean change of the panel's regions that year.
    skill_gate : model -> :class:`GateResult` of the default weighting (:func:`gated_weights`;
        empty with given weights or one model).
    """

    region: str
    target_year: int
    as_of: int
    series: RegionSeries
    draws: np.ndarray = field(repr=False, compare=False)
    components: Mapping[str, ModelForecast] = field(repr=False, compare=False)
    weights: Mapping[str, float]
    refused: Mapping[str, str]
    bands_year: int
    provisional_rules: tuple[str, ...]
    seed: int
    alternative: Forecast | None = None
    notes: tuple[str, ...] = ()
    backtest_cases: Mapping[str, int] = field(default_factory=dict)
    excluded: Mapping[str, str] = field(default_factory=dict)
    n_not_reported: int = 0
    innovation_counts: tuple[tuple[int, int, str], ...] = ()
    weighting: str = "evidence"
    national_check: tuple[tuple[int, float, float, int], ...] = ()
    skill_gate: Mapping[str, GateResult] = field(default_factory=dict)

    @property
    def quantiles(self) -> dict[float, float]:
        """Quantile level (QUANTILE_LEVELS) -> IID, monotone and inside 0..100."""
        values = np.clip(np.quantile(self.draws, QUANTILE_LEVELS), 0.0, 100.0)
        return {level: float(v) for level, v in zip(QUANTILE_LEVELS, values, strict=True)}

    @property
    def median(self) -> float:
        return self.quantiles[0.5]

    @property
    def mean(self) -> float:
        return float(np.mean(self.draws))

    @property
    def last_value(self) -> float:
        return self.series.last_value

    def prob_at_least(self, threshold: float) -> float:
        """P(published IID, two decimals, >= ``threshold``). Raises UsageError outside 0..100."""
        if not 0.0 <= float(threshold) <= 100.0:
            raise UsageError(f"a target IID must lie in 0..100, got {threshold}")
        return float(np.mean(round_draws(self.draws) >= float(threshold) - 1e-9))

    def prob_increase(self) -> float:
        """P(published IID > the last published value used)."""
        return float(np.mean(round_draws(self.draws) > self.last_value + 1e-9))

    def prob_predicate(self) -> dict[str, float]:
        """Predicate -> probability under the bands of ``bands_year`` (all four, sum 1)."""
        edges, labels = predicate_edges(load_methodology(self.bands_year))
        index = np.searchsorted(edges, round_draws(self.draws) + 1e-9, side="right") - 1
        counts = np.bincount(index, minlength=len(edges)) / len(self.draws)
        result = dict.fromkeys(PREDICATES, 0.0)
        for label, share in zip(labels, counts, strict=True):
            result[label] += float(share)
        return result

    def notes_in(self, lang: str = "en") -> tuple[str, ...]:
        """What the numbers leave out, in ``lang`` (``"id"`` or ``"en"``)."""
        return forecast_notes(self, lang)

    @property
    def tested_models(self) -> dict[str, int]:
        """Models tried -> backtest cases on the panel (0: could not be backtested)."""
        names = [*self.components, *self.refused]
        return {n: int(self.backtest_cases.get(n, 0)) for n in names}

    def model_table(self) -> pd.DataFrame:
        """One row per model tried: model, weight, n_obs, n_params, residual_df, scale, q05,
        median, q95, description, backtest_cases, refused_reason ("" when fitted; for a fitted
        model with no weight, why), gate_cases (the skill gate's cases shared with the anchor)
        and gate_vs_anchor (its 80 % interval score over the anchor's; NaN when not judged)."""
        rows = []
        for name, comp in self.components.items():
            rows.append(
                {
                    "model": name,
                    "weight": float(self.weights.get(name, 0.0)),
                    "n_obs": comp.n_obs,
                    "n_params": comp.n_params,
                    "residual_df": comp.residual_df,
                    "scale": comp.scale,
                    "q05": comp.quantile(0.05),
                    "median": comp.median,
                    "q95": comp.quantile(0.95),
                    "description": comp.description,
                    "backtest_cases": int(self.backtest_cases.get(name, 0)),
                    "refused_reason": self.excluded.get(name, ""),
                    **self._gate_columns(name),
                }
            )
        for name, reason in self.refused.items():
            rows.append(
                {
                    "model": name, "weight": 0.0,
                    "backtest_cases": int(self.backtest_cases.get(name, 0)),
                    "refused_reason": reason, **self._gate_columns(name),
                }
            )  # fmt: skip
        return pd.DataFrame(rows)

    def _gate_columns(self, name: str) -> dict[str, float]:
        gate = self.skill_gate.get(name)
        if gate is None:
            return {"gate_cases": 0, "gate_vs_anchor": np.nan}
        return {
            "gate_cases": gate.n_cases,
            "gate_vs_anchor": gate.ratio if gate.applied else np.nan,
        }


def _check_inputs(target_year: int, as_of: int, n_draws: int, prefer: str) -> None:
    if int(target_year) <= int(as_of):
        raise UsageError(f"target year {target_year} must be after the as-of year {as_of}")
    if int(n_draws) < MIN_N_DRAWS:
        raise UsageError(f"n_draws must be at least {MIN_N_DRAWS}, got {n_draws}")
    if prefer not in PREFERENCES:
        raise UsageError(f"prefer must be one of {', '.join(PREFERENCES)}, got {prefer!r}")


def swap_conflicts(panel: pd.DataFrame) -> pd.DataFrame:
    """The panel with every conflicting region-year taking its alternative figure."""
    swapped = panel.copy()
    has = swapped["alternative_iid"].notna()
    swapped.loc[has, ["iid", "alternative_iid"]] = panel.loc[has, ["alternative_iid", "iid"]].values
    swapped.loc[has, ["source_url", "alternative_source_url"]] = panel.loc[
        has, ["alternative_source_url", "source_url"]
    ].values
    swapped.loc[has, "preferred"] = False
    return swapped


def _region_check(region: str, panel: pd.DataFrame, as_of: int, scores) -> None:
    if region in set(panel["region_name"]):
        return
    if scores is not None and region in set(scores["region_name"]):
        raise UsageError(
            f"region '{region}' has no published 0..100 score up to {as_of} (a published 0 means "
            "the region did not report; raw point totals from before 2021 and unclear figures "
            "never enter a 0..100 series)"
        )
    raise UsageError(
        f"region '{region}' is not in the published data (see data/raw/iid_published_scores.csv)"
    )


def forecast_region(
    region: str,
    target_year: int,
    as_of: int | None = None,
    seed: int = 0,
    n_draws: int = DEFAULT_N_DRAWS,
    panel: pd.DataFrame | None = None,
    prefer: str = PREFER_DECREE,
    models: Sequence[str] = ENSEMBLE_MODELS,
    weights: Mapping[str, float] | None = None,
    innovation_counts: pd.DataFrame | None = None,
    scores: pd.DataFrame | None = None,
) -> Forecast:
    """Forecast ``region``'s IID for ``target_year`` from data published up to ``as_of``.

    Parameters
    ----------
    region : region name as in data/raw/iid_published_scores.csv (e.g. "Kota Mojokerto").
    target_year : year to forecast; must be after ``as_of``.
    as_of : use only figures for years up to this one (default: the latest year in the panel).
    seed, n_draws : the random draws (same inputs and seed -> same numbers).
    panel : a peer panel in :func:`iid_analysis.inputs.published.peer_panel` layout (default: the
        published data, conflicts resolved by the data's ``preferred`` column). Given a panel,
        the published file is not read.
    prefer : ``"decree"`` or ``"alternative"``: which figure of a conflicting region-year to use.
        With ``"decree"`` and a conflict in the data used, ``Forecast.alternative`` holds the
        forecast under the other figure.
    models : the models to mix (default :data:`ENSEMBLE_MODELS`; one name for a single model).
    weights : model -> weight (default :func:`evidence_weights`: credibility by residual df over
        the models the backtest could check on the panel).
    innovation_counts : :func:`iid_analysis.inputs.published.load_innovation_counts` layout, for the
        notes (default: the published file when ``panel`` is None, else none).
    scores : :func:`iid_analysis.inputs.published.load_published_scores` layout: the panel (when
        ``panel`` is None), the published 0s counted apart and the national check come from it
        (default: the published file when ``panel`` is None, else none).

    Raises
    ------
    UsageError : unknown region, no 0..100 figure up to ``as_of``, target year not after
        ``as_of``, unknown model, or no model the series can support.
    """
    if panel is None:
        scores = load_published_scores() if scores is None else scores
        base = peer_panel(scores)
        if innovation_counts is None:
            innovation_counts = load_innovation_counts()
    else:
        base = panel
    as_of = int(base["year"].max()) if as_of is None else int(as_of)
    _check_inputs(target_year, as_of, n_draws, prefer)
    used = base[base["year"] <= as_of]
    _region_check(region, used, as_of, scores)
    result = _forecast_one(
        region, int(target_year), as_of, used, prefer, seed, n_draws, models, weights
    )
    if prefer == PREFER_DECREE and result.series.has_conflict:
        other = _forecast_one(
            region, int(target_year), as_of, used, PREFER_ALTERNATIVE, seed, n_draws, models,
            weights,
        )  # fmt: skip
        result = _with(result, alternative=other)
    counts = ()
    if innovation_counts is not None:
        table = region_innovation_counts(region, innovation_counts)
        table = table[table["year"] <= as_of]
        counts = tuple(
            (int(r.year), int(r.innovations), str(r.basis)) for r in table.itertuples()
        )
    zeros = 0 if scores is None else len(not_reported(scores, as_of=as_of))
    check = () if scores is None else _national_check(used, as_of)
    result = _with(result, innovation_counts=counts, n_not_reported=zeros, national_check=check)
    return _with(result, notes=forecast_notes(result, "en"))


def _national_check(panel: pd.DataFrame, as_of: int) -> tuple:
    national = national_distribution()
    pairs = consecutive_pairs(panel)
    rows = []
    for row in national[national["shift"].notna() & (national["year"] <= as_of)].itertuples():
        mine = pairs[pairs["year"] == row.year]["change"]
        if len(mine):
            rows.append((int(row.year), float(row.shift), float(mine.mean()), len(mine)))
    return tuple(rows)


def _with(forecast: Forecast, **changes) -> Forecast:
    return replace(forecast, **changes)


def _forecast_one(region, target_year, as_of, panel, prefer, seed, n_draws, models, weights):
    world = swap_conflicts(panel) if prefer == PREFER_ALTERNATIVE else panel
    series = series_from_panel(region, world, prefer=prefer)
    fitted, refused = fit_models(
        series, target_year, world, tuple(models), seed=seed, n_draws=n_draws
    )
    if not fitted:
        reasons = "; ".join(refused.values())
        raise UsageError(f"no model can forecast {region} from its data: {reasons}")
    support = backtest_support(world, [*fitted, *refused, ANCHOR_MODEL])
    gate: dict[str, GateResult] = {}
    if weights is None and len(models) > 1:
        chosen, excluded, gate = gated_weights(fitted, world, support)
        if ANCHOR_MODEL in chosen and ANCHOR_MODEL not in fitted:
            anchor, _ = fit_models(
                series, target_year, world, (ANCHOR_MODEL,), seed=seed, n_draws=n_draws
            )
            if anchor:
                fitted.update(anchor)
            else:  # cannot happen when the gate judged a model; kept safe
                chosen, excluded = evidence_weights(fitted, support)
    elif weights is None:
        chosen, excluded = evidence_weights(fitted, support)
    else:
        unknown = [n for n in weights if n not in MODELS]
        if unknown:
            raise UsageError(f"unknown model(s) in weights: {', '.join(unknown)}")
        chosen = _normalise({n: float(w) for n, w in weights.items() if n in fitted})
        excluded = {}
    bands_year = bands_year_for(target_year)
    methodology = load_methodology(bands_year)
    return Forecast(
        region=region,
        target_year=target_year,
        as_of=as_of,
        series=series,
        draws=_read_only(mix_draws(fitted, chosen, n_draws)),
        components=MappingProxyType(fitted),
        weights=MappingProxyType(chosen),
        refused=MappingProxyType(refused),
        bands_year=bands_year,
        provisional_rules=tuple(r for r in BAND_RULES if methodology.provenance(r) != "CONFIRMED"),
        seed=int(seed),
        backtest_cases=MappingProxyType(support),
        excluded=MappingProxyType(excluded),
        weighting="evidence" if weights is None else "given",
        skill_gate=MappingProxyType(gate),
    )


def _read_only(values: np.ndarray) -> np.ndarray:
    values.setflags(write=False)
    return values


def _normalise(weights: Mapping[str, float]) -> dict[str, float]:
    if any(not (np.isfinite(w) and w >= 0) for w in weights.values()):
        raise UsageError("model weights must be finite and not negative")
    total = float(sum(weights.values()))
    if not total > 0:
        raise UsageError("the weights of the models that can be fitted add up to 0")
    return {n: float(w) / total for n, w in weights.items() if w > 0}


NOTE_TEXTS: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "points": {
        "en": "Only {n} published 0..100 {points} ({values}); with so few points the forecast "
        "rests mostly on model assumptions and on other regions, hence the wide interval.",
        "id": "Hanya {n} nilai 0..100 yang dipublikasikan ({values}); dengan data sesedikit ini "
        "proyeksi terutama bertumpu pada asumsi model dan data daerah lain, sehingga rentangnya "
        "lebar.",
    },
    "stale": {
        "en": "The latest published figure is from {last}: the forecast spans {h} years, not "
        "{h_as_of}.",
        "id": "Nilai terakhir yang dipublikasikan berasal dari {last}: proyeksi mencakup {h} "
        "tahun, bukan {h_as_of}.",
    },
    "single": {
        "en": "Model choice: {model} alone (the only model asked for that the data supports and "
        "the backtest could check).",
        "id": "Pilihan model: hanya {model} (satu-satunya model yang didukung data dan dapat "
        "diuji balik).",
    },
    "mixture": {
        "en": "Model choice: mixture of {used} ({how}); the models' medians range from {low} to "
        "{high}, a spread the mixture keeps rather than hides.",
        "id": "Pilihan model: campuran {used} ({how}); median tiap model berkisar {low}\u2013"
        "{high}, selisih yang tetap ditampilkan.",
    },
    "how_evidence": {
        "en": "weights by residual degrees of freedom, over the models backtested on the panel",
        "id": "bobot menurut derajat bebas sisaan, atas model yang telah diuji balik pada panel",
    },
    "how_given": {"en": "weights as given", "id": "bobot sesuai masukan"},
    "tested": {
        "en": "Backtested on the panel: {tested}.",
        "id": "Diuji balik pada panel: {tested}.",
    },
    "untested_all": {
        "en": "No model could be backtested on this panel; the weights rest on the degrees of "
        "freedom alone.",
        "id": "Tidak ada model yang dapat diuji balik pada panel ini; bobot hanya bertumpu pada "
        "derajat bebas.",
    },
    "excluded": {"en": "No weight: {reason}.", "id": "Tanpa bobot: {reason}."},
    "gate": {
        "en": "Skill gate (a model keeps its weight only if its 80 % interval score in the "
        "panel's rolling-origin backtest is no worse than the anchor's, {anchor}, overall and in "
        "most target years; judged from {min} cases): {items}.",
        "id": "Gerbang keterampilan (model tetap berbobot hanya bila skor interval 80 % pada uji "
        "balik origin bergulir panel tidak lebih buruk daripada jangkar, {anchor}, secara "
        "keseluruhan dan pada sebagian besar tahun sasaran; dinilai mulai {min} kasus): {items}.",
    },
    "gate_years": {
        "en": "no worse in {k} of {n} target years",
        "id": "tidak lebih buruk pada {k} dari {n} tahun sasaran",
    },
    "gate_off": {
        "en": "Skill gate not applied: no model has {min} backtest cases shared with the anchor "
        "({anchor}) on this panel ({items}), so the weights rest on the degrees of freedom.",
        "id": "Gerbang keterampilan tidak diterapkan: tidak ada model dengan {min} kasus uji balik "
        "bersama jangkar ({anchor}) pada panel ini ({items}), sehingga bobot bertumpu pada "
        "derajat bebas.",
    },
    "gate_kept": {"en": "kept", "id": "dipakai"},
    "gate_out": {"en": "no weight", "id": "tanpa bobot"},
    "gate_few": {"en": "too few, not judged", "id": "terlalu sedikit, tidak dinilai"},
    "gate_anchor": {
        "en": "No model of the mixture passed the skill gate: the anchor ({anchor}) carries the "
        "forecast.",
        "id": "Tidak ada model campuran yang lolos gerbang keterampilan: jangkar ({anchor}) "
        "menjadi dasar proyeksi.",
    },
    "refused": {"en": "Not used: {reason}.", "id": "Tidak dipakai: {reason}."},
    "rules": {
        "en": "Rule changes: predicates use the {bands_year} bands{standing}{provisional}. The "
        "models extrapolate {first}\u2013{last} scores and cannot foresee changes to indicators "
        "or weights{changes}.",
        "id": "Perubahan aturan: predikat memakai batas tahun {bands_year}{standing}"
        "{provisional}. Model melanjutkan skor {first}\u2013{last} dan tidak dapat meramalkan "
        "perubahan indikator atau bobot{changes}.",
    },
    "standing": {
        "en": " (standing in for {year}, whose bands are not known)",
        "id": " (menggantikan {year}, yang batasnya belum diketahui)",
    },
    "provisional": {"en": "; not CONFIRMED: {rules}", "id": "; belum CONFIRMED: {rules}"},
    "band_change": {
        "en": "; from {year} {predicate} starts at {edge}",
        "id": "; mulai {year} {predicate} berawal dari {edge}",
    },
    "conflict": {
        "en": "Conflicting data: {year} is {preferred} in the preferred source (used) and {other} "
        "in another; with {other} the median is {alt_median} (vs {median}) and P(increase) "
        "{alt_p} (vs {p}).",
        "id": "Data bertentangan: {year} bernilai {preferred} menurut sumber yang diutamakan "
        "(dipakai) dan {other} menurut sumber lain; dengan {other} median {alt_median} (bukan "
        "{median}) dan peluang naik {alt_p} (bukan {p}).",
    },
    "increase": {
        "en": "P({year} > {last}) = {p}: {band}. The backtest reports how such probabilities "
        "have fared.",
        "id": "Peluang IID {year} > {last} = {p}: {band}. Uji balik menunjukkan keandalan "
        "peluang semacam ini.",
    },
    "data_end": {
        "en": "The data ends in {as_of} (forecast as of {as_of}); {zeros}",
        "id": "Data berakhir pada {as_of} (proyeksi per {as_of}); {zeros}",
    },
    "zeros": {
        "en": "{n} published {zero} of regions that did not report {are}: left out of the panel; "
        "the chance of not reporting is not modelled.",
        "id": "{n} nilai 0 dari daerah yang tidak melapor bukan skor: tidak dimasukkan ke panel, "
        "peluang tidak melapor tidak dimodelkan.",
    },
    "zeros_none": {
        "en": "a published 0 (a region that did not report) would be left out as not a score.",
        "id": "nilai 0 (daerah yang tidak melapor) tidak dihitung sebagai skor.",
    },
    "national": {
        "en": "National check: the predicate counts imply that the whole distribution moved "
        "{shift} on the logit scale from {before} to {year}; the panel's {n} regions with both "
        "years moved {panel} on average, so the pooled drift {direction} the national one.",
        "id": "Pembanding nasional: jumlah predikat menunjukkan seluruh sebaran bergeser {shift} "
        "pada skala logit dari {before} ke {year}; {n} daerah panel dengan kedua tahun bergeser "
        "rata-rata {panel}, sehingga drift gabungan {direction} drift nasional.",
    },
    "above": {"en": "may be above", "id": "bisa jadi di atas"},
    "below": {"en": "may be below", "id": "bisa jadi di bawah"},
    "counts": {
        "en": "Innovations published for the region: {counts}; the models do not use them.",
        "id": "Jumlah inovasi daerah yang dipublikasikan: {counts}; model tidak memakainya.",
    },
})
"""Every forecast note, in both languages: the one source of the CLI's and the report's notes."""

_BASIS_ID = {
    "reported": "dilaporkan", "registered": "terdaftar", "submitted": "diajukan",
    "accepted": "diterima", "inventoried": "diinventarisasi",
}  # fmt: skip


def _note(key: str, lang: str, **fields) -> str:
    return NOTE_TEXTS[key][lang].format(**fields)


def _band_changes(first_year: int, last_year: int, lang: str) -> str:
    """Each predicate edge that moves between ``first_year`` and ``last_year`` (bands known)."""
    years = [y for y in known_years() if first_year <= y <= last_year and _has_bands(y)]
    parts = []
    for before, after in zip(years[:-1], years[1:], strict=False):
        old, new = load_methodology(before).bands, load_methodology(after).bands
        for predicate, edge in new.items():
            if old.get(predicate) != edge:
                edge_text = format_number(edge, lang)
                parts.append(_note("band_change", lang, year=after, predicate=predicate,
                                   edge=edge_text))  # fmt: skip
    return "".join(parts)


def _gate_notes(forecast: Forecast, lang: str) -> list[str]:
    """The skill gate's verdicts (model, ratio to the anchor, cases), or why it was not applied."""
    gate = forecast.skill_gate
    if not gate:
        return []
    cases = "kasus" if lang == "id" else "cases"
    if not any(g.applied for g in gate.values()):
        items = ", ".join(f"{n} {g.n_cases}" for n, g in gate.items())
        return [_note("gate_off", lang, min=GATE_MIN_CASES, anchor=ANCHOR_MODEL, items=items)]
    parts = []
    for name, g in gate.items():
        if g.applied:
            ratio = format_number(g.ratio, lang, 3)
            verdict = _note("gate_kept" if g.passed else "gate_out", lang)
            years = _note("gate_years", lang, k=g.years_no_worse, n=g.n_years)
            parts.append(f"{name} {ratio}x, {g.n_cases} {cases}, {years} ({verdict})")
        else:
            parts.append(f"{name} {g.n_cases} {cases} ({_note('gate_few', lang)})")
    notes = [_note("gate", lang, anchor=ANCHOR_MODEL, min=GATE_MIN_CASES, items="; ".join(parts))]
    if set(forecast.weights) == {ANCHOR_MODEL} and ANCHOR_MODEL not in gate:
        notes.append(_note("gate_anchor", lang, anchor=ANCHOR_MODEL))
    return notes


def forecast_notes(forecast: Forecast, lang: str = "en") -> tuple[str, ...]:
    """Plain statements of what the forecast's numbers leave out, in ``lang`` ("id" or "en"),
    built from the forecast's ``as_of``, series, models and the year rules."""
    if lang not in ("id", "en"):
        raise UsageError(f"lang must be id or en, got {lang!r}")
    s = forecast.series

    def num(value: float, decimals: int = 2) -> str:
        text = format_number(value, lang, decimals)
        return text.rstrip("0").rstrip(",.") if decimals == 2 else text

    def pct(p: float) -> str:
        return format_percent(p, lang)

    notes = []
    values = ", ".join(f"{y}: {num(v)}" for y, v in zip(s.years, s.values, strict=True))
    if s.n_points <= SMALL_SERIES:
        points = "point" if s.n_points == 1 else "points"
        notes.append(_note("points", lang, n=s.n_points, points=points, values=values))
    if s.last_year < forecast.as_of:
        notes.append(_note("stale", lang, last=s.last_year, h=forecast.target_year - s.last_year,
                           h_as_of=forecast.target_year - forecast.as_of))  # fmt: skip
    medians = [c.median for c in forecast.components.values()]
    if len(forecast.weights) == 1:
        (name,) = forecast.weights
        notes.append(_note("single", lang, model=name))
    else:
        used = ", ".join(f"{n} ({pct(w)})" for n, w in forecast.weights.items())
        how = _note("how_evidence" if forecast.weighting == "evidence" else "how_given", lang)
        notes.append(_note("mixture", lang, used=used, how=how, low=num(min(medians), 1),
                           high=num(max(medians), 1)))  # fmt: skip
    tested = {n: k for n, k in forecast.tested_models.items() if k > 0}
    if tested:
        cases = "case" if lang == "en" else "kasus"
        listed = ", ".join(
            f"{n} ({k} {cases if k == 1 or lang == 'id' else 'cases'})" for n, k in tested.items()
        )
        notes.append(_note("tested", lang, tested=listed))
    else:
        notes.append(_note("untested_all", lang))
    notes.extend(_gate_notes(forecast, lang))
    notes.extend(_note("excluded", lang, reason=r) for r in forecast.excluded.values())
    notes.extend(_note("refused", lang, reason=r) for r in forecast.refused.values())
    standing = (
        _note("standing", lang, year=forecast.target_year)
        if forecast.bands_year != forecast.target_year
        else ""
    )
    provisional = (
        _note("provisional", lang, rules=", ".join(forecast.provisional_rules))
        if forecast.provisional_rules
        else ""
    )
    notes.append(_note(
        "rules", lang, bands_year=forecast.bands_year, standing=standing, provisional=provisional,
        first=s.years[0], last=s.last_year,
        changes=_band_changes(s.last_year, forecast.bands_year, lang),
    ))  # fmt: skip
    p = forecast.prob_increase()
    if forecast.alternative is not None:
        alt = forecast.alternative
        for conflict in s.alternatives:
            notes.append(_note(
                "conflict", lang, year=conflict.year, preferred=num(conflict.preferred_iid),
                other=num(conflict.iid), alt_median=num(alt.median, 1),
                median=num(forecast.median, 1), alt_p=pct(alt.prob_increase()), p=pct(p),
            ))  # fmt: skip
    notes.append(_note("increase", lang, year=forecast.target_year, last=num(s.last_value),
                       p=pct(p), band=describe_probability(p, lang)))  # fmt: skip
    n_zero = forecast.n_not_reported
    zeros = (
        _note("zeros", lang, n=n_zero, zero="0" if n_zero == 1 else "0s",
              are="is not a score" if n_zero == 1 else "are not scores")  # fmt: skip
        if n_zero
        else _note("zeros_none", lang)
    )
    notes.append(_note("data_end", lang, as_of=forecast.as_of, zeros=zeros))
    for year, shift, panel_mean, n in forecast.national_check:
        direction = _note("above" if panel_mean > shift else "below", lang)
        notes.append(_note(
            "national", lang, shift=f"{'+' if shift >= 0 else ''}{num(shift, 2)}", before=year - 1,
            year=year, n=n, panel=f"{'+' if panel_mean >= 0 else ''}{num(panel_mean, 2)}",
            direction=direction,
        ))  # fmt: skip
    if forecast.innovation_counts:
        by_year: dict[int, list[str]] = {}
        for year, count, basis in forecast.innovation_counts:
            label = _BASIS_ID.get(basis, basis) if lang == "id" else basis
            by_year.setdefault(year, []).append(f"{count} {label}")
        counts = "; ".join(f"{y}: {', '.join(items)}" for y, items in by_year.items())
        notes.append(_note("counts", lang, counts=counts))
    return tuple(notes)


def forecast_conflicts(
    region: str, target_year: int, as_of: int | None = None, seed: int = 0, **kwargs
) -> pd.DataFrame:
    """Forecast summaries under each figure of a conflict, one row per choice.

    Columns: prefer ("decree" / "alternative"), values (the series used, as "year: value" text),
    median, mean, q05, q95, prob_increase.
    """
    forecast = forecast_region(region, target_year, as_of=as_of, seed=seed, **kwargs)
    rows = []
    for item in (forecast, forecast.alternative):
        if item is None:
            continue
        q = item.quantiles
        rows.append(
            {
                "prefer": item.series.prefer,
                "values": ", ".join(
                    f"{y}: {v:g}"
                    for y, v in zip(item.series.years, item.series.values, strict=True)
                ),
                "median": item.median,
                "mean": item.mean,
                "q05": q[0.05],
                "q95": q[0.95],
                "prob_increase": item.prob_increase(),
            }
        )
    return pd.DataFrame(rows)
