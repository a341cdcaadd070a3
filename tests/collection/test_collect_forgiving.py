"""Collection that forgives small mistakes and misses nothing.

Every expected value is worked out here from the inputs the test writes: which rows hold a
mistake, which word the methodology CSV gives for the level (read with the csv module), which
files hold the same innovation.
"""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from test_template_collect import (
    NUMBERS,
    csv_levels,
    fill,
    header_index,
    indicator_column,
    levels,
)

from iid_analysis.cli import main
from iid_analysis.collection.collect import collect
from iid_analysis.collection.opds import OpdList, read_opd_list
from iid_analysis.collection.template import SHEET_INNOVATIONS, URUSAN, write_template
from iid_analysis.inputs import read_region
from iid_analysis.inputs.dataset import load_innovations
from iid_analysis.methodology import BASIC_URUSAN, load_methodology

TABLE_2026 = "indicators_2026.csv"
OPDS = ("Dinas Kesehatan", "Dinas Pendidikan", "Badan Perencanaan Pembangunan Daerah")


@pytest.fixture(scope="module")
def template_2026(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "iid_2026.xlsx"
    write_template(path, load_methodology(2026), region="Kabupaten Contoh", opds=OPDS, rows=30)
    return path


def five(prefix: str, opd: str) -> list[dict]:
    return [
        {"id": f"{prefix}-0{i}", "name": f"{prefix} inovasi {i}", "opd": opd,
         "levels": levels(i), "urusan": "kesehatan"}
        for i in range(1, 6)
    ]  # fmt: skip


def set_cell(path: Path, row: int, header_or_number: str, value) -> str:
    """Write ``value`` in the Inovasi sheet; return the cell's reference."""
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET_INNOVATIONS]
    if header_or_number in NUMBERS:
        column = indicator_column(sheet, header_or_number)
    else:
        column = header_index(sheet)[header_or_number]
    sheet.data_validations.dataValidation = []  # typed by hand, past the dropdown
    sheet.cell(row, column, value)
    book.save(path)
    return f"{openpyxl.utils.get_column_letter(column)}{row}"


def test_a_mistyped_level_names_the_nearest_word_and_the_other_rows_are_collected(
    tmp_path, template_2026, capsys
):
    folder = tmp_path / "masuk"
    folder.mkdir()
    path = fill(template_2026, folder / "dinkes.xlsx", five("DINKES", "Dinas Kesehatan"),
                table=TABLE_2026)  # fmt: skip
    # Indicator 16, level 2, in the CSV's words: the OPD typed it with one letter too many.
    word = csv_levels(TABLE_2026)["16"][2]
    assert word == "Peraturan Kepala Daerah"
    cell = set_cell(path, 4, "16", "2 - Peraturan Kepala Daearah")

    out = tmp_path / "keluar"
    code = main(["collect", str(folder), "--year", "2026", "--output-dir", str(out)])
    assert code == 1  # one row left out
    printed = capsys.readouterr().out
    assert "terkumpul 4 inovasi" in printed
    assert "baris tidak diambil: 1" in printed
    assert "maksudnya '2 - Peraturan Kepala Daerah'?" in printed
    innovations = load_innovations(out / "innovations_2026.csv", load_methodology(2026))
    assert sorted(innovations["innovation_id"]) == ["DINKES-01", "DINKES-02", "DINKES-04",
                                                     "DINKES-05"]  # fmt: skip
    quality = pd.read_csv(out / "quality_2026.csv", dtype=str, keep_default_na=False)
    errors = quality[quality["tingkat"] == "kesalahan"]
    assert len(errors) == 1
    error = errors.iloc[0]
    header = next(h for h in header_index(openpyxl.load_workbook(path)[SHEET_INNOVATIONS])
                  if str(h).startswith("16. "))  # fmt: skip
    assert (error["berkas"], error["lembar"], error["baris"], error["kolom"], error["sel"]) == (
        "dinkes.xlsx", "Inovasi", "4", header, cell,
    )  # fmt: skip
    assert f"maksudnya '2 - {word}'?" in error["uraian"]
    assert f"pilih '2 - {word}'" in error["yang_harus_dilakukan"]
    assert "copied" not in error["uraian"] and "disalin" not in error["uraian"]
    assert error["tindakan"] == "baris tidak diambil"
    # The decision rule is stated in the report itself.
    assert quality.iloc[0]["pemeriksaan"] == "policy"
    assert "per baris" in quality.iloc[0]["uraian"]


