"""The forecast and feasibility results a report shows, computed by the library's own modules
(:mod:`iid_analysis.forecasting.forecast`, :mod:`iid_analysis.forecasting.backtest`,
:mod:`iid_analysis.feasibility`).

Nothing is estimated here; this module only decides what to ask for (the threshold, the city's
scenarios, the planning probability) and gathers the answers in two frozen values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from ..feasibility import (
    MaturityUpgrade,
    MeetEveryIndicator,
    OneOpdMoreThanOne,
    Plan,
    PlanUncertainty,
    ReachCount,
    Replication,
    RobustPlan,
    break_even_maturity,
    cheapest_plan,
    level_up_values,
    new_innovation_values,
    opd_summary,
    plan_for_probability,
    run_scenarios,
    simulate_plan,
)
from ..feasibility import maturity_grain as mg
from ..feasibility.calendar import plan_calendar
from ..feasibility.costs import KIND_ADD
from ..feasibility.headline import VariantWeights, variant_weights
from ..feasibility.maturity_effort import MaturityEffort, maturity_effort
from ..feasibility.rows import Row, Rows
from ..feasibility.uncertainty import DEFAULT_PLAN_DRAWS, SimulationSettings
from ..feasibility.urusan import urusan_lever
from ..forecasting.backtest import BACKTEST_N_DRAWS, BacktestResult, backtest
from ..forecasting.forecast import Forecast, forecast_region
from ..inputs.region import Region
from ..messages import Localized, Message
from ..methodology import Methodology
from ..scoring import STATUS_REJECTED

PLAN_PROBABILITY = 0.8
"""The probability of reaching the target a robust plan must have in simulation."""
PLAN_SIMULATION_DRAWS = DEFAULT_PLAN_DRAWS
REPLICATION_SHARE = 0.25
"""The replication scenario raises indicator 31 on this share of the accepted innovations."""
NEW_INNOVATION_MATURITIES = (111, 100, 90, 60, 30)


@dataclass(frozen=True)
class ForecastPart:
    """The forecast of the target year and how such forecasts fared in the backtest."""

    forecast: Forecast
    backtest: BacktestResult
    threshold: float


@dataclass(frozen=True)
class PlanPart:
    """What the city's own actions would do, under ``rules`` (the target year's, if they can
    score the data).

    ``levers``: one-step marginal values (:class:`LeverTable`); ``new_innovations``: the
    value of one more innovation at some maturities; ``scenarios``: each city scenario alone and
    all together (:class:`ScenarioTable`); ``plan``: the cheapest path to the threshold
    and ``plan_uncertainty`` its simulation; ``robust``: the cheapest plan found that reaches the
    threshold with at least :data:`PLAN_PROBABILITY`; ``opds``: the OPD view (:class:`OpdTable`).
    """

    rules: Methodology
    threshold: float
    levers: LeverTable
    new_innovations: NewInnovationValues
    break_even: float
    scenarios: ScenarioTable
    scenario_list: tuple
    plan: Plan
    plan_uncertainty: PlanUncertainty
    robust: RobustPlan
    opds: OpdTable
    weights: VariantWeights
    region: Region
    settings: SimulationSettings | None = None
    robust_groups: tuple[ActionGroup, ...] = ()
    """The robust plan's actions grouped by what they do (:func:`action_groups`)."""


def forecast_part(
    region, target_year, as_of_year, threshold, panel, seed, n_draws, scores=None,
    innovation_counts=None, national_summary=None,
):
    """Forecast ``region`` for ``target_year`` from ``panel`` up to ``as_of_year``, with the
    backtest of the same models on the same data. ``scores`` (the published table: zeros, the
    national check), ``innovation_counts`` and ``national_summary`` (the national totals) feed
    the forecast's notes; given all three, the forecast reads no file."""
    forecast = forecast_region(
        region, target_year, as_of=as_of_year, seed=seed, n_draws=n_draws, panel=panel,
        scores=scores, innovation_counts=innovation_counts, national_summary=national_summary,
    )
    checked = backtest(panel, seed=seed, n_draws=BACKTEST_N_DRAWS, as_of=as_of_year)
    return ForecastPart(forecast=forecast, backtest=checked, threshold=threshold)


