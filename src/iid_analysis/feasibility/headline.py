"""One headline for a target: business as usual against a plan, the ladder of nearby targets,
and which unknown rule carries the plan's risk.

Business as usual is the trend forecast (:mod:`iid_analysis.forecasting.forecast`); "with the plan"
is the
plan's simulated distribution (:func:`~iid_analysis.feasibility.uncertainty.simulate_plan`):
verifier acceptance of each planned step and the rule variants the methodology does not know.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import ClassVar

import numpy as np
import pandas as pd

from ..inputs.region import Region
from ..methodology import PREDICATE_SANGAT_INOVATIF, Methodology
from ..scoring import combine, round_published
from .calendar import PlanCalendar
from .costs import CostTable
from .effort import default_effort
from .rows import Row, Rows
from .uncertainty import (
    DEFAULT_REJECTED_WEIGHTS,
    DEFAULT_STAGE_WEIGHTS,
    DEFAULT_TOLERANCE,
    EARLY_STAGES,
    REJECTED_RULES,
    STAGE_RULES,
    PlanSearchCache,
    PlanUncertainty,
    RobustPlan,
    SimulationSettings,
    _rule_masks,
    plan_for_probability,
    simulate_plan,
)

REPRODUCTION_TOLERANCE = 0.005
"""A variant reproduces a published IID when its IID, rounded as published, is that figure."""
CONTRADICTED_WEIGHT = 0.05
"""Share of its prior weight a rule variant keeps when the region's own published score
contradicts it: the indicator data behind the score may itself be off."""

LADDER_TOLERANCE = DEFAULT_TOLERANCE
"""IID points within which each rung's plan is found: the headline's own, so that a rung and a
headline for the same target are the same plan in every report."""
FRAMING_FLOOR = "floor"
"""The with-plan distribution is the floor the plan secures: in each draw the higher of the
trend (what the city would do anyway) and the plan's own result."""
REMEDY_PROMOTE = "promote_early_stage"
"""Remedy of the stage variants: move the early-stage innovations to *penerapan*."""


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

    @property
    def reproducing(self) -> pd.DataFrame:
        """The variant pairs whose IID is the published one (rows of ``reproduces``; none
        without a published figure)."""
        table = self.reproduces
        return table[table["reproduces"] == True]  # noqa: E712 (NaN without a figure)


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
@dataclass(frozen=True)
class RuleRisk(Row):
    """One rule variant's part in the plan's chance of falling short (a row of
    :class:`RuleRisks`)."""

    rule: str
    """``stage`` or ``rejected`` (the unknown rule), ``verification`` for the draws under the
    engine's own rules."""
    variant: str
    """The variant of the rule (``not_counted``, ``not_scored``; ``counted`` for verification)."""
    weight: float
    """Share of the simulation's draws under this variant (0..1)."""
    p_reach_if: float
    """P(reach the target) in those draws (NaN when no draw has the variant)."""
    share_of_risk: float
    """Share of all the falling-short draws that are under this variant (0..1)."""
    n_affected: int
    """Innovations the variant concerns (early-stage or rejected ones; 0 for verification)."""
    remedy: str = ""
    """:data:`REMEDY_PROMOTE` for a stage variant with early-stage innovations, else ''."""
    remedy_effort: float = 0.0
    """Hari kerja of the remedy (moving each early-stage innovation to *penerapan*)."""
    p_reach_after_remedy: float = float("nan")
    """P(reach) once the remedy is made (under the engine's stage rule); ``p_reach_if`` when
    there is no remedy."""


