"""The import writes its items a table at a time (``reportimport/rows.py``): what it stores must
be what the record's own functions store, one item at a time, and an item they refuse must be
refused with their error, naming the file and line.

The comparison database is written here with ``peelkit.record.operations`` only (an inspection
per force, each judgment, finding, figure, table row and warning by its own function, in the
document's order), independently of ``reportimport.store``; the two exports must be the same,
ids included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from peelkit import Workspace
from peelkit.domain.forces import MostSimilarGroup
from peelkit.domain.years import normalise_year
from peelkit.errors import DataFileError
from peelkit.frameworks import load_framework
from peelkit.record import exchange
from peelkit.record import operations as ops
from peelkit.record.groups import store_groups
from peelkit.record.schema import Inspection
from peelkit.reportimport.importer import parse_file
from peelkit.reportimport.model import ParsedDocument, ParsedJudgment, Span
from peelkit.reportimport.store import store_document

BASELINE_2005 = "004_8971e4e9a7c1f0c8.txt"  # judgments of 43 forces, tables, warnings, a group
PEEL_2018_19 = "001_2e8c9026aad1a9d7.txt"  # causes of concern and their recommendations
PEEL_2015 = "002_b3b722981796a923.txt"


def _provenance(document_id: int, span: Span | None) -> ops.Provenance:
    if span is None:
        return ops.Provenance(document_id=document_id)
    return ops.Provenance(
        document_id, span.line_start, span.line_end, span.page_start, span.page_end
    )


def write_one_by_one(session: Session, parsed: ParsedDocument) -> None:
    """The document written into an empty record by the record's functions alone."""
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
    own = ops.create_inspection(
        session,
        force=parsed.force,
        framework=parsed.framework,
        period=parsed.period,
        title=parsed.title,
        status="published",
        published=parsed.published,
        hm_inspector=parsed.hm_inspector,
        document_id=document.id,
    )
    by_force = {parsed.force: own}
    for judgment in parsed.judgments:  # the force's own first, then each other force's
        if judgment.force in (None, parsed.force):
            _judgment(session, own, document.id, judgment)
    for judgment in parsed.judgments:
        force = judgment.force
        if force is None or force == parsed.force:
            continue
        if force not in by_force:
            by_force[force] = ops.create_inspection(
                session,
                force=force,
                framework=parsed.framework,
                period=parsed.period,
                title=f"{parsed.title or parsed.framework}: national table of grades",
                status="published",
                published=parsed.published,
                document_id=document.id,
            )
    for force, inspection in by_force.items():
        if force != parsed.force:
            for judgment in parsed.judgments:
                if judgment.force == force:
                    _judgment(session, inspection, document.id, judgment)
    session.flush()
    ids: list[int] = []
    for finding in parsed.findings:
        concern = None if finding.cause_of_concern is None else ids[finding.cause_of_concern]
        made = ops.record_finding(
            session,
            own,
            kind=finding.kind,
            text=finding.text,
            area=finding.area,
            heading=finding.heading,
            lead_in=finding.lead_in,
            sub_items=finding.sub_items,
            cause_of_concern_id=concern,
            deadline=finding.deadline,
            provenance=_provenance(document.id, finding.span),
        )
        session.flush()
        ids.append(made.id)
    for figure in parsed.figures:
        ops.record_figure(
            session,
            own,
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
            provenance=_provenance(document.id, figure.span),
        )
    session.flush()
    for row in parsed.performance_table:
        ops.record_performance_row(
            session,
            own,
            table_title=row.table,
            indicator=row.indicator,
            area=row.area,
            previous=ops.PrintedCell(row.previous.printed, row.previous.value),
            current=ops.PrintedCell(row.current.printed, row.current.value),
            change=ops.PrintedCell(row.change.printed, row.change.value),
            change_unit=row.change.unit,
            msf_average=ops.PrintedCell(row.msf_average.printed, row.msf_average.value),
            msf_rank=ops.PrintedRank(
                row.msf_rank.printed, row.msf_rank.position, row.msf_rank.of, row.msf_rank.tied
            ),
            national_average=ops.PrintedCell(
                row.national_average.printed, row.national_average.value
            ),
            national_rank=ops.PrintedRank(
                row.national_rank.printed,
                row.national_rank.position,
                row.national_rank.of,
                row.national_rank.tied,
            ),
            provenance=_provenance(document.id, row.span),
        )
    session.flush()
    for warning in parsed.warnings:
        ops.record_import_warning(
            session,
            document_id=document.id,
            code=warning.code,
            message=warning.message,
            table_title=warning.table,
            row=warning.row,
            column=warning.column,
            line_start=warning.span.line_start if warning.span else None,
            line_end=warning.span.line_end if warning.span else None,
        )
    if parsed.most_similar_group:
        year = normalise_year(parsed.period or framework.period)
        name = f"{parsed.title or framework.title} ({source.filename})"
        store_groups(
            session, [MostSimilarGroup(parsed.force, year, tuple(parsed.most_similar_group), name)]
        )
    session.flush()


