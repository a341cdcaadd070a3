"""Actions a city can take on its indicator data, and applying them to the input tables.

Two kinds: ``raise_level`` (one indicator of the SPD, or of one innovation, from one level to a
higher one) and ``add_innovation`` (a new innovation with its OPD, a level for every
per-innovation indicator and, optionally, the urusan it must cover: from 2026 the count score
needs the innovations to cover enough urusan wajib pelayanan dasar). Applying actions changes
copies of the input tables only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..inputs.region import Region
from ..inputs.validation import STATUS_ACCEPTED, indicator_label, normalize_header, parse_level
from ..methodology import INOVASI, LEVELS, SPD, Methodology, basic_urusan_in
from ..scoring import combine, covered_basic_urusan
from .costs import KIND_ADD, KIND_RAISE, CostTable

NEW_STAGE = "penerapan"
NEW_NAME = "Inovasi baru (rencana)"

ACTION_COLUMNS = (
    "kind",
    "innovation_id",
    "opd",
    "indicator",
    "from_level",
    "to_level",
    "levels",
    "cost",
    "iid_gain",
    "urusan",
    "change_kind",
    "change",
    "effort_days",
    "lead_weeks",
    "deadline",
    "start_by",
)
"""Columns of :func:`actions_frame`, and the keys of :meth:`Action.as_dict`."""


@dataclass(frozen=True)
class Action:
    """One action of a plan.

    ``raise_level``: ``innovation_id`` ('' for the SPD), ``indicator``, ``from_level`` <
    ``to_level``; ``opd`` is the innovation's OPD ('' for the SPD); ``levels`` is None.
    ``add_innovation``: ``innovation_id`` of the new innovation, ``opd``, ``levels`` as
    (indicator, level) pairs for every indicator 16..35; ``indicator`` '' and the two levels
    None; ``urusan`` (optional) the urusan the new innovation must cover (a basic urusan that
    the 2026 count-score rule still misses), written into its ``urusan`` cell. ``cost`` is in
    cost units (hari kerja with the effort model; ``effort_days`` in :meth:`as_dict`);
    ``change_kind`` is ``action`` for every step of a plan (evidence steps are listed apart);
    ``change`` the kind of change (a decree, an SOP...), ``lead_weeks`` its lead time,
    ``deadline`` (ISO date) when it is done if started on the plan's date and ``start_by`` the
    last day to start it (None without a calendar). ``iid_gain`` is the change of the
    unrounded IID when the action is applied after the actions before it in its plan.
    """

    kind: str
    innovation_id: str = ""
    indicator: str = ""
    from_level: int | None = None
    to_level: int | None = None
    opd: str = ""
    levels: tuple[tuple[str, int], ...] | None = None
    cost: float = 0.0
    iid_gain: float = 0.0
    urusan: str | None = None
    change_kind: str = "action"
    change: str = ""
    lead_weeks: float = 0.0
    deadline: str | None = None
    start_by: str | None = None

    def __post_init__(self) -> None:
        if self.kind == KIND_RAISE:
            if self.from_level is None or self.to_level is None or not self.indicator:
                raise UsageError("a raise_level action needs indicator, from_level and to_level")
        elif self.kind == KIND_ADD:
            if self.levels is None or not self.innovation_id:
                raise UsageError("an add_innovation action needs innovation_id and levels")
            if self.urusan is not None and not str(self.urusan).strip():
                raise UsageError("an add_innovation action's urusan cannot be blank (use None)")
        else:
            raise UsageError(f"unknown action kind {self.kind!r} (use {KIND_RAISE} or {KIND_ADD})")
        if self.kind == KIND_RAISE and self.urusan is not None:
            raise UsageError("only an add_innovation action has an urusan")

    @property
    def levels_dict(self) -> dict[str, int]:
        return dict(self.levels or ())

    @property
    def is_spd(self) -> bool:
        return self.kind == KIND_RAISE and self.innovation_id == ""

    def as_dict(self) -> dict:
        """The action as JSON-ready values, keys as in :data:`ACTION_COLUMNS`."""
        return {
            "kind": self.kind,
            "innovation_id": self.innovation_id,
            "opd": self.opd,
            "indicator": self.indicator,
            "from_level": self.from_level,
            "to_level": self.to_level,
            "levels": self.levels_dict if self.kind == KIND_ADD else None,
            "cost": float(self.cost),
            "iid_gain": float(self.iid_gain),
            "urusan": self.urusan,
            "change_kind": self.change_kind,
            "change": self.change,
            "effort_days": float(self.cost),
            "lead_weeks": float(self.lead_weeks),
            "deadline": self.deadline,
            "start_by": self.start_by,
        }


def raise_level(
    indicator: str, from_level: int, to_level: int, innovation_id: str = "", opd: str = ""
) -> Action:
    """A ``raise_level`` action (``innovation_id`` '' for an SPD indicator)."""
    return Action(KIND_RAISE, innovation_id, indicator, int(from_level), int(to_level), opd)


def add_innovation(
    innovation_id: str, opd: str, levels: Mapping[str, int], urusan: str | None = None
) -> Action:
    """An ``add_innovation`` action; ``levels`` maps indicator 16..35 to a level; ``urusan``
    (optional) is the urusan the new innovation must cover."""
    pairs = tuple((str(k), int(v)) for k, v in levels.items())
    return Action(KIND_ADD, innovation_id, opd=opd, levels=pairs, urusan=urusan)


def actions_frame(actions: Iterable[Action]) -> pd.DataFrame:
    """Actions as a DataFrame with :data:`ACTION_COLUMNS` (``levels`` holds a dict or None)."""
    return pd.DataFrame([a.as_dict() for a in actions], columns=list(ACTION_COLUMNS))


def apply_actions(
    spd: pd.DataFrame, innovations: pd.DataFrame, actions: Iterable[Action]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """New SPD and innovation tables with ``actions`` applied in order (inputs are not changed).

    Works on the tables as loaded (:func:`iid_analysis.inputs.dataset.load_spd`,
    :func:`~iid_analysis.inputs.dataset.load_innovations`) or as plain frames with columns
    ``indicator``/``level`` and ``innovation_id``, profile columns and ``16``..``35``. Other
    columns are kept; new innovations get stage ``penerapan`` and status ``diterima``, and an
    action's ``urusan`` goes into the ``urusan`` column when the table has one (without it the
    urusan rule is not checked, and a column filled for the new rows only would fail it).
    Raises :class:`UsageError` when an action's ``from_level`` is not the current level or its
    innovation does not exist.
    """
    spd = spd.copy()
    innovations = innovations.copy()
    spd_columns = _column_map(spd)
    for column in ("indicator", "level"):
        if column not in spd_columns:
            raise UsageError(f"the SPD table has no {column!r} column")
    columns = _column_map(innovations)
    if "innovation_id" not in columns:
        raise UsageError("the innovations table has no 'innovation_id' column")
    ids = innovations[columns["innovation_id"]].map(lambda v: str(v).strip())
    positions = {innovation_id: p for p, innovation_id in enumerate(ids)}
    pending: list[dict] = []  # new innovations, appended in one go (one concat, not many)
    for action in actions:
        if action.is_spd:
            spd = _raise_spd(spd, spd_columns, action)
        elif action.kind == KIND_RAISE:
            innovations = _append_rows(innovations, pending)
            _raise_innovation(innovations, columns, positions, action)
        else:
            if action.innovation_id in positions:
                raise UsageError(f"innovation_id {action.innovation_id!r} already exists")
            positions[action.innovation_id] = len(positions)
            pending.append(_new_row(columns, action))
    return spd, _append_rows(innovations, pending)


def apply_to_region(region: Region, actions: Iterable[Action]) -> Region:
    """The region after ``actions`` (in order), as :func:`apply_actions` gives it.

    The region's data is valid and every action is checked (current level, level range,
    indicator of the right aspect), so the result is not validated again. Works on the level
    arrays (a plan applies thousands of steps); the table is rebuilt once.
    """
    methodology = region.methodology
    actions = list(actions)
    for action in actions:
        _check_action(methodology, action)
    numbers = list(methodology.innovation_numbers)
    column_of = {number: c for c, number in enumerate(numbers)}
    spd_levels = {n: int(v) for n, v in zip(methodology.spd_numbers, region.spd_levels,
                                            strict=True)}
    rows = list(region.levels.copy())
    positions = {innovation_id: j for j, innovation_id in enumerate(region.ids)}
    columns = _column_map(region.innovations)
    added: list[dict] = []
    for action in actions:
        if action.is_spd:
            _check_from(spd_levels.get(action.indicator, 0), action, "SPD")
            spd_levels[action.indicator] = action.to_level
        elif action.kind == KIND_RAISE:
            if action.innovation_id not in positions:
                raise UsageError(f"no innovation with innovation_id {action.innovation_id!r}")
            levels = rows[positions[action.innovation_id]]
            column = column_of[action.indicator]
            _check_from(levels[column], action, f"innovation {action.innovation_id}")
            levels[column] = action.to_level
        else:
            if action.innovation_id in positions:
                raise UsageError(f"innovation_id {action.innovation_id!r} already exists")
            positions[action.innovation_id] = len(rows)
            added.append(_new_row(columns, action))
            rows.append(np.array([action.levels_dict.get(n, 0) for n in numbers], dtype=int))
    table = region.innovations
    if added:
        table = pd.concat([table, pd.DataFrame(added)], ignore_index=True)
    else:
        table = table.copy()
    table[numbers] = np.array(rows, dtype=int).reshape(len(rows), len(numbers))
    return Region._from_checked(spd_levels, table, methodology, region.sources, region.name)


def _check_action(methodology: Methodology, action: Action) -> None:
    if action.kind == KIND_ADD:
        unknown = set(action.levels_dict) - set(methodology.innovation_numbers)
        if unknown:
            raise UsageError(f"indicator {sorted(unknown)[0]} is not a per-innovation indicator")
        levels = action.levels_dict.values()
    else:
        _step_points(methodology, action)
        levels = (action.from_level, action.to_level)
    if any(level not in LEVELS for level in levels):
        raise UsageError(f"action {action.innovation_id or 'SPD'}: levels must lie in 0..3")


def _column_map(frame: pd.DataFrame) -> dict[str, object]:
    """Normalised name (indicator number or header) -> the frame's own column label."""
    result = {}
    for column in frame.columns:
        header = normalize_header(column)
        result.setdefault(indicator_label(header) or header, column)
    return result


