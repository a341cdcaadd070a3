"""The predicate bands a forecast is classified by: which year's, and where they move."""

from __future__ import annotations

import numpy as np

from ..errors import UnknownYearError
from ..methodology import BAND_RULES, Methodology, known_years, load_methodology
from ..scoring import classify


def has_bands(year: int) -> bool:
    """Whether every band rule of ``year`` is known."""
    methodology = load_methodology(year)
    return all(methodology.has(rule) for rule in BAND_RULES)


def bands_year_for(target_year: int) -> int:
    """The year whose predicate bands apply: the target year if its bands are known, else the
    latest earlier year with bands (and the notes say so)."""
    candidates = [y for y in known_years() if y <= target_year and has_bands(y)]
    if not candidates:
        raise UnknownYearError(f"no predicate bands are known for {target_year} or earlier")
    return max(candidates)


def predicate_edges(methodology: Methodology) -> tuple[np.ndarray, tuple[str, ...]]:
    """Lower edges of the predicate intervals (ascending, from 0) and each interval's predicate.

    The labels come from :func:`iid_analysis.scoring.classify` applied to each edge.
    """
    edges = np.array(sorted({0.0, *methodology.bands.values()}))
    return edges, tuple(classify(float(edge), methodology) for edge in edges)


def band_changes(first_year: int, last_year: int) -> list[tuple[int, str, float]]:
    """(year, predicate, new lower edge) for each predicate edge that moves between
    ``first_year`` and ``last_year`` (years whose bands are known)."""
    years = [y for y in known_years() if first_year <= y <= last_year and has_bands(y)]
    changes = []
    for before, after in zip(years[:-1], years[1:], strict=False):
        old, new = load_methodology(before).bands, load_methodology(after).bands
        for predicate, edge in new.items():
            if old.get(predicate) != edge:
                changes.append((after, predicate, float(edge)))
    return changes
