"""The plan in the city's terms: programmes, the OPD tables, and the per-OPD worklist files."""

from __future__ import annotations

import dataclasses
import datetime
import io
import json

import numpy as np
import openpyxl
import pandas as pd
import pytest

from iid_analysis.cli import main
from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE
from iid_analysis.feasibility import (
    cheapest_plan,
    opd_more_than_one,
    opd_plan_load,
    plan_programmes,
    plan_worklist,
    read_worklist,
    worklist_workbook_bytes,
    write_worklist,
)
from iid_analysis.feasibility.actions import add_innovation, apply_to_region, raise_level
from iid_analysis.feasibility.calendar import plan_calendar
from iid_analysis.feasibility.programmes import SPD_OWNER, opd_load
from iid_analysis.feasibility.worklist import sheet_names, worklist_actions
from iid_analysis.inputs import Region, load_region
from iid_analysis.messages import render
from iid_analysis.methodology import load_methodology
from iid_analysis.scoring import score_region
from iid_analysis.workbook_writer import Table, table_workbook, workbook_bytes


@pytest.fixture(scope="module")
def methodology():
    return load_methodology(2024)


@pytest.fixture(scope="module")
def region(methodology):
    return load_region(methodology, EXAMPLE_SPD_FILE, EXAMPLE_INNOVATIONS_FILE)


@pytest.fixture(scope="module")
def plan(region):
    result = cheapest_plan(region, 92.0)
    assert result.reached and result.n_new_innovations > 0
    return result


def owner(action):
    return SPD_OWNER["id"] if action.is_spd else action.opd


def key(action):
    return (action.kind, action.innovation_id, action.indicator, action.from_level,
            action.to_level, action.opd, action.levels)  # fmt: skip


def test_every_action_appears_once_under_its_opd(region, plan):
    worklist = plan_worklist(region, plan)
    assert len(worklist) == len(plan.actions)
    assert sorted(worklist["action_no"]) == list(range(1, len(plan.actions) + 1))
    for row in worklist.itertuples(index=False):
        action = plan.actions[row.action_no - 1]
        assert row.opd == owner(action)
        assert row.innovation_id == action.innovation_id
        assert row.effort == action.cost
    assert [key(a) for a in worklist_actions(worklist)] == [
        key(a) for a in (a.__class__(**{**a.__dict__, "cost": 0.0, "iid_gain": 0.0})
                         for a in plan.actions)
    ]  # fmt: skip


def test_evidence_needed_is_the_level_s_own_words(region, plan, methodology):
    worklist = plan_worklist(region, plan)
    raised = worklist[worklist["indicator"] != ""]
    for row in raised.head(50).itertuples(index=False):
        labels = {e.level: e.label for e in methodology.indicator(row.indicator).levels}
        assert row.evidence_needed == labels[row.to_level]


def test_reapplying_the_written_worklist_gives_the_plan_s_iid(region, plan, tmp_path):
    paths = write_worklist(tmp_path / "worklist.xlsx", region, plan)
    assert [p.name for p in paths] == ["worklist.xlsx", "worklist.csv"]
    back = read_worklist(tmp_path / "worklist.csv")
    after = apply_to_region(region, worklist_actions(back))
    assert after.score().iid == plan.iid_after
    # The same by the scoring engine on frames, from the original files.
    spd, innovations = after.spd, after.innovations
    assert score_region(spd, innovations, region.methodology).iid == plan.iid_after
    assert back["effort"].sum() == pytest.approx(plan.total_cost)


