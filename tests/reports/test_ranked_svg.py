"""The ranked bar chart's SVG, written directly (peelkit.reports.ranked_chart, no matplotlib
figure), read back against what it was asked to draw: each bar from zero to its value on the
chart's own axis (read from its tick labels and grid lines), highest first; whiskers at the
interval ends; bars off the scale up to the axis' top, broken, with an arrow and their value,
and kept out of the scale; reference lines at their values with labels kept apart; the
highlighted force's bar coloured, its name in bold and its value written by its bar.

The independent computations are matplotlib's own: the axis' ticks and labels from its locator
and formatter on a figure and axes of the chart's size and view, and the extent of each text
from its layout.
"""

from __future__ import annotations

import io
import itertools
import random
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.figure import Figure

from peelkit.reference import territorial_forces
from peelkit.reports.chart import Chart
from peelkit.reports.charts import ranked_bar_chart
from peelkit.reports.svg import BAR_COLOUR, FONT_SIZE, HIGHLIGHT_COLOUR, INK, slug
from tests.reports.svg import SVG, assert_labelled, by_id, parse
from tests.reports.svg import numbers as _numbers
from tests.reports.svg import text_of as _text

UNIT = "per 1,000 population"
_Values = list[tuple[str, float | None, str]]
_Intervals = dict[str, tuple[float, float, str, str]]


@dataclass(frozen=True)
class Case:
    values: _Values
    highlight: str | None
    references: list[tuple[str, float, str]]
    intervals: _Intervals
    off_scale: dict[str, str]


def _shown(values: list[tuple[str, float]]) -> _Values:
    return [(label, value, f"{value:.1f}") for label, value in values]


def _around(values: _Values, rng: random.Random, share: float = 1.0) -> _Intervals:
    """An interval around some of the values, as the reports' 95% intervals."""
    out = {}
    for label, value, _ in values:
        if value is not None and rng.random() < share:
            lower, upper = value - rng.uniform(0.2, 4), value + rng.uniform(0.2, 4)
            out[label] = (lower, upper, f"{lower:.1f}", f"{upper:.1f}")
    return out


def _every_force() -> Case:
    rng = random.Random(43)
    names = [force.short_name for force in territorial_forces()]
    values = _shown([(name, round(rng.uniform(40, 120), 2)) for name in names])
    values[7] = (values[7][0], None, "")  # no data: not drawn
    references = [("England and Wales", 78.3, "78.3"), ("Most similar group", 80.1, "80.1")]
    return Case(values, "Metropolitan Police", references, _around(values, rng), {})


def _off_scale(highlight: str) -> Case:
    rng = random.Random(7)
    values = _shown([("City of London", 414.2), ("Avon", 60.5), ("Kent", 71.0), ("Essex", 55.25)])
    intervals = _around(values, rng)
    return Case(
        values,
        highlight,
        [("England and Wales", 64.0, "64.0")],
        intervals,
        {"City of London": "a resident population that misleads"},
    )


CASES: dict[str, Case] = {
    "43 forces, two references close together": _every_force(),
    "below zero, the highlighted one too": Case(
        _shown([("A", -12.5), ("B", -3.0), ("C", 4.25), ("D", -0.5)]),
        "A",
        [("England and Wales", -2.0, "-2.0"), ("Most similar group", 1.5, "1.5")],
        {"A": (-15.0, -10.0, "-15.0", "-10.0"), "C": (3.0, 5.5, "3.0", "5.5")},
        {},
    ),
    "one force": Case(_shown([("Kent", 61.75)]), "Kent", [], {}, {}),
    "off the scale": _off_scale("Kent"),
    "off the scale, highlighted": _off_scale("City of London"),
    "no references, no highlight": Case(
        _shown([("A", 0.004), ("B", 0.031), ("C", 0.018)]), None, [], {}, {}
    ),
    "ties, four references piled up": Case(
        _shown([("A", 5.0), ("B", 5.0), ("C", 7.5), ("D", 5.0)]),
        "D",
        [
            ("R one", 5.0, "5.0"),
            ("R two", 5.1, "5.1"),
            ("R three", 4.9, "4.9"),
            ("R four", 9.0, "9"),
        ],
        {},
        {},
    ),
}


