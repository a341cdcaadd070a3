"""Cheapest path to a target on the example data, as a ratio to the budget of 3 s per target.

Plans use the shipped default efforts (hari kerja; new innovations as whole median profiles).

The SYNTHETIC Kota Mojokerto example (176 innovations x 20 indicators) for targets 85..99, and a
small region (12 innovations, so up to 188 new ones: the longest outer loop) for the same
targets; plus the Monte Carlo of a plan (2000 draws). Timings are one run each, reported, never
asserted in tests.

Usage: python benchmarks/bench_feasibility.py
"""

from __future__ import annotations

import time

from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE
from iid_analysis.feasibility import cheapest_plan, simulate_plan
from iid_analysis.feasibility.uncertainty import SimulationSettings
from iid_analysis.inputs.dataset import load_innovations, load_spd
from iid_analysis.inputs.region import Region
from iid_analysis.methodology import load_methodology

BUDGET_SECONDS = 3.0
TARGETS = (85.0, 88.0, 90.0, 92.0, 95.0, 97.0, 99.0)


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def report(label, spd, innovations, methodology) -> None:
    print(label)
    worst = 0.0
    for target in TARGETS:
        plan, seconds = timed(
            lambda t=target: cheapest_plan(Region.from_frames(spd, innovations, methodology), t)
        )
        worst = max(worst, seconds)
        print(
            f"  target {target:5.1f}: {seconds:6.2f} s  reached {plan.reached!s:5}  "
            f"effort {plan.total_cost:7.1f}  new {plan.n_new_innovations:3d}  "
            f"actions {len(plan.actions):5d}"
        )
    verdict = "meets" if worst <= BUDGET_SECONDS else "MISSES"
    print(
        f"  worst {worst:.2f} s = {worst / BUDGET_SECONDS:.2f}x the {BUDGET_SECONDS:.0f} s budget "
        f"({verdict})"
    )


def main() -> None:
    methodology = load_methodology(2024)
    spd = load_spd(EXAMPLE_SPD_FILE, methodology)
    innovations = load_innovations(EXAMPLE_INNOVATIONS_FILE, methodology)
    report("example data (176 innovations)", spd, innovations, methodology)

    small = innovations.iloc[:12].copy()
    report("small region (12 innovations, up to 188 new)", spd, small, methodology)

    plan = cheapest_plan(Region.from_frames(spd, innovations, methodology), 92.0)
    result, seconds = timed(
        lambda: simulate_plan(
            Region.from_frames(spd, innovations, methodology),
            plan.actions,
            92.0,
            settings=SimulationSettings(n_draws=2000),
        )
    )
    print(
        f"simulate_plan, 2000 draws, {len(plan.actions)} actions: {seconds:.2f} s "
        f"(P(reach 92) = {result.p_reach:.3f})"
    )


if __name__ == "__main__":
    main()