def plan_rules(data_rules: Methodology, target_rules: Methodology) -> Methodology:
    """The target year's rules when they can score the data (same indicators), else the data's."""
    if target_rules.can_score and set(target_rules.innovation_numbers) == set(
        data_rules.innovation_numbers
    ) and set(target_rules.spd_numbers) == set(data_rules.spd_numbers):
        return target_rules
    return data_rules


@dataclass(frozen=True)
class Lever(Row):
    """One step of one indicator for the whole region (a row of :class:`LeverTable`)."""

    scope: str
    """``spd`` (an SPD indicator) or ``all_innovations`` (the indicator on every innovation
    below the next level)."""
    indicator: str
    """The indicator's number."""
    name_id: str
    """The indicator's name in Indonesian (the methodology's)."""
    name_en: str
    """The indicator's name in English (the methodology's)."""
    from_level: int
    """The level raised from."""
    to_level: int
    """The level raised to."""
    n_affected: int
    """Innovations the step concerns (1 for an SPD indicator)."""
    iid_gain: float
    """The IID gained by the step alone (unrounded)."""
    change_kind: str
    """``action``, ``evidence``, ``record`` or ``outcome``: what the step is."""

    @property
    def name(self) -> Localized:
        """The indicator's name, rendered in the reader's language."""
        return Localized({"id": self.name_id, "en": self.name_en})


@dataclass(frozen=True)
class LeverTable(Rows[Lever]):
    """The one-step levers of the whole region, largest IID gain first (:func:`lever_table`)."""

    row_type: ClassVar[type] = Lever

    def without(self, spd_indicators) -> LeverTable:
        """The levers without the SPD indicators named (e.g. the outcome indicators, shown apart
        as context)."""
        names = {str(n) for n in spd_indicators}
        return LeverTable(tuple(
            r for r in self.rows if not (r.scope == "spd" and str(r.indicator) in names)
        ))  # fmt: skip


def lever_table(region: Region) -> LeverTable:
    """The one-step levers of the whole region (scope ``spd`` or ``all_innovations``), largest
    IID gain first (:class:`Lever` rows)."""
    rules = region.methodology
    values = level_up_values(region)
    values = values[values["scope"].isin(["spd", "all_innovations"])]
    values = values.sort_values("iid_gain", ascending=False, kind="stable")
    return LeverTable(tuple(
        Lever(
            scope=str(r.scope), indicator=str(r.indicator),
            name_id=rules.indicator(r.indicator).name_id,
            name_en=rules.indicator(r.indicator).name_en,
            from_level=int(r.from_level), to_level=int(r.to_level),
            n_affected=int(r.n_affected), iid_gain=float(r.iid_gain),
            change_kind=str(r.change_kind),
        )
        for r in values.itertuples()
    ))  # fmt: skip


@dataclass(frozen=True)
class NewInnovationValue(Row):
    """What one more accepted innovation at one maturity is worth (a row of
    :class:`NewInnovationValues`)."""

    maturity: float
    """The new innovation's maturity (kematangan)."""
    iid_gain: float
    """The IID it adds (unrounded; negative when it lowers the mean maturity more than the
    count score gains)."""


@dataclass(frozen=True)
class NewInnovationValues(Rows[NewInnovationValue]):
    """The value of one more innovation at some maturities, in the order asked."""

    row_type: ClassVar[type] = NewInnovationValue

    @classmethod
    def of(cls, table: pd.DataFrame) -> NewInnovationValues:
        """From a table with columns maturity and iid_gain (the level-grain
        :func:`~iid_analysis.feasibility.new_innovation_values` or the maturity-grain one)."""
        return cls(tuple(
            NewInnovationValue(float(r.maturity), float(r.iid_gain)) for r in table.itertuples()
        ))  # fmt: skip


@dataclass(frozen=True)
class OpdPosition(Row):
    """One OPD's innovations and what they lose against the maximum (a row of
    :class:`OpdTable`)."""

    opd: str
    """The OPD's name as the data writes it."""
    n_innovations: int
    """Innovations it submitted."""
    n_rejected: int
    """Of which rejected."""
    mean_maturity: float
    """Mean maturity over its innovations (rejected ones at 0, as the formula counts them)."""
    iid_lost: float
    """The IID the region would gain if all its innovations were at the maximum."""
    fewer_than_two: bool
    """Fewer than two accepted innovations (One OPD More Than One Innovation)."""


