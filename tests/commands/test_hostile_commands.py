"""Hostile command lines and outputs (issues 8 §6, 12 §1 and §4): each case refused in one line
with exit status 2 and nothing written, or written so that it cannot do harm.

Every check here runs the command in-process (``cli.main``) or calls the one guard
(:func:`iid_analysis.outputs.check_output_path`); nothing runs a report notebook.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from iid_analysis.atomic import write_csv, write_xlsx
from iid_analysis.cli import main
from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE, RAW_DATA_DIR
from iid_analysis.errors import UsageError
from iid_analysis.outputs import (
    OutputPathError,
    check_output_dir,
    check_output_path,
    printable,
)
from iid_analysis.report.batch import Outcome, effective_workers, jobs_from_params_dir, summary
from iid_analysis.report.params import (
    ReportParams,
    canonical_region,
    load_params,
    with_canonical_region,
)
from iid_analysis.report.runner import (
    ReportCollisionError,
    describe_failure,
    remove_stale_work_dirs,
    run_report,
)
from iid_analysis.workbook_writer import escape_formula_text

FORMULAS = ['=HYPERLINK("http://x","klik")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def raw_snapshot() -> dict[str, str]:
    return {p.name: digest(p) for p in sorted(RAW_DATA_DIR.iterdir()) if p.is_file()}


def one_error_line(capsys, *needles: str) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def copies(tmp_path) -> dict[str, Path]:
    """The example's indicator files, copied (so a failed guard could only hurt the copies)."""
    data = tmp_path / "data"
    data.mkdir()
    return {
        "spd": Path(shutil.copy(EXAMPLE_SPD_FILE, data / "spd.csv")),
        "innovations": Path(shutil.copy(EXAMPLE_INNOVATIONS_FILE, data / "innovations.csv")),
    }


def plan_argv(copies, *extra: str) -> list[str]:
    return [
        "plan", "--year", "2023", "--spd", str(copies["spd"]),
        "--innovations", str(copies["innovations"]), "--target", "85", *extra,
    ]  # fmt: skip


# --- 12 §1: never write over an input or into data/raw ------------------------------------
def test_plan_output_over_its_own_input_is_refused(copies, capsys):
    before = digest(copies["spd"])
    assert main(plan_argv(copies, "--output", str(copies["spd"]))) == 2
    one_error_line(capsys, "--output", "--spd", "never replaces an input")
    assert digest(copies["spd"]) == before


def test_plan_output_into_raw_data_is_refused_even_through_a_symlink(copies, tmp_path, capsys):
    before = raw_snapshot()
    link = tmp_path / "looks-harmless"
    link.symlink_to(RAW_DATA_DIR, target_is_directory=True)
    raw_file_link = tmp_path / "plan.csv"
    raw_file_link.symlink_to(EXAMPLE_SPD_FILE)
    for output in (EXAMPLE_SPD_FILE, RAW_DATA_DIR / "new_plan.csv", link / "plan.csv",
                   raw_file_link):  # fmt: skip
        assert main(plan_argv(copies, "--output", str(output))) == 2
        one_error_line(capsys, "--output", "raw data is never written")
    assert raw_snapshot() == before
    assert not (RAW_DATA_DIR / "new_plan.csv").exists()


def test_plan_worklist_is_guarded_like_every_output(copies, tmp_path, capsys):
    before = raw_snapshot()
    assert main(plan_argv(copies, "--worklist", str(RAW_DATA_DIR / "worklist.xlsx"))) == 2
    one_error_line(capsys, "--worklist", "raw data is never written")
    # an .xlsx worklist writes a CSV beside it: that CSV may not be the SPD input either
    spd_csv = copies["spd"]
    assert main(plan_argv(copies, "--worklist", str(spd_csv.with_suffix(".xlsx")))) == 2
    one_error_line(capsys, "--worklist", "never replaces an input")
    same = tmp_path / "same.csv"
    assert main(plan_argv(copies, "--output", str(same), "--worklist", str(same))) == 2
    one_error_line(capsys, "--worklist", "also written by --output")
    assert raw_snapshot() == before and not same.exists()


def test_score_output_dir_in_raw_data_is_refused(copies, capsys):
    before = raw_snapshot()
    argv = ["score", "--year", "2023", "--spd", str(copies["spd"]), "--innovations",
            str(copies["innovations"]), "--output-dir", str(RAW_DATA_DIR)]  # fmt: skip
    assert main(argv) == 2
    one_error_line(capsys, "--output-dir", "raw data is never written")
    assert raw_snapshot() == before


