"""Writing a parsed document into the inspection record, in the caller's transaction.

Re-importing a document changes nothing: the same bytes (their checksum), or the same text in
other bytes (another encoding or line ending, the PDF of an imported text: the checksum of the
normalised text, ``text_sha256``) is "already imported as document N (FILE)", unless the
import is asked to go ``again`` (a second document with the same text; the same bytes are
always one document). An item the record refuses (a span that ends before it starts, a rank
beyond its group) fails the import with the file and line it came from.

There is one inspection per force, framework and period: a report goes into its force's
inspection, created if there is none yet (the grades CSV may have made it), and becomes that
inspection's document (a second report of it adds its items beside the first's, with a
warning). The judgments it prints for other forces (the 2005 national grades table) go into
each other force's inspection, created if need be and titled as coming from that table, so
each force's history shows them.
Where the report and an earlier source grade one area, both judgments are kept with their
provenance; the shown one follows ``operations.SOURCE_PRECEDENCE``, and a disagreement on the
grade is a warning of the result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from peelkit.domain.forces import MostSimilarGroup
from peelkit.domain.years import normalise_year
from peelkit.errors import DataFileError, PeelkitError
from peelkit.frameworks import load_framework
from peelkit.record import operations as ops
from peelkit.record.groups import store_groups
from peelkit.record.schema import ImportWarningRow, Inspection, SourceDocument
from peelkit.reportimport.model import (
    Cell,
    ImportWarning,
    ParsedDocument,
    ParsedFigure,
    ParsedFinding,
    ParsedJudgment,
    PerformanceRow,
    Rank,
    Span,
)


@dataclass
class ImportResult:
    filename: str
    document_id: int
    already_imported: bool
    inspections: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    # Grades that differ from another source's for the same area (force, framework, area, both
    # grades and both sources named), e.g. the grades CSV loaded before the report.
    warnings: list[str] = field(default_factory=list)
    # Already imported: the earlier document's file name, and whether it was recognised by
    # its text (in other bytes) rather than by its bytes.
    earlier_filename: str | None = None
    same_text: bool = False


def _provenance(document_id: int, span: Span | None) -> ops.Provenance:
    if span is None:
        return ops.Provenance(document_id=document_id)
    return ops.Provenance(
        document_id=document_id,
        line_start=span.line_start,
        line_end=span.line_end,
        page_start=span.page_start,
        page_end=span.page_end,
    )


def _cell(cell: Cell) -> ops.PrintedCell:
    return ops.PrintedCell(printed=cell.printed, value=cell.value)


def _rank(rank: Rank) -> ops.PrintedRank:
    return ops.PrintedRank(printed=rank.printed, position=rank.position, of=rank.of, tied=rank.tied)


@contextmanager
def _at(filename: str, span: Span | None) -> Iterator[None]:
    """A record error while storing an item, as an error of the file at the item's lines."""
    try:
        yield
    except DataFileError:
        raise
    except PeelkitError as exc:
        line = span.line_start if span is not None and span.line_start >= 1 else None
        raise DataFileError(
            filename,
            "",
            f"{exc.message} (the item read from the document cannot be stored)",
            line=line,
            code=exc.code,
        ) from exc


def already_imported(
    session: Session, sha256: str, text_sha256: str | None, again: bool = False
) -> tuple[SourceDocument, bool] | None:
    """The stored document a file is a copy of, and whether by its text only: the same bytes,
    else (unless ``again``) the same normalised text."""
    same = session.scalar(select(SourceDocument).where(SourceDocument.sha256 == sha256))
    if same is not None:
        return same, False
    if again or text_sha256 is None:
        return None
    same = session.scalar(
        select(SourceDocument)
        .where(SourceDocument.text_sha256 == text_sha256)
        .order_by(SourceDocument.id)
        .limit(1)
    )
    return (same, True) if same is not None else None


def store_document(session: Session, parsed: ParsedDocument, again: bool = False) -> ImportResult:
    source = parsed.source
    copy_of = already_imported(session, source.sha256, source.text_sha256, again)
    if copy_of is not None:
        existing, same_text = copy_of
        return ImportResult(
            source.filename,
            existing.id,
            True,
            ops.inspections_citing(session, existing.id),
            earlier_filename=existing.filename,
            same_text=same_text,
        )
    with _at(source.filename, None):
        return _store(session, parsed)


