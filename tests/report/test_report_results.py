"""The report's results are frozen values the sections only render: the scenarios, the robust
plan's action groups and the headline's chosen rows (OPDs carrying the plan, outcome indicators
with value left, the levers without them), each checked against the data it comes from."""

from __future__ import annotations

import dataclasses

import pytest

from iid_analysis.feasibility.costs import KIND_ADD
from iid_analysis.report import ReportParams, build_context
from iid_analysis.report import plan_text as pt
from iid_analysis.report.analysis import NEW_INNOVATION_MATURITIES, ScenarioTable, action_groups
from iid_analysis.report.headline import LOAD_SHARE, RISK_MIN_SHARE
from iid_analysis.report.i18n import Words


@pytest.fixture(scope="module")
def ctx():
    return build_context(ReportParams(region="Kota Mojokerto", target_year=2024))


def test_the_scenarios_are_a_frozen_table(ctx):
    scenarios = ctx.plan.scenarios
    assert isinstance(scenarios, ScenarioTable) and isinstance(scenarios.rows, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        scenarios.rows = ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        scenarios[0].cost = 0.0
    # one row per scenario alone, then all of them together
    assert len(scenarios) == len(ctx.plan.scenario_list) + 1
    assert [r.alone for r in scenarios] == [True] * len(ctx.plan.scenario_list) + [False]
    assert scenarios[-1].scenario == " + ".join(s.name for s in ctx.plan.scenario_list)
    for row in scenarios:
        assert row.reaches == (row.iid_after >= ctx.plan.threshold - 1e-9)
    frame = scenarios.frame()
    assert list(frame["scenario"]) == [r.scenario for r in scenarios]


def test_the_action_groups_add_up_to_the_plan(ctx):
    plan = ctx.plan.robust.plan
    groups = ctx.plan.robust_groups
    assert groups == action_groups(plan)
    assert sum(g.count for g in groups) == len(plan.actions)
    assert sum(g.iid_gain for g in groups) == pytest.approx(sum(a.iid_gain for a in plan.actions))
    gains = [g.iid_gain for g in groups]
    assert gains == sorted(gains, reverse=True)
    # each group counts the actions that do that very thing
    for g in groups:
        if g.kind == KIND_ADD:
            members = [a for a in plan.actions if a.kind == KIND_ADD]
        else:
            members = [a for a in plan.actions if a.kind != KIND_ADD and a.is_spd == g.spd
                       and (a.indicator, a.from_level, a.to_level)
                       == (g.indicator, g.from_level, g.to_level)]  # fmt: skip
        assert g.count == len(members)
    with pytest.raises(dataclasses.FrozenInstanceError):
        groups[0].count = 0


def test_the_headline_chooses_its_rows(ctx):
    head = ctx.headline
    load = head.opd_load
    carrying = head.carrying_opds
    # the fewest OPDs, most effort first, that together carry at least LOAD_SHARE of the effort
    assert carrying == load.rows[:len(carrying)]
    assert head.carrying_share == pytest.approx(sum(r.effort_share for r in carrying))
    assert head.carrying_share >= LOAD_SHARE - 1e-12
    assert sum(r.effort_share for r in carrying[:-1]) < LOAD_SHARE
    assert head.more_than_one_met == sum(1 for r in head.more_than_one if r.met_by_plan)
    assert all(r.iid_gain_to_max > 0 for r in head.open_outcomes)
    assert len(head.open_outcomes) == sum(r.iid_gain_to_max > 0 for r in head.outcomes)
    # the levers shown leave out the SPD outcome indicators, and only those
    outcomes = {r.indicator for r in head.outcomes}
    levers = ctx.plan.levers
    left_out = [r for r in levers if r.scope == "spd" and r.indicator in outcomes]
    assert len(head.levers) == len(levers) - len(left_out)
    assert not any(r.scope == "spd" and r.indicator in outcomes for r in head.levers)
    assert [r for r in levers if r not in left_out] == list(head.levers)  # order kept
    assert head.urusan_actions == tuple(a for a in ctx.plan.robust.plan.actions if a.urusan)
    assert head.risks_named == head.risks.carrying(RISK_MIN_SHARE)
    assert all(r.share_of_risk > RISK_MIN_SHARE for r in head.risks_named)


def test_the_levers_are_a_frozen_table_largest_gain_first(ctx):
    levers = ctx.plan.levers
    gains = [r.iid_gain for r in levers]
    assert gains == sorted(gains, reverse=True)
    assert {r.scope for r in levers} <= {"spd", "all_innovations"}
    assert all(r.to_level == r.from_level + 1 for r in levers)
    rules = ctx.plan.rules
    for r in levers.top(3):
        assert r.name_id == rules.indicator(r.indicator).name_id
        assert r.name.text("en") == rules.indicator(r.indicator).name_en
    with pytest.raises(dataclasses.FrozenInstanceError):
        levers[0].iid_gain = 0.0
    assert list(levers.frame()["indicator"]) == [r.indicator for r in levers]


def test_the_opd_view_and_new_innovations_are_frozen_tables(ctx):
    from iid_analysis.feasibility import opd_summary

    opds = ctx.plan.opds
    summary = opd_summary(ctx.plan.region)
    assert [r.opd for r in opds] == list(summary["opd"])
    lost = [r.iid_lost for r in opds]
    assert lost == sorted(lost, reverse=True)  # most IID lost first
    # each OPD's counts are those of its innovations in the data
    table = ctx.plan.region.innovation_scores()
    for r in opds.top(3):
        mine = table[table["opd"] == r.opd]
        assert r.n_innovations == len(mine)
        assert r.n_rejected == int((mine["status"] == "ditolak").sum())
    assert sum(r.n_innovations for r in opds) == len(table)
    values = ctx.plan.new_innovations
    assert [v.maturity for v in values] == list(NEW_INNOVATION_MATURITIES)
    gains = [v.iid_gain for v in values]
    assert gains == sorted(gains, reverse=True)  # a more mature new innovation is worth more
    for table_ in (opds, values):
        with pytest.raises(dataclasses.FrozenInstanceError):
            table_.rows = ()


def test_the_position_figures_come_from_the_context(ctx):
    parts = ctx.components.set_index("component")
    score = ctx.score
    assert parts.at["spd", "score"] == score.spd and parts.at["total", "score"] == score.total
    assert (parts["share"] == parts["score"] / parts["max"]).all()
    weakest = ctx.weakest_component
    assert weakest != "total"
    assert parts.at[weakest, "share"] == parts.drop(index="total")["share"].min()
    statuses = list(ctx.innovation_scores["status"])
    assert ctx.n_rejected == statuses.count("ditolak")


def test_plan_text_takes_the_reports_words(ctx):
    """The plan's sentences come from the report's Words, in its language."""
    part = ctx.plan
    for lang in ("id", "en"):
        words = Words(lang)
        rows = pt.scenario_rows(part, words)
        assert rows[-1][0] == words("sc_all")
        assert rows[0][3] in (words("yes"), words("no"))
        group_rows = pt.action_group_rows(part.robust_groups, words)
        assert len(group_rows) == min(len(part.robust_groups), pt.ACTION_GROUPS_SHOWN)
        assert group_rows[0][1] == str(part.robust_groups[0].count)
    assert pt.plan_sentence(part, Words("en")) != pt.plan_sentence(part, Words("id"))


def test_the_published_conflicts_and_the_rank_come_from_the_context(ctx):
    # data/raw/SOURCES.md: 2022 is 77.73 (ministerial decree) and 70 (news); 77.73 is used
    (conflict,) = ctx.published_conflicts
    assert (conflict.year, conflict.used_iid, conflict.others) == (2022, 77.73, (70.0,))
    assert sorted(conflict.values) == [70.0, 77.73]
    assert conflict.used_source.startswith("http")
    ranked = ctx.cluster_rank
    rows = ctx.published[ctx.published["used"]].dropna(subset=["rank_in_cluster"])
    by_year = {int(r.year): (int(r.rank_in_cluster), int(r.cluster_size))
               for r in rows.itertuples()}  # fmt: skip
    # the latest year's rank, and every year named in a row has the same rank and size
    assert ranked.years[-1] == max(by_year)
    assert all(by_year[y] == (ranked.rank, ranked.size) for y in ranked.years)
    before = ranked.years[0] - 1
    assert before not in by_year or by_year[before] != (ranked.rank, ranked.size)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ranked.rank = 2


def test_a_positive_iid_gain_below_a_hundredth_never_reads_as_zero():
    # the headline plan of the example is one 0.0045-point step: "0,00" would read as no gain
    assert Words("id").points(0.004545) == "< 0,01"
    assert Words("en").points(0.004545) == "< 0.01"
    assert Words("id").points(0.005) == "0,01"  # rounds to a hundredth: shown as it is
    assert Words("en").points(0.0) == "0.00"
    assert Words("en").points(0.4977) == "0.50"
