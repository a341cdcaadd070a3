"""The report notebook run as users run it: papermill, a real Jupyter kernel, nbconvert.

One report per language is shared by several assertions (module fixture); the failure path,
determinism, kernel independence and hostile parameters each run the notebook once more.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from iid_analysis.cli import main
from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE, PUBLISHED_SCORES_FILE
from iid_analysis.report import ReportParams
from iid_analysis.report.i18n import text
from iid_analysis.report.runner import REPORT_NOTEBOOK, ReportFailedError, run_report

pytestmark = pytest.mark.slow

EPOCH = "1709078400"  # 2024-02-28 00:00:00 UTC
N_DRAWS = 400
HOSTILE_REGION = "<script>alert(1)</script> \"O'Brien\" \\ & {x}"
HOSTILE_OPD = "<img src=x onerror=alert(2)> 'Dinas' \"Kominfo\""


def params(**changes) -> ReportParams:
    values = {"region": "Kota Mojokerto", "target_year": 2024, "n_draws": N_DRAWS} | changes
    return ReportParams(**values)


def outputs_json(notebook_path: Path) -> dict[str, dict]:
    """The facts each section recorded (application/json outputs), by section key."""
    notebook = nbformat.read(notebook_path, as_version=4)
    facts = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "application/json" in data and "text/html" in data:
                key = re.search(r'<section class="iid-section" id="([^"]+)"', data["text/html"])
                facts[key.group(1)] = data["application/json"]
    return facts


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        run_report(params(), out)
        run_report(params(lang="en"), out)
    return out


def test_outputs_are_named_by_region_and_year(report_dir):
    names = sorted(p.name for p in report_dir.iterdir())
    assert names == [
        "kota-mojokerto_2024.html",
        "kota-mojokerto_2024.ipynb",
        "kota-mojokerto_2024_en.html",
        "kota-mojokerto_2024_en.ipynb",
    ]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_section_is_there_in_the_language(report_dir, lang):
    name = "kota-mojokerto_2024" + ("" if lang == "id" else "_en")
    page = (report_dir / f"{name}.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page
    for key in ("s1", "s2", "s3", "s4", "s5", "s6", "s7", "glossary_title", "s9"):
        assert text(key, lang) in page
    assert text("synthetic_banner", lang) in page
    assert ("84,46" if lang == "id" else "84.46") in page
    assert 'class="iid-verdict"' in page


def test_the_indonesian_report_quotes_no_source_in_english(report_dir):
    """Every rule source on the example's pages has its Indonesian (data/rule_sources.csv):
    nothing is quoted as written in English (marked lang="en")."""
    page = (report_dir / "kota-mojokerto_2024.html").read_text(encoding="utf-8")
    assert 'lang="en"' not in page
    assert "pengganti dari 2023" in page  # the 2024 rules' source, translated


@pytest.mark.parametrize("name", ["kota-mojokerto_2024", "kota-mojokerto_2024_en"])
def test_html_is_self_contained_without_code(report_dir, name):
    page = (report_dir / f"{name}.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    fetched = r"""(?:src|href)\s*=\s*["']?(?:https?:)?//[^"']*\.(?:js|css|woff2?)"""
    assert not re.search(fetched, page)
    assert not re.search(r"""<(?:img|link|iframe)[^>]+(?:src|href)=["']?https?:""", page)
    assert "mathjax" not in page.lower() and "require.js" not in page.lower()
    assert "report.summary_section" not in page and "build_context" not in page
    assert "jp-InputArea" not in page
    assert page.count("data:image/png;base64,") >= 2
    assert len(page.encode("utf-8")) < 1_500_000


def test_recorded_facts_match_the_published_figures(report_dir):
    facts = outputs_json(report_dir / "kota-mojokerto_2024.ipynb")
    assert facts["position"]["iid"] == 84.46
    assert facts["history"]["series"] == [[2021, 62.3], [2022, 77.73], [2023, 84.46]]
    assert facts["history"]["conflicts"] == [[2022, 70.0]]
    assert facts["summary"]["target"] == 84.46
    assert facts["about"]["run_time"] == "2024-02-28T00:00:00+00:00"


def test_one_parameters_cell_and_no_function_in_the_notebook():
    notebook = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    names = re.findall(r"^(\w+)\s*=", tagged[0].source, flags=re.M)
    assert set(names) == set(ReportParams.__dataclass_fields__)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not re.search(r"^\s*(def|class|lambda)\b", cell.source, flags=re.M)


def test_injected_parameters_are_recorded(report_dir):
    notebook = nbformat.read(report_dir / "kota-mojokerto_2024_en.ipynb", as_version=4)
    injected = [c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and 'lang = "en"' in injected[0].source
    assert [c.id for c in notebook.cells] == [f"cell-{i}" for i in range(len(notebook.cells))]


def test_same_inputs_give_the_same_html_bytes_whatever_the_notebook_kernel(
    report_dir, tmp_path, monkeypatch
):
    # The notebook names a kernel that does not exist: the runner uses its own Python's.
    notebook = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    notebook.metadata["kernelspec"] = {"name": "no-such-kernel", "display_name": "x",
                                       "language": "python"}
    path = tmp_path / "copy.ipynb"
    nbformat.write(notebook, path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "kota-mojokerto_2024.failed.ipynb").write_text("{}", encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    again = run_report(params(), out, notebook=path)
    assert not (out / "kota-mojokerto_2024.failed.ipynb").exists()  # a success clears it
    first = (report_dir / "kota-mojokerto_2024.html").read_text(encoding="utf-8")
    second = again.html.read_text(encoding="utf-8")
    # Another commit landing between the two runs changes only the recorded git revision.
    revisions = {outputs_json(report_dir / "kota-mojokerto_2024.ipynb")["about"]["git"],
                 outputs_json(again.notebook)["about"]["git"]}
    for revision in revisions:
        first, second = first.replace(revision, "REV"), second.replace(revision, "REV")
    assert first == second


def test_failure_keeps_the_previous_report(report_dir, tmp_path, capsys):
    out = tmp_path / "out"
    shutil.copytree(report_dir, out)
    before = (out / "kota-mojokerto_2024.html").read_bytes()
    broken = tmp_path / "innovations.csv"
    frame = pd.read_csv(EXAMPLE_INNOVATIONS_FILE, dtype=str)
    frame.loc[3, "20"] = "7"  # a level outside 0..3
    frame.to_csv(broken, index=False)
    with pytest.raises(ReportFailedError) as caught:
        run_report(params(innovations=str(broken), spd=None), out)
    message = str(caught.value)
    assert "\n" not in message
    assert re.search(r"cell \d+ \(ctx = report\.build_context\(params\)\) failed: ", message)
    assert "InvalidLevelError: innovations.csv, row 5, column '20'" in message
    assert (out / "kota-mojokerto_2024.html").read_bytes() == before
    failed = nbformat.read(out / "kota-mojokerto_2024.failed.ipynb", as_version=4)
    assert any(o.get("output_type") == "error" for c in failed.cells for o in c.get("outputs", []))
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary left

    # The same through the command line: exit 2, one line on stderr.
    code = main(["report", "--region", "Kota Mojokerto", "--target-year", "2024",
                 "--output-dir", str(out), "--n-draws", "200", "--params", str(_params_file(
                     tmp_path, innovations=str(broken)))])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith("iid-analysis report: error: report ")


def _params_file(folder: Path, **values) -> Path:
    path = folder / "p.yaml"
    path.write_text(json.dumps({"region": "Kota Mojokerto", "target_year": 2024} | values),
                    encoding="utf-8")
    return path


def test_a_cell_that_runs_too_long_fails_with_the_timeout(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("region = None", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import time\ntime.sleep(30)"),
    ])
    path = tmp_path / "slow.ipynb"
    nbformat.write(notebook, path)
    with pytest.raises(ReportFailedError, match=r"cell \d+ \(import time\) failed: ran longer "
                                                r"than the 2 s timeout"):
        run_report(params(), tmp_path / "out", notebook=path, timeout=2)
    assert (tmp_path / "out" / "kota-mojokerto_2024.failed.ipynb").is_file()


def test_hostile_names_are_data_not_code(tmp_path):
    innovations = pd.read_csv(EXAMPLE_INNOVATIONS_FILE, dtype=str)
    innovations.loc[:29, "opd"] = HOSTILE_OPD  # the largest OPD, so it is in the OPD table
    innovations.to_csv(tmp_path / "innovations.csv", index=False)
    scores = pd.read_csv(PUBLISHED_SCORES_FILE, dtype=str, keep_default_na=False)
    rows = scores[scores["region_name"] == "Kota Mojokerto"].assign(region_name=HOSTILE_REGION)
    pd.concat([scores, rows]).to_csv(tmp_path / "published.csv", index=False)
    hostile = params(
        region=HOSTILE_REGION, published_scores=str(tmp_path / "published.csv"),
        spd=str(EXAMPLE_SPD_FILE), innovations=str(tmp_path / "innovations.csv"),
    )
    result = run_report(hostile, tmp_path / "out")
    facts = outputs_json(result.notebook)
    assert facts["title"]["region"] == HOSTILE_REGION  # passed through exactly, as data
    assert facts["summary"]["target"] == 84.46
    page = result.html.read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert result.html.name == "script-alert-1-script-o-brien-x_2024.html"


def test_a_conversion_failure_keeps_the_executed_notebook(tmp_path, monkeypatch):
    import iid_analysis.report.runner as runner

    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("region = None", metadata={"tags": ["parameters"]}),
    ])
    path = tmp_path / "tiny.ipynb"
    nbformat.write(notebook, path)

    def broken(*args, **kwargs):
        raise ValueError("template exploded\nsecond line")

    monkeypatch.setattr(runner, "notebook_to_html", broken)
    with pytest.raises(ReportFailedError, match=r"conversion to HTML failed: ValueError: "
                                                r"template exploded \(executed notebook kept"):
        run_report(params(), tmp_path / "out", notebook=path)
    assert (tmp_path / "out" / "kota-mojokerto_2024.failed.ipynb").is_file()
    assert not (tmp_path / "out" / "kota-mojokerto_2024.html").exists()
