"""docs/forecasting.md's figures for the example are what the package says (pinned, not copied)."""

from __future__ import annotations

import re

import pytest

from iid_analysis.config import PROJ_ROOT
from iid_analysis.forecasting.forecast import forecast_region
from iid_analysis.wording import describe_probability

DOC = PROJ_ROOT / "docs" / "forecasting.md"
PATTERN = re.compile(
    r"For the example, as of (?P<as_of>\d{4}) \(seed (?P<seed>\d+)\): median (?P<median>[\d.]+), "
    r"80 % interval (?P<low>[\d.]+)-(?P<high>[\d.]+),\s+P\(IID ≥ (?P<target>[\d.]+)\) = "
    r"(?P<p>\d+) % \(\*(?P<band>[^*]+)\*\)"
)


@pytest.fixture(scope="module")
def stated():
    if not DOC.is_file():
        pytest.skip("docs/ is not beside the package (installed elsewhere)")
    match = PATTERN.search(DOC.read_text(encoding="utf-8"))
    assert match, "docs/forecasting.md no longer states the example's figures"
    return match.groupdict()


def test_doc_forecast_figures_are_what_forecast_region_gives(stated):
    forecast = forecast_region(
        "Kota Mojokerto", 2024, as_of=int(stated["as_of"]), seed=int(stated["seed"])
    )
    q = forecast.quantiles
    assert f"{forecast.median:.1f}" == stated["median"]
    assert (f"{q[0.10]:.1f}", f"{q[0.90]:.1f}") == (stated["low"], stated["high"])
    p = forecast.prob_at_least(float(stated["target"]))
    assert f"{100 * p:.0f}" == stated["p"]
    assert describe_probability(p, "id") == stated["band"]


def test_readme_names_the_default_models_and_the_anchor(stated):
    text = DOC.read_text(encoding="utf-8")
    forecast = forecast_region("Kota Mojokerto", 2024, n_draws=500)
    for name in (*forecast.components, "pooled"):
        assert f"`{name}`" in text
