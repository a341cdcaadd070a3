"""The ministry's IID formula, in one place.

::

    SPD        = sum of the region-level indicator points (1..15, sub-rows add up)
    maturity_j = sum of the per-innovation indicator points 16..35 of innovation j  (kematangan)
    SID        = sum_j maturity_j / MAX(divisor_floor, n) + MIN(n, count_cap) x count_points
    total      = SPD + SID
    IID        = total / max_total x 100, published with two decimals

``n`` counts every innovation submitted, rejected ones (``status`` = ``ditolak``) included; a
rejected innovation scores 0 on every indicator. Which rules are not CONFIRMED for the year is
carried into every result (``provisional_rules``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from .errors import InvalidLevelError, MissingColumnError, UsageError
from .methodology import (
    BAND_RULES,
    BASIC_URUSAN,
    INOVASI,
    LEVELS,
    PREDICATE_INOVATIF,
    PREDICATE_KURANG_INOVATIF,
    PREDICATE_SANGAT_INOVATIF,
    PREDICATE_TIDAK_DAPAT_DINILAI,
    SPD,
    Methodology,
    basic_urusan_in,
    load_methodology,
)

STATUS_ACCEPTED = "diterima"
STATUS_REJECTED = "ditolak"
"""The status words: a rejected (``ditolak``) innovation counts in n and scores 0."""

ASSUMPTION_STAGES_COUNTED = "stages_counted"
"""Not a published rule but a known gap: whether inisiatif and uji coba innovations count in n
and score on every indicator. Here every stage counts and scores; reported as not CONFIRMED."""

ASSUMPTION_BASIC_URUSAN_MET = "basic_urusan_assumed_met"
"""Named when a year has ``min_basic_urusan`` but the innovations have no ``urusan`` column:
the condition could not be checked and the count score is kept as if it were met."""

ASSUMPTION_URUSAN_OVER_ACCEPTED = "basic_urusan_over_accepted"
"""Named when the year has ``min_basic_urusan``, the ``urusan`` column is given and some
innovations are rejected: their urusan do not count towards the coverage, while they still count
in ``n``. Not a published rule (the third-party implementation behind the rule counts every
innovation it scores); :func:`covered_basic_urusan` with ``include_rejected`` gives the other
reading, :data:`ASSUMPTION_URUSAN_OVER_ALL`."""

ASSUMPTION_URUSAN_OVER_ALL = "basic_urusan_over_all"
"""The other reading of :data:`ASSUMPTION_URUSAN_OVER_ACCEPTED`: every innovation counted in
``n``, rejected ones included, counts towards the basic-urusan coverage."""

_FORMULA_RULES = ("divisor_floor", "count_points_per_innovation", "count_cap", "max_total")


def round_published(value, decimals: int = 2):
    """Round half up (away from zero) to ``decimals`` places, as published IID values are.

    Takes a scalar (returns a float) or an array (returns an array). The value is first rounded
    at 9 decimal places so that binary noise (84.46499999999) cannot move it across a
    rounding edge: 84.465 -> 84.47, 0.125 -> 0.13, -0.125 -> -0.13.
    """
    x = np.asarray(value, dtype=float)
    scale = 10.0**decimals
    scaled = np.round(np.abs(x) * scale, 9 - decimals)
    rounded = np.copysign(np.floor(scaled + 0.5), x) / scale
    return float(rounded) if rounded.ndim == 0 else rounded


def _as_methodology(year_or_methodology: int | Methodology) -> Methodology:
    if isinstance(year_or_methodology, Methodology):
        return year_or_methodology
    return load_methodology(int(year_or_methodology))


def classify(iid: float, year: int | Methodology) -> str:
    """The predicate of an IID under a year's bands, on the IID rounded to two decimals.

    0 is Tidak Dapat Dinilai (no report). Raises :class:`UsageError` outside 0..100.
    """
    methodology = _as_methodology(year)
    value = round_published(iid)
    if not 0 <= value <= 100:
        raise UsageError(f"an IID must lie in 0..100, got {iid}")
    bands = methodology.bands
    if value >= bands[PREDICATE_SANGAT_INOVATIF]:
        return PREDICATE_SANGAT_INOVATIF
    if value >= bands[PREDICATE_INOVATIF]:
        return PREDICATE_INOVATIF
    if value >= bands[PREDICATE_KURANG_INOVATIF]:
        return PREDICATE_KURANG_INOVATIF
    return PREDICATE_TIDAK_DAPAT_DINILAI


def count_score(n_innovations, methodology: Methodology):
    """Skor jumlah inovasi: MIN(n, count_cap) x count_points_per_innovation (scalar or array)."""
    capped = np.minimum(n_innovations, methodology.count_cap)
    return capped * methodology.count_points_per_innovation


def divisor(n_innovations, methodology: Methodology):
    """MAX(divisor_floor, n): below the floor the maturity sum is still divided by the floor."""
    return np.maximum(n_innovations, methodology.divisor_floor)


def combine(
    spd, maturity_sum, n_innovations, methodology: Methodology, count_allowed=True
) -> dict:
    """The formula from its three inputs; works on scalars and on numpy arrays alike.

    ``count_allowed`` False (from 2026: too few basic urusan covered) makes the count score 0.
    Returns a dict of divisor, mean_maturity, count_score, sid, total, iid_unrounded.
    """
    div = divisor(n_innovations, methodology)
    mean_maturity = np.asarray(maturity_sum, dtype=float) / div
    counted = np.where(count_allowed, count_score(n_innovations, methodology), 0.0)
    sid = mean_maturity + counted
    total = np.asarray(spd, dtype=float) + sid
    return {
        "divisor": div,
        "mean_maturity": mean_maturity,
        "count_score": counted,
        "sid": sid,
        "total": total,
        "iid_unrounded": iid_of_total(total, methodology),
    }


def iid_of_total(total, methodology: Methodology):
    """IID = total / max_total x 100 (unrounded; scalars or arrays)."""
    return np.asarray(total, dtype=float) / methodology.max_total * 100.0


def total_of_iid(iid, methodology: Methodology):
    """The total whose unrounded IID is ``iid`` (the inverse of :func:`iid_of_total`)."""
    return np.asarray(iid, dtype=float) * methodology.max_total / 100.0


def innovation_points(levels: np.ndarray, methodology: Methodology) -> np.ndarray:
    """Points of each innovation (rows) on each indicator 16..35 (columns, table order)."""
    table = methodology.points_table(INOVASI)
    levels = np.asarray(levels, dtype=np.intp)
    return table[np.arange(table.shape[0]), levels]


def maturity(
    levels: np.ndarray, rejected: np.ndarray | None, methodology: Methodology
) -> np.ndarray:
    """Kematangan of each innovation: its points summed over indicators 16..35 (0 if rejected).

    ``levels`` is an (innovations x indicators) array of levels 0..3 in table order.
    """
    table = methodology.points_table(INOVASI)
    weights = table[:, 1]
    is_linear = np.allclose(table, np.outer(weights, LEVELS))
    if is_linear:
        # points = weight x level for every indicator: one matrix product does it.
        result = np.asarray(levels, dtype=float) @ weights
    else:
        result = innovation_points(levels, methodology).sum(axis=1)
    if rejected is not None:
        result = np.where(rejected, 0.0, result)
    return result


@dataclass(frozen=True)
class SpdScore:
    """SPD score of a region: ``total`` and ``points``, one row per SPD indicator.

    ``points`` columns: indicator, parent (official number, ``2`` for ``2a``), variable, name_en,
    level, points, max_points, provenance. Indicators absent from the input are level 0.
    """

    total: float
    max_total: float
    points: pd.DataFrame
    provisional_rules: tuple[str, ...]


def score_spd(spd: pd.DataFrame | dict, methodology: Methodology) -> SpdScore:
    """SPD score from validated rows of ``indicator`` and ``level`` (or levels by indicator
    number); sub-rows (2a, 2b) add up.

    The files' rules (labels, duplicates, indicators of another year) are checked where data
    is read (:mod:`iid_analysis.inputs`); here only the formula's domain: levels 0..3.
    """
    methodology.require_scoring()
    return spd_score_from_levels(spd_levels_of(spd), methodology)


def spd_levels_of(spd: pd.DataFrame | dict) -> dict[str, int]:
    """Levels by indicator number (``2a``) of validated SPD rows, or of such a dict."""
    if isinstance(spd, dict):
        pairs = list(spd.items())
    else:
        pairs = list(zip(spd["indicator"], spd["level"], strict=True))
    return {
        str(number).strip().lower(): _level(value, "level")
        for number, value in pairs
    }


def _level(value, column: str) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not (number.is_integer() and 0 <= number <= 3):
        raise InvalidLevelError(f"got {value!r}", column=column)
    return int(number)


def innovation_levels(
    innovations: pd.DataFrame, methodology: Methodology
) -> tuple[np.ndarray, np.ndarray]:
    """(levels, rejected) of a validated wide innovations table: the (innovations x indicators
    16..35) int array in table order and whether each is ``ditolak``. Indicator columns may be
    named by numbers (``16``) or text; a level outside 0..3 is an :class:`InvalidLevelError`."""
    columns = {str(c).strip(): c for c in innovations.columns}
    numbers = list(methodology.innovation_numbers)
    for number in numbers:
        if number not in columns:
            raise MissingColumnError(f"required column {number!r} not found", column=number)
    frame = innovations[[columns[n] for n in numbers]]
    try:
        values = frame.to_numpy(dtype=float)
    except (TypeError, ValueError):
        values = np.array([[_float(v) for v in row] for row in frame.to_numpy()], dtype=float)
    bad = ~((values == np.round(values)) & (values >= 0) & (values <= 3))
    if bad.any():
        row, j = (int(k) for k in np.argwhere(bad)[0])
        rows = tuple(int(r) + 1 for r in np.flatnonzero(bad[:, j]))
        raise InvalidLevelError(
            f"got {frame.iloc[row, j]!r}", rows=rows, column=numbers[j]
        )
    status = innovations["status"] if "status" in innovations.columns else None
    rejected = (
        np.zeros(len(innovations), dtype=bool)
        if status is None
        else (status.astype(str).str.strip().str.lower() == STATUS_REJECTED).to_numpy()
    )
    return values.astype(int), rejected


def _float(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def spd_score_from_levels(levels: dict[str, int], methodology: Methodology) -> SpdScore:
    """SPD score from validated levels by indicator number (absent indicators are level 0)."""
    rows = []
    for ind in methodology.spd_indicators:
        level = levels.get(ind.number, 0)
        rows.append(
            {
                "indicator": ind.number,
                "parent": ind.parent,
                "variable": ind.variable,
                "name_en": ind.name_en,
                "level": level,
                "points": ind.points(level),
                "max_points": ind.max_points,
                "provenance": ind.provenance(level),
            }
        )
    table = pd.DataFrame(rows)
    provisional = tuple(
        f"indicator {r.indicator}" for r in table.itertuples() if r.provenance != "CONFIRMED"
    )
    return SpdScore(
        total=float(table["points"].sum()),
        max_total=methodology.max_spd,
        points=table,
        provisional_rules=provisional,
    )


PROFILE_COLUMNS = ("innovation_id", "name", "opd", "stage", "status")


def score_innovations(innovations: pd.DataFrame, methodology: Methodology) -> pd.DataFrame:
    """Per-innovation scores.

    Returns one row per innovation with the profile columns (innovation_id, name, opd, stage,
    status), ``maturity`` (0..111, kematangan; 0 when rejected) and ``points_<n>`` for every
    indicator n in 16..35 (0 when rejected), in input order.
    """
    methodology.require_scoring()
    numbers = methodology.innovation_numbers
    levels, rejected = innovation_levels(innovations, methodology)
    points = innovation_points(levels, methodology)
    points[rejected] = 0.0
    profile = [c for c in PROFILE_COLUMNS if c in innovations.columns]
    result = innovations[profile].copy()
    result["maturity"] = points.sum(axis=1)
    for j, number in enumerate(numbers):
        result[f"points_{number}"] = points[:, j]
    return result.reset_index(drop=True)


@dataclass(frozen=True)
class RegionScore:
    """A region's IID for one assessment year, with every intermediate of the formula.

    ``iid`` is rounded to two decimals as published; ``predicate`` is classified on it.
    ``provisional_rules`` names every rule used whose provenance is not CONFIRMED.
    ``basic_urusan_covered``: how many of the 6 urusan wajib pelayanan dasar the innovations that
    count (not rejected) cover; None when the data has no ``urusan`` column.
    """

    year: int
    spd: float
    maturity_sum: float
    n_innovations: int
    divisor: int
    mean_maturity: float
    count_score: float
    sid: float
    total: float
    iid: float
    iid_unrounded: float
    predicate: str
    provisional_rules: tuple[str, ...]
    basic_urusan_covered: int | None = None

    def as_dict(self) -> dict:
        """The fields as plain JSON-ready values (provisional_rules as a list)."""
        data = asdict(self)
        data["provisional_rules"] = list(self.provisional_rules)
        return data


def region_score_from_parts(
    spd_total: float,
    maturity_sum: float,
    n_innovations: int,
    methodology: Methodology,
    extra_provisional: tuple[str, ...] = (),
    any_rejected: bool = False,
    basic_urusan_covered: int | None = None,
) -> RegionScore:
    """A :class:`RegionScore` from the SPD total, maturity sum and innovation count.

    ``basic_urusan_covered`` (None: unknown) is checked against the year's ``min_basic_urusan``.
    """
    methodology.require_scoring()
    minimum = methodology.min_basic_urusan
    count_allowed = minimum is None or basic_urusan_covered is None
    count_allowed = count_allowed or basic_urusan_covered >= minimum
    parts = combine(spd_total, maturity_sum, n_innovations, methodology, count_allowed)
    iid_unrounded = float(parts["iid_unrounded"])
    iid = round_published(iid_unrounded)
    used = list(_FORMULA_RULES) + list(BAND_RULES) + ["indicators"]
    if any_rejected and methodology.has("rejected_count_in_divisor"):
        used.append("rejected_count_in_divisor")
    if minimum is not None:
        used.append("min_basic_urusan")
    provisional = [r for r in used if methodology.provenance(r) != "CONFIRMED"]
    provisional.append(ASSUMPTION_STAGES_COUNTED)
    if minimum is not None and basic_urusan_covered is None:
        provisional.append(ASSUMPTION_BASIC_URUSAN_MET)
    elif minimum is not None and any_rejected:
        provisional.append(ASSUMPTION_URUSAN_OVER_ACCEPTED)
    provisional.extend(extra_provisional)
    return RegionScore(
        year=methodology.year,
        spd=float(spd_total),
        maturity_sum=float(maturity_sum),
        n_innovations=int(n_innovations),
        divisor=int(parts["divisor"]),
        mean_maturity=float(parts["mean_maturity"]),
        count_score=float(parts["count_score"]),
        sid=float(parts["sid"]),
        total=float(parts["total"]),
        iid=iid,
        iid_unrounded=iid_unrounded,
        predicate=classify(iid, methodology),
        provisional_rules=tuple(dict.fromkeys(provisional)),
        basic_urusan_covered=basic_urusan_covered,
    )


def score_region(
    spd: pd.DataFrame, innovations: pd.DataFrame, methodology: Methodology
) -> RegionScore:
    """A region's IID from its SPD levels and its innovations' levels under ``methodology``
    (validated tables, as :mod:`iid_analysis.inputs` reads them)."""
    methodology.require_scoring()
    return score_checked(spd_levels_of(spd), innovations, methodology)


def score_checked(
    spd_levels: dict[str, int], innovations: pd.DataFrame, methodology: Methodology
) -> RegionScore:
    """:func:`score_region` from SPD levels by indicator number and the validated wide
    innovations table (:func:`~iid_analysis.inputs.validation.check_innovations`)."""
    spd_score = spd_score_from_levels(spd_levels, methodology)
    levels, rejected = innovation_levels(innovations, methodology)
    maturities = maturity(levels, rejected, methodology)
    innovation_provisional = _innovation_provisional(levels[~rejected], methodology)
    return region_score_from_parts(
        spd_total=spd_score.total,
        maturity_sum=float(maturities.sum()),
        n_innovations=len(innovations),
        methodology=methodology,
        extra_provisional=spd_score.provisional_rules + innovation_provisional,
        any_rejected=bool(rejected.any()),
        basic_urusan_covered=basic_urusan_covered(innovations),
    )


def covered_basic_urusan(
    innovations: pd.DataFrame, include_rejected: bool = False
) -> frozenset[str] | None:
    """The :data:`~iid_analysis.methodology.BASIC_URUSAN` named in the ``urusan`` column by the
    innovations that count (status not ``ditolak``; every innovation with ``include_rejected``:
    see :data:`ASSUMPTION_URUSAN_OVER_ACCEPTED`); None without that column."""
    if "urusan" not in innovations.columns:
        return None
    counted = innovations["urusan"]
    if not include_rejected and "status" in innovations.columns:
        counted = counted[innovations["status"] != STATUS_REJECTED]
    return frozenset().union(*(basic_urusan_in(v) for v in counted)) & frozenset(BASIC_URUSAN)


def basic_urusan_covered(
    innovations: pd.DataFrame, include_rejected: bool = False
) -> int | None:
    """How many basic urusan :func:`covered_basic_urusan` finds (None without ``urusan``)."""
    covered = covered_basic_urusan(innovations, include_rejected)
    return None if covered is None else len(covered)


def _innovation_provisional(levels: np.ndarray, methodology: Methodology) -> tuple[str, ...]:
    names = []
    for j, ind in enumerate(methodology.innovation_indicators):
        used_levels = np.unique(levels[:, j]) if len(levels) else ()
        if any(ind.provenance(int(lv)) != "CONFIRMED" for lv in used_levels):
            names.append(f"indicator {ind.number}")
    return tuple(names)


def score_regions_batch(
    levels: np.ndarray,
    region_codes: np.ndarray,
    spd_totals: np.ndarray,
    methodology: Methodology,
    rejected: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Score many regions at once (national scale) from arrays.

    ``levels``: (innovations x 20) levels in table order; ``region_codes``: each innovation's
    region as 0..R-1; ``spd_totals``: SPD score of each region (length R). Returns arrays of
    length R: maturity_sum, n_innovations, divisor, mean_maturity, count_score, sid, total,
    iid_unrounded and iid (rounded half up to two decimals).
    """
    methodology.require_scoring()
    spd_totals = np.asarray(spd_totals, dtype=float)
    n_regions = len(spd_totals)
    maturities = maturity(levels, rejected, methodology)
    maturity_sum = np.bincount(region_codes, weights=maturities, minlength=n_regions)
    n_innovations = np.bincount(region_codes, minlength=n_regions)
    parts = combine(spd_totals, maturity_sum, n_innovations, methodology)
    iid = round_published(parts["iid_unrounded"])
    return {"maturity_sum": maturity_sum, "n_innovations": n_innovations, **parts, "iid": iid}


