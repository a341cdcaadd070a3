"""Reading the filled collection workbooks back (``iid-analysis collect``).

Every workbook in a folder (one per OPD, or one for the whole region) is read, checked cell by
cell, merged, validated with the package's rules (:func:`~iid_analysis.inputs.validation.check_spd`,
:func:`~iid_analysis.inputs.validation.check_innovations`) and returned as the SPD and wide
innovation
tables the other commands read, with the urusan, jenis and evidence columns carried through, plus
a data-quality report. One OPD's bad workbook never blocks the others: it is reported (file,
sheet, row, column, rule) and left out.

Severity of a finding: ``error`` (the file, or the rows, are left out), ``warning`` (kept, but the
verifier may score it down), ``info``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from ..atomic import write_csv
from ..errors import (
    DuplicateKeyError,
    HiddenSheetError,
    IIDDataError,
    MissingColumnError,
    SecondHeaderRowError,
    SheetNotFoundError,
    UnreadableFileError,
    UsageError,
    WorkbookYearError,
)
from ..inputs.dataset import (
    FastWorkbook,
    WorkbookFallback,
    cell_text,
    open_workbook,
    sheet_rows,
    sheet_source,
)
from ..inputs.validation import (
    STAGES,
    STATUS_ACCEPTED,
    STATUSES,
    check_indicator,
    check_innovations,
    check_spd,
    indicator_label,
    normalize_choice,
    parse_level,
)
from ..methodology import Methodology
from .template import (
    EVIDENCE_LINK_PREFIX,
    JENIS,
    META_KEYS,
    SHEET_INNOVATIONS,
    SHEET_INSTRUCTIONS,
    SHEET_LISTS,
    SHEET_SPD,
    SPD_COLUMNS,
    URUSAN,
    header_aliases,
    header_key,
    innovation_columns,
    keywords_year,
    level_choices,
)

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}

IMPLEMENTATION_INDICATORS = ("28", "29", "31", "33", "34")
"""Indicators that measure an innovation in use: time to a result, complaints settled,
replication, beneficiaries, monitoring of use. An innovation still at the *inisiatif* stage has
none of these yet, so a level there is flagged (this package's reading of the indicator words,
not an official rule)."""

SEVERITIES = ("error", "warning", "info")
LEFT_OUT = "left out"
FILE_LEFT_OUT = "file left out"
KEPT = "kept"

FINDING_COLUMNS = (
    "opd", "file", "sheet", "row", "column", "cell", "check", "severity", "detail", "action",
)  # fmt: skip

_HEADER_SEARCH_ROWS = 10
_UNKNOWN = object()
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}(?: 00:00:00)?$")
_DATETIME_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


@dataclass(frozen=True)
class Finding:
    """One data-quality finding (see the module docstring for severity)."""

    opd: str
    file: str
    sheet: str
    row: int | None
    column: str
    cell: str
    check: str
    severity: str
    detail: str
    action: str


@dataclass
class Collection:
    """The merged data of one collect run and what was found on the way.

    ``spd``: one row per SPD indicator of the year (indicator, level, evidence columns, source);
    ``innovations``: wide form with innovation_id, name, opd, stage, status, urusan, jenis,
    the indicators 16..35, ``evidence_link_N`` per indicator and the source file, sheet and row;
    ``findings``: one row per finding (:data:`FINDING_COLUMNS`); ``files``: one row per
    workbook (file, status ``collected`` or ``file left out``).
    """

    year: int
    spd: pd.DataFrame
    innovations: pd.DataFrame
    findings: pd.DataFrame
    files: pd.DataFrame
    opds: tuple[str, ...] | None = None
    summary: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Per OPD and file: status, innovations collected and left out, SPD levels, errors,
    warnings."""

    @property
    def left_out(self) -> bool:
        """True when any file or row was left out."""
        return bool(self.findings["action"].isin([LEFT_OUT, FILE_LEFT_OUT]).any())


SUMMARY_COLUMNS = (
    "opd", "file", "status", "innovations_collected", "innovations_left_out", "spd_levels",
    "errors", "warnings",
)  # fmt: skip


# --- one workbook ----------------------------------------------------------------------------


