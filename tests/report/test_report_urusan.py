"""The report's lever "cover the missing urusan" (2026 rules): the example's innovations given
urusan that cover 4 of the 6 basic-service urusan (2026 asks 5). The lever's value is derived
independently: the IID of the same data without an urusan column (the rule cannot be checked,
the count score is kept) minus the IID with it (count score 0)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE
from iid_analysis.inputs.dataset import load_innovations, load_spd
from iid_analysis.methodology import BASIC_URUSAN, load_methodology
from iid_analysis.report import ReportParams, build_context, levers_section
from iid_analysis.report.i18n import format_number
from iid_analysis.scoring import score_region

FOUR = ["Pendidikan", "Kesehatan", "Pekerjaan Umum dan Penataan Ruang",
        "Perumahan Rakyat dan Kawasan Permukiman", "Pariwisata"]  # fmt: skip


@pytest.fixture(scope="module")
def innovations_file(tmp_path_factory):
    table = pd.read_csv(EXAMPLE_INNOVATIONS_FILE, dtype=str, keep_default_na=False)
    table["urusan"] = [FOUR[j % len(FOUR)] for j in range(len(table))]
    path = tmp_path_factory.mktemp("urusan") / "innovations_urusan.csv"
    table.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def ctx(innovations_file):
    return build_context(ReportParams(
        region="Kota Mojokerto", target_year=2026, lang="en", spd=str(EXAMPLE_SPD_FILE),
        innovations=str(innovations_file),
        # Under the 2026 rules a new innovation counts only if implemented in 2024-2025 (the
        # eligibility window): a plan made in early 2025 can still create one, a plan made
        # after 2025 cannot.
        as_of_date="2025-03-01",
    ))


def page_text(section) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(section._repr_html_())))


def test_the_levers_section_values_the_missing_urusan(ctx, innovations_file):
    rules = load_methodology(2026)
    spd = load_spd(EXAMPLE_SPD_FILE, rules)
    with_urusan = load_innovations(innovations_file, rules)
    without = with_urusan.drop(columns=["urusan"])
    gain = score_region(spd, without, rules).iid_unrounded - score_region(
        spd, with_urusan, rules).iid_unrounded
    assert gain > 20  # the whole count score of about 170 innovations
    page = page_text(levers_section(ctx))
    missing = BASIC_URUSAN[4:]  # ketenteraman ...; sosial (the rule's order)
    assert f"Covered 4, minimum 5; missing: {'; '.join(missing)}" in page
    assert f"the IID rises by {format_number(gain, 'en')}" in page


def test_the_plan_covers_a_missing_urusan_and_says_which(ctx):
    cover = [a for a in ctx.plan.robust.plan.actions if a.urusan]
    missing = set(BASIC_URUSAN[4:])
    assert len(cover) >= 1 and {a.urusan for a in cover} <= missing
    page = page_text(levers_section(ctx))
    assert f"{cover[0].innovation_id} ({cover[0].opd}): {cover[0].urusan}" in page
    worklist = ctx.headline.worklist
    rows = worklist[worklist["innovation_id"] == cover[0].innovation_id]
    assert (rows["urusan"] == cover[0].urusan).any()
