"""The sections of a report at maturity grain (innovations known by their kematangan only)."""

from __future__ import annotations

from ...feasibility.effort import EFFORT_UNIT, EFFORT_UNIT_DEFINITION
from ...messages import render
from .. import maturity_text as mt
from .. import plan_text as pt
from ..context import ReportContext
from ..i18n import (
    format_percent,
    text,
    verbal_band,
)
from ..markup import (
    Html,
    Section,
    element,
    join,
    notice,
    paragraph,
    table,
)
from .common import LEVER_ROWS, OPD_ROWS_SHOWN, _n, _synthetic_tag, reproduced_sentence
from .front import _target_facts, target_sentence


def maturity_verdict(ctx: ReportContext) -> str:
    """The first sentence at maturity grain: the plan of least effort to the target (points of
    maturity and new innovations, the IID after, the effort in hari kerja) and business as usual
    beside it."""
    lang = ctx.lang
    part = ctx.maturity
    if not part.plan.reachable:
        return mt.maturity_plan_sentence(part, ctx.words)
    values = mt.maturity_plan_values(part, ctx.words) | {"year": ctx.params.target_year}
    bau = None if ctx.forecast is None else ctx.forecast.forecast.prob_at_least
    if bau is None:
        return ctx.words("mg_verdict_no_bau",
                    what=render(ctx.unavailable.get("forecast", ""), lang),
                    **values)
    p_bau = float(bau(part.threshold))
    return ctx.words("mg_verdict", p_bau=format_percent(p_bau, lang),
                band=verbal_band(p_bau, lang), **values)


def maturity_next_year_blocks(ctx: ReportContext) -> list[Html]:
    """Why no new innovation is offered (if so) and the steps for next year (their lead time
    ends after the window closes), with their value."""
    blocks = []
    if blocked := mt.maturity_new_blocked_sentence(ctx.maturity, ctx.words):
        blocks.append(paragraph(blocked, "iid-small"))
    rows = mt.maturity_next_year_rows(ctx.maturity, ctx.words)
    if rows:
        window = ctx.maturity.plan.calendar.window
        unit = EFFORT_UNIT[ctx.lang]
        blocks += [
            element("h3", ctx.words("mg_next_year_title")),
            paragraph(ctx.words("mg_next_year_intro", year=window.year,
                                closes=window.closes.isoformat())),
            table([ctx.words("col_steps"), ctx.words("mg_col_lead_weeks"),
                   ctx.words("mg_col_effort_each", unit=unit),
                   ctx.words("mg_col_n_innovations"), ctx.words("col_gain")],
                  rows, numeric=(1, 2, 3, 4)),
        ]
    return blocks


def maturity_ladder_table(ctx: ReportContext) -> Html:
    """Each rung: its target, the effort of its plan (hari kerja), the points of kematangan it
    raises, the IID after and the probability without the plan."""
    lang = ctx.lang
    unit = EFFORT_UNIT[lang]
    rows = []
    for r in ctx.maturity.ladder:
        target = element("span", join([
            _n(r.target, ctx), element("span", ctx.words(f"rung_{r.label}"), "iid-rung"),
        ]))
        rows.append([
            target,
            _n(r.effort, ctx, 0) if r.reachable else "\u2013",
            _n(r.points, ctx, 0) if r.reachable else "\u2013",
            _n(r.iid_after, ctx) if r.reachable else "\u2013",
            "\u2013" if r.p_business_as_usual is None else format_percent(
                r.p_business_as_usual, lang),
        ])
    header_row = [ctx.words("col_target"), ctx.words("col_min_effort", unit=unit),
                  ctx.words("mg_col_points_raised"), ctx.words("col_iid_after"),
                  ctx.words("col_p_bau")]
    return table(header_row, rows, numeric=(1, 2, 3, 4), stack=False)


def maturity_summary_section(ctx: ReportContext) -> Section:
    """1. at maturity grain: the plan of least effort to the target (hari kerja, points of
    maturity), business as usual beside it, the ladder of nearby targets; no probability with
    the plan (that needs indicator levels), said so."""
    part = ctx.maturity
    verdict = maturity_verdict(ctx)
    blocks = [paragraph(verdict, "iid-verdict")]
    if weeks := pt.weeks_sentence(ctx.maturity.plan.calendar, ctx.words,
                                  ctx.params.target_year):
        blocks.append(paragraph(weeks, "iid-small"))
    blocks += [
        notice(ctx.words("grain_plan_note"), "warning"),
        maturity_ladder_table(ctx),
        paragraph(" ".join([
            ctx.words("mg_ladder_note", unit=EFFORT_UNIT[ctx.lang]),
            target_sentence(ctx),
        ]), "iid-small"),
        paragraph(ctx.words("mg_no_probability"), "iid-small"),
        paragraph(ctx.words("current_score_line", year=ctx.score.year, tag=_synthetic_tag(ctx),
            iid=_n(ctx.score.iid, ctx), predicate=ctx.score.predicate,
        )),
    ]
    if reproduced := reproduced_sentence(ctx):
        blocks.append(paragraph(reproduced, "iid-small"))
    bau = None if ctx.forecast is None else ctx.forecast.forecast.prob_at_least
    return Section(
        key="summary",
        title=ctx.words("s1"),
        blocks=tuple(blocks),
        facts={
            **ctx.grain_view.facts,
            **_target_facts(ctx),
            "probability": None,
            "p_business_as_usual": None if bau is None else float(bau(ctx.threshold)),
            "effort": float(part.plan.cost),
            "effort_unit": EFFORT_UNIT[ctx.lang],
            "points_raised": float(part.plan.points_raised),
            "weeks_remaining": part.plan.weeks_remaining,
            "next_year": len(part.plan.next_year),
            "plan": pt.maturity_facts(part, ctx.words),
            "ladder": [
                {"label": r.label, "target": float(r.target), "reachable": bool(r.reachable),
                 "effort": r.effort, "points_raised": r.points, "iid_after": r.iid_after,
                 "p_business_as_usual": r.p_business_as_usual}
                for r in part.ladder
            ],
            "verdict": verdict,
        },
    )


