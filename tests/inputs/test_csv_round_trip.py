"""Names a spreadsheet would read as formulas are written with an apostrophe, and read back as
they were: the files the package writes and reads again lose nothing."""

from __future__ import annotations

import csv

from iid_analysis import load_methodology
from iid_analysis.atomic import write_csv
from iid_analysis.inputs.dataset import load_innovations


def test_formula_like_names_survive_a_write_and_a_read(tmp_path, make_innovations):
    rules = load_methodology(2023)
    frame = make_innovations([[1] * 20, [2] * 20])
    frame["name"] = ["=HYPERLINK(\"x\")", "-Aplikasi Lapor"]
    frame["opd"] = ["@Dinas", "+Bappeda"]
    path = write_csv(tmp_path / "innovations.csv", frame)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # What a spreadsheet sees: text, not formulas.
    assert [r["name"] for r in rows] == ["'=HYPERLINK(\"x\")", "'-Aplikasi Lapor"]
    read = load_innovations(path, rules)
    assert list(read["name"]) == ["=HYPERLINK(\"x\")", "-Aplikasi Lapor"]
    assert list(read["opd"]) == ["@Dinas", "+Bappeda"]
