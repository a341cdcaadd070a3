"""The per-OPD worklist of a plan: what each OPD does, on which innovation, with what evidence, by
when, and who is in charge.

Two tables, both built here and written by one function (:func:`worklist_workbook_bytes`) for
``plan --worklist`` and for the report alike:

- the **actions** (:func:`plan_worklist`, one row per action of the plan, so every action
  appears exactly once, under its OPD): what to do, the innovation, the indicator, from which
  level to which, the evidence the target level needs in the methodology table's own words, the
  evidence the innovations table already links, the effort (hari kerja), the lead time and the
  date to start by (when the plan carries a calendar), the IID gain, and three columns the OPD
  fills in: person in charge (*penanggung jawab*), status (an Excel list) and evidence link;
- the **evidence checks** (:func:`evidence_worklist`): levels that may already be true but are
  not shown, to be checked and uploaded only if true (*periksa dan unggah bukti*), with the IID
  they would add and the chance the plan assumes that they are true. They are never actions.

Every word in the files comes from the message catalogue (``catalogue/worklist.<lang>.yaml``);
the language is a parameter (Indonesian by default). The workbook has a summary sheet (per OPD,
with a total row), an "all actions" sheet, the evidence-check sheet, one sheet per OPD (readable,
unique names) and an "about" sheet (the region, the target, the calendar, how to use it). A CSV
of the actions is written beside it (:func:`write_worklist`) and read back by
:func:`read_worklist`; :func:`worklist_actions` turns it into the plan's actions again.

Cells go through :mod:`iid_analysis.workbook_writer`: text is typed text, never a formula.
"""

from __future__ import annotations

import datetime
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
from ..messages import Message, render
from ..wording import format_number
from ..workbook_writer import (
    MAX_SHEET_NAME,
    Table,
    cells,
    escape_formula_text,
    list_validation,
    table_workbook,
    unescape_formula_text,
    workbook_bytes,
)
from .actions import Action, add_innovation, raise_level
from .change import change_classes
from .costs import KIND_ADD
from .effort import EFFORT_UNIT, evidence_kind_of, evidence_kinds
from .programmes import SPD_OWNER, opd_plan_load

WORKLIST_COLUMNS = (
    "action_no",
    "opd",
    "task",
    "innovation_id",
    "innovation_name",
    "indicator",
    "indicator_name",
    "from_level",
    "to_level",
    "evidence_needed",
    "evidence_present",
    "urusan",
    "effort",
    "lead_weeks",
    "start_by",
    "deadline",
    "iid_gain",
    "person_in_charge",
    "status",
    "evidence_link",
    "levels",
)
"""Columns of :func:`plan_worklist`. ``levels`` (a new innovation's levels as ``16=3; 17=1``,
for reading the CSV back) is in the CSV only, not in the workbook's sheets."""

EVIDENCE_COLUMNS = (
    "check_no",
    "opd",
    "task",
    "innovation_id",
    "innovation_name",
    "indicator",
    "indicator_name",
    "from_level",
    "to_level",
    "evidence_needed",
    "evidence_present",
    "iid_gain_if_true",
    "chance",
    "person_in_charge",
    "status",
    "evidence_link",
)
"""Columns of :func:`evidence_worklist`."""

NEXT_YEAR_COLUMNS = (
    "task",
    "indicator",
    "indicator_name",
    "to_level",
    "evidence_needed",
    "n_cells",
    "effort",
    "lead_weeks",
    "iid_value",
)
"""Columns of the sheet of steps for next year (their lead time ends after the window closes):
what, the indicator and level, on how many innovations it could be taken, effort, lead time and
the IID points all of them would add."""

SUMMARY_COLUMNS = (
    "opd",
    "n_actions",
    "n_innovations",
    "n_new_innovations",
    "n_steps",
    "effort",
    "effort_share",
    "iid_gain",
    "n_checks",
)
"""Columns of the workbook's summary sheet."""

FILLED_BY_OPD = ("person_in_charge", "status", "evidence_link")
"""Columns left empty for the OPD to fill."""

STATUSES = ("not_started", "in_progress", "done", "on_hold")
"""Keys of the action statuses (``worklist.status.<key>``), the Excel list of the status column."""

CHECK_STATUSES = ("not_checked", "uploaded", "not_true")
"""Keys of the evidence-check statuses (``worklist.check_status.<key>``)."""

