"""The report's sections, each built from a :class:`ReportContext` by one function, so that
every notebook cell is a one-line call. Each returns a :class:`~.markup.Section` (HTML plus
the facts behind it). An analysis that is not available says so plainly; no number is invented.
"""

from __future__ import annotations

import pandas as pd

from ..scoring import classify
from ..validation import STATUS_REJECTED
from . import assumptions as log
from . import figures
from .context import ReportContext
from .i18n import format_number, format_percent, text
from .markup import (
    Html,
    Section,
    element,
    figure,
    join,
    link,
    notice,
    paragraph,
    rag_badge,
    table,
)

OPD_ROWS_SHOWN = 15


def _n(value: float, ctx: ReportContext, decimals: int = 2) -> str:
    return format_number(value, ctx.lang, decimals)


def _missing(ctx: ReportContext, analysis: str) -> Html:
    """The plain statement that ``analysis`` (forecast or plan) is not available."""
    what = ctx.unavailable.get(analysis) or text(f"{analysis}_missing", ctx.lang)
    return notice(text("not_available", ctx.lang, what=what), "missing")


def describe_rules(rules, lang: str) -> str:
    """Rule names joined, with ``indicator 1``, ``indicator 2a``... folded into one entry."""
    indicators = [r.split(" ", 1)[1] for r in rules if r.startswith("indicator ")]
    others = [r for r in rules if not r.startswith("indicator ")]
    if indicators:
        others.append(f"{text('indicators_word', lang)} {', '.join(indicators)}")
    return ", ".join(others) or text("none", lang)


def _synthetic_tag(ctx: ReportContext) -> str:
    return text("synthetic_tag", ctx.lang) if ctx.synthetic else ctx.params.path("spd").name


def header(ctx: ReportContext) -> Section:
    """The title, the region and, for the example data, the SYNTHETIC warning."""
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
        basis = text(
            "target_basis_default", ctx.lang, last=_n(last["iid"], ctx), last_year=int(last["year"])
        )
    else:
        basis = text("target_basis_given", ctx.lang)
    return text(
        "target_line", ctx.lang, year=ctx.params.target_year, target=_n(ctx.target, ctx),
        target_basis=basis,
    )


