"""``iid-analysis init DIR``: a project folder for an installed package.

Writes ``data/raw/`` (copies of the published figures and the SYNTHETIC example with their
datasheet), ``data/processed/``, ``notebooks/`` (each notebook with its jupytext ``.py`` pair),
``reports/`` and ``params/`` (example params, one per target year with rules). A file that is
already there is kept as it is: raw data is never overwritten.

The notebooks name the Jupyter kernel ``iid-analysis``; when this environment has none of that
name, ``init`` registers one that runs this Python, so ``papermill notebooks/X.ipynb out.ipynb``
(or JupyterLab) runs them as shipped.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from ..atomic import atomic_path
from ..config import HOME_ENV, PROJECT_DIRS, PROJECT_FILES, shipped_file
from ..errors import IIDError, UsageError
from ..outputs import check_output_dir, printable

ORDER = 5
NOTEBOOK_KERNEL = "iid-analysis"
"""The kernel the shipped notebooks name in their metadata (``make install`` registers it too)."""


@dataclass(frozen=True)
class InitResult:
    """What :func:`init_project` did: files written and files kept (paths relative to the
    project folder)."""

    directory: Path
    written: tuple[str, ...]
    kept: tuple[str, ...]
    kernel: Path | None = None
    """The kernelspec registered for the notebooks, None when one was there already."""


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
    return InitResult(
        directory=directory, written=tuple(written), kept=tuple(kept), kernel=register_kernel()
    )


def notebook_kernel_spec() -> dict:
    """The ``iid-analysis`` kernelspec: an IPython kernel in this very Python."""
    return {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python (iid-analysis)",
        "language": "python",
        "metadata": {"debugger": True},
    }


def register_kernel(prefix: str | Path | None = None) -> Path | None:
    """Write the ``iid-analysis`` kernelspec into this environment (``prefix``, default
    ``sys.prefix``; else the user's Jupyter folder when the environment is read-only) unless
    one is there already. Returns the kernel.json written, or None. Never raises: a notebook
    kernel is a convenience, the project folder is what ``init`` is for."""
    bases = [Path(prefix or sys.prefix) / "share" / "jupyter"]
    try:
        from jupyter_core.paths import jupyter_data_dir

        bases.append(Path(jupyter_data_dir()))
    except ImportError:  # pragma: no cover - jupyter_core comes with ipykernel
        pass
    if any((base / "kernels" / NOTEBOOK_KERNEL / "kernel.json").is_file() for base in bases):
        return None
    content = json.dumps(notebook_kernel_spec(), indent=1, sort_keys=True)
    for base in bases:
        target = base / "kernels" / NOTEBOOK_KERNEL / "kernel.json"
        try:
            if os.access(_nearest_existing(target), os.W_OK):
                with atomic_path(target, suffix=".json") as temporary:
                    temporary.write_text(content, encoding="utf-8")
                return target
        except OSError:
            continue
    return None


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


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
    if result.kernel is not None:
        print(f"registered the Jupyter kernel {NOTEBOOK_KERNEL} for the notebooks: {result.kernel}")
    print(
        f"next: cd {result.directory} && iid-analysis report "
        "--params params/kota-mojokerto_2024.yaml"
    )
    return 0
