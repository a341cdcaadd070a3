"""Helpers every section shares: numbers in the report's language, the plain statement of
a missing analysis, rule names in words, the data's tag."""

from __future__ import annotations

import re

from ...messages import render
from ..context import ReportContext
from ..i18n import (
    format_number,
    rule_name,
    text,
)
from ..markup import (
    Html,
    notice,
)

OPD_ROWS_SHOWN = 10
LEVER_ROWS = 8


def _n(value: float, ctx: ReportContext, decimals: int = 2) -> str:
    return format_number(value, ctx.lang, decimals)


def _missing(ctx: ReportContext, analysis: str) -> Html:
    """The plain statement that ``analysis`` is not available, with the reason
    :func:`~.context.build_context` gave (the forecast, for a region with no published IID)."""
    what = render(ctx.unavailable[analysis], ctx.lang)
    if analysis == "forecast" and not ctx.published["used"].any():
        return notice(ctx.words("no_history_note", what=what), "missing")
    return notice(ctx.words("not_available", what=what), "missing")


def describe_rules(rules, lang: str, code_names: bool = False) -> str:
    """Rule names joined, with ``indicator 1``, ``indicator 2a``... folded into one entry; in
    plain words unless ``code_names`` (for "about this report")."""
    indicators = [r.split(" ", 1)[1] for r in rules if r.startswith("indicator ")]
    others = [r if code_names else rule_name(r, lang)
              for r in rules if not r.startswith("indicator ")]
    if indicators:
        others.append(f"{text('indicators_word', lang)} {', '.join(indicators)}")
    return ", ".join(others) or text("none", lang)


def _synthetic_tag(ctx: ReportContext) -> str:
    """The data's tag under a figure: synthetic, or the file the figures come from."""
    return ctx.words("synthetic_tag") if ctx.synthetic else ctx.grain_view.data_file


def grain_note(ctx: ReportContext) -> str | None:
    """The note on the report's grain (that maturity grain is coarser than a level-by-level
    plan), or None."""
    note = ctx.grain_view.note
    return None if note is None else ctx.words.render(note)


def reproduced_sentence(ctx: ReportContext) -> str | None:
    """That the indicator data was built to reproduce a published IID, when its datasheet says
    so (None otherwise): a match by construction is not a validation."""
    reproduced = None if ctx.datasheet is None else ctx.datasheet.built_to_reproduce
    if reproduced is None:
        return None
    return ctx.words("reproduced_line", year=reproduced.year, iid=_n(reproduced.iid, ctx))


WORKLIST_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LOAD_ROWS_SHOWN = 8
DECREE = re.compile(r"decree\s+([\w./-]*\d[\w./-]*)", re.IGNORECASE)
