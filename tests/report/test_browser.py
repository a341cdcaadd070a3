"""The report as a reader sees it: headless Chromium (Debian's package) at phone and desktop
width, offline. Checks the verdict, no console error, no network request, no code, no page
wider than the phone, and saves screenshots."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from iid_analysis.report import ReportParams
from iid_analysis.report.runner import run_report

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
PHONE, DESKTOP = 390, 1280

# In CI this skip is turned into a failure by conftest.py (a skip in CI is a failure).
if not CHROMIUM.exists():
    pytest.skip(
        "/usr/bin/chromium is missing: the browser tests did not run (install it with "
        "`make browser` or `apt-get install chromium`)",
        allow_module_level=True,
    )

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser")
    return run_report(ReportParams(region="Kota Mojokerto", target_year=2024, n_draws=400), out)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


PHONE_HEIGHT = 844
"""An iPhone 12..14's viewport: the first screen a mayor sees."""


def open_page(browser, report, width: int, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height})
    context.route("**/*", lambda route: route.continue_()
                  if route.request.url.startswith(("file://", "data:")) else route.abort())
    page = context.new_page()
    page.goto(report.html.as_uri(), wait_until="load")
    return context, page


def box(page, selector: str) -> dict:
    return page.evaluate(
        "s => { const r = document.querySelector(s).getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }", selector
    )


def test_first_phone_screen_shows_the_verdict_and_the_ladder(report, browser):
    context, page = open_page(browser, report, PHONE, PHONE_HEIGHT)
    for selector in (".iid-verdict", "#summary .iid-table"):
        found = box(page, selector)
        assert found["bottom"] <= PHONE_HEIGHT, (selector, found)
        assert 0 <= found["left"] and found["right"] <= PHONE, (selector, found)
    # the ladder's last column (the probability with the plan) is visible without scrolling
    ladder = page.evaluate(
        "(() => { const d = document.querySelector('#summary .iid-table');"
        " return [d.scrollWidth, d.clientWidth]; })()"
    )
    assert ladder[0] <= ladder[1]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    context.close()


OVERFLOW = """(() => {
  const log = document.querySelector('#assumptions .iid-table');
  const table = log.querySelector('table');
  return {box: [log.scrollWidth, log.clientWidth], table: table.getBoundingClientRect().right,
          edge: log.getBoundingClientRect().right,
          page: [document.documentElement.scrollWidth, document.documentElement.clientWidth]};
})()"""


@pytest.mark.parametrize("media", ["screen", "print"])
def test_assumptions_log_fits_a_phone_and_a4_without_side_scrolling(report, browser, media):
    # A4 at 96 dpi less the 12 mm margins is about 703 px wide.
    width = PHONE if media == "screen" else 703
    context, page = open_page(browser, report, width)
    page.emulate_media(media=media)
    measured = page.evaluate(OVERFLOW)
    assert measured["box"][0] <= measured["box"][1], measured
    assert measured["table"] <= measured["edge"] + 1, measured
    assert measured["page"][0] <= measured["page"][1], measured
    if media == "print":
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
    context.close()


def recorded_verdict(notebook: Path) -> str:
    for cell in nbformat.read(notebook, as_version=4).cells:
        for output in cell.get("outputs", []):
            facts = output.get("data", {}).get("application/json")
            if facts and "verdict" in facts:
                return facts["verdict"]
    raise AssertionError("no verdict recorded in the executed notebook")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_report_in_the_browser(report, browser, width, tmp_path_factory):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Anything but the file itself and embedded data is refused and recorded.
    context.route("**/*", lambda route: route.continue_()
                  if route.request.url.startswith(("file://", "data:")) else route.abort())
    page.goto(report.html.as_uri(), wait_until="load")

    verdict = page.locator(".iid-verdict")
    assert verdict.count() == 1 and verdict.is_visible()
    assert verdict.inner_text().strip() == recorded_verdict(report.notebook)
    # The report's sections, in page order; each but the title opens with one h2 heading.
    sections = page.eval_on_selector_all("section.iid-section", "s => s.map(e => e.id)")
    assert sections == ["title", "summary", "history", "projection", "position", "eligibility",
                        "levers", "scenarios", "assumptions", "glossary", "about"]
    assert page.locator("h2").count() == len(sections) - 1
    code = page.evaluate(
        "document.querySelectorAll('.jp-InputArea, .jp-InputPrompt, .highlight pre').length"
    )
    assert code == 0
    body_text = page.inner_text("body")
    for code in ("report.summary_section(ctx)", "from iid_analysis import report",
                 "build_context(params)"):
        assert code not in body_text
    assert "SINTETIS" in body_text
    images = page.evaluate(
        "Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.clientWidth])"
    )
    assert images and all(done and natural > 0 for done, natural, _ in images)
    assert all(shown <= width for _, _, shown in images)
    # The page itself never scrolls sideways; wide tables scroll inside their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    shots = tmp_path_factory.mktemp("screenshots")
    page.screenshot(path=str(shots / f"report_{width}.png"), full_page=True)
    assert (shots / f"report_{width}.png").stat().st_size > 10_000
    context.close()

    foreign = [u for u in requests if not u.startswith(("file://", "data:"))]
    assert foreign == [], json.dumps(foreign)
    assert errors == []
