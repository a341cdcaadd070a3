"""Published IID figures (``data/raw``) as tables with their sources, and 0..100 series per region.

Three files are read, never written: ``iid_published_scores.csv`` (one row per region, year and
published figure), ``innovation_counts.csv`` and ``national_summary.csv``. Every table keeps its
``source_url`` and ``note`` columns, so each number can be traced to the page it came from.

A region's 0..100 series holds only rows with ``scale == "index_0_100"`` (2021 on): raw point
totals from before 2021 and ``unclear`` figures never enter it. A published 0 is not a score (the
region did not report, *Tidak Dapat Dinilai*): it leaves the series and is listed by
:func:`not_reported`. Where two figures are published for one region-year, the data says which is
preferred and why (columns ``preferred`` = ``yes`` / ``no`` and ``preference_reason``); the other
is kept as an alternative (Kota Mojokerto 2022: 77.73 from the decree, 70 in one news article).
A conflict that the data leaves unmarked takes the first row in file order.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import (
    INNOVATION_COUNTS_FILE,
    NATIONAL_SUMMARY_FILE,
    PUBLISHED_SCORES_FILE,
    region_key,
)
from ..errors import InvalidValueError, MissingColumnError, UnreadableFileError, UsageError

SCALE_INDEX = "index_0_100"
SCALE_RAW_POINTS = "raw_points"
SCALE_UNCLEAR = "unclear"
SCALES = (SCALE_INDEX, SCALE_RAW_POINTS, SCALE_UNCLEAR)

PREFER_DECREE = "decree"
PREFER_ALTERNATIVE = "alternative"
PREFERENCES = (PREFER_DECREE, PREFER_ALTERNATIVE)

SCORE_COLUMNS = (
    "region_name",
    "region_type",
    "province",
    "year",
    "iid_score",
    "scale",
    "predicate_reported",
    "rank_in_cluster",
    "cluster_size",
    "source_url",
    "quote",
    "note",
    "preferred",
    "preference_reason",
)
PREFERRED_VALUES = ("yes", "no", "")
COUNT_COLUMNS = (
    "region_name",
    "region_type",
    "province",
    "year",
    "innovations",
    "basis",
    "average_maturity",
    "source_url",
    "note",
)
NATIONAL_COLUMNS = (
    "year",
    "scale",
    "regions_total",
    "regions_reporting",
    "innovations_reported",
    "n_sangat_inovatif",
    "n_inovatif",
    "n_kurang_inovatif",
    "n_tidak_dapat_dinilai",
    "source_url",
    "note",
)

PANEL_COLUMNS = (
    "region_name",
    "region_type",
    "province",
    "year",
    "iid",
    "source_url",
    "preferred",
    "alternative_iid",
    "alternative_source_url",
    "alternative_note",
)


def _read_csv(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """The file as text cells, one row per record, with ``_row`` = the record's line in the file.

    Blank lines are skipped (row numbers stay the file's own lines); a record with more or fewer
    cells than the header is refused, naming its line.
    """
    path = Path(path)
    if not path.is_file():
        raise UnreadableFileError("file not found", source=str(path))
    source = path.name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFileError(
            "not UTF-8 text (save the file as CSV UTF-8)", source=source
        ) from None
    except OSError as exc:
        raise UnreadableFileError(f"cannot read the file: {exc.strerror}", source=source) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    try:
        line = 1
        for record in reader:
            if any(cell.strip() for cell in record):
                records.append((line, record))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableFileError(
            f"malformed CSV near line {reader.line_num}: {exc}", source=source
        ) from None
    if not records:
        raise UnreadableFileError("the file is empty", source=source)
    (_, header), body = records[0], records[1:]
    header = [cell.strip() for cell in header]
    missing = [c for c in columns if c not in header]
    if missing:
        raise MissingColumnError(", ".join(missing), source=source, column=missing[0])
    for line, record in body:
        if len(record) != len(header):
            raise InvalidValueError(
                f"the row has {len(record)} cells, the header {len(header)}", source=source,
                rows=[line],
            )  # fmt: skip
    frame = pd.DataFrame([record for _, record in body], columns=header, dtype=str)
    frame.insert(0, "_row", [line for line, _ in body])
    frame.attrs["source"] = source
    return frame


def _rows(frame: pd.DataFrame, bad: pd.Series) -> list[int]:
    """The file lines of the rows flagged in ``bad``."""
    return [int(r) for r in frame.loc[bad.to_numpy(), "_row"]]


def _numeric(frame: pd.DataFrame, column: str, *, integer: bool, required: bool) -> pd.Series:
    text = frame[column].str.strip()
    values = pd.to_numeric(text.where(text != ""), errors="coerce")
    bad = values.isna() & (text != "") | (values.isna() & required)
    if integer:
        bad |= values.notna() & (values != values.round())
    if bad.any():
        raise InvalidValueError(
            f"expected a {'whole ' if integer else ''}number",
            source=frame.attrs.get("source"),
            rows=_rows(frame, bad),
            column=column,
        )
    return values.astype("Int64") if integer else values.astype(float)


def load_published_scores(path: str | Path = PUBLISHED_SCORES_FILE) -> pd.DataFrame:
    """Every published IID figure, one row per region, year and figure, in file order.

    The one reader of the published scores: a file is parsed and checked once per process (again
    only when it changes: its size or modification time), and every caller gets its own copy.

    Columns: the file's (region_name, region_type, province, year (int), iid_score (float), scale,
    predicate_reported, rank_in_cluster (Int64), cluster_size (Int64), source_url, quote, note,
    preferred (``yes`` / ``no`` / ``""``: which figure of a conflict to use), preference_reason).
    Row numbers in errors are the file's own lines. Raises
    :class:`UnreadableFileError`, :class:`MissingColumnError` or :class:`InvalidValueError`
    (naming rows and column) on a malformed file, e.g. an unknown ``scale`` or a 0..100 figure
    outside 0..100.
    """
    key = _file_key(Path(path))
    if key is not None and key in _SCORES_READ:
        return _SCORES_READ[key].copy()
    frame = _read_published_scores(Path(path))
    if key is not None:
        _SCORES_READ.clear()  # one file per run: keep the latest only
        _SCORES_READ[key] = frame
    return frame.copy()


_SCORES_READ: dict[tuple, pd.DataFrame] = {}


def _file_key(path: Path) -> tuple | None:
    try:
        info = path.stat()
    except OSError:
        return None  # the reader names the problem
    return (str(path.resolve()), info.st_size, info.st_mtime_ns)


def _read_published_scores(path: Path) -> pd.DataFrame:
    frame = _read_csv(path, SCORE_COLUMNS)
    source = frame.attrs["source"]
    frame["year"] = _numeric(frame, "year", integer=True, required=True).astype(int)
    frame["iid_score"] = _numeric(frame, "iid_score", integer=False, required=True)
    for column in ("rank_in_cluster", "cluster_size"):
        frame[column] = _numeric(frame, column, integer=True, required=False)
    unknown = ~frame["scale"].isin(SCALES)
    if unknown.any():
        raise InvalidValueError(
            f"scale must be one of {', '.join(SCALES)}",
            source=source,
            rows=_rows(frame, unknown),
            column="scale",
        )
    index = frame["scale"] == SCALE_INDEX
    outside = index & ~frame["iid_score"].between(0.0, 100.0)
    if outside.any():
        raise InvalidValueError(
            "an index_0_100 figure must lie in 0..100",
            source=source,
            rows=_rows(frame, outside),
            column="iid_score",
        )
    frame["preferred"] = frame["preferred"].str.strip().str.lower()
    wrong = ~frame["preferred"].isin(PREFERRED_VALUES)
    if wrong.any():
        raise InvalidValueError(
            "preferred must be yes, no or empty", source=source, rows=_rows(frame, wrong),
            column="preferred",
        )  # fmt: skip
    return frame.drop(columns="_row")


def load_innovation_counts(path: str | Path = INNOVATION_COUNTS_FILE) -> pd.DataFrame:
    """Innovation counts per region and year with what each count means (``basis``) and source.

    Columns: region_name, region_type, province, year (int), innovations (Int64), basis,
    average_maturity (float, NaN where not published), source_url, note.
    """
    frame = _read_csv(Path(path), COUNT_COLUMNS)
    frame["year"] = _numeric(frame, "year", integer=True, required=True).astype(int)
    frame["innovations"] = _numeric(frame, "innovations", integer=True, required=True)
    frame["average_maturity"] = _numeric(frame, "average_maturity", integer=False, required=False)
    return frame.drop(columns="_row")


def load_national_summary(path: str | Path = NATIONAL_SUMMARY_FILE) -> pd.DataFrame:
    """National totals per year (regions, reports, innovations, predicate counts) with sources.

    Columns: year (int), scale, regions_total, regions_reporting, innovations_reported,
    n_sangat_inovatif, n_inovatif, n_kurang_inovatif, n_tidak_dapat_dinilai (all Int64, <NA>
    where not published), source_url, note.
    """
    frame = _read_csv(Path(path), NATIONAL_COLUMNS)
    frame["year"] = _numeric(frame, "year", integer=True, required=True).astype(int)
    for column in NATIONAL_COLUMNS[2:9]:
        frame[column] = _numeric(frame, column, integer=True, required=False)
    return frame.drop(columns="_row")


def region_innovation_counts(region: str, counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """A region's published innovation counts by year, oldest first (empty when none).

    Columns: year, innovations, basis (what the count means: ``reported``, ``registered``,
    ``submitted``, ``accepted``, ``inventoried``), source_url, note.
    """
    counts = load_innovation_counts() if counts is None else counts
    rows = counts[counts["region_name"] == region]
    columns = ["year", "innovations", "basis", "source_url", "note"]
    return rows.sort_values(["year", "basis"], kind="stable")[columns].reset_index(drop=True)


@dataclass(frozen=True)
class Alternative:
    """A published figure for a region-year that was not preferred (a conflict)."""

    year: int
    iid: float
    preferred_iid: float
    source_url: str
    note: str


@dataclass(frozen=True)
class RegionSeries:
    """A region's 0..100 IID series, one value per year (years ascending), with its sources.

    ``alternatives`` holds the figures that lost a conflict (see the module docstring); ``prefer``
    records which figure of a conflict the values use (``"decree"`` or ``"alternative"``).
    """

    region: str
    region_type: str
    years: tuple[int, ...]
    values: tuple[float, ...]
    sources: tuple[str, ...]
    alternatives: tuple[Alternative, ...] = ()
    prefer: str = PREFER_DECREE

    @property
    def n_points(self) -> int:
        return len(self.years)

    @property
    def last_year(self) -> int:
        return self.years[-1]

    @property
    def last_value(self) -> float:
        return self.values[-1]

    @property
    def has_conflict(self) -> bool:
        return bool(self.alternatives)

    def as_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(years as float, values) as numpy arrays."""
        return np.asarray(self.years, dtype=float), np.asarray(self.values, dtype=float)


