"""The per-OPD worklist of a plan: what each OPD must do, on which innovation, with what evidence.

One row per action of the plan (so every action appears exactly once, under its OPD): the
innovation, the indicator, from which level to which, the evidence (*data dukung*) the target
level needs in the level's own words from the methodology table, any evidence the region's
innovations table already links, the effort and the IID gain. New innovations asked of an OPD
are rows too (their levels in ``levels``, and in ``urusan`` the urusan wajib pelayanan dasar a
new innovation must cover when the 2026 count-score rule needs it). Written as an Excel
workbook (a summary sheet, an "all" sheet with an autofilter, one sheet per OPD, an "about"
sheet) and as CSV beside it.

Text cells that a spreadsheet would run as a formula (starting with ``= + - @``, tab or CR) are
neutralised: in the CSV they get a leading apostrophe (removed again by :func:`read_worklist`),
in the workbook they are stored as text cells, never formulas.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd

from ..atomic import atomic_path
from ..errors import UsageError
from ..inputs.region import Region
from ..inputs.validation import EVIDENCE_COLUMN
from ..wording import format_number
from ..xlsx import Table, escape_formula_text, table_workbook, unescape_formula_text, workbook_bytes
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
    "urusan",
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
        "urusan": "urusan",
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

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


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
    ``indicator_name`` (the table's ``name_id``, or ``name_en`` in English), ``from_level``,
    ``to_level``, ``evidence_kind`` (in ``lang``), ``evidence_needed`` (the target level's
    description from the methodology table, as written there), ``evidence_present`` (the
    innovation's evidence column for that indicator, if the table has one and it is filled),
    ``levels`` (a new innovation's levels, ``16=3; 17=1; ...``), ``urusan`` (the urusan a new
    innovation must cover, also named in its ``evidence_needed``; else empty), ``effort`` (the
    action's cost), ``iid_gain``.
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
            if a.urusan:
                needed = f"{_urusan_text(a.urusan, lang)}. {needed}"
            rows.append((number, a.opd, scopes["new"], a.innovation_id, "", "", "", None, None,
                         "", needed, "", _levels_text(levels), a.urusan or "", a.cost,
                         a.iid_gain))  # fmt: skip
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
             "" if a.is_spd else names.get(a.innovation_id, ""), a.indicator,
             info.name_id if lang == "id" else info.name_en,
             a.from_level, a.to_level, kind_text, _level_label(region, a.indicator, a.to_level),
             present, "", "", a.cost, a.iid_gain)
        )  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(WORKLIST_COLUMNS))
    frame["from_level"] = frame["from_level"].astype("Int64")
    frame["to_level"] = frame["to_level"].astype("Int64")
    order = frame["indicator"].map(_indicator_key)
    frame = frame.assign(_order=order).sort_values(
        ["opd", "innovation_id", "_order", "action_no"], kind="stable"
    )
    return frame.drop(columns="_order").reset_index(drop=True)


def _urusan_text(urusan: str, lang: str) -> str:
    """The sentence that asks a new innovation to cover an urusan wajib pelayanan dasar."""
    if lang == "id":
        return (f"urusan: {urusan}. Inovasi ini wajib pada urusan tersebut (urusan wajib "
                "pelayanan dasar yang belum dicakup; tanpanya skor jumlah inovasi 0)")  # fmt: skip
    return (f"urusan: {urusan}. This innovation must be in that urusan (a basic-service urusan "
            "not yet covered; without it the count score is 0)")  # fmt: skip


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
            urusan = getattr(row, "urusan", None)
            urusan = None if _blank(urusan) else str(urusan).strip() or None
            actions.append(
                add_innovation(
                    str(row.innovation_id),
                    str(row.opd),
                    {k.strip(): int(v) for k, v in pairs.items()},
                    urusan=urusan,
                )
            )
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
        frame[column] = frame[column].map(unescape_formula_text)
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
    ordered = worklist.sort_values("action_no")
    costed = [
        _with(a, float(cost), float(gain))
        for a, cost, gain in zip(actions, ordered["effort"], ordered["iid_gain"], strict=True)
    ]
    spd_owner = worklist.loc[worklist["innovation_id"].map(_blank), "opd"]
    lang = "en" if (spd_owner == SPD_OWNER["en"]).any() else "id"
    load = opd_plan_load(costed, lang)
    return load[["opd", "n_actions", "n_innovations", "n_new_innovations", "n_steps", "effort",
                 "effort_share", "iid_gain"]]  # fmt: skip


def _with(action: Action, cost: float, gain: float) -> Action:
    return replace(action, cost=cost, iid_gain=gain)


def _blank_cell(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def worklist_workbook_bytes(
    worklist: pd.DataFrame, lang: str = "id", plan=None, region_name: str = ""
) -> bytes:
    """The worklist as an .xlsx workbook (bytes): a summary sheet (per OPD, with a total row),
    an "all actions" sheet with an autofilter, one sheet per OPD, and an "about" sheet (unit of
    effort, and the plan's target and IID before and after when ``plan`` is given).

    Every text cell is an inline string (never a formula); the same input gives the same bytes.
    """
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
    opds = list(summary["opd"])
    summary = pd.concat([summary, pd.DataFrame([total])], ignore_index=True)
    every = _rows(_for_file(worklist, lang))
    book = [
        Table(sheets["summary"], _rows(summary.rename(columns=SUMMARY_HEADERS[lang]))),
        Table(sheets["all"], every, autofilter=True),
    ]
    by_opd: dict[str, list[list]] = {}
    position = list(WORKLIST_COLUMNS).index("opd")
    for row in every[1:]:
        by_opd.setdefault(row[position], []).append(row)
    for opd, title in zip(opds, sheet_names(opds, reserved=list(sheets.values())), strict=True):
        book.append(Table(title, [every[0], *by_opd.get(opd, [])], autofilter=True))
    book.append(Table(sheets["about"], [list(r) for r in _about_rows(lang, plan, region_name)]))
    return workbook_bytes(table_workbook(book))


def _rows(frame: pd.DataFrame) -> list[list]:
    header = [str(c) for c in frame.columns]
    body = frame.astype(object).to_numpy().tolist()
    return [header, *([None if _blank_cell(v) else v for v in row] for row in body)]


def _about_rows(lang: str, plan, region_name: str) -> list[tuple[str, object]]:
    if lang == "id":
        rows = [
            ("Daerah", region_name),
            ("Satuan upaya", "hari kerja (HK): satu orang bekerja satu hari"),
            (
                "Catatan",
                "Upaya per aksi adalah asumsi kasar yang dapat diubah (tabel biaya, "
                "--costs); data dukung sesuai uraian level pada tabel metodologi.",
            ),
        ]
        if plan is not None:
            rows += [
                ("Target IID", plan.target),
                ("IID sebelum", plan.iid_before),
                ("IID sesudah", plan.iid_after),
                ("Upaya total", plan.total_cost),
            ]
    else:
        rows = [
            ("Region", region_name),
            ("Unit of effort", "person-days (hari kerja): one person working one day"),
            (
                "Note",
                "Efforts per action are rough, editable assumptions (cost table, "
                "--costs); evidence as the methodology table's level descriptions.",
            ),
        ]
        if plan is not None:
            rows += [
                ("Target IID", plan.target),
                ("IID before", plan.iid_before),
                ("IID after", plan.iid_after),
                ("Total effort", plan.total_cost),
            ]
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
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(escape_formula_text)
    with atomic_path(csv_path, suffix=".csv") as temporary:
        safe.to_csv(temporary, index=False, encoding="utf-8")
    written.append(csv_path)
    return written


def worklist_text(worklist: pd.DataFrame, lang: str = "id") -> str:
    """One line per OPD: its actions and effort (for the terminal)."""
    summary = worklist_summary(worklist)
    unit = EFFORT_UNIT[lang]
    return "\n".join(
        f"  {row.opd[:50]:50s} {row.n_actions:5d} {format_number(row.effort, lang, 0):>8s} {unit}"
        for row in summary.itertuples(index=False)
    )


__all__ = [
    "EVIDENCE_COLUMN",
    "HEADERS",
    "WORKLIST_COLUMNS",
    "evidence_columns",
    "plan_worklist",
    "read_worklist",
    "sheet_names",
    "worklist_actions",
    "worklist_summary",
    "worklist_text",
    "worklist_workbook_bytes",
    "write_worklist",
]
