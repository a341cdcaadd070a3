"""Every researcher notebook runs top to bottom with a real kernel (as JupyterLab would), stays
thin (no function defined in it), has its jupytext pair and is committed without outputs."""

from __future__ import annotations

import re

import jupytext
import nbformat
import papermill
import pytest

from iid_analysis.config import NOTEBOOKS_DIR
from iid_analysis.report.runner import ensure_kernel

# Per notebook: the parameters for a quick run and a text its outputs must contain.
EXPLORATION = {
    "scoring_explorer.ipynb": ({"year": 2023}, "84.46"),
    "forecast_backtest.ipynb": ({"n_draws": 500}, "too few to judge calibration"),
    "scenario_lab.ipynb": ({"target": 86.0, "n_draws": 200}, "reach 200 innovations"),
}
REPORT = "iid_target_feasibility.ipynb"
ALL_NOTEBOOKS = sorted(p.name for p in NOTEBOOKS_DIR.glob("*.ipynb"))


def test_every_notebook_is_known_here():
    assert set(ALL_NOTEBOOKS) == set(EXPLORATION) | {REPORT}


@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_notebook_is_thin_paired_and_clean(name):
    path = NOTEBOOKS_DIR / name
    notebook = nbformat.read(path, as_version=4)
    pair = path.with_suffix(".py")
    assert pair.is_file(), f"{name} has no jupytext .py pair"
    paired = jupytext.read(pair)
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    assert code == [c.source for c in paired.cells if c.cell_type == "code"], "pair out of sync"
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for source in code:
        assert not re.search(r"^\s*(def|class)\s|lambda\b", source, flags=re.M)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPLORATION))
def test_exploration_notebook_runs(name, tmp_path):
    parameters, expected = EXPLORATION[name]
    executed = tmp_path / name
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / name), str(executed), parameters=parameters,
        kernel_name=ensure_kernel(), language="python", progress_bar=False,
        execution_timeout=300, cwd=str(tmp_path),
    )
    notebook = nbformat.read(executed, as_version=4)
    shown = "\n".join(
        str(output.get("data", {}).get("text/plain", "")) + str(output.get("text", ""))
        for cell in notebook.cells for output in cell.get("outputs", [])
    )
    assert expected in shown
    assert not any(
        o.get("output_type") == "error" for c in notebook.cells for o in c.get("outputs", [])
    )