def _chart(title: str) -> Chart:
    case = CASES[title]
    return ranked_bar_chart(
        title,
        case.values,
        case.highlight,
        case.references,
        UNIT,
        intervals=case.intervals,
        off_scale=case.off_scale,
    )


def _drawn(case: Case) -> list[tuple[str, float, str]]:
    """The forces with a value, highest first (equal values in the order given)."""
    known = [(label, value, display) for label, value, display in case.values if value is not None]
    return sorted(known, key=lambda item: -item[1])


def _view(case: Case) -> tuple[float, float]:
    """The y view the chart is asked for: zero, every value on the scale, its interval and the
    reference values; 12% of the span above, 6% below when anything is negative."""
    scaled = [(label, v) for label, v, _ in _drawn(case) if label not in case.off_scale]
    numbers = [0.0, *(v for _, v in scaled), *(v for _, v, _ in case.references)]
    numbers += [
        end for label, _ in scaled if label in case.intervals for end in case.intervals[label][:2]
    ]
    low, high = min(numbers), max(numbers)
    span = (high - low) or 1.0
    return low - (0.06 * span if low < 0 else 0.0), high + 0.12 * span


def _style(element: ET.Element) -> dict[str, str]:
    return {
        key.strip(): value.strip()
        for key, value in (item.split(":", 1) for item in element.get("style", "").split(";"))
    }


@dataclass(frozen=True)
class Read:
    """A chart read back: its elements by id, its plot area (from the axes' edges) and its
    y axis (each tick's y and value as labelled)."""

    root: ET.Element
    ids: dict[str, ET.Element]
    left: float
    right: float
    top: float
    bottom: float
    ticks: list[tuple[float, str]]

    def value_at(self, y: float) -> float:
        """The value at ``y`` on the axis, from its first and last tick."""
        (y_a, label_a), (y_b, label_b) = self.ticks[0], self.ticks[-1]
        a, b = _value(label_a), _value(label_b)
        return a + (y - y_a) * (b - a) / (y_b - y_a)

    def centre(self, position: int) -> float:
        """The x of the centre of the bar at ``position`` (0 the highest)."""
        return self.left + (position + 0.6) * self.step

    @property
    def step(self) -> float:
        """How far apart the bars' centres are."""
        count = sum(1 for key in self.ids if key.startswith("bar-"))
        return (self.right - self.left) / (count + 0.2)  # the view: -0.6 to count - 0.4


def _value(label: str) -> float:
    return float(label.replace("\u2212", "-"))


def _read(chart: Chart) -> Read:
    root = parse(chart)
    ids = by_id(root)
    edges = [
        _numbers(p.get("d", ""))
        for p in root.findall(f"{SVG}path")
        if "stroke: #000000" in p.get("style", "")
    ]
    ((lx, ly0, _, ly1), (bx0, by, bx1, _)) = edges  # the left edge, then the bottom edge
    assert lx == bx0 and ly0 == by
    axis = ids["y-axis"]
    grid = [p for p in axis.iter(f"{SVG}path") if "#d9d9d9" in p.get("style", "")]
    labels = [t for t in axis.iter(f"{SVG}text") if "rotate" not in t.get("transform", "")]
    ticks = [(_numbers(p.get("d", ""))[1], _text(t)) for p, t in zip(grid, labels, strict=True)]
    return Read(root, ids, lx, bx1, ly1, by, ticks)


def _extent(text: str, size: float, bold: bool) -> tuple[float, float, float]:
    """The width, ascent and descent of ``text`` as matplotlib lays it out for SVG (at 72 dpi,
    so in points): the box of a text placed on its baseline at the origin."""
    figure = Figure(figsize=(4, 4), dpi=72)
    make: Callable[..., Any] = RendererSVG  # matplotlib's SVG writer measures text like this
    renderer = make(288, 288, io.StringIO())
    placed = figure.text(
        0, 0, text, fontsize=size, fontweight="bold" if bold else "normal", va="baseline"
    )
    box = placed.get_window_extent(renderer)
    return box.width, box.y1, -box.y0


