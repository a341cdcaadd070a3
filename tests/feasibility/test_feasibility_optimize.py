"""The cheapest path to a target against brute force on small inputs, and its re-scoring.

The brute force enumerates every final level of every raisable cell and every number of new
innovations (each a whole profile at its creation cost), scoring with the formula written out
here from the methodology README (total = SPD + S / MAX(10, n) + MIN(n, 200) x 0.38;
IID = total / 250 x 100, half up to two decimals) and the hand-typed 2023 weights; it shares
no code with the integer program.
"""

from __future__ import annotations

import itertools
import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest

from iid_analysis.feasibility.actions import apply_actions
from iid_analysis.feasibility.costs import CostTable
from iid_analysis.feasibility.effort import EffortModel
from iid_analysis.feasibility.optimize import cheapest_plan, final_levels, median_profile
from iid_analysis.inputs.region import Region
from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import score_region

SPD_NUMBERS = load_methodology(2023).spd_numbers
INNOVATION_NUMBERS = tuple(str(n) for n in range(16, 36))
COSTS = CostTable(
    step=math.inf, add_innovation=3.0, by_indicator={"6": 2.5, "12": 1.2, "31": 0.7, "35": 1.0}
)
# A new innovation's profile: level 2 on 31 and 1 on 35 (6 + 4 = 10 maturity points); with COSTS
# it costs 3 + 2 x 0.7 + 1 x 1.0 = 5.4 as a whole.
PROFILE = {"31": 2, "35": 1}


