"""Files as other systems write them (tests/inputs/fixtures, written by make_fixtures.py), each
read by read_region and by score, plan and import; figures worked by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iid_analysis import cli
from iid_analysis.inputs import GRAIN_MATURITY, read_region
from iid_analysis.inputs.values import iso_date_text, parse_date, score_text
from iid_analysis.methodology import load_methodology

FIXTURES = Path(__file__).parent / "fixtures"
SPD = FIXTURES / "spd_2026.csv"
SIMONDA = FIXTURES / "simonda_export_2026.csv"
OFFICIAL_CSV = FIXTURES / "daftar_inovasi_2026.csv"
OFFICIAL_XLSX = FIXTURES / "daftar_inovasi_2026.xlsx"

# By hand from the fixtures: SPD indicator 1 at 3 (3 points), 2a at 2 (2), 3 at 3 (3), 5a at 1
# (0.75) = 8.75 under the 2026 table; maturities as written in the files.
SPD_TOTAL = 3 + 2 + 3 + 0.75
SIMONDA_MATURITIES = [46.0, 71.5, 88.25, 30.0]
OFFICIAL_MATURITIES = [87.5, 64.0, 42.25]


def hand_iid(maturities: list[float]) -> float:
    """2026 formula: divisor max(12, n); the count score is 0, as the files cover fewer than 5
    of the 6 basic urusan (SIMONDA: kesehatan, pendidikan, PUPR, sosial; the list: kesehatan)."""
    total = SPD_TOTAL + sum(maturities) / max(12, len(maturities))
    return round(total / 250 * 100 + 1e-9, 2)


@pytest.mark.parametrize(
    ("path", "fmt", "maturities"),
    [
        (SIMONDA, "simonda", SIMONDA_MATURITIES),
        (OFFICIAL_CSV, "iid_application", OFFICIAL_MATURITIES),
        (OFFICIAL_XLSX, "iid_application", OFFICIAL_MATURITIES),
    ],
)
def test_each_system_file_reads_at_maturity_grain(path, fmt, maturities):
    region = read_region(innovations=path, spd=SPD, year=2026)
    assert (region.format, region.grain) == (fmt, GRAIN_MATURITY)
    assert list(region.maturities) == maturities
    assert region.score().iid == hand_iid(maturities)


def test_simonda_export_keeps_dates_iso_and_the_design_text():
    table = read_region(innovations=SIMONDA, spd=SPD, year=2026).innovations
    assert list(table["implementation_date"]) == [
        "2024-03-01", "2023-01-09", "2024-11-04", "2024-01-15"
    ]  # fmt: skip
    assert table.loc[1, "development_date"] == "2025-02-10"
    assert len(table.loc[0, "rancang_bangun"].split()) >= 300
    assert list(table["innovation_id"]) == ["1", "2", "3", "4"]


def test_official_list_title_block_is_skipped_and_kept_as_a_note():
    for path, header_row in ((OFFICIAL_CSV, 5), (OFFICIAL_XLSX, 4)):
        region = read_region(innovations=path, spd=SPD, year=2026)
        assert region.n == 3
        assert any(f"above the header (row {header_row})" in n for n in region.notes)
        assert any("Daftar Inovasi Daerah" in n for n in region.notes)
        assert region.ignored == ("No",)


def test_official_list_dates_written_iso():
    csv_table = read_region(innovations=OFFICIAL_CSV, spd=SPD, year=2026).innovations
    xlsx_table = read_region(innovations=OFFICIAL_XLSX, spd=SPD, year=2026).innovations
    expected_trial = ["2023-08-28", "2023-09-28", "2024-01-05"]
    assert list(csv_table["trial_date"]) == expected_trial
    assert list(xlsx_table["trial_date"]) == expected_trial
    assert list(csv_table["implementation_date"]) == ["2023-08-28", "2024-05-01", ""]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("28/08/2023", "2023-08-28"),
        ("28-08-2023", "2023-08-28"),
        ("28 Agustus 2023", "2023-08-28"),
        ("1 Mei 2024", "2024-05-01"),
        ("5 Jan 2024", "2024-01-05"),
        ("17 Agt 2025", "2025-08-17"),
        ("2023-09-28 00:00:00", "2023-09-28"),
        ("45166", "2023-08-28"),  # Excel's serial: 45166 days after 1899-12-30
        ("", ""),
        ("sebelum 2024", "sebelum 2024"),  # not a date: kept as written
    ],
)
def test_dates_as_written(text, iso):
    assert iso_date_text(text) == iso


def test_a_day_that_does_not_exist_is_not_a_date():
    assert parse_date("31/02/2024") is None


def test_score_text_out_of_111():
    assert score_text("46.00 dari 111") == ("46.00", 111.0)
    assert score_text("87,5") == ("87,5", None)


def test_a_score_out_of_another_maximum_is_refused(tmp_path):
    from iid_analysis.inputs.importers import InvalidMaturityError

    path = tmp_path / "export.csv"
    text = SIMONDA.read_text(encoding="utf-8-sig")
    path.write_text(text.replace("46.00 dari 111", "46 dari 100"), encoding="utf-8")
    with pytest.raises(InvalidMaturityError, match="46 dari 100"):
        read_region(innovations=path, spd=SPD, year=2026)


def run(argv, capsys) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("path", [SIMONDA, OFFICIAL_CSV, OFFICIAL_XLSX])
def test_score_reads_every_format_and_says_which_and_where(path, tmp_path, capsys):
    code, out, err = run(
        ["score", "--year", 2026, "--spd", SPD, "--innovations", path,
         "--output-dir", tmp_path],  # fmt: skip
        capsys,
    )
    assert code == 0, err
    assert "recognised as" in err and f"wrote {tmp_path}" in err
    assert f"IID 2026: {hand_iid(read_region(innovations=path, spd=SPD, year=2026).maturities.tolist()):.2f}" in out  # noqa: E501
    written = sorted(p.name for p in tmp_path.iterdir())
    assert f"{path.stem}.innovation_scores.csv" in written
    assert all(name.count("2026") == 1 for name in written)


@pytest.mark.parametrize("path", [SIMONDA, OFFICIAL_CSV, OFFICIAL_XLSX])
def test_plan_reads_every_format(path, tmp_path, capsys):
    # 25: within reach of three innovations plus new ones at the first-year kematangan (48).
    # Dated inside the 2026 rules' eligibility window (2024-2025), so that new innovations created
    # now still count: undated, a plan made after 2025 cannot add any.
    code, out, err = run(
        ["plan", "--year", 2026, "--spd", SPD, "--innovations", path, "--target", 25,
         "--as-of-date", "2025-03-01", "--json", "--output", tmp_path / "plan.csv"],  # fmt: skip
        capsys,
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["grain"] == "maturity" and data["reachable"]
    assert data["iid_after"] >= 25.0
    assert (tmp_path / "plan.csv").is_file()


@pytest.mark.parametrize(
    ("path", "fmt"),
    [(SIMONDA, "simonda"), (OFFICIAL_CSV, "iid_application"), (OFFICIAL_XLSX, "iid_application")],
)
def test_import_reads_every_format(path, fmt, tmp_path, capsys):
    output = tmp_path / "maturity.csv"
    code, out, err = run(
        ["import", path, "--year", 2026, "--spd", SPD, "--output", output, "--json"], capsys
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["format"] == fmt  # never labelled as our own maturity format
    assert data["output"] == str(output)
    assert data["score"]["iid"] == hand_iid(
        SIMONDA_MATURITIES if path == SIMONDA else OFFICIAL_MATURITIES
    )
    text = output.read_text(encoding="utf-8")
    assert "00:00:00" not in text and "/20" not in text


def test_import_words_the_unused_columns(capsys):
    code, out, _ = run(["import", OFFICIAL_CSV, "--year", 2026, "--spd", SPD], capsys)
    assert code == 0
    assert 'columns not used: "No"' in out
    assert "ignored columns: no" not in out


def test_output_names_carry_the_year_once(tmp_path, capsys):
    source = tmp_path / "innovations_2026.csv"
    source.write_bytes(SIMONDA.read_bytes())
    out_dir = tmp_path / "out"
    code, _, err = run(
        ["score", "--year", 2026, "--spd", SPD, "--innovations", source, "--output-dir", out_dir],
        capsys,
    )
    assert code == 0, err
    assert (out_dir / "innovations_2026.innovation_scores.csv").is_file()
    assert not list(out_dir.glob("*2026.2026*"))


def test_the_rules_of_the_fixture_year_are_those_worked_by_hand():
    rules = load_methodology(2026)
    assert (rules.divisor_floor, rules.max_total, rules.min_basic_urusan) == (12, 250.0, 5)
    points = {i.number: i for i in rules.spd_indicators}
    assert points["2a"].points(2) + points["5a"].points(1) == 2.75


@pytest.mark.slow
def test_report_reads_every_system_file(tmp_path):
    """One report per fixture, in a fresh process as users run it: exit 0, the page names the
    file and its recognised format in the page's language (Indonesian by default: the
    catalogue's inputs.format words), and holds no traceback and no 'nan'."""
    import re
    import subprocess
    import sys

    for path, label in (
        (SIMONDA, "ekspor inovasi SIMONDA"),
        (OFFICIAL_CSV, "daftar inovasi aplikasi IID"),
        (OFFICIAL_XLSX, "daftar inovasi aplikasi IID"),
    ):
        out = tmp_path / path.suffix[1:] / path.stem
        done = subprocess.run(
            [sys.executable, "-m", "iid_analysis.cli", "report", "--region", "Kabupaten Contoh",
             "--target-year", "2027", "--innovations", str(path), "--spd", str(SPD),
             "--target", "30", "--output-dir", str(out)],  # fmt: skip
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        page = (out / "kabupaten-contoh_2027.html").read_text(encoding="utf-8")
        assert path.name in page and label in page
        assert "Traceback" not in page and not re.search(r"\bnan\b", page)


def test_every_format_is_named_in_both_languages():
    from iid_analysis.inputs.formats import FORMATS, LEVELS_FORMAT
    from iid_analysis.messages import catalogue, render

    for lang in ("id", "en"):
        names = catalogue(lang)
        for fmt in [f.name for f in FORMATS] + [LEVELS_FORMAT]:
            assert f"inputs.format.{fmt}" in names, (lang, fmt)
    region = read_region(innovations=OFFICIAL_CSV, spd=SPD, year=2026)
    assert render(region.recognised(), "id") == (
        "daftar_inovasi_2026.csv: dikenali sebagai daftar inovasi aplikasi IID (dan salinan "
        "daerahnya) (3 inovasi, tingkat kematangan)"
    )
