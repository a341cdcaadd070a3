"""The data-collection workbook a planning office sends to its OPDs (``iid-analysis template``).

One Excel workbook in Indonesian: *Petunjuk* (instructions), *SPD* (one row per region-level
indicator, its level chosen from a dropdown of the level's own words, and the evidence record),
*Inovasi* (one row per innovation: profile, urusan, jenis, and each indicator 16..35 as a level
dropdown with an evidence-link column) and a hidden *Daftar* sheet holding the dropdown lists and
the year the workbook was made for. The validation is real Excel data validation: Excel refuses a
value that is not in the list. :mod:`iid_analysis.collection.collect` reads the filled workbooks
back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..atomic import atomic_path
from ..errors import IncompleteRulesError, UsageError
from ..inputs.validation import STAGES, STATUSES, normalize_choice
from ..methodology import BASIC_URUSAN, LEVELS, Methodology
from ..workbook_writer import (
    MAX_ROWS,
    WRAP,
    Book,
    check_rows,
    check_text,
    column_letter,
    date_validation,
    list_validation,
    new_workbook,
    put,
    sheet_range,
    style,
    workbook_bytes,
)

SHEET_INSTRUCTIONS = "Petunjuk"
SHEET_SPD = "SPD"
SHEET_INNOVATIONS = "Inovasi"
SHEET_LISTS = "Daftar"

TEMPLATE_VERSION = "1"
"""Written in the Daftar sheet; :mod:`iid_analysis.collection.collect` reads workbooks of this
layout."""

OPD_SHORT_FORMS_LIST = "opd_singkatan"
"""The Daftar list holding each OPD with its short forms, ``Official; short; short``."""

DEFAULT_ROWS = 300
"""Innovation rows that carry the dropdowns (an OPD needing more copies a row down)."""

MAX_TEMPLATE_ROWS = MAX_ROWS - 1
"""The most innovation rows ``--rows`` may ask for: an Excel sheet's 1,048,576 rows less the
header."""

JENIS = ("digital", "non digital")

URUSAN_WAJIB_PELAYANAN_DASAR = BASIC_URUSAN
"""The 6 basic-service affairs (UU 23/2014 Pasal 12 ayat 1), as the 2026 count rule names them."""

URUSAN_WAJIB_NON_PELAYANAN_DASAR = (
    "tenaga kerja",
    "pemberdayaan perempuan dan pelindungan anak",
    "pangan",
    "pertanahan",
    "lingkungan hidup",
    "administrasi kependudukan dan pencatatan sipil",
    "pemberdayaan masyarakat dan desa",
    "pengendalian penduduk dan keluarga berencana",
    "perhubungan",
    "komunikasi dan informatika",
    "koperasi, usaha kecil, dan menengah",
    "penanaman modal",
    "kepemudaan dan olah raga",
    "statistik",
    "persandian",
    "kebudayaan",
    "perpustakaan",
    "kearsipan",
)
"""UU 23/2014 Pasal 12 ayat 2."""

URUSAN_PILIHAN = (
    "kelautan dan perikanan",
    "pariwisata",
    "pertanian",
    "kehutanan",
    "energi dan sumber daya mineral",
    "perdagangan",
    "perindustrian",
    "transmigrasi",
)
"""UU 23/2014 Pasal 12 ayat 3."""

URUSAN_PENUNJANG = (
    "perencanaan",
    "keuangan",
    "kepegawaian",
    "pendidikan dan pelatihan",
    "penelitian dan pengembangan",
    "fungsi lain sesuai dengan ketentuan peraturan perundang-undangan",
)
"""The supporting functions (fungsi penunjang urusan pemerintahan) the IID application offers
after the 32 urusan, so that Bappeda, BPKAD, BKD and the like can name their own affair. Source:
the urusan table of a public copy of the IID application, github.com/riswandiii/iga,
``database/inovasi_db.sql`` (table ``urusan__pemerintahans``, ids 33-38); words written here in
lower case as the other lists."""

URUSAN = (
    URUSAN_WAJIB_PELAYANAN_DASAR
    + URUSAN_WAJIB_NON_PELAYANAN_DASAR
    + URUSAN_PILIHAN
    + URUSAN_PENUNJANG
)
"""The urusan dropdown: the 6 basic-service urusan (from the methodology), the 26 other urusan of
UU 23/2014 and the supporting functions (:data:`URUSAN_PENUNJANG`)."""


@dataclass(frozen=True)
class Column:
    """One column of a template sheet: the key in the collected files and the header shown."""

    key: str
    header: str
    width: float = 14


SPD_COLUMNS = (
    Column("indicator", "No.", 6),
    Column("name", "Indikator", 48),
    Column("level", "Level", 50),
    Column("evidence_nomor_surat", "Nomor surat", 22),
    Column("evidence_tanggal", "Tanggal surat", 14),
    Column("evidence_tentang", "Tentang", 36),
    Column("evidence_link", "Tautan", 36),
)
"""SPD sheet columns, in order (``level`` holds the dropdown)."""

PROFILE_COLUMNS = (
    Column("innovation_id", "ID Inovasi", 14),
    Column("name", "Nama Inovasi", 36),
    Column("opd", "OPD", 28),
    Column("stage", "Tahapan", 12),
    Column("status", "Status", 11),
    Column("urusan", "Urusan", 30),
    Column("jenis", "Jenis", 12),
)
"""Innovation profile columns, in order; then, per indicator, its level and its evidence link."""

EVIDENCE_LINK_PREFIX = "evidence_link_"
_EVIDENCE_HEADER = "Tautan bukti {number}"


def indicator_header(number: str, name: str) -> str:
    """The header of an indicator's level column (``16. Regulasi Inovasi Daerah``)."""
    return f"{number}. {name}"


