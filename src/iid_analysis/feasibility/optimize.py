"""The cheapest set of actions that lifts a region's IID to a target: an exact integer program.

Formulation (docs/feasibility.md has the derivation). A new innovation is a whole profile (by
default the median profile of the region's accepted *penerapan* innovations) at its creation
effort; the number k of new innovations is the decision of an outer loop. For a fixed k the
divisor D = MAX(floor, n + k), the count score C(n + k) and the new innovations' maturity
k x m_profile are constants, so the total

    SPD + sum_steps dSPD + (S + k x m_profile + sum_steps dM_old) / D + C(n + k)

is linear in the level steps taken. Steps are aggregated per cost class, indicator and level:
a cost class is a set of accepted innovations whose steps cost the same on every indicator (one
class unless a cost table sets efforts per OPD or per innovation), so within a class every step
of one indicator costs the same and adds the same points to whichever innovation takes it:

- ``x[i, s]`` in {0, 1}: SPD indicator i crosses level s (s above its current level);
- ``y[c, i, s]`` in 0..(innovations of class c below level s): innovations of class c that
  cross level s of indicator i; ``A_s + y_s <= A_{s-1} + y_{s-1}`` keeps the counts nested
  (A_s: innovations of the class already at level s or more), so the counts always belong to
  real innovations.

Minimise sum(step cost x steps) + k x (effort of a new innovation) subject to total >= the
total whose IID rounds (half up, two decimals) to the target. k runs from 0 to the limit,
stopping once k x (effort of a new innovation) alone reaches the best plan's cost. Each
sub-problem is solved by HiGHS through :func:`scipy.optimize.milp`.

The 2026 urusan rule (the count score is 0 unless the innovations cover ``min_basic_urusan`` of
the 6 urusan wajib pelayanan dasar): when the region misses it, a second search keeps the count
score with k >= ``needed`` and the first ``needed`` new innovations each covering one missing
urusan; the cheaper of the two plans is returned. A region that meets the rule, or a year
without it, is searched once, as before.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from ..errors import UsageError
from ..inputs.region import Region
from ..methodology import Methodology, basic_urusan_in
from ..scoring import RegionScore, combine, iid_of_total, round_published, total_of_iid
from .actions import (
    NEW_STAGE,
    Action,
    actions_frame,
    add_innovation,
    apply_to_region,
    assign_opds,
    new_innovation_ids,
    raise_level,
    with_costs_and_gains,
)
from .calendar import PlanCalendar, new_innovation_eligible
from .change import NEW_INNOVATION, NewInnovationProfile, first_year_profile
from .costs import CostTable
from .effort import as_effort
from .lists import EvidenceStep, NextYearStep, evidence_steps, next_year_steps
from .state import MAX_LEVEL
from .urusan import urusan_lever

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
    ``new_profile``: the levels every new innovation of the plan gets (indicator, level);
    ``new_innovation_cost``: the effort of one new innovation. ``urusan_missing``: the basic
    urusan the region misses when the year's urusan rule is checked and not met (else empty);
    ``urusan_cover``: those the plan's new innovations must cover to restore the count score
    (each named on its ``add_innovation`` action; empty when the plan does without it).
    ``calendar``: the plan's date and data-entry window (None: no calendar, every lead time
    fits); ``evidence``: the *periksa dan unggah bukti jika benar* steps, never actions;
    ``next_year``: action steps whose lead time ends after the window closes, with their value;
    ``new_innovation``: the first-year profile of the plan's new innovations (words per
    indicator), None when a profile was given.
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
    new_profile: tuple[tuple[str, int], ...] = ()
    new_innovation_cost: float = math.nan
    urusan_missing: tuple[str, ...] = ()
    urusan_cover: tuple[str, ...] = ()
    calendar: PlanCalendar | None = None
    evidence: tuple[EvidenceStep, ...] = ()
    next_year: tuple[NextYearStep, ...] = ()
    new_innovation: NewInnovationProfile | None = None
    after: Region | None = field(default=None, repr=False)
    """The region after the plan's actions (None when the plan has none), so that a
    simulation of the plan need not apply them again."""

    @property
    def weeks_remaining(self) -> int | None:
        """Whole weeks from the plan's date to the close of its data-entry window."""
        return None if self.calendar is None else self.calendar.weeks_remaining

    @property
    def provisional_rules(self) -> tuple[str, ...]:
        return self.score_after.provisional_rules

    def as_json(self) -> dict:
        """iid_before, iid_after, target, reached, total_cost (hari kerja), actions (list of
        dicts, each with its change_kind), evidence and next_year (lists of dicts), the
        calendar (as_of, entry_year, window_opens, window_closes, window_source,
        weeks_remaining) and urusan_cover (list)."""
        calendar = None
        if self.calendar is not None:
            window = self.calendar.window
            calendar = {
                "as_of": self.calendar.as_of.isoformat(),
                "entry_year": window.year,
                "window_opens": window.opens.isoformat(),
                "window_closes": window.closes.isoformat(),
                "window_provenance": window.provenance,
                "window_source": window.source,
                "weeks_remaining": self.calendar.weeks_remaining,
            }
        return {
            "iid_before": self.iid_before,
            "iid_after": self.iid_after,
            "target": self.target,
            "reached": self.reached,
            "total_cost": self.total_cost,
            "effort_unit": "hari kerja",
            "actions": [a.as_dict() for a in self.actions],
            "evidence": [e.as_dict() for e in self.evidence],
            "next_year": [n.as_dict() for n in self.next_year],
            "calendar": calendar,
            "new_innovation_levels": dict(self.new_profile),
            "urusan_cover": list(self.urusan_cover),
        }

    def actions_table(self) -> pd.DataFrame:
        """The actions as :func:`~iid_analysis.feasibility.actions.actions_frame` rows."""
        return actions_frame(self.actions)


