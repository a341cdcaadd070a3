"""Forecasting a region's IID for a later year, with the uncertainty three points really leave.

:func:`forecast_region` fits the models (:mod:`iid_analysis.forecasting.models`), weights them
(:mod:`iid_analysis.forecasting.gate`: credibility over the models that pass the skill gate),
mixes their draws and returns a frozen :class:`Forecast` whose notes
(:mod:`iid_analysis.forecasting.notes`) say, as messages in the catalogue, what the numbers
leave out. The backtest that judges the models is :mod:`iid_analysis.forecasting.backtest`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import UsageError
from ..inputs.published import (
    PREFER_ALTERNATIVE,
    PREFER_DECREE,
    PREFERENCES,
    RegionSeries,
    load_innovation_counts,
    load_national_summary,
    load_published_scores,
    not_reported,
    peer_panel,
    region_innovation_counts,
    series_from_panel,
)
from ..messages import Message, render
from ..methodology import BAND_RULES, PREDICATES, load_methodology
from .bands import bands_year_for, predicate_edges
from .gate import GateResult, SkillGate, backtest_support, evidence_weights, normalise
from .models import (
    ANCHOR_MODEL,
    DEFAULT_N_DRAWS,
    ENSEMBLE,
    ENSEMBLE_MODELS,
    MIN_N_DRAWS,
    MODEL_NAMES,
    MODELS,
    QUANTILE_LEVELS,
    ModelForecast,
    consecutive_pairs,
    fit_models,
    mix_draws,
    round_draws,
    to_logit,
)
from .notes import forecast_notes

__all__ = [
    "ANCHOR_MODEL",
    "DEFAULT_N_DRAWS",
    "ENSEMBLE",
    "ENSEMBLE_MODELS",
    "MODEL_NAMES",
    "QUANTILE_LEVELS",
    "Forecast",
    "bands_year_for",
    "forecast_conflicts",
    "forecast_region",
    "national_distribution",
    "predicate_edges",
    "swap_conflicts",
]


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
    refused : model name -> why the series cannot support it (a :class:`Message`).
    bands_year : whose predicate bands classify the draws; ``provisional_rules`` lists its band
        rules that are not CONFIRMED.
    seed : the seed used (same inputs and seed -> same numbers).
    alternative : the same forecast with the other figure of a conflicting region-year (e.g. Kota
        Mojokerto 2022: 70 instead of 77.73), or None when the data used has no conflict.
    notes : what the numbers leave out, as messages (:meth:`notes_in` renders them in a
        language; :func:`iid_analysis.forecasting.notes.forecast_notes` builds them).
    backtest_cases : model -> rolling-origin backtest cases of the panel it could be fitted to.
    excluded : model -> why a fitted model has no weight (not backtested on the panel, or gated
        out by the skill gate), as a :class:`Message`.
    n_not_reported : published 0s (regions that did not report) left out of the panel used.
    innovation_counts : the region's published innovation counts (year, innovations, basis).
    weighting : ``"evidence"`` (default weights) or ``"given"`` (weights passed in).
    national_check : (year, national shift, panel mean change, panel pairs) per year where the
        national band counts give the shift of the whole distribution (logit scale; see
        :func:`national_distribution`), beside the mean change of the panel's regions that year.
    skill_gate : model -> :class:`GateResult` of the default weighting
        (:func:`iid_analysis.forecasting.gate.gated_weights`;
        empty with given weights or one model).
    """

    region: str
    target_year: int
    as_of: int
    series: RegionSeries
    draws: np.ndarray = field(repr=False, compare=False)
    components: Mapping[str, ModelForecast] = field(repr=False, compare=False)
    weights: Mapping[str, float]
    refused: Mapping[str, Message]
    bands_year: int
    provisional_rules: tuple[str, ...]
    seed: int
    alternative: Forecast | None = None
    notes: tuple[Message, ...] = ()
    backtest_cases: Mapping[str, int] = field(default_factory=dict)
    excluded: Mapping[str, Message] = field(default_factory=dict)
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
        """What the numbers leave out, rendered in ``lang`` (``"id"`` or ``"en"``)."""
        return tuple(render(note, lang) for note in self.notes)

    @property
    def tested_models(self) -> dict[str, int]:
        """Models tried -> backtest cases on the panel (0: could not be backtested)."""
        names = [*self.components, *self.refused]
        return {n: int(self.backtest_cases.get(n, 0)) for n in names}

    def model_table(self, lang: str = "en") -> pd.DataFrame:
        """One row per model tried: model, weight, n_obs, n_params, residual_df, scale, q05,
        median, q95, description, backtest_cases, refused_reason ("" when fitted; for a fitted
        model with no weight, why; rendered in ``lang``), gate_cases (the skill gate's cases
        shared with the anchor) and gate_vs_anchor (its 80 % interval score over the anchor's;
        NaN when not judged)."""
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
                    "refused_reason": render(self.excluded.get(name, ""), lang),
                    **self._gate_columns(name),
                }
            )
        for name, reason in self.refused.items():
            rows.append(
                {
                    "model": name, "weight": 0.0,
                    "backtest_cases": int(self.backtest_cases.get(name, 0)),
                    "refused_reason": render(reason, lang), **self._gate_columns(name),
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
    skill_gate: SkillGate | None = None,
    national_summary: pd.DataFrame | None = None,
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
    national_summary : :func:`iid_analysis.inputs.published.load_national_summary` layout, for
        the national check when ``scores`` is given (default: the published file). A caller that
        passes ``panel``, ``scores``, ``innovation_counts`` and this reads no file.
    skill_gate : the :class:`~iid_analysis.forecasting.gate.SkillGate` that remembers the
        panel's gate backtest; pass one to share it across regions of one panel (default: a
        new one for this call).

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
    gate = SkillGate() if skill_gate is None else skill_gate
    result = _forecast_one(
        region, int(target_year), as_of, used, prefer, seed, n_draws, models, weights, gate
    )
    if prefer == PREFER_DECREE and result.series.has_conflict:
        other = _forecast_one(
            region, int(target_year), as_of, used, PREFER_ALTERNATIVE, seed, n_draws, models,
            weights, gate,
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
    check = () if scores is None else _national_check(used, as_of, national_summary)
    result = _with(result, innovation_counts=counts, n_not_reported=zeros, national_check=check)
    return _with(result, notes=forecast_notes(result))


def _national_check(panel: pd.DataFrame, as_of: int, summary: pd.DataFrame | None) -> tuple:
    national = national_distribution(summary)
    pairs = consecutive_pairs(panel)
    rows = []
    for row in national[national["shift"].notna() & (national["year"] <= as_of)].itertuples():
        mine = pairs[pairs["year"] == row.year]["change"]
        if len(mine):
            rows.append((int(row.year), float(row.shift), float(mine.mean()), len(mine)))
    return tuple(rows)


def _with(forecast: Forecast, **changes) -> Forecast:
    return replace(forecast, **changes)


def _forecast_one(
    region, target_year, as_of, panel, prefer, seed, n_draws, models, weights, skill_gate
):
    world = swap_conflicts(panel) if prefer == PREFER_ALTERNATIVE else panel
    series = series_from_panel(region, world, prefer=prefer)
    fitted, refused = fit_models(
        series, target_year, world, tuple(models), seed=seed, n_draws=n_draws
    )
    if not fitted:
        reasons = "; ".join(render(reason, "en") for reason in refused.values())
        raise UsageError(f"no model can forecast {region} from its data: {reasons}")
    support = backtest_support(world, [*fitted, *refused, ANCHOR_MODEL])
    gate: dict[str, GateResult] = {}
    if weights is None and len(models) > 1:
        chosen, excluded, gate = skill_gate.weights(fitted, world, support)
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
        chosen = normalise({n: float(w) for n, w in weights.items() if n in fitted})
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


def national_distribution(summary: pd.DataFrame | None = None) -> pd.DataFrame:
    """The national distribution of logit(IID/100) implied by the predicate band counts.

    For each 0..100 year with counts of Kurang Inovatif, Inovatif and Sangat Inovatif in
    ``national_summary.csv`` (2021, 2022), a normal on the logit scale is fitted exactly through
    the two band edges of that year's rules: the shares below the Inovatif and the Sangat Inovatif
    edges fix its mean and sd (regions scored 0 are left out, as everywhere). Columns: year,
    n_scored, mean_logit, sd_logit, shift (mean change from the previous row's year; NaN first).
    """
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
