"""A plan in the city's own terms: its actions grouped into programmes a leader recognises.

One programme per per-innovation indicator raised ("video for 59 innovations (indicator 35)"),
one per SPD indicator raised, and one for the new innovations ("14 new innovations, one in each
OPD that has only one", "reach the 200-innovation cap"); each with its effort, IID gain and the
OPDs involved. Also the OPD view of a plan: which OPDs carry most of it
(:func:`opd_plan_load`) and which OPDs "One OPD More Than One Innovation" concerns
(:func:`opd_more_than_one`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import ClassVar

import pandas as pd

from ..inputs.region import Region
from ..messages import Localized, Message, Term, message, render
from .actions import Action
from .change import change_classes
from .costs import KIND_ADD
from .effort import EFFORT_UNIT, evidence_kind_of, evidence_kinds
from .rows import Row, Rows

SPD_OWNER = Term("common.spd_owner")
"""The owner shown for SPD actions, which belong to no OPD."""

@dataclass(frozen=True)
class Programme(Row):
    """A group of a plan's actions a leader recognises (a row of :class:`Programmes`)."""

    programme: str
    """Key: ``indicator:35``, ``spd:12`` or ``new_innovations``."""
    kind: str
    """``innovation_indicator``, ``spd_indicator`` or ``new_innovations``."""
    indicator: str
    """The indicator raised ('' for new innovations)."""
    evidence_kind: str
    """The indicator's kind of evidence ('' for new innovations)."""
    n_actions: int
    """Actions in the programme."""
    n_innovations: int
    """Innovations touched or created (0 for an SPD indicator)."""
    n_steps: int
    """Level steps (new innovations count 0)."""
    effort: float
    """Sum of the actions' costs (hari kerja with the default efforts)."""
    iid_gain: float
    """Sum of the actions' sequential gains: they add up to the plan's gain, but a programme's
    share depends on the plan's order."""
    n_opds: int
    """OPDs involved."""
    opds: tuple[str, ...]
    """The OPDs involved, by name (joined by "; " in :meth:`Programmes.frame`)."""
    title: Message
    """What it is (catalogue ``plan.programme.*``; render it in the reader's language)."""
    text: Message
    """Title, effort and gain in a sentence (``plan.programme.text``)."""

    @property
    def title_id(self) -> str:
        return render(self.title, "id")

    @property
    def title_en(self) -> str:
        return render(self.title, "en")

    @property
    def text_id(self) -> str:
        return render(self.text, "id")

    @property
    def text_en(self) -> str:
        return render(self.text, "en")

    def record(self) -> tuple:
        values = dict(zip(PROGRAMME_FIELDS, super().record(), strict=True))
        values["opds"] = "; ".join(self.opds)
        values.update(title_id=self.title_id, title_en=self.title_en, text_id=self.text_id,
                      text_en=self.text_en)  # fmt: skip
        return tuple(values[c] for c in PROGRAMME_COLUMNS)


@dataclass(frozen=True)
class Programmes(Rows[Programme]):
    """A plan's programmes, highest gain first (:func:`plan_programmes`); :meth:`frame` has the
    columns :data:`PROGRAMME_COLUMNS`."""

    row_type: ClassVar[type] = Programme

    @property
    def columns(self) -> tuple[str, ...]:
        return PROGRAMME_COLUMNS

    def by_key(self) -> dict[str, Programme]:
        """The programmes by their key (``indicator:35``...)."""
        return {row.programme: row for row in self.rows}


PROGRAMME_FIELDS = tuple(f.name for f in fields(Programme))
PROGRAMME_COLUMNS = (*PROGRAMME_FIELDS[:-2], "title_id", "title_en", "text_id", "text_en")
"""Columns of :meth:`Programmes.frame`: the fields of :class:`Programme`, the title and the
sentence rendered in each language."""


def _actions(plan_or_actions) -> tuple[Action, ...]:
    return tuple(getattr(plan_or_actions, "actions", plan_or_actions))


