"""Sentences and tables about the forecast, in the report's language (from a ForecastPart)."""

from __future__ import annotations

from ..forecasting.backtest import FEW_FORECASTS
from ..forecasting.forecast import ENSEMBLE, MODEL_NAMES
from ..messages import Message, render
from ..wording import describe_probability, format_number, format_percent
from .analysis import ForecastPart
from .i18n import model_name, text

SAID_ELSEWHERE = frozenset({"forecast.note.conflict"})
"""Forecast notes the report says in its own place: a conflicting figure's effect is in the
history section (:func:`conflict_effect`), so it is not repeated under "what it leaves out"."""


def with_model_names(item, lang: str):
    """``item`` (a message of the forecast) with every parameter that is a model identifier
    (``trend_logit`` ...) replaced by the model's name in the catalogue, nested messages too:
    the identifiers are parameters, so no sentence is searched or rewritten."""
    if isinstance(item, Message):
        return Message(item.key, {k: with_model_names(v, lang) for k, v in item.params.items()})
    if isinstance(item, str) and item in MODEL_NAMES:
        return model_name(item, lang)
    if isinstance(item, tuple | list):
        return type(item)(with_model_names(v, lang) for v in item)
    return item


def model_words(item, lang: str) -> str:
    """A forecast message (or plain text, as it is) rendered with model names in words."""
    return render(with_model_names(item, lang), lang)


def reason(forecast, model: str, lang: str) -> str:
    """Why ``model`` was refused or got no weight, in ``lang`` ("" when neither)."""
    why = forecast.refused.get(model) or forecast.excluded.get(model)
    return "" if not why else model_words(why, lang)


def probability(p: float, lang: str) -> str:
    """``p`` as a percentage by the shared formatter (:func:`iid_analysis.wording.format_percent`:
    ``78 %`` / ``78%``, ``< 1 %`` and ``> 99 %`` rather than a rounded 0 or 100)."""
    return format_percent(p, lang)


def band(p: float, lang: str) -> str:
    """The verbal band of a probability (iid_analysis.wording)."""
    return describe_probability(p, lang)


def p_reach(part: ForecastPart) -> float:
    """P(the target year's published IID >= the threshold)."""
    return part.forecast.prob_at_least(part.threshold)


def target_phrase(part: ForecastPart, target: float, is_default: bool, lang: str) -> str:
    if is_default:
        return text("target_above", lang, last=format_number(part.forecast.last_value, lang))
    return text("target_at_least", lang, target=format_number(target, lang))


def verdict(part: ForecastPart, target: float, is_default: bool, lang: str) -> str:
    """The verdict in one sentence: reaching the target, its verbal band and probability."""
    forecast = part.forecast
    p = p_reach(part)
    return text(
        "verdict", lang, year=forecast.target_year,
        target=target_phrase(part, target, is_default, lang), band=band(p, lang),
        p=probability(p, lang), first=forecast.series.years[0], last=forecast.series.last_year,
    )


def probability_sentence(part: ForecastPart, lang: str) -> str:
    forecast = part.forecast
    quantiles = forecast.quantiles
    p = p_reach(part)
    return text(
        "probability_line", lang, year=forecast.target_year,
        threshold=format_number(part.threshold, lang), p=probability(p, lang), band=band(p, lang),
        median=format_number(forecast.median, lang, 1),
        low=format_number(quantiles[0.10], lang, 1), high=format_number(quantiles[0.90], lang, 1),
    )


def increase_sentence(part: ForecastPart, lang: str) -> str:
    forecast = part.forecast
    p = forecast.prob_increase()
    return text(
        "increase_line", lang, year=forecast.target_year,
        last=format_number(forecast.last_value, lang), last_year=forecast.series.last_year,
        p=probability(p, lang), band=band(p, lang),
    )


