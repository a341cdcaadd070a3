"""The forecasting models: each gives seeded draws of a region's IID in a later year.

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

The default forecast (:mod:`iid_analysis.forecasting.forecast`) is ``ensemble``: a mixture of
the models in :data:`ENSEMBLE_MODELS` (``trend_logit`` and ``pooled_shock``, the two that respect
the 0..100 bounds) weighted by :mod:`iid_analysis.forecasting.gate`: credibility df / (df + 4)
over the models the backtest could check on the panel and that pass the skill gate (with at least
30 rolling-origin cases on the panel, an 80 % interval score no worse than the anchor's there; if
none passes, the anchor carries the forecast). The raw-scale models are baselines, reported beside
it: they put probability beyond 100 (clipped to a spike at 100).

Guards: a model with more parameters than the series supports (fewer than
:data:`MIN_RESIDUAL_DF` residual degrees of freedom) raises :class:`ModelRefusedError` with a
reason; the ensemble records the reason and goes on without it.
"""

from __future__ import annotations

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

from ..errors import IIDError, UsageError
from ..inputs.published import RegionSeries
from ..messages import Message, render
from ..scoring import round_published

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
:func:`iid_analysis.forecasting.gate.evidence_weights`. The raw-scale models are baselines: they
put probability on values beyond 100 (clipped to a spike at 100)."""
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


class ModelRefusedError(IIDError):
    """The series cannot support the model (too few points for its parameters).

    ``reason`` is the :class:`~iid_analysis.messages.Message` a reader sees (``str(error)`` is
    its English text)."""

    def __init__(self, reason: Message) -> None:
        self.reason = reason
        super().__init__(render(reason, "en"))


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


COUNT_UNITS = ("point", "parameter", "change", "pair", "df", "case", "target_year", "year")
"""Units a count can be stated in (catalogue ``forecast.count.<unit>.one`` / ``.many``)."""


def count(n: int, unit: str) -> Message:
    """``n`` and its unit, singular when n == 1 ("1 point", "3 points"), as a message."""
    if unit not in COUNT_UNITS:
        raise ValueError(f"unknown count unit {unit!r}")
    return Message(f"forecast.count.{unit}.{'one' if n == 1 else 'many'}", {"n": int(n)})


def require_residual_df(name: str, n_obs: int, n_params: int, unit: str = "point") -> int:
    """Residual df ``n_obs - n_params``; raises :class:`ModelRefusedError` below MIN_RESIDUAL_DF.

    ``unit`` names the observations (:data:`COUNT_UNITS`: "point", "change", "pair").
    """
    df = n_obs - n_params
    if df < MIN_RESIDUAL_DF:
        raise ModelRefusedError(Message("forecast.refused.too_few", {
            "model": name, "params": count(n_params, "parameter"), "obs": count(n_obs, unit),
            "needed": count(n_params + MIN_RESIDUAL_DF, unit),
            "df": count(MIN_RESIDUAL_DF, "df"),
        }))  # fmt: skip
    return df


NOISE_FLOOR = MappingProxyType({"raw": 1e-6, "logit": 1e-8})
"""Residual variances at or below these are zero up to rounding (IID points^2, logit^2)."""


def require_noise(name: str, residual_variance: float, scale: str) -> None:
    """Raise :class:`ModelRefusedError` when the fit left no residual variance.

    A perfectly flat or straight series gives a zero-width prediction interval, which would claim
    certainty that three points cannot give.
    """
    if not residual_variance > NOISE_FLOOR[scale]:
        raise ModelRefusedError(Message("forecast.refused.exact_fit", {"model": name}))


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
    fits: PanelFits | None = None,
) -> ModelForecast:
    """Random walk with drift: change over a gap of g years ~ N(drift x g, sigma^2 x g)."""
    h = _horizon(series, target_year)
    years, values = series.as_arrays()
    gaps, changes = np.diff(years), np.diff(values)
    df = require_residual_df("rw_drift", len(changes), 1, unit="change")
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
    fits: PanelFits | None = None,
) -> ModelForecast:
    """Linear trend by OLS on the raw scale, Student t prediction (statsmodels obs_ci)."""
    return _trend(series, target_year, rng, n_draws, logit=False)


def fit_trend_logit(
    series: RegionSeries,
    target_year: int,
    panel: pd.DataFrame,
    rng: np.random.Generator,
    n_draws: int,
    fits: PanelFits | None = None,
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
    fits: PanelFits | None = None,
) -> ModelForecast:
    """Pooled change-on-level regression on the logit scale over every region of ``panel``."""
    h = _horizon(series, target_year)
    n, n_params, df, n_regions, scale, params, root = _panel_fit(fits, panel, "pooled", _pooled_fit)
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
    df = require_residual_df("pooled", n, n_params, unit="pair")
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


class PanelFits:
    """Panel-level fits (the pooled models' regressions) remembered by panel, for a caller that
    fits many cases on one panel: the skill gate's backtest, whose cases share one panel per
    origin. A panel is known by identity and kept alive while this object lives, so the caller
    must not change a panel it has passed. A refusal is remembered like a result."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[pd.DataFrame, dict[str, object]]] = {}

    def get(self, panel: pd.DataFrame, key: str, compute: Callable[[pd.DataFrame], object]):
        """``compute(panel)``, computed once per panel and ``key``."""
        _, known = self._known.setdefault(id(panel), (panel, {}))
        if key not in known:
            try:
                known[key] = compute(panel)
            except ModelRefusedError as exc:
                known[key] = exc
        if isinstance(known[key], ModelRefusedError):
            raise known[key]
        return known[key]


def _panel_fit(fits: PanelFits | None, panel: pd.DataFrame, key: str, compute):
    return compute(panel) if fits is None else fits.get(panel, key, compute)


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
        raise ModelRefusedError(Message("forecast.refused.shock_years", {
            "model": "pooled_shock", "min": SHOCK_MIN_YEARS, "years": count(n_years, "year"),
        }))  # fmt: skip
    with_level = n >= POOLED_MIN_PAIRS_FOR_LEVEL
    n_params = n_years + int(with_level)
    noise_df = require_residual_df(
        "pooled_shock", n, n_params, unit="pair"
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
    fits: PanelFits | None = None,
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
        fit = _panel_fit(fits, panel, "pooled_shock", fit_shock_panel)
    except ModelRefusedError as exc:
        base = fit_pooled(series, target_year, panel, rng, n_draws, fits)
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


ETS_PARAMS = 5  # smoothing level, trend, damping, initial level, initial trend


def fit_damped_ets(
    series: RegionSeries,
    target_year: int,
    panel: pd.DataFrame,
    rng: np.random.Generator,
    n_draws: int,
    fits: PanelFits | None = None,
) -> ModelForecast:
    """Damped-trend ETS (additive errors); refused below ETS_PARAMS + MIN_RESIDUAL_DF points."""
    from statsmodels.tools.sm_exceptions import ConvergenceWarning
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    h = _horizon(series, target_year)
    years, values = series.as_arrays()
    if np.any(np.diff(years) != 1):
        raise ModelRefusedError(Message("forecast.refused.consecutive", {"model": "damped_ets"}))
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


ModelFit = Callable[..., ModelForecast]
"""``fit(series, target_year, panel, rng, n_draws, fits=None)``: the models' one signature."""
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
    fits: PanelFits | None = None,
) -> tuple[dict[str, ModelForecast], dict[str, Message]]:
    """Fit each named model; returns (forecasts by name, refusal reasons by name, as messages).

    ``panel`` must already hold only the data usable at the forecast origin; ``fits`` remembers
    the panel fits across calls on one panel (:class:`PanelFits`).
    """
    fitted: dict[str, ModelForecast] = {}
    refused: dict[str, Message] = {}
    for name in names:
        if name not in MODELS:
            raise UsageError(f"unknown model '{name}' (known: {', '.join(MODELS)})")
        try:
            rng = model_rng(seed, name)
            fitted[name] = MODELS[name](series, target_year, panel, rng, n_draws, fits)
        except ModelRefusedError as exc:
            refused[name] = exc.reason
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


def round_draws(draws: np.ndarray) -> np.ndarray:
    """Draws rounded half up to two decimals, as the IID is published."""
    return round_published(np.asarray(draws, dtype=float))
