"""The trend chart: values over periods, one line per series."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text

from peelkit.reports.chart import Chart
from peelkit.reports.kept import keep
from peelkit.reports.svg import (
    _SVG_LOCK,
    FONT_SIZE,
    GRID,
    INK,
    NO_DATA,
    SERIES_COLOURS,
    SERIES_MARKERS,
    SERIES_STYLES,
    _check_unique,
    _decimals,
    format_number,
    join_words,
    new_figure,
    render_svg,
    slug,
    text_width,
    with_unit,
)


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
    svg = _FIGURES.svg(_layout(tuple(periods), names, unit, highlight, marker), shown, title, alt)
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


@dataclass
class _Figure:
    figure: Figure
    axes: Axes
    lines: list[Line2D]
    legend: Legend
    marker: Text | None


def _new_figure(layout: _Layout, shown: _Shown) -> _Figure:
    """The figure of a layout, drawn with ``shown``'s lines, names and scale."""
    width, height = layout.width, layout.height
    figure = new_figure(width / 72, height / 72)
    axes = figure.add_axes(
        (
            layout.left / width,
            (layout.bottom + layout.legend_height) / height,
            layout.plot_width / width,
            layout.plot_height / height,
        )
    )
    positions = list(range(len(layout.periods)))
    lines = []
    for index, (name, ys) in enumerate(zip(shown.names, shown.values, strict=True)):
        marked = index == layout.highlighted
        (line,) = axes.plot(
            positions,
            list(ys),
            linestyle=SERIES_STYLES[index % len(SERIES_STYLES)],
            marker=SERIES_MARKERS[index % len(SERIES_MARKERS)],
            color=SERIES_COLOURS[index % len(SERIES_COLOURS)],
            linewidth=2.6 if marked else 1.5,
            markersize=6 if marked else 4.5,
            zorder=4 if marked else 3,
            label=name,
        )
        line.set_gid(f"series-{slug(name)}")
        lines.append(line)
    axes.set_xlim(-0.4, max(len(layout.periods) - 1, 0) + 0.4)
    low, high = shown.span
    axes.set_ylim(low * 1.1, high * 1.12)
    axes.set_xticks(positions)
    axes.set_xticklabels(
        list(layout.periods),
        fontsize=TICK_SIZE,
        rotation=30 if layout.rotate else 0,
        ha="right" if layout.rotate else "center",
        color=INK,
    )
    axes.tick_params(axis="y", labelsize=TICK_SIZE, colors=INK)
    axes.set_ylabel(layout.unit, fontsize=FONT_SIZE, color=INK)
    axes.yaxis.grid(True, color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    legend = figure.legend(
        loc="lower center",
        bbox_to_anchor=(0.5, 2 / height),
        ncols=layout.columns,
        fontsize=FONT_SIZE,
        frameon=False,
        handlelength=3.2,
    )
    legend.set_gid("legend")
    for text in legend.get_texts():
        if text.get_text() == shown.highlight:
            text.set_fontweight("bold")
    words = None
    if layout.marked:
        words = figure.text(
            layout.left / width,
            1 - 4 / height,
            shown.marker,
            ha="left",
            va="top",
            fontsize=FONT_SIZE,
            fontweight="bold",
            color=INK,
        )
        words.set_gid("trend-marker")
    return _Figure(figure, axes, lines, legend, words)


def _show(drawn: _Figure, shown: _Shown) -> None:
    """Put ``shown``'s lines, names and scale on a figure of its layout drawn for another
    chart: what :func:`_new_figure` would have drawn with them."""
    for line, name, ys in zip(drawn.lines, shown.names, shown.values, strict=True):
        line.set_ydata(list(ys))
        line.set_label(name)
        line.set_gid(f"series-{slug(name)}")
    low, high = shown.span
    drawn.axes.set_ylim(low * 1.1, high * 1.12)
    for text, name in zip(drawn.legend.get_texts(), shown.names, strict=True):
        text.set_text(name)
        text.set_fontweight("bold" if name == shown.highlight else "normal")
    if drawn.marker is not None:
        drawn.marker.set_text(shown.marker)


class _Figures:
    """One figure kept per layout (the latest few): a year's 43 force reports draw their
    trend charts on one figure instead of building 43 (the figure and its axes, ticks and
    legend take a third of the drawing's time)."""

    def __init__(self, kept: int = 4) -> None:
        self.kept = kept
        self.figures: OrderedDict[_Layout, _Figure] = OrderedDict()
        keep(self)

    def svg(self, layout: _Layout, shown: _Shown, title: str, alt: str) -> str:
        with _SVG_LOCK:  # the kept figure is changed, then saved
            drawn = self.figures.get(layout)
            if drawn is None:
                drawn = self.figures[layout] = _new_figure(layout, shown)
                while len(self.figures) > self.kept:
                    self.figures.popitem(last=False)
            else:
                self.figures.move_to_end(layout)
                _show(drawn, shown)
            return render_svg(drawn.figure, title, alt)

    def clear(self) -> None:
        with _SVG_LOCK:
            self.figures.clear()


_FIGURES = _Figures()


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
