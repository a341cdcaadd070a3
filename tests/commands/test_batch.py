"""Batch runs: a folder of params files or a list of regions, failures counted, not fatal."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from iid_analysis.cli import main
from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE
from iid_analysis.errors import UsageError
from iid_analysis.report import ReportParams
from iid_analysis.report.batch import (
    Job,
    Outcome,
    check_unique_outputs,
    jobs_from_params_dir,
    jobs_from_regions_file,
    summary,
)

PARAMS_DIR = Path(__file__).resolve().parents[2] / "params"


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_regions_file_skips_comments_and_keeps_bad_rows_as_failures(tmp_path):
    regions = write(tmp_path / "regions.txt", "# cities\nKota Mojokerto\n\n  Kota Lain  \n")
    jobs = jobs_from_regions_file(regions, 2024, lang="en", seed=None)
    assert [j.name for j in jobs] == ["Kota Mojokerto", "Kota Lain"]
    assert jobs[0].params == ReportParams(region="Kota Mojokerto", target_year=2024, lang="en")
    assert jobs[1].params is None and "no indicator data" in jobs[1].error


def test_empty_or_missing_inputs_are_usage_errors(tmp_path):
    with pytest.raises(UsageError):
        jobs_from_regions_file(write(tmp_path / "r.txt", "# nothing\n"), 2024)
    with pytest.raises(UsageError):
        jobs_from_params_dir(tmp_path / "missing")
    with pytest.raises(UsageError):
        jobs_from_params_dir(tmp_path)  # no yaml in it


def test_two_jobs_writing_the_same_file_fail_the_second():
    same = ReportParams(region="Kota Mojokerto", target_year=2024)
    jobs = check_unique_outputs([Job("a.yaml", same), Job("b.yaml", same)])
    assert jobs[0].params is same
    assert jobs[1].params is None and "a.yaml" in jobs[1].error


def test_summary_lists_each_failure():
    text = summary([Outcome("a", True, "a.html", 1.0), Outcome("b", False, "boom", 0.5)])
    assert text.splitlines() == ["1 report(s) succeeded, 1 failed", "FAILED b: boom"]


@pytest.mark.slow
def test_batch_continues_past_failures(tmp_path, capsys):
    folder = tmp_path / "params"
    folder.mkdir()
    broken = tmp_path / "innovations.csv"
    frame = pd.read_csv(EXAMPLE_INNOVATIONS_FILE, dtype=str)
    frame.loc[0, "status"] = "lost"
    frame.to_csv(broken, index=False)
    write(folder / "a_good.yaml", "region: Kota Mojokerto\ntarget_year: 2024\n")
    write(folder / "b_good_en.yaml", "region: Kota Mojokerto\ntarget_year: 2024\nlang: en\n")
    write(folder / "c_unknown_key.yaml", "region: Kota Mojokerto\ntarget_year: 2024\ncolour: 1\n")
    write(folder / "d_broken_data.yaml",
          f"region: Kota Mojokerto\ntarget_year: 2025\nindicator_year: 2023\n"
          f"innovations: {broken}\n")
    # unreadable params files (issue 12 §1): one failed job each, not the end of the batch
    write(folder / "e_impossible_date.yaml",
          "region: Kota Mojokerto\ntarget_year: 2026\nas_of_date: 2023-02-30\n")
    (folder / "f_binary.yml").write_bytes(bytes(range(256)))
    out = tmp_path / "reports"
    code = main(["batch", "--params-dir", str(folder), "--workers", "2", "--no-progress",
                 "--output-dir", str(out), "--n-draws", "200"])
    err = capsys.readouterr().err
    assert code == 1
    assert "2 report(s) succeeded, 4 failed" in err
    assert "FAILED e_impossible_date.yaml: " in err and "as_of_date must be a date" in err
    assert "FAILED f_binary.yml: " in err and "not UTF-8" in err
    assert "FAILED c_unknown_key.yaml: " in err and "colour" in err
    assert "FAILED d_broken_data.yaml: report kota-mojokerto_2025: cell " in err
    assert (out / "kota-mojokerto_2024.html").is_file()
    assert (out / "kota-mojokerto_2024_en.html").is_file()
    assert (out / "kota-mojokerto_2025.failed.ipynb").is_file()
    assert not (out / "kota-mojokerto_2025.html").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--target-year", "2024"],
        ["report", "--region", "Kota Mojokerto", "--target-year", "2024", "--timeout", "0"],
        ["report", "--region", "Kota Lain", "--target-year", "2024"],
        ["batch", "--regions", "missing.txt"],
        ["batch", "--params-dir", str(PARAMS_DIR), "--workers", "0"],
    ],
)
def test_bad_command_lines_fail_in_one_line(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and ": error: " in err[0]
