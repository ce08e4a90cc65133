"""The funnel plot's SVG, parsed back: every force placed by its population and
value, the control limits around England and Wales, where each force lies said by shape and in
words, the highlighted force labelled, City of London kept off the scale.

Figures are the engine's (recorded crime per 1,000 population, 12 months to 30 September 2018,
mid-2018 population); the control limits are recomputed here with scipy's exact Poisson
quantiles from each force's population and England and Wales' rate, not taken from the code.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from scipy.stats import chi2

from peelkit import Workspace
from peelkit.domain.periods import Period
from peelkit.reference import all_forces, resolve_force
from peelkit.reports.chart import Chart
from peelkit.reports.drawing import draw
from peelkit.reports.svg import slug
from peelkit.views.charts import FunnelChart
from peelkit.views.context import funnel_chart
from peelkit.views.indicators import IndicatorRow
from peelkit.views.json import to_json
from tests.reports.svg import SVG, by_id, parse, texts

INDICATOR = "recorded_crime_per_1000"
SEP_2018 = Period.from_month("2018-09")


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[IndicatorRow]]:
    workspace = Workspace(f"sqlite:///{tmp_path_factory.mktemp('funnel') / 'f.sqlite'}")
    found = list(workspace.indicators(SEP_2018, indicator_ids=[INDICATOR], population_year=2018))
    assert len(found) == 43
    yield found
    workspace.close()


@pytest.fixture(scope="module")
def spec(rows: list[IndicatorRow]) -> FunnelChart:
    met = next(r for r in rows if r.force == "metropolitan")
    made = funnel_chart(rows, resolve_force("Met"), met)
    assert made is not None
    return made


@pytest.fixture(scope="module")
def chart(spec: FunnelChart) -> Chart:
    return draw(spec)


def _names() -> dict[str, str]:
    return {f.id: f.short_name for f in all_forces()}


def _exact_limits(rate: float, population: float, level: float) -> tuple[float, float]:
    """Exact Poisson control limits for a rate per 1,000 at a population (scipy)."""
    expected = rate * population / 1000
    alpha = 1 - level
    lower = chi2.ppf(alpha / 2, 2 * expected) / 2
    upper = chi2.ppf(1 - alpha / 2, 2 * (expected + 1)) / 2
    return lower * 1000 / population, upper * 1000 / population


def _where(value: float, rate: float, population: float) -> str:
    low95, high95 = _exact_limits(rate, population, 0.95)
    low998, high998 = _exact_limits(rate, population, 0.998)
    if value > high998:
        return "above the 99.8% limit"
    if value > high95:
        return "above the 95% limit"
    if value < low998:
        return "below the 99.8% limit"
    if value < low95:
        return "below the 95% limit"
    return "within the limits"


def test_every_force_is_a_point_at_its_population(spec: FunnelChart, rows: list[IndicatorRow]):
    names = _names()
    by_label = {p.label: p for p in spec.points}
    assert set(by_label) == {names[r.force] for r in rows}
    ew_rate = next(r for r in rows if r.force == "metropolitan").comparator_value
    assert ew_rate is not None and spec.comparator_value == ew_rate
    for row in rows:
        point = by_label[names[row.force]]
        assert point.population == row.denominator
        assert point.value == row.value and point.display == row.display
        assert point.highlighted == (row.force == "metropolitan")
        assert point.off_scale == (row.force == "city-of-london")
        assert row.value is not None and row.denominator is not None
        if not point.off_scale:
            assert point.significance == _where(row.value, ew_rate, row.denominator), row.force


def test_the_limits_are_exact_poisson_around_england_and_wales(spec: FunnelChart):
    assert [limit.level for limit in spec.limits] == ["95%", "99.8%"]
    for limit, level in zip(spec.limits, (0.95, 0.998), strict=True):
        for population, low, high in zip(limit.populations, limit.lower, limit.upper, strict=True):
            want_low, want_high = _exact_limits(spec.comparator_value, population, level)
            assert low == pytest.approx(want_low, rel=1e-6)
            assert high == pytest.approx(want_high, rel=1e-6)
    # the curves span every force drawn on the scale
    drawn = [p.population for p in spec.points if not p.off_scale]
    assert spec.limits[0].populations[0] < min(drawn)
    assert spec.limits[0].populations[-1] > max(drawn)


def test_the_svg_is_vector_labelled_with_ids(chart: Chart, spec: FunnelChart):
    root = parse(chart)
    assert root[0].tag == f"{SVG}title" and root[0].text == spec.title
    assert root[1].tag == f"{SVG}desc" and root[1].text == chart.alt
    assert "<image" not in chart.svg and "<metadata" not in chart.svg
    assert not re.search(r' id="[A-Za-z.]+_\d+"', chart.svg)
    ids = by_id(root)
    for point in spec.points:
        key = ("off-scale-" if point.off_scale else "point-") + slug(point.label)
        assert key in ids, key
    for side in ("upper", "lower"):
        assert f"limit-95-{side}" in ids and f"limit-99-8-{side}" in ids
    assert "reference-england-and-wales" in ids


def _marker_path(point: ET.Element) -> str:
    """The marker's shape and fill, wherever it is drawn: its path's commands, its corners
    relative to the first, and its fill."""
    d = point.get("d") or ""
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    commands = "".join(re.findall(r"[A-Za-z]", d))
    if "A" in commands:  # a circle: two arcs, its radius
        corners = f"r={numbers[2]:.2f}"
    else:
        x0, y0 = numbers[0], numbers[1]
        corners = " ".join(
            f"{x - x0:.2f},{y - y0:.2f}" for x, y in zip(numbers[::2], numbers[1::2], strict=True)
        )
    fill = re.search(r"fill: ([^;]+)", point.get("style") or "")
    return f"{commands} {corners} {fill.group(1) if fill else ''}"


def test_shape_not_colour_alone_says_where_a_point_lies(chart: Chart, spec: FunnelChart):
    ids = by_id(parse(chart))
    shapes: dict[str, set[str]] = {}
    for point in spec.points:
        if point.off_scale or point.highlighted:
            continue
        shapes.setdefault(point.significance, set()).add(
            _marker_path(ids[f"point-{slug(point.label)}"])
        )
    assert len(shapes) >= 2  # forces above and below England and Wales in 2018
    # one marker per position, and different positions differ in shape
    assert all(len(s) == 1 for s in shapes.values())
    assert len({next(iter(s)) for s in shapes.values()}) == len(shapes)
    legend = texts(parse(chart))
    for position in shapes:
        assert position[0].upper() + position[1:] in legend


def test_the_highlighted_force_is_labelled(chart: Chart, spec: FunnelChart, rows):
    met = next(r for r in rows if r.force == "metropolitan")
    label = next(p.label for p in spec.points if p.highlighted)
    assert f"{label} {met.display}" in texts(parse(chart))
    assert f"{label}: {met.display} with a population of" in chart.alt


def test_the_data_table_is_the_specs_data(chart: Chart, spec: FunnelChart, rows):
    assert chart.columns == ("Force", "Population", spec.unit, "Against the limits", "Note")
    assert chart.rows == tuple(
        (
            p.label,
            f"{p.population:,.0f}",
            p.display,
            "off the scale" if p.off_scale else p.significance,
            p.note or "",
        )
        for p in spec.points
    )
    # and the spec's data is the engine's, by force
    names = _names()
    engine = {names[r["force"]]: r for r in to_json(rows)}
    for row in chart.rows:
        assert row[2] == engine[row[0]]["display"]
        assert row[1] == f"{engine[row[0]]['denominator']:,.0f}"


def test_city_of_london_is_off_the_scale(chart: Chart, spec: FunnelChart, rows):
    city = next(r for r in rows if r.force == "city-of-london")
    assert city.value is not None and city.population_note
    root = parse(chart)
    label = _names()["city-of-london"]
    assert f"{label} {city.display} (off the scale)" in texts(root)
    # the value axis is scaled to the other forces: no tick reaches the City's rate (the
    # population ticks across are written with separators or as millions: "500,000", "2m")
    ticks = [float(t) for t in texts(root) if re.fullmatch(r"\d+(\.\d+)?", t)]
    others = max(r.value or 0 for r in rows if r.force != "city-of-london")
    assert max(ticks) < city.value
    assert max(ticks) < others * 1.3
    assert f"{label} ({city.display}) is drawn off the scale" in chart.alt
    assert city.population_note in chart.alt


def test_the_funnel_is_deterministic(spec: FunnelChart):
    assert draw(spec).svg == draw(spec).svg
