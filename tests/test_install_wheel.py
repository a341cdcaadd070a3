"""Installed outside a checkout: build the sdist and from it the wheel, install the wheel into a
fresh venv, and run ``init``, ``score``, ``forecast`` and ``report`` in folders outside the
checkout with ``IID_ANALYSIS_HOME`` unset.

The venv borrows the already installed dependencies through a ``.pth`` line naming this
Python's site-packages (added after the venv's own, so the wheel's ``iid_analysis`` wins over
the editable one; ``.pth`` files in a directory named that way are not processed, so the
editable install's finder stays out). Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from iid_analysis.config import CHECKOUT_DIR, HOME_ENV, PROJECT_FILES

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

# What a source distribution is made from (MANIFEST.in adds the project files to it).
SOURCE_ITEMS = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE", "src")


def run(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{args} failed ({done.returncode}):\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built the way ``python -m build`` does: sdist first, wheel from the sdist."""
    base = tmp_path_factory.mktemp("build")
    tree = base / "tree"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "bundled")
    for name in SOURCE_ITEMS:
        source = CHECKOUT_DIR / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=ignore)
        else:
            tree.mkdir(exist_ok=True)
            shutil.copyfile(source, tree / name)
    for name in PROJECT_FILES:
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CHECKOUT_DIR / name, tree / name)
    sdist_dir = base / "sdist"
    run([sys.executable, "-c",
         f"from setuptools import build_meta; build_meta.build_sdist({str(sdist_dir)!r})"],
        cwd=tree)  # fmt: skip
    (sdist,) = sdist_dir.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(base / "unpacked", filter="data")
    (unpacked,) = (base / "unpacked").iterdir()
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "-w", str(base / "dist"), "."], cwd=unpacked)  # fmt: skip
    (built,) = (base / "dist").glob("*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed (no dependencies; they come through a .pth)."""
    root = tmp_path_factory.mktemp("venv") / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(root)], cwd=root.parent)
    python = root / "bin" / "python"
    purelib = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                        "['purelib'])"], cwd=root).stdout.strip())  # fmt: skip
    (purelib / "_iid_test_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", "--no-index", str(wheel)], cwd=root)  # fmt: skip
    return root


