"""Claimed and eligible: the IID as a region claims it and as the verifier will count it.

From the 2026 instrument on, an innovation counts only when it is *layak* (eligible). The rule
is the methodology's named rule ``eligibility`` (SECONDARY: a third-party implementation,
SIMONDA's ``Inovasi.layak``, citing the BSKDN letter of 29 April 2026; the source is in
``data/rules_added.csv``). An innovation is eligible when

1. its implementation date (``tanggal_penerapan``) lies in the window
   ``eligibility_window_start``..``eligibility_window_end``; a date before the window counts only
   with a latest development date (``tanggal_pengembangan``) inside it, and a development date
   outside the window fails;
2. every mandatory indicator (``mandatory`` = yes in the indicator table) is above level 0;
3. its design description (``rancang_bangun``) has at least ``eligibility_min_design_words``
   words.

An innovation that is not eligible leaves ``n`` and the maturity sum of the eligible projection
(and the basic-urusan coverage with them); the claimed projection keeps every innovation. A
condition whose column is missing (dates, design text) or which the grain cannot show (levels at
maturity grain) is not checked: it is named as an assumption (``eligibility_*_unchecked``),
never passed silently. Whether rejected innovations count towards the basic-urusan coverage is
named too (:data:`~iid_analysis.scoring.ASSUMPTION_URUSAN_OVER_ACCEPTED`); where the reading
changes the count score, both values are given (:class:`UrusanCoverage`).

This module takes validated data (a :class:`~iid_analysis.inputs.region.Region`); it never reads
files. Words for people are :class:`~iid_analysis.messages.Message` (``eligibility.*`` keys).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .inputs.region import Region
from .inputs.validation import STATUS_REJECTED
from .inputs.values import parse_date as read_date
from .messages import Message, message
from .methodology import Methodology
from .scoring import (
    ASSUMPTION_BASIC_URUSAN_MET,
    ASSUMPTION_URUSAN_OVER_ACCEPTED,
    ASSUMPTION_URUSAN_OVER_ALL,
    RegionScore,
    basic_urusan_covered,
    region_score_from_parts,
)

ELIGIBILITY_RULE = "eligibility"
RULE_WINDOW_START = "eligibility_window_start"
RULE_WINDOW_END = "eligibility_window_end"
RULE_MIN_DESIGN_WORDS = "eligibility_min_design_words"
RULES = (ELIGIBILITY_RULE, RULE_WINDOW_START, RULE_WINDOW_END, RULE_MIN_DESIGN_WORDS)
"""The rule variant and its parameters, as named in ``data/rules_added.csv``."""

VARIANT_CLAIMED = "claimed"
VARIANT_ELIGIBLE = "eligible"
"""The two projections: every innovation as claimed; only the eligible ones."""

IMPLEMENTATION_DATE = "implementation_date"
DEVELOPMENT_DATE = "development_date"
DESIGN = "design"
COLUMN_ALIASES = {
    IMPLEMENTATION_DATE: ("tanggal_penerapan", "implementation_date"),
    DEVELOPMENT_DATE: ("tanggal_pengembangan", "pengembangan_terbaru", "development_date"),
    DESIGN: ("rancang_bangun", "design_description"),
}
"""The innovations-table columns read for each input of the rule (the first present is used)."""

NO_IMPLEMENTATION_DATE = "no_implementation_date"
IMPLEMENTATION_DATE_UNREADABLE = "implementation_date_unreadable"
IMPLEMENTATION_AFTER_WINDOW = "implementation_after_window"
IMPLEMENTATION_BEFORE_WINDOW = "implementation_before_window"
DEVELOPMENT_OUTSIDE_WINDOW = "development_outside_window"
MANDATORY_INDICATOR_ZERO = "mandatory_indicator_zero"
DESIGN_TOO_SHORT = "design_too_short"
CONDITIONS = (
    NO_IMPLEMENTATION_DATE,
    IMPLEMENTATION_DATE_UNREADABLE,
    IMPLEMENTATION_AFTER_WINDOW,
    IMPLEMENTATION_BEFORE_WINDOW,
    DEVELOPMENT_OUTSIDE_WINDOW,
    MANDATORY_INDICATOR_ZERO,
    DESIGN_TOO_SHORT,
)
"""Why an innovation is not eligible (one row of :attr:`EligibilityCheck.failures` each)."""

ASSUMPTION_DATES_UNCHECKED = "eligibility_dates_unchecked"
ASSUMPTION_MANDATORY_UNCHECKED = "eligibility_mandatory_unchecked"
ASSUMPTION_DESIGN_UNCHECKED = "eligibility_design_unchecked"
"""Named when a condition cannot be checked: no implementation-date column, no indicator levels
(maturity grain), no design-description column. The condition is then taken as met."""

FAILURE_COLUMNS = ("innovation_id", "name", "opd", "condition", "value")
TABLE_COLUMNS = ("innovation_id", "name", "opd", "status", "eligible", "conditions", "values")


def column_for(innovations: pd.DataFrame, field: str) -> str | None:
    """The column of ``innovations`` that holds ``field`` (:data:`COLUMN_ALIASES`), or None."""
    for name in COLUMN_ALIASES[field]:
        if name in innovations.columns:
            return name
    return None


def rule_applies(methodology: Methodology) -> bool:
    """Whether the year has the eligibility rule (2026 and 2027 in ``data/rules_added.csv``)."""
    return all(methodology.has(r) for r in RULES)


def parse_date(value: object) -> dt.date | None:
    """A date from a cell, in any spelling :func:`iid_analysis.inputs.values.parse_date` reads
    (date objects, ISO, day-first, Indonesian month names, Excel serials). None when blank.
    Raises ValueError when the cell is not blank and not a date."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    if text in ("", "-", "nan", "NaT", "None"):
        return None
    date = read_date(value)
    if date is None:
        raise ValueError(f"not a date: {text!r}")
    return date


