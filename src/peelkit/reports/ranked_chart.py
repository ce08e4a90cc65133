"""The ranked bar chart ("ski slope"): every force's value, one force highlighted.

Its SVG is written here, not saved from a matplotlib figure: a year's 43 force reports each
draw it with their own highlight and their own most similar group's line, so no drawing can
be shared between them, and building and saving 43 figures was a quarter of the reports' time
(WeasyPrint then paid again for matplotlib's ``<defs>``, ``<use>``, clip paths and nested
groups). What is written is the chart matplotlib drew: the same figure size, plot area and
scale, the y ticks matplotlib's locator and formatter give (peelkit.reports.ticks), the bars,
names, whiskers, breaks and reference lines at the positions matplotlib's layout gives them
(text measured with matplotlib's font metrics, :func:`peelkit.reports.svg.text_metrics`), in
matplotlib's drawing order, as plain SVG elements; tests/reports/test_ranked_svg.py reads it
back against what it was asked to draw and against matplotlib's axis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from peelkit.reports.chart import Chart
from peelkit.reports.svg import (
    BAR_COLOUR,
    FONT_SIZE,
    HIGHLIGHT_COLOUR,
    INK,
    NO_DATA,
    REFERENCE_STYLES,
    _check_unique,
    _ranks,
    join_words,
    rank_words,
    slug,
    text_metrics,
    text_width,
    with_unit,
)
from peelkit.reports.svg_writing import font as _font
from peelkit.reports.svg_writing import line_style, open_svg, spines, value_axis
from peelkit.reports.svg_writing import number as _n


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
    bars = tuple(
        _Bar(label, value, display, label == highlight, intervals.get(label), label in off_scale)
        for label, value, display in drawn
    )
    frame = _frame(bars, references)
    svg = _svg(frame, bars, references, unit, title, alt)
    return Chart(title, svg, alt, columns, tuple(rows))


LABEL_SIZE = 7.0  # the forces' names and the axis' tick labels
HALF_BAR = 0.4  # half a bar's width, in positions
CAP = 0.22  # half a whisker's cap


@dataclass(frozen=True)
class _Bar:
    """One force's bar as drawn: its value, interval and whether it is highlighted or kept
    off the scale."""

    label: str
    value: float
    display: str
    marked: bool
    interval: tuple[float, float, str, str] | None
    beyond: bool


@dataclass(frozen=True)
class _Frame:
    """Where the chart's values land, as matplotlib's figure and axes had them: the figure's
    size, the plot area (SVG's y grows down) and the axes' view."""

    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    x_view: tuple[float, float]
    y_view: tuple[float, float]

    @property
    def plot_height(self) -> float:
        return self.plot_bottom - self.plot_top

    def x(self, position: float) -> float:
        low, high = self.x_view
        return self.plot_left + (position - low) / (high - low) * (self.plot_right - self.plot_left)

    def y(self, value: float) -> float:
        low, high = self.y_view
        return self.plot_bottom - (value - low) / (high - low) * self.plot_height


def _frame(bars: Sequence[_Bar], references: Sequence[tuple[str, float, str]]) -> _Frame:
    """The figure around a plot 3 in tall and an eighth of an inch a bar (at least 3 in) wide:
    room below for the longest name (bold, as the highlighted one is), at the right for the
    longest reference label, above for the off-scale values."""
    longest = max((text_width(bar.label, LABEL_SIZE, bold=True) for bar in bars), default=0.0)
    right = max((text_width(text) for text in _reference_texts(references)), default=0.0) + 24
    bottom = longest + 24
    plot_width = max(3.0, 0.125 * len(bars)) * 72
    plot_height = 3.0 * 72
    left = 56.0
    top = 22.0 + (16.0 if any(bar.beyond for bar in bars) else 0.0)
    return _Frame(
        width=left + plot_width + right,
        height=bottom + plot_height + top,
        plot_left=left,
        plot_right=left + plot_width,
        plot_top=top,
        plot_bottom=top + plot_height,
        x_view=(-0.6, max(len(bars), 1) - 0.4),
        y_view=_y_view(bars, references),
    )


def _y_view(
    bars: Sequence[_Bar], references: Sequence[tuple[str, float, str]]
) -> tuple[float, float]:
    """Zero, the bars on the scale, their intervals and the reference values, with room above
    (for the highlighted value) and, below zero, beneath."""
    numbers = [bar.value for bar in bars if not bar.beyond]
    numbers += [value for _, value, _ in references]
    for bar in bars:
        if not bar.beyond and bar.interval is not None:
            numbers.extend(bar.interval[:2])
    low = min([0.0, *numbers])
    high = max([0.0, *numbers])
    span = (high - low) or 1.0
    return low - (0.06 * span if low < 0 else 0), high + 0.12 * span


def _reference_texts(references: Sequence[tuple[str, float, str]]) -> list[str]:
    return [f"{label} {display}" for label, _, display in references]


def _svg(
    frame: _Frame,
    bars: Sequence[_Bar],
    references: Sequence[tuple[str, float, str]],
    unit: str,
    title: str,
    alt: str,
) -> str:
    """The chart's ``<svg>``, in matplotlib's drawing order: the axis and its grid, the bars,
    the lines joining moved reference labels, the axes' edges, the text and reference lines,
    then the breaks, arrows and whiskers on top."""
    placed = _placed_references(frame, references)
    plot = (frame.plot_left, frame.plot_right, frame.plot_top, frame.plot_bottom)
    axis = value_axis(plot, frame.y_view, frame.y, unit, LABEL_SIZE)
    out = [open_svg(frame.width, frame.height, title, alt), axis]
    out += [_bar(frame, position, bar) for position, bar in enumerate(bars)]
    out += [_joint(frame, reference) for reference in placed if reference.moved]
    out.append(spines(plot))
    out += [_off_scale_value(frame, p, bar) for p, bar in enumerate(bars) if bar.beyond]
    out.append(_names(frame, bars))
    out += [_highlighted_value(frame, p, bar) for p, bar in enumerate(bars) if bar.marked]
    out += [_reference(frame, reference) for reference in placed]
    for position, bar in enumerate(bars):
        if bar.beyond:
            out.append(_off_scale_mark(frame, position, bar.label))
        elif bar.interval is not None:
            out.append(_whisker(frame, position, bar.interval[0], bar.interval[1], bar.label))
    out.append("</svg>\n")
    return "".join(out)


def _polygon(points: Sequence[tuple[float, float]]) -> str:
    """A closed path through SVG points."""
    return "M " + " L ".join(f"{_n(x)} {_n(y)}" for x, y in points) + " z"


def _bar(frame: _Frame, position: int, bar: _Bar) -> str:
    """The bar from zero to its value (an off-scale bar to the axis' top), the highlighted one
    in its colour with an edge."""
    top = frame.y_view[1] if bar.beyond else bar.value
    left, right = frame.x(position - HALF_BAR), frame.x(position + HALF_BAR)
    base, end = frame.y(0.0), frame.y(top)
    if bar.marked:
        style = (
            f"fill: {HIGHLIGHT_COLOUR}; stroke: {INK}; stroke-width: 0.8; stroke-linejoin: miter"
        )
    else:
        style = f"fill: {BAR_COLOUR}"
    outline = _polygon([(left, base), (right, base), (right, end), (left, end)])
    return f' <path id="{escape(f"bar-{slug(bar.label)}")}" d="{outline}" style="{style}"/>\n'


def _names(frame: _Frame, bars: Sequence[_Bar]) -> str:
    """Each force's name turned under its bar, its top 2% of the plot's height below the axis
    (the highlighted force's in bold and its colour), centred on the bar as matplotlib centres
    the turned text's box."""
    below = frame.plot_bottom + 0.02 * frame.plot_height
    out = [' <g id="force-names">\n']
    for position, bar in enumerate(bars):
        width, ascent, descent = text_metrics(bar.label, LABEL_SIZE, bar.marked)
        x = frame.x(position) + (ascent - descent) / 2  # the baseline, turned upright
        y = below + width  # the text's start, at the bottom
        weight = "font-weight: 700; " if bar.marked else ""
        colour = HIGHLIGHT_COLOUR if bar.marked else INK
        out.append(
            f'  <text transform="translate({_n(x)} {_n(y)}) rotate(-90)"'
            f' style="{weight}{_font(LABEL_SIZE)}; fill: {colour}">{escape(bar.label)}</text>\n'
        )
    out.append(" </g>\n")
    return "".join(out)


def _highlighted_value(frame: _Frame, position: int, bar: _Bar) -> str:
    """The highlighted force's value 3 pt above its bar or its whisker's top (below the bar or
    its whisker's bottom for a negative value); none for a bar off the scale (its value is
    written above the arrow)."""
    if bar.beyond:
        return ""
    above = bar.value >= 0
    end = bar.value
    if bar.interval is not None:
        end = bar.interval[1] if above else bar.interval[0]
    _, ascent, descent = text_metrics(bar.display, FONT_SIZE, True)
    y = frame.y(end) - 3 - descent if above else frame.y(end) + 3 + ascent
    return (
        f' <text id="{escape(f"value-{slug(bar.label)}")}" x="{_n(frame.x(position))}"'
        f' y="{_n(y)}" style="font-weight: 700; {_font(FONT_SIZE)}; text-anchor: middle;'
        f' fill: {HIGHLIGHT_COLOUR}">{escape(bar.display)}</text>\n'
    )


def _whisker(frame: _Frame, position: int, lower: float, upper: float, label: str) -> str:
    """The interval as a vertical line with caps across the bar."""
    left, middle, right = frame.x(position - CAP), frame.x(position), frame.x(position + CAP)
    low, high = frame.y(lower), frame.y(upper)
    d = (
        f"M {_n(left)} {_n(low)} L {_n(right)} {_n(low)}"
        f" M {_n(middle)} {_n(low)} L {_n(middle)} {_n(high)}"
        f" M {_n(left)} {_n(high)} L {_n(right)} {_n(high)}"
    )
    return (
        f' <path id="{escape(f"interval-{slug(label)}")}" d="{d}"'
        f' style="{line_style(INK, 0.8, "-")}"/>\n'
    )


def _off_scale_mark(frame: _Frame, position: int, label: str) -> str:
    """A bar beyond the scale: broken near the axis' top (a white slanted band), an arrow
    above it."""
    bottom, top = frame.y_view
    step = 0.035 * (top - bottom)
    at = top - 3 * step
    rise = 0.05 * (top - bottom)
    band = [
        (position - 0.46, at - step / 2),
        (position + 0.46, at + step / 2),
        (position + 0.46, at + step * 1.2),
        (position - 0.46, at + step * 0.2),
    ]
    arrow = [(position - HALF_BAR, top), (position + HALF_BAR, top), (position, top + rise)]
    name = slug(label)
    gap = _polygon([(frame.x(p), frame.y(v)) for p, v in band])
    head = _polygon([(frame.x(p), frame.y(v)) for p, v in arrow])
    return (
        f' <path id="{escape(f"off-scale-{name}")}" d="{gap}" style="fill: #ffffff;'
        f' stroke: {INK}; stroke-width: 0.6; stroke-linejoin: miter"/>\n'
        f' <path id="{escape(f"off-scale-arrow-{name}")}" d="{head}" style="fill: {INK}"/>\n'
    )


def _off_scale_value(frame: _Frame, position: int, bar: _Bar) -> str:
    """An off-scale bar's value, 2 pt above its arrow's tip."""
    bottom, top = frame.y_view
    tip = frame.y(top + 0.05 * (top - bottom))
    _, _, descent = text_metrics(bar.display, FONT_SIZE, True)
    return (
        f' <text id="{escape(f"off-scale-value-{slug(bar.label)}")}"'
        f' x="{_n(frame.x(position))}" y="{_n(tip - 2 - descent)}" style="font-weight: 700;'
        f' {_font(FONT_SIZE)}; text-anchor: middle; fill: {INK}">{escape(bar.display)}</text>\n'
    )


@dataclass(frozen=True)
class _Placed:
    """A reference line and where its label went: level with the line, or moved up clear of
    the label below."""

    label: str
    text: str
    style: str | tuple[int, tuple[int, ...]]
    line_y: float
    label_y: float

    @property
    def moved(self) -> bool:
        return self.label_y != self.line_y


def _placed_references(
    frame: _Frame, references: Sequence[tuple[str, float, str]]
) -> list[_Placed]:
    """The reference lines from the lowest value up (each keeps the line style of its place in
    ``references``), each label at least 1.4 times the font size above the one below."""
    bottom, top = frame.y_view
    texts = _reference_texts(references)
    gap = (FONT_SIZE * 1.4) / frame.plot_height  # in fractions of the plot's height
    fractions: list[float] = []
    placed = []
    for index in sorted(range(len(references)), key=lambda i: references[i][1]):
        label, value, _ = references[index]
        level = (value - bottom) / (top - bottom)
        fraction = max(level, fractions[-1] + gap) if fractions else level
        fractions.append(fraction)
        placed.append(
            _Placed(
                label,
                texts[index],
                REFERENCE_STYLES[index % len(REFERENCE_STYLES)],
                frame.plot_bottom - level * frame.plot_height,
                frame.plot_bottom - fraction * frame.plot_height,
            )
        )
    return placed


def _reference(frame: _Frame, reference: _Placed) -> str:
    """A reference line across the plot and its label 4 pt to the right, centred on its
    place."""
    x0, x1, y = frame.plot_left, frame.plot_right, reference.line_y
    name = slug(reference.label)
    _, ascent, descent = text_metrics(reference.text, FONT_SIZE)
    baseline = reference.label_y + (ascent - descent) / 2
    return (
        f' <path id="{escape(f"reference-{name}")}" d="M {_n(x0)} {_n(y)} L {_n(x1)} {_n(y)}"'
        f' style="{line_style(INK, 1.1, reference.style)}"/>\n'
        f' <text id="{escape(f"reference-label-{name}")}" x="{_n(x1 + 4)}" y="{_n(baseline)}"'
        f' style="{_font(FONT_SIZE)}; fill: {INK}">{escape(reference.text)}</text>\n'
    )


def _joint(frame: _Frame, reference: _Placed) -> str:
    """The short line from a reference line's end to its label moved clear of another."""
    x = frame.plot_right
    return (
        f' <path d="M {_n(x)} {_n(reference.line_y)} L {_n(x + 3)} {_n(reference.label_y)}"'
        f' style="{line_style(INK, 0.5, "-")}"/>\n'
    )


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
