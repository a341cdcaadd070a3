"""The per-OPD worklist of a plan: what each OPD must do, on which innovation, with what evidence.

One row per action of the plan (so every action appears exactly once, under its OPD): the
innovation, the indicator, from which level to which, the evidence (*data dukung*) the target
level needs in the level's own words from the methodology table, any evidence the region's
innovations table already links, the effort and the IID gain. New innovations asked of an OPD
are rows too (their levels in ``levels``). Written as an Excel workbook (a summary sheet, an
"all" sheet with an autofilter, one sheet per OPD, an "about" sheet) and as CSV beside it.

Text cells that a spreadsheet would run as a formula (starting with ``= + - @``, tab or CR) are
neutralised: in the CSV they get a leading apostrophe (removed again by :func:`read_worklist`),
in the workbook they are stored as text cells, never formulas.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..atomic import atomic_path
from ..errors import UsageError
from ..region import Region
from ..wording import format_number
from .actions import Action, add_innovation, raise_level
from .costs import KIND_ADD
from .effort import EFFORT_UNIT, evidence_kind_of
from .programmes import SPD_OWNER, _labels, opd_plan_load

WORKLIST_COLUMNS = (
    "action_no",
    "opd",
    "scope",
    "innovation_id",
    "innovation_name",
    "indicator",
    "indicator_name",
    "from_level",
    "to_level",
    "evidence_kind",
    "evidence_needed",
    "evidence_present",
    "levels",
    "effort",
    "iid_gain",
)
"""Columns of :func:`plan_worklist` (keys; the files use the headers of :data:`HEADERS`)."""

HEADERS = {
    "id": {
        "action_no": "no_aksi",
        "opd": "OPD",
        "scope": "lingkup",
        "innovation_id": "id_inovasi",
        "innovation_name": "nama_inovasi",
        "indicator": "indikator",
        "indicator_name": "nama_indikator",
        "from_level": "dari_level",
        "to_level": "ke_level",
        "evidence_kind": "jenis_bukti",
        "evidence_needed": "data_dukung_yang_diperlukan",
        "evidence_present": "data_dukung_yang_sudah_ada",
        "levels": "level_inovasi_baru",
        "effort": "upaya_hari_kerja",
        "iid_gain": "kenaikan_iid",
    },
    "en": {key: key for key in WORKLIST_COLUMNS} | {"effort": "effort_person_days"},
}
"""File headers by language; :func:`read_worklist` reads either."""

SCOPES = {
    "id": {"spd": "SPD", "innovation": "inovasi", "new": "inovasi baru"},
    "en": {"spd": "SPD", "innovation": "innovation", "new": "new innovation"},
}
SHEETS = {
    "id": {"summary": "Ringkasan", "all": "Semua aksi", "about": "Tentang"},
    "en": {"summary": "Summary", "all": "All actions", "about": "About"},
}
SUMMARY_HEADERS = {
    "id": {"opd": "OPD", "n_actions": "jumlah_aksi", "n_innovations": "inovasi_dinaikkan",
           "n_new_innovations": "inovasi_baru", "n_steps": "langkah_level",
           "effort": "upaya_hari_kerja", "effort_share": "porsi_upaya", "iid_gain": "kenaikan_iid"},
    "en": {"opd": "opd", "n_actions": "n_actions", "n_innovations": "innovations_raised",
           "n_new_innovations": "new_innovations", "n_steps": "level_steps",
           "effort": "effort_person_days", "effort_share": "effort_share",
           "iid_gain": "iid_gain"},
}  # fmt: skip
TOTAL_LABEL = {"id": "Jumlah", "en": "Total"}

EVIDENCE_COLUMN = re.compile(r"^(?:bukti|evidence|evidence_link|link_bukti)_?(\d+[a-z]?)$")
"""Evidence columns of an innovations table: ``bukti_35``, ``evidence_35``,
``evidence_link_35`` (as :mod:`iid_analysis.collect` writes them), ``link_bukti_35``."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def safe_text(value: object) -> object:
    """A text cell with a leading apostrophe when a spreadsheet would read it as a formula;
    anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _unsafe_text(value: object) -> object:
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


# --- building the worklist ------------------------------------------------------------------
def evidence_columns(region: Region) -> dict[str, str]:
    """Indicator number -> the innovations table's evidence column for it (see
    :data:`EVIDENCE_COLUMN`)."""
    result = {}
    for column in region.innovations.columns:
        match = EVIDENCE_COLUMN.match(str(column).strip().lower())
        if match and match.group(1) in region.methodology.innovation_numbers:
            result.setdefault(match.group(1), column)
    return result


def _level_label(region: Region, indicator: str, level: int) -> str:
    for entry in region.methodology.indicator(indicator).levels:
        if entry.level == level:
            return entry.label
    return ""


def _levels_text(levels: dict[str, int]) -> str:
    return "; ".join(f"{k}={v}" for k, v in levels.items())


def plan_worklist(region: Region, plan_or_actions, lang: str = "id") -> pd.DataFrame:
    """One row per action of the plan, ordered by OPD, innovation and indicator.

    ``region`` is the region before the plan. Columns (:data:`WORKLIST_COLUMNS`):
    ``action_no`` (1.. in the plan's order), ``opd`` (the SPD's actions under
    :data:`~iid_analysis.feasibility.programmes.SPD_OWNER`), ``scope`` (SPD / innovation / new
    innovation, in ``lang``), ``innovation_id``, ``innovation_name``, ``indicator``,
    ``indicator_name`` (the table's ``name_id``), ``from_level``, ``to_level``,
    ``evidence_kind`` (in ``lang``), ``evidence_needed`` (the target level's description from
    the methodology table, as written there), ``evidence_present`` (the innovation's evidence
    column for that indicator, if the table has one and it is filled), ``levels`` (a new
    innovation's levels, ``16=3; 17=1; ...``), ``effort`` (the action's cost), ``iid_gain``.
    """
    actions = tuple(getattr(plan_or_actions, "actions", plan_or_actions))
    methodology = region.methodology
    labels = _labels()
    scopes = SCOPES[lang]
    names = dict(zip(region.ids, region.innovations["name"].astype(str), strict=True))
    positions = {innovation_id: r for r, innovation_id in enumerate(region.ids)}
    evidence = evidence_columns(region)
    rows = []
    for number, a in enumerate(actions, start=1):
        if a.kind == KIND_ADD:
            levels = a.levels_dict
            maturity = sum(methodology.indicator(k).points(v) for k, v in levels.items())
            if lang == "id":
                needed = (f"Inovasi baru tahap penerapan dengan profil kematangan "
                          f"{format_number(maturity, 'id', 0)}: data dukung setiap indikator "
                          "pada level yang tercantum")  # fmt: skip
            else:
                needed = (f"New innovation at the penerapan stage with maturity "
                          f"{format_number(maturity, 'en', 0)}: evidence for every indicator "
                          "at the level listed")  # fmt: skip
            rows.append((number, a.opd, scopes["new"], a.innovation_id, "", "", "", None, None,
                         "", needed, "", _levels_text(levels), a.cost, a.iid_gain))  # fmt: skip
            continue
        info = methodology.indicator(a.indicator)
        kind = evidence_kind_of(a.indicator)
        kind_text = labels.get(kind, ("", ""))[0 if lang == "id" else 1]
        present = ""
        if not a.is_spd and a.indicator in evidence and a.innovation_id in positions:
            value = region.innovations.iloc[positions[a.innovation_id]][evidence[a.indicator]]
            if isinstance(value, str) or (value is not None and not pd.isna(value)):
                present = str(value).strip()
        rows.append(
            (number, SPD_OWNER[lang] if a.is_spd else a.opd,
             scopes["spd"] if a.is_spd else scopes["innovation"], a.innovation_id,
             "" if a.is_spd else names.get(a.innovation_id, ""), a.indicator, info.name_id,
             a.from_level, a.to_level, kind_text, _level_label(region, a.indicator, a.to_level),
             present, "", a.cost, a.iid_gain)
        )  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(WORKLIST_COLUMNS))
    frame["from_level"] = frame["from_level"].astype("Int64")
    frame["to_level"] = frame["to_level"].astype("Int64")
    order = frame["indicator"].map(_indicator_key)
    frame = frame.assign(_order=order).sort_values(
        ["opd", "innovation_id", "_order", "action_no"], kind="stable"
    )
    return frame.drop(columns="_order").reset_index(drop=True)


def _indicator_key(indicator: str) -> tuple[int, str]:
    match = re.match(r"(\d+)(.*)", indicator or "")
    return (int(match.group(1)), match.group(2)) if match else (-1, "")


def worklist_actions(worklist: pd.DataFrame) -> list[Action]:
    """The actions of a worklist (as :func:`plan_worklist` returns it or :func:`read_worklist`
    reads it back), in the plan's order (``action_no``). Costs and gains are not carried."""
    actions = []
    for row in worklist.sort_values("action_no").itertuples(index=False):
        levels = str(row.levels or "").strip() if not _blank(row.levels) else ""
        if levels:
            pairs = dict(item.split("=") for item in levels.split("; "))
            actions.append(add_innovation(str(row.innovation_id), str(row.opd),
                                          {k.strip(): int(v) for k, v in pairs.items()}))
        else:
            innovation_id = "" if _blank(row.innovation_id) else str(row.innovation_id)
            opd = "" if not innovation_id else str(row.opd)
            actions.append(raise_level(str(row.indicator), int(row.from_level),
                                       int(row.to_level), innovation_id, opd))  # fmt: skip
    return actions


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


# --- files ----------------------------------------------------------------------------------
def _for_file(worklist: pd.DataFrame, lang: str) -> pd.DataFrame:
    return worklist.rename(columns=HEADERS[lang])


def read_worklist(path: str | Path) -> pd.DataFrame:
    """A worklist CSV written by :func:`write_worklist` (either language), with the keys of
    :data:`WORKLIST_COLUMNS` and the apostrophes that neutralised formulas removed."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    reverse = {v: k for lang in HEADERS for k, v in HEADERS[lang].items()}
    frame = frame.rename(columns=reverse)
    for column in frame.columns:
        frame[column] = frame[column].map(_unsafe_text)
    for column in ("action_no", "from_level", "to_level"):
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
    for column in ("effort", "iid_gain"):
        frame[column] = pd.to_numeric(frame[column])
    return frame


def sheet_names(names: Sequence[str], reserved: Sequence[str] = ()) -> list[str]:
    """Excel sheet names for ``names``: characters Excel refuses removed, at most 31
    characters, unique (case-insensitively, also against ``reserved``) by a numbered suffix."""
    taken = {r.lower() for r in reserved}
    result = []
    for name in names:
        base = _SHEET_FORBIDDEN.sub(" ", str(name)).strip().strip("'") or "OPD"
        candidate, number = base[:31], 1
        while candidate.lower() in taken:
            number += 1
            suffix = f" ({number})"
            candidate = base[: 31 - len(suffix)] + suffix
        taken.add(candidate.lower())
        result.append(candidate)
    return result


def worklist_summary(worklist: pd.DataFrame) -> pd.DataFrame:
    """Per OPD of the worklist (in the order of :func:`opd_plan_load`: most effort first):
    ``opd``, ``n_actions``, ``n_innovations``, ``n_new_innovations``, ``n_steps``, ``effort``,
    ``effort_share``, ``iid_gain``; no total row."""
    actions = worklist_actions(worklist)
    by_no = worklist.set_index("action_no")
    costed = [
        _with(a, float(by_no.at[no, "effort"]), float(by_no.at[no, "iid_gain"]))
        for a, no in zip(actions, sorted(worklist["action_no"]), strict=True)
    ]
    spd_owner = worklist.loc[worklist["innovation_id"].map(_blank), "opd"]
    lang = "en" if (spd_owner == SPD_OWNER["en"]).any() else "id"
    load = opd_plan_load(costed, lang)
    return load[["opd", "n_actions", "n_innovations", "n_new_innovations", "n_steps", "effort",
                 "effort_share", "iid_gain"]]  # fmt: skip


def _with(action: Action, cost: float, gain: float) -> Action:
    from dataclasses import replace

    return replace(action, cost=cost, iid_gain=gain)


def _write_sheet(sheet, frame: pd.DataFrame, autofilter: bool) -> None:
    sheet.append([str(c) for c in frame.columns])
    for values in frame.itertuples(index=False):
        sheet.append([None if _blank_cell(v) else _cell(v) for v in values])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                cell.data_type = "s"  # text, never a formula
    if autofilter and sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column[:200])
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)


def _blank_cell(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _cell(value):
    if hasattr(value, "item"):
        return value.item()
    return value


def worklist_workbook_bytes(
    worklist: pd.DataFrame, lang: str = "id", plan=None, region_name: str = ""
) -> bytes:
    """The worklist as an .xlsx workbook (bytes): a summary sheet (per OPD, with a total row),
    an "all actions" sheet with an autofilter, one sheet per OPD, and an "about" sheet (unit of
    effort, and the plan's target and IID before and after when ``plan`` is given)."""
    from openpyxl import Workbook

    book = Workbook()
    sheets = SHEETS[lang]
    summary = worklist_summary(worklist)
    total = {
        "opd": TOTAL_LABEL[lang],
        "n_actions": int(summary["n_actions"].sum()),
        "n_innovations": int(summary["n_innovations"].sum()),
        "n_new_innovations": int(summary["n_new_innovations"].sum()),
        "n_steps": int(summary["n_steps"].sum()),
        "effort": float(summary["effort"].sum()),
        "effort_share": 1.0 if len(summary) else 0.0,
        "iid_gain": float(summary["iid_gain"].sum()),
    }
    summary = pd.concat([summary, pd.DataFrame([total])], ignore_index=True)
    first = book.active
    first.title = sheets["summary"]
    _write_sheet(first, summary.rename(columns=SUMMARY_HEADERS[lang]), autofilter=False)
    _write_sheet(book.create_sheet(sheets["all"]), _for_file(worklist, lang), autofilter=True)
    opds = list(dict.fromkeys(summary["opd"][:-1]))
    for opd, title in zip(opds, sheet_names(opds, reserved=list(sheets.values())), strict=True):
        part = worklist[worklist["opd"] == opd]
        _write_sheet(book.create_sheet(title), _for_file(part, lang), autofilter=True)
    about = book.create_sheet(sheets["about"])
    for key, value in _about_rows(lang, plan, region_name):
        about.append([key, safe_text(value) if isinstance(value, str) else value])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _about_rows(lang: str, plan, region_name: str) -> list[tuple[str, object]]:
    if lang == "id":
        rows = [("Daerah", region_name),
                ("Satuan upaya", "hari kerja (HK): satu orang bekerja satu hari"),
                ("Catatan", "Upaya per aksi adalah asumsi kasar yang dapat diubah (tabel biaya, "
                            "--costs); data dukung sesuai uraian level pada tabel metodologi.")]
        if plan is not None:
            rows += [("Target IID", plan.target), ("IID sebelum", plan.iid_before),
                     ("IID sesudah", plan.iid_after), ("Upaya total", plan.total_cost)]
    else:
        rows = [("Region", region_name),
                ("Unit of effort", "person-days (hari kerja): one person working one day"),
                ("Note", "Efforts per action are rough, editable assumptions (cost table, "
                         "--costs); evidence as the methodology table's level descriptions.")]
        if plan is not None:
            rows += [("Target IID", plan.target), ("IID before", plan.iid_before),
                     ("IID after", plan.iid_after), ("Total effort", plan.total_cost)]
    return rows  # fmt: skip


def write_worklist(
    path: str | Path,
    worklist: pd.DataFrame,
    lang: str = "id",
    plan=None,
    region_name: str = "",
) -> list[Path]:
    """Write the worklist atomically: ``PATH.xlsx`` writes the workbook
    (:func:`worklist_workbook_bytes`) and ``PATH.csv`` beside it; ``PATH.csv`` the CSV only.
    Returns the paths written. Raises :class:`UsageError` for another suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UsageError(f"--worklist {path}: the file must end in .xlsx or .csv")
    written = []
    if suffix == ".xlsx":
        data = worklist_workbook_bytes(worklist, lang, plan, region_name)
        with atomic_path(path, suffix=".xlsx") as temporary:
            temporary.write_bytes(data)
        written.append(path)
    csv_path = path.with_suffix(".csv")
    frame = _for_file(worklist, lang)
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object:
            safe[column] = safe[column].map(safe_text)
    with atomic_path(csv_path, suffix=".csv") as temporary:
        safe.to_csv(temporary, index=False, encoding="utf-8")
    written.append(csv_path)
    return written


def worklist_text(worklist: pd.DataFrame, lang: str = "id") -> str:
    """One line per OPD: its actions and effort (for the terminal)."""
    summary = worklist_summary(worklist)
    unit = EFFORT_UNIT[lang]
    return "\n".join(
        f"  {row.opd[:50]:50s} {row.n_actions:5d} "
        f"{format_number(row.effort, lang, 0):>8s} {unit}"
        for row in summary.itertuples(index=False)
    )


__all__ = [
    "EVIDENCE_COLUMN",
    "HEADERS",
    "WORKLIST_COLUMNS",
    "evidence_columns",
    "plan_worklist",
    "read_worklist",
    "safe_text",
    "sheet_names",
    "worklist_actions",
    "worklist_summary",
    "worklist_text",
    "worklist_workbook_bytes",
    "write_worklist",
]