@dataclass(frozen=True)
class RuleRisks(Rows[RuleRisk]):
    """The plan's risk split by rule variant, largest share of the risk first. The rows
    partition the draws: ``weight`` x ``p_reach_if`` summed over the rows is the plan's P(reach)
    (:attr:`p_reach`), so a high headline and "0 % if ..." fit together. :meth:`frame` has the
    columns :data:`RISK_COLUMNS`."""

    row_type: ClassVar[type] = RuleRisk

    @property
    def p_reach(self) -> float:
        """Sum of weight x P(reach | variant) over the variants with draws: the plan's P(reach)."""
        return float(sum(r.weight * r.p_reach_if for r in self.rows if r.weight > 0))

    def carrying(self, min_share: float) -> tuple[RuleRisk, ...]:
        """The variants carrying more than ``min_share`` of the risk, largest first."""
        return tuple(r for r in self.rows if r.share_of_risk > min_share)

    @property
    def weighted(self) -> tuple[RuleRisk, ...]:
        """The variants with draws (weight above 0): the parts of :attr:`p_reach`."""
        return tuple(r for r in self.rows if r.weight > 0)

    @property
    def lowest_p_reach_if(self) -> float:
        """The lowest P(reach | variant) among :attr:`weighted` (NaN without any)."""
        values = [r.p_reach_if for r in self.weighted]
        return float(min(values)) if values else float("nan")


def rule_risks(
    uncertainty: PlanUncertainty, region_after: Region, costs: CostTable | None = None
) -> RuleRisks:
    """Each rule variant's part in the plan's chance of falling short, and its costed remedy.

    ``region_after`` is the region with the plan applied. One :class:`RuleRisk` per non-default
    stage variant (remedy ``promote_early_stage`` when the region has early-stage innovations:
    its effort from the effort model, and P(reach) under the engine's stage rule, which the
    remedy makes true), per non-default rejected variant (draws already under a stage variant
    are not counted twice) and one for the draws under the engine's own rules (verification).
    The rows partition the draws: sum(weight x p_reach_if) = P(reach).
    """
    draws = uncertainty.draws
    missed = ~draws["reached"]
    n_missed = int(missed.sum())
    early = int(np.isin(region_after.stages, EARLY_STAGES).sum())
    rejected = int(region_after.rejected.sum())
    default = (draws["stage_rule"] == STAGE_RULES[0]) & (draws["rejected_rule"] == "counted")
    promote = float(getattr(costs or default_effort(region_after.methodology),
                            "stage_promotion", 20.0))  # fmt: skip
    stage_counted = draws["stage_rule"] == STAGE_RULES[0]
    p_counted = float(draws.loc[stage_counted, "reached"].mean()) if stage_counted.any() else np.nan
    rows = []
    non_default_stage = draws["stage_rule"] != STAGE_RULES[0]
    for variant in STAGE_RULES[1:]:
        mask = draws["stage_rule"] == variant
        row = _risk_row("stage", variant, mask, draws, missed, n_missed, early)
        if early:
            row = replace(row, remedy=REMEDY_PROMOTE, remedy_effort=early * promote,
                          p_reach_after_remedy=p_counted)
        rows.append(row)
    for variant in REJECTED_RULES[1:]:
        # Draws already counted under a stage variant are not counted twice.
        mask = (draws["rejected_rule"] == variant) & ~non_default_stage
        rows.append(_risk_row("rejected", variant, mask, draws, missed, n_missed, rejected))
    rows.append(_risk_row("verification", "counted", default, draws, missed, n_missed, 0))
    # largest share of the risk first (a stable sort: ties keep the order above)
    return RuleRisks(tuple(sorted(rows, key=lambda r: -r.share_of_risk)))


def _risk_row(rule, variant, mask, draws, missed, n_missed, n_affected) -> RuleRisk:
    n = int(mask.sum())
    p_if = float(draws.loc[mask, "reached"].mean()) if n else float("nan")
    return RuleRisk(
        rule=rule,
        variant=variant,
        weight=n / len(draws),
        p_reach_if=p_if,
        share_of_risk=float((mask & missed).sum()) / n_missed if n_missed else 0.0,
        n_affected=n_affected,
        remedy="",
        remedy_effort=0.0,
        p_reach_after_remedy=p_if,
    )


