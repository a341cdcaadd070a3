"""The scoring API against hand-worked examples, boundaries and the provenance it must carry.

Expected values are worked out by hand from the methodology README and the 2023 weights
(16: 3, 17: 2, ..., 31: 3, 35: 4; SPD 12: 2, 5a: 0.75, ...), never taken from the code.
"""

from __future__ import annotations

import csv
import dataclasses

import numpy as np
import pandas as pd
import pytest

from iid_analysis.errors import (
    IncompleteRulesError,
    InvalidLevelError,
    UnknownYearError,
    UsageError,
)
from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import (
    RegionScore,
    classify,
    count_score,
    decompose,
    region_score_from_parts,
    round_published,
    score_innovations,
    score_region,
    score_spd,
)

REGION_SCORE_FIELDS = [
    "year",
    "spd",
    "maturity_sum",
    "n_innovations",
    "divisor",
    "mean_maturity",
    "count_score",
    "sid",
    "total",
    "iid",
    "iid_unrounded",
    "predicate",
    "provisional_rules",
    "basic_urusan_covered",
]
SPD_NUMBERS_2023 = (
    "1 2a 2b 3 4 5a 5b 6 7 8 9 10a 10b 11a 11b 12 13a 13b 14 15".split()
)  # fmt: skip


def spd_levels_for_40() -> dict[str, int]:
    """Every SPD indicator at level 2 (2 x 21 = 42 points) but 12 (weight 2) at level 1: 40."""
    levels = dict.fromkeys(SPD_NUMBERS_2023, 2)
    levels["12"] = 1
    return levels


def innovation_levels_for_80() -> np.ndarray:
    """Every indicator at level 2 (2 x 37 = 74) but 16 and 31 (weight 3) at level 3: 80."""
    levels = np.full(20, 2)
    levels[[0, 15]] = 3  # indicators 16 and 31
    return levels


@pytest.fixture
def worked_example_1(make_spd, make_innovations):
    spd = make_spd(spd_levels_for_40())
    innovations = make_innovations(np.tile(innovation_levels_for_80(), (8, 1)))
    return spd, innovations


# --- worked example 1 -----------------------------------------------------------------------
def test_worked_example_1_from_parts(methodology_2023):
    result = region_score_from_parts(40, 8 * 80, 8, methodology_2023)
    assert result.divisor == 10
    assert result.mean_maturity == pytest.approx(64.0)
    assert result.count_score == pytest.approx(3.04)
    assert result.sid == pytest.approx(67.04)
    assert result.total == pytest.approx(107.04)
    assert result.iid_unrounded == pytest.approx(42.816)
    assert result.iid == 42.82
    assert result.predicate == "Inovatif"


def test_worked_example_1_from_indicator_data(methodology_2023, worked_example_1):
    spd, innovations = worked_example_1
    result = score_region(spd, innovations, methodology_2023)
    assert result.year == 2023
    assert result.spd == pytest.approx(40.0)
    assert result.maturity_sum == pytest.approx(640.0)
    assert result.n_innovations == 8
    assert result.divisor == 10
    assert result.mean_maturity == pytest.approx(64.0)
    assert result.count_score == pytest.approx(3.04)
    assert result.total == pytest.approx(107.04)
    assert result.iid == 42.82
    assert result.predicate == "Inovatif"


def test_score_innovations_points_and_maturity(methodology_2023, worked_example_1):
    _, innovations = worked_example_1
    result = score_innovations(innovations, methodology_2023)
    assert len(result) == 8
    assert list(result.columns[:6]) == [
        "innovation_id",
        "name",
        "opd",
        "stage",
        "status",
        "maturity",
    ]
    assert [c for c in result.columns if c.startswith("points_")] == [
        f"points_{n}" for n in range(16, 36)
    ]
    assert (result["maturity"] == 80).all()
    # level 3 x weight 3; level 2 x weight 2; level 2 x weight 4
    assert (result["points_16"] == 9).all()
    assert (result["points_31"] == 9).all()
    assert (result["points_17"] == 4).all()
    assert (result["points_35"] == 8).all()
    assert list(result["innovation_id"]) == [f"INV-{i:03d}" for i in range(1, 9)]


