"""The report's figures: plain matplotlib, sized to stay readable at phone width.

Functions take results (tables, scores), return a :class:`matplotlib.figure.Figure` (no pyplot,
so no global state), and :func:`png_bytes` renders one deterministically (no timestamp).
"""

from __future__ import annotations

import base64
import io

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..methodology import (
    PREDICATE_INOVATIF,
    PREDICATE_KURANG_INOVATIF,
    PREDICATE_SANGAT_INOVATIF,
)
from .i18n import format_number, text

WIDTH_IN = 5.6
HEIGHT_IN = 3.8
DPI = 110
FONT_SIZE = 13

BAND_COLOURS = {
    PREDICATE_SANGAT_INOVATIF: "#d9f0d3",
    PREDICATE_INOVATIF: "#fff4c2",
    PREDICATE_KURANG_INOVATIF: "#fde0dd",
}
LINE_COLOUR = "#1f4e79"
OTHER_COLOUR = "#c0504d"
TARGET_COLOUR = "#7f3f98"


def new_figure(height: float = HEIGHT_IN) -> Figure:
    """An empty figure with the report's size and font."""
    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
    figure.set_facecolor("white")
    return figure


def _style(ax) -> None:
    ax.tick_params(labelsize=FONT_SIZE - 1)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def shade_bands(ax, bands: dict[str, float], lang: str, label: bool = True) -> None:
    """Shade each predicate's band of the IID axis (0..100) and name it at the right edge,
    just above the band's lower edge (where the series rarely is)."""
    edges = sorted(bands.items(), key=lambda item: item[1])
    for i, (predicate, low) in enumerate(edges):
        high = edges[i + 1][1] if i + 1 < len(edges) else 100.0
        ax.axhspan(low, high, color=BAND_COLOURS.get(predicate, "#eeeeee"), zorder=0, lw=0)
        if label:
            ax.text(
                0.99, low + 1, predicate, transform=ax.get_yaxis_transform(),
                ha="right", va="bottom", fontsize=FONT_SIZE - 1, color="#555555", zorder=1,
                clip_on=True,
            )


def history_figure(series: pd.DataFrame, others: pd.DataFrame, bands: dict, lang: str) -> Figure:
    """Published IID by year (``series``: year, iid) with conflicting figures (``others``:
    year, iid) as hollow markers, over the predicate bands."""
    figure = new_figure()
    ax = figure.add_subplot()
    shade_bands(ax, bands, lang)
    ax.plot(series["year"], series["iid"], marker="o", color=LINE_COLOUR, lw=2.2, zorder=3)
    for row in series.itertuples():
        ax.annotate(
            format_number(row.iid, lang), (row.year, row.iid), textcoords="offset points",
            xytext=(0, 8), ha="center", fontsize=FONT_SIZE - 1, zorder=4,
        )
    if len(others):
        ax.scatter(
            others["year"], others["iid"], marker="o", facecolors="white",
            edgecolors=OTHER_COLOUR, s=60, lw=1.8, zorder=4,
        )
        for row in others.itertuples():
            ax.annotate(
                format_number(row.iid, lang), (row.year, row.iid), textcoords="offset points",
                xytext=(0, -16), ha="center", fontsize=FONT_SIZE - 1, color=OTHER_COLOUR,
            )
    years = sorted(set(series["year"]) | set(others["year"]))
    ax.set_xticks(years)
    ax.set_xlim(min(years) - 0.5, max(years) + 0.5) if years else None
    ax.set_ylim(0, 100)
    ax.set_ylabel(text("axis_iid", lang), fontsize=FONT_SIZE)
    ax.set_xlabel(text("axis_year", lang), fontsize=FONT_SIZE)
    _style(ax)
    return figure


