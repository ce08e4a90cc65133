"""The funnel plot's SVG, written directly (peelkit.reports.funnel_chart, no matplotlib figure),
read back against what it was asked to draw: each point's marker centred on its population and
value (read off the chart's own axes: its population tick labels on the log scale, its value
tick labels and grid lines), its shape and fill saying where the point lies against the limits,
the limit lines through the limits' points, the comparator's line at its value, off-scale
points on the top edge and left out of the scale; and its axes, words and legend those of the
figure matplotlib draws for the same plot (a matplotlib Figure built here: its locator's ticks,
its log transform, where its SVG writes every text).

The cases are made here: control limits a normal approximation around the comparator, each
point's value a number of standard deviations from it, its position against the limits worked
out from those numbers.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from matplotlib.figure import Figure
from matplotlib.ticker import FixedFormatter, FixedLocator, NullLocator

from peelkit.reports.funnel_chart import funnel_chart
from peelkit.reports.svg import saved_svg
from peelkit.views.charts import FunnelChart, FunnelLimit, FunnelPoint
from tests.reports.svg import SVG, assert_labelled, assert_matplotlib_marker, by_id, parse
from tests.reports.svg import numbers as _numbers
from tests.reports.svg import text_of as _text

Z95, Z998 = 1.959964, 3.090232
WIDTH, HEIGHT = 6.6 * 72, 3.9 * 72
OUTSIDE, HIGHLIGHT, WITHIN_FILL = "#1f5f99", "#b4400f", "#9fb6d0"
# (label, population, standard deviations from the comparator, highlighted, off the scale)
_Point = tuple[str, float, float, bool, bool]
_Case = tuple[float, float, list[_Point]]  # comparator, spread (sd × √population), points
MIXED = [2.5, -0.4, 4.2, -2.4, -3.6, 0.8, 3.3, -1.1]


def _spread_out(
    count: int, low: float, high: float, highlighted: int | None, offsets: list[float]
) -> list[_Point]:
    ratio = (high / low) ** (1 / max(count - 1, 1))
    return [
        (
            f"Force {i + 1}",
            round(low * ratio**i),
            offsets[i % len(offsets)],
            i == highlighted,
            False,
        )
        for i in range(count)
    ]


CASES: dict[str, _Case] = {
    "small populations": (50.0, 300.0, _spread_out(12, 800, 40_000, 2, MIXED)),
    "huge populations": (85.0, 3000.0, _spread_out(9, 3e6, 9e7, 7, MIXED)),
    "values below zero": (0.3, 40.0, _spread_out(10, 1e4, 2e5, 4, MIXED)),
    "off the scale": (
        20.0,
        900.0,
        [
            *_spread_out(8, 5e4, 2e6, None, [2.5, -0.4, -2.4, -3.6, 0.8, -1.1]),
            # off the scale, and the only points above the 99.8% limit: not in the legend
            ("Tiny", 900.0, 60.0, True, True),  # left of the view: its arrow kept inside
            ("Odd", 4e5, 45.0, False, True),
            ("Vast", 9e6, 400.0, False, True),  # right of the view
        ],
    ),
    "no point outside the limits": (
        120.0,
        5000.0,
        _spread_out(7, 1e5, 3e6, None, [0.5, -1.2, 1.7, 0.0, -1.9]),
    ),
    "one point": (7.5, 60.0, [("Alone", 1.5e6, 0.3, True, False)]),
}


def _populations(smallest: float, largest: float) -> list[float]:
    ratio = (largest / smallest) ** (1 / 59)
    return [smallest * ratio**i for i in range(60)]


def _where(deviations: float) -> str:
    if deviations > Z998:
        return "above the 99.8% limit"
    if deviations > Z95:
        return "above the 95% limit"
    if deviations < -Z998:
        return "below the 99.8% limit"
    if deviations < -Z95:
        return "below the 95% limit"
    return "within the limits"


def _spec(name: str) -> FunnelChart:
    comparator, spread, points = CASES[name]
    scaled = [p for _, p, _, _, off in points if not off]
    at = _populations(min(scaled) / 1.25, max(scaled) * 1.25)

    def limit(level: str, z: float) -> FunnelLimit:
        return FunnelLimit(
            level,
            tuple(at),
            tuple(comparator - z * spread / math.sqrt(p) for p in at),
            tuple(comparator + z * spread / math.sqrt(p) for p in at),
        )

    made = []
    for label, population, deviations, highlighted, off in points:
        value = comparator + deviations * spread / math.sqrt(population)
        made.append(
            FunnelPoint(
                label,
                population,
                f"{population:,.0f}",
                value,
                f"{value:.2f}",
                _where(deviations),
                highlighted,
                off,
                "a population that misleads" if off else None,
            )
        )
    return FunnelChart(
        f"A funnel: {name}",
        "per 1,000 population",
        "Population",
        "England and Wales",
        comparator,
        f"{comparator:.1f}",
        (limit("95%", Z95), limit("99.8%", Z998)),
        tuple(made),
    )


def _key(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def _population(label: str) -> float:
    """A population tick's label as a number: "500,000" → 500000, "2m" → 2000000."""
    if label.endswith("m"):
        return float(label[:-1]) * 1e6
    return float(label.replace(",", ""))


