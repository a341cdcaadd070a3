"""Importers: the innovation lists of the IID application and of SIMONDA, region workbooks and
``iid-analysis import``.

Fixtures are written here from the column lists of the public copies (issue 10 §2): the IID
application's list (Judul Inovasi ... Tanggal Penerapan) and SIMONDA's CSV export (No ... Skor
SID Terverifikasi).
"""

from __future__ import annotations

import csv
import hashlib
import json

import pandas as pd
import pytest
from openpyxl import Workbook

from iid_analysis.cli import main
from iid_analysis.errors import DuplicateKeyError, IIDDataError, UnknownStageError
from iid_analysis.feasibility.maturity_grain import score_maturities
from iid_analysis.inputs.dataset import load_innovations, load_spd
from iid_analysis.inputs.importers import (
    InvalidMaturityError,
    MissingSheetError,
    UnrecognisedFormatError,
    find_sheets,
    load_region_workbook,
    read_innovation_export,
)
from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import score_region

APPLICATION_COLUMNS = [
    "Judul Inovasi", "Pemda", "Admin OPD", "Bentuk Inovasi", "Jenis", "Inisiator",
    "Urusan Pemerintah", "Kematangan", "Tahapan Inovasi", "Tanggal Uji Coba", "Tanggal Penerapan",
]  # fmt: skip
APPLICATION_ROWS = [
    ["Sekolah Ramah Anak", "Kota Contoh", "Dinas Pendidikan", "Pelayanan Publik", "Non Digital",
     "OPD", "Pendidikan", "96", "Penerapan", "2023-01-10", "2023-06-01"],
    ["Posyandu Digital", "Kota Contoh", "Dinas Kesehatan", "Tata Kelola", "Digital", "OPD",
     "Kesehatan", "88,5", "Uji Coba", "2023-02-01", ""],
    ["Lapor Jalan", "Kota Contoh", "Dinas PUPR", "Pelayanan Publik", "Digital", "Masyarakat",
     "Pekerjaan Umum dan Penataan Ruang", "", "Inisiatif", "", ""],
]  # fmt: skip
SIMONDA_COLUMNS = [
    "No", "Nama Inovasi", "OPD Pelaksana", "Tahapan", "Inisiator", "Nama Inisiator",
    "Klasifikasi", "Jenis", "Bentuk", "Asta Cita", "Klaster PKPN", "Urusan", "Waktu Uji Coba",
    "Penerapan Awal", "Pengembangan Terbaru", "Rancang Bangun", "Tujuan", "Manfaat", "Hasil",
    "Anggaran", "Skor SID Terverifikasi",
]  # fmt: skip
SIMONDA_IGNORED = {
    "Nama Inisiator", "Klasifikasi", "Asta Cita", "Klaster PKPN", "Tujuan", "Manfaat", "Hasil",
    "Anggaran",
}  # fmt: skip
"""Named as the file writes them; Pengembangan Terbaru and Rancang Bangun are read (eligibility)."""


def simonda_rows() -> list[list]:
    urusan = ["Pendidikan", "Kesehatan", "PUPR", "Perumahan Rakyat dan Kawasan Permukiman",
              "Ketenteraman, Ketertiban Umum dan Pelindungan Masyarakat", "Pariwisata"]  # fmt: skip
    rows = []
    for j, name in enumerate(urusan, start=1):
        rows.append(
            [j, f"Inovasi {j}", f"OPD {j}", "Penerapan", "OPD", "Kepala OPD", "Inovasi Daerah",
             "Digital", "Pelayanan Publik", "", "", name, "2024-01-02", "2024-03-04", "", "...",
             "...", "...", "...", "APBD", 100 - j]
        )  # fmt: skip
    return rows


def write_csv(path, header, rows, delimiter=","):
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, sheets: dict[str, list[list]]):
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def rules():
    return load_methodology(2026)


def test_application_export_is_recognised(tmp_path, rules):
    path = write_csv(tmp_path / "daftar.csv", APPLICATION_COLUMNS + ["Catatan"],
                     [r + ["-"] for r in APPLICATION_ROWS])  # fmt: skip
    before = digest(path)
    result = read_innovation_export(path, rules)
    assert result.format_name == "iid_application"
    assert result.provenance == "SECONDARY"
    assert result.ignored == ("Catatan",)
    table = result.innovations
    assert table["innovation_id"].tolist() == ["001", "002", "003"]
    assert table["maturity"].tolist() == [96.0, 88.5, 0.0]  # decimal comma; blank is 0
    assert table["stage"].tolist() == ["penerapan", "uji coba", "inisiatif"]
    assert table["opd"].tolist() == ["Dinas Pendidikan", "Dinas Kesehatan", "Dinas PUPR"]
    assert (table["status"] == "diterima").all()
    assert table["urusan"].iloc[2] == "Pekerjaan Umum dan Penataan Ruang"
    assert "recognised as" in result.describe() and '"Catatan"' in result.describe()
    assert digest(path) == before


