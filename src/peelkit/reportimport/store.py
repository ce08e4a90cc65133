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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from peelkit.domain.findings import InspectionStatus
from peelkit.domain.forces import MostSimilarGroup
from peelkit.domain.frameworks import Framework
from peelkit.domain.years import normalise_year
from peelkit.errors import DataFileError, PeelkitError
from peelkit.frameworks import load_framework
from peelkit.record import lengths
from peelkit.record import operations as ops
from peelkit.record.groups import store_groups
from peelkit.record.schema import ImportWarningRow, Inspection, SourceDocument
from peelkit.reference import resolve_force
from peelkit.reportimport.model import (
    ParsedDocument,
    ParsedFinding,
    ParsedJudgment,
    Span,
)
from peelkit.reportimport.rows import TABLES, Row, Rows, write, write_one


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
    else (unless ``again``) the first document stored with the same normalised text."""
    same_bytes = SourceDocument.sha256 == sha256
    if again or text_sha256 is None:
        same = session.scalar(select(SourceDocument).where(same_bytes))
        return None if same is None else (same, False)
    # both in one query (both columns indexed): the same bytes first, else the first stored
    candidates = session.scalars(
        select(SourceDocument)
        .where(or_(same_bytes, SourceDocument.text_sha256 == text_sha256))
        .order_by(SourceDocument.id)
    ).all()
    for document in candidates:
        if document.sha256 == sha256:
            return document, False
    return (candidates[0], True) if candidates else None


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
    others: dict[str, list[ParsedJudgment]] = defaultdict(list)
    own_judgments: list[ParsedJudgment] = []
    for judgment in parsed.judgments:
        if judgment.force is None or judgment.force == parsed.force:
            own_judgments.append(judgment)
        else:
            others[judgment.force].append(judgment)
    held = _held_inspections(session, parsed, framework, [parsed.force, *others])
    being_made = held.get(parsed.force)
    was = being_made.status if being_made is not None else None
    earlier = None
    if being_made is not None and not ops.report_becomes_its_document(session, being_made):
        earlier = session.get(SourceDocument, being_made.document_id)
    own = _inspection(session, parsed, document.id, being_made)
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
    rows = Rows(session, framework, document.id)
    inspections = {parsed.force: own}
    inspections.update(_table_inspections(session, parsed, framework, others, held, document.id))
    new_rows: list[Row] = []  # the judgments of inspections that held none: one statement
    for force_id, judgments in [(parsed.force, own_judgments), *others.items()]:
        inspection = inspections[force_id]
        if force_id != parsed.force:
            result.inspections.append(inspection.id)
        result.warnings.extend(
            _judgments(session, rows, inspection, document.id, judgments, source.filename, new_rows)
        )
    with _at(source.filename, None):
        write(session, TABLES["judgments"], new_rows)
    _findings(session, rows, own, document.id, parsed.findings, source.filename)
    items: list[tuple[str, Row]] = []
    for figure in parsed.figures:
        with _at(source.filename, figure.span):
            provenance = _provenance(document.id, figure.span)
            items.append(("figures", rows.figure(own.id, figure, provenance)))
    for row in parsed.performance_table:
        with _at(source.filename, row.span):
            provenance = _provenance(document.id, row.span)
            items.append(("performance_rows", rows.performance_row(own.id, row, provenance)))
    for warning in parsed.warnings:
        items.append(("warnings", rows.warning(warning)))
    for name in ("figures", "performance_rows", "warnings"):
        with _at(source.filename, None):
            write(session, TABLES[name], [row for kind, row in items if kind == name])
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
    # The rows written past the ORM are not in the collections it holds: read them afresh.
    for inspection in inspections.values():
        session.expire(inspection, ["judgments", "findings", "figures", "performance_rows"])
    result.counts = {
        "judgments": len(parsed.judgments),
        "findings": len(parsed.findings),
        "figures": len(parsed.figures),
        "performance_rows": len(parsed.performance_table),
        "warnings": len(parsed.warnings),
        "not_found": len(parsed.not_found),
    }
    return result


def _held_inspections(
    session: Session, parsed: ParsedDocument, framework: Framework, forces: list[str]
) -> dict[str, Inspection]:
    """The inspections the record holds for these forces under the document's framework and
    period, with their judgments: one query for all (the 2005 report grades 43 forces)."""
    period = ops.inspection_period(framework, parsed.period)
    query = (
        select(Inspection)
        .where(
            Inspection.framework_id == framework.id,
            Inspection.period == period,
            Inspection.force_id.in_(sorted(set(forces))),
        )
        .options(selectinload(Inspection.judgments))
    )
    return {inspection.force_id: inspection for inspection in session.scalars(query)}


def _judgments(
    session: Session,
    rows: Rows,
    inspection: Inspection,
    document_id: int,
    judgments: list[ParsedJudgment],
    filename: str,
    new_rows: list[Row],
) -> list[str]:
    """Store an inspection's judgments; the messages of any disagreement with another source.

    An inspection that holds no judgment yet gives them as rows, added to ``new_rows`` (the
    caller writes every inspection's in one statement: the 2005 report grades 43 forces); one
    that holds some (the grades CSV loaded first, another report) takes them through the
    record, which chooses the shown one of each area and says where sources disagree."""
    if not inspection.judgments:
        for judgment in judgments:
            with _at(filename, judgment.span):
                provenance = _provenance(document_id, judgment.span)
                new_rows.append(rows.judgment(inspection.id, judgment, provenance))
        return []
    messages: list[str] = []
    for judgment in judgments:
        with _at(filename, judgment.span):
            messages.extend(_judgment(session, inspection, document_id, judgment))
    session.flush()
    return messages


def _findings(
    session: Session,
    rows: Rows,
    inspection: Inspection,
    document_id: int,
    findings: list[ParsedFinding],
    filename: str,
) -> None:
    """Store the findings in the order printed, in as few statements as their links allow: a
    finding another one names (a cause of concern its recommendations answer) is written on
    its own, to know its id; the findings between are written together."""
    named = {f.cause_of_concern for f in findings if f.cause_of_concern is not None}
    stored: list[int | None] = []
    batch: list[Row] = []
    for index, finding in enumerate(findings):
        concern = None
        if finding.cause_of_concern is not None:
            written = stored[finding.cause_of_concern]
            if written is not None:
                concern = (written, findings[finding.cause_of_concern].kind)
        with _at(filename, finding.span):
            provenance = _provenance(document_id, finding.span)
            row = rows.finding(inspection, finding, concern, provenance)
        if index not in named:
            batch.append(row)
            stored.append(None)
            continue
        with _at(filename, finding.span):
            write(session, TABLES["findings"], batch)
            batch = []
            stored.append(write_one(session, TABLES["findings"], row))
    with _at(filename, None):
        write(session, TABLES["findings"], batch)


def _table_inspections(
    session: Session,
    parsed: ParsedDocument,
    framework: Framework,
    others: Mapping[str, list[ParsedJudgment]],
    held: Mapping[str, Inspection],
    document_id: int,
) -> dict[str, Inspection]:
    """The inspections of the other forces the document grades (the 2005 national table):
    those the record holds, and new ones titled as coming from that table, made as
    :func:`ops.create_inspection` makes one but in one statement (one by one, each with its own
    queries and flush, they took a tenth of the 2005 report's import; as ORM objects in one
    flush, twice the time of one INSERT returning them)."""
    found = {force: held[force] for force in others if force in held}
    period = ops.inspection_period(framework, parsed.period)
    new = [force for force in others if force not in held]
    new_rows = [
        {
            "force_id": resolve_force(force).id,
            "framework_id": framework.id,
            "period": period,
            "title": f"{parsed.title or parsed.framework}: national table of grades",
            "status": ops.choice("published", InspectionStatus, "status"),
            "published": parsed.published,
            "hm_inspector": None,
            "document_id": document_id,
        }
        for force in new
    ]
    if new_rows:
        lengths.check_table_rows(TABLES["inspections"], new_rows)
        made = session.scalars(
            insert(Inspection).returning(Inspection, sort_by_parameter_order=True), new_rows
        )
        for force, inspection in zip(new, made, strict=True):
            # A new inspection has no items yet: say so, rather than have the ORM ask.
            for items in _ITEMS:
                set_committed_value(inspection, items, [])
            found[force] = inspection
    return {force: found[force] for force in others}


_ITEMS = ("judgments", "findings", "evidence", "figures", "performance_rows")


def _inspection(
    session: Session,
    parsed: ParsedDocument,
    document_id: int,
    inspection: Inspection | None,
) -> Inspection:
    """The force's own inspection for the document's framework and period: the one the
    record holds, else a new one. The report becomes the inspection's document (and gives its
    title, status, date and HM Inspector) unless the inspection has a report of its own
    already."""
    if inspection is None:
        return ops.create_inspection(
            session,
            force=parsed.force,
            framework=parsed.framework,
            period=parsed.period,
            title=parsed.title,
            status="published",
            published=parsed.published,
            hm_inspector=parsed.hm_inspector,
            document_id=document_id,
        )
    if ops.report_becomes_its_document(session, inspection):
        inspection.title = parsed.title
        if inspection.status == "published":
            # A report does not publish an inspection being made (a draft or a moderated
            # one): only the workflow does (store_document says so in a warning).
            inspection.published = parsed.published
        inspection.hm_inspector = parsed.hm_inspector
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
