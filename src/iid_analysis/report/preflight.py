"""What a report knows before its notebook starts: the region's published figures, the as-of
year, and the checks that stop a run in one line (a missing target, a bad history file).

Light on purpose: the command line imports it before the kernel starts, so it imports no
analysis (forecasting, feasibility), only the readers of the published files.
"""

from __future__ import annotations

import pandas as pd

from ..errors import UsageError
from ..inputs.history import load_history, with_history
from ..inputs.published import (
    SCALE_INDEX,
    load_innovation_counts,
    load_published_scores,
    peer_panel,
    series_from_panel,
)
from .params import ReportParams

PUBLISHED_COLUMNS = (
    "year", "iid", "predicate_reported", "source_url", "quote", "note", "used",
    "rank_in_cluster", "cluster_size", "region_type",
)
ANNOUNCEMENT_MONTH = 12
"""The IID of a year is announced in its December (IGA awards)."""


def as_of_year(params: ReportParams) -> int:
    """The last year whose published IID a report may use: the year before the target, or
    earlier when ``as_of_date`` (default today) is before that year's announcement (December)."""
    latest = params.target_year - 1
    date = params.plan_date
    known = date.year if date.month >= ANNOUNCEMENT_MONTH else date.year - 1
    return min(latest, known)


def published_figures(scores: pd.DataFrame, panel: pd.DataFrame, region: str) -> pd.DataFrame:
    """The region's published 0..100 figures in ``panel``'s years, with their sources.

    ``used`` marks the figure :mod:`iid_analysis.inputs.published` chose for the year (the one
    citing
    the ministerial decree when two conflict). Columns: :data:`PUBLISHED_COLUMNS`.
    """
    empty = pd.DataFrame(columns=list(PUBLISHED_COLUMNS)).astype(
        {"year": int, "iid": float, "used": bool}
    )
    if region not in set(panel["region_name"]):
        return empty
    series = series_from_panel(region, panel)
    chosen = dict(zip(series.years, zip(series.values, series.sources, strict=True), strict=True))
    rows = scores[
        (scores["region_name"] == region)
        & (scores["scale"] == SCALE_INDEX)
        & scores["year"].isin(series.years)
    ].copy()
    rows["iid"] = rows["iid_score"].astype(float)
    rows["used"] = [
        (value, source) == chosen[year]
        for year, value, source in zip(rows["year"], rows["iid"], rows["source_url"], strict=True)
    ]
    # Identical figures from two sources are one figure: the first is used, none conflicts.
    rows = rows.sort_values(["year", "used"], ascending=[True, False], kind="stable")
    rows = rows.drop_duplicates(["year", "iid"], keep="first")
    return rows[list(PUBLISHED_COLUMNS)].reset_index(drop=True)


def default_target(published: pd.DataFrame) -> float:
    """The last published IID used (the target "higher than last year" starts from it).

    Raises :class:`UsageError` when there is none.
    """
    used = published[published["used"]].sort_values("year")
    if used.empty:
        raise UsageError("no published IID for the region before the target year; give a target")
    return float(used["iid"].iloc[-1])


def region_published(params: ReportParams, scores: pd.DataFrame | None = None):
    """The as-of year, every published score (the region's own history in place of its
    published rows when ``params.history`` is given), the innovation counts, the peer panel and
    the region's published figures (:func:`published_figures`). ``scores``: the published
    scores already read (else ``params``' file is read)."""
    year = as_of_year(params)
    if scores is None:
        scores = load_published_scores(params.path("published_scores"))
    if params.history is not None:
        history = load_history(params.history, params.region)
        scores = with_history(scores, history, params.region)
    counts = load_innovation_counts(params.path("innovation_counts"))
    panel = peer_panel(scores, as_of=year)
    return year, scores, counts, panel, published_figures(scores, panel, params.region)


def check_before_run(params: ReportParams, scores: pd.DataFrame | None = None) -> None:
    """What a report needs before its notebook starts, checked in a second: a readable history
    file when one is given, and a target when the region has no published IID to start from.
    ``scores``: the published scores already read (else ``params``' file is read).
    Raises :class:`UsageError` (or the history file's data error) in one line."""
    year, _, _, _, published = region_published(params, scores)
    if params.target is None and not published["used"].any():
        raise UsageError(
            f"{params.region} has no published IID up to {year}: give a target (--target) or "
            "the region's own history (--history FILE, a CSV with columns year,iid,source)"
        )
