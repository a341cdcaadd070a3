"""``iid-analysis collect``: merge the filled collection workbooks of a folder.

Exit status: 0 when everything was collected (warnings allowed), 1 when a workbook, a sheet or
some rows were left out (the merged files are written without them), 2 on a usage error or, with
``--strict``, when anything was left out (then only the quality report is written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..collection.collect import collect, folder_entries
from ..collection.opds import read_opd_list
from ..collection.quality import format_summary, output_paths, write_collection
from ..messages import message, render
from ..methodology import load_methodology
from ..outputs import check_output_dir, check_output_path
from ..wording import LANGUAGES

ORDER = 8
EXIT_LEFT_OUT = 1
EXIT_STRICT = 2


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "collect",
        help="merge the filled workbooks of a folder into SPD and innovation files",
        description=(
            "Read every filled collection workbook (.xlsx) in DIR, check and merge them, and "
            "write spd_YEAR.csv, innovations_YEAR.csv (the files score/plan/report read; both "
            "carry the assessment year in a data_year column) and the data-quality report "
            "quality_YEAR.csv and quality_summary_YEAR.csv, in the language of --lang. A row "
            "with an error is left out, the rest of its workbook is collected. Exit status 0: "
            "all collected; 1: something left out; 2: usage error, or --strict and something "
            "left out."
        ),
    )
    parser.add_argument("directory", type=Path, metavar="DIR", help="folder of filled workbooks")
    parser.add_argument(
        "--year", type=int, required=True, help="assessment year (its rules; written as data_year)"
    )
    parser.add_argument("--output-dir", type=Path, required=True, help="where to write")
    parser.add_argument(
        "--opds",
        type=Path,
        help="the OPD list (official name; short forms), to match OPD names and flag unknown "
        "ones (default: the template's own list, when it was made with one)",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="id",
        help="language of the quality report and messages for the OPDs (default id)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="write no merged data (exit 2) when any workbook or row would be left out",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    methodology = load_methodology(args.year)
    methodology.require_scoring()
    opds = read_opd_list(args.opds) if args.opds else None
    entries = folder_entries(args.directory)
    check_output_dir(args.output_dir, option="--output-dir")
    inputs = entries["books"] + entries["others"]
    for path in output_paths(args.output_dir, methodology.year).values():
        check_output_path(path, {"DIR": inputs, "--opds": args.opds}, option="--output-dir")
    collection = collect(args.directory, methodology, opds=opds, lang=args.lang)
    refused = args.strict and collection.left_out
    written = write_collection(collection, args.output_dir, data=not refused)
    print(format_summary(collection))
    for kind, path in written.items():
        kind_word = render(message(f"collection.kind.{kind}"), args.lang)
        print(render(message("collection.summary.wrote", kind=kind_word, path=path), args.lang))
    if refused:
        print(
            "iid-analysis collect: error: "
            + render(message("collection.summary.strict"), args.lang),
            file=sys.stderr,
        )
        return EXIT_STRICT
    return EXIT_LEFT_OUT if collection.left_out else 0
