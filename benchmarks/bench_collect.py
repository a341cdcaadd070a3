"""``collect`` on 50 OPD workbooks (600 innovations in all) vs reading the same rows from one CSV.

The workbooks are made from the template and filled with openpyxl (SYNTHETIC levels, 12
innovations each, evidence links on half the levels). The baseline is ``pandas.read_csv`` of one
CSV holding the same 600 rows and columns: the least any reader must do. Target: at most 10x
(issue 10 §5). Shown beside it: the package's reader alone (``dataset.FastWorkbook``: file and
zip checks, the two data sheets' values and every cell check, none of collect's row checks,
merging or validation), python-calamine reading the two data sheets and nothing else (values
only: the least that reader does), and unzipping and parsing every XML part with ElementTree (a
pure-Python reader's least).

The machine is shared, so each round times the CSV baseline (best of 3) right before each of the
others, and a ratio is taken within the round; the median over the rounds is the figure, with the
lowest and highest beside it. The figures are written to benchmarks/results/bench_collect.json;
never asserted in tests.

Usage: python benchmarks/bench_collect.py [--repeats N] [--opds 50] [--per-opd 12]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import openpyxl
import pandas as pd
from python_calamine import CalamineWorkbook

from iid_analysis.collection.collect import collect
from iid_analysis.collection.template import SHEET_INNOVATIONS, level_choices, write_template
from iid_analysis.inputs.dataset import FastWorkbook
from iid_analysis.methodology import load_methodology

TARGET_RATIO = 10.0
YEAR = 2023
RESULTS = Path(__file__).resolve().parent / "results" / "bench_collect.json"


def seconds(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def paired_rounds(baseline, engines: dict, rounds: int) -> dict[str, list[tuple[float, float]]]:
    """{name: [(seconds, seconds / the baseline's best of 3 in that round)] per round}."""
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in engines}
    for _ in range(rounds):
        for name, engine in engines.items():
            base = min(seconds(baseline) for _ in range(3))
            took = seconds(engine)
            results[name].append((took, took / base))
    results["csv"] = [(base, 1.0)]
    return results


def make_workbooks(folder: Path, n_opds: int, per_opd: int, seed: int = 0) -> pd.DataFrame:
    """Fill ``n_opds`` workbooks; return the same rows as one table (the CSV baseline)."""
    methodology = load_methodology(YEAR)
    numbers = methodology.innovation_numbers
    choices = {n: level_choices(methodology, n) for n in numbers}
    template = folder / "template.xlsx"
    write_template(template, methodology, rows=per_opd + 5)
    rng = np.random.default_rng(seed)
    rows = []
    inputs = folder / "in"
    inputs.mkdir()
    for k in range(n_opds):
        book = openpyxl.load_workbook(template)
        sheet = book[SHEET_INNOVATIONS]
        opd = f"Dinas {k:02d}"
        for j in range(per_opd):
            levels = rng.integers(0, 4, len(numbers))
            record = [f"OPD{k:02d}-{j:02d}", f"Inovasi {k}-{j}", opd, "penerapan", "diterima",
                      "kesehatan", "digital"]  # fmt: skip
            for number, level in zip(numbers, levels, strict=True):
                link = f"https://bukti.example/{k}/{j}/{number}" if level and j % 2 else None
                record += [choices[number][int(level)] if level else None, link]
            for column, value in enumerate(record, start=1):
                if value is not None:
                    sheet.cell(2 + j, column, value)
            rows.append(record)
        book.save(inputs / f"opd_{k:02d}.xlsx")
    header = [c.value for c in book[SHEET_INNOVATIONS][1]]
    return pd.DataFrame(rows, columns=header)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="rounds")
    parser.add_argument("--opds", type=int, default=50)
    parser.add_argument("--per-opd", type=int, default=12)
    args = parser.parse_args()

    methodology = load_methodology(YEAR)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        table = make_workbooks(folder, args.opds, args.per_opd)
        csv_path = folder / "all.csv"
        table.to_csv(csv_path, index=False)

        def baseline():
            return pd.read_csv(csv_path, dtype=str, keep_default_na=False)

        def engine():
            return collect(folder / "in", methodology)

        books = sorted((folder / "in").glob("*.xlsx"))

        def xml_floor():
            # A pure-Python reader's least: unzip and parse each XML part.
            for book in books:
                with zipfile.ZipFile(book) as archive:
                    for name in archive.namelist():
                        if name.endswith(".xml"):
                            ElementTree.fromstring(archive.read(name))

        def checked_read():
            # The package's reader alone: file and zip checks, values, every cell check.
            for book in books:
                workbook = FastWorkbook(book)
                for sheet in workbook.worksheets:
                    if sheet.title in ("SPD", SHEET_INNOVATIONS):
                        sheet.rows(sheet.title)
                workbook.keywords  # noqa: B018 - read as collect reads it
                workbook.close()

        def calamine_floor():
            # The package reader's least: calamine's values of the two data sheets, no checks.
            for book in books:
                workbook = CalamineWorkbook.from_path(str(book))
                for title in ("SPD", SHEET_INNOVATIONS):
                    workbook.get_sheet_by_name(title).to_python()
                workbook.close()

        result = engine()
        assert len(result.innovations) == args.opds * args.per_opd, result.findings
        baseline()
        rounds = paired_rounds(
            baseline,
            {
                "collect": engine,
                "checked_read": checked_read,
                "calamine_floor": calamine_floor,
                "xml_floor": xml_floor,
            },
            args.repeats,
        )
    print(f"{args.opds} workbooks, {args.opds * args.per_opd} innovations, {args.repeats} rounds; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
    labels = {
        "collect": f"collect ({args.opds} workbooks)",
        "checked_read": "reader only: checks + values, 2 sheets",
        "calamine_floor": "floor: calamine values of 2 sheets",
        "xml_floor": "floor: unzip + ElementTree every part",
    }
    figures: dict[str, object] = {
        "workbooks": args.opds,
        "innovations": args.opds * args.per_opd,
        "rounds": args.repeats,
        "load_average": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "csv_ms_last_round": round(rounds["csv"][0][0] * 1e3, 2),
    }
    print(f"{'pandas.read_csv of one CSV':38}: {rounds['csv'][0][0] * 1e3:7.1f} ms (last round)")
    for key, label in labels.items():
        took = sorted(t for t, _ in rounds[key])
        ratios = sorted(r for _, r in rounds[key])
        median = statistics.median(ratios)
        print(f"{label:38}: {statistics.median(took) * 1e3:7.1f} ms, ratio {median:5.1f}x "
              f"(rounds {ratios[0]:.1f}-{ratios[-1]:.1f}x)")  # fmt: skip
        figures[f"{key}_ms_median"] = round(statistics.median(took) * 1e3, 2)
        figures[f"{key}_over_csv_median"] = round(median, 2)
        figures[f"{key}_over_csv_range"] = [round(ratios[0], 2), round(ratios[-1], 2)]
    ratio = figures["collect_over_csv_median"]
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"ratio {ratio:.0f}x ({verdict} the target of at most {TARGET_RATIO:.0f}x)")
    figures["target_ratio"] = TARGET_RATIO
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