def word_count(text: object) -> int:
    """Words of a design description, split on white space (as the source implementation does);
    0 when blank."""
    if text is None or (isinstance(text, float) and text != text):
        return 0
    return len(str(text).split())


@dataclass(frozen=True)
class EligibilityCheck:
    """Which innovations are eligible under a year's rule, and why the others are not.

    ``eligible``: one bool per innovation (input order; all True when the rule does not apply).
    ``failures``: one row per innovation and condition failed (:data:`FAILURE_COLUMNS`;
    ``value`` is what failed: the date as ISO text, the indicators at 0, the word count).
    ``unchecked``: the assumptions named for conditions that could not be checked.
    ``window``: (start, end) dates; ``mandatory``: the mandatory indicator numbers.
    """

    year: int
    applies: bool
    eligible: np.ndarray
    failures: pd.DataFrame
    unchecked: tuple[str, ...]
    window: tuple[dt.date, dt.date] | None
    mandatory: tuple[str, ...]
    min_design_words: int | None
    columns: dict[str, str]

    @property
    def n_failing(self) -> int:
        return int((~self.eligible).sum())


def check_eligibility(
    innovations: pd.DataFrame, methodology: Methodology, levels: np.ndarray | None
) -> EligibilityCheck:
    """The eligibility of each innovation of a validated ``innovations`` table.

    ``levels``: the (innovations x indicators 16..35) levels in table order, or None at maturity
    grain (the mandatory-indicator condition is then unchecked and named).
    """
    n = len(innovations)
    if not rule_applies(methodology):
        return EligibilityCheck(
            year=methodology.year,
            applies=False,
            eligible=_read_only(np.ones(n, dtype=bool)),
            failures=pd.DataFrame(columns=list(FAILURE_COLUMNS)),
            unchecked=(),
            window=None,
            mandatory=(),
            min_design_words=None,
            columns={},
        )
    start = dt.date.fromisoformat(methodology.rule(RULE_WINDOW_START).value)
    end = dt.date.fromisoformat(methodology.rule(RULE_WINDOW_END).value)
    min_words = int(methodology.value(RULE_MIN_DESIGN_WORDS))
    indicators = methodology.innovation_indicators
    mandatory = tuple(ind.number for ind in indicators if ind.mandatory)
    columns = {f: c for f in COLUMN_ALIASES if (c := column_for(innovations, f)) is not None}

    found: list[list[tuple[str, str]]] = [[] for _ in range(n)]
    unchecked = []
    if IMPLEMENTATION_DATE in columns:
        development = innovations.get(columns.get(DEVELOPMENT_DATE, ""))
        for i, value in enumerate(innovations[columns[IMPLEMENTATION_DATE]]):
            later = None if development is None else development.iloc[i]
            failure = _date_failure(value, later, start, end)
            if failure is not None:
                found[i].append(failure)
    else:
        unchecked.append(ASSUMPTION_DATES_UNCHECKED)
    if levels is not None:
        mandatory_columns = [j for j, ind in enumerate(indicators) if ind.mandatory]
        at_zero = np.asarray(levels)[:, mandatory_columns] == 0
        for i in np.flatnonzero(at_zero.any(axis=1)):
            numbers = ", ".join(mandatory[k] for k in np.flatnonzero(at_zero[i]))
            found[i].append((MANDATORY_INDICATOR_ZERO, numbers))
    else:
        unchecked.append(ASSUMPTION_MANDATORY_UNCHECKED)
    if DESIGN in columns:
        for i, text in enumerate(innovations[columns[DESIGN]]):
            words = word_count(text)
            if words < min_words:
                found[i].append((DESIGN_TOO_SHORT, str(words)))
    else:
        unchecked.append(ASSUMPTION_DESIGN_UNCHECKED)

    profile = innovations.reset_index(drop=True)
    rows = [
        {
            "innovation_id": profile["innovation_id"].iloc[i],
            "name": profile["name"].iloc[i] if "name" in profile.columns else "",
            "opd": profile["opd"].iloc[i] if "opd" in profile.columns else "",
            "condition": condition,
            "value": value,
        }
        for i in range(n)
        for condition, value in found[i]
    ]
    return EligibilityCheck(
        year=methodology.year,
        applies=True,
        eligible=_read_only(np.array([not f for f in found], dtype=bool).reshape(n)),
        failures=pd.DataFrame(rows, columns=list(FAILURE_COLUMNS)),
        unchecked=tuple(unchecked),
        window=(start, end),
        mandatory=mandatory,
        min_design_words=min_words,
        columns=columns,
    )