def sheet_frame(book, name):
    rows = list(book[name].iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_workbook_opens_and_its_totals_match(region, plan, tmp_path):
    path = tmp_path / "w.xlsx"
    write_worklist(path, region, plan)
    book = openpyxl.load_workbook(path)
    names = book.sheetnames
    assert names[:3] == ["Ringkasan", "Semua aksi", "Periksa dan unggah bukti"]
    assert names[-1] == "Tentang"
    assert all(len(n) <= 31 for n in names) and len({n.lower() for n in names}) == len(names)
    summary = sheet_frame(book, "Ringkasan")
    total = summary.iloc[-1]
    body = summary.iloc[:-1]
    assert total["OPD"] == "Jumlah"
    assert total["Upaya (hari kerja)"] == pytest.approx(plan.total_cost)
    assert body["Upaya (hari kerja)"].sum() == pytest.approx(plan.total_cost)
    assert total["Jumlah aksi"] == len(plan.actions)
    assert total["Inovasi baru"] == plan.n_new_innovations
    gain = plan.score_after.iid_unrounded - plan.score_before.iid_unrounded
    assert total["Kenaikan IID"] == pytest.approx(gain, abs=0.005)
    # One sheet per OPD, holding exactly that OPD's actions.
    per_opd = names[3:-1]
    assert len(per_opd) == len(body)
    everything = sheet_frame(book, "Semua aksi")
    assert len(everything) == len(plan.actions)
    assert book["Semua aksi"].auto_filter.ref
    rows = 0
    for name, (_, row) in zip(per_opd, body.iterrows(), strict=True):
        sheet = sheet_frame(book, name)
        rows += len(sheet)
        assert set(sheet["OPD"]) == {row["OPD"]}
        assert sheet["Upaya (hari kerja)"].sum() == pytest.approx(row["Upaya (hari kerja)"])
    assert rows == len(plan.actions)
    assert everything["Upaya (hari kerja)"].sum() == pytest.approx(plan.total_cost)


def test_workbook_bytes_are_a_workbook(region, plan):
    data = worklist_workbook_bytes(region, plan, lang="en")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames[0] == "Summary" and book.sheetnames[-1] == "About"


def test_formulas_are_neutralised_and_evidence_links_shown(methodology, tmp_path):
    levels = np.ones((3, 20), dtype=int)
    frame = pd.DataFrame(
        {"innovation_id": ["A1", "A2", "A3"], "name": ["=HYPERLINK(\"x\")", "@cmd", "Normal"],
         "opd": ["+Dinas Rumus", "+Dinas Rumus", "Dinas Biasa"], "stage": "penerapan",
         "status": "diterima"}
    )  # fmt: skip
    for j, number in enumerate(methodology.innovation_numbers):
        frame[number] = levels[:, j]
    frame["evidence_link_35"] = ["https://example.org/video-a1", "", ""]
    spd = pd.DataFrame({"indicator": ["1"], "level": [1]})
    region = Region.from_frames(spd, frame, methodology)
    actions = [raise_level("35", 1, 3, "A1", "+Dinas Rumus"),
               raise_level("16", 1, 2, "A2", "+Dinas Rumus"),
               raise_level("1", 1, 2),
               add_innovation("=N1", "@Dinas Baru",
                              dict.fromkeys(methodology.innovation_numbers, 1))]  # fmt: skip
    worklist = plan_worklist(region, actions)
    video = worklist[(worklist["innovation_id"] == "A1") & (worklist["indicator"] == "35")]
    assert video["evidence_present"].iloc[0] == "https://example.org/video-a1"
    paths = write_worklist(tmp_path / "f.xlsx", region, actions)
    text = paths[1].read_text(encoding="utf-8")
    assert ",+Dinas" not in text and ",'+Dinas Rumus" in text
    assert ",=HYPERLINK" not in text and ',"=HYPERLINK' not in text
    assert ",\"'=HYPERLINK" in text and ",'=N1" in text and ",'@cmd" in text
    book = openpyxl.load_workbook(paths[0])
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)
    assert "@Dinas Baru" in book.sheetnames
    back = read_worklist(paths[1])
    assert set(back["opd"]) == {"+Dinas Rumus", "@Dinas Baru", SPD_OWNER["id"]}
    expected = apply_to_region(region, actions).score().iid
    assert apply_to_region(region, worklist_actions(back)).score().iid == expected


def test_evidence_column_is_read(methodology):
    levels = np.zeros((2, 20), dtype=int)
    frame = pd.DataFrame({"innovation_id": ["A1", "A2"], "name": ["a", "b"], "opd": ["D", "D"],
                          "stage": "penerapan", "status": "diterima"})  # fmt: skip
    for j, number in enumerate(methodology.innovation_numbers):
        frame[number] = levels[:, j]
    frame["bukti_16"] = ["SK 12/2024", ""]
    region = Region.from_frames(pd.DataFrame({"indicator": ["1"], "level": [1]}), frame,
                                methodology)  # fmt: skip
    actions = [raise_level("16", 0, 2, "A1", "D"), raise_level("16", 0, 1, "A2", "D")]
    worklist = plan_worklist(region, actions).set_index("innovation_id")
    assert worklist.at["A1", "evidence_present"] == "SK 12/2024"
    assert worklist.at["A2", "evidence_present"] == ""
    assert worklist.at["A1", "evidence_needed"] == methodology.indicator("16").levels[2].label


def test_sheet_names_are_valid_and_unique():
    names = sheet_names(
        ["Dinas Komunikasi dan Informatika Kota Mojokerto", "Dinas Komunikasi dan Informatika "
         "Kota Mojokerto (lama)", "A/B: C?", "ringkasan"], reserved=["Ringkasan"]
    )  # fmt: skip
    assert all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names}) == 4 and "ringkasan" not in {n.lower() for n in names}
    assert not any(c in "".join(names) for c in "[]:*?/\\")


