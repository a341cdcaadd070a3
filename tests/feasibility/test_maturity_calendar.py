"""Maturity-grain plans on a calendar: only action steps whose lead time ends before the
data-entry window closes are priced; the others are "for next year"; each action has its dates.

The expected steps are read here from the shipped data files with the csv module (not through the
package's effort code): the step kinds, classes and lead times of ``data/effort/change_kinds.csv``
with the class defaults of ``data/effort/lead_times.csv``, the points of
``data/methodology/indicators_2023.csv``. The 2024 rules have no data-entry dates (the 2025
window, 20 June - 23 August, is assumed) and no eligibility window; the 2026 rules admit only
innovations implemented in 2024-2025.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from functools import lru_cache

import pandas as pd
import pytest

from iid_analysis.config import PROJ_ROOT
from iid_analysis.feasibility.calendar import plan_calendar
from iid_analysis.feasibility.maturity_effort import NEW_INELIGIBLE, NEW_LATE, maturity_effort
from iid_analysis.feasibility.maturity_grain import cheapest_maturity_plan, score_maturities
from iid_analysis.inputs.importers import check_maturities
from iid_analysis.methodology import load_methodology

DATA = PROJ_ROOT / "src" / "iid_analysis" / "data"
RULES_YEAR = 2024  # the 2023 indicator table; no data-entry dates: 20 June - 23 August assumed
CLOSES = dt.date(2024, 8, 23)


def _rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def _steps_2023() -> dict[tuple[str, int], tuple[str, float, float, float]]:
    """(indicator, to_level) -> (change class, lead weeks, hari kerja, points) of every action
    step of an innovation indicator in the 2023 table."""
    points = {}
    for row in _rows(DATA / "methodology" / "indicators_2023.csv"):
        if row["aspect"] != "SPD":
            points[(row["number"], int(row["level"]))] = float(row["points"])
    classes = {r["change"]: r for r in _rows(DATA / "effort" / "lead_times.csv")}
    steps = {}
    for row in _rows(DATA / "effort" / "change_kinds.csv"):
        key = (row["indicator"], int(row["to_level"]))
        if row["table_year"] != "2023" or row["change_kind"] != "action" or key not in points:
            continue
        default = classes[row["change"]]
        lead = float(row["lead_weeks"] or default["lead_weeks"])
        effort = float(row["effort_days"] or default["effort_days"])
        gained = points[key] - points.get((key[0], key[1] - 1), 0.0)
        steps[key] = (row["change"], lead, effort, gained)
    return steps


def _new_lead() -> float:
    row = next(r for r in _rows(DATA / "effort" / "lead_times.csv")
               if r["change"] == "new_innovation")
    return float(row["lead_weeks"])


def _frame(maturities) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"innovation_id": [f"I{j}" for j in range(len(maturities))], "maturity": maturities}
    )
    return check_maturities(frame, load_methodology(RULES_YEAR))


def _iid(spd: float, maturities, rules) -> float:
    """The README's formula, rounded half up to two decimals as published."""
    n = len(maturities)
    sid = sum(maturities) / max(rules.divisor_floor, n) + min(n, rules.count_cap) * (
        rules.count_points_per_innovation
    )
    return math.floor((spd + sid) / rules.max_total * 100 * 100 + 0.5 + 1e-9) / 100


def _iid_unrounded(spd: float, maturities, rules) -> float:
    n = len(maturities)
    sid = sum(maturities) / max(rules.divisor_floor, n) + min(n, rules.count_cap) * (
        rules.count_points_per_innovation
    )
    return (spd + sid) / rules.max_total * 100


@pytest.mark.parametrize("weeks", [1, 4, 10, 12, 20, 26])
def test_n_weeks_left_admit_exactly_the_steps_of_lead_at_most_n(weeks):
    rules = load_methodology(RULES_YEAR)
    as_of = CLOSES - dt.timedelta(weeks=weeks)
    calendar = plan_calendar(as_of, RULES_YEAR)
    assert calendar.window.closes == CLOSES and calendar.weeks_remaining == weeks
    effort = maturity_effort(rules, calendar=calendar)
    steps = _steps_2023()
    fit = {k for k, (_, lead, _, _) in steps.items() if lead <= weeks}
    assert {(s.indicator, s.to_level) for s in effort.steps} == fit
    assert {(s.indicator, s.to_level) for s in effort.late} == set(steps) - fit
    assert effort.max_points == pytest.approx(sum(steps[k][3] for k in fit))
    for s in effort.steps + effort.late:
        assert (s.change, s.lead_weeks) == steps[(s.indicator, s.to_level)][:2]
    # A new innovation takes 16 weeks to create (lead_times.csv); the 2024 rules have no
    # eligibility window.
    assert effort.new_lead_weeks == _new_lead() == 16
    assert effort.new_blocked == ("" if weeks >= 16 else NEW_LATE)


def test_without_a_calendar_every_action_step_is_priced():
    effort = maturity_effort(load_methodology(RULES_YEAR))
    assert {(s.indicator, s.to_level) for s in effort.steps} == set(_steps_2023())
    assert effort.late == () and effort.new_blocked == "" and effort.calendar is None


