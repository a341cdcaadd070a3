"""``iid-analysis score``: a region's IID from its indicator data."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from ..atomic import write_csv
from ..config import PROCESSED_DATA_DIR
from ..eligibility import ClaimedEligible, claimed_and_eligible, rule_applies
from ..errors import IIDError
from ..inputs.region import Region
from ..messages import render
from ..methodology import load_methodology
from ..outputs import check_output_dir, check_output_path, printable
from ..scoring import score_innovations, score_region, score_spd
from . import _indicator_data as indicator_data

ORDER = 10


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "score",
        help="score indicator data under one year's rules",
        description="Score a region's SPD and innovation indicator data under one year's rules.",
    )
    indicator_data.add_arguments(parser)
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=PROCESSED_DATA_DIR,
        help="where the per-innovation and per-indicator scores go (default: data/processed)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    targets = output_paths(args)
    check_output_dir(args.output_dir, option="--output-dir")
    for target in targets.values():
        check_output_path(target, indicator_data.inputs(args), option="--output-dir")
    methodology, spd, innovations = indicator_data.load(args)
    # Say which sheet of a workbook was read (stderr: stdout stays the result, or one JSON).
    sheets = [
        f.attrs["source"] for f in (spd, innovations) if "[sheet " in f.attrs.get("source", "")
    ]
    if sheets:
        print(f"iid-analysis score: read {printable('; '.join(sheets))}", file=sys.stderr)
    result = score_region(spd, innovations, methodology)
    per_innovation = score_innovations(innovations, methodology)
    per_indicator = indicator_summary(spd, per_innovation, methodology, innovations)

    eligibility = claimed_and_eligible(Region.from_frames(spd, innovations, methodology))

    write_csv(targets["innovations"], per_innovation)
    write_csv(targets["indicators"], per_indicator)
    if "eligibility" in targets and eligibility.applies:
        write_csv(targets["eligibility"], eligibility.table)

    if args.json:
        data = result.as_dict()
        data["eligibility"] = eligibility.as_dict()
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(format_region_score(result))
        print(format_eligibility(eligibility))
    return 0


def output_paths(args: argparse.Namespace) -> dict[str, Path]:
    """The per-innovation and per-indicator score files the command writes."""
    stem = Path(args.innovations).stem
    targets = {
        "innovations": args.output_dir / f"{stem}.{args.year}.innovation_scores.csv",
        "indicators": args.output_dir / f"{stem}.{args.year}.indicator_scores.csv",
    }
    if _has_eligibility_rule(args.year):
        # The pre-check: one row per innovation, eligible or not and which conditions fail.
        targets["eligibility"] = args.output_dir / f"{stem}.{args.year}.eligibility.csv"
    return targets


def _has_eligibility_rule(year: int) -> bool:
    try:
        return rule_applies(load_methodology(year))
    except IIDError:  # an unknown year is refused when the data is loaded
        return False


def indicator_summary(
    spd: pd.DataFrame, per_innovation: pd.DataFrame, methodology, innovations: pd.DataFrame
) -> pd.DataFrame:
    """Per indicator: aspect, points (SPD) or mean points over innovations, and the maximum.

    Columns: indicator, aspect, name_en, points, max_points, share_of_max, provenance (the
    weakest of the levels used; for innovations, those of the accepted ones in ``innovations``,
    the validated wide table).
    """
    accepted = innovations[innovations["status"] != "ditolak"]
    spd_points = score_spd(spd, methodology).points
    rows = [
        {
            "indicator": r.indicator,
            "aspect": "SPD",
            "name_en": r.name_en,
            "points": r.points,
            "max_points": r.max_points,
            "provenance": r.provenance,
        }
        for r in spd_points.itertuples()
    ]
    for ind in methodology.innovation_indicators:
        column = per_innovation[f"points_{ind.number}"]
        rows.append(
            {
                "indicator": ind.number,
                "aspect": "INOVASI",
                "name_en": ind.name_en,
                "points": float(column.mean()) if len(column) else 0.0,
                "max_points": ind.max_points,
                "provenance": ind.provenance_used(accepted[ind.number].unique()),
            }
        )
    table = pd.DataFrame(rows)
    table["share_of_max"] = table["points"] / table["max_points"]
    return table


def format_region_score(result) -> str:
    lines = [
        f"IID {result.year}: {result.iid:.2f} ({result.predicate})",
        f"  SPD                {result.spd:10.4f}",
        f"  maturity sum       {result.maturity_sum:10.4f}",
        f"  innovations (n)    {result.n_innovations:10d}",
        f"  divisor            {result.divisor:10d}",
        f"  mean maturity      {result.mean_maturity:10.4f}",
        f"  count score        {result.count_score:10.4f}",
        f"  SID                {result.sid:10.4f}",
        f"  total              {result.total:10.4f}",
        f"  IID (unrounded)    {result.iid_unrounded:10.4f}",
    ]
    if result.provisional_rules:
        lines.append("  not CONFIRMED: " + ", ".join(result.provisional_rules))
    return "\n".join(lines)


def format_eligibility(result: ClaimedEligible, lang: str = "en") -> str:
    """The claimed-vs-eligible block of the text output: both IIDs, the innovations that fail
    and why, the conditions not checked and the coverage readings that change the count score,
    then the rule and its source."""
    messages = result.messages()
    if not result.applies:
        return render(messages[0], lang)
    rule, headline, counts, *rest = messages
    lines = [render(headline, lang), "  " + render(counts, lang)]
    lines += ["    " + render(m, lang) for m in rest]
    lines.append("  " + render(rule, lang))
    return "\n".join(lines)
