"""Reading indicator data from CSV and Excel files, with the usual export quirks.

Accepted: ``.csv`` / ``.txt`` / ``.tsv`` with comma, semicolon, tab or bar separators, UTF-8 with
or without a byte-order mark, UTF-16 (with a byte-order mark, or detected), Windows-1252 as a
fallback; decimal commas (``84,46``), blank lines, stray spaces; ``.xlsx`` / ``.xlsm`` workbooks.
Files are only ever read, never written or moved.

Every input must be a regular file no larger than :func:`max_input_bytes` (``MAX_INPUT_MB``,
overridable by the environment variable ``IID_ANALYSIS_MAX_INPUT_MB``); a workbook's zip
directory is checked (total uncompressed size under the same limit, compression ratio) before
anything in it is parsed. The sheet of a workbook is chosen by :func:`choose_sheet`; cells
holding a formula without a saved value, a spreadsheet error value or a merged range with a value
are refused (:func:`sheet_rows`, and :meth:`FastSheet.rows` of the python-calamine reader that
:func:`read_workbook_rows` and ``collect`` use, openpyxl being its fallback). The public helpers
here are meant for every reader of user files in the package.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import os
import posixpath
import re
import stat
import zipfile
import zlib
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from ..errors import (
    CellErrorValueError,
    DuplicateKeyError,
    EmptyFileError,
    FormulaWithoutValueError,
    IIDDataError,
    InputTooLargeError,
    InvalidLevelError,
    InvalidValueError,
    MergedCellsError,
    MissingColumnError,
    NotRegularFileError,
    RaggedRowError,
    SheetNotFoundError,
    UnreadableFileError,
    UsageError,
)
from ..methodology import Methodology
from .validation import (
    PROFILE_REQUIRED,
    ROW,
    check_indicator,
    check_innovations,
    check_spd,
    factorize_values,
    header_rows,
    id_key,
    indicator_label,
    invalid_level_detail,
    normalize_header,
    parse_level,
)

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
_SEPARATORS = (";", ",", "\t", "|")

MAX_INPUT_MB = 256
"""Default size limit of an input file, and of a workbook's uncompressed content, in MiB."""
MAX_INPUT_ENV = "IID_ANALYSIS_MAX_INPUT_MB"
MAX_COMPRESSION_RATIO = 200
"""A workbook part above 1 MiB that is more than this many times its compressed size is refused
(real workbooks compress 5..30 times; a zip bomb thousands of times)."""
MAX_WORKBOOK_PARTS = 10_000
EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
     "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
)  # fmt: skip


# --- file safety ------------------------------------------------------------------------------
def max_input_bytes() -> int:
    """The input size limit in bytes: ``IID_ANALYSIS_MAX_INPUT_MB`` if set, else MAX_INPUT_MB."""
    text = os.environ.get(MAX_INPUT_ENV, "").strip()
    if not text:
        return int(MAX_INPUT_MB * 1024 * 1024)
    try:
        megabytes = float(text)
    except ValueError:
        megabytes = float("nan")
    if not megabytes > 0 or megabytes == float("inf"):
        raise UsageError(f"{MAX_INPUT_ENV} must be a positive number of MiB: got {text!r}")
    return int(megabytes * 1024 * 1024)


def check_input_file(path: str | Path, source: str | None = None) -> os.stat_result:
    """Stat ``path`` without opening it: it must exist, be a regular file (not a directory,
    FIFO, device or socket) and be no larger than :func:`max_input_bytes`.

    Returns the stat result; raises :class:`UnreadableFileError`, :class:`NotRegularFileError`
    or :class:`InputTooLargeError` naming the file.
    """
    source = source or str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UnreadableFileError("file not found", source=source) from None
    except PermissionError:
        raise UnreadableFileError(
            "permission denied (cannot look at the file)", source=source
        ) from None
    except OSError as exc:
        raise UnreadableFileError(f"cannot read the file: {exc.strerror}", source=source) from None
    _require_regular(info, source)
    return info


def _require_regular(info: os.stat_result, source: str) -> None:
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise UnreadableFileError("is a directory, not a file", source=source)
    if not stat.S_ISREG(mode):
        kind = (
            "a FIFO (named pipe)"
            if stat.S_ISFIFO(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "not a file"
        )
        raise NotRegularFileError(f"{kind}; an input must be a regular file", source=source)
    limit = max_input_bytes()
    if info.st_size > limit:
        raise InputTooLargeError(
            f"{info.st_size / 2**20:.1f} MiB is above the limit of {limit / 2**20:g} MiB "
            f"(raise it with the environment variable {MAX_INPUT_ENV})",
            source=source,
        )


def open_input_file(path: str | Path, source: str | None = None) -> IO[bytes]:
    """``path`` opened for binary reading after :func:`check_input_file`, never blocking.

    The file is opened non-blocking and checked again on the open descriptor, so a FIFO swapped
    in after the check cannot hang the reader. Permission errors are one-line data errors.
    """
    source = source or str(path)
    check_input_file(path, source)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except PermissionError:
        raise UnreadableFileError(
            "permission denied (the file exists but cannot be read)", source=source
        ) from None
    except OSError as exc:
        raise UnreadableFileError(f"cannot open the file: {exc.strerror}", source=source) from None
    try:
        _require_regular(os.fstat(descriptor), source)
    except IIDDataError:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "rb")


