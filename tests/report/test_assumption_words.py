"""The assumptions log speaks the report's language: its rows are messages of the catalogue, and
the rules' sources (written in English by the research) have their Indonesian in
data/rule_sources.csv, for the very text they translate."""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

from iid_analysis.config import ADDED_RULES_FILE, METHODOLOGY_DIR, RULE_SOURCES_FILE
from iid_analysis.messages import Message, catalogue, render
from iid_analysis.methodology import known_years, load_methodology
from iid_analysis.report import assumptions as log
from iid_analysis.report.markup import cited
from iid_analysis.report.sections.about import _assumption_source


def research_rows() -> list[dict[str, str]]:
    rows = []
    for path in (METHODOLOGY_DIR / "rules.csv", ADDED_RULES_FILE):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows += list(csv.DictReader(handle))
    return rows


def translation_rows() -> list[dict[str, str]]:
    with RULE_SOURCES_FILE.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def rules_reaching_a_report():
    """Every rule that can reach a page with its source: the ones not CONFIRMED (a row of the
    log each), the indicator table (the indicator row's source), the eligibility rule (its
    section) and the data-entry window (the plan's window row)."""
    for year in known_years():
        methodology = load_methodology(year)
        for name, rule in methodology.rules.items():
            if rule.provenance != "CONFIRMED" or name in (
                "indicators", "eligibility", "data_entry_opens"
            ):
                yield year, name, rule


def test_every_rule_that_reaches_a_report_has_its_source_in_indonesian():
    missing = [f"{year} {name}" for year, name, rule in rules_reaching_a_report()
               if not rule.source_id]
    assert missing == [], (
        "rules without an Indonesian source: add a row (year, rule, source as written, "
        f"source_id) to {RULE_SOURCES_FILE.name}: {missing}"
    )


def test_every_translation_is_of_the_research_text_as_it_is_written_today():
    research = {(r["year"], r["rule"]): r["source"] for r in research_rows()}
    for row in translation_rows():
        key = (row["year"], row["rule"])
        assert key in research, f"{key}: no such rule"
        assert row["source"] == research[key], f"{key}: the English source changed; translate it"
        assert row["source_id"].strip() and row["source_id"] != row["source"] or (
            "'" in row["source"]  # a quotation already in Indonesian stays as it is
        ), key
    keys = [(r["year"], r["rule"]) for r in translation_rows()]
    assert len(keys) == len(set(keys))


def test_names_links_and_numbers_of_documents_stay_as_written():
    """Document numbers, URLs, file paths, code names and commits are cited, not translated:
    every token of the English with a slash, an underscore or a dot between letters is in the
    Indonesian too."""
    cited_token = re.compile(r"\S*(?:/|_|[A-Za-z]{2}\.[A-Za-z]{2})\S*")
    for row in translation_rows():
        for token in cited_token.findall(row["source"]):
            token = token.strip("();,:'")
            assert token in row["source_id"], (row["year"], row["rule"], token)


def test_the_indonesian_log_quotes_no_english_rule_source():
    """Every not-CONFIRMED rule of every year, as its row of the log: in Indonesian its source is
    the translation (no English quote, no lang="en" marker); in English, the research's text."""
    for year in known_years():
        methodology = load_methodology(year)
        for row in log.rule_assumptions(methodology, methodology.rules):
            rule = methodology.rule(row.key.split(":", 1)[1])
            shown = str(_assumption_source(row, "id"))
            assert shown == rule.source_id and 'lang="en"' not in shown, row.key
            assert row.source_text("id") == rule.source_id
            assert row.source_text("en") == rule.source
            assert 'lang="en"' in str(_assumption_source(row, "en"))


def test_an_untranslated_source_is_quoted_as_written():
    assert cited("new text", "", "id") == cited("new text", "", "en")
    assert 'lang="en"' in str(cited("new text", "", "id"))
    assert cited("new text", "teks baru", "id") == "teks baru"


def test_a_rule_row_in_both_languages():
    """2024's max_total (PROVISIONAL, 250) and 2023's rejected_count_in_divisor (INFERRED, yes),
    worked by hand."""
    [row] = log.rule_assumptions(load_methodology(2024), ["max_total"])
    assert isinstance(row.text, Message) and row.text.key == "assumptions.rule"
    assert render(row.text, "id") == "Aturan 2024: total maksimum = 250"
    assert render(row.text, "en") == "2024 rule: maximum total = 250"
    [row] = log.rule_assumptions(load_methodology(2023), ["rejected_count_in_divisor"])
    assert render(row.text, "id").endswith(" = ya") and render(row.text, "en").endswith(" = yes")


