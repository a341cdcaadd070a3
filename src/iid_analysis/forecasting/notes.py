"""What a forecast's numbers leave out, as messages (keys ``forecast.note.*``).

:func:`forecast_notes` builds the notes from the forecast itself (its ``as_of``, series, models,
skill gate and the year rules); each note is a :class:`~iid_analysis.messages.Message` whose text
lives in ``catalogue/forecast.<lang>.yaml``, rendered in the reader's language by
:func:`iid_analysis.messages.render`. Numbers, percentages and lists are parameters, formatted
when rendered, so one note reads right in Indonesian and in English.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..messages import Message
from .bands import band_changes
from .gate import GATE_MIN_CASES
from .models import ANCHOR_MODEL, count

SMALL_SERIES = 5
"""A series with this many points or fewer gets an explicit warning in the notes."""

BASES = ("reported", "registered", "submitted", "accepted", "inventoried")
"""Bases of a published innovation count with words in the catalogue (``forecast.basis.*``)."""

SEPARATORS = ("comma", "semicolon", "none")


def note(name: str, **params: object) -> Message:
    """The note ``forecast.note.<name>`` with ``params``."""
    return Message(f"forecast.note.{name}", params)


def number(value: float, decimals: int = 2) -> Message:
    """``value`` as the notes show a published figure: with ``decimals`` 2, trailing zeros are
    dropped (77.73, 62.3, 70); otherwise exactly ``decimals`` places."""
    if decimals == 2:
        text = f"{float(value):.2f}"
        decimals = 2 - (len(text) - len(text.rstrip("0")))
    return Message(f"forecast.num.d{decimals}", {"value": float(value)})


def signed(value: float) -> Message:
    """:func:`number` with a plus sign when not negative (+0.12, -0.3)."""
    return Message("forecast.num.plus", {"value": number(value)}) if value >= 0 else number(value)


def join(items: Iterable[Message | str], separator: str = "comma") -> Message | str:
    """``items`` as one message, separated by the catalogue's ``forecast.list.<separator>``
    (", " / "; " / nothing); "" for none."""
    if separator not in SEPARATORS:
        raise ValueError(f"unknown separator {separator!r}")
    items = list(items)
    if not items:
        return ""
    joined = items[-1]
    for item in reversed(items[:-1]):
        joined = Message(f"forecast.list.{separator}", {"head": item, "tail": joined})
    return joined


def year_values(years: Sequence[int], values: Sequence[float]) -> Message | str:
    """"2021: 62.3, 2022: 77.73" as a message."""
    return join(
        Message("forecast.item.year_value", {"year": int(y), "value": number(v)})
        for y, v in zip(years, values, strict=True)
    )


def _gate_notes(forecast) -> list[Message]:
    """The skill gate's verdicts (model, ratio to the anchor, cases), or why it was not applied."""
    gate = forecast.skill_gate
    if not gate:
        return []
    if not any(g.applied for g in gate.values()):
        items = join(
            Message("forecast.item.model_n", {"model": n, "n": g.n_cases})
            for n, g in gate.items()
        )
        return [note("gate_off", min=GATE_MIN_CASES, anchor=ANCHOR_MODEL, items=items)]
    parts = []
    for name, g in gate.items():
        if g.applied:
            parts.append(Message("forecast.item.gate_judged", {
                "model": name, "ratio": g.ratio, "n": g.n_cases,
                "years": note("gate_years", k=g.years_no_worse, n=g.n_years),
                "verdict": note("gate_kept" if g.passed else "gate_out"),
            }))  # fmt: skip
        else:
            parts.append(Message("forecast.item.gate_few", {"model": name, "n": g.n_cases}))
    notes = [note("gate", anchor=ANCHOR_MODEL, min=GATE_MIN_CASES, items=join(parts, "semicolon"))]
    if set(forecast.weights) == {ANCHOR_MODEL} and ANCHOR_MODEL not in gate:
        notes.append(note("gate_anchor", anchor=ANCHOR_MODEL))
    return notes


