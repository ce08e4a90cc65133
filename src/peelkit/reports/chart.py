"""What every chart is: vector SVG, alt text, and its data as a table to print beside it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str  # a standalone <svg> element (vector in HTML and in PDF), with <title> and <desc>
    alt: str  # what the chart shows, in a sentence or two, for screen readers
    columns: tuple[str, ...]  # header cells of the data table printed with the chart
    rows: tuple[tuple[str, ...], ...]  # the data, as displayed strings
