"""Verbal probability bands: the documented table, symmetry, and bad input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iid_analysis.errors import UsageError
from iid_analysis.wording import (
    PROBABILITY_BANDS,
    bands_table,
    describe_probability,
    format_probability,
    probability_band,
)


@pytest.mark.parametrize(
    ("p", "indonesian", "english"),
    [
        (0.0, "hampir pasti tidak", "almost certainly not"),
        (0.005, "hampir pasti tidak", "almost certainly not"),
        (0.01, "sangat kecil kemungkinannya", "very unlikely"),
        (0.05, "sangat kecil kemungkinannya", "very unlikely"),
        (0.10, "kecil kemungkinannya", "unlikely"),
        (0.33, "mungkin", "about as likely as not"),
        (0.50, "mungkin", "about as likely as not"),
        (0.67, "mungkin", "about as likely as not"),
        (0.78, "kemungkinan besar", "likely"),
        (0.90, "kemungkinan besar", "likely"),
        (0.95, "sangat mungkin", "very likely"),
        (0.99, "sangat mungkin", "very likely"),
        (0.995, "hampir pasti", "almost certain"),
        (1.0, "hampir pasti", "almost certain"),
    ],
)
def test_documented_bands(p, indonesian, english):
    assert describe_probability(p) == indonesian
    assert describe_probability(p, "id") == indonesian
    assert describe_probability(p, "en") == english


@given(st.floats(min_value=0.0, max_value=1.0))
def test_p_and_its_complement_fall_in_mirrored_bands(p):
    index = PROBABILITY_BANDS.index(probability_band(p))
    mirrored = PROBABILITY_BANDS.index(probability_band(1.0 - p))
    assert index + mirrored == len(PROBABILITY_BANDS) - 1


def test_bands_cover_0_to_1_without_gaps():
    rows = bands_table()
    assert rows[0]["low"] == 0.0 and rows[-1]["high"] == 1.0
    assert all(a["high"] == b["low"] for a, b in zip(rows, rows[1:], strict=False))


def test_format_keeps_a_decimal_near_the_ends():
    assert format_probability(0.004) == "0.4 % (hampir pasti tidak)"
    assert format_probability(0.78, "en") == "78 % (likely)"
    assert format_probability(0.997, "en") == "99.7 % (almost certain)"


@pytest.mark.parametrize("bad", [-0.01, 1.01, float("nan"), "half"])
def test_bad_probability_is_a_usage_error(bad):
    with pytest.raises(UsageError, match="probability"):
        describe_probability(bad)


def test_unknown_language_is_a_usage_error():
    with pytest.raises(UsageError, match="lang"):
        describe_probability(0.5, "fr")
