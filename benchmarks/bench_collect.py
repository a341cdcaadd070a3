"""``collect`` on 50 OPD workbooks (600 innovations in all) vs reading the same rows from one CSV.

The workbooks are made from the template and filled with openpyxl (SYNTHETIC levels, 12
innovations each, evidence links on half the levels). The baseline is ``pandas.read_csv`` of one
CSV holding the same 600 rows and columns: the least any reader must do. Target: at most 10x
(issue 10 §5). Two floors are shown beside it: python-calamine reading the two data sheets of
every workbook and nothing else (values only: the least the package's reader does), and
unzipping and parsing every XML part with ElementTree (a pure-Python reader's least).

Timings are the best of several repeats in this one run, as wall time and as this process's CPU
time (on a shared machine the CPU ratio is the steadier one); the ratios are reported and written
to benchmarks/results/bench_collect.json, never asserted in tests.

Usage: python benchmarks/bench_collect.py [--repeats N] [--opds 50] [--per-opd 12]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import openpyxl
import pandas as pd
from python_calamine import CalamineWorkbook

from iid_analysis.collect import collect
from iid_analysis.methodology import load_methodology
from iid_analysis.template import SHEET_INNOVATIONS, level_choices, write_template

TARGET_RATIO = 10.0
YEAR = 2023
RESULTS = Path(__file__).resolve().parent / "results" / "bench_collect.json"


def best_time(function, repeats: int) -> tuple[float, float]:
    """(best wall time, best CPU time of this process) over ``repeats`` calls, in seconds."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return min(walls), min(cpus)


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
    parser.add_argument("--repeats", type=int, default=5)
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
        timings = {
            "csv": best_time(baseline, max(2 * args.repeats, 10)),
            "collect": best_time(engine, args.repeats),
            "calamine_floor": best_time(calamine_floor, args.repeats),
            "xml_floor": best_time(xml_floor, args.repeats),
        }
    base_wall, base_cpu = timings["csv"]
    print(f"{args.opds} workbooks, {args.opds * args.per_opd} innovations; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
    labels = {
        "csv": "pandas.read_csv of one CSV",
        "collect": f"collect ({args.opds} workbooks)",
        "calamine_floor": "floor: calamine values of 2 sheets",
        "xml_floor": "floor: unzip + ElementTree every part",
    }
    figures: dict[str, object] = {
        "workbooks": args.opds,
        "innovations": args.opds * args.per_opd,
        "load_average": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }
    for key, (wall, cpu) in timings.items():
        print(f"{labels[key]:38}: wall {wall * 1e3:7.1f} ms ({wall / base_wall:5.1f}x), "
              f"CPU {cpu * 1e3:7.1f} ms ({cpu / base_cpu:5.1f}x)")  # fmt: skip
        figures[f"{key}_wall_ms"] = round(wall * 1e3, 2)
        figures[f"{key}_cpu_ms"] = round(cpu * 1e3, 2)
        if key != "csv":
            figures[f"{key}_over_csv_wall"] = round(wall / base_wall, 2)
            figures[f"{key}_over_csv_cpu"] = round(cpu / base_cpu, 2)
    ratio = timings["collect"][0] / base_wall
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"ratio {ratio:.0f}x wall, {timings['collect'][1] / base_cpu:.0f}x CPU ({verdict} the "
          f"target of at most {TARGET_RATIO:.0f}x)")  # fmt: skip
    figures["target_ratio"] = TARGET_RATIO
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
