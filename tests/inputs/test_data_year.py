"""The data's assessment year: from --data-year, the files' data_year column (collect --year
writes it), or the rules' year; conflicts refused in one line."""

from __future__ import annotations

import json

import pytest

from iid_analysis import cli
from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE
from iid_analysis.errors import InvalidValueError
from iid_analysis.inputs import read_region


def with_year(source, target, years):
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    rows = [lines[0] + ",data_year"] + [
        f"{line},{years[i % len(years)]}" for i, line in enumerate(lines[1:]) if line.strip()
    ]
    target.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return target


def test_the_file_says_the_year(tmp_path):
    innovations = with_year(EXAMPLE_INNOVATIONS_FILE, tmp_path / "inovasi.csv", [2025])
    spd = with_year(EXAMPLE_SPD_FILE, tmp_path / "spd.csv", [2025])
    region = read_region(innovations=innovations, spd=spd, year=2026)
    assert region.data_year == 2025 and region.methodology.year == 2026


def test_without_a_year_the_rules_year_is_the_assessment_year():
    region = read_region(innovations=EXAMPLE_INNOVATIONS_FILE, spd=EXAMPLE_SPD_FILE, year=2023)
    assert region.data_year is None and region.assessment_year == 2023
    given = read_region(
        innovations=EXAMPLE_INNOVATIONS_FILE, spd=EXAMPLE_SPD_FILE, year=2024, data_year=2023
    )
    assert given.data_year == 2023


@pytest.mark.parametrize(
    ("years", "given", "match"),
    [([2025, 2026], None, "mixes assessment years"), ([2025], 2026, "--data-year is 2026")],
)
def test_conflicting_years_are_refused(tmp_path, years, given, match):
    innovations = with_year(EXAMPLE_INNOVATIONS_FILE, tmp_path / "inovasi.csv", years)
    with pytest.raises(InvalidValueError, match=match) as info:
        read_region(innovations=innovations, spd=EXAMPLE_SPD_FILE, year=2026, data_year=given)
    assert "inovasi.csv" in str(info.value) and "\n" not in str(info.value)


def test_spd_and_innovations_of_two_years_are_refused(tmp_path):
    innovations = with_year(EXAMPLE_INNOVATIONS_FILE, tmp_path / "inovasi.csv", [2025])
    spd = with_year(EXAMPLE_SPD_FILE, tmp_path / "spd.csv", [2024])
    with pytest.raises(InvalidValueError, match="data_year 2024 differs from 2025"):
        read_region(innovations=innovations, spd=spd, year=2026)


def test_score_reports_the_data_year(tmp_path, capsys):
    innovations = with_year(EXAMPLE_INNOVATIONS_FILE, tmp_path / "inovasi.csv", [2025])
    code = cli.main(["score", "--year", "2026", "--spd", str(EXAMPLE_SPD_FILE),
                     "--innovations", str(innovations), "--output-dir", str(tmp_path / "out"),
                     "--json"])  # fmt: skip
    assert code == 0
    assert json.loads(capsys.readouterr().out)["input"]["data_year"] == 2025


def test_import_carries_the_year_into_its_file(tmp_path, capsys):
    output = tmp_path / "maturity.csv"
    code = cli.main(["import", str(EXAMPLE_INNOVATIONS_FILE), "--year", "2023",
                     "--data-year", "2023", "--output", str(output)])  # fmt: skip
    assert code == 0
    capsys.readouterr()
    assert read_region(innovations=output, year=2024).data_year == 2023


def test_score_names_the_data_year_and_the_rules(tmp_path, capsys):
    innovations = with_year(EXAMPLE_INNOVATIONS_FILE, tmp_path / "inovasi.csv", [2025])
    code = cli.main(["score", "--year", "2026", "--spd", str(EXAMPLE_SPD_FILE),
                     "--innovations", str(innovations),
                     "--output-dir", str(tmp_path / "out")])  # fmt: skip
    assert code == 0
    assert "data of 2025, scored under the 2026 rules" in capsys.readouterr().err