def _judgment(
    session: Session, inspection: Inspection, document_id: int, judgment: ParsedJudgment
) -> None:
    ops.record_judgment(
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


@pytest.mark.parametrize("report", [BASELINE_2005, PEEL_2018_19, PEEL_2015])
def test_the_rows_written_are_those_the_record_writes_one_by_one(
    report: str,
    reference_reports: Path,
    database_url: str,
    second_database_url: str,
    open_workspace: Callable[[str], Workspace],
) -> None:
    parsed = parse_file(reference_reports / report)
    batched, one_by_one = open_workspace(database_url), open_workspace(second_database_url)
    for workspace in (batched, one_by_one):
        workspace.initialise()
    with batched.database.transaction() as session:
        store_document(session, parsed)
    with one_by_one.database.transaction() as session:
        write_one_by_one(session, parsed)
    with batched.database.transaction() as session:
        ours = exchange.export_record(session)
    with one_by_one.database.transaction() as session:
        theirs = exchange.export_record(session)
    assert ours == theirs
    judged = sum(len(i["judgments"]) for i in ours["inspections"])
    assert judged == len(parsed.judgments) > 0


def _refused(
    database_url: str, open_workspace: Callable[[str], Workspace], parsed: ParsedDocument
) -> DataFileError:
    workspace = open_workspace(database_url)
    workspace.initialise()
    before = workspace.export()
    with pytest.raises(DataFileError) as caught, workspace.database.transaction() as session:
        store_document(session, parsed)
    assert workspace.export() == before  # nothing kept
    return caught.value


def test_an_area_judged_twice_is_refused_with_the_records_error(
    reference_reports: Path, database_url: str, open_workspace: Callable[[str], Workspace]
) -> None:
    parsed = parse_file(reference_reports / PEEL_2015)
    first = parsed.judgments[0]
    again = replace(first, span=Span(900, 900))
    parsed.judgments.append(again)
    error = _refused(database_url, open_workspace, parsed)
    assert error.code == "judgment_exists"
    assert error.location.line == 900
    assert error.message.startswith(f"{PEEL_2015}: line 900: inspection ")
    assert error.message.endswith(
        f"already has a judgment on area {first.area} from document 1 (the item read from the "
        "document cannot be stored)"
    )


def test_a_grade_for_an_area_that_is_not_graded_is_refused_with_the_records_error(
    reference_reports: Path, database_url: str, open_workspace: Callable[[str], Workspace]
) -> None:
    parsed = parse_file(reference_reports / PEEL_2015)
    framework = load_framework(parsed.framework)
    ungraded = next(a for a in framework.walk() if not a.graded)
    parsed.judgments.append(
        replace(parsed.judgments[0], area=ungraded.id, grade="good", span=Span(77, 77))
    )
    error = _refused(database_url, open_workspace, parsed)
    assert error.location.line == 77
    assert f"area {ungraded.id} of {framework.id} is not graded; grade 'Good' not allowed" in (
        error.message
    )


def test_a_finding_without_text_is_refused_with_the_records_error(
    reference_reports: Path, database_url: str, open_workspace: Callable[[str], Workspace]
) -> None:
    parsed = parse_file(reference_reports / PEEL_2015)
    parsed.findings[2] = replace(parsed.findings[2], text="  ")
    error = _refused(database_url, open_workspace, parsed)
    span = parsed.findings[2].span
    assert span is not None and error.location.line == span.line_start
    assert "a finding needs its text" in error.message


def _recommendation_with_a_cause(parsed: ParsedDocument) -> int:
    return next(
        index
        for index, finding in enumerate(parsed.findings)
        if finding.kind == "recommendation" and finding.cause_of_concern is not None
    )


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ("cause", "is not a cause of concern of inspection 1"),
        ("recommendation", "only a recommendation can be linked to a cause of concern"),
    ],
)
def test_a_cause_of_concern_that_cannot_be_one_is_refused_with_the_records_error(
    changed: str,
    message: str,
    reference_reports: Path,
    database_url: str,
    open_workspace: Callable[[str], Workspace],
) -> None:
    """The cause a recommendation names is checked as the record checks it: the finding named
    is a cause of concern (here made an area for improvement), and the finding naming it a
    recommendation (here made an area for improvement too)."""
    parsed = parse_file(reference_reports / PEEL_2018_19)
    index = _recommendation_with_a_cause(parsed)
    recommendation = parsed.findings[index]
    assert recommendation.cause_of_concern is not None
    target = recommendation.cause_of_concern if changed == "cause" else index
    parsed.findings[target] = replace(parsed.findings[target], kind="area_for_improvement")
    error = _refused(database_url, open_workspace, parsed)
    assert recommendation.span is not None
    assert error.location.line == recommendation.span.line_start
    assert message in error.message
