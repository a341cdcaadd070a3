"""The one input boundary: a region's files in, one validated :class:`Region` out.

:func:`read_region` reads each file's bytes once (:func:`~iid_analysis.inputs.files.read_raw`),
hashes exactly those bytes, recognises the format and the grain by the columns
(:mod:`~iid_analysis.inputs.formats`), validates once and returns the region. Every command and
library entry point that takes indicator data goes through it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..errors import InvalidValueError, UsageError
from ..methodology import Methodology, load_methodology
from .dataset import innovations_from_frame, spd_from_frame
from .files import EXCEL_SUFFIXES, RawFile, read_raw
from .formats import (
    LEVELS_FORMAT,
    find_sheets,
    header_test,
    is_level_grain,
    sheet_for_role,
    workbook_sheet_names,
)
from .importers import ImportResult, import_frame
from .region import GRAIN_LEVEL, GRAIN_MATURITY, Region, SourceFile
from .tables import read_table
from .validation import ROW, source_of

DATA_YEAR = "data_year"
"""The column of the data's assessment year (written by ``collect --year``)."""

LEVELS_LABEL = "iid-analysis innovations file at level grain"


def read_region(
    *,
    innovations: str | Path,
    spd: str | Path | None = None,
    year: int | None = None,
    methodology: Methodology | None = None,
    data_year: int | None = None,
    profiles: str | Path | None = None,
    sheet: str | int | None = None,
    name: str = "",
) -> Region:
    """Read, recognise, validate and hash a region's indicator data.

    ``innovations``: any recognised innovations file (our level-grain file, wide or long form;
    a region workbook; the IID application's innovation list; SIMONDA's export; our
    maturity-grain file). ``spd``: the SPD levels (optional: a region workbook's SPD sheet is
    used when there is one; otherwise the region has ``spd_known`` False). ``year`` (or
    ``methodology``): the rules; ``data_year``: the assessment year of the data (default: the
    rules' year). ``profiles``: the profile file of long-form levels; ``sheet``: the innovations
    sheet of a workbook (default: found by name, else the active sheet).

    Raises the :class:`~iid_analysis.errors.IIDDataError` subclasses of the readers (one line
    naming file, row and column) and :class:`UsageError` when neither year nor rules are given.
    """
    rules = _rules(year, methodology)
    innovations_raw = read_raw(innovations)
    raws = {"innovations": innovations_raw}
    if profiles is not None:
        raws["profiles"] = _same_or_read(profiles, raws)
    if spd is not None:
        raws["spd"] = _same_or_read(spd, raws)
    sheets: dict[str, str] = {}
    innovations_sheet = sheet_for_role(innovations_raw, "innovations", sheet)
    frame = read_table(innovations_raw, innovations_sheet, header_test=header_test(rules))
    if frame.attrs.get("sheet"):
        sheets["innovations"] = frame.attrs["sheet"]
    described: dict = {"data_year": data_year, "sheets": sheets}
    preamble = frame.attrs.get("preamble", ())
    if profiles is not None or is_level_grain(frame, rules):
        table = innovations_from_frame(
            frame, rules, raw=innovations_raw, profiles=raws.get("profiles")
        )
        described.update(
            grain=GRAIN_LEVEL,
            format=LEVELS_FORMAT,
            format_label=LEVELS_LABEL,
            format_provenance="CONFIRMED",
            ignored=(),
            notes=_preamble_notes(preamble, frame.attrs.get("header_row")),
        )
    else:
        imported = import_frame(frame, rules, path=innovations_raw, sheet=innovations_sheet)
        table = imported.innovations
        described.update(_described(imported))
    spd_levels: dict[str, int] = {}
    spd_year_frames: list[tuple[pd.DataFrame, str]] = []
    spd_raw = raws.get("spd")
    spd_sheet = None
    if spd_raw is None and innovations_raw.suffix in EXCEL_SUFFIXES and sheet is None:
        # One region workbook: its SPD sheet, found by name, is the SPD.
        spd_sheet = find_sheets(workbook_sheet_names(innovations_raw)).get("spd")
        if spd_sheet is not None:
            spd_raw = innovations_raw
    if spd_raw is not None:
        spd_frame = spd_from_frame(
            read_table(
                spd_raw, spd_sheet or sheet_for_role(spd_raw, "spd"), header_test=header_test()
            ),
            rules,
        )
        if spd_frame.attrs.get("sheet"):
            sheets["spd"] = spd_frame.attrs["sheet"]
        spd_year_frames.append((spd_frame, "spd"))
        spd_levels = dict(zip(spd_frame["indicator"], spd_frame["level"], strict=True))
        if spd_raw is innovations_raw and "spd" not in raws:
            raws["spd"] = innovations_raw
    described["spd_known"] = spd_raw is not None
    described["data_year"] = _data_year(data_year, [(frame, "innovations"), *spd_year_frames])
    sources = tuple(
        SourceFile(role, str(raw.path), raw.sha256)
        for role, raw in (
            (r, raws[r]) for r in ("spd", "innovations", "profiles") if r in raws
        )
    )
    return Region._from_checked(spd_levels, table, rules, sources, name, **described)


