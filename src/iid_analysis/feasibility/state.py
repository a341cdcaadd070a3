"""A region's indicator data as arrays, the form every feasibility computation works on.

The formula itself is never restated here: IIDs come from :func:`iid_analysis.scoring.combine`
(and, for results, :func:`iid_analysis.scoring.score_region`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..methodology import INOVASI, LEVELS, SPD, Methodology
from ..scoring import RegionScore, combine, maturity, score_region
from ..validation import STATUS_REJECTED, check_innovations, check_spd

MAX_LEVEL = LEVELS[-1]


@dataclass(frozen=True, eq=False)
class RegionArrays:
    """One region's validated indicator data under one year's rules.

    ``spd`` and ``innovations`` are the normalised frames (every SPD indicator listed; wide
    innovations with columns ``16``..``35``); ``spd_levels`` (SPD indicators, table order) and
    ``levels`` (innovations x indicators 16..35) are the same levels as int arrays.
    ``spd_table`` and ``innovation_table`` are the points by indicator (rows, table order) and
    level 0..3 (columns) of the two aspects.
    """

    methodology: Methodology
    spd: pd.DataFrame
    innovations: pd.DataFrame
    spd_levels: np.ndarray
    levels: np.ndarray
    rejected: np.ndarray
    spd_table: np.ndarray
    innovation_table: np.ndarray

    @classmethod
    def from_frames(
        cls, spd: pd.DataFrame, innovations: pd.DataFrame, methodology: Methodology
    ) -> RegionArrays:
        """Validate the frames (raising :class:`IIDDataError` subclasses) and build the arrays."""
        methodology.require_scoring()
        spd_by_number = check_spd(spd, methodology)
        spd_numbers = methodology.spd_numbers
        spd_levels = np.array([spd_by_number.get(n, 0) for n in spd_numbers], dtype=int)
        table = check_innovations(innovations, methodology).drop(columns="_row", errors="ignore")
        table = table.reset_index(drop=True)
        levels = table[list(methodology.innovation_numbers)].to_numpy(dtype=int)
        return cls(
            methodology=methodology,
            spd=pd.DataFrame({"indicator": list(spd_numbers), "level": spd_levels}),
            innovations=table,
            spd_levels=spd_levels,
            levels=levels.reshape(len(table), len(methodology.innovation_numbers)),
            rejected=(table["status"] == STATUS_REJECTED).to_numpy(),
            spd_table=methodology.points_table(SPD),
            innovation_table=methodology.points_table(INOVASI),
        )

    # --- profile ------------------------------------------------------------------------
    @property
    def n(self) -> int:
        return int(self.levels.shape[0])

    @property
    def ids(self) -> list[str]:
        return list(self.innovations["innovation_id"])

    @property
    def opds(self) -> list[str]:
        return list(self.innovations["opd"])

    @property
    def stages(self) -> np.ndarray:
        return self.innovations["stage"].to_numpy()

    # --- points ---------------------------------------------------------------------------
    @property
    def spd_total(self) -> float:
        table = self.spd_table
        return float(table[np.arange(len(table)), self.spd_levels].sum())

    @property
    def maturities(self) -> np.ndarray:
        """Kematangan of each innovation (0 when rejected)."""
        return maturity(self.levels, self.rejected, self.methodology)

    @property
    def maturity_sum(self) -> float:
        return float(self.maturities.sum())

    def iid_unrounded(self, spd_total=None, maturity_sum=None, n=None):
        """The unrounded IID, with any of its three inputs replaced (scalars or arrays)."""
        parts = combine(
            self.spd_total if spd_total is None else spd_total,
            self.maturity_sum if maturity_sum is None else maturity_sum,
            self.n if n is None else n,
            self.methodology,
        )
        return parts["iid_unrounded"]

    def score(self) -> RegionScore:
        """The region's score by the scoring engine (with its provisional rules)."""
        return score_region(self.spd, self.innovations, self.methodology)


def cheapest_raise(
    points: np.ndarray,
    levels: np.ndarray,
    step_costs: np.ndarray,
    needed: int,
    *,
    exact: bool = False,
) -> np.ndarray | None:
    """The cheapest new levels adding at least (or, with ``exact``, exactly) ``needed`` points.

    ``points`` is an (indicators x 4) points table with whole-number points, ``levels`` the
    current levels, ``step_costs`` the cost of one step on each indicator (``inf`` forbids it).
    A multiple-choice knapsack solved by dynamic programming over points; ties go to fewer
    steps on earlier indicators. Returns the new levels, or None when no raise adds enough.
    """
    whole = np.rint(points)
    if not np.allclose(points, whole):
        raise UsageError("cheapest_raise needs whole-number points (the per-innovation table)")
    needed = int(max(needed, 0))
    costs = np.full(needed + 1, np.inf)
    costs[0] = 0.0
    choices = []
    target = np.arange(needed + 1)
    for i, level in enumerate(np.asarray(levels, dtype=int)):
        best = np.full(needed + 1, np.inf)
        best_step = np.zeros(needed + 1, dtype=int)
        for steps in range(MAX_LEVEL - level + 1):
            step_cost = steps * step_costs[i] if steps else 0.0
            if not np.isfinite(step_cost):
                break
            gain = int(whole[i, level + steps] - whole[i, level])
            source = target - gain
            if exact:
                valid = source >= 0
                candidate = np.full(needed + 1, np.inf)
                candidate[valid] = costs[source[valid]] + step_cost
            else:
                candidate = costs[np.maximum(source, 0)] + step_cost
            better = candidate < best - 1e-12
            best = np.where(better, candidate, best)
            best_step = np.where(better, steps, best_step)
        costs = best
        choices.append(best_step)
    if not np.isfinite(costs[needed]):
        return None
    result = np.asarray(levels, dtype=int).copy()
    remaining = needed
    for i in range(len(choices) - 1, -1, -1):
        steps = int(choices[i][remaining])
        gain = int(whole[i, result[i] + steps] - whole[i, result[i]])
        result[i] += steps
        remaining = max(remaining - gain, 0)
    return result


def levels_for_maturity(
    target_maturity: int, methodology: Methodology, step_costs: np.ndarray | None = None
) -> dict[str, int]:
    """Levels of a new innovation whose maturity is exactly ``target_maturity``, cheapest first.

    ``step_costs``: cost of one step on each indicator 16..35 (default 1 each). Raises
    :class:`UsageError` when no combination of levels gives that maturity.
    """
    numbers = methodology.innovation_numbers
    costs = np.ones(len(numbers)) if step_costs is None else np.asarray(step_costs, dtype=float)
    if not 0 <= target_maturity <= methodology.max_innovation:
        raise UsageError(
            f"a maturity must lie in 0..{methodology.max_innovation:g}, got {target_maturity}"
        )
    levels = cheapest_raise(
        methodology.points_table(INOVASI),
        np.zeros(len(numbers), dtype=int),
        costs,
        int(round(target_maturity)),
        exact=True,
    )
    if levels is None:
        raise UsageError(f"no levels of the allowed indicators give maturity {target_maturity}")
    return dict(zip(numbers, (int(v) for v in levels), strict=True))
