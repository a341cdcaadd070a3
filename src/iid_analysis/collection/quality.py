"""The data-quality report of a collect run: findings, the per-OPD summary, and writing them.

A finding names the OPD, file, sheet, row, column and cell, the check (a stable English code such
as ``invalid_level``), its severity, what is wrong and what to do (both
:class:`~iid_analysis.messages.Message`, rendered in the report's language from
``catalogue/collection.<lang>.yaml``) and what collect did (``action``).

Severity: ``error`` (the row, sheet or file is left out), ``warning`` (kept, but the verifier may
score it down), ``info``. Collect decides per row (see :data:`POLICY`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..atomic import write_csv
from ..messages import Message, message, render

SEVERITIES = ("error", "warning", "info")
KEPT = "kept"
LEFT_OUT = "row left out"
FILE_LEFT_OUT = "file left out"
SHEET_MISSING = "sheet missing"
LEFT_OUT_ACTIONS = (LEFT_OUT, FILE_LEFT_OUT, SHEET_MISSING)
_ACTION_KEYS = {
    KEPT: "kept",
    LEFT_OUT: "row_left_out",
    FILE_LEFT_OUT: "file_left_out",
    SHEET_MISSING: "sheet_missing",
}
COLLECTED = "collected"
_STATUS_KEYS = {COLLECTED: "collected", FILE_LEFT_OUT: "file_left_out"}

POLICY = message("collection.detail.policy")
"""Per row: a row with an error is left out and the rest of its workbook collected; a whole
workbook is left out only when its structure is broken. The first row of every quality report."""

FINDING_COLUMNS = (
    "opd",
    "file",
    "sheet",
    "row",
    "column",
    "cell",
    "check",
    "severity",
    "detail",
    "todo",
    "action",
)

SUMMARY_COLUMNS = (
    "opd",
    "file",
    "status",
    "innovations_collected",
    "innovations_left_out",
    "spd_levels",
    "errors",
    "warnings",
)

NO_TODO = message("collection.todo.none")


@dataclass(frozen=True)
class Finding:
    """One data-quality finding (see the module docstring)."""

    opd: str
    file: str
    sheet: str
    row: int | None
    column: str
    cell: str
    check: str
    severity: str
    detail: Message
    action: str
    todo: Message = NO_TODO


def finding(
    check: str,
    severity: str,
    action: str = KEPT,
    *,
    detail: Message | None = None,
    todo: Message | None = None,
    opd: str = "",
    file: str = "",
    sheet: str = "",
    row: int | None = None,
    column: str = "",
    cell: str = "",
    **params,
) -> Finding:
    """A finding whose detail and what-to-do are ``collection.detail.<check>`` and
    ``collection.todo.<check>`` with ``params`` (unless given)."""
    return Finding(
        opd=opd,
        file=file,
        sheet=sheet,
        row=row,
        column=column,
        cell=cell,
        check=check,
        severity=severity,
        detail=detail or Message(f"collection.detail.{check}", params),
        action=action,
        todo=todo or Message(f"collection.todo.{check}", params),
    )


@dataclass
class Collection:
    """The merged data of one collect run and what was found on the way.

    ``spd``: one row per SPD indicator of the year (indicator, level, evidence columns, source,
    data_year); ``innovations``: wide form with innovation_id, name, opd, stage, status, urusan,
    jenis, the indicators, ``evidence_link_N`` per indicator, the source file, sheet and row and
    ``data_year``; ``findings``: one row per finding (:data:`FINDING_COLUMNS`; detail and todo in
    ``lang``); ``files``: one row per workbook (file, status ``collected`` or ``file left out``).
    """

    year: int
    spd: pd.DataFrame
    innovations: pd.DataFrame
    findings: pd.DataFrame
    files: pd.DataFrame
    opds: tuple[str, ...] | None = None
    summary: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Per OPD and file: status, innovations collected and left out, SPD levels, errors,
    warnings."""
    lang: str = "id"
    items: tuple[Finding, ...] = ()
    """The findings as :class:`Finding` (messages not yet rendered)."""

    @property
    def left_out(self) -> bool:
        """True when any file, sheet or row was left out."""
        return bool(self.findings["action"].isin(LEFT_OUT_ACTIONS).any())


def findings_frame(findings, lang: str) -> pd.DataFrame:
    """The findings as a table (:data:`FINDING_COLUMNS`), detail and todo rendered in ``lang``;
    check, severity and action stay codes."""
    rows = [
        tuple(
            render(getattr(f, c), lang) if c in ("detail", "todo") else getattr(f, c)
            for c in FINDING_COLUMNS
        )
        for f in findings
    ]
    frame = pd.DataFrame.from_records(rows, columns=list(FINDING_COLUMNS))
    frame["row"] = frame["row"].astype("Int64")
    return frame


