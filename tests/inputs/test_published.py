"""Published IID data: loading with sources, 0..100 series, conflicts, peer panel."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from iid_analysis.config import PUBLISHED_SCORES_FILE
from iid_analysis.errors import (
    IIDDataError,
    InvalidValueError,
    MissingColumnError,
    UnreadableFileError,
    UsageError,
)
from iid_analysis.inputs.published import (
    conflicts,
    latest_year,
    load_innovation_counts,
    load_national_summary,
    load_published_scores,
    not_reported,
    peer_panel,
    region_innovation_counts,
    region_series,
)


def _raw_rows():
    with PUBLISHED_SCORES_FILE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_mojokerto_series_prefers_the_decree_figure():
    series = region_series("Kota Mojokerto")
    assert series.years == (2021, 2022, 2023)
    assert series.values == (62.3, 77.73, 84.46)
    assert "indonewsdaily" in series.sources[1]  # the page citing the decree
    (alternative,) = series.alternatives
    assert (alternative.year, alternative.iid, alternative.preferred_iid) == (2022, 70.0, 77.73)
    assert "conflicts with 77.73" in alternative.note


def test_prefer_alternative_takes_the_other_figure():
    series = region_series("Kota Mojokerto", prefer="alternative")
    assert series.values == (62.3, 70.0, 84.46)
    assert series.prefer == "alternative"


def test_raw_points_and_unclear_rows_never_enter_a_series():
    # Kota Tangerang: 2020 is 'unclear' (85.18); Banyuwangi 2019 is raw points (74400).
    assert region_series("Kota Tangerang").years == (2021, 2022, 2023)
    banyuwangi = region_series("Kabupaten Banyuwangi")
    assert banyuwangi.years == (2021,) and banyuwangi.values == (84.19,)
    panel = peer_panel()
    assert panel["iid"].between(0, 100).all()
    assert panel["year"].min() >= 2021


def test_panel_has_one_row_per_published_index_region_year():
    expected = {
        (r["region_name"], int(r["year"]))
        for r in _raw_rows()
        if r["scale"] == "index_0_100" and float(r["iid_score"]) != 0
    }
    panel = peer_panel()
    assert set(zip(panel["region_name"], panel["year"], strict=True)) == expected
    assert len(panel) == len(expected)


def test_region_with_only_raw_points_is_refused():
    with pytest.raises(UsageError, match="Provinsi Bali"):
        region_series("Provinsi Bali")


def test_unknown_region_is_refused():
    with pytest.raises(UsageError, match="not in the published data"):
        region_series("Kota Atlantis")


def test_as_of_drops_later_years():
    assert region_series("Kota Mojokerto", as_of=2022).years == (2021, 2022)
    assert peer_panel(as_of=2021)["year"].max() == 2021
    assert latest_year() == 2023


def test_conflicts_table_lists_the_mojokerto_2022_pair():
    table = conflicts()
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["region_name"], row["year"]) == ("Kota Mojokerto", 2022)
    assert (row["preferred_iid"], row["alternative_iid"]) == (77.73, 70.0)


def _write(path, rows, header):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_decree_is_preferred_whatever_the_row_order(tmp_path):
    rows = [r for r in _raw_rows() if r["region_name"] == "Kota Mojokerto"]
    header = list(_raw_rows()[0])
    for order in (rows, rows[::-1]):
        scores = load_published_scores(_write(tmp_path / "s.csv", order, header))
        assert region_series("Kota Mojokerto", scores).values[1] == 77.73


def test_identical_figures_from_two_sources_are_no_conflict(tmp_path):
    rows = [r for r in _raw_rows() if r["region_name"] == "Kota Kendari"]
    header = list(_raw_rows()[0])
    scores = load_published_scores(_write(tmp_path / "s.csv", rows + rows, header))
    assert region_series("Kota Kendari", scores).alternatives == ()


@pytest.mark.parametrize(
    ("column", "value", "error"),
    [
        ("scale", "percent", InvalidValueError),
        ("iid_score", "120", InvalidValueError),
        ("iid_score", "abc", InvalidValueError),
        ("year", "2021.5", InvalidValueError),
    ],
)
def test_malformed_scores_name_row_and_column(tmp_path, column, value, error):
    rows = _raw_rows()[:3]
    rows[2] = dict(rows[2], **{column: value})
    if column == "iid_score":
        rows[2]["scale"] = "index_0_100"  # a raw point total may exceed 100
    path = _write(tmp_path / "bad.csv", rows, list(rows[0]))
    with pytest.raises(error) as info:
        load_published_scores(path)
    message = str(info.value)
    assert "bad.csv" in message and "row 4" in message and column in message


def test_missing_column_is_named(tmp_path):
    rows = [{k: v for k, v in r.items() if k != "scale"} for r in _raw_rows()[:2]]
    path = _write(tmp_path / "bad.csv", rows, list(rows[0]))
    with pytest.raises(MissingColumnError, match="scale"):
        load_published_scores(path)


def test_innovation_counts_and_national_summary_keep_their_sources():
    counts = load_innovation_counts()
    registered = counts[
        (counts["region_name"] == "Kota Mojokerto")
        & (counts["year"] == 2023)
        & (counts["basis"] == "registered")
    ]
    assert registered["innovations"].tolist() == [176]
    assert counts["source_url"].str.startswith("http").all()
    national = load_national_summary()
    row = national[national["year"] == 2021].iloc[0]
    assert row["regions_reporting"] == 519 and row["innovations_reported"] == 25124
    assert national["source_url"].str.startswith("http").all()
    assert np.issubdtype(national["year"].dtype, np.integer)


def test_a_published_zero_is_not_a_score_and_is_counted_apart():
    # Kabupaten Gorontalo Utara 2021: 0, "tidak dapat dihitung" (did not report).
    zeros = not_reported()
    assert list(zip(zeros["region_name"], zeros["year"], strict=True)) == [
        ("Kabupaten Gorontalo Utara", 2021)
    ]
    assert not (peer_panel()["iid"] == 0).any()
    with pytest.raises(UsageError):
        region_series("Kabupaten Gorontalo Utara")


def test_conflict_preference_comes_from_the_preferred_column(tmp_path):
    rows = [r for r in _raw_rows() if r["region_name"] == "Kota Mojokerto"]
    header = list(_raw_rows()[0])
    # Same notes, preference flipped in the column: the column decides, not the note.
    flipped = [dict(r, preferred={"yes": "no", "no": "yes"}.get(r["preferred"], "")) for r in rows]
    scores = load_published_scores(_write(tmp_path / "s.csv", flipped, header))
    assert region_series("Kota Mojokerto", scores).values[1] == 70.0
    assert conflicts()["preference_reason"].str.contains("decree").all()


def test_every_upstream_row_is_present_with_identical_values():
    upstream = PUBLISHED_SCORES_FILE.parents[3] / "shared" / "data" / "iid_published_scores.csv"
    if not upstream.is_file():
        pytest.skip("../shared/data is not beside this checkout")
    with upstream.open(encoding="utf-8") as handle:
        theirs = list(csv.DictReader(handle))
    ours = {tuple(r[k] for k in theirs[0]) for r in _raw_rows()}
    assert all(tuple(r.values()) in ours for r in theirs)


def test_row_numbers_are_the_files_own_lines_after_blank_lines(tmp_path):
    lines = PUBLISHED_SCORES_FILE.read_text(encoding="utf-8").splitlines()
    bad = lines[:3] + ["", ""] + [lines[3].replace(",2021,", ",20x1,", 1)]
    path = tmp_path / "blank.csv"
    path.write_text("\n".join(bad) + "\n", encoding="utf-8")
    with pytest.raises(InvalidValueError, match="row 6, column 'year'"):
        load_published_scores(path)


def test_an_extra_cell_is_reported_on_its_own_line(tmp_path):
    lines = PUBLISHED_SCORES_FILE.read_text(encoding="utf-8").splitlines()
    lines[34] += ",extra"
    path = tmp_path / "extra.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidValueError) as info:
        load_published_scores(path)
    message = str(info.value)
    assert "row 35" in message and "cells" in message and "'year'" not in message


def test_a_garbage_file_is_one_line_naming_the_file(tmp_path):
    path = tmp_path / "garbage_scores.csv"
    path.write_bytes(b"\xff\xfe\x00\x81garbage\x9d")
    with pytest.raises(UnreadableFileError) as info:
        load_published_scores(path)
    assert isinstance(info.value, IIDDataError)
    assert "garbage_scores.csv" in str(info.value) and "\n" not in str(info.value)


def test_region_innovation_counts_by_year():
    counts = region_innovation_counts("Kota Mojokerto")
    assert list(counts["year"]) == [2022, 2022, 2023]
    assert set(zip(counts["year"], counts["innovations"], counts["basis"], strict=True)) == {
        (2022, 53, "reported"),
        (2022, 107, "registered"),
        (2023, 176, "registered"),
    }
    assert region_innovation_counts("Kota Atlantis").empty