def _check_prefer(prefer: str) -> None:
    if prefer not in PREFERENCES:
        raise UsageError(f"prefer must be one of {', '.join(PREFERENCES)}, got {prefer!r}")


def _index_rows(scores: pd.DataFrame, as_of: int | None, zeros: bool = False) -> pd.DataFrame:
    """The 0..100 rows up to ``as_of``: the scores, or (``zeros``) the published 0s."""
    rows = scores[(scores["scale"] == SCALE_INDEX) & ((scores["iid_score"] == 0) == zeros)]
    if as_of is not None:
        # A year's IID is announced in that year (IGA awards, December): as of year Y, the
        # figures for years <= Y are known.
        rows = rows[rows["year"] <= as_of]
    return rows


def _resolve(group: pd.DataFrame, prefer: str) -> tuple[pd.Series, list[pd.Series]]:
    """The chosen row of one region-year and the rows it was chosen over."""
    if len(group) == 1:  # nothing to choose between (most region-years)
        return group.iloc[0], []
    # yes first, unmarked next, no last; file order within each.
    rank = group["preferred"].map({"yes": 0, "": 1, "no": 2})
    ranked = group.assign(_rank=rank.to_numpy(), _order=range(len(group))).sort_values(
        ["_rank", "_order"], kind="stable"
    )
    # Identical figures from two sources are no conflict.
    ranked = ranked.drop_duplicates(subset="iid_score", keep="first")
    rows = [r for _, r in ranked.iterrows()]
    if prefer == PREFER_ALTERNATIVE and len(rows) > 1:
        rows = rows[1:2] + rows[:1] + rows[2:]
    return rows[0], rows[1:]


