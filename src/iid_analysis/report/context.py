"""Everything a report shows, computed once from its parameters (:func:`build_context`)."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from ..eligibility import ClaimedEligible, claimed_and_eligible, claimed_and_eligible_scored
from ..errors import UsageError
from ..feasibility.headline import above_last, ladder_targets
from ..feasibility.maturity_grain import GRAIN as MATURITY_GRAIN
from ..feasibility.maturity_grain import score_maturities
from ..inputs import Region, read_region
from ..inputs.datasheet import Datasheet, datasheet_of
from ..inputs.published import (
    load_national_summary,
    region_innovation_counts,
)
from ..inputs.read import import_result
from ..inputs.validation import ROW
from ..messages import Message, message
from ..methodology import Methodology, load_methodology, rules_year_for
from ..scoring import STATUS_REJECTED, RegionScore, score_spd
from .analysis import (
    ForecastPart,
    MaturityPart,
    PlanPart,
    forecast_part,
    maturity_part,
    plan_part,
)
from .grain import GrainView, LevelGrain, MaturityGrain
from .headline import PLAN_PROBABILITY_SHOWN, HeadlinePart, headline_part, plan_command
from .i18n import Words
from .params import ReportParams
from .preflight import (
    default_target,
    region_published,
)
from .provenance import Provenance, collect_provenance, display_path


@dataclass(frozen=True)
class ClusterRank:
    """The region's rank in its cluster (kota, kabupaten, provinsi) as last published, and the
    latest years in a row that gave that same rank."""

    rank: int
    size: int
    """Regions in the cluster."""
    years: tuple[int, ...]
    """The latest years in a row with this rank and cluster size, oldest first."""
    region_type: str
    """``kota``, ``kabupaten``, ``provinsi`` as the published data writes it ('' unknown)."""


@dataclass(frozen=True)
class PublishedConflict:
    """A year with more than one published IID: the figure used and the others."""

    year: int
    used_iid: float
    used_source: str
    """Where the figure used was published (a URL)."""
    values: tuple[float, ...]
    """Every figure of the year, in the published table's order."""
    others: tuple[float, ...]
    """The figures shown but not used."""


@dataclass(frozen=True)
class ReportContext:
    """The inputs and results behind every section of one report.

    ``published``: the region's published IID on the 0..100 scale up to ``as_of_year``, one
    row per figure (columns :data:`PUBLISHED_COLUMNS`; ``used`` is False for a conflicting
    figure that is shown but not used). ``threshold`` is the IID to reach (``target``, or the
    next publishable value above the last published one when the target is the default).
    ``forecast``/``plan`` are None when that analysis cannot be made, and ``unavailable`` then
    says why. ``grain_view`` holds what differs between the grains behind one interface
    (:class:`~.grain.GrainView`), chosen here once: :class:`~.grain.LevelGrain` (indicator
    levels: ``region``, ``plan``, ``headline``) or :class:`~.grain.MaturityGrain` (innovations
    known by their *kematangan* only: ``region``, ``plan`` and ``headline`` are None and
    ``maturity`` holds the levers, plan and ladder at that grain).
    """

    params: ReportParams
    data_methodology: Methodology
    target_methodology: Methodology
    as_of_year: int
    published: pd.DataFrame
    target: float
    target_is_default: bool
    threshold: float
    region: Region | None
    score: RegionScore
    spd_points: pd.DataFrame
    innovation_scores: pd.DataFrame
    synthetic: bool
    provenance: Provenance
    grain_view: GrainView
    forecast: ForecastPart | None = None
    plan: PlanPart | None = None
    unavailable: dict[str, Message] = field(default_factory=dict)
    datasheet: Datasheet | None = None
    headline: HeadlinePart | None = None
    stand_in: dict[str, int] = field(default_factory=dict)
    innovation_counts: pd.DataFrame | None = None
    maturity: MaturityPart | None = None
    """The region's published innovation counts up to ``as_of_year`` (columns of
    :func:`~iid_analysis.inputs.published.region_innovation_counts`), shown beside the IID
    history."""
    """Rules standing in: ``{"data": Y}`` / ``{"target": Y}`` when that year has no rules of its
    own and year Y's (the latest known before it) are used."""
    """The indicator data's datasheet (:mod:`iid_analysis.inputs.datasheet`); ``synthetic`` is its
    flag."""

    @property
    def grain(self) -> str:
        """``level`` or ``maturity`` (:attr:`grain_view`'s key)."""
        return self.grain_view.key

    @property
    def lang(self) -> str:
        return self.params.lang

    @property
    def words(self) -> Words:
        """The report's catalogue bound to its language: ``ctx.words("key", **params)``."""
        return Words(self.params.lang)

    @cached_property
    def eligibility(self) -> ClaimedEligible | None:
        """The IID as claimed and for the eligible innovations only, and the innovations that
        fail which condition (:func:`~iid_analysis.eligibility.claimed_and_eligible`; at
        maturity grain from the imported table and its score); None
        without a score (maturity grain with the SPD unknown)."""
        if self.region is not None:
            return claimed_and_eligible(self.region)
        table = self.innovation_scores
        if self.score is None or "maturity" not in table.columns:
            return None
        return claimed_and_eligible_scored(
            self.score, table, table["maturity"], None, self.data_methodology
        )

    @property
    def cluster_rank(self) -> ClusterRank | None:
        """The rank in the cluster in the latest year(s) that give it (None when the published
        data has no rank)."""
        used = self.published[self.published["used"]].dropna(
            subset=["rank_in_cluster", "cluster_size"]
        )
        if used.empty:
            return None
        used = used.sort_values("year")
        last = used.iloc[-1]
        rank, size = int(last["rank_in_cluster"]), int(last["cluster_size"])
        years: list[int] = []
        for row in used.iloc[::-1].itertuples():
            if int(row.rank_in_cluster) != rank or int(row.cluster_size) != size:
                break
            years.insert(0, int(row.year))
        return ClusterRank(rank, size, tuple(years), str(last.get("region_type") or ""))

    @property
    def published_conflicts(self) -> tuple[PublishedConflict, ...]:
        """The years with more than one published IID, by year."""
        out = []
        for year, group in self.published.groupby("year"):
            if len(group) > 1:
                used = group[group["used"]].iloc[0]
                out.append(PublishedConflict(
                    year=int(year), used_iid=float(used["iid"]),
                    used_source=str(used["source_url"]),
                    values=tuple(float(v) for v in group["iid"]),
                    others=tuple(float(v) for v in group.loc[~group["used"], "iid"]),
                ))  # fmt: skip
        return tuple(out)

    @property
    def components(self) -> pd.DataFrame:
        """SPD, mean maturity, count score and total of the score against their maxima under the
        data's rules. Columns: component (``spd``, ``maturity``, ``count``, ``total``), score,
        max, share (score / max)."""
        rules = self.data_methodology
        score = self.score
        frame = pd.DataFrame([
            ("spd", score.spd, rules.max_spd),
            ("maturity", score.mean_maturity, rules.max_innovation),
            ("count", score.count_score, rules.max_count),
            ("total", score.total, rules.max_total),
        ], columns=["component", "score", "max"])  # fmt: skip
        frame["share"] = frame["score"] / frame["max"]
        return frame

    @property
    def weakest_component(self) -> str:
        """The component (not the total) with the lowest share of its maximum."""
        parts = self.components[self.components["component"] != "total"]
        return str(parts.sort_values("share").iloc[0]["component"])

    @property
    def n_rejected(self) -> int:
        """Innovations rejected (status ``ditolak``) in the indicator data."""
        return int((self.innovation_scores["status"] == STATUS_REJECTED).sum())

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


