"""The console script's start-up: what it leaves out must not change what it checks."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
from iid_analysis.cli import skip_unused_format_checkers
skip_unused_format_checkers()
import nbformat
notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
nbformat.validate(notebook)
broken = nbformat.v4.new_notebook()
broken["cells"] = [{"cell_type": "code"}]
try:
    nbformat.validate(broken)
except nbformat.ValidationError:
    print("invalid notebook refused")
print("loaded" if sys.modules.get("rfc3987_syntax") else "not loaded")
"""


def test_notebook_validation_works_without_the_iri_format_checker():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert "invalid notebook refused" in out
    assert "not loaded" in out


def test_a_library_import_leaves_the_format_checkers_alone():
    code = "import sys, iid_analysis.cli, iid_analysis.report.runner; " \
           "print('rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is None)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"
