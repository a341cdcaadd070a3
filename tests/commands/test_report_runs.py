"""Reports run as users run them, one command after another, each in its own process: a report
of another region is never replaced without --force, and a timeout says one line (the kernel's
own log stays out of the terminal)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE
from iid_analysis.report.runner import REPORT_NOTEBOOK, report_region

pytestmark = pytest.mark.slow

DRIVER = """
import sys
from iid_analysis.report import runner
runner.run_report.__kwdefaults__["notebook"] = sys.argv[1]
from iid_analysis.cli import main
sys.argv = ["iid-analysis", *sys.argv[2:]]
sys.exit(main())
"""


def notebook(path: Path, code: str) -> Path:
    """The report notebook's parameters cell, then ``code``."""
    report = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    parameters = next(c for c in report.cells if "parameters" in c.metadata.get("tags", []))
    cells = [parameters, nbformat.v4.new_code_cell(code)]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def command(tmp_path: Path, nb: Path, *argv: str) -> subprocess.CompletedProcess:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(driver), str(nb), *argv], capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip


def report_argv(region: str, out: Path, *extra: str) -> list[str]:
    return ["report", "--region", region, "--target-year", "2024", "--target", "85",
            "--spd", str(EXAMPLE_SPD_FILE), "--innovations", str(EXAMPLE_INNOVATIONS_FILE),
            "--output-dir", str(out), *extra]  # fmt: skip


def test_a_report_of_another_region_is_not_replaced_by_a_later_command(tmp_path):
    quick = notebook(tmp_path / "quick.ipynb", "x = 1")
    out = tmp_path / "reports"
    first = command(tmp_path, quick, *report_argv("Desa Uji (A)", out))
    assert first.returncode == 0, first.stderr
    page = out / "desa-uji-a_2024.html"
    assert report_region(page) == "Desa Uji (A)"
    before = page.read_bytes()

    second = command(tmp_path, quick, *report_argv("Desa Uji A", out))
    assert second.returncode == 2
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and "Desa Uji (A)" in lines[0] and "--force" in lines[0], lines
    assert page.read_bytes() == before

    again = command(tmp_path, quick, *report_argv("Desa Uji (A)", out))  # the same region
    assert again.returncode == 0, again.stderr
    forced = command(tmp_path, quick, *report_argv("Desa Uji A", out, "--force"))
    assert forced.returncode == 0, forced.stderr
    assert report_region(page) == "Desa Uji A"
    assert sorted(p.name for p in out.iterdir()) == ["desa-uji-a_2024.html",
                                                     "desa-uji-a_2024.ipynb"]  # fmt: skip


@pytest.mark.parametrize("run", [1, 2])  # the kernel's log came in about half the runs
def test_a_timeout_is_one_line_without_the_kernel_log(tmp_path, run):
    """The real report notebook with --timeout 1, as in the sweep that found the kernel's
    21-line ZMQError log printed before the command's own line."""
    out = tmp_path / "reports"
    done = command(tmp_path, REPORT_NOTEBOOK, *report_argv("Kota Mojokerto", out, "--timeout", "1"))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr  # no "[IPKernelApp] ERROR", no ZMQError traceback
    assert "ran longer than the 1 s timeout" in lines[0]
    assert [p.name for p in out.iterdir()] == ["kota-mojokerto_2024.failed.ipynb"]
