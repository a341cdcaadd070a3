"""docs/feasibility.md's example figures, read from the doc and recomputed, so the doc cannot
drift from what the package says (the forecast figures are pinned elsewhere)."""

from __future__ import annotations

import re

import pytest

from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE, PROJ_ROOT
from iid_analysis.feasibility import (
    break_even_maturity,
    cheapest_plan,
    plan_for_probability,
    simulate_plan,
)
from iid_analysis.feasibility.uncertainty import SimulationSettings
from iid_analysis.inputs import load_region
from iid_analysis.methodology import load_methodology


def _feasibility_text() -> str:
    doc = (PROJ_ROOT / "docs" / "feasibility.md").read_text(encoding="utf-8")
    section = doc.split("\n## The example's figures", 1)[1].split("\n## ", 1)[0]
    return " ".join(section.split())  # one line: figures may wrap


def _figure(pattern: str) -> float:
    match = re.search(pattern, _feasibility_text())
    assert match, f"docs/feasibility.md's example figures no longer say {pattern!r}"
    return float(match.group(1))


@pytest.fixture(scope="module")
def example():
    return load_region(load_methodology(2024), EXAMPLE_SPD_FILE, EXAMPLE_INNOVATIONS_FILE)


def test_break_even_maturity(example):
    stated = _figure(r"mean maturity - 0\.38 × \(n \+ 1\), (\d+\.\d) on the example")
    score = example.score()
    # Independently: 14,832 / 176 - 0.38 x 177 (data/raw/README.md), 17.01.
    assert score.mean_maturity - 0.38 * (score.n_innovations + 1) == pytest.approx(17.0127, 1e-4)
    assert round(break_even_maturity(example), 1) == stated


@pytest.mark.slow
def test_cheapest_plan_is_fragile_and_the_robust_plan_target(example):
    text = _feasibility_text()
    assert "the shipped efforts, seed 0" in text and "reaches 90 in almost no draws" in text
    stated_effort = _figure(r"the plan for 90 \((\d+) hari kerja")
    stated_new = _figure(r"hari kerja, (\d+) new innovations\) reaches 90")
    stated_target = _figure(r"reaching (\d+) with 80 % probability")
    stated = _figure(r"80 % probability needs a plan for about (\d+(?:\.\d)?)")
    stated_robust_effort = _figure(r"needs a plan for about \d+(?:\.\d)? \((\d+) hari kerja\)")
    assert "90 with 80 % probability is beyond every plan of action steps" in text
    plan = cheapest_plan(example, 90)
    assert plan.reached and plan.iid_after == 90.0
    assert (plan.total_cost, plan.n_new_innovations) == (stated_effort, stated_new)
    settings = SimulationSettings(seed=0)
    assert simulate_plan(example, plan.actions, 90, settings, plan.evidence).p_reach < 0.01
    robust = plan_for_probability(example, stated_target, probability=0.8, settings=settings)
    assert robust.reached and robust.uncertainty.p_reach >= 0.8
    assert round(robust.planning_target * 2) / 2 == stated  # "about": to the nearest half point
    assert robust.plan.total_cost == stated_robust_effort
    assert not plan_for_probability(example, 90, probability=0.8, settings=settings).reached
