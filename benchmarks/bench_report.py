"""Report benchmarks, measured in one run (targets from the report issue):

- the full report's wall time (``iid-analysis report``, as a user runs it) over ``papermill`` +
  ``jupyter nbconvert --to html`` on an empty two-cell notebook, each a fresh command with the
  same kernel: target at most 1.2x (1.5x at first). The same ratio in-process (the runner on
  the empty notebook against the runner on the report, imports already warm) is printed too;
- the HTML size: target under 1.5 MB;
- batch throughput with 2 workers over 1 worker on the same jobs: target at least 1.7x.

Run: ``.venv/bin/python benchmarks/bench_report.py [--repeat 3] [--jobs 4]``. Prints one line per
figure and writes them to benchmarks/results/bench_report.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from iid_analysis.config import PROJ_ROOT
from iid_analysis.report import ReportParams
from iid_analysis.report.batch import Job, run_batch
from iid_analysis.report.runner import ensure_kernel, run_report

RESULTS = PROJ_ROOT / "benchmarks" / "results" / "bench_report.json"


BIN = Path(sys.executable).parent


def empty_notebook(folder: Path) -> Path:
    """Two cells: a parameters cell (the report's names, so papermill does not warn), and 1 + 1."""
    names = "\n".join(f"{name} = None" for name in ReportParams.__dataclass_fields__)
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(names, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("1 + 1"),
    ])
    notebook.metadata["kernelspec"] = {"name": ensure_kernel(), "language": "python",
                                       "display_name": "Python"}
    path = folder / "empty.ipynb"
    nbformat.write(notebook, path)
    return path


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def run(command: list[str]) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def cli_empty(empty: Path, work: Path) -> None:
    """papermill then nbconvert, as two commands, on the empty notebook."""
    executed = work / "empty_out.ipynb"
    run([str(BIN / "papermill"), str(empty), str(executed), "-k", ensure_kernel(),
         "-p", "region", "Kota Mojokerto", "-p", "target_year", "2024"])
    run([str(BIN / "jupyter-nbconvert"), "--to", "html", "--no-input", str(executed)])


def cli_report(work: Path) -> None:
    run([str(BIN / "iid-analysis"), "report", "--region", "Kota Mojokerto", "--target-year",
         "2024", "--output-dir", str(work / "cli")])


def batch_jobs(n_jobs: int) -> list[Job]:
    """``n_jobs`` distinct reports of the example city (years and languages vary)."""
    jobs = []
    for year in range(2024, 2100):
        for lang in ("id", "en"):
            params = ReportParams(region="Kota Mojokerto", target_year=year, lang=lang,
                                  indicator_year=2023, n_draws=4000)
            jobs.append(Job(params.stem, params))
            if len(jobs) == n_jobs:
                return jobs
    return jobs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=6, help="reports per batch run")
    args = parser.parse_args(argv)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1709078400")
    params = ReportParams(region="Kota Mojokerto", target_year=2024)

    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        empty = empty_notebook(work)
        run_report(params, work / "warm")  # first kernel start and imports warm the caches
        baseline = [timed(lambda: run_report(params, work / "empty", notebook=empty))
                    for _ in range(args.repeat)]
        full = [timed(lambda: run_report(params, work / "full")) for _ in range(args.repeat)]
        cli_base = [timed(lambda: cli_empty(empty, work)) for _ in range(args.repeat)]
        cli_full = [timed(lambda: cli_report(work)) for _ in range(args.repeat)]
        size = (work / "full" / f"{params.stem}.html").stat().st_size

        jobs = batch_jobs(args.jobs)
        one = timed(lambda: run_batch(jobs, work / "b1", workers=1, progress=False))
        two = timed(lambda: run_batch(jobs, work / "b2", workers=2, progress=False))

    figures = {
        "cli_report_seconds": statistics.median(cli_full),
        "cli_empty_notebook_seconds": statistics.median(cli_base),
        "cli_report_over_empty": statistics.median(cli_full) / statistics.median(cli_base),
        "report_seconds": statistics.median(full),
        "empty_notebook_seconds": statistics.median(baseline),
        "report_over_empty": statistics.median(full) / statistics.median(baseline),
        "html_bytes": size,
        "batch_jobs": len(jobs),
        "batch_1_worker_seconds": one,
        "batch_2_workers_seconds": two,
        "batch_speedup_2_over_1": one / two,
        "cpus": os.cpu_count(),
    }
    print(f"report command     {figures['cli_report_seconds']:.2f} s (median of {args.repeat})")
    print(f"papermill+nbconvert {figures['cli_empty_notebook_seconds']:.2f} s (empty notebook)")
    print(f"ratio              {figures['cli_report_over_empty']:.2f}x   (target <= 1.2x)")
    print(f"in-process: report {figures['report_seconds']:.2f} s, empty "
          f"{figures['empty_notebook_seconds']:.2f} s, ratio {figures['report_over_empty']:.2f}x")
    print(f"HTML size          {size / 1e6:.3f} MB  (target < 1.5 MB)")
    print(f"batch, 1 worker    {one:.2f} s for {len(jobs)} reports")
    print(f"batch, 2 workers   {two:.2f} s for {len(jobs)} reports")
    print(f"batch speed-up     {figures['batch_speedup_2_over_1']:.2f}x   (target >= 1.7x; "
          f"{figures['cpus']} CPUs)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
