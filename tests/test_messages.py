"""The message catalogue: every key in both languages, parameters formatted per language."""

import re

import pytest

from iid_analysis.errors import UsageError
from iid_analysis.messages import Message, catalogue, localized, message, render


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


def test_a_list_parameter_is_rendered_item_by_item_with_the_fields_format():
    shares = message("common.weeks_left", weeks=(1234, 5))
    assert render(shares, "id") == "1.234; 5 minggu lagi"
    assert render(shares, "en") == "1,234; 5 weeks left"


def test_a_localized_parameter_gives_the_readers_language():
    label = localized(id="surat keputusan", en="decree")
    assert render(label, "id") == "surat keputusan" and render(label, "en") == "decree"
    step = Message("assumptions.effort_step", {"label": label, "effort": 3.0})
    assert render(step, "id") == "surat keputusan 3" and render(step, "en") == "decree 3"
    with pytest.raises(ValueError, match="each of"):
        localized(id="hanya satu")


def test_a_term_is_the_catalogues_word_in_each_language():
    from iid_analysis.feasibility.effort import EFFORT_UNIT
    from iid_analysis.messages import Term, catalogue, render

    term = Term("common.spd_owner")
    assert dict(term) == {lang: catalogue(lang)["common.spd_owner"] for lang in ("id", "en")}
    assert render(term, "en") == "Regional government (SPD)"
    assert (EFFORT_UNIT["id"], EFFORT_UNIT["en"]) == ("hari kerja", "person-days")
    with pytest.raises(KeyError):
        term["fr"]