@dataclass(frozen=True)
class OpdTable(Rows[OpdPosition]):
    """One row per OPD, most IID lost first (:func:`~iid_analysis.feasibility.opd_summary`)."""

    row_type: ClassVar[type] = OpdPosition


def opd_table(region: Region) -> OpdTable:
    """The OPD view of the region's data (:class:`OpdPosition` rows, most IID lost first)."""
    summary = opd_summary(region)
    return OpdTable(tuple(
        OpdPosition(
            opd=str(r.opd), n_innovations=int(r.n_innovations), n_rejected=int(r.n_rejected),
            mean_maturity=float(r.mean_maturity), iid_lost=float(r.iid_lost),
            fewer_than_two=bool(r.fewer_than_two),
        )
        for r in summary.itertuples()
    ))  # fmt: skip


def city_scenarios(
    innovations_scores: pd.DataFrame,
    rules: Methodology,
    mean_maturity: float,
    maturity_goal: int | None = None,
):
    """The scenarios the city talks about: reach the count cap, One OPD More Than One
    Innovation, replication, every innovation at the city's ``maturity_goal`` (only when one is
    given: a city's own policy, e.g. Kota Mojokerto's 105), every indicator answered. New
    innovations are assumed at today's mean maturity."""
    accepted = int((innovations_scores["status"] != "ditolak").sum())
    maturity = int(round(mean_maturity))
    scenarios = []
    if len(innovations_scores) < rules.count_cap:
        scenarios.append(ReachCount(rules.count_cap, maturity))
    scenarios += [
        OneOpdMoreThanOne(maturity),
        Replication(max(1, int(accepted * REPLICATION_SHARE))),
    ]
    if maturity_goal is not None:
        scenarios.append(MaturityUpgrade(maturity_goal))
    scenarios.append(MeetEveryIndicator())
    return scenarios


@dataclass(frozen=True)
class ScenarioOutcome(Row):
    """What one city scenario (or all of them in order) does from today's data (a row of
    :class:`ScenarioTable`)."""

    scenario: str
    """The scenario's name (the names joined by " + " for all of them together)."""
    alone: bool
    """True for a scenario on its own, False for the row of all of them in order."""
    n_actions: int
    """Actions the scenario takes."""
    n_new_innovations: int
    """New innovations it creates."""
    cost: float
    """Its effort (the scenarios' cost table)."""
    iid_after: float
    """The IID after it, rounded as published."""
    iid_gain: float
    """The IID it adds, unrounded."""
    reaches: bool
    """Whether ``iid_after`` reaches the report's threshold."""


@dataclass(frozen=True)
class ScenarioTable(Rows[ScenarioOutcome]):
    """Each city scenario alone, in order, then all of them together (the last row)."""

    row_type: ClassVar[type] = ScenarioOutcome


def scenario_table(region: Region, scenarios, threshold: float) -> ScenarioTable:
    """Each scenario alone from today's data, then all of them in order
    (:class:`ScenarioOutcome` rows)."""
    rows = []
    for scenario in scenarios:
        result = run_scenarios(region, [scenario])
        rows.append(_scenario_row(result, scenario.name, True, threshold))
    combined = run_scenarios(region, scenarios)
    rows.append(_scenario_row(combined, " + ".join(s.name for s in scenarios), False, threshold))
    return ScenarioTable(tuple(rows))


def _scenario_row(result, name: str, alone: bool, threshold: float) -> ScenarioOutcome:
    steps = result.steps
    return ScenarioOutcome(
        scenario=name,
        alone=alone,
        n_actions=int(steps["n_actions"].sum()),
        n_new_innovations=int(steps["n_new_innovations"].sum()),
        cost=float(result.total_cost),
        iid_after=float(result.after.iid),
        iid_gain=float(result.after.iid_unrounded - result.before.iid_unrounded),
        reaches=bool(result.after.iid >= threshold - 1e-9),
    )