def _top(root: ET.Element) -> float:
    """The plot's top edge: where its left spine ends."""
    left = next(p for p in root.findall(f"{SVG}path") if "#000000" in p.get("style", ""))
    return _numbers(left.get("d", ""))[3]


class _Axes:
    """The chart's own axes, read from what it prints: a value from its y tick labels and grid
    lines, a population from its x tick labels on a log scale (or, with fewer than two, from
    the plot's edges and the view the inputs give)."""

    def __init__(self, root: ET.Element, spec: FunnelChart) -> None:
        ids = by_id(root)
        x_axis = ids["x-axis"]
        marks = list(x_axis.iter(f"{SVG}path"))
        labels = list(x_axis.iter(f"{SVG}text"))[: len(marks)]
        self.x_ticks = [
            (_numbers(m.get("d", ""))[0], _population(_text(t)))
            for m, t in zip(marks, labels, strict=True)
        ]
        y_axis = ids["y-axis"]
        grid = [p for p in y_axis.iter(f"{SVG}path") if "#d9d9d9" in p.get("style", "")]
        values = [t for t in y_axis.iter(f"{SVG}text") if "rotate" not in t.get("transform", "")]
        self.y_ticks = [
            (_numbers(g.get("d", ""))[1], float(_text(t).replace("\u2212", "-")))
            for g, t in zip(grid, values, strict=True)
        ]
        spines = [p for p in root.findall(f"{SVG}path") if "#000000" in p.get("style", "")]
        left, bottom = (_numbers(p.get("d", "")) for p in spines)
        self.left, self.right, self.bottom, self.top = bottom[0], bottom[2], left[1], left[3]
        if len(self.x_ticks) >= 2:
            (xa, pa), (xb, pb) = self.x_ticks[0], self.x_ticks[-1]
            self._x = (xa, math.log10(pa), (xb - xa) / (math.log10(pb) - math.log10(pa)))
        else:
            low, high = _x_view(spec)
            scale = (self.right - self.left) / (math.log10(high) - math.log10(low))
            self._x = (self.left, math.log10(low), scale)

    def population(self, x: float) -> float:
        origin, log_origin, per_decade = self._x
        return float(10 ** (log_origin + (x - origin) / per_decade))

    def value(self, y: float) -> float:
        (ya, va), (yb, vb) = self.y_ticks[0], self.y_ticks[-1]
        return va + (y - ya) * (vb - va) / (yb - ya)

    def span(self) -> float:
        return abs(self.y_ticks[-1][1] - self.y_ticks[0][1])


