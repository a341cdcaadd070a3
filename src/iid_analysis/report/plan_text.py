"""Sentences and tables about levers, scenarios and plans, in the report's language (from a
PlanPart)."""

from __future__ import annotations

import pandas as pd

from ..messages import Message, render
from .analysis import PLAN_PROBABILITY, PlanPart
from .i18n import counted, format_number, format_percent, text

TOP_LEVERS = 3
ACTION_GROUPS_SHOWN = 10


def lever_label(row, lang: str) -> str:
    """One lever of :func:`~.analysis.lever_table` in words."""
    key = "lever_spd" if row.scope == "spd" else "lever_all"
    label = text(
        key, lang, indicator=row.indicator, name=row.name, from_level=row.from_level,
        to_level=row.to_level, n=row.n_affected,
    )
    kind = getattr(row, "change_kind", "action")
    if kind and kind != "action":
        # what the step is: its value counts, but a plan never asks for it as an action
        label += f" ({render(Message(f'plan.kind.{kind}'), lang)})"
    return label


def gain(value: float, lang: str) -> str:
    return text("gain", lang, gain=format_number(value, lang))


def top_levers(part: PlanPart, lang: str) -> list[str]:
    """The :data:`TOP_LEVERS` one-step levers with the largest IID gain, in words."""
    return [
        f"{lever_label(row, lang)}: {gain(row.iid_gain, lang)}"
        for row in part.levers.head(TOP_LEVERS).itertuples()
    ]


def lever_rows(part: PlanPart, lang: str, limit: int) -> list[list[str]]:
    return [
        [lever_label(row, lang), str(row.n_affected), format_number(row.iid_gain, lang)]
        for row in part.levers.head(limit).itertuples()
    ]


def new_innovation_rows(part: PlanPart, lang: str) -> list[list[str]]:
    return [
        [format_number(row.maturity, lang, 0), format_number(row.iid_gain, lang)]
        for row in part.new_innovations.itertuples()
    ]


def break_even_sentence(part: PlanPart, lang: str) -> str:
    rules = part.rules
    return text(
        "break_even_line", lang, m=format_number(part.break_even, lang, 1), cap=rules.count_cap,
        points=format_number(rules.count_points_per_innovation, lang),
    )


def scenario_label(scenario, lang: str) -> str:
    """A city scenario of :func:`~.analysis.city_scenarios` in words."""
    kind = type(scenario).__name__
    if kind == "ReachCount":
        return text("sc_reach", lang, n=scenario.n_innovations, m=scenario.maturity)
    if kind == "OneOpdMoreThanOne":
        return text("sc_opd", lang, m=scenario.maturity)
    if kind == "Replication":
        return text("sc_replication", lang, level=scenario.to_level, k=scenario.k)
    if kind == "MaturityUpgrade":
        return text("sc_maturity", lang, m=scenario.target_maturity)
    if kind == "MeetEveryIndicator":
        return text("sc_every", lang)
    return str(getattr(scenario, "name", kind))


def scenario_rows(part: PlanPart, lang: str) -> list[list[str]]:
    labels = [scenario_label(s, lang) for s in part.scenario_list] + [text("sc_all", lang)]
    return [
        [
            label,
            format_number(row.cost, lang, 0),
            format_number(row.iid_after, lang),
            text("yes" if row.reaches else "no", lang),
        ]
        for label, row in zip(labels, part.scenarios.itertuples(), strict=True)
    ]


def plan_sentence(part: PlanPart, lang: str) -> str:
    """The cheapest path to the threshold and the probability the plan reaches it."""
    plan = part.plan
    threshold = format_number(part.threshold, lang)
    if not plan.reached:
        return text(
            "plan_unreachable", lang, threshold=threshold, max_iid=format_number(plan.max_iid, lang)
        )
    return text(
        "plan_line", lang, threshold=threshold, cost=format_number(plan.total_cost, lang, 0),
        actions=counted("actions", len(plan.actions), lang),
        new=counted("new", plan.n_new_innovations, lang),
        acceptance=format_percent(part.plan_uncertainty.acceptance, lang),
        p=format_percent(part.plan_uncertainty.p_reach, lang),
    )


