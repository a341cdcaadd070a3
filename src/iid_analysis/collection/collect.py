"""Reading the filled collection workbooks of a folder back (``iid-analysis collect``).

Every workbook in a folder (one per OPD, or one for the whole region) is read and checked cell
by cell (:mod:`.reader`), merged, validated with the package's rules
(:func:`~iid_analysis.inputs.validation.check_spd`,
:func:`~iid_analysis.inputs.validation.check_innovations`) and returned as the SPD and wide
innovation tables the other commands read, with the urusan, jenis and evidence columns and the
assessment year (``data_year``) carried through, plus a data-quality report (:mod:`.quality`).

Collect decides per row: a row with an error is left out and named (file, sheet, row, column,
what to do); the other rows of its workbook are collected. Only a workbook whose structure is
broken is left out whole. An innovation id found in two rows (also when they differ only by case
or character width, and also when one of the rows has an error) leaves every copy out and names
every file and row. Nothing in the folder is passed over silently: subfolders, files that are
not workbooks and special files (a pipe named ``.xlsx``) are listed.
"""

from __future__ import annotations

import re
import stat
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import IIDDataError, UnreadableFileError, UsageError
from ..inputs.validation import check_innovations, check_spd
from ..messages import Message, message
from ..methodology import Methodology
from .opds import OpdList
from .quality import (
    COLLECTED,
    FILE_LEFT_OUT,
    KEPT,
    LEFT_OUT,
    Collection,
    Finding,
    finding,
    findings_frame,
    summary_frame,
)
from .reader import IMPLEMENTATION_INDICATORS, BookRows, WorkbookReader
from .template import SPD_COLUMNS
from .words import word_key

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
DATA_YEAR_COLUMN = "data_year"
"""The column of both collected files holding the assessment year (``collect --year``)."""

FILE_CHECKS = (
    "merged_cells",
    "formula_without_value",
    "cell_error_value",
    "hidden_sheet",
    "second_header_row",
    "sheet_not_found",
    "workbook_year",
    "unreadable_file",
    "missing_column",
    "duplicate_key",
)
"""Structural problems that leave a whole workbook out, each with its own words."""


def folder_entries(directory: str | Path) -> dict[str, list[Path]]:
    """What ``directory`` holds, by name: ``books`` (.xlsx, .xlsm, .xls regular files),
    ``others`` (other regular files), ``folders`` and ``special`` (pipes, devices, broken
    links). Excel lock files (``~$...``) and hidden files (``.name``) are none of these."""
    directory = Path(directory)
    if not directory.is_dir():
        raise UsageError(f"{directory} is not a folder")
    entries: dict[str, list[Path]] = {"books": [], "others": [], "folders": [], "special": []}
    for path in sorted(directory.iterdir(), key=lambda p: p.name):
        if path.name.startswith(("~$", ".")):
            continue
        try:
            mode = path.stat().st_mode  # follows a link to a workbook
        except OSError:
            entries["special"].append(path)
            continue
        if stat.S_ISDIR(mode):
            entries["folders"].append(path)
        elif not stat.S_ISREG(mode):
            entries["special"].append(path)
        elif path.suffix.lower() in WORKBOOK_SUFFIXES | {".xls"}:
            entries["books"].append(path)
        else:
            entries["others"].append(path)
    return entries


def workbook_files(directory: str | Path) -> tuple[list[Path], list[Path]]:
    """(workbooks to read, other regular files) in ``directory`` (see :func:`folder_entries`)."""
    entries = folder_entries(directory)
    return entries["books"], entries["others"]


