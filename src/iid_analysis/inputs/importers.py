"""Importers for the innovation lists regions already have, and for one-workbook region data.

The innovation list exported by the ministry's IID application and its regional copies carries
each innovation's *kematangan* (maturity, 0..111) but not its indicator levels; it is read into
the **maturity-grain** innovations table (:data:`MATURITY_COLUMNS`) that
:mod:`iid_analysis.feasibility.maturity_grain` scores. The layouts are known from third-party
public copies of the application (SECONDARY; see docs/importers.md). Files are only read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import (
    DuplicateKeyError,
    IIDDataError,
    InvalidValueError,
    MissingColumnError,
    UnknownStageError,
    UnknownStatusError,
)
from ..methodology import Methodology
from ..scoring import score_innovations
from .dataset import (
    EXCEL_SUFFIXES,
    load_innovations,
    load_spd,
    open_workbook,
    parse_decimal,
    read_table,
)
from .validation import (
    ROW,
    STAGES,
    STATUS_ACCEPTED,
    STATUSES,
    header_rows,
    indicator_label,
    normalize_choice,
    row_numbers,
    source_of,
)


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

EXTRA_FIELDS = ("jenis", "bentuk", "inisiator", "pemda", "trial_date", "implementation_date")


@dataclass(frozen=True)
class ExportFormat:
    """One known layout: ``fields`` maps our column to the header spellings that mean it."""

    name: str
    label: str
    provenance: str
    source: str
    fields: dict[str, tuple[str, ...]]
    required: tuple[str, ...]


_COMMON = {
    "jenis": ("jenis", "jenis inovasi"),
    "inisiator": ("inisiator", "inisiator inovasi"),
    "stage": ("tahapan inovasi", "tahapan", "tahap inovasi", "tahap"),
    "urusan": ("urusan pemerintah", "urusan pemerintahan", "urusan"),
}

FORMATS = (
    ExportFormat(
        name="iid_application",
        label="innovation list of the IID application (and its regional copies)",
        provenance="SECONDARY",
        source="columns of the innovation list in public copies of the ministry's application "
        "(e.g. GitHub riswandiii/iga); /work/shared/users/README.md",
        fields={
            "innovation_id": ("id", "id inovasi", "kode inovasi"),
            "name": ("judul inovasi", "nama inovasi", "judul"),
            "pemda": ("pemda", "pemerintah daerah", "nama pemda"),
            "opd": ("admin opd", "opd", "perangkat daerah", "nama opd"),
            "bentuk": ("bentuk inovasi", "bentuk"),
            "maturity": ("kematangan", "skor kematangan", "nilai kematangan", "tingkat kematangan"),
            "trial_date": ("tanggal uji coba", "waktu uji coba"),
            "implementation_date": ("tanggal penerapan", "waktu penerapan"),
            **_COMMON,
        },
        required=("name", "maturity"),
    ),
    ExportFormat(
        name="simonda",
        label="SIMONDA innovation export (a regional system, Kabupaten Rote Ndao)",
        provenance="SECONDARY",
        source="CSV export of GitHub prjctpy/simonda (verified, eligible innovations only); "
        "the maturity is 'Skor SID Terverifikasi' (0..111)",
        fields={
            "innovation_id": ("no", "nomor"),
            "name": ("nama inovasi", "judul inovasi"),
            "opd": ("opd pelaksana", "opd", "perangkat daerah"),
            "bentuk": ("bentuk", "bentuk inovasi"),
            "maturity": ("skor sid terverifikasi", "skor terverifikasi", "skor sid"),
            "trial_date": ("waktu uji coba", "tanggal uji coba"),
            "implementation_date": ("penerapan awal", "tanggal penerapan"),
            **_COMMON,
        },
        required=("name", "maturity"),
    ),
    ExportFormat(
        name="iid_analysis_maturity",
        label="iid-analysis innovations file at maturity grain",
        provenance="CONFIRMED",
        source="this package (docs/importers.md)",
        fields={
            "innovation_id": ("innovation id",),
            "name": ("name",),
            "opd": ("opd",),
            "stage": ("stage",),
            "status": ("status",),
            "urusan": ("urusan",),
            "maturity": ("maturity",),
            **{f: (f.replace("_", " "),) for f in EXTRA_FIELDS},
        },
        required=("innovation_id", "maturity"),
    ),
)
"""Known layouts, in the order they are tried (ties go to the first)."""

LEVELS_FORMAT = "iid_analysis_levels"
"""Our own level-grain innovations file (indicators 16..35): its maturities are computed."""


def header_key(name: object) -> str:
    """A header as lower-case words: ``Tanggal_Uji-Coba`` -> ``tanggal uji coba``; the usual
    spellings unified (``ujicoba``, ``tgl``, ``No.``)."""
    text = re.sub(r"[^0-9a-z]+", " ", str(name).replace("\ufeff", "").lower()).strip()
    text = re.sub(r"\bujicoba\b", "uji coba", text)
    text = re.sub(r"\btgl\b", "tanggal", text)
    text = re.sub(r"\bpemerintahan\b", "pemerintah", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Recognised:
    """The layout a header was recognised as, the column for each field and what was ignored."""

    format: ExportFormat
    columns: dict[str, str]
    ignored: tuple[str, ...]


def recognise_format(headers) -> Recognised | None:
    """The known layout that explains ``headers`` best (all its required fields found, then the
    most fields found), or None."""
    keys = {h: header_key(h) for h in headers if h != ROW}
    best = None
    for fmt in FORMATS:
        columns: dict[str, str] = {}
        for field_name, spellings in fmt.fields.items():
            wanted = {header_key(s) for s in spellings}
            for original, key in keys.items():
                if key in wanted and original not in columns.values():
                    columns[field_name] = original
                    break
        if not all(r in columns for r in fmt.required):
            continue
        if best is None or len(columns) > len(best.columns):
            ignored = tuple(h for h in keys if h not in columns.values())
            best = Recognised(fmt, columns, ignored)
    return best


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
            lines.append("  ignored columns: " + ", ".join(self.ignored))
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)


def read_innovation_export(
    path: str | Path, methodology: Methodology, *, sheet: str | int | None = None
) -> ImportResult:
    """Read an innovation list (an export of a known layout, our maturity-grain file, or our
    level-grain file) into the maturity-grain table, validated.

    Raises :class:`UnrecognisedFormatError` naming the headers when no layout fits, and the
    :class:`IIDDataError` subclasses of the readers and of :func:`check_maturities`.
    """
    frame = read_table(path, sheet)
    return import_frame(frame, methodology, path=path, sheet=sheet)


def import_frame(
    frame: pd.DataFrame,
    methodology: Methodology,
    *,
    path: str | Path | None = None,
    sheet: str | int | None = None,
) -> ImportResult:
    """:func:`read_innovation_export` for a frame already read (``attrs["source"]`` names it)."""
    source = source_of(frame, str(path) if path else "<innovations>")
    if _is_level_grain(frame, methodology):
        return _from_levels(frame, methodology, path, sheet, source)
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
        ignored=recognised.ignored,
        notes=tuple(notes),
    )


def _is_level_grain(frame: pd.DataFrame, methodology: Methodology) -> bool:
    labels = {indicator_label(c) for c in frame.columns if c != ROW}
    long_form = {"innovation_id", "indicator", "level"} <= set(frame.columns)
    return long_form or set(methodology.innovation_numbers) <= labels


def _from_levels(frame, methodology, path, sheet, source) -> ImportResult:
    if path is not None:
        levels = load_innovations(path, methodology, sheet=sheet)
    else:
        from .validation import check_innovations

        levels = check_innovations(frame, methodology, require_profile=True)
    scores = score_innovations(levels, methodology)
    table = scores[["innovation_id", "name", "opd", "stage", "status"]].copy()
    if "urusan" in levels.columns:
        table["urusan"] = levels["urusan"].to_numpy()
    table["maturity"] = scores["maturity"].to_numpy()
    if ROW in levels.columns:
        table[ROW] = levels[ROW].to_numpy()
    table.attrs["source"] = source
    numbers = set(methodology.innovation_numbers)
    used = {"innovation_id", "name", "opd", "stage", "status", "urusan", ROW}
    ignored = tuple(c for c in frame.columns if c not in used and indicator_label(c) not in numbers)
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
            result[extra] = frame[extra].map(_text)
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
    top = methodology.max_innovation
    parsed = []
    for value in frame["maturity"]:
        text = _text(value)
        if text in ("", "-"):
            parsed.append(0.0)
            continue
        try:
            number = parse_decimal(text)
        except ValueError:
            number = float("nan")
        parsed.append(number if 0 <= number <= top else float("nan"))
    series = pd.Series(parsed, index=frame.index, dtype=float)
    bad = series.isna()
    if bad.any():
        raise InvalidMaturityError(
            f"got {frame.loc[bad, 'maturity'].iloc[0]!r} (0..{top:g} under the "
            f"{methodology.year} rules)",
            source=source,
            rows=row_numbers(frame, bad),
            column="maturity",
        )
    return series


def write_maturity_file(result: ImportResult, path: str | Path) -> Path:
    """Write the imported table (without ``_row``) as our maturity-grain CSV, atomically."""
    from ..atomic import write_csv

    table = result.innovations.drop(columns=ROW, errors="ignore")
    return write_csv(Path(path), table)


# --- one workbook per region ------------------------------------------------------------------

SHEET_NAMES = {
    "spd": ("spd", "satuan pemerintah daerah", "indikator spd", "data spd"),
    "innovations": (
        "inovasi",
        "innovations",
        "daftar inovasi",
        "data inovasi",
        "indikator inovasi",
        "inovasi daerah",
        "level inovasi",
    ),
    "profiles": ("profil", "profiles", "profil inovasi", "profile"),
}
"""The sheet names recognised for each role (compared by :func:`header_key`)."""


def find_sheets(sheet_names) -> dict[str, str]:
    """The sheet for each role (``spd``, ``innovations``, ``profiles``) among ``sheet_names``,
    matched tolerantly: exact words first, then a name that contains a known name."""
    found: dict[str, str] = {}
    keys = {name: header_key(name) for name in sheet_names}
    for role, spellings in SHEET_NAMES.items():
        wanted = [header_key(s) for s in spellings]
        exact = [n for n, k in keys.items() if k in wanted]
        loose = [n for n, k in keys.items() if any(w in k for w in wanted)]
        for name in exact + loose:
            if name not in found.values():
                found[role] = name
                break
    return found


def workbook_sheet_names(path: str | Path) -> list[str]:
    """The visible sheet names of a workbook, after the readers' file and archive checks
    (:func:`~iid_analysis.inputs.dataset.open_workbook`); a hidden sheet is never found by name."""
    workbook = open_workbook(path)
    try:
        return [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]
    finally:
        workbook.close()


def load_region_workbook(
    path: str | Path, methodology: Methodology
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
    path = Path(path)
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        raise MissingSheetError("a region workbook must be .xlsx or .xlsm", source=path.name)
    names = workbook_sheet_names(path)
    sheets = find_sheets(names)
    if "innovations" not in sheets:
        raise MissingSheetError(
            f"no innovations sheet (looked for {', '.join(SHEET_NAMES['innovations'])}; "
            f"sheets: {', '.join(names)})",
            source=path.name,
        )
    read = {"innovations": sheets["innovations"]}
    frame = read_table(path, sheets["innovations"])
    if _is_level_grain(frame, methodology):
        if {"indicator", "level"} <= set(frame.columns):
            if "profiles" not in sheets:
                raise MissingSheetError(
                    "long-form levels need a profile sheet (looked for "
                    f"{', '.join(SHEET_NAMES['profiles'])}; sheets: {', '.join(names)})",
                    source=path.name,
                )
            read["profiles"] = sheets["profiles"]
        innovations = _load_levels_with_profile_sheet(path, sheets, read, methodology)
        innovations.attrs["grain"] = "level"
    else:
        innovations = import_frame(frame, methodology, path=path).innovations
        innovations.attrs["grain"] = "maturity"
    spd = None
    if "spd" in sheets:
        read["spd"] = sheets["spd"]
        spd = load_spd(path, methodology, sheet=sheets["spd"])
        spd.attrs["sheets_read"] = dict(read)
    innovations.attrs["sheets_read"] = dict(read)
    return spd, innovations


def _load_levels_with_profile_sheet(path, sheets, read, methodology) -> pd.DataFrame:
    if "profiles" not in read:
        return load_innovations(path, methodology, sheet=sheets["innovations"])
    # The reader looks for the profile sheet itself among the other sheets; the one it must
    # find is the one named here, so hand it over as a frame of that sheet.
    from .dataset import _long_to_wide
    from .validation import check_innovations

    levels = read_table(path, sheets["innovations"])
    profiles = read_table(path, sheets["profiles"])
    wide = _long_to_wide(levels, profiles, methodology)
    result = check_innovations(wide, methodology, require_profile=True)
    result.attrs["source"] = wide.attrs["source"]
    return result


__all__ = [
    "FORMATS",
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
    "recognise_format",
    "write_maturity_file",
]
