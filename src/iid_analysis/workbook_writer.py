"""The one way the package writes spreadsheet cells: Excel workbooks through openpyxl, and the
one escaping of formula-like text.

Every workbook the package writes (the collection template, the per-OPD worklist, tables
written with :func:`write_table_bytes`) writes its cells as :func:`put` does (the template
through it; tables in one string per sheet, see below):

- a string is a typed text cell, never a formula or an error value: ``=1+1``, ``@cmd``,
  ``#N/A`` stay the text they are, and a string that a spreadsheet would run as a formula
  (starting with one of :data:`FORMULA_STARTS`) is also marked *quote-prefixed*, so editing
  the cell in Excel keeps it text;
- a character an Excel file cannot hold (the C0 control characters but tab, line feed and
  carriage return: ESC, NUL, ...) is written visibly as ``\\x1b`` (:func:`shown_escaped`):
  text from data files is never dropped. Text the user types as an option (``--region``, an
  OPD list) is refused before anything is written (:func:`check_text`): one line naming the
  option and the character;
- numbers are numbers (numpy scalars converted); a non-finite float is written as text
  (``inf``), an empty value (None, NaN) as an empty cell.

A CSV has no cell types, so there a formula-like string gets a leading apostrophe
(:func:`escape_formula_text`), which spreadsheets hide and readers of our own files remove
(:func:`unescape_formula_text`).

:func:`workbook_bytes` serialises a workbook deterministically (fixed document dates and zip
times): the same content gives the same bytes. Writing the bytes to disk (atomically) is the
caller's part.

Tables (:func:`table_workbook`: the worklist, :func:`write_table_bytes`) are fast to write:
openpyxl lays out the workbook (write-only: sheets, column widths, frozen header, filter, data
validations, one style registered per kind of cell), and the rows of each sheet are written as
one string of XML, each cell exactly as :func:`put` would write it (inline strings typed as text,
tested against :func:`put`), put in by :func:`workbook_bytes`. openpyxl writing each cell itself
cost the national worklist several times the time (benchmarks/bench_worklist.py).

Foundation layer: imports only :mod:`iid_analysis.errors`.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import weakref
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation

from .errors import UsageError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these may be run as a formula by a spreadsheet."""

