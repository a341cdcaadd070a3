"""Named scenarios the city talks about, each a list of actions, composable in a stated order.

A scenario is a small frozen object with a ``name`` and ``actions(state, costs)``; running
several applies them one after the other, each seeing the data the previous ones left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..inputs.region import Region
from ..scoring import RegionScore
from .actions import (
    Action,
    actions_frame,
    add_innovation,
    apply_to_region,
    assign_opds,
    new_innovation_ids,
    raise_level,
    with_costs_and_gains,
)
from .change import ACTION, EVIDENCE, first_year_profile
from .costs import KIND_ADD, CostTable
from .effort import as_effort
from .state import MAX_LEVEL, cheapest_raise, levels_for_maturity

REPLICATION_INDICATOR = "31"
"""Replikasi: 'Replication by other regional governments'."""

STEP_COLUMNS = (
    "scenario",
    "n_actions",
    "n_new_innovations",
    "cost",
    "iid_before",
    "iid_after",
    "iid_gain",
)


def first_year_ceiling(methodology, costs: CostTable) -> np.ndarray:
    """The highest level a new innovation may reach on each indicator 16..35 in its first
    year: its first-year level where a step above it is not an action (records, evidence of a
    history it does not have) or is a replication, else 3."""
    profile = first_year_profile(methodology).levels_dict
    result = []
    for number in methodology.innovation_numbers:
        level = profile[number]
        above = [costs.step_kind(number, s) for s in range(level + 1, MAX_LEVEL + 1)]
        blocked = any(k != ACTION for k in above) or number == REPLICATION_INDICATOR
        result.append(level if blocked else MAX_LEVEL)
    return np.array(result, dtype=int)


def _new_innovations(
    state: Region, costs: CostTable, opds: Sequence[str], maturity: int
) -> list[Action]:
    """New innovations at ``maturity`` (at most what a first-year innovation can have), by the
    cheapest levels within the first-year ceilings. A step up to the first-year level that is
    not an action for an existing innovation (e.g. staff already counted) comes with creating
    it; a step the costs forbid stays forbidden."""
    methodology = state.methodology
    ceiling = first_year_ceiling(methodology, costs)
    first = first_year_profile(methodology).levels_dict
    step_costs = costs.level_costs(methodology, "INOVASI").copy()
    for i, number in enumerate(methodology.innovation_numbers):
        for s in range(1, first[number] + 1):
            if costs.step_kind(number, s) != ACTION:
                step_costs[i, s - 1] = 0.0
    table = methodology.points_table("INOVASI")
    highest = int(sum(table[i, ceiling[i]] for i in range(len(ceiling))))
    levels = levels_for_maturity(min(int(maturity), highest), methodology, step_costs, ceiling)
    ids = new_innovation_ids(state.ids, len(opds))
    return [add_innovation(i, opd, levels) for i, opd in zip(ids, opds, strict=True)]


@dataclass(frozen=True)
class ReachCount:
    """Add new innovations at ``maturity`` until there are ``n_innovations`` (e.g. the 200 cap).

    New innovations go to ``opds`` in turn, or each to the OPD with the fewest accepted ones.
    Their levels are the cheapest ones giving exactly that maturity.
    """

    n_innovations: int
    maturity: int
    opds: tuple[str, ...] | None = None

    @property
    def name(self) -> str:
        return f"reach {self.n_innovations} innovations at maturity {self.maturity}"

    def actions(self, state: Region, costs: CostTable) -> list[Action]:
        count = max(self.n_innovations - state.n, 0)
        if not count:
            return []
        return _new_innovations(state, costs, assign_opds(state, count, self.opds), self.maturity)


@dataclass(frozen=True)
class OneOpdMoreThanOne:
    """*One OPD More Than One Innovation*: every OPD with fewer than ``minimum`` accepted
    innovations gets new ones at ``maturity`` up to ``minimum``.

    OPDs are the distinct ``opd`` values of the innovations (rejected ones included, so an OPD
    whose only innovation was rejected needs two new ones).
    """

    maturity: int
    minimum: int = 2

    @property
    def name(self) -> str:
        return f"every OPD at least {self.minimum} innovations at maturity {self.maturity}"

    def actions(self, state: Region, costs: CostTable) -> list[Action]:
        owned = pd.Series(state.opds)[~state.rejected].value_counts()
        opds = []
        for opd in dict.fromkeys(state.opds):
            opds.extend([opd] * max(self.minimum - int(owned.get(opd, 0)), 0))
        return _new_innovations(state, costs, opds, self.maturity) if opds else []


@dataclass(frozen=True)
class Replication:
    """Raise the replication indicator (31) to ``to_level`` on the ``k`` accepted innovations
    where that gains most (the lowest current levels; ties in input order)."""

    k: int
    to_level: int = MAX_LEVEL

    @property
    def name(self) -> str:
        return f"replication (indicator 31) to level {self.to_level} on {self.k} innovations"

    def actions(self, state: Region, costs: CostTable) -> list[Action]:
        if self.k < 0 or not 0 <= self.to_level <= MAX_LEVEL:
            raise UsageError(
                f"replication needs k >= 0 and a level 0..3, got {self.k}, {self.to_level}"
            )
        column = state.methodology.innovation_numbers.index(REPLICATION_INDICATOR)
        indicator = state.methodology.indicator(REPLICATION_INDICATOR)
        current = state.levels[:, column]
        gain = np.array([indicator.points(self.to_level) - indicator.points(lv) for lv in current])
        candidates = np.flatnonzero(~state.rejected & (current < self.to_level))
        chosen = candidates[np.argsort(-gain[candidates], kind="stable")][: self.k]
        ids, opds = state.ids, state.opds
        return [
            raise_level(REPLICATION_INDICATOR, current[j], self.to_level, ids[j], opds[j])
            for j in sorted(chosen)
        ]


@dataclass(frozen=True)
class MaturityUpgrade:
    """Bring every accepted innovation below maturity ``target_maturity`` up to it (or just
    above, when steps do not add up exactly), by its cheapest level-ups under the costs; an
    innovation whose action steps cannot reach it goes as far as they allow (records and
    evidence are never raised)."""

    target_maturity: int

    @property
    def name(self) -> str:
        return f"every innovation at maturity {self.target_maturity} or more"

    def actions(self, state: Region, costs: CostTable) -> list[Action]:
        methodology = state.methodology
        if not 0 <= self.target_maturity <= methodology.max_innovation:
            raise UsageError(
                f"a maturity must lie in 0..{methodology.max_innovation:g}, "
                f"got {self.target_maturity}"
            )
        step_costs = costs.level_costs(methodology, "INOVASI")
        numbers = methodology.innovation_numbers
        ids, opds = state.ids, state.opds
        result = []
        for j in np.flatnonzero(~state.rejected & (state.maturities < self.target_maturity)):
            needed = int(np.ceil(self.target_maturity - state.maturities[j]))
            after = cheapest_raise(state.innovation_table, state.levels[j], step_costs, needed)
            if after is None:  # as close as its action steps allow
                after = _highest_levels(state.levels[j], step_costs)
            result.extend(
                raise_level(numbers[c], state.levels[j, c], after[c], ids[j], opds[j])
                for c in np.flatnonzero(after > state.levels[j])
            )
        return result


def _highest_levels(levels: np.ndarray, step_costs: np.ndarray) -> np.ndarray:
    """Each indicator raised through every consecutive step the costs allow."""
    result = np.asarray(levels, dtype=int).copy()
    for i in range(len(result)):
        while result[i] < MAX_LEVEL and np.isfinite(step_costs[i, result[i]]):
            result[i] += 1
    return result


@dataclass(frozen=True)
class MeetEveryIndicator:
    """No indicator left at level 0: every SPD indicator and every indicator of every accepted
    innovation at level 0 goes to level 1 (outcomes and records excepted; an evidence step
    counts as checking and uploading the evidence)."""

    @property
    def name(self) -> str:
        return "every indicator answered (no level 0)"

    def actions(self, state: Region, costs: CostTable) -> list[Action]:
        spd_numbers = state.methodology.spd_numbers
        numbers = state.methodology.innovation_numbers
        result = [
            raise_level(spd_numbers[i], 0, 1) for i in np.flatnonzero(state.spd_levels == 0)
            if costs.step_kind(spd_numbers[i], 1) in (ACTION, EVIDENCE)
        ]  # fmt: skip
        doable = np.array([costs.step_kind(n, 1) in (ACTION, EVIDENCE) for n in numbers])
        rows, cols = np.nonzero((state.levels == 0) & ~state.rejected[:, None] & doable[None, :])
        ids, opds = state.ids, state.opds
        result.extend(
            raise_level(numbers[c], 0, 1, ids[r], opds[r])
            for r, c in zip(rows, cols, strict=True)
        )
        return result


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    """Scenarios applied in order: the scores before and after, every action taken (with its
    cost and sequential IID gain), and ``steps``, one row per scenario with columns scenario,
    n_actions, n_new_innovations, cost, iid_before, iid_after (rounded) and iid_gain
    (unrounded). ``spd``/``innovations`` are the tables after all scenarios."""

    names: tuple[str, ...]
    before: RegionScore
    after: RegionScore
    actions: tuple[Action, ...]
    total_cost: float
    steps: pd.DataFrame
    spd: pd.DataFrame
    innovations: pd.DataFrame

    @property
    def provisional_rules(self) -> tuple[str, ...]:
        return self.after.provisional_rules

    def actions_table(self) -> pd.DataFrame:
        return actions_frame(self.actions)


def run_scenarios(
    region: Region,
    scenarios: Sequence,
    costs: CostTable | None = None,
) -> ScenarioResult:
    """Apply ``scenarios`` one after the other (each sees the previous one's result).

    ``costs``: default the shipped effort model (hari kerja), the same as plans use, so a
    scenario's effort is the sum of its actions' efforts (an evidence step costs checking and
    uploading it). Raises :class:`UsageError` for a scenario that cannot be carried out.
    """
    state = region
    costs = as_effort(costs, state.methodology)
    before = state.score()
    taken, rows = [], []
    for scenario in scenarios:
        score = state.score()
        actions = with_costs_and_gains(
            state, scenario.actions(state, costs), costs,
            finish=lambda a, _cost, gain: replace(a, cost=scenario_effort(costs, a), iid_gain=gain),
        )
        state = apply_to_region(state, actions)
        after = state.score()
        taken.extend(actions)
        rows.append(
            {
                "scenario": scenario.name,
                "n_actions": len(actions),
                "n_new_innovations": sum(a.kind == "add_innovation" for a in actions),
                "cost": float(sum(a.cost for a in actions)),
                "iid_before": score.iid,
                "iid_after": after.iid,
                "iid_gain": after.iid_unrounded - score.iid_unrounded,
            }
        )
    return ScenarioResult(
        names=tuple(s.name for s in scenarios),
        before=before,
        after=state.score(),
        actions=tuple(taken),
        total_cost=float(sum(a.cost for a in taken)),
        steps=pd.DataFrame(rows, columns=list(STEP_COLUMNS)),
        spd=state.spd,
        innovations=state.innovations,
    )


CHECK_EFFORT = 1.0
"""Effort (hari kerja) of checking and uploading the evidence of one evidence step."""


def scenario_effort(costs: CostTable, action: Action) -> float:
    """The effort of a scenario's action from the effort model: a new innovation's creation,
    each action step's effort, :data:`CHECK_EFFORT` for an evidence step."""
    if action.kind == KIND_ADD:
        return float(costs.levels_cost(action.levels_dict))
    total = 0.0
    for s in range(action.from_level + 1, action.to_level + 1):
        if costs.step_kind(action.indicator, s) == EVIDENCE:
            total += CHECK_EFFORT
        elif hasattr(costs, "level_cost_for"):
            total += costs.level_cost_for(action.indicator, s, action.opd, action.innovation_id)
        else:
            total += costs.step_cost(action.indicator)
    return float(total)
