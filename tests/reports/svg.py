"""Reading the SVG of a chart in tests: its root, its elements by id, its text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from peelkit.reports.chart import Chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: Chart) -> ET.Element:
    root = ET.fromstring(chart.svg)
    assert root.tag == f"{SVG}svg"
    return root


def by_id(root: ET.Element) -> dict[str, ET.Element]:
    """Elements by id; an id used twice fails the test."""
    found: dict[str, ET.Element] = {}
    for element in root.iter():
        key = element.get("id")
        if key is not None:
            assert key not in found, f"id {key!r} used twice"
            found[key] = element
    return found


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")]


def numbers(text: str) -> list[float]:
    """The numbers of a path's ``d`` or a ``transform``, in order."""
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)]


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def assert_labelled(root: ET.Element, chart: Chart, title: str) -> None:
    """The chart's ``<svg>`` opens with its title and description, which name it."""
    assert root[0].tag == f"{SVG}title" and root[0].text == chart.title == title
    assert root[1].tag == f"{SVG}desc" and root[1].text == chart.alt
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == root[0].get("id")
    assert root.get("aria-describedby") == root[1].get("id")


def assert_matplotlib_marker(outline: str, symbol: str, size: float) -> None:
    """A marker's path (``outline``, SVG's y down) is matplotlib's marker ``symbol`` at
    ``size`` points: a circle of its radius, else its outline's corners around its centre."""
    from matplotlib.markers import MarkerStyle

    found = numbers(outline)
    if symbol == "o":
        assert found[2] == found[3] == pytest.approx(size / 2)
        return
    style = MarkerStyle(symbol)
    path = style.get_path().transformed(style.get_transform())
    cx = (max(found[0::2]) + min(found[0::2])) / 2
    cy = (max(found[1::2]) + min(found[1::2])) / 2
    drawn = {
        (round(x - cx, 4), round(cy - y, 4)) for x, y in zip(found[0::2], found[1::2], strict=True)
    }
    corners: list[list[float]] = np.asarray(path.vertices, dtype=float).tolist()
    expected = {(round(x * size, 4), round(y * size, 4)) for x, y in corners}
    assert drawn == expected
