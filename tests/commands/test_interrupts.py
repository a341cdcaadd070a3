"""Interrupted runs leave nothing behind (issue 12 §3): Ctrl-C, SIGTERM and ``kill -9`` of
``report`` and ``batch`` run as users run them, in a subprocess with its own process group.

The report notebook is swapped for a small one that sleeps (the command line is the real one),
so a run is interrupted while its kernel is busy; what is checked is what the user sees
(stderr, exit status) and what is left behind (temporary folders, live processes).
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from iid_analysis.report.runner import REPORT_NOTEBOOK

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc and prctl"),
]

DRIVER = """
import sys
from iid_analysis.report import batch, runner
runner.run_report.__kwdefaults__["notebook"] = sys.argv[1]
batch.run_batch.__kwdefaults__["notebook"] = sys.argv[1]
from iid_analysis.cli import main
sys.argv = ["iid-analysis", *sys.argv[2:]]
sys.exit(main())
"""
STEM = "kota-mojokerto_2024"


def notebook(path: Path, code: str) -> Path:
    """The report notebook's parameters cell, then ``code``."""
    report = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    parameters = next(c for c in report.cells if "parameters" in c.metadata.get("tags", []))
    cells = [parameters, nbformat.v4.new_code_cell(code)]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


@pytest.fixture
def sleepy(tmp_path) -> Path:
    return notebook(tmp_path / "sleepy.ipynb", "import time\ntime.sleep(300)")


@pytest.fixture
def quick(tmp_path) -> Path:
    return notebook(tmp_path / "quick.ipynb", "x = 1")


def start(tmp_path: Path, nb: Path, *argv: str) -> subprocess.Popen:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    temporary = tmp_path / "tmp"
    temporary.mkdir(exist_ok=True)
    return subprocess.Popen(
        [sys.executable, str(driver), str(nb), *argv],
        env=os.environ | {"TMPDIR": str(temporary)},  # where a kernel's connection file went
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives a command
    )


def report_argv(out: Path, *extra: str) -> list[str]:
    return ["report", "--region", "Kota Mojokerto", "--target-year", "2024",
            "--output-dir", str(out), *extra]  # fmt: skip


def work_dirs(out: Path) -> list[Path]:
    return sorted(p for p in out.glob(".*") if p.is_dir())


def residue(tmp_path: Path, out: Path) -> list[Path]:
    """What a run may leave: its folders and lock in ``out``, connection files in $TMPDIR."""
    return sorted([*out.glob(".*"), *(tmp_path / "tmp").glob("*.json")])