def test_the_same_id_by_case_and_width_in_two_files_is_reported_with_both(tmp_path, template_2026):
    folder = tmp_path / "masuk"
    folder.mkdir()
    fill(template_2026, folder / "dinkes.xlsx", five("DINKES", "Dinas Kesehatan"),
         table=TABLE_2026)  # fmt: skip
    bappeda = OPDS[2]
    copy = [
        {"id": "ｄｉｎｋｅｓ-01", "name": "Salinan", "opd": bappeda, "levels": levels(2)},
        {"id": "BAPPEDA-01", "name": "Sendiri", "opd": bappeda, "levels": levels(3)},
    ]
    fill(template_2026, folder / "bappeda.xlsx", copy, table=TABLE_2026)
    out = tmp_path / "keluar"
    code = main(["collect", str(folder), "--year", "2026", "--output-dir", str(out), "--lang",
                 "en"])  # fmt: skip
    assert code == 1
    merged = pd.read_csv(out / "innovations_2026.csv", dtype=str)
    # Both copies left out; the other 4 + 1 rows collected.
    assert sorted(merged["innovation_id"]) == ["BAPPEDA-01", "DINKES-02", "DINKES-03",
                                               "DINKES-04", "DINKES-05"]  # fmt: skip
    quality = pd.read_csv(out / "quality_2026.csv", dtype=str, keep_default_na=False)
    dup = quality[quality["check"] == "duplicate_id"]
    where = set(zip(dup["file"], dup["row"], strict=True))
    assert where == {("bappeda.xlsx", "2"), ("dinkes.xlsx", "2")}
    for detail in dup["detail"]:
        assert "bappeda.xlsx [Inovasi] row 2" in detail and "dinkes.xlsx [Inovasi] row 2" in detail


def test_a_copy_is_found_when_the_other_row_or_workbook_is_left_out(tmp_path, template_2026):
    folder = tmp_path / "masuk"
    folder.mkdir()
    dinkes = fill(template_2026, folder / "dinkes.xlsx", five("DINKES", "Dinas Kesehatan"),
                  table=TABLE_2026)  # fmt: skip
    fill(template_2026, folder / "bappeda.xlsx",
         [{"id": "DINKES-03", "name": "DINKES inovasi 3", "opd": "Dinas Kesehatan",
           "levels": levels(3)}], table=TABLE_2026)  # fmt: skip
    # The row of DINKES-03 in Dinas Kesehatan's workbook has an error of its own.
    set_cell(dinkes, 4, "Tahapan", "selesai")
    collection = collect(folder, load_methodology(2026), lang="en")
    dup = collection.findings[collection.findings["check"] == "duplicate_id"]
    where = set(zip(dup["file"], dup["row"], strict=True))
    assert where == {("bappeda.xlsx", 2), ("dinkes.xlsx", 4)}
    assert "DINKES-03" not in set(collection.innovations["innovation_id"])

    # Now the whole Dinas Kesehatan workbook is left out (merged cells): Bappeda's copy is
    # still named with the file it copies.
    book = openpyxl.load_workbook(dinkes)
    book[SHEET_INNOVATIONS].merge_cells("C2:C3")
    book.save(dinkes)
    collection = collect(folder, load_methodology(2026), lang="en")
    f = collection.findings
    assert f[(f["file"] == "dinkes.xlsx") & (f["check"] == "merged_cells")]["action"].tolist() == [
        "file left out"
    ]
    dup = f[f["check"] == "duplicate_id"]
    assert ("bappeda.xlsx", 2) in set(zip(dup["file"], dup["row"], strict=True))
    detail = dup[dup["file"] == "bappeda.xlsx"]["detail"].iloc[0]
    assert "dinkes.xlsx [Inovasi] row 4" in detail
    assert len(collection.innovations) == 0


