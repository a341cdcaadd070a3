"""The one way the package writes spreadsheet cells: Excel workbooks through XlsxWriter, and the
one escaping of formula-like text.

Every workbook the package writes (the collection template, the per-OPD worklist, tables
written with :func:`write_table_bytes`) writes each cell as :func:`put` does (tables through
:func:`add_table`, with put's two steps for every cell), with XlsxWriter's typed writers:

- a string is a typed text cell (``write_string``), never a formula or an error value:
  ``=1+1``, ``@cmd``, ``#N/A`` stay the text they are, and a string that a spreadsheet would
  run as a formula (starting with one of :data:`FORMULA_STARTS`) is also marked
  *quote-prefixed*, so editing the cell in Excel keeps it text;
- a character an Excel file cannot hold (the C0 control characters but tab, line feed and
  carriage return: ESC, NUL, ...) is written visibly as ``\\x1b`` (:func:`shown_escaped`):
  text from data files is never dropped. Text the user types as an option (``--region``, an
  OPD list) is refused before anything is written (:func:`check_text`): one line naming the
  option and the character. A carriage return is kept (XlsxWriter writes it ``_x000D_``);
- numbers are numbers (numpy scalars converted); a non-finite float is written as text
  (``inf``), an empty value (None, NaN) as no cell at all.

A CSV has no cell types, so there a formula-like string gets a leading apostrophe
(:func:`escape_formula_text`), which spreadsheets hide and readers of our own files remove
(:func:`unescape_formula_text`).

A workbook is a :class:`Book` (:func:`new_workbook`, :func:`table_workbook`) holding
:class:`Sheet` objects (column widths, row heights, frozen panes, filter, data validations from
:func:`list_validation` / :func:`date_validation`, hidden state); cell looks are
:func:`style` values (XlsxWriter format properties), one format registered per kind of cell.
:func:`workbook_bytes` closes the book and returns its bytes, deterministic: the document
dates are fixed and XlsxWriter, writing in memory, stamps every zip entry 1980-01-01, so the
same content gives the same bytes. Writing the bytes to disk (atomically) is the caller's part.

Foundation layer: imports only :mod:`iid_analysis.errors`.
"""

from __future__ import annotations

import datetime
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import xlsxwriter
from xlsxwriter.utility import quote_sheetname, xl_col_to_name

from .errors import UsageError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these may be run as a formula by a spreadsheet."""

ILLEGAL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Characters an .xlsx file cannot hold (XML 1.0 forbids them)."""

MAX_ROWS = 1_048_576
"""Rows of an Excel sheet."""

MAX_TEXT = 32_767
"""Characters of an Excel cell."""

MAX_SHEET_NAME = 31
"""Characters of an Excel sheet name."""

_FIXED_TIME = datetime.datetime(2000, 1, 1)
"""The document's created (and modified) date: XlsxWriter writes both from it."""

_OPTIONS = {
    "in_memory": True,  # no temporary files; zip entries stamped 1980-01-01
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "nan_inf_to_errors": False,
    "remove_timezone": True,
}


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


# --- styles -------------------------------------------------------------------------------------
Style = tuple[tuple[str, object], ...]
"""How a cell looks: XlsxWriter format properties as sorted pairs (made by :func:`style`)."""


def style(**properties: object) -> Style:
    """A cell style from XlsxWriter format properties (``bold=True``, ``text_wrap=True``,
    ``valign="top"``, ``font_color="#FFFFFF"``, ``bg_color=...``, ``font_size=13``)."""
    return tuple(sorted(properties.items()))


HEADER = style(bold=True, text_wrap=True, valign="top")
"""A table's header cell: bold, wrapped, at the top."""

WRAP = style(text_wrap=True, valign="top")
"""A cell whose text wraps, at the top."""


