"""``plan`` at maturity grain (an innovation list with kematangan only): its effort is in hari
kerja, per action and in total, the total the sum of the actions; the points are kept beside it,
named as points."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from iid_analysis import cli

FIXTURES = Path(__file__).parent.parent / "inputs" / "fixtures"
SPD = FIXTURES / "spd_2026.csv"
SIMONDA = FIXTURES / "simonda_export_2026.csv"


ELIGIBLE_DATE = "2025-03-01"
"""A plan date at which a new innovation (16 weeks to create) falls inside the 2026 rules'
eligibility window (2024-01-01 to 2025-12-31) and the 2026 window is still open."""


def _plan(capsys, *extra, as_of=ELIGIBLE_DATE) -> tuple[int, str, str]:
    argv = ["plan", "--year", "2026", "--spd", str(SPD), "--innovations", str(SIMONDA),
            "--as-of-date", as_of, *extra]
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("target", ["15", "30"])
def test_json_totals_are_the_sums_of_the_steps(target, tmp_path, capsys):
    output = tmp_path / "plan.csv"
    code, out, err = _plan(capsys, "--target", target, "--json", "--output", str(output))
    assert code == 0, err
    data = json.loads(out)
    assert data["grain"] == "maturity" and data["reachable"]
    assert data["effort_unit"] == "hari kerja"
    assert "cost" not in data  # the effort is named by its unit
    actions = data["actions"]
    assert actions and all("effort_hari_kerja" in a and "cost" not in a for a in actions)
    assert data["effort_hari_kerja"] == pytest.approx(sum(a["effort_hari_kerja"] for a in actions))
    raised = [a for a in actions if a["action"] == "raise_maturity"]
    new = [a for a in actions if a["action"] == "add_innovation"]
    assert data["points_raised"] == pytest.approx(sum(a["points"] for a in raised))
    assert data["points_new"] == pytest.approx(sum(a["points"] for a in new))
    assert data["n_new_innovations"] == len(new)
    for a in raised:
        assert a["maturity_after"] - a["maturity_before"] == pytest.approx(a["points"])
        assert a["effort_hari_kerja"] > 0
    assert all(a["points"] == data["new_innovation_maturity"] for a in new)
    # The CSV carries the same efforts under the same name.
    table = pd.read_csv(output)
    assert "effort_hari_kerja" in table.columns and "cost" not in table.columns
    assert table["effort_hari_kerja"].sum() == pytest.approx(data["effort_hari_kerja"])


def test_text_output_gives_hari_kerja_and_points(capsys):
    code, out, err = _plan(capsys, "--target", "30")
    assert code == 0, err
    effort_line = next(line for line in out.splitlines() if line.strip().startswith("effort"))
    assert "hari kerja" in effort_line and "points of kematangan raised" in effort_line


def test_a_cost_table_prices_the_maturity_grain_plan(tmp_path, capsys):
    """No raise can be planned (every level step at inf) and a new innovation costs 10 HK: the
    plan is new innovations only, 10 HK each."""
    costs = tmp_path / "costs.csv"
    costs.write_text("kind,indicator,cost\nraise_level,,inf\nadd_innovation,,10\n",
                     encoding="utf-8")
    code, out, err = _plan(capsys, "--target", "15", "--json", "--costs", str(costs))
    assert code == 0, err
    data = json.loads(out)
    assert data["reachable"] and data["n_new_innovations"] > 0
    assert data["points_raised"] == 0
    assert {a["action"] for a in data["actions"]} == {"add_innovation"}
    assert data["effort_hari_kerja"] == pytest.approx(10.0 * data["n_new_innovations"])


def test_cost_rows_for_one_opd_are_refused_at_maturity_grain(tmp_path, capsys):
    costs = tmp_path / "costs.csv"
    costs.write_text("kind,indicator,opd,cost\nraise_level,,Dinas Kesehatan,3\n",
                     encoding="utf-8")
    code, out, err = _plan(capsys, "--target", "15", "--costs", str(costs))
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "one OPD or innovation" in lines[0] and "Traceback" not in err


def test_json_gives_the_calendar_and_each_actions_dates(capsys):
    """Made on 1 March 2025 for the 2026 window (20 June - 23 August 2026, assumed from 2025):
    every action ends by the close, its lead time that of its kind of change."""
    code, out, err = _plan(capsys, "--target", "15", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["as_of_date"] == ELIGIBLE_DATE
    window = data["window"]
    assert (window["year"], window["opens"], window["closes"]) == (2026, "2026-06-20",
                                                                   "2026-08-23")
    weeks = (pd.Timestamp("2026-08-23") - pd.Timestamp(ELIGIBLE_DATE)).days // 7
    assert data["weeks_remaining"] == weeks
    assert data["new_innovations_offered"] is True and data["new_innovation_blocked"] == ""
    assert isinstance(data["next_year"], list)
    assert data["actions"]
    for action in data["actions"]:
        assert action["change_kind"] == "action" and action["change"]
        assert action["lead_weeks"] <= weeks
        assert ELIGIBLE_DATE <= action["start_by"] <= "2026-08-23"
        assert ELIGIBLE_DATE <= action["deadline"] <= "2026-08-23"


def test_a_date_after_the_window_gives_next_year_only(capsys):
    code, out, err = _plan(capsys, "--target", "15", "--json", "--entry-year", "2026",
                           as_of="2026-09-01")
    assert code == 0, err
    data = json.loads(out)
    assert data["weeks_remaining"] == 0 and not data["reachable"] and data["actions"] == []
    assert data["new_innovations_offered"] is False
    assert data["next_year"] and any(s["change"] == "new_innovation" for s in data["next_year"])
    assert all(s["lead_weeks"] > 0 for s in data["next_year"])


def test_text_output_gives_the_weeks_and_next_year(capsys):
    code, out, err = _plan(capsys, "--target", "15", as_of="2026-07-01")
    assert code == 0, err
    assert "7 weeks until the 2026 data-entry window closes" in out
    assert "no new innovations offered" in out and "for next year" in out