def robust_sentence(part: PlanPart, lang: str) -> str:
    """The plan that reaches the threshold with at least :data:`PLAN_PROBABILITY`."""
    robust = part.robust
    goal = format_percent(PLAN_PROBABILITY, lang)
    p = format_percent(robust.uncertainty.p_reach, lang)
    if not robust.reached:
        return text("robust_failed", lang, threshold=format_number(part.threshold, lang),
                    goal=goal, p=p)
    return text(
        "robust_line", lang, goal=goal, planning=format_number(robust.planning_target, lang),
        cost=format_number(robust.plan.total_cost, lang, 0),
        new=counted("new", robust.plan.n_new_innovations, lang), p=p,
    )


def grouped_actions(plan, lang: str) -> pd.DataFrame:
    """A plan's actions grouped by what they do: action (words), count, iid_gain (summed),
    largest gain first."""
    table = plan.actions_table()
    if table.empty:
        return pd.DataFrame(columns=["action", "count", "iid_gain"])

    def label(row) -> str:
        if row.kind == "add_innovation":
            return text("act_new", lang)
        key = "act_raise_spd" if not row.innovation_id else "act_raise"
        return text(key, lang, indicator=row.indicator, from_level=int(row.from_level),
                    to_level=int(row.to_level))

    labelled = table.assign(action=[label(r) for r in table.itertuples()])
    grouped = labelled.groupby("action", sort=False).agg(
        count=("action", "size"), iid_gain=("iid_gain", "sum")
    )
    return grouped.sort_values("iid_gain", ascending=False, kind="stable").reset_index()


def opd_rows(part: PlanPart, lang: str, limit: int) -> list[list[str]]:
    return [
        [
            row.opd, f"{row.n_innovations} ({row.n_rejected})",
            format_number(row.mean_maturity, lang, 1), format_number(row.iid_lost, lang),
        ]
        for row in part.opds.head(limit).itertuples()
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
            for r in part.levers.head(TOP_LEVERS).itertuples()
        ],
        "scenarios": [
            {"scenario": r.scenario, "cost": r.cost, "iid_after": r.iid_after}
            for r in part.scenarios.itertuples()
        ],
    }


# --- maturity grain (a MaturityPart) ----------------------------------------------------------
MATURITY_ACTIONS_SHOWN = 12


def maturity_action_rows(part, lang: str, limit: int = MATURITY_ACTIONS_SHOWN):
    """The plan's actions as rows (action in words, points, cost), new innovations grouped."""
    names = dict(zip(part.innovations["innovation_id"], part.innovations["name"], strict=True))
    actions = part.plan.actions
    rows = []
    for r in actions[actions["action"] == "raise_maturity"].head(limit).itertuples():
        rows.append([
            text("mg_action_raise", lang, id=r.innovation_id, name=names.get(r.innovation_id, ""),
                 before=format_number(r.maturity_before, lang, 0),
                 after=format_number(r.maturity_after, lang, 0)),
            format_number(r.points, lang, 0), format_number(r.cost, lang, 0),
        ])
    new = actions[actions["action"] == "add_innovation"]
    if len(new):
        rows.append([
            f"{len(new)} \u00d7 " + text("mg_action_new", lang, id="NEW",
                                          m=format_number(part.new_maturity, lang, 0)),
            format_number(float(new["points"].sum()), lang, 0),
            format_number(float(new["cost"].sum()), lang, 0),
        ])
    return rows


def maturity_lever_rows(part, lang: str, limit: int) -> list[list[str]]:
    return [
        [f"{r.innovation_id} {r.name} ({r.opd})", format_number(r.maturity, lang, 0),
         format_number(r.headroom, lang, 0), format_number(r.iid_gain_to_max, lang)]
        for r in part.levers.head(limit).itertuples()
    ]


def maturity_opd_rows(part, lang: str, limit: int) -> list[list[str]]:
    return [
        [r.opd, str(int(r.n_innovations)), str(int(r.n_rejected)),
         format_number(r.mean_maturity, lang, 1), format_number(r.iid_gain_to_max, lang)]
        for r in part.opds.head(limit).itertuples()
    ]


def maturity_facts(part) -> dict:
    """The maturity-grain plan's numbers, recorded with the section."""
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
        "n_new": int(plan.n_new),
        "new_maturity": float(part.new_maturity),
        "points": float(plan.actions.loc[plan.actions["action"] == "raise_maturity",
                                         "points"].sum()),
    }
