"""The ministry's IID rules for one assessment year, read from data files with their provenance.

The rules are data (``data/methodology/rules.csv`` and the indicator tables beside it, copied
verbatim from the project's research; ``data/rules_added.csv`` for rule variants the project adds
with their own sources), never code. A rule's source is written in English as the research
wrote it; ``data/rule_sources.csv`` gives it in Indonesian (``Rule.source_id``). Every rule carries
a provenance flag:

- CONFIRMED: seen in an official text, or an application that copies the official instrument;
- SECONDARY: from a third party's implementation of that year's instrument;
- INFERRED: reconstructed from confirmed facts;
- PROVISIONAL: not found for that year; another year's rule stands in.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from .config import ADDED_RULES_FILE, METHODOLOGY_DIR, RULE_SOURCES_FILE
from .errors import IncompleteRulesError, MethodologyError, UnknownYearError

PROVENANCE_ORDER = ("CONFIRMED", "SECONDARY", "INFERRED", "PROVISIONAL")
"""Provenance flags from strongest to weakest."""

LEVELS = (0, 1, 2, 3)
SPD = "SPD"
INOVASI = "INOVASI"

# Rules the scoring formula needs; a year lacking any of them can still classify scores.
SCORING_RULES = (
    "indicators",
    "divisor_floor",
    "count_points_per_innovation",
    "count_cap",
    "max_total",
)
BAND_RULES = ("band_sangat_inovatif_min", "band_inovatif_min", "band_kurang_inovatif_min")

PREDICATE_SANGAT_INOVATIF = "Sangat Inovatif"
PREDICATE_INOVATIF = "Inovatif"
PREDICATE_KURANG_INOVATIF = "Kurang Inovatif"
PREDICATE_TIDAK_DAPAT_DINILAI = "Tidak Dapat Dinilai"
PREDICATES = (
    PREDICATE_TIDAK_DAPAT_DINILAI,
    PREDICATE_KURANG_INOVATIF,
    PREDICATE_INOVATIF,
    PREDICATE_SANGAT_INOVATIF,
)
"""The four predicates, from lowest to highest."""

BASIC_URUSAN = (
    "pendidikan",
    "kesehatan",
    "pekerjaan umum dan penataan ruang",
    "perumahan rakyat dan kawasan permukiman",
    "ketenteraman, ketertiban umum dan pelindungan masyarakat",
    "sosial",
)
"""The six urusan wajib pelayanan dasar (basic-service affairs) of the 2026 count-score rule."""

# Usual ways the urusan are written in exports (abbreviations, agency names, old spellings);
# matched on lower-case words, so one cell may name several urusan.
_BASIC_URUSAN_PATTERNS = tuple(
    re.compile(p)
    for p in (
        r"\bpendidikan\b|\bdikbud\b|\bdisdik",
        r"\bkesehatan\b(?! hewan)|\bdinkes\b",
        r"\bpekerjaan umum\b|\bpenataan ruang\b|\btata ruang\b|\bpu(?:pr|tr)?\b",
        r"\bperumahan\b|\bpermukiman\b|\bpemukiman\b|perkim|\bprkp\b",
        r"\bketenteraman\b|\bketentraman\b|\bketertiban\b|trantib|linmas"
        r"|\b(?:pe)?lindungan masyarakat\b",
        r"\bsosial\b|\bdinsos\b",
    )
)


def basic_urusan_in(text: object) -> frozenset[str]:
    """The :data:`BASIC_URUSAN` a cell names, tolerant of case, spacing and the usual variants
    (``PUPR``, ``Perkim``, ``Trantibumlinmas``, ``Ketentraman ...``); empty for any other."""
    if text is None or (isinstance(text, float) and text != text):
        return frozenset()
    words = " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).lower()).split())
    pairs = zip(BASIC_URUSAN, _BASIC_URUSAN_PATTERNS, strict=True)
    return frozenset(name for name, pattern in pairs if pattern.search(words))


# A level not listed in a table (SPD tables list 1..3 only) scores 0: the README of the
# methodology states that an unanswered indicator, or one whose evidence is rejected, scores 0.
UNANSWERED_PROVENANCE = "INFERRED"
UNANSWERED_SOURCE = (
    "no level chosen, or evidence missing or rejected, scores 0 (methodology README)"
)


def weakest(flags) -> str:
    """The weakest of some provenance flags (CONFIRMED if there are none)."""
    ranks = [PROVENANCE_ORDER.index(f) for f in flags]
    return PROVENANCE_ORDER[max(ranks)] if ranks else "CONFIRMED"


@dataclass(frozen=True)
class Rule:
    """One rule of one year: its value as written in rules.csv, provenance and source.

    ``source_id``: the source in Indonesian (``data/rule_sources.csv``), "" when that file has no
    translation of this very text (a new or changed source is not translated yet). A source the
    research writes as "same" or "same as above" is followed by the source it points to, in
    brackets (:func:`cite_referent`): a reader of one row cannot see the row above it."""

    name: str
    value: str
    provenance: str
    source: str
    source_id: str = ""

    @property
    def number(self) -> float:
        return float(self.value)


@dataclass(frozen=True)
class IndicatorLevel:
    level: int
    label: str
    points: float
    provenance: str
    source: str


@dataclass(frozen=True)
class Indicator:
    """One scored indicator (an SPD sub-row such as ``2a`` is an indicator of its own)."""

    number: str
    aspect: str
    variable: str
    name_id: str
    name_en: str
    max_points: float
    mandatory: bool
    levels: tuple[IndicatorLevel, ...]

    @property
    def parent(self) -> str:
        """The official indicator number without the sub-row letter (``2a`` -> ``2``)."""
        return self.number.rstrip("abcdefghijklmnopqrstuvwxyz")

    def points(self, level: int) -> float:
        for entry in self.levels:
            if entry.level == level:
                return entry.points
        return 0.0

    def provenance(self, level: int) -> str:
        for entry in self.levels:
            if entry.level == level:
                return entry.provenance
        return UNANSWERED_PROVENANCE

    def provenance_used(self, levels) -> str:
        """The weakest provenance (:data:`PROVENANCE_ORDER`) of the ``levels`` a score used;
        CONFIRMED when none is used."""
        return weakest({self.provenance(int(lv)) for lv in levels})


@dataclass(frozen=True)
class Methodology:
    """The IID rules of one assessment year (immutable).

    ``rules`` maps rule name to :class:`Rule`; ``indicators`` is empty when the year's indicator
    table is unknown. Indicator provenance is already weakened to the provenance of the year's
    ``indicators`` rule (a table standing in for another year is no better than that rule).
    """

    year: int
    rules: Mapping[str, Rule]
    indicators: tuple[Indicator, ...] = ()
    _by_number: Mapping[str, Indicator] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )
    directory: Path | None = field(default=None, repr=False, compare=False)
    """The methodology directory the rules were read from (None: the package's own)."""

    # --- rule access -------------------------------------------------------------------
    def has(self, name: str) -> bool:
        return name in self.rules

    def rule(self, name: str) -> Rule:
        try:
            return self.rules[name]
        except KeyError:
            raise IncompleteRulesError(
                f"the {self.year} rules have no '{name}' (known: {', '.join(sorted(self.rules))})"
            ) from None

    def value(self, name: str) -> float:
        return self.rule(name).number

    def provenance(self, name: str) -> str:
        return self.rule(name).provenance

    @property
    def missing_for_scoring(self) -> tuple[str, ...]:
        return tuple(r for r in SCORING_RULES + BAND_RULES if r not in self.rules)

    @property
    def can_score(self) -> bool:
        return not self.missing_for_scoring

    def require_scoring(self) -> None:
        """Raise :class:`IncompleteRulesError` naming the rules missing to score indicator data."""
        missing = self.missing_for_scoring
        if missing:
            raise IncompleteRulesError(
                f"cannot score indicator data under the {self.year} rules: missing "
                f"{', '.join(missing)} (only predicate bands are known for {self.year})"
            )

    @property
    def divisor_floor(self) -> int:
        return int(self.value("divisor_floor"))

    @property
    def count_points_per_innovation(self) -> float:
        return self.value("count_points_per_innovation")

    @property
    def count_cap(self) -> int:
        return int(self.value("count_cap"))

    @property
    def max_total(self) -> float:
        return self.value("max_total")

    @property
    def min_basic_urusan(self) -> int | None:
        """How many of :data:`BASIC_URUSAN` the innovations must cover for the count score to
        count (None: no such rule this year). Provenance: ``provenance("min_basic_urusan")``."""
        return int(self.value("min_basic_urusan")) if self.has("min_basic_urusan") else None

    @property
    def max_spd(self) -> float:
        if self.has("max_spd"):
            return self.value("max_spd")
        return float(sum(i.max_points for i in self.spd_indicators))

    @property
    def max_innovation(self) -> float:
        if self.has("max_innovation"):
            return self.value("max_innovation")
        return float(sum(i.max_points for i in self.innovation_indicators))

    @property
    def max_count(self) -> float:
        if self.has("max_count"):
            return self.value("max_count")
        return self.count_cap * self.count_points_per_innovation

    @property
    def bands(self) -> dict[str, float]:
        """Lower edge of each predicate (on the IID rounded to two decimals)."""
        return {
            PREDICATE_SANGAT_INOVATIF: self.value("band_sangat_inovatif_min"),
            PREDICATE_INOVATIF: self.value("band_inovatif_min"),
            PREDICATE_KURANG_INOVATIF: self.value("band_kurang_inovatif_min"),
        }

    # --- indicators --------------------------------------------------------------------
    def indicator(self, number: str) -> Indicator:
        return self._by_number[number]

    def has_indicator(self, number: str) -> bool:
        return number in self._by_number

    @property
    def spd_indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.aspect == SPD)

    @property
    def innovation_indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.aspect == INOVASI)

    @property
    def innovation_numbers(self) -> tuple[str, ...]:
        return tuple(i.number for i in self.innovation_indicators)

    @property
    def spd_numbers(self) -> tuple[str, ...]:
        return tuple(i.number for i in self.spd_indicators)

    def points_table(self, aspect: str) -> np.ndarray:
        """Points by indicator (rows, table order) and level 0..3 (columns) for one aspect."""
        indicators = self.spd_indicators if aspect == SPD else self.innovation_indicators
        return np.array([[ind.points(lv) for lv in LEVELS] for ind in indicators], dtype=float)

    def indicator_table(self) -> pd.DataFrame:
        """The indicator table as a new DataFrame, one row per indicator and level.

        Columns: number, aspect, variable, name_id, name_en, level, level_label_id, points,
        max_points, mandatory (bool), provenance, source. Level 0 rows are included for every
        indicator (scoring 0).
        """
        rows = []
        for ind in self.indicators:
            for lv in LEVELS:
                entry = next((e for e in ind.levels if e.level == lv), None)
                rows.append(
                    {
                        "number": ind.number,
                        "aspect": ind.aspect,
                        "variable": ind.variable,
                        "name_id": ind.name_id,
                        "name_en": ind.name_en,
                        "level": lv,
                        "level_label_id": entry.label if entry else "tidak diisi",
                        "points": ind.points(lv),
                        "max_points": ind.max_points,
                        "mandatory": ind.mandatory,
                        "provenance": ind.provenance(lv),
                        "source": entry.source if entry else UNANSWERED_SOURCE,
                    }
                )
        return pd.DataFrame(rows)

    def rules_table(self) -> pd.DataFrame:
        """The year's rules as a new DataFrame: rule, value, provenance, source."""
        return pd.DataFrame(
            [
                {"rule": r.name, "value": r.value, "provenance": r.provenance, "source": r.source}
                for r in self.rules.values()
            ]
        )

    @property
    def not_confirmed(self) -> tuple[str, ...]:
        """Names of this year's rules whose provenance is not CONFIRMED."""
        return tuple(r.name for r in self.rules.values() if r.provenance != "CONFIRMED")