def _check_from(current: object, action: Action, where: str) -> None:
    level = parse_level(current)
    if level != action.from_level:
        raise UsageError(
            f"{where}: indicator {action.indicator} is at level {level}, "
            f"not {action.from_level} as the action assumes"
        )


def _raise_spd(spd: pd.DataFrame, columns: dict, action: Action) -> pd.DataFrame:
    labels = spd[columns["indicator"]].map(indicator_label)
    rows = spd.index[labels == action.indicator]
    if len(rows):
        _check_from(spd.at[rows[0], columns["level"]], action, "SPD")
        spd.loc[rows[0], columns["level"]] = action.to_level
        return spd
    _check_from(0, action, "SPD")
    row = {columns["indicator"]: action.indicator, columns["level"]: action.to_level}
    return pd.concat([spd, pd.DataFrame([row])], ignore_index=True)


def _raise_innovation(
    innovations: pd.DataFrame, columns: dict, positions: dict, action: Action
) -> None:
    if action.innovation_id not in positions:
        raise UsageError(f"no innovation with innovation_id {action.innovation_id!r}")
    if action.indicator not in columns:
        raise UsageError(f"the innovations table has no column for indicator {action.indicator}")
    row = positions[action.innovation_id]
    column = innovations.columns.get_loc(columns[action.indicator])
    _check_from(innovations.iat[row, column], action, f"innovation {action.innovation_id}")
    innovations.iat[row, column] = action.to_level


