"""Properties of the IID formula over many random regions, checked against a naive model.

The naive model is the README's formula written as plain loops over rows with the weights
typed by hand (conftest ``weights_2023``; the 2026 table has the same weights), the divisor
floor and the count rule as literals per year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import (
    PREDICATE_INOVATIF,
    PREDICATE_KURANG_INOVATIF,
    PREDICATE_SANGAT_INOVATIF,
    PREDICATE_TIDAK_DAPAT_DINILAI,
    classify,
    count_score,
    score_region,
    score_regions_batch,
)

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
FLOOR = {2023: 10, 2024: 10, 2025: 10, 2026: 12}
"""divisor_floor of each year, typed from rules.csv."""
COUNT_POINTS, COUNT_CAP, MAX_TOTAL = 0.38, 200, 250
ORDER = [
    PREDICATE_TIDAK_DAPAT_DINILAI,
    PREDICATE_KURANG_INOVATIF,
    PREDICATE_INOVATIF,
    PREDICATE_SANGAT_INOVATIF,
]


@dataclass
class Region:
    year: int
    spd: dict[str, int]
    levels: np.ndarray  # innovations x 20, indicators 16..35
    status: list[str]


@st.composite
def regions(draw, max_n: int = 40, years=(2023, 2024, 2025, 2026)) -> Region:
    """A random region: SPD levels for a random subset of indicators, n innovations."""
    year = draw(st.sampled_from(years))
    n = draw(st.one_of(st.integers(0, min(12, max_n)), st.integers(0, max_n)))
    low = draw(st.integers(0, 3))
    high = draw(st.integers(low, 3))
    share_rejected = draw(st.sampled_from([0.0, 0.1, 0.5, 1.0]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    levels = rng.integers(low, high + 1, size=(n, 20))
    status = ["ditolak" if r else "diterima" for r in rng.random(n) < share_rejected]
    spd_numbers = draw(st.sampled_from([ALL_SPD, ALL_SPD[:5], ALL_SPD[5:], ()]))
    spd = {number: int(rng.integers(0, 4)) for number in spd_numbers}
    return Region(year, spd, levels, status)


ALL_SPD = tuple("1 2a 2b 3 4 5a 5b 6 7 8 9 10a 10b 11a 11b 12 13a 13b 14 15".split())


def naive_total(region: Region, weights) -> float:
    spd_weights, innovation_weights = weights["spd"], weights["innovation"]
    spd = 0.0
    for number, level in region.spd.items():
        spd += spd_weights[number] * level
    maturity_sum = 0.0
    numbers = list(innovation_weights)
    for row, status in zip(region.levels, region.status, strict=True):
        if status == "ditolak":
            continue
        for number, level in zip(numbers, row, strict=True):
            maturity_sum += innovation_weights[number] * int(level)
    n = len(region.levels)
    return spd + maturity_sum / max(FLOOR[region.year], n) + min(n, COUNT_CAP) * COUNT_POINTS


def score(region: Region, make_spd, make_innovations):
    innovations = make_innovations(region.levels, status=region.status)
    return score_region(make_spd(region.spd), innovations, load_methodology(region.year))


@pytest.mark.slow
@SETTINGS
@given(region=regions())
def test_matches_the_naive_formula_and_stays_in_0_100(
    region, weights_2023, make_spd, make_innovations
):
    result = score(region, make_spd, make_innovations)
    total = naive_total(region, weights_2023)
    assert result.total == pytest.approx(total, abs=1e-9)
    assert result.iid_unrounded == pytest.approx(total / MAX_TOTAL * 100, abs=1e-9)
    assert abs(result.iid - result.iid_unrounded) <= 0.005 + 1e-9
    assert 0 <= result.iid_unrounded <= 100
    assert 0 <= result.iid <= 100
    assert result.n_innovations == len(region.levels)
    assert result.divisor == max(FLOOR[region.year], len(region.levels))


@pytest.mark.slow
@SETTINGS
@given(region=regions(), data=st.data())
def test_raising_any_single_level_never_lowers_the_iid(region, data, make_spd, make_innovations):
    before = score(region, make_spd, make_innovations)
    raisable_spd = [k for k in ALL_SPD if region.spd.get(k, 0) < 3]
    raisable_cells = list(zip(*np.nonzero(region.levels < 3), strict=True))
    choices = [("spd", k) for k in raisable_spd] + [("inn", c) for c in raisable_cells]
    assume(choices)
    kind, where = data.draw(st.sampled_from(choices))
    if kind == "spd":
        region.spd = {**region.spd, where: region.spd.get(where, 0) + 1}
    else:
        region.levels = region.levels.copy()
        region.levels[where] += 1
    after = score(region, make_spd, make_innovations)
    assert after.iid_unrounded >= before.iid_unrounded
    assert after.iid >= before.iid
    rejected_cell = kind == "inn" and region.status[where[0]] == "ditolak"
    if not rejected_cell:
        assert after.iid_unrounded > before.iid_unrounded


@pytest.mark.slow
@SETTINGS
@given(region=regions(max_n=9, years=(2023,)), data=st.data())
def test_below_the_floor_one_more_innovation_adds_m_over_floor(
    region, data, weights_2023, make_spd, make_innovations
):
    new_levels = np.array(data.draw(st.lists(st.integers(0, 3), min_size=20, max_size=20)))
    m = sum(
        w * int(lv) for w, lv in zip(weights_2023["innovation"].values(), new_levels, strict=True)
    )
    before = score(region, make_spd, make_innovations)
    region.levels = np.vstack([region.levels, new_levels])
    region.status = [*region.status, "diterima"]
    after = score(region, make_spd, make_innovations)
    assert before.divisor == after.divisor == 10
    assert after.mean_maturity - before.mean_maturity == pytest.approx(m / 10, abs=1e-9)
    assert after.count_score - before.count_score == pytest.approx(0.38)


@pytest.mark.slow
@settings(max_examples=15, deadline=None)
@given(row=st.lists(st.integers(0, 3), min_size=20, max_size=20))
def test_count_score_is_capped_at_200_innovations(row, make_spd, make_innovations):
    methodology = load_methodology(2023)
    results = {
        n: score_region(make_spd({}), make_innovations(np.tile(row, (n, 1))), methodology)
        for n in (200, 250)
    }
    assert results[200].count_score == pytest.approx(76.0)
    assert results[250].count_score == pytest.approx(76.0)
    assert results[250].mean_maturity == pytest.approx(results[200].mean_maturity)
    assert results[250].total == pytest.approx(results[200].total)


@given(n=st.integers(0, 5000))
def test_count_rule(n):
    expected = min(n, 200) * 0.38
    assert float(count_score(n, load_methodology(2023))) == pytest.approx(expected)


@pytest.mark.slow
@SETTINGS
@given(region=regions(), data=st.data())
def test_rejecting_an_innovation_never_raises_the_iid(region, data, make_spd, make_innovations):
    accepted = [i for i, s in enumerate(region.status) if s == "diterima"]
    assume(accepted)
    before = score(region, make_spd, make_innovations)
    flipped = data.draw(st.sampled_from(accepted))
    region.status = [("ditolak" if i == flipped else s) for i, s in enumerate(region.status)]
    after = score(region, make_spd, make_innovations)
    assert after.iid_unrounded <= before.iid_unrounded
    assert after.iid <= before.iid
    assert after.n_innovations == before.n_innovations
    assert after.divisor == before.divisor
    assert after.count_score == before.count_score


@given(
    x=st.integers(0, 10_000).map(lambda c: c / 100),
    y=st.integers(0, 10_000).map(lambda c: c / 100),
    year=st.sampled_from([2021, 2022, 2023, 2024, 2025, 2026]),
)
def test_classify_is_monotone_and_matches_the_bands(x, y, year):
    low, high = sorted((x, y))
    assert ORDER.index(classify(low, year)) <= ORDER.index(classify(high, year))
    sangat = {2025: 65.01, 2026: 65.01}.get(year, 60.01)
    inovatif = {2025: 40.01, 2026: 40.01}.get(year, 35.00)
    expected = (
        PREDICATE_SANGAT_INOVATIF
        if x >= sangat
        else PREDICATE_INOVATIF
        if x >= inovatif
        else PREDICATE_KURANG_INOVATIF
        if x >= 0.01
        else PREDICATE_TIDAK_DAPAT_DINILAI
    )
    assert classify(x, year) == expected


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(
    regions_list=st.lists(regions(max_n=25, years=(2023,)), min_size=1, max_size=6),
)
def test_batch_scoring_agrees_with_region_scoring(
    regions_list, weights_2023, make_spd, make_innovations
):
    methodology = load_methodology(2023)
    levels = np.vstack([r.levels for r in regions_list] + [np.zeros((0, 20), dtype=int)])
    codes = np.concatenate(
        [np.full(len(r.levels), i) for i, r in enumerate(regions_list)] + [np.zeros(0, int)]
    ).astype(int)
    rejected = np.array([s == "ditolak" for r in regions_list for s in r.status], dtype=bool)
    spd_totals = [sum(weights_2023["spd"][k] * lv for k, lv in r.spd.items()) for r in regions_list]
    batch = score_regions_batch(levels, codes, np.array(spd_totals), methodology, rejected)
    for i, region in enumerate(regions_list):
        single = score(region, make_spd, make_innovations)
        assert batch["n_innovations"][i] == single.n_innovations
        assert batch["iid_unrounded"][i] == pytest.approx(single.iid_unrounded, abs=1e-9)
        assert batch["iid"][i] == single.iid