def _date_failure(value, development, start: dt.date, end: dt.date) -> tuple[str, str] | None:
    """The date condition of the source implementation, in its order: no date; after the
    window; before it without a latest development; a development outside the window."""
    try:
        started = parse_date(value)
    except ValueError:
        return IMPLEMENTATION_DATE_UNREADABLE, str(value).strip()
    if started is None:
        return NO_IMPLEMENTATION_DATE, ""
    if started > end:
        return IMPLEMENTATION_AFTER_WINDOW, started.isoformat()
    try:
        developed = parse_date(development)
    except ValueError:
        return DEVELOPMENT_OUTSIDE_WINDOW, str(development).strip()
    if started < start and developed is None:
        return IMPLEMENTATION_BEFORE_WINDOW, started.isoformat()
    if developed is not None and not start <= developed <= end:
        return DEVELOPMENT_OUTSIDE_WINDOW, developed.isoformat()
    return None


def _read_only(array: np.ndarray) -> np.ndarray:
    array = np.array(array)
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class UrusanCoverage:
    """The basic-urusan coverage of one projection under both readings of the rejected
    innovations, and what each gives. ``accepted_only`` (the package's default, named
    :data:`~iid_analysis.scoring.ASSUMPTION_URUSAN_OVER_ACCEPTED`): rejected innovations do not
    cover an urusan; ``all_counted``: every innovation in ``n`` does. ``changes``: the count
    score differs between the two (then both IIDs are shown)."""

    minimum: int
    accepted_only: int
    all_counted: int
    count_score_accepted_only: float
    count_score_all_counted: float
    iid_accepted_only: float
    iid_all_counted: float

    @property
    def changes(self) -> bool:
        return self.count_score_accepted_only != self.count_score_all_counted


