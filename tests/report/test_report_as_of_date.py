"""The report's ``as_of_date``: the date its plan is made on, a parameter like any other (same
parameters, same plan, whatever day the report is made), recorded, and validated in one line."""

from __future__ import annotations

import datetime as dt
import html
import json
import shlex
import types

import pytest

from iid_analysis.cli import main
from iid_analysis.config import PROJ_ROOT
from iid_analysis.errors import UsageError
from iid_analysis.feasibility import calendar as calendar_module
from iid_analysis.feasibility.calendar import ASSUMED_WINDOW
from iid_analysis.report import params as params_module
from iid_analysis.report import sections as S
from iid_analysis.report.context import build_context
from iid_analysis.report.params import ReportParams, load_params

EXAMPLE = PROJ_ROOT / "params" / "kota-mojokerto_2024.yaml"
GOAL_SET = dt.date(2024, 2, 28)
"""The day the 2024 goal was reported (surabaya.tribunnews.com, in
data/raw/iid_published_scores.csv)."""


def _pretend_today(monkeypatch, day: dt.date) -> None:
    """Make ``day`` today for the report's parameters and for the plan calendar's default."""

    class Day(dt.date):
        @classmethod
        def today(cls):
            return day

    monkeypatch.setattr(params_module, "today", lambda: day)
    monkeypatch.setattr(calendar_module, "dt",
                        types.SimpleNamespace(date=Day, timedelta=dt.timedelta))  # fmt: skip


