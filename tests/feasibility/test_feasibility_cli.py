"""``iid-analysis plan``: the JSON contract, re-scoring the returned actions, cost tables and
their errors, and apply_actions on its own."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from iid_analysis.cli import main
from iid_analysis.errors import InvalidValueError, UsageError
from iid_analysis.feasibility.actions import add_innovation, apply_actions, raise_level
from iid_analysis.feasibility.costs import load_costs
from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import score_region

TOP_KEYS = {"iid_before", "iid_after", "target", "reached", "total_cost", "actions",
            "urusan_cover", "effort_unit", "evidence", "next_year", "calendar",
            "new_innovation_levels"}  # fmt: skip
ACTION_KEYS = {
    "kind", "innovation_id", "opd", "indicator", "from_level", "to_level", "levels", "cost",
    "iid_gain", "urusan", "change_kind", "change", "effort_days", "lead_weeks", "deadline",
    "start_by",
}  # fmt: skip


def run_plan(capsys, spd, innovations, *extra):
    code = main(["plan", "--year", "2024", "--spd", str(spd), "--innovations", str(innovations),
                 *extra])  # fmt: skip
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def apply_json_actions(spd: pd.DataFrame, innovations: pd.DataFrame, actions: list[dict]):
    """Apply JSON actions with plain pandas, independently of the package's apply_actions."""
    spd = spd.set_index("indicator")["level"].to_dict()
    rows = innovations.set_index("innovation_id")
    added = []
    for action in actions:
        if action["kind"] == "raise_level" and action["innovation_id"] == "":
            assert spd.get(action["indicator"], 0) == action["from_level"]
            spd[action["indicator"]] = action["to_level"]
        elif action["kind"] == "raise_level":
            assert rows.at[action["innovation_id"], action["indicator"]] == action["from_level"]
            rows.at[action["innovation_id"], action["indicator"]] = action["to_level"]
        else:
            assert set(action["levels"]) == {str(n) for n in range(16, 36)}
            added.append({"innovation_id": action["innovation_id"], "name": "new",
                          "opd": action["opd"], "stage": "penerapan", "status": "diterima",
                          **action["levels"]})  # fmt: skip
    new_spd = pd.DataFrame({"indicator": list(spd), "level": list(spd.values())})
    new_innovations = pd.concat([rows.reset_index(), pd.DataFrame(added)], ignore_index=True)
    return new_spd, new_innovations


@pytest.mark.parametrize("target", [85.0, 90.0])
def test_json_actions_rescore_to_iid_after(
    capsys, example_spd_path, example_innovations_path, target
):
    code, out, _ = run_plan(capsys, example_spd_path, example_innovations_path,
                            "--target", str(target), "--json")  # fmt: skip
    assert code == 0
    result = json.loads(out)
    assert set(result) == TOP_KEYS
    assert result["reached"] is True and result["iid_after"] >= target
    assert result["iid_before"] == 84.46
    assert all(set(a) == ACTION_KEYS for a in result["actions"])
    assert result["total_cost"] == pytest.approx(sum(a["cost"] for a in result["actions"]))
    spd = pd.read_csv(example_spd_path, dtype={"indicator": str})
    innovations = pd.read_csv(example_innovations_path)
    new_spd, new_innovations = apply_json_actions(spd, innovations, result["actions"])
    rescored = score_region(new_spd, new_innovations, load_methodology(2024))
    assert rescored.iid == result["iid_after"]
    assert sum(a["iid_gain"] for a in result["actions"]) == pytest.approx(
        rescored.iid_unrounded - 84.4611, abs=1e-4
    )


def test_unreachable_target_says_so(capsys, example_spd_path, example_innovations_path):
    code, out, _ = run_plan(capsys, example_spd_path, example_innovations_path,
                            "--target", "100", "--json")  # fmt: skip
    result = json.loads(out)
    assert code == 0
    assert result["reached"] is False and result["actions"] == []
    assert result["iid_after"] == result["iid_before"] and result["total_cost"] == 0
    code, out, _ = run_plan(capsys, example_spd_path, example_innovations_path, "--target", "100")
    assert "NOT reached" in out and "no plan within the limits" in out


