"""A report laid out, before it is HTML or PDF: plain frozen dataclasses, no I/O.

A layout (peelkit.reports.layouts) arranges a view as a document: a title and a tree of
sections; each section holds blocks (paragraphs, tables,
finding lists, figures) and subsections. The renderer turns the tree into headings in order
(h2 for a top section, one level deeper per subsection), so the structure is decided here and
the templates only print it.
"""

from __future__ import annotations

from dataclasses import dataclass

from peelkit.views.charts import ChartSpec
from peelkit.views.force_record import FindingItem, GradeView

NOT_AVAILABLE = "Not available"


def css_token(text: str) -> str:
    """A class-name token: ``requires_improvement`` -> ``requires-improvement``."""
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-") or "none"


@dataclass(frozen=True)
class Cell:
    text: str
    header: bool = False  # a row header (<th scope="row">)
    css: str | None = None
    sort: str | None = None  # a sort key for the sortable table (numbers)
    area: str | None = None  # the area of a grade cell
    force: str | None = None  # the force of a grade cell
    lines: tuple[str, ...] = ()  # a list printed in the cell after its text (one item a line)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    origin: str | None = None  # where the row's figures came from, printed with it
    kind: str | None = None  # "imported" or "computed" (performance tables), else None


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()
    sortable: bool = False
    css: str | None = None


@dataclass(frozen=True)
class Paragraph:
    text: str
    css: str | None = None


@dataclass(frozen=True)
class GradeLine:
    """A grade printed under an area's heading: "Grade: Good" with its source."""

    grade: GradeView


@dataclass(frozen=True)
class FindingList:
    findings: tuple[FindingItem, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Figure:
    chart: ChartSpec  # drawn as SVG when the document is rendered


Block = Paragraph | Table | GradeLine | FindingList | Figure


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()
    anchor: str | None = None


@dataclass(frozen=True)
class Document:
    """A report laid out: what the HTML template prints."""

    kind: str  # "force" or "national"
    title: str
    subtitle: str
    sections: tuple[Section, ...]
    file_stem: str


def grade_css(grade: GradeView) -> str:
    """The grade's class names: ``grade grade-requires-improvement``, ``grade-not-available``."""
    return f"grade grade-{css_token(grade.grade_id or 'not-available')}"
