"""Reading a data file into a table of text cells, with the usual export quirks.

Accepted: ``.csv`` / ``.txt`` / ``.tsv`` with comma, semicolon, tab or bar separators, UTF-8 with
or without a byte-order mark, UTF-16 (with a byte-order mark, or detected), Windows-1252 as a
fallback; decimal commas (``84,46``), blank lines, stray spaces; ``.xlsx`` / ``.xlsm`` workbooks
(:mod:`iid_analysis.inputs.workbook_reader`). Files are read once
(:func:`~iid_analysis.inputs.files.read_raw`).
"""

from __future__ import annotations

import csv
import io
import itertools
from array import array
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import (
    DuplicateKeyError,
    EmptyFileError,
    RaggedRowError,
    UnreadableFileError,
)
from .files import CSV_SUFFIXES, EXCEL_SUFFIXES, RawFile, check_input_file, read_raw
from .validation import ROW, normalize_header
from .workbook_reader import read_workbook_rows

_SEPARATORS = (";", ",", "\t", "|")
MAX_PREAMBLE_ROWS = 30
"""How many non-blank rows above the header a title or note block may take."""
HeaderTest = Callable[[list[str]], bool]

def read_table(
    path: str | Path | RawFile,
    sheet: str | int | None = None,
    *,
    header_test: HeaderTest | None = None,
) -> pd.DataFrame:
    """A data file (a path, or the :class:`RawFile` of its bytes) as a DataFrame of text cells,
    with each row's line number in ``_row``.

    Headers are normalised (``Innovation ID`` -> ``innovation_id``); blank rows are dropped; a
    row with more or fewer cells than the header is refused (:class:`RaggedRowError`).
    ``attrs["source"]`` names the file, and for a workbook the sheet read
    (``file.xlsx [sheet Inovasi]``, also in ``attrs["sheet"]``). Memory grows with the data:
    rows are streamed and repeated cell texts share one string. Raises a subclass of
    :class:`IIDDataError` naming the file.
    """
    rows, source, sheet_name = table_rows(path, sheet, header_test)
    frame = _table_from_rows(rows, source, header_test)
    if sheet_name is not None:
        frame.attrs["sheet"] = sheet_name
    else:
        _check_quoted_breaks(frame, source)
    return frame


SHORT_TEXT_COLUMNS = frozenset(
    {
        "innovation_id", "name", "opd", "stage", "status", "indicator", "level", "urusan", "no",
        "judul_inovasi", "nama_inovasi", "admin_opd", "opd_pelaksana", "kematangan",
        "skor_sid_terverifikasi", "tahapan", "tahapan_inovasi", "pemda",
    }
)  # fmt: skip
"""Columns of one short value (ids, names, choices, numbers): a line break in them is a quote
that swallowed the rows below (refused) or a stray line break (read as a space)."""
MAX_SHORT_TEXT = 200
"""A value of a short column over this many characters with a line break is a swallowed row."""


def _check_quoted_breaks(frame: pd.DataFrame, source: str) -> None:
    """In a CSV file, a short value (:data:`SHORT_TEXT_COLUMNS`, indicator columns) holding a
    line break: refused, naming the line where its quote opened, when it also holds a separator
    or is longer than :data:`MAX_SHORT_TEXT` (a quote that never closed swallowed the rows
    below); otherwise its line breaks (a bare CR or LF typed into a name) read as one space."""
    for column in frame.columns:
        if column == ROW or not (column in SHORT_TEXT_COLUMNS or column[:1].isdigit()):
            continue
        values = frame[column]
        broken = values.str.contains("[\r\n]", regex=True, na=False)
        if not broken.any():
            continue
        for index in np.flatnonzero(broken.to_numpy()):
            text = values.iat[index]
            if len(text) > MAX_SHORT_TEXT or any(sep in text for sep in _SEPARATORS):
                lines = text.count("\n") + text.count("\r") - text.count("\r\n") + 1
                raise UnreadableFileError(
                    f"a quoted value that opened on line {frame[ROW].iat[index]} runs over "
                    f"{lines} lines and holds separators ({len(text)} characters): a quote "
                    "that never closes swallowed the rows below; close or remove the quote",
                    source=source,
                    rows=(int(frame[ROW].iat[index]),),
                    column=str(frame.attrs.get("headers", {}).get(column, column)),
                )
        frame[column] = values.where(
            ~broken, values.str.replace(r"\s*[\r\n]+\s*", " ", regex=True)
        )


