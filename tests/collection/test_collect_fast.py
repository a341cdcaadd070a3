"""The fast workbook reader (python-calamine, ``dataset.FastWorkbook``) against openpyxl.

calamine reads values only: formulas and error cells are found by a bytes search of each sheet's
cells, merged ranges and sheet states come from calamine. Each test builds its workbook here and
compares the fast reader with the openpyxl reader (``dataset.sheet_rows``, an independent
implementation) or with values worked out by hand.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import edit_part
from openpyxl.worksheet.datavalidation import DataValidation

from iid_analysis.collection import reader as reader_module
from iid_analysis.errors import (
    CellErrorValueError,
    FormulaWithoutValueError,
    MergedCellsError,
    UnreadableFileError,
)
from iid_analysis.inputs.dataset import (
    FastWorkbook,
    WorkbookFallback,
    open_workbook,
    read_workbook_rows,
    sheet_rows,
)


def openpyxl_rows(path: Path, title: str) -> list[tuple[int, list[str]]]:
    book = open_workbook(path)
    try:
        return [row for row in sheet_rows(book[title], "x", path=path) if any(row[1])]
    finally:
        book.close()


def fast_rows(path: Path, title: str) -> list[tuple[int, list[str]]]:
    book = FastWorkbook(path)
    try:
        sheet = next(s for s in book.worksheets if s.title == title)
        return sheet.rows("x")
    finally:
        book.close()



def test_values_and_positions_agree_with_openpyxl_and_by_hand(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet["C3"] = "  id  "
    sheet["D3"] = 3
    sheet["E3"] = 3.5
    sheet["F3"] = True
    sheet["C5"] = dt.datetime(2025, 3, 1)
    sheet["D5"] = dt.datetime(2025, 3, 1, 14, 30)
    sheet["E5"] = 12345678
    sheet["H7"] = "far right"
    path = tmp_path / "values.xlsx"
    book.save(path)

    rows = fast_rows(path, "Data")
    assert rows == openpyxl_rows(path, "Data")
    # By hand: sheet row numbers, blank leading columns, whole floats without ".0", dates as
    # openpyxl's datetimes print.
    assert [line for line, _ in rows] == [3, 5, 7]
    assert rows[0][1] == ["", "", "id", "3", "3.5", "True", "", ""]
    assert rows[1][1][2:5] == ["2025-03-01 00:00:00", "2025-03-01 14:30:00", "12345678"]
    assert rows[2][1][7] == "far right"


def test_a_data_validation_list_is_not_taken_for_a_formula(tmp_path):
    # A dropdown's <formula1> holds "<f..." bytes outside the cells: no formula cell.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Inovasi"
    sheet.append(["id", "level"])
    sheet.append(["A-1", "3"])
    validation = DataValidation(type="list", formula1='"0,1,2,3"')
    sheet.add_data_validation(validation)
    validation.add("B2:B50")
    path = tmp_path / "dropdown.xlsx"
    book.save(path)
    assert b"<formula1>" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert fast_rows(path, "Inovasi") == [(1, ["id", "level"]), (2, ["A-1", "3"])]


def test_first_problem_cell_is_named_in_row_order(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Inovasi"
    sheet["A1"] = "id"
    sheet["C6"] = "#N/A"  # written as an error cell (t="e")
    sheet["B4"] = "=1+1"  # a formula without a saved value, earlier in row order
    path = tmp_path / "problems.xlsx"
    book.save(path)
    with pytest.raises(FormulaWithoutValueError) as caught:
        fast_rows(path, "Inovasi")
    assert caught.value.cell == "B4" and "1+1" in caught.value.detail

    # The formula given a saved value: the error cell is next.
    edit_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace("<f>1+1</f><v />", "<f>1+1</f><v>2</v>"),
    )
    with pytest.raises(CellErrorValueError) as caught:
        fast_rows(path, "Inovasi")
    assert caught.value.cell == "C6" and "#N/A" in str(caught.value)


def test_merged_range_with_a_value_is_refused_with_its_range(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "SPD"
    sheet.append(["indicator", "level"])
    sheet.append(["1", "2"])
    sheet.append(["2a", "3"])
    sheet.merge_cells("B2:B3")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    with pytest.raises(MergedCellsError) as caught:
        fast_rows(path, "SPD")
    assert caught.value.cell == "B2:B3"
    assert "only B2 holds '2'" in str(caught.value)


def test_sheet_names_with_markup_characters_find_their_part(tmp_path):
    # workbook.xml escapes & and may leave > as is; the formula check must still find the sheet.
    book = openpyxl.Workbook()
    book.active.title = "Ringkasan"
    sheet = book.create_sheet("Inovasi & SPD > 2023")
    sheet["A1"] = "id"
    sheet["A2"] = "=A1"
    path = tmp_path / "names.xlsx"
    book.save(path)
    with pytest.raises(FormulaWithoutValueError) as caught:
        read_workbook_rows(path, "Inovasi & SPD > 2023")
    assert caught.value.cell == "A2"
    assert "[sheet Inovasi & SPD > 2023]" in str(caught.value)


def test_hidden_states_and_active_sheet_as_openpyxl_names_them(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "A"
    book.create_sheet("B").sheet_state = "hidden"
    book.create_sheet("C").sheet_state = "veryHidden"
    book.active = 0
    path = tmp_path / "states.xlsx"
    book.save(path)
    fast = FastWorkbook(path)
    reference = open_workbook(path)
    try:
        assert [(s.title, s.sheet_state) for s in fast.worksheets] == [
            (s.title, s.sheet_state) for s in reference.worksheets
        ]
        assert fast.active.title == reference.active.title == "A"
    finally:
        fast.close()
        reference.close()


def test_a_file_calamine_cannot_read_falls_back_to_the_openpyxl_message(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["id"])
    path = tmp_path / "broken.xlsx"
    book.save(path)
    edit_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])
    fast = FastWorkbook(path)
    try:
        with pytest.raises(WorkbookFallback):
            fast.worksheets[0].rows("x")
    finally:
        fast.close()
    with pytest.raises(UnreadableFileError, match="corrupt Excel workbook"):
        read_workbook_rows(path)


def test_collect_reads_through_the_fast_reader_by_default(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["x"])
    path = tmp_path / "a.xlsx"
    book.save(path)
    opened = reader_module.open_fast(path)
    try:
        assert isinstance(opened, FastWorkbook)
    finally:
        opened.close()


def test_a_formula_in_a_sheet_written_with_namespace_prefixes_is_found(tmp_path):
    # Some programs write <x:c><x:f>...</x:f></x:c>: the search for "<f" alone would miss it.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "D"
    sheet["A1"] = "id"
    sheet["B2"] = 5
    sheet["A3"] = "=1+1"
    path = tmp_path / "prefixed.xlsx"
    book.save(path)
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'

    def prefixed(xml: str) -> str:
        xml = xml.replace(main, main.replace("xmlns=", "xmlns:x="))
        return re.sub(r"<(/?)(\w+)", r"<\1x:\2", xml)

    edit_part(path, "xl/worksheets/sheet1.xml", prefixed)
    assert b"<x:f>" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    with pytest.raises(FormulaWithoutValueError) as caught:
        fast_rows(path, "D")
    assert caught.value.cell == "A3"


@pytest.mark.parametrize("quoted", ["t = 'e'", 't = "e"'])
def test_an_error_cell_is_found_however_its_attribute_is_quoted(tmp_path, quoted):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "D"
    sheet["A1"] = "id"
    sheet["B2"] = "#REF!"  # written as an error cell
    path = tmp_path / "quoted.xlsx"
    book.save(path)
    edit_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace('t="e"', quoted))
    assert quoted.encode() in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    with pytest.raises(CellErrorValueError) as caught:
        fast_rows(path, "D")
    assert caught.value.cell == "B2" and "#REF!" in str(caught.value)


def test_a_problem_cell_without_its_reference_is_still_named(tmp_path):
    # The r attribute is optional in the format; openpyxl then counts positions for the message.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "D"
    sheet["A1"] = "id"
    sheet["A2"] = "x"
    sheet["B2"] = "=1+1"
    path = tmp_path / "no_ref.xlsx"
    book.save(path)
    edit_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(' r="B2"', ""))
    with pytest.raises(FormulaWithoutValueError) as caught:
        read_workbook_rows(path, "D")
    assert caught.value.cell == "B2"


def test_a_long_whole_number_keeps_every_digit(tmp_path):
    # calamine reads numbers as floats: 17 digits would come back rounded; openpyxl keeps them.
    # (openpyxl itself writes such a number rounded, so the exact digits are put in the XML.)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "D"
    sheet.append(["id", "n"])
    sheet.append([1.5, 3])
    path = tmp_path / "long.xlsx"
    book.save(path)
    edit_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace("<v>1.5</v>", "<v>12345678901234567</v>"),
    )
    _, rows = read_workbook_rows(path, "D")
    assert rows == [(1, ["id", "n"]), (2, ["12345678901234567", "3"])]
