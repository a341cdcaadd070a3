"""Hostile and careless runs, round two: each case run as a user runs it (``cli.main``), the
promise asserted (one line, exit 2, no traceback, no hang, nothing written or replaced), and
the repository's sweep (scripts/sweep.py) run over every option of every subcommand."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from pathlib import Path

import pytest

from iid_analysis import cli
from iid_analysis.cli import main
from iid_analysis.commands.init import init_project
from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE, RAW_DATA_DIR
from iid_analysis.errors import MethodologyError, UsageError
from iid_analysis.inputs.dataset import load_innovations
from iid_analysis.methodology import known_years, load_methodology
from iid_analysis.report.params import ReportParams, canonical_region, load_params
from iid_analysis.scoring import score_innovations

ROOT = Path(__file__).resolve().parents[2]


def load_sweep():
    spec = importlib.util.spec_from_file_location("sweep", ROOT / "scripts" / "sweep.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("sweep", module)
    spec.loader.exec_module(module)
    return module


sweep = load_sweep()


def run(argv: list[str], timeout: float = 60.0) -> tuple[int | None, str]:
    """Exit status (None: still running after ``timeout`` s) and stderr of ``cli.main``."""
    return sweep.run_in_process(tuple(argv), timeout)


def one_line(status: int | None, err: str, command: str, *needles: str) -> str:
    assert status == 2, (status, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith(f"iid-analysis {command}: error: "), lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def tree(root: Path) -> dict[str, str]:
    return sweep.snapshot(root)


@pytest.fixture
def fifo(tmp_path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    return path


# --- the sweep -----------------------------------------------------------------------------
def test_every_path_option_has_a_role_and_every_command_a_base_line(tmp_path):
    things = sweep.make_workspace(tmp_path / "ws")
    cases, problems = sweep.build_cases(tmp_path / "ws", tmp_path / "out", things)
    assert problems == []
    swept = {(c.command, c.option) for c in cases}
    # the options the first sweeps found hanging or failing are among those swept
    for command, option in [("template", "--opds"), ("collect", "--opds"),
                            ("batch", "--regions"), ("score", "--innovations"),
                            ("init", "DIRECTORY"), ("report", "--timeout")]:  # fmt: skip
        assert (command, option) in swept, (command, option)


def test_the_fast_sweep_holds_every_promise(tmp_path):
    outcomes, problems = sweep.sweep(fast=True, timeout=30.0, workdir=tmp_path)
    assert problems == []
    assert len(outcomes) > 100
    broken = [f"{o.case.label}: {'; '.join(o.broken)}" for o in outcomes if o.broken]
    assert broken == []


def test_the_sweep_catches_a_broken_promise(tmp_path):
    """The checks themselves: a run that writes a file and prints two lines is reported."""
    case = sweep.Case("score", "--year", "demo", ("score",))
    before = {"a": "1"}
    broken = sweep.check(case, 0, "line one\nTraceback\n", before, {"a": "2"})
    assert len(broken) == 4  # exit 0, a traceback, two lines, a changed file
    assert sweep.check(case, None, "", before, before)[0] == "did not end (hang)"


# --- usage errors are one line -------------------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "needle"),
    [(["score", "--year", "abc"], "--year"),
     (["report", "--timeout", "x"], "--timeout"),
     (["plan", "--year", "2023", "--target", "9o"], "--target"),
     (["batch", "--workers", "two", "--regions", "r"], "--workers"),
     (["forecast", "--region", "X", "--target-year", "2025", "--prefer", "mine"], "--prefer")],
)  # fmt: skip
def test_argparse_errors_are_one_line_pointing_at_help(argv, needle):
    line = one_line(*run(argv), argv[0], needle)
    assert line.endswith(f"(see iid-analysis {argv[0]} --help)")


# --- every file option goes through the same input check -----------------------------------
@pytest.mark.parametrize(
    "argv",
    [["template", "--year", "2023", "--opds", "{fifo}", "--output", "{tmp}/t.xlsx"],
     ["collect", "{tmp}", "--year", "2023", "--opds", "{fifo}", "--output-dir", "{tmp}/out"],
     ["batch", "--regions", "{fifo}", "--target-year", "2024", "--output-dir", "{tmp}/out"]],
)  # fmt: skip
def test_a_fifo_as_an_input_file_is_refused_without_blocking(argv, fifo, tmp_path):
    argv = [a.format(fifo=fifo, tmp=tmp_path) for a in argv]
    before = tree(tmp_path)
    one_line(*run(argv, timeout=20), argv[0], str(fifo), "FIFO")
    assert tree(tmp_path) == before


def test_a_symlink_loop_as_innovations_is_one_line(tmp_path):
    os.symlink(tmp_path / "b", tmp_path / "a")
    os.symlink(tmp_path / "a", tmp_path / "b")
    argv = ["score", "--year", "2023", "--spd", str(EXAMPLE_SPD_FILE), "--innovations",
            str(tmp_path / "a"), "--output-dir", str(tmp_path / "out")]  # fmt: skip
    one_line(*run(argv), "score", str(tmp_path / "a"), "symbolic links")
    assert not (tmp_path / "out").exists()


def test_a_regions_file_of_random_bytes_is_one_line(tmp_path):
    regions = tmp_path / "regions.txt"
    regions.write_bytes(b"Kota Mojokerto\n" + hashlib.sha512(b"x").digest() * 8)
    argv = ["batch", "--regions", str(regions), "--target-year", "2024", "--output-dir",
            str(tmp_path / "out")]  # fmt: skip
    one_line(*run(argv), "batch", str(regions), "line 2", "not UTF-8")
    assert not (tmp_path / "out").exists()


# --- init ----------------------------------------------------------------------------------
@pytest.mark.parametrize("relative", [True, False])
def test_init_never_writes_under_raw_data(relative, monkeypatch):
    before = tree(RAW_DATA_DIR)
    target = RAW_DATA_DIR / "proj"
    if relative:
        monkeypatch.chdir(RAW_DATA_DIR.parent.parent)
        target = Path("data/raw/proj")
    one_line(*run(["init", str(target)]), "init", "raw data is never written")
    assert tree(RAW_DATA_DIR) == before


def test_init_writes_the_jupytext_pairs_and_a_params_file_per_year_with_rules(tmp_path):
    result = init_project(tmp_path / "city")
    written = set(result.written)
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        assert f"notebooks/{notebook.name}" in written
        assert f"notebooks/{notebook.stem}.py" in written  # its jupytext pair
    target_years = set()
    for params in (tmp_path / "city" / "params").glob("*.yaml"):
        loaded = load_params(params)
        target_years.add(loaded.target_year)
        for name in ("spd", "innovations"):
            assert loaded.path(name).is_file(), (params, name)  # the copies, found from there
    last_published = 2023  # data/raw/iid_published_scores.csv
    years_with_rules = {year for year in known_years() if year > last_published
                        and _can_score(year)}  # fmt: skip
    assert years_with_rules == {2024, 2025, 2026, 2027}
    assert years_with_rules <= target_years


def _can_score(year: int) -> bool:
    try:
        load_methodology(year).require_scoring()
    except MethodologyError:
        return False
    return True


# --- one region matcher --------------------------------------------------------------------
def test_forecast_matches_a_region_name_as_report_does(capsys):
    assert canonical_region("KOTA  MOJOKERTO!") == "Kota Mojokerto"
    assert main(["forecast", "--region", "KOTA  MOJOKERTO!", "--target-year", "2025",
                 "--json"]) == 0  # fmt: skip
    assert '"region": "Kota Mojokerto"' in capsys.readouterr().out
    status, err = run(["forecast", "--region", "Kota Atlantis", "--target-year", "2025"])
    one_line(status, err, "forecast", "Kota Atlantis")


# --- template --output over an existing file -----------------------------------------------
def test_template_never_replaces_an_existing_file_without_force(tmp_path):
    existing = tmp_path / "laporan.xlsx"
    existing.write_bytes(b"somebody's workbook")
    argv = ["template", "--year", "2023", "--output", str(existing)]
    one_line(*run(argv), "template", "exists", "--force")
    assert existing.read_bytes() == b"somebody's workbook"
    assert run([*argv, "--force"])[0] == 0
    assert existing.read_bytes()[:2] == b"PK"  # now the template workbook
    assert sorted(p.name for p in tmp_path.iterdir()) == ["laporan.xlsx"]


# --- params values name the params file ----------------------------------------------------
@pytest.mark.parametrize(
    "line",
    ["target: 150", "seed: -1", "n_draws: 5", "lang: xx", "as_of_date: nope",
     "indicator_year: 1900", "maturity_goal: 0", "issuing_unit: [1]", "target: yes"],
)
def test_a_bad_params_value_names_the_params_file(tmp_path, line):
    path = tmp_path / "city.yaml"
    path.write_text(f"region: Kota Mojokerto\ntarget_year: 2024\n{line}\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        load_params(path)
    assert str(caught.value).startswith(f"{path}: "), caught.value
    one_line(*run(["report", "--params", str(path), "--output-dir", str(tmp_path / "o")]),
             "report", str(path), line.split(":")[0])  # fmt: skip
    assert not (tmp_path / "o").exists()


def test_a_bad_option_with_a_params_file_names_both(tmp_path):
    path = tmp_path / "city.yaml"
    path.write_text("region: Kota Mojokerto\ntarget_year: 2024\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"city\.yaml with the options n_draws: n_draws"):
        load_params(path, n_draws=5)


# --- maturity grain: innovations that are not the ones of the published IID ----------------
@pytest.fixture
def foreign_maturities(tmp_path) -> Path:
    """The example's innovations, every one at maturity 5: far less mature than those behind
    the published 2023 IID of 84.46, so the SPD it implies would exceed the maximum."""
    rules = load_methodology(2023)
    scores = score_innovations(load_innovations(EXAMPLE_INNOVATIONS_FILE, rules), rules)
    scores["maturity"] = 5.0
    path = tmp_path / "maturities.csv"
    scores[["innovation_id", "name", "opd", "stage", "status", "maturity"]].to_csv(
        path, index=False
    )
    return path


def test_innovations_that_cannot_give_the_published_iid_are_named_with_the_cause(
    foreign_maturities, tmp_path
):
    rules = load_methodology(2023)
    # by hand: SID = 0.38 * 176 innovations (count, capped at 38) ... the SPD implied is the
    # published total less the SID; it must exceed max_spd here, as the message says
    status, err = run(["import", str(foreign_maturities), "--year", "2023",
                       "--published-iid", "84.46"])  # fmt: skip
    line = one_line(status, err, "import", str(foreign_maturities), "--spd",
                    f"outside 0..{rules.max_spd:g}")  # fmt: skip
    assert "not the innovations" in line
    from iid_analysis.report import build_context

    params = ReportParams(region="Kota Mojokerto", target_year=2024,
                          innovations=str(foreign_maturities), n_draws=200)  # fmt: skip
    with pytest.raises(UsageError, match="not the innovations that IID was scored on") as caught:
        build_context(params)
    assert str(foreign_maturities) in str(caught.value)


# --- every path option of the parser is classified -----------------------------------------
def test_every_path_option_of_every_command_has_a_role():
    parser = cli.build_parser()
    for command, sub in sweep.subcommands(parser).items():
        for action in sub._actions:
            if action.type is Path:
                assert cli.path_role(command, action.dest) is not None, (command, action.dest)


@pytest.mark.parametrize("command", ["score", "import"])
@pytest.mark.parametrize("year", ["-1", "99999"])
def test_a_data_year_out_of_bounds_is_refused_before_anything_is_written(command, year, tmp_path):
    """Found by the full sweep: --data-year -1 scored and wrote its files."""
    files = (["--spd", str(EXAMPLE_SPD_FILE), "--innovations", str(EXAMPLE_INNOVATIONS_FILE),
              "--output-dir", str(tmp_path / "o")] if command == "score"
             else [str(EXAMPLE_INNOVATIONS_FILE), "--output", str(tmp_path / "o" / "m.csv")])
    status, err = run([command, *files, "--year", "2023", f"--data-year={year}"])
    one_line(status, err, command, "--data-year must lie in 2000..2100")
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    "argv",
    [["forecast", "--region", "Kota Mojokerto", "--target-year", "2025"],
     ["plan", "--year", "2023", "--spd", str(EXAMPLE_SPD_FILE), "--innovations",
      str(EXAMPLE_INNOVATIONS_FILE), "--target", "90"],
     ["report", "--region", "Kota Mojokerto", "--target-year", "2024"]],
)  # fmt: skip
@pytest.mark.parametrize("seed", ["-1", str(2**32), "1010101010101010"])
def test_every_seed_has_the_same_bound(argv, seed):
    one_line(*run([*argv, "--seed", seed]), argv[0], "--seed must lie in 0..4294967295")


def test_a_failed_report_may_keep_its_notebook_and_nothing_else(tmp_path):
    case = sweep.Case("report", "--spd", "random-bytes", ("report",))
    out = tmp_path / "out" / "reports"
    after = {str(out): "folder", str(out / "x_2024.failed.ipynb"): "abc"}
    assert sweep.check(case, 2, "iid-analysis report: error: x\n", {}, after) == []
    after[str(out / "x_2024.html")] = "def"
    assert "changed files" in sweep.check(case, 2, "iid-analysis report: error: x\n", {}, after)[0]


@pytest.mark.parametrize("year", ["-1", "99999"])
def test_plan_entry_year_out_of_bounds_is_one_line(year):
    """Found by the full sweep: --entry-year -1 ended in a ValueError traceback."""
    argv = ["plan", "--year", "2023", "--spd", str(EXAMPLE_SPD_FILE), "--innovations",
            str(EXAMPLE_INNOVATIONS_FILE), "--target", "90", f"--entry-year={year}"]  # fmt: skip
    one_line(*run(argv), "plan", "--entry-year must lie in 2000..2100")


@pytest.mark.parametrize(
    "argv",
    [["template", "--year", "2023", "--output", "{tmp}/t.xlsx"],
     ["forecast", "--target-year", "2025"],
     ["plan", "--year", "2023", "--spd", str(EXAMPLE_SPD_FILE), "--innovations",
      str(EXAMPLE_INNOVATIONS_FILE), "--target", "90"],
     ["report", "--target-year", "2024", "--output-dir", "{tmp}/r"]],
)  # fmt: skip
@pytest.mark.parametrize(
    ("region", "needle"),
    [("Kota " + "x" * 20_000, "at most 200"), ("Kota\x1b[31m Merah\u202e", "control")],
)
def test_every_region_option_has_the_same_rules(argv, region, needle, tmp_path):
    argv = [a.format(tmp=tmp_path) for a in argv]
    line = one_line(*run([*argv, "--region", region]), argv[0], "--region", needle)
    assert "\x1b" not in line and "\u202e" not in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("extra", "needle"),
    [(["--as-of-date", "nope"], "as_of_date must be a date"),
     (["--target-year", "-1"], "target_year"),
     (["--timeout", "-1"], "at least 1 second")],
)
def test_a_bad_batch_option_is_one_usage_error_not_a_failed_job_each(extra, needle, tmp_path):
    regions = tmp_path / "regions.txt"
    regions.write_text("Kota Mojokerto\n", encoding="utf-8")
    argv = ["batch", "--regions", str(regions), "--target-year", "2024", "--no-progress",
            "--output-dir", str(tmp_path / "out"), *extra]  # fmt: skip
    one_line(*run(argv), "batch", needle)
    assert not (tmp_path / "out").exists()
