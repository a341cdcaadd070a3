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
# # IID target feasibility report
#
# The report a city's leadership reads (run `iid-analysis report`, which executes this
# notebook with papermill and converts it to HTML without code). Every cell calls the library
# (`iid_analysis.report`); no function is defined here. Change the parameters in the next cell
# and run all cells to explore another region, year or target. Markdown cells (like this one)
# are notes for researchers and are left out of the HTML.

# %% tags=["parameters"]
region = "Kota Mojokerto"
target_year = 2024
target = None  # None: higher than the last published IID
as_of_date = None  # YYYY-MM-DD: the report made as if on that date (None: today)
published_scores = None  # None: the shipped data/raw files
innovation_counts = None
spd = None
innovations = None
indicator_year = None  # rules year of the indicator data (None: target_year - 1)
lang = "id"
seed = 2024
n_draws = 4000
maturity_goal = None  # the city's maturity goal per innovation, e.g. 105 (None: no such scenario)
issuing_unit = None  # the unit issuing the report, e.g. "Bappedalitbang Kota Mojokerto"
history = None  # the region's own IID history: CSV year,iid,source (None: the published data)

# %%
from iid_analysis import report

params = report.ReportParams(
    region=region, target_year=target_year, target=target, as_of_date=as_of_date,
    published_scores=published_scores, innovation_counts=innovation_counts, spd=spd,
    innovations=innovations, indicator_year=indicator_year, lang=lang, seed=seed,
    n_draws=n_draws, maturity_goal=maturity_goal, issuing_unit=issuing_unit, history=history,
)

# %%
ctx = report.build_context(params)
report.header(ctx)

# %% [markdown]
# ## 1. Executive summary

# %%
report.summary_section(ctx)

# %% [markdown]
# ## 2. Published history

# %%
report.history_section(ctx)

# %% [markdown]
# ## 3. Projection

# %%
report.projection_section(ctx)

# %% [markdown]
# ## 4. Current score position

# %%
report.position_section(ctx)

# %% [markdown]
# ## Claimed and eligible

# %%
report.eligibility_section(ctx)

# %% [markdown]
# ## 5. Levers

# %%
report.levers_section(ctx)

# %% [markdown]
# ## 6. Scenarios and the cheapest path

# %%
report.scenarios_section(ctx)

# %% [markdown]
# ## 7. Assumptions and limitations

# %%
report.assumptions_section(ctx)

# %% [markdown]
# ## Glossary

# %%
report.glossary_section(ctx)

# %% [markdown]
# ## 8. About this report

# %%
report.about_section(ctx)