# --- the parameter ---------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["nope", "2024-02-30", "28/02/2024", "2024-2-28x"])
def test_a_bad_as_of_date_in_a_params_file_is_one_line_naming_the_file_and_key(tmp_path, value):
    path = tmp_path / "city.yaml"
    path.write_text(f"region: Kota Mojokerto\ntarget_year: 2024\nas_of_date: {value}\n",
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(UsageError) as caught:
        load_params(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: as_of_date must be a date YYYY-MM-DD"), message
    assert "\n" not in message


def test_a_bad_as_of_date_option_is_one_usage_error(capsys, tmp_path):
    code = main(["report", "--region", "Kota Mojokerto", "--target-year", "2024",
                 "--as-of-date", "2024-13-01", "--output-dir", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and "as_of_date must be a date" in err, err
    assert not (tmp_path / "out").exists()


def test_the_option_overrides_the_params_file(tmp_path):
    from iid_analysis.cli import build_parser
    from iid_analysis.commands.report import params_from_args

    args = build_parser().parse_args(
        ["report", "--params", str(EXAMPLE), "--as-of-date", "2024-05-01"]
    )
    assert params_from_args(args).as_of_date == "2024-05-01"
    assert load_params(EXAMPLE).as_of_date == GOAL_SET.isoformat()


def test_the_example_in_both_languages_is_made_on_the_day_the_goal_was_set():
    for name in ("kota-mojokerto_2024.yaml", "kota-mojokerto_2024_en.yaml"):
        assert load_params(PROJ_ROOT / "params" / name).plan_date == GOAL_SET


def test_without_a_date_today_is_fixed_once(monkeypatch):
    _pretend_today(monkeypatch, dt.date(2031, 5, 6))
    params = ReportParams(region="Kota Mojokerto", target_year=2024)
    assert params.as_of_date is None and params.plan_date == dt.date(2031, 5, 6)
    assert params.dated().as_of_date == "2031-05-06"
    given = params.replace(as_of_date="2024-02-28")
    assert given.dated() is given and given.plan_date == GOAL_SET


# --- the plan follows the date, not the day the report is made --------------------------------
def _plan_facts(ctx) -> dict:
    plan = ctx.plan.robust.plan
    return {
        "actions": [a.as_dict() for a in plan.actions],
        "calendar": plan.as_json().get("calendar"),
        "p": ctx.headline.p_with_plan,
        "command": ctx.headline.command,
        "worklist": ctx.headline.worklist.to_dict("records"),
        "summary": S.summary_section(ctx).to_html(),
    }


@pytest.mark.slow
def test_the_same_parameters_on_two_days_give_the_same_plan(monkeypatch):
    params = load_params(EXAMPLE, n_draws=200)
    facts = []
    for today in (dt.date(2026, 12, 2), dt.date(2029, 7, 1)):
        _pretend_today(monkeypatch, today)
        facts.append(_plan_facts(build_context(params)))
    assert facts[0] == facts[1]
    # ... while without a date the day the report is made is the plan's date, and recorded
    undated = params.replace(as_of_date=None)
    _pretend_today(monkeypatch, dt.date(2024, 5, 1))
    ctx = build_context(undated)
    assert ctx.plan.robust.plan.calendar.as_of == dt.date(2024, 5, 1)
    assert ctx.provenance.parameters["as_of_date"] == "2024-05-01"
    assert "--as-of-date 2024-05-01" in ctx.headline.command


@pytest.mark.slow
def test_the_2024_example_plans_for_the_2024_window_from_the_day_the_goal_was_set():
    ctx = build_context(load_params(EXAMPLE, n_draws=200))
    plan = ctx.plan.robust.plan
    window = plan.calendar.window
    # No date is known for 2024: the 2025 window (20 June - 23 August, jpnn.com) is assumed.
    closes = dt.date(2024, 8, 23)
    assert (window.year, window.opens, window.closes) == (2024, dt.date(2024, 6, 20), closes)
    assert window.source.startswith(ASSUMED_WINDOW)
    weeks = (closes - GOAL_SET).days // 7  # 177 days
    assert plan.calendar.as_of == GOAL_SET and plan.weeks_remaining == weeks == 25
    # first screen: the weeks left from that day, and that the window's dates are assumed
    summary = S.summary_section(ctx).to_html()
    assert f"{weeks} minggu dari 2024-02-28 sampai jendela pengisian data 2024 ditutup" in summary
    assert "Jendela pengisian data 2024 diasumsikan sama dengan 2025" in summary
    # assumptions log: the window's row, named as the assumption it is
    log = S.assumptions_section(ctx).to_html()
    assert f"rencana dibuat 2024-02-28 ({weeks} minggu sebelum jendela ditutup)" in log
    # its source says in words that 2024 has no dates and 2025's are assumed (no code name)
    assert "tanggal pengisian data 2024 tidak diketahui; jendela 2025" in log
    assert ASSUMED_WINDOW not in log and 'lang="en"' not in log
    # worklist deadlines: after the day the plan is made, before the window closes
    deadlines = [dt.date.fromisoformat(a.deadline) for a in plan.actions]
    assert deadlines and all(GOAL_SET < d <= closes for d in deadlines)
    # recorded with the parameters, and in the command that reproduces the plan
    assert "as_of_date='2024-02-28'" in html.unescape(S.about_section(ctx).to_html())
    words = shlex.split(ctx.headline.command)
    assert words[words.index("--as-of-date") + 1] == "2024-02-28"


@pytest.mark.slow
def test_a_date_after_the_target_years_window_says_the_plan_is_for_a_later_one():
    ctx = build_context(load_params(EXAMPLE, n_draws=200, as_of_date="2024-09-02"))
    window = ctx.plan.robust.plan.calendar.window
    assert window.year == 2025  # the 2024 window closed on 2024-08-23
    summary = S.summary_section(ctx).to_html()
    assert ("Jendela pengisian data 2024 sudah ditutup pada 2024-09-02: rencana ini menuju "
            "jendela 2025") in summary  # fmt: skip


@pytest.mark.slow
def test_the_dated_examples_command_reproduces_its_plan(capsys, monkeypatch):
    ctx = build_context(load_params(EXAMPLE, n_draws=200))
    monkeypatch.chdir(PROJ_ROOT)
    _pretend_today(monkeypatch, dt.date(2030, 1, 1))  # the command runs on another day
    assert main(shlex.split(ctx.headline.command)[1:] + ["--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    plan = ctx.plan.robust.plan
    assert printed["p_reach"] == ctx.headline.p_with_plan
    assert printed["total_cost"] == ctx.headline.effort
    assert printed["calendar"]["as_of"] == "2024-02-28"
    assert printed["calendar"]["weeks_remaining"] == plan.weeks_remaining
    assert [a["deadline"] for a in printed["actions"]] == [a.deadline for a in plan.actions]
