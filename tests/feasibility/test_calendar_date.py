"""A plan made on a given date is the same whatever day it is computed; without a date, the
calendar takes today (the one default the report fixes and records as its ``as_of_date``)."""

from __future__ import annotations

import datetime as dt
import types

from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE
from iid_analysis.feasibility import calendar as calendar_module
from iid_analysis.feasibility.calendar import plan_calendar
from iid_analysis.feasibility.optimize import cheapest_plan
from iid_analysis.inputs import load_region
from iid_analysis.methodology import load_methodology

GOAL_SET = dt.date(2024, 2, 28)


def _pretend_today(monkeypatch, day: dt.date) -> None:
    class Day(dt.date):
        @classmethod
        def today(cls):
            return day

    monkeypatch.setattr(calendar_module, "dt",
                        types.SimpleNamespace(date=Day, timedelta=dt.timedelta))  # fmt: skip


def test_a_given_date_does_not_follow_today_and_none_does(monkeypatch):
    seen = []
    for today in (dt.date(2026, 12, 2), dt.date(2029, 7, 1)):
        _pretend_today(monkeypatch, today)
        given, default = plan_calendar(GOAL_SET, 2024), plan_calendar(None, 2024)
        seen.append(given)
        assert default.as_of == today and default.window.closes >= today
    assert seen[0] == seen[1]
    # 2024 has no dates of its own: 20 June - 23 August (2025's) assumed; 177 days left
    assert seen[0].window.closes == dt.date(2024, 8, 23)
    assert seen[0].weeks_remaining == 177 // 7


def test_the_same_plan_on_two_days(monkeypatch):
    region = load_region(load_methodology(2024), EXAMPLE_SPD_FILE, EXAMPLE_INNOVATIONS_FILE)
    plans = []
    for today in (dt.date(2026, 12, 2), dt.date(2029, 7, 1)):
        _pretend_today(monkeypatch, today)
        plan = cheapest_plan(region, 86.0, calendar=plan_calendar(GOAL_SET, 2024))
        plans.append(([a.as_dict() for a in plan.actions], plan.as_json()))
    assert plans[0] == plans[1]
    deadlines = [dt.date.fromisoformat(a["deadline"]) for a in plans[0][0]]
    assert deadlines and all(GOAL_SET < d <= dt.date(2024, 8, 23) for d in deadlines)
