"""The report's library parts without a kernel: parameters, formats, sections, HTML, escaping."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE, PUBLISHED_SCORES_FILE
from iid_analysis.errors import UsageError
from iid_analysis.report import ReportParams, build_context, load_params, slugify
from iid_analysis.report import sections as S
from iid_analysis.report.assumptions import assumptions_log, value_words
from iid_analysis.report.html import normalise_ids, notebook_to_html
from iid_analysis.report.i18n import format_number, format_percent, provenance_word, rule_name
from iid_analysis.report.markup import Html, element, escape, join, link, paragraph, table
from iid_analysis.report.provenance import run_time, sha256_file

HOSTILE = "<script>alert(1)</script>"
QUOTED = "Kota \"O'Brien\" & <b>Sons</b>"


@pytest.fixture(scope="module")
def ctx():
    return build_context(ReportParams(region="Kota Mojokerto", target_year=2024))


@pytest.fixture(scope="module")
def ctx_en():
    return build_context(ReportParams(region="Kota Mojokerto", target_year=2024, lang="en"))


# --- formats and parameters ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (84.46, "id", 2, "84,46"),
        (84.46, "en", 2, "84.46"),
        (1234.5, "id", 1, "1.234,5"),
        (1234.5, "en", 1, "1,234.5"),
        (-0.5, "id", 2, "-0,50"),
        (250, "id", 0, "250"),
    ],
)
def test_format_number(value, lang, decimals, expected):
    assert format_number(value, lang, decimals) == expected


def test_format_percent_and_missing():
    assert format_percent(0.425, "en") == "42%"
    assert format_percent(0.425, "id", 1) == "42,5\u00a0%"
    assert format_number(None, "id") == "\u2013"


def test_unknown_language_is_a_usage_error():
    with pytest.raises(UsageError, match="language"):
        ReportParams(region="Kota Mojokerto", target_year=2024, lang="fr")


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Kota Mojokerto", "kota-mojokerto"),
        ("Kabupaten Pangkajene dan Kepulauan", "kabupaten-pangkajene-dan-kepulauan"),
        (HOSTILE, "script-alert-1-script"),
        ("Kota Bau-Bau  (Sulawesi)", "kota-bau-bau-sulawesi"),
        ("Séléstat", "selestat"),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_stem_adds_language_only_when_not_default():
    base = ReportParams(region="Kota Mojokerto", target_year=2024)
    assert base.stem == "kota-mojokerto_2024"
    assert base.replace(lang="en").stem == "kota-mojokerto_2024_en"


@pytest.mark.parametrize(
    "changes",
    [
        {"target_year": "2024"},
        {"target_year": 1999},
        {"target": 0},
        {"target": 120},
        {"target": True},
        {"seed": -1},
        {"n_draws": 5},
        {"as_of_date": "28/02/2024"},
        {"region": "Kota\nMojokerto"},
        {"region": "   "},
        {"region": "Kota Lain"},  # no indicator data of its own
    ],
)
def test_bad_parameters_are_usage_errors(changes):
    values = {"region": "Kota Mojokerto", "target_year": 2024} | changes
    with pytest.raises(UsageError):
        ReportParams.from_mapping(values)


def test_unknown_and_missing_keys(tmp_path):
    with pytest.raises(UsageError, match="unknown parameter"):
        ReportParams.from_mapping({"region": "Kota Mojokerto", "target_year": 2024, "x": 1})
    with pytest.raises(UsageError, match="missing target_year"):
        ReportParams.from_mapping({"region": "Kota Mojokerto"})


def test_params_file_paths_are_relative_to_the_file(tmp_path):
    folder = tmp_path / "params"
    folder.mkdir()
    (folder / "r.yaml").write_text(
        "region: Kota Mojokerto\ntarget_year: 2024\nas_of_date: 2024-02-28\nspd: ../spd.csv\n",
        encoding="utf-8",
    )
    params = load_params(folder / "r.yaml", lang="en", target=None)
    assert params.spd == str((tmp_path / "spd.csv").resolve())
    assert params.as_of_date == "2024-02-28"  # YAML's date read back as text
    assert params.lang == "en"


def test_params_file_errors(tmp_path):
    (tmp_path / "bad.yaml").write_text("region: [unclosed\n", encoding="utf-8")
    (tmp_path / "list.yaml").write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(UsageError, match="not valid YAML"):
        load_params(tmp_path / "bad.yaml")
    with pytest.raises(UsageError, match="mapping"):
        load_params(tmp_path / "list.yaml")
    with pytest.raises(UsageError, match="cannot read"):
        load_params(tmp_path / "missing.yaml")


def test_shipped_params_files_are_valid():
    folder = Path(__file__).resolve().parents[2] / "params"
    stems = [load_params(p).stem for p in sorted(folder.glob("*.yaml"))]
    assert "kota-mojokerto_2024" in stems
    assert len(stems) == len(set(stems))


def test_run_time_from_source_date_epoch():
    assert run_time({"SOURCE_DATE_EPOCH": "1709078400"}).isoformat() == "2024-02-28T00:00:00+00:00"
    with pytest.raises(UsageError):
        run_time({"SOURCE_DATE_EPOCH": "yesterday"})


# --- content against the published figures and the scoring formula ----------------------------
@pytest.mark.slow
def test_published_series_prefers_the_decree(ctx):
    # data/raw/SOURCES.md: 2022 is 77.73 (ministerial decree) and 70 (news); keep both, use 77.73
    assert ctx.series.values.tolist() == [[2021, 62.3], [2022, 77.73], [2023, 84.46]]
    assert ctx.conflicts[["year", "iid"]].values.tolist() == [[2022, 70.0]]


@pytest.mark.slow
def test_default_target_is_last_published(ctx):
    assert ctx.target == 84.46 and ctx.target_is_default


@pytest.mark.slow
def test_given_target_is_used():
    context = build_context(ReportParams(region="Kota Mojokerto", target_year=2024, target=86.0))
    assert context.target == 86.0 and not context.target_is_default


@pytest.mark.slow
def test_position_components_add_up_to_the_published_iid(ctx):
    parts = S.position_components(ctx).set_index("component")
    # Worked example 2 of the methodology README: 176 innovations -> count score 66.88.
    assert parts.loc["count", "score"] == pytest.approx(176 * 0.38)
    assert parts.loc[["spd", "maturity", "count"], "score"].sum() == pytest.approx(
        parts.loc["total", "score"]
    )
    assert round(parts.loc["total", "score"] / 250 * 100, 2) == 84.46
    assert parts["max"].tolist() == [63, 111, 76, 250]


@pytest.mark.slow
def test_default_target_means_higher_than_last_year(ctx):
    assert ctx.threshold == 84.47  # the next value the ministry can publish above 84.46
    assert ctx.forecast.threshold == ctx.plan.threshold == 84.47


@pytest.mark.slow
def test_verdict_leads_with_the_plan_and_gives_business_as_usual_beside_it(ctx):
    from iid_analysis.wording import describe_probability

    draws = ctx.plan.robust.uncertainty.draws
    p_plan = float((draws["iid"] >= 84.47 - 1e-9).mean())  # the plan's draws reaching it
    p_bau = ctx.forecast.forecast.prob_at_least(84.47)
    facts = S.summary_section(ctx).facts
    assert facts["probability"] == pytest.approx(p_plan, abs=1e-3)
    assert facts["p_business_as_usual"] == pytest.approx(p_bau, abs=1e-3)
    verdict = facts["verdict"]
    assert format_percent(p_plan, "id") in verdict and describe_probability(p_plan, "id") in verdict
    assert format_percent(p_bau, "id") in verdict
    effort = float(ctx.plan.robust.plan.total_cost)
    assert f"{format_number(effort, 'id', 0)} hari kerja" in verdict
    # one number for the target: the old unreconciled plan sentences are gone from the summary
    page = S.summary_section(ctx).to_html()
    assert "Jalur termurah" not in page and "Agar peluang tercapai" not in page


@pytest.mark.slow
def test_levers_are_the_largest_one_step_gains(ctx):
    from iid_analysis.feasibility import level_up_values
    from iid_analysis.inputs import Region

    values = level_up_values(Region.from_frames(*_tables(), ctx.plan.rules))
    wide = values[values["scope"].isin(["spd", "all_innovations"])]
    best = wide["iid_gain"].nlargest(3).tolist()
    assert [lv["iid_gain"] for lv in S.scenarios_section(ctx).facts["top_levers"]] == best
    # SPD indicator 6 at level 2 of weight 1.5: one step is 1.5 points of 250, 0.6 IID points.
    assert best[0] == pytest.approx(1.5 / 250 * 100)


@pytest.mark.slow
def test_plan_reaches_the_threshold(ctx):
    facts = S.scenarios_section(ctx).facts
    assert facts["plan_reached"] and facts["plan_iid_after"] >= 84.47
    assert facts["robust_p_reach"] >= 0.8
    assert facts["robust_planning_target"] >= 84.47


@pytest.mark.slow
def test_scenario_reaching_the_cap_adds_its_count_score(ctx):
    row = ctx.plan.scenarios[0]
    # 24 new innovations asked at the mean maturity (84), but a first-year innovation cannot
    # have replication, past budgets or RKPD, so they come in below today's mean: the count
    # score (24 x 0.38 points of 250) is added and the lower mean takes part of it back.
    assert row.n_new_innovations == 200 - 176
    count_score = 24 * 0.38 / 250 * 100
    assert 0 < row.iid_gain < count_score


@pytest.mark.slow
def test_opd_view_counts_every_innovation(ctx):
    raw = pd.read_csv(EXAMPLE_INNOVATIONS_FILE)
    opds = ctx.plan.opds
    assert sum(r.n_innovations for r in opds) == len(raw)
    assert sum(r.n_rejected for r in opds) == (raw["status"] == "ditolak").sum()
    assert {r.opd for r in opds} == set(raw["opd"])


def _tables():
    from iid_analysis.inputs.dataset import load_innovations, load_spd
    from iid_analysis.methodology import load_methodology

    rules = load_methodology(2024)
    return load_spd(EXAMPLE_SPD_FILE, rules), load_innovations(EXAMPLE_INNOVATIONS_FILE, rules)


class _Tables(HTMLParser):
    """The text of every table cell: a list of tables, each a list of rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_tables(page: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(str(page))
    return parser.tables


@pytest.mark.slow
def test_every_provisional_rule_is_named_in_its_row_of_the_assumptions_log(ctx):
    [log_table] = html_tables(S.assumptions_section(ctx).to_html())
    header, *rows = log_table
    column = header.index("Asumsi")
    cells = [row[column] for row in rows]
    # One row lists the indicators whose points used are not CONFIRMED, exactly those the
    # score names, in table order.
    indicators = [r.split(" ", 1)[1] for r in ctx.score.provisional_rules
                  if r.startswith("indicator ")]
    assert indicators  # the 2023 SPD table is PROVISIONAL: a row to look for
    [points_row] = [c for c in cells if c.startswith("Poin indikator ")]
    listed = points_row.removeprefix("Poin indikator ").split(" (tabel")[0].split(", ")
    assert listed == indicators
    # Every other rule used that is not CONFIRMED has a row of its own.
    for rule in ctx.score.provisional_rules:
        if rule.startswith("indicator ") or rule == "stages_counted":
            continue
        value = ctx.data_methodology.rule(rule).value
        value = {"yes": "ya", "no": "tidak"}.get(str(value), str(value))
        expected = f"Aturan 2023: {rule_name(rule, 'id')} = {value.replace('.', ',')}"
        assert expected in cells, rule
    assert any("tahap inisiatif dan uji coba" in c for c in cells)  # stages_counted
    for rule in ctx.target_methodology.not_confirmed:
        value = ctx.target_methodology.rule(rule).value
        expected = f"Aturan 2024: {rule_name(rule, 'id')} = {value_words(value, 'id')}"
        assert expected in cells, rule


@pytest.mark.slow
def test_assumption_ratings_are_rag(ctx):
    frame = assumptions_log(S.assumption_rows(ctx))
    assert set(frame["quality"]) <= {"red", "amber", "green"}
    assert set(frame["impact"]) <= {"red", "amber", "green"}
    assert frame.loc[frame["key"] == "synthetic_indicator_data", "impact"].item() == "red"


@pytest.mark.slow
def test_numbers_follow_the_language(ctx, ctx_en):
    assert "84,46" in S.summary_section(ctx).to_html()
    assert "84.46" in S.summary_section(ctx_en).to_html()
    assert "84,46" not in S.summary_section(ctx_en).to_html()


@pytest.mark.slow
def test_synthetic_data_is_labelled_where_its_numbers_appear(ctx, ctx_en):
    assert "SINTETIS" in S.header(ctx).to_html()
    assert "SINTETIS" in S.position_section(ctx).to_html()
    assert "SINTETIS" in S.levers_section(ctx).to_html()
    assert "SYNTHETIC" in S.position_section(ctx_en).to_html()


@pytest.mark.slow
def test_sources_sit_next_to_published_figures(ctx):
    page = S.history_section(ctx).to_html()
    published = pd.read_csv(PUBLISHED_SCORES_FILE)
    mojokerto = published[published["region_name"] == "Kota Mojokerto"]
    for url in mojokerto["source_url"]:
        assert f'href="{url}"' in page


@pytest.mark.slow
def test_about_names_data_hashes(ctx):
    facts = S.about_section(ctx).facts
    assert facts["files"]["spd"] == sha256_file(EXAMPLE_SPD_FILE)
    assert facts["parameters"]["region"] == "Kota Mojokerto"


@pytest.mark.slow
def test_a_missing_forecast_says_why_without_numbers(ctx):
    reason = "proyeksi IID (alasan uji)"
    bare = dataclasses.replace(ctx, forecast=None, unavailable={"forecast": reason})
    page = S.projection_section(bare).to_html()
    assert "belum tersedia" in page and reason in page
    assert not re.search(r"\d+,\d\d", page)
    summary = S.summary_section(bare)
    assert reason in summary.facts["verdict"]
    assert summary.facts["p_business_as_usual"] is None


# --- escaping ---------------------------------------------------------------------------------
def test_escape_and_links():
    assert escape(HOSTILE) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert link("javascript:alert(1)", "x") == "x"
    assert link('https://a.example/?q="><script>', "y").startswith(
        '<a href="https://a.example/?q=&#34;&gt;&lt;script&gt;"'
    )
    page = table([HOSTILE], [[QUOTED]])
    assert "<script>" not in page and "<b>" not in page
    assert html.unescape(page).count(QUOTED) == 1


def test_concatenation_format_and_join_escape_by_construction():
    fragment = paragraph("safe")
    assert fragment + HOSTILE == "<p>safe</p>&lt;script&gt;alert(1)&lt;/script&gt;"
    assert Html("<i>{}</i>").format(QUOTED) == (
        "<i>Kota &#34;O&#39;Brien&#34; &amp; &lt;b&gt;Sons&lt;/b&gt;</i>"
    )
    assert join([fragment, HOSTILE], " ") == (
        "<p>safe</p> &lt;script&gt;alert(1)&lt;/script&gt;"
    )
    assert escape(fragment) == fragment and escape(None) == ""
    assert element("td", 84.46) == "<td>84.46</td>"


@pytest.fixture(scope="module")
def hostile_ctx(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    innovations = pd.read_csv(EXAMPLE_INNOVATIONS_FILE, dtype=str)
    innovations.loc[0, "opd"] = HOSTILE
    innovations.loc[1, "opd"] = QUOTED
    innovations.loc[2, "name"] = HOSTILE
    innovations.to_csv(folder / "innovations.csv", index=False)
    scores = pd.read_csv(PUBLISHED_SCORES_FILE, dtype=str, keep_default_na=False)
    rows = scores[scores["region_name"] == "Kota Mojokerto"].copy()
    rows["region_name"] = HOSTILE
    rows.loc[rows.index[0], "quote"] = QUOTED
    pd.concat([scores, rows]).to_csv(folder / "published.csv", index=False)
    params = ReportParams(
        region=HOSTILE, target_year=2024, published_scores=str(folder / "published.csv"),
        spd=str(EXAMPLE_SPD_FILE), innovations=str(folder / "innovations.csv"),
    )
    return build_context(params)


@pytest.mark.slow
def test_hostile_names_are_shown_as_text(hostile_ctx):
    page = "".join(f(hostile_ctx).to_html() for f in S.ALL_SECTIONS)
    assert "<script>" not in page
    assert "<b>Sons</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert hostile_ctx.target == 84.46  # the copied rows were found under the hostile name


# --- HTML conversion --------------------------------------------------------------------------
def _notebook(marker: str, ids=("a", "b", "c")):
    cells = [
        new_markdown_cell("# researcher note"),
        new_code_cell(f"print('{marker}')"),
        new_code_cell("x"),
    ]
    cells[1].outputs = [new_output("display_data", data={"text/html": "<p>shown</p>"})]
    for cell, cell_id in zip(cells, ids, strict=True):
        cell["id"] = cell_id
    return new_notebook(cells=cells)


def test_html_has_no_code_no_markdown_and_no_network():
    page = notebook_to_html(_notebook("SECRET_CODE"), "Title <x>", "id")
    assert "SECRET_CODE" not in page
    assert "researcher note" not in page
    assert "<p>shown</p>" in page
    assert "<script" not in page.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@import" not in page
    assert '<html lang="id">' in page
    assert "<title>Title &lt;x&gt;</title>" in page


def test_html_is_the_same_whatever_the_cell_ids():
    first = notebook_to_html(_notebook("m", ("a", "b", "c")), "T", "en")
    second = notebook_to_html(_notebook("m", ("x1", "y2", "z3")), "T", "en")
    assert first == second


def test_normalise_ids_drops_papermill_timings():
    notebook = _notebook("m")
    notebook.metadata["papermill"] = {"start_time": "now"}
    notebook.cells[1].metadata["papermill"] = {"duration": 1.0}
    clean = normalise_ids(notebook)
    assert [c.id for c in clean.cells] == ["cell-0", "cell-1", "cell-2"]
    assert "papermill" not in clean.metadata and "papermill" not in clean.cells[1].metadata
    assert notebook.cells[0].id == "a"  # the input is not changed
    nbformat.validate(clean)


def _json_native(value) -> bool:
    """Only what JSON holds: dict with str keys, list, str, bool, int, float, None (no numpy
    scalars, tuples or dates, which ``default=str`` would hide)."""
    if isinstance(value, dict):
        return all(type(k) is str and _json_native(v) for k, v in value.items())
    if type(value) is list:
        return all(_json_native(v) for v in value)
    return value is None or type(value) in (str, bool, int, float)


@pytest.mark.slow
def test_section_facts_are_plain_json_values(ctx):
    for build in S.ALL_SECTIONS:
        facts = build(ctx).facts
        assert _json_native(facts), build.__name__
        assert json.loads(json.dumps(facts, allow_nan=False)) == facts
    summary = S.summary_section(ctx).facts
    assert summary["current_iid"] == ctx.score.iid == 84.46
    assert (summary["last_published"], summary["last_published_year"]) == (84.46, 2023)
    assert summary["threshold"] == 84.47 and 0.0 <= summary["probability"] <= 1.0
    position = S.position_section(ctx).facts
    assert position["total"] == pytest.approx(
        position["spd"] + position["mean_maturity"] + position["count_score"]
    )
    assert position["count_score"] == pytest.approx(176 * 0.38)
    history = S.history_section(ctx).facts
    assert history["series"] == [[2021, 62.3], [2022, 77.73], [2023, 84.46]]
    assert history["conflicts"] == [[2022, 70.0]]
    about = S.about_section(ctx).facts
    assert about["files"]["innovations"] == sha256_file(EXAMPLE_INNOVATIONS_FILE)


@pytest.mark.slow
def test_indicator_names_sit_in_the_lever_table(ctx):
    tables = html_tables(S.levers_section(ctx).to_html())
    header, *rows = tables[0]
    assert header[0] == "Faktor pengungkit"
    best = ctx.plan.levers[0]
    # SPD indicator 6 (weight 1.5, level 2): one step is 1.5 of 250 points, 0.6 IID points;
    # an outcome (investment growth): shown as context, not among the levers.
    assert best.indicator == "6" and best.scope == "spd"
    assert best.iid_gain == pytest.approx(1.5 / 250 * 100)
    assert not any(r[0].startswith("SPD indikator 6 (") for r in rows)
    assert rows[0][0].startswith("indikator 35 (")
    assert len(rows) == S.LEVER_ROWS
    outcomes = next(t for t in tables if t[0][0] == "Indikator")
    assert ["6 Jumlah peningkatan investasi", "2", "0,60", "0,60"] in outcomes[1:]


@pytest.mark.parametrize(
    ("as_of_date", "year"),
    [(None, 2023), ("2024-02-28", 2023), ("2023-06-30", 2022), ("2023-12-15", 2023)],
)
def test_as_of_uses_what_was_announced_by_then(as_of_date, year):
    from iid_analysis.report.preflight import as_of_year

    assert as_of_year(ReportParams(region="Kota Mojokerto", target_year=2024,
                                    as_of_date=as_of_date)) == year


@pytest.mark.slow
def test_as_of_before_the_last_announcement_moves_the_default_target():
    early = build_context(ReportParams(region="Kota Mojokerto", target_year=2024,
                                       as_of_date="2023-06-30", n_draws=200))
    assert early.series["year"].tolist() == [2021, 2022]
    assert early.target == 77.73 and early.threshold == 77.74
    assert early.forecast.forecast.as_of == 2022


@pytest.mark.slow
def test_first_screen_cites_the_source_of_the_last_published_figure(ctx):
    published = pd.read_csv(PUBLISHED_SCORES_FILE)
    url = published.loc[(published["region_name"] == "Kota Mojokerto")
                        & (published["year"] == 2023), "source_url"].item()
    assert f'href="{url}"' in S.header(ctx).to_html()


@pytest.mark.slow
def test_about_lists_every_rule_with_its_provenance(ctx):
    page = S.about_section(ctx).to_html()
    for year in (2023, 2024):
        for rule in ctx.data_methodology.rules.values() if year == 2023 else \
                ctx.target_methodology.rules.values():
            value = value_words(rule.value, "id")
            assert html.escape(f"{value} ({provenance_word(rule.provenance, 'id')})") in page


def test_about_gathers_the_technical_names_in_one_table(ctx):
    about = S.about_section(ctx).to_html()
    tables = str(about).split("<table>")
    technical = [t for t in tables if "<code>count_cap</code>" in t]
    assert len(technical) == 1  # one table holds the code names, each with its words
    assert "<code>PROVISIONAL</code>" in technical[0] and "sementara" in technical[0]
    others = "".join(t for t in tables if t is not technical[0])
    assert "count_cap" not in others and "PROVISIONAL" not in others


def _report_keys(lang):
    from iid_analysis.messages import catalogue

    return {k: v for k, v in catalogue(lang).items() if k.startswith("report.")}


def test_every_string_exists_in_both_languages():
    indonesian, english = _report_keys("id"), _report_keys("en")
    assert set(indonesian) == set(english)
    for key, template in indonesian.items():
        fields = [set(re.findall(r"{(\w+)", t)) for t in (template, english[key])]
        assert fields[0] == fields[1], key  # the same values fill both


def test_every_string_is_used():
    """No dead strings: each key is named in the package's code (keys built with a prefix, such
    as ``comp_`` + component, are named by their prefix)."""
    from iid_analysis.config import PACKAGE_DIR

    strings = [k.removeprefix("report.") for k in _report_keys("id")
               if k.count(".") == 1]  # the nested tables (glossary, names) are looked up by name
    code = "\n".join(
        path.read_text(encoding="utf-8") for path in PACKAGE_DIR.rglob("*.py")
    )
    prefixes = set(re.findall(r'(?:text|words)\(f"(\w+?)_\{', code))
    unused = [
        key for key in strings
        if f'"{key}"' not in code and f"'{key}'" not in code and f'"report.{key}"' not in code
        and not any(key.startswith(f"{prefix}_") for prefix in prefixes)
    ]
    assert unused == [], f"strings no code uses (remove them from the catalogue): {unused}"


@pytest.mark.slow
def test_a_region_without_published_figures_gets_no_forecast_but_a_plan():
    context = build_context(ReportParams(
        region="Kota Contoh", target_year=2024, target=86.0, spd=str(EXAMPLE_SPD_FILE),
        innovations=str(EXAMPLE_INNOVATIONS_FILE), n_draws=200,
    ))
    assert context.forecast is None and context.published.empty
    summary = S.summary_section(context)
    assert summary.facts["p_business_as_usual"] is None
    verdict = summary.facts["verdict"]
    assert "tidak dapat diproyeksikan" in verdict and "Kota Contoh" in verdict
    projection = S.projection_section(context).to_html()
    # The page says there is no trend, what it still computes, and how to add a history.
    assert "tidak ada tren" in projection and "--history" in projection
    assert context.plan.threshold == 86.0 and context.plan.plan.iid_after >= 86.0
    page = "".join(build(context).to_html() for build in S.ALL_SECTIONS)
    assert "Tidak ada IID yang dipublikasikan untuk Kota Contoh" in page


# --- the first screen, the language and the plan in the city's terms (issue 9 §3-§5) ---------
CODE_WORDS = (
    "CONFIRMED", "SECONDARY", "INFERRED", "PROVISIONAL", "ASSUMED", "SYNTHETIC",
    "trend_logit", "trend_raw", "pooled", "pooled_shock", "rw_drift", "damped_ets", "ensemble",
    "stage_rule", "rejected_rule", "not_counted", "not_scored", "counted", "stages_counted",
    "raise_level", "add_innovation", "promote_stage", "iid_gain", "opd_document",
    "regional_head_decree", "count_cap", "divisor_floor", "count_points_per_innovation",
    "max_total", "max_spd", "min_basic_urusan", "person-days",
)


class _Text(HTMLParser):
    """Visible text of a page, without the "about" section and the quotes of sources."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = attrs.get("id") == "about" or "iid-quote" in (attrs.get("class") or "")
        self.skip.append(hidden or (self.skip[-1] if self.skip else False))

    def handle_endtag(self, tag):
        if self.skip:
            self.skip.pop()

    def handle_data(self, data):
        if not (self.skip and self.skip[-1]):
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(parser.parts)


def report_page(context) -> str:
    return "".join(str(build(context).to_html()) for build in S.ALL_SECTIONS)


@pytest.fixture(scope="module")
def page_id(ctx):
    return report_page(ctx)


@pytest.mark.slow
def test_no_code_or_provenance_name_in_the_indonesian_report_outside_about(ctx, page_id):
    words = visible_text(page_id)
    found = [w for w in CODE_WORDS if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", words)]
    assert found == []
    about = str(S.about_section(ctx).to_html())
    assert "PROVISIONAL" in about  # the code names stay in "about this report"


@pytest.mark.slow
def test_decimal_commas_everywhere_in_indonesian(page_id, ctx_en):
    words = visible_text(page_id)
    assert re.findall(r"(?<![\w.])\d+\.\d{1,2}(?![\d])", words) == []
    assert "84,46" in words
    english = visible_text(report_page(ctx_en))
    assert "84.46" in english and "84,46" not in english


def test_first_screen_names_region_year_unit_rank_and_source():
    context = build_context(ReportParams(
        region="Kota Mojokerto", target_year=2024, n_draws=200,
        issuing_unit="Bappedalitbang Kota Mojokerto",
    ))
    page = str(S.header(context).to_html())
    published = pd.read_csv(PUBLISHED_SCORES_FILE)
    rows = published[(published["region_name"] == "Kota Mojokerto")
                     & published["year"].isin([2022, 2023]) & published["rank_in_cluster"].notna()]
    assert set(rows["rank_in_cluster"]) == {1} and set(rows["cluster_size"]) == {93}
    assert "ke-1 dari 93 kota (2022 dan 2023)" in page
    assert "Bappedalitbang Kota Mojokerto" in page
    assert "2024" in page and "84,46" in page
    last = published[(published["region_name"] == "Kota Mojokerto") & (published["year"] == 2023)]
    assert f'href="{last["source_url"].item()}"' in page


@pytest.mark.slow
def test_history_gives_the_predicate_under_each_years_bands(ctx):
    # By hand: 62.3 (2021) is above that year's Sangat Inovatif floor of 60.
    from iid_analysis.methodology import load_methodology

    page = str(S.history_section(ctx).to_html())
    assert load_methodology(2021).bands["Sangat Inovatif"] < 62.3
    rows = re.findall(r"<tr>(.*?)</tr>", page)
    assert any("2021" in r and "62,30" in r and "Sangat Inovatif" in r for r in rows)


@pytest.mark.slow
def test_every_rule_variant_that_moves_the_probability_is_named(ctx):
    risks = ctx.headline.risks
    moving = [r for r in risks if r.share_of_risk > S.RISK_MIN_SHARE]
    sentences = S.summary_section(ctx).facts["risks"]
    shown = [r for r in risks if r.weight > 0]
    # One sentence per variant that moves the probability, then one that adds them up.
    assert len(moving) > 0 and len(sentences) == len(moving) + (len(shown) > 1)
    # The rule variants split the draws: their weights times their probabilities give the
    # headline's probability, so "94 %" and "0 % if ..." fit together.
    assert sum(r.weight for r in shown) == pytest.approx(1.0, abs=0.01)
    assert sum(r.weight * r.p_reach_if for r in shown) == pytest.approx(
        ctx.headline.p_with_plan, abs=0.01
    )
    stage = [r for r in moving if r.rule == "stage"]
    n = stage[0].n_affected
    # each names the innovations concerned and its costed remedy
    assert any(f"{n} inovasi" in s and "hari kerja" in s for s in sentences)
    page = str(S.summary_section(ctx).to_html())
    # the variants are weighted by the region's own published score, illustrative here
    assert "mereproduksinya" in page and "hanya ilustrasi" in page


@pytest.mark.slow
def test_worklist_download_is_the_workbook_offline(ctx):
    import base64
    import io

    import openpyxl

    page = str(S.scenarios_section(ctx).to_html())
    match = re.search(r'download="([^"]+)" href="data:application/vnd\.openxmlformats-'
                      r'officedocument\.spreadsheetml\.sheet;base64,([^"]+)"', page)
    assert match and match.group(1).endswith(".xlsx")
    data = base64.b64decode(match.group(2))
    assert data == ctx.headline.worklist_xlsx
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames


@pytest.mark.slow
def test_opd_section_names_the_carriers_and_more_than_one(ctx):
    page = str(S.levers_section(ctx).to_html())
    load = ctx.headline.opd_load
    assert html.escape(load[0].opd) in page
    for row in ctx.headline.more_than_one:
        assert html.escape(row.opd) in page
    assert "Tidak direncanakan: indikator hasil" in page


@pytest.mark.slow
def test_assumptions_log_is_in_indonesian_with_its_red_line(ctx):
    section = S.assumptions_section(ctx)
    page = str(section.to_html())
    assert "sementara" in page and "asumsi" in page  # PROVISIONAL, ASSUMED in words
    assert f"{section.facts['red_impact']} baris berdampak MERAH" in page
    assert "hari kerja" in page


def test_2026_report_warns_that_the_urusan_rule_could_not_be_checked():
    params = load_params(Path(__file__).resolve().parents[2] / "params/kota-mojokerto_2026.yaml",
                         n_draws=200)
    context = build_context(params)
    assert context.target_methodology.year == 2026 and context.params.data_year == 2023
    page = str(S.header(context).to_html())
    assert "Tidak dapat diperiksa" in page and "kolom urusan" in page


@pytest.mark.slow
def test_rules_standing_in_are_named_on_the_first_screen(ctx):
    standing = dataclasses.replace(ctx, stand_in={"target": 2026})
    page = str(S.header(standing).to_html())
    assert "Aturan tahun 2024 belum ada; aturan 2026 dipakai sebagai pengganti" in page


@pytest.mark.slow
def test_about_gives_the_command_that_reproduces_the_headline(ctx):
    page = html.unescape(str(S.about_section(ctx).to_html()))
    command = ctx.headline.command
    assert command.startswith("iid-analysis plan ") and command in page
    assert f"--target {ctx.threshold:.2f}" in command and f"--seed {ctx.params.seed}" in command