def peer_panel(
    scores: pd.DataFrame | None = None,
    *,
    prefer: str = PREFER_DECREE,
    as_of: int | None = None,
) -> pd.DataFrame:
    """Every region's 0..100 figures, one row per region and year, conflicts resolved.

    Parameters
    ----------
    scores : the output of :func:`load_published_scores` (read from data/raw when None).
    prefer : ``"decree"`` (default) keeps the figure the data marks ``preferred`` (the ministerial
        decree's); ``"alternative"`` takes the other figure of each conflict instead.
    as_of : keep only years up to this one.

    Returns
    -------
    DataFrame with columns region_name, region_type, province, year (int), iid (float, 0..100),
    source_url, preferred (bool: the data marks the figure used as preferred), alternative_iid
    (float, NaN when no conflict), alternative_source_url and alternative_note ("" when no
    conflict); sorted by region_name and year. Published 0s (no report) are left out: see
    :func:`not_reported`.
    """
    _check_prefer(prefer)
    scores = load_published_scores() if scores is None else scores
    rows = []
    for (region, year), group in _index_rows(scores, as_of).groupby(
        ["region_name", "year"], sort=True
    ):
        chosen, others = _resolve(group, prefer)
        rows.append(
            {
                "region_name": region,
                "region_type": chosen["region_type"],
                "province": chosen["province"],
                "year": int(year),
                "iid": float(chosen["iid_score"]),
                "source_url": chosen["source_url"],
                "preferred": chosen["preferred"] == "yes",
                "alternative_iid": float(others[0]["iid_score"]) if others else np.nan,
                "alternative_source_url": others[0]["source_url"] if others else "",
                "alternative_note": others[0]["note"] if others else "",
            }
        )
    return pd.DataFrame(rows, columns=list(PANEL_COLUMNS))