# --- with and without the plan: one model ----------------------------------------------------
@dataclass(frozen=True)
class Outlook:
    """Business as usual and with the plan as two answers of one model.

    ``framing`` is :data:`FRAMING_FLOOR`: in each draw the with-plan IID is the higher of the
    trend's draw (what the city would do anyway) and the plan's own simulated result, so the
    plan is the floor it secures and the with-plan distribution is never below business as
    usual. Quantiles are at :data:`OUTLOOK_QUANTILES`; ``p_*`` are P(IID >= ``target``).
    """

    framing: str
    target: float
    bau_median: float
    with_plan_median: float
    plan_only_median: float
    bau_quantiles: tuple[float, ...]
    with_plan_quantiles: tuple[float, ...]
    p_business_as_usual: float
    p_with_plan: float
    message_key: str = "plan.framing_floor"
    with_plan_draws: np.ndarray = field(default=None, repr=False, compare=False)
    """The with-plan IIDs per draw (for a chart beside the trend's)."""


OUTLOOK_QUANTILES = (0.05, 0.5, 0.95)


def with_plan_draws(bau_draws: np.ndarray | None, uncertainty: PlanUncertainty) -> np.ndarray:
    """The IID with the plan, per draw, under :data:`FRAMING_FLOOR`: the higher of the trend's
    draw and the plan's own simulated result (the plan's draws alone without a trend)."""
    plan = uncertainty.draws["iid_unrounded"].to_numpy(dtype=float)
    if bau_draws is None or not len(bau_draws):
        return plan
    bau = np.asarray(bau_draws, dtype=float)
    return np.maximum(bau, np.resize(plan, len(bau)))


def outlook(
    bau_draws: np.ndarray | None, uncertainty: PlanUncertainty, target: float
) -> Outlook:
    """The :class:`Outlook` of a plan's simulation against the trend forecast's draws (None
    without a forecast: the with-plan distribution is then the plan's own)."""
    plan = uncertainty.draws["iid_unrounded"].to_numpy(dtype=float)
    with_plan = with_plan_draws(bau_draws, uncertainty)
    if bau_draws is None or not len(bau_draws):
        bau = np.full(len(plan), np.nan)
    else:
        bau = np.asarray(bau_draws, dtype=float)
    has_bau = bool(np.isfinite(bau).any())

    def q(values):
        return tuple(float(np.quantile(values, p)) for p in OUTLOOK_QUANTILES)

    return Outlook(
        framing=FRAMING_FLOOR,
        target=float(target),
        bau_median=float(np.median(bau)) if has_bau else float("nan"),
        with_plan_median=float(np.median(with_plan)),
        plan_only_median=float(np.median(plan)),
        bau_quantiles=q(bau) if has_bau else (float("nan"),) * len(OUTLOOK_QUANTILES),
        with_plan_quantiles=q(with_plan),
        p_business_as_usual=(
            float((round_published(bau) >= target).mean()) if has_bau else float("nan")
        ),
        p_with_plan=float((round_published(with_plan) >= target).mean()),
        with_plan_draws=np.asarray(with_plan, dtype=float),
    )


# --- the ladder ------------------------------------------------------------------------------
NEXT_PUBLISHABLE_STEP = 0.01
"""IIDs are published to two decimals: "higher than last year" is the last figure plus this."""


def above_last(last_published: float) -> float:
    """The least IID that is higher than ``last_published``: the report's default threshold and
    the ladder's first rung (defined here once)."""
    return round_published(float(last_published) + NEXT_PUBLISHABLE_STEP)


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
            ("above_last", above_last(last_published)),
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


@dataclass(frozen=True)
class LadderRung(Row):
    """One target of the ladder and the plan that reaches it (a row of :class:`Ladder`)."""

    label: str
    """Which rung (``above_last``, ``plus_2``, ``plus_5``, ``target``, ``band``: a key the report
    words in its language)."""
    target: float
    """The IID of the rung."""
    p_business_as_usual: float
    """P(IID >= target) if the trend continues (NaN without a forecast)."""
    p_with_plan: float
    """P(reach) of the rung's own plan (the cheapest found with the asked probability)."""
    p_with_headline_plan: float
    """P(reach the rung) with the headline's plan (NaN without it)."""
    effort: float
    """Hari kerja of the rung's plan (NaN where no plan within the limits reaches it)."""
    n_actions: int
    """Actions of the rung's plan."""
    n_new_innovations: int
    """New innovations of the rung's plan."""
    plan_reaches: bool
    """Whether the rung's plan reaches it with the asked probability."""


