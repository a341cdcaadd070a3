"""The report at maturity grain: innovations known by their kematangan only (an export of the IID
application, or our maturity-grain CSV), built here from the shipped example's levels."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import math
import re

import pandas as pd
import pytest

from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE
from iid_analysis.errors import UsageError
from iid_analysis.inputs.dataset import load_innovations, load_spd
from iid_analysis.methodology import load_methodology
from iid_analysis.report import ReportParams, build_context
from iid_analysis.report import sections as S
from iid_analysis.report.i18n import text
from iid_analysis.scoring import region_score_from_parts, score_innovations, score_region

DATA_YEAR = 2023
PUBLISHED_2023 = 84.46
"""Kota Mojokerto's published IID for 2023 (ministerial figure; data/raw/iid_published_scores)."""
N_DRAWS = 200


def _text(section) -> str:
    """A section's HTML as plain text (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", str(section._repr_html_())))


@pytest.fixture(scope="module")
def level_score():
    rules = load_methodology(DATA_YEAR)
    return score_region(
        load_spd(EXAMPLE_SPD_FILE, rules), load_innovations(EXAMPLE_INNOVATIONS_FILE, rules), rules
    )


@pytest.fixture(scope="module")
def maturity_file(tmp_path_factory):
    """The example's innovations as our maturity-grain CSV: each maturity computed from the
    levels by the level-grain scorer (the file has no indicator columns)."""
    rules = load_methodology(DATA_YEAR)
    scores = score_innovations(load_innovations(EXAMPLE_INNOVATIONS_FILE, rules), rules)
    path = tmp_path_factory.mktemp("maturity") / "innovations_maturity.csv"
    scores[["innovation_id", "name", "opd", "stage", "status", "maturity"]].to_csv(
        path, index=False
    )
    return path


def _params(maturity_file, **changes) -> ReportParams:
    values = {
        "region": "Kota Mojokerto", "target_year": 2024, "innovations": str(maturity_file),
        "n_draws": N_DRAWS,
    } | changes
    return ReportParams(**values)


@pytest.fixture(scope="module")
def ctx_spd(maturity_file):
    return build_context(_params(maturity_file, spd=str(EXAMPLE_SPD_FILE)))


@pytest.fixture(scope="module")
def ctx_published(maturity_file):
    return build_context(_params(maturity_file))


@pytest.fixture(scope="module")
def ctx_en(maturity_file):
    return build_context(_params(maturity_file, spd=str(EXAMPLE_SPD_FILE), lang="en"))


def test_the_grain_is_detected_from_the_file(ctx_spd, maturity_file):
    assert ctx_spd.grain == "maturity"
    assert ctx_spd.region is None and ctx_spd.plan is None and ctx_spd.headline is None
    assert len(ctx_spd.maturity.innovations) == len(pd.read_csv(maturity_file))


def test_iid_at_maturity_grain_equals_the_level_grain_iid(ctx_spd, level_score):
    score = ctx_spd.score
    assert score.iid == level_score.iid == PUBLISHED_2023
    assert score.spd == pytest.approx(level_score.spd, abs=1e-9)
    assert score.maturity_sum == pytest.approx(level_score.maturity_sum, abs=1e-9)
    assert score.count_score == pytest.approx(level_score.count_score, abs=1e-9)
    assert score.sid == pytest.approx(level_score.sid, abs=1e-9)
    assert ctx_spd.maturity.data_score.spd_basis == "spd_file"


def test_without_an_spd_file_the_spd_comes_from_the_published_iid(ctx_published, level_score):
    score = ctx_published.maturity.data_score
    assert score.spd_basis == "published_iid"
    # Published 84.46 = total / 250 x 100; SPD = total - SID of the data (two-decimal rounding
    # of the published figure leaves at most 0.005 % of 250).
    assert score.spd == pytest.approx(PUBLISHED_2023 / 100 * 250 - level_score.sid, abs=1e-9)
    assert abs(score.spd - level_score.spd) <= 0.005 / 100 * 250 + 1e-9
    assert score.iid == PUBLISHED_2023
    keys = list(S.log.assumptions_log(S.assumption_rows(ctx_published))["key"])
    assert "spd_from_published_iid" in keys and "maturity_grain" in keys
    text = _text(S.position_section(ctx_published))
    assert "Tanpa berkas SPD" in text and "Ini asumsi, bukan data SPD" in text
    assert "spd" not in set(ctx_published.provenance.files["role"])


def _recompute(innovations: pd.DataFrame, actions, spd: float, rules):
    """The IID after a maturity-grain plan, from the plan's actions applied to the table: each
    raised innovation's maturity plus its points, each new innovation appended."""
    maturity = dict(zip(innovations["innovation_id"], innovations["maturity"], strict=True))
    rejected = set(innovations.loc[innovations["status"] == "ditolak", "innovation_id"])
    for r in actions:
        if r.action == "raise_maturity":
            assert r.innovation_id not in rejected
            assert maturity[r.innovation_id] == r.maturity_before
            maturity[r.innovation_id] += r.points
        else:
            maturity[r.innovation_id] = r.maturity_after
    assert max(maturity.values()) <= rules.max_innovation
    values = [0.0 if k in rejected else v for k, v in maturity.items()]
    n = len(values)
    # The formula by hand (README): SID = sum / MAX(floor, n) + MIN(n, cap) x points.
    sid = sum(values) / max(rules.divisor_floor, n) + min(n, rules.count_cap) * (
        rules.count_points_per_innovation
    )
    by_hand = (spd + sid) / rules.max_total * 100
    by_library = region_score_from_parts(spd, sum(values), n, rules).iid_unrounded
    assert by_hand == pytest.approx(by_library, abs=1e-9)
    return math.floor(by_hand * 100 + 0.5 + 1e-9) / 100


