"""The report's sections, each built from a :class:`ReportContext` by one function, so that
every notebook cell is a one-line call. Each returns a :class:`~.markup.Section` (HTML plus
the facts behind it). An analysis that is not available says so plainly; no number is invented.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd

from ..feasibility.effort import EFFORT_UNIT_DEFINITION, evidence_kinds
from ..feasibility.maturity_grain import GRAIN as MATURITY_GRAIN
from ..feasibility.maturity_grain import SPD_FROM_PUBLISHED
from ..inputs.validation import STATUS_REJECTED
from ..methodology import load_methodology
from ..scoring import ASSUMPTION_STAGES_COUNTED, classify
from . import assumptions as log
from . import figures
from . import forecast_text as ft
from . import plan_text as pt
from .analysis import PLAN_PROBABILITY
from .context import ReportContext
from .i18n import (
    counted,
    format_number,
    format_percent,
    glossary,
    provenance_word,
    rule_name,
    text,
    verbal_band,
)
from .markup import (
    Html,
    Section,
    bullet_list,
    download_link,
    element,
    figure,
    join,
    link,
    notice,
    paragraph,
    quoted,
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


def describe_rules(rules, lang: str, code_names: bool = False) -> str:
    """Rule names joined, with ``indicator 1``, ``indicator 2a``... folded into one entry; in
    plain words unless ``code_names`` (for "about this report")."""
    indicators = [r.split(" ", 1)[1] for r in rules if r.startswith("indicator ")]
    others = [r if code_names else _rule_words(r, lang)
              for r in rules if not r.startswith("indicator ")]
    if indicators:
        others.append(f"{text('indicators_word', lang)} {', '.join(indicators)}")
    return ", ".join(others) or text("none", lang)


def _rule_words(name: str, lang: str) -> str:
    if name == ASSUMPTION_STAGES_COUNTED:
        return text("variant_stage_counted", lang)
    return rule_name(name, lang)


def _synthetic_tag(ctx: ReportContext) -> str:
    if not ctx.synthetic and ctx.grain == MATURITY_GRAIN and ctx.params.spd is None:
        return ctx.params.path("innovations").name
    return text("synthetic_tag", ctx.lang) if ctx.synthetic else ctx.params.path("spd").name


def grain_note(ctx: ReportContext) -> str | None:
    """That the report is at maturity grain, coarser than a level-by-level plan (None at
    level grain)."""
    if ctx.grain != MATURITY_GRAIN:
        return None
    source = f"{ctx.params.path('innovations').name}: {ctx.maturity.source_format}"
    return text("grain_note", ctx.lang, source=source)


def reproduced_sentence(ctx: ReportContext) -> str | None:
    """That the indicator data was built to reproduce a published IID, when its datasheet says
    so (None otherwise): a match by construction is not a validation."""
    reproduced = None if ctx.datasheet is None else ctx.datasheet.built_to_reproduce
    if reproduced is None:
        return None
    return text("reproduced_line", ctx.lang, year=reproduced.year, iid=_n(reproduced.iid, ctx))


WORKLIST_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LOAD_ROWS_SHOWN = 8
LOAD_SHARE = 0.5
"""The OPD section names the OPDs that together carry at least this share of the effort."""
RISK_MIN_SHARE = 0.005
"""A rule variant carrying less of the risk than this is not named on the first screen."""
DECREE = re.compile(r"decree\s+([\w./-]*\d[\w./-]*)", re.IGNORECASE)


def _cluster_rank(ctx: ReportContext) -> str | None:
    """The rank in the cluster in the latest year(s) that give it, e.g. "ke-1 dari 93 kota
    (2022 dan 2023)" (None when the published data has no rank)."""
    used = ctx.published[ctx.published["used"]].dropna(subset=["rank_in_cluster", "cluster_size"])
    if used.empty:
        return None
    used = used.sort_values("year")
    last = used.iloc[-1]
    rank, size = int(last["rank_in_cluster"]), int(last["cluster_size"])
    years = []
    for row in used.iloc[::-1].itertuples():
        if int(row.rank_in_cluster) != rank or int(row.cluster_size) != size:
            break
        years.insert(0, str(int(row.year)))
    joined = years[0] if len(years) == 1 else (
        ", ".join(years[:-1]) + f" {text('and_word', ctx.lang)} {years[-1]}"
    )
    kind = str(last.get("region_type") or "")
    cluster = text(f"cluster_{kind}", ctx.lang) if kind in ("kota", "kabupaten",
                                                             "provinsi") else ""
    return text("rank_value", ctx.lang, rank=rank, size=size, cluster=cluster, years=joined)


def _last_source(ctx: ReportContext) -> Html | None:
    """The last published score with the source (and decree, when its note cites one)."""
    last = ctx.last_published
    if last is None:
        return None
    predicate = last["predicate_reported"] or classify(last["iid"], int(last["year"]))
    parts = [
        text("last_value", ctx.lang, value=_n(last["iid"], ctx), year=int(last["year"]),
             predicate=predicate),
        link(last["source_url"], _source_label(last["source_url"])),
    ]
    decree = DECREE.search(str(last["note"] or ""))
    if decree:
        parts.append(text("decree_note", ctx.lang, decree=decree.group(1)))
    return join(parts)