def _x_view(spec: FunnelChart) -> tuple[float, float]:
    """The populations across: those of the points on the scale and the limits', 5% beyond."""
    xs = [p.population for p in spec.points if not p.off_scale]
    xs += [p for limit in spec.limits for p in limit.populations]
    return min(xs) / 1.05, max(xs) * 1.05


def _y_view(spec: FunnelChart) -> tuple[float, float]:
    """The values up: the points', the comparator's and the limits', with zero; 4% below (not
    below zero when nothing is) and 6% above."""
    ys = [p.value for p in spec.points if not p.off_scale] + [spec.comparator_value]
    ys += [v for limit in spec.limits for v in (*limit.lower, *limit.upper)]
    low, high = min([0.0, *ys]), max(ys)
    span = high - low
    return (max(0.0, low - 0.04 * span) if low >= 0 else low), high + 0.06 * span


def _centre(outline: str) -> tuple[float, float]:
    numbers = _numbers(outline)
    if " A " in outline:  # a circle: from its rightmost point, radius r
        return numbers[0] - numbers[2], numbers[1]
    xs, ys = numbers[0::2], numbers[1::2]
    return (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2


def _shape(outline: str) -> str:
    """A marker's shape read from its outline: "o", "^", "v" or "D"."""
    if " A " in outline:
        return "o"
    numbers = _numbers(outline)
    corners = list(zip(numbers[0::2], numbers[1::2], strict=True))
    cx, cy = _centre(outline)
    if len(corners) == 4:
        return "D"
    apex = [y for x, y in corners if abs(x - cx) < 1e-6]
    assert len(apex) == 1 and len(corners) == 3, outline
    return "^" if apex[0] < cy else "v"


# where a point lies → (shape, filled), the module docstring's promise
SHAPES = {
    "above the 99.8% limit": ("^", True),
    "above the 95% limit": ("^", False),
    "within the limits": ("o", False),
    "below the 95% limit": ("v", False),
    "below the 99.8% limit": ("v", True),
}


def _style(element: ET.Element, name: str) -> str:
    found = re.search(rf"(?:^|; ){name}: ([^;]+)", element.get("style", ""))
    assert found is not None, (name, element.get("style"))
    return found[1]


def _drawn(name: str) -> tuple[FunnelChart, ET.Element, _Axes, dict[str, ET.Element]]:
    """A case's specification, its chart's SVG, the axes read off it and its elements by id."""
    spec = _spec(name)
    root = parse(funnel_chart(spec))
    return spec, root, _Axes(root, spec), by_id(root)


@pytest.mark.parametrize("name", list(CASES))
def test_each_point_is_at_its_population_and_value(name: str) -> None:
    spec, root, axes, ids = _drawn(name)
    tolerance = 1e-6 * max(axes.span(), 1.0)
    for point in spec.points:
        key = _key(point.label)
        if point.off_scale:
            assert f"point-{key}" not in ids
            continue
        marker = ids[f"point-{key}"]
        x, y = _centre(marker.get("d", ""))
        assert axes.population(x) == pytest.approx(point.population, rel=1e-6)
        assert axes.value(y) == pytest.approx(point.value, abs=tolerance)
        assert axes.left <= x <= axes.right and axes.top <= y <= axes.bottom
        shape, filled = SHAPES[point.significance]
        assert _shape(marker.get("d", "")) == shape, point
        within = point.significance == "within the limits"
        edge = HIGHLIGHT if point.highlighted else ("#1a1a1a" if within else OUTSIDE)
        assert _style(marker, "stroke") == edge
        if filled:
            assert _style(marker, "fill") == edge
        else:
            assert _style(marker, "fill") == (WITHIN_FILL if within else "#ffffff")
        assert _style(marker, "stroke-width") == ("1.6" if point.highlighted else "0.9")
        outline = _numbers(marker.get("d", ""))
        size = (outline[2] * 2) if shape == "o" else max(outline[1::2]) - min(outline[1::2])
        assert size == pytest.approx(8.5 if point.highlighted else 5.5, abs=1e-5)
    # the highlighted points drawn after (over) every other point
    order = [e.get("id", "") for e in root if e.get("id", "").startswith("point-")]
    highlighted = [
        f"point-{_key(p.label)}" for p in spec.points if p.highlighted and not p.off_scale
    ]
    assert sorted(order) == sorted(f"point-{_key(p.label)}" for p in spec.points if not p.off_scale)
    assert order[len(order) - len(highlighted) :] == highlighted


@pytest.mark.parametrize("name", list(CASES))
def test_limit_lines_pass_through_the_limits_points(name: str) -> None:
    spec, _, axes, ids = _drawn(name)
    tolerance = 1e-6 * max(axes.span(), 1.0)
    dashes = {"95%": (3.7, 1.6), "99.8%": (1.0, 1.65)}  # matplotlib's rcParams lines.*_pattern
    for limit in spec.limits:
        tag = limit.level.replace(".", "-").replace("%", "")
        for side, values in (("upper", limit.upper), ("lower", limit.lower)):
            line = ids[f"limit-{tag}-{side}"]
            numbers = _numbers(line.get("d", ""))
            drawn = list(zip(numbers[0::2], numbers[1::2], strict=True))
            assert len(drawn) == len(limit.populations)
            for (x, y), population, value in zip(drawn, limit.populations, values, strict=True):
                assert axes.population(x) == pytest.approx(population, rel=1e-6)
                assert axes.value(y) == pytest.approx(value, abs=tolerance)
                assert axes.left <= x <= axes.right and axes.top <= y <= axes.bottom
            pattern = ",".join(f"{d * 0.9:g}" for d in dashes[limit.level])
            assert _style(line, "stroke-dasharray") == pattern
            assert _style(line, "stroke-width") == "0.9"
    reference = _numbers(ids["reference-england-and-wales"].get("d", ""))
    assert reference[0] == pytest.approx(axes.left) and reference[2] == pytest.approx(axes.right)
    assert reference[1] == reference[3]
    assert axes.value(reference[1]) == pytest.approx(spec.comparator_value, abs=tolerance)


@pytest.mark.parametrize("name", list(CASES))
def test_off_scale_points_sit_on_the_top_edge_and_off_the_scale(name: str) -> None:
    spec = _spec(name)
    chart = funnel_chart(spec)
    root = parse(chart)
    axes = _Axes(root, spec)
    ids = by_id(root)
    beyond = [p for p in spec.points if p.off_scale]
    assert axes.top == pytest.approx(26.0 if beyond else 14.0)
    low, high = _x_view(spec)
    for point in beyond:
        key = _key(point.label)
        arrow = ids[f"off-scale-{key}"]
        x, y = _centre(arrow.get("d", ""))
        assert _shape(arrow.get("d", "")) == "^"
        assert y == pytest.approx(axes.top, abs=1e-5)
        # at its population, or just inside the view when it lies beyond it
        kept = min(max(point.population, low * 1.08), high / 1.08)
        assert axes.population(x) == pytest.approx(kept, rel=1e-6)
        written = ids[f"off-scale-value-{key}"]
        assert _text(written) == f"{point.label} {point.display} (off the scale)"
        assert ("font-weight: 700" in written.get("style", "")) is point.highlighted
        # not on the scale: every value tick below it, the view spanning the others only
        assert max(v for _, v in axes.y_ticks) < point.value
    on_scale = [p.population for p in spec.points if not p.off_scale]
    assert axes.population(axes.left) == pytest.approx(
        min(on_scale + list(spec.limits[0].populations)) / 1.05, rel=1e-6
    )
    for point in spec.points:
        key = _key(point.label)
        if point.highlighted and not point.off_scale:
            assert _text(ids[f"label-{key}"]) == f"{point.label} {point.display}"
        else:
            assert f"label-{key}" not in ids


def _matplotlib_figure(spec: FunnelChart) -> tuple[Figure, list[float], list[float]]:
    """The plot as matplotlib draws it: its figure and axes as the report sets them (size,
    margins, log scale across, the views, round populations as ticks), its axis labels, the
    highlighted points' labels, the off-scale values and the legend of the same lines and
    markers; with matplotlib's own value ticks, and the populations ticked."""
    beyond = [p for p in spec.points if p.off_scale]
    top = 26.0 if beyond else 14.0
    figure = Figure(figsize=(6.6, 3.9), dpi=72)
    axes = figure.add_axes(
        (60 / WIDTH, 40 / HEIGHT, (WIDTH - 210) / WIDTH, (HEIGHT - top - 40) / HEIGHT)
    )
    axes.set_xscale("log")
    x_low, x_high = _x_view(spec)
    axes.set_xlim(x_low, x_high)
    axes.set_ylim(*_y_view(spec))
    rounds = [m * 10**e for e in range(3, 9) for m in (1, 2, 5)]
    ticks = [t for t in rounds if x_low <= t <= x_high]
    axes.xaxis.set_major_locator(FixedLocator(ticks))
    axes.xaxis.set_minor_locator(NullLocator())
    axes.xaxis.set_major_formatter(
        FixedFormatter([f"{t // 10**6}m" if t >= 10**6 else f"{t:,}" for t in ticks])
    )
    axes.tick_params(labelsize=7.0)
    axes.set_xlabel("Population (log scale)", fontsize=8.0)
    axes.set_ylabel(spec.unit, fontsize=8.0)
    for limit, style in zip(spec.limits, ("--", ":"), strict=True):
        axes.plot(limit.populations, limit.upper, linestyle=style, label=f"{limit.level} limits")
        axes.plot(limit.populations, limit.lower, linestyle=style)
    axes.axhline(spec.comparator_value, label=f"England and Wales {spec.comparator_display}")
    xs = [p.population for p in spec.points if not p.off_scale]
    xs += list(spec.limits[0].populations)
    middle = math.sqrt(min(xs) * max(xs))
    for point in spec.points:
        if point.highlighted and not point.off_scale:
            right = point.population > middle
            axes.annotate(
                f"{point.label} {point.display}",
                (point.population, point.value),
                xytext=(-6 if right else 6, 6),
                textcoords="offset points",
                ha="right" if right else "left",
                va="bottom",
                fontsize=8.0,
                fontweight="bold",
            )
    for point in beyond:
        x = min(max(point.population, x_low * 1.08), x_high / 1.08)
        axes.annotate(
            f"{point.label} {point.display} (off the scale)",
            (x, axes.get_ylim()[1]),
            xytext=(6, 2),
            textcoords="offset points",
            va="bottom",
            fontsize=8.0,
            fontweight="bold" if point.highlighted else "normal",
            annotation_clip=False,
        )
    shown = {p.significance for p in spec.points if not p.off_scale}
    for position, (shape, _) in SHAPES.items():
        if position in shown:
            axes.plot([], [], linestyle="none", marker=shape, label=position.capitalize())
    axes.legend(
        loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=7.5, frameon=False, handlelength=2.6
    )
    values = [float(v) for v in axes.get_yticks()]
    return figure, values, [float(t) for t in ticks]


@pytest.mark.parametrize("name", list(CASES))
def test_the_axes_are_matplotlibs(name: str) -> None:
    """The value ticks are those of matplotlib's AutoLocator for the same view and axis length,
    labelled as its ScalarFormatter labels them; the population ticks are where matplotlib's
    log transform puts them."""
    spec = _spec(name)
    root = parse(funnel_chart(spec))
    axes = _Axes(root, spec)
    figure, values, populations = _matplotlib_figure(spec)
    (mpl_axes,) = figure.axes
    y_low, y_high = mpl_axes.get_ylim()
    slack = 1e-10 * (y_high - y_low)
    expected = [v for v in values if y_low - slack <= v <= y_high + slack]
    labels = mpl_axes.yaxis.get_major_formatter().format_ticks(values)
    printed = [t for t in by_id(root)["y-axis"].iter(f"{SVG}text") if not t.get("transform")]
    assert [_text(t) for t in printed] == [
        label for v, label in zip(values, labels, strict=True) if v in expected
    ]
    for (y, value), tick in zip(axes.y_ticks, expected, strict=True):
        assert value == pytest.approx(tick, rel=1e-9, abs=1e-12)
        _, display_y = mpl_axes.transData.transform((populations[0] if populations else 1e5, tick))
        assert y == pytest.approx(HEIGHT - display_y, abs=1e-5)
    assert len(axes.y_ticks) == len(expected)
    assert [p for _, p in axes.x_ticks] == populations
    for x, population in axes.x_ticks:
        display_x, _ = mpl_axes.transData.transform((population, 0.0))
        assert x == pytest.approx(display_x, abs=1e-5)


def _written(svg: str) -> list[tuple[str, float, float, bool]]:
    """Every text an SVG writes: its words, its x and y (its anchor on the baseline), bold."""
    root = ET.fromstring(svg)
    return sorted(
        (
            _text(t),
            round(float(t.get("x", "0")), 4),
            round(float(t.get("y", "0")), 4),
            "font-weight: 700" in t.get("style", ""),
        )
        for t in root.iter(f"{SVG}text")
    )


@pytest.mark.parametrize("name", list(CASES))
def test_the_words_are_where_matplotlib_writes_them(name: str) -> None:
    """Tick labels, axis labels, the highlighted points' labels, the off-scale values and the
    legend's entries, each at the position matplotlib's SVG writes it."""
    spec = _spec(name)
    chart = funnel_chart(spec)
    figure, _, _ = _matplotlib_figure(spec)
    expected = _written(saved_svg(figure, "test"))
    assert _written(chart.svg) == expected
    # the legend's entries in matplotlib's order: the limits, the comparator, each position
    legend = [_text(t) for t in by_id(parse(chart))["legend"].iter(f"{SVG}text")]
    (mpl_axes,) = figure.axes
    mpl_legend = mpl_axes.get_legend()
    assert mpl_legend is not None
    assert legend == [t.get_text() for t in mpl_legend.get_texts()]
    shown = [p.significance for p in spec.points if not p.off_scale]
    assert legend[:3] == [
        "95% limits",
        "99.8% limits",
        f"England and Wales {spec.comparator_display}",
    ]
    assert legend[3:] == [s.capitalize() for s in SHAPES if s in shown]


@pytest.mark.parametrize("name", list(CASES))
def test_the_legend_shows_each_position_by_its_marker(name: str) -> None:
    spec = _spec(name)
    group = by_id(parse(funnel_chart(spec)))["legend"]
    paths, names = list(group.iter(f"{SVG}path")), list(group.iter(f"{SVG}text"))
    entries = dict(zip([_text(t) for t in names], paths, strict=True))
    for position, (shape, filled) in SHAPES.items():
        sample = entries.get(position.capitalize())
        if sample is None:
            continue
        assert _shape(sample.get("d", "")) == shape
        assert _style(sample, "fill") == ("#1a1a1a" if filled else "#ffffff")
    for level, pattern in (("95%", "3.33,1.44"), ("99.8%", "0.9,1.485")):
        assert _style(entries[f"{level} limits"], "stroke-dasharray") == pattern


def test_shape_not_colour_alone_tells_the_positions_apart() -> None:
    """Every position drawn in one shape and fill of its own, the same for every point."""
    seen: dict[str, set[tuple[str, str]]] = {}
    for name in CASES:
        spec = _spec(name)
        ids = by_id(parse(funnel_chart(spec)))
        for point in spec.points:
            if point.off_scale or point.highlighted:
                continue
            key = _key(point.label)
            marker = ids[f"point-{key}"]
            filled = _style(marker, "fill") == _style(marker, "stroke")
            seen.setdefault(point.significance, set()).add(
                (_shape(marker.get("d", "")), "filled" if filled else "hollow")
            )
    assert set(seen) == set(SHAPES)
    assert all(len(drawn) == 1 for drawn in seen.values())
    assert len({next(iter(drawn)) for drawn in seen.values()}) == len(SHAPES)


@pytest.mark.parametrize("shape", ["o", "^", "v", "D"])
def test_markers_are_matplotlibs_shapes(shape: str) -> None:
    significance = {"o": "within the limits", "^": "above the 95% limit"}
    significance |= {"v": "below the 95% limit", "D": "a call the chart does not know"}
    spec = _spec("one point")
    (point,) = spec.points
    spec = replace(spec, points=(replace(point, significance=significance[shape]),))
    marker = by_id(parse(funnel_chart(spec)))["point-alone"]
    assert_matplotlib_marker(marker.get("d", ""), shape, 8.5)  # highlighted


@pytest.mark.parametrize("name", list(CASES))
def test_plain_elements_with_the_charts_words(name: str) -> None:
    spec = _spec(name)
    chart = funnel_chart(spec)
    root = parse(chart)
    assert_labelled(root, chart, spec.title)
    assert "<use" not in chart.svg and "clip" not in chart.svg and "<defs" not in chart.svg
    for group in root.iter(f"{SVG}g"):
        assert group.get("id") and not list(group.iter(f"{SVG}g"))[1:]  # one level, named
    ids = by_id(root)  # each id once
    assert {"legend", "reference-england-and-wales", "limit-95-upper", "limit-99-8-lower"} <= set(
        ids
    )
    assert chart == funnel_chart(spec)  # the same bytes again
    noted = any(p.off_scale for p in spec.points)  # the cases' notes are the off-scale points'
    for row, p in zip(chart.rows, spec.points, strict=True):
        where = "off the scale" if p.off_scale else p.significance
        assert row[:4] == (p.label, f"{p.population:,.0f}", p.display, where)
        assert row[4:] == (
            (("a population that misleads" if p.off_scale else ""),) if noted else ()
        )


def test_a_highlight_changes_only_its_force() -> None:
    """Two reports' funnels differ in the highlighted points' markers and labels only."""
    spec = _spec("small populations")
    other = replace(
        spec,
        points=tuple(replace(p, highlighted=p.label == "Force 9") for p in spec.points),
    )
    mine, theirs = by_id(parse(funnel_chart(spec))), by_id(parse(funnel_chart(other)))
    changed = {
        k for k in mine.keys() & theirs.keys() if ET.tostring(mine[k]) != ET.tostring(theirs[k])
    }
    assert changed == {"point-force-3", "point-force-9"}
    drawn = {k for k in set(mine) ^ set(theirs) if not k.startswith("chart-")}  # not the titles'
    assert drawn == {"label-force-3", "label-force-9"}


def test_the_view_is_the_inputs() -> None:
    """The chart's own axes give back the view the inputs call for (guarding the reading of
    the axes above against a reading that only agrees with itself)."""
    spec = _spec("huge populations")
    axes = _Axes(parse(funnel_chart(spec)), spec)
    low, high = _x_view(spec)
    assert axes.population(axes.left) == pytest.approx(low, rel=1e-6)
    assert axes.population(axes.right) == pytest.approx(high, rel=1e-6)
    y_low, y_high = _y_view(spec)
    assert axes.value(axes.bottom) == pytest.approx(y_low, abs=1e-6)
    assert axes.value(axes.top) == pytest.approx(y_high, abs=1e-6)
    assert [p for _, p in axes.x_ticks] == [5e6, 1e7, 2e7, 5e7, 1e8]  # 2.29m to 118m
