"""Verbal probability bands, fixed and documented, in Indonesian (``id``) and English (``en``).

========== ============================== =========================
range      Indonesian                     English
========== ============================== =========================
0-1 %      hampir pasti tidak             almost certainly not
1-10 %     sangat kecil kemungkinannya    very unlikely
10-33 %    kecil kemungkinannya           unlikely
33-67 %    mungkin                        about as likely as not
67-90 %    kemungkinan besar              likely
90-99 %    sangat mungkin                 very likely
99-100 %   hampir pasti                   almost certain
========== ============================== =========================

Edges are symmetric: below one half a band includes its lower edge (1 % is *very unlikely*), above
one half it includes its upper edge (99 % is *very likely*), and 33 % .. 67 % are both *about as
likely as not*, so ``p`` and ``1 - p`` always fall in mirrored bands.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import UsageError

LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class ProbabilityBand:
    """One verbal band: probabilities from ``low`` to ``high`` (see the module docstring)."""

    low: float
    high: float
    id: str
    en: str

    def label(self, lang: str) -> str:
        return self.id if lang == "id" else self.en


PROBABILITY_BANDS: tuple[ProbabilityBand, ...] = (
    ProbabilityBand(0.00, 0.01, "hampir pasti tidak", "almost certainly not"),
    ProbabilityBand(0.01, 0.10, "sangat kecil kemungkinannya", "very unlikely"),
    ProbabilityBand(0.10, 0.33, "kecil kemungkinannya", "unlikely"),
    ProbabilityBand(0.33, 0.67, "mungkin", "about as likely as not"),
    ProbabilityBand(0.67, 0.90, "kemungkinan besar", "likely"),
    ProbabilityBand(0.90, 0.99, "sangat mungkin", "very likely"),
    ProbabilityBand(0.99, 1.00, "hampir pasti", "almost certain"),
)


def probability_band(p: float) -> ProbabilityBand:
    """The band of probability ``p`` (0..1). Raises :class:`UsageError` outside 0..1 or on NaN."""
    try:
        value = float(p)
    except (TypeError, ValueError):
        raise UsageError(f"a probability must be a number in 0..1, got {p!r}") from None
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        raise UsageError(f"a probability must lie in 0..1, got {p}")
    # Round away binary noise so that 0.1 + 0.2 style sums land on the documented edge.
    p = round(value, 12)
    for band in PROBABILITY_BANDS:
        if p < 0.5 and band.low <= p < band.high:
            return band
        if p >= 0.5 and band.low < p <= band.high:
            return band
    # Unreachable: the bands cover 0..1.
    return PROBABILITY_BANDS[3]


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise UsageError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")


def describe_probability(p: float, lang: str = "id") -> str:
    """The verbal band of ``p`` in ``lang`` ("id" or "en"), e.g. 0.95 -> "sangat mungkin"."""
    _check_lang(lang)
    return probability_band(p).label(lang)


def format_probability(p: float, lang: str = "id") -> str:
    """``p`` as a whole percentage with its band, e.g. 0.95 -> "95 % (sangat mungkin)".

    Below 1 % and above 99 % one decimal is kept so that 0.4 % is not printed as 0 %.
    """
    percent = 100.0 * p
    shown = f"{percent:.1f}" if (0 < percent < 1 or 99 < percent < 100) else f"{percent:.0f}"
    return f"{shown} % ({describe_probability(p, lang)})"


def bands_table() -> list[dict[str, object]]:
    """The bands as rows (low, high, id, en) for documentation and reports."""
    return [{"low": b.low, "high": b.high, "id": b.id, "en": b.en} for b in PROBABILITY_BANDS]
