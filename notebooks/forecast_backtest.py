# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python (iid-analysis)
#     language: python
#     name: iid-analysis
# ---

# %% [markdown]
# # Forecast and backtest
#
# A region's published 0..100 series, the forecast of a target year by each model and by the
# ensemble, the probabilities the report quotes, and how such forecasts fared in the
# rolling-origin backtest on the published panel. Every cell calls `iid_analysis`
# (docs/forecasting.md explains the models).

# %% tags=["parameters"]
region = "Kota Mojokerto"
target_year = 2024
as_of = 2023  # use published figures up to this year
target = 84.47  # an IID to reach
seed = 2024
n_draws = 4000

# %%
from iid_analysis.backtest import backtest, backtest_statement
from iid_analysis.forecast import forecast_region
from iid_analysis.published import conflicts, peer_panel, region_series

region_series(region, as_of=as_of)

# %% [markdown]
# Conflicting published figures (the forecast uses the decree's and reports the other's effect):

# %%
conflicts()

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
list(forecast.notes)

# %% [markdown]
# The rolling-origin backtest on the published panel, as of the same year:

# %%
checked = backtest(peer_panel(), seed=seed, n_draws=n_draws, as_of=as_of)
checked.summary

# %%
backtest_statement(checked)
