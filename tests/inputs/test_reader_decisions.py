"""What the readers decide on questionable input (each decision the same in every command):
stray quotes, odd level spellings, invisible characters in ids, full-width digits, a chart sheet
as the active sheet, a bare CR inside a quoted name."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from openpyxl.chart import BarChart, Reference

from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE
from iid_analysis.errors import DuplicateKeyError, InvalidLevelError, UnreadableFileError
from iid_analysis.inputs import read_region, workbook_reader
from iid_analysis.inputs.importers import InvalidMaturityError
from iid_analysis.inputs.tables import parse_decimal
from iid_analysis.inputs.validation import id_key, parse_level

LINES = EXAMPLE_INNOVATIONS_FILE.read_text(encoding="utf-8").splitlines()


def write(path, lines, newline="\n"):
    path.write_bytes(newline.join(lines).encode() + newline.encode())
    return path


def test_a_stray_quote_is_refused_naming_the_line_it_opened(tmp_path):
    lines = list(LINES)
    # Line 3 of the file: the name opens a quote that never closes.
    lines[2] = lines[2].replace(",", ',"', 1).replace(',"', ",", 1)
    first, rest = lines[2].split(",", 1)
    lines[2] = f'{first},"{rest}'
    path = write(tmp_path / "inovasi.csv", lines)
    with pytest.raises(UnreadableFileError, match="opened on line 3") as info:
        read_region(innovations=path, spd=EXAMPLE_SPD_FILE, year=2023)
    message = str(info.value)
    assert "\n" not in message and "inovasi.csv" in message and "name" in message


def test_a_bare_cr_or_lf_inside_a_quoted_name_reads_as_a_space(tmp_path):
    lines = list(LINES)
    first, name, rest = lines[1].split(",", 2)
    lines[1] = f'{first},"{name[:7]}\r{name[7:]}",{rest}'
    first, name, rest = lines[2].split(",", 2)
    lines[2] = f'{first},"{name[:7]}\n{name[7:]}",{rest}'
    path = write(tmp_path / "inovasi.csv", lines)
    region = read_region(innovations=path, spd=EXAMPLE_SPD_FILE, year=2023)
    assert region.n == len(LINES) - 1
    names = (LINES[1].split(",")[1], LINES[2].split(",")[1])
    expected = [f"{n[:7].rstrip()} {n[7:].lstrip()}" for n in names]
    assert list(region.innovations["name"][:2]) == expected


@pytest.mark.parametrize("text", ["1e0", "+3", "2.9999999999999999", "３", "3.5", "03x"])
def test_level_spellings_refused(text):
    assert parse_level(text) is None


@pytest.mark.parametrize(
    ("text", "level"), [("3", 3), (" 2 ", 2), ("3\u00a0", 3), ("\u00a01", 1), ("2,0", 2),
                        ("3.00", 3), ("", 0), ("-", 0), (3.0, 3)],
)  # fmt: skip
def test_level_spellings_read(text, level):
    assert parse_level(text) == level


def test_a_refused_level_names_file_row_and_column(tmp_path):
    lines = list(LINES)
    cells = lines[4].split(",")
    cells[5] = "1e0"
    lines[4] = ",".join(cells)
    path = write(tmp_path / "inovasi.csv", lines)
    with pytest.raises(InvalidLevelError, match=r"row 5.*column '16'.*'1e0'"):
        read_region(innovations=path, spd=EXAMPLE_SPD_FILE, year=2023)


def test_an_id_with_a_zero_width_space_is_the_same_id(tmp_path):
    assert id_key("MJK-2023\u200b-001") == id_key("MJK-2023-001")
    lines = list(LINES)
    first, rest = lines[1].split(",", 1)
    lines.append(f"{first[:4]}\u200b{first[4:]},{rest}")
    path = write(tmp_path / "inovasi.csv", lines)
    with pytest.raises(DuplicateKeyError, match="MJK-2023-001"):
        read_region(innovations=path, spd=EXAMPLE_SPD_FILE, year=2023)


def test_full_width_digits_refused_for_levels_maturity_and_costs(tmp_path):
    assert parse_level("３") is None
    with pytest.raises(ValueError):
        parse_decimal("８７,５")
    path = tmp_path / "daftar.csv"
    path.write_text("Judul Inovasi;Kematangan\nA;８７,５\n", encoding="utf-8")
    with pytest.raises(InvalidMaturityError, match="ASCII digits"):
        read_region(innovations=path, spd=EXAMPLE_SPD_FILE, year=2023)


def chart_active_workbook(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Inovasi"
    table = pd.read_csv(EXAMPLE_INNOVATIONS_FILE, dtype=str)
    sheet.append(list(table.columns))
    for row in table.itertuples(index=False):
        sheet.append(list(row))
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=6, min_row=1, max_row=5))
    book.create_chartsheet("Grafik").add_chart(chart)
    book.active = 1
    book.save(path)
    return path


@pytest.mark.parametrize("fast", [True, False])
def test_a_chart_sheet_as_the_active_sheet_is_not_corrupt(tmp_path, monkeypatch, fast):
    path = chart_active_workbook(tmp_path / "inovasi.xlsx")
    if not fast:  # the openpyxl reader, which the fast one falls back to
        def refuse(*args, **kwargs):
            raise workbook_reader.WorkbookFallback("forced")

        monkeypatch.setattr(workbook_reader.FastWorkbook, "__init__", refuse)
    region = read_region(innovations=path, spd=EXAMPLE_SPD_FILE, year=2023)
    assert region.n == len(LINES) - 1 and region.sheets["innovations"] == "Inovasi"