def test_opd_short_forms_are_matched_and_an_unknown_name_is_never_a_new_opd(
    tmp_path, template_2026
):
    opd_file = tmp_path / "opd.txt"
    opd_file.write_text(
        "Dinas Kesehatan; Dinkes\nDinas Pendidikan; Disdik; Dikbud\n"
        "Badan Perencanaan Pembangunan Daerah; Bappeda\n",
        encoding="utf-8",
    )
    folder = tmp_path / "masuk"
    folder.mkdir()
    rows = five("DINKES", "Dinas Kesehatan")
    rows[1]["opd"] = "Dinkes"
    rows[2]["opd"] = "DINKES "
    rows[3]["opd"] = "Dinas Kesehtan"  # a typo: flagged with the nearest name
    rows[4]["opd"] = "Dinas Rahasia"  # nothing near
    fill(template_2026, folder / "dinkes.xlsx", rows, table=TABLE_2026)
    out = tmp_path / "keluar"
    code = main(["collect", str(folder), "--year", "2026", "--output-dir", str(out), "--opds",
                 str(opd_file)])  # fmt: skip
    assert code == 1
    merged = pd.read_csv(out / "innovations_2026.csv", dtype=str)
    assert list(merged["opd"]) == ["Dinas Kesehatan"] * 3  # rows 1-3: one OPD, not three
    quality = pd.read_csv(out / "quality_2026.csv", dtype=str, keep_default_na=False)
    unknown = quality[quality["pemeriksaan"] == "unknown_opd"]
    assert list(unknown["baris"]) == ["5", "6"]
    assert "maksudnya 'Dinas Kesehatan'?" in unknown["uraian"].iloc[0]
    assert unknown["uraian"].iloc[1] == "OPD 'Dinas Rahasia' tidak ada dalam daftar OPD"
    assert set(unknown["tindakan"]) == {"baris tidak diambil"}


def test_without_opds_the_templates_own_list_is_used(tmp_path, template_2026):
    folder = tmp_path / "masuk"
    folder.mkdir()
    rows = five("DINKES", "Dinas Kesehatan")
    rows[0]["opd"] = "Dinkes"
    fill(template_2026, folder / "dinkes.xlsx", rows, table=TABLE_2026)
    collection = collect(folder, load_methodology(2026), lang="en")
    assert set(collection.innovations["opd"]) == {"Dinas Kesehatan"}
    unknown = collection.findings[collection.findings["check"] == "unknown_opd"]
    assert list(unknown["row"]) == [2]


def test_opd_list_file_forms(tmp_path):
    table = tmp_path / "opd.csv"
    table.write_text("opd,alias\nDinas Kesehatan,Dinkes;DKK\nDinas Sosial,\n", encoding="utf-8")
    opds = read_opd_list(table)
    assert opds.names == ("Dinas Kesehatan", "Dinas Sosial")
    assert opds.match("dkk") == opds.match("ＤＩＮＫＥＳ") == "Dinas Kesehatan"
    assert opds.match("Dinsos") is None
    with pytest.raises(Exception, match="two OPDs"):
        OpdList.from_names([["Dinas A", "DA"], ["Dinas B", "DA"]])


def test_urusan_list_keeps_the_basic_six_and_offers_supporting_functions():
    assert URUSAN[:6] == BASIC_URUSAN
    assert {"perencanaan", "keuangan", "kepegawaian", "penelitian dan pengembangan"} <= set(URUSAN)


