"""iid-analysis: Indonesia's Indeks Inovasi Daerah (IID), scored, forecast and explained."""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import IIDDataError, IIDError, MethodologyError  # noqa: E402
from .inputs import Region, load_region, read_region  # noqa: E402
from .methodology import Methodology, load_methodology  # noqa: E402
from .scoring import (  # noqa: E402
    RegionScore,
    classify,
    decompose,
    score_innovations,
    score_region,
    score_spd,
)

__all__ = [
    "IIDDataError",
    "IIDError",
    "Methodology",
    "MethodologyError",
    "Region",
    "RegionScore",
    "__version__",
    "classify",
    "decompose",
    "load_methodology",
    "load_region",
    "read_region",
    "score_innovations",
    "score_region",
    "score_spd",
]