def evidence_header(number: str) -> str:
    return _EVIDENCE_HEADER.format(number=number)


def level_choice(level: int, label: str) -> str:
    """A dropdown item: the level and its words (``3 - Peraturan Daerah``)."""
    return f"{level} - {label}"


def level_choices(methodology: Methodology, number: str) -> tuple[str, ...]:
    """The dropdown items of one indicator, level 0 to 3, in the methodology table's words."""
    indicator = methodology.indicator(number)
    labels = {entry.level: entry.label for entry in indicator.levels}
    return tuple(level_choice(lv, labels.get(lv, "tidak diisi")) for lv in LEVELS)


def template_keywords(year: int) -> str:
    """The workbook's keywords property: names the template layout and the year."""
    return f"iid-analysis-template;versi={TEMPLATE_VERSION};tahun={year}"


def keywords_year(keywords: str | None) -> str | None:
    """The year in a keywords property written by :func:`template_keywords`, else None."""
    match = re.search(r"iid-analysis-template;.*\btahun=(\d{4})", keywords or "")
    return match.group(1) if match else None


def build_template(
    methodology: Methodology,
    *,
    region: str | None = None,
    opds: tuple[str, ...] | None = None,
    rows: int = DEFAULT_ROWS,
    opd_short_forms: Mapping[str, Sequence[str]] | None = None,
) -> Book:
    """The collection workbook for ``methodology``'s year (see the module docstring).

    Every text is written as typed text, never a formula
    (:func:`iid_analysis.workbook_writer.put`). A
    ``region`` or OPD name holding a control character a workbook cannot hold (ESC, NUL, ...)
    is refused with a :class:`UsageError` naming ``--region`` / ``--opds``; ``rows`` must lie
    in 1..:data:`MAX_TEMPLATE_ROWS` (``--rows``)."""
    if not methodology.indicators:
        # Years such as 2021/2022 have bands only; the rules file names no indicator table.
        raise IncompleteRulesError(
            f"no indicator table is known for {methodology.year} (rules.csv names none), so "
            "there are no levels to put in the workbook"
        )
    check_rows(rows, "--rows")
    check_text(region, "--region")
    for number, name in enumerate(opds or (), start=1):
        check_text(name, "--opds", f"name {number}")
        for form in (opd_short_forms or {}).get(name, ()):
            check_text(form, "--opds", f"short form of name {number}")
    # The same year in the file's properties, which a reader finds without parsing any sheet.
    book = new_workbook(keywords=template_keywords(methodology.year))
    instructions = book.add_sheet(SHEET_INSTRUCTIONS)
    spd = book.add_sheet(SHEET_SPD)
    innovations = book.add_sheet(SHEET_INNOVATIONS)
    lists = book.add_sheet(SHEET_LISTS)
    lists.hide()

    ranges = _write_lists(lists, methodology, region, opds, opd_short_forms)
    _write_instructions(instructions, methodology, region, opds)
    _write_spd(spd, methodology, ranges)
    _write_innovations(innovations, methodology, ranges, opds, rows)
    return book