@dataclass(frozen=True)
class Ladder(Rows[LadderRung]):
    """The ladder of targets near the report's, lowest first (:func:`target_ladder`);
    :meth:`frame` has the columns :data:`LADDER_COLUMNS`."""

    row_type: ClassVar[type] = LadderRung

    @property
    def rungs(self) -> tuple[LadderRung, ...]:
        return self.rows

    @property
    def reached(self) -> tuple[LadderRung, ...]:
        """The rungs whose plan reaches them with the asked probability."""
        return tuple(r for r in self.rows if r.plan_reaches)


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
    settings: SimulationSettings | None = None,
    cache: PlanSearchCache | None = None,
    calendar: PlanCalendar | None = None,
) -> Ladder:
    """For each rung: P(reach) if the trend continues; the effort (hari kerja, from the effort
    model) of the plan that reaches the rung with at least ``probability``
    (:func:`plan_for_probability`, to within ``tolerance``) and its P(reach); and P(reach) with
    the headline plan (``plan_uncertainty``'s draws against the rung).

    A rung's plan depends only on the rung, the region and the settings: the same in every
    report whatever its target. ``known``: robust plans already found by target with the same
    settings and ``tolerance`` (the headline's), reused. ``cache``: plans already searched
    (:data:`~iid_analysis.feasibility.uncertainty.PlanSearchCache`). One :class:`LadderRung` per
    rung (``effort`` NaN and ``plan_reaches`` False where no plan within the limits reaches the
    rung with that probability).
    """
    known = dict(known or {})
    searched: PlanSearchCache = {} if cache is None else cache
    rows = []
    draws = None if plan_uncertainty is None else plan_uncertainty.draws["iid"].to_numpy()
    for label, value in rungs:
        robust = known.get(round(float(value), 2))
        if robust is None or robust.tolerance != tolerance:
            robust = plan_for_probability(
                region, value, probability=probability, tolerance=tolerance, costs=costs,
                max_new_innovations=max_new_innovations, cache=searched, settings=settings,
                calendar=calendar,
            )  # fmt: skip
        plan = robust.plan
        rows.append(
            LadderRung(
                label=label,
                target=float(value),
                p_business_as_usual=(
                    float(business_as_usual(value)) if business_as_usual else float("nan")
                ),
                p_with_plan=float(robust.uncertainty.p_reach),
                p_with_headline_plan=(
                    float((draws >= value).mean()) if draws is not None else np.nan
                ),
                effort=float(plan.total_cost) if plan.reached else float("nan"),
                n_actions=len(plan.actions),
                n_new_innovations=int(plan.n_new_innovations),
                plan_reaches=bool(robust.reached),
            )
        )
    return Ladder(tuple(rows))


LADDER_COLUMNS = tuple(f.name for f in fields(LadderRung))
"""Columns of :meth:`Ladder.frame`: the fields of :class:`LadderRung`."""
RISK_COLUMNS = tuple(f.name for f in fields(RuleRisk))
"""Columns of :meth:`RuleRisks.frame`: the fields of :class:`RuleRisk`."""


def simulate_with_weights(
    region: Region,
    actions,
    target: float,
    weights: VariantWeights,
    settings: SimulationSettings | None = None,
    evidence=(),
) -> PlanUncertainty:
    """:func:`simulate_plan` with the rule variants weighted by ``weights``."""
    settings = replace(settings or SimulationSettings(), stage_weights=weights.stage,
                       rejected_weights=weights.rejected)  # fmt: skip
    return simulate_plan(region, actions, target, settings, evidence)


__all__ = [
    "FRAMING_FLOOR",
    "NEXT_PUBLISHABLE_STEP",
    "above_last",
    "LADDER_COLUMNS",
    "OUTLOOK_QUANTILES",
    "RISK_COLUMNS",
    "Ladder",
    "LadderRung",
    "Outlook",
    "RuleRisk",
    "RuleRisks",
    "VariantWeights",
    "ladder_targets",
    "outlook",
    "rule_risks",
    "simulate_with_weights",
    "target_ladder",
    "variant_iids",
    "variant_weights",
]
