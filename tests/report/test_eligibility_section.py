"""The report's claimed-vs-eligible section, on the hand-worked 13-innovation case of
tests/scoring/test_eligibility.py (IID 47.45 as claimed, 42.79 for the 10 eligible innovations)."""

from __future__ import annotations

import re
import sys
from html import escape
from pathlib import Path
from types import SimpleNamespace

import pytest

from iid_analysis.eligibility import claimed_and_eligible
from iid_analysis.inputs.region import Region
from iid_analysis.methodology import load_methodology
from iid_analysis.report.sections import eligibility_section

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scoring"))
from test_eligibility import spd_frame, thirteen  # noqa: E402


def context(year: int, lang: str, frame=None):
    region = Region.from_frames(spd_frame(), thirteen() if frame is None else frame,
                                load_methodology(year))
    return SimpleNamespace(lang=lang, eligibility=claimed_and_eligible(region))


@pytest.mark.parametrize(("lang", "claimed", "eligible"), [("id", "47,45", "42,79"),
                                                           ("en", "47.45", "42.79")])
def test_both_iids_and_each_failing_innovation_in_the_reader_language(lang, claimed, eligible):
    section = eligibility_section(context(2026, lang))
    html = str(section.to_html())
    assert claimed in html and eligible in html
    for innovation in ("I03 Inovasi 3", "I07 Inovasi 7", "I11 Inovasi 11"):
        assert innovation in html
    assert "{" not in html.replace("{%", "")
    assert section.facts["iid_claimed"] == 47.45 and section.facts["iid_eligible"] == 42.79
    assert [f["innovation_id"] for f in section.facts["failures"]] == ["I03", "I07", "I11"]
    if lang == "id":  # no decimal point outside the cited source, no code name of a flag
        source = load_methodology(2026).rule("eligibility").source_id
        assert source and escape(source) in html  # the rule's source in Indonesian
        words = re.sub(r"<[^>]+>", " ", html.replace(escape(source), ""))
        assert re.findall(r"(?<![\w.])\d+\.\d{1,2}(?![\d])", words) == []
        assert "SECONDARY" not in words


def test_unchecked_conditions_are_named_on_the_page():
    frame = thirteen().drop(columns=["rancang_bangun"])
    html = str(eligibility_section(context(2026, "en", frame)).to_html())
    assert "no design description (rancang_bangun)" in html


def test_a_year_without_the_rule_and_a_report_without_a_region_say_so():
    html = str(eligibility_section(context(2025, "en")).to_html())
    assert "No eligibility rule is known for 2025" in html
    section = eligibility_section(SimpleNamespace(lang="id", eligibility=None))
    assert "tidak dapat dihitung" in str(section.to_html())


def test_both_coverage_readings_are_shown_where_they_change_the_count_score():
    """Six innovations, one per basic urusan, the sosial one rejected, 2027 (6 of 6 needed):
    42 + 5 x 74 / 14 = 68.43 -> 27.37 without the rejected one's urusan, + 6 x 0.38 -> 28.28
    with it (worked in tests/scoring/test_eligibility.py)."""
    frame = thirteen().iloc[:6].copy()
    frame[[str(n) for n in range(16, 36)]] = 2
    frame.loc[5, "status"] = "ditolak"
    html = str(eligibility_section(context(2027, "id", frame)).to_html())
    assert "27,37" in html and "28,28" in html
