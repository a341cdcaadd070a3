"""The year rules are data: values, provenance, incomplete years and immutability."""

from __future__ import annotations

import csv
import dataclasses
import shutil
from pathlib import Path

import pytest

from iid_analysis.config import ADDED_RULES_FILE
from iid_analysis.errors import IncompleteRulesError, MethodologyError, UnknownYearError
from iid_analysis.methodology import (
    PREDICATE_INOVATIF,
    PREDICATE_KURANG_INOVATIF,
    PREDICATE_SANGAT_INOVATIF,
    indicator_numbers_by_year,
    known_years,
    load_methodology,
    weakest,
)

SCORING_RULE_NAMES = (
    "indicators",
    "divisor_floor",
    "count_points_per_innovation",
    "count_cap",
    "max_total",
)


def read_rules_csv(directory: Path) -> list[dict[str, str]]:
    """The research's rules.csv of ``directory`` and the rules the project adds beside it."""
    rows = []
    for path in (directory / "rules.csv", ADDED_RULES_FILE):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows += list(csv.DictReader(handle))
    return rows


def read_indicator_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_known_years_are_2021_to_2027():
    assert known_years() == (2021, 2022, 2023, 2024, 2025, 2026, 2027)


@pytest.mark.parametrize("year", [2019, 2020, 2028, 1999])
def test_year_without_rules_is_a_clear_error(year):
    with pytest.raises(UnknownYearError, match=rf"\b{year}\b") as info:
        load_methodology(year)
    assert isinstance(info.value, MethodologyError)
    assert "\n" not in str(info.value)
    assert "2023" in str(info.value)  # lists the known years


def test_2023_rule_values(methodology_2023):
    m = methodology_2023
    assert m.year == 2023
    assert m.divisor_floor == 10
    assert m.count_points_per_innovation == pytest.approx(0.38)
    assert m.count_cap == 200
    assert m.max_total == 250
    assert m.max_spd == 63
    assert m.max_innovation == 111
    assert m.max_count == pytest.approx(76)
    assert m.bands == {
        PREDICATE_SANGAT_INOVATIF: 60.01,
        PREDICATE_INOVATIF: 35.00,
        PREDICATE_KURANG_INOVATIF: 0.01,
    }
    assert m.can_score


def test_2025_and_2026_bands_and_floor():
    assert load_methodology(2025).bands[PREDICATE_SANGAT_INOVATIF] == 65.01
    m2026 = load_methodology(2026)
    assert m2026.divisor_floor == 12
    assert m2026.bands[PREDICATE_INOVATIF] == 40.01
    # 2027 (a third-party implementation, SECONDARY): floor 14, all six basic urusan.
    m2027 = load_methodology(2027)
    assert (m2027.divisor_floor, m2027.min_basic_urusan) == (14, 6)
    assert m2026.min_basic_urusan == 5 and load_methodology(2025).min_basic_urusan is None
    assert m2027.provenance("divisor_floor") == "SECONDARY"


@pytest.mark.parametrize("year", [2021, 2022, 2023, 2024, 2025, 2026])
def test_every_rule_of_rules_csv_is_loaded_with_value_provenance_and_source(
    year, package_methodology_dir
):
    rows = read_rules_csv(package_methodology_dir)
    expected = {r["rule"]: r for r in rows if r["year"] == str(year)}
    m = load_methodology(year)
    assert set(m.rules) == set(expected)
    for name, row in expected.items():
        rule = m.rule(name)
        assert (rule.value, rule.provenance) == (row["value"], row["provenance"])
        assert rule.source.startswith(row["source"])
        assert m.provenance(name) == row["provenance"]
    table = m.rules_table()
    assert set(table["rule"]) == set(expected)
    assert dict(zip(table["rule"], table["provenance"], strict=True)) == {
        k: v["provenance"] for k, v in expected.items()
    }


def test_not_confirmed_names_every_weaker_rule_of_2023():
    assert set(load_methodology(2023).not_confirmed) == {
        "count_points_per_innovation",
        "count_cap",
        "max_spd",
        "max_count",
        "max_total",
        "rejected_count_in_divisor",
    }


