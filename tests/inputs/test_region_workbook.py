"""One region workbook (sheets SPD and Inovasi, in either order) given as both the SPD and the
innovations file: every command reads the sheet named for its role, and scores what the two
CSV files give."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from iid_analysis.cli import main
from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE
from iid_analysis.inputs.dataset import load_innovations, load_spd
from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import score_region


def region_workbook(path, first: str) -> str:
    frames = {
        "SPD": pd.read_csv(EXAMPLE_SPD_FILE, dtype=str, keep_default_na=False),
        "Data Inovasi": pd.read_csv(EXAMPLE_INNOVATIONS_FILE, dtype=str, keep_default_na=False),
    }
    order = [first, *(name for name in frames if name != first)]
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name in order:
        sheet = book.create_sheet(name)
        sheet.append(list(frames[name].columns))
        for row in frames[name].itertuples(index=False):
            sheet.append(list(row))
    book.active = 0
    book.save(path)
    return str(path)


@pytest.mark.parametrize("first", ["SPD", "Data Inovasi"])
def test_score_reads_each_role_from_its_sheet(tmp_path, capsys, first):
    rules = load_methodology(2023)
    expected = score_region(load_spd(EXAMPLE_SPD_FILE, rules),
                            load_innovations(EXAMPLE_INNOVATIONS_FILE, rules), rules)
    workbook = region_workbook(tmp_path / "region.xlsx", first)
    status = main(["score", "--year", "2023", "--spd", workbook, "--innovations", workbook,
                   "--output-dir", str(tmp_path / "out"), "--json"])
    assert status == 0
    result = json.loads(capsys.readouterr().out)
    assert result["iid"] == expected.iid == 84.46


def test_a_named_sheet_still_wins(tmp_path):
    workbook = region_workbook(tmp_path / "region.xlsx", "SPD")
    rules = load_methodology(2023)
    frame = load_spd(workbook, rules, sheet="SPD")
    assert frame.attrs["sheet"] == "SPD"
    innovations = load_innovations(workbook, rules)
    assert innovations.attrs["sheet"] == "Data Inovasi"