def _store(session: Session, parsed: ParsedDocument) -> ImportResult:
    source = parsed.source
    framework = load_framework(parsed.framework)
    document = ops.register_document(
        session,
        sha256=source.sha256,
        title=parsed.title,
        filename=source.filename,
        media_type=source.media_type,
        publisher=framework.inspectorate,
        published=parsed.published,
        line_count=source.line_count,
        page_count=source.page_count,
    )
    document.text_sha256 = source.text_sha256
    if parsed.stated_counts is not None:
        document.stated_counts = parsed.stated_counts.to_json()
    being_made = ops.find_inspection(
        session, force=parsed.force, framework=parsed.framework, period=parsed.period
    )
    was = being_made.status if being_made is not None else None
    earlier = None
    if being_made is not None and not ops.report_becomes_its_document(session, being_made):
        earlier = session.get(SourceDocument, being_made.document_id)
    own = _inspection(session, parsed, parsed.force, document.id)
    result = ImportResult(source.filename, document.id, False, [own.id])
    if earlier is not None:
        # Another report of the same inspection (a reissue, an edited copy): its items are
        # kept beside the first report's, which the inspection keeps as its own. Say so: the
        # inspection now holds both documents' findings.
        result.warnings.append(
            f"inspection {own.id} ({own.force_id} {own.framework_id} {own.period}) already "
            f"holds its report, document {earlier.id} ({earlier.filename}): this document's "
            f"{len(parsed.findings)} findings and judgments were added beside that report's"
        )
    if was is not None and was != "published":
        result.warnings.append(
            f"inspection {own.id} ({own.force_id} {own.framework_id} {own.period}) is {was}, "
            "being made: the report's items were added to it and it stays "
            f"{was} (the workflow publishes it: peel inspections moderate/publish)"
        )
    others: dict[str, list[ParsedJudgment]] = defaultdict(list)
    for judgment in parsed.judgments:
        if judgment.force is None or judgment.force == parsed.force:
            with _at(source.filename, judgment.span):
                result.warnings.extend(_judgment(session, own, document.id, judgment))
        else:
            others[judgment.force].append(judgment)
    for force_id, judgments in others.items():
        inspection = _inspection(session, parsed, force_id, document.id)
        result.inspections.append(inspection.id)
        for judgment in judgments:
            with _at(source.filename, judgment.span):
                result.warnings.extend(_judgment(session, inspection, document.id, judgment))
    stored_findings: list[int] = []
    for finding in parsed.findings:
        concern = None
        if finding.cause_of_concern is not None:
            concern = stored_findings[finding.cause_of_concern]
        with _at(source.filename, finding.span):
            stored = _finding(session, own, document.id, finding, concern)
        stored_findings.append(stored)
    for figure in parsed.figures:
        with _at(source.filename, figure.span):
            _figure(session, own, document.id, figure)
    for row in parsed.performance_table:
        with _at(source.filename, row.span):
            _performance_row(session, own, document.id, row)
    for warning in parsed.warnings:
        with _at(source.filename, warning.span):
            _import_warning(session, document.id, warning)
    if parsed.most_similar_group:
        # The group the report names is the force's group for that year, with the report as
        # its source (it replaces a shipped or loaded group of the same force and year).
        year = normalise_year(parsed.period or framework.period)
        source_name = f"{parsed.title or framework.title} ({source.filename})"
        store_groups(
            session,
            [MostSimilarGroup(parsed.force, year, tuple(parsed.most_similar_group), source_name)],
        )
    session.flush()
    result.counts = {
        "judgments": len(parsed.judgments),
        "findings": len(parsed.findings),
        "figures": len(parsed.figures),
        "performance_rows": len(parsed.performance_table),
        "warnings": len(parsed.warnings),
        "not_found": len(parsed.not_found),
    }
    return result


def _finding(
    session: Session,
    inspection: Inspection,
    document_id: int,
    finding: ParsedFinding,
    concern: int | None,
) -> int:
    stored = ops.record_finding(
        session,
        inspection,
        kind=finding.kind,
        text=finding.text,
        area=finding.area,
        heading=finding.heading,
        lead_in=finding.lead_in,
        sub_items=finding.sub_items,
        cause_of_concern_id=concern,
        deadline=finding.deadline,
        provenance=_provenance(document_id, finding.span),
    )
    if finding.kind == "cause_of_concern":
        session.flush()  # its recommendations link to its id
    return stored.id


