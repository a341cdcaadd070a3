"""What can change, as data: the kind of every level step of every indicator.

``data/effort/change_kinds.csv`` gives, for each table year (2023, 2026), indicator and level
step (from ``to_level - 1`` to ``to_level``) its kind, each ASSUMED with its reasoning and the
level's own words:

- ``record``: the level records something past that cannot be changed now (how fast an
  innovation was created, the budget or RKPD of earlier years, last year's complaints). Never an
  action.
- ``evidence``: the state may already be true but is not shown (a step from *tidak diisi / bukti
  dukung tidak ada atau ditolak*, or a count the city records lower than the truth). Offered
  only as *periksa dan unggah bukti jika benar*, in its own list, never as an action.
- ``action``: a change the city can make, with its effort (hari kerja) and its lead time (weeks)
  by the kind of change (``data/effort/lead_times.csv``: a decree, an SOP, an online system...).
- ``outcome``: an outcome of the region (economy, welfare, audit grades): never planned.

``data/effort/new_innovation.csv`` gives the levels a new innovation can have in its first year.
A cost table that names an indicator overrides its kinds: every step of it becomes an action at
that cost (a planning office that disagrees with a judgement here).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from ..errors import UsageError
from ..messages import Message
from ..methodology import Methodology

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "effort"
CHANGE_KINDS_FILE = DATA_DIR / "change_kinds.csv"
LEAD_TIMES_FILE = DATA_DIR / "lead_times.csv"
NEW_INNOVATION_FILE = DATA_DIR / "new_innovation.csv"

RECORD = "record"
EVIDENCE = "evidence"
ACTION = "action"
OUTCOME = "outcome"
CHANGE_KINDS = (RECORD, EVIDENCE, ACTION, OUTCOME)
CHECK_EVIDENCE = "check_evidence"
NEW_INNOVATION = "new_innovation"
DEFAULT_EVIDENCE_CHANCE = 0.1
"""Chance that an evidence step is true (the state holds, only the evidence is missing): low
by default, stated in the assumptions log; a plan's probability counts evidence steps only with
this chance."""


@dataclass(frozen=True)
class ChangeClass:
    """One kind of change and its lead time (a row of ``lead_times.csv``)."""

    change: str
    lead_weeks: float
    effort_days: float
    label_id: str
    label_en: str
    reasoning: str


@dataclass(frozen=True)
class StepRule:
    """The kind of one level step (``to_level - 1`` -> ``to_level``) of one indicator."""

    table_year: int
    indicator: str
    to_level: int
    change_kind: str
    change: str
    effort_days: float
    lead_weeks: float
    provenance: str
    level_words: str
    reasoning: str

    @property
    def is_action(self) -> bool:
        return self.change_kind == ACTION


@lru_cache(maxsize=1)
def change_classes() -> Mapping[str, ChangeClass]:
    """The kinds of change with their default lead time (weeks) and effort (hari kerja)."""
    result = {}
    with LEAD_TIMES_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            result[row["change"]] = ChangeClass(
                row["change"], _number(row["lead_weeks"]), _number(row["effort_days"]),
                row["label_id"], row["label_en"], row["reasoning"],
            )  # fmt: skip
    return MappingProxyType(result)


def _number(text: str) -> float:
    text = (text or "").strip()
    return math.inf if text == "" else float(text)


@lru_cache(maxsize=1)
def _all_steps() -> tuple[StepRule, ...]:
    classes = change_classes()
    rows = []
    with CHANGE_KINDS_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            kind = row["change_kind"]
            if kind not in CHANGE_KINDS:
                raise UsageError(f"{CHANGE_KINDS_FILE.name}: unknown change_kind {kind!r}")
            default = classes.get(row["change"])
            effort = row["effort_days"].strip()
            lead = row["lead_weeks"].strip()
            rows.append(
                StepRule(
                    table_year=int(row["table_year"]),
                    indicator=row["indicator"],
                    to_level=int(row["to_level"]),
                    change_kind=kind,
                    change=row["change"],
                    effort_days=float(effort) if effort else (
                        default.effort_days if default else math.inf),
                    lead_weeks=float(lead) if lead else (
                        default.lead_weeks if default else math.inf),
                    provenance=row["provenance"],
                    level_words=row["level_words"],
                    reasoning=row["reasoning"],
                )
            )
    return tuple(rows)


def table_year(methodology: Methodology) -> int:
    """The year of the indicator table ``methodology`` uses (2023 or 2026)."""
    name = str(methodology.rule("indicators").value) if methodology.has("indicators") else ""
    return 2026 if "2026" in name else 2023


@dataclass(frozen=True)
class ChangeTable:
    """The step kinds of one methodology's indicator table."""

    table_year: int
    steps: Mapping[tuple[str, int], StepRule]

    def step(self, indicator: str, to_level: int) -> StepRule | None:
        return self.steps.get((str(indicator), int(to_level)))

    def kind(self, indicator: str, to_level: int) -> str:
        """The kind of the step to ``to_level``; ``action`` for an indicator not listed."""
        rule = self.step(indicator, to_level)
        return rule.change_kind if rule else ACTION

    def rows(self) -> list[StepRule]:
        return [self.steps[k] for k in sorted(self.steps, key=_step_order)]