def _bar_points(element: ET.Element) -> tuple[float, float, float, float]:
    """A bar's left, right, base (at zero) and end (at its value) in SVG coordinates."""
    left, base, right, base_again, right_again, end, left_again, end_again = _numbers(
        element.get("d", "")
    )
    assert (base, right, end, left) == (base_again, right_again, end_again, left_again)
    return left, right, base, end


@pytest.mark.parametrize("title", list(CASES))
def test_each_bar_reaches_its_value_highest_first(title: str) -> None:
    case = CASES[title]
    chart = _chart(title)
    read = _read(chart)
    drawn = _drawn(case)
    bars = [key for key in read.ids if key.startswith("bar-")]
    assert bars == [f"bar-{slug(label)}" for label, _, _ in drawn]  # highest first
    for label, value, _ in case.values:  # no bar without a value
        assert (f"bar-{slug(label)}" in read.ids) is (value is not None)
    low, high = _view(case)
    span = high - low
    assert read.value_at(read.top) == pytest.approx(high, abs=1e-6 * span)  # the view asked for
    assert read.value_at(read.bottom) == pytest.approx(low, abs=1e-6 * span)
    for position, (label, value, _) in enumerate(drawn):
        left, right, base, end = _bar_points(read.ids[f"bar-{slug(label)}"])
        centre = read.centre(position)
        assert (left + right) / 2 == pytest.approx(centre, abs=1e-5)
        assert right - left == pytest.approx(0.8 * read.step, abs=1e-5)
        assert read.value_at(base) == pytest.approx(0.0, abs=1e-6 * span)
        if label in case.off_scale:
            assert end == pytest.approx(read.top, abs=1e-5)  # up to the axis' top
        else:
            assert read.value_at(end) == pytest.approx(value, abs=1e-6 * span)


@pytest.mark.parametrize("title", list(CASES))
def test_whiskers_are_at_the_interval_ends(title: str) -> None:
    case = CASES[title]
    read = _read(_chart(title))
    span = _view(case)[1] - _view(case)[0]
    drawn = _drawn(case)
    for position, (label, _, _) in enumerate(drawn):
        key = f"interval-{slug(label)}"
        if label not in case.intervals or label in case.off_scale:
            assert key not in read.ids
            continue
        lower, upper, _, _ = case.intervals[label]
        whisker = read.ids[key].get("d", "")
        strokes = [_numbers(part) for part in whisker.split("M ")[1:]]
        (lx0, ly0, lx1, ly1), (vx0, vy0, vx1, vy1), (ux0, uy0, ux1, uy1) = strokes
        centre = read.centre(position)
        assert vx0 == vx1 == pytest.approx(centre, abs=1e-5)  # upright, on the bar
        assert read.value_at(vy0) == pytest.approx(lower, abs=1e-6 * span)
        assert read.value_at(vy1) == pytest.approx(upper, abs=1e-6 * span)
        assert ly0 == ly1 == vy0 and uy0 == uy1 == vy1  # caps across both ends
        for x0, x1 in ((lx0, lx1), (ux0, ux1)):
            assert (x0 + x1) / 2 == pytest.approx(centre, abs=1e-5)
            assert x1 - x0 == pytest.approx(0.44 * read.step, abs=1e-5)


