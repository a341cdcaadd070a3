"""Machine-readable datasheets of indicator data files: what a file is, so that no general code
decides it from a file name or assumes one city's figures.

A datasheet is a YAML file named ``<anything>.datasheet.yaml`` in the same folder as the data
files it describes, listing them under ``files``::

    region: Kota Mojokerto
    year: 2023                      # the assessment year of the indicator data
    files: [kota_mojokerto_2023_spd_SYNTHETIC.csv, kota_mojokerto_2023_innovations_SYNTHETIC.csv]
    synthetic: true                 # made-up, illustrative data (default false)
    built_to_reproduce:             # optional: the published IID the data was made to give
      year: 2023
      iid: 84.46
      source: https://...
    description: ...                # optional
    generator: ...                  # optional, for people: how the files were made

A data file with no datasheet is taken as real data of unknown origin: no SYNTHETIC label, no
claim about what it reproduces.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import InvalidValueError

DATASHEET_SUFFIX = ".datasheet.yaml"
MAX_DATASHEET_BYTES = 64 * 1024
"""A datasheet is a few lines; anything larger is not one (and is not read)."""


@dataclass(frozen=True)
class Reproduction:
    """The published IID a (synthetic) data set was built to reproduce, with its source.

    Matching it is by construction, never a validation of the scoring.
    """

    year: int
    iid: float
    source: str


@dataclass(frozen=True)
class Datasheet:
    """One datasheet: the files it describes (names in its folder) and what they are."""

    path: Path
    files: tuple[str, ...]
    synthetic: bool = False
    region: str | None = None
    year: int | None = None
    built_to_reproduce: Reproduction | None = None
    description: str = ""

    def describes(self, data_file: str | Path) -> bool:
        data_file = Path(data_file)
        return data_file.name in self.files and _same_dir(data_file.parent, self.path.parent)


def read_datasheet(path: str | Path) -> Datasheet:
    """The datasheet in ``path``. Raises :class:`InvalidValueError` naming the file and the
    field when it is not a valid datasheet."""
    path = Path(path)
    source = str(path)
    try:
        if not path.is_file():  # a FIFO or device would block or never end
            raise InvalidValueError("not a regular file", source=source)
        if path.stat().st_size > MAX_DATASHEET_BYTES:
            raise InvalidValueError(f"larger than {MAX_DATASHEET_BYTES} bytes", source=source)
        values = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        reason = f"cannot read the datasheet ({exc.strerror})"
        raise InvalidValueError(reason, source=source) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        raise InvalidValueError(f"not valid YAML ({first})", source=source) from None
    if not isinstance(values, dict):
        raise InvalidValueError("expected a YAML mapping", source=source)
    known = {"region", "year", "files", "synthetic", "built_to_reproduce", "description",
             "generator"}
    unknown = sorted(str(k) for k in values if k not in known)
    if unknown:
        raise InvalidValueError(
            f"unknown field(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})",
            source=source,
        )
    files = values.get("files")
    if not isinstance(files, list) or not files or not all(
        isinstance(f, str) and f and Path(f).name == f for f in files
    ):
        raise InvalidValueError(
            "must list the data files it describes (plain file names in its folder)",
            source=source, column="files",
        )
    synthetic = values.get("synthetic", False)
    if not isinstance(synthetic, bool):
        raise InvalidValueError(f"must be true or false, got {synthetic!r}", source=source,
                                column="synthetic")
    region = values.get("region")
    if region is not None and not isinstance(region, str):
        raise InvalidValueError(f"must be text, got {region!r}", source=source, column="region")
    year = values.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise InvalidValueError(f"must be a whole number, got {year!r}", source=source,
                                column="year")
    description = values.get("description") or ""
    if not isinstance(description, str):
        raise InvalidValueError("must be text", source=source, column="description")
    return Datasheet(
        path=path,
        files=tuple(files),
        synthetic=synthetic,
        region=region,
        year=year,
        built_to_reproduce=_reproduction(values.get("built_to_reproduce"), source),
        description=description.strip(),
    )


def datasheet_for(data_file: str | Path) -> Datasheet | None:
    """The datasheet beside ``data_file`` that lists it (None when there is none).

    Raises :class:`InvalidValueError` when a datasheet in that folder is malformed.
    """
    data_file = Path(data_file)
    folder = data_file.parent
    if not folder.is_dir():
        return None
    for candidate in sorted(folder.glob(f"*{DATASHEET_SUFFIX}")):
        sheet = read_datasheet(candidate)
        if sheet.describes(data_file):
            return sheet
    return None


def datasheet_of(*data_files: str | Path) -> Datasheet | None:
    """The first datasheet found for any of ``data_files`` (a region's SPD and innovations
    files share one), or None."""
    for data_file in data_files:
        sheet = datasheet_for(data_file)
        if sheet is not None:
            return sheet
    return None


def _reproduction(value, source: str) -> Reproduction | None:
    if value is None:
        return None
    column = "built_to_reproduce"
    if not isinstance(value, dict) or set(value) != {"year", "iid", "source"}:
        raise InvalidValueError("must give year, iid and source", source=source, column=column)
    year, iid, where = value["year"], value["iid"], value["source"]
    if isinstance(year, bool) or not isinstance(year, int):
        raise InvalidValueError(f"year must be a whole number, got {year!r}", source=source,
                                column=column)
    if isinstance(iid, bool) or not isinstance(iid, int | float) or not (
        math.isfinite(iid) and 0 <= iid <= 100
    ):
        raise InvalidValueError(f"iid must be a number 0..100, got {iid!r}", source=source,
                                column=column)
    if not isinstance(where, str) or not where.strip():
        raise InvalidValueError("source must be text", source=source, column=column)
    return Reproduction(year=year, iid=float(iid), source=where.strip())


def _same_dir(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