@dataclass(frozen=True)
class ActionGroup:
    """A plan's actions that do the same thing: raise one indicator from one level to another
    (on innovations, or the SPD's), or create a new innovation."""

    kind: str
    """``raise_level`` or ``add_innovation``."""
    spd: bool
    """Whether the indicator raised is an SPD indicator."""
    indicator: str
    """The indicator raised ('' for new innovations)."""
    from_level: int
    """The level raised from (0 for new innovations)."""
    to_level: int
    """The level raised to (0 for new innovations)."""
    count: int
    """Actions in the group."""
    iid_gain: float
    """Sum of their sequential IID gains."""


def action_groups(plan) -> tuple[ActionGroup, ...]:
    """A plan's actions grouped by what they do, largest summed gain first (groups with the same
    gain in the order they first appear in the plan)."""
    table = plan.actions_table()
    if table.empty:
        return ()
    new = table["kind"] == KIND_ADD
    spd = table["innovation_id"] == ""
    keys = [
        ("add_innovation", False, "", 0, 0) if is_new
        else ("raise_level", bool(is_spd), str(r.indicator), int(r.from_level), int(r.to_level))
        for is_new, is_spd, r in zip(new, spd, table.itertuples(), strict=True)
    ]  # fmt: skip
    labelled = table.assign(group=[str(k) for k in keys])
    by_label = dict(zip(labelled["group"], keys, strict=True))
    grouped = labelled.groupby("group", sort=False).agg(
        count=("group", "size"), iid_gain=("iid_gain", "sum")
    )
    grouped = grouped.sort_values("iid_gain", ascending=False, kind="stable")
    return tuple(
        ActionGroup(*by_label[label], count=int(row.count), iid_gain=float(row.iid_gain))
        for label, row in zip(grouped.index, grouped.itertuples(), strict=True)
    )


def plan_part(
    data: Region, target_rules, threshold, seed, mean_maturity, maturity_goal=None,
    published_iid=None, as_of=None,
) -> PlanPart:
    """The levers, scenarios, cheapest plan and robust plan of the region's indicator data
    (``maturity_goal``: see :func:`city_scenarios`). ``published_iid``: the region's published
    IID for the data's year, which weights the unknown rules' variants
    (:func:`~iid_analysis.feasibility.headline.variant_weights`, under the data's own rules).
    ``as_of``: the date the plan is made on (the report's ``as_of_date``; None: today)."""
    rules = plan_rules(data.methodology, target_rules)
    region = data.under(rules)
    weights = variant_weights(data, published_iid)
    settings = SimulationSettings(
        n_draws=PLAN_SIMULATION_DRAWS, seed=seed, stage_weights=weights.stage,
        rejected_weights=weights.rejected,
    )
    calendar = plan_calendar(as_of, rules.year)
    plan = cheapest_plan(region, threshold, calendar=calendar)
    uncertainty = simulate_plan(region, plan.actions, threshold, settings, plan.evidence,
                                after=plan.after)
    robust = plan_for_probability(
        region, threshold, probability=PLAN_PROBABILITY, settings=settings, calendar=calendar
    )
    scenarios = city_scenarios(region.innovation_scores(), rules, mean_maturity, maturity_goal)
    return PlanPart(
        rules=rules,
        threshold=threshold,
        levers=lever_table(region),
        new_innovations=NewInnovationValues.of(
            new_innovation_values(region, maturities=list(NEW_INNOVATION_MATURITIES))
        ),
        break_even=float(break_even_maturity(region)),
        scenarios=scenario_table(region, scenarios, threshold),
        scenario_list=tuple(scenarios),
        plan=plan,
        plan_uncertainty=uncertainty,
        robust=robust,
        opds=opd_table(region),
        weights=weights,
        region=region,
        settings=settings,
        robust_groups=action_groups(robust.plan),
    )


# --- maturity grain -----------------------------------------------------------------------
@dataclass(frozen=True)
class MaturityLever(Row):
    """What raising one innovation's kematangan is worth (a row of :class:`MaturityLevers`)."""

    innovation_id: str
    name: str
    opd: str
    status: str
    maturity: float
    """The innovation's kematangan now."""
    headroom: float
    """Points to the maximum (0 when rejected: it must be resubmitted instead)."""
    iid_gain_per_point: float
    """The IID gained by one more point (0 when rejected)."""
    iid_gain_to_max: float
    """The IID gained by raising it to the maximum (alone)."""


