"""``iid-analysis plan --worklist`` on a national-size synthetic region, as a ratio to a bare
``score_region`` of the same region.

The region: 500 innovations in 50 OPDs (levels drawn uniformly 0..3, 5 % rejected, a few OPDs
with one innovation), SPD levels drawn 1..3, 2024 rules; the target is the current IID + 5.
The command runs in-process (reading the files, the exact plan with the default efforts, the
worklist workbook and CSV); the floor is ``score_region`` on the frames already read. One run
each, median of three, reported, never asserted in tests.

Usage: python benchmarks/bench_worklist.py
"""

from __future__ import annotations

import contextlib
import io
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from iid_analysis.cli import main
from iid_analysis.feasibility import cheapest_plan, plan_worklist, write_worklist
from iid_analysis.inputs import load_region
from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import score_region

N_INNOVATIONS = 500
N_OPDS = 50
REPEATS = 3


def national_region(methodology, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A synthetic region: (SPD rows, wide innovations table)."""
    rng = np.random.default_rng(seed)
    numbers = list(methodology.innovation_numbers)
    # Most OPDs own about ten innovations; the last five own one each.
    opds = [f"Dinas Sintetis {k + 1:02d}" for k in range(N_OPDS)]
    owners = opds[-5:] + [opds[k % (N_OPDS - 5)] for k in range(N_INNOVATIONS - 5)]
    innovations = pd.DataFrame(
        {
            "innovation_id": [f"SYN-{i + 1:04d}" for i in range(N_INNOVATIONS)],
            "name": [f"Inovasi sintetis {i + 1}" for i in range(N_INNOVATIONS)],
            "opd": owners,
            "stage": "penerapan",
            "status": np.where(rng.random(N_INNOVATIONS) < 0.05, "ditolak", "diterima"),
        }
    )
    levels = rng.integers(0, 4, size=(N_INNOVATIONS, len(numbers)))
    for j, number in enumerate(numbers):
        innovations[number] = levels[:, j]
    spd = pd.DataFrame(
        {"indicator": list(methodology.spd_numbers),
         "level": rng.integers(1, 4, size=len(methodology.spd_numbers))}
    )  # fmt: skip
    return spd, innovations


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main_benchmark() -> None:
    methodology = load_methodology(2024)
    spd, innovations = national_region(methodology)
    before = score_region(spd, innovations, methodology).iid
    target = round(min(before + 5.0, 99.0), 2)
    floor = statistics.median(
        timed(lambda: score_region(spd, innovations, methodology)) for _ in range(REPEATS)
    )
    with tempfile.TemporaryDirectory() as folder:
        spd_path, innovations_path = Path(folder, "spd.csv"), Path(folder, "innovations.csv")
        spd.to_csv(spd_path, index=False)
        innovations.to_csv(innovations_path, index=False)
        worklist = Path(folder, "out", "worklist.xlsx")
        argv = ["plan", "--year", "2024", "--spd", str(spd_path), "--innovations",
                str(innovations_path), "--target", str(target),
                "--worklist", str(worklist)]  # fmt: skip

        def run() -> None:
            with contextlib.redirect_stdout(io.StringIO()):
                assert main(argv) == 0

        seconds = statistics.median(timed(run) for _ in range(REPEATS))
        rows = len(pd.read_csv(worklist.with_suffix(".csv")))
        size = worklist.stat().st_size
        parts = breakdown(methodology, spd_path, innovations_path, target, Path(folder, "w.xlsx"))
    print(f"region: {N_INNOVATIONS} innovations, {N_OPDS} OPDs; IID {before:.2f} -> {target}")
    print(f"score_region (floor):      {floor * 1000:8.1f} ms")
    print(f"plan --worklist (command): {seconds * 1000:8.1f} ms  ({rows} worklist rows, "
          f"workbook {size / 1e3:.0f} kB)")  # fmt: skip
    print(f"ratio: {seconds / floor:.0f}x")
    print("in-process parts: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in parts.items()))


def breakdown(methodology, spd_path, innovations_path, target, out) -> dict[str, float]:
    """The parts of the command timed in-process: read and validate, plan, worklist, write."""
    start = time.perf_counter()
    region = load_region(methodology, spd_path, innovations_path)
    read = time.perf_counter()
    plan = cheapest_plan(region, target)
    planned = time.perf_counter()
    plan_worklist(region, plan)
    built = time.perf_counter()
    write_worklist(out, region, plan)
    written = time.perf_counter()
    return {"read": read - start, "plan": planned - read, "worklist": built - planned,
            "write xlsx+csv": written - built}  # fmt: skip


if __name__ == "__main__":
    main_benchmark()
