"""A region's own IID history, for a region that is not in the published data (or whose
published figures it wants to replace): a small CSV with three columns, one row per year.

    year,iid,source
    2022,61.20,Keputusan Menteri Dalam Negeri ... (or a link)
    2023,66.05,https://...

``year`` a whole number; ``iid`` the published index on the 0..100 scale (``66.05`` or
``66,05``); ``source`` where the figure was published (required: a figure without a source
cannot be checked). Column names are matched case-insensitively; a UTF-8 byte-order mark is
allowed. The rows come back in the columns of
:func:`iid_analysis.inputs.published.load_published_scores`, so that they take the place of
the region's published rows.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import (
    DuplicateKeyError,
    EmptyFileError,
    InvalidValueError,
    MissingColumnError,
    UnreadableFileError,
)
from .published import SCALE_INDEX, SCORE_COLUMNS

HISTORY_COLUMNS = ("year", "iid", "source")
MAX_HISTORY_BYTES = 1_000_000
FIRST_DATA_LINE = 2
"""Errors name the file's own lines: the header is line 1."""


def load_history(path: str | Path, region: str, region_type: str = "") -> pd.DataFrame:
    """The history in ``path`` as published-score rows of ``region`` (columns
    :data:`~iid_analysis.inputs.published.SCORE_COLUMNS`), sorted by year.

    Raises :class:`~iid_analysis.errors.IIDDataError` subclasses naming the file, the rows and
    the column: a missing column, a year or IID that is not a number, an IID outside 0..100, a
    year given twice, a row without a source, an empty file.
    """
    path = Path(path)
    source = str(path)
    try:
        if path.stat().st_size > MAX_HISTORY_BYTES:
            raise UnreadableFileError(
                f"a history file is a few lines; this one is over {MAX_HISTORY_BYTES} bytes",
                source=source,
            )
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except OSError as exc:
        raise UnreadableFileError(f"cannot read the history file ({exc.strerror})",
                                  source=source) from None
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise UnreadableFileError(f"not a UTF-8 CSV file ({exc})", source=source) from None
    except pd.errors.EmptyDataError:
        raise EmptyFileError("no header row (expected: year,iid,source)", source=source) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in HISTORY_COLUMNS if c not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"{', '.join(missing)} (a history file has the columns year,iid,source)",
            source=source, column=missing[0],
        )
    frame = frame[list(HISTORY_COLUMNS)].apply(lambda c: c.str.strip())
    frame = frame[(frame != "").any(axis=1)]
    if frame.empty:
        raise EmptyFileError("no rows under the header (year,iid,source)", source=source)
    lines = [int(i) + FIRST_DATA_LINE for i in frame.index]
    year = pd.to_numeric(frame["year"], errors="coerce")
    bad = year.isna() | (year % 1 != 0) | ~year.between(2000, 2100)
    _refuse(bad, "year must be a whole number 2000..2100", source, lines, "year")
    iid = pd.to_numeric(frame["iid"].str.replace(",", ".", regex=False), errors="coerce")
    _refuse(iid.isna(), "iid must be a number (e.g. 66.05 or 66,05)", source, lines, "iid")
    _refuse(~iid.between(0.0, 100.0), "iid must lie in 0..100 (the published index)", source,
            lines, "iid")
    _refuse(frame["source"] == "", "every figure needs its source (a document or a link)",
            source, lines, "source")
    twice = year.duplicated(keep=False)
    if twice.any():
        raise DuplicateKeyError(
            "a year given twice", source=source, rows=_lines(twice, lines), column="year"
        )
    rows = pd.DataFrame({column: "" for column in SCORE_COLUMNS}, index=frame.index)
    rows["region_name"] = region
    rows["region_type"] = region_type
    rows["year"] = year.astype(int)
    rows["iid_score"] = iid.astype(float)
    rows["scale"] = SCALE_INDEX
    rows["source_url"] = frame["source"]
    rows["note"] = f"from {path.name}"
    for column in ("rank_in_cluster", "cluster_size"):
        rows[column] = pd.array([pd.NA] * len(rows), dtype="Int64")
    return rows.sort_values("year").reset_index(drop=True)


def with_history(scores: pd.DataFrame, history: pd.DataFrame, region: str) -> pd.DataFrame:
    """``scores`` with the region's own rows replaced by ``history`` (the other regions'
    published figures stay: they are the panel the trend is compared with)."""
    others = scores[scores["region_name"] != region]
    return pd.concat([others, history.astype(others.dtypes.to_dict(), errors="ignore")],
                     ignore_index=True)


def _lines(bad: pd.Series, lines: list[int]) -> list[int]:
    return [line for line, wrong in zip(lines, bad, strict=True) if wrong]


def _refuse(bad: pd.Series, rule: str, source: str, lines: list[int], column: str) -> None:
    if bad.any():
        raise InvalidValueError(rule, source=source, rows=_lines(bad, lines), column=column)
