"""``iid-analysis batch``: many reports, continuing past failures, with a summary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import EXAMPLE_REGION
from ..errors import UsageError
from ..report.params import ReportParams
from .report import add_report_options, overrides

ORDER = 50
EXIT_SOME_FAILED = 1


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "batch",
        help="make many reports (a folder of params files or a list of regions)",
        description="Make one report per YAML params file in --params-dir, or per region in "
        "--regions FILE (one name per line). Continues past a failure; exits 1 if any failed.",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--params-dir", type=Path, help="folder of YAML params files")
    source.add_argument("--regions", type=Path, help="text file, one region name per line")
    parser.add_argument("--target-year", type=int, help="target year (required with --regions)")
    parser.add_argument("--workers", type=int, default=1, help="parallel reports (default: 1)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_report_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..report.batch import jobs_from_params_dir, jobs_from_regions_file, run_batch, summary

    common = overrides(args)
    if args.timeout < 1:  # as report says it, once, not once per job
        raise UsageError(f"the timeout must be at least 1 second, got {args.timeout}")
    # The options given apply to every job: a bad one is one usage error, not N failed jobs.
    ReportParams(region=EXAMPLE_REGION, target_year=args.target_year or 2024,
                 **{k: v for k, v in common.items() if v is not None})  # fmt: skip
    if args.params_dir is not None:
        jobs = jobs_from_params_dir(args.params_dir, **common)
    else:
        if args.target_year is None:
            raise UsageError("--regions needs --target-year")
        jobs = jobs_from_regions_file(args.regions, args.target_year, **common)
    outcomes = run_batch(
        jobs, args.output_dir, workers=args.workers, timeout=args.timeout,
        progress=not args.no_progress, force=args.force,
    )
    print(summary(outcomes), file=sys.stderr if any(not o.ok for o in outcomes) else sys.stdout)
    return EXIT_SOME_FAILED if any(not o.ok for o in outcomes) else 0
