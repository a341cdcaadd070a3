"""The effort model that ships with the package: what each action takes, in *hari kerja*.

Effort is counted in **hari kerja** (person-days: one person working one day), named once in
both languages by :data:`EFFORT_UNIT`. The defaults are data, ``data/effort/actions.csv``, one
row per default with its provenance (every default is a rough, editable ASSUMPTION):

- ``raise_level`` rows with a blank indicator: the effort of one level step by **evidence kind**
  (a document the OPD issues itself, a decree signed by the head of region, a video, replication
  by another region, a budget line, a survey or data series, an online system, an event, a
  publication, a planning document, an award scheme) and the kind ``outcome`` (``inf``: never
  planned);
- ``raise_level`` rows with an indicator: the indicator's evidence kind, read from its level
  descriptions in the methodology tables (a blank effort takes the kind's default). SPD
  indicators that measure **outcomes** (investment, PAD, unemployment, poverty, IPM, the BPK
  opinion, the LAKIP and policy-quality grades, past budgets) are of kind ``outcome``;
- ``add_innovation`` by stage: creating a whole new innovation (plans add ``penerapan`` ones);
- ``promote_stage``: moving an innovation from *uji coba* to *penerapan*.

:class:`EffortModel` is a :class:`~iid_analysis.feasibility.costs.CostTable` whose step costs
come from the catalogue, whose new innovation costs its creation effort as a whole (not a bundle
of steps), and which a cost table overrides per indicator, per evidence kind, per OPD and per
innovation (:func:`load_effort`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import ClassVar

import numpy as np
import pandas as pd

from ..errors import InvalidValueError
from ..inputs.region import Region
from ..messages import Localized, Term
from ..methodology import Methodology
from .actions import Action
from .change import ACTION, NEW_INNOVATION, change_classes, change_table
from .change import OUTCOME as KIND_OUTCOME
from .costs import KIND_ADD, KIND_RAISE, CostTable, read_cost_rows
from .rows import Row, Rows

CATALOGUE_FILE = Path(__file__).resolve().parent.parent / "data" / "effort" / "actions.csv"

EFFORT_UNIT = Term("common.effort_unit")
"""The unit of effort: *hari kerja* (id) = person-days (en), one person working one day."""

EFFORT_UNIT_DEFINITION = Term("common.effort_unit_definition")
"""The unit with its meaning, as the report's effort lines give it."""

KIND_PROMOTE = "promote_stage"
OUTCOME = "outcome"
NEW_STAGE = "penerapan"


@dataclass(frozen=True)
class CatalogueRow:
    """One default of the catalogue (a row of ``data/effort/actions.csv``)."""

    action_kind: str
    indicator: str
    evidence_kind: str
    stage: str
    unit: str
    default_effort: float | None
    provenance: str
    label_id: str
    label_en: str
    note: str


@lru_cache(maxsize=1)
def load_catalogue(path: str | Path | None = None) -> tuple[CatalogueRow, ...]:
    """The action catalogue rows, as written in the file (default: the shipped one)."""
    frame = pd.read_csv(path or CATALOGUE_FILE, dtype=str, keep_default_na=False)
    rows = []
    for record in frame.to_dict("records"):
        effort = record["default_effort"].strip()
        rows.append(
            CatalogueRow(
                action_kind=record["action_kind"].strip(),
                indicator=record["indicator"].strip(),
                evidence_kind=record["evidence_kind"].strip(),
                stage=record["stage"].strip(),
                unit=record["unit"].strip(),
                default_effort=None if effort == "" else float(effort),
                provenance=record["provenance"].strip(),
                label_id=record["label_id"].strip(),
                label_en=record["label_en"].strip(),
                note=record["note"].strip(),
            )
        )
    return tuple(rows)


def evidence_kinds() -> pd.DataFrame:
    """The evidence kinds: ``evidence_kind``, ``label_id``, ``label_en``, ``effort`` (per level
    step, :data:`EFFORT_UNIT`), ``provenance``, ``note``."""
    rows = [
        (r.evidence_kind, r.label_id, r.label_en, r.default_effort, r.provenance, r.note)
        for r in load_catalogue()
        if r.action_kind == KIND_RAISE and not r.indicator
    ]
    columns = ["evidence_kind", "label_id", "label_en", "effort", "provenance", "note"]
    return pd.DataFrame(rows, columns=columns)


