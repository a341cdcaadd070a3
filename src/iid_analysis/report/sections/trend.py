"""The published history and the projection."""

from __future__ import annotations

from ...methodology import load_methodology
from ...scoring import classify
from .. import figures
from .. import forecast_text as ft
from ..context import ReportContext
from ..i18n import format_percent, text
from ..markup import (
    Section,
    bullet_list,
    element,
    figure,
    join,
    link,
    paragraph,
    table,
)
from .common import _missing, _n


def history_section(ctx: ReportContext) -> Section:
    """2. The published series over the predicate bands, with sources and conflicting figures."""
    lang = ctx.lang
    published = ctx.published
    blocks = []
    if len(published):
        fig = figures.history_figure(
            ctx.series, ctx.conflicts[["year", "iid"]], ctx.target_methodology.bands, lang
        )
        caption = ctx.words("history_caption", year=ctx.target_methodology.year)
        series = ctx.series
        alt = ctx.words("history_alt", first=int(series["year"].iloc[0]),
                   first_iid=_n(series["iid"].iloc[0], ctx), last=int(series["year"].iloc[-1]),
                   last_iid=_n(series["iid"].iloc[-1], ctx)) if len(series) else caption
        blocks.append(figure(fig, alt, caption))
        rows = [
            [
                int(r.year),
                _n(r.iid, ctx) if r.used else f"{_n(r.iid, ctx)} ({text('not_used', lang)})",
                classify(float(r.iid), int(r.year)),
                r.predicate_reported or "\u2013",
                join([link(r.source_url, _source_label(r.source_url)),
                      (element("span", f" \u201c{r.quote}\u201d", "iid-quote")
                       if str(r.quote).strip() else "")]),
            ]
            for r in published.itertuples()
        ]
        header_row = [text(k, lang) for k in ("col_year", "col_iid", "col_predicate_then",
                                              "col_predicate_reported", "col_source")]
        blocks.append(table(header_row, rows, numeric=(1,)))
        for conflict in ctx.published_conflicts:
            values = ", ".join(_n(v, ctx) for v in conflict.values)
            blocks.append(paragraph(ctx.words("conflict_line", year=conflict.year,
                values=values, used=_n(conflict.used_iid, ctx),
                reason=ctx.words("conflict_reason"),
            )))
            effect = (None if ctx.forecast is None
                      else ft.conflict_effect(ctx.forecast, ctx.words))
            blocks.append(paragraph(effect) if effect else _missing(ctx, "forecast"))
    else:
        blocks.append(paragraph(ctx.words("no_published", region=ctx.params.region)))
    blocks.append(paragraph(ctx.words("raw_points_note"), "iid-small"))
    return Section(
        key="history",
        title=ctx.words("s2"),
        blocks=tuple(blocks),
        facts={
            "series": [[int(y), float(v)] for y, v in ctx.series.itertuples(index=False)],
            "conflicts": [[int(r.year), float(r.iid)] for r in ctx.conflicts.itertuples()],
        },
    )


def _source_label(url: str) -> str:
    host = url.split("//", 1)[-1].split("/", 1)[0]
    return host.removeprefix("www.") or url


def projection_section(ctx: ReportContext) -> Section:
    """3. The fan chart to the target year, the models and their backtest skill, and what the
    numbers leave out."""
    lang = ctx.lang
    if ctx.forecast is None:
        missing = (_missing(ctx, "forecast"),)
        return Section(key="projection", title=ctx.words("s3"), blocks=missing)
    part = ctx.forecast
    words = ctx.words
    forecast = part.forecast
    bands = load_methodology(forecast.bands_year).bands
    caption = ctx.words("fan_caption", year=forecast.target_year,
                   threshold=_n(part.threshold, ctx))
    models = ft.model_rows(part, words)
    model_header = [text(k, lang) for k in ("col_model", "col_weight", "col_median",
                                            "col_range90", "col_refused")]
    blocks = [
        figure(figures.fan_figure(ctx.series, forecast.quantiles, forecast.target_year,
                                  part.threshold, bands, lang),
               ctx.words("fan_alt", year=forecast.target_year,
                    median=_n(forecast.median, ctx, 1), low=_n(forecast.quantiles[0.05], ctx, 1),
                    high=_n(forecast.quantiles[0.95], ctx, 1), threshold=_n(part.threshold, ctx),
                    p=format_percent(forecast.prob_at_least(part.threshold), lang)),
               caption),
        paragraph(ft.probability_sentence(part, words)),
        paragraph(ft.increase_sentence(part, words)),
        table([ctx.words("col_predicate"), ctx.words("col_probability"), ""],
              ft.predicate_rows(part, words), numeric=(1,)),
        element("h3", ctx.words("models_title")),
        table(model_header[: len(models[0])], models, numeric=(1, 2, 3)),
        paragraph(ft.backtest_sentence(part, words)),
        element("h3", ctx.words("leaves_out_title")),
        bullet_list(ft.leaves_out(part, words)),
    ]
    return Section(key="projection", title=ctx.words("s3"), blocks=tuple(blocks),
                   facts=ft.facts(part))