ILLEGAL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Characters an .xlsx file cannot hold (XML 1.0 forbids them; openpyxl refuses them)."""

MAX_ROWS = 1_048_576
"""Rows of an Excel sheet."""

MAX_TEXT = 32_767
"""Characters of an Excel cell."""

MAX_SHEET_NAME = 31
"""Characters of an Excel sheet name."""

_FIXED_TIME = datetime.datetime(2000, 1, 1)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_HEADER_FONT = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


# --- text --------------------------------------------------------------------------------------
def is_formula_like(value: object) -> bool:
    """True for a string a spreadsheet could run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def escape_formula_text(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: a string starting with ``= + - @``, tab or CR
    gets a leading apostrophe; anything else is returned unchanged."""
    return "'" + value if is_formula_like(value) else value


def unescape_formula_text(value: object) -> object:
    """The value :func:`escape_formula_text` was given."""
    if isinstance(value, str) and value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value


def shown_escaped(text: str) -> str:
    """``text`` with every character a workbook cannot hold written as ``\\xNN``."""
    return ILLEGAL_CHARACTERS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def check_text(value: str | None, option: str, where: str = "") -> str | None:
    """``value`` if a workbook can hold it, else :class:`UsageError`: one line naming
    ``option`` (and ``where``, e.g. a line of a file) and the character, shown escaped."""
    if value is None:
        return None
    found = ILLEGAL_CHARACTERS.search(value)
    if found:
        place = f" ({where})" if where else ""
        raise UsageError(
            f"{option}{place}: {shown_escaped(value)!s} holds the control character "
            f"\\x{ord(found.group()):02x}, which an Excel workbook cannot hold; remove it"
        )
    return value


def check_rows(rows: int, option: str = "--rows", header_rows: int = 1) -> int:
    """``rows`` if 1 <= rows <= the rows an Excel sheet holds below ``header_rows``, else
    :class:`UsageError` naming the option and the bound."""
    bound = MAX_ROWS - header_rows
    if not 1 <= rows <= bound:
        raise UsageError(
            f"{option} must be between 1 and {bound:,} (an Excel sheet holds {MAX_ROWS:,} rows, "
            f"{header_rows} of them the header), got {rows:,}"
        )
    return rows


# --- cells ------------------------------------------------------------------------------------
def _blank(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, pandas NA
    except (TypeError, ValueError):
        return False


def _typed(value: object) -> object:
    """``value`` as a cell holds it: None (an empty cell), a bool, a date, a finite number, or
    text (control characters shown escaped, cut to :data:`MAX_TEXT`)."""
    kind = type(value)
    if kind is str:
        return shown_escaped(value)[:MAX_TEXT]
    if kind is int:
        return value
    if kind is float:
        return None if value != value else value if math.isfinite(value) else str(value)
    if _blank(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalar
    if isinstance(value, bool | datetime.date):
        return value
    if isinstance(value, int | float) and (not isinstance(value, float) or math.isfinite(value)):
        return value
    return shown_escaped(str(value))[:MAX_TEXT]


def _fill(cell, value: object, number_format: str | None) -> None:
    """Put ``value`` (from :func:`_typed`, not None) into ``cell``."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl binds "=..." as a formula and "#N/A" as an error
        if is_formula_like(value):
            cell.quotePrefix = True
    elif isinstance(value, datetime.date) and not isinstance(value, bool):
        cell.number_format = number_format or "yyyy-mm-dd"
    elif number_format and not isinstance(value, bool):
        cell.number_format = number_format


def put(sheet, row: int, column: int, value: object, number_format: str | None = None):
    """Write ``value`` into ``sheet`` at (``row``, ``column``) as described in the module
    docstring; return the cell."""
    cell = sheet.cell(row=row, column=column)
    value = _typed(value)
    if value is not None:
        _fill(cell, value, number_format)
    return cell


def put_row(sheet, row: int, values: Iterable[object], *, bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        cell = put(sheet, row, column, value)
        if bold:
            cell.font = _HEADER_FONT


def cells(column: int, first_row: int, last_row: int) -> str:
    """The range of one column (1-based) from ``first_row`` to ``last_row``: ``"K2:K9"``."""
    letter = get_column_letter(column)
    return f"{letter}{first_row}:{letter}{last_row}"


# --- data validation --------------------------------------------------------------------------
def list_validation(
    cells: str,
    *,
    items: Sequence[str] | None = None,
    source: str | None = None,
    title: str = "",
    error: str = "",
    prompt: str | None = None,
) -> DataValidation:
    """Excel data validation restricting ``cells`` (``"K2:K500"``) to a list: ``items`` (short
    texts without commas or quotes, written into the rule) or ``source`` (a range such as
    ``Daftar!$D$2:$D$9``). Excel refuses any other value."""
    if (items is None) == (source is None):
        raise UsageError("a list validation needs either items or a source range")
    if items is not None:
        if any("," in item or '"' in item for item in items):
            raise UsageError("list items written into a validation hold no comma or quote")
        formula = '"' + ",".join(items) + '"'
        if len(formula) > 255:
            raise UsageError("list items written into a validation exceed 255 characters")
    else:
        formula = source
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=title[:32] or None,
        error=error[:255] or None,
    )
    if prompt:
        validation.promptTitle = title[:32]
        validation.prompt = prompt[:255]
        validation.showInputMessage = True
    validation.add(cells)
    return validation


def date_validation(cells: str, *, title: str = "", error: str = "") -> DataValidation:
    """Excel data validation restricting ``cells`` to dates."""
    validation = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="1",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title[:32] or None,
        error=error[:255] or None,
    )
    validation.add(cells)
    return validation


