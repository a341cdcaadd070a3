"""Marginal values of the levers against hand-worked numbers.

The base region (worked by hand with the 2023 weights; 16: 3, 31: 3, 35: 4, the weights of
16..35 sum to 37): SPD all at level 3 except indicator 6 at level 2 (63 - 1.5 = 61.5); twelve
innovations, every indicator at level 2 (maturity 74 each, S = 888). Divisor 12, mean 74, count
score 12 x 0.38 = 4.56, total 140.06, IID 56.024.
"""

from __future__ import annotations

import numpy as np
import pytest

from iid_analysis.feasibility.levers import (
    break_even_maturity,
    innovation_values,
    level_up_values,
    new_innovation_values,
)
from iid_analysis.inputs import Region
from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import score_region

SPD_NUMBERS = load_methodology(2023).spd_numbers
IID_PER_TOTAL = 100 / 250


def spd_levels(**overrides):
    levels = dict.fromkeys(SPD_NUMBERS, 3)
    levels.update({k.replace("_", ""): v for k, v in overrides.items()})
    return levels


@pytest.fixture()
def base(make_spd, make_innovations):
    spd = make_spd({**spd_levels(), "6": 2})
    innovations = make_innovations(np.full((12, 20), 2))
    return spd, innovations


def test_base_scores_as_worked_by_hand(base, methodology_2023):
    result = score_region(*base, methodology_2023)
    assert result.iid_unrounded == pytest.approx(140.06 * IID_PER_TOTAL)


def test_spd_step_gains_its_points(base, methodology_2023):
    table = level_up_values(Region.from_frames(*base, methodology_2023))
    spd_rows = table[table["scope"] == "spd"]
    assert len(spd_rows) == 1
    row = spd_rows.iloc[0]
    assert (row["indicator"], row["from_level"], row["to_level"]) == ("6", 2, 3)
    assert row["iid_gain"] == pytest.approx(1.5 * IID_PER_TOTAL)


def test_innovation_step_gain_is_weight_over_divisor(base, methodology_2023):
    table = level_up_values(Region.from_frames(*base, methodology_2023))
    single = table[(table["scope"] == "innovation")]
    assert len(single) == 12 * 20
    step_35 = single[(single["indicator"] == "35") & (single["innovation_id"] == "INV-003")]
    assert step_35["iid_gain"].item() == pytest.approx(4 / 12 * IID_PER_TOTAL)
    step_20 = single[(single["indicator"] == "20") & (single["innovation_id"] == "INV-003")]
    assert step_20["iid_gain"].item() == pytest.approx(1 / 12 * IID_PER_TOTAL)


def test_same_step_on_all_innovations(base, methodology_2023):
    table = level_up_values(Region.from_frames(*base, methodology_2023))
    everyone = table[(table["scope"] == "all_innovations") & (table["indicator"] == "35")]
    assert everyone["n_affected"].item() == 12
    # 12 innovations x 4 points / divisor 12 = 4 points of total.
    assert everyone["iid_gain"].item() == pytest.approx(4 * IID_PER_TOTAL)
    assert table["iid_gain"].is_monotonic_decreasing
    assert table.iloc[0]["scope"] == "all_innovations"


def test_rejected_and_maxed_indicators_offer_no_step(make_spd, make_innovations, methodology_2023):
    levels = np.full((12, 20), 3)
    levels[0, 5] = 1
    innovations = make_innovations(levels, status=["ditolak"] + ["diterima"] * 11)
    table = level_up_values(
        Region.from_frames(make_spd(spd_levels()), innovations, methodology_2023)
    )
    assert table.empty


def test_new_innovation_break_even_below_the_cap(base, methodology_2023):
    # (888 + m) / 13 + 13 x 0.38 = 74 + 4.56  <=>  m = 13 x (78.56 - 4.94) - 888 = 69.06
    assert break_even_maturity(Region.from_frames(*base, methodology_2023)) == pytest.approx(69.06)
    table = new_innovation_values(Region.from_frames(*base, methodology_2023)).set_index("maturity")
    assert table.loc[111.0, "iid_gain"] == pytest.approx(
        ((888 + 111) / 13 + 13 * 0.38 - 78.56) * IID_PER_TOTAL
    )
    assert table.loc[69.0, "lowers_iid"] and not table.loc[70.0, "lowers_iid"]
    assert table.loc[0.0, "count_score_gain"] == pytest.approx(0.38)


def test_new_innovation_changes_sign_at_the_mean_at_the_cap(
    make_spd, make_innovations, methodology_2023
):
    # 200 innovations of maturity 74: the count score is capped, so only the mean moves.
    spd = make_spd(spd_levels())
    innovations = make_innovations(np.full((200, 20), 2))
    assert break_even_maturity(
        Region.from_frames(spd, innovations, methodology_2023)
    ) == pytest.approx(74.0)
    table = new_innovation_values(
        Region.from_frames(spd, innovations, methodology_2023), maturities=[73, 74, 75]
    )
    gains = table.set_index("maturity")["iid_gain"]
    assert gains[75] == pytest.approx(1 / 201 * IID_PER_TOTAL)
    assert gains[74] == pytest.approx(0.0, abs=1e-12)
    assert gains[73] == pytest.approx(-1 / 201 * IID_PER_TOTAL)
    assert (table["count_score_gain"] == 0).all()


def test_below_the_divisor_floor_every_new_innovation_helps(
    make_spd, make_innovations, methodology_2023
):
    spd = make_spd(spd_levels())
    innovations = make_innovations(np.full((5, 20), 2))
    # D stays 10: S / 10 does not move, the count adds 0.38; break-even 10 x (37 + 1.9 - 2.28) - 370
    assert break_even_maturity(
        Region.from_frames(spd, innovations, methodology_2023)
    ) == pytest.approx(-3.8)
    table = new_innovation_values(
        Region.from_frames(spd, innovations, methodology_2023), maturities=[0, 10]
    )
    gains = table.set_index("maturity")["iid_gain"]
    assert gains[0] == pytest.approx(0.38 * IID_PER_TOTAL)
    assert gains[10] == pytest.approx((1.0 + 0.38) * IID_PER_TOTAL)


def test_withdrawal_and_rejection(make_spd, make_innovations, methodology_2023):
    spd = make_spd({**spd_levels(), "6": 2})
    status = ["ditolak"] + ["diterima"] * 11
    innovations = make_innovations(np.full((12, 20), 2), status=status)
    table = innovation_values(Region.from_frames(spd, innovations, methodology_2023)).set_index(
        "innovation_id"
    )
    # Scored: S = 11 x 74 = 814 over 12, count 4.56. Withdrawing the rejected one: 814 / 11 + 4.18.
    before = 814 / 12 + 4.56
    rejected = table.loc["INV-001"]
    assert rejected["maturity"] == 0 and rejected["maturity_if_accepted"] == 74
    assert rejected["iid_change_withdraw"] == pytest.approx((74 + 4.18 - before) * IID_PER_TOTAL)
    assert rejected["iid_change_if_accepted"] == pytest.approx(74 / 12 * IID_PER_TOTAL)
    assert np.isnan(rejected["iid_change_if_rejected"])
    accepted = table.loc["INV-002"]
    assert accepted["iid_change_withdraw"] == pytest.approx((740 / 11 + 4.18 - before) * 0.4)
    assert accepted["iid_change_if_rejected"] == pytest.approx(-74 / 12 * IID_PER_TOTAL)
    assert np.isnan(accepted["iid_change_if_accepted"])
    assert table["iid_change_withdraw"].is_monotonic_decreasing
