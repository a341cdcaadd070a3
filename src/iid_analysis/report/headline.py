"""The report's headline: one number for the target, business as usual against the plan, the
ladder of nearby targets, the rule variant that carries the risk, and the plan in the city's
own terms (programmes, OPD load, One OPD More Than One Innovation, the OPD worklist).

Computed from the library (:mod:`iid_analysis.feasibility`); nothing is estimated here.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..feasibility.actions import apply_to_region
from ..feasibility.effort import (
    EFFORT_UNIT,
    OutcomeValue,
    OutcomeValues,
    effort_defaults,
    outcome_values,
)
from ..feasibility.headline import (
    Ladder,
    Outlook,
    RuleRisks,
    VariantWeights,
    ladder_targets,
    outlook,
    rule_risks,
    target_ladder,
)
from ..feasibility.programmes import (
    MoreThanOne,
    OpdLoad,
    OpdLoadRow,
    Programmes,
    opd_load,
    opd_more_than_one,
    plan_programmes,
)
from ..feasibility.urusan import UrusanLever, urusan_lever
from ..feasibility.worklist import plan_worklist, worklist_workbook_bytes
from ..inputs.region import Region
from ..methodology import Methodology, rules_year_for
from .analysis import (
    PLAN_PROBABILITY,
    PLAN_SIMULATION_DRAWS,
    ForecastPart,
    LeverTable,
    PlanPart,
)
from .provenance import display_path

PLAN_PROBABILITY_SHOWN = PLAN_PROBABILITY
LOAD_SHARE = 0.5
"""The OPD section names the OPDs that together carry at least this share of the effort."""
RISK_MIN_SHARE = 0.005
"""A rule variant carrying less of the risk than this is not named on the first screen."""


@dataclass(frozen=True, eq=False)
class HeadlinePart:
    """What the first screen and the plan sections show.

    ``p_with_plan``: P(reach ``threshold``) of the robust plan, under verification risk and the
    rule variants weighted by ``weights``; ``p_business_as_usual``: P(reach) of the trend
    forecast (None without a forecast). ``ladder``: the targets near the report's and their
    plans (:class:`~iid_analysis.feasibility.headline.Ladder`); ``risks``: the plan's risk by
    rule variant (:class:`~iid_analysis.feasibility.headline.RuleRisks`). ``programmes``
    (:class:`~iid_analysis.feasibility.programmes.Programmes`), ``opd_load``,
    ``more_than_one``, ``worklist``: the robust plan in the city's terms
    (:mod:`iid_analysis.feasibility.programmes`, :mod:`~iid_analysis.feasibility.worklist`);
    ``worklist_xlsx`` the same worklist as a workbook. ``outcomes``: SPD outcome indicators with
    their value (context, never planned); ``effort_defaults``: the effort model's defaults
    (assumptions log). ``command``: the CLI command that gives the same plan and probability.
    ``levers``: the plan part's one-step levers without the SPD outcome indicators (shown apart,
    as context); ``urusan_actions``: the robust plan's new innovations that cover an urusan.
    """

    threshold: float
    p_with_plan: float
    p_business_as_usual: float | None
    effort: float
    effort_unit: str
    weights: VariantWeights
    ladder: Ladder
    risks: RuleRisks
    programmes: Programmes
    opd_load: OpdLoad
    more_than_one: MoreThanOne
    worklist: pd.DataFrame
    worklist_xlsx: bytes
    outcomes: OutcomeValues
    effort_defaults: pd.DataFrame
    urusan: UrusanLever
    command: str
    outlook: Outlook | None = None
    levers: LeverTable | None = None
    urusan_actions: tuple = ()

    @property
    def risks_named(self):
        """The rule variants the first screen names: those carrying more than
        :data:`RISK_MIN_SHARE` of the risk, largest first."""
        return self.risks.carrying(RISK_MIN_SHARE)

    @property
    def carrying_opds(self) -> tuple[OpdLoadRow, ...]:
        """The OPDs (most effort first) that together carry at least :data:`LOAD_SHARE` of the
        plan's effort (rows of ``opd_load``)."""
        return self.opd_load.carrying(LOAD_SHARE)

    @property
    def carrying_share(self) -> float:
        """The share of the plan's effort :attr:`carrying_opds` carry."""
        return float(np.sum([r.effort_share for r in self.carrying_opds]))

    @property
    def more_than_one_met(self) -> int:
        """The OPDs "One OPD More Than One Innovation" concerns whose gap the plan fills."""
        return self.more_than_one.met

    @property
    def open_outcomes(self) -> tuple[OutcomeValue, ...]:
        """The SPD outcome indicators with value left (rows of ``outcomes``)."""
        return self.outcomes.open