def evidence_kind_of(indicator: str) -> str:
    """The evidence kind of an indicator (``outcome`` for the SPD outcomes); '' if not listed."""
    for row in load_catalogue():
        if row.action_kind == KIND_RAISE and row.indicator == indicator:
            return row.evidence_kind
    return ""


def _kind_efforts() -> dict[str, float]:
    return {
        r.evidence_kind: float(r.default_effort)
        for r in load_catalogue()
        if r.action_kind == KIND_RAISE and not r.indicator and r.default_effort is not None
    }


def _stage_efforts(kind: str) -> dict[str, float]:
    return {
        r.stage: float(r.default_effort)
        for r in load_catalogue()
        if r.action_kind == kind and r.default_effort is not None
    }


def effort_defaults(methodology: Methodology | None = None) -> pd.DataFrame:
    """Every default as a row for the assumptions log.

    Columns: ``action_kind`` (``raise_level``, ``add_innovation``, ``promote_stage``),
    ``indicator`` ('' for a kind's default), ``indicator_name`` (the table's ``name_id`` when
    ``methodology`` is given), ``evidence_kind``, ``stage``, ``effort`` (per level step for
    ``raise_level``; ``inf`` = never planned), ``unit`` (``hari kerja``), ``unit_en``
    (``person-days``), ``provenance`` (ASSUMED), ``note`` (the reasoning).
    """
    kinds = _kind_efforts()
    rows = []
    for r in load_catalogue():
        effort = r.default_effort
        if effort is None:
            effort = kinds.get(r.evidence_kind, math.nan)
        name = ""
        if methodology is not None and r.indicator and methodology.has_indicator(r.indicator):
            name = methodology.indicator(r.indicator).name_id
        rows.append(
            (r.action_kind, r.indicator, name, r.evidence_kind, r.stage, float(effort),
             r.unit, EFFORT_UNIT["en"], r.provenance, r.note)
        )  # fmt: skip
    columns = ["action_kind", "indicator", "indicator_name", "evidence_kind", "stage", "effort",
               "unit", "unit_en", "provenance", "note"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


# --- the model --------------------------------------------------------------------------
@dataclass(frozen=True)
class EffortModel(CostTable):
    """Costs in :data:`EFFORT_UNIT` from the catalogue, with a cost table's overrides.

    ``by_indicator`` holds every indicator's step effort (outcomes ``inf`` unless a cost table
    named them); ``step`` applies only to indicators the catalogue does not list.
    ``add_innovation`` is the effort of creating one whole new innovation (whatever its
    profile): :meth:`levels_cost` returns it alone, not a sum of steps. ``by_opd`` and
    ``by_innovation`` map (OPD or innovation id, indicator) to a step effort, indicator ''
    for all of its non-outcome indicators; the most specific applies (innovation, then OPD, then
    indicator). ``stage_promotion``: moving one innovation from *uji coba* to *penerapan*.
    ``evidence``: indicator -> evidence kind. ``overrides``: the cost-table rows applied.
    """

    by_opd: Mapping[tuple[str, str], float] = field(default_factory=lambda: MappingProxyType({}))
    by_innovation: Mapping[tuple[str, str], float] = field(
        default_factory=lambda: MappingProxyType({})
    )
    stage_promotion: float = 20.0
    evidence: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    overrides: tuple[str, ...] = ()
    steps: Mapping[tuple[str, int], float] = field(default_factory=lambda: MappingProxyType({}))
    leads: Mapping[tuple[str, int], float] = field(default_factory=lambda: MappingProxyType({}))
    kinds: Mapping[tuple[str, int], str] = field(default_factory=lambda: MappingProxyType({}))
    changes: Mapping[tuple[str, int], str] = field(default_factory=lambda: MappingProxyType({}))
    add_lead_weeks: float = 16.0

    @property
    def unit(self) -> Mapping[str, str]:
        return EFFORT_UNIT

    # --- per level step: kind of change, effort and lead time ---------------------------
    def step_kind(self, indicator: str, to_level: int) -> str:
        """``action``, ``evidence``, ``record`` or ``outcome`` (:mod:`.change`)."""
        return self.kinds.get((indicator, int(to_level)), ACTION)

    def step_lead(self, indicator: str, to_level: int) -> float:
        return float(self.leads.get((indicator, int(to_level)), 0.0))

    def step_change(self, indicator: str, to_level: int) -> str:
        return self.changes.get((indicator, int(to_level)), "")

    def level_cost_for(
        self, indicator: str, to_level: int, opd: str = "", innovation_id: str = ""
    ) -> float:
        """Effort of the step to ``to_level`` (``inf``: not an action). An OPD or innovation
        row naming the indicator applies to every step; one for all indicators only to the
        action steps."""
        key = (indicator, int(to_level))
        base = float(self.steps.get(key, self.step_cost(indicator)))
        action = self.step_kind(indicator, to_level) == ACTION
        for scope, who in ((self.by_innovation, innovation_id), (self.by_opd, opd)):
            if not who:
                continue
            if (who, indicator) in scope:
                return float(scope[(who, indicator)])
            if (who, "") in scope and action:
                return float(scope[(who, "")])
        return base

    def level_costs(self, methodology: Methodology, aspect: str) -> np.ndarray:
        numbers = methodology.spd_numbers if aspect == "SPD" else methodology.innovation_numbers
        return np.array(
            [[self.level_cost_for(n, s) for s in (1, 2, 3)] for n in numbers], dtype=float
        ).reshape(len(numbers), 3)

    def lead_weeks(self, methodology: Methodology, aspect: str) -> np.ndarray:
        numbers = methodology.spd_numbers if aspect == "SPD" else methodology.innovation_numbers
        return np.array(
            [[self.step_lead(n, s) for s in (1, 2, 3)] for n in numbers], dtype=float
        ).reshape(len(numbers), 3)

    def innovation_level_costs(self, region: Region) -> np.ndarray:
        """Effort of each step of each (innovation, indicator): (n, indicators, 3)."""
        methodology = region.methodology
        base = self.level_costs(methodology, "INOVASI")
        result = np.tile(base, (region.n, 1, 1))
        if not self.has_cell_costs:
            return result
        numbers = methodology.innovation_numbers
        for r, (innovation_id, opd) in enumerate(zip(region.ids, region.opds, strict=True)):
            for j, number in enumerate(numbers):
                for s in (1, 2, 3):
                    result[r, j, s - 1] = self.level_cost_for(number, s, opd, innovation_id)
        return result

    def is_outcome(self, indicator: str) -> bool:
        return self.evidence.get(indicator) == OUTCOME

    def levels_cost(self, levels: Mapping[str, int]) -> float:
        """Effort of one new innovation: its creation effort as a whole profile."""
        return float(self.add_innovation)

    def step_cost_for(self, indicator: str, opd: str = "", innovation_id: str = "") -> float:
        """Effort of one step on ``indicator`` of ``innovation_id`` in ``opd`` ('' for SPD)."""
        base = self.step_cost(indicator)
        outcome = self.is_outcome(indicator)
        for scope, key in ((self.by_innovation, innovation_id), (self.by_opd, opd)):
            if not key:
                continue
            if (key, indicator) in scope:
                return float(scope[(key, indicator)])
            if (key, "") in scope and not outcome:
                return float(scope[(key, "")])
        return base

    @property
    def has_cell_costs(self) -> bool:
        """True when some step effort depends on the OPD or the innovation."""
        return bool(self.by_opd) or bool(self.by_innovation)

    def innovation_step_costs(self, region: Region) -> np.ndarray:
        """Step effort of each (innovation, indicator 16..35) cell of ``region``."""
        numbers = region.methodology.innovation_numbers
        base = np.array([self.step_cost(n) for n in numbers], dtype=float)
        result = np.tile(base, (region.n, 1))
        if not self.has_cell_costs:
            return result
        for r, (innovation_id, opd) in enumerate(zip(region.ids, region.opds, strict=True)):
            for j, number in enumerate(numbers):
                result[r, j] = self.step_cost_for(number, opd, innovation_id)
        return result

    def action_cost(self, action: Action) -> float:
        """Effort of an action of a plan (per OPD and per innovation overrides applied)."""
        if action.kind == KIND_ADD:
            return self.levels_cost(action.levels_dict)
        return float(sum(
            self.level_cost_for(action.indicator, s, action.opd, action.innovation_id)
            for s in range(action.from_level + 1, action.to_level + 1)
        ))  # fmt: skip

    def raise_cost(self, indicator: str, from_level: int, to_level: int) -> float:
        return float(sum(self.level_cost_for(indicator, s) for s in range(from_level + 1,
                                                                          to_level + 1)))


def default_effort(methodology: Methodology) -> EffortModel:
    """The shipped defaults for ``methodology``'s indicators (no cost table)."""
    return _build(methodology, {}, {}, {}, {}, {}, ())


def _build(methodology, by_indicator_rows, by_kind_rows, by_opd, by_innovation, flat, applied):
    """The model: catalogue defaults, then the cost table's rows (see :func:`load_effort`)."""
    kinds = _kind_efforts()
    kinds.update(by_kind_rows)
    evidence, by_indicator = {}, {}
    numbers = list(methodology.spd_numbers) + list(methodology.innovation_numbers)
    listed = {
        r.indicator: r
        for r in load_catalogue()
        if r.action_kind == KIND_RAISE and r.indicator
    }
    blank_step = flat.get(KIND_RAISE)
    for number in numbers:
        row = listed.get(number)
        if number in by_indicator_rows:
            cost = by_indicator_rows[number]
        elif row is None:
            cost = blank_step if blank_step is not None else kinds.get("", 1.0)
        elif row.evidence_kind == OUTCOME:
            cost = kinds[OUTCOME]
        elif row.evidence_kind in by_kind_rows:
            cost = by_kind_rows[row.evidence_kind]
        elif blank_step is not None:
            cost = blank_step
        elif row.default_effort is not None:
            cost = row.default_effort
        else:
            cost = kinds[row.evidence_kind]
        by_indicator[number] = float(cost)
        evidence[number] = row.evidence_kind if row else ""
    steps, leads, step_kinds, changes = _level_tables(
        methodology, by_indicator_rows, by_kind_rows, blank_step, evidence
    )
    for number in numbers:
        finite = [steps[(number, s)] for s in (1, 2, 3) if math.isfinite(steps[(number, s)])]
        if number not in by_indicator_rows and (number, 1) in step_kinds:
            by_indicator[number] = float(np.mean(finite)) if finite else math.inf
    add = flat.get(KIND_ADD, _stage_efforts(KIND_ADD)[NEW_STAGE])
    promote = flat.get(KIND_PROMOTE, _stage_efforts(KIND_PROMOTE)[NEW_STAGE])
    return EffortModel(
        step=float(blank_step if blank_step is not None else 1.0),
        add_innovation=float(add),
        by_indicator=MappingProxyType(by_indicator),
        by_opd=MappingProxyType(dict(by_opd)),
        by_innovation=MappingProxyType(dict(by_innovation)),
        stage_promotion=float(promote),
        evidence=MappingProxyType(evidence),
        overrides=tuple(applied),
        steps=MappingProxyType(steps),
        leads=MappingProxyType(leads),
        kinds=MappingProxyType(step_kinds),
        changes=MappingProxyType(changes),
        add_lead_weeks=float(change_classes()[NEW_INNOVATION].lead_weeks),
    )


NAMED_LEAD_WEEKS = 4.0
"""Lead time of a step that a cost table made an action although the shipped data does not
(a planning office that disagrees): a document the OPD issues itself."""


def _level_tables(methodology, by_indicator_rows, by_kind_rows, blank_step, evidence):
    """Per (indicator, to_level): effort (inf unless an action), lead time (weeks), kind of
    change and change class, from ``change_kinds.csv`` and the cost table's rows.

    A cost-table row naming an indicator makes every step of it an action at that cost; an
    evidence-kind row (the old catalogue's kinds, e.g. ``video``) sets the effort of the action
    steps of its indicators, and ``outcome`` with a finite cost makes the outcome steps actions;
    a blank ``raise_level`` row sets every action step's effort."""
    table = change_table(methodology)
    steps, leads, kinds, changes = {}, {}, {}, {}
    numbers = list(methodology.spd_numbers) + list(methodology.innovation_numbers)
    outcome_cost = by_kind_rows.get(KIND_OUTCOME)
    for number in numbers:
        for level in (1, 2, 3):
            key = (number, level)
            rule = table.step(number, level)
            lead = rule.lead_weeks if rule else 0.0
            if not math.isfinite(lead):
                lead = NAMED_LEAD_WEEKS
            kind = rule.change_kind if rule else ACTION
            changes[key] = rule.change if rule else ""
            if number in by_indicator_rows:
                kind, cost = ACTION, by_indicator_rows[number]
            elif kind == KIND_OUTCOME and outcome_cost is not None and math.isfinite(outcome_cost):
                kind, cost = ACTION, outcome_cost
            elif kind != ACTION:
                cost = math.inf
            elif evidence.get(number) in by_kind_rows:
                cost = by_kind_rows[evidence[number]]
            elif blank_step is not None:
                cost = blank_step
            else:
                cost = rule.effort_days if rule else 1.0
            steps[key], leads[key], kinds[key] = float(cost), float(lead), kind
    return steps, leads, kinds, changes


EFFORT_KINDS = (KIND_RAISE, KIND_ADD, KIND_PROMOTE)


def load_effort(path: str | Path, methodology: Methodology) -> EffortModel:
    """The default effort model with a cost table's rows applied (CSV or XLSX).

    Columns ``kind`` and ``cost`` (required), ``indicator``, ``opd``, ``innovation_id``
    (optional). ``kind``: ``raise_level``, ``add_innovation``, ``promote_stage``, or an evidence
    kind (``video``, ``replication``, ..., ``outcome``) meaning every indicator of that kind.
    Precedence: a row naming an indicator, then an evidence-kind row, then a blank
    ``raise_level`` row (all indicators except the outcomes), then the catalogue. An outcome is
    planned only when a row names it or the kind ``outcome``. ``opd`` / ``innovation_id`` rows
    apply to those innovations only (``raise_level`` or an evidence kind). A table in the old
    format (``kind, indicator, cost``) reads as before. Raises the
    :class:`~iid_analysis.errors.IIDDataError` subclasses naming file, row and column.
    """
    kinds = set(_kind_efforts()) | {OUTCOME}
    rows, source = read_cost_rows(
        path, methodology, set(EFFORT_KINDS) | kinds,
        f"{', '.join(EFFORT_KINDS)} or an evidence kind ({', '.join(sorted(kinds))})",
        "kind, indicator, opd, innovation_id, cost",
    )  # fmt: skip
    by_indicator, by_kind, by_opd, by_innovation, flat = {}, {}, {}, {}, {}
    applied = []
    for row in rows:
        kind, indicator, opd, innovation_id = row.key
        cost, lines = row.cost, list(row.rows)
        if kind in (KIND_ADD, KIND_PROMOTE) and (indicator or opd or innovation_id):
            column = "indicator" if indicator else ("opd" if opd else "innovation_id")
            raise InvalidValueError(
                f"{kind} takes no indicator, opd or innovation_id (one cost for every new "
                "innovation, as a whole)",
                source=source,
                rows=lines,
                column=column,
            )
        if kind in kinds and indicator:
            raise InvalidValueError(
                f"an evidence kind ({kind}) row takes no indicator: use raise_level for one",
                source=source,
                rows=lines,
                column="indicator",
            )
        key = row.key
        applied.append(f"{' '.join(x for x in key if x)} = {cost:g}")
        what = indicator if kind == KIND_RAISE else (f"kind:{kind}" if kind in kinds else "")
        if innovation_id or opd:
            target = by_innovation if innovation_id else by_opd
            target[(innovation_id or opd, what)] = cost
        elif kind in (KIND_ADD, KIND_PROMOTE):
            flat[kind] = cost
        elif kind in kinds:
            by_kind[kind] = cost
        elif indicator:
            by_indicator[indicator] = cost
        else:
            flat[KIND_RAISE] = cost
    model = _build(methodology, by_indicator, by_kind, {}, {}, flat, applied)
    # Kind-scoped OPD / innovation rows become one entry per indicator of that kind.
    return replace(
        model,
        by_opd=MappingProxyType(_expand(by_opd, model.evidence)),
        by_innovation=MappingProxyType(_expand(by_innovation, model.evidence)),
    )


def _expand(scoped: Mapping[tuple[str, str], float], evidence: Mapping[str, str]):
    result = {}
    for (who, what), cost in scoped.items():
        if what.startswith("kind:"):
            kind = what[len("kind:") :]
            for number, evidence_kind in evidence.items():
                if evidence_kind == kind:
                    result[(who, number)] = cost
    # A row naming the indicator (or all of them, '') beats a kind row of the same scope.
    result.update({k: v for k, v in scoped.items() if not k[1].startswith("kind:")})
    return result


def as_effort(costs: CostTable | None, methodology: Methodology) -> CostTable:
    """``costs`` itself, or the shipped defaults when None."""
    return default_effort(methodology) if costs is None else costs


# --- outcomes as context ---------------------------------------------------------------------
@dataclass(frozen=True)
class OutcomeValue(Row):
    """An SPD indicator the plan does not act on, and what it is worth to the score (a row of
    :class:`OutcomeValues`)."""

    indicator: str
    name_id: str
    name_en: str
    level: int
    """Its level today."""
    points: float
    """Its points today."""
    max_points: float
    """Its points at level 3."""
    iid_gain_one_step: float
    """Unrounded IID gain of one step up (0 at level 3)."""
    iid_gain_to_max: float
    """Unrounded IID gain of reaching level 3."""
    evidence_kind: str
    """Its kind of evidence (``outcome``...; ``forbidden`` when the cost table forbids it)."""

    @property
    def name(self) -> Localized:
        """The indicator's name, rendered in the reader's language."""
        return Localized({"id": self.name_id, "en": self.name_en})


@dataclass(frozen=True)
class OutcomeValues(Rows[OutcomeValue]):
    """The outcome indicators, most valuable first (:func:`outcome_values`)."""

    row_type: ClassVar[type] = OutcomeValue

    @property
    def open(self) -> tuple[OutcomeValue, ...]:
        """Those with value left (below level 3)."""
        return tuple(r for r in self.rows if r.iid_gain_to_max > 0)

    @property
    def indicators(self) -> tuple[str, ...]:
        return tuple(r.indicator for r in self.rows)


def outcome_values(region: Region, costs: CostTable | None = None) -> OutcomeValues:
    """The SPD indicators the plan does not act on (outcomes, or forbidden by ``costs``), with
    what they are worth to the score, as context (:class:`OutcomeValue` rows, most valuable
    first; ``.frame()`` for a table)."""
    methodology = region.methodology
    costs = as_effort(costs, methodology)
    before = float(region.iid_unrounded())
    rows = []
    for i, number in enumerate(methodology.spd_numbers):
        if math.isfinite(costs.step_cost(number)):
            continue
        indicator = methodology.indicator(number)
        level = int(region.spd_levels[i])
        points = float(region.spd_table[i, level])
        top = float(region.spd_table[i, -1])
        one = float(region.spd_table[i, min(level + 1, 3)]) - points
        gain_one = float(region.iid_unrounded(spd_total=region.spd_total + one)) - before
        gain_max = float(region.iid_unrounded(spd_total=region.spd_total + top - points)) - before
        rows.append(OutcomeValue(
            number, indicator.name_id, indicator.name_en, level, points, top, gain_one,
            gain_max, evidence_kind_of(number) or "forbidden",
        ))  # fmt: skip
    # most valuable first (a stable sort: ties keep the methodology's order)
    return OutcomeValues(tuple(sorted(rows, key=lambda r: -r.iid_gain_to_max)))


__all__ = [
    "CATALOGUE_FILE",
    "EFFORT_UNIT",
    "EFFORT_UNIT_DEFINITION",
    "EffortModel",
    "KIND_PROMOTE",
    "OUTCOME",
    "OutcomeValue",
    "OutcomeValues",
    "as_effort",
    "default_effort",
    "effort_defaults",
    "evidence_kind_of",
    "evidence_kinds",
    "load_catalogue",
    "load_effort",
    "outcome_values",
]
