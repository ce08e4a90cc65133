"""The funnel plot: every force's value against its population, with control limits at 95% and
99.8% around a comparator (peelkit.views.charts.FunnelChart).

Where a point lies against the limits is never shown by colour alone: each position has its own
marker shape and fill (a circle within the limits, triangles pointing up above and down below,
hollow beyond 95%, filled beyond 99.8%), the legend names them, and the table says it in words.
The highlighted force is drawn larger and labelled with its name and value. A point kept off
the scale (a population that misleads) is drawn at the top edge as an arrow with its value
written, and is not used for the axis limits.

Its SVG is written here, not saved from a matplotlib figure: a year's 43 force reports each
draw the funnel with their own force highlighted, and matplotlib's figure (even drawn once and
put together per highlight) was a tenth of their time, its ``<defs>``, ``<use>``, clip paths and
nested groups a cost again in the PDF. What is written is the figure matplotlib drew: the same
size, plot area, log scale across and linear scale up, the ticks matplotlib's locator and
formatter give (peelkit.reports.ticks), the lines, markers, labels and legend at the positions
matplotlib's layout gives them (text measured with matplotlib's font metrics,
:func:`peelkit.reports.svg.text_metrics`), as plain SVG elements in matplotlib's drawing order;
tests/reports/test_funnel_svg.py reads it back against what it was asked to draw and against
matplotlib's own axes.

Drawn elements carry ids: ``point-<label>``, ``label-<label>``, ``limit-<level>-upper`` /
``-lower``, ``reference-<comparator>``, ``off-scale-<label>``, ``off-scale-value-<label>`` and
``legend``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from peelkit.reports.chart import Chart
from peelkit.reports.svg import (
    BAR_COLOUR,
    FONT_SIZE,
    HIGHLIGHT_COLOUR,
    INK,
    _check_unique,
    join_words,
    slug,
    text_metrics,
    with_unit,
)
from peelkit.reports.svg_writing import (
    LABEL_PAD,
    TICK_LENGTH,
    TICK_PAD,
    line_style,
    marker_path,
    open_svg,
    spines,
    value_axis,
)
from peelkit.reports.svg_writing import font as _font
from peelkit.reports.svg_writing import number as _n
from peelkit.views.charts import FunnelChart, FunnelPoint

# Where a point lies → (marker, filled); order is the legend's.
POSITIONS: tuple[tuple[str, str, bool], ...] = (
    ("above the 99.8% limit", "^", True),
    ("above the 95% limit", "^", False),
    ("within the limits", "o", False),
    ("below the 95% limit", "v", False),
    ("below the 99.8% limit", "v", True),
)
LIMIT_STYLES = {"95%": "--", "99.8%": ":"}
OUTSIDE_COLOUR = "#1f5f99"

WIDTH, HEIGHT = 6.6 * 72, 3.9 * 72  # the figure, in points
LEFT, RIGHT, BOTTOM = 60.0, 150.0, 40.0  # margins around the plot
TOP, TOP_OFF_SCALE = 14.0, 26.0  # room above the plot for off-scale arrows and their values
TICK_SIZE = 7.0
LEGEND_SIZE = FONT_SIZE - 0.5
WHITE = "#ffffff"


def _style(significance: str) -> tuple[str, bool]:
    for name, marker, filled in POSITIONS:
        if name == significance:
            return marker, filled
    return "D", False  # a call the chart does not know: a diamond, named in the table


def funnel_chart(spec: FunnelChart) -> Chart:
    """The funnel plot a specification describes: vector SVG, alt text and its data table
    (one row per force: name, population, value, where it lies against the limits)."""
    _check_unique("forces", [p.label for p in spec.points])
    on_scale = [p for p in spec.points if not p.off_scale]
    beyond = [p for p in spec.points if p.off_scale]
    columns: tuple[str, ...] = ("Force", spec.population_label, spec.unit, "Against the limits")
    notes = any(p.note for p in spec.points)
    if notes:
        columns += ("Note",)
    rows = tuple(
        (
            p.label,
            p.population_display,
            p.display,
            "off the scale" if p.off_scale else p.significance,
            *((p.note or "",) if notes else ()),
        )
        for p in spec.points
    )
    alt = _funnel_alt(spec, on_scale, beyond)
    return Chart(spec.title, _svg(spec, alt), alt, columns, rows)


@dataclass(frozen=True)
class _Frame:
    """The plot area in SVG coordinates (points, y down) and the view it shows: populations on
    a log scale across, values on a linear scale up, as matplotlib's axes transform them."""

    left: float
    right: float
    bottom: float
    top: float
    x_view: tuple[float, float]
    y_view: tuple[float, float]

    def x_at(self, population: float) -> float:
        low, high = (math.log10(v) for v in self.x_view)
        return self.left + (math.log10(population) - low) / (high - low) * (self.right - self.left)

    def y_at(self, value: float) -> float:
        low, high = self.y_view
        return self.bottom - (value - low) / (high - low) * (self.bottom - self.top)


