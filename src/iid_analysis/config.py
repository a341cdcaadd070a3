"""Every path the package uses, in one place.

The project home (``data/``, ``notebooks/``, ``reports/``, ``params/``) is, in this order:

1. ``IID_ANALYSIS_HOME`` when set;
2. the checkout, when the package runs from one (src layout: ``pyproject.toml`` two levels
   above the package);
3. the current working directory (an installed package, e.g. in a folder made by
   ``iid-analysis init DIR``).

Outputs always go under the home. Files that are only read (the published figures, the
SYNTHETIC example and its datasheet, the notebooks, the example params) are taken from the home
when it has them, else from the shipped copy: the checkout's file, or in an installed wheel the
copy that the build put in ``iid_analysis/bundled/`` (see ``setup.py``).

Standard library only: ``setup.py`` runs this file on its own at build time.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

HOME_ENV = "IID_ANALYSIS_HOME"

PACKAGE_DIR = Path(__file__).resolve().parent
METHODOLOGY_DIR = PACKAGE_DIR / "data" / "methodology"
# Rules the project adds to the research (its own sources and provenance), beside the verbatim copy.
ADDED_RULES_FILE = PACKAGE_DIR / "data" / "rules_added.csv"
# The rules' sources in Indonesian (the research writes them in English), by year, rule, source.
RULE_SOURCES_FILE = PACKAGE_DIR / "data" / "rule_sources.csv"

BUNDLED_DIRNAME = "bundled"
BUNDLED_DIR = PACKAGE_DIR / BUNDLED_DIRNAME
"""Copies of :data:`PROJECT_FILES` inside an installed wheel (absent in a checkout)."""

PROJECT_FILES: tuple[str, ...] = (
    "data/raw/README.md",
    "data/raw/SOURCES.md",
    "data/raw/iid_published_scores.csv",
    "data/raw/innovation_counts.csv",
    "data/raw/national_summary.csv",
    "data/raw/kota_mojokerto_2023_spd_SYNTHETIC.csv",
    "data/raw/kota_mojokerto_2023_innovations_SYNTHETIC.csv",
    "data/raw/kota_mojokerto_2023.datasheet.yaml",
    "notebooks/iid_target_feasibility.ipynb",
    "notebooks/iid_target_feasibility.py",
    "notebooks/scoring_explorer.ipynb",
    "notebooks/scoring_explorer.py",
    "notebooks/forecast_backtest.ipynb",
    "notebooks/forecast_backtest.py",
    "notebooks/scenario_lab.ipynb",
    "notebooks/scenario_lab.py",
    "params/kota-mojokerto_2024.yaml",
    "params/kota-mojokerto_2024_en.yaml",
    "params/kota-mojokerto_2025.yaml",
    "params/kota-mojokerto_2026.yaml",
    "params/kota-mojokerto_2027.yaml",
)
"""The repository files an installed package ships (one copy each in the repository; the wheel
build copies them) and ``iid-analysis init`` writes into a new project folder: each notebook with
its jupytext pair (``.py``), and a params file for every assessment year with rules."""

PROJECT_DIRS: tuple[str, ...] = ("data/raw", "data/processed", "notebooks", "reports", "params")


def find_checkout(package_dir: Path = PACKAGE_DIR) -> Path | None:
    """The checkout the package runs from (src layout), or None for an installed package."""
    root = package_dir.parents[1]
    if package_dir.parent.name == "src" and (root / "pyproject.toml").is_file():
        return root
    return None


CHECKOUT_DIR = find_checkout()

if os.environ.get(HOME_ENV):
    PROJ_ROOT = Path(os.environ[HOME_ENV]).expanduser().resolve()
elif CHECKOUT_DIR is not None:
    PROJ_ROOT = CHECKOUT_DIR
else:
    PROJ_ROOT = Path.cwd().resolve()
    # The report's kernel runs in a scratch folder and batch workers may start elsewhere: they
    # inherit the environment, so they resolve the same home as this process.
    os.environ[HOME_ENV] = str(PROJ_ROOT)


def shipped_file(relative: str) -> Path:
    """The original of a :data:`PROJECT_FILES` entry: the wheel's bundled copy, else the
    checkout's file (the returned path may not exist in an incomplete install)."""
    bundled = BUNDLED_DIR / relative
    if bundled.is_file() or CHECKOUT_DIR is None:
        return bundled
    return CHECKOUT_DIR / relative


def project_file(relative: str, home: Path | None = None) -> Path:
    """A file to read: ``home/relative`` when it exists (default home: :data:`PROJ_ROOT`),
    else the shipped copy when that exists, else ``home/relative`` (so errors name the home)."""
    at_home = (PROJ_ROOT if home is None else home) / relative
    if at_home.is_file():
        return at_home
    shipped = shipped_file(relative)
    return shipped if shipped.is_file() else at_home


DATA_DIR = PROJ_ROOT / "data"
RAW_DATA_DIR = DATA_DIR / "raw"
PROCESSED_DATA_DIR = DATA_DIR / "processed"
REPORTS_DIR = PROJ_ROOT / "reports"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
PARAMS_DIR = PROJ_ROOT / "params"

PUBLISHED_SCORES_FILE = project_file("data/raw/iid_published_scores.csv")
INNOVATION_COUNTS_FILE = project_file("data/raw/innovation_counts.csv")
NATIONAL_SUMMARY_FILE = project_file("data/raw/national_summary.csv")
REPORT_NOTEBOOK = project_file("notebooks/iid_target_feasibility.ipynb")

EXAMPLE_REGION = "Kota Mojokerto"


def region_key(name: str) -> str:
    """A region name compared with case, spaces and punctuation aside (accents folded): the
    one rule by which every command matches a region name to its published spelling."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "", ascii_name.lower())


EXAMPLE_YEAR = 2023
EXAMPLE_SPD_FILE = project_file("data/raw/kota_mojokerto_2023_spd_SYNTHETIC.csv")
EXAMPLE_INNOVATIONS_FILE = project_file("data/raw/kota_mojokerto_2023_innovations_SYNTHETIC.csv")
