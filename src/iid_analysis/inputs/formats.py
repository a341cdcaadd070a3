"""Recognising what a file holds by its columns: the known innovation-list layouts, the grain
(indicator levels or *kematangan*), and the sheet of a workbook that holds each role.

The layouts are known from third-party public copies of the IID application and from regional
systems (SECONDARY; see docs/importers.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..methodology import Methodology
from .files import EXCEL_SUFFIXES, RawFile
from .validation import ROW, indicator_label, normalize_header
from .workbook_reader import read_workbook

EXTRA_FIELDS = (
    "jenis",
    "bentuk",
    "inisiator",
    "pemda",
    "trial_date",
    "implementation_date",
    "development_date",
    "rancang_bangun",
)
"""Known columns passed through with the maturity-grain table (dates written ISO)."""
DATE_FIELDS = ("trial_date", "implementation_date", "development_date")


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
            "development_date": ("tanggal pengembangan", "pengembangan terbaru"),
            "rancang_bangun": ("rancang bangun", "rancangan bangun"),
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
            "development_date": ("pengembangan terbaru", "tanggal pengembangan"),
            "rancang_bangun": ("rancang bangun",),
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
            "data_year": ("data year", "tahun data"),
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


def is_level_grain(frame: pd.DataFrame, methodology: Methodology) -> bool:
    """Whether a table holds indicator levels: long form (innovation_id, indicator, level) or
    a column for every innovation indicator of the year."""
    labels = {indicator_label(c) for c in frame.columns if c != ROW}
    long_form = {"innovation_id", "indicator", "level"} <= set(frame.columns)
    return long_form or set(methodology.innovation_numbers) <= labels


def header_test(methodology: Methodology | None = None):
    """A test of whether a row of cells is a header we know: an SPD header (indicator, level),
    our innovations header (innovation_id and name, or half of the year's indicator columns),
    or one of the :data:`FORMATS`. The readers skip a title or note block above such a row."""
    numbers = set(methodology.innovation_numbers) if methodology is not None else set()

    def test(cells: list[str]) -> bool:
        texts = [c for c in cells if c]
        if len(texts) < 2:
            return False
        names = {normalize_header(c) for c in texts}
        if {"indicator", "level"} <= names or {"innovation_id", "name"} <= names:
            return True
        if numbers and len({indicator_label(c) for c in texts} & numbers) * 2 >= len(numbers):
            return True
        return recognise_format(texts) is not None

    return test


def workbook_sheet_names(path: str | Path | RawFile) -> list[str]:
    """The visible sheet names of a workbook, after the readers' file and archive checks; a
    hidden sheet is never found by name."""

    def names(workbook) -> list[str]:
        return [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]

    return read_workbook(path, names, names)


def sheet_for_role(path: str | Path | RawFile, role: str, sheet: str | int | None = None):
    """The sheet to read for ``role`` (``spd``, ``innovations``, ``profiles``): ``sheet`` when
    given; in a workbook with several visible sheets, the one named for the role
    (:func:`find_sheets`: *SPD*, *Inovasi*, *Profil*, ...), so one
    region workbook can be given as both the SPD and the innovations file; else None (the rule
    of :func:`choose_sheet`)."""
    suffix = Path(path.path if isinstance(path, RawFile) else path).suffix
    if sheet is not None or suffix.lower() not in EXCEL_SUFFIXES:
        return sheet
    names = workbook_sheet_names(path)
    return find_sheets(names).get(role) if len(names) > 1 else None




__all__ = [
    "DATE_FIELDS",
    "EXTRA_FIELDS",
    "FORMATS",
    "LEVELS_FORMAT",
    "SHEET_NAMES",
    "ExportFormat",
    "Recognised",
    "find_sheets",
    "header_key",
    "header_test",
    "is_level_grain",
    "recognise_format",
    "sheet_for_role",
    "workbook_sheet_names",
]
