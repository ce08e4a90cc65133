"""The trend chart: values over periods, one line per series.

Its SVG is written here, not saved from a matplotlib figure: a year's 43 force reports each
draw a trend chart of their own, and building and saving 43 figures was a quarter of their
time. What is written is the chart matplotlib drew: the same figure size, plot area and scale,
the ticks matplotlib's locator and formatter give (peelkit.reports.ticks), the lines, markers,
legend, tick labels and trend marker at the positions matplotlib's layout gives them (text
measured with matplotlib's font metrics, :func:`peelkit.reports.svg.text_metrics`), as plain
SVG elements; tests/reports/test_trend_svg.py reads it back against what it was asked to
draw and against matplotlib's axis.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from peelkit.reports.chart import Chart
from peelkit.reports.svg import (
    FONT_SIZE,
    INK,
    NO_DATA,
    SERIES_COLOURS,
    SERIES_MARKERS,
    SERIES_STYLES,
    _check_unique,
    _decimals,
    format_number,
    join_words,
    slug,
    text_metrics,
    text_width,
    with_unit,
)
from peelkit.reports.svg_writing import font as _font
from peelkit.reports.svg_writing import line_style, marker_path, open_svg, spines, value_axis
from peelkit.reports.svg_writing import number as _n


def trend_chart(
    title: str,
    periods: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    unit: str,
    highlight: str | None = None,
    *,
    displays: Mapping[str, Sequence[str | None]] | None = None,
    marker: str | None = None,
) -> Chart:
    """One line per series over the periods; gaps where a value is missing (None).

    Lines differ in colour, line style and marker; the highlighted series is drawn thicker.
    The table has one row per period and one column per series. ``displays`` (series name →
    one printed value per period, e.g. the indicator engine's ``display``) gives the table's
    and the alt text's values; without it values are printed with the fewest decimal places
    (at most two) that show them. ``marker`` (the tested trend in words) is printed above the
    plot, ends the alt text and is the table's last row.
    """
    _check_unique("series", [name for name, _ in series])
    for name, points in series:
        if len(points) != len(periods):
            raise ValueError(f"series {name!r} has {len(points)} values for {len(periods)} periods")
    if highlight is not None and highlight not in {name for name, _ in series}:
        raise ValueError(f"the highlighted series {highlight!r} is not among the series")
    known = [v for _, points in series for v in points if v is not None]
    printed = _printed_series(series, len(periods), displays)
    rows = tuple(
        (period, *(printed[name][i] for name, _ in series)) for i, period in enumerate(periods)
    )
    if marker:  # under the highlighted (else the first) series
        focus = highlight if highlight is not None else (series[0][0] if series else None)
        rows += (("Trend", *(marker if name == focus else "" for name, _ in series)),)

    alt = _trend_alt(title, unit, periods, series, highlight, printed)
    if marker:
        alt += f" {marker}"
    names = tuple(name for name, _ in series)
    shown = _Shown(
        names,
        tuple(tuple(math.nan if v is None else v for v in points) for _, points in series),
        highlight,
        marker or "",
        (min([0.0, *known]), max([0.0, *known]) or 1.0),
    )
    svg = _svg(_layout(tuple(periods), names, unit, highlight, marker), shown, title, alt)
    return Chart(title, svg, alt, ("Period", *names), rows)


@dataclass(frozen=True)
class _Layout:
    """What a trend chart's figure is made of apart from its figures and names: every chart
    with the same layout is drawn on one figure, its lines, names and scale set anew."""

    periods: tuple[str, ...]
    unit: str
    count: int  # series
    highlighted: int | None  # the highlighted series' place
    marked: bool  # a trend is printed above the plot
    width: float
    height: float
    left: float
    bottom: float
    plot_width: float
    plot_height: float
    legend_height: float
    columns: int
    rotate: bool


@dataclass(frozen=True)
class _Shown:
    """What a trend chart's figure shows on its layout."""

    names: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]  # NaN where a value is missing
    highlight: str | None
    marker: str
    span: tuple[float, float]  # lowest and highest value, with 0


TICK_SIZE = 7.0
TURN = math.radians(30)  # how far long period labels are turned (rotate(-30) in the SVG)


