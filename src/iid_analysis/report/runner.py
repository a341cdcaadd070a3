"""Run the report notebook with papermill and turn it into HTML, atomically.

The kernel is the Python running this code (a kernelspec pointing at ``sys.executable`` is
written if needed), never the one named in the notebook's metadata. The work happens in a
temporary folder beside the output; only a complete report replaces the previous one. On
failure the executed notebook is kept as ``<name>.failed.ipynb`` and :class:`ReportFailedError`
says in one line which cell failed and why.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import nbformat
import papermill

from ..atomic import write_text
from ..config import REPORT_NOTEBOOK, REPORTS_DIR
from ..errors import IIDError, UsageError
from .html import normalise_ids, notebook_to_html
from .i18n import text
from .params import DEFAULT_TIMEOUT, ReportParams

START_TIMEOUT = 120

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class ReportFailedError(IIDError):
    """The report notebook failed; the message names the cell and the error in one line."""


@dataclass(frozen=True)
class ReportResult:
    """Paths of a finished report and how long it took (seconds)."""

    html: Path
    notebook: Path
    seconds: float


def kernel_name() -> str:
    """The kernelspec name for this Python: ``iid-analysis-<hash of sys.executable>``."""
    digest = hashlib.sha256(sys.executable.encode("utf-8")).hexdigest()[:10]
    return f"iid-analysis-{digest}"


def kernel_spec() -> dict:
    """A kernelspec that starts an IPython kernel in this very Python."""
    return {
        # Errors only on the kernel's own log: its notice about local TCP would otherwise fill
        # every scheduled run's log; a cell's output and errors are in the notebook.
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--IPKernelApp.log_level=ERROR"],
        "display_name": f"Python (iid-analysis, {sys.executable})",
        "language": "python",
        # No GUI backend in a batch kernel; hash seed fixed so set order never varies.
        "env": {"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"},
        "metadata": {"debugger": False},
    }


def ensure_kernel() -> str:
    """Write the kernelspec for this Python where Jupyter finds it; return its name.

    Tries ``sys.prefix/share/jupyter/kernels`` (the environment's own), then the user's
    Jupyter data folder. Rewritten only when it differs, atomically (safe for parallel runs).
    """
    from jupyter_core.paths import jupyter_data_dir

    name = kernel_name()
    content = json.dumps(kernel_spec(), indent=1, sort_keys=True)
    errors = []
    for base in (Path(sys.prefix) / "share" / "jupyter", Path(jupyter_data_dir())):
        target = base / "kernels" / name / "kernel.json"
        try:
            if not target.is_file() or target.read_text(encoding="utf-8") != content:
                write_text(target, content)
            return name
        except OSError as exc:
            errors.append(f"{target}: {exc.strerror}")
    raise ReportFailedError("cannot register a Jupyter kernel: " + "; ".join(errors))


def execute(
    notebook: Path, output: Path, parameters: dict, timeout: int, cwd: Path
) -> None:
    """Run ``notebook`` with ``parameters`` into ``output`` (papermill, this Python's kernel)."""
    papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=parameters,
        kernel_name=ensure_kernel(),
        language="python",
        progress_bar=False,
        start_timeout=START_TIMEOUT,
        execution_timeout=timeout,
        cwd=str(cwd),
    )


def describe_failure(exc: BaseException, executed: Path | None, timeout: int) -> str:
    """One line: which cell failed (number and first line of code) and why."""
    cell = _failed_cell(executed)
    where = "the notebook"
    if cell is not None:
        first = next((ln for ln in cell.source.splitlines() if ln.strip()), "").strip()
        where = f"cell {cell.get('execution_count') or '?'} ({first[:80]})"
    if isinstance(exc, papermill.PapermillExecutionError):
        reason = f"{exc.ename}: {_first_line(exc.evalue)}"
    elif isinstance(exc, TimeoutError) or "timed out" in str(exc).lower():
        reason = f"ran longer than the {timeout} s timeout"
    else:
        reason = f"{type(exc).__name__}: {_first_line(str(exc))}"
    return f"{where} failed: {reason}"


def _first_line(message: str) -> str:
    clean = _ANSI.sub("", message or "").strip()
    return clean.splitlines()[0] if clean else "(no message)"


def _failed_cell(executed: Path | None):
    if executed is None or not executed.is_file():
        return None
    try:
        notebook = nbformat.read(executed, as_version=4)
    except (OSError, ValueError):
        return None
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        status = cell.get("metadata", {}).get("papermill", {}).get("status")
        has_error = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
        if has_error or status == "running":
            return cell
    return None


def _fail(params: ReportParams, message: str, executed: Path, failed: Path) -> NoReturn:
    """Keep the executed notebook as ``failed`` (if there is one) and raise the one-line error."""
    if executed.is_file():
        os.replace(executed, failed)
        message += f" (executed notebook kept as {failed})"
    raise ReportFailedError(f"report {params.stem}: {message}")


def output_paths(params: ReportParams, output_dir: Path) -> dict[str, Path]:
    """Where a report goes: html, notebook and failed (the kept notebook of a failed run)."""
    return {
        "html": output_dir / f"{params.stem}.html",
        "notebook": output_dir / f"{params.stem}.ipynb",
        "failed": output_dir / f"{params.stem}.failed.ipynb",
    }


def run_report(
    params: ReportParams,
    output_dir: str | Path = REPORTS_DIR,
    *,
    notebook: str | Path = REPORT_NOTEBOOK,
    timeout: int = DEFAULT_TIMEOUT,
) -> ReportResult:
    """Execute the report notebook for ``params`` and write ``<slug>_<year>.html`` and
    ``.ipynb`` into ``output_dir``.

    Raises :class:`ReportFailedError` (previous report untouched, ``.failed.ipynb`` kept).
    """
    if timeout < 1:
        raise UsageError(f"the timeout must be at least 1 second, got {timeout}")
    started = time.perf_counter()
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    targets = output_paths(params, output_dir)
    notebook = Path(notebook)
    if not notebook.is_file():
        raise ReportFailedError(f"report notebook not found: {notebook}")
    with tempfile.TemporaryDirectory(prefix=f".{params.stem}.", dir=output_dir) as work_dir:
        work = Path(work_dir)
        executed = work / targets["notebook"].name
        try:
            execute(notebook, executed, params.as_dict(), timeout, cwd=work)
        except Exception as exc:  # any failure of the run is reported the same way
            _fail(params, describe_failure(exc, executed, timeout), executed, targets["failed"])
        page = work / targets["html"].name
        try:
            result = normalise_ids(nbformat.read(executed, as_version=4))
            title = text("report_title", params.lang, year=params.target_year,
                         region=params.region)
            page.write_text(notebook_to_html(result, title, params.lang), encoding="utf-8")
        except Exception as exc:  # the notebook ran; keep it whatever broke the conversion
            reason = f"conversion to HTML failed: {type(exc).__name__}: {_first_line(str(exc))}"
            _fail(params, reason, executed, targets["failed"])
        nbformat.write(result, executed)
        os.replace(executed, targets["notebook"])
        os.replace(page, targets["html"])
    targets["failed"].unlink(missing_ok=True)
    return ReportResult(
        html=targets["html"], notebook=targets["notebook"], seconds=time.perf_counter() - started
    )