@pytest.mark.parametrize("title", [t for t in CASES if CASES[t].off_scale])
def test_off_scale_bars_are_broken_at_the_top_and_kept_off_the_scale(title: str) -> None:
    case = CASES[title]
    read = _read(_chart(title))
    drawn = _drawn(case)
    for position, (label, value, display) in enumerate(drawn):
        if label not in case.off_scale:
            continue
        name = slug(label)
        assert max(_value(text) for _, text in read.ticks) < value  # no tick reaches it
        centre = read.centre(position)
        broken = _numbers(read.ids[f"off-scale-{name}"].get("d", ""))
        xs, ys = broken[0::2], broken[1::2]
        assert min(xs) < centre - 0.4 * read.step and max(xs) > centre + 0.4 * read.step
        assert read.top < min(ys) and max(ys) < read.top + 0.25 * (read.bottom - read.top)
        arrow = _numbers(read.ids[f"off-scale-arrow-{name}"].get("d", ""))
        base = arrow[:4]
        tip_x, tip_y = arrow[4:6]
        assert base[1] == base[3] == pytest.approx(read.top, abs=1e-5)
        assert tip_x == pytest.approx(centre, abs=1e-5) and tip_y < read.top
        written = read.ids[f"off-scale-value-{name}"]
        assert _text(written) == display
        _, _, descent = _extent(display, FONT_SIZE, True)
        assert float(written.get("x", "")) == pytest.approx(centre, abs=1e-5)
        assert float(written.get("y", "")) == pytest.approx(tip_y - 2 - descent, abs=1e-5)


@pytest.mark.parametrize("title", list(CASES))
def test_reference_lines_are_at_their_values_and_their_labels_apart(title: str) -> None:
    case = CASES[title]
    read = _read(_chart(title))
    span = _view(case)[1] - _view(case)[0]
    joints = [
        _numbers(p.get("d", ""))
        for p in read.root.findall(f"{SVG}path")
        if p.get("id") is None and "stroke-width: 0.5" in p.get("style", "")
    ]
    centres: list[float] = []
    moved = 0
    for label, value, display in sorted(case.references, key=lambda r: r[1]):
        line = _numbers(read.ids[f"reference-{slug(label)}"].get("d", ""))
        assert line[0] == read.left and line[2] == read.right and line[1] == line[3]
        assert read.value_at(line[1]) == pytest.approx(value, abs=1e-6 * span)
        text = read.ids[f"reference-label-{slug(label)}"]
        assert _text(text) == f"{label} {display}"
        assert float(text.get("x", "")) == pytest.approx(read.right + 4, abs=1e-5)
        _, ascent, descent = _extent(_text(text), FONT_SIZE, False)
        centre = float(text.get("y", "")) - (ascent - descent) / 2  # va="center"
        level = line[1]
        if centres and level > centres[-1] - 1.4 * FONT_SIZE:  # pushed up clear of the last
            assert centre == pytest.approx(centres[-1] - 1.4 * FONT_SIZE, abs=1e-5)
            assert [read.right, level, read.right + 3, centre] in [
                pytest.approx(joint, abs=1e-5) for joint in joints
            ]  # joined to its line
            moved += 1
        else:
            assert centre == pytest.approx(level, abs=1e-5)
        centres.append(centre)
    assert all(b <= a - 1.4 * FONT_SIZE + 1e-6 for a, b in itertools.pairwise(centres))
    assert len(joints) == moved
    dashes = [
        _style(read.ids[f"reference-{slug(label)}"]).get("stroke-dasharray")
        for label, _, _ in case.references
    ]
    assert len(set(dashes)) == len(dashes)  # told apart by line style


