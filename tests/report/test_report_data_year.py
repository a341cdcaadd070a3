"""One data year: files that name their assessment year (as `collect --year` writes them) are
scored, in the whole report, under that year's rules and named by that year, with the IID that
`score --year` gives for the same files."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE
from iid_analysis.errors import IIDError
from iid_analysis.inputs import read_region
from iid_analysis.report import sections as S
from iid_analysis.report.context import build_context
from iid_analysis.report.params import ReportParams


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """The example's files with the data_year column collect writes (here 2026)."""
    folder = tmp_path_factory.mktemp("collected")
    paths = {}
    for role, source in (("spd", EXAMPLE_SPD_FILE), ("innovations", EXAMPLE_INNOVATIONS_FILE)):
        table = pd.read_csv(source, dtype=str, keep_default_na=False)
        table["data_year"] = "2026"
        paths[role] = folder / f"{role}_2026.csv"
        table.to_csv(paths[role], index=False)
    return paths


@pytest.mark.slow
def test_the_report_scores_collected_data_under_its_own_year(collected):
    ctx = build_context(ReportParams(
        region="Kota Mojokerto", target_year=2026, spd=str(collected["spd"]),
        innovations=str(collected["innovations"]), as_of_date="2026-02-28",
    ))
    # Before: the data year was the target year less one (2025) whatever the files said.
    assert ctx.params.data_year == 2026
    assert ctx.score.year == 2026
    # The same IID as `score --year 2026` of the same files (read and scored on their own).
    alone = read_region(innovations=collected["innovations"], spd=collected["spd"], year=2026)
    assert alone.data_year == 2026
    assert ctx.score.iid == alone.score().iid
    html = "".join(build(ctx).to_html() for build in S.ALL_SECTIONS)
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "data indikator 2026" in page and "data indikator 2025" not in page


def test_a_given_data_year_that_contradicts_the_files_is_refused(collected):
    with pytest.raises(IIDError, match="2025"):
        build_context(ReportParams(
            region="Kota Mojokerto", target_year=2026, spd=str(collected["spd"]),
            innovations=str(collected["innovations"]), indicator_year=2025,
            as_of_date="2026-02-28",
        ))
