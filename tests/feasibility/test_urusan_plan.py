"""The plan covers the missing urusan wajib pelayanan dasar (2026 rule) when that is cheaper.

Hand-worked region (2026 table: indicator 31 is worth 3 points a level, every other indicator at
level 3 adds up to 102; divisor floor 12, 0.38 count points per innovation, max total 250):
20 accepted innovations, every indicator at level 3 except 31 at level 0 (maturity 102 each,
sum 2040), no SPD, urusan cycling over Pendidikan, Kesehatan, PUPR, Perumahan, Pariwisata,
Kominfo: 4 of the 6 basic urusan, so the count score is 0 (2026 asks 5, 2027 all 6). Missing:
ketenteraman, ketertiban umum dan pelindungan masyarakat; sosial.

Costs: a step on 31 costs 1, other per-innovation steps 0 (old innovations are at 3 there),
SPD steps are forbidden, a new innovation costs 6 (its profile: the median, 3 everywhere but 31
at 0, maturity 102). Before: total 2040 / 20 = 102, IID 40.80.

- Without the count score each step on 31 adds 3 / 20 = 0.15 to the total; new innovations
  (maturity 102) do not move the mean. The highest total is 111 (every 31 at level 3): IID 44.40.
- One new innovation covering a missing urusan restores the count score: n = 21,
  total 2142 / 21 + 21 x 0.38 = 102 + 7.98 = 109.98, IID 43.992 -> 43.99 (cost 6).

Targets (an IID rounds half up, so the total must reach 2.5 x (target - 0.005)):
- 41: without: 102 + 0.15 r >= 102.4875 -> r = 4 (cost 4, IID 41.04); with: at least 6. -> 4.
- 42: without: 0.15 r >= 2.9875 -> r = 20 (cost 20); with: k = 1, r = 0, cost 6, IID 43.99.
- 44: without: 0.15 r >= 7.9875 -> r = 54 (cost 54); with k = 1: 3 r / 21 >= 0.0075 -> r = 1,
  cost 7, total 2145 / 21 + 7.98 = 110.1229, IID 44.05 (k = 2 costs 12).
- 45: unreachable without (44.40); with k = 1: 3 r / 21 >= 2.5075 -> r = 18, cost 24,
  total 2196 / 21 + 7.98 = 112.5514, IID 45.02 (k = 2: r = 16, cost 28; k = 3: cost 32).
- 2027, target 45: two new innovations (ketenteraman and sosial): n = 22,
  (2244 + 3 r) / 22 + 8.36 >= 112.4875 -> r = 16, cost 12 + 16 = 28, total 112.5418, IID 45.02.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from iid_analysis.cli import main
from iid_analysis.feasibility import optimize
from iid_analysis.feasibility.actions import (
    KIND_ADD,
    add_innovation,
    apply_actions,
    apply_to_region,
)
from iid_analysis.feasibility.costs import CostTable
from iid_analysis.feasibility.optimize import cheapest_plan, median_profile
from iid_analysis.feasibility.uncertainty import SimulationSettings
from iid_analysis.feasibility.worklist import (
    plan_worklist,
    read_worklist,
    worklist_actions,
    write_worklist,
)
from iid_analysis.inputs.region import Region
from iid_analysis.methodology import BASIC_URUSAN, load_methodology
from iid_analysis.scoring import ASSUMPTION_BASIC_URUSAN_MET, score_region

NUMBERS = [str(n) for n in range(16, 36)]
CYCLE = ["Pendidikan", "Kesehatan", "PUPR", "Perumahan Rakyat dan Kawasan Permukiman",
         "Pariwisata", "Komunikasi dan Informatika"]  # fmt: skip
TRANTIB, SOSIAL = BASIC_URUSAN[4], BASIC_URUSAN[5]
EMPTY_SPD = pd.DataFrame({"indicator": pd.Series([], dtype=str), "level": pd.Series([], dtype=int)})
COSTS = CostTable(
    step=math.inf, add_innovation=6.0, by_indicator={**dict.fromkeys(NUMBERS, 0.0), "31": 1.0}
)


def frame(urusan: list[str] | None = CYCLE, opds=("Bappeda", "Dinas Kesehatan")) -> pd.DataFrame:
    rows = []
    for j in range(20):
        row = {"innovation_id": f"I{j:03d}", "name": f"Inovasi {j}", "opd": opds[j % len(opds)],
               "stage": "penerapan", "status": "diterima"}  # fmt: skip
        if urusan is not None:
            row["urusan"] = urusan[j % len(urusan)]
        row.update(dict.fromkeys(NUMBERS, 3))
        row["31"] = 0
        rows.append(row)
    return pd.DataFrame(rows)


def median_plan(state: Region, target: float, **kwargs):
    """The cheapest plan with the median profile for new innovations (the profile these
    hand-worked cases were built with; the default is the first-year profile)."""
    return cheapest_plan(state, target, new_profile=median_profile(state), **kwargs)


def region(year: int, urusan: list[str] | None = CYCLE, **kwargs) -> Region:
    return Region.from_frames(EMPTY_SPD, frame(urusan, **kwargs), load_methodology(year))


def profile() -> dict[str, int]:
    return {**dict.fromkeys(NUMBERS, 3), "31": 0}


def rescore(plan, year: int, urusan: list[str] | None = CYCLE, strip_urusan: bool = False):
    """Apply the plan's actions with plain pandas (no package code) and score the result."""
    innovations = frame(urusan).set_index("innovation_id")
    added = []
    for action in plan.actions:
        if action.kind == KIND_ADD:
            row = {"innovation_id": action.innovation_id, "name": "baru", "opd": action.opd,
                   "stage": "penerapan", "status": "diterima", **action.levels_dict}  # fmt: skip
            if urusan is not None:
                row["urusan"] = None if strip_urusan else action.urusan
            added.append(row)
        else:
            assert action.innovation_id, "SPD steps are forbidden by the costs"
            assert innovations.at[action.innovation_id, action.indicator] == action.from_level
            innovations.at[action.innovation_id, action.indicator] = action.to_level
    table = pd.concat([innovations.reset_index(), pd.DataFrame(added)], ignore_index=True)
    return score_region(EMPTY_SPD, table, load_methodology(year))


