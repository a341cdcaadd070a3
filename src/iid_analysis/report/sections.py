"""The report's sections, each built from a :class:`ReportContext` by one function, so that
every notebook cell is a one-line call. Each returns a :class:`~.markup.Section` (HTML plus
the facts behind it). An analysis that is not available says so plainly; no number is invented.
"""

from __future__ import annotations

import pandas as pd

from ..methodology import load_methodology
from ..scoring import classify
from ..validation import STATUS_REJECTED
from . import assumptions as log
from . import figures
from . import forecast_text as ft
from . import plan_text as pt
from .analysis import PLAN_PROBABILITY
from .context import ReportContext
from .i18n import format_number, format_percent, text
from .markup import (
    Html,
    Section,
    bullet_list,
    element,
    figure,
    join,
    link,
    notice,
    paragraph,
    rag_badge,
    table,
)

OPD_ROWS_SHOWN = 10
LEVER_ROWS = 8


def _n(value: float, ctx: ReportContext, decimals: int = 2) -> str:
    return format_number(value, ctx.lang, decimals)


def _missing(ctx: ReportContext, analysis: str) -> Html:
    """The plain statement that ``analysis`` is not available, with the reason
    :func:`~.context.build_context` gave (the forecast, for a region with no published IID)."""
    return notice(text("not_available", ctx.lang, what=ctx.unavailable[analysis]), "missing")


def describe_rules(rules, lang: str) -> str:
    """Rule names joined, with ``indicator 1``, ``indicator 2a``... folded into one entry."""
    indicators = [r.split(" ", 1)[1] for r in rules if r.startswith("indicator ")]
    others = [r for r in rules if not r.startswith("indicator ")]
    if indicators:
        others.append(f"{text('indicators_word', lang)} {', '.join(indicators)}")
    return ", ".join(others) or text("none", lang)


def _synthetic_tag(ctx: ReportContext) -> str:
    return text("synthetic_tag", ctx.lang) if ctx.synthetic else ctx.params.path("spd").name


def reproduced_sentence(ctx: ReportContext) -> str | None:
    """That the indicator data was built to reproduce a published IID, when its datasheet says
    so (None otherwise): a match by construction is not a validation."""
    reproduced = None if ctx.datasheet is None else ctx.datasheet.built_to_reproduce
    if reproduced is None:
        return None
    return text("reproduced_line", ctx.lang, year=reproduced.year, iid=_n(reproduced.iid, ctx))


def header(ctx: ReportContext) -> Section:
    """The title, the region and, for data its datasheet marks synthetic, the warning."""
    blocks = []
    if ctx.synthetic:
        blocks.append(notice(text("synthetic_banner", ctx.lang), "warning"))
    return Section(
        key="title",
        title=text("report_title", ctx.lang, year=ctx.params.target_year, region=ctx.params.region),
        blocks=tuple(blocks),
        facts={"region": ctx.params.region, "synthetic": ctx.synthetic},
        level=1,
    )


def target_sentence(ctx: ReportContext) -> str:
    """The target and how it was set, in the report's language."""
    last = ctx.last_published
    if ctx.target_is_default and last is not None:
        return text(
            "target_line_default", ctx.lang, year=ctx.params.target_year,
            last=_n(last["iid"], ctx), last_year=int(last["year"]),
            threshold=_n(ctx.threshold, ctx),
        )
    return text(
        "target_line_given", ctx.lang, year=ctx.params.target_year, target=_n(ctx.target, ctx)
    )


