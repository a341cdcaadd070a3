"""What each kind of action costs, and the cost table file that overrides the defaults.

A cost table has one row per cost, columns ``kind``, ``indicator`` (optional) and ``cost``:

- ``raise_level`` with a blank indicator: the cost of one level step on any indicator;
- ``raise_level`` with an indicator (``31``, ``2a``): the cost of one step on that indicator
  (SPD or per-innovation, on existing and on new innovations alike);
- ``add_innovation`` (indicator blank): the cost of registering one new innovation, on top of
  the level steps its levels need.

A cost of ``inf`` forbids the action (e.g. an SPD indicator the city cannot move). A finite
cost is at most ``MAX_COST`` (larger ones are beyond the exact arithmetic of the plan search).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np

from ..errors import (
    DuplicateKeyError,
    InvalidValueError,
    MissingColumnError,
    UnknownIndicatorError,
)
from ..inputs.dataset import parse_decimal, read_table
from ..inputs.validation import indicator_label, normalize_choice, row_numbers
from ..methodology import SPD, Methodology

KIND_RAISE = "raise_level"
KIND_ADD = "add_innovation"
KINDS = (KIND_RAISE, KIND_ADD)

DEFAULT_STEP_COST = 1.0
DEFAULT_ADD_COST = 1.0
MAX_COST = 1e9


@dataclass(frozen=True)
class CostTable:
    """Costs of actions: ``step`` per level step, ``add_innovation`` per new innovation, and
    ``by_indicator`` (indicator number -> cost of one step) overriding ``step``."""

    step: float = DEFAULT_STEP_COST
    add_innovation: float = DEFAULT_ADD_COST
    by_indicator: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))

    def step_cost(self, indicator: str) -> float:
        """Cost of one level step on ``indicator`` (``inf`` when forbidden)."""
        return float(self.by_indicator.get(indicator, self.step))

    def step_costs(self, methodology: Methodology, aspect: str) -> np.ndarray:
        """Cost of one step on each indicator of ``aspect`` (SPD or INOVASI), in table order."""
        numbers = methodology.spd_numbers if aspect == SPD else methodology.innovation_numbers
        return np.array([self.step_cost(n) for n in numbers], dtype=float)

    def raise_cost(self, indicator: str, from_level: int, to_level: int) -> float:
        """Cost of raising ``indicator`` from ``from_level`` to ``to_level`` (0 for no step)."""
        steps = to_level - from_level
        return steps * self.step_cost(indicator) if steps > 0 else 0.0

    def levels_cost(self, levels: Mapping[str, int]) -> float:
        """Cost of a new innovation with these levels: its registration plus every step from 0."""
        steps = sum(self.raise_cost(number, 0, level) for number, level in levels.items())
        return self.add_innovation + steps

    def level_costs(self, methodology: Methodology, aspect: str) -> np.ndarray:
        """Cost of each step (indicators of ``aspect`` x steps to level 1, 2, 3): here every
        step of an indicator costs its ``step_cost``."""
        return np.repeat(self.step_costs(methodology, aspect)[:, None], 3, axis=1)

    def lead_weeks(self, methodology: Methodology, aspect: str) -> np.ndarray:
        """Lead time of each step in weeks (same shape as :meth:`level_costs`): a plain cost
        table knows none (0: every step fits any calendar)."""
        numbers = methodology.spd_numbers if aspect == SPD else methodology.innovation_numbers
        return np.zeros((len(numbers), 3))

    def step_kind(self, indicator: str, to_level: int) -> str:
        """The kind of change of a step: a plain cost table treats every step as an action."""
        return "action"

    def step_lead(self, indicator: str, to_level: int) -> float:
        """Lead time (weeks) of one step; 0 for a plain cost table."""
        return 0.0

    def step_change(self, indicator: str, to_level: int) -> str:
        """The kind of change (lead-time class) of one step; '' for a plain cost table."""
        return ""


@dataclass(frozen=True)
class CostRow:
    """One checked row of a cost table: ``kind`` (normalised), ``indicator`` ('' for none),
    ``opd``, ``innovation_id`` ('' when not given), ``cost``, and its ``rows`` in the file."""

    kind: str
    indicator: str
    opd: str
    innovation_id: str
    cost: float
    rows: tuple[int, ...]

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.kind, self.indicator, self.opd, self.innovation_id)


def read_cost_rows(
    path: str | Path, methodology: Methodology, kinds, kinds_text: str, columns_text: str
) -> tuple[list[CostRow], str]:
    """The rows of a cost table (CSV or XLSX), each checked for what every cost table shares:
    the ``kind`` and ``cost`` columns, a kind among ``kinds`` (``kinds_text`` names them in the
    message), an indicator of the year's table, a cost >= 0 (or inf), no row given twice.
    Returns the rows and the file's name; raises the :class:`IIDDataError` subclasses naming
    file, row and column. What a kind may combine with is the caller's rule."""
    frame = read_table(path)
    source = frame.attrs["source"]
    for column in ("kind", "cost"):
        if column not in frame.columns:
            raise MissingColumnError(
                f"required column {column!r} not found (columns: {columns_text})",
                source=source,
                column=column,
            )
    known = set(methodology.spd_numbers) | set(methodology.innovation_numbers)
    result: list[CostRow] = []
    seen: dict[tuple, list[int]] = {}
    for position in range(len(frame)):
        row = frame.iloc[position]
        rows = row_numbers(frame.iloc[[position]])
        kind = normalize_choice(row["kind"]).replace(" ", "_")
        if kind not in kinds:
            raise InvalidValueError(
                f"kind {row['kind']!r} is not one of {kinds_text}",
                source=source,
                rows=rows,
                column="kind",
            )
        raw = str(row.get("indicator", "") or "").strip()
        indicator = indicator_label(raw) if raw else ""
        if raw and (indicator is None or indicator not in known):
            raise UnknownIndicatorError(
                f"{raw!r} is not an indicator of the {methodology.year} table",
                source=source,
                rows=rows,
                column="indicator",
            )
        opd = str(row.get("opd", "") or "").strip()
        innovation_id = str(row.get("innovation_id", "") or "").strip()
        key = (kind, indicator, opd, innovation_id)
        if key in seen:
            what = " ".join(x for x in key if x)
            if not indicator and not opd and not innovation_id:
                what += " (all indicators)"
            raise DuplicateKeyError(
                f"{what} is given more than once",
                source=source,
                rows=seen[key] + rows,
                column="kind",
            )
        seen[key] = rows
        cost = _parse_cost(row["cost"], source, rows)
        result.append(CostRow(kind, indicator, opd, innovation_id, cost, tuple(rows)))
    return result, source


