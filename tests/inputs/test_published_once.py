"""The published scores: one reader, parsed once per process, each caller with its own copy."""

from __future__ import annotations

import shutil

from iid_analysis.config import PUBLISHED_SCORES_FILE
from iid_analysis.inputs import published


def test_parsed_once_and_copied(tmp_path, monkeypatch):
    path = tmp_path / "scores.csv"
    shutil.copy(PUBLISHED_SCORES_FILE, path)
    calls = []
    real = published._read_csv

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(published, "_read_csv", counting)
    first = published.load_published_scores(path)
    first.loc[0, "iid_score"] = -1.0  # a caller's edit stays its own
    second = published.load_published_scores(path)
    assert len(calls) == 1
    assert second.loc[0, "iid_score"] != -1.0


def test_a_changed_file_is_read_again(tmp_path):
    path = tmp_path / "scores.csv"
    shutil.copy(PUBLISHED_SCORES_FILE, path)
    before = published.load_published_scores(path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    assert len(published.load_published_scores(path)) == len(before) - 1