# --- workbooks and sheets -----------------------------------------------------------------------
@dataclass(frozen=True)
class Validation:
    """One Excel data validation: the cells it covers (``"K2:K500"``) and XlsxWriter's
    ``data_validation`` options (built by :func:`list_validation`, :func:`date_validation`)."""

    cells: str
    options: Mapping[str, object]


class Book:
    """A workbook being written, in memory (XlsxWriter), with fixed document dates and one
    registered format per kind of cell; :func:`workbook_bytes` closes it."""

    def __init__(self, keywords: str | None = None) -> None:
        self._buffer = io.BytesIO()
        self._book = xlsxwriter.Workbook(self._buffer, _OPTIONS)
        properties: dict[str, object] = {"created": _FIXED_TIME}
        if keywords:
            properties["keywords"] = keywords
        self._book.set_properties(properties)
        self._formats: dict[tuple, object] = {}
        self._bytes: bytes | None = None
        self.sheets: list[Sheet] = []

    def add_sheet(self, name: str) -> Sheet:
        """A new sheet named ``name`` (Excel's rules: at most 31 characters, unique)."""
        sheet = Sheet(self, self._book.add_worksheet(name))
        self.sheets.append(sheet)
        return sheet

    def format(self, look: Style | None = None, number_format: str | None = None,
               quote: bool = False):  # fmt: skip
        """The XlsxWriter format of a cell with ``look``, ``number_format`` and the quote
        prefix (None when the cell needs none), registered once per kind of cell."""
        key = (look, number_format, quote)
        try:
            return self._formats[key]
        except KeyError:
            pass
        properties = dict(look or ())
        if number_format:
            properties["num_format"] = number_format
        if quote:
            properties["quote_prefix"] = True
        made = self._formats[key] = self._book.add_format(properties) if properties else None
        return made

    def close(self) -> bytes:
        """The workbook as .xlsx bytes (the book is closed: no more cells)."""
        if self._bytes is None:
            self._book.close()
            self._bytes = self._buffer.getvalue()
            self._buffer = io.BytesIO()
        return self._bytes


class Sheet:
    """One sheet of a :class:`Book`: cells through :func:`put`, and its layout (1-based rows
    and columns, as :func:`put`)."""

    def __init__(self, book: Book, worksheet) -> None:
        self.book = book
        self.worksheet = worksheet

    @property
    def title(self) -> str:
        return self.worksheet.get_name()

    def width(self, column: int, width: float) -> None:
        """Column ``column``'s width, in characters as Excel's column-width box shows it."""
        self.worksheet.set_column(column - 1, column - 1, width)

    def height(self, row: int, height: float) -> None:
        """Row ``row``'s height, in points."""
        self.worksheet.set_row(row - 1, height)

    def freeze(self, cell: str) -> None:
        """Freeze the rows above and the columns left of ``cell`` (``"A2"``: the header row)."""
        self.worksheet.freeze_panes(cell)

    def filter(self, last_row: int, last_column: int) -> None:
        """An autofilter on rows 1..``last_row`` (row 1 the header), columns 1..``last_column``."""
        self.worksheet.autofilter(0, 0, last_row - 1, last_column - 1)

    def validate(self, validation: Validation) -> None:
        """Add ``validation`` (Excel refuses values outside it)."""
        # XlsxWriter fills in the options it is given: give it a copy.
        if self.worksheet.data_validation(validation.cells, dict(validation.options)) != 0:
            raise ValueError(f"{self.title}: XlsxWriter refused the validation of "
                             f"{validation.cells} ({dict(validation.options)})")  # fmt: skip

    def hide(self) -> None:
        self.worksheet.hide()


def new_workbook(keywords: str | None = None) -> Book:
    """An empty workbook (no sheet) with fixed document dates and, when given, ``keywords`` as
    its keywords property."""
    return Book(keywords)


def workbook_bytes(book: Book) -> bytes:
    """``book`` as .xlsx bytes, deterministic (fixed document dates and zip entry times); the
    book is closed."""
    return book.close()