def summary_frame(files, collected: Counter, spd_levels: Counter, findings) -> pd.DataFrame:
    """Per OPD and file. ``files``: dicts with file, status and ``rows`` ({OPD: rows read});
    ``collected``: Counter of (file, OPD) collected; ``spd_levels``: Counter of file."""
    severities = Counter((f.file, f.opd, f.severity) for f in findings)
    rows = []
    for item in files:
        for opd, n_rows in sorted(item["rows"].items()):
            n_collected = collected[(item["file"], opd)]
            rows.append(
                {
                    "opd": opd,
                    "file": item["file"],
                    "status": item["status"],
                    "innovations_collected": n_collected,
                    "innovations_left_out": max(n_rows - n_collected, 0),
                    "spd_levels": spd_levels[item["file"]],
                    "errors": severities[(item["file"], opd, "error")],
                    "warnings": severities[(item["file"], opd, "warning")],
                }
            )
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def localised(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` (findings or summary) with column names, severities, actions and statuses in
    ``lang``."""
    out = frame.copy()
    if "severity" in out:
        out["severity"] = [render(message(f"collection.severity.{s}"), lang) for s in out.severity]
    if "action" in out:
        out["action"] = [
            render(message(f"collection.action.{_ACTION_KEYS[a]}"), lang) for a in out["action"]
        ]
    if "status" in out:
        out["status"] = [
            render(message(f"collection.status.{_STATUS_KEYS[s]}"), lang) for s in out["status"]
        ]
    return out.rename(columns={c: render(message(f"collection.column.{c}"), lang) for c in out})


# --- output ----------------------------------------------------------------------------------


def output_paths(output_dir: str | Path, year: int) -> dict[str, Path]:
    """Where :func:`write_collection` writes: spd, innovations, quality, summary."""
    output_dir = Path(output_dir)
    return {
        "spd": output_dir / f"spd_{year}.csv",
        "innovations": output_dir / f"innovations_{year}.csv",
        "quality": output_dir / f"quality_{year}.csv",
        "summary": output_dir / f"quality_summary_{year}.csv",
    }


def write_collection(
    collection: Collection, output_dir: str | Path, *, data: bool = True
) -> dict[str, Path]:
    """Write the merged SPD and innovations (unless ``data`` is False) and the quality report
    and per-OPD summary (in the collection's language) as CSV, each atomically. Returns
    {kind: path}."""
    paths = output_paths(output_dir, collection.year)
    written = {}
    if data:
        written["spd"] = write_csv(paths["spd"], collection.spd)
        written["innovations"] = write_csv(paths["innovations"], collection.innovations)
    lang = collection.lang
    written["quality"] = write_csv(paths["quality"], localised(collection.findings, lang))
    written["summary"] = write_csv(paths["summary"], localised(collection.summary, lang))
    return written


def format_summary(collection: Collection) -> str:
    """A few lines in the collection's language: workbooks read and left out, innovations
    collected, findings by check, the first errors with where they are and what to do."""
    lang = collection.lang

    def say(key: str, **params) -> str:
        return render(message(f"collection.summary.{key}", **params), lang)

    files = collection.files
    findings = collection.findings
    left_files = files[files["status"] == FILE_LEFT_OUT]
    lines = [
        say(
            "collected",
            innovations=len(collection.innovations),
            spd=int((collection.spd["source_file"] != "").sum()),
            collected=int((files["status"] == COLLECTED).sum()),
            files=len(files),
            year=collection.year,
        ),
        render(POLICY, lang),
    ]
    if len(left_files):
        lines.append(say("files_left_out", n=len(left_files), names=", ".join(left_files["file"])))
    left_rows = findings[findings["action"] == LEFT_OUT].drop_duplicates(["file", "sheet", "row"])
    if len(left_rows):
        lines.append(say("rows_left_out", n=len(left_rows)))
    counts = findings[findings["check"] != "policy"].groupby(["severity", "check"]).size()
    for severity in SEVERITIES:
        if severity in counts.index.get_level_values(0):
            items = ", ".join(f"{check} {n}" for check, n in counts.loc[severity].items())
            word = render(message(f"collection.severity.{severity}"), lang)
            lines.append(say("counts", severity=word, items=items))
    errors = findings[findings["severity"] == "error"]
    words = {c: render(message(f"collection.column.{c}"), lang) for c in FINDING_COLUMNS}
    for f in errors.head(10).itertuples():
        where = ", ".join(
            str(x)
            for x in (
                f.file,
                f"{words['sheet']} {f.sheet}" if f.sheet else "",
                f"{words['row']} {f.row}" if pd.notna(f.row) else "",
                f"{words['column']} '{f.column}'" if f.column else "",
            )
            if x
        )
        todo = f" -> {f.todo}" if f.todo and f.todo != "-" else ""
        lines.append(f"  {where}: {f.detail}{todo}")
    if len(errors) > 10:
        lines.append(say("more_errors", n=len(errors) - 10))
    return "\n".join(lines)