# --- applying an action with an urusan ----------------------------------------------------
def test_one_innovation_tagged_with_a_missing_urusan_restores_the_count_score():
    before = region(2026)
    assert not before.count_allowed
    assert before.score().iid == 40.80
    tagged = apply_to_region(before, [add_innovation("NEW-001", "Bappeda", profile(), "Sosial")])
    assert tagged.count_allowed
    assert tagged.score().count_score == pytest.approx(21 * 0.38)
    assert tagged.score().iid == 43.99
    assert tagged.innovations["urusan"].iloc[-1] == "Sosial"
    untagged = apply_to_region(before, [add_innovation("NEW-001", "Bappeda", profile())])
    assert not untagged.count_allowed
    assert untagged.score().count_score == 0.0
    assert untagged.score().iid == 40.80  # 2142 / 21 = 102
    # A basic urusan already covered does not restore it.
    again = apply_to_region(before, [add_innovation("NEW-001", "Bappeda", profile(), "PUPR")])
    assert again.score().count_score == 0.0


def test_apply_actions_writes_the_urusan_only_into_an_existing_column():
    action = add_innovation("NEW-001", "Bappeda", profile(), "Kesehatan")
    _, with_column = apply_actions(EMPTY_SPD, frame(), [action])
    assert with_column["urusan"].iloc[-1] == "Kesehatan"
    assert with_column["urusan"].iloc[0] == "Pendidikan"
    _, without = apply_actions(EMPTY_SPD, frame(None), [action])
    assert "urusan" not in without.columns  # else the unknown urusan of the rest would fail it


# --- the plan ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("target", "cost", "iid_after", "n_new", "cover"),
    [
        (41.0, 4.0, 41.04, 0, ()),
        (42.0, 6.0, 43.99, 1, (TRANTIB,)),
        (44.0, 7.0, 44.05, 1, (TRANTIB,)),
        (45.0, 24.0, 45.02, 1, (TRANTIB,)),
    ],
)
def test_plan_covers_the_missing_urusan_when_cheaper(target, cost, iid_after, n_new, cover):
    plan = median_plan(region(2026), target, costs=COSTS)
    assert plan.reached
    assert plan.total_cost == pytest.approx(cost)
    assert plan.iid_after == iid_after
    assert plan.n_new_innovations == n_new
    assert plan.urusan_missing == (TRANTIB, SOSIAL)
    assert plan.urusan_cover == cover
    new = [a for a in plan.actions if a.kind == KIND_ADD]
    assert tuple(a.urusan for a in new) == cover
    # Independent recomputation: the actions applied with pandas, scored by score_region.
    rescored = rescore(plan, 2026)
    assert rescored.iid == plan.iid_after == iid_after
    assert rescored.count_score == pytest.approx(0.38 * (20 + n_new) if cover else 0.0)
    assert sum(a.iid_gain for a in plan.actions) == pytest.approx(
        rescored.iid_unrounded - 40.80, abs=1e-9
    )


