"""A plan's calendar: the date it is made and the data-entry window of the year it aims at.

The window comes from the year rules (``data_entry_opens``, ``data_entry_closes`` in
``data/methodology/rules.csv``: 2025 as reported, later years ASSUMED to repeat it). For a year
without those rows the 2025 dates are assumed (the named assumption
:data:`ASSUMED_WINDOW`). Only actions whose lead time ends before the window closes enter a
plan; each gets a deadline.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from ..methodology import Methodology, known_years, load_methodology

ASSUMED_WINDOW = "data_entry_window_assumed"
"""Name of the assumption used when a year has no data-entry window in the year rules."""
_DEFAULT_OPENS = (6, 20)
_DEFAULT_CLOSES = (8, 23)


@dataclass(frozen=True)
class EntryWindow:
    """The data-entry window of one assessment year, with where its dates come from
    (``source_id``: that source in Indonesian when the year rules give one)."""

    year: int
    opens: dt.date
    closes: dt.date
    provenance: str
    source: str
    source_id: str = ""

    @property
    def assumed(self) -> bool:
        return self.provenance != "CONFIRMED"


def entry_window(year: int) -> EntryWindow:
    """The window of ``year`` from the year rules, else the 2025 dates (:data:`ASSUMED_WINDOW`)."""
    if int(year) in known_years():
        rules = load_methodology(int(year))
        if rules.has("data_entry_opens") and rules.has("data_entry_closes"):
            opens, closes = rules.rule("data_entry_opens"), rules.rule("data_entry_closes")
            return EntryWindow(
                int(year), dt.date.fromisoformat(str(opens.value)),
                dt.date.fromisoformat(str(closes.value)), closes.provenance, opens.source,
                opens.source_id,
            )  # fmt: skip
    return EntryWindow(
        int(year), dt.date(int(year), *_DEFAULT_OPENS), dt.date(int(year), *_DEFAULT_CLOSES),
        "PROVISIONAL",
        f"{ASSUMED_WINDOW}: no data-entry dates known for {year}; the 2025 window (20 June - 23 "
        "August, reported by jpnn.com) is assumed",
    )  # fmt: skip


def next_window(as_of: dt.date, from_year: int) -> EntryWindow:
    """The first window at or after ``from_year`` that has not closed at ``as_of``."""
    year = int(from_year)
    while entry_window(year).closes < as_of:
        year += 1
    return entry_window(year)


@dataclass(frozen=True)
class PlanCalendar:
    """The date a plan is made (``as_of``) and the window it aims at.

    ``weeks_remaining``: whole weeks from ``as_of`` to the window's close (0 after it).
    """

    as_of: dt.date
    window: EntryWindow

    @property
    def weeks_available(self) -> float:
        return (self.window.closes - self.as_of).days / 7.0

    @property
    def weeks_remaining(self) -> int:
        return max(int(math.floor(self.weeks_available)), 0)

    @property
    def closed(self) -> bool:
        return self.as_of > self.window.closes

    def fits(self, lead_weeks: float) -> bool:
        """Whether something started at ``as_of`` and taking ``lead_weeks`` ends before the
        window closes."""
        return math.isfinite(lead_weeks) and lead_weeks <= self.weeks_available + 1e-9

    def deadline(self, lead_weeks: float) -> dt.date:
        """When a step taking ``lead_weeks`` and started at ``as_of`` is done (its evidence
        ready to upload); never after the window closes."""
        if not math.isfinite(lead_weeks):
            return self.window.closes
        done = self.as_of + dt.timedelta(days=int(math.ceil(lead_weeks * 7)))
        return min(done, self.window.closes)

    def start_by(self, lead_weeks: float) -> dt.date:
        """The last day to start a step of ``lead_weeks`` so that it ends when the window
        closes."""
        return self.window.closes - dt.timedelta(days=int(math.ceil(lead_weeks * 7)))


def plan_calendar(as_of: dt.date | None, from_year: int, entry_year: int | None = None
                  ) -> PlanCalendar:
    """The calendar of a plan made at ``as_of`` (default today): the window of ``entry_year``,
    or by default the first one at or after ``from_year`` (the rules' year) still open."""
    as_of = as_of or dt.date.today()
    window = entry_window(entry_year) if entry_year is not None else next_window(as_of, from_year)
    return PlanCalendar(as_of, window)


ELIGIBILITY_WINDOW = ("eligibility_window_start", "eligibility_window_end")


def new_innovation_eligible(methodology: Methodology, calendar: PlanCalendar,
                            lead_weeks: float) -> bool:
    """Whether an innovation started on the plan's date and implemented ``lead_weeks`` later
    falls inside the year's eligibility window (True when the year has no such rule). Under the
    rule an innovation implemented outside the window leaves n and the maturity sum, so a plan
    does not create one."""
    if not all(methodology.has(name) for name in ELIGIBILITY_WINDOW):
        return True
    start, end = (dt.date.fromisoformat(str(methodology.rule(n).value)) for n in ELIGIBILITY_WINDOW)
    implemented = calendar.as_of + dt.timedelta(days=int(math.ceil(lead_weeks * 7)))
    return start <= implemented <= end


__all__ = [
    "ASSUMED_WINDOW",
    "ELIGIBILITY_WINDOW",
    "new_innovation_eligible",
    "EntryWindow",
    "PlanCalendar",
    "entry_window",
    "next_window",
    "plan_calendar",
]
