"""The 2026 eligibility rule (claimed vs eligible), on cases worked by hand.

Every expected IID is computed in this file from the 2026 point tables as written in
``data/methodology/indicators_2026.csv`` and the 2026 rules of ``rules.csv`` (divisor floor 12,
0.38 per innovation, 250 maximum, Inovatif from 40.01), never from the code under test:

- per-innovation weights (points at level 1; level L scores L x weight):
  16:3 17:2 18:2 19:2 20:1 21:2 22:1 23:1 24:1 25:1 26:1 27:1 28:2 29:1 30:2 31:3 32:2 33:3 34:2
  35:4 (sum 37, so every indicator at level 2 is a maturity of 74);
- mandatory (``mandatory`` = yes): 16, 17, 32, 33, 35;
- SPD weights: 1, 2a, 2b, 3, 4: 1 each; 5a, 5b: 0.75; 6, 7, 8: 1.5; 9: 1; 10a, 10b, 11a, 11b:
  0.75; 12: 2; 13a, 13b, 14, 15: 1 (sum 21, so every SPD indicator at level 2 is 42).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from iid_analysis import cli
from iid_analysis.eligibility import (
    ASSUMPTION_DATES_UNCHECKED,
    ASSUMPTION_DESIGN_UNCHECKED,
    ASSUMPTION_MANDATORY_UNCHECKED,
    check_eligibility,
    claimed_and_eligible,
    parse_date,
)
from iid_analysis.inputs.region import Region
from iid_analysis.messages import render
from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import ASSUMPTION_URUSAN_OVER_ACCEPTED

SPD_NUMBERS = ["1", "2a", "2b", "3", "4", "5a", "5b", "6", "7", "8", "9", "10a", "10b", "11a",
               "11b", "12", "13a", "13b", "14", "15"]
NUMBERS = [str(n) for n in range(16, 36)]
BASIC = ["pendidikan", "kesehatan", "pekerjaan umum dan penataan ruang",
         "perumahan rakyat dan kawasan permukiman",
         "ketenteraman, ketertiban umum dan pelindungan masyarakat", "sosial"]
LONG_DESIGN = " ".join(["kata"] * 300)


def spd_frame(level: int = 2) -> pd.DataFrame:
    return pd.DataFrame({"indicator": SPD_NUMBERS, "level": [level] * len(SPD_NUMBERS)})


def innovation(i: int, zero=(), **extra) -> dict:
    row = {"innovation_id": f"I{i:02d}", "name": f"Inovasi {i}", "opd": f"OPD {i % 4}",
           "stage": "penerapan", "status": "diterima", "urusan": BASIC[(i - 1) % 6],
           "tanggal_penerapan": "2024-03-01", "rancang_bangun": LONG_DESIGN}
    row.update({n: 0 if n in zero else 2 for n in NUMBERS})
    row.update(extra)
    return row


def thirteen() -> pd.DataFrame:
    """13 innovations, every indicator at level 2 (maturity 74), except: I03 has 16 at 0
    (74 - 6 = 68), I07 has 35 at 0 (74 - 8 = 66), I11 has 32 and 33 at 0 (74 - 4 - 6 = 64): the
    three that leave a mandatory indicator at 0; I05 has 31 at 0 (74 - 6 = 68), which is not
    mandatory, so it stays eligible. Dates inside the window in both spellings."""
    zeros = {3: ("16",), 7: ("35",), 11: ("32", "33"), 5: ("31",)}
    rows = [innovation(i, zeros.get(i, ())) for i in range(1, 14)]
    rows[1]["tanggal_penerapan"] = "15/07/2025"
    return pd.DataFrame(rows)


def test_thirteen_innovations_three_with_a_mandatory_indicator_at_zero():
    m2026 = load_methodology(2026)
    result = claimed_and_eligible(Region.from_frames(spd_frame(), thirteen(), m2026))

    # Claimed: maturity sum 9 x 74 + 68 (I05) + 68 + 66 + 64 = 932, n = 13 (> floor 12),
    # count score 13 x 0.38 = 4.94; total 42 + 932/13 + 4.94 = 118.6323..., IID x 100/250.
    claimed_total = 42 + 932 / 13 + 13 * 0.38
    assert result.claimed.iid_unrounded == pytest.approx(claimed_total / 250 * 100)
    assert result.claimed.iid == 47.45
    assert result.claimed.predicate == "Inovatif"
    assert result.n_claimed == 13

    # Eligible: I03, I07, I11 leave; sum 9 x 74 + 68 = 734, n = 10 below the floor, so divided
    # by 12; count score 10 x 0.38 = 3.8 (all 6 basic urusan still covered: I01..I06 minus I03,
    # plus I09 for pekerjaan umum); total 42 + 734/12 + 3.8 = 106.9667, IID 42.79.
    eligible_total = 42 + 734 / 12 + 10 * 0.38
    assert result.eligible.iid_unrounded == pytest.approx(eligible_total / 250 * 100)
    assert result.eligible.iid == 42.79
    assert result.eligible.divisor == 12
    assert result.n_eligible == 10
    assert result.eligible.basic_urusan_covered == 6

    failures = result.failures
    assert list(failures["innovation_id"]) == ["I03", "I07", "I11"]
    assert set(failures["condition"]) == {"mandatory_indicator_zero"}
    assert list(failures["value"]) == ["16", "35", "32, 33"]
    assert list(result.table.loc[~result.table["eligible"], "innovation_id"]) == [
        "I03", "I07", "I11"]
    assert result.unchecked == ()
    assert result.provenance == "SECONDARY"
    assert "1887/BSKDN" in result.source and "layak" in result.source
    assert "eligibility" in result.eligible.provisional_rules
    assert "eligibility" not in result.claimed.provisional_rules


def test_the_2027_rule_has_the_same_conditions_and_its_own_floor():
    m2027 = load_methodology(2027)
    result = claimed_and_eligible(Region.from_frames(spd_frame(), thirteen(), m2027))
    # Floor 14 in 2027: claimed 42 + 932/14 + 4.94 = 113.5114 -> 45.40; eligible
    # 42 + 734/14 + 3.8 = 98.2286 -> 39.29 (Kurang Inovatif below 40.01).
    assert result.claimed.iid == 45.40
    assert result.eligible.iid == 39.29
    assert result.eligible.predicate == "Kurang Inovatif"


@pytest.mark.parametrize(
    ("date", "development", "condition"),
    [
        ("2024-01-01", "", None),
        ("31/12/2025", "", None),
        ("2026-01-01", "", "implementation_after_window"),
        ("2023-12-31", "", "implementation_before_window"),
        ("2021-05-02", "2025-02-01", None),
        ("2021-05-02", "2023-02-01", "development_outside_window"),
        ("2024-05-02", "2026-02-01", "development_outside_window"),
        ("", "", "no_implementation_date"),
        ("kemarin", "", "implementation_date_unreadable"),
        (pd.Timestamp("2025-06-30"), "", None),
    ],
)
def test_the_window_condition(date, development, condition):
    m2026 = load_methodology(2026)
    frame = pd.DataFrame([innovation(1, tanggal_penerapan=date,
                                     tanggal_pengembangan=development)])
    region = Region.from_frames(spd_frame(), frame, m2026)
    check = check_eligibility(region.innovations, m2026, region.levels)
    assert list(check.failures["condition"]) == ([] if condition is None else [condition])


def test_design_under_300_words_fails_and_missing_columns_are_named_not_passed():
    m2026 = load_methodology(2026)
    short = innovation(1, rancang_bangun=" ".join(["kata"] * 299))
    region = Region.from_frames(spd_frame(), pd.DataFrame([short, innovation(2)]), m2026)
    check = check_eligibility(region.innovations, m2026, region.levels)
    assert list(check.failures[["innovation_id", "condition", "value"]].itertuples(
        index=False, name=None)) == [("I01", "design_too_short", "299")]

    bare = pd.DataFrame([innovation(1)]).drop(columns=["tanggal_penerapan", "rancang_bangun"])
    result = claimed_and_eligible(Region.from_frames(spd_frame(), bare, m2026))
    assert result.unchecked == (ASSUMPTION_DATES_UNCHECKED, ASSUMPTION_DESIGN_UNCHECKED)
    assert set(result.unchecked) <= set(result.eligible.provisional_rules)
    # Maturity grain: no levels, so the mandatory condition is named as unchecked.
    check = check_eligibility(region.innovations, m2026, None)
    assert ASSUMPTION_MANDATORY_UNCHECKED in check.unchecked


def test_no_rule_before_2026_gives_the_claimed_iid_only():
    m2025 = load_methodology(2025)
    result = claimed_and_eligible(Region.from_frames(spd_frame(), thirteen(), m2025))
    assert not result.applies and result.eligible is None and result.failures.empty
    assert "2025" in render(result.messages()[0], "en")


def test_rejected_innovations_and_the_basic_urusan_coverage_both_readings():
    """Six innovations, one per basic urusan; the one for sosial is rejected. 2026 needs 5 of 6:
    counting non-rejected innovations only covers 5 (count score kept), so the reading changes
    nothing there; with 2027's 6 of 6 it does: 5 covered (count score 0) or 6 (6 x 0.38)."""
    rows = [innovation(i) for i in range(1, 7)]
    rows[5]["status"] = "ditolak"
    m2027 = load_methodology(2027)
    result = claimed_and_eligible(Region.from_frames(spd_frame(), pd.DataFrame(rows), m2027))
    # Maturity sum 5 x 74 (the rejected one scores 0), n = 6, divisor 14 (2027 floor).
    assert ASSUMPTION_URUSAN_OVER_ACCEPTED in result.claimed.provisional_rules
    coverage = result.coverage_claimed
    assert (coverage.accepted_only, coverage.all_counted, coverage.minimum) == (5, 6, 6)
    assert coverage.count_score_accepted_only == 0
    assert coverage.count_score_all_counted == pytest.approx(6 * 0.38)
    assert coverage.iid_accepted_only == round((42 + 370 / 14) / 250 * 100, 2)  # 27.37
    assert coverage.iid_all_counted == round((42 + 370 / 14 + 2.28) / 250 * 100, 2)  # 28.28
    assert coverage.changes and result.claimed.iid == coverage.iid_accepted_only
    texts = [render(m, "en") for m in result.messages()]
    assert any("27.37" in t and "28.28" in t for t in texts)


