"""Input files opened safely, and read once.

Every input must be a regular file no larger than :func:`max_input_bytes` (``MAX_INPUT_MB``,
overridable by the environment variable ``IID_ANALYSIS_MAX_INPUT_MB``); a workbook's zip
directory is checked (total uncompressed size under the same limit, compression ratio) before
anything in it is parsed. :func:`read_raw` reads a file's bytes once and hashes them: the
readers parse those bytes, so the hash a region carries is the hash of what was parsed.
Files are only ever read, never written or moved.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..errors import (
    EmptyFileError,
    IIDDataError,
    InputTooLargeError,
    NotRegularFileError,
    UnreadableFileError,
    UsageError,
)

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}

MAX_INPUT_MB = 256
"""Default size limit of an input file, and of a workbook's uncompressed content, in MiB."""
MAX_INPUT_ENV = "IID_ANALYSIS_MAX_INPUT_MB"
MAX_COMPRESSION_RATIO = 200
"""A workbook part above 1 MiB that is more than this many times its compressed size is refused
(real workbooks compress 5..30 times; a zip bomb thousands of times)."""
MAX_WORKBOOK_PARTS = 10_000


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


@dataclass(frozen=True, eq=False)
class RawFile:
    """One input file's bytes, read once: ``path`` as given, ``data``, ``sha256`` of ``data``.

    Every reader takes a RawFile (or a path, which it reads into one), so a file used for
    several roles (one workbook with SPD and innovation sheets) is read from disk once.
    """

    path: Path
    data: bytes
    sha256: str

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    def stream(self) -> io.BytesIO:
        return io.BytesIO(self.data)


def read_raw(path: str | Path | RawFile, source: str | None = None) -> RawFile:
    """The bytes of ``path`` (after :func:`open_input_file`'s checks) and their SHA-256; a
    RawFile is returned as it is."""
    if isinstance(path, RawFile):
        return path
    path = Path(path)
    with open_input_file(path, source or str(path)) as file:
        data = file.read()
    return RawFile(path, data, hashlib.sha256(data).hexdigest())


def require_content(raw: RawFile) -> None:
    """Refuse an empty file (one line naming it)."""
    if not raw.data:
        raise EmptyFileError("the file has no content", source=raw.name)


__all__ = [
    "CSV_SUFFIXES",
    "EXCEL_SUFFIXES",
    "MAX_INPUT_ENV",
    "MAX_INPUT_MB",
    "RawFile",
    "check_input_file",
    "check_workbook_archive",
    "max_input_bytes",
    "open_input_file",
    "read_raw",
    "require_content",
]
