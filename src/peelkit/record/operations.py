"""Operations on the inspection record. Each validates against the frameworks and forces.

These take an open SQLAlchemy session and never commit: the caller (the Workspace) owns the
transaction, so a failure anywhere in a batch leaves the database as it was. Items are added to
the session without a flush (bulk imports stay fast); a caller that needs a new item's id
flushes first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from peelkit.domain.findings import Comparator, FindingKind, InspectionStatus
from peelkit.domain.frameworks import Area, Framework
from peelkit.domain.grades import GradeScale, GradeValue
from peelkit.domain.years import normalise_year
from peelkit.errors import InvalidRecord, NotFound
from peelkit.frameworks import load_framework
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
from peelkit.reference import resolve_force


@dataclass(frozen=True)
class Provenance:
    """Where an item came from: a stored document and a line or page span, or a person."""

    document_id: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    page_start: int | None = None
    page_end: int | None = None
    entered_by: str | None = None

    def check(self) -> None:
        for start, end, what in (
            (self.line_start, self.line_end, "line"),
            (self.page_start, self.page_end, "page"),
        ):
            for value in (start, end):
                if value is not None and value < 1:
                    raise InvalidRecord(f"{what} numbers start at 1, got {value}")
            if start is not None and end is not None and end < start:
                raise InvalidRecord(f"{what} span ends ({end}) before it starts ({start})")

    def apply(self, row: ProvenanceMixin) -> None:
        self.check()
        row.document_id = self.document_id
        row.line_start = self.line_start
        row.line_end = self.line_end
        row.page_start = self.page_start
        row.page_end = self.page_end
        row.entered_by = self.entered_by


def _choice(
    value: str, allowed: type[FindingKind | InspectionStatus | Comparator], what: str
) -> str:
    options = [member.value for member in allowed]
    if value not in options:
        raise InvalidRecord(f"unknown {what} {value!r} (expected one of: {', '.join(options)})")
    return value


def _get_document(session: Session, document_id: int | None) -> None:
    if document_id is not None and session.get(SourceDocument, document_id) is None:
        raise NotFound(f"no source document with id {document_id}")


def register_document(
    session: Session,
    *,
    sha256: str,
    title: str | None = None,
    filename: str | None = None,
    media_type: str | None = None,
    publisher: str | None = None,
    published: dt.date | None = None,
    line_count: int | None = None,
    page_count: int | None = None,
    document_id: int | None = None,
) -> SourceDocument:
    """The stored document with this checksum, created if new (so re-imports reuse it)."""
    if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
        raise InvalidRecord(f"document checksum must be 64 lower-case hex digits, got {sha256!r}")
    existing = session.scalar(select(SourceDocument).where(SourceDocument.sha256 == sha256))
    if existing is not None:
        return existing
    document = SourceDocument(
        id=document_id,
        sha256=sha256,
        title=title,
        filename=filename,
        media_type=media_type,
        publisher=publisher,
        published=published,
        line_count=line_count,
        page_count=page_count,
    )
    session.add(document)
    session.flush()
    return document


def list_documents(session: Session) -> list[SourceDocument]:
    return list(session.scalars(select(SourceDocument).order_by(SourceDocument.id)))


def create_inspection(
    session: Session,
    *,
    force: str,
    framework: str,
    period: str | None = None,
    title: str | None = None,
    status: str = InspectionStatus.DRAFT.value,
    published: dt.date | None = None,
    embargo_until: dt.datetime | None = None,
    hm_inspector: str | None = None,
    document_id: int | None = None,
    entered_by: str | None = None,
    inspection_id: int | None = None,
) -> Inspection:
    """A new inspection of ``force`` (any of its names) under ``framework`` (its id)."""
    resolved = resolve_force(force)
    spec = load_framework(framework)
    _get_document(session, document_id)
    if inspection_id is not None and session.get(Inspection, inspection_id) is not None:
        raise InvalidRecord(f"an inspection with id {inspection_id} already exists")
    inspection = Inspection(
        id=inspection_id,
        force_id=resolved.id,
        framework_id=spec.id,
        period=normalise_year(period) if period else spec.period,
        title=title,
        status=_choice(status, InspectionStatus, "status"),
        published=published,
        embargo_until=embargo_until,
        hm_inspector=hm_inspector,
        document_id=document_id,
        entered_by=entered_by,
        # A new inspection has no items yet: say so, rather than have the ORM ask the database.
        judgments=[],
        findings=[],
        evidence=[],
        figures=[],
        performance_rows=[],
    )
    session.add(inspection)
    session.flush()
    return inspection


def get_inspection(session: Session, inspection_id: int) -> Inspection:
    inspection = session.get(
        Inspection,
        inspection_id,
        options=[
            selectinload(Inspection.judgments),
            selectinload(Inspection.findings),
            selectinload(Inspection.evidence),
            selectinload(Inspection.figures),
            selectinload(Inspection.performance_rows),
        ],
    )
    if inspection is None:
        raise NotFound(f"no inspection with id {inspection_id}")
    return inspection


def list_inspections(
    session: Session, *, force: str | None = None, framework: str | None = None
) -> list[Inspection]:
    query = select(Inspection).order_by(Inspection.force_id, Inspection.period, Inspection.id)
    if force is not None:
        query = query.where(Inspection.force_id == resolve_force(force).id)
    if framework is not None:
        query = query.where(Inspection.framework_id == load_framework(framework).id)
    return list(
        session.scalars(
            query.options(selectinload(Inspection.judgments), selectinload(Inspection.findings))
        )
    )


def count_inspections(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Inspection)) or 0


def _area(spec: Framework, area: str | None, required: bool = True) -> Area | None:
    if area is None:
        if required:
            raise InvalidRecord(f"an area of framework {spec.id} is required")
        return None
    return spec.resolve_area(area)


def _grade_value(scale: GradeScale | None, value: str, spec: Framework, what: str) -> GradeValue:
    if scale is None:
        raise InvalidRecord(f"framework {spec.id} has no {what} scale; {value!r} not allowed")
    return scale.get(value)


def record_judgment(
    session: Session,
    inspection: Inspection,
    *,
    area: str,
    grade: str | None,
    grade_as_printed: str | None = None,
    direction: str | None = None,
    direction_as_printed: str | None = None,
    year_last_inspected: str | None = None,
    carried_over: bool = False,
    previous_grade: str | None = None,
    rationale: str | None = None,
    provenance: Provenance = Provenance(),
    judgment_id: int | None = None,
) -> Judgment:
    """Store a judgment as entered. Pillar and overall grades are never derived from others.

    ``grade`` may be None (not available), a grade of the framework's scale, or a non-grade such
    as Ungraded. An area the framework does not grade accepts only non-grades.
    """
    spec = load_framework(inspection.framework_id)
    target = _area(spec, area)
    assert target is not None
    grade_id = None
    if grade is not None:
        value = _grade_value(spec.grade_scale, grade, spec, "grade")
        if value.is_grade and not target.graded:
            raise InvalidRecord(
                f"area {target.id} of {spec.id} is not graded; grade {value.label!r} not allowed"
            )
        grade_id = value.id
    direction_id = None
    if direction is not None:
        value = _grade_value(spec.direction_scale, direction, spec, "direction of travel")
        if not target.direction:
            raise InvalidRecord(f"area {target.id} of {spec.id} has no direction of travel")
        direction_id = value.id
    previous_id = None
    if previous_grade is not None:
        previous_id = _grade_value(spec.grade_scale, previous_grade, spec, "grade").id
    for existing in inspection.judgments:
        if existing.area_id == target.id:
            raise InvalidRecord(
                f"inspection {inspection.id} already has a judgment on area {target.id}"
            )
    _get_document(session, provenance.document_id)
    judgment = Judgment(
        id=judgment_id,
        framework_id=spec.id,
        area_id=target.id,
        grade=grade_id,
        grade_as_printed=grade_as_printed,
        direction=direction_id,
        direction_as_printed=direction_as_printed,
        year_last_inspected=normalise_year(year_last_inspected) if year_last_inspected else None,
        carried_over=carried_over,
        previous_grade=previous_id,
        rationale=rationale,
    )
    provenance.apply(judgment)
    inspection.judgments.append(judgment)
    return judgment


def record_finding(
    session: Session,
    inspection: Inspection,
    *,
    kind: str,
    text: str,
    area: str | None = None,
    heading: str | None = None,
    lead_in: str | None = None,
    sub_items: list[str] | None = None,
    cause_of_concern_id: int | None = None,
    deadline: str | None = None,
    provenance: Provenance = Provenance(),
    finding_id: int | None = None,
) -> Finding:
    """Store a finding. A recommendation may name the cause of concern it answers."""
    spec = load_framework(inspection.framework_id)
    target = _area(spec, area, required=False)
    _choice(kind, FindingKind, "finding kind")
    if not text or not text.strip():
        raise InvalidRecord("a finding needs its text")
    if cause_of_concern_id is not None:
        if kind != FindingKind.RECOMMENDATION:
            raise InvalidRecord("only a recommendation can be linked to a cause of concern")
        parent = session.get(Finding, cause_of_concern_id)
        if (
            parent is None
            or parent.inspection_id != inspection.id
            or parent.kind != FindingKind.CAUSE_OF_CONCERN
        ):
            raise InvalidRecord(
                f"finding {cause_of_concern_id} is not a cause of concern of inspection "
                f"{inspection.id}"
            )
    _get_document(session, provenance.document_id)
    finding = Finding(
        id=finding_id,
        framework_id=spec.id,
        area_id=target.id if target else None,
        kind=kind,
        text=text,
        heading=heading,
        lead_in=lead_in,
        sub_items=list(sub_items or []),
        cause_of_concern_id=cause_of_concern_id,
        deadline=deadline,
    )
    provenance.apply(finding)
    inspection.findings.append(finding)
    return finding


def record_evidence(
    session: Session,
    inspection: Inspection,
    *,
    kind: str,
    area: str | None = None,
    description: str | None = None,
    sample_size: int | None = None,
    period: str | None = None,
    criteria_results: list[dict[str, Any]] | None = None,
    provenance: Provenance = Provenance(),
    evidence_id: int | None = None,
) -> Evidence:
    """Store evidence such as a case file review (kind ``case_file_review``, sample size 90)."""
    spec = load_framework(inspection.framework_id)
    target = _area(spec, area, required=False)
    if not kind or not kind.strip():
        raise InvalidRecord("evidence needs a kind, such as case_file_review or survey")
    if sample_size is not None and sample_size < 0:
        raise InvalidRecord(f"sample size cannot be negative, got {sample_size}")
    _get_document(session, provenance.document_id)
    evidence = Evidence(
        id=evidence_id,
        framework_id=spec.id,
        area_id=target.id if target else None,
        kind=kind,
        description=description,
        sample_size=sample_size,
        period=period,
        criteria_results=list(criteria_results or []),
    )
    provenance.apply(evidence)
    inspection.evidence.append(evidence)
    return evidence


def record_figure(
    session: Session,
    inspection: Inspection,
    *,
    measure: str,
    comparator: str = Comparator.NONE.value,
    area: str | None = None,
    table_title: str | None = None,
    period: str | None = None,
    unit: str | None = None,
    force_value_as_printed: str | None = None,
    force_value: float | None = None,
    comparator_label: str | None = None,
    comparator_value_as_printed: str | None = None,
    comparator_value: float | None = None,
    change_as_printed: str | None = None,
    change: float | None = None,
    provenance: Provenance = Provenance(),
    figure_id: int | None = None,
) -> DataFigure:
    """Store a figure as printed ("30,435") beside its parsed value (30435)."""
    spec = load_framework(inspection.framework_id)
    target = _area(spec, area, required=False)
    _choice(comparator, Comparator, "comparator")
    if not measure or not measure.strip():
        raise InvalidRecord("a data figure needs the measure as printed")
    _get_document(session, provenance.document_id)
    figure = DataFigure(
        id=figure_id,
        framework_id=spec.id,
        area_id=target.id if target else None,
        table_title=table_title,
        measure=measure,
        period=period,
        unit=unit,
        force_value_as_printed=force_value_as_printed,
        force_value=force_value,
        comparator=comparator,
        comparator_label=comparator_label,
        comparator_value_as_printed=comparator_value_as_printed,
        comparator_value=comparator_value,
        change_as_printed=change_as_printed,
        change=change,
    )
    provenance.apply(figure)
    inspection.figures.append(figure)
    return figure


@dataclass(frozen=True)
class PrintedCell:
    """A table cell as printed beside the number it means (None for "*", "N/A", "-")."""

    printed: str | None = None
    value: float | None = None


@dataclass(frozen=True)
class PrintedRank:
    printed: str | None = None
    position: int | None = None
    of: int | None = None
    tied: bool = False

    def check(self, column: str) -> None:
        if self.position is not None and self.of is not None and self.position > self.of:
            raise InvalidRecord(f"{column}: rank {self.position} is beyond its {self.of} forces")


def record_performance_row(
    session: Session,
    inspection: Inspection,
    *,
    table_title: str,
    indicator: str,
    area: str | None = None,
    previous: PrintedCell = PrintedCell(),
    current: PrintedCell = PrintedCell(),
    change: PrintedCell = PrintedCell(),
    change_unit: str | None = None,
    msf_average: PrintedCell = PrintedCell(),
    msf_rank: PrintedRank = PrintedRank(),
    national_average: PrintedCell = PrintedCell(),
    national_rank: PrintedRank = PrintedRank(),
    provenance: Provenance = Provenance(),
    row_id: int | None = None,
) -> PerformanceRow:
    """Store a performance-table row (2005 Appendix 1 layout) exactly as printed."""
    spec = load_framework(inspection.framework_id)
    target = _area(spec, area, required=False)
    if not indicator or not indicator.strip():
        raise InvalidRecord("a performance row needs its indicator as printed")
    if change_unit not in (None, "percent", "points"):
        raise InvalidRecord(f"unknown change unit {change_unit!r} (expected percent or points)")
    msf_rank.check("most similar forces rank")
    national_rank.check("national rank")
    _get_document(session, provenance.document_id)
    row = PerformanceRow(
        id=row_id,
        framework_id=spec.id,
        area_id=target.id if target else None,
        table_title=table_title,
        indicator=indicator,
        previous_as_printed=previous.printed,
        previous=previous.value,
        current_as_printed=current.printed,
        current=current.value,
        change_as_printed=change.printed,
        change=change.value,
        change_unit=change_unit,
        msf_average_as_printed=msf_average.printed,
        msf_average=msf_average.value,
        msf_rank_as_printed=msf_rank.printed,
        msf_rank=msf_rank.position,
        msf_rank_of=msf_rank.of,
        msf_rank_tied=msf_rank.tied,
        national_average_as_printed=national_average.printed,
        national_average=national_average.value,
        national_rank_as_printed=national_rank.printed,
        national_rank=national_rank.position,
        national_rank_of=national_rank.of,
        national_rank_tied=national_rank.tied,
    )
    provenance.apply(row)
    inspection.performance_rows.append(row)
    return row


def record_import_warning(
    session: Session,
    *,
    document_id: int,
    code: str,
    message: str,
    table_title: str | None = None,
    row: str | None = None,
    column: str | None = None,
    line_start: int | None = None,
    line_end: int | None = None,
    warning_id: int | None = None,
) -> ImportWarningRow:
    _get_document(session, document_id)
    warning = ImportWarningRow(
        id=warning_id,
        document_id=document_id,
        code=code,
        message=message,
        table_title=table_title,
        row=row,
        column=column,
        line_start=line_start,
        line_end=line_end,
    )
    session.add(warning)
    return warning


def delete_inspection(session: Session, inspection_id: int) -> None:
    session.delete(get_inspection(session, inspection_id))
    session.flush()


__all__ = [
    "Provenance",
    "count_inspections",
    "create_inspection",
    "delete_inspection",
    "get_inspection",
    "list_inspections",
    "record_evidence",
    "record_figure",
    "record_finding",
    "record_judgment",
    "register_document",
]