# --- sheets of tables -------------------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    """One sheet of :func:`table_workbook`: a header row (bold, frozen) and rows.

    ``formats``: column index (0-based) -> Excel number format (``"0.00"``, ``"0%"``);
    ``widths``: column index -> width (else from the texts, at most 60); ``wrap``: column
    indices whose text wraps; ``validations``: built by :func:`list_validation`."""

    name: str
    rows: Sequence[Sequence[object]]
    autofilter: bool = False
    formats: Mapping[int, str] = field(default_factory=dict)
    widths: Mapping[int, float] = field(default_factory=dict)
    wrap: frozenset[int] = frozenset()
    validations: Sequence[DataValidation] = ()
    hidden: bool = False


def new_workbook() -> Workbook:
    """An empty workbook (no sheet) with fixed document dates, its cells written at random
    (:func:`put`)."""
    book = Workbook()
    book.remove(book.active)
    book.properties.created = _FIXED_TIME
    book.properties.modified = _FIXED_TIME
    return book


def _streamed_workbook() -> Workbook:
    """An empty write-only workbook with fixed document dates, for :func:`add_table`."""
    book = Workbook(write_only=True)
    book.properties.created = _FIXED_TIME
    book.properties.modified = _FIXED_TIME
    return book


class _Cells:
    """The XML of cells of one write-only workbook: one style registered through openpyxl per
    kind of cell (a font or a format set on every cell costs more than writing the cell), and
    each value's cell written once (an OPD's rows are also on the sheet of all actions)."""

    def __init__(self, sheet) -> None:
        # any sheet of the workbook (styles belong to the workbook), weakly: the workbook
        # is the key of this object in _CELLS
        self.sheet = weakref.ref(sheet)
        self.ids: dict[tuple, str] = {}
        self.written: dict[tuple, str | None] = {}

    def style(self, header: bool, wrap: bool, number_format: str | None, quote: bool) -> str:
        """The ``s`` attribute of such a cell (empty: no style)."""
        key = (header, wrap, number_format, quote)
        if key not in self.ids:
            cell = WriteOnlyCell(self.sheet())
            if header:
                cell.font = _HEADER_FONT
            if header or wrap:
                cell.alignment = _WRAP
            if number_format:
                cell.number_format = number_format
            if quote:
                cell.quotePrefix = True
            self.ids[key] = f' s="{cell.style_id}"' if cell.has_style else ""
        return self.ids[key]

    def body(self, value: object, wrap: bool, number_format: str | None) -> str | None:
        """What follows ``<c r="..."`` in the cell of ``value`` below the header (None: no
        cell), written once per value and kind of cell."""
        key = (type(value), value, wrap, number_format)
        try:
            return self.written[key]
        except KeyError:
            written = self.written[key] = self.write(value, False, wrap, number_format)
            return written
        except TypeError:  # unhashable
            return self.write(value, False, wrap, number_format)

    def write(self, value: object, header: bool, wrap: bool, number_format: str | None
              ) -> str | None:  # fmt: skip
        """What follows ``<c r="..."`` in the cell of ``value`` as :func:`put` writes it."""
        value = _typed(value)
        if value is None:
            return None
        if isinstance(value, str):
            style = self.style(header, wrap, None, is_formula_like(value))
            if not value:
                return f"{style}/>" if style else None
            space = ' xml:space="preserve"' if value != value.strip() else ""
            return f'{style} t="inlineStr"><is><t{space}>{_xml_text(value)}</t></is></c>'
        if isinstance(value, bool):
            return f'{self.style(header, wrap, None, False)} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, datetime.date):
            style = self.style(header, wrap, number_format or "yyyy-mm-dd", False)
            return f'{style} t="n"><v>{to_excel(value):.16g}</v></c>'
        return f'{self.style(header, wrap, number_format, False)} t="n"><v>{value:.16g}</v></c>'


def _xml_text(text: str) -> str:
    """``text`` as XML character data (a carriage return kept as ``&#13;``)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;") if "\r" in text else text


def _sheet_data(rows: Sequence[Sequence[object]], table: Table, cells: _Cells) -> str:
    """The ``<sheetData>`` content of ``rows``: each value as :func:`put` writes it (text as
    an inline string, typed ``inlineStr`` so never a formula or an error; formula-like text
    quote-prefixed; numbers with the table's formats; dates as Excel dates), the header row
    bold and wrapped, the table's ``wrap`` columns wrapped."""
    width = max((len(r) for r in rows), default=0)
    letters = [get_column_letter(j + 1) for j in range(width)]
    kinds = [(j in table.wrap, table.formats.get(j)) for j in range(width)]
    out: list[str] = []
    for i, values in enumerate(rows, start=1):
        row: list[str] = []
        for j, value in enumerate(values):
            if i == 1:
                body = cells.write(value, True, j in table.wrap, None)
            else:
                body = cells.body(value, *kinds[j])
            if body is not None:
                row.append(f'<c r="{letters[j]}{i}"{body}')
        if row:
            out.append(f'<row r="{i}">{"".join(row)}</row>')
    return "".join(out)


_CELLS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""Write-only workbook -> its :class:`_Cells`."""
_SHEET_DATA: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""Write-only sheet -> the ``<sheetData>`` content :func:`workbook_bytes` puts in its file."""
_EMPTY_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")


def add_table(book: Workbook, table: Table):
    """Add ``table`` as a sheet of ``book`` (a workbook from :func:`new_workbook`, or the
    write-only one :func:`table_workbook` makes, whose cells :func:`workbook_bytes` writes
    as :func:`put` would, in one string per sheet); return the sheet."""
    sheet = book.create_sheet(title=table.name)
    rows = list(table.rows)
    width = max((len(r) for r in rows), default=0)
    # a write-only sheet writes its columns and panes when it is closed: set them first
    for j in range(width):
        if j in table.widths:
            size = table.widths[j]
        else:
            longest = max((len(_shown(r[j])) for r in rows[:200] if j < len(r)), default=0)
            size = max(8, min(longest + 2, 60))
        sheet.column_dimensions[get_column_letter(j + 1)].width = size
    if len(rows) > 1:
        sheet.freeze_panes = "A2"
    if book.write_only:
        cells = _CELLS.setdefault(book, _Cells(sheet))
        _SHEET_DATA[sheet] = _sheet_data(rows, table, cells)
    else:
        for i, values in enumerate(rows, start=1):
            for j, value in enumerate(values):
                if _blank(value):
                    continue
                cell = put(sheet, i, j + 1, value, None if i == 1 else table.formats.get(j))
                if i == 1:
                    cell.font = _HEADER_FONT
                    cell.alignment = _WRAP
                elif j in table.wrap:
                    cell.alignment = _WRAP
    if len(rows) > 1 and table.autofilter and width:
        sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{len(rows)}"
    for validation in table.validations:
        sheet.data_validations.append(validation)  # (a write-only sheet has no add_data_validation)
    if table.hidden:
        sheet.sheet_state = "hidden"
    return sheet


def _shown(value: object) -> str:
    return "" if _blank(value) else str(value)


def table_workbook(tables: Sequence[Table]) -> Workbook:
    """A write-only workbook of ``tables``, for :func:`workbook_bytes` (once)."""
    book = _streamed_workbook()
    for table in tables:
        add_table(book, table)
    return book


def workbook_bytes(book: Workbook) -> bytes:
    """``book`` as .xlsx bytes, deterministic: fixed document dates and zip entry times."""
    book.properties.created = _FIXED_TIME
    book.properties.modified = _FIXED_TIME
    raw = io.BytesIO()
    book.save(raw)
    raw.seek(0)
    rows = {sheet.path.lstrip("/"): _SHEET_DATA.pop(sheet) for sheet in book.worksheets
            if sheet in _SHEET_DATA}  # fmt: skip
    _CELLS.pop(book, None)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                data = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            elif info.filename in rows:
                data = _with_rows(data, rows.pop(info.filename), info.filename)
            dest.writestr(fixed, data)
    return out.getvalue()


def _with_rows(sheet_xml: bytes, rows: str, name: str) -> bytes:
    """``sheet_xml`` (a sheet openpyxl wrote empty) with ``rows`` as its ``<sheetData>``."""
    parts = _EMPTY_SHEET_DATA.split(sheet_xml)
    if len(parts) != 2:
        raise RuntimeError(f"{name}: no single empty <sheetData> to fill")
    return parts[0] + b"<sheetData>" + rows.encode("utf-8") + b"</sheetData>" + parts[1]


def write_table_bytes(sheets: Mapping[str, object]) -> bytes:
    """A workbook of DataFrames (sheet name -> frame; names cut to 31 characters) as bytes;
    cells through :func:`put`."""
    tables = []
    for name, frame in sheets.items():
        header = [str(c) for c in frame.columns]
        body = frame.astype(object).to_numpy().tolist()
        tables.append(Table(str(name)[:MAX_SHEET_NAME], [header, *body]))
    return workbook_bytes(table_workbook(tables))


__all__ = [
    "FORMULA_STARTS",
    "ILLEGAL_CHARACTERS",
    "MAX_ROWS",
    "MAX_SHEET_NAME",
    "MAX_TEXT",
    "Table",
    "add_table",
    "check_rows",
    "cells",
    "check_text",
    "date_validation",
    "escape_formula_text",
    "is_formula_like",
    "list_validation",
    "new_workbook",
    "put",
    "put_row",
    "shown_escaped",
    "table_workbook",
    "unescape_formula_text",
    "workbook_bytes",
    "write_table_bytes",
]