def test_a_date_after_the_window_gives_next_year_only():
    """The 2024 window aimed at on 1 September 2024: nothing fits, no action, every action step
    and a new innovation for next year, each with the IID it would add."""
    rules = load_methodology(RULES_YEAR)
    calendar = plan_calendar(dt.date(2024, 9, 1), RULES_YEAR, entry_year=2024)
    assert calendar.closed and calendar.weeks_remaining == 0
    maturities = [100, 90, 111]
    frame = _frame(maturities)
    score = score_maturities(frame, rules, spd=30.0)
    target = _iid(30.0, maturities, rules) + 0.5
    plan = cheapest_maturity_plan(frame, rules, score, target, calendar=calendar)
    assert not plan.reachable and len(plan.actions) == 0 and plan.cost == 0
    assert plan.n_new == 0 and plan.new_blocked == NEW_LATE
    steps = _steps_2023()
    raised = {(s.indicator, s.to_level) for s in plan.next_year if s.indicator}
    assert raised == set(steps)
    new = [s for s in plan.next_year if not s.indicator]
    assert len(new) == 1 and new[0].change == "new_innovation" and new[0].lead_weeks == 16
    # Each step's value: taken on the two innovations below 111, each at most to 111.
    before = _iid_unrounded(30.0, maturities, rules)
    for s in plan.next_year:
        if not s.indicator:
            continue
        change, lead, effort, points = steps[(s.indicator, s.to_level)]
        after = [min(m + points, 111) if m < 111 else m for m in maturities]
        assert s.n_innovations == 2 and s.points == points and s.effort_days == effort
        assert (s.change, s.lead_weeks) == (change, lead)
        assert s.iid_gain == pytest.approx(_iid_unrounded(30.0, after, rules) - before)
    gains = [s.iid_gain for s in plan.next_year]
    assert gains == sorted(gains, reverse=True)
    data = plan.as_json()
    assert data["as_of_date"] == "2024-09-01" and data["weeks_remaining"] == 0
    assert data["window"]["closes"] == "2024-08-23" and data["window"]["assumed"]
    assert not data["new_innovations_offered"] and data["new_innovation_blocked"] == NEW_LATE
    assert len(data["next_year"]) == len(steps) + 1


def test_a_hand_worked_plan_with_ten_weeks_left():
    """Ten weeks before 23 August 2024: only steps of lead <= 10 weeks, no new innovation (16
    weeks). Two innovations at 100 and 90, SPD 30, 15 points to raise: the cheapest points left
    by hand, and every action ends by the window's close."""
    rules = load_methodology(RULES_YEAR)
    as_of = CLOSES - dt.timedelta(weeks=10)
    calendar = plan_calendar(as_of, RULES_YEAR)
    steps = {k: v for k, v in _steps_2023().items() if v[1] <= 10}
    ordered = sorted(steps.values(), key=lambda s: s[2] / s[3])

    def raise_cost(points):
        cost, left = 0.0, points
        for _, _, effort, gained in ordered:
            take = min(gained, left)
            cost += take * effort / gained
            left -= take
        return cost

    maturities = [100, 90]
    frame = _frame(maturities)
    score = score_maturities(frame, rules, spd=30.0)
    target = _iid(30.0, [105, 100], rules)
    plan = cheapest_maturity_plan(frame, rules, score, target, calendar=calendar)
    assert plan.reachable and plan.n_new == 0 and plan.new_blocked == NEW_LATE
    assert plan.points_raised == 15
    for row in plan.actions:
        assert row.cost == pytest.approx(raise_cost(row.points))
        assert row.lead_weeks <= 10
        assert row.change in {s[0] for s in steps.values() if s[1] == row.lead_weeks}
        days = math.ceil(row.lead_weeks * 7)
        assert row.start_by == (CLOSES - dt.timedelta(days=days)).isoformat()
        assert row.deadline == min(as_of + dt.timedelta(days=days), CLOSES).isoformat()
        assert as_of.isoformat() <= row.start_by and row.deadline <= CLOSES.isoformat()
    for action in plan.as_json()["actions"]:
        assert action["change_kind"] == "action"
        assert {"change", "lead_weeks", "start_by", "deadline"} <= set(action)


def test_new_innovations_follow_the_eligibility_window_of_the_rules():
    """2026 rules: an innovation counts only when implemented in 2024-2025. Made on 1 March 2025
    (implemented 16 weeks later, in June 2025) it is offered; made on 1 March 2026, not."""
    rules = load_methodology(2026)
    offered = maturity_effort(rules, calendar=plan_calendar(dt.date(2025, 3, 1), 2026))
    assert offered.new_blocked == ""
    late = maturity_effort(rules, calendar=plan_calendar(dt.date(2026, 3, 1), 2026))
    assert late.calendar.weeks_remaining >= 16  # it would fit the window ...
    assert late.new_blocked == NEW_INELIGIBLE  # ... but falls outside the eligibility window
    frame = _frame([50, 60])
    score = score_maturities(frame, rules, spd=30.0)
    plan = cheapest_maturity_plan(frame, rules, score, 99.0, effort=late)
    assert plan.n_new == 0 and not plan.actions.added
    assert plan.as_json()["new_innovations_offered"] is False


def test_the_docs_quote_the_calendar_the_code_uses():
    doc = " ".join((PROJ_ROOT / "docs" / "feasibility.md").read_text(encoding="utf-8").split())
    section = doc.split("**The calendar at maturity grain**", 1)[1].split("## ", 1)[0]
    effort = maturity_effort(load_methodology(2026))
    assert f"creation lead time of a level-grain plan ({effort.new_lead_weeks:g} weeks" in section
    rules = load_methodology(2026)
    start = str(rules.rule("eligibility_window_start").value)[:4]
    end = str(rules.rule("eligibility_window_end").value)[:4]
    assert f"under the 2026 and 2027 rules, {start}-{end})" in section
    assert str(load_methodology(2027).rule("eligibility_window_end").value)[:4] == end