def test_score_output_that_would_replace_an_input_is_refused(copies, capsys):
    # innovations.csv scored under 2023 writes innovations.2023.innovation_scores.csv: make
    # that very name the SPD input.
    spd = copies["spd"].rename(copies["spd"].with_name("innovations.2023.innovation_scores.csv"))
    before = digest(spd)
    argv = ["score", "--year", "2023", "--spd", str(spd), "--innovations",
            str(copies["innovations"]), "--output-dir", str(spd.parent)]  # fmt: skip
    assert main(argv) == 2
    one_error_line(capsys, "--spd", "never replaces an input")
    assert digest(spd) == before


# --- 8 §6: output places that cannot be written -------------------------------------------
def test_output_places_that_cannot_be_written_are_one_line_errors(copies, tmp_path, capsys):
    a_file = tmp_path / "a_file.txt"
    a_file.write_text("x", encoding="utf-8")
    stem = "innovations.2023.innovation_scores.csv"
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / stem).mkdir()  # a folder where an output file should go
    cases = {
        str(a_file / "sub"): "is a file, not a folder",
        "/proc/iid": "under /proc",
        str(tmp_path / "out"): "is a folder; give a file name",
        str(a_file): "is a file, not a folder",
    }
    for output_dir, message in cases.items():
        argv = ["score", "--year", "2023", "--spd", str(copies["spd"]), "--innovations",
                str(copies["innovations"]), "--output-dir", output_dir]  # fmt: skip
        assert main(argv) == 2, output_dir
        one_error_line(capsys, "--output-dir", message)


def test_a_folder_without_write_permission_is_refused(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    if os.geteuid() == 0:  # root writes anywhere: take the permission check's answer as given
        monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != locked)
    try:
        with pytest.raises(OutputPathError, match="not writable"):
            check_output_path(locked / "plan.csv")
        with pytest.raises(OutputPathError, match="not writable"):
            check_output_dir(locked)
    finally:
        locked.chmod(0o700)