def _figure(
    session: Session, inspection: Inspection, document_id: int, figure: ParsedFigure
) -> None:
    ops.record_figure(
        session,
        inspection,
        measure=figure.measure,
        comparator=figure.comparator,
        area=figure.area,
        table_title=figure.table,
        period=figure.period,
        unit=figure.unit,
        force_value_as_printed=figure.force_value_as_printed,
        force_value=figure.force_value,
        comparator_label=figure.comparator_label,
        comparator_value_as_printed=figure.comparator_value_as_printed,
        comparator_value=figure.comparator_value,
        change_as_printed=figure.change_as_printed,
        change=figure.change,
        provenance=_provenance(document_id, figure.span),
    )


def _performance_row(
    session: Session, inspection: Inspection, document_id: int, row: PerformanceRow
) -> None:
    ops.record_performance_row(
        session,
        inspection,
        table_title=row.table,
        indicator=row.indicator,
        area=row.area,
        previous=_cell(row.previous),
        current=_cell(row.current),
        change=_cell(row.change),
        change_unit=row.change.unit,
        msf_average=_cell(row.msf_average),
        msf_rank=_rank(row.msf_rank),
        national_average=_cell(row.national_average),
        national_rank=_rank(row.national_rank),
        provenance=_provenance(document_id, row.span),
    )


def _import_warning(session: Session, document_id: int, warning: ImportWarning) -> None:
    ops.record_import_warning(
        session,
        document_id=document_id,
        code=warning.code,
        message=warning.message,
        table_title=warning.table,
        row=warning.row,
        column=warning.column,
        line_start=warning.span.line_start if warning.span else None,
        line_end=warning.span.line_end if warning.span else None,
    )


def _inspection(
    session: Session, parsed: ParsedDocument, force: str, document_id: int
) -> Inspection:
    """The force's inspection for the document's framework and period: the one the record
    holds, else a new one. A report of the force itself becomes the inspection's document (and
    gives its title, status, date and HM Inspector) unless the inspection has a report of its
    own already. For another force (the national table) the report only adds judgments to an
    inspection the record holds; a new one is titled as coming from that table."""
    own = force == parsed.force
    title = parsed.title if own else f"{parsed.title or parsed.framework}: national table of grades"
    hm_inspector = parsed.hm_inspector if own else None
    inspection = ops.find_inspection(
        session, force=force, framework=parsed.framework, period=parsed.period
    )
    if inspection is None:
        return ops.create_inspection(
            session,
            force=force,
            framework=parsed.framework,
            period=parsed.period,
            title=title,
            status="published",
            published=parsed.published,
            hm_inspector=hm_inspector,
            document_id=document_id,
        )
    if own and ops.report_becomes_its_document(session, inspection):
        inspection.title = title
        if inspection.status == "published":
            # A report does not publish an inspection being made (a draft or a moderated
            # one): only the workflow does (store_document says so in a warning).
            inspection.published = parsed.published
        inspection.hm_inspector = hm_inspector
        inspection.document_id = document_id
        ops.show_by_precedence(session, inspection)  # its own report now ranks first
    return inspection


def _judgment(
    session: Session, inspection: Inspection, document_id: int, judgment: ParsedJudgment
) -> list[str]:
    """Store one judgment; the messages of any disagreement with another source."""
    stored = ops.record_judgment(
        session,
        inspection,
        area=judgment.area,
        grade=judgment.grade,
        grade_as_printed=judgment.grade_as_printed,
        direction=judgment.direction,
        direction_as_printed=judgment.direction_as_printed,
        year_last_inspected=judgment.year_last_inspected,
        carried_over=judgment.carried_over,
        previous_grade=judgment.previous_grade,
        read_from=judgment.read_from,
        provenance=_provenance(document_id, judgment.span),
    )
    return [d.message() for d in ops.disagreements(session, stored)]


def document_warnings(session: Session, document_id: int) -> list[ImportWarningRow]:
    """The data-quality warnings recorded when a document was imported."""
    return list(
        session.scalars(
            select(ImportWarningRow)
            .where(ImportWarningRow.document_id == document_id)
            .order_by(ImportWarningRow.id)
        )
    )
