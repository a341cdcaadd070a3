"""Hostile and misleading input files (issues 12 §2, §4 and 8 §6): each is read correctly or
refused with one line naming the file (and sheet and cell), never read silently wrong, never a
hang or a traceback.

Every input is built here: workbooks written with openpyxl (which saves formulas without their
values, as any program does), some edited at the XML level for what openpyxl cannot write (a
formula's saved value), CSV text written byte by byte.
"""

from __future__ import annotations

import os
import re
import threading
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from conftest import edit_part

from iid_analysis import cli
from iid_analysis.errors import (
    CellErrorValueError,
    DuplicateKeyError,
    FormulaWithoutValueError,
    IIDDataError,
    InputTooLargeError,
    InvalidLevelError,
    MergedCellsError,
    NotRegularFileError,
    RaggedRowError,
    SheetNotFoundError,
    UnreadableFileError,
    UsageError,
)
from iid_analysis.inputs import files
from iid_analysis.inputs.dataset import (
    check_input_file,
    choose_sheet,
    load_innovations,
    load_spd,
    open_workbook,
    read_table,
)
from iid_analysis.methodology import load_methodology

NUMBERS = [str(n) for n in range(16, 36)]
PROFILE = ["innovation_id", "name", "opd", "stage", "status"]
HEADER = PROFILE + NUMBERS
# Three innovations; their levels by hand so every expected value is independent of the reader.
LEVELS = [[3] * 20, [0, 1, 2, 3] * 5, [2] * 20]
IDS = ["MJK-2023-001", "MJK-2023-002", "MJK-2023-003"]
# Column of indicator 21 in the wide layout: 5 profile columns, then 16..35 from column F.
COL_21 = openpyxl.utils.get_column_letter(len(PROFILE) + 1 + NUMBERS.index("21"))


@pytest.fixture(scope="module")
def m2023():
    return load_methodology(2023)


def wide_rows(levels=LEVELS, ids=IDS) -> list[list[object]]:
    rows: list[list[object]] = [list(HEADER)]
    for iid, row in zip(ids, levels, strict=True):
        rows.append([iid, f"Inovasi {iid}", "Dinas Kesehatan", "penerapan", "diterima", *row])
    return rows


def workbook(sheets: dict[str, list[list[object]]], *, hidden=(), active=None):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    if active is not None:
        book.active = list(sheets).index(active)
    return book


def save(book, path: Path) -> Path:
    book.save(path)
    return path



def sheet_part(path: Path, title: str) -> str:
    book = openpyxl.load_workbook(path)
    return f"xl/worksheets/sheet{book.sheetnames.index(title) + 1}.xml"


def one_line(error: BaseException) -> str:
    message = str(error)
    assert "\n" not in message and "\r" not in message
    return message


# --- §2 formulas and error values -------------------------------------------------------------
def test_formula_without_a_saved_value_is_refused_naming_sheet_and_cell(tmp_path, m2023):
    rows = wide_rows()
    rows[2][HEADER.index("21")] = "=1+2"  # innovation 2, sheet row 3
    path = save(workbook({"Inovasi": rows}), tmp_path / "inovasi.xlsx")
    with pytest.raises(FormulaWithoutValueError) as info:
        load_innovations(path, m2023)
    message = one_line(info.value)
    assert message.startswith(f"inovasi.xlsx [sheet Inovasi], cell {COL_21}3:")
    assert "open and save the workbook in Excel, or type the value" in message


def test_formula_with_a_saved_value_is_read_as_that_value(tmp_path, m2023):
    rows = wide_rows()
    rows[2][HEADER.index("21")] = "=1+2"
    path = save(workbook({"Inovasi": rows}), tmp_path / "inovasi.xlsx")
    # What Excel writes after calculating: the formula and its value.
    edit_part(path, sheet_part(path, "Inovasi"), lambda x: x.replace("<v />", "<v>3</v>"))
    result = load_innovations(path, m2023)
    expected = np.array(LEVELS)
    expected[1, NUMBERS.index("21")] = 3
    np.testing.assert_array_equal(result[NUMBERS].to_numpy(), expected)


