"""Scoring, levers and the cheapest plan at **maturity grain**: from each innovation's
*kematangan* (0..111) alone, as the IID application's innovation list gives it.

This is coarser than the level-by-level analysis of the rest of :mod:`iid_analysis.feasibility`:
a plan here says "raise innovation j's maturity by x points", not which indicator evidence to
add, and a maturity may not be reachable in steps of exactly x points (each indicator moves in
steps of its weight). Every IID comes from :func:`iid_analysis.scoring.region_score_from_parts`
(and so from :func:`~iid_analysis.scoring.combine`); the formula is not restated here.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..inputs.importers import read_innovation_list
from ..inputs.validation import STATUS_REJECTED
from ..methodology import Methodology
from ..scoring import (
    RegionScore,
    basic_urusan_covered,
    decompose,
    region_score_from_parts,
    round_published,
    score_spd,
)
from .calendar import PlanCalendar
from .change import NEW_INNOVATION
from .effort import EFFORT_UNIT
from .maturity_effort import MaturityEffort, maturity_effort
from .rows import Row, Rows

GRAIN = "maturity"
ASSUMPTION_MATURITY_GRAIN = "maturity_grain"
"""Named in every result here: the maturities are taken as given (no indicator levels), so the
provenance of the indicator table behind them cannot be checked."""
ASSUMPTION_SPD_FROM_PUBLISHED = "spd_from_published_iid"
"""Named when the SPD is not known and is taken as the published total minus the SID of the
data (:func:`~iid_analysis.scoring.decompose`)."""

SPD_FROM_FILE = "spd_file"
SPD_FROM_PUBLISHED = "published_iid"
SPD_UNKNOWN = "unknown"


@dataclass(frozen=True)
class MaturityGrainScore:
    """A region's score computed from innovation maturities (``grain`` is always ``maturity``).

    ``spd_basis``: ``spd_file`` (SPD levels or total given), ``published_iid`` (SPD taken as the
    published total minus the SID of the data) or ``unknown``. ``score`` is the full
    :class:`~iid_analysis.scoring.RegionScore` when the SPD is known, else None (and ``spd``,
    ``iid`` are None): the SID parts are still exact. ``notes`` say what the numbers leave out.
    """

    year: int
    spd_basis: str
    spd: float | None
    maturity_sum: float
    n_innovations: int
    divisor: int
    mean_maturity: float
    count_score: float
    sid: float
    iid: float | None
    predicate: str | None
    basic_urusan_covered: int | None
    provisional_rules: tuple[str, ...]
    score: RegionScore | None
    notes: tuple[str, ...] = ()
    grain: str = GRAIN

    def as_dict(self) -> dict:
        """JSON-ready fields (the nested RegionScore as a dict)."""
        data = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "score"}
        data["provisional_rules"] = list(self.provisional_rules)
        data["notes"] = list(self.notes)
        data["score"] = self.score.as_dict() if self.score is not None else None
        return data


def _parts(innovations: pd.DataFrame) -> tuple[float, int, bool]:
    rejected = (innovations["status"] == STATUS_REJECTED).to_numpy()
    maturities = np.where(rejected, 0.0, innovations["maturity"].to_numpy(dtype=float))
    return float(maturities.sum()), len(innovations), bool(rejected.any())


def score_maturities(
    innovations: pd.DataFrame,
    methodology: Methodology,
    *,
    spd: pd.DataFrame | float | None = None,
    published_iid: float | None = None,
    source: str | None = None,
) -> MaturityGrainScore:
    """Score a maturity-grain innovations table
    (:func:`iid_analysis.inputs.importers.check_maturities`).

    ``spd``: SPD level rows (as :func:`~iid_analysis.inputs.dataset.load_spd` gives) or the SPD
    total;
    without it, ``published_iid`` (the region's published IID for the same year and these
    innovations) gives the SPD by decomposition; without either the SPD is unknown. An SPD so
    implied outside 0..max_spd means these are not the innovations that IID was scored on:
    :class:`UsageError` naming ``source`` (the innovations file) says so.
    """
    methodology.require_scoring()
    if spd is not None and published_iid is not None:
        raise UsageError("give the SPD or the published IID, not both")
    maturity_sum, n, any_rejected = _parts(innovations)
    covered = basic_urusan_covered(innovations)
    extra: tuple[str, ...] = (ASSUMPTION_MATURITY_GRAIN,)
    notes = ["maturity grain: maturities as given, no indicator levels (coarser than levels)"]
    if isinstance(spd, pd.DataFrame):
        spd_score = score_spd(spd, methodology)
        spd_total, basis = spd_score.total, SPD_FROM_FILE
        extra += spd_score.provisional_rules
    elif spd is not None:
        spd_total, basis = float(spd), SPD_FROM_FILE
    else:
        spd_total, basis = 0.0, SPD_UNKNOWN
    kwargs = dict(any_rejected=any_rejected, basic_urusan_covered=covered)
    result = region_score_from_parts(spd_total, maturity_sum, n, methodology, extra, **kwargs)
    if basis == SPD_UNKNOWN and published_iid is not None:
        parts = decompose(published_iid, n, methodology)
        spd_total, basis = parts.total - result.sid, SPD_FROM_PUBLISHED
        extra += (ASSUMPTION_SPD_FROM_PUBLISHED,)
        result = region_score_from_parts(spd_total, maturity_sum, n, methodology, extra, **kwargs)
        if not 0 <= spd_total <= methodology.max_spd:
            raise UsageError(
                f"{source or 'the innovations'}: the SPD implied by the published IID "
                f"{published_iid:g} less the SID of these {n} innovations is {spd_total:.2f}, "
                f"outside 0..{methodology.max_spd:g}: these are not the innovations that IID "
                "was scored on; give the SPD file (--spd, or spd in a params file)"
            )
    known = basis != SPD_UNKNOWN
    if not known:
        notes.append("SPD unknown: only the SID and its parts are given, not the IID")
    return MaturityGrainScore(
        year=methodology.year,
        spd_basis=basis,
        spd=spd_total if known else None,
        maturity_sum=maturity_sum,
        n_innovations=n,
        divisor=result.divisor,
        mean_maturity=result.mean_maturity,
        count_score=result.count_score,
        sid=result.sid,
        iid=result.iid if known else None,
        predicate=result.predicate if known else None,
        basic_urusan_covered=covered,
        provisional_rules=result.provisional_rules,
        score=result if known else None,
        notes=tuple(notes),
    )


def _iid(spd_total, maturity_sum, n, methodology, covered) -> float:
    return region_score_from_parts(
        spd_total, maturity_sum, n, methodology, basic_urusan_covered=covered
    ).iid_unrounded


def _require_spd(score: MaturityGrainScore) -> float:
    if score.spd is None:
        raise UsageError(
            "the SPD is unknown: give the SPD file or the published IID to value levers in IID"
        )
    return score.spd


def maturity_levers(
    innovations: pd.DataFrame, methodology: Methodology, score: MaturityGrainScore
) -> pd.DataFrame:
    """Per innovation, what raising its maturity is worth (maturity grain, coarser than levels).

    Columns: innovation_id, name, opd, status, maturity, headroom (points to the maximum; 0 when
    rejected, which must be resubmitted instead), iid_gain_per_point, iid_gain_to_max, grain.
    Sorted by iid_gain_to_max, largest first.
    """
    spd_total = _require_spd(score)
    covered = score.basic_urusan_covered
    top = methodology.max_innovation
    base = _iid(spd_total, score.maturity_sum, score.n_innovations, methodology, covered)
    per_point = _iid(spd_total, score.maturity_sum + 1, score.n_innovations, methodology, covered)
    per_point -= base
    table = innovations[["innovation_id", "name", "opd", "status", "maturity"]].copy()
    rejected = table["status"] == STATUS_REJECTED
    table["headroom"] = np.where(rejected, 0.0, top - table["maturity"].astype(float))
    table["iid_gain_per_point"] = np.where(rejected, 0.0, per_point)
    table["iid_gain_to_max"] = table["headroom"] * per_point
    table["grain"] = GRAIN
    return table.sort_values("iid_gain_to_max", ascending=False, kind="stable").reset_index(
        drop=True
    )


def new_innovation_values(
    methodology: Methodology, score: MaturityGrainScore, maturities=None
) -> pd.DataFrame:
    """The IID change of adding one innovation of maturity m (default 0, 10, ..., 110, 111).

    Columns: maturity, iid_after, iid_gain, grain. The new innovation's urusan is not known, so
    the basic-urusan coverage is taken as it is now.
    """
    spd_total = _require_spd(score)
    values = np.asarray(
        maturities if maturities is not None else [*range(0, 111, 10), 111], dtype=float
    )
    n, total, covered = score.n_innovations, score.maturity_sum, score.basic_urusan_covered
    base = _iid(spd_total, total, n, methodology, covered)
    after = np.array([_iid(spd_total, total + m, n + 1, methodology, covered) for m in values])
    return pd.DataFrame(
        {"maturity": values, "iid_after": after, "iid_gain": after - base, "grain": GRAIN}
    )


EFFORT_COLUMN = "effort_hari_kerja"
"""The name of a maturity-grain plan's effort (hari kerja) in its JSON and CSV."""
RAISE_MATURITY = "raise_maturity"
ADD_INNOVATION = "add_innovation"


