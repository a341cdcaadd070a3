"""The page a mayor reads and prints: one model for with and without the plan, alt texts that
state the finding, risks that add up to the headline, clean English, and an A4 print of at most
8 pages with the headline, ladder and chart on page 1."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import numpy as np
import pytest
from markupsafe import escape

from iid_analysis.feasibility.headline import with_plan_draws
from iid_analysis.messages import Message, render
from iid_analysis.report import ReportParams, build_context
from iid_analysis.report import sections as S
from iid_analysis.report.i18n import glossary, text
from iid_analysis.report.sections.front import headline_verdict


@pytest.fixture(scope="module")
def contexts():
    return {lang: build_context(ReportParams(region="Kota Mojokerto", target_year=2024,
                                             lang=lang, n_draws=1000))
            for lang in ("id", "en")}


def _words(ctx) -> str:
    page = "".join(str(build(ctx).to_html()) for build in S.ALL_SECTIONS)
    page = re.sub(r"data:[^\"]*", "", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_with_the_plan_is_never_below_without_it(contexts):
    ctx = contexts["id"]
    bau = ctx.forecast.forecast.draws
    draws = with_plan_draws(bau, ctx.plan.robust.uncertainty)
    assert np.all(draws >= np.asarray(bau, dtype=float))
    assert np.median(draws) >= np.median(bau)


def test_the_first_sentence_says_the_plan_is_a_floor_and_is_one(contexts):
    """The headline's probability is the plan's own; the chart draws the floor it secures
    (per draw the higher of trend and plan), so the first sentence says "at least" and the
    chart's with-plan probability can only be higher."""
    for lang, floor_word in (("id", "batas bawah"), ("en", "floor")):
        ctx = contexts[lang]
        first = html.unescape(re.sub(r"<[^>]+>", "", headline_verdict(ctx)))
        assert floor_word in first.split(". Tanpa")[0].split(". Without")[0]
        assert ("sedikitnya" if lang == "id" else "at least") in first
        outlook = ctx.headline.outlook
        assert ctx.headline.p_with_plan <= outlook.p_with_plan + 1e-12
        assert outlook.with_plan_median >= outlook.bau_median


def test_the_chart_block_says_its_framing_first(contexts):
    for lang, ctx in contexts.items():
        summary = str(S.summary_section(ctx).to_html())
        sentence = str(escape(render(Message(ctx.headline.outlook.message_key), lang)))
        chart = summary.index('<figure class="iid-figure">')
        assert summary.index("iid-verdict") < summary.rfind(sentence, 0, chart)


def test_alt_texts_state_the_finding(contexts):
    ctx = contexts["en"]
    page = "".join(str(build(ctx).to_html()) for build in S.ALL_SECTIONS)
    alts = [html.unescape(a) for a in re.findall(r'alt="([^"]*)"', page)]
    assert len(alts) == 4 and all(a.startswith("Chart: ") for a in alts)
    p_bau = f"{round(100 * ctx.headline.p_business_as_usual)}%"
    p_plan = f"{round(100 * ctx.headline.p_with_plan)}%"
    assert p_bau in alts[0] and p_plan in alts[0]  # the comparison, not the caption
    assert "2023 (84.46)" in alts[1]  # the last published figure


def test_the_risks_add_up_to_the_headline(contexts):
    risks = contexts["id"].headline.risks
    total = sum(r.weight * r.p_reach_if for r in risks if r.weight > 0)
    assert total == pytest.approx(contexts["id"].headline.p_with_plan, abs=1e-9)
    sentence = S.summary_section(contexts["id"]).to_html()
    assert "rata-rata peluang di tiap varian aturan menurut bobotnya" in html.unescape(sentence)


def test_english_reads_clean(contexts):
    words = _words(contexts["en"])
    for bad in ("1 actions", "1 new innovations", "stages_counted", "average change drift"):
        assert bad not in words
    # a figure is never its own correction
    assert not re.search(r"(\d[\d.,]*) \((?:instead of|bukan) \1\)", words)
    assert not re.search(r"(\d[\d.,]*) \((?:instead of|bukan) \1\)", _words(contexts["id"]))
    terms = [term for term, _ in glossary("en")]
    assert {"RKPD", "APBD", "PAD", "LAKIP"} <= set(terms)


def test_the_glossary_bands_are_the_bands_of_the_text():
    from iid_analysis.wording import PROBABILITY_BANDS

    for lang in ("id", "en"):
        meaning = dict(glossary(lang))[text("glossary.probability.term", lang)]
        for band in PROBABILITY_BANDS:
            assert band.label(lang) in meaning


@pytest.mark.slow
@pytest.mark.allow_skip_in_ci("needs chromium and poppler-utils (pdfinfo, pdftotext)")
def test_the_example_prints_on_at_most_8_a4_pages_with_the_headline_first(tmp_path):
    chromium, pdfinfo = shutil.which("chromium"), shutil.which("pdfinfo")
    if not (chromium and pdfinfo and shutil.which("pdftotext")):
        pytest.skip("chromium or poppler-utils missing")
    from iid_analysis.report.runner import run_report

    result = run_report(ReportParams(region="Kota Mojokerto", target_year=2024), tmp_path)
    pdf = tmp_path / "report.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    result.html.as_uri()], check=True, capture_output=True, timeout=300)
    info = subprocess.run([pdfinfo, str(pdf)], check=True, capture_output=True, text=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    assert pages <= 8
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout
    flat = " ".join(first.split())
    assert "Dengan rencana, peluang mencapai IID 2024" in flat  # the headline
    assert "Peluang tanpa rencana" in first  # the ladder's header
    assert "tanpa rencana (tren) dan dengan rencana" in " ".join(first.split())  # the chart
    # No heading is the last line of a page (a heading stays with what follows).
    headings = {text(k, "id") for k in ("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s9",
                                        "glossary_title")}
    for page in range(1, pages + 1):
        lines = [line.strip() for line in subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
            check=True, capture_output=True, text=True).stdout.splitlines() if line.strip()]
        assert lines and lines[-1] not in headings, page