def _meta_rows(ctx: ReportContext) -> list[tuple[str, object]]:
    lang = ctx.lang
    as_of = ctx.params.as_of
    rows = [
        (text("meta_region", lang), ctx.params.region),
        (text("meta_target_year", lang), str(ctx.params.target_year)),
        (text("meta_date", lang), ctx.provenance.run_time.strftime("%Y-%m-%d")),
        (text("meta_cutoff", lang), text(
            "meta_cutoff_value", lang,
            year=ctx.as_of_year if ctx.last_published is None else int(ctx.last_published["year"]),
            as_of=text("meta_as_of", lang, date=as_of) if as_of else "",
        )),
    ]
    if ctx.params.issuing_unit:
        rows.append((text("meta_issuer", lang), ctx.params.issuing_unit))
    if rank := _cluster_rank(ctx):
        rows.append((text("meta_rank", lang), rank))
    if source := _last_source(ctx):
        rows.append((text("meta_last", lang), source))
    return rows


def urusan_warning(ctx: ReportContext) -> str | None:
    """The first-screen warning about the urusan wajib pelayanan dasar rule (None when the
    rule does not apply or is met with room to spare)."""
    lever = None if ctx.headline is None else ctx.headline.urusan
    if ctx.maturity is not None:
        lever = ctx.maturity.urusan
    if lever is None or not lever.applies:
        return None
    lang = ctx.lang
    if not lever.checked:
        return text("urusan_unchecked", lang, year=lever.year, minimum=lever.minimum,
                    points=_n(lever.count_score_at_stake, ctx))
    if lever.needed > 0:
        return text("urusan_missing", lang, covered=len(lever.covered), minimum=lever.minimum,
                    missing="; ".join(lever.missing), needed=lever.needed,
                    iid=_n(lever.iid_value, ctx))
    if lever.one_away:
        return text("urusan_one_away", lang, covered=len(lever.covered), minimum=lever.minimum,
                    iid=_n(lever.iid_at_risk, ctx))
    return None


def stand_in_lines(ctx: ReportContext) -> list[str]:
    """One sentence per year whose rules are stood in for by another year's."""
    years = {"data": ctx.params.data_year, "target": ctx.params.target_year}
    return [
        text("stand_in_note", ctx.lang, year=years[role], stand_in=year,
             role=text(f"role_{role}", ctx.lang))
        for role, year in sorted(ctx.stand_in.items())
    ]