def wait_for(condition, timeout: float = 120.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def kernels_running(out: Path, count: int = 1) -> bool:
    """``count`` runs have a temporary folder whose notebook papermill has started writing."""
    started = [d for d in work_dirs(out) if any(d.glob("*.ipynb"))]
    return len(started) >= count


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def assert_all_gone(pids: list[int], timeout: float = 15.0) -> None:
    wait_for(lambda: not any(alive(p) for p in pids), timeout, f"processes {pids} to end")


@pytest.fixture
def leftovers():
    """Processes a failing test would leave running: killed at the end whatever happened."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize(
    ("how", "status", "word", "when"),
    [("ctrl-c", 130, "interrupted", "busy"), ("sigterm", 143, "terminated", "busy"),
     ("ctrl-c", 130, "interrupted", "starting")],
)  # fmt: skip
def test_an_interrupted_report_says_one_line_and_leaves_nothing(
    tmp_path, sleepy, how, status, word, when
):
    out = tmp_path / "reports"
    process = start(tmp_path, sleepy, *report_argv(out))
    if when == "starting":  # the run's folder exists, the kernel is being started
        wait_for(lambda: work_dirs(out), what="the report's folder")
        wait_for(lambda: descendants(process.pid), timeout=60, what="the kernel's process")
    else:
        wait_for(lambda: kernels_running(out), what="the report")
        wait_for(lambda: descendants(process.pid), what="the report's kernel")
        time.sleep(1.0)
    family = descendants(process.pid)
    if how == "ctrl-c":
        os.killpg(process.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
    else:
        process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == status
    assert err.strip().splitlines() == [f"iid-analysis report: {word}"], err
    assert residue(tmp_path, out) == []  # no folder, no lock, no connection file
    assert_all_gone(family)


def test_a_killed_report_leaves_a_folder_that_the_next_run_removes(tmp_path, sleepy, quick):
    out = tmp_path / "reports"
    process = start(tmp_path, sleepy, *report_argv(out))
    wait_for(lambda: kernels_running(out), what="the report")
    wait_for(lambda: descendants(process.pid), what="the report's kernel")
    family = descendants(process.pid)
    process.kill()
    process.communicate(timeout=30)
    assert len(work_dirs(out)) == 1  # kill -9 cannot be caught: the folder stays
    assert (work_dirs(out)[0] / "kernel.json").is_file()  # the connection file is in it
    assert list((tmp_path / "tmp").glob("*.json")) == []  # not in $TMPDIR
    assert_all_gone(family)  # the kernel notices its parent is gone

    again = start(tmp_path, quick, *report_argv(out))
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert (out / f"{STEM}.html").is_file()
    assert residue(tmp_path, out) == []  # the killed run's folder and lock are gone


def test_a_second_run_of_the_same_report_waits_for_the_first(tmp_path, quick):
    out = tmp_path / "reports"
    out.mkdir()
    with open(out / f".{STEM}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a run of the same report in progress holds it
        process = start(tmp_path, quick, *report_argv(out))
        time.sleep(8.0)
        assert process.poll() is None, "the second run waits"
        assert work_dirs(out) == [] and not (out / f"{STEM}.html").exists()
        fcntl.flock(lock, fcntl.LOCK_UN)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert (out / f"{STEM}.html").is_file()
    assert not (out / f"{STEM}.failed.ipynb").exists()


@pytest.fixture
def params_dir(tmp_path) -> Path:
    folder = tmp_path / "params"
    folder.mkdir()
    for year in (2024, 2025, 2026):
        (folder / f"y{year}.yaml").write_text(
            f"region: Kota Mojokerto\ntarget_year: {year}\n", encoding="utf-8"
        )
    return folder


def batch_argv(params_dir: Path, out: Path) -> list[str]:
    return ["batch", "--params-dir", str(params_dir), "--workers", "2", "--no-progress",
            "--output-dir", str(out)]  # fmt: skip


def test_kill_9_of_a_batch_leaves_no_worker_and_starts_no_job(
    tmp_path, sleepy, params_dir, leftovers
):
    out = tmp_path / "reports"
    process = start(tmp_path, sleepy, *batch_argv(params_dir, out))
    wait_for(lambda: kernels_running(out, 2), what="two workers' reports")
    wait_for(lambda: len(descendants(process.pid)) >= 4, what="two workers, each with a kernel")
    family = descendants(process.pid)
    leftovers.extend(family)
    process.kill()
    assert_all_gone(family)
    process.communicate(timeout=30)  # the workers held its pipes: closed once they are gone
    time.sleep(2.0)
    assert not any(d.name.startswith(".kota-mojokerto_2026.") for d in work_dirs(out))
    assert residue(tmp_path, out) == []  # the workers removed their folders and locks as they died


def test_ctrl_c_of_a_batch_says_one_line(tmp_path, sleepy, params_dir, leftovers):
    out = tmp_path / "reports"
    process = start(tmp_path, sleepy, *batch_argv(params_dir, out))
    wait_for(lambda: kernels_running(out, 2), what="two workers' reports")
    wait_for(lambda: len(descendants(process.pid)) >= 4, what="two workers, each with a kernel")
    time.sleep(1.0)
    family = descendants(process.pid)
    leftovers.extend(family)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.strip().splitlines() == ["iid-analysis batch: interrupted"], err
    assert_all_gone(family)
    assert residue(tmp_path, out) == []  # no folder, no lock, no connection file
