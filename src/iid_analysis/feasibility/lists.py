"""The two lists beside a plan's actions: evidence to check (*periksa dan unggah bukti jika
benar*) and actions for next year (their lead time ends after the window closes).

Evidence steps are never actions: the state may already be true but is not shown. Each carries
the IID it would add if true and the chance that it is (a parameter, low by default, stated in
the assumptions log); a plan's probability counts them only with that chance.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np

from ..inputs.region import Region
from ..messages import Message
from .calendar import PlanCalendar
from .change import ACTION, CHECK_EVIDENCE, DEFAULT_EVIDENCE_CHANCE, EVIDENCE, NEW_INNOVATION
from .costs import CostTable

EVIDENCE_MESSAGE = "plan.evidence_check"
"""Catalogue key of an evidence step's words (indicator, name, level words)."""


@dataclass(frozen=True)
class EvidenceStep:
    """Check, and upload the evidence if true: ``indicator`` of ``innovation_id`` ('' for the
    SPD) from ``from_level`` to ``to_level`` (``level_words``: the methodology's words of that
    level). ``iid_gain``: IID points it adds if true (alone, from today's data); ``chance``:
    the stated chance that it is true; ``effort_days``: checking and uploading."""

    indicator: str
    innovation_id: str
    opd: str
    from_level: int
    to_level: int
    level_words: str
    iid_gain: float
    chance: float = DEFAULT_EVIDENCE_CHANCE
    effort_days: float = 1.0
    change_kind: str = EVIDENCE
    message_key: str = EVIDENCE_MESSAGE
    name_id: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def message(self) -> Message:
        """The step in words (``plan.evidence_check``)."""
        return Message(self.message_key, {"indicator": self.indicator, "name_id": self.name_id,
                                          "level": self.to_level,
                                          "level_words": self.level_words})  # fmt: skip


@dataclass(frozen=True)
class NextYearStep:
    """An action step that does not fit before the window closes: ``indicator`` to
    ``to_level`` (``indicator`` '' and ``change`` ``new_innovation`` for one new innovation),
    its kind of change and lead time, on how many innovations it could be taken
    (``n_cells``; 1 for the SPD and a new innovation) and the IID points all of them add."""

    indicator: str
    to_level: int
    change: str
    lead_weeks: float
    effort_days: float
    n_cells: int
    iid_gain: float

    def as_dict(self) -> dict:
        return asdict(self)


def _level_words(region: Region, indicator: str, level: int) -> str:
    entry = region.methodology.indicator(indicator)
    return next((e.label for e in entry.levels if e.level == level), "")


def evidence_steps(
    region: Region, costs: CostTable, chance: float = DEFAULT_EVIDENCE_CHANCE
) -> tuple[EvidenceStep, ...]:
    """Every next step that is of kind ``evidence`` under ``costs``, on the SPD and on every
    accepted innovation, with its value if true. Highest value first."""
    methodology = region.methodology
    before = float(region.iid_unrounded())
    effort = 1.0
    result = []
    for i, number in enumerate(methodology.spd_numbers):
        level = int(region.spd_levels[i])
        if level < 3 and costs.step_kind(number, level + 1) == EVIDENCE:
            delta = float(region.spd_table[i, level + 1] - region.spd_table[i, level])
            gain = float(region.iid_unrounded(spd_total=region.spd_total + delta)) - before
            name = methodology.indicator(number).name_id
            result.append(EvidenceStep(number, "", "", level, level + 1,
                                       _level_words(region, number, level + 1), gain, chance,
                                       effort, name_id=name))  # fmt: skip
    numbers = methodology.innovation_numbers
    accepted = np.flatnonzero(~region.rejected)
    ids, opds = region.ids, region.opds  # each a new list per access: read once
    for j, number in enumerate(numbers):
        for level in range(3):
            if costs.step_kind(number, level + 1) != EVIDENCE:
                continue
            delta = float(region.innovation_table[j, level + 1] - region.innovation_table[j, level])
            gain = float(region.iid_unrounded(maturity_sum=region.maturity_sum + delta)) - before
            words = _level_words(region, number, level + 1)
            name = methodology.indicator(number).name_id
            for r in accepted[region.levels[accepted, j] == level]:
                result.append(EvidenceStep(number, str(ids[r]), str(opds[r]), level,
                                           level + 1, words, gain, chance, effort,
                                           name_id=name))  # fmt: skip
    result.sort(key=lambda e: -e.iid_gain)
    return tuple(result)


def next_year_steps(
    region: Region, costs: CostTable, calendar: PlanCalendar, profile: Mapping[str, int],
    add_lead_weeks: float,
) -> tuple[NextYearStep, ...]:
    """Action steps (finite effort) whose lead time ends after ``calendar``'s window closes,
    each with the IID points taking it everywhere it could be taken adds; a new innovation
    too when creating one does not fit. Highest value first."""
    methodology = region.methodology
    before = float(region.iid_unrounded())
    result = []
    for aspect, numbers in (("SPD", methodology.spd_numbers),
                            ("INOVASI", methodology.innovation_numbers)):  # fmt: skip
        leads = costs.lead_weeks(methodology, aspect)
        efforts = costs.level_costs(methodology, aspect)
        for j, number in enumerate(numbers):
            for s in (1, 2, 3):
                lead, effort = float(leads[j, s - 1]), float(efforts[j, s - 1])
                if not math.isfinite(effort) or calendar.fits(lead):
                    continue
                if costs.step_kind(number, s) != ACTION:
                    continue
                if aspect == "SPD":
                    if int(region.spd_levels[j]) != s - 1:
                        continue
                    delta = float(region.spd_table[j, s] - region.spd_table[j, s - 1])
                    gain = float(region.iid_unrounded(spd_total=region.spd_total + delta)) - before
                    cells = 1
                else:
                    mask = ~region.rejected & (region.levels[:, j] == s - 1)
                    cells = int(mask.sum())
                    if not cells:
                        continue
                    delta = cells * float(region.innovation_table[j, s]
                                          - region.innovation_table[j, s - 1])
                    gain = float(region.iid_unrounded(
                        maturity_sum=region.maturity_sum + delta)) - before
                result.append(NextYearStep(number, s, costs.step_change(number, s), lead,
                                           effort, cells, gain))  # fmt: skip
    if not calendar.fits(add_lead_weeks):
        maturity = float(sum(methodology.indicator(k).points(v) for k, v in profile.items()))
        gain = float(region.iid_unrounded(maturity_sum=region.maturity_sum + maturity,
                                          n=region.n + 1)) - before
        effort = float(getattr(costs, "add_innovation", math.nan))
        result.append(NextYearStep("", 0, NEW_INNOVATION, add_lead_weeks, effort, 1, gain))
    result.sort(key=lambda n: -n.iid_gain)
    return tuple(result)


__all__ = [
    "CHECK_EVIDENCE",
    "EVIDENCE_MESSAGE",
    "EvidenceStep",
    "NextYearStep",
    "evidence_steps",
    "next_year_steps",
]
