"""Write the SYNTHETIC Kota Mojokerto 2023 example data set into data/raw/ (seeded, repeatable).

Usage: python scripts/make_example_data.py [--seed N]
"""

from __future__ import annotations

import argparse

from iid_analysis.atomic import write_csv
from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE, EXAMPLE_YEAR
from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import score_region
from iid_analysis.synthetic import mojokerto_example


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20231)
    args = parser.parse_args()
    methodology = load_methodology(EXAMPLE_YEAR)
    example = mojokerto_example(methodology, seed=args.seed)
    write_csv(EXAMPLE_SPD_FILE, example.spd)
    write_csv(EXAMPLE_INNOVATIONS_FILE, example.innovations)
    result = score_region(example.spd, example.innovations, methodology)
    print(f"wrote {EXAMPLE_SPD_FILE.name} and {EXAMPLE_INNOVATIONS_FILE.name}: IID {result.iid}")


if __name__ == "__main__":
    main()
