"""The 2026 rule on the 6 urusan wajib pelayanan dasar, and the lever that covers them.

Expected numbers are worked by hand from rules.csv: 20 innovations with every indicator at
level 3 (maturity 111 in the 2023 and 2026 tables), no SPD. Divisor MAX(floor, 20) = 20, mean
maturity 111, count score 0.38 x 20 = 7.6: total 118.6, IID 47.44; without the count score the
total is 111, IID 44.40. The count score is worth 7.6 / 250 x 100 = 3.04 IID points.
"""

from __future__ import annotations

import pandas as pd
import pytest

from iid_analysis.feasibility.maturity_grain import score_maturities
from iid_analysis.feasibility.urusan import urusan_lever
from iid_analysis.inputs.region import Region
from iid_analysis.methodology import BASIC_URUSAN, basic_urusan_in, load_methodology
from iid_analysis.scoring import ASSUMPTION_BASIC_URUSAN_MET, score_region

NUMBERS = [str(n) for n in range(16, 36)]
SIX = [
    "Pendidikan",
    "Kesehatan",
    "PUPR",
    "Perumahan Rakyat dan Kawasan Permukiman",
    "Trantibumlinmas",
    "Sosial",
]
EMPTY_SPD = pd.DataFrame({"indicator": [], "level": []})


def innovations(urusan: list[str] | None, n: int = 20, rejected: tuple[int, ...] = ()):
    """n innovations at level 3 everywhere; ``urusan`` cycled over them (None: no column)."""
    rows = []
    for j in range(n):
        row = {"innovation_id": f"I{j:03d}", "status": "ditolak" if j in rejected else "diterima"}
        if urusan is not None:
            row["urusan"] = urusan[j % len(urusan)]
        row.update(dict.fromkeys(NUMBERS, 3))
        rows.append(row)
    return pd.DataFrame(rows)


def covering(k: int) -> list[str]:
    """The first k basic urusan, then non-basic affairs."""
    return SIX[:k] + ["Pariwisata", "Komunikasi dan Informatika"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PUPR", {"pekerjaan umum dan penataan ruang"}),
        ("Pekerjaan Umum dan Penataan Ruang", {"pekerjaan umum dan penataan ruang"}),
        ("Trantibumlinmas", {BASIC_URUSAN[4]}),
        ("ketentraman dan ketertiban umum", {BASIC_URUSAN[4]}),
        ("KETENTERAMAN, KETERTIBAN UMUM DAN PELINDUNGAN MASYARAKAT", {BASIC_URUSAN[4]}),
        ("perkim", {"perumahan rakyat dan kawasan permukiman"}),
        ("Perumahan Rakyat dan Kawasan Permukiman", {"perumahan rakyat dan kawasan permukiman"}),
        ("Pendidikan; Kesehatan", {"pendidikan", "kesehatan"}),
        ("  sosial ", {"sosial"}),
        ("Kesehatan Hewan", set()),
        ("Pemberdayaan Perempuan dan Perlindungan Anak", set()),
        ("Pariwisata", set()),
        ("", set()),
        (None, set()),
    ],
)
def test_basic_urusan_names_are_matched_tolerantly(text, expected):
    assert basic_urusan_in(text) == expected


def test_min_basic_urusan_rule_and_provenance():
    assert load_methodology(2023).min_basic_urusan is None
    assert load_methodology(2026).min_basic_urusan == 5
    assert load_methodology(2027).min_basic_urusan == 6
    assert load_methodology(2026).provenance("min_basic_urusan") == "SECONDARY"
    assert len(BASIC_URUSAN) == 6


def test_four_of_six_loses_the_count_score_in_2026_only():
    data = innovations(covering(4))
    in_2026 = score_region(EMPTY_SPD, data, load_methodology(2026))
    assert in_2026.basic_urusan_covered == 4
    assert in_2026.count_score == 0.0
    assert in_2026.iid == 44.40
    assert "min_basic_urusan" in in_2026.provisional_rules
    in_2023 = score_region(EMPTY_SPD, data, load_methodology(2023))
    assert in_2023.count_score == pytest.approx(7.6)
    assert in_2023.iid == 47.44
    assert "min_basic_urusan" not in in_2023.provisional_rules