def header(ctx: ReportContext) -> Section:
    """The title and the first screen's facts: region, target year, date, data cut-off,
    issuing unit, rank in the cluster, the last score and its source; then the warnings
    (urusan rule, rules standing in, synthetic data)."""
    lang = ctx.lang
    meta = Html("").join(
        element("div", join([element("dt", k), element("dd", v)])) for k, v in _meta_rows(ctx)
    )
    blocks = [element("dl", meta, "iid-meta")]
    if note := grain_note(ctx):
        blocks.append(notice(note, "warning"))
    if warning := urusan_warning(ctx):
        blocks.append(notice(warning, "warning"))
    for line in stand_in_lines(ctx):
        blocks.append(notice(line, "info"))
    if ctx.synthetic:
        blocks.append(notice(text("synthetic_banner", lang), "warning"))
    return Section(
        key="title",
        title=text("report_title", lang, year=ctx.params.target_year, region=ctx.params.region),
        blocks=tuple(blocks),
        facts={
            "region": ctx.params.region, "synthetic": ctx.synthetic,
            "issuing_unit": ctx.params.issuing_unit, "rank": _cluster_rank(ctx),
            "urusan_warning": urusan_warning(ctx), "stand_in": dict(ctx.stand_in),
            **({"grain": ctx.grain} if ctx.grain == MATURITY_GRAIN else {}),
        },
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


def headline_verdict(ctx: ReportContext) -> str:
    """The one sentence and one number: P(reach the target) with the plan, its effort, and
    business as usual beside it."""
    lang = ctx.lang
    head = ctx.headline
    values = dict(
        year=ctx.params.target_year, threshold=_n(head.threshold, ctx),
        p=format_percent(head.p_with_plan, lang), band=verbal_band(head.p_with_plan, lang),
        effort=_n(head.effort, ctx, 0), unit=head.effort_unit,
    )
    if ctx.forecast is None or head.p_business_as_usual is None:
        return text("headline_verdict_no_bau", lang, what=ctx.unavailable.get("forecast", ""),
                    **values)
    return text("headline_verdict", lang, p_bau=format_percent(head.p_business_as_usual, lang),
                **values)


def ladder_rows(ctx: ReportContext) -> list[list[object]]:
    lang = ctx.lang
    rows = []
    for r in ctx.headline.ladder.itertuples():
        label = text(f"rung_{r.label}", lang)
        target = element("span", join([
            _n(r.target, ctx), element("span", label, "iid-rung"),
        ]))
        rows.append([
            target,
            _n(r.effort, ctx, 0) if r.plan_reaches else "\u2013",
            format_percent(r.p_business_as_usual, lang),
            format_percent(r.p_with_plan, lang) if r.plan_reaches else "\u2013",
        ])
    return rows


def ladder_table(ctx: ReportContext) -> Html:
    lang = ctx.lang
    header_row = [
        text("col_target", lang), text("col_min_effort", lang, unit=ctx.headline.effort_unit),
        text("col_p_bau", lang), text("col_p_plan", lang),
    ]
    return table(header_row, ladder_rows(ctx), numeric=(1, 2, 3), stack=False)


def risk_sentences(ctx: ReportContext) -> list[str]:
    """Each rule variant that moves the plan's probability, in plain words, with its share of
    the risk and what removes it."""
    lang = ctx.lang
    out = []
    for r in ctx.headline.risks.itertuples():
        if not r.share_of_risk > RISK_MIN_SHARE:
            continue
        key = f"risk_{r.rule}" if r.rule == "verification" else f"risk_{r.rule}_{r.variant}"
        values = dict(n=int(r.n_affected), share=format_percent(r.share_of_risk, lang),
                      p_if=format_percent(r.p_reach_if, lang))
        if key in _RISK_KEYS:
            out.append(text(key, lang, **values))
    return out


_RISK_KEYS = {"risk_stage_not_counted", "risk_stage_not_scored", "risk_rejected_not_counted",
              "risk_verification"}


def _variant_label(stage: str, rejected: str, lang: str) -> str:
    words = [text(VARIANT_KEYS.get(("stage", stage), ""), lang) if ("stage", stage) in
             VARIANT_KEYS else stage,
             text(VARIANT_KEYS[("rejected", rejected)], lang) if ("rejected", rejected) in
             VARIANT_KEYS else rejected]
    return "; ".join(words)


VARIANT_KEYS = {
    ("stage", "counted"): "variant_stage_counted",
    ("stage", "not_counted"): "variant_stage_not_counted",
    ("stage", "not_scored"): "variant_stage_not_scored",
    ("rejected", "counted"): "variant_rejected_counted",
    ("rejected", "not_counted"): "variant_rejected_not_counted",
}


def weights_sentences(ctx: ReportContext) -> list[str]:
    """How the rule variants are weighted: by the region's own published score (which variant
    reproduces it), and that this is illustrative when the data was built to reproduce it."""
    lang = ctx.lang
    weights = ctx.headline.weights
    if weights.published_iid is None or weights.reproduces is None or not weights.evidence:
        return [text("weights_equal", lang)]
    table_ = weights.reproduces
    hits = table_[table_["reproduces"]]
    if len(hits) == 1:
        row = hits.iloc[0]
        which = text("weights_one", lang,
                     variant=_variant_label(row["stage_rule"], row["rejected_rule"], lang))
    elif len(hits):
        which = text("weights_many", lang, n=len(hits))
    else:
        which = text("weights_none", lang)
    out = [text("weights_line", lang, year=ctx.params.data_year,
                iid=_n(weights.published_iid, ctx), which=which)]
    if ctx.synthetic and reproduced_sentence(ctx) is not None:
        out.append(text("weights_illustrative", lang))
    return out


def compare_block(ctx: ReportContext) -> Html:
    """Business as usual and with the plan in one chart, with the sentence that separates
    them."""
    lang = ctx.lang
    head = ctx.headline
    robust = ctx.plan.robust
    draws = robust.uncertainty.draws["iid"].to_numpy()
    bau = None if ctx.forecast is None else ctx.forecast.forecast.quantiles
    fig = figures.compare_figure(bau, draws, head.threshold,
                                 ctx.target_methodology.bands, lang)
    caption = text("compare_caption", lang, year=ctx.params.target_year,
                   threshold=_n(head.threshold, ctx),
                   source=text("compare_source", lang, tag=_synthetic_tag(ctx)))
    blocks = [figure(fig, caption, caption)]
    if bau is not None:
        low, median, high = (float(v) for v in np.quantile(draws, [0.05, 0.5, 0.95]))
        blocks.append(paragraph(text(
            "separates", lang, actions=counted("actions", len(robust.plan.actions), lang),
            new=counted("new", robust.plan.n_new_innovations, lang), effort=_n(head.effort, ctx, 0),
            unit=head.effort_unit, bau_median=_n(bau[0.5], ctx, 1),
            bau_low=_n(bau[0.05], ctx, 1), bau_high=_n(bau[0.95], ctx, 1),
            plan_median=_n(median, ctx, 1), plan_low=_n(low, ctx, 1), plan_high=_n(high, ctx, 1),
        )))
    return join(blocks)


def _target_facts(ctx: ReportContext) -> dict:
    """The summary's facts about the target and the last published and current IID."""
    last = ctx.last_published
    return {
        "target": ctx.target,
        "target_is_default": ctx.target_is_default,
        "threshold": ctx.threshold,
        "last_published": None if last is None else float(last["iid"]),
        "last_published_year": None if last is None else int(last["year"]),
        "current_iid": ctx.score.iid,
    }


def summary_section(ctx: ReportContext) -> Section:
    """1. One sentence and one number (the target's probability with the plan, its effort,
    business as usual beside it), the ladder of nearby targets, the two distributions in one
    chart, and the rule variants that carry the risk."""
    if ctx.grain == MATURITY_GRAIN:
        return maturity_summary_section(ctx)
    lang = ctx.lang
    head = ctx.headline
    verdict = headline_verdict(ctx)
    blocks = [
        paragraph(verdict, "iid-verdict"),
        ladder_table(ctx),
        paragraph(" ".join([
            text("ladder_note", lang, effort=_n(head.effort, ctx, 0), unit=head.effort_unit),
            target_sentence(ctx),
            text("effort_unit_line", lang, definition=EFFORT_UNIT_DEFINITION[lang]),
        ]), "iid-small"),
        compare_block(ctx),
        element("h3", text("risks_title", lang)),
    ]
    risks = risk_sentences(ctx)
    blocks.append(bullet_list(risks) if risks else paragraph(text("risk_none", lang)))
    blocks.append(paragraph(" ".join(weights_sentences(ctx)), "iid-small"))
    blocks.append(paragraph(text(
        "current_score_line", lang, year=ctx.score.year, tag=_synthetic_tag(ctx),
        iid=_n(ctx.score.iid, ctx), predicate=ctx.score.predicate,
    )))
    if reproduced := reproduced_sentence(ctx):
        blocks.append(paragraph(reproduced, "iid-small"))
    blocks.append(paragraph(text("see_sections", lang), "iid-small"))
    return Section(
        key="summary",
        title=text("s1", lang),
        blocks=tuple(blocks),
        facts={
            **_target_facts(ctx),
            "probability": head.p_with_plan,
            "p_business_as_usual": None if ctx.forecast is None else head.p_business_as_usual,
            "effort": head.effort,
            "effort_unit": head.effort_unit,
            "ladder": [
                {"label": r.label, "target": float(r.target), "effort": float(r.effort),
                 "p_business_as_usual": float(r.p_business_as_usual),
                 "p_with_plan": float(r.p_with_plan)}
                for r in head.ladder.itertuples()
            ],
            "risks": risks,
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
        caption = text("history_caption", lang, year=ctx.target_methodology.year)
        blocks.append(figure(fig, caption, caption))
        rows = [
            [
                int(r.year),
                _n(r.iid, ctx) if r.used else f"{_n(r.iid, ctx)} ({text('not_used', lang)})",
                classify(float(r.iid), int(r.year)),
                r.predicate_reported or "\u2013",
                join([link(r.source_url, _source_label(r.source_url)),
                      element("span", f" \u201c{r.quote}\u201d", "iid-quote")]),
            ]
            for r in published.itertuples()
        ]
        header_row = [text(k, lang) for k in ("col_year", "col_iid", "col_predicate_then",
                                              "col_predicate_reported", "col_source")]
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
    if ctx.grain == MATURITY_GRAIN:
        blocks += maturity_spd_blocks(ctx)
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


def actionable_levers(ctx: ReportContext):
    """The plan part with the SPD outcome indicators left out of its levers (they are shown
    apart, as context: :func:`outcome_blocks`)."""
    outcomes = set(ctx.headline.outcomes["indicator"].astype(str))
    levers = ctx.plan.levers
    keep = ~((levers["scope"] == "spd") & levers["indicator"].astype(str).isin(outcomes))
    return dataclasses.replace(ctx.plan, levers=levers[keep].reset_index(drop=True))


def levers_section(ctx: ReportContext) -> Section:
    """5. What one step of each lever is worth, one more innovation, and the view by OPD
    (:func:`~.context.build_context` always plans from the indicator data)."""
    if ctx.grain == MATURITY_GRAIN:
        return maturity_levers_section(ctx)
    lang = ctx.lang
    part = ctx.plan
    tag = _synthetic_tag(ctx)
    blocks = []
    if ctx.synthetic:
        blocks.append(paragraph(text("synthetic_banner", lang), "iid-small"))
    blocks += [
        paragraph(text("levers_intro", lang, year=part.rules.year, tag=tag)),
        table([text(k, lang) for k in ("col_lever", "col_steps", "col_gain")],
              pt.lever_rows(actionable_levers(ctx), lang, LEVER_ROWS), numeric=(1, 2)),
        element("h3", text("new_title", lang)),
        table([text("col_maturity", lang), text("col_gain", lang)],
              pt.new_innovation_rows(part, lang), numeric=(0, 1)),
        paragraph(pt.break_even_sentence(part, lang)),
        element("h3", text("opd_title", lang)),
        paragraph(text("opd_intro", lang)),
        table([text(k, lang) for k in ("col_opd", "col_n_rejected", "col_mean_maturity",
                                       "col_iid_lost")],
              pt.opd_rows(part, lang, OPD_ROWS_SHOWN), numeric=(1, 2, 3)),
        *urusan_blocks(ctx),
        *opd_plan_blocks(ctx),
        *outcome_blocks(ctx),
    ]
    return Section(
        key="levers",
        title=text("s5", lang),
        blocks=tuple(blocks),
        facts={"opds": len(part.opds), "opd_rows_shown": min(OPD_ROWS_SHOWN, len(part.opds)),
               "levers": len(part.levers)},
    )


def opd_plan_blocks(ctx: ReportContext) -> list[Html]:
    """Which OPDs carry most of the plan, and the OPDs "One OPD More Than One Innovation"
    concerns."""
    lang = ctx.lang
    head = ctx.headline
    load = head.opd_load
    blocks = [element("h3", text("load_title", lang))]
    if len(load):
        carrying = load[load["cumulative_effort_share"].shift(fill_value=0.0) < LOAD_SHARE]
        blocks.append(paragraph(text(
            "load_line", lang, n=len(carrying), total=len(load),
            share=format_percent(float(carrying["effort_share"].sum()), lang),
            names=", ".join(carrying["opd"]),
        )))
        rows = [
            [r.opd, _n(r.effort, ctx, 0), format_percent(r.effort_share, lang),
             str(int(r.n_innovations)), str(int(r.n_new_innovations))]
            for r in load.head(LOAD_ROWS_SHOWN).itertuples()
        ]
        blocks.append(table(
            [text("col_opd", lang), text("col_effort", lang, unit=head.effort_unit),
             text("col_share_effort", lang), text("col_count", lang), text("col_new", lang)],
            rows, numeric=(1, 2, 3, 4),
        ))
    concerned = head.more_than_one
    if len(concerned):
        met = int(concerned["met_by_plan"].sum())
        blocks.append(paragraph(text(
            "more_than_one_line", lang, n=len(concerned), names=", ".join(concerned["opd"]),
            met=text("more_than_one_met", lang, k=met),
        )))
    else:
        blocks.append(paragraph(text("more_than_one_none", lang)))
    return blocks


def urusan_blocks(ctx: ReportContext) -> list[Html]:
    """The lever "cover the missing urusan" (years with the basic-urusan rule): which of the 6
    urusan wajib pelayanan dasar the innovations cover, what covering the rest is worth, and
    which new innovations of the plan cover them."""
    lang = ctx.lang
    lever = ctx.headline.urusan
    if not lever.applies:
        return []
    blocks = [element("h3", text("urusan_title", lang))]
    points = format_number(lever.count_score_at_stake, lang)
    if not lever.checked:
        blocks.append(paragraph(text("urusan_lever_unchecked", lang, minimum=lever.minimum,
                                     points=points)))
        return blocks
    yes, no = text("yes", lang), text("no", lang)
    rows = [[r.urusan, yes if r.covered else no] for r in lever.as_frame().itertuples()]
    blocks.append(table([text("col_urusan", lang), text("col_covered", lang)], rows))
    if lever.needed:
        key = "urusan_lever_missing"
    elif lever.one_away:
        key = "urusan_lever_one_away"
    else:
        key = "urusan_lever_met"
    blocks.append(paragraph(text(
        key, lang, covered=len(lever.covered), minimum=lever.minimum, needed=lever.needed,
        missing="; ".join(lever.missing), iid=format_number(lever.iid_value, lang),
        at_risk=format_number(lever.iid_at_risk, lang), points=points,
    )))
    cover = [a for a in ctx.plan.robust.plan.actions if getattr(a, "urusan", None)]
    if cover:
        blocks.append(paragraph(text("urusan_lever_plan", lang, innovations="; ".join(
            f"{a.innovation_id} ({a.opd}): {a.urusan}" for a in cover
        ))))
    return blocks


def outcome_blocks(ctx: ReportContext) -> list[Html]:
    """SPD outcome indicators with their value to the IID: context, never planned."""
    lang = ctx.lang
    outcomes = ctx.headline.outcomes
    if outcomes.empty:
        return []
    name = "name_id" if lang == "id" else "name_en"
    open_ = outcomes[outcomes["iid_gain_to_max"] > 0]
    rows = [
        [f"{r.indicator} {getattr(r, name)}", str(int(r.level)),
         _n(r.iid_gain_one_step, ctx), _n(r.iid_gain_to_max, ctx)]
        for r in open_.itertuples()
    ]
    blocks = [element("h3", text("outcomes_title", lang)), paragraph(text("outcomes_intro", lang))]
    if rows:
        blocks.append(table([text("col_indicator", lang), text("col_level", lang),
                             text("col_gain", lang), text("col_to_max", lang)],
                            rows, numeric=(1, 2, 3)))
    if len(outcomes) > len(open_):
        blocks.append(paragraph(text("outcomes_rest", lang, n=len(outcomes) - len(open_))))
    return blocks


def programme_blocks(ctx: ReportContext) -> list[Html]:
    """The plan in programmes a leader recognises, and the OPD worklist as an offline
    download."""
    lang = ctx.lang
    head = ctx.headline
    blocks = [element("h3", text("programmes_title", lang))]
    title = "title_id" if lang == "id" else "title_en"
    rows = [
        [getattr(r, title), _n(r.effort, ctx, 0), _n(r.iid_gain, ctx), str(int(r.n_opds))]
        for r in head.programmes.itertuples()
    ]
    blocks.append(table(
        [text("col_programme", lang), text("col_effort", lang, unit=head.effort_unit),
         text("col_gain", lang), text("col_opds", lang)], rows, numeric=(1, 2, 3),
    ))
    blocks.append(paragraph(text("worklist_line", lang, n=len(head.worklist))))
    filename = f"{ctx.params.stem}_worklist.xlsx"
    blocks.append(paragraph(download_link(
        head.worklist_xlsx, filename, text("worklist_link", lang), WORKLIST_MIME,
    )))
    return blocks


def scenarios_section(ctx: ReportContext) -> Section:
    """6. The city's scenarios and the cheapest path, with the plan's probability."""
    if ctx.grain == MATURITY_GRAIN:
        return maturity_plan_section(ctx)
    lang = ctx.lang
    part = ctx.plan
    goal = format_percent(PLAN_PROBABILITY, lang)
    groups = pt.grouped_actions(part.robust.plan, lang).head(pt.ACTION_GROUPS_SHOWN)
    blocks = []
    if ctx.synthetic:
        blocks.append(paragraph(text("synthetic_banner", lang), "iid-small"))
    blocks += [
        paragraph(text("scenarios_intro", lang, year=part.rules.year, tag=_synthetic_tag(ctx))),
        table([text("col_scenario", lang),
               text("col_effort", lang, unit=ctx.headline.effort_unit),
               text("col_iid_after", lang), text("col_reaches", lang)],
              pt.scenario_rows(part, lang), numeric=(1, 2)),
        element("h3", text("path_title", lang)),
        paragraph(pt.plan_sentence(part, lang)),
        paragraph(pt.robust_sentence(part, lang)),
        *programme_blocks(ctx),
    ]
    if len(groups):
        blocks += [
            paragraph(text("robust_table_intro", lang, goal=goal)),
            table([text("col_action", lang), text("col_count", lang), text("col_gain", lang)],
                  [[r.action, str(r.count), _n(r.iid_gain, ctx)] for r in groups.itertuples()],
                  numeric=(1, 2)),
        ]
    blocks.append(paragraph(text(
        "effort_unit_line", lang, definition=EFFORT_UNIT_DEFINITION[lang]), "iid-small"))
    return Section(key="scenarios", title=text("s6", lang), blocks=tuple(blocks),
                   facts=pt.facts(part))


def assumption_rows(ctx: ReportContext) -> list[log.Assumption]:
    """Every assumption of the report: the rules used that are not CONFIRMED, the data's."""
    score = ctx.score
    rows = log.rule_assumptions(ctx.data_methodology, score.provisional_rules)
    if ctx.grain == MATURITY_GRAIN:
        rows += maturity_assumption_rows(ctx)
    else:
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
            other = [float(v) for v in group.loc[~group["used"], "iid"]]
            rows.append(log.conflict_assumption(int(year), float(used["iid"]), other,
                                                str(used["source_url"])))
    rows.append(log.short_series_assumption(len(ctx.series)))
    if ctx.forecast is not None:
        rows.append(log.forecast_model_assumption(tuple(ctx.forecast.forecast.weights)))
    if ctx.grain != MATURITY_GRAIN:
        rows += log.plan_assumptions(ctx.plan.plan_uncertainty.acceptance)
        rows += log.effort_assumptions(evidence_kinds(), ctx.headline.effort_defaults)
    return rows


def _assumption_source(row, lang: str) -> Html | str:
    if row.source.startswith("http"):
        return link(row.source, _source_label(row.source))
    if lang == "id" and row.source_id:
        return row.source_id
    return quoted(row.source)


def assumptions_section(ctx: ReportContext) -> Section:
    """7. The assumptions log, each rated red/amber/green for quality and impact, with one line
    on what the red rows mean for the verdict."""
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
            provenance_word(r.provenance, lang),
            _assumption_source(r, lang),
        ]
        for r in frame.itertuples()
    ]
    red = int((frame["impact"] == "red").sum())
    blocks = [
        paragraph(text("assumptions_intro", lang)),
        paragraph(text("assumptions_red_line", lang, n=red), "iid-red-line"),
        element("div", table(header_row, rows), "iid-assumptions"),
    ]
    return Section(
        key="assumptions",
        title=text("s7", lang),
        blocks=tuple(blocks),
        facts={"keys": list(frame["key"]), "red_impact": red},
    )


def glossary_section(ctx: ReportContext) -> Section:
    """8. The terms as the ministry and the regions use them, briefly explained."""
    lang = ctx.lang
    rows = [list(pair) for pair in glossary(lang)]
    return Section(
        key="glossary",
        title=text("glossary_title", lang),
        blocks=(table([text("col_term", lang), text("col_meaning", lang)], rows, stack=True),),
        facts={"terms": [term for term, _ in rows]},
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
            rules=describe_rules(prov.not_confirmed, lang, code_names=True),
        )],
        [text("about_methodology", lang) + f" {ctx.target_methodology.year}", text(
            "methodology_line", lang, year=ctx.target_methodology.year,
            rules=describe_rules(ctx.target_methodology.not_confirmed, lang, code_names=True),
        )],
        [text("about_versions", lang),
         ", ".join(f"{k} {v}" for k, v in prov.versions.items())],
        [text("about_git", lang), element("code", prov.git)],
        [text("about_params", lang), element("code", ", ".join(
            f"{k}={v!r}" for k, v in prov.parameters.items()))],
        _command_row(ctx),
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
        title=text("s9", lang),
        blocks=tuple(blocks),
        facts={
            "files": {r.role: r.sha256 for r in prov.files.itertuples()},
            "git": prov.git,
            "run_time": prov.run_time.isoformat(),
            "parameters": prov.parameters,
        },
    )


