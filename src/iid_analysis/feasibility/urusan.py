"""The lever "cover the missing urusan": from 2026 the count score is 0 unless the innovations
cover at least ``min_basic_urusan`` of the 6 urusan wajib pelayanan dasar (SECONDARY rule)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..methodology import BASIC_URUSAN, Methodology
from ..scoring import RegionScore, count_score, covered_basic_urusan, region_score_from_parts


@dataclass(frozen=True)
class UrusanLever:
    """What covering the missing basic urusan is worth, for one region and year.

    ``applies``: the year has the rule (``minimum`` is its value, else None). ``checked``: the
    data has an ``urusan`` column (if not, ``covered``/``missing`` are empty and the values
    are what is at stake). ``needed``: how many more urusan must be covered (0 when met).
    ``count_score_at_stake``: the count score the rule can take away (points of total);
    ``iid_value``: the IID gained by covering ``needed`` more urusan (0 when met);
    ``iid_at_risk``: the IID lost if one covered urusan were lost, when coverage is exactly at
    the minimum (``one_away``), else 0.
    """

    year: int
    applies: bool
    checked: bool
    minimum: int | None
    covered: tuple[str, ...]
    missing: tuple[str, ...]
    needed: int
    count_score_at_stake: float
    iid_value: float
    one_away: bool
    iid_at_risk: float
    provenance: str | None

    @property
    def to_cover(self) -> tuple[str, ...]:
        """The missing urusan a plan asks new innovations to cover: the first ``needed`` of
        ``missing`` in the rule's order (any ``needed`` of them would do)."""
        return self.missing[: self.needed]

    def as_frame(self) -> pd.DataFrame:
        """One row per basic urusan: urusan, covered (bool or None when unchecked)."""
        covered = set(self.covered)
        return pd.DataFrame(
            {
                "urusan": list(BASIC_URUSAN),
                "covered": [(u in covered) if self.checked else None for u in BASIC_URUSAN],
            }
        )


def urusan_lever(
    innovations: pd.DataFrame, score: RegionScore, methodology: Methodology
) -> UrusanLever:
    """The "cover the missing urusan" lever for a region with ``score``: a RegionScore, or a
    :class:`~iid_analysis.feasibility.maturity_grain.MaturityGrainScore` (the values do not
    depend on the SPD, so an unknown SPD is fine). ``innovations`` (level or maturity grain)
    needs ``status`` and, to be checked, ``urusan``."""
    minimum = methodology.min_basic_urusan
    covered = covered_basic_urusan(innovations)
    checked = covered is not None
    stake = float(count_score(score.n_innovations, methodology)) if minimum else 0.0
    names = tuple(u for u in BASIC_URUSAN if checked and u in covered)
    missing = tuple(u for u in BASIC_URUSAN if checked and u not in covered)
    if minimum is None:
        return UrusanLever(
            methodology.year, False, checked, None, names, missing, 0, 0.0, 0.0, False, 0.0, None
        )

    def iid_with(n_covered: int) -> float:
        return region_score_from_parts(
            score.spd or 0.0,
            score.maturity_sum,
            score.n_innovations,
            methodology,
            basic_urusan_covered=n_covered,
        ).iid_unrounded

    n_covered = len(names)
    needed = max(0, minimum - n_covered) if checked else 0
    value = iid_with(minimum) - iid_with(n_covered) if checked and needed else 0.0
    one_away = checked and n_covered == minimum
    at_risk = iid_with(minimum) - iid_with(minimum - 1) if one_away else 0.0
    return UrusanLever(
        year=methodology.year,
        applies=True,
        checked=checked,
        minimum=minimum,
        covered=names,
        missing=missing,
        needed=needed,
        count_score_at_stake=stake,
        iid_value=float(value),
        one_away=bool(one_away),
        iid_at_risk=float(at_risk),
        provenance=methodology.provenance("min_basic_urusan"),
    )


__all__ = ["UrusanLever", "urusan_lever"]