@dataclass(frozen=True)
class ClaimedEligible:
    """A region's IID as claimed (every innovation) and for the eligible innovations only.

    ``eligible`` is None when the year has no eligibility rule (``applies`` False).
    ``check``: the per-innovation result (:class:`EligibilityCheck`); ``table``: one row per
    innovation (:data:`TABLE_COLUMNS`; ``conditions`` the failed condition codes joined by
    ``;``, ``values`` what failed, in the same order). ``coverage_claimed`` and
    ``coverage_eligible``: :class:`UrusanCoverage` when the year has ``min_basic_urusan``, the
    data has ``urusan`` and some innovation of the projection is rejected (otherwise the
    reading changes nothing: None). ``provenance``/``source``: of the
    rule ``eligibility`` (``source_id``: its source in Indonesian, "" when none).
    """

    year: int
    applies: bool
    claimed: RegionScore
    eligible: RegionScore | None
    check: EligibilityCheck
    table: pd.DataFrame
    coverage_claimed: UrusanCoverage | None
    coverage_eligible: UrusanCoverage | None
    provenance: str
    source: str
    source_id: str = ""

    @property
    def n_claimed(self) -> int:
        return self.claimed.n_innovations

    @property
    def n_eligible(self) -> int:
        return self.eligible.n_innovations if self.eligible is not None else self.n_claimed

    @property
    def failures(self) -> pd.DataFrame:
        return self.check.failures

    @property
    def unchecked(self) -> tuple[str, ...]:
        return self.check.unchecked

    def as_dict(self) -> dict:
        """JSON-ready: the two scores, counts, failures, unchecked assumptions, coverages."""
        check = self.check
        return {
            "year": self.year,
            "applies": self.applies,
            "rule": ELIGIBILITY_RULE,
            "provenance": self.provenance,
            "source": self.source,
            "window": [d.isoformat() for d in check.window] if check.window else None,
            "mandatory_indicators": list(check.mandatory),
            "min_design_words": check.min_design_words,
            "columns": dict(check.columns),
            "n_claimed": self.n_claimed,
            "n_eligible": self.n_eligible,
            "iid_claimed": self.claimed.iid,
            "iid_eligible": self.eligible.iid if self.eligible is not None else None,
            "claimed": self.claimed.as_dict(),
            "eligible": self.eligible.as_dict() if self.eligible is not None else None,
            "failures": check.failures.to_dict(orient="records"),
            "unchecked": list(check.unchecked),
            "coverage_claimed": _coverage_dict(self.coverage_claimed),
            "coverage_eligible": _coverage_dict(self.coverage_eligible),
        }

    def messages(self) -> tuple[Message, ...]:
        """What a planning office reads before sending: both IIDs, the counts, every innovation
        that fails and why, the conditions not checked, the coverage readings that matter."""
        if not self.applies:
            return (message("eligibility.no_rule", year=self.year), *self.coverage_messages())
        check = self.check
        start, end = check.window
        lines = [
            message(
                "eligibility.rule",
                year=self.year,
                start=start.isoformat(),
                end=end.isoformat(),
                mandatory=", ".join(check.mandatory),
                words=check.min_design_words,
                provenance=self.provenance,
            ),
            message(
                "eligibility.headline",
                year=self.year,
                claimed=self.claimed.iid,
                claimed_predicate=self.claimed.predicate,
                eligible=self.eligible.iid,
                eligible_predicate=self.eligible.predicate,
            ),
            message(
                "eligibility.counts",
                n_eligible=self.n_eligible,
                n_claimed=self.n_claimed,
                n_failing=check.n_failing,
            ),
        ]
        lines.extend(failure_messages(check))
        lines.extend(message(f"eligibility.unchecked.{name}") for name in check.unchecked)
        lines.extend(self.coverage_messages())
        return tuple(lines)

    def coverage_messages(self) -> tuple[Message, ...]:
        """Both readings of the basic-urusan coverage, for each projection where they give
        different count scores."""
        return tuple(
            coverage_message(projection, coverage)
            for projection, coverage in (
                (VARIANT_CLAIMED, self.coverage_claimed),
                (VARIANT_ELIGIBLE, self.coverage_eligible),
            )
            if coverage is not None and coverage.changes
        )


