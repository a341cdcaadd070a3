"""The collection workbook (template) and reading filled workbooks back (collect).

Expectations are derived independently: level words from the methodology CSV read here with the
csv module, scores from the same data written by hand as CSV, maturity from the hand-typed
weights in conftest.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import INNOVATION_WEIGHTS_2023

from iid_analysis.cli import main
from iid_analysis.collection import reader as reader_module
from iid_analysis.collection.collect import collect
from iid_analysis.collection.quality import write_collection
from iid_analysis.collection.template import (
    SHEET_INNOVATIONS,
    SHEET_LISTS,
    SHEET_SPD,
    build_template,
    innovation_columns,
    write_template,
)
from iid_analysis.config import METHODOLOGY_DIR, RAW_DATA_DIR
from iid_analysis.inputs.dataset import load_innovations, load_spd
from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import score_region
from iid_analysis.workbook_writer import put, workbook_bytes

NUMBERS = tuple(str(n) for n in range(16, 36))
BASIC = (
    "pendidikan",
    "kesehatan",
    "pekerjaan umum dan penataan ruang",
    "perumahan rakyat dan kawasan permukiman",
    "ketenteraman, ketertiban umum dan pelindungan masyarakat",
    "sosial",
)


def csv_levels(table: str) -> dict[str, dict[int, str]]:
    """{indicator: {level: words}} read straight from a methodology CSV."""
    result: dict[str, dict[int, str]] = {}
    with (METHODOLOGY_DIR / table).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            result.setdefault(row["number"], {})[int(row["level"])] = row["level_label_id"]
    return result


def dropdown(table: str, number: str, level: int) -> str:
    """The dropdown item an OPD picks, built from the CSV's words (level 0 of SPD rows, which
    the tables do not list, reads 'tidak diisi')."""
    return f"{level} - {csv_levels(table)[number].get(level, 'tidak diisi')}"


def header_index(sheet) -> dict[str, int]:
    """{header text: column number} of row 1."""
    return {c.value: c.column for c in sheet[1] if c.value is not None}


def indicator_column(sheet, number: str) -> int:
    return next(col for text, col in header_index(sheet).items() if text.startswith(f"{number}. "))


def fill(template: Path, target: Path, innovations, spd=None, table="indicators_2023.csv"):
    """Fill a copy of ``template`` as an OPD would: innovations are dicts with id, name, opd,
    stage, levels ({number: level}) and optionally links ({number: url}), urusan, jenis."""
    book = openpyxl.load_workbook(template)
    sheet = book[SHEET_INNOVATIONS]
    columns = header_index(sheet)
    for offset, item in enumerate(innovations):
        row = 2 + offset
        sheet.cell(row, columns["ID Inovasi"], item["id"])
        sheet.cell(row, columns["Nama Inovasi"], item["name"])
        sheet.cell(row, columns["OPD"], item["opd"])
        sheet.cell(row, columns["Tahapan"], item.get("stage", "penerapan"))
        sheet.cell(row, columns["Status"], item.get("status", "diterima"))
        sheet.cell(row, columns["Urusan"], item.get("urusan", "kesehatan"))
        sheet.cell(row, columns["Jenis"], item.get("jenis", "digital"))
        for number, level in item["levels"].items():
            if level:
                sheet.cell(row, indicator_column(sheet, number), dropdown(table, number, level))
                link = item.get("links", {}).get(number, f"https://bukti.example/{number}")
                sheet.cell(row, columns[f"Tautan bukti {number}"], link)
    spd_sheet = book[SHEET_SPD]
    for number, level in (spd or {}).items():
        for row in range(2, spd_sheet.max_row + 1):
            if spd_sheet.cell(row, 1).value == number:
                spd_sheet.cell(row, 3, dropdown(table, number, level))
                spd_sheet.cell(row, 4, f"100/{number}/2023")
    book.save(target)
    return target


def levels(seed: int) -> dict[str, int]:
    return {n: (seed + i) % 4 for i, n in enumerate(NUMBERS)}


@pytest.fixture(scope="module")
def template_2023(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "iid_2023.xlsx"
    write_template(
        path,
        load_methodology(2023),
        region="Kota Contoh",
        opds=("Dinas Kesehatan", "Dinas Pendidikan", "Dinas Sosial"),
        rows=50,
    )
    return path


SPD_LEVELS = {"1": 3, "2a": 2, "8": 3, "12": 1}
OPD_A = [
    {"id": "DINKES-01", "name": "Posyandu Digital", "opd": "Dinas Kesehatan", "levels": levels(1)},
    {"id": "DINKES-02", "name": "Ambulans Desa", "opd": "Dinas Kesehatan", "levels": levels(2),
     "stage": "uji coba"},
]  # fmt: skip
OPD_B = [
    {"id": "DISDIK-01", "name": "Rapor Daring", "opd": "Dinas Pendidikan", "levels": levels(3),
     "status": "ditolak", "urusan": "pendidikan"},
    {"id": "DISDIK-02", "name": "Guru Kunjung", "opd": "Dinas Pendidikan", "levels": levels(0),
     "urusan": "pendidikan", "jenis": "non digital"},
    {"id": "DISDIK-03", "name": "Perpustakaan Keliling", "opd": "Dinas Pendidikan",
     "levels": levels(5), "urusan": "perpustakaan"},
]  # fmt: skip
OPD_C = [
    {"id": "DINSOS-01", "name": "Bansos Tepat", "opd": "Dinas Sosial", "levels": levels(6),
     "urusan": "sosial"},
    {"id": "DINSOS-02", "name": "Kartu Lansia", "opd": "Dinas Sosial", "levels": levels(7),
     "urusan": "sosial"},
]  # fmt: skip


@pytest.fixture()
def three_opds(tmp_path, template_2023) -> Path:
    """A folder with three OPD workbooks; Dinas Sosial's has two bad cells."""
    folder = tmp_path / "masuk"
    folder.mkdir()
    fill(template_2023, folder / "dinkes.xlsx", OPD_A, spd=SPD_LEVELS)
    fill(template_2023, folder / "disdik.xlsx", OPD_B)
    bad = fill(template_2023, folder / "dinsos.xlsx", OPD_C)
    book = openpyxl.load_workbook(bad)
    sheet = book[SHEET_INNOVATIONS]
    book[SHEET_INNOVATIONS].data_validations.dataValidation = []  # the OPD deleted the dropdowns
    sheet.cell(3, indicator_column(sheet, "21"), "tiga")
    sheet.cell(2, header_index(sheet)["Tahapan"], "selesai")
    book.save(bad)
    return folder


