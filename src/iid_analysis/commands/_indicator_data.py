"""Arguments and loading shared by the commands that read a region's indicator data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UsageError
from ..inputs import GRAIN_MATURITY, Region, describe_region, read_region
from ..methodology import load_methodology
from ..outputs import printable

MIN_DATA_YEAR, MAX_DATA_YEAR = 2000, 2100
"""The assessment years a --data-year may name (the IID began in 2018)."""


def check_data_year(data_year: int | None, option: str = "--data-year") -> None:
    """Refuse a year option outside MIN_DATA_YEAR..MAX_DATA_YEAR (one line naming it)."""
    if data_year is not None and not MIN_DATA_YEAR <= data_year <= MAX_DATA_YEAR:
        bounds = f"{MIN_DATA_YEAR}..{MAX_DATA_YEAR}"
        raise UsageError(f"{option} must lie in {bounds}, got {data_year}")


def add_arguments(parser: argparse.ArgumentParser, *, spd_required: bool = True) -> None:
    """--year, --data-year, --spd, --innovations and --profiles."""
    parser.add_argument("--year", type=int, required=True, help="assessment year of the rules")
    parser.add_argument(
        "--data-year",
        type=int,
        help="assessment year the indicator data belongs to (default: the rules' year)",
    )
    parser.add_argument(
        "--spd",
        type=Path,
        required=spd_required,
        help="SPD levels (CSV or XLSX; a region workbook's SPD sheet is found by name)",
    )
    parser.add_argument(
        "--innovations",
        type=Path,
        required=True,
        help="innovations: our level file (wide or long), a region workbook, the IID "
        "application's innovation list or SIMONDA's export (CSV or XLSX)",
    )
    parser.add_argument(
        "--profiles", type=Path, help="innovation profiles, when --innovations is in long form"
    )


def inputs(args: argparse.Namespace) -> dict[str, Path | None]:
    """The files the command reads, by option (for :func:`outputs.check_output_path`)."""
    return {
        "--spd": args.spd,
        "--innovations": args.innovations,
        "--profiles": args.profiles,
        "--costs": getattr(args, "costs", None),
    }


def load_region(args: argparse.Namespace) -> Region:
    """The validated :class:`Region` of the files named by the arguments (each read once, the
    bytes parsed hashed), its format and grain recognised."""
    check_data_year(getattr(args, "data_year", None))
    return read_region(
        innovations=args.innovations,
        spd=args.spd,
        methodology=load_methodology(args.year),
        data_year=getattr(args, "data_year", None),
        profiles=args.profiles,
    )


def say_recognised(region: Region, command: str, args: argparse.Namespace) -> None:
    """Tell (on stderr: stdout stays the result) which format was recognised; with --json the
    JSON says it and stderr stays quiet."""
    if getattr(args, "json", False):
        return
    for line in describe_region(region).splitlines():
        print(f"iid-analysis {command}: {printable(line.strip())}", file=sys.stderr)


def require_levels(region: Region, command: str) -> None:
    """Refuse, in one line, a region known at maturity grain where indicator levels are needed."""
    if region.grain == GRAIN_MATURITY:
        files = {s.role: s.path for s in region.sources}
        raise UsageError(
            f"{files.get('innovations')}: {region.format_label} gives each innovation's "
            f"kematangan, not its indicator levels; `{command}` needs the levels (use "
            "`iid-analysis import` for the score and levers at maturity grain)"
        )
