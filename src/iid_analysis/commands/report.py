"""``iid-analysis report``: the target-feasibility report of one region, as HTML."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..config import REPORTS_DIR
from ..errors import UsageError
from ..outputs import printable
from ..report.i18n import LANGUAGES
from ..report.params import DEFAULT_TIMEOUT, ReportParams, load_params

ORDER = 40


def add_report_options(parser: argparse.ArgumentParser) -> None:
    """The options ``report`` and ``batch`` share (each overrides a params file's value)."""
    parser.add_argument("--target", type=float, help="target IID (default: the last published)")
    parser.add_argument("--lang", choices=LANGUAGES, help="report language (default: id)")
    parser.add_argument("--seed", type=int, help="random seed of the simulations")
    parser.add_argument("--n-draws", type=int, help="number of simulation draws")
    parser.add_argument(
        "--as-of-date",
        help="date YYYY-MM-DD the report is made as if: the IIDs announced by then, and the plan "
        "made on it (weeks left, deadlines; default: today)",
    )
    parser.add_argument(
        "--output-dir", type=Path, default=REPORTS_DIR, help="where reports go (default: reports/)"
    )
    parser.add_argument(
        "--timeout", type=int, default=DEFAULT_TIMEOUT,
        help=f"seconds one notebook cell may run (default: {DEFAULT_TIMEOUT})",
    )
    parser.add_argument(
        "--force", action="store_true",
        help="replace a report of another region that has the same file name",
    )


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report",
        help="make the target-feasibility report (HTML) of one region",
        description="Run the report notebook for one region and target year and write "
        "reports/<region-slug>_<year>.html next to the executed notebook. An innovations file "
        "at maturity grain (kematangan per innovation, no levels) gives the report at that "
        "grain, coarser than a level-by-level plan.",
    )
    parser.add_argument("--region", help='region name as published, e.g. "Kota Mojokerto"')
    parser.add_argument("--target-year", type=int, help="the year whose IID is targeted")
    parser.add_argument("--params", type=Path, help="YAML params file (options given here win)")
    parser.add_argument(
        "--innovations", type=Path,
        help="innovations file: level grain (indicators 16..35) or maturity grain (an export of "
        "the IID application, SIMONDA, or our maturity-grain CSV; the report is then coarser)",
    )
    parser.add_argument(
        "--spd", type=Path,
        help="SPD levels file (maturity grain without it: the SPD from the published IID)",
    )
    parser.add_argument(
        "--history", type=Path,
        help="the region's own IID history: a CSV with columns year,iid,source (for a region "
        "not in the published data; it replaces the region's published figures)",
    )
    add_report_options(parser)
    parser.set_defaults(handler=run)


def overrides(args: argparse.Namespace) -> dict[str, object]:
    """The report parameters given on the command line (None when not given)."""
    return {
        "target": args.target,
        "lang": args.lang,
        "seed": args.seed,
        "n_draws": args.n_draws,
        "as_of_date": args.as_of_date,
    }


def params_from_args(args: argparse.Namespace) -> ReportParams:
    given = overrides(args) | {"region": args.region, "target_year": args.target_year}
    # Paths given here are relative to the current folder (a params file's to its own).
    given |= {
        name: str(path.resolve()) if path is not None else None
        for name, path in (("innovations", args.innovations), ("spd", args.spd),
                           ("history", args.history))
    }
    if args.params is not None:
        return load_params(args.params, **given)
    if args.region is None or args.target_year is None:
        raise UsageError("give --region and --target-year, or --params FILE.yaml")
    return ReportParams.from_mapping({k: v for k, v in given.items() if v is not None})


def run(args: argparse.Namespace) -> int:
    # papermill and nbconvert load only when a report is made, not for every subcommand
    from ..report.runner import run_report

    params = params_from_args(args)
    result = run_report(params, args.output_dir, timeout=args.timeout, force=args.force)
    print(f"{printable(result.html)} ({result.seconds:.1f} s)")
    return 0
