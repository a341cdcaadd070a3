"""The first screen: the header (title, meta, notices) and the executive summary (headline,
ladder, risks, the with/without-plan chart)."""

from __future__ import annotations

from ...feasibility.effort import EFFORT_UNIT_DEFINITION
from ...messages import Message, render
from ...scoring import classify
from .. import figures
from .. import plan_text as pt
from ..context import ReportContext
from ..i18n import (
    counted,
    format_percent,
    text,
    verbal_band,
)
from ..markup import (
    Html,
    Section,
    bullet_list,
    element,
    figure,
    join,
    link,
    notice,
    paragraph,
    table,
)
from .common import DECREE, _n, _synthetic_tag, grain_note, reproduced_sentence
from .trend import _source_label


def _cluster_rank(ctx: ReportContext) -> str | None:
    """The rank in the cluster in the latest year(s) that give it, e.g. "ke-1 dari 93 kota
    (2022 dan 2023)" (None when the published data has no rank)."""
    ranked = ctx.cluster_rank
    if ranked is None:
        return None
    years = [str(y) for y in ranked.years]
    joined = years[0] if len(years) == 1 else (
        ", ".join(years[:-1]) + f" {text('and_word', ctx.lang)} {years[-1]}"
    )
    kind = ranked.region_type
    cluster = ctx.words(f"cluster_{kind}") if kind in ("kota", "kabupaten",
                                                             "provinsi") else ""
    return ctx.words("rank_value", rank=ranked.rank, size=ranked.size, cluster=cluster,
                     years=joined)


def _last_source(ctx: ReportContext) -> Html | None:
    """The last published score with the source (and decree, when its note cites one)."""
    last = ctx.last_published
    if last is None:
        return None
    predicate = last["predicate_reported"] or classify(last["iid"], int(last["year"]))
    parts = [
        ctx.words("last_value", value=_n(last["iid"], ctx), year=int(last["year"]),
             predicate=predicate),
        link(last["source_url"], _source_label(last["source_url"])),
    ]
    decree = DECREE.search(str(last["note"] or ""))
    if decree:
        parts.append(ctx.words("decree_note", decree=decree.group(1)))
    return join(parts)


def _meta_rows(ctx: ReportContext) -> list[tuple[str, object]]:
    as_of = ctx.params.as_of_date
    rows = [
        (ctx.words("meta_region"), ctx.params.region),
        (ctx.words("meta_target_year"), str(ctx.params.target_year)),
        (ctx.words("meta_date"), ctx.provenance.run_time.strftime("%Y-%m-%d")),
        (ctx.words("meta_cutoff"), ctx.words("meta_cutoff_value",
            year=ctx.as_of_year if ctx.last_published is None else int(ctx.last_published["year"]),
            as_of=ctx.words("meta_as_of", date=as_of) if as_of else "",
        )),
    ]
    if ctx.params.issuing_unit:
        rows.append((ctx.words("meta_issuer"), ctx.params.issuing_unit))
    if rank := _cluster_rank(ctx):
        rows.append((ctx.words("meta_rank"), rank))
    if source := _last_source(ctx):
        rows.append((ctx.words("meta_last"), source))
    return rows


def urusan_warning(ctx: ReportContext) -> str | None:
    """The first-screen warning about the urusan wajib pelayanan dasar rule (None when the
    rule does not apply or is met with room to spare)."""
    lever = ctx.grain_view.urusan
    if lever is None or not lever.applies:
        return None
    if not lever.checked:
        return ctx.words("urusan_unchecked", year=lever.year, minimum=lever.minimum,
                    points=_n(lever.count_score_at_stake, ctx))
    if lever.needed > 0:
        return ctx.words("urusan_missing", covered=len(lever.covered), minimum=lever.minimum,
                    missing="; ".join(lever.missing), needed=lever.needed,
                    iid=_n(lever.iid_value, ctx))
    if lever.one_away:
        return ctx.words("urusan_one_away", covered=len(lever.covered), minimum=lever.minimum,
                    iid=_n(lever.iid_at_risk, ctx))
    return None


def stand_in_lines(ctx: ReportContext) -> list[str]:
    """One sentence per year whose rules are stood in for by another year's."""
    years = {"data": ctx.params.data_year, "target": ctx.params.target_year}
    return [
        ctx.words("stand_in_note", year=years[role], stand_in=year,
             role=ctx.words(f"role_{role}"))
        for role, year in sorted(ctx.stand_in.items())
    ]