def _layout(
    periods: tuple[str, ...],
    names: tuple[str, ...],
    unit: str,
    highlight: str | None,
    marker: str | None,
) -> _Layout:
    longest = max((text_width(p, TICK_SIZE) for p in periods), default=0.0)
    step = 72 * max(0.6, min(1.4, (longest + 10) / 72))
    rotate = longest + 6 > step
    bottom = (longest * 0.6 + 10 if rotate else 16) + 14
    plot_width = max(4.0 * 72, step * max(len(periods), 1))
    plot_height = 2.6 * 72
    left, right, top = 56.0, 16.0, 12.0 + (14.0 if marker else 0.0)
    if rotate and periods:
        # room for the first turned label, which reaches left of its tick by its width
        # across (matplotlib's figure cut it off at the edge: "12 months to 30 September")
        width, _, descent = text_metrics(periods[0], TICK_SIZE)
        reach = width * math.cos(TURN) + descent * math.sin(TURN)
        tick = 0.4 / (max(len(periods) - 1, 0) + 0.8) * plot_width
        left = max(left, reach + 4 - tick)
    width = left + plot_width + right
    # as many legend columns as fit across the figure
    entry = max((text_width(name, bold=True) for name in names), default=0.0) + 52
    columns = max(1, min(len(names), int((width - 16) // entry)))
    legend_height = 14.0 * math.ceil(len(names) / columns) + 6
    height = top + plot_height + bottom + legend_height
    return _Layout(
        periods,
        unit,
        len(names),
        names.index(highlight) if highlight is not None else None,
        bool(marker),
        width,
        height,
        left,
        bottom,
        plot_width,
        plot_height,
        legend_height,
        columns,
        rotate,
    )


def _svg(layout: _Layout, shown: _Shown, title: str, alt: str) -> str:
    """The chart's ``<svg>``, written directly: what matplotlib drew for the layout and
    ``shown`` (the same figure size, plot area, scale, ticks and their labels, lines, markers,
    legend and trend marker, at matplotlib's positions), as plain elements (no ``<use>``, no
    clip path, no nested groups). tests/reports/test_trend_svg.py reads it back."""
    width, height = layout.width, layout.height
    x0 = layout.left
    x1 = x0 + layout.plot_width
    y0 = height - layout.bottom - layout.legend_height  # the plot's bottom (SVG y grows down)
    y1 = y0 - layout.plot_height
    count = len(layout.periods)
    x_low, x_high = -0.4, max(count - 1, 0) + 0.4
    low, high = shown.span
    y_low, y_high = low * 1.1, high * 1.12

    def x_at(position: float) -> float:
        return x0 + (position - x_low) / (x_high - x_low) * layout.plot_width

    def y_at(value: float) -> float:
        return y0 - (value - y_low) / (y_high - y_low) * layout.plot_height

    out = [open_svg(width, height, title, alt)]
    # the x axis: a tick and a label for each period
    out.append(' <g id="x-axis">\n')
    for position, period in enumerate(layout.periods):
        x = x_at(position)
        out.append(
            f'  <path d="M {_n(x)} {_n(y0)} L {_n(x)} {_n(y0 + 3.5)}"'
            f' style="stroke: #000000; stroke-width: 0.8"/>\n'
        )
        w, ascent, descent = text_metrics(period, TICK_SIZE)
        if layout.rotate:  # matplotlib: the turned label's box, its top right at the tick
            cos, sin = math.cos(TURN), math.sin(TURN)
            sx = x - (w * cos + descent * sin)
            sy = y0 + 7 + w * sin + ascent * cos
            placed = f'transform="translate({_n(sx)} {_n(sy)}) rotate(-30)"'
            anchor = ""
        else:
            placed = f'x="{_n(x)}" y="{_n(y0 + 7 + ascent)}"'
            anchor = "; text-anchor: middle"
        out.append(
            f'  <text {placed} style="{_font(TICK_SIZE)}{anchor}; fill: {INK}">'
            f"{escape(period)}</text>\n"
        )
    out.append(" </g>\n")
    # the y axis: grid lines, ticks, their labels and the unit
    out.append(value_axis((x0, x1, y1, y0), (y_low, y_high), y_at, layout.unit, TICK_SIZE))
    # the axes' left and bottom edges
    out.append(spines((x0, x1, y1, y0)))
    # the lines, the highlighted one last (on top)
    order = [i for i in range(len(shown.names)) if i != layout.highlighted]
    if layout.highlighted is not None:
        order.append(layout.highlighted)
    for index in order:
        name, values = shown.names[index], shown.values[index]
        style = _Style.of(index, index == layout.highlighted)
        runs: list[list[tuple[float, float]]] = []
        previous_missing = True
        for position, value in enumerate(values):
            if math.isnan(value):
                previous_missing = True
                continue
            if previous_missing:
                runs.append([])
            runs[-1].append((x_at(position), y_at(value)))
            previous_missing = False
        points = [p for run in runs for p in run]
        line = " ".join("M " + " L ".join(f"{_n(x)} {_n(y)}" for x, y in run) for run in runs)
        out.append(f' <g id="{escape(f"series-{slug(name)}")}">\n')
        out.append(f'  <path d="{line}" style="{style.line}"/>\n')
        if points:
            out.append(f'  <path d="{style.markers(points)}" style="{style.marker}"/>\n')
        out.append(" </g>\n")
    if layout.marked:
        _, ascent, _ = text_metrics(shown.marker, FONT_SIZE, True)
        out.append(
            f' <text id="trend-marker" x="{_n(x0)}" y="{_n(4 + ascent)}" style="font-weight: 700;'
            f' {_font(FONT_SIZE)}; fill: {INK}">{escape(shown.marker)}</text>\n'
        )
    out.append(_legend(layout, shown, width, height))
    out.append("</svg>\n")
    return "".join(out)


def _legend(layout: _Layout, shown: _Shown, width: float, height: float) -> str:
    """The legend as matplotlib lays it out at the bottom centre: columns filled in turn (the
    first ones one entry longer), each entry a sample of the line with its marker and the name,
    the highlighted series' name in bold."""
    handle, gap, spacing, pad = 3.2 * FONT_SIZE, 0.8 * FONT_SIZE, 2.0 * FONT_SIZE, 0.4 * FONT_SIZE
    entries = list(range(len(shown.names)))
    count = len(entries)
    columns: list[list[int]] = []
    at = 0
    for place in range(min(layout.columns, count)):
        size = count // layout.columns + (1 if place < count % layout.columns else 0)
        columns.append(entries[at : at + size])
        at += size
    metrics = [text_metrics(name, FONT_SIZE, name == shown.highlight) for name in shown.names]
    column_widths = [max(handle + gap + metrics[i][0] for i in column) for column in columns]
    total = sum(column_widths) + spacing * (len(columns) - 1)
    rows = max((len(column) for column in columns), default=0)
    least = text_metrics("lp", FONT_SIZE)[1]  # matplotlib's TextArea: at least "lp"'s ascent
    ascent = max((max(5.6, least, m[1]) for m in metrics), default=0.0)
    descent = max((m[2] for m in metrics), default=0.0)
    pitch = ascent + descent + 0.5 * FONT_SIZE
    first_baseline = height - (2 + 0.5 * FONT_SIZE + pad) - descent - (rows - 1) * pitch
    out = [' <g id="legend">\n']
    left = width / 2 - total / 2
    for column, column_width in zip(columns, column_widths, strict=True):
        for row, index in enumerate(column):
            name = shown.names[index]
            baseline = first_baseline + row * pitch
            y = baseline - 2.8
            style = _Style.of(index, index == layout.highlighted)
            middle = left + handle / 2
            out.append(
                f'  <path d="M {_n(left)} {_n(y)} L {_n(middle)} {_n(y)} L {_n(left + handle)}'
                f' {_n(y)}" style="{style.line}"/>\n'
                f'  <path d="{style.markers([(middle, y)])}" style="{style.marker}"/>\n'
            )
            weight = "font-weight: 700; " if name == shown.highlight else ""
            out.append(
                f'  <text x="{_n(left + handle + gap)}" y="{_n(baseline)}"'
                f' style="{weight}{_font(FONT_SIZE)}">{escape(name)}</text>\n'
            )
        left += column_width + spacing
    out.append(" </g>\n")
    return "".join(out)


@dataclass(frozen=True)
class _Style:
    """How a series is drawn: its line's and its markers' SVG style, its marker's shape."""

    line: str
    marker: str
    shape: str
    size: float

    @classmethod
    def of(cls, index: int, highlighted: bool) -> _Style:
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        dash = SERIES_STYLES[index % len(SERIES_STYLES)]
        shape = SERIES_MARKERS[index % len(SERIES_MARKERS)]
        width = 2.6 if highlighted else 1.5
        line = line_style(colour, width, dash)
        join = "round" if shape == "o" else "miter"
        marker = f"fill: {colour}; stroke: {colour}; stroke-width: 1; stroke-linejoin: {join}"
        return cls(line, marker, shape, 6.0 if highlighted else 4.5)

    def markers(self, points: Sequence[tuple[float, float]]) -> str:
        """One path of every point's marker."""
        return marker_path(self.shape, self.size, points)


def _printed_series(
    series: Sequence[tuple[str, Sequence[float | None]]],
    count: int,
    displays: Mapping[str, Sequence[str | None]] | None,
) -> dict[str, list[str]]:
    """Each series' values as printed: the given displays, else formatted; "no data" for None."""
    places = _decimals([v for _, points in series for v in points if v is not None])
    printed: dict[str, list[str]] = {}
    for name, points in series:
        given = (displays or {}).get(name)
        if given is not None and len(given) != count:
            raise ValueError(f"series {name!r} has {len(given)} displays for {count} periods")
        shown: list[str] = []
        for i, value in enumerate(points):
            text = given[i] if given is not None else None
            if value is None:
                shown.append(NO_DATA)
            else:
                shown.append(text if text else format_number(value, places))
        printed[name] = shown
    return printed


def _trend_alt(
    title: str,
    unit: str,
    periods: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    highlight: str | None,
    printed: Mapping[str, Sequence[str]],
) -> str:
    names = [name for name, _ in series]
    focus = highlight if highlight is not None else (names[0] if names else None)
    parts = [f"Line chart of {with_unit(title, unit)}"]
    if periods:
        parts[0] += f" from {periods[0]} to {periods[-1]}"
    parts[0] += f" for {join_words(names)}."
    for name, points in series:
        if name != focus:
            continue
        known = [i for i, v in enumerate(points) if v is not None]
        if len(known) >= 2:
            first, last = known[0], known[-1]
            parts.append(
                f"{name} went from {printed[name][first]} in {periods[first]} "
                f"to {printed[name][last]} in {periods[last]}."
            )
    if periods:
        latest = [f"{name} {printed[name][-1]}" for name, _ in series]
        parts.append(f"In {periods[-1]}: {join_words(latest)}.")
    return " ".join(parts)


# -- the grade comparison grid -------------------------------------------------------------------
