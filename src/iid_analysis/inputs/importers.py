"""Importers for the innovation lists regions already have, and for one-workbook region data.

The innovation list exported by the ministry's IID application and its regional copies carries
each innovation's *kematangan* (maturity, 0..111) but not its indicator levels; it is read into
the **maturity-grain** innovations table (:data:`MATURITY_COLUMNS`) that
:mod:`iid_analysis.feasibility.maturity_grain` scores. The layouts are known from third-party
public copies of the application (SECONDARY; see docs/importers.md). Files are only read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..atomic import write_csv
from ..errors import (
    DuplicateKeyError,
    IIDDataError,
    InvalidValueError,
    MissingColumnError,
    UnknownStageError,
    UnknownStatusError,
)
from ..methodology import Methodology
from ..scoring import maturity
from .dataset import innovations_from_frame, load_spd
from .files import EXCEL_SUFFIXES, RawFile, read_raw
from .formats import (
    DATE_FIELDS,
    EXTRA_FIELDS,
    FORMATS,
    LEVELS_FORMAT,
    SHEET_NAMES,
    ExportFormat,
    Recognised,
    find_sheets,
    header_key,
    header_test,
    is_level_grain,
    recognise_format,
    sheet_for_role,
    workbook_sheet_names,
)
from .tables import parse_decimal, read_table
from .validation import (
    ROW,
    STAGES,
    STATUS_ACCEPTED,
    STATUS_REJECTED,
    STATUSES,
    header_rows,
    indicator_label,
    normalize_choice,
    row_numbers,
    source_of,
)
from .values import iso_date_text, score_text


class UnrecognisedFormatError(IIDDataError):
    rule = "unrecognised innovation list format"


class InvalidMaturityError(IIDDataError):
    rule = "maturity (kematangan) must be a number 0..111"


class MissingSheetError(IIDDataError):
    rule = "required sheet not found"


MATURITY_COLUMNS = ("innovation_id", "name", "opd", "stage", "status", "urusan", "maturity")
"""The maturity-grain innovations table: profile, ``urusan`` (text; only when the source has
it) and ``maturity`` (float 0..max_innovation; 0 when rejected). Other known export columns (jenis,
bentuk, inisiator, pemda, trial_date, implementation_date) follow when the file has them."""



@dataclass(frozen=True)
class ImportResult:
    """An innovation list read into the maturity-grain table.

    ``format_name``/``format_label``/``provenance``: the layout recognised; ``columns``: our column
    for each column of the file used; ``ignored``: the file's columns not used (normalised
    headers); ``innovations``: the table of :data:`MATURITY_COLUMNS` (with ``_row``).
    """

    source: str
    format_name: str
    format_label: str
    provenance: str
    innovations: pd.DataFrame
    columns: dict[str, str] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def describe(self) -> str:
        """Two or three lines for the terminal: format, columns used, columns ignored."""
        lines = [
            f"{self.source}: recognised as {self.format_label} [{self.format_name}, "
            f"{self.provenance}], {len(self.innovations)} innovations"
        ]
        if self.ignored:
            lines.append("  columns not used: " + ", ".join(f'"{c}"' for c in self.ignored))
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)


def read_innovation_export(
    path: str | Path | RawFile, methodology: Methodology, *, sheet: str | int | None = None
) -> ImportResult:
    """Read an innovation list (an export of a known layout, our maturity-grain file, or our
    level-grain file) into the maturity-grain table, validated.

    Raises :class:`UnrecognisedFormatError` naming the headers when no layout fits, and the
    :class:`IIDDataError` subclasses of the readers and of :func:`check_maturities`.
    """
    raw = read_raw(path)
    frame = read_table(raw, sheet, header_test=header_test(methodology))
    return import_frame(frame, methodology, path=raw, sheet=sheet)


def read_innovation_list(
    path: str | Path | RawFile, methodology: Methodology, *, sheet: str | int | None = None
) -> ImportResult | None:
    """:func:`read_innovation_export` of a maturity-grain list, or None (nothing validated)
    when the file holds indicator levels (the innovations sheet of a workbook found by name)."""
    raw = read_raw(path)
    sheet = sheet_for_role(raw, "innovations", sheet)
    frame = read_table(raw, sheet, header_test=header_test(methodology))
    if is_level_grain(frame, methodology):
        return None
    return import_frame(frame, methodology, path=raw, sheet=sheet)


def import_frame(
    frame: pd.DataFrame,
    methodology: Methodology,
    *,
    path: str | Path | RawFile | None = None,
    sheet: str | int | None = None,
) -> ImportResult:
    """:func:`read_innovation_export` for a frame already read (``attrs["source"]`` names it;
    ``path``: the file it was read from, where a workbook's profile sheet is looked for)."""
    source = source_of(frame, str(path) if path else "<innovations>")
    if is_level_grain(frame, methodology):
        raw = read_raw(path) if path is not None else None
        levels = innovations_from_frame(frame, methodology, raw=raw)
        return from_levels(levels, frame.columns, methodology, source)
    recognised = recognise_format(frame.columns)
    if recognised is None:
        headers = ", ".join(repr(c) for c in frame.columns if c != ROW)
        raise UnrecognisedFormatError(
            f"the header matches no known innovation list (columns: {headers}); expected e.g. "
            "'Judul Inovasi' and 'Kematangan', or 'Nama Inovasi' and 'Skor SID Terverifikasi'",
            source=source,
            rows=header_rows(frame),
        )
    renamed = pd.DataFrame(
        {ours: frame[theirs] for ours, theirs in recognised.columns.items()}, index=frame.index
    )
    if ROW in frame.columns:
        renamed[ROW] = frame[ROW]
    renamed.attrs.update(frame.attrs)
    notes = []
    preamble = frame.attrs.get("preamble", ())
    if preamble:
        shown = " | ".join(preamble)
        shown = shown if len(shown) <= 160 else shown[:157] + "..."
        notes.append(
            f"{len(preamble)} line(s) above the header (row {frame.attrs.get('header_row')}) "
            f"read as a title or notes: {shown}"
        )
    if "innovation_id" not in recognised.columns:
        notes.append("no id column: innovations numbered in file order (001, 002, ...)")
    if "status" not in recognised.columns:
        notes.append("no status column: every innovation taken as 'diterima'")
    table = check_maturities(renamed, methodology, source=source)
    return ImportResult(
        source=source,
        format_name=recognised.format.name,
        format_label=recognised.format.label,
        provenance=recognised.format.provenance,
        innovations=table,
        columns={theirs: ours for ours, theirs in recognised.columns.items()},
        ignored=tuple(frame.attrs.get("headers", {}).get(c, c) for c in recognised.ignored),
        notes=tuple(notes),
    )


def from_levels(
    levels: pd.DataFrame, headers, methodology: Methodology, source: str
) -> ImportResult:
    """The maturity-grain table of a validated level-grain table (maturities computed by the
    formula); ``headers``: the file's columns, for the list of columns ignored."""
    numbers = list(methodology.innovation_numbers)
    rejected = (levels["status"] == STATUS_REJECTED).to_numpy()
    table = levels[["innovation_id", "name", "opd", "stage", "status"]].copy()
    if "urusan" in levels.columns:
        table["urusan"] = levels["urusan"].to_numpy()
    table["maturity"] = maturity(levels[numbers].to_numpy(dtype=int), rejected, methodology)
    if ROW in levels.columns:
        table[ROW] = levels[ROW].to_numpy()
    table = table.reset_index(drop=True)
    table.attrs["source"] = source
    used = {"innovation_id", "name", "opd", "stage", "status", "urusan", ROW}
    ignored = tuple(
        c for c in headers if c not in used and indicator_label(c) not in set(numbers)
    )
    return ImportResult(
        source=source,
        format_name=LEVELS_FORMAT,
        format_label="iid-analysis innovations file at level grain (maturities computed)",
        provenance="CONFIRMED",
        innovations=table,
        ignored=ignored,
    )


def check_maturities(
    frame: pd.DataFrame, methodology: Methodology, *, source: str | None = None
) -> pd.DataFrame:
    """Validate a maturity-grain table (our column names) and return it normalised.

    Rules: ``maturity`` a number 0..max_innovation (blank is 0: not scored), ``stage`` one of
    inisiatif / uji coba / penerapan (absent or blank: penerapan), ``status`` diterima / ditolak
    (absent: diterima; a rejected innovation's maturity is 0), ``innovation_id`` unique (absent:
    numbered 001, 002, ... in file order). Returns the columns of :data:`MATURITY_COLUMNS`
    (``urusan`` only when given), the known extra fields present, and ``_row``.
    """
    source = source or source_of(frame, "<innovations>")
    n = len(frame)
    result = pd.DataFrame(index=frame.index)
    if "innovation_id" in frame.columns:
        ids = frame["innovation_id"].map(_text)
        blank = ids == ""
        if blank.any():
            raise InvalidValueError(
                "innovation_id is blank",
                source=source,
                rows=row_numbers(frame, blank),
                column="innovation_id",
            )
    else:
        ids = pd.Series([f"{i:03d}" for i in range(1, n + 1)], index=frame.index)
    duplicated = ids.duplicated(keep=False)
    if duplicated.any():
        raise DuplicateKeyError(
            f"innovation_id {ids[duplicated].iloc[0]!r} appears more than once",
            source=source,
            rows=row_numbers(frame, duplicated),
            column="innovation_id",
        )
    result["innovation_id"] = ids
    for column in ("name", "opd"):
        result[column] = frame[column].map(_text) if column in frame.columns else ""
    result["stage"] = _choices(frame, "stage", STAGES, UnknownStageError, source, "penerapan")
    result["status"] = _choices(
        frame, "status", STATUSES, UnknownStatusError, source, STATUS_ACCEPTED
    )
    if "urusan" in frame.columns:
        # Absent stays absent: the 2026 urusan rule is then named as unchecked, never passed.
        result["urusan"] = frame["urusan"].map(_text)
    if "maturity" not in frame.columns:
        raise MissingColumnError(
            "required column 'maturity' not found",
            source=source,
            rows=header_rows(frame),
            column="maturity",
        )
    result["maturity"] = _maturities(frame, methodology, source)
    result.loc[result["status"] == "ditolak", "maturity"] = 0.0
    for extra in EXTRA_FIELDS:
        if extra in frame.columns:
            result[extra] = frame[extra].map(iso_date_text if extra in DATE_FIELDS else _text)
    if "data_year" in frame.columns:
        result["data_year"] = frame["data_year"].map(_text)
    if ROW in frame.columns:
        result[ROW] = frame[ROW].to_numpy()
    result = result.reset_index(drop=True)
    result.attrs["source"] = source
    return result


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _choices(frame, column, allowed, error, source, default) -> pd.Series:
    if column not in frame.columns:
        return pd.Series([default] * len(frame), index=frame.index, dtype=object)
    values = frame[column].map(lambda v: normalize_choice(v) if _text(v) else default)
    bad = ~values.isin(allowed)
    if bad.any():
        raise error(
            f"got {frame.loc[bad, column].iloc[0]!r}; allowed: {', '.join(allowed)}",
            source=source,
            rows=row_numbers(frame, bad),
            column=column,
        )
    return values


def _maturities(frame: pd.DataFrame, methodology: Methodology, source: str) -> pd.Series:
    """The maturity column as numbers: ``87,5``, ``87.5`` and ``46.00 dari 111`` (SIMONDA's
    export) read; a score out of another maximum than the year's is refused."""
    top = methodology.max_innovation
    parsed = []
    for value in frame["maturity"]:
        text, out_of = score_text(_text(value))
        if text in ("", "-"):
            parsed.append(0.0)
            continue
        try:
            number = parse_decimal(text)
        except ValueError:
            number = float("nan")
        if out_of is not None and abs(out_of - top) > 1e-9:
            number = float("nan")
        parsed.append(number if 0 <= number <= top else float("nan"))
    series = pd.Series(parsed, index=frame.index, dtype=float)
    bad = series.isna()
    if bad.any():
        shown = frame.loc[bad, "maturity"].iloc[0]
        hint = (
            "; only ASCII digits are numbers (retype the digits)"
            if any(ch.isdigit() and not ch.isascii() for ch in str(shown))
            else ""
        )
        raise InvalidMaturityError(
            f"got {shown!r} (0..{top:g} under the {methodology.year} rules){hint}",
            source=source,
            rows=row_numbers(frame, bad),
            column="maturity",
        )
    return series


def write_maturity_file(result: ImportResult, path: str | Path) -> Path:
    """Write the imported table (without ``_row``) as our maturity-grain CSV, atomically."""
    table = result.innovations.drop(columns=ROW, errors="ignore")
    return write_csv(Path(path), table)


# --- one workbook per region ------------------------------------------------------------------

def load_region_workbook(
    path: str | Path | RawFile, methodology: Methodology
) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """A region's SPD and innovations from one workbook with several sheets.

    Sheets are found by name (:data:`SHEET_NAMES`). The innovations sheet is either level grain
    (wide, or long with a profile sheet) or a maturity-grain list of a known layout. Returns
    ``(spd, innovations)``: ``spd`` as :func:`~iid_analysis.inputs.dataset.load_spd` gives it, or
    None
    when there is no SPD sheet; ``innovations`` as
    :func:`~iid_analysis.inputs.dataset.load_innovations` gives it, or the maturity-grain table.
    ``innovations.attrs["grain"]`` is ``"level"`` or ``"maturity"``;
    ``innovations.attrs["sheets_read"]`` maps each role to the sheet read (also on ``spd``).
    """
    raw = read_raw(path)
    if raw.suffix not in EXCEL_SUFFIXES:
        raise MissingSheetError("a region workbook must be .xlsx or .xlsm", source=raw.name)
    names = workbook_sheet_names(raw)
    sheets = find_sheets(names)
    if "innovations" not in sheets:
        raise MissingSheetError(
            f"no innovations sheet (looked for {', '.join(SHEET_NAMES['innovations'])}; "
            f"sheets: {', '.join(names)})",
            source=raw.name,
        )
    read = {"innovations": sheets["innovations"]}
    frame = read_table(raw, sheets["innovations"])
    if is_level_grain(frame, methodology):
        profiles = None
        if {"indicator", "level"} <= set(frame.columns):
            if "profiles" not in sheets:
                raise MissingSheetError(
                    "long-form levels need a profile sheet (looked for "
                    f"{', '.join(SHEET_NAMES['profiles'])}; sheets: {', '.join(names)})",
                    source=raw.name,
                )
            read["profiles"] = sheets["profiles"]
            # The sheet named here is the profile sheet, not the first one with its columns.
            profiles = read_table(raw, sheets["profiles"])
        innovations = innovations_from_frame(frame, methodology, raw=raw, profiles=profiles)
        innovations.attrs["grain"] = "level"
    else:
        innovations = import_frame(frame, methodology, path=raw).innovations
        innovations.attrs["grain"] = "maturity"
    spd = None
    if "spd" in sheets:
        read["spd"] = sheets["spd"]
        spd = load_spd(raw, methodology, sheet=sheets["spd"])
        spd.attrs["sheets_read"] = dict(read)
    innovations.attrs["sheets_read"] = dict(read)
    return spd, innovations


__all__ = [
    "EXTRA_FIELDS",
    "FORMATS",
    "LEVELS_FORMAT",
    "Recognised",
    "from_levels",
    "is_level_grain",
    "ExportFormat",
    "ImportResult",
    "InvalidMaturityError",
    "MATURITY_COLUMNS",
    "MissingSheetError",
    "UnrecognisedFormatError",
    "check_maturities",
    "find_sheets",
    "header_key",
    "import_frame",
    "load_region_workbook",
    "read_innovation_export",
    "read_innovation_list",
    "recognise_format",
    "write_maturity_file",
]