GAIN_DECIMALS = 2
"""IID gains are written to 2 decimals."""

_FORMATS = {"iid_gain": "0.00", "iid_gain_if_true": "0.00", "effort": "0", "effort_share": "0%",
            "chance": "0%", "lead_weeks": "0", "deadline": "yyyy-mm-dd",
            "start_by": "yyyy-mm-dd", "iid_value": "0.00"}  # fmt: skip
_WIDTHS = {"task": 40, "innovation_name": 32, "indicator_name": 32, "evidence_needed": 50,
           "evidence_present": 24, "person_in_charge": 22, "status": 18, "evidence_link": 30,
           "opd": 28}  # fmt: skip
_WRAP = {"task", "innovation_name", "indicator_name", "evidence_needed"}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_CONNECTORS = {"dan", "serta", "atau", "and", "or", "of", "&", "-", ",", "untuk", "the", "di"}


def _t(key: str, lang: str, **params) -> str:
    return render(Message(f"worklist.{key}", params), lang)


def headers(columns: Sequence[str], lang: str) -> list[str]:
    """The headers of ``columns`` in ``lang`` (``worklist.column.<key>``)."""
    return [_t(f"column.{c}", lang) for c in columns]


# --- building the tables ----------------------------------------------------------------------
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


def _change_labels() -> dict[str, tuple[str, str]]:
    """Change class (the plan's kinds of change) or evidence kind -> (Indonesian, English)."""
    kinds = evidence_kinds()
    labels = {row.evidence_kind: (row.label_id, row.label_en) for row in kinds.itertuples()}
    return labels | {key: (c.label_id, c.label_en) for key, c in change_classes().items()}


def _change_label(action, lang: str, labels) -> str:
    """What the action produces, in words: its change class (the plan's lead-time class) or,
    without one, the evidence kind of its indicator (``labels``: :func:`_change_labels`)."""
    for key in (getattr(action, "change", "") or "", evidence_kind_of(action.indicator)):
        if key in labels:
            return labels[key][0 if lang == "id" else 1]
    return ""


def _date(action, field: str) -> datetime.date | None:
    value = getattr(action, field, None)
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def _present(region: Region, evidence: dict[str, str], positions, indicator, innovation_id):
    if not innovation_id or indicator not in evidence or innovation_id not in positions:
        return ""
    value = region.innovations.iloc[positions[innovation_id]][evidence[indicator]]
    if isinstance(value, str) or (value is not None and not pd.isna(value)):
        return str(value).strip()
    return ""


def _new_innovation_words(region: Region, levels: dict[str, int], urusan, lang: str) -> str:
    methodology = region.methodology
    lines = [_t("evidence.urusan", lang, urusan=urusan)] if urusan else []
    for number in sorted(levels, key=_indicator_key):
        level = levels[number]
        if level <= 0:
            continue
        info = methodology.indicator(number)
        lines.append(_t("evidence.new_indicator", lang, indicator=number,
                        name=info.name_id if lang == "id" else info.name_en, level=level,
                        words=_level_label(region, number, level)))  # fmt: skip
    return "\n".join(lines)


