"""The cheapest maturity-grain plan (a :class:`~.analysis.MaturityPart`) in the report's words
(:class:`~.i18n.Words`)."""

from __future__ import annotations

from ..feasibility.effort import EFFORT_UNIT
from .i18n import Words

MAX_NEW_SHOWN = 50
"""The most new innovations a maturity-grain plan considers (the library's default)."""


def maturity_plan_values(part, words: Words) -> dict[str, str]:
    """The numbers of a maturity-grain plan in words: actions, n_raised, points (of kematangan
    raised), n_new, m, effort (hari kerja), unit (of effort), before, after, iid_after,
    threshold, year."""
    plan = part.plan
    raised = plan.actions[plan.actions["action"] == "raise_maturity"]
    m = words.num(part.new_maturity, 0)
    points = words.num(float(raised["points"].sum()), 0)
    phrases = []
    if len(raised):
        phrases.append(words("mg_raise_phrase", n=len(raised), points=points))
    if plan.n_new:
        phrases.append(words("mg_new_phrase", n=int(plan.n_new), m=m))
    actions = f" {words('and_word')} ".join(phrases) or words("mg_no_action")
    return dict(
        actions=actions, n_raised=len(raised), points=points, n_new=int(plan.n_new), m=m,
        effort=words.num(plan.cost, 0), unit=EFFORT_UNIT[words.lang],
        before=words.num(plan.iid_before),
        after=words.num(plan.iid_after), iid_after=words.num(plan.iid_after),
        threshold=words.num(part.threshold), year=part.rules.year,
    )


def maturity_plan_sentence(part, words: Words) -> str:
    """The cheapest maturity-grain plan in one sentence (or that none reaches the threshold)."""
    plan = part.plan
    if not plan.reachable:
        return words("mg_unreachable", year=part.rules.year, threshold=words.num(part.threshold),
                     max_iid=words.num(plan.max_iid), max_new=MAX_NEW_SHOWN)
    return words("mg_plan_line", **maturity_plan_values(part, words))