@dataclass(frozen=True)
class _Solution:
    cost: float
    k: int
    spd_levels: np.ndarray
    old_counts: np.ndarray  # (classes, indicators, s = 0..3): class innovations at level >= s
    optimal: bool
    gap: float


@dataclass(frozen=True)
class _Setup:
    """What every sub-problem shares: the cost classes, the new innovations' profile and effort,
    whether the count score counts, and the urusan the first new innovations must cover."""

    costs: CostTable
    classes: np.ndarray  # class of each innovation (-1 for rejected ones)
    class_costs: np.ndarray  # (classes, indicators, 3): cost of the step to level s = 1..3
    spd_costs: np.ndarray  # (SPD indicators, 3)
    profile: dict[str, int]
    profile_maturity: float
    add_cost: float
    count_allowed: bool = True
    cover: tuple[str, ...] = ()  # k >= len(cover): new innovation t covers cover[t]
    calendar: PlanCalendar | None = None
    first_year: NewInnovationProfile | None = None
    add_lead_weeks: float = 0.0


def median_profile(region: Region) -> dict[str, int]:
    """The levels of the median accepted *penerapan* innovation (by maturity, the lower median;
    ties in input order); of the median accepted innovation when none is at *penerapan*; level 1
    on every indicator when none is accepted. The default profile of a planned new innovation."""
    accepted = ~region.rejected
    pool = np.flatnonzero(accepted & (region.stages == NEW_STAGE))
    if not len(pool):
        pool = np.flatnonzero(accepted)
    numbers = region.methodology.innovation_numbers
    if not len(pool):
        return {number: 1 for number in numbers}
    maturities = region.maturities[pool]
    order = pool[np.argsort(maturities, kind="stable")]
    chosen = order[(len(order) - 1) // 2]
    levels = region.levels[chosen]
    return {number: int(level) for number, level in zip(numbers, levels, strict=True)}


def _setup(state: Region, costs: CostTable, new_profile, calendar=None) -> _Setup:
    methodology = state.methodology
    numbers = methodology.innovation_numbers
    first_year = None
    if new_profile is None:
        first_year = first_year_profile(methodology)
        profile = first_year.levels_dict
    else:
        profile = {str(k): int(v) for k, v in dict(new_profile).items()}
        unknown = set(profile) - set(numbers)
        if unknown or any(v not in (0, 1, 2, 3) for v in profile.values()):
            raise UsageError(
                "new_profile must map indicators 16..35 to levels 0..3"
                + (f" (unknown: {sorted(unknown)[0]})" if unknown else "")
            )
        profile = {number: profile.get(number, 0) for number in numbers}
    if hasattr(costs, "innovation_level_costs"):
        matrix = costs.innovation_level_costs(state)
    else:
        matrix = np.tile(costs.level_costs(methodology, "INOVASI"), (state.n, 1, 1))
    spd_costs = costs.level_costs(methodology, "SPD")
    add_lead = float(getattr(costs, "add_lead_weeks", 0.0))
    add_cost = float(costs.levels_cost(profile))
    if calendar is not None:
        late = _late(calendar, costs.lead_weeks(methodology, "INOVASI"))
        matrix = np.where(late[None, :, :], np.inf, matrix)
        spd_costs = np.where(_late(calendar, costs.lead_weeks(methodology, "SPD")), np.inf,
                             spd_costs)
        if not calendar.fits(add_lead) or not new_innovation_eligible(methodology, calendar,
                                                                      add_lead):
            add_cost = np.inf
    classes = np.full(state.n, -1)
    accepted = np.flatnonzero(~state.rejected)
    width = len(numbers) * 3
    if len(accepted):
        flat = matrix[accepted].reshape(len(accepted), width)
        unique, inverse = np.unique(flat, axis=0, return_inverse=True)
        classes[accepted] = np.asarray(inverse).ravel()
        unique = unique.reshape(-1, len(numbers), 3)
    else:
        unique = np.zeros((0, len(numbers), 3))
    maturity = float(sum(methodology.indicator(k).points(v) for k, v in profile.items()))
    return _Setup(
        costs, classes, unique, spd_costs, profile, maturity, add_cost, state.count_allowed,
        calendar=calendar, first_year=first_year, add_lead_weeks=add_lead,
    )


def _late(calendar: PlanCalendar, leads: np.ndarray) -> np.ndarray:
    """Steps whose lead time does not end before the window closes."""
    return np.vectorize(lambda w: not calendar.fits(float(w)), otypes=[bool])(leads)


def cheapest_plan(
    region: Region,
    target: float,
    *,
    costs: CostTable | None = None,
    max_new_innovations: int | None = None,
    budget: float | None = None,
    new_opds: Sequence[str] | None = None,
    new_profile: Mapping[str, int] | None = None,
    time_limit: float = 20.0,
    calendar: PlanCalendar | None = None,
) -> Plan:
    """The minimum-cost set of actions whose IID (rounded as published) reaches ``target``.

    Only steps of kind ``action`` enter (record, evidence and outcome steps never do, unless a
    cost table names their indicator); with a ``calendar`` only those whose lead time ends
    before its data-entry window closes (the others are the plan's ``next_year``), each with
    its deadline. The plan's ``evidence`` lists the *periksa dan unggah bukti* steps apart.

    ``costs``: a :class:`CostTable`; default the shipped effort model
    (:func:`~iid_analysis.feasibility.effort.default_effort`: efforts in *hari kerja*, SPD
    outcomes never planned). ``max_new_innovations``: at most this many new innovations (default:
    up to the count cap). ``budget``: plans costing more do not count. ``new_opds``: OPDs that
    new innovations go to, in turn (default: the OPDs with the fewest accepted innovations
    first; a new innovation that must cover an urusan goes, by default, to an OPD whose name
    names that urusan, if any). ``new_profile``: the levels (16..35; missing ones 0) of every new
    innovation (default: the first-year profile,
    :func:`~iid_analysis.feasibility.change.first_year_profile`). ``time_limit``: seconds per
    sub-problem.

    When the year's urusan rule is checked and not met, plans that cover the missing urusan
    with new innovations (at least ``needed``, even beyond the count cap when
    ``max_new_innovations`` is not given) compete with plans without the count score; the
    plan's ``urusan_cover`` and its actions' ``urusan`` say which urusan to cover. Raises
    :class:`UsageError` for a target outside 0..100, a negative limit or a bad profile.
    """
    state = region
    methodology = state.methodology
    if not 0 < target <= 100:
        raise UsageError(f"the target IID must lie in 0..100, got {target}")
    setup = _setup(state, as_effort(costs, methodology), new_profile, calendar)
    limit = _new_innovation_limit(state, setup, max_new_innovations)
    score_before = state.score()
    searches = [(setup, limit)]
    missing: tuple[str, ...] = ()
    if not state.count_allowed:  # the urusan rule is checked and missed: cover it, or not
        lever = urusan_lever(state.innovations, score_before, methodology)
        missing = lever.missing
        cover_limit = limit if max_new_innovations is not None else max(limit, lever.needed)
        if np.isfinite(setup.add_cost) and cover_limit >= lever.needed:
            covered = replace(setup, count_allowed=True, cover=lever.to_cover)
            searches.append((covered, cover_limit))
    max_iid = max(_max_iid(state, s, k) for s, k in searches)
    plan = None
    for search_setup, search_limit in searches:
        if plan is not None and plan.total_cost <= len(search_setup.cover) * search_setup.add_cost:
            continue  # its new innovations alone cost as much as the plan found
        found = _search(
            state, search_setup, search_limit, target, score_before, max_iid, new_opds, time_limit
        )
        if found is not None and (plan is None or found.total_cost < plan.total_cost - 1e-9):
            plan = found
    if plan is None:
        why = f"no plan within the limits reaches {target:.2f} (highest reachable {max_iid:.2f})"
        return _with_lists(state, setup, _no_plan(
            state, setup, target, score_before, max_iid, why, missing))
    plan = replace(plan, urusan_missing=missing)
    if budget is not None and plan.total_cost > budget + 1e-9:
        why = f"the cheapest plan costs {plan.total_cost:g}, above the budget {budget:g}"
        return _with_lists(state, setup, _no_plan(
            state, setup, target, score_before, max_iid, why, missing))
    return _with_lists(state, setup, plan)


def _with_lists(state: Region, setup: _Setup, plan: Plan) -> Plan:
    """The plan with its calendar, evidence steps, next-year steps and first-year profile."""
    next_year = ()
    if setup.calendar is not None:
        next_year = next_year_steps(state, setup.costs, setup.calendar, setup.profile,
                                    setup.add_lead_weeks)
    return replace(
        plan, calendar=setup.calendar, evidence=evidence_steps(state, setup.costs),
        next_year=next_year, new_innovation=setup.first_year,
    )

def _search(state, setup, limit, target, score_before, max_iid, new_opds, time_limit):
    """The cheapest plan of one search (one setup), or None when none reaches the target."""
    plan = None
    for extra in _EXTRA_UNITS:
        solution = _solve(
            state, setup, limit, _target_total(target, state.methodology), extra, time_limit
        )
        if solution is None:
            break
        plan = _plan_from_solution(state, setup, solution, target, score_before, max_iid, new_opds)
        if plan.reached:
            break
    return plan if plan is not None and plan.reached else None


def _target_total(target: float, methodology: Methodology) -> float:
    """The least total whose IID rounds half up to ``target``."""
    return float(total_of_iid(target - ROUNDING_HALF_STEP, methodology))


def _new_innovation_limit(state: Region, setup: _Setup, limit: int | None) -> int:
    if limit is not None and limit < 0:
        raise UsageError(f"max_new_innovations cannot be negative, got {limit}")
    if not np.isfinite(setup.add_cost):
        return 0
    if limit is None:
        return max(state.methodology.count_cap - state.n, 0)
    return int(limit)


# --- the integer program --------------------------------------------------------------------
@dataclass(frozen=True)
class _Variables:
    """Columns of one sub-problem: group (0 SPD, 1 existing), cost class, indicator, level s."""

    group: np.ndarray
    klass: np.ndarray
    indicator: np.ndarray
    level: np.ndarray
    upper: np.ndarray
    points: np.ndarray
    cost: np.ndarray


def _variables(state: Region, setup: _Setup) -> _Variables:
    spd_costs = setup.spd_costs
    at_least = _old_counts(state, setup)
    rows = []
    for i, level in enumerate(state.spd_levels):
        for s in range(level + 1, MAX_LEVEL + 1):
            if not np.isfinite(spd_costs[i, s - 1]):
                break  # a step that is not an action blocks the steps above it
            gain = state.spd_table[i, s] - state.spd_table[i, s - 1]
            rows.append((0, -1, i, s, 1, gain, spd_costs[i, s - 1]))
    for c in range(len(setup.class_costs)):
        members = int(at_least[c, 0, 0])
        for i in range(state.levels.shape[1]):
            gains = state.innovation_table[i, 1:] - state.innovation_table[i, :-1]
            for s in range(1, MAX_LEVEL + 1):
                upper = members - at_least[c, i, s]
                if s > 1 and not np.isfinite(setup.class_costs[c, i, s - 2]):
                    # the step below is not an action: only innovations already at s - 1 may
                    # take this one
                    upper = min(upper, at_least[c, i, s - 1] - at_least[c, i, s])
                rows.append((1, c, i, s, upper, gains[s - 1], setup.class_costs[c, i, s - 1]))
    data = np.array(rows, dtype=float).reshape(-1, 7)
    data = data[(data[:, 4] > 0) & np.isfinite(data[:, 6])]
    return _Variables(
        group=data[:, 0].astype(int),
        klass=data[:, 1].astype(int),
        indicator=data[:, 2].astype(int),
        level=data[:, 3].astype(int),
        upper=data[:, 4],
        points=data[:, 5],
        cost=data[:, 6],
    )


def _old_counts(state: Region, setup: _Setup) -> np.ndarray:
    """Innovations of each class at level >= s on each indicator: (classes, indicators, 4)."""
    result = np.zeros((len(setup.class_costs), state.levels.shape[1], MAX_LEVEL + 1), dtype=int)
    for c in range(len(setup.class_costs)):
        members = state.levels[setup.classes == c]
        for s in range(MAX_LEVEL + 1):
            result[c, :, s] = (members >= s).sum(axis=0)
    return result


def _gain_coefficients(variables: _Variables, divisor_k: float) -> np.ndarray:
    """Points of total each unit of each variable adds (maturity points are divided by D)."""
    return np.where(variables.group == 0, variables.points, variables.points / divisor_k)


def _ordering_rows(variables: _Variables, at_least: np.ndarray):
    """Rows keeping steps nested: var(s) - var(s-1) <= bound, within a group, class and
    indicator (as a sparse matrix)."""
    position = {
        (g, c, i, s): j
        for j, (g, c, i, s) in enumerate(
            zip(variables.group, variables.klass, variables.indicator, variables.level,
                strict=True)
        )
    }  # fmt: skip
    cols, bounds = [], []
    for (g, c, i, s), j in position.items():
        previous = position.get((g, c, i, s - 1))
        if previous is None:
            continue
        cols.append((j, previous))
        bounds.append(at_least[c, i, s - 1] - at_least[c, i, s] if g == 1 else 0.0)
    if not cols:
        return None, None
    data = np.tile([1.0, -1.0], len(cols))
    row_index = np.repeat(np.arange(len(cols)), 2)
    col_index = np.array(cols).ravel()
    matrix = sparse.csr_array(
        (data, (row_index, col_index)), shape=(len(cols), len(variables.group))
    )
    return matrix, np.array(bounds, dtype=float)


def _maturity_k(state: Region, setup: _Setup, k: int) -> float:
    return state.maturity_sum + k * setup.profile_maturity


def _parts(state: Region, setup: _Setup, maturity_sum: float, n: int) -> dict:
    """The formula's parts with the search's count-score rule (``setup.count_allowed``)."""
    return combine(state.spd_total, maturity_sum, n, state.methodology, setup.count_allowed)


def _base_total(state: Region, setup: _Setup, k: int) -> float:
    return float(_parts(state, setup, _maturity_k(state, setup, k), state.n + k)["total"])


def _point_scale(state: Region) -> int:
    """The least factor making every SPD and per-innovation point value a whole number."""
    points = np.concatenate([state.spd_table.ravel(), state.innovation_table.ravel()])
    for scale in _POINT_SCALES:
        if np.allclose(points * scale, np.rint(points * scale), atol=1e-9):
            return scale
    raise UsageError("indicator points are not multiples of 0.01; cannot plan exactly")


def _target_units(state: Region, setup: _Setup, k: int, target_total: float, scale: int) -> int:
    """Whole units (points x divisor x scale) the steps must add for k new innovations."""
    # What the steps must add to the total, beyond the SPD and the count score of n = state.n + k.
    empty = _parts(state, setup, 0.0, state.n + k)
    divisor_k = float(empty["divisor"])
    rest = target_total - float(empty["total"])
    # 1e-6 absorbs binary noise in an exact whole number of units.
    return math.ceil(scale * (divisor_k * rest - _maturity_k(state, setup, k)) - 1e-6)


@dataclass(frozen=True)
class _Subproblem:
    """The target row for exactly k new innovations, in whole units (SPD points count D times,
    as the maturity sum is divided by D; everything times the point scale); ``bound`` a lower
    bound of its cost (None: no steps reach the target)."""

    k: int
    units: np.ndarray
    needed: int
    fixed: float
    bound: float | None


def _subproblem(state, setup, variables, k, target_total, extra, scale) -> _Subproblem:
    divisor_k = float(_parts(state, setup, state.maturity_sum, state.n + k)["divisor"])
    units = np.rint(
        scale * np.where(variables.group == 0, variables.points * divisor_k, variables.points)
    )
    needed = _target_units(state, setup, k, target_total, scale) + extra
    fixed = k * setup.add_cost if k else 0.0
    if needed <= 0:
        bound = fixed
    elif float(units @ variables.upper) < needed:
        bound = None
    else:
        bound = fixed + _relaxed_cost(variables.cost, units, variables.upper, needed)
    return _Subproblem(k, units, needed, fixed, bound)


def _relaxed_cost(cost, units, upper, needed: float) -> float:
    """The least cost of ``needed`` units with fractional steps and no level ordering: a lower
    bound of the integer program's cost (greedy by cost per unit, the last step in part)."""
    useful = (units > 0) & (upper > 0) & np.isfinite(cost)
    cost, units, upper = cost[useful], units[useful], upper[useful]
    order = np.argsort(cost / units, kind="stable")
    cost, units, upper = cost[order], units[order], upper[order]
    supply = units * upper
    before = np.cumsum(supply) - supply
    taken = np.clip((needed - before) / units, 0.0, upper)
    return float(cost @ taken)


def _solve_k(variables, ordering, problem: _Subproblem, time_limit):
    """The cheapest steps of one sub-problem: (cost, values, optimal, gap), or None when no
    steps reach the target."""
    units, needed, fixed = problem.units, problem.needed, problem.fixed
    if needed <= 0:
        return fixed, np.zeros(len(units)), True, 0.0
    constraints = [LinearConstraint(units[None, :], lb=needed, ub=np.inf)]
    matrix, bounds = ordering
    if matrix is not None:
        constraints.append(LinearConstraint(matrix, lb=-np.inf, ub=bounds))
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
    return fixed + float(variables.cost @ values), values, result.status == 0, gap


def _solve(state, setup, limit, target_total, extra, time_limit) -> _Solution | None:
    """The cheapest steps over k = 0..limit new innovations (ties: the fewest new ones).

    Best first: the sub-problems are solved in the order of their relaxed cost, and none whose
    relaxed cost exceeds the best plan found is solved (the cost usually falls with k, and the
    relaxation is within a step or two of the integer optimum, so one or two are solved)."""
    variables = _variables(state, setup)
    at_least = _old_counts(state, setup)
    ordering = _ordering_rows(variables, at_least)
    scale = _point_scale(state)
    problems = []
    for k in range(len(setup.cover), limit + 1):
        problem = _subproblem(state, setup, variables, k, target_total, extra, scale)
        if problem.bound is not None:
            problems.append(problem)
    best = None
    all_optimal, worst_gap = True, 0.0
    for problem in sorted(problems, key=lambda p: (p.bound, p.k)):
        if best is not None and (
            problem.bound > best[0] + 1e-9
            or (problem.bound >= best[0] - 1e-9 and problem.k > best[1])
        ):
            continue
        found = _solve_k(variables, ordering, problem, time_limit)
        if found is None:
            continue
        cost, values, optimal, gap = found
        all_optimal, worst_gap = all_optimal and optimal, max(worst_gap, gap)
        cheaper = best is None or cost < best[0] - 1e-9
        if cheaper or (cost <= best[0] + 1e-9 and problem.k < best[1]):
            best = (cost, problem.k, values)
    if best is None:
        return None
    cost, k, values = best
    spd_levels = state.spd_levels.copy()
    old = at_least.copy()
    for g, c, i, s, v in zip(
        variables.group, variables.klass, variables.indicator, variables.level, values,
        strict=True,
    ):  # fmt: skip
        if g == 0:
            spd_levels[i] += int(v)
        else:
            old[c, i, s] += int(v)
    return _Solution(cost, k, spd_levels, old, all_optimal, worst_gap)


def _max_iid(state: Region, setup: _Setup, limit: int) -> float:
    """The highest IID (rounded) that any plan within the limits reaches."""
    variables = _variables(state, setup)
    best = -np.inf
    for k in range(len(setup.cover), limit + 1):
        divisor_k = float(_parts(state, setup, state.maturity_sum, state.n + k)["divisor"])
        coefficients = _gain_coefficients(variables, divisor_k)
        total = _base_total(state, setup, k) + float(coefficients @ variables.upper)
        best = max(best, float(iid_of_total(total, state.methodology)))
    return round_published(best)


# --- from counts back to actions -----------------------------------------------------------
def _plan_from_solution(state, setup, solution, target, score_before, max_iid, new_opds) -> Plan:
    actions = _spd_actions(state, solution) + _old_actions(state, setup, solution)
    actions += _new_actions(state, setup, solution, new_opds)
    action_cost = getattr(setup.costs, "action_cost", None)
    dates: dict = {}  # the dating of a step depends only on its indicator and levels

    def finish(action: Action, cost: float, gain: float) -> Action:  # one copy per action
        if action_cost is not None:
            cost = action_cost(action)
        return _dated(action, setup, dates, cost=cost, iid_gain=gain)

    actions = with_costs_and_gains(state, actions, setup.costs, finish=finish)
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
        new_profile=tuple(setup.profile.items()),
        new_innovation_cost=setup.add_cost,
        urusan_cover=setup.cover,
        after=after,
    )


