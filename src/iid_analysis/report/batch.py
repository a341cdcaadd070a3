"""Many reports in one go: from a folder of YAML params files or a list of regions, in
parallel worker processes, continuing past failures, with a summary at the end."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from ..errors import IIDError, UsageError
from ..outputs import check_output_dir, printable, remove_registered, stop_children
from .params import DEFAULT_TIMEOUT, ReportParams, load_params, with_canonical_region
from .runner import REPORT_NOTEBOOK, run_report

PR_SET_PDEATHSIG = 1

PARAMS_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Job:
    """One report to make: ``name`` (its params file or region) and its parameters, or the
    one-line ``error`` that stopped them from being read."""

    name: str
    params: ReportParams | None
    error: str | None = None


@dataclass(frozen=True)
class Outcome:
    """How one report went: ``ok``, a one-line ``message`` (the HTML path or the error)."""

    name: str
    ok: bool
    message: str
    seconds: float


def jobs_from_params_dir(directory: str | Path, **overrides: object) -> list[Job]:
    """A job per ``*.yaml`` / ``*.yml`` file in ``directory`` (sorted by name).

    A file that cannot be read becomes a job carrying its error. Raises :class:`UsageError`
    when the folder is missing or holds no params file.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise UsageError(f"params folder not found: {directory}")
    files = sorted(p for p in directory.iterdir() if p.suffix.lower() in PARAMS_SUFFIXES)
    if not files:
        raise UsageError(f"no .yaml params files in {directory}")
    jobs = []
    for path in files:
        try:
            jobs.append(Job(path.name, with_canonical_region(load_params(path, **overrides))))
        except IIDError as exc:
            jobs.append(Job(path.name, None, str(exc)))
        except Exception as exc:  # noqa: BLE001 - one unreadable file is one failed job
            jobs.append(Job(path.name, None, f"{path}: cannot read: {type(exc).__name__}: {exc}"))
    return jobs


def jobs_from_regions_file(path: str | Path, target_year: int, **common: object) -> list[Job]:
    """A job per region named in a text file (one per line; blank lines and ``#`` comments
    skipped), all for ``target_year`` with the ``common`` parameters (None values ignored)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the regions file ({exc.strerror})") from None
    try:
        lines = data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UsageError(
            f"{printable(path)}, line {line}: not UTF-8 text (a regions file is one region name "
            "per line)"
        ) from None
    if "\x00" in "".join(lines):
        raise UsageError(f"{printable(path)}: holds NUL bytes, not a text file of region names")
    regions = [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    if not regions:
        raise UsageError(f"{path}: no region names in the file")
    given = {k: v for k, v in common.items() if v is not None}
    jobs = []
    for region in regions:
        try:
            params = ReportParams(region=region, target_year=target_year, **given)
            jobs.append(Job(region, with_canonical_region(params)))
        except IIDError as exc:
            jobs.append(Job(region, None, str(exc)))
    return jobs


def check_unique_outputs(jobs: list[Job]) -> list[Job]:
    """Jobs whose report file name is already taken by an earlier job become failures."""
    seen: dict[str, str] = {}
    result = []
    for job in jobs:
        if job.params is not None:
            stem = job.params.stem
            if stem in seen:
                job = Job(job.name, None, f"writes {stem}.html, as {seen[stem]} does")
            else:
                seen[stem] = job.name
        result.append(job)
    return result


def run_job(
    job: Job,
    output_dir: str,
    notebook: str,
    timeout: int,
    force: bool = False,
    parent: int | None = None,
) -> Outcome:
    """Make one report; never raises for a failed report (the outcome says why).

    ``parent``: the pid of the batch process; a worker whose parent is gone starts no job.
    """
    started = time.perf_counter()
    if parent is not None and os.getppid() != parent:
        os._exit(EXIT_TERMINATED)
    if job.params is None:
        return Outcome(job.name, False, job.error or "invalid parameters", 0.0)
    try:
        result = run_report(
            job.params, output_dir, notebook=notebook, timeout=timeout, force=force
        )
    except IIDError as exc:
        return Outcome(job.name, False, str(exc), time.perf_counter() - started)
    except Exception as exc:  # a worker must report, not die, whatever went wrong
        message = f"{type(exc).__name__}: {exc}"
        return Outcome(job.name, False, message, time.perf_counter() - started)
    return Outcome(job.name, True, str(result.html), result.seconds)


def run_batch(
    jobs: list[Job],
    output_dir: str | Path,
    *,
    workers: int = 1,
    notebook: str | Path = REPORT_NOTEBOOK,
    timeout: int = DEFAULT_TIMEOUT,
    progress: bool = True,
    force: bool = False,
) -> list[Outcome]:
    """Run every job with ``workers`` processes (at most one per job and per core); outcomes
    in the order of ``jobs``. Workers die with this process and start no job once it is gone.
    """
    if workers < 1:
        raise UsageError(f"workers must be at least 1, got {workers}")
    check_output_dir(output_dir, option="--output-dir")  # once, not once per job
    workers = effective_workers(workers, len(jobs))
    jobs = check_unique_outputs(jobs)
    arguments = (str(output_dir), str(notebook), timeout, force)
    outcomes: dict[int, Outcome] = {}
    if workers == 1:
        with _progress_bar(len(jobs), progress) as bar:
            for index, job in enumerate(jobs):
                outcomes[index] = run_job(job, *arguments)
                bar.update()
    else:
        parent = os.getpid()
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=_context(), initializer=_worker_init,
            initargs=(parent,),
        ) as pool:
            # Workers start on the first submit, before the progress bar starts its thread.
            futures = {
                pool.submit(run_job, job, *arguments, parent): i for i, job in enumerate(jobs)
            }
            with _progress_bar(len(jobs), progress) as bar:
                for future in as_completed(futures):
                    outcomes[futures[future]] = future.result()
                    bar.update()
    return [outcomes[i] for i in range(len(jobs))]


EXIT_TERMINATED = 143


def effective_workers(requested: int, n_jobs: int) -> int:
    """Worker processes to start: no more than jobs, nor than the cores this process may use."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(requested, n_jobs, cores))


def _worker_init(parent: int) -> None:
    """Make a worker die with the batch process and leave interrupts to it.

    Linux: the kernel sends SIGTERM to the worker when its parent dies (PR_SET_PDEATHSIG);
    the worker then removes its temporary report folder and exits (its kernel sees its own
    parent gone and stops). Ctrl-C is the parent's to handle: workers ignore SIGINT.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_terminated)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the parent check in run_job still stops queued jobs
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(EXIT_TERMINATED)


def _worker_terminated(signum, frame) -> None:  # noqa: ARG001 - the signature signal wants
    stop_children()
    remove_registered()
    os._exit(EXIT_TERMINATED)


def _progress_bar(total: int, shown: bool) -> tqdm:
    return tqdm(total=total, desc="reports", unit="report", disable=not shown, file=sys.stderr)


def _context():
    # On Linux a forked worker starts at once with papermill already imported (this process
    # holds no kernel, socket or event loop yet); elsewhere a fresh interpreter is safer.
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def summary(outcomes: list[Outcome]) -> str:
    """Lines: the count of successes and failures, then one line per failure."""
    failed = [o for o in outcomes if not o.ok]
    lines = [f"{len(outcomes) - len(failed)} report(s) succeeded, {len(failed)} failed"]
    lines += [f"FAILED {printable(o.name)}: {printable(o.message)}" for o in failed]
    return "\n".join(lines)