@dataclass(frozen=True)
class MaturityAction(Row):
    """One action of a maturity-grain plan (a row of :class:`MaturityActions`)."""

    action: str
    """``raise_maturity`` or ``add_innovation``."""
    innovation_id: str
    """The innovation raised (``NEW-1``, ``NEW-2``... for new ones)."""
    maturity_before: float
    """Its kematangan before (0 for a new one)."""
    points: float
    """Points of kematangan the action adds."""
    maturity_after: float
    cost: float
    """Effort in hari kerja (:class:`~.maturity_effort.MaturityEffort`); ``effort_hari_kerja``
    in the plan's JSON and CSV."""
    change: str
    """The kind of change of the step with the longest lead time the raise takes
    (``new_innovation`` for a new one; '' for a raise of no step)."""
    lead_weeks: float
    """That lead time (weeks)."""
    start_by: str | None
    """The last day to start so that it ends when the window closes (ISO; None without a
    calendar)."""
    deadline: str | None
    """Done by, if started on the plan's date; never after the window closes (ISO; None
    without a calendar)."""

    @property
    def raises(self) -> bool:
        """Whether it raises an existing innovation (else it adds a new one)."""
        return self.action == RAISE_MATURITY


@dataclass(frozen=True)
class MaturityActions(Rows[MaturityAction]):
    """A maturity-grain plan's actions: the raises (largest headroom first), then the new
    innovations; ``frame()`` gives the table (:data:`PLAN_COLUMNS`)."""

    row_type: ClassVar[type] = MaturityAction

    @property
    def raised(self) -> tuple[MaturityAction, ...]:
        """The raises of existing innovations, in the plan's order."""
        return tuple(a for a in self.rows if a.raises)

    @property
    def added(self) -> tuple[MaturityAction, ...]:
        """The new innovations."""
        return tuple(a for a in self.rows if not a.raises)

    @property
    def points_raised(self) -> float:
        """Points of kematangan raised on existing innovations."""
        return float(sum(a.points for a in self.raised))

    @property
    def effort(self) -> float:
        """The actions' effort in hari kerja (the sum of their ``cost``)."""
        return float(sum(a.cost for a in self.rows))

    @property
    def longest(self) -> MaturityAction | None:
        """The first action of the longest lead time (None without an action)."""
        return max(self.rows, key=lambda a: a.lead_weeks, default=None)

    @property
    def last_deadline(self) -> str | None:
        """The latest deadline (ISO; None without a dated action)."""
        return max((a.deadline for a in self.rows if a.deadline is not None), default=None)