@dataclass(frozen=True)
class MaturityLevers(Rows[MaturityLever]):
    """One row per innovation, largest IID gain to the maximum first
    (:func:`~iid_analysis.feasibility.maturity_grain.maturity_levers`)."""

    row_type: ClassVar[type] = MaturityLever

    @classmethod
    def of(cls, frame: pd.DataFrame) -> MaturityLevers:
        """The rows of :func:`~iid_analysis.feasibility.maturity_grain.maturity_levers`."""
        return cls(tuple(
            MaturityLever(
                innovation_id=str(r.innovation_id), name=str(r.name), opd=str(r.opd),
                status=str(r.status), maturity=float(r.maturity), headroom=float(r.headroom),
                iid_gain_per_point=float(r.iid_gain_per_point),
                iid_gain_to_max=float(r.iid_gain_to_max),
            )
            for r in frame.itertuples()
        ))  # fmt: skip

    @property
    def per_point(self) -> float:
        """The IID one more point of kematangan gains (the same for every accepted innovation;
        0 without one)."""
        return max((r.iid_gain_per_point for r in self.rows), default=0.0)


@dataclass(frozen=True)
class MaturityRung(Row):
    """The plan of least effort at maturity grain for one target (a row of
    :class:`MaturityLadder`)."""

    label: str
    """The rung: ``target``, ``last``, ``next`` ... (``report.rung_<label>``)."""
    target: float
    reachable: bool
    """Whether a plan reaches the target."""
    points: float
    """Points of kematangan the plan raises."""
    n_new: int
    """New innovations of the plan."""
    effort: float
    """The plan's effort in hari kerja."""
    iid_after: float
    p_business_as_usual: float | None
    """P(IID >= target) by the trend forecast (None without a forecast)."""


@dataclass(frozen=True)
class MaturityLadder(Rows[MaturityRung]):
    """The rungs, lowest target first (:func:`maturity_ladder`)."""

    row_type: ClassVar[type] = MaturityRung


@dataclass(frozen=True)
class MaturityOpd(Row):
    """One OPD's innovations at maturity grain (a row of :class:`MaturityOpds`)."""

    opd: str
    n_innovations: int
    """Innovations it submitted."""
    n_rejected: int
    """Of which rejected."""
    mean_maturity: float
    """Mean kematangan of its accepted innovations (0 without one)."""
    iid_gain_to_max: float
    """The IID gained if all its accepted innovations reached the maximum (alone)."""


@dataclass(frozen=True)
class MaturityOpds(Rows[MaturityOpd]):
    """One row per OPD, largest IID gain to the maximum first (:func:`maturity_opds`)."""

    row_type: ClassVar[type] = MaturityOpd


@dataclass(frozen=True)
class MaturityPart:
    """What the city's own actions would do at **maturity grain** (innovations known only by
    their *kematangan*; coarser than :class:`PlanPart`'s level-by-level plan).

    ``data_score``: the score under the data year's rules (what the position shows);
    ``score``: the same data under ``rules`` (the plan's). ``levers``: per innovation, what
    raising its kematangan is worth (:class:`MaturityLevers`); ``new_innovations``: the
    value of one more innovation at :data:`NEW_INNOVATION_MATURITIES`; ``effort``: the hari
    kerja of a raise and of a new innovation
    (:func:`~iid_analysis.feasibility.maturity_effort.maturity_effort` of the plan's rules, the
    effort model of a level-grain plan); ``plan``: the plan of least effort to ``threshold``
    (a new innovation has the first-year profile's kematangan, ``new_maturity``, and costs
    ``cost_per_new`` hari kerja); ``ladder``: the same for each rung (:class:`MaturityLadder`,
    effort in hari kerja, points of kematangan raised); ``opds``: per OPD (:class:`MaturityOpds`).
    The plan, its ladder and its effort are on the calendar of the report's date (``effort``'s
    and ``plan``'s ``calendar``): steps whose lead time ends after the window closes are the
    plan's ``next_year``.
    """

    rules: Methodology
    threshold: float
    data_score: object
    score: object
    innovations: pd.DataFrame
    levers: MaturityLevers
    new_innovations: NewInnovationValues
    plan: mg.MaturityPlan
    ladder: MaturityLadder
    opds: MaturityOpds
    new_maturity: float
    cost_per_new: float
    urusan: object
    source_format: Message | str
    """The recognised layout of the innovations file, in the reader's words."""
    source_provenance: str
    command: str
    effort: MaturityEffort | None = None


