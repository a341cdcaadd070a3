"""``iid-analysis plan``: the cheapest set of actions that lifts a region's IID to a target."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from ..atomic import write_csv
from ..errors import UsageError
from ..feasibility.calendar import plan_calendar
from ..feasibility.change import DEFAULT_EVIDENCE_CHANCE
from ..feasibility.effort import default_effort, load_effort
from ..feasibility.headline import variant_weights
from ..feasibility.maturity_effort import maturity_effort
from ..feasibility.maturity_grain import cheapest_maturity_plan, score_maturities
from ..feasibility.optimize import Plan, cheapest_plan
from ..feasibility.uncertainty import (
    DEFAULT_PLAN_DRAWS,
    RobustPlan,
    SimulationSettings,
    plan_for_probability,
)
from ..feasibility.worklist import write_worklist
from ..inputs import GRAIN_MATURITY
from ..methodology import load_methodology
from ..outputs import check_output_path, printable
from ..wording import format_percent, format_probability
from ..workbook_writer import check_text
from . import _indicator_data as indicator_data

ORDER = 30
SHOWN_ACTIONS = 15
MAX_NEW_INNOVATIONS = 1000
"""The most new innovations --max-new may allow (five times the 2023 count cap of 200)."""
DEFAULT_TIME_BUDGET = 120.0
MAX_TIME_BUDGET = 24 * 3600.0
MAX_PLAN_DRAWS = 100_000
"""The most simulation draws --n-draws may ask for."""
SUBPROBLEM_TIME_LIMIT = 20.0
"""Seconds one integer program (one number of new innovations) may take, within the budget."""


class TimeBudgetError(UsageError):
    """The plan search ran past the command's --time-budget."""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "plan",
        help="cheapest actions that reach a target IID",
        description=(
            "Find the minimum-cost set of level-ups and new innovations whose IID, rounded as "
            "published, reaches the target (exact integer program; see docs/feasibility.md)."
        ),
    )
    indicator_data.add_arguments(parser)
    parser.add_argument("--target", type=float, required=True, help="target IID (0..100)")
    parser.add_argument(
        "--costs",
        type=Path,
        help="cost table (CSV/XLSX: kind, indicator, [opd, innovation_id,] cost) overriding the "
        "shipped efforts in hari kerja (person-days); see docs/feasibility.md",
    )
    parser.add_argument(
        "--max-new",
        type=int,
        default=None,
        help="at most this many new innovations (default: up to the count cap)",
    )
    parser.add_argument(
        "--budget", type=float, default=None, help="plans costing more do not count"
    )
    parser.add_argument(
        "--time-budget",
        type=float,
        default=DEFAULT_TIME_BUDGET,
        help=f"seconds the whole plan search may take (default {DEFAULT_TIME_BUDGET:g})",
    )
    parser.add_argument(
        "--probability",
        type=float,
        default=None,
        help="find the cheapest plan that reaches the target with at least this probability "
        "under verification risk and the unknown rules (0..1; the report uses 0.8)",
    )
    parser.add_argument(
        "--published-iid",
        type=float,
        default=None,
        help="the region's published IID for the data's year: weights the unknown rules' "
        "variants by whether they reproduce it (as the report does)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the simulation (default 0)")
    parser.add_argument(
        "--n-draws",
        type=int,
        default=DEFAULT_PLAN_DRAWS,
        help=f"simulation draws (default {DEFAULT_PLAN_DRAWS}, as in the report)",
    )
    parser.add_argument(
        "--as-of-date",
        type=_iso_date,
        default=None,
        help="the date the plan is made (YYYY-MM-DD, default today): only actions whose lead "
        "time ends before the data-entry window closes enter the plan",
    )
    parser.add_argument(
        "--entry-year",
        type=int,
        default=None,
        help="the year whose data-entry window the plan aims at (default: the first window at "
        "or after --year not yet closed at --as-of-date)",
    )
    parser.add_argument(
        "--evidence-chance",
        type=float,
        default=DEFAULT_EVIDENCE_CHANCE,
        help="chance that an evidence step ('periksa dan unggah bukti jika benar') is true, "
        f"as the probability counts it (default {DEFAULT_EVIDENCE_CHANCE:g})",
    )
    parser.add_argument("--output", type=Path, help="also write the actions as CSV to this path")
    parser.add_argument(
        "--worklist",
        type=Path,
        help="also write the per-OPD worklist: PATH.xlsx (workbook, and a CSV beside it) or "
        "PATH.csv",
    )
    parser.add_argument(
        "--region", help="the region's name, written into the worklist (default: the data files)"
    )
    parser.add_argument(
        "--lang",
        choices=("id", "en"),
        default="id",
        help="language of the worklist (default id: Indonesian)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    check_arguments(args)
    check_outputs(args)
    indicator_data.check_data_year(getattr(args, "entry_year", None), "--entry-year")
    region = indicator_data.load_region(args)
    if region.grain == GRAIN_MATURITY:
        return run_maturity_grain(args, region)
    methodology = region.methodology
    costs = load_effort(args.costs, methodology) if args.costs else default_effort(methodology)
    calendar = plan_calendar(args.as_of_date, methodology.year, args.entry_year)
    robust = None
    with time_budget(args.time_budget):
        if args.probability is None:
            plan = cheapest_plan(
                region,
                args.target,
                costs=costs,
                max_new_innovations=args.max_new,
                budget=args.budget,
                time_limit=min(args.time_budget, SUBPROBLEM_TIME_LIMIT),
                calendar=calendar,
            )
        else:
            scored_under = region
            if args.data_year is not None and args.data_year != methodology.year:
                scored_under = region.under(load_methodology(args.data_year))
            weights = variant_weights(scored_under, args.published_iid)
            settings = SimulationSettings(
                n_draws=args.n_draws, seed=args.seed, stage_weights=weights.stage,
                rejected_weights=weights.rejected, evidence_chance=args.evidence_chance,
            )
            robust = plan_for_probability(
                region,
                args.target,
                probability=args.probability,
                costs=costs,
                max_new_innovations=args.max_new,
                settings=settings,
                time_limit=min(args.time_budget, SUBPROBLEM_TIME_LIMIT),
                calendar=calendar,
            )
            plan = robust.plan
    if args.output:
        write_csv(args.output, plan.actions_table())
    if args.worklist:
        write_worklist(args.worklist, region, plan, args.lang, region_name=args.region)
    indicator_data.say_recognised(region, "plan", args)
    if not args.json:
        for written in (args.output, args.worklist):
            if written:
                print(f"iid-analysis plan: wrote {printable(str(written))}", file=sys.stderr)
    if args.json:
        print(json.dumps({**plan.as_json(), **_robust_json(robust)}, ensure_ascii=False))
        if plan.provisional_rules:
            print(_provisional_note(plan), file=sys.stderr)
    else:
        print(format_plan(plan))
        if robust is not None:
            print(format_robust(robust))
    return 0


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def run_maturity_grain(args: argparse.Namespace, region) -> int:
    """The plan of a region known at maturity grain (an innovation list with *kematangan*):
    raise maturities and add innovations (:func:`cheapest_maturity_plan`, exact at that grain),
    in hari kerja from the effort model (``--costs`` applied, except rows for one OPD or
    innovation, which price steps the plan cannot name)."""
    unsupported = [
        option
        for option, given in (
            ("--probability", args.probability is not None),
            ("--worklist", args.worklist is not None),
        )
        if given
    ]
    if unsupported:
        raise UsageError(
            f"{region.format_label} gives each innovation's kematangan, not its indicator levels: "
            f"{', '.join(unsupported)} need the levels; plan without them (a maturity-grain "
            "plan), or give the levels file"
        )
    spd = region.spd if region.spd_known else None
    score = score_maturities(
        region.innovations, region.methodology, spd=spd, published_iid=args.published_iid
    )
    max_new = args.max_new if args.max_new is not None else 50
    model = None
    if args.costs:
        model = load_effort(args.costs, region.methodology)
        if model.has_cell_costs:
            raise UsageError(
                f"{printable(str(args.costs))}: rows for one OPD or innovation price indicator "
                "steps, which a maturity-grain plan cannot name; keep the rows by indicator, "
                "evidence kind, raise_level and add_innovation, or give the levels file"
            )
    calendar = plan_calendar(args.as_of_date, region.methodology.year, args.entry_year)
    effort = maturity_effort(region.methodology, model, calendar)
    plan = cheapest_maturity_plan(
        region.innovations, region.methodology, score, args.target, effort=effort,
        max_new=max_new,
    )
    if args.output:
        write_csv(args.output, plan.actions_table())
    indicator_data.say_recognised(region, "plan", args)
    if args.json:
        print(json.dumps(plan.as_json(), ensure_ascii=False))
    else:
        verdict = "reached" if plan.reachable else f"NOT reachable (best {plan.max_iid:.2f})"
        lines = [
            f"Plan to IID {plan.target:.2f} at maturity grain: {verdict}",
            f"  IID before         {plan.iid_before:10.2f}",
            f"  IID after          {plan.iid_after:10.2f}",
            f"  effort             {plan.cost:10.2f}  {plan.unit} ({plan.points_raised:g} points "
            f"of kematangan raised; {plan.n_new} new at {plan.new_maturity:g})",
            f"  note: {plan.note}",
            *_maturity_calendar_lines(plan),
        ]
        for row in plan.actions.rows[:SHOWN_ACTIONS]:
            lines.append(
                f"  {row.action:15} {printable(str(row.innovation_id)):20} "
                f"{row.maturity_before:7.2f} -> {row.maturity_after:7.2f}"
                f"  {row.cost:8.2f} {plan.unit}  by {row.deadline} (start by {row.start_by})"
            )
        print("\n".join(lines))
    if args.output:
        print(f"iid-analysis plan: wrote {printable(str(args.output))}", file=sys.stderr)
    return 0


def _window_lines(calendar) -> list[str]:
    """The plan's date, its data-entry window and the weeks left (none without a calendar)."""
    if calendar is None:
        return []
    window = calendar.window
    return [
        f"  as of {calendar.as_of.isoformat()}: {calendar.weeks_remaining} weeks until the "
        f"{window.year} data-entry window closes ({window.opens.isoformat()} to "
        f"{window.closes.isoformat()}, {window.provenance})"
    ]


def _next_year_lines(next_year) -> list[str]:
    """The kinds of step whose lead time ends after the window (the first five), with value."""
    if not next_year:
        return []
    lines = [f"  for next year (lead time ends after the window): {len(next_year)} kinds of step:"]
    for step in next_year[:5]:
        what = f"ind. {step.indicator} -> {step.to_level}" if step.indicator else "new innovation"
        lines.append(f"    {what:24s} {step.change:22s} {step.lead_weeks:4.0f} weeks  "
                     f"IID +{step.iid_gain:.2f}")
    return lines


_BLOCKED = {
    "late": "creating one does not end before the window closes",
    "ineligible": "one created now falls outside the year's eligibility window",
}


def _maturity_calendar_lines(plan) -> list[str]:
    """A maturity-grain plan's date, window, weeks left, whether new innovations are offered,
    and the steps for next year."""
    lines = _window_lines(plan.calendar)
    if plan.new_blocked:
        lines.append(f"  no new innovations offered: {_BLOCKED.get(plan.new_blocked, '')}")
    return lines + _next_year_lines(plan.next_year)


def _robust_json(robust: RobustPlan | None) -> dict:
    if robust is None:
        return {}
    result = robust.uncertainty
    return {
        "probability": robust.probability,
        "planning_target": robust.planning_target,
        "p_reach": result.p_reach,
        "probability_reached": robust.reached,
        "seed": result.seed,
        "n_draws": result.n_draws,
    }


def format_robust(robust: RobustPlan) -> str:
    """The robust plan's probability, in a few lines."""
    result = robust.uncertainty
    verdict = "reached" if robust.reached else "NOT reached"
    return "\n".join(
        [
            f"P(IID >= {robust.target:.2f}) with this plan: "
            f"{format_probability(result.p_reach, 'en')} "
            f"(asked {format_percent(robust.probability, 'en')}: {verdict})",
            f"  planned for        {robust.planning_target:10.2f}  "
            f"(seed {result.seed}, {result.n_draws} draws)",
        ]
    )


def check_outputs(args: argparse.Namespace) -> None:
    """--output and --worklist (and the CSV written beside an .xlsx worklist) pass the output
    guard, and name different files."""
    inputs = indicator_data.inputs(args)
    targets: list[tuple[Path, str]] = []
    if args.output:
        targets.append((Path(args.output), "--output"))
    if args.worklist:
        worklist = Path(args.worklist)
        targets.append((worklist, "--worklist"))
        if worklist.suffix.lower() == ".xlsx":
            targets.append((worklist.with_suffix(".csv"), "--worklist"))
    seen: dict[Path, str] = {}
    for path, option in targets:
        check_output_path(path, inputs, option=option)
        key = path.expanduser().resolve()
        if key in seen:
            raise UsageError(f"{option} {printable(path)}: also written by {seen[key]}")
        seen[key] = option


def check_arguments(args: argparse.Namespace) -> None:
    """Refuse numbers that are not numbers or lie outside their bounds (one line each)."""
    check_text(args.region, "--region")
    if not (math.isfinite(args.target) and 0 < args.target <= 100):
        raise UsageError(f"--target must lie in (0, 100], got {args.target:g}")
    if args.budget is not None and not (math.isfinite(args.budget) and args.budget >= 0):
        raise UsageError(f"--budget must be a finite number >= 0, got {args.budget:g}")
    if args.max_new is not None and not 0 <= args.max_new <= MAX_NEW_INNOVATIONS:
        raise UsageError(
            f"--max-new must lie in 0..{MAX_NEW_INNOVATIONS} (the bound on new innovations), "
            f"got {args.max_new}"
        )
    if args.probability is not None and not (
        math.isfinite(args.probability) and 0 < args.probability <= 1
    ):
        raise UsageError(f"--probability must lie in (0, 1], got {args.probability:g}")
    if not 1 <= args.n_draws <= MAX_PLAN_DRAWS:
        raise UsageError(f"--n-draws must lie in 1..{MAX_PLAN_DRAWS}, got {args.n_draws}")
    if args.seed < 0:
        raise UsageError(f"--seed must be a whole number >= 0, got {args.seed}")
    if not (math.isfinite(args.evidence_chance) and 0 <= args.evidence_chance <= 1):
        raise UsageError(f"--evidence-chance must lie in 0..1, got {args.evidence_chance:g}")
    if args.published_iid is not None and not (
        math.isfinite(args.published_iid) and 0 <= args.published_iid <= 100
    ):
        raise UsageError(f"--published-iid must lie in 0..100, got {args.published_iid:g}")
    budget = args.time_budget
    if not (math.isfinite(budget) and 0 < budget <= MAX_TIME_BUDGET):
        raise UsageError(f"--time-budget must lie in (0, {MAX_TIME_BUDGET:g}] s, got {budget:g}")


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeBudgetError` if the block runs longer than ``seconds``.

    A SIGALRM timer (the main thread of a POSIX process only; elsewhere the block runs
    unbounded). An integer program in progress ends at its own time limit, at most
    ``SUBPROBLEM_TIME_LIMIT`` s, before the alarm stops the search.
    """
    in_main = threading.current_thread() is threading.main_thread()
    if not hasattr(signal, "setitimer") or not in_main:
        yield
        return

    def expired(signum, frame):  # noqa: ARG001 - the signature signal wants
        raise TimeBudgetError(
            f"the plan search ran past its --time-budget of {seconds:g} s; give a larger "
            "--time-budget, a smaller --max-new or fewer indicators to move"
        )

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _provisional_note(plan: Plan) -> str:
    return "not CONFIRMED: " + ", ".join(plan.provisional_rules)


def _urusan_lines(plan: Plan) -> list[str]:
    """What the plan does about the urusan wajib pelayanan dasar rule (2026 on), if missed."""
    if not plan.urusan_missing:
        return []
    missing = "; ".join(plan.urusan_missing)
    if not plan.urusan_cover:
        verdict = "this plan does without the count score" if plan.reached else "not covered"
        return [f"  urusan rule not met (count score 0); missing urusan: {missing}; {verdict}"]
    lines = [
        f"  urusan rule not met (count score 0); missing urusan: {missing}",
        f"  the plan covers {len(plan.urusan_cover)} of them, one new innovation each, "
        "restoring the count score:",
    ]
    for action in plan.actions:
        if action.kind == "add_innovation" and action.urusan:
            lines.append(
                f"    {printable(action.innovation_id)} ({printable(action.opd)}): "
                f"urusan: {printable(action.urusan)}"
            )
    return lines


def _calendar_lines(plan: Plan) -> list[str]:
    """The plan's date, window, weeks left, evidence to check and actions for next year."""
    lines = _window_lines(plan.calendar)
    if plan.evidence:
        gain = sum(e.iid_gain for e in plan.evidence)
        lines.append(
            f"  evidence to check (not actions; counted only if true): {len(plan.evidence)} "
            f"steps, IID +{gain:.2f} if all were true"
        )
    return lines + _next_year_lines(plan.next_year)


def format_plan(plan: Plan) -> str:
    """A plan as a few lines of text for the terminal."""
    verdict = "reached" if plan.reached else "NOT reached"
    lines = [
        f"target {plan.target:.2f}: {verdict}",
        f"  IID before         {plan.iid_before:10.2f}",
        f"  IID after          {plan.iid_after:10.2f}",
        f"  effort (hari kerja){plan.total_cost:10.2f}",
        f"  actions            {len(plan.actions):10d}  ({plan.n_new_innovations} new innovations)",
        f"  highest reachable  {plan.max_iid:10.2f}",
    ]
    if plan.message:
        lines.append(f"  {plan.message}")
    lines.extend(_calendar_lines(plan))
    lines.extend(_urusan_lines(plan))
    if not plan.reached and plan.max_iid >= plan.target and "budget" not in plan.message:
        lines.append(
            "  stopped by the solver: a plan reaching the target exists within the limits, but "
            "none was found within the time limits (try a larger --time-budget)"
        )
    ranked = sorted(plan.actions, key=lambda a: -a.iid_gain)[:SHOWN_ACTIONS]
    if ranked:
        lines.append(f"  largest gains (of {len(plan.actions)}):")
    for action in ranked:
        if action.kind == "add_innovation":
            what = f"add {printable(action.innovation_id)} to {printable(action.opd)}"
        else:
            where = printable(action.innovation_id or "SPD")
            what = f"{where} ind. {action.indicator} {action.from_level}->{action.to_level}"
        lines.append(f"    {what:60.60s} cost {action.cost:6.2f}  IID {action.iid_gain:+.4f}")
    if plan.provisional_rules:
        lines.append("  " + _provisional_note(plan))
    return "\n".join(lines)
