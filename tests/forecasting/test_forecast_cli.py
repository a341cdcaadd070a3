"""``iid-analysis forecast``: the JSON contract, the text output and one-line errors."""

from __future__ import annotations

import json

import pytest

from iid_analysis.cli import main

BASE = ["forecast", "--region", "Kota Mojokerto", "--target-year", "2024", "--n-draws", "2000"]
KEYS = [
    "region",
    "target_year",
    "as_of",
    "median",
    "mean",
    "quantiles",
    "prob_predicate",
    "models",
    "backtest",
    "notes",
]


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_json_has_exactly_the_contract_keys(capsys):
    data = _json(capsys, [*BASE, "--json"])
    assert sorted(data) == sorted(KEYS)
    assert (data["region"], data["target_year"], data["as_of"]) == ("Kota Mojokerto", 2024, 2023)
    assert list(data["quantiles"]) == ["0.05", "0.10", "0.25", "0.50", "0.75", "0.90", "0.95"]
    values = list(data["quantiles"].values())
    assert values == sorted(values) and 0 <= values[0] and values[-1] <= 100
    assert data["median"] == data["quantiles"]["0.50"]
    assert sum(data["prob_predicate"].values()) == pytest.approx(1.0)
    assert {m["name"] for m in data["models"]} == {"trend_logit", "pooled_shock"}
    assert set(data["backtest"]) == {"rolling_origin", "leave_region_out"}
    assert set(data["backtest"]["rolling_origin"]) >= {"ensemble", "pooled", "trend_logit"}
    assert data["backtest"]["rolling_origin"]["trend_logit"]["n_forecasts"] == 0
    assert any("Only 3 published" in note for note in data["notes"])
    assert any("Conflicting data" in note for note in data["notes"])


def test_target_adds_its_probability(capsys):
    data = _json(capsys, [*BASE, "--json", "--target", "84.46"])
    assert sorted(data) == sorted([*KEYS, "prob_at_least_target"])
    assert 0.0 <= data["prob_at_least_target"] <= 1.0
    assert any("P(IID 2024 >= 84.46)" in note for note in data["notes"])


def test_seed_makes_the_output_reproducible(capsys):
    first = _json(capsys, [*BASE, "--json", "--seed", "5"])
    second = _json(capsys, [*BASE, "--json", "--seed", "5"])
    assert first == second


def test_as_of_uses_only_earlier_data(capsys):
    data = _json(
        capsys,
        ["forecast", "--region", "Kota Mojokerto", "--target-year", "2023", "--as-of", "2022",
         "--n-draws", "1000", "--json"],
    )  # fmt: skip
    assert data["as_of"] == 2022
    assert [m["name"] for m in data["models"] if "refused" not in m] == ["pooled_shock"]
    assert any("(2021: 62.3, 2022: 77.73)" in note for note in data["notes"])
    # A backtest as of 2022 has no past forecast it can check.
    assert all(
        row["n_forecasts"] == 0 for rows in data["backtest"].values() for row in rows.values()
    )


def test_text_output_states_bands_and_backtest(capsys):
    assert main([*BASE, "--target", "84.46"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "P(IID >= 84.46) = " in x)
    assert line.rstrip().endswith(("likely", "as likely as not", "almost certain"))
    assert "backtest (ensemble" in out
    assert "Sangat Inovatif" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--region", "Kota Atlantis", "--target-year", "2024"], "not in the published data"),
        (["--region", "Kota Mojokerto", "--target-year", "2023"], "must be after the as-of"),
        (
            ["--region", "Kota Mojokerto", "--target-year", "2023", "--as-of", "2023"],
            "must be after the as-of",
        ),
        (["--region", "Kota Mojokerto", "--target-year", "2024", "--target", "101"], "0..100"),
        (["--region", "Kota Mojokerto", "--target-year", "2024", "--target", "-5"], "0..100"),
        (["--region", "Provinsi Bali", "--target-year", "2024"], "no published 0..100"),
    ],
)
def test_bad_input_is_a_one_line_error_with_exit_2(capsys, argv, message):
    assert main(["forecast", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert lines[0].startswith("iid-analysis forecast: error:")


def test_the_published_tables_are_read_once(capsys, monkeypatch):
    from iid_analysis.commands import forecast as command
    from iid_analysis.inputs import published

    reads = []
    for name in ("load_published_scores", "load_innovation_counts", "load_national_summary"):
        original = getattr(published, name)

        def counting(*args, _name=name, _original=original, **kwargs):
            reads.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(command, name, counting)
        monkeypatch.setattr(published, name, counting)  # a read behind the command's back
        monkeypatch.setattr(f"iid_analysis.forecasting.forecast.{name}", counting)
    data = _json(capsys, [*BASE, "--json", "--region", "kota mojokerto"])
    assert data["region"] == "Kota Mojokerto"
    assert sorted(reads) == [
        "load_innovation_counts", "load_national_summary", "load_published_scores",
    ]  # fmt: skip
