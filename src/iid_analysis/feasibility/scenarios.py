"""Named scenarios the city talks about, each a list of actions, composable in a stated order.

A scenario is a small frozen object with a ``name`` and ``actions(state, costs)``; running
several applies them one after the other, each seeing the data the previous ones left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..inputs.region import Region, region_and_args
from ..scoring import RegionScore
from .actions import (
    Action,
    actions_frame,
    add_innovation,
    apply_to_region,
    raise_level,
    with_costs_and_gains,
)
from .costs import CostTable
from .optimize import assign_opds, new_innovation_ids
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


def _new_innovations(
    state: Region, costs: CostTable, opds: Sequence[str], maturity: int
) -> list[Action]:
    methodology = state.methodology
    levels = levels_for_maturity(maturity, methodology, costs.step_costs(methodology, "INOVASI"))
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
    above, when steps do not add up exactly), by its cheapest level-ups under the costs."""

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
        step_costs = costs.step_costs(methodology, "INOVASI")
        numbers = methodology.innovation_numbers
        ids, opds = state.ids, state.opds
        result = []
        for j in np.flatnonzero(~state.rejected & (state.maturities < self.target_maturity)):
            needed = int(np.ceil(self.target_maturity - state.maturities[j]))
            after = cheapest_raise(state.innovation_table, state.levels[j], step_costs, needed)
            if after is None:
                raise UsageError(
                    f"innovation {ids[j]} cannot reach maturity {self.target_maturity} "
                    "with the indicators the costs allow"
                )
            result.extend(
                raise_level(numbers[c], state.levels[j, c], after[c], ids[j], opds[j])
                for c in np.flatnonzero(after > state.levels[j])
            )
        return result


@dataclass(frozen=True)
class MeetEveryIndicator:
    """No indicator left at level 0: every SPD indicator and every indicator of every accepted
    innovation at level 0 goes to level 1."""

    @property
    def name(self) -> str:
        return "every indicator answered (no level 0)"

    def actions(self, state: Region, costs: CostTable) -> list[Action]:
        del costs
        spd_numbers = state.methodology.spd_numbers
        numbers = state.methodology.innovation_numbers
        result = [raise_level(spd_numbers[i], 0, 1) for i in np.flatnonzero(state.spd_levels == 0)]
        rows, cols = np.nonzero((state.levels == 0) & ~state.rejected[:, None])
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
    region: Region | pd.DataFrame,
    *args,
    costs: CostTable | None = None,
) -> ScenarioResult:
    """Apply ``scenarios`` one after the other (each sees the previous one's result).

    Called as ``run_scenarios(region, scenarios)`` or, with frames,
    ``run_scenarios(spd, innovations, methodology, scenarios)``. Raises :class:`UsageError` for
    a scenario that cannot be carried out, and the :class:`IIDDataError` subclasses of
    validation for bad input tables.
    """
    state, (scenarios,) = region_and_args(region, args, ("scenarios",))
    costs = costs or CostTable()
    before = state.score()
    taken, rows = [], []
    for scenario in scenarios:
        score = state.score()
        actions = with_costs_and_gains(state, scenario.actions(state, costs), costs)
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
