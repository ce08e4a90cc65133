"""The ranked bar chart ("ski slope"): every force's value, one force highlighted."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon, Rectangle

from peelkit.reports.chart import Chart
from peelkit.reports.highlights import Drawings, Highlights
from peelkit.reports.svg import (
    BAR_COLOUR,
    FONT_SIZE,
    GRID,
    HIGHLIGHT_COLOUR,
    INK,
    NO_DATA,
    REFERENCE_STYLES,
    _check_unique,
    _ranks,
    join_words,
    new_figure,
    rank_words,
    slug,
    text_width,
    with_unit,
)


def ranked_bar_chart(
    title: str,
    values: Sequence[tuple[str, float | None, str]],
    highlight: str | None,
    references: Sequence[tuple[str, float, str]],
    unit: str,
    *,
    ranks: Mapping[str, str] | None = None,
    intervals: Mapping[str, tuple[float, float, str, str]] | None = None,
    interval_label: str = "95% confidence interval",
    off_scale: Mapping[str, str] | None = None,
) -> Chart:
    """One bar per force, highest first, the highlighted force marked, reference values as lines.

    ``values`` are (label, value, display); forces without a value are listed in the table as
    "no data" and not drawn. ``references`` are (label, value, display), e.g. England and Wales
    and the most similar group, each drawn as a labelled horizontal line.

    ``ranks`` (label → rank as printed, e.g. the indicator engine's ``rank_display``, "9=")
    gives the table's and the alt text's ranks; without it the chart ranks by position, 1 the
    highest value, equal values sharing a rank.

    ``intervals`` (label → lower, upper and both as printed) are drawn as whiskers on the bars
    and given two more table columns. ``off_scale`` (label → note) names bars kept out of the
    axis scale (e.g. a rate over a population that misleads): each is drawn up to the axis edge,
    broken, with an arrow and its value written, and its note printed in the table.
    """
    _check_unique("forces", [label for label, _, _ in values])
    if highlight is not None and highlight not in {label for label, _, _ in values}:
        raise ValueError(f"the highlighted force {highlight!r} is not among the values")
    drawn = sorted(
        ((label, value, display) for label, value, display in values if value is not None),
        key=lambda item: -item[1],
    )
    missing = [label for label, value, _ in values if value is None]
    if ranks is None:
        shown_ranks = _ranks([value for _, value, _ in drawn])
    else:
        shown_ranks = [ranks.get(label, "") for label, _, _ in drawn]
    intervals = intervals or {}
    off_scale = off_scale or {}
    with_intervals = bool(intervals)
    with_notes = bool(off_scale)

    def extra(label: str) -> tuple[str, ...]:
        cells: tuple[str, ...] = ()
        if with_intervals:
            found = intervals.get(label)
            cells += (found[2], found[3]) if found else ("", "")
        if with_notes:
            cells += (off_scale.get(label, ""),)
        return cells

    rows = [
        (rank, label, display, *extra(label))
        for rank, (label, _, display) in zip(shown_ranks, drawn, strict=True)
    ]
    rows += [("", label, NO_DATA, *extra(label)) for label in missing]
    columns: tuple[str, ...] = ("Rank", "Force", unit)
    if with_intervals:
        columns += (f"{interval_label}: lower", f"{interval_label}: upper")
    if with_notes:
        columns += ("Note",)

    alt = _ranked_alt(title, unit, drawn, shown_ranks, missing, highlight, references)
    alt += _uncertainty_alt(drawn, intervals, interval_label, off_scale, highlight)
    key = (
        tuple(drawn),
        tuple(references),
        unit,
        tuple(intervals.items()),
        tuple(off_scale.items()),
    )

    def draw(highlights: Highlights) -> Figure:
        return _ranked_figure(drawn, references, unit, intervals, off_scale, highlights)

    chosen = frozenset(() if highlight is None else (highlight,))
    svg = _DRAWINGS.svg(key, draw, chosen, title, alt)
    return Chart(title, svg, alt, columns, tuple(rows))


# Every force's report of a year draws the same ranked chart but for its highlight.
_DRAWINGS = Drawings()


def _ranked_figure(
    drawn: Sequence[tuple[str, float, str]],
    references: Sequence[tuple[str, float, str]],
    unit: str,
    intervals: Mapping[str, tuple[float, float, str, str]],
    off_scale: Mapping[str, str],
    highlights: Highlights,
) -> Figure:
    """The chart's figure: the bars and labels of each force in the states ``highlights``
    asks for, the highlighted force's bar, label and value tagged as such."""
    label_size = 7.0
    longest = max((text_width(label, label_size, bold=True) for label, _, _ in drawn), default=0.0)
    reference_texts = [f"{label} {display}" for label, _, display in references]
    right = max((text_width(text) for text in reference_texts), default=0.0) + 24
    bottom = longest + 24
    plot_width = max(3.0, 0.125 * len(drawn)) * 72
    plot_height = 3.0 * 72
    left, top = 56.0, 22.0 + (16.0 if off_scale else 0.0)
    width, height = left + plot_width + right, bottom + plot_height + top
    figure = new_figure(width / 72, height / 72)
    axes = figure.add_axes(
        (left / width, bottom / height, plot_width / width, plot_height / height)
    )

    scaled = [(label, value) for label, value, _ in drawn if label not in off_scale]
    numbers = [value for _, value in scaled] + [value for _, value, _ in references]
    for label, _ in scaled:
        if label in intervals:
            numbers.extend(intervals[label][:2])
    low = min([0.0, *numbers])
    high = max([0.0, *numbers])
    span = (high - low) or 1.0
    axes.set_xlim(-0.6, max(len(drawn), 1) - 0.4)
    axes.set_ylim(low - (0.06 * span if low < 0 else 0), high + 0.12 * span)
    axes.set_ylabel(unit, fontsize=FONT_SIZE, color=INK)
    axes.tick_params(axis="y", labelsize=label_size, colors=INK)
    axes.yaxis.grid(True, color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.set_xticks([])

    label_transform = axes.get_xaxis_transform()
    axis_top = axes.get_ylim()[1]
    for position, (label, value, display) in enumerate(drawn):
        beyond = label in off_scale
        for marked in highlights.states(label):
            bar = Rectangle(
                (position - 0.4, 0.0),
                0.8,
                axis_top if beyond else value,
                facecolor=HIGHLIGHT_COLOUR if marked else BAR_COLOUR,
                edgecolor=INK if marked else "none",
                linewidth=0.8,
                transform=axes.transData,
            )
            bar.set_gid(f"bar-{slug(label)}")
            bar.set_clip_path(axes.patch)
            axes.add_artist(bar)
            highlights.tag(bar, label, marked)
        if beyond:
            _off_scale_mark(axes, position, axis_top, display, label)
        elif label in intervals:
            _whisker(axes, position, intervals[label][0], intervals[label][1], label)
        for marked in highlights.states(label):
            name = axes.text(
                position,
                -0.02,
                label,
                rotation=90,
                ha="center",
                va="top",
                fontsize=label_size,
                fontweight="bold" if marked else "normal",
                color=HIGHLIGHT_COLOUR if marked else INK,
                transform=label_transform,
            )
            highlights.tag(name, label, marked)
            if marked and not beyond:
                whisker = intervals.get(label)
                end = value if whisker is None else (whisker[1] if value >= 0 else whisker[0])
                shown = axes.annotate(
                    display,
                    (position, end),
                    xytext=(0, 3 if value >= 0 else -3),
                    textcoords="offset points",
                    ha="center",
                    va="bottom" if value >= 0 else "top",
                    fontsize=FONT_SIZE,
                    fontweight="bold",
                    color=HIGHLIGHT_COLOUR,
                )
                highlights.tag(shown, label, True)

    _reference_lines(axes, references, reference_texts, plot_width, plot_height)
    return figure


def _whisker(axes: Axes, position: float, lower: float, upper: float, label: str) -> None:
    """The interval as a vertical line with caps across the bar (one line, broken by gaps)."""
    cap, gap = 0.22, math.nan
    whisker = Line2D(
        [
            position - cap,
            position + cap,
            gap,
            position,
            position,
            gap,
            position - cap,
            position + cap,
        ],
        [lower, lower, gap, lower, upper, gap, upper, upper],
        color=INK,
        linewidth=0.8,
        zorder=4,
    )
    whisker.set_gid(f"interval-{slug(label)}")
    axes.add_line(whisker)


def _off_scale_mark(axes: Axes, position: float, top: float, display: str, label: str) -> None:
    """A bar beyond the scale: broken near the axis edge, an arrow above it, its value written."""
    bottom, _ = axes.get_ylim()
    step = 0.035 * (top - bottom)
    at = top - 3 * step
    gap = Polygon(
        [
            (position - 0.46, at - step / 2),
            (position + 0.46, at + step / 2),
            (position + 0.46, at + step * 1.2),
            (position - 0.46, at + step * 0.2),
        ],
        closed=True,
        facecolor="white",
        edgecolor=INK,
        linewidth=0.6,
        zorder=4,
    )
    gap.set_gid(f"off-scale-{slug(label)}")
    axes.add_patch(gap)
    rise = 0.05 * (top - bottom)
    arrow = Polygon(
        [(position - 0.4, top), (position + 0.4, top), (position, top + rise)],
        closed=True,
        facecolor=INK,
        edgecolor="none",
        clip_on=False,
        zorder=4,
    )
    arrow.set_gid(f"off-scale-arrow-{slug(label)}")
    axes.add_patch(arrow)
    axes.annotate(
        display,
        (position, top + rise),
        xytext=(0, 2),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=FONT_SIZE,
        fontweight="bold",
        color=INK,
        annotation_clip=False,
    ).set_gid(f"off-scale-value-{slug(label)}")


def _uncertainty_alt(
    drawn: Sequence[tuple[str, float, str]],
    intervals: Mapping[str, tuple[float, float, str, str]],
    interval_label: str,
    off_scale: Mapping[str, str],
    highlight: str | None,
) -> str:
    parts = []
    if intervals:
        parts.append(f"The whiskers on the bars show each force's {interval_label}.")
        if highlight is not None and highlight in intervals:
            found = intervals[highlight]
            parts.append(f"{highlight}'s {interval_label} is {found[2]} to {found[3]}.")
    for label, _, display in drawn:
        if label in off_scale:
            parts.append(
                f"{label}'s value, {display}, is beyond the scale: its bar is broken at the top "
                f"of the axis ({off_scale[label]})."
            )
    return "".join(" " + p for p in parts)


def _reference_lines(
    axes: Axes,
    references: Sequence[tuple[str, float, str]],
    texts: Sequence[str],
    plot_width: float,
    plot_height: float,
) -> None:
    """Horizontal lines across the bars, each labelled at the right, labels kept apart."""
    bottom, top = axes.get_ylim()
    order = sorted(range(len(references)), key=lambda i: references[i][1])
    gap = (FONT_SIZE * 1.4) / plot_height  # in axes fraction
    placed: list[float] = []
    for index in order:
        label, value, _ = references[index]
        style = REFERENCE_STYLES[index % len(REFERENCE_STYLES)]
        line = axes.axhline(value, color=INK, linestyle=style, linewidth=1.1, zorder=3)
        line.set_gid(f"reference-{slug(label)}")
        fraction = (value - bottom) / (top - bottom)
        if placed and fraction < placed[-1] + gap:
            fraction = placed[-1] + gap
        placed.append(fraction)
        axes.annotate(
            texts[index],
            xy=(1.0, (value - bottom) / (top - bottom)),
            xycoords="axes fraction",
            xytext=(1.0 + 4 / plot_width, fraction),
            textcoords="axes fraction",
            ha="left",
            va="center",
            fontsize=FONT_SIZE,
            color=INK,
            annotation_clip=False,
        ).set_gid(f"reference-label-{slug(label)}")
        if fraction != (value - bottom) / (top - bottom):
            # the label was moved clear of another: join it to its line
            joint = Line2D(
                [1.0, 1.0 + 3 / plot_width],
                [(value - bottom) / (top - bottom), fraction],
                transform=axes.transAxes,
                color=INK,
                linewidth=0.5,
                clip_on=False,
            )
            axes.add_artist(joint)


def _ranked_alt(
    title: str,
    unit: str,
    drawn: Sequence[tuple[str, float, str]],
    ranks: Sequence[str],
    missing: Sequence[str],
    highlight: str | None,
    references: Sequence[tuple[str, float, str]],
) -> str:
    parts = [
        f"Bar chart of {len(drawn)} forces ordered from highest to lowest value: "
        f"{with_unit(title, unit)}."
    ]
    if drawn:
        parts.append(
            f"Highest {drawn[0][0]} at {drawn[0][2]}, lowest {drawn[-1][0]} at {drawn[-1][2]}."
        )
    for rank, (label, _, display) in zip(ranks, drawn, strict=True):
        if label == highlight:
            place = f" is ranked {rank_words(rank)} of {len(drawn)}" if rank else ""
            parts.append(f"{label}{place} at {display}.")
    if highlight is not None and highlight in missing:
        parts.append(f"{highlight} has no data.")
    if references:
        parts.append(
            "Marked lines: "
            + join_words([f"{label} {display}" for label, _, display in references])
            + "."
        )
    if missing:
        parts.append(f"No data for {join_words(list(missing))}.")
    return " ".join(parts)


# -- the trend chart -----------------------------------------------------------------------------