PLAN_COLUMNS = tuple(MaturityActions().columns)
"""The columns of a maturity-grain plan's actions table (the fields of
:class:`MaturityAction`; ``cost`` is ``effort_hari_kerja`` in its JSON and CSV)."""


@dataclass(frozen=True)
class MaturityNextYear:
    """An action step whose lead time ends after the window closes (or, with ``indicator`` ''
    and ``change`` ``new_innovation``, creating one new innovation): its kind of change, lead
    time, points of kematangan and effort (hari kerja) on one innovation, on how many accepted
    innovations it could be taken (those below the maximum kematangan; 1 for a new one) and the
    IID points it would add taken on all of them (each raised by the step's points, at most to
    the maximum: an upper bound, as some may have taken it already)."""

    indicator: str
    to_level: int
    change: str
    lead_weeks: float
    points: float
    effort_days: float
    n_innovations: int
    iid_gain: float

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class MaturityPlan:
    """The cheapest plan at maturity grain (see :func:`cheapest_maturity_plan`).

    ``actions``: :class:`MaturityActions` (frozen rows of :class:`MaturityAction`: action,
    innovation_id, maturity_before, points, maturity_after, cost in hari kerja, change,
    lead_weeks, start_by, deadline; ``.frame()`` is the table, :meth:`actions_table` names its
    effort by its unit). ``cost`` is their sum; ``points_raised`` the points of the raises.
    ``reachable`` False means no plan within the limits reaches the target (``actions`` empty,
    ``max_iid`` the best reachable).

    ``calendar``: the plan's date and data-entry window (None: every lead time fits);
    ``next_year``: the steps whose lead time ends after the window closes, with their value;
    ``new_blocked``: why no new innovation is offered ('' when offered; see
    :class:`~.maturity_effort.MaturityEffort`).
    """

    target: float
    reachable: bool
    iid_before: float
    iid_after: float
    max_iid: float
    cost: float
    n_new: int
    actions: MaturityActions
    new_maturity: float = 0.0
    grain: str = GRAIN
    unit: str = field(default_factory=lambda: EFFORT_UNIT["id"])
    calendar: PlanCalendar | None = None
    next_year: tuple[MaturityNextYear, ...] = ()
    new_blocked: str = ""
    note: str = (
        "maturity grain: points of kematangan per innovation, coarser than a level-by-level plan "
        "(indicators move in steps of their weight); effort in hari kerja from the action steps "
        "of the indicator table, cheapest per point first (a lower bound)"
    )

    @property
    def weeks_remaining(self) -> int | None:
        """Whole weeks from the plan's date to the close of its data-entry window."""
        return None if self.calendar is None else self.calendar.weeks_remaining

    @property
    def points_raised(self) -> float:
        """Points of kematangan raised on existing innovations."""
        return self.actions.points_raised

    def actions_table(self) -> pd.DataFrame:
        """The actions as a table, their effort named by its unit (``effort_hari_kerja``)."""
        return self.actions.frame().rename(columns={"cost": EFFORT_COLUMN})

    def as_json(self) -> dict:
        """JSON-ready: effort_hari_kerja (total, the sum of the actions'), effort_unit,
        points_raised (kematangan raised on existing innovations), n_new_innovations,
        new_innovation_maturity, points_new (their kematangan in all), and the actions, each
        with points (of kematangan), effort_hari_kerja, change_kind (``action``), change,
        lead_weeks, start_by and deadline; the calendar: as_of_date, window (year, opens,
        closes, assumed, provenance, source), weeks_remaining, new_innovations_offered,
        new_innovation_blocked, and next_year (the steps whose lead time ends after the window
        closes)."""
        calendar = self.calendar
        window = None
        if calendar is not None:
            w = calendar.window
            window = {"year": w.year, "opens": w.opens.isoformat(),
                      "closes": w.closes.isoformat(), "assumed": w.assumed,
                      "provenance": w.provenance, "source": w.source}  # fmt: skip
        actions = [
            {"change_kind": "action",
             **{EFFORT_COLUMN if k == "cost" else k: v for k, v in asdict(row).items()}}
            for row in self.actions
        ]
        return {
            "grain": self.grain,
            "target": self.target,
            "reachable": self.reachable,
            "iid_before": self.iid_before,
            "iid_after": self.iid_after,
            "max_iid": self.max_iid,
            EFFORT_COLUMN: float(self.cost),
            "effort_unit": self.unit,
            "points_raised": self.points_raised,
            "n_new_innovations": int(self.n_new),
            "new_innovation_maturity": float(self.new_maturity),
            "points_new": float(self.n_new * self.new_maturity),
            "actions": actions,
            "as_of_date": None if calendar is None else calendar.as_of.isoformat(),
            "window": window,
            "weeks_remaining": self.weeks_remaining,
            "new_innovations_offered": not self.new_blocked,
            "new_innovation_blocked": self.new_blocked,
            "next_year": [step.as_dict() for step in self.next_year],
            "note": self.note,
        }