def test_score_innovations_single_levels(methodology_2023, make_innovations):
    levels = np.zeros((3, 20), dtype=int)
    levels[0, 0] = 1  # 16 at level 1: 3
    levels[1, 19] = 3  # 35 at level 3: 12
    levels[2, :] = 3  # everything at 3: 111
    result = score_innovations(make_innovations(levels), methodology_2023)
    assert list(result["maturity"]) == [3, 12, 111]


def test_score_spd_sub_rows_add_up(methodology_2023, make_spd):
    result = score_spd(make_spd(spd_levels_for_40()), methodology_2023)
    assert result.total == pytest.approx(40.0)
    assert result.max_total == 63
    points = result.points.set_index("indicator")["points"]
    assert points["2a"] == 2 and points["2b"] == 2
    assert points["12"] == 2
    assert points["5a"] == pytest.approx(1.5)
    by_parent = result.points.groupby("parent")["points"].sum()
    assert by_parent["2"] == 4
    assert by_parent["5"] == pytest.approx(3.0)
    assert len(result.points) == 20


def test_score_spd_absent_indicators_score_zero(methodology_2023, make_spd):
    result = score_spd(make_spd({"12": 3, "6": 1}), methodology_2023)
    assert result.total == pytest.approx(6 + 1.5)
    assert (result.points.set_index("indicator").drop(["12", "6"])["points"] == 0).all()


def test_score_spd_all_at_three_is_the_maximum(methodology_2023, make_spd):
    result = score_spd(make_spd(dict.fromkeys(SPD_NUMBERS_2023, 3)), methodology_2023)
    assert result.total == pytest.approx(63.0)


def test_maximum_everything_is_iid_100(methodology_2023, make_spd, make_innovations):
    spd = make_spd(dict.fromkeys(SPD_NUMBERS_2023, 3))
    innovations = make_innovations(np.full((200, 20), 3))
    result = score_region(spd, innovations, methodology_2023)
    assert result.total == pytest.approx(250.0)
    assert result.iid == 100.0
    assert result.predicate == "Sangat Inovatif"


def test_no_innovations_divides_by_the_floor(methodology_2023, make_spd, make_innovations):
    innovations = make_innovations(np.zeros((0, 20), dtype=int))
    result = score_region(make_spd({"12": 3}), innovations, methodology_2023)
    assert result.n_innovations == 0
    assert result.divisor == 10
    assert result.total == pytest.approx(6.0)
    assert result.iid == 2.4


# --- rejected innovations ---------------------------------------------------------------------
def test_rejected_innovation_scores_zero_and_still_counts(
    methodology_2023, make_spd, make_innovations
):
    levels = np.full((12, 20), 3)
    status = ["diterima"] * 11 + ["ditolak"]
    innovations = make_innovations(levels, status=status)
    per_innovation = score_innovations(innovations, methodology_2023)
    rejected = per_innovation.iloc[11]
    assert rejected["maturity"] == 0
    assert all(rejected[f"points_{n}"] == 0 for n in range(16, 36))
    assert (per_innovation["maturity"].iloc[:11] == 111).all()

    result = score_region(make_spd({}), innovations, methodology_2023)
    assert result.n_innovations == 12
    assert result.divisor == 12
    assert result.maturity_sum == 11 * 111
    assert result.mean_maturity == pytest.approx(11 * 111 / 12)
    assert result.count_score == pytest.approx(12 * 0.38)
    assert "rejected_count_in_divisor" in result.provisional_rules


def test_no_rejected_innovation_no_rejection_rule(methodology_2023, worked_example_1):
    result = score_region(*worked_example_1, methodology_2023)
    assert "rejected_count_in_divisor" not in result.provisional_rules


# --- worked example 2: Kota Mojokerto 2023 ----------------------------------------------------
def test_worked_example_2_decomposition():
    d = decompose(84.46, 176, 2023)
    assert d.count_score == pytest.approx(66.88)
    assert d.total == pytest.approx(211.15)
    assert d.spd_plus_mean_maturity == pytest.approx(144.27)
    assert d.total_low == pytest.approx(211.1375)
    assert d.total_high == pytest.approx(211.1625)
    assert (d.max_total, d.max_spd, d.max_innovation) == (250, 63, 111)
    assert set(d.provisional_rules) == {"count_points_per_innovation", "count_cap", "max_total"}