@pytest.fixture(params=["direct", "openpyxl"])
def reader(request, monkeypatch):
    """Run a test through both workbook readers of collect (the direct XML one, the default,
    and the package's openpyxl helpers it falls back to): they must agree."""
    if request.param == "openpyxl":
        monkeypatch.setattr(reader_module, "open_fast", reader_module.OpenpyxlWorkbook)
    return request.param


# --- template ---------------------------------------------------------------------------------


def _validations(sheet) -> list[tuple[str, object]]:
    return [(str(v.sqref), v) for v in sheet.data_validations.dataValidation]


def _list_items(book, formula: str) -> list[str]:
    sheet_name, cells = formula.split("!")
    sheet = book[sheet_name.strip("'")]
    return [c[0].value for c in sheet[cells.replace("$", "")]]


@pytest.mark.parametrize(
    ("year", "table"),
    [(2023, "indicators_2023.csv"), (2025, "indicators_2023.csv"), (2026, "indicators_2026.csv")],
)
def test_template_dropdowns_hold_each_indicators_level_words(tmp_path, year, table):
    path = write_template(tmp_path / "t.xlsx", load_methodology(year), rows=40)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Petunjuk", SHEET_SPD, SHEET_INNOVATIONS, SHEET_LISTS]
    assert book[SHEET_LISTS].sheet_state == "hidden"
    words = csv_levels(table)

    inov = book[SHEET_INNOVATIONS]
    by_range = dict(_validations(inov))
    for number in NUMBERS:
        letter = openpyxl.utils.get_column_letter(indicator_column(inov, number))
        validation = by_range[f"{letter}2:{letter}41"]
        assert validation.type == "list"
        assert validation.showErrorMessage and validation.errorStyle in (None, "stop")
        expected = [f"{lv} - {words[number][lv]}" for lv in range(4)]
        assert _list_items(book, validation.formula1) == expected

    spd = book[SHEET_SPD]
    spd_ranges = dict(_validations(spd))
    spd_numbers = [n for n in words if not n.isdigit() or int(n) <= 15]
    for row in range(2, 2 + len(spd_numbers)):
        number = spd.cell(row, 1).value
        validation = spd_ranges[f"C{row}"]
        expected = [f"{lv} - {words[number].get(lv, 'tidak diisi')}" for lv in range(4)]
        assert _list_items(book, validation.formula1) == expected
    assert [spd.cell(1, c).value for c in range(4, 8)] == [
        "Nomor surat", "Tanggal surat", "Tentang", "Tautan",
    ]  # fmt: skip


