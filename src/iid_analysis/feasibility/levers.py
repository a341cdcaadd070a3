"""Marginal values of the city's levers, in IID points (unrounded IID after minus before).

Each public function takes a :class:`~iid_analysis.inputs.region.Region`, or the SPD and innovation
frames and the rules (validated into a region first).

Every table comes from one region's data under one year's rules; every gain is computed by the
scoring engine's :func:`~iid_analysis.scoring.combine` from changed inputs, never by a restated
formula.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..inputs.region import Region
from ..scoring import maturity
from .change import change_table
from .state import MAX_LEVEL

SCOPE_SPD = "spd"
SCOPE_INNOVATION = "innovation"
SCOPE_ALL = "all_innovations"

LEVEL_UP_COLUMNS = (
    "scope",
    "innovation_id",
    "opd",
    "indicator",
    "name_en",
    "from_level",
    "to_level",
    "n_affected",
    "points_gain",
    "iid_gain",
    "change_kind",
)


def level_up_values(
    region: Region,
) -> pd.DataFrame:
    """Every one-step level-up from the current levels, with its IID gain, best first.

    Rows: each SPD indicator below level 3 (scope ``spd``); each indicator below level 3 of each
    innovation not rejected (scope ``innovation``; a rejected innovation scores 0 whatever its
    levels); and, per indicator and level, the same step on every innovation at that level at
    once (scope ``all_innovations``). Columns: scope, innovation_id ('' unless scope is
    ``innovation``), opd, indicator, name_en, from_level, to_level, n_affected, points_gain
    (SPD points, or maturity points summed over the innovations affected), iid_gain,
    change_kind (``action``, ``evidence``, ``record`` or ``outcome``: what the step is, from
    ``data/effort/change_kinds.csv``; a lever's value is shown whatever its kind, but only actions
    enter a plan).
    """
    return level_up_table(region)


def level_up_table(state: Region) -> pd.DataFrame:
    """:func:`level_up_values` for data already in arrays."""
    frames = [_spd_steps(state), _innovation_steps(state), _all_innovation_steps(state)]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=list(LEVEL_UP_COLUMNS))
    table = pd.concat(frames, ignore_index=True)
    table["iid_gain"] = (
        state.iid_unrounded(
            spd_total=state.spd_total + table["spd_gain"].to_numpy(),
            maturity_sum=state.maturity_sum + table["maturity_gain"].to_numpy(),
        )
        - state.iid_unrounded()
    )
    table["points_gain"] = table["spd_gain"] + table["maturity_gain"]
    kinds = change_table(state.methodology)
    table["change_kind"] = [
        kinds.kind(n, int(to)) for n, to in zip(table["indicator"], table["to_level"], strict=True)
    ]
    table = table.sort_values(
        ["iid_gain", "scope", "indicator", "innovation_id"],
        ascending=[False, True, True, True],
        kind="mergesort",
    )
    return table[list(LEVEL_UP_COLUMNS)].reset_index(drop=True)


def _step_gain(table: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Points gained by one step up from ``levels`` (indicators on the last axis)."""
    rows = np.arange(table.shape[0])
    up = np.minimum(levels + 1, MAX_LEVEL)
    return table[rows, up] - table[rows, levels]


def _spd_steps(state: Region) -> pd.DataFrame:
    methodology = state.methodology
    open_ = state.spd_levels < MAX_LEVEL
    numbers = np.array(methodology.spd_numbers)[open_]
    return pd.DataFrame(
        {
            "scope": SCOPE_SPD,
            "innovation_id": "",
            "opd": "",
            "indicator": numbers,
            "name_en": [methodology.indicator(n).name_en for n in numbers],
            "from_level": state.spd_levels[open_],
            "to_level": state.spd_levels[open_] + 1,
            "n_affected": 1,
            "spd_gain": _step_gain(state.spd_table, state.spd_levels)[open_],
            "maturity_gain": 0.0,
        }
    )


def _innovation_steps(state: Region) -> pd.DataFrame:
    methodology = state.methodology
    gains = _step_gain(state.innovation_table, state.levels)
    open_ = (state.levels < MAX_LEVEL) & ~state.rejected[:, None]
    rows, cols = np.nonzero(open_)
    numbers = np.array(methodology.innovation_numbers)
    names = np.array([i.name_en for i in methodology.innovation_indicators])
    return pd.DataFrame(
        {
            "scope": SCOPE_INNOVATION,
            "innovation_id": np.array(state.ids, dtype=object)[rows],
            "opd": np.array(state.opds, dtype=object)[rows],
            "indicator": numbers[cols],
            "name_en": names[cols],
            "from_level": state.levels[rows, cols],
            "to_level": state.levels[rows, cols] + 1,
            "n_affected": 1,
            "spd_gain": 0.0,
            "maturity_gain": gains[rows, cols],
        }
    )