@pytest.fixture(scope="module")
def env() -> dict[str, str]:
    """The environment of a user outside the checkout: no home override, no PYTHONPATH."""
    clean = {k: v for k, v in os.environ.items() if k not in (HOME_ENV, "PYTHONPATH")}
    clean["SOURCE_DATE_EPOCH"] = "1700000000"
    # The borrowed dependencies' data files (nbconvert's HTML templates) are under this Python's
    # prefix, not the new venv's; a real install has them in its own prefix.
    clean["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    return clean


def cli(venv: Path, args: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return run([str(venv / "bin" / "iid-analysis"), *args], cwd=cwd, env=env)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_wheel_carries_the_project_files_byte_for_byte(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for name in PROJECT_FILES:
            inside = f"iid_analysis/bundled/{name}"
            assert inside in names, name
            assert archive.read(inside) == (CHECKOUT_DIR / name).read_bytes(), name
        assert "iid_analysis/data/methodology/rules.csv" in names


def test_the_venv_imports_the_wheel_not_the_checkout(venv, env, tmp_path):
    found = run([str(venv / "bin" / "python"), "-c",
                 "import iid_analysis, iid_analysis.config as c; "
                 "print(iid_analysis.__file__); print(c.CHECKOUT_DIR)"], cwd=tmp_path, env=env)
    module, checkout = found.stdout.split()
    assert Path(module).is_relative_to(venv)
    assert checkout == "None"


def test_forecast_and_report_in_an_empty_folder(venv, env, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    forecast = cli(venv, ["forecast", "--region", "Kota Mojokerto", "--target-year", "2024",
                          "--seed", "0", "--json"], empty, env)  # fmt: skip
    from_wheel = json.loads(forecast.stdout)
    # The same command from the checkout reads the checkout's published figures: the wheel's
    # copies must give the same forecast.
    checkout = run([sys.executable, "-m", "iid_analysis.cli", "forecast", "--region",
                    "Kota Mojokerto", "--target-year", "2024", "--seed", "0", "--json"],
                   cwd=CHECKOUT_DIR)  # fmt: skip
    assert from_wheel == json.loads(checkout.stdout)

    cli(venv, ["report", "--region", "Kota Mojokerto", "--target-year", "2024",
               "--n-draws", "400"], empty, env)  # fmt: skip
    html = empty / "reports" / "kota-mojokerto_2024.html"
    assert html.is_file() and (empty / "reports" / "kota-mojokerto_2024.ipynb").is_file()
    page = html.read_text(encoding="utf-8")
    assert "Kota Mojokerto" in page and "SINTETIS" in page
    # The about section hashes the files it read: the shipped published figures and example.
    for name in ("iid_published_scores.csv", "kota_mojokerto_2023_spd_SYNTHETIC.csv"):
        assert sha256(CHECKOUT_DIR / "data" / "raw" / name) in page, name
    # Outputs stay in the folder; nothing else is written there.
    assert sorted(p.name for p in empty.iterdir()) == ["reports"]


def test_init_then_score_in_the_project_folder(venv, env, tmp_path):
    cli(venv, ["init", "city"], tmp_path, env)
    city = tmp_path / "city"
    for name in PROJECT_FILES:
        assert (city / name).read_bytes() == (CHECKOUT_DIR / name).read_bytes(), name
    scored = cli(venv, ["score", "--year", "2023",
                        "--spd", "data/raw/kota_mojokerto_2023_spd_SYNTHETIC.csv",
                        "--innovations", "data/raw/kota_mojokerto_2023_innovations_SYNTHETIC.csv",
                        "--json"], city, env)  # fmt: skip
    result = json.loads(scored.stdout)
    # The example is calibrated to the published 2023 IID of Kota Mojokerto.
    assert (result["iid"], result["predicate"], result["n_innovations"]) == (
        84.46, "Sangat Inovatif", 176
    )
    written = sorted(p.name for p in (city / "data" / "processed").iterdir())
    assert written == [  # the stem names the year already: not repeated
        "kota_mojokerto_2023_innovations_SYNTHETIC.indicator_scores.csv",
        "kota_mojokerto_2023_innovations_SYNTHETIC.innovation_scores.csv",
    ]


# Quick parameters per shipped notebook (what a user might pass to papermill).
NOTEBOOK_RUNS = {
    "scoring_explorer.ipynb": ("published_iid: null\n", "nothing to decompose"),
    "forecast_backtest.ipynb": ("n_draws: 300\n", "calibration"),
    "scenario_lab.ipynb": ("target: 86.0\nn_draws: 200\n", "innovations"),
    "iid_target_feasibility.ipynb": ("n_draws: 300\n", "Kota Mojokerto"),
}
@pytest.fixture(scope="module")
def project(venv, env, tmp_path_factory) -> Path:
    """``init city`` in the installed venv: the project folder (and the kernel it registers)."""
    base = tmp_path_factory.mktemp("project")
    done = cli(venv, ["init", "city"], base, env)
    kernel = venv / "share" / "jupyter" / "kernels" / "iid-analysis" / "kernel.json"
    # registered by the first init in this venv (here, or an earlier test's), said when done
    assert kernel.is_file()
    assert "registered the Jupyter kernel" not in done.stdout or str(kernel) in done.stdout
    assert json.loads(kernel.read_text(encoding="utf-8"))["argv"][0] == str(venv / "bin" / "python")
    return base / "city"


def test_every_shipped_notebook_is_run_below():
    assert {p.name for p in (CHECKOUT_DIR / "notebooks").glob("*.ipynb")} == set(NOTEBOOK_RUNS)


@pytest.mark.parametrize("name", sorted(NOTEBOOK_RUNS))
def test_a_shipped_notebook_runs_under_plain_papermill_in_an_init_project(
    name, project, venv, env, tmp_path
):
    parameters, expected = NOTEBOOK_RUNS[name]
    (tmp_path / "p.yaml").write_text(parameters, encoding="utf-8")
    executed = tmp_path / name
    # The venv's own Jupyter folder first: its kernel, not the checkout's of the same name.
    user = env | {"JUPYTER_PATH": f"{venv / 'share' / 'jupyter'}{os.pathsep}{env['JUPYTER_PATH']}"}
    run([str(venv / "bin" / "python"), "-m", "papermill", "--no-progress-bar",
         f"notebooks/{name}", str(executed), "-f", str(tmp_path / "p.yaml")],
        cwd=project, env=user)  # fmt: skip
    outputs = json.loads(executed.read_text(encoding="utf-8"))
    assert outputs["metadata"]["kernelspec"]["name"] == "iid-analysis"
    assert expected in executed.read_text(encoding="utf-8"), name
