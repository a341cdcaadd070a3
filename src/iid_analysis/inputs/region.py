"""One region's indicator data, validated once and passed to every analysis.

:func:`load_region` reads the files, validates them against one year's rules and hashes them;
the :class:`Region` it returns is what scoring, levers, scenarios, plans, their simulation, the
OPD view and the report take. Nothing downstream reads or validates the files again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ..methodology import INOVASI, SPD, Methodology
from ..scoring import (
    RegionScore,
    SpdScore,
    basic_urusan_covered,
    combine,
    maturity,
    score_checked,
    spd_score_from_levels,
)
from .validation import PROFILE_REQUIRED, ROW, STATUS_REJECTED, check_innovations, check_spd


@dataclass(frozen=True)
class SourceFile:
    """A file a region was read from: its role (``spd``, ``innovations``, ``profiles``), the
    path as given, and the SHA-256 of its bytes."""

    role: str
    path: str
    sha256: str


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_only(array: np.ndarray) -> np.ndarray:
    array = np.array(array)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class Region:
    """One region's validated indicator data under one year's rules. Immutable.

    ``spd``: every SPD indicator of the table with its level (columns indicator, level);
    ``innovations``: the wide, normalised table of
    :func:`~iid_analysis.inputs.validation.check_innovations` (profile columns, ``16``..``35``, and
    any
    other columns of the input such as ``urusan`` or evidence links), one row per innovation.
    ``spd_levels`` (SPD indicators, table order) and ``levels`` (innovations x indicators
    16..35) are the same levels as read-only int arrays; ``rejected`` marks ``ditolak``.
    ``spd_table`` and ``innovation_table`` are the points by indicator (rows) and level 0..3.
    ``sources``: the files it was read from, with their hashes (empty for frames built in code).
    """

    methodology: Methodology
    spd: pd.DataFrame
    innovations: pd.DataFrame
    spd_levels: np.ndarray
    levels: np.ndarray
    rejected: np.ndarray
    spd_table: np.ndarray
    innovation_table: np.ndarray
    sources: tuple[SourceFile, ...] = ()
    name: str = ""

    @classmethod
    def from_frames(
        cls,
        spd: pd.DataFrame,
        innovations: pd.DataFrame,
        methodology: Methodology,
        *,
        sources: tuple[SourceFile, ...] = (),
        name: str = "",
    ) -> Region:
        """Validate the frames (raising :class:`IIDDataError` subclasses) and build the region."""
        methodology.require_scoring()
        spd_by_number = check_spd(spd, methodology)
        table = check_innovations(innovations, methodology).drop(columns=ROW, errors="ignore")
        return cls._from_checked(spd_by_number, table, methodology, sources, name)

    @classmethod
    def _from_checked(cls, spd_by_number, table, methodology, sources=(), name="") -> Region:
        spd_numbers = methodology.spd_numbers
        spd_levels = np.array([spd_by_number.get(n, 0) for n in spd_numbers], dtype=int)
        table = table.reset_index(drop=True)
        numbers = list(methodology.innovation_numbers)
        levels = table[numbers].to_numpy(dtype=int).reshape(len(table), len(numbers))
        return cls(
            methodology=methodology,
            spd=pd.DataFrame({"indicator": list(spd_numbers), "level": spd_levels}),
            innovations=table,
            spd_levels=_read_only(spd_levels),
            levels=_read_only(levels),
            rejected=_read_only((table["status"] == STATUS_REJECTED).to_numpy()),
            spd_table=_read_only(methodology.points_table(SPD)),
            innovation_table=_read_only(methodology.points_table(INOVASI)),
            sources=tuple(sources),
            name=name,
        )

    def under(self, methodology: Methodology) -> Region:
        """The same data under another year's rules.

        When both years have the same indicators the levels carry over without validating
        again; otherwise the frames are validated against ``methodology``.
        """
        if methodology is self.methodology:
            return self
        same = set(methodology.spd_numbers) == set(self.methodology.spd_numbers) and set(
            methodology.innovation_numbers
        ) == set(self.methodology.innovation_numbers)
        if not same:
            return Region.from_frames(
                self.spd, self.innovations, methodology, sources=self.sources, name=self.name
            )
        methodology.require_scoring()
        spd_by_number = dict(zip(self.spd["indicator"], self.spd["level"], strict=True))
        return Region._from_checked(
            spd_by_number, self.innovations, methodology, self.sources, self.name
        )

    # --- profile ------------------------------------------------------------------------
    @property
    def n(self) -> int:
        return int(self.levels.shape[0])

    @property
    def ids(self) -> list[str]:
        return list(self.innovations["innovation_id"])

    @property
    def opds(self) -> list[str]:
        return list(self.innovations["opd"])

    @property
    def stages(self) -> np.ndarray:
        return self.innovations["stage"].to_numpy()

    @property
    def spd_by_number(self) -> dict[str, int]:
        numbers = self.methodology.spd_numbers
        return {n: int(v) for n, v in zip(numbers, self.spd_levels, strict=True)}

    def source_hashes(self) -> pd.DataFrame:
        """One row per source file: role, path, sha256."""
        return pd.DataFrame(
            [(s.role, s.path, s.sha256) for s in self.sources], columns=["role", "path", "sha256"]
        )

    # --- points ---------------------------------------------------------------------------
    @cached_property
    def spd_total(self) -> float:
        table = self.spd_table
        return float(table[np.arange(len(table)), self.spd_levels].sum())

    @cached_property
    def maturities(self) -> np.ndarray:
        """Kematangan of each innovation (0 when rejected); read-only."""
        return _read_only(maturity(self.levels, self.rejected, self.methodology))

    @cached_property
    def maturity_sum(self) -> float:
        return float(self.maturities.sum())

    @cached_property
    def count_allowed(self) -> bool:
        """Whether the count score counts: False only when the year's ``min_basic_urusan``
        rule (from 2026) is checked on an ``urusan`` column and not met. Levers and plans keep
        the innovations' urusan as they are."""
        minimum = self.methodology.min_basic_urusan
        covered = basic_urusan_covered(self.innovations)
        return minimum is None or covered is None or covered >= minimum

    def parts(self, spd_total=None, maturity_sum=None, n=None) -> dict:
        """The formula's parts (:func:`~iid_analysis.scoring.combine`: divisor, mean_maturity,
        count_score, sid, total, iid_unrounded), with any of its three inputs replaced (scalars
        or arrays) and the region's urusan coverage."""
        return combine(
            self.spd_total if spd_total is None else spd_total,
            self.maturity_sum if maturity_sum is None else maturity_sum,
            self.n if n is None else n,
            self.methodology,
            count_allowed=self.count_allowed,
        )

    def iid_unrounded(self, spd_total=None, maturity_sum=None, n=None):
        """The unrounded IID, with any of its three inputs replaced (scalars or arrays)."""
        return self.parts(spd_total, maturity_sum, n)["iid_unrounded"]

    def score(self) -> RegionScore:
        """The region's score by the scoring engine (with its provisional rules)."""
        return self._score

    @cached_property
    def _score(self) -> RegionScore:
        return score_checked(self.spd_by_number, self.innovations, self.methodology)

    def spd_score(self) -> SpdScore:
        """The SPD points by indicator (:func:`~iid_analysis.scoring.score_spd`)."""
        return spd_score_from_levels(self.spd_by_number, self.methodology)

    def innovation_scores(self) -> pd.DataFrame:
        """Per-innovation scores, as :func:`~iid_analysis.scoring.score_innovations` gives them."""
        points = self.innovation_table[np.arange(self.innovation_table.shape[0]), self.levels]
        points = np.where(self.rejected[:, None], 0.0, points)
        result = self.innovations[list(PROFILE_REQUIRED)].copy()
        result["maturity"] = points.sum(axis=1)
        for j, number in enumerate(self.methodology.innovation_numbers):
            result[f"points_{number}"] = points[:, j]
        return result.reset_index(drop=True)


