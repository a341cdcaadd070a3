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
# # Scoring explorer
#
# How a region's IID comes out of its indicator data under one year's rules, step by step:
# the rules and their provenance, the score, each component against its maximum, the
# innovations and indicators, and what a published IID implies about its parts.
# The example data is SYNTHETIC (illustrative). Every cell calls `iid_analysis`.

# %% tags=["parameters"]
year = 2023
spd_file = None  # None: the shipped SYNTHETIC example
innovations_file = None
published_iid = 84.46  # a published IID to decompose (None: none, nothing to decompose)
published_n = 176  # the number of innovations behind it

# %%
from iid_analysis import config, decompose, load_methodology, score_innovations, score_region
from iid_analysis.commands.score import indicator_summary
from iid_analysis.inputs.dataset import load_innovations, load_spd

rules = load_methodology(year)
rules.rules_table()

# %% [markdown]
# Rules that are not CONFIRMED for this year:

# %%
rules.not_confirmed

# %%
spd = load_spd(spd_file or config.EXAMPLE_SPD_FILE, rules)
innovations = load_innovations(innovations_file or config.EXAMPLE_INNOVATIONS_FILE, rules)
result = score_region(spd, innovations, rules)
result.as_dict()

# %% [markdown]
# Per innovation (maturity 0..111) and per indicator (points against the maximum):

# %%
per_innovation = score_innovations(innovations, rules)
per_innovation.sort_values("maturity").head(15)

# %%
indicator_summary(spd, per_innovation, rules, innovations).sort_values("share_of_max")

# %% [markdown]
# What a published IID says about SPD + mean maturity, given the number of innovations:

# %%
(
    decompose(published_iid, published_n, year)
    if published_iid is not None
    else "no published IID given (published_iid = None): nothing to decompose"
)