def check_workbook_archive(file: IO[bytes], source: str) -> None:
    """Check a workbook's zip directory before anything in it is parsed.

    Refuses (one line, naming ``source``): a file that is not a zip archive, an archive without a
    workbook part, more than MAX_WORKBOOK_PARTS parts, a total uncompressed size above
    :func:`max_input_bytes`, or a part above 1 MiB compressed more than MAX_COMPRESSION_RATIO
    times (a zip bomb). Python's zip reader stops at each part's declared size, so the directory's
    sizes bound the work.
    """
    file.seek(0)
    try:
        with _zip_archive(file, source) as archive:
            parts = archive.infolist()
    finally:
        file.seek(0)
    _check_archive_parts(parts, source)


def _zip_archive(file: IO[bytes], source: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise UnreadableFileError(
            "not an Excel workbook (not a zip archive; an .xls or a CSV renamed .xlsx?)",
            source=source,
        ) from None


def _check_archive_parts(parts: list[zipfile.ZipInfo], source: str) -> None:
    """The checks of :func:`check_workbook_archive` on the archive's directory."""
    names = {p.filename.lower() for p in parts}
    if "xl/workbook.xml" not in names and not any(n.endswith("/workbook.xml") for n in names):
        raise UnreadableFileError(
            "not an Excel workbook (a zip archive without a workbook inside)", source=source
        )
    if len(parts) > MAX_WORKBOOK_PARTS:
        raise InputTooLargeError(
            f"the workbook has {len(parts)} parts (limit {MAX_WORKBOOK_PARTS})", source=source
        )
    limit = max_input_bytes()
    total = sum(p.file_size for p in parts)
    if total > limit:
        raise InputTooLargeError(
            f"the workbook unpacks to {total / 2**20:.1f} MiB, above the limit of "
            f"{limit / 2**20:g} MiB (raise it with the environment variable {MAX_INPUT_ENV})",
            source=source,
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > 2**20 and ratio > MAX_COMPRESSION_RATIO:
            raise InputTooLargeError(
                f"workbook part {part.filename!r} is compressed {ratio:.0f} times (limit "
                f"{MAX_COMPRESSION_RATIO}): a zip bomb, not a spreadsheet",
                source=source,
            )


def open_workbook(path: str | Path, *, data_only: bool = False):
    """An openpyxl workbook from ``path`` after the file and zip-directory checks.

    ``data_only=False`` (the default) keeps formulas as formulas, so that :func:`sheet_rows`
    can tell a formula without a saved value from a blank cell. Every failure is a one-line
    :class:`IIDDataError` naming the file.
    """
    import openpyxl

    path = Path(path)
    source = path.name
    file = open_input_file(path, str(path))
    try:
        if os.fstat(file.fileno()).st_size == 0:
            raise EmptyFileError("the file has no content", source=source)
        check_workbook_archive(file, source)
        try:
            return openpyxl.load_workbook(file, data_only=data_only, keep_links=False)
        except IIDDataError:
            raise
        except Exception as exc:  # noqa: BLE001 - any parser failure of a damaged workbook
            raise UnreadableFileError(
                f"corrupt Excel workbook, cannot be parsed ({type(exc).__name__}: {exc}); "
                "open it in Excel and save it again",
                source=source,
            ) from None
    finally:
        file.close()


def choose_sheet(workbook, sheet: str | int | None = None, *, source: str = "<workbook>"):
    """The worksheet to read, by one rule.

    ``sheet`` named (a title, or a 0-based position among all sheets): that sheet, even if
    hidden. Otherwise the active sheet if it is visible, else the first visible sheet. A hidden
    sheet is never chosen implicitly. Raises :class:`SheetNotFoundError`.
    """
    sheets = list(workbook.worksheets)
    if sheet is not None:
        if isinstance(sheet, int) and not isinstance(sheet, bool):
            if 0 <= sheet < len(sheets):
                return sheets[sheet]
        else:
            for candidate in sheets:
                if candidate.title == str(sheet):
                    return candidate
            for candidate in sheets:  # the title as typed, case and spaces aside
                if candidate.title.strip().casefold() == str(sheet).strip().casefold():
                    return candidate
        raise SheetNotFoundError(
            f"no sheet {sheet!r}; the workbook has {', '.join(repr(s.title) for s in sheets)}",
            source=source,
        )
    visible = [s for s in sheets if s.sheet_state == "visible"]
    active = workbook.active
    if active is not None and active.sheet_state == "visible" and active in sheets:
        return active
    if not visible:
        raise SheetNotFoundError("the workbook has no visible worksheet", source=source)
    return visible[0]


def visible_sheets(workbook) -> list:
    """The workbook's visible worksheets, in workbook order."""
    return [s for s in workbook.worksheets if s.sheet_state == "visible"]


def sheet_source(path: str | Path, worksheet) -> str:
    """How messages and ``attrs["source"]`` name a sheet: ``file.xlsx [sheet Inovasi]``."""
    return f"{Path(path).name} [sheet {worksheet.title}]"


def cell_text(value: object) -> str:
    """A workbook value as the text a CSV export would hold (whole floats without ``.0``)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def sheet_rows(worksheet, source: str, *, path: str | Path) -> Iterator[tuple[int, list[str]]]:
    """The sheet's rows as (sheet row number, cell texts), every cell checked.

    Refused, naming the sheet and cell: a merged range whose first cell holds a value
    (:class:`MergedCellsError`; the other cells would read blank), a spreadsheet error value
    (:class:`CellErrorValueError`) and a formula whose value was never saved
    (:class:`FormulaWithoutValueError`). ``worksheet`` must come from a workbook opened with
    ``data_only=False`` (:func:`open_workbook`) from the file ``path``, which is read again for
    the saved values of formula cells (:func:`saved_formula_values`).
    """
    for merged in sorted(worksheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        first = worksheet.cell(merged.min_row, merged.min_col).value
        if cell_text(first) != "":
            raise MergedCellsError(
                f"cells {merged.coord} are merged, so only {merged.start_cell.coordinate} holds "
                f"{cell_text(first)!r} and the others read blank; unmerge them and type the "
                "value in every cell",
                source=source,
                cell=merged.coord,
            )
    cached_values = saved_formula_values(path, worksheet)
    # The cells stored in the file, not worksheet.iter_rows(): one styled empty cell far down
    # the sheet would make iter_rows create every cell of the rectangle above it.
    stored = sorted(
        (c for c in _stored_cells(worksheet) if c.value is not None),
        key=lambda c: (c.row, c.column),
    )
    width = max((c.column for c in stored), default=0)
    texts: list[str] = []
    current = None
    for cell in stored:
        if cell.row != current:
            if current is not None:
                yield current, texts
            current, texts = cell.row, [""] * width
        value = cell.value
        kind = cell.data_type
        if kind == "f":
            value = cached_values.get((cell.row, cell.column))
            if value is None:
                raise FormulaWithoutValueError(
                    f"the cell holds a formula ({_short(cell.value)}) but no saved value "
                    "(a workbook written by a program and never opened in Excel); open "
                    "and save the workbook in Excel, or type the value",
                    source=source,
                    cell=cell.coordinate,
                )
            kind = "e" if isinstance(value, str) and value in EXCEL_ERRORS else "n"
        if kind == "e":
            raise CellErrorValueError(
                f"the cell holds the error value {value}; correct the cell in the workbook",
                source=source,
                cell=cell.coordinate,
            )
        texts[cell.column - 1] = cell_text(value)
    if current is not None:
        yield current, texts


def _stored_cells(worksheet):
    """The worksheet's cells present in the file (openpyxl keeps them in ``_cells``)."""
    return worksheet._cells.values()


def _short(formula: object, limit: int = 40) -> str:
    text = str(formula)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def saved_formula_values(path: str | Path, worksheet) -> dict[tuple[int, int], object]:
    """The saved (cached) values of the formula cells of ``worksheet`` (of workbook ``path``),
    by (row, column).

    A formula cell never calculated (no saved value) is absent. The workbook's file is read a
    second time, values only, and only when the sheet has formulas.
    """
    wanted = {(c.row, c.column) for c in _stored_cells(worksheet) if c.data_type == "f"}
    if not wanted:
        return {}
    values_book = open_workbook(path, data_only=True)
    try:
        values_sheet = values_book[worksheet.title]
        result = {}
        for row, column in wanted:
            value = values_sheet.cell(row, column).value
            if value is not None:
                result[(row, column)] = value
        return result
    finally:
        values_book.close()


def read_workbook_rows(
    path: str | Path, sheet: str | int | None = None
) -> tuple[str, list[tuple[int, list[str]]]]:
    """(source, checked rows) of the sheet of workbook ``path`` chosen by :func:`choose_sheet`.

    ``source`` is ``file.xlsx [sheet Title]``. All the checks of :func:`open_workbook` and
    :func:`sheet_rows` apply. Read by python-calamine (:class:`FastWorkbook`), or by openpyxl
    when calamine cannot read the file.
    """
    def read(workbook, rows):
        worksheet = choose_sheet(workbook, sheet, source=Path(path).name)
        source = sheet_source(path, worksheet)
        return source, rows(worksheet, source)

    return _read_workbook(
        path,
        lambda fast: read(fast, lambda worksheet, source: worksheet.rows(source)),
        lambda book: read(book, lambda ws, source: list(sheet_rows(ws, source, path=path))),
    )


def _read_workbook(path, read_fast, read_slow):
    """``read_fast`` of the :class:`FastWorkbook` of ``path`` or, when calamine cannot read it
    (:class:`WorkbookFallback`), ``read_slow`` of the openpyxl workbook; closed after."""
    try:
        fast = FastWorkbook(path)
    except WorkbookFallback:
        fast = None
    if fast is not None:
        try:
            return read_fast(fast)
        except WorkbookFallback:
            pass
        finally:
            fast.close()
    workbook = open_workbook(path)
    try:
        return read_slow(workbook)
    finally:
        workbook.close()


# --- the fast workbook reader -----------------------------------------------------------------
# python-calamine (Rust) reads the cell values (the saved values of formulas) many times faster
# than openpyxl. It does not say which cells hold a formula or an error value (it reads both as
# blank), so each sheet's XML is searched for <f> and t="e" (bytes searches, no parse) and parsed
# only when they occur. Sheet states come from calamine, the active tab from workbook.xml.


class WorkbookFallback(Exception):
    """The fast reader cannot read this workbook (calamine failed on it): use openpyxl, which
    reads it or gives the one-line "corrupt workbook" error."""


_SHEET_STATES = {"Visible": "visible", "Hidden": "hidden", "VeryHidden": "veryHidden"}
_ACTIVE_TAB = re.compile(rb"""\bactiveTab\s*=\s*["'](\d+)["']""")
_START_TAG_REST = rb"""\s((?:[^>"']|"[^"]*"|'[^']*')*)>"""  # attributes may hold a '>'
_SHEET_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?sheet" + _START_TAG_REST)
_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship" + _START_TAG_REST)
_ATTRIBUTE = re.compile(rb"""(?:[\w.-]+:)?([\w.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_KEYWORDS = re.compile(rb"<(?:[\w.-]+:)?keywords(?:\s[^>]*)?>([^<]*)</", re.S)


def _attributes(text: bytes) -> dict[str, str]:
    """{local name: unescaped value} of the attributes of one XML start tag."""
    return {
        name.decode(): html.unescape((double or single).decode("utf-8", "replace"))
        for name, double, single in _ATTRIBUTE.findall(text)
    }


class FastSheet:
    """One worksheet of a :class:`FastWorkbook`: ``title``, ``sheet_state`` (as openpyxl names
    it), its values and checked rows."""

    def __init__(self, book: FastWorkbook, title: str, state: str, part: str | None) -> None:
        self.book = book
        self.title = title
        self.sheet_state = state
        self.part = part
        self._grid: list[list] | None = None
        self._sheet = None

    def _load(self) -> list[list]:
        if self._grid is None:
            try:
                self._sheet = self.book.calamine.get_sheet_by_name(self.title)
                self._grid = self._sheet.to_python(skip_empty_area=False)
            except Exception as exc:  # noqa: BLE001 - any calamine failure: openpyxl decides
                raise WorkbookFallback(f"{type(exc).__name__}: {exc}") from None
        return self._grid

    def cell_value(self, row: int, column: int):
        """The value of the cell at 1-based (row, column); None when blank."""
        grid = self._load()
        if row > len(grid) or column > len(grid[row - 1]):
            return None
        value = grid[row - 1][column - 1]
        return None if value == "" else _python_value(value)

    def rows(self, source: str, *, checked: bool = True) -> list[tuple[int, list[str]]]:
        """As :func:`sheet_rows`: (sheet row number, cell texts) of the rows holding a value,
        every cell checked (merged range with a value, formula without a saved value, error
        value) unless ``checked`` is False."""
        grid = self._load()
        if checked:
            self._check(grid, source)
        result = []
        for line, values in enumerate(grid, start=1):
            texts = [v.strip() if v.__class__ is str else _value_text(v) for v in values]
            if any(texts):
                result.append((line, texts))
        return result

    def _check(self, grid: list[list], source: str) -> None:
        from openpyxl.utils import get_column_letter

        merged = sorted(self._sheet.merged_cell_ranges or ())
        for (row, column), (last_row, last_column) in merged:
            value = grid[row][column] if row < len(grid) and column < len(grid[row]) else ""
            text = _value_text(value)
            if text != "":
                first = f"{get_column_letter(column + 1)}{row + 1}"
                ref = f"{first}:{get_column_letter(last_column + 1)}{last_row + 1}"
                raise MergedCellsError(
                    f"cells {ref} are merged, so only {first} holds {text!r} and the others "
                    "read blank; unmerge them and type the value in every cell",
                    source=source,
                    cell=ref,
                )
        problem = self.book.first_problem(self.part)
        if problem is None:
            return
        coordinate, formula, error = problem
        if error is None:
            raise FormulaWithoutValueError(
                f"the cell holds a formula ({_short(formula)}) but no saved value (a workbook "
                "written by a program and never opened in Excel); open and save the workbook "
                "in Excel, or type the value",
                source=source,
                cell=coordinate,
            )
        raise CellErrorValueError(
            f"the cell holds the error value {error}; correct the cell in the workbook",
            source=source,
            cell=coordinate,
        )


class FastWorkbook:
    """A workbook read by python-calamine after the file and zip-directory checks of
    :func:`open_workbook`: ``worksheets`` (:class:`FastSheet`), ``active``, ``keywords``.

    Raises the same one-line errors as :func:`open_workbook` for a file that is not a workbook,
    and :class:`WorkbookFallback` when calamine cannot read it (then use :func:`open_workbook`).
    """

    def __init__(self, path: str | Path) -> None:
        from python_calamine import CalamineWorkbook

        path = Path(path)
        self.path = path
        source = path.name
        with open_input_file(path, str(path)) as file:
            if os.fstat(file.fileno()).st_size == 0:
                raise EmptyFileError("the file has no content", source=source)
            data = file.read()
        # The checks of check_workbook_archive, on the one directory read here.
        self.archive = _zip_archive(io.BytesIO(data), source)
        self._data = memoryview(data)
        try:
            _check_archive_parts(self.archive.infolist(), source)
        except IIDDataError:
            self.archive.close()
            raise
        try:
            self.calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
            metadata = self.calamine.sheets_metadata
            parts = self._sheet_parts()
        except Exception as exc:  # noqa: BLE001 - any failure: openpyxl reads it or explains
            raise WorkbookFallback(f"{type(exc).__name__}: {exc}") from None
        everything = []
        self.worksheets: list[FastSheet] = []
        for sheet in metadata:
            state = _SHEET_STATES.get(str(sheet.visible).rsplit(".", 1)[-1], "visible")
            entry = FastSheet(self, sheet.name, state, parts.get(sheet.name))
            everything.append(entry)
            if str(sheet.typ).endswith(".WorkSheet"):
                self.worksheets.append(entry)
        match = _ACTIVE_TAB.search(self._workbook_xml)
        tab = int(match.group(1)) if match else 0
        self.active = everything[tab] if tab < len(everything) else None
        self._problems: dict[str | None, tuple | None] = {}

    def _sheet_parts(self) -> dict[str, str | None]:
        """{sheet name: its XML part} (from workbook.xml and its rels; a regular-expression scan
        of these two small parts, several times cheaper than parsing them)."""
        self._workbook_xml = self.read_part("xl/workbook.xml")
        rels = self.read_part("xl/_rels/workbook.xml.rels")
        targets = {}
        for attributes in _RELATIONSHIP.findall(rels):
            values = _attributes(attributes)
            targets[values.get("Id")] = values.get("Target", "")
        parts: dict[str, str | None] = {}
        for attributes in _SHEET_ELEMENT.findall(self._workbook_xml):
            values = _attributes(attributes)
            target = targets.get(values.get("id"), "")
            name = values.get("name", "")
            if not target:
                parts[name] = None
            elif target.startswith("/"):
                parts[name] = target[1:]
            else:
                parts[name] = posixpath.normpath(f"xl/{target}")
        return parts

    def read_part(self, name: str) -> bytes:
        """The content of the archive's part ``name`` (KeyError when absent).

        A stored or deflated part is inflated straight from the file's bytes, up to the size the
        (already checked) directory gives: several times cheaper than ``ZipFile.read`` for the
        small parts read here. Anything else (encrypted, another method) goes through zipfile.
        """
        info = self.archive.getinfo(name)
        offset = info.header_offset
        header = bytes(self._data[offset : offset + 30])
        if (
            info.flag_bits & 0x1
            or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
            or len(header) < 30
            or header[:4] != b"PK\x03\x04"
        ):
            return self.archive.read(name)
        start = offset + 30 + int.from_bytes(header[26:28], "little")
        start += int.from_bytes(header[28:30], "little")
        raw = self._data[start : start + info.compress_size]
        if info.compress_type == zipfile.ZIP_STORED:
            return bytes(raw[: info.file_size])
        try:
            return zlib.decompressobj(-15).decompress(raw, info.file_size)
        except zlib.error:
            return self.archive.read(name)  # zipfile's own error for a damaged part

    def first_problem(self, part: str | None) -> tuple[str, str, str | None] | None:
        """The first cell (row by row) of sheet ``part`` holding a formula without a saved value
        or an error value: (coordinate, formula, error value or None); None when there is none."""
        if part not in self._problems:
            self._problems[part] = self._find_problem(part)
        return self._problems[part]

    def _find_problem(self, part: str | None) -> tuple[str, str, str | None] | None:
        from xml.etree import ElementTree

        try:
            xml = self.read_part(part) if part is not None else None
        except KeyError:
            xml = None
        if xml is None:  # a sheet not found as workbook.xml names it: openpyxl decides
            raise WorkbookFallback(f"no sheet part {part!r}")
        if not _may_hold_problems(xml):
            return None
        try:
            root = ElementTree.fromstring(xml)
        except ElementTree.ParseError as exc:
            raise WorkbookFallback(str(exc)) from None
        found = []
        for cell in root.iter():
            if not cell.tag.endswith("}c") and cell.tag != "c":
                continue
            formula = value = None
            for child in cell:
                name = child.tag.rsplit("}", 1)[-1]
                if name == "f":
                    formula = child.text or "(shared formula)"
                elif name == "v":
                    value = child.text
            kind = cell.get("t", "n")
            if kind == "e" or (formula is not None and value in EXCEL_ERRORS):
                found.append((cell.get("r", ""), formula, value or "#N/A"))
            elif formula is not None and not value:
                found.append((cell.get("r", ""), formula, None))
        if not found:
            return None
        if any(not _CELL_REFERENCE.match(item[0]) for item in found):
            raise WorkbookFallback("a cell without its reference")  # openpyxl counts positions
        return min(found, key=lambda item: _cell_order(item[0]))

    @property
    def keywords(self) -> str | None:
        """The keywords of the file's core properties (None when absent or blank)."""
        try:
            match = _KEYWORDS.search(self.read_part("docProps/core.xml"))
        except KeyError:
            return None
        text = html.unescape(match.group(1).decode("utf-8", "replace")) if match else ""
        return text or None

    def close(self) -> None:
        self.archive.close()
        self.calamine.close()


def _may_hold_problems(xml: bytes) -> bool:
    """False when the sheet XML surely has no formula and no error cell: no ``<f`` (or, in a
    document with namespace prefixes, ``:f``) and no quoted ``e`` (an attribute ``t="e"``) in
    its sheetData. A few bytes searches over the cells alone (data validations hold
    ``<formula1>``)."""
    start = xml.find(b"sheetData")
    if start < 0:
        return False  # no cells
    end = xml.rfind(b"sheetData")
    if xml.find(b'"e"', start, end) >= 0:
        return True
    if xml.find(b"'", start, end) >= 0 and xml.find(b"'e'", start, end) >= 0:
        return True
    if xml.find(b"<f", start, end) >= 0:
        return True
    prefixed = xml[start - 1 : start] != b"<"
    return prefixed and (xml.find(b":f>", start, end) >= 0 or xml.find(b":f ", start, end) >= 0)


_CELL_REFERENCE = re.compile(r"^[A-Z]{1,3}[0-9]+$")


def _cell_order(reference: str) -> tuple[int, int]:
    """(row, column) of an A1 reference, for sorting."""
    from openpyxl.utils import column_index_from_string

    letters = reference.rstrip("0123456789")
    return int(reference[len(letters) :]), column_index_from_string(letters)


def _python_value(value: object) -> object:
    """A calamine value as openpyxl gives it: a date as a datetime (midnight)."""
    if value.__class__ is dt.date:
        return dt.datetime.combine(value, dt.time())
    return value


def _value_text(value: object) -> str:
    """:func:`cell_text` of a calamine value ('' is a blank cell)."""
    if value.__class__ is float and abs(value) >= 2**53:
        # calamine reads every number as a float; a long whole number written by a program (an
        # id of 17 digits) would lose its last digits, which openpyxl keeps.
        raise WorkbookFallback("a number beyond a float's whole-number precision")
    return cell_text(_python_value(value))


# --- tables -----------------------------------------------------------------------------------
def read_table(path: str | Path, sheet: str | int | None = None) -> pd.DataFrame:
    """A data file as a DataFrame of text cells, with each row's line number in ``_row``.

    Headers are normalised (``Innovation ID`` -> ``innovation_id``); blank rows are dropped; a
    row with more or fewer cells than the header is refused (:class:`RaggedRowError`).
    ``attrs["source"]`` names the file, and for a workbook the sheet read
    (``file.xlsx [sheet Inovasi]``, also in ``attrs["sheet"]``). Memory grows with the data:
    rows are streamed and repeated cell texts share one string. Raises a subclass of
    :class:`IIDDataError` naming the file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        source, rows = read_workbook_rows(path, sheet)
        frame = _table_from_rows(rows, source)
        frame.attrs["sheet"] = source[len(path.name) + len(" [sheet ") : -1]
        return frame
    source = path.name
    check_input_file(path, str(path))
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, source)
    if suffix == ".xls":
        raise UnreadableFileError(
            "old Excel .xls is not supported; save the sheet as .xlsx or CSV", source=source
        )
    raise UnreadableFileError(
        f"unsupported file type '{suffix or '(none)'}'; use .csv or .xlsx", source=source
    )


def _read_csv(path: Path, source: str) -> pd.DataFrame:
    with open_input_file(path, str(path)) as file:
        head = file.read(65536)
        encoding = _csv_encoding(head, source)
        # Windows-1252 is the fallback for text that is not UTF-8 (an old Excel "CSV" export).
        attempts = (encoding, "cp1252") if encoding == "utf-8-sig" else (encoding,)
        for attempt in attempts:
            file.seek(0)
            text = io.TextIOWrapper(file, encoding=attempt, errors="strict", newline="")
            try:
                return _table_from_rows(_csv_rows(text, source), source)
            except UnicodeDecodeError:
                continue
            finally:
                text.detach()
    expected = "UTF-8" if encoding == "utf-8-sig" else "UTF-16"
    raise UnreadableFileError(
        f"not valid {expected} text (save the file as CSV UTF-8)", source=source
    )


def _csv_encoding(head: bytes, source: str) -> str:
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise EmptyFileError("the file has no content", source=source)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16
    if b"\x00" in head[:4096] or head[:4] == b"PK\x03\x04":
        raise UnreadableFileError(
            "binary content where a CSV text file was expected (an Excel file renamed .csv?)",
            source=source,
        )
    return "utf-8-sig"


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the text looks like UTF-16 without a byte-order mark."""
    sample = head[:4096]
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) > 0.9 * half and even.count(0) < 0.1 * half:
        return "utf-16-le"
    if even.count(0) > 0.9 * half and odd.count(0) < 0.1 * half:
        return "utf-16-be"
    return None


_TEXT_MARK = "'"
"""The apostrophe :func:`iid_analysis.xlsx.escape_formula_text` puts before a cell starting with
= + - @ so that a spreadsheet shows it as text; read back, it is taken off again."""


def _unmarked(cell: str) -> str:
    if cell.startswith(_TEXT_MARK) and cell[1:2] in ("=", "+", "-", "@"):
        return cell[1:]
    return cell


def _csv_rows(text: io.TextIOWrapper, source: str) -> Iterator[tuple[int, list[str]]]:
    head = text.read(65536)
    first_line = next((line for line in head.splitlines() if line.strip()), "")
    if not first_line and not head.strip("\ufeff \t\r\n"):
        raise EmptyFileError("the file has no content", source=source)
    separator = max(_SEPARATORS, key=first_line.count)
    text.seek(0)
    reader = csv.reader(text, delimiter=separator)
    try:
        line = 1
        for record in reader:
            if line == 1 and record and record[0].startswith("\ufeff"):
                record[0] = record[0][1:]
            yield line, [_unmarked(cell.strip()) for cell in record]
            line = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableFileError(
            f"malformed CSV near line {reader.line_num}: {exc}", source=source
        ) from None


def _table_from_rows(rows: Iterable[tuple[int, list[str]]], source: str) -> pd.DataFrame:
    """A DataFrame of text cells from (line, cells) rows: the first non-blank row is the header.

    Rows are consumed one at a time into per-column lists, repeated texts interned (one string
    object for every ``3``), so memory is one pointer per cell plus the distinct texts.
    """
    iterator = iter(rows)
    header_line = None
    header: list[str] = []
    for line, cells in iterator:
        if "".join(cells):
            header_line, header = line, cells
            break
    if header_line is None:
        raise EmptyFileError("the file has no header and no rows", source=source)
    width = len(header)
    while width and header[width - 1] == "":
        width -= 1
    header = header[:width]
    columns: list[list[str]] = [[] for _ in range(width)]
    caches: list[dict[str, str] | None] = [{} for _ in range(width)]
    lines = array("q")
    block: list[list[str]] = []
    for line, cells in iterator:
        if not "".join(cells):
            continue
        count = len(cells)
        if count != width:
            if count < width:
                raise RaggedRowError(
                    f"the row has {count} cell{'s' if count != 1 else ''} but the header "
                    f"(line {header_line}) has {width}; a row must have a cell, even an "
                    "empty one, for every column",
                    source=source,
                    rows=(line,),
                )
            if "".join(cells[width:]):
                raise RaggedRowError(
                    f"the row has {count} cells but the header (line {header_line}) has "
                    f"{width} (a separator inside a value without quotes?)",
                    source=source,
                    rows=(line,),
                )
        lines.append(line)
        block.append(cells)
        if len(block) == _BLOCK_ROWS:
            _append_block(columns, caches, block, len(lines))
            block = []
    _append_block(columns, caches, block, len(lines))
    del caches
    if not lines:
        raise EmptyFileError(
            f"the file has a header (line {header_line}) but no data rows", source=source
        )
    # A column blank in the header and every row is a spacer (a table starting in column B).
    used = [j for j in range(width) if header[j] != "" or any(columns[j])]
    names = [normalize_header(header[j]) for j in used]
    blank = [j + 1 for j, n in zip(used, names, strict=True) if n == ""]
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
    # One column at a time, each list freed as its array is made: a 2-D array (or a
    # consolidating constructor) would hold every cell twice at the peak.
    frame = pd.DataFrame(index=pd.RangeIndex(len(lines)))
    for name, j in zip(names, used, strict=True):
        values = np.empty(len(lines), dtype=object)
        values[:] = columns[j]
        columns[j] = []
        frame[name] = pd.Series(values, index=frame.index, dtype=object, copy=False)
    frame[ROW] = np.frombuffer(lines, dtype=np.int64).copy()
    frame.attrs["source"] = source
    frame.attrs["header_row"] = header_line
    return frame


_BLOCK_ROWS = 4096


def _append_block(
    columns: list[list[str]],
    caches: list[dict[str, str] | None],
    block: list[list[str]],
    rows: int,
) -> None:
    """Append a block of rows to the column lists, one column at a time (transposed by zip).

    Repeated texts are interned through the column's cache; a column whose texts are mostly
    distinct (names) stops being interned, where the cache would only cost memory.
    """
    for j, values in enumerate(zip(*block, strict=False)):
        if j >= len(columns):
            break
        cache = caches[j]
        if cache is None:
            columns[j].extend(values)
            continue
        intern = cache.setdefault
        columns[j].extend([intern(v, v) for v in values])
        if len(cache) > 1024 and 2 * len(cache) > rows:
            caches[j] = None


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


def sheet_for_role(path: str | Path, role: str, sheet: str | int | None = None):
    """The sheet to read for ``role`` (``spd``, ``innovations``, ``profiles``): ``sheet`` when
    given; in a workbook with several visible sheets, the one named for the role
    (:func:`~iid_analysis.inputs.importers.find_sheets`: *SPD*, *Inovasi*, *Profil*, ...), so one
    region workbook can be given as both the SPD and the innovations file; else None (the rule
    of :func:`choose_sheet`)."""
    path = Path(path)
    if sheet is not None or path.suffix.lower() not in EXCEL_SUFFIXES:
        return sheet
    from .importers import find_sheets, workbook_sheet_names  # importers reads through here

    names = workbook_sheet_names(path)
    return find_sheets(names).get(role) if len(names) > 1 else None


def load_spd(
    path: str | Path, methodology: Methodology, sheet: str | int | None = None
) -> pd.DataFrame:
    """SPD levels from a file of rows ``indicator``, ``level`` (other columns are kept).

    Returns the validated rows with ``indicator`` (table number) and ``level`` (int), plus
    ``_row`` (line in the file). Raises a subclass of :class:`IIDDataError` naming file and row.
    """
    frame = read_table(path, sheet_for_role(path, "spd", sheet))
    levels = check_spd(frame, methodology)
    result = frame.copy()
    result["indicator"] = result["indicator"].map(indicator_label)
    result["level"] = result["indicator"].map(levels).astype(int)
    result.attrs = dict(frame.attrs)
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
    another visible sheet (the first, in workbook order, whose header has the profile columns).
    The levels sheet is chosen by :func:`choose_sheet` (``sheet``, else the active visible
    sheet, else the first visible one). Pairs absent from long form are level 0. Returns the
    wide, normalised table of :func:`iid_analysis.inputs.validation.check_innovations` (with
    ``_row``).
    """
    frame = read_table(path, sheet_for_role(path, "innovations", sheet))
    # Profiles are only ever given for long form, so a missing indicator/level column is named.
    if profiles is not None or {"indicator", "level"} <= set(frame.columns):
        profile_frame = _profile_table(Path(path), frame, profiles)
        frame = _long_to_wide(frame, profile_frame, methodology)
    result = check_innovations(frame, methodology, require_profile=True)
    result.attrs = {k: v for k, v in frame.attrs.items() if k in ("source", "sheet")}
    return result


def _profile_table(path: Path, levels: pd.DataFrame, profiles) -> pd.DataFrame | None:
    """The profile table of long-form levels; None when the profiles are the levels' own columns."""
    if profiles is not None:
        return read_table(profiles)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        title = _profile_sheet(path, levels.attrs.get("sheet"))
        if title is not None:
            return read_table(path, title)
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


def _profile_sheet(path: Path, levels_sheet: str | None) -> str | None:
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

    return _read_workbook(
        path, lambda fast: search(fast, fast_header), lambda book: search(book, slow_header)
    )


def _long_to_wide(
    levels: pd.DataFrame, profiles: pd.DataFrame | None, methodology: Methodology
) -> pd.DataFrame:
    """Long-form levels pivoted onto the profile rows, with integer codes, not copies.

    Every column is factorised once (distinct texts parsed once), so memory is a few integer
    arrays per row rather than several copies of the text table.
    """
    source = levels.attrs["source"]
    for column in ("innovation_id", "indicator", "level"):
        if column not in levels.columns:
            raise MissingColumnError(
                f"required column {column!r} not found",
                source=source,
                rows=header_rows(levels),
                column=column,
            )
    inline = profiles is None
    if not inline and "innovation_id" not in profiles.columns:
        raise MissingColumnError(
            "required column 'innovation_id' not found",
            source=profiles.attrs.get("source"),
            rows=header_rows(profiles),
            column="innovation_id",
        )
    lines = (
        levels[ROW].to_numpy(dtype=np.int64)
        if ROW in levels.columns
        else np.arange(len(levels), dtype=np.int64)
    )

    def rows_where(mask: np.ndarray) -> list[int]:
        return [int(r) for r in lines[mask]]

    # Innovation ids, compared as check_innovations compares them (trimmed, NFKC, any case).
    # Codes kept as int32/int8 (factorize returns int64): four bytes a row, not eight.
    raw_codes, raw_ids = _factorize(levels["innovation_id"])
    key_of_raw, key_list = factorize_values([id_key(v) for v in raw_ids])
    key_uniques = np.empty(len(key_list), dtype=object)
    key_uniques[:] = key_list
    id_codes = key_of_raw[raw_codes]
    # Indicators: validated with the wide-form rules, one distinct text at a time.
    numbers = list(methodology.innovation_numbers)
    position = {n: i for i, n in enumerate(numbers)}
    ind_codes, ind_texts = _factorize(levels["indicator"])
    ind_position = np.empty(len(ind_texts), dtype=np.int8)
    for code, text in enumerate(ind_texts):
        label = indicator_label(text) or str(text)
        if label not in position:
            check_indicator(
                label, methodology, "INOVASI", source, rows_where(ind_codes == code), "indicator"
            )
        ind_position[code] = position[label]
    positions = ind_position[ind_codes]
    del ind_codes
    flat = id_codes.astype(np.int64) * len(numbers) + positions
    counts = np.bincount(flat, minlength=len(key_uniques) * len(numbers))
    duplicated = counts[flat] > 1
    del counts
    if duplicated.any():
        first = int(np.argmax(duplicated))
        raise DuplicateKeyError(
            f"innovation {raw_ids[raw_codes[first]].strip()!r} has indicator "
            f"{numbers[positions[first]]} more than once",
            source=source,
            rows=rows_where(duplicated),
            column="indicator",
        )
    del duplicated, flat
    level_codes, level_texts = _factorize(levels["level"])
    parsed = [parse_level(v) for v in level_texts]
    bad_codes = [code for code, value in enumerate(parsed) if value is None]
    if bad_codes:
        bad = np.isin(level_codes, bad_codes)
        value = level_texts[level_codes[int(np.argmax(bad))]]
        raise InvalidLevelError(
            invalid_level_detail(value), source=source, rows=rows_where(bad), column="level"
        )
    level_values = np.array(parsed, dtype=np.int8)[level_codes]
    del level_codes
    matrix = np.zeros((len(key_uniques), len(numbers)), dtype=np.int8)
    matrix[id_codes, positions] = level_values
    del level_values, positions

    if inline:
        # The profile columns repeat on every level row: the first row of each innovation.
        _, first_rows = np.unique(id_codes, return_index=True)
        profile = levels.iloc[np.sort(first_rows)]
        profile_source = source
        profile_attrs = levels.attrs
    else:
        profile = profiles
        profile_source = str(profiles.attrs.get("source", "profiles"))
        profile_attrs = profiles.attrs
    profile_keys = np.array([id_key(v) for v in profile["innovation_id"]], dtype=object)
    known = set(profile_keys)
    unknown = sorted(k for k in key_uniques if k not in known)
    if unknown:
        code = int(pd.Index(key_uniques).get_loc(unknown[0]))
        mask = id_codes == code
        shown = raw_ids[raw_codes[int(np.argmax(mask))]].strip()
        raise InvalidValueError(
            f"innovation_id {shown!r} has levels but no profile row"
            f"{f' (and {len(unknown) - 1} more)' if len(unknown) > 1 else ''}",
            source=source,
            rows=rows_where(mask),
            column="innovation_id",
        )
    index_of = pd.Index(key_uniques).get_indexer(profile_keys)
    wide = matrix[np.where(index_of >= 0, index_of, 0)]
    wide[index_of < 0] = 0
    keep = [c for c in profile.columns if c not in ("indicator", "level", *numbers)]
    merged = profile[keep].reset_index(drop=True)
    for k, number in enumerate(numbers):
        merged[number] = wide[:, k]
    # The merged rows (and their _row line numbers) are the profile file's rows, so the errors
    # check_innovations finds from here on (stage, status, duplicate id) are in that file.
    merged.attrs["source"] = profile_source
    if "header_row" in profile_attrs:
        merged.attrs["header_row"] = profile_attrs["header_row"]
    return merged


def _factorize(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(int32 codes, distinct values as an object array) of a column."""
    codes, distinct = factorize_values(column.to_numpy(dtype=object))
    values = np.empty(len(distinct), dtype=object)
    values[:] = distinct
    return codes, values


__all__ = [
    "FastWorkbook",
    "IIDDataError",
    "MAX_INPUT_ENV",
    "MAX_INPUT_MB",
    "cell_text",
    "check_input_file",
    "check_workbook_archive",
    "choose_sheet",
    "load_innovations",
    "load_spd",
    "max_input_bytes",
    "open_input_file",
    "open_workbook",
    "parse_decimal",
    "read_table",
    "read_workbook_rows",
    "saved_formula_values",
    "sheet_rows",
    "sheet_source",
    "visible_sheets",
    "WorkbookFallback",
]
