"""Arguments and loading shared by the commands that read a region's indicator data."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from ..inputs.dataset import load_innovations, load_spd
from ..inputs.region import Region
from ..inputs.region import load_region as _load_region
from ..methodology import Methodology, load_methodology


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--year, --spd, --innovations and --profiles."""
    parser.add_argument("--year", type=int, required=True, help="assessment year of the rules")
    parser.add_argument("--spd", type=Path, required=True, help="SPD levels (CSV or XLSX)")
    parser.add_argument(
        "--innovations", type=Path, required=True, help="innovation levels (CSV or XLSX)"
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


def load(args: argparse.Namespace) -> tuple[Methodology, pd.DataFrame, pd.DataFrame]:
    """The year's rules (refusing a year that cannot score), the SPD and the innovations."""
    methodology = load_methodology(args.year)
    methodology.require_scoring()
    spd = load_spd(args.spd, methodology)
    innovations = load_innovations(args.innovations, methodology, profiles=args.profiles)
    return methodology, spd, innovations


def load_region(args: argparse.Namespace) -> Region:
    """The validated :class:`Region` of the files named by the arguments, with their hashes."""
    methodology = load_methodology(args.year)
    methodology.require_scoring()
    return _load_region(methodology, args.spd, args.innovations, profiles=args.profiles)