def known_years(methodology_dir: Path | str = METHODOLOGY_DIR) -> tuple[int, ...]:
    """Assessment years with at least one rule."""
    return tuple(sorted(_read_rules(Path(methodology_dir))))


def rules_year_for(year: int, methodology_dir: Path | str = METHODOLOGY_DIR) -> int:
    """The year whose rules stand for ``year``: itself when known, else the latest known year
    before it (rules for later years are not published yet). Raises :class:`UnknownYearError`
    for a year before every known one."""
    years = [y for y in known_years(methodology_dir) if y <= year]
    if not years:
        raise UnknownYearError(f"no IID rules are known for {year} or any year before it")
    return max(years)


def load_methodology(year: int, methodology_dir: Path | str | None = None) -> Methodology:
    """The rules of assessment ``year``.

    Raises :class:`UnknownYearError` when no rule at all is known for the year. A year with only
    some rules (2021, 2022: predicate bands) loads; scoring with it raises
    :class:`IncompleteRulesError` naming what is missing.
    """
    directory = Path(methodology_dir) if methodology_dir is not None else METHODOLOGY_DIR
    return _load_cached(int(year), directory.resolve())


@lru_cache(maxsize=32)
def _load_cached(year: int, directory: Path) -> Methodology:
    all_rules = _read_rules(directory)
    if year not in all_rules:
        known = ", ".join(str(y) for y in sorted(all_rules))
        raise UnknownYearError(f"no IID rules are known for {year} (known years: {known})")
    rules = all_rules[year]
    indicators: tuple[Indicator, ...] = ()
    if "indicators" in rules:
        table_rule = rules["indicators"]
        indicators = _read_indicators(directory / table_rule.value, table_rule.provenance)
    return Methodology(
        year=year,
        rules=MappingProxyType(dict(rules)),
        indicators=indicators,
        _by_number=MappingProxyType({i.number: i for i in indicators}),
        directory=directory,
    )