# --- maturity grain -------------------------------------------------------------------------
def _command_row(ctx: ReportContext) -> list[object]:
    if ctx.grain == MATURITY_GRAIN:
        return [text("mg_about_command", ctx.lang), element("code", ctx.maturity.command)]
    return [text("about_command", ctx.lang), element("code", ctx.headline.command)]


def maturity_verdict(ctx: ReportContext) -> str:
    """The first sentence at maturity grain: the cheapest plan to the target (points of
    maturity and new innovations, the IID after) and business as usual beside it."""
    lang = ctx.lang
    part = ctx.maturity
    if not part.plan.reachable:
        return pt.maturity_plan_sentence(part, lang)
    values = pt.maturity_plan_values(part, lang) | {"year": ctx.params.target_year}
    bau = None if ctx.forecast is None else ctx.forecast.forecast.prob_at_least
    if bau is None:
        return text("mg_verdict_no_bau", lang, what=ctx.unavailable.get("forecast", ""),
                    **values)
    p_bau = float(bau(part.threshold))
    return text("mg_verdict", lang, p_bau=format_percent(p_bau, lang),
                band=verbal_band(p_bau, lang), **values)


def maturity_ladder_table(ctx: ReportContext) -> Html:
    lang = ctx.lang
    unit = text("mg_points_unit", lang)
    rows = []
    for r in ctx.maturity.ladder.itertuples():
        target = element("span", join([
            _n(r.target, ctx), element("span", text(f"rung_{r.label}", lang), "iid-rung"),
        ]))
        rows.append([
            target,
            _n(r.cost, ctx, 0) if r.reachable else "\u2013",
            _n(r.iid_after, ctx) if r.reachable else "\u2013",
            "\u2013" if pd.isna(r.p_business_as_usual) else format_percent(
                r.p_business_as_usual, lang),
        ])
    header_row = [text("col_target", lang), text("col_min_effort", lang, unit=unit),
                  text("col_iid_after", lang), text("col_p_bau", lang)]
    return table(header_row, rows, numeric=(1, 2, 3), stack=False)


