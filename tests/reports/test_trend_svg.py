"""The trend chart's SVG, written directly (peelkit.reports.trend_chart, no matplotlib figure),
read back against what it was asked to draw: each line passes through its series' values at
its periods (read off the chart's own axis: its tick labels and grid lines), a gap where a value
is missing, a marker on every value; the periods, the names, the trend and the unit printed;
the title and description the chart's; and the axis' ticks and labels those matplotlib's own
locator and formatter give for the same view, its markers matplotlib's shapes.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import xml.etree.ElementTree as ET

import pytest
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from peelkit.reports.chart import Chart
from peelkit.reports.charts import trend_chart
from peelkit.reports.ticks import auto_bins, in_view, raw_ticks, tick_labels
from tests.reports.svg import SVG, assert_labelled, assert_matplotlib_marker, by_id, parse
from tests.reports.svg import numbers as _numbers
from tests.reports.svg import text_of as _text

FIVE = [f"12 months to 30 September {year}" for year in range(2014, 2019)]
_Case = tuple[list[str], list[tuple[str, list[float | None]]], str | None, str | None]
CASES: dict[str, _Case] = {  # title: (periods, series, highlight, marker)
    "three lines, a gap": (
        FIVE,
        [
            ("Metropolitan Police Service", [81.43, 85.02, None, 95.5, 100.0]),
            ("Most similar group", [73.67, 74.1, 75.0, 80.2, 88.9]),
            ("England and Wales", [60.34, 66.0, 70.12, 78.0, 84.76]),
        ],
        "Metropolitan Police Service",
        "Trend over the last 5 years: increasing (significant at the 99.8% level).",
    ),
    "six lines, short periods": (
        ["2017", "2018", "2019"],
        [
            ("A", [0.25, 0.5, 1.25]),
            ("B", [2.0, 3.5, -1.0]),
            ("C", [1, 2, 3]),
            ("D", [1, 1, 1]),
            ("E", [0, 0, 1]),
            ("F", [3, 2, 1]),
        ],
        None,
        None,
    ),
    "below zero": (["2017/18", "2018/19"], [("A", [-12.5, -3.0])], "A", None),
    "isolated values": (FIVE, [("A", [5.0, None, 7.0, None, 9.5])], None, "No trend."),
    "one period": (["2018"], [("A", [1234.5])], None, None),
}


def _chart(title: str) -> Chart:
    periods, series, highlight, marker = CASES[title]
    return trend_chart(title, periods, series, "per 1,000 population", highlight, marker=marker)


def _axis(root: ET.Element) -> tuple[list[float], list[tuple[float, float]]]:
    """The x of each period's tick, and (y, value) of each y tick as labelled."""
    ids = by_id(root)
    periods = [_numbers(p.get("d", ""))[0] for p in ids["x-axis"].iter(f"{SVG}path")]
    labels = [t for t in ids["y-axis"].iter(f"{SVG}text") if "rotate" not in t.get("transform", "")]
    ticks = [
        (_numbers(p.get("d", ""))[1], float(_text(t).replace("\u2212", "-")))
        for p, t in zip(
            [p for p in ids["y-axis"].iter(f"{SVG}path") if "#d9d9d9" in p.get("style", "")],
            labels,
            strict=True,
        )
    ]
    return periods, ticks


@pytest.mark.parametrize("title", list(CASES))
def test_each_line_passes_through_its_values(title: str) -> None:
    periods, series, highlight, _ = CASES[title]
    root = parse(_chart(title))
    xs, ticks = _axis(root)
    assert len(xs) == len(periods)
    if len(xs) > 1:  # the periods evenly spaced
        steps = [b - a for a, b in itertools.pairwise(xs)]
        assert max(steps) - min(steps) < 1e-5
    (y_a, v_a), (y_b, v_b) = ticks[0], ticks[-1]
    span = abs(v_b - v_a)

    def value_at(y: float) -> float:
        return v_a + (y - y_a) * (v_b - v_a) / (y_b - y_a)

    ids = by_id(root)
    for name, values in series:
        group = ids[f"series-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}"]
        line, *markers = list(group.iter(f"{SVG}path"))
        runs: list[list[tuple[int, float]]] = []
        run: list[tuple[int, float]] = []
        for i, v in enumerate(values):
            if v is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append((i, v))
        runs += [run] if run else []
        drawn = [_numbers(part) for part in line.get("d", "").split("M ")[1:]]
        assert len(drawn) == len(runs), name  # one stroke a run of values, a gap between
        for points, expected in zip(drawn, runs, strict=True):
            pairs = list(zip(points[0::2], points[1::2], strict=True))
            assert len(pairs) == len(expected)
            for (x, y), (i, v) in zip(pairs, expected, strict=True):
                assert x == pytest.approx(xs[i], abs=1e-5)
                assert value_at(y) == pytest.approx(v, abs=1e-6 * max(span, 1.0))
        # a marker on every value, centred on it
        (shapes,) = markers
        centres = []
        for outline in shapes.get("d", "").split("M ")[1:]:
            numbers = _numbers(outline)
            if " A " in outline:  # a circle: from its rightmost point, radius r
                centres.append((numbers[0] - numbers[2], numbers[1]))
            else:
                px, py = numbers[0::2], numbers[1::2]
                centres.append(((max(px) + min(px)) / 2, (max(py) + min(py)) / 2))
        known = [(i, v) for i, v in enumerate(values) if v is not None]
        assert len(centres) == len(known)
        for (cx, cy), (i, v) in zip(centres, known, strict=True):
            assert cx == pytest.approx(xs[i], abs=1e-5)
            assert value_at(cy) == pytest.approx(v, abs=1e-6 * max(span, 1.0))
        found = re.search(r"stroke-width: ([\d.]+)", line.get("style", ""))
        assert found is not None
        width = float(found[1])
        assert width == (2.6 if name == highlight else 1.5)


