"""The assumptions log: every assumption a report rests on, rated red/amber/green for the
quality of its evidence and for its impact on the result (after the UK Analysis Function's
assumptions log). Every rule used that is not CONFIRMED gets a row of its own.

A row holds messages (``catalogue/assumptions.<lang>.yaml``), not sentences: the section renders
them in the report's language. A rule's source is the research's text (English) with its
Indonesian from ``data/rule_sources.csv`` (:attr:`iid_analysis.methodology.Rule.source_id`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from ..feasibility.calendar import ASSUMED_WINDOW
from ..inputs.datasheet import Datasheet
from ..inputs.region import Region
from ..messages import Message, catalogue, localized, render
from ..methodology import Methodology, weakest
from ..scoring import ASSUMPTION_STAGES_COUNTED

GREEN, AMBER, RED = "green", "amber", "red"
RATINGS = (GREEN, AMBER, RED)

QUALITY_BY_PROVENANCE = {
    "CONFIRMED": GREEN,
    "SECONDARY": AMBER,
    "INFERRED": AMBER,
    "PROVISIONAL": RED,
}

# How much a rule moves the IID if it is wrong: the formula's scale and the count rule move
# every point; a maximum used only for display moves nothing.
RULE_IMPACT = {
    "indicators": RED,
    "divisor_floor": AMBER,
    "count_points_per_innovation": RED,
    "count_cap": RED,
    "max_total": RED,
    "max_spd": GREEN,
    "max_innovation": GREEN,
    "max_count": GREEN,
    "band_sangat_inovatif_min": RED,
    "band_inovatif_min": AMBER,
    "band_kurang_inovatif_min": GREEN,
    "rejected_count_in_divisor": AMBER,
}

YES_NO_ID = {"yes": "ya", "no": "tidak", "True": "ya", "False": "tidak"}

DOMAIN = "assumptions"

LOG_COLUMNS = ("key", "text", "provenance", "quality", "impact", "source", "source_id")


@dataclass(frozen=True)
class Assumption:
    """One row of the log; ``quality`` and ``impact`` are 'green', 'amber' or 'red'.

    ``text``: the assumption, a message (``assumptions.<name>`` and its parameters) rendered in
    the report's language. ``source``: a message in words (``assumptions.source.<name>``), or as
    written: a link, or the text of a data file (a rule's source in ``rules.csv``, in English).
    ``source_id``: that data file text in Indonesian (``data/rule_sources.csv``; "" when none)."""

    key: str
    text: Message
    provenance: str
    quality: str
    impact: str
    source: Message | str
    source_id: str = ""

    def __post_init__(self) -> None:
        if self.quality not in RATINGS or self.impact not in RATINGS:
            raise ValueError(f"ratings must be one of {RATINGS}: {self}")

    def source_text(self, lang: str) -> str:
        """The source as the reader of ``lang`` reads it (a data file's text in Indonesian when
        it has a translation, else as written)."""
        if isinstance(self.source, Message):
            return render(self.source, lang)
        return self.source_id if lang == "id" and self.source_id else self.source


def msg(name: str, /, **params: object) -> Message:
    """The message ``assumptions.<name>``."""
    return Message(f"{DOMAIN}.{name}", params)


def _named(table: str, name: str) -> Message | str:
    """A name's words in the report's catalogue (``report.<table>.<name>``), or the name itself
    when the catalogue has none."""
    key = f"report.{table}.{name}"
    return Message(key) if key in catalogue("en") else name


def value_words(value: object, lang: str) -> str:
    """A rule's value as the reader writes it: yes/no in words, a decimal number with the
    language's separator (``0.38`` is ``0,38`` in Indonesian); other values as they are."""
    return render(value_message(value), lang)


def value_message(value: object) -> Message | str:
    """A rule's value as a message: yes/no in words, a decimal number in the reader's format
    (as many decimals as written); other values as they are."""
    written = str(value)
    if written in YES_NO_ID:
        return msg(f"value.{'yes' if YES_NO_ID[written] == 'ya' else 'no'}")
    whole, dot, decimals = written.partition(".")
    if dot and whole.lstrip("-").isdigit() and decimals.isdigit() and len(decimals) <= 3:
        return msg(f"value.num{len(decimals)}", value=float(written))
    return written


def rule_assumptions(methodology: Methodology, rule_names) -> list[Assumption]:
    """A row per named rule of ``methodology`` that is not CONFIRMED (unknown names skipped)."""
    rows = []
    for name in dict.fromkeys(rule_names):
        if not methodology.has(name):
            continue
        rule = methodology.rule(name)
        if rule.provenance == "CONFIRMED":
            continue
        rows.append(
            Assumption(
                key=f"{methodology.year}:{name}",
                text=msg("rule", year=methodology.year, rule=_named("rule_name", name),
                         value=value_message(rule.value)),
                provenance=rule.provenance,
                quality=QUALITY_BY_PROVENANCE.get(rule.provenance, RED),
                impact=RULE_IMPACT.get(name, AMBER),
                source=rule.source,
                source_id=rule.source_id,
            )
        )
    return rows


def levels_used(region: Region) -> dict[str, tuple[int, ...]]:
    """The levels a score of ``region`` uses, by indicator number: each SPD indicator's level
    and, for the innovation indicators, the levels of the accepted innovations."""
    used = {number: (level,) for number, level in region.spd_by_number.items()}
    accepted = region.levels[~region.rejected]
    for j, number in enumerate(region.methodology.innovation_numbers):
        used[number] = tuple(sorted({int(v) for v in accepted[:, j]}))
    return used


def indicator_assumption(
    methodology: Methodology, used: Mapping[str, Iterable[int]]
) -> list[Assumption]:
    """One row naming every indicator whose levels used (``used``: indicator number -> levels)
    are not all CONFIRMED, rated by the weakest of them (none: no row)."""
    flags = {}
    for number, levels in used.items():
        flag = methodology.indicator(number).provenance_used(levels)
        if flag != "CONFIRMED":
            flags[number] = flag
    if not flags:
        return []
    order = {n: i for i, n in enumerate(i.number for i in methodology.indicators)}
    numbers = sorted(flags, key=lambda n: order.get(n, len(order)))
    flag = weakest(flags.values())
    table_rule = methodology.rule("indicators")
    return [
        Assumption(
            key=f"{methodology.year}:indicator_points",
            text=msg("indicator_points", numbers=", ".join(numbers), year=methodology.year),
            provenance=flag,
            quality=QUALITY_BY_PROVENANCE.get(flag, RED),
            impact=AMBER,
            source=table_rule.source,
            source_id=table_rule.source_id,
        )
    ]


def stages_assumption() -> Assumption:
    return Assumption(
        key=ASSUMPTION_STAGES_COUNTED,
        text=msg("stages_counted"),
        provenance="INFERRED",
        quality=RED,
        impact=AMBER,
        source=msg("source.stages_counted"),
    )


def synthetic_data_assumption(path: str, datasheet: Datasheet) -> Assumption:
    """The row for indicator data its ``datasheet`` marks synthetic (and what it reproduces)."""
    name = datasheet.path.name
    reproduced = datasheet.built_to_reproduce
    source = msg("source.synthetic_data", name=name) if reproduced is None else msg(
        "source.synthetic_reproduced", name=name, year=reproduced.year, iid=reproduced.iid,
        source=reproduced.source,
    )
    return Assumption(
        key="synthetic_indicator_data",
        text=msg("synthetic_data", path=path),
        provenance="SYNTHETIC",
        quality=RED,
        impact=RED,
        source=source,
    )


def conflict_assumption(year: int, used: float, others, source: str) -> Assumption:
    """The figure used for a year with conflicting published figures (``others``)."""
    return Assumption(
        key=f"published_conflict:{year}",
        text=msg("published_conflict", year=year, used=used, others=tuple(others)),
        provenance="CONFIRMED",
        quality=AMBER,
        impact=AMBER,
        source=source,
    )


def short_series_assumption(n_values: int) -> Assumption:
    return Assumption(
        key="short_series",
        text=msg("short_series", n=n_values) if n_values else msg("short_series_none"),
        provenance="CONFIRMED",
        quality=AMBER if n_values >= 3 else RED,
        impact=RED,
        source=msg("source.published_scores"),
    )


def assumptions_log(rows: list[Assumption]) -> pd.DataFrame:
    """The log as a DataFrame with columns :data:`LOG_COLUMNS`, red impact first."""
    order = {RED: 0, AMBER: 1, GREEN: 2}
    frame = pd.DataFrame([r.__dict__ for r in rows], columns=list(LOG_COLUMNS))
    if frame.empty:
        return frame
    frame = frame.drop_duplicates("key")
    rank = frame["impact"].map(order) * 3 + frame["quality"].map(order)
    return frame.assign(_rank=rank).sort_values(["_rank", "key"], kind="stable").drop(
        columns="_rank"
    ).reset_index(drop=True)


def forecast_model_assumption(models: tuple[str, ...]) -> Assumption:
    return Assumption(
        key="forecast_models",
        text=msg("forecast_models", models=tuple(_named("model_name", m) for m in models)),
        provenance="INFERRED",
        quality=AMBER,
        impact=RED,
        source=msg("source.forecast_models"),
    )


def effort_assumptions(kinds: pd.DataFrame, defaults: pd.DataFrame) -> list[Assumption]:
    """The effort model's defaults (provenance ASSUMED) in two rows: the effort of one level
    step by evidence kind (``kinds``: evidence_kind, label_id, label_en, effort), and of a new
    innovation / a stage promotion (``defaults``: action_kind, stage, effort)."""
    finite = kinds[kinds["effort"].map(lambda v: v is not None and v == v and v != float("inf"))]
    lead = "lead_weeks" in finite.columns
    steps = tuple(
        msg("effort_step_lead", label=localized(id=r.label_id, en=r.label_en), effort=r.effort,
            weeks=r.lead_weeks)
        if lead else msg("effort_step", label=localized(id=r.label_id, en=r.label_en),
                         effort=r.effort)
        for r in finite.itertuples()
    )
    new = defaults[defaults["action_kind"].isin(["add_innovation", "promote_stage"])]
    items = tuple(msg(f"effort_{r.action_kind}", stage=r.stage, effort=r.effort)
                  for r in new.itertuples())
    source = msg("source.effort_lead" if lead else "source.effort_actions")
    return [
        Assumption(
            key="effort_steps",
            text=msg("effort_steps_lead" if lead else "effort_steps", steps=steps),
            provenance="ASSUMED", quality=RED, impact=AMBER, source=source,
        ),
        Assumption(
            key="effort_new",
            text=msg("effort_new", items=items),
            provenance="ASSUMED", quality=RED, impact=AMBER, source=source,
        ),
    ]


def plan_assumptions(acceptance: float) -> list[Assumption]:
    """The feasibility model's assumptions: verifier acceptance, unit costs, new innovations."""
    return [
        Assumption(
            key="plan_acceptance",
            text=msg("plan_acceptance", p=acceptance),
            provenance="INFERRED",
            quality=RED,
            impact=AMBER,
            source=msg("source.plan_acceptance"),
        ),
        Assumption(
            key="plan_new_innovations",
            text=msg("plan_new_innovations"),
            provenance="INFERRED",
            quality=AMBER,
            impact=AMBER,
            source=msg("source.plan_new_innovations"),
        ),
    ]


def calendar_assumptions(calendar, evidence_chance: float) -> list[Assumption]:
    """The credible plan's judgements: the data-entry window (``calendar``: the plan's
    :class:`~iid_analysis.feasibility.calendar.PlanCalendar`, or None), which level steps are
    records, evidence or actions with their lead times, a new innovation's first-year levels, and
    the chance that an evidence step is true."""
    rows = []
    if calendar is not None:
        window = calendar.window
        # A window of a year without dates in the year rules: its source is said in words.
        source = (msg("source.window_assumed", year=window.year)
                  if window.source.startswith(ASSUMED_WINDOW) else window.source)
        rows.append(Assumption(
            key="plan_window",
            text=msg("plan_window", year=window.year, opens=window.opens.isoformat(),
                     closes=window.closes.isoformat(), as_of=calendar.as_of.isoformat(),
                     weeks=calendar.weeks_remaining),
            provenance=window.provenance, quality=AMBER if window.assumed else GREEN,
            impact=AMBER, source=source, source_id=window.source_id,
        ))  # fmt: skip
    rows += [
        Assumption(
            key="plan_change_kinds",
            text=msg("plan_change_kinds"),
            provenance="ASSUMED", quality=AMBER, impact=RED, source=msg("source.change_kinds"),
        ),
        Assumption(
            key="plan_new_first_year",
            text=msg("plan_new_first_year"),
            provenance="ASSUMED", quality=AMBER, impact=AMBER,
            source=msg("source.new_innovation"),
        ),
        Assumption(
            key="plan_evidence_chance",
            text=msg("plan_evidence_chance", p=evidence_chance),
            provenance="ASSUMED", quality=RED, impact=AMBER, source=msg("source.evidence_chance"),
        ),
    ]
    return rows


def _maturity_effort_row(new_maturity: float, effort) -> Assumption:
    """How a maturity-grain plan's hari kerja are derived from the effort model (ASSUMED)."""
    rate, width = effort.segments[0] if effort is not None and effort.segments else (0.0, 0.0)
    top = effort.max_points if effort is not None else 0.0
    per_new = effort.per_new if effort is not None else 0.0
    return Assumption(
        key="maturity_plan_costs",
        text=msg("maturity_plan_costs", rate=rate, width=width, top=top, maturity=new_maturity,
                 per_new=per_new),
        provenance="ASSUMED",
        quality=RED,
        impact=AMBER,
        source=msg("source.maturity_effort"),
    )


def maturity_grain_assumptions(
    source_label: Message | str, provenance: str, new_maturity: float, spd_from_published=None,
    effort=None,
) -> list[Assumption]:
    """The rows of a report at maturity grain: the maturities taken as given (from a file of
    layout ``source_label`` with ``provenance``), the plan's effort in hari kerja (``effort``, a
    :class:`~iid_analysis.feasibility.maturity_effort.MaturityEffort`; a new innovation of
    maturity ``new_maturity``), and, when ``spd_from_published`` is ``(year, published_iid,
    spd)``, the SPD inferred from the published IID."""
    rows = [
        Assumption(
            key="maturity_grain",
            text=msg("maturity_grain", layout=source_label),
            provenance=provenance,
            quality=QUALITY_BY_PROVENANCE.get(provenance, RED),
            impact=AMBER,
            source=msg("source.maturity_grain"),
        ),
        _maturity_effort_row(new_maturity, effort),
    ]
    if spd_from_published is not None:
        year, iid, spd = spd_from_published
        rows.append(Assumption(
            key="spd_from_published_iid",
            text=msg("spd_from_published_iid", year=year, iid=iid, spd=spd),
            provenance="INFERRED",
            quality=AMBER,
            impact=RED,
            source=msg("source.spd_from_published_iid"),
        ))
    return rows
