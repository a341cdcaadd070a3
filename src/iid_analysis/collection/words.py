"""Comparing what an OPD typed with the words it should have chosen.

:func:`word_key` is how two spellings are compared (Unicode NFKC, case folded, invisible format
characters such as a zero-width space removed, runs of spaces as one); :func:`nearest` names the
closest valid word for a "did you mean ...?" hint.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

NEAREST_CUTOFF = 0.6
"""The least :class:`difflib.SequenceMatcher` ratio for a word to be offered as the nearest."""


def word_key(text: object) -> str:
    """``text`` as compared: NFKC, case folded, format characters removed, spaces collapsed."""
    normal = unicodedata.normalize("NFKC", str(text))
    normal = "".join(ch for ch in normal if unicodedata.category(ch) != "Cf")
    return " ".join(normal.split()).casefold()


def nearest(text: object, choices: Iterable[str], cutoff: float = NEAREST_CUTOFF) -> str | None:
    """The choice closest to ``text`` (compared by :func:`word_key`), or None when none is at
    least ``cutoff`` alike. Ties go to the first choice."""
    key = word_key(text)
    if not key:
        return None
    best, best_ratio = None, cutoff
    for choice in choices:
        ratio = difflib.SequenceMatcher(None, key, word_key(choice), autojunk=False).ratio()
        if ratio > best_ratio or (best is None and ratio >= cutoff):
            best, best_ratio = choice, ratio
    return best
