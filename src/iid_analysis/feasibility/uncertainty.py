"""How sure a plan is: verifier acceptance of each planned level-up, and the unknown rules.

Each draw (seeded) accepts every planned level-up with probability ``acceptance`` (a refused
level-up leaves the indicator at its level before the plan; a new innovation's levels are
level-ups from 0, each accepted or not, while the innovation itself is always submitted and
counted), and picks one variant of each rule the methodology does not know:

- stage rule: ``counted`` (the scoring engine's assumption: every stage counts in n and scores),
  ``not_counted`` (inisiatif and uji coba innovations are left out of n and score nothing),
  ``not_scored`` (they count in n but score 0);
- rejected rule: ``counted`` (rejected innovations count in n: CONFIRMED for 2022, INFERRED
  later) or ``not_counted``.

The rule count (0.38 per innovation up to 200) and the 250 maximum are PROVISIONAL too, but no
alternative value is known, so they are not varied; they stay in ``provisional_rules``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..region import Region, region_and_args
from ..scoring import combine, round_published
from .actions import Action, apply_to_region
from .costs import KIND_ADD, CostTable
from .optimize import Plan, cheapest_plan

STAGE_RULES = ("counted", "not_counted", "not_scored")
REJECTED_RULES = ("counted", "not_counted")
EARLY_STAGES = ("inisiatif", "uji coba")
DEFAULT_ACCEPTANCE = 0.85
DEFAULT_STAGE_WEIGHTS = MappingProxyType({"counted": 0.5, "not_counted": 0.25, "not_scored": 0.25})
DEFAULT_REJECTED_WEIGHTS = MappingProxyType({"counted": 0.8, "not_counted": 0.2})
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)

DRAW_COLUMNS = ("draw", "stage_rule", "rejected_rule", "steps_accepted", "iid_unrounded", "iid")


@dataclass(frozen=True, eq=False)
class PlanUncertainty:
    """The distribution of a plan's IID over verifier acceptance and rule variants.

    ``draws``: one row per draw with columns draw, stage_rule, rejected_rule, steps_accepted
    (share of planned level-ups accepted), iid_unrounded, iid (rounded as published), reached.
    ``quantiles``: columns quantile, iid. ``by_variant``: one row per rule variant drawn with
    stage_rule, rejected_rule, n_draws, p_reach, iid_median. ``p_reach`` is the share of draws
    reaching ``target``, ``p_reach_se`` its binomial standard error. ``iid_planned`` is the plan's
    IID with every level-up accepted under the engine's rules.
    """

    target: float
    acceptance: float
    n_draws: int
    seed: int
    iid_planned: float
    p_reach: float
    p_reach_se: float
    draws: pd.DataFrame
    quantiles: pd.DataFrame
    by_variant: pd.DataFrame
    provisional_rules: tuple[str, ...]


@dataclass(frozen=True)
class _Steps:
    """Planned level-ups as units: which row (-1 for SPD), and the points refusal takes away."""

    row: np.ndarray
    points: np.ndarray


def simulate_plan(
    region: Region | pd.DataFrame,
    *args,
    n_draws: int = 2000,
    acceptance: float = DEFAULT_ACCEPTANCE,
    seed: int = 0,
    stage_weights: Mapping[str, float] = DEFAULT_STAGE_WEIGHTS,
    rejected_weights: Mapping[str, float] = DEFAULT_REJECTED_WEIGHTS,
) -> PlanUncertainty:
    """Simulate ``actions`` (e.g. ``plan.actions``) applied to the region.

    Called as ``simulate_plan(region, actions, target, ...)`` or, with frames,
    ``simulate_plan(spd, innovations, methodology, actions, target, ...)``.

    Raises :class:`UsageError` for ``acceptance`` outside 0..1, ``n_draws`` < 1, or rule weights
    that name unknown variants, are negative or add up to 0.
    """
    region, (actions, target) = region_and_args(region, args, ("actions", "target"))
    methodology = region.methodology
    if not 0.0 <= acceptance <= 1.0:
        raise UsageError(f"acceptance must lie in 0..1, got {acceptance}")
    if n_draws < 1:
        raise UsageError(f"n_draws must be at least 1, got {n_draws}")
    stage_p = _probabilities(stage_weights, STAGE_RULES, "stage")
    rejected_p = _probabilities(rejected_weights, REJECTED_RULES, "rejected")
    state = apply_to_region(region, actions) if actions else region
    steps = _planned_steps(state, actions)

    rng = np.random.default_rng(seed)
    refused = rng.random((n_draws, len(steps.row))) >= acceptance
    stage_rule = rng.choice(len(STAGE_RULES), size=n_draws, p=stage_p)
    rejected_rule = rng.choice(len(REJECTED_RULES), size=n_draws, p=rejected_p)

    lost = refused * steps.points
    spd_total = state.spd_total - lost[:, steps.row < 0].sum(axis=1)
    incidence = np.zeros((len(steps.row), state.n))
    on_innovation = np.flatnonzero(steps.row >= 0)
    incidence[on_innovation, steps.row[on_innovation]] = 1.0
    maturities = state.maturities[None, :] - lost @ incidence
    counted, scored = _rule_masks(state, stage_rule, rejected_rule)
    parts = combine(spd_total, (maturities * scored).sum(axis=1), counted.sum(axis=1), methodology)
    iid_unrounded = np.asarray(parts["iid_unrounded"], dtype=float)
    iid = np.array([round_published(v) for v in iid_unrounded])
    draws = pd.DataFrame(
        {
            "draw": np.arange(n_draws),
            "stage_rule": np.array(STAGE_RULES)[stage_rule],
            "rejected_rule": np.array(REJECTED_RULES)[rejected_rule],
            "steps_accepted": 1.0 - refused.mean(axis=1) if len(steps.row) else 1.0,
            "iid_unrounded": iid_unrounded,
            "iid": iid,
        }
    )
    draws["reached"] = draws["iid"] >= target
    p_reach = float(draws["reached"].mean())
    planned = state.score()
    return PlanUncertainty(
        target=float(target),
        acceptance=float(acceptance),
        n_draws=int(n_draws),
        seed=int(seed),
        iid_planned=planned.iid,
        p_reach=p_reach,
        p_reach_se=float(np.sqrt(p_reach * (1 - p_reach) / n_draws)),
        draws=draws,
        quantiles=pd.DataFrame(
            {"quantile": QUANTILES, "iid": np.quantile(iid_unrounded, QUANTILES)}
        ),
        by_variant=_by_variant(draws),
        provisional_rules=planned.provisional_rules,
    )


def _probabilities(weights: Mapping[str, float], names: tuple[str, ...], what: str) -> np.ndarray:
    unknown = set(weights) - set(names)
    values = np.array([float(weights.get(n, 0.0)) for n in names])
    if unknown or (values < 0).any() or values.sum() <= 0:
        raise UsageError(
            f"{what} rule weights must be >= 0, not all 0, over {', '.join(names)}; "
            f"got {dict(weights)}"
        )
    return values / values.sum()


def _planned_steps(state: Region, actions: Sequence[Action]) -> _Steps:
    methodology = state.methodology
    rows, points = [], []
    index = {innovation_id: j for j, innovation_id in enumerate(state.ids)}
    for action in actions:
        if action.kind == KIND_ADD:
            for number, level in action.levels_dict.items():
                if level > 0:
                    rows.append(index[action.innovation_id])
                    points.append(methodology.indicator(number).points(level))
            continue
        indicator = methodology.indicator(action.indicator)
        rows.append(-1 if action.is_spd else index[action.innovation_id])
        points.append(indicator.points(action.to_level) - indicator.points(action.from_level))
    row = np.array(rows, dtype=int)
    gained = np.array(points, dtype=float)
    # A level-up on a rejected innovation scores nothing, so refusing it takes nothing away.
    on_rejected = (row >= 0) & state.rejected[np.maximum(row, 0)]
    return _Steps(row=row, points=np.where(on_rejected, 0.0, gained))


def _rule_masks(state: Region, stage_rule: np.ndarray, rejected_rule: np.ndarray):
    """(draws x innovations) masks: counted in n, and scored (maturity kept)."""
    early = np.isin(state.stages, EARLY_STAGES)[None, :]
    rejected = state.rejected[None, :]
    drop_early = (stage_rule == STAGE_RULES.index("not_counted"))[:, None]
    zero_early = (stage_rule == STAGE_RULES.index("not_scored"))[:, None]
    drop_rejected = (rejected_rule == REJECTED_RULES.index("not_counted"))[:, None]
    counted = ~(early & drop_early) & ~(rejected & drop_rejected)
    scored = counted & ~(early & zero_early)
    return counted, scored


def _by_variant(draws: pd.DataFrame) -> pd.DataFrame:
    grouped = draws.groupby(["stage_rule", "rejected_rule"], sort=True)
    table = grouped.agg(
        n_draws=("draw", "size"),
        p_reach=("reached", "mean"),
        iid_median=("iid_unrounded", "median"),
    )
    return table.reset_index()


@dataclass(frozen=True, eq=False)
class RobustPlan:
    """A plan made for a higher planning target so that it reaches ``target`` with at least
    ``probability`` in simulation.

    ``plan`` is the cheapest plan for ``planning_target``; ``uncertainty`` its simulation against
    ``target``; ``reached`` says whether P(reach) >= ``probability``. ``tried`` has one row per
    planning target tried: planning_target, total_cost, iid_after, p_reach. A heuristic search
    (planning targets ``step`` apart), not a cost-optimal chance-constrained plan.
    """

    target: float
    probability: float
    planning_target: float
    reached: bool
    plan: Plan
    uncertainty: PlanUncertainty
    tried: pd.DataFrame


def _next_planning_target(
    planning: float,
    target: float,
    step: float,
    plan: Plan,
    result: PlanUncertainty,
    probability: float,
) -> float:
    """The next grid point: at least one step up, and far enough that a plan losing what this
    one loses in its bad draws (at the ``1 - probability`` quantile) still lands on ``target``."""
    shortfall = plan.iid_after - float(np.quantile(result.draws["iid"], 1.0 - probability))
    wanted = target + max(shortfall, 0.0)
    steps = max(1, int(np.ceil(round((wanted - planning) / step, 9))))
    return round(planning + steps * step, 2)


def plan_for_probability(
    region: Region | pd.DataFrame,
    *args,
    probability: float = 0.8,
    step: float = 0.5,
    costs: CostTable | None = None,
    max_new_innovations: int | None = None,
    n_draws: int = 1000,
    acceptance: float = DEFAULT_ACCEPTANCE,
    seed: int = 0,
    stage_weights: Mapping[str, float] = DEFAULT_STAGE_WEIGHTS,
    rejected_weights: Mapping[str, float] = DEFAULT_REJECTED_WEIGHTS,
) -> RobustPlan:
    """Raise the planning target from ``target``, on a grid of ``step``, until the cheapest plan
    for it reaches ``target`` in at least ``probability`` of the simulated draws (same seed each
    time), or no plan within the limits reaches the planning target.

    A heuristic: after a plan falls short, the next planning target skips ahead to ``target`` plus
    the plan's simulated shortfall at the ``1 - probability`` quantile (rounded up to the grid),
    and at least one ``step``; so a plan found may lie a grid step or two above the least
    sufficient one.

    Called as ``plan_for_probability(region, target, ...)`` or, with frames,
    ``plan_for_probability(spd, innovations, methodology, target, ...)``. Raises
    :class:`UsageError` for ``probability`` outside 0..1 or ``step`` <= 0.
    """
    region, (target,) = region_and_args(region, args, ("target",))
    if not 0.0 < probability <= 1.0 or step <= 0:
        raise UsageError(f"need 0 < probability <= 1 and step > 0, got {probability}, {step}")
    simulate = {
        "n_draws": n_draws,
        "acceptance": acceptance,
        "seed": seed,
        "stage_weights": stage_weights,
        "rejected_weights": rejected_weights,
    }
    rows, best = [], None
    planning = float(target)
    while planning <= 100.0:
        plan = cheapest_plan(
            region, planning, costs=costs,
            max_new_innovations=max_new_innovations,
        )  # fmt: skip
        if not plan.reached:
            break
        result = simulate_plan(region, plan.actions, target, **simulate)
        rows.append(
            {
                "planning_target": planning,
                "total_cost": plan.total_cost,
                "iid_after": plan.iid_after,
                "p_reach": result.p_reach,
            }
        )
        if best is None or result.p_reach > best[2].p_reach:
            best = (planning, plan, result)
        if result.p_reach >= probability:
            best = (planning, plan, result)
            break
        planning = _next_planning_target(planning, target, step, plan, result, probability)
    if best is None:
        plan = cheapest_plan(
            region, target, costs=costs, max_new_innovations=max_new_innovations
        )
        best = (float(target), plan, simulate_plan(region, (), target, **simulate))
    planning, plan, result = best
    return RobustPlan(
        target=float(target),
        probability=float(probability),
        planning_target=planning,
        reached=result.p_reach >= probability,
        plan=plan,
        uncertainty=result,
        tried=pd.DataFrame(rows, columns=["planning_target", "total_cost", "iid_after", "p_reach"]),
    )