def test_worked_example_2_reaching_the_cap(methodology_2023):
    gained = float(count_score(200, methodology_2023) - count_score(176, methodology_2023))
    assert gained == pytest.approx(9.12)
    assert round_published(gained / 250 * 100) == 3.65
    # SPD 55 and mean maturity 89.27 (the README's "89.3") give the published 84.46 ...
    now = region_score_from_parts(55, 89.27 * 176, 176, methodology_2023)
    assert now.iid == 84.46
    assert now.total == pytest.approx(211.15)
    # ... and the same mean over 200 innovations adds 9.12 points of total.
    capped = region_score_from_parts(55, 89.27 * 200, 200, methodology_2023)
    assert capped.total - now.total == pytest.approx(9.12)
    assert capped.iid_unrounded - now.iid_unrounded == pytest.approx(3.648)


def test_decompose_refuses_bad_input_and_incomplete_years():
    with pytest.raises(UsageError):
        decompose(100.5, 10, 2023)
    with pytest.raises(UsageError):
        decompose(50, -1, 2023)
    with pytest.raises(IncompleteRulesError, match="count_points_per_innovation"):
        decompose(62.3, 100, 2021)
    with pytest.raises(UnknownYearError):
        decompose(50, 10, 2019)


# --- classify ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("iid", "year", "predicate"),
    [
        (0, 2023, "Tidak Dapat Dinilai"),
        (0.0, 2025, "Tidak Dapat Dinilai"),
        (0.004, 2023, "Tidak Dapat Dinilai"),
        (0.01, 2023, "Kurang Inovatif"),
        (34.99, 2023, "Kurang Inovatif"),
        (34.994, 2023, "Kurang Inovatif"),
        (34.995, 2023, "Inovatif"),
        (35.00, 2023, "Inovatif"),
        (60.00, 2023, "Inovatif"),
        (60.004, 2023, "Inovatif"),
        (60.005, 2023, "Sangat Inovatif"),
        (60.01, 2023, "Sangat Inovatif"),
        (84.46, 2023, "Sangat Inovatif"),
        (100, 2023, "Sangat Inovatif"),
        (65.00, 2025, "Inovatif"),
        (65.01, 2025, "Sangat Inovatif"),
        (60.01, 2025, "Inovatif"),
        (40.00, 2026, "Kurang Inovatif"),
        (40.01, 2026, "Inovatif"),
        (62.3, 2021, "Sangat Inovatif"),
        (77.73, 2022, "Sangat Inovatif"),
        (60.00, 2022, "Inovatif"),
        (34.99, 2021, "Kurang Inovatif"),
    ],
)
def test_classify_band_edges(iid, year, predicate):
    assert classify(iid, year) == predicate


def test_classify_accepts_a_methodology(methodology_2023):
    assert classify(60.01, methodology_2023) == "Sangat Inovatif"


def test_classify_rejects_out_of_range_and_unknown_years():
    with pytest.raises(UsageError):
        classify(-0.01, 2023)
    with pytest.raises(UsageError):
        classify(100.01, 2023)
    with pytest.raises(UnknownYearError):
        classify(50, 2019)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(84.465, 84.47), (84.4649, 84.46), (2.675, 2.68), (0.125, 0.13), (42.816, 42.82), (0, 0)],
)
def test_round_published_is_half_up(value, expected):
    assert round_published(value) == expected


# --- incomplete years -------------------------------------------------------------------------
@pytest.mark.parametrize("year", [2021, 2022])
def test_scoring_an_incomplete_year_names_the_missing_rules(year, worked_example_1):
    spd, innovations = worked_example_1
    methodology = load_methodology(year)
    for call in (
        lambda: score_region(spd, innovations, methodology),
        lambda: score_spd(spd, methodology),
        lambda: score_innovations(innovations, methodology),
        lambda: region_score_from_parts(40, 640, 8, methodology),
    ):
        with pytest.raises(IncompleteRulesError) as info:
            call()
        message = str(info.value)
        for name in ("indicators", "divisor_floor", "count_points_per_innovation", "count_cap"):
            assert name in message
        assert "max_total" in message
    # ... while the same year still classifies.
    assert classify(62.3, year) == "Sangat Inovatif"