@pytest.mark.parametrize("fixture", ["ctx_spd", "ctx_published"])
def test_the_plan_reaches_the_target_by_independent_recomputation(fixture, request):
    ctx = request.getfixturevalue(fixture)
    part = ctx.maturity
    plan = part.plan
    assert plan.reachable
    spd = part.score.spd
    after = _recompute(part.innovations, plan.actions, spd, part.rules)
    assert after == plan.iid_after
    assert after >= ctx.threshold
    assert plan.iid_before < ctx.threshold
    assert plan.cost == pytest.approx(sum(a.cost for a in plan.actions))
    # The fewest points for that number of new innovations: one point less falls short.
    raised = plan.actions.raised
    if raised:
        last = raised[-1]
        fewer = [dataclasses.replace(a, points=a.points - 1) if a is last else a
                 for a in plan.actions]
        assert _recompute(part.innovations, fewer, spd, part.rules) < ctx.threshold


def test_the_ladder_reaches_each_rung_and_costs_grow(ctx_spd):
    ladder = ctx_spd.maturity.ladder
    assert [r.target for r in ladder] == sorted(r.target for r in ladder)
    reached = [r for r in ladder if r.reachable]
    assert reached and all(r.iid_after >= r.target for r in reached)
    assert [r.effort for r in reached] == sorted(r.effort for r in reached)
    (row,) = [r for r in ladder if r.label == "target"]
    assert row.effort == ctx_spd.maturity.plan.cost
    bau = ctx_spd.forecast.forecast.prob_at_least
    assert row.p_business_as_usual == pytest.approx(float(bau(row.target)))


def test_levers_value_every_point_alike(ctx_spd):
    part = ctx_spd.maturity
    levers = part.levers
    rules, score = part.rules, part.score
    per_point = (
        region_score_from_parts(score.spd, score.maturity_sum + 1, score.n_innovations, rules)
        .iid_unrounded
        - region_score_from_parts(score.spd, score.maturity_sum, score.n_innovations, rules)
        .iid_unrounded
    )
    accepted = [r for r in levers if r.status != "ditolak"]
    assert [r.iid_gain_per_point for r in accepted] == pytest.approx([per_point] * len(accepted))
    assert levers.per_point == pytest.approx(per_point)
    assert all(r.headroom == rules.max_innovation - r.maturity for r in accepted)
    assert sum(r.n_innovations for r in part.opds) == len(part.innovations)