def _dated(
    action: Action, setup: _Setup, dates: dict | None = None, *, cost: float, **more: object
) -> Action:
    """``action`` with ``cost``, its kind of change, lead time and (with a calendar) its
    deadline, and the fields in ``more``. ``dates``: a memo shared by the actions of one plan
    (same setup)."""
    key = (action.kind, action.indicator, action.from_level, action.to_level)
    fields = None if dates is None else dates.get(key)
    if fields is None:
        costs = setup.costs
        if action.kind == "add_innovation":
            change, lead = NEW_INNOVATION, setup.add_lead_weeks
        else:
            levels = range(action.from_level + 1, action.to_level + 1)
            lead = max((costs.step_lead(action.indicator, s) for s in levels), default=0.0)
            change = costs.step_change(action.indicator, action.to_level)
        calendar = setup.calendar
        fields = {
            "change_kind": "action", "change": change, "lead_weeks": float(lead),
            "deadline": None if calendar is None else calendar.deadline(lead).isoformat(),
            "start_by": None if calendar is None else calendar.start_by(lead).isoformat(),
        }  # fmt: skip
        if dates is not None:
            dates[key] = fields
    return replace(action, cost=cost, **fields, **more)


def _no_plan(state, setup, target, score_before, max_iid, message, missing=()) -> Plan:
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
        new_profile=tuple(setup.profile.items()),
        new_innovation_cost=setup.add_cost,
        urusan_missing=tuple(missing),
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