def test_five_of_six_keeps_it_in_2026_and_loses_it_in_2027():
    data = innovations(covering(5))
    assert score_region(EMPTY_SPD, data, load_methodology(2026)).count_score == pytest.approx(7.6)
    assert score_region(EMPTY_SPD, data, load_methodology(2026)).iid == 47.44
    assert score_region(EMPTY_SPD, data, load_methodology(2027)).count_score == 0.0
    all_six = innovations(covering(6))
    assert score_region(EMPTY_SPD, all_six, load_methodology(2027)).count_score == pytest.approx(
        7.6
    )


def test_rejected_innovations_do_not_cover_an_urusan():
    # The urusan cycle over 7 values: reject every innovation given the fifth basic urusan.
    urusan = covering(5)
    fifth = [j for j in range(20) if j % len(urusan) == 4]
    data = innovations(urusan, rejected=tuple(fifth))
    result = score_region(EMPTY_SPD, data, load_methodology(2026))
    assert result.basic_urusan_covered == 4
    assert result.count_score == 0.0


def test_without_an_urusan_column_2026_names_the_unchecked_condition():
    data = innovations(None)
    result = score_region(EMPTY_SPD, data, load_methodology(2026))
    assert result.basic_urusan_covered is None
    assert ASSUMPTION_BASIC_URUSAN_MET in result.provisional_rules
    assert result.count_score == pytest.approx(7.6)
    in_2023 = score_region(EMPTY_SPD, data, load_methodology(2023))
    assert ASSUMPTION_BASIC_URUSAN_MET not in in_2023.provisional_rules


def test_region_object_carries_the_urusan_column():
    methodology = load_methodology(2026)
    data = innovations(covering(4))
    region = Region.from_frames(EMPTY_SPD, data, methodology)
    assert region.score() == score_region(EMPTY_SPD, data, methodology)
    assert region.score().count_score == 0.0


def test_lever_reports_the_whole_count_score():
    methodology = load_methodology(2026)
    data = innovations(covering(4))
    score = score_region(EMPTY_SPD, data, methodology)
    lever = urusan_lever(data, score, methodology)
    assert lever.applies and lever.checked
    assert lever.needed == 1
    assert set(lever.missing) == {BASIC_URUSAN[4], "sosial"}
    assert lever.count_score_at_stake == pytest.approx(0.38 * 20)
    assert lever.iid_value == pytest.approx(0.38 * 20 / 250 * 100)  # 3.04
    assert lever.as_frame()["covered"].sum() == 4


def test_lever_at_the_cap_and_one_away():
    methodology = load_methodology(2026)
    frame = pd.DataFrame(
        {
            "innovation_id": [f"I{j}" for j in range(210)],
            "status": "diterima",
            "urusan": [SIX[j % 5] for j in range(210)],
            "maturity": 100.0,
        }
    )
    score = score_maturities(frame, methodology)
    lever = urusan_lever(frame, score, methodology)
    assert lever.needed == 0 and lever.iid_value == 0.0
    assert lever.one_away
    # MIN(210, 200) x 0.38 = 76 points of total, 30.4 IID points.
    assert lever.count_score_at_stake == pytest.approx(76.0)
    assert lever.iid_at_risk == pytest.approx(0.38 * 200 / 250 * 100)


def test_lever_does_not_apply_before_2026_and_is_unchecked_without_the_column():
    data = innovations(covering(4))
    methodology = load_methodology(2023)
    lever = urusan_lever(data, score_region(EMPTY_SPD, data, methodology), methodology)
    assert not lever.applies and lever.iid_value == 0.0
    no_column = innovations(None)
    methodology = load_methodology(2026)
    lever = urusan_lever(no_column, score_region(EMPTY_SPD, no_column, methodology), methodology)
    assert lever.applies and not lever.checked
    assert lever.count_score_at_stake == pytest.approx(7.6)
