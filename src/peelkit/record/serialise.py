"""The record as plain JSON-ready dictionaries: one shape for export, ``--json`` and the API.

The shapes are documented in docs/json-output.md; tests check that every key is documented.

Each item is written from its row's values in the order of a ``*_COLUMNS`` tuple
(``judgment_values``): from an ORM object (``judgment``), or from the plain rows of one query
per table, which is how the export reads the whole record without building an ORM object per
item.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any

from peelkit.domain.forces import MostSimilarGroup
from peelkit.record.schema import (
    DataFigure,
    Evidence,
    Finding,
    FindingLinkRow,
    ImportWarningRow,
    Inspection,
    Judgment,
    MonitoringStatementRow,
    NationalRecommendationRow,
    PccResponseRow,
    PerformanceRow,
    ProvenanceMixin,
    SourceDocument,
    StatusEventRow,
)


def provenance(row: ProvenanceMixin) -> dict[str, Any]:
    return {
        "document": row.document_id,
        "line_start": row.line_start,
        "line_end": row.line_end,
        "page_start": row.page_start,
        "page_end": row.page_end,
        "entered_by": row.entered_by,
    }


def document(row: SourceDocument, warnings: list[ImportWarningRow] | None = None) -> dict[str, Any]:
    return {
        "id": row.id,
        "sha256": row.sha256,
        "text_sha256": row.text_sha256,
        "title": row.title,
        "filename": row.filename,
        "media_type": row.media_type,
        "publisher": row.publisher,
        "published": row.published.isoformat() if row.published else None,
        "line_count": row.line_count,
        "page_count": row.page_count,
        "stated_counts": row.stated_counts,
        "warnings": [import_warning(w) for w in sorted(warnings or [], key=lambda w: w.id)],
    }


_PROVENANCE_COLUMNS = (
    "document_id",
    "line_start",
    "line_end",
    "page_start",
    "page_end",
    "entered_by",
)

JUDGMENT_COLUMNS = (
    "id",
    "area_id",
    "grade",
    "grade_as_printed",
    "direction",
    "direction_as_printed",
    "year_last_inspected",
    "carried_over",
    "previous_grade",
    "read_from",
    "rationale",
    "shown",
    "shown_reason",
    *_PROVENANCE_COLUMNS,
    "version",
)
_judgment_columns = attrgetter(*JUDGMENT_COLUMNS)


def judgment(row: Judgment) -> dict[str, Any]:
    return judgment_values(_judgment_columns(row))


def judgment_values(values: Sequence[Any]) -> dict[str, Any]:
    """:func:`judgment` of the values of :data:`JUDGMENT_COLUMNS`."""
    (
        id_,
        area,
        grade,
        grade_as_printed,
        direction,
        direction_as_printed,
        year_last_inspected,
        carried_over,
        previous_grade,
        read_from,
        rationale,
        shown,
        shown_reason,
        document,
        line_start,
        line_end,
        page_start,
        page_end,
        entered_by,
        version,
    ) = values
    return {
        "id": id_,
        "area": area,
        "grade": grade,
        "grade_as_printed": grade_as_printed,
        "direction": direction,
        "direction_as_printed": direction_as_printed,
        "year_last_inspected": year_last_inspected,
        "carried_over": carried_over,
        "previous_grade": previous_grade,
        "read_from": read_from,
        "rationale": rationale,
        "shown": shown,
        "shown_reason": shown_reason,
        "provenance": {
            "document": document,
            "line_start": line_start,
            "line_end": line_end,
            "page_start": page_start,
            "page_end": page_end,
            "entered_by": entered_by,
        },
        "version": version or 1,
    }


FINDING_COLUMNS = (
    "id",
    "area_id",
    "kind",
    "text",
    "heading",
    "lead_in",
    "sub_items",
    "cause_of_concern_id",
    "deadline",
    "flag",
    *_PROVENANCE_COLUMNS,
    "version",
)
_finding_columns = attrgetter(*FINDING_COLUMNS)


def finding(row: Finding) -> dict[str, Any]:
    return finding_values(_finding_columns(row))


def finding_values(values: Sequence[Any]) -> dict[str, Any]:
    """:func:`finding` of the values of :data:`FINDING_COLUMNS`."""
    (
        id_,
        area,
        kind,
        text,
        heading,
        lead_in,
        sub_items,
        cause_of_concern,
        deadline,
        flag,
        document,
        line_start,
        line_end,
        page_start,
        page_end,
        entered_by,
        version,
    ) = values
    return {
        "id": id_,
        "area": area,
        "kind": kind,
        "text": text,
        "heading": heading,
        "lead_in": lead_in,
        "sub_items": list(sub_items or []),
        "cause_of_concern": cause_of_concern,
        "deadline": deadline,
        "flag": flag,
        "provenance": {
            "document": document,
            "line_start": line_start,
            "line_end": line_end,
            "page_start": page_start,
            "page_end": page_end,
            "entered_by": entered_by,
        },
        "version": version or 1,
    }


EVIDENCE_COLUMNS = (
    "id",
    "area_id",
    "kind",
    "description",
    "sample_size",
    "period",
    "criteria_results",
    *_PROVENANCE_COLUMNS,
    "version",
)
_evidence_columns = attrgetter(*EVIDENCE_COLUMNS)


def evidence(row: Evidence) -> dict[str, Any]:
    return evidence_values(_evidence_columns(row))


def evidence_values(values: Sequence[Any]) -> dict[str, Any]:
    """:func:`evidence` of the values of :data:`EVIDENCE_COLUMNS`."""
    (id_, area, kind, description, sample_size, period, criteria_results, *cited, version) = values
    return {
        "id": id_,
        "area": area,
        "kind": kind,
        "description": description,
        "sample_size": sample_size,
        "period": period,
        "criteria_results": list(criteria_results or []),
        "provenance": _provenance_values(cited),
        "version": version or 1,
    }


FIGURE_COLUMNS = (
    "id",
    "area_id",
    "table_title",
    "measure",
    "period",
    "unit",
    "force_value_as_printed",
    "force_value",
    "comparator",
    "comparator_label",
    "comparator_value_as_printed",
    "comparator_value",
    "change_as_printed",
    "change",
    *_PROVENANCE_COLUMNS,
    "version",
)
_figure_columns = attrgetter(*FIGURE_COLUMNS)


def figure(row: DataFigure) -> dict[str, Any]:
    return figure_values(_figure_columns(row))


def figure_values(values: Sequence[Any]) -> dict[str, Any]:
    """:func:`figure` of the values of :data:`FIGURE_COLUMNS`."""
    (
        id_,
        area,
        table,
        measure,
        period,
        unit,
        force_value_as_printed,
        force_value,
        comparator,
        comparator_label,
        comparator_value_as_printed,
        comparator_value,
        change_as_printed,
        change,
        document,
        line_start,
        line_end,
        page_start,
        page_end,
        entered_by,
        version,
    ) = values
    return {
        "id": id_,
        "area": area,
        "table": table,
        "measure": measure,
        "period": period,
        "unit": unit,
        "force_value_as_printed": force_value_as_printed,
        "force_value": force_value,
        "comparator": comparator,
        "comparator_label": comparator_label,
        "comparator_value_as_printed": comparator_value_as_printed,
        "comparator_value": comparator_value,
        "change_as_printed": change_as_printed,
        "change": change,
        "provenance": {
            "document": document,
            "line_start": line_start,
            "line_end": line_end,
            "page_start": page_start,
            "page_end": page_end,
            "entered_by": entered_by,
        },
        "version": version or 1,
    }


def _provenance_values(values: Sequence[Any]) -> dict[str, Any]:
    document, line_start, line_end, page_start, page_end, entered_by = values
    return {
        "document": document,
        "line_start": line_start,
        "line_end": line_end,
        "page_start": page_start,
        "page_end": page_end,
        "entered_by": entered_by,
    }


def _rank(printed: str | None, position: int | None, of: int | None, tied: bool) -> dict[str, Any]:
    return {"printed": printed, "position": position, "of": of, "tied": tied}


PERFORMANCE_ROW_COLUMNS = (
    "id",
    "area_id",
    "table_title",
    "indicator",
    "previous_as_printed",
    "previous",
    "current_as_printed",
    "current",
    "change_as_printed",
    "change",
    "change_unit",
    "msf_average_as_printed",
    "msf_average",
    "msf_rank_as_printed",
    "msf_rank",
    "msf_rank_of",
    "msf_rank_tied",
    "national_average_as_printed",
    "national_average",
    "national_rank_as_printed",
    "national_rank",
    "national_rank_of",
    "national_rank_tied",
    *_PROVENANCE_COLUMNS,
)
_performance_row_columns = attrgetter(*PERFORMANCE_ROW_COLUMNS)


def performance_row(row: PerformanceRow) -> dict[str, Any]:
    return performance_row_values(_performance_row_columns(row))


def performance_row_values(values: Sequence[Any]) -> dict[str, Any]:
    """:func:`performance_row` of the values of :data:`PERFORMANCE_ROW_COLUMNS`."""
    (
        id_,
        area,
        table,
        indicator,
        previous_as_printed,
        previous,
        current_as_printed,
        current,
        change_as_printed,
        change,
        change_unit,
        msf_average_as_printed,
        msf_average,
        msf_rank_as_printed,
        msf_rank,
        msf_rank_of,
        msf_rank_tied,
        national_average_as_printed,
        national_average,
        national_rank_as_printed,
        national_rank,
        national_rank_of,
        national_rank_tied,
        *cited,
    ) = values
    return {
        "id": id_,
        "area": area,
        "table": table,
        "indicator": indicator,
        "previous": {"printed": previous_as_printed, "value": previous},
        "current": {"printed": current_as_printed, "value": current},
        "change": {"printed": change_as_printed, "value": change},
        "change_unit": change_unit,
        "msf_average": {"printed": msf_average_as_printed, "value": msf_average},
        "msf_rank": _rank(msf_rank_as_printed, msf_rank, msf_rank_of, msf_rank_tied),
        "national_average": {"printed": national_average_as_printed, "value": national_average},
        "national_rank": _rank(
            national_rank_as_printed, national_rank, national_rank_of, national_rank_tied
        ),
        "provenance": _provenance_values(cited),
    }


def import_warning(row: ImportWarningRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "code": row.code,
        "message": row.message,
        "table": row.table_title,
        "row": row.row,
        "column": row.column,
        "line_start": row.line_start,
        "line_end": row.line_end,
    }


def inspection_summary(row: Inspection) -> dict[str, Any]:
    return {
        "id": row.id,
        "force": row.force_id,
        "framework": row.framework_id,
        "period": row.period,
        "title": row.title,
        "status": row.status,
        "published": row.published.isoformat() if row.published else None,
        "judgments": sum(1 for j in row.judgments if j.shown),  # areas judged, not sources
        "findings": len(row.findings),
    }


INSPECTION_COLUMNS = (
    "id",
    "force_id",
    "framework_id",
    "period",
    "title",
    "status",
    "published",
    "embargo_until",
    "hm_inspector",
    "document_id",
    "entered_by",
    "version",
)
_inspection_columns = attrgetter(*INSPECTION_COLUMNS)


def inspection(row: Inspection) -> dict[str, Any]:
    return inspection_values(
        _inspection_columns(row),
        judgments=[judgment(j) for j in sorted(row.judgments, key=lambda j: j.id)],
        findings=[finding(f) for f in sorted(row.findings, key=lambda f: f.id)],
        evidence=[evidence(e) for e in sorted(row.evidence, key=lambda e: e.id)],
        figures=[figure(f) for f in sorted(row.figures, key=lambda f: f.id)],
        performance_table=[
            performance_row(r) for r in sorted(row.performance_rows, key=lambda r: r.id)
        ],
    )


def inspection_values(
    values: Sequence[Any],
    *,
    judgments: list[dict[str, Any]],
    findings: list[dict[str, Any]],
    evidence: list[dict[str, Any]],
    figures: list[dict[str, Any]],
    performance_table: list[dict[str, Any]],
) -> dict[str, Any]:
    """:func:`inspection` of the values of :data:`INSPECTION_COLUMNS` and its items, each
    list already written and in the order of the items' ids."""
    (
        id_,
        force,
        framework,
        period,
        title,
        status,
        published,
        embargo_until,
        hm_inspector,
        document,
        entered_by,
        version,
    ) = values
    return {
        "id": id_,
        "force": force,
        "framework": framework,
        "period": period,
        "title": title,
        "status": status,
        "published": published.isoformat() if published else None,
        "embargo_until": embargo_until.isoformat() if embargo_until else None,
        "hm_inspector": hm_inspector,
        "document": document,
        "entered_by": entered_by,
        "version": version or 1,
        "judgments": judgments,
        "findings": findings,
        "evidence": evidence,
        "figures": figures,
        "performance_table": performance_table,
    }


