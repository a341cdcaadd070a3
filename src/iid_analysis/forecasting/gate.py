"""The default weights of the ensemble and the skill gate that screens its members.

:func:`evidence_weights` gives each fitted model its credibility, df / (df +
:data:`WEIGHT_HALF_DF`), over the models the backtest could check on the panel.
:func:`gated_weights` first drops the models that fail the skill gate: with at least
:data:`GATE_MIN_CASES` rolling-origin cases on the panel, a model's 80 % interval score must be no
worse than the anchor's (:data:`ANCHOR_MODEL`), overall and in most target years. The gate's
backtests are remembered by a :class:`SkillGate`, an explicit cache object the caller keeps for as
long as it forecasts from one panel (one report, one backtest); nothing is remembered elsewhere.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..inputs.published import RegionSeries
from ..messages import Message
from .models import (
    ANCHOR_MODEL,
    MODEL_MIN_POINTS,
    MODELS,
    PANEL_MODELS,
    ModelForecast,
    ModelRefusedError,
    PanelFits,
    count,
    model_rng,
)
from .scores import interval_score

WEIGHT_HALF_DF = 4
"""A model's credibility is df / (df + WEIGHT_HALF_DF), df its residual degrees of freedom: a
trend on 3 points (1 df) gets 0.2, a pooled fit with many pairs close to 1; weights are the
credibilities normalised to sum 1."""


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
) -> tuple[dict[str, float], dict[str, Message]]:
    """Default weights: each fitted model's :func:`credibility`, normalised, over the models the
    backtest could check on the panel (``support`` > 0). Returns (weights, excluded: model ->
    why it has no weight). When no fitted model was backtested, all fitted models are weighted
    (and the notes say so)."""
    tested = [n for n in fitted if support.get(n, 0) > 0]
    excluded = {
        n: Message("forecast.excluded.untested", {
            "model": n, "points": count(MODEL_MIN_POINTS.get(n, 1), "point"),
        })  # fmt: skip
        for n in fitted
        if n not in tested
    }
    members = tested or list(fitted)
    if not tested:
        excluded = {}
    raw = {n: credibility(fitted[n].residual_df) for n in members}
    if not sum(raw.values()) > 0:
        raw = dict.fromkeys(members, 1.0)
    return normalise(raw), excluded


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
"""Panels a :class:`SkillGate` remembers (the oldest is forgotten first)."""


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


def _panel_key(panel: pd.DataFrame) -> bytes:
    rows = pd.util.hash_pandas_object(panel[["region_name", "year", "iid"]], index=False)
    return hashlib.blake2b(rows.to_numpy().tobytes(), digest_size=16).digest()


class SkillGate:
    """The skill gate with its memory: each panel's backtest (:meth:`skill`) is run once and
    remembered by the panel's contents and the models judged (at most ``max_panels`` panels).

    Keep one for as long as forecasts are made from one panel (every region of a report, every
    case of one origin in a backtest); a new one starts empty. Nothing is remembered elsewhere.
    """

    def __init__(self, max_panels: int = GATE_CACHE_SIZE) -> None:
        self.max_panels = int(max_panels)
        self._results: dict[tuple, Mapping[str, GateResult]] = {}
        self.runs = 0
        """How many backtests this gate has run (the rest were remembered)."""

    def __len__(self) -> int:
        return len(self._results)

    def clear(self) -> None:
        self._results.clear()

    def skill(self, panel: pd.DataFrame, models: Sequence[str]) -> Mapping[str, GateResult]:
        """:func:`panel_skill` of ``panel`` and ``models``, remembered."""
        models = tuple(m for m in dict.fromkeys(models) if m != ANCHOR_MODEL)
        key = (_panel_key(panel), models, GATE_N_DRAWS, GATE_SEED)
        if key not in self._results:
            if len(self._results) >= self.max_panels:
                self._results.pop(next(iter(self._results)))
            self._results[key] = MappingProxyType(run_gate_backtest(panel, models))
            self.runs += 1
        return self._results[key]

    def weights(
        self,
        fitted: Mapping[str, ModelForecast],
        panel: pd.DataFrame,
        support: Mapping[str, int] | None = None,
    ) -> tuple[dict[str, float], dict[str, Message], dict[str, GateResult]]:
        """:func:`gated_weights` with this gate's memory."""
        return gated_weights(fitted, panel, support, gate=self)


