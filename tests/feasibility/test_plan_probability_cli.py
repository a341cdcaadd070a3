"""``plan --probability``: the report's robust plan and probability, reproduced from the CLI."""

from __future__ import annotations

import json

import pytest

from iid_analysis import load_methodology, load_region
from iid_analysis.cli import main
from iid_analysis.feasibility.headline import variant_weights
from iid_analysis.feasibility.uncertainty import SimulationSettings, plan_for_probability

ARGS = ["plan", "--year", "2023", "--target", "84.47", "--json"]


@pytest.fixture(scope="module")
def data_args(example_spd_path, example_innovations_path):
    return ["--spd", str(example_spd_path), "--innovations", str(example_innovations_path)]


def test_the_cli_gives_the_library_s_robust_plan(
    data_args, capsys, example_spd_path, example_innovations_path
):
    code = main(ARGS + data_args + ["--probability", "0.8", "--published-iid", "84.46",
                                    "--seed", "7", "--n-draws", "500"])  # fmt: skip
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    region = load_region(load_methodology(2023), example_spd_path, example_innovations_path)
    weights = variant_weights(region, 84.46)
    settings = SimulationSettings(
        n_draws=500, seed=7, stage_weights=weights.stage, rejected_weights=weights.rejected
    )
    robust = plan_for_probability(region, 84.47, probability=0.8, settings=settings)
    assert printed["p_reach"] == robust.uncertainty.p_reach
    assert printed["planning_target"] == robust.planning_target
    assert printed["total_cost"] == robust.plan.total_cost
    assert printed["p_reach"] >= 0.8 and printed["probability_reached"]
    assert (printed["seed"], printed["n_draws"]) == (7, 500)


@pytest.mark.parametrize(
    "extra",
    [["--probability", "1.5"], ["--probability", "nan"], ["--n-draws", "0"],
     ["--n-draws", "100000000"], ["--seed", "-1"], ["--published-iid", "250"]],
)  # fmt: skip
def test_bad_numbers_are_one_line_usage_errors(data_args, capsys, extra):
    assert main(ARGS + data_args + extra) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "error" in err
