"""The cheapest set of actions that lifts a region's IID to a target: an exact integer program.

Formulation (docs/feasibility.md has the derivation). For a fixed number k of new innovations
the divisor D = MAX(floor, n + k) and the count score C(n + k) are constants, so the total

    SPD + sum_steps dSPD + (S + sum_steps dM_old + sum_steps dM_new) / D + C(n + k)

is linear in the level steps taken. Steps are aggregated per indicator and level, because every
step of one indicator costs the same and adds the same points to whichever innovation takes it:

- ``x[i, s]`` in {0, 1}: SPD indicator i crosses level s (s above its current level);
- ``y[i, s]`` in 0..(innovations below level s): existing accepted innovations that cross level s
  of indicator i; ``A_s + y_s <= A_{s-1} + y_{s-1}`` keeps the counts nested (A_s: innovations
  already at level s or more), so the counts always belong to real innovations;
- ``z[i, s]`` in 0..k: new innovations that reach level s of indicator i; ``z_s <= z_{s-1}``.

Minimise sum(step cost x steps) + k x (cost of a new innovation) subject to total >= the total
whose IID rounds (half up, two decimals) to the target. k runs from 0 to the limit in an outer
loop, stopping once k x (cost of a new innovation) alone reaches the best plan's cost. Each
sub-problem is solved by HiGHS through :func:`scipy.optimize.milp`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from ..errors import UsageError
from ..methodology import Methodology
from ..region import Region, region_and_args
from ..scoring import RegionScore, count_score, divisor, round_published
from .actions import (
    Action,
    actions_frame,
    add_innovation,
    apply_to_region,
    raise_level,
    with_costs_and_gains,
)
from .costs import CostTable
from .state import MAX_LEVEL

NEW_ID_PREFIX = "NEW"
ROUNDING_HALF_STEP = 0.005
# The target row is kept in whole units (points x divisor x scale) so that the solver's
# feasibility tolerance cannot let a plan fall short; one more unit is the fallback should a plan
# still round below the target when scored.
_EXTRA_UNITS = (0, 1)
_POINT_SCALES = (1, 2, 4, 5, 8, 10, 20, 25, 40, 50, 100)


@dataclass(frozen=True, eq=False)
class Plan:
    """The cheapest plan found for a target, or the statement that none reaches it.

    ``reached`` is True when the plan's IID (rounded) is at least ``target``; when no plan within
    the limits reaches it, ``actions`` is empty, ``iid_after`` equals ``iid_before`` and
    ``message`` says why. ``max_iid`` is the highest IID any plan within the limits reaches.
    ``optimal`` is False only if a sub-problem stopped at its time limit; ``mip_gap`` is then the
    largest relative gap HiGHS reported. ``spd``/``innovations`` are the tables after the plan.
    """

    target: float
    reached: bool
    iid_before: float
    iid_after: float
    iid_after_unrounded: float
    total_cost: float
    actions: tuple[Action, ...]
    n_new_innovations: int
    max_iid: float
    optimal: bool
    mip_gap: float
    score_before: RegionScore
    score_after: RegionScore
    spd: pd.DataFrame
    innovations: pd.DataFrame
    message: str

    @property
    def provisional_rules(self) -> tuple[str, ...]:
        return self.score_after.provisional_rules

    def as_json(self) -> dict:
        """iid_before, iid_after, target, reached, total_cost and actions (list of dicts)."""
        return {
            "iid_before": self.iid_before,
            "iid_after": self.iid_after,
            "target": self.target,
            "reached": self.reached,
            "total_cost": self.total_cost,
            "actions": [a.as_dict() for a in self.actions],
        }

    def actions_table(self) -> pd.DataFrame:
        """The actions as :func:`~iid_analysis.feasibility.actions.actions_frame` rows."""
        return actions_frame(self.actions)


@dataclass(frozen=True)
class _Solution:
    cost: float
    k: int
    spd_levels: np.ndarray
    old_counts: np.ndarray  # innovations at level >= s, by indicator (rows) and s = 0..3
    new_counts: np.ndarray  # new innovations at level >= s, same shape
    optimal: bool
    gap: float


def cheapest_plan(
    region: Region | pd.DataFrame,
    *args,
    costs: CostTable | None = None,
    max_new_innovations: int | None = None,
    budget: float | None = None,
    new_opds: Sequence[str] | None = None,
    time_limit: float = 20.0,
) -> Plan:
    """The minimum-cost set of actions whose IID (rounded as published) reaches ``target``.

    Called as ``cheapest_plan(region, target, ...)`` or, with frames,
    ``cheapest_plan(spd, innovations, methodology, target, ...)``.

    ``costs``: a :class:`CostTable` (default one unit per level step and per new innovation).
    ``max_new_innovations``: at most this many new innovations (default: up to the count cap).
    ``budget``: plans costing more do not count. ``new_opds``: OPDs that new innovations go to,
    in turn (default: the OPDs with the fewest accepted innovations first). ``time_limit``: seconds
    per sub-problem. Raises :class:`UsageError` for a target outside 0..100 or a negative limit.
    """
    state, (target,) = region_and_args(region, args, ("target",))
    methodology = state.methodology
    if not 0 < target <= 100:
        raise UsageError(f"the target IID must lie in 0..100, got {target}")
    costs = costs or CostTable()
    limit = _new_innovation_limit(state, costs, max_new_innovations)
    score_before = state.score()
    max_iid = _max_iid(state, costs, limit)
    plan = None
    for extra in _EXTRA_UNITS:
        solution = _solve(
            state, costs, limit, _target_total(target, methodology), extra, time_limit
        )
        if solution is None:
            break
        plan = _plan_from_solution(state, costs, solution, target, score_before, max_iid, new_opds)
        if plan.reached:
            break
    if plan is None or not plan.reached:
        why = f"no plan within the limits reaches {target:.2f} (highest reachable {max_iid:.2f})"
        return _no_plan(state, target, score_before, max_iid, why)
    if budget is not None and plan.total_cost > budget + 1e-9:
        why = f"the cheapest plan costs {plan.total_cost:g}, above the budget {budget:g}"
        return _no_plan(state, target, score_before, max_iid, why)
    return plan


def _target_total(target: float, methodology: Methodology) -> float:
    """The least total whose IID rounds half up to ``target``."""
    return (target - ROUNDING_HALF_STEP) * methodology.max_total / 100.0


def _new_innovation_limit(state: Region, costs: CostTable, limit: int | None) -> int:
    if limit is not None and limit < 0:
        raise UsageError(f"max_new_innovations cannot be negative, got {limit}")
    if not np.isfinite(costs.add_innovation):
        return 0
    if limit is None:
        return max(state.methodology.count_cap - state.n, 0)
    return int(limit)


# --- the integer program --------------------------------------------------------------------
@dataclass(frozen=True)
class _Variables:
    """Columns of one sub-problem: group (0 SPD, 1 existing, 2 new), indicator, level s."""

    group: np.ndarray
    indicator: np.ndarray
    level: np.ndarray
    upper: np.ndarray
    points: np.ndarray
    cost: np.ndarray


def _variables(state: Region, costs: CostTable, k: int) -> _Variables:
    spd_costs = costs.step_costs(state.methodology, "SPD")
    innovation_costs = costs.step_costs(state.methodology, "INOVASI")
    at_least = _old_counts(state)
    accepted = int((~state.rejected).sum())
    rows = []
    for i, level in enumerate(state.spd_levels):
        for s in range(level + 1, MAX_LEVEL + 1):
            rows.append(
                (0, i, s, 1, state.spd_table[i, s] - state.spd_table[i, s - 1], spd_costs[i])
            )
    for i in range(state.levels.shape[1]):
        gains = state.innovation_table[i, 1:] - state.innovation_table[i, :-1]
        for s in range(1, MAX_LEVEL + 1):
            rows.append((1, i, s, accepted - at_least[i, s], gains[s - 1], innovation_costs[i]))
            rows.append((2, i, s, k, gains[s - 1], innovation_costs[i]))
    data = np.array(rows, dtype=float).reshape(-1, 6)
    keep = (data[:, 3] > 0) & np.isfinite(data[:, 5])
    data = data[keep]
    return _Variables(
        group=data[:, 0].astype(int),
        indicator=data[:, 1].astype(int),
        level=data[:, 2].astype(int),
        upper=data[:, 3],
        points=data[:, 4],
        cost=data[:, 5],
    )


def _old_counts(state: Region) -> np.ndarray:
    """Accepted innovations at level >= s on each indicator: (indicators x 4), s = 0..3."""
    accepted = state.levels[~state.rejected]
    return np.stack([(accepted >= s).sum(axis=0) for s in range(MAX_LEVEL + 1)], axis=1)


def _gain_coefficients(variables: _Variables, divisor_k: float) -> np.ndarray:
    """Points of total each unit of each variable adds (maturity points are divided by D)."""
    return np.where(variables.group == 0, variables.points, variables.points / divisor_k)


def _ordering_rows(variables: _Variables, at_least: np.ndarray):
    """Rows keeping steps nested: var(s) - var(s-1) <= bound, within a group and indicator."""
    position = {
        (g, i, s): j
        for j, (g, i, s) in enumerate(
            zip(variables.group, variables.indicator, variables.level, strict=True)
        )
    }
    rows, bounds = [], []
    for (g, i, s), j in position.items():
        previous = position.get((g, i, s - 1))
        if previous is None:
            continue
        row = np.zeros(len(variables.group))
        row[j], row[previous] = 1.0, -1.0
        rows.append(row)
        bounds.append(at_least[i, s - 1] - at_least[i, s] if g == 1 else 0.0)
    return rows, bounds


def _base_total(state: Region, k: int) -> float:
    methodology = state.methodology
    n = state.n + k
    return (
        state.spd_total
        + state.maturity_sum / float(divisor(n, methodology))
        + float(count_score(n, methodology))
    )


def _point_scale(state: Region) -> int:
    """The least factor making every SPD and per-innovation point value a whole number."""
    points = np.concatenate([state.spd_table.ravel(), state.innovation_table.ravel()])
    for scale in _POINT_SCALES:
        if np.allclose(points * scale, np.rint(points * scale), atol=1e-9):
            return scale
    raise UsageError("indicator points are not multiples of 0.01; cannot plan exactly")


def _target_units(state: Region, k: int, target_total: float, scale: int) -> int:
    """Whole units (points x divisor x scale) the steps must add for k new innovations."""
    methodology = state.methodology
    n = state.n + k
    divisor_k = float(divisor(n, methodology))
    rest = target_total - state.spd_total - float(count_score(n, methodology))
    # 1e-6 absorbs binary noise in an exact whole number of units.
    return math.ceil(scale * (divisor_k * rest - state.maturity_sum) - 1e-6)


def _solve_k(state, costs, k, target_total, extra, time_limit):
    """The cheapest steps for exactly k new innovations: (cost, values, variables, optimal, gap)
    or None when no steps reach the target. The target row is in whole units: SPD points count
    D times (the maturity sum is divided by D), everything times the point scale."""
    variables = _variables(state, costs, k)
    divisor_k = float(divisor(state.n + k, state.methodology))
    scale = _point_scale(state)
    units = np.rint(
        scale * np.where(variables.group == 0, variables.points * divisor_k, variables.points)
    )
    needed = _target_units(state, k, target_total, scale) + extra
    fixed = k * costs.add_innovation
    if needed <= 0:
        return fixed, np.zeros(len(units)), variables, True, 0.0
    if float(units @ variables.upper) < needed:
        return None
    rows, bounds = _ordering_rows(variables, _old_counts(state))
    constraints = [LinearConstraint(units[None, :], lb=needed, ub=np.inf)]
    if rows:
        constraints.append(LinearConstraint(np.array(rows), lb=-np.inf, ub=np.array(bounds)))
    result = milp(
        variables.cost,
        constraints=constraints,
        integrality=np.ones(len(units)),
        bounds=Bounds(np.zeros(len(units)), variables.upper),
        options={"time_limit": time_limit, "mip_rel_gap": 1e-9},
    )
    if result.x is None:
        return None
    values = np.rint(result.x)
    gap = float(getattr(result, "mip_gap", 0.0) or 0.0)
    return fixed + float(variables.cost @ values), values, variables, result.status == 0, gap


def _solve(state, costs, limit, target_total, extra, time_limit) -> _Solution | None:
    best = None
    all_optimal, worst_gap = True, 0.0
    for k in range(limit + 1):
        if best is not None and k * costs.add_innovation >= best[0] - 1e-9:
            break
        found = _solve_k(state, costs, k, target_total, extra, time_limit)
        if found is None:
            continue
        cost, values, variables, optimal, gap = found
        all_optimal, worst_gap = all_optimal and optimal, max(worst_gap, gap)
        if best is None or cost < best[0] - 1e-9:
            best = (cost, k, values, variables)
    if best is None:
        return None
    cost, k, values, variables = best
    spd_levels = state.spd_levels.copy()
    old = _old_counts(state).astype(int)
    new = np.zeros_like(old)
    new[:, 0] = k
    for g, i, s, v in zip(
        variables.group, variables.indicator, variables.level, values, strict=True
    ):
        if g == 0:
            spd_levels[i] += int(v)
        elif g == 1:
            old[i, s] += int(v)
        else:
            new[i, s] = int(v)
    return _Solution(cost, k, spd_levels, old, new, all_optimal, worst_gap)


def _max_iid(state: Region, costs: CostTable, limit: int) -> float:
    """The highest IID (rounded) that any plan within the limits reaches."""
    best = -np.inf
    for k in range(limit + 1):
        variables = _variables(state, costs, k)
        coefficients = _gain_coefficients(variables, float(divisor(state.n + k, state.methodology)))
        total = _base_total(state, k) + float(coefficients @ variables.upper)
        best = max(best, total * 100.0 / state.methodology.max_total)
    return round_published(best)


# --- from counts back to actions -----------------------------------------------------------
def _plan_from_solution(state, costs, solution, target, score_before, max_iid, new_opds) -> Plan:
    actions = _spd_actions(state, solution) + _old_actions(state, solution)
    actions += _new_actions(state, solution, new_opds)
    actions = with_costs_and_gains(state, actions, costs)
    after = apply_to_region(state, actions)
    score_after = after.score()
    return Plan(
        target=float(target),
        reached=score_after.iid >= target,
        iid_before=score_before.iid,
        iid_after=score_after.iid,
        iid_after_unrounded=score_after.iid_unrounded,
        total_cost=float(sum(a.cost for a in actions)),
        actions=actions,
        n_new_innovations=solution.k,
        max_iid=max_iid,
        optimal=solution.optimal,
        mip_gap=solution.gap,
        score_before=score_before,
        score_after=score_after,
        spd=after.spd,
        innovations=after.innovations,
        message="" if solution.optimal else f"stopped at the time limit, gap {solution.gap:.2%}",
    )


def _no_plan(state, target, score_before, max_iid, message) -> Plan:
    return Plan(
        target=float(target),
        reached=False,
        iid_before=score_before.iid,
        iid_after=score_before.iid,
        iid_after_unrounded=score_before.iid_unrounded,
        total_cost=0.0,
        actions=(),
        n_new_innovations=0,
        max_iid=max_iid,
        optimal=True,
        mip_gap=0.0,
        score_before=score_before,
        score_after=score_before,
        spd=state.spd,
        innovations=state.innovations,
        message=message,
    )


def _spd_actions(state: Region, solution: _Solution) -> list[Action]:
    numbers = state.methodology.spd_numbers
    return [
        raise_level(numbers[i], before, after)
        for i, (before, after) in enumerate(zip(state.spd_levels, solution.spd_levels, strict=True))
        if after > before
    ]


def final_levels(current: np.ndarray, at_least: np.ndarray) -> np.ndarray:
    """Levels after raising, given how many should end at level >= s (s = 0..3).

    Innovations are ranked by current level (highest first, then input order); the first
    ``at_least[s]`` of that ranking end at level s or more. The counts must be nested and not
    below the current ones, so no level goes down.
    """
    order = np.lexsort((np.arange(len(current)), -current))
    rank = np.empty(len(current), dtype=int)
    rank[order] = np.arange(len(current))
    return (rank[:, None] < np.asarray(at_least)[None, 1:]).sum(axis=1)


def _old_actions(state: Region, solution: _Solution) -> list[Action]:
    accepted = np.flatnonzero(~state.rejected)
    after = state.levels.copy()
    for i in range(state.levels.shape[1]):
        after[accepted, i] = final_levels(state.levels[accepted, i], solution.old_counts[i])
    numbers = state.methodology.innovation_numbers
    ids, opds = state.ids, state.opds
    rows, cols = np.nonzero(after > state.levels)
    return [
        raise_level(numbers[c], state.levels[r, c], after[r, c], ids[r], opds[r])
        for r, c in zip(rows, cols, strict=True)
    ]


def _new_actions(state: Region, solution: _Solution, new_opds) -> list[Action]:
    if solution.k == 0:
        return []
    numbers = state.methodology.innovation_numbers
    opds = assign_opds(state, solution.k, new_opds)
    ids = new_innovation_ids(state.ids, solution.k)
    actions = []
    for t in range(solution.k):
        levels = (t < solution.new_counts[:, 1:]).sum(axis=1)
        actions.append(
            add_innovation(ids[t], opds[t], dict(zip(numbers, levels.tolist(), strict=True)))
        )
    return actions


def new_innovation_ids(existing: Sequence[str], count: int) -> list[str]:
    """``count`` ids ``NEW-001``, ``NEW-002``, ... that are not in ``existing``."""
    taken, result, number = set(existing), [], 0
    while len(result) < count:
        number += 1
        candidate = f"{NEW_ID_PREFIX}-{number:03d}"
        if candidate not in taken:
            result.append(candidate)
    return result


def assign_opds(
    state: Region, count: int, new_opds: Sequence[str] | None = None
) -> list[str]:
    """OPDs for ``count`` new innovations: ``new_opds`` in turn, or by default each to the OPD
    with the fewest accepted innovations at that moment (ties by name)."""
    if new_opds:
        return [new_opds[t % len(new_opds)] for t in range(count)]
    owned = pd.Series(state.opds)[~state.rejected].value_counts().to_dict()
    counts = {opd: owned.get(opd, 0) for opd in sorted(set(state.opds))}
    if not counts:
        return [""] * count
    result = []
    for _ in range(count):
        opd = min(counts, key=lambda o: (counts[o], o))
        counts[opd] += 1
        result.append(opd)
    return result