@dataclass(frozen=True)
class Decomposition:
    """What a published IID says about its parts, given the number of innovations.

    ``spd_plus_mean_maturity`` = total - count_score; ``total_low``/``total_high`` is the range of
    totals that round to the published IID.
    """

    year: int
    iid: float
    n_innovations: int
    total: float
    total_low: float
    total_high: float
    count_score: float
    spd_plus_mean_maturity: float
    max_total: float
    max_spd: float
    max_innovation: float
    provisional_rules: tuple[str, ...]


def decompose(iid: float, n_innovations: int, year: int | Methodology) -> Decomposition:
    """Split a published IID into the count score and what SPD + mean maturity must add up to."""
    methodology = _as_methodology(year)
    for rule in ("count_points_per_innovation", "count_cap", "max_total"):
        methodology.rule(rule)
    if not 0 <= iid <= 100:
        raise UsageError(f"an IID must lie in 0..100, got {iid}")
    if n_innovations < 0:
        raise UsageError(f"the number of innovations cannot be negative, got {n_innovations}")
    scale = methodology.max_total / 100.0
    total = round(iid * scale, 9)
    counted = round(float(count_score(n_innovations, methodology)), 9)
    used = ("count_points_per_innovation", "count_cap", "max_total")
    return Decomposition(
        year=methodology.year,
        iid=float(iid),
        n_innovations=int(n_innovations),
        total=total,
        total_low=round((iid - 0.005) * scale, 9),
        total_high=round((iid + 0.005) * scale, 9),
        count_score=counted,
        spd_plus_mean_maturity=round(total - counted, 9),
        max_total=methodology.max_total,
        max_spd=methodology.max_spd,
        max_innovation=methodology.max_innovation,
        provisional_rules=tuple(r for r in used if methodology.provenance(r) != "CONFIRMED"),
    )


__all__ = [
    "ASSUMPTION_BASIC_URUSAN_MET",
    "ASSUMPTION_URUSAN_OVER_ACCEPTED",
    "ASSUMPTION_URUSAN_OVER_ALL",
    "STATUS_ACCEPTED",
    "STATUS_REJECTED",
    "innovation_levels",
    "spd_levels_of",
    "Decomposition",
    "RegionScore",
    "SpdScore",
    "classify",
    "basic_urusan_covered",
    "combine",
    "count_score",
    "covered_basic_urusan",
    "decompose",
    "divisor",
    "innovation_points",
    "maturity",
    "region_score_from_parts",
    "round_published",
    "score_innovations",
    "score_region",
    "score_regions_batch",
    "score_spd",
    "SPD",
]
