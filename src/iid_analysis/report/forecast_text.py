"""Sentences and tables about the forecast, in the report's language (from a ForecastPart).

Every function takes the report's :class:`~iid_analysis.report.i18n.Words` (``ctx.words``): the
catalogue bound to the report's language."""

from __future__ import annotations

from ..forecasting.backtest import FEW_FORECASTS
from ..forecasting.forecast import ENSEMBLE, MODEL_NAMES
from ..messages import Message
from .analysis import ForecastPart
from .i18n import Words

SAID_ELSEWHERE = frozenset({"forecast.note.conflict"})
"""Forecast notes the report says in its own place: a conflicting figure's effect is in the
history section (:func:`conflict_effect`), so it is not repeated under "what it leaves out"."""


def with_model_names(item, words: Words):
    """``item`` (a message of the forecast) with every parameter that is a model identifier
    (``trend_logit`` ...) replaced by the model's name in the catalogue, nested messages too:
    the identifiers are parameters, so no sentence is searched or rewritten."""
    if isinstance(item, Message):
        return Message(item.key, {k: with_model_names(v, words) for k, v in item.params.items()})
    if isinstance(item, str) and item in MODEL_NAMES:
        return words.model(item)
    if isinstance(item, tuple | list):
        return type(item)(with_model_names(v, words) for v in item)
    return item


def model_words(item, words: Words) -> str:
    """A forecast message (or plain text, as it is) rendered with model names in words."""
    return words.render(with_model_names(item, words))


def reason(forecast, model: str, words: Words) -> str:
    """Why ``model`` was refused or got no weight, in the report's language ("" when neither)."""
    why = forecast.refused.get(model) or forecast.excluded.get(model)
    return "" if not why else model_words(why, words)


def probability(p: float, words: Words) -> str:
    """``p`` as a percentage by the shared formatter (:func:`iid_analysis.wording.format_percent`:
    ``78 %`` / ``78%``, ``< 1 %`` and ``> 99 %`` rather than a rounded 0 or 100)."""
    return words.pct(p)


def band(p: float, words: Words) -> str:
    """The verbal band of a probability (iid_analysis.wording)."""
    return words.band(p)


def p_reach(part: ForecastPart) -> float:
    """P(the target year's published IID >= the threshold)."""
    return part.forecast.prob_at_least(part.threshold)


def target_phrase(part: ForecastPart, target: float, is_default: bool, words: Words) -> str:
    if is_default:
        return words("target_above", last=words.num(part.forecast.last_value))
    return words("target_at_least", target=words.num(target))


def verdict(part: ForecastPart, target: float, is_default: bool, words: Words) -> str:
    """The verdict in one sentence: reaching the target, its verbal band and probability."""
    forecast = part.forecast
    p = p_reach(part)
    return words(
        "verdict", year=forecast.target_year,
        target=target_phrase(part, target, is_default, words), band=band(p, words),
        p=probability(p, words), first=forecast.series.years[0], last=forecast.series.last_year,
    )


def probability_sentence(part: ForecastPart, words: Words) -> str:
    forecast = part.forecast
    quantiles = forecast.quantiles
    p = p_reach(part)
    return words(
        "probability_line", year=forecast.target_year,
        threshold=words.num(part.threshold), p=probability(p, words), band=band(p, words),
        median=words.num(forecast.median, 1),
        low=words.num(quantiles[0.10], 1), high=words.num(quantiles[0.90], 1),
    )


def increase_sentence(part: ForecastPart, words: Words) -> str:
    forecast = part.forecast
    p = forecast.prob_increase()
    return words(
        "increase_line", year=forecast.target_year,
        last=words.num(forecast.last_value), last_year=forecast.series.last_year,
        p=probability(p, words), band=band(p, words),
    )


def predicate_outlook(part: ForecastPart, words: Words) -> str:
    """Each predicate with at least 0.5 % probability, most likely first."""
    chances = sorted(part.forecast.prob_predicate().items(), key=lambda item: -item[1])
    items = [f"{name} {probability(p, words)} ({band(p, words)})" for name, p in chances
             if p >= 0.005]
    return words(
        "predicate_outlook", year=part.forecast.target_year,
        bands_year=part.forecast.bands_year, items="; ".join(items),
    )


