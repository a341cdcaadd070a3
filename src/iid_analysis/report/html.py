"""Executed notebook -> one self-contained HTML page for leadership.

Code inputs and prompts are removed, markdown cells (researcher notes) too; nothing is loaded
from the network (nbconvert's lab template pulls require.js and MathJax from a CDN: those blocks
are emptied); images are embedded as data URIs by the sections. Cell ids are renumbered so that
the same notebook content always gives the same bytes.

nbconvert (and jinja2) are imported inside :func:`exporter`, on first use: importing this module
is cheap, so the report's command starts fast (the runner warms the converter up, :func:`warm_up`,
while the notebook runs).
"""

from __future__ import annotations

import copy
import functools
import threading
from typing import TYPE_CHECKING

import nbformat

if TYPE_CHECKING:
    from nbconvert import HTMLExporter

TEMPLATE_NAME = "iid_report.html.j2"

# Extends nbconvert's lab page; every block that would fetch a script is emptied and the
# JupyterLab stylesheet (240 kB, meant for code cells) is replaced by a small one for reading.
PAGE_TEMPLATE = r"""
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block notebook_css -%}
<style type="text/css">
""" + r"""{{ resources.iid_css }}""" + r"""
</style>
{%- endblock notebook_css -%}
"""

REPORT_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f5f6f8; color: #1d1d1f;
  font: 17px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