def _frame(spec: FunnelChart) -> _Frame:
    """The plot area and the view the old figure set: every population and value on the scale
    (the points', the limits' and the comparator's, with zero), with a little room around."""
    on_scale = [p for p in spec.points if not p.off_scale]
    top = TOP_OFF_SCALE if len(on_scale) < len(spec.points) else TOP
    xs = _scale_populations(spec)
    ys = [p.value for p in on_scale] + [spec.comparator_value]
    for limit in spec.limits:
        ys.extend([*limit.lower, *limit.upper])
    low_y, high_y = min([0.0, *ys]), max(ys)
    span = (high_y - low_y) or 1.0
    y_low = max(0.0, low_y - 0.04 * span) if low_y >= 0 else low_y
    return _Frame(
        LEFT,
        WIDTH - RIGHT,
        HEIGHT - BOTTOM,
        top,
        (min(xs or [1.0]) / 1.05, max(xs or [1.0]) * 1.05),
        (y_low, high_y + 0.06 * span),
    )


def _scale_populations(spec: FunnelChart) -> list[float]:
    """The populations the scale across spans: the points' on the scale and the limits'."""
    xs = [p.population for p in spec.points if not p.off_scale]
    for limit in spec.limits:
        xs.extend(limit.populations)
    return xs


def _svg(spec: FunnelChart, alt: str) -> str:
    """The chart's ``<svg>``, written directly in matplotlib's drawing order (axes, lines,
    spines, labels, points, the highlighted ones on top, arrows, legend) as plain elements: no
    ``<use>``, no clip path (everything drawn on the scale is inside the view by its
    construction), no groups but one level of ``<g id=..>``."""
    frame = _frame(spec)
    out = [open_svg(WIDTH, HEIGHT, spec.title, alt)]
    out.append(_x_axis(frame, f"{spec.population_label} (log scale)"))
    plot = (frame.left, frame.right, frame.top, frame.bottom)
    out.append(value_axis(plot, frame.y_view, frame.y_at, spec.unit, TICK_SIZE))
    out.append(_limit_lines(spec, frame))
    out.append(spines(plot))
    on_scale = [p for p in spec.points if not p.off_scale]
    out.append(_point_labels(spec, frame, on_scale))
    arrows = _off_scale_arrows(spec, frame)
    out.extend(text for _, text in arrows)
    out.append(_points(frame, [p for p in on_scale if not p.highlighted]))
    out.append(_points(frame, [p for p in on_scale if p.highlighted]))
    out.extend(arrow for arrow, _ in arrows)
    out.append(_legend(spec, frame, on_scale))
    out.append("</svg>\n")
    return "".join(out)


TICKS = (1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8)


def _population_ticks(low: float, high: float) -> list[tuple[float, str]]:
    """Round populations in the view as ticks, written out ("500,000", "2m"); no minor ticks."""
    return [(t, f"{t / 1e6:g}m" if t >= 1e6 else f"{t:,.0f}") for t in TICKS if low <= t <= high]


def _x_axis(frame: _Frame, label: str) -> str:
    """The population ticks below the plot, their labels and the axis' name under them
    (matplotlib puts the name a label pad below the tick labels' lowest edge)."""
    out = [' <g id="x-axis">\n']
    below = frame.bottom  # the lowest edge of the tick labels
    for tick, text in _population_ticks(*frame.x_view):
        x = frame.x_at(tick)
        _, ascent, descent = text_metrics(text, TICK_SIZE)
        top = frame.bottom + TICK_LENGTH + TICK_PAD
        below = max(below, top + ascent + descent)
        out.append(
            f'  <path d="M {_n(x)} {_n(frame.bottom)} L {_n(x)} {_n(frame.bottom + TICK_LENGTH)}"'
            f' style="stroke: {INK}; stroke-width: 0.8"/>\n'
            f'  <text x="{_n(x)}" y="{_n(top + ascent)}" style="{_font(TICK_SIZE)};'
            f' text-anchor: middle; fill: {INK}">{escape(text)}</text>\n'
        )
    _, ascent, _ = text_metrics(label, FONT_SIZE)
    middle = (frame.left + frame.right) / 2
    out.append(
        f'  <text x="{_n(middle)}" y="{_n(below + LABEL_PAD + ascent)}" style="{_font(FONT_SIZE)};'
        f' text-anchor: middle; fill: {INK}">{escape(label)}</text>\n'
    )
    out.append(" </g>\n")
    return "".join(out)