def predicate_rows(part: ForecastPart, words: Words) -> list[list[str]]:
    chances = part.forecast.prob_predicate()
    return [[name, probability(p, words), band(p, words)] for name, p in reversed(chances.items())]


def model_rows(part: ForecastPart, words: Words) -> list[list[str]]:
    """Model, weight, median, 90 % range, why refused or without weight (models tried by the
    forecast; the last column only when some model was refused or has no weight)."""
    rows = []
    for row in part.forecast.model_table().itertuples():
        why = reason(part.forecast, row.model, words)
        name = words.model(row.model)
        if row.model in part.forecast.refused:
            rows.append([name, probability(0.0, words), "\u2013", "\u2013", why])
            continue
        rows.append([
            name,
            probability(row.weight, words),
            words.num(row.median, 1),
            f"{words.num(row.q05, 1)}\u2013{words.num(row.q95, 1)}",
            why,
        ])
    if not any(row[-1] for row in rows):
        rows = [row[:-1] for row in rows]
    return rows


def backtest_sentence(part: ForecastPart, words: Words) -> str:
    """How the ensemble fared in the rolling-origin backtest, with the caveat when few."""
    row = part.backtest.summary_for(ENSEMBLE)
    n = int(row["n_forecasts"])
    if n == 0:
        return words("backtest_none")
    sentence = words(
        "backtest_line", model=words.model(ENSEMBLE), n=n,
        c50=probability(row["coverage_50"], words), c80=probability(row["coverage_80"], words),
        c90=probability(row["coverage_90"], words), crps=words.num(row["crps"], 1),
        mae=words.num(row["mae"], 1), brier=words.num(row["brier_increase"]),
    )
    sentence = f"{sentence} {tested_sentence(part, words)}"
    return f"{sentence} {words('backtest_few')}" if n < FEW_FORECASTS else sentence


def tested_sentence(part: ForecastPart, words: Words) -> str:
    """Which models the backtest checked and on how many cases (rolling origin)."""
    tested = ", ".join(f"{words.model(m)} {n}" for m, n in part.backtest.tested().items())
    return words("backtest_tested", tested=tested)


def leaves_out(part: ForecastPart, words: Words) -> list[str]:
    """What the numbers leave out: the forecast's own notes (one source with the CLI,
    :func:`iid_analysis.forecasting.forecast.forecast_notes`), then the city's actions."""
    items = [
        model_words(note, words) for note in part.forecast.notes
        if getattr(note, "key", "") not in SAID_ELSEWHERE
    ]
    items.append(words("leave_actions", year=part.forecast.target_year))
    return items


def conflict_effect(part: ForecastPart, words: Words) -> str | None:
    """How the other figure of a conflicting year moves the projection (None: no conflict)."""
    forecast = part.forecast
    other = forecast.alternative
    if other is None or not forecast.series.alternatives:
        return None
    alternative = forecast.series.alternatives[0]
    median, alt_median = (words.num(v, 1) for v in (forecast.median, other.median))
    p, alt_p = (probability(v, words) for v in (p_reach(part), other.prob_at_least(part.threshold)))
    # A figure is never "instead of" itself: an unchanged median or probability is said to stay.
    key = "conflict_effect" if median != alt_median else (
        "conflict_effect_same" if p != alt_p else "conflict_effect_none")
    return words(
        key, alt=words.num(alternative.iid), year=alternative.year,
        alt_median=alt_median, median=median, alt_p=alt_p, p=p,
    )


def facts(part: ForecastPart) -> dict:
    """The forecast's key numbers (JSON-ready)."""
    forecast = part.forecast
    return {
        "threshold": part.threshold,
        "p_reach": p_reach(part),
        "p_increase": forecast.prob_increase(),
        "median": forecast.median,
        "quantiles": {str(k): v for k, v in forecast.quantiles.items()},
        "prob_predicate": forecast.prob_predicate(),
        "weights": dict(forecast.weights),
        "backtest_cases": dict(forecast.tested_models),
        "bands_year": forecast.bands_year,
        "alternative_median": None if forecast.alternative is None else forecast.alternative.median,
    }
