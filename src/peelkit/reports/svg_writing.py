"""What the charts that write their SVG themselves share (peelkit.reports.trend_chart,
ranked_chart, funnel_chart): the document's opening, numbers as matplotlib's SVG writer prints
them, the font, matplotlib's dash patterns and marker shapes, the value axis and the spines.

Those charts write the chart matplotlib drew (same figure size, plot area, scale, ticks, text
positions from matplotlib's font metrics) as plain SVG elements, because building and saving a
matplotlib figure per force report was most of the reports' time."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape, quoteattr

from peelkit.reports.svg import FONT_SIZE, FONT_STACK, GRID, INK, _digest, text_metrics
from peelkit.reports.ticks import auto_bins, in_view, raw_ticks, tick_labels


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


TICK_LENGTH, TICK_PAD, LABEL_PAD = 3.5, 3.5, 4.0  # matplotlib's defaults, in points


def spines(plot: tuple[float, float, float, float]) -> str:
    """The plot's left and bottom edges (``plot``: its left, right, top and bottom), as
    matplotlib draws its spines; the top and right ones hidden."""
    left, right, top, bottom = (number(v) for v in plot)
    edge = "fill: none; stroke: #000000; stroke-width: 0.8; stroke-linecap: square"
    return (
        f' <path d="M {left} {bottom} L {left} {top}" style="{edge}"/>\n'
        f' <path d="M {left} {bottom} L {right} {bottom}" style="{edge}"/>\n'
    )


def value_axis(
    plot: tuple[float, float, float, float],
    view: tuple[float, float],
    y_at: Callable[[float], float],
    unit: str,
    tick_size: float,
) -> str:
    """A linear value axis up the left of the plot (``plot``: its left, right, top and bottom
    in SVG's coordinates, y down), as matplotlib draws it: its automatic ticks for the plot's
    height (:mod:`peelkit.reports.ticks`), a grid line across the plot at each, the tick marks
    and their labels, and ``unit`` turned up the left a label pad beyond the widest label.
    ``y_at`` places a value of ``view``."""
    left, right, top, bottom = plot
    low, high = view
    raw = raw_ticks(low, high, auto_bins(bottom - top, tick_size))
    labels = dict(zip(raw, tick_labels(raw, low, high), strict=True))
    ticks = in_view(raw, low, high)
    out = [' <g id="y-axis">\n']
    for tick in ticks:
        y = y_at(tick)
        out.append(
            f'  <path d="M {number(left)} {number(y)} L {number(right)} {number(y)}"'
            f' style="fill: none; stroke: {GRID}; stroke-width: 0.6; stroke-linecap: square"/>\n'
        )
    widest = 0.0
    for tick in ticks:
        y = y_at(tick)
        text = labels[tick]
        width, ascent, _ = text_metrics(text, tick_size)
        widest = max(widest, width)
        out.append(
            f'  <path d="M {number(left)} {number(y)} L {number(left - TICK_LENGTH)} {number(y)}"'
            f' style="stroke: {INK}; stroke-width: 0.8"/>\n'
            f'  <text x="{number(left - TICK_LENGTH - TICK_PAD)}" y="{number(y + ascent / 2)}"'
            f' style="{font(tick_size)}; text-anchor: end; fill: {INK}">{escape(text)}</text>\n'
        )
    if unit:
        _, _, descent = text_metrics(unit, FONT_SIZE)
        ux = left - TICK_LENGTH - TICK_PAD - widest - LABEL_PAD - descent
        uy = (top + bottom) / 2
        out.append(
            f'  <text x="{number(ux)}" y="{number(uy)}"'
            f' transform="rotate(-90 {number(ux)} {number(uy)})"'
            f' style="{font(FONT_SIZE)}; text-anchor: middle; fill: {INK}">{escape(unit)}</text>\n'
        )
    out.append(" </g>\n")
    return "".join(out)
