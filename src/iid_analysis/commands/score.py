"""``iid-analysis score``: a region's IID from its indicator data."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import pandas as pd

from ..atomic import write_csv
from ..config import PROCESSED_DATA_DIR
from ..eligibility import ClaimedEligible, claimed_and_eligible, rule_applies
from ..errors import IIDError
from ..inputs import GRAIN_LEVEL, Region
from ..messages import render
from ..methodology import load_methodology
from ..outputs import check_output_dir, check_output_path, printable
from ..scoring import score_spd
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
    parser.add_argument(
        "--lang",
        choices=("en", "id"),
        default="en",
        help="language of the claimed/eligible check, which a planning office may pass on to "
        "its OPDs (default en)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    targets = output_paths(args)
    check_output_dir(args.output_dir, option="--output-dir")
    for target in targets.values():
        check_output_path(target, indicator_data.inputs(args), option="--output-dir")
    region = indicator_data.load_region(args)
    result = region.score()
    per_innovation = region.innovation_scores()
    write_csv(targets["innovations"], per_innovation)
    written = [targets["innovations"]]
    if region.grain == GRAIN_LEVEL:
        per_indicator = indicator_summary(
            region.spd, per_innovation, region.methodology, region.innovations
        )
        write_csv(targets["indicators"], per_indicator)
        written.append(targets["indicators"])
    eligibility = claimed_and_eligible(region)
    if "eligibility" in targets and eligibility.applies:
        write_csv(targets["eligibility"], eligibility.table)
        written.append(targets["eligibility"])
    indicator_data.say_recognised(region, "score", args)
    if not args.json:
        for path in written:
            print(f"iid-analysis score: wrote {printable(str(path))}", file=sys.stderr)

    if args.json:
        data = result.as_dict()
        data["eligibility"] = eligibility.as_dict()
        data["input"] = input_json(region)
        data["outputs"] = [str(p) for p in written]
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(format_region_score(result))
        print(format_eligibility(eligibility, args.lang))
    return 0


def input_json(region: Region) -> dict:
    """What was read: format, grain, data year, files and hashes, sheets, notes."""
    return {
        "format": region.format,
        "format_label": region.format_label,
        "format_provenance": region.format_provenance,
        "grain": region.grain,
        "data_year": region.assessment_year,
        "sources": [
            {"role": s.role, "path": s.path, "sha256": s.sha256} for s in region.sources
        ],
        "sheets": dict(region.sheets),
        "ignored_columns": list(region.ignored),
        "notes": list(region.notes),
    }


def output_paths(args: argparse.Namespace) -> dict[str, Path]:
    """The per-innovation and per-indicator score files the command writes: named after the
    innovations file and the rules' year, the year written once (a file named for its year,
    ``innovations_2026``, gets no second ``.2026``)."""
    stem = Path(args.innovations).stem
    if not re.search(rf"(?<!\d){args.year}(?!\d)", stem):
        stem = f"{stem}.{args.year}"
    targets = {
        "innovations": args.output_dir / f"{stem}.innovation_scores.csv",
        "indicators": args.output_dir / f"{stem}.indicator_scores.csv",
    }
    if _has_eligibility_rule(args.year):
        # The pre-check: one row per innovation, eligible or not and which conditions fail.
        targets["eligibility"] = args.output_dir / f"{stem}.eligibility.csv"
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
        return "\n".join(render(m, lang) for m in messages)
    rule, headline, counts, *rest = messages
    lines = [render(headline, lang), "  " + render(counts, lang)]
    lines += ["    " + render(m, lang) for m in rest]
    lines.append("  " + render(rule, lang))
    lines.append(f"  source: {result.source}")
    return "\n".join(lines)