@pytest.mark.parametrize(
    ("fixture", "lang", "first_screen", "plan_note"),
    [
        ("ctx_spd", "id", "Analisis pada tingkat kematangan: berkas inovasi",
         "Rencana ini pada tingkat kematangan, lebih kasar daripada rencana per level"),
        ("ctx_en", "en", "Analysis at maturity grain: the innovations file",
         "This plan is at maturity grain, coarser than a level-by-level plan"),
    ],
)
def test_every_section_renders_with_the_grain_note(fixture, lang, first_screen, plan_note,
                                                   request):
    ctx = request.getfixturevalue(fixture)
    assert ctx.lang == lang
    texts = {f.__name__: _text(f(ctx)) for f in S.ALL_SECTIONS}
    assert first_screen in texts["header"]
    assert "COARSER" in texts["header"] or "LEBIH KASAR" in texts["header"]
    assert plan_note in texts["scenarios_section"]
    assert plan_note in texts["summary_section"]
    assert text("mg_scenarios_missing", lang) in texts["scenarios_section"]
    assert text("mg_no_probability", lang) in texts["summary_section"]
    iid = "84,46" if lang == "id" else "84.46"
    assert iid in texts["position_section"]
    first = ctx.maturity.plan.actions[0]
    assert first.innovation_id in texts["scenarios_section"]


def test_facts_record_the_grain_and_the_plan(ctx_spd):
    facts = S.scenarios_section(ctx_spd).facts
    assert facts["grain"] == "maturity"
    assert facts["iid_after"] == ctx_spd.maturity.plan.iid_after
    assert S.summary_section(ctx_spd).facts["probability"] is None
    assert S.header(ctx_spd).facts["grain"] == "maturity"


def test_a_level_grain_file_without_spd_of_another_region_is_a_usage_error():
    params = ReportParams(region="Kota Contoh", target_year=2024, target=86.0,
                          innovations=str(EXAMPLE_INNOVATIONS_FILE), n_draws=N_DRAWS)
    with pytest.raises(UsageError, match="level grain .* SPD file"):
        build_context(params)


def test_maturity_grain_without_spd_or_published_iid_is_a_usage_error(maturity_file):
    params = ReportParams(region="Kota Contoh", target_year=2024, target=86.0,
                          innovations=str(maturity_file), n_draws=N_DRAWS)
    with pytest.raises(UsageError, match="no published IID|none for Kota Contoh"):
        build_context(params)


def test_no_innovations_file_for_another_region_is_still_refused():
    with pytest.raises(UsageError, match="no indicator data"):
        ReportParams(region="Kota Contoh", target_year=2024)


def test_report_command_takes_innovations_and_spd(tmp_path, maturity_file):
    import argparse

    from iid_analysis.commands import report as command

    parser = argparse.ArgumentParser()
    command.register(parser.add_subparsers())
    args = parser.parse_args(["report", "--region", "Kota Mojokerto", "--target-year", "2024",
                              "--innovations", str(maturity_file)])
    params = command.params_from_args(args)
    assert params.innovations == str(maturity_file.resolve()) and params.spd is None


@pytest.mark.slow
def test_report_command_end_to_end_at_maturity_grain(tmp_path, maturity_file, monkeypatch):
    from iid_analysis.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1709078400")
    out = tmp_path / "out"
    code = main(["report", "--region", "Kota Mojokerto", "--target-year", "2024",
                 "--innovations", str(maturity_file), "--n-draws", str(N_DRAWS),
                 "--output-dir", str(out)])
    assert code == 0
    page = html.unescape((out / "kota-mojokerto_2024.html").read_text(encoding="utf-8"))
    for key in ("s1", "s2", "s3", "s4", "s5", "s6", "s7", "glossary_title", "s9"):
        assert text(key, "id") in page
    assert "Analisis pada tingkat kematangan: berkas inovasi" in page
    assert text("grain_plan_note", "id") in page
    assert "Tanpa berkas SPD" in page
    assert "84,46" in page
    assert 'class="iid-verdict"' in page and "Pada tingkat kematangan, rencana termurah" in page
    assert "Mulai paling lambat" in page and "Selesai jika mulai sekarang" in page


