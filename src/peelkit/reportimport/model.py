"""What a reader makes of a document: plain data, with the lines each item came from.

Everything here is as the document printed it *and* what it means: a grade id beside the word
printed, a number beside the string printed. Readers never fix a document silently; they add a
:class:`ImportWarning` naming the table, row and column instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from peelkit.errors import Location
from peelkit.problems import Problem


@dataclass(frozen=True)
class Span:
    """Lines of the document's text, 1-based and inclusive; pages too when the source had them."""

    line_start: int
    line_end: int
    page_start: int | None = None
    page_end: int | None = None


@dataclass
class ParsedJudgment:
    area: str  # the framework's canonical area id
    level: str  # the area's level: overall, pillar, question, component, area...
    grade: str | None  # grade id on the framework's scale (or a non-grade id); None if not printed
    grade_as_printed: str | None = None
    direction: str | None = None  # direction-of-travel id, where the framework has one
    direction_as_printed: str | None = None
    year_last_inspected: str | None = None
    carried_over: bool = False
    previous_grade: str | None = None  # grade id the document says the area had before
    force: str | None = None  # force id when the judgment is about another force (2005 table)
    # Where in the document the grade was read (peelkit.domain.judgments.READ_FROM): "box" (a
    # grade printed on its own: a grade box, a grade line, a summary table's cell) or
    # "sentence" (stated in a summary sentence or a press release's prose; span is the
    # sentence's lines).
    read_from: str = "box"
    span: Span | None = None


@dataclass
class ParsedFinding:
    kind: str  # strength, area_for_improvement, cause_of_concern, recommendation, finding...
    text: str
    area: str | None = None  # canonical area id
    heading: str | None = None
    lead_in: str | None = None
    sub_items: list[str] = field(default_factory=list)
    cause_of_concern: int | None = None  # index, in ParsedDocument.findings, of its concern
    deadline: str | None = None
    span: Span | None = None


@dataclass
class ParsedFigure:
    measure: str
    comparator: str  # england_and_wales, most_similar_group, local_population, earlier_date...
    table: str | None = None
    area: str | None = None
    period: str | None = None
    unit: str | None = None
    force_value_as_printed: str | None = None
    force_value: float | None = None
    comparator_label: str | None = None
    comparator_value_as_printed: str | None = None
    comparator_value: float | None = None
    change_as_printed: str | None = None
    change: float | None = None
    span: Span | None = None


@dataclass
class Cell:
    """One cell of a printed table: the string as printed and what it means."""

    printed: str
    value: float | None = None  # None for "*", "N/A", "-" or anything not a number
    missing: str | None = None  # "not_available" (*), "not_applicable" (N/A), "dash" (-)
    unit: str | None = None  # "percent", "points", "pounds", "seconds", "ratio"...


@dataclass
class Rank:
    printed: str  # "9= out of 43", "5 out of 5", "*"
    position: int | None = None
    of: int | None = None
    tied: bool = False


@dataclass
class PerformanceRow:
    """A row of the 2005 Appendix 1 performance tables, every cell as printed."""

    area: str  # framework area id, e.g. "3A"
    table: str  # the table's title as printed
    indicator: str
    previous: Cell  # 2003/04
    current: Cell  # 2004/05
    change: Cell  # "-7.2 %" (percent) or "11.1 Pts" (points)
    msf_average: Cell
    msf_rank: Rank
    national_average: Cell
    national_rank: Rank
    span: Span | None = None


@dataclass(frozen=True)
class ImportWarning(Problem):
    """A data-quality problem the document itself has; never silently fixed.

    The shared :class:`peelkit.problems.Problem`; ``location`` is made from the row, column and
    first line. Codes are listed in ``errors.yaml`` (``problems.import``).
    """

    # code: e.g. impossible_percentage, change_mismatch, grade_outside_scale
    table: str | None = None  # the printed table's title
    row: str | None = None  # the printed row's label
    column: str | None = None  # the printed column's heading
    span: Span | None = None
    location: Location = field(init=False, default_factory=Location)

    def __post_init__(self) -> None:
        line = self.span.line_start if self.span else None
        location = Location(line=line, row=self.row, column=self.column)
        object.__setattr__(self, "location", location)

    def details(self) -> dict[str, Any]:
        span = asdict(self.span) if self.span else None
        return {"table": self.table, "row": self.row, "column": self.column, "span": span}


@dataclass
class SourceInfo:
    sha256: str
    filename: str
    media_type: str  # text/plain, application/pdf, text/html
    line_count: int
    page_count: int | None = None
    # The checksum of what the document says (normalised text), beside that of its bytes: a
    # copy in another encoding, line ending or format is the same document.
    text_sha256: str | None = None
    encoding: str | None = None  # how a text file was decoded; None for a PDF


@dataclass(frozen=True)
class DetectionSignal:
    """What told the importer what a document is (``ParsedDocument.detected_by``)."""

    decides: str  # family (the reader), framework, force, pillar, layout
    value: str  # what it decided: a reader name, framework id, force id, area id, layout
    # title_line, pillar_question, pillar_name, file_name, url, breadcrumb, reader_markers,
    # force_names, sections, given (an option of the command)
    signal: str
    evidence: str | None = None  # what was found, as printed
    line: int | None = None


@dataclass
class StatedCounts:
    """The counts a document states of its own judgments: areas assessed ("in nine areas of
    policing"), graded judgments ("graded judgments in eight of these nine") and, in a press
    release, areas per grade ("'inadequate' in three areas": grade id -> count). Kept as
    stated, so a copy that lacks the grid still says how many grades the report gave."""

    areas: int | None = None
    graded: int | None = None
    by_grade: dict[str, int] = field(default_factory=dict)
    span: Span | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "areas": self.areas,
            "graded": self.graded,
            "by_grade": dict(self.by_grade),
            "line_start": self.span.line_start if self.span else None,
            "line_end": self.span.line_end if self.span else None,
        }


@dataclass
class ParsedDocument:
    source: SourceInfo
    force: str  # force id the document is about
    framework: str  # framework id
    title: str | None = None
    published: dt.date | None = None
    period: str | None = None
    hm_inspector: str | None = None
    most_similar_group: list[str] = field(default_factory=list)  # force ids, as printed
    judgments: list[ParsedJudgment] = field(default_factory=list)
    findings: list[ParsedFinding] = field(default_factory=list)
    figures: list[ParsedFigure] = field(default_factory=list)
    performance_table: list[PerformanceRow] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)  # sections expected and not found
    stated_counts: StatedCounts | None = None  # the counts of judgments the document states
    detected_by: list[DetectionSignal] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The documented, stable shape of ``peel import --dry-run --format json``."""
        return {
            "document": {
                "force": self.force,
                "framework": self.framework,
                "title": self.title,
                "published": self.published.isoformat() if self.published else None,
                "period": self.period,
                "hm_inspector": self.hm_inspector,
                "most_similar_group": list(self.most_similar_group),
                "source": asdict(self.source),
            },
            "judgments": [asdict(j) for j in self.judgments],
            "findings": [asdict(f) for f in self.findings],
            "figures": [asdict(f) for f in self.figures],
            "performance_table": [asdict(r) for r in self.performance_table],
            "warnings": [w.to_json() for w in self.warnings],
            "not_found": list(self.not_found),
            "stated_counts": self.stated_counts.to_json() if self.stated_counts else None,
            "detected_by": [asdict(s) for s in self.detected_by],
        }
