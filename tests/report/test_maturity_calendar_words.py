"""The maturity-grain plan's calendar in the report's words (both languages): why no new
innovation is offered, and the steps for next year, from a plan made here."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest

from iid_analysis.feasibility.calendar import plan_calendar
from iid_analysis.feasibility.maturity_effort import maturity_effort
from iid_analysis.feasibility.maturity_grain import cheapest_maturity_plan, score_maturities
from iid_analysis.inputs.importers import check_maturities
from iid_analysis.methodology import load_methodology
from iid_analysis.report import maturity_text as mt
from iid_analysis.report.i18n import Words


def _part(year: int, as_of: dt.date, entry_year: int | None = None):
    rules = load_methodology(year)
    frame = check_maturities(
        pd.DataFrame({"innovation_id": ["A", "B"], "maturity": [50, 111]}), rules
    )
    score = score_maturities(frame, rules, spd=30.0)
    effort = maturity_effort(rules, calendar=plan_calendar(as_of, year, entry_year))
    plan = cheapest_maturity_plan(frame, rules, score, 99.0, effort=effort)
    return SimpleNamespace(plan=plan, effort=effort, rules=rules)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("id", "Rencana ini tidak menambah inovasi baru: inovasi yang dibuat sekarang (16 minggu"),
     ("en", "This plan adds no new innovation: one created now (16 weeks")],
)
def test_an_ineligible_new_innovation_is_said(lang, words):
    part = _part(2026, dt.date(2026, 3, 1))  # implemented in June 2026: outside 2024-2025
    sentence = mt.maturity_new_blocked_sentence(part, Words(lang))
    assert sentence.startswith(words) and "2026" in sentence


@pytest.mark.parametrize(
    ("lang", "late", "new"),
    [("id", "butuh 16 minggu", "Satu inovasi baru, berkematangan"),
     ("en", "takes 16 weeks", "One new innovation, of maturity")],
)
def test_after_the_window_every_step_is_for_next_year(lang, late, new):
    part = _part(2024, dt.date(2024, 9, 1), entry_year=2024)
    words = Words(lang)
    assert late in mt.maturity_new_blocked_sentence(part, words)
    rows = mt.maturity_next_year_rows(part, words)
    assert len(rows) == len(part.plan.next_year) == len(part.effort.late) + 1
    assert sum(row[0].startswith(new) for row in rows) == 1
    # One innovation below 111 (A at 50): every step could be taken on it alone.
    assert all(row[3] == "1" for row in rows)
    assert mt.maturity_deadline_sentence(part, words) == ""  # no action
