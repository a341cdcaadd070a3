"""The OPD view: each agency's innovations, what they lose against the maximum, and the
actions in its own hands."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..inputs.region import Region
from .actions import Action
from .costs import KIND_ADD, CostTable
from .effort import as_effort
from .levers import SCOPE_INNOVATION, innovation_value_table, level_up_table

TOP_ACTION_COLUMNS = (
    "opd",
    "rank",
    "innovation_id",
    "indicator",
    "name_en",
    "from_level",
    "to_level",
    "cost",
    "iid_gain",
    "gain_per_cost",
)

SUMMARY_COLUMNS = (
    "opd",
    "n_innovations",
    "n_rejected",
    "mean_maturity",
    "maturity_sum",
    "points_lost",
    "iid_lost",
    "iid_if_rejected_accepted",
    "fewer_than_two",
    "top_actions",
)


def opd_top_actions(
    region: Region,
    *,
    top: int = 3,
    costs: CostTable | None = None,
) -> pd.DataFrame:
    """Each OPD's ``top`` one-step level-ups on its own accepted innovations, best gain per cost
    first (ties: larger gain, then indicator and innovation order).

    Columns: opd, rank (1..top), innovation_id, indicator, name_en, from_level, to_level, cost,
    iid_gain (unrounded IID), gain_per_cost. Forbidden steps (cost inf) are left out.
    """
    state = region
    return _top_actions(state, top, as_effort(costs, state.methodology))


def _top_actions(state: Region, top: int, costs: CostTable) -> pd.DataFrame:
    steps = level_up_table(state)
    steps = steps[steps["scope"] == SCOPE_INNOVATION].copy()
    # per level step: a record, evidence or outcome step is never a top action (cost inf)
    steps["cost"] = [
        costs.level_cost_for(n, int(to), opd, i) if hasattr(costs, "level_cost_for")
        else costs.step_cost(n)
        for n, to, opd, i in zip(steps["indicator"], steps["to_level"], steps["opd"],
                                 steps["innovation_id"], strict=True)
    ]
    steps = steps[np.isfinite(steps["cost"])]
    with np.errstate(divide="ignore"):
        steps["gain_per_cost"] = steps["iid_gain"] / steps["cost"]
    steps = steps.sort_values(
        ["opd", "gain_per_cost", "iid_gain", "indicator", "innovation_id"],
        ascending=[True, False, False, True, True],
        kind="mergesort",
    )
    steps = steps.groupby("opd", sort=True).head(top).copy()
    steps["rank"] = steps.groupby("opd").cumcount() + 1
    return steps[list(TOP_ACTION_COLUMNS)].reset_index(drop=True)


def opd_summary(
    region: Region,
    *,
    top: int = 3,
    costs: CostTable | None = None,
    plan_actions: Sequence[Action] | None = None,
) -> pd.DataFrame:
    """One row per OPD, most IID lost first.

    Columns: opd, n_innovations (submitted), n_rejected, mean_maturity (over its innovations,
    rejected ones at 0, as the formula counts them), maturity_sum, points_lost (maturity points
    short of the maximum, summed), iid_lost (IID the region would gain if all its innovations
    were at the maximum), iid_if_rejected_accepted (IID gain if its rejected innovations' evidence
    were accepted), fewer_than_two (fewer than two accepted innovations), top_actions (text of
    :func:`opd_top_actions`). With ``plan_actions`` (e.g. ``plan.actions``) also plan_actions,
    plan_new_innovations, plan_cost and plan_iid_gain: the plan's part for that OPD.
    """
    state = region
    methodology = state.methodology
    costs = as_effort(costs, state.methodology)
    values = innovation_value_table(state)
    values["points_lost"] = methodology.max_innovation - values["maturity"]
    values["accepted"] = values["status"] != "ditolak"
    grouped = values.groupby("opd", sort=True)
    table = pd.DataFrame(
        {
            "n_innovations": grouped.size(),
            "n_rejected": grouped["accepted"].apply(lambda s: int((~s).sum())),
            "mean_maturity": grouped["maturity"].mean(),
            "maturity_sum": grouped["maturity"].sum(),
            "points_lost": grouped["points_lost"].sum(),
            "iid_if_rejected_accepted": grouped["iid_change_if_accepted"].sum(min_count=0),
            "fewer_than_two": grouped["accepted"].sum() < 2,
        }
    )
    full = state.iid_unrounded(maturity_sum=state.maturity_sum + table["points_lost"].to_numpy())
    table["iid_lost"] = full - state.iid_unrounded()
    table["top_actions"] = _top_action_text(_top_actions(state, top, costs))
    table["top_actions"] = table["top_actions"].fillna("")
    table = table.reset_index()
    columns = list(SUMMARY_COLUMNS)
    if plan_actions is not None:
        table = table.merge(_plan_by_opd(plan_actions), on="opd", how="left")
        table[["plan_actions", "plan_new_innovations"]] = (
            table[["plan_actions", "plan_new_innovations"]].fillna(0).astype(int)
        )
        table[["plan_cost", "plan_iid_gain"]] = table[["plan_cost", "plan_iid_gain"]].fillna(0.0)
        columns += ["plan_actions", "plan_new_innovations", "plan_cost", "plan_iid_gain"]
    table = table.sort_values(["iid_lost", "opd"], ascending=[False, True], kind="mergesort")
    return table[columns].reset_index(drop=True)


def _top_action_text(top_actions: pd.DataFrame) -> pd.Series:
    text = top_actions.apply(
        lambda r: (
            f"{r.innovation_id} ind. {r.indicator} {r.from_level}->{r.to_level} (+{r.iid_gain:.3f})"
        ),
        axis=1,
    )
    if text.empty:
        return pd.Series(dtype=object)
    return text.groupby(top_actions["opd"]).agg("; ".join)


def _plan_by_opd(actions: Sequence[Action]) -> pd.DataFrame:
    rows = [
        {
            "opd": a.opd,
            "plan_actions": 1,
            "plan_new_innovations": int(a.kind == KIND_ADD),
            "plan_cost": a.cost,
            "plan_iid_gain": a.iid_gain,
        }
        for a in actions
        if a.opd
    ]
    frame = pd.DataFrame(
        rows, columns=["opd", "plan_actions", "plan_new_innovations", "plan_cost", "plan_iid_gain"]
    )
    return frame.groupby("opd", as_index=False).sum()