def test_plan_reaches_a_target_unreachable_without_the_urusan_cover():
    # Without the count score the mean maturity is at most 111: total 111, IID 44.40.
    state = region(2026)
    no_new = median_plan(state, 45.0, costs=COSTS, max_new_innovations=0)
    assert not no_new.reached and no_new.max_iid == 44.40
    plan = median_plan(state, 45.0, costs=COSTS)
    assert plan.reached and plan.iid_after == 45.02
    # The very same actions without the urusan tag stay below the target.
    stripped = rescore(plan, 2026, strip_urusan=True)
    assert stripped.count_score == 0.0
    assert stripped.iid < 45.0


def test_2027_needs_every_urusan_one_new_innovation_each():
    plan = median_plan(region(2027), 45.0, costs=COSTS)
    assert plan.reached
    assert plan.total_cost == pytest.approx(28.0)
    assert plan.iid_after == 45.02
    assert plan.urusan_cover == (TRANTIB, SOSIAL)
    assert sorted(a.urusan for a in plan.actions if a.kind == KIND_ADD) == sorted((TRANTIB, SOSIAL))
    assert rescore(plan, 2027).iid == 45.02


def test_a_new_innovation_for_an_urusan_goes_to_the_opd_named_for_it():
    opds = ("Bappeda", "Dinas Sosial")
    state = region(2027, opds=opds)
    plan = median_plan(state, 45.0, costs=COSTS)
    by_urusan = {a.urusan: a.opd for a in plan.actions if a.kind == KIND_ADD}
    assert by_urusan[SOSIAL] == "Dinas Sosial"
    given = median_plan(state, 45.0, costs=COSTS, new_opds=["Bappeda"])
    assert {a.opd for a in given.actions if a.kind == KIND_ADD} == {"Bappeda"}


def test_2023_plan_is_unchanged_by_the_urusan_column():
    for target in (44.0, 45.0):
        with_column = median_plan(region(2023), target, costs=COSTS)
        without = median_plan(region(2023, urusan=None), target, costs=COSTS)
        assert with_column.actions == without.actions
        assert with_column.total_cost == without.total_cost
        assert with_column.iid_after == without.iid_after
        assert with_column.urusan_missing == with_column.urusan_cover == ()
        assert all(a.urusan is None for a in with_column.actions)
    # 2023 by hand: total 102 + 7.6 = 109.6 (IID 43.84); 45 needs 0.15 r >= 2.8875 -> r = 20.
    plan = median_plan(region(2023), 45.0, costs=COSTS)
    assert plan.total_cost == pytest.approx(20.0) and plan.iid_after == 45.04


def test_without_an_urusan_column_2026_plans_as_before_and_names_the_assumption():
    plan = median_plan(region(2026, urusan=None), 45.0, costs=COSTS)
    assert plan.iid_before == 43.84  # the count score is kept: (102 + 7.6) / 2.5
    assert plan.total_cost == pytest.approx(20.0) and plan.iid_after == 45.04
    assert ASSUMPTION_BASIC_URUSAN_MET in plan.provisional_rules
    assert plan.urusan_missing == plan.urusan_cover == ()
    assert all(a.urusan is None for a in plan.actions)


def test_no_extra_search_when_the_rule_is_met_or_absent(monkeypatch):
    calls = []
    solve = optimize._solve

    def counted(*args, **kwargs):
        calls.append(1)
        return solve(*args, **kwargs)

    monkeypatch.setattr(optimize, "_solve", counted)
    met = CYCLE[:4] + [TRANTIB, "Pariwisata"]  # 5 of 6: met in 2026
    counts = {}
    for key, state in (("2023", region(2023)), ("met", region(2026, urusan=met)),
                       ("missed", region(2026))):  # fmt: skip
        calls.clear()
        median_plan(state, 44.0, costs=COSTS, max_new_innovations=3)
        counts[key] = len(calls)
    assert counts["met"] == counts["2023"]
    assert counts["missed"] > counts["met"]