def _append_rows(innovations: pd.DataFrame, pending: list[dict]) -> pd.DataFrame:
    if not pending:
        return innovations
    added = pd.DataFrame(pending)
    pending.clear()
    return pd.concat([innovations, added], ignore_index=True)


def _new_row(columns: dict, action: Action) -> dict:
    row = {
        columns["innovation_id"]: action.innovation_id,
        columns.get("name", "name"): f"{NEW_NAME} {action.innovation_id}",
        columns.get("opd", "opd"): action.opd,
        columns.get("stage", "stage"): NEW_STAGE,
        columns.get("status", "status"): STATUS_ACCEPTED,
    }
    if action.urusan is not None and "urusan" in columns:
        row[columns["urusan"]] = action.urusan
    for number, level in action.levels_dict.items():
        row[columns.get(number, number)] = level
    return row


# --- costs and gains ------------------------------------------------------------------------
def with_costs_and_gains(
    state: Region,
    actions: Sequence[Action],
    costs: CostTable,
    *,
    finish: Callable[[Action, float, float], Action] | None = None,
) -> tuple[Action, ...]:
    """``actions`` with ``cost`` from ``costs`` and ``iid_gain`` applied in order from ``state``.

    The gains add up to the change of the unrounded IID, including the count score that a new
    innovation's ``urusan`` restores under the 2026 rule. Raises :class:`UsageError` for an
    action on an unknown innovation or indicator.

    ``finish(action, cost, gain)``: builds each result instead of ``replace(action, cost=cost,
    iid_gain=gain)``, so that a caller setting more fields (a plan's own cost and dates) makes
    one copy of each action, not two.
    """
    methodology = state.methodology
    actions = tuple(actions)
    spd_total, maturity_sum, n = state.spd_total, state.maturity_sum, state.n
    rejected = dict(zip(state.ids, state.rejected, strict=True))
    coverage = _Coverage(state)
    # The formula's inputs before and after each action, scored in one call (elementwise, so
    # each IID is the one a call per action gives).
    spd_totals, maturity_sums, ns, allowed = [spd_total], [maturity_sum], [n], [coverage.allowed]
    action_costs = []
    for action in actions:
        if action.kind == KIND_ADD:
            cost = costs.levels_cost(action.levels_dict)
            maturity_sum += _points(methodology, action.levels_dict)
            n += 1
            rejected[action.innovation_id] = False
            coverage.add(action.urusan)
        else:
            cost = costs.raise_cost(action.indicator, action.from_level, action.to_level)
            delta = _step_points(methodology, action)
            if action.is_spd:
                spd_total += delta
            elif action.innovation_id not in rejected:
                raise UsageError(f"no innovation with innovation_id {action.innovation_id!r}")
            elif not rejected[action.innovation_id]:
                maturity_sum += delta
        action_costs.append(cost)
        spd_totals.append(spd_total)
        maturity_sums.append(maturity_sum)
        ns.append(n)
        allowed.append(coverage.allowed)
    iids = combine(
        np.array(spd_totals, dtype=float), np.array(maturity_sums, dtype=float), np.array(ns),
        methodology, np.array(allowed),
    )["iid_unrounded"].tolist()
    if finish is None:
        return tuple(
            replace(action, cost=cost, iid_gain=iids[i + 1] - iids[i])
            for i, (action, cost) in enumerate(zip(actions, action_costs, strict=True))
        )
    return tuple(
        finish(action, cost, iids[i + 1] - iids[i])
        for i, (action, cost) in enumerate(zip(actions, action_costs, strict=True))
    )