def test_costs_file_changes_the_plan(capsys, tmp_path, example_spd_path, example_innovations_path):
    costs = tmp_path / "costs.csv"
    costs.write_text("kind,indicator,cost\nraise_level,,inf\nraise_level,35,2\n"
                     "add_innovation,,inf\n")  # fmt: skip
    code, out, _ = run_plan(capsys, example_spd_path, example_innovations_path,
                            "--target", "85", "--costs", str(costs), "--json")  # fmt: skip
    result = json.loads(out)
    assert code == 0 and result["reached"]
    assert {a["indicator"] for a in result["actions"]} == {"35"}
    # 84.995 (rounds to 85) needs total 212.4875; now 60 + 14832 / 176 + 66.88 = 211.1527, so
    # 1.3348 more = 234.9 maturity points over 176 innovations: 59 steps of 4 points, 2 each.
    assert result["total_cost"] == 2 * 59


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("kind,indicator,cost\nraise,,1\n", "kind 'raise'"),
        ("kind,indicator,cost\nraise_level,99,1\n", "'99' is not an indicator"),
        ("kind,indicator,cost\nraise_level,,-1\n", "not a number >= 0"),
        ("kind,indicator,cost\nraise_level,,abc\n", "not a number >= 0"),
        ("kind,indicator,cost\nraise_level,31,1\nraise_level,31,2\n", "more than once"),
        ("kind,indicator\nraise_level,31\n", "'cost'"),
        ("kind,indicator,cost\nadd_innovation,31,2\n", "takes no indicator"),
    ],
)
def test_bad_costs_file_exits_2_with_one_line(
    capsys, tmp_path, example_spd_path, example_innovations_path, content, fragment
):
    costs = tmp_path / "costs.csv"
    costs.write_text(content)
    code, out, err = run_plan(capsys, example_spd_path, example_innovations_path,
                              "--target", "90", "--costs", str(costs))  # fmt: skip
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert fragment in err and "costs.csv" in err


def test_load_costs_reads_overrides(tmp_path):
    path = tmp_path / "costs.csv"
    path.write_text(
        "kind;indicator;cost\nraise_level;;2,5\nraise_level;I35;4\nadd_innovation;;10\n"
    )
    costs = load_costs(path, load_methodology(2024))
    assert costs.step_cost("16") == 2.5 and costs.step_cost("35") == 4.0
    assert costs.add_innovation == 10.0
    assert costs.levels_cost({"16": 2, "35": 1}) == 10 + 2 * 2.5 + 4


def test_apply_actions_keeps_inputs_and_checks_levels(make_spd, make_innovations):
    spd = make_spd({"1": 2})
    innovations = make_innovations(np.full((2, 20), 1))
    actions = [
        raise_level("1", 2, 3),
        raise_level("6", 0, 2),
        raise_level("31", 1, 3, "INV-002"),
        add_innovation("NEW-001", "Dinas X", {str(n): 2 for n in range(16, 36)}),
    ]
    new_spd, new_innovations = apply_actions(spd, innovations, actions)
    assert spd["level"].tolist() == [2] and innovations.loc[1, "31"] == 1
    assert dict(zip(new_spd["indicator"], new_spd["level"], strict=True)) == {"1": 3, "6": 2}
    assert new_innovations.loc[1, "31"] == 3
    assert new_innovations.iloc[2]["opd"] == "Dinas X" and new_innovations.iloc[2]["35"] == 2
    with pytest.raises(UsageError, match="level 1, not 2"):
        apply_actions(spd, innovations, [raise_level("31", 2, 3, "INV-001")])
    with pytest.raises(UsageError, match="no innovation"):
        apply_actions(spd, innovations, [raise_level("31", 1, 3, "INV-404")])


def test_a_plain_cost_table_refuses_per_opd_rows(tmp_path):
    path = tmp_path / "costs.csv"
    path.write_text("kind,opd,cost\nraise_level,Dinas A,3\n")
    with pytest.raises(InvalidValueError, match="per-OPD"):
        load_costs(path, load_methodology(2024))