def not_reported(scores: pd.DataFrame | None = None, *, as_of: int | None = None) -> pd.DataFrame:
    """Region-years published as 0 on the 0..100 scale: the region did not report (not a score).

    Columns: region_name, region_type, province, year, predicate_reported, source_url.
    """
    scores = load_published_scores() if scores is None else scores
    columns = ["region_name", "region_type", "province", "year", "predicate_reported", "source_url"]
    rows = _index_rows(scores, as_of, zeros=True).drop_duplicates(["region_name", "year"])
    return rows[columns].sort_values(["region_name", "year"]).reset_index(drop=True)


def known_regions(scores: pd.DataFrame | None = None) -> tuple[str, ...]:
    """Names of every region in the published scores (any scale), sorted."""
    scores = load_published_scores() if scores is None else scores
    return tuple(sorted(scores["region_name"].unique()))


def published_spelling(name: str, scores: pd.DataFrame | None = None) -> str | None:
    """The published spelling of region ``name`` (:func:`region_key` equal), or None."""
    matches = {region_key(n): n for n in known_regions(scores)}
    return matches.get(region_key(name))


def region_series(
    region: str,
    scores: pd.DataFrame | None = None,
    *,
    prefer: str = PREFER_DECREE,
    as_of: int | None = None,
) -> RegionSeries:
    """A region's 0..100 series with conflicts resolved (see :func:`peer_panel`).

    Raises :class:`UsageError` when the region is not in the published data, or has no 0..100
    figure up to ``as_of`` (e.g. only raw point totals from before 2021).
    """
    scores = load_published_scores() if scores is None else scores
    if region not in set(scores["region_name"]):
        raise UsageError(
            f"region '{region}' is not in the published data "
            f"({len(known_regions(scores))} regions known; see data/raw/iid_published_scores.csv)"
        )
    return series_from_panel(region, peer_panel(scores, prefer=prefer, as_of=as_of), prefer=prefer)


def series_from_panel(
    region: str, panel: pd.DataFrame, *, prefer: str = PREFER_DECREE
) -> RegionSeries:
    """The series of one region taken from a panel (:func:`peer_panel` layout).

    Raises :class:`UsageError` when the panel has no row for the region.
    """
    rows = panel[panel["region_name"] == region].sort_values("year")
    if rows.empty:
        raise UsageError(f"region '{region}' has no published 0..100 IID in the data used")
    alternatives = tuple(
        Alternative(
            year=int(r.year),
            iid=float(r.alternative_iid),
            preferred_iid=float(r.iid),
            source_url=str(r.alternative_source_url),
            note=str(r.alternative_note),
        )
        for r in rows.itertuples()
        if not np.isnan(r.alternative_iid)
    )
    return RegionSeries(
        region=region,
        region_type=str(rows["region_type"].iloc[0]),
        years=tuple(int(y) for y in rows["year"]),
        values=tuple(float(v) for v in rows["iid"]),
        sources=tuple(str(s) for s in rows["source_url"]),
        alternatives=alternatives,
        prefer=prefer,
    )


def conflicts(scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """Region-years with two different published 0..100 figures.

    Columns: region_name, year, preferred_iid, preferred_source_url, alternative_iid,
    alternative_source_url, alternative_note, preference_reason (why the preferred figure is).
    """
    scores = load_published_scores() if scores is None else scores
    rows = []
    for (region, year), group in _index_rows(scores, None).groupby(["region_name", "year"]):
        chosen, others = _resolve(group, PREFER_DECREE)
        for other in others:
            rows.append(
                {
                    "region_name": region,
                    "year": int(year),
                    "preferred_iid": float(chosen["iid_score"]),
                    "preferred_source_url": chosen["source_url"],
                    "alternative_iid": float(other["iid_score"]),
                    "alternative_source_url": other["source_url"],
                    "alternative_note": other["note"],
                    "preference_reason": chosen["preference_reason"],
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "region_name",
            "year",
            "preferred_iid",
            "preferred_source_url",
            "alternative_iid",
            "alternative_source_url",
            "alternative_note",
            "preference_reason",
        ],
    )


def latest_year(scores: pd.DataFrame | None = None) -> int:
    """The latest year with a published 0..100 figure (2023 in this project's data)."""
    scores = load_published_scores() if scores is None else scores
    return int(_index_rows(scores, None)["year"].max())
