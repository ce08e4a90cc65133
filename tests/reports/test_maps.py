"""The choropleth map of the 43 force areas: real ONS boundaries, the engine's values, real SVG.

Values are the indicator engine's recorded crime per 1,000 population for the 12 months to
30 September 2018 (mid-2018 population); the boundaries are the ONS December 2016 file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from matplotlib.colors import to_rgb

from peelkit import Workspace
from peelkit.domain.periods import Period
from peelkit.reference import get_force, territorial_forces
from peelkit.reports.chart import Chart
from peelkit.reports.charts import NO_DATA
from peelkit.reports.maps import choropleth_map, quantile_classes
from peelkit.sources.boundaries import ForceArea, read_boundaries
from peelkit.views.json import to_json
from tests.reports.svg import SVG
from tests.reports.svg import by_id as _by_id
from tests.reports.svg import parse as _parse
from tests.reports.svg import texts as _texts

RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"
GEOJSON = RAW / "pfa-boundaries-2016-popm" / "Police_Force_Areas_December_2016_UGC.geojson"
INDICATOR = "recorded_crime_per_1000"


@pytest.fixture(scope="module")
def areas() -> list[ForceArea]:
    return read_boundaries(GEOJSON)


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict[str, Any]]]:
    workspace = Workspace(f"sqlite:///{tmp_path_factory.mktemp('maps') / 'maps.sqlite'}")
    try:
        found = to_json(
            workspace.indicators(
                Period.from_month("2018-09"), indicator_ids=[INDICATOR], population_year=2018
            )
        )
    finally:
        workspace.close()
    yield {r["force"]: r for r in found}


def _map(
    areas: list[ForceArea],
    rows: dict[str, dict[str, Any]],
    without: tuple[str, ...] = (),
    highlight: str | None = "metropolitan",
    classes: int = 4,
) -> Chart:
    values = {f: (None if f in without else r["value"]) for f, r in rows.items()}
    displays = {f: r["display"] for f, r in rows.items() if f not in without}
    met = rows["metropolitan"]
    return choropleth_map(
        f"{met['label']}, {met['period']}",
        areas,
        values,
        displays,
        met["unit"],
        classes=classes,
        highlight=highlight,
    )


def _style(group: ET.Element) -> dict[str, str]:
    path = next(group.iter(f"{SVG}path"))
    return {
        k.strip(): v.strip()
        for k, v in (item.split(":", 1) for item in path.get("style", "").split(";") if item)
    }


def _class_of(chart: Chart) -> dict[str, str]:
    """Force id → class as the table prints it."""
    by_name = {get_force(f.id).name: f.id for f in territorial_forces()}
    return {by_name[row[0]]: row[2] for row in chart.rows}


def test_map_draws_the_43_force_areas(areas, rows):
    chart = _map(areas, rows)
    root = _parse(chart)
    assert root[0].tag == f"{SVG}title" and root[0].text == chart.title
    assert root[1].tag == f"{SVG}desc" and root[1].text == chart.alt
    ids = _by_id(root)
    drawn = {key for key in ids if key.startswith("area-")}
    assert drawn == {f"area-{f.id}" for f in territorial_forces()}
    for key in drawn:
        path = next(ids[key].iter(f"{SVG}path"))
        assert path.get("d", "").count("L") > 3, key
    assert "Map of the 43 police force areas" in chart.alt


def test_classes_follow_the_values_and_the_legend_gives_their_ranges(areas, rows):
    chart = _map(areas, rows)
    classes = {f: int(c) for f, c in _class_of(chart).items()}
    assert sorted(set(classes.values())) == [1, 2, 3, 4]
    sizes = [list(classes.values()).count(c) for c in (1, 2, 3, 4)]
    assert max(sizes) - min(sizes) <= 2  # quantiles: about equal numbers of forces
    for force, number in classes.items():
        for other, other_number in classes.items():
            if number < other_number:
                assert rows[force]["value"] <= rows[other]["value"]
    texts = _texts(_parse(chart))
    for number in (1, 2, 3, 4):
        members = sorted(
            (f for f in classes if classes[f] == number), key=lambda f: rows[f]["value"]
        )
        low, high = rows[members[0]]["display"], rows[members[-1]]["display"]
        extreme = {1: " (lowest)", 4: " (highest)"}.get(number, "")
        assert f"{number}{extreme}: {low} to {high}" in texts


def test_classes_are_shaded_in_order_and_numbered_on_the_map(areas, rows):
    chart = _map(areas, rows, highlight=None)
    root = _parse(chart)
    ids = _by_id(root)
    classes = _class_of(chart)
    fills: dict[str, set[str]] = {}
    for force, number in classes.items():
        fills.setdefault(number, set()).add(_style(ids[f"area-{force}"])["fill"])
    assert all(len(f) == 1 for f in fills.values())
    lightness = [sum(to_rgb(next(iter(fills[str(n)])))) for n in (1, 2, 3, 4)]
    assert lightness == sorted(lightness, reverse=True)  # darker for higher classes
    # colour is not alone: each area's class number is written on it (City of London, too
    # small to hold it, has a labelled leader line)
    texts = _texts(root)
    numbers = [t for t in texts if re.fullmatch(r"[1-4]", t)]
    assert len(numbers) == 42
    for n in ("1", "2", "3", "4"):
        assert numbers.count(n) == list(classes.values()).count(n) - (
            1 if classes["city-of-london"] == n else 0
        )
    assert f"City of London Police: {classes['city-of-london']}" in texts


def test_forces_without_data_are_hatched_and_listed(areas, rows):
    chart = _map(areas, rows, without=("kent", "gwent"))
    root = _parse(chart)
    ids = _by_id(root)
    assert _style(ids["area-kent"])["fill"].startswith("url(#")
    assert _style(ids["area-gwent"])["fill"].startswith("url(#")
    assert not _style(ids["area-essex"])["fill"].startswith("url(#")
    assert NO_DATA in _texts(root)  # the legend
    table = {row[0]: row[1:] for row in chart.rows}
    assert table["Kent Police"] == (NO_DATA, NO_DATA)
    assert table["Gwent Police"] == (NO_DATA, NO_DATA)
    assert "No data for Gwent Police and Kent Police" in chart.alt
    assert sum(1 for row in chart.rows if row[2] != NO_DATA) == 41
    full = _map(areas, rows)
    assert NO_DATA not in _texts(_parse(full))


def test_table_is_the_engines_figures_by_force_name(areas, rows):
    chart = _map(areas, rows)
    assert chart.columns == ("Force", rows["metropolitan"]["unit"], "Class")
    assert len(chart.rows) == 43
    names = [row[0] for row in chart.rows]
    assert names == sorted(names)
    by_name = {get_force(f).name: r for f, r in rows.items()}
    for name, display, _ in chart.rows:
        assert display == by_name[name]["display"]


def test_highlighted_force_is_outlined_and_named(areas, rows):
    chart = _map(areas, rows, highlight="metropolitan")
    root = _parse(chart)
    ids = _by_id(root)
    met, kent = _style(ids["area-metropolitan"]), _style(ids["area-kent"])
    assert met["stroke"] != kent["stroke"]
    assert float(met["stroke-width"]) > float(kent["stroke-width"])
    assert "Outlined: Metropolitan Police Service" in _texts(root)
    met_class = _class_of(chart)["metropolitan"]
    assert (
        f"Metropolitan Police Service (outlined) is in class {met_class} at "
        f"{rows['metropolitan']['display']}" in chart.alt
    )


def test_map_is_deterministic(areas, rows):
    # Speed is measured in benchmarks/reports_benchmark.py, not here.
    first = _map(areas, rows)
    assert first.svg == _map(areas, rows).svg


def test_quantile_classes_keep_ties_together_and_drop_empty_classes():
    assert quantile_classes({"a": 1.0, "b": 2.0, "c": 3.0, "d": 4.0}, 2) == {
        "a": 1,
        "b": 1,
        "c": 2,
        "d": 2,
    }
    tied = quantile_classes({"a": 1.0, "b": 1.0, "c": 1.0, "d": 4.0}, 4)
    assert tied["a"] == tied["b"] == tied["c"] == 1 and tied["d"] == 2
    assert set(quantile_classes({"a": 5.0}, 4).values()) == {1}
    with pytest.raises(ValueError):
        quantile_classes({"a": 1.0}, 0)


def test_map_refuses_an_unknown_highlight(areas, rows):
    with pytest.raises(ValueError, match="highlighted"):
        _map(areas, rows, highlight="btp")