# --- the worklist and the CLI --------------------------------------------------------------
def test_worklist_names_the_urusan_a_new_innovation_must_cover(tmp_path):
    state = region(2026)
    plan = median_plan(state, 44.0, costs=COSTS)
    worklist = plan_worklist(state, plan)
    new = worklist[worklist["levels"] != ""]
    assert list(new["urusan"]) == [TRANTIB]
    assert new["evidence_needed"].iloc[0].startswith(f"Urusan {TRANTIB} wajib dicakup")
    assert TRANTIB in new["task"].iloc[0]
    assert (worklist.loc[worklist["levels"] == "", "urusan"] == "").all()
    english = plan_worklist(state, plan, lang="en")
    needed = english.loc[english["urusan"] != "", "evidence_needed"].iloc[0]
    assert f"The urusan {TRANTIB} must be covered" in needed
    written = write_worklist(tmp_path / "aksi.xlsx", state, plan)
    header = written[1].read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "Urusan" in header
    back = worklist_actions(read_worklist(written[1]))
    assert [a.urusan for a in back if a.kind == KIND_ADD] == [TRANTIB]
    assert apply_to_region(state, back).score().iid == plan.iid_after


def test_plan_command_prints_and_writes_the_urusan_to_cover(tmp_path, capsys):
    spd = tmp_path / "spd.csv"
    innovations = tmp_path / "inovasi.csv"
    costs = tmp_path / "biaya.csv"
    numbers = load_methodology(2026).spd_numbers  # every SPD indicator at level 0
    pd.DataFrame({"indicator": numbers, "level": 0}).to_csv(spd, index=False)
    frame().to_csv(innovations, index=False)
    rows = ["kind,indicator,cost", "raise_level,,inf", "add_innovation,,6"]
    rows += [f"raise_level,{n},{1 if n == '31' else 0}" for n in NUMBERS]
    costs.write_text("\n".join(rows) + "\n", encoding="utf-8")
    worklist = tmp_path / "aksi.csv"
    # A plan made in mid-2025: its new innovations are implemented inside the 2026 rules'
    # eligibility window (2024-2025), so they count (made later, the plan creates none).
    code = main(["plan", "--year", "2026", "--spd", str(spd), "--innovations", str(innovations),
                 "--costs", str(costs), "--target", "44", "--worklist", str(worklist),
                 "--as-of-date", "2025-06-01", "--entry-year", "2026"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "target 44.00: reached" in out
    assert "urusan rule not met" in out
    assert f"urusan: {TRANTIB}" in out
    table = pd.read_csv(worklist, dtype=str, keep_default_na=False)
    assert list(table.loc[table["Urusan"] != "", "Urusan"]) == [TRANTIB]


# --- the urusan rule in the plan's simulation ------------------------------------------------
def test_a_draw_that_does_not_count_an_innovation_loses_its_urusan():
    """I000 alone covers sosial (the 5th basic urusan) and is still inisiatif. Counted:
    n 20, 2040 / 20 + 20 x 0.38 = 109.6, IID 43.84. Under the variant that does not count early
    stages: n 19, 1938 / 19 = 102 and only 4 urusan, count score 0: IID 40.80 (not 43.69, the
    IID with the count score of 19)."""
    from iid_analysis.feasibility.uncertainty import simulate_plan

    table = frame()
    table.loc[0, ["urusan", "stage"]] = [SOSIAL, "inisiatif"]
    state = Region.from_frames(EMPTY_SPD, table, load_methodology(2026))
    assert state.count_allowed and state.score().iid == 43.84
    counted = simulate_plan(
        state,
        (),
        43.0,
        settings=SimulationSettings(
            n_draws=50, stage_weights={"counted": 1.0}, rejected_weights={"counted": 1.0}
        ),
    )
    assert (counted.draws["iid"] == 43.84).all()
    dropped = simulate_plan(
        state,
        (),
        43.0,
        settings=SimulationSettings(
            n_draws=50, stage_weights={"not_counted": 1.0}, rejected_weights={"counted": 1.0}
        ),
    )
    assert (dropped.draws["iid"] == 40.80).all()
    assert dropped.p_reach == 0.0
