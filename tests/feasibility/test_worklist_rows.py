"""The worklist an OPD head works from, checked on a hand-built plan of three actions and one
evidence check: exactly these rows, these headers, these sheets, and typed text only."""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml
from openpyxl.worksheet.cell_range import MultiCellRange

from iid_analysis.catalogue import __file__ as catalogue_init
from iid_analysis.feasibility.actions import Action, add_innovation, raise_level
from iid_analysis.feasibility.lists import NextYearStep
from iid_analysis.feasibility.worklist import (
    read_worklist,
    sheet_names,
    worklist_actions,
    worklist_workbook_bytes,
    write_worklist,
)
from iid_analysis.inputs.region import Region
from iid_analysis.methodology import load_methodology

SHEETS_ID = ["Ringkasan", "Semua aksi", "Periksa dan unggah bukti"]
ACTION_HEADERS_ID = [
    "No.", "OPD", "Yang dikerjakan", "ID inovasi", "Nama inovasi", "Indikator",
    "Nama indikator", "Dari level", "Ke level", "Bukti yang diperlukan (kata-kata metodologi)",
    "Bukti yang sudah ada", "Urusan", "Upaya (hari kerja)", "Lama pengerjaan (minggu)",
    "Mulai paling lambat", "Selesai jika mulai sekarang", "Kenaikan IID", "Penanggung jawab",
    "Status", "Tautan bukti",
]  # fmt: skip


def TimedAction(**fields) -> Action:  # noqa: N802 - reads like the class it builds
    """An action with the plan's calendar fields (change class, lead time, deadline): the
    plan's Action carries them itself."""
    return Action(**fields)


@dataclass(frozen=True)
class Check:
    indicator: str
    innovation_id: str
    opd: str
    from_level: int
    to_level: int
    iid_gain: float
    chance: float


@pytest.fixture(scope="module")
def methodology():
    return load_methodology(2024)


@pytest.fixture(scope="module")
def region(methodology):
    frame = pd.DataFrame({"innovation_id": ["A1", "A2"], "name": ["Layanan Cepat", "=1+1"],
                          "opd": ["Dinas A", "Dinas B"], "stage": "penerapan",
                          "status": "diterima"})  # fmt: skip
    for number in methodology.innovation_numbers:
        frame[number] = np.ones(2, dtype=int)
    frame["evidence_link_16"] = ["https://contoh.id/sk-16", ""]
    spd = pd.DataFrame({"indicator": list(methodology.spd_numbers), "level": 1})
    return Region.from_frames(spd, frame, methodology, name="Kota Contoh")


def label(methodology, indicator, level):
    return {e.level: e.label for e in methodology.indicator(indicator).levels}[level]


@pytest.fixture(scope="module")
def plan(methodology):
    new_levels = dict.fromkeys(methodology.innovation_numbers, 0) | {"16": 1, "35": 2}
    base_new = add_innovation("N1", "=Dinas Rumus", new_levels)
    actions = (
        TimedAction(**{**raise_level("16", 1, 2, "A1", "Dinas A").__dict__, "cost": 3.0,
                       "iid_gain": 0.123456, "change": "regional_head_decree",
                       "lead_weeks": 6, "start_by": "2027-07-12", "deadline": "2027-04-12"}),
        TimedAction(**{**raise_level("1", 1, 2).__dict__, "cost": 2.0, "iid_gain": 0.5,
                       "change": "plan_document", "lead_weeks": 4, "start_by": "2027-07-26",
                       "deadline": "2027-03-29"}),
        TimedAction(**{**base_new.__dict__, "cost": 60.0, "iid_gain": 1.004999,
                       "lead_weeks": 12, "start_by": "2027-05-31", "deadline": "2027-05-24"}),
    )  # fmt: skip
    calendar = SimpleNamespace(
        as_of=datetime.date(2027, 3, 1),
        window=SimpleNamespace(opens=datetime.date(2027, 6, 20),
                               closes=datetime.date(2027, 8, 23)),
        weeks_remaining=25,
    )  # fmt: skip
    return SimpleNamespace(actions=actions, evidence=(Check("17", "A2", "Dinas B", 1, 2, 0.25,
                                                            0.2),),
                           target=90.0, iid_before=84.46, iid_after=86.1, total_cost=65.0,
                           calendar=calendar)  # fmt: skip


