"""Sentences and tables about levers, scenarios and plans, in the report's words (a
:class:`~.i18n.Words`, ``ctx.words``) from a :class:`~.analysis.PlanPart`. Nothing is computed
here: the rows are the part's, in its order; this module only words and formats them."""

from __future__ import annotations

from ..feasibility.calendar import ASSUMED_WINDOW
from ..feasibility.effort import EFFORT_UNIT
from ..messages import Message
from .analysis import PLAN_PROBABILITY, ActionGroup, PlanPart
from .i18n import Words

TOP_LEVERS = 3
ACTION_GROUPS_SHOWN = 10


def lever_label(row, words: Words) -> str:
    """One lever (:class:`~.analysis.Lever`) in words."""
    key = "lever_spd" if row.scope == "spd" else "lever_all"
    label = words(
        key, indicator=row.indicator, name=row.name, from_level=row.from_level,
        to_level=row.to_level, n=row.n_affected,
    )
    kind = getattr(row, "change_kind", "action")
    if kind and kind != "action":
        # what the step is: its value counts, but a plan never asks for it as an action
        label += f" ({words.render(Message(f'plan.kind.{kind}'))})"
    return label


def gain(value: float, words: Words) -> str:
    return words("gain", gain=words.points(value))


def top_levers(part: PlanPart, words: Words) -> list[str]:
    """The :data:`TOP_LEVERS` one-step levers with the largest IID gain, in words."""
    return [
        f"{lever_label(row, words)}: {gain(row.iid_gain, words)}"
        for row in part.levers.top(TOP_LEVERS)
    ]


def lever_rows(levers, words: Words, limit: int) -> list[list[str]]:
    """The first ``limit`` levers of a :class:`~.analysis.LeverTable` as table rows: lever in
    words, innovations affected, IID gain."""
    return [
        [lever_label(row, words), str(row.n_affected), words.points(row.iid_gain)]
        for row in levers.top(limit)
    ]


def new_innovation_rows(part, words: Words) -> list[list[str]]:
    """The value of one more innovation at each maturity (a plan or maturity-grain part)."""
    return [
        [words.num(row.maturity, 0), words.num(row.iid_gain)]
        for row in part.new_innovations
    ]


def break_even_sentence(part: PlanPart, words: Words) -> str:
    rules = part.rules
    return words(
        "break_even_line", m=words.num(part.break_even, 1), cap=rules.count_cap,
        points=words.num(rules.count_points_per_innovation),
    )


def scenario_label(scenario, words: Words) -> str:
    """A city scenario of :func:`~.analysis.city_scenarios` in words."""
    kind = type(scenario).__name__
    if kind == "ReachCount":
        return words("sc_reach", n=scenario.n_innovations, m=scenario.maturity)
    if kind == "OneOpdMoreThanOne":
        return words("sc_opd", m=scenario.maturity)
    if kind == "Replication":
        return words("sc_replication", level=scenario.to_level, k=scenario.k)
    if kind == "MaturityUpgrade":
        return words("sc_maturity", m=scenario.target_maturity)
    if kind == "MeetEveryIndicator":
        return words("sc_every")
    return str(getattr(scenario, "name", kind))


def scenario_rows(part: PlanPart, words: Words) -> list[list[str]]:
    """Each scenario alone, then all together: label, effort, IID after, whether it reaches."""
    labels = [scenario_label(s, words) for s in part.scenario_list] + [words("sc_all")]
    return [
        [
            label,
            words.num(row.cost, 0),
            words.num(row.iid_after),
            words("yes" if row.reaches else "no"),
        ]
        for label, row in zip(labels, part.scenarios, strict=True)
    ]


