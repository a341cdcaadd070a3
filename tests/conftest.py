"""Shared fixtures: the 2023 rules, the example data paths, builders for indicator DataFrames.

Kept small and generic on purpose: any test module may use them.
"""

from __future__ import annotations

import os
import re
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import settings

from iid_analysis.config import (
    EXAMPLE_INNOVATIONS_FILE,
    EXAMPLE_SPD_FILE,
    METHODOLOGY_DIR,
    PROJ_ROOT,
)
from iid_analysis.methodology import Methodology, load_methodology


def in_ci() -> bool:
    """True when the ``CI`` environment variable is set to anything but empty/0/false/no."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


# A skip hides a test that did not run. Locally that is allowed (and listed loudly at the end);
# in CI it is a failure, unless the test carries @pytest.mark.allow_skip_in_ci("why").
def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def _fail_skip_in_ci(report, allowed: bool) -> None:
    if report.skipped and not hasattr(report, "wasxfail") and in_ci() and not allowed:
        report.outcome = "failed"
        report.longrepr = (
            f"skipped in CI, which counts as a failure: {_skip_reason(report)} "
            "(mark the test allow_skip_in_ci('why') if the skip is right in CI)"
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    _fail_skip_in_ci(report, item.get_closest_marker("allow_skip_in_ci") is not None)
    if call.when == "call" and report.passed and REPORT_SCAN_START in item.stash:
        # A report built by this test or by a fixture it started must be clean.
        problems = unclean_reports(item.config, item.stash[REPORT_SCAN_START])
        if problems:
            report.outcome = "failed"
            report.longrepr = "a report the tests built is not clean:\n" + "\n".join(problems[:10])
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    report = yield
    _fail_skip_in_ci(report, allowed=False)  # a whole module skipped (e.g. no browser)
    return report


# `make check` runs the fast tests only (-m "not slow"); `make test` runs everything. A test
# that runs a notebook, a browser, a build, a whole report context, or takes 8 s or more on the
# shared 2-core machine carries @pytest.mark.slow itself.


# Every report the suite builds is read for what a reader must never see: a Python warning, a
# traceback, kernel output on stderr, or "nan" (an analysis that failed silently).
REPORT_MARK = 'class="iid-section"'
REPORT_PROBLEMS = (
    (re.compile(r"\b[A-Z]\w*Warning\b"), "a Python warning"),
    (re.compile(r"Traceback \(most recent call last\)"), "a traceback"),
    (re.compile(r"application/vnd\.jupyter\.stderr"), "kernel output on stderr"),
    (re.compile(r"(?<![\w.-])nan(?![\w-])", re.IGNORECASE), '"nan"'),
)


def report_problems(page: str) -> list[str]:
    """What is wrong with a report page: each problem with the text around it."""
    visible = re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+", "", page)
    visible = re.sub(r"<style[^>]*>.*?</style>", "", visible, flags=re.S)
    found = []
    for pattern, what in REPORT_PROBLEMS:
        for match in pattern.finditer(visible):
            around = visible[max(0, match.start() - 60): match.end() + 60].replace("\n", " ")
            found.append(f"{what}: ...{around}...")
    return found


def unclean_reports(config, since: float) -> list[str]:
    """The problems of every report written under the test folders since ``since``."""
    factory = getattr(config, "_tmp_path_factory", None)
    if factory is None:
        return []
    problems = []
    for page in factory.getbasetemp().rglob("*.html"):
        if page.stat().st_mtime < since:
            continue
        text = page.read_text(encoding="utf-8", errors="replace")
        if REPORT_MARK in text:
            problems += [f"{page.name}: {p}" for p in report_problems(text)]
    return problems


REPORT_SCAN_START = pytest.StashKey[float]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    item.stash[REPORT_SCAN_START] = time.time() - 1


def pytest_terminal_summary(terminalreporter):
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if not hasattr(r, "wasxfail")]
    if skipped:
        terminalreporter.section("tests that did NOT run", sep="!", red=True, bold=True)
        for report in skipped:
            terminalreporter.write_line(
                f"SKIPPED {report.nodeid}: {_skip_reason(report)}", red=True, bold=True
            )
        terminalreporter.write_line(
            f"{len(skipped)} skipped; in CI (CI=true) a skip fails unless marked "
            "allow_skip_in_ci", red=True,
        )

# Property tests draw the same examples on every run, so a CI run is repeatable; a new seed is a
# deliberate change (HYPOTHESIS_PROFILE=explore draws afresh).
settings.register_profile("repeatable", derandomize=True, deadline=None)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

INNOVATION_NUMBERS_2023 = tuple(str(n) for n in range(16, 36))
"""The per-innovation indicator numbers of the 2023 table, in table order."""

# The 2023 weights typed by hand from the tables (points = weight x level; level 0 scores 0).
# The 2026 table has the same weights. For independent expectations in tests.
SPD_WEIGHTS_2023 = {
    "1": 1, "2a": 1, "2b": 1, "3": 1, "4": 1, "5a": 0.75, "5b": 0.75, "6": 1.5, "7": 1.5,
    "8": 1.5, "9": 1, "10a": 0.75, "10b": 0.75, "11a": 0.75, "11b": 0.75, "12": 2, "13a": 1,
    "13b": 1, "14": 1, "15": 1,
}  # fmt: skip
INNOVATION_WEIGHTS_2023 = {
    "16": 3, "17": 2, "18": 2, "19": 2, "20": 1, "21": 2, "22": 1, "23": 1, "24": 1, "25": 1,
    "26": 1, "27": 1, "28": 2, "29": 1, "30": 2, "31": 3, "32": 2, "33": 3, "34": 2, "35": 4,
}  # fmt: skip


def build_innovations(
    levels: np.ndarray | Sequence[Sequence[int]],
    *,
    status: Sequence[str] | str = "diterima",
    stage: Sequence[str] | str = "penerapan",
    numbers: Sequence[str] = INNOVATION_NUMBERS_2023,
    opd: str = "Dinas Komunikasi dan Informatika",
) -> pd.DataFrame:
    """A wide-form innovations DataFrame from an (innovations x indicators) array of levels.

    ``innovation_id`` is ``INV-001``...; ``status`` and ``stage`` are one value for all rows or
    one per row; ``numbers`` names the indicator columns (the 2023 table's 16..35 by default).
    """
    levels = np.asarray(levels, dtype=int).reshape(-1, len(numbers))
    n = len(levels)
    frame = pd.DataFrame(
        {
            "innovation_id": [f"INV-{i + 1:03d}" for i in range(n)],
            "name": [f"Inovasi {i + 1}" for i in range(n)],
            "opd": [opd] * n,
            "stage": [stage] * n if isinstance(stage, str) else list(stage),
            "status": [status] * n if isinstance(status, str) else list(status),
        }
    )
    for j, number in enumerate(numbers):
        frame[number] = levels[:, j]
    return frame


def build_spd(levels: dict[str, int]) -> pd.DataFrame:
    """SPD rows (``indicator``, ``level``) from {indicator number: level}."""
    return pd.DataFrame({"indicator": list(levels), "level": list(levels.values())})


@pytest.fixture(scope="session")
def methodology_2023() -> Methodology:
    """The 2023 rules as shipped in the package."""
    return load_methodology(2023)


@pytest.fixture(scope="session")
def weights_2023() -> dict[str, dict[str, float]]:
    """The 2023 weights typed by hand: {"spd": {number: weight}, "innovation": {...}}."""
    return {"spd": dict(SPD_WEIGHTS_2023), "innovation": dict(INNOVATION_WEIGHTS_2023)}


@pytest.fixture(scope="session")
def make_innovations() -> Callable[..., pd.DataFrame]:
    """The :func:`build_innovations` builder."""
    return build_innovations


@pytest.fixture(scope="session")
def make_spd() -> Callable[[dict[str, int]], pd.DataFrame]:
    """The :func:`build_spd` builder."""
    return build_spd


@pytest.fixture(scope="session")
def example_spd_path() -> Path:
    """The SYNTHETIC Kota Mojokerto 2023 SPD file in data/raw/."""
    return EXAMPLE_SPD_FILE


@pytest.fixture(scope="session")
def example_innovations_path() -> Path:
    """The SYNTHETIC Kota Mojokerto 2023 innovations file in data/raw/."""
    return EXAMPLE_INNOVATIONS_FILE


@pytest.fixture(scope="session")
def package_methodology_dir() -> Path:
    """The methodology files shipped inside the package."""
    return METHODOLOGY_DIR


@pytest.fixture(scope="session")
def shared_methodology_dir() -> Path:
    """``../shared/methodology`` beside the checkout (the research the package copies)."""
    return PROJ_ROOT.parent / "shared" / "methodology"


def edit_part(path: Path, part: str, edit) -> Path:
    """Rewrite one XML part of a workbook (what openpyxl cannot write, e.g. a saved value)."""
    with zipfile.ZipFile(path) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    contents[part] = edit(contents[part].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
    return path
