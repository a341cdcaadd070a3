"""Scoring, levers and plans at maturity grain.

Checks: the maturity-grain score equals the level-grain score of the same data (the shipped
synthetic example); the methodology README's worked example 1 (SPD 40, eight innovations of
maturity 80, 2023: IID 42.82, Inovatif); lever values worked by hand; the cheapest plan against
brute force on a small case.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from iid_analysis.errors import UsageError
from iid_analysis.feasibility.maturity_effort import MaturityEffort
from iid_analysis.feasibility.maturity_grain import (
    ASSUMPTION_MATURITY_GRAIN,
    ASSUMPTION_SPD_FROM_PUBLISHED,
    cheapest_maturity_plan,
    maturity_levers,
    new_innovation_values,
    score_maturities,
)
from iid_analysis.inputs.dataset import load_innovations, load_spd
from iid_analysis.inputs.importers import (
    check_maturities,
    read_innovation_export,
    write_maturity_file,
)
from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import score_innovations, score_region


def maturity_frame(maturities, status=None) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"innovation_id": [f"I{j}" for j in range(len(maturities))], "maturity": maturities}
    )
    if status is not None:
        frame["status"] = status
    return check_maturities(frame, load_methodology(2023))


@pytest.fixture(scope="module")
def example(example_spd_path, example_innovations_path):
    rules = load_methodology(2023)
    spd = load_spd(example_spd_path, rules)
    levels = load_innovations(example_innovations_path, rules)
    return rules, spd, levels


def test_maturity_grain_agrees_with_level_grain(example):
    rules, spd, levels = example
    by_levels = score_region(spd, levels, rules)
    per_innovation = score_innovations(levels, rules)
    table = per_innovation[["innovation_id", "name", "opd", "stage", "status", "maturity"]]
    by_maturities = score_maturities(check_maturities(table, rules), rules, spd=spd)
    assert by_maturities.grain == "maturity"
    assert by_maturities.iid == by_levels.iid
    assert by_maturities.score.total == pytest.approx(by_levels.total)
    assert by_maturities.sid == pytest.approx(by_levels.sid)
    assert by_maturities.n_innovations == by_levels.n_innovations
    assert ASSUMPTION_MATURITY_GRAIN in by_maturities.provisional_rules


def test_imported_maturity_file_round_trips(example, example_innovations_path, tmp_path):
    rules, spd, levels = example
    imported = read_innovation_export(example_innovations_path, rules)
    assert imported.format_name == "iid_analysis_levels"
    path = write_maturity_file(imported, tmp_path / "maturities.csv")
    again = read_innovation_export(path, rules)
    assert again.format_name == "iid_analysis_maturity"
    assert (
        score_maturities(again.innovations, rules, spd=spd).iid
        == score_region(spd, levels, rules).iid
    )


def test_worked_example_one():
    result = score_maturities(maturity_frame([80] * 8), load_methodology(2023), spd=40.0)
    assert result.divisor == 10
    assert result.mean_maturity == pytest.approx(64.0)
    assert result.count_score == pytest.approx(3.04)
    assert result.iid == 42.82
    assert result.predicate == "Inovatif"


def test_spd_unknown_gives_the_sid_only():
    result = score_maturities(maturity_frame([80] * 8), load_methodology(2023))
    assert result.spd_basis == "unknown"
    assert result.iid is None and result.spd is None and result.score is None
    assert result.sid == pytest.approx(64.0 + 3.04)
    with pytest.raises(UsageError):
        maturity_levers(maturity_frame([80] * 8), load_methodology(2023), result)


def test_spd_from_the_published_iid(example):
    rules, spd, levels = example
    table = score_innovations(levels, rules)[["innovation_id", "status", "maturity"]]
    result = score_maturities(check_maturities(table, rules), rules, published_iid=84.46)
    # 84.46 x 2.5 = 211.15 total; the example's SID is 14832 / 176 + 66.88.
    assert result.spd == pytest.approx(211.15 - (14832 / 176 + 66.88))
    assert result.iid == 84.46
    assert ASSUMPTION_SPD_FROM_PUBLISHED in result.provisional_rules


def test_rejected_innovation_has_no_maturity_and_counts_in_n():
    result = score_maturities(
        maturity_frame([80] * 8 + [100], ["diterima"] * 8 + ["ditolak"]),
        load_methodology(2023),
        spd=40.0,
    )
    assert result.maturity_sum == 640
    assert result.n_innovations == 9


def test_levers_by_hand():
    rules = load_methodology(2023)
    frame = maturity_frame([80] * 7 + [100, 50], ["diterima"] * 8 + ["ditolak"])
    score = score_maturities(frame, rules, spd=40.0)
    levers = maturity_levers(frame, rules, score)
    # n = 9 < 10: one maturity point is 1/10 point of total, 0.04 IID.
    assert levers["iid_gain_per_point"].iloc[0] == pytest.approx(0.04)
    row = levers.set_index("innovation_id").loc["I7"]
    assert row["headroom"] == 11 and row["iid_gain_to_max"] == pytest.approx(0.44)
    assert levers.set_index("innovation_id").loc["I8", "headroom"] == 0  # rejected
    assert (levers["grain"] == "maturity").all()


def test_new_innovation_values_by_hand():
    rules = load_methodology(2023)
    score = score_maturities(maturity_frame([80] * 8), rules, spd=40.0)
    values = new_innovation_values(rules, score, [0, 50, 111])
    # Below the floor of 10: the gain is m / 10 + 0.38 points of total, / 2.5 in IID.
    expected = [(m / 10 + 0.38) / 2.5 for m in (0, 50, 111)]
    assert values["iid_gain"].tolist() == pytest.approx(expected)


def _brute_force(maturities, spd, target, max_new, new_maturity, cost_new):
    rules = load_methodology(2023)
    best = math.inf
    headroom = [111 - m for m in maturities]
    for k in range(max_new + 1):
        for points in range(sum(headroom) + 1):
            raised, left = [], points
            for m, h in zip(maturities, headroom, strict=True):
                step = min(h, left)
                raised.append(m + step)
                left -= step
            values = raised + [new_maturity] * k
            frame = pd.DataFrame({"status": ["diterima"] * len(values), "maturity": values})
            if score_maturities(frame, rules, spd=spd).iid >= target:
                best = min(best, points + k * cost_new)
                break
    return best


@pytest.mark.parametrize("target", [38.0, 41.0, 44.0])
def test_cheapest_plan_matches_brute_force(target):
    rules = load_methodology(2023)
    maturities = [80, 90, 100]
    frame = maturity_frame(maturities)
    score = score_maturities(frame, rules, spd=60.0)
    effort = MaturityEffort.flat(per_point=1.0, per_new=30.0, new_maturity=60)
    plan = cheapest_maturity_plan(frame, rules, score, target, effort=effort, max_new=3)
    expected = _brute_force(maturities, 60.0, target, 3, 60, 30.0)
    assert plan.reachable
    assert plan.cost == pytest.approx(expected)
    assert plan.iid_after >= target
    # Applying the plan's actions and scoring again reaches the target.
    raised = dict(zip(frame["innovation_id"], frame["maturity"], strict=True))
    new = []
    for action in plan.actions:
        if action.action == "raise_maturity":
            raised[action.innovation_id] += action.points
        else:
            new.append(action.maturity_after)
    after = score_maturities(maturity_frame(list(raised.values()) + new), rules, spd=60.0)
    assert after.iid >= target


def test_unreachable_target_says_so():
    rules = load_methodology(2023)
    frame = maturity_frame([80, 90])
    score = score_maturities(frame, rules, spd=10.0)
    plan = cheapest_maturity_plan(frame, rules, score, 99.0, max_new=2)
    assert not plan.reachable
    assert len(plan.actions) == 0 and plan.actions.frame().empty
    assert plan.max_iid < 99.0