def plan_sentence(part: PlanPart, words: Words) -> str:
    """The cheapest path to the threshold and the probability the plan reaches it."""
    plan = part.plan
    threshold = words.num(part.threshold)
    if not plan.reached:
        return words("plan_unreachable", threshold=threshold, max_iid=words.num(plan.max_iid))
    return words(
        "plan_line", threshold=threshold, cost=words.num(plan.total_cost, 0),
        actions=words.counted("actions", len(plan.actions)),
        new=words.counted("new", plan.n_new_innovations),
        acceptance=words.pct(part.plan_uncertainty.acceptance),
        p=words.pct(part.plan_uncertainty.p_reach),
    )


def robust_sentence(part: PlanPart, words: Words) -> str:
    """The plan that reaches the threshold with at least :data:`PLAN_PROBABILITY`."""
    robust = part.robust
    goal = words.pct(PLAN_PROBABILITY)
    p = words.pct(robust.uncertainty.p_reach)
    if not robust.reached:
        return words("robust_failed", threshold=words.num(part.threshold), goal=goal, p=p)
    return words(
        "robust_line", goal=goal, planning=words.num(robust.planning_target),
        cost=words.num(robust.plan.total_cost, 0),
        new=words.counted("new", robust.plan.n_new_innovations), p=p,
    )


def action_group_label(group: ActionGroup, words: Words) -> str:
    """What a group of the plan's actions does (:class:`~.analysis.ActionGroup`), in words."""
    if group.kind == "add_innovation":
        return words("act_new")
    key = "act_raise_spd" if group.spd else "act_raise"
    return words(key, indicator=group.indicator, from_level=group.from_level,
                 to_level=group.to_level)


def action_group_rows(groups, words: Words, limit: int = ACTION_GROUPS_SHOWN) -> list[list[str]]:
    """The first ``limit`` groups of the plan's actions as rows: action, count, IID gain."""
    return [
        [action_group_label(g, words), str(g.count), words.points(g.iid_gain)]
        for g in tuple(groups)[:limit]
    ]


def opd_rows(part: PlanPart, words: Words, limit: int) -> list[list[str]]:
    return [
        [
            row.opd, f"{row.n_innovations} ({row.n_rejected})",
            words.num(row.mean_maturity, 1), words.num(row.iid_lost),
        ]
        for row in part.opds.top(limit)
    ]


def facts(part: PlanPart) -> dict:
    """The plan's key numbers (JSON-ready)."""
    plan = part.plan
    return {
        "rules_year": part.rules.year,
        "threshold": part.threshold,
        "plan_reached": bool(plan.reached),
        "plan_cost": float(plan.total_cost),
        "plan_iid_after": float(plan.iid_after),
        "plan_p_reach": float(part.plan_uncertainty.p_reach),
        "robust_planning_target": float(part.robust.planning_target),
        "robust_cost": float(part.robust.plan.total_cost),
        "robust_p_reach": float(part.robust.uncertainty.p_reach),
        "break_even_maturity": part.break_even,
        "top_levers": [
            {"scope": r.scope, "indicator": r.indicator, "iid_gain": float(r.iid_gain)}
            for r in part.levers.top(TOP_LEVERS)
        ],
        "scenarios": [
            {"scenario": r.scenario, "cost": r.cost, "iid_after": r.iid_after}
            for r in part.scenarios
        ],
    }


# --- maturity grain (a MaturityPart) ----------------------------------------------------------
MATURITY_ACTIONS_SHOWN = 12


def window_dates_assumed(window) -> bool:
    """Whether a data-entry window's dates are the 2025 ones assumed for its year (no date
    reported for it: a year without dates in the year rules, or rows marked ASSUMED)."""
    source = window.source.upper()
    return source.startswith((ASSUMED_WINDOW.upper(), "ASSUMED"))


