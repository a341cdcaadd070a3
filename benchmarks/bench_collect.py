"""``collect`` on 50 OPD workbooks (600 innovations in all) vs reading the same rows from one CSV.

The workbooks are made from the template and filled with openpyxl (SYNTHETIC levels, 12
innovations each, evidence links on half the levels). The baseline is ``pandas.read_csv`` of one
CSV holding the same 600 rows and columns: the least any reader must do. Target: at most 10x
(issue 10 §5). Timings are the best of a few repeats in this one run; the ratio is reported, never
asserted in tests.

Usage: python benchmarks/bench_collect.py [--repeats N] [--opds 50] [--per-opd 12]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import openpyxl
import pandas as pd

from iid_analysis.collect import collect
from iid_analysis.methodology import load_methodology
from iid_analysis.template import SHEET_INNOVATIONS, level_choices, write_template

TARGET_RATIO = 10.0
YEAR = 2023


def best_time(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


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
    parser.add_argument("--repeats", type=int, default=3)
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

        def floor():
            # The least any reader of these files does: unzip and parse each sheet's XML.
            for book in books:
                with zipfile.ZipFile(book) as archive:
                    for name in archive.namelist():
                        if name.endswith(".xml"):
                            ElementTree.fromstring(archive.read(name))

        result = engine()
        assert len(result.innovations) == args.opds * args.per_opd, result.findings
        baseline()
        t_base = best_time(baseline, max(args.repeats, 10))
        t_engine = best_time(engine, args.repeats)
        t_floor = best_time(floor, args.repeats)
    ratio = t_engine / t_base
    print(f"{args.opds} workbooks, {args.opds * args.per_opd} innovations")
    print(f"pandas.read_csv of one CSV : {t_base * 1e3:9.1f} ms")
    print(f"collect (50 workbooks)     : {t_engine * 1e3:9.1f} ms "
          f"({t_engine / args.opds * 1e3:.1f} ms per workbook)")  # fmt: skip
    print(f"unzip + parse every XML part (floor): {t_floor * 1e3:9.1f} ms "
          f"= {t_floor / t_base:.0f}x the CSV")  # fmt: skip
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"ratio {ratio:.0f}x ({verdict} the target of at most {TARGET_RATIO:.0f}x)")


if __name__ == "__main__":
    main()