def maturity_summary_section(ctx: ReportContext) -> Section:
    """1. at maturity grain: the cheapest plan to the target in points of maturity, business as
    usual beside it, the ladder of nearby targets; no probability with the plan (that needs
    indicator levels), said so."""
    lang = ctx.lang
    part = ctx.maturity
    verdict = maturity_verdict(ctx)
    blocks = [
        paragraph(verdict, "iid-verdict"),
        notice(text("grain_plan_note", lang), "warning"),
        maturity_ladder_table(ctx),
        paragraph(" ".join([
            text("mg_ladder_note", lang, m=_n(part.new_maturity, ctx, 0)),
            target_sentence(ctx),
        ]), "iid-small"),
        paragraph(text("mg_no_probability", lang), "iid-small"),
        paragraph(text(
            "current_score_line", lang, year=ctx.score.year, tag=_synthetic_tag(ctx),
            iid=_n(ctx.score.iid, ctx), predicate=ctx.score.predicate,
        )),
    ]
    if reproduced := reproduced_sentence(ctx):
        blocks.append(paragraph(reproduced, "iid-small"))
    bau = None if ctx.forecast is None else ctx.forecast.forecast.prob_at_least
    return Section(
        key="summary",
        title=text("s1", lang),
        blocks=tuple(blocks),
        facts={
            "grain": MATURITY_GRAIN,
            **_target_facts(ctx),
            "probability": None,
            "p_business_as_usual": None if bau is None else float(bau(ctx.threshold)),
            "effort": float(part.plan.cost),
            "effort_unit": text("mg_points_unit", lang),
            "plan": pt.maturity_facts(part),
            "ladder": [
                {"label": r.label, "target": float(r.target), "reachable": bool(r.reachable),
                 "effort": float(r.cost), "iid_after": float(r.iid_after),
                 "p_business_as_usual": None if pd.isna(r.p_business_as_usual)
                 else float(r.p_business_as_usual)}
                for r in part.ladder.itertuples()
            ],
            "verdict": verdict,
        },
    )