def summary_section(ctx: ReportContext) -> Section:
    """1. The verdict, the probability of reaching the target, the predicate outlook, levers."""
    lang = ctx.lang
    last = ctx.last_published
    blocks = []
    verdict = None
    if ctx.forecast is None:
        what = ctx.unavailable.get("forecast") or text("forecast_missing", lang)
        verdict = text("verdict_missing", lang, what=what)
        blocks.append(paragraph(verdict, "iid-verdict"))
    blocks.append(paragraph(target_sentence(ctx)))
    if last is not None:
        predicate = last["predicate_reported"] or classify(last["iid"], int(last["year"]))
        blocks.append(paragraph(text(
            "last_published", lang, value=_n(last["iid"], ctx), year=int(last["year"]),
            predicate=predicate,
        )))
    else:
        blocks.append(paragraph(text("no_published", lang, region=ctx.params.region)))
    blocks.append(paragraph(text(
        "current_score_line", lang, year=ctx.score.year, tag=_synthetic_tag(ctx),
        iid=_n(ctx.score.iid, ctx), predicate=ctx.score.predicate,
    )))
    if ctx.plan is None:
        blocks.append(_missing(ctx, "plan"))
    return Section(
        key="summary",
        title=text("s1", lang),
        blocks=tuple(blocks),
        facts={
            "target": ctx.target,
            "target_is_default": ctx.target_is_default,
            "last_published": None if last is None else float(last["iid"]),
            "last_published_year": None if last is None else int(last["year"]),
            "current_iid": ctx.score.iid,
            "probability": None,
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
                if ctx.forecast is None:
                    blocks.append(_missing(ctx, "forecast"))
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
    """3. The fan chart to the target year, the models and their backtest skill."""
    blocks = [_missing(ctx, "forecast")]
    return Section(key="projection", title=text("s3", ctx.lang), blocks=tuple(blocks))


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


def opd_table(ctx: ReportContext) -> pd.DataFrame:
    """Innovations by OPD: opd, n, rejected, mean_maturity, gap (sum of 111 - maturity over
    the OPD's innovations), sorted by gap, largest first."""
    scores = ctx.innovation_scores
    best = ctx.data_methodology.max_innovation
    grouped = scores.assign(
        rejected=(scores["status"] == STATUS_REJECTED).astype(int),
        gap=best - scores["maturity"],
    ).groupby("opd", sort=True)
    frame = pd.DataFrame({
        "n": grouped.size(),
        "rejected": grouped["rejected"].sum(),
        "mean_maturity": grouped["maturity"].mean(),
        "gap": grouped["gap"].sum(),
    }).reset_index()
    return frame.sort_values(["gap", "opd"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def levers_section(ctx: ReportContext) -> Section:
    """5. The marginal-value tables and the view by OPD."""
    lang = ctx.lang
    blocks = []
    if ctx.plan is None:
        blocks.append(_missing(ctx, "plan"))
    opds = opd_table(ctx)
    shown = opds.head(OPD_ROWS_SHOWN)
    blocks.append(element("h3", text("opd_title", lang)))
    if ctx.synthetic:
        blocks.append(paragraph(text("synthetic_banner", lang), "iid-small"))
    header_row = [text(k, lang) for k in ("col_opd", "col_n", "col_rejected",
                                          "col_mean_maturity", "col_gap")]
    rows = [
        [r.opd, r.n, r.rejected, _n(r.mean_maturity, ctx, 1), _n(r.gap, ctx, 0)]
        for r in shown.itertuples()
    ]
    blocks.append(table(header_row, rows, numeric=(1, 2, 3, 4)))
    return Section(
        key="levers",
        title=text("s5", lang),
        blocks=tuple(blocks),
        facts={"opds": len(opds), "opd_rows_shown": len(shown)},
    )


def scenarios_section(ctx: ReportContext) -> Section:
    """6. The city's scenarios and the cheapest path, with the plan's probability."""
    blocks = [_missing(ctx, "plan")]
    return Section(key="scenarios", title=text("s6", ctx.lang), blocks=tuple(blocks))


def assumption_rows(ctx: ReportContext) -> list[log.Assumption]:
    """Every assumption of the report: the rules used that are not CONFIRMED, the data's."""
    score = ctx.score
    rows = log.rule_assumptions(ctx.data_methodology, score.provisional_rules)
    rows += log.indicator_assumption(ctx.data_methodology, score.provisional_rules)
    rows += log.rule_assumptions(ctx.target_methodology, ctx.target_methodology.not_confirmed)
    if log.ASSUMPTION_STAGES_COUNTED in score.provisional_rules:
        rows.append(log.stages_assumption())
    if ctx.synthetic:
        rows.append(log.synthetic_data_assumption(ctx.params.path("innovations").name))
    for year, group in ctx.published.groupby("year"):
        if len(group) > 1:
            used = group[group["used"]].iloc[0]
            other = ", ".join(str(v) for v in group.loc[~group["used"], "iid"])
            rows.append(log.conflict_assumption(int(year), float(used["iid"]), other,
                                                str(used["source_url"])))
    rows.append(log.short_series_assumption(len(ctx.series)))
    return rows


def assumptions_section(ctx: ReportContext) -> Section:
    """7. The assumptions log, each rated red/amber/green for quality and impact."""
    lang = ctx.lang
    frame = log.assumptions_log(assumption_rows(ctx))
    column = "assumption_id" if lang == "id" else "assumption_en"
    header_row = [text(k, lang) for k in ("col_assumption", "col_provenance", "col_quality",
                                          "col_impact", "col_source")]
    rows = [
        [
            getattr(r, column),
            r.provenance,
            rag_badge(r.quality, text(f"rag_{r.quality}", lang)),
            rag_badge(r.impact, text(f"rag_{r.impact}", lang)),
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
