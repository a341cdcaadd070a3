"""One headline for a target: business as usual against a plan, the ladder of nearby targets,
and which unknown rule carries the plan's risk.

Business as usual is the trend forecast (:mod:`iid_analysis.forecasting.forecast`); "with the plan"
is the
plan's simulated distribution (:func:`~iid_analysis.feasibility.uncertainty.simulate_plan`):
verifier acceptance of each planned step and the rule variants the methodology does not know.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..inputs.region import Region
from ..methodology import PREDICATE_SANGAT_INOVATIF, Methodology
from ..scoring import combine, round_published
from .costs import CostTable
from .uncertainty import (
    DEFAULT_ACCEPTANCE,
    DEFAULT_PLAN_DRAWS,
    DEFAULT_REJECTED_WEIGHTS,
    DEFAULT_STAGE_WEIGHTS,
    EARLY_STAGES,
    REJECTED_RULES,
    STAGE_RULES,
    PlanSearchCache,
    PlanUncertainty,
    RobustPlan,
    _rule_masks,
    plan_for_probability,
    simulate_plan,
)

REPRODUCTION_TOLERANCE = 0.005
"""A variant reproduces a published IID when its IID, rounded as published, is that figure."""
CONTRADICTED_WEIGHT = 0.05
"""Share of its prior weight a rule variant keeps when the region's own published score
contradicts it: the indicator data behind the score may itself be off."""

LADDER_TOLERANCE = 0.5
"""IID points within which each rung's plan is found (coarser than the headline's 0.1)."""
LADDER_COLUMNS = (
    "label",
    "target",
    "p_business_as_usual",
    "p_with_plan",
    "p_with_headline_plan",
    "effort",
    "n_actions",
    "n_new_innovations",
    "plan_reaches",
)
RISK_COLUMNS = ("rule", "variant", "weight", "p_reach_if", "share_of_risk", "n_affected")


# --- which variant the region's own published score supports ------------------------------
def variant_iids(region: Region) -> pd.DataFrame:
    """The region's IID (rounded as published) under each pair of rule variants.

    Columns: stage_rule, rejected_rule, iid_unrounded, iid.
    """
    rows = []
    for s, stage in enumerate(STAGE_RULES):
        for r, rejected in enumerate(REJECTED_RULES):
            counted, scored = _rule_masks(region, np.array([s]), np.array([r]))
            parts = combine(
                region.spd_total,
                float((region.maturities * scored[0]).sum()),
                int(counted[0].sum()),
                region.methodology,
                region.count_allowed,
            )
            value = float(parts["iid_unrounded"])
            rows.append(
                {
                    "stage_rule": stage,
                    "rejected_rule": rejected,
                    "iid_unrounded": value,
                    "iid": round_published(value),
                }
            )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class VariantWeights:
    """Weights of the unknown rules' variants, and what decided them.

    ``reproduces``: for each (stage_rule, rejected_rule), whether it gives the published IID;
    ``evidence`` is False when no published figure could be compared (the prior weights stand).
    """

    stage: Mapping[str, float]
    rejected: Mapping[str, float]
    published_iid: float | None
    reproduces: pd.DataFrame
    evidence: bool


def variant_weights(
    region: Region,
    published_iid: float | None,
    *,
    stage_prior: Mapping[str, float] = DEFAULT_STAGE_WEIGHTS,
    rejected_prior: Mapping[str, float] = DEFAULT_REJECTED_WEIGHTS,
) -> VariantWeights:
    """The prior weights, updated by the region's own published IID for the data's year.

    A variant whose IID does not reproduce ``published_iid`` keeps :data:`CONTRADICTED_WEIGHT`
    of its prior weight; when no variant reproduces it, or none is contradicted, or
    ``published_iid`` is None, the priors stand.
    """
    table = variant_iids(region)
    if published_iid is None:
        table["reproduces"] = np.nan
        return VariantWeights(dict(stage_prior), dict(rejected_prior), None, table, False)
    table["reproduces"] = (table["iid"] - float(published_iid)).abs() <= REPRODUCTION_TOLERANCE
    if table["reproduces"].all() or not table["reproduces"].any():
        return VariantWeights(dict(stage_prior), dict(rejected_prior), published_iid, table, False)
    joint = {
        (row.stage_rule, row.rejected_rule): stage_prior.get(row.stage_rule, 0.0)
        * rejected_prior.get(row.rejected_rule, 0.0)
        * (1.0 if row.reproduces else CONTRADICTED_WEIGHT)
        for row in table.itertuples()
    }
    total = sum(joint.values())
    stage = {s: sum(v for (a, _), v in joint.items() if a == s) / total for s in STAGE_RULES}
    rejected = {
        r: sum(v for (_, b), v in joint.items() if b == r) / total for r in REJECTED_RULES
    }
    return VariantWeights(stage, rejected, published_iid, table, True)


# --- which rule carries the risk ------------------------------------------------------------
def rule_risks(uncertainty: PlanUncertainty, region_after: Region) -> pd.DataFrame:
    """Each non-default rule variant's part in the plan's chance of falling short.

    ``region_after`` is the region with the plan applied. Columns: rule (``stage`` or
    ``rejected``; ``verification`` for the draws under the engine's own rules), variant,
    weight (share of draws), p_reach_if (P(reach) when that variant holds), share_of_risk
    (share of all falling-short draws that fall under it; the rows add up to 1 when any draw
    falls short), n_affected (innovations the variant concerns: early-stage or rejected ones).
    """
    draws = uncertainty.draws
    missed = ~draws["reached"]
    n_missed = int(missed.sum())
    early = int(np.isin(region_after.stages, EARLY_STAGES).sum())
    rejected = int(region_after.rejected.sum())
    default = (draws["stage_rule"] == STAGE_RULES[0]) & (draws["rejected_rule"] == "counted")
    rows = []
    non_default_stage = draws["stage_rule"] != STAGE_RULES[0]
    for variant in STAGE_RULES[1:]:
        mask = draws["stage_rule"] == variant
        rows.append(_risk_row("stage", variant, mask, draws, missed, n_missed, early))
    for variant in REJECTED_RULES[1:]:
        # Draws already counted under a stage variant are not counted twice.
        mask = (draws["rejected_rule"] == variant) & ~non_default_stage
        rows.append(_risk_row("rejected", variant, mask, draws, missed, n_missed, rejected))
    rows.append(_risk_row("verification", "counted", default, draws, missed, n_missed, 0))
    table = pd.DataFrame(rows, columns=list(RISK_COLUMNS))
    return table.sort_values("share_of_risk", ascending=False, kind="stable").reset_index(
        drop=True
    )


def _risk_row(rule, variant, mask, draws, missed, n_missed, n_affected) -> dict:
    n = int(mask.sum())
    return {
        "rule": rule,
        "variant": variant,
        "weight": n / len(draws),
        "p_reach_if": float(draws.loc[mask, "reached"].mean()) if n else float("nan"),
        "share_of_risk": float((mask & missed).sum()) / n_missed if n_missed else 0.0,
        "n_affected": n_affected,
    }


# --- the ladder ------------------------------------------------------------------------------
def ladder_targets(
    last_published: float | None, target: float, rules: Methodology
) -> list[tuple[str, float]]:
    """The rungs: higher than the last published figure, +2, +5, the target itself and the
    Sangat Inovatif band of the target year, each once, within 0..100, lowest first.

    Labels are keys (``above_last``, ``plus_2``, ``plus_5``, ``target``, ``band``) that the
    report words in its language.
    """
    rungs = [("target", float(target))]
    if last_published is not None:
        rungs += [
            ("above_last", round_published(last_published + 0.01)),
            ("plus_2", round_published(last_published + 2.0)),
            ("plus_5", round_published(last_published + 5.0)),
        ]
    band = float(rules.bands[PREDICATE_SANGAT_INOVATIF])
    if last_published is None or band > last_published:
        rungs.append(("band", band))
    seen: dict[float, str] = {}
    for label, value in rungs:
        if 0.0 < value <= 100.0:
            seen.setdefault(round(value, 2), label)
    return sorted(((label, value) for value, label in seen.items()), key=lambda r: r[1])


def target_ladder(
    region: Region,
    rungs: Sequence[tuple[str, float]],
    plan_uncertainty: PlanUncertainty | None,
    business_as_usual: Callable[[float], float] | None,
    *,
    probability: float = 0.8,
    tolerance: float = LADDER_TOLERANCE,
    known: Mapping[float, RobustPlan] | None = None,
    costs: CostTable | None = None,
    max_new_innovations: int | None = None,
    n_draws: int = DEFAULT_PLAN_DRAWS,
    seed: int = 0,
    stage_weights: Mapping[str, float] = DEFAULT_STAGE_WEIGHTS,
    rejected_weights: Mapping[str, float] = DEFAULT_REJECTED_WEIGHTS,
    cache: PlanSearchCache | None = None,
) -> pd.DataFrame:
    """For each rung: P(reach) if the trend continues; the effort of the plan that reaches the
    rung with at least ``probability`` (:func:`plan_for_probability`, to within ``tolerance``)
    and its P(reach); and P(reach) with the headline plan (``plan_uncertainty``'s draws against
    the rung: monotone in the target).

    ``business_as_usual``: P(IID >= t) from the trend forecast (e.g.
    ``forecast.prob_at_least``), or None when there is no forecast. ``known``: robust plans
    already found, by target (the headline's), reused. ``cache``: plans already searched with
    the same settings (:data:`~iid_analysis.feasibility.uncertainty.PlanSearchCache`); the rungs
    share one, so a rung starts from what the lower rungs found. Columns: :data:`LADDER_COLUMNS`
    (``effort`` NaN and ``plan_reaches`` False where no plan within the limits reaches the rung
    with that probability; ``effort`` and ``p_with_plan`` are then the most probable plan's).
    """
    known = dict(known or {})
    searched: PlanSearchCache = {} if cache is None else cache
    simulation = {
        "n_draws": n_draws, "seed": seed, "stage_weights": stage_weights,
        "rejected_weights": rejected_weights,
    }  # fmt: skip
    rows = []
    draws = None if plan_uncertainty is None else plan_uncertainty.draws["iid"].to_numpy()
    for label, value in rungs:
        robust = known.get(round(float(value), 2))
        if robust is None:
            robust = plan_for_probability(
                region, value, probability=probability, tolerance=tolerance, costs=costs,
                max_new_innovations=max_new_innovations, cache=searched, **simulation,
            )  # fmt: skip
        plan = robust.plan
        rows.append(
            {
                "label": label,
                "target": float(value),
                "p_business_as_usual": (
                    float(business_as_usual(value)) if business_as_usual else float("nan")
                ),
                "p_with_plan": float(robust.uncertainty.p_reach),
                "p_with_headline_plan": (
                    float((draws >= value).mean()) if draws is not None else np.nan
                ),
                "effort": float(plan.total_cost) if plan.reached else float("nan"),
                "n_actions": len(plan.actions),
                "n_new_innovations": int(plan.n_new_innovations),
                "plan_reaches": bool(robust.reached),
            }
        )
    return pd.DataFrame(rows, columns=list(LADDER_COLUMNS))


def simulate_with_weights(
    region: Region,
    actions,
    target: float,
    weights: VariantWeights,
    *,
    n_draws: int = DEFAULT_PLAN_DRAWS,
    acceptance: float = DEFAULT_ACCEPTANCE,
    seed: int = 0,
) -> PlanUncertainty:
    """:func:`simulate_plan` with the rule variants weighted by ``weights``."""
    return simulate_plan(
        region,
        actions,
        target,
        n_draws=n_draws,
        acceptance=acceptance,
        seed=seed,
        stage_weights=weights.stage,
        rejected_weights=weights.rejected,
    )


__all__ = [
    "LADDER_COLUMNS",
    "RISK_COLUMNS",
    "VariantWeights",
    "ladder_targets",
    "rule_risks",
    "simulate_with_weights",
    "target_ladder",
    "variant_iids",
    "variant_weights",
]
