"""The shipped SYNTHETIC Kota Mojokerto 2023 example scores the published 84.46, and is
reproducible from its seed; the packaged methodology is the research copied byte for byte."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from iid_analysis.atomic import write_csv
from iid_analysis.config import PROJ_ROOT
from iid_analysis.inputs.dataset import load_innovations, load_spd
from iid_analysis.scoring import decompose, score_region
from iid_analysis.synthetic import mojokerto_example

PUBLISHED_IID_2023 = 84.46
N_INNOVATIONS_2023 = 176
SCRIPT = PROJ_ROOT / "scripts" / "make_example_data.py"
# Kota Mojokerto's three kecamatan and eighteen kelurahan (typed here, not taken from the code).
KECAMATAN = {"Kranggan", "Magersari", "Prajurit Kulon"}
KELURAHAN = {
    "Kranggan", "Meri", "Miji", "Jagalan", "Sentanan", "Purwotengah", "Gunung Gedangan",
    "Kedundung", "Balongsari", "Magersari", "Gedongan", "Wates", "Blooto", "Kauman", "Mentikan",
    "Prajurit Kulon", "Pulorejo", "Surodinawan",
}  # fmt: skip
AGENCY_PREFIXES = (
    "Sekretariat ",
    "Inspektorat ",
    "Badan ",
    "Dinas ",
    "Satuan Polisi Pamong Praja",
    "RSUD ",
    "Kecamatan ",
    "Kelurahan ",
)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_api_scores_the_published_iid(methodology_2023, example_spd_path, example_innovations_path):
    spd = load_spd(example_spd_path, methodology_2023)
    innovations = load_innovations(example_innovations_path, methodology_2023)
    result = score_region(spd, innovations, methodology_2023)
    assert abs(result.iid - PUBLISHED_IID_2023) <= 0.01
    assert result.predicate == "Sangat Inovatif"
    assert result.n_innovations == N_INNOVATIONS_2023
    assert result.count_score == pytest.approx(66.88)
    # The README's decomposition of the published figure: SPD + mean maturity = 144.27.
    parts = decompose(PUBLISHED_IID_2023, N_INNOVATIONS_2023, 2023)
    assert result.spd + result.mean_maturity == pytest.approx(
        parts.spd_plus_mean_maturity, abs=0.0125
    )


def test_naive_recount_scores_the_published_iid(
    example_spd_path, example_innovations_path, weights_2023
):
    """The formula by hand over the raw CSV rows, without the package's loaders."""
    spd = sum(
        weights_2023["spd"][r["indicator"]] * int(r["level"]) for r in read_rows(example_spd_path)
    )
    rows = read_rows(example_innovations_path)
    maturity_sum = 0
    for row in rows:
        if row["status"] == "ditolak":
            continue
        maturity_sum += sum(w * int(row[n]) for n, w in weights_2023["innovation"].items())
    n = len(rows)
    total = spd + maturity_sum / max(10, n) + min(n, 200) * 0.38
    assert abs(total / 250 * 100 - PUBLISHED_IID_2023) < 0.005 + 1e-9


