"""The report's words: keys ``report.<name>`` in ``catalogue/report.<lang>.yaml``, rendered by
:mod:`iid_analysis.messages` for Bahasa Indonesia (``id``, default) or English (``en``).

A section gets a :class:`Words` bound to the report's language (``ctx.words``) and asks it for
sentences by key: ``words("verdict", year=2024, ...)``, numbers (``words.num``), percentages
(``words.pct``) and bands (``words.band``). Nothing here translates a sentence: a sentence that
reaches the page has a key in both catalogues, or it is a :class:`~iid_analysis.messages.Message`
of another domain (the forecast's notes), or it is quoted from a data file as it is written there.
Predicate names (Sangat Inovatif ...) are official terms and stay in Indonesian in both languages.
"""

from __future__ import annotations

from ..errors import UsageError
from ..messages import Message, catalogue, render
from ..wording import LANGUAGES, PROBABILITY_BANDS, format_number, format_percent, verbal_band

__all__ = [
    "DEFAULT_LANGUAGE", "GLOSSARY_KEYS", "LANGUAGES", "Words", "check_language", "counted",
    "format_number",
    "format_percent", "glossary", "model_name", "provenance_word", "rule_name", "text",
    "verbal_band",
]

DEFAULT_LANGUAGE = "id"
DOMAIN = "report"

GLOSSARY_KEYS = (
    "iid", "spd", "sid", "lever", "potential", "data_dukung", "stages", "person_day",
    "basic_urusan", "rkpd", "apbd", "pad", "lakip", "probability",
)
"""The glossary's terms in page order (``report.glossary.<key>.term`` / ``.text``)."""


def check_language(lang: str) -> str:
    """``lang`` if it is a supported language; raises :class:`UsageError` otherwise."""
    if lang not in LANGUAGES:
        raise UsageError(f"unknown report language {lang!r}; use one of {', '.join(LANGUAGES)}")
    return lang


class Words:
    """The report's catalogue bound to one language: call it with a key and parameters."""

    def __init__(self, lang: str) -> None:
        self.lang = check_language(lang)

    def __call__(self, key: str, **params: object) -> str:
        return render(Message(f"{DOMAIN}.{key}", params), self.lang)

    def has(self, key: str) -> bool:
        return f"{DOMAIN}.{key}" in catalogue(self.lang)

    def render(self, item: Message | str) -> str:
        """A message of any domain (or a plain string, as it is) in this language."""
        return render(item, self.lang)

    def num(self, value: float | None, decimals: int = 2) -> str:
        return format_number(value, self.lang, decimals)

    def points(self, value: float) -> str:
        """An IID gain to two decimals; a positive gain too small to show as such reads "< 0,01"
        (a plan step that moves the IID is never shown as 0,00)."""
        if 0 < value < 0.005:
            return f"< {format_number(0.01, self.lang)}"
        return format_number(value, self.lang)

    def pct(self, share: float | None, decimals: int = 0) -> str:
        return format_percent(share, self.lang, decimals)

    def band(self, p: float) -> str:
        return verbal_band(p, self.lang)

    def counted(self, key: str, n: int) -> str:
        """``n`` with its noun, singular or plural (``report.count_<key>_one`` / ``_other``)."""
        return text(f"count_{key}_{'one' if n == 1 else 'other'}", self.lang, n=n)

    def _named(self, table: str, name: str) -> str:
        return catalogue(self.lang).get(f"{DOMAIN}.{table}.{name}", name)

    def model(self, name: str) -> str:
        return self._named("model_name", name)

    def rule(self, name: str) -> str:
        return self._named("rule_name", name)

    def provenance(self, flag: str) -> str:
        return self._named("provenance_word", flag)


def text(key: str, lang: str, **values: object) -> str:
    """The sentence ``report.<key>`` in ``lang`` with ``values`` filled in (escape it before it
    goes into HTML; the templates do)."""
    return Words(lang)(key, **values)


def provenance_word(flag: str, lang: str) -> str:
    """A provenance flag (CONFIRMED ...) in the reader's words (unknown flags as they are)."""
    return Words(lang).provenance(flag)


def model_name(name: str, lang: str) -> str:
    """A forecast model's code name in plain words (unknown names as they are)."""
    return Words(lang).model(name)


def rule_name(name: str, lang: str) -> str:
    """A methodology rule's name in plain words (unknown names as they are)."""
    return Words(lang).rule(name)


def glossary(lang: str) -> list[tuple[str, str]]:
    """The glossary's (term, meaning) pairs; the probability bands are the ones every sentence
    uses (:data:`iid_analysis.wording.PROBABILITY_BANDS`), so the two cannot disagree."""
    words = Words(lang)
    rows = [(words(f"glossary.{k}.term"), words(f"glossary.{k}.text")) for k in GLOSSARY_KEYS]
    bands = "; ".join(
        words("glossary_band", band=band.label(lang), low=words.num(100 * band.low, 0),
              high=words.pct(band.high))
        for band in reversed(PROBABILITY_BANDS)
    )
    term, meaning = rows[-1]
    rows[-1] = (term, f"{meaning} {bands}.")
    return rows


def counted(key: str, n: int, lang: str) -> str:
    """``n`` with its noun, singular or plural (``report.count_<key>_one`` / ``_other``)."""
    return Words(lang).counted(key, n)