def test_an_export_of_the_iid_application_gives_the_same_iid(tmp_path, level_score):
    """The IID application's innovation list (SECONDARY layout: Judul Inovasi ... Kematangan;
    no id and no status column, so a rejected innovation is one of maturity 0)."""
    rules = load_methodology(DATA_YEAR)
    scores = score_innovations(load_innovations(EXAMPLE_INNOVATIONS_FILE, rules), rules)
    export = pd.DataFrame({
        "Judul Inovasi": scores["name"], "Pemda": "Kota Mojokerto", "Admin OPD": scores["opd"],
        "Urusan Pemerintah": "", "Kematangan": scores["maturity"].map(lambda v: f"{v:g}"),
        "Tahapan Inovasi": scores["stage"],
    })
    path = tmp_path / "daftar_inovasi.csv"
    export.to_csv(path, index=False, sep=";")
    ctx = build_context(ReportParams(region="Kota Mojokerto", target_year=2024,
                                     innovations=str(path), spd=str(EXAMPLE_SPD_FILE),
                                     n_draws=N_DRAWS))
    assert ctx.grain == "maturity"
    assert ctx.score.iid == level_score.iid
    # the recognised layout is named in the page's language (Indonesian by default), never in
    # the importer's English label
    header = _text(S.header(ctx))
    assert "daftar inovasi aplikasi IID" in header
    assert "innovation list of the IID application" not in header


def test_eligibility_at_maturity_grain_comes_from_the_imported_table(ctx_spd):
    result = ctx_spd.eligibility
    assert result is not None and result.claimed == ctx_spd.score
    assert not result.applies and result.n_claimed == len(ctx_spd.innovation_scores)  # 2023


@pytest.mark.parametrize(
    ("fixture", "unit"), [("ctx_spd", "hari kerja"), ("ctx_en", "person-days")]
)
def test_the_efforts_are_in_hari_kerja(fixture, unit, request):
    """The ladder, the plan sentence and the action table give effort in hari kerja (the effort
    model of a level-grain plan), never in points of kematangan; the points stay beside it."""
    ctx = request.getfixturevalue(fixture)
    lang, part = ctx.lang, ctx.maturity
    summary, plan = _text(S.summary_section(ctx)), _text(S.scenarios_section(ctx))
    assert text("col_min_effort", lang, unit=unit) in summary  # the ladder's header
    assert text("mg_col_points_raised", lang) in summary
    assert text("col_effort", lang, unit=unit) in plan  # the action table's header
    effort = ctx.words.num(part.plan.cost, 0)
    for page in (summary, plan):
        assert f"{effort} {unit}" in page
        assert not re.search(r"(upaya|effort) [\d.,]+ (poin|maturity points)", page)
    facts = S.summary_section(ctx).facts
    assert facts["effort_unit"] == unit
    assert [r["effort"] for r in facts["ladder"]] == [r.effort for r in part.ladder]
    assert S.scenarios_section(ctx).facts["effort_unit"] == unit
    # By hand: the 2024 rules use the 2023 table, whose cheapest action step per point is 16 to
    # level 1 (an OPD decree, 2 HK, 3 points): a plan raising no innovation by more than 3 points
    # costs 2/3 HK a point.
    raised = part.plan.actions.raised
    assert raised and all(a.points <= 3 for a in raised) and part.plan.n_new == 0
    assert part.plan.cost == pytest.approx(sum(a.points for a in raised) * 2 / 3)
    assert part.effort.per_new == 60.0 and part.cost_per_new == 60.0


