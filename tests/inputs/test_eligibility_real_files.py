"""The eligibility rule on files as other systems write them (maturity grain, read once by
read_region). Expected IIDs by hand from the fixtures and the 2026 rules (floor 12, 0.38 per
innovation but 0 below 5 of 6 basic urusan, maximum 250):

- spd_2026.csv: 1 at level 3 (3), 2a at 2 (2), 3 at 3 (3), 5a at 1 (0.75): SPD 8.75.
- daftar_inovasi_2026.csv (the official list, no development-date or design column): maturities
  87,5 (implemented 28 Agustus 2023: before the window, no development date), 64 (1 Mei 2024:
  inside) and 42,25 (no implementation date). Basic urusan covered: Kesehatan only, so no count
  score in either projection.
  Claimed: 8.75 + 193.75 / 12 = 24.8958 -> 9.96. Eligible: 8.75 + 64 / 12 = 14.0833 -> 5.63.
- simonda_export_2026.csv: SIMONDA exports eligible innovations only: none fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iid_analysis.eligibility import (
    ASSUMPTION_DESIGN_UNCHECKED,
    ASSUMPTION_MANDATORY_UNCHECKED,
    claimed_and_eligible,
)
from iid_analysis.inputs import read_region

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_official_list_claimed_and_eligible_by_hand():
    region = read_region(innovations=FIXTURES / "daftar_inovasi_2026.csv",
                         spd=FIXTURES / "spd_2026.csv", year=2026)
    assert region.grain == "maturity"
    result = claimed_and_eligible(region)
    assert result.claimed.iid_unrounded == pytest.approx((8.75 + 193.75 / 12) / 2.5)
    assert result.claimed.iid == 9.96
    assert result.eligible.iid_unrounded == pytest.approx((8.75 + 64 / 12) / 2.5)
    assert result.eligible.iid == 5.63
    assert (result.n_claimed, result.n_eligible) == (3, 1)
    failures = result.failures
    assert list(zip(failures["condition"], failures["value"], strict=True)) == [
        ("implementation_before_window", "2023-08-28"), ("no_implementation_date", "")]
    assert result.unchecked == (ASSUMPTION_MANDATORY_UNCHECKED, ASSUMPTION_DESIGN_UNCHECKED)


def test_simonda_export_is_eligible_already():
    region = read_region(innovations=FIXTURES / "simonda_export_2026.csv",
                         spd=FIXTURES / "spd_2026.csv", year=2026)
    result = claimed_and_eligible(region)
    assert result.failures.empty and result.n_eligible == result.n_claimed
    assert result.eligible.iid == result.claimed.iid
    assert result.unchecked == (ASSUMPTION_MANDATORY_UNCHECKED,)  # dates and design checked