@pytest.mark.parametrize("error_value", ["#DIV/0!", "#N/A", "#VALUE!", "#REF!"])
def test_error_value_typed_in_a_level_cell_is_refused(tmp_path, m2023, error_value):
    rows = wide_rows()
    rows[3][HEADER.index("21")] = error_value  # openpyxl stores these as error cells
    path = save(workbook({"Inovasi": rows}), tmp_path / "inovasi.xlsx")
    with pytest.raises(CellErrorValueError) as info:
        load_innovations(path, m2023)
    message = one_line(info.value)
    assert message.startswith(f"inovasi.xlsx [sheet Inovasi], cell {COL_21}4:")
    assert error_value in message


def test_formula_whose_saved_value_is_an_error_is_refused(tmp_path, m2023):
    rows = [["indicator", "level"], ["1", 3], ["2a", "=1/0"]]
    path = save(workbook({"SPD": rows}), tmp_path / "spd.xlsx")
    edit_part(
        path,
        sheet_part(path, "SPD"),
        lambda x: re.sub(r'<c r="B3"[^>]*><f>', '<c r="B3" t="e"><f>', x).replace(
            "<v />", "<v>#DIV/0!</v>"
        ),
    )
    with pytest.raises(CellErrorValueError, match=r"spd.xlsx \[sheet SPD\], cell B3: .*#DIV/0!"):
        load_spd(path, m2023)


# --- §2 merged cells --------------------------------------------------------------------------
def test_merged_level_cells_are_refused_naming_the_range(tmp_path, m2023):
    book = workbook({"Inovasi": wide_rows()})
    sheet = book["Inovasi"]
    sheet.merge_cells(f"{COL_21}2:{COL_21}4")  # one 3 shown over three innovations
    path = save(book, tmp_path / "inovasi.xlsx")
    with pytest.raises(MergedCellsError) as info:
        load_innovations(path, m2023)
    message = one_line(info.value)
    assert message.startswith(f"inovasi.xlsx [sheet Inovasi], cell {COL_21}2:{COL_21}4:")
    assert "unmerge" in message


def test_merged_blank_cells_read_as_blank(tmp_path, m2023):
    rows = wide_rows()
    for row in rows[1:]:
        row[HEADER.index("21")] = None
    book = workbook({"Inovasi": rows})
    book["Inovasi"].merge_cells(f"{COL_21}2:{COL_21}4")  # blank either way: level 0
    result = load_innovations(save(book, tmp_path / "inovasi.xlsx"), m2023)
    assert list(result["21"]) == [0, 0, 0]


# --- §2 which sheet is read -------------------------------------------------------------------
def test_hidden_first_sheet_is_not_read(tmp_path, m2023):
    stale = wide_rows(levels=[[1] * 20] * 3)
    book = workbook({"Lama": stale, "Inovasi": wide_rows()}, hidden=("Lama",), active="Inovasi")
    path = save(book, tmp_path / "inovasi.xlsx")
    result = load_innovations(path, m2023)
    np.testing.assert_array_equal(result[NUMBERS].to_numpy(), np.array(LEVELS))
    assert result.attrs["source"] == "inovasi.xlsx [sheet Inovasi]"


def test_active_visible_sheet_is_read_and_a_hidden_active_sheet_is_not(tmp_path, m2023):
    other = wide_rows(levels=[[1] * 20] * 3)
    sheets = {"Catatan": other, "Inovasi": wide_rows(), "Arsip": other}
    path = save(workbook(sheets, active="Inovasi"), tmp_path / "a.xlsx")
    assert read_table(path).attrs["source"] == "a.xlsx [sheet Inovasi]"
    # Active but hidden (possible in files edited by programs): the first visible sheet instead.
    book = workbook(sheets, hidden=("Catatan", "Inovasi"), active="Inovasi")
    path = save(book, tmp_path / "b.xlsx")
    assert read_table(path).attrs["source"] == "b.xlsx [sheet Arsip]"


def test_a_named_sheet_is_read_even_if_hidden_and_a_missing_one_is_refused(tmp_path, m2023):
    book = workbook({"Lama": wide_rows(), "Inovasi": wide_rows()}, hidden=("Lama",))
    path = save(book, tmp_path / "inovasi.xlsx")
    assert read_table(path, sheet="Lama").attrs["source"] == "inovasi.xlsx [sheet Lama]"
    with pytest.raises(SheetNotFoundError, match="no sheet 'Profil'"):
        load_innovations(path, m2023, sheet="Profil")


