"""The assumptions log: every assumption a report rests on, rated red/amber/green for the
quality of its evidence and for its impact on the result (after the UK Analysis Function's
assumptions log). Every rule used that is not CONFIRMED gets a row of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from ..inputs.datasheet import Datasheet
from ..inputs.region import Region
from ..methodology import Methodology, weakest
from ..scoring import ASSUMPTION_STAGES_COUNTED
from ..wording import format_number, format_percent
from .i18n import model_name, rule_name

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

LOG_COLUMNS = (
    "key", "assumption_id", "assumption_en", "provenance", "quality", "impact", "source",
    "source_id",
)


@dataclass(frozen=True)
class Assumption:
    """One row of the log; ``quality`` and ``impact`` are 'green', 'amber' or 'red'.

    ``source_id``: the source in Indonesian when it is prose ("" when ``source`` reads the same
    in both languages, a link or a document name)."""

    key: str
    assumption_id: str
    assumption_en: str
    provenance: str
    quality: str
    impact: str
    source: str
    source_id: str = ""

    def __post_init__(self) -> None:
        if self.quality not in RATINGS or self.impact not in RATINGS:
            raise ValueError(f"ratings must be one of {RATINGS}: {self}")


def value_words(value: object, lang: str) -> str:
    """A rule's value as the reader writes it: yes/no in words, a decimal number with the
    language's separator (``0.38`` is ``0,38`` in Indonesian); other values as they are."""
    if lang == "id" and str(value) in YES_NO_ID:
        return YES_NO_ID[str(value)]
    written = str(value)
    whole, dot, decimals = written.partition(".")
    if dot and whole.lstrip("-").isdigit() and decimals.isdigit():
        return format_number(float(written), lang, len(decimals))
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
                assumption_id=f"Aturan {methodology.year}: {rule_name(name, 'id')} = "
                f"{value_words(rule.value, 'id')}",
                assumption_en=f"{methodology.year} rule: {rule_name(name, 'en')} = "
                f"{rule.value}",
                provenance=rule.provenance,
                quality=QUALITY_BY_PROVENANCE.get(rule.provenance, RED),
                impact=RULE_IMPACT.get(name, AMBER),
                source=rule.source,
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
    listed = ", ".join(numbers)
    return [
        Assumption(
            key=f"{methodology.year}:indicator_points",
            assumption_id=f"Poin indikator {listed} (tabel {methodology.year})",
            assumption_en=f"Points of indicators {listed} ({methodology.year} table)",
            provenance=flag,
            quality=QUALITY_BY_PROVENANCE.get(flag, RED),
            impact=AMBER,
            source=methodology.rule("indicators").source,
        )
    ]


def stages_assumption() -> Assumption:
    return Assumption(
        key=ASSUMPTION_STAGES_COUNTED,
        assumption_id="Inovasi tahap inisiatif dan uji coba ikut dihitung dalam n dan dinilai "
        "pada semua indikator",
        assumption_en="Initiative- and trial-stage innovations count in n and score on every "
        "indicator",
        provenance="INFERRED",
        quality=RED,
        impact=AMBER,
        source="known gap in the methodology (methodology README)",
        source_id="celah yang diketahui dalam metodologi (README metodologi)",
    )


def synthetic_data_assumption(path: str, datasheet: Datasheet) -> Assumption:
    """The row for indicator data its ``datasheet`` marks synthetic (and what it reproduces)."""
    source = f"datasheet {datasheet.path.name}"
    source_id = f"lembar data {datasheet.path.name}"
    reproduced = datasheet.built_to_reproduce
    if reproduced is not None:
        source += (
            f": built to reproduce the published {reproduced.year} IID {reproduced.iid:g} "
            f"({reproduced.source}); matching it is not a validation"
        )
        source_id += (
            f": dibuat agar menghasilkan IID {reproduced.year} yang dipublikasikan "
            f"{format_number(reproduced.iid, 'id')} ({reproduced.source}); kecocokan itu "
            "bukan validasi"
        )
    return Assumption(
        key="synthetic_indicator_data",
        assumption_id=f"Data indikator SINTETIS (ilustratif): {path}",
        assumption_en=f"SYNTHETIC (illustrative) indicator data: {path}",
        provenance="SYNTHETIC",
        quality=RED,
        impact=RED,
        source=source,
        source_id=source_id,
    )


