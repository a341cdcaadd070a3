"""Small HTML builders for report sections, on :class:`markupsafe.Markup`: every piece of data
is escaped by construction (``Markup`` concatenation, ``format`` and ``join`` escape plain
strings; the Jinja2 templates in ``report/templates/`` autoescape), so a name such as
``<script>alert(1)</script>`` is shown as text and never runs. Only fragments built here are
:class:`Html` (trusted). The layout of a section, a table, a figure and a notice lives in the
templates shipped with the package; this module fills them.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from markupsafe import escape as _escape
from matplotlib.figure import Figure

from .figures import png_data_uri

Html = Markup
"""A trusted HTML fragment (:class:`markupsafe.Markup`); anything else is escaped when joined."""

TEMPLATES = Environment(
    loader=PackageLoader("iid_analysis.report", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    keep_trailing_newline=False,
)
"""The report's templates (``report/templates/*.html.j2``), autoescaping every value."""


def render_template(name: str, **values: object) -> Html:
    """The template ``name`` filled with ``values`` (escaped unless :class:`Html`)."""
    return Markup(TEMPLATES.get_template(name).render(**values).strip())


def escape(value: object) -> Html:
    """Any value as escaped HTML text (an :class:`Html` fragment is kept as it is; None is
    empty)."""
    return Markup("") if value is None else _escape(value)


def join(parts: Iterable[object], sep: str = "") -> Html:
    return escape(sep).join(escape(p) for p in parts)


def element(tag: str, content: object = "", cls: str | None = None) -> Html:
    """``<tag class="cls">content</tag>`` with ``content`` escaped unless it is :class:`Html`."""
    if cls:
        return Markup('<{0} class="{1}">{2}</{0}>').format(Markup(tag), cls, escape(content))
    return Markup("<{0}>{1}</{0}>").format(Markup(tag), escape(content))


def paragraph(content: object, cls: str | None = None) -> Html:
    return element("p", content, cls)


def notice(content: object, kind: str = "info") -> Html:
    """A highlighted paragraph; ``kind`` is info, warning or missing (class ``iid-<kind>``)."""
    return render_template("notice.html.j2", content=content, kind=kind)


def quoted(content: object, lang: str = "en") -> Html:
    """Text quoted as a data file writes it (a rule's source in ``rules.csv``), marked with its
    language: it is cited, never translated."""
    return Markup('<span class="iid-quote" lang="{}">{}</span>').format(lang, escape(content))


def cited(source: str, source_id: str, lang: str) -> Html | str:
    """A data file's text (a rule's source) for a reader of ``lang``: its Indonesian
    (``source_id``, from ``data/rule_sources.csv``) in an Indonesian report, else quoted as
    written (:func:`quoted`)."""
    if lang == "id" and source_id:
        return source_id
    return quoted(source)


def bullet_list(items: Iterable[object]) -> Html:
    return element("ul", join(element("li", item) for item in items))


def link(url: object, label: object | None = None) -> Html:
    """A link to an http(s) address; anything else is shown as plain text."""
    address = "" if url is None else str(url).strip()
    if not address.lower().startswith(("http://", "https://")):
        return escape(label if label is not None else address)
    shown = label if label is not None else address
    return Markup('<a href="{}" rel="noreferrer">{}</a>').format(address, escape(shown))


def table(
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    numeric: Sequence[int] = (),
    stack: bool | None = None,
) -> Html:
    """A table; cells are escaped unless :class:`Html`; columns ``numeric`` align right.

    On a phone a table of three or more columns (``stack`` None) or any table with ``stack``
    True stacks: each row becomes a block, each cell a line headed by its column's name
    (``data-label``), so nothing overflows sideways. Otherwise the table sits in a block that
    scrolls on its own.
    """
    labels = [h.striptags() if isinstance(h, Markup) else str(h) for h in header]
    stacked = len(labels) >= 3 if stack is None else stack
    return render_template(
        "table.html.j2", header=list(header), rows=[list(r) for r in rows],
        numeric=set(numeric), labels=labels, stacked=stacked,
    )


def download_link(data: bytes, filename: str, label: object, mime: str) -> Html:
    """A link that downloads ``data`` as ``filename`` from the page itself (a data URI: works
    offline, nothing is fetched)."""
    uri = f"data:{mime};base64," + base64.b64encode(data).decode("ascii")
    return Markup('<a class="iid-download" download="{}" href="{}">{}</a>').format(
        filename, uri, escape(label)
    )


def figure(fig: Figure, alt: object, caption: object | None = None) -> Html:
    """An embedded PNG (data URI) with alternative text and an optional caption."""
    return render_template("figure.html.j2", src=png_data_uri(fig), alt=alt, caption=caption)


def rag_badge(rating: str, label: object) -> Html:
    """A red/amber/green badge showing ``label``."""
    return element("span", label, f"iid-rag iid-rag-{rating}")


def json_ready(value: object) -> object:
    """``value`` with every NaN or infinite number (an analysis that could not be made) as
    None, so that no NaN reaches JSON: a notebook output must be valid JSON."""
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, float | int) and not isinstance(value, bool):
        number = float(value)
        return None if math.isnan(number) or math.isinf(number) else value
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:  # a numpy scalar
        return json_ready(value.item())
    return value


@dataclass(frozen=True)
class Section:
    """One rendered part of the report: a title, HTML blocks and the key facts behind them.

    ``facts`` (JSON-ready) travels with the HTML in the notebook output as ``application/json``
    so that tests and researchers can read the numbers without parsing HTML.
    """

    key: str
    title: str
    blocks: tuple[Html, ...]
    facts: dict = field(default_factory=dict)
    level: int = 2

    def to_html(self) -> Html:
        return render_template(
            "section.html.j2", key=self.key, level=self.level, title=self.title,
            blocks=self.blocks,
        )

    def _repr_html_(self) -> str:
        return str(self.to_html())

    def _repr_json_(self) -> dict:
        return json.loads(json.dumps(json_ready(self.facts), default=str, allow_nan=False))

    def __repr__(self) -> str:
        return f"Section({self.key!r}, {self.title!r})"