def header(ctx: ReportContext) -> Section:
    """The title and the first screen's facts: region, target year, date, data cut-off,
    issuing unit, rank in the cluster, the last score and its source; then the warnings
    (urusan rule, rules standing in, synthetic data)."""
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
        blocks.append(notice(ctx.words("synthetic_banner"), "warning"))
    return Section(
        key="title",
        title=ctx.words("report_title", year=ctx.params.target_year, region=ctx.params.region),
        blocks=tuple(blocks),
        facts={
            "region": ctx.params.region, "synthetic": ctx.synthetic,
            "issuing_unit": ctx.params.issuing_unit, "rank": _cluster_rank(ctx),
            "urusan_warning": urusan_warning(ctx), "stand_in": dict(ctx.stand_in),
            **ctx.grain_view.facts,
        },
        level=1,
    )


def target_sentence(ctx: ReportContext) -> str:
    """The target and how it was set, in the report's language."""
    last = ctx.last_published
    if ctx.target_is_default and last is not None:
        return ctx.words("target_line_default", year=ctx.params.target_year,
            last=_n(last["iid"], ctx), last_year=int(last["year"]),
            threshold=_n(ctx.threshold, ctx),
        )
    return ctx.words("target_line_given", year=ctx.params.target_year, target=_n(ctx.target, ctx)
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
        return ctx.words("headline_verdict_no_bau",
                    what=render(ctx.unavailable.get("forecast", ""), lang),
                    **values)
    return ctx.words("headline_verdict", p_bau=format_percent(head.p_business_as_usual, lang),
                **values)


def ladder_rows(ctx: ReportContext) -> list[list[object]]:
    lang = ctx.lang
    rows = []
    for r in ctx.headline.ladder:
        label = ctx.words(f"rung_{r.label}")
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
    header_row = [
        ctx.words("col_target"), ctx.words("col_min_effort", unit=ctx.headline.effort_unit),
        ctx.words("col_p_bau"), ctx.words("col_p_plan"),
    ]
    return table(header_row, ladder_rows(ctx), numeric=(1, 2, 3), stack=False)


def risk_sentences(ctx: ReportContext) -> list[str]:
    """Each rule variant that moves the plan's probability, in plain words: its weight, the
    probability under it, its share of the risk and its costed remedy; then how these add up to
    the headline's probability (the rows split the draws: sum of weight x probability)."""
    lang = ctx.lang
    head = ctx.headline
    out = []
    for r in head.risks_named:
        key = f"risk_{r.rule}" if r.rule == "verification" else f"risk_{r.rule}_{r.variant}"
        if key not in _RISK_KEYS:
            continue
        sentence = text(key, lang, n=int(r.n_affected), share=format_percent(r.share_of_risk, lang),
                        p_if=format_percent(r.p_reach_if, lang),
                        weight=format_percent(r.weight, lang))
        if r.remedy:
            sentence += " " + ctx.words("risk_remedy",
                    effort=_n(r.remedy_effort, ctx, 0), unit=head.effort_unit,
                p_after=format_percent(r.p_reach_after_remedy, lang),
            )
        out.append(sentence)
    shown = head.risks.weighted
    if out and len(shown) > 1:
        items = "; ".join(
            ctx.words("risk_item", weight=format_percent(r.weight, lang),
                 p_if=format_percent(r.p_reach_if, lang))
            for r in shown
        )
        out.append(ctx.words("risks_sum", p=format_percent(head.p_with_plan, lang), items=items,
                        low=format_percent(head.risks.lowest_p_reach_if, lang)))
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
        return [ctx.words("weights_equal")]
    hits = weights.reproducing
    if len(hits) == 1:
        row = hits.iloc[0]
        which = ctx.words("weights_one",
                     variant=_variant_label(row["stage_rule"], row["rejected_rule"], lang))
    elif len(hits):
        which = ctx.words("weights_many", n=len(hits))
    else:
        which = ctx.words("weights_none")
    out = [ctx.words("weights_line", year=ctx.params.data_year,
                iid=_n(weights.published_iid, ctx), which=which)]
    if ctx.synthetic and reproduced_sentence(ctx) is not None:
        out.append(ctx.words("weights_illustrative"))
    return out


def compare_block(ctx: ReportContext) -> Html:
    """Business as usual and with the plan in one chart, two answers of one model (the plan as
    the floor it secures: per draw the higher of the trend and the plan's own result), the
    framing said first, then the chart and the sentence that separates them."""
    lang = ctx.lang
    head = ctx.headline
    robust = ctx.plan.robust
    bau = None if ctx.forecast is None else ctx.forecast.forecast.quantiles
    outlook = head.outlook  # the one model's answer (the floor the plan secures)
    draws = outlook.with_plan_draws
    fig = figures.compare_figure(bau, draws, head.threshold,
                                 ctx.target_methodology.bands, lang)
    caption = ctx.words("compare_caption", year=ctx.params.target_year,
                   threshold=_n(head.threshold, ctx),
                   source=ctx.words("compare_source", tag=_synthetic_tag(ctx)))
    low, median, high = outlook.with_plan_quantiles  # 5 %, 50 %, 95 %
    blocks = [paragraph(render(Message(outlook.message_key), lang))]
    if bau is None:
        alt = ctx.words("compare_alt_no_bau", median=_n(median, ctx, 1),
                   threshold=_n(head.threshold, ctx), p=format_percent(head.p_with_plan, lang))
        blocks.append(figure(fig, alt, caption))
    else:
        alt = ctx.words("compare_alt", bau_median=_n(bau[0.5], ctx, 1),
                   median=_n(median, ctx, 1), threshold=_n(head.threshold, ctx),
                   p_bau=format_percent(head.p_business_as_usual, lang),
                   p=format_percent(head.p_with_plan, lang))
        blocks.append(figure(fig, alt, caption))
        blocks.append(paragraph(ctx.words("separates",
                actions=counted("actions", len(robust.plan.actions), lang),
            new=counted("new", robust.plan.n_new_innovations, lang),
            effort=_n(head.effort, ctx, 0), unit=head.effort_unit,
            bau_median=_n(bau[0.5], ctx, 1), bau_low=_n(bau[0.05], ctx, 1),
            bau_high=_n(bau[0.95], ctx, 1), plan_median=_n(median, ctx, 1),
            plan_low=_n(low, ctx, 1), plan_high=_n(high, ctx, 1),
        )))
    if weeks := pt.weeks_sentence(robust.plan.calendar, ctx.words, ctx.params.target_year):
        blocks.append(paragraph(weeks, "iid-small"))
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
    lang = ctx.lang
    head = ctx.headline
    verdict = headline_verdict(ctx)
    blocks = [
        paragraph(verdict, "iid-verdict"),
        ladder_table(ctx),
        paragraph(" ".join([
            ctx.words("ladder_note", effort=_n(head.effort, ctx, 0), unit=head.effort_unit),
            target_sentence(ctx),
            ctx.words("effort_unit_line", definition=EFFORT_UNIT_DEFINITION[lang]),
        ]), "iid-small"),
        compare_block(ctx),
        element("h3", ctx.words("risks_title")),
    ]
    risks = risk_sentences(ctx)
    blocks.append(bullet_list(risks) if risks else paragraph(ctx.words("risk_none")))
    blocks.append(paragraph(" ".join(weights_sentences(ctx)), "iid-small"))
    blocks.append(paragraph(ctx.words("current_score_line",
            year=ctx.score.year, tag=_synthetic_tag(ctx),
        iid=_n(ctx.score.iid, ctx), predicate=ctx.score.predicate,
    )))
    if reproduced := reproduced_sentence(ctx):
        blocks.append(paragraph(reproduced, "iid-small"))
    blocks.append(paragraph(ctx.words("see_sections"), "iid-small"))
    return Section(
        key="summary",
        title=ctx.words("s1"),
        blocks=tuple(blocks),
        facts={
            **_target_facts(ctx),
            "probability": head.p_with_plan,
            "p_business_as_usual": None if ctx.forecast is None else head.p_business_as_usual,
            "effort": head.effort,
            "effort_unit": head.effort_unit,
            "ladder": [
                {"label": r.label, "target": float(r.target), "effort": float(r.effort),
                 "p_business_as_usual": (None if ctx.forecast is None
                                         else float(r.p_business_as_usual)),
                 "p_with_plan": float(r.p_with_plan)}
                for r in head.ladder
            ],
            "risks": risks,
            "verdict": verdict,
        },
    )
