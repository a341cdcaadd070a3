"""Small HTML builders for report sections. Every piece of data goes through :func:`html.escape`;
only fragments built here are trusted (:class:`Html`), so a name such as
``<script>alert(1)</script>`` is shown as text and never runs.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from matplotlib.figure import Figure

from .figures import png_data_uri


class Html(str):
    """A fragment of HTML built by this module (trusted; never built from raw data)."""


def escape(value: object) -> Html:
    """Any value as escaped HTML text (an :class:`Html` fragment is kept as it is)."""
    if isinstance(value, Html):
        return value
    return Html(html.escape("" if value is None else str(value), quote=True))


def join(parts: Iterable[object], sep: str = "") -> Html:
    return Html(escape(sep).join(escape(p) for p in parts))


def element(tag: str, content: object = "", cls: str | None = None) -> Html:
    """``<tag class="cls">content</tag>`` with ``content`` escaped unless it is :class:`Html`."""
    attribute = f' class="{html.escape(cls)}"' if cls else ""
    return Html(f"<{tag}{attribute}>{escape(content)}</{tag}>")


def paragraph(content: object, cls: str | None = None) -> Html:
    return element("p", content, cls)


def notice(content: object, kind: str = "info") -> Html:
    """A highlighted paragraph; ``kind`` is info, warning or missing (class ``iid-<kind>``)."""
    return element("div", paragraph(content), f"iid-notice iid-{kind}")


def bullet_list(items: Iterable[object]) -> Html:
    return element("ul", join(element("li", item) for item in items))


def link(url: object, label: object | None = None) -> Html:
    """A link to an http(s) address; anything else is shown as plain text."""
    address = "" if url is None else str(url).strip()
    if not address.lower().startswith(("http://", "https://")):
        return escape(label if label is not None else address)
    shown = label if label is not None else address
    href = html.escape(address, quote=True)
    return Html(f'<a href="{href}" rel="noreferrer">{escape(shown)}</a>')


def table(
    header: Sequence[object], rows: Iterable[Sequence[object]], numeric: Sequence[int] = ()
) -> Html:
    """A table; cells are escaped unless :class:`Html`; columns ``numeric`` align right.

    Wrapped in a scrollable block so a wide table never widens a phone's page.
    """
    right = set(numeric)

    def cell(tag: str, index: int, value: object) -> str:
        cls = ' class="num"' if index in right else ""
        return f"<{tag}{cls}>{escape(value)}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows
    )
    return Html(
        f'<div class="iid-table"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def figure(fig: Figure, alt: object, caption: object | None = None) -> Html:
    """An embedded PNG (data URI) with alternative text and an optional caption."""
    image = f'<img src="{png_data_uri(fig)}" alt="{html.escape(str(alt), quote=True)}">'
    caption_html = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return Html(f'<figure class="iid-figure">{image}{caption_html}</figure>')


def rag_badge(rating: str, label: object) -> Html:
    """A red/amber/green badge showing ``label``."""
    return element("span", label, f"iid-rag iid-rag-{html.escape(rating)}")


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
        heading = element(f"h{self.level}", self.title)
        body = "".join(self.blocks)
        key = html.escape(self.key)
        return Html(f'<section class="iid-section" id="{key}">{heading}{body}</section>')

    def _repr_html_(self) -> str:
        return str(self.to_html())

    def _repr_json_(self) -> dict:
        return json.loads(json.dumps(self.facts, default=str))

    def __repr__(self) -> str:
        return f"Section({self.key!r}, {self.title!r})"
