"""The target-feasibility report: parameters, content of each section, the notebook runner,
HTML conversion and batch runs.

A notebook cell is one call: ``ctx = report.build_context(params)`` then
``report.summary_section(ctx)`` and so on (each returns a displayable section). Names load on
first use, so the command line can read parameters without importing the analyses.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "ReportContext": "context",
    "build_context": "context",
    "ReportParams": "params",
    "load_params": "params",
    "slugify": "params",
    "about_section": "sections",
    "assumptions_section": "sections",
    "eligibility_section": "sections",
    "glossary_section": "sections",
    "header": "sections",
    "history_section": "sections",
    "levers_section": "sections",
    "position_section": "sections",
    "projection_section": "sections",
    "scenarios_section": "sections",
    "summary_section": "sections",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