def _labels() -> dict[str, tuple[str, str]]:
    kinds = evidence_kinds()
    return {
        row.evidence_kind: (row.label_id, row.label_en)
        for row in kinds.itertuples(index=False)
    }


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def plan_programmes(region: Region, plan_or_actions) -> Programmes:
    """A plan's actions (a :class:`Plan` or a sequence of actions) grouped into programmes
    (:class:`Programme`): one per per-innovation indicator, one per SPD indicator, one for the new
    innovations. Highest gain first, then by key.
    """
    actions = _actions(plan_or_actions)
    methodology = region.methodology
    labels = _labels()
    groups: dict[str, list[Action]] = {}
    for action in actions:
        if action.kind == KIND_ADD:
            key = "new_innovations"
        elif action.is_spd:
            key = f"spd:{action.indicator}"
        else:
            key = f"indicator:{action.indicator}"
        groups.setdefault(key, []).append(action)
    rows = []
    for key, members in groups.items():
        effort = float(sum(a.cost for a in members))
        gain = float(sum(a.iid_gain for a in members))
        opds = sorted({a.opd for a in members if a.opd})
        if key == "new_innovations":
            kind, indicator, evidence = "new_innovations", "", ""
            n_innovations, steps = len(members), 0
            title = _new_innovation_title(region, members)
        else:
            indicator = members[0].indicator
            evidence = evidence_kind_of(indicator)
            steps = sum(a.to_level - a.from_level for a in members)
            info = methodology.indicator(indicator)
            label_id, label_en = labels.get(evidence, (info.name_id, info.name_en))
            changes = pd.Series([a.change for a in members if a.change])
            if len(changes) and changes.mode().iloc[0] in change_classes():
                # what the steps are (the plan's kind of change: an SOP, a Perkada...)
                known = change_classes()[changes.mode().iloc[0]]
                label_id, label_en = known.label_id, known.label_en
            name = Localized({"id": info.name_id, "en": info.name_en})
            if key.startswith("spd:"):
                kind, n_innovations = "spd_indicator", 0
                a = members[0]
                title = message(
                    "plan.programme.spd", name=name, indicator=indicator,
                    from_level=a.from_level, to_level=a.to_level,
                    label=Localized({"id": label_id, "en": label_en}),
                )
            else:
                kind = "innovation_indicator"
                n_innovations = len({a.innovation_id for a in members})
                title = message(
                    f"plan.programme.indicator_{_plural(n_innovations)}",
                    label=Localized({"id": _capital(label_id), "en": _capital(label_en)}),
                    n=n_innovations, indicator=indicator, name=name,
                )
        opds_part = message(f"plan.programme.opds_{_plural(len(opds))}", n=len(opds)) if opds \
            else ""
        text = message("plan.programme.text", title=title, effort=effort, gain=gain,
                       unit=Localized(dict(EFFORT_UNIT)), opds=opds_part)  # fmt: skip
        rows.append(Programme(
            key, kind, indicator, evidence, len(members), n_innovations, steps, effort, gain,
            len(opds), tuple(opds), title, text,
        ))  # fmt: skip
    return Programmes(tuple(sorted(rows, key=lambda r: (-r.iid_gain, r.programme))))


def _plural(n: int) -> str:
    return "one" if n == 1 else "other"


def _new_innovation_title(region: Region, members: Sequence[Action]) -> Message:
    """The new innovations' title: how many, and what they do for One OPD More Than One
    Innovation and the count cap."""
    k = len(members)
    owned = _accepted_by_opd(region)
    singles = {opd for opd, count in owned.items() if count == 1}
    targets = [a.opd for a in members]
    one_each = bool(singles) and sorted(targets) == sorted(singles)
    cap = region.methodology.count_cap
    reaches_cap = region.n < cap <= region.n + k
    detail: Message | str = ""
    if one_each:
        detail = message("plan.programme.one_each")
    else:
        # New innovations that bring an OPD with fewer than two up to two.
        given = pd.Series(targets).value_counts().to_dict()
        filled = sum(min(n, max(2 - owned.get(opd, 0), 0)) for opd, n in given.items())
        if filled:
            detail = message("plan.programme.filled", n=filled)
    return message(
        f"plan.programme.new_{_plural(k)}", k=k, detail=detail,
        cap=message("plan.programme.cap", cap=cap) if reaches_cap else "",
    )


def _accepted_by_opd(region: Region) -> dict[str, int]:
    accepted = pd.Series(region.opds)[~region.rejected]
    counts = {opd: 0 for opd in region.opds}
    counts.update(accepted.value_counts().to_dict())
    return counts


# --- the OPD view of a plan -----------------------------------------------------------------
OPD_LOAD_COLUMNS = (
    "opd",
    "n_actions",
    "n_innovations",
    "n_new_innovations",
    "n_steps",
    "effort",
    "effort_share",
    "cumulative_effort_share",
    "iid_gain",
    "iid_share",
)


@dataclass(frozen=True)
class OpdLoadRow(Row):
    """One OPD's part of a plan (a row of :class:`OpdLoad`)."""

    opd: str
    """The OPD (SPD actions under :data:`SPD_OWNER`)."""
    n_actions: int
    n_innovations: int
    """Existing innovations it must raise."""
    n_new_innovations: int
    n_steps: int
    effort: float
    effort_share: float
    """Its share of the plan's effort (0..1)."""
    cumulative_effort_share: float
    """This OPD's share and those of the OPDs above it."""
    iid_gain: float
    iid_share: float
    """Its share of the plan's gain."""


@dataclass(frozen=True)
class OpdLoad(Rows[OpdLoadRow]):
    """Which OPDs carry most of a plan, most effort first (:func:`opd_load`)."""

    row_type: ClassVar[type] = OpdLoadRow

    def carrying(self, share: float) -> tuple[OpdLoadRow, ...]:
        """The fewest OPDs, most effort first, that together carry at least ``share`` of the
        effort."""
        out, before = [], 0.0
        for row in self.rows:
            if not before < share:
                break
            out.append(row)
            before = row.cumulative_effort_share
        return tuple(out)


