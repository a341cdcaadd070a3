"""``iid-analysis import``: an innovation list exported by the IID application (or a regional
copy) into our maturity-grain innovations file, and its score at that grain."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..feasibility.maturity_grain import MaturityGrainScore, score_maturities
from ..feasibility.urusan import UrusanLever, urusan_lever
from ..inputs import describe_region, read_region
from ..inputs.importers import write_maturity_file
from ..inputs.read import import_result
from ..methodology import load_methodology
from ..outputs import check_output_path, printable
from ._indicator_data import check_data_year

ORDER = 15


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import",
        aliases=["importfile"],
        help="read an exported innovation list (maturity grain) and score it",
        description=(
            "Recognise an innovation list exported by the IID application or a regional copy "
            "(Judul Inovasi ... Kematangan; Nama Inovasi ... Skor SID Terverifikasi), or a region "
            "workbook with SPD and innovation sheets; print the format recognised and the columns "
            "ignored, optionally write our maturity-grain innovations file, and print the score "
            "at maturity grain (coarser than indicator levels)."
        ),
    )
    parser.add_argument("file", type=Path, help="the export (CSV or XLSX) or region workbook")
    parser.add_argument("--year", type=int, required=True, help="assessment year of the rules")
    parser.add_argument(
        "--data-year",
        type=int,
        help="assessment year the innovation list belongs to (default: the rules' year)",
    )
    parser.add_argument("--sheet", help="sheet of a workbook to read (default: found by name)")
    parser.add_argument("--output", type=Path, help="write the maturity-grain innovations CSV")
    basis = parser.add_mutually_exclusive_group()
    basis.add_argument("--spd", type=Path, help="SPD levels (CSV or XLSX) of the same year")
    basis.add_argument(
        "--published-iid",
        type=float,
        help="the region's published IID for these innovations: the SPD is inferred from it",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.output is not None:
        check_output_path(args.output, {"FILE": args.file, "--spd": args.spd}, option="--output")
    methodology = load_methodology(args.year)
    methodology.require_scoring()
    check_data_year(args.data_year)
    region = read_region(
        innovations=args.file,
        spd=args.spd,
        methodology=methodology,
        data_year=args.data_year,
        sheet=args.sheet,
    )
    result = import_result(region)
    spd = region.spd if region.spd_known and args.published_iid is None else None
    written = write_maturity_file(result, args.output) if args.output is not None else None
    score = score_maturities(
        result.innovations, methodology, spd=spd, published_iid=args.published_iid,
        source=printable(args.file),
    )
    lever = urusan_lever(result.innovations, score, methodology)
    if args.json:
        print(
            json.dumps(
                {
                    "format": result.format_name,
                    "format_label": result.format_label,
                    "format_provenance": result.provenance,
                    "grain": region.grain,
                    "data_year": region.assessment_year,
                    "ignored_columns": list(result.ignored),
                    "notes": list(result.notes),
                    "sheets_read": dict(region.sheets),
                    "sources": [
                        {"role": s.role, "path": s.path, "sha256": s.sha256}
                        for s in region.sources
                    ],
                    "output": str(written) if written else None,
                    "score": score.as_dict(),
                    "urusan": _lever_dict(lever),
                },
                ensure_ascii=False,
            )
        )
    else:
        for line in describe_region(region).splitlines():
            print(printable(line))
        if written:
            print(f"  written: {printable(str(written))}")
        print(format_maturity_score(score, lever))
    return 0


def _lever_dict(lever: UrusanLever) -> dict:
    from dataclasses import asdict

    data = asdict(lever)
    data["covered"], data["missing"] = list(lever.covered), list(lever.missing)
    return data


def format_maturity_score(score: MaturityGrainScore, lever: UrusanLever) -> str:
    """The score at maturity grain as lines for the terminal."""
    head = (
        f"IID {score.year}: {score.iid:.2f} ({score.predicate}) at maturity grain"
        if score.iid is not None
        else f"IID {score.year}: not computed (SPD unknown) at maturity grain"
    )
    spd = f"{score.spd:10.4f}  ({score.spd_basis})" if score.spd is not None else "   unknown"
    lines = [
        head,
        f"  SPD                {spd}",
        f"  maturity sum       {score.maturity_sum:10.4f}",
        f"  innovations (n)    {score.n_innovations:10d}",
        f"  divisor            {score.divisor:10d}",
        f"  mean maturity      {score.mean_maturity:10.4f}",
        f"  count score        {score.count_score:10.4f}",
        f"  SID                {score.sid:10.4f}",
    ]
    if lever.applies:
        if not lever.checked:
            lines.append(
                f"  basic urusan: not checked (no urusan column); {lever.minimum} of 6 needed "
                f"from {score.year} or the count score ({lever.count_score_at_stake:.2f}) is 0"
            )
        else:
            lines.append(
                f"  basic urusan covered: {len(lever.covered)} of 6 (need {lever.minimum})"
                + (f"; missing: {', '.join(lever.missing)}" if lever.missing else "")
            )
            if lever.needed:
                lines.append(
                    f"  covering {lever.needed} more would add {lever.iid_value:.2f} IID points"
                )
            elif lever.one_away:
                lines.append(
                    f"  one urusan away from losing the count score ({lever.iid_at_risk:.2f} IID)"
                )
    lines.extend(f"  note: {n}" for n in score.notes)
    if score.provisional_rules:
        lines.append("  not CONFIRMED: " + ", ".join(score.provisional_rules))
    return "\n".join(lines)
