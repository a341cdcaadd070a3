"""Reading indicator data from CSV and Excel files, with the usual export quirks.

Accepted: ``.csv`` / ``.txt`` with comma, semicolon or tab separators, UTF-8 with or without a
byte-order mark (Windows-1252 as a fallback), decimal commas (``84,46``), blank lines, stray
spaces; ``.xlsx`` / ``.xlsm`` workbooks. Files are only ever read, never written or moved.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd

from .errors import (
    DuplicateKeyError,
    EmptyFileError,
    IIDDataError,
    InvalidLevelError,
    InvalidValueError,
    MissingColumnError,
    UnreadableFileError,
)
from .methodology import Methodology
from .validation import (
    PROFILE_REQUIRED,
    ROW,
    check_indicator,
    check_innovations,
    check_spd,
    header_rows,
    indicator_label,
    normalize_header,
    parse_level,
    row_numbers,
)

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
_SEPARATORS = (";", ",", "\t", "|")


def read_table(path: str | Path, sheet: str | int | None = None) -> pd.DataFrame:
    """A data file as a DataFrame of text cells, with each row's line number in ``_row``.

    Headers are normalised (``Innovation ID`` -> ``innovation_id``); blank rows are dropped;
    ``attrs["source"]`` holds the file name (and sheet). Raises :class:`EmptyFileError` or
    :class:`UnreadableFileError` with the file named.
    """
    path = Path(path)
    source = path.name if sheet is None else f"{path.name} [sheet {sheet}]"
    if not path.exists():
        raise UnreadableFileError("file not found", source=str(path))
    if path.is_dir():
        raise UnreadableFileError("is a directory, not a file", source=str(path))
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        rows = _read_csv_rows(path, source)
    elif suffix in EXCEL_SUFFIXES:
        rows = _read_excel_rows(path, source, sheet)
    elif suffix == ".xls":
        raise UnreadableFileError(
            "old Excel .xls is not supported; save the sheet as .xlsx or CSV", source=source
        )
    else:
        raise UnreadableFileError(
            f"unsupported file type '{suffix or '(none)'}'; use .csv or .xlsx", source=source
        )
    return _frame_from_rows(rows, source)


def _read_csv_rows(path: Path, source: str) -> list[tuple[int, list[str]]]:
    raw = path.read_bytes()
    if not raw.strip(b"\xef\xbb\xbf \t\r\n"):
        raise EmptyFileError("the file has no content", source=source)
    if b"\x00" in raw[:4096] or raw[:4] == b"PK\x03\x04":
        raise UnreadableFileError(
            "binary content where a CSV text file was expected (an Excel file renamed .csv?)",
            source=source,
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="strict") if _is_cp1252(raw) else None
        if text is None:
            raise UnreadableFileError(
                "not UTF-8 text (save the file as CSV UTF-8)", source=source
            ) from None
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    separator = max(_SEPARATORS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows = []
    try:
        line = 1
        for record in reader:
            rows.append((line, [cell.strip() for cell in record]))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableFileError(
            f"malformed CSV near line {reader.line_num}: {exc}", source=source
        ) from None
    return rows


def _is_cp1252(raw: bytes) -> bool:
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _read_excel_rows(path: Path, source: str, sheet) -> list[tuple[int, list[str]]]:
    if path.stat().st_size == 0:
        raise EmptyFileError("the file has no content", source=source)
    if not zipfile.is_zipfile(path):
        raise UnreadableFileError("not a valid .xlsx workbook", source=source)
    try:
        frame = pd.read_excel(
            path, sheet_name=0 if sheet is None else sheet, header=None, dtype=object
        )
    except (ValueError, KeyError, zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFileError(f"cannot read the workbook: {exc}", source=source) from None
    rows = []
    for index, record in enumerate(frame.itertuples(index=False), start=1):
        rows.append((index, [_excel_cell(v) for v in record]))
    return rows


def _excel_cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _frame_from_rows(rows: list[tuple[int, list[str]]], source: str) -> pd.DataFrame:
    rows = [(line, cells) for line, cells in rows if any(c != "" for c in cells)]
    if not rows:
        raise EmptyFileError("the file has no header and no rows", source=source)
    rows = _drop_empty_columns(rows)
    header_line, header = rows[0]
    body = rows[1:]
    if not body:
        raise EmptyFileError(
            f"the file has a header (line {header_line}) but no data rows", source=source
        )
    width = len(header)
    while width and header[width - 1] == "":
        width -= 1
    names = [normalize_header(h) for h in header[:width]]
    blank = [i + 1 for i, n in enumerate(names) if n == ""]
    if blank:
        raise UnreadableFileError(
            f"header cell {blank[0]} is blank on line {header_line}", source=source
        )
    repeated = [n for n in dict.fromkeys(names) if names.count(n) > 1]
    if repeated:
        raise DuplicateKeyError(
            f"column {repeated[0]!r} appears more than once in the header",
            source=source,
            rows=(header_line,),
            column=repeated[0],
        )
    for line, cells in body:
        extra = [c for c in cells[width:] if c != ""]
        if extra:
            raise UnreadableFileError(
                f"line {line} has {len(cells)} cells but the header has {width} "
                "(a separator inside a value without quotes?)",
                source=source,
            )
    data = [cells[:width] + [""] * (width - len(cells)) for _, cells in body]
    frame = pd.DataFrame(data, columns=names, dtype=object)
    frame[ROW] = [line for line, _ in body]
    frame.attrs["source"] = source
    frame.attrs["header_row"] = header_line
    return frame


def _drop_empty_columns(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Rows without the columns that are blank on every row, header included.

    A sheet whose table starts in column B (a margin column) reads with an empty column A.
    """
    width = max(len(cells) for _, cells in rows)
    used = [j for j in range(width) if any(j < len(c) and c[j] != "" for _, c in rows)]
    if len(used) == width:
        return rows
    return [(line, [cells[j] if j < len(cells) else "" for j in used]) for line, cells in rows]