def opd_load(plan_or_actions, lang: str = "id") -> OpdLoad:
    """:func:`opd_plan_load` as a frozen result (:class:`OpdLoadRow` rows)."""
    frame = opd_plan_load(plan_or_actions, lang)
    return OpdLoad(tuple(
        OpdLoadRow(str(r.opd), int(r.n_actions), int(r.n_innovations), int(r.n_new_innovations),
                   int(r.n_steps), float(r.effort), float(r.effort_share),
                   float(r.cumulative_effort_share), float(r.iid_gain), float(r.iid_share))
        for r in frame.itertuples()
    ))  # fmt: skip


def opd_plan_load(plan_or_actions, lang: str = "id") -> pd.DataFrame:
    """Which OPDs carry most of a plan: one row per OPD (SPD actions under
    :data:`SPD_OWNER`), most effort first.

    Columns: ``opd``, ``n_actions``, ``n_innovations`` (existing innovations it must raise),
    ``n_new_innovations``, ``n_steps``, ``effort``, ``effort_share`` (of the plan's effort,
    0..1), ``cumulative_effort_share`` (this OPD and those above it), ``iid_gain``,
    ``iid_share`` (of the plan's gain).
    """
    actions = _actions(plan_or_actions)
    rows: dict[str, dict] = {}
    for a in actions:
        owner = SPD_OWNER[lang] if a.is_spd else a.opd
        row = rows.setdefault(
            owner,
            {"opd": owner, "n_actions": 0, "ids": set(), "n_new_innovations": 0, "n_steps": 0,
             "effort": 0.0, "iid_gain": 0.0},
        )  # fmt: skip
        row["n_actions"] += 1
        row["effort"] += float(a.cost)
        row["iid_gain"] += float(a.iid_gain)
        if a.kind == KIND_ADD:
            row["n_new_innovations"] += 1
        else:
            row["n_steps"] += a.to_level - a.from_level
            if not a.is_spd:
                row["ids"].add(a.innovation_id)
    frame = pd.DataFrame(
        [{**{k: v for k, v in r.items() if k != "ids"}, "n_innovations": len(r["ids"])}
         for r in rows.values()],
        columns=["opd", "n_actions", "n_innovations", "n_new_innovations", "n_steps", "effort",
                 "iid_gain"],
    )  # fmt: skip
    total_effort = frame["effort"].sum()
    total_gain = frame["iid_gain"].sum()
    frame = frame.sort_values(["effort", "opd"], ascending=[False, True]).reset_index(drop=True)
    frame["effort_share"] = frame["effort"] / total_effort if total_effort else 0.0
    frame["cumulative_effort_share"] = frame["effort_share"].cumsum()
    frame["iid_share"] = frame["iid_gain"] / total_gain if total_gain else 0.0
    return frame[list(OPD_LOAD_COLUMNS)]


@dataclass(frozen=True)
class MoreThanOneRow(Row):
    """An OPD with fewer accepted innovations than "One OPD More Than One Innovation" asks (a
    row of :class:`MoreThanOne`)."""

    opd: str
    n_accepted: int
    n_rejected: int
    n_needed: int
    """New accepted innovations it needs to reach the minimum."""
    plan_new_innovations: int
    """The plan's new innovations in it."""
    met_by_plan: bool
    """Whether the plan's new innovations bring it to the minimum."""


@dataclass(frozen=True)
class MoreThanOne(Rows[MoreThanOneRow]):
    """The OPDs "One OPD More Than One Innovation" concerns, fewest accepted first, then by
    name (:func:`opd_more_than_one`)."""

    row_type: ClassVar[type] = MoreThanOneRow

    @property
    def met(self) -> int:
        """How many of them the plan brings to the minimum."""
        return sum(1 for r in self.rows if r.met_by_plan)


def opd_more_than_one(region: Region, plan_or_actions=(), minimum: int = 2) -> MoreThanOne:
    """The OPDs "One OPD More Than One Innovation" concerns: those with fewer than ``minimum``
    accepted innovations (:class:`MoreThanOneRow`). Only OPDs named in the innovations table are
    known; an OPD with no innovation at all is not in the data.
    """
    accepted = _accepted_by_opd(region)
    rejected = pd.Series(region.opds)[region.rejected].value_counts().to_dict()
    planned: dict[str, int] = {}
    for a in _actions(plan_or_actions):
        if a.kind == KIND_ADD:
            planned[a.opd] = planned.get(a.opd, 0) + 1
    rows = []
    for opd, count in sorted(accepted.items(), key=lambda item: (item[1], item[0])):
        if count >= minimum:
            continue
        new = planned.get(opd, 0)
        rows.append(MoreThanOneRow(opd, int(count), int(rejected.get(opd, 0)), minimum - count,
                                   new, count + new >= minimum))  # fmt: skip
    return MoreThanOne(tuple(rows))


__all__ = [
    "OPD_LOAD_COLUMNS",
    "PROGRAMME_COLUMNS",
    "SPD_OWNER",
    "Programme",
    "Programmes",
    "MoreThanOne",
    "MoreThanOneRow",
    "OpdLoad",
    "OpdLoadRow",
    "opd_load",
    "opd_more_than_one",
    "opd_plan_load",
    "plan_programmes",
]
