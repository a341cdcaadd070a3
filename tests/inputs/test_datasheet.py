"""Dataset metadata instead of one city's values in general code: the SYNTHETIC label and the
"built to reproduce" sentence come from a datasheet beside the data, the maturity goal from the
report's parameters; without them a report says neither."""

from __future__ import annotations

import shutil

import pytest

from iid_analysis.config import (
    EXAMPLE_INNOVATIONS_FILE,
    EXAMPLE_SPD_FILE,
    PROJ_ROOT,
    PUBLISHED_SCORES_FILE,
)
from iid_analysis.errors import IIDDataError, UsageError
from iid_analysis.feasibility import MaturityUpgrade
from iid_analysis.inputs.datasheet import datasheet_for, datasheet_of, read_datasheet
from iid_analysis.report import ReportParams, build_context, load_params
from iid_analysis.report import sections as S
from iid_analysis.report.analysis import city_scenarios
from iid_analysis.report.assumptions import assumptions_log


def test_the_example_datasheet_says_synthetic_and_what_it_reproduces():
    sheet = datasheet_for(EXAMPLE_SPD_FILE)
    assert sheet is not None and sheet == datasheet_for(EXAMPLE_INNOVATIONS_FILE)
    assert sheet.synthetic and sheet.region == "Kota Mojokerto" and sheet.year == 2023
    reproduced = sheet.built_to_reproduce
    assert (reproduced.year, reproduced.iid) == (2023, 84.46)
    assert reproduced.source.startswith("https://")
    # The published scores are real data: no datasheet lists them.
    assert datasheet_for(PUBLISHED_SCORES_FILE) is None


def test_a_file_named_synthetic_without_datasheet_is_not_labelled(tmp_path):
    copy = tmp_path / "my_SYNTHETIC_data.csv"
    shutil.copy(EXAMPLE_SPD_FILE, copy)
    assert datasheet_of(copy, tmp_path / "other.csv") is None


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("files: [a.csv]\nsynthetic: yes please\n", "synthetic"),
        ("synthetic: true\n", "files"),
        ("files: [../escape.csv]\n", "files"),
        ("files: [a.csv]\nbuilt_to_reproduce: {year: 2023, iid: 184.46, source: x}\n",
         "built_to_reproduce"),
        ("files: [a.csv]\nbuilt_to_reproduce: {year: 2023, iid: 84.46}\n", "built_to_reproduce"),
        ("files: [a.csv]\ncolour: red\n", "colour"),
        ("- a\n- b\n", "mapping"),
        ("files: [a.csv\n", "YAML"),
    ],
)
def test_a_bad_datasheet_is_one_line_naming_file_and_field(tmp_path, text, field):
    path = tmp_path / "x.datasheet.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IIDDataError, match=field) as caught:
        read_datasheet(path)
    message = str(caught.value)
    assert "x.datasheet.yaml" in message and "\n" not in message
    with pytest.raises(IIDDataError):
        datasheet_for(tmp_path / "a.csv")  # a malformed datasheet beside the data is an error


def test_a_datasheet_describes_only_the_files_it_lists(tmp_path):
    (tmp_path / "r.datasheet.yaml").write_text("files: [a.csv]\n", encoding="utf-8")
    sheet = datasheet_for(tmp_path / "a.csv")
    assert sheet is not None and not sheet.synthetic and sheet.built_to_reproduce is None
    assert datasheet_for(tmp_path / "b.csv") is None


def test_maturity_goal_is_a_parameter_not_a_constant():
    from iid_analysis.inputs import load_region
    from iid_analysis.methodology import load_methodology

    rules = load_methodology(2023)
    scores = load_region(rules, EXAMPLE_SPD_FILE, EXAMPLE_INNOVATIONS_FILE).innovation_scores()
    default = city_scenarios(scores, rules, 84.0)
    assert not any(isinstance(s, MaturityUpgrade) for s in default)
    goal = [s for s in city_scenarios(scores, rules, 84.0, 99) if isinstance(s, MaturityUpgrade)]
    assert [s.target_maturity for s in goal] == [99]
    with pytest.raises(UsageError, match="maturity_goal"):
        ReportParams(region="Kota Mojokerto", target_year=2024, maturity_goal=0)


def test_the_example_params_files_carry_the_citys_goal():
    for name in ("kota-mojokerto_2024.yaml", "kota-mojokerto_2024_en.yaml"):
        params = load_params(PROJ_ROOT / "params" / name)
        assert params.maturity_goal == 105


@pytest.fixture(scope="module")
def unlabelled_ctx(tmp_path_factory):
    """The example data copied where no datasheet describes it, with a maturity goal."""
    folder = tmp_path_factory.mktemp("real")
    spd, innovations = folder / "spd_SYNTHETIC.csv", folder / "innovations.csv"
    shutil.copy(EXAMPLE_SPD_FILE, spd)
    shutil.copy(EXAMPLE_INNOVATIONS_FILE, innovations)
    return build_context(ReportParams(
        region="Kota Mojokerto", target_year=2024, spd=str(spd), innovations=str(innovations),
        n_draws=200, maturity_goal=100,
    ))


def test_no_banner_and_no_reproduced_claim_without_a_datasheet(unlabelled_ctx):
    ctx = unlabelled_ctx
    assert not ctx.synthetic and ctx.datasheet is None
    page = "".join(str(build(ctx).to_html()) for build in S.ALL_SECTIONS)
    assert "SINTETIS" not in page
    assert "dibuat agar menghasilkan" not in page
    keys = set(assumptions_log(S.assumption_rows(ctx))["key"])
    assert "synthetic_indicator_data" not in keys
    goals = [s.target_maturity for s in ctx.plan.scenario_list if isinstance(s, MaturityUpgrade)]
    assert goals == [100]


def test_the_example_says_it_was_built_to_reproduce_not_validated():
    ctx = build_context(ReportParams(region="Kota Mojokerto", target_year=2024, n_draws=200))
    assert ctx.synthetic
    summary = str(S.summary_section(ctx).to_html())
    assert "dibuat agar menghasilkan IID 2023 yang dipublikasikan (84,46)" in summary
    assert "bukan validasi" in summary
    [row] = [r for r in S.assumption_rows(ctx) if r.key == "synthetic_indicator_data"]
    assert "built to reproduce the published 2023 IID 84.46" in row.source_text("en")
    assert "dibuat agar menghasilkan IID 2023 yang dipublikasikan 84,46" in row.source_text("id")
    # No goal given: no maturity scenario (105 is Kota Mojokerto's, in its params files).
    assert not any(isinstance(s, MaturityUpgrade) for s in ctx.plan.scenario_list)
