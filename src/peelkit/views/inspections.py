"""The inspection record as typed views: an inspection with its judgments, findings, evidence,
figures and performance-table rows, each with its provenance, and the documents they came from.

The JSON form of each view (``to_json``) is the shape docs/json-output.md documents for
``peel inspections show --json``; ``peel export`` writes the same shapes (record/serialise.py),
and a test checks the two agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peelkit.record.operations import is_report_file
from peelkit.record.schema import (
    DataFigure,
    Evidence,
    Finding,
    ImportWarningRow,
    Inspection,
    Judgment,
    PerformanceRow,
    ProvenanceMixin,
    SourceDocument,
)


def iso_or_none(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class ProvenanceView:
    """Where an item came from: a document and its lines or pages, or the person who entered it."""

    document: int | None
    line_start: int | None
    line_end: int | None
    page_start: int | None
    page_end: int | None
    entered_by: str | None

    @classmethod
    def of(cls, row: ProvenanceMixin) -> ProvenanceView:
        return cls(
            document=row.document_id,
            line_start=row.line_start,
            line_end=row.line_end,
            page_start=row.page_start,
            page_end=row.page_end,
            entered_by=row.entered_by,
        )


@dataclass(frozen=True)
class ImportWarningView:
    id: int
    code: str
    message: str
    table: str | None
    row: str | None
    column: str | None
    line_start: int | None
    line_end: int | None

    @classmethod
    def of(cls, row: ImportWarningRow) -> ImportWarningView:
        return cls(
            id=row.id,
            code=row.code,
            message=row.message,
            table=row.table_title,
            row=row.row,
            column=row.column,
            line_start=row.line_start,
            line_end=row.line_end,
        )


@dataclass(frozen=True)
class DocumentView:
    """A source document: a report, a web page, a letter, a grades table."""

    id: int
    sha256: str
    text_sha256: str | None  # of the normalised text; None for tables and older documents
    title: str | None
    filename: str | None
    media_type: str | None
    publisher: str | None
    published: str | None
    line_count: int | None
    page_count: int | None
    # The counts of judgments the document states: {"areas", "graded", "by_grade",
    # "line_start", "line_end"}; None where it states none.
    stated_counts: dict[str, Any] | None = None
    warnings: tuple[ImportWarningView, ...] = ()

    @classmethod
    def of(cls, row: SourceDocument, warnings: Iterable[ImportWarningRow] = ()) -> DocumentView:
        return cls(
            id=row.id,
            sha256=row.sha256,
            text_sha256=row.text_sha256,
            title=row.title,
            filename=row.filename,
            media_type=row.media_type,
            publisher=row.publisher,
            published=iso_or_none(row.published),
            line_count=row.line_count,
            page_count=row.page_count,
            stated_counts=row.stated_counts,
            warnings=tuple(ImportWarningView.of(w) for w in sorted(warnings, key=lambda w: w.id)),
        )

    @property
    def name(self) -> str:
        """How a report cites the document: its title, else its file name."""
        return self.title or self.filename or f"document {self.id}"

    @property
    def is_report(self) -> bool:
        """A published report (text, PDF or web page), as opposed to a transcribed table."""
        return is_report_file(self.media_type, self.filename)


@dataclass(frozen=True)
class JudgmentView:
    """A graded judgment as entered or imported (never derived).

    An inspection can hold several judgments of one area, one per source (a report and the
    grades table); ``shown`` marks the one the inspection shows and ``shown_reason`` says why.
    """

    id: int
    area: str
    grade: str | None
    grade_as_printed: str | None
    direction: str | None
    direction_as_printed: str | None
    year_last_inspected: str | None
    carried_over: bool
    previous_grade: str | None
    read_from: str | None  # "box", "sentence"; None for hand entries and tables
    rationale: str | None
    shown: bool
    shown_reason: str | None
    provenance: ProvenanceView
    version: int

    @classmethod
    def of(cls, row: Judgment) -> JudgmentView:
        return cls(
            id=row.id,
            area=row.area_id,
            grade=row.grade,
            grade_as_printed=row.grade_as_printed,
            direction=row.direction,
            direction_as_printed=row.direction_as_printed,
            year_last_inspected=row.year_last_inspected,
            carried_over=bool(row.carried_over),
            previous_grade=row.previous_grade,
            read_from=row.read_from,
            rationale=row.rationale,
            shown=bool(row.shown),
            shown_reason=row.shown_reason,
            provenance=ProvenanceView.of(row),
            version=row.version or 1,
        )


@dataclass(frozen=True)
class FindingView:
    id: int
    area: str | None
    kind: str
    text: str
    heading: str | None
    lead_in: str | None
    sub_items: tuple[str, ...]
    cause_of_concern: int | None
    deadline: str | None
    flag: str | None
    provenance: ProvenanceView
    version: int

    @classmethod
    def of(cls, row: Finding) -> FindingView:
        return cls(
            id=row.id,
            area=row.area_id,
            kind=row.kind,
            text=row.text,
            heading=row.heading,
            lead_in=row.lead_in,
            sub_items=tuple(row.sub_items or ()),
            cause_of_concern=row.cause_of_concern_id,
            deadline=row.deadline,
            flag=row.flag,
            provenance=ProvenanceView.of(row),
            version=row.version or 1,
        )


@dataclass(frozen=True)
class EvidenceView:
    id: int
    area: str | None
    kind: str
    description: str | None
    sample_size: int | None
    period: str | None
    criteria_results: tuple[dict[str, object], ...]
    provenance: ProvenanceView
    version: int

    @classmethod
    def of(cls, row: Evidence) -> EvidenceView:
        return cls(
            id=row.id,
            area=row.area_id,
            kind=row.kind,
            description=row.description,
            sample_size=row.sample_size,
            period=row.period,
            criteria_results=tuple(row.criteria_results or ()),
            provenance=ProvenanceView.of(row),
            version=row.version or 1,
        )


@dataclass(frozen=True)
class FigureView:
    """A figure as a report printed it ("Force in numbers"), with its parsed value."""

    id: int
    area: str | None
    table: str | None
    measure: str
    period: str | None
    unit: str | None
    force_value_as_printed: str | None
    force_value: float | None
    comparator: str
    comparator_label: str | None
    comparator_value_as_printed: str | None
    comparator_value: float | None
    change_as_printed: str | None
    change: float | None
    provenance: ProvenanceView
    version: int

    @classmethod
    def of(cls, row: DataFigure) -> FigureView:
        return cls(
            id=row.id,
            area=row.area_id,
            table=row.table_title,
            measure=row.measure,
            period=row.period,
            unit=row.unit,
            force_value_as_printed=row.force_value_as_printed,
            force_value=row.force_value,
            comparator=row.comparator,
            comparator_label=row.comparator_label,
            comparator_value_as_printed=row.comparator_value_as_printed,
            comparator_value=row.comparator_value,
            change_as_printed=row.change_as_printed,
            change=row.change,
            provenance=ProvenanceView.of(row),
            version=row.version or 1,
        )


@dataclass(frozen=True)
class PrintedValue:
    printed: str | None
    value: float | None


@dataclass(frozen=True)
class PrintedRank:
    printed: str | None
    position: int | None
    of: int | None
    tied: bool


@dataclass(frozen=True)
class PerformanceRowView:
    """A row of a performance table (the 2005 Appendix 1), every cell as printed."""

    id: int
    area: str | None
    table: str
    indicator: str
    previous: PrintedValue
    current: PrintedValue
    change: PrintedValue
    change_unit: str | None
    msf_average: PrintedValue
    msf_rank: PrintedRank
    national_average: PrintedValue
    national_rank: PrintedRank
    provenance: ProvenanceView

    @classmethod
    def of(cls, row: PerformanceRow) -> PerformanceRowView:
        return cls(
            id=row.id,
            area=row.area_id,
            table=row.table_title,
            indicator=row.indicator,
            previous=PrintedValue(row.previous_as_printed, row.previous),
            current=PrintedValue(row.current_as_printed, row.current),
            change=PrintedValue(row.change_as_printed, row.change),
            change_unit=row.change_unit,
            msf_average=PrintedValue(row.msf_average_as_printed, row.msf_average),
            msf_rank=PrintedRank(
                row.msf_rank_as_printed, row.msf_rank, row.msf_rank_of, bool(row.msf_rank_tied)
            ),
            national_average=PrintedValue(row.national_average_as_printed, row.national_average),
            national_rank=PrintedRank(
                row.national_rank_as_printed,
                row.national_rank,
                row.national_rank_of,
                bool(row.national_rank_tied),
            ),
            provenance=ProvenanceView.of(row),
        )


@dataclass(frozen=True)
class InspectionSummaryView:
    """One line of ``peel inspections``."""

    id: int
    force: str
    framework: str
    period: str
    title: str | None
    status: str
    published: str | None
    judgments: int
    findings: int

    @classmethod
    def of(cls, row: Inspection) -> InspectionSummaryView:
        return cls(
            id=row.id,
            force=row.force_id,
            framework=row.framework_id,
            period=row.period,
            title=row.title,
            status=row.status,
            published=iso_or_none(row.published),
            judgments=sum(1 for j in row.judgments if j.shown),
            findings=len(row.findings),
        )


@dataclass(frozen=True)
class InspectionView:
    """An inspection with everything it holds, items in the order they were recorded."""

    id: int
    force: str
    framework: str
    period: str
    title: str | None
    status: str
    published: str | None
    embargo_until: str | None
    hm_inspector: str | None
    document: int | None
    entered_by: str | None
    version: int
    judgments: tuple[JudgmentView, ...]
    findings: tuple[FindingView, ...]
    evidence: tuple[EvidenceView, ...]
    figures: tuple[FigureView, ...]
    performance_table: tuple[PerformanceRowView, ...]

    @classmethod
    def of(cls, row: Inspection) -> InspectionView:
        return cls(
            id=row.id,
            force=row.force_id,
            framework=row.framework_id,
            period=row.period,
            title=row.title,
            status=row.status,
            published=iso_or_none(row.published),
            embargo_until=iso_or_none(row.embargo_until),
            hm_inspector=row.hm_inspector,
            document=row.document_id,
            entered_by=row.entered_by,
            version=row.version or 1,
            judgments=tuple(JudgmentView.of(j) for j in sorted(row.judgments, key=lambda r: r.id)),
            findings=tuple(FindingView.of(f) for f in sorted(row.findings, key=lambda r: r.id)),
            evidence=tuple(EvidenceView.of(e) for e in sorted(row.evidence, key=lambda r: r.id)),
            figures=tuple(FigureView.of(f) for f in sorted(row.figures, key=lambda r: r.id)),
            performance_table=tuple(
                PerformanceRowView.of(r) for r in sorted(row.performance_rows, key=lambda r: r.id)
            ),
        )

    def shown_judgments(self) -> tuple[JudgmentView, ...]:
        """The judgment the inspection shows for each area (one per area)."""
        return tuple(j for j in self.judgments if j.shown)

    def other_judgments(self, area: str) -> tuple[JudgmentView, ...]:
        """The area's judgments from other sources, kept beside the shown one."""
        return tuple(j for j in self.judgments if j.area == area and not j.shown)
