"""The funnel plot: every force's value against its population, with control limits at 95% and
99.8% around a comparator (peelkit.views.charts.FunnelChart).

Where a point lies against the limits is never shown by colour alone: each position has its own
marker shape and fill (a circle within the limits, triangles pointing up above and down below,
hollow beyond 95%, filled beyond 99.8%), the legend names them, and the table says it in words.
The highlighted force is drawn larger and labelled with its name and value. A point kept off
the scale (a population that misleads) is drawn at the top edge as an arrow with its value
written, and is not used for the axis limits.

Drawn elements carry ids: ``point-<label>``, ``limit-<level>-upper`` / ``-lower``,
``reference-<comparator>`` and ``off-scale-<label>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedFormatter, FixedLocator, NullLocator

from peelkit.reports.chart import Chart
from peelkit.reports.highlights import Drawings, Highlights
from peelkit.reports.svg import (
    BAR_COLOUR,
    FONT_SIZE,
    GRID,
    HIGHLIGHT_COLOUR,
    INK,
    _check_unique,
    join_words,
    new_figure,
    slug,
    with_unit,
)
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
    # Every force's report draws the same funnel but for the highlighted point.
    unmarked = replace(spec, points=tuple(replace(p, highlighted=False) for p in spec.points))
    chosen = frozenset(p.label for p in spec.points if p.highlighted)

    def draw(highlights: Highlights) -> Figure:
        return _funnel_figure(unmarked, highlights)

    svg = _DRAWINGS.svg(unmarked, draw, chosen, spec.title, alt)
    return Chart(spec.title, svg, alt, columns, rows)


_DRAWINGS = Drawings()


def _funnel_figure(spec: FunnelChart, highlights: Highlights) -> Figure:
    """The plot's figure, each force's point (and label) in the states ``highlights`` asks
    for; ``spec``'s own highlights are not read."""
    on_scale = [p for p in spec.points if not p.off_scale]
    beyond = [p for p in spec.points if p.off_scale]
    width, height = 6.6 * 72, 3.9 * 72
    left, right, bottom, top = 60.0, 150.0, 40.0, 26.0 if beyond else 14.0
    figure = new_figure(width / 72, height / 72)
    axes = figure.add_axes(
        (
            left / width,
            bottom / height,
            (width - left - right) / width,
            (height - top - bottom) / height,
        )
    )
    axes.set_xscale("log")

    xs = [p.population for p in on_scale]
    for limit in spec.limits:
        xs.extend(limit.populations)
    ys = [p.value for p in on_scale] + [spec.comparator_value]
    for limit in spec.limits:
        ys.extend([*limit.lower, *limit.upper])
    low_y, high_y = min([0.0, *ys]), max(ys)
    span = (high_y - low_y) or 1.0
    axes.set_xlim(min(xs or [1.0]) / 1.05, max(xs or [1.0]) * 1.05)
    axes.set_ylim(max(0.0, low_y - 0.04 * span) if low_y >= 0 else low_y, high_y + 0.06 * span)

    for limit in spec.limits:
        style = LIMIT_STYLES.get(limit.level, "-.")
        tag = slug(limit.level)
        for side, values in (("upper", limit.upper), ("lower", limit.lower)):
            (line,) = axes.plot(
                limit.populations,
                values,
                linestyle=style,
                color=INK,
                linewidth=0.9,
                label=f"{limit.level} limits" if side == "upper" else None,
                zorder=2,
            )
            line.set_gid(f"limit-{tag}-{side}")
    reference = axes.axhline(
        spec.comparator_value,
        color=INK,
        linewidth=1.0,
        label=f"{spec.comparator} {spec.comparator_display}",
        zorder=2,
    )
    reference.set_gid(f"reference-{slug(spec.comparator)}")

    shown_positions: list[str] = []
    for point in on_scale:
        marker, filled = _style(point.significance)
        outside = point.significance != "within the limits"
        for marked in highlights.states(point.label):
            colour = HIGHLIGHT_COLOUR if marked else (OUTSIDE_COLOUR if outside else INK)
            (drawn,) = axes.plot(
                [point.population],
                [point.value],
                linestyle="none",
                marker=marker,
                markersize=8.5 if marked else 5.5,
                markeredgewidth=1.6 if marked else 0.9,
                markeredgecolor=colour,
                markerfacecolor=colour if filled else (BAR_COLOUR if not outside else "white"),
                zorder=5 if marked else 4,
            )
            drawn.set_gid(f"point-{slug(point.label)}")
            highlights.tag(drawn, point.label, marked)
            if marked:
                right_half = point.population > (min(xs) * max(xs)) ** 0.5
                label = axes.annotate(
                    f"{point.label} {point.display}",
                    (point.population, point.value),
                    xytext=(-6 if right_half else 6, 6),
                    textcoords="offset points",
                    ha="right" if right_half else "left",
                    va="bottom",
                    fontsize=FONT_SIZE,
                    fontweight="bold",
                    color=HIGHLIGHT_COLOUR,
                )
                label.set_gid(f"label-{slug(point.label)}")
                highlights.tag(label, point.label, True)
        if point.significance not in shown_positions:
            shown_positions.append(point.significance)

    x_low, x_high = axes.get_xlim()
    _, y_top = axes.get_ylim()
    for point in beyond:
        x = min(max(point.population, x_low * 1.08), x_high / 1.08)
        (arrow,) = axes.plot(
            [x],
            [y_top],
            linestyle="none",
            marker="^",
            markersize=7,
            markerfacecolor=INK,
            markeredgecolor=INK,
            clip_on=False,
            zorder=5,
        )
        arrow.set_gid(f"off-scale-{slug(point.label)}")
        for marked in highlights.states(point.label):
            value = axes.annotate(
                f"{point.label} {point.display} (off the scale)",
                (x, y_top),
                xytext=(6, 2),
                textcoords="offset points",
                ha="left",
                va="bottom",
                fontsize=FONT_SIZE,
                fontweight="bold" if marked else "normal",
                color=INK,
                annotation_clip=False,
            )
            value.set_gid(f"off-scale-value-{slug(point.label)}")
            highlights.tag(value, point.label, marked)

    # the legend: line styles of the limits and comparator, and one marker per position shown
    for name, marker, filled in POSITIONS:
        if name in shown_positions:
            axes.plot(
                [],
                [],
                linestyle="none",
                marker=marker,
                markersize=5.5,
                markeredgecolor=INK,
                markerfacecolor=INK if filled else "white",
                label=name[0].upper() + name[1:],
            )
    legend = axes.legend(
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        fontsize=FONT_SIZE - 0.5,
        frameon=False,
        handlelength=2.6,
    )
    legend.set_gid("legend")

    _population_ticks(axes)
    axes.set_xlabel(f"{spec.population_label} (log scale)", fontsize=FONT_SIZE, color=INK)
    axes.set_ylabel(spec.unit, fontsize=FONT_SIZE, color=INK)
    axes.tick_params(labelsize=7.0, colors=INK)
    axes.yaxis.grid(True, color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)

    return figure


TICKS = (1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8)


def _population_ticks(axes: Axes) -> None:
    """Round populations as ticks, written out ("500,000", "2m"), no minor labels."""
    low, high = axes.get_xlim()
    ticks = [t for t in TICKS if low <= t <= high]
    axes.xaxis.set_major_locator(FixedLocator(ticks))
    axes.xaxis.set_minor_locator(NullLocator())
    axes.xaxis.set_major_formatter(
        FixedFormatter([f"{t / 1e6:g}m" if t >= 1e6 else f"{t:,.0f}" for t in ticks])
    )


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