@dataclass
class _Workbook:
    """What one workbook holds once read: rows in the output format and its own findings."""

    file: str
    innovations: list[dict] = field(default_factory=list)
    spd: list[dict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    row_opds: dict[int, str] = field(default_factory=dict)
    """Every innovation data row read (good or bad): sheet row -> OPD named on it."""

    @property
    def opd(self) -> str:
        """The OPD most rows name (the file's stem when none does)."""
        names = Counter(r["opd"] for r in self.innovations if r["opd"])
        return names.most_common(1)[0][0] if names else Path(self.file).stem


class _Reader:
    """Reads the workbooks of one year (levels parsed with that year's dropdown words)."""

    def __init__(self, methodology: Methodology, opds: tuple[str, ...] | None) -> None:
        self.methodology = methodology
        self.opds = opds
        self.opd_keys = {normalize_choice(o): o for o in opds} if opds else None
        self.numbers = methodology.innovation_numbers
        self.spd_numbers = methodology.spd_numbers
        self.columns = innovation_columns(methodology)
        self.innovation_aliases = header_aliases(self.columns)
        self.spd_aliases = header_aliases(SPD_COLUMNS)
        self.choices = {
            ind.number: {
                _normal_text(choice): level
                for level, choice in enumerate(level_choices(methodology, ind.number))
            }
            for ind in methodology.indicators
        }
        self.urusan = {normalize_choice(u): u for u in URUSAN}
        self.headers = {c.key: c.header for c in self.columns}
        self.link_keys = {n: EVIDENCE_LINK_PREFIX + n for n in self.numbers}
        self.early_numbers = [n for n in IMPLEMENTATION_INDICATORS if n in self.numbers]
        self._cell_keys: dict | None = None
        self._cell_letters: dict[str, str] = {}
        # Workbooks of one template repeat the same texts: each is normalised and parsed once.
        self._choices: dict[str, str] = {}
        self._header_keys: dict[tuple[str, int], str | None] = {}
        self._levels: dict[tuple[str, str], tuple[int, str | None]] = {}

    def _choice(self, text: str) -> str:
        """:func:`normalize_choice` of ``text``, cached."""
        normal = self._choices.get(text)
        if normal is None:
            normal = self._choices[text] = normalize_choice(text)
        return normal

    # -- workbook ---------------------------------------------------------------------------
    def read(self, path: Path) -> _Workbook:
        """Read one workbook; a structural problem raises :class:`IIDDataError`, cell problems
        become error findings."""
        try:
            return self._read(path, _open(path))
        except WorkbookFallback:
            return self._read(path, _OpenpyxlWorkbook(path))

    def _read(self, path: Path, workbook) -> _Workbook:
        result = _Workbook(path.name)
        try:
            sheets = {ws.title.strip().casefold(): ws for ws in workbook.worksheets}
            self._check_year(workbook, sheets.get(SHEET_LISTS.casefold()), path)
            spd_sheet = sheets.get(SHEET_SPD.casefold())
            innovation_sheet = sheets.get(SHEET_INNOVATIONS.casefold())
            if spd_sheet is None and innovation_sheet is None:
                raise SheetNotFoundError(
                    f"no sheet named {SHEET_SPD!r} or {SHEET_INNOVATIONS!r} (sheets: "
                    f"{', '.join(repr(ws.title) for ws in workbook.worksheets)}); "
                    "use the workbook made by 'iid-analysis template'",
                    source=path.name,
                )
            for sheet in (spd_sheet, innovation_sheet):
                if sheet is not None and sheet.sheet_state != "visible":
                    raise HiddenSheetError(
                        f"sheet {sheet.title!r} is {sheet.sheet_state}; unhide it if its rows "
                        "are meant to be collected, or delete it",
                        source=sheet_source(path, sheet),
                    )
            if innovation_sheet is not None:
                self._read_innovations(path, innovation_sheet, result)
            if spd_sheet is not None:
                self._read_spd(path, spd_sheet, result)
            for sheet in workbook.worksheets:
                known = sheet in (spd_sheet, innovation_sheet) or sheet.title in (
                    SHEET_LISTS,
                    SHEET_INSTRUCTIONS,
                )
                if not known:
                    state = "hidden " if sheet.sheet_state != "visible" else ""
                    result.findings.append(
                        self._finding(
                            result,
                            sheet.title,
                            None,
                            "",
                            "other_sheet",
                            "info",
                            f"{state}sheet {sheet.title!r} is not read",
                            KEPT,
                        )
                    )
        finally:
            workbook.close()
        return result

    def _check_year(self, workbook, lists, path: Path) -> None:
        year = keywords_year(workbook.keywords)
        if year is None and lists is not None:
            meta = {}
            for row in range(1, len(META_KEYS) + 1):
                meta[str(lists.cell_value(row, 1))] = lists.cell_value(row, 2)
            year = cell_text(meta.get("tahun"))
        # No year: a workbook made by hand; its headers and levels are checked all the same.
        if year and year != str(self.methodology.year):
            raise WorkbookYearError(
                f"the workbook was made for {year} but {self.methodology.year} is being "
                "collected (the level words differ between years); fill a template of "
                f"{self.methodology.year}",
                source=f"{path.name} [sheet {SHEET_LISTS}]",
                cell="B3",
            )

    def _finding(self, book, sheet, row, column, check, severity, detail, action, opd=None,
                 cell=""):  # fmt: skip
        return Finding(
            opd=opd or book.opd,
            file=book.file,
            sheet=sheet,
            row=row,
            column=column,
            cell=cell,
            check=check,
            severity=severity,
            detail=detail,
            action=action,
        )

    # -- header -----------------------------------------------------------------------------
    def _header(self, rows, source, aliases, numbers, required):
        """(index of the header in ``rows``, {column position: key}); raises when not found."""
        for index, (line, cells) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
            cache = self._header_keys  # by (text, which aliases: one per sheet kind)
            keys = {}
            for j, c in enumerate(cells):
                key = cache.get((c, id(aliases)), _UNKNOWN)
                if key is _UNKNOWN:
                    key = cache[(c, id(aliases))] = header_key(c, numbers, aliases)
                if key is not None:
                    keys[j] = key
            if required[0] in keys.values():
                found = list(keys.values())
                repeated = [k for k in dict.fromkeys(found) if found.count(k) > 1]
                if repeated:
                    raise DuplicateKeyError(
                        f"column {repeated[0]!r} appears more than once in the header",
                        source=source,
                        rows=(line,),
                        column=repeated[0],
                    )
                missing = [k for k in required if k not in found]
                if missing:
                    raise MissingColumnError(
                        f"required column{'s' if len(missing) > 1 else ''} "
                        f"{', '.join(repr(self.headers.get(k, k)) for k in missing)} not found "
                        "in the header",
                        source=source,
                        rows=(line,),
                        column=self.headers.get(missing[0], missing[0]),
                    )
                return index, keys
        raise MissingColumnError(
            f"no header row with {required[0]!r} in the first {_HEADER_SEARCH_ROWS} rows",
            source=source,
        )

    def _second_header(self, line, cells, header_texts, source, first):
        header_like = sum(map(header_texts.__contains__, cells))
        # A numbering row under the header: (1), (2), (3)... or 1, 2, 3...
        numbered = first and [re.sub(r"[()]", "", c) for c in cells[:5]]
        if header_like >= 3 or numbered == ["1", "2", "3", "4", "5"]:
            raise SecondHeaderRowError(
                "this row repeats the column names (or numbers the columns) below the header; "
                "delete it: the header must be one row",
                source=source,
                rows=(line,),
            )

    # -- Inovasi ----------------------------------------------------------------------------
    def _read_innovations(self, path: Path, sheet, book: _Workbook) -> None:
        source = sheet_source(path, sheet)
        rows = sheet.rows(source)
        required = ("innovation_id", "name", "opd", "stage") + self.numbers
        start, keys = self._header(rows, source, self.innovation_aliases, self.numbers, required)
        header_line, header_cells = rows[start]
        # A repeated header is a copy of this one or of the template's (cheap set lookups).
        header_texts = {c for c in header_cells if c} | {c.header for c in self.columns}
        for j, text in enumerate(header_cells):
            if text and j not in keys:
                book.findings.append(
                    self._finding(
                        book,
                        sheet.title,
                        header_line,
                        text,
                        "column_ignored",
                        "info",
                        f"column {text!r} is not a column of the template; ignored",
                        KEPT,
                    )
                )
        body = [(line, cells) for line, cells in rows[start + 1 :] if any(cells)]
        first_data = True
        previous = header_line
        # One C-level lookup of the template's columns per row.
        names = list(keys.values())
        pick = itemgetter(*keys)
        needed = max(keys) + 1
        for line, cells in body:
            # Readers give only rows with a value: a gap in the numbers is a row left empty.
            for empty in range(previous + 1, line):
                book.findings.append(
                    self._finding(
                        book,
                        sheet.title,
                        empty,
                        "",
                        "empty_row",
                        "info",
                        "empty row between innovations; skipped",
                        KEPT,
                    )
                )
            previous = line
            if len(cells) < needed:
                cells = cells + [""] * (needed - len(cells))
            values = dict(zip(names, pick(cells), strict=True))
            if not any(values.values()):
                continue  # text only outside the template's columns (a note in the margin)
            self._second_header(line, cells, header_texts, source, first_data)
            first_data = False
            book.row_opds[line] = values.get("opd", "").strip()
            record = self._innovation_row(values, line, keys, sheet.title, book)
            if record is not None:
                record.update(source_file=book.file, source_sheet=sheet.title, source_row=line)
                book.innovations.append(record)

    def _cell(self, keys, key, line) -> str:
        if self._cell_keys is not keys:  # one sheet's header at a time
            self._cell_keys = keys
            self._cell_letters = {}
            for j, k in keys.items():
                self._cell_letters.setdefault(k, _column_letter(j + 1))
        letter = self._cell_letters.get(key)
        return f"{letter}{line}" if letter is not None else ""

    def _innovation_row(self, values, line, keys, sheet, book) -> dict | None:
        errors: list[tuple[str, str, str]] = []  # (key, check, detail)
        opd = values.get("opd", "").strip()
        record = {
            "innovation_id": values.get("innovation_id", "").strip(),
            "name": values.get("name", "").strip(),
            "opd": opd,
        }
        if not record["innovation_id"]:
            errors.append(("innovation_id", "blank_id", "innovation_id is blank"))
        stage = self._choice(values.get("stage", ""))
        if stage not in STAGES:
            got = values.get("stage", "")
            errors.append(
                (
                    "stage",
                    "unknown_stage",
                    f"got {got!r}; allowed: {', '.join(STAGES)}"
                    if got
                    else f"stage is blank; allowed: {', '.join(STAGES)}",
                )
            )
        record["stage"] = stage
        status = self._choice(values.get("status", "")) or STATUS_ACCEPTED
        if status not in STATUSES:
            errors.append(
                (
                    "status",
                    "unknown_status",
                    f"got {values.get('status')!r}; allowed: {', '.join(STATUSES)}",
                )
            )
        record["status"] = status
        urusan = values.get("urusan", "").strip()
        record["urusan"] = self.urusan.get(self._choice(urusan), urusan)
        jenis = self._choice(values.get("jenis", "")).replace("nondigital", "non digital")
        record["jenis"] = jenis
        warnings: list[tuple[str, str, str]] = []
        if urusan and self._choice(urusan) not in self.urusan:
            warnings.append(
                ("urusan", "unknown_urusan", f"urusan {urusan!r} is not in the list of UU 23/2014")
            )
        if jenis and jenis not in JENIS:
            warnings.append(
                (
                    "jenis",
                    "unknown_jenis",
                    f"jenis {values.get('jenis')!r}; expected {' or '.join(JENIS)}",
                )
            )
        if self.opd_keys is not None and opd and self._choice(opd) not in self.opd_keys:
            warnings.append(("opd", "unknown_opd", f"OPD {opd!r} is not in the OPD list"))
        elif self.opd_keys is not None and opd:
            record["opd"] = self.opd_keys[self._choice(opd)]
        if not opd:
            warnings.append(("opd", "blank_opd", "OPD is blank"))
        without_evidence = []
        levels = self._levels
        get = values.get
        filled = False
        for number, link_key in self.link_keys.items():
            text = get(number, "")
            level, problem = levels.get((number, text)) or self._level(number, text)
            if problem:
                errors.append((number, "invalid_level", problem))
                level = 0
            record[number] = level
            link = get(link_key, "").strip()
            record[link_key] = link
            if level:
                filled = True
                if not link:
                    without_evidence.append(number)
        if not errors and not filled:
            warnings.append(("", "no_levels", "no indicator filled: the innovation scores 0"))
        if without_evidence:
            warnings.append(
                (
                    without_evidence[0],
                    "level_without_evidence",
                    "levels claimed without an evidence link on indicator"
                    f"{'s' if len(without_evidence) > 1 else ''} "
                    f"{', '.join(without_evidence)}",
                )
            )
        early = [n for n in self.early_numbers if record[n]] if stage == "inisiatif" else []
        if early:
            warnings.append(
                (
                    early[0],
                    "inisiatif_with_implementation_levels",
                    f"stage inisiatif but implementation-level indicator"
                    f"{'s' if len(early) > 1 else ''} {', '.join(early)} filled",
                )
            )
        for key, check, detail in errors + warnings:
            severity = "error" if (key, check, detail) in errors else "warning"
            action = FILE_LEFT_OUT if severity == "error" else KEPT
            book.findings.append(
                self._finding(
                    book,
                    sheet,
                    line,
                    self.headers.get(key, key),
                    check,
                    severity,
                    detail,
                    action,
                    opd=opd or None,
                    cell=self._cell(keys, key, line) if key else "",
                )
            )
        return None if errors else record

    def _level(self, number: str, text: str) -> tuple[int, str | None]:
        """(level, None) or (0, what is wrong) for one level cell (cached)."""
        result = self._levels.get((number, text))
        if result is None:
            result = self._levels[(number, text)] = self._parse_level(number, text)
        return result

    def _parse_level(self, number: str, text: str) -> tuple[int, str | None]:
        if text == "":
            return 0, None
        level = self.choices[number].get(_normal_text(text))
        if level is not None:
            return level, None
        if not text.strip().startswith(("0 -", "1 -", "2 -", "3 -")):
            parsed = parse_level(text)
            if parsed is not None:
                return parsed, None
        if _DATE_TEXT.match(text) or _DATETIME_TEXT.match(text):
            return 0, (
                f"got the date {text[:10]} (the cell is formatted as a date); choose the "
                "level from the dropdown"
            )
        if text.strip()[:1] in {"0", "1", "2", "3"} and " - " in text:
            return 0, (
                f"got {text!r}, which is not one of indicator {number}'s levels (copied "
                "from another column?); choose the level from the dropdown"
            )
        return 0, f"got {text!r}; choose 0..3 from the dropdown"

    # -- SPD --------------------------------------------------------------------------------
    def _read_spd(self, path: Path, sheet, book: _Workbook) -> None:
        source = sheet_source(path, sheet)
        rows = sheet.rows(source)
        start, keys = self._header(rows, source, self.spd_aliases, (), ("indicator", "level"))
        spd_headers = {c.key: c.header for c in SPD_COLUMNS}
        header_texts = {c for c in rows[start][1] if c} | set(spd_headers.values())
        seen: dict[str, int] = {}
        for line, cells in rows[start + 1 :]:
            values = {key: (cells[j] if j < len(cells) else "") for j, key in keys.items()}
            if not any(values.values()):
                continue
            self._second_header(line, cells, header_texts, source, False)
            label = indicator_label(values["indicator"])
            if label is None or label not in self.spd_numbers:
                try:
                    check_indicator(
                        label or str(values["indicator"]),
                        self.methodology,
                        "SPD",
                        source,
                        (line,),
                        spd_headers["indicator"],
                    )
                except IIDDataError as exc:
                    book.findings.append(
                        self._finding(
                            book,
                            sheet.title,
                            line,
                            spd_headers["indicator"],
                            _check_name(exc),
                            "error",
                            exc.detail,
                            FILE_LEFT_OUT,
                            cell=self._cell(keys, "indicator", line),
                        )
                    )
                continue
            if label in seen:
                book.findings.append(
                    self._finding(
                        book,
                        sheet.title,
                        line,
                        spd_headers["indicator"],
                        "duplicate_indicator",
                        "error",
                        f"indicator {label} also on row {seen[label]}",
                        FILE_LEFT_OUT,
                        cell=self._cell(keys, "indicator", line),
                    )
                )
                continue
            seen[label] = line
            level, problem = self._level(label, values["level"])
            if problem:
                book.findings.append(
                    self._finding(
                        book,
                        sheet.title,
                        line,
                        spd_headers["level"],
                        "invalid_level",
                        "error",
                        problem,
                        FILE_LEFT_OUT,
                        cell=self._cell(keys, "level", line),
                    )
                )
                continue
            if values["level"] == "":
                continue  # not answered in this workbook: another workbook may answer it
            evidence = {
                c.key: _date_text(values.get(c.key, ""))
                for c in SPD_COLUMNS
                if c.key.startswith("evidence_")
            }
            if level and not any(evidence.values()):
                book.findings.append(
                    self._finding(
                        book,
                        sheet.title,
                        line,
                        spd_headers["evidence_nomor_surat"],
                        "level_without_evidence",
                        "warning",
                        f"SPD indicator {label} at level {level} without any evidence",
                        KEPT,
                    )
                )
            book.spd.append(
                {
                    "indicator": label,
                    "level": level,
                    **evidence,
                    "source_file": book.file,
                    "source_sheet": sheet.title,
                    "source_row": line,
                }
            )


_LETTERS: dict[int, str] = {}


def _column_letter(column: int) -> str:
    """:func:`get_column_letter`, cached."""
    letter = _LETTERS.get(column)
    if letter is None:
        letter = _LETTERS[column] = get_column_letter(column)
    return letter


def _normal_text(text: object) -> str:
    return " ".join(str(text).split()).casefold()


def _date_text(text: str) -> str:
    return text[:10] if _DATE_TEXT.match(text) else text.strip()


# --- reading a workbook ----------------------------------------------------------------------
# Two readers give the same sheets, rows and errors: python-calamine through
# dataset.FastWorkbook (the default: a folder of 50 workbooks is read many times faster than by
# openpyxl) and the package's openpyxl helpers (dataset.open_workbook / sheet_rows), used when
# calamine cannot read a workbook. Both apply the same cell checks: merged range holding a
# value, formula without a saved value, spreadsheet error value.


class _OpenpyxlSheet:
    def __init__(self, worksheet, path: Path) -> None:
        self.worksheet = worksheet
        self.path = path
        self.title = worksheet.title
        self.sheet_state = worksheet.sheet_state

    def cell_value(self, row: int, column: int):
        return self.worksheet.cell(row, column).value

    def rows(self, source: str) -> list[tuple[int, list[str]]]:
        return list(sheet_rows(self.worksheet, source, path=self.path))


class _OpenpyxlWorkbook:
    def __init__(self, path: Path) -> None:
        self.book = open_workbook(path)
        self.worksheets = [_OpenpyxlSheet(ws, path) for ws in self.book.worksheets]
        self.keywords = self.book.properties.keywords

    def close(self) -> None:
        self.book.close()


def _open(path: Path):
    """The workbook at ``path`` through python-calamine, or openpyxl when calamine cannot."""
    try:
        return FastWorkbook(path)
    except WorkbookFallback:
        return _OpenpyxlWorkbook(path)


# --- the folder ------------------------------------------------------------------------------


def workbook_files(directory: str | Path) -> tuple[list[Path], list[Path]]:
    """(workbooks to read, other files) in ``directory``, by name; Excel lock files (``~$...``)
    are neither."""
    directory = Path(directory)
    if not directory.is_dir():
        raise UsageError(f"{directory} is not a folder")
    books, others = [], []
    for path in sorted(directory.iterdir(), key=lambda p: p.name):
        if not path.is_file() or path.name.startswith("~$") or path.name.startswith("."):
            continue
        (books if path.suffix.lower() in WORKBOOK_SUFFIXES | {".xls"} else others).append(path)
    return books, others


def collect(
    directory: str | Path,
    methodology: Methodology,
    *,
    opds: tuple[str, ...] | None = None,
) -> Collection:
    """Read, check and merge every workbook in ``directory`` (see the module docstring)."""
    methodology.require_scoring()
    books, others = workbook_files(directory)
    reader = _Reader(methodology, opds)
    findings: list[Finding] = []
    files = []
    read: list[_Workbook] = []
    for path in others:
        findings.append(
            Finding(
                path.stem,
                path.name,
                "",
                None,
                "",
                "",
                "not_a_workbook",
                "info",
                "not an .xlsx workbook; not read",
                KEPT,
            )
        )
    for path in books:
        try:
            if path.suffix.lower() == ".xls":
                raise UnreadableFileError(
                    "old Excel .xls is not supported; save it as .xlsx", source=path.name
                )
            book = reader.read(path)
        except IIDDataError as exc:
            findings.append(_file_error(path, exc))
            files.append({"file": path.name, "status": FILE_LEFT_OUT, "book": None})
            continue
        findings.extend(book.findings)
        if any(f.severity == "error" for f in book.findings):
            findings.append(
                Finding(
                    book.opd,
                    book.file,
                    "",
                    None,
                    "",
                    "",
                    "file_has_errors",
                    "error",
                    "the workbook has errors (listed above): nothing "
                    "from it is collected until they are corrected",
                    FILE_LEFT_OUT,
                )
            )
            status = FILE_LEFT_OUT
        else:
            read.append(book)
            status = "collected"
        files.append({"file": book.file, "status": status, "book": book})
    if not books:
        findings.append(
            Finding(
                "",
                str(directory),
                "",
                None,
                "",
                "",
                "no_workbooks",
                "warning",
                "no .xlsx workbook in the folder",
                KEPT,
            )
        )

    innovations = _merge_innovations(read, reader, findings)
    spd = _merge_spd(read, methodology, findings)
    # The package's own rules, once on the merged data (the cell checks above are stricter).
    check_spd(spd[["indicator", "level"]], methodology, source="<collected SPD>")
    if len(innovations):
        # Only the checked columns: the evidence links are not checked there, only copied.
        checked = ["innovation_id", "name", "opd", "stage", "status", *reader.numbers]
        check_innovations(
            innovations[checked],
            methodology,
            source="<collected innovations>",
            require_profile=True,
        )
    frame = pd.DataFrame.from_records(
        [tuple(getattr(f, c) for c in FINDING_COLUMNS) for f in findings],
        columns=list(FINDING_COLUMNS),
    )
    frame["row"] = frame["row"].astype("Int64")
    files_frame = pd.DataFrame(
        [{"file": f["file"], "status": f["status"]} for f in files], columns=["file", "status"]
    )
    summary = _summary(files, innovations, spd, findings)
    return Collection(methodology.year, spd, innovations, frame, files_frame, opds, summary)


def _summary(files, innovations, spd, findings: list[Finding]) -> pd.DataFrame:
    collected = Counter(zip(innovations["source_file"], innovations["opd"], strict=True))
    spd_levels = Counter(spd["source_file"])
    severities = Counter((f.file, f.opd, f.severity) for f in findings)
    rows = []
    for item in files:
        book: _Workbook | None = item["book"]
        if book is None:
            opd_rows = {Path(item["file"]).stem: 0}
        else:
            opd_rows = dict(Counter(opd or book.opd for opd in book.row_opds.values()))
            opd_rows = opd_rows or {book.opd: 0}
        for opd, n_rows in sorted(opd_rows.items()):
            n_collected = collected[(item["file"], opd)]
            rows.append(
                {
                    "opd": opd,
                    "file": item["file"],
                    "status": item["status"],
                    "innovations_collected": n_collected,
                    "innovations_left_out": n_rows - n_collected,
                    "spd_levels": spd_levels[item["file"]],
                    "errors": severities[(item["file"], opd, "error")],
                    "warnings": severities[(item["file"], opd, "warning")],
                }
            )
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def _file_error(path: Path, exc: IIDDataError) -> Finding:
    source = exc.source or path.name
    sheet = source[source.index("[sheet ") + 7 : -1] if "[sheet " in source else ""
    return Finding(
        opd=path.stem,
        file=path.name,
        sheet=sheet,
        row=exc.rows[0] if exc.rows else None,
        column=exc.column or "",
        cell=getattr(exc, "cell", None) or "",
        check=_check_name(exc),
        severity="error",
        detail=f"{exc.rule}: {exc.detail}",
        action=FILE_LEFT_OUT,
    )


def _check_name(exc: IIDDataError) -> str:
    """``MergedCellsError`` -> ``merged_cells``: the check named after the error class."""
    name = type(exc).__name__.removesuffix("Error")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _merge_innovations(books, reader: _Reader, findings) -> pd.DataFrame:
    columns = [c.key for c in reader.columns] + ["source_file", "source_sheet", "source_row"]
    records = [r for book in books for r in book.innovations]
    by_id = defaultdict(list)
    for record in records:
        by_id[record["innovation_id"]].append(record)
    keep = []
    for record in records:
        copies = by_id[record["innovation_id"]]
        if len(copies) > 1:
            where = "; ".join(f"{c['source_file']} row {c['source_row']}" for c in copies)
            findings.append(
                Finding(
                    record["opd"],
                    record["source_file"],
                    record["source_sheet"],
                    record["source_row"],
                    "ID Inovasi",
                    "",
                    "duplicate_id",
                    "error",
                    f"innovation_id {record['innovation_id']!r} is "
                    f"used more than once ({where}); every copy is left out "
                    "until one is renamed or deleted",
                    LEFT_OUT,
                )
            )
        else:
            keep.append(record)
    by_name = defaultdict(list)
    for record in records:  # left-out copies too: a renamed id may still be the same innovation
        if record["name"]:
            by_name[_normal_text(record["name"])].append(record)
    for copies in by_name.values():
        # One id in every copy is already a duplicate_id.
        if (
            len({c["source_file"] for c in copies}) > 1
            and len({c["innovation_id"] for c in copies}) > 1
        ):
            for record in copies:
                others = "; ".join(
                    f"{c['innovation_id']} ({c['opd'] or c['source_file']})"
                    for c in copies
                    if c is not record
                )
                findings.append(
                    Finding(
                        record["opd"],
                        record["source_file"],
                        record["source_sheet"],
                        record["source_row"],
                        "Nama Inovasi",
                        "",
                        "duplicate_name",
                        "warning",
                        f"the same name as {others}: reported twice?",
                        KEPT,
                    )
                )
    # Column by column (a frame from a list of dicts costs several times more).
    integers = {*reader.numbers, "source_row"}
    data = {
        c: np.array([r[c] for r in keep], dtype=int)
        if c in integers
        else [r.get(c, np.nan) for r in keep]
        for c in columns
    }
    return pd.DataFrame(data, columns=columns)


def _merge_spd(books, methodology: Methodology, findings) -> pd.DataFrame:
    evidence = [c.key for c in SPD_COLUMNS if c.key.startswith("evidence_")]
    answers = defaultdict(list)
    for book in books:
        for row in book.spd:
            answers[row["indicator"]].append(row)
    rows = []
    for indicator in methodology.spd_indicators:
        given = answers.get(indicator.number, [])
        levels = {r["level"] for r in given}
        blank = {
            "indicator": indicator.number,
            "level": 0,
            **dict.fromkeys(evidence, ""),
            "source_file": "",
            "source_sheet": "",
            "source_row": pd.NA,
        }
        if len(levels) > 1:
            where = "; ".join(
                f"{r['source_file']} row {r['source_row']}: level {r['level']}" for r in given
            )
            for r in given:
                findings.append(
                    Finding(
                        Path(r["source_file"]).stem,
                        r["source_file"],
                        r["source_sheet"],
                        r["source_row"],
                        "Level",
                        "",
                        "spd_conflict",
                        "error",
                        f"indicator "
                        f"{indicator.number} has different levels ({where}); "
                        "left out (scores 0) until one level is agreed",
                        LEFT_OUT,
                    )
                )
            rows.append(blank)
        elif given:
            # The same level in several workbooks: the first with evidence speaks for all.
            best = next((r for r in given if any(r[k] for k in evidence)), given[0])
            rows.append({k: best[k] for k in blank})
        else:
            rows.append(blank)
    frame = pd.DataFrame(rows)
    frame["source_row"] = frame["source_row"].astype("Int64")
    return frame


# --- output ----------------------------------------------------------------------------------


def output_paths(output_dir: str | Path, year: int) -> dict[str, Path]:
    """Where :func:`write_collection` writes: spd, innovations, quality, summary."""
    output_dir = Path(output_dir)
    return {
        "spd": output_dir / f"spd_{year}.csv",
        "innovations": output_dir / f"innovations_{year}.csv",
        "quality": output_dir / f"quality_{year}.csv",
        "summary": output_dir / f"quality_summary_{year}.csv",
    }


def write_collection(
    collection: Collection, output_dir: str | Path, *, data: bool = True
) -> dict[str, Path]:
    """Write the merged SPD and innovations (unless ``data`` is False) and the quality report
    and per-OPD summary as CSV, each atomically. Returns {kind: path}."""
    paths = output_paths(output_dir, collection.year)
    written = {}
    if data:
        written["spd"] = write_csv(paths["spd"], collection.spd)
        written["innovations"] = write_csv(paths["innovations"], collection.innovations)
    written["quality"] = write_csv(paths["quality"], collection.findings)
    written["summary"] = write_csv(paths["summary"], collection.summary)
    return written


def format_summary(collection: Collection) -> str:
    """A few lines: files read and left out, innovations collected, findings by check."""
    files = collection.files
    findings = collection.findings
    left_files = files[files["status"] == FILE_LEFT_OUT]
    lines = [
        f"collected {len(collection.innovations)} innovations and "
        f"{int((collection.spd['source_file'] != '').sum())} SPD levels from "
        f"{int((files['status'] == 'collected').sum())} of {len(files)} workbooks",
    ]
    left_rows = findings[findings["action"] == LEFT_OUT]
    if len(left_files):
        lines.append(f"left out: {len(left_files)} workbook(s): " + ", ".join(left_files["file"]))
    if len(left_rows):
        lines.append(f"left out: {len(left_rows)} row(s) (duplicates or SPD conflicts)")
    counts = findings.groupby(["severity", "check"]).size()
    for severity in SEVERITIES:
        if severity in counts.index.get_level_values(0):
            items = counts.loc[severity]
            lines.append(f"{severity}s: " + ", ".join(f"{check} {n}" for check, n in items.items()))
    errors = findings[findings["severity"] == "error"].head(10)
    for f in errors.itertuples():
        where = ", ".join(
            str(x)
            for x in (
                f.file,
                f"sheet {f.sheet}" if f.sheet else "",
                f"row {f.row}" if pd.notna(f.row) else "",
                f"column '{f.column}'" if f.column else "",
            )
            if x
        )
        lines.append(f"  {where}: {f.check}: {f.detail}")
    if (findings["severity"] == "error").sum() > 10:
        lines.append(f"  ... and {(findings['severity'] == 'error').sum() - 10} more errors")
    return "\n".join(lines)


__all__ = [
    "Collection",
    "Finding",
    "IMPLEMENTATION_INDICATORS",
    "collect",
    "format_summary",
    "write_collection",
]