def _limit_lines(spec: FunnelChart, frame: _Frame) -> str:
    """Each limit's upper and lower curve, straight between its points on the log scale, and
    the comparator's line across the plot."""
    out = []
    for limit in spec.limits:
        style = line_style(INK, 0.9, LIMIT_STYLES.get(limit.level, "-."))
        for side, values in (("upper", limit.upper), ("lower", limit.lower)):
            path = " L ".join(
                f"{_n(frame.x_at(p))} {_n(frame.y_at(v))}"
                for p, v in zip(limit.populations, values, strict=True)
            )
            tag = f"limit-{slug(limit.level)}-{side}"
            out.append(f' <path id="{tag}" d="M {path}" style="{style}"/>\n')
    y = _n(frame.y_at(spec.comparator_value))
    out.append(
        f' <path id="reference-{slug(spec.comparator)}" d="M {_n(frame.left)} {y}'
        f' L {_n(frame.right)} {y}" style="{line_style(INK, 1.0, "-")}"/>\n'
    )
    return "".join(out)


def _point_labels(spec: FunnelChart, frame: _Frame, on_scale: Sequence[FunnelPoint]) -> str:
    """Each highlighted point's name and value in bold, 6 points above it and to the side
    away from the plot's nearer edge (matplotlib's annotation, its bottom at that offset)."""
    xs = _scale_populations(spec)
    out = []
    for point in on_scale:
        if not point.highlighted:
            continue
        text = f"{point.label} {point.display}"
        right_half = point.population > (min(xs) * max(xs)) ** 0.5
        _, _, descent = text_metrics(text, FONT_SIZE, True)
        x = frame.x_at(point.population) + (-6 if right_half else 6)
        y = frame.y_at(point.value) - 6 - descent
        anchor = "end" if right_half else "start"
        out.append(
            f' <text id="label-{slug(point.label)}" x="{_n(x)}" y="{_n(y)}" style="font-weight:'
            f' 700; {_font(FONT_SIZE)}; text-anchor: {anchor}; fill: {HIGHLIGHT_COLOUR}">'
            f"{escape(text)}</text>\n"
        )
    return "".join(out)


def _off_scale_arrows(spec: FunnelChart, frame: _Frame) -> list[tuple[str, str]]:
    """Each off-scale point's arrow on the plot's top edge (at its population, kept a little
    inside the view) and its value written beside it: (arrow, text) per point. The text is
    drawn under the points, the arrow above them, as matplotlib's z-order has it."""
    low, high = frame.x_view
    out = []
    for point in spec.points:
        if not point.off_scale:
            continue
        key = slug(point.label)
        x = frame.x_at(min(max(point.population, low * 1.08), high / 1.08))
        arrow = (
            f' <path id="off-scale-{key}" d="{marker_path("^", 7.0, [(x, frame.top)])}"'
            f' style="fill: {INK}; stroke: {INK}; stroke-width: 1; stroke-linejoin: miter"/>\n'
        )
        text = f"{point.label} {point.display} (off the scale)"
        _, _, descent = text_metrics(text, FONT_SIZE, point.highlighted)
        weight = "font-weight: 700; " if point.highlighted else ""
        written = (
            f' <text id="off-scale-value-{key}" x="{_n(x + 6)}" y="{_n(frame.top - 2 - descent)}"'
            f' style="{weight}{_font(FONT_SIZE)}; text-anchor: start; fill: {INK}">'
            f"{escape(text)}</text>\n"
        )
        out.append((arrow, written))
    return out


def _points(frame: _Frame, points: Sequence[FunnelPoint]) -> str:
    """Each point's marker at its population and value: its shape and fill say where it lies
    against the limits, its colour whether it is outside them or highlighted."""
    out = []
    for point in points:
        marker, filled = _style(point.significance)
        outside = point.significance != "within the limits"
        if point.highlighted:
            colour, size, edge = HIGHLIGHT_COLOUR, 8.5, 1.6
        else:
            colour, size, edge = (OUTSIDE_COLOUR if outside else INK), 5.5, 0.9
        face = colour if filled else (WHITE if outside else BAR_COLOUR)
        centre = (frame.x_at(point.population), frame.y_at(point.value))
        out.append(
            f' <path id="point-{slug(point.label)}" d="{marker_path(marker, size, [centre])}"'
            f' style="{_marker_style(marker, face, colour, edge)}"/>\n'
        )
    return "".join(out)


