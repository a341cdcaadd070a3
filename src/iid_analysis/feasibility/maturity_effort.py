"""The effort of a maturity-grain plan in *hari kerja*, from the same effort model as a
level-grain plan (:mod:`.effort`, :mod:`.change`).

At maturity grain an innovation is known by its *kematangan* alone, not by its indicator levels,
so which level steps a raise of k points needs cannot be named. The rule (ASSUMED, stated in the
report's assumptions log and in ``docs/feasibility.md``):

- the points of an innovation's kematangan that a plan may raise are those of the **action**
  level steps of the target year's indicator table (:func:`~.change.change_table`; ``record``,
  ``evidence`` and ``outcome`` steps are never planned), at most their sum per innovation
  (:attr:`MaturityEffort.max_points`) and never past the maximum kematangan;
- a raise of k points costs the hari kerja of the **cheapest action steps per point, cheapest
  first** (:meth:`EffortModel.level_cost_for <.effort.EffortModel.level_cost_for>` divided by the
  step's points), a part of a step pro rata. The innovation may already have taken some of these
  steps: the effort is a lower bound, as the level-grain plan (from the real levels) is exact;
- a new innovation costs the effort model's creation effort (``add_innovation``, the one a
  level-grain plan uses) and has the kematangan of the first-year profile
  (:func:`~.change.first_year_profile`), as a level-grain plan's new innovation.

With a calendar (:class:`~.calendar.PlanCalendar`: the plan's date and the data-entry window)
only the action steps whose lead time (``data/effort/lead_times.csv``, as at level grain) ends
before the window closes are priced; the others are :attr:`MaturityEffort.late` (for next year).
A new innovation takes the creation lead time of a level-grain plan
(:attr:`~.effort.EffortModel.add_lead_weeks`) and, where the year has one, must fall inside its
eligibility window (:func:`~.calendar.new_innovation_eligible`); otherwise none is offered
(:attr:`MaturityEffort.new_blocked`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..methodology import Methodology
from .calendar import PlanCalendar, new_innovation_eligible
from .change import ACTION, first_year_profile, table_year
from .costs import CostTable
from .effort import EFFORT_UNIT, as_effort


@dataclass(frozen=True)
class ActionStep:
    """One action level step of the table: indicator, to_level, its points of kematangan, its
    effort (hari kerja), its kind of change (lead-time class of ``lead_times.csv``) and its lead
    time in weeks."""

    indicator: str
    to_level: int
    points: float
    effort: float
    change: str = ""
    lead_weeks: float = 0.0

    @property
    def per_point(self) -> float:
        return self.effort / self.points


@dataclass(frozen=True)
class MaturityEffort:
    """Hari kerja of a maturity-grain plan (see the module's rule).

    ``segments``: (hari kerja per point, points) of one innovation's raise, cheapest first
    (steps of equal cost per point merged); ``per_new``: hari kerja of one new innovation, of
    kematangan ``new_maturity``; ``steps``: the action steps behind the segments.

    ``calendar``: the plan's date and window (None: no calendar, every lead time fits);
    ``late``: the action steps whose lead time ends after the window closes (never priced, for
    next year); ``new_lead_weeks``: the lead time of creating an innovation; ``new_blocked``:
    why no new innovation is offered (:data:`NEW_LATE`: its creation does not end before the
    window closes; :data:`NEW_INELIGIBLE`: it would fall outside the year's eligibility window;
    '' when offered).
    """

    segments: tuple[tuple[float, float], ...]
    per_new: float
    new_maturity: float
    steps: tuple[ActionStep, ...] = ()
    table_year: int | None = None
    unit: str = field(default_factory=lambda: EFFORT_UNIT["id"])
    calendar: PlanCalendar | None = None
    late: tuple[ActionStep, ...] = ()
    new_lead_weeks: float = 0.0
    new_blocked: str = ""

    @classmethod
    def flat(cls, per_point: float, per_new: float, new_maturity: float,
             max_points: float = math.inf) -> MaturityEffort:
        """Every point at ``per_point`` (up to ``max_points`` per innovation)."""
        return cls(((float(per_point), float(max_points)),), float(per_new), float(new_maturity))

    @property
    def max_points(self) -> float:
        """The most points a plan may raise one innovation by (the action steps' points)."""
        return float(sum(width for _, width in self.segments))

    def steps_for(self, points: float) -> tuple[ActionStep, ...]:
        """The action steps a raise of one innovation by ``points`` takes (cheapest per point
        first, the last one possibly in part)."""
        used, left = [], float(points)
        for step in self.steps:
            if left <= 1e-9:
                break
            used.append(step)
            left -= step.points
        return tuple(used)

    @property
    def cheapest_per_point(self) -> float:
        return self.segments[0][0] if self.segments else math.inf

    def raise_cost(self, points: float) -> float:
        """Hari kerja of raising one innovation by ``points`` (cheapest steps first)."""
        cost, left = 0.0, float(points)
        for rate, width in self.segments:
            if left <= 0:
                break
            take = min(width, left)
            cost += take * rate
            left -= take
        if left > 1e-9:
            return math.inf
        return cost

    def allocate(self, caps: np.ndarray, points: float) -> tuple[np.ndarray, float]:
        """The cheapest way to raise innovations of room ``caps`` (points each, in the order
        given: earlier ones first among equals) by ``points`` in all: the points per innovation
        and the hari kerja. Each innovation's cheapest segment is filled on every innovation
        before the next segment on any (the cost per point grows along each innovation's raise,
        so this is the cheapest)."""
        caps = np.minimum(np.asarray(caps, dtype=float), self.max_points)
        given = np.zeros(len(caps))
        left, cost, start = float(points), 0.0, 0.0
        for rate, width in self.segments:
            if left <= 1e-9:
                break
            room = np.clip(caps - start, 0.0, width)
            for j in np.flatnonzero(room > 0):
                take = min(room[j], left)
                given[j] += take
                cost += take * rate
                left -= take
                if left <= 1e-9:
                    break
            start += width
        return given, (cost if left <= 1e-9 else math.inf)

    def total_cost(self, caps: np.ndarray, points: float) -> float:
        """Hari kerja of the cheapest raise by ``points`` in all (:meth:`allocate`), quickly."""
        caps = np.minimum(np.asarray(caps, dtype=float), self.max_points)
        left, cost, start = float(points), 0.0, 0.0
        for rate, width in self.segments:
            if left <= 1e-9:
                break
            room = float(np.clip(caps - start, 0.0, width).sum())
            take = min(room, left)
            cost += take * rate
            left -= take
            start += width
        return cost if left <= 1e-9 else math.inf


def action_steps(methodology: Methodology, costs: CostTable | None = None) -> list[ActionStep]:
    """The action level steps of ``methodology``'s innovation indicators with their points,
    effort, kind of change and lead time (``costs``: an effort model; default the shipped one),
    cheapest per point first (ties in table order)."""
    model = as_effort(costs, methodology)
    steps = []
    for number in methodology.innovation_numbers:
        indicator = methodology.indicator(number)
        for level in (1, 2, 3):
            points = float(indicator.points(level) - indicator.points(level - 1))
            kind = model.step_kind(number, level) if hasattr(model, "step_kind") else ACTION
            if kind != ACTION or points <= 0:
                continue
            if hasattr(model, "level_cost_for"):
                effort = float(model.level_cost_for(number, level))
            else:
                effort = float(model.step_cost(number))
            if math.isfinite(effort):
                steps.append(ActionStep(number, level, points, effort,
                                        model.step_change(number, level),
                                        float(model.step_lead(number, level))))
    return sorted(steps, key=lambda s: s.per_point)


def _segments(steps: Sequence[ActionStep]) -> tuple[tuple[float, float], ...]:
    merged: list[list[float]] = []
    for step in steps:
        if merged and math.isclose(merged[-1][0], step.per_point):
            merged[-1][1] += step.points
        else:
            merged.append([step.per_point, step.points])
    return tuple((rate, width) for rate, width in merged)


NEW_LATE = "late"
"""Why no new innovation is offered: creating one does not end before the window closes."""
NEW_INELIGIBLE = "ineligible"
"""Why no new innovation is offered: one created now falls outside the year's eligibility
window (:func:`~.calendar.new_innovation_eligible`)."""


def maturity_effort(
    methodology: Methodology, costs: CostTable | None = None,
    calendar: PlanCalendar | None = None,
) -> MaturityEffort:
    """The hari kerja of a maturity-grain plan under ``methodology`` (the plan's rules) from the
    effort model ``costs`` (default: the shipped defaults); with a ``calendar`` only the steps
    whose lead time ends before its window closes, and a new innovation only when creating one
    fits and is eligible (see the module)."""
    model = as_effort(costs, methodology)
    steps = action_steps(methodology, model)
    late: list[ActionStep] = []
    new_lead = float(model.add_lead_weeks)
    blocked = ""
    if calendar is not None:
        late = [s for s in steps if not calendar.fits(s.lead_weeks)]
        steps = [s for s in steps if calendar.fits(s.lead_weeks)]
        if not calendar.fits(new_lead):
            blocked = NEW_LATE
        elif not new_innovation_eligible(methodology, calendar, new_lead):
            blocked = NEW_INELIGIBLE
    profile = first_year_profile(methodology).levels_dict
    new_maturity = float(sum(methodology.indicator(k).points(v) for k, v in profile.items()))
    return MaturityEffort(
        segments=_segments(steps),
        per_new=float(model.levels_cost(profile)),
        new_maturity=new_maturity,
        steps=tuple(steps),
        table_year=table_year(methodology),
        calendar=calendar,
        late=tuple(late),
        new_lead_weeks=new_lead,
        new_blocked=blocked,
    )


__all__ = [
    "NEW_INELIGIBLE",
    "NEW_LATE",
    "ActionStep",
    "MaturityEffort",
    "action_steps",
    "maturity_effort",
]