def test_template_profile_dropdowns(template_2023):
    book = openpyxl.load_workbook(template_2023)
    inov = book[SHEET_INNOVATIONS]
    columns = header_index(inov)
    by_range = dict(_validations(inov))

    def items(header):
        letter = openpyxl.utils.get_column_letter(columns[header])
        return _list_items(book, by_range[f"{letter}2:{letter}51"].formula1)

    assert items("Tahapan") == ["inisiatif", "uji coba", "penerapan"]
    assert items("Jenis") == ["digital", "non digital"]
    assert items("OPD") == ["Dinas Kesehatan", "Dinas Pendidikan", "Dinas Sosial"]
    urusan = items("Urusan")
    assert urusan[:6] == list(BASIC)
    # UU 23/2014: 6 basic-service, 18 other mandatory and 8 optional urusan; then the 6
    # supporting functions of the IID application's urusan table (riswandiii/iga,
    # database/inovasi_db.sql, ids 33-38), typed here from that table.
    assert len(urusan) == 38 and len(set(urusan)) == 38
    assert urusan[32:] == [
        "perencanaan", "keuangan", "kepegawaian", "pendidikan dan pelatihan",
        "penelitian dan pengembangan",
        "fungsi lain sesuai dengan ketentuan peraturan perundang-undangan",
    ]  # fmt: skip
    assert {"pariwisata", "perpustakaan", "transmigrasi", "penanaman modal"} <= set(urusan)
    for number in NUMBERS:
        assert f"Tautan bukti {number}" in columns


def test_template_refuses_a_year_without_indicator_table(tmp_path):
    assert main(["template", "--year", "2021", "--output", str(tmp_path / "t.xlsx")]) == 2
    assert not (tmp_path / "t.xlsx").exists()


def test_template_cli_with_opd_list(tmp_path, capsys):
    opds = tmp_path / "opd.txt"
    opds.write_text("Dinas A\n\nDinas B\nDinas A\n", encoding="utf-8")
    out = tmp_path / "t.xlsx"
    code = main(["template", "--year", "2026", "--region", "Kota X", "--opds", str(opds),
                 "--output", str(out)])  # fmt: skip
    assert code == 0
    book = openpyxl.load_workbook(out)
    assert "Kota X" in book["Petunjuk"]["A1"].value
    lists = book[SHEET_LISTS]
    column = next(c for c in lists[1] if c.value == "opd").column
    assert [lists.cell(r, column).value for r in (2, 3, 4)] == ["Dinas A", "Dinas B", None]


# --- collect ----------------------------------------------------------------------------------


def _as_csv(tmp_path, items, spd) -> tuple[Path, Path]:
    """The same data written by hand in the package's CSV input format."""
    rows = []
    for item in items:
        row = {"innovation_id": item["id"], "name": item["name"], "opd": item["opd"],
               "stage": item.get("stage", "penerapan"), "status": item.get("status", "diterima"),
               "urusan": item.get("urusan", "kesehatan")}  # fmt: skip
        row.update(item["levels"])
        rows.append(row)
    innovations = tmp_path / "hand_innovations.csv"
    pd.DataFrame(rows).to_csv(innovations, index=False)
    spd_path = tmp_path / "hand_spd.csv"
    spd_frame = pd.DataFrame({"indicator": list(spd), "level": list(spd.values())})
    spd_frame.to_csv(spd_path, index=False)
    return spd_path, innovations


