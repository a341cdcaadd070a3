"""Run the report notebook with papermill and turn it into HTML, atomically.

The kernel is the Python running this code (a kernelspec pointing at ``sys.executable`` is
written if needed), never the one named in the notebook's metadata. The work happens in a
temporary folder beside the output; only a complete report replaces the previous one. On
failure the executed notebook is kept as ``<name>.failed.ipynb`` and :class:`ReportFailedError`
says in one line which cell failed and why.

Runs of the same report are serialised by a lock file (``.<name>.lock`` beside the report,
removed at the end); the run holding it removes the temporary folders that killed runs of the
same report left behind. A report replaces an earlier one only if that one is of the same
region (or with ``force``).
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import nbformat
import papermill
from traitlets.config import Config

from ..atomic import write_text
from ..config import REPORT_NOTEBOOK, REPORTS_DIR
from ..errors import IIDError, UsageError
from ..inputs.published import load_published_scores
from ..outputs import check_output_dir, check_output_path, printable, remove_on_exit
from .html import normalise_ids, notebook_to_html, warm_up
from .i18n import text
from .params import DEFAULT_TIMEOUT, ReportParams, with_canonical_region
from .preflight import check_before_run

START_TIMEOUT = 120
CONNECTION_FILE = "kernel.json"
REGION_META = "iid-analysis-region"
"""The name of the HTML meta tag that records the region a report was made for."""

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
        # The launcher sends the kernel's own log to a file in the run's folder (kernel.py).
        "argv": [sys.executable, "-m", "iid_analysis.report.kernel", "-f", "{connection_file}",
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
    """Run ``notebook`` with ``parameters`` into ``output`` (papermill, this Python's kernel).

    The kernel's connection file (its ports and key) is ``cwd/kernel.json``, not a file in the
    system's temporary folder: it goes with the run's folder, also after an interrupt or a
    kill (the next run of the report removes the folders killed runs left)."""
    connection_file = str(Path(cwd).resolve() / CONNECTION_FILE)
    config = Config({"KernelManager": {"connection_file": connection_file}})
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
        config=config,
    )


# papermill (and nbclient through it) log a timeout or a dead kernel on their own; the failure
# is reported in one line, so with no logging configured nothing else reaches the terminal.
logging.getLogger("papermill").addHandler(logging.NullHandler())


def describe_failure(exc: BaseException, executed: Path | None, timeout: int) -> str:
    """One line: which cell failed (number and first line of code) and why."""
    timed_out = isinstance(exc, TimeoutError) or "timed out" in str(exc).lower()
    found = _failed_cell(executed, timed_out)
    where = "the notebook"
    if found is not None:
        number, cell = found
        first = next((ln for ln in cell.source.splitlines() if ln.strip()), "").strip()
        where = f"cell {number} ({printable(first[:80])})"
    if isinstance(exc, papermill.PapermillExecutionError):
        reason = f"{exc.ename}: {_first_line(exc.evalue)}"
    elif timed_out:
        reason = f"ran longer than the {timeout} s timeout"
    else:
        reason = f"{type(exc).__name__}: {_first_line(str(exc))}"
    return f"{where} failed: {reason}"


def _first_line(message: str) -> str:
    clean = _ANSI.sub("", message or "").strip()
    return clean.splitlines()[0] if clean else "(no message)"


def _failed_cell(executed: Path | None, timed_out: bool = False):
    """(number, cell) of the cell that failed: the one with an error output or still
    running; after a timeout, else the first code cell that never finished. The number is
    the execution count, else the cell's position among the code cells (from 1)."""
    if executed is None or not executed.is_file():
        return None
    try:
        notebook = nbformat.read(executed, as_version=4)
    except (OSError, ValueError):
        return None
    code = [c for c in notebook.cells if c.cell_type == "code"]
    for position, cell in enumerate(code, start=1):
        status = cell.get("metadata", {}).get("papermill", {}).get("status")
        has_error = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
        if has_error or status == "running":
            return cell.get("execution_count") or position, cell
    if timed_out:
        for position, cell in enumerate(code, start=1):
            if not cell.get("metadata", {}).get("papermill", {}).get("end_time"):
                return cell.get("execution_count") or position, cell
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


class ReportCollisionError(UsageError):
    """The report file belongs to another region (replace it only with ``force``)."""


_REGION_TAG = re.compile(
    rf'<meta name="{REGION_META}" content="([^"]*)"\s*/?>', re.IGNORECASE
)


def with_region_record(page: str, region: str) -> str:
    """``page`` (HTML) with a ``<meta name="iid-analysis-region">`` tag naming ``region``."""
    tag = f'<meta name="{REGION_META}" content="{html.escape(region, quote=True)}">'
    head = re.search(r"<head[^>]*>", page, re.IGNORECASE)
    if head is None:
        return tag + "\n" + page
    return page[: head.end()] + "\n" + tag + page[head.end():]


def report_region(page: Path) -> str | None:
    """The region an existing report was made for: its HTML's region meta tag (None when
    the file is missing, unreadable or carries no record)."""
    try:
        with page.open("rb") as handle:
            start = handle.read(256 * 1024).decode("utf-8", errors="replace")
    except OSError:
        return None
    found = _REGION_TAG.search(start)
    return html.unescape(found.group(1)) if found else None


def check_same_region(params: ReportParams, targets: dict[str, Path], force: bool) -> None:
    """Refuse to replace a report of another region whose name gives the same file name."""
    existing = report_region(targets["html"])
    if force or existing is None or existing == params.region:
        return
    raise ReportCollisionError(
        f"{targets['html']} is the report of {printable(existing)!r}, not of "
        f"{printable(params.region)!r} (same file name); give --force to replace it, or "
        "another --output-dir"
    )


@contextlib.contextmanager
def report_lock(params: ReportParams, output_dir: Path) -> Iterator[None]:
    """Hold ``.<stem>.lock`` in ``output_dir`` (waits while another run of the same report
    holds it), then remove the temporary folders of earlier, killed runs of that report.
    The lock file is removed when the run ends."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, no clean-up of others' folders
        yield
        return
    path = output_dir / f".{params.stem}.lock"
    while True:
        handle = open(path, "a")  # noqa: SIM115 - held open across the yield below
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            current = os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
        except FileNotFoundError:
            current = False
        if current:
            break
        # the run before removed the file while this one waited: lock the new one
        handle.close()
    try:
        with remove_on_exit(path):  # an interrupt removes it too; a kill leaves it to the next
            remove_stale_work_dirs(params, output_dir)
            yield
    finally:
        # Removed while still held, so a run waiting on this file sees it gone and retries.
        path.unlink(missing_ok=True)
        handle.close()


def remove_stale_work_dirs(params: ReportParams, output_dir: Path) -> list[Path]:
    """Remove ``.<stem>.*`` temporary folders in ``output_dir``; call only while holding the
    report's lock (then no live run of this report owns one). Returns those removed."""
    removed = []
    for path in output_dir.glob(f".{params.stem}.*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def run_report(
    params: ReportParams,
    output_dir: str | Path = REPORTS_DIR,
    *,
    notebook: str | Path = REPORT_NOTEBOOK,
    timeout: int = DEFAULT_TIMEOUT,
    force: bool = False,
) -> ReportResult:
    """Execute the report notebook for ``params`` and write ``<slug>_<year>.html`` and
    ``.ipynb`` into ``output_dir``.

    The region is spelled as published when a published region matches (case, spaces and
    punctuation aside). Raises :class:`ReportFailedError` (previous report untouched,
    ``.failed.ipynb`` kept), :class:`ReportCollisionError` when the report file belongs to
    another region and ``force`` is false, and :class:`~iid_analysis.outputs.OutputPathError`
    for an output folder that may not be written.
    """
    if timeout < 1:
        raise UsageError(f"the timeout must be at least 1 second, got {timeout}")
    started = time.perf_counter()
    # The published scores, read once here: the region's published spelling and the preflight.
    # A malformed file is a one-line error, before any notebook runs.
    scores = load_published_scores(params.path("published_scores"))
    params = with_canonical_region(params, scores).dated()  # today, fixed, unless as_of_date
    check_before_run(params, scores)  # a missing target or a bad history file: one line
    output_dir = Path(output_dir)
    check_output_dir(output_dir, option="--output-dir")
    targets = output_paths(params, output_dir)
    notebook = Path(notebook)
    inputs = {name: params.path(name) for name in params.data_paths()} | {"notebook": notebook}
    for target in targets.values():
        check_output_path(target, inputs, option="--output-dir")
    if not notebook.is_file():
        raise ReportFailedError(f"report notebook not found: {notebook}")
    output_dir.mkdir(parents=True, exist_ok=True)
    with report_lock(params, output_dir):
        check_same_region(params, targets, force)
        return _run_locked(params, output_dir, targets, notebook, timeout, started)


def _warm_up_in_background(lang: str) -> threading.Thread:
    """Import nbconvert and compile the page's templates (:func:`.html.warm_up`) in a daemon
    thread while the notebook runs; an error surfaces at the real conversion."""

    def load() -> None:
        with contextlib.suppress(Exception):
            warm_up(lang)

    thread = threading.Thread(target=load, name="warm up the HTML converter", daemon=True)
    thread.start()
    return thread


def _run_locked(params, output_dir, targets, notebook, timeout, started) -> ReportResult:
    with (
        tempfile.TemporaryDirectory(prefix=f".{params.stem}.", dir=output_dir) as work_dir,
        remove_on_exit(work_dir),
    ):
        work = Path(work_dir)
        executed = work / targets["notebook"].name
        converter = _warm_up_in_background(params.lang)
        try:
            execute(notebook, executed, params.as_dict(), timeout, cwd=work)
        except Exception as exc:  # any failure of the run is reported the same way
            _fail(params, describe_failure(exc, executed, timeout), executed, targets["failed"])
        page = work / targets["html"].name
        try:
            converter.join()
            result = normalise_ids(nbformat.read(executed, as_version=4))
            title = text("report_title", params.lang, year=params.target_year,
                         region=params.region)
            converted = notebook_to_html(result, title, params.lang)
            page.write_text(with_region_record(converted, params.region), encoding="utf-8")
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
