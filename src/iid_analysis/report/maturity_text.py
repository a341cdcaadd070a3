"""The cheapest maturity-grain plan (a :class:`~.analysis.MaturityPart`) in the report's words
(:class:`~.i18n.Words`)."""

from __future__ import annotations

from ..feasibility.effort import EFFORT_UNIT
from ..feasibility.maturity_effort import NEW_LATE
from ..messages import Message
from .i18n import Words

MAX_NEW_SHOWN = 50
"""The most new innovations a maturity-grain plan considers (the library's default)."""


def maturity_plan_values(part, words: Words) -> dict[str, str]:
    """The numbers of a maturity-grain plan in words: actions, n_raised, points (of kematangan
    raised), n_new, m, effort (hari kerja), unit (of effort), before, after, iid_after,
    threshold, year."""
    plan = part.plan
    raised = plan.actions.raised
    m = words.num(part.new_maturity, 0)
    points = words.num(plan.actions.points_raised, 0)
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


def _change_label(change: str, words: Words) -> str:
    """A kind of change (lead-time class) in words (catalogue ``plan.change.<class>``)."""
    return words.render(Message(f"plan.change.{change}")) if change else ""


def maturity_deadline_sentence(part, words: Words) -> str:
    """When the plan's actions end (started on the plan's date) and by when the one of longest
    lead time must start; '' without a calendar or actions."""
    plan = part.plan
    calendar = plan.calendar
    longest = plan.actions.longest
    if calendar is None or longest is None:
        return ""
    return words(
        "mg_deadline_line", year=calendar.window.year,
        closes=calendar.window.closes.isoformat(), as_of=calendar.as_of.isoformat(),
        done=plan.actions.last_deadline, weeks=words.num(longest.lead_weeks, 0),
        change=_change_label(longest.change, words), start_by=longest.start_by,
    )


def maturity_new_blocked_sentence(part, words: Words) -> str:
    """Why the plan adds no new innovation (its creation does not end before the window closes,
    or it would fall outside the year's eligibility window); '' when new ones are offered."""
    plan = part.plan
    if not plan.new_blocked or plan.calendar is None:
        return ""
    window = plan.calendar.window
    weeks = words.num(part.effort.new_lead_weeks if part.effort is not None else 0.0, 0)
    if plan.new_blocked == NEW_LATE:
        return words("mg_new_blocked_late", weeks=weeks, year=window.year,
                     closes=window.closes.isoformat())
    return words("mg_new_blocked_ineligible", weeks=weeks, year=part.rules.year)


def maturity_next_year_rows(part, words: Words) -> list[list[str]]:
    """The plan's steps for next year: the step in words, its lead time (weeks), its effort on
    one innovation (hari kerja), on how many innovations it could be taken and the IID it would
    add on all of them; highest value first."""
    rows = []
    for step in part.plan.next_year:
        if step.indicator:
            info = part.rules.indicator(step.indicator)
            what = words("mg_next_year_step", change=_change_label(step.change, words),
                         indicator=step.indicator, level=step.to_level,
                         name=info.name_id if words.lang == "id" else info.name_en)
        else:
            what = words("mg_next_year_new", m=words.num(step.points, 0))
        rows.append([what, words.num(step.lead_weeks, 0), words.num(step.effort_days, 0),
                     str(step.n_innovations), words.points(step.iid_gain)])
    return rows