def write_template(
    path: str | Path,
    methodology: Methodology,
    *,
    region: str | None = None,
    opds: tuple[str, ...] | None = None,
    rows: int = DEFAULT_ROWS,
    opd_short_forms: Mapping[str, Sequence[str]] | None = None,
) -> Path:
    """Build the workbook and save it to ``path`` atomically."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"--output must end in .xlsx, got {path.name}")
    book = build_template(
        methodology, region=region, opds=opds, rows=rows, opd_short_forms=opd_short_forms
    )
    data = workbook_bytes(book)
    with atomic_path(path, suffix=".xlsx") as temporary:
        temporary.write_bytes(data)
    return path


# --- sheets ----------------------------------------------------------------------------------

_HEADER = style(bold=True, font_color="#FFFFFF", bg_color="#1F4E79", pattern=1, text_wrap=True,
                valign="top")
_TITLE = style(bold=True, font_size=13, text_wrap=True, valign="top")

# The Daftar sheet: A1:B4 hold key/value metadata; lists start in column D, one per column,
# with a title in row 1 and items from row 2.
META_KEYS = ("template", "versi", "tahun", "wilayah")
_LIST_FIRST_COLUMN = 4


def _write_lists(sheet, methodology, region, opds, short_forms=None) -> dict[str, str]:
    """Write every dropdown list; return {list name: absolute range formula}."""
    meta = {
        "template": "iid-analysis",
        "versi": TEMPLATE_VERSION,
        "tahun": methodology.year,
        "wilayah": region or "",
    }
    for row, key in enumerate(META_KEYS, start=1):
        put(sheet, row, 1, key)
        put(sheet, row, 2, meta[key])
    lists: dict[str, tuple[str, ...]] = {
        "tahapan": STAGES,
        "status": STATUSES,
        "jenis": JENIS,
        "urusan": URUSAN,
    }
    if opds:
        lists["opd"] = tuple(opds)
        # Each OPD's short forms ("Dinas Kesehatan; Dinkes"), read back by collect: no dropdown.
        with_forms = [n for n in opds if (short_forms or {}).get(n)]
        if with_forms:
            lists[OPD_SHORT_FORMS_LIST] = tuple(
                "; ".join([n, *short_forms[n]]) for n in with_forms
            )
    for indicator in methodology.indicators:
        lists[f"level_{indicator.number}"] = level_choices(methodology, indicator.number)
    ranges = {}
    for offset, (name, items) in enumerate(lists.items()):
        column = _LIST_FIRST_COLUMN + offset
        put(sheet, 1, column, name)
        for row, item in enumerate(items, start=2):
            put(sheet, row, column, item)
        ranges[name] = sheet_range(SHEET_LISTS, column, 2, len(items) + 1)
    return ranges


def _write_instructions(sheet, methodology, region, opds) -> None:
    rules = methodology.rules.get("indicators")
    table_note = (
        f"Tabel indikator: {rules.value} ({rules.provenance}: {rules.source})" if rules else ""
    )
    lines = [
        f"Lembar isian data Indeks Inovasi Daerah (IID) tahun {methodology.year}"
        + (f" - {region}" if region else ""),
        "",
        "Cara mengisi:",
        "1. Lembar 'SPD' (diisi oleh Bappeda/perencana): untuk setiap indikator pilih level dari "
        "daftar pilihan di kolom 'Level', lalu isi bukti dukung: nomor surat, tanggal surat, "
        "tentang, dan tautan dokumen.",
        "2. Lembar 'Inovasi' (diisi oleh setiap OPD): satu baris untuk satu inovasi. Isi ID "
        "Inovasi yang unik se-kabupaten/kota (awali dengan singkatan OPD, misalnya DINKES-01), "
        "nama, OPD, tahapan (inisiatif / uji coba / penerapan), status, urusan, dan jenis "
        "(digital / non digital). Perangkat daerah penunjang (Bappeda, BPKAD, BKPSDM, dan "
        "sejenisnya) memilih fungsi penunjangnya di akhir daftar urusan (perencanaan, keuangan, "
        "kepegawaian, pendidikan dan pelatihan, penelitian dan pengembangan).",
        "3. Untuk indikator 16 sampai 35 pilih level dari daftar pilihan (0 sampai 3, dengan "
        "uraian level), dan tempel tautan bukti dukung di kolom 'Tautan bukti' di sebelahnya. "
        "Level yang diisi tanpa bukti dukung akan dinilai 0 oleh verifikator.",
        "4. Kosongkan level bila indikator belum dipenuhi (dihitung 0). Status dikosongkan "
        "berarti belum diverifikasi (dihitung sebagai diterima).",
        "5. Jangan mengubah judul kolom, menghapus daftar pilihan, menggabungkan sel (merge), "
        "menulis rumus, atau menyembunyikan lembar. Jangan menambah baris judul kedua.",
        "6. Simpan sebagai .xlsx dan kirim kembali ke Bappeda. Satu berkas per OPD, atau satu "
        "berkas untuk seluruh daerah.",
        "",
        table_note,
        f"Aturan tahun {methodology.year} yang belum CONFIRMED: "
        + (", ".join(methodology.not_confirmed) or "-"),
    ]
    if opds:
        lines.append(f"Daftar OPD: {len(opds)} perangkat daerah (pilihan di kolom OPD).")
    sheet.width(1, 120)
    for row, text in enumerate(lines, start=1):
        put(sheet, row, 1, text, look=_TITLE if row == 1 else WRAP)


def _header(sheet, columns) -> None:
    for index, column in enumerate(columns, start=1):
        put(sheet, 1, index, column.header, look=_HEADER)
        sheet.width(index, column.width)
    sheet.freeze("C2")


def _list_validation(cells: str, formula: str, title: str, prompt: str | None = None):
    return list_validation(
        cells,
        source=formula,
        title=title,
        error="Pilih salah satu nilai dari daftar pilihan.",
        prompt=prompt,
    )


def _write_spd(sheet, methodology, ranges) -> None:
    _header(sheet, SPD_COLUMNS)
    level_col = column_letter(_column_index(SPD_COLUMNS, "level"))
    date_col = column_letter(_column_index(SPD_COLUMNS, "evidence_tanggal"))
    first = 2
    for row, indicator in enumerate(methodology.spd_indicators, start=first):
        put(sheet, row, 1, indicator.number)
        put(sheet, row, 2, indicator.name_id, look=WRAP)
        validation = _list_validation(
            f"{level_col}{row}",
            ranges[f"level_{indicator.number}"],
            f"Level indikator {indicator.number}",
        )
        sheet.validate(validation)
    last = first + len(methodology.spd_indicators) - 1
    dates = date_validation(
        f"{date_col}{first}:{date_col}{last}",
        title="Tanggal surat",
        error="Isi tanggal (misalnya 17/08/2025).",
    )
    sheet.validate(dates)


def _write_innovations(sheet, methodology, ranges, opds, rows) -> None:
    columns = innovation_columns(methodology)
    _header(sheet, columns)
    sheet.height(1, 45)
    last = rows + 1

    def span(key: str) -> str:
        letter = column_letter(_column_index(columns, key))
        return f"{letter}2:{letter}{last}"

    choices = {"stage": "tahapan", "status": "status", "jenis": "jenis", "urusan": "urusan"}
    if opds:
        choices["opd"] = "opd"
    for key, list_name in choices.items():
        title = next(c.header for c in PROFILE_COLUMNS if c.key == key)
        sheet.validate(_list_validation(span(key), ranges[list_name], title))
    for indicator in methodology.innovation_indicators:
        validation = _list_validation(
            span(indicator.number),
            ranges[f"level_{indicator.number}"],
            f"Indikator {indicator.number}",
            prompt=indicator.name_id,
        )
        sheet.validate(validation)


def _column_index(columns, key: str) -> int:
    return next(i for i, c in enumerate(columns, start=1) if c.key == key)


def innovation_columns(methodology: Methodology) -> tuple[Column, ...]:
    """Every column of the Inovasi sheet, in order, for ``methodology``'s table."""
    columns = list(PROFILE_COLUMNS)
    for indicator in methodology.innovation_indicators:
        number = indicator.number
        columns.append(Column(number, indicator_header(number, indicator.name_id), 30))
        columns.append(Column(EVIDENCE_LINK_PREFIX + number, evidence_header(number), 24))
    return tuple(columns)


