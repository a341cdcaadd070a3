"""Reading Excel workbooks (.xlsx, .xlsm): the sheet chosen by one rule, every cell checked.

The sheet of a workbook is chosen by :func:`choose_sheet`; cells holding a formula without a
saved value, a spreadsheet error value or a merged range with a value are refused
(:func:`sheet_rows`, and :meth:`FastSheet.rows` of the python-calamine reader that
:func:`read_workbook_rows` and ``collect`` use, openpyxl being its fallback). Workbooks are read
from the bytes of a :class:`~iid_analysis.inputs.files.RawFile`, so a file is read from disk once.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from ..errors import (
    CellErrorValueError,
    EmptyFileError,
    FormulaWithoutValueError,
    IIDDataError,
    MergedCellsError,
    SheetNotFoundError,
    UnreadableFileError,
)
from .files import RawFile, _check_archive_parts, _zip_archive, check_workbook_archive, read_raw

EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
     "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
)  # fmt: skip



def open_workbook(path: str | Path | RawFile, *, data_only: bool = False):
    """An openpyxl workbook from ``path`` (or its :class:`RawFile`) after the file and
    zip-directory checks.

    ``data_only=False`` (the default) keeps formulas as formulas, so that :func:`sheet_rows`
    can tell a formula without a saved value from a blank cell. Every failure is a one-line
    :class:`IIDDataError` naming the file.
    """
    import openpyxl

    raw = read_raw(path)
    source = raw.name
    if not raw.data:
        raise EmptyFileError("the file has no content", source=source)
    file = raw.stream()
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


def sheet_rows(
    worksheet, source: str, *, path: str | Path | RawFile
) -> Iterator[tuple[int, list[str]]]:
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
        row_texts = [
            cell_text(c.value)
            for c in _stored_cells(worksheet)
            if c.row == merged.min_row and not merged.min_col <= c.column <= merged.max_col
        ] if merged.min_row == merged.max_row else ["(rows)"]
        if cell_text(first) != "" and not _is_title(row_texts):
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


def _is_title(other_texts: list[str]) -> bool:
    """Whether a merged range with a value is a title or note: one row, nothing else in it (its
    value is one cell, read as a line above the header; a data row has many)."""
    return not any(other_texts)


def _stored_cells(worksheet):
    """The worksheet's cells present in the file (openpyxl keeps them in ``_cells``)."""
    return worksheet._cells.values()


def _short(formula: object, limit: int = 40) -> str:
    text = str(formula)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def saved_formula_values(path: str | Path | RawFile, worksheet) -> dict[tuple[int, int], object]:
    """The saved (cached) values of the formula cells of ``worksheet`` (of workbook ``path``),
    by (row, column).

    A formula cell never calculated (no saved value) is absent. The workbook is parsed a
    second time (from the same bytes when ``path`` is a :class:`RawFile`), values only, and only
    when the sheet has formulas.
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
    path: str | Path | RawFile, sheet: str | int | None = None
) -> tuple[str, list[tuple[int, list[str]]]]:
    """(source, checked rows) of the sheet of workbook ``path`` chosen by :func:`choose_sheet`.

    ``source`` is ``file.xlsx [sheet Title]``. All the checks of :func:`open_workbook` and
    :func:`sheet_rows` apply. Read by python-calamine (:class:`FastWorkbook`), or by openpyxl
    when calamine cannot read the file.
    """
    raw = read_raw(path)

    def read(workbook, rows):
        worksheet = choose_sheet(workbook, sheet, source=raw.name)
        source = sheet_source(raw.path, worksheet)
        return source, rows(worksheet, source)

    return read_workbook(
        raw,
        lambda fast: read(fast, lambda worksheet, source: worksheet.rows(source, release=True)),
        lambda book: read(book, lambda ws, source: list(sheet_rows(ws, source, path=raw))),
    )


def read_workbook(path, read_fast, read_slow):
    """``read_fast`` of the :class:`FastWorkbook` of ``path`` (a path or a :class:`RawFile`)
    or, when calamine cannot read it (:class:`WorkbookFallback`), ``read_slow`` of the openpyxl
    workbook; closed after."""
    path = read_raw(path)
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

    def rows(
        self, source: str, *, checked: bool = True, release: bool = False
    ) -> list[tuple[int, list[str]]]:
        """As :func:`sheet_rows`: (sheet row number, cell texts) of the rows holding a value,
        every cell checked (merged range with a value, formula without a saved value, error
        value) unless ``checked`` is False. ``release``: free the sheet's values row by row as
        they are turned into text (the sheet cannot be read again)."""
        grid = self._load()
        if checked:
            self._check(grid, source)
        if release:
            self._grid = None
        # A sheet of numbers repeats a few values (levels 0..3): each float's text made once.
        memo: dict[float, str] = {}
        known = memo.get

        def number_text(value: float) -> str:
            text = memo[value] = _value_text(value)
            return text

        result = []
        for index, values in enumerate(grid):
            texts = [
                v.strip()
                if v.__class__ is str
                else (known(v) or number_text(v))
                if v.__class__ is float
                else _value_text(v)
                for v in values
            ]
            if release:
                grid[index] = None
            if any(texts):
                result.append((index + 1, texts))
        return result

    def _check(self, grid: list[list], source: str) -> None:
        from openpyxl.utils import get_column_letter

        merged = sorted(self._sheet.merged_cell_ranges or ())
        for (row, column), (last_row, last_column) in merged:
            value = grid[row][column] if row < len(grid) and column < len(grid[row]) else ""
            text = _value_text(value)
            others = (
                [_value_text(v) for k, v in enumerate(grid[row]) if not column <= k <= last_column]
                if row == last_row and row < len(grid)
                else ["(rows)"]
            )
            if text != "" and not _is_title(others):
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

    def __init__(self, path: str | Path | RawFile) -> None:
        from python_calamine import CalamineWorkbook

        raw = read_raw(path)
        self.path = raw.path
        source = raw.name
        data = raw.data
        if not data:
            raise EmptyFileError("the file has no content", source=source)
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




__all__ = [
    "EXCEL_ERRORS",
    "FastSheet",
    "FastWorkbook",
    "WorkbookFallback",
    "cell_text",
    "choose_sheet",
    "open_workbook",
    "read_workbook",
    "read_workbook_rows",
    "saved_formula_values",
    "sheet_rows",
    "sheet_source",
    "visible_sheets",
]
