"""Where a report's numbers come from: data file hashes, rules, package versions, git revision,
parameters and run time (fixed by ``SOURCE_DATE_EPOCH`` for byte-identical reruns)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd

from ..config import PROJ_ROOT
from ..errors import UsageError
from ..inputs.region import sha256_file

PACKAGES = (
    "iid-analysis",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "matplotlib",
    "papermill",
    "nbconvert",
)


def display_path(path: str | Path) -> str:
    """``path`` relative to the project root when it lies inside it, else absolute."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(PROJ_ROOT).as_posix()
    except ValueError:
        return resolved.as_posix()


def file_hashes(paths: dict[str, str | Path], known: tuple = ()) -> pd.DataFrame:
    """One row per named data file: role, path (project-relative), sha256 (missing: empty).

    ``known``: :class:`~iid_analysis.inputs.region.SourceFile` hashes taken when the files were
    read;
    a file among them is not read again.
    """
    hashed = {(s.role, str(Path(s.path).resolve())): s.sha256 for s in known}
    rows = []
    for role, path in paths.items():
        exists = Path(path).is_file()
        digest = hashed.get((role, str(Path(path).resolve())))
        if digest is None:
            digest = sha256_file(path) if exists else ""
        rows.append({"role": role, "path": display_path(path), "sha256": digest})
    return pd.DataFrame(rows, columns=["role", "path", "sha256"])


def package_versions(packages: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    """Installed version of each distribution ('not installed' when absent)."""
    versions = {}
    for name in packages:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_revision(root: str | Path = PROJ_ROOT) -> str:
    """The checkout's commit (``+dirty`` when tracked files changed), or 'unknown'."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True, text=True, check=True, timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, check=True, timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{commit}+dirty" if dirty else commit


def run_time(environ: dict[str, str] | None = None) -> dt.datetime:
    """Now in UTC (to the second), or the time ``SOURCE_DATE_EPOCH`` names.

    Raises :class:`UsageError` if ``SOURCE_DATE_EPOCH`` is set but not a whole number.
    """
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            seconds = int(epoch)
        except ValueError:
            raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds, got {epoch!r}") from None
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Provenance:
    """What a report was made from. ``files`` has columns role, path, sha256."""

    files: pd.DataFrame
    methodology_year: int
    not_confirmed: tuple[str, ...]
    versions: dict[str, str]
    git: str
    parameters: dict[str, object]
    run_time: dt.datetime


def collect_provenance(
    paths: dict[str, str | Path],
    methodology,
    parameters: dict[str, object],
    known_hashes: tuple = (),
) -> Provenance:
    """Provenance of a report on the data files ``paths`` (role -> path) under ``methodology``."""
    return Provenance(
        files=file_hashes(paths, known_hashes),
        methodology_year=methodology.year,
        not_confirmed=methodology.not_confirmed,
        versions=package_versions(),
        git=git_revision(),
        parameters=dict(parameters),
        run_time=run_time(),
    )