def weeks_sentence(calendar, words: Words, target_year: int) -> str:
    """How many weeks remain from the plan's date until its data-entry window closes, that the
    window's dates are assumed when they are, and first, when the plan aims at a later window,
    that the target year's had already closed; '' without a calendar. Both grains' plans."""
    if calendar is None:
        return ""
    window = calendar.window
    as_of = calendar.as_of.isoformat()
    sentences = [words.render(Message("plan.weeks_remaining", {
        "weeks": calendar.weeks_remaining, "as_of": as_of, "year": window.year,
        "closes": window.closes.isoformat(),
    }))]  # fmt: skip
    if window_dates_assumed(window):
        sentences.append(words.render(Message("plan.window_assumed", {"year": window.year})))
    if window.year > target_year:
        sentences.insert(0, words("window_closed_before", target_year=target_year,
                                  year=window.year, as_of=as_of))
    return ". ".join(sentences) + "."


def maturity_action_header(words: Words) -> list[str]:
    """The headers of :func:`maturity_action_rows`: action, points, effort (hari kerja), and the
    worklist's start-by and done-by dates (``worklist.column.start_by`` / ``.deadline``)."""
    return [
        words("col_action"), words("col_points"),
        words("col_effort", unit=EFFORT_UNIT[words.lang]),
        words.render(Message("worklist.column.start_by")),
        words.render(Message("worklist.column.deadline")),
    ]


def _date(value: str | None) -> str:
    return value if value else "\u2013"


def maturity_action_rows(part, words: Words, limit: int = MATURITY_ACTIONS_SHOWN):
    """The plan's actions as rows (action in words, points, effort in hari kerja, the last day
    to start it so that it ends when the window closes, and when it is done if started on the
    plan's date; '\u2013' without a calendar), new innovations grouped (they share their lead
    time and so their dates)."""
    names = dict(zip(part.innovations["innovation_id"], part.innovations["name"], strict=True))
    actions = part.plan.actions
    rows = []
    for r in actions.raised[:limit]:
        rows.append([
            words("mg_action_raise", id=r.innovation_id, name=names.get(r.innovation_id, ""),
                  before=words.num(r.maturity_before, 0), after=words.num(r.maturity_after, 0)),
            words.num(r.points, 0), words.num(r.cost, 0), _date(r.start_by), _date(r.deadline),
        ])
    new = actions.added
    if new:
        rows.append([
            f"{len(new)} \u00d7 " + words("mg_action_new", id="NEW",
                                           m=words.num(part.new_maturity, 0)),
            words.num(sum(a.points for a in new), 0),
            words.num(sum(a.cost for a in new), 0),
            _date(new[0].start_by), _date(new[0].deadline),
        ])
    return rows


def maturity_lever_rows(part, words: Words, limit: int) -> list[list[str]]:
    """The innovations whose raise to the maximum gains the most (innovation, kematangan,
    headroom, IID gain)."""
    return [
        [f"{r.innovation_id} {r.name} ({r.opd})", words.num(r.maturity, 0),
         words.num(r.headroom, 0), words.num(r.iid_gain_to_max)]
        for r in part.levers.top(limit)
    ]


def maturity_opd_rows(part, words: Words, limit: int) -> list[list[str]]:
    """The OPDs whose innovations gain the most at the maximum (OPD, innovations, rejected, mean
    kematangan, IID gain)."""
    return [
        [r.opd, str(r.n_innovations), str(r.n_rejected), words.num(r.mean_maturity, 1),
         words.num(r.iid_gain_to_max)]
        for r in part.opds.top(limit)
    ]


def maturity_facts(part, words: Words) -> dict:
    """The maturity-grain plan's numbers, recorded with the section (effort in hari kerja, its
    unit in the report's language)."""
    plan = part.plan
    return {
        "grain": "maturity",
        "threshold": float(part.threshold),
        "rules_year": part.rules.year,
        "reachable": bool(plan.reachable),
        "iid_before": float(plan.iid_before),
        "iid_after": float(plan.iid_after),
        "max_iid": float(plan.max_iid),
        "effort": float(plan.cost),
        "effort_unit": EFFORT_UNIT[words.lang],
        "n_new": int(plan.n_new),
        "new_maturity": float(part.new_maturity),
        "points": plan.points_raised,
    }
