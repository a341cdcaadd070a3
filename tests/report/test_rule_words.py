"""Every rule a report can name has words in both languages: the Indonesian page never shows a
code name such as ``data_entry_closes`` or ``maturity_grain`` outside "about this report"."""

from __future__ import annotations

import csv

import pytest

from iid_analysis import eligibility, scoring
from iid_analysis.config import ADDED_RULES_FILE, METHODOLOGY_DIR
from iid_analysis.feasibility import maturity_grain
from iid_analysis.report.i18n import Words


def _csv_rules() -> set[str]:
    names = set()
    for path in (METHODOLOGY_DIR / "rules.csv", ADDED_RULES_FILE):
        with open(path, encoding="utf-8") as handle:
            names |= {row["rule"] for row in csv.DictReader(handle)}
    return names


def _assumption_names() -> set[str]:
    # the named assumptions a score's provisional_rules can carry besides the year rules
    return {
        value for module in (scoring, eligibility, maturity_grain)
        for name, value in vars(module).items()
        if name.startswith("ASSUMPTION_") and isinstance(value, str)
    }


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_rule_a_page_can_name_has_words(lang):
    words = Words(lang)
    names = _csv_rules() | _assumption_names()
    assert {"data_entry_closes", "maturity_grain", "divisor_floor"} <= names  # the sets are read
    unnamed = sorted(n for n in names if words.rule(n) == n)
    assert not unnamed, f"{lang}: rules without words: {unnamed}"