def summary_section(ctx: ReportContext) -> Section:
    """1. The verdict, the probability of reaching the target, the predicate outlook, levers."""
    lang = ctx.lang
    last = ctx.last_published
    blocks = []
    probability = None
    if ctx.forecast is None:
        verdict = text("verdict_missing", lang, what=ctx.unavailable["forecast"])
    else:
        verdict = ft.verdict(ctx.forecast, ctx.target, ctx.target_is_default, lang)
        probability = ft.p_reach(ctx.forecast)
    blocks.append(paragraph(verdict, "iid-verdict"))
    blocks.append(paragraph(target_sentence(ctx)))
    if ctx.forecast is not None:
        blocks.append(paragraph(ft.probability_sentence(ctx.forecast, lang)))
        blocks.append(paragraph(ft.predicate_outlook(ctx.forecast, lang)))
    if last is not None:
        predicate = last["predicate_reported"] or classify(last["iid"], int(last["year"]))
        sentence = text(
            "last_published", lang, value=_n(last["iid"], ctx), year=int(last["year"]),
            predicate=predicate,
        )
        source = link(last["source_url"], _source_label(last["source_url"]))
        blocks.append(paragraph(join([sentence, " ", text("col_source", lang), ": ", source])))
    else:
        blocks.append(paragraph(text("no_published", lang, region=ctx.params.region)))
    blocks.append(paragraph(text(
        "current_score_line", lang, year=ctx.score.year, tag=_synthetic_tag(ctx),
        iid=_n(ctx.score.iid, ctx), predicate=ctx.score.predicate,
    )))
    if reproduced := reproduced_sentence(ctx):
        blocks.append(paragraph(reproduced, "iid-small"))
    blocks.append(paragraph(text("levers_top", lang, tag=_synthetic_tag(ctx))))
    blocks.append(bullet_list(pt.top_levers(ctx.plan, lang)))
    blocks.append(paragraph(pt.plan_sentence(ctx.plan, lang)))
    blocks.append(paragraph(pt.robust_sentence(ctx.plan, lang)))
    return Section(
        key="summary",
        title=text("s1", lang),
        blocks=tuple(blocks),
        facts={
            "target": ctx.target,
            "target_is_default": ctx.target_is_default,
            "threshold": ctx.threshold,
            "last_published": None if last is None else float(last["iid"]),
            "last_published_year": None if last is None else int(last["year"]),
            "current_iid": ctx.score.iid,
            "probability": probability,
            "verdict": verdict,
        },
    )


