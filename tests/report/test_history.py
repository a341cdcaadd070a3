"""A region that is not in the published data: its own history from a file, or none at all."""

from __future__ import annotations

import json

import pytest
from conftest import report_problems

from iid_analysis.cli import main
from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE
from iid_analysis.errors import DuplicateKeyError, InvalidValueError, MissingColumnError, UsageError
from iid_analysis.inputs.history import load_history
from iid_analysis.report import ReportParams, build_context
from iid_analysis.report import sections as S
from iid_analysis.report.i18n import text
from iid_analysis.report.preflight import check_before_run

REGION = "Kota Contoh"  # not in the published data


def _history(tmp_path, body: str):
    path = tmp_path / "history.csv"
    path.write_text(body, encoding="utf-8")
    return path


def _params(**changes) -> ReportParams:
    values = dict(region=REGION, target_year=2024, spd=str(EXAMPLE_SPD_FILE),
                  innovations=str(EXAMPLE_INNOVATIONS_FILE), n_draws=200)
    return ReportParams(**(values | changes))


def test_history_file_is_read_as_written(tmp_path):
    path = _history(tmp_path, "\ufeffYear,IID,Source\n2023,66.05,https://a.example\n"
                              '2021,"55,10",Kepmendagri 2021\n')
    rows = load_history(path, REGION)
    assert list(rows["year"]) == [2021, 2023]  # sorted by year
    assert list(rows["iid_score"]) == [55.10, 66.05]  # "55,10" is 55.10
    assert list(rows["source_url"]) == ["Kepmendagri 2021", "https://a.example"]
    assert set(rows["region_name"]) == {REGION}


@pytest.mark.parametrize(
    ("body", "error", "where"),
    [
        ("year,iid\n2023,66\n", MissingColumnError, "source"),
        ("year,iid,source\n2022,61,a\n2023,abc,b\n", InvalidValueError, "row 3"),
        ("year,iid,source\n2023,101,a\n", InvalidValueError, "0..100"),
        ("year,iid,source\n2023,66,\n", InvalidValueError, "source"),
        ("year,iid,source\n2023,66,a\n2023,67,b\n", DuplicateKeyError, "rows 2, 3"),
    ],
)
def test_a_bad_history_file_names_row_and_column(tmp_path, body, error, where):
    with pytest.raises(error) as caught:
        load_history(_history(tmp_path, body), REGION)
    message = str(caught.value)
    assert "history.csv" in message and where in message and "\n" not in message


def test_without_history_or_target_the_report_stops_before_the_notebook():
    with pytest.raises(UsageError, match="--target.*--history"):
        check_before_run(_params())
    check_before_run(_params(target=70.0))  # a target is enough


def test_the_command_says_what_is_missing_in_one_line(tmp_path, capsys):
    code = main(["report", "--region", REGION, "--target-year", "2024",
                 "--spd", str(EXAMPLE_SPD_FILE), "--innovations", str(EXAMPLE_INNOVATIONS_FILE),
                 "--output-dir", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "--history" in err
    assert not (tmp_path / "out").exists()  # nothing ran


def test_own_history_gives_the_trend_and_the_default_target(tmp_path):
    path = _history(tmp_path, "year,iid,source\n2021,55.10,a\n2022,61.20,b\n2023,66.05,c\n")
    check_before_run(_params(history=str(path)))
    ctx = build_context(_params(history=str(path)))
    assert list(ctx.series["iid"]) == [55.10, 61.20, 66.05]
    assert ctx.target == 66.05 and ctx.threshold == 66.06  # "higher than last year"
    assert ctx.forecast is not None


def test_no_history_no_trend_and_no_nan(tmp_path):
    ctx = build_context(_params(target=70.0))
    assert ctx.forecast is None
    pages = []
    for build in S.ALL_SECTIONS:
        section = build(ctx)
        json.dumps(section._repr_json_(), allow_nan=False)  # raises on NaN
        pages.append(str(section.to_html()))
    page = "".join(pages)
    assert report_problems(page) == []
    assert text("no_history_note", "id", what="")[:30] in page


def test_the_report_scan_finds_what_a_reader_must_not_see():
    png = "data:image/png;base64,AnaNBbnan+/="
    assert report_problems(f'<img src="{png}"><p>84,46</p>') == []
    found = report_problems("<p>peluang nan</p><pre>UserWarning: Message serialization</pre>")
    assert [f.split(":")[0] for f in found] == ["a Python warning", '"nan"']


@pytest.mark.slow
def test_a_report_without_history_runs_end_to_end_and_says_so(tmp_path):
    from iid_analysis.report.runner import run_report

    result = run_report(_params(target=70.0), tmp_path / "out")
    page = result.html.read_text(encoding="utf-8")
    assert report_problems(page) == []  # no warning, traceback or nan (also checked by conftest)
    assert "Tanpa riwayat IID tidak ada tren" in page
