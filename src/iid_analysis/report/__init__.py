"""The target-feasibility report: parameters, content of each section, the notebook runner,
HTML conversion and batch runs.

A notebook cell is one call: ``ctx = report.build_context(params)`` then
``report.summary_section(ctx)`` and so on (each returns a displayable section).
"""

from __future__ import annotations

from .context import ReportContext, build_context
from .params import ReportParams, load_params, slugify
from .sections import (
    about_section,
    assumptions_section,
    header,
    history_section,
    levers_section,
    position_section,
    projection_section,
    scenarios_section,
    summary_section,
)

__all__ = [
    "ReportContext",
    "ReportParams",
    "about_section",
    "assumptions_section",
    "build_context",
    "header",
    "history_section",
    "levers_section",
    "load_params",
    "position_section",
    "projection_section",
    "scenarios_section",
    "slugify",
    "summary_section",
]