def failure_messages(check: EligibilityCheck) -> tuple[Message, ...]:
    """One message per innovation and failed condition."""
    start, end = check.window if check.window else (None, None)
    result = []
    for row in check.failures.itertuples(index=False):
        condition = message(
            f"eligibility.condition.{row.condition}",
            value=row.value,
            start=start.isoformat() if start else "",
            end=end.isoformat() if end else "",
            words=check.min_design_words or 0,
        )
        result.append(
            message(
                "eligibility.failure",
                innovation_id=row.innovation_id,
                name=row.name,
                opd=row.opd,
                condition=condition,
            )
        )
    return tuple(result)


def coverage_message(projection: str, coverage: UrusanCoverage) -> Message:
    return message(
        f"eligibility.coverage.{projection}",
        minimum=coverage.minimum,
        accepted=coverage.accepted_only,
        all=coverage.all_counted,
        count_accepted=coverage.count_score_accepted_only,
        count_all=coverage.count_score_all_counted,
        iid_accepted=coverage.iid_accepted_only,
        iid_all=coverage.iid_all_counted,
    )


def _coverage_dict(coverage: UrusanCoverage | None) -> dict | None:
    if coverage is None:
        return None
    data = dataclasses.asdict(coverage)
    data["changes"] = coverage.changes
    return data


def claimed_and_eligible(region: Region) -> ClaimedEligible:
    """The region's IID as claimed and for its eligible innovations only (level grain, or
    maturity grain when the region carries ``maturities`` and no ``levels``)."""
    return claimed_and_eligible_scored(
        region.score(),
        region.innovations,
        region.maturities,
        getattr(region, "levels", None),
        region.methodology,
    )


def claimed_and_eligible_scored(
    claimed: RegionScore,
    innovations: pd.DataFrame,
    maturities,
    levels: np.ndarray | None,
    methodology: Methodology,
) -> ClaimedEligible:
    """:func:`claimed_and_eligible` from the parts of a region already scored: its claimed
    score, its validated innovations table, each innovation's maturity (0 when rejected) and
    its levels (None at maturity grain)."""
    innovations = innovations.reset_index(drop=True)
    check = check_eligibility(innovations, methodology, levels)
    maturities = np.asarray(maturities, dtype=float)
    rejected = (innovations["status"] == STATUS_REJECTED).to_numpy()
    table = _table(innovations, check)
    coverage_claimed = _coverage(claimed, innovations, maturities, rejected, methodology)
    if not check.applies:
        return ClaimedEligible(
            year=methodology.year,
            applies=False,
            claimed=claimed,
            eligible=None,
            check=check,
            table=table,
            coverage_claimed=coverage_claimed,
            coverage_eligible=None,
            provenance="",
            source="",
        )
    keep = np.asarray(check.eligible, dtype=bool)
    extra = tuple(r for r in RULES if methodology.provenance(r) != "CONFIRMED") + check.unchecked
    eligible = _rescore(
        claimed,
        innovations[keep],
        maturities[keep],
        rejected[keep],
        methodology,
        include_rejected=False,
        extra=extra,
    )
    rule = methodology.rule(ELIGIBILITY_RULE)
    return ClaimedEligible(
        year=methodology.year,
        applies=True,
        claimed=claimed,
        eligible=eligible,
        check=check,
        table=table,
        coverage_claimed=coverage_claimed,
        coverage_eligible=_coverage(
            eligible, innovations[keep], maturities[keep], rejected[keep], methodology
        ),
        provenance=rule.provenance,
        source=rule.source,
        source_id=rule.source_id,
    )