def conflict_assumption(year: int, used: float, others, source: str) -> Assumption:
    """The figure used for a year with conflicting published figures (``others``)."""
    def written(lang: str) -> tuple[str, str]:
        return format_number(used, lang), ", ".join(format_number(v, lang) for v in others)

    (used_id, other_id), (used_en, other_en) = written("id"), written("en")
    return Assumption(
        key=f"published_conflict:{year}",
        assumption_id=f"IID {year} = {used_id} (sumber lain: {other_id})",
        assumption_en=f"IID {year} = {used_en} (another source: {other_en})",
        provenance="CONFIRMED",
        quality=AMBER,
        impact=AMBER,
        source=source,
    )


def short_series_assumption(n_values: int) -> Assumption:
    return Assumption(
        key="short_series",
        assumption_id=f"Hanya {n_values} nilai IID yang dipublikasikan pada skala 0..100",
        assumption_en=f"Only {n_values} published IID values on the 0..100 scale",
        provenance="CONFIRMED",
        quality=AMBER if n_values >= 3 else RED,
        impact=RED,
        source="data/raw/iid_published_scores.csv",
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
    listed_id = "; ".join(model_name(m, "id") for m in models)
    listed_en = "; ".join(model_name(m, "en") for m in models)
    return Assumption(
        key="forecast_models",
        assumption_id=f"Tren IID berlanjut seperti dalam model: {listed_id} (bobot berbasis "
        "bukti)",
        assumption_en=f"The IID trend continues as the models describe: {listed_en} (evidence "
        "weights)",
        provenance="INFERRED",
        quality=AMBER,
        impact=RED,
        source="iid_analysis.forecasting.forecast (docs/forecasting.md); backtest on the "
        "published panel",
        source_id="modul proyeksi (docs/forecasting.md); uji balik pada IID yang dipublikasikan "
        "semua daerah",
    )


def effort_assumptions(kinds: pd.DataFrame, defaults: pd.DataFrame) -> list[Assumption]:
    """The effort model's defaults (provenance ASSUMED) in two rows: the effort of one level
    step by evidence kind (``kinds``: evidence_kind, label_id, label_en, effort), and of a new
    innovation / a stage promotion (``defaults``: action_kind, stage, effort)."""
    finite = kinds[kinds["effort"].map(lambda v: v is not None and v == v and v != float("inf"))]
    lead = "lead_weeks" in finite.columns
    steps_id = "; ".join(
        f"{r.label_id} {format_number(r.effort, 'id', 0)}"
        + (f" ({format_number(r.lead_weeks, 'id', 0)} minggu)" if lead else "")
        for r in finite.itertuples()
    )
    steps_en = "; ".join(
        f"{r.label_en} {format_number(r.effort, 'en', 0)}"
        + (f" ({format_number(r.lead_weeks, 'en', 0)} wk)" if lead else "")
        for r in finite.itertuples()
    )
    new = defaults[defaults["action_kind"].isin(["add_innovation", "promote_stage"])]
    words_id = {"add_innovation": "inovasi baru tahap {stage}",
                "promote_stage": "memindahkan inovasi ke tahap {stage}"}
    words_en = {"add_innovation": "new innovation at stage {stage}",
                "promote_stage": "moving an innovation to {stage}"}
    new_id = "; ".join(f"{words_id[r.action_kind].format(stage=r.stage)} "
                       f"{format_number(r.effort, 'id', 0)}" for r in new.itertuples())
    new_en = "; ".join(f"{words_en[r.action_kind].format(stage=r.stage)} "
                       f"{format_number(r.effort, 'en', 0)}" for r in new.itertuples())
    source = ("src/iid_analysis/data/effort/lead_times.csv, change_kinds.csv, actions.csv "
              "(docs/feasibility.md)") if lead else (
        "src/iid_analysis/data/effort/actions.csv (docs/feasibility.md)")
    return [
        Assumption(
            key="effort_steps",
            assumption_id="Upaya satu kenaikan level (hari kerja), menurut jenis "
            + ("perubahan (waktu persiapan)" if lead else "bukti") + f": {steps_id}",
            assumption_en="Effort of one level step (person-days), by "
            + ("kind of change (lead time)" if lead else "evidence kind") + f": {steps_en}",
            provenance="ASSUMED", quality=RED, impact=AMBER, source=source,
        ),
        Assumption(
            key="effort_new",
            assumption_id=f"Upaya inovasi baru dan perpindahan tahap (hari kerja): {new_id}",
            assumption_en=f"Effort of new innovations and stage moves (person-days): {new_en}",
            provenance="ASSUMED", quality=RED, impact=AMBER, source=source,
        ),
    ]


def plan_assumptions(acceptance: float) -> list[Assumption]:
    """The feasibility model's assumptions: verifier acceptance, unit costs, new innovations."""
    return [
        Assumption(
            key="plan_acceptance",
            assumption_id="Verifikator menerima tiap kenaikan level dengan peluang "
            f"{format_percent(acceptance, 'id')}, "
            "saling bebas",
            assumption_en="The verifier accepts each level step with probability "
            f"{format_percent(acceptance, 'en')}, "
            "independently",
            provenance="INFERRED",
            quality=RED,
            impact=AMBER,
            source="iid_analysis.feasibility.simulate_plan default (docs/feasibility.md)",
            source_id="nilai bawaan simulasi rencana (docs/feasibility.md)",
        ),
        Assumption(
            key="plan_new_innovations",
            assumption_id="Inovasi baru dalam skenario berkematangan rata-rata hari ini",
            assumption_en="New innovations in the scenarios have today's mean maturity",
            provenance="INFERRED",
            quality=AMBER,
            impact=AMBER,
            source="the city scenarios of this report (docs/reports.md)",
            source_id="skenario kota dalam laporan ini (docs/reports.md)",
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
        opens, closes = window.opens.isoformat(), window.closes.isoformat()
        rows.append(Assumption(
            key="plan_window",
            assumption_id=f"Jendela pengisian data {window.year}: {opens} s.d. {closes}; rencana "
            f"dibuat {calendar.as_of.isoformat()} ({calendar.weeks_remaining} minggu sebelum "
            "jendela ditutup), hanya tindakan yang selesai sebelum jendela ditutup yang masuk "
            "rencana",
            assumption_en=f"Data-entry window {window.year}: {opens} to {closes}; plan made on "
            f"{calendar.as_of.isoformat()} ({calendar.weeks_remaining} weeks before the window "
            "closes), only actions that end before the window closes enter the plan",
            provenance=window.provenance, quality=AMBER if window.assumed else GREEN,
            impact=AMBER, source=window.source,
        ))  # fmt: skip
    rows += [
        Assumption(
            key="plan_change_kinds",
            assumption_id="Setiap kenaikan level digolongkan: catatan masa lalu, bukti yang "
            "mungkin sudah benar, tindakan (dengan upaya dan waktu persiapan), atau capaian "
            "daerah; hanya tindakan yang masuk rencana",
            assumption_en="Every level step is classified: a record of the past, evidence that "
            "may already be true, an action (with its effort and lead time), or an outcome; only "
            "actions enter a plan",
            provenance="ASSUMED", quality=AMBER, impact=RED,
            source="src/iid_analysis/data/effort/change_kinds.csv, lead_times.csv "
            "(docs/feasibility.md)",
        ),
        Assumption(
            key="plan_new_first_year",
            assumption_id="Inovasi baru dalam rencana berprofil tahun pertama: anggaran tahun "
            "berjalan saja, tanpa replikasi, tanpa RKPD tahun lalu, pengguna sejauh ini",
            assumption_en="New innovations in a plan have a first-year profile: only the current "
            "year's budget, no replication, no RKPD of past years, users so far",
            provenance="ASSUMED", quality=AMBER, impact=AMBER,
            source="src/iid_analysis/data/effort/new_innovation.csv (docs/feasibility.md)",
        ),
        Assumption(
            key="plan_evidence_chance",
            assumption_id="Peluang sebuah langkah 'periksa dan unggah bukti' memang benar: "
            f"{format_percent(evidence_chance, 'id')} (dihitung dalam peluang rencana hanya "
            "sebesar itu)",
            assumption_en="Chance that a 'check and upload the evidence' step is true: "
            f"{format_percent(evidence_chance, 'en')} (the plan's probability counts it only "
            "at that chance)",
            provenance="ASSUMED", quality=RED, impact=AMBER,
            source="iid_analysis.feasibility.SimulationSettings.evidence_chance "
            "(docs/feasibility.md)",
        ),
    ]
    return rows


def _maturity_effort_row(new_maturity: float, effort) -> Assumption:
    """How a maturity-grain plan's hari kerja are derived from the effort model (ASSUMED)."""
    rate, width = effort.segments[0] if effort is not None and effort.segments else (0.0, 0.0)
    top = effort.max_points if effort is not None else 0.0
    per_new = effort.per_new if effort is not None else 0.0

    def num(value, lang, decimals=0):
        return format_number(value, lang, decimals)

    return Assumption(
        key="maturity_plan_costs",
        assumption_id="Upaya rencana tingkat kematangan dalam hari kerja: kenaikan kematangan "
        "memakai langkah level bertipe tindakan, yang termurah per poin lebih dulu "
        f"({num(rate, 'id', 2)} hari kerja per poin untuk {num(width, 'id')} poin pertama; "
        f"paling banyak {num(top, 'id')} poin per inovasi); inovasi baru berkematangan "
        f"{num(new_maturity, 'id')} = {num(per_new, 'id')} hari kerja; batas bawah",
        assumption_en="Maturity-grain plan effort in person-days (hari kerja): a raise of "
        "maturity uses the action level steps, the cheapest per point first "
        f"({num(rate, 'en', 2)} person-days per point for the first {num(width, 'en')} points; "
        f"at most {num(top, 'en')} points per innovation); a new innovation of maturity "
        f"{num(new_maturity, 'en')} = {num(per_new, 'en')} person-days; a lower bound",
        provenance="ASSUMED",
        quality=RED,
        impact=AMBER,
        source="iid_analysis.feasibility.maturity_effort (docs/feasibility.md)",
        source_id="iid_analysis.feasibility.maturity_effort (docs/feasibility.md)",
    )


def maturity_grain_assumptions(
    source_label: str, provenance: str, new_maturity: float, spd_from_published=None,
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
            assumption_id="Kematangan tiap inovasi diambil apa adanya, tanpa level indikator "
            f"(berkas: {source_label}); rencana per inovasi lebih kasar daripada per level",
            assumption_en="Each innovation's maturity is taken as given, without indicator "
            f"levels (file: {source_label}); the plan per innovation is coarser than by level",
            provenance=provenance,
            quality=QUALITY_BY_PROVENANCE.get(provenance, RED),
            impact=AMBER,
            source="iid_analysis.inputs.importers (docs/importers.md)",
            source_id="pembaca berkas iid_analysis.inputs.importers (docs/importers.md)",
        ),
        _maturity_effort_row(new_maturity, effort),
    ]
    if spd_from_published is not None:
        year, iid, spd = spd_from_published
        rows.append(Assumption(
            key="spd_from_published_iid",
            assumption_id=f"SPD = total IID {year} yang dipublikasikan "
            f"({format_number(iid, 'id')}) dikurangi SID data ini = {format_number(spd, 'id')}",
            assumption_en=f"SPD = the published {year} IID's total ({format_number(iid, 'en')}) "
            f"less the SID of this data = {format_number(spd, 'en')}",
            provenance="INFERRED",
            quality=AMBER,
            impact=RED,
            source="iid_analysis.scoring.decompose (docs/importers.md)",
            source_id="dekomposisi iid_analysis.scoring.decompose (docs/importers.md)",
        ))
    return rows