def _marker_style(marker: str, face: str, edge: str, width: float) -> str:
    """A marker's SVG style: matplotlib joins a circle's outline round, the others' mitred."""
    join = "round" if marker == "o" else "miter"
    return f"fill: {face}; stroke: {edge}; stroke-width: {_n(width)}; stroke-linejoin: {join}"


def _legend(spec: FunnelChart, frame: _Frame, on_scale: Sequence[FunnelPoint]) -> str:
    """The legend as matplotlib lays it out to the right of the plot (loc upper left, anchored
    at 1.02 of the plot's width and its top, no frame): the limits' line styles, the
    comparator's line, then a marker for each position a point is shown in, one entry a row."""
    size = LEGEND_SIZE
    handle, gap, spacing = 2.6 * size, 0.8 * size, 0.5 * size
    pad = 0.5 * size + 0.4 * size  # borderaxespad, then borderpad
    left = frame.left + 1.02 * (frame.right - frame.left) + pad
    top = frame.top + pad
    least = text_metrics("lp", size)[1]  # matplotlib's TextArea: at least "lp"'s ascent
    out = [' <g id="legend">\n']
    for sample, name in _legend_entries(spec, on_scale):
        _, ascent, descent = text_metrics(name, size)
        baseline = top + max(0.7 * size, least, ascent)
        y = baseline - 0.35 * size  # the middle of the handle's box, which sits on the baseline
        middle = left + handle / 2
        if isinstance(sample, tuple):
            marker, filled = sample
            face = INK if filled else WHITE
            out.append(
                f'  <path d="{marker_path(marker, 5.5, [(middle, y)])}"'
                f' style="{_marker_style(marker, face, INK, 1.0)}"/>\n'
            )
        else:
            out.append(
                f'  <path d="M {_n(left)} {_n(y)} L {_n(middle)} {_n(y)} L {_n(left + handle)}'
                f' {_n(y)}" style="{sample}"/>\n'
            )
        out.append(
            f'  <text x="{_n(left + handle + gap)}" y="{_n(baseline)}"'
            f' style="{_font(size)}">{escape(name)}</text>\n'
        )
        top = baseline + descent + spacing
    out.append(" </g>\n")
    return "".join(out)


def _legend_entries(
    spec: FunnelChart, on_scale: Sequence[FunnelPoint]
) -> list[tuple[str | tuple[str, bool], str]]:
    """The legend's entries in matplotlib's order (the order the old figure's artists were
    added): (a line's style or a marker's (shape, filled), the entry's name)."""
    entries: list[tuple[str | tuple[str, bool], str]] = [
        (line_style(INK, 0.9, LIMIT_STYLES.get(limit.level, "-.")), f"{limit.level} limits")
        for limit in spec.limits
    ]
    entries.append(
        (line_style(INK, 1.0, "-"), f"{spec.comparator} {spec.comparator_display}"),
    )
    shown = {p.significance for p in on_scale}
    entries.extend(
        ((marker, filled), name[0].upper() + name[1:])
        for name, marker, filled in POSITIONS
        if name in shown
    )
    return entries


def _funnel_alt(
    spec: FunnelChart, on_scale: Sequence[FunnelPoint], beyond: Sequence[FunnelPoint]
) -> str:
    levels = join_words([limit.level for limit in spec.limits])
    parts = [
        f"Funnel plot of {len(spec.points)} forces: {with_unit(spec.title, spec.unit)}. "
        f"{spec.population_label} on a log scale across, with the {levels} control limits "
        f"around {spec.comparator} ({spec.comparator_display})."
    ]
    for name, _, _ in POSITIONS:
        if name == "within the limits":
            continue
        found = [p.label for p in on_scale if p.significance == name]
        if found:
            parts.append(f"{name[0].upper()}{name[1:]}: {join_words(found)}.")
    within = sum(1 for p in on_scale if p.significance == "within the limits")
    parts.append(f"{within or 'None'} within the limits.")
    for point in on_scale:
        if point.highlighted:
            parts.append(
                f"{point.label}: {point.display} with a {spec.population_label.lower()} of "
                f"{point.population_display}, {point.significance}."
            )
    for point in beyond:
        parts.append(
            f"{point.label} ({point.display}) is drawn off the scale"
            + (f": {point.note}" if point.note else ".")
        )
    return " ".join(parts)