def _table(innovations: pd.DataFrame, check: EligibilityCheck) -> pd.DataFrame:
    by_row: dict[str, list[str]] = {}
    values: dict[str, list[str]] = {}
    for row in check.failures.itertuples(index=False):
        by_row.setdefault(str(row.innovation_id), []).append(row.condition)
        values.setdefault(str(row.innovation_id), []).append(str(row.value))
    table = pd.DataFrame(
        {
            "innovation_id": innovations["innovation_id"].to_numpy(),
            "name": innovations["name"].to_numpy() if "name" in innovations else "",
            "opd": innovations["opd"].to_numpy() if "opd" in innovations else "",
            "status": innovations["status"].to_numpy(),
            "eligible": np.asarray(check.eligible, dtype=bool),
        }
    )
    table["conditions"] = [";".join(by_row.get(str(i), [])) for i in table["innovation_id"]]
    table["values"] = [";".join(values.get(str(i), [])) for i in table["innovation_id"]]
    return table


def _rescore(
    base: RegionScore,
    innovations: pd.DataFrame,
    maturities: np.ndarray,
    rejected: np.ndarray,
    methodology: Methodology,
    *,
    include_rejected: bool,
    extra: tuple[str, ...] = (),
) -> RegionScore:
    """``base`` with only ``innovations`` counted: same SPD, their maturity sum and number, their
    basic-urusan coverage under the reading ``include_rejected``."""
    readings = (ASSUMPTION_URUSAN_OVER_ACCEPTED, ASSUMPTION_URUSAN_OVER_ALL)
    inherited = tuple(
        r for r in base.provisional_rules if r not in readings + (ASSUMPTION_BASIC_URUSAN_MET,)
    )
    covered = basic_urusan_covered(innovations, include_rejected)
    score = region_score_from_parts(
        spd_total=base.spd,
        maturity_sum=float(np.where(rejected, 0.0, maturities).sum()),
        n_innovations=len(innovations),
        methodology=methodology,
        extra_provisional=inherited + extra,
        any_rejected=bool(rejected.any()),
        basic_urusan_covered=covered,
    )
    if include_rejected:
        names = tuple(
            ASSUMPTION_URUSAN_OVER_ALL if r == ASSUMPTION_URUSAN_OVER_ACCEPTED else r
            for r in score.provisional_rules
        )
        score = dataclasses.replace(score, provisional_rules=names)
    return score


def _coverage(
    score: RegionScore,
    innovations: pd.DataFrame,
    maturities: np.ndarray,
    rejected: np.ndarray,
    methodology: Methodology,
) -> UrusanCoverage | None:
    minimum = methodology.min_basic_urusan
    if minimum is None or "urusan" not in innovations.columns or not rejected.any():
        return None
    accepted = _rescore(score, innovations, maturities, rejected, methodology,
                        include_rejected=False)
    every = _rescore(score, innovations, maturities, rejected, methodology,
                     include_rejected=True)
    return UrusanCoverage(
        minimum=int(minimum),
        accepted_only=int(accepted.basic_urusan_covered),
        all_counted=int(every.basic_urusan_covered),
        count_score_accepted_only=accepted.count_score,
        count_score_all_counted=every.count_score,
        iid_accepted_only=accepted.iid,
        iid_all_counted=every.iid,
    )


__all__ = [
    "ASSUMPTION_DATES_UNCHECKED",
    "ASSUMPTION_DESIGN_UNCHECKED",
    "ASSUMPTION_MANDATORY_UNCHECKED",
    "COLUMN_ALIASES",
    "CONDITIONS",
    "ClaimedEligible",
    "EligibilityCheck",
    "UrusanCoverage",
    "check_eligibility",
    "claimed_and_eligible",
    "claimed_and_eligible_scored",
    "parse_date",
    "rule_applies",
    "word_count",
]
