"""Reading indicator files: every accepted format, and every bad input with its own error.

All files are built in tmp_path. Each bad input must raise its own IIDDataError subclass whose
message is one line naming the file, the row(s) where a row is at fault, the column and the
rule broken; the file must be left as it was.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iid_analysis import errors
from iid_analysis.errors import (
    DuplicateKeyError,
    EmptyFileError,
    ForeignIndicatorError,
    IIDDataError,
    InvalidLevelError,
    InvalidValueError,
    MissingColumnError,
    RaggedRowError,
    UnknownIndicatorError,
    UnknownStageError,
    UnknownStatusError,
    UnreadableFileError,
)
from iid_analysis.inputs.dataset import load_innovations, load_spd, parse_decimal, read_table
from iid_analysis.methodology import load_methodology

NUMBERS = [str(n) for n in range(16, 36)]
PROFILE = ["innovation_id", "name", "opd", "stage", "status"]
WIDE_HEADER = PROFILE + NUMBERS
LEVELS = np.array(
    [
        [3] * 20,
        [0, 1, 2, 3] * 5,
        [2] * 20,
    ]
)
PROFILES = [
    ["MJK-001", "Layanan Antrian Digital", "Dinas Kesehatan, Pengendalian Penduduk dan KB"],
    ["MJK-002", "Sekolah Literasi", "Dinas Pendidikan dan Kebudayaan"],
    ["MJK-003", "Pojok Pajak Daerah", "Badan Pendapatan Daerah"],
]
STAGES = ["penerapan", "uji coba", "inisiatif"]
STATUSES = ["diterima", "diterima", "ditolak"]
SPD_ROWS = [("1", 3), ("2a", 2), ("2b", 1), ("12", 3), ("5a", 0)]


# --- builders ---------------------------------------------------------------------------------
def csv_text(rows: list[list[object]], sep: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def wide_rows(levels=LEVELS, level_format: Callable[[int], str] = str) -> list[list[object]]:
    rows: list[list[object]] = [list(WIDE_HEADER)]
    for (iid, name, opd), stage, status, row in zip(
        PROFILES, STAGES, STATUSES, levels, strict=True
    ):
        rows.append([iid, name, opd, stage, status, *[level_format(int(v)) for v in row]])
    return rows


def long_rows() -> list[list[object]]:
    rows: list[list[object]] = [["innovation_id", "indicator", "level"]]
    for (iid, _, _), row in zip(PROFILES, LEVELS, strict=True):
        rows.extend([iid, n, int(v)] for n, v in zip(NUMBERS, row, strict=True) if v)
    return rows


def profile_rows() -> list[list[object]]:
    return [list(PROFILE)] + [
        [*p, s, t] for p, s, t in zip(PROFILES, STAGES, STATUSES, strict=True)
    ]


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def numeric(rows: list[list[object]]) -> list[list[object]]:
    """Cells that look like whole numbers as ints (as Excel stores them)."""
    return [[int(c) if isinstance(c, str) and c.isdigit() else c for c in r] for r in rows]


def assert_reference(result) -> None:
    assert list(result["innovation_id"]) == [p[0] for p in PROFILES]
    assert list(result["name"]) == [p[1] for p in PROFILES]
    assert list(result["opd"]) == [p[2] for p in PROFILES]
    assert list(result["stage"]) == STAGES
    assert list(result["status"]) == STATUSES
    np.testing.assert_array_equal(result[NUMBERS].to_numpy(), LEVELS)


@pytest.fixture
def m2023():
    return load_methodology(2023)


# --- accepted formats -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sep", "encoding", "level_format"),
    [
        (",", "utf-8", str),
        (";", "utf-8", str),
        ("\t", "utf-8", str),
        (",", "utf-8-sig", str),
        (";", "utf-8-sig", lambda v: f"{v},0"),  # decimal commas
        (",", "utf-8", lambda v: f"{v},0"),  # decimal commas, quoted
        (";", "utf-8", lambda v: f"{v}.0"),
        (";", "cp1252", str),
    ],
)
def test_wide_csv_variants(tmp_path, m2023, sep, encoding, level_format):
    path = write(
        tmp_path / "inovasi.csv", csv_text(wide_rows(level_format=level_format), sep), encoding
    )
    result = load_innovations(path, m2023)
    assert_reference(result)
    assert list(result["_row"]) == [2, 3, 4]


def test_cp1252_text_is_decoded(tmp_path, m2023):
    rows = wide_rows()
    rows[1][2] = "Kelurahan Gunung Gedangan – Café"
    path = write(tmp_path / "inovasi.csv", csv_text(rows, ";"), "cp1252")
    assert load_innovations(path, m2023)["opd"].iloc[0] == "Kelurahan Gunung Gedangan – Café"


def test_loose_headers_and_choices(tmp_path, m2023):
    rows = wide_rows()
    rows[0] = ["Innovation ID", " Name ", "OPD", "Stage", "STATUS"] + [
        f"Indikator {n}" for n in NUMBERS
    ]
    rows[1][3], rows[2][3], rows[1][4] = "Penerapan", "Uji-Coba", "Diterima"
    path = write(tmp_path / "inovasi.csv", csv_text(rows))
    assert_reference(load_innovations(path, m2023))


def test_header_below_blank_lines_is_named_by_its_line(tmp_path, m2023):
    path = write(tmp_path / "spd.csv", "\n\nindicator,nilai\n1,3\n")
    with pytest.raises(MissingColumnError, match=r"^spd\.csv, row 3, column 'level': "):
        load_spd(path, m2023)


def test_blank_lines_keep_true_line_numbers(tmp_path, m2023):
    text = "indicator,level\n\n1,3\n\n2a,x\n"
    path = write(tmp_path / "spd.csv", text)
    with pytest.raises(InvalidLevelError, match=r"spd\.csv, row 5, column 'level'"):
        load_spd(path, m2023)


def test_wide_xlsx(tmp_path, m2023):
    path = write_xlsx(tmp_path / "inovasi.xlsx", {"Inovasi": numeric(wide_rows())})
    result = load_innovations(path, m2023)
    assert_reference(result)
    assert list(result["_row"]) == [2, 3, 4]


def test_long_csv_with_profiles_file(tmp_path, m2023):
    levels = write(tmp_path / "levels.csv", csv_text(long_rows()))
    profiles = write(tmp_path / "profil.csv", csv_text(profile_rows(), ";"), "utf-8-sig")
    assert_reference(load_innovations(levels, m2023, profiles=profiles))


def test_long_csv_with_profile_columns_inline(tmp_path, m2023):
    profile = {r[0]: r for r in profile_rows()[1:]}
    rows = [[*PROFILE, "indicator", "level"]]
    rows += [[*profile[r[0]], r[1], r[2]] for r in long_rows()[1:]]
    path = write(tmp_path / "levels.csv", csv_text(rows))
    assert_reference(load_innovations(path, m2023))


def test_long_xlsx_with_profile_sheet(tmp_path, m2023):
    path = write_xlsx(
        tmp_path / "inovasi.xlsx", {"Indikator": long_rows(), "Profil": profile_rows()}
    )
    assert_reference(load_innovations(path, m2023))


def test_innovation_without_any_level_is_all_zero(tmp_path, m2023):
    levels = write(tmp_path / "levels.csv", csv_text(long_rows()[:1] + long_rows()[1:21]))
    profiles = write(tmp_path / "profil.csv", csv_text(profile_rows()))
    result = load_innovations(levels, m2023, profiles=profiles)
    assert len(result) == 3
    assert (result[NUMBERS].iloc[1:] == 0).all().all()


@pytest.mark.parametrize(
    ("sep", "encoding", "fmt"),
    [(",", "utf-8", str), (";", "utf-8-sig", lambda v: f"{v},0"), (";", "cp1252", str)],
)
def test_spd_csv_variants(tmp_path, m2023, sep, encoding, fmt):
    rows = [["indicator", "level"]] + [[n, fmt(v)] for n, v in SPD_ROWS]
    path = write(tmp_path / "spd.csv", csv_text(rows, sep), encoding)
    result = load_spd(path, m2023)
    assert list(zip(result["indicator"], result["level"], strict=True)) == SPD_ROWS


def test_spd_xlsx(tmp_path, m2023):
    rows = [["Indicator", "Level"]] + [[int(n) if n.isdigit() else n, v] for n, v in SPD_ROWS]
    path = write_xlsx(tmp_path / "spd.xlsx", {"SPD": rows})
    result = load_spd(path, m2023)
    assert list(zip(result["indicator"], result["level"], strict=True)) == SPD_ROWS


def test_table_starting_in_column_b(tmp_path, m2023):
    rows = [[None, "indicator", "level"]] + [[None, n, v] for n, v in SPD_ROWS]
    path = write_xlsx(tmp_path / "spd.xlsx", {"SPD": [[], *rows]})
    result = load_spd(path, m2023)
    assert list(zip(result["indicator"], result["level"], strict=True)) == SPD_ROWS
    assert list(result["_row"]) == [3, 4, 5, 6, 7]


def test_empty_spacer_columns_are_ignored_but_a_blank_header_is_not(tmp_path, m2023):
    path = write(tmp_path / "spd.csv", ";indicator;;level\n;1;;3\n;2a;;2\n")
    assert list(load_spd(path, m2023)["level"]) == [3, 2]
    path = write(tmp_path / "spd.csv", "indicator;;level\n1;x;3\n")
    with pytest.raises(UnreadableFileError, match="header cell 2 is blank"):
        load_spd(path, m2023)


def test_read_table_marks_source_and_rows(tmp_path):
    path = write(tmp_path / "x.csv", "A;B\n1;2\n\n3;4\n")
    frame = read_table(path)
    assert frame.attrs["source"] == "x.csv"
    assert list(frame.columns) == ["a", "b", "_row"]
    assert list(frame["_row"]) == [2, 4]


@pytest.mark.parametrize(
    ("text", "value"),
    [("84,46", 84.46), ("84.46", 84.46), ("1.234,5", 1234.5), ("1,234.5", 1234.5), (" 7 ", 7)],
)
def test_parse_decimal(text, value):
    assert parse_decimal(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "8,4,6x"])
def test_parse_decimal_rejects_text(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


# --- bad inputs -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bad:
    """One bad input: how to build it, what to load, what error and message to expect."""

    id: str
    build: Callable[[Path], dict]  # writes files, returns load kwargs (path, kind, profiles)
    error: type[IIDDataError]
    file: str
    rows: str | None = None  # e.g. "row 3" or "rows 2, 3"
    column: str | None = None


def wide_file(name="inovasi.csv", sep=",", edit=None, encoding="utf-8"):
    def build(directory: Path) -> dict:
        rows = wide_rows()
        if edit:
            edit(rows)
        write(directory / name, csv_text(rows, sep), encoding)
        return {"path": directory / name, "kind": "innovations"}

    return build


def spd_file(text: str, name="spd.csv"):
    def build(directory: Path) -> dict:
        write(directory / name, text)
        return {"path": directory / name, "kind": "spd"}

    return build


def raw_file(data: bytes, name: str, kind="innovations"):
    def build(directory: Path) -> dict:
        (directory / name).write_bytes(data)
        return {"path": directory / name, "kind": kind}

    return build


def long_files(edit_levels=None, edit_profiles=None, with_profiles=True):
    def build(directory: Path) -> dict:
        levels, profiles = long_rows(), profile_rows()
        if edit_levels:
            edit_levels(levels)
        if edit_profiles:
            edit_profiles(profiles)
        write(directory / "levels.csv", csv_text(levels))
        write(directory / "profil.csv", csv_text(profiles))
        extra = {"profiles": directory / "profil.csv"} if with_profiles else {}
        return {"path": directory / "levels.csv", "kind": "innovations", **extra}

    return build


def xlsx_file(sheets_of: Callable[[], dict], name="inovasi.xlsx", kind="innovations"):
    def build(directory: Path) -> dict:
        write_xlsx(directory / name, sheets_of())
        return {"path": directory / name, "kind": kind}

    return build


def set_cell(row: int, column: str, value):
    def edit(rows):
        rows[row][rows[0].index(column)] = value

    return edit


def drop_column(column: str):
    def edit(rows):
        index = rows[0].index(column)
        for row in rows:
            del row[index]

    return edit


def add_column(name: str, value):
    def edit(rows):
        rows[0].append(name)
        for row in rows[1:]:
            row.append(value)

    return edit


def both(*edits):
    def edit(rows):
        for e in edits:
            e(rows)

    return edit


def xlsx_wide_with_level_7():
    rows = numeric(wide_rows())
    rows[2][WIDE_HEADER.index("35")] = 7
    return {"Inovasi": [[], []] + rows}  # data start on sheet row 3: the bad row is row 5


def xlsx_empty():
    return {"Kosong": []}


def xlsx_long_without_profile_sheet():
    return {"Indikator": long_rows(), "Catatan": [["catatan"], ["tidak ada profil"]]}


def xlsx_long_with_bad_stage():
    profiles = profile_rows()
    profiles[2][3] = "pilot"
    return {"Indikator": long_rows(), "Profil": profiles}


def duplicate_row(index: int):
    def edit(rows):
        rows.append(list(rows[index]))

    return edit


BAD_INPUTS = [
    # missing required column
    Bad(
        "missing-opd",
        wide_file(edit=drop_column("opd")),
        MissingColumnError,
        "inovasi.csv",
        "row 1",
        "opd",
    ),
    Bad(
        "missing-indicator-column",
        wide_file(edit=drop_column("27")),
        MissingColumnError,
        "inovasi.csv",
        "row 1",
        "27",
    ),
    Bad(
        "missing-spd-level",
        spd_file("indicator;nilai\n1;3\n"),
        MissingColumnError,
        "spd.csv",
        "row 1",
        "level",
    ),
    Bad(
        "missing-long-level",
        long_files(edit_levels=drop_column("level")),
        MissingColumnError,
        "levels.csv",
        "row 1",
        "level",
    ),
    Bad(
        "missing-profile-column",
        long_files(edit_profiles=drop_column("status")),
        MissingColumnError,
        "profil.csv",
        "row 1",
        "status",
    ),
    Bad("long-without-profiles", long_files(with_profiles=False), MissingColumnError, "levels.csv"),
    Bad(
        "long-xlsx-without-profile-sheet",
        xlsx_file(xlsx_long_without_profile_sheet),
        MissingColumnError,
        "inovasi.xlsx",
    ),
    # unknown indicator
    Bad(
        "unknown-wide-column",
        wide_file(edit=add_column("36", 1)),
        UnknownIndicatorError,
        "inovasi.csv",
        "row 1",
        "36",
    ),
    Bad(
        "spd-indicator-in-innovations",
        wide_file(edit=add_column("2a", 1)),
        UnknownIndicatorError,
        "inovasi.csv",
        "row 1",
        "2a",
    ),
    Bad(
        "unknown-spd-row",
        spd_file("indicator,level\n1,3\n99,2\n"),
        UnknownIndicatorError,
        "spd.csv",
        "row 3",
        "indicator",
    ),
    Bad(
        "spd-parent-number",
        spd_file("indicator,level\n2,2\n"),
        UnknownIndicatorError,
        "spd.csv",
        "row 2",
        "indicator",
    ),
    Bad(
        "innovation-indicator-in-spd",
        spd_file("indicator,level\n1,3\n2a,1\n16,2\n"),
        UnknownIndicatorError,
        "spd.csv",
        "row 4",
        "indicator",
    ),
    Bad(
        "not-an-indicator-spd",
        spd_file("indicator,level\nvisi,3\n"),
        UnknownIndicatorError,
        "spd.csv",
        "row 2",
        "indicator",
    ),
    Bad(
        "unknown-long-indicator",
        long_files(edit_levels=lambda r: r.append(["MJK-001", "40", 1])),
        UnknownIndicatorError,
        "levels.csv",
        f"row {len(long_rows()) + 1}",
        "indicator",
    ),
    # level outside 0..3 or not whole
    Bad(
        "level-4",
        wide_file(edit=set_cell(1, "16", "4")),
        InvalidLevelError,
        "inovasi.csv",
        "row 2",
        "16",
    ),
    Bad(
        "level-half",
        wide_file(edit=set_cell(3, "21", "1.5")),
        InvalidLevelError,
        "inovasi.csv",
        "row 4",
        "21",
    ),
    Bad(
        "level-decimal-comma-half",
        wide_file(sep=";", edit=set_cell(2, "30", "2,5")),
        InvalidLevelError,
        "inovasi.csv",
        "row 3",
        "30",
    ),
    Bad(
        "level-text-two-rows",
        wide_file(edit=both(set_cell(1, "33", "tinggi"), set_cell(3, "33", "-1"))),
        InvalidLevelError,
        "inovasi.csv",
        "rows 2, 4",
        "33",
    ),
    Bad(
        "spd-level-negative",
        spd_file("indicator,level\n1,3\n2a,-1\n"),
        InvalidLevelError,
        "spd.csv",
        "row 3",
        "level",
    ),
    Bad(
        "long-level-5",
        long_files(edit_levels=set_cell(2, "level", "5")),
        InvalidLevelError,
        "levels.csv",
        "row 3",
        "level",
    ),
    Bad(
        "xlsx-level-7",
        xlsx_file(xlsx_wide_with_level_7),
        InvalidLevelError,
        "inovasi.xlsx",
        "row 5",
        "35",
    ),
    # duplicate innovation_id (and duplicate keys elsewhere)
    Bad(
        "duplicate-id",
        wide_file(edit=set_cell(3, "innovation_id", "MJK-001")),
        DuplicateKeyError,
        "inovasi.csv",
        "rows 2, 4",
        "innovation_id",
    ),
    Bad(
        "duplicate-spd-indicator",
        spd_file("indicator,level\n1,3\n2a,1\n2A,2\n"),
        DuplicateKeyError,
        "spd.csv",
        "rows 3, 4",
        "indicator",
    ),
    Bad(
        "duplicate-long-pair",
        long_files(edit_levels=duplicate_row(1)),
        DuplicateKeyError,
        "levels.csv",
        f"rows 2, {len(long_rows()) + 1}",
        "indicator",
    ),
    Bad(
        "duplicate-profile-id",
        long_files(edit_profiles=duplicate_row(2)),
        DuplicateKeyError,
        "profil.csv",
        "rows 3, 5",
        "innovation_id",
    ),
    Bad(
        "duplicate-header",
        wide_file(edit=add_column("Status", "diterima")),
        DuplicateKeyError,
        "inovasi.csv",
        "row 1",
        "status",
    ),
    Bad(
        "one-indicator-in-two-columns",
        wide_file(edit=add_column("Indikator 16", "1")),
        DuplicateKeyError,
        "inovasi.csv",
        "row 1",
        "16",
    ),
    Bad(
        "duplicate-spd-header",
        spd_file("indicator,level,Level\n1,3,2\n"),
        DuplicateKeyError,
        "spd.csv",
        "row 1",
        "level",
    ),
    Bad(
        "long-inline-profiles-without-id",
        wide_file(
            name="levels.csv",
            edit=lambda rows: rows.__setitem__(
                slice(None),
                [["id", "name", "opd", "stage", "status", "indicator", "level"]]
                + [["A", "n", "o", "penerapan", "diterima", "16", "3"]],
            ),
        ),
        MissingColumnError,
        "levels.csv",
        "row 1",
        "innovation_id",
    ),
    # empty file
    Bad("empty", raw_file(b"", "inovasi.csv"), EmptyFileError, "inovasi.csv"),
    Bad(
        "bom-and-blank-lines",
        raw_file(b"\xef\xbb\xbf\n\n  \n", "inovasi.csv"),
        EmptyFileError,
        "inovasi.csv",
    ),
    Bad("header-only", raw_file(b"indicator,level\n", "spd.csv", "spd"), EmptyFileError, "spd.csv"),
    Bad("empty-xlsx-file", raw_file(b"", "inovasi.xlsx"), EmptyFileError, "inovasi.xlsx"),
    Bad("empty-xlsx-sheet", xlsx_file(xlsx_empty), EmptyFileError, "inovasi.xlsx"),
    # unreadable file or wrong format
    Bad(
        "xlsx-renamed-csv",
        raw_file(b"PK\x03\x04" + b"\x00" * 40, "inovasi.csv"),
        UnreadableFileError,
        "inovasi.csv",
    ),
    Bad(
        "text-renamed-xlsx",
        raw_file(b"innovation_id,name\n", "inovasi.xlsx"),
        UnreadableFileError,
        "inovasi.xlsx",
    ),
    Bad(
        "old-xls",
        raw_file(b"\xd0\xcf\x11\xe0" + b"\x00" * 60, "inovasi.xls"),
        UnreadableFileError,
        "inovasi.xls",
    ),
    Bad(
        "json",
        raw_file(b'{"innovation_id": 1}', "inovasi.json"),
        UnreadableFileError,
        "inovasi.json",
    ),
    Bad(
        "not-text",
        raw_file(b"indicator,level\n1,\x81\x8d\x8f\n", "spd.csv", "spd"),
        UnreadableFileError,
        "spd.csv",
    ),
    Bad(
        "ragged-row", spd_file("indicator,level\n1,3\n2a,2,5\n"), RaggedRowError, "spd.csv", "row 3"
    ),
    Bad(
        "short-row",
        spd_file("indicator,level\n1,3\n2a\n12,3\n"),
        RaggedRowError,
        "spd.csv",
        "row 3",
    ),
    Bad("zip-not-workbook", lambda d: _zip_not_workbook(d), UnreadableFileError, "inovasi.xlsx"),
    # unknown status or stage
    Bad(
        "unknown-status",
        wide_file(edit=set_cell(2, "status", "disetujui")),
        UnknownStatusError,
        "inovasi.csv",
        "row 3",
        "status",
    ),
    Bad(
        "unknown-stage",
        wide_file(edit=set_cell(3, "stage", "pilot")),
        UnknownStageError,
        "inovasi.csv",
        "row 4",
        "stage",
    ),
    Bad(
        "unknown-status-in-profiles",
        long_files(edit_profiles=set_cell(2, "status", "rejected")),
        UnknownStatusError,
        "profil.csv",
        "row 3",
        "status",
    ),
    Bad(
        "unknown-stage-in-profile-sheet",
        xlsx_file(xlsx_long_with_bad_stage),
        UnknownStageError,
        "inovasi.xlsx",
        "row 3",
        "stage",
    ),
    # levels of an innovation with no profile
    Bad(
        "levels-without-profile",
        long_files(edit_levels=lambda r: r.append(["MJK-999", "16", 1])),
        InvalidValueError,
        "levels.csv",
        f"row {len(long_rows()) + 1}",
        "innovation_id",
    ),
    Bad(
        "blank-id",
        wide_file(edit=set_cell(2, "innovation_id", " ")),
        InvalidValueError,
        "inovasi.csv",
        "row 3",
        "innovation_id",
    ),
]


def _zip_not_workbook(directory: Path) -> dict:
    with zipfile.ZipFile(directory / "inovasi.xlsx", "w") as archive:
        archive.writestr("catatan.txt", "bukan workbook")
    return {"path": directory / "inovasi.xlsx", "kind": "innovations"}


def load(kind: str, path: Path, methodology, profiles=None):
    if kind == "spd":
        return load_spd(path, methodology)
    return load_innovations(path, methodology, profiles=profiles)


def snapshot(directory: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in directory.iterdir()
        if p.is_file()
    }


def assert_one_line_message(error: IIDDataError, case: Bad) -> None:
    message = str(error)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(case.file)
    assert error.rule in message
    if case.rows is not None:
        assert f", {case.rows}," in message or f", {case.rows}:" in message, message
    if case.column is not None:
        assert f"column '{case.column}'" in message


@pytest.mark.parametrize("case", BAD_INPUTS, ids=lambda c: c.id)
def test_bad_input_gets_its_error_class_and_a_one_line_message(tmp_path, m2023, case):
    spec = case.build(tmp_path)
    before = snapshot(tmp_path)
    with pytest.raises(IIDDataError) as info:
        load(spec["kind"], spec["path"], m2023, spec.get("profiles"))
    assert type(info.value) is case.error, str(info.value)
    assert_one_line_message(info.value, case)
    assert snapshot(tmp_path) == before  # nothing written, moved or changed


def test_error_classes_are_distinct():
    classes = {
        MissingColumnError,
        UnknownIndicatorError,
        ForeignIndicatorError,
        InvalidLevelError,
        DuplicateKeyError,
        EmptyFileError,
        UnreadableFileError,
        UnknownStatusError,
        UnknownStageError,
        RaggedRowError,
        errors.SheetNotFoundError,
        errors.FormulaWithoutValueError,
        errors.CellErrorValueError,
        errors.MergedCellsError,
        errors.NotRegularFileError,
        errors.InputTooLargeError,
    }
    assert len({c.rule for c in classes}) == len(classes)
    assert all(issubclass(c, IIDDataError) for c in classes)


def test_missing_file_and_directory(tmp_path, m2023):
    with pytest.raises(UnreadableFileError, match="not found"):
        load_innovations(tmp_path / "tidak_ada.csv", m2023)
    with pytest.raises(UnreadableFileError, match="directory"):
        load_spd(tmp_path, m2023)


def test_long_message_lists_at_most_five_rows(tmp_path, m2023):
    rows = [["indicator", "level"]] + [[n, "9"] for n, _ in SPD_ROWS] + [["3", "9"], ["4", "9"]]
    path = write(tmp_path / "spd.csv", csv_text(rows))
    with pytest.raises(InvalidLevelError, match=r"rows 2, 3, 4, 5, 6 and 2 more, column 'level'"):
        load_spd(path, m2023)


# --- an indicator from another year's table ---------------------------------------------------
@pytest.fixture
def methodology_with_foreign_indicators(tmp_path, package_methodology_dir):
    """A copy of the methodology whose 2026 table also has indicators 36 and 3a (2023 has not)."""
    directory = tmp_path / "methodology"
    shutil.copytree(package_methodology_dir, directory)
    table = directory / "indicators_2026.csv"
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    added = [dict(r, number="36") for r in rows if r["number"] == "35"]
    added += [dict(r, number="3a") for r in rows if r["number"] == "3"]
    with table.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=list(rows[0])).writerows(added)
    return load_methodology(2023, directory)


def test_foreign_indicator_in_wide_innovations(tmp_path, methodology_with_foreign_indicators):
    rows = wide_rows()
    add_column("36", 2)(rows)
    path = write(tmp_path / "inovasi.csv", csv_text(rows))
    with pytest.raises(ForeignIndicatorError) as info:
        load_innovations(path, methodology_with_foreign_indicators)
    message = str(info.value)
    assert message.startswith("inovasi.csv, row 1, column '36'")
    assert "2026" in message and "\n" not in message


def test_foreign_indicator_in_spd(tmp_path, methodology_with_foreign_indicators):
    path = write(tmp_path / "spd.csv", "indicator,level\n1,3\n3a,2\n")
    with pytest.raises(
        ForeignIndicatorError, match=r"^spd\.csv, row 3, column 'indicator': .*2026"
    ):
        load_spd(path, methodology_with_foreign_indicators)


def test_foreign_indicator_in_long_form(tmp_path, methodology_with_foreign_indicators):
    levels = long_rows() + [["MJK-002", "36", 1]]
    path = write(tmp_path / "levels.csv", csv_text(levels))
    profiles = write(tmp_path / "profil.csv", csv_text(profile_rows()))
    with pytest.raises(ForeignIndicatorError, match=rf"row {len(levels)}, column 'indicator'"):
        load_innovations(path, methodology_with_foreign_indicators, profiles=profiles)


def test_foreign_indicator_in_a_dataframe(methodology_with_foreign_indicators, make_innovations):
    from iid_analysis.inputs.validation import check_innovations

    frame = make_innovations(LEVELS)
    frame["36"] = 1
    with pytest.raises(ForeignIndicatorError, match="column '36'"):
        check_innovations(frame, methodology_with_foreign_indicators)


def test_one_indicator_in_two_dataframe_columns(m2023, make_innovations):
    from iid_analysis.inputs.validation import check_innovations

    frame = make_innovations(LEVELS)
    frame[16] = 1
    with pytest.raises(DuplicateKeyError, match=r"column '16' appears more than once"):
        check_innovations(frame, m2023)


# --- any file either loads or gets a data error -----------------------------------------------
NASTY_CELLS = [
    "", " ", "nan", "None", "-", "3.0", "3,0", "1e0", "inf", "-0", "+2", ".5", "2a", "16",
    "ditolak", "UJI COBA", "a;b", "a,b", "line\nbreak", '"', "\u0663", "True", "_row",
]  # fmt: skip
NASTY_HEADERS = [
    "", " ", "_row", "indicator", "level", "16", "Indikator 16", "2a", "I16", "16.0", "status",
    "innovation_id", "36", "1", "Name", "keterangan",
]  # fmt: skip
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def loads_or_data_error(call) -> None:
    try:
        call()
    except IIDDataError as error:
        assert "\n" not in str(error)


@FUZZ
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 24), st.sampled_from(NASTY_CELLS)),
        min_size=1,
        max_size=4,
    ),
    headers=st.lists(st.tuples(st.integers(0, 24), st.sampled_from(NASTY_HEADERS)), max_size=2),
    sep=st.sampled_from([",", ";"]),
    long_form=st.booleans(),
)
def test_any_edited_file_loads_or_raises_a_data_error(
    tmp_path, m2023, edits, headers, sep, long_form
):
    rows = long_rows()[:4] if long_form else wide_rows()
    for row, column, value in edits:
        if column < len(rows[row]):
            rows[row][column] = value
    for column, name in headers:
        if column < len(rows[0]):
            rows[0][column] = name
    path = write(tmp_path / "fuzz.csv", csv_text(rows, sep))
    profiles = write(tmp_path / "profil.csv", csv_text(profile_rows())) if long_form else None
    loads_or_data_error(lambda: load_innovations(path, m2023, profiles=profiles))
    spd_rows = [["indicator", "level"]] + [[v, v] for _, _, v in edits]
    spd_path = write(tmp_path / "spd.csv", csv_text(spd_rows, sep))
    loads_or_data_error(lambda: load_spd(spd_path, m2023))


@FUZZ
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_any_bytes_load_or_raise_a_data_error(tmp_path, m2023, data, suffix):
    path = tmp_path / f"acak{suffix}"
    path.write_bytes(data)
    loads_or_data_error(lambda: load_spd(path, m2023))
    loads_or_data_error(lambda: load_innovations(path, m2023))
