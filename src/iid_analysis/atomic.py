"""Atomic file output: write beside the target, then rename, so a reader never sees half a file.

Where a file may be written at all is decided by :func:`iid_analysis.outputs.check_output_path`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from pandas.api.types import is_datetime64_any_dtype, is_numeric_dtype

from .outputs import remove_on_exit
from .workbook_writer import escape_formula_text, write_table_bytes


@contextlib.contextmanager
def atomic_path(target: str | Path, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path in ``target``'s directory; on success it replaces ``target``.

    On an exception the temporary file is removed and ``target`` is left as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=suffix or ".tmp", dir=target.parent
    )
    os.close(handle)
    temporary = Path(name)
    try:
        with remove_on_exit(temporary):
            yield temporary
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(target: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically."""
    with atomic_path(target) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return Path(target)


def write_bytes(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)
    return Path(target)


def write_csv(target: str | Path, frame: pd.DataFrame, *, as_text: bool = True) -> Path:
    """Write ``frame`` as UTF-8 CSV (no index) to ``target`` atomically.

    With ``as_text`` (the default), text cells that a spreadsheet would run as a formula
    (starting with ``= + - @``, tab or CR) get a leading apostrophe
    (:func:`iid_analysis.workbook_writer.escape_formula_text`); numbers are written as they are.
    Pass ``as_text=False`` for a file meant to be read back as data, not opened in a spreadsheet.
    """
    if as_text:
        frame = _spreadsheet_safe(frame)
    with atomic_path(target) as temporary:
        frame.to_csv(temporary, index=False, encoding="utf-8")
    return Path(target)


def write_xlsx(target: str | Path, sheets) -> Path:
    """Write a DataFrame (or a mapping sheet name -> DataFrame) to ``target`` as .xlsx,
    atomically; cells as :func:`iid_analysis.workbook_writer.put` writes them (text typed as
    text, never a formula; characters a workbook cannot hold shown as ``\\xNN``)."""
    frames = {"Sheet1": sheets} if isinstance(sheets, pd.DataFrame) else dict(sheets)
    data = write_table_bytes(frames)
    with atomic_path(target, suffix=".xlsx") as temporary:
        temporary.write_bytes(data)
    return Path(target)


def _spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    text_columns = [
        c for c in frame.columns
        if not (is_numeric_dtype(frame[c]) or is_datetime64_any_dtype(frame[c]))
    ]  # fmt: skip
    if not text_columns:
        return frame
    safe = frame.copy()
    for column in text_columns:
        safe[column] = safe[column].map(escape_formula_text)
    safe.columns = [escape_formula_text(c) if isinstance(c, str) else c for c in safe.columns]
    return safe