def plan_worklist(region: Region, plan_or_actions, lang: str = "id") -> pd.DataFrame:
    """One row per action of the plan, ordered by OPD, innovation and indicator.

    ``region`` is the region before the plan; ``plan_or_actions`` a plan (its ``actions``) or a
    sequence of actions. Columns (:data:`WORKLIST_COLUMNS`): ``action_no`` (1.. in the plan's
    order), ``opd`` (SPD actions under :data:`~iid_analysis.feasibility.programmes.SPD_OWNER`),
    ``task`` (what to do, in ``lang``), ``innovation_id``, ``innovation_name``, ``indicator``,
    ``indicator_name``, ``from_level``, ``to_level``, ``evidence_needed`` (the target level's
    words from the methodology table; for a new innovation one line per indicator it needs, and
    the urusan it must cover), ``evidence_present`` (the innovation's evidence column for that
    indicator, if filled), ``urusan``, ``effort`` (hari kerja), ``lead_weeks``, ``start_by`` (the
    last day to start so that it ends before the data-entry window closes) and ``deadline`` (when
    it is done if started on the plan's date; both empty when the plan has no calendar),
    ``iid_gain`` (unrounded; the files round it), ``person_in_charge``, ``status``,
    ``evidence_link`` (empty, for the OPD), ``levels`` (a new innovation's ``16=3; 17=1``).
    """
    actions = tuple(getattr(plan_or_actions, "actions", plan_or_actions))
    methodology = region.methodology
    names = dict(zip(region.ids, region.innovations["name"].astype(str), strict=True))
    positions = {innovation_id: r for r, innovation_id in enumerate(region.ids)}
    evidence = evidence_columns(region)
    labels = _change_labels()
    rows = []
    for number, a in enumerate(actions, start=1):
        timing = (getattr(a, "lead_weeks", None), _date(a, "start_by"), _date(a, "deadline"))
        if a.kind == KIND_ADD:
            levels = a.levels_dict
            task = _t("task.new_urusan", lang, urusan=a.urusan) if a.urusan else _t("task.new",
                                                                                     lang)
            rows.append((number, a.opd, task, a.innovation_id, "", "", "", None, None,
                         _new_innovation_words(region, levels, a.urusan, lang), "",
                         a.urusan or "", a.cost, *timing, a.iid_gain, "", "", "",
                         _levels_text(levels)))  # fmt: skip
            continue
        info = methodology.indicator(a.indicator)
        change = _change_label(a, lang, labels)
        task = (_t("task.raise", lang, change=change) if change
                else _t("task.raise_generic", lang, level=a.to_level))  # fmt: skip
        rows.append(
            (number, SPD_OWNER[lang] if a.is_spd else a.opd, task, a.innovation_id,
             "" if a.is_spd else names.get(a.innovation_id, ""), a.indicator,
             info.name_id if lang == "id" else info.name_en, a.from_level, a.to_level,
             _level_label(region, a.indicator, a.to_level),
             _present(region, evidence, positions, a.indicator, a.innovation_id), "", a.cost,
             *timing, a.iid_gain, "", "", "", "")
        )  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(WORKLIST_COLUMNS))
    frame["lead_weeks"] = pd.to_numeric(frame["lead_weeks"]).astype("Float64")
    return _by_opd_and_indicator(frame, "action_no")


def evidence_worklist(region: Region, plan_or_steps, lang: str = "id") -> pd.DataFrame:
    """The evidence checks of a plan (its ``evidence`` steps, or a sequence of steps with
    ``indicator``, ``innovation_id``, ``opd``, ``from_level``, ``to_level``, ``iid_gain`` and
    ``chance``), one row each in the plan's order, ordered by OPD, innovation and indicator.
    Columns: :data:`EVIDENCE_COLUMNS` (``evidence_needed`` in the methodology's words,
    ``iid_gain_if_true`` unrounded, ``chance`` 0..1 or empty)."""
    if isinstance(plan_or_steps, Sequence):
        steps = tuple(plan_or_steps)
    else:
        steps = tuple(getattr(plan_or_steps, "evidence", ()) or ())
    methodology = region.methodology
    names = dict(zip(region.ids, region.innovations["name"].astype(str), strict=True))
    positions = {innovation_id: r for r, innovation_id in enumerate(region.ids)}
    evidence = evidence_columns(region)
    rows = []
    for number, step in enumerate(steps, start=1):
        info = methodology.indicator(step.indicator)
        spd = not step.innovation_id
        rows.append(
            (number, SPD_OWNER[lang] if spd else step.opd,
             _t("task.check", lang, level=step.to_level), step.innovation_id,
             "" if spd else names.get(step.innovation_id, ""), step.indicator,
             info.name_id if lang == "id" else info.name_en, step.from_level, step.to_level,
             _level_label(region, step.indicator, step.to_level),
             _present(region, evidence, positions, step.indicator, step.innovation_id),
             float(step.iid_gain), getattr(step, "chance", None), "", "", "")
        )  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(EVIDENCE_COLUMNS))
    frame["chance"] = pd.to_numeric(frame["chance"]).astype("Float64")
    return _by_opd_and_indicator(frame, "check_no")


def _by_opd_and_indicator(frame: pd.DataFrame, number_column: str) -> pd.DataFrame:
    """Levels as nullable integers; rows by OPD, innovation, indicator (table order), then the
    step's number."""
    for column in ("from_level", "to_level"):
        frame[column] = frame[column].astype("Int64")
    order = frame["indicator"].map(_indicator_key)
    frame = frame.assign(_order=order).sort_values(
        ["opd", "innovation_id", "_order", number_column], kind="stable"
    )
    return frame.drop(columns="_order").reset_index(drop=True)


