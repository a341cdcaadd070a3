"""``iid-analysis plan``: the cheapest set of actions that lifts a region's IID to a target."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..atomic import write_csv
from ..feasibility.effort import default_effort, load_effort
from ..feasibility.optimize import Plan, cheapest_plan
from ..feasibility.worklist import plan_worklist, write_worklist
from . import _indicator_data as indicator_data

ORDER = 30
SHOWN_ACTIONS = 15


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
    parser.add_argument("--output", type=Path, help="also write the actions as CSV to this path")
    parser.add_argument(
        "--worklist",
        type=Path,
        help="also write the per-OPD worklist: PATH.xlsx (workbook, and a CSV beside it) or "
        "PATH.csv",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    region = indicator_data.load_region(args)
    methodology = region.methodology
    costs = load_effort(args.costs, methodology) if args.costs else default_effort(methodology)
    plan = cheapest_plan(
        region,
        args.target,
        costs=costs,
        max_new_innovations=args.max_new,
        budget=args.budget,
    )
    if args.output:
        write_csv(args.output, plan.actions_table())
    if args.worklist:
        worklist = plan_worklist(region, plan)
        write_worklist(args.worklist, worklist, plan=plan, region_name=region.name)
    if args.json:
        print(json.dumps(plan.as_json(), ensure_ascii=False))
        if plan.provisional_rules:
            print(_provisional_note(plan), file=sys.stderr)
    else:
        print(format_plan(plan))
    return 0


def _provisional_note(plan: Plan) -> str:
    return "not CONFIRMED: " + ", ".join(plan.provisional_rules)


def format_plan(plan: Plan) -> str:
    """A plan as a few lines of text for the terminal."""
    verdict = "reached" if plan.reached else "NOT reached"
    lines = [
        f"target {plan.target:.2f}: {verdict}",
        f"  IID before         {plan.iid_before:10.2f}",
        f"  IID after          {plan.iid_after:10.2f}",
        f"  total cost         {plan.total_cost:10.2f}",
        f"  actions            {len(plan.actions):10d}  ({plan.n_new_innovations} new innovations)",
        f"  highest reachable  {plan.max_iid:10.2f}",
    ]
    if plan.message:
        lines.append(f"  {plan.message}")
    ranked = sorted(plan.actions, key=lambda a: -a.iid_gain)[:SHOWN_ACTIONS]
    if ranked:
        lines.append(f"  largest gains (of {len(plan.actions)}):")
    for action in ranked:
        if action.kind == "add_innovation":
            what = f"add {action.innovation_id} to {action.opd}"
        else:
            where = action.innovation_id or "SPD"
            what = f"{where} ind. {action.indicator} {action.from_level}->{action.to_level}"
        lines.append(f"    {what:60.60s} cost {action.cost:6.2f}  IID {action.iid_gain:+.4f}")
    if plan.provisional_rules:
        lines.append("  " + _provisional_note(plan))
    return "\n".join(lines)
