"""Feasibility: what each lever is worth, the scenarios the city talks about, the cheapest path
to a target IID, how sure a plan is, and each OPD's part (docs/feasibility.md).

Every function takes the SPD and innovation tables as loaded by :mod:`iid_analysis.dataset` (or
plain frames of the same columns) and a :class:`~iid_analysis.methodology.Methodology`; every IID
comes from the scoring engine, and results carry the rules that are not CONFIRMED.
"""

from __future__ import annotations

from .actions import (
    ACTION_COLUMNS,
    Action,
    actions_frame,
    add_innovation,
    apply_actions,
    raise_level,
)
from .costs import CostTable, load_costs
from .levers import (
    break_even_maturity,
    innovation_values,
    level_up_values,
    new_innovation_values,
)
from .opd import opd_summary, opd_top_actions
from .optimize import Plan, cheapest_plan
from .scenarios import (
    MaturityUpgrade,
    MeetEveryIndicator,
    OneOpdMoreThanOne,
    ReachCount,
    Replication,
    ScenarioResult,
    run_scenarios,
)
from .state import levels_for_maturity
from .uncertainty import PlanUncertainty, RobustPlan, plan_for_probability, simulate_plan

__all__ = [
    "ACTION_COLUMNS",
    "Action",
    "CostTable",
    "MaturityUpgrade",
    "MeetEveryIndicator",
    "OneOpdMoreThanOne",
    "Plan",
    "PlanUncertainty",
    "ReachCount",
    "RobustPlan",
    "Replication",
    "ScenarioResult",
    "actions_frame",
    "add_innovation",
    "apply_actions",
    "break_even_maturity",
    "cheapest_plan",
    "innovation_values",
    "level_up_values",
    "levels_for_maturity",
    "load_costs",
    "new_innovation_values",
    "opd_summary",
    "opd_top_actions",
    "plan_for_probability",
    "raise_level",
    "run_scenarios",
    "simulate_plan",
]