def test_headers_are_matched_tolerantly(tmp_path, rules):
    header = ["JUDUL  INOVASI", "pemda", "admin_opd", "Bentuk-Inovasi", "jenis", "inisiator",
              "Urusan Pemerintahan", " Kematangan ", "Tahapan Inovasi", "Tgl Uji Coba",
              "Tanggal Penerapan"]  # fmt: skip
    path = write_csv(tmp_path / "daftar.csv", header, APPLICATION_ROWS, delimiter=";")
    result = read_innovation_export(path, rules)
    assert result.format_name == "iid_application"
    assert result.ignored == ()
    assert "trial_date" in result.innovations.columns


def test_simonda_export_as_workbook(tmp_path, rules):
    path = write_xlsx(tmp_path / "simonda.xlsx", {"Inovasi": [SIMONDA_COLUMNS, *simonda_rows()]})
    result = read_innovation_export(path, rules)
    assert result.format_name == "simonda"
    assert set(result.ignored) == SIMONDA_IGNORED
    table = result.innovations
    assert table["innovation_id"].tolist() == [str(j) for j in range(1, 7)]
    assert table["maturity"].tolist() == [99.0, 98.0, 97.0, 96.0, 95.0, 94.0]
    # Five basic urusan covered (Pariwisata is not one): the 2026 count score counts, 2027's not.
    assert score_maturities(table, rules).count_score == pytest.approx(6 * 0.38)
    assert score_maturities(table, load_methodology(2027)).count_score == 0.0


@pytest.mark.parametrize(
    ("cell", "error"),
    [("112", InvalidMaturityError), ("tiga", InvalidMaturityError), ("-5", InvalidMaturityError)],
)
def test_bad_maturity_names_file_row_and_column(tmp_path, rules, cell, error):
    rows = [list(r) for r in APPLICATION_ROWS]
    rows[1][7] = cell
    path = write_csv(tmp_path / "daftar.csv", APPLICATION_COLUMNS, rows)
    with pytest.raises(error) as caught:
        read_innovation_export(path, rules)
    message = str(caught.value)
    assert "daftar.csv" in message and "row 3" in message and "'maturity'" in message
    assert "\n" not in message


def test_other_bad_inputs(tmp_path, rules):
    rows = [list(r) for r in APPLICATION_ROWS]
    rows[0][8] = "Direncanakan"
    with pytest.raises(UnknownStageError):
        read_innovation_export(write_csv(tmp_path / "a.csv", APPLICATION_COLUMNS, rows), rules)
    duplicate = simonda_rows()
    duplicate[1][0] = 1
    path = write_xlsx(tmp_path / "b.xlsx", {"Sheet1": [SIMONDA_COLUMNS, *duplicate]})
    with pytest.raises(DuplicateKeyError):
        read_innovation_export(path, rules)
    path = write_csv(tmp_path / "c.csv", ["Nama", "Nilai"], [["x", "1"]])
    with pytest.raises(UnrecognisedFormatError, match="c.csv"):
        read_innovation_export(path, rules)
    not_a_workbook = tmp_path / "d.xlsx"
    not_a_workbook.write_text("hello")
    with pytest.raises(IIDDataError):
        read_innovation_export(not_a_workbook, rules)


def test_find_sheets_is_tolerant():
    found = find_sheets(["Petunjuk", "Data SPD", "Daftar Inovasi", "PROFIL"])
    assert found == {"spd": "Data SPD", "innovations": "Daftar Inovasi", "profiles": "PROFIL"}


def test_region_workbook_scores_as_the_csv_files(tmp_path, example_spd_path,
                                                 example_innovations_path):  # fmt: skip
    rules = load_methodology(2023)
    spd_rows = list(csv.reader(example_spd_path.open(encoding="utf-8-sig")))
    innovation_rows = list(csv.reader(example_innovations_path.open(encoding="utf-8-sig")))
    path = write_xlsx(
        tmp_path / "region.xlsx",
        {"Petunjuk": [["isi lembar SPD dan Inovasi"]], "SPD": spd_rows, "Inovasi": innovation_rows},
    )
    spd, innovations = load_region_workbook(path, rules)
    assert innovations.attrs["grain"] == "level"
    assert innovations.attrs["sheets_read"] == {"innovations": "Inovasi", "spd": "SPD"}
    expected = score_region(
        load_spd(example_spd_path, rules), load_innovations(example_innovations_path, rules), rules
    )
    assert score_region(spd, innovations, rules) == expected