def test_collect_three_opds_one_bad(tmp_path, three_opds, capsys, reader):
    out = tmp_path / "keluar"
    code = main(["collect", str(three_opds), "--year", "2023", "--output-dir", str(out)])
    assert code == 1  # Dinas Sosial's workbook is left out
    printed = capsys.readouterr().out
    assert "dinsos.xlsx" in printed

    methodology = load_methodology(2023)
    spd = load_spd(out / "spd_2023.csv", methodology)
    innovations = load_innovations(out / "innovations_2023.csv", methodology)
    assert sorted(innovations["innovation_id"]) == [
        "DINKES-01", "DINKES-02", "DISDIK-01", "DISDIK-02", "DISDIK-03",
    ]  # fmt: skip

    hand_spd, hand_innovations = _as_csv(tmp_path, OPD_A + OPD_B, SPD_LEVELS)
    expected = score_region(
        load_spd(hand_spd, methodology), load_innovations(hand_innovations, methodology),
        methodology,
    )  # fmt: skip
    assert score_region(spd, innovations, methodology) == expected
    # And by hand: maturity = sum of weight x level over accepted innovations.
    accepted = [i for i in OPD_A + OPD_B if i.get("status", "diterima") == "diterima"]
    maturity = sum(
        INNOVATION_WEIGHTS_2023[n] * lv for i in accepted for n, lv in i["levels"].items()
    )
    assert expected.maturity_sum == pytest.approx(maturity)
    assert expected.n_innovations == 5

    # Extra columns carried through for the worklist.
    merged = pd.read_csv(out / "innovations_2023.csv", dtype=str, keep_default_na=False)
    assert {"urusan", "jenis", "evidence_link_16", "source_file", "source_row"} <= set(merged)
    row = merged.set_index("innovation_id").loc["DISDIK-02"]
    assert (row["urusan"], row["jenis"]) == ("pendidikan", "non digital")
    assert row["evidence_link_17"] == "https://bukti.example/17"
    spd_out = pd.read_csv(out / "spd_2023.csv", dtype=str, keep_default_na=False)
    assert spd_out.set_index("indicator").loc["8", "evidence_nomor_surat"] == "100/8/2023"

    # The quality report goes back to the OPDs: in Indonesian by default.
    quality = pd.read_csv(out / "quality_2023.csv", dtype=str, keep_default_na=False)
    bad = quality[(quality["berkas"] == "dinsos.xlsx") & (quality["tingkat"] == "kesalahan")]
    assert set(bad["tindakan"]) == {"baris tidak diambil"}
    located = set(zip(bad["lembar"], bad["baris"], bad["pemeriksaan"], bad["sel"], strict=True))
    col_21 = openpyxl.utils.get_column_letter(
        indicator_column(openpyxl.load_workbook(three_opds / "dinsos.xlsx")[SHEET_INNOVATIONS],
                         "21")
    )  # fmt: skip
    assert ("Inovasi", "3", "invalid_level", f"{col_21}3") in located
    assert ("Inovasi", "2", "unknown_stage", "D2") in located
    summary = pd.read_csv(out / "quality_summary_2023.csv", keep_default_na=False)
    sosial = summary.set_index("opd").loc["Dinas Sosial"]
    assert (sosial["inovasi_diambil"], sosial["inovasi_tidak_diambil"]) == (0, 2)
    assert summary.set_index("opd").loc["Dinas Pendidikan", "inovasi_diambil"] == 3


def test_strict_writes_no_merged_data(tmp_path, three_opds):
    out = tmp_path / "keluar"
    code = main(["collect", str(three_opds), "--year", "2023", "--output-dir", str(out),
                 "--strict"])  # fmt: skip
    assert code == 2
    assert not (out / "innovations_2023.csv").exists()
    assert (out / "quality_2023.csv").exists()


def test_all_good_exits_0_and_strict_passes(tmp_path, three_opds):
    (three_opds / "dinsos.xlsx").unlink()
    out = tmp_path / "keluar"
    args = ["collect", str(three_opds), "--year", "2023", "--output-dir", str(out), "--strict"]
    assert main(args) == 0
    assert (out / "innovations_2023.csv").exists()


def test_output_dir_in_raw_data_is_refused(three_opds):
    args = ["collect", str(three_opds), "--year", "2023", "--output-dir", str(RAW_DATA_DIR)]
    before = sorted(p.name for p in RAW_DATA_DIR.iterdir())
    assert main(args) == 2
    assert sorted(p.name for p in RAW_DATA_DIR.iterdir()) == before


