"""The report's sections, each built from a :class:`~iid_analysis.report.context.ReportContext`
by one function, so that every notebook cell is a one-line call. Each returns a
:class:`~iid_analysis.report.markup.Section` (HTML from the package's templates plus the facts
behind it). An analysis that is not available says so plainly; no number is invented.

Modules: :mod:`.common` (shared helpers), :mod:`.front` (header and summary), :mod:`.trend`
(history and projection), :mod:`.position` (position, levers, scenarios), :mod:`.about`
(assumptions, glossary, about), :mod:`.maturity` (the same sections at maturity grain). The grain
was decided where the context was built: the context's grain view
(:class:`~iid_analysis.report.grain.GrainView`) chooses between the two builders of the summary,
the levers and the scenarios; no section tests the grain.
"""

from __future__ import annotations

from .. import assumptions as log
from ..headline import RISK_MIN_SHARE
from ..markup import Section
from .about import about_section, assumption_rows, assumptions_section, glossary_section
from .common import LEVER_ROWS, describe_rules
from .eligibility import eligibility_section
from .front import header
from .front import summary_section as _level_summary
from .maturity import maturity_levers_section, maturity_plan_section, maturity_summary_section
from .position import levers_section as _level_levers
from .position import position_components, position_section
from .position import scenarios_section as _level_scenarios
from .trend import history_section, projection_section

__all__ = [
    "ALL_SECTIONS", "LEVER_ROWS", "RISK_MIN_SHARE", "about_section", "assumption_rows",
    "assumptions_section", "describe_rules", "eligibility_section", "glossary_section", "header",
    "history_section",
    "levers_section", "log", "position_components", "position_section", "projection_section",
    "scenarios_section", "summary_section",
]


def summary_section(ctx) -> Section:
    """1. The headline, the ladder of targets and the risks (the grain's own summary: the
    context's :class:`~iid_analysis.report.grain.GrainView` chooses the builder)."""
    return ctx.grain_view.choose(level=_level_summary, maturity=maturity_summary_section)(ctx)


def levers_section(ctx) -> Section:
    """5. What each lever is worth, one more innovation, and the view by OPD (at the
    context's grain)."""
    return ctx.grain_view.choose(level=_level_levers, maturity=maturity_levers_section)(ctx)


def scenarios_section(ctx) -> Section:
    """6. The scenarios and the cheapest path (at the context's grain)."""
    return ctx.grain_view.choose(level=_level_scenarios, maturity=maturity_plan_section)(ctx)

ALL_SECTIONS = (
    header,
    summary_section,
    history_section,
    projection_section,
    position_section,
    eligibility_section,
    levers_section,
    scenarios_section,
    assumptions_section,
    glossary_section,
    about_section,
)
