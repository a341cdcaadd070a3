"""Maturity-grain plans in hari kerja, from the same effort model as a level-grain plan.

The expected values are worked by hand from the shipped data files (read here with the csv
module, not through the package's effort code): the step kinds and efforts of
``data/effort/change_kinds.csv``, the points of ``data/methodology/indicators_2023.csv``, the
creation effort of ``data/effort/actions.csv``; and the IID by the README's formula.
"""

from __future__ import annotations

import csv
import itertools
import math
import re
from functools import cache, lru_cache

import pandas as pd
import pytest

from iid_analysis.config import PROJ_ROOT
from iid_analysis.feasibility.change import first_year_profile
from iid_analysis.feasibility.maturity_effort import maturity_effort
from iid_analysis.feasibility.maturity_grain import cheapest_maturity_plan, score_maturities
from iid_analysis.inputs.importers import check_maturities
from iid_analysis.methodology import load_methodology

DATA = PROJ_ROOT / "src" / "iid_analysis" / "data"
RULES_YEAR = 2024  # rules 2024 use the 2023 indicator table


def _rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _points_2023() -> dict[tuple[str, int], float]:
    """Points of (indicator, level) of the 2023 table's innovation indicators (level 0: 0)."""
    points = {}
    for row in _rows(DATA / "methodology" / "indicators_2023.csv"):
        if row["aspect"] != "SPD":
            points[(row["number"], int(row["level"]))] = float(row["points"])
    return points


@lru_cache(maxsize=1)
def _action_steps_2023() -> tuple[tuple[float, float], ...]:
    """(hari kerja, points) of every action step of an innovation indicator, 2023 table."""
    points = _points_2023()
    defaults = {r["change"]: r["effort_days"] for r in _rows(DATA / "effort" / "lead_times.csv")}
    steps = []
    for row in _rows(DATA / "effort" / "change_kinds.csv"):
        key = (row["indicator"], int(row["to_level"]))
        if row["table_year"] != "2023" or row["change_kind"] != "action" or key not in points:
            continue
        gained = points[key] - points.get((key[0], key[1] - 1), 0.0)
        effort = float(row["effort_days"] or defaults[row["change"]])
        steps.append((effort, gained))
    return tuple(steps)


@cache
def _raise_cost(points: float) -> float:
    """Hari kerja of raising one innovation by ``points``: the action steps, cheapest per point
    first, a part of a step pro rata (the documented rule, restated)."""
    cost, left = 0.0, points
    for effort, gained in sorted(_action_steps_2023(), key=lambda s: s[0] / s[1]):
        take = min(gained, left)
        cost += take * effort / gained
        left -= take
    assert left <= 1e-9
    return cost


def _frame(maturities) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"innovation_id": [f"I{j}" for j in range(len(maturities))], "maturity": maturities}
    )
    return check_maturities(frame, load_methodology(RULES_YEAR))


def _iid(spd: float, maturities, rules) -> float:
    """The README's formula: (SPD + sum / MAX(floor, n) + MIN(n, cap) x points) / max x 100,
    rounded half up to two decimals as published."""
    n = len(maturities)
    sid = sum(maturities) / max(rules.divisor_floor, n) + min(n, rules.count_cap) * (
        rules.count_points_per_innovation
    )
    return math.floor((spd + sid) / rules.max_total * 100 * 100 + 0.5 + 1e-9) / 100


def test_the_rates_are_the_action_steps_of_the_table_cheapest_first():
    effort = maturity_effort(load_methodology(RULES_YEAR))
    steps = _action_steps_2023()
    # 16 to level 1 (an OPD decree, 2 HK) is worth 3 points: 2/3 HK a point, the cheapest.
    assert effort.segments[0] == pytest.approx((2 / 3, 3.0))
    # Then 1 HK a point for 7 points: 25 to 1 and 2, 26 to 2 and 3, 27 to 2 (1 point, 1 HK
    # each) and 30 to 1 (2 points, 2 HK).
    assert effort.segments[1] == pytest.approx((1.0, 7.0))
    assert effort.max_points == pytest.approx(sum(p for _, p in steps)) == 69.0
    assert effort.raise_cost(effort.max_points) == pytest.approx(sum(e for e, _ in steps)) == 274
    # Record and evidence steps are never priced: 27 to level 1 is evidence, 32 is a record.
    assert all(s.indicator != "32" for s in effort.steps)
    assert ("27", 1) not in {(s.indicator, s.to_level) for s in effort.steps}
    # A new innovation: the creation effort of a level-grain plan (actions.csv, penerapan).
    creation = next(r for r in _rows(DATA / "effort" / "actions.csv")
                    if r["action_kind"] == "add_innovation" and r["stage"] == "penerapan")
    assert effort.per_new == float(creation["default_effort"]) == 60.0
    rules = load_methodology(RULES_YEAR)
    profile = first_year_profile(rules).levels_dict
    assert effort.new_maturity == sum(_points_2023().get((k, v), 0.0) for k, v in profile.items())