def published(total: float) -> float:
    iid = float(total) / 250 * 100
    return float(Decimal(repr(round(iid, 9))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def brute_force(spd_levels, levels, rejected, weights, costs, max_new, profile=PROFILE,
                cell_cost=None):  # fmt: skip
    """(cheapest cost reaching each target, as a function) by full enumeration.

    ``cell_cost(row, indicator)`` gives a per-innovation step cost (default the indicator's).
    """
    spd_w, inn_w = weights["spd"], weights["innovation"]
    cell_cost = cell_cost or (lambda row, k: costs.step_cost(k))
    spd_total = sum(spd_w[k] * v for k, v in spd_levels.items())
    maturity_sum = sum(
        sum(inn_w[k] * lv for k, lv in zip(INNOVATION_NUMBERS, row, strict=True))
        for row, rej in zip(levels, rejected, strict=True)
        if not rej
    )
    cells = []  # (spd?, weight, from level, step cost)
    for k, v in spd_levels.items():
        if math.isfinite(costs.step_cost(k)) and v < 3:
            cells.append((True, spd_w[k], v, costs.step_cost(k)))
    for r, (row, rej) in enumerate(zip(levels, rejected, strict=True)):
        for k, v in zip(INNOVATION_NUMBERS, row, strict=True):
            if not rej and math.isfinite(cell_cost(r, k)) and v < 3:
                cells.append((False, inn_w[k], v, cell_cost(r, k)))
    new_maturity = sum(inn_w[k] * lv for k, lv in profile.items())
    new_cost = costs.levels_cost({k: profile.get(k, 0) for k in INNOVATION_NUMBERS})
    outcomes = []  # (total, cost)
    n = len(levels)
    for finals in itertools.product(*[range(c[2], 4) for c in cells]):
        d_spd = sum(c[1] * (f - c[2]) for c, f in zip(cells, finals, strict=True) if c[0])
        d_mat = sum(c[1] * (f - c[2]) for c, f in zip(cells, finals, strict=True) if not c[0])
        step_cost = sum(c[3] * (f - c[2]) for c, f in zip(cells, finals, strict=True))
        for k in range(max_new + 1 if math.isfinite(new_cost) else 1):
            total = (
                spd_total
                + d_spd
                + (maturity_sum + d_mat + k * new_maturity) / max(10, n + k)
                + min(n + k, 200) * 0.38
            )
            outcomes.append((total, step_cost + k * new_cost))
    totals = np.array([o[0] for o in outcomes])
    spent = np.array([o[1] for o in outcomes])
    iids = np.array([published(t) for t in totals])

    def cheapest(target):
        ok = iids >= target
        return float(spent[ok].min()) if ok.any() else None

    cheapest.achievable = np.unique(iids)
    return cheapest, float(iids.max())


def small_region(make_spd, make_innovations, n_innovations, raisable):
    """All indicators at 3 except: SPD 6 at 1 and 12 at 2; everything at 2 on the innovations,
    with 31 and 35 at 3 except on the first ``raisable`` rows (levels below 3 there); the last
    innovation rejected."""
    spd = {k: 3 for k in SPD_NUMBERS}
    spd.update({"6": 1, "12": 2})
    levels = np.full((n_innovations, 20), 2)
    levels[:, 15] = 3
    levels[:, 19] = 3
    pattern = [(0, 1), (2, 3), (1, 2)]
    for r in range(raisable):
        levels[r, 15], levels[r, 19] = pattern[r % len(pattern)]
    rejected = [False] * (n_innovations - 1) + [True]
    levels[-1, 15], levels[-1, 19] = 0, 0
    innovations = make_innovations(
        levels, status=["ditolak" if r else "diterima" for r in rejected]
    )
    return spd, levels, rejected, make_spd(spd), innovations


@pytest.mark.parametrize(
    ("n_innovations", "raisable", "max_new"),
    [(3, 2, 2), (12, 2, 2), (199, 2, 2)],
    ids=["below-floor", "above-floor", "across-cap"],
)
def test_cheapest_plan_equals_brute_force(
    make_spd, make_innovations, methodology_2023, weights_2023, n_innovations, raisable, max_new
):
    spd_levels, levels, rejected, spd, innovations = small_region(
        make_spd, make_innovations, n_innovations, raisable
    )
    cheapest, best_iid = brute_force(spd_levels, levels, rejected, weights_2023, COSTS, max_new)
    before = score_region(spd, innovations, methodology_2023).iid
    targets = sorted({round(before + step, 2) for step in np.linspace(0.01, best_iid - before, 9)})
    targets += [before, round(best_iid + 0.01, 2)]
    for target in targets:
        plan = cheapest_plan(
            Region.from_frames(spd, innovations, methodology_2023),
            target,
            costs=COSTS,
            max_new_innovations=max_new,
            new_profile=PROFILE,
        )
        expected = cheapest(target)
        assert plan.max_iid == pytest.approx(best_iid)
        if expected is None:
            assert not plan.reached and plan.actions == ()
            continue
        assert plan.reached, target
        assert plan.total_cost == pytest.approx(expected), target
        spd_after, innovations_after = apply_actions(spd, innovations, plan.actions)
        rescored = score_region(spd_after, innovations_after, methodology_2023)
        assert rescored.iid == plan.iid_after >= target
        assert sum(a.iid_gain for a in plan.actions) == pytest.approx(
            rescored.iid_unrounded - plan.score_before.iid_unrounded
        )


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_small_cases_at_achievable_targets(
    make_spd, make_innovations, methodology_2023, weights_2023, seed
):
    """Random levels and costs; targets exactly at IIDs some plan reaches (the tight cases)."""
    rng = np.random.default_rng(seed)
    n_innovations = int(rng.choice([4, 11, 198]))
    spd_levels, levels, rejected, _, _ = small_region(make_spd, make_innovations, n_innovations, 0)
    spd_levels["12"] = int(rng.integers(0, 3))
    levels[:2, 15] = rng.integers(0, 4, size=2)
    levels[:2, 19] = rng.integers(0, 4, size=2)
    spd = make_spd(spd_levels)
    innovations = make_innovations(
        levels, status=["ditolak" if r else "diterima" for r in rejected]
    )
    costs = CostTable(
        step=math.inf,
        add_innovation=float(rng.choice([0.5, 2.0, 6.0])),
        by_indicator={k: float(rng.choice([0.3, 1.0, 1.7])) for k in ("12", "31", "35")},
    )
    cheapest, _ = brute_force(spd_levels, levels, rejected, weights_2023, costs, 2)
    targets = rng.choice(cheapest.achievable, size=min(6, len(cheapest.achievable)), replace=False)
    for target in sorted(float(t) for t in targets):
        plan = cheapest_plan(
            Region.from_frames(spd, innovations, methodology_2023),
            target,
            costs=costs,
            max_new_innovations=2,
            new_profile=PROFILE,
        )
        assert plan.reached and plan.iid_after >= target
        assert plan.total_cost == pytest.approx(cheapest(target)), (seed, target)


def test_already_reached_costs_nothing(make_spd, make_innovations, methodology_2023):
    _, _, _, spd, innovations = small_region(make_spd, make_innovations, 12, 2)
    before = score_region(spd, innovations, methodology_2023).iid
    plan = cheapest_plan(Region.from_frames(spd, innovations, methodology_2023), before)
    assert plan.reached and plan.actions == () and plan.total_cost == 0


def test_infeasible_target_is_reported(make_spd, make_innovations, methodology_2023):
    _, _, _, spd, innovations = small_region(make_spd, make_innovations, 12, 2)
    plan = cheapest_plan(
        Region.from_frames(spd, innovations, methodology_2023),
        99.0,
        costs=COSTS,
        max_new_innovations=0,
    )
    assert not plan.reached
    assert plan.actions == () and plan.total_cost == 0
    assert plan.iid_after == plan.iid_before
    assert "no plan" in plan.message and plan.max_iid < 99.0
    assert plan.as_json()["reached"] is False


def test_budget_below_the_cheapest_plan(make_spd, make_innovations, methodology_2023):
    _, _, _, spd, innovations = small_region(make_spd, make_innovations, 12, 2)
    before = score_region(spd, innovations, methodology_2023).iid
    free = cheapest_plan(
        Region.from_frames(spd, innovations, methodology_2023), before + 0.5, costs=COSTS
    )
    assert free.reached and free.total_cost > 1
    capped = cheapest_plan(
        Region.from_frames(spd, innovations, methodology_2023),
        before + 0.5,
        costs=COSTS,
        budget=free.total_cost - 0.5,
    )
    assert not capped.reached and "budget" in capped.message


def test_final_levels_keeps_counts_nested():
    current = np.array([0, 2, 1, 0, 3])
    # want 5 at >= 0, 4 at >= 1, 3 at >= 2, 2 at >= 3
    after = final_levels(current, np.array([5, 4, 3, 2]))
    assert (after >= current).all()
    assert [(after >= s).sum() for s in range(4)] == [5, 4, 3, 2]


def test_provisional_rules_are_carried(make_spd, make_innovations):
    methodology = load_methodology(2024)
    _, _, _, spd, innovations = small_region(make_spd, make_innovations, 12, 2)
    plan = cheapest_plan(Region.from_frames(spd, innovations, methodology), 60.0)
    assert "count_cap" in plan.provisional_rules and "indicators" in plan.provisional_rules


def test_default_profile_is_the_median_penerapan_innovation(make_innovations, make_spd):
    methodology = load_methodology(2023)
    levels = np.full((5, 20), 1)
    levels[:, 19] = [0, 3, 1, 2, 3]  # indicator 35 (weight 4) sets the maturity order
    levels[4, 0] = 3  # the most mature, and uji coba: not in the pool
    innovations = make_innovations(
        levels, stage=["penerapan"] * 4 + ["uji coba"], status=["diterima"] * 4 + ["diterima"]
    )
    region = Region.from_frames(make_spd({"1": 1}), innovations, methodology)
    # penerapan maturities: rows 0..3 have 35 at 0, 3, 1, 2: lower median is row 2 (35 at 1).
    assert median_profile(region) == dict(zip(INNOVATION_NUMBERS, levels[2].tolist(), strict=True))


def test_per_opd_efforts_equal_brute_force(make_spd, make_innovations, methodology_2023,
                                           weights_2023):  # fmt: skip
    """Efforts that differ by OPD (two cost classes) and by innovation (a third) stay exact."""
    spd_levels, levels, rejected, spd, innovations = small_region(make_spd, make_innovations, 5, 3)
    opds = ["Dinas A", "Dinas B", "Dinas A", "Dinas B", "Dinas A"]
    innovations["opd"] = opds
    base = {"12": 1.2, "31": 0.7, "35": 1.0}
    by_opd = {("Dinas B", "35"): 0.3, ("Dinas B", "31"): 2.5}
    by_innovation = {("INV-003", "31"): 0.2}
    model = EffortModel(
        step=math.inf, add_innovation=4.0, by_indicator=base, by_opd=by_opd,
        by_innovation=by_innovation,
    )  # fmt: skip

    def cell_cost(row, indicator):
        identifier = f"INV-{row + 1:03d}"
        if (identifier, indicator) in by_innovation:
            return by_innovation[(identifier, indicator)]
        return by_opd.get((opds[row], indicator), base.get(indicator, math.inf))

    cheapest, best_iid = brute_force(
        spd_levels, levels, rejected, weights_2023, model, 2, cell_cost=cell_cost
    )
    assert model.levels_cost(PROFILE) == 4.0  # a whole innovation, not a bundle of steps
    achievable = sorted(float(t) for t in cheapest.achievable)
    for target in achievable[1 :: max(len(achievable) // 8, 1)]:
        plan = cheapest_plan(
            Region.from_frames(spd, innovations, methodology_2023), target, costs=model,
            max_new_innovations=2, new_profile=PROFILE,
        )  # fmt: skip
        assert plan.reached and plan.total_cost == pytest.approx(cheapest(target)), target
        spd_after, innovations_after = apply_actions(spd, innovations, plan.actions)
        assert score_region(spd_after, innovations_after, methodology_2023).iid == plan.iid_after


@pytest.fixture()
def example_region(example_spd_path, example_innovations_path):
    from iid_analysis.inputs import load_region
    from iid_analysis.methodology import load_methodology

    return load_region(load_methodology(2023), example_spd_path, example_innovations_path)


def test_apply_to_region_gives_what_apply_actions_gives_on_the_tables(example_region):
    """The array path of apply_to_region against the table path of apply_actions, on a real
    plan (SPD steps, raises, new innovations, and a raise on a new innovation)."""
    from iid_analysis.feasibility.actions import apply_actions, apply_to_region, raise_level
    from iid_analysis.inputs.region import Region

    plan = cheapest_plan(example_region, 90.0)
    new_ids = [a.innovation_id for a in plan.actions if a.kind == "add_innovation"]
    assert new_ids and any(a.kind == "raise_level" for a in plan.actions)
    new = next(a for a in plan.actions if a.innovation_id == new_ids[0])
    zero = next(
        n for n in example_region.methodology.innovation_numbers if new.levels_dict.get(n, 0) == 0
    )
    spd_number, spd_level = next(
        (n, int(v))
        for n, v in zip(
            example_region.methodology.spd_numbers, example_region.spd_levels, strict=True
        )
        if v < 3
    )
    actions = (
        raise_level(spd_number, spd_level, spd_level + 1),
        *plan.actions,
        raise_level(zero, 0, 1, new_ids[0]),
    )
    fast = apply_to_region(example_region, actions)
    spd, innovations = apply_actions(example_region.spd, example_region.innovations, actions)
    slow = Region.from_frames(spd, innovations, example_region.methodology)
    assert (fast.levels == slow.levels).all()
    assert (fast.spd_levels == slow.spd_levels).all()
    assert fast.ids == slow.ids
    assert fast.score().iid_unrounded == pytest.approx(slow.score().iid_unrounded)
