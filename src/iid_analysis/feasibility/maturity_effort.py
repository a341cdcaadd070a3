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
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..methodology import Methodology
from .change import ACTION, first_year_profile, table_year
from .costs import CostTable
from .effort import EFFORT_UNIT, as_effort


@dataclass(frozen=True)
class ActionStep:
    """One action level step of the table: indicator, to_level, its points of kematangan and
    its effort (hari kerja)."""

    indicator: str
    to_level: int
    points: float
    effort: float

    @property
    def per_point(self) -> float:
        return self.effort / self.points


@dataclass(frozen=True)
class MaturityEffort:
    """Hari kerja of a maturity-grain plan (see the module's rule).

    ``segments``: (hari kerja per point, points) of one innovation's raise, cheapest first
    (steps of equal cost per point merged); ``per_new``: hari kerja of one new innovation, of
    kematangan ``new_maturity``; ``steps``: the action steps behind the segments.
    """

    segments: tuple[tuple[float, float], ...]
    per_new: float
    new_maturity: float
    steps: tuple[ActionStep, ...] = ()
    table_year: int | None = None
    unit: str = EFFORT_UNIT["id"]

    @classmethod
    def flat(cls, per_point: float, per_new: float, new_maturity: float,
             max_points: float = math.inf) -> MaturityEffort:
        """Every point at ``per_point`` (up to ``max_points`` per innovation)."""
        return cls(((float(per_point), float(max_points)),), float(per_new), float(new_maturity))

    @property
    def max_points(self) -> float:
        """The most points a plan may raise one innovation by (the action steps' points)."""
        return float(sum(width for _, width in self.segments))

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
    """The action level steps of ``methodology``'s innovation indicators with their points and
    effort (``costs``: an effort model; default the shipped one), cheapest per point first
    (ties in table order)."""
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
                steps.append(ActionStep(number, level, points, effort))
    return sorted(steps, key=lambda s: s.per_point)


def _segments(steps: Sequence[ActionStep]) -> tuple[tuple[float, float], ...]:
    merged: list[list[float]] = []
    for step in steps:
        if merged and math.isclose(merged[-1][0], step.per_point):
            merged[-1][1] += step.points
        else:
            merged.append([step.per_point, step.points])
    return tuple((rate, width) for rate, width in merged)


def maturity_effort(methodology: Methodology, costs: CostTable | None = None) -> MaturityEffort:
    """The hari kerja of a maturity-grain plan under ``methodology`` (the plan's rules) from the
    effort model ``costs`` (default: the shipped defaults)."""
    model = as_effort(costs, methodology)
    steps = action_steps(methodology, model)
    profile = first_year_profile(methodology).levels_dict
    new_maturity = float(sum(methodology.indicator(k).points(v) for k, v in profile.items()))
    return MaturityEffort(
        segments=_segments(steps),
        per_new=float(model.levels_cost(profile)),
        new_maturity=new_maturity,
        steps=tuple(steps),
        table_year=table_year(methodology),
    )


__all__ = ["ActionStep", "MaturityEffort", "action_steps", "maturity_effort"]
