"""iid-analysis: Indonesia's Indeks Inovasi Daerah (IID), scored, forecast and explained."""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "IIDDataError": "errors",
    "IIDError": "errors",
    "MethodologyError": "errors",
    "Region": "inputs",
    "load_region": "inputs",
    "read_region": "inputs",
    "Methodology": "methodology",
    "load_methodology": "methodology",
    "RegionScore": "scoring",
    "classify": "scoring",
    "decompose": "scoring",
    "score_innovations": "scoring",
    "score_region": "scoring",
    "score_spd": "scoring",
}
"""Each public name and the module it comes from. Names load on first use, so that the command
line (``iid-analysis``, a module of this package) starts without importing the readers, the
scoring and the spreadsheet writer it does not need: ``from iid_analysis import Region`` and
``iid_analysis.score_region`` work as before."""

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
