"""Scores of one probabilistic forecast against what was published (lower is better)."""

from __future__ import annotations

import numpy as np

from .models import round_draws

INTERVAL_LEVELS = (0.50, 0.80, 0.90)
"""Central intervals every forecast is scored at (as in the report's chart)."""
LEVEL_KEYS = tuple(f"{round(level * 100)}" for level in INTERVAL_LEVELS)


def interval_score(low: float, high: float, observed: float, level: float) -> float:
    """Interval (Winkler) score of a central ``level`` interval: width plus 2/alpha times the
    miss, alpha = 1 - level (Gneiting and Raftery 2007).

    Lower is better; a hit scores its width.
    """
    alpha = 1.0 - level
    penalty = max(low - observed, 0.0) + max(observed - high, 0.0)
    return (high - low) + 2.0 / alpha * penalty


def crps_from_draws(draws: np.ndarray, observed: float) -> float:
    """Continuous ranked probability score of a sample: E|X - y| - E|X - X'| / 2.

    E|X - X'| over all ordered pairs of the sorted sample x_(1..n) is
    2 / n^2 x sum_i (2i - n - 1) x_(i). Same units as the IID; lower is better.
    """
    x = np.sort(np.asarray(draws, dtype=float))
    n = len(x)
    spread = 2.0 / n**2 * np.sum((2.0 * np.arange(1, n + 1) - n - 1.0) * x)
    return float(np.mean(np.abs(x - observed)) - 0.5 * spread)


def score_forecast(draws: np.ndarray, observed: float, last_value: float) -> dict[str, float]:
    """Every score of one forecast: median, mean, lower/upper_<50|80|90>, covered_<..> (0/1),
    interval_score_<..>, crps, abs_error (|median - observed|), prob_increase (P(published draw >
    last_value)), increased (0/1), pit (share of draws <= observed)."""
    tails = [((1 - level) / 2, (1 + level) / 2) for level in INTERVAL_LEVELS]
    # One sort for every quantile: the median, then each interval's two ends.
    cuts = np.quantile(draws, [0.5, *(q for pair in tails for q in pair)])
    row: dict[str, float] = {"median": float(cuts[0]), "mean": float(np.mean(draws))}
    for k, level in enumerate(INTERVAL_LEVELS):
        key = f"{round(level * 100)}"
        low, high = float(cuts[1 + 2 * k]), float(cuts[2 + 2 * k])
        row[f"lower_{key}"], row[f"upper_{key}"] = low, high
        row[f"covered_{key}"] = float(low <= observed <= high)
        row[f"interval_score_{key}"] = interval_score(low, high, observed, level)
    row["crps"] = crps_from_draws(draws, observed)
    row["abs_error"] = abs(row["median"] - observed)
    row["prob_increase"] = float(np.mean(round_draws(draws) > last_value + 1e-9))
    row["increased"] = float(observed > last_value)
    row["pit"] = float(np.mean(draws <= observed))
    return row
