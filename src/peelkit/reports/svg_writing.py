"""What the charts that write their SVG themselves share (peelkit.reports.trend_chart,
ranked_chart, funnel_chart): the document's opening, numbers as matplotlib's SVG writer prints
them, the font, matplotlib's dash patterns and marker shapes.

Those charts write the chart matplotlib drew (same figure size, plot area, scale, ticks, text
positions from matplotlib's font metrics) as plain SVG elements, because building and saving a
matplotlib figure per force report was most of the reports' time."""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from peelkit.reports.svg import FONT_STACK, _digest


def number(value: float) -> str:
    """A coordinate as matplotlib's SVG writer prints one: six decimals, trailing zeros cut."""
    text = f"{value:f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def font(size: float) -> str:
    """The style of text at ``size`` points."""
    return f"font-size: {number(size)}px; {FONT_STACK}"


def open_svg(width: float, height: float, title: str, alt: str) -> str:
    """The ``<svg>`` element's opening: its size, ``<title>`` and ``<desc>`` (ids salted with
    the chart's title and alt text, so charts on one page do not share ids) and a white
    background."""
    digest = _digest(title, alt)
    title_id, desc_id = f"chart-{digest}-title", f"chart-{digest}-desc"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1"'
        f' viewBox="0 0 {number(width)} {number(height)}"'
        f' style="width: 100%; max-width: {number(width)}pt; height: auto" role="img"'
        f" aria-labelledby={quoteattr(title_id)} aria-describedby={quoteattr(desc_id)}>\n"
        f" <title id={quoteattr(title_id)}>{escape(title)}</title>\n"
        f" <desc id={quoteattr(desc_id)}>{escape(alt)}</desc>\n"
        f' <rect width="{number(width)}" height="{number(height)}" style="fill: #ffffff"/>\n'
    )


# matplotlib's dash patterns (rcParams lines.*_pattern), scaled by the line's width
DASHES: dict[str, tuple[float, ...]] = {
    "--": (3.7, 1.6),
    ":": (1.0, 1.65),
    "-.": (6.4, 1.6, 1.0, 1.6),
}


def line_style(colour: str, width: float, dash: str | tuple[float, tuple[float, ...]]) -> str:
    """The SVG style of a line as matplotlib writes it: solid (``"-"``), one of matplotlib's
    named dash patterns, or an (offset, pattern) pair, the pattern scaled by the width."""
    if dash == "-":
        return (
            f"fill: none; stroke: {colour}; stroke-width: {number(width)}; stroke-linecap: square;"
            " stroke-linejoin: round"
        )
    pattern = DASHES[dash] if isinstance(dash, str) else dash[1]
    dashes = ",".join(number(d * width) for d in pattern)
    return (
        f"fill: none; stroke-dasharray: {dashes}; stroke-dashoffset: 0;"
        f" stroke: {colour}; stroke-width: {number(width)};"
        " stroke-linejoin: round"
    )


# each marker's outline for a marker size of 1, centred on the point, SVG's y down
SHAPES: dict[str, tuple[tuple[float, float], ...]] = {
    "s": ((-0.5, 0.5), (0.5, 0.5), (0.5, -0.5), (-0.5, -0.5)),
    "^": ((0.0, -0.5), (-0.5, 0.5), (0.5, 0.5)),
    "v": ((0.0, 0.5), (0.5, -0.5), (-0.5, -0.5)),
    "D": (
        (0.0, 0.5 * math.sqrt(2)),
        (0.5 * math.sqrt(2), 0.0),
        (0.0, -0.5 * math.sqrt(2)),
        (-0.5 * math.sqrt(2), 0.0),
    ),
    "P": tuple(
        (x / 6, -y / 6)
        for x, y in (
            (-1, -3),
            (1, -3),
            (1, -1),
            (3, -1),
            (3, 1),
            (1, 1),
            (1, 3),
            (-1, 3),
            (-1, 1),
            (-3, 1),
            (-3, -1),
            (-1, -1),
        )
    ),
}


def marker_path(shape: str, size: float, points: Sequence[tuple[float, float]]) -> str:
    """One path drawing the marker ``shape`` (``"o"`` or a key of :data:`SHAPES`) of ``size``
    points at each of ``points`` (SVG coordinates)."""
    parts = []
    for x, y in points:
        if shape == "o":
            r = size / 2
            parts.append(
                f"M {number(x + r)} {number(y)} A {number(r)} {number(r)} 0 1 1 {number(x - r)}"
                f" {number(y)} A {number(r)} {number(r)} 0 1 1 {number(x + r)} {number(y)} Z"
            )
        else:
            corners = [
                f"{number(x + dx * size)} {number(y + dy * size)}" for dx, dy in SHAPES[shape]
            ]
            parts.append("M " + " L ".join(corners) + " Z")
    return " ".join(parts)
