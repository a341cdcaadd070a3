"""The report's headline: reproducible from the command it names; later target years run on
the latest rules, named as standing in."""

from __future__ import annotations

import json
import shlex

import pytest

from iid_analysis.cli import main
from iid_analysis.config import PROJ_ROOT
from iid_analysis.report.context import build_context
from iid_analysis.report.params import ReportParams

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def context():
    return build_context(ReportParams.from_mapping({"region": "Kota Mojokerto",
                                                    "target_year": 2024, "seed": 11}))


def test_the_named_command_reproduces_the_headline(context, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(PROJ_ROOT)
    words = shlex.split(context.headline.command)
    assert words[:2] == ["iid-analysis", "plan"]
    worklist = tmp_path / "aksi.xlsx"
    assert main(words[1:] + ["--json", "--worklist", str(worklist)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["p_reach"] == context.headline.p_with_plan
    assert printed["total_cost"] == context.headline.effort
    # the worklist file of the command is the report's download, byte for byte
    assert worklist.read_bytes() == context.headline.worklist_xlsx


def test_headline_numbers_agree_with_their_parts(context):
    headline = context.headline
    assert headline.p_with_plan == context.plan.robust.uncertainty.p_reach
    assert headline.p_business_as_usual == context.forecast.forecast.prob_at_least(
        context.threshold
    )
    # The worklist holds every action of the robust plan once.
    assert len(headline.worklist) == len(context.plan.robust.plan.actions)
    assert headline.worklist_xlsx[:2] == b"PK"
    # The example's own published 2023 IID (84.46) is reproduced only when every stage counts.
    assert headline.weights.evidence and headline.weights.stage["counted"] > 0.9


def test_a_target_year_without_rules_uses_the_latest_named_as_standing_in():
    context = build_context(ReportParams.from_mapping({"region": "Kota Mojokerto",
                                                      "target_year": 2029, "n_draws": 500}))
    assert context.stand_in == {"data": 2027, "target": 2027}
    assert context.target_methodology.year == 2027
    # 2027 needs all six basic urusan; the example has no urusan column: a named assumption.
    assert "basic_urusan_assumed_met" in context.score.provisional_rules


def test_a_missing_innovation_counts_file_is_an_error_naming_it(tmp_path):
    from iid_analysis.errors import IIDError

    missing = tmp_path / "no_counts.csv"
    params = ReportParams.from_mapping({"region": "Kota Mojokerto", "target_year": 2024,
                                        "innovation_counts": str(missing)})
    with pytest.raises(IIDError, match="no_counts.csv"):
        build_context(params)


def test_innovation_counts_beside_the_history(context):
    counts = context.innovation_counts
    # data/raw/innovation_counts.csv: Kota Mojokerto registered 176 innovations for 2023.
    row = counts[(counts["year"] == 2023) & (counts["basis"] == "registered")]
    assert list(row["innovations"]) == [176]
    assert (counts["year"] <= context.as_of_year).all()
