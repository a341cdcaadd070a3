"""The validated region object: built once, immutable, hashed, the same numbers as the frames."""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np
import pandas as pd
import pytest

import iid_analysis.inputs.dataset as dataset
import iid_analysis.inputs.region as region_module
from iid_analysis import load_methodology, load_region, score_region
from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE
from iid_analysis.errors import UsageError
from iid_analysis.feasibility import add_innovation, apply_actions, raise_level
from iid_analysis.feasibility.actions import apply_to_region
from iid_analysis.inputs.dataset import load_innovations, load_spd
from iid_analysis.inputs.region import Region


@pytest.fixture(scope="module")
def rules():
    return load_methodology(2023)


@pytest.fixture(scope="module")
def example(rules):
    return load_region(rules, EXAMPLE_SPD_FILE, EXAMPLE_INNOVATIONS_FILE, name="Kota Mojokerto")


def test_region_scores_as_the_frames_do(rules, example):
    spd = load_spd(EXAMPLE_SPD_FILE, rules)
    innovations = load_innovations(EXAMPLE_INNOVATIONS_FILE, rules)
    assert example.score() == score_region(spd, innovations, rules)
    # The published 2023 IID of Kota Mojokerto, which the synthetic data was built to give.
    assert example.score().iid == pytest.approx(84.46)


def test_sources_carry_the_hash_of_the_bytes_read(example):
    expected = {
        "spd": hashlib.sha256(EXAMPLE_SPD_FILE.read_bytes()).hexdigest(),
        "innovations": hashlib.sha256(EXAMPLE_INNOVATIONS_FILE.read_bytes()).hexdigest(),
    }
    assert {s.role: s.sha256 for s in example.sources} == expected
    assert list(example.source_hashes()["role"]) == ["spd", "innovations"]


def test_region_is_immutable(example):
    with pytest.raises(dataclasses.FrozenInstanceError):
        example.name = "other"
    for array in (example.levels, example.spd_levels, example.rejected):
        with pytest.raises(ValueError):
            array[0] = 1


def test_rules_of_another_year_with_the_same_indicators_need_no_validation(example, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("validated again")

    monkeypatch.setattr(region_module, "check_innovations", refuse)
    monkeypatch.setattr(region_module, "check_spd", refuse)
    later = example.under(load_methodology(2025))
    assert later.methodology.year == 2025
    np.testing.assert_array_equal(later.levels, example.levels)
    # 2025 raised the Sangat Inovatif band to 65.01; the total is unchanged under the same tables.
    assert later.score().total == pytest.approx(example.score().total)


def test_applying_actions_matches_validating_the_changed_frames(rules, example):
    first = example.innovations.iloc[0]
    level = int(first["16"])
    actions = [
        raise_level("16", level, min(level + 1, 3), first["innovation_id"], first["opd"])
        if level < 3
        else raise_level("1", int(example.spd_by_number["1"]), 3),
        add_innovation("NEW-1", "Dinas Baru", {n: 3 for n in rules.innovation_numbers}),
    ]
    after = apply_to_region(example, actions)
    spd, innovations = apply_actions(example.spd, example.innovations, actions)
    assert after.score() == score_region(spd, innovations, rules)
    # Independently of both paths: the frames edited by hand score the same.
    by_hand = example.innovations.copy()
    if level < 3:
        by_hand.loc[by_hand.index[0], "16"] = level + 1
        by_hand_spd = example.spd
    else:
        by_hand_spd = example.spd.copy()
        by_hand_spd.loc[by_hand_spd["indicator"].astype(str) == "1", "level"] = 3
    new_row = by_hand.iloc[[0]].copy()
    new_row["innovation_id"], new_row["opd"] = "NEW-1", "Dinas Baru"
    new_row["stage"], new_row["status"] = "penerapan", "diterima"
    for number in rules.innovation_numbers:
        new_row[number] = 3
    by_hand = pd.concat([by_hand, new_row], ignore_index=True)
    assert after.score().iid == pytest.approx(score_region(by_hand_spd, by_hand, rules).iid)
    assert after.n == example.n + 1
    # A new innovation at every level 3 has the maximum maturity.
    assert after.maturities[-1] == pytest.approx(rules.max_innovation)


def test_an_action_outside_the_levels_is_refused(example):
    with pytest.raises(UsageError):
        apply_to_region(example, [raise_level("1", int(example.spd_by_number["1"]), 4)])


def test_a_report_context_validates_the_indicator_files_once(monkeypatch):
    from iid_analysis.report.context import build_context
    from iid_analysis.report.params import ReportParams

    calls = {"spd": 0, "innovations": 0}
    check_spd, check_innovations = dataset.check_spd, dataset.check_innovations

    def counting(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    for module in (dataset, region_module):
        monkeypatch.setattr(module, "check_spd", counting("spd", check_spd))
        monkeypatch.setattr(module, "check_innovations", counting("innovations", check_innovations))
    context = build_context(ReportParams.from_mapping({"region": "Kota Mojokerto",
                                                       "target_year": 2024}))
    assert calls == {"spd": 1, "innovations": 1}
    files = context.provenance.files.set_index("role")["sha256"]
    assert files["spd"] == hashlib.sha256(EXAMPLE_SPD_FILE.read_bytes()).hexdigest()


def test_levers_and_plans_follow_the_2026_urusan_rule(make_spd, make_innovations):
    from iid_analysis.feasibility import cheapest_plan, level_up_values
    from iid_analysis.methodology import BASIC_URUSAN

    rules = load_methodology(2026)
    spd = make_spd(dict.fromkeys(rules.spd_numbers, 2))
    innovations = make_innovations(np.full((12, 20), 2))
    # Four of the six basic urusan: under 2026 (5 needed) the count score is 0.
    innovations["urusan"] = [BASIC_URUSAN[i % 4] for i in range(12)]
    region = Region.from_frames(spd, innovations, rules)
    assert not region.count_allowed
    assert region.score().count_score == 0.0
    assert region.iid_unrounded() == pytest.approx(region.score().iid_unrounded)
    step = level_up_values(region).iloc[0]
    after = apply_to_region(
        region,
        [raise_level(step["indicator"], step["from_level"], step["to_level"],
                     step["innovation_id"], step["opd"])],  # fmt: skip
    ) if step["scope"] != "all_innovations" else None
    if after is not None:
        assert after.score().iid_unrounded - region.score().iid_unrounded == pytest.approx(
            step["iid_gain"]
        )
    plan = cheapest_plan(region, region.score().iid + 1.0)
    assert plan.reached and plan.score_after.iid >= region.score().iid + 1.0
