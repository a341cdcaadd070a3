"""The message catalogue: every key in both languages, parameters formatted per language."""

import re

import pytest

from iid_analysis.errors import UsageError
from iid_analysis.messages import Message, catalogue, message, render


def test_every_key_has_both_languages():
    assert set(catalogue("id")) == set(catalogue("en"))


def test_both_languages_use_the_same_fields():
    fields = re.compile(r"\{(\w+)")
    for key, text in catalogue("id").items():
        assert set(fields.findall(text)) == set(fields.findall(catalogue("en")[key])), key


def test_numbers_follow_the_language():
    assert render(message("common.weeks_left", weeks=1234), "id") == "1.234 minggu lagi"
    assert render(message("common.weeks_left", weeks=1234), "en") == "1,234 weeks left"


def test_unknown_key_and_missing_parameter_are_named():
    with pytest.raises(UsageError, match="no.such.key"):
        render(Message("no.such.key"), "id")
    with pytest.raises(UsageError, match="common.weeks_left"):
        render(Message("common.weeks_left"), "en")


def test_plain_text_passes_through():
    assert render("Kota Mojokerto", "en") == "Kota Mojokerto"