def maturity_levers_section(ctx: ReportContext) -> Section:
    """5. at maturity grain: what raising each innovation's maturity is worth, one more
    innovation, and the view by OPD."""
    lang = ctx.lang
    part = ctx.maturity
    per_point = part.levers.per_point
    blocks = [notice(ctx.words("grain_plan_note"), "warning")]
    if ctx.synthetic:
        blocks.append(paragraph(ctx.words("synthetic_banner"), "iid-small"))
    blocks += [
        paragraph(ctx.words("mg_levers_intro", year=part.rules.year, tag=_synthetic_tag(ctx),
                       per_point=_n(per_point, ctx, 4),
                       max=_n(part.rules.max_innovation, ctx, 0))),
        table([text(k, lang) for k in ("col_innovation", "col_maturity", "col_headroom",
                                       "col_to_max")],
              pt.maturity_lever_rows(part, ctx.words, LEVER_ROWS), numeric=(1, 2, 3)),
    ]
    if len(part.levers) > LEVER_ROWS:
        blocks.append(paragraph(ctx.words("mg_levers_rest", n=len(part.levers) - LEVER_ROWS),
                                "iid-small"))
    blocks += [
        paragraph(ctx.words("mg_spd_levers"), "iid-small"),
        element("h3", ctx.words("new_title")),
        table([ctx.words("col_maturity"), ctx.words("col_gain")],
              pt.new_innovation_rows(part, ctx.words), numeric=(0, 1)),
        element("h3", ctx.words("opd_title")),
        paragraph(ctx.words("mg_opd_intro")),
        table([text(k, lang) for k in ("col_opd", "col_count", "col_n_rejected",
                                       "col_mean_maturity", "col_to_max")],
              pt.maturity_opd_rows(part, ctx.words, OPD_ROWS_SHOWN), numeric=(1, 2, 3, 4)),
    ]
    return Section(
        key="levers",
        title=ctx.words("s5"),
        blocks=tuple(blocks),
        facts={**ctx.grain_view.facts, "opds": len(part.opds),
               "opd_rows_shown": min(OPD_ROWS_SHOWN, len(part.opds)),
               "levers": len(part.levers), "iid_gain_per_point": per_point},
    )


def maturity_cost_line(ctx: ReportContext) -> str:
    """How the plan's effort is counted: the action steps of the table, cheapest per point
    first, and a new innovation's creation effort (the effort model of a level-grain plan)."""
    part = ctx.maturity
    effort = part.effort
    rate, width = effort.segments[0] if effort.segments else (float("nan"), 0.0)
    return ctx.words(
        "mg_cost_line", unit=EFFORT_UNIT[ctx.lang], year=part.rules.year,
        rate=_n(rate, ctx), width=_n(width, ctx, 0), max=_n(effort.max_points, ctx, 0),
        per_new=_n(effort.per_new, ctx, 0), m=_n(effort.new_maturity, ctx, 0),
    )


def maturity_plan_section(ctx: ReportContext) -> Section:
    """6. at maturity grain: the plan of least effort (points of maturity per innovation, new
    innovations, hari kerja), marked as coarser than a level-by-level plan; the city's
    scenarios, which need indicator levels, are said to be unavailable."""
    lang = ctx.lang
    part = ctx.maturity
    blocks = [notice(ctx.words("grain_plan_note"), "warning")]
    if ctx.synthetic:
        blocks.append(paragraph(ctx.words("synthetic_banner"), "iid-small"))
    blocks += [
        element("h3", ctx.words("path_title")),
        paragraph(mt.maturity_plan_sentence(part, ctx.words)),
    ]
    rows = pt.maturity_action_rows(part, ctx.words)
    if rows:
        blocks.append(table(pt.maturity_action_header(ctx.words), rows, numeric=(1, 2)))
        raised = len(part.plan.actions.raised)
        if raised > pt.MATURITY_ACTIONS_SHOWN:
            blocks.append(paragraph(ctx.words("mg_actions_rest",
                    n=raised - pt.MATURITY_ACTIONS_SHOWN), "iid-small"))
    if deadline := mt.maturity_deadline_sentence(part, ctx.words):
        blocks.append(paragraph(deadline, "iid-small"))
    blocks += maturity_next_year_blocks(ctx)
    blocks += [
        paragraph(maturity_cost_line(ctx), "iid-small"),
        paragraph(ctx.words("effort_unit_line", definition=EFFORT_UNIT_DEFINITION[lang]),
                  "iid-small"),
        paragraph(ctx.words("mg_scenarios_missing"), "iid-small"),
    ]
    return Section(key="scenarios", title=ctx.words("s6"), blocks=tuple(blocks),
                   facts=pt.maturity_facts(part, ctx.words))