@pytest.mark.parametrize(
    ("value", "id_", "en"),
    [("0.38", "0,38", "0.38"), ("35.00", "35,00", "35.00"), ("yes", "ya", "yes"),
     ("no", "tidak", "no"), ("250", "250", "250"), ("indicators_2023.csv",) * 3,
     ("2024-01-01",) * 3],
)
def test_rule_values_are_written_for_the_reader(value, id_, en):
    assert log.value_words(value, "id") == id_
    assert log.value_words(value, "en") == en


def every_row() -> list[log.Assumption]:
    """One of each kind of row, built by hand (no report)."""
    kinds = pd.DataFrame({"evidence_kind": ["a", "b"], "label_id": ["surat", "perda"],
                          "label_en": ["letter", "regional regulation"], "effort": [2.0, 30.0],
                          "lead_weeks": [2.0, 52.0]})
    defaults = pd.DataFrame({"action_kind": ["add_innovation", "promote_stage"],
                             "stage": ["penerapan", "penerapan"], "effort": [60.0, 20.0]})
    rows = [
        log.stages_assumption(),
        log.conflict_assumption(2022, 84.46, [83.5, 80.0], "https://example.org/x"),
        log.short_series_assumption(3),
        log.forecast_model_assumption(("trend_logit", "no_such_model")),
        *log.effort_assumptions(kinds, defaults),
        *log.effort_assumptions(kinds.drop(columns="lead_weeks"), defaults),
        *log.plan_assumptions(0.85),
        *log.calendar_assumptions(None, 0.1),
        *log.maturity_grain_assumptions("simonda", "SECONDARY", 40.0, (2023, 84.46, 20.5)),
    ]
    return rows


def test_every_row_is_a_message_of_the_assumptions_catalogue_in_both_languages():
    for row in every_row():
        assert row.text.key.startswith("assumptions.")
        for lang in ("id", "en"):
            assert render(row.text, lang) and row.source_text(lang)
        if isinstance(row.source, Message):
            assert row.source.key.startswith("assumptions.source.")


def test_hand_worked_rows():
    rows = {row.key: row for row in every_row()}
    conflict = rows["published_conflict:2022"].text
    assert render(conflict, "id") == "IID 2022 = 84,46 (sumber lain: 83,50; 80,00)"
    assert render(conflict, "en") == "IID 2022 = 84.46 (another source: 83.50; 80.00)"
    steps = render(rows["effort_steps"].text, "id")
    assert steps.endswith("surat 2; perda 30")  # the later row (no lead times) wins the key
    new = render(rows["effort_new"].text, "en")
    assert new.endswith("stage penerapan 60; moving an innovation to penerapan 20")
    acceptance = rows["plan_acceptance"].text
    assert "85\u00a0%" in render(acceptance, "id") and "85%" in render(acceptance, "en")
    spd = rows["spd_from_published_iid"].text
    assert render(spd, "id").endswith("(84,46) dikurangi SID data ini = 20,50")
    models = render(rows["forecast_models"].text, "id")
    assert "no_such_model" in models and "trend_logit" not in models  # a name in words


def test_the_assumptions_catalogue_has_the_same_keys_and_fields_in_both_languages():
    fields = re.compile(r"\{(\w+)(?::(\w+))?")
    keys = {lang: {k for k in catalogue(lang) if k.startswith("assumptions.")}
            for lang in ("id", "en")}
    assert keys["id"] == keys["en"] and len(keys["id"]) > 20
    for key in keys["id"]:
        assert set(fields.findall(catalogue("id")[key])) == set(
            fields.findall(catalogue("en")[key])), key


def test_a_region_without_published_iid_is_said_so_not_counted_as_zero_values():
    none = log.short_series_assumption(0).text
    assert render(none, "id").startswith("Tidak ada IID yang dipublikasikan")
    assert render(none, "en").startswith("No published IID")
    assert render(log.short_series_assumption(3).text, "id").startswith("Hanya 3 nilai")


def test_the_package_cites_its_own_assumptions_in_words_not_code_paths():
    # a reader of the log sees what an assumption rests on and where it is explained; the
    # package's module and file names belong in "about this report" and in the docs
    for row in every_row():
        for lang in ("id", "en"):
            source = row.source_text(lang)
            assert "iid_analysis." not in source and "src/" not in source, (row.key, source)
