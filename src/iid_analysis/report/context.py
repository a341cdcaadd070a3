"""Everything a report shows, computed once from its parameters (:func:`build_context`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..dataset import load_innovations, load_spd, parse_decimal, read_table
from ..errors import UsageError
from ..methodology import Methodology, load_methodology
from ..scoring import RegionScore, score_innovations, score_region, score_spd
from .params import ReportParams
from .provenance import Provenance, collect_provenance

INDEX_SCALE = "index_0_100"
PUBLISHED_COLUMNS = (
    "year", "iid", "predicate_reported", "source_url", "quote", "note", "used",
)


@dataclass(frozen=True)
class ReportContext:
    """The inputs and results behind every section of one report.

    ``published``: the region's published IID on the 0..100 scale before ``target_year``, one
    row per figure (columns :data:`PUBLISHED_COLUMNS`; ``used`` is False for a conflicting
    figure that is shown but not used). ``unavailable`` maps an analysis name to the reason it
    could not be computed.
    """

    params: ReportParams
    data_methodology: Methodology
    target_methodology: Methodology
    published: pd.DataFrame
    target: float
    target_is_default: bool
    score: RegionScore
    spd_points: pd.DataFrame
    innovation_scores: pd.DataFrame
    synthetic: bool
    provenance: Provenance
    forecast: object | None = None
    plan: object | None = None
    unavailable: dict[str, str] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.params.lang

    @property
    def series(self) -> pd.DataFrame:
        """The published figures used: one per year (year, iid), sorted by year."""
        used = self.published[self.published["used"]]
        return used[["year", "iid"]].sort_values("year").reset_index(drop=True)

    @property
    def conflicts(self) -> pd.DataFrame:
        """Published figures shown but not used (another figure for the year is preferred)."""
        return self.published[~self.published["used"]].reset_index(drop=True)

    @property
    def last_published(self) -> pd.Series | None:
        series = self.published[self.published["used"]].sort_values("year")
        return series.iloc[-1] if len(series) else None


def is_synthetic(path: str | Path) -> bool:
    """Whether a data file is the SYNTHETIC example (its name says so)."""
    return "synthetic" in Path(path).name.lower()


def published_figures(path: str | Path, region: str, before_year: int) -> pd.DataFrame:
    """The region's published 0..100 IID figures before ``before_year``.

    Where a year has two figures, the one citing the ministerial decree is used and the other
    kept with ``used`` False. Columns: :data:`PUBLISHED_COLUMNS`.
    """
    table = read_table(path)
    rows = table[
        (table["region_name"] == region)
        & (table["scale"] == INDEX_SCALE)
        & (table["year"].astype(int) < before_year)
    ].copy()
    rows["year"] = rows["year"].astype(int)
    rows["iid"] = rows["iid_score"].map(parse_decimal)
    note = rows["note"].str.lower()
    rows["_preference"] = note.str.contains("decree") & ~note.str.startswith("conflicts")
    rows = rows.sort_values(["year", "_preference"], ascending=[True, False], kind="stable")
    rows["used"] = ~rows.duplicated("year", keep="first")
    return rows[list(PUBLISHED_COLUMNS)].reset_index(drop=True)


def default_target(published: pd.DataFrame) -> float:
    """The last published IID used (the target "higher than last year" starts from it).

    Raises :class:`UsageError` when there is none.
    """
    used = published[published["used"]].sort_values("year")
    if used.empty:
        raise UsageError("no published IID for the region before the target year; give a target")
    return float(used["iid"].iloc[-1])


def build_context(params: ReportParams) -> ReportContext:
    """Load the data named by ``params``, score it and gather the analyses for the report.

    Raises an :class:`~iid_analysis.errors.IIDError` subclass on bad data or parameters.
    """
    data_rules = load_methodology(params.data_year)
    target_rules = load_methodology(params.target_year)
    published = published_figures(
        params.path("published_scores"), params.region, params.target_year
    )
    target_is_default = params.target is None
    target = default_target(published) if target_is_default else float(params.target)
    spd = load_spd(params.path("spd"), data_rules)
    innovations = load_innovations(params.path("innovations"), data_rules)
    score = score_region(spd, innovations, data_rules)
    provenance = collect_provenance(params.data_paths(), data_rules, params.as_dict())
    return ReportContext(
        params=params,
        data_methodology=data_rules,
        target_methodology=target_rules,
        published=published,
        target=target,
        target_is_default=target_is_default,
        score=score,
        spd_points=score_spd(spd, data_rules).points,
        innovation_scores=score_innovations(innovations, data_rules),
        synthetic=is_synthetic(params.path("spd")) or is_synthetic(params.path("innovations")),
        provenance=provenance,
    )
