"""A plan that asks only for what is true and can be done in time (docs/feasibility.md).

Expected values come from the shipped data files read here by hand (change_kinds.csv,
lead_times.csv, the methodology tables), not from the engine's own output.
"""

from __future__ import annotations

import csv
import datetime as dt
import json

import numpy as np
import pytest

from iid_analysis.cli import main
from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE
from iid_analysis.feasibility.actions import apply_to_region
from iid_analysis.feasibility.calendar import entry_window, plan_calendar
from iid_analysis.feasibility.change import CHANGE_KINDS_FILE, LEAD_TIMES_FILE
from iid_analysis.feasibility.headline import FRAMING_FLOOR, outlook, rule_risks
from iid_analysis.feasibility.optimize import cheapest_plan
from iid_analysis.feasibility.scenarios import Replication, run_scenarios
from iid_analysis.feasibility.uncertainty import (
    SimulationSettings,
    plan_for_probability,
    simulate_plan,
)
from iid_analysis.inputs import load_region
from iid_analysis.messages import catalogue
from iid_analysis.methodology import METHODOLOGY_DIR, load_methodology

RULES = load_methodology(2023)
TABLE_YEAR = 2023  # the 2023 indicator table


def kinds_by_hand() -> dict[tuple[str, int], dict]:
    with CHANGE_KINDS_FILE.open(encoding="utf-8") as handle:
        return {
            (r["indicator"], int(r["to_level"])): r
            for r in csv.DictReader(handle)
            if int(r["table_year"]) == TABLE_YEAR
        }


@pytest.fixture(scope="module")
def region():
    return load_region(RULES, EXAMPLE_SPD_FILE, EXAMPLE_INNOVATIONS_FILE)


@pytest.fixture(scope="module")
def plan90(region):
    return cheapest_plan(region, 90.0, calendar=plan_calendar(dt.date(2026, 12, 2), 2023, 2027))


def test_every_step_of_every_table_is_classified_with_its_own_words():
    for year in (2023, 2026):
        with (METHODOLOGY_DIR / f"indicators_{year}.csv").open(encoding="utf-8") as handle:
            words = {(r["number"], int(r["level"])): r["level_label_id"]
                     for r in csv.DictReader(handle) if int(r["level"]) > 0}  # fmt: skip
        with CHANGE_KINDS_FILE.open(encoding="utf-8") as handle:
            rows = [r for r in csv.DictReader(handle) if int(r["table_year"]) == year]
        assert {(r["indicator"], int(r["to_level"])) for r in rows} == set(words)
        for r in rows:
            assert r["change_kind"] in {"record", "evidence", "action", "outcome"}
            assert r["provenance"] == "ASSUMED" and r["reasoning"]
            assert r["level_words"] == words[(r["indicator"], int(r["to_level"]))]


def test_the_plan_to_90_acts_only_on_action_steps(plan90):
    kinds = kinds_by_hand()
    assert plan90.reached
    raises = [a for a in plan90.actions if a.kind == "raise_level"]
    assert raises
    # never indicator 32 (creation speed) of an existing innovation, nor any record step
    assert not [a for a in raises if a.indicator == "32"]
    for a in raises:
        for level in range(a.from_level + 1, a.to_level + 1):
            assert kinds[(a.indicator, level)]["change_kind"] == "action", a
    assert {a.change_kind for a in plan90.actions} == {"action"}
    # evidence steps are listed apart, each from a step the data calls evidence
    assert plan90.evidence
    for e in plan90.evidence:
        assert kinds[(e.indicator, e.to_level)]["change_kind"] == "evidence"
        assert 0 < e.chance < 0.5


def test_new_innovations_have_no_history(plan90):
    added = [a for a in plan90.actions if a.kind == "add_innovation"]
    assert added
    for a in added:
        levels = a.levels_dict
        assert levels["31"] == 0  # no replication by other regions in its first year
        assert levels["18"] <= 1  # only the current year's budget
        assert levels["21"] == 0  # no RKPD of past years
        assert levels["29"] <= 1  # no complaints of a past year
    assert plan90.new_innovation is not None
    assert len(plan90.new_innovation.words) == 20
    assert all(w.key == "plan.new_level" for w in plan90.new_innovation.words)