def test_2023_table_has_the_published_weights(methodology_2023, weights_2023):
    m = methodology_2023
    spd_weights, innovation_weights = weights_2023["spd"], weights_2023["innovation"]
    assert m.spd_numbers == tuple(spd_weights)
    assert m.innovation_numbers == tuple(innovation_weights)
    for number, weight in {**spd_weights, **innovation_weights}.items():
        indicator = m.indicator(number)
        assert [indicator.points(level) for level in (0, 1, 2, 3)] == [
            0,
            weight,
            2 * weight,
            3 * weight,
        ], number
        assert indicator.max_points == 3 * weight
    # The table's maxima agree with the maxima stated in rules.csv.
    assert sum(3 * w for w in spd_weights.values()) == 63 == m.value("max_spd")
    assert sum(3 * w for w in innovation_weights.values()) == 111 == m.value("max_innovation")


def test_2026_table_has_the_2023_weights(weights_2023):
    m = load_methodology(2026)
    for number, weight in {**weights_2023["spd"], **weights_2023["innovation"]}.items():
        assert [m.indicator(number).points(level) for level in (1, 2, 3)] == [
            weight,
            2 * weight,
            3 * weight,
        ], number


def test_indicator_attributes(methodology_2023):
    m = methodology_2023
    assert m.indicator("2a").parent == "2"
    assert m.indicator("13b").parent == "13"
    assert m.indicator("16").parent == "16"
    assert m.indicator("1").mandatory is True
    assert m.indicator("2a").mandatory is False
    assert m.indicator("16").aspect == "INOVASI"
    assert m.indicator("15").aspect == "SPD"
    assert m.indicator("16").name_id == "Regulasi Inovasi Daerah"
    assert not m.has_indicator("36")
    assert not m.has_indicator("2")


@pytest.mark.parametrize(
    ("year", "table"),
    [(2023, "indicators_2023.csv"), (2026, "indicators_2026.csv")],
)
def test_indicator_table_keeps_every_row_with_its_provenance_and_source(
    year, table, package_methodology_dir
):
    rows = read_indicator_csv(package_methodology_dir / table)
    frame = load_methodology(year).indicator_table()
    assert list(frame.columns) == [
        "number", "aspect", "variable", "name_id", "name_en", "level", "level_label_id",
        "points", "max_points", "mandatory", "provenance", "source",
    ]  # fmt: skip
    by_key = {(r.number, r.level): r for r in frame.itertuples()}
    for row in rows:
        got = by_key[(row["number"], int(row["level"]))]
        assert got.points == float(row["points"])
        assert got.provenance == row["provenance"]
        assert got.source == row["source"]
        assert got.level_label_id == row["level_label_id"]
    # SPD tables list levels 1..3; their level 0 scores 0 and is INFERRED.
    assert len(frame) == 4 * len({r["number"] for r in rows})
    zero = frame[frame["level"] == 0]
    assert (zero["points"] == 0).all()
    assert set(zero["provenance"]) == {"INFERRED"}


def test_2023_provenance_of_indicator_levels(methodology_2023):
    frame = methodology_2023.indicator_table()
    spd = frame[frame["aspect"] == "SPD"]
    innovation = frame[(frame["aspect"] == "INOVASI") & (frame["level"] > 0)]
    assert set(spd.loc[spd["level"] > 0, "provenance"]) == {"PROVISIONAL"}
    assert set(innovation["provenance"]) == {"CONFIRMED"}


def test_a_stand_in_table_is_no_better_than_its_rule():
    # 2024 uses the 2023 table (PROVISIONAL): its CONFIRMED rows are weakened.
    frame = load_methodology(2024).indicator_table()
    assert set(frame.loc[frame["level"] > 0, "provenance"]) == {"PROVISIONAL"}
    frame2026 = load_methodology(2026).indicator_table()
    assert set(frame2026.loc[frame2026["level"] > 0, "provenance"]) == {"SECONDARY"}


def test_weakest():
    assert weakest([]) == "CONFIRMED"
    assert weakest(["CONFIRMED", "SECONDARY"]) == "SECONDARY"
    assert weakest(["INFERRED", "SECONDARY", "CONFIRMED"]) == "INFERRED"
    assert weakest(["CONFIRMED", "PROVISIONAL", "INFERRED"]) == "PROVISIONAL"