# --- header matching (used by collect) -------------------------------------------------------

_LEADING_NUMBER = re.compile(r"^(\d{1,2}[a-z]?)(?:[.)]|\s|$)")
_EVIDENCE = re.compile(r"^(?:tautan bukti|tautan|evidence link|evidence_link|link)[\s_]*(\d{1,2})$")


def header_key(text: object, aspect_numbers: tuple[str, ...], fixed: dict[str, str]) -> str | None:
    """The column key of a header cell, or None when it is not a column of the template.

    ``fixed`` maps normalised header text to key (the template's headers and the English keys);
    an indicator column is recognised by its leading number, an evidence column by
    ``Tautan bukti N``.
    """
    if text is None:
        return None
    normal = normalize_choice(text)
    if normal in fixed:
        return fixed[normal]
    evidence = _EVIDENCE.match(normal)
    if evidence and evidence.group(1) in aspect_numbers:
        return EVIDENCE_LINK_PREFIX + evidence.group(1)
    number = _LEADING_NUMBER.match(normal)
    if number and number.group(1) in aspect_numbers:
        return number.group(1)
    return None


def header_aliases(columns) -> dict[str, str]:
    """{normalised header text or key: key} for ``columns``."""
    aliases = {}
    for column in columns:
        aliases[normalize_choice(column.header)] = column.key
        aliases[normalize_choice(column.key)] = column.key
    return aliases
