"""Export the whole record as JSON and load it back.

Export -> load into an empty database -> export gives an identical file: ids are kept, keys and
lists are in a fixed order, and nothing time-dependent is written.

An export made before judgments had ``shown`` (and could hold two inspections of one force,
framework and period) still loads: inspections of one force, framework and period are merged
into one (the one with a report document, else the lowest id, as migration 0004 does), and a
judgment without ``shown`` is shown or not by the record's precedence rule.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session, selectinload

from peelkit.domain.forces import MostSimilarGroup
from peelkit.domain.years import normalise_year
from peelkit.errors import DataFileError
from peelkit.frameworks import load_framework
from peelkit.record import load_checks, serialise
from peelkit.record import operations as ops
from peelkit.record.exchange_followup import export_followup, load_followup
from peelkit.record.groups import store_groups, stored_groups
from peelkit.record.json_reader import Reader, kind_of, located, pointer
from peelkit.record.schema import (
    DataFigure,
    Evidence,
    Finding,
    FindingLinkRow,
    ImportWarningRow,
    Inspection,
    Judgment,
    MonitoringStatementRow,
    MostSimilarPeer,
    NationalRecommendationRow,
    PccResponseRow,
    PerformanceRow,
    SourceDocument,
    StatusEventRow,
)
from peelkit.record.visibility import public_condition
from peelkit.reference import resolve_force

FORMAT = load_checks.FORMAT
FORMAT_VERSION = 2
# Version 1 had no ``followup`` object; it loads as a record with no follow-up.
READABLE_VERSIONS = load_checks.READABLE_VERSIONS


def export_record(session: Session, public_at: dt.datetime | None = None) -> dict[str, Any]:
    """The whole record; with ``public_at``, only the inspections the public may see then
    (published, out of embargo) and the documents they cite (the open-data ``record.json``)."""
    documents = list(session.scalars(select(SourceDocument).order_by(SourceDocument.id)))
    warnings: dict[int, list[ImportWarningRow]] = {}
    for warning in session.scalars(select(ImportWarningRow).order_by(ImportWarningRow.id)):
        warnings.setdefault(warning.document_id, []).append(warning)
    query = select(Inspection).order_by(Inspection.id)
    if public_at is not None:
        query = query.where(public_condition(public_at))
    inspections = list(
        session.scalars(
            query.options(
                selectinload(Inspection.judgments),
                selectinload(Inspection.findings),
                selectinload(Inspection.evidence),
                selectinload(Inspection.figures),
                selectinload(Inspection.performance_rows),
            )
        )
    )
    followup, followup_documents = export_followup(session, public_at, {i.id for i in inspections})
    if public_at is not None:
        cited = _cited_documents(inspections) | followup_documents
        documents = [d for d in documents if d.id in cited]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "documents": [serialise.document(d, warnings.get(d.id)) for d in documents],
        "inspections": [serialise.inspection(i) for i in inspections],
        "most_similar_groups": [serialise.group(g) for g in stored_groups(session)],
        "followup": followup,
    }


def _cited_documents(inspections: list[Inspection]) -> set[int]:
    """The documents an inspection or any of its items names as its source."""
    cited: set[int] = set()
    for inspection in inspections:
        items: list[Any] = [
            *inspection.judgments,
            *inspection.findings,
            *inspection.evidence,
            *inspection.figures,
            *inspection.performance_rows,
        ]
        ids = [inspection.document_id, *(item.document_id for item in items)]
        cited.update(i for i in ids if i is not None)
    return cited


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def record_size(session: Session) -> int:
    """How many inspections, documents and stored group peers the database holds."""
    total = 0
    for table in (Inspection, SourceDocument, MostSimilarPeer):
        total += session.scalar(select(func.count()).select_from(table)) or 0
    return total


def clear_record(session: Session) -> None:
    for followup_table in (
        StatusEventRow,
        FindingLinkRow,
        PccResponseRow,
        MonitoringStatementRow,
        NationalRecommendationRow,
    ):
        session.execute(delete(followup_table))
    for table in (DataFigure, Evidence, Judgment, PerformanceRow, ImportWarningRow):
        session.execute(delete(table))
    session.execute(delete(Finding).where(Finding.cause_of_concern_id.is_not(None)))
    session.execute(delete(Finding))
    session.execute(delete(Inspection))
    session.execute(delete(SourceDocument))
    session.execute(delete(MostSimilarPeer))
    session.flush()


_PROVENANCE = {
    k: False for k in ("document", "line_start", "line_end", "page_start", "page_end", "entered_by")
}
_DOCUMENT = {
    "id": True,
    "sha256": True,
    "text_sha256": False,
    "title": False,
    "filename": False,
    "media_type": False,
    "publisher": False,
    "published": False,
    "line_count": False,
    "page_count": False,
    "stated_counts": False,
    "warnings": False,
}
_WARNING = {
    "id": True,
    "code": True,
    "message": True,
    "table": False,
    "row": False,
    "column": False,
    "line_start": False,
    "line_end": False,
}
_CELL = {"printed": False, "value": False}
_RANK = {"printed": False, "position": False, "of": False, "tied": False}
_PERFORMANCE_ROW = {
    "id": True,
    "area": False,
    "table": True,
    "indicator": True,
    "previous": False,
    "current": False,
    "change": False,
    "change_unit": False,
    "msf_average": False,
    "msf_rank": False,
    "national_average": False,
    "national_rank": False,
    "provenance": False,
}
_INSPECTION = {
    "id": True,
    "version": False,
    "force": True,
    "framework": True,
    "period": False,
    "title": False,
    "status": False,
    "published": False,
    "embargo_until": False,
    "hm_inspector": False,
    "document": False,
    "entered_by": False,
    "judgments": False,
    "findings": False,
    "evidence": False,
    "figures": False,
    "performance_table": False,
}
_JUDGMENT = {
    "id": True,
    "version": False,
    "area": True,
    "grade": True,  # null where no grade is available, never left out
    "grade_as_printed": False,
    "direction": False,
    "direction_as_printed": False,
    "year_last_inspected": False,
    "carried_over": False,
    "previous_grade": False,
    "read_from": False,
    "rationale": False,
    "shown": False,
    "shown_reason": False,
    "provenance": False,
}
_FINDING = {
    "id": True,
    "version": False,
    "area": False,
    "kind": True,
    "text": True,
    "heading": False,
    "lead_in": False,
    "sub_items": False,
    "cause_of_concern": False,
    "deadline": False,
    "flag": False,
    "provenance": False,
}
_EVIDENCE = {
    "id": True,
    "version": False,
    "area": False,
    "kind": True,
    "description": False,
    "sample_size": False,
    "period": False,
    "criteria_results": False,
    "provenance": False,
}
_FIGURE = {
    "id": True,
    "version": False,
    "area": False,
    "table": False,
    "measure": True,
    "period": False,
    "unit": False,
    "force_value_as_printed": False,
    "force_value": False,
    "comparator": False,
    "comparator_label": False,
    "comparator_value_as_printed": False,
    "comparator_value": False,
    "change_as_printed": False,
    "change": False,
    "provenance": False,
}
_GROUP = {"force": True, "year": True, "peers": True, "source": True}


def _provenance(file: str, path: str, value: Any) -> ops.Provenance:
    if value is None:
        return ops.Provenance()
    item = Reader(file, path, value, _PROVENANCE)
    return ops.Provenance(
        document_id=item.integer("document"),
        line_start=item.integer("line_start"),
        line_end=item.integer("line_end"),
        page_start=item.integer("page_start"),
        page_end=item.integer("page_end"),
        entered_by=item.text("entered_by"),
    )


def parse_export(path: Path) -> dict[str, Any]:
    """The export in ``path``, checked whole before anything is written (``load_checks``: the
    JSON itself, the JSON Schema ``export.schema.json``, ids and references): a file refused
    here or by :func:`load_record` loads nothing."""
    try:
        text_value = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(
            str(path), "", f"cannot be read ({exc.strerror})", code="file_unreadable"
        ) from None
    except UnicodeDecodeError:
        raise DataFileError(path.name, "", "is not UTF-8 text") from None
    document = load_checks.parse(text_value, path.name)
    if not isinstance(document, dict):
        raise DataFileError(path.name, "", f"expected a JSON object, found {kind_of(document)}")
    load_checks.check_export(document, path.name)
    return document


def load_record(
    session: Session,
    document: dict[str, Any],
    file: str,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Load an export into the session's (empty) record. Returns counts of what was loaded.

    ``document`` is what :func:`parse_export` returns: checked whole against the export's schema,
    ids and references. What needs the frameworks, forces and the record's rules (areas, grades,
    one shown judgment per area) is checked here as each item is added, inside the caller's
    transaction.
    """
    top = Reader(
        file,
        "",
        document,
        {
            "format": True,
            "format_version": True,
            "documents": True,
            "inspections": True,
            "most_similar_groups": False,
            "followup": False,
        },
    )
    load_checks.check_format(document, file)
    counts = {
        "documents": 0,
        "inspections": 0,
        "judgments": 0,
        "findings": 0,
        "evidence": 0,
        "figures": 0,
        "performance_rows": 0,
        "most_similar_groups": 0,
    }
    for i, raw in enumerate(top.objects("documents")):
        path = pointer("", "documents", i)
        item = Reader(file, path, raw, _DOCUMENT)
        with located(file, path):
            document_id = item.integer("id")
            stored = ops.register_document(
                session,
                document_id=document_id,
                sha256=item.required_text("sha256"),
                title=item.text("title"),
                filename=item.text("filename"),
                media_type=item.text("media_type"),
                publisher=item.text("publisher"),
                published=item.date("published"),
                line_count=item.integer("line_count"),
                page_count=item.integer("page_count"),
            )
            if stored.id != document_id:
                raise item.fail(f"the same checksum appears again (document {stored.id})", "sha256")
            text_sha256 = item.text("text_sha256")
            if text_sha256 is not None and not re.fullmatch("[0-9a-f]{64}", text_sha256):
                raise item.fail("expected 64 lower-case hex digits or null", "text_sha256")
            stored.text_sha256 = text_sha256
            stored.stated_counts = item.value.get("stated_counts")  # checked by the schema
        for j, raw_warning in enumerate(item.objects("warnings")):
            at = pointer(path, "warnings", j)
            entry = Reader(file, at, raw_warning, _WARNING)
            with located(file, at):
                ops.record_import_warning(
                    session,
                    warning_id=entry.integer("id"),
                    document_id=stored.id,
                    code=entry.required_text("code"),
                    message=entry.required_text("message"),
                    table_title=entry.text("table"),
                    row=entry.text("row"),
                    column=entry.text("column"),
                    line_start=entry.integer("line_start"),
                    line_end=entry.integer("line_end"),
                )
        counts["documents"] += 1
    inspections = top.objects("inspections")
    readers = [
        Reader(file, pointer("", "inspections", i), raw, _INSPECTION)
        for i, raw in enumerate(inspections)
    ]
    merged_into = _merge_targets(session, file, readers)
    loaded: dict[int, Inspection] = {}
    # Inspections that merge into another are loaded after all the others.
    order = [i for i in range(len(readers)) if i not in merged_into] + sorted(merged_into)
    for done, i in enumerate(order, start=1):
        into = loaded[merged_into[i]] if i in merged_into else None
        loaded[i] = _load_inspection(session, file, readers[i], counts, into)
        if progress:
            progress(done, len(inspections))
    groups = []
    for i, raw in enumerate(top.objects("most_similar_groups")):
        path = pointer("", "most_similar_groups", i)
        item = Reader(file, path, raw, _GROUP)
        with located(file, path):
            groups.append(_group(item))
    store_groups(session, groups)
    counts["most_similar_groups"] = len(groups)
    if top.value.get("followup") is not None:
        with located(file, "/followup"):
            loaded_followup = load_followup(session, top.value["followup"], file)
        counts.update({f"followup_{k}": v for k, v in loaded_followup.items()})
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        _advance_sequences(session)
    return counts