def _model_notes(forecast) -> list[Message]:
    """The model choice, what the backtest checked, the gate, and the models left out."""
    notes = []
    medians = [c.median for c in forecast.components.values()]
    if len(forecast.weights) == 1:
        (name,) = forecast.weights
        notes.append(note("single", model=name))
    else:
        used = join(
            Message("forecast.item.model_weight", {"model": n, "weight": w})
            for n, w in forecast.weights.items()
        )
        how = note("how_evidence" if forecast.weighting == "evidence" else "how_given")
        notes.append(note("mixture", used=used, how=how, low=number(min(medians), 1),
                          high=number(max(medians), 1)))  # fmt: skip
    tested = {n: k for n, k in forecast.tested_models.items() if k > 0}
    if tested:
        listed = join(
            Message("forecast.item.model_cases", {"model": n, "cases": count(k, "case")})
            for n, k in tested.items()
        )
        notes.append(note("tested", tested=listed))
    else:
        notes.append(note("untested_all"))
    notes.extend(_gate_notes(forecast))
    notes.extend(note("excluded", reason=r) for r in forecast.excluded.values())
    notes.extend(note("refused", reason=r) for r in forecast.refused.values())
    return notes


def _rules_note(forecast) -> Message:
    s = forecast.series
    standing = (
        note("standing", year=forecast.target_year)
        if forecast.bands_year != forecast.target_year
        else ""
    )
    provisional = (
        # the rules by their names in the reader's words (the catalogue's rule names)
        note("provisional", rules=tuple(Message(f"report.rule_name.{rule}")
                                        for rule in forecast.provisional_rules))
        if forecast.provisional_rules
        else ""
    )
    changes = join(
        (note("band_change", year=year, predicate=predicate, edge=edge)
         for year, predicate, edge in band_changes(s.last_year, forecast.bands_year)),
        "none",
    )  # fmt: skip
    return note(
        "rules", bands_year=forecast.bands_year, standing=standing, provisional=provisional,
        first=s.years[0], last=s.last_year, changes=changes,
    )  # fmt: skip


def _counts_note(innovation_counts) -> Message:
    by_year: dict[int, list[Message]] = {}
    for year, n, basis in innovation_counts:
        label = Message(f"forecast.basis.{basis}") if basis in BASES else basis
        by_year.setdefault(year, []).append(
            Message("forecast.item.count_basis", {"count": n, "basis": label})
        )
    counts = join(
        (Message("forecast.item.year_items", {"year": y, "items": join(items)})
         for y, items in by_year.items()),
        "semicolon",
    )  # fmt: skip
    return note("counts", counts=counts)


def forecast_notes(forecast) -> tuple[Message, ...]:
    """Plain statements of what ``forecast``'s numbers leave out (an
    :class:`iid_analysis.forecasting.forecast.Forecast`), as messages, built from its ``as_of``,
    series, models and the year rules."""
    s = forecast.series
    notes = []
    if s.n_points <= SMALL_SERIES:
        word = Message(f"forecast.word.point.{'one' if s.n_points == 1 else 'many'}")
        notes.append(note("points", n=s.n_points, points=word,
                          values=year_values(s.years, s.values)))  # fmt: skip
    if s.last_year < forecast.as_of:
        notes.append(note("stale", last=s.last_year, h=forecast.target_year - s.last_year,
                          h_as_of=forecast.target_year - forecast.as_of))  # fmt: skip
    notes.extend(_model_notes(forecast))
    notes.append(_rules_note(forecast))
    p = forecast.prob_increase()
    if forecast.alternative is not None:
        alt = forecast.alternative
        for conflict in s.alternatives:
            notes.append(note(
                "conflict", year=conflict.year, preferred=number(conflict.preferred_iid),
                other=number(conflict.iid), alt_median=number(alt.median, 1),
                median=number(forecast.median, 1), alt_p=alt.prob_increase(), p=p,
            ))  # fmt: skip
    notes.append(note("increase", year=forecast.target_year, last=number(s.last_value), p=p))
    n_zero = forecast.n_not_reported
    zeros = (
        note("zeros_one" if n_zero == 1 else "zeros_many", n=n_zero)
        if n_zero
        else note("zeros_none")
    )
    notes.append(note("data_end", as_of=forecast.as_of, zeros=zeros))
    for year, shift, panel_mean, n in forecast.national_check:
        direction = note("above" if panel_mean > shift else "below")
        notes.append(note(
            "national", shift=signed(shift), before=year - 1, year=year, n=n,
            panel=signed(panel_mean), direction=direction,
        ))  # fmt: skip
    if forecast.innovation_counts:
        notes.append(_counts_note(forecast.innovation_counts))
    return tuple(notes)