def collect(
    directory: str | Path,
    methodology: Methodology,
    *,
    opds: OpdList | Sequence[str] | None = None,
    lang: str = "id",
) -> Collection:
    """Read, check and merge every workbook in ``directory`` (see the module docstring).
    ``opds``: the OPD list (official names and short forms); without it, each workbook's own
    template list when it has one. ``lang``: the language of the findings' words."""
    methodology.require_scoring()
    if opds is not None and not isinstance(opds, OpdList):
        opds = OpdList.from_names(opds)
    entries = folder_entries(directory)
    reader = WorkbookReader(methodology, opds)
    findings: list[Finding] = [finding("policy", "info")]
    findings += _folder_findings(entries)
    files = []
    read: list[BookRows] = []
    unread: list[dict] = []  # innovations of workbooks left out, to find their copies
    for path in entries["books"]:
        try:
            if path.suffix.lower() == ".xls":
                raise UnreadableFileError(
                    "old Excel .xls is not supported; save it as .xlsx", source=path.name
                )
            book = reader.read(path)
        except IIDDataError as exc:
            findings.append(_file_error(path, exc))
            unread.extend(reader.peek(path) if path.suffix.lower() != ".xls" else [])
            files.append({"file": path.name, "status": FILE_LEFT_OUT, "rows": {path.stem: 0}})
            continue
        findings.extend(book.findings)
        read.append(book)
        rows = Counter(r["opd"] or book.opd for r in book.innovations + book.rejected)
        files.append({"file": book.file, "status": COLLECTED, "rows": dict(rows) or {book.opd: 0}})
    if not entries["books"]:
        findings.append(finding("no_workbooks", "warning", file=str(directory)))
    if opds is None and any(book.opd_list is None for book in read):
        findings.append(finding("no_opd_list", "info"))

    innovations = _merge_innovations(read, unread, reader, findings)
    spd = _merge_spd(read, methodology, findings)
    # The package's own rules, once on the merged data (the cell checks above are stricter).
    check_spd(spd[["indicator", "level"]], methodology, source="<collected SPD>")
    if len(innovations):
        # Only the checked columns: the evidence links are not checked there, only copied.
        checked = ["innovation_id", "name", "opd", "stage", "status", *reader.numbers]
        check_innovations(
            innovations[checked],
            methodology,
            source="<collected innovations>",
            require_profile=True,
        )
    innovations[DATA_YEAR_COLUMN] = methodology.year
    spd[DATA_YEAR_COLUMN] = methodology.year
    files_frame = pd.DataFrame(
        [{"file": f["file"], "status": f["status"]} for f in files], columns=["file", "status"]
    )
    collected = Counter(zip(innovations["source_file"], innovations["opd"], strict=True))
    summary = summary_frame(files, collected, Counter(spd["source_file"]), findings)
    names = opds.names if isinstance(opds, OpdList) else None
    return Collection(
        methodology.year,
        spd,
        innovations,
        findings_frame(findings, lang),
        files_frame,
        names,
        summary,
        lang=lang,
        items=tuple(findings),
    )


def _folder_findings(entries) -> list[Finding]:
    """Info for files that are not workbooks, a warning for subfolders holding workbooks, an
    error (file left out) for a special file."""
    out = [finding("not_a_workbook", "info", opd=p.stem, file=p.name) for p in entries["others"]]
    for folder in entries["folders"]:
        try:
            n = sum(1 for p in folder.iterdir() if p.suffix.lower() in WORKBOOK_SUFFIXES)
        except OSError:
            n = 0
        out.append(
            finding(
                "subfolder",
                "warning" if n else "info",
                file=folder.name + "/",
                name=folder.name,
                n=n,
                detail=message(
                    "collection.detail.subfolder_with_workbooks"
                    if n
                    else "collection.detail.subfolder",
                    name=folder.name,
                    n=n,
                ),
            )
        )
    for path in entries["special"]:
        severity, action = ("error", FILE_LEFT_OUT)
        if path.suffix.lower() not in WORKBOOK_SUFFIXES | {".xls"}:
            severity, action = ("info", KEPT)
        out.append(
            finding(
                "not_regular_file", severity, action, opd=path.stem, file=path.name, name=path.name
            )
        )
    return out


def _file_error(path: Path, exc: IIDDataError) -> Finding:
    source = exc.source or path.name
    sheet = source[source.index("[sheet ") + 7 : -1] if "[sheet " in source else ""
    check = _check_name(exc)
    known = check if check in FILE_CHECKS else "other"
    return finding(
        check,
        "error",
        FILE_LEFT_OUT,
        detail=message(
            "collection.detail.file_error",
            what=message(f"collection.problem.{known}"),
            technical=f"{exc.rule}: {exc.detail}",
        ),
        todo=message(f"collection.todo.{known}"),
        opd=path.stem,
        file=path.name,
        sheet=sheet,
        row=exc.rows[0] if exc.rows else None,
        column=exc.column or "",
        cell=getattr(exc, "cell", None) or "",
    )


def _check_name(exc: IIDDataError) -> str:
    """``MergedCellsError`` -> ``merged_cells``: the check named after the error class."""
    name = type(exc).__name__.removesuffix("Error")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _where(record: dict) -> Message:
    """Where a row is (``dinkes.xlsx [Inovasi] baris 4``), in the report's language."""
    return message(
        "collection.where.row",
        file=record["source_file"],
        sheet=record["source_sheet"],
        row=record["source_row"],
    )


