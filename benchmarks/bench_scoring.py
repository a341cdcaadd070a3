"""Scoring at national scale, as a ratio to a bare numpy weighted sum over the same levels.

546 regions x 60 innovations x 20 indicators (SYNTHETIC levels). The baseline is the least any
scorer must do: one weighted sum of the levels. Target: at most 5x. Timings are the best of
several repeats, measured in this one run; the ratio is what is reported, never asserted in tests.

Usage: python benchmarks/bench_scoring.py [--repeats N]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import score_region, score_regions_batch
from iid_analysis.synthetic import national_levels

TARGET_RATIO = 5.0


def best_time(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()

    methodology = load_methodology(2023)
    levels, region_codes, spd_totals = national_levels()
    rejected = np.zeros(len(levels), dtype=bool)
    weights = methodology.points_table("INOVASI")[:, 1]

    def baseline():
        return levels @ weights

    def engine():
        return score_regions_batch(levels, region_codes, spd_totals, methodology, rejected)

    baseline(), engine()  # warm-up
    t_base = best_time(baseline, args.repeats)
    t_engine = best_time(engine, args.repeats)
    ratio = t_engine / t_base
    print(f"levels: {levels.shape[0]} innovations x {levels.shape[1]} indicators, 546 regions")
    print(f"numpy weighted sum : {t_base * 1e3:8.3f} ms")
    print(f"score_regions_batch: {t_engine * 1e3:8.3f} ms")
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"ratio {ratio:.2f}x ({verdict} the target of at most {TARGET_RATIO:.0f}x)")

    # For information: the validated DataFrame path (score_region), one region at a time.
    frames = [
        (
            pd.DataFrame({"indicator": list(methodology.spd_numbers), "level": 3}),
            _wide(levels[region_codes == r], methodology),
        )
        for r in range(len(spd_totals))
    ]
    t_frames = best_time(lambda: [score_region(s, i, methodology) for s, i in frames], 1)
    print(
        f"score_region on DataFrames, region by region: {t_frames:.2f} s "
        f"({t_frames / t_base:.0f}x; validation of every cell included)"
    )


def _wide(levels: np.ndarray, methodology) -> pd.DataFrame:
    frame = pd.DataFrame(levels, columns=list(methodology.innovation_numbers))
    frame.insert(0, "innovation_id", [f"X{i}" for i in range(len(frame))])
    return frame


if __name__ == "__main__":
    main()
