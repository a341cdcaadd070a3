"""A report reads each published table once per process: the CLI process (the region's published
spelling and the preflight) and the kernel (build_context, the forecast included)."""

from __future__ import annotations

import pytest

from iid_analysis.cli import main
from iid_analysis.errors import IIDError
from iid_analysis.inputs import published
from iid_analysis.report import context as report_context
from iid_analysis.report import params as report_params
from iid_analysis.report import preflight, runner
from iid_analysis.report.params import ReportParams, canonical_region

TABLES = ("load_published_scores", "load_innovation_counts", "load_national_summary")


def _count_reads(monkeypatch) -> list[str]:
    """Replace each published-table reader wherever the report may call it by one that records
    its name, and return the record."""
    reads: list[str] = []
    for name in TABLES:
        original = getattr(published, name)

        def counting(*args, _name=name, _original=original, **kwargs):
            reads.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(published, name, counting)  # a read behind the report's back
        monkeypatch.setattr(f"iid_analysis.forecasting.forecast.{name}", counting, raising=False)
        for module in (report_context, report_params, runner, preflight):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, counting)
    return reads


class _Stop(Exception):
    pass


def test_the_cli_process_reads_the_published_scores_once(monkeypatch, tmp_path):
    reads = _count_reads(monkeypatch)

    def no_notebook(*args, **kwargs):
        raise _Stop("the notebook is not run in this test")

    monkeypatch.setattr(runner, "execute", no_notebook)
    params = ReportParams.from_mapping({"region": "KOTA  mojokerto", "target_year": 2024})
    with pytest.raises(runner.ReportFailedError, match="not run in this test"):
        runner.run_report(params, tmp_path / "reports")
    # the published scores for the spelling and the preflight; the counts by the preflight
    assert sorted(reads) == ["load_innovation_counts", "load_published_scores"]


@pytest.mark.slow
def test_the_kernel_reads_each_published_table_once(monkeypatch):
    reads = _count_reads(monkeypatch)
    ctx = report_context.build_context(ReportParams.from_mapping(
        {"region": "Kota Mojokerto", "target_year": 2024, "seed": 3, "n_draws": 1000}
    ))
    assert ctx.forecast is not None  # the forecast ran, on the tables read once
    assert sorted(reads) == sorted(TABLES)


def test_a_malformed_published_file_is_one_line_exit_2(capsys, tmp_path):
    bad = tmp_path / "published.csv"
    bad.write_text("region_name,year\nKota Mojokerto,2023\n", encoding="utf-8")
    params_file = tmp_path / "params.yaml"
    params_file.write_text(
        f"region: kota mojokerto\ntarget_year: 2024\npublished_scores: {bad}\n",
        encoding="utf-8",
    )
    code = main(["report", "--params", str(params_file), "--output-dir", str(tmp_path / "out")])
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert code == 2
    assert len(lines) == 1 and bad.name in lines[0] and "region_type" in lines[0], captured.err
    assert "Traceback" not in captured.err
    assert not (tmp_path / "out").exists()
    with pytest.raises(IIDError, match="region_type"):  # the spelling no longer swallows it
        canonical_region("kota mojokerto", bad)