def build_context(params: ReportParams) -> ReportContext:
    """Load the data named by ``params``, score it, forecast and plan: everything the report
    shows. Raises an :class:`~iid_analysis.errors.IIDError` subclass on bad data or parameters.
    """
    params = params.dated()  # the date the plan is made on, recorded with the parameters
    data_rules = load_methodology(rules_year_for(params.data_year))
    target_rules = load_methodology(rules_year_for(params.target_year))
    year, scores, counts, panel, published = region_published(params)
    target_is_default = params.target is None
    target = default_target(published) if target_is_default else float(params.target)
    # "Higher than last year": the next value the ministry can publish (two decimals).
    threshold = above_last(target) if target_is_default else target
    # One read of each file (format and grain by the columns, the bytes parsed hashed).
    region = read_region(
        innovations=params.path("innovations"),
        spd=params.path("spd") if params.spd is not None or params.is_example else None,
        methodology=data_rules,
        data_year=params.indicator_year,
        name=params.region,
    )
    if params.indicator_year is None and region.data_year not in (None, params.data_year):
        # The files name their assessment year (collect --year, a data_year column): the whole
        # report scores them under that year's rules and names that year, as `score` does.
        params = params.replace(indicator_year=region.data_year)
        data_rules = load_methodology(rules_year_for(params.data_year))
        region = region.under(data_rules)
    stand_in = {
        role: rules_year_for(year)
        for role, year in (("data", params.data_year), ("target", params.target_year))
        if rules_year_for(year) != year
    }
    imported = import_result(region) if region.grain == MATURITY_GRAIN else None
    if imported is None:
        if not region.spd_known:
            raise UsageError(
                f"{params.path('innovations')}: innovations at level grain (indicators 16..35) "
                "need the region's SPD file too (spd)"
            )
        score = region.score()
    unavailable = {}
    forecast = None
    if len(published):
        forecast = forecast_part(
            params.region, params.target_year, year, threshold, panel, params.seed,
            params.n_draws, scores=scores, innovation_counts=counts,
            national_summary=load_national_summary(),
        )
    else:
        unavailable["forecast"] = message("report.forecast_no_data", region=params.region)
    if imported is not None:
        return _maturity_context(
            params, imported, region, data_methodology=data_rules, target_methodology=target_rules,
            as_of_year=year, published=published, target=target,
            target_is_default=target_is_default,
            threshold=threshold, forecast=forecast, unavailable=unavailable, stand_in=stand_in,
            innovation_counts=_counts_up_to(region_innovation_counts(params.region, counts), year),
        )
    published_iid = published_in(published, params.data_year)
    plan = plan_part(region, target_rules, threshold, params.seed, score.mean_maturity,
                     params.maturity_goal, published_iid, as_of=params.plan_date)
    last = published[published["used"]].sort_values("year")
    headline = headline_part(
        plan, forecast, plan.region, float(last["iid"].iloc[-1]) if len(last) else None,
        target_rules, params.lang,
        plan_command(params, plan.rules.year, threshold, PLAN_PROBABILITY_SHOWN, published_iid),
    )
    datasheet = datasheet_of(params.path("spd"), params.path("innovations"))
    grain_view = LevelGrain(plan=plan, headline=headline, region=region, data_rules=data_rules,
                            data_file=params.path("spd").name)
    return ReportContext(
        params=params,
        data_methodology=data_rules,
        target_methodology=target_rules,
        as_of_year=year,
        published=published,
        target=target,
        target_is_default=target_is_default,
        threshold=threshold,
        region=region,
        score=score,
        spd_points=region.spd_score().points,
        innovation_scores=region.innovation_scores(),
        synthetic=datasheet is not None and datasheet.synthetic,
        provenance=collect_provenance(
            params.data_paths(), data_rules, params.as_dict(), known_hashes=region.sources
        ),
        grain_view=grain_view,
        forecast=forecast,
        plan=plan,
        unavailable=unavailable,
        datasheet=datasheet,
        headline=headline,
        stand_in=stand_in,
        innovation_counts=_counts_up_to(region_innovation_counts(params.region, counts), year),
    )