def maturity_spd_blocks(ctx: ReportContext) -> list[Html]:
    """Where the SPD of a maturity-grain report comes from, when it is not an SPD file."""
    score = ctx.maturity.data_score
    if score.spd_basis != SPD_FROM_PUBLISHED:
        return []
    lang = ctx.lang
    rules = ctx.data_methodology
    blocks = [notice(text(
        "grain_spd_published", lang, spd=_n(score.spd, ctx), year=ctx.params.data_year,
        iid=_n(score.iid, ctx),
    ), "info")]
    if not 0 <= score.spd <= rules.max_spd:
        blocks.append(notice(text("grain_spd_outside", lang, spd=_n(score.spd, ctx),
                                  max=_n(rules.max_spd, ctx, 0)), "warning"))
    return blocks


def maturity_levers_section(ctx: ReportContext) -> Section:
    """5. at maturity grain: what raising each innovation's maturity is worth, one more
    innovation, and the view by OPD."""
    lang = ctx.lang
    part = ctx.maturity
    per_point = float(part.levers["iid_gain_per_point"].max()) if len(part.levers) else 0.0
    blocks = [notice(text("grain_plan_note", lang), "warning")]
    if ctx.synthetic:
        blocks.append(paragraph(text("synthetic_banner", lang), "iid-small"))
    blocks += [
        paragraph(text("mg_levers_intro", lang, year=part.rules.year, tag=_synthetic_tag(ctx),
                       per_point=_n(per_point, ctx, 4),
                       max=_n(part.rules.max_innovation, ctx, 0))),
        table([text(k, lang) for k in ("col_innovation", "col_maturity", "col_headroom",
                                       "col_to_max")],
              pt.maturity_lever_rows(part, lang, LEVER_ROWS), numeric=(1, 2, 3)),
    ]
    if len(part.levers) > LEVER_ROWS:
        blocks.append(paragraph(text("mg_levers_rest", lang, n=len(part.levers) - LEVER_ROWS),
                                "iid-small"))
    blocks += [
        paragraph(text("mg_spd_levers", lang), "iid-small"),
        element("h3", text("new_title", lang)),
        table([text("col_maturity", lang), text("col_gain", lang)],
              pt.new_innovation_rows(part, lang), numeric=(0, 1)),
        element("h3", text("opd_title", lang)),
        paragraph(text("mg_opd_intro", lang)),
        table([text(k, lang) for k in ("col_opd", "col_count", "col_n_rejected",
                                       "col_mean_maturity", "col_to_max")],
              pt.maturity_opd_rows(part, lang, OPD_ROWS_SHOWN), numeric=(1, 2, 3, 4)),
    ]
    return Section(
        key="levers",
        title=text("s5", lang),
        blocks=tuple(blocks),
        facts={"grain": MATURITY_GRAIN, "opds": len(part.opds),
               "opd_rows_shown": min(OPD_ROWS_SHOWN, len(part.opds)),
               "levers": len(part.levers), "iid_gain_per_point": per_point},
    )


