"""``iid-analysis score`` run as users run it: a subprocess, its exit code, stdout and stderr.

Good input: the first worked example of the methodology README (SPD 40, eight innovations of
maturity 80 under the 2023 rules: IID 42.82, Inovatif). Bad input: exit 2, one line on stderr,
no traceback, nothing written, the input files unchanged.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from iid_analysis import cli
from iid_analysis.atomic import atomic_path, write_text
from iid_analysis.commands import _indicator_data as indicator_data
from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import RegionScore

RULE_FIELDS = [f.name for f in dataclasses.fields(RegionScore)]
NUMBERS = [str(n) for n in range(16, 36)]
SPD_NUMBERS = "1 2a 2b 3 4 5a 5b 6 7 8 9 10a 10b 11a 11b 12 13a 13b 14 15".split()
HEADER = ["innovation_id", "name", "opd", "stage", "status", *NUMBERS]
INNOVATION_SCORES = "inovasi.2023.innovation_scores.csv"
INDICATOR_SCORES = "inovasi.2023.indicator_scores.csv"


def worked_example_rows() -> tuple[list[list[str]], list[list[str]]]:
    """SPD at level 2 but 12 at 1 (40 points); 8 innovations at 2 but 16 and 31 at 3 (80)."""
    spd = [["indicator", "level"]] + [[n, "1" if n == "12" else "2"] for n in SPD_NUMBERS]
    levels = ["3" if n in ("16", "31") else "2" for n in NUMBERS]
    innovations = [list(HEADER)] + [
        [f"MJK-{i:03d}", f"Inovasi {i}", "Dinas Perhubungan", "penerapan", "diterima", *levels]
        for i in range(1, 9)
    ]
    return spd, innovations


def write_csv_rows(path: Path, rows: list[list[str]], sep: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=sep, lineterminator="\n").writerows(rows)
    return path


@pytest.fixture
def inputs(tmp_path) -> dict[str, Path]:
    spd, innovations = worked_example_rows()
    raw = tmp_path / "raw"
    raw.mkdir()
    return {
        "spd": write_csv_rows(raw / "spd.csv", spd),
        "innovations": write_csv_rows(raw / "inovasi.csv", innovations, ";"),
        "out": tmp_path / "out",
    }


def run_cli(*args: object, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "iid_analysis.cli", "score", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def score_args(spd: Path, innovations: Path, out: Path, year: int = 2023, *extra) -> list:
    return [
        "--year",
        year,
        "--spd",
        spd,
        "--innovations",
        innovations,
        "--output-dir",
        out,
        *extra,
    ]


def hashes(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


# --- good input -------------------------------------------------------------------------------
def test_json_has_exactly_the_region_score_fields_and_what_was_read(inputs, tmp_path):
    before = hashes(tmp_path / "raw")
    done = run_cli(
        *score_args(inputs["spd"], inputs["innovations"], inputs["out"]), "--json", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert list(data) == [*RULE_FIELDS, "eligibility", "input", "outputs"]
    assert data["eligibility"]["applies"] is False  # no eligibility rule for 2023
    assert data["input"]["format"] == "iid_analysis_levels"
    assert data["input"]["grain"] == "level"
    read = {s["role"]: s["sha256"] for s in data["input"]["sources"]}
    assert read["spd"] == hashlib.sha256(Path(inputs["spd"]).read_bytes()).hexdigest()
    assert [Path(p).parent for p in data["outputs"]] == [Path(inputs["out"])] * 2
    assert data["year"] == 2023
    assert data["spd"] == pytest.approx(40.0)
    assert data["maturity_sum"] == pytest.approx(640.0)
    assert data["n_innovations"] == 8
    assert data["divisor"] == 10
    assert data["mean_maturity"] == pytest.approx(64.0)
    assert data["count_score"] == pytest.approx(3.04)
    assert data["total"] == pytest.approx(107.04)
    assert data["iid"] == 42.82
    assert data["predicate"] == "Inovatif"
    assert {"count_points_per_innovation", "count_cap", "max_total"} <= set(
        data["provisional_rules"]
    )
    assert hashes(tmp_path / "raw") == before  # the raw files are only read


def test_outputs_are_written_with_the_scores(inputs, tmp_path):
    done = run_cli(*score_args(inputs["spd"], inputs["innovations"], inputs["out"]), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "IID 2023: 42.82 (Inovatif)" in done.stdout
    assert "not CONFIRMED:" in done.stdout
    assert sorted(p.name for p in inputs["out"].iterdir()) == sorted(
        [INNOVATION_SCORES, INDICATOR_SCORES]
    )
    per_innovation = pd.read_csv(inputs["out"] / INNOVATION_SCORES)
    assert len(per_innovation) == 8
    assert (per_innovation["maturity"] == 80).all()
    assert (per_innovation["points_16"] == 9).all()
    per_indicator = pd.read_csv(inputs["out"] / INDICATOR_SCORES, dtype={"indicator": str})
    assert len(per_indicator) == 40
    spd_rows = per_indicator[per_indicator["aspect"] == "SPD"]
    assert spd_rows["points"].sum() == pytest.approx(40.0)
    innovation_rows = per_indicator[per_indicator["aspect"] == "INOVASI"].set_index("indicator")
    assert innovation_rows["points"].sum() == pytest.approx(80.0)  # mean points per innovation
    assert innovation_rows.loc["35", "points"] == pytest.approx(8.0)


def test_long_form_with_profiles(inputs, tmp_path):
    _, innovations = worked_example_rows()
    levels = [["innovation_id", "indicator", "level"]]
    profiles = [HEADER[:5]]
    for row in innovations[1:]:
        profiles.append(row[:5])
        levels.extend([row[0], n, v] for n, v in zip(NUMBERS, row[5:], strict=True))
    long_path = write_csv_rows(tmp_path / "raw" / "long.csv", levels)
    profile_path = write_csv_rows(tmp_path / "raw" / "profil.csv", profiles, ";")
    args = score_args(inputs["spd"], long_path, inputs["out"], 2023, "--profiles", profile_path)
    done = run_cli(*args, "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["iid"] == 42.82


# --- bad input --------------------------------------------------------------------------------
def edit_innovations(row: int, column: str, value: str):
    def build(raw: Path, inputs: dict) -> list:
        _, rows = worked_example_rows()
        rows[row][HEADER.index(column)] = value
        path = write_csv_rows(raw / "bad.csv", rows, ";")
        return score_args(inputs["spd"], path, inputs["out"])

    return build


def bad_spd(text: str, name: str = "bad_spd.csv"):
    def build(raw: Path, inputs: dict) -> list:
        (raw / name).write_text(text, encoding="utf-8")
        return score_args(raw / name, inputs["innovations"], inputs["out"])

    return build


def bad_innovations_bytes(data: bytes, name: str):
    def build(raw: Path, inputs: dict) -> list:
        (raw / name).write_bytes(data)
        return score_args(inputs["spd"], raw / name, inputs["out"])

    return build


def drop_opd(raw: Path, inputs: dict) -> list:
    _, rows = worked_example_rows()
    path = write_csv_rows(raw / "bad.csv", [r[:2] + r[3:] for r in rows])
    return score_args(inputs["spd"], path, inputs["out"])


def duplicate_id(raw: Path, inputs: dict) -> list:
    _, rows = worked_example_rows()
    rows[5][0] = rows[2][0]
    path = write_csv_rows(raw / "bad.csv", rows)
    return score_args(inputs["spd"], path, inputs["out"])


def xlsx_with_bad_level(raw: Path, inputs: dict) -> list:
    _, rows = worked_example_rows()
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append([int(c) if c.isdigit() else c for c in row])
    workbook.active.cell(row=4, column=HEADER.index("20") + 1, value=2.5)
    workbook.save(raw / "bad.xlsx")
    return score_args(inputs["spd"], raw / "bad.xlsx", inputs["out"])


def long_without_profiles(raw: Path, inputs: dict) -> list:
    path = write_csv_rows(
        raw / "long.csv", [["innovation_id", "indicator", "level"], ["A", "16", "1"]]
    )
    return score_args(inputs["spd"], path, inputs["out"])


def year(value: int):
    def build(raw: Path, inputs: dict) -> list:
        return score_args(inputs["spd"], inputs["innovations"], inputs["out"], value)

    return build


def missing_file(raw: Path, inputs: dict) -> list:
    return score_args(inputs["spd"], raw / "tidak_ada.csv", inputs["out"])


BAD = {
    "missing-column": (drop_opd, "missing required column"),
    "unknown-indicator": (bad_spd("indicator,level\n1,3\n99,2\n"), "unknown indicator"),
    "level-outside-0-3": (edit_innovations(3, "22", "4"), "row 4, column '22'"),
    "level-not-whole": (edit_innovations(2, "17", "2,5"), "row 3, column '17'"),
    "xlsx-level-not-whole": (xlsx_with_bad_level, "row 4, column '20'"),
    "duplicate-id": (duplicate_id, "rows 3, 6, column 'innovation_id'"),
    "empty-file": (bad_innovations_bytes(b"", "kosong.csv"), "empty file"),
    "header-only": (bad_spd("indicator,level\n"), "empty file"),
    "excel-renamed-csv": (bad_innovations_bytes(b"PK\x03\x04" + bytes(60), "x.csv"), "unreadable"),
    "wrong-format": (bad_innovations_bytes(b"{}", "x.json"), "unreadable"),
    "missing-file": (missing_file, "not found"),
    "unknown-status": (edit_innovations(2, "status", "lolos"), "unknown status"),
    "unknown-stage": (edit_innovations(8, "stage", "rencana"), "unknown stage"),
    "long-without-profiles": (long_without_profiles, "--profiles"),
    "year-without-rules": (year(2019), "no IID rules are known for 2019"),
    "year-with-bands-only": (year(2021), "divisor_floor"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_input_exits_2_with_one_line_and_writes_nothing(case, inputs, tmp_path):
    build, expected = BAD[case]
    args = build(tmp_path / "raw", inputs)
    before = hashes(tmp_path / "raw")
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("iid-analysis score: error: ")
    assert expected in lines[0]
    assert done.stdout == ""
    assert not inputs["out"].exists()
    assert hashes(tmp_path / "raw") == before


def test_foreign_indicator_exits_2(inputs, tmp_path, monkeypatch, capsys, package_methodology_dir):
    """Run in-process: the CLI has no option for another methodology directory."""
    directory = tmp_path / "methodology"
    shutil.copytree(package_methodology_dir, directory)
    table = directory / "indicators_2026.csv"
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with table.open("a", encoding="utf-8", newline="") as handle:
        extra = [dict(r, number="36") for r in rows if r["number"] == "35"]
        csv.DictWriter(handle, fieldnames=list(rows[0])).writerows(extra)
    monkeypatch.setattr(
        indicator_data, "load_methodology", lambda year: load_methodology(year, directory)
    )
    _, innovations = worked_example_rows()
    innovations[0].append("36")
    for row in innovations[1:]:
        row.append("1")
    path = write_csv_rows(tmp_path / "raw" / "asing.csv", innovations)
    before = hashes(tmp_path / "raw")
    code = cli.main(["score", *map(str, score_args(inputs["spd"], path, inputs["out"]))])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "indicator belongs to another year's table" in err and "column '36'" in err
    assert not inputs["out"].exists()
    assert hashes(tmp_path / "raw") == before


def test_bad_parameters_exit_2(inputs, tmp_path):
    done = run_cli("--year", "dua ribu", "--spd", inputs["spd"], cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


# --- atomic output ----------------------------------------------------------------------------
def test_interrupted_write_keeps_the_previous_output(inputs, tmp_path, monkeypatch, capsys):
    argv = ["score", *map(str, score_args(inputs["spd"], inputs["innovations"], inputs["out"]))]
    assert cli.main(argv) == 0
    capsys.readouterr()
    previous = hashes(inputs["out"])
    assert set(previous) == {INNOVATION_SCORES, INDICATOR_SCORES}

    # New data, so a completed write would change the files.
    _, rows = worked_example_rows()
    for row in rows[1:]:
        row[5:] = ["1"] * 20
    write_csv_rows(inputs["innovations"], rows, ";")

    original_to_csv = pd.DataFrame.to_csv

    def fail_half_way(self, path, *args, **kwargs):
        text = original_to_csv(self, None, *args, **kwargs)
        Path(path).write_text(text[: len(text) // 2], encoding="utf-8")
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(pd.DataFrame, "to_csv", fail_half_way)
    with pytest.raises(OSError, match="simulated"):
        cli.main(argv)
    assert hashes(inputs["out"]) == previous
    assert sorted(p.name for p in inputs["out"].iterdir()) == sorted(previous)


def test_completed_rewrite_replaces_the_output(inputs, tmp_path, capsys):
    argv = ["score", *map(str, score_args(inputs["spd"], inputs["innovations"], inputs["out"]))]
    assert cli.main(argv) == 0
    _, rows = worked_example_rows()
    for row in rows[1:]:
        row[5:] = ["1"] * 20
    write_csv_rows(inputs["innovations"], rows, ";")
    assert cli.main(argv) == 0
    per_innovation = pd.read_csv(inputs["out"] / INNOVATION_SCORES)
    assert (per_innovation["maturity"] == 37).all()
    assert sorted(p.name for p in inputs["out"].iterdir()) == sorted(
        [INNOVATION_SCORES, INDICATOR_SCORES]
    )


def test_outputs_get_the_usual_file_mode(inputs, capsys):
    argv = ["score", *map(str, score_args(inputs["spd"], inputs["innovations"], inputs["out"]))]
    assert cli.main(argv) == 0
    mask = os.umask(0)
    os.umask(mask)
    for path in inputs["out"].iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask, path.name


def test_atomic_write_failing_in_the_middle_leaves_nothing(tmp_path):
    target = write_text(tmp_path / "hasil.txt", "lama\n")
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("baru, setengah", encoding="utf-8")
        raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "lama\n"
    assert [p.name for p in tmp_path.iterdir()] == ["hasil.txt"]


def test_output_dir_that_is_a_file_exits_2(inputs, tmp_path):
    target = tmp_path / "bukan_folder.csv"
    target.write_text("isi lama\n", encoding="utf-8")
    done = run_cli(*score_args(inputs["spd"], inputs["innovations"], target), cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "--output-dir" in done.stderr
    assert target.read_text(encoding="utf-8") == "isi lama\n"