def headline_part(
    plan: PlanPart,
    forecast: ForecastPart | None,
    region: Region,
    last_published: float | None,
    target_rules: Methodology,
    lang: str,
    command: str,
) -> HeadlinePart:
    """The headline of a report from its plan and forecast parts (``region`` is the data under
    the plan's rules, before the plan)."""
    robust = plan.robust
    bau = forecast.forecast.prob_at_least if forecast is not None else None
    rungs = ladder_targets(last_published, plan.threshold, target_rules)
    ladder = target_ladder(
        region, rungs, robust.uncertainty, bau, probability=robust.probability,
        known={round(robust.target, 2): robust}, settings=plan.settings,
        calendar=robust.plan.calendar,
    )
    after = apply_to_region(region, robust.plan.actions)
    worklist = plan_worklist(region, robust.plan, lang)
    outcomes = outcome_values(region)
    return HeadlinePart(
        threshold=plan.threshold,
        p_with_plan=float(robust.uncertainty.p_reach),
        p_business_as_usual=None if bau is None else float(bau(plan.threshold)),
        effort=float(robust.plan.total_cost),
        effort_unit=EFFORT_UNIT[lang],
        weights=plan.weights,
        ladder=ladder,
        risks=rule_risks(robust.uncertainty, after),
        programmes=plan_programmes(region, robust.plan),
        opd_load=opd_load(robust.plan, lang),
        more_than_one=opd_more_than_one(region, robust.plan),
        worklist=worklist,
        worklist_xlsx=worklist_workbook_bytes(region, robust.plan, lang),
        outcomes=outcomes,
        effort_defaults=effort_defaults(region.methodology),
        urusan=urusan_lever(region.innovations, region.score(), region.methodology),
        command=command,
        outlook=outlook(
            forecast.forecast.draws if forecast is not None else None, robust.uncertainty,
            plan.threshold,
        ),
        levers=plan.levers.without(outcomes.indicators),
        urusan_actions=tuple(a for a in robust.plan.actions if getattr(a, "urusan", None)),
    )


def plan_command(
    params, rules_year: int, threshold: float, probability: float, published_iid
) -> str:
    """The ``iid-analysis plan`` command line that gives the report's robust plan and its
    probability (same seed, draws, rules and variant weights)."""
    words = [
        "iid-analysis", "plan",
        "--year", str(rules_year),
        "--spd", display_path(params.path("spd")),
        "--innovations", display_path(params.path("innovations")),
        "--target", f"{threshold:.2f}",
        "--probability", f"{probability:g}",
        "--seed", str(params.seed),
        "--n-draws", str(PLAN_SIMULATION_DRAWS),
    ]  # fmt: skip
    if getattr(params, "as_of_date", None):
        words += ["--as-of-date", params.as_of_date]
    if getattr(params, "region", None):
        words += ["--region", params.region]
    if published_iid is not None:
        words += ["--published-iid", f"{published_iid:.2f}"]
        if rules_year_for(params.data_year) != rules_year:
            words += ["--data-year", str(rules_year_for(params.data_year))]
    return shlex.join(words)
