"""``iid-analysis init DIR``: a project folder for an installed package.

Writes ``data/raw/`` (copies of the published figures and the SYNTHETIC example with their
datasheet), ``data/processed/``, ``notebooks/``, ``reports/`` and ``params/`` (the example
params). A file that is already there is kept as it is: raw data is never overwritten.
"""

from __future__ import annotations

import argparse
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..atomic import atomic_path
from ..config import HOME_ENV, PROJECT_DIRS, PROJECT_FILES, shipped_file
from ..errors import IIDError, UsageError
from ..outputs import check_output_dir, printable

ORDER = 5


@dataclass(frozen=True)
class InitResult:
    """What :func:`init_project` did: files written and files kept (paths relative to the
    project folder)."""

    directory: Path
    written: tuple[str, ...]
    kept: tuple[str, ...]


def init_project(directory: str | Path) -> InitResult:
    """Create the project folders under ``directory`` and copy the shipped files into them.

    Raises :class:`UsageError` when ``directory`` (or a folder in it) cannot be made or
    written, :class:`IIDError` when the installation lacks a shipped file.
    """
    directory = Path(directory).expanduser()
    check_output_dir(directory, option="DIR")  # never into raw data, /proc, a file, ...
    missing = [name for name in PROJECT_FILES if not shipped_file(name).is_file()]
    if missing:
        raise IIDError(
            f"the installation lacks {len(missing)} shipped file(s), e.g. {missing[0]}; "
            "reinstall iid-analysis"
        )
    written, kept = [], []
    try:
        for name in PROJECT_DIRS:
            (directory / name).mkdir(parents=True, exist_ok=True)
        for name in PROJECT_FILES:
            target = directory / name
            if target.exists():
                kept.append(name)
                continue
            with atomic_path(target, suffix=target.suffix) as temporary:
                shutil.copyfile(shipped_file(name), temporary)
            written.append(name)
    except OSError as exc:
        where = printable(exc.filename or directory)
        raise UsageError(f"{where}: cannot write the project folder ({exc.strerror})") from None
    return InitResult(directory=directory, written=tuple(written), kept=tuple(kept))


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "init",
        help="write a project folder (data, notebooks, reports, params) to work in",
        description="Write DIR/data/raw (the published figures and the SYNTHETIC example), "
        "DIR/data/processed, DIR/notebooks, DIR/reports and DIR/params (example params). "
        "Existing files are kept. Run the other commands from DIR, or set "
        f"{HOME_ENV}=DIR.",
    )
    parser.add_argument("directory", type=Path, metavar="DIR", help="the project folder")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    result = init_project(args.directory)
    line = f"{result.directory}: wrote {len(result.written)} file(s)"
    if result.kept:
        line += f", kept {len(result.kept)} existing: {', '.join(result.kept)}"
    print(line)
    print(
        f"next: cd {result.directory} && iid-analysis report "
        "--params params/kota-mojokerto_2024.yaml"
    )
    return 0
