"""Frozen tables of results: a tuple of frozen rows with a DataFrame view for tables and files.

A result such as the ladder of targets or the rule risks is a frozen dataclass holding a tuple of
frozen row dataclasses (:class:`Rows`). Code reads the rows' documented fields; a table, a CSV or a
JSON document that needs a DataFrame asks for :meth:`Rows.frame`, whose columns are the row
class's fields in order (a row may override :meth:`Row.record` to flatten a field).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

import pandas as pd


class Row:
    """Base of a frozen row: its fields as one record of :meth:`Rows.frame`."""

    def record(self) -> tuple:
        """The row's values in field order (one row of the frame)."""
        return tuple(getattr(self, f.name) for f in dataclasses.fields(self))


R = TypeVar("R", bound=Row)


@dataclass(frozen=True)
class Rows(Generic[R]):
    """A frozen table: ``rows`` in order, iterable, sized and indexable like a tuple; a
    subclass names its row dataclass in ``row_type``."""

    rows: tuple[R, ...] = ()
    row_type: ClassVar[type] = Row
    """The row dataclass (its fields are the frame's columns)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", tuple(self.rows))

    def __iter__(self) -> Iterator[R]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> R:
        return self.rows[index]

    def top(self, n: int) -> tuple[R, ...]:
        """The first ``n`` rows: a table's order is its ranking (each class says which)."""
        return self.rows[:n]

    @property
    def columns(self) -> tuple[str, ...]:
        """The frame's columns: the row type's fields in order."""
        return tuple(f.name for f in dataclasses.fields(self.row_type))

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame (one column per field, in field order), for a table or a
        file."""
        return pd.DataFrame([row.record() for row in self.rows], columns=list(self.columns))


__all__ = ["Row", "Rows"]