def book_of(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_three_actions_give_exactly_these_rows(region, plan, methodology):
    book = book_of(worklist_workbook_bytes(region, plan))
    assert book.sheetnames[:3] == SHEETS_ID and book.sheetnames[-1] == "Tentang"
    table = rows(book["Semua aksi"])
    assert table[0] == ACTION_HEADERS_ID
    new_words = "\n".join([
        f"16. {methodology.indicator('16').name_id}: level 1 ({label(methodology, '16', 1)})",
        f"35. {methodology.indicator('35').name_id}: level 2 ({label(methodology, '35', 2)})",
    ])  # fmt: skip
    day = datetime.datetime
    expected = [
        # sorted by OPD: "=Dinas Rumus" < "Dinas A" < "Pemerintah daerah (SPD)"
        [3, "=Dinas Rumus", "Buat inovasi baru (rancang, tetapkan dengan SK, uji coba, terapkan)",
         "N1", None, None, None, None, None, new_words, None, None, 60, 12, day(2027, 5, 31),
         day(2027, 5, 24), 1.0, None, None, None],
        [1, "Dinas A", "Siapkan SK kepala daerah", "A1", "Layanan Cepat", "16",
         methodology.indicator("16").name_id, 1, 2, label(methodology, "16", 2),
         "https://contoh.id/sk-16", None, 3, 6, day(2027, 7, 12), day(2027, 4, 12), 0.12, None,
         None, None],
        [2, "Pemerintah daerah (SPD)", "Siapkan dokumen perencanaan", None, None, "1",
         methodology.indicator("1").name_id, 1, 2, label(methodology, "1", 2), None, None, 2,
         4, day(2027, 7, 26), day(2027, 3, 29), 0.5, None, None, None],
    ]  # fmt: skip
    assert table[1:] == expected
    sheet = book["Semua aksi"]
    assert sheet["Q2"].number_format == "0.00" and sheet["O2"].number_format == "yyyy-mm-dd"
    (status,) = sheet.data_validations.dataValidation
    assert str(status.sqref) == "S2:S4"
    assert status.formula1 == '"Belum mulai,Sedang dikerjakan,Selesai,Tertunda"'


def test_evidence_checks_have_their_own_sheet_and_are_not_actions(region, plan, methodology):
    book = book_of(worklist_workbook_bytes(region, plan))
    table = rows(book["Periksa dan unggah bukti"])
    assert len(table) == 2
    record = dict(zip(table[0], table[1], strict=True))
    assert record["OPD"] == "Dinas B" and record["ID inovasi"] == "A2"
    assert record["Nama inovasi"] == "=1+1"
    assert record["Dari level"] == 1 and record["Ke level"] == 2
    assert record["Bukti yang diperlukan (kata-kata metodologi)"] == label(methodology, "17", 2)
    assert record["Kenaikan IID jika benar"] == 0.25 and record["Peluang benar"] == 0.2
    assert record["Yang dikerjakan"].startswith("Periksa apakah level 2 sudah benar")
    assert record["Penanggung jawab"] is None and record["Status"] is None
    assert "A2" not in {r[3] for r in rows(book["Semua aksi"])[1:]}
    (status,) = book["Periksa dan unggah bukti"].data_validations.dataValidation
    assert "Belum diperiksa" in status.formula1


def test_summary_has_percent_shares_two_decimal_gains_and_a_total(region, plan):
    book = book_of(worklist_workbook_bytes(region, plan))
    table = rows(book["Ringkasan"])
    header, body, total = table[0], table[1:-1], table[-1]
    assert "_" not in "".join(header)
    by_opd = {r[0]: dict(zip(header, r, strict=True)) for r in body}
    # most effort first: the new innovation (60), Dinas A (3), the SPD (2); Dinas B only checks
    assert [r[0] for r in body] == ["=Dinas Rumus", "Dinas A", "Pemerintah daerah (SPD)",
                                    "Dinas B"]  # fmt: skip
    assert by_opd["Dinas A"]["Porsi upaya"] == pytest.approx(3 / 65)
    assert by_opd["Dinas B"]["Bukti diperiksa"] == 1 and by_opd["Dinas B"]["Jumlah aksi"] == 0
    assert total[0] == "Jumlah" and total[header.index("Upaya (hari kerja)")] == 65
    assert total[header.index("Kenaikan IID")] == round(0.123456 + 0.5 + 1.004999, 2)
    share = book["Ringkasan"].cell(row=2, column=header.index("Porsi upaya") + 1)
    assert share.number_format == "0%"


def test_one_sheet_per_opd_with_only_its_actions(region, plan):
    book = book_of(worklist_workbook_bytes(region, plan))
    assert book.sheetnames[3:-1] == ["=Dinas Rumus", "Dinas A", "Pemerintah daerah (SPD)"]
    for name in book.sheetnames[3:-1]:
        body = rows(book[name])[1:]
        assert {r[1] for r in body} == {name}


def test_about_names_the_region_target_and_calendar(region, plan):
    about = dict(rows(book_of(worklist_workbook_bytes(region, plan))["Tentang"])[1:])
    assert about["Daerah"] == "Kota Contoh"
    assert about["Target IID"] == 90 and about["Minggu tersisa sampai jendela ditutup"] == 25
    assert about["Jendela pengisian data"] == "2027-06-20 sampai 2027-08-23"


def test_no_cell_is_a_formula_and_formula_like_text_is_kept(region, plan):
    book = book_of(worklist_workbook_bytes(region, plan))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"


def test_the_file_and_the_report_download_are_the_same_bytes(region, plan, tmp_path):
    paths = write_worklist(tmp_path / "aksi.xlsx", region, plan)
    assert paths[0].read_bytes() == worklist_workbook_bytes(region, plan)
    back = read_worklist(paths[1])
    assert [(a.kind, a.innovation_id, a.indicator, a.from_level, a.to_level)
            for a in worklist_actions(back)] == [
        (a.kind, a.innovation_id, a.indicator, a.from_level, a.to_level) for a in plan.actions
    ]  # fmt: skip
    assert list(back["iid_gain"]) == [1.0, 0.12, 0.5]  # rows by OPD; gains to 2 decimals


def test_english_on_request(region, plan):
    book = book_of(worklist_workbook_bytes(region, plan, lang="en"))
    assert book.sheetnames[:3] == ["Summary", "All actions", "Check and upload evidence"]
    header = rows(book["All actions"])[0]
    assert header[:3] == ["No.", "OPD", "What to do"] and "Person in charge" in header
    assert rows(book["All actions"])[2][2] == "Prepare: decree of the head of region"


def test_both_catalogues_have_the_same_keys():
    folder = __import__("pathlib").Path(catalogue_init).parent

    def keys(tree, prefix=""):
        for key, value in tree.items():
            if isinstance(value, dict):
                yield from keys(value, f"{prefix}{key}.")
            else:
                yield f"{prefix}{key}"

    texts = {lang: yaml.safe_load((folder / f"worklist.{lang}.yaml").read_text("utf-8"))
             for lang in ("id", "en")}  # fmt: skip
    assert set(keys(texts["id"])) == set(keys(texts["en"]))


def test_sheet_names_are_cut_at_words_and_unique():
    names = sheet_names(
        ["Dinas Komunikasi dan Informatika Kota Mojokerto",
         "Dinas Komunikasi dan Informatika Kota Mojokerto (lama)",
         "Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana",
         "Badan Perencanaan Pembangunan Daerah  ", "A/B: C?", "ringkasan",
         "Supercalifragilisticexpialidocious-Kabupaten"],
        reserved=["Ringkasan"],
    )  # fmt: skip
    assert names[:4] == ["Dinas Komunikasi", "Dinas Komunikasi (2)",
                         "Dinas Kesehatan, Pengendalian", "Badan Perencanaan Pembangunan"]
    assert names[4] == "A B C" and names[5] == "ringkasan (2)"
    assert len(names[6]) == 31
    assert all(len(n) <= 31 and n == n.strip() for n in names)
    assert len({n.lower() for n in names}) == len(names)


def test_steps_for_next_year_are_listed_apart_with_their_value(region, plan, methodology):
    later = (NextYearStep("35", 3, "video", 30.0, 5.0, 2, 0.3333),
             NextYearStep("", 0, "new_innovation", 40.0, 60.0, 1, 0.9))  # fmt: skip
    with_later = SimpleNamespace(**{**plan.__dict__, "next_year": later})
    book = book_of(worklist_workbook_bytes(region, with_later))
    assert book.sheetnames[-2:] == ["Untuk tahun depan", "Tentang"]
    table = rows(book["Untuk tahun depan"])
    assert table[0][0] == "Yang dikerjakan" and "Status" not in table[0]
    assert table[1:] == [
        ["Buat inovasi baru (rancang, tetapkan dengan SK, uji coba, terapkan)", None, None,
         None, None, 1, 60, 40, 0.9],
        ["Siapkan video inovasi", "35", methodology.indicator("35").name_id, 3,
         label(methodology, "35", 3), 2, 5, 30, 0.33],
    ]  # fmt: skip
    assert len(rows(book["Semua aksi"])) == 1 + len(plan.actions)


def test_written_worklist_has_no_formula_and_a_status_list_on_every_action_sheet(
    region, plan, tmp_path
):
    """The file ``plan --worklist`` writes, opened with openpyxl and read as XML: no formula
    anywhere, formula-like text quote-prefixed, and each sheet of actions (all actions and one
    per OPD) restricts its whole status column to the four statuses."""
    path = tmp_path / "worklist.xlsx"
    write_worklist(path, region, plan)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    book = openpyxl.load_workbook(path)
    statuses = '"Belum mulai,Sedang dikerjakan,Selesai,Tertunda"'
    status_column = ACTION_HEADERS_ID.index("Status") + 1
    letter = openpyxl.utils.get_column_letter(status_column)
    action_sheets = ["Semua aksi", "=Dinas Rumus", "Dinas A", "Pemerintah daerah (SPD)"]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate)
                    starts = cell.value.startswith(("=", "+", "-", "@"))
                    assert cell.quotePrefix == starts, (sheet.title, cell.coordinate)
        if sheet.title in action_sheets:
            assert sheet.cell(row=1, column=status_column).value == "Status"
            (status,) = sheet.data_validations.dataValidation
            whole_column = MultiCellRange(f"{letter}2:{letter}{sheet.max_row}")
            assert status.sqref == whole_column and sheet.max_row > 1, sheet.title
            assert status.formula1 == statuses and status.type == "list"
            # an absent errorStyle is "stop" (ECMA-376 default): Excel refuses other values
            assert status.showErrorMessage and status.errorStyle in (None, "stop")
    assert book["=Dinas Rumus"]["B2"].value == "=Dinas Rumus"