def table_rows(
    path: str | Path | RawFile,
    sheet: str | int | None = None,
    header_test: HeaderTest | None = None,
) -> tuple[Iterable[tuple[int, list[str]]], str, str | None]:
    """(rows as (line, cell texts), source, sheet title or None) of a CSV file or a sheet."""
    given = Path(path.path if isinstance(path, RawFile) else path)
    suffix = given.suffix.lower()
    if suffix not in EXCEL_SUFFIXES and suffix not in CSV_SUFFIXES:
        if not isinstance(path, RawFile):
            check_input_file(given, str(given))
        if suffix == ".xls":
            raise UnreadableFileError(
                "old Excel .xls is not supported; save the sheet as .xlsx or CSV",
                source=given.name,
            )
        raise UnreadableFileError(
            f"unsupported file type '{suffix or '(none)'}'; use .csv or .xlsx", source=given.name
        )
    raw = read_raw(path)
    if suffix in EXCEL_SUFFIXES:
        source, rows = read_workbook_rows(raw, sheet)
        return rows, source, source[len(raw.name) + len(" [sheet ") : -1]
    return csv_rows(raw, header_test), raw.name, None


def csv_rows(
    raw: RawFile, header_test: HeaderTest | None = None
) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV file's bytes as (line, cell texts); the encoding as described above."""
    source = raw.name
    head = raw.data[:65536]
    encoding = _csv_encoding(head, source)
    # Windows-1252 is the fallback for text that is not UTF-8 (an old Excel "CSV" export).
    attempts = (encoding, "cp1252") if encoding == "utf-8-sig" else (encoding,)
    for attempt in attempts:
        try:
            text = raw.data.decode(attempt, errors="strict")
        except UnicodeDecodeError:
            continue
        return _csv_rows(io.StringIO(text, newline=""), source, header_test is not None)
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
"""The apostrophe :func:`iid_analysis.workbook_writer.escape_formula_text` puts before a cell
starting with = + - @ so that a spreadsheet shows it as text; read back, it is taken off again."""


def _unmarked(cell: str) -> str:
    if cell.startswith(_TEXT_MARK) and cell[1:2] in ("=", "+", "-", "@"):
        return cell[1:]
    return cell


def _csv_rows(
    text: io.StringIO, source: str, preamble: bool = False
) -> Iterator[tuple[int, list[str]]]:
    head = text.read(65536)
    first_line = next((line for line in head.splitlines() if line.strip()), "")
    if not first_line and not head.strip("\ufeff \t\r\n"):
        raise EmptyFileError("the file has no content", source=source)
    if preamble:
        separator = _separator([line for line in head.splitlines() if line.strip()][:40])
    else:
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


def _separator(lines: list[str]) -> str:
    """The separator of a CSV whose first lines may be a title or note block: the one whose
    most frequent non-zero count per line is highest (a header and its rows share it; a title
    line has none, and commas inside a quoted text vary from line to line)."""

    def score(separator: str) -> tuple[int, int]:
        counts = [line.count(separator) for line in lines]
        counts = [c for c in counts if c]
        if not counts:
            return (0, 0)
        common = max(set(counts), key=lambda c: (counts.count(c), c))
        return (common if counts.count(common) > 1 else min(counts), max(counts))

    return max(_SEPARATORS, key=score)


def _table_from_rows(
    rows: Iterable[tuple[int, list[str]]], source: str, header_test: HeaderTest | None = None
) -> pd.DataFrame:
    """A DataFrame of text cells from (line, cells) rows: the header is the first non-blank row
    or, with ``header_test``, the first of the first :data:`MAX_PREAMBLE_ROWS` non-blank rows it
    accepts (a title or note block above the header is skipped and kept in
    ``attrs["preamble"]``; when no row is accepted, the first non-blank row).

    Rows are consumed one at a time into per-column lists, repeated texts interned (one string
    object for every ``3``), so memory is one pointer per cell plus the distinct texts.
    """
    iterator = iter(rows)
    header_line = None
    header: list[str] = []
    preamble: list[tuple[int, list[str]]] = []
    for line, cells in iterator:
        if not "".join(cells):
            continue
        if header_test is None or header_test(cells):
            header_line, header = line, cells
            break
        preamble.append((line, cells))
        if len(preamble) >= MAX_PREAMBLE_ROWS:
            break
    if header_line is None and preamble:
        # No row looks like a header: the first non-blank row is it, as without the test.
        (header_line, header), rest = preamble[0], preamble[1:]
        preamble = []
        iterator = itertools.chain(rest, iterator)
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
    frame.attrs["headers"] = {n: header[j] for n, j in zip(names, used, strict=True)}
    if preamble:
        frame.attrs["preamble"] = tuple(
            " ".join(c for c in cells if c) for _, cells in preamble
        )
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
    if any(ch.isdigit() and not ch.isascii() for ch in value):
        # As for levels: a full-width or other script's digit is retyped, not guessed.
        raise ValueError("only ASCII digits are numbers")
    if "," in value and "." in value:
        if value.rfind(",") > value.rfind("."):
            value = value.replace(".", "").replace(",", ".")
        else:
            value = value.replace(",", "")
    elif "," in value:
        value = value.replace(",", ".")
    return float(value)



__all__ = ["csv_rows", "parse_decimal", "read_table", "table_rows"]
