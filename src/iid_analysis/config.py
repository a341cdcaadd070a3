"""Every path the package uses, in one place."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
METHODOLOGY_DIR = PACKAGE_DIR / "data" / "methodology"

# The project checkout (src layout: src/iid_analysis/config.py -> two levels up).
# IID_ANALYSIS_HOME overrides it, e.g. for an installed package run from elsewhere.
PROJ_ROOT = Path(os.environ.get("IID_ANALYSIS_HOME", PACKAGE_DIR.parents[1])).resolve()
DATA_DIR = PROJ_ROOT / "data"
RAW_DATA_DIR = DATA_DIR / "raw"
PROCESSED_DATA_DIR = DATA_DIR / "processed"
REPORTS_DIR = PROJ_ROOT / "reports"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"

PUBLISHED_SCORES_FILE = RAW_DATA_DIR / "iid_published_scores.csv"
INNOVATION_COUNTS_FILE = RAW_DATA_DIR / "innovation_counts.csv"
NATIONAL_SUMMARY_FILE = RAW_DATA_DIR / "national_summary.csv"

EXAMPLE_REGION = "Kota Mojokerto"
EXAMPLE_YEAR = 2023
EXAMPLE_SPD_FILE = RAW_DATA_DIR / "kota_mojokerto_2023_spd_SYNTHETIC.csv"
EXAMPLE_INNOVATIONS_FILE = RAW_DATA_DIR / "kota_mojokerto_2023_innovations_SYNTHETIC.csv"
