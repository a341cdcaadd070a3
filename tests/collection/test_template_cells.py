"""What the collection template writes: typed text only, never a formula; hostile options
refused in one line."""

from __future__ import annotations

import openpyxl
import pytest

from iid_analysis.cli import main
from iid_analysis.collection.template import (
    MAX_TEMPLATE_ROWS,
    META_KEYS,
    SHEET_LISTS,
    build_template,
    write_template,
)
from iid_analysis.errors import UsageError
from iid_analysis.methodology import load_methodology

HOSTILE_REGION = "=cmd|'/C calc'!A0"
HOSTILE_OPDS = ("=SUM(1,2)", "+Dinas Plus", "-Dinas Minus", "@Dinas At", "#N/A", "Dinas Biasa")


def formula_cells(book) -> list[str]:
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.data_type != "s")
    ]


def test_region_and_opd_names_are_written_as_text_not_formulas(tmp_path):
    path = write_template(tmp_path / "t.xlsx", load_methodology(2024), region=HOSTILE_REGION,
                          opds=HOSTILE_OPDS, rows=20)  # fmt: skip
    book = openpyxl.load_workbook(path)
    assert formula_cells(book) == []
    lists = book[SHEET_LISTS]
    # the metadata block: key in column A, value in column B, "wilayah" (region) on row 4
    assert lists.cell(row=META_KEYS.index("wilayah") + 1, column=2).value == HOSTILE_REGION
    assert lists.cell(row=4, column=2).data_type == "s"
    column = next(c for c in lists[1] if c.value == "opd").column
    names = [lists.cell(row=r, column=column).value for r in range(2, len(HOSTILE_OPDS) + 2)]
    assert names == list(HOSTILE_OPDS)
    # a formula-like text is also quote-prefixed, so editing it in Excel keeps it text
    assert lists.cell(row=2, column=column).quotePrefix
    assert book["Petunjuk"]["A1"].value.endswith(f" - {HOSTILE_REGION}")


def test_every_text_cell_is_typed_text_in_the_default_template(tmp_path):
    path = write_template(tmp_path / "t.xlsx", load_methodology(2025))
    assert formula_cells(openpyxl.load_workbook(path)) == []


def test_escape_in_region_is_refused_naming_the_option(tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    code = main(["template", "--year", "2024", "--region", "Kota\x1b[31m Merah", "--output",
                 str(out)])  # fmt: skip
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and "Traceback" not in captured.err
    assert lines[0].startswith("--region") or "--region" in lines[0]
    assert "\\x1b" in lines[0]
    assert "\x1b" not in captured.err + captured.out
    assert not out.exists()


def test_control_character_in_an_opd_name_is_refused(tmp_path, capsys):
    opds = tmp_path / "opd.txt"
    opds.write_text("Dinas A\nDinas\x00B\n", encoding="utf-8")
    out = tmp_path / "t.xlsx"
    assert main(["template", "--year", "2024", "--opds", str(opds), "--output", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--opds" in err[0] and "name 2" in err[0] and "\\x00" in err[0]
    assert not out.exists()


@pytest.mark.parametrize("rows", [0, -3, MAX_TEMPLATE_ROWS + 1, 10_000_000])
def test_rows_out_of_bounds_are_refused_naming_the_bound(rows, tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    code = main(["template", "--year", "2024", "--rows", str(rows), "--output", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert "--rows" in err[0] and "1,048,575" in err[0]
    assert not out.exists()


def test_the_largest_row_count_is_a_valid_workbook(tmp_path):
    assert MAX_TEMPLATE_ROWS == 1_048_576 - 1
    path = write_template(tmp_path / "t.xlsx", load_methodology(2024), rows=MAX_TEMPLATE_ROWS)
    sheet = openpyxl.load_workbook(path)["Inovasi"]
    ranges = [str(v.sqref) for v in sheet.data_validations.dataValidation]
    assert any(r.endswith(":E1048576") or "1048576" in r for r in ranges)
    with pytest.raises(UsageError, match="--rows"):
        build_template(load_methodology(2024), rows=MAX_TEMPLATE_ROWS + 1)