def _step_order(key: tuple[str, int]):
    number, level = key
    digits = "".join(c for c in number if c.isdigit())
    return (int(digits or 0), number, level)


@lru_cache(maxsize=8)
def _table(year: int) -> ChangeTable:
    steps = {(s.indicator, s.to_level): s for s in _all_steps() if s.table_year == year}
    return ChangeTable(year, MappingProxyType(steps))


def change_table(methodology: Methodology) -> ChangeTable:
    """The step kinds for ``methodology``'s indicator table."""
    return _table(table_year(methodology))


@lru_cache(maxsize=8)
def _first_year_rows(year: int) -> tuple[tuple[str, int | None, str], ...]:
    with NEW_INNOVATION_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            (row["indicator"], int(row["level"]) if row["level"].strip() else None,
             row["reasoning"])
            for row in csv.DictReader(handle)
            if int(row["table_year"]) == year
        )  # fmt: skip


def creation_speed_level(lead_weeks: float) -> int:
    """Indicator 32's level for an innovation created in ``lead_weeks``: 1-4 months (17 weeks)
    is level 3, 5-8 months (35 weeks) level 2, longer level 1."""
    if lead_weeks <= 17:
        return 3
    if lead_weeks <= 35:
        return 2
    return 1


__all__ = [
    "ACTION",
    "CHANGE_KINDS",
    "CHECK_EVIDENCE",
    "DEFAULT_EVIDENCE_CHANCE",
    "EVIDENCE",
    "NEW_INNOVATION",
    "OUTCOME",
    "RECORD",
    "ChangeClass",
    "ChangeTable",
    "StepRule",
    "change_classes",
    "change_table",
    "creation_speed_level",
    "table_year",
]


@dataclass(frozen=True)
class NewInnovationProfile:
    """What a new innovation can be in its first year, from the level meanings.

    ``levels``: (indicator, level) for every indicator 16..35; ``words``: per indicator a
    :class:`~iid_analysis.messages.Message` (``plan.new_level``: indicator, its official
    name ``name_id``, level and the level's own words); ``reasons``: (indicator, reasoning)
    as shipped (ASSUMED); ``lead_weeks`` / ``effort_days``: creating it (design, decree,
    trial); ``stage``: the stage its dates allow (``penerapan`` when it is created before the
    window closes).
    """

    levels: tuple[tuple[str, int], ...]
    words: tuple
    reasons: tuple[tuple[str, str], ...]
    lead_weeks: float
    effort_days: float
    stage: str = "penerapan"

    @property
    def levels_dict(self) -> dict[str, int]:
        return dict(self.levels)


def first_year_profile(methodology: Methodology) -> NewInnovationProfile:
    """The levels a new innovation can have in its first year under ``methodology``'s table:
    only the current year's budget, no replication, users so far, the creation speed its own
    lead time gives, and no RKPD of past years (``data/effort/new_innovation.csv``)."""
    creation = change_classes()[NEW_INNOVATION]
    rows = _first_year_rows(table_year(methodology))
    listed = {number: (level, why) for number, level, why in rows}
    levels, words, reasons = [], [], []
    for number in methodology.innovation_numbers:
        level, why = listed.get(number, (1, "not listed: level 1 assumed"))
        if level is None:
            level = creation_speed_level(creation.lead_weeks)
        indicator = methodology.indicator(number)
        level_words = next((e.label for e in indicator.levels if e.level == level), "")
        levels.append((number, int(level)))
        reasons.append((number, why))
        words.append(Message("plan.new_level", {
            "indicator": number, "name_id": indicator.name_id, "level": int(level),
            "level_words": level_words,
        }))  # fmt: skip
    return NewInnovationProfile(
        tuple(levels), tuple(words), tuple(reasons), creation.lead_weeks, creation.effort_days
    )


def change_class_table():
    """The kinds of change that are actions, as rows for the assumptions log: ``change``,
    ``label_id``, ``label_en``, ``effort`` (hari kerja), ``lead_weeks``."""
    rows = [
        (c.change, c.label_id, c.label_en, c.effort_days, c.lead_weeks)
        for c in change_classes().values()
        if math.isfinite(c.effort_days) and c.change != NEW_INNOVATION
    ]
    return pd.DataFrame(rows, columns=["change", "label_id", "label_en", "effort", "lead_weeks"])


__all__ += ["NewInnovationProfile", "change_class_table", "first_year_profile"]