def test_a_deleted_inovasi_sheet_a_subfolder_and_a_fifo_are_all_reported(tmp_path, template_2026):
    folder = tmp_path / "masuk"
    folder.mkdir()
    fill(template_2026, folder / "dinkes.xlsx", five("DINKES", "Dinas Kesehatan"),
         table=TABLE_2026)  # fmt: skip
    bappeda = fill(template_2026, folder / "bappeda.xlsx", [], spd={"1": 3}, table=TABLE_2026)
    book = openpyxl.load_workbook(bappeda)
    del book[SHEET_INNOVATIONS]
    book.save(bappeda)
    (folder / "arsip").mkdir()
    fill(template_2026, folder / "arsip" / "dinsos.xlsx", five("DINSOS", "Dinas Kesehatan"),
         table=TABLE_2026)  # fmt: skip
    os.mkfifo(folder / "pipa.xlsx")
    out = tmp_path / "keluar"
    code = main(["collect", str(folder), "--year", "2026", "--output-dir", str(out), "--lang",
                 "en"])  # fmt: skip
    assert code == 1  # the Inovasi sheet and the pipe are left out
    quality = pd.read_csv(out / "quality_2026.csv", dtype=str, keep_default_na=False)
    by_file = {(r.file, r.check): r for r in quality.itertuples()}
    missing = by_file[("bappeda.xlsx", "missing_sheet")]
    assert (missing.severity, missing.action, missing.sheet) == ("error", "sheet missing",
                                                                 "Inovasi")  # fmt: skip
    sub = by_file[("arsip/", "subfolder")]
    assert sub.severity == "warning" and "1 .xlsx" in sub.detail
    pipe = by_file[("pipa.xlsx", "not_regular_file")]
    assert (pipe.severity, pipe.action) == ("error", "file left out")
    merged = pd.read_csv(out / "innovations_2026.csv", dtype=str)
    assert len(merged) == 5  # Dinas Kesehatan's five, none from the subfolder
    spd = pd.read_csv(out / "spd_2026.csv", dtype=str).set_index("indicator")
    assert spd.loc["1", "level"] == "3"  # Bappeda's SPD sheet is still read


def test_collected_files_carry_their_assessment_year(tmp_path, template_2026):
    folder = tmp_path / "masuk"
    folder.mkdir()
    fill(template_2026, folder / "dinkes.xlsx", five("DINKES", "Dinas Kesehatan"),
         table=TABLE_2026)  # fmt: skip
    out = tmp_path / "keluar"
    assert main(["collect", str(folder), "--year", "2026", "--output-dir", str(out)]) == 0
    for name in ("innovations_2026.csv", "spd_2026.csv"):
        frame = pd.read_csv(out / name, dtype=str)
        assert set(frame["data_year"]) == {"2026"}


def test_english_and_indonesian_reports_hold_the_same_findings(tmp_path, template_2026):
    folder = tmp_path / "masuk"
    folder.mkdir()
    path = fill(template_2026, folder / "dinkes.xlsx", five("DINKES", "Dinas Kesehatan"),
                table=TABLE_2026)  # fmt: skip
    set_cell(path, 3, "20", "tiga")
    methodology = load_methodology(2026)
    id_, en = collect(folder, methodology, lang="id"), collect(folder, methodology, lang="en")
    keys = ["file", "sheet", "row", "column", "cell", "check", "severity", "action"]
    pd.testing.assert_frame_equal(id_.findings[keys], en.findings[keys])
    assert (id_.findings["detail"] != en.findings["detail"]).any()


