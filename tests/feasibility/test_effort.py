"""The effort model: defaults with provenance, outcomes never planned unless a cost table says
so, a new innovation as a whole profile at its creation effort, and the cost-table overrides."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE
from iid_analysis.errors import IIDDataError
from iid_analysis.feasibility import (
    EFFORT_UNIT,
    cheapest_plan,
    default_effort,
    effort_defaults,
    load_effort,
    outcome_values,
)
from iid_analysis.feasibility.change import NEW_INNOVATION_FILE
from iid_analysis.feasibility.effort import evidence_kinds
from iid_analysis.inputs import load_region
from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import score_region

# The SPD outcomes, listed by hand from the indicator names (economy, welfare, grades given by
# others, past budgets): no OPD moves them within a year by uploading evidence.
OUTCOMES = {"2a", "2b", "3", "4", "5a", "5b", "6", "7", "8", "9", "10a", "10b", "11a", "11b",
            "13b"}  # fmt: skip
INNOVATION_NUMBERS = [str(n) for n in range(16, 36)]
# The 2023 weights by hand (points = weight x level).
WEIGHTS = {"16": 3, "17": 2, "18": 2, "19": 2, "20": 1, "21": 2, "22": 1, "23": 1, "24": 1,
           "25": 1, "26": 1, "27": 1, "28": 2, "29": 1, "30": 2, "31": 3, "32": 2, "33": 3,
           "34": 2, "35": 4}  # fmt: skip


@pytest.fixture(scope="module")
def methodology():
    return load_methodology(2024)


@pytest.fixture(scope="module")
def region(methodology):
    return load_region(methodology, EXAMPLE_SPD_FILE, EXAMPLE_INNOVATIONS_FILE)


def test_unit_is_named_in_both_languages():
    assert EFFORT_UNIT["id"] == "hari kerja" and EFFORT_UNIT["en"] == "person-days"


@pytest.mark.parametrize("year", [2023, 2026])
def test_defaults_cover_every_indicator_with_provenance(year):
    methodology = load_methodology(year)
    defaults = effort_defaults(methodology)
    assert (defaults["provenance"] == "ASSUMED").all()
    assert (defaults["note"].str.len() > 10).all()
    assert (defaults["unit"] == "hari kerja").all() and (defaults["unit_en"] == "person-days").all()
    raised = defaults[(defaults["action_kind"] == "raise_level") & (defaults["indicator"] != "")]
    numbers = set(methodology.spd_numbers) | set(methodology.innovation_numbers)
    assert set(raised["indicator"]) == numbers
    kinds = set(evidence_kinds()["evidence_kind"])
    assert set(raised["evidence_kind"]) <= kinds
    # Every indicator 16..35 has a kind other than outcome, with a finite positive effort.
    innovation = raised[raised["indicator"].isin(methodology.innovation_numbers)]
    assert (innovation["evidence_kind"] != "outcome").all()
    assert np.isfinite(innovation["effort"]).all() and (innovation["effort"] > 0).all()
    spd_outcomes = set(raised.loc[raised["evidence_kind"] == "outcome", "indicator"])
    assert spd_outcomes == OUTCOMES
    assert np.isinf(raised.loc[raised["indicator"].isin(OUTCOMES), "effort"]).all()
    stages = defaults[defaults["action_kind"] == "add_innovation"]
    assert set(stages["stage"]) == {"inisiatif", "uji coba", "penerapan"}
    assert len(defaults[defaults["action_kind"] == "promote_stage"]) == 1


def test_the_issue_s_evidence_kinds_are_there():
    kinds = set(evidence_kinds()["evidence_kind"])
    assert {"opd_document", "regional_head_decree", "video", "replication", "budget_line",
            "survey_data"} <= kinds  # fmt: skip


def test_catalogue_efforts_reach_the_model(methodology):
    model = default_effort(methodology)
    defaults = effort_defaults(methodology).set_index(["action_kind", "indicator", "stage"])
    assert model.step_cost("35") == defaults.loc[("raise_level", "35", ""), "effort"]
    assert model.add_innovation == defaults.loc[("add_innovation", "", "penerapan"), "effort"]
    assert model.stage_promotion == defaults.loc[("promote_stage", "", "penerapan"), "effort"]


@pytest.mark.parametrize("target", [85.0, 90.0, 92.0])
def test_outcomes_never_in_a_default_plan(region, target):
    plan = cheapest_plan(region, target)
    assert plan.reached
    assert not {a.indicator for a in plan.actions if a.is_spd} & OUTCOMES


def test_a_cost_table_naming_an_outcome_puts_it_in(region, methodology, tmp_path):
    # SPD 6 (investment growth, weight 1.5) is at level 2 in the example: one step is 1.5 points
    # of 250 = 0.6 IID, enough for 85 from 84.46 (84.4611 + 0.6 > 84.995) at 1 person-day,
    # while the cheapest innovation step gains 2 / 176 / 250 x 100 = 0.0045 IID for 2.
    path = tmp_path / "costs.csv"
    path.write_text("kind,indicator,cost\nraise_level,6,1\n")
    plan = cheapest_plan(region, 85.0, costs=load_effort(path, methodology))
    assert [(a.indicator, a.from_level, a.to_level) for a in plan.actions] == [("6", 2, 3)]
    assert plan.total_cost == 1
    kind_row = tmp_path / "outcomes.csv"
    kind_row.write_text("kind,cost\noutcome,1\n")
    plan = cheapest_plan(region, 85.0, costs=load_effort(kind_row, methodology))
    assert {a.indicator for a in plan.actions} <= OUTCOMES and plan.total_cost == 1


def test_a_blank_raise_row_does_not_make_outcomes_actionable(methodology, tmp_path):
    path = tmp_path / "costs.csv"
    path.write_text("kind,indicator,cost\nraise_level,,1\n")
    model = load_effort(path, methodology)
    assert model.step_cost("35") == 1 and model.step_cost("16") == 1
    assert all(math.isinf(model.step_cost(n)) for n in OUTCOMES)


def test_outcome_values_give_context(region):
    result = outcome_values(region)
    gains = [r.iid_gain_to_max for r in result]
    assert gains == sorted(gains, reverse=True)  # most valuable first
    assert result.open == tuple(r for r in result if r.level < 3)
    assert result.indicators == tuple(r.indicator for r in result)
    values = result.frame().set_index("indicator")
    # SPD 1 (vision and mission in the RPJMD) is a record of the term, not an outcome, but no
    # plan acts on it either.
    assert set(values.index) == OUTCOMES | {"1"}
    # SPD 6 at level 2 of 3, weight 1.5: one step = 1.5 / 250 x 100 = 0.6 IID.
    assert values.at["6", "level"] == 2
    assert values.at["6", "iid_gain_one_step"] == pytest.approx(0.6)
    assert values.at["8", "iid_gain_one_step"] == 0  # already at level 3


def median_penerapan_levels(frame: pd.DataFrame) -> dict[str, int]:
    """By hand: the accepted penerapan innovation of median maturity (lower median)."""
    pool = frame[(frame["status"] == "diterima") & (frame["stage"] == "penerapan")].copy()
    pool["maturity"] = sum(pool[n].astype(int) * w for n, w in WEIGHTS.items())
    pool = pool.sort_values("maturity", kind="stable")
    row = pool.iloc[(len(pool) - 1) // 2]
    return {n: int(row[n]) for n in INNOVATION_NUMBERS}


def test_new_innovation_is_a_whole_profile_at_its_cost(region, methodology, tmp_path):
    """With every level step forbidden, only new innovations can raise the IID: each has the
    first-year profile (levels as data/effort/new_innovation.csv gives them, the creation speed
    from its 16-week lead time) and costs its creation effort, and no fewer reach the target."""
    path = tmp_path / "costs.csv"
    path.write_text("kind,indicator,cost\nraise_level,,inf\nadd_innovation,,45\n")
    model = load_effort(path, methodology)
    raw = pd.read_csv(EXAMPLE_INNOVATIONS_FILE, dtype=str)
    new_rows = pd.read_csv(NEW_INNOVATION_FILE, dtype=str, keep_default_na=False)
    new_rows = new_rows[new_rows["table_year"] == "2023"]
    profile = {r.indicator: int(r.level or 3) for r in new_rows.itertuples()}  # 32: 1-4 months
    plan = cheapest_plan(region, 86.0, costs=model)
    added = [a for a in plan.actions if a.kind == "add_innovation"]
    assert plan.reached and added and len(added) == len(plan.actions)
    assert all(a.levels_dict == profile and a.cost == 45 for a in added)
    assert plan.total_cost == 45 * len(added)
    spd = pd.read_csv(EXAMPLE_SPD_FILE, dtype=str)

    def iid_with(k):
        rows = [{"innovation_id": f"X{t}", "name": "x", "opd": "x", "stage": "penerapan",
                 "status": "diterima", **profile} for t in range(k)]  # fmt: skip
        frame = pd.concat([raw, pd.DataFrame(rows)], ignore_index=True)
        return score_region(spd, frame, methodology).iid

    assert iid_with(len(added)) == plan.iid_after >= 86.0
    assert iid_with(len(added) - 1) < 86.0


def test_a_given_profile_is_used(region):
    profile = {n: 3 for n in INNOVATION_NUMBERS}
    plan = cheapest_plan(region, 90.0, new_profile=profile)
    added = [a for a in plan.actions if a.kind == "add_innovation"]
    assert added and all(a.levels_dict == profile for a in added)


def test_overrides_per_kind_opd_and_innovation(methodology, tmp_path):
    path = tmp_path / "costs.csv"
    path.write_text(
        "kind,indicator,opd,innovation_id,cost\n"
        "video,,,,7\n"
        "raise_level,31,,,9\n"
        "raise_level,,Dinas A,,1\n"
        "raise_level,35,Dinas A,,3\n"
        "replication,,,INV-9,0.5\n"
        "add_innovation,,,,80\n"
        "promote_stage,,,,12\n"
    )
    model = load_effort(path, methodology)
    assert model.step_cost("35") == 7 and model.step_cost("31") == 9
    assert model.step_cost_for("35", "Dinas A") == 3  # the indicator row beats the OPD's blank
    assert model.step_cost_for("16", "Dinas A") == 1
    assert model.step_cost_for("31", "Dinas B", "INV-9") == 0.5
    assert model.step_cost_for("16", "Dinas B") == model.step_cost("16")
    assert model.level_cost_for("16", 2, "Dinas B") == 10  # the shipped step: a head's decree
    assert model.add_innovation == 80 and model.stage_promotion == 12
    assert model.levels_cost({"16": 3, "35": 3}) == 80  # a whole innovation, not its steps


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("kind,cost\nmagic,1\n", "kind 'magic'"),
        ("kind,indicator,cost\nvideo,35,1\n", "takes no indicator"),
        ("kind,opd,cost\nadd_innovation,Dinas A,1\n", "takes no indicator, opd"),
        ("kind,opd,cost\nraise_level,Dinas A,1\nraise_level,Dinas A,2\n", "more than once"),
        ("kind,cost\nvideo,-3\n", "not a number >= 0"),
    ],
)
def test_bad_effort_tables_fail_in_one_line(methodology, tmp_path, content, fragment):
    path = tmp_path / "costs.csv"
    path.write_text(content)
    with pytest.raises(IIDDataError) as error:
        load_effort(path, methodology)
    message = str(error.value)
    assert fragment in message and "costs.csv" in message and "\n" not in message