def cheapest_maturity_plan(
    innovations: pd.DataFrame,
    methodology: Methodology,
    score: MaturityGrainScore,
    target: float,
    *,
    effort: MaturityEffort | None = None,
    new_maturity: float | None = None,
    max_new: int = 50,
    calendar: PlanCalendar | None = None,
) -> MaturityPlan:
    """The plan of least effort (hari kerja) that reaches IID ``target`` (as published, two
    decimals) by raising maturities and adding innovations.

    ``effort`` (default :func:`~.maturity_effort.maturity_effort` of ``methodology``, the
    shipped effort model) prices a raise of each innovation (its action steps, cheapest per
    point first, at most :attr:`~.maturity_effort.MaturityEffort.max_points` and never past the
    maximum kematangan) and a new innovation (of kematangan ``new_maturity``, default the
    effort's first-year profile). ``calendar`` (the plan's date and window) builds the default
    ``effort`` (a given ``effort`` carries its own): only steps whose lead time ends before the
    window closes are priced, the others are the plan's ``next_year``; no new innovation when
    creating one does not fit or is not eligible (``new_blocked``).

    Exact at this grain: for a given number k of new innovations every maturity point is worth
    the same IID, so the cheapest plan raises the fewest points that reach the target, each at
    the cheapest cost left (every innovation's cheaper steps before any innovation's dearer
    ones); the plan is the cheapest over k = 0..max_new. Among points of equal cost the
    innovations with the most headroom come first.
    """
    spd_total = _require_spd(score)
    if effort is None:
        effort = maturity_effort(methodology, calendar=calendar)
    if effort.new_blocked:
        max_new = 0
    if effort.per_new < 0 or any(rate < 0 for rate, _ in effort.segments):
        raise UsageError("costs must be positive")
    top = methodology.max_innovation
    covered = score.basic_urusan_covered
    accepted = innovations[innovations["status"] != STATUS_REJECTED]
    if new_maturity is None:
        new_maturity = effort.new_maturity
    if not 0 <= new_maturity <= top:
        raise UsageError(f"new_maturity must lie in 0..{top:g}")
    order = (top - accepted["maturity"].astype(float)).sort_values(ascending=False, kind="stable")
    caps = np.minimum(order.to_numpy(dtype=float), effort.max_points)
    caps = np.maximum(caps, 0.0)
    room = float(caps.sum())
    n, total = score.n_innovations, score.maturity_sum
    iid_before = round_published(_iid(spd_total, total, n, methodology, covered))

    def reaches(points: float, k: int) -> bool:
        value = _iid(spd_total, total + points + k * new_maturity, n + k, methodology, covered)
        return round_published(value) >= target

    best: tuple[float, int, float] | None = None
    max_iid = iid_before
    for k in range(0, max_new + 1):
        full = _iid(spd_total, total + room + k * new_maturity, n + k, methodology, covered)
        max_iid = max(max_iid, round_published(full))
        if not reaches(room, k):
            continue
        points = _fewest_points(reaches, k, room)
        cost = effort.total_cost(caps, points) + k * effort.per_new
        if best is None or cost < best[0] - 1e-9:
            best = (cost, k, points)
    dated = dict(calendar=effort.calendar, new_blocked=effort.new_blocked,
                 next_year=_next_year(accepted, effort, score, methodology, spd_total))
    if best is None:
        return MaturityPlan(target, False, iid_before, iid_before, max_iid, 0.0, 0,
                            MaturityActions(), new_maturity, **dated)
    _, k, points = best
    actions = _plan_actions(accepted, order, caps, points, k, new_maturity, effort)
    after = _iid(spd_total, total + points + k * new_maturity, n + k, methodology, covered)
    cost = actions.effort
    return MaturityPlan(target, True, iid_before, round_published(after), max_iid, cost, k,
                        actions, new_maturity, **dated)