def test_long_form_profile_sheet_is_never_a_hidden_one(tmp_path, m2023):
    levels = [["innovation_id", "indicator", "level"]]
    for iid, row in zip(IDS, LEVELS, strict=True):
        levels.extend([iid, n, v] for n, v in zip(NUMBERS, row, strict=True) if v)
    good = [PROFILE] + [[i, f"Inovasi {i}", "Dinas", "penerapan", "diterima"] for i in IDS]
    stale = [PROFILE] + [[i, f"Inovasi {i}", "Dinas", "penerapan", "ditolak"] for i in IDS]
    book = workbook({"Indikator": levels, "Lama": stale, "Profil": good}, hidden=("Lama",))
    result = load_innovations(save(book, tmp_path / "inovasi.xlsx"), m2023)
    assert list(result["status"]) == ["diterima"] * 3
    np.testing.assert_array_equal(result[NUMBERS].to_numpy(), np.array(LEVELS))


def test_choose_sheet_rule_directly(tmp_path):
    book = workbook({"A": [["x"]], "B": [["x"]], "C": [["x"]]}, hidden=("A",), active="A")
    assert choose_sheet(book).title == "B"
    assert choose_sheet(book, "A").title == "A"
    assert choose_sheet(book, 2).title == "C"
    assert choose_sheet(book, " c ").title == "C"


def test_score_command_names_the_sheet_read(tmp_path, capsys):
    book = workbook({"Lama": wide_rows(levels=[[1] * 20] * 3), "Inovasi": wide_rows()},
                    hidden=("Lama",))  # fmt: skip
    innovations = save(book, tmp_path / "inovasi.xlsx")
    spd = tmp_path / "spd.csv"
    spd.write_text("indicator,level\n1,3\n", encoding="utf-8")
    argv = ["score", "--year", "2023", "--spd", str(spd), "--innovations", str(innovations),
            "--output-dir", str(tmp_path / "out")]  # fmt: skip
    assert cli.main(argv) == 0
    captured = capsys.readouterr()
    assert "inovasi.xlsx [sheet Inovasi]" in captured.out + captured.err


# --- §2 rows and values -----------------------------------------------------------------------
def csv_file(path: Path, rows: list[list[object]], sep=",", encoding="utf-8") -> Path:
    text = "".join(sep.join(str(c) for c in row) + "\r\n" for row in rows)
    path.write_bytes(text.encode(encoding))
    return path


def test_short_csv_row_is_refused_naming_its_line(tmp_path, m2023):
    rows = wide_rows()
    rows[2] = rows[2][:-3]  # indicators 33..35 of innovation 2 missing
    path = csv_file(tmp_path / "inovasi.csv", rows)
    with pytest.raises(RaggedRowError) as info:
        load_innovations(path, m2023)
    message = one_line(info.value)
    assert message.startswith("inovasi.csv, row 3:")
    assert f"has {len(HEADER) - 3} cells but the header (line 1) has {len(HEADER)}" in message


def test_ids_differing_only_in_case_or_width_are_duplicates(tmp_path, m2023):
    for twin in ["mjk-2023-001", " MJK-2023-001 ", "ＭＪＫ-２０２３-００１"]:
        ids = [IDS[0], IDS[1], twin]
        path = csv_file(tmp_path / "inovasi.csv", wide_rows(ids=ids))
        with pytest.raises(DuplicateKeyError) as info:
            load_innovations(path, m2023)
        message = one_line(info.value)
        assert "rows 2, 4" in message and "column 'innovation_id'" in message


def test_long_form_ids_match_their_profile_ignoring_case(tmp_path, m2023):
    levels = [["innovation_id", "indicator", "level"]]
    for iid, row in zip(IDS, LEVELS, strict=True):
        levels.extend([iid.lower(), n, v] for n, v in zip(NUMBERS, row, strict=True) if v)
    profiles = [PROFILE] + [[i, f"Inovasi {i}", "Dinas", "penerapan", "diterima"] for i in IDS]
    result = load_innovations(
        csv_file(tmp_path / "levels.csv", levels),
        m2023,
        profiles=csv_file(tmp_path / "profil.csv", profiles),
    )
    assert list(result["innovation_id"]) == IDS  # the profile's spelling
    np.testing.assert_array_equal(result[NUMBERS].to_numpy(), np.array(LEVELS))
    # The same pair twice, in two spellings, is a duplicate.
    levels.append([IDS[0], "16", 3])
    with pytest.raises(DuplicateKeyError, match="has indicator 16 more than once"):
        load_innovations(
            csv_file(tmp_path / "levels.csv", levels),
            m2023,
            profiles=tmp_path / "profil.csv",
        )