def load_costs(path: str | Path, methodology: Methodology) -> CostTable:
    """A plain :class:`CostTable` (unit costs unless the table says otherwise) from a CSV or
    XLSX cost table of ``kind, indicator, cost`` (format in the module docstring). The CLI reads
    cost tables with :func:`~iid_analysis.feasibility.effort.load_effort` (the shipped efforts
    as defaults).

    Raises a subclass of :class:`IIDDataError` (file, row and column named) for a missing
    column, an unknown kind or indicator, a cost that is not a number >= 0, or a repeated row.
    """
    rows, source = read_cost_rows(
        path, methodology, KINDS, ", ".join(KINDS), "kind, indicator, cost"
    )
    step, add, by_indicator = DEFAULT_STEP_COST, DEFAULT_ADD_COST, {}
    for row in rows:
        if row.opd or row.innovation_id:
            raise InvalidValueError(
                "a plain cost table has no per-OPD or per-innovation costs "
                "(load_effort reads them)",
                source=source,
                rows=list(row.rows),
                column="opd" if row.opd else "innovation_id",
            )
        if row.kind == KIND_ADD and row.indicator:
            raise InvalidValueError(
                "add_innovation takes no indicator (its levels are costed as raise_level steps)",
                source=source,
                rows=list(row.rows),
                column="indicator",
            )
        if row.kind == KIND_ADD:
            add = row.cost
        elif row.indicator:
            by_indicator[row.indicator] = row.cost
        else:
            step = row.cost
    return CostTable(step=step, add_innovation=add, by_indicator=MappingProxyType(by_indicator))


def _parse_cost(value: object, source: str, rows: list[int]) -> float:
    text = str(value).strip()
    try:
        cost = math.inf if text.lower() in {"inf", "infinity"} else parse_decimal(text)
    except ValueError:
        cost = math.nan
    if not cost >= 0:
        raise InvalidValueError(
            f"cost {text!r} is not a number >= 0 (or inf to forbid the action)",
            source=source,
            rows=rows,
            column="cost",
        )
    if math.isfinite(cost) and cost > MAX_COST:
        raise InvalidValueError(
            f"cost {text!r} is above the limit {MAX_COST:g} (the plan search cannot compare "
            "larger costs exactly; give inf to forbid the action)",
            source=source,
            rows=rows,
            column="cost",
        )
    return cost


__all__ = [
    "CostTable",
    "DEFAULT_ADD_COST",
    "DEFAULT_STEP_COST",
    "KINDS",
    "KIND_ADD",
    "KIND_RAISE",
    "MAX_COST",
    "CostRow",
    "load_costs",
    "read_cost_rows",
]