def load_region(
    methodology: Methodology,
    spd: str | Path,
    innovations: str | Path,
    *,
    profiles: str | Path | None = None,
    name: str = "",
) -> Region:
    """:func:`read_region` with positional rules, SPD and innovations (the older call)."""
    return read_region(
        innovations=innovations, spd=spd, methodology=methodology, profiles=profiles, name=name
    )


def describe_region(region: Region) -> str:
    """Lines for the terminal: which format was recognised in which file, the sheets read, the
    columns ignored and the reader's notes."""
    files = {s.role: s.path for s in region.sources}
    where = files.get("innovations", "<innovations>")
    if "innovations" in region.sheets:
        where = f"{Path(where).name} [sheet {region.sheets['innovations']}]"
    lines = [
        f"{where}: recognised as {region.format_label} "
        f"[{region.format}, {region.format_provenance}], {region.n} innovations"
        f" ({region.grain} grain)"
    ]
    if region.data_year is not None:
        lines.append(
            f"  data of {region.data_year}, scored under the {region.methodology.year} rules"
        )
    if "spd" in region.sheets:
        lines.append(f"  SPD: {Path(files['spd']).name} [sheet {region.sheets['spd']}]")
    elif "spd" in files:
        lines.append(f"  SPD: {files['spd']}")
    if region.ignored:
        lines.append("  columns not used: " + ", ".join(f'"{c}"' for c in region.ignored))
    lines.extend(f"  note: {n}" for n in region.notes)
    return "\n".join(lines)


def import_result(region: Region) -> ImportResult:
    """The region's innovations as the importer's result (maturity grain; a level-grain
    region's maturities computed), for the code that takes an :class:`ImportResult`."""
    table = region.innovations.copy()
    if region.grain == GRAIN_LEVEL:
        table = region.innovation_scores()
        for column in ("urusan",):
            if column in region.innovations.columns:
                table.insert(5, column, region.innovations[column].to_numpy())
    if region.data_year is not None:
        table[DATA_YEAR] = region.data_year
    files = {s.role: s.path for s in region.sources}
    return ImportResult(
        source=Path(files.get("innovations", "<innovations>")).name,
        format_name=region.format,
        format_label=region.format_label,
        provenance=region.format_provenance,
        innovations=table.drop(columns=ROW, errors="ignore"),
        ignored=region.ignored,
        notes=region.notes,
    )


def _preamble_notes(preamble, header_row) -> tuple[str, ...]:
    if not preamble:
        return ()
    shown = " | ".join(preamble)
    shown = shown if len(shown) <= 160 else shown[:157] + "..."
    return (f"{len(preamble)} line(s) above the header (row {header_row}) read as a title or "
            f"notes: {shown}",)


def _described(imported: ImportResult) -> dict:
    return {
        "grain": GRAIN_LEVEL if imported.format_name == LEVELS_FORMAT else GRAIN_MATURITY,
        "format": imported.format_name,
        "format_label": imported.format_label,
        "format_provenance": imported.provenance,
        "notes": imported.notes,
        "ignored": imported.ignored,
    }


def _data_year(given: int | None, frames: list[tuple[pd.DataFrame, str]]) -> int | None:
    """The data's assessment year: ``given`` (``--data-year``), else the files' ``data_year``
    column (``collect --year`` writes it; one value per file). A file with two years, or a year
    that differs from ``given`` or from the other file's, is refused in one line."""
    found: list[tuple[int, str]] = []
    for frame, role in frames:
        if DATA_YEAR not in frame.columns:
            continue
        source = source_of(frame, role)
        texts = {str(v).strip() for v in frame[DATA_YEAR]} - {""}
        years = set()
        for text in texts:
            try:
                years.add(int(float(text)))
            except ValueError:
                raise InvalidValueError(
                    f"data_year must be a year: got {text!r}", source=source, column=DATA_YEAR
                ) from None
        if len(years) > 1:
            raise InvalidValueError(
                f"the file mixes assessment years {sorted(years)}; one file holds one year",
                source=source,
                column=DATA_YEAR,
            )
        if years:
            found.append((years.pop(), source))
    for year, source in found:
        if given is not None and year != given:
            raise InvalidValueError(
                f"the file's data_year is {year} but --data-year is {given}",
                source=source,
                column=DATA_YEAR,
            )
        if year != found[0][0]:
            raise InvalidValueError(
                f"data_year {year} differs from {found[0][0]} in {found[0][1]}",
                source=source,
                column=DATA_YEAR,
            )
    if given is not None:
        return int(given)
    return found[0][0] if found else None


def _rules(year: int | None, methodology: Methodology | None) -> Methodology:
    if methodology is None:
        if year is None:
            raise UsageError("give the rules' year (year=...) or the methodology")
        methodology = load_methodology(int(year))
    methodology.require_scoring()
    return methodology


def _same_or_read(path: str | Path, raws: dict[str, RawFile]) -> RawFile:
    """The RawFile already read for ``path`` (the same file given for two roles), else read."""
    for raw in raws.values():
        try:
            if os.path.samefile(raw.path, path):
                return raw
        except OSError:
            continue
    return read_raw(path)


def frames(region: Region) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(SPD rows, innovations table) of a region, as the older frame-taking functions want."""
    return region.spd, region.innovations


__all__ = [
    "LEVELS_LABEL",
    "describe_region",
    "frames",
    "import_result",
    "load_region",
    "read_region",
]
