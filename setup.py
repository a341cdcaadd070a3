"""Build hook: ship the project's data files inside the wheel, from their one copy in the repo.

``pip install iid-analysis`` (not editable) must run ``iid-analysis report`` in an empty folder,
so the wheel carries the published figures, the SYNTHETIC example with its datasheet, the
notebooks and the example params (``iid_analysis.config.PROJECT_FILES``). They stay where they
are in the repository (data/raw/, notebooks/, params/); ``build_py`` copies them to
``iid_analysis/bundled/`` in the build tree only. Everything else is in pyproject.toml.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _config():
    # config.py by path: importing the package would import pandas, absent in a build env.
    spec = importlib.util.spec_from_file_location(
        "_iid_analysis_config", ROOT / "src" / "iid_analysis" / "config.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildPyWithProjectFiles(build_py):
    """``build_py`` that also copies ``config.PROJECT_FILES`` into ``iid_analysis/bundled/``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's files directly
        config = _config()
        target = Path(self.build_lib) / "iid_analysis" / config.BUNDLED_DIRNAME
        missing = [name for name in config.PROJECT_FILES if not (ROOT / name).is_file()]
        if missing:
            raise SystemExit(f"setup.py: project files missing from the source: {missing}")
        for name in config.PROJECT_FILES:
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / name, destination)


setup(cmdclass={"build_py": BuildPyWithProjectFiles})