# Full-width, Arabic-Indic and Devanagari three.
@pytest.mark.parametrize("digit", ["３", "\u0663", "\u0969"])
def test_non_ascii_digits_are_not_levels(tmp_path, m2023, digit):
    rows = wide_rows()
    rows[1][HEADER.index("21")] = digit
    with pytest.raises(InvalidLevelError) as info:
        load_innovations(csv_file(tmp_path / "inovasi.csv", rows), m2023)
    message = one_line(info.value)
    assert "row 2" in message and "column '21'" in message and "ASCII digits" in message
    spd = csv_file(tmp_path / "spd.csv", [["indicator", "level"], ["1", digit]])
    with pytest.raises(InvalidLevelError, match="ASCII digits"):
        load_spd(spd, m2023)


# --- §4 encodings and workbook messages -------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_csv_is_read(tmp_path, m2023, encoding):
    # "utf-16" writes a byte-order mark; the -le/-be variants have none (detected).
    path = csv_file(tmp_path / "inovasi.csv", wide_rows(), sep="\t", encoding=encoding)
    result = load_innovations(path, m2023)
    assert list(result["innovation_id"]) == IDS
    np.testing.assert_array_equal(result[NUMBERS].to_numpy(), np.array(LEVELS))


def test_zip_without_a_workbook_says_so(tmp_path, m2023):
    path = tmp_path / "inovasi.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("catatan.txt", "bukan workbook")
    with pytest.raises(UnreadableFileError) as info:
        load_innovations(path, m2023)
    assert "not an Excel workbook (a zip archive without a workbook inside)" in one_line(info.value)