def next_year_worklist(region: Region, steps, lang: str = "id") -> pd.DataFrame:
    """The steps for next year (a plan's ``next_year``: ``indicator`` ('' for a new
    innovation), ``to_level``, ``change``, ``lead_weeks``, ``effort_days``, ``n_cells``,
    ``iid_gain``), highest IID value first. Columns: :data:`NEXT_YEAR_COLUMNS`."""
    labels = _change_labels()
    methodology = region.methodology
    rows = []
    for step in steps:
        if not step.indicator:
            rows.append((_t("task.new", lang), "", "", None, "", step.n_cells, step.effort_days,
                         step.lead_weeks, step.iid_gain))  # fmt: skip
            continue
        info = methodology.indicator(step.indicator)
        label = labels.get(step.change, ("", ""))[0 if lang == "id" else 1]
        task = (_t("task.raise", lang, change=label) if label
                else _t("task.raise_generic", lang, level=step.to_level))  # fmt: skip
        rows.append((task, step.indicator, info.name_id if lang == "id" else info.name_en,
                     step.to_level, _level_label(region, step.indicator, step.to_level),
                     step.n_cells, step.effort_days, step.lead_weeks, step.iid_gain))  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(NEXT_YEAR_COLUMNS))
    frame["to_level"] = frame["to_level"].astype("Int64")
    return frame.sort_values("iid_value", ascending=False, kind="stable").reset_index(drop=True)


def _next_year_of(plan_or_actions) -> tuple:
    """A plan's actions for next year (their lead time ends after the window closes)."""
    if isinstance(plan_or_actions, Sequence):
        return ()
    return tuple(getattr(plan_or_actions, "next_year", ()) or ())


def _evidence_of(plan_or_actions) -> tuple:
    """A plan's evidence steps (none for a plain sequence of actions)."""
    if isinstance(plan_or_actions, Sequence):
        return ()
    return tuple(getattr(plan_or_actions, "evidence", ()) or ())


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
            actions.append(add_innovation(str(row.innovation_id), str(row.opd),
                                          {k.strip(): int(v) for k, v in pairs.items()},
                                          urusan=urusan))
        else:
            innovation_id = "" if _blank(row.innovation_id) else str(row.innovation_id)
            opd = "" if not innovation_id else str(row.opd)
            actions.append(raise_level(str(row.indicator), int(row.from_level),
                                       int(row.to_level), innovation_id, opd))  # fmt: skip
    return actions


def _blank(value) -> bool:
    if value is None or value is pd.NA:
        return True
    return (isinstance(value, float) and math.isnan(value)) or value == ""


