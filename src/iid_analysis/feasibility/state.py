"""Cheapest level raises: the knapsack behind plans and new-innovation profiles.

The region's data itself is a :class:`iid_analysis.inputs.region.Region`.
"""

from __future__ import annotations

import numpy as np

from ..errors import UsageError
from ..methodology import INOVASI, LEVELS, Methodology

MAX_LEVEL = LEVELS[-1]


def cheapest_raise(
    points: np.ndarray,
    levels: np.ndarray,
    step_costs: np.ndarray,
    needed: int,
    *,
    exact: bool = False,
    ceiling: np.ndarray | None = None,
) -> np.ndarray | None:
    """The cheapest new levels adding at least (or, with ``exact``, exactly) ``needed`` points.

    ``points`` is an (indicators x 4) points table with whole-number points, ``levels`` the
    current levels, ``step_costs`` the cost of one step on each indicator, or (indicators x 3)
    the cost of the step to level 1, 2, 3 (``inf`` forbids it and the steps above it);
    ``ceiling``: the highest level each indicator may reach (default 3).
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
    per_level = np.ndim(step_costs) == 2
    top = np.full(len(levels), MAX_LEVEL) if ceiling is None else np.asarray(ceiling, dtype=int)
    for i, level in enumerate(np.asarray(levels, dtype=int).tolist()):
        paid = [0.0]  # the cost of taking 0, 1, ... steps, up to the first step not allowed
        for steps in range(1, max(int(top[i]) - level, 0) + 1):
            if per_level:
                step_cost = float(np.sum(step_costs[i, level:level + steps]))
            else:
                step_cost = steps * step_costs[i]
            if not np.isfinite(step_cost):
                break
            paid.append(step_cost)
        if len(paid) == 1:  # no step allowed: the costs so far stand, no step taken
            choices.append(np.zeros(needed + 1, dtype=int))
            continue
        # Every number of steps at once (rows), then the first best one kept in order.
        gains = (whole[i, level:level + len(paid)] - whole[i, level]).astype(int)
        source = target[None, :] - gains[:, None]
        candidates = costs[np.maximum(source, 0)] + np.array(paid)[:, None]
        if exact:
            candidates = np.where(source >= 0, candidates, np.inf)
        best = candidates[0].copy()
        best_step = np.zeros(needed + 1, dtype=int)
        for steps in range(1, len(paid)):
            better = candidates[steps] < best - 1e-12
            best = np.where(better, candidates[steps], best)
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
    target_maturity: int,
    methodology: Methodology,
    step_costs: np.ndarray | None = None,
    ceiling: np.ndarray | None = None,
) -> dict[str, int]:
    """Levels of a new innovation whose maturity is exactly ``target_maturity``, cheapest first.

    ``step_costs``: cost of one step on each indicator 16..35 (default 1 each; or per level,
    see :func:`cheapest_raise`); ``ceiling``: the highest level of each indicator. Raises
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
        ceiling=ceiling,
    )
    if levels is None:
        raise UsageError(f"no levels of the allowed indicators give maturity {target_maturity}")
    return dict(zip(numbers, (int(v) for v in levels), strict=True))
