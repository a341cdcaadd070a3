"""How numbers, percentages, probabilities and their verbal bands are written, in Indonesian
(``id``) and English (``en``): the one presentation layer of the package (the report's
:mod:`~iid_analysis.report.i18n`, its sections and the CLI all call these functions).

Numbers: Indonesian writes ``84,46`` and ``1.234,5``, English ``84.46`` and ``1,234.5``.
Percentages: ``42\u00a0%`` (id, with a no-break space) and ``42%`` (en); a share strictly
between 0 and the smallest step shown is written ``< 1 %``, one strictly between the largest
step below 100 and 100 is ``> 99 %``, so a rounded 0 % or 100 % never contradicts the verbal
band. Verbal bands:

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


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_number(value: float | None, lang: str, decimals: int = 2) -> str:
    """``value`` with ``decimals`` places and the language's separators: ``1.234,5`` (id) or
    ``1,234.5`` (en). None and NaN give an en dash."""
    _check_lang(lang)
    if _missing(value):
        return "\u2013"
    english = f"{float(value):,.{decimals}f}"
    if lang == "en":
        return english
    return english.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def format_percent(share: float | None, lang: str, decimals: int = 0) -> str:
    """A share (0..1 for a probability) as a percentage: ``42\u00a0%`` (id), ``42%`` (en).

    Strictly between 0 and one step (1 % with no decimals) it reads ``< 1 %``; strictly between
    100 % less one step and 100 % it reads ``> 99 %``. None and NaN give an en dash.
    """
    _check_lang(lang)
    if _missing(share):
        return "\u2013"
    percent = 100.0 * float(share)
    step = 10.0**-decimals
    prefix = ""
    if 0.0 < percent < step:
        percent, prefix = step, "< "
    elif 100.0 - step < percent < 100.0:
        percent, prefix = 100.0 - step, "> "
    number = format_number(percent, lang, decimals)
    return f"{prefix}{number}\u00a0%" if lang == "id" else f"{prefix}{number}%"


def verbal_band(p: float, lang: str = "id") -> str:
    """The verbal band of probability ``p`` in ``lang``, e.g. 0.95 -> "sangat mungkin"."""
    _check_lang(lang)
    return probability_band(p).label(lang)


describe_probability = verbal_band
"""The former name of :func:`verbal_band`."""


def format_probability(p: float, lang: str = "id") -> str:
    """``p`` as a percentage with its band: 0.95 -> "95 % (sangat mungkin)" (id) or
    "95% (very likely)" (en), by :func:`format_percent` and :func:`verbal_band`."""
    return f"{format_percent(p, lang)} ({verbal_band(p, lang)})"


def bands_table() -> list[dict[str, object]]:
    """The bands as rows (low, high, id, en) for documentation and reports."""
    return [{"low": b.low, "high": b.high, "id": b.id, "en": b.en} for b in PROBABILITY_BANDS]