def lead_weeks_by_hand() -> dict[str, float]:
    with LEAD_TIMES_FILE.open(encoding="utf-8") as handle:
        return {r["change"]: float(r["lead_weeks"]) for r in csv.DictReader(handle)
                if r["lead_weeks"]}  # fmt: skip


@pytest.mark.parametrize("as_of", ["2027-03-01", "2027-06-01"])
def test_every_action_ends_before_the_window_closes(region, as_of):
    as_of = dt.date.fromisoformat(as_of)
    closes = dt.date(2027, 8, 23)  # the 2027 window, assumed as 2025's (rules.csv)
    weeks = (closes - as_of).days / 7
    kinds = kinds_by_hand()
    plan = cheapest_plan(region, 86.0, calendar=plan_calendar(as_of, 2023, 2027))
    assert plan.calendar.window.closes == closes
    assert plan.weeks_remaining == int(weeks)
    assert plan.actions
    for a in plan.actions:
        assert a.deadline is not None and dt.date.fromisoformat(a.deadline) <= closes
        if a.kind == "raise_level":
            for level in range(a.from_level + 1, a.to_level + 1):
                row = kinds[(a.indicator, level)]
                lead = float(row["lead_weeks"]) if row["lead_weeks"] else lead_weeks_by_hand()[
                    row["change"]]
                assert lead <= weeks
        else:
            assert lead_weeks_by_hand()["new_innovation"] <= weeks
    # what does not fit is listed for next year with its value
    assert all(n.lead_weeks > weeks and n.iid_gain > 0 for n in plan.next_year)


def test_a_date_after_the_window_gives_next_year_only(region):
    plan = cheapest_plan(region, 86.0, calendar=plan_calendar(dt.date(2027, 9, 1), 2023, 2027))
    assert not plan.reached and plan.actions == ()
    assert plan.weeks_remaining == 0
    assert plan.next_year and any(n.change == "new_innovation" for n in plan.next_year)


def test_window_dates_from_the_year_rules():
    window = entry_window(2025)
    assert (window.opens, window.closes) == (dt.date(2025, 6, 20), dt.date(2025, 8, 23))
    assert "jpnn.com" in window.source
    later = entry_window(2031)  # no rows: the named assumption
    assert later.closes == dt.date(2031, 8, 23) and "data_entry_window_assumed" in later.source


def test_a_rung_is_the_same_plan_whatever_else_was_searched(region):
    settings = SimulationSettings(n_draws=200, seed=5)
    calendar = plan_calendar(dt.date(2026, 12, 2), 2023, 2027)
    fresh = plan_for_probability(region, 85.5, settings=settings, calendar=calendar)
    cache: dict = {}
    plan_for_probability(region, 87.0, settings=settings, calendar=calendar, cache=cache)
    shared = plan_for_probability(region, 85.5, settings=settings, calendar=calendar,
                                  cache=cache)  # fmt: skip
    assert shared.plan.actions == fresh.plan.actions
    assert shared.plan.total_cost == fresh.plan.total_cost
    assert shared.uncertainty.p_reach == fresh.uncertainty.p_reach
    assert shared.planning_target == fresh.planning_target


def test_scenario_effort_is_the_sum_of_its_steps_efforts(region):
    result = run_scenarios(region, [Replication(k=5)])
    weeks = {(r["indicator"], int(r["to_level"])): r for r in kinds_by_hand().values()}
    per_step = {k: float(v["effort_days"]) for k, v in weeks.items() if k[0] == "31"}
    expected = sum(per_step[("31", s)] for a in result.actions
                   for s in range(a.from_level + 1, a.to_level + 1))  # fmt: skip
    assert expected > 0 and result.total_cost == pytest.approx(expected)
    assert result.steps["cost"].sum() == pytest.approx(expected)


def test_with_plan_is_never_below_business_as_usual(region, plan90):
    settings = SimulationSettings(n_draws=400, seed=1)
    sim = simulate_plan(region, plan90.actions, 90.0, settings, plan90.evidence)
    rng = np.random.default_rng(0)
    for centre in (84.0, 87.5, 93.0):  # a trend below, around and above the plan
        bau = rng.normal(centre, 1.5, size=1000)
        result = outlook(bau, sim, 90.0)
        assert result.framing == FRAMING_FLOOR
        assert result.with_plan_median >= result.bau_median
        assert result.p_with_plan >= result.p_business_as_usual
    assert "plan.framing_floor" in catalogue("id") and "plan.framing_floor" in catalogue("en")