def history_section(ctx: ReportContext) -> Section:
    """2. The published series over the predicate bands, with sources and conflicting figures."""
    lang = ctx.lang
    published = ctx.published
    blocks = []
    if len(published):
        fig = figures.history_figure(
            ctx.series, ctx.conflicts[["year", "iid"]], ctx.target_methodology.bands, lang
        )
        blocks.append(figure(
            fig, text("history_caption", lang, year=ctx.target_methodology.year),
            text("history_caption", lang, year=ctx.target_methodology.year),
        ))
        rows = [
            [
                int(r.year),
                _n(r.iid, ctx) if r.used else f"{_n(r.iid, ctx)} ({text('not_used', lang)})",
                r.predicate_reported or "\u2013",
                join([link(r.source_url, _source_label(r.source_url)),
                      element("span", f" \u201c{r.quote}\u201d", "iid-quote")]),
            ]
            for r in published.itertuples()
        ]
        header_row = [text(k, lang) for k in ("col_year", "col_iid", "col_predicate",
                                              "col_source")]
        blocks.append(table(header_row, rows, numeric=(1,)))
        for year, group in published.groupby("year"):
            if len(group) > 1:
                used = group[group["used"]].iloc[0]
                values = ", ".join(_n(v, ctx) for v in group["iid"])
                blocks.append(paragraph(text(
                    "conflict_line", lang, year=int(year), values=values,
                    used=_n(used["iid"], ctx), reason=text("conflict_reason", lang),
                )))
                effect = None if ctx.forecast is None else ft.conflict_effect(ctx.forecast, lang)
                blocks.append(paragraph(effect) if effect else _missing(ctx, "forecast"))
    else:
        blocks.append(paragraph(text("no_published", lang, region=ctx.params.region)))
    blocks.append(paragraph(text("raw_points_note", lang), "iid-small"))
    return Section(
        key="history",
        title=text("s2", lang),
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
        return Section(key="projection", title=text("s3", lang), blocks=missing)
    part = ctx.forecast
    forecast = part.forecast
    bands = load_methodology(forecast.bands_year).bands
    caption = text("fan_caption", lang, year=forecast.target_year,
                   threshold=_n(part.threshold, ctx))
    models = ft.model_rows(part, lang)
    model_header = [text(k, lang) for k in ("col_model", "col_weight", "col_median",
                                            "col_range90", "col_refused")]
    blocks = [
        figure(figures.fan_figure(ctx.series, forecast.quantiles, forecast.target_year,
                                  part.threshold, bands, lang), caption, caption),
        paragraph(ft.probability_sentence(part, lang)),
        paragraph(ft.increase_sentence(part, lang)),
        table([text("col_predicate", lang), text("col_probability", lang), ""],
              ft.predicate_rows(part, lang), numeric=(1,)),
        element("h3", text("models_title", lang)),
        table(model_header[: len(models[0])], models, numeric=(1, 2, 3)),
        paragraph(ft.backtest_sentence(part, lang)),
        element("h3", text("leaves_out_title", lang)),
        bullet_list(ft.leaves_out(part, lang)),
    ]
    return Section(key="projection", title=text("s3", lang), blocks=tuple(blocks),
                   facts=ft.facts(part))


def position_components(ctx: ReportContext) -> pd.DataFrame:
    """SPD, mean maturity, count score and total against their maxima.

    Columns: component (key), label, score, max, share.
    """
    rules = ctx.data_methodology
    score = ctx.score
    rows = [
        ("spd", score.spd, rules.max_spd),
        ("maturity", score.mean_maturity, rules.max_innovation),
        ("count", score.count_score, rules.max_count),
        ("total", score.total, rules.max_total),
    ]
    frame = pd.DataFrame(rows, columns=["component", "score", "max"])
    frame["label"] = [text(f"comp_{key}", ctx.lang) for key in frame["component"]]
    frame["share"] = frame["score"] / frame["max"]
    return frame[["component", "label", "score", "max", "share"]]


def position_section(ctx: ReportContext) -> Section:
    """4. SPD, mean maturity and count score against their maxima (from the indicator data)."""
    lang = ctx.lang
    score = ctx.score
    components = position_components(ctx)
    rejected = int((ctx.innovation_scores["status"] == STATUS_REJECTED).sum())
    blocks = []
    if ctx.synthetic:
        blocks.append(notice(text("synthetic_banner", lang), "warning"))
    blocks.append(paragraph(text(
        "position_text", lang, n=score.n_innovations, rejected=rejected, divisor=score.divisor,
        total=_n(score.total, ctx), max_total=_n(ctx.data_methodology.max_total, ctx, 0),
        iid=_n(score.iid, ctx), predicate=score.predicate,
    )))
    if reproduced := reproduced_sentence(ctx):
        blocks.append(paragraph(reproduced, "iid-small"))
    parts = components[components["component"] != "total"].assign(
        label=lambda f: [text(f"short_{key}", lang) for key in f["component"]]
    )
    blocks.append(figure(
        figures.position_figure(parts, lang), text("position_caption", lang),
        f"{text('position_caption', lang)} ({_synthetic_tag(ctx)})",
    ))
    header_row = [text(k, lang) for k in ("col_component", "col_score", "col_max", "col_share")]
    rows = [
        [r.label, _n(r.score, ctx), _n(r.max, ctx, 0), format_percent(r.share, lang)]
        for r in components.itertuples()
    ]
    blocks.append(table(header_row, rows, numeric=(1, 2, 3)))
    if score.provisional_rules:
        blocks.append(paragraph(
            text("methodology_line", lang, year=score.year,
                 rules=describe_rules(score.provisional_rules, lang)), "iid-small",
        ))
    return Section(
        key="position",
        title=text("s4", lang),
        blocks=tuple(blocks),
        facts={
            "synthetic": ctx.synthetic,
            "iid": score.iid,
            "spd": score.spd,
            "mean_maturity": score.mean_maturity,
            "count_score": score.count_score,
            "total": score.total,
            "max_spd": ctx.data_methodology.max_spd,
            "max_innovation": ctx.data_methodology.max_innovation,
            "max_count": ctx.data_methodology.max_count,
            "provisional_rules": list(score.provisional_rules),
        },
    )


def levers_section(ctx: ReportContext) -> Section:
    """5. What one step of each lever is worth, one more innovation, and the view by OPD
    (:func:`~.context.build_context` always plans from the indicator data)."""
    lang = ctx.lang
    part = ctx.plan
    tag = _synthetic_tag(ctx)
    blocks = []
    if ctx.synthetic:
        blocks.append(paragraph(text("synthetic_banner", lang), "iid-small"))
    blocks += [
        paragraph(text("levers_intro", lang, year=part.rules.year, tag=tag)),
        table([text(k, lang) for k in ("col_lever", "col_steps", "col_gain")],
              pt.lever_rows(part, lang, LEVER_ROWS), numeric=(1, 2)),
        element("h3", text("new_title", lang)),
        table([text("col_maturity", lang), text("col_gain", lang)],
              pt.new_innovation_rows(part, lang), numeric=(0, 1)),
        paragraph(pt.break_even_sentence(part, lang)),
        element("h3", text("opd_title", lang)),
        paragraph(text("opd_intro", lang)),
        table([text(k, lang) for k in ("col_opd", "col_n_rejected", "col_mean_maturity",
                                       "col_iid_lost")],
              pt.opd_rows(part, lang, OPD_ROWS_SHOWN), numeric=(1, 2, 3)),
    ]
    return Section(
        key="levers",
        title=text("s5", lang),
        blocks=tuple(blocks),
        facts={"opds": len(part.opds), "opd_rows_shown": min(OPD_ROWS_SHOWN, len(part.opds)),
               "levers": len(part.levers)},
    )


def scenarios_section(ctx: ReportContext) -> Section:
    """6. The city's scenarios and the cheapest path, with the plan's probability."""
    lang = ctx.lang
    part = ctx.plan
    goal = format_percent(PLAN_PROBABILITY, lang)
    groups = pt.grouped_actions(part.robust.plan, lang).head(pt.ACTION_GROUPS_SHOWN)
    blocks = []
    if ctx.synthetic:
        blocks.append(paragraph(text("synthetic_banner", lang), "iid-small"))
    blocks += [
        paragraph(text("scenarios_intro", lang, year=part.rules.year, tag=_synthetic_tag(ctx))),
        table([text(k, lang) for k in ("col_scenario", "col_cost", "col_iid_after",
                                       "col_reaches")],
              pt.scenario_rows(part, lang), numeric=(1, 2)),
        element("h3", text("path_title", lang)),
        paragraph(pt.plan_sentence(part, lang)),
        paragraph(pt.robust_sentence(part, lang)),
    ]
    if len(groups):
        blocks += [
            paragraph(text("robust_table_intro", lang, goal=goal)),
            table([text("col_action", lang), text("col_count", lang), text("col_gain", lang)],
                  [[r.action, str(r.count), _n(r.iid_gain, ctx)] for r in groups.itertuples()],
                  numeric=(1, 2)),
        ]
    blocks.append(paragraph(text("cost_note", lang), "iid-small"))
    return Section(key="scenarios", title=text("s6", lang), blocks=tuple(blocks),
                   facts=pt.facts(part))


def assumption_rows(ctx: ReportContext) -> list[log.Assumption]:
    """Every assumption of the report: the rules used that are not CONFIRMED, the data's."""
    score = ctx.score
    rows = log.rule_assumptions(ctx.data_methodology, score.provisional_rules)
    rows += log.indicator_assumption(ctx.data_methodology, log.levels_used(ctx.region))
    rows += log.rule_assumptions(ctx.target_methodology, ctx.target_methodology.not_confirmed)
    if log.ASSUMPTION_STAGES_COUNTED in score.provisional_rules:
        rows.append(log.stages_assumption())
    if ctx.synthetic:
        rows.append(log.synthetic_data_assumption(ctx.params.path("innovations").name,
                                                  ctx.datasheet))
    for year, group in ctx.published.groupby("year"):
        if len(group) > 1:
            used = group[group["used"]].iloc[0]
            other = ", ".join(str(v) for v in group.loc[~group["used"], "iid"])
            rows.append(log.conflict_assumption(int(year), float(used["iid"]), other,
                                                str(used["source_url"])))
    rows.append(log.short_series_assumption(len(ctx.series)))
    if ctx.forecast is not None:
        rows.append(log.forecast_model_assumption(tuple(ctx.forecast.forecast.weights)))
    rows += log.plan_assumptions(ctx.plan.plan_uncertainty.acceptance)
    return rows


def assumptions_section(ctx: ReportContext) -> Section:
    """7. The assumptions log, each rated red/amber/green for quality and impact."""
    lang = ctx.lang
    frame = log.assumptions_log(assumption_rows(ctx))
    column = "assumption_id" if lang == "id" else "assumption_en"
    header_row = [text(k, lang) for k in ("col_quality", "col_impact", "col_assumption",
                                          "col_provenance", "col_source")]
    rows = [
        [
            rag_badge(r.quality, text(f"rag_{r.quality}", lang)),
            rag_badge(r.impact, text(f"rag_{r.impact}", lang)),
            getattr(r, column),
            r.provenance,
            link(r.source, _source_label(r.source)) if r.source.startswith("http") else r.source,
        ]
        for r in frame.itertuples()
    ]
    blocks = [paragraph(text("assumptions_intro", lang)), table(header_row, rows)]
    return Section(
        key="assumptions",
        title=text("s7", lang),
        blocks=tuple(blocks),
        facts={"keys": list(frame["key"]), "red_impact": int((frame["impact"] == "red").sum())},
    )


def rules_rows(first, second) -> list[list[str]]:
    """Each rule of two years: name, then ``value (PROVENANCE)`` in each year (blank if absent)."""
    names = list(dict.fromkeys([*first.rules, *second.rules]))

    def cell(rules, name: str) -> str:
        if not rules.has(name):
            return ""
        rule = rules.rule(name)
        return f"{rule.value} ({rule.provenance})"

    return [[name, cell(first, name), cell(second, name)] for name in names]


def about_section(ctx: ReportContext) -> Section:
    """8. Data file hashes, methodology, package versions, git revision, parameters, run time."""
    lang = ctx.lang
    prov = ctx.provenance
    files = [
        [r.role, element("code", r.path), element("code", r.sha256 or text("unknown", lang))]
        for r in prov.files.itertuples()
    ]
    items = [
        [text("about_methodology", lang), text(
            "methodology_line", lang, year=prov.methodology_year,
            rules=describe_rules(prov.not_confirmed, lang),
        )],
        [text("about_methodology", lang) + f" {ctx.target_methodology.year}", text(
            "methodology_line", lang, year=ctx.target_methodology.year,
            rules=describe_rules(ctx.target_methodology.not_confirmed, lang),
        )],
        [text("about_versions", lang),
         ", ".join(f"{k} {v}" for k, v in prov.versions.items())],
        [text("about_git", lang), element("code", prov.git)],
        [text("about_params", lang), element("code", ", ".join(
            f"{k}={v!r}" for k, v in prov.parameters.items()))],
        [text("about_run_time", lang), prov.run_time.strftime("%Y-%m-%d %H:%M:%S")],
    ]
    blocks = [
        element("h3", text("about_files", lang)),
        table(["", "path", "SHA-256"], files),
        table([text("col_item", lang), text("col_value", lang)], items),
        element("h3", text("about_rules", lang)),
        table(["", f"{prov.methodology_year}", f"{ctx.target_methodology.year}"],
              rules_rows(ctx.data_methodology, ctx.target_methodology)),
    ]
    return Section(
        key="about",
        title=text("s8", lang),
        blocks=tuple(blocks),
        facts={
            "files": {r.role: r.sha256 for r in prov.files.itertuples()},
            "git": prov.git,
            "run_time": prov.run_time.isoformat(),
            "parameters": prov.parameters,
        },
    )


ALL_SECTIONS = (
    header,
    summary_section,
    history_section,
    projection_section,
    position_section,
    levers_section,
    scenarios_section,
    assumptions_section,
    about_section,
)