def load_region(
    methodology: Methodology,
    spd: str | Path,
    innovations: str | Path,
    *,
    profiles: str | Path | None = None,
    name: str = "",
) -> Region:
    """Read, validate and hash a region's SPD and innovation files (CSV or Excel).

    ``profiles``: the profile file of long-form innovation levels. Raises the
    :class:`~iid_analysis.errors.IIDDataError` subclasses of the readers.
    """
    from .dataset import load_innovations, load_spd

    spd_frame = load_spd(spd, methodology)
    innovation_frame = load_innovations(innovations, methodology, profiles=profiles)
    files = [("spd", spd), ("innovations", innovations)]
    if profiles is not None:
        files.append(("profiles", profiles))
    sources = tuple(SourceFile(role, str(path), sha256_file(path)) for role, path in files)
    return Region._from_checked(
        dict(zip(spd_frame["indicator"], spd_frame["level"], strict=True)),
        innovation_frame.drop(columns=ROW, errors="ignore"),
        methodology,
        sources,
        name,
    )


def as_region(
    data: Region | pd.DataFrame,
    innovations: pd.DataFrame | None = None,
    methodology: Methodology | None = None,
) -> Region:
    """``data`` itself when it is a :class:`Region` (under ``methodology``, if given), else the
    region validated from the frames ``data`` (SPD), ``innovations`` and ``methodology``.

    The feasibility functions take either form; notebooks may keep passing frames.
    """
    if isinstance(data, Region):
        if innovations is not None:
            raise TypeError("give a Region alone, or the SPD and innovation frames and rules")
        return data if methodology is None else data.under(methodology)
    if innovations is None or methodology is None:
        raise TypeError("frames need the innovations table and the methodology too")
    return Region.from_frames(data, innovations, methodology)


def region_and_args(data: Region | pd.DataFrame, args: tuple, names: tuple[str, ...]):
    """Split a call's positional arguments ``(region, *rest)`` or, for notebook users,
    ``(spd, innovations, methodology, *rest)``: returns the region and ``rest``.

    ``names`` are the names of ``rest`` (for the message when the count is wrong).
    """
    if isinstance(data, Region):
        region, rest = data, tuple(args)
    else:
        if len(args) < 2:
            raise TypeError("give a Region, or the SPD and innovation frames and the methodology")
        region, rest = Region.from_frames(data, args[0], args[1]), tuple(args[2:])
    if len(rest) != len(names):
        raise TypeError(f"expected the region, then {', '.join(names)}; got {len(rest)} more")
    return region, rest


__all__ = ["Region", "SourceFile", "as_region", "load_region", "region_and_args", "sha256_file"]