class _Coverage:
    """The basic urusan covered as new innovations are added, tracked only where the rule is
    checked and not yet met (adding innovations never uncovers an urusan)."""

    def __init__(self, state: Region) -> None:
        self.state = state
        self.minimum = state.methodology.min_basic_urusan
        missed = self.minimum is not None and not state.count_allowed
        self.covered = set(covered_basic_urusan(state.innovations)) if missed else None

    def add(self, urusan: str | None) -> None:
        if self.covered is not None and urusan is not None:
            self.covered |= basic_urusan_in(urusan)

    @property
    def allowed(self) -> bool:
        """Whether the count score counts with the urusan covered so far."""
        if self.covered is None:
            return bool(self.state.count_allowed)
        return len(self.covered) >= self.minimum


def _step_points(methodology: Methodology, action: Action) -> float:
    if not methodology.has_indicator(action.indicator):
        raise UsageError(f"indicator {action.indicator} is not in the {methodology.year} table")
    indicator = methodology.indicator(action.indicator)
    expected = SPD if action.is_spd else INOVASI
    if indicator.aspect != expected:
        raise UsageError(f"indicator {action.indicator} is not an indicator of aspect {expected}")
    return indicator.points(action.to_level) - indicator.points(action.from_level)


def _points(methodology: Methodology, levels: Mapping[str, int]) -> float:
    return float(sum(methodology.indicator(k).points(v) for k, v in levels.items()))


NEW_ID_PREFIX = "NEW"


def new_innovation_ids(existing: Sequence[str], count: int) -> list[str]:
    """``count`` ids ``NEW-001``, ``NEW-002``, ... that are not in ``existing``."""
    taken, result, number = set(existing), [], 0
    while len(result) < count:
        number += 1
        candidate = f"{NEW_ID_PREFIX}-{number:03d}"
        if candidate not in taken:
            result.append(candidate)
    return result


def assign_opds(
    state: Region, count: int, new_opds: Sequence[str] | None = None
) -> list[str]:
    """OPDs for ``count`` new innovations: ``new_opds`` in turn, or by default each to the OPD
    with the fewest accepted innovations at that moment (ties by name)."""
    if new_opds:
        return [new_opds[t % len(new_opds)] for t in range(count)]
    owned = pd.Series(state.opds)[~state.rejected].value_counts().to_dict()
    counts = {opd: owned.get(opd, 0) for opd in sorted(set(state.opds))}
    if not counts:
        return [""] * count
    result = []
    for _ in range(count):
        opd = min(counts, key=lambda o: (counts[o], o))
        counts[opd] += 1
        result.append(opd)
    return result
