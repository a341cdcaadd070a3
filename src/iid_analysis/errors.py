"""Error classes for expected mistakes in input.

Every message is one line naming the file, the row(s), the column and the rule broken,
so the CLI can print it as it is (no traceback) and exit with status 2.
"""

from __future__ import annotations

from collections.abc import Iterable


class IIDError(Exception):
    """Base class of every expected error in iid-analysis (the CLI exits 2 on these)."""


class IIDDataError(IIDError):
    """Input data breaks a rule. Subclasses name the rule.

    The message names ``source`` (the file, and sheet), then ``cell`` (a workbook cell or range
    such as ``V7``), the ``rows`` and the ``column``, then the rule and the detail.
    """

    rule = "invalid data"

    def __init__(
        self,
        detail: str,
        *,
        source: str | None = None,
        rows: Iterable[int] | None = None,
        column: str | None = None,
        cell: str | None = None,
    ) -> None:
        self.detail = detail
        self.source = source
        self.rows = tuple(rows) if rows is not None else ()
        self.column = column
        self.cell = cell
        super().__init__(self._message())

    def _message(self) -> str:
        where = [self.source or "<data>"]
        if self.cell is not None:
            where.append(f"cell {self.cell}")
        if self.rows:
            where.append(_describe_rows(self.rows))
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return _one_line(f"{', '.join(where)}: {self.rule}: {self.detail}")


def _one_line(text: str) -> str:
    """Line breaks that come from the data shown escaped, so a message stays one line."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def _describe_rows(rows: tuple[int, ...], limit: int = 5) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return f"row{'s' if len(rows) > 1 else ''} {shown}{more}"


class MissingColumnError(IIDDataError):
    rule = "missing required column"


class UnknownIndicatorError(IIDDataError):
    rule = "unknown indicator"


class ForeignIndicatorError(IIDDataError):
    rule = "indicator belongs to another year's table"


class InvalidLevelError(IIDDataError):
    rule = "level must be a whole number 0..3"


class DuplicateKeyError(IIDDataError):
    rule = "duplicate key"


class EmptyFileError(IIDDataError):
    rule = "empty file"


class UnreadableFileError(IIDDataError):
    rule = "unreadable file or wrong format"


class UnknownStatusError(IIDDataError):
    rule = "unknown status"


class UnknownStageError(IIDDataError):
    rule = "unknown stage"


class InvalidValueError(IIDDataError):
    rule = "invalid value"


class MethodologyError(IIDError):
    """The rules for an assessment year are missing or incomplete for what was asked."""


class UnknownYearError(MethodologyError):
    """No rules at all are known for the year."""


class IncompleteRulesError(MethodologyError):
    """The year's rules exist but lack what the operation needs."""


class UsageError(IIDError):
    """A parameter given by the user is out of range or inconsistent."""


class NotRegularFileError(IIDDataError):
    """A FIFO, device or socket given where an input file was expected (never opened)."""

    rule = "not a regular file"


class InputTooLargeError(IIDDataError):
    """An input file, or a workbook's uncompressed content, above the documented size limit."""

    rule = "input too large"


class SheetNotFoundError(IIDDataError):
    """The named sheet is not in the workbook, or the workbook has no visible sheet."""

    rule = "sheet not found"


class FormulaWithoutValueError(IIDDataError):
    """A workbook cell holds a formula whose value was never saved (written by a program)."""

    rule = "formula with no saved value"


class CellErrorValueError(IIDDataError):
    """A workbook cell holds a spreadsheet error value such as #DIV/0! or #N/A."""

    rule = "spreadsheet error value"


class MergedCellsError(IIDDataError):
    """A merged range holding a value: only its first cell has the value, the rest read blank."""

    rule = "merged cells"


class RaggedRowError(IIDDataError):
    """A CSV row with fewer or more cells than the header."""

    rule = "row length differs from the header"


class SecondHeaderRowError(IIDDataError):
    """A row below a workbook's header that repeats the header or numbers its columns."""

    rule = "second header row"


class HiddenSheetError(IIDDataError):
    """A data sheet of a collection workbook is hidden (its rows are never collected silently)."""

    rule = "data sheet is hidden"


class WorkbookYearError(IIDDataError):
    """A collection workbook made for another assessment year than the one being collected."""

    rule = "workbook made for another year"