def test_risk_rows_add_up_to_the_probability(region, plan90):
    sim = simulate_plan(region, plan90.actions, 88.0, SimulationSettings(n_draws=500, seed=2))
    risks = rule_risks(sim, apply_to_region(region, plan90.actions))
    by_hand = sum(r.weight * r.p_reach_if for r in risks if r.weight > 0)
    assert by_hand == pytest.approx(sim.p_reach)
    assert risks.p_reach == pytest.approx(sim.p_reach)
    assert sum(r.weight for r in risks) == pytest.approx(1.0)  # the rows split the draws
    stage = [r for r in risks if r.rule == "stage"]
    n_early = stage[0].n_affected
    if n_early:
        assert all(r.remedy == "promote_early_stage" for r in stage)
        assert all(r.remedy_effort == n_early * 20.0 for r in stage)  # promote_stage: 20 days


def test_plan_json_gives_every_step_its_kind(capsys):
    args = ["plan", "--year", "2023", "--spd", str(EXAMPLE_SPD_FILE), "--innovations",
            str(EXAMPLE_INNOVATIONS_FILE), "--json"]  # fmt: skip
    assert main(args + ["--target", "86", "--as-of-date", "2026-12-02"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["actions"] and all(a["change_kind"] == "action" for a in out["actions"])
    assert all(e["change_kind"] == "evidence" for e in out["evidence"])
    assert out["calendar"]["entry_year"] == 2027 and out["calendar"]["weeks_remaining"] == 37
    assert main(args + ["--target", "86", "--as-of-date", "2027-09-01", "--entry-year",
                        "2027"]) == 0  # fmt: skip
    late = json.loads(capsys.readouterr().out)
    assert late["actions"] == [] and late["next_year"]


def test_programmes_name_what_the_steps_are(region, plan90):
    from iid_analysis.feasibility.programmes import plan_programmes

    programmes = plan_programmes(region, plan90).by_key()
    with LEAD_TIMES_FILE.open(encoding="utf-8") as handle:
        labels = {r["change"]: r["label_en"] for r in csv.DictReader(handle)}
    # indicator 28 is raised by SOPs that shorten the service time, not "a document"
    assert "indicator:28" in programmes
    assert programmes["indicator:28"].title_en.lower().startswith(labels["sop"].lower())
    assert sum(p.effort for p in programmes.values()) == pytest.approx(plan90.total_cost)


@pytest.mark.slow
def test_two_reports_show_the_same_rungs_where_they_share_a_target():
    from iid_analysis.report import ReportParams, build_context

    default = build_context(ReportParams(region="Kota Mojokerto", target_year=2024))
    ninety = build_context(ReportParams(region="Kota Mojokerto", target_year=2024, target=90.0))
    a = default.headline.ladder.frame().set_index("target")
    b = ninety.headline.ladder.frame().set_index("target")
    shared = sorted(set(a.index) & set(b.index))
    assert shared  # the rungs above the last published figure are in both
    columns = ["effort", "p_with_plan", "n_actions", "n_new_innovations", "plan_reaches"]
    for target in shared:
        assert a.loc[target, columns].tolist() == b.loc[target, columns].tolist(), target
    # with the plan never below business as usual, in both
    for ctx in (default, ninety):
        assert ctx.headline.outlook.with_plan_median >= ctx.headline.outlook.bau_median


def test_no_new_innovation_outside_the_eligibility_window(region):
    from iid_analysis.feasibility.calendar import new_innovation_eligible

    rules_2026 = load_methodology(2026)  # implementation 2024-01-01..2025-12-31 (rules_added)
    late = plan_calendar(dt.date(2026, 12, 2), 2026)
    assert not new_innovation_eligible(rules_2026, late, 16)
    early = plan_calendar(dt.date(2025, 1, 6), 2026, 2026)
    assert new_innovation_eligible(rules_2026, early, 16)  # implemented late April 2025
    assert new_innovation_eligible(RULES, late, 16)  # no such rule in 2023
    plan = cheapest_plan(region.under(rules_2026), 86.0, calendar=late)
    assert not [a for a in plan.actions if a.kind == "add_innovation"]