def _old_actions(state: Region, setup: _Setup, solution: _Solution) -> list[Action]:
    after = state.levels.copy()
    for c in range(len(setup.class_costs)):
        members = np.flatnonzero(setup.classes == c)
        for i in range(state.levels.shape[1]):
            after[members, i] = final_levels(state.levels[members, i], solution.old_counts[c, i])
    numbers = state.methodology.innovation_numbers
    ids, opds = state.ids, state.opds
    rows, cols = np.nonzero(after > state.levels)
    return [
        raise_level(numbers[c], state.levels[r, c], after[r, c], ids[r], opds[r])
        for r, c in zip(rows, cols, strict=True)
    ]


def _new_actions(state: Region, setup: _Setup, solution: _Solution, new_opds) -> list[Action]:
    if solution.k == 0:
        return []
    opds = assign_opds(state, solution.k, new_opds)
    ids = new_innovation_ids(state.ids, solution.k)
    cover = setup.cover + (None,) * (solution.k - len(setup.cover))
    if not new_opds:
        opds = [_urusan_opd(state, u) or opd for u, opd in zip(cover, opds, strict=True)]
    return [
        add_innovation(ids[t], opds[t], setup.profile, urusan=cover[t])
        for t in range(solution.k)
    ]


def _urusan_opd(state: Region, urusan: str | None) -> str | None:
    """The region's OPD whose name names ``urusan`` (``Dinas Kesehatan``, ``Dinsos``), the one
    with the fewest accepted innovations (ties by name); None when there is none."""
    if urusan is None:
        return None
    owned = pd.Series(state.opds)[~state.rejected].value_counts().to_dict()
    named = [opd for opd in set(state.opds) if urusan in basic_urusan_in(opd)]
    return min(named, key=lambda o: (owned.get(o, 0), o)) if named else None