def test_the_guard_refuses_a_fifo_and_accepts_a_new_file(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(OutputPathError, match="not a regular file"):
        check_output_path(fifo)
    assert check_output_path(tmp_path / "new" / "deeper" / "plan.csv") == (
        tmp_path / "new" / "deeper" / "plan.csv"
    )
    assert check_output_dir(tmp_path / "reports") == tmp_path / "reports"


def test_report_output_dir_is_checked_before_anything_runs(tmp_path):
    params = ReportParams(region="Kota Mojokerto", target_year=2024)
    with pytest.raises(OutputPathError, match="raw data is never written"):
        run_report(params, RAW_DATA_DIR / "reports")
    a_file = tmp_path / "a_file"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(OutputPathError, match="is a file"):
        run_report(params, a_file / "reports")
    assert not (RAW_DATA_DIR / "reports").exists()


def test_batch_output_dir_is_checked_once_before_any_job(tmp_path, capsys):
    a_file = tmp_path / "a_file"
    a_file.write_text("x", encoding="utf-8")
    params_dir = Path(__file__).resolve().parents[2] / "params"
    argv = ["batch", "--params-dir", str(params_dir), "--no-progress", "--output-dir"]
    assert main([*argv, str(a_file / "reports")]) == 2
    one_error_line(capsys, "--output-dir", "is a file, not a folder")
    assert main([*argv, str(RAW_DATA_DIR)]) == 2
    one_error_line(capsys, "--output-dir", "raw data is never written")


# --- 12 §1: reports of regions whose names give the same file name -------------------------
def test_region_names_are_matched_to_the_published_spelling():
    assert canonical_region("KOTA  MOJOKERTO!") == "Kota Mojokerto"
    assert canonical_region("kota mojokerto") == "Kota Mojokerto"
    assert canonical_region("Kota Atlantis") is None
    params = ReportParams(region="KOTA  MOJOKERTO!", target_year=2024, spd="s", innovations="i")
    assert with_canonical_region(params).region == "Kota Mojokerto"


def test_a_report_of_another_region_with_the_same_file_name_is_refused(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    page = '<html><head><meta name="iid-analysis-region" content="Kota Atlantis"></head></html>'
    (out / "kota-atlantis_2024.html").write_text(page, encoding="utf-8")
    other = ReportParams(region="KOTA  ATLANTIS!", target_year=2024, target=85.0,
                         spd=str(EXAMPLE_SPD_FILE),
                         innovations=str(EXAMPLE_INNOVATIONS_FILE))  # fmt: skip
    with pytest.raises(ReportCollisionError, match="--force"):
        run_report(other, out)  # refused before the notebook runs
    assert (out / "kota-atlantis_2024.html").read_text(encoding="utf-8") == page


# --- 12 §1, 8 §6: params files that cannot be read --------------------------------------------
def test_unreadable_params_files_are_one_line_usage_errors(tmp_path):
    bad_date = tmp_path / "bad_date.yaml"
    bad_date.write_text("region: Kota Mojokerto\ntarget_year: 2024\nas_of_date: 2023-02-30\n",
                        encoding="utf-8")  # fmt: skip
    binary = tmp_path / "binary.yml"
    binary.write_bytes(bytes(range(256)) * 4)
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("region: Kabupaten Sidoarjo é\ntarget_year: 2024\n".encode("latin-1"))
    for path, message in [(bad_date, "as_of_date must be a date"), (binary, "not UTF-8"),
                          (latin1, "not UTF-8")]:  # fmt: skip
        with pytest.raises(UsageError, match=message) as caught:
            load_params(path)
        assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_a_bad_params_file_is_one_failed_job_not_the_end_of_the_batch(tmp_path):
    (tmp_path / "a_good.yaml").write_text("region: Kota Mojokerto\ntarget_year: 2024\n",
                                          encoding="utf-8")  # fmt: skip
    (tmp_path / "b_date.yaml").write_text("region: Kota Mojokerto\ntarget_year: 2024\n"
                                          "as_of_date: 2023-02-30\n", encoding="utf-8")  # fmt: skip
    (tmp_path / "c_binary.yml").write_bytes(b"\x00\xff\xfe" * 100)
    jobs = jobs_from_params_dir(tmp_path)
    assert [j.name for j in jobs] == ["a_good.yaml", "b_date.yaml", "c_binary.yml"]
    assert jobs[0].params is not None and jobs[0].error is None
    assert jobs[1].params is None and "as_of_date must be a date" in jobs[1].error
    assert jobs[2].params is None and "not UTF-8" in jobs[2].error


# --- 12 §4: bounded work, clear words ----------------------------------------------------------
@pytest.mark.parametrize(
    ("extra", "option"),
    [
        (["--budget", "nan"], "--budget"),
        (["--budget", "-1"], "--budget"),
        (["--budget", "inf"], "--budget"),
        (["--max-new", "1000000000"], "--max-new must lie in 0..1000"),
        (["--time-budget", "0"], "--time-budget"),
        (["--time-budget", "nan"], "--time-budget"),
    ],
)
def test_plan_numbers_out_of_bounds_are_usage_errors(copies, capsys, extra, option):
    assert main(plan_argv(copies, *extra)) == 2
    one_error_line(capsys, option)


def test_a_cost_above_the_limit_names_the_limit(copies, tmp_path, capsys):
    costs = tmp_path / "costs.csv"
    costs.write_text("kind,indicator,cost\nraise_level,,1e100\nadd_innovation,,1e100\n",
                     encoding="utf-8")  # fmt: skip
    assert main(plan_argv(copies, "--costs", str(costs))) == 2
    one_error_line(capsys, "costs.csv", "row", "cost", "above the limit 1e+09")


def test_the_plan_search_stops_at_its_time_budget(copies, capsys):
    # Hundreds of sub-problems (one per number of new innovations) cannot finish in 0.05 s.
    assert main(plan_argv(copies, "--target", "98", "--max-new", "1000",
                          "--time-budget", "0.05")) == 2  # fmt: skip
    one_error_line(capsys, "--time-budget of 0.05 s")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--seed", "-1"], "--seed must lie in 0.."),
        (["--target-year", "999999"], "horizon bound of 10 years"),
        (["--n-draws", "2000000000"], "--n-draws must lie in 1..1000000"),
    ],
)
def test_forecast_parameters_are_bounded(capsys, extra, message):
    argv = ["forecast", "--region", "Kota Mojokerto", "--target-year", "2024", *extra]
    if "--target-year" in extra:
        argv = ["forecast", "--region", "Kota Mojokerto", *extra]
    assert main(argv) == 2
    one_error_line(capsys, message)


def test_batch_starts_no_more_workers_than_jobs_or_cores():
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert effective_workers(64, 2) == min(2, cores)
    assert effective_workers(64, 1000) == cores
    assert effective_workers(1, 5) == 1


def test_names_are_printed_with_control_characters_escaped():
    assert printable("Dinas\x1b[2J Kominfo") == "Dinas\\x1b[2J Kominfo"
    assert printable("a\rb\nc\u202ed") == "a\\rb\\nc\\u202ed"
    assert printable("Kota Mojokerto — ✓ é") == "Kota Mojokerto — ✓ é"
    text = summary([Outcome("evil\x1b[2J.yaml", False, "bad \x07 bell", 0.0)])
    assert "\x1b" not in text and "\x07" not in text
    assert "evil\\x1b[2J.yaml" in text and "\\x07" in text


def test_plan_prints_innovation_and_opd_names_escaped(copies, capsys):
    frame = pd.read_csv(copies["innovations"], dtype=str)
    frame["opd"] = "Dinas\x1b[2J"
    frame["innovation_id"] = [f"X\x1b]0;t\x07{i}" for i in range(len(frame))]
    frame.to_csv(copies["innovations"], index=False)
    assert main(plan_argv(copies, "--target", "90")) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b" in out