# --- what a real folder holds -----------------------------------------------------------------


def _one_good_and(tmp_path, template, name, mutate) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    fill(template, folder / "dinkes.xlsx", OPD_A)
    target = folder / name
    if mutate is not None:
        fill(template, target, OPD_B)
        book = openpyxl.load_workbook(target)
        mutate(book)
        book.save(target)
    return folder


def _merge(book):
    sheet = book[SHEET_INNOVATIONS]
    sheet.merge_cells("C2:C4")  # the same OPD for three rows, typed once


def _formula(book):
    sheet = book[SHEET_INNOVATIONS]
    sheet.cell(3, indicator_column(sheet, "18"), "=1+2")  # saved by a program: no value


def _date(book):
    sheet = book[SHEET_INNOVATIONS]
    sheet.cell(2, indicator_column(sheet, "20"), dt.datetime(2025, 3, 1))


def _hidden(book):
    book[SHEET_INNOVATIONS].sheet_state = "hidden"


def _tiga(book):
    sheet = book[SHEET_INNOVATIONS]
    sheet.data_validations.dataValidation = []
    sheet.cell(4, indicator_column(sheet, "35"), "tiga")


def _second_header(book):
    sheet = book[SHEET_INNOVATIONS]
    sheet.insert_rows(2)
    for cell in sheet[1]:
        sheet.cell(2, cell.column, cell.value)


def _numbering_row(book):
    sheet = book[SHEET_INNOVATIONS]
    sheet.insert_rows(2)
    for column in range(1, 10):
        sheet.cell(2, column, f"({column})")


@pytest.mark.parametrize(
    ("mutate", "check", "where"),
    [
        (_merge, "merged_cells", "C2:C4"),
        (_formula, "formula_without_value", "3"),
        (_hidden, "hidden_sheet", ""),
        (_second_header, "second_header_row", "2"),
        (_numbering_row, "second_header_row", "2"),
    ],
)
def test_a_bad_workbook_is_reported_and_left_out(
    tmp_path, template_2023, mutate, check, where, reader
):
    folder = _one_good_and(tmp_path, template_2023, "disdik.xlsx", mutate)
    collection = collect(folder, load_methodology(2023))
    assert collection.left_out
    assert sorted(collection.innovations["innovation_id"]) == ["DINKES-01", "DINKES-02"]
    errors = collection.findings[
        (collection.findings["file"] == "disdik.xlsx") & (collection.findings["check"] == check)
    ]
    assert len(errors) >= 1, collection.findings.to_string()
    first = errors.iloc[0]
    assert where in (str(first["row"]) + " " + first["cell"])
    assert first["action"] == "file left out"
    if check != "hidden_sheet":
        assert first["sheet"] == SHEET_INNOVATIONS


@pytest.mark.parametrize(("mutate", "row"), [(_date, 2), (_tiga, 4)])
def test_a_bad_cell_leaves_out_its_row_only(tmp_path, template_2023, mutate, row, reader):
    """disdik.xlsx holds DISDIK-01..03 on rows 2..4; one bad level cell leaves that row out."""
    folder = _one_good_and(tmp_path, template_2023, "disdik.xlsx", mutate)
    collection = collect(folder, load_methodology(2023), lang="en")
    assert collection.left_out
    expected = {"DINKES-01", "DINKES-02", "DISDIK-01", "DISDIK-02", "DISDIK-03"}
    expected.discard(OPD_B[row - 2]["id"])
    assert set(collection.innovations["innovation_id"]) == expected
    errors = collection.findings[collection.findings["severity"] == "error"]
    where = zip(errors["file"], errors["row"], errors["check"], errors["action"], strict=True)
    assert list(where) == [("disdik.xlsx", row, "invalid_level", "row left out")]
    if mutate is _date:
        assert "date 2025-03-01" in errors["detail"].iloc[0]