def _all_innovation_steps(state: Region) -> pd.DataFrame:
    table = state.innovation_table
    accepted = state.levels[~state.rejected]
    rows = []
    for i, ind in enumerate(state.methodology.innovation_indicators):
        for level in range(MAX_LEVEL):
            count = int((accepted[:, i] == level).sum())
            if count:
                rows.append(
                    {
                        "scope": SCOPE_ALL,
                        "innovation_id": "",
                        "opd": "",
                        "indicator": ind.number,
                        "name_en": ind.name_en,
                        "from_level": level,
                        "to_level": level + 1,
                        "n_affected": count,
                        "spd_gain": 0.0,
                        "maturity_gain": count * (table[i, level + 1] - table[i, level]),
                    }
                )
    return pd.DataFrame(rows)


# --- one more innovation ------------------------------------------------------------------
def new_innovation_values(
    region: Region,
    maturities=None,
) -> pd.DataFrame:
    """The IID gain of one more (accepted) innovation at each maturity, highest first.

    ``maturities`` defaults to every whole maturity 0..max_innovation. Columns: maturity,
    n_after, count_score_gain (points of total from the count score), mean_maturity_before,
    mean_maturity_after (maturity sum / MAX(floor, n)), mean_maturity_gain (points of total),
    iid_gain, lowers_iid (bool).
    """
    return new_innovation_table(region, maturities)


def new_innovation_table(state: Region, maturities=None) -> pd.DataFrame:
    """:func:`new_innovation_values` for data already in arrays."""
    methodology = state.methodology
    if maturities is None:
        maturities = np.arange(int(methodology.max_innovation) + 1)
    maturities = np.asarray(maturities, dtype=float)
    before = state.parts()
    after = state.parts(maturity_sum=state.maturity_sum + maturities, n=state.n + 1)
    table = pd.DataFrame(
        {
            "maturity": maturities,
            "n_after": state.n + 1,
            "count_score_gain": float(after["count_score"] - before["count_score"]),
            "mean_maturity_before": float(before["mean_maturity"]),
            "mean_maturity_after": after["mean_maturity"],
            "iid_gain": after["iid_unrounded"] - before["iid_unrounded"],
        }
    )
    table["mean_maturity_gain"] = table["mean_maturity_after"] - table["mean_maturity_before"]
    table["lowers_iid"] = table["iid_gain"] < 0
    columns = [
        "maturity",
        "n_after",
        "count_score_gain",
        "mean_maturity_before",
        "mean_maturity_after",
        "mean_maturity_gain",
        "iid_gain",
        "lowers_iid",
    ]
    return table.sort_values("maturity", ascending=False, kind="mergesort")[columns].reset_index(
        drop=True
    )


def break_even_maturity(
    region: Region,
) -> float:
    """The maturity below which one more innovation lowers the IID (0 gain exactly at it).

    The gain is linear in the new innovation's maturity m: (S + m) / D(n+1) + C(n+1) against
    S / D(n) + C(n). Below the count cap the count score carries the new innovation, so the
    break-even lies far below the mean maturity (it can be negative: every new innovation helps);
    at or above the cap it is the mean maturity itself; below the divisor floor every new
    innovation helps (D does not change).
    """
    return break_even_from_state(region)


def break_even_from_state(state: Region) -> float:
    """:func:`break_even_maturity` for data already in arrays."""
    # The total is linear in the maturity sum (slope 1 / divisor): with one more innovation at
    # maturity 0 the total falls short of today's by what m / divisor must make up.
    before = state.parts()
    zero = state.parts(n=state.n + 1)
    return float(zero["divisor"]) * float(before["total"] - zero["total"])


# --- withdrawal and rejection ---------------------------------------------------------------
def innovation_values(
    region: Region,
) -> pd.DataFrame:
    """What each innovation is worth: withdrawing it, losing it to rejection, or rescuing it.

    Columns: innovation_id, name, opd, stage, status, maturity (0 when rejected),
    maturity_if_accepted (its levels' points), iid_change_withdraw (IID change if it is not
    submitted at all), iid_change_if_rejected (accepted ones: the IID change if the verifier
    rejects it, which keeps it in n at maturity 0; NaN for rejected ones), iid_change_if_accepted
    (rejected ones: what the rejection costs, i.e. the gain if its evidence were accepted; NaN for
    accepted ones). Sorted by iid_change_withdraw, highest first.
    """
    return innovation_value_table(region)


def innovation_value_table(state: Region) -> pd.DataFrame:
    """:func:`innovation_values` for data already in arrays."""
    scored = state.maturities
    potential = maturity(state.levels, None, state.methodology)
    base = state.iid_unrounded()
    withdraw = state.iid_unrounded(maturity_sum=state.maturity_sum - scored, n=state.n - 1) - base
    swing = state.iid_unrounded(maturity_sum=state.maturity_sum - potential) - base
    rescue = state.iid_unrounded(maturity_sum=state.maturity_sum + potential) - base
    table = state.innovations[["innovation_id", "name", "opd", "stage", "status"]].copy()
    table["maturity"] = scored
    table["maturity_if_accepted"] = potential
    table["iid_change_withdraw"] = withdraw
    table["iid_change_if_rejected"] = np.where(state.rejected, np.nan, swing)
    table["iid_change_if_accepted"] = np.where(state.rejected, rescue, np.nan)
    return table.sort_values("iid_change_withdraw", ascending=False, kind="mergesort").reset_index(
        drop=True
    )