def _read_rules(directory: Path) -> dict[int, dict[str, Rule]]:
    """The research's ``rules.csv`` of ``directory``, then the rules the project adds
    (``ADDED_RULES_FILE``: rule variants with their own sources). An added rule may not restate
    one of the research's: that would hide which of the two is used."""
    by_year: dict[int, dict[str, Rule]] = {}
    translated = rule_sources_id()
    for path in (directory / "rules.csv", ADDED_RULES_FILE):
        if path == ADDED_RULES_FILE and not path.is_file():
            continue
        referent: Rule | None = None
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                source_id = translated.get((int(row["year"]), row["rule"], row["source"]), "")
                rule = Rule(row["rule"], row["value"], row["provenance"], row["source"], source_id)
                if points_back(rule.source):
                    rule = cite_referent(rule, referent)
                else:
                    referent = rule
                year_rules = by_year.setdefault(int(row["year"]), {})
                if path == ADDED_RULES_FILE and rule.name in year_rules:
                    raise MethodologyError(
                        f"{path.name}, row {line}: rule {rule.name!r} of {row['year']} is already "
                        f"in the research's rules.csv"
                    )
                year_rules[rule.name] = rule
    return by_year


def points_back(source: str) -> bool:
    """Whether a source as written points to the row above ("same", "same as above", "same
    source: ...", "same; ...")."""
    return re.match(r"same\b", source.strip(), flags=re.IGNORECASE) is not None


