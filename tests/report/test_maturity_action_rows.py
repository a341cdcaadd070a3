"""The maturity-grain plan's action table in the report's words (both languages): each action
with its points, its effort in hari kerja and the worklist's two dates (the last day to start it,
and when it is done if started on the plan's date), on plans worked by hand.

Two innovations at kematangan 100 and 90 (A, B), SPD 30, the 2024 rules (the 2023 table; the
2025 window is assumed: it closes on 23 August 2024), planned on 28 February 2024. Raising 13
points takes B from 90 to 100 (9 HK) and A from 100 to 103 (2 HK: indicator 16 to level 1, a
staff decree of 2 weeks); every step used lasts at most 2 weeks (14 days): start by 9 August,
done on 13 March. A new innovation takes 16 weeks (112 days): start by 3 May, done on 19 June.
"""

from __future__ import annotations

import datetime as dt
import math
from types import SimpleNamespace

import pandas as pd
import pytest

from iid_analysis.feasibility.calendar import plan_calendar
from iid_analysis.feasibility.maturity_effort import maturity_effort
from iid_analysis.feasibility.maturity_grain import cheapest_maturity_plan, score_maturities
from iid_analysis.inputs.importers import check_maturities
from iid_analysis.methodology import load_methodology
from iid_analysis.report import plan_text as pt
from iid_analysis.report.i18n import Words

RULES_YEAR = 2024
SPD = 30.0
HEADERS = {
    "id": ["Tindakan", "Poin", "Upaya (hari kerja)", "Mulai paling lambat",
           "Selesai jika mulai sekarang"],
    "en": ["Action", "Points", "Effort (person-days)", "Start by", "Done by if started now"],
}
"""The level grain's worklist headers for the two dates (worklist.column.start_by, .deadline)."""


def _iid(maturities, rules) -> float:
    n = len(maturities)
    sid = sum(maturities) / max(rules.divisor_floor, n) + min(n, rules.count_cap) * (
        rules.count_points_per_innovation
    )
    return math.floor((SPD + sid) / rules.max_total * 100 * 100 + 0.5 + 1e-9) / 100


def _part(maturities_after, as_of: dt.date | None = dt.date(2024, 2, 28)):
    rules = load_methodology(RULES_YEAR)
    frame = check_maturities(pd.DataFrame({
        "innovation_id": ["A", "B"], "name": ["Inovasi A", "Inovasi B"], "maturity": [100, 90],
    }), rules)
    score = score_maturities(frame, rules, spd=SPD)
    calendar = None if as_of is None else plan_calendar(as_of, RULES_YEAR)
    effort = maturity_effort(rules, calendar=calendar)
    plan = cheapest_maturity_plan(frame, rules, score, _iid(maturities_after, rules),
                                  effort=effort, max_new=3)
    return SimpleNamespace(plan=plan, innovations=frame, new_maturity=effort.new_maturity)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_header_names_the_worklist_dates(lang):
    assert pt.maturity_action_header(Words(lang)) == HEADERS[lang]


@pytest.mark.parametrize(
    ("lang", "raise_b", "raise_a"),
    [("id", "Naikkan kematangan B (Inovasi B) dari 90 ke 100",
      "Naikkan kematangan A (Inovasi A) dari 100 ke 103"),
     ("en", "Raise the maturity of B (Inovasi B) from 90 to 100",
      "Raise the maturity of A (Inovasi A) from 100 to 103")],
)
def test_each_raise_has_its_dates(lang, raise_b, raise_a):
    part = _part([103, 100])
    rows = pt.maturity_action_rows(part, Words(lang))
    assert rows == [
        [raise_b, "10", "9", "2024-08-09", "2024-03-13"],
        [raise_a, "3", "2", "2024-08-09", "2024-03-13"],
    ]
    assert len(rows[0]) == len(HEADERS[lang])


@pytest.mark.parametrize(("lang", "new"), [("id", "2 \u00d7 Inovasi baru NEW berkematangan"),
                                           ("en", "2 \u00d7 New innovation NEW of maturity")])
def test_new_innovations_are_one_row_with_their_creation_dates(lang, new):
    new_maturity = maturity_effort(load_methodology(RULES_YEAR)).new_maturity
    part = _part([100, 90, new_maturity, new_maturity])
    assert part.plan.n_new == 2
    words = Words(lang)
    last = pt.maturity_action_rows(part, words)[-1]
    assert last[0].startswith(new)
    assert last[1:] == [words.num(2 * new_maturity, 0), "120", "2024-05-03", "2024-06-19"]


def test_without_a_calendar_the_dates_are_dashes():
    rows = pt.maturity_action_rows(_part([103, 100], as_of=None), Words("id"))
    assert rows and all(row[3:] == ["\u2013", "\u2013"] for row in rows)