def predicate_outlook(part: ForecastPart, lang: str) -> str:
    """Each predicate with at least 0.5 % probability, most likely first."""
    chances = sorted(part.forecast.prob_predicate().items(), key=lambda item: -item[1])
    items = [f"{name} {probability(p, lang)} ({band(p, lang)})" for name, p in chances
             if p >= 0.005]
    return text(
        "predicate_outlook", lang, year=part.forecast.target_year,
        bands_year=part.forecast.bands_year, items="; ".join(items),
    )


def predicate_rows(part: ForecastPart, lang: str) -> list[list[str]]:
    chances = part.forecast.prob_predicate()
    return [[name, probability(p, lang), band(p, lang)] for name, p in reversed(chances.items())]


def model_rows(part: ForecastPart, lang: str) -> list[list[str]]:
    """Model, weight, median, 90 % range, why refused or without weight (models tried by the
    forecast; the last column only when some model was refused or has no weight)."""
    rows = []
    for row in part.forecast.model_table().itertuples():
        why = reason(part.forecast, row.model, lang)
        name = model_name(row.model, lang)
        if row.model in part.forecast.refused:
            rows.append([name, probability(0.0, lang), "\u2013", "\u2013", why])
            continue
        rows.append([
            name,
            probability(row.weight, lang),
            format_number(row.median, lang, 1),
            f"{format_number(row.q05, lang, 1)}\u2013{format_number(row.q95, lang, 1)}",
            why,
        ])
    if not any(row[-1] for row in rows):
        rows = [row[:-1] for row in rows]
    return rows


def backtest_sentence(part: ForecastPart, lang: str) -> str:
    """How the ensemble fared in the rolling-origin backtest, with the caveat when few."""
    row = part.backtest.summary_for(ENSEMBLE)
    n = int(row["n_forecasts"])
    if n == 0:
        return text("backtest_none", lang)
    sentence = text(
        "backtest_line", lang, model=model_name(ENSEMBLE, lang), n=n,
        c50=probability(row["coverage_50"], lang), c80=probability(row["coverage_80"], lang),
        c90=probability(row["coverage_90"], lang), crps=format_number(row["crps"], lang, 1),
        mae=format_number(row["mae"], lang, 1), brier=format_number(row["brier_increase"], lang),
    )
    sentence = f"{sentence} {tested_sentence(part, lang)}"
    return f"{sentence} {text('backtest_few', lang)}" if n < FEW_FORECASTS else sentence


def tested_sentence(part: ForecastPart, lang: str) -> str:
    """Which models the backtest checked and on how many cases (rolling origin)."""
    tested = ", ".join(f"{model_name(m, lang)} {n}" for m, n in part.backtest.tested().items())
    return text("backtest_tested", lang, tested=tested)


def leaves_out(part: ForecastPart, lang: str) -> list[str]:
    """What the numbers leave out: the forecast's own notes (one source with the CLI,
    :func:`iid_analysis.forecasting.forecast.forecast_notes`), then the city's actions."""
    items = [
        model_words(note, lang) for note in part.forecast.notes
        if getattr(note, "key", "") not in SAID_ELSEWHERE
    ]
    items.append(text("leave_actions", lang, year=part.forecast.target_year))
    return items


def conflict_effect(part: ForecastPart, lang: str) -> str | None:
    """How the other figure of a conflicting year moves the projection (None: no conflict)."""
    forecast = part.forecast
    other = forecast.alternative
    if other is None or not forecast.series.alternatives:
        return None
    alternative = forecast.series.alternatives[0]
    median, alt_median = (format_number(v, lang, 1) for v in (forecast.median, other.median))
    p, alt_p = (probability(v, lang) for v in (p_reach(part), other.prob_at_least(part.threshold)))
    # A figure is never "instead of" itself: an unchanged median or probability is said to stay.
    key = "conflict_effect" if median != alt_median else (
        "conflict_effect_same" if p != alt_p else "conflict_effect_none")
    return text(
        key, lang, alt=format_number(alternative.iid, lang), year=alternative.year,
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
