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
    format_number,
    format_percent,
    format_probability,
    probability_band,
    verbal_band,
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


NBSP = "\u00a0"


def test_format_probability_near_the_ends_never_reads_0_or_100():
    assert format_probability(0.004) == f"< 1{NBSP}% (hampir pasti tidak)"
    assert format_probability(0.78, "en") == "78% (likely)"
    assert format_probability(0.997, "en") == "> 99% (almost certain)"
    assert format_probability(0.01, "en") == "1% (very unlikely)"
    assert format_probability(1.0, "id") == f"100{NBSP}% (hampir pasti)"
    assert format_probability(0.0, "id") == f"0{NBSP}% (hampir pasti tidak)"


@pytest.mark.parametrize(
    ("value", "decimals", "indonesian", "english"),
    [
        (84.46, 2, "84,46", "84.46"),
        (1234.5, 1, "1.234,5", "1,234.5"),
        (-0.125, 3, "-0,125", "-0.125"),
        (17, 0, "17", "17"),
    ],
)
def test_numbers_indonesian_comma_english_point(value, decimals, indonesian, english):
    assert format_number(value, "id", decimals) == indonesian
    assert format_number(value, "en", decimals) == english


def test_percent_with_decimals_keeps_the_language_and_the_end_rule():
    assert format_percent(0.425, "id", 1) == f"42,5{NBSP}%"
    assert format_percent(0.425, "en", 1) == "42.5%"
    assert format_percent(0.0004, "id", 1) == f"< 0,1{NBSP}%"
    assert format_percent(0.9996, "en", 1) == "> 99.9%"
    assert format_percent(None, "en") == format_number(float("nan"), "id") == "\u2013"


@given(st.floats(0.0, 1.0))
def test_a_probability_reads_the_same_everywhere(p):
    """The report's formatter, the forecast sentences and the CLI give the same text."""
    from iid_analysis.commands.forecast import _both
    from iid_analysis.report import forecast_text, i18n

    for lang in ("id", "en"):
        shown = format_percent(p, lang)
        assert i18n.format_percent(p, lang) == shown
        assert forecast_text.probability(p, i18n.Words(lang)) == shown
        assert forecast_text.band(p, i18n.Words(lang)) == verbal_band(p, lang)
        assert format_probability(p, lang) == f"{shown} ({verbal_band(p, lang)})"
        # A rounded 0 % or 100 % is never printed for a probability strictly inside (0, 1).
        if 0 < p < 1:
            assert shown.lstrip("<> ").split(NBSP)[0].rstrip("%") not in ("0", "100")
    assert _both(p).startswith(format_probability(p, "id") + " / ")
    # Indonesian never writes a decimal point, English never a decimal comma.
    assert "." not in format_percent(p, "id", 1) and "," not in format_percent(p, "en", 1)


@pytest.mark.parametrize("bad", [-0.01, 1.01, float("nan"), "half"])
def test_bad_probability_is_a_usage_error(bad):
    with pytest.raises(UsageError, match="probability"):
        describe_probability(bad)


def test_unknown_language_is_a_usage_error():
    with pytest.raises(UsageError, match="lang"):
        describe_probability(0.5, "fr")


@pytest.mark.parametrize("p", [0.004, 0.78, 0.997])
def test_the_plan_command_writes_probabilities_the_same_way(p):
    from types import SimpleNamespace

    from iid_analysis.commands.plan import format_robust

    robust = SimpleNamespace(
        target=90.0, probability=0.8, planning_target=95.5, reached=p >= 0.8,
        uncertainty=SimpleNamespace(p_reach=p, seed=0, n_draws=1000),
    )
    line = format_robust(robust).splitlines()[0]
    assert f"with this plan: {format_probability(p, 'en')} (asked 80%" in line

