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
# # Forecast and backtest
#
# A region's published 0..100 series, the forecast of a target year by each model and by the
# default mixture (weights by residual degrees of freedom, over the models the backtest could
# check), the probabilities the report quotes, and how such forecasts fared in the backtests on
# the published panel (rolling origin and leave-one-region-out, with the pooled anchor). Every
# cell calls `iid_analysis` (docs/forecasting.md explains the models).

# %% tags=["parameters"]
region = "Kota Mojokerto"
target_year = 2024
as_of = 2023  # use published figures up to this year
target = 84.47  # an IID to reach
seed = 2024
n_draws = 4000

# %%
from iid_analysis.forecasting.backtest import backtest, backtest_statement
from iid_analysis.forecasting.forecast import forecast_region
from iid_analysis.inputs.published import (
    conflicts,
    not_reported,
    peer_panel,
    region_innovation_counts,
    region_series,
)

region_series(region, as_of=as_of)

# %% [markdown]
# Conflicting published figures (the forecast uses the decree's and reports the other's effect):

# %%
conflicts()

# %% [markdown]
# Published 0s (regions that did not report: not scores, left out of every series) and the
# region's innovation counts:

# %%
not_reported(as_of=as_of)

# %%
region_innovation_counts(region)

# %%
forecast = forecast_region(region, target_year, as_of=as_of, seed=seed, n_draws=n_draws)
forecast.model_table()

# %%
forecast.quantiles

# %%
{"P(IID >= target)": forecast.prob_at_least(target), "P(increase)": forecast.prob_increase(),
 **forecast.prob_predicate()}

# %% [markdown]
# What the numbers leave out:

# %%
list(forecast.notes_in("en"))

# %% [markdown]
# The backtests on the published panel, as of the same year (coverage at 50/80/90 %, interval
# score, CRPS, and each model's interval score over the anchor's), and the PIT histogram:

# %%
checked = backtest(peer_panel(), seed=seed, n_draws=n_draws, as_of=as_of)
checked.summary

# %%
checked.pit_histogram

# %%
backtest_statement(checked)