# --- summary and sheet names ------------------------------------------------------------------
def worklist_summary(worklist: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """Per OPD of the worklist (in the order of :func:`opd_plan_load`: most effort first):
    ``opd``, ``n_actions``, ``n_innovations``, ``n_new_innovations``, ``n_steps``, ``effort``,
    ``effort_share`` (0..1), ``iid_gain``; no total row."""
    actions = worklist_actions(worklist)
    ordered = worklist.sort_values("action_no")
    costed = [
        replace(a, cost=float(cost), iid_gain=float(gain))
        for a, cost, gain in zip(actions, ordered["effort"], ordered["iid_gain"], strict=True)
    ]
    if lang is None:
        spd_owner = worklist.loc[worklist["innovation_id"].map(_blank), "opd"]
        lang = "en" if (spd_owner == SPD_OWNER["en"]).any() else "id"
    load = opd_plan_load(costed, lang)
    return load[list(SUMMARY_COLUMNS[:-1])]


def _excel_length(text: str) -> int:
    """The length Excel counts: UTF-16 units (a character beyond U+FFFF, an emoji, is two)."""
    return len(text.encode("utf-16-le")) // 2


def _readable_cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters (as Excel counts them) at a word boundary,
    without a trailing connector word (``dan``, ``and``, ...) or space; a single longer word is
    cut."""
    text = " ".join(text.split())
    if _excel_length(text) <= limit:
        return text
    words = text.split(" ")
    kept: list[str] = []
    for word in words:
        if _excel_length(" ".join([*kept, word])) > limit:
            break
        kept.append(word)
    while len(kept) > 1 and kept[-1].lower().strip(",.;") in _CONNECTORS:
        kept.pop()
    if not kept:
        cut = text[:limit]
        while _excel_length(cut) > limit:
            cut = cut[:-1]
        return cut.rstrip()
    return " ".join(kept).rstrip(" ,.;-")


def sheet_names(names: Sequence[str], reserved: Sequence[str] = ()) -> list[str]:
    """Excel sheet names for ``names``: characters Excel refuses replaced by spaces, at most 31
    characters cut at a word boundary (no trailing space or connector word), unique
    (case-insensitively, also against ``reserved``) by a numbered suffix ``(2)``."""
    taken = {r.lower() for r in reserved}
    result = []
    for name in names:
        base = _SHEET_FORBIDDEN.sub(" ", str(name)).strip().strip("'").strip() or "OPD"
        candidate, number = _readable_cut(base, MAX_SHEET_NAME), 1
        while candidate.lower() in taken:
            number += 1
            suffix = f" ({number})"
            candidate = _readable_cut(base, MAX_SHEET_NAME - len(suffix)) + suffix
        taken.add(candidate.lower())
        result.append(candidate)
    return result


# --- the workbook -----------------------------------------------------------------------------
def _cell(column: str, value):
    if _blank(value):
        return None
    if column in ("iid_gain", "iid_gain_if_true", "iid_value"):
        return round(float(value), GAIN_DECIMALS)
    return value


def _table_rows(frame: pd.DataFrame, columns: Sequence[str], lang: str) -> list[list]:
    body = frame[list(columns)].astype(object).to_numpy().tolist()
    return [headers(columns, lang), *([_cell(c, v) for c, v in zip(columns, row,
                                                                     strict=True)]
                                      for row in body)]  # fmt: skip


def _table(name: str, rows: list[list], columns: Sequence[str], lang: str,
           statuses: Sequence[str] = (), status_group: str = "status") -> Table:  # fmt: skip
    """A sheet of ``rows`` (from :func:`_table_rows`) with formats, widths and the status list."""
    validations = []
    if "status" in columns and len(rows) > 1:
        column = list(columns).index("status") + 1
        validations.append(list_validation(
            cells(column, 2, len(rows)),
            items=[_t(f"{status_group}.{key}", lang) for key in statuses],
            title=_t("column.status", lang), error=_t("status_error", lang),
        ))  # fmt: skip
    return Table(
        name,
        rows,
        autofilter=True,
        formats={j: _FORMATS[c] for j, c in enumerate(columns) if c in _FORMATS},
        widths={j: _WIDTHS[c] for j, c in enumerate(columns) if c in _WIDTHS},
        wrap=frozenset(j for j, c in enumerate(columns) if c in _WRAP),
        validations=validations,
    )


def _region_text(region: Region, region_name: str | None, lang: str) -> str:
    name = region_name if region_name else region.name
    if name:
        return name
    files = ", ".join(Path(str(getattr(s, "path", s))).name for s in region.sources)
    if files:
        return _t("about.region_unnamed", lang, files=files)
    return _t("about.region_unnamed_no_files", lang)


def _about_rows(region: Region, plan, lang: str, region_name: str | None) -> list[list]:
    rows = [headers(("item", "value"), lang),
            [_t("about.region", lang), _region_text(region, region_name, lang)]]  # fmt: skip
    if hasattr(plan, "target"):
        rows += [[_t("about.target", lang), plan.target],
                 [_t("about.iid_before", lang), plan.iid_before],
                 [_t("about.iid_after", lang), plan.iid_after],
                 [_t("about.effort_total", lang), plan.total_cost]]  # fmt: skip
    calendar = getattr(plan, "calendar", None)
    if calendar is not None:
        window = calendar.window
        rows += [[_t("about.as_of", lang), calendar.as_of],
                 [_t("about.window", lang), _t("about.window_text", lang,
                                                opens=window.opens.isoformat(),
                                                closes=window.closes.isoformat())],
                 [_t("about.weeks_left", lang), calendar.weeks_remaining]]  # fmt: skip
    rows += [[_t("about.unit", lang), _t("about.unit_text", lang)],
             [_t("about.how", lang), _t("about.how_text", lang)],
             [_t("about.evidence_note", lang), _t("about.evidence_note_text", lang)],
             [_t("about.effort_note", lang), _t("about.effort_note_text", lang)]]  # fmt: skip
    return rows


def _summary_rows(worklist: pd.DataFrame, checks: pd.DataFrame, lang: str) -> pd.DataFrame:
    summary = worklist_summary(worklist, lang) if len(worklist) else pd.DataFrame(
        columns=list(SUMMARY_COLUMNS[:-1]))  # fmt: skip
    counts = checks["opd"].value_counts() if len(checks) else pd.Series(dtype=int)
    summary["n_checks"] = summary["opd"].map(counts).fillna(0).astype(int)
    only_checks = [opd for opd in counts.index if opd not in set(summary["opd"])]
    extra = pd.DataFrame([{"opd": opd, "n_actions": 0, "n_innovations": 0,
                           "n_new_innovations": 0, "n_steps": 0, "effort": 0.0,
                           "effort_share": 0.0, "iid_gain": 0.0, "n_checks": int(counts[opd])}
                          for opd in sorted(only_checks)], columns=list(SUMMARY_COLUMNS))
    parts = [p for p in (summary, extra) if len(p)]
    body = pd.concat(parts, ignore_index=True) if parts else summary
    total = {"opd": _t("total", lang)} | {
        c: body[c].sum() for c in SUMMARY_COLUMNS[1:] if c != "effort_share"
    } | {"effort_share": 1.0 if body["effort"].sum() else 0.0}
    return pd.concat([body, pd.DataFrame([total])], ignore_index=True)


def worklist_workbook_bytes(
    region: Region, plan_or_actions, lang: str = "id", region_name: str | None = None
) -> bytes:
    """The worklist workbook (.xlsx bytes) of ``plan_or_actions`` on ``region`` (the region
    before the plan): the one function behind ``plan --worklist`` and the report's download.

    Sheets: summary (per OPD: actions, innovations raised, new innovations, level steps, effort,
    share of effort in %, IID gain to 2 decimals, evidence checks; a total row), all actions,
    the evidence checks (*Periksa dan unggah bukti*), one sheet per OPD with its actions, and
    "about" (the region: ``region_name``, else the region's name, else the data files named;
    the plan's target, IID before and after, effort; the calendar when the plan has one).
    Status columns carry an Excel list of statuses. Same input, same bytes."""
    worklist = plan_worklist(region, plan_or_actions, lang)
    checks = evidence_worklist(region, _evidence_of(plan_or_actions), lang)
    return worklist_book_bytes(worklist, checks, region, plan_or_actions, lang, region_name)


def worklist_book_bytes(worklist: pd.DataFrame, checks: pd.DataFrame, region: Region,
                        plan_or_actions, lang: str = "id",
                        region_name: str | None = None) -> bytes:  # fmt: skip
    """:func:`worklist_workbook_bytes` from tables already built (by :func:`plan_worklist` and
    :func:`evidence_worklist` in the same ``lang``)."""
    action_columns = [c for c in WORKLIST_COLUMNS if c != "levels"]
    summary = _summary_rows(worklist, checks, lang)
    sheets = {key: _t(f"sheet.{key}", lang)
              for key in ("summary", "all", "evidence", "next_year", "about")}  # fmt: skip
    every = _table_rows(worklist, action_columns, lang)
    tables = [
        _table(sheets["summary"], _table_rows(summary, SUMMARY_COLUMNS, lang), SUMMARY_COLUMNS,
               lang),
        _table(sheets["all"], every, action_columns, lang, STATUSES),
        _table(sheets["evidence"], _table_rows(checks, EVIDENCE_COLUMNS, lang),
               EVIDENCE_COLUMNS, lang, CHECK_STATUSES, "check_status"),
    ]  # fmt: skip
    by_opd: dict[str, list[list]] = {}
    position = action_columns.index("opd")
    for row in every[1:]:
        by_opd.setdefault(row[position], []).append(row)
    opds = [opd for opd in summary["opd"].iloc[:-1] if opd in by_opd]
    for opd, title in zip(opds, sheet_names(opds, reserved=list(sheets.values())), strict=True):
        tables.append(_table(title, [every[0], *by_opd[opd]], action_columns, lang, STATUSES))
    later = _next_year_of(plan_or_actions)
    if later:
        rows = _table_rows(next_year_worklist(region, later, lang), NEXT_YEAR_COLUMNS, lang)
        tables.append(_table(sheets["next_year"], rows, NEXT_YEAR_COLUMNS, lang))
    about = _about_rows(region, plan_or_actions, lang, region_name)
    tables.append(Table(sheets["about"], about, widths={0: 36, 1: 90}, wrap=frozenset({1})))
    return workbook_bytes(table_workbook(tables))


# --- files ------------------------------------------------------------------------------------
def write_worklist(
    path: str | Path,
    region: Region,
    plan_or_actions,
    lang: str = "id",
    region_name: str | None = None,
) -> list[Path]:
    """Write the worklist atomically: ``PATH.xlsx`` writes the workbook
    (:func:`worklist_workbook_bytes`, byte for byte) and the actions as ``PATH.csv`` beside it;
    ``PATH.csv`` the CSV only. Returns the paths written. Raises :class:`UsageError` for
    another suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UsageError(f"--worklist {path}: the file must end in .xlsx or .csv")
    worklist = plan_worklist(region, plan_or_actions, lang)
    written = []
    if suffix == ".xlsx":
        checks = evidence_worklist(region, _evidence_of(plan_or_actions), lang)
        data = worklist_book_bytes(worklist, checks, region, plan_or_actions, lang, region_name)
        with atomic_path(path, suffix=".xlsx") as temporary:
            temporary.write_bytes(data)
        written.append(path)
    csv_path = path.with_suffix(".csv")
    with atomic_path(csv_path, suffix=".csv") as temporary:
        worklist_csv(worklist, lang).to_csv(temporary, index=False, encoding="utf-8")
    written.append(csv_path)
    return written


def worklist_csv(worklist: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """The actions as the CSV holds them: headers in ``lang``, gains to 2 decimals, dates as
    ``YYYY-MM-DD``, formula-like text escaped
    (:func:`iid_analysis.workbook_writer.escape_formula_text`)."""
    frame = worklist[list(WORKLIST_COLUMNS)].copy()
    frame["iid_gain"] = frame["iid_gain"].astype(float).round(GAIN_DECIMALS)
    for column in ("start_by", "deadline"):
        frame[column] = frame[column].map(lambda d: "" if _blank(d) else str(d))
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].map(escape_formula_text)
    frame.columns = headers(WORKLIST_COLUMNS, lang)
    return frame


def read_worklist(path: str | Path) -> pd.DataFrame:
    """A worklist CSV written by :func:`write_worklist` (either language), with the keys of
    :data:`WORKLIST_COLUMNS` and the apostrophes that neutralised formulas removed."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    reverse = {}
    for lang in ("id", "en"):
        reverse |= dict(zip(headers(WORKLIST_COLUMNS, lang), WORKLIST_COLUMNS, strict=True))
    frame = frame.rename(columns=reverse)
    for column in frame.columns:
        frame[column] = frame[column].map(unescape_formula_text)
    for column in ("action_no", "from_level", "to_level"):
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
    for column in ("effort", "iid_gain"):
        frame[column] = pd.to_numeric(frame[column])
    frame["lead_weeks"] = pd.to_numeric(frame["lead_weeks"].replace("", None)).astype("Float64")
    return frame


def worklist_text(worklist: pd.DataFrame, lang: str = "id") -> str:
    """One line per OPD: its actions and effort (for the terminal)."""
    summary = worklist_summary(worklist, lang)
    unit = EFFORT_UNIT[lang]
    return "\n".join(
        f"  {row.opd[:50]:50s} {row.n_actions:5d} "
        f"{format_number(row.effort, lang, 0):>8s} {unit}"
        for row in summary.itertuples(index=False)
    )


__all__ = [
    "CHECK_STATUSES",
    "EVIDENCE_COLUMN",
    "EVIDENCE_COLUMNS",
    "STATUSES",
    "SUMMARY_COLUMNS",
    "WORKLIST_COLUMNS",
    "evidence_columns",
    "evidence_worklist",
    "headers",
    "next_year_worklist",
    "plan_worklist",
    "read_worklist",
    "sheet_names",
    "worklist_actions",
    "worklist_book_bytes",
    "worklist_csv",
    "worklist_summary",
    "worklist_text",
    "worklist_workbook_bytes",
    "write_worklist",
]