def test_cli_scores_the_published_iid(example_spd_path, example_innovations_path, tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "iid_analysis.cli",
            "score",
            "--year",
            "2023",
            "--spd",
            str(example_spd_path),
            "--innovations",
            str(example_innovations_path),
            "--output-dir",
            str(tmp_path),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert abs(data["iid"] - PUBLISHED_IID_2023) <= 0.01
    assert data["n_innovations"] == N_INNOVATIONS_2023
    assert data["predicate"] == "Sangat Inovatif"
    assert len(list(tmp_path.glob("*.innovation_scores.csv"))) == 1


def test_example_innovations_look_like_the_city(example_innovations_path):
    rows = read_rows(example_innovations_path)
    assert len(rows) == N_INNOVATIONS_2023
    assert len({r["innovation_id"] for r in rows}) == N_INNOVATIONS_2023
    assert {r["status"] for r in rows} <= {"diterima", "ditolak"}
    assert {r["stage"] for r in rows} <= {"inisiatif", "uji coba", "penerapan"}
    assert any(r["status"] == "ditolak" for r in rows)
    opds = {r["opd"] for r in rows}
    assert len(opds) >= 40
    assert all(opd.startswith(AGENCY_PREFIXES) for opd in opds), sorted(opds)
    assert {o.removeprefix("Kecamatan ") for o in opds if o.startswith("Kecamatan ")} == KECAMATAN
    assert {o.removeprefix("Kelurahan ") for o in opds if o.startswith("Kelurahan ")} == KELURAHAN
    assert "RSUD dr. Wahidin Sudiro Husodo" in opds


def test_example_files_are_marked_synthetic(example_spd_path, example_innovations_path):
    assert "SYNTHETIC" in example_spd_path.name
    assert "SYNTHETIC" in example_innovations_path.name


def test_script_seed_reproduces_the_shipped_files(
    methodology_2023, example_spd_path, example_innovations_path, tmp_path
):
    match = re.search(r'"--seed", type=int, default=(\d+)', SCRIPT.read_text(encoding="utf-8"))
    assert match, "scripts/make_example_data.py no longer states its default seed"
    example = mojokerto_example(methodology_2023, seed=int(match.group(1)))
    write_csv(tmp_path / "spd.csv", example.spd)
    write_csv(tmp_path / "innovations.csv", example.innovations)
    assert (tmp_path / "spd.csv").read_bytes() == example_spd_path.read_bytes()
    assert (tmp_path / "innovations.csv").read_bytes() == example_innovations_path.read_bytes()


def test_another_seed_gives_other_data_with_the_same_iid(methodology_2023):
    first = mojokerto_example(methodology_2023, seed=1)
    second = mojokerto_example(methodology_2023, seed=2)
    assert not first.innovations.equals(second.innovations)
    for example in (first, second):
        result = score_region(example.spd, example.innovations, methodology_2023)
        assert result.iid == PUBLISHED_IID_2023


def test_packaged_methodology_is_the_shared_research(
    package_methodology_dir, shared_methodology_dir
):
    if not shared_methodology_dir.is_dir():
        pytest.skip("../shared/methodology is not beside this checkout")
    shared = {p.name: p.read_bytes() for p in shared_methodology_dir.iterdir() if p.is_file()}
    packaged = {p.name: p.read_bytes() for p in package_methodology_dir.iterdir() if p.is_file()}
    assert set(packaged) == set(shared)
    for name, data in shared.items():
        assert packaged[name] == data, name


def test_added_rules_have_their_own_source_and_restate_no_research_rule(tmp_path):
    import csv

    from iid_analysis.config import ADDED_RULES_FILE, METHODOLOGY_DIR

    with ADDED_RULES_FILE.open(encoding="utf-8") as handle:
        added = list(csv.DictReader(handle))
    with (METHODOLOGY_DIR / "rules.csv").open(encoding="utf-8") as handle:
        research = {(r["year"], r["rule"]) for r in csv.DictReader(handle)}
    assert added, "rules_added.csv holds the project's rule variants"
    for row in added:
        assert (row["year"], row["rule"]) not in research
        assert row["provenance"] in {"CONFIRMED", "SECONDARY", "INFERRED", "PROVISIONAL", "ASSUMED"}
        assert row["source"].strip()


def test_an_added_rule_restating_the_research_is_refused(tmp_path, monkeypatch):
    import iid_analysis.methodology as methodology_module
    from iid_analysis.errors import MethodologyError

    restating = tmp_path / "rules_added.csv"
    restating.write_text(
        "year,rule,value,provenance,source\n2023,divisor_floor,12,ASSUMED,a test\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(methodology_module, "ADDED_RULES_FILE", restating)
    methodology_module._load_cached.cache_clear()
    try:
        with pytest.raises(MethodologyError, match="rules_added.csv, row 2: rule 'divisor_floor'"):
            methodology_module.load_methodology(2023)
    finally:
        methodology_module._load_cached.cache_clear()