def test_sheet_names_fit_excels_count_of_wide_characters():
    """Excel counts a character beyond U+FFFF (an emoji) as two of its 31: names of such
    characters are cut to fit, and a workbook with them as sheets is written."""
    names = sheet_names(["Dinas \U0001F3E5" * 8, "\U0001F3E5" * 40, "Dinas \U0001F3E5" * 8])
    assert all(len(n.encode("utf-16-le")) // 2 <= 31 for n in names)
    assert len({n.lower() for n in names}) == 3
    data = workbook_bytes(table_workbook([Table(n, [["x"]]) for n in names]))
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == names


def test_programmes_add_up_and_read_as_a_leader_would(region, plan):
    result = plan_programmes(region, plan)
    programmes = result.by_key()
    assert sum(p.effort for p in result) == pytest.approx(plan.total_cost)
    gain = plan.score_after.iid_unrounded - plan.score_before.iid_unrounded
    assert sum(p.iid_gain for p in result) == pytest.approx(gain)
    assert sum(p.n_actions for p in result) == len(plan.actions)
    gains = [p.iid_gain for p in result]
    assert gains == sorted(gains, reverse=True)  # highest gain first
    for p in result:  # the OPDs named are those of the programme's actions
        members = [a for a in plan.actions if _programme_key(a) == p.programme]
        assert p.opds == tuple(sorted({a.opd for a in members if a.opd}))
        assert p.n_opds == len(p.opds) and p.n_actions == len(members)
    video = [a for a in plan.actions if a.indicator == "35" and not a.is_spd]
    if video:
        row = programmes["indicator:35"]
        assert row.n_innovations == len({a.innovation_id for a in video})
        assert row.title_en.startswith(f"A video for {row.n_innovations} innovation")
        assert f"untuk {row.n_innovations} inovasi (indikator 35" in row.title_id
        assert row.title.key == "plan.programme.indicator_other" or row.n_innovations == 1
        assert render(row.title, "id") == row.title_id and render(row.title, "en") == row.title_en
    new = programmes["new_innovations"]
    assert new.n_innovations == plan.n_new_innovations
    assert new.title_id.startswith(f"{plan.n_new_innovations} inovasi baru")
    if region.n + plan.n_new_innovations == 200:
        assert "batas 200 inovasi" in new.title_id and "200-innovation cap" in new.title_en
    assert all("hari kerja" in p.text_id for p in result)
    assert all("person-days" in p.text_en for p in result)
    frame = result.frame()  # the table view: one row per programme, OPDs joined
    assert list(frame["programme"]) == [p.programme for p in result]
    assert list(frame["opds"]) == ["; ".join(p.opds) for p in result]


def _programme_key(action) -> str:
    if action.kind == "add_innovation":
        return "new_innovations"
    return f"{'spd' if action.is_spd else 'indicator'}:{action.indicator}"


def test_spd_and_single_innovation_programmes_read_in_both_languages(region, methodology):
    info = methodology.indicator("6")
    first = region.innovations.iloc[0]
    actions = [raise_level("6", 2, 3),
               raise_level("35", 1, 2, first["innovation_id"], first["opd"])]  # fmt: skip
    programmes = plan_programmes(region, actions).by_key()
    spd = programmes["spd:6"]
    assert spd.title_id.startswith(f"{info.name_id} (indikator 6) dari level 2 ke 3: ")
    assert spd.title_en.startswith(f"{info.name_en} (indicator 6) from level 2 to 3: ")
    # an SPD step belongs to no OPD: the sentence names none
    assert spd.n_opds == 0 and spd.text_en.endswith("IID points")
    assert spd.text_id.startswith(spd.title_id + ": ") and "hari kerja" in spd.text_id
    one = programmes["indicator:35"]
    assert " for 1 innovation (indicator 35, " in one.title_en  # singular
    assert " untuk 1 inovasi (indikator 35, " in one.title_id
    assert one.text_en.endswith(", 1 OPD") and one.text_id.endswith(", 1 OPD")


def test_programmes_are_frozen(region, plan):
    result = plan_programmes(region, plan)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.rows = ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        result[0].effort = 0.0


def test_one_in_each_opd_with_only_one(methodology):
    levels = np.full((5, 20), 2)
    frame = pd.DataFrame({"innovation_id": list("ABCDE"), "name": list("abcde"),
                          "opd": ["X", "X", "Y", "Z", "W"], "stage": "penerapan",
                          "status": ["diterima"] * 4 + ["ditolak"]})  # fmt: skip
    for j, number in enumerate(methodology.innovation_numbers):
        frame[number] = levels[:, j]
    region = Region.from_frames(pd.DataFrame({"indicator": ["1"], "level": [3]}), frame,
                                methodology)  # fmt: skip
    concerned = opd_more_than_one(region)
    # Y and Z own one accepted innovation, W none (its only one is rejected); X owns two.
    assert [r.opd for r in concerned] == ["W", "Y", "Z"]
    assert [r.n_needed for r in concerned] == [2, 1, 1]
    assert [r.n_rejected for r in concerned] == [1, 0, 0] and concerned.met == 0
    profile = dict.fromkeys(methodology.innovation_numbers, 2)
    actions = [add_innovation("N1", "Y", profile), add_innovation("N2", "Z", profile)]
    programmes = plan_programmes(region, actions)
    assert "satu di setiap OPD yang baru memiliki satu inovasi" in programmes[0].title_id
    assert "one in each OPD that has only one" in programmes[0].title_en
    after = {r.opd: r for r in opd_more_than_one(region, actions)}
    assert after["Y"].met_by_plan and after["Z"].met_by_plan and not after["W"].met_by_plan
    assert after["Y"].plan_new_innovations == 1 and after["W"].plan_new_innovations == 0


def test_opd_load_shares(plan):
    result = opd_load(plan)
    assert [r.opd for r in result] == list(opd_plan_load(plan)["opd"])  # the same table
    carrying = result.carrying(0.5)
    assert carrying == result.rows[:len(carrying)]
    assert sum(r.effort_share for r in carrying) >= 0.5 - 1e-12
    assert sum(r.effort_share for r in carrying[:-1]) < 0.5
    with pytest.raises(dataclasses.FrozenInstanceError):
        result[0].effort = 0.0
    load = opd_plan_load(plan)
    assert load["effort"].sum() == pytest.approx(plan.total_cost)
    assert load["effort_share"].sum() == pytest.approx(1.0)
    assert load["cumulative_effort_share"].iloc[-1] == pytest.approx(1.0)
    assert (np.diff(load["effort"]) <= 0).all()
    assert load["n_actions"].sum() == len(plan.actions)


def test_cli_writes_the_worklist(capsys, tmp_path):
    path = tmp_path / "out" / "worklist.xlsx"
    code = main(["plan", "--year", "2024", "--spd", str(EXAMPLE_SPD_FILE), "--innovations",
                 str(EXAMPLE_INNOVATIONS_FILE), "--target", "88", "--json", "--worklist",
                 str(path)])  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and path.exists() and path.with_suffix(".csv").exists()
    back = read_worklist(path.with_suffix(".csv"))
    assert len(back) == len(result["actions"])
    assert back["effort"].sum() == pytest.approx(result["total_cost"])


def test_plan_worklist_file_is_the_report_s_workbook(tmp_path, capsys):
    """``plan --worklist`` and the report's download come from one function: the file equals
    :func:`worklist_workbook_bytes` of the same plan, region name and language."""
    path = tmp_path / "aksi.xlsx"
    argv = ["plan", "--year", "2024", "--spd", str(EXAMPLE_SPD_FILE), "--innovations",
            str(EXAMPLE_INNOVATIONS_FILE), "--target", "88", "--worklist", str(path),
            "--region", "Kota Mojokerto", "--as-of-date", "2026-12-02"]  # fmt: skip
    assert main(argv) == 0
    capsys.readouterr()
    region = load_region(load_methodology(2024), EXAMPLE_SPD_FILE, EXAMPLE_INNOVATIONS_FILE)
    calendar = plan_calendar(datetime.date(2026, 12, 2), 2024)
    plan = cheapest_plan(region, 88.0, calendar=calendar)
    expected = worklist_workbook_bytes(region, plan, "id", region_name="Kota Mojokerto")
    assert path.read_bytes() == expected
    about = dict(openpyxl.load_workbook(path)["Tentang"].iter_rows(values_only=True))
    assert about["Daerah"] == "Kota Mojokerto"
    english = tmp_path / "en.xlsx"
    assert main([*argv[:-4], "--worklist", str(english), "--lang", "en"]) == 0
    about = dict(openpyxl.load_workbook(english)["About"].iter_rows(values_only=True))
    assert about["Region"].startswith("not named (data: kota_mojokerto_2023_spd_SYNTHETIC.csv")


def test_region_option_with_escape_is_refused(tmp_path, capsys):
    argv = ["plan", "--year", "2024", "--spd", str(EXAMPLE_SPD_FILE), "--innovations",
            str(EXAMPLE_INNOVATIONS_FILE), "--target", "88", "--worklist",
            str(tmp_path / "a.xlsx"), "--region", "Kota\x1b]0;x\x07"]  # fmt: skip
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "--region" in lines[0] and "\x1b" not in captured.err
    assert not (tmp_path / "a.xlsx").exists()