def _listed(items: list[Message]) -> Message | str:
    """``items`` rendered one after another, separated by semicolons."""
    if not items:
        return ""
    listed: Message = items[-1]
    for item in reversed(items[:-1]):
        listed = message("collection.where.list", first=item, rest=listed)
    return listed


def _merge_innovations(books, unread, reader: WorkbookReader, findings) -> pd.DataFrame:
    columns = [c.key for c in reader.columns] + ["source_file", "source_sheet", "source_row"]
    good = [r for book in books for r in book.innovations]
    # Rows left out for an error, and rows of workbooks left out, still count: a copy in another
    # workbook is a duplicate.
    every = [r for book in books for r in book.innovations + book.rejected] + list(unread)
    every.sort(key=lambda r: (r["source_file"], r["source_sheet"], r["source_row"]))
    by_id = defaultdict(list)
    for record in every:
        if record["innovation_id"]:
            by_id[word_key(record["innovation_id"])].append(record)
    duplicated = set()
    for copies in by_id.values():
        if len(copies) < 2:
            continue
        where = _listed(
            [message("collection.where.id", id=c["innovation_id"], at=_where(c)) for c in copies]
        )
        for record in copies:
            duplicated.add(id(record))
            findings.append(
                finding(
                    "duplicate_id",
                    "error",
                    LEFT_OUT,
                    opd=record["opd"],
                    file=record["source_file"],
                    sheet=record["source_sheet"],
                    row=record["source_row"],
                    column="ID Inovasi",
                    id=record["innovation_id"],
                    where=where,
                )
            )
    keep = [r for r in good if id(r) not in duplicated]
    by_name = defaultdict(list)
    for record in every:
        if record["name"]:
            by_name[word_key(record["name"])].append(record)
    for copies in by_name.values():
        # One id in every copy is already a duplicate_id.
        if (
            len({c["source_file"] for c in copies}) > 1
            and len({word_key(c["innovation_id"]) for c in copies}) > 1
        ):
            for record in copies:
                others = _listed(
                    [
                        message(
                            "collection.where.named",
                            id=c["innovation_id"],
                            opd=c["opd"] or c["source_file"],
                            at=_where(c),
                        )
                        for c in copies
                        if c is not record
                    ]
                )
                findings.append(
                    finding(
                        "duplicate_name",
                        "warning",
                        opd=record["opd"],
                        file=record["source_file"],
                        sheet=record["source_sheet"],
                        row=record["source_row"],
                        column="Nama Inovasi",
                        others=others,
                    )
                )
    # Column by column (a frame from a list of dicts costs several times more).
    integers = {*reader.numbers, "source_row"}
    data = {
        c: np.array([r[c] for r in keep], dtype=int)
        if c in integers
        else [r.get(c, np.nan) for r in keep]
        for c in columns
    }
    return pd.DataFrame(data, columns=columns)


def _merge_spd(books, methodology: Methodology, findings) -> pd.DataFrame:
    evidence = [c.key for c in SPD_COLUMNS if c.key.startswith("evidence_")]
    answers = defaultdict(list)
    for book in books:
        for row in book.spd:
            answers[row["indicator"]].append(row)
    rows = []
    for indicator in methodology.spd_indicators:
        given = answers.get(indicator.number, [])
        levels = {r["level"] for r in given}
        blank = {
            "indicator": indicator.number,
            "level": 0,
            **dict.fromkeys(evidence, ""),
            "source_file": "",
            "source_sheet": "",
            "source_row": pd.NA,
        }
        if len(levels) > 1:
            where = _listed(
                [message("collection.where.level", at=_where(r), level=r["level"]) for r in given]
            )
            for r in given:
                findings.append(
                    finding(
                        "spd_conflict",
                        "error",
                        LEFT_OUT,
                        opd=Path(r["source_file"]).stem,
                        file=r["source_file"],
                        sheet=r["source_sheet"],
                        row=r["source_row"],
                        column="Level",
                        indicator=indicator.number,
                        where=where,
                    )
                )
            rows.append(blank)
        elif given:
            # The same level in several workbooks: the first with evidence speaks for all.
            best = next((r for r in given if any(r[k] for k in evidence)), given[0])
            rows.append({k: best[k] for k in blank})
        else:
            rows.append(blank)
    frame = pd.DataFrame(rows)
    frame["source_row"] = frame["source_row"].astype("Int64")
    return frame


__all__ = [
    "DATA_YEAR_COLUMN",
    "IMPLEMENTATION_INDICATORS",
    "collect",
    "folder_entries",
    "workbook_files",
]