def maturity_plan_section(ctx: ReportContext) -> Section:
    """6. at maturity grain: the cheapest plan (points of maturity per innovation, new
    innovations), marked as coarser than a level-by-level plan; the city's scenarios, which
    need indicator levels, are said to be unavailable."""
    lang = ctx.lang
    part = ctx.maturity
    blocks = [notice(text("grain_plan_note", lang), "warning")]
    if ctx.synthetic:
        blocks.append(paragraph(text("synthetic_banner", lang), "iid-small"))
    blocks += [
        element("h3", text("path_title", lang)),
        paragraph(pt.maturity_plan_sentence(part, lang)),
    ]
    rows = pt.maturity_action_rows(part, lang)
    if rows:
        unit = text("mg_points_unit", lang)
        blocks.append(table([text("col_action", lang), text("col_points", lang),
                             text("col_effort", lang, unit=unit)], rows, numeric=(1, 2)))
        raised = int((part.plan.actions["action"] == "raise_maturity").sum())
        if raised > pt.MATURITY_ACTIONS_SHOWN:
            blocks.append(paragraph(text(
                "mg_actions_rest", lang, n=raised - pt.MATURITY_ACTIONS_SHOWN), "iid-small"))
    blocks += [
        paragraph(text("mg_cost_line", lang, m=_n(part.new_maturity, ctx, 0)), "iid-small"),
        paragraph(text("mg_scenarios_missing", lang), "iid-small"),
    ]
    return Section(key="scenarios", title=text("s6", lang), blocks=tuple(blocks),
                   facts=pt.maturity_facts(part))


def maturity_assumption_rows(ctx: ReportContext) -> list[log.Assumption]:
    part = ctx.maturity
    score = part.data_score
    published = None
    if score.spd_basis == SPD_FROM_PUBLISHED:
        published = (ctx.params.data_year, score.iid, score.spd)
    return log.maturity_grain_assumptions(
        part.source_format, part.source_provenance, part.new_maturity, published
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
    glossary_section,
    about_section,
)
