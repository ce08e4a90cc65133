"""Reading the SVG of a chart in tests: its root, its elements by id, its text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

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