def test_not_a_workbook_and_other_files(tmp_path, template_2023, reader):
    folder = _one_good_and(tmp_path, template_2023, "x", None)
    (folder / "rekap.xlsx").write_text("Nama,OPD\nA,B\n", encoding="utf-8")
    (folder / "catatan.txt").write_text("bukan data", encoding="utf-8")
    (folder / "~$dinkes.xlsx").write_bytes(b"lock")
    collection = collect(folder, load_methodology(2023))
    findings = collection.findings.set_index("file")
    assert findings.loc["rekap.xlsx", "check"] == "unreadable_file"
    assert findings.loc["rekap.xlsx", "action"] == "file left out"
    assert findings.loc["catatan.txt", "severity"] == "info"
    assert "~$dinkes.xlsx" not in findings.index
    assert len(collection.innovations) == 2


def test_hidden_extra_sheet_is_ignored(tmp_path, template_2023, reader):
    def stale_copy(book):
        old = book.copy_worksheet(book[SHEET_INNOVATIONS])
        old.title = "Inovasi lama"
        old.sheet_state = "hidden"

    folder = _one_good_and(tmp_path, template_2023, "disdik.xlsx", stale_copy)
    collection = collect(folder, load_methodology(2023))
    assert not collection.left_out
    assert len(collection.innovations) == 5
    note = collection.findings[collection.findings["check"] == "other_sheet"]
    assert note["detail"].iloc[0] == "lembar tersembunyi 'Inovasi lama' tidak dibaca"


def test_quality_checks(tmp_path, template_2023, reader):
    folder = tmp_path / "in"
    folder.mkdir()
    no_link = dict(levels(1))
    fill(template_2023, folder / "a.xlsx", [
        {"id": "X-1", "name": "Sama", "opd": "Dinas Kesehatan", "levels": levels(1)},
        {"id": "X-2", "name": "Dini", "opd": "Dinas Kesehatan", "stage": "inisiatif",
         "levels": {n: (2 if n in ("29", "33") else 0) for n in NUMBERS}},
        {"id": "X-3", "name": "Tanpa bukti", "opd": "Dinas Kesehatan", "levels": no_link,
         "links": dict.fromkeys(NUMBERS, None)},
    ])  # fmt: skip
    fill(template_2023, folder / "b.xlsx", [
        {"id": "X-1", "name": "Lain", "opd": "Dinas Pendidikan", "levels": levels(2)},
        {"id": "Y-1", "name": "sama ", "opd": "Dinas Rahasia", "levels": levels(3)},
        {"id": "Y-2", "name": "Kosong", "opd": "Dinas Pendidikan", "levels": {}},
    ], spd={"1": 2})  # fmt: skip
    fill(template_2023, folder / "c.xlsx", [], spd={"1": 3})
    # an empty row between innovations
    book = openpyxl.load_workbook(folder / "b.xlsx")
    book[SHEET_INNOVATIONS].insert_rows(3)
    book.save(folder / "b.xlsx")

    collection = collect(
        folder, load_methodology(2023), opds=("Dinas Kesehatan", "Dinas Pendidikan")
    )
    f = collection.findings
    by_check = {c: f[f["check"] == c] for c in f["check"].unique()}
    # The same id in two OPDs: every copy left out.
    assert set(zip(by_check["duplicate_id"]["file"], by_check["duplicate_id"]["row"],
                   strict=True)) == {("a.xlsx", 2), ("b.xlsx", 2)}  # fmt: skip
    assert "X-1" not in set(collection.innovations["innovation_id"])
    assert set(by_check["duplicate_name"]["file"]) == {"a.xlsx", "b.xlsx"}
    early = by_check["inisiatif_with_implementation_levels"]
    assert list(early["row"]) == [3] and "29, 33" in early["detail"].iloc[0]
    missing = by_check["level_without_evidence"]
    assert list(missing[missing["file"] == "a.xlsx"]["row"]) == [4]
    assert list(by_check["unknown_opd"]["opd"]) == ["Dinas Rahasia"]
    assert list(by_check["empty_row"]["row"]) == [3]
    assert list(by_check["no_levels"]["row"]) == [5]
    # Two SPD answers for indicator 1 that differ: left out, scores 0.
    assert set(by_check["spd_conflict"]["file"]) == {"b.xlsx", "c.xlsx"}
    assert collection.spd.set_index("indicator").loc["1", "level"] == 0
    written = write_collection(collection, tmp_path / "out")
    assert set(written) == {"spd", "innovations", "quality", "summary"}