def maturity_plan(innovations, rules, score, target,
                  effort: MaturityEffort | None = None) -> mg.MaturityPlan:
    """The maturity-grain plan of least effort (hari kerja, ``effort``: default the shipped
    effort model under ``rules``) to ``target``."""
    return mg.cheapest_maturity_plan(innovations, rules, score, target, effort=effort)


def maturity_ladder(innovations, rules, score, rungs, effort=None, bau=None) -> MaturityLadder:
    """The maturity-grain plan of least effort (hari kerja) for each rung ``(label, target)``;
    ``bau``: P(IID >= x) of the trend forecast (None: no forecast)."""
    rows = []
    for label, target in rungs:
        plan = maturity_plan(innovations, rules, score, target, effort)
        rows.append(MaturityRung(
            label=label, target=float(target), reachable=bool(plan.reachable),
            points=plan.points_raised, n_new=int(plan.n_new),
            effort=float(plan.cost), iid_after=float(plan.iid_after),
            p_business_as_usual=None if bau is None else float(bau(target)),
        ))
    return MaturityLadder(tuple(rows))


def maturity_opds(levers: MaturityLevers) -> MaturityOpds:
    """Per OPD: innovations, rejected, mean maturity of the accepted ones, and the IID gained
    if all its accepted innovations reached the maximum (alone), largest gain first (OPDs in
    name order among equal gains)."""
    by_opd: dict[str, list[MaturityLever]] = {}
    for lever in levers:
        by_opd.setdefault(lever.opd, []).append(lever)
    rows = []
    for opd in sorted(by_opd):
        group = by_opd[opd]
        accepted = [r.maturity for r in group if r.status != STATUS_REJECTED]
        rows.append(MaturityOpd(
            opd=opd, n_innovations=len(group), n_rejected=len(group) - len(accepted),
            mean_maturity=float(sum(accepted) / len(accepted)) if accepted else 0.0,
            iid_gain_to_max=float(sum(r.iid_gain_to_max for r in group)),
        ))
    rows.sort(key=lambda r: -r.iid_gain_to_max)  # stable: name order among equal gains
    return MaturityOpds(tuple(rows))


def maturity_part(
    innovations: pd.DataFrame, data_score, data_rules: Methodology, target_rules: Methodology,
    threshold: float, rungs, bau=None, source_format: Message | str = "",
    source_provenance: str = "", command: str = "", as_of=None,
) -> MaturityPart:
    """The levers, cheapest plan and ladder of a maturity-grain innovations table whose score
    under the data's rules is ``data_score`` (its SPD known). The plan is made under the target
    year's rules when they can score the data (:func:`plan_rules`), with the same SPD total, on
    the calendar of ``as_of`` (the report's ``as_of_date``; None: today) as a level-grain
    plan."""
    rules = plan_rules(data_rules, target_rules)
    score = data_score
    if rules is not data_rules:
        score = mg.score_maturities(innovations, rules, spd=data_score.spd)
    calendar = plan_calendar(as_of, rules.year)
    effort = maturity_effort(rules, calendar=calendar)
    levers = MaturityLevers.of(mg.maturity_levers(innovations, rules, score))
    return MaturityPart(
        rules=rules,
        threshold=threshold,
        data_score=data_score,
        score=score,
        innovations=innovations,
        levers=levers,
        new_innovations=NewInnovationValues.of(mg.new_innovation_values(
            rules, score, maturities=list(NEW_INNOVATION_MATURITIES)
        )),
        plan=maturity_plan(innovations, rules, score, threshold, effort),
        ladder=maturity_ladder(innovations, rules, score, rungs, effort, bau),
        opds=maturity_opds(levers),
        new_maturity=effort.new_maturity,
        cost_per_new=effort.per_new,
        urusan=urusan_lever(innovations, score, rules),
        source_format=source_format,
        source_provenance=source_provenance,
        command=command,
        effort=effort,
    )
