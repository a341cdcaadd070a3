"""The one workbook writer: typed text, never formulas; visible control characters; the same
bytes for the same content."""

from __future__ import annotations

import io
import math

import numpy as np
import openpyxl
import pytest

from iid_analysis.errors import UsageError
from iid_analysis.xlsx import (
    Table,
    check_rows,
    check_text,
    escape_formula_text,
    list_validation,
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
