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
from dataclasses import dataclass

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
from .effort import EFFORT_UNIT
from .maturity_effort import MaturityEffort, maturity_effort

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
PLAN_COLUMNS = ("action", "innovation_id", "maturity_before", "points", "maturity_after", "cost")


@dataclass(frozen=True)
class MaturityPlan:
    """The cheapest plan at maturity grain (see :func:`cheapest_maturity_plan`).

    ``actions`` columns: action (``raise_maturity`` or ``add_innovation``), innovation_id
    (``NEW-1``... for new ones), maturity_before, points (of kematangan), maturity_after, cost
    (hari kerja, :class:`~.maturity_effort.MaturityEffort`). ``cost`` is their sum;
    ``points_raised`` the points of the raises. ``reachable`` False means no plan within the
    limits reaches the target (``actions`` empty, ``max_iid`` the best reachable).
    """

    target: float
    reachable: bool
    iid_before: float
    iid_after: float
    max_iid: float
    cost: float
    n_new: int
    actions: pd.DataFrame
    new_maturity: float = 0.0
    grain: str = GRAIN
    unit: str = EFFORT_UNIT["id"]
    note: str = (
        "maturity grain: points of kematangan per innovation, coarser than a level-by-level plan "
        "(indicators move in steps of their weight); effort in hari kerja from the action steps "
        "of the indicator table, cheapest per point first (a lower bound)"
    )

    @property
    def points_raised(self) -> float:
        raised = self.actions["action"] == "raise_maturity"
        return float(self.actions.loc[raised, "points"].sum())

    def actions_table(self) -> pd.DataFrame:
        """The actions with their effort named by its unit (``effort_hari_kerja``)."""
        return self.actions.rename(columns={"cost": EFFORT_COLUMN})

    def as_json(self) -> dict:
        """JSON-ready: effort_hari_kerja (total, the sum of the actions'), effort_unit,
        points_raised (kematangan raised on existing innovations), n_new_innovations,
        new_innovation_maturity, points_new (their kematangan in all), and the actions, each
        with points (of kematangan) and effort_hari_kerja."""
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
            "actions": [
                {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
                for row in self.actions_table().to_dict(orient="records")
            ],
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
) -> MaturityPlan:
    """The plan of least effort (hari kerja) that reaches IID ``target`` (as published, two
    decimals) by raising maturities and adding innovations.

    ``effort`` (default :func:`~.maturity_effort.maturity_effort` of ``methodology``, the
    shipped effort model) prices a raise of each innovation (its action steps, cheapest per
    point first, at most :attr:`~.maturity_effort.MaturityEffort.max_points` and never past the
    maximum kematangan) and a new innovation (of kematangan ``new_maturity``, default the
    effort's first-year profile).

    Exact at this grain: for a given number k of new innovations every maturity point is worth
    the same IID, so the cheapest plan raises the fewest points that reach the target, each at
    the cheapest cost left (every innovation's cheaper steps before any innovation's dearer
    ones); the plan is the cheapest over k = 0..max_new. Among points of equal cost the
    innovations with the most headroom come first.
    """
    spd_total = _require_spd(score)
    if effort is None:
        effort = maturity_effort(methodology)
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
    if best is None:
        empty = pd.DataFrame(columns=list(PLAN_COLUMNS))
        return MaturityPlan(target, False, iid_before, iid_before, max_iid, 0.0, 0, empty,
                            new_maturity)
    _, k, points = best
    actions = _plan_actions(accepted, order, caps, points, k, new_maturity, effort)
    after = _iid(spd_total, total + points + k * new_maturity, n + k, methodology, covered)
    cost = float(actions["cost"].sum())
    return MaturityPlan(target, True, iid_before, round_published(after), max_iid, cost, k,
                        actions, new_maturity)


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


def _plan_actions(accepted, order, caps, points, k, new_maturity, effort) -> pd.DataFrame:
    rows = []
    given, _ = effort.allocate(caps, points)
    for index, step in zip(order.index, given, strict=True):
        if step <= 0:
            continue
        before = float(accepted.at[index, "maturity"])
        rows.append(("raise_maturity", accepted.at[index, "innovation_id"], before, float(step),
                     before + float(step), effort.raise_cost(step)))
    for j in range(1, k + 1):
        rows.append(("add_innovation", f"NEW-{j}", 0.0, new_maturity, new_maturity,
                     effort.per_new))
    return pd.DataFrame(rows, columns=list(PLAN_COLUMNS))


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
    "ASSUMPTION_MATURITY_GRAIN",
    "ASSUMPTION_SPD_FROM_PUBLISHED",
    "EFFORT_COLUMN",
    "GRAIN",
    "MaturityGrainScore",
    "MaturityPlan",
    "PLAN_COLUMNS",
    "cheapest_maturity_plan",
    "maturity_levers",
    "new_innovation_values",
    "read_maturity_grain",
    "score_maturities",
]