def fan_figure(
    series: pd.DataFrame,
    quantiles: dict[float, float],
    target_year: int,
    threshold: float,
    bands: dict,
    lang: str,
) -> Figure:
    """The published series (``series``: year, iid) and the forecast of ``target_year`` as
    nested 50/80/90 % ranges (``quantiles``: level -> IID) around the median, with the target
    line at ``threshold``, over the predicate bands."""
    figure = new_figure()
    ax = figure.add_subplot()
    shade_bands(ax, bands, lang)
    years = list(series["year"])
    ax.plot(years, series["iid"], marker="o", color=LINE_COLOUR, lw=2.2, zorder=3)
    median = quantiles[0.5]
    last_year, last = years[-1], float(series["iid"].iloc[-1])
    for (low, high), width, alpha in (((0.05, 0.95), 0.34, 0.25), ((0.10, 0.90), 0.26, 0.4),
                                      ((0.25, 0.75), 0.18, 0.65)):
        ax.fill_between(
            [target_year - width, target_year + width], quantiles[low], quantiles[high],
            color=LINE_COLOUR, alpha=alpha, lw=0, zorder=2,
        )
    ax.plot([last_year, target_year], [last, median], ls="--", color=LINE_COLOUR, lw=1.5, zorder=3)
    ax.plot([target_year], [median], marker="o", color="white", mec=LINE_COLOUR, mew=2, zorder=4)
    ax.text(target_year - 0.4, median, format_number(median, lang, 1), ha="right", va="bottom",
            fontsize=FONT_SIZE - 1, zorder=5)
    ax.axhline(threshold, color=TARGET_COLOUR, lw=1.8, zorder=3)
    ax.text(min(years) - 0.4, threshold + 0.6,
            text("label_target", lang, value=format_number(threshold, lang)), ha="left",
            va="bottom", fontsize=FONT_SIZE - 1, color=TARGET_COLOUR, zorder=5)
    ticks = list(range(min(years), target_year + 1))
    ax.set_xticks(ticks)
    ax.set_xlim(min(years) - 0.5, target_year + 0.6)
    # Zoomed to the data, in steps of 10, so the ranges stay readable at phone width.
    low = min(float(series["iid"].min()), quantiles[0.05], threshold)
    ax.set_ylim(max(0.0, 10 * (low // 10) - 5), 100)
    ax.set_ylabel(text("axis_iid", lang), fontsize=FONT_SIZE)
    ax.set_xlabel(text("axis_year", lang), fontsize=FONT_SIZE)
    _style(ax)
    return figure


def position_figure(components: pd.DataFrame, lang: str) -> Figure:
    """Horizontal bars of each component's score as a percent of its maximum, the score and
    maximum written beside each bar.

    ``components``: label, score, max (one row per component, drawn top to bottom).
    """
    figure = new_figure(height=1.1 + 0.75 * len(components))
    ax = figure.add_subplot()
    y = np.arange(len(components))[::-1]
    share = 100.0 * components["score"] / components["max"]
    ax.barh(y, [100.0] * len(components), color="#e6e6e6", height=0.6, zorder=1)
    ax.barh(y, share, color=LINE_COLOUR, height=0.6, zorder=2)
    for yi, row, pct in zip(y, components.itertuples(), share, strict=True):
        percent = format_number(pct, lang, 0) + ("\u00a0%" if lang == "id" else "%")
        ax.text(
            101, yi, f" {percent}\n {format_number(row.score, lang)} / "
            f"{format_number(row.max, lang, 0)}",
            va="center", ha="left", fontsize=FONT_SIZE - 2, linespacing=1.3,
        )
    ax.set_yticks(y, components["label"], fontsize=FONT_SIZE - 1)
    ax.set_xlim(0, 140)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel(text("axis_share", lang), fontsize=FONT_SIZE)
    _style(ax)
    return figure


def compare_figure(
    bau: dict[float, float] | None,
    plan_draws: np.ndarray,
    threshold: float,
    bands: dict,
    lang: str,
) -> Figure:
    """Business as usual (``bau``: forecast quantiles, level -> IID; None without a forecast)
    and the plan (``plan_draws``: simulated IIDs) as two horizontal intervals (thick 50 %,
    thin 90 %, dot at the median) over the predicate bands, with the target line."""
    figure = new_figure(height=2.6)
    ax = figure.add_subplot()
    rows = []
    if bau is not None:
        rows.append((text("label_bau", lang), bau[0.05], bau[0.25], bau[0.5], bau[0.75],
                     bau[0.95], "#8a8a8a"))
    q = np.quantile(np.asarray(plan_draws, dtype=float), [0.05, 0.25, 0.5, 0.75, 0.95])
    rows.append((text("label_plan", lang), *q, LINE_COLOUR))
    lows = [r[1] for r in rows] + [threshold]
    highs = [r[5] for r in rows] + [threshold]
    span_low = max(0.0, 5 * (min(lows) // 5) - 5)
    span_high = min(100.0, 5 * (max(highs) // 5) + 10)
    edges = sorted(bands.items(), key=lambda item: item[1])
    for i, (predicate, low) in enumerate(edges):
        high = edges[i + 1][1] if i + 1 < len(edges) else 100.0
        if high <= span_low or low >= span_high:
            continue
        ax.axvspan(low, high, color=BAND_COLOURS.get(predicate, "#eeeeee"), zorder=0, lw=0)
        ax.text(max(low, span_low) + 0.3, 0.98, predicate, transform=ax.get_xaxis_transform(),
                ha="left", va="top", fontsize=FONT_SIZE - 3, color="#555555", zorder=1)
    y = np.arange(len(rows))[::-1]
    for yi, (_, q05, q25, q50, q75, q95, colour) in zip(y, rows, strict=True):
        ax.plot([q05, q95], [yi, yi], color=colour, lw=2, zorder=2, solid_capstyle="butt")
        ax.plot([q25, q75], [yi, yi], color=colour, lw=9, zorder=3, solid_capstyle="butt")
        ax.plot([q50], [yi], marker="o", color="white", mec=colour, mew=2, ms=8, zorder=4)
        ax.text(q50, yi + 0.22, format_number(q50, lang, 1), ha="center", va="bottom",
                fontsize=FONT_SIZE - 2, zorder=5)
    ax.axvline(threshold, color=TARGET_COLOUR, lw=1.8, zorder=4)
    ax.text(threshold, -0.62, text("label_target", lang, value=format_number(threshold, lang)),
            ha="center", va="bottom", fontsize=FONT_SIZE - 3, color=TARGET_COLOUR, zorder=5)
    ax.set_yticks(y, [r[0] for r in rows], fontsize=FONT_SIZE - 1)
    ax.set_ylim(-0.7, len(rows) - 0.4)
    ax.set_xlim(span_low, span_high)
    ax.set_xlabel(text("axis_iid", lang), fontsize=FONT_SIZE)
    _style(ax)
    return figure


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG bytes, identical on every run (no software or time metadata)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def png_data_uri(figure: Figure) -> str:
    """The figure as a ``data:image/png;base64,...`` URI, for a self-contained page."""
    return "data:image/png;base64," + base64.b64encode(png_bytes(figure)).decode("ascii")