def test_corrupt_workbook_xml_is_one_line(tmp_path, m2023):
    path = save(workbook({"Inovasi": wide_rows()}), tmp_path / "inovasi.xlsx")
    edit_part(path, "xl/worksheets/sheet1.xml", lambda x: x[: len(x) // 2])  # cut mid-tag
    with pytest.raises(UnreadableFileError) as info:
        load_innovations(path, m2023)
    message = one_line(info.value)
    assert message.startswith("inovasi.xlsx:") and "corrupt Excel workbook" in message


# --- issue 8 §6: files that are not ordinary files --------------------------------------------
def test_unreadable_permission_is_one_line(tmp_path, m2023, monkeypatch):
    path = csv_file(tmp_path / "spd.csv", [["indicator", "level"], ["1", 3]])
    real_open = os.open

    def denied(name, flags, *args):
        if Path(name) == path:
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, flags, *args)

    monkeypatch.setattr(files.os, "open", denied)
    with pytest.raises(UnreadableFileError, match="permission denied") as info:
        load_spd(path, m2023)
    one_line(info.value)


def run_bounded(call, seconds: float = 20):
    """Run ``call`` in a thread; fail (instead of hanging the suite) if it does not return."""
    outcome: dict = {}

    def target():
        try:
            outcome["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the reader blocked"
    return outcome


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_fifo_is_refused_without_blocking(tmp_path, m2023, suffix):
    path = tmp_path / f"spd{suffix}"
    os.mkfifo(path)
    outcome = run_bounded(lambda: load_spd(path, m2023))
    assert isinstance(outcome.get("error"), NotRegularFileError), outcome
    assert "FIFO" in one_line(outcome["error"])


def test_fifo_through_the_cli_exits_2(tmp_path, capsys):
    fifo = tmp_path / "inovasi.csv"
    os.mkfifo(fifo)
    spd = csv_file(tmp_path / "spd.csv", [["indicator", "level"], ["1", 3]])
    argv = ["score", "--year", "2023", "--spd", str(spd), "--innovations", str(fifo),
            "--output-dir", str(tmp_path / "out")]  # fmt: skip
    outcome = run_bounded(lambda: cli.main(argv))
    assert outcome.get("value") == 2, outcome
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "not a regular file" in err


def zip_bomb(path: Path, megabytes: int) -> Path:
    """A real workbook with one extra part of ``megabytes`` MiB of zeros (about 1000:1)."""
    save(workbook({"SPD": [["indicator", "level"], ["1", 3]]}), path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/image1.bin", bytes(megabytes * 2**20))
    return path


def test_zip_bomb_is_refused_from_the_directory_before_parsing(tmp_path, m2023, monkeypatch):
    path = zip_bomb(tmp_path / "spd.xlsx", 64)
    assert path.stat().st_size < 2**20  # small on disk

    def must_not_parse(*args, **kwargs):
        raise AssertionError("the workbook was parsed before its size was checked")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_parse)
    with pytest.raises(InputTooLargeError, match="zip bomb") as info:
        load_spd(path, m2023)
    assert one_line(info.value).startswith("spd.xlsx:")


def test_workbook_uncompressed_size_limit_is_overridable(tmp_path, m2023, monkeypatch):
    path = save(workbook({"SPD": [["indicator", "level"], ["1", 3]]}), tmp_path / "spd.xlsx")
    unpacked = sum(p.file_size for p in zipfile.ZipFile(path).infolist())
    monkeypatch.setenv("IID_ANALYSIS_MAX_INPUT_MB", str(unpacked / 2 / 2**20))
    with pytest.raises(InputTooLargeError, match="unpacks to .* IID_ANALYSIS_MAX_INPUT_MB"):
        load_spd(path, m2023)
    monkeypatch.setenv("IID_ANALYSIS_MAX_INPUT_MB", str(unpacked * 2 / 2**20))
    assert list(load_spd(path, m2023)["level"]) == [3]


def test_input_file_size_limit_env_and_constant(tmp_path, m2023, monkeypatch):
    path = csv_file(tmp_path / "spd.csv", [["indicator", "level"], ["1", 3]] + [["", ""]] * 500)
    size = path.stat().st_size
    monkeypatch.setenv("IID_ANALYSIS_MAX_INPUT_MB", str(size / 2 / 2**20))
    with pytest.raises(InputTooLargeError, match="above the limit") as info:
        load_spd(path, m2023)
    one_line(info.value)
    monkeypatch.delenv("IID_ANALYSIS_MAX_INPUT_MB")
    monkeypatch.setattr(files, "MAX_INPUT_MB", size / 2 / 2**20)
    with pytest.raises(InputTooLargeError):
        check_input_file(path)
    monkeypatch.setattr(files, "MAX_INPUT_MB", 1)
    assert list(load_spd(path, m2023)["level"]) == [3]
    monkeypatch.setenv("IID_ANALYSIS_MAX_INPUT_MB", "lots")
    with pytest.raises(UsageError, match="IID_ANALYSIS_MAX_INPUT_MB"):
        load_spd(path, m2023)


def test_open_workbook_is_the_checked_entry_point(tmp_path):
    path = save(workbook({"SPD": [["indicator", "level"]]}), tmp_path / "spd.xlsx")
    book = open_workbook(path)
    assert book.sheetnames == ["SPD"]
    with pytest.raises(IIDDataError):
        open_workbook(tmp_path / "missing.xlsx")


def test_a_styled_empty_cell_far_down_does_not_blow_up_the_read(tmp_path, m2023):
    book = workbook({"SPD": [["indicator", "level"], ["1", 3], ["2a", 2]]})
    book["SPD"]["Z1000000"].number_format = "0.00"  # stored, no value: the sheet spans Z1000000
    path = save(book, tmp_path / "spd.xlsx")
    outcome = run_bounded(lambda: load_spd(path, m2023), seconds=30)
    assert list(outcome["value"]["level"]) == [3, 2], outcome


def test_a_device_behind_a_csv_name_is_refused_without_reading(tmp_path, m2023):
    link = tmp_path / "spd.csv"
    link.symlink_to("/dev/zero")  # endless: reading it would never finish
    outcome = run_bounded(lambda: load_spd(link, m2023))
    assert isinstance(outcome.get("error"), NotRegularFileError), outcome
    assert "a device" in one_line(outcome["error"])