def test_a_hand_worked_plan_in_hari_kerja():
    """Two innovations at 100 and 90 (room 11 and 21), SPD 30, no new innovation: 15 points.

    By hand: both take 16 to level 1 first (3 points each at 2 HK: 6 points, 4 HK); then the
    1-HK points, the innovation with more room (90) first: it takes all 7 (7 HK), the one at 100
    the 2 left (2 HK). 15 points for 4 + 7 + 2 = 13 HK: 90 -> 100 for 9 HK, 100 -> 105 for 4.
    """
    rules = load_methodology(RULES_YEAR)
    frame = _frame([100, 90])
    score = score_maturities(frame, rules, spd=30.0)
    target = _iid(30.0, [100 + 5, 90 + 10], rules)
    assert _iid(30.0, [100 + 5, 90 + 9], rules) < target  # 14 points fall short
    plan = cheapest_maturity_plan(frame, rules, score, target, max_new=0)
    assert plan.reachable and plan.iid_after == target
    assert plan.cost == pytest.approx(13.0)
    rows = {a.innovation_id: a for a in plan.actions}
    assert rows["I1"].points == 10 and rows["I1"].cost == pytest.approx(9.0)
    assert rows["I0"].points == 5 and rows["I0"].cost == pytest.approx(4.0)
    assert plan.points_raised == 15
    assert plan.cost == pytest.approx(_raise_cost(10) + _raise_cost(5))


@pytest.mark.parametrize("spd", [20.0, 30.0])
def test_the_plan_is_the_least_hari_kerja_by_brute_force(spd):
    """Every whole raise of each innovation (0..its room) and 0..2 new innovations at 60 HK:
    the cheapest in hari kerja that reaches the target is the plan's effort."""
    rules = load_methodology(RULES_YEAR)
    maturities = [100, 90, 104]
    new = maturity_effort(rules).new_maturity
    frame = _frame(maturities)
    score = score_maturities(frame, rules, spd=spd)
    for gain in (0.2, 0.6, 1.5, 2.0, 3.0, 4.5):
        target = round(_iid(spd, maturities, rules) + gain, 2)
        best = math.inf
        for raises in itertools.product(*(range(111 - m + 1) for m in maturities)):
            for k in range(3):
                after = [m + r for m, r in zip(maturities, raises, strict=True)] + [new] * k
                if _iid(spd, after, rules) >= target:
                    best = min(best, sum(_raise_cost(r) for r in raises) + 60.0 * k)
        plan = cheapest_maturity_plan(frame, rules, score, target, max_new=2)
        if math.isinf(best):
            assert not plan.reachable
            continue
        assert plan.reachable
        assert plan.cost == pytest.approx(best)
        assert plan.cost == pytest.approx(sum(a.cost for a in plan.actions))


def test_the_docs_quote_what_the_code_gives():
    doc = " ".join((PROJ_ROOT / "docs" / "feasibility.md").read_text(encoding="utf-8").split())
    section = doc.split("### Plans at maturity grain", 1)[1].split("## ", 1)[0]
    old, new = maturity_effort(load_methodology(2024)), maturity_effort(load_methodology(2026))
    first = re.search(r"the first (\d+) points of an innovation cost (\d\.\d\d) HK each", section)
    assert (float(first.group(1)), float(first.group(2))) == (
        old.segments[0][1], round(old.segments[0][0], 2))
    assert f"the next {old.segments[1][1]:g} points {old.segments[1][0]:g} HK each" in section
    assert f"the next {old.segments[2][1]:g} points {old.segments[2][0]:g} HK each" in section
    assert (f"all {old.max_points:g} points of action steps cost "
            f"{old.raise_cost(old.max_points):g} HK") in section
    assert (f"{new.segments[0][1]:g} points at {new.segments[0][0]:g} HK first, at most "
            f"{new.max_points:g} points, {new.raise_cost(new.max_points):g} HK in all") in section
    assert f"creation effort ({old.per_new:g} HK" in section
    assert f"({old.new_maturity:g} under the 2023 table, {new.new_maturity:g} under" in section


def test_a_cost_table_row_changes_the_rates(tmp_path):
    """Indicator 35 at 1 HK a step (three steps of 4 points): 0.25 HK a point, now the cheapest
    12 points; record steps named by a row become actions at its cost (32: 3 steps)."""
    from iid_analysis.feasibility.effort import load_effort

    rules = load_methodology(RULES_YEAR)
    costs = tmp_path / "costs.csv"
    costs.write_text("kind,indicator,cost\nraise_level,35,1\nraise_level,32,100\n",
                     encoding="utf-8")
    effort = maturity_effort(rules, load_effort(costs, rules))
    assert effort.segments[0] == pytest.approx((0.25, 12.0))
    default = maturity_effort(rules)
    points_32 = _points_2023()[("32", 3)]
    assert effort.max_points == pytest.approx(default.max_points + points_32)
    assert effort.raise_cost(effort.max_points) == pytest.approx(
        274 - 15 + 3 + 300)  # 35: 3 x 5 HK -> 3 x 1 HK; 32: 3 steps at 100 HK
