# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (iid-analysis)
#     language: python
#     name: iid-analysis
# ---

# %% [markdown]
# # Scenario lab
#
# What the city's own actions would do to its IID: the value of one step of each lever, the
# city's scenarios alone and together, the cheapest path to a target and how sure it is, and each
# OPD's part. The example data is SYNTHETIC (illustrative). Every cell calls `iid_analysis`
# (docs/feasibility.md explains the model). Change the scenarios in the parameters cell.

# %% tags=["parameters"]
rules_year = 2024
spd_file = None  # None: the shipped SYNTHETIC example
innovations_file = None
target = 90.0
new_innovation_maturity = 84
maturity_goal = 105
replicated_innovations = 40
seed = 2024
n_draws = 1000

# %%
from iid_analysis import config, load_methodology, score_region
from iid_analysis.inputs.dataset import load_innovations, load_spd
from iid_analysis.feasibility import (
    MaturityUpgrade,
    MeetEveryIndicator,
    OneOpdMoreThanOne,
    ReachCount,
    Replication,
    break_even_maturity,
    cheapest_plan,
    level_up_values,
    new_innovation_values,
    opd_summary,
    run_scenarios,
    simulate_plan,
)
from iid_analysis.feasibility.uncertainty import SimulationSettings
from iid_analysis.inputs.region import Region

rules = load_methodology(rules_year)
spd = load_spd(spd_file or config.EXAMPLE_SPD_FILE, rules)
innovations = load_innovations(innovations_file or config.EXAMPLE_INNOVATIONS_FILE, rules)
score_region(spd, innovations, rules)

# %% [markdown]
# One step of each lever, largest IID gain first:

# %%
region = Region.from_frames(spd, innovations, rules)
level_up_values(region).head(15)

# %%
new_innovation_values(region, maturities=[111, 100, 90, 60, 30])

# %%
break_even_maturity(region)

# %% [markdown]
# The city's scenarios, applied in order:

# %%
scenarios = [
    ReachCount(200, new_innovation_maturity),
    OneOpdMoreThanOne(new_innovation_maturity),
    Replication(replicated_innovations),
    MaturityUpgrade(maturity_goal),
    MeetEveryIndicator(),
]
result = run_scenarios(region, scenarios)
result.steps

# %% [markdown]
# The cheapest path to the target, and how often it reaches it when the verifier refuses some
# evidence and the unknown rules vary:

# %%
plan = cheapest_plan(region, target)
plan.actions_table().head(20)

# %%
settings = SimulationSettings(n_draws=n_draws, seed=seed)
simulate_plan(region, plan.actions, target, settings, plan.evidence).by_variant

# %%
opd_summary(region, plan_actions=plan.actions).head(15)