def parse_decimal(text: object) -> float:
    """A number written either way: ``84,46``, ``84.46``, ``1.234,5``, ``1,234.5``.

    Raises ValueError when the text is not a number.
    """
    value = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if value == "":
        raise ValueError("blank")
    if "," in value and "." in value:
        if value.rfind(",") > value.rfind("."):
            value = value.replace(".", "").replace(",", ".")
        else:
            value = value.replace(",", "")
    elif "," in value:
        value = value.replace(",", ".")
    return float(value)


def load_spd(
    path: str | Path, methodology: Methodology, sheet: str | int | None = None
) -> pd.DataFrame:
    """SPD levels from a file of rows ``indicator``, ``level`` (other columns are kept).

    Returns the validated rows with ``indicator`` (table number) and ``level`` (int), plus
    ``_row`` (line in the file). Raises a subclass of :class:`IIDDataError` naming file and row.
    """
    frame = read_table(path, sheet)
    levels = check_spd(frame, methodology)
    result = frame.copy()
    result["indicator"] = result["indicator"].map(indicator_label)
    result["level"] = result["indicator"].map(levels).astype(int)
    result.attrs["source"] = frame.attrs["source"]
    return result


def load_innovations(
    path: str | Path,
    methodology: Methodology,
    *,
    profiles: str | Path | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Innovations and their indicator levels, wide or long form, validated.

    Wide form: one row per innovation with innovation_id, name, opd, stage, status and one
    column per indicator ``16``..``35`` holding the level. Long form: rows of innovation_id,
    indicator, level, with the profile columns in ``profiles`` (a file) or, for a workbook, on
    another sheet. Pairs absent from long form are level 0. Returns the wide, normalised table
    of :func:`iid_analysis.validation.check_innovations` (with ``_row``).
    """
    frame = read_table(path, sheet)
    # Profiles are only ever given for long form, so a missing indicator/level column is named.
    if profiles is not None or {"indicator", "level"} <= set(frame.columns):
        profile_frame = _profile_table(Path(path), frame, profiles)
        frame = _long_to_wide(frame, profile_frame, methodology)
    result = check_innovations(frame, methodology, require_profile=True)
    result.attrs["source"] = frame.attrs["source"]
    return result


def _profile_table(path: Path, levels: pd.DataFrame, profiles) -> pd.DataFrame:
    if profiles is not None:
        return read_table(profiles)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        for sheet in pd.ExcelFile(path).sheet_names[1:]:
            candidate = read_table(path, sheet)
            if set(PROFILE_REQUIRED) <= set(candidate.columns):
                return candidate
        raise MissingColumnError(
            "long-form levels need a profile sheet with "
            f"{', '.join(PROFILE_REQUIRED)}; none found in the workbook",
            source=levels.attrs["source"],
        )
    if set(PROFILE_REQUIRED) - {"innovation_id"} <= set(levels.columns):
        # Without innovation_id, _long_to_wide names the missing column.
        if "innovation_id" not in levels.columns:
            return levels
        return levels.drop_duplicates("innovation_id")
    raise MissingColumnError(
        "long-form levels need the profile columns "
        f"({', '.join(PROFILE_REQUIRED)}) in a separate file: pass profiles=PATH "
        "(CLI: --profiles PATH)",
        source=levels.attrs["source"],
    )


def _long_to_wide(
    levels: pd.DataFrame, profiles: pd.DataFrame, methodology: Methodology
) -> pd.DataFrame:
    source = levels.attrs["source"]
    for column in ("innovation_id", "indicator", "level"):
        if column not in levels.columns:
            raise MissingColumnError(
                f"required column {column!r} not found",
                source=source,
                rows=header_rows(levels),
                column=column,
            )
    if "innovation_id" not in profiles.columns:
        raise MissingColumnError(
            "required column 'innovation_id' not found",
            source=profiles.attrs.get("source"),
            rows=header_rows(profiles),
            column="innovation_id",
        )
    frame = levels.copy()
    frame["innovation_id"] = frame["innovation_id"].str.strip()
    frame["indicator"] = frame["indicator"].map(lambda v: indicator_label(v) or str(v))
    # Validate indicator labels and levels with the wide-form rules, one indicator at a time.
    for label in dict.fromkeys(frame["indicator"]):
        if label not in methodology.innovation_numbers:
            rows = row_numbers(frame, frame["indicator"] == label)
            check_indicator(label, methodology, "INOVASI", source, rows, "indicator")
    duplicated = frame.duplicated(["innovation_id", "indicator"], keep=False)
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise DuplicateKeyError(
            f"innovation {first['innovation_id']!r} has indicator {first['indicator']} "
            "more than once",
            source=source,
            rows=row_numbers(frame, duplicated),
            column="indicator",
        )
    bad = frame["level"].map(parse_level).isna()
    if bad.any():
        raise InvalidLevelError(
            f"got {frame.loc[bad, 'level'].iloc[0]!r}",
            source=source,
            rows=row_numbers(frame, bad),
            column="level",
        )
    frame["level"] = frame["level"].map(parse_level)
    wide = frame.pivot(index="innovation_id", columns="indicator", values="level")
    profile = profiles.copy()
    profile["innovation_id"] = profile["innovation_id"].str.strip()
    unknown = sorted(set(wide.index) - set(profile["innovation_id"]))
    if unknown:
        raise InvalidValueError(
            f"innovation_id {unknown[0]!r} has levels but no profile row"
            f"{f' (and {len(unknown) - 1} more)' if len(unknown) > 1 else ''}",
            source=source,
            rows=row_numbers(frame, frame["innovation_id"] == unknown[0]),
            column="innovation_id",
        )
    profile = profile.drop(columns=[c for c in ("indicator", "level") if c in profile.columns])
    merged = profile.merge(wide, left_on="innovation_id", right_index=True, how="left")
    for number in methodology.innovation_numbers:
        merged[number] = merged[number].fillna(0).astype(int) if number in merged else 0
    # The merged rows (and their _row line numbers) are the profile file's rows, so the errors
    # check_innovations finds from here on (stage, status, duplicate id) are in that file.
    merged.attrs["source"] = str(profiles.attrs.get("source", "profiles"))
    if "header_row" in profiles.attrs:
        merged.attrs["header_row"] = profiles.attrs["header_row"]
    return merged


__all__ = [
    "IIDDataError",
    "load_innovations",
    "load_spd",
    "parse_decimal",
    "read_table",
]