main { max-width: 920px; margin: 0 auto; padding: 12px 14px 40px; background: #fff; }
h1 { font-size: 1.5em; line-height: 1.25; margin: 0.4em 0; color: #1f4e79; }
h2 { font-size: 1.25em; margin: 1.6em 0 0.5em; border-bottom: 2px solid #1f4e79;
  padding-bottom: 0.15em; color: #1f4e79; }
h3 { font-size: 1.05em; margin: 1.2em 0 0.4em; }
p { margin: 0.5em 0; }
a { color: #1f4e79; overflow-wrap: anywhere; }
code { font-size: 0.85em; overflow-wrap: anywhere; }
.iid-notice { border-left: 5px solid #1f4e79; background: #eef3f9; padding: 4px 12px;
  margin: 0.8em 0; }
.iid-warning { border-color: #c77c02; background: #fff6e0; }
.iid-missing { border-color: #8a8a8a; background: #f0f0f0; font-style: italic; }
.iid-verdict { font-size: 1.15em; font-weight: 600; }
.iid-small { font-size: 0.85em; color: #555; }
.iid-quote { color: #555; font-size: 0.9em; }
.iid-figure { margin: 0.8em 0; }
.iid-figure img { width: 100%; max-width: 704px; height: auto; display: block; }
.iid-figure figcaption { font-size: 0.85em; color: #555; }
.iid-table { overflow-x: auto; margin: 0.6em 0; -webkit-overflow-scrolling: touch; }
.iid-table table { border-collapse: collapse; font-size: 0.88em; min-width: 100%; }
.iid-table th, .iid-table td { border-bottom: 1px solid #ddd; padding: 4px 8px;
  text-align: left; vertical-align: top; }
.iid-table th { background: #f0f3f7; }
.iid-table .num { text-align: right; white-space: nowrap; }
.iid-table th.num { white-space: normal; }
.iid-rag { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 0.85em;
  font-weight: 600; white-space: nowrap; overflow-wrap: normal; }
.iid-rag-red { background: #f8d0cc; color: #7a1010; }
.iid-rag-amber { background: #fde9b8; color: #6b4a00; }
.iid-rag-green { background: #d5efd0; color: #1d5e16; }
.jp-Cell, .jp-OutputArea, .jp-OutputArea-child, .jp-OutputArea-output { margin: 0; padding: 0; }
.jp-OutputPrompt, .jp-InputPrompt, .jp-Collapser { display: none; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.iid-meta { display: grid; grid-template-columns: repeat(auto-fit, minmax(250px, 1fr));
  gap: 0 16px; margin: 0.3em 0 0.6em; font-size: 0.85em; line-height: 1.35; }
.iid-meta div { display: flex; gap: 6px; }
.iid-meta dt { color: #555; white-space: nowrap; }
.iid-meta dt::after { content: ":"; }
.iid-meta dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.iid-rung { display: block; font-size: 0.8em; color: #555; font-weight: normal; }
#title .iid-notice { font-size: 0.85em; padding: 2px 10px; margin: 0.5em 0; }
#summary h2 { margin-top: 1em; }
.iid-red-line { font-weight: 600; color: #7a1010; }
.iid-download { display: inline-block; padding: 6px 12px; border: 1px solid #1f4e79;
  border-radius: 6px; text-decoration: none; font-weight: 600; }
.iid-assumptions td:nth-child(3) { min-width: 14em; }
.iid-table td { overflow-wrap: break-word; }
.iid-assumptions td:nth-child(5) { overflow-wrap: anywhere; min-width: 12em; }
.iid-assumptions td:nth-child(4) { white-space: nowrap; }
@media (max-width: 500px) { body { font-size: 16px; } main { padding: 8px 10px 32px; }
  h1 { font-size: 1.3em; } .iid-verdict { font-size: 1.05em; }
  .iid-table table { font-size: 0.8em; } .iid-table th, .iid-table td { padding: 3px 5px; }
  .iid-stack { overflow-x: visible; }
  .iid-stack table, .iid-stack tbody, .iid-stack tr, .iid-stack td { display: block;
    width: 100%; min-width: 0; }
  .iid-stack thead { display: none; }
  .iid-stack tr { border-bottom: 2px solid #c9d3df; padding: 4px 0; }
  .iid-stack td { border: 0; padding: 1px 4px; text-align: left; white-space: normal; }
  .iid-stack td.num { text-align: left; }
  .iid-stack td[data-label]::before { content: attr(data-label) ": "; color: #555;
    font-weight: 600; }
  .iid-assumptions td:nth-child(3) { min-width: 0; }
  .iid-assumptions td:nth-child(4) { white-space: normal; }
  .iid-assumptions td:nth-child(5) { min-width: 0; } }
@page { size: A4; margin: 12mm 11mm; }
@media print {
  body { background: #fff; font-size: 9.2pt; line-height: 1.32; }
  h1 { font-size: 1.35em; } h2 { font-size: 1.15em; margin: 1em 0 0.35em; }
  h3 { margin: 0.8em 0 0.3em; } p { margin: 0.35em 0; } ul { margin: 0.3em 0; }
  .iid-figure { margin: 0.4em 0; }
  main { max-width: none; padding: 0; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  h2 + p, h3 + p, h3 + .iid-table, .iid-figure figcaption { break-before: avoid; }
  .iid-figure, tr, .iid-notice, li { break-inside: avoid; }
  p { orphans: 3; widows: 3; }
  .iid-figure img { max-width: 10.5cm; }
  .iid-table { overflow: visible; }
  .iid-table table { width: 100%; min-width: 0; table-layout: auto; font-size: 8pt; }
  .iid-table th, .iid-table td { padding: 1px 4px; line-height: 1.25; overflow-wrap: break-word; }
  /* The reference tables at the back (assumptions log, glossary, provenance, technical names)
     are looked up, not read through: a smaller type keeps the print within 8 A4 pages. */
  #assumptions .iid-table table, #glossary .iid-table table, #about .iid-table table {
    font-size: 7.2pt; }
  .iid-assumptions th:nth-child(-n+2), .iid-assumptions td:nth-child(-n+2) {
    white-space: nowrap; }
  .iid-table .num { white-space: normal; }
  .iid-assumptions td:nth-child(3) { min-width: 0; }
  .iid-assumptions td:nth-child(5) { min-width: 13em; }
  a { color: #1d1d1f; text-decoration: none; }
}
"""


def normalise_ids(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``notebook`` whose cell ids are ``cell-0``, ``cell-1``, ... (papermill gives its
    injected cell a random id on every run) and whose papermill timings are dropped."""
    result = copy.deepcopy(notebook)
    for index, cell in enumerate(result.cells):
        cell["id"] = f"cell-{index}"
        cell.get("metadata", {}).pop("papermill", None)
        cell.get("metadata", {}).pop("execution", None)
    result.metadata.pop("papermill", None)
    return result


@functools.cache
def exporter(lang: str = "id") -> HTMLExporter:
    """An HTMLExporter with code inputs, prompts and markdown cells excluded: one per language
    and process, reused, so that its templates are compiled once (:func:`warm_up`). A reused
    exporter converts a notebook to the same bytes as a new one."""
    # Both slow to import: only when a page is converted (nbconvert brings jinja2 anyway).
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    html_exporter = HTMLExporter(
        language_code=lang,
        extra_loaders=[DictLoader({TEMPLATE_NAME: PAGE_TEMPLATE})],
        template_file=TEMPLATE_NAME,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_markdown=True,
        exclude_raw=True,
        embed_images=True,
    )
    return html_exporter


def notebook_to_html(notebook: nbformat.NotebookNode, title: str, lang: str = "id") -> str:
    """The executed ``notebook`` as a self-contained HTML page titled ``title``.

    The same notebook content gives the same text, byte for byte.
    """
    clean = normalise_ids(notebook)
    clean.metadata["title"] = title
    resources = {"iid_css": REPORT_CSS, "metadata": {"name": title}}
    with _CONVERTING:  # one conversion at a time through the shared exporter
        body, _ = exporter(lang).from_notebook_node(clean, resources=resources)
    return body


_CONVERTING = threading.Lock()


def warm_up(lang: str = "id") -> None:
    """Import nbconvert and compile the page's templates for ``lang`` (an empty notebook is
    converted), so that the report's conversion afterwards only renders: the runner calls this
    in a background thread while the notebook runs (0.15-0.2 s off the command's wait)."""
    notebook_to_html(nbformat.v4.new_notebook(), "", lang)