def test_region_workbook_long_form_with_profile_sheet(tmp_path):
    rules = load_methodology(2023)
    profiles = [["innovation_id", "name", "opd", "stage", "status"],
                ["A", "Satu", "Dinas X", "penerapan", "diterima"]]  # fmt: skip
    levels = [["innovation_id", "indicator", "level"], ["A", 16, 3], ["A", 35, 2]]
    path = write_xlsx(tmp_path / "r.xlsx", {"Inovasi": levels, "Profil": profiles})
    spd, innovations = load_region_workbook(path, rules)
    assert spd is None
    assert innovations.attrs["sheets_read"] == {"innovations": "Inovasi", "profiles": "Profil"}
    # Indicator 16 weighs 3 and 35 weighs 4 in the 2023 table: 3 x 3 + 4 x 2 = 17.
    assert score_maturities_from_levels(innovations, rules) == 17


def score_maturities_from_levels(innovations, rules) -> float:
    from iid_analysis.scoring import score_innovations

    return float(score_innovations(innovations, rules)["maturity"].sum())


def test_region_workbook_with_an_application_export(tmp_path, rules):
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {"SPD": [["indicator", "level"], ["1", 3]],
         "Daftar Inovasi": [APPLICATION_COLUMNS, *APPLICATION_ROWS]},
    )  # fmt: skip
    spd, innovations = load_region_workbook(path, rules)
    assert innovations.attrs["grain"] == "maturity"
    assert innovations["maturity"].sum() == pytest.approx(96 + 88.5)
    assert spd["level"].tolist() == [3]
    missing = write_xlsx(tmp_path / "m.xlsx", {"SPD": [["indicator", "level"], ["1", 3]]})
    with pytest.raises(MissingSheetError, match="no innovations sheet"):
        load_region_workbook(missing, rules)


def test_import_command_writes_our_file(tmp_path, capsys, rules):
    source = write_xlsx(tmp_path / "simonda.xlsx", {"Data": [SIMONDA_COLUMNS, *simonda_rows()]})
    output = tmp_path / "out" / "innovations.csv"
    output.parent.mkdir()
    code = main(["import", str(source), "--year", "2026", "--output", str(output)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "simonda" in printed and '"Asta Cita"' in printed
    assert "SPD unknown" in printed or "not computed" in printed
    again = read_innovation_export(output, rules)
    assert again.format_name == "iid_analysis_maturity"
    assert again.innovations["maturity"].tolist() == [99.0, 98.0, 97.0, 96.0, 95.0, 94.0]
    # 36.21 of 250 points less the SID of these six innovations leaves an SPD inside 0..63 (a
    # published IID of 60 would need an SPD of 99.47: refused, as not these innovations' IID)
    code = main(["import", str(output), "--year", "2026", "--published-iid", "36.21", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["score"]["iid"] == 36.21 and data["score"]["grain"] == "maturity"
    assert 0 <= data["score"]["spd"] <= 63
    assert data["urusan"]["covered"] and len(data["urusan"]["covered"]) == 5


def test_import_command_bad_file_exits_2_in_one_line(tmp_path, capsys):
    path = write_csv(tmp_path / "x.csv", ["Nama", "Nilai"], [["x", "1"]])
    code = main(["import", str(path), "--year", "2026"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "x.csv" in err and "Traceback" not in err


def test_level_data_with_urusan_column_keeps_it(tmp_path, rules):
    frame = pd.DataFrame(
        [{"innovation_id": "A", "name": "n", "opd": "o", "stage": "penerapan",
          "status": "diterima", "urusan": "Sosial", **{str(n): 3 for n in range(16, 36)}}]
    )  # fmt: skip
    path = tmp_path / "levels.csv"
    frame.to_csv(path, index=False)
    result = read_innovation_export(path, rules)
    assert result.format_name == "iid_analysis_levels"
    assert result.innovations["urusan"].tolist() == ["Sosial"]
    assert result.innovations["maturity"].tolist() == [111.0]


def test_hidden_sheet_is_not_read(tmp_path, rules):
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {"Daftar Inovasi": [APPLICATION_COLUMNS, *APPLICATION_ROWS],
         "SPD": [["indicator", "level"], ["1", 3]]},
    )  # fmt: skip
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["SPD"].sheet_state = "hidden"
    book.save(path)
    spd, innovations = load_region_workbook(path, rules)
    assert spd is None
    assert innovations.attrs["sheets_read"] == {"innovations": "Daftar Inovasi"}


def test_import_refuses_to_write_over_its_input(tmp_path, capsys):
    path = write_csv(tmp_path / "daftar.csv", APPLICATION_COLUMNS, APPLICATION_ROWS)
    before = digest(path)
    code = main(["importfile", str(path), "--year", "2026", "--output", str(path)])
    assert code == 2
    assert "--output" in capsys.readouterr().err
    assert digest(path) == before
