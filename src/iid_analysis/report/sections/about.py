"""The assumptions log, the glossary and "about this report"."""

from __future__ import annotations

from ...messages import Message, render
from .. import assumptions as log
from ..context import ReportContext
from ..i18n import (
    glossary,
    provenance_word,
    rule_name,
    text,
)
from ..markup import (
    Html,
    Section,
    cited,
    element,
    link,
    paragraph,
    rag_badge,
    table,
)
from .common import describe_rules
from .trend import _source_label


def assumption_rows(ctx: ReportContext) -> list[log.Assumption]:
    """Every assumption of the report: the rules used that are not CONFIRMED, the data's."""
    score = ctx.score
    rows = log.rule_assumptions(ctx.data_methodology, score.provisional_rules)
    rows += ctx.grain_view.data_assumptions()
    rows += log.rule_assumptions(ctx.target_methodology, ctx.target_methodology.not_confirmed)
    if log.ASSUMPTION_STAGES_COUNTED in score.provisional_rules:
        rows.append(log.stages_assumption())
    if ctx.synthetic:
        rows.append(log.synthetic_data_assumption(ctx.params.path("innovations").name,
                                                  ctx.datasheet))
    for conflict in ctx.published_conflicts:
        rows.append(log.conflict_assumption(conflict.year, conflict.used_iid,
                                            list(conflict.others), conflict.used_source))
    rows.append(log.short_series_assumption(len(ctx.series)))
    if ctx.forecast is not None:
        rows.append(log.forecast_model_assumption(tuple(ctx.forecast.forecast.weights)))
    rows += ctx.grain_view.plan_assumptions()
    return rows


def _assumption_source(row, lang: str) -> Html | str:
    """A row's source: a message in words, a link, or a data file's text (in Indonesian when it
    has a translation, else quoted as written)."""
    if isinstance(row.source, Message):
        return render(row.source, lang)
    if row.source.startswith("http"):
        return link(row.source, _source_label(row.source))
    return cited(row.source, row.source_id, lang)


def assumptions_section(ctx: ReportContext) -> Section:
    """7. The assumptions log, each rated red/amber/green for quality and impact, with one line
    on what the red rows mean for the verdict."""
    lang = ctx.lang
    frame = log.assumptions_log(assumption_rows(ctx))
    header_row = [text(k, lang) for k in ("col_quality", "col_impact", "col_assumption",
                                          "col_provenance", "col_source")]
    rows = [
        [
            rag_badge(r.quality, ctx.words(f"rag_{r.quality}")),
            rag_badge(r.impact, ctx.words(f"rag_{r.impact}")),
            render(r.text, lang),
            provenance_word(r.provenance, lang),
            _assumption_source(r, lang),
        ]
        for r in frame.itertuples()
    ]
    red = int((frame["impact"] == "red").sum())
    blocks = [
        paragraph(ctx.words("assumptions_intro")),
        paragraph(ctx.words("assumptions_red_line", n=red), "iid-red-line"),
        element("div", table(header_row, rows), "iid-assumptions"),
    ]
    return Section(
        key="assumptions",
        title=ctx.words("s7"),
        blocks=tuple(blocks),
        facts={"keys": list(frame["key"]), "red_impact": red},
    )


def glossary_section(ctx: ReportContext) -> Section:
    """8. The terms as the ministry and the regions use them, briefly explained."""
    lang = ctx.lang
    rows = [list(pair) for pair in glossary(lang)]
    return Section(
        key="glossary",
        title=ctx.words("glossary_title"),
        blocks=(table([ctx.words("col_term"), ctx.words("col_meaning")], rows, stack=True),),
        facts={"terms": [term for term, _ in rows]},
    )


def rules_rows(first, second, lang: str = "en") -> list[list[str]]:
    """Each rule of two years: its name in words, then ``value (provenance)`` in each year, in
    the reader's words and number format (blank where the year has no such rule)."""
    names = list(dict.fromkeys([*first.rules, *second.rules]))

    def cell(rules, name: str) -> str:
        if not rules.has(name):
            return ""
        rule = rules.rule(name)
        return f"{log.value_words(rule.value, lang)} ({provenance_word(rule.provenance, lang)})"

    return [[rule_name(name, lang), cell(first, name), cell(second, name)] for name in names]


def technical_rows(ctx: ReportContext) -> list[list[object]]:
    """The one table of technical names: every name the package's files, commands and params
    use (data file roles, rule names, provenance flags), each with its meaning in words."""
    lang = ctx.lang
    rows = [[element("code", role), ctx.words(f"file_role_{role}")]
            for role in ctx.provenance.files["role"]]
    names = dict.fromkeys([*ctx.data_methodology.rules, *ctx.target_methodology.rules])
    rows += [[element("code", name), rule_name(name, lang)] for name in names]
    flags = dict.fromkeys(
        rule.provenance for m in (ctx.data_methodology, ctx.target_methodology)
        for rule in m.rules.values()
    )
    rows += [[element("code", flag), provenance_word(flag, lang)] for flag in flags]
    return rows


def about_section(ctx: ReportContext) -> Section:
    """9. Data files and their hashes, the methodology and its rules, package versions, git
    revision, parameters and run time, in the reader's words; the technical names (file roles,
    rule names, provenance flags) in one table of their own, each with its meaning."""
    lang = ctx.lang
    prov = ctx.provenance
    files = [
        [ctx.words(f"file_role_{r.role}"), element("code", r.path),
         element("code", r.sha256 or ctx.words("unknown"))]
        for r in prov.files.itertuples()
    ]
    items = [
        [ctx.words("about_methodology") + f" {year}", ctx.words("methodology_line",
                year=year, rules=describe_rules(rules, lang),
        )]
        for year, rules in ((prov.methodology_year, prov.not_confirmed),
                            (ctx.target_methodology.year, ctx.target_methodology.not_confirmed))
    ]
    items += [
        [ctx.words("about_versions"),
         ", ".join(f"{k} {v}" for k, v in prov.versions.items())],
        [ctx.words("about_git"), element("code", prov.git)],
        [ctx.words("about_params"), element("code", ", ".join(
            f"{k}={v!r}" for k, v in prov.parameters.items()))],
        [ctx.words(ctx.grain_view.command_key), element("code", ctx.grain_view.command)],
        [ctx.words("about_run_time"), prov.run_time.strftime("%Y-%m-%d %H:%M:%S")],
    ]
    blocks = [
        element("h3", ctx.words("about_files")),
        table([ctx.words("col_file"), ctx.words("col_path"), "SHA-256"], files),
        table([ctx.words("col_item"), ctx.words("col_value")], items),
        element("h3", ctx.words("about_rules")),
        table([ctx.words("col_rule"), f"{prov.methodology_year}",
               f"{ctx.target_methodology.year}"],
              rules_rows(ctx.data_methodology, ctx.target_methodology, lang)),
        element("h3", ctx.words("about_technical")),
        paragraph(ctx.words("about_technical_intro"), "iid-small"),
        table([ctx.words("col_technical"), ctx.words("col_meaning")], technical_rows(ctx),
              stack=False),
    ]
    return Section(
        key="about",
        title=ctx.words("s9"),
        blocks=tuple(blocks),
        facts={
            "files": {r.role: r.sha256 for r in prov.files.itertuples()},
            "git": prov.git,
            "run_time": prov.run_time.isoformat(),
            "parameters": prov.parameters,
        },
    )