@pytest.mark.parametrize("title", list(CASES))
def test_the_highlighted_force_is_coloured_named_in_bold_and_its_value_written(title: str) -> None:
    case = CASES[title]
    read = _read(_chart(title))
    drawn = _drawn(case)
    names = list(read.ids["force-names"].iter(f"{SVG}text"))
    assert [_text(t) for t in names] == [label for label, _, _ in drawn]
    below = read.bottom + 0.02 * (read.bottom - read.top)
    for position, ((label, value, display), name) in enumerate(zip(drawn, names, strict=True)):
        marked = label == case.highlight
        style = _style(read.ids[f"bar-{slug(label)}"])
        assert style["fill"] == (HIGHLIGHT_COLOUR if marked else BAR_COLOUR)
        assert (style.get("stroke"), style.get("stroke-width")) == (
            (INK, "0.8") if marked else (None, None)
        )
        # the name turned under its bar, its box centred on the bar, its top just below the axis
        named = _style(name)
        assert (named.get("font-weight") == "700") is marked
        assert named["fill"] == (HIGHLIGHT_COLOUR if marked else INK)
        x, y = _numbers(name.get("transform", ""))[:2]
        assert "rotate(-90)" in name.get("transform", "")
        width, ascent, descent = _extent(label, 7.0, marked)
        centre = read.centre(position)
        assert x - (ascent - descent) / 2 == pytest.approx(centre, abs=1e-5)
        assert y - width == pytest.approx(below, abs=1e-5)
        key = f"value-{slug(label)}"
        if not marked or label in case.off_scale:
            assert key not in read.ids
            continue
        written = read.ids[key]
        assert _text(written) == display and _style(written)["font-weight"] == "700"
        assert float(written.get("x", "")) == pytest.approx(centre, abs=1e-5)
        interval = case.intervals.get(label)
        end = value if interval is None else (interval[1] if value >= 0 else interval[0])
        low, high = _view(case)
        at = read.bottom - (end - low) / (high - low) * (read.bottom - read.top)
        _, ascent, descent = _extent(display, FONT_SIZE, True)
        expected = at - 3 - descent if value >= 0 else at + 3 + ascent  # clear of bar and whisker
        assert float(written.get("y", "")) == pytest.approx(expected, abs=1e-5)
    bold = [
        _text(t) for t in read.root.iter(f"{SVG}text") if "font-weight: 700" in t.get("style", "")
    ]
    off = [display for label, _, display in drawn if label in case.off_scale]
    if case.highlight is None:
        assert bold == off
    elif case.highlight in case.off_scale:
        assert sorted(bold) == sorted([*off, case.highlight])
    else:
        shown = next(display for label, _, display in drawn if label == case.highlight)
        assert sorted(bold) == sorted([*off, case.highlight, shown])


def _matplotlib_axis(read: Read, view: tuple[float, float]) -> list[tuple[float, str]]:
    """The ticks matplotlib's own locator and formatter give an axes of the chart's figure
    size, plot area and view (labels at 7 pt): each tick's SVG y and label."""
    width, height = _numbers(read.root.get("viewBox", ""))[2:]
    figure = Figure(figsize=(width / 72, height / 72), dpi=72)
    axes = figure.add_axes(
        (
            read.left / width,
            (height - read.bottom) / height,
            (read.right - read.left) / width,
            (read.bottom - read.top) / height,
        )
    )
    axes.tick_params(axis="y", labelsize=7.0)
    axes.set_ylim(*view)
    low, high = view
    locs = [float(v) for v in axes.get_yticks()]
    labels = axes.yaxis.get_major_formatter().format_ticks(locs)
    slack = 1e-10 * (high - low)
    return [
        (height - float(axes.transData.transform((0, loc))[1]), label)
        for loc, label in zip(locs, labels, strict=True)
        if low - slack <= loc <= high + slack
    ]


@pytest.mark.parametrize("title", list(CASES))
def test_y_ticks_are_those_matplotlib_draws(title: str) -> None:
    read = _read(_chart(title))
    expected = _matplotlib_axis(read, _view(CASES[title]))
    assert [label for _, label in read.ticks] == [label for _, label in expected]
    assert [y for y, _ in read.ticks] == pytest.approx([y for y, _ in expected], abs=1e-5)


@pytest.mark.parametrize("title", list(CASES))
def test_the_svg_is_plain_labelled_and_deterministic(title: str) -> None:
    chart = _chart(title)
    root = parse(chart)
    assert_labelled(root, chart, title)
    for tag in ("use", "clipPath", "defs", "image"):
        assert not list(root.iter(f"{SVG}{tag}")), tag
    assert "clip-path" not in chart.svg
    for group in root.iter(f"{SVG}g"):  # one level of named groups
        assert group.get("id") and not list(group.iter(f"{SVG}g"))[1:]
    unit = [
        t for t in by_id(root)["y-axis"].iter(f"{SVG}text") if "rotate" in t.get("transform", "")
    ]
    assert [_text(t) for t in unit] == [UNIT]
    assert _chart(title).svg == chart.svg  # the same bytes again