def _group(item: Reader) -> MostSimilarGroup:
    force = resolve_force(item.required_text("force")).id
    peers = tuple(resolve_force(p).id for p in item.texts("peers"))
    return MostSimilarGroup(
        force_id=force,
        year=normalise_year(item.required_text("year")),
        peers=peers,
        source=item.required_text("source"),
    )


def _merge_targets(session: Session, file: str, readers: list[Reader]) -> dict[int, int]:
    """For an older export holding several inspections of one force, framework and period:
    index of each inspection -> index of the one it merges into (loaded first: the one with a
    report document, else the lowest id). Empty for an export of this version."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for i, item in enumerate(readers):
        with located(file, item.path):
            spec = load_framework(item.required_text("framework"))
            key = (
                resolve_force(item.required_text("force")).id,
                spec.id,
                ops.inspection_period(spec, item.text("period")),
            )
        groups.setdefault(key, []).append(i)
    targets: dict[int, int] = {}
    for members in groups.values():
        if len(members) < 2:
            continue

        def rank(i: int) -> tuple[bool, int]:
            document = session.get(SourceDocument, readers[i].integer("document") or -1)
            return (not ops.is_report_document(document), readers[i].integer("id") or 0)

        survivor = min(members, key=rank)
        targets.update({i: survivor for i in members if i != survivor})
    return targets


def _load_inspection(
    session: Session,
    file: str,
    item: Reader,
    counts: dict[str, int],
    into: Inspection | None = None,
) -> Inspection:
    """Load one inspection, or (an older export's duplicate) its items into ``into``."""
    path = item.path
    if into is not None:
        inspection = into
    else:
        with located(file, path):
            inspection = ops.create_inspection(
                session,
                inspection_id=item.integer("id"),
                force=item.required_text("force"),
                framework=item.required_text("framework"),
                period=item.text("period"),
                title=item.text("title"),
                status=item.text("status") or "draft",
                published=item.date("published"),
                embargo_until=item.datetime("embargo_until"),
                hm_inspector=item.text("hm_inspector"),
                document_id=item.integer("document"),
                entered_by=item.text("entered_by"),
            )
            inspection.version = _version(item)
        counts["inspections"] += 1
    for j, raw_judgment in enumerate(item.objects("judgments")):
        at = pointer(path, "judgments", j)
        entry = Reader(file, at, raw_judgment, _JUDGMENT)
        with located(file, at):
            judgment_row = ops.record_judgment(
                session,
                inspection,
                judgment_id=entry.integer("id"),
                area=entry.required_text("area"),
                grade=entry.text("grade"),
                grade_as_printed=entry.text("grade_as_printed"),
                direction=entry.text("direction"),
                direction_as_printed=entry.text("direction_as_printed"),
                year_last_inspected=entry.text("year_last_inspected"),
                carried_over=entry.flag("carried_over"),
                previous_grade=entry.text("previous_grade"),
                read_from=entry.text("read_from"),
                rationale=entry.text("rationale"),
                provenance=_provenance(
                    file, pointer(at, "provenance"), entry.value.get("provenance")
                ),
                shown=None if entry.value.get("shown") is None else entry.flag("shown"),
                shown_reason=entry.text("shown_reason"),
            )
            judgment_row.version = _version(entry)
        counts["judgments"] += 1
    with located(file, path):
        ops.check_one_shown(inspection)  # before anything flushes a second shown judgment
    for j, raw_finding in enumerate(item.objects("findings")):
        at = pointer(path, "findings", j)
        entry = Reader(file, at, raw_finding, _FINDING)
        with located(file, at):
            finding_row = ops.record_finding(
                session,
                inspection,
                finding_id=entry.integer("id"),
                area=entry.text("area"),
                kind=entry.required_text("kind"),
                text=entry.required_text("text"),
                heading=entry.text("heading"),
                lead_in=entry.text("lead_in"),
                sub_items=entry.texts("sub_items"),
                cause_of_concern_id=entry.integer("cause_of_concern"),
                deadline=entry.text("deadline"),
                provenance=_provenance(
                    file, pointer(at, "provenance"), entry.value.get("provenance")
                ),
            )
            finding_row.flag = entry.text("flag")
            finding_row.version = _version(entry)
        counts["findings"] += 1
    for j, raw_evidence in enumerate(item.objects("evidence")):
        at = pointer(path, "evidence", j)
        entry = Reader(file, at, raw_evidence, _EVIDENCE)
        with located(file, at):
            evidence_row = ops.record_evidence(
                session,
                inspection,
                evidence_id=entry.integer("id"),
                area=entry.text("area"),
                kind=entry.required_text("kind"),
                description=entry.text("description"),
                sample_size=entry.integer("sample_size"),
                period=entry.text("period"),
                criteria_results=entry.objects("criteria_results"),
                provenance=_provenance(
                    file, pointer(at, "provenance"), entry.value.get("provenance")
                ),
            )
            evidence_row.version = _version(entry)
        counts["evidence"] += 1
    for j, raw_figure in enumerate(item.objects("figures")):
        at = pointer(path, "figures", j)
        entry = Reader(file, at, raw_figure, _FIGURE)
        with located(file, at):
            figure_row = ops.record_figure(
                session,
                inspection,
                figure_id=entry.integer("id"),
                area=entry.text("area"),
                table_title=entry.text("table"),
                measure=entry.required_text("measure"),
                period=entry.text("period"),
                unit=entry.text("unit"),
                force_value_as_printed=entry.text("force_value_as_printed"),
                force_value=entry.number("force_value"),
                comparator=entry.text("comparator") or "none",
                comparator_label=entry.text("comparator_label"),
                comparator_value_as_printed=entry.text("comparator_value_as_printed"),
                comparator_value=entry.number("comparator_value"),
                change_as_printed=entry.text("change_as_printed"),
                change=entry.number("change"),
                provenance=_provenance(
                    file, pointer(at, "provenance"), entry.value.get("provenance")
                ),
            )
            figure_row.version = _version(entry)
        counts["figures"] += 1
    for j, raw_row in enumerate(item.objects("performance_table")):
        at = pointer(path, "performance_table", j)
        entry = Reader(file, at, raw_row, _PERFORMANCE_ROW)
        with located(file, at):
            ops.record_performance_row(
                session,
                inspection,
                row_id=entry.integer("id"),
                area=entry.text("area"),
                table_title=entry.required_text("table"),
                indicator=entry.required_text("indicator"),
                previous=_cell(entry, "previous"),
                current=_cell(entry, "current"),
                change=_cell(entry, "change"),
                change_unit=entry.text("change_unit"),
                msf_average=_cell(entry, "msf_average"),
                msf_rank=_rank(entry, "msf_rank"),
                national_average=_cell(entry, "national_average"),
                national_rank=_rank(entry, "national_rank"),
                provenance=_provenance(
                    file, pointer(at, "provenance"), entry.value.get("provenance")
                ),
            )
        counts["performance_rows"] += 1
    return inspection


def _version(entry: Reader) -> int:
    """An item's version as exported (1 when the export has none)."""
    version = entry.integer("version")
    if version is None:
        return 1
    if version < 1:
        raise entry.fail(f"version must be 1 or more, got {version}", "version")
    return version


def _cell(entry: Reader, key: str) -> ops.PrintedCell:
    raw = entry.value.get(key)
    if raw is None:
        return ops.PrintedCell()
    cell = Reader(entry.file, pointer(entry.path, key), raw, _CELL)
    return ops.PrintedCell(printed=cell.text("printed"), value=cell.number("value"))


def _rank(entry: Reader, key: str) -> ops.PrintedRank:
    raw = entry.value.get(key)
    if raw is None:
        return ops.PrintedRank()
    rank = Reader(entry.file, pointer(entry.path, key), raw, _RANK)
    return ops.PrintedRank(
        printed=rank.text("printed"),
        position=rank.integer("position"),
        of=rank.integer("of"),
        tied=rank.flag("tied"),
    )


def _advance_sequences(session: Session) -> None:
    """After explicit ids, move PostgreSQL's id sequence of every table with an integer id past
    the largest id it holds (never back: ids given out before a ``--replace`` stay used)."""
    from sqlalchemy import Integer

    from peelkit.record.schema import Base

    for table in Base.metadata.sorted_tables:
        key = list(table.primary_key.columns)
        if len(key) != 1 or key[0].name != "id" or not isinstance(key[0].type, Integer):
            continue
        sequence = session.scalar(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name}
        )
        largest = session.scalar(select(func.max(key[0])))
        if sequence is None or largest is None:
            continue
        session.execute(
            text(f"SELECT setval(:sequence, GREATEST(:largest, last_value)) FROM {sequence}"),
            {"sequence": sequence, "largest": largest},
        )