# --- the calendar at maturity grain ---------------------------------------------------------
CLOSES_2024 = "2024-08-23"
"""The 2024 rules have no data-entry dates: the 2025 window (20 June - 23 August) is assumed."""


@pytest.fixture(scope="module")
def ctx_ten_weeks(maturity_file):
    """Ten weeks before the (assumed) 2024 window closes: 2024-06-14."""
    return build_context(_params(maturity_file, spd=str(EXAMPLE_SPD_FILE),
                                 as_of_date="2024-06-14"))


@pytest.fixture(scope="module")
def ctx_three_weeks_en(maturity_file):
    return build_context(_params(maturity_file, spd=str(EXAMPLE_SPD_FILE), lang="en",
                                 as_of_date="2024-08-01"))


@pytest.mark.parametrize(
    ("fixture", "sentence"),
    [
        ("ctx_ten_weeks",
         "10 minggu dari 2024-06-14 sampai jendela pengisian data 2024 ditutup (2024-08-23)"),
        ("ctx_three_weeks_en",
         "3 weeks from 2024-08-01 until the 2024 data-entry window closes (2024-08-23)"),
    ],
)
def test_the_first_screen_says_how_many_weeks_remain(fixture, sentence, request):
    ctx = request.getfixturevalue(fixture)
    summary = " ".join(_text(S.summary_section(ctx)).split())
    assert sentence in summary
    assert S.summary_section(ctx).facts["weeks_remaining"] == int(sentence.split()[0])


@pytest.mark.parametrize("fixture", ["ctx_ten_weeks", "ctx_three_weeks_en"])
def test_the_plan_fits_the_window_and_lists_next_year(fixture, request):
    """Every action's lead time ends before the window closes; no new innovation (16 weeks to
    create); the steps of longer lead are listed for next year in the plan section."""
    ctx = request.getfixturevalue(fixture)
    plan = ctx.maturity.plan
    weeks = plan.calendar.weeks_remaining
    assert plan.calendar.window.closes.isoformat() == CLOSES_2024
    assert all(a.lead_weeks <= weeks for a in plan.actions)
    assert all(a.deadline <= CLOSES_2024 for a in plan.actions)
    assert plan.n_new == 0 and plan.new_blocked == "late"
    assert plan.next_year and all(s.lead_weeks > weeks for s in plan.next_year)
    section = " ".join(_text(S.scenarios_section(ctx)).split())
    assert text("mg_next_year_title", ctx.lang) in section
    title = "Satu inovasi baru" if ctx.lang == "id" else "One new innovation"
    assert title in section


def test_the_assumptions_log_has_the_calendar_rows_at_maturity_grain(ctx_ten_weeks):
    keys = {row.key for row in ctx_ten_weeks.grain_view.plan_assumptions()}
    assert {"plan_window", "plan_change_kinds", "plan_new_first_year"} <= keys
    assert "plan_evidence_chance" not in keys  # no evidence steps at this grain


@pytest.mark.parametrize(
    ("fixture", "headers"),
    [("ctx_ten_weeks", ("Mulai paling lambat", "Selesai jika mulai sekarang")),
     ("ctx_three_weeks_en", ("Start by", "Done by if started now"))],
)
def test_the_action_table_gives_each_actions_dates(fixture, headers, request):
    """The plan section's action table carries the worklist's two dates: each raise starts by
    the window's close less its lead time and, started on the plan's date, is done by then."""
    ctx = request.getfixturevalue(fixture)
    plan = ctx.maturity.plan
    section = " ".join(_text(S.scenarios_section(ctx)).split())
    assert all(header in section for header in headers)
    closes = dt.date.fromisoformat(CLOSES_2024)
    for a in plan.actions.raised[:5]:
        days = math.ceil(a.lead_weeks * 7)
        start_by = (closes - dt.timedelta(days=days)).isoformat()
        done = min(plan.calendar.as_of + dt.timedelta(days=days), closes).isoformat()
        assert (a.start_by, a.deadline) == (start_by, done)
        assert f"{start_by} {done}" in section
