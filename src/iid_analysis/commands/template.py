"""``iid-analysis template``: the data-collection workbook for a region's OPDs."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..collection.opds import read_opd_list
from ..collection.template import DEFAULT_ROWS, MAX_TEMPLATE_ROWS, write_template
from ..errors import UsageError
from ..methodology import load_methodology
from ..outputs import check_output_path, printable

ORDER = 7


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "template",
        help="write the Excel workbook OPDs fill with their IID data",
        description=(
            "Write the data-collection workbook (Indonesian): instructions, the SPD sheet and "
            "the innovations sheet, with Excel dropdowns holding each indicator's levels in "
            "the words of the year's methodology table."
        ),
    )
    parser.add_argument("--year", type=int, required=True, help="assessment year of the rules")
    parser.add_argument("--region", help="region name shown in the workbook")
    parser.add_argument(
        "--opds",
        type=Path,
        help="OPD list: a text file, one OPD a line with its short forms after semicolons "
        "('Dinas Kesehatan; Dinkes'), or a CSV/XLSX with 'opd' (and 'alias')",
    )
    parser.add_argument(
        "--rows",
        type=int,
        default=DEFAULT_ROWS,
        help=f"innovation rows with dropdowns (default {DEFAULT_ROWS}, at most "
        f"{MAX_TEMPLATE_ROWS:,}: an Excel sheet's rows less the header)",
    )
    parser.add_argument("--output", type=Path, required=True, help="the workbook to write (.xlsx)")
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace --output if it exists (by default an existing file is never replaced: "
        "it may be a workbook an OPD has filled)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    check_output_path(args.output, {"--opds": args.opds}, option="--output")
    if not args.force and (args.output.exists() or args.output.is_symlink()):
        raise UsageError(
            f"--output {printable(args.output)}: exists (a workbook may hold an OPD's entries); "
            "give --force to replace it, or another file name"
        )
    methodology = load_methodology(args.year)
    opd_list = read_opd_list(args.opds) if args.opds else None
    opds = opd_list.names if opd_list else None
    path = write_template(
        args.output,
        methodology,
        region=args.region,
        opds=opds,
        rows=args.rows,
        opd_short_forms=opd_list.short_forms if opd_list else None,
    )
    print(
        f"wrote {path} ({methodology.year} rules, {len(methodology.spd_indicators)} SPD "
        f"indicators, {len(methodology.innovation_indicators)} innovation indicators"
        + (f", {len(opds)} OPDs" if opds else "")
        + ")"
    )
    return 0