# --- provenance -------------------------------------------------------------------------------
def test_provenance_2023(methodology_2023, worked_example_1):
    result = score_region(*worked_example_1, methodology_2023)
    provisional = set(result.provisional_rules)
    assert {"count_points_per_innovation", "count_cap", "max_total"} <= provisional
    assert {f"indicator {n}" for n in SPD_NUMBERS_2023} <= provisional
    # CONFIRMED in 2023: the formula's floor, the bands and the per-innovation levels used here.
    assert "divisor_floor" not in provisional
    assert "indicators" not in provisional
    assert not {r for r in provisional if r.startswith("band_")}
    assert not {f"indicator {n}" for n in range(16, 36)} & provisional


def test_unanswered_innovation_indicator_is_flagged(methodology_2023, make_spd, make_innovations):
    levels = np.full((3, 20), 2)
    levels[1, 19] = 0  # indicator 35 left unanswered: scoring it 0 is INFERRED
    result = score_region(make_spd({}), make_innovations(levels), methodology_2023)
    assert "indicator 35" in result.provisional_rules
    assert "indicator 34" not in result.provisional_rules


def test_provenance_2024_includes_the_stand_in_table_and_floor(worked_example_1):
    result = score_region(*worked_example_1, load_methodology(2024))
    assert {"indicators", "divisor_floor", "count_cap", "max_total"} <= set(
        result.provisional_rules
    )
    assert {f"indicator {n}" for n in range(16, 36)} <= set(result.provisional_rules)


def test_provenance_2026_includes_secondary_rules(worked_example_1):
    result = score_region(*worked_example_1, load_methodology(2026))
    assert {
        "indicators",
        "divisor_floor",
        "count_points_per_innovation",
        "count_cap",
        "max_total",
        "band_sangat_inovatif_min",
        "band_inovatif_min",
        "band_kurang_inovatif_min",
    } <= set(result.provisional_rules)
    assert result.divisor == 12
    assert result.mean_maturity == pytest.approx(640 / 12)


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_every_weaker_rule_used_surfaces(year, worked_example_1, package_methodology_dir):
    with (package_methodology_dir / "rules.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["year"] == str(year)]
    provenance = {r["rule"]: r["provenance"] for r in rows}
    used = [
        "indicators",
        "divisor_floor",
        "count_points_per_innovation",
        "count_cap",
        "max_total",
        "band_sangat_inovatif_min",
        "band_inovatif_min",
        "band_kurang_inovatif_min",
    ]
    result = score_region(*worked_example_1, load_methodology(year))
    provisional = set(result.provisional_rules)
    for name in used:
        assert (name in provisional) == (provenance[name] != "CONFIRMED"), name
    assert "stages_counted" in provisional


# --- the result type --------------------------------------------------------------------------
def test_region_score_has_exactly_the_published_fields(methodology_2023, worked_example_1):
    assert [f.name for f in dataclasses.fields(RegionScore)] == REGION_SCORE_FIELDS
    result = score_region(*worked_example_1, methodology_2023)
    data = result.as_dict()
    assert list(data) == REGION_SCORE_FIELDS
    assert isinstance(data["provisional_rules"], list)
    assert isinstance(result.provisional_rules, tuple)
    assert isinstance(result.n_innovations, int) and isinstance(result.divisor, int)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.iid = 99.0  # type: ignore[misc]


def test_bad_level_in_a_dataframe_is_a_data_error(methodology_2023, make_spd, make_innovations):
    innovations = make_innovations(np.full((3, 20), 2))
    innovations.loc[1, "20"] = 5
    with pytest.raises(InvalidLevelError, match=r"column '20'"):
        score_region(make_spd({}), innovations, methodology_2023)


def test_innovation_indicator_columns_may_be_integers(methodology_2023, make_spd, make_innovations):
    innovations = make_innovations(np.tile(innovation_levels_for_80(), (8, 1)))
    innovations.columns = [int(c) if c.isdigit() else c for c in innovations.columns]
    result = score_region(make_spd(spd_levels_for_40()), innovations, methodology_2023)
    assert result.iid == 42.82


def test_spd_given_as_numbers_and_text(methodology_2023):
    spd = pd.DataFrame({"indicator": [12, "2a", "5B"], "level": [3, "2", 1.0]})
    assert score_spd(spd, methodology_2023).total == pytest.approx(6 + 2 + 0.75)