@pytest.mark.parametrize("year", [2021, 2022])
def test_incomplete_year_loads_bands_but_refuses_to_score(year):
    m = load_methodology(year)
    assert m.bands[PREDICATE_SANGAT_INOVATIF] == 60.01
    assert not m.can_score
    assert m.indicators == ()
    assert set(m.missing_for_scoring) == set(SCORING_RULE_NAMES)
    with pytest.raises(IncompleteRulesError) as info:
        m.require_scoring()
    message = str(info.value)
    assert "\n" not in message
    assert str(year) in message
    for name in SCORING_RULE_NAMES:
        assert name in message
    with pytest.raises(IncompleteRulesError, match="divisor_floor"):
        _ = m.divisor_floor


def test_2022_keeps_its_confirmed_rules():
    m = load_methodology(2022)
    assert m.value("max_innovation") == 111
    assert m.provenance("rejected_count_in_divisor") == "CONFIRMED"


def test_methodology_is_immutable(methodology_2023):
    m = methodology_2023
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.year = 2024  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.rules = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        m.rules["divisor_floor"] = m.rules["count_cap"]  # type: ignore[index]
    with pytest.raises(TypeError):
        del m.rules["divisor_floor"]  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.rules["divisor_floor"].value = "1"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.indicators[0].max_points = 0  # type: ignore[misc]
    assert isinstance(m.indicators, tuple)
    table = m.indicator_table()
    table["points"] = -1.0
    table.loc[0, "number"] = "99"
    assert (m.indicator_table()["points"] >= 0).all()
    assert m.indicator_table().loc[0, "number"] == "1"
    assert len(m.indicator_table()) == 4 * 40
    rules = m.rules_table()
    rules["value"] = "0"
    assert m.value("divisor_floor") == 10
    # load_methodology hands out the same unchanged rules every time.
    assert load_methodology(2023).divisor_floor == 10


def copy_methodology(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def test_rules_are_read_from_the_given_directory(tmp_path, package_methodology_dir):
    directory = copy_methodology(package_methodology_dir, tmp_path / "methodology")
    path = directory / "rules.csv"
    text = path.read_text(encoding="utf-8")
    assert "2023,divisor_floor,10," in text
    path.write_text(text.replace("2023,divisor_floor,10,", "2023,divisor_floor,7,"), "utf-8")
    assert load_methodology(2023, directory).divisor_floor == 7
    assert load_methodology(2023).divisor_floor == 10


def test_indicator_numbers_by_year_uses_the_given_directory(tmp_path, package_methodology_dir):
    directory = copy_methodology(package_methodology_dir, tmp_path / "methodology")
    table = directory / "indicators_2026.csv"
    rows = read_indicator_csv(table)
    with table.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writerows(dict(r, number="36") for r in rows if r["number"] == "35")
    numbers = indicator_numbers_by_year(directory)
    assert set(numbers) == {2023, 2024, 2025, 2026, 2027}
    assert "36" in numbers[2026]
    assert "36" not in numbers[2023]
    assert "36" not in indicator_numbers_by_year()[2026]


def test_a_source_written_as_same_names_the_row_it_points_to(package_methodology_dir):
    """The research writes "same as above" / "same" for a row's source; a reader of the
    assumptions log sees one row, so the loaded source says what it points to: the nearest
    earlier row of rules.csv whose source is not itself "same..." (read here from the CSV)."""
    rows = read_rules_csv(package_methodology_dir)
    referent = None
    checked = 0
    for row in rows:
        if row["source"].lower().startswith("same"):
            rule = load_methodology(int(row["year"])).rule(row["rule"])
            assert rule.source == f"{row['source']} ({referent['source']})"
            assert rule.source_id.endswith(")") and rule.source_id.startswith(("sama", "sumber"))
            checked += 1
        else:
            referent = row
            rule = load_methodology(int(row["year"])).rule(row["rule"])
            assert rule.source == row["source"]
    assert checked >= 10