# --- 8 §6: spreadsheet formula injection -------------------------------------------------------
def test_score_outputs_hold_formula_like_names_as_text(copies, tmp_path):
    formulas = FORMULAS[:4]  # tab and CR inside a cell are the readers' business
    frame = pd.read_csv(copies["innovations"], dtype=str)
    frame.loc[: len(formulas) - 1, "name"] = formulas
    frame.loc[: len(formulas) - 1, "opd"] = list(reversed(formulas))
    frame.to_csv(copies["innovations"], index=False)
    out = tmp_path / "processed"
    argv = ["score", "--year", "2023", "--spd", str(copies["spd"]),
            "--innovations", str(copies["innovations"]), "--output-dir", str(out)]  # fmt: skip
    assert main(argv) == 0
    written = out / "innovations.2023.innovation_scores.csv"
    with written.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    text_cells = [row[c] for row in rows for c in ("name", "opd") if c in row]
    assert text_cells, rows[0].keys()
    for cell in text_cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    names = {row["name"] for row in rows}
    assert {"'" + f for f in formulas} <= names
    # numbers stay numbers
    assert all(float(row["maturity"]) >= 0 for row in rows if "maturity" in row)


def test_write_csv_keeps_numbers_and_plain_text(tmp_path):
    frame = pd.DataFrame({"name": ["=1+1", "Inovasi", "-x"], "points": [-1.5, 2.0, 3.0]})
    write_csv(tmp_path / "a.csv", frame)
    back = pd.read_csv(tmp_path / "a.csv")
    assert list(back["name"]) == ["'=1+1", "Inovasi", "'-x"]
    assert list(back["points"]) == [-1.5, 2.0, 3.0]
    write_csv(tmp_path / "b.csv", frame, as_text=False)
    assert list(pd.read_csv(tmp_path / "b.csv")["name"]) == ["=1+1", "Inovasi", "-x"]
    assert escape_formula_text(-1) == -1 and escape_formula_text("'=x") == "'=x"


def test_xlsx_cells_are_typed_as_text(tmp_path):
    frame = pd.DataFrame({"name": [*FORMULAS, "ESC\x1bhere"], "n": list(range(len(FORMULAS) + 1))})
    path = write_xlsx(tmp_path / "worklist.xlsx", {"Daftar": frame})
    sheet = openpyxl.load_workbook(path)["Daftar"]
    # the values as Excel and the package's reader (calamine) read them: a carriage return is
    # stored as Excel stores it, "_x000D_", which openpyxl leaves undecoded
    values = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Daftar").to_python()
    for row, expected in enumerate(FORMULAS, start=2):
        cell = sheet.cell(row=row, column=1)
        assert cell.data_type == "s", (expected, cell.data_type)
        assert values[row - 1][0] == expected
        assert sheet.cell(row=row, column=2).data_type == "n"
    assert sheet.cell(row=len(FORMULAS) + 2, column=1).value == "ESC\\x1bhere"


# --- 12 §3: stale temporary folders ---------------------------------------------------------
def test_stale_work_dirs_of_the_same_report_only_are_removed(tmp_path):
    params = ReportParams(region="Kota Mojokerto", target_year=2024)
    mine = tmp_path / ".kota-mojokerto_2024.abc123"
    other_language = tmp_path / ".kota-mojokerto_2024_en.def456"
    lock = tmp_path / ".kota-mojokerto_2024.lock"
    for folder in (mine, other_language):
        folder.mkdir()
        (folder / "kota-mojokerto_2024.html").write_text("<p>", encoding="utf-8")
    lock.write_text("", encoding="utf-8")
    assert remove_stale_work_dirs(params, tmp_path) == [mine]
    assert not mine.exists() and other_language.exists() and lock.exists()


# --- 12 §4: a timed-out report names its cell ---------------------------------------------------
def test_a_timeout_names_the_first_cell_that_never_finished(tmp_path):
    """What papermill leaves after ``--timeout 1``: earlier cells with an end time, the cell
    that ran too long and every later one without (none marked running, no error output)."""
    done = {"papermill": {"status": "completed", "end_time": "2024-01-01T00:00:01"}}
    pending = {"papermill": {"status": "completed", "end_time": None}}
    cells = [
        nbformat.v4.new_code_cell("region = 'x'", metadata=done, execution_count=1),
        nbformat.v4.new_code_cell("from iid_analysis import report", metadata=done,
                                  execution_count=2),  # fmt: skip
        nbformat.v4.new_code_cell("\nctx = report.build_context(params)", metadata=pending),
        nbformat.v4.new_code_cell("report.summary_section(ctx)", metadata=pending),
    ]
    path = tmp_path / "executed.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    message = describe_failure(TimeoutError("Cell execution timed out"), path, 1)
    assert message == (
        "cell 3 (ctx = report.build_context(params)) failed: ran longer than the 1 s timeout"
    )
