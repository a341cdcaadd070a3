"""A maturity-grain plan's actions are frozen rows (``MaturityActions`` of ``MaturityAction``)
whose ``frame()`` is the plan's table, checked on cases worked by hand.

The hand-worked plan: two innovations at kematangan 100 and 90, SPD 30, under the 2024 rules
(the 2023 indicator table; no data-entry dates, so the 2025 window is assumed: it closes on 23
August 2024), made on 28 February 2024 (25 weeks left). The 2023 table's cheapest action steps
(data/effort/change_kinds.csv, lead_times.csv): indicator 16 to level 1 (a staff decree, 2 HK,
3 points, 2 weeks), then seven points at 1 HK each (indicators 25 to levels 1 and 2, 26 to 2 and
3, 27 to 2: one point each; 30 to level 1: two points; publications of 1 or 2 weeks). Raising 13
points: both innovations take 16 to level 1 first (6 points, 4 HK), then the innovation with
more room (90) takes all seven 1-HK points: 90 -> 100 for 9 HK, 100 -> 103 for 2 HK; 11 HK in
all. The longest step either raise takes lasts 2 weeks (14 days): start by 23 August - 14 days =
9 August; done, if started on 28 February, on 13 March.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pandas as pd
import pytest

from iid_analysis.feasibility.calendar import plan_calendar
from iid_analysis.feasibility.maturity_effort import maturity_effort
from iid_analysis.feasibility.maturity_grain import (
    MaturityAction,
    MaturityActions,
    cheapest_maturity_plan,
    score_maturities,
)
from iid_analysis.inputs.importers import check_maturities
from iid_analysis.methodology import load_methodology

RULES_YEAR = 2024
AS_OF = dt.date(2024, 2, 28)
CLOSES = dt.date(2024, 8, 23)
SPD = 30.0
COLUMNS = [
    "action", "innovation_id", "maturity_before", "points", "maturity_after", "cost", "change",
    "lead_weeks", "start_by", "deadline",
]
"""The columns of the plan's table as they were when it was a DataFrame."""


def _frame(maturities) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"innovation_id": [f"I{j}" for j in range(len(maturities))], "maturity": maturities}
    )
    return check_maturities(frame, load_methodology(RULES_YEAR))


def _iid(maturities, rules) -> float:
    """The README's formula, rounded half up to two decimals as published."""
    n = len(maturities)
    sid = sum(maturities) / max(rules.divisor_floor, n) + min(n, rules.count_cap) * (
        rules.count_points_per_innovation
    )
    return math.floor((SPD + sid) / rules.max_total * 100 * 100 + 0.5 + 1e-9) / 100


def _plan(target, max_new=2, as_of=AS_OF):
    rules = load_methodology(RULES_YEAR)
    frame = _frame([100, 90])
    score = score_maturities(frame, rules, spd=SPD)
    calendar = plan_calendar(as_of, RULES_YEAR)
    return cheapest_maturity_plan(frame, rules, score, target, calendar=calendar,
                                  max_new=max_new)


@pytest.fixture(scope="module")
def thirteen_points():
    rules = load_methodology(RULES_YEAR)
    target = _iid([103, 100], rules)
    assert _iid([102, 100], rules) < target  # 12 points fall short
    return _plan(target)


def test_the_frozen_actions_give_the_plan_worked_by_hand(thirteen_points):
    plan = thirteen_points
    assert isinstance(plan.actions, MaturityActions)
    assert all(isinstance(a, MaturityAction) for a in plan.actions)
    expected = pd.DataFrame(
        [("raise_maturity", "I1", 90.0, 10.0, 100.0, 9.0, "", 2.0, "2024-08-09", "2024-03-13"),
         ("raise_maturity", "I0", 100.0, 3.0, 103.0, 2.0, "staff_decree", 2.0, "2024-08-09",
          "2024-03-13")],
        columns=COLUMNS,
    )
    frame = plan.actions.frame()
    # I1's longest step is one of two weeks: the staff decree (16 to level 1) or a publication.
    assert frame.at[0, "change"] in {"staff_decree", "publication"}
    expected.at[0, "change"] = frame.at[0, "change"]
    pd.testing.assert_frame_equal(frame, expected)
    assert plan.cost == pytest.approx(11.0) == pytest.approx(sum(a.cost for a in plan.actions))
    assert plan.points_raised == 13 == plan.actions.points_raised
    assert plan.actions.added == () and plan.n_new == 0


