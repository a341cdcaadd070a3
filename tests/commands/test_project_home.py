"""Where the package finds its project home and the shipped files (config), and ``init``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iid_analysis import config
from iid_analysis.cli import main
from iid_analysis.commands.init import init_project
from iid_analysis.errors import UsageError

CONFIG_SOURCE = Path(config.__file__)


def resolve(package_dir: Path, cwd: Path, home: str | None = None) -> dict:
    """config.py run from ``package_dir`` (a copy; it imports nothing of the package) in ``cwd``."""
    package_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CONFIG_SOURCE, package_dir / "config.py")
    env = {k: v for k, v in os.environ.items() if k != config.HOME_ENV}
    if home is not None:
        env[config.HOME_ENV] = home
    code = (
        "import json, os, runpy, sys\n"
        "g = runpy.run_path(sys.argv[1])\n"
        "print(json.dumps({'root': str(g['PROJ_ROOT']), 'checkout': str(g['CHECKOUT_DIR']),\n"
        "    'published': str(g['PUBLISHED_SCORES_FILE']), 'env': os.environ.get(g['HOME_ENV'])}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(package_dir / "config.py")],
        cwd=cwd, env=env, capture_output=True, text=True, check=True,
    )
    return json.loads(done.stdout)


def test_a_checkout_is_its_own_home(tmp_path):
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    found = resolve(tmp_path / "repo" / "src" / "iid_analysis", cwd=tmp_path)
    assert found["root"] == str((tmp_path / "repo").resolve())
    assert found["checkout"] == found["root"]
    assert found["env"] is None


def test_an_installed_package_works_in_the_current_folder(tmp_path):
    package = tmp_path / "venv" / "lib" / "site-packages" / "iid_analysis"
    bundled = package / "bundled" / "data" / "raw"
    bundled.mkdir(parents=True)
    (bundled / "iid_published_scores.csv").write_text("x\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    found = resolve(package, cwd=work)
    assert found["root"] == str(work.resolve())
    assert found["checkout"] == "None"
    # Nothing in the folder: the published figures come from the wheel's copy ...
    assert found["published"] == str(bundled.resolve() / "iid_published_scores.csv")
    # ... and the report kernel, started in a scratch folder, inherits the same home.
    assert found["env"] == str(work.resolve())
    # A file of the folder's own wins over the shipped copy.
    (work / "data" / "raw").mkdir(parents=True)
    (work / "data" / "raw" / "iid_published_scores.csv").write_text("y\n", encoding="utf-8")
    assert resolve(package, cwd=work)["published"] == str(
        work.resolve() / "data" / "raw" / "iid_published_scores.csv"
    )


def test_the_environment_variable_wins(tmp_path):
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    home = tmp_path / "home"
    found = resolve(tmp_path / "repo" / "src" / "iid_analysis", cwd=tmp_path, home=str(home))
    assert found["root"] == str(home.resolve())
    # Neither the home nor this bare checkout has the file: the path names the home, so an error
    # about it names the home.
    assert found["published"] == str(home.resolve() / "data" / "raw" / "iid_published_scores.csv")


def test_every_project_file_is_in_the_checkout():
    assert config.CHECKOUT_DIR is not None, "the tests run from the checkout"
    for name in config.PROJECT_FILES:
        assert (config.CHECKOUT_DIR / name).is_file(), name
        assert config.shipped_file(name) == config.CHECKOUT_DIR / name
    assert config.REPORT_NOTEBOOK == config.CHECKOUT_DIR / "notebooks/iid_target_feasibility.ipynb"


def test_init_writes_a_project_folder_and_keeps_what_is_there(tmp_path):
    target = tmp_path / "city"
    (target / "data" / "raw").mkdir(parents=True)
    own = target / "data" / "raw" / "iid_published_scores.csv"
    own.write_text("region,year\n", encoding="utf-8")

    result = init_project(target)

    assert set(result.kept) == {"data/raw/iid_published_scores.csv"}
    assert set(result.written) == set(config.PROJECT_FILES) - set(result.kept)
    assert own.read_text(encoding="utf-8") == "region,year\n"  # raw data is never overwritten
    for name in config.PROJECT_DIRS:
        assert (target / name).is_dir(), name
    for name in result.written:
        assert (target / name).read_bytes() == config.shipped_file(name).read_bytes(), name
    # The example params point at the copies (paths relative to the params file).
    params = (target / "params" / "kota-mojokerto_2024.yaml").read_text(encoding="utf-8")
    assert "../data/raw/kota_mojokerto_2023_spd_SYNTHETIC.csv" in params


def test_init_on_a_file_is_a_one_line_error(tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("", encoding="utf-8")
    with pytest.raises(UsageError, match="not a folder"):
        init_project(afile)
    assert main(["init", str(afile)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "iid-analysis init: error:" in err


def test_init_cli_says_what_it_did(tmp_path, capsys):
    assert main(["init", str(tmp_path / "p")]) == 0
    out = capsys.readouterr().out
    assert f"wrote {len(config.PROJECT_FILES)} file(s)" in out