def _next_year(accepted, effort: MaturityEffort, score, methodology, spd_total
               ) -> tuple[MaturityNextYear, ...]:
    """The steps of ``effort.late`` (and creating a new innovation when that is late), each
    with the IID it would add taken on every accepted innovation below the maximum; highest
    value first."""
    if effort.calendar is None:
        return ()
    n, total, covered = score.n_innovations, score.maturity_sum, score.basic_urusan_covered
    headroom = methodology.max_innovation - accepted["maturity"].to_numpy(dtype=float)
    headroom = headroom[headroom > 0]
    before = _iid(spd_total, total, n, methodology, covered)
    result = []
    for step in effort.late:
        delta = float(np.minimum(headroom, step.points).sum())
        gain = _iid(spd_total, total + delta, n, methodology, covered) - before
        result.append(MaturityNextYear(step.indicator, step.to_level, step.change,
                                       step.lead_weeks, step.points, step.effort,
                                       len(headroom), gain))  # fmt: skip
    if not effort.calendar.fits(effort.new_lead_weeks):
        gain = _iid(spd_total, total + effort.new_maturity, n + 1, methodology, covered) - before
        result.append(MaturityNextYear("", 0, NEW_INNOVATION, effort.new_lead_weeks,
                                       effort.new_maturity, effort.per_new, 1, gain))
    result.sort(key=lambda step: -step.iid_gain)
    return tuple(result)