def test_workbook_of_another_year_is_left_out(tmp_path, template_2023):
    folder = _one_good_and(tmp_path, template_2023, "x", None)
    collection = collect(folder, load_methodology(2024))  # 2024 uses the 2023 table...
    assert collection.findings["check"].eq("workbook_year").any()  # ...but was not its template
    shutil.rmtree(folder)


def test_template_never_writes_raw_data_or_over_an_input(tmp_path):
    target = RAW_DATA_DIR / "template.xlsx"
    assert main(["template", "--year", "2023", "--output", str(target)]) == 2
    assert not target.exists()
    opds = tmp_path / "opd.xlsx"
    opds.write_bytes(b"not touched")
    assert main(["template", "--year", "2023", "--opds", str(opds), "--output", str(opds)]) == 2
    assert opds.read_bytes() == b"not touched"


def test_collect_usage_errors_exit_2(tmp_path, capsys):
    out = str(tmp_path / "out")
    assert main(["collect", str(tmp_path / "missing"), "--year", "2023", "--output-dir", out]) == 2
    assert main(["collect", str(tmp_path), "--year", "2021", "--output-dir", out]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 2 and all(e.startswith("iid-analysis collect: error:") for e in errors)


def test_evidence_date_reads_as_a_date_in_both_readers(tmp_path, template_2023, reader):
    folder = tmp_path / "in"
    folder.mkdir()
    path = fill(template_2023, folder / "bappeda.xlsx", [], spd={"8": 3})
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET_SPD]
    row_8 = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "8")
    sheet.cell(row_8, 5, dt.datetime(2025, 8, 17))  # Tanggal surat, typed as a date
    book.save(path)
    collection = collect(folder, load_methodology(2023))
    row = collection.spd.set_index("indicator").loc["8"]
    assert (row["level"], row["evidence_tanggal"]) == (3, "2025-08-17")


def test_collect_reads_the_template_as_written(tmp_path, reader):
    """The template as the package's writer writes it, filled in the same workbook before it is
    closed (no other program saves it again): both readers of collect take its year, headers,
    dropdown words and rows, and the scores equal those of the same data written by hand."""
    methodology = load_methodology(2023)
    book = build_template(methodology, region="Kota Contoh", rows=20,
                          opds=("Dinas Kesehatan", "Dinas Pendidikan"))  # fmt: skip
    sheets = {sheet.title: sheet for sheet in book.sheets}
    column = {c.key: i for i, c in enumerate(innovation_columns(methodology), start=1)}
    profile = {"innovation_id": "id", "name": "name", "opd": "opd"}
    items = OPD_A + OPD_B[:2]
    for row, item in enumerate(items, start=2):
        values = {key: item[field] for key, field in profile.items()} | {
            "stage": item.get("stage", "penerapan"), "status": item.get("status", "diterima"),
            "urusan": item.get("urusan", "kesehatan"), "jenis": item.get("jenis", "digital")}
        for key, value in values.items():
            put(sheets[SHEET_INNOVATIONS], row, column[key], value)
        for number, level in item["levels"].items():
            if level:
                words = dropdown("indicators_2023.csv", number, level)
                put(sheets[SHEET_INNOVATIONS], row, column[number], words)
                put(sheets[SHEET_INNOVATIONS], row, column[f"evidence_link_{number}"],
                    f"https://bukti.example/{number}")  # fmt: skip
    spd_rows = {i.number: r for r, i in enumerate(methodology.spd_indicators, start=2)}
    for number, level in SPD_LEVELS.items():
        put(sheets[SHEET_SPD], spd_rows[number], 3, dropdown("indicators_2023.csv", number, level))
    folder = tmp_path / "masuk"
    folder.mkdir()
    (folder / "semua.xlsx").write_bytes(workbook_bytes(book))
    out = tmp_path / "keluar"
    assert main(["collect", str(folder), "--year", "2023", "--output-dir", str(out)]) == 0
    spd = load_spd(out / "spd_2023.csv", methodology)
    innovations = load_innovations(out / "innovations_2023.csv", methodology)
    assert sorted(innovations["innovation_id"]) == sorted(i["id"] for i in items)
    hand_spd, hand_innovations = _as_csv(tmp_path, items, SPD_LEVELS)
    hand = (load_spd(hand_spd, methodology), load_innovations(hand_innovations, methodology))
    expected = score_region(*hand, methodology)
    assert score_region(spd, innovations, methodology) == expected
