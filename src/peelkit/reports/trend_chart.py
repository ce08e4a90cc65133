"""The trend chart: values over periods, one line per series."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from peelkit.reports.chart import Chart
from peelkit.reports.svg import (
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

    tick_size = 7.0
    longest = max((text_width(p, tick_size) for p in periods), default=0.0)
    step = 72 * max(0.6, min(1.4, (longest + 10) / 72))
    rotate = longest + 6 > step
    bottom = (longest * 0.6 + 10 if rotate else 16) + 14
    plot_width = max(4.0 * 72, step * max(len(periods), 1))
    plot_height = 2.6 * 72
    left, right, top = 56.0, 16.0, 12.0 + (14.0 if marker else 0.0)
    width = left + plot_width + right
    # as many legend columns as fit across the figure
    entry = max((text_width(name, bold=True) for name, _ in series), default=0.0) + 52
    columns = max(1, min(len(series), int((width - 16) // entry)))
    legend_height = 14.0 * math.ceil(len(series) / columns) + 6
    height = top + plot_height + bottom + legend_height
    figure = new_figure(width / 72, height / 72)
    axes = figure.add_axes(
        (left / width, (bottom + legend_height) / height, plot_width / width, plot_height / height)
    )
    positions = list(range(len(periods)))
    for index, (name, points) in enumerate(series):
        marked = name == highlight
        ys = [math.nan if v is None else v for v in points]
        (line,) = axes.plot(
            positions,
            ys,
            linestyle=SERIES_STYLES[index % len(SERIES_STYLES)],
            marker=SERIES_MARKERS[index % len(SERIES_MARKERS)],
            color=SERIES_COLOURS[index % len(SERIES_COLOURS)],
            linewidth=2.6 if marked else 1.5,
            markersize=6 if marked else 4.5,
            zorder=4 if marked else 3,
            label=name,
        )
        line.set_gid(f"series-{slug(name)}")
    axes.set_xlim(-0.4, max(len(periods) - 1, 0) + 0.4)
    low = min([0.0, *known])
    high = max([0.0, *known]) or 1.0
    axes.set_ylim(low * 1.1, high * 1.12)
    axes.set_xticks(positions)
    axes.set_xticklabels(
        list(periods),
        fontsize=tick_size,
        rotation=30 if rotate else 0,
        ha="right" if rotate else "center",
        color=INK,
    )
    axes.tick_params(axis="y", labelsize=tick_size, colors=INK)
    axes.set_ylabel(unit, fontsize=FONT_SIZE, color=INK)
    axes.yaxis.grid(True, color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    legend = figure.legend(
        loc="lower center",
        bbox_to_anchor=(0.5, 2 / height),
        ncols=columns,
        fontsize=FONT_SIZE,
        frameon=False,
        handlelength=3.2,
    )
    legend.set_gid("legend")
    for text in legend.get_texts():
        if text.get_text() == highlight:
            text.set_fontweight("bold")

    if marker:
        figure.text(
            left / width,
            1 - 4 / height,
            marker,
            ha="left",
            va="top",
            fontsize=FONT_SIZE,
            fontweight="bold",
            color=INK,
        ).set_gid("trend-marker")
    alt = _trend_alt(title, unit, periods, series, highlight, printed)
    if marker:
        alt += f" {marker}"
    return Chart(
        title, render_svg(figure, title, alt), alt, ("Period", *(n for n, _ in series)), rows
    )


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