def test_the_table_json_and_csv_keep_their_columns(thirteen_points):
    plan = thirteen_points
    table = plan.actions_table()
    assert list(table.columns) == [c if c != "cost" else "effort_hari_kerja" for c in COLUMNS]
    records = plan.as_json()["actions"]
    assert [list(r) for r in records] == [["change_kind", *table.columns]] * len(table)
    for record, row in zip(records, table.to_dict(orient="records"), strict=True):
        assert record == {"change_kind": "action", **row}
    assert plan.as_json()["effort_hari_kerja"] == pytest.approx(11.0)


def test_the_actions_are_frozen(thirteen_points):
    with pytest.raises(dataclasses.FrozenInstanceError):
        thirteen_points.actions[0].points = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        thirteen_points.actions.rows = ()


@pytest.mark.parametrize("gain", [0.3, 0.8, 1.5, 2.5])
@pytest.mark.parametrize("as_of", [AS_OF, dt.date(2024, 6, 14), dt.date(2024, 8, 1)])
def test_each_action_ends_before_the_window_closes(gain, as_of):
    """Any plan: the effort is the sum of its actions'; each action starts by the window's close
    less its lead time (in whole days) and, started on the plan's date, is done by then at the
    latest."""
    rules = load_methodology(RULES_YEAR)
    plan = _plan(round(_iid([100, 90], rules) + gain, 2), as_of=as_of)
    if not plan.reachable:
        assert len(plan.actions) == 0 and list(plan.actions.frame().columns) == COLUMNS
        return
    assert plan.cost == pytest.approx(sum(a.cost for a in plan.actions))
    assert len(plan.actions.added) == plan.n_new
    for a in plan.actions:
        days = math.ceil(a.lead_weeks * 7)
        assert a.start_by == (CLOSES - dt.timedelta(days=days)).isoformat()
        assert a.deadline == min(as_of + dt.timedelta(days=days), CLOSES).isoformat()
        assert as_of.isoformat() <= a.start_by and a.deadline <= CLOSES.isoformat()
        assert a.maturity_after - a.maturity_before == pytest.approx(a.points)
    assert plan.actions.last_deadline == max(a.deadline for a in plan.actions)
    longest = plan.actions.longest
    assert longest.lead_weeks == max(a.lead_weeks for a in plan.actions)


def test_a_new_innovation_is_an_action_with_its_creation_dates():
    """One new innovation (the first-year profile, 60 HK, 16 weeks = 112 days to create) beats
    raising both to the maximum: start by 23 August - 112 days = 3 May; done, started on 28
    February, on 19 June."""
    rules = load_methodology(RULES_YEAR)
    new = maturity_effort(rules).new_maturity
    target = _iid([100, 90, new], rules)
    assert _iid([111, 111], rules) < target  # raises alone fall short
    plan = _plan(target)
    assert plan.reachable and plan.n_new == 1
    assert [dataclasses.astuple(a) for a in plan.actions] == [
        ("add_innovation", "NEW-1", 0.0, new, new, 60.0, "new_innovation", 16.0, "2024-05-03",
         "2024-06-19"),
    ]
    assert plan.actions.raised == () and plan.points_raised == 0


def test_an_unreachable_plan_has_an_empty_table_with_the_columns():
    plan = _plan(99.0)
    assert not plan.reachable and len(plan.actions) == 0 and not plan.actions
    assert list(plan.actions.frame().columns) == COLUMNS and plan.actions.frame().empty
    assert plan.actions.longest is None and plan.actions.last_deadline is None
    assert plan.as_json()["actions"] == [] and plan.cost == 0.0
