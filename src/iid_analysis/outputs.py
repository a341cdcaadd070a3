"""Where outputs may go and how text leaves the program safely.

- :func:`check_output_path` / :func:`check_output_dir`: the one guard every command calls on
  every output option before writing: never into ``data/raw/`` (symlinks followed), never over
  a file the command reads, never under ``/proc``, ``/sys`` or ``/dev``, only where a regular
  file (or folder) can be written.
- :func:`printable`: a name as it may be printed on a terminal (control characters escaped).
- Cells a spreadsheet shows as text, never runs as a formula:
  :mod:`iid_analysis.workbook_writer` (the one workbook writer and the one escaping of
  formula-like text; CSV through :func:`iid_analysis.atomic.write_csv`, workbooks of tables through
  :func:`iid_analysis.atomic.write_xlsx`).
- :func:`remove_on_exit` / :func:`remove_registered`: temporary files and folders a signal
  handler removes before the process exits.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from . import config
from .errors import UsageError

SYSTEM_ROOTS = (Path("/proc"), Path("/sys"), Path("/dev"))

Inputs = Mapping[str, "str | Path | Iterable[str | Path] | None"] | Iterable["str | Path | None"]


class OutputPathError(UsageError):
    """An output path the command must not (or cannot) write."""


def _resolved(path: str | Path) -> Path:
    return Path(path).expanduser().resolve()


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _named_inputs(inputs: Inputs | None) -> list[tuple[str, Path]]:
    if inputs is None:
        return []
    items = inputs.items() if isinstance(inputs, Mapping) else (("input", p) for p in inputs)
    named = []
    for name, value in items:
        values = value if isinstance(value, list | tuple | set | frozenset) else [value]
        named += [(name, Path(v)) for v in values if v is not None]
    return named


def _refuse(option: str, path: str | Path, why: str) -> OutputPathError:
    return OutputPathError(f"{option} {printable(str(path))}: {why}")


def protected_dirs() -> list[Path]:
    """Folders no command writes into: ``config.RAW_DATA_DIR``, the checkout's and the
    wheel's shipped raw data, and the package's own data (methodology)."""
    dirs = [config.RAW_DATA_DIR, config.PACKAGE_DIR / "data"]
    dirs.append(getattr(config, "BUNDLED_DIR", config.PACKAGE_DIR / "bundled") / "data" / "raw")
    checkout = getattr(config, "CHECKOUT_DIR", None)
    if checkout is not None:
        dirs.append(Path(checkout) / "data" / "raw")
    return [_resolved(d) for d in dirs]


def _check_common(path: str | Path, option: str, raw_dir: Path | None) -> Path:
    resolved = _resolved(path)
    for raw in protected_dirs() if raw_dir is None else [_resolved(raw_dir)]:
        if _within(resolved, raw):
            return _raise(_refuse(option, path, f"is in {raw} (raw data is never written)"))
    for root in SYSTEM_ROOTS:
        if _within(resolved, root):
            return _raise(_refuse(option, path, f"is under {root}, not a place for outputs"))
    # The nearest folder that exists must be a folder we may write into.
    ancestor = resolved.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        _raise(_refuse(option, path, f"{ancestor} is a file, not a folder"))
    if not os.access(ancestor, os.W_OK | os.X_OK):
        _raise(_refuse(option, path, f"the folder {ancestor} is not writable"))
    return resolved


def _raise(error: Exception):
    raise error


def check_output_path(
    path: str | Path,
    inputs: Inputs | None = None,
    *,
    option: str = "output",
    raw_dir: str | Path | None = None,
) -> Path:
    """Return ``path`` if a file may be written there, else raise :class:`OutputPathError`
    (one line naming ``option``, the path and the rule).

    Refused: a path in ``raw_dir`` (default :func:`protected_dirs`, ``config.RAW_DATA_DIR``
    among them) or resolving into it (symlinks followed); the
    same file as one of ``inputs`` (a mapping option -> path(s), or paths); an existing folder
    or special file (FIFO, device); a path under /proc, /sys or /dev; a path below a regular
    file; a folder without write permission.
    """
    resolved = _check_common(path, option, None if raw_dir is None else Path(raw_dir))
    for name, given in _named_inputs(inputs):
        same = _resolved(given) == resolved
        with contextlib.suppress(OSError):
            same = same or os.path.samefile(given, resolved)
        if same:
            why = f"is also read as {name} (an output never replaces an input)"
            raise _refuse(option, path, why)
    if resolved.exists() or resolved.is_symlink():
        if resolved.is_dir():
            raise _refuse(option, path, "is a folder; give a file name")
        if not resolved.is_file():
            raise _refuse(option, path, "is not a regular file")
    return Path(path)


def check_output_dir(
    path: str | Path, *, option: str = "output folder", raw_dir: str | Path | None = None
) -> Path:
    """Return ``path`` if outputs may be written into this folder (made if missing), else raise
    :class:`OutputPathError`; the rules of :func:`check_output_path` for a folder."""
    resolved = _check_common(path, option, None if raw_dir is None else Path(raw_dir))
    if resolved.exists():
        if not resolved.is_dir():
            raise _refuse(option, path, "is a file, not a folder")
        if not os.access(resolved, os.W_OK | os.X_OK):
            raise _refuse(option, path, "is not writable")
    return Path(path)


# --- text for terminals --------------------------------------------------------------------
def printable(text: object) -> str:
    """``text`` safe to print on a terminal: control and bidi-format characters (ESC, CR,
    U+202E, ...) shown as ``\\x1b``, ``\\r``, ``\\u202e``; everything else unchanged."""
    text = str(text)
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char == " " or unicodedata.category(char) not in {"Cc", "Cf", "Zl", "Zp"}:
            out.append(char)
        elif char in "\t\n\r":
            out.append(repr(char)[1:-1])
        elif ord(char) < 0x100:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(f"\\u{ord(char):04x}")
    return "".join(out)


# --- clean-up on a signal ------------------------------------------------------------------
_REGISTERED: dict[Path, int] = {}


@contextlib.contextmanager
def remove_on_exit(path: str | Path) -> Iterator[Path]:
    """While the block runs, :func:`remove_registered` (called by the CLI's signal handler)
    removes ``path`` (file or folder)."""
    path = Path(path)
    _REGISTERED[path] = os.getpid()
    try:
        yield path
    finally:
        _REGISTERED.pop(path, None)


def stop_children(timeout: float = 3.0) -> None:
    """SIGTERM this process's child processes (a report's kernel, a batch's workers) and wait
    up to ``timeout`` s for them to end, then SIGKILL the rest. Linux only (reads /proc);
    elsewhere nothing happens. Never raises."""
    import signal
    import time

    pids = set(_children(os.getpid()))
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while pids and time.monotonic() < deadline:
        for pid in list(pids):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                pids.discard(pid)
        time.sleep(0.02)
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _children(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == parent and fields[0] not in ("Z", "X"):
            found.append(int(stat.parent.name))
    return found


def remove_registered() -> None:
    """Remove every path registered by this process (never raises)."""
    for path, pid in list(_REGISTERED.items()):
        if pid != os.getpid():  # inherited by a forked worker: the parent's to remove
            continue
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        _REGISTERED.pop(path, None)


__all__ = [
    "OutputPathError",
    "check_output_dir",
    "check_output_path",
    "printable",
    "protected_dirs",
    "remove_on_exit",
    "remove_registered",
    "stop_children",
]
