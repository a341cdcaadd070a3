"""The one workbook writer: typed text, never formulas; visible control characters; the same
bytes for the same content."""

from __future__ import annotations

import datetime
import io
import math

import numpy as np
import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from iid_analysis.errors import UsageError
from iid_analysis.workbook_writer import (
    Table,
    check_rows,
    check_text,
    escape_formula_text,
    list_validation,
    new_workbook,
    put,
    style,
    table_workbook,
    unescape_formula_text,
    workbook_bytes,
)

TEXTS = ["=1+1", "+A1", "-2", "@SUM(A1)", "\tx", "#N/A", "#REF!", "plain", "=", "'=quoted"]


def read(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_texts_stay_texts_and_numbers_numbers():
    rows = [["text", "number"], *([t, i] for i, t in enumerate(TEXTS))]
    rows.append(["ESC\x1b and NUL\x00", np.float64(1.5)])
    rows.append([None, math.inf])
    sheet = read(workbook_bytes(table_workbook([Table("T", rows)])))["T"]
    for r, text in enumerate(TEXTS, start=2):
        cell = sheet.cell(row=r, column=1)
        assert (cell.value, cell.data_type) == (text, "s")
        assert sheet.cell(row=r, column=2).value == r - 2
        assert cell.quotePrefix == text.startswith(("=", "+", "-", "@", "\t"))
    assert sheet.cell(row=len(TEXTS) + 2, column=1).value == "ESC\\x1b and NUL\\x00"
    assert sheet.cell(row=len(TEXTS) + 2, column=2).value == 1.5
    assert sheet.cell(row=len(TEXTS) + 3, column=1).value is None
    assert sheet.cell(row=len(TEXTS) + 3, column=2).value == "inf"


def test_same_content_same_bytes():
    def make():
        return workbook_bytes(table_workbook([Table("A", [["x"], ["=y"]], autofilter=True)]))

    assert make() == make()


def test_csv_escaping_round_trips():
    for text in TEXTS[:-1]:  # "'=quoted" reads back as "=quoted": the mark is not doubled
        escaped = escape_formula_text(text)
        assert not str(escaped).startswith(("=", "+", "-", "@", "\t"))
        assert unescape_formula_text(escaped) == text
    assert escape_formula_text(-1) == -1


def test_list_validation_refuses_other_values_in_excel():
    validation = list_validation("C2:C9", items=["belum", "proses", "selesai"], title="Status")
    sheet_rows = [["a", "b", "status"], ["x", "y", None]]
    book = read(workbook_bytes(table_workbook([Table("S", sheet_rows,
                                                     validations=[validation])])))  # fmt: skip
    (found,) = book["S"].data_validations.dataValidation
    assert found.type == "list" and found.formula1 == '"belum,proses,selesai"'
    # an absent errorStyle is "stop" (ECMA-376's default): Excel refuses the value
    assert str(found.sqref) == "C2:C9" and found.showErrorMessage
    assert found.errorStyle in (None, "stop") and not found.showInputMessage
    with pytest.raises(UsageError):
        list_validation("A1", items=["a,b"])


def test_options_with_control_characters_and_row_bounds_are_refused():
    assert check_text("Kota Mojokerto", "--region") == "Kota Mojokerto"
    with pytest.raises(UsageError, match=r"--region: .*\\x1b") as caught:
        check_text("Kota\x1b[2J", "--region")
    assert "\x1b" not in str(caught.value)
    assert check_rows(1_048_575) == 1_048_575
    with pytest.raises(UsageError, match="1,048,575"):
        check_rows(1_048_576)


def test_same_bytes_a_second_later():
    import time

    def make():
        return workbook_bytes(table_workbook([Table("A", [["x"], [1]])]))

    first = make()
    time.sleep(1.1)
    assert make() == first


EDGE_TEXTS = ["  padded ", "a & b < c > d", "line one\nline two", "\rcarriage", "#N/A",
              "=SUM(A1:A2)", "", "ünïcødé – 日本", "_x0041_ literal", "x" * 40_000]  # fmt: skip


def test_a_table_reads_back_as_typed_cells():
    """Each kind of value of a table, read back with openpyxl: text typed as text (quote-prefixed
    when formula-like), kept as given; numbers with the column's format; dates as Excel dates;
    booleans; blanks as no value; the header bold and wrapped, the ``wrap`` column wrapped;
    widths, frozen header, filter and list as asked."""
    day = datetime.date(2027, 5, 31)
    rows = [["text", "number", "date", "flag"],
            *([t, i] for i, t in enumerate(EDGE_TEXTS)),
            [None, np.int64(7), day, True], [np.str_("=np"), 0.125, None, False],
            ["nan", math.nan, None, None], [None, -math.inf, None, None]]  # fmt: skip
    validation = list_validation("A2:A9", items=["a", "b"])
    table = Table("Edge", rows, autofilter=True, formats={1: "0.00"}, widths={0: 30},
                  wrap=frozenset({0}), validations=[validation])  # fmt: skip
    data = workbook_bytes(table_workbook([table]))
    sheet = read(data)["Edge"]
    n = len(EDGE_TEXTS)
    # the texts, kept as given (cut to Excel's 32,767), typed as text. Read as Excel and the
    # package's reader (calamine) read them: a carriage return is stored as Excel stores it,
    # "_x000D_", which openpyxl leaves undecoded.
    values = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Edge")
    assert [r[0] for r in values.to_python()[1 : n + 1]] == [t[:32_767] for t in EDGE_TEXTS]
    texts = [sheet.cell(row=r, column=1) for r in range(2, n + 2)]
    assert [c.value is None for c in texts] == [not t for t in EDGE_TEXTS]
    assert all(c.data_type == "s" for c in texts if c.value is not None)
    assert [c.quotePrefix for c in texts] == [t.startswith(("=", "\r")) for t in EDGE_TEXTS]
    assert all(c.alignment.wrap_text for c in texts)
    numbers = [sheet.cell(row=r, column=2) for r in range(2, n + 2)]
    assert [(c.value, c.data_type, c.number_format) for c in numbers] == [
        (i, "n", "0.00") for i in range(n)]  # fmt: skip
    assert not any(c.alignment.wrap_text or c.font.b for c in numbers)
    header = [sheet.cell(row=1, column=c) for c in range(1, 5)]
    assert [c.value for c in header] == rows[0]
    assert all(c.font.b and c.alignment.wrap_text for c in header)
    assert sheet.cell(row=n + 2, column=1).value is None
    assert sheet.cell(row=n + 2, column=2).value == 7
    date = sheet.cell(row=n + 2, column=3)
    assert date.value == datetime.datetime(2027, 5, 31) and date.number_format == "yyyy-mm-dd"
    assert sheet.cell(row=n + 2, column=4).value is True
    assert sheet.cell(row=n + 3, column=4).value is False
    quoted = sheet.cell(row=n + 3, column=1)
    assert (quoted.value, quoted.data_type, quoted.quotePrefix) == ("=np", "s", True)
    assert sheet.cell(row=n + 3, column=2).value == 0.125
    assert sheet.cell(row=n + 4, column=1).value == "nan"  # the text "nan", not a number
    assert sheet.cell(row=n + 4, column=2).value is None
    assert sheet.cell(row=n + 5, column=2).value == "-inf"
    assert sheet.cell(row=n + 5, column=2).data_type == "s"
    # a width of 30 characters as Excel's box shows it (the file stores 30 + the padding)
    assert 30 <= sheet.column_dimensions["A"].width < 31 and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:D{len(rows)}"
    (found,) = sheet.data_validations.dataValidation
    assert str(found.sqref) == "A2:A9" and found.formula1 == '"a,b"'


def test_put_writes_styles_and_formats(tmp_path):
    book = new_workbook(keywords="k;v=1")
    sheet = book.add_sheet("P")
    look = style(bold=True, font_color="#FFFFFF", bg_color="#1F4E79", text_wrap=True)
    put(sheet, 1, 1, "Judul", look=look)
    put(sheet, 2, 3, 0.5, "0%")
    put(sheet, 3, 2, datetime.date(2026, 1, 2), "dd/mm/yyyy")
    put(sheet, 4, 1, "+62 812", look=look)
    sheet.width(1, 12)
    sheet.height(1, 45)
    sheet.freeze("C2")
    loaded = read(workbook_bytes(book))
    assert loaded.properties.keywords == "k;v=1"
    assert loaded.properties.created == datetime.datetime(2000, 1, 1)
    cells = loaded["P"]
    first = cells["A1"]
    assert first.value == "Judul" and first.font.b and first.alignment.wrap_text
    assert first.font.color.rgb.endswith("FFFFFF") and first.fill.fgColor.rgb.endswith("1F4E79")
    assert (cells["C2"].value, cells["C2"].number_format) == (0.5, "0%")
    assert cells["B3"].value == datetime.datetime(2026, 1, 2)
    assert cells["B3"].number_format == "dd/mm/yyyy"
    assert cells["A4"].value == "+62 812" and cells["A4"].quotePrefix and cells["A4"].font.b
    assert cells.freeze_panes == "C2" and cells.row_dimensions[1].height == 45
    assert cells["A2"].value is None and cells["A3"].value is None


def test_hidden_and_empty_tables():
    book = read(workbook_bytes(table_workbook([Table("A", [["x"], [1]]),
                                               Table("H", [["y"]], hidden=True),
                                               Table("E", [])])))  # fmt: skip
    assert [(s.title, s.sheet_state) for s in book.worksheets] == [
        ("A", "visible"), ("H", "hidden"), ("E", "visible")]  # fmt: skip
    assert book["H"]["A1"].value == "y" and book["E"]["A1"].value is None
    assert book["A"].freeze_panes == "A2" and book["H"].freeze_panes is None
