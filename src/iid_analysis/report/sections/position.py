"""The current score position, the levers and the scenarios (with the OPD, urusan, outcome
and programme blocks)."""

from __future__ import annotations

import pandas as pd

from ...feasibility.effort import EFFORT_UNIT_DEFINITION
from .. import figures
from .. import plan_text as pt
from ..analysis import PLAN_PROBABILITY
from ..context import ReportContext
from ..i18n import counted, format_number, format_percent, text
from ..markup import (
    Html,
    Section,
    download_link,
    element,
    figure,
    notice,
    paragraph,
    table,
)
from .common import (
    LEVER_ROWS,
    LOAD_ROWS_SHOWN,
    OPD_ROWS_SHOWN,
    WORKLIST_MIME,
    _n,
    _synthetic_tag,
    describe_rules,
    reproduced_sentence,
)


def position_components(ctx: ReportContext) -> pd.DataFrame:
    """The context's components (:attr:`~.context.ReportContext.components`) with their labels.

    Columns: component (key), label, score, max, share.
    """
    frame = ctx.components
    frame["label"] = [ctx.words(f"comp_{key}") for key in frame["component"]]
    return frame[["component", "label", "score", "max", "share"]]


def position_section(ctx: ReportContext) -> Section:
    """4. SPD, mean maturity and count score against their maxima (from the indicator data)."""
    lang = ctx.lang
    score = ctx.score
    components = position_components(ctx)
    blocks = []
    if ctx.synthetic:
        blocks.append(notice(ctx.words("synthetic_banner"), "warning"))
    blocks.append(paragraph(ctx.words("position_text",
            n=score.n_innovations, rejected=ctx.n_rejected, divisor=score.divisor,
        total=_n(score.total, ctx), max_total=_n(ctx.data_methodology.max_total, ctx, 0),
        iid=_n(score.iid, ctx), predicate=score.predicate,
    )))
    if reproduced := reproduced_sentence(ctx):
        blocks.append(paragraph(reproduced, "iid-small"))
    blocks += [notice(ctx.words.render(n.text), n.kind) for n in ctx.grain_view.spd_notices()]
    parts = components[components["component"] != "total"].assign(
        label=lambda f: [ctx.words(f"short_{key}") for key in f["component"]]
    )
    weakest = parts.set_index("component").loc[ctx.weakest_component]
    total = components[components["component"] == "total"].iloc[0]
    blocks.append(figure(
        figures.position_figure(parts, lang),
        ctx.words("position_alt", weakest=weakest["label"],
             share=format_percent(weakest["share"], lang),
             total=format_percent(total["share"], lang)),
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
            ctx.words("methodology_line", year=score.year,
                 rules=describe_rules(score.provisional_rules, lang)), "iid-small",
        ))
    return Section(
        key="position",
        title=ctx.words("s4"),
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
        blocks.append(paragraph(ctx.words("synthetic_banner"), "iid-small"))
    blocks += [
        paragraph(ctx.words("levers_intro", year=part.rules.year, tag=tag)),
        table([text(k, lang) for k in ("col_lever", "col_steps", "col_gain")],
              pt.lever_rows(ctx.headline.levers, ctx.words, LEVER_ROWS),
              numeric=(1, 2)),
        element("h3", ctx.words("new_title")),
        table([ctx.words("col_maturity"), ctx.words("col_gain")],
              pt.new_innovation_rows(part, ctx.words), numeric=(0, 1)),
        paragraph(pt.break_even_sentence(part, ctx.words)),
        element("h3", ctx.words("opd_title")),
        paragraph(ctx.words("opd_intro")),
        table([text(k, lang) for k in ("col_opd", "col_n_rejected", "col_mean_maturity",
                                       "col_iid_lost")],
              pt.opd_rows(part, ctx.words, OPD_ROWS_SHOWN), numeric=(1, 2, 3)),
        *urusan_blocks(ctx),
        *opd_plan_blocks(ctx),
        *outcome_blocks(ctx),
    ]
    return Section(
        key="levers",
        title=ctx.words("s5"),
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
    blocks = [element("h3", ctx.words("load_title"))]
    if len(load):
        carrying = head.carrying_opds
        blocks.append(paragraph(ctx.words("load_line", n=len(carrying), total=len(load),
            share=format_percent(head.carrying_share, lang),
            names=", ".join(r.opd for r in carrying),
        )))
        rows = [
            [r.opd, _n(r.effort, ctx, 0), format_percent(r.effort_share, lang),
             str(int(r.n_innovations)), str(int(r.n_new_innovations))]
            for r in load[:LOAD_ROWS_SHOWN]
        ]
        blocks.append(table(
            [ctx.words("col_opd"), ctx.words("col_effort", unit=head.effort_unit),
             ctx.words("col_share_effort"), ctx.words("col_count"), ctx.words("col_new")],
            rows, numeric=(1, 2, 3, 4),
        ))
    concerned = head.more_than_one
    if len(concerned):
        blocks.append(paragraph(ctx.words("more_than_one_line",
                n=len(concerned), names=", ".join(r.opd for r in concerned),
            met=ctx.words("more_than_one_met", k=head.more_than_one_met),
        )))
    else:
        blocks.append(paragraph(ctx.words("more_than_one_none")))
    return blocks


def urusan_blocks(ctx: ReportContext) -> list[Html]:
    """The lever "cover the missing urusan" (years with the basic-urusan rule): which of the 6
    urusan wajib pelayanan dasar the innovations cover, what covering the rest is worth, and
    which new innovations of the plan cover them."""
    lang = ctx.lang
    lever = ctx.headline.urusan
    if not lever.applies:
        return []
    blocks = [element("h3", ctx.words("urusan_title"))]
    points = format_number(lever.count_score_at_stake, lang)
    if not lever.checked:
        blocks.append(paragraph(ctx.words("urusan_lever_unchecked", minimum=lever.minimum,
                                     points=points)))
        return blocks
    yes, no = ctx.words("yes"), ctx.words("no")
    rows = [[r.urusan, yes if r.covered else no] for r in lever.as_frame().itertuples()]
    blocks.append(table([ctx.words("col_urusan"), ctx.words("col_covered")], rows))
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
    cover = ctx.headline.urusan_actions
    if cover:
        blocks.append(paragraph(ctx.words("urusan_lever_plan", innovations="; ".join(
            f"{a.innovation_id} ({a.opd}): {a.urusan}" for a in cover
        ))))
    return blocks


def outcome_blocks(ctx: ReportContext) -> list[Html]:
    """SPD outcome indicators with their value to the IID: context, never planned."""
    outcomes = ctx.headline.outcomes
    if not len(outcomes):
        return []
    open_ = ctx.headline.open_outcomes
    rows = [
        [f"{r.indicator} {ctx.words.render(r.name)}", str(int(r.level)),
         _n(r.iid_gain_one_step, ctx), _n(r.iid_gain_to_max, ctx)]
        for r in open_
    ]
    blocks = [element("h3", ctx.words("outcomes_title")), paragraph(ctx.words("outcomes_intro"))]
    if rows:
        blocks.append(table([ctx.words("col_indicator"), ctx.words("col_level"),
                             ctx.words("col_gain"), ctx.words("col_to_max")],
                            rows, numeric=(1, 2, 3)))
    if len(outcomes) > len(open_):
        blocks.append(paragraph(ctx.words("outcomes_rest", n=len(outcomes) - len(open_))))
    return blocks


def programme_blocks(ctx: ReportContext) -> list[Html]:
    """The plan in programmes a leader recognises, and the OPD worklist as an offline
    download."""
    lang = ctx.lang
    head = ctx.headline
    blocks = [element("h3", ctx.words("programmes_title"))]
    rows = [
        [ctx.words.render(r.title), _n(r.effort, ctx, 0), ctx.words.points(r.iid_gain),
         str(int(r.n_opds))]
        for r in head.programmes
    ]
    blocks.append(table(
        [ctx.words("col_programme"), ctx.words("col_effort", unit=head.effort_unit),
         ctx.words("col_gain"), ctx.words("col_opds")], rows, numeric=(1, 2, 3),
    ))
    blocks.append(paragraph(ctx.words("worklist_line",
                                 actions=counted("actions", len(head.worklist), lang))))
    filename = f"{ctx.params.stem}_worklist.xlsx"
    blocks.append(paragraph(download_link(
        head.worklist_xlsx, filename, ctx.words("worklist_link"), WORKLIST_MIME,
    )))
    return blocks


def scenarios_section(ctx: ReportContext) -> Section:
    """6. The city's scenarios and the cheapest path, with the plan's probability."""
    lang = ctx.lang
    part = ctx.plan
    goal = format_percent(PLAN_PROBABILITY, lang)
    groups = pt.action_group_rows(part.robust_groups, ctx.words)
    blocks = []
    if ctx.synthetic:
        blocks.append(paragraph(ctx.words("synthetic_banner"), "iid-small"))
    blocks += [
        paragraph(ctx.words("scenarios_intro", year=part.rules.year, tag=_synthetic_tag(ctx))),
        table([ctx.words("col_scenario"),
               ctx.words("col_effort", unit=ctx.headline.effort_unit),
               ctx.words("col_iid_after"), ctx.words("col_reaches")],
              pt.scenario_rows(part, ctx.words), numeric=(1, 2)),
        element("h3", ctx.words("path_title")),
        paragraph(pt.plan_sentence(part, ctx.words)),
        paragraph(pt.robust_sentence(part, ctx.words)),
        *programme_blocks(ctx),
    ]
    if groups:
        blocks += [
            paragraph(ctx.words("robust_table_intro", goal=goal)),
            table([ctx.words("col_action"), ctx.words("col_count"), ctx.words("col_gain")],
                  groups, numeric=(1, 2)),
        ]
    blocks.append(paragraph(ctx.words("effort_unit_line",
            definition=EFFORT_UNIT_DEFINITION[lang]), "iid-small"))
    return Section(key="scenarios", title=ctx.words("s6"), blocks=tuple(blocks),
                   facts=pt.facts(part))
