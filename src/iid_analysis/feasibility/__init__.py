"""Feasibility: what each lever is worth, the scenarios the city talks about, the cheapest path
to a target IID, how sure a plan is, and each OPD's part (docs/feasibility.md).

Every function takes the SPD and innovation tables as loaded by :mod:`iid_analysis.inputs.dataset`
(or
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
from .effort import (
    EFFORT_UNIT,
    EffortModel,
    default_effort,
    effort_defaults,
    load_effort,
    outcome_values,
)
from .levers import (
    break_even_maturity,
    innovation_values,
    level_up_values,
    new_innovation_values,
)
from .opd import opd_summary, opd_top_actions
from .optimize import Plan, cheapest_plan, median_profile
from .programmes import opd_more_than_one, opd_plan_load, plan_programmes
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
from .worklist import (
    evidence_worklist,
    plan_worklist,
    read_worklist,
    worklist_actions,
    worklist_workbook_bytes,
    write_worklist,
)

__all__ = [
    "ACTION_COLUMNS",
    "Action",
    "CostTable",
    "EFFORT_UNIT",
    "EffortModel",
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
    "default_effort",
    "effort_defaults",
    "innovation_values",
    "level_up_values",
    "levels_for_maturity",
    "load_costs",
    "load_effort",
    "median_profile",
    "new_innovation_values",
    "opd_more_than_one",
    "opd_plan_load",
    "opd_summary",
    "opd_top_actions",
    "outcome_values",
    "plan_for_probability",
    "plan_programmes",
    "evidence_worklist",
    "plan_worklist",
    "raise_level",
    "read_worklist",
    "run_scenarios",
    "simulate_plan",
    "worklist_actions",
    "worklist_workbook_bytes",
    "write_worklist",
]