# --- cells --------------------------------------------------------------------------------------
def _blank(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, pandas NA
    except (TypeError, ValueError):
        return False


def _typed(value: object) -> object:
    """``value`` as a cell holds it: None (no cell), a bool, a date, a finite number, or text
    (control characters shown escaped, cut to :data:`MAX_TEXT`)."""
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


def _write(sheet: Sheet, row: int, column: int, value: object, number_format: str | None,
           look: Style | None) -> None:  # fmt: skip
    """Write ``value`` (from :func:`_typed`) at 0-based (``row``, ``column``) with XlsxWriter's
    typed writer for it: text never becomes a formula, an error value, a number or a link."""
    if value is None:
        return
    book, cells = sheet.book, sheet.worksheet
    kind = type(value)
    if kind is str:
        if value:
            cells.write_string(row, column, value, book.format(look, None, is_formula_like(value)))
        elif look:  # an empty text: no cell, or a blank cell carrying the style
            cells.write_blank(row, column, None, book.format(look))
    elif kind is bool:
        cells.write_boolean(row, column, value, book.format(look))
    elif isinstance(value, datetime.date):
        cells.write_datetime(row, column, value,
                             book.format(look, number_format or "yyyy-mm-dd"))  # fmt: skip
    else:
        cells.write_number(row, column, value, book.format(look, number_format))


def put(sheet: Sheet, row: int, column: int, value: object, number_format: str | None = None,
        look: Style | None = None) -> None:  # fmt: skip
    """Write ``value`` into ``sheet`` at 1-based (``row``, ``column``) as described in the module
    docstring, with the cell style ``look`` (:func:`style`) and ``number_format`` (numbers and
    dates; dates default to ``yyyy-mm-dd``)."""
    _write(sheet, row - 1, column - 1, _typed(value), number_format, look)


def put_row(sheet: Sheet, row: int, values: Iterable[object], *, look: Style | None = None
            ) -> None:  # fmt: skip
    """:func:`put` each of ``values`` along ``row`` from column 1."""
    for column, value in enumerate(values, start=1):
        put(sheet, row, column, value, look=look)


def column_letter(column: int) -> str:
    """The letter(s) of 1-based ``column``: 1 -> ``A``, 27 -> ``AA``."""
    return xl_col_to_name(column - 1)


def cells(column: int, first_row: int, last_row: int) -> str:
    """The range of one column (1-based) from ``first_row`` to ``last_row``: ``"K2:K9"``."""
    letter = column_letter(column)
    return f"{letter}{first_row}:{letter}{last_row}"


def sheet_range(sheet_name: str, column: int, first_row: int, last_row: int) -> str:
    """An absolute range of one column of another sheet: ``Daftar!$D$2:$D$9`` (the name
    quoted when Excel needs it)."""
    letter = column_letter(column)
    return f"{quote_sheetname(sheet_name)}!${letter}${first_row}:${letter}${last_row}"


# --- data validation ----------------------------------------------------------------------------
def list_validation(
    cells: str,
    *,
    items: Sequence[str] | None = None,
    source: str | None = None,
    title: str = "",
    error: str = "",
    prompt: str | None = None,
) -> Validation:
    """Excel data validation restricting ``cells`` (``"K2:K500"``) to a list: ``items`` (short
    texts without commas or quotes, written into the rule) or ``source`` (a range such as
    ``Daftar!$D$2:$D$9``). Excel refuses any other value (error style *stop*)."""
    if (items is None) == (source is None):
        raise UsageError("a list validation needs either items or a source range")
    if items is not None:
        if any("," in item or '"' in item for item in items):
            raise UsageError("list items written into a validation hold no comma or quote")
        if len('"' + ",".join(items) + '"') > 255:
            raise UsageError("list items written into a validation exceed 255 characters")
        value: object = list(items)
    else:
        value = "=" + str(source)
    options: dict[str, object] = {
        "validate": "list",
        "source": value,
        "ignore_blank": True,
        "show_error": True,
        "error_type": "stop",
        "show_input": bool(prompt),
    }
    if title[:32]:
        options["error_title"] = title[:32]
    if error[:255]:
        options["error_message"] = error[:255]
    if prompt:
        options["input_title"] = title[:32]
        options["input_message"] = prompt[:255]
    return Validation(cells, options)


def date_validation(cells: str, *, title: str = "", error: str = "") -> Validation:
    """Excel data validation restricting ``cells`` to dates."""
    options: dict[str, object] = {
        "validate": "date",
        "criteria": ">",
        "value": 1,
        "ignore_blank": True,
        "show_error": True,
        "show_input": False,
    }
    if title[:32]:
        options["error_title"] = title[:32]
    if error[:255]:
        options["error_message"] = error[:255]
    return Validation(cells, options)


# --- sheets of tables ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    """One sheet of :func:`table_workbook`: a header row (bold, wrapped, frozen) and rows.

    ``formats``: column index (0-based) -> Excel number format (``"0.00"``, ``"0%"``);
    ``widths``: column index -> width (else from the texts, at most 60); ``wrap``: column
    indices whose text wraps; ``validations``: built by :func:`list_validation`."""

    name: str
    rows: Sequence[Sequence[object]]
    autofilter: bool = False
    formats: Mapping[int, str] = field(default_factory=dict)
    widths: Mapping[int, float] = field(default_factory=dict)
    wrap: frozenset[int] = frozenset()
    validations: Sequence[Validation] = ()
    hidden: bool = False


def _shown(value: object) -> str:
    return "" if _blank(value) else str(value)


def add_table(book: Book, table: Table) -> Sheet:
    """Add ``table`` as a sheet of ``book``, every cell as :func:`put` writes it (the header
    bold and wrapped); return the sheet."""
    sheet = book.add_sheet(table.name)
    rows = list(table.rows)
    width = max((len(r) for r in rows), default=0)
    for j in range(width):
        if j in table.widths:
            size = table.widths[j]
        else:
            longest = max((len(_shown(r[j])) for r in rows[:200] if j < len(r)), default=0)
            size = max(8, min(longest + 2, 60))
        sheet.width(j + 1, size)
    if len(rows) > 1:
        sheet.freeze("A2")
    looks = [WRAP if j in table.wrap else None for j in range(width)]
    formats = [table.formats.get(j) for j in range(width)]
    for j, value in enumerate(rows[0] if rows else (), start=1):
        put(sheet, 1, j, value, None, HEADER)
    for i, values in enumerate(rows[1:], start=1):
        for j, value in enumerate(values):
            if value is not None:
                _write(sheet, i, j, _typed(value), formats[j], looks[j])
    if len(rows) > 1 and table.autofilter and width:
        sheet.filter(len(rows), width)
    for validation in table.validations:
        sheet.validate(validation)
    if table.hidden:
        sheet.hide()
    return sheet


def table_workbook(tables: Sequence[Table]) -> Book:
    """A workbook of ``tables``, for :func:`workbook_bytes`."""
    book = new_workbook()
    for table in tables:
        add_table(book, table)
    return book


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
    "HEADER",
    "ILLEGAL_CHARACTERS",
    "MAX_ROWS",
    "MAX_SHEET_NAME",
    "MAX_TEXT",
    "WRAP",
    "Book",
    "Sheet",
    "Style",
    "Table",
    "Validation",
    "add_table",
    "cells",
    "check_rows",
    "check_text",
    "column_letter",
    "date_validation",
    "escape_formula_text",
    "is_formula_like",
    "list_validation",
    "new_workbook",
    "put",
    "put_row",
    "sheet_range",
    "shown_escaped",
    "style",
    "table_workbook",
    "unescape_formula_text",
    "workbook_bytes",
    "write_table_bytes",
]
