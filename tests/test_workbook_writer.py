"""The one workbook writer: typed text, never formulas; visible control characters; the same
bytes for the same content."""

from __future__ import annotations

import datetime
import io
import math

import numpy as np
import openpyxl
import pytest

from iid_analysis.errors import UsageError
from iid_analysis.workbook_writer import (
    Table,
    check_rows,
    check_text,
    escape_formula_text,
    list_validation,
    new_workbook,
    put,
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
    assert str(found.sqref) == "C2:C9" and found.showErrorMessage and found.errorStyle == "stop"
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
              "=SUM(A1:A2)", "", "ünïcødé – 日本", "x" * 40_000]  # fmt: skip


def test_a_table_reads_back_as_put_writes_it():
    """:func:`table_workbook` writes its rows in one string per sheet; opened with openpyxl,
    each cell holds what :func:`put` gives the same value (value, type, quote prefix, format)
    with the header bold and wrapped, and the columns, panes, filter and list as asked."""
    day = datetime.date(2027, 5, 31)
    rows = [["text", "number", "date", "flag"],
            *([t, i, None, None] for i, t in enumerate(EDGE_TEXTS)),
            [None, np.int64(7), day, True], [np.str_("=np"), 0.125, None, False],
            ["nan", math.nan, None, None], [None, -math.inf, None, None]]  # fmt: skip
    validation = list_validation("A2:A9", items=["a", "b"])
    table = Table("Edge", rows, autofilter=True, formats={1: "0.00"}, widths={0: 30},
                  wrap=frozenset({0}), validations=[validation])  # fmt: skip
    sheet = read(workbook_bytes(table_workbook([table])))["Edge"]
    reference = new_workbook().create_sheet("R")
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            expected = put(reference, r, c, value, None if r == 1 else table.formats.get(c - 1))
            cell = sheet.cell(row=r, column=c)
            want = None if expected.value == "" else expected.value
            if type(want) is datetime.date:
                want = datetime.datetime.combine(want, datetime.time())
            assert cell.value == want, (r, c)
            if want is not None:
                assert cell.data_type == expected.data_type, (r, c)
            assert cell.quotePrefix == expected.quotePrefix, (r, c)
            if expected.value is not None:
                assert cell.number_format == expected.number_format, (r, c)
            if cell.value is not None:
                assert bool(cell.font.b) == (r == 1), (r, c)
                assert bool(cell.alignment.wrap_text) == (r == 1 or c == 1), (r, c)
    # the texts themselves, independently of put: kept as given (cut to Excel's 32,767)
    texts = [sheet.cell(row=r, column=1).value for r in range(2, len(EDGE_TEXTS) + 2)]
    assert texts == [t[:32_767] or None for t in EDGE_TEXTS]
    assert sheet.cell(row=len(EDGE_TEXTS) + 3, column=1).value == "=np"
    assert sheet.cell(row=len(EDGE_TEXTS) + 2, column=3).value == datetime.datetime(2027, 5, 31)
    assert sheet.cell(row=len(EDGE_TEXTS) + 2, column=4).value is True
    assert sheet.cell(row=len(EDGE_TEXTS) + 5, column=2).value == "-inf"
    assert sheet.column_dimensions["A"].width == 30 and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:D{len(rows)}"
    (found,) = sheet.data_validations.dataValidation
    assert str(found.sqref) == "A2:A9" and found.formula1 == '"a,b"'


def test_hidden_and_empty_tables():
    book = read(workbook_bytes(table_workbook([Table("A", [["x"], [1]]),
                                               Table("H", [["y"]], hidden=True),
                                               Table("E", [])])))  # fmt: skip
    assert [(s.title, s.sheet_state) for s in book.worksheets] == [
        ("A", "visible"), ("H", "hidden"), ("E", "visible")]  # fmt: skip
    assert book["H"]["A1"].value == "y" and book["E"]["A1"].value is None
    assert book["A"].freeze_panes == "A2" and book["H"].freeze_panes is None
