"""A region's SPD and level-grain innovation files, read and validated.

The readers themselves live in :mod:`~iid_analysis.inputs.files` (safe opening, bytes read
once), :mod:`~iid_analysis.inputs.tables` (CSV and tables),
:mod:`~iid_analysis.inputs.workbook_reader` (workbooks) and
:mod:`~iid_analysis.inputs.longform` (long-form levels); their public names are re-exported
here for the code that imported them from this module.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import IIDDataError, MissingColumnError
from ..methodology import Methodology
from .files import (
    CSV_SUFFIXES,
    EXCEL_SUFFIXES,
    MAX_COMPRESSION_RATIO,
    MAX_INPUT_ENV,
    MAX_INPUT_MB,
    MAX_WORKBOOK_PARTS,
    RawFile,
    check_input_file,
    check_workbook_archive,
    max_input_bytes,
    open_input_file,
    read_raw,
)
from .formats import header_test, sheet_for_role
from .longform import long_to_wide
from .tables import parse_decimal, read_table
from .validation import (
    PROFILE_REQUIRED,
    check_innovations,
    check_spd,
    indicator_label,
    normalize_header,
)
from .workbook_reader import (
    EXCEL_ERRORS,
    FastSheet,
    FastWorkbook,
    WorkbookFallback,
    cell_text,
    choose_sheet,
    open_workbook,
    read_workbook,
    read_workbook_rows,
    saved_formula_values,
    sheet_rows,
    sheet_source,
    visible_sheets,
)


def load_spd(
    path: str | Path | RawFile, methodology: Methodology, sheet: str | int | None = None
) -> pd.DataFrame:
    """SPD levels from a file of rows ``indicator``, ``level`` (other columns are kept).

    Returns the validated rows with ``indicator`` (table number) and ``level`` (int), plus
    ``_row`` (line in the file). Raises a subclass of :class:`IIDDataError` naming file and row.
    """
    frame = read_table(path, sheet_for_role(path, "spd", sheet), header_test=header_test())
    return spd_from_frame(frame, methodology)


def spd_from_frame(frame: pd.DataFrame, methodology: Methodology) -> pd.DataFrame:
    """:func:`load_spd` of a table already read."""
    levels = check_spd(frame, methodology)
    result = frame.copy()
    result["indicator"] = result["indicator"].map(indicator_label)
    result["level"] = result["indicator"].map(levels).astype(int)
    result.attrs = dict(frame.attrs)
    return result


def load_innovations(
    path: str | Path | RawFile,
    methodology: Methodology,
    *,
    profiles: str | Path | RawFile | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Innovations and their indicator levels, wide or long form, validated.

    Wide form: one row per innovation with innovation_id, name, opd, stage, status and one
    column per indicator ``16``..``35`` holding the level. Long form: rows of innovation_id,
    indicator, level, with the profile columns in ``profiles`` (a file) or, for a workbook, on
    another visible sheet (the first, in workbook order, whose header has the profile columns).
    The levels sheet is chosen by :func:`choose_sheet` (``sheet``, else the active visible
    sheet, else the first visible one). Pairs absent from long form are level 0. Returns the
    wide, normalised table of :func:`iid_analysis.inputs.validation.check_innovations` (with
    ``_row``).
    """
    raw = read_raw(path)
    frame = read_table(
        raw, sheet_for_role(raw, "innovations", sheet), header_test=header_test(methodology)
    )
    return innovations_from_frame(frame, methodology, raw=raw, profiles=profiles)


def innovations_from_frame(
    frame: pd.DataFrame,
    methodology: Methodology,
    *,
    raw: RawFile | None = None,
    profiles: str | Path | RawFile | pd.DataFrame | None = None,
) -> pd.DataFrame:
    """:func:`load_innovations` of a table already read (``raw``: the file it was read from,
    where a workbook's profile sheet is looked for; ``profiles``: a file or a table)."""
    # Profiles are only ever given for long form, so a missing indicator/level column is named.
    if profiles is not None or {"indicator", "level"} <= set(frame.columns):
        profile_frame = _profile_table(raw, frame, profiles)
        frame = long_to_wide(frame, profile_frame, methodology)
    result = check_innovations(frame, methodology, require_profile=True)
    result.attrs = {k: v for k, v in frame.attrs.items() if k in ("source", "sheet")}
    return result


def _profile_table(raw: RawFile | None, levels: pd.DataFrame, profiles) -> pd.DataFrame | None:
    """The profile table of long-form levels; None when the profiles are the levels' own columns."""
    if isinstance(profiles, pd.DataFrame):
        return profiles
    if profiles is not None:
        return read_table(profiles)
    if raw is not None and raw.suffix in EXCEL_SUFFIXES:
        title = _profile_sheet(raw, levels.attrs.get("sheet"))
        if title is not None:
            return read_table(raw, title)
        raise MissingColumnError(
            "long-form levels need a profile sheet with "
            f"{', '.join(PROFILE_REQUIRED)}; none found among the visible sheets",
            source=levels.attrs["source"],
        )
    if set(PROFILE_REQUIRED) - {"innovation_id"} <= set(levels.columns):
        return None
    raise MissingColumnError(
        "long-form levels need the profile columns "
        f"({', '.join(PROFILE_REQUIRED)}) in a separate file: pass profiles=PATH "
        "(CLI: --profiles PATH)",
        source=levels.attrs["source"],
    )


def _profile_sheet(raw: RawFile, levels_sheet: str | None) -> str | None:
    """The first visible sheet other than the levels sheet whose header has the profile columns.

    Only the header row (the first non-blank row) of each candidate is looked at, so another
    sheet's notes or formulas cannot stop the search.
    """

    def fast_header(worksheet):
        rows = worksheet.rows(worksheet.title, checked=False)
        return rows[0][1] if rows else []

    def slow_header(worksheet):
        for values in worksheet.iter_rows(values_only=True):
            texts = [cell_text(v) for v in values]
            if "".join(texts):
                return texts
        return []

    def search(workbook, header):
        for worksheet in visible_sheets(workbook):
            if worksheet.title != levels_sheet and set(PROFILE_REQUIRED) <= {
                normalize_header(t) for t in header(worksheet)
            }:
                return worksheet.title
        return None

    return read_workbook(
        raw, lambda fast: search(fast, fast_header), lambda book: search(book, slow_header)
    )


__all__ = [
    "CSV_SUFFIXES",
    "EXCEL_ERRORS",
    "EXCEL_SUFFIXES",
    "FastSheet",
    "FastWorkbook",
    "IIDDataError",
    "MAX_COMPRESSION_RATIO",
    "MAX_INPUT_ENV",
    "MAX_INPUT_MB",
    "MAX_WORKBOOK_PARTS",
    "RawFile",
    "WorkbookFallback",
    "cell_text",
    "check_input_file",
    "check_workbook_archive",
    "choose_sheet",
    "innovations_from_frame",
    "load_innovations",
    "load_spd",
    "max_input_bytes",
    "open_input_file",
    "open_workbook",
    "parse_decimal",
    "read_raw",
    "read_table",
    "read_workbook",
    "read_workbook_rows",
    "saved_formula_values",
    "sheet_for_role",
    "sheet_rows",
    "sheet_source",
    "spd_from_frame",
    "visible_sheets",
]
