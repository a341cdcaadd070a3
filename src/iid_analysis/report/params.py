"""The report's parameters: one frozen value, read from keyword arguments or a YAML file.

Every value is plain data (str, int, float or None) so that papermill writes it into the
notebook as a Python literal, never as code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd
import yaml

from ..config import (
    EXAMPLE_INNOVATIONS_FILE,
    EXAMPLE_REGION,
    EXAMPLE_SPD_FILE,
    INNOVATION_COUNTS_FILE,
    PUBLISHED_SCORES_FILE,
    region_key,
)
from ..errors import UsageError
from ..inputs.published import load_published_scores, published_spelling
from .i18n import DEFAULT_LANGUAGE, check_language

MAX_NAME_LENGTH = 200
MAX_PARAMS_BYTES = 1_000_000
"""A params file larger than this is refused unread (a params file is a few lines)."""
DEFAULT_SEED = 2024
DEFAULT_N_DRAWS = 4000
DEFAULT_TIMEOUT = 600
"""Seconds any one notebook cell may run before the report fails."""


@dataclass(frozen=True)
class ReportParams:
    """Parameters of one report.

    ``target`` None means "higher than the last published IID"; ``indicator_year`` None means
    ``target_year - 1`` (the rules year of the indicator data); paths None mean the shipped files.
    ``innovations`` may be a maturity-grain file (a recognised export of the IID application or
    our maturity-grain CSV): the report is then made at that grain, and without ``spd`` the SPD
    is taken from the region's published IID of the data's year.
    """

    region: str
    target_year: int
    target: float | None = None
    as_of_date: str | None = None
    """The date the report is made as if (YYYY-MM-DD): the published IIDs announced by then are
    used, and the plan is made on it (the data-entry window still open then, the weeks left, the
    worklist's deadlines). None: today, fixed when the report is made (:meth:`dated`)."""
    published_scores: str | None = None
    innovation_counts: str | None = None
    spd: str | None = None
    innovations: str | None = None
    indicator_year: int | None = None
    lang: str = DEFAULT_LANGUAGE
    seed: int = DEFAULT_SEED
    n_draws: int = DEFAULT_N_DRAWS
    maturity_goal: int | None = None
    """The city's own maturity goal per innovation (Kota Mojokerto asks its OPDs for 105): adds
    the scenario "every innovation at this maturity". None: no such scenario."""
    issuing_unit: str | None = None
    """The unit issuing the report, named on its first screen (e.g. "Bappedalitbang Kota
    Mojokerto"). None: not named."""
    history: str | None = None
    """The region's own IID history, a CSV with columns year, iid, source
    (:mod:`iid_analysis.inputs.history`): it takes the place of the region's published figures
    (for a region that is not in the published data). None: the published figures only."""

    def __post_init__(self) -> None:
        _check_text("region", self.region)
        if not slugify(self.region):
            raise UsageError(f"region {self.region!r} has no letter or digit to name a file by")
        _check_int("target_year", self.target_year, 2021, 2100)
        if self.target is not None:
            if isinstance(self.target, bool) or not isinstance(self.target, int | float):
                raise UsageError(f"target must be a number, got {self.target!r}")
            if not 0 < float(self.target) <= 100:
                raise UsageError(f"target must lie in (0, 100], got {self.target}")
        if self.as_of_date is not None:
            _check_text("as_of_date", self.as_of_date)
            try:
                dt.date.fromisoformat(self.as_of_date)
            except ValueError:
                raise UsageError(
                    f"as_of_date must be a date YYYY-MM-DD, got {self.as_of_date!r}"
                ) from None
        for name in ("published_scores", "innovation_counts", "spd", "innovations", "history"):
            value = getattr(self, name)
            if value is not None:
                _check_text(name, value)
        if self.indicator_year is not None:
            _check_int("indicator_year", self.indicator_year, 2021, 2100)
        if not isinstance(self.lang, str):
            raise UsageError(f"lang must be text, got {self.lang!r}")
        check_language(self.lang)
        _check_int("seed", self.seed, 0, 2**32 - 1)
        _check_int("n_draws", self.n_draws, 100, 1_000_000)
        if self.maturity_goal is not None:
            _check_int("maturity_goal", self.maturity_goal, 1, 1000)
        if self.issuing_unit is not None:
            _check_text("issuing_unit", self.issuing_unit)
        if not self.is_example and self.innovations is None:
            raise UsageError(
                f"no indicator data for {self.region!r}: the shipped example is "
                f"{EXAMPLE_REGION}'s; give the innovations file (and the spd file, which "
                "innovations at level grain need)"
            )

    # --- derived values ------------------------------------------------------------------
    @property
    def is_example(self) -> bool:
        """The region of the shipped example (whose files stand in for ``spd``/``innovations``
        not given; at maturity grain a missing ``spd`` is never the example's)."""
        return region_key(self.region) == region_key(EXAMPLE_REGION)

    @property
    def slug(self) -> str:
        return slugify(self.region)

    @property
    def stem(self) -> str:
        """File name stem of the report: ``<region-slug>_<target_year>``, with ``_<lang>``
        added for a language other than the default (so both can sit side by side)."""
        suffix = "" if self.lang == DEFAULT_LANGUAGE else f"_{self.lang}"
        return f"{self.slug}_{self.target_year}{suffix}"

    @property
    def plan_date(self) -> dt.date:
        """The date the plan is made: ``as_of_date``, or today when it is None."""
        return dt.date.fromisoformat(self.as_of_date) if self.as_of_date else today()

    def dated(self) -> ReportParams:
        """These parameters with ``as_of_date`` fixed (today when None), so that the report
        records the date its plan was made on and the same parameters give the same report."""
        if self.as_of_date is not None:
            return self
        return self.replace(as_of_date=today().isoformat())

    @property
    def data_year(self) -> int:
        return self.indicator_year if self.indicator_year is not None else self.target_year - 1

    def path(self, name: str) -> Path:
        """The data file for ``name`` (published_scores, innovation_counts, spd, innovations,
        history)."""
        value = getattr(self, name)
        return Path(value) if value is not None else DEFAULT_PATHS[name]

    def data_paths(self) -> dict[str, Path]:
        """Every data file the report reads (the history only when given)."""
        paths = {name: self.path(name) for name in DEFAULT_PATHS}
        if self.history is not None:
            paths["history"] = Path(self.history)
        return paths

    def as_dict(self) -> dict[str, object]:
        """The parameters as plain values, in field order (what papermill injects)."""
        return dataclasses.asdict(self)

    def replace(self, **changes: object) -> ReportParams:
        return dataclasses.replace(self, **changes)

    # --- construction --------------------------------------------------------------------
    @classmethod
    def from_mapping(cls, values: dict, source: str = "parameters") -> ReportParams:
        """Parameters from a mapping; unknown keys and missing region/target_year raise
        :class:`UsageError` naming ``source``."""
        if not isinstance(values, dict):
            raise UsageError(f"{source}: expected a mapping of parameter names to values")
        known = {f.name for f in fields(cls)}
        unknown = sorted(str(k) for k in values if k not in known)
        if unknown:
            raise UsageError(
                f"{source}: unknown parameter(s) {', '.join(unknown)} "
                f"(known: {', '.join(f.name for f in fields(cls))})"
            )
        missing = [k for k in ("region", "target_year") if values.get(k) is None]
        if missing:
            raise UsageError(f"{source}: missing {', '.join(missing)}")
        clean = {k: _plain(v) for k, v in values.items()}
        try:
            return cls(**clean)
        except UsageError as exc:  # a value out of range: say where it came from
            message = str(exc)
            if message.startswith(f"{source}:"):
                raise
            raise UsageError(f"{source}: {message}") from None


DEFAULT_PATHS: dict[str, Path] = {
    "published_scores": PUBLISHED_SCORES_FILE,
    "innovation_counts": INNOVATION_COUNTS_FILE,
    "spd": EXAMPLE_SPD_FILE,
    "innovations": EXAMPLE_INNOVATIONS_FILE,
}


class _DatesAsText(yaml.SafeLoader):
    """YAML's safe loader with dates left as text: ``as_of_date: 2024-02-30`` is then refused as
    that key's bad value (naming the key), not as a YAML error."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_params_file(path: str | Path) -> dict:
    """The mapping in a YAML params file (paths in it are relative to the file's folder).

    Raises :class:`UsageError` when the file is missing or not a YAML mapping.
    """
    path = Path(path)
    try:
        if not path.is_file():
            what = "not found" if not path.exists() else "not a regular file"
            raise UsageError(f"{path}: cannot read the params file ({what})")
        if path.stat().st_size > MAX_PARAMS_BYTES:
            raise UsageError(f"{path}: params file larger than {MAX_PARAMS_BYTES} bytes")
        values = yaml.load(path.read_bytes().decode("utf-8"), Loader=_DatesAsText)  # noqa: S506
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the params file ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{path}: not UTF-8 text (byte {exc.start}); a params file is YAML text"
        ) from None
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        raise UsageError(f"{path}: not valid YAML ({first})") from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # YAML's own value constructors (dates are read as text: see _DatesAsText)
        raise UsageError(f"{path}: invalid value in the params file ({exc})") from None
    if not isinstance(values, dict):
        raise UsageError(f"{path}: expected a YAML mapping of parameter names to values")
    for name in (*DEFAULT_PATHS, "history"):
        value = values.get(name)
        if isinstance(value, str) and not Path(value).is_absolute():
            values[name] = str((path.parent / value).resolve())
    return values


def load_params(path: str | Path, **overrides: object) -> ReportParams:
    """Parameters from a YAML file, with ``overrides`` (None values ignored) on top."""
    values = read_params_file(path)
    given = {k: v for k, v in overrides.items() if v is not None}
    values.update(given)
    source = str(path) if not given else f"{path} with the options {', '.join(sorted(given))}"
    return ReportParams.from_mapping(values, source=source)


def canonical_region(
    name: str, published: str | Path | None = None, scores: pd.DataFrame | None = None
) -> str | None:
    """The published spelling of region ``name`` (case, spaces and punctuation aside), or None
    when no published region matches. ``scores``: the published scores already read (else the
    file ``published``, by default the package's, is read). A malformed published file raises
    the reader's one-line error (:class:`~iid_analysis.errors.IIDError`)."""
    if scores is None:
        scores = load_published_scores(
            Path(published) if published is not None else PUBLISHED_SCORES_FILE
        )
    return published_spelling(name, scores)


def with_canonical_region(
    params: ReportParams, scores: pd.DataFrame | None = None
) -> ReportParams:
    """``params`` with the region spelled as published, when a published region matches.
    ``scores``: the published scores already read (else ``params``' file is read)."""
    canonical = canonical_region(params.region, params.path("published_scores"), scores)
    if canonical is None or canonical == params.region:
        return params
    return params.replace(region=canonical)


def today() -> dt.date:
    """Today's date (the default ``as_of_date``; one place, so that tests can move it)."""
    return dt.date.today()


def slugify(name: str) -> str:
    """A file-name-safe form of a region name: ``Kota Mojokerto`` -> ``kota-mojokerto``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80].strip("-")


def _plain(value: object) -> object:
    # YAML reads dates as datetime.date; the notebook wants text.
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def _check_text(name: str, value: object) -> None:
    if not isinstance(value, str):
        raise UsageError(f"{name} must be text, got {value!r}")
    if not value.strip() or len(value) > MAX_NAME_LENGTH * 10:
        raise UsageError(f"{name} must be non-empty text of reasonable length")
    if any(ord(c) < 32 and c not in "\t" for c in value):
        raise UsageError(f"{name} must not contain control characters or line breaks")


def _check_int(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise UsageError(f"{name} must be a whole number, got {value!r}")
    if not low <= value <= high:
        raise UsageError(f"{name} must lie in {low}..{high}, got {value}")