def _fewest_points(reaches, k: int, upper: float) -> float:
    """The fewest whole points (the IID is monotone in them) for which ``reaches`` holds."""
    low, high = 0, int(math.ceil(upper))
    if reaches(0, k):
        return 0.0
    while high - low > 1:
        middle = (low + high) // 2
        if reaches(middle, k):
            high = middle
        else:
            low = middle
    return float(min(high, upper)) if reaches(min(high, upper), k) else float(high)


def _dates(effort: MaturityEffort, lead: float) -> tuple[str | None, str | None]:
    """(start_by, deadline) of a step of ``lead`` weeks, ISO, under the effort's calendar."""
    calendar = effort.calendar
    if calendar is None:
        return None, None
    return calendar.start_by(lead).isoformat(), calendar.deadline(lead).isoformat()


def _plan_actions(accepted, order, caps, points, k, new_maturity, effort) -> MaturityActions:
    rows = []
    given, _ = effort.allocate(caps, points)
    for index, step in zip(order.index, given, strict=True):
        if step <= 0:
            continue
        before = float(accepted.at[index, "maturity"])
        longest = max(effort.steps_for(float(step)), key=lambda s: s.lead_weeks, default=None)
        change, lead = ("", 0.0) if longest is None else (longest.change, longest.lead_weeks)
        rows.append(MaturityAction(
            RAISE_MATURITY, str(accepted.at[index, "innovation_id"]), before, float(step),
            before + float(step), float(effort.raise_cost(step)), change, float(lead),
            *_dates(effort, lead),
        ))
    lead = effort.new_lead_weeks
    for j in range(1, k + 1):
        rows.append(MaturityAction(
            ADD_INNOVATION, f"NEW-{j}", 0.0, float(new_maturity), float(new_maturity),
            float(effort.per_new), NEW_INNOVATION, float(lead), *_dates(effort, lead),
        ))
    return MaturityActions(tuple(rows))


def read_maturity_grain(path, methodology: Methodology, *, sheet=None):
    """The innovations file at ``path`` read at maturity grain (a recognised export or our
    maturity-grain file: :class:`~iid_analysis.inputs.importers.ImportResult`, its table's
    ``attrs["grain"]`` set to ``maturity``), or None when it is a level-grain file (indicators
    16..35, wide or long form).

    Prefer :func:`~iid_analysis.inputs.read.read_region`, which reads the file once and gives
    both grains behind one interface (``region.grain``).
    """
    result = read_innovation_list(path, methodology, sheet=sheet)
    if result is not None:
        result.innovations.attrs["grain"] = GRAIN
    return result


__all__ = [
    "ADD_INNOVATION",
    "ASSUMPTION_MATURITY_GRAIN",
    "ASSUMPTION_SPD_FROM_PUBLISHED",
    "EFFORT_COLUMN",
    "GRAIN",
    "MaturityAction",
    "MaturityActions",
    "MaturityGrainScore",
    "MaturityNextYear",
    "MaturityPlan",
    "PLAN_COLUMNS",
    "RAISE_MATURITY",
    "cheapest_maturity_plan",
    "maturity_levers",
    "new_innovation_values",
    "read_maturity_grain",
    "score_maturities",
]