def panel_skill(
    panel: pd.DataFrame, models: Sequence[str], gate: SkillGate | None = None
) -> Mapping[str, GateResult]:
    """The skill gate's backtest: each model's and the anchor's mean 80 % interval score over
    the rolling-origin cases of ``panel`` that both could forecast, leaving out the cases where
    the model's forecast is the anchor's own (counted in ``n_same``).

    A case is a region, an origin year and a later year with a published value of that region;
    every fit sees only the panel's rows up to the origin (the region's own points included),
    and the models themselves are fitted (never the mixture, so no recursion). The models of
    one case draw from one generator (common random numbers), so a model that reduces to the
    anchor on a case (``pooled_shock``'s fallback) scores exactly as the anchor there.
    Remembered by ``gate`` (a :class:`SkillGate`) when one is given: every region forecast from
    one panel can share it.
    """
    return (SkillGate() if gate is None else gate).skill(panel, models)


def _gate_draws(name, series, target_year, known, words, fits) -> np.ndarray | None:
    rng = model_rng(words, ANCHOR_MODEL)  # the same stream for every model: common numbers
    try:
        return MODELS[name](series, target_year, known, rng, GATE_N_DRAWS, fits).draws
    except ModelRefusedError:
        return None


def _score(draws: np.ndarray, observed: float) -> float:
    low, high = np.quantile(draws, [0.1, 0.9])
    return interval_score(float(low), float(high), observed, 0.8)


def run_gate_backtest(panel: pd.DataFrame, models: Sequence[str]) -> dict[str, GateResult]:
    """The gate's backtest of ``models`` on ``panel``, unremembered (see :func:`panel_skill`)."""
    return _gate_cases(panel, tuple(models), PanelFits())


def _gate_cases(panel: pd.DataFrame, models: tuple[str, ...], fits) -> dict[str, GateResult]:
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
                anchor = _gate_draws(ANCHOR_MODEL, series, target, known, words, fits)
                if anchor is None:
                    continue
                anchor_score = _score(anchor, observed)
                for model in candidates:
                    draws = _gate_draws(model, series, target, known, words, fits)
                    if draws is None:
                        continue
                    if np.array_equal(draws, anchor):
                        same[model] += 1  # the anchor's own forecast: no evidence either way
                        continue
                    mine[model].append(_score(draws, observed))
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
    gate: SkillGate | None = None,
) -> tuple[dict[str, float], dict[str, Message], dict[str, GateResult]]:
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
    ``gate``: the :class:`SkillGate` that remembers the panel's backtest (a new one when None).
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
    run = panel_skill(panel, judged, gate) if judged else {}
    verdicts = {n: run.get(n, GateResult(n, k)) for n, k in possible.items()}
    out = {
        n: Message("forecast.excluded.gate", {
            "model": n, "ratio": g.ratio, "anchor": ANCHOR_MODEL,
            "cases": count(g.n_cases, "case"), "k": g.years_no_worse,
            "years": count(g.n_years, "target_year"),
        })  # fmt: skip
        for n, g in verdicts.items()
        if not g.passed
    }
    kept = {n: f for n, f in fitted.items() if n not in out}
    if out and not any(support.get(n, 0) > 0 for n in kept):
        untested = {
            n: Message("forecast.excluded.untested_short", {"model": n})
            for n in kept
            if n != ANCHOR_MODEL
        }
        return {ANCHOR_MODEL: 1.0}, untested | out, verdicts
    weights, excluded = evidence_weights(kept, support)
    return weights, excluded | out, verdicts


def normalise(weights: Mapping[str, float]) -> dict[str, float]:
    """``weights`` divided by their sum (zeros dropped); raises :class:`UsageError` on a
    negative or non-finite weight or a zero sum."""
    if any(not (np.isfinite(w) and w >= 0) for w in weights.values()):
        raise UsageError("model weights must be finite and not negative")
    total = float(sum(weights.values()))
    if not total > 0:
        raise UsageError("the weights of the models that can be fitted add up to 0")
    return {n: float(w) / total for n, w in weights.items() if w > 0}