def _maturity_context(params: ReportParams, imported, region, **common) -> ReportContext:
    """The context of a report on a maturity-grain innovations file (``imported``: the
    :class:`~iid_analysis.inputs.importers.ImportResult`). The SPD comes from ``params.spd`` when
    given, else from the region's published IID of the data's year (an assumption the report
    names); without either the IID cannot be computed and :class:`UsageError` says so."""
    data_rules = common["data_methodology"]
    target_rules = common["target_methodology"]
    published = common["published"]
    innovations = imported.innovations.drop(columns=ROW, errors="ignore")
    published_iid = published_in(published, params.data_year)
    paths = params.data_paths()
    if params.spd is not None:
        spd = region.spd
        data_score = score_maturities(innovations, data_rules, spd=spd)
        spd_points = score_spd(spd, data_rules).points
        basis = ["--spd", display_path(params.path("spd"))]
    elif published_iid is not None:
        data_score = score_maturities(
            innovations, data_rules, published_iid=published_iid,
            source=str(params.path("innovations")),
        )
        spd_points = pd.DataFrame()
        paths.pop("spd")
        basis = ["--published-iid", f"{published_iid:.2f}"]
    else:
        raise UsageError(
            f"{params.path('innovations')}: innovations at maturity grain without an SPD file: "
            f"the SPD is taken from the published IID of {params.data_year}, and there is none "
            f"for {params.region}; give the SPD file (spd)"
        )
    last = published[published["used"]].sort_values("year")
    last_iid = float(last["iid"].iloc[-1]) if len(last) else None
    forecast = common["forecast"]
    threshold = common["threshold"]
    command = shlex.join([
        "iid-analysis", "import", display_path(params.path("innovations")),
        "--year", str(data_rules.year), *basis,
    ])
    part = maturity_part(
        innovations, data_score, data_rules, target_rules, threshold,
        ladder_targets(last_iid, threshold, target_rules),
        bau=None if forecast is None else forecast.forecast.prob_at_least,
        source_format=message(f"inputs.format.{imported.format_name}"),
        source_provenance=imported.provenance,
        command=command, as_of=params.plan_date,
    )
    datasheet = datasheet_of(*paths.values())
    innovations_file = params.path("innovations").name
    grain_view = MaturityGrain(
        part=part, data_year=params.data_year, data_rules=data_rules,
        data_file=params.path("spd").name if params.spd is not None else innovations_file,
        innovations_file=innovations_file,
    )
    return ReportContext(
        params=params,
        region=None,
        score=data_score.score,
        spd_points=spd_points,
        innovation_scores=innovations,
        synthetic=datasheet is not None and datasheet.synthetic,
        provenance=collect_provenance(
            paths, data_rules, params.as_dict(), known_hashes=region.sources
        ),
        datasheet=datasheet,
        grain_view=grain_view,
        maturity=part,
        **common,
    )


def _counts_up_to(counts: pd.DataFrame, year: int) -> pd.DataFrame:
    return counts[counts["year"] <= year].reset_index(drop=True)


def published_in(published: pd.DataFrame, year: int) -> float | None:
    """The published IID used for ``year``, or None."""
    rows = published[published["used"] & (published["year"] == year)]
    return float(rows["iid"].iloc[0]) if len(rows) else None
