"""The record as plain JSON-ready dictionaries: one shape for export, ``--json`` and the API.

The shapes are documented in docs/json-output.md; tests check that every key is documented.
"""

from __future__ import annotations

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


def judgment(row: Judgment) -> dict[str, Any]:
    return {
        "id": row.id,
        "area": row.area_id,
        "grade": row.grade,
        "grade_as_printed": row.grade_as_printed,
        "direction": row.direction,
        "direction_as_printed": row.direction_as_printed,
        "year_last_inspected": row.year_last_inspected,
        "carried_over": row.carried_over,
        "previous_grade": row.previous_grade,
        "read_from": row.read_from,
        "rationale": row.rationale,
        "shown": row.shown,
        "shown_reason": row.shown_reason,
        "provenance": provenance(row),
        "version": row.version or 1,
    }


def finding(row: Finding) -> dict[str, Any]:
    return {
        "id": row.id,
        "area": row.area_id,
        "kind": row.kind,
        "text": row.text,
        "heading": row.heading,
        "lead_in": row.lead_in,
        "sub_items": list(row.sub_items or []),
        "cause_of_concern": row.cause_of_concern_id,
        "deadline": row.deadline,
        "flag": row.flag,
        "provenance": provenance(row),
        "version": row.version or 1,
    }


def evidence(row: Evidence) -> dict[str, Any]:
    return {
        "id": row.id,
        "area": row.area_id,
        "kind": row.kind,
        "description": row.description,
        "sample_size": row.sample_size,
        "period": row.period,
        "criteria_results": list(row.criteria_results or []),
        "provenance": provenance(row),
        "version": row.version or 1,
    }


def figure(row: DataFigure) -> dict[str, Any]:
    return {
        "id": row.id,
        "area": row.area_id,
        "table": row.table_title,
        "measure": row.measure,
        "period": row.period,
        "unit": row.unit,
        "force_value_as_printed": row.force_value_as_printed,
        "force_value": row.force_value,
        "comparator": row.comparator,
        "comparator_label": row.comparator_label,
        "comparator_value_as_printed": row.comparator_value_as_printed,
        "comparator_value": row.comparator_value,
        "change_as_printed": row.change_as_printed,
        "change": row.change,
        "provenance": provenance(row),
        "version": row.version or 1,
    }


def _rank(printed: str | None, position: int | None, of: int | None, tied: bool) -> dict[str, Any]:
    return {"printed": printed, "position": position, "of": of, "tied": tied}


def performance_row(row: PerformanceRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "area": row.area_id,
        "table": row.table_title,
        "indicator": row.indicator,
        "previous": {"printed": row.previous_as_printed, "value": row.previous},
        "current": {"printed": row.current_as_printed, "value": row.current},
        "change": {"printed": row.change_as_printed, "value": row.change},
        "change_unit": row.change_unit,
        "msf_average": {"printed": row.msf_average_as_printed, "value": row.msf_average},
        "msf_rank": _rank(
            row.msf_rank_as_printed, row.msf_rank, row.msf_rank_of, row.msf_rank_tied
        ),
        "national_average": {
            "printed": row.national_average_as_printed,
            "value": row.national_average,
        },
        "national_rank": _rank(
            row.national_rank_as_printed,
            row.national_rank,
            row.national_rank_of,
            row.national_rank_tied,
        ),
        "provenance": provenance(row),
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


def inspection(row: Inspection) -> dict[str, Any]:
    return {
        "id": row.id,
        "force": row.force_id,
        "framework": row.framework_id,
        "period": row.period,
        "title": row.title,
        "status": row.status,
        "published": row.published.isoformat() if row.published else None,
        "embargo_until": row.embargo_until.isoformat() if row.embargo_until else None,
        "hm_inspector": row.hm_inspector,
        "document": row.document_id,
        "entered_by": row.entered_by,
        "version": row.version or 1,
        "judgments": [judgment(j) for j in sorted(row.judgments, key=lambda j: j.id)],
        "findings": [finding(f) for f in sorted(row.findings, key=lambda f: f.id)],
        "evidence": [evidence(e) for e in sorted(row.evidence, key=lambda e: e.id)],
        "figures": [figure(f) for f in sorted(row.figures, key=lambda f: f.id)],
        "performance_table": [
            performance_row(r) for r in sorted(row.performance_rows, key=lambda r: r.id)
        ],
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