@pytest.mark.parametrize("command", ["collect", "template"])
def test_a_pipe_as_the_opd_list_is_refused_in_one_line(tmp_path, capsys, command):
    pipe = tmp_path / "opd.txt"
    os.mkfifo(pipe)
    (tmp_path / "in").mkdir()
    args = {
        "collect": ["collect", str(tmp_path / "in"), "--output-dir", str(tmp_path / "out")],
        "template": ["template", "--output", str(tmp_path / "t.xlsx")],
    }[command]
    assert main([*args, "--year", "2026", "--opds", str(pipe)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "opd.txt" in err[0]


def test_a_duplicate_is_named_in_indonesian_also_with_an_invisible_character(
    tmp_path, template_2026
):
    folder = tmp_path / "masuk"
    folder.mkdir()
    one = [{"id": "DINKES-01", "name": "A", "opd": OPDS[0], "levels": levels(1)}]
    two = [{"id": "DINKES\u200b-01", "name": "B", "opd": OPDS[2], "levels": levels(2)}]
    fill(template_2026, folder / "a.xlsx", one, table=TABLE_2026)
    fill(template_2026, folder / "b.xlsx", two, table=TABLE_2026)
    collection = collect(folder, load_methodology(2026))
    dup = collection.findings[collection.findings["check"] == "duplicate_id"]
    assert list(dup["file"]) == ["a.xlsx", "b.xlsx"]
    assert dup["detail"].iloc[0] == (
        "ID Inovasi 'DINKES-01' dipakai lebih dari sekali ('DINKES-01' a.xlsx [Inovasi] baris 2; "
        "'DINKES\u200b-01' b.xlsx [Inovasi] baris 2); semua salinan tidak diambil"
    )
    assert len(collection.innovations) == 0


def test_the_templates_short_forms_are_used_without_opds(tmp_path, capsys):
    opd_file = tmp_path / "opd.txt"
    opd_file.write_text("Dinas Kesehatan; Dinkes; DKK\nDinas Sosial\n", encoding="utf-8")
    template = tmp_path / "t.xlsx"
    assert main(["template", "--year", "2026", "--opds", str(opd_file), "--output",
                 str(template)]) == 0  # fmt: skip
    lists = openpyxl.load_workbook(template)["Daftar"]
    titles = {c.value: c.column for c in lists[1] if c.value}
    assert [lists.cell(r, titles["opd"]).value for r in (2, 3, 4)] == [
        "Dinas Kesehatan", "Dinas Sosial", None,
    ]  # fmt: skip
    assert lists.cell(2, titles["opd_singkatan"]).value == "Dinas Kesehatan; Dinkes; DKK"
    folder = tmp_path / "masuk"
    folder.mkdir()
    rows = [{"id": f"D-{i}", "name": f"N {i}", "opd": opd, "levels": levels(i)}
            for i, opd in enumerate(["Dinkes", "dkk", "Dinas Sosial"], start=1)]  # fmt: skip
    fill(template, folder / "a.xlsx", rows, table=TABLE_2026)
    collection = collect(folder, load_methodology(2026))
    assert list(collection.innovations["opd"]) == ["Dinas Kesehatan", "Dinas Kesehatan",
                                                   "Dinas Sosial"]  # fmt: skip
    assert not collection.left_out


def test_a_later_read_knows_the_collected_year(tmp_path, template_2026):
    """Collected under 2026 and read under 2027's rules: the data is still 2026's."""
    folder = tmp_path / "masuk"
    folder.mkdir()
    fill(template_2026, folder / "dinkes.xlsx", five("DINKES", "Dinas Kesehatan"),
         table=TABLE_2026)  # fmt: skip
    out = tmp_path / "keluar"
    assert main(["collect", str(folder), "--year", "2026", "--output-dir", str(out)]) == 0
    region = read_region(
        innovations=out / "innovations_2026.csv", spd=out / "spd_2026.csv", year=2027
    )
    assert region.data_year == 2026


def test_the_applications_spelling_of_a_basic_urusan_is_read_as_the_list_word(
    tmp_path, template_2026
):
    folder = tmp_path / "masuk"
    folder.mkdir()
    rows = five("SATPOL", "Dinas Kesehatan")
    rows[0]["urusan"] = "Ketentraman, Ketertiban umum, dan perlindungan masyarakat"
    rows[1]["urusan"] = "urusan karangan"
    path = fill(template_2026, folder / "a.xlsx", rows, table=TABLE_2026)
    book = openpyxl.load_workbook(path)
    book[SHEET_INNOVATIONS].data_validations.dataValidation = []
    book.save(path)
    collection = collect(folder, load_methodology(2026), lang="en")
    urusan = collection.innovations.set_index("innovation_id")["urusan"]
    assert urusan["SATPOL-01"] == BASIC_URUSAN[4]
    assert urusan["SATPOL-02"] == "urusan karangan"  # kept as written, with a warning
    f = collection.findings.set_index("check")
    assert f.loc["urusan_variant", "severity"] == "info"
    assert f.loc["urusan_variant", "detail"] == (
        "urusan 'Ketentraman, Ketertiban umum, dan perlindungan masyarakat' read as "
        f"'{BASIC_URUSAN[4]}'"
    )
    assert f.loc["unknown_urusan", "severity"] == "warning"
    assert len(collection.innovations) == 5