@pytest.mark.parametrize("title", list(CASES))
def test_the_words_are_the_charts(title: str) -> None:
    periods, series, highlight, marker = CASES[title]
    chart = _chart(title)
    root = parse(chart)
    assert_labelled(root, chart, title)
    ids = by_id(root)
    assert [_text(t) for t in ids["x-axis"].iter(f"{SVG}text")] == periods
    unit = [t for t in ids["y-axis"].iter(f"{SVG}text") if "rotate" in t.get("transform", "")]
    assert [_text(t) for t in unit] == ["per 1,000 population"]
    legend = list(ids["legend"].iter(f"{SVG}text"))
    assert sorted(_text(t) for t in legend) == sorted(name for name, _ in series)
    bold = [_text(t) for t in legend if "font-weight: 700" in t.get("style", "")]
    assert bold == ([highlight] if highlight else [])
    if marker:
        assert _text(ids["trend-marker"]) == marker
    else:
        assert "trend-marker" not in ids
    assert "<use" not in chart.svg and "clip-path" not in chart.svg  # plain elements only


def _matplotlib_axis(low: float, high: float) -> tuple[list[float], list[str]]:
    """matplotlib's ticks and labels on an axis as tall as the trend chart's plot."""
    figure = Figure(figsize=(8, 4), dpi=72)
    axes = figure.add_axes((0.1, 0.1, 0.8, 187.2 / (4 * 72)))
    axes.tick_params(axis="y", labelsize=7.0)
    axes.set_ylim(low, high)
    locs = [float(v) for v in axes.get_yticks()]
    return locs, axes.yaxis.get_major_formatter().format_ticks(locs)


def _views() -> list[tuple[float, float]]:
    rng = random.Random(14)
    views = [(0.0, 1.12), (0.0, 119.85), (-13.75, 0.0), (0.0, 0.05), (-2.2, 5.6)]
    views += [(0.0, 1.12 * 10 ** rng.uniform(-3, 5.5)) for _ in range(60)]
    views += [(-1.1 * 10 ** rng.uniform(-2, 4), 1.12 * 10 ** rng.uniform(-2, 4)) for _ in range(40)]
    return views


@pytest.mark.parametrize("view", _views())
def test_ticks_are_those_matplotlib_draws(view: tuple[float, float]) -> None:
    low, high = view
    bins = auto_bins(187.2, 7.0)
    ticks = raw_ticks(low, high, bins)
    locs, labels = _matplotlib_axis(low, high)
    assert ticks == pytest.approx(locs, rel=1e-12, abs=1e-12 * (high - low))
    assert tick_labels(ticks, low, high) == labels
    assert all(low - 1e-9 <= t <= high + 1e-9 for t in in_view(ticks, low, high))


@pytest.mark.parametrize("index", range(6))
def test_markers_are_matplotlibs_shapes(index: int) -> None:
    names = "ABCDEF"
    chart = trend_chart("M", ["2018"], [(n, [1.0]) for n in names], "u")
    group = by_id(parse(chart))[f"series-{names[index].lower()}"]
    _, shapes = list(group.iter(f"{SVG}path"))
    outline = shapes.get("d", "")
    assert_matplotlib_marker(outline, "os^DvP"[index], 4.5)  # not highlighted


@pytest.mark.parametrize("count", [2, 5, 10])
def test_turned_period_labels_stay_inside_the_figure(count: int) -> None:
    # "12 months to 30 September 2014" turned at 30 degrees reaches about 96 pt left of its
    # tick: the first one must still start inside the figure
    periods = [f"12 months to 30 September {2014 + i}" for i in range(count)]
    chart = trend_chart("T", periods, [("A", [1.0] * count)], "u")
    root = parse(chart)
    width = _numbers(root.get("viewBox", ""))[2]
    for label in by_id(root)["x-axis"].iter(f"{SVG}text"):
        transform = label.get("transform", "")
        assert "rotate(-30)" in transform
        x = _numbers(transform)[0]  # where the turned text starts, at its bottom left
        # the text's extent as matplotlib measures it
        text_width, _, descent = TextToPath().get_text_width_height_descent(
            _text(label), FontProperties(size=7.0), ismath=False
        )
        assert x - descent * math.sin(math.radians(30)) >= 0
        assert x + text_width * math.cos(math.radians(30)) <= width
