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
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..inputs.region import Region
from ..methodology import BASIC_URUSAN, basic_urusan_in
from ..scoring import combine, round_published
from .actions import Action, apply_to_region
from .calendar import PlanCalendar
from .change import DEFAULT_EVIDENCE_CHANCE
from .costs import KIND_ADD, CostTable
from .lists import EvidenceStep
from .optimize import Plan, cheapest_plan

STAGE_RULES = ("counted", "not_counted", "not_scored")
REJECTED_RULES = ("counted", "not_counted")
EARLY_STAGES = ("inisiatif", "uji coba")
DEFAULT_ACCEPTANCE = 0.85
DEFAULT_STAGE_WEIGHTS = MappingProxyType({"counted": 0.5, "not_counted": 0.25, "not_scored": 0.25})
DEFAULT_REJECTED_WEIGHTS = MappingProxyType({"counted": 0.8, "not_counted": 0.2})
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
DEFAULT_PLAN_DRAWS = 1000
"""Draws of a plan's simulation: the CLI and the report use the same number."""
DEFAULT_TOLERANCE = 0.1
"""IID points within which :func:`plan_for_probability` finds the lowest sufficient planning
target."""



@dataclass(frozen=True)
class SimulationSettings:
    """Everything a plan's simulation depends on, passed whole.

    ``n_draws`` and ``seed``; ``acceptance``: chance the verifier accepts one planned level
    step; ``stage_weights`` / ``rejected_weights``: weights of the unknown rules' variants;
    ``evidence_chance``: chance that an evidence step (*periksa dan unggah bukti jika benar*)
    is true, so that it counts (low by default; stated in the assumptions log).
    """

    n_draws: int = DEFAULT_PLAN_DRAWS
    seed: int = 0
    acceptance: float = DEFAULT_ACCEPTANCE
    stage_weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_STAGE_WEIGHTS)
    rejected_weights: Mapping[str, float] = field(
        default_factory=lambda: DEFAULT_REJECTED_WEIGHTS
    )
    evidence_chance: float = DEFAULT_EVIDENCE_CHANCE

    def __post_init__(self) -> None:
        object.__setattr__(self, "stage_weights", MappingProxyType(dict(self.stage_weights)))
        object.__setattr__(
            self, "rejected_weights", MappingProxyType(dict(self.rejected_weights))
        )
        if not 0.0 <= self.acceptance <= 1.0:
            raise UsageError(f"acceptance must lie in 0..1, got {self.acceptance}")
        if self.n_draws < 1:
            raise UsageError(f"n_draws must be at least 1, got {self.n_draws}")
        if not 0.0 <= self.evidence_chance <= 1.0:
            raise UsageError(f"evidence_chance must lie in 0..1, got {self.evidence_chance}")
        _probabilities(self.stage_weights, STAGE_RULES, "stage")
        _probabilities(self.rejected_weights, REJECTED_RULES, "rejected")

    def key(self) -> tuple:
        """A hashable summary (for caches of plans searched under these settings)."""
        return (self.n_draws, self.seed, self.acceptance,
                tuple(sorted(self.stage_weights.items())),
                tuple(sorted(self.rejected_weights.items())), self.evidence_chance)  # fmt: skip

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
    region: Region,
    actions: Sequence[Action],
    target: float,
    settings: SimulationSettings | None = None,
    evidence: Sequence[EvidenceStep] = (),
    *,
    after: Region | None = None,
) -> PlanUncertainty:
    """Simulate ``actions`` (e.g. ``plan.actions``) applied to the region under ``settings``.

    ``evidence``: evidence steps (e.g. ``plan.evidence``) that count only when true
    (``settings.evidence_chance``) and accepted; steps on cells the actions touch are skipped.
    ``after``: the region after ``actions`` when already known (``plan.after``), else they
    are applied here.
    """
    methodology = region.methodology
    settings = settings or SimulationSettings()
    n_draws, acceptance, seed = settings.n_draws, settings.acceptance, settings.seed
    stage_p = _probabilities(settings.stage_weights, STAGE_RULES, "stage")
    rejected_p = _probabilities(settings.rejected_weights, REJECTED_RULES, "rejected")
    if not actions:
        state = region
    else:
        state = after if after is not None else apply_to_region(region, actions)
    steps = _planned_steps(state, actions)

    rng = np.random.default_rng(seed)
    refused = rng.random((n_draws, len(steps.row))) >= acceptance
    stage_rule = rng.choice(len(STAGE_RULES), size=n_draws, p=stage_p)
    rejected_rule = rng.choice(len(REJECTED_RULES), size=n_draws, p=rejected_p)

    lost = refused * steps.points
    extra = _evidence_steps(state, actions, evidence)
    if len(extra.row):
        # drawn after the rest, so that the draws without evidence steps stay as they were
        true = rng.random((n_draws, len(extra.row))) < settings.evidence_chance * acceptance
        lost = np.concatenate([lost, -(true * extra.points)], axis=1)
        steps = _Steps(np.concatenate([steps.row, extra.row]),
                       np.concatenate([steps.points, extra.points]))
    spd_total = state.spd_total - lost[:, steps.row < 0].sum(axis=1)
    incidence = np.zeros((len(steps.row), state.n))
    on_innovation = np.flatnonzero(steps.row >= 0)
    incidence[on_innovation, steps.row[on_innovation]] = 1.0
    maturities = state.maturities[None, :] - lost @ incidence
    counted, scored = _rule_masks(state, stage_rule, rejected_rule)
    parts = combine(
        spd_total, (maturities * scored).sum(axis=1), counted.sum(axis=1), methodology,
        _count_allowed_by_draw(state, counted),
    )
    iid_unrounded = np.asarray(parts["iid_unrounded"], dtype=float)
    iid = round_published(iid_unrounded)
    draws = pd.DataFrame(
        {
            "draw": np.arange(n_draws),
            "stage_rule": np.array(STAGE_RULES)[stage_rule],
            "rejected_rule": np.array(REJECTED_RULES)[rejected_rule],
            "steps_accepted": 1.0 - refused.mean(axis=1) if refused.shape[1] else 1.0,
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
        by_variant=_by_variant(stage_rule, rejected_rule, iid >= target, iid_unrounded),
        provisional_rules=planned.provisional_rules,
    )


def _evidence_steps(state: Region, actions, evidence) -> _Steps:
    """Evidence steps as units of points they add when true (cells the actions touch and
    rejected innovations left out)."""
    touched = {(a.innovation_id, a.indicator) for a in actions if a.kind != KIND_ADD}
    index = {innovation_id: j for j, innovation_id in enumerate(state.ids)}
    methodology = state.methodology
    rows, points = [], []
    for step in evidence:
        if (step.innovation_id, step.indicator) in touched:
            continue
        row = -1 if not step.innovation_id else index.get(step.innovation_id)
        if row is None or (row >= 0 and state.rejected[row]):
            continue
        indicator = methodology.indicator(step.indicator)
        rows.append(row)
        points.append(indicator.points(step.to_level) - indicator.points(step.from_level))
    return _Steps(np.array(rows, dtype=int), np.array(points, dtype=float))


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


def _count_allowed_by_draw(state: Region, counted: np.ndarray):
    """Per draw, whether the urusan rule (from 2026) keeps the count score: the basic urusan
    covered by the innovations that draw counts (never the rejected ones); the region's own
    answer when the year has no such rule or the data no ``urusan`` column."""
    minimum = state.methodology.min_basic_urusan
    if minimum is None or "urusan" not in state.innovations.columns:
        return state.count_allowed
    covers = np.array(
        [[name in basic_urusan_in(cell) for name in BASIC_URUSAN]
         for cell in state.innovations["urusan"]],
        dtype=float,
    ).reshape(state.n, len(BASIC_URUSAN))
    counting = (counted & ~state.rejected[None, :]).astype(float)
    return ((counting @ covers) > 0).sum(axis=1) >= minimum


def _by_variant(stage_rule, rejected_rule, reached, iid_unrounded) -> pd.DataFrame:
    """One row per rule pair drawn (in the order of the names): stage_rule, rejected_rule,
    n_draws, p_reach, iid_median."""
    rows = []
    for s, stage in enumerate(STAGE_RULES):
        for r, rejected in enumerate(REJECTED_RULES):
            mask = (stage_rule == s) & (rejected_rule == r)
            if mask.any():
                rows.append((stage, rejected, int(mask.sum()), float(reached[mask].mean()),
                             float(np.median(iid_unrounded[mask]))))
    rows.sort(key=lambda row: row[:2])
    return pd.DataFrame(
        rows, columns=["stage_rule", "rejected_rule", "n_draws", "p_reach", "iid_median"]
    )


@dataclass(frozen=True, eq=False)
class RobustPlan:
    """A plan made for a higher planning target so that it reaches ``target`` with at least
    ``probability`` in simulation.

    ``plan`` is the cheapest plan for ``planning_target``; ``uncertainty`` its simulation against
    ``target``; ``reached`` says whether P(reach) >= ``probability``. ``tried`` has one row per
    planning target tried: planning_target, total_cost, iid_after, p_reach. The planning target
    is the lowest that works to within ``tolerance`` IID points (bisection); the plan is the
    cheapest for that planning target, not a cost-optimal chance-constrained plan.
    """

    target: float
    probability: float
    planning_target: float
    reached: bool
    plan: Plan
    uncertainty: PlanUncertainty
    tried: pd.DataFrame
    tolerance: float = DEFAULT_TOLERANCE


def _skip_ahead(planning: float, target: float, plan: Plan, result: PlanUncertainty,
                probability: float, least: float) -> float:
    """A planning target far enough up that a plan losing what this one loses in its bad draws
    (at the ``1 - probability`` quantile) still lands on ``target``; at least ``least`` up."""
    shortfall = plan.iid_after - float(np.quantile(result.draws["iid"], 1.0 - probability))
    return round(max(target + max(shortfall, 0.0), planning + least), 2)


def _p_reach(result: PlanUncertainty, target: float) -> float:
    if result.target == float(target):
        return result.p_reach
    return float((result.draws["iid"].to_numpy() >= target).mean())


PlanSearchCache = dict
"""Plans already searched, by planning target (rounded to 0.01): ``(plan, simulation)``, the
simulation None when the plan does not reach its planning target. Share one between
:func:`plan_for_probability` calls on the same region with the same costs, limits and simulation
settings (e.g. the rungs of :func:`~iid_analysis.feasibility.headline.target_ladder`): a plan and
its simulated IIDs do not depend on the target they are judged against."""


def plan_for_probability(
    region: Region,
    target: float,
    *,
    probability: float = 0.8,
    tolerance: float = DEFAULT_TOLERANCE,
    costs: CostTable | None = None,
    max_new_innovations: int | None = None,
    settings: SimulationSettings | None = None,
    time_limit: float = 20.0,
    cache: PlanSearchCache | None = None,
    calendar: PlanCalendar | None = None,
) -> RobustPlan:
    """The cheapest plan for the lowest planning target (to within ``tolerance``) whose
    simulation (``settings``, the same seed each time) reaches ``target`` in at least
    ``probability`` of the draws; the plan's evidence steps count with their stated chance.

    Brackets the planning target by skipping ahead by the simulated shortfall, then bisects.
    The search visits the same planning targets for the same ``target`` and settings whatever
    ``cache`` holds (a cache only saves the work), so a target gets the same plan in every
    report. When no plan within the limits reaches that probability, the plan with the highest
    probability found is returned with ``reached`` False.

    Raises :class:`UsageError` for ``probability`` outside 0..1 or ``tolerance`` <= 0.
    ``time_limit``: seconds per integer program, passed to :func:`cheapest_plan`. ``cache``: a
    :data:`PlanSearchCache` shared with earlier calls (same region, costs, limits, settings and
    calendar). ``calendar``: the plan's date and window (see :func:`cheapest_plan`).
    """
    settings = settings or SimulationSettings()
    if not 0.0 < probability <= 1.0 or not tolerance > 0:
        raise UsageError(
            f"need 0 < probability <= 1 and tolerance > 0, got {probability}, {tolerance}"
        )
    searched = {} if cache is None else cache
    rows: list[dict] = []
    best: list = []

    def search(planning: float):
        key = round(float(planning), 2)
        if key not in searched:
            plan = cheapest_plan(
                region, planning, costs=costs, max_new_innovations=max_new_innovations,
                time_limit=time_limit, calendar=calendar,
            )
            result = None
            if plan.reached:
                result = simulate_plan(region, plan.actions, target, settings, plan.evidence,
                                       after=plan.after)
            searched[key] = (plan, result)
        return searched[key]

    def evaluate(planning: float):
        plan, result = search(planning)
        if result is None:
            return None
        p_reach = _p_reach(result, target)
        rows.append(
            {
                "planning_target": planning,
                "total_cost": plan.total_cost,
                "iid_after": plan.iid_after,
                "p_reach": p_reach,
            }
        )
        enough = p_reach >= probability
        # Keep the cheapest sufficient plan, else the most probable one.
        if not best or (enough and (best[3] is False or plan.total_cost <= best[1].total_cost)) or (
            not enough and best[3] is False and p_reach > best[4]
        ):
            best[:] = [planning, plan, result, enough, p_reach]
        return enough

    high = None
    low = float(target)
    found = evaluate(low)
    if found:
        high = low
    if high is None and found is False:
        planning = low
        while True:
            plan, result = best[1], best[2]
            planning = _skip_ahead(planning, target, plan, result, probability, tolerance)
            if planning > 100.0:
                break
            found = evaluate(planning)
            if found is None:
                break
            if found:
                high = planning
                break
            low = planning
    if high is not None:
        while high - low > tolerance + 1e-9:
            middle = round((low + high) / 2, 2)
            if middle in (low, high):
                break
            if evaluate(middle):
                high = middle
            else:
                low = middle
    if not best:
        plan = cheapest_plan(
            region, target, costs=costs, max_new_innovations=max_new_innovations,
            time_limit=time_limit, calendar=calendar,
        )
        no_plan = simulate_plan(region, (), target, settings, plan.evidence)
        best[:] = [float(target), plan, no_plan, False, no_plan.p_reach]
    if best[2].target != float(target):
        # Found for another target: the same draws, judged against this one.
        best[2] = simulate_plan(region, best[1].actions, target, settings, best[1].evidence,
                                after=best[1].after)
    planning, plan, result = best[:3]
    tried = pd.DataFrame(rows, columns=["planning_target", "total_cost", "iid_after", "p_reach"])
    return RobustPlan(
        target=float(target),
        probability=float(probability),
        planning_target=planning,
        reached=result.p_reach >= probability,
        plan=plan,
        uncertainty=result,
        tried=tried.sort_values("planning_target", kind="stable").reset_index(drop=True),
        tolerance=float(tolerance),
    )
