"""One region's indicator data, validated once and passed to every analysis.

:func:`iid_analysis.inputs.read.read_region` reads the files (each once), hashes the bytes it
parsed, recognises format and grain, validates once and returns the :class:`Region` that
scoring, levers, scenarios, plans, their simulation, the OPD view and the report take. Nothing
downstream reads or validates the files again. Notebooks build one from frames with
:meth:`Region.from_frames`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..messages import Message, message
from ..methodology import INOVASI, SPD, Methodology
from ..scoring import (
    RegionScore,
    SpdScore,
    basic_urusan_covered,
    combine,
    maturity,
    region_score_from_parts,
    score_checked,
    spd_score_from_levels,
)
from .formats import LEVELS_FORMAT
from .validation import PROFILE_REQUIRED, ROW, STATUS_REJECTED, check_innovations, check_spd

GRAIN_LEVEL = "level"
GRAIN_MATURITY = "maturity"
ASSUMPTION_MATURITY_GRAIN = "maturity_grain"
"""Named in a maturity-grain region's score: maturities as given, no indicator levels."""


@dataclass(frozen=True)
class SourceFile:
    """A file a region was read from: its role (``spd``, ``innovations``, ``profiles``), the
    path as given, and the SHA-256 of its bytes."""

    role: str
    path: str
    sha256: str


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes (for files that are not read as data; the readers hash
    the bytes they parse: :func:`iid_analysis.inputs.files.read_raw`)."""
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
    ``sources``: the files it was read from, with the hashes of the bytes parsed (empty for
    frames built in code).

    ``grain``: ``level`` (indicator levels) or ``maturity`` (innovations known by their
    *kematangan* only: ``innovations`` is the maturity-grain table of
    :func:`~iid_analysis.inputs.importers.check_maturities`, ``levels`` is None and
    ``maturities`` are the file's). ``format``/``format_label``/``format_provenance``: the
    layout recognised (:mod:`~iid_analysis.inputs.formats`); ``data_year``: the assessment year
    of the data (None for frames built in code: then the rules' year); ``spd_known``: False when
    no SPD was given (SPD levels then 0); ``notes``/``ignored``/``sheets``: what the reader said,
    the columns not used, the sheet read for each role.
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
    grain: str = GRAIN_LEVEL
    format: str = LEVELS_FORMAT
    format_label: str = "iid-analysis innovations file at level grain"
    format_provenance: str = "CONFIRMED"
    data_year: int | None = None
    spd_known: bool = True
    notes: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    sheets: dict[str, str] = field(default_factory=dict)

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
    def _from_checked(
        cls, spd_by_number, table, methodology, sources=(), name="", **described
    ) -> Region:
        """The region of validated data (``described``: the reader's fields, grain, format...)."""
        spd_numbers = methodology.spd_numbers
        spd_levels = np.array([spd_by_number.get(n, 0) for n in spd_numbers], dtype=int)
        table = table.drop(columns=ROW, errors="ignore").reset_index(drop=True)
        if described.get("grain", GRAIN_LEVEL) == GRAIN_MATURITY:
            levels = None
        else:
            numbers = list(methodology.innovation_numbers)
            levels = _read_only(
                table[numbers].to_numpy(dtype=int).reshape(len(table), len(numbers))
            )
        return cls(
            methodology=methodology,
            spd=pd.DataFrame({"indicator": list(spd_numbers), "level": spd_levels}),
            innovations=table,
            spd_levels=_read_only(spd_levels),
            levels=levels,
            rejected=_read_only((table["status"] == STATUS_REJECTED).to_numpy()),
            spd_table=_read_only(methodology.points_table(SPD)),
            innovation_table=_read_only(methodology.points_table(INOVASI)),
            sources=tuple(sources),
            name=name,
            **described,
        )

    def described(self) -> dict:
        """The reader's fields (grain, format, data year, ...), to carry into a derived region."""
        names = (
            "grain", "format", "format_label", "format_provenance", "data_year", "spd_known",
            "notes", "ignored", "sheets",
        )  # fmt: skip
        return {n: getattr(self, n) for n in names}

    def recognised(self) -> Message:
        """Which file was recognised as which format, for a page in the reader's language
        (catalogue ``inputs.recognised``; the format named by ``inputs.format.<format>``)."""
        files = {s.role: s.path for s in self.sources}
        return message(
            "inputs.recognised",
            file=Path(files.get("innovations", "<innovations>")).name,
            format=message(f"inputs.format.{self.format}"),
            n=self.n,
            grain=message(f"inputs.grain.{self.grain}"),
        )

    @property
    def assessment_year(self) -> int:
        """The data's assessment year: ``data_year``, else the rules' year."""
        return self.data_year if self.data_year is not None else self.methodology.year

    def under(self, methodology: Methodology) -> Region:
        """The same data under another year's rules.

        When both years have the same indicators the levels carry over without validating
        again; otherwise the frames are validated against ``methodology``.
        """
        if methodology is self.methodology:
            return self
        if self.grain == GRAIN_MATURITY:
            methodology.require_scoring()
            return dataclasses.replace(
                self,
                methodology=methodology,
                spd_table=_read_only(methodology.points_table(SPD)),
                innovation_table=_read_only(methodology.points_table(INOVASI)),
            )
        same = set(methodology.spd_numbers) == set(self.methodology.spd_numbers) and set(
            methodology.innovation_numbers
        ) == set(self.methodology.innovation_numbers)
        if not same:
            region = Region.from_frames(
                self.spd, self.innovations, methodology, sources=self.sources, name=self.name
            )
            return dataclasses.replace(region, **self.described())
        methodology.require_scoring()
        spd_by_number = dict(zip(self.spd["indicator"], self.spd["level"], strict=True))
        return Region._from_checked(
            spd_by_number, self.innovations, methodology, self.sources, self.name,
            **self.described(),
        )

    # --- profile ------------------------------------------------------------------------
    @property
    def n(self) -> int:
        return len(self.innovations)

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
        if self.grain == GRAIN_MATURITY:
            values = self.innovations["maturity"].to_numpy(dtype=float)
            return _read_only(np.where(self.rejected, 0.0, values))
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
        if self.grain != GRAIN_MATURITY:
            return score_checked(self.spd_by_number, self.innovations, self.methodology)
        if not self.spd_known:
            raise UsageError(
                "innovations at maturity grain without SPD levels: the IID cannot be computed; "
                "give the SPD file"
            )
        spd = self.spd_score()
        return region_score_from_parts(
            spd.total,
            self.maturity_sum,
            self.n,
            self.methodology,
            extra_provisional=(ASSUMPTION_MATURITY_GRAIN, *spd.provisional_rules),
            any_rejected=bool(self.rejected.any()),
            basic_urusan_covered=basic_urusan_covered(self.innovations),
        )

    def spd_score(self) -> SpdScore:
        """The SPD points by indicator (:func:`~iid_analysis.scoring.score_spd`)."""
        return spd_score_from_levels(self.spd_by_number, self.methodology)

    def innovation_scores(self) -> pd.DataFrame:
        """Per-innovation scores, as :func:`~iid_analysis.scoring.score_innovations` gives them
        (at maturity grain: the profile and ``maturity`` only)."""
        if self.grain == GRAIN_MATURITY:
            result = self.innovations[list(PROFILE_REQUIRED)].copy()
            result["maturity"] = self.maturities
            return result.reset_index(drop=True)
        points = self.innovation_table[np.arange(self.innovation_table.shape[0]), self.levels]
        points = np.where(self.rejected[:, None], 0.0, points)
        result = self.innovations[list(PROFILE_REQUIRED)].copy()
        result["maturity"] = points.sum(axis=1)
        for j, number in enumerate(self.methodology.innovation_numbers):
            result[f"points_{number}"] = points[:, j]
        return result.reset_index(drop=True)


__all__ = [
    "GRAIN_LEVEL",
    "GRAIN_MATURITY",
    "Region",
    "SourceFile",
    "sha256_file",
]
