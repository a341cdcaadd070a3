"""An indicator is rated by the provenance of the levels a score used, weakest first in the
methodology's order (CONFIRMED > SECONDARY > INFERRED > PROVISIONAL), never by its level 3 or by
the alphabet. The 2023 per-innovation table is CONFIRMED except level 0 (INFERRED); 2026 is
SECONDARY throughout, level 0 INFERRED."""

from __future__ import annotations

import numpy as np
import pytest

from iid_analysis.commands.score import indicator_summary
from iid_analysis.inputs.region import Region
from iid_analysis.messages import render
from iid_analysis.methodology import PROVENANCE_ORDER, load_methodology, weakest
from iid_analysis.report.assumptions import AMBER, GREEN, indicator_assumption, levels_used
from iid_analysis.scoring import score_innovations


def test_the_order_is_the_methodologys():
    assert PROVENANCE_ORDER == ("CONFIRMED", "SECONDARY", "INFERRED", "PROVISIONAL")
    # Alphabetically CONFIRMED < INFERRED < PROVISIONAL < SECONDARY: not the order of strength.
    assert weakest(["CONFIRMED", "SECONDARY"]) == "SECONDARY"


def test_levels_used_decide_the_indicator_flag():
    rules = load_methodology(2023)
    indicator = rules.indicator("16")
    assert (indicator.provenance(0), indicator.provenance(3)) == ("INFERRED", "CONFIRMED")
    assert indicator.provenance_used([3, 3, 2]) == "CONFIRMED"
    assert indicator.provenance_used([0, 3]) == "INFERRED"
    assert indicator.provenance_used([]) == "CONFIRMED"


def test_level_0_inferred_level_3_confirmed_gives_an_inferred_row():
    rules = load_methodology(2023)
    [row] = indicator_assumption(rules, {"16": (0, 3), "17": (3,)})
    assert row.provenance == "INFERRED"
    assert row.quality == AMBER
    assert "16" in render(row.text, "en") and "17" not in render(row.text, "en")
    # Only CONFIRMED levels used: no row at all.
    assert indicator_assumption(rules, {"16": (1, 2, 3)}) == []


def test_secondary_beats_confirmed_not_the_alphabet():
    rules = load_methodology(2026)
    [row] = indicator_assumption(rules, {"16": (3,), "17": (2,)})
    assert row.provenance == "SECONDARY"  # sorted(...)[0] would not reach it from CONFIRMED
    [row] = indicator_assumption(rules, {"16": (3,), "17": (0,)})
    assert row.provenance == "INFERRED"
    assert row.quality != GREEN


def test_levels_used_read_back_from_scores(make_spd, make_innovations):
    rules = load_methodology(2023)
    levels = np.full((3, 20), 3)
    levels[0, 0] = 0  # indicator 16 at level 0 on an accepted innovation
    levels[2, 1] = 0  # indicator 17 at level 0, but only on the rejected one
    innovations = make_innovations(levels, status=["diterima", "diterima", "ditolak"])
    spd = make_spd({"1": 3})
    used = levels_used(Region.from_frames(spd, innovations, rules))
    assert used["16"] == (0, 3)
    assert used["17"] == (3,)
    assert used["1"] == (3,) and used["2a"] == (0,)


@pytest.mark.parametrize(("level_16", "expected"), [(3, "CONFIRMED"), (0, "INFERRED")])
def test_indicator_summary_rates_by_levels_used(make_spd, make_innovations, level_16, expected):
    rules = load_methodology(2023)
    levels = np.full((2, 20), 3)
    levels[1, 0] = level_16
    innovations = make_innovations(levels)
    spd = make_spd({"1": 3})
    table = indicator_summary(spd, score_innovations(innovations, rules), rules, innovations)
    flags = table.set_index("indicator")["provenance"]
    assert flags["16"] == expected
    assert flags["17"] == "CONFIRMED"
    assert flags["1"] == "PROVISIONAL"  # the 2023 SPD table stands in (level 3 used)