def cite_referent(rule: Rule, referent: Rule | None) -> Rule:
    """``rule`` with the source its "same ..." points to in brackets after it (in both
    languages); as it is when there is no earlier row in the file to point to."""
    if referent is None:
        return rule
    source = f"{rule.source} ({referent.source})"
    source_id = (
        f"{rule.source_id} ({referent.source_id})"
        if rule.source_id and referent.source_id else ""
    )
    return replace(rule, source=source, source_id=source_id)


@lru_cache(maxsize=1)
def rule_sources_id() -> Mapping[tuple[int, str, str], str]:
    """The rules' sources in Indonesian, by (year, rule, English source as written): a
    translation is used only for the very text it translates, so a source the research rewrites
    is shown as written until it is translated again."""
    if not RULE_SOURCES_FILE.is_file():
        return MappingProxyType({})
    with RULE_SOURCES_FILE.open(encoding="utf-8-sig", newline="") as handle:
        return MappingProxyType({
            (int(row["year"]), row["rule"], row["source"]): row["source_id"].strip()
            for row in csv.DictReader(handle)
        })


def _read_indicators(path: Path, table_provenance: str) -> tuple[Indicator, ...]:
    grouped: dict[str, list[dict[str, str]]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            grouped.setdefault(row["number"], []).append(row)
    indicators = []
    for number, rows in grouped.items():
        first = rows[0]
        levels = tuple(
            IndicatorLevel(
                level=int(r["level"]),
                label=r["level_label_id"],
                points=float(r["points"]),
                provenance=weakest([r["provenance"], table_provenance]),
                source=r["source"],
            )
            for r in sorted(rows, key=lambda r: int(r["level"]))
        )
        indicators.append(
            Indicator(
                number=number,
                aspect=first["aspect"],
                variable=first["variable"],
                name_id=first["name_id"],
                name_en=first["name_en"],
                max_points=float(first["max_points"]),
                mandatory=first["mandatory"].strip().lower() == "yes",
                levels=levels,
            )
        )
    return tuple(indicators)


def indicator_numbers_by_year(
    methodology_dir: Path | str | None = None,
) -> dict[int, frozenset[str]]:
    """For every year with an indicator table, the indicator numbers in it."""
    directory = Path(methodology_dir) if methodology_dir is not None else METHODOLOGY_DIR
    result = {}
    for year in known_years(directory):
        methodology = load_methodology(year, directory)
        if methodology.indicators:
            result[year] = frozenset(i.number for i in methodology.indicators)
    return result