def group(value: MostSimilarGroup) -> dict[str, Any]:
    return {
        "force": value.force_id,
        "year": value.year,
        "peers": list(value.peers),
        "source": value.source,
    }


def _cited(row: Any) -> dict[str, Any]:
    return {"document": row.document_id, "line_start": row.line_start, "line_end": row.line_end}


def finding_link(row: FindingLinkRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "force": row.force_id,
        "earlier": row.earlier_id,
        "later": row.later_id,
        "relation": row.relation,
        "source": row.source,
        "score": row.score,
        "status": row.status,
        **_cited(row),
        "entered_by": row.entered_by,
        "decided_by": row.decided_by,
        "decided_at": row.decided_at.isoformat() if row.decided_at else None,
        "note": row.note,
        "created_at": row.created_at.isoformat(),
    }


def status_event(row: StatusEventRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "finding": row.finding_id,
        "national_recommendation": row.national_recommendation_id,
        "status": row.status,
        "status_as_printed": row.status_as_printed,
        "date": row.date.isoformat(),
        "source": row.source,
        **_cited(row),
        "entered_by": row.entered_by,
        "note": row.note,
        "created_at": row.created_at.isoformat(),
    }


def national_recommendation(row: NationalRecommendationRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "reference": row.reference,
        "framework": row.framework_id,
        "inspection_title": row.inspection_title,
        "text": row.text,
        "deadline": row.deadline,
        "addressed_to": row.addressed_to,
        "made": row.made.isoformat() if row.made else None,
        **_cited(row),
    }


def pcc_response(row: PccResponseRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "inspection": row.inspection_id,
        "responded": row.responded.isoformat() if row.responded else None,
        "stated_deadline": row.stated_deadline.isoformat() if row.stated_deadline else None,
        "address": row.address,
        "text": row.text,
        "items": [dict(item) for item in row.items or []],
        **_cited(row),
        "entered_by": row.entered_by,
    }


def monitoring_statement(row: MonitoringStatementRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "force": row.force_id,
        "stage": row.stage,
        "date": row.date.isoformat(),
        "reasons": list(row.reasons or []),
        **_cited(row),
        "entered_by": row.entered_by,
    }