def test_messages_render_in_both_languages_and_name_each_failure():
    m2026 = load_methodology(2026)
    frame = thirteen()
    frame.loc[0, "tanggal_penerapan"] = "2026-02-01"
    result = claimed_and_eligible(Region.from_frames(spd_frame(), frame, m2026))
    for lang in ("id", "en"):
        texts = [render(m, lang) for m in result.messages()]
        assert sum(t.startswith(("I01 ", "I03 ", "I07 ", "I11 ")) for t in texts) == 4
        assert all("{" not in t for t in texts)
    english = "\n".join(render(m, "en") for m in result.messages())
    assert "I01 Inovasi 1 (OPD 1): implemented on 2026-02-01, after 2025-12-31" in english
    assert "9 of 13 innovations are eligible" in english


def test_parse_date_spellings():
    assert parse_date("2024-03-01 00:00:00") == parse_date("01/03/2024") == parse_date(
        pd.Timestamp("2024-03-01"))
    assert parse_date("28 Agustus 2023") == parse_date("28/08/2023")
    assert parse_date(float("nan")) is None and parse_date(" ") is None
    assert parse_date(pd.NaT) is None
    with pytest.raises(ValueError):
        parse_date("Maret")


def test_score_command_gives_both_iids_and_writes_the_pre_check(tmp_path, capsys):
    spd_path, innovations_path = tmp_path / "spd.csv", tmp_path / "inovasi.csv"
    spd_frame().to_csv(spd_path, index=False)
    thirteen().to_csv(innovations_path, index=False)
    out = tmp_path / "out"
    argv = ["score", "--year", "2026", "--spd", str(spd_path), "--innovations",
            str(innovations_path), "--output-dir", str(out)]
    assert cli.main(argv) == 0
    text = capsys.readouterr().out
    assert "IID 2026 as claimed: 47.45 (Inovatif); eligible innovations only: 42.79" in text
    assert "10 of 13 innovations are eligible; 3 are not." in text
    assert "I11 Inovasi 11 (OPD 3): mandatory indicator at level 0: 32, 33" in text
    table = pd.read_csv(out / "inovasi.2026.eligibility.csv", dtype=str, keep_default_na=False)
    assert list(table.loc[table["eligible"] == "False", "innovation_id"]) == ["I03", "I07", "I11"]
    assert list(table.loc[table["eligible"] == "False", "values"]) == ["16", "35", "32, 33"]

    assert cli.main([*argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["iid"] == 47.45
    assert (data["eligibility"]["iid_claimed"], data["eligibility"]["iid_eligible"]) == (
        47.45, 42.79)


def test_score_command_gives_the_check_in_indonesian_on_request(tmp_path, capsys):
    spd_path, innovations_path = tmp_path / "spd.csv", tmp_path / "inovasi.csv"
    spd_frame().to_csv(spd_path, index=False)
    thirteen().to_csv(innovations_path, index=False)
    argv = ["score", "--year", "2026", "--spd", str(spd_path), "--innovations",
            str(innovations_path), "--output-dir", str(tmp_path / "out"), "--lang", "id"]
    assert cli.main(argv) == 0
    text = capsys.readouterr().out
    # The same hand-worked figures, in Indonesian words and decimal commas.
    assert "IID 2026 seperti diklaim: 47,45" in text and "42,79" in text
    assert "10 dari 13 inovasi layak; 3 tidak layak." in text
