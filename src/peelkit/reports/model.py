"""What a report is, before it is HTML or PDF: plain frozen dataclasses, no I/O.

A report is a title and a tree of sections; each section holds blocks (paragraphs, tables,
finding lists, figures) and subsections. The renderer turns the tree into headings in order
(h2 for a top section, one level deeper per subsection), so the structure is decided here and
the templates only print it.
"""

from __future__ import annotations

from dataclasses import dataclass

from peelkit.reports.chart import Chart

NOT_AVAILABLE = "Not available"


def css_token(text: str) -> str:
    """A class-name token: ``requires_improvement`` -> ``requires-improvement``."""
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-") or "none"


@dataclass(frozen=True)
class Grade:
    """A graded judgment as the report prints it, with where it came from.

    ``grade_id`` None means the record has no grade for the area: the label is "Not available",
    never an invented grade.
    """

    area_id: str
    area_name: str
    label: str
    grade_id: str | None
    source: str
    direction: str | None = None  # direction of travel as its scale labels it (2005)
    year_last_inspected: str | None = None
    note: str | None = None  # carried over, filled from another inspection, previous grade

    @property
    def available(self) -> bool:
        return self.grade_id is not None

    @property
    def css(self) -> str:
        return f"grade grade-{css_token(self.grade_id or 'not-available')}"


@dataclass(frozen=True)
class Finding:
    """A finding (cause of concern, recommendation, area for improvement, strength...)."""

    kind: str
    kind_label: str
    text: str
    source: str
    heading: str | None = None
    lead_in: str | None = None
    sub_items: tuple[str, ...] = ()
    deadline: str | None = None
    recommendations: tuple[Finding, ...] = ()  # for a cause of concern: its recommendations


@dataclass(frozen=True)
class Cell:
    text: str
    header: bool = False  # a row header (<th scope="row">)
    css: str | None = None
    sort: str | None = None  # a sort key for the sortable table (numbers)
    area: str | None = None  # the area of a grade cell
    force: str | None = None  # the force of a grade cell


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

    grade: Grade


@dataclass(frozen=True)
class FindingList:
    findings: tuple[Finding, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Figure:
    chart: Chart


Block = Paragraph | Table | GradeLine | FindingList | Figure


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()
    anchor: str | None = None


@dataclass(frozen=True)
class ForceReport:
    force_id: str
    force_name: str
    framework_id: str
    framework_title: str
    period: str
    title: str
    subtitle: str
    sections: tuple[Section, ...]
    grades: tuple[Grade, ...]  # every graded area of the framework, "Not available" if missing
    inspections: tuple[int, ...]  # the inspections judgments and findings were taken from
    style: str  # "integrated" (PEEL 2017 on), "effectiveness" (2015/2016), "baseline" (2005)

    @property
    def file_stem(self) -> str:
        return f"{self.force_id}-{self.framework_id}"

    def grade(self, area_id: str) -> Grade | None:
        return next((g for g in self.grades if g.area_id == area_id), None)


@dataclass(frozen=True)
class NationalReport:
    framework_id: str
    framework_title: str
    period: str
    indicator: str
    title: str
    subtitle: str
    sections: tuple[Section, ...]
    by_region: bool
    map_omitted: str | None  # why the map is not in the report, or None

    @property
    def file_stem(self) -> str:
        return f"national-{self.framework_id}"


Report = ForceReport | NationalReport
